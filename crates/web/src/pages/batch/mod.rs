//! 一括印刷: every plan handed over in a month, or every monitoring report of a staff member's
//! clients in a month, as one PDF. The job runs in the background (`kit::batch`) and its page
//! shows how far it has got; only the person who started it can see it or download the result,
//! and every record in it is logged as a disclosure. At most `kit::batch::MAX_RUNNING` jobs run
//! per person.

pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/documents/batch",
            get(handlers::form).post(handlers::start),
        )
        .route("/documents/batch/{id}", get(handlers::show))
        .route("/documents/batch/{id}/pdf", get(handlers::download))
        .route("/documents/batch/{id}/json", get(handlers::download_json))
}
