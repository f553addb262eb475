//! Small reads several pages need beside their own record: the person's name for a heading,
//! the office's directory as choices.

use crate::error::AppError;
use crate::kit::grid::ResourceOption;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{Tx, clients, resources};

/// The person's name, read through the ledger's access (so it is logged like any read).
pub async fn client_name(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    Ok(clients::get(tx, &ledger).await?.record.full_name())
}

/// The office's active directory as form choices, by name.
pub async fn resource_options(tx: &mut Tx) -> Result<Vec<ResourceOption>, AppError> {
    Ok(resources::list(tx, &Default::default())
        .await?
        .into_iter()
        .map(|r| {
            let t = r
                .record
                .service_type
                .map(|t| t.label())
                .unwrap_or(r.record.category.label());
            ResourceOption {
                id: r.id.to_string(),
                label: format!("{}（{}）", r.record.name, t),
                name: r.record.name,
                category: r.record.category,
            }
        })
        .collect())
}
