//! PDF documents, their download log and batch printing.

use crate::common::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn documents_print_as_pdf_each_download_is_logged_and_a_batch_shows_progress() {
    let app = app().await;
    let s = app.session(app.spec).await;
    for path in [
        format!("/plans/{}/pdf/plan", app.plan_id),
        format!("/plans/{}/pdf/week", app.plan_id),
        format!("/plans/{}/pdf/easy_plan", app.plan_id),
        format!("/meetings/{}/pdf", app.meeting_id),
        format!("/monitorings/{}/pdf", app.monitoring_id),
        format!("/assessments/{}/pdf", app.assessment_id),
    ] {
        let r = app.get(Some(&s), &path).await;
        assert!(
            is_pdf(&r),
            "{path}: {} {}",
            r.status,
            &r.body[..r.body.len().min(200)]
        );
    }
    assert_eq!(
        app.get(Some(&s), &format!("/plans/{}/pdf/nothing", app.plan_id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Each download is a disclosure in the office's log: who, which record, what.
    let a = app.session(app.admin).await;
    let log = app
        .get(
            Some(&a),
            &format!("/admin/audit?client={}&action=print", app.client),
        )
        .await;
    assert!(log.body.contains("印刷・出力（PDF）"), "{}", log.body);
    assert!(log.body.contains("週間計画表") && log.body.contains("わかりやすい版（本人用）"));
    assert!(
        log.body.contains("サービス担当者会議の記録")
            && log.body.contains("アセスメントシート 第1版")
    );
    assert!(log.body.contains("職員 spec"));

    // A batch of a month's monitoring reports: refused input keeps what was typed.
    let bad = app
        .post(
            &s,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "13月ごろ"),
                ("staff", ""),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("年月を1つ入力してください") && bad.body.contains("13月ごろ"));
    let spec_id = app.spec.user_id.to_string();
    let started = app
        .post(
            &s,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "R8.7"),
                ("staff", &spec_id),
            ],
            true,
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let job = started
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut page = app.get(Some(&s), &job).await;
    for _ in 0..200 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(&s), &job).await;
    }
    assert!(page.body.contains("1件のPDFができました"), "{}", page.body);
    assert!(is_pdf(&app.get(Some(&s), &format!("{job}/pdf")).await));
    // Only the one who started it sees it.
    let lead = app.session(app.lead).await;
    assert_eq!(
        app.get(Some(&lead), &job).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&lead), &format!("{job}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    // Another specialist's batch of the same month finds nothing of this one's clients.
    let s2 = app.session(app.spec2).await;
    let spec2_id = app.spec2.user_id.to_string();
    let other = app
        .post(
            &s2,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "2026-07"),
                ("staff", &spec_id),
            ],
            true,
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only oneself for a specialist"
    );
    let own = app
        .post(
            &s2,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "2026-07"),
                ("staff", &spec2_id),
            ],
            true,
        )
        .await;
    let job2 = own
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut page = app.get(Some(&s2), &job2).await;
    for _ in 0..200 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(&s2), &job2).await;
    }
    assert!(
        page.body.contains("当たる記録はありませんでした"),
        "{}",
        page.body
    );

    // 帳票の設定 is the admin's; an unknown template is refused with the choice kept.
    assert_eq!(
        app.get(Some(&s), "/admin/documents").await.status,
        StatusCode::NOT_FOUND
    );
    let refused = app
        .post(
            &a,
            "/admin/documents",
            &[
                ("dates", "seireki"),
                ("furigana", "on"),
                ("template_plan", "../etc"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("テンプレート「../etc」が見つかりません")
    );
    let saved = app
        .post(
            &a,
            "/admin/documents",
            &[
                ("dates", "seireki"),
                ("furigana", "on"),
                ("template_plan", "standard"),
            ],
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&a), "/admin/documents?saved=documents").await;
    assert!(page.body.contains("帳票の設定を保存しました"));
    assert!(page.body.contains("value=\"seireki\" selected"));
    assert!(page.body.contains("name=\"furigana\" checked"));
    // Printing still works with the new settings.
    assert!(is_pdf(
        &app.get(Some(&s), &format!("/plans/{}/pdf/plan", app.plan_id))
            .await
    ));
}

async fn api_get(app: &App, token: &str, path: &str) -> Resp {
    let req = axum::http::Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn documents_and_batches_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.spec).await;
    let paths = [
        format!("/api/v1/plans/{}/pdf/plan", app.plan_id),
        format!("/api/v1/plans/{}/pdf/week", app.plan_id),
        format!("/api/v1/plans/{}/pdf/easy_plan", app.plan_id),
        format!("/api/v1/meetings/{}/pdf", app.meeting_id),
        format!("/api/v1/monitorings/{}/pdf", app.monitoring_id),
        format!("/api/v1/assessments/{}/pdf", app.assessment_id),
    ];
    for path in &paths {
        let r = api_get(&app, &token, path).await;
        assert!(
            is_pdf(&r),
            "{path}: {} {}",
            r.status,
            &r.body[..r.body.len().min(200)]
        );
    }
    let (st, b) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/plans/{}/pdf/nothing", app.plan_id),
            None,
        )
        .await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Another office, an unassigned specialist and the clerk: the same 404, nothing printed.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for path in &paths {
            let (st, b) = app.api(&t, Method::GET, path, None).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {path}");
            assert_eq!(b["error"], "not_found");
        }
    }
    // Logged as 印刷・出力 exactly as the page's downloads.
    let a = app.session(app.admin).await;
    let log = app
        .get(
            Some(&a),
            &format!("/admin/audit?client={}&action=print", app.client),
        )
        .await;
    assert!(log.body.contains("印刷・出力（PDF）"), "{}", log.body);
    assert!(log.body.contains("週間計画表") && log.body.contains("わかりやすい版（本人用）"));
    assert!(log.body.contains("アセスメントシート 第1版"));

    // A batch: refused input is 422 by field, a good one is 202 with the job's id.
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/documents/batch",
            Some(json!({"what": "monitorings", "month": "13月ごろ", "staff": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["fields"]["month"].is_string() && b["fields"]["staff"].is_string(),
        "{b}"
    );
    let (st, b) = app
        .api(&token, Method::POST, "/api/v1/documents/batch", Some(json!({"what": "monitorings", "month": "2026-07", "staff": app.spec.user_id.to_string()})))
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let status = format!("/api/v1/documents/batch/{id}");
    let mut last = serde_json::Value::Null;
    for _ in 0..200 {
        let (st, b) = app.api(&token, Method::GET, &status, None).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert!(
            b["done"].is_u64() && b["total"].is_u64() && b["phase"].is_string(),
            "{b}"
        );
        last = b;
        if last["phase"] == "done" || last["phase"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(last["phase"], "done", "{last}");
    assert_eq!(last["done"], last["total"]);
    let r = api_get(&app, &token, &format!("{status}/pdf")).await;
    assert!(is_pdf(&r), "{}", r.status);
    // Only the one who started it sees it.
    let t = app.token(app.lead).await;
    let (st, _) = app.api(&t, Method::GET, &status, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let r = api_get(&app, &t, &format!("{status}/pdf")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A form body is 415.
    let req = axum::http::Request::post("/api/v1/documents/batch")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("what=plans"))
        .unwrap();
    assert_eq!(
        app.send(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}
