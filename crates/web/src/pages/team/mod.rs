//! ケアチーム and 個人情報使用同意 for one client: who is around the person (本人・家族・関係機関・
//! 近所の支え手), and whom their information may go to. Members are never deleted, only taken
//! off the team; consents are given, withdrawn (effective at once) or replaced — never edited —
//! and the page shows the whole history.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/clients/{id}/team",
            get(handlers::show).post(handlers::add_member),
        )
        .route(
            "/clients/{id}/team/{member}",
            get(handlers::edit_member).post(handlers::update_member),
        )
        .route("/clients/{id}/team/batch", post(handlers::add_members))
        .route("/clients/{id}/consents", post(handlers::give_consent))
        .route(
            "/clients/{id}/consents/batch",
            post(handlers::give_consents),
        )
        .route(
            "/clients/{id}/consents/{consent}/withdraw",
            post(handlers::withdraw),
        )
}
