//! The client list, the ledger form, the client page, disability books and bulk assignment.

use super::form::{AssignInput, AssignedField, ListQuery, ShowQuery, new_client};
use super::page::client_page;
use super::view::{ClientFormPage, ClientListPage, LedgerForm, ListResult, PageExtras};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::client_row::client_row;
use crate::kit::form::{EditState, Form, RawForm, VersionField};
use crate::kit::links::{page_index, see_other};
use crate::kit::render::{render, render_status};
use crate::kit::staff::{assignable_staff, staff_names};
use axum::extract::{Path, Query, State};
use yorisoi_domain::client::{BookInput, ClientInput, ClientStatus};
use yorisoi_domain::policy::{Action, RecordKind, sees_whole_office};
use yorisoi_store::clients::{self, ClientFilter, ClientSort};
use yorisoi_store::{StoreError, today_jst};

/// Clients per page of the list.
const PER_PAGE: u64 = 50;

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let today = today_jst();
    let sort = ClientSort::from_code(q.sort.trim()).unwrap_or_default();
    let page = page_index(&q.page, 100_000);
    let filter = ClientFilter {
        q: q.q.chars().take(100).collect(),
        status: ClientStatus::from_code(q.status.trim()),
        staff: q.staff_filter(),
        cert_within_days: q.cert_within_days(),
        today,
        sort,
        page,
        per_page: PER_PAGE,
    };
    let whole_office = sees_whole_office(user.role);
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let (rows, total) = clients::list(&mut tx, &filter).await?;
    let assignable = if user.can_assign() || whole_office {
        assignable_staff(&tx).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let result = ListResult {
        rows: rows.iter().map(|c| client_row(c, &staff, today)).collect(),
        total,
        page,
        per_page: PER_PAGE,
        sort,
        assignable,
    };
    render(&ClientListPage::new(&user, q, result, whole_office))
}

/// Staff offered as assignee on the ledger form (admins and leads only).
async fn offered_staff(
    tx: &yorisoi_store::Tx,
    user: &Authed,
) -> Result<Vec<(String, String)>, AppError> {
    if user.can_assign() {
        assignable_staff(tx).await
    } else {
        Ok(Vec::new())
    }
}

pub async fn new_form(State(st): State<AppState>, user: Authed) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let staff = offered_staff(&tx, &user).await?;
    tx.rollback().await?;
    let which = LedgerForm::New {
        staff,
        assigned: String::new(),
    };
    render(&ClientFormPage::new(
        &user,
        which,
        EditState::new(new_client(), ""),
    ))
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let input = super::form::ledger_input(&body)?;
    let assigned: AssignedField = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let staff = offered_staff(&tx, &user).await?;
    // Only admins and leads choose the assignee; a specialist's new client is their own (the
    // store enforces it), a clerk's starts unassigned.
    let assignee = if user.can_assign() {
        assigned.user_id()?
    } else {
        None
    };
    let saved = match input.validate(today_jst()) {
        Ok(record) => clients::create(&mut tx, &record, assignee)
            .await
            .map_err(Into::into),
        Err(errors) => Err(errors.into()),
    };
    match saved {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=client")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let which = LedgerForm::New {
                staff,
                assigned: assigned.assigned_user_id,
            };
            let status = form.status();
            render_status(&ClientFormPage::new(&user, which, form), status)
        }
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    client_page(&st, &user, id, &q, PageExtras::default()).await
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let c = clients::get(&mut tx, &acc).await?;
    tx.commit().await?;
    let which = LedgerForm::Edit {
        id,
        name: c.record.full_name(),
    };
    let form = EditState::new(ClientInput::from(&c.record), c.version);
    render(&ClientFormPage::new(&user, which, form))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input = super::form::ledger_input(&body)?;
    let v: VersionField = body.parse()?;
    let version = v.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let saved = match input.validate(today_jst()) {
        Ok(record) => clients::update(&mut tx, &acc, version, &record).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=client")))
        }
        Err(e) => {
            // Keep what the user typed; when stale, offer to save it over the newer version.
            let current = match e {
                StoreError::Conflict => Some(clients::get(&mut tx, &acc).await?.version),
                _ => None,
            };
            tx.commit().await?;
            let form = EditState::refused(input, version, e.into(), current)?;
            let which = LedgerForm::Edit {
                id,
                name: String::new(),
            };
            let status = form.status();
            render_status(&ClientFormPage::new(&user, which, form), status)
        }
    }
}

pub async fn add_book(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<BookInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let saved = match input.validate() {
        Ok(b) => clients::add_book(&mut tx, &acc, &b)
            .await
            .map_err(Into::into),
        Err(errors) => Err(errors.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=book")))
        }
        Err(e) => {
            tx.rollback().await?;
            let extras = PageExtras {
                book: EditState::refused(input, "", e, None)?,
                ..Default::default()
            };
            client_page(&st, &user, id, &ShowQuery::default(), extras).await
        }
    }
}

pub async fn remove_book(
    State(st): State<AppState>,
    user: Authed,
    Path((id, book_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    clients::remove_book(&mut tx, &acc, book_id).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/clients/{id}?saved=book_removed")))
}

pub async fn assign(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<AssignInput>,
) -> PageResult {
    let (ids, to) = input.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let n = clients::assign(&mut tx, &ids, to).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/clients?assigned={n}")))
}

/// `GET /exports/{clients|certificates}?encoding=utf8|utf8-nobom|cp932`: the office's 利用者台帳
/// or 受給者証 as CSV for Excel (the clients the user may see), logged as an export.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    pub encoding: String,
}

pub async fn export_csv(
    State(st): State<AppState>,
    user: Authed,
    Path(what): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<axum::response::Response, AppError> {
    crate::kit::csv_export::download(&st, user.actor(), &what, &q.encoding).await
}
