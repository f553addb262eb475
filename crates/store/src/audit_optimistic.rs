//! The group commit of reads on PostgreSQL in one statement. The chain hash is an HMAC with a
//! key outside the database, so the next head cannot be computed in SQL; instead the writer keeps
//! each office's head in memory, chains the batch after it in Rust, and sends one autocommitted
//! statement that moves the head only if it is still the one cached, and inserts the rows only
//! if it moved (five round trips — BEGIN, SELECT … FOR UPDATE, INSERT, UPDATE, COMMIT — become
//! one).
//!
//! Why a stale head fails safely: the UPDATE's WHERE names the cached (seq, hash). If another
//! writer (a write unit of work's [`crate::Tx::commit`], or another app server's writer) holds
//! the row, READ COMMITTED makes the UPDATE wait for it and re-check the WHERE against the row
//! as committed; the sequence number has moved, so nothing is updated and nothing inserted. The
//! writer then reads the head again and chains the batch anew. After a few lost races it takes
//! the head's row lock in a transaction as before, which always succeeds.

use crate::audit::{self, Chained, Head, PendingEvent};
use crate::audit_key::Keyring;
use crate::{Result, StoreError, now_utc};
use sea_orm::sqlx::PgPool;
use std::collections::HashMap;

/// Heads kept per office; past this the map starts again (an office not cached costs one
/// SELECT on its next batch).
const MAX_CACHED: usize = 10_000;

/// Optimistic attempts before a batch takes the head's row lock instead.
const TRIES: usize = 4;

const APPEND: &str = "WITH h AS ( \
     UPDATE audit_heads SET seq = $3, last_hash = $4 \
     WHERE office_id = $1 AND seq = $2 AND last_hash = $5 \
     RETURNING office_id) \
 INSERT INTO audit_events (office_id, seq, at, user_id, action, record_kind, record_id, \
     client_id, outcome, detail, prev_hash, hash, key_id) \
 SELECT h.office_id, v.seq, $6::timestamptz, v.user_id, v.action, v.record_kind, v.record_id, \
     v.client_id, v.outcome, v.detail, v.prev_hash, v.hash, $7::text \
 FROM h CROSS JOIN unnest($8::int8[], $9::int8[], $10::text[], $11::text[], $12::int8[], \
     $13::int8[], $14::text[], $15::text[], $16::text[], $17::text[]) \
     AS v(seq, user_id, action, record_kind, record_id, client_id, outcome, detail, prev_hash, hash)";

/// The heads the writer task last wrote or read, per office.
#[derive(Default)]
pub(crate) struct Heads(HashMap<i64, Head>);

impl Heads {
    pub(crate) fn take(&mut self, office_id: i64) -> Option<Head> {
        self.0.remove(&office_id)
    }

    pub(crate) fn remember(&mut self, office_id: i64, head: Head) {
        if self.0.len() >= MAX_CACHED {
            self.0.clear();
        }
        self.0.insert(office_id, head);
    }
}

/// Appends the groups (each unit of work's user and events) to the office's chain after the
/// `cached` head, if any. Returns the outcome and the head to cache (`None` when unknown).
pub(crate) async fn append(
    db: &sea_orm::DatabaseConnection,
    keys: &Keyring,
    mut cached: Option<Head>,
    office_id: i64,
    groups: &[(Option<i64>, &[PendingEvent])],
) -> (Result<()>, Option<Head>) {
    let pool = db.get_postgres_connection_pool();
    for _ in 0..TRIES {
        let head = match cached.take() {
            Some(h) => h,
            None => match read_head(pool, office_id).await {
                Ok(h) => h,
                Err(e) => return (Err(e), None),
            },
        };
        let chained = audit::chain(keys, office_id, &head, now_utc(), groups);
        let expected = chained.rows.len() as u64;
        // An error leaves the statement's fate unknown (e.g. the connection dropped): the head
        // is read again next time.
        let written = match try_append(pool, office_id, &head, &chained).await {
            Ok(n) => n,
            Err(e) => return (Err(e), None),
        };
        if written == expected {
            return (Ok(()), Some(chained.head));
        }
        if written != 0 {
            let e = StoreError::Corrupt(format!(
                "audit append wrote {written} of {expected} events for office {office_id}"
            ));
            return (Err(e), None);
        }
        tracing::debug!(
            office_id,
            "audit head moved under the cache; chaining again"
        );
    }
    // Lost every race (another writer busy on this office): queue on the row lock.
    let locked = async {
        use sea_orm::TransactionTrait;
        let txn = db.begin().await?;
        let head = audit::append_groups(&txn, keys, office_id, groups).await?;
        txn.commit().await?;
        Ok::<_, StoreError>(head)
    };
    match locked.await {
        Ok(head) => (Ok(()), Some(head)),
        Err(e) => (Err(e), None),
    }
}

async fn read_head(pool: &PgPool, office_id: i64) -> Result<Head> {
    let row: Option<(i64, String)> =
        sea_orm::sqlx::query_as("SELECT seq, last_hash FROM audit_heads WHERE office_id = $1")
            .bind(office_id)
            .fetch_optional(pool)
            .await
            .map_err(db_err)?;
    let (seq, hash) = row
        .ok_or_else(|| StoreError::Corrupt(format!("audit head missing for office {office_id}")))?;
    Ok(Head { seq, hash })
}

/// One autocommitted statement; returns the rows inserted (0 when the head was not `head`).
async fn try_append(pool: &PgPool, office_id: i64, head: &Head, c: &Chained<'_>) -> Result<u64> {
    // Columns as arrays, built before the await (closures over the rows would make the
    // future's Send bound higher-ranked).
    let n = c.rows.len();
    let (mut seq, mut user_id, mut record_id, mut client_id) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut action, mut kind, mut outcome, mut detail, mut prev_hash, mut hash) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for r in &c.rows {
        seq.push(r.seq);
        user_id.push(r.user_id);
        record_id.push(r.event.record_id);
        client_id.push(r.event.client_id);
        action.push(r.event.action.clone());
        kind.push(r.event.kind.clone());
        outcome.push(r.event.outcome.to_string());
        detail.push(r.event.detail.clone());
        prev_hash.push(r.prev_hash.clone());
        hash.push(r.hash.clone());
    }
    let done = sea_orm::sqlx::query(APPEND)
        .bind(office_id)
        .bind(head.seq)
        .bind(c.head.seq)
        .bind(c.head.hash.clone())
        .bind(head.hash.clone())
        .bind(c.at)
        .bind(c.key_id.clone())
        .bind(seq)
        .bind(user_id)
        .bind(action)
        .bind(kind)
        .bind(record_id)
        .bind(client_id)
        .bind(outcome)
        .bind(detail)
        .bind(prev_hash)
        .bind(hash)
        .execute(pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected())
}

fn db_err(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("audit append: {e}")))
}
