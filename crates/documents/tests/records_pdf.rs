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
use yorisoi_domain::assessment::*;
use yorisoi_domain::client::Sex;
use yorisoi_domain::meeting::{MeetingRecord, Participant};
use yorisoi_domain::monitoring::*;
use yorisoi_domain::plan::PlanState;

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

fn member(key: u32, relation: &str, name: &str, sex: Sex, born: i32, note: &str) -> FamilyMember {
    FamilyMember {
        key,
        relation: relation.into(),
        name: name.into(),
        sex,
        birth_year: Some(born),
        age: None,
        deceased: false,
        cohabiting: false,
        is_client: false,
        note: note.into(),
    }
}

fn tie(name: &str, kind: ResourceKind, tie: TieKind, note: &str) -> EcoTie {
    EcoTie {
        name: name.into(),
        kind,
        tie,
        direction: TieDirection::ToPerson,
        note: note.into(),
        resource_id: None,
    }
}

fn event(year: i32, month: Option<u32>, event: &str) -> LifeEvent {
    LifeEvent {
        year,
        month,
        event: event.into(),
    }
}

/// The issue's case: a new client of 38 with 高次脳機能障害 after a traffic accident, whose
/// accident, hospital, rehabilitation and discharge all fall in one year at the end of the line.
fn after_the_accident() -> AssessmentRecord {
    use FamilyLinkKind::*;
    let basic = BasicInfo {
        name: "森川 拓海".into(),
        kana: "もりかわ たくみ".into(),
        birth_date: Some(d(1988, 6, 12)),
        sex: "男性".into(),
        address: "N市".into(),
        disabilities: "高次脳機能障害".into(),
        diagnosis: "外傷性脳損傷".into(),
        support_category: "区分2".into(),
        books: "精神障害者保健福祉手帳2級".into(),
        income: "".into(),
        guardian: "".into(),
        guardians: Vec::new(),
        key_person: "母".into(),
        doctor: "".into(),
    };
    let mut r = AssessmentRecord::new(
        d(2026, 10, 1),
        AssessmentMethod::HomeVisit,
        "母".into(),
        basic,
    );
    let mut me = member(
        1,
        "本人",
        "拓海",
        Sex::Male,
        1988,
        "高次脳機能障害（記憶・段取り）",
    );
    me.is_client = true;
    me.cohabiting = true;
    let mut father = member(2, "父", "", Sex::Male, 1958, "");
    father.deceased = true;
    let mut mother = member(
        3,
        "母",
        "森川 由美子",
        Sex::Female,
        1961,
        "パート勤務 キーパーソン",
    );
    mother.cohabiting = true;
    r.family = vec![
        me,
        father,
        mother,
        member(
            4,
            "妹",
            "",
            Sex::Female,
            1991,
            "隣の県で会社員 月に一度帰ってくる",
        ),
        member(5, "元妻", "", Sex::Female, 1989, "2021年に離婚"),
        member(6, "長男", "", Sex::Male, 2017, "元妻と暮らす 面会は月1回"),
    ];
    r.family_links = vec![
        FamilyLink {
            kind: Married,
            from: 2,
            to: 3,
        },
        FamilyLink {
            kind: ParentChild,
            from: 2,
            to: 1,
        },
        FamilyLink {
            kind: ParentChild,
            from: 3,
            to: 1,
        },
        FamilyLink {
            kind: ParentChild,
            from: 2,
            to: 4,
        },
        FamilyLink {
            kind: ParentChild,
            from: 3,
            to: 4,
        },
        FamilyLink {
            kind: Divorced,
            from: 1,
            to: 5,
        },
        FamilyLink {
            kind: ParentChild,
            from: 1,
            to: 6,
        },
        FamilyLink {
            kind: ParentChild,
            from: 5,
            to: 6,
        },
    ];
    r.history = vec![
        event(1988, None, "出生（N市）"),
        event(1995, None, "小学校入学"),
        event(2007, None, "高校卒業・市内の運送会社に就職"),
        event(2016, None, "結婚"),
        event(2017, None, "長男誕生"),
        event(2021, None, "離婚・実家に戻る"),
        event(2024, Some(4), "交通事故（バイク）"),
        event(2024, Some(4), "救急搬送・N市民病院に入院（脳外科）"),
        event(2024, Some(7), "回復期リハビリテーション病院に転院"),
        event(2024, Some(12), "退院・母と二人暮らし"),
        event(2026, Some(9), "計画相談を開始"),
    ];
    use ResourceKind::*;
    use TieKind::*;
    r.ecomap = vec![
        tie("母", Family, Strong, "同居 送迎と服薬の声かけ"),
        tie("妹", Family, Weak, "月1回帰省"),
        tie("長男（元妻と同居）", Family, Weak, "面会は月1回"),
        tie(
            "リハビリ自立センターあおば（自立訓練・生活訓練）",
            Service,
            Ordinary,
            "週3日 通所予定",
        ),
        tie("N市民病院 脳神経外科", Medical, Ordinary, "月1回 受診"),
        tie("高次脳機能障害支援センター", Agency, Weak, "家族会の案内"),
        tie(
            "元の職場（運送会社）",
            WorkSchool,
            Stressful,
            "復職の話が止まっている",
        ),
        tie("相談支援事業所 よりそい", Agency, Ordinary, ""),
        tie("バイク仲間", Informal, Weak, "事故のあと連絡が減った"),
    ];
    let at = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    r.day = vec![
        DayEntry {
            time: at(7, 0),
            activity: "起床（母が声をかける）".into(),
        },
        DayEntry {
            time: at(7, 30),
            activity: "朝食・服薬（お薬カレンダー）".into(),
        },
        DayEntry {
            time: at(9, 0),
            activity: "テレビ・スマホ".into(),
        },
        DayEntry {
            time: at(12, 0),
            activity: "昼食（母が用意したもの）".into(),
        },
        DayEntry {
            time: at(13, 0),
            activity: "昼寝".into(),
        },
        DayEntry {
            time: at(15, 0),
            activity: "散歩（近所の公園まで）".into(),
        },
        DayEntry {
            time: at(18, 30),
            activity: "夕食".into(),
        },
        DayEntry {
            time: at(22, 0),
            activity: "就寝".into(),
        },
    ];
    r.week[0] = ["通院（月1回）".into(), "自宅".into(), "テレビ".into()];
    r.week[2] = ["自立訓練の見学".into(), "自宅".into(), "妹と電話".into()];
    r.week[5] = ["母と買い物".into(), "散歩".into(), "".into()];
    r.clinics = vec![
        Clinic {
            name: "N市民病院".into(),
            department: "脳神経外科（主治医 山本医師）".into(),
            frequency: "月1回".into(),
        },
        Clinic {
            name: "かわべ内科クリニック".into(),
            department: "内科".into(),
            frequency: "3か月に1回".into(),
        },
    ];
    r.wish_person = "前みたいに働きたい。一人で出かけられるようになりたい。".into();
    r
}

