use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use super::{big, date, date_null, fk, id, index, text, ts, version};

/// 意思決定支援 records, and the closed case's look back (終結・エバリュエーション) with the date
/// its records may be disposed of (a column, so a retention job can find them by index).
pub(super) struct M0005DecisionSupport;

impl MigrationName for M0005DecisionSupport {
    fn name(&self) -> &str {
        "m0005_decision_support"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005DecisionSupport {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER.
        m.alter_table(
            Table::alter()
                .table("cases")
                .add_column(text("evaluation"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("cases")
                .add_column(date_null("retain_until"))
                .to_owned(),
        )
        .await?;
        let backfill = match m.get_database_backend() {
            DbBackend::Sqlite => {
                "UPDATE cases SET retain_until = date(closed_on, '+' || (SELECT retention_years FROM offices o WHERE o.id = cases.office_id) || ' years') WHERE closed_on IS NOT NULL"
            }
            DbBackend::Postgres => {
                "UPDATE cases SET retain_until = (closed_on + make_interval(years => (SELECT retention_years FROM offices o WHERE o.id = cases.office_id)))::date WHERE closed_on IS NOT NULL"
            }
            _ => {
                return Err(DbErr::Custom(
                    "yorisoi supports SQLite and PostgreSQL only".into(),
                ));
            }
        };
        m.get_connection().execute_unprepared(backfill).await?;
        // Bumped by every unit of work that writes: cached dashboards are valid while it stands.
        m.alter_table(
            Table::alter()
                .table("offices")
                .add_column(
                    ColumnDef::new("data_version")
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        // The office's clients by last update (the lead's home screen), without sorting them all.
        m.create_index(index(
            "clients",
            "clients_office_updated",
            &["office_id", "updated_at"],
        ))
        .await?;
        m.create_index(index(
            "cases",
            "cases_office_retain",
            &["office_id", "retain_until"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("decisions")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(text("question"))
                .col(text("step"))
                .col(big("lead_user_id"))
                .col(date("started_on"))
                .col(date_null("decided_on"))
                .col(date_null("follow_up_on"))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("decisions", "case_id", "cases"))
                .foreign_key(&mut fk("decisions", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("decisions", "decisions_case", &["case_id"]))
            .await?;
        // The dashboard's follow-ups due: by office and date, not by every client's history.
        m.create_index(index(
            "decisions",
            "decisions_office_follow_up",
            &["office_id", "follow_up_on"],
        ))
        .await?;
        Ok(())
    }
}
