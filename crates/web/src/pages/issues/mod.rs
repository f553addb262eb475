//! 地域課題: the office's issues for the 自立支援協議会 — listed with the category × status counts
//! and how many people each concerns, raised by hand or from a meeting's 「現状ではできないこと」
//! or a monitoring's 今後の課題 (the case linked), edited, and released by a lead or an admin once
//! its text identifies nobody in the ledger. The 事務 sees none of it (404, as elsewhere).

pub mod categories;
pub mod form;
pub mod handlers;
pub mod joint_support;
pub mod merge;
pub mod paper;
pub mod view;
pub mod vignettes;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/issues", get(handlers::list).post(handlers::create))
        .route("/issues/new", get(handlers::new_form))
        .route(
            "/issues/categories",
            get(categories::show).post(categories::add),
        )
        .route("/issues/categories/unused", post(categories::set_unused))
        .route("/issues/categories/{id}", post(categories::update))
        .route("/issues/paper", get(paper::page))
        .route("/issues/paper.pdf", get(paper::pdf))
        .route("/issues/paper.csv", get(paper::csv))
        .route("/issues/{id}", get(handlers::show).post(handlers::update))
        .route("/issues/{id}/release", post(handlers::release))
        // Issue 20's follow-ups: merging a duplicate, case vignettes, the 加算's records.
        .route("/issues/{id}/merge", get(merge::show).post(merge::merge))
        .route(
            "/issues/vignettes",
            get(vignettes::list).post(vignettes::create),
        )
        .route("/issues/vignettes/new", get(vignettes::new_form))
        .route(
            "/issues/vignettes/{id}",
            get(vignettes::show).post(vignettes::update),
        )
        .route("/issues/vignettes/{id}/release", post(vignettes::release))
        .route(
            "/issues/joint-support",
            get(joint_support::list).post(joint_support::create),
        )
        .route("/issues/joint-support/new", get(joint_support::new_form))
        .route(
            "/issues/joint-support/{id}",
            get(joint_support::show).post(joint_support::update),
        )
        .route(
            "/issues/joint-support/{id}/delete",
            post(joint_support::delete),
        )
}
