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

/// Where a session was started from, shown on the user's list of their own sessions.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The browser's `User-Agent` as sent (cut to 400 characters).
    pub user_agent: String,
    /// The client's address as the sign-in saw it.
    pub address: String,
}

/// Starts a new session (a fresh id at every sign-in), of unknown origin.
pub async fn create(store: &Store, user_id: i64) -> Result<NewSession> {
    create_from(store, user_id, &Origin::default()).await
}

/// Starts a new session (a fresh id at every sign-in) from `origin`.
pub async fn create_from(store: &Store, user_id: i64, origin: &Origin) -> Result<NewSession> {
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
        user_agent: Set(origin.user_agent.chars().take(400).collect()),
        address: Set(origin.address.chars().take(64).collect()),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    purge_ended(store, now).await?;
    Ok(NewSession { token, csrf_token })
}

pub struct SessionInfo {
    pub session_id: i64,
    pub csrf_token: String,
    pub user: user::Model,
    /// The calendar the user's office chose (帳票の設定), which its screens show too; read in
    /// the same statement so a page costs no extra round trip for it.
    pub dates: yorisoi_domain::date::DateStyle,
    /// The user's second factor and the office's policy, read in the same statement when asked
    /// for (the home page's set-up notice, on every view of it).
    pub second_factor: Option<SecondFactor>,
}

/// Whether the user has a second factor (a confirmed TOTP or a passkey), and the office's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondFactor {
    pub enrolled: bool,
    pub policy: yorisoi_domain::second_factor::Policy,
}

/// How long an expired session is still recognised as "yours, but expired": a form sent in that
/// time is kept (parked) for the same user to save after signing in again, instead of lost.
pub const EXPIRED_GRACE: Duration = Duration::hours(12);

/// A session that ended by time (idle or absolute), within [`EXPIRED_GRACE`].
#[derive(Debug, Clone)]
pub struct ExpiredSession {
    pub session_id: i64,
    pub user_id: i64,
    pub office_id: i64,
    /// The CSRF token the expired session's forms carry (a parked form must show it).
    pub csrf_token: String,
}

/// What a session cookie stands for at `now`.
pub enum Lookup {
    Live(SessionInfo),
    /// Ended by time a short while ago (never revived: only a new sign-in helps).
    Expired(ExpiredSession),
    Unknown,
}

macro_rules! lookup_sql {
    ($second_factor_columns:literal, $second_factor_join:literal) => {
        concat!(
            "SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.last_seen_at AS s_last_seen_at, \
             s.absolute_expires_at AS s_absolute_expires_at, o.doc_settings AS o_doc_settings, \
             o.data_version AS o_data_version, ",
            $second_factor_columns,
            "u.* FROM sessions s JOIN users u ON u.id = s.user_id \
             JOIN offices o ON o.id = u.office_id",
            $second_factor_join,
            " WHERE s.token_hash = ?"
        )
    };
}
const LOOKUP: &str = lookup_sql!("", "");
// Two index probes and a join more: only the page that shows the notice pays for them (they
// cost the JSON read about 4% when every request made them).
const LOOKUP_WITH_SECOND_FACTOR: &str = lookup_sql!(
    "p.mode AS p_mode, p.grace_until AS p_grace_until, \
     CASE WHEN EXISTS (SELECT 1 FROM second_factors f \
                       WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) \
            OR EXISTS (SELECT 1 FROM passkeys k WHERE k.user_id = u.id) \
          THEN 1 ELSE 0 END AS f_enrolled, ",
    " LEFT JOIN second_factor_policies p ON p.office_id = u.office_id"
);

/// The live session for a token, or `None` when unknown, expired, or its user deactivated.
pub async fn lookup(store: &Store, token: &str, now: DateTime<Utc>) -> Result<Option<SessionInfo>> {
    Ok(match lookup_or_expired(store, token, now, false).await? {
        Lookup::Live(s) => Some(s),
        _ => None,
    })
}

