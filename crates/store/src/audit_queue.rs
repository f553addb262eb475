//! Group commit for the audit events of reads. A page that only reads still must not show
//! client data unless its audit event is durable; writing each read's event in its own write
//! transaction made every page view one fsync behind one writer (~600 views/s on SQLite). Here
//! reads run read-only (a read transaction on SQLite, the read-only pool on PostgreSQL), and
//! their events wait here until a single writer commits
//! all that have queued up — one fsync for many reads: on SQLite in one transaction, on
//! PostgreSQL in one statement per office ([`crate::audit_optimistic`]), the next batch of an
//! office sent while the one before it commits. The response is sent
//! only after that commit, so a crash never loses the record of a read whose data left the
//! server. Writes keep their events in their own transaction (see [`crate::Tx::commit`]).

use crate::audit::{self, PendingEvent};
use crate::{Result, StoreError};
use sea_orm::{DatabaseConnection, DbBackend};
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

struct Job {
    office_id: i64,
    user_id: Option<i64>,
    events: Vec<PendingEvent>,
    done: oneshot::Sender<std::result::Result<(), String>>,
}

/// The sending side; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct AuditQueue {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("office_id", &self.office_id)
            .finish()
    }
}

/// Most jobs written in one batch: bounds the time one commit takes.
const BATCH: usize = 256;

impl AuditQueue {
    /// Starts the writer task on the current runtime.
    pub(crate) fn start(
        db: DatabaseConnection,
        gate: Option<Arc<Mutex<()>>>,
        setup: crate::AuditSetupHandle,
    ) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(4096);
        if db.get_database_backend() == DbBackend::Postgres {
            tokio::spawn(run_postgres(db, setup, rx));
        } else {
            tokio::spawn(run_sqlite(db, gate, setup, rx));
        }
        AuditQueue { tx }
    }

    /// Queues events without waiting for their commit: for a refused access, which shows no
    /// data and whose unit of work is being abandoned. If the queue is full the event is
    /// dropped with an error in the server log rather than holding the refusal up.
    pub(crate) fn append_detached(
        &self,
        office_id: i64,
        user_id: Option<i64>,
        events: Vec<PendingEvent>,
    ) {
        let (done, _) = oneshot::channel();
        let job = Job {
            office_id,
            user_id,
            events,
            done,
        };
        if let Err(e) = self.tx.try_send(job) {
            tracing::error!(error = %e, "refused access not queued for the audit log");
        }
    }

    /// Queues the events and waits until they are committed.
    pub(crate) async fn append(
        &self,
        office_id: i64,
        user_id: Option<i64>,
        events: Vec<PendingEvent>,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job {
                office_id,
                user_id,
                events,
                done,
            })
            .await
            .map_err(|_| StoreError::Corrupt("audit writer stopped".into()))?;
        match wait.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Corrupt(format!("audit batch: {e}"))),
            Err(_) => Err(StoreError::Corrupt("audit writer stopped".into())),
        }
    }
}

/// The offices of a batch, in the order their first jobs arrived.
fn offices(jobs: &[Job]) -> Vec<i64> {
    let mut offices: Vec<i64> = Vec::new();
    for j in jobs {
        if !offices.contains(&j.office_id) {
            offices.push(j.office_id);
        }
    }
    offices
}

fn groups(jobs: &[Job], office_id: i64) -> Vec<(Option<i64>, &[PendingEvent])> {
    jobs.iter()
        .filter(|j| j.office_id == office_id)
        .map(|j| (j.user_id, j.events.as_slice()))
        .collect()
}

