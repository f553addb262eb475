//! サービス等利用計画 / 障害児支援利用計画 (DOMAIN.md §3.4): a versioned document drafted from the
//! latest assessment, its states, the consents and hand-overs the fee depends on, the weekly plan,
//! and the proposed monitoring period.
//!
//! Rows carry a stable `key` (kept across versions) and the `need_key` of the assessment need
//! they answer, so a plan change and a monitoring report can follow one need over time.

mod implementation;
mod input;
mod services;

pub use implementation::*;
pub use input::*;
pub use services::*;

use crate::assessment::{AssessmentMethod, AssessmentRecord, FamilyVoices, FamilyWish};
use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

crate::code_enum!(
    /// 計画案 → 会議済 → 本計画. A change (計画変更) is a new version that starts as a draft.
    PlanState {
        Draft = "draft": "計画案",
        Reviewed = "reviewed": "会議済",
        Final = "final": "本計画",
    }
);

crate::code_enum!(PlanKind {
    Adult = "adult": "サービス等利用計画",
    Child = "child": "障害児支援利用計画",
});

crate::code_enum!(
    /// Which document a consent or hand-over is about.
    DocStage {
        Draft = "draft": "計画案",
        Final = "final": "本計画",
    }
);

crate::code_enum!(SignerRole {
    Person = "person": "本人",
    Guardian = "guardian": "保護者",
    Curator = "curator": "成年後見人等",
    Family = "family": "家族（代筆）",
});

crate::code_enum!(HandoverMethod {
    InPerson = "in_person": "手渡し",
    Mail = "mail": "郵送",
    Fax = "fax": "FAX",
    Email = "email": "電子メール",
    Other = "other": "その他",
    Yorisoi = "yorisoi": "yorisoiで共有・受領確認",
});

// `Yorisoi` is recorded when the recipient acknowledges a shared plan; never chosen by hand.

impl HandoverMethod {
    /// The methods a specialist records by hand (a yorisoi share records itself on receipt).
    pub const BY_HAND: [HandoverMethod; 5] = [
        HandoverMethod::InPerson,
        HandoverMethod::Mail,
        HandoverMethod::Fax,
        HandoverMethod::Email,
        HandoverMethod::Other,
    ];
}

crate::code_enum!(ServiceCategory {
    Welfare = "welfare": "障害福祉サービス等",
    OtherSystem = "other_system": "他制度のサービス",
    Informal = "informal": "インフォーマル",
});

/// The plan proposes a period in the municipality's own terms (the certificate's list).
pub use crate::certificate::MonitoringPeriod;

