//! The timeline page.

use super::form::TimelineQuery;
use crate::auth::Authed;
use crate::kit::render::Nav;
use crate::kit::timeline::{Entry, Filter, counts};
use askama::Template;
use yorisoi_domain::FieldErrors;

#[derive(Template)]
#[template(path = "timeline.html")]
pub struct TimelinePage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub title: String,
    pub entries: Vec<Entry>,
    pub total: usize,
    /// (code, 「計画（3）」, selected).
    pub kinds: Vec<(&'static str, String, bool)>,
    pub q: TimelineQuery,
    pub error: String,
    pub oldest_first: bool,
}

/// Whose timeline: (case id, case title, client id, client name).
pub struct Heading {
    pub case_id: i64,
    pub title: String,
    pub client_id: i64,
    pub client_name: String,
}

impl TimelinePage {
    pub fn new(
        user: &Authed,
        h: Heading,
        q: TimelineQuery,
        (filter, errors): (Filter, FieldErrors),
        all: Vec<Entry>,
    ) -> Self {
        let total = all.len();
        let kinds = counts(&all)
            .into_iter()
            .map(|(code, label, n)| (code, format!("{label}（{n}）"), Some(code) == filter.kind))
            .collect();
        TimelinePage {
            nav: Nav::new(user, "clients"),
            case_id: h.case_id,
            client_id: h.client_id,
            client_name: h.client_name,
            title: if h.title.is_empty() {
                "（無題のケース）".into()
            } else {
                h.title
            },
            total,
            kinds,
            error: errors.0.values().cloned().collect::<Vec<_>>().join(" "),
            oldest_first: filter.oldest_first,
            entries: filter.apply(all),
            q,
        }
    }
}
