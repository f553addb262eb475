//! The admin screens' handlers. The store asks the policy for the office-level record kind
//! (Staff, ApiToken, AuditLog) on every call; the staff screens ask it first, so that another
//! role gets a 404 before anything is read.

use super::form::{
    ActiveInput, AuditQuery, EndSessionsInput, NewUser, PolicyInput, ResetInput, RetentionInput,
    StaffEdit, TokenInput, UnlockInput,
};
use super::view::{
    AuditData, AuditPage, StaffData, StaffEditForms, StaffEditPage, StaffForms, StaffPage,
    TokensData, TokensPage, staff_edit_form, staff_rows,
};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm, parse_id};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{render, render_status};
use crate::kit::staff::staff_names;
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::second_factor as sf;
use yorisoi_store::{Tx, api_tokens, audit, clients, offices, users};

/// The audit log's page size.
const AUDIT_PAGE: u64 = 100;

async fn staff_page(st: &AppState, user: &Authed, forms: StaffForms) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let data = StaffData {
        users: users::list(&tx).await?,
        outside: yorisoi_store::outside::accounts(&tx).await?,
        counts: clients::count_by_staff(&tx).await?,
        retention_years: offices::retention_years(&tx).await?,
    };
    tx.rollback().await?;
    let status = forms.status();
    render_status(&StaffPage::new(user, data, forms), status)
}

pub async fn staff(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    staff_page(&st, &user, StaffForms::saved(&q.saved)).await
}

pub async fn add_staff(
    State(st): State<AppState>,
    user: Authed,
    Form(form): Form<NewUser>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match users::create(&mut tx, &form).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(errors)) => Err(AppError::Invalid(errors)),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=added"))
        }
        Err(e) => {
            tx.rollback().await?;
            let add = Some(EditState::refused(form, "", e, None)?);
            let forms = StaffForms {
                add,
                ..Default::default()
            };
            staff_page(&st, &user, forms).await
        }
    }
}

/// 記録の保存期間: years after the end of support; closed cases' retention dates follow.
pub async fn set_retention(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<RetentionInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match input.years() {
        Ok(years) => offices::set_retention_years(&mut tx, years)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=retention"))
        }
        Err(e) => {
            tx.rollback().await?;
            let retention = Some(EditState::refused(input, "", e, None)?);
            let forms = StaffForms {
                retention,
                ..Default::default()
            };
            staff_page(&st, &user, forms).await
        }
    }
}

/// The staff member `id` as listed (with their caseload), or 404.
async fn staff_row(tx: &Tx, id: i64) -> Result<super::view::StaffRow, AppError> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let users = users::list(tx).await?;
    let counts = clients::count_by_staff(tx).await?;
    staff_rows(users, &counts)
        .0
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn staff_edit(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let s = staff_row(&tx, id).await?;
    let n = users::live_sessions(&tx, id, yorisoi_store::now_utc()).await?;
    tx.rollback().await?;
    let factor = second_factor_words(&st, id).await?;
    let form = staff_edit_form(&s);
    render(&StaffEditPage::with(
        &user,
        s,
        form,
        StaffEditForms::saved(&q.saved, n, factor),
    ))
}

/// The staff edit page again with one of its side forms refused.
async fn staff_edit_again(st: &AppState, user: &Authed, id: i64, f: StaffEditForms) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let s = staff_row(&tx, id).await?;
    let sessions = users::live_sessions(&tx, id, yorisoi_store::now_utc()).await?;
    tx.rollback().await?;
    let second_factor = second_factor_words(st, id).await?;
    let form = staff_edit_form(&s);
    let page = StaffEditPage::with(
        user,
        s,
        form,
        StaffEditForms {
            sessions,
            second_factor,
            ..f
        },
    );
    let status = page.status();
    render_status(&page, status)
}

