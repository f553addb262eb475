//! The second factor's handlers. Every one acts on the signed-in user (settings) or on the user
//! of this browser's pending sign-in (second step) — never on an id from the request.

use super::form::{CodeInput, ProofInput, SettingsQuery, StepInput};
use super::passkeys;
use super::view::{SettingsPage, Setup, StepPage, requirement_text};
use crate::AppState;
use crate::auth::cookies::{self, LOGIN_CSRF_COOKIE, set_cookie};
use crate::auth::{Authed, constant_time_eq};
use crate::error::{AppError, PageResult};
use crate::kit::form::Form;
use crate::kit::links::see_other;
use crate::kit::render::render_status;
use crate::kit::sign_in::{self, with_cookies};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use yorisoi_domain::second_factor::Requirement;
use yorisoi_store::second_factor::{self as store, MAX_SECOND_STEP_FAILURES, Purpose, Verified};
use yorisoi_store::{audit, sessions, users};

pub(super) const WRONG_CODE: &str =
    "コードが違います。認証アプリに表示されている6桁の数字（または回復コード）を入力してください。";
const THROTTLED: &str =
    "失敗が続いたため、しばらく確認できません。15分ほど待ってから、もう一度お試しください。";
pub(super) const SETTINGS: &str = "/account/second-factor";

/// Fills the settings page from the store.
pub(super) async fn settings_page(
    st: &AppState,
    headers: &HeaderMap,
    user: &Authed,
    mut page: SettingsPage,
) -> PageResult {
    let status = store::status(&st.store, user.user_id).await?;
    page.enrolled = status.enrolled;
    page.totp = status.totp;
    page.since = status.since.map(crate::kit::audit::jst).unwrap_or_default();
    page.recovery_left = status.recovery_left;
    if !status.enrolled
        && let Some(secret) = store::pending_secret(&st.store, user.user_id).await?
    {
        page.setup = Some(Setup::new(&user.login, user.office_id, &secret));
    }
    let req = sign_in::requirement(st, user.office_id, Some(user.role)).await?;
    page.required = requirement_text(req, status.enrolled);
    // TOTP may go while the policy does not require a second factor, or a passkey remains.
    page.may_disable = req == Requirement::None || status.passkeys > 0;
    page.may_remove_last = req == Requirement::None || status.totp;
    page.passkeys = passkeys::rows(st, user.user_id).await?;
    page.passkey_note = passkeys::unavailable(st, headers);
    let status_code = if page.error.is_empty() && page.passkey_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(&page, status_code)
}

pub async fn settings(
    State(st): State<AppState>,
    user: Authed,
    headers: HeaderMap,
    Query(q): Query<SettingsQuery>,
) -> PageResult {
    let mut page = SettingsPage::new(&user);
    page.notice = match q.saved.as_str() {
        "disabled" => "認証アプリによる確認を無効にしました。".into(),
        "passkey_removed" => "パスキーを削除しました。".into(),
        _ => String::new(),
    };
    settings_page(&st, &headers, &user, page).await
}

/// Starts (or restarts) a set-up: a new secret, shown until confirmed.
pub async fn start(State(st): State<AppState>, user: Authed) -> PageResult {
    store::begin_enrolment(&st.store, user.office_id, user.user_id).await?;
    Ok(see_other(SETTINGS))
}

/// Confirms the set-up with a current code; the recovery codes are shown once.
pub async fn confirm(
    State(st): State<AppState>,
    user: Authed,
    headers: HeaderMap,
    Form(input): Form<CodeInput>,
) -> PageResult {
    let now = yorisoi_store::now_utc();
    let mut page = SettingsPage::new(&user);
    match store::confirm_enrolment(&st.store, user.office_id, user.user_id, &input.code, now)
        .await?
    {
        Some(codes) => {
            page.codes = codes;
            page.notice = "二段階認証を有効にしました。次回のサインインから、パスワードのあとに認証アプリのコードを入力します。".into();
        }
        None => page.error = WRONG_CODE.into(),
    }
    settings_page(&st, &headers, &user, page).await
}

/// Whether the user proved who they are (their password, a code or a recovery code), under
/// the second step's own limit; a failure is written to the audit log.
pub(super) async fn proven(
    st: &AppState,
    user: &Authed,
    input: &ProofInput,
) -> Result<bool, AppError> {
    let now = yorisoi_store::now_utc();
    let claim =
        sessions::claim_second_step(&st.store, user.user_id, MAX_SECOND_STEP_FAILURES, now).await?;
    if !claim.allowed {
        audit::record_auth_event(&st.store, user.office_id, user.user_id, "sign_in_throttled")
            .await?;
        return Err(AppError::TooManyRequests(THROTTLED.into()));
    }
    let ok = if !input.password.is_empty() {
        let hash = users::get_plain(&st.store, user.user_id)
            .await?
            .password_hash;
        users::verify_blocking(&hash, &input.password).await?
    } else if !input.code.trim().is_empty() {
        store::verify(&st.store, user.office_id, user.user_id, &input.code, now).await?
            != Verified::Wrong
    } else {
        false
    };
    if ok {
        sessions::forgive(&st.store, &claim).await?;
    } else {
        store::record_failure(&st.store, user.office_id, user.user_id).await?;
    }
    Ok(ok)
}

