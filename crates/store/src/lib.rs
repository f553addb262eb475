//! Persistence for yorisoi: one code path for SQLite and PostgreSQL.
//!
//! Every unit of work runs in a [`Tx`], which knows the acting user and appends audit events
//! to the office's hash chain in the same transaction. Client records can only be touched with a
//! [`ClientAccess`], which only [`Tx::client_access`] creates after asking the domain's policy.
#![forbid(unsafe_code)]

pub mod account;
pub mod api_tokens;
pub mod assessments;
pub mod audit;
pub mod audit_key;
mod audit_optimistic;
mod audit_queue;
pub mod cases;
pub mod certificates;
pub mod client_page;
pub mod clients;
pub mod dashboard;
pub mod decisions;
pub mod entities;
pub mod imports;
pub mod issue_categories;
pub mod issue_followups;
pub mod joint_support;
pub mod maintenance;
pub mod meetings;
pub mod migration;
pub mod monitorings;
pub mod notes;
pub mod offices;
pub mod outside;
pub mod parked;
pub mod passkeys;
pub mod plans;
pub mod region;
pub mod regional_issues;
pub mod resources;
mod roles;
pub mod sealed;
pub mod second_factor;
mod seen;
pub mod sessions;
pub mod shares;
pub mod team;
pub mod testing;
pub mod users;
pub mod vignettes;

#[cfg(test)]
mod openapi_tests;

mod tx;
pub use tx::{ClientAccess, Tx};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    Value,
};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Absent, or not visible to this user: the two are never told apart.
    #[error("not found")]
    NotFound,
    /// The record changed since the user loaded it.
    #[error("edit conflict")]
    Conflict,
    /// A rule of the domain refused the change as a whole (message is for the user, in
    /// Japanese, and says what to do).
    #[error("{0}")]
    Rule(String),
    /// A rule refused the value of particular fields: the messages are keyed by the form field
    /// they concern, so a page shows each beside its field and the API returns the field map.
    #[error("{0}")]
    Invalid(yorisoi_domain::FieldErrors),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    /// A refusal of one field's value, with what to do about it.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = yorisoi_domain::FieldErrors::new();
        e.add(field, message);
        StoreError::Invalid(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Connections in the pool: `YORISOI_DB_POOL` if it is a number from 2 to 200, else `default`.
fn pool_size(default: u32) -> u32 {
    std::env::var("YORISOI_DB_POOL")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (2..=200).contains(n))
        .unwrap_or(default)
}

/// The database behind the application.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// Where read units of work begin (`tx::read_pool`): read-only sessions on PostgreSQL.
    reader: DatabaseConnection,
    /// SQLite has one writer at a time. Units of work queue here, first come first served,
    /// instead of in SQLite's busy handler, whose sleeping back-off gave a tail of ~1 s at 32
    /// connections (BENCHMARKS.md).
    write_gate: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    audit_queue: audit_queue::AuditQueue,
    /// The audit key and checkpoint directory, set at start by the command that opens the store.
    audit_setup: AuditSetupHandle,
    /// Dashboards already built, valid while their office's `data_version` stands.
    pub(crate) dashboards: dashboard::Cache,
    /// Each office's `data_version` as requests' session lookups saw it, and what is cached by it.
    pub(crate) seen: seen::Seen,
}

