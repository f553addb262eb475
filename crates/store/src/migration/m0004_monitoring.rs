use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use super::{big, date, date_null, fk, id, index, text, ts, version};

/// モニタリング reports, and the plan's date (計画作成日) as a column: the due months count from
/// the first final plan, and the dashboard reads that for every case without opening bodies.
pub(super) struct M0004Monitoring;

impl MigrationName for M0004Monitoring {
    fn name(&self) -> &str {
        "m0004_monitoring"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004Monitoring {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("plans")
                .add_column(date_null("decided_on"))
                .to_owned(),
        )
        .await?;
        let backfill = match m.get_database_backend() {
            DbBackend::Sqlite => {
                "UPDATE plans SET decided_on = json_extract(body, '$.decided_on') WHERE json_extract(body, '$.decided_on') IS NOT NULL"
            }
            DbBackend::Postgres => {
                "UPDATE plans SET decided_on = (body::json->>'decided_on')::date WHERE body::json->>'decided_on' IS NOT NULL"
            }
            _ => {
                return Err(DbErr::Custom(
                    "yorisoi supports SQLite and PostgreSQL only".into(),
                ));
            }
        };
        m.get_connection().execute_unprepared(backfill).await?;
        m.create_index(index("plans", "plans_case_state", &["case_id", "state"]))
            .await?;
        m.create_table(
            Table::create()
                .table("monitorings")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(big("plan_id"))
                .col(date("monitored_on"))
                .col(text("outcome"))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("monitorings", "case_id", "cases"))
                .foreign_key(&mut fk("monitorings", "plan_id", "plans"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "monitorings",
            "monitorings_case_date",
            &["case_id", "monitored_on"],
        ))
        .await?;
        m.create_index(index(
            "meetings",
            "meetings_case_date",
            &["case_id", "held_on"],
        ))
        .await?;
        Ok(())
    }
}