/// When a weekly service happens: days (0 = 月 … 6 = 日, 7 = 祝) and a time span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ServiceSchedule)]
pub struct Schedule {
    pub days: Vec<u8>,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The weekly plan's columns: 月〜日 and 祝.
impl PlanRow {
    /// The service as the plan prints it: its type, then what it is, one per line.
    pub fn service_text(&self) -> String {
        [
            self.service_type
                .map(|t| t.label().to_string())
                .unwrap_or_default(),
            self.service.clone(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
    }
}

impl Schedule {
    /// "月水金 09:30〜15:30", as the plan and its documents print it.
    pub fn label(&self) -> String {
        format!(
            "{} {}〜{}",
            days_label(&self.days),
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

pub const PLAN_DAYS: [&str; 8] = ["月", "火", "水", "木", "金", "土", "日", "祝"];

/// Minutes from the chart's top (6:00); the chart runs to 4:00 the next morning.
pub fn chart_minutes(t: NaiveTime) -> u32 {
    let m = t.hour() * 60 + t.minute();
    (m + 24 * 60 - 6 * 60) % (24 * 60)
}

/// The chart's length in minutes (6:00 → 4:00).
pub const CHART_SPAN: u32 = 22 * 60;

/// One row of the plan, ordered by 優先順位.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanRow {
    pub key: u32,
    /// The assessment need this row answers, if it came from one.
    pub need_key: Option<u32>,
    /// Whose wish the need came from, as the assessment put it (「本人の希望「A型で働きたい」」),
    /// carried when the draft was made so the plan shows where each row began.
    #[serde(default)]
    pub from_wish: String,
    pub need: String,
    pub goal: String,
    pub due: String,
    pub category: ServiceCategory,
    pub service_type: Option<ServiceType>,
    /// 種類・内容・量 (頻度・時間), as written.
    pub service: String,
    pub schedule: Option<Schedule>,
    pub provider: String,
    /// 社会資源 this row links to.
    pub resource_id: Option<i64>,
    pub person_role: String,
    pub review: String,
    pub notes: String,
}

impl PlanRow {
    /// Nothing to meet the need: a candidate 地域課題 (a need with no service or resource). A
    /// row with neither a provider nor a linked 社会資源 is unmet when it names no support at
    /// all, or names a service of a formal system no provider was found for; an informal row
    /// names its resource in the text (「兄が月1回一緒に片付け」) and is met.
    pub fn unmet(&self) -> bool {
        if !self.provider.trim().is_empty() || self.resource_id.is_some() {
            return false;
        }
        self.service.trim().is_empty() || self.category != ServiceCategory::Informal
    }
}

/// An activity of the weekly plan that is not one of the rows' services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WeekEntry {
    pub day: u8,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WeeklyPlan {
    pub entries: Vec<WeekEntry>,
    /// 主な日常生活上の活動.
    pub main_activities: String,
    /// 週単位以外のサービス.
    pub non_weekly: String,
    /// サービス提供によって実現する生活の全体像.
    pub whole_picture: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MonitoringProposal {
    pub period: Option<MonitoringPeriod>,
    /// The first month (the 1st of it).
    pub start_month: Option<NaiveDate>,
    pub note: String,
}

/// 同意: who signed which document, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanConsent {
    pub stage: DocStage,
    pub signed_on: NaiveDate,
    pub signer: String,
    pub role: SignerRole,
    /// The plan was explained to the person before they signed.
    pub explained: bool,
}

/// 交付: a copy given to someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Handover {
    pub stage: DocStage,
    pub to: String,
    pub on: NaiveDate,
    pub method: HandoverMethod,
}

/// Everything of one plan version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanRecord {
    pub kind: PlanKind,
    /// 計画案作成日.
    pub drafted_on: NaiveDate,
    /// 計画作成日 (set when the plan becomes final).
    pub decided_on: Option<NaiveDate>,
    /// The assessment version the draft was made from.
    pub assessment_id: Option<i64>,
    pub assessment_method: Option<AssessmentMethod>,
    /// For a child: the guardian's name and relation.
    pub guardian_name: String,
    pub guardian_relation: String,
    pub wish_person: String,
    /// 家族の意向 written before speakers were recorded (new words go to `family_wishes`).
    pub wish_family: String,
    /// 家族の意向, who said what (each speaker's own information: see `FamilyVoices`).
    #[serde(default)]
    pub family_wishes: Vec<FamilyWish>,
    pub policy: String,
    pub long_goal: String,
    pub short_goal: String,
    /// The seed's three elements.
    pub housing: String,
    pub day_activity: String,
    pub support_system: String,
    pub alternatives: String,
    pub emergency: String,
    /// A child's plan: 家族支援 — what the parents and brothers and sisters are helped with.
    #[serde(default)]
    pub family_support: String,
    pub rows: Vec<PlanRow>,
    pub week: WeeklyPlan,
    pub monitoring: MonitoringProposal,
    pub consents: Vec<PlanConsent>,
    pub handovers: Vec<Handover>,
}

impl PlanRecord {
    /// A draft made from an assessment: the person's and family's words carried as they were
    /// said, one row per need in the assessment's order.
    pub fn draft_from(
        kind: PlanKind,
        drafted_on: NaiveDate,
        assessment_id: i64,
        a: &AssessmentRecord,
    ) -> Self {
        let rows = a
            .needs
            .iter()
            .enumerate()
            .map(|(i, n)| PlanRow {
                key: i as u32 + 1,
                need_key: Some(n.key),
                from_wish: n.source.map(|s| a.source_words(s)).unwrap_or_default(),
                need: n.text.clone(),
                goal: String::new(),
                due: String::new(),
                category: ServiceCategory::Welfare,
                service_type: None,
                service: String::new(),
                schedule: None,
                provider: String::new(),
                resource_id: None,
                person_role: String::new(),
                review: String::new(),
                notes: String::new(),
            })
            .collect();
        let guardian = if kind == PlanKind::Child {
            let g = &a.basic.guardians;
            g.iter()
                .find(|g| g.kind == crate::client::GuardianKind::Parent)
                .or(g.first())
        } else {
            None
        };
        PlanRecord {
            kind,
            drafted_on,
            decided_on: None,
            assessment_id: Some(assessment_id),
            assessment_method: Some(a.method),
            // A child's plan names the parent first in the ledger (the specialist can change it).
            guardian_name: guardian.map(|g| g.name.clone()).unwrap_or_default(),
            guardian_relation: guardian
                .map(|g| {
                    if g.relation.is_empty() {
                        g.kind.label().to_string()
                    } else {
                        g.relation.clone()
                    }
                })
                .unwrap_or_default(),
            wish_person: a.wish_person.clone(),
            wish_family: a.wish_family.clone(),
            family_wishes: a.family_wishes.clone(),
            policy: String::new(),
            long_goal: String::new(),
            short_goal: String::new(),
            housing: String::new(),
            day_activity: String::new(),
            support_system: String::new(),
            alternatives: String::new(),
            emergency: String::new(),
            family_support: String::new(),
            rows,
            week: WeeklyPlan::default(),
            monitoring: MonitoringProposal::default(),
            consents: Vec::new(),
            handovers: Vec::new(),
        }
    }

    /// The start of a 計画変更: a copy of this version as a new draft. Consents and hand-overs
    /// belong to the version they were given for, so the copy starts without them.
    pub fn change(&self, drafted_on: NaiveDate) -> Self {
        PlanRecord {
            drafted_on,
            decided_on: None,
            consents: Vec::new(),
            handovers: Vec::new(),
            ..self.clone()
        }
    }

    /// 家族の意向 as one text, who said what.
    pub fn family_wishes_text(&self) -> String {
        crate::assessment::family_wishes_text(&self.family_wishes, &self.wish_family)
    }

    /// Whose own information the plan's family wishes are.
    pub fn family_voices(&self) -> FamilyVoices {
        FamilyVoices::of(&self.family_wishes, &self.wish_family)
    }

    pub fn consent(&self, stage: DocStage) -> Option<&PlanConsent> {
        self.consents.iter().find(|c| c.stage == stage)
    }

    pub fn handed_over(&self, stage: DocStage) -> bool {
        self.handovers.iter().any(|h| h.stage == stage)
    }

    /// The next key for a new row.
    pub fn next_row_key(&self) -> u32 {
        self.rows.iter().map(|r| r.key).max().unwrap_or(0) + 1
    }

    /// The weekly chart's blocks: each row's scheduled service, then the other activities.
    pub fn week_blocks(&self) -> Vec<WeekBlock> {
        let mut out = Vec::new();
        for r in &self.rows {
            if let Some(s) = &r.schedule {
                let label = r
                    .service_type
                    .map(|t| t.label().to_string())
                    .unwrap_or_else(|| first_line(&r.service));
                for d in &s.days {
                    push_block(&mut out, *d, s.start, s.end, &label, true);
                }
            }
        }
        for e in &self.week.entries {
            push_block(&mut out, e.day, e.start, e.end, &e.label, false);
        }
        out
    }

    /// Reasons the plan cannot become final yet (empty when it can).
    pub fn final_blockers(&self) -> Vec<String> {
        let mut v = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if r.category != ServiceCategory::Informal && r.provider.trim().is_empty() {
                v.push(format!(
                    "優先順位{}の「提供事業者名」が空です（本計画では必須です）。",
                    i + 1
                ));
            }
        }
        if self.rows.is_empty() {
            v.push("計画の行が1つもありません。".into());
        }
        if self.decided_on.is_none() {
            v.push("計画作成日を入力してください。".into());
        }
        if self.consent(DocStage::Final).is_none() {
            v.push("本計画への同意（署名日・署名者）を記録してください。".into());
        }
        v
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(16).collect()
}

/// A block of the weekly chart.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekBlock {
    pub day: u8,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub label: String,
    pub service: bool,
}

/// Adds a block; one that runs past the chart's bottom (sleep 22:00–6:30) is drawn in its day's
/// column as two pieces, to 4:00 and again from 6:00, as a routine is drawn on paper.
fn push_block(
    out: &mut Vec<WeekBlock>,
    day: u8,
    start: NaiveTime,
    end: NaiveTime,
    label: &str,
    service: bool,
) {
    let block = |start, end| WeekBlock {
        day,
        start,
        end,
        label: label.to_string(),
        service,
    };
    let (from, to) = (chart_minutes(start), chart_minutes(end));
    let four = NaiveTime::from_hms_opt(4, 0, 0).unwrap_or(end);
    let six = NaiveTime::from_hms_opt(6, 0, 0).unwrap_or(end);
    if from >= CHART_SPAN {
        // Begins in the chart's gap (5:00–7:00): drawn from 6:00.
        if end.hour() >= 6 && to > 0 && to < from {
            out.push(block(six, end));
        }
        return;
    }
    let crosses = to <= from && !(end.hour() == 4 && end.minute() == 0);
    if !crosses {
        out.push(block(start, end));
        return;
    }
    out.push(block(start, four));
    // The part after 6:00, if any (22:00–5:00 has none on the chart).
    if end.hour() >= 6 && to > 0 {
        out.push(block(six, end));
    }
}

/// One step the fee (計画相談支援給付費) depends on, and whether it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FeeStep {
    pub label: &'static str,
    pub done: bool,
}

/// The steps the fee depends on, in the order they happen. `meeting_held` comes from the
/// meeting records of this plan.
pub fn fee_checklist(p: &PlanRecord, meeting_held: bool) -> Vec<FeeStep> {
    let consented = |s| p.consent(s).is_some_and(|c: &PlanConsent| c.explained);
    vec![
        FeeStep {
            label: "居宅訪問によるアセスメント（本人・家族との面接）",
            done: p.assessment_method == Some(AssessmentMethod::HomeVisit),
        },
        FeeStep {
            label: "計画案を本人・家族に説明し、文書で同意を得た",
            done: consented(DocStage::Draft),
        },
        FeeStep {
            label: "計画案を本人・家族に交付した",
            done: p.handed_over(DocStage::Draft),
        },
        FeeStep {
            label: "サービス担当者会議を開催した",
            done: meeting_held,
        },
        FeeStep {
            label: "本計画を説明し、文書で同意を得た",
            done: consented(DocStage::Final),
        },
        FeeStep {
            label: "本計画を本人・家族と担当者に交付した",
            done: p.handed_over(DocStage::Final),
        },
    ]
}

/// Whether a version's content may be edited: only the case's newest version, and only before
/// it is final. `Err` says why not (shown to the user as it is).
pub fn check_editable(latest: bool, state: PlanState) -> Result<(), &'static str> {
    if !latest {
        return Err("過去の版は変更できません。最新の版を開いてください。");
    }
    if state == PlanState::Final {
        return Err(
            "本計画は変更できません。内容を変えるときは計画の画面から「計画変更」を始めてください。",
        );
    }
    Ok(())
}

