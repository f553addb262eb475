//! Readings from Debian's mecab-ipadic sources, compiled here with vibrato.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use yorisoi_documents::furigana::{DEBIAN_IPADIC, Dictionary, Seg};

fn show(segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| match &s.r {
            Some(r) => format!("{}({})", s.t, r),
            None => s.t.clone(),
        })
        .collect()
}

/// Whether Debian's mecab-ipadic sources are here; without them a test is skipped, except with
/// CI set, where their absence fails it.
fn ipadic_installed() -> bool {
    let there = std::path::Path::new(DEBIAN_IPADIC)
        .join("matrix.def")
        .exists();
    if !there {
        assert!(
            std::env::var_os("CI").is_none(),
            "mecab-ipadic is needed with CI set (apt install mecab-ipadic)"
        );
        eprintln!("skipped: mecab-ipadic is not installed");
    }
    there
}

#[test]
fn the_dictionary_reads_a_plan_and_names_as_staff_entered_them() {
    if !ipadic_installed() {
        return;
    }
    let cache = std::env::temp_dir().join(format!("yorisoi-ipadic-{}.dic", std::process::id()));
    let t = Instant::now();
    let dict = Dictionary::new(DEBIAN_IPADIC, Some(cache.clone()));
    let r = dict.reader().unwrap();
    eprintln!("compiled in {:?}", t.elapsed());
    assert_eq!(
        show(&r.annotate("週に二回、料理を作ります。")),
        "週(しゅう)に二(に)回(かい)、料理(りょうり)を作(つく)ります。"
    );
    // The name as the ledger spells its reading, not as the dictionary guesses.
    let names = vec![("東海林".to_string(), "しょうじ".to_string())];
    let segs = r.annotate_with("東海林さんと買い物に行く", &names);
    assert_eq!(show(&segs[..1]), "東海林(しょうじ)");
    assert!(show(&segs).contains("買(か)い物(もの)"));
    // A second start loads the cache instead of compiling.
    assert!(cache.exists());
    let t = Instant::now();
    let again = Dictionary::new("/nonexistent", Some(cache.clone()));
    assert_eq!(again.reader().unwrap().annotate("相談").len(), 1);
    eprintln!("loaded in {:?}", t.elapsed());
    std::fs::remove_file(cache).unwrap();
}

#[path = "common.rs"]
mod common;

#[test]
fn the_easy_read_plan_puts_the_wish_first_with_readings_over_the_kanji() {
    use yorisoi_documents::docs::DocKind;
    use yorisoi_documents::docs::easy::{Audience, easy_doc, name_readings};
    use yorisoi_documents::docs::plan::plan_doc;
    use yorisoi_documents::templates::{STANDARD, Templates};
    use yorisoi_domain::plan::PlanState;
    let p = plan_doc(
        &common::plan(),
        PlanState::Final,
        1,
        &common::context("東海林 太郎"),
    );
    let names = name_readings("東海林 太郎", "しょうじ たろう");
    let src = Templates::default().source(DocKind::EasyPlan, STANDARD);
    // Without the dictionary: plain large text, the wish before the goals.
    let plain = easy_doc(&p, None, &names, Audience::Person);
    let pdf = yorisoi_documents::pdf::render_one(&src, &plain, common::d(2026, 11, 25)).unwrap();
    std::fs::write(
        std::env::temp_dir().join("yorisoi-easy-plain-test.pdf"),
        &pdf,
    )
    .unwrap();
    let Some(text) = common::pdf_text(&pdf) else {
        return;
    };
    let s = common::squeeze(&text);
    let wish = s.find("一人暮らしを続けたい").expect("wish");
    let goal = s.find("簡単な夕食を一人で作る").expect("goal");
    assert!(wish < goal, "the person's wish comes first");
    for w in [
        "わたしがすること",
        "買い物のメモを書く",
        "てつだってくれる人",
        "ヘルパーステーションあおば",
        "こまったときは",
        "鈴木花子さん",
        // The office's telephone, large, with its hours.
        "0439-00-0000",
        "平日9時〜17時",
    ] {
        assert!(s.contains(w), "missing {w}");
    }
    if !ipadic_installed() {
        return;
    }
    let dict = Dictionary::new(DEBIAN_IPADIC, None);
    let r = dict.reader().unwrap();
    let ruby = easy_doc(&p, Some(&r), &names, Audience::Person);
    assert!(ruby.furigana);
    assert_eq!(show(&ruby.name), "東海林(しょうじ) 太郎(たろう)");
    assert!(
        show(&ruby.wish).starts_with("一人暮(ひとりぐ)らしを続(つづ)けたい"),
        "{}",
        show(&ruby.wish)
    );
    let pdf = yorisoi_documents::pdf::render_one(&src, &ruby, common::d(2026, 11, 25)).unwrap();
    std::fs::write(std::env::temp_dir().join("yorisoi-easy-test.pdf"), &pdf).unwrap();
    let text = common::pdf_text(&pdf).unwrap();
    let s = common::squeeze(&text);
    for w in ["しょうじ", "ひとりぐ", "つづ", "けいかく", "りょうり"] {
        assert!(s.contains(w), "reading {w} missing");
    }
}

