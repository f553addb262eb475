//! 管理者の画面: 職員と担当 (staff accounts: add, edit, activate), 記録の保存期間 (retention),
//! APIトークン (issue, revoke) and 操作記録 (the audit log, with its filters and the hash-chain
//! check) and 二段階認証の方針 (the office's second-factor policy). Every screen is asked of the policy for its office-level record kind, so another
//! role gets the same 404 as a missing page.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/admin/staff",
            get(handlers::staff).post(handlers::add_staff),
        )
        .route(
            "/admin/staff/{id}",
            get(handlers::staff_edit).post(handlers::staff_update),
        )
        .route("/admin/staff/{id}/active", post(handlers::staff_active))
        .route("/admin/staff/{id}/unlock", post(handlers::staff_unlock))
        .route(
            "/admin/staff/{id}/password",
            post(handlers::staff_reset_password),
        )
        .route(
            "/admin/staff/{id}/sessions/end",
            post(handlers::staff_end_sessions),
        )
        .route(
            "/admin/staff/{id}/second-factor/reset",
            post(handlers::staff_reset_second_factor),
        )
        .route(
            "/admin/tokens",
            get(handlers::tokens).post(handlers::issue_token),
        )
        .route("/admin/tokens/{id}/revoke", post(handlers::revoke_token))
        .route("/admin/audit", get(handlers::audit))
        .route("/admin/retention", post(handlers::set_retention))
        .route(
            "/admin/second-factor",
            get(handlers::second_factor_policy).post(handlers::set_second_factor_policy),
        )
}
