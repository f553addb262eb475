//! Every demo person leaves as a FHIR R4 Bundle that someone else's validator accepts (issue
//! 21): the demo seeded into a fresh SQLite store and into a fresh PostgreSQL database, served
//! in-process on port 0, each office's admin exporting every client of the office through
//! `GET /api/v1/clients/{id}/fhir`, and every bundle validated by the R4B models of
//! fhir.resources (PyPI) with 0 errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::demo;
use serde_json::{Map, Value};
use yorisoi_domain::policy::{Actor, Role};
use yorisoi_store::{Store, api_tokens, users};

#[path = "../../web/tests/fhir/validator.rs"]
mod validator;

/// An API token of `login` (an admin issues their own).
async fn token(store: &Store, login: &str) -> String {
    let u = users::find_by_login(store, login).await.unwrap().unwrap();
    let admin = Actor {
        user_id: u.id,
        office_id: u.office_id,
        role: Role::from_code(&u.role).unwrap(),
    };
    let mut tx = store.begin(admin).await.unwrap();
    let (_, t) = api_tokens::issue(&mut tx, u.id, "fhir", api_tokens::TokenScope::Read, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    t
}

fn types(b: &Value) -> Vec<&str> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["resource"]["resourceType"].as_str())
        .collect()
}

/// Seeds the demo into `store`, exports every client of both offices and validates them;
/// returns the validator's report.
async fn every_demo_person(store: Store, db: &str) -> Vec<String> {
    demo::seed(&store, "demo-fhir-k3v9q2w8x7").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = yorisoi_web::AppState::new(store.clone(), yorisoi_web::Config::default());
    let server = tokio::spawn(yorisoi_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let mut bundles = Map::new();
    for login in ["kanri", "minato-kanri"] {
        let t = token(&store, login).await;
        let list: Value = http
            .get(format!("{base}/api/v1/clients?per_page=200"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = list["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{login} has clients");
        for c in items {
            let id = c["id"].as_i64().unwrap();
            let name = format!(
                "{db}:{login}:{}{}",
                c["family_name"].as_str().unwrap(),
                c["given_name"].as_str().unwrap()
            );
            let get = || async {
                let r = http
                    .get(format!("{base}/api/v1/clients/{id}/fhir"))
                    .bearer_auth(&t)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{name}");
                assert_eq!(
                    r.headers()["content-type"].to_str().unwrap(),
                    "application/fhir+json"
                );
                r.text().await.unwrap()
            };
            let body = get().await;
            assert_eq!(get().await, body, "{name}: two exports are identical");
            bundles.insert(name, serde_json::from_str(&body).unwrap());
        }
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    // The three stories carry their whole record.
    let of = |family: &str| {
        bundles
            .iter()
            .find(|(k, _)| k.starts_with(&format!("{db}:kanri:{family}")))
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {family}"))
    };
    let a = types(of("青木"));
    for rt in [
        "Patient",
        "CarePlan",
        "Goal",
        "ServiceRequest",
        "CareTeam",
        "Consent",
        "RelatedPerson",
        "Observation",
        "DocumentReference",
    ] {
        assert!(a.contains(&rt), "Aさん's bundle has {rt}: {a:?}");
    }
    for family in ["馬場", "千葉"] {
        let t = types(of(family));
        for rt in [
            "CarePlan",
            "Goal",
            "ServiceRequest",
            "CareTeam",
            "Observation",
        ] {
            assert!(t.contains(&rt), "{family}'s bundle has {rt}: {t:?}");
        }
    }
    let timed = of("青木")["entry"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["resource"]["occurrenceTiming"]["repeat"]["dayOfWeek"].is_array());
    assert!(timed, "Aさん's week is in a Timing");
    let report = validator::validate(&bundles).unwrap_or_default();
    // What each bundle held, for the report.
    let mut lines = report;
    for (name, b) in &bundles {
        lines.push(format!("{name}: {}", yorisoi_documents::fhir::summary(b)));
    }
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_persons_fhir_bundle_passes_an_outside_validator_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = yorisoi_store::testing::sqlite_in(dir.path()).await.unwrap();
    let report = every_demo_person(store, "sqlite").await;
    eprintln!("{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_persons_fhir_bundle_passes_an_outside_validator_on_postgres() {
    let Some((store, name)) = yorisoi_store::testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let report = every_demo_person(store.clone(), "postgres").await;
    eprintln!("{}", report.join("\n"));
    store.close().await.unwrap();
    yorisoi_store::testing::drop_postgres(&name).await.unwrap();
}
