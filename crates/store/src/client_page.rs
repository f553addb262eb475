//! A client's small reads — the client, 障害者手帳, 受給者証, cases and the first page of case
//! notes — together, for the client page and the client's JSON.
//!
//! On PostgreSQL a read unit runs no transaction (each statement is its own snapshot), so these
//! five reads were five round trips and five snapshots. Here they are one statement: PostgreSQL
//! turns each table's rows into JSON, so the five share one snapshot and one round trip (a
//! client that is not the office's costs one statement more: the refusal reads it as before).
//! Access is checked exactly as the reads one by one check it, and each part is read into its
//! models only once its check has passed; the same events are logged. SQLite (in process, a
//! transaction per page already) and write units read one by one.

use crate::cases::{self, Case};
use crate::certificates::{self, Certificate};
use crate::clients::{self, Client};
use crate::notes::{self, Note};
use crate::{Result, Tx, corrupt};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use yorisoi_domain::policy::{Action, RecordKind};

/// Which records besides the ledger entry and its books are wanted.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub certificates: bool,
    pub cases: bool,
    /// The first page of case notes, this many (newest first, no search; up to 200).
    pub notes: Option<u64>,
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
    /// Empty unless wanted.
    pub notes: Vec<Note>,
    /// More notes follow the page.
    pub more_notes: bool,
}

/// Client `client_id`'s ledger entry and books, with its certificates and cases as `wanted`.
/// Refused (and logged) as the reads one by one would refuse.
pub async fn read(tx: &mut Tx, client_id: i64, wanted: Wanted) -> Result<Parts> {
    let wanted = Wanted {
        notes: wanted.notes.map(|n| n.clamp(1, 200)),
        ..wanted
    };
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
    let (mut notes, mut more_notes) = (Vec::new(), false);
    if let Some(limit) = wanted.notes {
        let acc = tx
            .client_access(client_id, RecordKind::CaseNote, Action::Read)
            .await?;
        (notes, more_notes) = match rows.as_ref() {
            Some(r) => {
                notes::first_page_from_rows(tx, &acc, parse("case_notes", &r.notes)?, limit)?
            }
            None => notes::list(tx, &acc, "", limit, 0).await?,
        };
    }
    Ok(Parts {
        client,
        books,
        certs,
        cases,
        notes,
        more_notes,
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
    notes: String,
}

// Every subquery is limited to the actor's office: another office's client reads as absent
// (and [`Tx::client_access`] then refuses it as it always has). The orders are those of
// `clients::books`, `certificates::list`, `cases::list` and `notes::list`. One statement per
// combination, not a `CASE WHEN $3`: with a first shape of this statement PostgreSQL kept
// re-planning the parameter form (a custom plan with the branch folded away looks cheaper than
// the generic one), which doubled its cost; fixed strings leave no such choice
// (`bench/client_reads.sh`).
const CLIENT_AND_BOOKS: &str = "SELECT c.id IS NOT NULL, c.assigned_user_id, row_to_json(c)::text, \
     (SELECT coalesce(json_agg(b ORDER BY b.id), '[]')::text \
       FROM disability_books b WHERE b.client_id = $1 AND b.office_id = $2)";
const CERTIFICATES: &str = "(SELECT coalesce(json_agg(t ORDER BY t.version_no DESC), '[]')::text \
       FROM certificates t WHERE t.client_id = $1 AND t.office_id = $2)";
const CASES: &str = "(SELECT coalesce(json_agg(k ORDER BY k.opened_on DESC, k.id DESC), '[]')::text \
       FROM cases k WHERE k.client_id = $1 AND k.office_id = $2)";
// The page first (the (client, occurred_at) index), then into JSON in the same order. The
// search copy of each note (`search_text`, its content folded again) is not sent: the page never
// shows it.
const NOTES: &str = "(SELECT coalesce(json_agg(n ORDER BY n.occurred_at DESC, n.id DESC), '[]')::text \
       FROM (SELECT id, office_id, client_id, case_id, occurred_at, kind, counterpart, content, \
                    minutes, staff_user_id, version, created_at, updated_at, '' AS search_text \
             FROM case_notes WHERE office_id = $2 AND client_id = $1 \
             ORDER BY occurred_at DESC, id DESC LIMIT $3) n)";
const ONE_CLIENT: &str =
    " FROM (SELECT 1) one LEFT JOIN clients c ON c.id = $1 AND c.office_id = $2";

/// The statement for each combination of parts, built once.
static TOGETHER: std::sync::LazyLock<[String; 8]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|i| {
        let part = |bit: usize, sql: &'static str| if i & bit != 0 { sql } else { "'[]'" };
        format!(
            "{CLIENT_AND_BOOKS}, {}, {}, {}{ONE_CLIENT}",
            part(1, CERTIFICATES),
            part(2, CASES),
            part(4, NOTES)
        )
    })
});

fn together_sql(wanted: Wanted) -> &'static str {
    let i = usize::from(wanted.certificates)
        | usize::from(wanted.cases) << 1
        | usize::from(wanted.notes.is_some()) << 2;
    &TOGETHER[i]
}

async fn fetch_together(tx: &Tx, client_id: i64, wanted: Wanted) -> Result<Rows> {
    let mut values: Vec<sea_orm::Value> = vec![client_id.into(), tx.office_id().into()];
    if let Some(limit) = wanted.notes {
        // One more than the page, as notes::list reads: whether more follow.
        values.push(((limit + 1) as i64).into());
    }
    let row = tx
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            together_sql(wanted),
            values,
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
        notes: row.try_get_by_index(6)?,
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
