//! 操作記録: an append-only log per office, chained by SHA-256 so that a changed or removed
//! row is detectable. Written only by [`crate::Tx::commit`] (and sign-in), never updated —
//! the database refuses UPDATE and DELETE on the table.

use crate::entities::audit_event;
use crate::{Result, Store, StoreError, Tx, now_utc, stmt};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use yorisoi_domain::policy::{Action, RecordKind};

#[derive(Debug, Clone)]
pub struct PendingEvent {
    pub action: String,
    pub kind: String,
    pub record_id: Option<i64>,
    pub client_id: Option<i64>,
    pub detail: String,
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &str,
    office_id: i64,
    seq: i64,
    at: &chrono::DateTime<chrono::Utc>,
    user_id: Option<i64>,
    action: &str,
    kind: &str,
    record_id: Option<i64>,
    client_id: Option<i64>,
    outcome: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for part in [
        prev.to_string(),
        office_id.to_string(),
        seq.to_string(),
        at.timestamp_micros().to_string(),
        opt(user_id),
        action.into(),
        kind.into(),
        opt(record_id),
        opt(client_id),
        outcome.into(),
        detail.into(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends `events` to the office's chain inside the caller's transaction.
pub(crate) async fn append<C: ConnectionTrait>(
    conn: &C,
    office_id: i64,
    user_id: Option<i64>,
    events: &[PendingEvent],
) -> Result<()> {
    append_groups(conn, office_id, &[(user_id, events)]).await
}

/// Most rows in one INSERT: 12 values each stays far below SQLite's and PostgreSQL's limits.
const INSERT_CHUNK: usize = 400;

/// Appends the events of several units of work (each with its user) to one office's chain:
/// the head is read and written once and the rows go in multi-row INSERTs, so the group commit
/// of reads costs a few statements per batch rather than three per page view.
pub(crate) async fn append_groups<C: ConnectionTrait>(
    conn: &C,
    office_id: i64,
    groups: &[(Option<i64>, &[PendingEvent])],
) -> Result<()> {
    if groups.iter().all(|(_, events)| events.is_empty()) {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = conn
        .query_one_raw(stmt(
            backend,
            &format!("SELECT seq, last_hash FROM audit_heads WHERE office_id = ?{lock}"),
            vec![office_id.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("audit head missing for office {office_id}")))?;
    let mut seq: i64 = row.try_get_by_index(0)?;
    let mut prev: String = row.try_get_by_index(1)?;
    let at = now_utc();
    let mut rows = Vec::new();
    for (user_id, events) in groups {
        for e in events.iter() {
            seq += 1;
            let hash = chain_hash(
                &prev,
                office_id,
                seq,
                &at,
                *user_id,
                &e.action,
                &e.kind,
                e.record_id,
                e.client_id,
                "ok",
                &e.detail,
            );
            rows.push(audit_event::ActiveModel {
                office_id: Set(office_id),
                seq: Set(seq),
                at: Set(at),
                user_id: Set(*user_id),
                action: Set(e.action.clone()),
                record_kind: Set(e.kind.clone()),
                record_id: Set(e.record_id),
                client_id: Set(e.client_id),
                outcome: Set("ok".into()),
                detail: Set(e.detail.clone()),
                prev_hash: Set(std::mem::replace(&mut prev, hash.clone())),
                hash: Set(hash),
                ..Default::default()
            });
        }
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        audit_event::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    conn.execute_raw(stmt(
        backend,
        "UPDATE audit_heads SET seq = ?, last_hash = ? WHERE office_id = ?",
        vec![seq.into(), prev.into(), office_id.into()],
    ))
    .await?;
    Ok(())
}

/// Filters for the audit-log screen.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub client_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub page: u64,
    pub per_page: u64,
}

/// Lists the office's events, newest first (admins only). Viewing the log is itself logged.
pub async fn list(tx: &mut Tx, f: &AuditFilter) -> Result<(Vec<audit_event::Model>, u64)> {
    tx.office_access(RecordKind::AuditLog, Action::Read)?;
    let mut q =
        audit_event::Entity::find().filter(audit_event::Column::OfficeId.eq(tx.office_id()));
    if let Some(u) = f.user_id {
        q = q.filter(audit_event::Column::UserId.eq(u));
    }
    if let Some(c) = f.client_id {
        q = q.filter(audit_event::Column::ClientId.eq(c));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_event::Column::Action.eq(a.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_event::Column::At.gte(t));
    }
    if let Some(t) = f.until {
        q = q.filter(audit_event::Column::At.lt(t));
    }
    let total = q.clone().count(tx.conn()).await?;
    let per = f.per_page.clamp(1, 500);
    let rows = q
        .order_by_desc(audit_event::Column::Seq)
        .offset(f.page * per)
        .limit(per)
        .all(tx.conn())
        .await?;
    tx.record("list", RecordKind::AuditLog, None, None, "");
    Ok((rows, total))
}

/// Walks the office's chain; `Ok(n)` with the number of events when every link holds, or the
/// sequence number of the first broken link.
pub async fn verify(store: &Store, office_id: i64) -> Result<std::result::Result<u64, i64>> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut last_id = 0i64;
    loop {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::OfficeId.eq(office_id))
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(1000)
            .all(store.conn())
            .await?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            let h = chain_hash(
                &prev,
                e.office_id,
                e.seq,
                &e.at,
                e.user_id,
                &e.action,
                &e.record_kind,
                e.record_id,
                e.client_id,
                &e.outcome,
                &e.detail,
            );
            if e.seq != expected_seq || e.prev_hash != prev || e.hash != h {
                return Ok(Err(expected_seq));
            }
            prev = e.hash;
            expected_seq += 1;
            last_id = e.id;
        }
    }
    let _ = last_id;
    // The head must point at the last event, or events were cut off the end.
    let head = store
        .conn()
        .query_one_raw(stmt(
            store.backend(),
            "SELECT seq, last_hash FROM audit_heads WHERE office_id = ?",
            vec![office_id.into()],
        ))
        .await?;
    if let Some(r) = head {
        let seq: i64 = r.try_get_by_index(0)?;
        let h: String = r.try_get_by_index(1)?;
        if seq != expected_seq - 1 || h != prev {
            return Ok(Err(expected_seq));
        }
    }
    Ok(Ok((expected_seq - 1) as u64))
}

/// A sign-in or sign-out, logged outside a user's unit of work. Takes the writer's turn like a
/// unit of work does (on SQLite two events of one office at once would otherwise both read the
/// chain head and one fail to write).
pub async fn record_auth_event(
    store: &Store,
    office_id: i64,
    user_id: i64,
    action: &str,
) -> Result<()> {
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let ev = PendingEvent {
        action: action.into(),
        kind: "session".into(),
        record_id: None,
        client_id: None,
        detail: String::new(),
    };
    append(&txn, office_id, Some(user_id), &[ev]).await?;
    txn.commit().await?;
    Ok(())
}
