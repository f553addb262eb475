//! Monitoring through the pages, and the morning dashboard.

use crate::common::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn monitoring_through_the_pages_and_the_morning_dashboard() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.monitored_case;
    // The case shows the months from the certificate: July done, October overdue.
    let case = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case.body.contains("令和8年7月 <small>実施済み"),
        "{}",
        case.body
    );
    assert!(case.body.contains("令和8年10月 <small>未実施（期限切れ）"));
    // A case without a final plan cannot be monitored yet: said in Japanese, not a 500.
    let r = app
        .get(Some(&s), &format!("/cases/{}/monitorings/new", app.case_id))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("本計画がまだありません"));
    // The form is pre-filled with the plan's goals and the previous report beside them.
    let form = app
        .get(Some(&s), &format!("/cases/{k}/monitorings/new"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("goal_row_key") && form.body.contains("前回"));
    let key = form
        .body
        .split("name=\"goal_row_key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let post = |date: &'static str, outcome: &'static str, reason: &'static str| {
        vec![
            ("monitored_on", date.to_string()),
            ("method", "home_visit".to_string()),
            ("overall", "バスに一人で乗れた".to_string()),
            ("goal_row_key", key.clone()),
            ("goal_need", String::new()),
            ("goal_goal", String::new()),
            ("goal_provision", "週4日通所".to_string()),
            ("goal_person_view", "「楽しい」".to_string()),
            ("goal_satisfaction", "high".to_string()),
            ("goal_achievement", "partly".to_string()),
            ("goal_issues", String::new()),
            ("goal_note", String::new()),
            ("change_amount", key.clone()),
            ("outcome", outcome.to_string()),
            ("reassess_reasons", reason.to_string()),
        ]
    };
    let send = async |path: &str, v: &Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (*a, b.as_str())).collect();
        app.post(&s, path, &pairs, true).await
    };
    // Rejected input keeps what was typed.
    let bad = send(
        &format!("/cases/{k}/monitorings"),
        &post("2099-01-01", "reassess", ""),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("実施日が未来") && bad.body.contains("再アセスメントの理由"));
    assert!(bad.body.contains("バスに一人で乗れた") && bad.body.contains("「楽しい」"));
    // 再アセスメント opens the next assessment version, linked from the report.
    let ok = send(
        &format!("/cases/{k}/monitorings"),
        &post("令和8年10月20日", "reassess", "needs_changed"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = app.get(Some(&s), &to).await;
    assert!(page.body.contains("再アセスメントの新しい版を作りました"));
    assert!(page.body.contains("新しいアセスメントの版"));
    assert!(
        page.body.contains("計画変更を始める"),
        "a change of amount was ticked"
    );
    let id = to
        .trim_start_matches("/monitorings/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // A stale edit is refused with the input kept.
    let mut stale = post("2026-10-21", "continue", "");
    stale.push(("version", "0".into()));
    stale[2].1 = "古い版からの入力".into();
    let r = send(&format!("/monitorings/{id}"), &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("古い版からの入力"));
    // Every month of the certificate is now done or to come: nothing overdue on the dashboard;
    // a visit in August would have been flagged on the case.
    let home = app.get(Some(&s), "/").await;
    assert!(
        home.body
            .contains("期限を過ぎたモニタリング<span class=\"count\">0件"),
        "{}",
        home.body
    );
    // The lead's office view counts per staff member and narrows to one.
    let l = app.session(app.lead).await;
    let office = app.get(Some(&l), "/").await;
    assert!(office.body.contains("職員ごとの状況"));
    let one = app
        .get(Some(&l), &format!("/?staff={}", app.spec.user_id))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains("さんの担当"));
    // Nonsense in the filter is ignored, not an error.
    let odd = app.get(Some(&l), "/?staff=%27%3B").await;
    assert_eq!(odd.status, StatusCode::OK);
    // The clerk's home shows no case content.
    let c = app.session(app.clerk).await;
    let home = app.get(Some(&c), "/").await;
    assert!(!home.body.contains("今月のモニタリング"));
}

#[tokio::test]
async fn monitorings_through_the_api() {
    use crate::certificates_cases::api_as_text;
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.spec).await;
    let k = app.monitored_case;
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{k}/monitorings"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["items"][0]["id"], app.monitoring_id);
    let path = format!("/api/v1/monitorings/{}", app.monitoring_id);
    let (st, got) = app.api(&token, Method::GET, &path, None).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    let v = got["monitoring"]["version"].as_i64().unwrap();
    let mut edit = got["input"].clone();
    edit["version"] = json!(v);
    edit["overall"] = json!("作業所に毎日通えている");
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
    bad["monitored_on"] = json!("2099-01-01");
    let (st, e) = app.api(&token, Method::PUT, &path, Some(bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["fields"]["monitored_on"].is_string(), "{e}");
    assert_eq!(
        api_as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // A new report with the same validation; a case without a final plan is refused.
    let create = format!("/api/v1/cases/{k}/monitorings");
    let (st, made) = app
        .api(&token, Method::POST, &create, Some(got["input"].clone()))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let (st, e) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{}/monitorings", app.case_id),
            Some(got["input"].clone()),
        )
        .await;
    assert_eq!(
        (st, e["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rule"))
    );
    assert_eq!(
        api_as_text(&app, &token, Method::POST, &create).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, p, body) in [
            (Method::GET, path.clone(), None),
            (Method::GET, create.clone(), None),
            (Method::PUT, path.clone(), Some(edit.clone())),
            (Method::POST, create.clone(), Some(got["input"].clone())),
        ] {
            assert_eq!(
                app.api(&t, m.clone(), &p, body).await.0,
                StatusCode::NOT_FOUND,
                "{who:?} {m} {p}"
            );
        }
    }
}
