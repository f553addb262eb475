//! 操作記録: an append-only log per office. Each event's hash is an HMAC over the previous hash
//! and the event, keyed with a secret outside the database ([`crate::audit_key`]), so a changed,
//! removed or inserted row is detectable by someone who holds the key and not forgeable by
//! someone who holds only the database login; signed checkpoints outside the database catch a
//! log cut short. Written only by [`crate::Tx::commit`] (and sign-in), never updated — the
//! database refuses UPDATE, DELETE and TRUNCATE on the table. Events written before the key
//! existed (`key_id` empty) carry a plain SHA-256 chain and are reported as such.

use crate::audit_key::{self, Keyring};
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
    /// `ok`, or `refused` for an access the policy turned down or a failed sign-in.
    pub outcome: &'static str,
    pub detail: String,
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn chain_hash(
    key: Option<(&str, &[u8])>,
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
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let parts = [
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
    ];
    match key {
        Some((key_id, secret)) => {
            let mut refs: Vec<&str> = vec![key_id];
            refs.extend(parts.iter().map(String::as_str));
            audit_key::mac(secret, &refs)
        }
        None => {
            let mut h = Sha256::new();
            for part in parts {
                h.update(part.as_bytes());
                h.update([0x1f]);
            }
            hex::encode(h.finalize())
        }
    }
}

/// Appends `events` to the office's chain inside the caller's transaction.
pub(crate) async fn append<C: ConnectionTrait>(
    conn: &C,
    keys: &Keyring,
    office_id: i64,
    user_id: Option<i64>,
    events: &[PendingEvent],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    append_groups(conn, keys, office_id, &[(user_id, events)]).await?;
    Ok(())
}

/// Most rows in one INSERT: 12 values each stays far below SQLite's and PostgreSQL's limits.
const INSERT_CHUNK: usize = 400;

/// An office's chain head: the last sequence number and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) seq: i64,
    pub(crate) hash: String,
}

/// One event given its place in the chain.
pub(crate) struct Linked<'a> {
    pub(crate) seq: i64,
    pub(crate) user_id: Option<i64>,
    pub(crate) event: &'a PendingEvent,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

/// Events chained after a head, all stamped `at` and keyed with `key_id`.
pub(crate) struct Chained<'a> {
    pub(crate) at: chrono::DateTime<chrono::Utc>,
    pub(crate) key_id: String,
    pub(crate) rows: Vec<Linked<'a>>,
    /// The head once these rows are in.
    pub(crate) head: Head,
}

/// Chains the events of several units of work (each with its user) after `head`. Pure: the
/// caller writes the rows and moves the head, in one transaction or in one statement.
pub(crate) fn chain<'a>(
    keys: &Keyring,
    office_id: i64,
    head: &Head,
    at: chrono::DateTime<chrono::Utc>,
    groups: &[(Option<i64>, &'a [PendingEvent])],
) -> Chained<'a> {
    let key = keys.current();
    let key_id = key.map(|(k, _)| k.to_string()).unwrap_or_default();
    let mut seq = head.seq;
    let mut prev = head.hash.clone();
    let mut rows = Vec::new();
    for (user_id, events) in groups {
        for e in events.iter() {
            seq += 1;
            let hash = chain_hash(
                key,
                &prev,
                office_id,
                seq,
                &at,
                *user_id,
                &e.action,
                &e.kind,
                e.record_id,
                e.client_id,
                e.outcome,
                &e.detail,
            );
            rows.push(Linked {
                seq,
                user_id: *user_id,
                event: e,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            });
        }
    }
    Chained {
        at,
        key_id,
        rows,
        head: Head { seq, hash: prev },
    }
}

