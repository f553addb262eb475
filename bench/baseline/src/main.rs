//! The floor under every figure in `bench/run.sh`: the same client row that
//! `GET /api/v1/clients/{id}` returns, read by id from the same seeded database and sent as JSON
//! by axum — without a session, the policy, a transaction or the audit. Run in the same table,
//! on the same cores, it says what part of a page view is yorisoi's own work.
//!
//!     bench-baseline --database sqlite:///tmp/bench.sqlite --listen 127.0.0.1:9000
//!     curl 127.0.0.1:9000/clients/1

#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::{Value, json};
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
        .route("/healthz", get(|| async { "ok" }))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
