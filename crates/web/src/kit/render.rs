//! Rendering a page, and what the layout needs about the signed-in user.

use crate::auth::Authed;
use crate::error::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Where a refused form's error summary (`m::summary` in macros.html) is drawn beside its form,
/// it is moved to the top of `<main>`, where the page opens and the eye lands: a form at the
/// bottom of a long page no longer fails out of sight. One place, so every form gets it. The
/// markers cannot come from typed text (askama escapes `<`).
fn lift_error_summary(html: String) -> String {
    const START: &str = "<div class=\"alert error-summary\"";
    const END: &str = "<!--/error-summary-->";
    const MAIN: &str = "<main>";
    let (Some(main), Some(start)) = (html.find(MAIN), html.find(START)) else {
        return html;
    };
    let top = main + MAIN.len();
    let Some(end) = html[start..].find(END).map(|e| start + e + END.len()) else {
        return html;
    };
    if start < top {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..top]);
    out.push_str(&html[start..end]);
    out.push_str(&html[top..start]);
    out.push_str(&html[end..]);
    out
}

/// A page with its status. Only a refused form (a 4xx) can carry an error summary, so only
/// then is the page searched for one: scanning every 200 for it cost the dashboard, a page of
/// hundreds of kilobytes, about a tenth of its throughput (BENCHMARKS.md, session 10).
pub fn render_status<T: Template>(t: &T, status: StatusCode) -> Result<Response, AppError> {
    let html = t.render()?;
    let html = if status.is_client_error() {
        lift_error_summary(html)
    } else {
        html
    };
    let mut r = Html(html).into_response();
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
    /// Reads case content (plans, notes…): 一括印刷 and the note search are offered.
    pub reads_cases: bool,
}

impl Nav {
    pub fn new(u: &Authed, section: &'static str) -> Self {
        Nav {
            name: u.display_name.clone(),
            role: u.role.label(),
            is_admin: u.is_admin(),
            csrf: u.csrf.clone(),
            section,
            reads_cases: u.may(
                yorisoi_domain::policy::RecordKind::Plan,
                yorisoi_domain::policy::Action::Read,
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::lift_error_summary;

    #[test]
    fn the_error_summary_goes_to_the_top_of_main() {
        let page = concat!(
            "<header>x</header><main><h1>計画</h1><p>長い本文</p>",
            "<form><div class=\"alert error-summary\" role=\"alert\"><a href=\"#f-signer\">署名</a></div><!--/error-summary-->",
            "<input id=\"f-signer\"></form></main>"
        );
        assert_eq!(
            lift_error_summary(page.into()),
            concat!(
                "<header>x</header><main><div class=\"alert error-summary\" role=\"alert\"><a href=\"#f-signer\">署名</a></div><!--/error-summary-->",
                "<h1>計画</h1><p>長い本文</p><form><input id=\"f-signer\"></form></main>"
            )
        );
        let plain = "<main><h1>x</h1></main>".to_string();
        assert_eq!(lift_error_summary(plain.clone()), plain);
    }
}
