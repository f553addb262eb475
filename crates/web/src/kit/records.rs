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

/// The client's name, and whether they are a child today (障害児相談支援: the plan is a
/// 障害児支援利用計画 and the certificate a 通所受給者証).
pub async fn client_name_and_child(
    tx: &mut Tx,
    client_id: i64,
    today: chrono::NaiveDate,
) -> Result<(String, bool), AppError> {
    let ledger = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await?;
    let r = clients::get(tx, &ledger).await?.record;
    Ok((
        r.full_name(),
        yorisoi_domain::assessment::is_child(Some(r.birth_date), today),
    ))
}

/// 「名前（種類）」, unless the name already says its kind (「N市社協（日常生活自立支援事業）」).
fn with_kind(name: &str, kind: &str) -> String {
    if name.contains(kind) {
        name.to_string()
    } else {
        format!("{name}（{kind}）")
    }
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
                label: with_kind(&r.record.name, t),
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

/// A row linked to an entry of the office's directory takes its name as 提供事業者名 when that is
/// blank, so the provider is not typed again (本計画 needs it).
pub fn provider_from_directory(i: &mut yorisoi_domain::plan::PlanInput, res: &[ResourceOption]) {
    for r in &mut i.rows {
        if r.provider.trim().is_empty()
            && let Some(o) = res.iter().find(|o| o.id == r.resource_id.trim())
        {
            r.provider = o.name.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_that_says_its_kind_is_not_doubled() {
        assert_eq!(
            super::with_kind(
                "N市社会福祉協議会（日常生活自立支援事業）",
                "日常生活自立支援事業"
            ),
            "N市社会福祉協議会（日常生活自立支援事業）"
        );
        assert_eq!(
            super::with_kind("ひかり作業所", "就労継続支援B型"),
            "ひかり作業所（就労継続支援B型）"
        );
    }
}
