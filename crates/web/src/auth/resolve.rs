//! Resolving the user of a request: a `Bearer` API token, or the session cookie.

use super::Authed;
use super::cookies::{self, SESSION_COOKIE};
use crate::AppState;
use crate::error::{ApiError, AppError};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yorisoi_domain::policy::Role;
use yorisoi_store::api_tokens::TokenScope;
use yorisoi_store::sessions;

/// Puts the [`Authed`] user in the request's extensions when there is one. A token that is
/// sent but not valid is refused at once (401), whatever the route.
pub async fn resolve(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = yorisoi_store::now_utc();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let mut calendar = yorisoi_domain::date::DateStyle::default();
    let authed = if let Some(token) = bearer {
        match yorisoi_store::api_tokens::authenticate(&st.store, &token).await {
            Ok(Some((_, TokenScope::Read))) if !req.method().is_safe() => {
                return ApiError(AppError::Forbidden(
                    "このAPIトークンは読み取り専用です。変更には「読み書き」のトークンを発行してもらってください。"
                        .into(),
                ))
                .into_response();
            }
            Ok(Some((u, _))) => to_authed(u, String::new(), None, None),
            Ok(None) => return ApiError(AppError::Unauthorized).into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(token) = cookies::get(&st, req.headers(), SESSION_COOKIE) {
        // Only the home page shows the second-factor notice: only its lookup reads what for.
        let for_home = req.uri().path() == "/";
        match sessions::lookup_or_expired(&st.store, &token, now, for_home).await {
            Ok(sessions::Lookup::Live(s)) => {
                calendar = s.dates;
                to_authed(s.user, s.csrf_token, Some(s.session_id), s.second_factor)
            }
            Ok(sessions::Lookup::Expired(e)) => {
                // Not signed in; but a form it sent can be kept (`auth::park`), and sign-in
                // can say why it is asked again.
                req.extensions_mut().insert(e);
                None
            }
            Ok(sessions::Lookup::Unknown) => None,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    if let Some(a) = authed {
        req.extensions_mut().insert(a);
    }
    crate::kit::display::with_calendar(calendar, next.run(req)).await
}

fn to_authed(
    u: yorisoi_store::entities::user::Model,
    csrf: String,
    session_id: Option<i64>,
    second_factor: Option<sessions::SecondFactor>,
) -> Option<Authed> {
    let role = Role::from_code(&u.role)?;
    let second_factor_due = second_factor
        .as_ref()
        .and_then(|f| crate::kit::sign_in::second_factor_due(role, f));
    Some(Authed {
        user_id: u.id,
        office_id: u.office_id,
        role,
        display_name: u.display_name,
        login: u.login,
        csrf,
        session_id,
        must_change_password: u.must_change_password,
        home_second_factor_due: second_factor_due,
    })
}
