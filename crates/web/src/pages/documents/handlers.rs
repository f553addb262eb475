//! The PDF downloads: access, print and log through `kit::print`, send as an attachment.

use crate::AppState;
use crate::auth::Authed;
use crate::error::AppError;
use crate::kit::print::{Which, pdf_response, print_one};
use axum::extract::{Path, State};
use axum::response::Response;

async fn one(st: &AppState, user: &Authed, what: Which) -> Result<Response, AppError> {
    let p = print_one(st, user.actor(), what).await?;
    Ok(pdf_response(p.pdf, &p.filename))
}

/// `/plans/{id}/pdf/{doc}`: the plan (`plan`), its 週間計画表 (`week`) or the easy-read plan
/// (`easy_plan`).
pub async fn plan_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path((id, doc)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let what = Which::plan(id, &doc).ok_or(AppError::NotFound)?;
    one(&st, &user, what).await
}

/// `/monitorings/{id}/pdf`: the モニタリング報告書.
pub async fn monitoring_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    one(&st, &user, Which::Monitoring(id)).await
}

/// `/meetings/{id}/pdf`: the サービス担当者会議の記録.
pub async fn meeting_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    one(&st, &user, Which::Meeting(id)).await
}

/// `/assessments/{id}/pdf`: the assessment sheet with its drawings.
pub async fn assessment_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    one(&st, &user, Which::Assessment(id)).await
}
