//! 支援経過記録: chronological case notes, searchable in Japanese in every kana form (ﾍﾙﾊﾟｰ,
//! へるぱー and ヘルパー alike): a folded copy of the text (`text::search_fold`, as client names)
//! is searched with the folded terms. Across the office, SQLite uses its FTS5 trigram index for
//! terms of three or more characters and LIKE below that (trigram cannot match shorter terms);
//! PostgreSQL uses LIKE, served by the pg_trgm GIN index. Within one client's notes both take
//! that client's rows first and match them with LIKE.

use crate::entities::{case, case_note};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc, stmt};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Set, Value};
use yorisoi_domain::note::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::text;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Note {
    pub id: i64,
    pub client_id: i64,
    #[serde(flatten)]
    pub record: NoteRecord,
    pub staff_user_id: i64,
    pub version: i32,
}

fn from_model(m: case_note::Model) -> Result<Note> {
    Ok(Note {
        id: m.id,
        client_id: m.client_id,
        staff_user_id: m.staff_user_id,
        version: m.version,
        record: NoteRecord {
            occurred_at: m.occurred_at,
            kind: NoteKind::from_code(&m.kind).ok_or_else(|| corrupt("note kind", &m.kind))?,
            counterpart: m.counterpart,
            content: m.content,
            minutes: m.minutes,
            case_id: m.case_id,
        },
    })
}

/// What a note is searched by: its content and counterpart folded as client names are, on
/// separate lines so that no term matches across the two.
pub(crate) fn search_text(content: &str, counterpart: &str) -> String {
    format!(
        "{}\n{}",
        text::search_fold(content),
        text::search_fold(counterpart)
    )
}

