//! The dashboard page.

use crate::auth::Authed;
use crate::kit::client_row::ClientRow;
use crate::kit::dashboard::{Card, Cards, StaffLine};
use crate::kit::display::date;
use crate::kit::render::Nav;
use askama::Template;
use chrono::NaiveDate;
use std::collections::HashMap;
use yorisoi_store::dashboard::{Dashboard, FOLLOW_UP_DAYS, RENEWAL_DAYS};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub nav: Nav,
    /// The last day of the second factor's grace period, when this user must set one up.
    pub second_factor_due: String,
    pub today: String,
    pub sees_cases: bool,
    pub due: Card,
    pub overdue: Card,
    pub renewal_days: i64,
    pub certificates: Card,
    pub plans: Card,
    pub meetings: Card,
    /// 意思決定支援 follow-ups near or past.
    pub follow_ups: Card,
    pub follow_up_days: i64,
    /// This view with every item of every card.
    pub all_link: String,
    pub staff_lines: Vec<StaffLine>,
    pub staff_options: Vec<(String, String, bool)>,
    /// The staff member the office view is narrowed to, if any.
    pub filtered: String,
    pub mine: Vec<ClientRow>,
    pub open_cases: Vec<(String, i64)>,
    pub whole_office: bool,
    /// For a lead or an admin: the 地域課題 and 個別事例報告 waiting for release.
    pub waiting_release: Option<(u64, u64)>,
    /// 部会・協議会から: the office's issues the council answered lately.
    pub council: Vec<CouncilLine>,
}

pub struct CouncilLine {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub on: String,
    pub has_reply: bool,
}

/// Whose dashboard: the user's own, or the office's (narrowed to `only`).
pub struct Scope<'a> {
    pub whole_office: bool,
    pub only: Option<i64>,
    pub staff: &'a HashMap<i64, String>,
    pub today: NaiveDate,
}

impl HomePage {
    pub fn new(
        user: &Authed,
        scope: Scope,
        d: &Dashboard,
        cards: Cards,
        mine: Vec<ClientRow>,
    ) -> Self {
        let Scope {
            whole_office,
            only,
            staff,
            today,
        } = scope;
        HomePage {
            nav: Nav::new(user, "home"),
            second_factor_due: String::new(),
            today: date(today),
            sees_cases: user.sees_cases(),
            due: cards.due,
            overdue: cards.overdue,
            renewal_days: RENEWAL_DAYS,
            certificates: cards.certificates,
            plans: cards.plans,
            meetings: cards.meetings,
            follow_ups: cards.follow_ups,
            follow_up_days: FOLLOW_UP_DAYS,
            all_link: match only {
                Some(s) => format!("/?staff={s}&all=1"),
                None => "/?all=1".into(),
            },
            staff_lines: if whole_office && user.sees_cases() {
                crate::kit::dashboard::staff_lines(d, staff)
            } else {
                Vec::new()
            },
            staff_options: if whole_office {
                let mut v: Vec<(String, String, bool)> = staff
                    .iter()
                    .map(|(id, n)| (id.to_string(), n.clone(), only == Some(*id)))
                    .collect();
                v.sort_by(|a, b| a.1.cmp(&b.1));
                v
            } else {
                Vec::new()
            },
            filtered: only
                .and_then(|s| staff.get(&s).cloned())
                .unwrap_or_default(),
            mine,
            open_cases: d
                .open_by_stage
                .iter()
                .map(|(s, n)| (s.label().to_string(), *n as i64))
                .collect(),
            whole_office,
            council: Vec::new(),
            waiting_release: None,
        }
    }
}
