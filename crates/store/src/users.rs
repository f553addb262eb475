//! Staff accounts (職員). Never deleted: deactivated, so that records keep their author.

use crate::entities::{api_token, session, user};
use crate::{Result, Store, StoreError, Tx, now_utc};
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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
    Argon2::new(ALGORITHM, VERSION, params)
}

const ALGORITHM: Algorithm = Algorithm::Argon2id;
const VERSION: Version = Version::V0x13;

pub fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let a = argon();
    phc(
        (&a, ALGORITHM, VERSION),
        password.as_bytes(),
        salt.as_salt(),
    )
    .map(|h| h.to_string())
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    let check = || -> argon2::password_hash::Result<bool> {
        let h = PasswordHash::new(hash)?;
        let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
            return Ok(false);
        };
        let algorithm = Algorithm::try_from(h.algorithm)?;
        let version = h
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let a = Argon2::new(algorithm, version, Params::try_from(&h)?);
        // `Output`'s comparison takes the same time wherever the bytes differ.
        Ok(phc((&a, algorithm, version), password.as_bytes(), salt)?.hash == Some(expected))
    };
    check().unwrap_or(false)
}

/// What argon2's `PasswordHasher::hash_password` does, with the memory blocks from
/// [`argon_blocks`]: the PHC string of `password` under `a` (made with `algorithm` and
/// `version`, which it does not tell) and `salt`.
fn phc<'a>(
    (a, algorithm, version): (&Argon2<'_>, Algorithm, Version),
    password: &[u8],
    salt: Salt<'a>,
) -> argon2::password_hash::Result<PasswordHash<'a>> {
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buf)?;
    let params = a.params();
    let mut blocks = argon_blocks(params.block_count());
    let output = Output::init_with(
        params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN),
        |out| Ok(a.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks)?),
    )?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt),
        hash: Some(output),
    })
}

/// Blocks reserved beyond glibc's largest dynamic mmap threshold (32 MiB on 64 bits).
const ARGON_RESERVE_BLOCKS: usize = 33 * 1024;

/// argon2's working memory (19 MiB), reserved as 33 MiB of which only the blocks used are ever
/// touched. glibc serves a request that large with an mmap of its own (unless a heap happens to
/// have that much free at its top) and unmaps it when freed; the 19 MiB that argon2 allocates
/// itself fell below glibc's mmap threshold after the first hash raised it, so every thread that
/// had hashed kept its 19 MiB: ten sign-ins left the server 118 MB larger for good, and with
/// this 2 MB (BENCHMARKS.md). Should the mmap not happen, memory is only kept, never wrong.
/// The `yorisoi` binary on Linux allocates with jemalloc instead, where the reservation is only
/// address space: requests of 8 MiB and more go to its oversize arena, whose freed pages go back
/// to the kernel within a second (`.cargo/config.toml`). glibc still allocates in tests and on
/// other platforms.
fn argon_blocks(count: usize) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(count.max(ARGON_RESERVE_BLOCKS));
    blocks.resize(count, Block::default());
    blocks
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

/// The words a password must not contain and that make it easy to guess for someone who knows
/// the account: the login name and the office's name.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    pub login: &'a str,
    pub office_name: &'a str,
    pub display_name: &'a str,
}

