//! The assessment sheet: the seed's graphical sheet with the genogram, ecomap, life history, day
//! and week drawn from the record (the same SVG as on screen, vector in the PDF).

use super::{Common, Ctx, Labelled, Person, labelled};
use crate::svg::{PT_PER_PX, SHEET_WIDTH, view_box};
use crate::{day, ecomap, genogram, timeline, week};
use chrono::Datelike;
use serde::Serialize;
use yorisoi_domain::assessment::{
    AbilityItem, AssessmentRecord, CHILD_FAMILY, CHILD_GROWTH, NeedSource, StrengthKind,
};

/// The drawings an assessment has, by the name used in URLs and in [`AssessmentDoc`].
pub const DRAWINGS: [&str; 5] = ["genogram", "ecomap", "timeline", "day", "week"];

/// The day and the week share the sheet's width side by side, with 8 px between.
const DAY_WIDTH: f64 = 276.0;
const WEEK_WIDTH: f64 = SHEET_WIDTH - DAY_WIDTH - 8.0;

/// The width (px) a drawing is laid out for: the width it prints in on the sheet, at
/// [`PT_PER_PX`]. The screen shows the same drawing at its own size (a tablet's column holds
/// the sheet's width).
pub fn frame(kind: &str) -> f64 {
    match kind {
        "day" => DAY_WIDTH,
        "week" => WEEK_WIDTH,
        _ => SHEET_WIDTH,
    }
}

