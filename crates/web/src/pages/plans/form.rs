//! The plan's forms: the body of a section editor read once into [`SectionForm`] (its grid rows
//! into typed [`RowForm`]s and [`WeekForm`]s), and the small forms of the plan page.

use serde::Deserialize;
use yorisoi_domain::plan::{PlanInput, RowInput, WeekEntryInput};

/// The plan's edit screens, one per section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Rows,
    Elements,
    Week,
    Monitoring,
}

/// (code, label) of the sections in order, as the section editor lists them.
pub const SECTIONS: &[(&str, &str)] = &[
    ("overview", "意向・方針・目標"),
    ("rows", "課題と支援（優先順位）"),
    ("elements", "住まい・日中活動・支援体制"),
    ("week", "週間計画表"),
    ("monitoring", "モニタリング期間の提案"),
];

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Overview,
        Section::Rows,
        Section::Elements,
        Section::Week,
        Section::Monitoring,
    ];

    pub fn from_code(code: &str) -> Option<Section> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn code(self) -> &'static str {
        SECTIONS[self.index()].0
    }

    pub fn label(self) -> &'static str {
        SECTIONS[self.index()].1
    }

    /// The section after this one, if any.
    pub fn next(self) -> Option<Section> {
        Self::ALL.get(self.index() + 1).copied()
    }
}

/// One row of the plan as the rows editor sends it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowForm {
    pub key: String,
    pub need_key: String,
    /// The order typed (full-width digits accepted); a row without one keeps its place after
    /// the numbered ones.
    pub priority: String,
    pub need: String,
    pub goal: String,
    pub due: String,
    pub category: String,
    pub service_type: String,
    pub service: String,
    pub days: String,
    pub time: String,
    pub provider: String,
    pub resource_id: String,
    pub person_role: String,
    pub review: String,
    pub notes: String,
}

impl RowForm {
    fn into_input(self) -> RowInput {
        RowInput {
            key: self.key,
            need_key: self.need_key,
            need: self.need,
            goal: self.goal,
            due: self.due,
            category: self.category,
            service_type: self.service_type,
            service: self.service,
            days: self.days,
            time: self.time,
            provider: self.provider,
            resource_id: self.resource_id,
            person_role: self.person_role,
            review: self.review,
            notes: self.notes,
        }
    }
}

/// One entry of the weekly chart (not a service) as the week editor sends it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekForm {
    pub day: String,
    pub start: String,
    pub end: String,
    pub label: String,
}

/// A section editor's body, read once. A grid's rows arrive as one repeated field per column
/// (every cell always submits, so the columns align); [`SectionForm::rows`] and
/// [`SectionForm::week`] turn them into typed rows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SectionForm {
    /// The version the plan was read at.
    pub version: String,
    /// The section to go to after saving.
    pub then: String,
    // 意向・方針・目標
    pub drafted_on: String,
    pub decided_on: String,
    pub guardian_name: String,
    pub guardian_relation: String,
    pub wish_person: String,
    pub wish_family: String,
    pub fw_relation: Vec<String>,
    pub fw_name: Vec<String>,
    pub fw_words: Vec<String>,
    pub policy: String,
    pub long_goal: String,
    pub short_goal: String,
    // 課題と支援
    pub row_key: Vec<String>,
    pub row_need_key: Vec<String>,
    pub row_priority: Vec<String>,
    pub row_need: Vec<String>,
    pub row_goal: Vec<String>,
    pub row_due: Vec<String>,
    pub row_category: Vec<String>,
    pub row_service_type: Vec<String>,
    pub row_service: Vec<String>,
    pub row_days: Vec<String>,
    pub row_time: Vec<String>,
    pub row_provider: Vec<String>,
    pub row_resource_id: Vec<String>,
    pub row_person_role: Vec<String>,
    pub row_review: Vec<String>,
    pub row_notes: Vec<String>,
    // 住まい・日中活動・支援体制
    pub housing: String,
    pub day_activity: String,
    pub support_system: String,
    pub alternatives: String,
    pub emergency: String,
    /// A child's plan only; an adult's form leaves it as it was.
    pub family_support: Option<String>,
    // 週間計画表
    pub week_day: Vec<String>,
    pub week_start: Vec<String>,
    pub week_end: Vec<String>,
    pub week_label: Vec<String>,
    pub main_activities: String,
    pub non_weekly: String,
    pub whole_picture: String,
    // モニタリング期間
    pub monitoring_period: String,
    pub monitoring_start: String,
    pub monitoring_note: String,
}

/// Cell `i` of a column (a short column reads as empty cells).
fn at(col: &mut [String], i: usize) -> String {
    col.get_mut(i).map(std::mem::take).unwrap_or_default()
}

impl SectionForm {
    /// The rows as sent, in the order sent.
    pub fn rows(&mut self) -> Vec<RowForm> {
        let n = [
            &self.row_key,
            &self.row_need_key,
            &self.row_priority,
            &self.row_need,
            &self.row_goal,
            &self.row_due,
            &self.row_category,
            &self.row_service_type,
            &self.row_service,
            &self.row_days,
            &self.row_time,
            &self.row_provider,
            &self.row_resource_id,
            &self.row_person_role,
            &self.row_review,
            &self.row_notes,
        ]
        .iter()
        .map(|c| c.len())
        .max()
        .unwrap_or(0);
        (0..n)
            .map(|i| RowForm {
                key: at(&mut self.row_key, i),
                need_key: at(&mut self.row_need_key, i),
                priority: at(&mut self.row_priority, i),
                need: at(&mut self.row_need, i),
                goal: at(&mut self.row_goal, i),
                due: at(&mut self.row_due, i),
                category: at(&mut self.row_category, i),
                service_type: at(&mut self.row_service_type, i),
                service: at(&mut self.row_service, i),
                days: at(&mut self.row_days, i),
                time: at(&mut self.row_time, i),
                provider: at(&mut self.row_provider, i),
                resource_id: at(&mut self.row_resource_id, i),
                person_role: at(&mut self.row_person_role, i),
                review: at(&mut self.row_review, i),
                notes: at(&mut self.row_notes, i),
            })
            .collect()
    }

