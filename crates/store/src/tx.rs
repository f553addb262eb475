//! The unit of work: a database transaction that knows who acts, and that appends the audit
//! events of what it did to the office's hash chain before it commits.

use crate::audit::{self, PendingEvent};
use crate::entities::client;
use crate::{Result, Store, StoreError, stmt};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use yorisoi_domain::policy::{self, Action, Actor, RecordKind, Target};

/// Where a unit of work's statements go.
pub(crate) enum Conn {
    Txn(DatabaseTransaction),
    /// A read on PostgreSQL: statement by statement on the read pool. PostgreSQL's READ
    /// COMMITTED gives each statement its own snapshot inside a transaction as well, so `BEGIN`
    /// and `COMMIT` bought a read no consistency and cost it two round trips.
    Pool(sea_orm::DatabaseConnection),
}

impl Conn {
    async fn commit(self) -> Result<()> {
        if let Conn::Txn(t) = self {
            t.commit().await?;
        }
        Ok(())
    }

    async fn rollback(self) -> Result<()> {
        if let Conn::Txn(t) = self {
            t.rollback().await?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Conn::Txn(t) => t.get_database_backend(),
            Conn::Pool(p) => p.get_database_backend(),
        }
    }

    async fn execute_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<sea_orm::ExecResult, sea_orm::DbErr> {
        match self {
            Conn::Txn(t) => t.execute_raw(stmt).await,
            Conn::Pool(p) => p.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(
        &self,
        sql: &str,
    ) -> std::result::Result<sea_orm::ExecResult, sea_orm::DbErr> {
        match self {
            Conn::Txn(t) => t.execute_unprepared(sql).await,
            Conn::Pool(p) => p.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        match self {
            Conn::Txn(t) => t.query_one_raw(stmt).await,
            Conn::Pool(p) => p.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        match self {
            Conn::Txn(t) => t.query_all_raw(stmt).await,
            Conn::Pool(p) => p.query_all_raw(stmt).await,
        }
    }
}

pub struct Tx {
    pub(crate) txn: Conn,
    /// The store's dashboard cache (read units of work look it up by the office's version).
    pub(crate) dashboards: crate::dashboard::Cache,
    /// What this server saw of the offices' `data_version` (read units may serve from it).
    pub(crate) seen: crate::seen::Seen,
    /// Held until commit or rollback (SQLite only): this unit of work is the one writer.
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    pub(crate) actor: Actor,
    pub(crate) events: Vec<PendingEvent>,
    /// Set for [`Store::read`]: the events go to the group-commit queue instead.
    read_only: Option<crate::audit_queue::AuditQueue>,
    /// A read unit's office version, seen before it began ([`Tx::seen_version`]).
    seen_at: Option<i64>,
    /// Where a refused access is recorded (its unit of work is abandoned, so not in it).
    queue: crate::audit_queue::AuditQueue,
    /// The key the events of this unit of work are chained with.
    keys: std::sync::Arc<crate::audit_key::Keyring>,
    /// Office and assignee of the clients already looked up by a read unit of work: a page asks
    /// for several record kinds of one client, and answers them all as of its first look (on
    /// SQLite its snapshot; on PostgreSQL, whose reads have none, the same page view).
    seen_clients: Vec<(i64, (i64, Option<i64>))>,
    /// The ledger rows a read unit of work's policy checks fetched whole, so that showing the
    /// ledger after asking may (nearly every client page does) costs no second statement.
    pub(crate) seen_rows: Vec<client::Model>,
}

/// Proof that the actor may do `action` on `kind` records of this client. Repository functions
/// for client records take one; only [`Tx::client_access`] makes one.
#[derive(Debug, Clone, Copy)]
pub struct ClientAccess {
    pub client_id: i64,
    pub assigned_to: Option<i64>,
    pub(crate) kind: RecordKind,
    pub(crate) action: Action,
}

impl ClientAccess {
    /// Refuses use for another kind or a write under a read grant.
    pub(crate) fn check(&self, kind: RecordKind, action: Action) -> Result<()> {
        let action_ok = self.action == Action::Write || action == Action::Read;
        if self.kind == kind && action_ok {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }
}

impl Store {
    /// Starts a unit of work for `actor`.
    pub async fn begin(&self, actor: Actor) -> Result<Tx> {
        let (gate, txn) = write_txn(&self.db, self.write_gate.as_ref(), actor.office_id).await?;
        Ok(Tx {
            txn: Conn::Txn(txn),
            dashboards: self.dashboards.clone(),
            seen: self.seen.clone(),
            _gate: gate,
            actor,
            events: Vec::new(),
            read_only: None,
            seen_at: None,
            queue: self.audit_queue.clone(),
            keys: self.audit_keys(),
            seen_clients: Vec::new(),
            seen_rows: Vec::new(),
        })
    }

    /// Starts a unit of work that only reads (every page view and API GET). Readers run side
    /// by side; their audit events are committed together by one writer before `commit`
    /// returns, so no data is shown without its audit event being durable.
    ///
    /// On PostgreSQL the statements go one by one to the read pool, whose sessions start with
    /// `default_transaction_read_only` (a write by mistake fails loudly instead of escaping the
    /// unit of work's audit), with no `BEGIN` or `COMMIT`: see [`Conn::Pool`].
    pub async fn read(&self, actor: Actor) -> Result<Tx> {
        // Taken before the snapshot begins, so that whatever this unit reads is at least as
        // new as the version it serves and caches under (`crate::seen`).
        let seen_at = self.seen.version(actor.office_id);
        let txn = if self.reader.get_database_backend() == DbBackend::Postgres {
            Conn::Pool(self.reader.clone())
        } else {
            // SQLite: one snapshot for the whole page (a deferred transaction), and no round
            // trip to pay for it.
            Conn::Txn(begin_detached(&self.reader).await?)
        };
        Ok(Tx {
            txn,
            dashboards: self.dashboards.clone(),
            seen: self.seen.clone(),
            _gate: None,
            actor,
            events: Vec::new(),
            read_only: Some(self.audit_queue.clone()),
            seen_at,
            queue: self.audit_queue.clone(),
            keys: self.audit_keys(),
            seen_clients: Vec::new(),
            seen_rows: Vec::new(),
        })
    }
}

/// Opens a transaction that will write: on SQLite it waits its turn on the in-process gate and
/// takes SQLite's write lock first, since a transaction that reads and then writes could
/// otherwise fail at once with SQLITE_BUSY instead of waiting. Used by [`Store::begin`] and by
/// the audit writer of reads.
pub(crate) async fn write_txn(
    db: &sea_orm::DatabaseConnection,
    gate: Option<&std::sync::Arc<tokio::sync::Mutex<()>>>,
    office_id: i64,
) -> Result<(
    Option<tokio::sync::OwnedMutexGuard<()>>,
    DatabaseTransaction,
)> {
    let guard = match gate {
        Some(g) => Some(g.clone().lock_owned().await),
        None => None,
    };
    let txn = begin_detached(db).await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        txn.execute_raw(stmt(
            DbBackend::Sqlite,
            "UPDATE audit_heads SET seq = seq WHERE office_id = ?",
            vec![office_id.into()],
        ))
        .await?;
    }
    Ok((guard, txn))
}

/// `BEGIN` in a task of its own, so that a request cancelled while it waits (a client that hangs
/// up) cannot leave a pooled connection inside a transaction.
///
/// sqlx counts a PostgreSQL transaction only once the server has answered the `BEGIN`; a future
/// dropped after sending it and before the answer rolls nothing back (its depth is still 0), and
/// the connection went back to the pool inside the transaction: the next `BEGIN` on it warned
/// "there is already a transaction in progress", and statements run outside a transaction on it
/// (sessions) joined that one, to be committed or rolled back by whoever used it next. Here the
/// `BEGIN` always completes; if nobody awaits the transaction any more, dropping it queues the
/// `ROLLBACK`, which the pool sends before it hands the connection out again.
async fn begin_detached(db: &sea_orm::DatabaseConnection) -> Result<DatabaseTransaction> {
    let db = db.clone();
    tokio::spawn(async move { db.begin().await })
        .await
        .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("BEGIN: {e}"))))?
        .map_err(StoreError::from)
}

/// The pool read units of work take their transactions from. On PostgreSQL: a second pool on
/// the same database whose sessions start with `default_transaction_read_only=on` (a startup
/// parameter, so no statement is spent on it), two thirds the size of the main pool. On SQLite
/// the main pool itself (reads need no setting there).
pub(crate) fn read_pool(db: &sea_orm::DatabaseConnection) -> sea_orm::DatabaseConnection {
    if db.get_database_backend() != DbBackend::Postgres {
        return db.clone();
    }
    let main = db.get_postgres_connection_pool();
    let options = main
        .connect_options()
        .as_ref()
        .clone()
        .options([("default_transaction_read_only", "on")]);
    let size = (main.options().get_max_connections() * 2 / 3).max(2);
    let pool = main
        .options()
        .clone()
        .max_connections(size)
        .min_connections(0)
        .connect_lazy_with(options);
    sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
}

impl Tx {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn office_id(&self) -> i64 {
        self.actor.office_id
    }

