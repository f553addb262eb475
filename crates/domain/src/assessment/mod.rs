//! アセスメント: the whole person on one sheet (DOMAIN.md §3.3).
//!
//! An assessment is one versioned document per visit. It holds facts, not pictures: the
//! genogram, ecomap, life history, day and week are drawn from these records by `documents`.
//! Needs carry a stable key so that the plan can refer to them across versions.

mod child;
mod diff;
mod family_wish;
mod input;

pub use child::*;
pub use diff::{SectionDiff, diff, outline};
pub use family_wish::*;
pub use input::*;

use crate::client::Sex;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

crate::code_enum!(AssessmentMethod {
    HomeVisit = "home_visit": "居宅訪問",
    Office = "office": "事業所での面接",
    Facility = "facility": "病院・施設での面接",
    Other = "other": "その他",
});

crate::code_enum!(AbilityLevel {
    Independent = "independent": "自立",
    Watch = "watch": "見守り",
    Partial = "partial": "一部支援",
    Full = "full": "全面支援",
});

crate::code_enum!(AbilityItem {
    Eating = "eating": "食事",
    Cooking = "cooking": "調理",
    Moving = "moving": "移動",
    Posture = "posture": "立座位",
    Rolling = "rolling": "寝返り",
    Bathing = "bathing": "入浴",
    Toileting = "toileting": "排せつ",
    Driving = "driving": "運転",
    Medication = "medication": "服薬管理",
    Money = "money": "金銭管理",
    Assertion = "assertion": "自己主張",
    Greeting = "greeting": "挨拶",
    Cooperation = "cooperation": "協調性",
    Compromise = "compromise": "妥協",
    Sos = "sos": "SOS発信",
    Refusing = "refusing": "断る",
    Apologising = "apologising": "謝る",
    Persistence = "persistence": "持続性",
    Continuity = "continuity": "継続性",
    Concentration = "concentration": "集中力",
    ProcessUnderstanding = "process": "行程理解",
    StepUnderstanding = "steps": "手順理解",
    StepChange = "step_change": "手順変更",
    GrossMotor = "gross_motor": "からだの動き",
    FineMotor = "fine_motor": "手先の動き",
    Understanding = "understanding": "ことばの理解",
    Speaking = "speaking": "伝える力",
    Dressing = "dressing": "着替え",
    Sleep = "sleep": "睡眠",
    Play = "play": "遊び",
    Relating = "relating": "人との関わり",
    GroupJoining = "group": "集団参加",
    Switching = "switching": "切り替え",
    Senses = "senses": "感覚",
});

/// A child's items: daily care that fits a young child, then development.
const CHILD_ITEMS: [AbilityItem; 15] = {
    use AbilityItem::*;
    [
        Eating,
        Toileting,
        Bathing,
        Dressing,
        Sleep,
        Moving,
        GrossMotor,
        FineMotor,
        Understanding,
        Speaking,
        Play,
        Relating,
        GroupJoining,
        Switching,
        Senses,
    ]
};

/// An adult's items: the seed's sheet.
const ADULT_ITEMS: [AbilityItem; 23] = {
    use AbilityItem::*;
    [
        Eating,
        Cooking,
        Moving,
        Posture,
        Rolling,
        Bathing,
        Toileting,
        Driving,
        Medication,
        Money,
        Assertion,
        Greeting,
        Cooperation,
        Compromise,
        Sos,
        Refusing,
        Apologising,
        Persistence,
        Continuity,
        Concentration,
        ProcessUnderstanding,
        StepUnderstanding,
        StepChange,
    ]
};

impl AbilityItem {
    /// The items asked of a child or of an adult, in the sheet's order.
    pub fn asked(child: bool) -> &'static [AbilityItem] {
        if child { &CHILD_ITEMS } else { &ADULT_ITEMS }
    }

    /// The group the seed's sheet puts the item in.
    pub fn group(self) -> &'static str {
        use AbilityItem::*;
        match self {
            Dressing | Sleep => "ADL",
            GrossMotor | FineMotor | Understanding | Speaking | Play | Relating | GroupJoining
            | Switching | Senses => "発達",
            Eating | Cooking | Moving | Posture | Rolling | Bathing | Toileting | Driving
            | Medication | Money => "ADL",
            Assertion | Greeting | Cooperation | Compromise | Sos | Refusing | Apologising => {
                "対人"
            }
            _ => "仕事",
        }
    }
}

