//! The prints an inspection (運営指導) asks for: the 支援経過記録 of a period, the intake, the
//! closure with its evaluation and a decision-support record. Each prints its headings and the
//! record's own words.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::case::{closure_doc, intake_doc};
use yorisoi_documents::docs::decision::decision_doc;
use yorisoi_documents::docs::notes::{NoteEntry, notes_doc};
use yorisoi_documents::pdf::render;
use yorisoi_documents::templates::{STANDARD, Templates};
use yorisoi_domain::case::*;
use yorisoi_domain::decision::*;
use yorisoi_domain::note::{NoteKind, NoteRecord};

fn note(y: i32, m: u32, day: u32, h: u32, kind: NoteKind, content: &str) -> NoteRecord {
    NoteRecord {
        occurred_at: d(y, m, day).and_time(t(h, 30)),
        kind,
        counterpart: "母".into(),
        content: content.into(),
        minutes: Some(15),
        case_id: None,
    }
}

#[test]
fn case_notes_print_the_period_oldest_first_with_the_heading_on_every_page() {
    let mut records = vec![
        note(
            2026,
            11,
            20,
            14,
            NoteKind::Visit,
            "居宅訪問。台所が片付いていた。",
        ),
        note(
            2026,
            4,
            2,
            10,
            NoteKind::Phone,
            "来週の訪問日程を確認した。",
        ),
        // Outside the period: not printed.
        note(2025, 3, 31, 9, NoteKind::Mail, "期間より前の記録"),
    ];
    // Enough notes for several pages.
    for i in 0..60 {
        records.push(note(
            2026,
            6,
            1 + i % 28,
            9 + (i / 28),
            NoteKind::Agency,
            &format!("事業所と連絡（{i}回目）。ヘルパーの曜日を調整した。"),
        ));
    }
    let entries: Vec<NoteEntry> = records
        .iter()
        .map(|r| NoteEntry {
            record: r,
            staff: "鈴木 花子".into(),
        })
        .collect();
    let doc = notes_doc(&entries, d(2025, 12, 1), d(2026, 11, 30), &ctx("山田 太郎"));
    assert_eq!(doc.notes.len(), 62);
    let pdf = pdf_of(DocKind::Notes, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "支援経過記録",
            "利用者氏名",
            "山田 太郎",
            "令和7年12月1日〜令和8年11月30日",
            "日時",
            "種別・相手",
            "記録者",
            "内容",
            "令和8年4月2日",
            "10:30（15分）",
            "電話",
            "鈴木 花子",
            "来週の訪問日程を確認した。",
            "居宅訪問。台所が片付いていた。",
            "関係機関連絡",
            "計62件",
        ],
    );
    let s = squeeze(&text);
    assert!(!s.contains("期間より前の記録"));
    // Oldest first.
    let first = s.find("来週の訪問日程").unwrap();
    let june = s.find("事業所と連絡（0回目）").unwrap();
    let last = s.find("台所が片付いていた").unwrap();
    assert!(first < june && june < last);
    // Several pages, each with the table's heading.
    let n = pages(&text);
    assert!(n >= 2, "{n} pages");
    for page in text.split('\u{c}').filter(|p| !p.trim().is_empty()) {
        assert!(squeeze(page).contains("種別・相手"), "{page}");
    }
}

