//! モニタリング報告書.

use super::{Common, Ctx, Person};
use serde::Serialize;
use yorisoi_domain::monitoring::{MonitoringRecord, Outcome};

#[derive(Debug, Clone, Serialize)]
pub struct GoalReviewDoc {
    pub priority: usize,
    pub need: String,
    pub goal: String,
    /// サービス提供状況（事業者からの聞き取り）
    pub provision: String,
    /// 本人の感想
    pub person_view: String,
    /// 満足 / ふつう / 不満 / ""
    pub satisfaction: String,
    /// 達成 / 一部達成 / 未達成 / ""
    pub achievement: String,
    /// 今後の課題・解決方法
    pub issues: String,
    /// 計画変更の必要性: "有" or "無" for the service kind, amount and weekly plan.
    pub change_kind: String,
    pub change_amount: String,
    pub change_week: String,
    pub note: String,
}

/// The data of the monitoring report template (`templates/monitoring/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct MonitoringDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    pub planner: String,
    pub monitored_on: String,
    /// 居宅訪問 / 事業所 / その他
    pub method: String,
    pub present: String,
    /// The plan monitored: "令和8年8月1日作成の計画（第2版）".
    pub plan: String,
    pub overall: String,
    pub person_words: String,
    pub goals: Vec<GoalReviewDoc>,
    /// 継続 / 再アセスメント / 終結
    pub outcome: String,
    /// The reasons of a re-assessment or of closing.
    pub outcome_reasons: Vec<String>,
    pub outcome_note: String,
}

fn yes_no(b: bool) -> String {
    if b { "有" } else { "無" }.into()
}

pub fn monitoring_doc(r: &MonitoringRecord, plan: &str, cx: &Ctx) -> MonitoringDoc {
    let ds = cx.dates;
    MonitoringDoc {
        common: cx.common("モニタリング報告書"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        monitored_on: ds.date(r.monitored_on),
        method: r.method.label().into(),
        present: r.present.clone(),
        plan: plan.into(),
        overall: r.overall.clone(),
        person_words: r.person_words.clone(),
        goals: r
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| GoalReviewDoc {
                priority: i + 1,
                need: g.need.clone(),
                goal: g.goal.clone(),
                provision: g.provision.clone(),
                person_view: g.person_view.clone(),
                satisfaction: g.satisfaction.map(|s| s.label().into()).unwrap_or_default(),
                achievement: g.achievement.map(|s| s.label().into()).unwrap_or_default(),
                issues: g.issues.clone(),
                change_kind: yes_no(g.change_kind),
                change_amount: yes_no(g.change_amount),
                change_week: yes_no(g.change_week),
                note: g.note.clone(),
            })
            .collect(),
        outcome: r.outcome.label().into(),
        outcome_reasons: match r.outcome {
            Outcome::Reassess => r
                .reassess_reasons
                .iter()
                .map(|x| x.label().to_string())
                .collect(),
            Outcome::Close => r
                .close_reason
                .iter()
                .map(|x| x.label().to_string())
                .collect(),
            Outcome::Continue => Vec::new(),
        },
        outcome_note: r.outcome_note.clone(),
    }
}
