//! Staff accounts (職員). Never deleted: deactivated, so that records keep their author.

use crate::entities::{api_token, session, user};
use crate::{Result, Store, StoreError, Tx, now_utc};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind, Role};
use yorisoi_domain::text;

/// argon2id with OWASP's parameters (19 MiB, t=2, p=1).
fn argon() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when the login does not exist, so that timing does not tell.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0nOBc0b3Xn9UYcZpbDYF8xVHQoIV1BDVfbKjSYfTD9U"
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

pub struct ValidUser {
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

pub fn check_password(e: &mut FieldErrors, field: &str, password: &str) {
    let n = password.chars().count();
    if n < 10 {
        e.add(field, "パスワードは10文字以上にしてください。");
    } else if n > 128 {
        e.add(field, "パスワードは128文字以内にしてください。");
    }
}

impl NewUser {
    pub fn validate(&self) -> std::result::Result<ValidUser, FieldErrors> {
        let mut e = FieldErrors::new();
        let login = text::nfkc(&self.login).to_lowercase();
        if login.len() < 3
            || login.len() > 32
            || !login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            e.add(
                "login",
                "ログインIDは半角英数字と . _ - で3〜32文字にしてください。",
            );
        }
        let display_name = text::required_line(&mut e, "display_name", &self.display_name, 40);
        let role = Role::from_code(self.role.trim());
        if role.is_none() {
            e.add("role", "役割を一覧から選んでください。");
        }
        check_password(&mut e, "password", &self.password);
        match role {
            Some(role) if e.is_empty() => Ok(ValidUser {
                login,
                display_name,
                role,
            }),
            _ => Err(e),
        }
    }
}

async fn insert<C: ConnectionTrait>(
    conn: &C,
    office_id: i64,
    v: &ValidUser,
    password: &str,
) -> Result<i64> {
    let exists = user::Entity::find()
        .filter(user::Column::Login.eq(v.login.clone()))
        .one(conn)
        .await?;
    if exists.is_some() {
        return Err(StoreError::field(
            "login",
            "このログインIDは既に使われています。別のIDにしてください。",
        ));
    }
    let now = now_utc();
    let m = user::ActiveModel {
        office_id: Set(office_id),
        login: Set(v.login.clone()),
        display_name: Set(v.display_name.clone()),
        role: Set(v.role.code().into()),
        password_hash: Set(hash_password(password)?),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(m.id)
}

/// Adds a staff member (admins only).
pub async fn create(tx: &mut Tx, input: &NewUser) -> Result<std::result::Result<i64, FieldErrors>> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let v = match input.validate() {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let id = insert(tx.conn(), tx.office_id(), &v, &input.password).await?;
    tx.record("create", RecordKind::Staff, Some(id), None, v.login);
    Ok(Ok(id))
}

/// Adds a user from the command line (the first admin of an office), audited without an actor.
pub async fn create_from_cli(
    store: &Store,
    office_id: i64,
    input: &NewUser,
) -> Result<std::result::Result<i64, FieldErrors>> {
    let v = match input.validate() {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    crate::offices::get(store, office_id).await?;
    // The writer's turn and SQLite's write lock first, as a unit of work takes them: a
    // transaction that read before writing could otherwise fail at once with SQLITE_BUSY.
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), office_id).await?;
    let id = insert(&txn, office_id, &v, &input.password).await?;
    let ev = crate::audit::PendingEvent {
        action: "create".into(),
        kind: "staff".into(),
        record_id: Some(id),
        client_id: None,
        outcome: "ok",
        detail: format!("cli: {}", v.login),
    };
    crate::audit::append(&txn, &store.audit_keys(), office_id, None, &[ev]).await?;
    txn.commit().await?;
    Ok(Ok(id))
}

pub async fn find_by_login(store: &Store, login: &str) -> Result<Option<user::Model>> {
    let login = text::nfkc(login).to_lowercase();
    Ok(user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(store.conn())
        .await?)
}

pub async fn get_plain(store: &Store, id: i64) -> Result<user::Model> {
    user::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Staff of the actor's office, active first.
pub async fn list(tx: &Tx) -> Result<Vec<user::Model>> {
    tx.office_access(RecordKind::Staff, Action::Read)?;
    Ok(user::Entity::find()
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(user::Column::Active)
        .order_by_asc(user::Column::Id)
        .all(tx.conn())
        .await?)
}

/// Every staff member's (id, name): most pages show names beside records, and need nothing else
/// (not the password hash) of every colleague.
pub async fn names(tx: &Tx) -> Result<Vec<(i64, String)>> {
    tx.office_access(RecordKind::Staff, Action::Read)?;
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .into_tuple()
        .all(tx.conn())
        .await?)
}

pub async fn get(tx: &Tx, id: i64) -> Result<user::Model> {
    tx.office_access(RecordKind::Staff, Action::Read)?;
    user::Entity::find_by_id(id)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Activates or deactivates a staff member; deactivation ends their sessions and tokens at once.
pub async fn set_active(tx: &mut Tx, id: i64, version: i32, active: bool) -> Result<()> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    if id == tx.actor().user_id && !active {
        return Err(StoreError::Rule(
            "自分自身を無効にすることはできません。".into(),
        ));
    }
    let r = user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(active))
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .filter(user::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        get(tx, id).await?;
        return Err(StoreError::Conflict);
    }
    if !active {
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(tx.conn())
            .await?;
        api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now_utc())))
            .filter(api_token::Column::UserId.eq(id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(tx.conn())
            .await?;
    }
    tx.record(
        if active { "activate" } else { "deactivate" },
        RecordKind::Staff,
        Some(id),
        None,
        "",
    );
    Ok(())
}

/// Changes a staff member's name and role.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i32,
    display_name: &str,
    role: Role,
) -> Result<std::result::Result<(), FieldErrors>> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let mut e = FieldErrors::new();
    let name = text::required_line(&mut e, "display_name", display_name, 40);
    if id == tx.actor().user_id && role != Role::Admin {
        e.add("role", "自分自身の管理者権限は外せません。");
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let r = user::Entity::update_many()
        .col_expr(user::Column::DisplayName, Expr::value(name))
        .col_expr(user::Column::Role, Expr::value(role.code()))
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .filter(user::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        get(tx, id).await?;
        return Err(StoreError::Conflict);
    }
    tx.record("update", RecordKind::Staff, Some(id), None, role.code());
    Ok(Ok(()))
}

/// A colleague's display name, for documents (計画作成担当者); "" for a user of another office.
/// Only the name: anyone who may print a client's record may read who is in charge of it.
pub async fn staff_name(tx: &Tx, id: i64) -> Result<String> {
    Ok(user::Entity::find_by_id(id)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default())
}
