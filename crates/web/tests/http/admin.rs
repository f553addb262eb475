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
    assert!(
        page.body.contains("精神障害者保健福祉手帳")
            && page.body.contains("2025年10月1日（令和7年）")
    );
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
