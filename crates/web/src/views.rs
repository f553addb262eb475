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

pub struct StaffRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub role_code: &'static str,
    pub active: bool,
    pub clients: i64,
    pub version: i32,
}

#[derive(Template)]
#[template(path = "staff.html")]
pub struct StaffPage {
    pub nav: Nav,
    pub staff: Vec<StaffRow>,
    pub unassigned: i64,
    pub form: yorisoi_store::users::NewUser,
    pub errors: FieldErrors,
    pub roles: Vec<Opt>,
    pub message: String,
    /// 記録の保存期間 (years after the end of support): saved, as typed, and its error.
    pub retention_years: i32,
    pub retention_value: String,
    pub retention_error: String,
}

#[derive(Template)]
#[template(path = "staff_edit.html")]
pub struct StaffEditPage {
    pub nav: Nav,
    pub s: StaffRow,
    pub display_name: String,
    pub role: String,
    pub errors: FieldErrors,
    pub roles: Vec<Opt>,
    pub conflict: bool,
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub user: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    pub nav: Nav,
    pub tokens: Vec<TokenRow>,
    pub staff_options: Vec<(String, String, bool)>,
    pub new_token: String,
    pub error: String,
    pub name: String,
    pub user: String,
}

pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub kind: String,
    pub record: String,
    pub client: String,
    pub client_id: Option<i64>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub nav: Nav,
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub user: String,
    pub client: String,
    pub action: String,
    pub from: String,
    pub until: String,
    pub staff_options: Vec<(String, String, bool)>,
    pub actions: Vec<Opt>,
    pub chain: String,
    pub chain_ok: bool,
    pub prev_link: String,
    pub next_link: String,
    pub error: String,
}
