//! 帳票（PDF）: each record's printed document through its office's template — サービス等利用計画
//! (and its 週間計画表 and わかりやすい版), モニタリング報告書, サービス担当者会議の記録, アセスメントシート,
//! and what an inspection (運営指導) asks to see: the 支援経過記録 of a period (chosen on a form),
//! a case's インテーク記録 and 終結の記録, and a 意思決定支援の記録.
//! Every download is written to the audit log as a disclosure (印刷・出力) in the unit of work
//! that read the record (`kit::print`).

pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/plans/{id}/pdf/{doc}", get(handlers::plan_pdf))
        .route("/monitorings/{id}/pdf", get(handlers::monitoring_pdf))
        .route("/meetings/{id}/pdf", get(handlers::meeting_pdf))
        .route("/assessments/{id}/pdf", get(handlers::assessment_pdf))
        .route("/clients/{id}/notes/print", get(handlers::notes_form))
        .route("/clients/{id}/notes/pdf", get(handlers::notes_pdf))
        .route("/cases/{id}/pdf/{doc}", get(handlers::case_pdf))
        .route("/decisions/{id}/pdf", get(handlers::decision_pdf))
}