/// The state a version may move to, and why not.
pub fn check_transition(
    p: &PlanRecord,
    from: PlanState,
    to: PlanState,
    meeting_held: bool,
) -> Result<(), Vec<String>> {
    match (from, to) {
        (PlanState::Draft, PlanState::Reviewed) => {
            if meeting_held {
                Ok(())
            } else {
                Err(vec![
                    "サービス担当者会議の記録（開催済み）がありません。先に会議を記録してください。"
                        .into(),
                ])
            }
        }
        (PlanState::Reviewed, PlanState::Final) => {
            let b = p.final_blockers();
            if b.is_empty() { Ok(()) } else { Err(b) }
        }
        _ => Err(vec![format!(
            "{}から{}へは進めません。",
            from.label(),
            to.label()
        )]),
    }
}

/// The standard period for the services in the plan (DOMAIN.md §3.7), with the reason, as a
/// suggestion: the municipality decides. A new or greatly changed plan starts monthly for three
/// months.
pub fn suggest_period(p: &PlanRecord, new_or_changed: bool) -> (MonitoringPeriod, String) {
    let types: Vec<ServiceType> = p.rows.iter().filter_map(|r| r.service_type).collect();
    let shortest = types
        .iter()
        .filter_map(|t| t.standard_period().map(|m| (m, *t)))
        .min_by_key(|(m, _)| m.months());
    let (period, why) = match shortest {
        Some((m, t)) => (m, format!("{}の標準は{}", t.label(), m.label())),
        None => (
            MonitoringPeriod::Every6,
            "標準期間の決まったサービスがないため6か月ごとを目安".into(),
        ),
    };
    if new_or_changed {
        (
            MonitoringPeriod::Monthly,
            format!("新規・大きな変更のため最初の3か月は毎月、その後は{why}"),
        )
    } else {
        (period, why)
    }
}

#[cfg(test)]
mod tests;
