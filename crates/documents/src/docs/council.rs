//! 地域課題の報告: an office's paper for a 部会 or the 協議会. Built by the web layer from figures
//! already under the disclosure rules (a hidden count arrives as its mark), so the template
//! cannot show more than the page does.

use super::Common;
use serde::Serialize;

/// One released issue as a row.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilIssueDoc {
    pub category: String,
    pub title: String,
    pub need: String,
    pub resource: String,
    pub status: String,
    /// "12人" or "＊".
    pub people: String,
    pub raised_on: String,
    pub area: String,
}

/// One released 個別事例報告.
#[derive(Debug, Clone, Serialize)]
pub struct VignetteDoc {
    pub title: String,
    /// The issue it illustrates ("" for none).
    pub issue: String,
    pub body: String,
    pub released_on: String,
}

/// The 実人員 table, only its rows and columns that hold anybody, cells as printed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PeopleDoc {
    pub cols: Vec<String>,
    pub rows: Vec<PeopleRowDoc>,
    pub col_totals: Vec<String>,
    pub total: String,
    pub withheld: String,
    /// (mark, meaning).
    pub legend: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeopleRowDoc {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatDoc {
    pub label: String,
    pub value: String,
}

/// The data of the council template (`templates/council/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct CouncilDoc {
    #[serde(flatten)]
    pub common: Common,
    /// 提出先: 「N市自立支援協議会 相談支援部会」.
    pub audience: String,
    /// "令和8年4月1日〜令和9年3月31日".
    pub period: String,
    pub issues: Vec<CouncilIssueDoc>,
    pub vignettes: Vec<VignetteDoc>,
    pub people: PeopleDoc,
    pub stats: Vec<StatDoc>,
    /// (分類, 提起, 解決).
    pub categories: Vec<(String, i64, i64)>,
    pub empty: bool,
}
