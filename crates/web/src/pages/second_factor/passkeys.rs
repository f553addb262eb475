//! パスキー: registering one from the user's own settings (the password first, then the
//! device's own check), removing one, and answering a sign-in's second step with one. Every
//! route acts on the signed-in or pending user only; the passkey to remove is looked up among
//! the user's own.

use super::form::{EnrolPasskey, PasskeyFinish, PasskeyStart, PasskeyStep, ProofInput};
use super::handlers::{
    SETTINGS, check_csrf, claim_step, empty_step, finish_pending, pending_for, proven,
    settings_page, step_page, verify_step,
};
use super::view::{PasskeyRow, RegisterPage, SettingsPage, StepPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::Form;
use crate::kit::links::see_other;
use crate::kit::passkey::{self as rp, RelyingParty};
use crate::kit::render::{Nav, render};
use crate::kit::sign_in::{self, with_cookies};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use yorisoi_store::passkeys::{self as store, Ceremony, NewPasskey};
use yorisoi_store::second_factor::{self as sf, Purpose};
use yorisoi_store::{StoreError, sessions};

/// The user's passkeys as listed on the settings page.
pub(super) async fn rows(st: &AppState, user_id: i64) -> Result<Vec<PasskeyRow>, AppError> {
    Ok(store::list(&st.store, user_id)
        .await?
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.id,
            name: p.name,
            created: crate::kit::audit::jst(p.created_at),
            last_used: p
                .last_used_at
                .map(crate::kit::audit::jst)
                .unwrap_or_else(|| "未使用".into()),
        })
        .collect())
}

/// Why passkeys cannot be used from the address this page was opened at (empty: they can).
pub(super) fn unavailable(st: &AppState, headers: &HeaderMap) -> String {
    match st.passkeys.as_ref() {
        None => {
            "この yorisoi ではパスキーを使えません（公開URLの設定を管理者に確認してください）。"
                .into()
        }
        Some(party) if !party.serves(headers) => party.where_to_open(),
        Some(_) => String::new(),
    }
}

/// The relying party when this address can carry passkeys.
fn party<'a>(st: &'a AppState, headers: &HeaderMap) -> Option<&'a RelyingParty> {
    st.passkeys.as_ref().as_ref().filter(|p| p.serves(headers))
}

/// The user's passkeys as the library's credentials (a row that no longer reads is skipped:
/// it cannot answer a challenge anyway).
async fn credentials(
    st: &AppState,
    user_id: i64,
) -> Result<Vec<(store::Passkey, webauthn_rs::prelude::Passkey)>, AppError> {
    Ok(store::list(&st.store, user_id)
        .await?
        .into_iter()
        .filter_map(|p| rp::from_stored(&p.credential).map(|c| (p, c)))
        .collect())
}

/// Puts a fresh passkey challenge on the second step's page, when the user has passkeys.
pub(super) async fn offer(
    st: &AppState,
    headers: &HeaderMap,
    p: &sf::Pending,
    page: &mut StepPage,
) -> Result<(), AppError> {
    let creds = credentials(st, p.user.id).await?;
    if creds.is_empty() {
        return Ok(());
    }
    let Some(party) = party(st, headers) else {
        page.passkey_note = unavailable(st, headers);
        return Ok(());
    };
    let keys: Vec<_> = creds.into_iter().map(|(_, c)| c).collect();
    match party.start_authentication(&keys) {
        Ok((options, state)) => {
            store::save_challenge(&st.store, p.user.id, Ceremony::SignIn(p.id), &state).await?;
            page.passkey_options = options;
        }
        Err(e) => page.passkey_note = e.0,
    }
    Ok(())
}

/// 「パスキーを登録」: after the password, the page that asks the device.
pub async fn start(
    State(st): State<AppState>,
    headers: HeaderMap,
    user: Authed,
    Form(input): Form<PasskeyStart>,
) -> PageResult {
    let mut page = SettingsPage::new(&user);
    page.passkey_name = input.name.clone();
    let Some(party) = party(&st, &headers) else {
        page.passkey_error = unavailable(&st, &headers);
        return settings_page(&st, &headers, &user, page).await;
    };
    let name = match store::clean_name(&input.name) {
        Ok(n) => n,
        Err(why) => {
            page.passkey_error = why;
            return settings_page(&st, &headers, &user, page).await;
        }
    };
    let proof = ProofInput {
        password: input.password.clone(),
        code: String::new(),
    };
    if input.password.is_empty() || !proven(&st, &user, &proof).await? {
        page.passkey_error =
            "パスワードが違います。確認のため、今のパスワードを入力してください。".into();
        return settings_page(&st, &headers, &user, page).await;
    }
    let existing: Vec<_> = credentials(&st, user.user_id)
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let handle = store::user_handle(&st.store, user.user_id)
        .await?
        .and_then(|h| rp::parse_user_handle(&h))
        .unwrap_or_else(rp::new_user_handle);
    let (options, state) =
        match party.start_registration(handle, &user.login, &user.display_name, &existing) {
            Ok(x) => x,
            Err(e) => {
                page.passkey_error = e.0;
                return settings_page(&st, &headers, &user, page).await;
            }
        };
    // The user handle rides in the state: the finish stores the one the device was given.
    let kept = serde_json::json!({ "handle": handle.to_string(), "state": state }).to_string();
    store::save_challenge(&st.store, user.user_id, Ceremony::Register, &kept).await?;
    render(&RegisterPage {
        nav: Nav::new(&user, "second_factor"),
        name,
        options,
    })
}

