//! 支援経過記録: quick entry from the client page, search, and editing.

use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::form::{RawForm, VersionField, parse_version};
use crate::pages::clients::{PageExtras, ShowQuery, client_page};
use crate::pages::see_other;
use crate::views::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::note::{NoteInput, NoteKind};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::notes::{self, Note};
use yorisoi_store::{StoreError, cases, clients, now_jst};

pub fn note_view(n: &Note, staff: &HashMap<i64, String>, case_title: String) -> NoteView {
    NoteView {
        id: n.id,
        when: datetime(n.record.occurred_at),
        kind: n.record.kind.label(),
        counterpart: n.record.counterpart.clone(),
        content: n.record.content.clone(),
        minutes: n
            .record
            .minutes
            .map(|m| format!("{m}分"))
            .unwrap_or_default(),
        staff: staff.get(&n.staff_user_id).cloned().unwrap_or_default(),
        case_title,
    }
}

/// `GET /clients/{id}/notes?q=` is the client page's notes section.
pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    // The notes section is case content: a clerk gets the same 404 as a stranger.
    let mut tx = st.store.read(user.actor()).await?;
    tx.client_access(id, RecordKind::CaseNote, Action::Read)
        .await?;
    tx.rollback().await?;
    client_page(&st, &user, id, &q, PageExtras::default(), StatusCode::OK).await
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: NoteInput = body.parse()?;
    match form.validate(now_jst()) {
        Ok(r) => {
            let mut tx = st.store.begin(user.actor()).await?;
            let acc = tx
                .client_access(id, RecordKind::CaseNote, Action::Write)
                .await?;
            match notes::add(&mut tx, &acc, &r).await {
                Ok(_) => {
                    tx.commit().await?;
                    Ok(see_other(&format!("/clients/{id}?saved=note#notes")))
                }
                Err(StoreError::Rule(m)) => {
                    tx.rollback().await?;
                    let mut errors = FieldErrors::new();
                    errors.add("case_id", m);
                    rejected(&st, &user, id, form, errors).await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => rejected(&st, &user, id, form, errors).await,
    }
}

/// The client page again, with the rejected note as typed and the reasons beside its fields.
async fn rejected(
    st: &AppState,
    user: &Authed,
    id: i64,
    form: NoteInput,
    errors: FieldErrors,
) -> PageResult {
    let extras = PageExtras {
        note_form: Some(form),
        note_errors: errors,
        ..Default::default()
    };
    client_page(
        st,
        user,
        id,
        &ShowQuery::default(),
        extras,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn case_options(
    tx: &mut yorisoi_store::Tx,
    id: i64,
) -> Result<Vec<(String, String)>, crate::error::AppError> {
    let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
    Ok(cases::list(tx, &acc)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.id.to_string(),
                format!(
                    "{}（{}）",
                    if c.title.is_empty() {
                        "ケース".to_string()
                    } else {
                        c.title
                    },
                    c.stage.label()
                ),
            )
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    user: &Authed,
    id: i64,
    name: String,
    note_id: i64,
    form: NoteInput,
    errors: FieldErrors,
    version: String,
    conflict: bool,
    cases: Vec<(String, String)>,
) -> NoteEditPage {
    NoteEditPage {
        nav: Nav::new(user, "clients"),
        client_id: id,
        client_name: name,
        note_id,
        kinds: opts(NoteKind::ALL, |k| k.code(), |k| k.label(), &form.kind),
        cases: id_opts(&cases, &form.case_id),
        form,
        errors,
        version,
        conflict,
    }
}

fn input_of(n: &Note) -> NoteInput {
    NoteInput {
        date: n.record.occurred_at.date().to_string(),
        time: n.record.occurred_at.format("%H:%M").to_string(),
        kind: n.record.kind.code().into(),
        counterpart: n.record.counterpart.clone(),
        content: n.record.content.clone(),
        minutes: n.record.minutes.map(|m| m.to_string()).unwrap_or_default(),
        case_id: n.record.case_id.map(|c| c.to_string()).unwrap_or_default(),
    }
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, note_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let n = notes::get(&mut tx, &acc, note_id).await?;
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(&mut tx, &ledger).await?;
    let cases = case_options(&mut tx, id).await?;
    tx.commit().await?;
    render(&edit_page(
        &user,
        id,
        c.record.full_name(),
        note_id,
        input_of(&n),
        FieldErrors::new(),
        n.version.to_string(),
        false,
        cases,
    ))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path((id, note_id)): Path<(i64, i64)>,
    body: RawForm,
) -> PageResult {
    let form: NoteInput = body.parse()?;
    let v: VersionField = body.parse()?;
    let version = parse_version(&v.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let name = clients::get(&mut tx, &ledger).await?.record.full_name();
    let cases = case_options(&mut tx, id).await?;
    let r = match form.validate(now_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            return render_status(
                &edit_page(
                    &user, id, name, note_id, form, errors, v.version, false, cases,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match notes::update(&mut tx, &acc, note_id, version, &r).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=note_edit#notes")))
        }
        Err(StoreError::Conflict) => {
            let current = notes::get(&mut tx, &acc, note_id).await?;
            tx.commit().await?;
            render_status(
                &edit_page(
                    &user,
                    id,
                    name,
                    note_id,
                    form,
                    FieldErrors::new(),
                    current.version.to_string(),
                    true,
                    cases,
                ),
                StatusCode::CONFLICT,
            )
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("case_id", m);
            render_status(
                &edit_page(
                    &user, id, name, note_id, form, errors, v.version, false, cases,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/clients/{id}/notes", get(list).post(create))
        .route(
            "/clients/{id}/notes/{note_id}/edit",
            get(edit_form).post(update),
        )
}
