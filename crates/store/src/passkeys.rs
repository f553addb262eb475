//! WebAuthn passkeys as a second factor: the credentials each user registered and the
//! challenges a registration or a sign-in is answering.
//!
//! The store keeps the WebAuthn library's own serialised credential (public key, counter) as
//! text and never reads inside it; the web layer checks signatures. A challenge is good once
//! and for minutes: taking it deletes it in one statement, so two answers to the same challenge
//! cannot both succeed.

use crate::audit::{self, PendingEvent};
use crate::entities::{passkey, recovery_code, second_factor, webauthn_challenge};
use crate::{Result, Store, StoreError, now_utc};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use yorisoi_domain::policy::{Action, RecordKind};

/// How long a registration or sign-in challenge may wait for its answer.
pub const CHALLENGE_TTL: Duration = Duration::minutes(5);
/// Passkeys one user may register.
pub const MAX_PER_USER: u64 = 10;
/// The longest name a passkey may be given.
pub const NAME_MAX_CHARS: usize = 40;

/// A registered passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passkey {
    pub id: i64,
    pub name: String,
    pub credential_id: String,
    /// The WebAuthn library's serialised credential.
    pub credential: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<passkey::Model> for Passkey {
    fn from(m: passkey::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            credential_id: m.credential_id,
            credential: m.credential,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
        }
    }
}

/// The user's passkeys, oldest first.
pub async fn list(store: &Store, user_id: i64) -> Result<Vec<Passkey>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::Id)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Passkey::from)
        .collect())
}

pub async fn count<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<u64> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .count(conn)
        .await?)
}

/// The WebAuthn user handle the user's passkeys carry (random, fixed at the first passkey), or
/// `None` before the first.
pub async fn user_handle(store: &Store, user_id: i64) -> Result<Option<String>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::Id)
        .one(store.conn())
        .await?
        .map(|m| m.user_handle))
}

/// A passkey's name as given: trimmed, at most [`NAME_MAX_CHARS`], never empty.
pub fn clean_name(typed: &str) -> std::result::Result<String, String> {
    let name = yorisoi_domain::text::clean_text(typed).replace('\n', " ");
    if name.is_empty() {
        return Err("パスキーの名前を入力してください（例：事務所のパソコン、iPad）。".into());
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(format!(
            "パスキーの名前は{NAME_MAX_CHARS}文字以内で入力してください。"
        ));
    }
    Ok(name)
}

fn event(action: &str, user_id: i64, detail: String) -> PendingEvent {
    PendingEvent {
        action: action.into(),
        kind: "second_factor".into(),
        record_id: Some(user_id),
        client_id: None,
        outcome: "ok",
        detail,
    }
}

/// Whether the user has a confirmed TOTP.
async fn has_totp<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<bool> {
    Ok(second_factor::Entity::find()
        .filter(second_factor::Column::UserId.eq(user_id))
        .filter(second_factor::Column::ConfirmedAt.is_not_null())
        .count(conn)
        .await?
        > 0)
}

/// What registering a passkey gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: i64,
    /// Recovery codes, when this passkey is the user's first second factor (shown once).
    pub recovery_codes: Vec<String>,
}

/// A new passkey to register.
pub struct NewPasskey<'a> {
    pub name: &'a str,
    pub credential_id: &'a str,
    pub user_handle: &'a str,
    pub credential: &'a str,
}

/// Registers a passkey. When it is the user's first second factor, recovery codes are made
/// with it (a lost device must not lock the user out). The same credential twice is refused.
pub async fn add(
    store: &Store,
    office_id: i64,
    user_id: i64,
    new: NewPasskey<'_>,
) -> Result<Added> {
    let name = clean_name(new.name).map_err(StoreError::Rule)?;
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let existing = count(&txn, user_id).await?;
    if existing >= MAX_PER_USER {
        txn.rollback().await?;
        return Err(StoreError::Rule(format!(
            "パスキーは1人{MAX_PER_USER}個までです。使わなくなったものを削除してから登録してください。"
        )));
    }
    let taken = passkey::Entity::find()
        .filter(passkey::Column::CredentialId.eq(new.credential_id))
        .count(&txn)
        .await?;
    if taken > 0 {
        txn.rollback().await?;
        return Err(StoreError::Rule(
            "このパスキーはすでに登録されています。".into(),
        ));
    }
    let first_factor = existing == 0 && !has_totp(&txn, user_id).await?;
    let m = passkey::ActiveModel {
        office_id: Set(office_id),
        user_id: Set(user_id),
        name: Set(name.clone()),
        credential_id: Set(new.credential_id.into()),
        user_handle: Set(new.user_handle.into()),
        credential: Set(new.credential.into()),
        created_at: Set(now_utc()),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let recovery_codes = if first_factor {
        crate::second_factor::replace_recovery_codes(&txn, office_id, user_id).await?
    } else {
        Vec::new()
    };
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event("passkey_add", user_id, name)],
    )
    .await?;
    txn.commit().await?;
    Ok(Added {
        id: m.id,
        recovery_codes,
    })
}