/// The device's answer to a registration: checked, stored, and the settings page with the
/// recovery codes when it is the user's first second factor.
pub async fn finish(
    State(st): State<AppState>,
    headers: HeaderMap,
    user: Authed,
    Form(input): Form<PasskeyFinish>,
) -> PageResult {
    let mut page = SettingsPage::new(&user);
    page.passkey_name = input.name.clone();
    let Some(party) = party(&st, &headers) else {
        page.passkey_error = unavailable(&st, &headers);
        return settings_page(&st, &headers, &user, page).await;
    };
    let again = "登録の手続きが見つからないか、5分を過ぎました。もう一度「パスキーを登録」からやり直してください。";
    let Some(kept) = store::take_challenge(&st.store, user.user_id, Ceremony::Register).await?
    else {
        page.passkey_error = again.into();
        return settings_page(&st, &headers, &user, page).await;
    };
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap_or_default();
    let (Some(handle), Some(state)) = (kept["handle"].as_str(), kept["state"].as_str()) else {
        page.passkey_error = again.into();
        return settings_page(&st, &headers, &user, page).await;
    };
    // The library refuses an excluded (already registered) key with a misleading message; say
    // what happened instead.
    let answered_id = serde_json::from_str::<serde_json::Value>(&input.credential)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_string));
    if let Some(id) = answered_id
        && store::list(&st.store, user.user_id)
            .await?
            .iter()
            .any(|p| p.credential_id == id)
    {
        page.passkey_error = "このパスキーはすでに登録されています。".into();
        return settings_page(&st, &headers, &user, page).await;
    }
    let credential = match party.finish_registration(&input.credential, state) {
        Ok(c) => c,
        Err(e) => {
            page.passkey_error = e.0;
            return settings_page(&st, &headers, &user, page).await;
        }
    };
    let stored = rp::to_stored(&credential).map_err(|e| AppError::internal(e.0))?;
    let added = store::add(
        &st.store,
        user.office_id,
        user.user_id,
        NewPasskey {
            name: &input.name,
            credential_id: &rp::credential_key(&credential),
            user_handle: handle,
            credential: &stored,
        },
    )
    .await;
    match added {
        Ok(a) => {
            page.passkey_name.clear();
            page.codes = a.recovery_codes;
            page.notice = "パスキーを登録しました。次回のサインインから、パスワードのあとにこのパスキーで確認できます。".into();
        }
        Err(StoreError::Rule(why)) => page.passkey_error = why,
        Err(e) => return Err(e.into()),
    }
    settings_page(&st, &headers, &user, page).await
}

/// Removes one of the user's passkeys; the last second factor stays while the policy requires
/// one.
pub async fn remove(
    State(st): State<AppState>,
    headers: HeaderMap,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    if let Some(why) =
        sign_in::keeps_last_passkey(&st, user.user_id, user.office_id, user.role).await?
    {
        let mut page = SettingsPage::new(&user);
        page.passkey_error = why.into();
        return settings_page(&st, &headers, &user, page).await;
    }
    store::remove(&st.store, user.office_id, user.user_id, id).await?;
    Ok(see_other(&format!("{SETTINGS}?saved=passkey_removed")))
}

/// A sign-in's second step answered with a passkey: only now the session.
pub async fn step(
    State(st): State<AppState>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<PasskeyStep>,
) -> PageResult {
    check_csrf(&st, &headers, &input.csrf)?;
    let Some(p) = pending_for(&st, &headers, Purpose::Verify).await? else {
        return Ok(see_other("/login"));
    };
    let claim = match claim_step(&st, &p).await? {
        Ok(c) => c,
        Err(page) => return step_page(&st, page, StatusCode::TOO_MANY_REQUESTS),
    };
    let state = store::take_challenge(&st.store, p.user.id, Ceremony::SignIn(p.id)).await?;
    let creds = credentials(&st, p.user.id).await?;
    let mut keys: Vec<_> = creds.iter().map(|(_, c)| c.clone()).collect();
    let answered = match (party(&st, &headers), state) {
        (Some(party), Some(state)) => party
            .finish_authentication(&input.credential, &state, &mut keys)
            .ok(),
        _ => None,
    };
    let Some((i, changed)) = answered else {
        sf::record_failure(&st.store, p.user.office_id, p.user.id).await?;
        let mut page = verify_step(&st, &headers, &p).await?;
        page.error = "パスキーで確認できませんでした。もう一度「パスキーで確認」を押すか、ほかの方法を使ってください。".into();
        return step_page(&st, page, StatusCode::UNAUTHORIZED);
    };
    let updated = if changed {
        Some(rp::to_stored(&keys[i]).map_err(|e| AppError::internal(e.0))?)
    } else {
        None
    };
    let (row, _) = &creds[i];
    store::used(&st.store, row.id, updated.as_deref()).await?;
    sessions::forgive(&st.store, &claim).await?;
    let Some(cookies) = finish_pending(&st, &headers, peer.map(|c| c.0.0), &p).await? else {
        return Ok(see_other("/login"));
    };
    Ok(with_cookies(see_other(&p.next), cookies))
}

