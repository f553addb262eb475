//! Small things a specialist trips over (issue 17's minors), each as the page shows it.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_quick_note_is_filed_under_the_one_open_case() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let page = app
        .get(Some(&s), &format!("/clients/{}", app.client))
        .await
        .body;
    assert!(
        page.contains(&format!("<option value=\"{}\" selected>", app.case_id)),
        "the client's one open case is chosen"
    );
}

#[tokio::test]
async fn consent_scope_boxes_start_unticked() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let page = app
        .get(Some(&s), &format!("/clients/{}/team", app.client))
        .await
        .body;
    let boxes: Vec<&str> = page
        .split("name=\"sections\"")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect();
    assert!(boxes.len() >= 3, "the section boxes are offered");
    assert!(
        boxes.iter().all(|b| !b.contains("checked")),
        "none ticked before the person chooses: {boxes:?}"
    );
}

#[tokio::test]
async fn the_reassign_form_does_not_default_to_unassigning() {
    let app = app().await;
    let s = app.session(app.lead).await;
    let list = app.get(Some(&s), "/clients").await.body;
    let select = list
        .split("<select id=\"assign-to\"")
        .nth(1)
        .and_then(|x| x.split("</select>").next())
        .unwrap();
    assert!(
        select.contains("<option value=\"\" selected>選んでください</option>"),
        "{select}"
    );
    // Sent without a choice: refused, not read as 「未割当にする」.
    let id = app.client.to_string();
    let r = app
        .post(&s, "/clients/assign", &[("ids", &id), ("user", "")], true)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("担当を変える先"));
}

#[tokio::test]
async fn a_book_grade_is_shown_as_written() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            &format!("/clients/{}/books", app.client),
            &[("kind", "mental"), ("grade", "２級")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app
        .get(Some(&s), &format!("/clients/{}", app.client))
        .await
        .body;
    assert!(page.contains("<td>2級</td>"), "not 「2」");
}

#[tokio::test]
async fn words_typed_in_brackets_are_not_bracketed_again() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let a = format!("/assessments/{}", app.assessment_id);
    let r = app
        .post(
            &s,
            &format!("{a}/edit/wishes"),
            &[("version", "1"), ("wish_person", "「仕事に戻りたい」")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let needs = app.get(Some(&s), &format!("{a}/edit/needs")).await.body;
    assert!(needs.contains("「仕事に戻りたい」"));
    assert!(!needs.contains("「「仕事に戻りたい」」"), "wrapped once");
}

#[tokio::test]
async fn a_plan_row_linked_to_the_directory_takes_its_provider_name() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let rid = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let r = yorisoi_domain::team::ResourceInput {
            category: "welfare".into(),
            service_type: "employment_b".into(),
            name: "ひかり作業所".into(),
            ..Default::default()
        };
        let id = yorisoi_store::resources::create(&mut tx, &r.validate().unwrap())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id.to_string()
    };
    let p = app.plan_id;
    let page = app.get(Some(&s), &format!("/plans/{p}/edit/rows")).await;
    let version = hidden(&page.body, "version");
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/rows"),
            &[
                ("version", version.as_str()),
                ("row_key", ""),
                ("row_need_key", ""),
                ("row_priority", "1"),
                ("row_need", "日中に通う場がほしい"),
                ("row_goal", "週3日通う"),
                ("row_category", "welfare"),
                ("row_provider", ""),
                ("row_resource_id", rid.as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    let plan = app.get(Some(&s), &format!("/plans/{p}")).await.body;
    assert!(
        plan.contains("ひかり作業所"),
        "the provider came from the directory"
    );
    assert!(!plan.contains("「提供事業者名」が空です"));
}

#[tokio::test]
async fn a_stale_save_shows_what_the_other_save_changed_without_blaming_a_colleague() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    let page = app
        .get(Some(&s), &format!("/plans/{p}/edit/overview"))
        .await;
    let version = hidden(&page.body, "version");
    let today = yorisoi_store::today_jst().to_string();
    // Another tab saves the 短期目標 first.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", version.as_str()),
                ("drafted_on", today.as_str()),
                ("short_goal", "週3日、作業所に通う"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    // This tab, still at the old version, writes the policy and knows nothing of the goal.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", version.as_str()),
                ("drafted_on", today.as_str()),
                ("policy", "本人のペースを大切に"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::CONFLICT);
    assert!(
        !r.body.contains("ほかの職員が先に"),
        "the same person may have saved it"
    );
    assert!(r.body.contains("別のタブ"));
    let table = &r.body[r
        .body
        .find("class=\"list changes\"")
        .expect("a table of differences")..];
    assert!(
        table.contains("短期目標") && table.contains("週3日、作業所に通う"),
        "the other save's goal is shown before it could be overwritten"
    );
    assert!(table.contains("総合的な援助の方針") && table.contains("本人のペースを大切に"));
    assert!(
        r.body.contains("本人のペースを大切に"),
        "what was typed stays in the form"
    );
}

#[tokio::test]
async fn a_need_says_where_it_came_from_or_its_grounds() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let a = format!("/assessments/{}", app.assessment_id);
    let page = app.get(Some(&s), &format!("{a}/edit/needs")).await.body;
    let version = hidden(&page, "version");
    let need = |source: &'static str, grounds: &'static str| {
        vec![
            ("version", version.clone()),
            ("need_key", String::new()),
            ("need_text", "一人でバスに乗って通いたい".to_string()),
            ("need_source", source.to_string()),
            ("need_grounds", grounds.to_string()),
            ("need_reframing", String::new()),
        ]
    };
    let send = |pairs: Vec<(&'static str, String)>| {
        let app = &app;
        let s = &s;
        let a = a.clone();
        async move {
            let p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(s, &format!("{a}/edit/needs"), &p, true).await
        }
    };
    let r = send(need("", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("どこから来たか") && r.body.contains("一人でバスに乗って通いたい"));
    let r = send(need("", "送迎がなくなる")).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "grounds alone are enough: {}",
        r.body
    );
}

