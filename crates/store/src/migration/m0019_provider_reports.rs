use sea_orm_migration::prelude::*;

use super::{big, fk, id, index, text, ts, version};

/// サービス提供状況 reported by a provider's サービス管理責任者 on the plan in force, one per plan,
/// member row and month (a second save of the month updates it).
pub(super) struct M0019ProviderReports;

impl MigrationName for M0019ProviderReports {
    fn name(&self) -> &str {
        "m0019_provider_reports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0019ProviderReports {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("provider_reports")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("plan_id"))
                .col(big("member_id"))
                .col(big("user_id"))
                .col(text("month"))
                .col(text("body"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("provider_reports", "office_id", "offices"))
                .foreign_key(&mut fk("provider_reports", "client_id", "clients"))
                .foreign_key(&mut fk("provider_reports", "plan_id", "plans"))
                .foreign_key(&mut fk("provider_reports", "member_id", "team_members"))
                .foreign_key(&mut fk("provider_reports", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "provider_reports",
                "provider_reports_one_a_month",
                &["plan_id", "member_id", "month"],
            )
            .unique()
            .to_owned(),
        )
        .await
    }
}
