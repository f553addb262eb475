//! The directory's handlers: list and search, add, edit.

use super::form::{ListQuery, ResourceEdit, blank};
use super::view::{EditPage, ListPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm};
use crate::kit::links::see_other;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::ResourceInput;
use yorisoi_store::resources;

async fn list_page(
    st: &AppState,
    user: &Authed,
    q: ListQuery,
    form: EditState<ResourceInput>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let found = resources::list(&mut tx, &q.filter()).await?;
    tx.commit().await?;
    let status = form.status();
    render_status(&ListPage::new(user, q, found, form), status)
}

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(&st, &user, q, EditState::new(blank(), "")).await
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<ResourceInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match input.validate() {
        Ok(r) => resources::create(&mut tx, &r).await.map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/resources?saved=created"))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            list_page(&st, &user, ListQuery::default(), form).await
        }
    }
}

pub async fn edit(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let r = resources::get(&mut tx, id).await?;
    // The 地域課題 this resource resolved (社会資源の開発), for those who may read them.
    let resolved = if user.may(RecordKind::RegionalIssue, Action::Read) {
        yorisoi_store::issue_followups::resolved_by(&mut tx, id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let form = ResourceEdit {
        resource: ResourceInput::from_record(&r.record),
        active: r.active,
    };
    let mut page = EditPage::new(&user, id, EditState::new(form, r.version));
    page.resolved = resolved.into_iter().map(|i| (i.id, i.title)).collect();
    render(&page)
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let (form, version) = ResourceEdit::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match form.resource.validate() {
        Ok(r) => resources::update(&mut tx, id, version, &r, form.active)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/resources?saved=updated"))
        }
        Err(e) => {
            tx.rollback().await?;
            let current = match e {
                AppError::Conflict => {
                    let mut tx = st.store.read(user.actor()).await?;
                    let r = resources::get(&mut tx, id).await?;
                    tx.commit().await?;
                    Some(r.version)
                }
                _ => None,
            };
            let form = EditState::refused(form, version, e, current)?;
            let status = form.status();
            render_status(&EditPage::new(&user, id, form), status)
        }
    }
}
