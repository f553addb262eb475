//! PDF documents, their download log and batch printing.

use crate::common::*;
use axum::http::{StatusCode, header};
use yorisoi_store::today_jst;

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

async fn batch_done(app: &App, s: &Sess, job: &str) -> Resp {
    let mut page = app.get(Some(s), job).await;
    for _ in 0..200 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(s), job).await;
    }
    page
}

#[tokio::test]
async fn inspection_prints_the_notes_of_a_period_the_intake_the_closure_and_a_decision() {
    use axum::http::Method;
    let app = app().await;
    let s = app.session(app.spec).await;
    let (c, k, dec) = (app.client, app.case_id, app.decision_id);
    // Where a specialist looks for them.
    let client_page = app.get(Some(&s), &format!("/clients/{c}")).await;
    assert!(
        client_page
            .body
            .contains(&format!("href=\"/clients/{c}/notes/print\""))
    );
    let case_page = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case_page
            .body
            .contains(&format!("href=\"/cases/{k}/pdf/intake\""))
    );
    assert!(
        !case_page.body.contains("/pdf/closure"),
        "an open case has no closure to print"
    );
    let today = today_jst();
    // The case's period (opened today, still open), the `&` as the page escapes it.
    let unescaped = case_page.body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(
        unescaped.contains(&format!(
            "/clients/{c}/notes/print?from={today}&until={today}\""
        )),
        "{}",
        case_page.body
    );
    let dec_page = app.get(Some(&s), &format!("/decisions/{dec}")).await;
    assert!(
        dec_page
            .body
            .contains(&format!("href=\"/decisions/{dec}/pdf\""))
    );

    // The period form: the last twelve months unless a period is asked for.
    let form = app
        .get(Some(&s), &format!("/clients/{c}/notes/print"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("支援経過記録の印刷") && form.body.contains("期間の始まり"));
    let year_ago = yorisoi_domain::note::PeriodInput::year_to(today).0;
    let shown = |d: chrono::NaiveDate| yorisoi_domain::date::format_wareki(d);
    assert!(
        form.body.contains(&shown(year_ago)) || form.body.contains(&year_ago.to_string()),
        "{}",
        form.body
    );
    // A period that cannot be read: a Japanese message, what was typed kept, nothing printed.
    let bad = app
        .get(
            Some(&s),
            &format!(
                "/clients/{c}/notes/pdf?from=%E3%81%9D%E3%81%AE%E3%81%86%E3%81%A1&until=R8.4.1"
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("日付の形式が読み取れません") && bad.body.contains("value=\"そのうち\"")
    );
    let reversed = app
        .get(
            Some(&s),
            &format!("/clients/{c}/notes/pdf?from=2026-10-01&until=R8.9.30"),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed.body.contains("期間の終わりが始まりより前"));
    // Good periods, 西暦 or 和暦, and the default.
    for path in [
        format!("/clients/{c}/notes/pdf"),
        format!("/clients/{c}/notes/pdf?from=R7.1.1&until={today}"),
        format!("/cases/{k}/pdf/intake"),
        format!("/decisions/{dec}/pdf"),
    ] {
        let r = app.get(Some(&s), &path).await;
        assert!(
            is_pdf(&r),
            "{path}: {} {}",
            r.status,
            &r.body[..r.body.len().min(300)]
        );
    }
    // The closure prints once the case is closed.
    let open = app.get(Some(&s), &format!("/cases/{k}/pdf/closure")).await;
    assert_eq!(open.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(open.body.contains("まだ終結していません"));
    assert_eq!(
        app.get(Some(&s), &format!("/cases/{k}/pdf/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let close_form = app.get(Some(&s), &format!("/cases/{k}/close")).await;
    let version = close_form
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let closed = app
        .post(
            &s,
            &format!("/cases/{k}/close"),
            &[
                ("closed_on", &today.to_string()),
                ("reason", "moved"),
                ("person_words", "ここで自信がついた。"),
                ("changes", "一人で通えるようになった。"),
                ("handover_to", "相談支援センターみなと"),
                ("handover", "計画の写しを渡した。"),
                ("version", &version),
            ],
            true,
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let case_page = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case_page
            .body
            .contains(&format!("href=\"/cases/{k}/pdf/closure\""))
    );
    assert!(is_pdf(
        &app.get(Some(&s), &format!("/cases/{k}/pdf/closure")).await
    ));

    // Each print is a disclosure in the log.
    let a = app.session(app.admin).await;
    let log = app
        .get(Some(&a), &format!("/admin/audit?client={c}&action=print"))
        .await;
    for what in ["支援経過記録", "インテーク記録", "終結の記録"] {
        assert!(log.body.contains(what), "{what}: {}", log.body);
    }
    let log = app.get(Some(&a), "/admin/audit?action=print").await;
    assert!(log.body.contains("意思決定支援の記録"), "{}", log.body);
    // The office may choose a template for each new kind.
    let settings = app.get(Some(&a), "/admin/documents").await;
    for k in [
        "template_notes",
        "template_intake",
        "template_closure",
        "template_decision",
    ] {
        assert!(settings.body.contains(&format!("name=\"{k}\"")), "{k}");
    }

    // Another office, an unassigned specialist and the clerk: 404, nothing of the client shown.
    let paths = [
        format!("/clients/{c}/notes/print"),
        format!("/clients/{c}/notes/pdf"),
        format!("/clients/{c}/notes/pdf?from=x"),
        format!("/cases/{k}/pdf/intake"),
        format!("/cases/{k}/pdf/closure"),
        format!("/decisions/{dec}/pdf"),
    ];
    for who in [app.other_admin, app.spec2, app.clerk] {
        let other = app.session(who).await;
        for path in &paths {
            let r = app.get(Some(&other), path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {path}");
            assert!(!r.body.contains("青木"), "{path}");
        }
        let t = app.token(who).await;
        for path in [
            format!("/api/v1/clients/{c}/notes/pdf"),
            format!("/api/v1/cases/{k}/pdf/intake"),
            format!("/api/v1/cases/{k}/pdf/closure"),
            format!("/api/v1/decisions/{dec}/pdf"),
        ] {
            let (st, b) = app.api(&t, Method::GET, &path, None).await;
            assert_eq!(
                (st, b["error"].as_str()),
                (StatusCode::NOT_FOUND, Some("not_found")),
                "{who:?} {path}"
            );
        }
    }

    // The API: the same PDFs; a bad period is 422 by field.
    let token = app.token(app.spec).await;
    for path in [
        format!("/api/v1/clients/{c}/notes/pdf?from=R8.1.1"),
        format!("/api/v1/cases/{k}/pdf/intake"),
        format!("/api/v1/cases/{k}/pdf/closure"),
        format!("/api/v1/decisions/{dec}/pdf"),
    ] {
        let r = api_get(&app, &token, &path).await;
        assert!(is_pdf(&r), "{path}: {}", r.status);
    }
    let (st, b) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/notes/pdf?from=2026-13-01&until=2026-01-01"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["fields"]["from"].is_string(), "{b}");
    let (st, b) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{k}/pdf/nothing"),
            None,
        )
        .await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    // 一括印刷: a staff member's clients' notes of a month, one client after another.
    let month = today.format("%Y-%m").to_string();
    let started = app
        .post(
            &s,
            "/documents/batch",
            &[
                ("what", "notes"),
                ("month", &month),
                ("staff", &app.spec.user_id.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let job = started
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let page = batch_done(&app, &s, &job).await;
    assert!(page.body.contains("件のPDFができました"), "{}", page.body);
    assert!(is_pdf(&app.get(Some(&s), &format!("{job}/pdf")).await));
    let log = app
        .get(Some(&a), &format!("/admin/audit?client={c}&action=print"))
        .await;
    assert!(log.body.contains("一括印刷"), "{}", log.body);
    // The clerk is told 一括印刷 is not theirs.
    let clerk = app.session(app.clerk).await;
    let refused = app
        .post(
            &clerk,
            "/documents/batch",
            &[
                ("what", "notes"),
                ("month", &month),
                ("staff", &app.clerk.user_id.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