/// New recovery codes (the old ones stop working), after proof.
pub async fn regenerate(
    State(st): State<AppState>,
    user: Authed,
    headers: HeaderMap,
    Form(input): Form<ProofInput>,
) -> PageResult {
    let mut page = SettingsPage::new(&user);
    if !store::enrolled(&st.store, user.user_id).await? {
        return Err(AppError::NotFound);
    }
    if proven(&st, &user, &input).await? {
        page.codes = store::regenerate_recovery(&st.store, user.office_id, user.user_id).await?;
        page.notice = "新しい回復コードを作りました。前の回復コードは使えなくなりました。".into();
    } else {
        page.error = "パスワードまたはコードが違います。".into();
    }
    settings_page(&st, &headers, &user, page).await
}

/// Turns the second factor off, after proof (refused while the office's policy requires it).
pub async fn disable(
    State(st): State<AppState>,
    user: Authed,
    headers: HeaderMap,
    Form(input): Form<ProofInput>,
) -> PageResult {
    let mut page = SettingsPage::new(&user);
    if !store::enrolled(&st.store, user.user_id).await? {
        return Err(AppError::NotFound);
    }
    if sign_in::requirement(&st, user.office_id, Some(user.role)).await? != Requirement::None {
        page.error = "事業所の方針で二段階認証が必要なため、無効にできません。認証アプリを替えるときは、管理者に相談してください。".into();
        return settings_page(&st, &headers, &user, page).await;
    }
    if proven(&st, &user, &input).await? {
        store::disable(&st.store, user.office_id, user.user_id).await?;
        Ok(see_other(&format!("{SETTINGS}?saved=disabled")))
    } else {
        page.error = "パスワードまたはコードが違います。".into();
        settings_page(&st, &headers, &user, page).await
    }
}

/// A fresh double-submit token for the second step's form, and the cookie that carries it.
pub(super) fn step_page(st: &AppState, page: StepPage, status: StatusCode) -> PageResult {
    let token = page.csrf.clone();
    let mut r = render_status(&page, status)?;
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(st, LOGIN_CSRF_COOKIE, &token, 600),
    );
    Ok(r)
}

pub(super) fn empty_step(name: &str) -> StepPage {
    StepPage {
        csrf: sessions::random_token(),
        name: name.into(),
        setup: None,
        codes: Vec::new(),
        next: String::new(),
        error: String::new(),
        totp: true,
        passkey_options: String::new(),
        passkey_note: String::new(),
        offer_passkey: false,
        passkey_create: String::new(),
    }
}

/// The second step's page for a pending sign-in: the code field when the user has the app, and
/// a fresh passkey challenge when they have passkeys.
pub(super) async fn verify_step(
    st: &AppState,
    headers: &HeaderMap,
    p: &store::Pending,
) -> Result<StepPage, AppError> {
    let mut page = empty_step(&p.user.display_name);
    page.totp = store::status(&st.store, p.user.id).await?.totp;
    passkeys::offer(st, headers, p, &mut page).await?;
    Ok(page)
}