    /// The weekly chart's entries as sent.
    pub fn week(&mut self) -> Vec<WeekForm> {
        let n = [
            &self.week_day,
            &self.week_start,
            &self.week_end,
            &self.week_label,
        ]
        .iter()
        .map(|c| c.len())
        .max()
        .unwrap_or(0);
        (0..n)
            .map(|i| WeekForm {
                day: at(&mut self.week_day, i),
                start: at(&mut self.week_start, i),
                end: at(&mut self.week_end, i),
                label: at(&mut self.week_label, i),
            })
            .collect()
    }

    /// Puts `section`'s fields into `i` (the rest of the plan stays as read).
    pub fn apply(mut self, section: Section, i: &mut PlanInput) {
        match section {
            Section::Overview => {
                i.drafted_on = self.drafted_on;
                i.decided_on = self.decided_on;
                i.guardian_name = self.guardian_name;
                i.guardian_relation = self.guardian_relation;
                i.family_wishes = crate::kit::family_wishes::Columns {
                    fw_relation: std::mem::take(&mut self.fw_relation),
                    fw_name: std::mem::take(&mut self.fw_name),
                    fw_words: std::mem::take(&mut self.fw_words),
                }
                .rows();
                i.wish_person = self.wish_person;
                i.wish_family = self.wish_family;
                i.policy = self.policy;
                i.long_goal = self.long_goal;
                i.short_goal = self.short_goal;
            }
            Section::Rows => i.rows = by_priority(self.rows()),
            Section::Elements => {
                i.housing = self.housing;
                i.day_activity = self.day_activity;
                i.support_system = self.support_system;
                i.alternatives = self.alternatives;
                i.emergency = self.emergency;
                if let Some(x) = self.family_support {
                    i.family_support = x;
                }
            }
            Section::Week => {
                i.week = self
                    .week()
                    .into_iter()
                    .map(|w| WeekEntryInput {
                        day: w.day,
                        start: w.start,
                        end: w.end,
                        label: w.label,
                    })
                    .collect();
                i.main_activities = self.main_activities;
                i.non_weekly = self.non_weekly;
                i.whole_picture = self.whole_picture;
            }
            Section::Monitoring => {
                i.monitoring_period = self.monitoring_period;
                i.monitoring_start = self.monitoring_start;
                i.monitoring_note = self.monitoring_note;
            }
        }
    }
}

/// The rows reordered by the priority typed; a row without a number keeps its place after the
/// numbered ones.
fn by_priority(rows: Vec<RowForm>) -> Vec<RowInput> {
    let mut v: Vec<(f64, usize, RowForm)> = rows
        .into_iter()
        .enumerate()
        .map(|(idx, r)| {
            let p = yorisoi_domain::text::nfkc(&r.priority)
                .parse::<f64>()
                .unwrap_or(1000.0 + idx as f64);
            (p, idx, r)
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, _, r)| r.into_input()).collect()
}

/// 状態を進める: the state to move to and the version.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateForm {
    pub to: String,
    pub version: String,
}

/// A form of the plan page with the version it was read at (consent, hand-over, implementation,
/// 計画変更).
#[derive(Debug, Default, Deserialize)]
pub struct WithVersion<T> {
    #[serde(flatten)]
    pub input: T,
    #[serde(default)]
    pub version: String,
}

/// The provider's 個別支援計画 as read from a multipart body.
pub struct Upload {
    pub csrf: String,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads the multipart body: the CSRF token and the file.
pub async fn read_upload(
    mp: &mut axum::extract::Multipart,
) -> Result<Upload, crate::error::AppError> {
    let mut up = Upload {
        csrf: String::new(),
        file: None,
    };
    let too_big = || {
        crate::error::AppError::BadRequest("ファイルが大きすぎるか、送信が途中で切れました。10MBまでのPDF・PNG・JPEGを選んでください。".into())
    };
    while let Some(field) = mp.next_field().await.map_err(|_| too_big())? {
        match field.name() {
            Some("csrf") => up.csrf = field.text().await.map_err(|_| too_big())?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| too_big())?;
                up.file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Ok(up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_reordered_by_the_priority_typed() {
        let body = "row_key=1&row_priority=2&row_need=%E8%96%AC\
                    &row_key=2&row_priority=%EF%BC%91&row_need=%E3%83%90%E3%82%B9\
                    &row_key=&row_priority=&row_need=%E3%81%8A%E9%87%91";
        let f: SectionForm = serde_html_form::from_str(body).unwrap();
        let mut i = PlanInput::default();
        f.apply(Section::Rows, &mut i);
        let needs: Vec<&str> = i.rows.iter().map(|r| r.need.as_str()).collect();
        assert_eq!(needs, vec!["バス", "薬", "お金"]);
    }

    #[test]
    fn a_plan_page_form_reads_its_version_beside_the_input() {
        let f: WithVersion<yorisoi_domain::plan::HandoverInput> =
            serde_html_form::from_str("version=4&to=x&on=2026-05-01&csrf=t").unwrap();
        assert_eq!((f.version.as_str(), f.input.to.as_str()), ("4", "x"));
    }

    #[test]
    fn a_single_row_reads_as_one_row() {
        let f: SectionForm = serde_html_form::from_str("row_key=1&row_need=x&version=3").unwrap();
        let mut f = f;
        assert_eq!(f.version, "3");
        let rows = f.rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].need, "x");
    }
}
