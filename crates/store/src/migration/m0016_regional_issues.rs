use sea_orm_migration::prelude::*;

use super::{big, big_null, date, date_null, fk, id, index, text, ts, version};

/// 地域課題: the office's issues for the council, and the cases behind each (links that never
/// leave the office; one link per case and issue).
pub(super) struct M0016RegionalIssues;

impl MigrationName for M0016RegionalIssues {
    fn name(&self) -> &str {
        "m0016_regional_issues"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0016RegionalIssues {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("regional_issues")
                .col(id())
                .col(big("office_id"))
                .col(text("title"))
                .col(text("category"))
                .col(text("need"))
                .col(text("resource"))
                .col(text("area"))
                .col(text("status"))
                .col(text("source_kind"))
                .col(big_null("source_ref"))
                .col(big("raised_by"))
                .col(date("raised_on"))
                .col(date_null("released_on"))
                .col(big_null("released_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("regional_issues", "office_id", "offices"))
                .foreign_key(&mut fk("regional_issues", "raised_by", "users"))
                .foreign_key(&mut fk("regional_issues", "released_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "regional_issues",
                "regional_issues_office",
                &["office_id", "category", "status"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("regional_issue_cases")
                .col(id())
                .col(big("issue_id"))
                .col(big("office_id"))
                .col(big("case_id"))
                .col(big("client_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "regional_issue_cases",
                    "issue_id",
                    "regional_issues",
                ))
                .foreign_key(&mut fk("regional_issue_cases", "office_id", "offices"))
                .foreign_key(&mut fk("regional_issue_cases", "case_id", "cases"))
                .foreign_key(&mut fk("regional_issue_cases", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "regional_issue_cases",
                "regional_issue_cases_issue_case",
                &["issue_id", "case_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "regional_issue_cases",
                "regional_issue_cases_office",
                &["office_id", "case_id"],
            )
            .to_owned(),
        )
        .await
    }
}
