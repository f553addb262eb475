use sea_orm_migration::prelude::*;

/// How an office prints its documents (calendar, furigana, template per kind), as JSON read by
/// `domain::office::DocSettings`.
pub(super) struct M0006Documents;

impl MigrationName for M0006Documents {
    fn name(&self) -> &str {
        "m0006_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Documents {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("offices")
                .add_column(
                    ColumnDef::new("doc_settings")
                        .text()
                        .not_null()
                        .default("{}"),
                )
                .to_owned(),
        )
        .await
    }
}
