//! The JSON API's rules and its OpenAPI document.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use yorisoi_store::*;

#[tokio::test]
async fn the_api_has_the_same_rules() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let other = app.token(app.other_admin).await;
    let c = app.client;
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            "/api/v1/clients?q=%E3%82%A2%E3%82%AA%E3%82%AD",
            None,
        )
        .await; // アオキ
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["family_name_kana"], "あおき");
    for path in [
        format!("/api/v1/clients/{c}"),
        format!("/api/v1/clients/{c}/notes"),
        format!("/api/v1/clients/{c}/cases"),
        format!("/api/v1/clients/{c}/certificates"),
        format!("/api/v1/cases/{}", app.case_id),
    ] {
        assert_eq!(
            app.api(&token, Method::GET, &path, None).await.0,
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(
            app.api(&other, Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (st, body) = app
        .api(
            &other,
            Method::POST,
            &format!("/api/v1/clients/{c}/notes"),
            Some(json!({"kind": "phone", "content": "x"})),
        )
        .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Validation: 422 with a field map; malformed JSON: 400; stale version: 409.
    let (st, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/clients",
            Some(json!({"family_name": "", "birth_date": "明日"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["family_name"].is_string() && body["fields"]["birth_date"].is_string());
    let raw = Request::post("/api/v1/clients")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(app.send(raw).await.status, StatusCode::BAD_REQUEST);
    let (st, body) = app.api(&token, Method::POST, "/api/v1/clients", Some(json!({"family_name": "山田", "given_name": "花", "family_name_kana": "やまだ", "given_name_kana": "はな", "birth_date": "令和元年5月1日", "sex": "female", "disability_kinds": ["child"]}))).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(got["birth_date"], "2019-05-01");
    assert_eq!(
        got["assigned_user_id"], app.spec.user_id,
        "a specialist's new client is theirs"
    );
    let mut upd = got.clone();
    upd["address"] = json!("N市");
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(upd.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(
        app.api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(upd)
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{id}/notes"),
            Some(json!({"kind": "phone", "content": "APIから"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    // Session-authenticated writes need the CSRF header.
    let s = app.session(app.spec).await;
    let no_header = Request::post(format!("/api/v1/clients/{id}/notes"))
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"kind":"phone","content":"x"}"#))
        .unwrap();
    assert_eq!(app.send(no_header).await.status, StatusCode::FORBIDDEN);
    let with = Request::post(format!("/api/v1/clients/{id}/notes"))
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"kind":"phone","content":"x"}"#))
        .unwrap();
    assert_eq!(app.send(with).await.status, StatusCode::CREATED);
    // A revoked token stops working.
    let mut tx = app.store.begin(app.admin).await.unwrap();
    let t = api_tokens::list(&tx)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.user_id == app.spec.user_id)
        .unwrap();
    api_tokens::revoke(&mut tx, t.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = app().await;
    let r = app.get(None, "/api/v1/openapi.json").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the document holds no data and is public"
    );
    let token = app.token(app.spec).await;
    let (st, doc) = app
        .api(&token, Method::GET, "/api/v1/openapi.json", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/clients", "get"),
        ("/clients", "post"),
        ("/clients/{id}", "get"),
        ("/clients/{id}", "put"),
        ("/clients/{id}/certificates", "get"),
        ("/clients/{id}/certificates", "post"),
        ("/clients/{id}/cases", "get"),
        ("/clients/{id}/cases", "post"),
        ("/clients/{id}/notes", "get"),
        ("/clients/{id}/notes", "post"),
        ("/notes", "get"),
        ("/cases/{id}", "get"),
        ("/cases/{id}/close", "post"),
        ("/cases/{id}/assessments", "get"),
        ("/cases/{id}/assessments", "post"),
        ("/assessments/{id}", "get"),
        ("/assessments/{id}", "put"),
        ("/cases/{id}/plans", "get"),
        ("/cases/{id}/plans", "post"),
        ("/plans/{id}", "get"),
        ("/plans/{id}", "put"),
        ("/plans/{id}/consents", "post"),
        ("/plans/{id}/handovers", "post"),
        ("/plans/{id}/state", "post"),
        ("/plans/{id}/change", "post"),
        ("/plans/{id}/meetings", "get"),
        ("/plans/{id}/meetings", "post"),
        ("/meetings/{id}", "get"),
        ("/meetings/{id}", "put"),
        ("/clients/{id}/team", "get"),
        ("/clients/{id}/team", "post"),
        ("/clients/{id}/consents", "get"),
        ("/clients/{id}/consents", "post"),
        ("/clients/{id}/consents/{consent}/withdraw", "post"),
        ("/clients/{id}/team/batch", "post"),
        ("/clients/{id}/consents/batch", "post"),
        ("/resources", "get"),
        ("/resources", "post"),
        ("/resources/{id}", "get"),
        ("/resources/{id}", "put"),
        ("/clients/{id}/notes/pdf", "get"),
        ("/cases/{id}/pdf/{doc}", "get"),
        ("/decisions/{id}/pdf", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}
