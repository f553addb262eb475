//! Rendering a page, and what the layout needs about the signed-in user.

use crate::auth::Authed;
use crate::error::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

pub fn render_status<T: Template>(t: &T, status: StatusCode) -> Result<Response, AppError> {
    let mut r = render(t)?;
    *r.status_mut() = status;
    Ok(r)
}

/// What the layout needs about the user.
pub struct Nav {
    pub name: String,
    pub role: &'static str,
    pub is_admin: bool,
    pub csrf: String,
    pub section: &'static str,
}

impl Nav {
    pub fn new(u: &Authed, section: &'static str) -> Self {
        Nav {
            name: u.display_name.clone(),
            role: u.role.label(),
            is_admin: u.is_admin(),
            csrf: u.csrf.clone(),
            section,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub message: String,
}