    /// For a read unit of work, the office's version as this server's requests had seen it
    /// when the unit began: what it reads is at least that new, so it may be served from, and
    /// kept in, a cache under it. `None` for a write unit, which reads its own uncommitted
    /// rows: nothing of it may be cached, nor served from a cache instead.
    pub(crate) fn seen_version(&self) -> Option<i64> {
        self.seen_at
    }

    /// Keeps who a client of the actor's office is assigned to, read with other rows in the same
    /// statement, so that [`Tx::client_access`] need not read it again. Read units only.
    pub(crate) fn saw_client(&mut self, client_id: i64, assigned_user_id: Option<i64>) {
        if self.read_only.is_some() && !self.seen_clients.iter().any(|(id, _)| *id == client_id) {
            self.seen_clients
                .push((client_id, (self.actor.office_id, assigned_user_id)));
        }
    }

    /// Keeps a client row this read unit has already read (with other rows in the same
    /// statement), so that `clients::get` need not read it again. Only a read unit keeps it,
    /// and only a row of the actor's own office.
    pub(crate) fn saw_client_row(&mut self, m: client::Model) {
        if self.read_only.is_some()
            && m.office_id == self.actor.office_id
            && !self.seen_rows.iter().any(|r| r.id == m.id)
        {
            self.seen_rows.push(m);
        }
    }

