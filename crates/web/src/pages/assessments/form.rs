//! The assessment's forms: the start (or re-assessment) form, and one typed form per section.
//! A section's grid arrives as parallel columns (every cell always submits, so the rows align)
//! and is read into the domain's typed rows; the other sections of the input stay as they were.

use crate::error::AppError;
use crate::kit::form::RawForm;
use crate::kit::grid::{ResourceOption, at, row_count};
use crate::kit::section::Sections;
use serde::Deserialize;
use yorisoi_domain::assessment::*;

pub use yorisoi_domain::assessment::StartInput;

/// The sections in the order the form asks them: the person's words and strengths first, then
/// the whole picture (family, ties, history, the day, abilities, health), and the needs last,
/// drawn out of all of it.
pub const SECTIONS: Sections = &[
    ("overview", "実施・様子・住環境"),
    ("wishes", "希望"),
    ("strengths", "ストレングス"),
    ("family", "家族構成"),
    ("ecomap", "エコマップ"),
    ("history", "生活歴"),
    ("daily", "日課・生活サイクル"),
    ("abilities", "能力"),
    ("medical", "医療"),
    ("needs", "デマンドとニーズ"),
];

/// A child's sections (障害児相談支援): growth and group life beside the family's situation.
pub const CHILD_SECTIONS: Sections = &[
    ("overview", "実施・様子・住環境"),
    ("wishes", "本人の思いと保護者の願い"),
    ("strengths", "ストレングス"),
    ("growth", "発達と育ち"),
    ("family", "家族構成"),
    ("family_support", "家族の状況と支援"),
    ("ecomap", "エコマップ"),
    ("history", "生育歴"),
    ("daily", "生活リズム・一週間"),
    ("abilities", "生活・発達"),
    ("medical", "医療"),
    ("needs", "デマンドとニーズ"),
];

/// The sections of an adult's or a child's assessment.
pub fn sections_for(child: bool) -> Sections {
    if child { CHILD_SECTIONS } else { SECTIONS }
}

/// 実施・様子・住環境.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Overview {
    pub assessed_on: String,
    pub method: String,
    pub present: String,
    pub title: String,
    pub appearance: String,
    pub living: String,
    pub judgement: String,
}

/// 希望.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Wishes {
    pub wish_person: String,
    /// A child's form only; an adult's leaves what was held.
    #[serde(rename = "child.expression")]
    pub expression: Option<String>,
    pub wish_family: String,
    pub fw_relation: Vec<String>,
    pub fw_name: Vec<String>,
    pub fw_words: Vec<String>,
}

/// 発達と育ち / 家族の状況と支援: a child's texts, each named `child.<field>`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChildForm {
    #[serde(rename = "child.development")]
    pub development: Option<String>,
    #[serde(rename = "child.play")]
    pub play: Option<String>,
    #[serde(rename = "child.rhythm")]
    pub rhythm: Option<String>,
    #[serde(rename = "child.group_life")]
    pub group_life: Option<String>,
    #[serde(rename = "child.siblings")]
    pub siblings: Option<String>,
    #[serde(rename = "child.parents_worries")]
    pub parents_worries: Option<String>,
    #[serde(rename = "child.parents_rest")]
    pub parents_rest: Option<String>,
}

impl ChildForm {
    /// Sets the fields the form sent; the other section's stay as they were.
    fn apply(self, c: &mut ChildLife) {
        for (name, v) in [
            ("development", self.development),
            ("play", self.play),
            ("rhythm", self.rhythm),
            ("group_life", self.group_life),
            ("siblings", self.siblings),
            ("parents_worries", self.parents_worries),
            ("parents_rest", self.parents_rest),
        ] {
            if let Some(v) = v {
                c.set(name, v);
            }
        }
    }
}

/// ストレングス: one text per kind.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Strengths {
    pub strength_inherent: String,
    pub strength_healthy: String,
    pub strength_good_at: String,
    pub strength_potential: String,
    pub strength_acquired: String,
    pub strength_interest: String,
    pub strength_communication: String,
    pub strength_environment: String,
}

impl Strengths {
    /// The form field of `kind`.
    pub fn name(kind: StrengthKind) -> String {
        format!("strength_{}", kind.code())
    }

