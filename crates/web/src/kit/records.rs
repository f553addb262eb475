//! Small reads several pages need beside their own record: the client's name over a record,
//! the office's directory as choices.

use crate::error::AppError;
use crate::kit::grid::ResourceOption;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{Tx, clients, resources};

/// The client's full name (reading the ledger, which is audited like any read).
pub async fn client_name(tx: &mut Tx, client_id: i64) -> Result<String, AppError> {
    let ledger = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await?;
    Ok(clients::get(tx, &ledger).await?.record.full_name())
}

/// The office's directory (社会資源) as choices, each with its service type.
pub async fn directory(tx: &mut Tx) -> Result<Vec<ResourceOption>, AppError> {
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

/// The directory as a single choice with "none" first: (id, name, selected).
pub async fn directory_choices(
    tx: &mut Tx,
    current: &str,
) -> Result<Vec<(String, String, bool)>, AppError> {
    let mut v = vec![(
        String::new(),
        "（一覧から選ばない）".to_string(),
        current.is_empty(),
    )];
    v.extend(
        resources::list(tx, &Default::default())
            .await?
            .into_iter()
            .map(|r| {
                let id = r.id.to_string();
                let sel = id == current;
                (id, r.record.name, sel)
            }),
    );
    Ok(v)
}
