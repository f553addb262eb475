//! The monitoring report's page: the certificate's months, the report goal by goal with the
//! previous report beside each, and the outcome.

use crate::auth::Authed;
use crate::kit::case_parts::{MonthView, month_views};
use crate::kit::display::date;
use crate::kit::form::EditState;
use crate::kit::grid::{Choice, choices, row_error};
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::case::TerminationReason;
use yorisoi_domain::certificate::YearMonth;
use yorisoi_domain::monitoring::schedule::Schedule;
use yorisoi_domain::monitoring::*;
use yorisoi_store::monitorings::Monitoring;

/// One goal on the form, with the previous report's answer for comparison.
pub struct GoalView {
    pub i: usize,
    pub input: GoalInput,
    pub satisfaction: Vec<Choice>,
    pub achievement: Vec<Choice>,
    /// 前回: (label, text) pairs; empty when there is no previous report of this goal.
    pub previous: Vec<(&'static str, String)>,
    /// What providers reported on this goal on yorisoi (「ひかり作業所 佐藤（2026年11月）」,
    /// text), newest month first: shown to review, never copied in by itself.
    pub reported: Vec<(String, String)>,
    pub error: String,
}

/// What the form is shown against: the case, the final plan in force and the months due.
pub struct MonitoringContext {
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub plan_id: i64,
    pub plan: yorisoi_domain::plan::PlanRecord,
    pub schedule: Schedule,
    /// The report before this one (or before today, for a new one).
    pub previous: Option<Monitoring>,
    /// Providers' サービス提供状況 reports on the plan.
    pub reports: Vec<yorisoi_store::outside::ProviderReport>,
}

/// The providers' words on the goal of row `key`.
fn reported_of(
    reports: &[yorisoi_store::outside::ProviderReport],
    key: &str,
) -> Vec<(String, String)> {
    reports
        .iter()
        .filter_map(|r| {
            r.record
                .rows
                .iter()
                .find(|x| x.row_key.to_string() == key)
                .map(|x| {
                    (
                        format!("{}・{}", r.from, crate::kit::display::month(r.record.month)),
                        x.provision.clone(),
                    )
                })
        })
        .collect()
}

impl MonitoringContext {
    pub fn row_keys(&self) -> Vec<u32> {
        self.plan.rows.iter().map(|r| r.key).collect()
    }
}

/// After a report is saved: where its outcome leads.
#[derive(Default)]
pub struct NextSteps {
    pub may_write: bool,
    pub reassessment_id: Option<i64>,
    pub close_link: bool,
    pub change_plan: bool,
    pub message: String,
}

impl NextSteps {
    /// The steps of a stored report; `open` is whether its case is still open, `saved` whether
    /// the page follows a save.
    pub fn of(m: &Monitoring, may_write: bool, open: bool, saved: bool) -> Self {
        NextSteps {
            may_write: may_write && open,
            reassessment_id: m.record.reassessment_id,
            close_link: open && m.record.outcome == Outcome::Close,
            change_plan: open && m.record.plan_change_needed(),
            message: if !saved {
                String::new()
            } else {
                match m.record.outcome {
                    Outcome::Continue => "モニタリングを記録しました。計画を継続します。".into(),
                    Outcome::Reassess => {
                        "モニタリングを記録しました。再アセスメントの新しい版を作りました。".into()
                    }
                    Outcome::Close => {
                        "モニタリングを記録しました。終結の手続きに進んでください。".into()
                    }
                }
            },
        }
    }
}

#[derive(Template)]
#[template(path = "monitoring.html")]
pub struct MonitoringPage {
    pub nav: Nav,
    pub action: String,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub plan_id: i64,
    pub plan_label: String,
    pub form: EditState<MonitoringInput>,
    pub methods: Vec<Choice>,
    pub goals: Vec<GoalView>,
    pub outcomes: Vec<Choice>,
    pub reassess: Vec<Choice>,
    pub close: Vec<Choice>,
    pub months: Vec<MonthView>,
    pub schedule_gap: String,
    /// The date on the form falls outside the certificate's months.
    pub off_month: String,
    pub message: String,
    pub may_write: bool,
    /// After saving: where the outcome leads.
    pub reassessment_id: Option<i64>,
    pub close_link: bool,
    pub change_plan: bool,
    /// What providers asked the specialist to know before the visit (who・month, note).
    pub provider_notes: Vec<(String, String)>,
    /// 「わたしの ことば」 the person wrote on yorisoi before the visit (who・month, words).
    pub person_notes: Vec<(String, String)>,
}

fn previous_of(prev: Option<&Monitoring>, key: &str) -> Vec<(&'static str, String)> {
    let Some((p, g)) = prev.and_then(|p| {
        p.record
            .goals
            .iter()
            .find(|g| g.row_key.to_string() == key)
            .map(|g| (p, g))
    }) else {
        return Vec::new();
    };
    let mut v = vec![("実施日", date(p.record.monitored_on))];
    if let Some(a) = g.achievement {
        v.push(("達成度", a.label().into()));
    }
    if let Some(s) = g.satisfaction {
        v.push(("満足度", s.label().into()));
    }
    for (l, t) in [
        ("サービス提供状況", &g.provision),
        ("本人の感想", &g.person_view),
        ("今後の課題", &g.issues),
    ] {
        if !t.is_empty() {
            v.push((l, t.clone()));
        }
    }
    v
}

/// The warning when the date typed is not one of the certificate's monitoring months.
fn off_month(s: &Schedule, typed: &str) -> String {
    match yorisoi_domain::date::parse_date(typed) {
        Ok(d) if !s.months.is_empty() && !s.months.iter().any(|m| m.month == YearMonth::of(d)) => {
            format!(
                "{}は受給者証のモニタリング月ではありません。記録はできますが、先に市町村にモニタリング期間の変更を届け出てください。",
                crate::kit::display::month(YearMonth::of(d))
            )
        }
        _ => String::new(),
    }
}

impl MonitoringPage {
    /// The form posting to `action`, for writing (the steps of a stored report are added by
    /// [`MonitoringPage::with_steps`]).
    pub fn new(
        user: &Authed,
        c: &MonitoringContext,
        action: String,
        form: EditState<MonitoringInput>,
    ) -> Self {
        let i = &form.input;
        let goals = i
            .goals
            .iter()
            .enumerate()
            .map(|(n, g)| GoalView {
                i: n,
                satisfaction: choices(
                    Satisfaction::ALL,
                    |x| x.code(),
                    |x| x.label(),
                    &g.satisfaction,
                    Some("（未記入）"),
                ),
                achievement: choices(
                    Achievement::ALL,
                    |x| x.code(),
                    |x| x.label(),
                    &g.achievement,
                    Some("（未記入）"),
                ),
                previous: previous_of(c.previous.as_ref(), &g.row_key),
                reported: reported_of(&c.reports, &g.row_key),
                error: row_error(&form.errors, "goals", n),
                input: g.clone(),
            })
            .collect();
        let person_notes = c
            .reports
            .iter()
            .filter(|r| r.from_person && !r.record.note.is_empty())
            .map(|r| {
                (
                    format!("{}・{}", r.from, crate::kit::display::month(r.record.month)),
                    r.record.note.clone(),
                )
            })
            .collect();
        let provider_notes = c
            .reports
            .iter()
            .filter(|r| !r.from_person && !r.record.note.is_empty())
            .map(|r| {
                (
                    format!("{}・{}", r.from, crate::kit::display::month(r.record.month)),
                    r.record.note.clone(),
                )
            })
            .collect();
        MonitoringPage {
            provider_notes,
            person_notes,
            nav: Nav::new(user, "clients"),
            action,
            case_id: c.case_id,
            client_id: c.client_id,
            client_name: c.client_name.clone(),
            plan_id: c.plan_id,
            plan_label: format!("{}（本計画）", c.plan.kind.label()),
            methods: choices(
                MonitoringMethod::ALL,
                |x| x.code(),
                |x| x.label(),
                &i.method,
                None,
            ),
            outcomes: choices(Outcome::ALL, |x| x.code(), |x| x.label(), &i.outcome, None),
            reassess: ReassessReason::ALL
                .iter()
                .map(|r| {
                    (
                        r.code().to_string(),
                        r.label().to_string(),
                        i.reassess_reasons.iter().any(|x| x == r.code()),
                    )
                })
                .collect(),
            close: choices(
                TerminationReason::ALL,
                |x| x.code(),
                |x| x.label(),
                &i.close_reason,
                Some("（選ぶ）"),
            ),
            goals,
            months: month_views(&c.schedule),
            schedule_gap: c.schedule.gap.unwrap_or_default().to_string(),
            off_month: off_month(&c.schedule, &i.monitored_on),
            message: String::new(),
            may_write: true,
            reassessment_id: None,
            close_link: false,
            change_plan: false,
            form,
        }
    }

    pub fn with_steps(mut self, s: NextSteps) -> Self {
        self.may_write = s.may_write;
        self.reassessment_id = s.reassessment_id;
        self.close_link = s.close_link;
        self.change_plan = s.change_plan;
        self.message = s.message;
        self
    }
}
