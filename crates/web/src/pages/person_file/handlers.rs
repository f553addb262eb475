//! The 本人開示 form and starting its job.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form};
use crate::kit::links::see_other;
use crate::kit::person_file::{self, METHODS, PersonFileInput, RECIPIENTS};
use crate::kit::render::{Nav, render_status};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yorisoi_store::today_jst;

#[derive(Template)]
#[template(path = "person_file.html")]
pub struct PersonFilePage {
    pub nav: Nav,
    pub id: i64,
    pub name: String,
    pub form: EditState<PersonFileInput>,
    pub recipients: Vec<(&'static str, &'static str, bool)>,
    pub methods: Vec<(&'static str, &'static str, bool)>,
}

fn page(
    user: &Authed,
    id: i64,
    name: String,
    form: EditState<PersonFileInput>,
    status: StatusCode,
) -> PageResult {
    let pick = |list: &[(&'static str, &'static str)], cur: &str| {
        list.iter().map(|(c, l)| (*c, *l, *c == cur)).collect()
    };
    render_status(
        &PersonFilePage {
            nav: Nav::new(user, "clients"),
            id,
            name,
            recipients: pick(RECIPIENTS, &form.input.recipient),
            methods: pick(METHODS, &form.input.method),
            form,
        },
        status,
    )
}

/// `GET /clients/{id}/person-file`
pub async fn form(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let name = person_file::may_disclose(&st, &user, id).await?;
    let input = PersonFileInput {
        requested_on: today_jst().to_string(),
        recipient: "person".into(),
        method: "paper".into(),
        ..Default::default()
    };
    page(&user, id, name, EditState::new(input, ""), StatusCode::OK)
}

/// `POST /clients/{id}/person-file`: checks the request, starts the job and shows its page.
pub async fn start(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<PersonFileInput>,
) -> PageResult {
    let name = person_file::may_disclose(&st, &user, id).await?;
    let started = input
        .check(id)
        .and_then(|spec| person_file::start(&st, &user, &name, spec));
    match started {
        Ok(job) => Ok(see_other(&format!("/documents/batch/{job}"))),
        Err(AppError::TooManyRequests(m)) => {
            let form = EditState {
                rule: m,
                ..EditState::new(input, "")
            };
            page(&user, id, name, form, StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) => {
            let form = EditState::refused(input, "", e, None)?;
            let status = form.status();
            page(&user, id, name, form, status)
        }
    }
}
