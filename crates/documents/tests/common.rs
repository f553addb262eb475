//! Fixtures and a PDF text extractor for the document tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, NaiveTime};
use yorisoi_documents::docs::plan::PlanContext;
use yorisoi_documents::docs::{Ctx, DateStyle, Person};
use yorisoi_domain::plan::*;

/// `doc` printed through the standard template of `kind` (also written to the temp directory to
/// look at).
pub fn pdf_of<T: serde::Serialize>(kind: yorisoi_documents::docs::DocKind, doc: &T) -> Vec<u8> {
    use yorisoi_documents::templates::{STANDARD, Templates};
    let src = Templates::default().source(kind, STANDARD);
    let pdf = yorisoi_documents::pdf::render_one(&src, doc, d(2026, 11, 25)).unwrap();
    std::fs::write(
        std::env::temp_dir().join(format!("yorisoi-{}-test.pdf", kind.code())),
        &pdf,
    )
    .unwrap();
    pdf
}

/// Every one of `words` is in `text` (spaces and line breaks aside).
pub fn has_all(text: &str, words: &[&str]) {
    let s = squeeze(text);
    for w in words {
        assert!(s.contains(&squeeze(w)), "missing {w} in {text}");
    }
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The text of a PDF by poppler's pdftotext; `None` (reported) when it is not installed and CI
/// is not set. With CI set a missing pdftotext fails the test.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext (poppler-utils) is needed with CI set: {e}"
            );
            eprintln!("skipped: pdftotext is not installed (apt install poppler-utils)");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Page count by pdfinfo's sibling: form feeds in pdftotext's output.
pub fn pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

/// Text with the spaces pdftotext puts between columns and wrapped lines taken out, so that a
/// cell's text can be found whole.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn row(key: u32, need: &str, goal: &str, service: &str) -> PlanRow {
    PlanRow {
        key,
        need_key: None,
        from_wish: String::new(),
        need: need.into(),
        goal: goal.into(),
        due: "6か月".into(),
        category: ServiceCategory::Welfare,
        service_type: Some(ServiceType::HomeCare),
        service: service.into(),
        schedule: Some(Schedule {
            days: vec![0, 2, 4],
            start: t(9, 30),
            end: t(11, 0),
        }),
        provider: "ヘルパーステーションあおば（担当 佐藤 0120-000-000）".into(),
        resource_id: None,
        person_role: "買い物のメモを書く".into(),
        review: "3か月後".into(),
        notes: "".into(),
    }
}

pub fn plan() -> PlanRecord {
    PlanRecord {
        kind: PlanKind::Adult,
        drafted_on: d(2026, 11, 20),
        decided_on: None,
        assessment_id: None,
        assessment_method: None,
        guardian_name: String::new(),
        guardian_relation: String::new(),
        wish_person: "一人暮らしを続けたい。料理ができるようになりたい。".into(),
        wish_family: String::new(),
        family_wishes: vec![yorisoi_domain::assessment::FamilyWish {
            relation: "姉".into(),
            name: "山田 和美".into(),
            words: "無理をしないで暮らしてほしい。".into(),
        }],
        policy: "本人の「自分でやりたい」を大切にし、できることを増やす。".into(),
        long_goal: "好きな料理を作って友人を招く。".into(),
        short_goal: "週に二回、ヘルパーと一緒に夕食を作る。".into(),
        housing: "今のアパートで一人暮らし".into(),
        day_activity: "就労継続支援B型（週4日）".into(),
        support_system: "ヘルパー、B型事業所、兄".into(),
        alternatives: "".into(),
        emergency: "体調不良時は兄（090-0000-0000）に連絡".into(),
        family_support: String::new(),
        rows: vec![
            row(
                1,
                "自分で料理ができるようになりたい",
                "簡単な夕食を一人で作る",
                "調理の見守りと一緒に買い物",
            ),
            row(
                2,
                "お金の管理が不安",
                "1週間の予算で暮らす",
                "金銭管理の相談",
            ),
        ],
        week: WeeklyPlan {
            entries: vec![WeekEntry {
                day: 5,
                start: t(10, 0),
                end: t(12, 0),
                label: "図書館".into(),
            }],
            main_activities: "朝はゆっくり起きる".into(),
            non_weekly: "月1回の通院（こころのクリニック）".into(),
            whole_picture: "自分のペースで料理と仕事を続ける暮らし".into(),
        },
        monitoring: MonitoringProposal {
            period: Some(MonitoringPeriod::Every3),
            start_month: Some(d(2027, 2, 1)),
            note: String::new(),
        },
        consents: vec![],
        handovers: vec![],
    }
}

pub fn context(name: &str) -> PlanContext {
    PlanContext {
        base: ctx(name),
        support_level: "区分3".into(),
        certificate_number: "1234567890".into(),
        cost_cap: "9,300円".into(),
        ..Default::default()
    }
}

pub fn ctx(name: &str) -> Ctx {
    Ctx {
        office: "相談支援センターよりそい".into(),
        person: Person {
            client_name: name.into(),
            client_kana: "やまだ たろう".into(),
        },
        planner: "鈴木 花子".into(),
        dates: DateStyle::Wareki,
        today: Some(d(2026, 11, 25)),
        office_phone: "0439-00-0000".into(),
        office_hours: "平日 9時〜17時".into(),
    }
}

/// A word of a PDF page with its box in pt (poppler's `pdftotext -bbox-layout`): its height is
/// the size its text prints at.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Word {
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn overlaps(&self, o: &Word) -> bool {
        self.page == o.page && self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Every word of a PDF with its box; `None` (reported) when poppler is not installed and CI is
/// not set, as [`pdf_text`].
pub fn pdf_words(pdf: &[u8]) -> Option<Vec<Word>> {
    use std::process::Command;
    let path = std::env::temp_dir().join(format!(
        "yorisoi-words-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext (poppler-utils) is needed with CI set: {e}"
            );
            eprintln!("skipped: pdftotext is not installed (apt install poppler-utils)");
            return None;
        }
    };
    assert!(out.status.success(), "pdftotext -bbox-layout failed");
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    let mut words = Vec::new();
    for (page, body) in html.split("<page ").skip(1).enumerate() {
        for w in body.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap();
            words.push(Word {
                page: page + 1,
                text: text
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\""),
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            });
        }
    }
    Some(words)
}