async fn check_case(tx: &Tx, a: &ClientAccess, case_id: Option<i64>) -> Result<()> {
    if let Some(cid) = case_id {
        let found = case::Entity::find_by_id(cid)
            .filter(case::Column::ClientId.eq(a.client_id))
            .filter(case::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?;
        if found.is_none() {
            return Err(StoreError::field(
                "case_id",
                "選んだケースはこの利用者のものではありません。",
            ));
        }
    }
    Ok(())
}

pub async fn add(tx: &mut Tx, a: &ClientAccess, r: &NoteRecord) -> Result<i64> {
    add_many(tx, &[(a, r)])
        .await?
        .pop()
        .ok_or_else(|| corrupt("note insert", "no id returned"))
}

/// Rows per multi-row INSERT of notes (13 values each).
const INSERT_CHUNK: usize = 1000;

/// Notes for one or many clients (a bulk load): each checked as [`add`] checks one, one audit
/// event each, written in one INSERT per 1,000 notes. The ids come back in the order given.
pub async fn add_many(tx: &mut Tx, items: &[(&ClientAccess, &NoteRecord)]) -> Result<Vec<i64>> {
    let now = now_utc();
    let mut cases_checked: Vec<(i64, i64)> = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    for (a, r) in items {
        a.check(RecordKind::CaseNote, Action::Write)?;
        if let Some(case_id) = r.case_id
            && !cases_checked.contains(&(a.client_id, case_id))
        {
            check_case(tx, a, r.case_id).await?;
            cases_checked.push((a.client_id, case_id));
        }
        rows.push(case_note::ActiveModel {
            office_id: Set(tx.office_id()),
            client_id: Set(a.client_id),
            case_id: Set(r.case_id),
            occurred_at: Set(r.occurred_at),
            kind: Set(r.kind.code().into()),
            counterpart: Set(r.counterpart.clone()),
            content: Set(r.content.clone()),
            minutes: Set(r.minutes),
            search_text: Set(search_text(&r.content, &r.counterpart)),
            staff_user_id: Set(tx.actor().user_id),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    let ids = crate::insert_returning_ids(tx.conn(), rows, INSERT_CHUNK).await?;
    for (id, (a, _)) in ids.iter().zip(items) {
        tx.record(
            "create",
            RecordKind::CaseNote,
            Some(*id),
            Some(a.client_id),
            "",
        );
    }
    Ok(ids)
}

pub async fn get(tx: &mut Tx, a: &ClientAccess, note_id: i64) -> Result<Note> {
    a.check(RecordKind::CaseNote, Action::Read)?;
    let m = case_note::Entity::find_by_id(note_id)
        .filter(case_note::Column::ClientId.eq(a.client_id))
        .filter(case_note::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record(
        "read",
        RecordKind::CaseNote,
        Some(note_id),
        Some(a.client_id),
        "",
    );
    from_model(m)
}

/// Saves an edit made from `version`.
pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    note_id: i64,
    version: i32,
    r: &NoteRecord,
) -> Result<()> {
    a.check(RecordKind::CaseNote, Action::Write)?;
    check_case(tx, a, r.case_id).await?;
    let res = case_note::Entity::update_many()
        .col_expr(case_note::Column::OccurredAt, Expr::value(r.occurred_at))
        .col_expr(case_note::Column::Kind, Expr::value(r.kind.code()))
        .col_expr(
            case_note::Column::Counterpart,
            Expr::value(r.counterpart.clone()),
        )
        .col_expr(case_note::Column::Content, Expr::value(r.content.clone()))
        .col_expr(
            case_note::Column::SearchText,
            Expr::value(search_text(&r.content, &r.counterpart)),
        )
        .col_expr(case_note::Column::Minutes, Expr::value(r.minutes))
        .col_expr(case_note::Column::CaseId, Expr::value(r.case_id))
        .col_expr(case_note::Column::Version, Expr::value(version + 1))
        .col_expr(case_note::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(case_note::Column::Id.eq(note_id))
        .filter(case_note::Column::ClientId.eq(a.client_id))
        .filter(case_note::Column::OfficeId.eq(tx.office_id()))
        .filter(case_note::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        // Distinguish a missing note from a stale one.
        case_note::Entity::find_by_id(note_id)
            .filter(case_note::Column::ClientId.eq(a.client_id))
            .filter(case_note::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update",
        RecordKind::CaseNote,
        Some(note_id),
        Some(a.client_id),
        "",
    );
    Ok(())
}

/// The search's terms, folded as the stored text is (at most 8).
fn terms_of(q: &str) -> Vec<String> {
    text::clean_text(q)
        .split_whitespace()
        .map(text::search_fold)
        .filter(|t| !t.is_empty())
        .take(8)
        .collect()
}

/// Adds "every term occurs" to a query on `case_notes n`.
fn match_terms(backend: DbBackend, terms: &[String], sql: &mut String, values: &mut Vec<Value>) {
    let use_fts = backend == DbBackend::Sqlite
        && !terms.is_empty()
        && terms.iter().all(|t| t.chars().count() >= 3);
    if use_fts {
        // Each term as an FTS5 phrase: with the trigram tokenizer this is substring search.
        let expr = terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ");
        sql.push_str(
            " AND n.id IN (SELECT rowid FROM case_notes_search WHERE case_notes_search MATCH ?)",
        );
        values.push(expr.into());
    } else {
        like_terms(terms, sql, values);
    }
}

/// Adds "every term occurs" as LIKE conditions: both sides are folded (lower case included), so
/// a plain LIKE matches on both backends.
fn like_terms(terms: &[String], sql: &mut String, values: &mut Vec<Value>) {
    for t in terms {
        sql.push_str(" AND n.search_text LIKE ? ESCAPE '\\'");
        values.push(format!("%{}%", text::like_escape(t)).into());
    }
}

/// 記録の横断検索: the notes of every client the user may read (the whole office for a lead or
/// an admin, their own clients for a specialist; none for the 事務), newest first, matching
/// every term of `q`. The list is logged with the clients it showed.
pub async fn search_office(
    tx: &mut Tx,
    q: &str,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Note>, bool)> {
    let role = tx.actor().role;
    if !yorisoi_domain::policy::may(role, RecordKind::CaseNote, Action::Read) {
        // Refused, and the refusal logged.
        tx.office_access(RecordKind::CaseNote, Action::Read)?;
    }
    let terms = terms_of(q);
    if terms.is_empty() {
        return Ok((Vec::new(), false));
    }
    let backend = tx.backend();
    let mut sql = String::from(
        "SELECT n.* FROM case_notes n JOIN clients c ON c.id = n.client_id \
         WHERE n.office_id = ? AND c.office_id = ?",
    );
    let mut values: Vec<Value> = vec![tx.office_id().into(), tx.office_id().into()];
    if !yorisoi_domain::policy::sees_whole_office(role) {
        sql.push_str(" AND c.assigned_user_id = ?");
        values.push(tx.actor().user_id.into());
    }
    match_terms(backend, &terms, &mut sql, &mut values);
    sql.push_str(" ORDER BY n.occurred_at DESC, n.id DESC LIMIT ? OFFSET ?");
    let limit = limit.clamp(1, 200);
    values.push(((limit + 1) as i64).into());
    values.push((offset as i64).into());
    let rows = case_note::Model::find_by_statement(stmt(backend, &sql, values))
        .all(tx.conn())
        .await?;
    let more = rows.len() as u64 > limit;
    let notes = rows
        .into_iter()
        .take(limit as usize)
        .map(from_model)
        .collect::<Result<Vec<_>>>()?;
    let mut clients: Vec<i64> = notes.iter().map(|n| n.client_id).collect();
    clients.dedup();
    tx.record(
        "list",
        RecordKind::CaseNote,
        None,
        None,
        format!("q={q} {}", crate::audit::shown(clients.into_iter())),
    );
    Ok((notes, more))
}

/// The client's notes, newest first, optionally matching every whitespace-separated term of
/// `q` in the content or the counterpart; returns the page and whether more exist.
pub async fn list(
    tx: &mut Tx,
    a: &ClientAccess,
    q: &str,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Note>, bool)> {
    a.check(RecordKind::CaseNote, Action::Read)?;
    let terms = terms_of(q);
    let backend = tx.backend();
    // The client's notes first, then the terms over them: a client has tens or hundreds of notes,
    // while a term's trigrams can match notes of every office. A MATERIALIZED CTE keeps any
    // planner (PostgreSQL without statistics ANDed the client's rows with a trigram scan of
    // 83,300 notes) from starting anywhere else; SQLite's trigram index is not used for the
    // same reason.
    // Without terms the plain query reads only the page from the (client_id, occurred_at) index.
    let mut sql = String::from(if terms.is_empty() {
        "SELECT n.* FROM case_notes n WHERE n.office_id = ? AND n.client_id = ?"
    } else {
        "WITH n AS MATERIALIZED (SELECT * FROM case_notes WHERE office_id = ? AND client_id = ?) \
         SELECT n.* FROM n WHERE TRUE"
    });
    let mut values: Vec<Value> = vec![tx.office_id().into(), a.client_id.into()];
    like_terms(&terms, &mut sql, &mut values);
    sql.push_str(" ORDER BY n.occurred_at DESC, n.id DESC LIMIT ? OFFSET ?");
    let limit = limit.clamp(1, 200);
    values.push(((limit + 1) as i64).into());
    values.push((offset as i64).into());
    let rows = case_note::Model::find_by_statement(stmt(backend, &sql, values))
        .all(tx.conn())
        .await?;
    let detail = if terms.is_empty() {
        String::new()
    } else {
        format!("q={q}")
    };
    page_of(tx, a, rows, limit, detail)
}

/// The first page of the client's notes (newest first, no search) from rows read elsewhere
/// ([`crate::client_page`]): up to `limit + 1` rows, as [`list`] reads them; checked and logged
/// as [`list`] does.
pub(crate) fn first_page_from_rows(
    tx: &mut Tx,
    a: &ClientAccess,
    rows: Vec<case_note::Model>,
    limit: u64,
) -> Result<(Vec<Note>, bool)> {
    a.check(RecordKind::CaseNote, Action::Read)?;
    page_of(tx, a, rows, limit.clamp(1, 200), String::new())
}

/// Rows read with one more than the page: the page, whether more follow, and the read logged.
fn page_of(
    tx: &mut Tx,
    a: &ClientAccess,
    rows: Vec<case_note::Model>,
    limit: u64,
    detail: String,
) -> Result<(Vec<Note>, bool)> {
    let more = rows.len() as u64 > limit;
    let notes = rows
        .into_iter()
        .take(limit as usize)
        .map(from_model)
        .collect::<Result<Vec<_>>>()?;
    tx.record(
        "read",
        RecordKind::CaseNote,
        None,
        Some(a.client_id),
        detail,
    );
    Ok((notes, more))
}

/// The first moment of `from` and of the day after `until`: notes are kept in Japan's local time,
/// so a period of dates is a half-open range of times.
fn day_range(
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let end = until.succ_opt().unwrap_or(until);
    (
        from.and_time(chrono::NaiveTime::MIN),
        end.and_time(chrono::NaiveTime::MIN),
    )
}

/// The client's notes of the dates `from`..=`until`, oldest first: the 支援経過記録 of a period,
/// as printed. The read is logged with the period.
pub async fn between(
    tx: &mut Tx,
    a: &ClientAccess,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> Result<Vec<Note>> {
    use sea_orm::QueryOrder;
    a.check(RecordKind::CaseNote, Action::Read)?;
    let (start, end) = day_range(from, until);
    let rows = case_note::Entity::find()
        .filter(case_note::Column::OfficeId.eq(tx.office_id()))
        .filter(case_note::Column::ClientId.eq(a.client_id))
        .filter(case_note::Column::OccurredAt.gte(start))
        .filter(case_note::Column::OccurredAt.lt(end))
        .order_by_asc(case_note::Column::OccurredAt)
        .order_by_asc(case_note::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record(
        "read",
        RecordKind::CaseNote,
        None,
        Some(a.client_id),
        format!("{from}..{until}"),
    );
    rows.into_iter().map(from_model).collect()
}

/// The clients assigned to `staff_id` who have notes dated `from`..=`until`, by ふりがな: who
/// a staff member's 支援経過記録 of a month are about (一括印刷; each is still asked for access).
pub async fn clients_of_staff_between(
    tx: &Tx,
    staff_id: i64,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> Result<Vec<i64>> {
    use crate::entities::client;
    use sea_orm::{QueryOrder, QuerySelect};
    let clients: Vec<i64> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::AssignedUserId.eq(staff_id))
        .order_by_asc(client::Column::FamilyNameKana)
        .order_by_asc(client::Column::GivenNameKana)
        .order_by_asc(client::Column::Id)
        .into_tuple()
        .all(tx.conn())
        .await?;
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    let (start, end) = day_range(from, until);
    let with_notes: Vec<i64> = case_note::Entity::find()
        .select_only()
        .column(case_note::Column::ClientId)
        .distinct()
        .filter(case_note::Column::OfficeId.eq(tx.office_id()))
        .filter(case_note::Column::ClientId.is_in(clients.clone()))
        .filter(case_note::Column::OccurredAt.gte(start))
        .filter(case_note::Column::OccurredAt.lt(end))
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(clients
        .into_iter()
        .filter(|c| with_notes.contains(c))
        .collect())
}
