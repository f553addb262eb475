//! The upload page and the preview (or progress, or result) of one file.

use crate::auth::Authed;
use crate::kit::import::{Preview, RunState, Staged, seen_key};
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::import::{DuplicateChoice, Field, Match};

#[derive(Template)]
#[template(path = "import.html")]
pub struct UploadPage {
    pub nav: Nav,
    pub error: String,
    pub columns: Vec<&'static str>,
    /// Whether the care-team import shows (those who write every client's team).
    pub may_team: bool,
}

impl UploadPage {
    pub fn new(user: &Authed, error: String) -> Self {
        UploadPage {
            may_team: user.may(
                yorisoi_domain::policy::RecordKind::Assignment,
                yorisoi_domain::policy::Action::Write,
            ) && user.may(
                yorisoi_domain::policy::RecordKind::CareTeam,
                yorisoi_domain::policy::Action::Write,
            ),
            nav: Nav::new(user, "clients"),
            error,
            columns: yorisoi_domain::import::TEMPLATE
                .iter()
                .map(|f| f.label())
                .collect(),
        }
    }
}

/// One column of the file and the field it fills.
pub struct ColumnView {
    pub header: String,
    pub sample: String,
    /// (code, label, selected); the empty code is 取り込まない.
    pub options: Vec<(&'static str, &'static str, bool)>,
}

/// One row that duplicates a client or an earlier row.
pub struct DupView {
    pub row: usize,
    pub name: String,
    pub birth: String,
    pub reason: String,
    pub client_id: Option<i64>,
    pub seen: String,
    pub choices: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
pub struct PreviewPage {
    pub nav: Nav,
    pub id: String,
    pub filename: String,
    pub rule: String,
    pub columns: Vec<ColumnView>,
    pub messages: Vec<String>,
    /// Rows with at least one problem.
    pub bad_rows: usize,
    pub dups: Vec<DupView>,
    pub rows: usize,
    pub examples: usize,
    pub valid: bool,
    pub summary: String,
    // Progress and result.
    pub running: bool,
    pub done: usize,
    pub total: usize,
    pub result: String,
}

impl PreviewPage {
    fn base(user: &Authed, id: &str, s: &Staged) -> Self {
        PreviewPage {
            nav: Nav::new(user, "clients"),
            id: id.to_string(),
            filename: s.filename.clone(),
            rule: String::new(),
            columns: Vec::new(),
            messages: Vec::new(),
            bad_rows: 0,
            dups: Vec::new(),
            rows: 0,
            examples: 0,
            valid: false,
            summary: String::new(),
            running: false,
            done: 0,
            total: 0,
            result: String::new(),
        }
    }

    /// The progress of a running import, or its result.
    pub fn status_only(user: &Authed, id: &str, s: &Staged) -> Self {
        let mut p = Self::base(user, id, s);
        match &s.state {
            RunState::Running { done, total } => {
                p.running = true;
                p.done = *done;
                p.total = *total;
            }
            RunState::Done(c) => p.result = format!("取り込みました。{c}。"),
            RunState::Failed(m) => p.rule = m.clone(),
            RunState::Preview => {}
        }
        p
    }

    pub fn new(user: &Authed, id: &str, s: &Staged, pv: &Preview, rule: String) -> Self {
        let mut p = Self::base(user, id, s);
        p.rule = rule;
        let first_data = s
            .rows
            .iter()
            .skip(yorisoi_domain::import::header_index(&s.rows) + 1)
            .find(|r| r.iter().any(|c| !c.trim().is_empty()));
        p.columns = pv
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let chosen = pv.mapping.get(i).copied().flatten();
                let mut options = vec![("", "取り込まない", chosen.is_none())];
                options.extend(
                    Field::ALL
                        .iter()
                        .map(|f| (f.code(), f.label(), chosen == Some(*f))),
                );
                ColumnView {
                    header: h.clone(),
                    sample: first_data
                        .and_then(|r| r.get(i))
                        .map(|v| v.chars().take(30).collect())
                        .unwrap_or_default(),
                    options,
                }
            })
            .collect();
        p.messages = pv.messages();
        let mut rows: Vec<usize> = pv.parsed.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        p.bad_rows = rows.len();
        p.rows = pv.parsed.rows.len();
        p.examples = pv.parsed.examples;
        p.valid = pv.is_valid();
        p.dups = pv
            .parsed
            .rows
            .iter()
            .zip(&pv.duplicates)
            .filter_map(|(r, m)| {
                let m = m.as_ref()?;
                let chosen = s.choices.get(&r.row).copied().unwrap_or_default();
                let mut options = vec![DuplicateChoice::Skip];
                if matches!(m, Match::Existing { .. }) {
                    options.push(DuplicateChoice::Update);
                }
                options.push(DuplicateChoice::New);
                Some(DupView {
                    row: r.row,
                    name: r.record.full_name(),
                    birth: r.record.birth_date.format("%Y-%m-%d").to_string(),
                    reason: m.describe(),
                    client_id: match m {
                        Match::Existing { client_id, .. } => Some(*client_id),
                        Match::EarlierRow(_) => None,
                    },
                    seen: seen_key(m),
                    choices: options
                        .into_iter()
                        .map(|c| (c.code(), c.label(), c == chosen))
                        .collect(),
                })
            })
            .collect();
        if p.valid {
            let steps = crate::kit::import::plan(pv, |row| {
                s.choices.get(&row).copied().unwrap_or_default()
            });
            p.summary = format!(
                "この内容で取り込むと: {}。",
                crate::kit::import::count(&steps)
            );
        }
        p
    }
}
