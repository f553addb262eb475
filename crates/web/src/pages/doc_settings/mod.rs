//! 帳票の設定 (admins): the calendar documents print dates in (和暦・西暦), ふりがな on the
//! わかりやすい版の計画, and the template chosen for each document kind.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/admin/documents", get(handlers::show).post(handlers::save))
}
