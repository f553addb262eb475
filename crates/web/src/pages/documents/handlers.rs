//! The PDF downloads: access, print and log through `kit::print`, send as an attachment.

use super::view::NotesPrintPage;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::EditState;
use crate::kit::print::{Which, pdf_response, print_one};
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use yorisoi_domain::note::PeriodInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::today_jst;

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

/// `/cases/{id}/pdf/{doc}`: the case's インテーク記録 (`intake`) or, once closed, its 終結の記録
/// (`closure`).
pub async fn case_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path((id, doc)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let what = Which::case(id, &doc).ok_or(AppError::NotFound)?;
    one(&st, &user, what).await
}

/// `/decisions/{id}/pdf`: the 意思決定支援の記録.
pub async fn decision_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    one(&st, &user, Which::Decision(id)).await
}

/// The client's name, once the user may read their notes (else not found, as for a PDF).
async fn notes_client(st: &AppState, user: &Authed, id: i64) -> Result<String, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    tx.client_access(id, RecordKind::CaseNote, Action::Read)
        .await?;
    let name = client_name(&mut tx, id).await?;
    tx.commit().await?;
    Ok(name)
}

/// `/clients/{id}/notes/print`: the period form, filled with the period asked for (a case's,
/// from the case page) or the last twelve months.
pub async fn notes_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(asked): Query<PeriodInput>,
) -> PageResult {
    let name = notes_client(&st, &user, id).await?;
    let input = if asked.from.is_empty() && asked.until.is_empty() {
        let (from, until) = PeriodInput::year_to(today_jst());
        PeriodInput {
            from: from.to_string(),
            until: until.to_string(),
        }
    } else {
        asked
    };
    render(&NotesPrintPage::new(
        &user,
        id,
        name,
        EditState::new(input, ""),
    ))
}

/// `/clients/{id}/notes/pdf?from=&until=`: the 支援経過記録 of the period; a period that cannot
/// be read shows the form again with what was typed.
pub async fn notes_pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(period): Query<PeriodInput>,
) -> Result<Response, AppError> {
    match period.validate(today_jst()) {
        Ok((from, until)) => {
            one(
                &st,
                &user,
                Which::Notes {
                    client_id: id,
                    from,
                    until,
                },
            )
            .await
        }
        Err(e) => {
            let name = notes_client(&st, &user, id).await?;
            let form = EditState::refused(period, "", AppError::Invalid(e), None)?;
            let status = form.status();
            render_status(&NotesPrintPage::new(&user, id, name, form), status)
        }
    }
}
