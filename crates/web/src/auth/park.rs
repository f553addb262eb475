//! A form that arrives after its session expired is not lost: when it carries the expired
//! session's own CSRF token (so it is that user's, from that browser), its body is kept
//! (`store::parked`) and sign-in leads to `/session/restore`, where the user saves it again.
//! A form sent from the restore page names the kept form it came from (`restored_from`), which
//! is then removed. Layered on the page routes, outside the CSRF check.

use super::Authed;
use crate::AppState;
use crate::error::AppError;
use crate::kit::form::MAX_FORM;
use crate::kit::links::see_other;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yorisoi_store::sessions::ExpiredSession;
use yorisoi_store::{audit, parked};

/// Where sign-in leads after a form was kept.
pub const RESTORE: &str = "/session/restore";
/// The field a re-sent form carries.
pub const RESTORED_FROM: &str = "restored_from";

/// The local path of the page the form was on (from `Referer`), or "".
fn page_of(headers: &HeaderMap) -> String {
    let Some(r) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) else {
        return String::new();
    };
    let path = match r.find("://") {
        Some(i) => r[i + 3..].find('/').map(|j| &r[i + 3 + j..]).unwrap_or("/"),
        None => r,
    };
    if path.starts_with('/') && !path.starts_with("//") && !path.chars().any(char::is_control) {
        path.to_string()
    } else {
        String::new()
    }
}

pub async fn park(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || !crate::kit::form::is_urlencoded(req.headers()) {
        return next.run(req).await;
    }
    let expired = req.extensions().get::<ExpiredSession>().cloned();
    let authed = req.extensions().get::<Authed>().cloned();
    match (authed, expired) {
        // Signing out of an ended session needs nothing kept: sign-in is where it leads anyway.
        (None, Some(_)) if req.uri().path() == "/logout" => see_other("/login?expired=1"),
        (None, Some(e)) => keep(&st, e, req).await.unwrap_or_else(|r| r),
        (Some(a), _) if a.session_id.is_some() => match forget_restored(&st, &a, req).await {
            Ok(req) => next.run(req).await,
            Err(r) => r,
        },
        _ => next.run(req).await,
    }
}

/// Keeps the body of a form its expired session sent, and sends the browser to sign in.
async fn keep(st: &AppState, e: ExpiredSession, req: Request) -> Result<Response, Response> {
    let path = req.uri().path().to_string();
    let page = page_of(req.headers());
    let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM)
        .await
        .map_err(|_| AppError::PayloadTooLarge.into_response())?;
    let csrf_ok = super::csrf::form_field(&bytes, "csrf")
        .is_some_and(|t| super::constant_time_eq(&t, &e.csrf_token));
    let body = std::str::from_utf8(&bytes).ok();
    let Some(body) = body.filter(|_| csrf_ok) else {
        // Not provably this user's form from this browser: nothing is kept.
        return Ok(see_other("/login?expired=1"));
    };
    parked::park(&st.store, e.user_id, &path, &page, body)
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    audit::record_auth_event(&st.store, e.office_id, e.user_id, "form_parked")
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    Ok(see_other(&format!(
        "/login?next={}&parked=1",
        percent_encoding::utf8_percent_encode(RESTORE, percent_encoding::NON_ALPHANUMERIC)
    )))
}

/// A form re-sent from the restore page: its kept copy is removed (the handler then saves it,
/// or shows it again with its errors, as any form).
async fn forget_restored(st: &AppState, a: &Authed, req: Request) -> Result<Request, Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM)
        .await
        .map_err(|_| AppError::PayloadTooLarge.into_response())?;
    // Cheap test first: nearly every form has no such field.
    if memchr_find(&bytes, RESTORED_FROM.as_bytes())
        && let Some(id) =
            super::csrf::form_field(&bytes, RESTORED_FROM).and_then(|v| v.parse::<i64>().ok())
    {
        let taken = parked::take(&st.store, a.user_id, id)
            .await
            .map_err(|err| AppError::from(err).into_response())?;
        if taken {
            audit::record_auth_event(&st.store, a.office_id, a.user_id, "form_restored")
                .await
                .map_err(|err| AppError::from(err).into_response())?;
        }
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_a_local_path_only() {
        let mut h = HeaderMap::new();
        assert_eq!(page_of(&h), "");
        h.insert(
            header::REFERER,
            "http://localhost:8080/assessments/3/section/wishes?x=1"
                .parse()
                .unwrap(),
        );
        assert_eq!(page_of(&h), "/assessments/3/section/wishes?x=1");
        h.insert(header::REFERER, "https://example.org".parse().unwrap());
        assert_eq!(page_of(&h), "/");
        h.insert(header::REFERER, "//evil.example/x".parse().unwrap());
        assert_eq!(page_of(&h), "");
    }

    #[test]
    fn the_restore_marker_is_found_only_when_present() {
        assert!(memchr_find(b"csrf=a&restored_from=3", b"restored_from"));
        assert!(!memchr_find(b"csrf=a&note=x", b"restored_from"));
        assert!(!memchr_find(b"", b"restored_from"));
    }
}
