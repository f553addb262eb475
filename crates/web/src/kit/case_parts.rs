//! What the pages around a case share: access to a case's client, and the
//! monitoring months of the certificate as shown on the case and on the monitoring form.

use crate::error::AppError;
use yorisoi_domain::monitoring::schedule::{DueState, Schedule};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, Tx, cases};

/// Access to a case's client for `action` on the case; a case of another office, or of a
/// client the user may not see, is not found.
pub async fn case_access(
    tx: &mut Tx,
    case_id: i64,
    action: Action,
) -> Result<ClientAccess, AppError> {
    let client_id = cases::client_of(tx, case_id).await?;
    Ok(tx
        .client_access(client_id, RecordKind::Case, action)
        .await?)
}

/// A due month as shown: 「2026年7月 実施済み」.
pub struct MonthView {
    pub label: String,
    pub state: &'static str,
    pub class: &'static str,
}

pub fn month_views(s: &Schedule) -> Vec<MonthView> {
    s.months
        .iter()
        .map(|m| MonthView {
            label: crate::kit::display::month(m.month),
            state: m.state.label(),
            class: match m.state {
                DueState::Done => "done",
                DueState::Overdue => "overdue",
                DueState::Due => "due",
                DueState::Upcoming => "upcoming",
            },
        })
        .collect()
}
