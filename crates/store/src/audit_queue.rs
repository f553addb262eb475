//! Group commit for the audit events of reads. A page that only reads still must not show
//! client data unless its audit event is durable; writing each read's event in its own write
//! transaction made every page view one fsync behind one writer (~600 views/s on SQLite). Here
//! reads run read-only (a read transaction on SQLite, the read-only pool on PostgreSQL), and
//! their events wait here until a single writer commits
//! all that have queued up — one fsync for many reads: on SQLite in one transaction, on
//! PostgreSQL in one statement per office ([`crate::audit_optimistic`]). The response is sent
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
        let (tx, mut rx) = mpsc::channel::<Job>(4096);
        tokio::spawn(async move {
            let mut heads = crate::audit_optimistic::Heads::default();
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                let keys = crate::read_setup(&setup).keys.clone();
                let results = if db.get_database_backend() == DbBackend::Postgres {
                    write_postgres(&db, &keys, &mut heads, &mut jobs).await
                } else {
                    let r = write(&db, gate.as_ref(), &keys, &jobs)
                        .await
                        .map_err(|e| e.to_string());
                    offices(&jobs).into_iter().map(|o| (o, r.clone())).collect()
                };
                for (office_id, r) in &results {
                    if let Err(e) = r {
                        tracing::error!(error = %e, office_id, "audit batch failed");
                    }
                }
                for j in jobs {
                    let r = results
                        .iter()
                        .find(|(o, _)| *o == j.office_id)
                        .map(|(_, r)| r.clone())
                        .unwrap_or_else(|| Err("not written".into()));
                    let _ = j.done.send(r);
                }
            }
        });
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

/// Offices whose appends run at once on PostgreSQL: their statements are independent (each
/// locks only its office's head), so they overlap their round trips and share WAL flushes,
/// while leaving most of the pool to requests.
const PARALLEL_OFFICES: usize = 8;

/// PostgreSQL: one autocommitted statement per office of the batch
/// ([`crate::audit_optimistic`]), several offices at once; an office whose append fails fails
/// only its own jobs. Takes the events out of the jobs (only their senders are used after).
async fn write_postgres(
    db: &DatabaseConnection,
    keys: &Arc<crate::audit_key::Keyring>,
    heads: &mut crate::audit_optimistic::Heads,
    jobs: &mut [Job],
) -> Vec<(i64, std::result::Result<(), String>)> {
    let mut out = Vec::new();
    for chunk in offices(jobs).chunks(PARALLEL_OFFICES) {
        let mut set = tokio::task::JoinSet::new();
        for &office_id in chunk {
            let groups: Vec<(Option<i64>, Vec<PendingEvent>)> = jobs
                .iter_mut()
                .filter(|j| j.office_id == office_id)
                .map(|j| (j.user_id, std::mem::take(&mut j.events)))
                .collect();
            let (db, keys, cached) = (db.clone(), keys.clone(), heads.take(office_id));
            set.spawn(async move {
                let groups: Vec<(Option<i64>, &[PendingEvent])> =
                    groups.iter().map(|(u, e)| (*u, e.as_slice())).collect();
                let (r, head) =
                    crate::audit_optimistic::append(&db, &keys, cached, office_id, &groups).await;
                (office_id, r.map_err(|e| e.to_string()), head)
            });
        }
        // A task that panicked leaves its office out: its jobs get an error, its head is read
        // again next time.
        while let Some(done) = set.join_next().await {
            if let Ok((office_id, r, head)) = done {
                if let Some(h) = head {
                    heads.remember(office_id, h);
                }
                out.push((office_id, r));
            }
        }
    }
    out
}
