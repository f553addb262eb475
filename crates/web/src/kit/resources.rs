//! The office's 社会資源 directory as choices in forms (team members, plan rows, ecomap ties).

use crate::error::AppError;
use crate::kit::grid::ResourceOption;
use yorisoi_store::{Tx, resources};

/// The office's active directory as form choices, by name.
pub async fn options(tx: &mut Tx) -> Result<Vec<ResourceOption>, AppError> {
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
pub async fn choices(tx: &mut Tx, current: &str) -> Result<Vec<(String, String, bool)>, AppError> {
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
