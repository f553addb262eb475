//! A person's record as a FHIR R4 Bundle over the API: what it holds, that the same records give
//! the same bundle, that a role gets only what it may read, that the export is a disclosure, and
//! that someone else's validator (fhir.resources, from PyPI) finds no error in it.

use crate::common::*;
use crate::fhir_validator::validate;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Map, Value};

/// The bundle of client `c` as `token` gets it: status, body, content type.
async fn fhir(app: &App, token: &str, c: i64) -> (StatusCode, String, String) {
    let r = app
        .send(
            Request::get(format!("/api/v1/clients/{c}/fhir"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let ct = r
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status, r.body, ct)
}

fn types(b: &Value) -> Vec<String> {
    let mut t: Vec<String> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap().to_string())
        .collect();
    t.dedup();
    t
}

fn of_type<'a>(b: &'a Value, rt: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == rt)
        .collect()
}

#[tokio::test]
async fn a_person_leaves_as_a_fhir_bundle_that_someone_elses_validator_accepts() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let (st, body, ct) = fhir(&app, &token, c).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(ct.starts_with("application/fhir+json"), "{ct}");
    let b: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let t = types(&b);
    for rt in ["Patient", "CareTeam", "Consent", "CarePlan"] {
        assert!(t.iter().any(|x| x == rt), "{rt} in {t:?}");
    }
    let p = of_type(&b, "Patient")[0];
    assert_eq!(
        p["name"][1]["text"], "アオキ アキコ",
        "the kana as JP Core writes it"
    );
    assert_eq!(
        of_type(&b, "CarePlan")[0]["status"],
        "draft",
        "the fixture's plan is a draft"
    );
    // The plan's PDF is a DocumentReference whose address answers with that PDF.
    let doc = of_type(&b, "DocumentReference")[0];
    assert_eq!(doc["docStatus"], "preliminary");
    let url = doc["content"][0]["attachment"]["url"].as_str().unwrap();
    assert_eq!(url, format!("/plans/{}/pdf/plan", app.plan_id));
    let s = app.session(app.spec).await;
    let (st, pdf) = app.get_bytes(&s, url).await;
    assert_eq!(st, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
    // The same records, the same bundle.
    let (_, again, _) = fhir(&app, &token, c).await;
    assert_eq!(again, body, "two exports are identical");
    // The export is a disclosure: in the audit log and the 共有・開示の記録.
    assert!(app.audit_actions().await.iter().any(|a| a == "export"));
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/disclosures?action=export"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let items = list["disclosures"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert!(
        items[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("FHIR R4 Bundle（Patient 1"),
        "{list}"
    );

    // The monitored client: a final plan in force, its services with their week.
    let (_, case) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{}", app.monitored_case),
            None,
        )
        .await;
    let second = case["client_id"]
        .as_i64()
        .or_else(|| case["case"]["client_id"].as_i64())
        .unwrap_or_else(|| panic!("{case}"));
    let (st, body2, _) = fhir(&app, &token, second).await;
    assert_eq!(st, StatusCode::OK);
    let b2: Value = serde_json::from_str(&body2).unwrap();
    assert_eq!(of_type(&b2, "CarePlan")[0]["status"], "active");
    assert!(!of_type(&b2, "ServiceRequest").is_empty());

    let mut all = Map::new();
    all.insert("fixture-aoki".into(), b);
    all.insert("fixture-monitored".into(), b2);
    if let Some(report) = validate(&all) {
        eprintln!("{}", report.join("\n"));
    }
}

#[tokio::test]
async fn each_role_gets_what_it_may_read_and_others_get_404() {
    let app = app().await;
    let c = app.client;
    // The 事務 keeps the ledger: the Patient, nothing of the case, and no refusal logged.
    let clerk = app.token(app.clerk).await;
    let before = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| a.starts_with("refused"))
        .count();
    let (st, body, _) = fhir(&app, &clerk, c).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let b: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(types(&b), ["Patient", "Organization"]);
    assert!(!body.contains("A型で働きたい"), "no case content");
    let after = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| a.starts_with("refused"))
        .count();
    assert_eq!(before, after, "leaving out is not a refusal");
    // The lead reads the whole record, as the assigned specialist does.
    let lead = app.token(app.lead).await;
    let (st, body, _) = fhir(&app, &lead, c).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("\"CarePlan\""));
    // Another office and an unassigned specialist: the same 404 as a missing client.
    for who in [app.other_admin, app.spec2] {
        let t = app.token(who).await;
        let (st, body, _) = fhir(&app, &t, c).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
        assert!(!body.contains("青木"));
    }
    let (st, _, _) = fhir(&app, &lead, 987_654).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_client_page_links_to_the_export_which_the_session_follows() {
    let app = app().await;
    let c = app.client;
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), &format!("/clients/{c}")).await;
    let link = format!("href=\"/api/v1/clients/{c}/fhir\"");
    assert!(page.body.contains(&link), "the page offers the export");
    let r = app
        .get(Some(&s), &format!("/api/v1/clients/{c}/fhir"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let b: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(b["resourceType"], "Bundle");
}
