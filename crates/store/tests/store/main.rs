#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Store tests, each written once and run on SQLite and on PostgreSQL.

macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let store = testing::sqlite_in(dir.path()).await.unwrap();
                ($body)(store).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some((store, name)) = testing::fresh_postgres().await.unwrap() else {
                    return;
                };
                ($body)(store.clone()).await;
                store.close().await.unwrap();
                testing::drop_postgres(&name).await.unwrap();
            }
        }
    };
}

mod common;

mod account;
mod assessments;
mod audit;
mod audit_append;
mod bulk;
mod cases;
mod certificates;
mod client_page;
mod clients;
mod decisions;
mod documents;
mod imports;
mod issue_categories;
mod issue_followups;
mod monitorings;
mod notes;
mod outside;
mod passkeys;
mod perf;
mod plans;
mod region;
mod regional_issues;
mod second_factor;
mod seen;
mod sessions;
mod shares;
mod team_admin;
