//! Issue 22: the client search counts and pages in one scan; a request cancelled while its unit
//! of work begins leaves no pooled connection inside a transaction.

use crate::common::*;
use sea_orm::DbBackend;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};
use yorisoi_domain::policy::Actor;
use yorisoi_store::clients::{ClientSort, StaffFilter};
use yorisoi_store::*;

fn named(family: &str, kana: &str, given_kana: &str) -> yorisoi_domain::client::ClientInput {
    let mut c = a_san();
    c.family_name = family.into();
    c.family_name_kana = kana.into();
    c.given_name_kana = given_kana.into();
    c
}

store_test!(
    search_returns_the_total_and_the_page_together,
    |store: Store| async move {
        let o = office(&store, "よりそい", "p").await;
        // Five 佐藤 (two of them the specialist's), two others, and a 佐藤 of another office.
        for (i, given) in ["あい", "いと", "うみ", "えま", "おと"].iter().enumerate() {
            let actor = if i < 2 { o.spec } else { o.admin };
            add_client(&store, actor, named("佐藤", "さとう", given)).await;
        }
        add_client(&store, o.admin, named("鈴木", "すずき", "かい")).await;
        add_client(&store, o.spec, named("田中", "たなか", "きく")).await;
        let other = office(&store, "となり", "q").await;
        add_client(&store, other.admin, named("佐藤", "さとう", "くう")).await;

        let mut tx = store.read(o.admin).await.unwrap();
        let page_of = |page: u64| {
            let mut f = filter("サトウ");
            f.per_page = 2;
            f.page = page;
            f
        };
        let mut seen = Vec::new();
        for (page, len) in [(0, 2), (1, 2), (2, 1)] {
            let (rows, total) = clients::list(&mut tx, &page_of(page)).await.unwrap();
            assert_eq!(total, 5, "page {page}");
            assert_eq!(rows.len(), len, "page {page}");
            seen.extend(rows.iter().map(|r| r.record.given_name_kana.clone()));
        }
        assert_eq!(
            seen,
            ["あい", "いと", "うみ", "えま", "おと"],
            "sorted across pages"
        );
        // Past the last page: no rows, the total still right.
        let (rows, total) = clients::list(&mut tx, &page_of(3)).await.unwrap();
        assert!(rows.is_empty());
        assert_eq!(total, 5);
        // Nothing matches: zero, not an error.
        let (rows, total) = clients::list(&mut tx, &filter("ワタナベ")).await.unwrap();
        assert!(rows.is_empty());
        assert_eq!(total, 0);
        // No query: every client of the office, the other office's not counted.
        let mut f = filter("");
        f.per_page = 3;
        f.sort = ClientSort::KanaDesc;
        let (rows, total) = clients::list(&mut tx, &f).await.unwrap();
        assert_eq!(total, 7);
        assert_eq!(rows[0].record.family_name_kana, "たなか");
        // Without a query the count is its own subquery on PostgreSQL: every page, the one past
        // the last and a staff filter carry the right total.
        let (mut kana, mut ids) = (Vec::new(), Vec::new());
        for (page, len) in [(0, 3), (1, 3), (2, 1), (3, 0)] {
            f.page = page;
            let (rows, total) = clients::list(&mut tx, &f).await.unwrap();
            assert_eq!((rows.len(), total), (len, 7), "page {page}");
            kana.extend(rows.iter().map(|r| r.record.family_name_kana.clone()));
            ids.extend(rows.iter().map(|r| r.id));
        }
        assert!(kana.windows(2).all(|w| w[0] >= w[1]), "{kana:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 7, "no client twice or lost across pages");
        let mut mine = filter("");
        mine.staff = StaffFilter::User(o.spec.user_id);
        mine.sort = ClientSort::Updated;
        mine.per_page = 2;
        let (rows, total) = clients::list(&mut tx, &mine).await.unwrap();
        assert_eq!((rows.len(), total), (2, 3));
        tx.commit().await.unwrap();

        // A specialist counts only the clients assigned to them.
        let mut tx = store.read(o.spec).await.unwrap();
        let (rows, total) = clients::list(&mut tx, &page_of(0)).await.unwrap();
        assert_eq!((rows.len(), total), (2, 2));
        let (rows, total) = clients::list(&mut tx, &filter("")).await.unwrap();
        assert_eq!((rows.len(), total), (3, 3));
        tx.commit().await.unwrap();
    }
);

/// Polls `fut` until it is done or `after` has passed, yielding to the runtime in between, then
/// drops it: a request whose client hung up at that point of its unit of work.
async fn abandon_after<F: Future>(fut: F, after: Duration) -> bool {
    let started = Instant::now();
    let mut fut: Pin<Box<F>> = Box::pin(fut);
    while started.elapsed() < after {
        let ready = std::future::poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx).is_ready())).await;
        if ready {
            return true;
        }
        tokio::task::yield_now().await;
    }
    false
}

async fn read_and_commit(store: &Store, actor: Actor) {
    // A statement, not only the unit of work: on PostgreSQL a read sends no BEGIN, so this is
    // what a cut-off read abandons there.
    if let Ok(mut tx) = store.read(actor).await {
        let _ = clients::list(&mut tx, &filter("")).await;
        let _ = tx.commit().await;
    }
}

