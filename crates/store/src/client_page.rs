//! A client's small reads — the client, 障害者手帳, 受給者証 and cases — together, for the client
//! page and the client's JSON.
//!
//! On PostgreSQL a read unit runs no transaction (each statement is its own snapshot), so these
//! four reads were four round trips and four snapshots. Here they are one statement: PostgreSQL
//! turns each table's rows into JSON, so the four share one snapshot and one round trip (a
//! client that is not the office's costs one statement more: the refusal reads it as before).
//! Access is checked exactly as the reads one by one check it, and each part is read into its
//! models only once its check has passed; the same events are logged. SQLite (in process, a
//! transaction per page already) and write units read one by one.

use crate::cases::{self, Case};
use crate::certificates::{self, Certificate};
use crate::clients::{self, Client};
use crate::{Result, Tx, corrupt};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use yorisoi_domain::policy::{Action, RecordKind};

/// Which records besides the ledger entry and its books are wanted.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub certificates: bool,
    pub cases: bool,
}

/// What is read of the client.
#[derive(Debug)]
pub struct Parts {
    pub client: Client,
    pub books: Vec<clients::Book>,
    /// Empty unless wanted.
    pub certs: Vec<Certificate>,
    /// Empty unless wanted (a role that does not read cases does not ask).
    pub cases: Vec<Case>,
}

/// Client `client_id`'s ledger entry and books, with its certificates and cases as `wanted`.
/// Refused (and logged) as the reads one by one would refuse.
pub async fn read(tx: &mut Tx, client_id: i64, wanted: Wanted) -> Result<Parts> {
    let mut rows = if tx.is_read_unit() && tx.backend() == DbBackend::Postgres {
        Some(fetch_together(tx, client_id, wanted).await?)
    } else {
        None
    };
    // Before the checks only who the client is assigned to is looked at, as client_access would.
    if let Some(r) = rows.as_ref().filter(|r| r.found) {
        tx.saw_client(client_id, r.assigned_user_id);
    }
    let ledger = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await?;
    if let Some(json) = rows.as_mut().and_then(|r| r.client.take()) {
        tx.saw_client_row(parse("clients", &json)?);
    }
    let client = clients::get(tx, &ledger).await?;
    let books = match rows.as_ref() {
        Some(r) => clients::books_from_rows(&ledger, parse("disability_books", &r.books)?)?,
        None => clients::books(tx, &ledger).await?,
    };
    let mut certs = Vec::new();
    if wanted.certificates {
        let acc = tx
            .client_access(client_id, RecordKind::Certificate, Action::Read)
            .await?;
        certs = match rows.as_ref() {
            Some(r) => certificates::from_rows(tx, &acc, parse("certificates", &r.certs)?)?,
            None => certificates::list(tx, &acc).await?,
        };
    }
    let mut cases = Vec::new();
    if wanted.cases {
        let acc = tx
            .client_access(client_id, RecordKind::Case, Action::Read)
            .await?;
        cases = match rows.as_ref() {
            Some(r) => cases::from_rows(tx, &acc, parse("cases", &r.cases)?)?,
            None => cases::list(tx, &acc).await?,
        };
    }
    Ok(Parts {
        client,
        books,
        certs,
        cases,
    })
}

/// The rows as read, nothing checked and nothing parsed yet: each part is parsed only once its
/// check has passed, so a row that will not parse cannot turn a refusal into another answer.
struct Rows {
    /// The office holds the client.
    found: bool,
    assigned_user_id: Option<i64>,
    client: Option<String>,
    books: String,
    certs: String,
    cases: String,
}

// Every subquery is limited to the actor's office: another office's client reads as absent
// (and [`Tx::client_access`] then refuses it as it always has). The orders are those of
// `clients::books`, `certificates::list` and `cases::list`. One statement per combination, not a
// `CASE WHEN $3`: with a first shape of this statement PostgreSQL kept re-planning the parameter
// form (a custom plan with the branch folded away looks cheaper than the generic one), which
// doubled its cost; fixed strings leave no such choice (`bench/client_reads.sh`).
macro_rules! client_and_books {
    () => {
        "SELECT c.id IS NOT NULL, c.assigned_user_id, row_to_json(c)::text, \
         (SELECT coalesce(json_agg(b ORDER BY b.id), '[]')::text \
           FROM disability_books b WHERE b.client_id = $1 AND b.office_id = $2)"
    };
}
macro_rules! certificates {
    () => {
        "(SELECT coalesce(json_agg(t ORDER BY t.version_no DESC), '[]')::text \
           FROM certificates t WHERE t.client_id = $1 AND t.office_id = $2)"
    };
}
macro_rules! cases {
    () => {
        "(SELECT coalesce(json_agg(k ORDER BY k.opened_on DESC, k.id DESC), '[]')::text \
           FROM cases k WHERE k.client_id = $1 AND k.office_id = $2)"
    };
}

macro_rules! one_client {
    () => {
        " FROM (SELECT 1) one LEFT JOIN clients c ON c.id = $1 AND c.office_id = $2"
    };
}

fn together_sql(wanted: Wanted) -> &'static str {
    match (wanted.certificates, wanted.cases) {
        (true, true) => concat!(
            client_and_books!(),
            ", ",
            certificates!(),
            ", ",
            cases!(),
            one_client!()
        ),
        (true, false) => concat!(
            client_and_books!(),
            ", ",
            certificates!(),
            ", '[]'",
            one_client!()
        ),
        (false, true) => concat!(client_and_books!(), ", '[]', ", cases!(), one_client!()),
        (false, false) => concat!(client_and_books!(), ", '[]', '[]'", one_client!()),
    }
}

async fn fetch_together(tx: &Tx, client_id: i64, wanted: Wanted) -> Result<Rows> {
    let row = tx
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            together_sql(wanted),
            [client_id.into(), tx.office_id().into()],
        ))
        .await?
        .ok_or_else(|| corrupt("client page", "no row"))?;
    Ok(Rows {
        found: row.try_get_by_index(0)?,
        assigned_user_id: row.try_get_by_index(1)?,
        client: row.try_get_by_index(2)?,
        books: row.try_get_by_index(3)?,
        certs: row.try_get_by_index(4)?,
        cases: row.try_get_by_index(5)?,
    })
}

/// A row that will not read says where, never what it holds (the message goes to the log).
fn parse<T: serde::de::DeserializeOwned>(table: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
        corrupt(
            table,
            &format!("{:?} at column {}", e.classify(), e.column()),
        )
    })
}
