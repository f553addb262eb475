use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::text;

/// The audit chain keyed with a secret outside the database: each event names the key its HMAC
/// was made with (empty for the plain SHA-256 events written before). PostgreSQL also refuses
/// TRUNCATE on the log, which row triggers do not see.
pub(super) struct M0011AuditKey;

impl MigrationName for M0011AuditKey {
    fn name(&self) -> &str {
        "m0011_audit_key"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0011AuditKey {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("audit_events")
                .add_column(text("key_id"))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let db = m.get_connection();
            for sql in [
                "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
                "CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
            ] {
                db.execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }
}
