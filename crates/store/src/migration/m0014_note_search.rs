use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Case notes searchable in every kana form, as client names are: a folded copy of the content
/// and the counterpart (`text::search_fold`: NFKC, hiragana → katakana, lower case, no spaces),
/// filled for the notes already written, indexed instead of the raw text.
pub(super) struct M0014NoteSearch;

impl MigrationName for M0014NoteSearch {
    fn name(&self) -> &str {
        "m0014_note_search"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0014NoteSearch {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_notes")
                .add_column(
                    ColumnDef::new("search_text")
                        .text()
                        .not_null()
                        .default("")
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = m.get_database_backend();
        let select = Query::select()
            .columns(["id", "content", "counterpart"])
            .from("case_notes")
            .to_owned();
        let rows = db.query_all(&select).await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let content: String = row.try_get("", "content")?;
            let counterpart: String = row.try_get("", "counterpart")?;
            let folded = crate::notes::search_text(&content, &counterpart);
            let update = Query::update()
                .table("case_notes")
                .value("search_text", folded)
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        let statements: &[&str] = match backend {
            DbBackend::Sqlite => &[
                "DROP TRIGGER case_notes_ai",
                "DROP TRIGGER case_notes_ad",
                "DROP TRIGGER case_notes_au",
                "DROP TABLE case_notes_fts",
                "CREATE VIRTUAL TABLE case_notes_search USING fts5(search_text, content='case_notes', content_rowid='id', tokenize='trigram')",
                "INSERT INTO case_notes_search(case_notes_search) VALUES ('rebuild')",
                "CREATE TRIGGER case_notes_search_ai AFTER INSERT ON case_notes BEGIN INSERT INTO case_notes_search(rowid, search_text) VALUES (new.id, new.search_text); END",
                "CREATE TRIGGER case_notes_search_ad AFTER DELETE ON case_notes BEGIN INSERT INTO case_notes_search(case_notes_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
                "CREATE TRIGGER case_notes_search_au AFTER UPDATE ON case_notes BEGIN INSERT INTO case_notes_search(case_notes_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO case_notes_search(rowid, search_text) VALUES (new.id, new.search_text); END",
            ],
            DbBackend::Postgres => &[
                "DROP INDEX case_notes_content_trgm",
                "DROP INDEX case_notes_counterpart_trgm",
                "CREATE INDEX case_notes_search_trgm ON case_notes USING gin (search_text gin_trgm_ops)",
            ],
            _ => {
                return Err(DbErr::Custom(
                    "yorisoi supports SQLite and PostgreSQL only".into(),
                ));
            }
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
