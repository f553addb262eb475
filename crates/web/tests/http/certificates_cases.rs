//! Certificates and cases through the pages.

use crate::common::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn certificates_and_cases_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    let bad = app
        .post(
            &s,
            &format!("/clients/{c}/certificates"),
            &[("number", "123"), ("municipality", "N市")],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("10桁"));
    let cert = [
        ("kind", "welfare"),
        ("number", "０１２３４５６７８９"),
        ("municipality", "N市"),
        ("issued_on", "R8.4.20"),
        ("decision_from", "2026-05-01"),
        ("decision_until", "2027-04-30"),
        ("services", "就労継続支援B型：22日/月"),
        ("plan_support_from", "2026-05-01"),
        ("plan_support_until", "2027-04-30"),
        ("monitoring_period", "every3"),
        ("monitoring_months", "7,10,1,4"),
    ];
    assert_eq!(
        app.post(&s, &format!("/clients/{c}/certificates"), &cert, true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let form = app
        .get(Some(&s), &format!("/clients/{c}/certificates/new"))
        .await;
    assert!(form.body.contains("前回コピー") && form.body.contains("0123456789"));
    let mut second = cert;
    second[5] = ("decision_until", "2027-03-31");
    second[8] = ("plan_support_until", "2027-03-31");
    second[10] = ("monitoring_months", "7,10,1");
    assert_eq!(
        app.post(&s, &format!("/clients/{c}/certificates"), &second, true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let hist = app
        .get(Some(&s), &format!("/clients/{c}/certificates"))
        .await;
    assert!(
        hist.body.contains("第2版")
            && hist.body.contains("第1版")
            && hist.body.contains("2027年4月")
    );
    // A new case from an intake; move it; close it.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/cases"),
            &[
                ("intake_date", "2026-02-01"),
                ("referral_source", "family"),
                ("chief_complaint", "「一人暮らしがしたい」"),
                ("consent_to_support", "yes"),
                ("title", "一人暮らし"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let case_path = r
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = app.get(Some(&s), &case_path).await;
    assert!(page.body.contains("「一人暮らしがしたい」") && page.body.contains("インテーク"));
    let skip = app
        .post(
            &s,
            &format!("{case_path}/stage"),
            &[("to", "monitoring"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(skip.body.contains("へは進めません"));
    assert_eq!(
        app.post(
            &s,
            &format!("{case_path}/stage"),
            &[("to", "assessment"), ("version", "1")],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let bad_close = app
        .post(
            &s,
            &format!("{case_path}/close"),
            &[
                ("closed_on", "2026-01-01"),
                ("reason", "other"),
                ("version", "2"),
            ],
            true,
        )
        .await;
    assert_eq!(bad_close.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.post(
            &s,
            &format!("{case_path}/close"),
            &[
                ("closed_on", "2026-03-01"),
                ("reason", "moved"),
                ("changes", "一人で通えるようになった。"),
                ("handover_to", "相談支援センターみなと"),
                ("handover", "計画の写しを渡した。"),
                ("version", "2")
            ],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let closed = app.get(Some(&s), &case_path).await;
    assert!(closed.body.contains("転居") && !closed.body.contains("インテークを編集"));
    // The look back and the retention date (5 years by default) are on the case.
    assert!(
        closed.body.contains("一人で通えるようになった。")
            && closed.body.contains("相談支援センターみなと")
    );
    assert!(
        closed.body.contains("2031年3月1日"),
        "retention: {}",
        closed.body
    );
    assert_eq!(
        app.get(Some(&s), &format!("{case_path}/edit")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