    fn text(&self, kind: StrengthKind) -> &str {
        use StrengthKind::*;
        match kind {
            Inherent => &self.strength_inherent,
            Healthy => &self.strength_healthy,
            GoodAt => &self.strength_good_at,
            Potential => &self.strength_potential,
            AcquiredSkill => &self.strength_acquired,
            Interest => &self.strength_interest,
            Communication => &self.strength_communication,
            Environment => &self.strength_environment,
        }
    }
}

/// デマンドとニーズ: two grids.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Needs {
    pub demand_key: Vec<String>,
    pub demand_speaker: Vec<String>,
    pub demand_words: Vec<String>,
    pub need_key: Vec<String>,
    pub need_text: Vec<String>,
    pub need_source: Vec<String>,
    pub need_grounds: Vec<String>,
    pub need_reframing: Vec<String>,
}

impl Needs {
    fn demands(&self) -> Vec<DemandInput> {
        let n = row_count(&[&self.demand_key, &self.demand_speaker, &self.demand_words]);
        (0..n)
            .map(|i| DemandInput {
                key: at(&self.demand_key, i),
                speaker: at(&self.demand_speaker, i),
                words: at(&self.demand_words, i),
            })
            .collect()
    }

    fn needs(&self) -> Vec<NeedInput> {
        let n = row_count(&[
            &self.need_key,
            &self.need_text,
            &self.need_source,
            &self.need_grounds,
            &self.need_reframing,
        ]);
        (0..n)
            .map(|i| NeedInput {
                key: at(&self.need_key, i),
                text: at(&self.need_text, i),
                source: at(&self.need_source, i),
                grounds: at(&self.need_grounds, i),
                reframing: at(&self.need_reframing, i),
            })
            .collect()
    }
}

/// 家族構成: the people and the ties between them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Family {
    pub member_key: Vec<String>,
    pub member_relation: Vec<String>,
    pub member_name: Vec<String>,
    pub member_sex: Vec<String>,
    pub member_birth_year: Vec<String>,
    pub member_age: Vec<String>,
    pub member_deceased: Vec<String>,
    pub member_cohabiting: Vec<String>,
    pub member_is_client: Vec<String>,
    pub member_note: Vec<String>,
    pub link_kind: Vec<String>,
    pub link_from: Vec<String>,
    pub link_to: Vec<String>,
}

impl Family {
    fn members(&self) -> Vec<MemberInput> {
        let n = row_count(&[
            &self.member_key,
            &self.member_relation,
            &self.member_name,
            &self.member_sex,
            &self.member_birth_year,
            &self.member_age,
            &self.member_deceased,
            &self.member_cohabiting,
            &self.member_is_client,
            &self.member_note,
        ]);
        (0..n)
            .map(|i| MemberInput {
                key: at(&self.member_key, i),
                relation: at(&self.member_relation, i),
                name: at(&self.member_name, i),
                sex: at(&self.member_sex, i),
                birth_year: at(&self.member_birth_year, i),
                age: at(&self.member_age, i),
                deceased: at(&self.member_deceased, i),
                cohabiting: at(&self.member_cohabiting, i),
                is_client: at(&self.member_is_client, i),
                note: at(&self.member_note, i),
            })
            .collect()
    }

    fn links(&self) -> Vec<LinkInput> {
        let n = row_count(&[&self.link_kind, &self.link_from, &self.link_to]);
        (0..n)
            .map(|i| LinkInput {
                kind: at(&self.link_kind, i),
                from: at(&self.link_from, i),
                to: at(&self.link_to, i),
            })
            .collect()
    }
}

/// エコマップ: one tie per row.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Ecomap {
    pub tie_name: Vec<String>,
    pub tie_kind: Vec<String>,
    pub tie_tie: Vec<String>,
    pub tie_direction: Vec<String>,
    pub tie_note: Vec<String>,
    pub tie_resource_id: Vec<String>,
}