/// Draws one of [`DRAWINGS`] from the record, laid out for its [`frame`] (the sheet, the
/// section pages, the SVG files and the PDF all come through here).
pub fn drawing(kind: &str, r: &AssessmentRecord) -> Option<String> {
    let year = r.assessed_on.year();
    let width = frame(kind);
    Some(match kind {
        "genogram" => {
            // The person's age from the ledger's birth date, not from the year alone.
            let mut family = r.family.clone();
            if let Some(b) = r.basic.birth_date {
                for m in family.iter_mut().filter(|m| m.is_client) {
                    m.birth_year = None;
                    m.age = Some(yorisoi_domain::date::age_on(b, r.assessed_on));
                }
            }
            genogram::genogram(&family, &r.family_links, year, width)
        }
        "ecomap" => {
            let name = r.basic.name.split_whitespace().next().unwrap_or("本人");
            ecomap::ecomap(&format!("{name}さん"), &r.ecomap, width)
        }
        "timeline" => timeline::timeline(&r.history, r.basic.birth_date, year, width),
        "day" => day::day(&r.day, width),
        "week" => week::week(&r.week, width),
        _ => return None,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct AbilityDoc {
    /// ADL / 対人 / 仕事
    pub group: String,
    pub item: String,
    /// 自立 / 見守り / 一部支援 / 全面支援 / ""
    pub level: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClinicDoc {
    pub name: String,
    pub department: String,
    pub frequency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedDoc {
    pub text: String,
    /// Whose words it comes from: "本人の希望", "家族の希望" or the demand's words.
    pub source: String,
    pub grounds: String,
    pub reframing: String,
}

/// The tallest a drawing may print: a page less its heading and margins.
pub const MAX_HEIGHT_PT: f64 = 640.0;

/// The width (pt) a drawing prints at: its own width at [`PT_PER_PX`], so that its text prints
/// at the size it was written; narrower only when the drawing is wider than its frame or
/// taller than [`MAX_HEIGHT_PT`].
pub fn print_width(kind: &str, svg: &str) -> f64 {
    let (w, h) = view_box(svg).unwrap_or((frame(kind), 0.0));
    let width = w.min(frame(kind)) * PT_PER_PX;
    if w > 0.0 && h > 0.0 && width * h / w > MAX_HEIGHT_PT {
        MAX_HEIGHT_PT * w / h
    } else {
        width
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Drawings {
    pub genogram: String,
    pub ecomap: String,
    pub timeline: String,
    pub day: String,
    pub week: String,
    /// The width each prints at, in pt ([`print_width`]).
    pub widths: DrawingWidths,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrawingWidths {
    pub genogram: f64,
    pub ecomap: f64,
    pub timeline: f64,
    pub day: f64,
    pub week: f64,
}

/// The data of the assessment sheet template (`templates/assessment/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    pub planner: String,
    /// The case's short title (the seed suggests naming the case to remember it).
    pub case_title: String,
    pub assessed_on: String,
    /// 居宅訪問 / …
    pub method: String,
    pub version_no: i32,
    pub present: String,
    /// 基本情報 from the ledger snapshot.
    pub basic: Vec<Labelled>,
    pub appearance: String,
    pub living: String,
    pub wish_person: String,
    pub wish_family: String,
    /// A child's assessment (障害児相談支援): the wishes read 本人の思い / 保護者の願い and the
    /// child's sections print.
    pub child: bool,
    /// How the child's own wishes were heard.
    pub expression: String,
    /// 発達と育ち: development, play, rhythm, group life.
    pub growth: Vec<Labelled>,
    /// 家族の状況と支援: siblings, the parents' worries and rest.
    pub family_support: Vec<Labelled>,
    pub abilities: Vec<AbilityDoc>,
    pub hobbies: String,
    pub special_skills: String,
    /// "drug dose timing" per line.
    pub prescriptions: Vec<String>,
    /// "clinic department frequency" per line.
    pub clinics: Vec<String>,
    /// The same as columns, so that the frequency keeps its line.
    pub clinic_rows: Vec<ClinicDoc>,
    pub medical_note: String,
    /// The seven kinds of the seed and 環境の利点, each with its text ("" when not written).
    pub strengths: Vec<Labelled>,
    /// "本人: words" per line.
    pub demands: Vec<String>,
    pub needs: Vec<NeedDoc>,
    pub judgement: String,
    /// SVG of each drawing.
    pub drawings: Drawings,
}

pub fn assessment_doc(r: &AssessmentRecord, version_no: i32, cx: &Ctx) -> AssessmentDoc {
    let ds = cx.dates;
    let b = &r.basic;
    AssessmentDoc {
        common: cx.common("アセスメントシート"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        case_title: r.title.clone(),
        assessed_on: ds.date(r.assessed_on),
        method: r.method.label().into(),
        version_no,
        present: r.present.clone(),
        basic: labelled(&[
            ("氏名", &b.name),
            ("ふりがな", &b.kana),
            ("生年月日", &ds.opt(b.birth_date)),
            ("性別", &b.sex),
            ("住所", &b.address),
            ("障害", &b.disabilities),
            ("診断名", &b.diagnosis),
            ("障害支援区分", &b.support_category),
            ("手帳", &b.books),
            ("収入", &b.income),
            ("後見人等", &b.guardian),
            ("キーパーソン", &b.key_person),
            ("主治医", &b.doctor),
        ]),
        appearance: r.appearance.clone(),
        living: r.living.clone(),
        wish_person: r.wish_person.clone(),
        wish_family: r.family_wishes_text(),
        child: r.is_child(),
        expression: r.child.expression.clone(),
        growth: CHILD_GROWTH
            .iter()
            .map(|(n, l)| Labelled {
                label: l.to_string(),
                text: r.child.get(n).to_string(),
            })
            .collect(),
        family_support: CHILD_FAMILY
            .iter()
            .map(|(n, l)| Labelled {
                label: l.to_string(),
                text: r.child.get(n).to_string(),
            })
            .collect(),
        // The items asked of this person, and any other item recorded.
        abilities: AbilityItem::ALL
            .iter()
            .filter(|i| r.ability_items().contains(i) || r.ability(**i).is_some())
            .map(|i| {
                let a = r.ability(*i);
                AbilityDoc {
                    group: i.group().into(),
                    item: i.label().into(),
                    level: a
                        .and_then(|a| a.level)
                        .map(|l| l.label().to_string())
                        .unwrap_or_default(),
                    note: a.map(|a| a.note.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        hobbies: r.hobbies.clone(),
        special_skills: r.special_skills.clone(),
        prescriptions: r
            .prescriptions
            .iter()
            .map(|p| {
                format!("{} {} {}", p.drug, p.dose, p.timing)
                    .trim()
                    .to_string()
            })
            .collect(),
        clinics: r
            .clinics
            .iter()
            .map(|c| {
                format!("{} {} {}", c.name, c.department, c.frequency)
                    .trim()
                    .to_string()
            })
            .collect(),
        clinic_rows: r
            .clinics
            .iter()
            .map(|c| ClinicDoc {
                name: c.name.clone(),
                department: c.department.clone(),
                frequency: c.frequency.clone(),
            })
            .collect(),
        medical_note: r.medical_note.clone(),
        strengths: StrengthKind::ALL
            .iter()
            .map(|k| Labelled {
                label: k.label().into(),
                text: r.strength(*k).to_string(),
            })
            .collect(),
        demands: r
            .demands
            .iter()
            .map(|d| format!("{}: {}", d.speaker.label(), d.words))
            .collect(),
        needs: r
            .needs
            .iter()
            .map(|n| NeedDoc {
                text: n.text.clone(),
                source: match n.source {
                    Some(NeedSource::PersonWish) => "本人の希望".into(),
                    Some(NeedSource::FamilyWish) => "家族の希望".into(),
                    Some(NeedSource::Demand(k)) => r
                        .demands
                        .iter()
                        .find(|d| d.key == k)
                        .map(|d| {
                            format!(
                                "{}{}",
                                d.speaker.label(),
                                yorisoi_domain::text::quoted(&d.words)
                            )
                        })
                        .unwrap_or_default(),
                    None => String::new(),
                },
                grounds: n.grounds.clone(),
                reframing: n.reframing.clone(),
            })
            .collect(),
        judgement: r.judgement.clone(),
        drawings: drawings(r),
    }
}

fn drawings(r: &AssessmentRecord) -> Drawings {
    let draw = |k| drawing(k, r).unwrap_or_default();
    let (genogram, ecomap, timeline, day, week) = (
        draw("genogram"),
        draw("ecomap"),
        draw("timeline"),
        draw("day"),
        draw("week"),
    );
    let widths = DrawingWidths {
        genogram: print_width("genogram", &genogram),
        ecomap: print_width("ecomap", &ecomap),
        timeline: print_width("timeline", &timeline),
        day: print_width("day", &day),
        week: print_width("week", &week),
    };
    Drawings {
        genogram,
        ecomap,
        timeline,
        day,
        week,
        widths,
    }
}
