//! The care team and consents through the API (the pages' tests are in plans.rs).

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

/// A write sent as a form to a JSON operation.
pub(crate) async fn as_text(app: &App, token: &str, method: Method, path: &str) -> StatusCode {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("name=x"))
        .unwrap();
    app.send(req).await.status
}

#[tokio::test]
async fn a_team_member_is_updated_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let path = format!("/api/v1/clients/{c}/team/{}", app.member_id);
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/team"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let me = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == app.member_id)
        .unwrap()
        .clone();
    let version = me["version"].as_i64().unwrap();
    let body = |v: i64, name: &str, active: bool| json!({"version": v, "kind": "person", "name": name, "role": "本人", "active": active});
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version, "青木 明子", true)),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["version"], version + 1);
    // Stale: 409; a field refused: 422 naming it; not JSON: 415.
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version, "古い", true)),
        )
        .await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version + 1, "", true)),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["name"].is_string(), "{b}");
    assert_eq!(
        as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Taken off the team: kept, inactive.
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version + 1, "青木 明子", false)),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/team"),
            None,
        )
        .await;
    assert!(
        list["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == app.member_id && m["active"] == false)
    );
    // Another office, an unassigned specialist and the clerk: 404, nothing changed.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, _) = app
            .api(
                &t,
                Method::PUT,
                &path,
                Some(body(version + 2, "乗っ取り", true)),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    // A member of another client is not found through this one.
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{c}/team/999999"),
            Some(body(1, "x", true)),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn consents_are_withdrawn_through_the_api_with_the_field_named() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let path = format!("/api/v1/clients/{c}/consents/{}/withdraw", app.consent_id);
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &path,
            Some(json!({"withdrawn_on": "2000-01-01"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["withdrawn_on"].is_string(), "{b}");
    let (st, b) = app.api(&token, Method::POST, &path, Some(json!({}))).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = app.api(&token, Method::POST, &path, Some(json!({}))).await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rule"))
    );
    // Replacing a withdrawn consent names the `replaces` field.
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/consents"),
            Some(json!({"member_ids": [app.member_id.to_string()], "sections": ["plan"], "purpose": "会議", "given_on": "R8.4.1", "replaces": app.consent_id})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["fields"]["replaces"].is_string(), "{b}");
}

#[test]
fn the_write_bodies_list_their_fields_in_the_document() {
    let doc = serde_json::to_value(yorisoi_web::api::openapi()).unwrap();
    for (schema, input) in [
        ("MemberUpdate", "TeamMemberInput"),
        ("ConsentBody", "ShareConsentInput"),
        ("ResourceUpdate", "ResourceInput"),
    ] {
        let s = doc["components"]["schemas"][schema].to_string();
        assert!(
            s.contains(input) || s.contains("\"name\"") || s.contains("\"subject\""),
            "{schema}: {s}"
        );
        assert!(
            schema == "ConsentBody" || s.contains("\"version\""),
            "{schema}: {s}"
        );
    }
}
