//! The dashboard's cards as lines to show: what to do, for whom, and where to act. The page
//! and the API (`GET /api/v1/dashboard`) show the same lines.

use crate::kit::display::date;
use chrono::NaiveDate;
use std::collections::HashMap;
use yorisoi_store::dashboard::{self, ClientRef, Dashboard};

/// Items a card lists before 「ほか N件」: an office of 2,000 clients has thousands of due
/// months, and a page of thousands of lines helps no one in the morning.
pub const CARD_ITEMS: usize = 30;

/// A dashboard card: the first items and how many there are in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Card {
    pub items: Vec<Item>,
    /// 全件数
    pub total: usize,
    /// 表示していない件数
    pub more: usize,
}

/// A second link of a line: where to act (e.g. record the monitoring).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Act {
    pub href: String,
    pub label: &'static str,
}

/// One line of a dashboard card.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Item {
    /// 画面のリンク先
    pub href: String,
    /// 利用者の氏名
    pub name: String,
    pub what: String,
    pub detail: String,
    pub act: Option<Act>,
}

/// One staff member's counts (the lead's office view).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StaffLine {
    /// 職員のid（未割り当ては空）
    pub id: String,
    pub name: String,
    pub clients: usize,
    pub due: usize,
    pub overdue: usize,
}

/// Every card of the dashboard.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Cards {
    /// 今月のモニタリング
    pub due: Card,
    /// 期限を過ぎたモニタリング
    pub overdue: Card,
    /// 支給決定期間が近く終わる受給者証
    pub certificates: Card,
    /// 報酬の手順が残っている計画
    pub plans: Card,
    /// 今週のサービス担当者会議
    pub meetings: Card,
    /// 意思決定支援のフォローアップ
    pub follow_ups: Card,
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

/// How the cards are drawn: whose dashboard, and how much of it.
pub struct CardOptions<'a> {
    pub staff: &'a HashMap<i64, String>,
    pub today: NaiveDate,
    /// Name each line's staff member (the whole office, not narrowed to one).
    pub show_who: bool,
    /// Every item rather than the first [`CARD_ITEMS`].
    pub all: bool,
}

impl CardOptions<'_> {
    fn who(&self, c: &ClientRef) -> String {
        match (self.show_who, c.staff) {
            (false, _) => String::new(),
            (true, Some(s)) => format!("担当: {}", self.staff.get(&s).cloned().unwrap_or_default()),
            (true, None) => "担当: 未割り当て".into(),
        }
    }
}

impl Cards {
    pub fn build(d: &Dashboard, o: &CardOptions) -> Self {
        let all = o.all;
        let today = o.today;
        let due_item = |i: &dashboard::DueItem| Item {
            href: format!("/cases/{}#monitoring", i.case_id),
            name: i.client.name.clone(),
            what: format!("{}のモニタリング", crate::kit::display::month(i.month)),
            detail: o.who(&i.client),
            act: Some(Act {
                href: format!("/cases/{}/monitorings/new", i.case_id),
                label: "記録する",
            }),
        };
        Cards {
            due: card(&d.due, all, due_item),
            overdue: card(&d.overdue, all, due_item),
            certificates: card(&d.certificates, all, |c| Item {
                href: format!("/clients/{}#certificates", c.client.client_id),
                name: c.client.name.clone(),
                what: if c.days_left < 0 {
                    format!("{}に終了（{}日過ぎています）", date(c.until), -c.days_left)
                } else {
                    format!("{}まで（あと{}日）", date(c.until), c.days_left)
                },
                detail: o.who(&c.client),
                act: None,
            }),
            plans: card(&d.plans, all, |p| Item {
                href: format!("/plans/{}", p.plan_id),
                name: p.client.name.clone(),
                what: format!("計画 第{}版（{}）", p.version_no, p.state.label()),
                detail: format!(
                    "未: {}{}",
                    p.missing.join("／"),
                    match o.who(&p.client) {
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
                detail: o.who(&m.client),
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
                detail: match o.who(&f.client) {
                    w if w.is_empty() => f.question.clone(),
                    w => format!("{}　{w}", f.question),
                },
                act: None,
            }),
        }
    }
}

/// The counts per staff member of the office view.
pub fn staff_lines(d: &Dashboard, staff: &HashMap<i64, String>) -> Vec<StaffLine> {
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
}
