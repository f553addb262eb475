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
