//! The timeline page.

use super::form::TimelineQuery;
use super::view::{Heading, TimelinePage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::records::client_name;
use crate::kit::render::render;
use crate::kit::timeline::collect;
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::cases;

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Query(q): Query<TimelineQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    // The case itself decides whether the page exists for this user.
    tx.client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let client_name = client_name(&mut tx, client_id).await?;
    let (c, all) = collect(&mut tx, case_id, client_id).await?;
    tx.commit().await?;
    let heading = Heading {
        case_id,
        title: c.title,
        client_id,
        client_name,
    };
    let filter = q.filter();
    render(&TimelinePage::new(&user, heading, q, filter, all))
}
