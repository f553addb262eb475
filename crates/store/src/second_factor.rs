//! The second factor (TOTP) of each user, their one-time recovery codes, the office's policy,
//! and sign-ins waiting for their second step.
//!
//! A code is good once: the last step used is stored, and a verification moves it forward in one
//! conditional UPDATE, so two requests with the same code cannot both succeed. Recovery codes
//! and pending sign-in tokens are stored as SHA-256 hashes only. The secret itself is never
//! logged (it has no `Debug` of its own here; callers must not print it).

use crate::audit::{self, PendingEvent};
use crate::entities::{pending_sign_in, recovery_code, second_factor, second_factor_policy};
use crate::{Result, Store, StoreError, now_utc};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::second_factor::{self as sf, Mode, Policy};

/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// How long a sign-in may wait for its second step.
pub const PENDING_TTL: Duration = Duration::minutes(5);
/// Wrong second steps allowed per user in the sign-in window.
pub const MAX_SECOND_STEP_FAILURES: u64 = 5;

/// A user's second factor as shown on their settings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// A second factor of any kind (TOTP or a passkey).
    pub enrolled: bool,
    /// TOTP confirmed.
    pub totp: bool,
    /// When TOTP was confirmed.
    pub since: Option<DateTime<Utc>>,
    pub passkeys: u64,
    pub recovery_left: u64,
}

async fn row(store: &Store, user_id: i64) -> Result<Option<second_factor::Model>> {
    Ok(second_factor::Entity::find()
        .filter(second_factor::Column::UserId.eq(user_id))
        .one(store.conn())
        .await?)
}

