//! わかりやすい版: the plan for the person to read — their own wishes first, each goal with what
//! *I* will do and who helps, the week as a picture, and furigana over kanji when the office
//! turns them on.

use super::Common;
use super::plan::{PlanDoc, WeekDoc};
use crate::furigana::{Reader, Seg};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EasyGoal {
    pub goal: Vec<Seg>,
    /// 課題解決のための本人の役割, as "what I will do".
    pub mine: Vec<Seg>,
    /// The service and who provides it.
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
    /// The person's name, read as the ledger's ふりがな.
    pub name: Vec<Seg>,
    pub wish: Vec<Seg>,
    pub long_goal: Vec<Seg>,
    pub short_goal: Vec<Seg>,
    pub goals: Vec<EasyGoal>,
    pub week: WeekDoc,
    pub planner: Vec<Seg>,
    pub office_name: Vec<Seg>,
    /// 緊急時の対応.
    pub emergency: Vec<Seg>,
    /// 計画作成日 (or 計画案作成日).
    pub made_on: String,
}

/// The easy-read plan of `plan`. `names` are (name, ふりがな) pairs from the ledger; `reader`
/// is the dictionary when furigana are on.
pub fn easy_doc(
    plan: &PlanDoc,
    reader: Option<&Reader>,
    names: &[(String, String)],
) -> EasyPlanDoc {
    let read = |s: &str| -> Vec<Seg> {
        match reader {
            Some(r) => r.annotate_with(s, names),
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
    EasyPlanDoc {
        common: Common {
            title: "わたしの計画".into(),
            ..plan.common.clone()
        },
        furigana: reader.is_some(),
        name,
        wish: read(&plan.wish_person),
        long_goal: read(&plan.long_goal),
        short_goal: read(&plan.short_goal),
        goals: plan
            .rows
            .iter()
            .map(|r| EasyGoal {
                goal: read(if r.goal.is_empty() { &r.need } else { &r.goal }),
                mine: read(&r.person_role),
                helpers: read(
                    &[r.service.replace('\n', "・"), r.provider.clone()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                // Day names alone read wrongly (月 as つき): the schedule prints as it is.
                when: if r.schedule.is_empty() {
                    Vec::new()
                } else {
                    vec![Seg::plain(r.schedule.clone())]
                },
            })
            .collect(),
        week: plan.week.clone(),
        planner: read(&plan.planner),
        office_name: read(&plan.common.office),
        emergency: read(
            &plan
                .elements
                .iter()
                .find(|e| e.label == "緊急時の対応")
                .map(|e| e.text.clone())
                .unwrap_or_default(),
        ),
        made_on: if plan.stage == "final" && !plan.decided_on.is_empty() {
            plan.decided_on.clone()
        } else {
            plan.drafted_on.clone()
        },
    }
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
