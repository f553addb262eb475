use sea_orm_migration::prelude::*;

use super::{big, fk, id, index, text, ts};

/// Forms sent after their session expired: kept (sealed) for the same user to save after
/// signing in again, for a few hours, instead of being lost at the sign-in page.
pub(super) struct M0015ParkedForms;

impl MigrationName for M0015ParkedForms {
    fn name(&self) -> &str {
        "m0015_parked_forms"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0015ParkedForms {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("parked_forms")
                .col(id())
                .col(big("user_id"))
                .col(text("path"))
                .col(text("page"))
                .col(text("body"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("parked_forms", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("parked_forms", "parked_forms_user", &["user_id"]).to_owned())
            .await
    }
}