    /// Begun by [`Store::read`].
    pub(crate) fn is_read_unit(&self) -> bool {
        self.read_only.is_some()
    }

    /// The audit keys (the server's secret outside the database), for keyed hashes.
    pub(crate) fn keys(&self) -> &crate::audit_key::Keyring {
        &self.keys
    }

    pub(crate) fn conn(&self) -> &Conn {
        &self.txn
    }

    pub(crate) fn backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    /// Records an audit event, written at commit in this same transaction.
    pub fn record(
        &mut self,
        action: &str,
        kind: RecordKind,
        record_id: Option<i64>,
        client_id: Option<i64>,
        detail: impl Into<String>,
    ) {
        self.events.push(PendingEvent {
            action: action.to_string(),
            kind: kind.code().to_string(),
            record_id,
            client_id,
            outcome: "ok",
            detail: detail.into(),
        });
    }

    /// Records that the policy refused `action` on `kind` (the record asked for in `detail`),
    /// in the office's chain at once: the unit of work itself will not commit.
    pub(crate) fn refused(
        &self,
        kind: RecordKind,
        action: Action,
        client_id: Option<i64>,
        detail: String,
    ) -> StoreError {
        let ev = PendingEvent {
            action: format!("refused_{}", action_code(action)),
            kind: kind.code().to_string(),
            record_id: None,
            client_id,
            outcome: "refused",
            detail,
        };
        self.queue
            .append_detached(self.actor.office_id, Some(self.actor.user_id), vec![ev]);
        StoreError::NotFound
    }

    /// Asks the policy whether the actor may do `action` on `kind` records of `client_id`.
    /// A client of another office, or one the actor may not see, is `NotFound`.
    pub async fn client_access(
        &mut self,
        client_id: i64,
        kind: RecordKind,
        action: Action,
    ) -> Result<ClientAccess> {
        if !kind.is_client_record() {
            return Err(self.refused(kind, action, None, format!("client={client_id}")));
        }
        let seen = self
            .seen_clients
            .iter()
            .find(|(id, _)| *id == client_id)
            .map(|(_, row)| *row);
        let row = match seen {
            Some(row) => row,
            None => {
                let row: Option<(i64, Option<i64>)> = if self.read_only.is_some() {
                    let m = client::Entity::find_by_id(client_id).one(&self.txn).await?;
                    let row = m.as_ref().map(|m| (m.office_id, m.assigned_user_id));
                    // Kept only for the actor's own office: nothing of another's is held.
                    if let Some(m) = m.filter(|m| m.office_id == self.actor.office_id) {
                        self.seen_rows.push(m);
                    }
                    row
                } else {
                    client::Entity::find_by_id(client_id)
                        .select_only()
                        .column(client::Column::OfficeId)
                        .column(client::Column::AssignedUserId)
                        .into_tuple()
                        .one(&self.txn)
                        .await?
                };
                let Some(row) = row else {
                    return Err(self.refused(
                        kind,
                        action,
                        None,
                        format!("client={client_id} (存在しない)"),
                    ));
                };
                // Only a unit of work that cannot write may trust what it read before.
                if self.read_only.is_some() {
                    self.seen_clients.push((client_id, row));
                }
                row
            }
        };
        self.grant(client_id, row, kind, action)
    }

