use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use super::{
    big, big_null, date, date_null, fk, id, index, int, text, text_null, ts, ts_null, version,
};

/// Offices, users, sessions, sign-in attempts, API tokens, clients with their books and
/// certificates, cases with their intakes, case notes with full-text search, and the
/// append-only audit log.
pub(super) struct M0001Foundation;

impl MigrationName for M0001Foundation {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
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
