//! 利用者: the list (search, filters, sort, bulk assignment of 担当), the 利用者台帳 form, the
//! client page (台帳, 障害者手帳, 受給者証, ケース, 支援経過記録 with the quick note), and the
//! 支援経過記録 editor. The client page is built in one place ([`page`]) for the client and
//! note handlers alike.

pub mod form;
pub mod handlers;
pub mod notes;
pub mod page;
pub mod view;

/// The routes of this resource (and of its notes).
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    use handlers::*;
    axum::Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/new", get(new_form))
        .route("/clients/assign", post(assign))
        .route("/exports/{what}", get(export_csv))
        .route("/clients/{id}", get(show))
        .route("/clients/{id}/edit", get(edit_form).post(update))
        .route("/clients/{id}/books", post(add_book))
        .route("/clients/{id}/books/{book_id}/delete", post(remove_book))
        .route("/clients/{id}/notes", get(notes::list).post(notes::create))
        .route("/notes", get(notes::search_all))
        .route(
            "/clients/{id}/notes/{note_id}/edit",
            get(notes::edit_form).post(notes::update),
        )
}
