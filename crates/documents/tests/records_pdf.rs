//! The weekly plan, monitoring report, meeting record and assessment sheet as PDFs: each prints
//! its headings, the person's words and every row of its record.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::assessment::assessment_doc;
use yorisoi_documents::docs::meeting::{ParticipantDoc, meeting_doc};
use yorisoi_documents::docs::monitoring::monitoring_doc;
use yorisoi_documents::docs::plan::plan_doc;
use yorisoi_documents::pdf::render_one;
use yorisoi_documents::templates::{STANDARD, Templates};
use yorisoi_domain::assessment::*;
use yorisoi_domain::client::Sex;
use yorisoi_domain::meeting::{MeetingRecord, Participant};
use yorisoi_domain::monitoring::*;
use yorisoi_domain::plan::PlanState;

fn pdf_of<T: serde::Serialize>(kind: DocKind, doc: &T) -> Vec<u8> {
    let src = Templates::default().source(kind, STANDARD);
    let pdf = render_one(&src, doc, d(2026, 11, 25)).unwrap();
    std::fs::write(
        std::env::temp_dir().join(format!("yorisoi-{}-test.pdf", kind.code())),
        &pdf,
    )
    .unwrap();
    pdf
}

fn has_all(text: &str, words: &[&str]) {
    let s = squeeze(text);
    for w in words {
        assert!(s.contains(&squeeze(w)), "missing {w} in {text}");
    }
}

#[test]
fn the_weekly_plan_draws_every_block_with_its_texts() {
    let doc = plan_doc(&plan(), PlanState::Final, 2, &context("山田 太郎"));
    let pdf = pdf_of(DocKind::Week, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "週間計画表",
            "主な日常生活上の活動",
            "週単位以外のサービス",
            "サービス提供によって実現する生活の全体像",
            "朝はゆっくり起きる",
            "月1回の通院（こころのクリニック）",
            "図書館",
            "10:00〜12:00",
            "9:30〜11:00",
            "6:00",
            "月",
            "祝",
        ],
    );
    // Mon, Wed and Fri of each of the two rows, and the library on Saturday.
    assert_eq!(squeeze(&text).matches("居宅介護").count(), 6);
}

#[test]
fn the_monitoring_report_has_every_goal_with_the_persons_view() {
    let goal = |k: u32, need: &str| GoalReview {
        row_key: k,
        need: need.into(),
        goal: format!("{need}の目標"),
        provision: "週2回予定どおり".into(),
        person_view: "楽しい。もっと作りたい。".into(),
        satisfaction: Some(Satisfaction::High),
        achievement: Some(Achievement::Partly),
        issues: "献立を一緒に考える".into(),
        change_kind: false,
        change_amount: true,
        change_week: false,
        note: "".into(),
    };
    let r = MonitoringRecord {
        monitored_on: d(2026, 11, 10),
        method: MonitoringMethod::HomeVisit,
        present: "兄".into(),
        overall: "落ち着いて暮らしている。".into(),
        person_words: "カレーが作れるようになった！".into(),
        goals: vec![goal(1, "料理"), goal(2, "お金の管理")],
        outcome: Outcome::Reassess,
        reassess_reasons: vec![ReassessReason::NeedsChanged],
        close_reason: None,
        outcome_note: "就労の希望が出てきた".into(),
        reassessment_id: None,
    };
    let doc = monitoring_doc(&r, "令和8年8月1日作成の計画（第2版）", &ctx("山田 太郎"));
    let pdf = pdf_of(DocKind::Monitoring, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "モニタリング報告書",
            "モニタリング実施日",
            "令和8年11月10日",
            "居宅訪問",
            "サービス提供状況",
            "本人の感想・満足度",
            "支援目標の達成度",
            "今後の課題・解決方法",
            "計画変更の必要性",
            "カレーが作れるようになった！",
            "料理の目標",
            "お金の管理の目標",
            "一部達成",
            "再アセスメント（ニーズ・環境が変化した）",
            "就労の希望が出てきた",
        ],
    );
}

#[test]
fn the_meeting_record_lists_who_came_and_the_six_steps() {
    let r = MeetingRecord {
        held_on: d(2026, 11, 18),
        start: Some(t(14, 0)),
        place: "本人宅".into(),
        chair: "鈴木".into(),
        recorder: "田中".into(),
        participants: vec![
            Participant {
                member_id: 1,
                attended: true,
            },
            Participant {
                member_id: 2,
                attended: false,
            },
        ],
        introductions: "本人から自己紹介".into(),
        discussion: "計画案を読み合わせた".into(),
        municipality_view: "支給量は月20時間まで".into(),
        roles: "ヘルパーは調理、兄は通院".into(),
        cannot_do: vec!["夜間の見守り".into()],
        next_date: Some(d(2027, 2, 10)),
        key_person: "兄".into(),
        consent_and_roles: "本人が同意した".into(),
        conclusions: "計画案のとおり進める".into(),
        remaining: "夜間の不安".into(),
        held: true,
    };
    let people = vec![
        ParticipantDoc {
            name: "山田 太郎".into(),
            organisation: "".into(),
            role: "本人".into(),
            attended: true,
        },
        ParticipantDoc {
            name: "佐藤 一郎".into(),
            organisation: "ヘルパーステーションあおば".into(),
            role: "サービス提供責任者".into(),
            attended: false,
        },
    ];
    let doc = meeting_doc(
        &r,
        "サービス等利用計画（案） 第1版",
        people,
        &ctx("山田 太郎"),
    );
    let pdf = pdf_of(DocKind::Meeting, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "サービス担当者会議の記録",
            "令和8年11月18日",
            "14:00",
            "本人宅",
            "ヘルパーステーションあおば",
            "欠席",
            "1メンバー紹介",
            "2アセスメント・計画案の提示と検討",
            "市町村の方針:支給量は月20時間まで",
            "3役割分担の確認",
            "4現状ではできないことの確認",
            "夜間の見守り",
            "次回開催日:令和9年2月10日",
            "6利用者の同意と役割確認",
            "計画案のとおり進める",
            "夜間の不安",
        ],
    );
}

