//! 利用者台帳の取り込み (issue 21, item 1): an office moves its Excel ledger in. A file is
//! uploaded, its columns matched to the ledger's fields (changeable), every row checked and
//! every problem shown with its row and column; only a file with no problem is imported, all
//! of it in one unit of work, in the background with a progress page. Duplicates of the
//! ledger (by 受給者証番号, or name + birth date) are skipped, updated or added as the user
//! chooses. Only those who write the whole office's ledger may import (see
//! `yorisoi_store::imports`); anyone else gets the usual 404.

pub mod handlers;
pub mod view;

/// The routes behind the CSRF layer.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/clients/import", get(handlers::form))
        .route("/clients/import/template.csv", get(handlers::template_csv))
        .route(
            "/clients/import/template.xlsx",
            get(handlers::template_xlsx),
        )
        .route(
            "/clients/import/{id}",
            get(handlers::show).post(handlers::decide),
        )
}

/// The upload, a multipart body that checks its own CSRF token.
pub fn upload_routes() -> axum::Router<crate::AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    axum::Router::new()
        .route(
            "/clients/import/upload",
            post(handlers::upload).layer(DefaultBodyLimit::max(
                crate::kit::import_file::MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/clients/import/team",
            post(handlers::upload_team).layer(DefaultBodyLimit::max(
                crate::kit::import_file::MAX_BYTES + 64 * 1024,
            )),
        )
}
