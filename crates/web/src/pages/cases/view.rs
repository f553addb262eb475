//! The case's pages: the intake form, the case page, the closing form.

use crate::auth::Authed;
use crate::kit::case_parts::{MonthView, month_views};
use crate::kit::display::{Opt, date, datetime, odate, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use std::collections::HashMap;
use yorisoi_domain::case::*;
use yorisoi_domain::monitoring::schedule::Schedule;
use yorisoi_domain::plan::{PlanKind, PlanState};
use yorisoi_store::cases::{Case, Intake};
use yorisoi_store::monitorings::Monitoring;
use yorisoi_store::notes::Note;
use yorisoi_store::{assessments, decisions, plans};

#[derive(Template)]
#[template(path = "intake_form.html")]
pub struct IntakeFormPage {
    pub nav: Nav,
    pub title: &'static str,
    pub action: String,
    pub client_id: i64,
    pub client_name: String,
    pub form: EditState<IntakeInput>,
    pub sources: Vec<Opt>,
    pub consents: Vec<Opt>,
    pub urgencies: Vec<Opt>,
    pub cancel: String,
}

impl IntakeFormPage {
    /// The intake of a new case of `client_id`.
    pub fn new_case(
        user: &Authed,
        client_id: i64,
        client_name: String,
        form: EditState<IntakeInput>,
    ) -> Self {
        Self::build(
            user,
            "インテーク（新しいケース）",
            format!("/clients/{client_id}/cases"),
            client_id,
            client_name,
            form,
            format!("/clients/{client_id}"),
        )
    }

    /// The intake of case `case_id`, edited.
    pub fn edit(
        user: &Authed,
        case_id: i64,
        client_id: i64,
        client_name: String,
        form: EditState<IntakeInput>,
    ) -> Self {
        Self::build(
            user,
            "インテークの編集",
            format!("/cases/{case_id}/edit"),
            client_id,
            client_name,
            form,
            format!("/cases/{case_id}"),
        )
    }

    fn build(
        user: &Authed,
        title: &'static str,
        action: String,
        client_id: i64,
        client_name: String,
        form: EditState<IntakeInput>,
        cancel: String,
    ) -> Self {
        let i = &form.input;
        IntakeFormPage {
            nav: Nav::new(user, "clients"),
            title,
            action,
            client_id,
            client_name,
            sources: opts(
                ReferralSource::ALL,
                |k| k.code(),
                |k| k.label(),
                &i.referral_source,
            ),
            consents: opts(
                SupportConsent::ALL,
                |k| k.code(),
                |k| k.label(),
                &i.consent_to_support,
            ),
            urgencies: opts(Urgency::ALL, |k| k.code(), |k| k.label(), &i.urgency),
            form,
            cancel,
        }
    }
}

/// A note of the case's 支援経過記録, as listed on the case.
pub struct CaseNote {
    pub when: String,
    pub kind: &'static str,
    pub counterpart: String,
    pub content: String,
    pub staff: String,
}

/// Everything the case page shows, as read in one unit of work.
pub struct CaseRecords {
    pub case: Case,
    pub intake: Intake,
    pub client_name: String,
    /// A child today (障害児相談支援).
    pub child: bool,
    pub staff: HashMap<i64, String>,
    pub notes: Vec<Note>,
    pub assessments: Vec<assessments::Summary>,
    pub plans: Vec<plans::Summary>,
    pub schedule: Schedule,
    pub monitorings: Vec<Monitoring>,
    pub decisions: Vec<decisions::Summary>,
    pub retention_years: i32,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub nav: Nav,
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub title: String,
    pub stage: &'static str,
    pub stage_code: &'static str,
    pub stages: Vec<(&'static str, &'static str, bool, bool)>,
    pub is_open: bool,
    pub opened: String,
    pub closed: String,
    /// The case's period as the 支援経過記録 print's query: "from=2026-04-01&until=2026-11-30".
    pub notes_period: String,
    pub close_reason: String,
    pub version: i32,
    pub intake: Vec<(&'static str, String)>,
    pub chief_complaint: String,
    pub next_stages: Vec<Opt>,
    pub notes: Vec<CaseNote>,
    pub message: String,
    /// (id, label, title) of the case's assessment versions, newest first.
    pub assessments: Vec<(i64, String, String)>,
    pub plans: Vec<(i64, String)>,
    /// サービス等利用計画 or 障害児支援利用計画 (the newest plan's kind, or the person's age).
    pub plan_label: &'static str,
    /// 受給者証 or 通所受給者証.
    pub cert_label: &'static str,
    pub has_final_plan: bool,
    pub months: Vec<MonthView>,
    pub schedule_gap: String,
    /// Dates of monitorings outside the certificate's months, joined.
    pub off_schedule: String,
    /// (id, 「2026年7月10日 居宅訪問 — 継続」) newest first.
    pub monitorings: Vec<(i64, String)>,
    /// 意思決定支援: (id, question, 「意思実現 · 次回 2027年2月10日」) newest first.
    pub decisions: Vec<(i64, String, String)>,
    /// 終結・エバリュエーション, the filled parts.
    pub evaluation: Vec<(&'static str, String)>,
    /// 「2031年11月1日まで保存（終結から5年）」 for a closed case.
    pub retention: String,
}

/// What the case page says after a redirect with `?saved=`.
fn saved_message(saved: &str) -> &'static str {
    match saved {
        "opened" => "インテークを記録し、ケースを開始しました。",
        "intake" => "インテークを更新しました。",
        "stage" => "段階を進めました。",
        "closed" => "ケースを終結しました。",
        _ => "",
    }
}

impl CasePage {
    pub fn new(user: &Authed, r: CaseRecords, saved: &str) -> Self {
        let c = &r.case;
        let i = &r.intake.record;
        let id = c.id;
        let position = |s: CaseStage| CaseStage::ALL.iter().position(|x| *x == s).unwrap_or(0);
        let current = position(c.stage);
        CasePage {
            nav: Nav::new(user, "clients"),
            id,
            client_id: c.client_id,
            client_name: r.client_name.clone(),
            title: if c.title.is_empty() {
                "（無題のケース）".into()
            } else {
                c.title.clone()
            },
            stage: c.stage.label(),
            stage_code: c.stage.code(),
            stages: CaseStage::ALL
                .iter()
                .filter(|s| **s != CaseStage::Reassessment || c.stage == CaseStage::Reassessment)
                .map(|s| (s.code(), s.label(), *s == c.stage, position(*s) < current))
                .collect(),
            is_open: c.stage.is_open(),
            opened: date(c.opened_on),
            notes_period: format!(
                "from={}&until={}",
                c.opened_on,
                c.closed_on.unwrap_or_else(yorisoi_store::today_jst)
            ),
            closed: odate(c.closed_on),
            close_reason: c
                .close_reason
                .map(|reason| {
                    if c.close_reason_text.is_empty() {
                        reason.label().to_string()
                    } else {
                        format!("{}: {}", reason.label(), c.close_reason_text)
                    }
                })
                .unwrap_or_default(),
            version: c.version,
            chief_complaint: i.chief_complaint.clone(),
            intake: vec![
                ("受付日", date(i.intake_date)),
                (
                    "相談の経路",
                    if i.referral_note.is_empty() {
                        i.referral_source.label().to_string()
                    } else {
                        format!("{}（{}）", i.referral_source.label(), i.referral_note)
                    },
                ),
                ("状況", i.situation.clone()),
                ("説明したこと", i.explained.clone()),
                ("援助を受ける意思", i.consent_to_support.label().to_string()),
                ("緊急度", i.urgency.label().to_string()),
                ("今後の対応", i.next_steps.clone()),
            ],
            next_stages: c
                .stage
                .next_stages()
                .iter()
                .filter(|s| **s != CaseStage::Closed)
                .map(|s| {
                    (
                        s.code(),
                        if *s == c.stage {
                            "モニタリング（継続）"
                        } else {
                            s.label()
                        },
                        false,
                    )
                })
                .collect(),
            notes: r
                .notes
                .iter()
                .filter(|n| n.record.case_id == Some(id))
                .map(|n| CaseNote {
                    when: datetime(n.record.occurred_at),
                    kind: n.record.kind.label(),
                    counterpart: n.record.counterpart.clone(),
                    content: n.record.content.clone(),
                    staff: r.staff.get(&n.staff_user_id).cloned().unwrap_or_default(),
                })
                .collect(),
            message: saved_message(saved).into(),
            plans: r
                .plans
                .iter()
                .map(|p| {
                    (
                        p.id,
                        format!(
                            "第{}版 {}（{}）",
                            p.version_no,
                            date(p.drafted_on),
                            p.state.label()
                        ),
                    )
                })
                .collect(),
            plan_label: match r.plans.first() {
                Some(p) => p.kind.label(),
                None if r.child => PlanKind::Child.label(),
                None => PlanKind::Adult.label(),
            },
            cert_label: if r
                .plans
                .first()
                .map_or(r.child, |p| p.kind == PlanKind::Child)
            {
                "通所受給者証"
            } else {
                "受給者証"
            },
            has_final_plan: r.plans.iter().any(|p| p.state == PlanState::Final),
            months: month_views(&r.schedule),
            schedule_gap: r.schedule.gap.unwrap_or_default().to_string(),
            off_schedule: r
                .schedule
                .off_schedule
                .iter()
                .map(|d| date(*d))
                .collect::<Vec<_>>()
                .join("、"),
            decisions: r
                .decisions
                .iter()
                .map(|d| {
                    let mut status = vec![d.step.label().to_string()];
                    if let Some(x) = d.decided_on {
                        status.push(format!("決定 {}", date(x)));
                    }
                    if let Some(x) = d.follow_up_on {
                        status.push(format!("次回 {}", date(x)));
                    }
                    (d.id, d.question.clone(), status.join(" · "))
                })
                .collect(),
            evaluation: [
                ("本人の言葉", &c.evaluation.person_words),
                ("本人にとって何が変わったか", &c.evaluation.changes),
                ("チームが学んだこと", &c.evaluation.learning),
                ("引き継ぎ先", &c.evaluation.handover_to),
                ("引き継いだ内容", &c.evaluation.handover),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect(),
            retention: c
                .retain_until
                .map(|u| format!("{}まで保存（終結から{}年）", date(u), r.retention_years))
                .unwrap_or_default(),
            monitorings: r
                .monitorings
                .iter()
                .map(|m| {
                    (
                        m.id,
                        format!(
                            "{} {} — {}",
                            date(m.record.monitored_on),
                            m.record.method.label(),
                            m.record.outcome.label()
                        ),
                    )
                })
                .collect(),
            assessments: r
                .assessments
                .iter()
                .map(|v| {
                    (
                        v.id,
                        format!(
                            "第{}版 {}（{}）",
                            v.version_no,
                            date(v.assessed_on),
                            v.method.label()
                        ),
                        v.title.clone(),
                    )
                })
                .collect(),
        }
    }
}

/// What the close form shows beside the fields: the office's retention, and the last monitoring
/// if it concluded 終結 (its reason prefills the form) with the goals' last achievement.
pub struct CloseContext {
    pub case_id: i64,
    pub client_name: String,
    pub title: String,
    pub retention_years: i32,
    pub last_monitoring: Option<Monitoring>,
}

impl CloseContext {
    /// The reason and its text a monitoring that concluded 終結 gave, if the last one did.
    pub fn concluded(&self) -> Option<&Monitoring> {
        self.last_monitoring
            .as_ref()
            .filter(|m| m.record.outcome == yorisoi_domain::monitoring::Outcome::Close)
    }
}

#[derive(Template)]
#[template(path = "close_form.html")]
pub struct CloseFormPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub title: String,
    pub form: EditState<CloseInput>,
    pub reasons: Vec<Opt>,
    pub retention_years: i32,
    /// The monitoring that concluded 終結, if the latest one did: 「2026年11月20日のモニタリング」.
    pub from_monitoring: String,
    /// The plan's goals, for the look back: (goal, achievement at the last monitoring).
    pub goals: Vec<(String, String)>,
}

impl CloseFormPage {
    pub fn new(user: &Authed, ctx: CloseContext, form: EditState<CloseInput>) -> Self {
        let goals = ctx
            .last_monitoring
            .iter()
            .flat_map(|m| m.record.goals.iter())
            .map(|g| {
                (
                    g.goal.clone(),
                    g.achievement
                        .map(|a| a.label())
                        .unwrap_or("未記入")
                        .to_string(),
                )
            })
            .collect();
        let from_monitoring = ctx
            .concluded()
            .map(|m| format!("{}のモニタリング", date(m.record.monitored_on)))
            .unwrap_or_default();
        CloseFormPage {
            nav: Nav::new(user, "clients"),
            case_id: ctx.case_id,
            client_name: ctx.client_name,
            title: ctx.title,
            reasons: opts(
                TerminationReason::ALL,
                |k| k.code(),
                |k| k.label(),
                &form.input.reason,
            ),
            form,
            retention_years: ctx.retention_years,
            from_monitoring,
            goals,
        }
    }
}