/// SQLite: every office's events of the batch in one write transaction (one fsync).
async fn write(
    db: &DatabaseConnection,
    gate: Option<&Arc<Mutex<()>>>,
    keys: &crate::audit_key::Keyring,
    jobs: &[Job],
) -> Result<()> {
    let Some(first) = jobs.first() else {
        return Ok(());
    };
    let (_turn, txn) = crate::tx::write_txn(db, gate, first.office_id).await?;
    for office_id in offices(jobs) {
        audit::append_groups(&txn, keys, office_id, &groups(jobs, office_id)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// SQLite: batches one after the other, each one write transaction (one fsync) for every
/// office in it.
async fn run_sqlite(
    db: DatabaseConnection,
    gate: Option<Arc<Mutex<()>>>,
    setup: crate::AuditSetupHandle,
    mut rx: mpsc::Receiver<Job>,
) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let keys = crate::read_setup(&setup).keys.clone();
        let r = write(&db, gate.as_ref(), &keys, &jobs)
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &r {
            tracing::error!(error = %e, "audit batch failed");
        }
        for j in jobs {
            let _ = j.done.send(r.clone());
        }
    }
}

/// Appends in flight at once for one office on PostgreSQL ([`crate::Store::set_audit_depth`],
/// else `YORISOI_AUDIT_DEPTH`), 1 or 2. With 2 the next batch goes while one commits, already
/// chained to the head that one will leave, so that a view arriving meanwhile waits for one
/// commit, not for the rest of the previous cycle and then its own. But separate connections
/// keep no order: on this machine about one pipelined batch in ten reached the head first, lost
/// its guess and was sent again, and 2 measured no better than 1 on loopback (BENCHMARKS.md), so
/// 1 is the default; 2 is for a database across a network, where a commit's round trip is long.
fn depth(setup: &crate::AuditSetupHandle, from_env: usize) -> usize {
    crate::read_setup(setup).depth.unwrap_or(from_env)
}

fn depth_from_env() -> usize {
    std::env::var("YORISOI_AUDIT_DEPTH")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=2).contains(n))
        .unwrap_or(1)
}

/// Jobs the PostgreSQL writer holds unsent before it stops taking more from its channel: past
/// this, requests wait to queue (and a refused access's detached event is dropped with an error
/// in the log), as with the channel alone.
const MAX_PENDING: usize = 4096;

/// Appends in flight at once over all offices: each holds a pooled connection, most of the
/// pool stays with requests.
const IN_FLIGHT: usize = 8;

/// Offices whose lanes are kept when idle; past this, idle lanes are dropped (an office not
/// kept costs one SELECT of its head on its next append).
const MAX_LANES: usize = 10_000;

/// One office's appends on PostgreSQL.
#[derive(Default)]
struct Lane {
    /// Jobs not yet sent.
    pending: Vec<Job>,
    /// In `ready`.
    queued: bool,
    in_flight: usize,
    /// The newest append in flight, the next one's [`Start::After`].
    newest: Option<crate::audit_optimistic::Stage>,
    /// The newest head this writer's appends of the office committed (`None`: unknown), for
    /// the next append sent with nothing in flight.
    head: Option<audit::Head>,
}

