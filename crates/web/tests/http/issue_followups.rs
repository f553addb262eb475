//! Issue 20's office-side follow-ups over HTTP: merging a duplicate (both versions checked),
//! linking a resolved issue to its new 社会資源, case vignettes (written from a case, released by
//! the lead once de-identified), the 加算's records (three parties, kept five years), the
//! dashboard's waiting counts, and their API twins.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use yorisoi_domain::region::RegionalIssueInput;
use yorisoi_store::*;

/// Raises an issue from the fixture's case as the specialist; returns its id.
pub(crate) async fn raise(app: &App, title: &str) -> i64 {
    let r = RegionalIssueInput {
        title: title.into(),
        category: "welfare".into(),
        need: "40代の女性。夜間に不安が強くなっても相談できる先がない。".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let id = regional_issues::add(&mut tx, &r, Some(app.case_id))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    id
}

fn id_after(r: &Resp, prefix: &str) -> i64 {
    let to = location(r);
    to.trim_start_matches(prefix)
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("redirect to {to}"))
}

#[tokio::test]
async fn a_duplicate_is_merged_on_its_screen_and_kept_closed() {
    let app = app().await;
    let keep = raise(&app, "夜間に相談できる場所がない").await;
    let dup = raise(&app, "夜間の相談窓口が足りない").await;
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), &format!("/issues/{keep}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/issues/{keep}/merge\""))
    );
    let choose = app.get(Some(&s), &format!("/issues/{keep}/merge")).await;
    assert_eq!(choose.status, StatusCode::OK);
    assert!(choose.body.contains("夜間の相談窓口が足りない"));
    let confirm = app
        .get(Some(&s), &format!("/issues/{keep}/merge?other={dup}"))
        .await;
    assert!(
        confirm
            .body
            .contains(&format!("#{dup} を #{keep} にまとめる"))
    );
    assert_eq!(hidden(&confirm.body, "other_version"), "1");
    // A stale version of either is 409, and nothing changes.
    let other = dup.to_string();
    for (v, ov) in [("2", "1"), ("1", "2")] {
        let r = app
            .post(
                &s,
                &format!("/issues/{keep}/merge"),
                &[("version", v), ("other", &other), ("other_version", ov)],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{v} {ov}");
        assert!(r.body.contains("まだまとめていません"));
    }
    let list = app.get(Some(&s), "/issues").await;
    assert!(list.body.contains("夜間の相談窓口が足りない"));
    let r = app
        .post(
            &s,
            &format!("/issues/{keep}/merge"),
            &[("version", "1"), ("other", &other), ("other_version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = app.get(Some(&s), &location(&r)).await;
    assert!(shown.body.contains("重複をまとめました。"));
    assert!(
        shown
            .body
            .contains(&format!("href=\"/issues/{dup}\">#{dup}"))
    );
    // The duplicate says where it went, and can no longer be edited or released.
    let gone = app.get(Some(&s), &format!("/issues/{dup}")).await;
    assert!(gone.body.contains(&format!(
        "この地域課題は <a href=\"/issues/{keep}\">#{keep} 夜間に相談できる場所がない</a> にまとめました。"
    )));
    assert!(gone.body.contains("<fieldset class=\"plain\" disabled>"));
    assert!(!gone.body.contains("協議会へ公開する"));
    let edit = app
        .post(
            &s,
            &format!("/issues/{dup}"),
            &[
                ("version", "2"),
                ("title", "書き換え"),
                ("category", "welfare"),
                ("need", "x"),
                ("raised_on", "R8.11.20"),
            ],
            true,
        )
        .await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(edit.body.contains(&format!("#{keep} にまとめたため")));
    assert!(edit.body.contains("書き換え"), "what was typed is kept");
    let lead = app.session(app.lead).await;
    let rel = app
        .post(
            &lead,
            &format!("/issues/{dup}/release"),
            &[("version", "2")],
            true,
        )
        .await;
    assert_eq!(rel.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Hidden from the list unless asked for.
    let list = app.get(Some(&s), "/issues").await;
    assert!(!list.body.contains("夜間の相談窓口が足りない"));
    let all = app.get(Some(&s), "/issues?merged=yes").await;
    assert!(all.body.contains("夜間の相談窓口が足りない") && all.body.contains("統合済み"));
    assert!(app.audit_actions().await.iter().any(|a| a == "merge"));

    // The API twin: a stale version is 409; another merge goes through.
    let third = raise(&app, "夜間の電話相談がない").await;
    let token = app.token(app.spec).await;
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/issues/{keep}/merge"),
            Some(json!({"version": 1, "other": third, "other_version": 1})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, body) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/issues/{keep}/merge"),
            Some(json!({"version": 2, "other": third, "other_version": 1})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 3);
    let (_, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/issues/{third}"),
            None,
        )
        .await;
    assert_eq!(got["followup"]["merged_into"]["id"], keep);
    let (_, listed) = app
        .api(&token, Method::GET, "/api/v1/issues?merged=yes", None)
        .await;
    assert_eq!(listed["total"], 3);
}

#[tokio::test]
async fn a_resolved_issue_links_the_resource_it_led_to() {
    let app = app().await;
    let id = raise(&app, "日中の居場所がない").await;
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            "/resources",
            &[("category", "informal"), ("name", "居場所カフェこもれび")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut tx = app.store.read(app.spec).await.unwrap();
    let rid = resources::list(&mut tx, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.record.name == "居場所カフェこもれび")
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    let page = app.get(Some(&s), &format!("/issues/{id}")).await;
    assert!(page.body.contains("解決につながった社会資源"));
    assert!(page.body.contains("居場所カフェこもれび"));
    let rid_s = rid.to_string();
    let fields = |status: &'static str, v: &'static str| {
        vec![
            ("version", v),
            ("title", "日中の居場所がない"),
            ("category", "welfare"),
            ("need", "作業所が休みの日に過ごす場所がない。"),
            ("raised_on", "R8.11.20"),
            ("status", status),
        ]
    };
    let mut f = fields("council", "1");
    f.push(("resource_id", &rid_s));
    let refused = app.post(&s, &format!("/issues/{id}"), &f, true).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("先に状況を「解決」にしてください。"));
    assert!(
        refused
            .body
            .contains("作業所が休みの日に過ごす場所がない。")
    );
    assert_eq!(
        crate::common::hidden(&refused.body, "version"),
        "1",
        "nothing was saved"
    );
    let mut f = fields("resolved", "1");
    f.push(("resource_id", &rid_s));
    let ok = app.post(&s, &format!("/issues/{id}"), &f, true).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = app.get(Some(&s), &format!("/issues/{id}")).await;
    assert!(page.body.contains(&format!(
        "<a href=\"/resources/{rid}\">居場所カフェこもれび</a>"
    )));
    let res = app.get(Some(&s), &format!("/resources/{rid}")).await;
    assert!(res.body.contains("この資源で解決した地域課題"));
    assert!(
        res.body
            .contains(&format!("href=\"/issues/{id}\">#{id} 日中の居場所がない"))
    );
    // The 事務 keeps the directory but is not shown the issues.
    let clerk = app.session(app.clerk).await;
    let res = app.get(Some(&clerk), &format!("/resources/{rid}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("日中の居場所がない"));
    // The API field: refused unless resolved; read back in the issue's follow-ups.
    let token = app.token(app.spec).await;
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/issues/{id}"), None)
        .await;
    assert_eq!(got["followup"]["resource"]["id"], rid);
    let mut input = got["input"].clone();
    input["version"] = got["issue"]["version"].clone();
    input["status"] = json!("continuing");
    input["resource_id"] = json!(rid);
    let (st, body) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/issues/{id}"),
            Some(input.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["fields"]["resource_id"]
            .as_str()
            .unwrap()
            .contains("解決")
    );
    input["status"] = json!("resolved");
    let (st, body) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/issues/{id}"),
            Some(input),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_vignette_is_written_from_a_case_and_released_once_it_names_nobody() {
    let app = app().await;
    let issue = raise(&app, "夜間に相談できる場所がない").await;
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), &format!("/issues/{issue}")).await;
    let new = format!(
        "/issues/vignettes/new?case={}&amp;issue={issue}",
        app.case_id
    );
    assert!(page.body.contains(&new) && page.body.contains("個別事例報告を書く"));
    let form = app
        .get(
            Some(&s),
            &format!("/issues/vignettes/new?case={}&issue={issue}", app.case_id),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(hidden(&form.body, "case_id"), app.case_id.to_string());
    let case = app.case_id.to_string();
    let issue_s = issue.to_string();
    // Refused without a title; what was typed is kept.
    let bad = app
        .post(
            &s,
            "/issues/vignettes",
            &[
                ("case_id", &case),
                ("issue_id", &issue_s),
                ("body", "青木明子さんは夜間に不安が強い。"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("表題：入力してください。"));
    assert!(bad.body.contains("青木明子さんは夜間に不安が強い。"));
    // Saved with the name: a warning, not a refusal.
    let r = app
        .post(
            &s,
            "/issues/vignettes",
            &[
                ("case_id", &case),
                ("issue_id", &issue_s),
                ("title", "夜間の不安の事例"),
                ("body", "青木明子さんは夜間に不安が強い。"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_after(&r, "/issues/vignettes/");
    let shown = app.get(Some(&s), &location(&r)).await;
    assert!(shown.body.contains("個別事例報告を記録しました。"));
    assert!(
        shown
            .body
            .contains("「支援の経過と課題」に利用者台帳にある氏名（青木明子）")
    );
    assert!(
        shown
            .body
            .contains("公開は主任相談支援専門員・管理者が行います。")
    );
    let list = app.get(Some(&s), "/issues/vignettes").await;
    assert!(list.body.contains("夜間の不安の事例") && list.body.contains("公開待ち"));
    let on_issue = app.get(Some(&s), &format!("/issues/{issue}")).await;
    assert!(
        on_issue
            .body
            .contains(&format!("href=\"/issues/vignettes/{id}\""))
    );
    // The specialist cannot release; the lead is refused while the name stands.
    let r = app
        .post(
            &s,
            &format!("/issues/vignettes/{id}/release"),
            &[("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let lead = app.session(app.lead).await;
    let home = app.get(Some(&lead), "/").await;
    assert!(
        home.body.contains("公開待ちの地域課題 1件"),
        "{}",
        home.body
    );
    assert!(home.body.contains("公開待ちの個別事例報告 1件"));
    let r = app
        .post(
            &lead,
            &format!("/issues/vignettes/{id}/release"),
            &[("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("公開できません。"));
    // A stale edit is refused with the typed text kept.
    let stale = app
        .post(
            &s,
            &format!("/issues/vignettes/{id}"),
            &[("version", "0"), ("title", "古い版から"), ("body", "x")],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("古い版から"));
    let r = app
        .post(
            &s,
            &format!("/issues/vignettes/{id}"),
            &[
                ("version", "1"),
                ("issue_id", &issue_s),
                ("title", "夜間の不安の事例"),
                ("body", "40代の女性。夜間に不安が強い。"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post(
            &lead,
            &format!("/issues/vignettes/{id}/release"),
            &[("version", "2")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = app.get(Some(&lead), &location(&r)).await;
    assert!(shown.body.contains("協議会へ公開しました。") && shown.body.contains("公開済み"));
    let home = app.get(Some(&lead), "/").await;
    assert!(home.body.contains("公開待ちの個別事例報告 0件"));
    // The specialist and the 事務 are not shown what waits for release.
    for who in [app.spec, app.clerk] {
        let sess = app.session(who).await;
        let home = app.get(Some(&sess), "/").await;
        assert!(!home.body.contains("公開待ちの"), "{who:?}");
    }
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "release_vignette")
    );

    // The API twins.
    let spec = app.token(app.spec).await;
    let lead_t = app.token(app.lead).await;
    let (st, saved) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/vignettes",
            Some(json!({"case_id": app.case_id, "title": "休日の事例", "body": "連絡先 03-9876-5432"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{saved}");
    assert!(!saved["findings"].as_array().unwrap().is_empty(), "{saved}");
    let vid = saved["id"].as_i64().unwrap();
    let (st, _) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/vignettes",
            Some(json!({"case_id": app.case_id, "title": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, got) = app
        .api(
            &spec,
            Method::GET,
            &format!("/api/v1/vignettes/{vid}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["vignette"]["case_id"], app.case_id);
    let (st, refused) = app
        .api(
            &lead_t,
            Method::POST,
            &format!("/api/v1/vignettes/{vid}/release"),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("電話番号")
    );
    let mut input = got["input"].clone();
    input["body"] = json!("40代の女性。休日に過ごす場所がない。");
    input["version"] = json!(1);
    let (st, _) = app
        .api(
            &spec,
            Method::PUT,
            &format!("/api/v1/vignettes/{vid}"),
            Some(input.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = app
        .api(
            &spec,
            Method::PUT,
            &format!("/api/v1/vignettes/{vid}"),
            Some(input),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, body) = app
        .api(
            &lead_t,
            Method::POST,
            &format!("/api/v1/vignettes/{vid}/release"),
            Some(json!({"version": 2})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, listed) = app
        .api(
            &spec,
            Method::GET,
            &format!("/api/v1/vignettes?issue_id={issue}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(listed["vignettes"].as_array().unwrap().len(), 1);
    let other = app.token(app.spec2).await;
    let (_, listed) = app
        .api(&other, Method::GET, "/api/v1/vignettes", None)
        .await;
    assert_eq!(listed["vignettes"].as_array().unwrap().len(), 0);
    assert_eq!(listed["others"], 2);
}

#[tokio::test]
async fn a_joint_support_record_takes_three_parties_and_cannot_be_deleted_early() {
    let app = app().await;
    let issue = raise(&app, "地域移行の受け皿が足りない").await;
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), &format!("/issues/{issue}")).await;
    assert!(page.body.contains(&format!(
        "/issues/joint-support/new?case={}&amp;issue={issue}",
        app.case_id
    )));
    let form = app
        .get(
            Some(&s),
            &format!(
                "/issues/joint-support/new?case={}&issue={issue}",
                app.case_id
            ),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    // The care team is offered to tick.
    assert!(form.body.contains("name=\"team_pick\" value=\"0\""));
    assert!(form.body.contains("青木 明子"));
    let case = app.case_id.to_string();
    let issue_s = issue.to_string();
    let mut fields = vec![
        ("case_id", case.as_str()),
        ("issue_id", issue_s.as_str()),
        ("worked_on", "令和8年10月5日"),
        ("reported_on", "R8.10.1"),
        ("report_title", "地域移行の共同支援の報告"),
        ("summary", "三者で共同して支援した。"),
        ("party_name", "佐藤 一郎"),
        ("party_org", "N市障害福祉課"),
        ("party_name", "鈴木 花子"),
        ("party_org", "グループホームさくら"),
    ];
    let bad = app.post(&s, "/issues/joint-support", &fields, true).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("関係者は3者以上が必要です（いま2者）"));
    assert!(bad.body.contains("支援した日より前"));
    assert!(bad.body.contains("鈴木 花子") && bad.body.contains("地域移行の共同支援の報告"));
    fields[3] = ("reported_on", "2026/11/20");
    fields.push(("team_name", "青木 明子"));
    fields.push(("team_org", "本人"));
    fields.push(("team_pick", "0"));
    let r = app.post(&s, "/issues/joint-support", &fields, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_after(&r, "/issues/joint-support/");
    let shown = app.get(Some(&s), &location(&r)).await;
    assert!(shown.body.contains("共同支援の記録を保存しました。"));
    assert!(
        shown.body.contains("保存期限: 2031年11月20日") || shown.body.contains("令和13年11月20日")
    );
    let list = app.get(Some(&s), "/issues/joint-support").await;
    assert!(list.body.contains("地域移行の共同支援の報告") && list.body.contains("3者"));
    let other = app.session(app.spec2).await;
    let theirs = app.get(Some(&other), "/issues/joint-support").await;
    assert!(!theirs.body.contains("地域移行の共同支援の報告"));
    assert!(theirs.body.contains("担当外のケースの記録が 1件"));
    // Not deleted before the five years.
    let r = app
        .post(
            &s,
            &format!("/issues/joint-support/{id}/delete"),
            &[("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("削除できるのは令和13年11月20日からです。"));
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "create_joint_support")
    );

    // The API twins.
    let token = app.token(app.spec).await;
    let body = json!({
        "case_id": app.case_id,
        "worked_on": "R8.10.5",
        "reported_on": "R8.11.20",
        "report_title": "二件目",
        "summary": "共同で支援した。",
        "parties": [
            {"name": "佐藤 一郎", "organisation": "N市障害福祉課"},
            {"name": "鈴木 花子", "organisation": "グループホームさくら"}
        ]
    });
    let (st, refused) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/joint-support",
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["fields"]["parties"]
            .as_str()
            .unwrap()
            .contains("3者以上")
    );
    let mut body = body;
    body["parties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "田中 次郎", "organisation": "成年後見人"}));
    let (st, made) = app
        .api(&token, Method::POST, "/api/v1/joint-support", Some(body))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let jid = made["id"].as_i64().unwrap();
    let (st, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/joint-support/{jid}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["record"]["keep_until"], "2031-11-20");
    let mut input = got["input"].clone();
    input["version"] = json!(1);
    input["report_title"] = json!("二件目（改）");
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/joint-support/{jid}"),
            Some(input.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/joint-support/{jid}"),
            Some(input),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, body) = app
        .api(
            &token,
            Method::DELETE,
            &format!("/api/v1/joint-support/{jid}?version=2"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("削除できるのは")
            || body.to_string().contains("削除できるのは")
    );
    let (_, listed) = app
        .api(&token, Method::GET, "/api/v1/joint-support", None)
        .await;
    assert_eq!(listed["records"].as_array().unwrap().len(), 2);
}
