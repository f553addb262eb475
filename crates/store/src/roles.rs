//! PostgreSQL roles: the tables belong to the role that runs `yorisoi migrate`; the server runs
//! as another role that owns nothing and holds only the rights it uses. Without ownership it
//! cannot disable the log's triggers, drop them, or TRUNCATE; without UPDATE and DELETE on the
//! log it cannot rewrite or remove an event even with the triggers gone.

use crate::{Result, Store, StoreError, stmt};
use sea_orm::{ConnectionTrait, DbBackend};

/// Whether `name` is a plain PostgreSQL identifier (it is spliced into GRANT statements).
fn plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

impl Store {
    /// Grants `role` what the server needs on every table, and no more on the audit log
    /// (read and append) and its heads (read, append, move forward). Run by the owner after
    /// each migration, since new tables need their grants too.
    pub async fn grant_app_role(&self, role: &str) -> Result<()> {
        if self.backend() != DbBackend::Postgres {
            return Err(StoreError::Rule(
                "データベースの役割（ロール）の分離は PostgreSQL だけで使えます。".into(),
            ));
        }
        if !plain_identifier(role) {
            return Err(StoreError::Rule(format!(
                "ロール名 {role} は英小文字・数字・_ で書いてください。"
            )));
        }
        let exists = self
            .conn()
            .query_one_raw(stmt(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_roles WHERE rolname = ?",
                vec![role.into()],
            ))
            .await?
            .is_some();
        if !exists {
            return Err(StoreError::Rule(format!(
                "ロール {role} がありません。先に CREATE ROLE {role} LOGIN PASSWORD '…' で作成してください。"
            )));
        }
        let owner_is_role = self
            .conn()
            .query_one_raw(stmt(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_tables WHERE tablename = 'audit_events' AND tableowner = ?",
                vec![role.into()],
            ))
            .await?
            .is_some();
        if owner_is_role {
            return Err(StoreError::Rule(format!(
                "ロール {role} は表の所有者です。サーバー用には所有者でない別のロールを指定してください。"
            )));
        }
        let txn = sea_orm::TransactionTrait::begin(self.conn()).await?;
        for sql in [
            format!("GRANT USAGE ON SCHEMA public TO {role}"),
            format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
            ),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
            format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role}"),
            format!("REVOKE DELETE, TRUNCATE ON audit_heads FROM {role}"),
            format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM {role}"),
        ] {
            txn.execute_unprepared(&sql).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// On PostgreSQL, whether the connected role owns the audit log (and so could switch its
    /// guards off): the server warns at start when it does.
    pub async fn owns_audit_log(&self) -> Result<bool> {
        if self.backend() != DbBackend::Postgres {
            return Ok(false);
        }
        Ok(self
            .conn()
            .query_one_raw(stmt(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_tables WHERE tablename = 'audit_events' AND tableowner = current_user",
                vec![],
            ))
            .await?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_identifiers_are_spliced() {
        assert!(super::plain_identifier("yorisoi_app"));
        assert!(super::plain_identifier("_x1"));
        for bad in [
            "",
            "1abc",
            "App",
            "a b",
            "a;drop table x",
            "a\"b",
            &"a".repeat(64),
        ] {
            assert!(!super::plain_identifier(bad), "{bad}");
        }
    }
}
