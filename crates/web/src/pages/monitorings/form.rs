//! The monitoring report as posted: the report's fields, and one block per goal (hidden row
//! key, need and goal, then the review). The blocks arrive as parallel `goal_*` fields; the
//! change boxes carry the goal's row key as their value, since unticked boxes send nothing.

pub use yorisoi_domain::monitoring::{GoalInput, MonitoringInput};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MonitoringForm {
    pub monitored_on: String,
    pub method: String,
    pub present: String,
    pub overall: String,
    pub person_words: String,
    pub outcome: String,
    pub reassess_reasons: Vec<String>,
    pub close_reason: String,
    pub outcome_note: String,
    pub goal_row_key: Vec<String>,
    pub goal_need: Vec<String>,
    pub goal_goal: Vec<String>,
    pub goal_provision: Vec<String>,
    pub goal_person_view: Vec<String>,
    pub goal_satisfaction: Vec<String>,
    pub goal_achievement: Vec<String>,
    pub goal_issues: Vec<String>,
    pub goal_note: Vec<String>,
    /// Row keys of the goals whose service kind, amount or week plan needs changing.
    pub change_kind: Vec<String>,
    pub change_amount: Vec<String>,
    pub change_week: Vec<String>,
}

/// The `i`th cell of a column; a short column reads as empty.
fn cell(col: &[String], i: usize) -> String {
    col.get(i).cloned().unwrap_or_default()
}

fn ticked(col: &[String], key: &str) -> String {
    if col.iter().any(|v| v == key) {
        "yes".into()
    } else {
        String::new()
    }
}

impl MonitoringForm {
    /// The goals as typed rows, in the order they were shown.
    fn goals(&self) -> Vec<GoalInput> {
        let n = [
            &self.goal_row_key,
            &self.goal_need,
            &self.goal_goal,
            &self.goal_provision,
            &self.goal_person_view,
            &self.goal_satisfaction,
            &self.goal_achievement,
            &self.goal_issues,
            &self.goal_note,
        ]
        .iter()
        .map(|c| c.len())
        .max()
        .unwrap_or(0);
        (0..n)
            .map(|i| {
                let row_key = cell(&self.goal_row_key, i);
                GoalInput {
                    change_kind: ticked(&self.change_kind, &row_key),
                    change_amount: ticked(&self.change_amount, &row_key),
                    change_week: ticked(&self.change_week, &row_key),
                    need: cell(&self.goal_need, i),
                    goal: cell(&self.goal_goal, i),
                    provision: cell(&self.goal_provision, i),
                    person_view: cell(&self.goal_person_view, i),
                    satisfaction: cell(&self.goal_satisfaction, i),
                    achievement: cell(&self.goal_achievement, i),
                    issues: cell(&self.goal_issues, i),
                    note: cell(&self.goal_note, i),
                    row_key,
                }
            })
            .collect()
    }

    pub fn into_input(self) -> MonitoringInput {
        MonitoringInput {
            goals: self.goals(),
            monitored_on: self.monitored_on,
            method: self.method,
            present: self.present,
            overall: self.overall,
            person_words: self.person_words,
            outcome: self.outcome,
            reassess_reasons: self.reassess_reasons,
            close_reason: self.close_reason,
            outcome_note: self.outcome_note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_blocks_become_rows_and_boxes_find_their_row() {
        let body = "monitored_on=2026-07-10&goal_row_key=1&goal_goal=a&goal_provision=x\
                    &goal_row_key=2&goal_goal=b&goal_provision=y&change_week=2&reassess_reasons=r1&reassess_reasons=r2";
        let f: MonitoringForm = serde_html_form::from_str(body).unwrap();
        let i = f.into_input();
        assert_eq!(i.goals.len(), 2);
        assert_eq!(
            (i.goals[1].goal.as_str(), i.goals[1].provision.as_str()),
            ("b", "y")
        );
        assert_eq!(i.goals[0].change_week, "");
        assert_eq!(i.goals[1].change_week, "yes");
        assert_eq!(i.reassess_reasons, vec!["r1", "r2"]);
    }
}