#[test]
fn the_assessment_sheet_prints_the_words_the_drawings_and_the_needs() {
    let basic = BasicInfo {
        name: "山田 太郎".into(),
        kana: "やまだ たろう".into(),
        birth_date: Some(d(1990, 4, 2)),
        sex: "男性".into(),
        address: "M市".into(),
        disabilities: "精神".into(),
        diagnosis: "統合失調症".into(),
        support_category: "区分3".into(),
        books: "".into(),
        income: "".into(),
        guardian: "".into(),
        guardians: Vec::new(),
        key_person: "兄".into(),
        doctor: "".into(),
    };
    let mut r = AssessmentRecord::new(
        d(2026, 10, 1),
        AssessmentMethod::HomeVisit,
        "兄".into(),
        basic,
    );
    r.title = "カレーの人".into();
    r.wish_person = "一人暮らしを続けたい。".into();
    r.family = vec![
        FamilyMember {
            key: 1,
            relation: "本人".into(),
            name: "太郎".into(),
            sex: Sex::Male,
            birth_year: Some(1990),
            age: None,
            deceased: false,
            cohabiting: false,
            is_client: true,
            note: "".into(),
        },
        FamilyMember {
            key: 2,
            relation: "兄".into(),
            name: "一郎".into(),
            sex: Sex::Male,
            birth_year: Some(1985),
            age: None,
            deceased: false,
            cohabiting: false,
            is_client: false,
            note: "近所に住む".into(),
        },
    ];
    r.history = vec![LifeEvent {
        year: 2012,
        month: None,
        event: "発病・入院".into(),
    }];
    r.strengths = vec![Strength {
        kind: StrengthKind::GoodAt,
        text: "几帳面で道具を大切にする".into(),
    }];
    r.demands = vec![Demand {
        key: 1,
        speaker: Speaker::Person,
        words: "料理を覚えたい".into(),
    }];
    r.needs = vec![Need {
        key: 1,
        text: "自分で食事を作れるようになりたい".into(),
        source: Some(NeedSource::Demand(1)),
        grounds: "毎日コンビニ弁当".into(),
        reframing: "".into(),
    }];
    r.judgement = "調理の支援から始める".into();
    let doc = assessment_doc(&r, 1, &ctx("山田 太郎"));
    let pdf = pdf_of(DocKind::Assessment, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "アセスメントシート",
            "「カレーの人」",
            "一人暮らしを続けたい。",
            "家族構成（ジェノグラム）",
            "一郎",
            "生活歴",
            "発病・入院",
            "エコマップ",
            "ストレングス",
            "几帳面で道具を大切にする",
            "自分で食事を作れるようになりたい",
            "本人「料理を覚えたい」",
            "毎日コンビニ弁当",
            "調理の支援から始める",
            "食事",
            "金銭管理",
        ],
    );
}

#[test]
fn a_childs_assessment_sheet_prints_the_childs_voice_beside_the_parents_and_the_family() {
    let basic = BasicInfo {
        name: "千葉 ひなた".into(),
        kana: "ちば ひなた".into(),
        birth_date: Some(d(2022, 6, 1)),
        guardian: "千葉 美穂（母）、千葉 大樹（父）".into(),
        ..Default::default()
    };
    let mut r = AssessmentRecord::new(
        d(2026, 10, 1),
        AssessmentMethod::HomeVisit,
        "本人、母".into(),
        basic,
    );
    assert!(r.is_child());
    r.wish_person = "「でんしゃ、のる」".into();
    r.family_wishes = vec![yorisoi_domain::assessment::FamilyWish {
        relation: "母".into(),
        name: "千葉 美穂".into(),
        words: "お友達と遊べるようになってほしい".into(),
    }];
    r.child.expression = "電車の絵本を差し出す笑顔から受け止めた".into();
    r.child.play = "電車を一列に並べる".into();
    r.child.group_life = "みなと保育園の年少組".into();
    r.child.parents_rest = "祖母が送迎を手伝う".into();
    let doc = assessment_doc(&r, 1, &ctx("千葉 ひなた"));
    assert!(doc.child);
    // A child's items only: no work, no driving.
    assert!(doc.abilities.iter().any(|a| a.item == "ことばの理解"));
    assert!(
        doc.abilities
            .iter()
            .all(|a| a.item != "運転" && a.group != "仕事")
    );
    let pdf = pdf_of(DocKind::Assessment, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "本人の思いと保護者の願い",
            "「でんしゃ、のる」",
            "受け止め方：電車の絵本を差し出す笑顔から受け止めた",
            "お友達と遊べるようになってほしい",
            "発達と育ち",
            "電車を一列に並べる",
            "みなと保育園の年少組",
            "家族の状況と支援",
            "祖母が送迎を手伝う",
            "ことばの理解",
        ],
    );
}
