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
    assert!(page.body.contains("令和8年1月5日 10:30"));
    let found = app
        .get(
            Some(&s),
            &format!(
                "/clients/{}?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C",
                app.client
            ),
        )
        .await; // 飲み忘れ
    // Found, and the words searched are marked.
    assert!(
        found.body.contains("服薬の<mark>飲み忘れ</mark>")
            && !found.body.contains("母の施設へ面会")
    );
    let two = app
        .get(
            Some(&s),
            &format!("/clients/{}/notes?q=%E6%AF%8D", app.client),
        )
        .await; // 母 (1 char)
    assert!(
        two.body.contains("<mark>母</mark>の施設へ面会") && !two.body.contains("服薬の飲み忘れ")
    );
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

#[tokio::test]
async fn a_note_is_edited_over_the_api_with_its_version() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let (c, n) = (app.client, app.note_id);
    let token = app.token(app.spec).await;
    let path = format!("/api/v1/clients/{c}/notes/{n}");
    let edit =
        json!({"version": 1, "kind": "visit", "content": "APIで直した", "date": "2026-01-01"});
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, _) = app.api(&t, Method::PUT, &path, Some(edit.clone())).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    let (st, body) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(json!({"version": 1, "kind": "zzz", "content": "x", "minutes": "abc"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["kind"].is_string() && body["fields"]["minutes"].is_string());
    let (st, body) = app
        .api(&token, Method::PUT, &path, Some(json!({"kind": "visit"})))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no version: {body}");
    let req = axum::http::Request::put(&path)
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(axum::http::header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from(edit.to_string()))
        .unwrap();
    assert_eq!(
        app.send(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let (st, body) = app
        .api(&token, Method::PUT, &path, Some(edit.clone()))
        .await;
    assert_eq!(
        (st, body["version"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{body}"
    );
    let (st, body) = app.api(&token, Method::PUT, &path, Some(edit)).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/notes"),
            None,
        )
        .await;
    assert!(list.to_string().contains("APIで直した"));
    assert_eq!(
        app.api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{c}/notes/9223372036854775807"),
            Some(json!({"version": 1, "kind": "visit", "content": "x"}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    for q in ["limit=0", "limit=9223372036854775807", "offset=-1"] {
        let (st, _) = app
            .api(
                &token,
                Method::GET,
                &format!("/api/v1/clients/{c}/notes?{q}"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
}

/// 記録の横断検索: the notes of every client the user may read, marked where the words occur;
/// nothing of a client the user may not read, from another office, or for the 事務.
#[tokio::test]
async fn the_office_wide_note_search_finds_only_what_the_user_may_read() {
    let app = app().await;
    let spec = app.session(app.spec).await;
    let page = app
        .get(Some(&spec), "/notes?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C")
        .await; // 飲み忘れ
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("担当している利用者"));
    assert!(page.body.contains("<mark>飲み忘れ</mark>"), "{}", page.body);
    assert!(page.body.contains("青木 明子"));
    assert!(page.body.contains(&format!("/clients/{}?q=", app.client)));
    // The lead sees the whole office; the unassigned specialist and another office see nothing.
    let lead = app.session(app.lead).await;
    let r = app
        .get(Some(&lead), "/notes?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C")
        .await;
    assert!(r.body.contains("事業所のすべての利用者") && r.body.contains("飲み忘れ"));
    for who in [app.spec2, app.other_admin] {
        let s = app.session(who).await;
        let r = app
            .get(Some(&s), "/notes?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C")
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("飲み忘れ</mark>") && r.body.contains("を含む記録はありません"));
    }
    // The 事務 reads no case content: refused, and not offered.
    let clerk = app.session(app.clerk).await;
    let r = app.get(Some(&clerk), "/notes?q=%E9%A3%B2%E3%81%BF").await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND);
    assert!(!r.body.contains("飲み忘れ"));
    assert!(
        !app.get(Some(&clerk), "/clients")
            .await
            .body
            .contains("href=\"/notes\"")
    );
    assert!(
        app.get(Some(&spec), "/clients")
            .await
            .body
            .contains("href=\"/notes\"")
    );
    // The API answers the same; the list is logged with the clients it showed.
    let token = app.token(app.spec).await;
    let (st, body) = app
        .api(
            &token,
            axum::http::Method::GET,
            "/api/v1/notes?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.to_string().contains("飲み忘れ"));
    assert!(app.audit_actions().await.contains(&"list".to_string()));
}

/// The client page shows the newest 30 notes (read with the client's other records) and links to
/// the older ones; the next page and a search are read on their own, and a clerk sees no notes.
#[tokio::test]
async fn client_page_pages_through_notes() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/clients/{}/notes", app.client);
    for day in 1..=31 {
        let r = app
            .post(
                &s,
                &path,
                &[
                    ("kind", "phone"),
                    ("content", &format!("第{day}回の電話連絡")),
                    ("date", &format!("2026-10-{day:02}")),
                    ("time", "09:00"),
                ],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // The fixture's note of today is the newest: the first page holds it and October's 31st to
    // 3rd; the second the 2nd and the 1st.
    let has = |body: &str, n: u32| body.contains(&format!("第{n}回の電話連絡"));
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(has(&page.body, 31) && has(&page.body, 3) && !has(&page.body, 2));
    assert!(page.body.contains("服薬の飲み忘れを確認"));
    assert!(page.body.contains("さらに古い記録を見る"));
    let older = app
        .get(Some(&s), &format!("/clients/{}?offset=30", app.client))
        .await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(has(&older.body, 2) && has(&older.body, 1) && !has(&older.body, 3));
    assert!(!older.body.contains("さらに古い記録を見る"));
    let found = app
        .get(
            Some(&s),
            &format!("/clients/{}?q=%E7%AC%AC7%E5%9B%9E", app.client), // 第7回
        )
        .await;
    assert!(found.body.contains("<mark>第7回</mark>の電話連絡"));
    assert!(!found.body.contains("第8回の電話連絡"));
    let clerk = app.session(app.clerk).await;
    let page = app
        .get(Some(&clerk), &format!("/clients/{}", app.client))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!has(&page.body, 31), "a clerk reads no notes");
}
