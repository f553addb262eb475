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
