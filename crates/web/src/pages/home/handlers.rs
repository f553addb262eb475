//! The dashboard.

use super::form::HomeQuery;
use super::view::{HomePage, Scope};
use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::client_row::client_row;
use crate::kit::dashboard::{CardOptions, Cards};
use crate::kit::render::render;
use crate::kit::staff::staff_names;
use axum::extract::{Query, State};
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::policy::{Action, RecordKind, sees_whole_office};
use yorisoi_store::clients::{self, ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{dashboard, today_jst};

/// Clients listed under 「担当の利用者」.
const MINE: u64 = 30;

pub async fn home(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<HomeQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let today = today_jst();
    let whole_office = sees_whole_office(user.role);
    let only = q.only(whole_office, |s| staff.contains_key(&s));
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
        per_page: MINE,
    };
    let (mine, _) = clients::list(&mut tx, &filter).await?;
    // What the council said in the last 60 days about the office's issues (not cached with the
    // dashboard: the region's secretariat writes it from another office).
    let council = if user.may(RecordKind::RegionalIssue, Action::Read) {
        yorisoi_store::region::council_news(&mut tx, today - chrono::Days::new(60)).await?
    } else {
        Vec::new()
    };
    // What waits for a lead's or an admin's release (the specialist and the 事務 see none).
    let waiting_release = if user.may(RecordKind::IssueRelease, Action::Write) {
        Some(yorisoi_store::issue_followups::waiting_for_release_with_vignettes(&mut tx).await?)
    } else {
        None
    };
    tx.commit().await?;
    let cards = Cards::build(
        &d,
        &CardOptions {
            staff: &staff,
            today,
            show_who: whole_office && only.is_none(),
            all: q.all(),
        },
    );
    let mine = mine
        .iter()
        .filter(|c| c.record.status != ClientStatus::Closed)
        .map(|c| client_row(c, &staff, today))
        .collect();
    let scope = Scope {
        whole_office,
        only,
        staff: &staff,
        today,
    };
    let mut page = HomePage::new(&user, scope, &d, cards, mine);
    page.council = council
        .iter()
        .map(|n| super::view::CouncilLine {
            id: n.id,
            title: n.title.clone(),
            status: n.status.label(),
            on: crate::kit::display::date(n.council_on),
            has_reply: n.has_reply,
        })
        .collect();
    page.waiting_release = waiting_release;
    // In the policy's grace period, a user without a second factor is asked to set one up.
    // Read with the session (`sessions::SecondFactor`): no statement here.
    if let Some(d) = user.home_second_factor_due {
        page.second_factor_due = crate::kit::display::date(d);
    }
    render(&page)
}
