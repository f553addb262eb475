//! The floor under every figure in `bench/run.sh`: the same client row that
//! `GET /api/v1/clients/{id}` returns, read by id from the same seeded database and sent as JSON
//! by axum — without a session, the policy, a transaction or the audit. Run in the same table,
//! on the same cores, it says what part of a page view is yorisoi's own work.
//!
//!     bench-baseline --database sqlite:///tmp/bench.sqlite --listen 127.0.0.1:9000
//!     curl 127.0.0.1:9000/clients/1
//!
//! `/floor/{id}` is the second floor, for the audited read on SQLite: the statements that read
//! issues of its own, through the same sqlx, and nothing else — the session and its user by the
//! cookie's token (yorisoi's statement), then in one transaction the client row and its
//! 障害者手帳. No policy, no audit, no models: what is left between it and yorisoi is yorisoi's own
//! work. (On PostgreSQL yorisoi's read has another shape; the route answers 501 there.)

#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::str::FromStr;

/// The ledger's columns as the API shows them (the row is the same size on the wire), with
/// each database's placeholder.
macro_rules! sql {
    ($placeholder:literal) => {
        concat!(
            "SELECT id, family_name, given_name, family_name_kana, given_name_kana, ",
            "CAST(birth_date AS TEXT), sex, postal_code, address, phone, disability_kinds, ",
            "diagnosis, support_category, status, notes, CAST(cert_until AS TEXT), version ",
            "FROM clients WHERE id = ",
            $placeholder
        )
    };
}

/// The session lookup yorisoi makes (store/src/sessions.rs `LOOKUP`).
const SESSION: &str = "SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, \
     s.last_seen_at AS s_last_seen_at, s.absolute_expires_at AS s_absolute_expires_at, \
     o.doc_settings AS o_doc_settings, o.data_version AS o_data_version, u.* \
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN offices o ON o.id = u.office_id \
     WHERE s.token_hash = ?";

/// The client's books, of the session's office (as yorisoi filters them).
const BOOKS: &str = "SELECT id, kind, grade, CAST(issued_on AS TEXT), CAST(expires_on AS TEXT) \
     FROM disability_books WHERE client_id = ? AND office_id = ? ORDER BY id";

#[derive(Clone)]
enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The row as JSON (a macro: the two databases' rows are different types).
macro_rules! row_json {
    ($r:expr) => {{
        let r = $r;
        let text = |i: usize| r.try_get::<Option<String>, _>(i).map(Option::unwrap_or_default);
        (|| -> Result<Value, sqlx::Error> {
            Ok(json!({
                "id": r.try_get::<i64, _>(0)?,
                "family_name": text(1)?, "given_name": text(2)?,
                "family_name_kana": text(3)?, "given_name_kana": text(4)?,
                "birth_date": text(5)?, "sex": text(6)?, "postal_code": text(7)?,
                "address": text(8)?, "phone": text(9)?, "disability_kinds": text(10)?,
                "diagnosis": text(11)?, "support_category": text(12)?, "status": text(13)?,
                "notes": text(14)?, "cert_until": r.try_get::<Option<String>, _>(15)?,
                "version": r.try_get::<i32, _>(16)?,
            }))
        })()
    }};
}

async fn client(State(db): State<Db>, Path(id): Path<i64>) -> Response {
    let row = match &db {
        Db::Sqlite(p) => match sqlx::query(sql!("?")).bind(id).fetch_optional(p).await {
            Ok(Some(r)) => row_json!(&r).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        },
        Db::Postgres(p) => match sqlx::query(sql!("$1")).bind(id).fetch_optional(p).await {
            Ok(Some(r)) => row_json!(&r).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        },
    };
    match row {
        Ok(Some(v)) => Json(v).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The session token from the `Cookie` header, hashed as yorisoi stores it.
fn token_hash(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let token = cookies
        .split(';')
        .find_map(|c| c.trim().strip_prefix("yorisoi_session="))?;
    Some(hex::encode(Sha256::digest(token.as_bytes())))
}

/// Session, then client and books in one transaction, as yorisoi reads them on SQLite; the same
/// JSON shape as `/clients/{id}` plus the books.
async fn floor_read(pool: &sqlx::SqlitePool, hash: &str, id: i64) -> sqlx::Result<Option<Value>> {
    let Some(session) = sqlx::query(SESSION).bind(hash).fetch_optional(pool).await? else {
        return Ok(None);
    };
    let office_id: i64 = session.try_get("office_id")?;
    let mut tx = pool.begin().await?;
    let row = sqlx::query(sql!("?"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let books = sqlx::query(BOOKS)
        .bind(id)
        .bind(office_id)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut v = row_json!(&row)?;
    let books: Vec<Value> = books
        .iter()
        .map(|b| {
            let text = |i: usize| b.try_get::<Option<String>, _>(i);
            Ok::<_, sqlx::Error>(json!({
                "id": b.try_get::<i64, _>(0)?, "kind": text(1)?, "grade": text(2)?,
                "issued_on": text(3)?, "expires_on": text(4)?,
            }))
        })
        .collect::<Result<_, _>>()?;
    v["disability_books"] = Value::Array(books);
    Ok(Some(v))
}

async fn floor(State(db): State<Db>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let Some(hash) = token_hash(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // On PostgreSQL yorisoi reads client and books in one statement outside a transaction
    // (store/src/client_page.rs): this shape would not be its floor there.
    let Db::Sqlite(pool) = &db else {
        return (StatusCode::NOT_IMPLEMENTED, "the floor is SQLite's").into_response();
    };
    match floor_read(pool, &hash, id).await {
        Ok(Some(v)) => Json(v).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut database = None;
    let mut listen = "127.0.0.1:9000".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--database" => database = args.next(),
            "--listen" => listen = args.next().context("--listen ADDR")?,
            _ => bail!("usage: bench-baseline --database URL [--listen ADDR]"),
        }
    }
    let url = database.context("--database sqlite://FILE or postgres://…")?;
    // The same pool sizes as yorisoi's (store/src/lib.rs: 24 on PostgreSQL, 8 on SQLite).
    let db = if url.starts_with("postgres") {
        Db::Postgres(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(24)
                .connect(&url)
                .await?,
        )
    } else {
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?.read_only(true);
        Db::Sqlite(
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?,
        )
    };
    let app = axum::Router::new()
        .route("/clients/{id}", get(client))
        .route("/floor/{id}", get(floor))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
