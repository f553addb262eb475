use sea_orm_migration::prelude::*;

/// 自分のアカウント: the browser and address a session was started from (shown on the user's
/// list of their own sessions), and a password an admin reset that must be changed at the next
/// sign-in. SQLite adds one column per statement.
pub(super) struct M0009Account;

impl MigrationName for M0009Account {
    fn name(&self) -> &str {
        "m0009_account"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0009Account {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["user_agent", "address"] {
            m.alter_table(
                Table::alter()
                    .table("sessions")
                    .add_column(ColumnDef::new(col).text().not_null().default(""))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(
                    ColumnDef::new("must_change_password")
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await
    }
}