#[test]
fn a_childs_plan_prints_for_the_child_and_for_the_parents() {
    use yorisoi_documents::docs::DocKind;
    use yorisoi_documents::docs::easy::{Audience, easy_doc, easy_text, name_readings};
    use yorisoi_documents::docs::plan::plan_doc;
    use yorisoi_documents::templates::{STANDARD, Templates};
    use yorisoi_domain::plan::{PlanKind, PlanState};
    let mut r = common::plan();
    r.kind = PlanKind::Child;
    r.wish_person = "「でんしゃ、のる」".into();
    r.family_wishes = vec![yorisoi_domain::assessment::FamilyWish {
        relation: "母".into(),
        name: "千葉 美穂".into(),
        words: "お友達と遊べるようになってほしい".into(),
    }];
    r.family_support = "お母さんの相談先を、そらの保護者相談（月1回）に広げる。".into();
    r.rows[0].service_type = Some(yorisoi_domain::plan::ServiceType::ChildDevelopment);
    r.rows[0].service = "児童発達支援 週2回。".into();
    r.rows[0].provider = "こども発達センターそら 石井 児発管".into();
    let p = plan_doc(&r, PlanState::Final, 1, &common::context("千葉 ひなた"));
    assert_eq!(Audience::of(p.child), [Audience::Child, Audience::Parents]);
    let names = name_readings("千葉 ひなた", "ちば ひなた");
    let src = Templates::default().source(DocKind::EasyPlan, STANDARD);
    let child = easy_doc(&p, None, &names, Audience::Child);
    let parents = easy_doc(&p, None, &names, Audience::Parents);
    // The parents read their own wishes and the family support; the child's version does not
    // carry them.
    assert!(easy_text(&parents, false).contains("お友達と遊べるように"));
    assert!(!easy_text(&parents, false).contains("保護者相談"));
    assert!(easy_text(&parents, false).contains("お父さん・お母さんの 相談"));
    assert!(!easy_text(&child, false).contains("お友達と遊べるように"));
    let helpers = easy_text(&child, false);
    assert!(
        helpers.contains("あそびを とおして 育つ ところ"),
        "{helpers}"
    );
    assert!(
        helpers.contains("石井さん（しえんの せきにんしゃ）"),
        "{helpers}"
    );
    for (doc, words) in [
        (
            &child,
            &["わたしのすきなこと・したいこと", "いっしょにする人"][..],
        ),
        (
            &parents,
            &[
                "保護者の方へ",
                "お子さんの思い",
                "ご家族の願い",
                "ご家族への支援",
            ][..],
        ),
    ] {
        let pdf = yorisoi_documents::pdf::render_one(&src, doc, common::d(2026, 11, 25)).unwrap();
        let Some(text) = common::pdf_text(&pdf) else {
            return;
        };
        let s = common::squeeze(&text);
        for w in words {
            assert!(s.contains(w), "missing {w} in {s}");
        }
    }
}

#[test]
fn readings_never_overlap_the_text_of_another_line() {
    use yorisoi_documents::docs::DocKind;
    use yorisoi_documents::docs::easy::{Audience, easy_doc, name_readings};
    use yorisoi_documents::docs::plan::plan_doc;
    use yorisoi_documents::templates::{STANDARD, Templates};
    use yorisoi_domain::plan::PlanState;
    if !ipadic_installed() {
        return;
    }
    let mut r = common::plan();
    // Long texts that wrap, so that readings sit over a line with another line above it.
    r.wish_person = "一人暮らしを続けたい。日中は作業所に通所して、週2回は料理を習い、休日は友達と映画を観に行きたい。".repeat(2);
    r.rows[0].goal =
        "毎朝の服薬を忘れずに続け、通院の日は一人でバスに乗って病院へ行けるようになる。".repeat(2);
    let p = plan_doc(&r, PlanState::Final, 1, &common::context("東海林 太郎"));
    let dict = Dictionary::new(DEBIAN_IPADIC, None);
    let reader = dict.reader().unwrap();
    let easy = easy_doc(
        &p,
        Some(&reader),
        &name_readings("東海林 太郎", "しょうじ たろう"),
        Audience::Person,
    );
    let src = Templates::default().source(DocKind::EasyPlan, STANDARD);
    let pdf = yorisoi_documents::pdf::render_one(&src, &easy, common::d(2026, 11, 25)).unwrap();
    let Some(words) = common::pdf_words(&pdf) else {
        return;
    };
    // Readings print at half the size of their text (7–8 pt over 14–16 pt text).
    let readings: Vec<_> = words.iter().filter(|w| w.height() < 9.5).collect();
    let text: Vec<_> = words.iter().filter(|w| w.height() >= 12.0).collect();
    assert!(
        readings.len() > 20 && text.len() > 20,
        "{} readings, {} words",
        readings.len(),
        text.len()
    );
    for rd in &readings {
        for t in &text {
            assert!(!rd.overlaps(t), "the reading {rd:?} overlaps {t:?}");
        }
    }
}