#[test]
fn case_notes_of_an_empty_period_say_so() {
    let doc = notes_doc(&[], d(2026, 1, 1), d(2026, 1, 31), &ctx("山田 太郎"));
    let pdf = pdf_of(DocKind::Notes, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(&text, &["支援経過記録", "この期間の記録はありません。"]);
}

fn intake() -> IntakeRecord {
    IntakeRecord {
        intake_date: d(2026, 4, 1),
        referral_source: ReferralSource::Family,
        referral_note: "母から電話".into(),
        chief_complaint: "働いてみたい。でも朝起きられるか心配。".into(),
        situation: "自宅で母と二人暮らし。日中は家で過ごしている。".into(),
        explained: "計画相談支援の流れと費用（自己負担なし）を説明した。".into(),
        consent_to_support: SupportConsent::Yes,
        urgency: Urgency::Low,
        next_steps: "4月中に自宅を訪問してアセスメント。".into(),
        title: "就労に向けた相談".into(),
    }
}

#[test]
fn the_intake_prints_the_complaint_in_the_persons_words() {
    let doc = intake_doc(&intake(), "就労に向けた相談", &ctx("山田 太郎"));
    let pdf = pdf_of(DocKind::Intake, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    assert_eq!(pages(&text), 1);
    has_all(
        &text,
        &[
            "インテーク記録",
            "受付日",
            "令和8年4月1日",
            "相談の経路",
            "家族（母から電話）",
            "就労に向けた相談",
            "主訴（本人・相談者の言葉）",
            "働いてみたい。でも朝起きられるか心配。",
            "説明したこと",
            "計画相談支援の流れと費用（自己負担なし）を説明した。",
            "援助を受ける意思",
            "確認できた",
            "緊急度",
            "通常",
            "今後の対応",
            "4月中に自宅を訪問してアセスメント。",
        ],
    );
}

#[test]
fn the_closure_prints_the_reason_and_the_evaluation() {
    let close = CloseRecord {
        closed_on: d(2026, 11, 10),
        reason: TerminationReason::Moved,
        reason_text: "県外の姉の家へ".into(),
        evaluation: Evaluation {
            changes: "週4日B型に通えるようになった。".into(),
            person_words: "ここで自信がついた。向こうでも働きたい。".into(),
            learning: "朝の声かけは本人の好きな音楽で。".into(),
            handover_to: "○○市 相談支援事業所ひかり".into(),
            handover: "アセスメントと計画の写しを本人の同意を得て送付".into(),
        },
    };
    let doc = closure_doc(
        &close,
        d(2026, 4, 1),
        &intake(),
        "就労に向けた相談",
        Some(d(2031, 11, 10)),
        &ctx("山田 太郎"),
    );
    let pdf = pdf_of(DocKind::Closure, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    assert_eq!(pages(&text), 1);
    has_all(
        &text,
        &[
            "終結の記録（エバリュエーション）",
            "支援の開始日",
            "令和8年4月1日",
            "終結日",
            "令和8年11月10日",
            "終結の理由",
            "転居: 県外の姉の家へ",
            "インテーク時の主訴",
            "働いてみたい。でも朝起きられるか心配。",
            "本人の言葉（終結にあたって）",
            "ここで自信がついた。向こうでも働きたい。",
            "本人にとって何が変わったか",
            "週4日B型に通えるようになった。",
            "チームが学んだこと",
            "引き継ぎ先",
            "○○市 相談支援事業所ひかり",
            "引き継いだ内容",
            "記録の保存期限",
            "令和13年11月10日",
        ],
    );
}

fn decision() -> DecisionRecord {
    DecisionRecord {
        question: "施設に残るか、グループホームに移るか".into(),
        background: "施設の建て替えで、移り先を選ぶことになった。".into(),
        lead_user_id: 1,
        started_on: d(2026, 9, 1),
        step: DecisionStep::Realisation,
        meetings: vec![DsMeeting {
            held_on: d(2026, 9, 10),
            purpose: "本人の意思を確かめる方法を話し合う".into(),
            discussion: "写真と見学で伝える".into(),
            agreed: "2か所を見学し、体験利用する".into(),
        }],
        participants: vec![Participant {
            held_on: d(2026, 9, 10),
            name: "山田 和美".into(),
            role: "姉".into(),
            knows: "静かな場所が好き。朝は機嫌がよい。".into(),
        }],
        information: vec![InfoGiven {
            on: Some(d(2026, 9, 15)),
            what: "グループホームの暮らし".into(),
            method: InfoMethod::PictureCards,
            reaction: "写真の庭を何度も指さした".into(),
        }],
        experiences: vec![Experience {
            place: "GHあおぞら".into(),
            from: d(2026, 10, 1),
            until: Some(d(2026, 10, 5)),
            purpose: "暮らしを体験する".into(),
        }],
        observations: vec![
            Observation {
                on: d(2026, 10, 2),
                text: "夕食を完食し、笑顔が多かった".into(),
                by: "GH職員".into(),
            },
            Observation {
                on: d(2026, 10, 20),
                text: "施設に戻ってから庭の写真を持ち歩いている".into(),
                by: "".into(),
            },
        ],
        evidence: vec![Evidence {
            kind: EvidenceKind::Behaviour,
            text: "体験中は毎朝自分から起きた".into(),
            source: "GHの記録".into(),
        }],
        expressed: Some(Expressed::No),
        person_words: "（庭の写真を指さして）ここ".into(),
        estimated_will: "グループホームで暮らしたい".into(),
        grounds: "体験中の表情と行動、戻ってからも写真を持ち歩くこと".into(),
        decision: "GHあおぞらへ移る".into(),
        decided_on: Some(d(2026, 11, 1)),
        realisation: "計画変更と支給申請".into(),
        follow_up_on: Some(d(2027, 2, 1)),
        follow_up_note: "移って3か月のふりかえり".into(),
    }
}

#[test]
fn the_decision_record_prints_the_estimated_will_with_its_grounds() {
    let doc = decision_doc(&decision(), "鈴木 花子", &ctx("山田 太郎"));
    assert_eq!(doc.experiences[0].observations.len(), 1);
    assert_eq!(doc.other_observations.len(), 1);
    let pdf = pdf_of(DocKind::Decision, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "意思決定支援の記録",
            "意思決定支援責任者",
            "鈴木 花子",
            "決めること",
            "施設に残るか、グループホームに移るか",
            "意思形成",
            "【意思実現】",
            "意思決定支援会議",
            "令和8年9月10日",
            "本人について知っていること",
            "静かな場所が好き。朝は機嫌がよい。",
            "2か所を見学し、体験利用する",
            "本人への情報提供",
            "絵カード・写真",
            "写真の庭を何度も指さした",
            "体験と日々の様子",
            "GHあおぞら",
            "令和8年10月1日〜令和8年10月5日",
            "夕食を完食し、笑顔が多かった",
            "ふだんの様子",
            "施設に戻ってから庭の写真を持ち歩いている",
            "本人の意思と、その根拠",
            "表明が難しく、意思と選好を推定した",
            "（庭の写真を指さして）ここ",
            "推定した意思と選好",
            "グループホームで暮らしたい",
            "推定の根拠",
            "体験中の表情と行動、戻ってからも写真を持ち歩くこと",
            "行動の記録",
            "体験中は毎朝自分から起きた",
            "決定と意思実現",
            "GHあおぞらへ移る",
            "令和8年11月1日決定・推定に基づく",
            "計画変更と支給申請",
            "令和9年2月1日",
            "移って3か月のふりかえり",
        ],
    );
}

#[test]
fn a_decision_the_person_said_prints_no_estimate() {
    let mut r = decision();
    r.expressed = Some(Expressed::Yes);
    r.estimated_will = String::new();
    r.grounds = String::new();
    r.meetings.clear();
    let doc = decision_doc(&r, "鈴木 花子", &ctx("山田 太郎"));
    let pdf = pdf_of(DocKind::Decision, &doc);
    let Some(text) = pdf_text(&pdf) else { return };
    has_all(
        &text,
        &[
            "本人が言葉やサインで表明した",
            "記録なし",
            "令和8年11月1日決定",
        ],
    );
    let s = squeeze(&text);
    assert!(
        !s.contains("推定の根拠") && !s.contains("推定に基づく"),
        "{text}"
    );
}

#[test]
fn a_batch_numbers_each_records_pages_from_one() {
    // Two clients' notes in one PDF (一括印刷): a one-page record, then a longer one.
    let short = note(2026, 11, 2, 10, NoteKind::Phone, "短い記録");
    let long: Vec<NoteRecord> = (0..60)
        .map(|i| {
            note(
                2026,
                11,
                1 + i % 28,
                9,
                NoteKind::Visit,
                &format!("長い記録{i}"),
            )
        })
        .collect();
    let entries = |rs: &[NoteRecord]| -> Vec<serde_json::Value> {
        let es: Vec<NoteEntry> = rs
            .iter()
            .map(|r| NoteEntry {
                record: r,
                staff: "鈴木 花子".into(),
            })
            .collect();
        vec![
            serde_json::to_value(notes_doc(
                &es,
                d(2026, 11, 1),
                d(2026, 11, 30),
                &ctx("山田 太郎"),
            ))
            .unwrap(),
        ]
    };
    let mut docs = entries(std::slice::from_ref(&short));
    docs.extend(entries(&long));
    let src = Templates::default().source(DocKind::Notes, STANDARD);
    let pdf = render(&src, &docs, d(2026, 11, 25)).unwrap();
    std::fs::write(
        std::env::temp_dir().join("yorisoi-notes-batch-test.pdf"),
        &pdf,
    )
    .unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(squeeze)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages[0].contains("1/1"), "{}", pages[0]);
    let rest = pages.len() - 1;
    for (i, p) in pages[1..].iter().enumerate() {
        assert!(
            p.contains(&format!("{}/{rest}", i + 1)),
            "page {}: {p}",
            i + 2
        );
    }
}
