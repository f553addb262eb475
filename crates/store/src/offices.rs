//! 事業所 (offices): one deployment hosts many.

use crate::entities::office;
use crate::{Result, Store, StoreError, now_utc, stmt};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

/// Creates an office and the head of its audit chain.
pub async fn create(store: &Store, name: &str) -> Result<i64> {
    let name = yorisoi_domain::text::clean_text(name);
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::Rule(
            "事業所名を100文字以内で入力してください。".into(),
        ));
    }
    let txn = store.conn().begin().await?;
    let m = office::ActiveModel {
        name: Set(name),
        retention_years: Set(5),
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
