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