/// The session for a token: live, recently expired, or unknown. An expired session is marked
/// so that it stays expired whatever clock asks later, and removed once its grace has passed.
pub async fn lookup_or_expired(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
    with_second_factor: bool,
) -> Result<Lookup> {
    // Session and user in one statement: every request asks, so one round trip instead of two.
    let row = store
        .conn()
        .query_one_raw(crate::stmt(
            store.backend(),
            if with_second_factor {
                LOOKUP_WITH_SECOND_FACTOR
            } else {
                LOOKUP
            },
            vec![token_hash(token).into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(Lookup::Unknown);
    };
    let session_id: i64 = row.try_get("", "s_id")?;
    let last_seen_at: DateTime<Utc> = row.try_get("", "s_last_seen_at")?;
    let absolute_expires_at: DateTime<Utc> = row.try_get("", "s_absolute_expires_at")?;
    let ended_at = absolute_expires_at.min(last_seen_at + IDLE_TIMEOUT);
    let u = user::Model::from_query_result(&row, "")?;
    if now >= ended_at {
        if now - ended_at >= EXPIRED_GRACE || !u.active {
            session::Entity::delete_by_id(session_id)
                .exec(store.conn())
                .await?;
            return Ok(Lookup::Unknown);
        }
        if absolute_expires_at > last_seen_at {
            // Pin the end at its last request, so that no later request (nor a clock that
            // steps back) brings it back to life.
            session::Entity::update_many()
                .col_expr(
                    session::Column::AbsoluteExpiresAt,
                    Expr::value(last_seen_at),
                )
                .filter(session::Column::Id.eq(session_id))
                .exec(store.conn())
                .await?;
        }
        return Ok(Lookup::Expired(ExpiredSession {
            session_id,
            user_id: u.id,
            office_id: u.office_id,
            csrf_token: row.try_get("", "s_csrf_token")?,
        }));
    }
    if !u.active {
        return Ok(Lookup::Unknown);
    }
    // Refresh the idle clock at most once a minute, to keep reads cheap.
    if now - last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(session_id))
            .exec(store.conn())
            .await?;
    }
    let settings: String = row.try_get("", "o_doc_settings")?;
    store
        .seen
        .saw(u.office_id, row.try_get("", "o_data_version")?);
    let second_factor = if with_second_factor {
        let enrolled: i32 = row.try_get("", "f_enrolled")?;
        let mode: Option<String> = row.try_get("", "p_mode")?;
        Some(SecondFactor {
            enrolled: enrolled != 0,
            policy: crate::second_factor::policy_of(
                mode.as_deref(),
                row.try_get("", "p_grace_until")?,
            ),
        })
    } else {
        None
    };
    Ok(Lookup::Live(SessionInfo {
        session_id,
        csrf_token: row.try_get("", "s_csrf_token")?,
        user: u,
        dates: crate::offices::parse_doc_settings(&settings).dates,
        second_factor,
    }))
}

/// Removes the sessions whose grace after expiry has passed (run at each sign-in: sessions a
/// browser never came back to would otherwise stay).
pub async fn purge_ended(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    let r = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::AbsoluteExpiresAt.lt(now - EXPIRED_GRACE))
                .add(session::Column::LastSeenAt.lt(now - IDLE_TIMEOUT - EXPIRED_GRACE)),
        )
        .exec(store.conn())
        .await?;
    Ok(r.rows_affected)
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

/// The limits a sign-in attempt is counted under, before its password is checked.
/// - per (address, account): 5 in the window — one place guessing one account;
/// - per account from devices it never signed in from: 10 — guessing from many places;
/// - per address from devices unknown to the account: 20 — one place guessing many accounts;
/// - per known device and account: 5 — a browser the user signed in from before is never held
///   back by other people's failures from the same address (an office behind one NAT).
pub const MAX_PER_PAIR: u64 = 5;
pub const MAX_PER_ACCOUNT_UNKNOWN_DEVICES: u64 = 10;
pub const MAX_PER_KNOWN_DEVICE: u64 = 5;

/// What a sign-in attempt is counted under.
pub struct Attempt<'a> {
    pub login: &'a str,
    pub address: &'a str,
    /// The hash of the browser's device cookie when it belongs to this account.
    pub known_device: Option<&'a str>,
}

impl Attempt<'_> {
    fn keys(&self) -> Vec<(String, u64)> {
        match self.known_device {
            Some(d) => vec![(format!("dev:{d}|{}", self.login), MAX_PER_KNOWN_DEVICE)],
            None => vec![
                (
                    format!("pair:{}|{}", self.address, self.login),
                    MAX_PER_PAIR,
                ),
                (
                    format!("acct:{}", self.login),
                    MAX_PER_ACCOUNT_UNKNOWN_DEVICES,
                ),
                (format!("addr:{}", self.address), MAX_PER_ADDRESS),
            ],
        }
    }
}

/// An attempt counted by [`claim_attempt`]: forgotten again if the password was right.
pub struct Claim {
    ids: Vec<i64>,
    keys: Vec<String>,
    pub allowed: bool,
}

/// Counts the attempt under each of its keys and says whether every limit still holds — in
/// one transaction per attempt, serialised per key, so that of 100 simultaneous attempts at
/// most the limit get their password checked (the count is taken before the check, never
/// read before and written after it).
pub async fn claim_attempt(store: &Store, a: &Attempt<'_>, now: DateTime<Utc>) -> Result<Claim> {
    claim_keys(store, a.keys(), now).await
}

