//! Personal API tokens: issued by an admin, shown once, stored as a hash; each expires and is
//! either read-only or read-write. Revoked by an admin, or by the staff member who holds it.

use crate::entities::{api_token, user};
use crate::sessions::{random_token, token_hash};
use crate::{Result, Store, StoreError, Tx, now_utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, Set,
};
use yorisoi_domain::policy::{Action, RecordKind};

pub const PREFIX: &str = "ysi_";
/// Days a token lives unless asked otherwise, and the most it may.
pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 365;

/// What a token may do: a read-only token is refused every request that changes something.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    #[default]
    Read,
    Write,
}

impl TokenScope {
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TokenScope::Read => "読み取りのみ",
            TokenScope::Write => "読み書き",
        }
    }
}

/// Issues a token for a staff member of the office, valid `days` days; returns (id, the token
/// to show once).
pub async fn issue(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    scope: TokenScope,
    days: i64,
) -> Result<(i64, String)> {
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
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(StoreError::field(
            "days",
            format!("有効期間は 1〜{MAX_DAYS} 日で入力してください。"),
        ));
    }
    let now = now_utc();
    let token = format!("{PREFIX}{}", random_token());
    let m = api_token::ActiveModel {
        office_id: Set(tx.office_id()),
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(token_hash(&token)),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now),
        revoked_at: Set(None),
        last_used_at: Set(None),
        scope: Set(scope.code().into()),
        expires_at: Set(Some(now + chrono::Duration::days(days))),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "issue",
        RecordKind::ApiToken,
        Some(m.id),
        None,
        format!("user {user_id} {} {days}日", scope.code()),
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

/// The signed-in staff member's own tokens, newest first (every role may see its own).
pub async fn list_mine(tx: &mut Tx) -> Result<Vec<api_token::Model>> {
    let rows = api_token::Entity::find()
        .filter(api_token::Column::OfficeId.eq(tx.office_id()))
        .filter(api_token::Column::UserId.eq(tx.actor().user_id))
        .order_by_desc(api_token::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record("list", RecordKind::ApiToken, None, None, "mine");
    Ok(rows)
}

pub async fn revoke(tx: &mut Tx, id: i64) -> Result<()> {
    tx.office_access(RecordKind::ApiToken, Action::Write)?;
    revoke_where(tx, id, None).await
}

/// Revokes one of the signed-in staff member's own tokens; anyone else's is `NotFound`.
pub async fn revoke_mine(tx: &mut Tx, id: i64) -> Result<()> {
    let me = tx.actor().user_id;
    revoke_where(tx, id, Some(me)).await
}

async fn revoke_where(tx: &mut Tx, id: i64, owner: Option<i64>) -> Result<()> {
    let mut q = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now_utc())))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::OfficeId.eq(tx.office_id()))
        .filter(api_token::Column::RevokedAt.is_null());
    if let Some(u) = owner {
        q = q.filter(api_token::Column::UserId.eq(u));
    }
    let r = q.exec(tx.conn()).await?;
    if r.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    let detail = if owner.is_some() { "by owner" } else { "" };
    tx.record("revoke", RecordKind::ApiToken, Some(id), None, detail);
    Ok(())
}

/// The active user a bearer token belongs to and what the token may do, if it is live (not
/// revoked, not expired).
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<(user::Model, TokenScope)>> {
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
    // The user and the office's version in one statement (see `crate::seen`).
    let Some(row) = store
        .conn()
        .query_one_raw(crate::stmt(
            store.backend(),
            "SELECT o.data_version AS o_data_version, u.* \
             FROM users u JOIN offices o ON o.id = u.office_id WHERE u.id = ?",
            vec![t.user_id.into()],
        ))
        .await?
    else {
        return Ok(None);
    };
    let u = user::Model::from_query_result(&row, "")?;
    let now = now_utc();
    if !u.active || u.office_id != t.office_id || t.expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    // An unknown scope in the row is read as the narrower one.
    let scope = TokenScope::from_code(&t.scope).unwrap_or(TokenScope::Read);
    store
        .seen
        .saw(u.office_id, row.try_get("", "o_data_version")?);
    if t.last_used_at
        .is_none_or(|l| now - l > chrono::Duration::minutes(5))
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(store.conn())
            .await?;
    }
    Ok(Some((u, scope)))
}