/// Removes one of the user's own passkeys. When no second factor is left, the recovery codes go
/// too. `NotFound` for a passkey that is not the user's.
pub async fn remove(store: &Store, office_id: i64, user_id: i64, id: i64) -> Result<()> {
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let Some(m) = passkey::Entity::find_by_id(id)
        .filter(passkey::Column::UserId.eq(user_id))
        .filter(passkey::Column::OfficeId.eq(office_id))
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Err(StoreError::NotFound);
    };
    passkey::Entity::delete_by_id(m.id).exec(&txn).await?;
    if count(&txn, user_id).await? == 0 && !has_totp(&txn, user_id).await? {
        recovery_code::Entity::delete_many()
            .filter(recovery_code::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
    }
    audit::append(
        &txn,
        &store.audit_keys(),
        office_id,
        Some(user_id),
        &[event("passkey_remove", user_id, m.name)],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A passkey answered a sign-in: its last use, and its credential when the library updated it
/// (the counter moved).
pub async fn used(store: &Store, id: i64, credential: Option<&str>) -> Result<()> {
    let mut q = passkey::Entity::update_many()
        .col_expr(passkey::Column::LastUsedAt, Expr::value(Some(now_utc())))
        .filter(passkey::Column::Id.eq(id));
    if let Some(c) = credential {
        q = q.col_expr(passkey::Column::Credential, Expr::value(c));
    }
    q.exec(store.conn()).await?;
    Ok(())
}

/// What a challenge is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// The user registers a passkey from their settings.
    Register,
    /// A pending sign-in (its id) is answered with a passkey.
    SignIn(i64),
}

impl Ceremony {
    fn purpose(self) -> &'static str {
        match self {
            Ceremony::Register => "register",
            Ceremony::SignIn(_) => "sign_in",
        }
    }

    fn pending_id(self) -> Option<i64> {
        match self {
            Ceremony::Register => None,
            Ceremony::SignIn(id) => Some(id),
        }
    }
}

/// Keeps the state of a challenge just sent, replacing an earlier one for the same ceremony.
pub async fn save_challenge(
    store: &Store,
    user_id: i64,
    ceremony: Ceremony,
    state: &str,
) -> Result<()> {
    let now = now_utc();
    // The same ceremony's earlier challenge goes (a sign-in's: only that pending sign-in's, so
    // the same user signing in on two devices at once does not spoil the other's).
    let mut same = sea_orm::Condition::all()
        .add(webauthn_challenge::Column::UserId.eq(user_id))
        .add(webauthn_challenge::Column::Purpose.eq(ceremony.purpose()));
    if let Some(p) = ceremony.pending_id() {
        same = same.add(webauthn_challenge::Column::PendingId.eq(p));
    }
    webauthn_challenge::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(webauthn_challenge::Column::ExpiresAt.lt(now))
                .add(same),
        )
        .exec(store.conn())
        .await?;
    webauthn_challenge::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(ceremony.purpose().into()),
        pending_id: Set(ceremony.pending_id()),
        state: Set(state.into()),
        expires_at: Set(now + CHALLENGE_TTL),
        ..Default::default()
    }
    .insert(store.conn())
    .await?;
    Ok(())
}

/// Takes (and so ends) the state of the user's open challenge for a ceremony; `None` when there
/// is none, it expired, or another request took it first.
pub async fn take_challenge(
    store: &Store,
    user_id: i64,
    ceremony: Ceremony,
) -> Result<Option<String>> {
    let mut q = webauthn_challenge::Entity::find()
        .filter(webauthn_challenge::Column::UserId.eq(user_id))
        .filter(webauthn_challenge::Column::Purpose.eq(ceremony.purpose()));
    if let Some(p) = ceremony.pending_id() {
        q = q.filter(webauthn_challenge::Column::PendingId.eq(p));
    }
    let Some(m) = q.one(store.conn()).await? else {
        return Ok(None);
    };
    let gone = webauthn_challenge::Entity::delete_by_id(m.id)
        .exec(store.conn())
        .await?;
    if gone.rows_affected != 1 || now_utc() >= m.expires_at {
        return Ok(None);
    }
    Ok(Some(m.state))
}

/// An admin clears a user's second factor (a lost phone, a broken key): TOTP, passkeys and
/// recovery codes go, with the reason in the audit log. The user sets one up again at their
/// next sign-in when the office's policy requires it.
pub async fn reset_user(tx: &mut crate::Tx, user_id: i64, reason: &str) -> Result<()> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let target = crate::users::get(tx, user_id).await?;
    if user_id == tx.actor().user_id {
        return Err(StoreError::Rule(
            "自分の二段階認証は「二段階認証」の画面で変えてください（ほかの管理者がリセットできます）。"
                .into(),
        ));
    }
    let reason = yorisoi_domain::text::nfkc(reason);
    if reason.is_empty() {
        return Err(StoreError::field(
            "reason",
            "理由を入力してください（例：スマートフォンを紛失したため）。",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(StoreError::field(
            "reason",
            "理由は200文字までにしてください。",
        ));
    }
    second_factor::Entity::delete_many()
        .filter(second_factor::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?;
    passkey::Entity::delete_many()
        .filter(passkey::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?;
    webauthn_challenge::Entity::delete_many()
        .filter(webauthn_challenge::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?;
    tx.record(
        "second_factor_reset",
        RecordKind::Staff,
        Some(user_id),
        None,
        format!("{}: {reason}", target.login),
    );
    Ok(())
}