impl Store {
    /// Connects to `sqlite://PATH` or `postgres://…`. SQLite is set up for records of care:
    /// WAL, `synchronous=FULL` (a committed record survives power loss), foreign keys on, and a
    /// busy timeout so concurrent writers wait instead of failing.
    pub async fn connect(url: &str) -> Result<Store> {
        let mut opt = ConnectOptions::new(url.to_string());
        // A pooled connection is pinged only after 30 s idle, not at every checkout: the ping
        // is a round trip of its own, and a page view checks out a connection several times
        // (session, its unit of work, the audit append).
        opt.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(15))
            .test_before_acquire_if_idle_for(Duration::from_secs(30));
        if url.starts_with("sqlite:") {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opt.max_connections(pool_size(8)).min_connections(1);
            opt.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(15))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            opt.max_connections(pool_size(24)).min_connections(1);
        } else {
            return Err(StoreError::Rule(
                "データベースの指定は sqlite://ファイル名 か postgres://… の形にしてください。"
                    .into(),
            ));
        }
        let write_gate = url
            .starts_with("sqlite:")
            .then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        let db = Database::connect(opt).await?;
        let audit_setup = AuditSetupHandle::default();
        let audit_queue =
            audit_queue::AuditQueue::start(db.clone(), write_gate.clone(), audit_setup.clone());
        Ok(Store {
            reader: tx::read_pool(&db),
            db,
            write_gate,
            audit_queue,
            audit_setup,
            dashboards: Default::default(),
            seen: Default::default(),
        })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Names of migrations not yet applied. Reads the migrations table only: the server's
    /// PostgreSQL role may not create it (SeaORM's own check would try to).
    pub async fn pending_migrations(&self) -> Result<Vec<String>> {
        let applied: Vec<String> = match self
            .db
            .query_all_raw(Statement::from_string(
                self.backend(),
                "SELECT version FROM seaql_migrations",
            ))
            .await
        {
            Ok(rows) => rows
                .iter()
                .map(|r| r.try_get_by_index::<String>(0))
                .collect::<std::result::Result<_, _>>()?,
            // No table yet: nothing is applied.
            Err(_) => Vec::new(),
        };
        Ok(migration::Migrator::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .filter(|n| !applied.contains(n))
            .collect())
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend() == DbBackend::Sqlite
    }

    /// The raw connection, for the few operations outside a user's unit of work (sign-in,
    /// sessions, maintenance).
    pub fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// `VACUUM INTO` a consistent copy while the server runs (SQLite only).
    pub async fn backup_sqlite(&self, dest: &str) -> Result<()> {
        if !self.is_sqlite() {
            return Err(StoreError::Rule(
                "PostgreSQL のバックアップは pg_dump を使ってください。".into(),
            ));
        }
        let st = stmt(self.backend(), "VACUUM INTO ?", vec![dest.into()]);
        self.db.execute_raw(st).await?;
        Ok(())
    }

    /// `PRAGMA integrity_check` on SQLite; `true` when the file is sound. Always `true` on
    /// PostgreSQL, which checks itself.
    pub async fn integrity_ok(&self) -> Result<bool> {
        if !self.is_sqlite() {
            return Ok(true);
        }
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await?;
        let v: String = row
            .map(|r| r.try_get_by_index(0))
            .transpose()?
            .unwrap_or_default();
        Ok(v == "ok")
    }

    /// Signs new audit events with the last key of `keys`; older keys verify older events.
    pub fn set_audit_keyring(&self, keys: audit_key::Keyring) {
        write_setup(&self.audit_setup).keys = Arc::new(keys);
    }

    /// PostgreSQL: batches of one office's read audit events in flight at once, 1 or 2 (see
    /// `YORISOI_AUDIT_DEPTH` in README.md).
    pub fn set_audit_depth(&self, depth: usize) {
        write_setup(&self.audit_setup).depth = Some(depth.clamp(1, 2));
    }

    /// Where signed checkpoints of the audit log are appended and read back.
    pub fn set_checkpoint_dir(&self, dir: std::path::PathBuf) {
        write_setup(&self.audit_setup).checkpoint_dir = Some(dir);
    }

    pub fn audit_keys(&self) -> Arc<audit_key::Keyring> {
        read_setup(&self.audit_setup).keys.clone()
    }

    pub fn checkpoint_dir(&self) -> Option<std::path::PathBuf> {
        read_setup(&self.audit_setup).checkpoint_dir.clone()
    }

    pub(crate) fn checkpointed(&self, office_id: i64) -> Option<i64> {
        read_setup(&self.audit_setup)
            .checkpointed
            .get(&office_id)
            .copied()
    }

    pub(crate) fn set_checkpointed(&self, office_id: i64, seq: i64) {
        write_setup(&self.audit_setup)
            .checkpointed
            .insert(office_id, seq);
    }

    pub async fn close(self) -> Result<()> {
        if self.backend() == DbBackend::Postgres {
            self.reader.close_by_ref().await?;
        }
        self.db.close().await?;
        Ok(())
    }
}

#[derive(Debug, Default)]
pub(crate) struct AuditSetup {
    pub(crate) keys: Arc<audit_key::Keyring>,
    checkpoint_dir: Option<std::path::PathBuf>,
    /// The last sequence number checkpointed per office by this process.
    checkpointed: std::collections::HashMap<i64, i64>,
    /// Set by [`Store::set_audit_depth`]; else `YORISOI_AUDIT_DEPTH` decides.
    pub(crate) depth: Option<usize>,
}

pub(crate) type AuditSetupHandle = Arc<std::sync::RwLock<AuditSetup>>;

// A panic while holding the lock cannot leave the setup half-written (each write is one field),
// so a poisoned lock is used as it is.
pub(crate) fn read_setup(h: &AuditSetupHandle) -> std::sync::RwLockReadGuard<'_, AuditSetup> {
    h.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write_setup(h: &AuditSetupHandle) -> std::sync::RwLockWriteGuard<'_, AuditSetup> {
    h.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Builds a statement written with `?` placeholders for either backend (PostgreSQL gets `$n`).
/// Inserts `rows` in multi-row INSERTs of at most `chunk` rows each and returns their ids in the
/// order given. One statement numbers its rows in the order of its VALUES on both databases
/// (SQLite's rowids and PostgreSQL's sequence alike), so each chunk's ids sorted are its rows'.
pub(crate) async fn insert_returning_ids<A, C>(
    conn: &C,
    rows: Vec<A>,
    chunk: usize,
) -> Result<Vec<i64>>
where
    A: sea_orm::ActiveModelTrait + Send,
    C: ConnectionTrait,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
    <<A::Entity as sea_orm::EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType:
        Into<i64>,
{
    let mut ids = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(chunk).collect();
        let mut keys: Vec<i64> = <A::Entity as sea_orm::EntityTrait>::insert_many(part)
            .exec_with_returning_keys(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        keys.sort_unstable();
        ids.extend(keys);
    }
    Ok(ids)
}

pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        Statement::from_sql_and_values(backend, out, values)
    } else {
        Statement::from_sql_and_values(backend, sql, values)
    }
}

/// Now, truncated to microseconds so that what is hashed equals what both databases store.
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    let n = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

/// Japan's local time (JST has no daylight saving): dates and note times are Japanese.
pub fn now_jst() -> chrono::NaiveDateTime {
    (chrono::Utc::now() + chrono::Duration::hours(9)).naive_utc()
}

pub fn today_jst() -> chrono::NaiveDate {
    now_jst().date()
}

pub(crate) fn join_codes<I: IntoIterator<Item = &'static str>>(codes: I) -> String {
    codes.into_iter().collect::<Vec<_>>().join(",")
}

pub(crate) fn split_codes(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').filter(|c| !c.is_empty())
}

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: {value}"))
}

pub use sea_orm::DbBackend as Backend;
