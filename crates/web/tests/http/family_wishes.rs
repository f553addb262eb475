//! 家族の希望 per person (issue 17, Major 2): who said what is recorded on the assessment and
//! the plan, and a meeting asks consent of exactly the people whose words the plan carries —
//! not of an aunt in the team who said nothing — naming them and linking to recording it.

use crate::common::*;
use axum::http::StatusCode;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::{ShareConsentInput, TeamMemberInput};
use yorisoi_store::*;

/// Adds a team member through the store; returns its id.
async fn member(app: &App, kind: &str, name: &str) -> i64 {
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let m = TeamMemberInput {
        kind: kind.into(),
        name: name.into(),
        ..Default::default()
    };
    let id = team::add_member(&mut tx, &acc, &m.validate().unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A consent of `subject` ("" = the person) letting `members` receive the plan.
async fn consent(app: &App, subject: &str, members: &[i64]) {
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let today = today_jst();
    let c = ShareConsentInput {
        subject: subject.into(),
        member_ids: members.iter().map(|m| m.to_string()).collect(),
        sections: vec!["plan".into()],
        purpose: "会議".into(),
        given_on: today.to_string(),
        ..Default::default()
    };
    team::give_consent(&mut tx, &acc, &c.validate(today, members).unwrap(), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_assessment_records_who_said_what_and_refuses_words_without_a_speaker() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let a = app.assessment_id;
    let page = app
        .get(Some(&s), &format!("/assessments/{a}/edit/wishes"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("家族の希望（話した人ごと）"));
    let version = hidden(&page.body, "version");
    // Words without a speaker: refused on their row, everything typed kept.
    let r = app
        .post(
            &s,
            &format!("/assessments/{a}/edit/wishes"),
            &[
                ("version", version.as_str()),
                ("wish_person", "仕事に戻りたい"),
                ("fw_relation", "妻"),
                ("fw_name", "青木 洋子"),
                ("fw_words", "無理をしないでほしい"),
                ("fw_relation", "娘"),
                ("fw_name", ""),
                ("fw_words", "パパと公園に行きたい"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("誰の言葉かを、その人の名前で"));
    assert!(r.body.contains("パパと公園に行きたい") && r.body.contains("青木 洋子"));
    let r = app
        .post(
            &s,
            &format!("/assessments/{a}/edit/wishes"),
            &[
                ("version", version.as_str()),
                ("wish_person", "仕事に戻りたい"),
                ("fw_relation", "妻"),
                ("fw_name", "青木 洋子"),
                ("fw_words", "無理をしないでほしい"),
                ("fw_relation", "娘"),
                ("fw_name", "青木 美咲"),
                ("fw_words", "パパと公園に行きたい"),
                ("fw_relation", ""),
                ("fw_name", ""),
                ("fw_words", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sheet = app.get(Some(&s), &format!("/assessments/{a}")).await;
    assert!(
        sheet
            .body
            .contains("妻（青木 洋子）：「無理をしないでほしい」")
            && sheet
                .body
                .contains("娘（青木 美咲）：「パパと公園に行きたい」"),
        "{}",
        sheet.body
    );
}

#[tokio::test]
async fn a_meeting_asks_consent_of_exactly_the_family_whose_words_the_plan_carries() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    let provider = member(&app, "provider", "ひかり作業所 佐藤").await;
    // The wife's sister helps on Sundays: 家族 in the team, and she said nothing in the plan.
    let sister = member(&app, "family", "山本 和子").await;
    consent(&app, "", &[app.member_id, provider]).await;
    // The plan carries the wife's words.
    let page = app
        .get(Some(&s), &format!("/plans/{p}/edit/overview"))
        .await;
    assert!(
        page.body.contains("家族の意向（話した人ごと）"),
        "{}",
        page.body
    );
    let version = hidden(&page.body, "version");
    let today = today_jst().to_string();
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", version.as_str()),
                ("drafted_on", today.as_str()),
                ("fw_relation", "妻"),
                ("fw_name", "青木 洋子"),
                ("fw_words", "無理をしないでほしい"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan = app.get(Some(&s), &format!("/plans/{p}")).await;
    assert!(
        plan.body
            .contains("妻（青木 洋子）：「無理をしないでほしい」")
    );
    let (me, prov, sis) = (
        app.member_id.to_string(),
        provider.to_string(),
        sister.to_string(),
    );
    let meeting = [
        ("held_on", today.as_str()),
        ("participants", me.as_str()),
        ("participants", prov.as_str()),
        ("participants", sis.as_str()),
        ("attended", me.as_str()),
        ("conclusions", "計画案のとおり"),
        ("held", "yes"),
    ];
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("青木 洋子さんの言葉があり") && r.body.contains("ひかり作業所 佐藤さん"),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("山本 和子さんの同意"),
        "the sister is not asked"
    );
    // A link to record the wife's consent, her name filled in.
    assert!(
        r.body
            .contains("?subject=%E9%9D%92%E6%9C%A8%20%E6%B4%8B%E5%AD%90#consent"),
        "{}",
        r.body
    );
    // The link opens the consent form with her, and only her, chosen.
    let form = app
        .get(
            Some(&s),
            &format!(
                "/clients/{}/team?subject=%E9%9D%92%E6%9C%A8%20%E6%B4%8B%E5%AD%90",
                app.client
            ),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("name=\"subject_other\" value=\"青木 洋子\""),
        "{}",
        form.body
    );
    assert!(
        !form
            .body
            .contains("name=\"subject_pick\" value=\"本人\" checked")
    );
    // Her consent recorded: the meeting is saved, without the sister's.
    consent(&app, "青木 洋子", &[provider]).await;
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
