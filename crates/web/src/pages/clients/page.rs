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
use yorisoi_store::{client_page, notes};

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
    // The first page of notes comes with the client's other records; a search or a later page
    // is its own read.
    let first_notes = user.sees_cases() && q.q.trim().is_empty() && q.offset() == 0;
    let wanted = client_page::Wanted {
        certificates: true,
        cases: user.sees_cases(),
        notes: first_notes.then_some(NOTES_PER_PAGE),
    };
    let mut parts = client_page::read(&mut tx, id, wanted).await?;
    if user.sees_cases() && !first_notes {
        let note_acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Read)
            .await?;
        (parts.notes, parts.more_notes) =
            notes::list(&mut tx, &note_acc, &q.q, NOTES_PER_PAGE, q.offset()).await?;
    }
    tx.commit().await?;
    let records = ClientRecords {
        client: parts.client,
        books: parts.books,
        certs: parts.certs,
        cases: parts.cases,
        notes: parts.notes,
        more_notes: parts.more_notes,
        staff,
    };
    render_status(&ClientPage::build(user, q, records, extras), status)
}
