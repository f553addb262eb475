//! The plan's pages: starting a draft, and the plan as a document with its fee checklist,
//! consents, hand-overs, state, meetings, weekly chart and implementation per row.

use crate::auth::Authed;
use crate::kit::display::{Opt, date, odate, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use axum::http::StatusCode;
use std::collections::HashMap;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::plan::*;
use yorisoi_store::meetings::Meeting;
use yorisoi_store::plans::{self, Implementation, Plan};
use yorisoi_store::today_jst;

#[derive(Template)]
#[template(path = "plan_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub form: EditState<DraftInput>,
}

impl StartPage {
    pub fn new(
        user: &Authed,
        case_id: i64,
        client_name: String,
        form: EditState<DraftInput>,
    ) -> Self {
        StartPage {
            nav: Nav::new(user, "clients"),
            case_id,
            client_name,
            form,
        }
    }

    /// A blank start form dated today.
    pub fn blank() -> EditState<DraftInput> {
        EditState::new(
            DraftInput {
                drafted_on: today_jst().to_string(),
            },
            "",
        )
    }
}

/// One row of the plan as the document shows it.
pub struct RowView {
    pub key: u32,
    pub priority: usize,
    pub need: String,
    /// 「本人の希望「…」」: where the row began.
    pub from_wish: String,
    pub goal: String,
    pub due: String,
    pub category: &'static str,
    pub service: String,
    pub schedule: String,
    pub provider: String,
    pub resource: String,
    /// No provider and no 社会資源: a need no service meets (a candidate 地域課題).
    pub unmet: bool,
    pub person_role: String,
    pub review: String,
    pub notes: String,
    /// Implementation (final plans only), its version "" before the first save.
    pub imp: EditState<ImplementationInput>,
    /// (attachment id, file name, size).
    pub file: Option<(i64, String, String)>,
    pub file_error: String,
}

