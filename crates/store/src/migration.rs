//! Migrations, written once for SQLite and PostgreSQL with sea-query; the few backend-specific
//! pieces (full-text search, append-only triggers) are chosen in one place here.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Assessment),
            Box::new(M0003Plan),
            Box::new(M0004Monitoring),
            Box::new(M0005DecisionSupport),
            Box::new(M0006Documents),
            Box::new(M0007CaseloadIndex),
        ]
    }
}

struct M0001Foundation;

/// モニタリング reports, and the plan's date (計画作成日) as a column: the due months count from
/// the first final plan, and the dashboard reads that for every case without opening bodies.
struct M0004Monitoring;

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

/// 意思決定支援 records, and the closed case's look back (終結・エバリュエーション) with the date
/// its records may be disposed of (a column, so a retention job can find them by index).
struct M0005DecisionSupport;

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

/// How an office prints its documents (calendar, furigana, template per kind), as JSON read by
/// `domain::office::DocSettings`.
struct M0006Documents;

impl MigrationName for M0006Documents {
    fn name(&self) -> &str {
        "m0006_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Documents {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("offices")
                .add_column(
                    ColumnDef::new("doc_settings")
                        .text()
                        .not_null()
                        .default("{}"),
                )
                .to_owned(),
        )
        .await
    }
}

/// A specialist's caseload in ふりがな order (their home screen and client list) from one index
/// range: with only (office, assignee), SQLite walked the whole office in kana order and
/// filtered — 2,020 rows for a caseload of 120, about 1 ms per page view (BENCHMARKS.md).
struct M0007CaseloadIndex;

impl MigrationName for M0007CaseloadIndex {
    fn name(&self) -> &str {
        "m0007_caseload_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007CaseloadIndex {
    /// Drop and create on one connection, all or nothing (SQLite would otherwise run each
    /// statement on whichever pooled connection is free).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX clients_office_assigned")
            .await?;
        m.create_index(index(
            "clients",
            "clients_office_assigned",
            &[
                "office_id",
                "assigned_user_id",
                "family_name_kana",
                "given_name_kana",
            ],
        ))
        .await
    }
}

/// アセスメント: one row per version; the document itself is JSON validated by the domain.
struct M0002Assessment;

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

/// 社会資源, ケアチーム, consents to share, plans, meetings, implementation and uploaded files.
/// Documents are JSON validated by the domain; the columns are what lists filter and sort on.
struct M0003Plan;

impl MigrationName for M0003Plan {
    fn name(&self) -> &str {
        "m0003_plan"
    }
}