/// パスワードの再設定: a temporary password, changed by the staff member at their next
/// sign-in; their sessions end at once. Audited.
pub async fn staff_reset_password(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<ResetInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match f.confirmed() {
        Ok(password) => match users::reset_password(&mut tx, id, password).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(AppError::Invalid(e)),
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/admin/staff/{id}?saved=reset")))
        }
        Err(e) => {
            tx.rollback().await?;
            let reset = Some(EditState::refused(f, "", e, None)?);
            let forms = StaffEditForms {
                reset,
                ..Default::default()
            };
            staff_edit_again(&st, &user, id, forms).await
        }
    }
}

/// セッションをすべて終了: every session of the staff member ends (the reason, if given, is in
/// the audit log).
pub async fn staff_end_sessions(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<EndSessionsInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    match users::end_sessions(&mut tx, id, &f.reason).await {
        Ok(_) => {
            tx.commit().await?;
            if id == user.user_id {
                return Ok(see_other("/login"));
            }
            Ok(see_other(&format!("/admin/staff/{id}?saved=sessions")))
        }
        Err(e) => {
            tx.rollback().await?;
            let end = Some(EditState::refused(f, "", e.into(), None)?);
            let forms = StaffEditForms {
                end,
                ..Default::default()
            };
            staff_edit_again(&st, &user, id, forms).await
        }
    }
}

/// A staff member's second factor in words, for the admin (the caller checked the office).
async fn second_factor_words(st: &AppState, id: i64) -> Result<String, AppError> {
    let s = sf::status(&st.store, id).await?;
    let mut parts = Vec::new();
    if s.totp {
        parts.push("認証アプリ".to_string());
    }
    if s.passkeys > 0 {
        parts.push(format!("パスキー{}個", s.passkeys));
    }
    Ok(parts.join("・"))
}

/// 二段階認証のリセット: a lost phone or key; TOTP, passkeys and recovery codes go, with the
/// reason in the audit log.
pub async fn staff_reset_second_factor(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<EndSessionsInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    match yorisoi_store::passkeys::reset_user(&mut tx, id, &f.reason).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/admin/staff/{id}?saved=second_factor")))
        }
        Err(e) => {
            tx.rollback().await?;
            let sf_reset = Some(EditState::refused(f, "", e.into(), None)?);
            let forms = StaffEditForms {
                sf_reset,
                ..Default::default()
            };
            staff_edit_again(&st, &user, id, forms).await
        }
    }
}

pub async fn staff_update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let (form, version) = StaffEdit::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match form.role() {
        Ok(role) => match users::update(&mut tx, id, version, &form.display_name, role).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(AppError::Invalid(e)),
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=updated"))
        }
        Err(e) => {
            tx.rollback().await?;
            let tx = st.store.read(user.actor()).await?;
            let s = staff_row(&tx, id).await?;
            let sessions = users::live_sessions(&tx, id, yorisoi_store::now_utc()).await?;
            tx.rollback().await?;
            let form = EditState::refused(form, version, e, Some(s.version))?;
            let forms = StaffEditForms {
                sessions,
                ..Default::default()
            };
            let page = StaffEditPage::with(&user, s, form, forms);
            let status = page.status();
            render_status(&page, status)
        }
    }
}

pub async fn staff_active(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<ActiveInput>,
) -> PageResult {
    let (active, version) = f.read()?;
    let mut tx = st.store.begin(user.actor()).await?;
    users::set_active(&mut tx, id, version, active).await?;
    tx.commit().await?;
    Ok(see_other("/admin/staff?saved=active"))
}

/// Lifts the sign-in limits of a staff member's account, with the reason in the audit log.
pub async fn staff_unlock(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<UnlockInput>,
) -> PageResult {
    crate::kit::staff::unlock_sign_in(&st, &user, id, &f.reason).await?;
    Ok(see_other("/admin/staff?saved=unlocked"))
}

async fn tokens_page(
    st: &AppState,
    user: &Authed,
    form: EditState<TokenInput>,
    new_token: String,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let data = TokensData {
        tokens: api_tokens::list(&tx).await?,
        staff: staff_names(&tx).await?,
        users: users::list(&tx).await?,
    };
    tx.rollback().await?;
    let status = form.status();
    render_status(&TokensPage::new(user, data, form, new_token), status)
}