/// Appends the events of several units of work (each with its user) to one office's chain
/// inside the caller's transaction: the head is read (locked on PostgreSQL) and written once
/// and the rows go in multi-row INSERTs. Returns the new head.
pub(crate) async fn append_groups<C: ConnectionTrait>(
    conn: &C,
    keys: &Keyring,
    office_id: i64,
    groups: &[(Option<i64>, &[PendingEvent])],
) -> Result<Head> {
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
    let head = Head {
        seq: row.try_get_by_index(0)?,
        hash: row.try_get_by_index(1)?,
    };
    if groups.iter().all(|(_, events)| events.is_empty()) {
        return Ok(head);
    }
    let chained = chain(keys, office_id, &head, now_utc(), groups);
    let mut rows: Vec<audit_event::ActiveModel> = Vec::with_capacity(chained.rows.len());
    for r in chained.rows {
        rows.push(audit_event::ActiveModel {
            office_id: Set(office_id),
            seq: Set(r.seq),
            at: Set(chained.at),
            user_id: Set(r.user_id),
            action: Set(r.event.action.clone()),
            record_kind: Set(r.event.kind.clone()),
            record_id: Set(r.event.record_id),
            client_id: Set(r.event.client_id),
            outcome: Set(r.event.outcome.into()),
            detail: Set(r.event.detail.clone()),
            key_id: Set(chained.key_id.clone()),
            prev_hash: Set(r.prev_hash),
            hash: Set(r.hash),
            ..Default::default()
        });
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
        vec![
            chained.head.seq.into(),
            chained.head.hash.clone().into(),
            office_id.into(),
        ],
    ))
    .await?;
    Ok(chained.head)
}

/// The clients a list, search or dashboard showed, for its event's detail: `shown=,3,17,` —
/// so that "who saw this person, on which screen" finds list views too (see [`list`]).
pub(crate) fn shown(ids: impl IntoIterator<Item = i64>) -> String {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return String::new();
    }
    let mut s = String::from("shown=,");
    for id in ids {
        s.push_str(&id.to_string());
        s.push(',');
    }
    s
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
        // Its own records, and every list that showed it (`shown` comes last in a detail).
        q = q.filter(
            sea_orm::Condition::any()
                .add(audit_event::Column::ClientId.eq(c))
                .add(audit_event::Column::Detail.like(format!("%shown=%,{c},%"))),
        );
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

/// What `verify` found for one office.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub events: u64,
    /// The first event that does not hold (its sequence number) and why, in Japanese.
    pub broken: Option<(i64, String)>,
    /// Events written before the key existed: a plain SHA-256 chain, provable only by the
    /// checkpoints taken after them.
    pub unkeyed: u64,
    pub key_ids: Vec<String>,
    /// Checkpoints compared with the log.
    pub checkpoints: usize,
    pub last_checkpoint: Option<audit_key::Checkpoint>,
    /// Findings from the checkpoints (a log cut short, an edited checkpoint file), in Japanese.
    pub problems: Vec<String>,
    /// The head was ahead of the events walked: events cut off the end, or written while the
    /// walk ran (then a second walk finds them).
    head_ahead: bool,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.broken.is_none() && self.problems.is_empty()
    }
}

/// Walks the office's chain with the store's keyring, and compares it with the signed
/// checkpoints in the store's checkpoint directory (when one is set). The events and the head
/// are read one after the other, not in one snapshot: a head ahead of the walk is walked again
/// (a few times) before it is reported as events cut off the end.
pub async fn verify(store: &Store, office_id: i64) -> Result<Verification> {
    let mut v = verify_once(store, office_id).await?;
    for _ in 0..3 {
        if !v.head_ahead {
            break;
        }
        v = verify_once(store, office_id).await?;
    }
    Ok(v)
}

