//! Sign-in and sign-out. Sign-in has no session yet: a double-submit cookie stands in for the
//! CSRF token. Failures are counted per account and per address (a sliding window).

use super::form::{LoginInput, LoginQuery};
use super::view::LoginPage;
use crate::AppState;
use crate::auth::Authed;
use crate::auth::constant_time_eq;
use crate::auth::cookies::{self, DEVICE_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, set_cookie};
use crate::error::AppError;
use crate::kit::form::Form;
use crate::kit::render::render;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use yorisoi_store::{audit, sessions, users};

/// Only local paths may be a redirect target after sign-in.
fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
    {
        next.to_string()
    } else {
        "/".into()
    }
}

const PARKED_NOTICE: &str = "ログインの有効期限が切れていたため、入力はまだ保存されていません。内容は保管してあります。もう一度サインインすると、保存の続きができます。";

pub async fn login_form(
    State(st): State<AppState>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let token = sessions::random_token();
    let page = LoginPage {
        csrf: token.clone(),
        login: String::new(),
        next: safe_next(&q.next),
        error: String::new(),
        notice: if q.parked == "1" {
            PARKED_NOTICE
        } else if q.expired == "1" {
            "操作のない時間が続いたため、ログインの有効期限が切れました。もう一度サインインしてください。"
        } else {
            ""
        },
    };
    let mut resp = render(&page)?;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&st, LOGIN_CSRF_COOKIE, &token, 3600),
    );
    Ok(resp)
}

pub async fn login(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<LoginInput>,
) -> Result<Response, AppError> {
    // Sign-in has no session yet: a double-submit cookie stands in for the CSRF token.
    let cookie_token = cookies::get(&st, &headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !constant_time_eq(&cookie_token, &input.csrf) {
        return Err(AppError::Csrf);
    }
    let next = safe_next(&input.next);
    let again = |status: StatusCode, error: &str| -> Result<Response, AppError> {
        let page = LoginPage {
            csrf: input.csrf.clone(),
            login: input.login.clone(),
            next: next.clone(),
            error: error.into(),
            notice: if next == crate::auth::park::RESTORE {
                PARKED_NOTICE
            } else {
                ""
            },
        };
        let mut r = render(&page)?;
        *r.status_mut() = status;
        Ok(r)
    };
    let login = yorisoi_domain::text::nfkc(&input.login).to_lowercase();
    if login.is_empty() || input.password.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ログインIDとパスワードを入力してください。",
        );
    }
    if login.chars().count() > 64 || input.password.chars().count() > 256 {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ログインIDまたはパスワードが違います。",
        );
    }
    let now = yorisoi_store::now_utc();
    let user = users::find_by_login(&st.store, &login).await?;
    let device = cookies::get(&st, &headers, DEVICE_COOKIE).filter(|d| d.len() == 43);
    let known_device = match (&user, &device) {
        (Some(u), Some(d)) if sessions::device_known(&st.store, u.id, d).await? => {
            Some(sessions::token_hash(d))
        }
        _ => None,
    };
    let address = crate::kit::sign_in::client_addr(&st, &headers, peer.map(|c| c.0.0));
    // Counted before the password is checked, so a burst cannot slip past the limit.
    let claim = sessions::claim_attempt(
        &st.store,
        &sessions::Attempt {
            login: &login,
            address: &address,
            known_device: known_device.as_deref(),
        },
        now,
    )
    .await?;
    if !claim.allowed {
        if let Some(u) = &user {
            audit::record_auth_event(&st.store, u.office_id, u.id, "sign_in_throttled").await?;
        }
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "失敗が続いたため、しばらくサインインできません。15分ほど待ってから、もう一度お試しください。続く場合は管理者に解除を頼んでください。",
        );
    }
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| users::dummy_hash().to_string());
    let verified = users::verify_blocking(&hash, &input.password).await?;
    let user = match user {
        Some(u) if verified && u.active => u,
        other => {
            if let Some(u) = other {
                audit::record_auth_event(&st.store, u.office_id, u.id, "sign_in_failed").await?;
            }
            return again(
                StatusCode::UNAUTHORIZED,
                "ログインIDまたはパスワードが違います。",
            );
        }
    };
    sessions::forgive(&st.store, &claim).await?;
    crate::kit::sign_in::after_password(&st, &headers, &user, &next, &address).await
}

pub async fn logout(State(st): State<AppState>, user: Authed) -> Result<Response, AppError> {
    if let Some(sid) = user.session_id {
        sessions::delete(&st.store, sid).await?;
        audit::record_auth_event(&st.store, user.office_id, user.user_id, "sign_out").await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    *resp.status_mut() = StatusCode::SEE_OTHER;
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&st, SESSION_COOKIE, "", 0));
    Ok(resp)
}

/// 保存されていない入力: the forms kept when they arrived after the session expired.
pub async fn restore_page(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<crate::kit::links::Saved>,
) -> Result<Response, AppError> {
    let kept = yorisoi_store::parked::list(&st.store, user.user_id, yorisoi_store::now_utc())
        .await?
        .into_iter()
        .filter_map(|p| super::view::KeptForm::new(p, &user.csrf))
        .collect();
    render(&super::view::RestorePage {
        nav: crate::kit::render::Nav::new(&user, ""),
        kept,
        message: if q.saved == "discarded" {
            "保管していた入力を破棄しました。"
        } else {
            ""
        },
    })
}

/// Gives up a kept form.
pub async fn discard(
    State(st): State<AppState>,
    user: Authed,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, AppError> {
    if !yorisoi_store::parked::take(&st.store, user.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record_auth_event(&st.store, user.office_id, user.user_id, "form_discarded").await?;
    Ok(crate::kit::links::see_other(
        "/session/restore?saved=discarded",
    ))
}

/// Keeps the session alive while someone types (app.js asks at most once a minute while a form
/// is being filled): 204 while signed in — `resolve` has just refreshed the idle clock — and 401
/// once the session has ended, so the page can say so before the text is sent.
pub async fn alive(req: axum::extract::Request) -> Response {
    let status = if req.extensions().get::<Authed>().is_some() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::UNAUTHORIZED
    };
    let mut r = status.into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}