pub(super) fn check_csrf(st: &AppState, headers: &HeaderMap, sent: &str) -> Result<(), AppError> {
    let cookie = cookies::get(st, headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !constant_time_eq(&cookie, sent) {
        return Err(AppError::Csrf);
    }
    Ok(())
}

/// The pending sign-in of this browser for `purpose`, or `None` (back to the sign-in page).
pub(super) async fn pending_for(
    st: &AppState,
    headers: &HeaderMap,
    purpose: Purpose,
) -> Result<Option<store::Pending>, AppError> {
    Ok(sign_in::pending(st, headers)
        .await?
        .filter(|p| p.purpose == purpose))
}

pub async fn step_form(State(st): State<AppState>, headers: HeaderMap) -> PageResult {
    let Some(p) = pending_for(&st, &headers, Purpose::Verify).await? else {
        return Ok(see_other("/login"));
    };
    let page = verify_step(&st, &headers, &p).await?;
    step_page(&st, page, StatusCode::OK)
}

/// Counts a second step under its own limit; `Err` with the page to show when over it.
pub(super) async fn claim_step(
    st: &AppState,
    p: &store::Pending,
) -> Result<Result<sessions::Claim, StepPage>, AppError> {
    let now = yorisoi_store::now_utc();
    let claim =
        sessions::claim_second_step(&st.store, p.user.id, MAX_SECOND_STEP_FAILURES, now).await?;
    if claim.allowed {
        return Ok(Ok(claim));
    }
    audit::record_auth_event(&st.store, p.user.office_id, p.user.id, "sign_in_throttled").await?;
    let mut page = empty_step(&p.user.display_name);
    page.error = THROTTLED.into();
    Ok(Err(page))
}

/// The code (or a recovery code) of a sign-in whose password was right: only now the session.
pub async fn step(
    State(st): State<AppState>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<StepInput>,
) -> PageResult {
    check_csrf(&st, &headers, &input.csrf)?;
    let Some(p) = pending_for(&st, &headers, Purpose::Verify).await? else {
        return Ok(see_other("/login"));
    };
    let claim = match claim_step(&st, &p).await? {
        Ok(c) => c,
        Err(page) => return step_page(&st, page, StatusCode::TOO_MANY_REQUESTS),
    };
    let now = yorisoi_store::now_utc();
    let verified = store::verify(&st.store, p.user.office_id, p.user.id, &input.code, now).await?;
    if verified == Verified::Wrong {
        store::record_failure(&st.store, p.user.office_id, p.user.id).await?;
        let mut page = verify_step(&st, &headers, &p).await?;
        page.error = WRONG_CODE.into();
        return step_page(&st, page, StatusCode::UNAUTHORIZED);
    }
    sessions::forgive(&st.store, &claim).await?;
    let Some(cookies) = finish_pending(&st, &headers, peer.map(|c| c.0.0), &p).await? else {
        return Ok(see_other("/login"));
    };
    let next = match verified {
        Verified::Recovery { left } if left <= 3 => SETTINGS.to_string(),
        _ => p.next,
    };
    Ok(with_cookies(see_other(&next), cookies))
}

/// Ends a pending sign-in whose second step (or set-up) succeeded and starts its session;
/// `None` when another request finished it first (then only that one has a session).
pub(super) async fn finish_pending(
    st: &AppState,
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
    p: &store::Pending,
) -> Result<Option<Vec<axum::http::HeaderValue>>, AppError> {
    if !store::end_pending(&st.store, p.id).await? {
        return Ok(None);
    }
    let address = sign_in::client_addr(st, headers, peer);
    Ok(Some(
        sign_in::start_session(st, headers, &p.user, &address).await?,
    ))
}

/// The set-up a user the policy requires it of meets right after their password.
pub async fn enrol_form(State(st): State<AppState>, headers: HeaderMap) -> PageResult {
    let Some(p) = pending_for(&st, &headers, Purpose::Enrol).await? else {
        return Ok(see_other("/login"));
    };
    let secret = match store::pending_secret(&st.store, p.user.id).await? {
        Some(s) => s,
        None => store::begin_enrolment(&st.store, p.user.office_id, p.user.id).await?,
    };
    let mut page = empty_step(&p.user.display_name);
    page.setup = Some(Setup::new(&p.user.login, p.user.office_id, &secret));
    page.offer_passkey = passkeys::unavailable(&st, &headers).is_empty();
    step_page(&st, page, StatusCode::OK)
}

pub async fn enrol(
    State(st): State<AppState>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<StepInput>,
) -> PageResult {
    check_csrf(&st, &headers, &input.csrf)?;
    let Some(p) = pending_for(&st, &headers, Purpose::Enrol).await? else {
        return Ok(see_other("/login"));
    };
    let claim = match claim_step(&st, &p).await? {
        Ok(c) => c,
        Err(page) => return step_page(&st, page, StatusCode::TOO_MANY_REQUESTS),
    };
    let now = yorisoi_store::now_utc();
    let Some(codes) =
        store::confirm_enrolment(&st.store, p.user.office_id, p.user.id, &input.code, now).await?
    else {
        let mut page = empty_step(&p.user.display_name);
        if let Some(secret) = store::pending_secret(&st.store, p.user.id).await? {
            page.setup = Some(Setup::new(&p.user.login, p.user.office_id, &secret));
        }
        page.offer_passkey = passkeys::unavailable(&st, &headers).is_empty();
        page.error = WRONG_CODE.into();
        return step_page(&st, page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    sessions::forgive(&st.store, &claim).await?;
    let Some(cookies) = finish_pending(&st, &headers, peer.map(|c| c.0.0), &p).await? else {
        return Ok(see_other("/login"));
    };
    let mut page = empty_step(&p.user.display_name);
    page.codes = codes;
    page.next = p.next;
    let r = render_status(&page, StatusCode::OK)?;
    Ok(with_cookies(r, cookies))
}
