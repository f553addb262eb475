//! The cycle as a specialist lives it: the records move the case, no 「進める」 pressed; and a
//! refused form says so at the top of the page.

use crate::common::*;
use axum::http::{StatusCode, header};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

/// The stage the case page shows.
fn stage_of(page: &str) -> &str {
    page.split("現在: <strong>")
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .unwrap_or("")
}

/// The dashboard's count of open cases at `label` (0 when the stage is not listed).
fn dashboard_count(home: &str, label: &str) -> usize {
    home.split(&format!("<li>{label} <strong>"))
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_records_move_the_case_without_pressing_advance() {
    let app = app().await;
    let s = app.session(app.spec).await;
    // A new client of the specialist's: 高橋 誠さん, 38.
    let c = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let input = yorisoi_domain::client::ClientInput {
            family_name: "高橋".into(),
            given_name: "誠".into(),
            family_name_kana: "たかはし".into(),
            given_name_kana: "まこと".into(),
            birth_date: "1988-05-12".into(),
            sex: "male".into(),
            disability_kinds: vec!["higher_brain".into()],
            ..Default::default()
        };
        let id = clients::create(
            &mut tx,
            &input.validate(today_jst()).unwrap(),
            Some(app.spec.user_id),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let home = app.get(Some(&s), "/").await.body;
    let before = |label: &str| dashboard_count(&home, label);
    let (intake0, implementation0, monitoring0) =
        (before("インテーク"), before("実施"), before("モニタリング"));
    // The intake opens the case.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/cases"),
            &[
                ("intake_date", "2026-04-10"),
                ("referral_source", "family"),
                ("chief_complaint", "「仕事に戻りたい」"),
                ("consent_to_support", "yes"),
                ("title", "仕事に戻りたい高橋さん"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case_path = r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let k: i64 = case_path.trim_start_matches("/cases/").parse().unwrap();
    let case = app.get(Some(&s), &case_path).await.body;
    assert_eq!(stage_of(&case), "インテーク");
    assert!(case.contains("段階は記録から自動で進みます"));
    assert_eq!(
        dashboard_count(&app.get(Some(&s), "/").await.body, "インテーク"),
        intake0 + 1
    );
    // The assessment started: アセスメント.
    let r = app
        .post(
            &s,
            &format!("{case_path}/assessments"),
            &[
                ("assessed_on", "2026-04-15"),
                ("method", "home_visit"),
                ("present", "本人、妻"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        stage_of(&app.get(Some(&s), &case_path).await.body),
        "アセスメント"
    );
    // A need written (the plan's rows come from the needs), then the draft: プランニング.
    {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let acc = tx
            .client_access(c, RecordKind::Assessment, Action::Write)
            .await
            .unwrap();
        let aid = assessments::list(&mut tx, &acc, k).await.unwrap()[0].id;
        let a = assessments::get(&mut tx, &acc, aid).await.unwrap();
        let mut i = yorisoi_domain::assessment::AssessmentInput::from_record(&a.record);
        i.wish_person = "仕事に戻りたい".into();
        i.needs = vec![yorisoi_domain::assessment::NeedInput {
            text: "日中に通える場がほしい".into(),
            source: "wish_person".into(),
            ..Default::default()
        }];
        let rec = i.validate(today_jst(), a.record.basic.clone()).unwrap();
        assessments::update(&mut tx, &acc, aid, a.version, &rec)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let r = app
        .post(
            &s,
            &format!("{case_path}/plans"),
            &[("drafted_on", "2026-04-20")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan_path = r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let p: i64 = plan_path.trim_start_matches("/plans/").parse().unwrap();
    assert_eq!(
        stage_of(&app.get(Some(&s), &case_path).await.body),
        "プランニング（計画案）"
    );
    // Consents, the meeting held, the final consent, 本計画: 本計画・同意・交付.
    yorisoi_store::testing::finish_draft(&app.store, app.spec, c, p, today_jst())
        .await
        .unwrap();
    assert_eq!(
        stage_of(&app.get(Some(&s), &case_path).await.body),
        "本計画・同意・交付"
    );
    assert!(
        app.get(Some(&s), &format!("/clients/{c}"))
            .await
            .body
            .contains("<span class=\"badge\">相談中</span>")
    );
    // The final plan handed over to the person: 実施, and the client is 支援中.
    let version = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let acc = tx
            .client_access(c, RecordKind::Plan, Action::Read)
            .await
            .unwrap();
        let v = plans::get(&mut tx, &acc, p).await.unwrap().version;
        tx.commit().await.unwrap();
        v.to_string()
    };
    let r = app
        .post(
            &s,
            &format!("{plan_path}/handovers"),
            &[
                ("version", version.as_str()),
                ("stage", "final"),
                ("to", "本人"),
                ("on", "2026-05-12"),
                ("method", "in_person"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stage_of(&app.get(Some(&s), &case_path).await.body), "実施");
    assert!(
        app.get(Some(&s), &format!("/clients/{c}"))
            .await
            .body
            .contains("<span class=\"badge\">支援中</span>")
    );
    let home = app.get(Some(&s), "/").await.body;
    assert_eq!(dashboard_count(&home, "インテーク"), intake0);
    assert_eq!(dashboard_count(&home, "実施"), implementation0 + 1);
    // A monitoring recorded: モニタリング.
    let r = app
        .post(
            &s,
            &format!("{case_path}/monitorings"),
            &[
                ("monitored_on", "2026-07-15"),
                ("method", "home_visit"),
                ("present", "本人"),
                ("overall", "週3日通えている。"),
                ("outcome", "continue"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        stage_of(&app.get(Some(&s), &case_path).await.body),
        "モニタリング"
    );
    let home = app.get(Some(&s), "/").await.body;
    assert_eq!(dashboard_count(&home, "実施"), implementation0);
    assert_eq!(dashboard_count(&home, "モニタリング"), monitoring0 + 1);
    // Not one 「進める」 was pressed: every step was logged as following the records.
    let actions = app.audit_actions().await;
    assert!(actions.iter().filter(|a| a.as_str() == "stage").count() >= 6);
}

#[tokio::test]
async fn a_refused_consent_is_summarised_at_the_top_of_the_page() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/consents"),
            &[
                ("version", "1"),
                ("stage", "draft"),
                ("signed_on", &today_jst().to_string()),
                ("signer", ""),
                ("role", "person"),
                ("explained", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let body = &r.body;
    let main = body.find("<main>").unwrap();
    let summary = body.find("class=\"alert error-summary\"").unwrap();
    let title = body.find("<h1").unwrap();
    assert!(
        main < summary && summary < title,
        "the summary opens the page, before its title"
    );
    let block = &body[summary..body.find("<!--/error-summary-->").unwrap()];
    assert!(block.contains("入力に1件の問題があります"), "{block}");
    assert!(block.contains("<a href=\"#f-signer\">"), "{block}");
    assert!(block.contains("tabindex=\"-1\"") && block.contains("autofocus"));
    // The link's target is the signer field of the consent form, and only one element has it.
    assert_eq!(body.matches("id=\"f-signer\"").count(), 1);
    // The field keeps its own message beside it, and the handover form's ids do not collide.
    assert!(body.contains("id=\"e-signer\""));
    assert_eq!(body.matches("id=\"f-stage\"").count(), 1);
    assert_eq!(body.matches("id=\"f-handover-stage\"").count(), 1);
}

#[tokio::test]
async fn a_summary_names_the_field_of_each_message() {
    // A summary at the top of a long page is read far from its form: 「入力してください。」 alone
    // does not say which field (WCAG 3.3.1), so each message is led by its field's label.
    let app = app().await;
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            &format!("/plans/{}/consents", app.plan_id),
            &[
                ("version", "1"),
                ("stage", "draft"),
                ("signed_on", &today_jst().to_string()),
                ("signer", ""),
                ("role", "person"),
                ("explained", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let block = &r.body[r.body.find("class=\"alert error-summary\"").unwrap()
        ..r.body.find("<!--/error-summary-->").unwrap()];
    assert!(
        block.contains("<a href=\"#f-signer\">署名した人：入力してください。</a>"),
        "{block}"
    );
    // Two fields with the same message are told apart; a checkbox group by its legend.
    let r = app
        .post(
            &s,
            "/clients",
            &[
                ("family_name", ""),
                ("given_name", ""),
                ("family_name_kana", "もりかわ"),
                ("given_name_kana", "たくみ"),
                ("birth_date", "1988-06-12"),
                ("sex", "male"),
                ("income_kinds", "nonsense"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let block = &r.body[r.body.find("class=\"alert error-summary\"").unwrap()
        ..r.body.find("<!--/error-summary-->").unwrap()];
    assert!(
        block.contains("<a href=\"#f-family_name\">氏：入力してください。</a>"),
        "{block}"
    );
    assert!(
        block.contains("<a href=\"#f-given_name\">名：入力してください。</a>"),
        "{block}"
    );
    assert!(
        block.contains("<a href=\"#f-income_kinds\">収入："),
        "{block}"
    );
    // The message beside the field stays as it was: its label is right above it.
    assert!(
        r.body
            .contains("<p class=\"error\" id=\"e-family_name\">入力してください。</p>")
    );
}

/// The `id="…"` values of a page that occur more than once.
fn duplicate_ids(page: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for part in page.split(" id=\"").skip(1) {
        if let Some(id) = part.split('"').next() {
            *seen.entry(id).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_string())
        .collect()
}

#[tokio::test]
async fn no_page_gives_two_elements_one_id() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let (c, k, p, a) = (app.client, app.case_id, app.plan_id, app.assessment_id);
    for path in [
        "/".to_string(),
        "/clients".into(),
        format!("/clients/{c}"),
        format!("/clients/{c}/team"),
        format!("/cases/{k}"),
        format!("/plans/{p}"),
        format!("/plans/{p}/edit/rows"),
        format!("/assessments/{a}/edit/family"),
        format!("/monitorings/{}", app.monitoring_id),
    ] {
        let r = app.get(Some(&s), &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(duplicate_ids(&r.body), Vec::<String>::new(), "{path}");
    }
    // The client page's two forms: the label of each form's 種類 points at its own control.
    let page = app.get(Some(&s), &format!("/clients/{c}")).await.body;
    assert!(page.contains("<label for=\"f-book-kind\">種類</label>"));
    assert!(page.contains("<label for=\"f-kind\">種別</label>"));
}