/// Counts a second step (a TOTP or recovery code) of `user_id` under its own key, `2fa:<id>`,
/// with the same window and the same atomic claim as the password step.
pub async fn claim_second_step(
    store: &Store,
    user_id: i64,
    max: u64,
    now: DateTime<Utc>,
) -> Result<Claim> {
    claim_keys(store, vec![(format!("2fa:{user_id}"), max)], now).await
}

async fn claim_keys(
    store: &Store,
    mut keys: Vec<(String, u64)>,
    now: DateTime<Utc>,
) -> Result<Claim> {
    use sea_orm::TransactionTrait;
    keys.sort();
    // SQLite has one writer: take the store's write turn, so attempts queue in order.
    let _turn = match &store.write_gate {
        Some(g) => Some(g.clone().lock_owned().await),
        None => None,
    };
    let txn = store.conn().begin().await?;
    let backend = store.backend();
    let mut ids = Vec::new();
    let mut allowed = true;
    for (key, max) in &keys {
        if backend == sea_orm::DbBackend::Postgres {
            txn.query_one_raw(crate::stmt(
                backend,
                "SELECT pg_advisory_xact_lock(hashtext(?))",
                vec![key.clone().into()],
            ))
            .await?;
        }
        let row = login_attempt::ActiveModel {
            key: Set(key.clone()),
            at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        ids.push(row.id);
        let n = login_attempt::Entity::find()
            .filter(login_attempt::Column::Key.eq(key.as_str()))
            .filter(login_attempt::Column::At.gt(now - WINDOW))
            .count(&txn)
            .await?;
        allowed &= n <= *max;
    }
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::At.lt(now - WINDOW * 4))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Claim {
        ids,
        keys: keys.into_iter().map(|(k, _)| k).collect(),
        allowed,
    })
}

/// The password was right: the attempt and the account's earlier failures are forgotten (an
/// address's failures for other accounts stay counted).
pub async fn forgive(store: &Store, claim: &Claim) -> Result<()> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Id.is_in(claim.ids.clone()))
        .exec(store.conn())
        .await?;
    let own: Vec<&String> = claim
        .keys
        .iter()
        .filter(|k| !k.starts_with("addr:"))
        .collect();
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Key.is_in(own))
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Whether the browser's device cookie (hashed) is one `user_id` signed in from before.
pub async fn device_known(store: &Store, user_id: i64, device_token: &str) -> Result<bool> {
    use crate::entities::known_device;
    Ok(known_device::Entity::find()
        .filter(known_device::Column::UserId.eq(user_id))
        .filter(known_device::Column::DeviceHash.eq(token_hash(device_token)))
        .count(store.conn())
        .await?
        > 0)
}

/// Remembers the device a user signed in from; `true` when it was new to them.
pub async fn remember_device(store: &Store, user_id: i64, device_token: &str) -> Result<bool> {
    use crate::entities::known_device;
    let now = now_utc();
    let hash = token_hash(device_token);
    let updated = known_device::Entity::update_many()
        .col_expr(known_device::Column::LastSeenAt, Expr::value(now))
        .filter(known_device::Column::UserId.eq(user_id))
        .filter(known_device::Column::DeviceHash.eq(hash.as_str()))
        .exec(store.conn())
        .await?;
    if updated.rows_affected > 0 {
        return Ok(false);
    }
    known_device::ActiveModel {
        user_id: Set(user_id),
        device_hash: Set(hash),
        created_at: Set(now),
        last_seen_at: Set(now),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(true)
}

/// An admin lifts the sign-in limits of one account at once (the attempts counted for it from
/// every address and device; other accounts' and an address's own count stay). Returns how
/// many counted attempts were forgotten. The caller records who did it and why.
pub async fn unlock(store: &Store, login: &str) -> Result<u64> {
    let rows = login_attempt::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(login_attempt::Column::Key.starts_with("pair:"))
                .add(login_attempt::Column::Key.starts_with("dev:"))
                .add(login_attempt::Column::Key.eq(format!("acct:{login}"))),
        )
        .all(store.conn())
        .await?;
    let suffix = format!("|{login}");
    let ids: Vec<i64> = rows
        .into_iter()
        .filter(|r| r.key.starts_with("acct:") || r.key.ends_with(&suffix))
        .map(|r| r.id)
        .collect();
    let n = ids.len() as u64;
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Id.is_in(ids))
        .exec(store.conn())
        .await?;
    Ok(n)
}
