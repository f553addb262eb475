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
    let summary = name_the_fields(&html[start..end], &html);
    let mut out = String::with_capacity(html.len() + summary.len() - (end - start));
    out.push_str(&html[..top]);
    out.push_str(&summary);
    out.push_str(&html[top..start]);
    out.push_str(&html[end..]);
    out
}

/// Leads each message of a summary with the label of the field it links to: read at the top of
/// the page, far from its form, 「入力してください。」 alone does not say which field
/// (WCAG 3.3.1). A link whose field has no plain label is left as it was.
fn name_the_fields(summary: &str, page: &str) -> String {
    const LINK: &str = "<a href=\"#";
    let mut out = String::with_capacity(summary.len() + 64);
    let mut rest = summary;
    while let Some(at) = rest.find(LINK) {
        let after = &rest[at + LINK.len()..];
        let Some((id, tail)) = after.split_once("\">") else {
            break;
        };
        out.push_str(&rest[..at + LINK.len() + id.len() + 2]);
        match label_of(page, id) {
            Some(label) if !tail.starts_with(label) => {
                out.push_str(label);
                out.push('：');
            }
            _ => {}
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The plain label the page gives the element `id`: `<label for="id">…</label>`, or the legend
/// of the fieldset `id`. Long labels lose their parenthesised hint. `None` when there is no
/// such label, or it holds markup.
fn label_of<'a>(page: &'a str, id: &str) -> Option<&'a str> {
    let label = if let Some(i) = page.find(&format!("<label for=\"{id}\">")) {
        let text = &page[i + id.len() + 14..];
        &text[..text.find("</label>")?]
    } else {
        let i = page.find(&format!(" id=\"{id}\""))?;
        let tag = &page[page[..i].rfind('<')?..];
        if !tag.starts_with("<fieldset") {
            return None;
        }
        let inner = tag[tag.find('>')? + 1..].trim_start();
        let text = inner.strip_prefix("<legend>")?;
        &text[..text.find("</legend>")?]
    };
    let label = label.trim();
    let label = match label.find('（') {
        Some(p) if label.chars().count() > 24 && p > 0 => &label[..p],
        _ => label,
    };
    (!label.is_empty() && !label.contains(['<', '>'])).then_some(label)
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
    /// Reads and raises 地域課題: the menu entry and the 「地域課題として記録」 links.
    pub issues: bool,
    /// An outside member of a care team: the menu shows only what is shared with them.
    pub outside: bool,
    /// A region's secretariat: the menu shows only the region.
    pub region_only: bool,
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
            issues: u.may(
                yorisoi_domain::policy::RecordKind::RegionalIssue,
                yorisoi_domain::policy::Action::Write,
            ),
            outside: u.is_outside(),
            region_only: u.role == yorisoi_domain::policy::Role::Region,
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

    #[test]
    fn each_message_is_led_by_its_fields_label() {
        let page = concat!(
            "<main><form><div class=\"alert error-summary\" role=\"alert\"><ul>",
            "<li><a href=\"#f-signer\">入力してください。</a></li>",
            "<li><a href=\"#f-kinds\">一覧にない値が含まれています。</a></li>",
            "<li><a href=\"#f-family-1\">続柄を書いてください。</a></li>",
            "<li><a href=\"#f-kana\">ふりがなを入力してください。</a></li>",
            "<li><a href=\"#f-subject\">入力してください。</a></li>",
            "</ul></div><!--/error-summary-->",
            "<label for=\"f-signer\">署名した人</label><input id=\"f-signer\">",
            "<fieldset id=\"f-kinds\" tabindex=\"-1\" class=\"field\">\n  <legend>障害種別</legend></fieldset>",
            "<tr id=\"f-family-1\"><th>2</th></tr>",
            "<label for=\"f-kana\">ふりがな</label>",
            "<label for=\"f-subject\">誰の情報か（本人なら空欄。家族は、その人の名前と同じに。例: 兄）</label>",
            "</form></main>"
        );
        let out = lift_error_summary(page.into());
        for named in [
            "<a href=\"#f-signer\">署名した人：入力してください。</a>",
            "<a href=\"#f-kinds\">障害種別：一覧にない値が含まれています。</a>",
            "<a href=\"#f-family-1\">続柄を書いてください。</a>",
            "<a href=\"#f-kana\">ふりがなを入力してください。</a>",
            "<a href=\"#f-subject\">誰の情報か：入力してください。</a>",
        ] {
            assert!(out.contains(named), "{named} in {out}");
        }
    }
}
