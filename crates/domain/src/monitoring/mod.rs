//! モニタリング (DOMAIN.md §3.7): the report of one monitoring visit, reviewed goal by goal
//! against the final plan in force, and its outcome — 継続, 再アセスメント or 終結 — with the
//! seed's reasons. The due months are in [`schedule`].

pub mod provider;
pub mod schedule;

use crate::case::TerminationReason;
use crate::client::{optional_code, required_code, required_date};
use crate::errors::FieldErrors;
use crate::plan::PlanRecord;
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum!(MonitoringMethod {
    HomeVisit = "home_visit": "居宅訪問",
    Office = "office": "事業所",
    Other = "other": "その他",
});

crate::code_enum!(Achievement {
    Achieved = "achieved": "達成",
    Partly = "partly": "一部達成",
    NotYet = "not_yet": "未達成",
});

crate::code_enum!(Satisfaction {
    High = "high": "満足",
    Middle = "middle": "ふつう",
    Low = "low": "不満",
});

crate::code_enum!(Outcome {
    Continue = "continue": "継続",
    Reassess = "reassess": "再アセスメント",
    Close = "close": "終結",
});

crate::code_enum!(
    /// Why a re-assessment is needed (the seed's three).
    ReassessReason {
        NoEffect = "no_effect": "効果が現れていない",
        LowSatisfaction = "low_satisfaction": "利用者の満足度が低い",
        NeedsChanged = "needs_changed": "ニーズ・環境が変化した",
    }
);

/// One goal of the plan, reviewed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GoalReview {
    /// The plan row's key, stable across plan versions.
    pub row_key: u32,
    /// The need and goal as the plan said them, kept with the report.
    pub need: String,
    pub goal: String,
    /// サービス提供状況 (from the providers).
    pub provision: String,
    /// 本人の感想・満足度, in the person's words.
    pub person_view: String,
    pub satisfaction: Option<Satisfaction>,
    pub achievement: Option<Achievement>,
    /// 今後の課題・解決方法.
    pub issues: String,
    /// 計画変更の必要性: サービス種類 / 量 / 週間計画.
    pub change_kind: bool,
    pub change_amount: bool,
    pub change_week: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonitoringRecord {
    pub monitored_on: NaiveDate,
    pub method: MonitoringMethod,
    /// Who was there (本人、母 …).
    pub present: String,
    /// 全体の状況.
    pub overall: String,
    /// 本人の言葉: what the person said about how things are.
    pub person_words: String,
    pub goals: Vec<GoalReview>,
    pub outcome: Outcome,
    pub reassess_reasons: Vec<ReassessReason>,
    pub close_reason: Option<TerminationReason>,
    pub outcome_note: String,
    /// The assessment version the 再アセスメント outcome opened.
    #[serde(default)]
    pub reassessment_id: Option<i64>,
}

