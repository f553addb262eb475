//! Bad input: a message, the typed values kept, nothing changed.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn bad_input_gets_a_message_keeps_what_was_typed_and_changes_nothing() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let before = app.client_count().await;
    let long = "あ".repeat(41);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![
            ("family_name", &long),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-01-01"),
            ("sex", "female"),
        ],
        vec![
            ("family_name", "<script>alert(1)</script>"),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "平成31年5月1日"),
            ("sex", "female"),
        ],
        vec![
            ("family_name", "山田\u{0007}"),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-02-30"),
            ("sex", "x"),
        ],
        vec![
            ("family_name", "山田"),
            ("given_name", "花"),
            ("family_name_kana", "yamada"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-01-01"),
            ("sex", "female"),
            ("disability_kinds", "bogus"),
            ("support_category", "9"),
        ],
    ];
    for pairs in &cases {
        let r = app.post(&s, "/clients", pairs, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
        assert!(
            r.body.contains("class=\"error\""),
            "a message beside the field"
        );
        assert!(
            !r.body.contains("<script>alert(1)</script>"),
            "input is escaped"
        );
    }
    let r = app.post(&s, "/clients", &cases[2], true).await;
    assert!(
        r.body
            .contains("value=\"&#60;script&#62;alert(1)&#60;/script&#62;\"")
            || r.body.contains("&lt;script&gt;"),
        "typed value kept, escaped"
    );
    assert!(r.body.contains("平成31年はその日付を含みません"));
    let r = app.post(&s, "/clients", &cases[1], true).await;
    assert!(r.body.contains("40文字以内"));
    assert!(r.body.contains(&long), "the long value is kept for fixing");
    // Wrong types and garbage bodies: 400 with a message, never a 500.
    let garbage = Request::post("/clients")
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf={}&%%%=&birth_date=%FF%FE",
            s.csrf
        )))
        .unwrap();
    let r = app.send(garbage).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = app
        .post(
            &s,
            &format!("/clients/{}/edit", app.client),
            &[("version", "abc")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.get(Some(&s), "/clients/abc").await;
    assert!(r.status.is_client_error());
    assert_eq!(app.client_count().await, before);
    // A valid one with 和暦 and half-width kana.
    let ok = app
        .post(
            &s,
            "/clients",
            &[
                ("family_name", "山田"),
                ("given_name", "花"),
                ("family_name_kana", "ﾔﾏﾀﾞ"),
                ("given_name_kana", "ハナ"),
                ("birth_date", "S56.3.2"),
                ("sex", "female"),
                ("disability_kinds", "mental"),
                ("disability_kinds", "intellectual"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(app.client_count().await, before + 1);
    let page = app
        .get(
            Some(&s),
            ok.headers.get(header::LOCATION).unwrap().to_str().unwrap(),
        )
        .await;
    assert!(
        page.body.contains("やまだ はな")
            && page.body.contains("昭和56年3月2日")
            && page.body.contains("精神・知的")
    );
}
