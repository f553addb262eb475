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

#[derive(Template)]
#[template(path = "resource_import.html")]
pub struct ResourceImportPage {
    pub nav: Nav,
    pub message: String,
    pub problems: Vec<RowError>,
    pub done: Option<ResourceImportDone>,
}

pub async fn upload(State(st): State<AppState>, user: Authed, mut mp: Multipart) -> PageResult {
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
    if !broken && !crate::auth::csrf::token_ok(&user, &csrf) {
        return Err(AppError::Csrf);
    }
    let page = |message: String, problems, done, status| {
        render_status(
            &ResourceImportPage {
                nav: Nav::new(&user, "resources"),
                message,
                problems,
                done,
            },
            status,
        )
    };
    if broken {
        return page(
            "ファイルが大きすぎるか、送信が途中で切れました。5MBまでの .xlsx か CSV を選んでください。".into(),
            Vec::new(),
            None,
            StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return page(
            "ファイルを選んでください。".into(),
            Vec::new(),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    match resource_import::run(&st.store, user.actor(), bytes, false).await? {
        Ok(done) => page(String::new(), Vec::new(), Some(done), StatusCode::OK),
        Err(p) => page(p.message, p.rows, None, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
