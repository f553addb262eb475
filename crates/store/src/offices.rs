//! 事業所 (offices): one deployment hosts many.

use crate::entities::office;
use crate::{Result, Store, StoreError, now_utc, stmt};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

/// Creates an office and the head of its audit chain.
pub async fn create(store: &Store, name: &str) -> Result<i64> {
    let name = yorisoi_domain::text::clean_text(name);
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::field(
            "name",
            "事業所名を100文字以内で入力してください。",
        ));
    }
    let txn = store.conn().begin().await?;
    let m = office::ActiveModel {
        name: Set(name),
        retention_years: Set(5),
        data_version: Set(0),
        doc_settings: Set("{}".into()),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.execute_raw(stmt(
        txn.get_database_backend(),
        "INSERT INTO audit_heads (office_id, seq, last_hash) VALUES (?, 0, ?)",
        vec![m.id.into(), crate::audit::GENESIS.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

pub async fn get(store: &Store, id: i64) -> Result<office::Model> {
    office::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(store: &Store) -> Result<Vec<office::Model>> {
    Ok(office::Entity::find()
        .order_by_asc(office::Column::Id)
        .all(store.conn())
        .await?)
}

/// The signed-in office's retention in years (記録の保存期間, from the end of support).
pub async fn retention_years(tx: &crate::Tx) -> Result<i32> {
    Ok(office::Entity::find_by_id(tx.office_id())
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?
        .retention_years)
}

/// Sets the office's retention (at least the standards' 5 years) and moves the retention date of
/// every closed case of the office with it; returns how many cases moved. Admins only.
pub async fn set_retention_years(tx: &mut crate::Tx, years: i32) -> Result<u64> {
    use crate::entities::case;
    use sea_orm::{ColumnTrait, QueryFilter};
    use yorisoi_domain::case::{MIN_RETENTION_YEARS, retention_until};
    use yorisoi_domain::policy::{Action, RecordKind};
    let office_id = tx.office_id();
    // Office settings go with staff management: admins only.
    tx.office_access(RecordKind::Staff, Action::Write)?;
    if !(MIN_RETENTION_YEARS..=100).contains(&years) {
        return Err(StoreError::field(
            "years",
            format!("保存期間は{MIN_RETENTION_YEARS}年から100年の間で入力してください。"),
        ));
    }
    office::Entity::update_many()
        .col_expr(
            office::Column::RetentionYears,
            sea_orm::sea_query::Expr::value(years),
        )
        .filter(office::Column::Id.eq(office_id))
        .exec(tx.conn())
        .await?;
    let closed = case::Entity::find()
        .filter(case::Column::OfficeId.eq(office_id))
        .filter(case::Column::ClosedOn.is_not_null())
        .all(tx.conn())
        .await?;
    let mut moved = 0;
    for c in closed {
        let Some(closed_on) = c.closed_on else {
            continue;
        };
        case::Entity::update_many()
            .col_expr(
                case::Column::RetainUntil,
                sea_orm::sea_query::Expr::value(Some(retention_until(closed_on, years))),
            )
            .filter(case::Column::Id.eq(c.id))
            .exec(tx.conn())
            .await?;
        moved += 1;
    }
    tx.record(
        "retention",
        RecordKind::Staff,
        Some(office_id),
        None,
        format!("{years} years, {moved} closed cases"),
    );
    Ok(moved)
}

/// How the signed-in office prints its documents.
pub async fn doc_settings(tx: &crate::Tx) -> Result<yorisoi_domain::office::DocSettings> {
    let m = office::Entity::find_by_id(tx.office_id())
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(parse_doc_settings(&m.doc_settings))
}

/// The settings from their stored body. A body this program wrote; unreadable means damaged,
/// and printing falls back to defaults rather than stopping the office.
pub fn parse_doc_settings(body: &str) -> yorisoi_domain::office::DocSettings {
    serde_json::from_str(body).unwrap_or_default()
}

/// Sets how the office prints its documents. Admins only.
pub async fn set_doc_settings(
    tx: &mut crate::Tx,
    s: &yorisoi_domain::office::DocSettings,
) -> Result<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    use yorisoi_domain::policy::{Action, RecordKind};
    let office_id = tx.office_id();
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let body = serde_json::to_string(s).map_err(|e| StoreError::Rule(e.to_string()))?;
    office::Entity::update_many()
        .col_expr(
            office::Column::DocSettings,
            sea_orm::sea_query::Expr::value(body.clone()),
        )
        .filter(office::Column::Id.eq(office_id))
        .exec(tx.conn())
        .await?;
    tx.record(
        "update",
        RecordKind::Staff,
        Some(office_id),
        None,
        format!("帳票の設定: {body}"),
    );
    Ok(())
}

/// The signed-in office's name (printed on every page of its documents).
pub async fn name(tx: &crate::Tx) -> Result<String> {
    Ok(office::Entity::find_by_id(tx.office_id())
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?
        .name)
}
