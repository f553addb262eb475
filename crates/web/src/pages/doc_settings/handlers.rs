//! Read and save the office's document settings (admins only: the policy's Staff write).

use super::form::SettingsForm;
use super::view::SettingsPage;
use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::form::{EditState, Form};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{render, render_status};
use axum::extract::{Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::offices;

/// `GET /admin/documents`
pub async fn show(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let s = offices::doc_settings(&tx).await?;
    tx.rollback().await?;
    let mut form = EditState::new(s, "");
    if q.saved == "documents" {
        form = form.with_flash("帳票の設定を保存しました。");
    }
    render(&SettingsPage::new(&st, &user, form))
}

/// `POST /admin/documents`
pub async fn save(
    State(st): State<AppState>,
    user: Authed,
    Form(f): Form<SettingsForm>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let s = match f.into_settings(|k, name| st.templates.names(k).iter().any(|n| n == name)) {
        Ok(s) => s,
        Err((s, errors)) => {
            tx.rollback().await?;
            let form = EditState::rejected(s, "", errors);
            let status = form.status();
            return render_status(&SettingsPage::new(&st, &user, form), status);
        }
    };
    offices::set_doc_settings(&mut tx, &s).await?;
    tx.commit().await?;
    Ok(see_other("/admin/documents?saved=documents"))
}
