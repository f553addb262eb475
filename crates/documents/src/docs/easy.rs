//! わかりやすい版: the plan for the person to read — their own wishes first, each goal with what
//! *I* will do and who helps, the week as a picture, and furigana over kanji when the office
//! turns them on. Service jargon becomes what happens there (`plain`), and a child's plan has a
//! version in the child's words and one for the parents.

use super::Common;
use super::plan::{PlanDoc, WeekDoc};
use crate::furigana::{Reader, Seg};
use crate::plain::{READINGS, plain, plain_short, service_plain};
use serde::Serialize;
use yorisoi_domain::plan::ServiceType;

/// Who the easy-read plan speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The person (an adult's plan).
    Person,
    /// The child, in the child's words (read with a parent).
    Child,
    /// The parents of a child: their wishes, the family support, the same plain words.
    Parents,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Child => "child",
            Self::Parents => "parents",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Person, Self::Child, Self::Parents]
            .into_iter()
            .find(|a| a.code() == s)
    }
    /// The audiences a plan's easy-read version has: the person, or for a child's plan the child
    /// and the parents.
    pub fn of(child: bool) -> &'static [Audience] {
        if child {
            &[Self::Child, Self::Parents]
        } else {
            &[Self::Person]
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Person => "わかりやすい版（本人用）",
            Self::Child => "わかりやすい版（子ども用）",
            Self::Parents => "わかりやすい版（保護者用）",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EasyGoal {
    pub goal: Vec<Seg>,
    /// 課題解決のための本人の役割, as "what I will do".
    pub mine: Vec<Seg>,
    /// What the service is in plain words, and who provides it.
    pub helpers: Vec<Seg>,
    /// "月水金 09:30〜11:00", or "".
    pub when: Vec<Seg>,
}

/// The data of the easy-read plan template (`templates/easy_plan/*.typ`). Every text is a list
/// of segments `{t, r?}`: `r` is the reading to print over `t`, present only with furigana on.
#[derive(Debug, Clone, Serialize)]
pub struct EasyPlanDoc {
    #[serde(flatten)]
    pub common: Common,
    pub furigana: bool,
    pub audience: Audience,
    /// The person's name, read as the ledger's ふりがな.
    pub name: Vec<Seg>,
    pub wish: Vec<Seg>,
    /// The family's (a child's parents') wishes, who said what.
    pub family_wishes: Vec<Seg>,
    pub long_goal: Vec<Seg>,
    pub short_goal: Vec<Seg>,
    pub goals: Vec<EasyGoal>,
    /// 家族支援 of a child's plan.
    pub family_support: Vec<Seg>,
    pub week: WeekDoc,
    pub planner: Vec<Seg>,
    pub office_name: Vec<Seg>,
    /// The office's telephone and hours, printed under 「こまったときは」.
    pub office_phone: String,
    pub office_hours: String,
    /// 緊急時の対応.
    pub emergency: Vec<Seg>,
    /// 計画作成日 (or 計画案作成日).
    pub made_on: String,
}

/// The text of `plan`'s element `label` ("" when absent).
fn element<'a>(plan: &'a PlanDoc, label: &str) -> &'a str {
    plan.elements
        .iter()
        .find(|e| e.label == label)
        .map(|e| e.text.as_str())
        .unwrap_or_default()
}

