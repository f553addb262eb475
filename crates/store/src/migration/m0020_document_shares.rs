use sea_orm_migration::prelude::*;

use super::{big, big_null, date_null, fk, id, index, text, ts, ts_null};

/// A document (a plan version, a monitoring report, a meeting record) shared with one member of
/// the care team outside the office: until when, whether revoked, and when its recipient
/// acknowledged receipt (受領).
pub(super) struct M0020DocumentShares;

impl MigrationName for M0020DocumentShares {
    fn name(&self) -> &str {
        "m0020_document_shares"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0020DocumentShares {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("document_shares")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("member_id"))
                .col(text("doc"))
                .col(big("record_id"))
                .col(text("stage"))
                .col(text("title"))
                .col(text("message"))
                .col(big("shared_by"))
                .col(ts("created_at"))
                .col(date_null("expires_on"))
                .col(ts_null("revoked_at"))
                .col(big_null("revoked_by"))
                .col(ts_null("received_at"))
                .col(big_null("received_by"))
                .foreign_key(&mut fk("document_shares", "office_id", "offices"))
                .foreign_key(&mut fk("document_shares", "client_id", "clients"))
                .foreign_key(&mut fk("document_shares", "member_id", "team_members"))
                .foreign_key(&mut fk("document_shares", "shared_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "document_shares",
                "document_shares_by_client",
                &["office_id", "client_id"],
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "document_shares",
                "document_shares_by_member",
                &["member_id"],
            )
            .to_owned(),
        )
        .await
    }
}
