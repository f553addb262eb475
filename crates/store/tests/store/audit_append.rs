//! Issue 22: the group commit of reads appends with one statement on a head cached in the
//! writer. A head made stale by a write — of this app server or of another one — is chained
//! again, never lost or forked; two app servers on one database share chains, sessions and
//! sign-in limits.

use crate::common::*;
use sea_orm::ConnectionTrait;
use sea_orm::sqlx::{Connection, PgConnection};
use std::time::Duration;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::*;

/// The office's event count, asserting that its log verifies.
async fn verified(store: &Store, office_id: i64) -> u64 {
    let v = audit::verify(store, office_id).await.unwrap();
    assert!(v.intact(), "{v:?}");
    v.events
}

/// The rows of the office's log, counted by the database itself.
async fn stored(store: &Store, office_id: i64) -> u64 {
    let row = store
        .conn()
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            store.backend(),
            if store.is_sqlite() {
                "SELECT COUNT(*) FROM audit_events WHERE office_id = ?"
            } else {
                "SELECT COUNT(*) FROM audit_events WHERE office_id = $1"
            },
            [office_id.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap() as u64
}

/// A ledger read (one event) of `id` by `actor`.
async fn read_ledger(store: &Store, actor: Actor, id: i64) {
    let mut tx = store.read(actor).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await
        .unwrap();
    clients::get(&mut tx, &acc).await.unwrap();
    tx.commit().await.unwrap();
}

/// A write unit of work that appends one event and commits.
async fn write_one(store: &Store, actor: Actor, id: i64, detail: &str) {
    let mut tx = store.begin(actor).await.unwrap();
    tx.record("update", RecordKind::Ledger, Some(id), Some(id), detail);
    tx.commit().await.unwrap();
}

store_test!(
    a_head_moved_by_a_write_is_read_again,
    |store: Store| async move {
        let o = office(&store, "よりそい", "s").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let n = verified(&store, o.admin.office_id).await;
        // The read caches the head; the writes move it behind the cache's back.
        read_ledger(&store, o.spec, id).await;
        for i in 0..3 {
            write_one(&store, o.spec, id, &format!("w{i}")).await;
            read_ledger(&store, o.spec, id).await;
        }
        assert_eq!(verified(&store, o.admin.office_id).await, n + 7);
        assert_eq!(stored(&store, o.admin.office_id).await, n + 7);
    }
);

// ---- Two app servers on one PostgreSQL database.

/// A second store on the database of `first` (named `name`), as another app server would open.
async fn second_server(name: &str) -> Store {
    let admin = testing::postgres_admin_url();
    let base = admin.rsplit_once('/').unwrap().0;
    let s = Store::connect(&format!("{base}/{name}")).await.unwrap();
    s.set_audit_keyring(audit_key::Keyring::for_tests());
    s
}

/// A connection of its own to the store's database (not from its pools).
async fn own_connection(store: &Store) -> PgConnection {
    let options = store
        .conn()
        .get_postgres_connection_pool()
        .connect_options();
    PgConnection::connect_with(&options).await.unwrap()
}

/// Backends of this database waiting for a lock.
async fn lock_waiters(conn: &mut PgConnection) -> i64 {
    let (n,): (i64,) = sea_orm::sqlx::query_as(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    n
}

/// Opens a transaction on `conn` that holds one row (`lock`: a `SELECT … FOR UPDATE` of the
/// office's row of some table) until the caller commits it.
async fn hold(conn: &mut PgConnection, lock: &'static str, office_id: i64) {
    sea_orm::sqlx::query("BEGIN")
        .execute(&mut *conn)
        .await
        .unwrap();
    sea_orm::sqlx::query(lock)
        .bind(office_id)
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// The office's row, held: a write's commit then stops after it moved the audit head.
const OFFICE_ROW: &str = "SELECT 1 FROM offices WHERE id = $1 FOR UPDATE";

/// A ledger read of `id` by `actor` on `store`, in a task of its own.
fn spawn_read(store: &Store, actor: Actor, id: i64) -> tokio::task::JoinHandle<()> {
    let store = store.clone();
    tokio::spawn(async move { read_ledger(&store, actor, id).await })
}

async fn wait_for_lock_waiters(conn: &mut PgConnection, n: i64) {
    for _ in 0..200 {
        if lock_waiters(conn).await >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never saw {n} backends waiting for a lock");
}

/// READ COMMITTED at work: the cached head is locked by another server's write when the append
/// is sent; the append waits, finds the head moved when the write commits, and chains again
/// after the write's event instead of forking the chain or dropping the read's event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_append_waiting_on_a_moving_head_chains_again() {
    let Some((a, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let b = second_server(&name).await;
    let o = office(&a, "よりそい", "w").await;
    let office_id = o.admin.office_id;
    let id = add_client(&a, o.spec, a_san()).await;
    read_ledger(&a, o.spec, id).await; // A's writer now caches the head.
    let n = verified(&a, office_id).await;

    // Hold the office's row, so that B's commit stops after it moved the audit head (it bumps
    // the office's data version last) and keeps the head's row locked.
    let mut holder = own_connection(&a).await;
    let mut watch = own_connection(&a).await;
    hold(&mut holder, OFFICE_ROW, office_id).await;
    let write = {
        let b = b.clone();
        let spec = o.spec;
        tokio::spawn(async move { write_one(&b, spec, id, "from B").await })
    };
    wait_for_lock_waiters(&mut watch, 1).await;
    let read = {
        let a = a.clone();
        let spec = o.spec;
        tokio::spawn(async move { read_ledger(&a, spec, id).await })
    };
    // A's append now waits on the head's row lock that B's transaction holds.
    wait_for_lock_waiters(&mut watch, 2).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !read.is_finished(),
        "the read returned before its event was written"
    );
    sea_orm::sqlx::query("COMMIT")
        .execute(&mut holder)
        .await
        .unwrap();
    write.await.unwrap();
    read.await.unwrap();

    assert_eq!(verified(&a, office_id).await, n + 2);
    assert_eq!(verified(&b, office_id).await, n + 2);
    let (last,): (String,) = sea_orm::sqlx::query_as(
        "SELECT detail FROM audit_events WHERE office_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET 1",
    )
    .bind(office_id)
    .fetch_one(&mut watch)
    .await
    .unwrap();
    assert_eq!(last, "from B", "B's write first, A's read chained after it");
    holder.close().await.unwrap();
    watch.close().await.unwrap();
    b.close().await.unwrap();
    a.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
}

/// The details of the office's audit events after `seq`, oldest first.
async fn details_after(conn: &mut PgConnection, office_id: i64, seq: u64) -> Vec<String> {
    let rows: Vec<(String,)> = sea_orm::sqlx::query_as(
        "SELECT detail FROM audit_events WHERE office_id = $1 AND seq > $2 ORDER BY seq",
    )
    .bind(office_id)
    .bind(seq as i64)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    rows.into_iter().map(|(d,)| d).collect()
}

/// Pipelining: while one read's append of an office waits to commit, the next is already sent
/// (both wait on the head's row), a third waits in the writer (two in flight per office), and
/// once the row is free all three land in order on one unbroken chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_append_is_sent_while_one_commits() {
    let Some((a, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    a.set_audit_depth(2);
    let o = office(&a, "よりそい", "p").await;
    let office_id = o.admin.office_id;
    let id = add_client(&a, o.spec, a_san()).await;
    read_ledger(&a, o.spec, id).await; // the writer caches the head
    let n = verified(&a, office_id).await;

    let mut holder = own_connection(&a).await;
    let mut watch = own_connection(&a).await;
    hold(
        &mut holder,
        "SELECT 1 FROM audit_heads WHERE office_id = $1 FOR UPDATE",
        office_id,
    )
    .await;
    let first = spawn_read(&a, o.spec, id);
    wait_for_lock_waiters(&mut watch, 1).await;
    let second = spawn_read(&a, o.spec, id);
    // Sent before the first committed: a second backend waits on the same row.
    wait_for_lock_waiters(&mut watch, 2).await;
    let third = spawn_read(&a, o.spec, id);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(lock_waiters(&mut watch).await, 2, "two in flight at most");
    assert!(!first.is_finished() && !second.is_finished() && !third.is_finished());
    sea_orm::sqlx::query("COMMIT")
        .execute(&mut holder)
        .await
        .unwrap();
    for t in [first, second, third] {
        t.await.unwrap();
    }
    assert_eq!(verified(&a, office_id).await, n + 3);
    assert_eq!(stored(&a, office_id).await, n + 3);
    holder.close().await.unwrap();
    watch.close().await.unwrap();
    a.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
}

/// A pipelined guess that loses: another server's write moves the head while two reads'
/// appends wait behind it. The first finds the head moved and chains again after the write;
/// the second, chained to where the first would have left the chain, finds nothing to match,
/// waits for the first and chains after it. Nothing is forked, lost or written twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipelined_append_whose_guess_lost_chains_after_the_one_ahead() {
    let Some((a, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let b = second_server(&name).await;
    a.set_audit_depth(2);
    let o = office(&a, "よりそい", "q").await;
    let office_id = o.admin.office_id;
    let id = add_client(&a, o.spec, a_san()).await;
    read_ledger(&a, o.spec, id).await; // A's writer caches the head.
    let n = verified(&a, office_id).await;

    // B's commit stops after it moved the head (it bumps the office's version last), holding
    // the head's row.
    let mut holder = own_connection(&a).await;
    let mut watch = own_connection(&a).await;
    hold(&mut holder, OFFICE_ROW, office_id).await;
    let write = {
        let (b, spec) = (b.clone(), o.spec);
        tokio::spawn(async move { write_one(&b, spec, id, "from B").await })
    };
    wait_for_lock_waiters(&mut watch, 1).await;
    let first = spawn_read(&a, o.spec, id);
    wait_for_lock_waiters(&mut watch, 2).await;
    let second = spawn_read(&a, o.spec, id);
    wait_for_lock_waiters(&mut watch, 3).await;
    sea_orm::sqlx::query("COMMIT")
        .execute(&mut holder)
        .await
        .unwrap();
    write.await.unwrap();
    first.await.unwrap();
    second.await.unwrap();

    assert_eq!(verified(&a, office_id).await, n + 3);
    assert_eq!(verified(&b, office_id).await, n + 3);
    assert_eq!(
        stored(&a, office_id).await,
        n + 3,
        "no event lost or doubled"
    );
    let after = details_after(&mut watch, office_id, n).await;
    assert_eq!(
        after[0], "from B",
        "B's write first, both reads after it: {after:?}"
    );
    holder.close().await.unwrap();
    watch.close().await.unwrap();
    b.close().await.unwrap();
    a.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
}

/// Two app servers serve reads and writes of four offices at once; afterwards every office's
/// chain verifies on both and holds exactly the events expected. A session begun on one is
/// valid on the other, and the sign-in limits count attempts made on either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_app_servers_share_chains_sessions_and_limits() {
    let Some((a, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let b = second_server(&name).await;
    let mut offices = Vec::new();
    for i in 0..4 {
        let o = office(&a, &format!("事業所{i}"), &format!("t{i}")).await;
        let id = add_client(&a, o.spec, a_san()).await;
        let n = verified(&a, o.admin.office_id).await;
        offices.push((o, id, n));
    }
    // Both servers, every office, reads and writes interleaved: each server's writer caches
    // heads the other keeps moving.
    let (reads_per, writes_per) = (12u64, 4u64);
    let mut tasks = Vec::new();
    for round in 0..(reads_per + writes_per) {
        for (k, (o, id, _)) in offices.iter().enumerate() {
            let server = if (round as usize + k).is_multiple_of(2) {
                &a
            } else {
                &b
            };
            let (server, spec, id) = (server.clone(), o.spec, *id);
            tasks.push(tokio::spawn(async move {
                if round % 4 == 2 {
                    write_one(&server, spec, id, "write").await;
                } else {
                    read_ledger(&server, spec, id).await;
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    for (o, _, n) in &offices {
        let expected = n + reads_per + writes_per;
        assert_eq!(verified(&a, o.admin.office_id).await, expected);
        assert_eq!(verified(&b, o.admin.office_id).await, expected);
        assert_eq!(
            stored(&a, o.admin.office_id).await,
            expected,
            "no event lost"
        );
    }

    // A session begun on A is live on B, and ended on B it is gone on A.
    let user = offices[0].0.spec.user_id;
    let s = sessions::create(&a, user).await.unwrap();
    let now = now_utc();
    let on_b = sessions::lookup(&b, &s.token, now).await.unwrap().unwrap();
    assert_eq!(on_b.user.id, user);
    assert_eq!(on_b.csrf_token, s.csrf_token);
    sessions::delete(&b, on_b.session_id).await.unwrap();
    assert!(sessions::lookup(&a, &s.token, now).await.unwrap().is_none());

    // Sign-in limits live in the database: five attempts spread over both servers use up the
    // (address, account) allowance, and the sixth is refused on either.
    let attempt = sessions::Attempt {
        login: "t0spec",
        address: "192.0.2.7",
        known_device: None,
    };
    for i in 0..sessions::MAX_PER_PAIR {
        let server = if i.is_multiple_of(2) { &a } else { &b };
        let c = sessions::claim_attempt(server, &attempt, now)
            .await
            .unwrap();
        assert!(c.allowed, "attempt {i}");
    }
    assert!(
        !sessions::claim_attempt(&a, &attempt, now)
            .await
            .unwrap()
            .allowed
    );
    assert!(
        !sessions::claim_attempt(&b, &attempt, now)
            .await
            .unwrap()
            .allowed
    );

    b.close().await.unwrap();
    a.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
}
