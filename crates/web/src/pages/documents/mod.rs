//! 帳票（PDF）: each record's printed document through its office's template — サービス等利用計画
//! (and its 週間計画表 and わかりやすい版), モニタリング報告書, サービス担当者会議の記録, アセスメントシート.
//! Every download is written to the audit log as a disclosure (印刷・出力) in the unit of work
//! that read the record (`kit::print`).

pub mod handlers;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/plans/{id}/pdf/{doc}", get(handlers::plan_pdf))
        .route("/monitorings/{id}/pdf", get(handlers::monitoring_pdf))
        .route("/meetings/{id}/pdf", get(handlers::meeting_pdf))
        .route("/assessments/{id}/pdf", get(handlers::assessment_pdf))
}
