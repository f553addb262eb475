//! サービス提供状況 as a provider reports it before a monitoring month, goal by goal: what the
//! provider's サービス管理責任者 writes on yorisoi instead of a FAX the specialist retypes. The
//! specialist's monitoring form shows it beside each goal, to review; it is never copied into
//! the report by itself.

use crate::certificate::YearMonth;
use crate::errors::FieldErrors;
use crate::text;
use serde::{Deserialize, Serialize};

/// One goal's provision, keyed by the plan row it reports on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowReport {
    pub row_key: u32,
    /// サービス提供状況: attendance, what was done, how the person is.
    pub provision: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProviderReportRecord {
    /// The month reported on.
    pub month: YearMonth,
    pub rows: Vec<RowReport>,
    /// Anything else the specialist should know before the visit.
    #[serde(default)]
    pub note: String,
}

/// The form as typed: the month (2026-11, 2026年11月, R8.11), one text per plan row (by key),
/// a note.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProviderReportInput {
    pub month: String,
    pub row_key: Vec<String>,
    pub provision: Vec<String>,
    pub note: String,
}

/// The month typed: 2026-11, 2026/11, 2026年11月, 令和8年11月 or R8.11.
pub fn parse_month(raw: &str) -> Option<YearMonth> {
    let s = text::nfkc(raw).trim().replace(['/', '.'], "-");
    if let Some(ym) = YearMonth::from_code(&s) {
        return Some(ym);
    }
    // Any date form the product accepts, read with a day 1.
    let with_day = if s.ends_with('月') {
        format!("{s}1日")
    } else {
        format!("{s}-1")
    };
    crate::date::parse_date(&with_day).ok().map(YearMonth::of)
}

impl ProviderReportInput {
    /// Checked against the plan's row keys: every text at most 1,000 characters, at least one
    /// goal written, no row the plan does not have.
    pub fn validate(&self, plan_rows: &[u32]) -> Result<ProviderReportRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let month = parse_month(&self.month);
        if month.is_none() {
            e.add(
                "month",
                "対象月を「2026年11月」「令和8年11月」「2026-11」のように入力してください。",
            );
        }
        let mut rows = Vec::new();
        for (i, key) in self.row_key.iter().enumerate() {
            let Some(key) = key
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|k| plan_rows.contains(k))
            else {
                e.add(
                    "provision",
                    "計画にない目標が含まれています。画面を開き直してください。",
                );
                continue;
            };
            let raw = self.provision.get(i).map(String::as_str).unwrap_or("");
            let provision = text::optional_text(&mut e, &format!("provision[{i}]"), raw, 1000);
            if !provision.is_empty() {
                rows.push(RowReport {
                    row_key: key,
                    provision,
                });
            }
        }
        let note = text::optional_text(&mut e, "note", &self.note, 2000);
        if rows.is_empty() && note.is_empty() && e.is_empty() {
            e.add(
                "provision",
                "少なくとも1つの目標について、サービス提供状況を書いてください。",
            );
        }
        match month {
            Some(month) if e.is_empty() => Ok(ProviderReportRecord { month, rows, note }),
            _ => Err(e),
        }
    }

    pub fn from_record(r: &ProviderReportRecord, plan_rows: &[u32]) -> Self {
        ProviderReportInput {
            month: r.month.code(),
            row_key: plan_rows.iter().map(|k| k.to_string()).collect(),
            provision: plan_rows
                .iter()
                .map(|k| {
                    r.rows
                        .iter()
                        .find(|x| x.row_key == *k)
                        .map(|x| x.provision.clone())
                        .unwrap_or_default()
                })
                .collect(),
            note: r.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_month_in_any_form() {
        let nov = YearMonth {
            year: 2026,
            month: 11,
        };
        for typed in [
            "2026-11",
            "2026/11",
            "２０２６年１１月",
            "令和8年11月",
            "R8.11",
        ] {
            assert_eq!(parse_month(typed), Some(nov), "{typed}");
        }
        assert_eq!(parse_month("13月"), None);
        assert_eq!(parse_month(""), None);
    }

    #[test]
    fn a_report_keeps_only_the_plans_rows_and_needs_one_goal() {
        let i = ProviderReportInput {
            month: "令和8年11月".into(),
            row_key: vec!["1".into(), "2".into()],
            provision: vec!["週4日通所。".into(), "".into()],
            note: String::new(),
        };
        let r = i.validate(&[1, 2]).unwrap();
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].row_key, 1);
        let bad = ProviderReportInput {
            row_key: vec!["9".into()],
            provision: vec!["x".into()],
            ..i.clone()
        };
        assert!(
            bad.validate(&[1, 2])
                .unwrap_err()
                .get("provision")
                .is_some()
        );
        let empty = ProviderReportInput {
            provision: vec![String::new(), String::new()],
            ..i
        };
        assert!(
            empty
                .validate(&[1, 2])
                .unwrap_err()
                .get("provision")
                .is_some()
        );
    }
}
