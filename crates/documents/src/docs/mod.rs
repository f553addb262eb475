//! The data each document template receives: one structure per document kind, built from the
//! domain records by pure functions here, serialised to JSON and read by the template as `d`.
//! Dates arrive formatted in the office's calendar; every text is a plain string (never typst
//! markup, so nothing a user typed can run as template code). docs/templates.md lists the fields.

pub mod assessment;
pub mod case;
pub mod council;
pub mod decision;
pub mod easy;
pub mod meeting;
pub mod monitoring;
pub mod notes;
pub mod person_file;
pub mod plan;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
pub use yorisoi_domain::date::DateStyle;

/// What every document carries: its title, the office that prints it (on every page) and the
/// print date.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Common {
    pub title: String,
    pub office: String,
    /// The office's telephone and hours as 帳票の設定 holds them ("" when not set).
    pub office_phone: String,
    pub office_hours: String,
    pub printed_on: String,
}

/// The person a document is about, as the ledger holds them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Person {
    pub client_name: String,
    pub client_kana: String,
}

/// What every document needs besides its record: the office, the person, the specialist who
/// writes it (計画作成担当者) and how to print dates.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub office: String,
    pub person: Person,
    pub planner: String,
    pub dates: DateStyle,
    pub today: Option<NaiveDate>,
    /// The office's telephone and hours (帳票の設定).
    pub office_phone: String,
    pub office_hours: String,
}

impl Ctx {
    pub fn common(&self, title: impl Into<String>) -> Common {
        Common {
            title: title.into(),
            office: self.office.clone(),
            office_phone: self.office_phone.clone(),
            office_hours: self.office_hours.clone(),
            printed_on: self.dates.opt(self.today),
        }
    }
}

/// A label and its text, for the blocks a form lists one under another.
#[derive(Debug, Clone, Serialize)]
pub struct Labelled {
    pub label: String,
    pub text: String,
}

pub(crate) fn labelled(items: &[(&str, &str)]) -> Vec<Labelled> {
    items
        .iter()
        .map(|(l, t)| Labelled {
            label: l.to_string(),
            text: t.to_string(),
        })
        .collect()
}

/// The document kinds, each with its own templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Plan,
    Week,
    EasyPlan,
    Monitoring,
    Meeting,
    Assessment,
    /// 支援経過記録 of a period.
    Notes,
    Intake,
    /// 終結 with its evaluation.
    Closure,
    /// 意思決定支援.
    Decision,
    /// 地域課題の報告 (for a 部会 or the 協議会).
    Council,
}

impl DocKind {
    pub const ALL: [DocKind; 11] = [
        Self::Plan,
        Self::Week,
        Self::EasyPlan,
        Self::Monitoring,
        Self::Meeting,
        Self::Assessment,
        Self::Notes,
        Self::Intake,
        Self::Closure,
        Self::Decision,
        Self::Council,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Week => "week",
            Self::EasyPlan => "easy_plan",
            Self::Monitoring => "monitoring",
            Self::Meeting => "meeting",
            Self::Assessment => "assessment",
            Self::Notes => "notes",
            Self::Intake => "intake",
            Self::Closure => "closure",
            Self::Decision => "decision",
            Self::Council => "council",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Plan => "サービス等利用計画",
            Self::Week => "週間計画表",
            Self::EasyPlan => "わかりやすい版の計画",
            Self::Monitoring => "モニタリング報告書",
            Self::Meeting => "サービス担当者会議の記録",
            Self::Assessment => "アセスメントシート",
            Self::Notes => "支援経過記録",
            Self::Intake => "インテーク記録",
            Self::Closure => "終結の記録（エバリュエーション）",
            Self::Decision => "意思決定支援の記録",
            Self::Council => "地域課題の報告（協議会資料）",
        }
    }
}
