//! 社会資源: the office's directory of providers (事業所) and informal resources (インフォーマル
//! な支え), searchable by name (かな/カナ, full/half width alike), filtered by kind and service,
//! sorted by name or update. Entries are never deleted, only marked as no longer used.

pub mod form;
pub mod handlers;
pub mod import;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/resources", get(handlers::list).post(handlers::create))
        .route(
            "/resources/{id}",
            get(handlers::edit).post(handlers::update),
        )
}

/// The directory's import from Excel / CSV, a multipart body that checks its own CSRF token.
pub fn upload_routes() -> axum::Router<crate::AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    axum::Router::new().route(
        "/resources/import",
        post(import::upload).layer(DefaultBodyLimit::max(
            crate::kit::import_file::MAX_BYTES + 64 * 1024,
        )),
    )
}