impl RowView {
    fn new(
        priority: usize,
        row: &PlanRow,
        imp: Option<&Implementation>,
        form: EditState<ImplementationInput>,
        file_error: String,
        resources: &HashMap<i64, String>,
    ) -> Self {
        RowView {
            key: row.key,
            priority,
            need: row.need.clone(),
            from_wish: row.from_wish.clone(),
            goal: row.goal.clone(),
            due: row.due.clone(),
            category: row.category.label(),
            service: row.service_text(),
            schedule: row
                .schedule
                .as_ref()
                .map(Schedule::label)
                .unwrap_or_default(),
            provider: row.provider.clone(),
            resource: row
                .resource_id
                .and_then(|id| resources.get(&id).cloned())
                .unwrap_or_default(),
            unmet: row.unmet(),
            person_role: row.person_role.clone(),
            review: row.review.clone(),
            notes: row.notes.clone(),
            imp: form,
            file: imp.and_then(|i| {
                i.attachment.as_ref().map(|a| {
                    (
                        a.id,
                        a.filename.clone(),
                        format!("{:.0}KB", a.size as f64 / 1024.0),
                    )
                })
            }),
            file_error,
        }
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub kind: &'static str,
    pub child: bool,
    pub version_no: i32,
    pub state: &'static str,
    pub state_code: &'static str,
    pub latest: bool,
    pub editable: bool,
    pub may_write: bool,
    /// Implementation follows a final plan until the next version is final too.
    pub may_implement: bool,
    pub version: i32,
    pub message: String,
    pub rule: String,
    pub versions: Vec<(i64, String, bool)>,
    pub header: Vec<(&'static str, String)>,
    pub wish_person: String,
    pub wish_family: String,
    pub texts: Vec<(&'static str, String)>,
    pub elements: Vec<(&'static str, String)>,
    pub rows: Vec<RowView>,
    pub week_svg: String,
    pub week_texts: Vec<(&'static str, String)>,
    pub monitoring: String,
    pub suggestion: String,
    pub checklist: Vec<FeeStep>,
    pub blockers: Vec<String>,
    pub consents: Vec<String>,
    pub handovers: Vec<String>,
    pub consent: EditState<PlanConsentInput>,
    pub consent_stages: Vec<Opt>,
    pub signer_roles: Vec<Opt>,
    pub handover: EditState<HandoverInput>,
    pub handover_stages: Vec<Opt>,
    pub handover_methods: Vec<Opt>,
    pub meetings: Vec<(i64, String, bool)>,
    pub change_date: String,
    pub today: String,
}

/// What a refused form on the plan page sends back, or the message after a save.
#[derive(Default)]
pub struct Extras {
    pub message: String,
    /// A refusal about the whole plan (shown at the top).
    pub rule: String,
    /// The plan changed since the page was read.
    pub conflict: bool,
    pub consent: Option<EditState<PlanConsentInput>>,
    pub handover: Option<EditState<HandoverInput>>,
    /// (row key, the implementation form as typed).
    pub implementation: Option<(u32, EditState<ImplementationInput>)>,
    /// (row key, why the file was refused).
    pub file_error: Option<(u32, String)>,
}

impl Extras {
    pub fn flash(message: &str) -> Self {
        Extras {
            message: message.into(),
            ..Default::default()
        }
    }

    /// The message after a redirect (`?saved=`).
    pub fn after(saved: &str) -> Self {
        Self::flash(match saved {
            "drafted" => {
                "アセスメントから計画案を作りました。「編集する」から項目ごとに書き進めます。"
            }
            "changed" => "計画変更の計画案を作りました。前の版はそのまま残っています。",
            "consent" => "同意を記録しました。",
            "handover" => "交付を記録しました。",
            "state" => "計画の状態を変えました。",
            "implementation" => "実施の記録を保存しました。",
            "file" => "個別支援計画のファイルを登録しました。",
            _ => "",
        })
    }

    /// The plan changed since the page was read.
    pub fn stale() -> Self {
        Extras {
            rule: "この計画は、画面を開いたあとに更新されています（ほかの職員か、別のタブ・端末での保存です）。内容を確かめてから、もう一度操作してください。".into(),
            conflict: true,
            ..Default::default()
        }
    }

    pub fn rule(m: impl Into<String>) -> Self {
        Extras {
            rule: m.into(),
            ..Default::default()
        }
    }

    /// 409 when stale, 422 when something was refused, else 200.
    pub fn status(&self) -> StatusCode {
        let refused = !self.rule.is_empty()
            || self.file_error.is_some()
            || self
                .consent
                .as_ref()
                .is_some_and(|f| f.status() != StatusCode::OK)
            || self
                .handover
                .as_ref()
                .is_some_and(|f| f.status() != StatusCode::OK)
            || self
                .implementation
                .as_ref()
                .is_some_and(|(_, f)| f.status() != StatusCode::OK);
        if self.conflict {
            StatusCode::CONFLICT
        } else if refused {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }
}

/// What the plan page is built from, read in one unit of work.
pub struct PlanData {
    pub plan: Plan,
    pub versions: Vec<plans::Summary>,
    pub implementations: Vec<Implementation>,
    pub client_name: String,
    pub meetings: Vec<Meeting>,
    /// The directory's names by id (inactive ones too: an old plan names them).
    pub resources: HashMap<i64, String>,
    /// The user may write plans of this client and the case is open.
    pub may_write: bool,
}

fn version_label(s: &plans::Summary) -> String {
    format!(
        "第{}版 {} {}",
        s.version_no,
        date(s.drafted_on),
        s.state.label()
    )
}

/// The saved implementation of a row as a form, or one filled from the row.
fn implementation_form(
    row: &PlanRow,
    imp: Option<&Implementation>,
) -> EditState<ImplementationInput> {
    match imp {
        Some(i) => EditState::new(ImplementationInput::from_record(&i.record), i.version),
        None => EditState::new(
            ImplementationInput {
                provider: row.provider.clone(),
                service_type: row
                    .service_type
                    .map(|t| t.label().to_string())
                    .unwrap_or_default(),
                ..Default::default()
            },
            "",
        ),
    }
}

impl PlanPage {
    pub fn new(user: &Authed, d: PlanData, x: Extras) -> Self {
        let p = &d.plan;
        let r = &p.record;
        let id = p.id;
        let held = d.meetings.iter().any(|m| m.record.held);
        let imp_of: HashMap<u32, &Implementation> =
            d.implementations.iter().map(|i| (i.row_key, i)).collect();
        let mut x = x;
        let rows = r
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let imp = imp_of.get(&row.key).copied();
                let form = match x.implementation.take() {
                    Some((k, f)) if k == row.key => f,
                    other => {
                        x.implementation = other;
                        implementation_form(row, imp)
                    }
                };
                let file_error = match &x.file_error {
                    Some((k, m)) if *k == row.key => m.clone(),
                    _ => String::new(),
                };
                RowView::new(i + 1, row, imp, form, file_error, &d.resources)
            })
            .collect();
        let (suggested, why) = suggest_period(r, p.version_no == 1);
        let child = r.kind == PlanKind::Child;
        let consent = x.consent.take().unwrap_or_else(|| {
            EditState::new(
                PlanConsentInput {
                    stage: if p.state == PlanState::Draft {
                        "draft".into()
                    } else {
                        "final".into()
                    },
                    signed_on: today_jst().to_string(),
                    role: if child { "guardian" } else { "person" }.into(),
                    ..Default::default()
                },
                p.version,
            )
        });
        let handover = x.handover.take().unwrap_or_else(|| {
            EditState::new(
                HandoverInput {
                    stage: if p.state == PlanState::Final {
                        "final".into()
                    } else {
                        "draft".into()
                    },
                    on: today_jst().to_string(),
                    method: "in_person".into(),
                    to: if child { "保護者" } else { "本人" }.into(),
                },
                p.version,
            )
        });
        PlanPage {
            nav: Nav::new(user, "clients"),
            id,
            case_id: p.case_id,
            client_id: p.client_id,
            client_name: d.client_name.clone(),
            kind: r.kind.label(),
            child,
            version_no: p.version_no,
            state: p.state.label(),
            state_code: p.state.code(),
            latest: p.latest,
            // The domain's rule decides what is offered, as it decides what is saved.
            editable: p.editable() && d.may_write,
            may_write: d.may_write && p.latest,
            may_implement: d.may_write && p.state == PlanState::Final,
            version: p.version,
            message: x.message,
            rule: x.rule,
            versions: d
                .versions
                .iter()
                .map(|s| (s.id, version_label(s), s.id == id))
                .collect(),
            header: vec![
                ("計画案作成日", date(r.drafted_on)),
                ("計画作成日", odate(r.decided_on)),
                (
                    "アセスメント",
                    r.assessment_method
                        .map(|m| m.label().to_string())
                        .unwrap_or_default(),
                ),
                (
                    "保護者",
                    if child {
                        format!("{}（{}）", r.guardian_name, r.guardian_relation)
                    } else {
                        String::new()
                    },
                ),
            ],
            wish_person: r.wish_person.clone(),
            wish_family: r.family_wishes_text(),
            texts: vec![
                ("総合的な援助の方針", r.policy.clone()),
                ("長期目標", r.long_goal.clone()),
                ("短期目標", r.short_goal.clone()),
            ],
            elements: {
                let mut v = vec![
                    ("住まい", r.housing.clone()),
                    ("日中活動の場", r.day_activity.clone()),
                    ("支援体制", r.support_system.clone()),
                    ("代替案", r.alternatives.clone()),
                    ("緊急時の対応", r.emergency.clone()),
                ];
                if child {
                    v.push(("家族支援", r.family_support.clone()));
                }
                v
            },
            rows,
            week_svg: plan_week(&r.week_blocks()),
            week_texts: vec![
                ("主な日常生活上の活動", r.week.main_activities.clone()),
                ("週単位以外のサービス", r.week.non_weekly.clone()),
                (
                    "サービス提供によって実現する生活の全体像",
                    r.week.whole_picture.clone(),
                ),
            ],
            monitoring: match (r.monitoring.period, r.monitoring.start_month) {
                (Some(m), Some(s)) => format!(
                    "{}（{}から）",
                    m.label(),
                    crate::kit::display::calendar().month(s)
                ),
                (Some(m), None) => m.label().to_string(),
                _ => String::new(),
            },
            suggestion: format!("{}（{}）", suggested.label(), why),
            checklist: fee_checklist(r, held),
            blockers: if p.state == PlanState::Reviewed {
                r.final_blockers()
            } else {
                Vec::new()
            },
            consents: r
                .consents
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} {}（{}）が署名",
                        c.stage.label(),
                        date(c.signed_on),
                        c.signer,
                        c.role.label()
                    )
                })
                .collect(),
            handovers: r
                .handovers
                .iter()
                .map(|h| {
                    format!(
                        "{}: {} {}へ（{}）",
                        h.stage.label(),
                        date(h.on),
                        h.to,
                        h.method.label()
                    )
                })
                .collect(),
            consent_stages: opts(
                DocStage::ALL,
                |x| x.code(),
                |x| x.label(),
                &consent.input.stage,
            ),
            signer_roles: opts(
                SignerRole::ALL,
                |x| x.code(),
                |x| x.label(),
                &consent.input.role,
            ),
            handover_stages: opts(
                DocStage::ALL,
                |x| x.code(),
                |x| x.label(),
                &handover.input.stage,
            ),
            handover_methods: opts(
                &HandoverMethod::BY_HAND,
                |x| x.code(),
                |x| x.label(),
                &handover.input.method,
            ),
            consent,
            handover,
            meetings: d
                .meetings
                .iter()
                .map(|m| {
                    (
                        m.id,
                        format!(
                            "{}{}",
                            date(m.record.held_on),
                            if m.record.place.is_empty() {
                                String::new()
                            } else {
                                format!(" {}", m.record.place)
                            }
                        ),
                        m.record.held,
                    )
                })
                .collect(),
            change_date: today_jst().to_string(),
            today: today_jst().to_string(),
        }
    }
}

/// Every message of `e`, joined (for a form that shows one message).
pub fn joined(e: &yorisoi_domain::FieldErrors) -> String {
    e.0.values().cloned().collect::<Vec<_>>().join(" ")
}
