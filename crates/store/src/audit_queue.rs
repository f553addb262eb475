//! Group commit for the audit events of reads. A page that only reads still must not show
//! client data unless its audit event is durable; writing each read's event in its own write
//! transaction made every page view one fsync behind one writer (~600 views/s on SQLite). Here
//! reads run in read-only transactions, and their events wait here until a single writer commits
//! all that have queued up in one transaction — one fsync for many reads. The response is sent
//! only after that commit, so a crash never loses the record of a read whose data left the
//! server. Writes keep their events in their own transaction (see [`crate::Tx::commit`]).

use crate::audit::{self, PendingEvent};
use crate::{Result, StoreError};
use sea_orm::DatabaseConnection;
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

/// Most events written in one transaction: bounds the time one commit takes.
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
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                let keys = crate::read_setup(&setup).keys.clone();
                let result = write(&db, gate.as_ref(), &keys, &jobs)
                    .await
                    .map_err(|e| e.to_string());
                if let Err(e) = &result {
                    tracing::error!(error = %e, "audit batch failed");
                }
                for j in jobs {
                    let _ = j.done.send(result.clone());
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
    // One chain append per office in the batch, in the order the jobs arrived.
    let mut offices: Vec<i64> = Vec::new();
    for j in jobs {
        if !offices.contains(&j.office_id) {
            offices.push(j.office_id);
        }
    }
    for office_id in offices {
        let groups: Vec<(Option<i64>, &[PendingEvent])> = jobs
            .iter()
            .filter(|j| j.office_id == office_id)
            .map(|j| (j.user_id, j.events.as_slice()))
            .collect();
        audit::append_groups(&txn, keys, office_id, &groups).await?;
    }
    txn.commit().await?;
    Ok(())
}
