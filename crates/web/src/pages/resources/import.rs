//! `POST /resources/import`: the directory from a spreadsheet, answered with every problem (and
//! nothing saved) or what was added.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::render::{Nav, render_status};
use crate::kit::resource_import::{self, ResourceImportDone};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use yorisoi_domain::import::RowError;

/// The answer to an import from a spreadsheet (the directory's, the care teams'): what was added
/// and skipped, or every problem with nothing saved.
#[derive(Template)]
#[template(path = "import_result.html")]
pub struct ImportResultPage {
    pub nav: Nav,
    pub heading: &'static str,
    pub back_href: &'static str,
    pub back_label: &'static str,
    pub message: String,
    pub problems: Vec<RowError>,
    /// Added, and the skipped rows as 「3行目: ひかり作業所」.
    pub done: Option<(usize, Vec<String>)>,
}

/// Reads a multipart upload (`csrf`, `file`): the file's bytes, or the page's answer.
pub async fn read_upload(
    user: &Authed,
    mut mp: Multipart,
) -> Result<Result<Vec<u8>, (String, StatusCode)>, AppError> {
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    let mut broken = false;
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => match field.bytes().await {
                    Ok(b) => file = Some(b.to_vec()),
                    Err(_) => {
                        broken = true;
                        break;
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                broken = true;
                break;
            }
        }
    }
    if !broken && !crate::auth::csrf::token_ok(user, &csrf) {
        return Err(AppError::Csrf);
    }
    if broken {
        return Ok(Err((
            "ファイルが大きすぎるか、送信が途中で切れました。5MBまでの .xlsx か CSV を選んでください。".into(),
            StatusCode::PAYLOAD_TOO_LARGE,
        )));
    }
    Ok(file.filter(|b| !b.is_empty()).ok_or_else(|| {
        (
            "ファイルを選んでください。".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    }))
}

pub async fn upload(State(st): State<AppState>, user: Authed, mp: Multipart) -> PageResult {
    let page = |message: String, problems, done, status| {
        render_status(
            &ImportResultPage {
                nav: Nav::new(&user, "resources"),
                heading: "社会資源の取り込み",
                back_href: "/resources",
                back_label: "社会資源の一覧",
                message,
                problems,
                done,
            },
            status,
        )
    };
    let bytes = match read_upload(&user, mp).await? {
        Ok(b) => b,
        Err((m, status)) => return page(m, Vec::new(), None, status),
    };
    match resource_import::run(&st.store, user.actor(), bytes, false).await? {
        Ok(d) => page(
            String::new(),
            Vec::new(),
            Some(done_lines(&d)),
            StatusCode::OK,
        ),
        Err(p) => page(p.message, p.rows, None, StatusCode::UNPROCESSABLE_ENTITY),
    }
}

fn done_lines(d: &ResourceImportDone) -> (usize, Vec<String>) {
    (
        d.created,
        d.skipped
            .iter()
            .map(|s| format!("{}行目: {}", s.row, s.name))
            .collect(),
    )
}
