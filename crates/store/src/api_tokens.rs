//! Personal API tokens: issued and revoked by an admin, shown once, stored as a hash.

use crate::entities::{api_token, user};
use crate::sessions::{random_token, token_hash};
use crate::{Result, Store, StoreError, Tx, now_utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::policy::{Action, RecordKind};

pub const PREFIX: &str = "ysi_";

/// Issues a token for a staff member of the office; returns (id, the token to show once).
pub async fn issue(tx: &mut Tx, user_id: i64, name: &str) -> Result<(i64, String)> {
    tx.office_access(RecordKind::ApiToken, Action::Write)?;
    let owner = crate::users::get(tx, user_id).await?;
    if !owner.active {
        return Err(StoreError::field(
            "user",
            "無効な職員にはトークンを発行できません。",
        ));
    }
    let name = yorisoi_domain::text::clean_text(name);
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(StoreError::field(
            "name",
            "用途（名前）を60文字以内で入力してください。",
        ));
    }
    let token = format!("{PREFIX}{}", random_token());
    let m = api_token::ActiveModel {
        office_id: Set(tx.office_id()),
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(token_hash(&token)),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now_utc()),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "issue",
        RecordKind::ApiToken,
        Some(m.id),
        None,
        format!("user {user_id}"),
    );
    Ok((m.id, token))
}

pub async fn list(tx: &Tx) -> Result<Vec<api_token::Model>> {
    tx.office_access(RecordKind::ApiToken, Action::Read)?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(api_token::Column::Id)
        .all(tx.conn())
        .await?)
}

pub async fn revoke(tx: &mut Tx, id: i64) -> Result<()> {
    tx.office_access(RecordKind::ApiToken, Action::Write)?;
    let r = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now_utc())))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::OfficeId.eq(tx.office_id()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    tx.record("revoke", RecordKind::ApiToken, Some(id), None, "");
    Ok(())
}

/// The active user a bearer token belongs to, if the token is live.
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<user::Model>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    let Some(u) = user::Entity::find_by_id(t.user_id)
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    if !u.active || u.office_id != t.office_id {
        return Ok(None);
    }
    let now = now_utc();
    if t.last_used_at
        .is_none_or(|l| now - l > chrono::Duration::minutes(5))
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(store.conn())
            .await?;
    }
    Ok(Some(u))
}