/// Lower-case NFKC without spaces, so that `Ｙｏｒｉｓｏｉ` and `よりそい 相談` compare as typed.
fn folded(s: &str) -> String {
    text::nfkc(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The one check of a password wherever one is set (new staff, the CLI, a change, a reset):
/// 10 to 128 characters, not containing the login name or the office's name, and not easy to
/// guess by the zxcvbn estimator (score 3 of 4 at least: common and leaked passwords, keyboard
/// rows, repeats, dates and single words score lower). Messages in Japanese, beside `field`.
pub fn check_password(e: &mut FieldErrors, field: &str, password: &str, ctx: PasswordContext<'_>) {
    let n = password.chars().count();
    if n < 10 {
        e.add(field, "パスワードは10文字以上にしてください。");
        return;
    }
    if n > 128 {
        e.add(field, "パスワードは128文字以内にしてください。");
        return;
    }
    let typed = folded(password);
    let login = folded(ctx.login);
    if login.chars().count() >= 3 && typed.contains(&login) {
        e.add(
            field,
            "パスワードにログインIDを含めないでください。ログインIDを知っている人に推測されます。",
        );
        return;
    }
    let office = folded(ctx.office_name);
    if office.chars().count() >= 2 && typed.contains(&office) {
        e.add(
            field,
            "パスワードに事業所の名前を含めないでください。事業所を知っている人に推測されます。",
        );
        return;
    }
    let inputs: Vec<&str> = [ctx.login, ctx.office_name, ctx.display_name]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) < 3 {
        e.add(
            field,
            weak_message(estimate.feedback().and_then(|f| f.warning())),
        );
    }
}

/// Why the estimator finds a password easy to guess, in Japanese, and what to do instead.
fn weak_message(w: Option<zxcvbn::feedback::Warning>) -> String {
    use zxcvbn::feedback::Warning as W;
    let why = match w {
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => {
            "よく使われているパスワード（またはそれに似たもの）で、流出したパスワードの一覧から真っ先に試されます。"
        }
        Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => {
            "キーボードの並び（qwerty、asdf など）は推測されやすいパスワードです。"
        }
        Some(
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "同じ文字や同じ並びの繰り返しは推測されやすいパスワードです。",
        Some(W::SequencesLikeAbcAreEasyToGuess) => {
            "abc や 6543 のような続き番号は推測されやすいパスワードです。"
        }
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => {
            "年や日付は推測されやすいパスワードです。"
        }
        Some(
            W::AWordByItselfIsEasyToGuess
            | W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "辞書の単語や人の名前が中心のパスワードは推測されやすいパスワードです。",
        _ => "推測されやすいパスワードです。",
    };
    format!(
        "{why}関係のない言葉をいくつか組み合わせて、長く推測しにくいものにしてください（例: 3つ以上の言葉と数字）。"
    )
}

impl NewUser {
    /// The new staff member as typed, checked; the password may not contain the office's name.
    pub fn validate(&self, office_name: &str) -> std::result::Result<ValidUser, FieldErrors> {
        self.check(
            office_name,
            Role::from_code(self.role.trim()).filter(|r| r.is_staff()),
        )
    }

    /// The account an outside member makes when they redeem an invitation: checked as a staff
    /// member's is, with the role fixed.
    pub fn validate_outside(
        &self,
        office_name: &str,
    ) -> std::result::Result<ValidUser, FieldErrors> {
        self.check(office_name, Some(Role::Outside))
    }

    fn check(
        &self,
        office_name: &str,
        role: Option<Role>,
    ) -> std::result::Result<ValidUser, FieldErrors> {
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
        if role.is_none() {
            e.add("role", "役割を一覧から選んでください。");
        }
        check_password(
            &mut e,
            "password",
            &self.password,
            PasswordContext {
                login: &login,
                office_name,
                display_name: &display_name,
            },
        );
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

/// The name of office `office_id` ("" when there is none), for the password check.
pub(crate) async fn office_name<C: ConnectionTrait>(conn: &C, office_id: i64) -> Result<String> {
    use crate::entities::office;
    Ok(office::Entity::find_by_id(office_id)
        .one(conn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

pub(crate) async fn insert<C: ConnectionTrait>(
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
        password_hash: Set(hash_blocking(password).await?),
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
    let office = office_name(tx.conn(), tx.office_id()).await?;
    let v = match input.validate(&office) {
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
    let office = crate::offices::get(store, office_id).await?;
    let v = match input.validate(&office.name) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
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
    // A new name to show beside records (`crate::seen`), moved last as a unit of work does.
    crate::tx::bump_data_version(&txn, office_id).await?;
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

/// Staff of the actor's office, active first (outside members' accounts are not staff: they are
/// listed on the care teams they belong to).
pub async fn list(tx: &Tx) -> Result<Vec<user::Model>> {
    tx.office_access(RecordKind::Staff, Action::Read)?;
    Ok(user::Entity::find()
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .filter(user::Column::Role.ne(Role::Outside.code()))
        .order_by_desc(user::Column::Active)
        .order_by_asc(user::Column::Id)
        .all(tx.conn())
        .await?)
}

/// Every staff member's (id, name): most pages show names beside records, and need nothing else
/// (not the password hash) of every colleague.
/// A read unit of work takes them from the cache while the office's version stands (a page
/// view saves a statement; `crate::seen`).
pub async fn names(tx: &Tx) -> Result<Vec<(i64, String)>> {
    tx.office_access(RecordKind::Staff, Action::Read)?;
    let version = tx.seen_version();
    if let Some(v) = version
        && let Some(names) = tx.seen.names_at(tx.office_id(), v)
    {
        return Ok(names.as_ref().clone());
    }
    let names: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    if let Some(v) = version {
        tx.seen
            .put_names(tx.office_id(), v, std::sync::Arc::new(names.clone()));
    }
    Ok(names)
}

/// An account of the office: a staff member, or an outside member's (which the admin may
/// deactivate, end the sessions of and reset the second factor of, but not edit).
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
    if !role.is_staff() {
        e.add("role", "役割を一覧から選んでください。");
    }
    if get(tx, id).await?.role == Role::Outside.code() {
        return Err(StoreError::Rule(
            "ケアチームの外部メンバーの氏名と役割は変えられません（招待されたご本人が登録したものです）。できるのは、無効にする・セッションの終了・二段階認証のリセットです。".into(),
        ));
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
        .filter(user::Column::Role.ne(Role::Outside.code()))
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

/// An admin sets a temporary password for a staff member of the office: checked like any
/// password, the account must change it at its next sign-in, and every session of the account
/// ends at once (its API tokens stay: they are revoked on their own screen). Audited.
pub async fn reset_password(
    tx: &mut Tx,
    id: i64,
    password: &str,
) -> Result<std::result::Result<(), FieldErrors>> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let target = get(tx, id).await?;
    if id == tx.actor().user_id {
        return Err(StoreError::Rule(
            "自分のパスワードは「自分の設定」の「パスワードの変更」から変えてください。".into(),
        ));
    }
    let office = office_name(tx.conn(), tx.office_id()).await?;
    let mut e = FieldErrors::new();
    check_password(
        &mut e,
        "password",
        password,
        PasswordContext {
            login: &target.login,
            office_name: &office,
            display_name: &target.display_name,
        },
    );
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let hash = hash_blocking(password).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(true))
        .col_expr(user::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .exec(tx.conn())
        .await?;
    let ended = end_sessions_of(tx.conn(), id, None).await?;
    tx.record(
        "password_reset",
        RecordKind::Staff,
        Some(id),
        None,
        format!("{}（セッション{ended}件を終了）", target.login),
    );
    Ok(Ok(()))
}

/// An admin ends every session of a staff member of the office (a lost device, a shared PC
/// left signed in), with an optional reason for the audit log. Returns how many ended.
pub async fn end_sessions(tx: &mut Tx, id: i64, reason: &str) -> Result<u64> {
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let target = get(tx, id).await?;
    let reason = text::nfkc(reason.trim());
    if reason.chars().count() > 200 {
        return Err(StoreError::field(
            "reason",
            "理由は200文字までにしてください。",
        ));
    }
    let ended = end_sessions_of(tx.conn(), id, None).await?;
    let detail = if reason.is_empty() {
        format!("{}（{ended}件）", target.login)
    } else {
        format!("{}（{ended}件）: {reason}", target.login)
    };
    tx.record(
        "sessions_end_all",
        RecordKind::Staff,
        Some(id),
        None,
        detail,
    );
    Ok(ended)
}

/// Deletes the sessions of `user_id`, but `keep` (the caller's own); how many ended.
pub(crate) async fn end_sessions_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::Id.ne(k));
    }
    Ok(q.exec(conn).await?.rows_affected)
}

/// argon2id off the async threads (19 MiB and two passes take tens of milliseconds).
pub(crate) async fn hash_blocking(password: &str) -> Result<String> {
    let p = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&p))
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
}

/// [`verify_password`] off the async threads.
pub async fn verify_blocking(hash: &str, password: &str) -> Result<bool> {
    let (h, p) = (hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || verify_password(&h, &p))
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// How many sessions of staff member `id` (of the actor's office) are alive at `now`.
pub async fn live_sessions(tx: &Tx, id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    get(tx, id).await?;
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .filter(session::Column::AbsoluteExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - crate::sessions::IDLE_TIMEOUT))
        .count(tx.conn())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    /// Ours and argon2's own `PasswordHasher` agree both ways, so hashes stored before (and
    /// `dummy_hash`) still verify.
    #[test]
    fn hashes_agree_with_argon2s_own() {
        let ours = hash_password("correct horse battery").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            argon()
                .verify_password(b"correct horse batterz", &parsed)
                .is_err()
        );

        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = argon()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        let mine = phc(
            (&argon(), ALGORITHM, VERSION),
            b"correct horse battery",
            salt.as_salt(),
        )
        .unwrap()
        .to_string();
        assert_eq!(mine, theirs);
        assert!(verify_password(&theirs, "correct horse battery"));
        assert!(!verify_password(&theirs, "correct horse batter"));
        assert!(!verify_password(dummy_hash(), "anything"));
        assert!(!verify_password("not a hash", "anything"));
        assert!(!verify_password(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ",
            "no output"
        ));
    }

    /// RFC 9106's Argon2id test vector (§5.3) on memory from `argon_blocks`.
    #[test]
    fn rfc9106_argon2id_vector() {
        let params = argon2::ParamsBuilder::new()
            .m_cost(32)
            .t_cost(3)
            .p_cost(4)
            .data(argon2::AssociatedData::new(&[4u8; 12]).unwrap())
            .output_len(32)
            .build()
            .unwrap();
        let a = Argon2::new_with_secret(&[3u8; 8], ALGORITHM, VERSION, params.clone()).unwrap();
        let mut out = [0u8; 32];
        a.hash_password_into_with_memory(
            &[1u8; 32],
            &[2u8; 16],
            &mut out,
            argon_blocks(params.block_count()),
        )
        .unwrap();
        let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
        );
    }
}