/// Enrolment the policy requires, with a passkey instead of the app: the device is asked.
pub async fn enrol_start(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(input): Form<EnrolPasskey>,
) -> PageResult {
    check_csrf(&st, &headers, &input.csrf)?;
    let Some(p) = pending_for(&st, &headers, Purpose::Enrol).await? else {
        return Ok(see_other("/login"));
    };
    let mut page = empty_step(&p.user.display_name);
    let refused = |mut page: StepPage, why: String| {
        page.error = why;
        step_page(&st, page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let Some(party) = party(&st, &headers) else {
        return refused(page, unavailable(&st, &headers));
    };
    let name = match store::clean_name(&input.name) {
        Ok(n) => n,
        Err(why) => return refused(page, why),
    };
    let handle = rp::new_user_handle();
    match party.start_registration(handle, &p.user.login, &p.user.display_name, &[]) {
        Ok((options, state)) => {
            let kept =
                serde_json::json!({ "handle": handle.to_string(), "state": state }).to_string();
            store::save_challenge(&st.store, p.user.id, Ceremony::Register, &kept).await?;
            page.passkey_options = options;
            page.passkey_create = name;
            step_page(&st, page, StatusCode::OK)
        }
        Err(e) => refused(page, e.0),
    }
}

/// The device's answer at enrolment: the passkey is stored, the session starts, and the
/// recovery codes are shown once.
pub async fn enrol_finish(
    State(st): State<AppState>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<EnrolPasskey>,
) -> PageResult {
    check_csrf(&st, &headers, &input.csrf)?;
    let Some(p) = pending_for(&st, &headers, Purpose::Enrol).await? else {
        return Ok(see_other("/login"));
    };
    let again = |why: String| {
        let mut page = empty_step(&p.user.display_name);
        page.error = format!("{why} もう一度「パスキーで設定する」を押してください。");
        page.offer_passkey = true;
        page
    };
    let kept = store::take_challenge(&st.store, p.user.id, Ceremony::Register).await?;
    let kept: serde_json::Value = kept
        .and_then(|k| serde_json::from_str(&k).ok())
        .unwrap_or_default();
    let (Some(party), Some(handle), Some(state)) = (
        party(&st, &headers),
        kept["handle"].as_str(),
        kept["state"].as_str(),
    ) else {
        let page = again("登録の手続きが見つからないか、5分を過ぎました。".into());
        return enrol_again(&st, &headers, &p, page).await;
    };
    let credential = match party.finish_registration(&input.credential, state) {
        Ok(c) => c,
        Err(e) => return enrol_again(&st, &headers, &p, again(e.0)).await,
    };
    let stored = rp::to_stored(&credential).map_err(|e| AppError::internal(e.0))?;
    let added = match store::add(
        &st.store,
        p.user.office_id,
        p.user.id,
        NewPasskey {
            name: &input.name,
            credential_id: &rp::credential_key(&credential),
            user_handle: handle,
            credential: &stored,
        },
    )
    .await
    {
        Ok(a) => a,
        Err(StoreError::Rule(why)) => return enrol_again(&st, &headers, &p, again(why)).await,
        Err(e) => return Err(e.into()),
    };
    let Some(cookies) = finish_pending(&st, &headers, peer.map(|c| c.0.0), &p).await? else {
        return Ok(see_other("/login"));
    };
    let mut page = empty_step(&p.user.display_name);
    page.codes = added.recovery_codes;
    page.next = p.next;
    if page.codes.is_empty() {
        return Ok(with_cookies(see_other(&page.next), cookies));
    }
    let r = crate::kit::render::render_status(&page, StatusCode::OK)?;
    Ok(with_cookies(r, cookies))
}

/// The enrolment page again (the app's QR code too) with why the passkey was refused.
async fn enrol_again(
    st: &AppState,
    headers: &HeaderMap,
    p: &sf::Pending,
    mut page: StepPage,
) -> PageResult {
    if let Some(secret) = sf::pending_secret(&st.store, p.user.id).await? {
        page.setup = Some(super::view::Setup::new(
            &p.user.login,
            p.user.office_id,
            &secret,
        ));
    }
    page.offer_passkey = party(st, headers).is_some();
    step_page(st, page, StatusCode::UNPROCESSABLE_ENTITY)
}