crate::code_enum!(StrengthKind {
    Inherent = "inherent": "本来持っている強さ",
    Healthy = "healthy": "健康な側面",
    GoodAt = "good_at": "得意なこと",
    Potential = "potential": "潜在的な能力",
    AcquiredSkill = "acquired": "暮らしの中で獲得した技能",
    Interest = "interest": "関心のあること・好きなこと",
    Communication = "communication": "コミュニケーション技術",
    Environment = "environment": "環境の利点",
});

crate::code_enum!(FamilyLinkKind {
    Married = "married": "婚姻",
    Partner = "partner": "内縁・パートナー",
    Divorced = "divorced": "離婚",
    ParentChild = "parent_child": "親子",
});

crate::code_enum!(ResourceKind {
    Family = "family": "家族・親族",
    Informal = "informal": "友人・地域",
    Service = "service": "福祉サービス",
    Medical = "medical": "医療",
    Agency = "agency": "行政・関係機関",
    WorkSchool = "work_school": "職場・学校",
});

crate::code_enum!(TieKind {
    Strong = "strong": "強い",
    Ordinary = "ordinary": "普通",
    Weak = "weak": "弱い",
    Stressful = "stressful": "ストレス・葛藤",
});

crate::code_enum!(TieDirection {
    ToPerson = "to_person": "本人へ",
    FromPerson = "from_person": "本人から",
    Both = "both": "双方向",
    Unspecified = "none": "なし",
});

crate::code_enum!(Speaker {
    Person = "person": "本人",
    Family = "family": "家族",
    Other = "other": "関係者",
});

crate::code_enum!(WeekSlot {
    Morning = "am": "午前",
    Afternoon = "pm": "午後",
    Night = "night": "夜間",
});

pub const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The ledger as it was on the assessment's date (a later change to the ledger does not
/// rewrite what was assessed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BasicInfo {
    pub name: String,
    pub kana: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: String,
    pub address: String,
    pub disabilities: String,
    pub diagnosis: String,
    pub support_category: String,
    pub books: String,
    pub income: String,
    pub guardian: String,
    /// The guardians one by one (a child's plan names its 保護者 from them).
    pub guardians: Vec<crate::client::Guardian>,
    pub key_person: String,
    pub doctor: String,
}

