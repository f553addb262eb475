//! Decision support, the timeline and the retention setting.

use crate::common::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn decision_support_the_timeline_and_the_retention_setting_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.monitored_case;
    let lead = app.spec.user_id.to_string();
    // Starting: a missing question is refused with what was typed kept.
    let bad = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", ""),
                ("background", "GHの見学を希望"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("入力してください") && bad.body.contains("GHの見学を希望"));
    let ok = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", "グループホームに移るか"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = to
        .trim_start_matches("/decisions/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = app.get(Some(&s), &to).await;
    assert!(page.body.contains("グループホームに移るか") && page.body.contains("意思形成"));
    // An estimate without grounds is refused; the estimate typed stays on the form.
    let will = format!("/decisions/{id}/edit/will");
    let form = app.get(Some(&s), &will).await;
    assert_eq!(form.status, StatusCode::OK);
    let estimate = [
        ("version", "1"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", ""),
    ];
    let r = app.post(&s, &will, &estimate, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("根拠が必要です") && r.body.contains("GHで暮らしたい"));
    let grounded = [
        ("version", "1"),
        ("evidence_kind", "behaviour"),
        ("evidence_text", "体験中、自分で買い物に行った"),
        ("evidence_source", "GHの記録"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", "体験利用中の行動の記録から"),
    ];
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same save from the old version is a conflict, with the input kept.
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("体験利用中の行動の記録から"));
    // The decision and the move.
    let r = app
        .post(
            &s,
            &format!("/decisions/{id}/edit/decision"),
            &[
                ("version", "2"),
                ("step", "realisation"),
                ("decision", "グループホームさくらへ移る"),
                ("decided_on", "2026-11-20"),
                ("follow_up_on", "2026-12-20"),
                ("then", "record"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), &format!("/decisions/{id}")).await;
    assert!(page.body.contains("グループホームさくらへ移る") && page.body.contains("推定に基づく"));
    assert!(page.body.contains("体験利用中の行動の記録から"));
    // The unknown section is a 404, not a blank page.
    assert_eq!(
        app.get(Some(&s), &format!("/decisions/{id}/edit/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The timeline: every kind in order, filtered by kind, period and words.
    let tl = app.get(Some(&s), &format!("/cases/{k}/timeline")).await;
    assert_eq!(tl.status, StatusCode::OK);
    for want in [
        "インテーク（本人）",
        "サービス等利用計画 第1版",
        "モニタリング（居宅訪問）",
        "決定「グループホームに移るか」",
    ] {
        assert!(tl.body.contains(want), "{want}: {}", tl.body);
    }
    let only = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?kind=decision&order=old"),
        )
        .await;
    assert!(only.body.contains("決定「グループホームに移るか」"));
    assert!(!only.body.contains("モニタリング（居宅訪問）"));
    let words = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?q=%E3%81%95%E3%81%8F%E3%82%89"),
        )
        .await;
    assert!(words.body.contains("グループホームさくらへ移る"));
    assert!(!words.body.contains("サービス等利用計画 第1版"));
    let period = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?from=R8.11.1&until=2026-11-30"),
        )
        .await;
    assert!(period.body.contains("決定「グループホームに移るか」"));
    assert!(!period.body.contains("インテーク（本人）"));
    let bad_date = app
        .get(Some(&s), &format!("/cases/{k}/timeline?from=yesterday"))
        .await;
    assert_eq!(bad_date.status, StatusCode::OK);
    assert!(bad_date.body.contains("日付を直して"));
    // The fixture's record follows up within the week: on the specialist's home screen.
    let home = app.get(Some(&s), "/").await;
    assert!(home.body.contains("一人暮らしを始めるか"), "{}", home.body);
    // Office settings: only an admin, never under 5 years.
    let a = app.session(app.admin).await;
    let r = app
        .post(&a, "/admin/retention", &[("years", "3")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("5年から100年") && r.body.contains("value=\"3\""));
    let r = app
        .post(&a, "/admin/retention", &[("years", "１０")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(Some(&a), "/admin/staff")
            .await
            .body
            .contains("いまの設定: 10年")
    );
    let r = app
        .post(&s, "/admin/retention", &[("years", "6")], true)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(&a, "/admin/retention", &[("years", "6")], false)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
}

#[tokio::test]
async fn a_decision_section_that_is_not_utf8_is_refused() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/decisions/{}/edit/will", app.decision_id);
    let r = app
        .post_raw(&s, &path, b"version=1&person_words=%FF%FE")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post_raw(
            &s,
            &format!("/cases/{}/decisions", app.monitored_case),
            b"question=%E3%81%82%FF&step=formation",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
