//! Reading the client page: the one place that builds it, for the client handlers and for the
//! note handlers that show it again with a refused quick note.

use super::form::ShowQuery;
use super::view::{ClientPage, ClientRecords, PageExtras};
use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::render::render_status;
use crate::kit::staff::staff_names;
use axum::http::StatusCode;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{cases, certificates, clients, notes};

/// Notes listed per page of the client page.
pub const NOTES_PER_PAGE: u64 = 30;

/// The client page of client `id`, with `extras` (a refused form, a message) and `status`
/// (200, or 422 when a form on it was refused).
pub async fn client_page(
    st: &AppState,
    user: &Authed,
    id: i64,
    q: &ShowQuery,
    extras: PageExtras,
) -> PageResult {
    let status = if extras.note.status() != StatusCode::OK {
        extras.note.status()
    } else {
        extras.book.status()
    };
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let ledger_acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let client = clients::get(&mut tx, &ledger_acc).await?;
    let books = clients::books(&tx, &ledger_acc).await?;
    let cert_acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let certs = certificates::list(&mut tx, &cert_acc).await?;
    let (case_rows, note_list, more_notes) = if user.sees_cases() {
        let case_acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
        let case_rows = cases::list(&mut tx, &case_acc).await?;
        let note_acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Read)
            .await?;
        let (n, more) = notes::list(&mut tx, &note_acc, &q.q, NOTES_PER_PAGE, q.offset()).await?;
        (case_rows, n, more)
    } else {
        (Vec::new(), Vec::new(), false)
    };
    tx.commit().await?;
    let records = ClientRecords {
        client,
        books,
        certs,
        cases: case_rows,
        notes: note_list,
        more_notes,
        staff,
    };
    render_status(&ClientPage::build(user, q, records, extras), status)
}
