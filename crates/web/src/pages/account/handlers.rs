//! 自分の設定: thin handlers over `store::account`, which scopes everything to the user.

use super::form::PasswordForm;
use super::view::{AccountPage, PasswordPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_store::account;

pub async fn show(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let sessions = account::sessions(&tx, yorisoi_store::now_utc()).await?;
    tx.rollback().await?;
    render(&AccountPage::new(&user, sessions, &q.saved))
}

pub async fn password_form(State(_): State<AppState>, user: Authed) -> PageResult {
    render(&PasswordPage::new(
        &user,
        EditState::new(PasswordForm::default(), ""),
    ))
}

pub async fn change_password(
    State(st): State<AppState>,
    user: Authed,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let refused = match crate::kit::password::change(&st, &user, &form.change()).await {
        Ok(Ok(_)) => return Ok(see_other("/account?saved=password")),
        Ok(Err(errors)) => EditState::rejected(form, "", errors),
        Err(AppError::TooManyRequests(m)) => {
            let mut state = EditState::new(form, "");
            state.rule = m;
            let page = PasswordPage::new(&user, state);
            return render_status(&page, axum::http::StatusCode::TOO_MANY_REQUESTS);
        }
        Err(e) => EditState::refused(form, "", e, None)?,
    };
    let status = refused.status();
    render_status(&PasswordPage::new(&user, refused), status)
}

pub async fn end_session(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    account::end_session(&mut tx, id).await?;
    tx.commit().await?;
    if Some(id) == user.session_id {
        // The session this was sent from: signed out.
        return Ok(see_other("/login"));
    }
    Ok(see_other("/account?saved=ended"))
}

pub async fn end_other_sessions(State(st): State<AppState>, user: Authed) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    account::end_other_sessions(&mut tx, user.session_id).await?;
    tx.commit().await?;
    Ok(see_other("/account?saved=others"))
}
