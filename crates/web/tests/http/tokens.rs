//! API tokens that expire and carry a scope; a holder lists and revokes their own.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_read_only_token_reads_and_is_refused_every_change() {
    let app = app().await;
    let a = app.token(app.admin).await;
    let spec = app.spec.user_id;
    let (st, b) = app
        .api(
            &a,
            Method::POST,
            "/api/v1/admin/tokens",
            Some(json!({"name": "集計", "user_id": spec, "days": 7})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let read = b["token"].as_str().unwrap().to_string();
    let read_id = b["id"].as_i64().unwrap();
    assert_eq!(
        app.api(&read, Method::GET, "/api/v1/clients", None).await.0,
        StatusCode::OK
    );
    let note = format!("/api/v1/clients/{}/notes", app.client);
    for (method, path) in [
        (Method::POST, note.as_str()),
        (Method::POST, "/api/v1/clients"),
        (Method::PUT, "/api/v1/clients/1"),
    ] {
        let (st, b) = app
            .api(&read, method.clone(), path, Some(json!({"content": "x"})))
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{method} {path}: {b}");
        assert_eq!(b["error"], "forbidden");
        assert!(
            b["message"].as_str().unwrap().contains("読み取り専用"),
            "{b}"
        );
    }
    // The expiry and scope are listed; the default scope is the narrower one.
    let (_, list) = app.api(&a, Method::GET, "/api/v1/admin/tokens", None).await;
    let t = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == read_id)
        .unwrap()
        .clone();
    assert_eq!(t["scope"], "read");
    assert!(t["expires_at"].is_string(), "{t}");
    for days in [0, 366] {
        let (st, b) = app
            .api(
                &a,
                Method::POST,
                "/api/v1/admin/tokens",
                Some(json!({"name": "x", "user_id": spec, "days": days})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{days}: {b}");
        assert!(b["fields"]["days"].is_string(), "{b}");
    }
}

#[tokio::test]
async fn a_holder_lists_and_revokes_their_own_tokens_only() {
    let app = app().await;
    let mine = app.token(app.spec).await;
    let second = app.token(app.spec).await;
    let theirs = app.token(app.spec2).await;
    let other_office = app.token(app.other_admin).await;
    let (st, list) = app.api(&mine, Method::GET, "/api/v1/me/tokens", None).await;
    assert_eq!(st, StatusCode::OK);
    let tokens = list["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 2, "{list}");
    assert!(tokens.iter().all(|t| t["user_id"] == app.spec.user_id));
    assert!(!list.to_string().contains(&mine), "never the token itself");
    let (_, theirs_list) = app
        .api(&theirs, Method::GET, "/api/v1/me/tokens", None)
        .await;
    let their_id = theirs_list["tokens"][0]["id"].as_i64().unwrap();
    let second_id = tokens
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .max()
        .unwrap();
    // Another's token, whoever asks: the same 404 as one that does not exist.
    for (who, id) in [
        (&mine, their_id),
        (&other_office, second_id),
        (&theirs, second_id),
        (&mine, 999_999),
    ] {
        let (st, _) = app
            .api(
                who,
                Method::POST,
                &format!("/api/v1/me/tokens/{id}/revoke"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "token {id}");
    }
    let (st, _) = app
        .api(
            &mine,
            Method::POST,
            &format!("/api/v1/me/tokens/{second_id}/revoke"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        app.api(&second, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.api(&mine, Method::GET, "/api/v1/clients", None).await.0,
        StatusCode::OK,
        "the other token of the same holder still works"
    );
    assert_eq!(
        app.api(&theirs, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::OK
    );
    assert!(app.audit_actions().await.iter().any(|a| a == "revoke"));
}

#[tokio::test]
async fn the_tokens_page_issues_with_scope_and_days_and_keeps_what_was_typed() {
    let app = app().await;
    let a = app.session(app.admin).await;
    let uid = app.spec.user_id.to_string();
    let bad = app
        .post(
            &a,
            "/admin/tokens",
            &[
                ("name", "請求ソフト連携"),
                ("user", &uid),
                ("scope", "write"),
                ("days", "あ"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("有効期間は 1〜365"), "{}", bad.body);
    assert!(
        bad.body.contains("value=\"請求ソフト連携\""),
        "what was typed stays"
    );
    let ok = app
        .post(
            &a,
            "/admin/tokens",
            &[
                ("name", "請求ソフト連携"),
                ("user", &uid),
                ("scope", "write"),
                ("days", "３０"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "full-width digits are read");
    let token: String = ok
        .body
        .split("<code class=\"token\">")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| *ch != '<')
        .collect();
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{}/notes", app.client),
            Some(json!({})),
        )
        .await;
    assert_ne!(st, StatusCode::FORBIDDEN, "a read-write token may write");
    let listing = app.get(Some(&a), "/admin/tokens").await;
    assert!(listing.body.contains("読み書き") && listing.body.contains("有効期限"));
}
