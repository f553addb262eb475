//! アセスメント: start (or re-assess) from a case, edit section by section (実施・様子・住環境,
//! 希望, ストレングス, デマンドとニーズ, 家族構成, エコマップ, 生活歴, 日課・生活サイクル, 能力,
//! 医療), the one-page sheet with its drawings, the drawings as files, and the diff between two
//! versions.

pub mod form;
pub mod handlers;
pub mod view;

use handlers::*;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/assessments", post(start))
        .route("/cases/{id}/assessments/new", get(new_form))
        .route("/assessments/{id}", get(sheet))
        .route("/assessments/{id}/diff", get(diff))
        .route(
            "/assessments/{id}/edit/{section}",
            get(edit_form).post(save),
        )
        .route("/assessments/{id}/drawing/{file}", get(drawing))
}
