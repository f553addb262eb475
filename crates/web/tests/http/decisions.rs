//! Decision support, the timeline and the retention setting.

use crate::common::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn decision_support_the_timeline_and_the_retention_setting_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.monitored_case;
    let lead = app.spec.user_id.to_string();
    // Starting: a missing question is refused with what was typed kept.
    let bad = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", ""),
                ("background", "GHの見学を希望"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("入力してください") && bad.body.contains("GHの見学を希望"));
    let ok = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", "グループホームに移るか"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = to
        .trim_start_matches("/decisions/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = app.get(Some(&s), &to).await;
    assert!(page.body.contains("グループホームに移るか") && page.body.contains("意思形成"));
    // An estimate without grounds is refused; the estimate typed stays on the form.
    let will = format!("/decisions/{id}/edit/will");
    let form = app.get(Some(&s), &will).await;
    assert_eq!(form.status, StatusCode::OK);
    let estimate = [
        ("version", "1"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", ""),
    ];
    let r = app.post(&s, &will, &estimate, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("根拠が必要です") && r.body.contains("GHで暮らしたい"));
    let grounded = [
        ("version", "1"),
        ("evidence_kind", "behaviour"),
        ("evidence_text", "体験中、自分で買い物に行った"),
        ("evidence_source", "GHの記録"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", "体験利用中の行動の記録から"),
    ];
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same save from the old version is a conflict, with the input kept.
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("体験利用中の行動の記録から"));
    // The decision and the move.
    let r = app
        .post(
            &s,
            &format!("/decisions/{id}/edit/decision"),
            &[
                ("version", "2"),
                ("step", "realisation"),
                ("decision", "グループホームさくらへ移る"),
                ("decided_on", "2026-11-20"),
                ("follow_up_on", "2026-12-20"),
                ("then", "record"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), &format!("/decisions/{id}")).await;
    assert!(page.body.contains("グループホームさくらへ移る") && page.body.contains("推定に基づく"));
    assert!(page.body.contains("体験利用中の行動の記録から"));
    // The unknown section is a 404, not a blank page.
    assert_eq!(
        app.get(Some(&s), &format!("/decisions/{id}/edit/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The timeline: every kind in order, filtered by kind, period and words.
    let tl = app.get(Some(&s), &format!("/cases/{k}/timeline")).await;
    assert_eq!(tl.status, StatusCode::OK);
    for want in [
        "インテーク（本人）",
        "サービス等利用計画 第1版",
        "モニタリング（居宅訪問）",
        "決定「グループホームに移るか」",
    ] {
        assert!(tl.body.contains(want), "{want}: {}", tl.body);
    }
    let only = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?kind=decision&order=old"),
        )
        .await;
    assert!(only.body.contains("決定「グループホームに移るか」"));
    assert!(!only.body.contains("モニタリング（居宅訪問）"));
    let words = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?q=%E3%81%95%E3%81%8F%E3%82%89"),
        )
        .await;
    assert!(words.body.contains("グループホームさくらへ移る"));
    assert!(!words.body.contains("サービス等利用計画 第1版"));
    let period = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?from=R8.11.1&until=2026-11-30"),
        )
        .await;
    assert!(period.body.contains("決定「グループホームに移るか」"));
    assert!(!period.body.contains("インテーク（本人）"));
    let bad_date = app
        .get(Some(&s), &format!("/cases/{k}/timeline?from=yesterday"))
        .await;
    assert_eq!(bad_date.status, StatusCode::OK);
    assert!(bad_date.body.contains("日付を直して"));
    // The fixture's record follows up within the week: on the specialist's home screen.
    let home = app.get(Some(&s), "/").await;
    assert!(home.body.contains("一人暮らしを始めるか"), "{}", home.body);
    // Office settings: only an admin, never under 5 years.
    let a = app.session(app.admin).await;
    let r = app
        .post(&a, "/admin/retention", &[("years", "3")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("5年から100年") && r.body.contains("value=\"3\""));
    let r = app
        .post(&a, "/admin/retention", &[("years", "１０")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(Some(&a), "/admin/staff")
            .await
            .body
            .contains("いまの設定: 10年")
    );
    let r = app
        .post(&s, "/admin/retention", &[("years", "6")], true)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(&a, "/admin/retention", &[("years", "6")], false)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
}

#[tokio::test]
async fn a_decision_section_that_is_not_utf8_is_refused() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/decisions/{}/edit/will", app.decision_id);
    let r = app
        .post_raw(&s, &path, b"version=1&person_words=%FF%FE")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post_raw(
            &s,
            &format!("/cases/{}/decisions", app.monitored_case),
            b"question=%E3%81%82%FF&step=formation",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn decision_support_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.spec).await;
    let k = app.monitored_case;
    let lead = app.spec.user_id;
    // List and read the fixture's record.
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{k}/decisions"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["decisions"][0]["id"], app.decision_id);
    // Start one; a lead from another office is 422 on its field.
    let (st, err) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/decisions"),
            Some(json!({ "question": "", "lead_user_id": lead.to_string(), "started_on": "R8.11.1", "step": "formation" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["question"].is_string(), "{err}");
    let (st, err) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/decisions"),
            Some(json!({ "question": "GHに移るか", "lead_user_id": app.other_admin.user_id.to_string(), "started_on": "R8.11.1", "step": "formation" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["lead_user_id"].is_string(), "{err}");
    let (st, made) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/decisions"),
            Some(json!({ "question": "GHに移るか", "lead_user_id": lead.to_string(), "started_on": "R8.11.1", "step": "formation" })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (st, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/decisions/{id}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["decision"]["record"]["question"], "GHに移るか");
    // A section: an estimate without grounds is refused as on the page, on `grounds`.
    let will = format!("/api/v1/decisions/{id}/sections/will");
    let (st, err) = app
        .api(
            &token,
            Method::PUT,
            &will,
            Some(json!({ "version": 1, "expressed": "no", "estimated_will": "GHで暮らしたい", "grounds": "" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["grounds"].is_string(), "{err}");
    let grounded = json!({
        "version": 1,
        "question": "ここは読まれない",
        "evidence": [{ "kind": "behaviour", "text": "自分で買い物に行った", "source": "GHの記録" }],
        "expressed": "no",
        "estimated_will": "GHで暮らしたい",
        "grounds": "体験利用中の行動の記録から"
    });
    let (st, saved) = app
        .api(&token, Method::PUT, &will, Some(grounded.clone()))
        .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    let (st, _) = app.api(&token, Method::PUT, &will, Some(grounded)).await;
    assert_eq!(st, StatusCode::CONFLICT, "stale version");
    let (_, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/decisions/{id}"),
            None,
        )
        .await;
    assert_eq!(
        got["decision"]["record"]["question"], "GHに移るか",
        "other sections kept"
    );
    assert_eq!(
        got["decision"]["record"]["grounds"],
        "体験利用中の行動の記録から"
    );
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/decisions/{id}/sections/nothing"),
            Some(json!({ "version": 2 })),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // The whole record, sent back as read: version 2 → 3; the estimate without grounds is 422.
    let mut whole = got["input"].clone();
    whole["version"] = json!(2);
    whole["decision"] = json!("グループホームさくらへ移る");
    whole["decided_on"] = json!("2026-11-20");
    whole["grounds"] = json!("");
    let path = format!("/api/v1/decisions/{id}");
    let (st, err) = app
        .api(&token, Method::PUT, &path, Some(whole.clone()))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["grounds"].is_string(), "{err}");
    whole["grounds"] = json!("体験利用中の行動の記録から");
    let (st, saved) = app
        .api(&token, Method::PUT, &path, Some(whole.clone()))
        .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 3);
    let (st, _) = app.api(&token, Method::PUT, &path, Some(whole)).await;
    assert_eq!(st, StatusCode::CONFLICT);
    // Not JSON: 415.
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri(&path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("version=3"))
        .unwrap();
    assert_eq!(
        app.send(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Another office, an unassigned specialist and the clerk get 404 on every operation.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, p) in [
            (Method::GET, format!("/api/v1/cases/{k}/decisions")),
            (Method::POST, format!("/api/v1/cases/{k}/decisions")),
            (Method::GET, format!("/api/v1/decisions/{id}")),
            (Method::PUT, format!("/api/v1/decisions/{id}")),
            (Method::PUT, format!("/api/v1/decisions/{id}/sections/will")),
        ] {
            let body = (m != Method::GET).then(|| {
                json!({ "version": 3, "question": "x", "lead_user_id": lead.to_string(), "started_on": "2026-09-01", "step": "formation" })
            });
            let (st, _) = app.api(&t, m.clone(), &p, body).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {m} {p}");
        }
    }
    // The document lists the operations with the write body's fields.
    let (_, doc) = app
        .api(&token, Method::GET, "/api/v1/openapi.json", None)
        .await;
    for (p, m) in [
        ("/cases/{id}/decisions", "get"),
        ("/cases/{id}/decisions", "post"),
        ("/decisions/{id}", "get"),
        ("/decisions/{id}", "put"),
        ("/decisions/{id}/sections/{section}", "put"),
    ] {
        assert!(doc["paths"][p][m].is_object(), "{m} {p}");
    }
    assert!(doc["paths"]["/decisions/{id}"]["put"]["responses"]["409"].is_object());
    let schema = doc["components"]["schemas"]["DecisionUpdate"].to_string();
    assert!(
        schema.contains("\"version\"") && schema.contains("DecisionInput"),
        "{schema}"
    );
}
