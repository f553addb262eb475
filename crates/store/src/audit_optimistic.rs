//! The group commit of reads on PostgreSQL in one statement. The chain hash is an HMAC with a
//! key outside the database, so the next head cannot be computed in SQL; instead the writer keeps
//! each office's head in memory, chains the batch after it in Rust, and sends one autocommitted
//! statement that moves the head only if it is still the one cached, and inserts the rows only
//! if it moved (five round trips — BEGIN, SELECT … FOR UPDATE, INSERT, UPDATE, COMMIT — become
//! one).
//!
//! Why a stale head fails safely: the statement first locks the head's row (waiting for any
//! other writer — a write unit of work's [`crate::Tx::commit`], or another app server's writer —
//! that holds it) and reads the head as committed, and moves it only if that is the cached
//! (seq, hash). If the sequence number has moved, nothing is updated and nothing inserted. The
//! writer then reads the head again and chains the batch anew. After a few lost races it takes
//! the head's row lock in a transaction as before, which always succeeds.
//!
//! Pipelining: while one append of an office is being committed, the writer sends the next,
//! chained to the head the first will leave ([`Start::After`]). It waits on the first's row
//! lock, then finds the head it expected, so the two commit one right after the other
//! instead of the second waiting to be sent. If it reaches PostgreSQL first (separate
//! connections keep no order) or the first fails, its WHERE matches nothing: it waits for the
//! first to finish and chains again to where that one left the chain. No guess can fork the
//! chain, because the statement moves the head only from exactly the (seq, hash) it names.

use crate::audit::{self, Chained, Head, PendingEvent};
use crate::audit_key::Keyring;
use crate::{Result, StoreError, now_utc};
use sea_orm::sqlx::PgPool;
use tokio::sync::watch;

/// Optimistic attempts before a batch takes the head's row lock instead.
const TRIES: usize = 4;

/// `cur` takes the head's row lock first, waiting for whoever holds it, and then reads the head
/// as that one left it: a statement chained to the head an append still in flight will leave
/// must wait for it, and a plain `UPDATE … WHERE seq = $2` would not (its snapshot's row does
/// not match yet, so it skips the row without waiting). The UPDATE moves the row locked there.
const APPEND: &str = "WITH cur AS ( \
     SELECT seq, last_hash FROM audit_heads WHERE office_id = $1 FOR UPDATE), \
 h AS ( \
     UPDATE audit_heads a SET seq = $3, last_hash = $4 FROM cur \
     WHERE a.office_id = $1 AND cur.seq = $2 AND cur.last_hash = $5 \
     RETURNING a.office_id) \
 INSERT INTO audit_events (office_id, seq, at, user_id, action, record_kind, record_id, \
     client_id, outcome, detail, prev_hash, hash, key_id) \
 SELECT h.office_id, v.seq, $6::timestamptz, v.user_id, v.action, v.record_kind, v.record_id, \
     v.client_id, v.outcome, v.detail, v.prev_hash, v.hash, $7::text \
 FROM h CROSS JOIN unnest($8::int8[], $9::int8[], $10::text[], $11::text[], $12::int8[], \
     $13::int8[], $14::text[], $15::text[], $16::text[], $17::text[]) \
     AS v(seq, user_id, action, record_kind, record_id, client_id, outcome, detail, prev_hash, hash)";

/// Where an office's append starts.
pub(crate) enum Start {
    /// No append of the office in flight: the head as the writer last saw it committed, or
    /// `None` to read it from the database.
    Known(Option<Head>),
    /// Right behind the office's append still in flight: chained to the head that one will
    /// leave, so that the two travel together (pipelining); if that guess loses, to the head it
    /// did leave.
    After(Stage),
}

/// What an append in flight tells the next one of its office.
#[derive(Clone)]
pub(crate) struct Stage {
    /// The head its rows lead to, once chained.
    chained: watch::Receiver<Option<Head>>,
    /// Once it is done: the head as committed (`None` inside when unknown).
    done: watch::Receiver<Option<Option<Head>>>,
}

/// The sending side of a [`Stage`], kept by the append itself. Dropped unpublished (its task
/// failed), it leaves the next append to read the head from the database.
pub(crate) struct Publish {
    chained: watch::Sender<Option<Head>>,
    done: watch::Sender<Option<Option<Head>>>,
}

pub(crate) fn stage() -> (Publish, Stage) {
    let (chained_tx, chained) = watch::channel(None);
    let (done_tx, done) = watch::channel(None);
    (
        Publish {
            chained: chained_tx,
            done: done_tx,
        },
        Stage { chained, done },
    )
}

impl Stage {
    async fn chained(&mut self) -> Option<Head> {
        self.chained
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|h| h.clone())
    }

    async fn done(&mut self) -> Option<Head> {
        self.done
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|h| h.clone())
            .flatten()
    }
}

/// Appends the groups (each unit of work's user and events) to the office's chain from
/// `start`, and tells the next append of the office (through `publish`) where its rows lead and
/// where the chain stands when it is done. Returns the outcome and the head as committed
/// (`None` when unknown).
pub(crate) async fn append(
    db: &sea_orm::DatabaseConnection,
    keys: &Keyring,
    start: Start,
    office_id: i64,
    groups: &[(Option<i64>, &[PendingEvent])],
    publish: Publish,
) -> (Result<()>, Option<Head>) {
    let (r, head) = attempt(db, keys, start, office_id, groups, &publish.chained).await;
    publish.done.send_replace(Some(head.clone()));
    (r, head)
}

async fn attempt(
    db: &sea_orm::DatabaseConnection,
    keys: &Keyring,
    start: Start,
    office_id: i64,
    groups: &[(Option<i64>, &[PendingEvent])],
    chained_to: &watch::Sender<Option<Head>>,
) -> (Result<()>, Option<Head>) {
    let pool = db.get_postgres_connection_pool();
    let (mut next, mut before) = match start {
        Start::Known(h) => (h, None),
        Start::After(mut s) => (s.chained().await, Some(s)),
    };
    for _ in 0..TRIES {
        let head = match next.take() {
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
        let mut conn = match pool.acquire().await {
            Ok(c) => c,
            Err(e) => return (Err(db_err(e)), None),
        };
        // The next append may go once this one is about to: told any earlier, it would more
        // often reach the head first and lose its guess.
        chained_to.send_replace(Some(chained.head.clone()));
        let written = match try_append(&mut conn, office_id, &head, &chained).await {
            Ok(n) => n,
            Err(e) => return (Err(e), None),
        };
        drop(conn);
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
        // The guess told to the next append is wrong now: it waits until this one has chained
        // again (or, if it already went, loses and waits for this one to finish).
        chained_to.send_replace(None);
        // The append ahead of this one had not reached the head yet (or failed): wait for it
        // and chain to where it left the chain. Lost again: another writer moved it; read it.
        next = match before.take() {
            Some(mut s) => s.done().await,
            None => None,
        };
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
async fn try_append(
    conn: &mut sea_orm::sqlx::PgConnection,
    office_id: i64,
    head: &Head,
    c: &Chained<'_>,
) -> Result<u64> {
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
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected())
}

fn db_err(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("audit append: {e}")))
}
