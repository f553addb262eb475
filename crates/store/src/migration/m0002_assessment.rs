use sea_orm_migration::prelude::*;

use super::{big, date, fk, id, index, int, text, ts, version};

/// アセスメント: one row per version; the document itself is JSON validated by the domain.
pub(super) struct M0002Assessment;

impl MigrationName for M0002Assessment {
    fn name(&self) -> &str {
        "m0002_assessment"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Assessment {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("assessments")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(int("version_no"))
                .col(date("assessed_on"))
                .col(text("method"))
                .col(text("title"))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("assessments", "client_id", "clients"))
                .foreign_key(&mut fk("assessments", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "assessments",
                "assessments_case_version",
                &["case_id", "version_no"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index("assessments", "assessments_client", &["client_id"]))
            .await?;
        Ok(())
    }
}