/// The helpers of a row in plain words: what the service is, what it does, who provides it.
fn helpers_text(r: &super::plan::PlanRowDoc) -> String {
    let detail = plain(&r.service_detail.replace('\n', "、"));
    let kind = ServiceType::from_code(&r.service_type)
        .and_then(service_plain)
        .filter(|k| !detail.contains(k));
    [
        kind.map(str::to_string),
        Some(detail),
        Some(plain(&r.provider)),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join("\n")
}

/// The easy-read plan of `plan` for `audience`. `names` are (name, ふりがな) pairs from the
/// ledger; `reader` is the dictionary when furigana are on.
pub fn easy_doc(
    plan: &PlanDoc,
    reader: Option<&Reader>,
    names: &[(String, String)],
    audience: Audience,
) -> EasyPlanDoc {
    // The ledger's names first, then the readings these plans need (一人 ひとり …).
    let mut known: Vec<(String, String)> = names.to_vec();
    known.extend(READINGS.iter().map(|(t, r)| (t.to_string(), r.to_string())));
    let read = |s: &str| -> Vec<Seg> {
        let s = plain(s);
        match reader {
            Some(r) => r.annotate_with(&s, &known),
            None if s.is_empty() => Vec::new(),
            None => vec![Seg::plain(s)],
        }
    };
    let name = match reader {
        Some(_) => crate::furigana::annotate_names(&plan.person.client_name, names, &|s| {
            vec![Seg::plain(s)]
        }),
        None => vec![Seg::plain(plan.person.client_name.clone())],
    };
    let title = match audience {
        Audience::Person | Audience::Child => "わたしの計画".to_string(),
        Audience::Parents => format!("{}さんの計画（保護者の方へ）", plan.person.client_name),
    };
    EasyPlanDoc {
        common: Common {
            title,
            ..plan.common.clone()
        },
        furigana: reader.is_some(),
        audience,
        name,
        wish: read(&plan.wish_person),
        family_wishes: if audience == Audience::Parents {
            read(&plan.wish_family)
        } else {
            Vec::new()
        },
        long_goal: read(&plan.long_goal),
        short_goal: read(&plan.short_goal),
        goals: plan
            .rows
            .iter()
            .map(|r| EasyGoal {
                goal: read(if r.goal.is_empty() { &r.need } else { &r.goal }),
                mine: read(&r.person_role),
                helpers: read(&helpers_text(r)),
                // Day names alone read wrongly (月 as つき): the schedule prints as it is.
                when: if r.schedule.is_empty() {
                    Vec::new()
                } else {
                    vec![Seg::plain(r.schedule.clone())]
                },
            })
            .collect(),
        family_support: if audience == Audience::Person {
            Vec::new()
        } else {
            read(element(plan, "家族支援"))
        },
        week: {
            let mut w = plan.week.clone();
            for b in &mut w.blocks {
                b.label = plain_short(&b.label);
            }
            w
        },
        planner: read(&plan.planner),
        office_name: read(&plan.common.office),
        office_phone: plan.common.office_phone.clone(),
        office_hours: plan.common.office_hours.clone(),
        emergency: read(element(plan, "緊急時の対応")),
        made_on: if plan.stage == "final" && !plan.decided_on.is_empty() {
            plan.decided_on.clone()
        } else {
            plan.drafted_on.clone()
        },
    }
}

/// Every text of an easy-read plan, joined, as a reader would see it — with each reading in
/// brackets after its kanji when `readings`: what the tests search for jargon and misreadings.
pub fn easy_text(d: &EasyPlanDoc, readings: bool) -> String {
    let show = |v: &[Seg]| -> String {
        v.iter()
            .map(|s| match &s.r {
                Some(r) if readings => format!("{}({r})", s.t),
                _ => s.t.clone(),
            })
            .collect()
    };
    let mut parts = vec![
        show(&d.wish),
        show(&d.family_wishes),
        show(&d.long_goal),
        show(&d.short_goal),
        show(&d.family_support),
        show(&d.emergency),
        show(&d.planner),
    ];
    parts.extend(d.week.blocks.iter().map(|b| b.label.clone()));
    for g in &d.goals {
        parts.extend([show(&g.goal), show(&g.mine), show(&g.helpers)]);
    }
    parts.join("\n")
}

/// The (name, ふりがな) pairs of a person: the whole name and its family and given parts, when
/// the reading has as many parts as the name.
pub fn name_readings(name: &str, kana: &str) -> Vec<(String, String)> {
    let n: Vec<&str> = name.split_whitespace().collect();
    let k: Vec<&str> = kana.split_whitespace().collect();
    let mut out = Vec::new();
    if n.len() == k.len() && n.len() > 1 {
        out.push((n.join(""), k.join("")));
        for (a, b) in n.iter().zip(&k) {
            out.push((a.to_string(), b.to_string()));
        }
    } else if !name.trim().is_empty() && !kana.trim().is_empty() {
        out.push((n.join(""), k.join("")));
    }
    out
}