impl Ecomap {
    fn ties(&self) -> Vec<TieInput> {
        let n = row_count(&[
            &self.tie_name,
            &self.tie_kind,
            &self.tie_tie,
            &self.tie_direction,
            &self.tie_note,
            &self.tie_resource_id,
        ]);
        (0..n)
            .map(|i| TieInput {
                name: at(&self.tie_name, i),
                kind: at(&self.tie_kind, i),
                tie: at(&self.tie_tie, i),
                direction: at(&self.tie_direction, i),
                note: at(&self.tie_note, i),
                resource_id: at(&self.tie_resource_id, i),
            })
            .collect()
    }
}

/// 生活歴: one event per row.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct History {
    pub event_year: Vec<String>,
    pub event_month: Vec<String>,
    pub event_event: Vec<String>,
}

/// 日課・生活サイクル: the day as rows; the week as one cell per slot and day, slot by slot
/// (午前 月〜日, 午後 月〜日, 夜間 月〜日).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Daily {
    pub day_time: Vec<String>,
    pub day_activity: Vec<String>,
    pub week_cell: Vec<String>,
}

impl Daily {
    /// The form field of every cell of the week grid.
    pub const WEEK_CELL: &'static str = "week_cell";

    /// Seven days of three slots.
    fn week(&self) -> Vec<Vec<String>> {
        let slots = WeekSlot::ALL.len();
        (0..WEEKDAYS.len())
            .map(|d| {
                (0..slots)
                    .map(|s| at(&self.week_cell, s * WEEKDAYS.len() + d))
                    .collect()
            })
            .collect()
    }
}

/// 能力: one row per item, then hobbies and skills.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Abilities {
    pub ability_item: Vec<String>,
    pub ability_level: Vec<String>,
    pub ability_note: Vec<String>,
    pub hobbies: String,
    pub special_skills: String,
}

/// 医療: prescriptions, clinics and a note.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Medical {
    pub rx_drug: Vec<String>,
    pub rx_dose: Vec<String>,
    pub rx_timing: Vec<String>,
    pub clinic_name: Vec<String>,
    pub clinic_department: Vec<String>,
    pub clinic_frequency: Vec<String>,
    pub medical_note: String,
}

/// One section's form, read from the body by the section's code.
pub enum SectionForm {
    Overview(Overview),
    Wishes(Wishes),
    Child(ChildForm),
    Strengths(Strengths),
    Needs(Needs),
    Family(Family),
    Ecomap(Ecomap),
    History(History),
    Daily(Daily),
    Abilities(Abilities),
    Medical(Medical),
}

impl SectionForm {
    /// Reads the body as the form of `section` (a known code: see [`CHILD_SECTIONS`]).
    pub fn parse(section: &str, body: &RawForm) -> Result<Self, AppError> {
        Ok(match section {
            "overview" => Self::Overview(body.parse()?),
            "wishes" => Self::Wishes(body.parse()?),
            "growth" | "family_support" => Self::Child(body.parse()?),
            "strengths" => Self::Strengths(body.parse()?),
            "needs" => Self::Needs(body.parse()?),
            "family" => Self::Family(body.parse()?),
            "ecomap" => Self::Ecomap(body.parse()?),
            "history" => Self::History(body.parse()?),
            "daily" => Self::Daily(body.parse()?),
            "abilities" => Self::Abilities(body.parse()?),
            "medical" => Self::Medical(body.parse()?),
            _ => return Err(AppError::NotFound),
        })
    }