fn flag(name: &'static str, default: bool) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Plan {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("resources")
                .col(id())
                .col(big("office_id"))
                .col(text("category"))
                .col(text("service_type"))
                .col(text("name"))
                .col(text("body"))
                .col(flag("active", true))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("resources", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "resources",
            "resources_office",
            &["office_id", "name"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("team_members")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("kind"))
                .col(text("name"))
                .col(text("body"))
                .col(flag("active", true))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("team_members", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("team_members", "team_members_client", &["client_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("share_consents")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("subject"))
                .col(date("given_on"))
                .col(date_null("withdrawn_on"))
                .col(big_null("withdrawn_by"))
                .col(big_null("replaces_id"))
                .col(text("body"))
                .col(big("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("share_consents", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "share_consents",
            "share_consents_client",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("plans")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(int("version_no"))
                .col(text("state"))
                .col(date("drafted_on"))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("plans", "client_id", "clients"))
                .foreign_key(&mut fk("plans", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("plans", "plans_case_version", &["case_id", "version_no"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("plans", "plans_client", &["client_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("meetings")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(big("plan_id"))
                .col(date("held_on"))
                .col(flag("held", false))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("meetings", "plan_id", "plans"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("meetings", "meetings_plan", &["plan_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("attachments")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("filename"))
                .col(text("content_type"))
                .col(big("size"))
                .col(text("sha256"))
                .col(ColumnDef::new("data").blob().not_null())
                .col(big("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("attachments", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("implementations")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("plan_id"))
                .col(int("row_key"))
                .col(text("body"))
                .col(big_null("attachment_id"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("implementations", "plan_id", "plans"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "implementations",
                "implementations_row",
                &["plan_id", "row_key"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}

impl MigrationName for M0001Foundation {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

fn id() -> ColumnDef {
    ColumnDef::new("id")
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn big(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}
fn big_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}
fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().to_owned()
}
fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .text()
        .not_null()
        .default("")
        .to_owned()
}
fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}
fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().not_null().to_owned()
}
fn date_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().null().to_owned()
}
fn ts(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}
fn ts_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}
fn version() -> ColumnDef {
    ColumnDef::new("version")
        .integer()
        .not_null()
        .default(1)
        .to_owned()
}
fn fk(from_table: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}
fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Foundation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("offices")
                .col(id())
                .col(text("name"))
                .col(
                    ColumnDef::new("retention_years")
                        .integer()
                        .not_null()
                        .default(5),
                )
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("users")
                .col(id())
                .col(big("office_id"))
                .col(ColumnDef::new("login").text().not_null().unique_key())
                .col(text("display_name"))
                .col(text("role"))
                .col(text("password_hash"))
                .col(ColumnDef::new("active").boolean().not_null().default(true))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("users", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("users", "users_office", &["office_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("sessions")
                .col(id())
                .col(ColumnDef::new("token_hash").text().not_null().unique_key())
                .col(big("user_id"))
                .col(text("csrf_token"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("absolute_expires_at"))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", "sessions_user", &["user_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("login_attempts")
                .col(id())
                .col(text("key"))
                .col(ts("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "login_attempts",
            "login_attempts_key_at",
            &["key", "at"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(id())
                .col(big("office_id"))
                .col(big("user_id"))
                .col(text("name"))
                .col(ColumnDef::new("token_hash").text().not_null().unique_key())
                .col(big("created_by"))
                .col(ts("created_at"))
                .col(ts_null("revoked_at"))
                .col(ts_null("last_used_at"))
                .foreign_key(&mut fk("api_tokens", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("clients")
                .col(id())
                .col(big("office_id"))
                .col(big_null("assigned_user_id"))
                .col(text("family_name"))
                .col(text("given_name"))
                .col(text("family_name_kana"))
                .col(text("given_name_kana"))
                .col(text("search_key"))
                .col(date("birth_date"))
                .col(text("sex"))
                .col(text("postal_code"))
                .col(text("address"))
                .col(text("phone"))
                .col(text("disability_kinds"))
                .col(text("diagnosis"))
                .col(text("complications"))
                .col(text("support_category"))
                .col(date_null("support_category_from"))
                .col(date_null("support_category_until"))
                .col(text("income_kinds"))
                .col(text("income_note"))
                .col(text("guardian_kind"))
                .col(text("guardian_name"))
                .col(text("guardian_contact"))
                .col(text("key_person"))
                .col(text("doctor"))
                .col(text("medical_institution"))
                .col(text("status"))
                .col(text("notes"))
                // Denormalised from the newest certificate, for the list's filter and sort.
                .col(date_null("cert_until"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("clients", "office_id", "offices"))
                .foreign_key(&mut fk("clients", "assigned_user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "clients",
            "clients_office_kana",
            &["office_id", "family_name_kana", "given_name_kana"],
        ))
        .await?;
        m.create_index(index(
            "clients",
            "clients_office_assigned",
            &["office_id", "assigned_user_id"],
        ))
        .await?;
        m.create_index(index(
            "clients",
            "clients_office_cert_until",
            &["office_id", "cert_until"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("disability_books")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("kind"))
                .col(text("grade"))
                .col(date_null("issued_on"))
                .col(date_null("expires_on"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("disability_books", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disability_books", "books_client", &["client_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("certificates")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(int("version_no"))
                .col(text("kind"))
                .col(text("number"))
                .col(text("municipality"))
                .col(date("issued_on"))
                .col(date("decision_from"))
                .col(date("decision_until"))
                .col(text("services"))
                .col(big("cost_cap_yen"))
                .col(date_null("plan_support_from"))
                .col(date_null("plan_support_until"))
                .col(text_null("monitoring_period"))
                .col(text("monitoring_months"))
                .col(text("note"))
                .col(big("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("certificates", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "certificates",
                "certificates_client_version",
                &["client_id", "version_no"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("cases")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("stage"))
                .col(text("title"))
                .col(date("opened_on"))
                .col(date_null("closed_on"))
                .col(text_null("close_reason"))
                .col(text("close_reason_text"))
                .col(big("created_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("cases", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("cases", "cases_client", &["client_id"]))
            .await?;
        m.create_index(index(
            "cases",
            "cases_office_stage",
            &["office_id", "stage"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("intakes")
                .col(id())
                .col(big("office_id"))
                .col(
                    ColumnDef::new("case_id")
                        .big_integer()
                        .not_null()
                        .unique_key(),
                )
                .col(date("intake_date"))
                .col(text("referral_source"))
                .col(text("referral_note"))
                .col(text("chief_complaint"))
                .col(text("situation"))
                .col(text("explained"))
                .col(text("consent_to_support"))
                .col(text("urgency"))
                .col(text("next_steps"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("intakes", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_notes")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big_null("case_id"))
                .col(ColumnDef::new("occurred_at").date_time().not_null())
                .col(text("kind"))
                .col(text("counterpart"))
                .col(text("content"))
                .col(ColumnDef::new("minutes").integer().null())
                .col(big("staff_user_id"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("case_notes", "client_id", "clients"))
                .foreign_key(&mut fk("case_notes", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "case_notes",
            "case_notes_client_time",
            &["client_id", "occurred_at"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("audit_heads")
                .col(
                    ColumnDef::new("office_id")
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(big("seq"))
                .col(text("last_hash"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_events")
                .col(id())
                .col(big("office_id"))
                .col(big("seq"))
                .col(ts("at"))
                .col(big_null("user_id"))
                .col(text("action"))
                .col(text("record_kind"))
                .col(big_null("record_id"))
                .col(big_null("client_id"))
                .col(text("outcome"))
                .col(text("detail"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("audit_events", "audit_office_seq", &["office_id", "seq"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "audit_events",
            "audit_office_client",
            &["office_id", "client_id"],
        ))
        .await?;
        m.create_index(index(
            "audit_events",
            "audit_office_user",
            &["office_id", "user_id"],
        ))
        .await?;

        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                // Trigram FTS5 for Japanese substring search (terms of 3+ characters).
                for sql in [
                    "CREATE VIRTUAL TABLE case_notes_fts USING fts5(content, counterpart, content='case_notes', content_rowid='id', tokenize='trigram')",
                    "CREATE TRIGGER case_notes_ai AFTER INSERT ON case_notes BEGIN INSERT INTO case_notes_fts(rowid, content, counterpart) VALUES (new.id, new.content, new.counterpart); END",
                    "CREATE TRIGGER case_notes_ad AFTER DELETE ON case_notes BEGIN INSERT INTO case_notes_fts(case_notes_fts, rowid, content, counterpart) VALUES ('delete', old.id, old.content, old.counterpart); END",
                    "CREATE TRIGGER case_notes_au AFTER UPDATE ON case_notes BEGIN INSERT INTO case_notes_fts(case_notes_fts, rowid, content, counterpart) VALUES ('delete', old.id, old.content, old.counterpart); INSERT INTO case_notes_fts(rowid, content, counterpart) VALUES (new.id, new.content, new.counterpart); END",
                    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
                    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                for sql in [
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                    "CREATE INDEX case_notes_content_trgm ON case_notes USING gin (content gin_trgm_ops)",
                    "CREATE INDEX case_notes_counterpart_trgm ON case_notes USING gin (counterpart gin_trgm_ops)",
                    "CREATE INDEX clients_search_trgm ON clients USING gin (search_key gin_trgm_ops)",
                    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
                    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                return Err(DbErr::Custom(
                    "yorisoi supports SQLite and PostgreSQL only".into(),
                ));
            }
        }
        Ok(())
    }
}
