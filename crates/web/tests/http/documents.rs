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
    assert!(log.body.contains("週間計画表") && log.body.contains("わかりやすい版の計画"));
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
