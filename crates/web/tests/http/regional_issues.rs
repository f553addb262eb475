//! 地域課題: raised from a meeting's step 4 and a monitoring's 今後の課題, listed with the
//! counts, edited (a stale save refused, the typed text kept), released only by a lead and only
//! once the text names nobody in the ledger; the API twins.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use yorisoi_domain::meeting::MeetingInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

/// Writes a 「現状ではできないこと」 line into the fixture's meeting.
async fn cannot_do(app: &App, line: &str) {
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::Meeting, Action::Write)
        .await
        .unwrap();
    let m = meetings::get(&mut tx, &acc, app.meeting_id).await.unwrap();
    let mut input = MeetingInput::from_record(&m.record);
    input.cannot_do = line.into();
    let rec = meetings::validate(&tx, &acc, m.plan_id, &input, today_jst())
        .await
        .unwrap()
        .unwrap();
    meetings::update(&mut tx, &acc, app.meeting_id, m.version, &rec)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn id_of(r: &Resp) -> i64 {
    let to = location(r);
    to.trim_start_matches("/issues/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("redirect to {to}"))
}

#[tokio::test]
async fn an_issue_is_raised_from_a_meeting_warned_about_and_released_by_the_lead() {
    let app = app().await;
    cannot_do(&app, "休日に使える移動支援の空きがない").await;
    let s = app.session(app.spec).await;
    // The meeting's step 4 offers the way in; the menu has the entry.
    let page = app
        .get(Some(&s), &format!("/meetings/{}", app.meeting_id))
        .await;
    let link = format!("/issues/new?source=meeting&amp;id={}", app.meeting_id);
    assert!(page.body.contains(&link), "{}", page.body);
    assert!(page.body.contains("地域課題として記録"));
    assert!(page.body.contains("href=\"/issues\""));
    // The form comes prefilled from the line, the case linked.
    let new = app
        .get(
            Some(&s),
            &format!("/issues/new?source=meeting&id={}", app.meeting_id),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(new.body.contains("休日に使える移動支援の空きがない"));
    assert_eq!(hidden(&new.body, "case_id"), app.case_id.to_string());
    assert_eq!(hidden(&new.body, "source"), "meeting");
    assert_eq!(hidden(&new.body, "source_ref"), app.meeting_id.to_string());
    // A form without a category is refused, what was typed kept.
    let case = app.case_id.to_string();
    let meeting = app.meeting_id.to_string();
    let mut fields = vec![
        ("title", "休日の移動支援が足りない"),
        (
            "need",
            "青木 明子さんは休日に一人で出かけたいが、移動支援の空きがない。",
        ),
        ("resource", "休日に使える移動支援"),
        ("area", "北部圏域"),
        ("status", "raised"),
        ("source", "meeting"),
        ("source_ref", &meeting),
        ("raised_on", "R8.11.20"),
        ("case_id", &case),
    ];
    let bad = app.post(&s, "/issues", &fields, true).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("入力に1件の問題があります"));
    assert!(bad.body.contains("分類：一覧から選んでください。"));
    assert!(bad.body.contains("休日の移動支援が足りない"));
    // Saved with the name in it: a warning on the page, not a refusal.
    fields.push(("category", "mobility"));
    let r = app.post(&s, "/issues", &fields, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_of(&r);
    let shown = app.get(Some(&s), &location(&r)).await;
    assert!(shown.body.contains("地域課題を記録しました。"));
    assert!(
        shown.body.contains(
            "「満たされていないニーズ」に利用者台帳にある氏名（青木明子）が含まれています"
        )
    );
    assert!(shown.body.contains("関係する人 1人"));
    // The case is linked for its specialist; a colleague not assigned to it is told it exists,
    // not given its link.
    let case_link = format!("<a href=\"/cases/{}\">", app.case_id);
    assert!(shown.body.contains(&case_link));
    let colleague = app.session(app.spec2).await;
    let theirs = app.get(Some(&colleague), &location(&r)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(&case_link));
    assert!(theirs.body.contains("ほかに担当外のケース 1件"));
    assert!(
        shown
            .body
            .contains("公開は主任相談支援専門員・管理者が行います。")
    );
    assert!(!shown.body.contains("協議会へ公開する</button>"));
    // The list: the count table, the people, the filters.
    let list = app.get(Some(&s), "/issues").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("休日の移動支援が足りない") && list.body.contains("1人"));
    assert!(list.body.contains("<th scope=\"row\">移動・交通</th>"));
    let none = app.get(Some(&s), "/issues?category=medical").await;
    assert!(!none.body.contains("休日の移動支援が足りない"));
    let words = app
        .get(
            Some(&s),
            "/issues?q=%E7%A7%BB%E5%8B%95&status=raised&sort=people",
        )
        .await;
    assert!(words.body.contains("休日の移動支援が足りない"));
    // The specialist cannot release.
    let v = hidden(&shown.body, "version");
    let r = app
        .post(
            &s,
            &format!("/issues/{id}/release"),
            &[("version", &v)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The lead is refused while the name stands, with the finding in Japanese.
    let l = app.session(app.lead).await;
    let r = app
        .post(
            &l,
            &format!("/issues/{id}/release"),
            &[("version", &v)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("公開できません。"));
    assert!(r.body.contains("氏名（青木明子）"));
    // The text edited; a save from the old version is refused and keeps what was typed.
    let mut edit: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| *k != "case_id" && *k != "need")
        .copied()
        .collect();
    edit.push((
        "need",
        "40代の女性。休日に一人で出かけたいが、移動支援の空きがない。",
    ));
    edit.push(("version", &v));
    let r = app.post(&l, &format!("/issues/{id}"), &edit, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut stale = edit.clone();
    stale.retain(|(k, _)| *k != "title");
    stale.push(("title", "古い画面からの保存"));
    let r = app.post(&l, &format!("/issues/{id}"), &stale, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("古い画面からの保存") && r.body.contains("最新の内容に上書き"));
    let page = app.get(Some(&l), &format!("/issues/{id}")).await;
    assert!(
        !page
            .body
            .contains("個人が特定されるおそれのある言葉が見つかりました")
    );
    let v = hidden(&page.body, "version");
    let r = app
        .post(
            &l,
            &format!("/issues/{id}/release"),
            &[("version", &v)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&l), &location(&r)).await;
    assert!(page.body.contains("協議会へ公開しました。") && page.body.contains("公開済み"));
    // Another office's admin sees nothing of it.
    let o = app.session(app.other_admin).await;
    assert_eq!(
        app.get(Some(&o), &format!("/issues/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = app.get(Some(&o), "/issues").await;
    assert!(!theirs.body.contains("休日の移動支援が足りない"));
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|a| a == "release"));
}

#[tokio::test]
async fn an_issue_is_raised_from_a_monitorings_next_steps() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let page = app
        .get(Some(&s), &format!("/monitorings/{}", app.monitoring_id))
        .await;
    assert!(page.body.contains(&format!(
        "/issues/new?source=monitoring&amp;id={}&amp;goal=0",
        app.monitoring_id
    )));
    let new = app
        .get(
            Some(&s),
            &format!(
                "/issues/new?source=monitoring&id={}&goal=0",
                app.monitoring_id
            ),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(hidden(&new.body, "case_id"), app.monitored_case.to_string());
    assert_eq!(hidden(&new.body, "source"), "monitoring");
    // A record the user may not read is not a way in.
    let s2 = app.session(app.spec2).await;
    let r = app
        .get(
            Some(&s2),
            &format!("/issues/new?source=monitoring&id={}", app.monitoring_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get(Some(&s), "/issues/new?source=rumour&id=1").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // By hand, without a case.
    let r = app.get(Some(&s), "/issues/new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("手入力"));
}

#[tokio::test]
async fn the_api_twins_raise_read_edit_and_release() {
    let app = app().await;
    let spec = app.token(app.spec).await;
    let lead = app.token(app.lead).await;
    let (st, body) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/issues",
            Some(json!({
                "title": "夜間の見守り",
                "category": "welfare",
                "need": "連絡は 03-1234-5678 へ。夜間に不安が強い。",
                "raised_on": "2026-11-20",
                "case_id": app.case_id,
            })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["findings"][0]["kind"], "phone_like");
    let (st, bad) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/issues",
            Some(json!({"title": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["fields"]["category"].is_string(), "{bad}");
    let (st, list) = app
        .api(&spec, Method::GET, "/api/v1/issues?status=raised", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["issues"][0]["people"], 1);
    assert_eq!(list["counts"][0]["category"], "welfare");
    let (st, _) = app
        .api(&spec, Method::GET, "/api/v1/issues?category=nope", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, got) = app
        .api(&spec, Method::GET, &format!("/api/v1/issues/{id}"), None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["people"]["total"], 1);
    assert_eq!(got["issue"]["case_ids"][0], app.case_id);
    let version = got["issue"]["version"].as_i64().unwrap();
    // A specialist cannot release; the lead is refused while the number stands.
    let (st, _) = app
        .api(
            &spec,
            Method::POST,
            &format!("/api/v1/issues/{id}/release"),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, refused) = app
        .api(
            &lead,
            Method::POST,
            &format!("/api/v1/issues/{id}/release"),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["fields"]["need"]
            .as_str()
            .unwrap()
            .contains("電話番号のような数字"),
        "{refused}"
    );
    let mut input = got["input"].clone();
    input["need"] = json!("夜間に不安が強い。");
    input["version"] = json!(version);
    let (st, saved) = app
        .api(
            &spec,
            Method::PUT,
            &format!("/api/v1/issues/{id}"),
            Some(input.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert!(saved["findings"].as_array().unwrap().is_empty());
    let (st, _) = app
        .api(
            &spec,
            Method::PUT,
            &format!("/api/v1/issues/{id}"),
            Some(input),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, released) = app
        .api(
            &lead,
            Method::POST,
            &format!("/api/v1/issues/{id}/release"),
            Some(json!({"version": saved["version"]})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{released}");
    // The 事務 and another office get 404.
    let clerk = app.token(app.clerk).await;
    let other = app.token(app.other_admin).await;
    for t in [&clerk, &other] {
        let (st, _) = app
            .api(t, Method::GET, &format!("/api/v1/issues/{id}"), None)
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
    let (st, _) = app.api(&clerk, Method::GET, "/api/v1/issues", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_issue_is_raised_from_a_decisions_realisation_with_its_case() {
    let app = app().await;
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = decisions::access(&mut tx, app.decision_id, Action::Write)
        .await
        .unwrap();
    let d = decisions::get(&mut tx, &acc, app.decision_id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let s = app.session(app.spec).await;
    let page = app
        .get(Some(&s), &format!("/decisions/{}", app.decision_id))
        .await;
    let link = format!("/issues/new?source=decision&amp;id={}", app.decision_id);
    assert_eq!(
        page.body.contains(&link),
        !d.record.realisation.is_empty(),
        "the link stands under 意思実現 when it is written"
    );
    let new = app
        .get(
            Some(&s),
            &format!("/issues/new?source=decision&id={}", app.decision_id),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(hidden(&new.body, "source"), "decision");
    assert_eq!(hidden(&new.body, "case_id"), d.case_id.to_string());
    assert!(
        new.body
            .contains(&format!("href=\"/decisions/{}\"", app.decision_id))
    );
    let r = app
        .post(
            &s,
            "/issues",
            &[
                ("title", "体験利用できる場が足りない"),
                ("category", "welfare"),
                ("need", "グループホームを体験できる場が地区に少ない。"),
                ("status", "raised"),
                ("source", "decision"),
                ("source_ref", &app.decision_id.to_string()),
                ("case_id", &d.case_id.to_string()),
                ("raised_on", "R8.11.20"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Another office's decision (or none) is not a source: the same 404.
    let o = app.session(app.other_admin).await;
    let r = app
        .get(
            Some(&o),
            &format!("/issues/new?source=decision&id={}", app.decision_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