impl BasicInfo {
    /// The snapshot of the ledger taken when an assessment version starts.
    pub fn from_ledger(
        c: &crate::client::ClientRecord,
        books: &[crate::client::BookRecord],
    ) -> Self {
        let join = |v: Vec<&str>| v.join("、");
        let mut support = c.support_category.label().to_string();
        if let Some(u) = c.support_category_until {
            support.push_str(&format!("（{}まで）", crate::date::format_wareki(u)));
        }
        let guardian = c
            .guardians
            .iter()
            .map(|g| g.name_with_relation())
            .collect::<Vec<_>>()
            .join("、");
        let mut income = join(c.income_kinds.iter().map(|k| k.label()).collect());
        if !c.income_note.is_empty() {
            income = format!("{income} {}", c.income_note).trim().to_string();
        }
        let mut diagnosis = c.diagnosis.clone();
        if !c.complications.is_empty() {
            diagnosis = format!("{diagnosis}（合併症: {}）", c.complications);
        }
        let doctor = format!("{} {}", c.medical_institution, c.doctor)
            .trim()
            .to_string();
        BasicInfo {
            name: c.full_name(),
            kana: format!("{} {}", c.family_name_kana, c.given_name_kana),
            birth_date: Some(c.birth_date),
            sex: c.sex.label().into(),
            address: c.address.clone(),
            disabilities: join(c.disability_kinds.iter().map(|k| k.label()).collect()),
            diagnosis,
            support_category: support,
            books: join(
                books
                    .iter()
                    .map(|b| format!("{} {}", b.kind.label(), b.grade_label()))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|s| s.trim())
                    .collect(),
            ),
            income,
            guardian,
            guardians: c.guardians.clone(),
            key_person: c.key_person.clone(),
            doctor,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ability {
    pub item: AbilityItem,
    pub level: Option<AbilityLevel>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Prescription {
    pub drug: String,
    pub dose: String,
    pub timing: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Clinic {
    pub name: String,
    pub department: String,
    pub frequency: String,
}

/// One person of the family (the client is one of them, marked `is_client`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyMember {
    /// Stable within the assessment; links refer to it.
    pub key: u32,
    pub relation: String,
    pub name: String,
    pub sex: Sex,
    pub birth_year: Option<i32>,
    /// Age when the birth year is unknown ("70代" is written in the note instead).
    pub age: Option<i32>,
    pub deceased: bool,
    pub cohabiting: bool,
    pub is_client: bool,
    pub note: String,
}

impl FamilyMember {
    /// "78歳" / "1948年生" / "" for the drawing.
    pub fn age_label(&self, this_year: i32) -> String {
        match (self.birth_year, self.age, self.deceased) {
            (Some(y), _, true) => format!("{y}年生"),
            (Some(y), _, false) => format!("{}歳", this_year - y),
            (None, Some(a), _) => format!("{a}歳"),
            _ => String::new(),
        }
    }
}

/// A partnership (from, to = the two partners) or parent → child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyLink {
    pub kind: FamilyLinkKind,
    pub from: u32,
    pub to: u32,
}

/// One connection on the ecomap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EcoTie {
    pub name: String,
    pub kind: ResourceKind,
    pub tie: TieKind,
    pub direction: TieDirection,
    pub note: String,
    /// The office's directory entry this tie is (社会資源の一覧), so the map and the directory
    /// stay one fact. Absent in records written before the link existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LifeEvent {
    pub year: i32,
    pub month: Option<u32>,
    pub event: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayEntry {
    pub time: NaiveTime,
    pub activity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Strength {
    pub kind: StrengthKind,
    pub text: String,
}

/// What someone asked for, in their words (デマンド).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Demand {
    pub key: u32,
    pub speaker: Speaker,
    pub words: String,
}

/// Where a need comes from: a recorded demand or one of the wishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "type", content = "key")]
pub enum NeedSource {
    Demand(u32),
    PersonWish,
    FamilyWish,
}

impl NeedSource {
    pub fn code(self) -> String {
        match self {
            NeedSource::Demand(k) => format!("demand-{k}"),
            NeedSource::PersonWish => "wish_person".into(),
            NeedSource::FamilyWish => "wish_family".into(),
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "wish_person" => Some(NeedSource::PersonWish),
            "wish_family" => Some(NeedSource::FamilyWish),
            _ => s
                .strip_prefix("demand-")
                .and_then(|k| k.parse().ok())
                .map(NeedSource::Demand),
        }
    }
}

/// A need the specialist derived (ニーズ), with its grounds; carried forward to the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Need {
    pub key: u32,
    pub text: String,
    pub source: Option<NeedSource>,
    pub grounds: String,
    pub reframing: String,
}

/// Everything of one assessment version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssessmentRecord {
    pub assessed_on: NaiveDate,
    pub method: AssessmentMethod,
    pub present: String,
    pub title: String,
    pub basic: BasicInfo,
    pub appearance: String,
    pub living: String,
    pub wish_person: String,
    /// 家族の希望 written before speakers were recorded (kept as it was; new words go to
    /// [`Self::family_wishes`]).
    pub wish_family: String,
    /// 家族の希望, who said what.
    #[serde(default)]
    pub family_wishes: Vec<FamilyWish>,
    pub abilities: Vec<Ability>,
    pub hobbies: String,
    pub special_skills: String,
    pub prescriptions: Vec<Prescription>,
    pub clinics: Vec<Clinic>,
    pub medical_note: String,
    pub family: Vec<FamilyMember>,
    pub family_links: Vec<FamilyLink>,
    pub ecomap: Vec<EcoTie>,
    pub history: Vec<LifeEvent>,
    pub day: Vec<DayEntry>,
    /// 月〜日 × 午前・午後・夜間.
    pub week: [[String; 3]; 7],
    pub strengths: Vec<Strength>,
    pub demands: Vec<Demand>,
    pub needs: Vec<Need>,
    pub judgement: String,
    /// A child's growth, group life and family (empty for an adult).
    #[serde(default)]
    pub child: ChildLife,
}

