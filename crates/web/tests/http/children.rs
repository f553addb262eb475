//! 障害児相談支援 as its own practice: a child's ledger with both parents, the child's own
//! assessment sections, the labels of a child's case, and the easy-read plan for the child and
//! for the parents.

use crate::common::*;
use axum::http::StatusCode;

/// Where a redirect goes, without its query (`?saved=…`).
fn path(r: &Resp) -> String {
    location(r)
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_childs_case_holds_both_parents_and_asks_about_growth_and_family() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let born = (yorisoi_store::today_jst() - chrono::Duration::days(4 * 365 + 40)).to_string();
    let mut ledger: Vec<(&str, &str)> = vec![
        ("family_name", "千葉"),
        ("given_name", "ひなた"),
        ("family_name_kana", "ちば"),
        ("given_name_kana", "ひなた"),
        ("birth_date", &born),
        ("sex", "female"),
        ("disability_kinds", "child"),
        ("guardian_kind", "parent"),
        ("guardian_relation", "母"),
        ("guardian_name", "千葉 美穂"),
        ("guardian_contact", "090-8765-4321"),
        // A father without a kind: refused on his row, both rows kept as typed.
        ("guardian_kind", ""),
        ("guardian_relation", "父"),
        ("guardian_name", "千葉 大樹"),
        ("guardian_contact", "090-1357-2468"),
        ("guardian_kind", ""),
        ("guardian_relation", ""),
        ("guardian_name", ""),
        ("guardian_contact", ""),
    ];
    let r = app.post(&s, "/clients", &ledger, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("種別（保護者・成年後見人など）を選んでください")
    );
    assert!(
        r.body.contains("href=\"#f-guardians-1\""),
        "the summary links the row"
    );
    assert!(r.body.contains("千葉 大樹") && r.body.contains("090-1357-2468"));
    ledger[11] = ("guardian_kind", "parent");
    let r = app.post(&s, "/clients", &ledger, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let client = path(&r);
    let page = app.get(Some(&s), &client).await;
    assert!(
        page.body.contains("千葉 美穂（母）") && page.body.contains("千葉 大樹（父）"),
        "both parents on the ledger"
    );
    let edit = app.get(Some(&s), &format!("{client}/edit")).await;
    assert_eq!(
        edit.body.matches("name=\"guardian_name\"").count(),
        3,
        "two rows and one to add"
    );

    // A case and its assessment.
    let r = app
        .post(
            &s,
            &format!("{client}/cases"),
            &[
                ("intake_date", &yorisoi_store::today_jst().to_string()),
                ("referral_source", "family"),
                ("chief_complaint", "「小学校に上がれるか不安」（母）"),
                ("consent_to_support", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = path(&r);
    let page = app.get(Some(&s), &case).await;
    assert!(
        page.body.contains("<h2>障害児支援利用計画</h2>"),
        "the child's plan by its name"
    );
    assert!(!page.body.contains("<h2>サービス等利用計画</h2>"));
    let r = app
        .post(
            &s,
            &format!("{case}/assessments"),
            &[
                ("assessed_on", &yorisoi_store::today_jst().to_string()),
                ("method", "home_visit"),
                ("present", "本人、母"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sheet = path(&r);
    let growth = app.get(Some(&s), &format!("{sheet}/edit/growth")).await;
    assert_eq!(growth.status, StatusCode::OK);
    for w in [
        "発達と育ち",
        "家族の状況と支援",
        "遊び（好きな遊び・遊び方）",
        "集団生活",
    ] {
        assert!(growth.body.contains(w), "missing {w}");
    }
    let wishes = app.get(Some(&s), &format!("{sheet}/edit/wishes")).await;
    assert!(
        wishes
            .body
            .contains("本人の思い（ことば・表情・しぐさのまま）")
    );
    assert!(wishes.body.contains("本人の思いをどう受け止めたか"));
    let abilities = app.get(Some(&s), &format!("{sheet}/edit/abilities")).await;
    assert!(abilities.body.contains("ことばの理解") && !abilities.body.contains("運転"));
    // Too long a text is refused on its field, what was typed kept.
    let long = "あ".repeat(4001);
    let r = app
        .post(
            &s,
            &format!("{sheet}/edit/growth"),
            &[
                ("version", "1"),
                ("child.play", &long),
                ("child.development", "歩ける"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#f-child.play\"") && r.body.contains("歩ける"));
    let r = app
        .post(
            &s,
            &format!("{sheet}/edit/growth"),
            &[
                ("version", "1"),
                ("child.play", "電車を並べて遊ぶ"),
                ("child.group_life", "みなと保育園の年少組"),
                ("then", "family_support"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(path(&r).ends_with("/edit/family_support"));
    let r = app
        .post(
            &s,
            &format!("{sheet}/edit/family_support"),
            &[
                ("version", "2"),
                ("child.parents_rest", "祖母が送迎を手伝う"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let view = app.get(Some(&s), &sheet).await;
    for w in [
        "本人の思いと保護者の願い",
        "電車を並べて遊ぶ",
        "みなと保育園の年少組",
        "祖母が送迎を手伝う",
        "千葉 美穂（母）、千葉 大樹（父）",
    ] {
        assert!(view.body.contains(w), "the sheet lacks {w}");
    }
    // The sheet prints (its child sections are read back in the documents tests).
    let pdf = app.get(Some(&s), &format!("{sheet}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));

    // An adult's assessment has no child sections.
    let adult = format!("/assessments/{}", app.assessment_id);
    assert_eq!(
        app.get(Some(&s), &format!("{adult}/edit/growth"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .post(
            &s,
            &format!("{adult}/edit/growth"),
            &[("version", "1"), ("child.play", "x")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_easy_read_plan_of_a_child_prints_for_the_parents_but_an_adults_does_not() {
    let app = app().await;
    let s = app.session(app.spec).await;
    // The fixture's plan is an adult's: it has the person's version only.
    let p = app.plan_id;
    let page = app.get(Some(&s), &format!("/plans/{p}")).await;
    assert!(page.body.contains("わかりやすい版（本人用）") && !page.body.contains("保護者用"));
    assert_eq!(
        app.get(Some(&s), &format!("/plans/{p}/pdf/easy_plan_parents"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&s), &format!("/plans/{p}/pdf/easy_plan_nobody"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .get(Some(&s), &format!("/plans/{p}/pdf/easy_plan"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Another office's user gets nothing.
    let other = app.session(app.other_admin).await;
    assert_eq!(
        app.get(Some(&other), &format!("/plans/{p}/pdf/easy_plan_child"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_office_telephone_is_checked_and_kept_as_typed() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let r = app
        .post(
            &s,
            "/admin/documents",
            &[
                ("dates", "wareki"),
                ("office_phone", "でんわ0439"),
                ("office_hours", "平日 9時〜17時"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("電話番号は数字とハイフンで") && r.body.contains("でんわ0439"));
    assert!(r.body.contains("平日 9時〜17時"));
    let r = app
        .post(
            &s,
            "/admin/documents",
            &[
                ("dates", "wareki"),
                ("office_phone", "0439-00-0000"),
                ("office_hours", "平日 9時〜17時"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), "/admin/documents").await;
    assert!(page.body.contains("value=\"0439-00-0000\""));
}
