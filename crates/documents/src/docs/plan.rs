//! サービス等利用計画 / 障害児支援利用計画 and its 週間計画表.

use super::{Ctx, Labelled, Person, labelled};
use crate::plan_week::plan_week;
use chrono::Timelike;
use serde::Serialize;
use yorisoi_domain::plan::{PlanKind, PlanRecord, PlanState, Schedule};

/// What the plan's record does not hold: the ledger, the certificates and the office.
#[derive(Debug, Clone, Default)]
pub struct PlanContext {
    pub base: Ctx,
    pub support_level: String,
    pub certificate_number: String,
    pub community_certificate_number: String,
    pub child_certificate_number: String,
    pub cost_cap: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanConsentDoc {
    pub signed_on: String,
    pub signer: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRowDoc {
    pub priority: usize,
    pub need: String,
    pub goal: String,
    pub due: String,
    /// 障害福祉サービス等 / 他制度のサービス / インフォーマル
    pub category: String,
    /// The service type and what it is, one per line.
    pub service: String,
    /// The service type's code ("" when none): the easy-read plan says what happens there.
    pub service_type: String,
    /// What the service is, without its type.
    pub service_detail: String,
    /// "月水金 09:30〜15:30", or "".
    pub schedule: String,
    pub provider: String,
    pub person_role: String,
    pub review: String,
    pub notes: String,
}

/// The data of the plan template (`templates/plan/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct PlanDoc {
    #[serde(flatten)]
    pub common: super::Common,
    #[serde(flatten)]
    pub person: Person,
    /// 障害児支援利用計画 (児童氏名, 保護者).
    pub child: bool,
    /// "draft" (計画案) or "final" (本計画).
    pub stage: String,
    pub version_no: i32,
    pub guardian_name: String,
    pub guardian_relation: String,
    pub support_level: String,
    pub certificate_number: String,
    pub community_certificate_number: String,
    pub child_certificate_number: String,
    pub cost_cap: String,
    pub planner: String,
    pub drafted_on: String,
    pub decided_on: String,
    /// "3か月ごと（令和8年12月から）"
    pub monitoring: String,
    pub wish_person: String,
    pub wish_family: String,
    pub policy: String,
    pub long_goal: String,
    pub short_goal: String,
    /// In priority order.
    pub rows: Vec<PlanRowDoc>,
    /// 住まい, 日中活動の場, 支援体制, 代替案, 緊急時の対応.
    pub elements: Vec<Labelled>,
    /// The signature of the stage printed, when it is on record.
    pub consent: Option<PlanConsentDoc>,
    pub week: WeekDoc,
}

/// A block of the weekly chart; minutes count from 6:00 (the chart runs 6:00 → 4:00).
#[derive(Debug, Clone, Serialize)]
pub struct WeekBlockDoc {
    /// 0 = 月 … 6 = 日, 7 = 祝
    pub day: u8,
    pub start: String,
    pub end: String,
    pub from_minute: u32,
    pub to_minute: u32,
    pub label: String,
    /// A service of the plan (true) or the person's own activity.
    pub service: bool,
}

/// The data of the 週間計画表 template (`templates/week/*.typ`); also part of [`PlanDoc`].
#[derive(Debug, Clone, Serialize)]
pub struct WeekDoc {
    pub blocks: Vec<WeekBlockDoc>,
    /// The chart as SVG, the same drawing as on screen.
    pub svg: String,
    pub main_activities: String,
    pub non_weekly: String,
    pub whole_picture: String,
}

pub fn week_doc(r: &PlanRecord) -> WeekDoc {
    use yorisoi_domain::plan::chart_minutes;
    let blocks = r.week_blocks();
    WeekDoc {
        svg: plan_week(&blocks),
        blocks: blocks
            .iter()
            .map(|b| {
                let from = chart_minutes(b.start);
                let mut to = chart_minutes(b.end);
                if to <= from {
                    to = from + 30;
                }
                WeekBlockDoc {
                    day: b.day,
                    start: format!("{}:{:02}", b.start.hour(), b.start.minute()),
                    end: format!("{}:{:02}", b.end.hour(), b.end.minute()),
                    from_minute: from,
                    to_minute: to,
                    label: b.label.clone(),
                    service: b.service,
                }
            })
            .collect(),
        main_activities: r.week.main_activities.clone(),
        non_weekly: r.week.non_weekly.clone(),
        whole_picture: r.week.whole_picture.clone(),
    }
}

pub fn plan_doc(r: &PlanRecord, state: PlanState, version_no: i32, cx: &PlanContext) -> PlanDoc {
    use yorisoi_domain::plan::DocStage;
    let ds = cx.base.dates;
    let stage = if state == PlanState::Final {
        DocStage::Final
    } else {
        DocStage::Draft
    };
    let base = match r.kind {
        PlanKind::Adult => "サービス等利用計画",
        PlanKind::Child => "障害児支援利用計画",
    };
    let title = if stage == DocStage::Draft {
        format!("{base}（案）")
    } else {
        base.to_string()
    };
    let monitoring = match (r.monitoring.period, r.monitoring.start_month) {
        (Some(m), Some(s)) => format!("{}（{}から）", m.label(), ds.month(s)),
        (Some(m), None) => m.label().to_string(),
        (None, Some(s)) => format!("{}から", ds.month(s)),
        _ => String::new(),
    };
    PlanDoc {
        common: cx.base.common(title),
        person: cx.base.person.clone(),
        child: r.kind == PlanKind::Child,
        stage: stage.code().to_string(),
        version_no,
        guardian_name: r.guardian_name.clone(),
        guardian_relation: r.guardian_relation.clone(),
        support_level: cx.support_level.clone(),
        certificate_number: cx.certificate_number.clone(),
        community_certificate_number: cx.community_certificate_number.clone(),
        child_certificate_number: cx.child_certificate_number.clone(),
        cost_cap: cx.cost_cap.clone(),
        planner: cx.base.planner.clone(),
        drafted_on: ds.date(r.drafted_on),
        decided_on: ds.opt(r.decided_on),
        monitoring,
        wish_person: r.wish_person.clone(),
        wish_family: r.family_wishes_text(),
        policy: r.policy.clone(),
        long_goal: r.long_goal.clone(),
        short_goal: r.short_goal.clone(),
        rows: r
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| PlanRowDoc {
                priority: i + 1,
                need: row.need.clone(),
                goal: row.goal.clone(),
                due: row.due.clone(),
                category: row.category.label().to_string(),
                service: row.service_text(),
                service_type: row
                    .service_type
                    .map(|t| t.code().to_string())
                    .unwrap_or_default(),
                service_detail: row.service.clone(),
                schedule: row
                    .schedule
                    .as_ref()
                    .map(Schedule::label)
                    .unwrap_or_default(),
                provider: row.provider.clone(),
                person_role: row.person_role.clone(),
                review: row.review.clone(),
                notes: row.notes.clone(),
            })
            .collect(),
        elements: {
            let mut v = labelled(&[
                ("住まい", &r.housing),
                ("日中活動の場", &r.day_activity),
                ("支援体制", &r.support_system),
                ("代替案", &r.alternatives),
                ("緊急時の対応", &r.emergency),
            ]);
            if r.kind == PlanKind::Child {
                v.extend(labelled(&[("家族支援", &r.family_support)]));
            }
            v
        },
        consent: r.consent(stage).map(|c| PlanConsentDoc {
            signed_on: ds.date(c.signed_on),
            signer: c.signer.clone(),
            role: c.role.label().to_string(),
        }),
        week: week_doc(r),
    }
}