    /// Puts this section's values into `i`, leaving the other sections as they were.
    pub fn apply(self, i: &mut AssessmentInput) {
        match self {
            Self::Overview(f) => {
                i.assessed_on = f.assessed_on;
                i.method = f.method;
                i.present = f.present;
                i.title = f.title;
                i.appearance = f.appearance;
                i.living = f.living;
                i.judgement = f.judgement;
            }
            Self::Wishes(f) => {
                i.family_wishes = crate::kit::family_wishes::Columns {
                    fw_relation: f.fw_relation,
                    fw_name: f.fw_name,
                    fw_words: f.fw_words,
                }
                .rows();
                i.wish_person = f.wish_person;
                i.wish_family = f.wish_family;
                if let Some(x) = f.expression {
                    i.child.expression = x;
                }
            }
            Self::Child(f) => f.apply(&mut i.child),
            Self::Strengths(f) => {
                i.strengths = StrengthKind::ALL
                    .iter()
                    .map(|k| StrengthInput {
                        kind: k.code().into(),
                        text: f.text(*k).to_string(),
                    })
                    .collect();
            }
            Self::Needs(f) => {
                i.demands = f.demands();
                i.needs = f.needs();
            }
            Self::Family(f) => {
                i.family = f.members();
                i.family_links = f.links();
            }
            Self::Ecomap(f) => i.ecomap = f.ties(),
            Self::History(f) => {
                let n = row_count(&[&f.event_year, &f.event_month, &f.event_event]);
                i.history = (0..n)
                    .map(|r| EventInput {
                        year: at(&f.event_year, r),
                        month: at(&f.event_month, r),
                        event: at(&f.event_event, r),
                    })
                    .collect();
            }
            Self::Daily(f) => {
                let n = row_count(&[&f.day_time, &f.day_activity]);
                i.day = (0..n)
                    .map(|r| DayInput {
                        time: at(&f.day_time, r),
                        activity: at(&f.day_activity, r),
                    })
                    .collect();
                i.week = f.week();
            }
            Self::Abilities(f) => {
                let n = row_count(&[&f.ability_item, &f.ability_level, &f.ability_note]);
                i.abilities = (0..n)
                    .map(|r| AbilityInput {
                        item: at(&f.ability_item, r),
                        level: at(&f.ability_level, r),
                        note: at(&f.ability_note, r),
                    })
                    .collect();
                i.hobbies = f.hobbies;
                i.special_skills = f.special_skills;
            }
            Self::Medical(f) => {
                let n = row_count(&[&f.rx_drug, &f.rx_dose, &f.rx_timing]);
                i.prescriptions = (0..n)
                    .map(|r| PrescriptionInput {
                        drug: at(&f.rx_drug, r),
                        dose: at(&f.rx_dose, r),
                        timing: at(&f.rx_timing, r),
                    })
                    .collect();
                let n = row_count(&[&f.clinic_name, &f.clinic_department, &f.clinic_frequency]);
                i.clinics = (0..n)
                    .map(|r| ClinicInput {
                        name: at(&f.clinic_name, r),
                        department: at(&f.clinic_department, r),
                        frequency: at(&f.clinic_frequency, r),
                    })
                    .collect();
                i.medical_note = f.medical_note;
            }
        }
    }
}

/// Whether `section` links to the office's directory (so that it is read only for it).
pub fn links_directory(section: &str) -> bool {
    section == "ecomap"
}

/// Fills a tie's blank name and kind from the directory entry it was linked to, so choosing
/// from the list is enough.
pub fn fill_from_directory(i: &mut AssessmentInput, resources: &[ResourceOption]) {
    use yorisoi_domain::plan::ServiceCategory;
    for t in &mut i.ecomap {
        let Some(r) = resources.iter().find(|r| r.id == t.resource_id.trim()) else {
            continue;
        };
        if t.name.trim().is_empty() {
            t.name = r.name.chars().take(40).collect();
        }
        if t.kind.trim().is_empty() {
            t.kind = match r.category {
                ServiceCategory::Welfare => ResourceKind::Service,
                ServiceCategory::OtherSystem => ResourceKind::Agency,
                ServiceCategory::Informal => ResourceKind::Informal,
            }
            .code()
            .into();
        }
        if t.tie.trim().is_empty() {
            t.tie = TieKind::Ordinary.code().into();
        }
    }
}

