//! ホーム: what the signed-in user should look at today.

use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::pages::{client_row, staff_names};
use crate::views::{HomePage, Nav, render};
use axum::extract::State;
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::policy::sees_whole_office;
use yorisoi_store::clients::{self, ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{cases, today_jst};

pub async fn home(State(st): State<AppState>, user: Authed) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let today = today_jst();
    let whole_office = sees_whole_office(user.role);
    let expiring = clients::expiring(&tx, today + chrono::Duration::days(60), 50).await?;
    let filter = ClientFilter {
        q: String::new(),
        status: None,
        staff: if whole_office {
            StaffFilter::Any
        } else {
            StaffFilter::User(user.user_id)
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
    let open_cases = if user.sees_cases() {
        cases::count_open_by_stage(&tx).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    render(&HomePage {
        nav: Nav::new(&user, "home"),
        today: crate::views::date(today),
        expiring: expiring
            .iter()
            .map(|c| client_row(c, &staff, today))
            .collect(),
        mine: mine
            .iter()
            .filter(|c| c.record.status != ClientStatus::Closed)
            .map(|c| client_row(c, &staff, today))
            .collect(),
        open_cases: open_cases
            .into_iter()
            .map(|(s, n)| (s.label().to_string(), n))
            .collect(),
        whole_office,
    })
}