#[test]
fn the_assessment_sheets_drawings_print_no_text_under_seven_points() {
    let doc = assessment_doc(&after_the_accident(), 1, &ctx("森川 拓海"));
    let pdf = pdf_of(DocKind::Assessment, &doc);
    // Kept to be looked at (pdftoppm), beside the other sheet's file.
    std::fs::write(
        std::env::temp_dir().join("yorisoi-assessment-accident-test.pdf"),
        &pdf,
    )
    .unwrap();
    let Some(words) = pdf_words(&pdf) else { return };
    // Every word of the sheet, drawings included, at 7pt or more (a word's box is its size).
    let smallest = words
        .iter()
        .min_by(|a, b| a.height().total_cmp(&b.height()))
        .unwrap();
    eprintln!("smallest text: {:.2}pt ({smallest:?})", smallest.height());
    assert!(smallest.height() >= 7.0, "{smallest:?}");
    // The drawings' own words are there and printed at their size, not shrunk to fit a box.
    let find = |w: &str| {
        words
            .iter()
            .filter(|x| x.text.contains(w))
            .cloned()
            .collect::<Vec<_>>()
    };
    let drawn = [
        "交通事故（バイク）",
        "回復期リハビリ",
        "退院・母と二人暮らし",
        "2024年4月（35歳）",
        "由美子",
        "リハビリ自立セン",
        "昼食（母が用意したもの）",
        "自立訓練",
    ];
    for w in drawn {
        let found = find(w);
        assert!(!found.is_empty(), "{w} is not in the PDF");
        assert!(found.iter().all(|x| x.height() >= 7.4), "{w}: {found:?}");
    }
    // The year of the accident is spread out: its four labels are apart, none on another.
    let year: Vec<Word> = [
        "交通事故（バイク）",
        "救急搬送",
        "回復期リハビリ",
        "退院・母と二人暮らし",
    ]
    .iter()
    .map(|w| find(w).first().cloned().unwrap_or_else(|| panic!("{w}")))
    .collect();
    for (i, a) in year.iter().enumerate() {
        for b in &year[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} covers {b:?}");
        }
    }
    // The clinic's frequency keeps its line.
    let text = pdf_text(&pdf).unwrap_or_default();
    let on_one_line = |w: &str| text.lines().any(|l| squeeze(l).contains(w));
    assert!(on_one_line("月1回") && on_one_line("3か月に1回"), "{text}");
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
