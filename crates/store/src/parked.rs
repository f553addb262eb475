//! Forms that arrived after their session had expired (30 minutes of writing an assessment,
//! then 保存): the body is kept, sealed, for the same user to save after signing in again, for
//! [`PARK_TTL`]. Only the user it belongs to can list or take it, and it opens only in their row
//! (the seal is bound to the user).

use crate::entities::parked_form;
use crate::{Result, Store, now_utc};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// How long a parked form waits for its user to sign in again.
pub const PARK_TTL: Duration = Duration::hours(12);
/// At most this many per user (the oldest go first).
pub const MAX_PER_USER: usize = 10;

const PURPOSE: &str = "parked-form";

fn row(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// A kept form, opened.
#[derive(Debug, Clone)]
pub struct Parked {
    pub id: i64,
    /// Where the form was sent (a local path).
    pub path: String,
    /// The page it was typed on (a local path, or "" when unknown).
    pub page: String,
    pub created_at: DateTime<Utc>,
    /// The form body as sent (`application/x-www-form-urlencoded`).
    pub body: String,
}

/// Keeps a form body for `user_id`; returns its id.
pub async fn park(store: &Store, user_id: i64, path: &str, page: &str, body: &str) -> Result<i64> {
    let now = now_utc();
    parked_form::Entity::delete_many()
        .filter(parked_form::Column::CreatedAt.lt(now - PARK_TTL))
        .exec(store.conn())
        .await?;
    let stored = crate::sealed::seal(&store.audit_keys(), PURPOSE, &row(user_id), body.as_bytes())
        .unwrap_or_else(|| body.to_string());
    let m = parked_form::ActiveModel {
        user_id: Set(user_id),
        path: Set(path.chars().take(500).collect()),
        page: Set(page.chars().take(500).collect()),
        body: Set(stored),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    // Keep the newest few: a loop of expired submits cannot fill the table.
    let ids: Vec<i64> = parked_form::Entity::find()
        .filter(parked_form::Column::UserId.eq(user_id))
        .order_by_desc(parked_form::Column::Id)
        .all(store.conn())
        .await?
        .into_iter()
        .skip(MAX_PER_USER)
        .map(|p| p.id)
        .collect();
    if !ids.is_empty() {
        parked_form::Entity::delete_many()
            .filter(parked_form::Column::Id.is_in(ids))
            .exec(store.conn())
            .await?;
    }
    Ok(m.id)
}

/// The user's kept forms still within [`PARK_TTL`], the newest first. One that no longer opens
/// (its key gone) is left out.
pub async fn list(store: &Store, user_id: i64, now: DateTime<Utc>) -> Result<Vec<Parked>> {
    let rows = parked_form::Entity::find()
        .filter(parked_form::Column::UserId.eq(user_id))
        .filter(parked_form::Column::CreatedAt.gt(now - PARK_TTL))
        .order_by_desc(parked_form::Column::Id)
        .all(store.conn())
        .await?;
    let keys = store.audit_keys();
    Ok(rows
        .into_iter()
        .filter_map(|p| {
            let body = if crate::sealed::is_sealed(&p.body) {
                let bytes = crate::sealed::open(&keys, PURPOSE, &row(user_id), &p.body).ok()?;
                String::from_utf8(bytes).ok()?
            } else {
                p.body
            };
            Some(Parked {
                id: p.id,
                path: p.path,
                page: p.page,
                created_at: p.created_at,
                body,
            })
        })
        .collect())
}

/// Removes one of the user's kept forms (saved again, or given up); false when it was not theirs
/// or is already gone.
pub async fn take(store: &Store, user_id: i64, id: i64) -> Result<bool> {
    let r = parked_form::Entity::delete_many()
        .filter(parked_form::Column::Id.eq(id))
        .filter(parked_form::Column::UserId.eq(user_id))
        .exec(store.conn())
        .await?;
    Ok(r.rows_affected > 0)
}
