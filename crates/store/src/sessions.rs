//! Server-side sessions and sign-in rate limiting. Only SHA-256 hashes of session tokens are
//! stored, so a copy of the database does not let anyone sign in.

use crate::entities::{login_attempt, session, user};
use crate::{Result, Store, now_utc};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::fill(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// Starts a new session (a fresh id at every sign-in).
pub async fn create(store: &Store, user_id: i64) -> Result<NewSession> {
    let token = random_token();
    let csrf_token = random_token();
    let now = now_utc();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        absolute_expires_at: Set(now + ABSOLUTE_TIMEOUT),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(NewSession { token, csrf_token })
}

pub struct SessionInfo {
    pub session_id: i64,
    pub csrf_token: String,
    pub user: user::Model,
}

/// The live session for a token, or `None` when unknown, expired, or its user deactivated.
/// Expired sessions are removed as they are found.
pub async fn lookup(store: &Store, token: &str, now: DateTime<Utc>) -> Result<Option<SessionInfo>> {
    // Session and user in one statement: every request asks, so one round trip instead of two.
    let row = store
        .conn()
        .query_one_raw(crate::stmt(
            store.backend(),
            "SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.last_seen_at AS s_last_seen_at, \
             s.absolute_expires_at AS s_absolute_expires_at, u.* \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
            vec![token_hash(token).into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let session_id: i64 = row.try_get("", "s_id")?;
    let last_seen_at: DateTime<Utc> = row.try_get("", "s_last_seen_at")?;
    let absolute_expires_at: DateTime<Utc> = row.try_get("", "s_absolute_expires_at")?;
    if now >= absolute_expires_at || now - last_seen_at >= IDLE_TIMEOUT {
        session::Entity::delete_by_id(session_id)
            .exec(store.conn())
            .await?;
        return Ok(None);
    }
    let u = user::Model::from_query_result(&row, "")?;
    if !u.active {
        return Ok(None);
    }
    // Refresh the idle clock at most once a minute, to keep reads cheap.
    if now - last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(session_id))
            .exec(store.conn())
            .await?;
    }
    Ok(Some(SessionInfo {
        session_id,
        csrf_token: row.try_get("", "s_csrf_token")?,
        user: u,
    }))
}

/// Ends a session on the server.
pub async fn delete(store: &Store, session_id: i64) -> Result<()> {
    session::Entity::delete_by_id(session_id)
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Sign-in throttling: failures counted per key ("login:NAME" and "addr:IP") in a sliding
/// window, so a lock always lifts by itself and an attacker cannot lock a user out forever.
pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_PER_ACCOUNT: u64 = 5;
pub const MAX_PER_ADDRESS: u64 = 20;

pub async fn recent_failures(store: &Store, key: &str, now: DateTime<Utc>) -> Result<u64> {
    Ok(login_attempt::Entity::find()
        .filter(login_attempt::Column::Key.eq(key))
        .filter(login_attempt::Column::At.gt(now - WINDOW))
        .count(store.conn())
        .await?)
}

pub async fn record_failure(store: &Store, key: &str, now: DateTime<Utc>) -> Result<()> {
    login_attempt::ActiveModel {
        key: Set(key.to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    // Old attempts are of no further use.
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::At.lt(now - WINDOW * 4))
        .exec(store.conn())
        .await?;
    Ok(())
}

pub async fn clear_failures(store: &Store, key: &str) -> Result<()> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Key.eq(key))
        .exec(store.conn())
        .await?;
    Ok(())
}
