//! 本人開示: a person's whole file as one PDF — the cover's contents give each part's page in the
//! whole file, every part starts on a page of its own with no blank page between, and each part
//! prints with its own template.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use yorisoi_documents::docs::notes::{NoteEntry, notes_doc};
use yorisoi_documents::docs::person_file::{CoverDoc, SectionDoc, TableDoc};
use yorisoi_documents::docs::{Ctx, DateStyle, DocKind, Labelled, Person};
use yorisoi_documents::pdf::{Part, render_bundle};
use yorisoi_documents::templates::{STANDARD, Templates};
use yorisoi_domain::note::{NoteKind, NoteRecord};

fn ctx() -> Ctx {
    Ctx {
        office: "相談支援センターあおば".into(),
        person: Person {
            client_name: "山田 花子".into(),
            client_kana: "ヤマダ ハナコ".into(),
        },
        planner: "佐藤".into(),
        dates: DateStyle::Wareki,
        today: Some(d(2026, 12, 1)),
        ..Default::default()
    }
}

fn section(heading: &str, rows: usize) -> SectionDoc {
    SectionDoc {
        common: ctx().common(heading),
        client_name: "山田 花子".into(),
        heading: heading.into(),
        intro: "この節の説明".into(),
        fields: vec![Labelled {
            label: "氏名".into(),
            text: "山田 花子".into(),
        }],
        tables: vec![TableDoc {
            caption: format!("{heading}の一覧"),
            columns: vec!["日時".into(), "内容".into()],
            widths: vec![1, 3],
            rows: (0..rows)
                .map(|i| vec![format!("行{i}"), format!("{heading}の{i}行目")])
                .collect(),
            empty: "ありません".into(),
        }],
        shared_with: "本人開示".into(),
    }
}

#[test]
fn the_contents_give_each_parts_page_and_no_page_is_blank() {
    let notes: Vec<NoteRecord> = (0..70)
        .map(|i| NoteRecord {
            occurred_at: d(2026, 6, 1 + i % 28).and_time(t(9 + i / 28, 0)),
            kind: NoteKind::Phone,
            counterpart: "母".into(),
            content: format!("電話で様子を聞いた（{i}回目）。"),
            minutes: Some(10),
            case_id: None,
        })
        .collect();
    let entries: Vec<NoteEntry> = notes
        .iter()
        .map(|r| NoteEntry {
            record: r,
            staff: "佐藤".into(),
        })
        .collect();
    let cx = ctx();
    let notes_value =
        serde_json::to_value(notes_doc(&entries, d(2026, 6, 1), d(2026, 6, 30), &cx)).unwrap();
    let cover = CoverDoc {
        common: cx.common("保有個人データの開示"),
        client_name: "山田 花子".into(),
        client_kana: "ヤマダ ハナコ".into(),
        fields: vec![Labelled {
            label: "開示先".into(),
            text: "ご本人".into(),
        }],
        intro: "説明".into(),
        counts: vec![Labelled {
            label: "支援経過記録".into(),
            text: "70件".into(),
        }],
        shared_with: "本人開示".into(),
    };
    let parts = vec![
        Part {
            kind: None,
            title: "一 利用者台帳".into(),
            doc: serde_json::to_value(section("利用者台帳", 3)).unwrap(),
        },
        Part {
            kind: None,
            title: "二 操作記録".into(),
            // Long enough for several pages.
            doc: serde_json::to_value(section("操作記録", 150)).unwrap(),
        },
        Part {
            kind: Some(DocKind::Notes),
            title: "三 支援経過記録".into(),
            doc: notes_value,
        },
        Part {
            kind: None,
            title: "四 同意".into(),
            doc: serde_json::to_value(section("同意", 0)).unwrap(),
        },
    ];
    let templates = Templates::default();
    let pdf = render_bundle(
        serde_json::to_value(&cover).unwrap(),
        &parts,
        |k| templates.source(k, STANDARD).into_owned(),
        d(2026, 12, 1),
    )
    .unwrap();
    std::fs::write(
        std::env::temp_dir().join("yorisoi-person-file-test.pdf"),
        &pdf,
    )
    .unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(
        pages.len(),
        text.matches('\u{c}').count(),
        "no page is blank: {text}"
    );
    // Where each part's heading first appears, and the page the contents give it.
    let contents = squeeze(pages[0]);
    for (title, heading) in [
        ("一利用者台帳", "利用者台帳の一覧"),
        ("二操作記録", "操作記録の一覧"),
        ("三支援経過記録", "支援経過記録"),
        ("四同意", "同意の一覧"),
    ] {
        let at = pages
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, p)| squeeze(p).contains(heading))
            .map(|(i, _)| i + 1)
            .unwrap_or_else(|| panic!("{heading} not printed"));
        let after = contents
            .split_once(title)
            .unwrap_or_else(|| panic!("{title} not in the contents: {contents}"))
            .1;
        let listed: String = after
            .trim_start_matches('．')
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        assert_eq!(listed, at.to_string(), "{title}: {contents}");
    }
    has_all(
        &text,
        &[
            "山田 花子 様",
            "目次",
            "行149",
            "電話で様子を聞いた（69回目）",
        ],
    );
    assert!(pages.len() >= 6, "{} pages", pages.len());
}
