//! Plans, meetings and consents through the pages; plans, the team and resources through the API.

use crate::common::*;
use axum::http::{Method, StatusCode, header};
use serde_json::json;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

#[tokio::test]
async fn plans_meetings_and_consents_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    let c = app.client;
    let page = app.get(Some(&s), &format!("/plans/{p}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("報酬の算定に必要な手順") && page.body.contains("計画案"));
    assert!(
        app.get(Some(&s), &format!("/cases/{}", app.case_id))
            .await
            .body
            .contains(&format!("/plans/{p}"))
    );
    // A second plan for the same case is refused with the way forward.
    let r = app
        .post(
            &s,
            &format!("/cases/{}/plans", app.case_id),
            &[("drafted_on", "R8.4.1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("計画変更"));
    // Bad input: the typed value stays and the reason is beside it.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "2"),
                ("drafted_on", "令和8年2月30日"),
                ("policy", "本人のペースで"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("令和8年2月30日") && r.body.contains("本人のペースで"));
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/rows"),
            &[
                ("version", "2"),
                ("row_key", ""),
                ("row_need_key", ""),
                ("row_priority", ""),
                ("row_need", "バスで通いたい"),
                ("row_days", "月"),
                ("row_time", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("曜日と時間の両方"));
    // A good save, then a stale one: 409, and what was typed is still on the screen.
    let today = today_jst().to_string();
    let ok = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "1"),
                ("drafted_on", &today),
                ("policy", "一緒に考える"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let stale = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "1"),
                ("drafted_on", &today),
                ("policy", "上書きしたい方針"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("上書きしたい方針") && stale.body.contains("ほかの職員"));
    // The state machine: a draft cannot jump to final.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/state"),
            &[("version", "3"), ("to", "final")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("計画案から本計画へは進めません"));
    // A consent needs the explanation.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/consents"),
            &[
                ("version", "3"),
                ("stage", "draft"),
                ("signed_on", &today),
                ("signer", "青木 明子"),
                ("role", "person"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("説明したうえで"));
    // The team: a provider without consent is refused at the meeting, by name.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/team"),
            &[
                ("kind", "provider"),
                ("name", "ひかり作業所 佐藤"),
                ("organisation", "ひかり作業所"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let team = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(team.body.contains("同意なし"));
    let provider = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let acc = tx
            .client_access(c, RecordKind::CareTeam, Action::Read)
            .await
            .unwrap();
        let id = team::members(&mut tx, &acc)
            .await
            .unwrap()
            .iter()
            .find(|m| m.record.name.contains("佐藤"))
            .unwrap()
            .id;
        tx.rollback().await.unwrap();
        id.to_string()
    };
    let me = app.member_id.to_string();
    let meeting = [
        ("held_on", today.as_str()),
        ("participants", me.as_str()),
        ("participants", provider.as_str()),
        ("attended", me.as_str()),
        ("conclusions", "計画案のとおり"),
        ("held", "yes"),
    ];
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ひかり作業所 佐藤さんには") && r.body.contains("計画案のとおり"));
    // Consent given (replacing the first), then the meeting is recorded and the plan moves on.
    let cid = app.consent_id.to_string();
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/consents"),
            &[
                ("member_ids", provider.as_str()),
                ("sections", "plan"),
                ("purpose", "会議"),
                ("given_on", today.as_str()),
                ("replaces", cid.as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.get(Some(&s), &format!("/plans/{p}"))
            .await
            .body
            .contains("会議済")
    );
    // The replaced consent shows as withdrawn; withdrawing it again is refused.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/consents/{cid}/withdraw"),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("すでに撤回"));
    // Uploads: only with the token, only on the upload route, only on a final plan.
    let up = format!("/plans/{p}/rows/1/file");
    assert_eq!(
        app.upload(&s, &up, false, "a.pdf", b"%PDF-1.4")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.upload(
            &s,
            &format!("/clients/{c}/team"),
            true,
            "a.pdf",
            b"%PDF-1.4"
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app.upload(&s, &up, true, "a.pdf", b"%PDF-1.4").await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    // The week chart is an SVG.
    let svg = app.get(Some(&s), &format!("/plans/{p}/week.svg")).await;
    assert!(
        svg.body.starts_with("<svg")
            && svg.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("image/svg+xml")
    );
}

#[tokio::test]
async fn plans_team_and_resources_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let p = app.plan_id;
    let (st, got) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{p}"), None)
        .await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["plan"]["state"], "draft");
    assert!(got["checklist"].as_array().unwrap().len() == 6);
    // The input round-trips as the PUT body; a stale version is 409; bad input is 422 by field.
    let mut body = got["input"].clone();
    body["version"] = got["plan"]["version"].clone();
    body["policy"] = json!("本人のペースで");
    body["rows"] = json!([{ "need": "バスで通いたい", "service_type": "employment_b", "days": "平日", "time": "9:30-15:30" }]);
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    body["version"] = json!(2);
    body["rows"][0]["time"] = json!("15:30-9:00");
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["rows[0].time"].is_string(), "{b}");
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{p}"), None)
        .await;
    assert_eq!(
        got["plan"]["record"]["rows"][0]["schedule"]["days"],
        json!([0, 1, 2, 3, 4])
    );
    // State: final straight from draft is refused with the reason.
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/plans/{p}/state"),
            Some(json!({"version": 2, "to": "final"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"], "rule");
    // Team, consent, resource.
    let c = app.client;
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/team"),
            Some(json!({"kind": "municipality", "name": "N市 小林"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let cw = b["id"].as_i64().unwrap();
    let (st, b) = app.api(&token, Method::POST, &format!("/api/v1/clients/{c}/consents"), Some(json!({"member_ids": [cw.to_string()], "sections": ["plan"], "purpose": "会議", "given_on": "R8.4.1"}))).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/consents"),
            None,
        )
        .await;
    assert_eq!(list["consents"].as_array().unwrap().len(), 2);
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/resources",
            Some(json!({"category": "informal", "name": "駅前の喫茶店"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    // Another office and the clerk get 404 on the client's records.
    let other = app.token(app.other_admin).await;
    let clerk = app.token(app.clerk).await;
    for t in [&other, &clerk] {
        for path in [
            format!("/api/v1/plans/{p}"),
            format!("/api/v1/clients/{c}/team"),
            format!("/api/v1/clients/{c}/consents"),
            format!("/api/v1/meetings/{}", app.meeting_id),
            format!("/api/v1/cases/{}/plans", app.case_id),
        ] {
            let (st, _) = app.api(t, Method::GET, &path, None).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}");
        }
    }
    let (_, res) = app
        .api(&other, Method::GET, "/api/v1/resources", None)
        .await;
    assert!(res["resources"].as_array().unwrap().is_empty());
}

/// A raw API request with the token (a body of any type).
async fn api_raw(
    app: &App,
    token: &str,
    method: Method,
    path: &str,
    ty: &str,
    body: Vec<u8>,
) -> Resp {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, ty)
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn implementation_files_and_the_week_chart_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    // The monitored case's plan is final: implementation follows it.
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{}/plans", app.monitored_case),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let fp = list["plans"][0]["id"].as_i64().unwrap();
    let (_, plan) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{fp}"), None)
        .await;
    assert_eq!(plan["plan"]["state"], "final");
    assert_eq!(plan["editable"], false);
    let key = plan["plan"]["record"]["rows"][0]["key"].as_u64().unwrap();
    let imp = format!("/api/v1/plans/{fp}/rows/{key}/implementation");
    // A stranger, an unassigned specialist and the clerk get the same 404 as a missing plan.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, b) = app
            .api(
                &t,
                Method::PUT,
                &imp,
                Some(json!({"provider": "ひかり作業所"})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {b}");
        let (st, _) = app
            .api(
                &t,
                Method::GET,
                &format!("/api/v1/plans/{fp}/week.svg"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{fp}/rows/999/implementation"),
            Some(json!({"provider": "ひかり作業所"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "a row the plan does not have");
    // Bad input is 422 by field; a form body is 415.
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &imp,
            Some(json!({"provider": "", "contract_on": "いつか"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["fields"]["provider"].is_string() && b["fields"]["contract_on"].is_string(),
        "{b}"
    );
    let r = api_raw(
        &app,
        &token,
        Method::PUT,
        &imp,
        "application/x-www-form-urlencoded",
        b"provider=x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Before the implementation exists, a file is refused by field.
    let up = format!("/api/v1/plans/{fp}/rows/{key}/file");
    let (ty, body) = multipart(None, "ipp.pdf", b"%PDF-1.4 provider plan");
    let r = api_raw(&app, &token, Method::POST, &up, &ty, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"file\""), "{}", r.body);
    // The first save has no version; then the version is needed and a stale one is 409.
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &imp,
            Some(json!({"provider": "ひかり作業所", "contract_on": "2026-05-01"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["version"], 1);
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &imp,
            Some(json!({"provider": "ひかり作業所"})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "a second first save");
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &imp,
            Some(json!({"version": 1, "provider": "ひかり作業所", "manager": "佐藤"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &imp,
            Some(json!({"version": 1, "provider": "ひかり作業所"})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    // The file: multipart with the token; anything not multipart is 415, bytes that are not a
    // PDF/PNG/JPEG are 422 on `file`; a browser session is refused (token only).
    let r = api_raw(&app, &token, Method::POST, &up, &ty, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let aid = v["id"].as_i64().unwrap();
    let r = api_raw(
        &app,
        &token,
        Method::POST,
        &up,
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    let (ty2, bad) = multipart(None, "x.pdf", b"<script>alert(1)</script>");
    let r = api_raw(&app, &token, Method::POST, &up, &ty2, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"file\""), "{}", r.body);
    let s = app.session(app.spec).await;
    let req = axum::http::Request::post(&up)
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, &ty)
        .body(axum::body::Body::from(body.clone()))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    let t = app.token(app.other_admin).await;
    let r = api_raw(&app, &t, Method::POST, &up, &ty, body.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The download: as stored, as an attachment; a stranger gets 404.
    let dl = format!("/api/v1/attachments/{aid}");
    let r = api_raw(
        &app,
        &token,
        Method::GET,
        &dl,
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(r.body.starts_with("%PDF-1.4"));
    assert!(
        r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, b) = app.api(&t, Method::GET, &dl, None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
        assert_eq!(b["error"], "not_found");
    }
    let (_, plan) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{fp}"), None)
        .await;
    assert_eq!(plan["implementations"][0]["attachment"]["id"], aid);
    // The week chart.
    let r = api_raw(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/plans/{fp}/week.svg"),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("<svg"));
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
}

#[tokio::test]
async fn the_plan_api_documents_typed_bodies() {
    let doc = serde_json::to_value(yorisoi_web::api::openapi()).unwrap();
    let schemas = &doc["components"]["schemas"];
    // The versioned write bodies list their fields (flattened input + version).
    let put =
        &doc["paths"]["/plans/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"];
    assert!(put.is_object(), "{put}");
    let update = schemas["PlanUpdate"].to_string();
    assert!(
        update.contains("version") && update.contains("PlanInput"),
        "{update}"
    );
    let upload = &doc["paths"]["/plans/{id}/rows/{key}/file"]["post"]["requestBody"]["content"];
    assert!(upload["multipart/form-data"].is_object(), "{upload}");
    for (path, method) in [
        ("/plans/{id}/rows/{key}/implementation", "put"),
        ("/plans/{id}/rows/{key}/file", "post"),
        ("/attachments/{id}", "get"),
        ("/plans/{id}/week.svg", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}

#[tokio::test]
async fn the_stores_field_refusals_show_beside_their_fields_on_the_plan_page() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    // A hand-over dated before the draft: the store names the field; what was typed stays.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/handovers"),
            &[
                ("version", "1"),
                ("stage", "draft"),
                ("to", "ひかり作業所 佐藤"),
                ("on", "2020-01-01"),
                ("method", "in_person"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("交付日が計画案作成日より前"), "{}", r.body);
    assert!(r.body.contains("ひかり作業所 佐藤"));
    // A final consent on a draft: beside the stage.
    let today = today_jst().to_string();
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/consents"),
            &[
                ("version", "1"),
                ("stage", "final"),
                ("signed_on", &today),
                ("signer", "青木 明子"),
                ("role", "person"),
                ("explained", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("会議済"), "{}", r.body);
    // A final plan offers no editing, and its editor refuses with the domain's reason.
    let token = app.token(app.spec).await;
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{}/plans", app.monitored_case),
            None,
        )
        .await;
    let fp = list["plans"][0]["id"].as_i64().unwrap();
    let page = app.get(Some(&s), &format!("/plans/{fp}")).await;
    assert!(!page.body.contains(&format!("/plans/{fp}/edit/overview")));
    let r = app
        .get(Some(&s), &format!("/plans/{fp}/edit/overview"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("本計画は変更できません"));
}
#[tokio::test]
async fn meetings_through_the_api() {
    use crate::certificates_cases::api_as_text;
    use axum::http::{Method, StatusCode};
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.spec).await;
    let list = format!("/api/v1/plans/{}/meetings", app.plan_id);
    let (st, l) = app.api(&token, Method::GET, &list, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(l["meetings"][0]["id"], app.meeting_id);
    let path = format!("/api/v1/meetings/{}", app.meeting_id);
    let (st, got) = app.api(&token, Method::GET, &path, None).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    let v = got["meeting"]["version"].as_i64().unwrap();
    let mut edit = got["input"].clone();
    edit["version"] = json!(v);
    edit["conclusions"] = json!("A型の見学に行く");
    let (st, saved) = app
        .api(&token, Method::PUT, &path, Some(edit.clone()))
        .await;
    assert_eq!(
        (st, saved["version"].as_i64()),
        (StatusCode::OK, Some(v + 1)),
        "{saved}"
    );
    let (st, _) = app
        .api(&token, Method::PUT, &path, Some(edit.clone()))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "stale");
    let mut bad = edit.clone();
    bad["version"] = json!(v + 1);
    bad["held_on"] = json!("そのうち");
    let (st, e) = app.api(&token, Method::PUT, &path, Some(bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["fields"]["held_on"].is_string(), "{e}");
    assert_eq!(
        api_as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(
        api_as_text(&app, &token, Method::POST, &list).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, p, body) in [
            (Method::GET, path.clone(), None),
            (Method::GET, list.clone(), None),
            (Method::PUT, path.clone(), Some(edit.clone())),
            (Method::POST, list.clone(), Some(got["input"].clone())),
        ] {
            assert_eq!(
                app.api(&t, m.clone(), &p, body).await.0,
                StatusCode::NOT_FOUND,
                "{who:?} {m} {p}"
            );
        }
    }
}
