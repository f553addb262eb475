//! 自分のアカウント: a user's own password and sessions. Every query is scoped to the actor's
//! own user id, so there is nothing of anyone else to ask for; the policy's `Account` kind lets
//! every role do it, and every change is in the audit log.

use crate::entities::{session, user};
use crate::sessions::IDLE_TIMEOUT;
use crate::users::{PasswordContext, check_password, end_sessions_of, hash_blocking};
use crate::{Result, StoreError, Tx, now_utc};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};

/// A password change as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordChange {
    /// 現在のパスワード
    pub current_password: String,
    /// 新しいパスワード（10文字以上。ログインID・事業所名を含まず、推測されにくいもの）
    pub new_password: String,
    /// 新しいパスワード（確認）。省略すると確かめない（API）
    #[serde(default)]
    pub confirm_password: Option<String>,
}

/// The actor changes their own password: the current one must be right, the new one passes
/// the one check, and every other session of the account ends (`keep`, the session the change
/// was made from, stays). A forced change (after an admin's reset) is over. Audited.
pub async fn change_password(
    tx: &mut Tx,
    keep: Option<i64>,
    input: &PasswordChange,
) -> Result<std::result::Result<u64, FieldErrors>> {
    tx.office_access(RecordKind::Account, Action::Write)?;
    let me = own(tx).await?;
    let mut e = FieldErrors::new();
    if input.current_password.is_empty() {
        e.add("current_password", "現在のパスワードを入力してください。");
    } else if input.current_password.chars().count() > 256
        || !crate::users::verify_blocking(&me.password_hash, &input.current_password).await?
    {
        e.add("current_password", "現在のパスワードが違います。");
    }
    let office = crate::users::office_name(tx.conn(), tx.office_id()).await?;
    check_password(
        &mut e,
        "new_password",
        &input.new_password,
        PasswordContext {
            login: &me.login,
            office_name: &office,
            display_name: &me.display_name,
        },
    );
    if let Some(c) = &input.confirm_password
        && *c != input.new_password
    {
        e.add(
            "confirm_password",
            "確認のパスワードが新しいパスワードと一致しません。",
        );
    }
    if e.is_empty() && input.new_password == input.current_password {
        e.add(
            "new_password",
            "新しいパスワードは現在のものと違うものにしてください。",
        );
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let hash = hash_blocking(&input.new_password).await?;
    let r = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .col_expr(user::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(user::Column::Id.eq(me.id))
        // Changed meanwhile (an admin's reset, another change): the current one was not it.
        .filter(user::Column::PasswordHash.eq(me.password_hash.as_str()))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    let ended = end_sessions_of(tx.conn(), me.id, keep).await?;
    let detail = if me.must_change_password {
        format!("管理者による再設定の後の変更（ほかのセッション{ended}件を終了）")
    } else {
        format!("ほかのセッション{ended}件を終了")
    };
    tx.record(
        "password_change",
        RecordKind::Account,
        Some(me.id),
        None,
        detail,
    );
    Ok(Ok(ended))
}

async fn own(tx: &Tx) -> Result<user::Model> {
    user::Entity::find_by_id(tx.actor().user_id)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// The actor's own sessions still alive at `now`, the most recently used first.
pub async fn sessions(tx: &Tx, now: DateTime<Utc>) -> Result<Vec<session::Model>> {
    tx.office_access(RecordKind::Account, Action::Read)?;
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(tx.actor().user_id))
        .filter(session::Column::AbsoluteExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - IDLE_TIMEOUT))
        .order_by_desc(session::Column::LastSeenAt)
        .order_by_desc(session::Column::Id)
        .all(tx.conn())
        .await?)
}

/// The actor ends one of their own sessions (another's, or one that is gone, is NotFound).
pub async fn end_session(tx: &mut Tx, id: i64) -> Result<()> {
    tx.office_access(RecordKind::Account, Action::Write)?;
    let r = session::Entity::delete_many()
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UserId.eq(tx.actor().user_id))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    tx.record("session_end", RecordKind::Account, Some(id), None, "");
    Ok(())
}

/// The actor ends every session of theirs but `keep` (the one they are using); how many.
pub async fn end_other_sessions(tx: &mut Tx, keep: Option<i64>) -> Result<u64> {
    tx.office_access(RecordKind::Account, Action::Write)?;
    let n = end_sessions_of(tx.conn(), tx.actor().user_id, keep).await?;
    tx.record(
        "sessions_end_others",
        RecordKind::Account,
        None,
        None,
        format!("{n}件"),
    );
    Ok(n)
}

/// How long a session may still live, for the list (the sooner of the idle and absolute ends).
pub fn expires_at(s: &session::Model) -> DateTime<Utc> {
    (s.last_seen_at + IDLE_TIMEOUT).min(s.absolute_expires_at)
}
