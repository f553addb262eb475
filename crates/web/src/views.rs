//! Template structs (askama) of the pages not yet moved into their resource's folder
//! (`pages::<resource>::view`). Transitional: this file goes away as they move.

use askama::Template;
use yorisoi_domain::FieldErrors;

pub use crate::kit::display::*;
pub use crate::kit::note_row::NoteView;
pub use crate::kit::render::{Nav, render, render_status};

#[derive(Template)]
#[template(path = "intake_form.html")]
pub struct IntakeFormPage {
    pub nav: Nav,
    pub title: String,
    pub action: String,
    pub client_id: i64,
    pub client_name: String,
    pub form: yorisoi_domain::case::IntakeInput,
    pub errors: FieldErrors,
    pub version: String,
    pub conflict: bool,
    pub sources: Vec<Opt>,
    pub consents: Vec<Opt>,
    pub urgencies: Vec<Opt>,
    pub cancel: String,
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
    pub close_reason: String,
    pub version: i32,
    pub intake: Vec<(&'static str, String)>,
    pub chief_complaint: String,
    pub next_stages: Vec<Opt>,
    pub notes: Vec<NoteView>,
    pub message: String,
    /// (id, label, title) of the case's assessment versions, newest first.
    pub assessments: Vec<(i64, String, String)>,
    pub plans: Vec<(i64, String)>,
    pub has_final_plan: bool,
    pub months: Vec<crate::pages::monitorings::MonthView>,
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

#[derive(Template)]
#[template(path = "close_form.html")]
pub struct CloseFormPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub title: String,
    pub form: yorisoi_domain::case::CloseInput,
    pub errors: FieldErrors,
    pub version: String,
    pub reasons: Vec<Opt>,
    pub conflict: bool,
    pub retention_years: i32,
    /// The monitoring that concluded 終結, if the latest one did: 「2026年11月20日のモニタリング」.
    pub from_monitoring: String,
    /// The plan's goals, for the look back: (goal, achievement at the last monitoring).
    pub goals: Vec<(String, String)>,
}
