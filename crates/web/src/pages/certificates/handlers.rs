//! Adding a version of the 受給者証, and the history.

use super::form;
use super::view::{CertificateFormPage, CertificateHistoryPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form};
use crate::kit::links::see_other;
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, State};
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::certificates;

pub async fn new_form(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    let name = client_name(&mut tx, id).await?;
    let certs = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    let (input, copied) = match certs.first() {
        Some(last) => (form::from_record(&last.record), Some(last.version_no)),
        None => (form::blank(), None),
    };
    render(&CertificateFormPage::new(
        &user,
        (id, name),
        EditState::new(input, ""),
        copied,
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<CertificateInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    let saved = match input.validate() {
        Ok(r) => certificates::add(&mut tx, &acc, &r)
            .await
            .map_err(AppError::from),
        Err(errors) => Err(errors.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=certificate")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let mut tx = st.store.read(user.actor()).await?;
            let name = client_name(&mut tx, id).await?;
            tx.commit().await?;
            let status = form.status();
            render_status(
                &CertificateFormPage::new(&user, (id, name), form, None),
                status,
            )
        }
    }
}

pub async fn history(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let name = client_name(&mut tx, id).await?;
    let certs = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    render(&CertificateHistoryPage::new(&user, (id, name), &certs))
}
