//! Moving an office's ledger in from a spreadsheet: the clients a file's rows may duplicate, and
//! the import itself, all rows in the caller's one unit of work. Every client goes through
//! [`clients::create`] / [`clients::update`] and every certificate through
//! [`certificates::add`], so validation, authorization and per-record audit are those of a typed
//! entry; the import as a whole is one more audit event with its counts.
//!
//! Only those who may write the whole office's ledger (管理者, 主任, 事務) may import: a
//! specialist sees only their own clients, so matching a file against the ledger would tell
//! them of clients they may not see.

use crate::entities::{certificate, client};
use crate::{Result, StoreError, Tx, certificates, clients};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};
use yorisoi_domain::certificate::CertificateRecord;
use yorisoi_domain::client::ClientRecord;
use yorisoi_domain::import::{Counts, Known};
use yorisoi_domain::policy::{Action, RecordKind};

/// Refuses (as not found) anyone who may not write the whole office's ledger.
pub fn check_may_import(tx: &Tx) -> Result<()> {
    tx.office_access(RecordKind::Ledger, Action::Write)?;
    tx.office_access(RecordKind::Certificate, Action::Write)
}

/// The office's clients as the duplicate check needs them: name, birth date, version and their
/// certificates' numbers. Nothing of another office is read.
pub async fn known(tx: &mut Tx) -> Result<Vec<Known>> {
    check_may_import(tx)?;
    let rows: Vec<(i64, i32, String, String, chrono::NaiveDate)> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::Version)
        .column(client::Column::FamilyName)
        .column(client::Column::GivenName)
        .column(client::Column::BirthDate)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let numbers: Vec<(i64, String)> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ClientId)
        .column(certificate::Column::Number)
        .filter(certificate::Column::OfficeId.eq(tx.office_id()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut by_client: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for (id, n) in numbers {
        by_client.entry(id).or_default().push(n);
    }
    tx.record(
        "import_check",
        RecordKind::Ledger,
        None,
        None,
        format!("compared={}", rows.len()),
    );
    Ok(rows
        .into_iter()
        .map(
            |(client_id, version, family_name, given_name, birth_date)| Known {
                client_id,
                version,
                family_name,
                given_name,
                birth_date,
                cert_numbers: by_client.remove(&client_id).unwrap_or_default(),
            },
        )
        .collect())
}

/// What to do with one row.
#[derive(Debug, Clone)]
pub enum Step {
    Create,
    /// Replace the ledger entry read at `version` (a later change refuses the whole import).
    Update {
        client_id: i64,
        version: i32,
    },
    Skip,
}

/// One row, checked, with what to do with it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The spreadsheet's row number (for a refusal that names it).
    pub row: usize,
    pub record: ClientRecord,
    pub cert: Option<CertificateRecord>,
    pub staff_id: Option<i64>,
    pub step: Step,
}

/// A refusal of one row of the file.
#[derive(Debug)]
pub struct RowRefused {
    pub row: usize,
    pub error: StoreError,
}

/// Imports every row in `tx` (the caller commits: all or nothing). `progress` is told after
/// each row.
pub async fn run(
    tx: &mut Tx,
    rows: &[Planned],
    mut progress: impl FnMut(usize),
) -> std::result::Result<Counts, RowRefused> {
    let refused = |row: usize| move |error: StoreError| RowRefused { row, error };
    check_may_import(tx).map_err(refused(0))?;
    let mut counts = Counts::default();
    for (i, p) in rows.iter().enumerate() {
        let client_id = match p.step {
            Step::Skip => {
                counts.skipped += 1;
                progress(i + 1);
                continue;
            }
            Step::Create => {
                let id = clients::create(tx, &p.record, p.staff_id)
                    .await
                    .map_err(refused(p.row))?;
                counts.created += 1;
                id
            }
            Step::Update { client_id, version } => {
                let acc = tx
                    .client_access(client_id, RecordKind::Ledger, Action::Write)
                    .await
                    .map_err(refused(p.row))?;
                clients::update(tx, &acc, version, &p.record)
                    .await
                    .map_err(refused(p.row))?;
                counts.updated += 1;
                client_id
            }
        };
        if let Some(c) = &p.cert {
            // An update that brings the certificate the ledger already holds adds no version.
            let same = matches!(p.step, Step::Update { .. })
                && has_certificate(tx, client_id, c)
                    .await
                    .map_err(refused(p.row))?;
            if !same {
                let acc = tx
                    .client_access(client_id, RecordKind::Certificate, Action::Write)
                    .await
                    .map_err(refused(p.row))?;
                certificates::add(tx, &acc, c)
                    .await
                    .map_err(refused(p.row))?;
                counts.certificates += 1;
            }
        }
        progress(i + 1);
    }
    tx.record(
        "import",
        RecordKind::Ledger,
        None,
        None,
        format!(
            "created={} updated={} skipped={} certificates={}",
            counts.created, counts.updated, counts.skipped, counts.certificates
        ),
    );
    // Planner statistics after a large move-in, so the first searches do not use an empty
    // table's plan (PostgreSQL only; a role that may not analyse just gets a warning).
    if rows.len() >= 1_000 && tx.backend() == DbBackend::Postgres {
        for t in ["clients", "certificates"] {
            tx.conn()
                .execute_unprepared(&format!("ANALYZE {t}"))
                .await
                .map_err(|e| refused(0)(e.into()))?;
        }
    }
    Ok(counts)
}

async fn has_certificate(tx: &Tx, client_id: i64, c: &CertificateRecord) -> Result<bool> {
    let n = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::Id)
        .filter(certificate::Column::OfficeId.eq(tx.office_id()))
        .filter(certificate::Column::ClientId.eq(client_id))
        .filter(certificate::Column::Number.eq(c.number.as_str()))
        .filter(certificate::Column::DecisionFrom.eq(c.decision_from))
        .filter(certificate::Column::DecisionUntil.eq(c.decision_until))
        .into_tuple::<i64>()
        .one(tx.conn())
        .await?;
    Ok(n.is_some())
}