impl MonitoringRecord {
    /// Whether any goal asks for the plan to change.
    pub fn plan_change_needed(&self) -> bool {
        self.goals
            .iter()
            .any(|g| g.change_kind || g.change_amount || g.change_week)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalInput {
    pub row_key: String,
    pub need: String,
    pub goal: String,
    pub provision: String,
    pub person_view: String,
    pub satisfaction: String,
    pub achievement: String,
    pub issues: String,
    pub change_kind: String,
    pub change_amount: String,
    pub change_week: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MonitoringInput {
    /// 実施日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub monitored_on: String,
    pub method: String,
    pub present: String,
    pub overall: String,
    pub person_words: String,
    pub goals: Vec<GoalInput>,
    pub outcome: String,
    pub reassess_reasons: Vec<String>,
    pub close_reason: String,
    pub outcome_note: String,
}

fn yes(b: bool) -> String {
    if b { "yes".into() } else { String::new() }
}

impl MonitoringInput {
    /// A new report: one goal per plan row, in the plan's order.
    pub fn prefill(plan: &PlanRecord, today: NaiveDate) -> Self {
        Self {
            monitored_on: today.to_string(),
            method: MonitoringMethod::HomeVisit.code().into(),
            outcome: Outcome::Continue.code().into(),
            goals: plan
                .rows
                .iter()
                .map(|r| GoalInput {
                    row_key: r.key.to_string(),
                    need: r.need.clone(),
                    goal: r.goal.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    pub fn from_record(r: &MonitoringRecord) -> Self {
        Self {
            monitored_on: r.monitored_on.to_string(),
            method: r.method.code().into(),
            present: r.present.clone(),
            overall: r.overall.clone(),
            person_words: r.person_words.clone(),
            goals: r
                .goals
                .iter()
                .map(|g| GoalInput {
                    row_key: g.row_key.to_string(),
                    need: g.need.clone(),
                    goal: g.goal.clone(),
                    provision: g.provision.clone(),
                    person_view: g.person_view.clone(),
                    satisfaction: g.satisfaction.map(|x| x.code().into()).unwrap_or_default(),
                    achievement: g.achievement.map(|x| x.code().into()).unwrap_or_default(),
                    issues: g.issues.clone(),
                    change_kind: yes(g.change_kind),
                    change_amount: yes(g.change_amount),
                    change_week: yes(g.change_week),
                    note: g.note.clone(),
                })
                .collect(),
            outcome: r.outcome.code().into(),
            reassess_reasons: r.reassess_reasons.iter().map(|x| x.code().into()).collect(),
            close_reason: r.close_reason.map(|x| x.code().into()).unwrap_or_default(),
            outcome_note: r.outcome_note.clone(),
        }
    }

    /// Validates a report for a plan whose rows have `row_keys`; the date may not be in the
    /// future nor before the plan's date.
    pub fn validate(
        &self,
        today: NaiveDate,
        plan_from: Option<NaiveDate>,
        row_keys: &[u32],
    ) -> Result<MonitoringRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let monitored_on = required_date(&mut e, "monitored_on", &self.monitored_on);
        if monitored_on.is_some_and(|d| d > today) {
            e.add(
                "monitored_on",
                "実施日が未来になっています。実施したあとに記録してください。",
            );
        }
        if let (Some(d), Some(p)) = (monitored_on, plan_from)
            && d < p
        {
            e.add(
                "monitored_on",
                format!(
                    "実施日が本計画の作成日（{}）より前です。",
                    crate::date::format_both(p)
                ),
            );
        }
        let method = required_code(&mut e, "method", &self.method, MonitoringMethod::from_code);
        let present = text::optional_line(&mut e, "present", &self.present, 200);
        let overall = text::optional_text(&mut e, "overall", &self.overall, 4000);
        let person_words = text::optional_text(&mut e, "person_words", &self.person_words, 2000);
        if self.goals.len() > 100 {
            e.add("goals", "目標が多すぎます（100件まで）。");
        }
        let mut goals = Vec::new();
        for (i, g) in self.goals.iter().enumerate().take(100) {
            let f = |x: &str| format!("goals[{i}].{x}");
            let row_key = match g.row_key.trim().parse::<u32>() {
                Ok(k) if row_keys.contains(&k) => k,
                _ => {
                    e.add(
                        &f("row_key"),
                        "計画にない目標です。画面を開き直してください。",
                    );
                    continue;
                }
            };
            if goals.iter().any(|x: &GoalReview| x.row_key == row_key) {
                e.add(&f("row_key"), "同じ目標が2回あります。");
                continue;
            }
            let satisfaction = optional_code(
                &mut e,
                &f("satisfaction"),
                &g.satisfaction,
                Satisfaction::from_code,
            );
            let achievement = optional_code(
                &mut e,
                &f("achievement"),
                &g.achievement,
                Achievement::from_code,
            );
            goals.push(GoalReview {
                row_key,
                need: text::optional_text(&mut e, &f("need"), &g.need, 2000),
                goal: text::optional_text(&mut e, &f("goal"), &g.goal, 2000),
                provision: text::optional_text(&mut e, &f("provision"), &g.provision, 2000),
                person_view: text::optional_text(&mut e, &f("person_view"), &g.person_view, 2000),
                satisfaction,
                achievement,
                issues: text::optional_text(&mut e, &f("issues"), &g.issues, 2000),
                change_kind: text::is_yes(&g.change_kind),
                change_amount: text::is_yes(&g.change_amount),
                change_week: text::is_yes(&g.change_week),
                note: text::optional_text(&mut e, &f("note"), &g.note, 2000),
            });
        }
        let outcome = required_code(&mut e, "outcome", &self.outcome, Outcome::from_code);
        let mut reassess_reasons = Vec::new();
        for r in self
            .reassess_reasons
            .iter()
            .filter(|r| !r.trim().is_empty())
        {
            match ReassessReason::from_code(r.trim()) {
                Some(x) if !reassess_reasons.contains(&x) => reassess_reasons.push(x),
                Some(_) => {}
                None => e.add("reassess_reasons", "一覧から選んでください。"),
            }
        }
        let close_reason = optional_code(
            &mut e,
            "close_reason",
            &self.close_reason,
            TerminationReason::from_code,
        );
        let outcome_note = text::optional_text(&mut e, "outcome_note", &self.outcome_note, 2000);
        match outcome {
            Some(Outcome::Reassess) if reassess_reasons.is_empty() => e.add(
                "reassess_reasons",
                "再アセスメントの理由を1つ以上選んでください。",
            ),
            Some(Outcome::Close) if close_reason.is_none() => {
                e.add("close_reason", "終結の理由を選んでください。")
            }
            Some(Outcome::Close)
                if close_reason == Some(TerminationReason::Other) && outcome_note.is_empty() =>
            {
                e.add("outcome_note", "「その他」のときは理由を書いてください。")
            }
            _ => {}
        }
        // Reasons that do not belong to the outcome chosen are dropped, not kept silently.
        let (reassess_reasons, close_reason) = match outcome {
            Some(Outcome::Reassess) => (reassess_reasons, None),
            Some(Outcome::Close) => (Vec::new(), close_reason),
            _ => (Vec::new(), None),
        };
        match (monitored_on, method, outcome) {
            (Some(monitored_on), Some(method), Some(outcome)) if e.is_empty() => {
                Ok(MonitoringRecord {
                    monitored_on,
                    method,
                    present,
                    overall,
                    person_words,
                    goals,
                    outcome,
                    reassess_reasons,
                    close_reason,
                    outcome_note,
                    reassessment_id: None,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> MonitoringInput {
        MonitoringInput {
            monitored_on: "令和8年7月10日".into(),
            method: "home_visit".into(),
            overall: "体調は安定".into(),
            goals: vec![
                GoalInput {
                    row_key: "1".into(),
                    goal: "お薬カレンダー".into(),
                    achievement: "partly".into(),
                    satisfaction: "high".into(),
                    person_view: "「飲み忘れが減った」".into(),
                    ..Default::default()
                },
                GoalInput {
                    row_key: "2".into(),
                    change_amount: "yes".into(),
                    ..Default::default()
                },
            ],
            outcome: "continue".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_report_reviews_each_goal_of_the_plan() {
        let r = input()
            .validate(d(2026, 8, 1), Some(d(2026, 5, 1)), &[1, 2])
            .unwrap();
        assert_eq!(r.monitored_on, d(2026, 7, 10));
        assert_eq!(r.goals[0].achievement, Some(Achievement::Partly));
        assert_eq!(r.goals[0].person_view, "「飲み忘れが減った」");
        assert!(r.plan_change_needed());
        let back = MonitoringInput::from_record(&r);
        assert_eq!(back.goals[1].change_amount, "yes");
        assert_eq!(
            back.validate(d(2026, 8, 1), Some(d(2026, 5, 1)), &[1, 2])
                .unwrap(),
            r
        );
    }

    #[test]
    fn the_outcome_needs_its_reasons() {
        let mut i = input();
        i.outcome = "reassess".into();
        let e = i.validate(d(2026, 8, 1), None, &[1, 2]).unwrap_err();
        assert!(e.get("reassess_reasons").is_some());
        i.reassess_reasons = vec!["needs_changed".into(), "needs_changed".into()];
        i.close_reason = "hospitalized".into();
        let r = i.validate(d(2026, 8, 1), None, &[1, 2]).unwrap();
        assert_eq!(r.reassess_reasons, vec![ReassessReason::NeedsChanged]);
        assert_eq!(r.close_reason, None);
        i.outcome = "close".into();
        i.close_reason = "other".into();
        let e = i.validate(d(2026, 8, 1), None, &[1, 2]).unwrap_err();
        assert!(e.get("outcome_note").is_some());
        i.outcome_note = "本人の希望で他市へ".into();
        let r = i.validate(d(2026, 8, 1), None, &[1, 2]).unwrap();
        assert!(r.reassess_reasons.is_empty());
        assert_eq!(r.close_reason, Some(TerminationReason::Other));
    }

    #[test]
    fn bad_dates_goals_and_codes_are_reported() {
        let mut i = input();
        i.monitored_on = "2026-09-01".into();
        i.goals[0].row_key = "9".into();
        i.goals[1].achievement = "perfect".into();
        i.method = "phone".into();
        let e = i
            .validate(d(2026, 8, 1), Some(d(2026, 5, 1)), &[1, 2])
            .unwrap_err();
        assert!(e.get("monitored_on").is_some());
        assert!(e.get("goals[0].row_key").is_some());
        assert!(e.get("goals[1].achievement").is_some());
        assert!(e.get("method").is_some());
        let mut i = input();
        i.monitored_on = "2026-04-01".into();
        let e = i
            .validate(d(2026, 8, 1), Some(d(2026, 5, 1)), &[1, 2])
            .unwrap_err();
        assert!(e.get("monitored_on").unwrap().contains("本計画の作成日"));
    }
}
