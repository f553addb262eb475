//! Template structs (askama) of the pages not yet moved into their resource's folder
//! (`pages::<resource>::view`). Transitional: this file goes away as they move.

use askama::Template;
use yorisoi_domain::FieldErrors;

pub use crate::kit::client_row::ClientRow;
pub use crate::kit::display::*;
pub use crate::kit::render::{Nav, render, render_status};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub nav: Nav,
    pub today: String,
    pub sees_cases: bool,
    pub due: crate::pages::home::Card,
    pub overdue: crate::pages::home::Card,
    pub renewal_days: i64,
    pub certificates: crate::pages::home::Card,
    pub plans: crate::pages::home::Card,
    pub meetings: crate::pages::home::Card,
    /// 意思決定支援 follow-ups near or past.
    pub follow_ups: crate::pages::home::Card,
    pub follow_up_days: i64,
    /// This view with every item of every card.
    pub all_link: String,
    pub staff_lines: Vec<crate::pages::home::StaffLine>,
    pub staff_options: Vec<(String, String, bool)>,
    /// The staff member the office view is narrowed to, if any.
    pub filtered: String,
    pub mine: Vec<ClientRow>,
    pub open_cases: Vec<(String, i64)>,
    pub whole_office: bool,
}

#[derive(Template)]
#[template(path = "clients.html")]
pub struct ClientListPage {
    pub nav: Nav,
    pub rows: Vec<ClientRow>,
    pub total: u64,
    pub q: String,
    pub status: String,
    pub staff: String,
    pub cert: String,
    pub sort: String,
    pub page: u64,
    pub pages: u64,
    pub statuses: Vec<Opt>,
    pub staff_options: Vec<(String, String, bool)>,
    pub can_assign: bool,
    pub show_staff_filter: bool,
    pub prev_link: String,
    pub next_link: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "client_form.html")]
pub struct ClientFormPage {
    pub nav: Nav,
    pub title: String,
    pub action: String,
    pub form: yorisoi_domain::client::ClientInput,
    pub errors: FieldErrors,
    pub version: String,
    pub conflict: bool,
    pub sexes: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub incomes: Vec<Opt>,
    pub guardians: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub staff_options: Vec<(String, String, bool)>,
    pub assigned: String,
    pub cancel: String,
}

pub struct BookView {
    pub id: i64,
    pub kind: &'static str,
    pub grade: String,
    pub issued: String,
    pub expires: String,
}

pub struct CertView {
    pub version_no: i32,
    pub kind: &'static str,
    pub number: String,
    pub municipality: String,
    pub issued: String,
    pub decision: String,
    pub services: Vec<(String, String)>,
    pub cost_cap: String,
    pub plan_support: String,
    pub monitoring_period: String,
    pub monitoring_months: String,
    pub note: String,
    pub created: String,
}

pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub stage: &'static str,
    pub opened: String,
    pub closed: String,
    pub is_open: bool,
}

pub struct NoteView {
    pub id: i64,
    pub when: String,
    pub kind: &'static str,
    pub counterpart: String,
    pub content: String,
    pub minutes: String,
    pub staff: String,
    pub case_title: String,
}

#[derive(Template)]
#[template(path = "client.html")]
pub struct ClientPage {
    pub nav: Nav,
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub status: &'static str,
    pub staff: String,
    pub ledger: Vec<(&'static str, String)>,
    pub notes_text: String,
    pub books: Vec<BookView>,
    pub book_kinds: Vec<Opt>,
    pub book_form: yorisoi_domain::client::BookInput,
    pub book_errors: FieldErrors,
    pub cert: Option<CertView>,
    pub cert_count: usize,
    pub sees_cases: bool,
    pub cases: Vec<CaseRow>,
    pub notes: Vec<NoteView>,
    pub more_notes: bool,
    pub q: String,
    pub note_form: yorisoi_domain::note::NoteInput,
    pub note_errors: FieldErrors,
    pub note_kinds: Vec<Opt>,
    pub open_cases: Vec<(String, String, bool)>,
    pub next_notes_link: String,
    pub flash: String,
}

#[derive(Template)]
#[template(path = "certificate_form.html")]
pub struct CertificateFormPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub form: yorisoi_domain::certificate::CertificateInput,
    pub errors: FieldErrors,
    pub kinds: Vec<Opt>,
    pub periods: Vec<Opt>,
    pub copied_from: Option<i32>,
}

#[derive(Template)]
#[template(path = "certificates.html")]
pub struct CertificateHistoryPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub certs: Vec<CertView>,
}

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

#[derive(Template)]
#[template(path = "note_edit.html")]
pub struct NoteEditPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub note_id: i64,
    pub form: yorisoi_domain::note::NoteInput,
    pub errors: FieldErrors,
    pub version: String,
    pub conflict: bool,
    pub kinds: Vec<Opt>,
    pub cases: Vec<(String, String, bool)>,
}
