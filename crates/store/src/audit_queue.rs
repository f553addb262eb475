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
    pub(crate) fn start(db: DatabaseConnection, gate: Option<Arc<Mutex<()>>>) -> Self {
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
                let result = write(&db, gate.as_ref(), &jobs)
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

async fn write(db: &DatabaseConnection, gate: Option<&Arc<Mutex<()>>>, jobs: &[Job]) -> Result<()> {
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
        audit::append_groups(&txn, office_id, &groups).await?;
    }
    txn.commit().await?;
    Ok(())
}