pub async fn tokens(State(st): State<AppState>, user: Authed) -> PageResult {
    let form = TokenInput {
        user: user.user_id.to_string(),
        ..Default::default()
    };
    tokens_page(&st, &user, EditState::new(form, ""), String::new()).await
}

pub async fn issue_token(
    State(st): State<AppState>,
    user: Authed,
    Form(f): Form<TokenInput>,
) -> PageResult {
    let owner = parse_id(&f.user, "職員")?;
    let (scope, days) = match f.parsed() {
        Ok(v) => v,
        Err(e) => {
            let form = EditState::refused(f, "", e, None)?;
            return tokens_page(&st, &user, form, String::new()).await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    match api_tokens::issue(&mut tx, owner, &f.name, scope, days).await {
        Ok((_, token)) => {
            tx.commit().await?;
            // Shown once, in this response only (never in a URL or a log).
            let form = TokenInput {
                name: String::new(),
                user: f.user,
                scope: f.scope,
                days: String::new(),
            };
            tokens_page(&st, &user, EditState::new(form, ""), token).await
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(f, "", e.into(), None)?;
            tokens_page(&st, &user, form, String::new()).await
        }
    }
}

pub async fn revoke_token(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    api_tokens::revoke(&mut tx, id).await?;
    tx.commit().await?;
    Ok(see_other("/admin/tokens"))
}

pub async fn audit(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let page = q.page();
    let (filter, errors) = q.search().filter(page, AUDIT_PAGE);
    let mut tx = st.store.read(user.actor()).await?;
    let (events, total) = audit::list(&mut tx, &filter).await?;
    let staff = staff_names(&tx).await?;
    tx.commit().await?;
    let chain = if q.verify == "1" {
        Some(audit::verify(&st.store, user.office_id).await?)
    } else {
        None
    };
    let data = AuditData {
        events,
        total,
        page,
        per_page: AUDIT_PAGE,
        staff,
        chain,
        checkpoint: st
            .store
            .checkpoint_dir()
            .and_then(|d| yorisoi_store::audit_key::latest_checkpoint(&d, user.office_id)),
        errors,
    };
    render(&AuditPage::new(&user, &q, data))
}

/// 二段階認証の方針: the form (as typed when refused) and who has a second factor.
async fn policy_page(
    st: &AppState,
    user: &Authed,
    typed: Option<(PolicyInput, yorisoi_domain::FieldErrors)>,
    message: &str,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let policy = sf::office_policy(&tx).await?;
    let enrolled = sf::enrolled_users(&tx).await?;
    let users = users::list(&tx).await?;
    tx.rollback().await?;
    let (mode, grace, errors) = match typed {
        Some((input, e)) => (
            input.mode,
            input.grace_until,
            e.0.into_values().collect::<Vec<_>>(),
        ),
        None => (
            policy.mode.code().to_string(),
            policy
                .grace_until
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Vec::new(),
        ),
    };
    let mut page = super::view::PolicyPage::new(user, &mode, grace, users, &enrolled, policy);
    page.message = message.into();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    page.errors = errors;
    render_status(&page, status)
}

pub async fn second_factor_policy(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<Saved>,
) -> PageResult {
    let message = if q.saved == "policy" {
        "二段階認証の方針を保存しました。"
    } else {
        ""
    };
    policy_page(&st, &user, None, message).await
}

pub async fn set_second_factor_policy(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<PolicyInput>,
) -> PageResult {
    let policy = match yorisoi_domain::second_factor::Policy::parse(&input.mode, &input.grace_until)
    {
        Ok(p) => p,
        Err(e) => {
            // Only an admin sees the form again; anyone else the same 404 as the page.
            return policy_page(&st, &user, Some((input, e)), "").await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    yorisoi_store::second_factor::set_policy(&mut tx, policy).await?;
    tx.commit().await?;
    Ok(see_other("/admin/second-factor?saved=policy"))
}
