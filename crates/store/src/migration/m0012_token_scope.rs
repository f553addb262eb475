use sea_orm_migration::prelude::*;

use super::ts_null;

/// API tokens that expire and may be limited to reading. Tokens issued before keep full access
/// and no expiry, as they were issued; new ones always have both.
pub(super) struct M0012TokenScope;

impl MigrationName for M0012TokenScope {
    fn name(&self) -> &str {
        "m0012_token_scope"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0012TokenScope {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("api_tokens")
                .add_column(
                    ColumnDef::new("scope")
                        .text()
                        .not_null()
                        .default("write")
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("api_tokens")
                .add_column(ts_null("expires_at"))
                .to_owned(),
        )
        .await
    }
}
