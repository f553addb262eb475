//! Optimistic concurrency on client, note and intake edits.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_stale_edit_is_refused_with_409_and_the_input_kept() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let edit = format!("/clients/{}/edit", app.client);
    let form = app.get(Some(&s), &edit).await;
    assert!(form.body.contains("name=\"version\" value=\"1\""));
    let mut pairs: Vec<(&str, &str)> = vec![
        ("family_name", "青木"),
        ("given_name", "明子"),
        ("family_name_kana", "あおき"),
        ("given_name_kana", "あきこ"),
        ("birth_date", "1981-03-02"),
        ("sex", "female"),
        ("address", "一人目の住所"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &edit, &pairs, true).await.status,
        StatusCode::SEE_OTHER
    );
    pairs[6] = ("address", "二人目の住所");
    let r = app.post(&s, &edit, &pairs, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ほかの職員が先にこの記録を更新しました"));
    assert!(
        r.body.contains("二人目の住所"),
        "the user's input stays on screen"
    );
    assert!(
        r.body.contains("name=\"version\" value=\"2\""),
        "a deliberate second save is offered"
    );
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert!(page.body.contains("一人目の住所") && !page.body.contains("二人目の住所"));
    // Notes and intakes too.
    let ne = format!("/clients/{}/notes/{}/edit", app.client, app.note_id);
    let note = [
        ("kind", "visit"),
        ("content", "更新1"),
        ("date", "2026-01-01"),
        ("time", "09:00"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &ne, &note, true).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post(&s, &ne, &note, true).await.status,
        StatusCode::CONFLICT
    );
    let ce = format!("/cases/{}/edit", app.case_id);
    let intake = [
        ("intake_date", "2026-01-01"),
        ("referral_source", "person"),
        ("chief_complaint", "働きたい"),
        ("consent_to_support", "yes"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &ce, &intake, true).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post(&s, &ce, &intake, true).await.status,
        StatusCode::CONFLICT
    );
}