async fn begin_and_commit(store: &Store, actor: Actor) {
    if let Ok(tx) = store.begin(actor).await {
        let _ = tx.commit().await;
    }
}

/// Counts PostgreSQL's "there is already a transaction in progress" warnings that sqlx logs
/// (target `sqlx::postgres::notice`) anywhere in this test binary: each is a `BEGIN` sent on a
/// pooled connection that was still inside a transaction.
mod notices {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    pub static ALREADY_IN_TRANSACTION: AtomicUsize = AtomicUsize::new(0);

    struct Counter;
    struct Message(bool);

    impl Visit for Message {
        fn record_str(&mut self, field: &Field, value: &str) {
            if field.name() == "message" && value.contains("already a transaction in progress") {
                self.0 = true;
            }
        }
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            if field.name() == "message"
                && format!("{value:?}").contains("already a transaction in progress")
            {
                self.0 = true;
            }
        }
    }

    impl Subscriber for Counter {
        fn enabled(&self, m: &Metadata<'_>) -> bool {
            m.target().starts_with("sqlx::postgres::notice")
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, e: &Event<'_>) {
            let mut m = Message(false);
            e.record(&mut m);
            if m.0 {
                ALREADY_IN_TRANSACTION.fetch_add(1, Ordering::SeqCst);
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    /// Installs the counter as the process's subscriber (once; later calls do nothing).
    pub fn install() {
        let _ = tracing::subscriber::set_global_default(Counter);
    }

    pub fn count() -> usize {
        ALREADY_IN_TRANSACTION.load(Ordering::SeqCst)
    }
}

/// Backends of the store's database inside a transaction with nothing running, counted on a
/// connection of its own (a pooled one might be the very connection left behind). `None` on
/// SQLite.
async fn idle_in_transaction(store: &Store) -> Option<i64> {
    use sea_orm::sqlx::{Connection, PgConnection};
    if store.backend() != DbBackend::Postgres {
        return None;
    }
    let options = store
        .conn()
        .get_postgres_connection_pool()
        .connect_options();
    let mut conn = PgConnection::connect_with(&options).await.unwrap();
    let (n,): (i64,) = sea_orm::sqlx::query_as(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND state LIKE 'idle in transaction%'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    Some(n)
}

store_test!(
    a_cancelled_unit_of_work_leaves_no_transaction_open,
    |store: Store| async move {
        let o = office(&store, "よりそい", "c").await;
        let id = add_client(&store, o.spec, a_san()).await;
        notices::install();
        let warned_before = notices::count();
        // Cut off at every point from before the pool hands out a connection to after it began
        // (0 to 800 µs in steps of 2 µs).
        let mut abandoned = 0;
        for step in 0..400u64 {
            let after = Duration::from_micros(step * 2);
            abandoned += usize::from(!abandon_after(read_and_commit(&store, o.spec), after).await);
            abandoned += usize::from(!abandon_after(begin_and_commit(&store, o.spec), after).await);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(
            abandoned > 400,
            "too few units of work were cut off: {abandoned}"
        );
        // The pool sends queued rollbacks as connections come back to it.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            idle_in_transaction(&store).await.unwrap_or(0),
            0,
            "connections left inside a transaction"
        );
        // Every connection still serves reads and writes.
        for _ in 0..20 {
            let mut tx = store.read(o.spec).await.unwrap();
            let (rows, total) = clients::list(&mut tx, &filter("")).await.unwrap();
            assert_eq!((rows.len(), total), (1, 1));
            assert_eq!(rows[0].id, id);
            tx.commit().await.unwrap();
        }
        for _ in 0..10 {
            add_client(&store, o.spec, a_san()).await;
        }
        // A connection left inside a transaction would have warned at its next BEGIN.
        assert_eq!(
            notices::count() - warned_before,
            0,
            "BEGIN inside a transaction"
        );
    }
);

/// A connection to PostgreSQL has Nagle's algorithm off: without it a statement longer than one
/// TCP segment (the home page's audit append) waited up to 40 ms for a delayed ACK
/// (vendor/sqlx-core). The server names the connection's ports, so exactly its socket is looked
/// at, whatever other tests have open.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_connections_send_without_delay() {
    use sea_orm::ConnectionTrait;
    let Some((store, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let row = store
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT inet_server_port(), inet_client_port()",
        ))
        .await
        .unwrap()
        .unwrap();
    let server: Option<i32> = row.try_get_by_index(0).unwrap();
    let client: Option<i32> = row.try_get_by_index(1).unwrap();
    match (server, client) {
        (Some(server), Some(client)) => {
            let sockets = testing::tcp_sockets().unwrap();
            let ours: Vec<_> = sockets
                .iter()
                .filter(|(local, peer, _)| {
                    i32::from(local.port()) == client && i32::from(peer.port()) == server
                })
                .collect();
            assert_eq!(ours.len(), 1, "the connection's socket among {sockets:?}");
            assert!(ours[0].2, "TCP_NODELAY off on {:?}", ours[0]);
        }
        // A Unix socket (no Nagle there): nothing to look at, which CI must not settle for.
        _ => assert!(
            std::env::var_os("CI").is_none(),
            "CI's PostgreSQL must be reached over TCP"
        ),
    }
    store.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
}