impl AssessmentRecord {
    /// The family's wishes as one text, who said what.
    pub fn family_wishes_text(&self) -> String {
        family_wishes_text(&self.family_wishes, &self.wish_family)
    }

    /// A new, empty assessment with the ledger snapshot.
    pub fn new(
        assessed_on: NaiveDate,
        method: AssessmentMethod,
        present: String,
        basic: BasicInfo,
    ) -> Self {
        AssessmentRecord {
            assessed_on,
            method,
            present,
            title: String::new(),
            basic,
            appearance: String::new(),
            living: String::new(),
            wish_person: String::new(),
            wish_family: String::new(),
            family_wishes: Vec::new(),
            abilities: Vec::new(),
            hobbies: String::new(),
            special_skills: String::new(),
            prescriptions: Vec::new(),
            clinics: Vec::new(),
            medical_note: String::new(),
            family: Vec::new(),
            family_links: Vec::new(),
            ecomap: Vec::new(),
            history: Vec::new(),
            day: Vec::new(),
            week: Default::default(),
            strengths: Vec::new(),
            demands: Vec::new(),
            needs: Vec::new(),
            judgement: String::new(),
            child: ChildLife::default(),
        }
    }

    /// The start of a re-assessment: everything copied from this version except the visit's
    /// own facts (date, method, who was present) and the ledger snapshot, which are new.
    pub fn reassess(
        &self,
        assessed_on: NaiveDate,
        method: AssessmentMethod,
        present: String,
        basic: BasicInfo,
    ) -> Self {
        AssessmentRecord {
            assessed_on,
            method,
            present,
            basic,
            ..self.clone()
        }
    }

    /// Whether the person was a child on the day of this assessment (障害児相談支援).
    pub fn is_child(&self) -> bool {
        is_child(self.basic.birth_date, self.assessed_on)
    }

