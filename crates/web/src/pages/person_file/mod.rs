//! 本人開示: the request form on a client (when it came, to whom, how), and the job that makes
//! the person's whole file (`kit::person_file`); its progress and downloads are the batch job's
//! page (`pages::batch`), which shows the JSON beside the PDF for this kind of job.

pub mod handlers;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route(
        "/clients/{id}/person-file",
        get(handlers::form).post(handlers::start),
    )
}
