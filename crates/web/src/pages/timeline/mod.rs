//! 経過の一覧 (the case timeline): every record of the case — intake, assessments, plans,
//! meetings, monitorings, decision support, notes, closure — in one chronological view,
//! filtered by kind, period and words.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/cases/{id}/timeline", get(handlers::show))
}