async fn verify_once(store: &Store, office_id: i64) -> Result<Verification> {
    let keys = store.audit_keys();
    let mut out = Verification::default();
    let mut by_seq = std::collections::HashMap::new();
    if let Some(dir) = store.checkpoint_dir() {
        let file = audit_key::read_checkpoints(&dir, office_id)?;
        for n in file.bad_lines {
            out.problems.push(format!(
                "チェックポイントファイルの {n} 行目が読めません（書き換えまたは破損）"
            ));
        }
        for c in file.checkpoints {
            if !c.signature_ok(&keys) {
                out.problems.push(format!(
                    "{} のチェックポイント（{} 件目）の署名が合いません（書き換え、または鍵 {} がありません）",
                    c.at, c.seq, c.key_id
                ));
                continue;
            }
            out.checkpoints += 1;
            if out.last_checkpoint.as_ref().is_none_or(|l| c.seq >= l.seq) {
                out.last_checkpoint = Some(c.clone());
            }
            by_seq.insert(c.seq, c);
        }
    }
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut keyed_seen = false;
    'walk: loop {
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
            let why = if e.seq != expected_seq {
                Some(format!(
                    "{expected_seq} 件目の記録がありません（削除されたか、番号が書き換えられています）"
                ))
            } else if e.prev_hash != prev {
                Some(
                    "前の記録とのつながりが合いません（前の記録が削除・書き換えされています）"
                        .into(),
                )
            } else {
                let key = if e.key_id.is_empty() {
                    None
                } else {
                    keys.get(&e.key_id).map(|k| (e.key_id.as_str(), k))
                };
                if e.key_id.is_empty() && keyed_seen {
                    Some("鍵付きの記録の後に鍵のない記録があります（書き換え）".into())
                } else if !e.key_id.is_empty() && key.is_none() {
                    Some(format!(
                        "鍵 {} がないため確かめられません（鍵ファイルを確かめてください）",
                        e.key_id
                    ))
                } else {
                    let h = chain_hash(
                        key,
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
                    (e.hash != h)
                        .then(|| "内容が書き換えられています（ハッシュが合いません）".into())
                }
            };
            if let Some(why) = why {
                out.broken = Some((expected_seq, why));
                break 'walk;
            }
            if let Some(c) = by_seq.get(&e.seq)
                && c.head != e.hash
            {
                out.problems.push(format!(
                    "{} のチェックポイントと {} 件目が一致しません（それまでの記録が作り直されています）",
                    c.at, c.seq
                ));
            }
            if e.key_id.is_empty() {
                out.unkeyed += 1;
            } else {
                keyed_seen = true;
                if !out.key_ids.contains(&e.key_id) {
                    out.key_ids.push(e.key_id.clone());
                }
            }
            prev = e.hash;
            expected_seq += 1;
        }
    }
    out.events = (expected_seq - 1) as u64;
    if out.broken.is_none() {
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
                out.head_ahead = seq > expected_seq - 1;
                out.broken = Some((
                    expected_seq,
                    format!(
                        "最後の記録（{} 件目）と記録の先頭（{seq} 件目）が合いません（末尾の削除）",
                        expected_seq - 1
                    ),
                ));
            }
        }
    }
    if let Some(c) = &out.last_checkpoint
        && out.broken.is_none()
        && c.seq > out.events as i64
    {
        out.problems.push(format!(
            "記録が減っています: {} の時点で {} 件あった記録が {} 件しかありません（末尾の削除または全削除）",
            c.at, c.seq, out.events
        ));
    }
    Ok(out)
}

/// Appends a signed checkpoint for every office whose log grew since the last one this process
/// wrote; returns how many were written. Nothing to do without a key or a directory.
pub async fn checkpoint(store: &Store) -> Result<usize> {
    let (Some(dir), keys) = (store.checkpoint_dir(), store.audit_keys()) else {
        return Ok(0);
    };
    let rows = store
        .conn()
        .query_all_raw(stmt(
            store.backend(),
            "SELECT office_id, seq, last_hash FROM audit_heads ORDER BY office_id",
            vec![],
        ))
        .await?;
    let mut written = 0;
    for r in rows {
        let office_id: i64 = r.try_get_by_index(0)?;
        let seq: i64 = r.try_get_by_index(1)?;
        let head: String = r.try_get_by_index(2)?;
        if seq == 0 || store.checkpointed(office_id) == Some(seq) {
            continue;
        }
        let Some(c) = audit_key::Checkpoint::sign(&keys, office_id, seq, &head) else {
            return Ok(written);
        };
        audit_key::append_checkpoint(&dir, &c)?;
        store.set_checkpointed(office_id, seq);
        written += 1;
    }
    Ok(written)
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
    let refused = action.ends_with("_failed") || action.ends_with("_throttled");
    let ev = PendingEvent {
        action: action.into(),
        kind: "session".into(),
        record_id: None,
        client_id: None,
        outcome: if refused { "refused" } else { "ok" },
        detail: String::new(),
    };
    append(&txn, &store.audit_keys(), office_id, Some(user_id), &[ev]).await?;
    txn.commit().await?;
    Ok(())
}
