use sea_orm_migration::prelude::*;

use super::{big, big_null, date, date_null, fk, id, index, text, ts, version};

/// Issue 20's office-side follow-ups: a 地域課題 merged into another (`merged_into`) or linked to
/// the 社会資源 it led to (`resource_id`); 個別事例報告 (de-identified case vignettes); and the
/// evidence records of the 地域体制強化共同支援加算.
pub(super) struct M0021IssueFollowups;

impl MigrationName for M0021IssueFollowups {
    fn name(&self) -> &str {
        "m0021_issue_followups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0021IssueFollowups {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement, and no foreign key to an existing table: the
        // store checks both ids belong to the office.
        for col in ["merged_into", "resource_id"] {
            m.alter_table(
                Table::alter()
                    .table("regional_issues")
                    .add_column(big_null(col))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("case_vignettes")
                .col(id())
                .col(big("office_id"))
                .col(big("case_id"))
                .col(big("client_id"))
                .col(big_null("issue_id"))
                .col(text("title"))
                .col(text("body"))
                .col(big("written_by"))
                .col(date_null("released_on"))
                .col(big_null("released_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("case_vignettes", "office_id", "offices"))
                .foreign_key(&mut fk("case_vignettes", "case_id", "cases"))
                .foreign_key(&mut fk("case_vignettes", "client_id", "clients"))
                .foreign_key(&mut fk("case_vignettes", "issue_id", "regional_issues"))
                .foreign_key(&mut fk("case_vignettes", "written_by", "users"))
                .foreign_key(&mut fk("case_vignettes", "released_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "case_vignettes",
                "case_vignettes_office",
                &["office_id", "released_on"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("joint_support_records")
                .col(id())
                .col(big("office_id"))
                .col(big("case_id"))
                .col(big("client_id"))
                .col(big_null("issue_id"))
                .col(date("worked_on"))
                .col(text("parties"))
                .col(date("reported_on"))
                .col(text("report_title"))
                .col(text("summary"))
                .col(date("keep_until"))
                .col(big("created_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("joint_support_records", "office_id", "offices"))
                .foreign_key(&mut fk("joint_support_records", "case_id", "cases"))
                .foreign_key(&mut fk("joint_support_records", "client_id", "clients"))
                .foreign_key(&mut fk(
                    "joint_support_records",
                    "issue_id",
                    "regional_issues",
                ))
                .foreign_key(&mut fk("joint_support_records", "created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "joint_support_records",
                "joint_support_records_office",
                &["office_id", "reported_on"],
            )
            .to_owned(),
        )
        .await
    }
}
