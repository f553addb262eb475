//! HTML pages, one module per resource. Each handler opens one unit of work (`Tx`) for the
//! signed-in user, asks for access, reads or writes, and commits (which writes the audit).

pub mod admin;
pub mod assessment_form;
pub mod assessments;
pub mod batch;
pub mod cases;
pub mod certificates;
pub mod clients;
pub mod decision_form;
pub mod decisions;
pub mod doc_settings;
pub mod documents;
pub mod form_kit;
pub mod home;
pub mod meetings;
pub mod monitorings;
pub mod notes;
pub mod plan_form;
pub mod plans;
pub mod resources;
pub mod team;
pub mod timeline;

use crate::error::AppError;
use crate::views::{ClientRow, date, odate};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use yorisoi_domain::policy::Role;
use yorisoi_store::Tx;
use yorisoi_store::clients::Client;

/// Staff of the office by id → display name.
pub async fn staff_names(tx: &Tx) -> Result<HashMap<i64, String>, AppError> {
    Ok(yorisoi_store::users::names(tx).await?.into_iter().collect())
}

/// Staff who can be assigned clients, as (id, name) options.
pub async fn assignable_staff(tx: &Tx) -> Result<Vec<(String, String)>, AppError> {
    Ok(yorisoi_store::users::list(tx)
        .await?
        .into_iter()
        .filter(|u| u.active && Role::from_code(&u.role) != Some(Role::Clerk))
        .map(|u| (u.id.to_string(), u.display_name))
        .collect())
}

pub fn client_row(c: &Client, staff: &HashMap<i64, String>, today: chrono::NaiveDate) -> ClientRow {
    let r = &c.record;
    ClientRow {
        id: c.id,
        name: r.full_name(),
        kana: format!("{} {}", r.family_name_kana, r.given_name_kana),
        birth: date(r.birth_date),
        age: crate::views::age(r.birth_date),
        sex: r.sex.label(),
        status: r.status.label(),
        staff: c
            .assigned_user_id
            .and_then(|u| staff.get(&u).cloned())
            .unwrap_or_else(|| "未割当".into()),
        cert_until: if c.cert_until.is_some() {
            odate(c.cert_until)
        } else {
            "未登録".into()
        },
        cert_warn: c
            .cert_until
            .is_some_and(|u| u <= today + chrono::Duration::days(60)),
        category: r.support_category.label(),
    }
}

/// The `?saved=` a page is redirected to after a successful POST, to say what was saved.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Saved {
    pub saved: String,
}

/// 303 to `to` after a successful POST.
pub fn see_other(to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    r
}

/// Parses an id from a form field, or refuses with a message.
pub fn parse_id(v: &str, what: &str) -> Result<i64, AppError> {
    v.trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{what}を一覧から選んでください。")))
}

/// A link to `page` (0-based) of a list at `path`, keeping the non-empty filters.
pub fn page_link(path: &str, filters: &[(&str, &str)], page: u64) -> String {
    let kept: Vec<_> = filters.iter().filter(|(_, v)| !v.is_empty()).collect();
    let mut s = serde_urlencoded::to_string(kept).unwrap_or_default();
    if !s.is_empty() {
        s.push('&');
    }
    format!("{path}?{s}page={}", page + 1)
}
