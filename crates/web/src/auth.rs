//! Who is asking: a server-side session (cookie) or a personal API token (Bearer). Also the
//! CSRF check for every state-changing request made with a cookie, and sign-in / sign-out.

use crate::AppState;
use crate::error::AppError;
use crate::forms::Form;
use crate::views::{LoginPage, render};
use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use yorisoi_domain::policy::{Actor, Role};
use yorisoi_store::{audit, sessions, users};

pub const SESSION_COOKIE: &str = "yorisoi_session";
pub const LOGIN_CSRF_COOKIE: &str = "yorisoi_login";

/// The signed-in user, put in the request's extensions by [`resolve`].
#[derive(Debug, Clone)]
pub struct Authed {
    pub user_id: i64,
    pub office_id: i64,
    pub role: Role,
    pub display_name: String,
    pub login: String,
    /// The session's CSRF token (empty for API tokens, which are not sent by browsers).
    pub csrf: String,
    pub session_id: Option<i64>,
}

impl Authed {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            office_id: self.office_id,
            role: self.role,
        }
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn can_assign(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Lead)
    }
    pub fn sees_cases(&self) -> bool {
        self.role != Role::Clerk
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(a) = parts.extensions.get::<Authed>() {
            return Ok(a.clone());
        }
        if parts.uri.path().starts_with("/api/") {
            return Err(crate::api::ApiError::Unauthorized.into_response());
        }
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = if next == "/" {
            "/login".to_string()
        } else {
            format!(
                "/login?next={}",
                percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
            )
        };
        Err(Redirect::to(&target).into_response())
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Resolves the user and enforces CSRF on unsafe methods for cookie sessions.
pub async fn resolve(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let now = yorisoi_store::now_utc();
    let mut authed = None;
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    if let Some(token) = bearer {
        match yorisoi_store::api_tokens::authenticate(&st.store, token.trim()).await {
            Ok(Some(u)) => authed = to_authed(u, String::new(), None),
            Ok(None) => return crate::api::ApiError::Unauthorized.into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        match sessions::lookup(&st.store, &token, now).await {
            Ok(Some(s)) => authed = to_authed(s.user, s.csrf_token, Some(s.session_id)),
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    // Sign-in has its own double-submit check (a browser may still hold an old session).
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    if unsafe_method && multipart && authed.as_ref().is_some_and(|a| a.session_id.is_some()) {
        // A file upload is too large to buffer here and its token is a multipart field: only the
        // upload route may take one, and it checks the token itself with `csrf_ok`. Any other
        // route refuses multipart outright, so the type cannot be used to skip the check.
        if !is_upload_path(parts.uri.path()) {
            return csrf_failure(&parts);
        }
    } else if unsafe_method
        && parts.uri.path() != "/login"
        && let Some(a) = authed.as_ref().filter(|a| a.session_id.is_some())
    {
        // Cookie-authenticated writes must carry the session's token: in a header (API,
        // scripts) or in the form's `csrf` field.
        let header_token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = match axum::body::to_bytes(body, 1024 * 1024).await {
            Ok(b) => b,
            Err(_) => {
                return AppError::BadRequest("送信された内容が大きすぎます（1MBまで）。".into())
                    .into_response();
            }
        };
        let form_token = form_field(&bytes, "csrf");
        let ok = header_token
            .or(form_token)
            .is_some_and(|t| constant_time_eq(&t, &a.csrf));
        if !ok {
            return csrf_failure(&parts);
        }
        body = axum::body::Body::from(bytes);
    }
    if let Some(a) = authed {
        parts.extensions.insert(a);
    }
    next.run(Request::from_parts(parts, body)).await
}

/// `/plans/{id}/rows/{key}/file`: the one route that takes a multipart body.
pub fn is_upload_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    matches!(parts.as_slice(), ["", "plans", id, "rows", key, "file"] if num(id) && num(key))
}

/// The upload handler's own CSRF check (API tokens carry no session and need none).
pub fn csrf_ok(user: &Authed, token: &str) -> bool {
    user.session_id.is_none() || constant_time_eq(token, &user.csrf)
}

fn csrf_failure(parts: &Parts) -> Response {
    if parts.uri.path().starts_with("/api/") {
        crate::api::ApiError::Csrf.into_response()
    } else {
        AppError::Csrf.into_response()
    }
}

pub fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_html_form::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn to_authed(
    u: yorisoi_store::entities::user::Model,
    csrf: String,
    session_id: Option<i64>,
) -> Option<Authed> {
    let role = Role::from_code(&u.role)?;
    Some(Authed {
        user_id: u.id,
        office_id: u.office_id,
        role,
        display_name: u.display_name,
        login: u.login,
        csrf,
        session_id,
    })
}

fn set_cookie(st: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    pub next: String,
}

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
    };
    let mut resp = render(&page)?;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&st, LOGIN_CSRF_COOKIE, &token, 3600),
    );
    Ok(resp)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub login: String,
    pub password: String,
    pub csrf: String,
    pub next: String,
}

fn client_addr(st: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if st.config.trust_forwarded_for
        && let Some(f) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = f.split(',').next()
    {
        return first.trim().to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub async fn login(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<LoginInput>,
) -> Result<Response, AppError> {
    // Sign-in has no session yet: a double-submit cookie stands in for the CSRF token.
    let cookie_token = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
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
    let account_key = format!("login:{login}");
    let addr_key = format!("addr:{}", client_addr(&st, &headers, peer.map(|c| c.0.0)));
    if sessions::recent_failures(&st.store, &account_key, now).await? >= sessions::MAX_PER_ACCOUNT
        || sessions::recent_failures(&st.store, &addr_key, now).await? >= sessions::MAX_PER_ADDRESS
    {
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "失敗が続いたため、しばらくサインインできません。15分ほど待ってから、もう一度お試しください。",
        );
    }
    let user = users::find_by_login(&st.store, &login).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| users::dummy_hash().to_string());
    let password = input.password.clone();
    let verified = tokio::task::spawn_blocking(move || users::verify_password(&hash, &password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let user = match user {
        Some(u) if verified && u.active => u,
        _ => {
            sessions::record_failure(&st.store, &account_key, now).await?;
            sessions::record_failure(&st.store, &addr_key, now).await?;
            return again(
                StatusCode::UNAUTHORIZED,
                "ログインIDまたはパスワードが違います。",
            );
        }
    };
    sessions::clear_failures(&st.store, &account_key).await?;
    // A fresh session id at every sign-in; any session the browser held is ended.
    if let Some(old) = cookie(&headers, SESSION_COOKIE)
        && let Some(s) = sessions::lookup(&st.store, &old, now).await?
    {
        sessions::delete(&st.store, s.session_id).await?;
    }
    let s = sessions::create(&st.store, user.id).await?;
    audit::record_auth_event(&st.store, user.office_id, user.id, "sign_in").await?;
    let mut resp = Redirect::to(&next).into_response();
    *resp.status_mut() = StatusCode::SEE_OTHER;
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            &st,
            SESSION_COOKIE,
            &s.token,
            sessions::ABSOLUTE_TIMEOUT.num_seconds(),
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&st, LOGIN_CSRF_COOKIE, "", 0),
    );
    Ok(resp)
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