    /// The ability items this assessment asks: a child's development instead of work and driving.
    pub fn ability_items(&self) -> &'static [AbilityItem] {
        AbilityItem::asked(self.is_child())
    }

    pub fn ability(&self, item: AbilityItem) -> Option<&Ability> {
        self.abilities.iter().find(|a| a.item == item)
    }

    pub fn strength(&self, kind: StrengthKind) -> &str {
        self.strengths
            .iter()
            .find(|s| s.kind == kind)
            .map(|s| s.text.as_str())
            .unwrap_or("")
    }

    pub fn week_cell(&self, day: usize, slot: WeekSlot) -> &str {
        let s = WeekSlot::ALL.iter().position(|x| *x == slot).unwrap_or(0);
        self.week.get(day).map(|d| d[s].as_str()).unwrap_or("")
    }

    /// A label for a need's source, for the sheet and the plan.
    pub fn source_label(&self, s: NeedSource) -> String {
        match s {
            NeedSource::PersonWish => "本人の希望".into(),
            NeedSource::FamilyWish => "家族の希望".into(),
            NeedSource::Demand(k) => self
                .demands
                .iter()
                .find(|d| d.key == k)
                .map(|d| format!("{}「{}」", d.speaker.label(), d.words))
                .unwrap_or_else(|| "（削除された要望）".into()),
        }
    }

    /// The source with its words, for a plan row: 「本人の希望「A型で働きたい」」.
    pub fn source_words(&self, s: NeedSource) -> String {
        let first = |t: &str| t.lines().next().unwrap_or("").trim().to_string();
        match s {
            NeedSource::PersonWish if !self.wish_person.trim().is_empty() => {
                format!(
                    "本人の希望{}",
                    crate::text::quoted(&first(&self.wish_person))
                )
            }
            NeedSource::FamilyWish if !self.family_wishes.is_empty() => {
                let w = &self.family_wishes[0];
                format!(
                    "家族の希望（{}）{}",
                    w.speaker(),
                    crate::text::quoted(&first(&w.words))
                )
            }
            other => self.source_label(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn need_source_codes_round_trip() {
        for s in [
            NeedSource::Demand(3),
            NeedSource::PersonWish,
            NeedSource::FamilyWish,
        ] {
            assert_eq!(NeedSource::from_code(&s.code()), Some(s));
        }
        assert_eq!(NeedSource::from_code("demand-x"), None);
        assert_eq!(NeedSource::from_code(""), None);
    }

    #[test]
    fn ability_groups_follow_the_sheet() {
        let groups: Vec<_> = AbilityItem::asked(false)
            .iter()
            .map(|i| i.group())
            .collect();
        assert_eq!(groups.iter().filter(|g| **g == "ADL").count(), 10);
        assert_eq!(groups.iter().filter(|g| **g == "対人").count(), 7);
        assert_eq!(groups.iter().filter(|g| **g == "仕事").count(), 6);
    }

    #[test]
    fn a_child_is_asked_about_development_not_work() {
        let child = AbilityItem::asked(true);
        assert!(child.iter().all(|i| i.group() != "仕事"));
        assert!(!child.contains(&AbilityItem::Driving));
        assert_eq!(child.iter().filter(|i| i.group() == "発達").count(), 9);
        // Every item is asked of someone, once.
        for item in AbilityItem::ALL {
            let n = AbilityItem::asked(true)
                .iter()
                .filter(|i| **i == *item)
                .count()
                + AbilityItem::asked(false)
                    .iter()
                    .filter(|i| **i == *item)
                    .count();
            assert!(n >= 1, "{item:?} is asked of no one");
        }
        let mut a = AssessmentRecord::new(
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
            AssessmentMethod::HomeVisit,
            String::new(),
            BasicInfo::default(),
        );
        assert_eq!(
            a.ability_items().len(),
            23,
            "no birth date: the adult sheet"
        );
        a.basic.birth_date = NaiveDate::from_ymd_opt(2021, 9, 1);
        assert!(a.is_child());
        assert_eq!(a.ability_items(), AbilityItem::asked(true));
    }

    #[test]
    fn reassessment_keeps_content_and_renews_the_visit() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let mut a = AssessmentRecord::new(
            d("2026-04-01"),
            AssessmentMethod::HomeVisit,
            "本人、母".into(),
            BasicInfo::default(),
        );
        a.wish_person = "A型で働きたい".into();
        let b = a.reassess(
            d("2026-10-01"),
            AssessmentMethod::Office,
            "本人".into(),
            BasicInfo {
                name: "新".into(),
                ..Default::default()
            },
        );
        assert_eq!(b.wish_person, "A型で働きたい");
        assert_eq!(b.assessed_on, d("2026-10-01"));
        assert_eq!(b.method, AssessmentMethod::Office);
        assert_eq!(b.basic.name, "新");
        assert_eq!(a.basic.name, "");
    }

    #[test]
    fn family_age_labels() {
        let m = FamilyMember {
            key: 1,
            relation: "母".into(),
            name: String::new(),
            sex: Sex::Female,
            birth_year: Some(1948),
            age: None,
            deceased: false,
            cohabiting: false,
            is_client: false,
            note: String::new(),
        };
        assert_eq!(m.age_label(2026), "78歳");
        let dead = FamilyMember {
            deceased: true,
            ..m.clone()
        };
        assert_eq!(dead.age_label(2026), "1948年生");
        let aged = FamilyMember {
            birth_year: None,
            age: Some(50),
            ..m
        };
        assert_eq!(aged.age_label(2026), "50歳");
    }
}