/// The number of rows of a history grid (one `event_event` cell per row).
fn history_rows(body: &str) -> usize {
    body.matches("name=\"event_event\"").count()
}

#[tokio::test]
async fn a_refused_grid_offers_the_same_blank_rows_not_more_each_time() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/assessments/{}/edit/history", app.assessment_id);
    let shown = history_rows(&app.get(Some(&s), &path).await.body);
    // One bad row typed, the rest of the grid sent blank as a browser sends it.
    let mut form: Vec<(&str, &str)> = vec![
        ("version", "1"),
        ("event_year", "平成40"),
        ("event_month", "4"),
        ("event_event", "入院"),
    ];
    for _ in 1..shown {
        form.extend([("event_year", ""), ("event_month", ""), ("event_event", "")]);
    }
    let once = app.post(&s, &path, &form, true).await;
    assert_eq!(once.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        once.body.contains("value=\"入院\""),
        "what was typed is kept"
    );
    let after_once = history_rows(&once.body);
    let twice = app.post(&s, &path, &form, true).await;
    assert_eq!(history_rows(&twice.body), after_once);
    assert!(
        after_once <= shown + 1,
        "{after_once} rows after one refusal, {shown} at first"
    );
}

#[tokio::test]
async fn screens_show_dates_in_the_calendar_the_office_chose() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let a = app.session(app.admin).await;
    let client = format!("/clients/{}", app.client);
    let r = app
        .post(
            &s,
            &format!("{client}/notes"),
            &[
                ("kind", "visit"),
                ("content", "面会"),
                ("date", "2026-01-05"),
                ("time", "10:30"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // 和暦 is the default setting: the screen reads 令和, and a stored date comes back into
    // its form field in 和暦.
    let page = app.get(Some(&s), &client).await.body;
    assert!(page.contains("令和8年1月5日 10:30"), "{page}");
    assert!(!page.contains("2026年1月5日"));
    let edit = app.get(Some(&s), &format!("{client}/edit")).await.body;
    assert!(
        edit.contains("name=\"birth_date\" value=\"昭和56年3月2日\""),
        "{edit}"
    );
    // An office that works in 西暦 sees 西暦 everywhere, from the next page on.
    let saved = app
        .post(
            &a,
            "/admin/documents",
            &[("dates", "seireki"), ("template_plan", "standard")],
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&s), &client).await.body;
    assert!(page.contains("2026年1月5日 10:30") && !page.contains("令和8年1月5日"));
    let edit = app.get(Some(&s), &format!("{client}/edit")).await.body;
    assert!(edit.contains("name=\"birth_date\" value=\"1981年3月2日\""));
}
