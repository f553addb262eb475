use sea_orm_migration::prelude::*;

use super::index;

/// A specialist's caseload in ふりがな order (their home screen and client list) from one index
/// range: with only (office, assignee), SQLite walked the whole office in kana order and
/// filtered — 2,020 rows for a caseload of 120, about 1 ms per page view (BENCHMARKS.md).
pub(super) struct M0007CaseloadIndex;

impl MigrationName for M0007CaseloadIndex {
    fn name(&self) -> &str {
        "m0007_caseload_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007CaseloadIndex {
    /// Drop and create on one connection, all or nothing (SQLite would otherwise run each
    /// statement on whichever pooled connection is free).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX clients_office_assigned")
            .await?;
        m.create_index(index(
            "clients",
            "clients_office_assigned",
            &[
                "office_id",
                "assigned_user_id",
                "family_name_kana",
                "given_name_kana",
            ],
        ))
        .await
    }
}
