use sea_orm_migration::prelude::*;

use super::{big, big_null, date, date_null, fk, id, index, text, ts, version};

/// A region (issue 20): an office that runs it (基幹相談支援センター, the 協議会's secretariat), the
/// offices that joined it and the 地区 each belongs to, and on each 地域課題 where the council
/// stands on it and what it asked back. SQLite adds one column per statement.
pub(super) struct M0022Regions;

impl MigrationName for M0022Regions {
    fn name(&self) -> &str {
        "m0022_regions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0022Regions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("regions")
                .col(id())
                .col(big("office_id"))
                .col(text("name"))
                .col(big("created_by"))
                .col(version())
                .col(ts("created_at"))
                .foreign_key(&mut fk("regions", "office_id", "offices"))
                .foreign_key(&mut fk("regions", "created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("regions", "regions_office", &["office_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("region_offices")
                .col(id())
                .col(big("region_id"))
                .col(big("office_id"))
                .col(text("area"))
                .col(date("joined_on"))
                .col(big("joined_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("region_offices", "region_id", "regions"))
                .foreign_key(&mut fk("region_offices", "office_id", "offices"))
                .foreign_key(&mut fk("region_offices", "joined_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "region_offices",
                "region_offices_member",
                &["region_id", "office_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index("region_offices", "region_offices_office", &["office_id"]).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("regional_issues")
                .add_column(text("council_reply"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("regional_issues")
                .add_column(date_null("council_on"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("regional_issues")
                .add_column(big_null("council_by"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "regional_issues",
                "regional_issues_released",
                &["office_id", "released_on"],
            )
            .to_owned(),
        )
        .await
    }
}
