//! Fresh databases for tests and benchmarks: a SQLite file in a temporary directory, or a new
//! PostgreSQL database (UTF-8, ctype C.UTF-8 so that pg_trgm indexes Japanese).

use crate::{Result, Store, StoreError};
use sea_orm::{ConnectionTrait, Database};

/// The server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("YORISOI_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A migrated SQLite store in `dir`.
pub async fn sqlite_in(dir: &std::path::Path) -> Result<Store> {
    let url = format!("sqlite://{}", dir.join("test.sqlite").display());
    let s = Store::connect(&url).await?;
    s.migrate().await?;
    Ok(s)
}

/// A new, migrated PostgreSQL database; `Ok(None)` when no server answers and `CI` is unset
/// (on CI a missing PostgreSQL is a failure, never a skip).
pub async fn fresh_postgres() -> Result<Option<(Store, String)>> {
    let admin_url = postgres_admin_url();
    let admin = match Database::connect(admin_url.as_str()).await {
        Ok(a) => a,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                return Err(StoreError::Rule(format!(
                    "PostgreSQL is required on CI: {e}"
                )));
            }
            eprintln!("SKIP postgres: {e}");
            return Ok(None);
        }
    };
    let mut b = [0u8; 6];
    rand::fill(&mut b);
    let name = format!("yorisoi_t_{}", hex::encode(b));
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        ))
        .await?;
    admin.close().await?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin_url.clone());
    let s = Store::connect(&format!("{base}/{name}")).await?;
    s.migrate().await?;
    Ok(Some((s, name)))
}

/// Drops a database made by [`fresh_postgres`].
pub async fn drop_postgres(name: &str) -> Result<()> {
    let admin = Database::connect(postgres_admin_url().as_str()).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}