/// PostgreSQL: each office's events in one autocommitted statement
/// ([`crate::audit_optimistic`]), offices side by side, and within an office the next batch
/// sent while one is still being committed ([`depth`]). Jobs that arrive while their office has
/// that many appends in flight gather into its next batch.
async fn run_postgres(
    db: DatabaseConnection,
    setup: crate::AuditSetupHandle,
    mut rx: mpsc::Receiver<Job>,
) {
    use crate::audit_optimistic::Start;
    use std::collections::{HashMap, VecDeque};
    let (finished_tx, mut finished) = mpsc::unbounded_channel::<(i64, Option<audit::Head>)>();
    let mut lanes: HashMap<i64, Lane> = HashMap::new();
    // Offices with jobs not yet sent, in the order they arrived.
    let mut ready: VecDeque<i64> = VecDeque::new();
    let mut in_flight = 0usize;
    let mut pending = 0usize;
    let mut open = true;
    let from_env = depth_from_env();
    loop {
        tokio::select! {
            job = rx.recv(), if open && pending < MAX_PENDING => match job {
                Some(first) => {
                    let mut next = Some(first);
                    let mut n = 0;
                    while let Some(j) = next.take() {
                        if lanes.len() >= MAX_LANES && !lanes.contains_key(&j.office_id) {
                            lanes.retain(|_, l| l.in_flight > 0 || !l.pending.is_empty());
                        }
                        let lane = lanes.entry(j.office_id).or_default();
                        if !lane.queued {
                            lane.queued = true;
                            ready.push_back(j.office_id);
                        }
                        lane.pending.push(j);
                        pending += 1;
                        n += 1;
                        if n < BATCH {
                            next = rx.try_recv().ok();
                        }
                    }
                }
                None => open = false,
            },
            Some((office_id, head)) = finished.recv() => {
                in_flight -= 1;
                if let Some(lane) = lanes.get_mut(&office_id) {
                    lane.in_flight -= 1;
                    // Two in flight may finish in either order: keep the newer head. A head
                    // kept that another writer has moved since only costs a retry.
                    if let Some(h) = head
                        && lane.head.as_ref().is_none_or(|k| h.seq > k.seq)
                    {
                        lane.head = Some(h);
                    }
                    if lane.in_flight == 0 {
                        lane.newest = None;
                    }
                }
            }
        }
        if !open && in_flight == 0 && ready.is_empty() {
            break;
        }
        // Send what may be sent: offices in arrival order, each up to `depth` in flight.
        let depth = depth(&setup, from_env);
        let mut held = VecDeque::new();
        while in_flight < IN_FLIGHT {
            let Some(office_id) = ready.pop_front() else {
                break;
            };
            let Some(lane) = lanes.get_mut(&office_id) else {
                continue;
            };
            if lane.in_flight >= depth {
                held.push_back(office_id);
                continue;
            }
            let n = lane.pending.len().min(BATCH);
            let jobs: Vec<Job> = lane.pending.drain(..n).collect();
            pending -= n;
            if lane.pending.is_empty() {
                lane.queued = false;
            } else {
                held.push_back(office_id);
            }
            let start = match &lane.newest {
                Some(s) => Start::After(s.clone()),
                None => Start::Known(lane.head.take()),
            };
            let (publish, stage) = crate::audit_optimistic::stage();
            lane.newest = Some(stage);
            lane.in_flight += 1;
            in_flight += 1;
            let keys = crate::read_setup(&setup).keys.clone();
            let finish = Finished {
                tx: finished_tx.clone(),
                office_id,
                head: None,
            };
            tokio::spawn(send_postgres(
                db.clone(),
                keys,
                start,
                jobs,
                publish,
                finish,
            ));
        }
        held.extend(ready.drain(..));
        ready = held;
    }
}

/// Tells the writer an append is over, even if its task panicked (the head is then unknown).
struct Finished {
    tx: mpsc::UnboundedSender<(i64, Option<audit::Head>)>,
    office_id: i64,
    head: Option<audit::Head>,
}

impl Drop for Finished {
    fn drop(&mut self) {
        let _ = self.tx.send((self.office_id, self.head.take()));
    }
}

/// One office's batch on PostgreSQL; answers its jobs.
async fn send_postgres(
    db: DatabaseConnection,
    keys: Arc<crate::audit_key::Keyring>,
    start: crate::audit_optimistic::Start,
    jobs: Vec<Job>,
    publish: crate::audit_optimistic::Publish,
    mut finish: Finished,
) {
    let office_id = finish.office_id;
    let (r, head) = {
        let groups: Vec<(Option<i64>, &[PendingEvent])> = jobs
            .iter()
            .map(|j| (j.user_id, j.events.as_slice()))
            .collect();
        crate::audit_optimistic::append(&db, &keys, start, office_id, &groups, publish).await
    };
    let r = r.map_err(|e| e.to_string());
    if let Err(e) = &r {
        tracing::error!(error = %e, office_id, "audit batch failed");
    }
    finish.head = head;
    for j in jobs {
        let _ = j.done.send(r.clone());
    }
}
