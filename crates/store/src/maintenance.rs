//! Planner statistics: after a bulk load the planner must know the tables' sizes, or it plans a
//! search as if they were empty (issue 22: a case-note search went from 0.2 ms to 532 ms p99 at
//! 100,000 clients until `ANALYZE` ran).

use crate::{Result, Store};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// Gathers the planner's statistics for every table (`ANALYZE`, on both backends). On
/// PostgreSQL a role that owns no table skips them with a warning; run it as the owner.
pub async fn analyze(store: &Store) -> Result<()> {
    store.conn().execute_unprepared("ANALYZE").await?;
    Ok(())
}

/// PostgreSQL: whether autovacuum, which also keeps the statistics current, is off (it needs
/// `autovacuum` and `track_counts` on). Always `false` on SQLite.
pub async fn autovacuum_off(store: &Store) -> Result<bool> {
    if store.backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let row = store
        .conn()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on'",
        ))
        .await?;
    let on = match row {
        Some(r) => r.try_get_by_index::<bool>(0)?,
        None => false,
    };
    Ok(!on)
}
