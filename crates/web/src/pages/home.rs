//! ホーム: the specialist's morning dashboard — monitoring due this month and overdue,
//! certificates ending within 90 days, plans with fee steps still missing, meetings this week,
//! 意思決定支援 follow-ups —
//! each linking to where to act; for a lead or admin the whole office, with counts per staff
//! member and a filter by staff.

use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::pages::{client_row, staff_names};
use crate::views::{HomePage, Nav, date, render};
use axum::extract::{Query, State};
use std::collections::HashMap;
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::policy::sees_whole_office;
use yorisoi_store::clients::{self, ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::dashboard::{self, ClientRef, RENEWAL_DAYS};
use yorisoi_store::today_jst;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    /// A staff member's id (leads and admins), or empty for the whole office.
    pub staff: String,
    /// "1" lists every item of every card (to print, say); otherwise each card shows its first
    /// [`CARD_ITEMS`], the most urgent first.
    pub all: String,
}

/// Items a card lists before 「ほか N件」: an office of 2,000 clients has thousands of due
/// months, and a page of thousands of lines helps no one in the morning.
pub const CARD_ITEMS: usize = 30;

/// A dashboard card: the first items and how many there are in all.
pub struct Card {
    pub items: Vec<Item>,
    pub total: usize,
    pub more: usize,
}

fn card<T>(v: &[T], all: bool, f: impl Fn(&T) -> Item) -> Card {
    let shown = if all {
        v.len()
    } else {
        v.len().min(CARD_ITEMS)
    };
    Card {
        items: v[..shown].iter().map(f).collect(),
        total: v.len(),
        more: v.len() - shown,
    }
}

/// One line of a dashboard card.
pub struct Item {
    pub href: String,
    pub name: String,
    pub what: String,
    pub detail: String,
    /// A second link: where to act (e.g. record the monitoring).
    pub act: Option<(String, &'static str)>,
}

pub struct StaffLine {
    pub id: String,
    pub name: String,
    pub clients: usize,
    pub due: usize,
    pub overdue: usize,
}

fn who(c: &ClientRef, staff: &HashMap<i64, String>, whole: bool) -> String {
    match (whole, c.staff) {
        (false, _) => String::new(),
        (true, Some(s)) => format!("担当: {}", staff.get(&s).cloned().unwrap_or_default()),
        (true, None) => "担当: 未割り当て".into(),
    }
}

pub async fn home(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<HomeQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let today = today_jst();
    let whole_office = sees_whole_office(user.role);
    let only: Option<i64> = if whole_office {
        q.staff
            .trim()
            .parse()
            .ok()
            .filter(|s| staff.contains_key(s))
    } else {
        None
    };
    let d = dashboard::build(&mut tx, today, only).await?;
    let filter = ClientFilter {
        q: String::new(),
        status: None,
        staff: match (whole_office, only) {
            (false, _) => StaffFilter::User(user.user_id),
            (true, Some(s)) => StaffFilter::User(s),
            (true, None) => StaffFilter::Any,
        },
        cert_within_days: None,
        today,
        sort: if whole_office {
            ClientSort::Updated
        } else {
            ClientSort::Kana
        },
        page: 0,
        per_page: 30,
    };
    let (mine, _) = clients::list(&mut tx, &filter).await?;

    tx.commit().await?;
    let show_who = whole_office && only.is_none();
    let all = q.all == "1";
    let due_item = |i: &dashboard::DueItem| Item {
        href: format!("/cases/{}#monitoring", i.case_id),
        name: i.client.name.clone(),
        what: format!("{}のモニタリング", i.month.label()),
        detail: who(&i.client, &staff, show_who),
        act: Some((format!("/cases/{}/monitorings/new", i.case_id), "記録する")),
    };
    render(&HomePage {
        nav: Nav::new(&user, "home"),
        today: date(today),
        sees_cases: user.sees_cases(),
        due: card(&d.due, all, due_item),
        overdue: card(&d.overdue, all, due_item),
        renewal_days: RENEWAL_DAYS,
        certificates: card(&d.certificates, all, |c| Item {
            href: format!("/clients/{}#certificates", c.client.client_id),
            name: c.client.name.clone(),
            what: if c.days_left < 0 {
                format!("{}に終了（{}日過ぎています）", date(c.until), -c.days_left)
            } else {
                format!("{}まで（あと{}日）", date(c.until), c.days_left)
            },
            detail: who(&c.client, &staff, show_who),
            act: None,
        }),
        plans: card(&d.plans, all, |p| Item {
            href: format!("/plans/{}", p.plan_id),
            name: p.client.name.clone(),
            what: format!("計画 第{}版（{}）", p.version_no, p.state.label()),
            detail: format!(
                "未: {}{}",
                p.missing.join("／"),
                match who(&p.client, &staff, show_who) {
                    w if w.is_empty() => w,
                    w => format!("　{w}"),
                }
            ),
            act: None,
        }),
        meetings: card(&d.meetings, all, |m| Item {
            href: format!("/meetings/{}", m.meeting_id),
            name: m.client.name.clone(),
            what: format!("{} サービス担当者会議", date(m.held_on)),
            detail: who(&m.client, &staff, show_who),
            act: None,
        }),
        follow_ups: card(&d.follow_ups, all, |f| Item {
            href: format!("/decisions/{}", f.decision_id),
            name: f.client.name.clone(),
            what: format!(
                "{} {}",
                date(f.follow_up_on),
                if f.follow_up_on < today {
                    "（過ぎています）"
                } else if f.follow_up_on == today {
                    "（今日）"
                } else {
                    ""
                }
            ),
            detail: match who(&f.client, &staff, show_who) {
                w if w.is_empty() => f.question.clone(),
                w => format!("{}　{w}", f.question),
            },
            act: None,
        }),
        follow_up_days: dashboard::FOLLOW_UP_DAYS,
        all_link: match only {
            Some(s) => format!("/?staff={s}&all=1"),
            None => "/?all=1".into(),
        },
        staff_lines: if whole_office && user.sees_cases() {
            d.staff
                .iter()
                .map(|(s, c)| StaffLine {
                    id: s.map(|x| x.to_string()).unwrap_or_default(),
                    name: s
                        .and_then(|x| staff.get(&x).cloned())
                        .unwrap_or_else(|| "未割り当て".into()),
                    clients: c.clients,
                    due: c.due,
                    overdue: c.overdue,
                })
                .collect()
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
        mine: mine
            .iter()
            .filter(|c| c.record.status != ClientStatus::Closed)
            .map(|c| client_row(c, &staff, today))
            .collect(),
        open_cases: d
            .open_by_stage
            .iter()
            .map(|(s, n)| (s.label().to_string(), *n as i64))
            .collect(),
        whole_office,
    })
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/", get(home))
}
