//! 本人開示: the admin answers a request with every record about the person, as one PDF with a
//! table of contents and as JSON, made in the background and logged as a disclosure; nobody else
//! can make one or fetch it.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

async fn finished(app: &App, s: &Sess, job: &str) -> Resp {
    let mut page = app.get(Some(s), job).await;
    for _ in 0..400 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(s), job).await;
    }
    page
}

#[tokio::test]
async fn the_admin_gives_the_person_their_whole_file_as_pdf_and_json() {
    let app = app().await;
    let c = app.client;
    let form = format!("/clients/{c}/person-file");
    let s = app.session(app.admin).await;
    let page = app.get(Some(&s), &format!("/clients/{c}")).await;
    assert!(
        page.body.contains(&format!("href=\"{form}\"")),
        "the link shows for the admin"
    );
    let get = app.get(Some(&s), &form).await;
    assert_eq!(get.status, StatusCode::OK);
    assert!(get.body.contains("本人開示") && get.body.contains("青木 明子"));

    // A refused request says what to fix and keeps what was typed.
    let bad = app
        .post(
            &s,
            &form,
            &[
                ("requested_on", "あした"),
                ("recipient", "agent"),
                ("agent", ""),
                ("method", "paper"),
                ("note", "運転免許証で本人確認"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("請求を受けた日を入力してください"),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains("代理人の氏名と、ご本人との関係を入力してください")
    );
    assert!(bad.body.contains("運転免許証で本人確認") && bad.body.contains("あした"));

    let started = app
        .post(
            &s,
            &form,
            &[
                ("requested_on", "R8.11.20"),
                ("recipient", "person"),
                ("method", "paper"),
                ("note", "運転免許証で本人確認"),
            ],
            true,
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let job = location(&started);
    let done = finished(&app, &s, &job).await;
    assert!(done.body.contains("JSONをダウンロード"), "{}", done.body);

    let pdf = app.get(Some(&s), &format!("{job}/pdf")).await;
    assert!(is_pdf(&pdf));
    let (_, bytes) = app.get_bytes(&s, &format!("{job}/pdf")).await;
    let pages = pdf_pages(&bytes);
    let all = pages.join("\n");
    assert!(
        pages[0].contains("保有個人データの開示") && pages[0].contains("目次"),
        "{}",
        pages[0]
    );
    for part in [
        "利用者台帳",
        "受給者証",
        "インテーク記録",
        "アセスメントシート",
        "支援経過記録",
        "操作記録",
    ] {
        assert!(
            pages[0].contains(part),
            "{part} in the contents: {}",
            pages[0]
        );
    }
    assert!(all.contains("服薬の飲み忘れ"), "the notes' own words");
    let cover: String = pages[0].chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        cover.contains("11月20日"),
        "the request's date on the cover: {cover}"
    );

    let (st, raw) = app.get_bytes(&s, &format!("{job}/json")).await;
    assert_eq!(st, StatusCode::OK);
    let j: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(j["format"], "yorisoi.person-file/1");
    assert_eq!(j["client"]["id"], c);
    assert_eq!(j["request"]["requested_on"], "2026-11-20");
    assert!(!j["cases"].as_array().unwrap().is_empty(), "{j}");
    assert!(!j["cases"][0]["assessments"].as_array().unwrap().is_empty());
    assert!(j["case_notes"].as_array().unwrap().iter().any(|n| {
        n["record"]["content"]
            .as_str()
            .unwrap_or("")
            .contains("飲み忘れ")
    }));
    assert!(!j["audit_events"].as_array().unwrap().is_empty());

    // Logged as a disclosure: the client's 共有・開示の記録 lists it.
    let log = app
        .get(Some(&s), &format!("/clients/{c}/disclosures"))
        .await;
    assert!(
        log.body.contains("本人開示") && log.body.contains("運転免許証で本人確認"),
        "{}",
        log.body
    );

    // Nobody else sees the job.
    let lead = app.session(app.lead).await;
    assert_eq!(
        app.get(Some(&lead), &format!("{job}/json")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&lead), &format!("{job}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_the_admin_may_make_a_person_file_and_other_offices_see_nothing() {
    let app = app().await;
    let c = app.client;
    let form = format!("/clients/{c}/person-file");
    let body = [
        ("requested_on", "2026-11-20"),
        ("recipient", "person"),
        ("method", "paper"),
    ];
    // The assigned specialist and the lead see the client but are told who can do it.
    for who in [app.spec, app.lead] {
        let s = app.session(who).await;
        let page = app.get(Some(&s), &format!("/clients/{c}")).await;
        assert!(
            !page.body.contains(&format!("href=\"{form}\"")),
            "no link for {who:?}"
        );
        let r = app.get(Some(&s), &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who:?}");
        assert!(r.body.contains("管理者に頼んでください"), "{}", r.body);
        let r = app.post(&s, &form, &body, true).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    // Another office's admin, an unassigned specialist and the clerk: not found.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let s = app.session(who).await;
        for r in [
            app.get(Some(&s), &form).await,
            app.post(&s, &form, &body, true).await,
        ] {
            assert!(
                matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{who:?} {}",
                r.status
            );
            assert!(!r.body.contains("青木"), "nothing of the client leaks");
        }
    }
    assert!(
        !app.audit_actions()
            .await
            .contains(&"disclose_person".to_string()),
        "nothing was disclosed"
    );
}

#[tokio::test]
async fn the_api_starts_a_person_file_and_gives_its_json() {
    let app = app().await;
    let c = app.client;
    let path = format!("/api/v1/clients/{c}/person-file");
    let token = app.token(app.admin).await;
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &path,
            Some(json!({"requested_on": "来週", "recipient": "someone", "method": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    for f in ["requested_on", "recipient", "method"] {
        assert!(b["fields"][f].is_string(), "{f}: {b}");
    }
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &path,
            Some(
                json!({"requested_on": "令和8年11月20日", "recipient": "agent",
                "agent": "青木 一郎（父）", "method": "electronic"}),
            ),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let status = format!("/api/v1/documents/batch/{id}");
    let mut s = json!({});
    for _ in 0..400 {
        let (_, b) = app.api(&token, Method::GET, &status, None).await;
        s = b;
        if s["phase"] == "done" || s["phase"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(s["phase"], "done", "{s}");
    assert_eq!(s["json_ready"], true);
    let (st, j) = app
        .api(&token, Method::GET, &format!("{status}/json"), None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(j["request"]["recipient"], "代理人 青木 一郎（父）");
    // Another role, another office: refused, nothing started.
    for (who, want) in [
        (app.spec, StatusCode::FORBIDDEN),
        (app.other_admin, StatusCode::NOT_FOUND),
    ] {
        let t = app.token(who).await;
        let (st, _) = app
            .api(
                &t,
                Method::POST,
                &path,
                Some(
                    json!({"requested_on": "2026-11-20", "recipient": "person", "method": "paper"}),
                ),
            )
            .await;
        assert_eq!(st, want, "{who:?}");
        let (st, _) = app
            .api(&t, Method::GET, &format!("{status}/json"), None)
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
}
