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
