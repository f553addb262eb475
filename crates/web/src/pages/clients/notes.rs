//! 支援経過記録: the quick note on the client page, its search (the page's notes section) and
//! the note editor. Notes live with the client pages because a refused quick note shows the
//! client page again (built in [`super::page`]).

use super::form::{ShowQuery, note_input};
use super::page::client_page;
use super::view::{NoteEditPage, PageExtras};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::see_other;
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{StoreError, Tx, cases, notes, now_jst};

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
    client_page(&st, &user, id, &q, PageExtras::default()).await
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input: NoteInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let saved = match input.validate(now_jst()) {
        Ok(r) => notes::add(&mut tx, &acc, &r).await.map_err(AppError::from),
        Err(errors) => Err(errors.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=note#notes")))
        }
        Err(e) => {
            tx.rollback().await?;
            // The client page again, with the note as typed and the reasons beside its fields.
            let extras = PageExtras {
                note: EditState::refused(input, "", e, None)?,
                ..Default::default()
            };
            client_page(&st, &user, id, &ShowQuery::default(), extras).await
        }
    }
}

/// The client's name and cases, for the note editor.
async fn editor_context(tx: &mut Tx, id: i64) -> Result<(String, Vec<cases::Case>), AppError> {
    let name = client_name(tx, id).await?;
    let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
    Ok((name, cases::list(tx, &acc).await?))
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
    let (name, case_list) = editor_context(&mut tx, id).await?;
    tx.commit().await?;
    let form = EditState::new(note_input(&n), n.version);
    render(&NoteEditPage::new(
        &user,
        (id, name),
        note_id,
        &case_list,
        form,
    ))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path((id, note_id)): Path<(i64, i64)>,
    body: RawForm,
) -> PageResult {
    let input: NoteInput = body.parse()?;
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let (name, case_list) = editor_context(&mut tx, id).await?;
    let saved = match input.validate(now_jst()) {
        Ok(r) => notes::update(&mut tx, &acc, note_id, version, &r).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=note_edit#notes")))
        }
        Err(e) => {
            let current = match e {
                StoreError::Conflict => Some(notes::get(&mut tx, &acc, note_id).await?.version),
                _ => None,
            };
            tx.rollback().await?;
            let form = EditState::refused(input, version, e.into(), current)?;
            let status = form.status();
            let page = NoteEditPage::new(&user, (id, name), note_id, &case_list, form);
            render_status(&page, status)
        }
    }
}

/// `GET /notes?q=&page=`: 記録の横断検索 — the notes of every client the user may read.
pub async fn search_all(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<super::form::NoteSearchQuery>,
) -> PageResult {
    const PER: u64 = 50;
    let query: String = q.q.chars().take(100).collect();
    let page = crate::kit::links::page_index(&q.page, 1000);
    let mut tx = st.store.read(user.actor()).await?;
    let (found, more) = notes::search_office(&mut tx, &query, PER, page * PER).await?;
    let ids: Vec<i64> = found.iter().map(|n| n.client_id).collect();
    let names = yorisoi_store::clients::names(&tx, &ids).await?;
    let staff = crate::kit::staff::staff_names(&tx).await?;
    tx.commit().await?;
    let rows = found
        .iter()
        .map(|n| super::view::FoundNote {
            href: format!(
                "/clients/{}?q={}#notes",
                n.client_id,
                percent_encoding::utf8_percent_encode(&query, percent_encoding::NON_ALPHANUMERIC)
            ),
            client: names.get(&n.client_id).cloned().unwrap_or_default(),
            note: crate::kit::note_row::NoteView::new(n, &staff, String::new()).searched(&query),
        })
        .collect();
    render(&super::view::NoteSearchPage {
        nav: crate::kit::render::Nav::new(&user, "clients"),
        next: if more {
            crate::kit::links::page_link("/notes", &[("q", &query)], page + 1)
        } else {
            String::new()
        },
        prev: if page > 0 {
            crate::kit::links::page_link("/notes", &[("q", &query)], page - 1)
        } else {
            String::new()
        },
        whole_office: yorisoi_domain::policy::sees_whole_office(user.role),
        q: query,
        rows,
    })
}
