//! Case notes: escaping and Japanese search.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn notes_escape_markup_and_search_in_japanese() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/clients/{}/notes", app.client);
    let r = app
        .post(
            &s,
            &path,
            &[
                ("kind", "visit"),
                ("content", "<img src=x onerror=alert(1)> 母の施設へ面会"),
                ("date", "R8.1.5"),
                ("time", "１０：３０"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains("&#60;img src=x") || page.body.contains("&lt;img src=x"));
    assert!(page.body.contains("2026年1月5日（令和8年） 10:30"));
    let found = app
        .get(
            Some(&s),
            &format!(
                "/clients/{}?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C",
                app.client
            ),
        )
        .await; // 飲み忘れ
    assert!(found.body.contains("服薬の飲み忘れ") && !found.body.contains("母の施設へ面会"));
    let two = app
        .get(
            Some(&s),
            &format!("/clients/{}/notes?q=%E6%AF%8D", app.client),
        )
        .await; // 母 (1 char)
    assert!(two.body.contains("母の施設へ面会") && !two.body.contains("服薬の飲み忘れ"));
    // A rejected note keeps what was typed.
    let r = app
        .post(
            &s,
            &path,
            &[
                ("kind", "phone"),
                ("content", "未来の記録"),
                ("date", "2099-01-01"),
                ("minutes", "abc"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未来の記録") && r.body.contains("所要時間は"));
}
