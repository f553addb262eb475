//! The home screen and the client list filters.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_home_screen_and_list_filters() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let home = app.get(Some(&s), "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("青木 明子") && home.body.contains("担当している利用者"));
    let a = app.session(app.admin).await;
    let link = format!("href=\"/clients/{}\"", app.client);
    let none = app.get(Some(&a), "/clients?staff=none").await;
    assert!(!none.body.contains(&link), "A is assigned");
    let mine = app
        .get(
            Some(&a),
            &format!(
                "/clients?staff={}&sort=kana_desc&status=consulting",
                app.spec.user_id
            ),
        )
        .await;
    assert!(mine.body.contains(&link));
    let weird = app
        .get(
            Some(&a),
            "/clients?page=-1&sort=%27;drop&cert=abc&status=zzz",
        )
        .await;
    assert_eq!(
        weird.status,
        StatusCode::OK,
        "nonsense filters fall back, never 500"
    );
}

#[tokio::test]
async fn the_dashboard_over_the_api() {
    use axum::http::Method;
    let app = app().await;
    let spec = app.token(app.spec).await;
    let (st, body) = app.api(&spec, Method::GET, "/api/v1/dashboard", None).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["whole_office"], false);
    assert!(body["cards"]["due"]["items"].is_array());
    assert!(body["staff"].as_array().unwrap().is_empty());
    // A specialist's staff filter is ignored, as on the page.
    let (st, body) = app
        .api(
            &spec,
            Method::GET,
            &format!("/api/v1/dashboard?staff={}", app.spec2.user_id),
            None,
        )
        .await;
    assert_eq!((st, body["staff_filter"].is_null()), (StatusCode::OK, true));
    let lead = app.token(app.lead).await;
    let (st, body) = app
        .api(&lead, Method::GET, "/api/v1/dashboard?all=true", None)
        .await;
    assert_eq!(
        (st, body["whole_office"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert!(!body["staff"].as_array().unwrap().is_empty());
    let (st, body) = app
        .api(
            &lead,
            Method::GET,
            &format!("/api/v1/dashboard?staff={}", app.spec.user_id),
            None,
        )
        .await;
    assert_eq!(
        (st, body["staff_filter"].as_i64()),
        (StatusCode::OK, Some(app.spec.user_id))
    );
    // Someone else's staff member, a number out of range, not a number.
    let other = app.other_admin.user_id;
    for (q, want) in [
        (format!("staff={other}"), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "staff=9223372036854775807".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("staff=-1".to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        ("staff=abc".to_string(), StatusCode::BAD_REQUEST),
        (
            "staff=99999999999999999999".to_string(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (st, body) = app
            .api(&lead, Method::GET, &format!("/api/v1/dashboard?{q}"), None)
            .await;
        assert_eq!(st, want, "{q}: {body}");
    }
    assert_eq!(
        app.get(None, "/api/v1/dashboard").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_case_timeline_over_the_api() {
    use axum::http::Method;
    let app = app().await;
    let k = app.case_id;
    let path = format!("/api/v1/cases/{k}/timeline");
    let token = app.token(app.spec).await;
    let (st, body) = app.api(&token, Method::GET, &path, None).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let items = body["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["kind"] == "intake"), "{body}");
    assert_eq!(body["total"].as_u64(), Some(items.len() as u64));
    let (_, notes) = app
        .api(
            &token,
            Method::GET,
            &format!("{path}?kind=intake&order=old"),
            None,
        )
        .await;
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "intake")
    );
    let (st, body) = app
        .api(
            &token,
            Method::GET,
            &format!("{path}?from=%E6%98%8E%E6%97%A5%E3%81%8B"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["from"].is_string(), "{body}");
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        assert_eq!(
            app.api(&t, Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND,
            "{who:?}"
        );
    }
}
