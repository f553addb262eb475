//! The plan as a PDF: headings, the person's words and every row are in the text; long plans
//! paginate with the column headings repeated; rare kanji print.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::plan::plan_doc;
use yorisoi_documents::pdf::render_one;
use yorisoi_documents::templates::{STANDARD, Templates};
use yorisoi_domain::plan::PlanState;

fn template() -> String {
    Templates::default()
        .source(DocKind::Plan, STANDARD)
        .into_owned()
}

#[test]
fn the_plan_prints_its_headings_the_persons_words_and_every_row() {
    let doc = plan_doc(&plan(), PlanState::Draft, 1, &context("山田 太郎"));
    let pdf = render_one(&template(), &doc, d(2026, 11, 25)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    std::fs::write(std::env::temp_dir().join("yorisoi-plan-test.pdf"), &pdf).unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    let s = squeeze(&text);
    for heading in [
        "サービス等利用計画（案）",
        "利用者氏名",
        "障害支援区分",
        "相談支援事業者名",
        "計画作成担当者",
        "利用者負担上限額",
        "利用者同意署名欄",
        "計画案作成日",
        "モニタリング期間",
        "総合的な援助の方針",
        "長期目標",
        "短期目標",
        "解決すべき課題",
        "支援目標",
        "達成時期",
        "提供事業者名",
        "課題解決のための",
        "本人の役割",
        "評価時期",
        "その他留意事項",
    ] {
        assert!(s.contains(heading), "missing heading {heading}");
    }
    assert!(s.contains("一人暮らしを続けたい。料理ができるようになりたい。"));
    assert!(
        s.contains("姉（山田和美）：「無理をしないで暮らしてほしい。」"),
        "the family's words print with who said them"
    );
    assert!(s.contains("令和8年11月20日"), "dates print in 和暦");
    assert!(s.contains("3月ごと（令和9年2月から）") || s.contains("令和9年2月から"));
    for r in &plan().rows {
        assert!(s.contains(&squeeze(&r.need)), "row {}", r.need);
        assert!(s.contains(&squeeze(&r.goal)), "row {}", r.goal);
    }
    assert!(s.contains("相談支援センターよりそい"));
    assert!(s.contains("1/1"), "page numbers: {text}");
}

#[test]
fn a_200_row_plan_paginates_with_the_column_headings_on_every_page() {
    let mut p = plan();
    p.rows = (1..=200)
        .map(|k| {
            row(
                k,
                &format!("課題その{k}"),
                &format!("目標その{k}"),
                "見守り",
            )
        })
        .collect();
    let doc = plan_doc(&p, PlanState::Draft, 1, &context("山田 太郎"));
    let pdf = render_one(&template(), &doc, d(2026, 11, 25)).unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 10, "200 rows on {} pages", pages.len());
    for (i, page) in pages.iter().enumerate().skip(1) {
        let s = squeeze(page);
        assert!(
            s.contains("支援目標") && s.contains("評価"),
            "page {} lacks the headings",
            i + 1
        );
        assert!(
            s.contains(&format!("{}/{}", i + 1, pages.len())),
            "page {} number",
            i + 1
        );
    }
    let all = squeeze(&text);
    for k in [1, 57, 133, 200] {
        assert!(all.contains(&format!("課題その{k}")), "row {k}");
    }
}

#[test]
fn rare_kanji_in_names_print_from_the_fallback_font() {
    for name in ["髙橋 﨑子", "𠮷田 太郎"] {
        let doc = plan_doc(&plan(), PlanState::Final, 1, &context(name));
        let pdf = render_one(&template(), &doc, d(2026, 11, 25)).unwrap();
        let Some(text) = pdf_text(&pdf) else { return };
        assert!(
            squeeze(&text).contains(&squeeze(name)),
            "{name} missing in {text}"
        );
    }
}