    /// [`Tx::client_access`] for many clients at once (a bulk load or an import): one query for
    /// all their rows, the same policy for each, in the order given. One refusal refuses all.
    pub async fn client_access_many(
        &mut self,
        client_ids: &[i64],
        kind: RecordKind,
        action: Action,
    ) -> Result<Vec<ClientAccess>> {
        if !kind.is_client_record() {
            return Err(self.refused(kind, action, None, format!("clients={}", client_ids.len())));
        }
        let mut rows = std::collections::HashMap::with_capacity(client_ids.len());
        for chunk in client_ids.chunks(IN_LIST_CHUNK) {
            let found: Vec<(i64, i64, Option<i64>)> = client::Entity::find()
                .select_only()
                .column(client::Column::Id)
                .column(client::Column::OfficeId)
                .column(client::Column::AssignedUserId)
                .filter(client::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.txn)
                .await?;
            rows.extend(found.into_iter().map(|(id, o, a)| (id, (o, a))));
        }
        let mut out = Vec::with_capacity(client_ids.len());
        for &id in client_ids {
            let Some(&row) = rows.get(&id) else {
                return Err(self.refused(kind, action, None, format!("client={id} (存在しない)")));
            };
            out.push(self.grant(id, row, kind, action)?);
        }
        Ok(out)
    }

    /// The policy's answer for one client row (its office and assignee).
    fn grant(
        &self,
        client_id: i64,
        (office_id, assigned_to): (i64, Option<i64>),
        kind: RecordKind,
        action: Action,
    ) -> Result<ClientAccess> {
        let target = Target {
            office_id,
            assigned_to,
        };
        if policy::authorize(&self.actor, kind, action, &target).is_err() {
            // A client of another office is named only by its number, never linked to it.
            let (own, detail) = if office_id == self.actor.office_id {
                (Some(client_id), String::new())
            } else {
                (None, format!("client={client_id} (他の事業所)"))
            };
            return Err(self.refused(kind, action, own, detail));
        }
        Ok(ClientAccess {
            client_id,
            assigned_to,
            kind,
            action,
        })
    }

    /// Asks the policy about an office-level record kind (staff, audit log, tokens).
    pub fn office_access(&self, kind: RecordKind, action: Action) -> Result<()> {
        let target = Target {
            office_id: self.actor.office_id,
            assigned_to: None,
        };
        policy::authorize(&self.actor, kind, action, &target)
            .map_err(|_| self.refused(kind, action, None, String::new()))
    }

    /// Writes the audit events and commits. If the audit cannot be written, nothing is.
    pub async fn commit(self) -> Result<()> {
        if let Some(queue) = self.read_only {
            // End the snapshot (nothing was written), then wait for the audit commit.
            self.txn.commit().await?;
            return queue
                .append(self.actor.office_id, Some(self.actor.user_id), self.events)
                .await;
        }
        audit::append(
            &self.txn,
            &self.keys,
            self.actor.office_id,
            Some(self.actor.user_id),
            &self.events,
        )
        .await?;
        // Anything this unit of work wrote may change what a dashboard shows: a new version
        // makes every cached dashboard of the office stale, on every app server.
        let version = bump_data_version(&self.txn, self.actor.office_id).await?;
        self.txn.commit().await?;
        // A read later in the same request (its session lookup saw the version before this
        // write) must see what was just written.
        if let Some(v) = version {
            self.seen.saw(self.actor.office_id, v);
        }
        Ok(())
    }

    /// Gives up the unit of work; nothing it wrote is kept.
    pub async fn rollback(self) -> Result<()> {
        self.txn.rollback().await?;
        Ok(())
    }
}

/// Moves the office's `data_version` (cached dashboards and staff names go stale on every app
/// server) and returns the new one. Last in a transaction, after the audit append: every writer
/// takes the audit head's row before the office's, so two writers never wait on each other.
pub(crate) async fn bump_data_version<C: ConnectionTrait>(
    conn: &C,
    office_id: i64,
) -> Result<Option<i64>> {
    Ok(conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "UPDATE offices SET data_version = data_version + 1 WHERE id = ? \
             RETURNING data_version",
            vec![office_id.into()],
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "data_version"))
        .transpose()?)
}

/// Most ids in one `IN (…)` list, far below either database's limit on parameters.
pub(crate) const IN_LIST_CHUNK: usize = 1000;

fn action_code(a: Action) -> &'static str {
    match a {
        Action::Read => "read",
        Action::Write => "write",
    }
}
