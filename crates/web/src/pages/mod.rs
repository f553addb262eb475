//! HTML pages, one folder per resource (`handlers`, `view`, `form`; see docs/web.md). Each handler opens one unit of work (`Tx`) for the
//! signed-in user, asks for access, reads or writes, and commits (which writes the audit).
//! A resource's module says its own routes; [`routes`] gathers them.

pub mod account;
pub mod admin;
pub mod assessments;
pub mod batch;
pub mod cases;
pub mod certificates;
pub mod clients;
pub mod decisions;
pub mod doc_settings;
pub mod documents;
pub mod home;
pub mod import;
pub mod issues;
pub mod meetings;
pub mod monitorings;
pub mod person_file;
pub mod plans;
pub mod region;
pub mod resources;
pub mod second_factor;
pub mod session;
pub mod shared;
pub mod team;
pub mod timeline;

/// Every page route behind the CSRF layer (sign-in and the upload are outside it).
pub fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .merge(session::routes())
        .merge(second_factor::routes())
        .merge(account::routes())
        .merge(home::routes())
        .merge(clients::routes())
        .merge(import::routes())
        .merge(certificates::routes())
        .merge(cases::routes())
        .merge(assessments::routes())
        .merge(plans::routes())
        .merge(meetings::routes())
        .merge(monitorings::routes())
        .merge(decisions::routes())
        .merge(timeline::routes())
        .merge(team::routes())
        .merge(shared::routes())
        .merge(resources::routes())
        .merge(issues::routes())
        .merge(region::routes())
        .merge(documents::routes())
        .merge(batch::routes())
        .merge(person_file::routes())
        .merge(doc_settings::routes())
        .merge(admin::routes())
}
