//! The batch form, starting a job, its progress and its PDF.

use super::view::{BatchPage, JobPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::batch::{self, BatchInput};
use crate::kit::form::{EditState, Form};
use crate::kit::links::see_other;
use crate::kit::print::{file_response, pdf_response};
use crate::kit::render::{render, render_status};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use yorisoi_domain::certificate::YearMonth;
use yorisoi_store::today_jst;

async fn form_page(
    st: &AppState,
    user: &Authed,
    form: EditState<BatchInput>,
    status: StatusCode,
) -> PageResult {
    let staff = batch::staff_choices(st, user).await?;
    render_status(&BatchPage::new(user, form, &staff), status)
}

/// `GET /documents/batch`
pub async fn form(State(st): State<AppState>, user: Authed) -> PageResult {
    batch::may_print(&user)?;
    let input = BatchInput {
        what: "plans".into(),
        month: YearMonth::of(today_jst()).code(),
        staff: user.user_id.to_string(),
    };
    form_page(&st, &user, EditState::new(input, ""), StatusCode::OK).await
}

/// `POST /documents/batch`: checks the form, starts the job and shows its page.
pub async fn start(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<BatchInput>,
) -> PageResult {
    let started = match input.check(&st, &user).await {
        Ok(spec) => batch::start(&st, &user, spec),
        Err(e) => Err(e),
    };
    match started {
        Ok(id) => Ok(see_other(&format!("/documents/batch/{id}"))),
        Err(AppError::TooManyRequests(m)) => {
            let form = EditState {
                rule: m,
                ..EditState::new(input, "")
            };
            form_page(&st, &user, form, StatusCode::TOO_MANY_REQUESTS).await
        }
        Err(e) => {
            let form = EditState::refused(input, "", e, None)?;
            let status = form.status();
            form_page(&st, &user, form, status).await
        }
    }
}

/// `GET /documents/batch/{id}`: progress, refreshed every second until done.
pub async fn show(State(st): State<AppState>, user: Authed, Path(id): Path<String>) -> PageResult {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    render(&JobPage::new(&user, id, j))
}

/// `GET /documents/batch/{id}/pdf`
pub async fn download(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let pdf = j.pdf.ok_or(AppError::NotFound)?;
    Ok(pdf_response(pdf.as_ref().clone(), &j.filename))
}

/// `GET /documents/batch/{id}/json`: a 本人開示 job's JSON.
pub async fn download_json(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let json = j.json.ok_or(AppError::NotFound)?;
    Ok(file_response(
        json.as_ref().clone(),
        "application/json",
        &j.json_filename,
    ))
}