/// The start form as first shown: today, a home visit.
pub fn blank_start(today: chrono::NaiveDate) -> StartInput {
    StartInput {
        assessed_on: today.to_string(),
        method: AssessmentMethod::HomeVisit.code().into(),
        present: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: &[(&str, &str)]) -> RawForm {
        RawForm(serde_urlencoded::to_string(v).unwrap().into())
    }

    #[test]
    fn rows_are_read_in_order_and_other_sections_kept() {
        let mut i = AssessmentInput {
            wish_person: "A型で働きたい".into(),
            ..Default::default()
        };
        SectionForm::parse(
            "history",
            &body(&[
                ("event_year", "2016"),
                ("event_month", ""),
                ("event_event", "発病"),
                ("event_year", "平成29"),
                ("event_month", "4"),
                ("event_event", "入院"),
            ]),
        )
        .unwrap()
        .apply(&mut i);
        assert_eq!(i.history.len(), 2);
        assert_eq!(i.history[1].year, "平成29");
        assert_eq!(i.history[1].event, "入院");
        assert_eq!(i.wish_person, "A型で働きたい");
    }

    #[test]
    fn a_childs_section_keeps_the_other_childs_section() {
        let mut i = AssessmentInput::default();
        i.child.siblings = "兄（小2）".into();
        i.child.expression = "指さしで選んだ".into();
        SectionForm::parse(
            "growth",
            &body(&[("child.play", "ブランコ"), ("child.development", "歩ける")]),
        )
        .unwrap()
        .apply(&mut i);
        assert_eq!(i.child.play, "ブランコ");
        assert_eq!(i.child.development, "歩ける");
        assert_eq!(i.child.siblings, "兄（小2）", "family_support untouched");
        // An adult's wishes form has no expression field: the child's words stay.
        SectionForm::parse("wishes", &body(&[("wish_person", "遊びたい")]))
            .unwrap()
            .apply(&mut i);
        assert_eq!(i.child.expression, "指さしで選んだ");
        SectionForm::parse(
            "wishes",
            &body(&[
                ("wish_person", "遊びたい"),
                ("child.expression", "表情から"),
            ]),
        )
        .unwrap()
        .apply(&mut i);
        assert_eq!(i.child.expression, "表情から");
    }

    #[test]
    fn the_week_is_read_slot_by_slot() {
        let cells: Vec<(&str, String)> =
            (0..21).map(|n| (Daily::WEEK_CELL, n.to_string())).collect();
        let cells: Vec<(&str, &str)> = cells.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut i = AssessmentInput::default();
        SectionForm::parse("daily", &body(&cells))
            .unwrap()
            .apply(&mut i);
        assert_eq!(i.week.len(), 7);
        // 火曜 (day 1) 午後 (slot 1) is cell 7 + 1.
        assert_eq!(i.week[1][1], "8");
        assert_eq!(i.week[6][2], "20");
    }

    #[test]
    fn every_strength_kind_has_its_field() {
        let pairs: Vec<(String, String)> = StrengthKind::ALL
            .iter()
            .map(|k| (Strengths::name(*k), k.label().to_string()))
            .collect();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let mut i = AssessmentInput::default();
        SectionForm::parse("strengths", &body(&pairs))
            .unwrap()
            .apply(&mut i);
        for (s, k) in i.strengths.iter().zip(StrengthKind::ALL) {
            assert_eq!(s.text, k.label());
        }
    }

    #[test]
    fn a_tie_chosen_from_the_directory_takes_its_name_and_kind() {
        let dir = vec![ResourceOption {
            id: "7".into(),
            name: "ひかり作業所".into(),
            label: "ひかり作業所（就労継続支援B型）".into(),
            category: yorisoi_domain::plan::ServiceCategory::Welfare,
        }];
        let mut i = AssessmentInput::default();
        SectionForm::parse(
            "ecomap",
            &body(&[
                ("tie_name", ""),
                ("tie_kind", ""),
                ("tie_tie", ""),
                ("tie_direction", ""),
                ("tie_note", "週4日"),
                ("tie_resource_id", "7"),
                ("tie_name", "兄"),
                ("tie_kind", "family"),
                ("tie_tie", "weak"),
                ("tie_direction", ""),
                ("tie_note", ""),
                ("tie_resource_id", ""),
            ]),
        )
        .unwrap()
        .apply(&mut i);
        fill_from_directory(&mut i, &dir);
        assert_eq!(i.ecomap[0].name, "ひかり作業所");
        assert_eq!(i.ecomap[0].kind, "service");
        assert_eq!(i.ecomap[0].tie, "ordinary");
        // A name the user typed is kept, and an unlinked tie is untouched.
        assert_eq!(i.ecomap[1].name, "兄");
        assert_eq!(i.ecomap[1].kind, "family");
    }
}
