//! Books, API tokens and staff edits through the pages.

use crate::common::*;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn books_tokens_and_staff_edit_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    let bad = app
        .post(
            &s,
            &format!("/clients/{c}/books"),
            &[("kind", "mental"), ("grade", "5")],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("1〜3級"));
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books"),
            &[
                ("kind", "mental"),
                ("grade", "２級"),
                ("issued_on", "R7.10.1")
            ],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = app.get(Some(&s), &format!("/clients/{c}")).await;
    assert!(page.body.contains("精神障害者保健福祉手帳") && page.body.contains("令和7年10月1日"));
    let book_id: String = page
        .body
        .split(&format!("/clients/{c}/books/"))
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books/{book_id}/delete"),
            &[],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(
        !app.get(Some(&s), &format!("/clients/{c}"))
            .await
            .body
            .contains("精神障害者保健福祉手帳</td>")
    );
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books/{book_id}/delete"),
            &[],
            true
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let a = app.session(app.admin).await;
    let uid = app.spec.user_id.to_string();
    let empty = app
        .post(&a, "/admin/tokens", &[("name", ""), ("user", &uid)], true)
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let issued = app
        .post(
            &a,
            "/admin/tokens",
            &[("name", "請求ソフト連携"), ("user", &uid)],
            true,
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK);
    let token: String = issued
        .body
        .split("<code class=\"token\">")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| *ch != '<')
        .collect();
    assert!(token.starts_with("ysi_"));
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::OK
    );
    let listing = app.get(Some(&a), "/admin/tokens").await;
    assert!(
        !listing.body.contains(&token),
        "the token is shown once only"
    );
    let tid: String = listing
        .body
        .split("/admin/tokens/")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    assert_eq!(
        app.post(&a, &format!("/admin/tokens/{tid}/revoke"), &[], true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let edit = app
        .get(Some(&a), &format!("/admin/staff/{}", app.spec.user_id))
        .await;
    assert!(
        edit.body.contains("職員 spec"),
        "{} {}",
        edit.status,
        edit.body
    );
    let r = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.spec.user_id),
            &[
                ("display_name", "佐藤 美咲"),
                ("role", "lead"),
                ("version", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stale = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.spec.user_id),
            &[("display_name", "別名"), ("role", "lead"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let me = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.admin.user_id),
            &[
                ("display_name", "管理"),
                ("role", "specialist"),
                ("version", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(
        me.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin cannot demote themself"
    );
}

#[tokio::test]
async fn staff_tokens_and_the_audit_log_through_the_api_for_admins_only() {
    use serde_json::json;
    let app = app().await;
    let spec = app.spec.user_id;
    // Every other role: the same 404 as the pages.
    for who in [app.clerk, app.spec, app.lead] {
        let t = app.token(who).await;
        for (m, path, body) in [
            (Method::GET, "/api/v1/admin/staff".to_string(), None),
            (
                Method::POST,
                "/api/v1/admin/staff".to_string(),
                Some(
                    json!({"login": "intruder", "display_name": "x", "role": "admin", "password": "kujira-sora-umi-42"}),
                ),
            ),
            (
                Method::PUT,
                format!("/api/v1/admin/staff/{spec}"),
                Some(json!({"version": 1, "display_name": "x", "role": "admin"})),
            ),
            (Method::GET, "/api/v1/admin/tokens".to_string(), None),
            (
                Method::POST,
                "/api/v1/admin/tokens".to_string(),
                Some(json!({"name": "x", "user_id": spec})),
            ),
            (
                Method::POST,
                "/api/v1/admin/tokens/1/revoke".to_string(),
                None,
            ),
            (Method::GET, "/api/v1/admin/audit".to_string(), None),
            (Method::GET, "/api/v1/admin/audit/chain".to_string(), None),
            (
                Method::GET,
                "/api/v1/admin/second-factor-policy".to_string(),
                None,
            ),
            (
                Method::PUT,
                "/api/v1/admin/second-factor-policy".to_string(),
                Some(json!({"mode": "required"})),
            ),
        ] {
            let (st, b) = app.api(&t, m.clone(), &path, body).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {m} {path} {b}");
        }
    }
    let a = app.token(app.admin).await;
    // Staff.
    let (st, list) = app.api(&a, Method::GET, "/api/v1/admin/staff", None).await;
    assert_eq!(st, StatusCode::OK);
    let me = list["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == spec)
        .unwrap()
        .clone();
    assert!(me["clients"].as_i64().unwrap() >= 1, "{me}");
    let (st, b) = app
        .api(&a, Method::POST, "/api/v1/admin/staff", Some(json!({"login": "spec", "display_name": "重複", "role": "specialist", "password": "kujira-sora-umi-42"})))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["login"].is_string(), "{b}");
    let (st, b) = app
        .api(&a, Method::POST, "/api/v1/admin/staff", Some(json!({"login": "newbie", "display_name": "新人 さん", "role": "specialist", "password": "kujira-sora-umi-42"})))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let newbie = b["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/staff/{newbie}");
    let (st, b) = app
        .api(
            &a,
            Method::PUT,
            &path,
            Some(json!({"version": 1, "display_name": "新人", "role": "boss"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["role"].is_string(), "{b}");
    let (st, b) = app
        .api(
            &a,
            Method::PUT,
            &path,
            Some(json!({"version": 1, "display_name": "新人", "role": "lead", "active": false})),
        )
        .await;
    assert_eq!(
        (st, b["version"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{b}"
    );
    let (st, _) = app
        .api(
            &a,
            Method::PUT,
            &path,
            Some(json!({"version": 1, "display_name": "古い", "role": "lead"})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(
        crate::team::as_text(&app, &a, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let o = app.token(app.other_admin).await;
    let (st, _) = app
        .api(
            &o,
            Method::PUT,
            &path,
            Some(json!({"version": 3, "display_name": "x", "role": "lead"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "another office's admin");
    // Tokens: the token once, then never again; revoked is 401 at once.
    let (st, b) = app
        .api(
            &a,
            Method::POST,
            "/api/v1/admin/tokens",
            Some(json!({"name": "", "user_id": spec})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["name"].is_string(), "{b}");
    let (st, b) = app
        .api(
            &a,
            Method::POST,
            "/api/v1/admin/tokens",
            Some(json!({"name": "請求ソフト連携", "user_id": spec})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let token = b["token"].as_str().unwrap().to_string();
    let tid = b["id"].as_i64().unwrap();
    assert!(token.starts_with("ysi_"));
    let (st, list) = app.api(&a, Method::GET, "/api/v1/admin/tokens", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!list.to_string().contains(&token));
    assert!(
        list["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == tid)
    );
    let revoke = format!("/api/v1/admin/tokens/{tid}/revoke");
    assert_eq!(
        app.api(&o, Method::POST, &revoke, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(&a, Method::POST, &revoke, None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.api(&a, Method::POST, &revoke, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // The audit log, its filters and paging, and the chain.
    let (st, b) = app
        .api(&a, Method::GET, "/api/v1/admin/audit?from=2026-02-30", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["from"].is_string(), "{b}");
    let (st, _) = app
        .api(&a, Method::GET, "/api/v1/admin/audit?page=0", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, b) = app
        .api(
            &a,
            Method::GET,
            "/api/v1/admin/audit?action=revoke&per_page=1",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    assert_eq!(b["items"][0]["action"], "revoke");
    let (st, b) = app
        .api(&a, Method::GET, "/api/v1/admin/audit/chain", None)
        .await;
    assert_eq!((st, b["ok"].as_bool()), (StatusCode::OK, Some(true)), "{b}");
}