/// What a user's TOTP secret is bound to when sealed.
fn sealed_row(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// The secret as stored: sealed with the audit key when the deployment has one (see
/// [`crate::sealed`]), else base32 as before.
fn stored_secret(store: &Store, user_id: i64, secret: &[u8]) -> String {
    crate::sealed::seal(&store.audit_keys(), "totp", &sealed_row(user_id), secret)
        .unwrap_or_else(|| sf::base32_encode(secret))
}

fn secret_of(store: &Store, m: &second_factor::Model) -> Result<Vec<u8>> {
    if !crate::sealed::is_sealed(&m.secret) {
        return sf::base32_decode(&m.secret)
            .ok_or_else(|| StoreError::Corrupt("second factor".into()));
    }
    crate::sealed::open(
        &store.audit_keys(),
        "totp",
        &sealed_row(m.user_id),
        &m.secret,
    )
    .map_err(|e| match e {
        crate::sealed::OpenError::NoKey(id) => StoreError::Corrupt(format!(
            "a TOTP secret is sealed with audit key {id}, which is not in the key file"
        )),
        crate::sealed::OpenError::Broken => {
            StoreError::Corrupt("a sealed TOTP secret does not open (altered or moved)".into())
        }
    })
}

/// Seals the TOTP secrets stored in plain (written before sealing, or before the deployment
/// had an audit key); returns how many. Run at every start; a no-op once done.
pub async fn seal_plain_secrets(store: &Store) -> Result<u64> {
    if store.audit_keys().current().is_none() {
        return Ok(0);
    }
    let plain: Vec<second_factor::Model> = second_factor::Entity::find()
        .filter(second_factor::Column::Secret.not_like("v1:%"))
        .all(store.conn())
        .await?;
    let mut n = 0;
    for m in plain {
        let secret = secret_of(store, &m)?;
        let done = second_factor::Entity::update_many()
            .col_expr(
                second_factor::Column::Secret,
                Expr::value(stored_secret(store, m.user_id, &secret)),
            )
            .filter(second_factor::Column::Id.eq(m.id))
            .filter(second_factor::Column::Secret.eq(m.secret.clone()))
            .exec(store.conn())
            .await?;
        n += done.rows_affected;
    }
    Ok(n)
}

pub async fn status(store: &Store, user_id: i64) -> Result<Status> {
    let m = row(store, user_id).await?;
    let since = m.as_ref().and_then(|m| m.confirmed_at);
    let passkeys = crate::passkeys::count(store.conn(), user_id).await?;
    let enrolled = since.is_some() || passkeys > 0;
    let recovery_left = if enrolled {
        recovery_code::Entity::find()
            .filter(recovery_code::Column::UserId.eq(user_id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .count(store.conn())
            .await?
    } else {
        0
    };
    Ok(Status {
        enrolled,
        totp: since.is_some(),
        since,
        passkeys,
        recovery_left,
    })
}

pub async fn enrolled(store: &Store, user_id: i64) -> Result<bool> {
    Ok(status(store, user_id).await?.enrolled)
}

/// The secret of an enrolment not yet confirmed, if one was started.
pub async fn pending_secret(store: &Store, user_id: i64) -> Result<Option<Vec<u8>>> {
    match row(store, user_id).await? {
        Some(m) if m.confirmed_at.is_none() => Ok(Some(secret_of(store, &m)?)),
        _ => Ok(None),
    }
}

/// Starts (or restarts) an enrolment with a fresh random secret; refused while one is active.
pub async fn begin_enrolment(store: &Store, office_id: i64, user_id: i64) -> Result<Vec<u8>> {
    let mut secret = vec![0u8; sf::SECRET_BYTES];
    rand::fill(&mut secret[..]);
    set_new_secret(store, office_id, user_id, &secret).await?;
    Ok(secret)
}

/// Starts an enrolment with a given secret (the demo's account, tests).
pub async fn set_new_secret(
    store: &Store,
    office_id: i64,
    user_id: i64,
    secret: &[u8],
) -> Result<()> {
    if let Some(m) = row(store, user_id).await? {
        if m.confirmed_at.is_some() {
            return Err(StoreError::Rule(
                "二段階認証はすでに有効です。設定し直すには、先に無効にしてください。".into(),
            ));
        }
        second_factor::Entity::delete_by_id(m.id)
            .exec(store.conn())
            .await?;
    }
    second_factor::ActiveModel {
        office_id: Set(office_id),
        user_id: Set(user_id),
        secret: Set(stored_secret(store, user_id, secret)),
        confirmed_at: Set(None),
        last_step: Set(None),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(())
}

fn new_recovery_code() -> String {
    let mut b = [0u8; 8];
    rand::fill(&mut b);
    let s = sf::base32_encode(&b); // 13 characters, 64 bits
    let s = &s[..12];
    format!("{}-{}-{}", &s[..4], &s[4..8], &s[8..12])
}

fn recovery_hash(user_id: i64, code: &str) -> String {
    let normal = sf::normalise_recovery(code);
    hex::encode(Sha256::digest(format!("{user_id}:{normal}").as_bytes()))
}

pub(crate) async fn replace_recovery_codes<C: ConnectionTrait>(
    conn: &C,
    office_id: i64,
    user_id: i64,
) -> Result<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let now = now_utc();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        recovery_code::ActiveModel {
            office_id: Set(office_id),
            user_id: Set(user_id),
            code_hash: Set(recovery_hash(user_id, &code)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

fn event(action: &str, user_id: i64, detail: &str) -> PendingEvent {
    PendingEvent {
        action: action.into(),
        kind: "second_factor".into(),
        record_id: Some(user_id),
        client_id: None,
        outcome: if action.ends_with("_failed") {
            "refused"
        } else {
            "ok"
        },
        detail: detail.into(),
    }
}

/// Confirms an enrolment with a current code: the second factor is active from now on, and the
/// recovery codes (shown once) are returned. `None` when the code is wrong or no enrolment was
/// started.
pub async fn confirm_enrolment(
    store: &Store,
    office_id: i64,
    user_id: i64,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<String>>> {
    let Some(m) = row(store, user_id).await? else {
        return Ok(None);
    };
    if m.confirmed_at.is_some() {
        return Ok(None);
    }
    let Some(step) = sf::verify(&secret_of(store, &m)?, typed, now.timestamp(), None) else {
        return Ok(None);
    };
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let done = second_factor::Entity::update_many()
        .col_expr(second_factor::Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(second_factor::Column::LastStep, Expr::value(Some(step)))
        .filter(second_factor::Column::Id.eq(m.id))
        .filter(second_factor::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    let codes = replace_recovery_codes(&txn, office_id, user_id).await?;
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event("second_factor_enrol", user_id, "TOTP")],
    )
    .await?;
    txn.commit().await?;
    Ok(Some(codes))
}

/// Enrols a user with a given secret at once, without a first code (the demo's account);
/// returns the recovery codes.
pub async fn seed_enrolled(
    store: &Store,
    office_id: i64,
    user_id: i64,
    secret: &[u8],
) -> Result<Vec<String>> {
    set_new_secret(store, office_id, user_id, secret).await?;
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    second_factor::Entity::update_many()
        .col_expr(
            second_factor::Column::ConfirmedAt,
            Expr::value(Some(now_utc())),
        )
        .filter(second_factor::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let codes = replace_recovery_codes(&txn, office_id, user_id).await?;
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event("second_factor_enrol", user_id, "TOTP")],
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// What a second step proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// A current code from the app, not used before.
    Code,
    /// A recovery code, now spent; how many are left.
    Recovery { left: u64 },
    /// Neither.
    Wrong,
}

/// Checks a code or a recovery code of an enrolled user and spends it. A code whose step is
/// not after the last one used is refused, and the step moves forward in one conditional
/// UPDATE so that the same code sent twice at once succeeds only once.
pub async fn verify(
    store: &Store,
    office_id: i64,
    user_id: i64,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Verified> {
    if sf::normalise_code(typed).is_some() {
        let Some(m) = row(store, user_id)
            .await?
            .filter(|m| m.confirmed_at.is_some())
        else {
            return Ok(Verified::Wrong);
        };
        let Some(step) = sf::verify(&secret_of(store, &m)?, typed, now.timestamp(), m.last_step)
        else {
            return Ok(Verified::Wrong);
        };
        let moved = second_factor::Entity::update_many()
            .col_expr(second_factor::Column::LastStep, Expr::value(Some(step)))
            .filter(second_factor::Column::Id.eq(m.id))
            .filter(
                sea_orm::Condition::any()
                    .add(second_factor::Column::LastStep.is_null())
                    .add(second_factor::Column::LastStep.lt(step)),
            )
            .exec(store.conn())
            .await?;
        return Ok(if moved.rows_affected == 1 {
            Verified::Code
        } else {
            Verified::Wrong
        });
    }
    let normal = sf::normalise_recovery(typed);
    if normal.len() != 12 {
        return Ok(Verified::Wrong);
    }
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(recovery_hash(user_id, &normal)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(Verified::Wrong);
    }
    let left = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(&txn)
        .await?;
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event(
            "second_factor_recovery_used",
            user_id,
            &format!("残り{left}個"),
        )],
    )
    .await?;
    txn.commit().await?;
    Ok(Verified::Recovery { left })
}

/// New recovery codes (the old ones stop working); returned once to be shown once.
pub async fn regenerate_recovery(
    store: &Store,
    office_id: i64,
    user_id: i64,
) -> Result<Vec<String>> {
    if !enrolled(store, user_id).await? {
        return Err(StoreError::NotFound);
    }
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let codes = replace_recovery_codes(&txn, office_id, user_id).await?;
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event("second_factor_recovery", user_id, "")],
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// Turns TOTP off: the secret goes, and the recovery codes too unless a passkey remains.
pub async fn disable(store: &Store, office_id: i64, user_id: i64) -> Result<()> {
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let gone = second_factor::Entity::delete_many()
        .filter(second_factor::Column::UserId.eq(user_id))
        .filter(second_factor::Column::OfficeId.eq(office_id))
        .exec(&txn)
        .await?;
    if crate::passkeys::count(&txn, user_id).await? == 0 {
        recovery_code::Entity::delete_many()
            .filter(recovery_code::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
    }
    if gone.rows_affected > 0 {
        audit::append(
            &txn,
            &store.audit_keys(),
            office_id,
            Some(user_id),
            &[event("second_factor_disable", user_id, "")],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A wrong second step, in the office's log.
pub async fn record_failure(store: &Store, office_id: i64, user_id: i64) -> Result<()> {
    audit::record_auth_event(store, office_id, user_id, "second_factor_failed").await
}

/// The office's policy; an office that never set one leaves it optional (admins still need a
/// second factor, from their next sign-in).
pub async fn policy(store: &Store, office_id: i64) -> Result<Policy> {
    let m = second_factor_policy::Entity::find()
        .filter(second_factor_policy::Column::OfficeId.eq(office_id))
        .one(store.conn())
        .await?;
    Ok(match m {
        Some(m) => policy_of(Some(&m.mode), m.grace_until),
        None => policy_of(None, None),
    })
}

/// A policy from its stored columns (no row: optional, no grace period).
pub(crate) fn policy_of(mode: Option<&str>, grace_until: Option<chrono::NaiveDate>) -> Policy {
    Policy {
        mode: mode.and_then(Mode::from_code).unwrap_or(Mode::Optional),
        grace_until,
    }
}

/// The signed-in office's policy, read in a unit of work (admins only).
pub async fn office_policy(tx: &crate::Tx) -> Result<Policy> {
    // Office settings go with staff management: admins only.
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let m = second_factor_policy::Entity::find()
        .filter(second_factor_policy::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?;
    Ok(match m {
        Some(m) => policy_of(Some(&m.mode), m.grace_until),
        None => policy_of(None, None),
    })
}

/// Sets the office's policy (admins only), with the change in the audit log.
pub async fn set_policy(tx: &mut crate::Tx, p: Policy) -> Result<()> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let office_id = tx.office_id();
    let now = now_utc();
    let existing = second_factor_policy::Entity::find()
        .filter(second_factor_policy::Column::OfficeId.eq(office_id))
        .one(tx.conn())
        .await?;
    match existing {
        Some(m) => {
            second_factor_policy::Entity::update_many()
                .col_expr(
                    second_factor_policy::Column::Mode,
                    Expr::value(p.mode.code()),
                )
                .col_expr(
                    second_factor_policy::Column::GraceUntil,
                    Expr::value(p.grace_until),
                )
                .col_expr(
                    second_factor_policy::Column::UpdatedBy,
                    Expr::value(tx.actor().user_id),
                )
                .col_expr(second_factor_policy::Column::UpdatedAt, Expr::value(now))
                .filter(second_factor_policy::Column::Id.eq(m.id))
                .exec(tx.conn())
                .await?;
        }
        None => {
            second_factor_policy::ActiveModel {
                office_id: Set(office_id),
                mode: Set(p.mode.code().into()),
                grace_until: Set(p.grace_until),
                updated_by: Set(tx.actor().user_id),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
        }
    }
    let grace = p
        .grace_until
        .map(|d| format!("、猶予 {d} まで"))
        .unwrap_or_default();
    tx.record(
        "second_factor_policy",
        RecordKind::Staff,
        Some(office_id),
        None,
        format!("{}{grace}", p.mode.label()),
    );
    Ok(())
}

/// Sets an office's policy without a signed-in admin (the demo and `yorisoi` commands).
pub async fn seed_policy(store: &Store, office_id: i64, by: i64, p: Policy) -> Result<()> {
    second_factor_policy::Entity::delete_many()
        .filter(second_factor_policy::Column::OfficeId.eq(office_id))
        .exec(store.conn())
        .await?;
    second_factor_policy::ActiveModel {
        office_id: Set(office_id),
        mode: Set(p.mode.code().into()),
        grace_until: Set(p.grace_until),
        updated_by: Set(by),
        updated_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(())
}

/// Why a sign-in is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The password was right; the code is asked next.
    Verify,
    /// The password was right, but the policy requires a second factor the user does not have:
    /// they enrol before anything else.
    Enrol,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Enrol => "enrol",
        }
    }
}

/// A sign-in waiting for its second step.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub user: crate::entities::user::Model,
    pub purpose: Purpose,
    pub next: String,
}

/// Starts a pending sign-in; returns its token (for a cookie), stored hashed.
pub async fn start_pending(
    store: &Store,
    user_id: i64,
    purpose: Purpose,
    next: &str,
) -> Result<String> {
    let token = crate::sessions::random_token();
    let now = now_utc();
    pending_sign_in::Entity::delete_many()
        .filter(pending_sign_in::Column::ExpiresAt.lt(now))
        .exec(store.conn())
        .await?;
    pending_sign_in::ActiveModel {
        token_hash: Set(crate::sessions::token_hash(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.code().into()),
        next: Set(next.into()),
        created_at: Set(now),
        expires_at: Set(now + PENDING_TTL),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(token)
}

/// The pending sign-in of a token, if it is still within its minutes and its user active.
pub async fn pending(store: &Store, token: &str, now: DateTime<Utc>) -> Result<Option<Pending>> {
    let Some(p) = pending_sign_in::Entity::find()
        .filter(pending_sign_in::Column::TokenHash.eq(crate::sessions::token_hash(token)))
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    if now >= p.expires_at {
        end_pending(store, p.id).await?;
        return Ok(None);
    }
    let user = crate::users::get_plain(store, p.user_id).await?;
    if !user.active {
        return Ok(None);
    }
    let purpose = if p.purpose == "enrol" {
        Purpose::Enrol
    } else {
        Purpose::Verify
    };
    Ok(Some(Pending {
        id: p.id,
        user,
        purpose,
        next: p.next,
    }))
}

/// Ends a pending sign-in (done, or given up). Returns whether it was still there, so that of
/// two requests finishing the same sign-in only one creates a session.
pub async fn end_pending(store: &Store, id: i64) -> Result<bool> {
    let r = pending_sign_in::Entity::delete_by_id(id)
        .exec(store.conn())
        .await?;
    Ok(r.rows_affected == 1)
}

/// The users of the signed-in office who have a second factor (admins only).
pub async fn enrolled_users(tx: &crate::Tx) -> Result<Vec<i64>> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let mut users: Vec<i64> = second_factor::Entity::find()
        .filter(second_factor::Column::OfficeId.eq(tx.office_id()))
        .filter(second_factor::Column::ConfirmedAt.is_not_null())
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    users.extend(
        crate::entities::passkey::Entity::find()
            .filter(crate::entities::passkey::Column::OfficeId.eq(tx.office_id()))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|m| m.user_id),
    );
    users.sort_unstable();
    users.dedup();
    Ok(users)
}
