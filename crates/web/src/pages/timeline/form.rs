//! The timeline's filter as typed.

use crate::kit::timeline::{Filter, KINDS};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::date::parse_date;
use yorisoi_domain::text::search_fold;

/// `GET /cases/{id}/timeline?kind=&from=&until=&q=&order=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct TimelineQuery {
    /// 種類で絞り込み（intake, assessment, plan, meeting, monitoring, decision, note, closure）
    pub kind: String,
    /// 期間の始め（西暦・和暦）
    pub from: String,
    /// 期間の終わり（西暦・和暦）
    pub until: String,
    /// 語句（空白区切りのすべてを含む）
    pub q: String,
    /// "old" で古い順（既定は新しい順）
    pub order: String,
}

impl TimelineQuery {
    /// The filter, and the messages of the dates that could not be read (those bounds are then
    /// left open).
    pub fn filter(&self) -> (Filter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut bound = |field: &str, raw: &str, what: &str| {
            if raw.trim().is_empty() {
                return None;
            }
            match parse_date(raw) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.add(field, format!("{what}: {e}"));
                    None
                }
            }
        };
        let from = bound("from", &self.from, "期間の始め");
        let until = bound("until", &self.until, "期間の終わり");
        let filter = Filter {
            kind: KINDS.iter().find(|(c, _)| *c == self.kind).map(|(c, _)| *c),
            from,
            until,
            words: self.q.split_whitespace().map(search_fold).collect(),
            oldest_first: self.order == "old",
        };
        (filter, errors)
    }
}
