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
            && hist.body.contains("令和9年4月")
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
            &[("to", "monitoring"), ("version", "1"), ("reason", "試し")],
            true,
        )
        .await;
    assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(skip.body.contains("へは進めません"));
    // A stage changed by hand needs its reason (the records move the case on their own).
    let no_reason = app
        .post(
            &s,
            &format!("{case_path}/stage"),
            &[("to", "assessment"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.body.contains("理由を入力してください"),
        "{}",
        no_reason.body
    );
    assert_eq!(
        app.post(
            &s,
            &format!("{case_path}/stage"),
            &[
                ("to", "assessment"),
                ("version", "1"),
                ("reason", "電話で聞き取りを始めた")
            ],
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
        closed.body.contains("令和13年3月1日"),
        "retention: {}",
        closed.body
    );
    assert_eq!(
        app.get(Some(&s), &format!("{case_path}/edit")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// A JSON write with a bearer token but the wrong content type.
pub(crate) async fn api_as_text(
    app: &App,
    token: &str,
    method: axum::http::Method,
    path: &str,
) -> StatusCode {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    app.send(req).await.status
}

#[tokio::test]
async fn cases_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let intake = json!({"intake_date": "2026-01-05", "referral_source": "person",
        "chief_complaint": "「働きたい」", "consent_to_support": "yes", "urgency": "low",
        "title": "APIのケース"});
    let (st, made) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/cases"),
            Some(intake.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let k = made["id"].as_i64().unwrap();
    let (st, got) = app
        .api(&token, Method::GET, &format!("/api/v1/cases/{k}"), None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["input"]["chief_complaint"], "「働きたい」");
    let iv = got["intake"]["version"].as_i64().unwrap();
    let cv = got["case"]["version"].as_i64().unwrap();
    // The intake edit: saved with its version, refused when stale or wrong.
    let mut edit = intake.clone();
    edit["version"] = json!(iv);
    edit["situation"] = json!("一人暮らし");
    let path = format!("/api/v1/cases/{k}");
    let (st, saved) = app
        .api(&token, Method::PUT, &path, Some(edit.clone()))
        .await;
    assert_eq!(
        (st, saved["version"].as_i64()),
        (StatusCode::OK, Some(iv + 1))
    );
    let (st, _) = app
        .api(&token, Method::PUT, &path, Some(edit.clone()))
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let mut bad = edit.clone();
    bad["version"] = json!(iv + 1);
    bad["intake_date"] = json!("いつか");
    let (st, e) = app.api(&token, Method::PUT, &path, Some(bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["fields"]["intake_date"].is_string(), "{e}");
    assert_eq!(
        api_as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // The stage: the cycle's rule as on the page.
    let stage = format!("/api/v1/cases/{k}/stage");
    let (st, e) = app
        .api(
            &token,
            Method::POST,
            &stage,
            Some(json!({"version": cv, "to": "monitoring", "reason": "試し"})),
        )
        .await;
    assert_eq!(
        (st, e["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rule"))
    );
    let (st, e) = app
        .api(
            &token,
            Method::POST,
            &stage,
            Some(json!({"version": cv, "to": "someday", "reason": "試し"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["fields"]["to"].is_string(), "{e}");
    let (st, moved) = app
        .api(
            &token,
            Method::POST,
            &stage,
            Some(json!({"version": cv, "to": "assessment", "reason": "例外"})),
        )
        .await;
    assert_eq!(
        (st, moved["stage"].as_str()),
        (StatusCode::OK, Some("assessment")),
        "{moved}"
    );
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &stage,
            Some(json!({"version": cv, "to": "planning", "reason": "例外"})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "stale");
    assert_eq!(
        api_as_text(&app, &token, Method::POST, &stage).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Another office, an unassigned specialist and the clerk: the same 404 as a missing case.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, p, body) in [
            (Method::GET, path.clone(), None),
            (Method::PUT, path.clone(), Some(edit.clone())),
            (
                Method::POST,
                stage.clone(),
                Some(json!({"version": cv + 1, "to": "planning", "reason": "例外"})),
            ),
        ] {
            assert_eq!(
                app.api(&t, m.clone(), &p, body).await.0,
                StatusCode::NOT_FOUND,
                "{who:?} {m} {p}"
            );
        }
    }
    let (st, _) = app
        .api(&token, Method::GET, "/api/v1/cases/999999", None)
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[test]
fn the_versioned_write_bodies_list_their_fields() {
    let doc = serde_json::to_value(yorisoi_web::api::openapi()).unwrap();
    for name in [
        "IntakeUpdate",
        "StageMove",
        "CaseClose",
        "MonitoringUpdate",
        "MeetingUpdate",
    ] {
        let s = doc["components"]["schemas"][name].to_string();
        assert!(s.contains("\"version\""), "{name}: {s}");
        assert!(
            s.contains("$ref") || s.contains("\"to\""),
            "{name} carries its input: {s}"
        );
    }
}
