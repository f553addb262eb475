use sea_orm_migration::prelude::*;

use super::{big, big_null, fk, id, index, int, text, ts, version};

/// The office's own 地域課題 categories (issue 20): each with its label and the default category
/// it counts as when its issues leave the office, retired rather than deleted (issues keep it);
/// the defaults an office does not use; and on each issue the office's own category, if any.
pub(super) struct M0023IssueCategories;

impl MigrationName for M0023IssueCategories {
    fn name(&self) -> &str {
        "m0023_issue_categories"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0023IssueCategories {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("issue_categories")
                .col(id())
                .col(big("office_id"))
                .col(text("label"))
                .col(text("counts_as"))
                .col(ColumnDef::new("active").boolean().not_null().default(true))
                .col(int("position"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("issue_categories", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "issue_categories",
                "issue_categories_office",
                &["office_id"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("issue_categories_unused")
                .col(id())
                .col(big("office_id"))
                .col(text("code"))
                .foreign_key(&mut fk("issue_categories_unused", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "issue_categories_unused",
                "issue_categories_unused_code",
                &["office_id", "code"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("regional_issues")
                .add_column(big_null("own_category_id"))
                .to_owned(),
        )
        .await
    }
}
