//! JSON API for the admin's records: staff (職員), API tokens (APIトークン) and the audit log
//! (操作記録) with its hash-chain check. Admins only: the policy refuses every other role with
//! the same 404 as the admin pages give.

use super::{ApiJson, ApiPath, ApiQuery, Paging, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use crate::kit::audit::{AuditSearch, chain_message};
use axum::extract::State;
use chrono::{DateTime, Utc};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::{Action, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::{api_tokens, audit, clients, users};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, add_staff))
        .routes(routes!(update_staff))
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(revoke_token))
        .routes(routes!(unlock_sign_in))
        .routes(routes!(reset_password))
        .routes(routes!(end_staff_sessions))
        .routes(routes!(reset_second_factor))
        .routes(routes!(list_audit))
        .routes(routes!(check_chain))
}

/// A staff member of the office.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StaffOut {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    /// admin, lead, specialist, clerk
    pub role: String,
    pub active: bool,
    /// 担当している利用者の数
    pub clients: i64,
    pub version: i32,
}

/// The office's staff, active first, and how many clients nobody keeps.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffOut>,
    /// 担当が決まっていない利用者の数
    pub unassigned: i64,
}

/// A staff member edited: name and role, optionally activated or deactivated, at the version
/// read.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct StaffUpdate {
    /// 読み込んだときの version
    pub version: i32,
    pub display_name: String,
    /// admin, lead, specialist, clerk
    pub role: String,
    /// 有効・無効（省略すると変えない）。無効にするとその職員のセッションとトークンも失効
    #[serde(default)]
    pub active: Option<bool>,
}

/// An API token as listed (never the token itself).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenOut {
    pub id: i64,
    /// 用途
    pub name: String,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// read（読み取りのみ）/ write（読み書き）
    pub scope: String,
    /// 有効期限（これ以後は 401）。以前に発行したものは無期限
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<yorisoi_store::entities::api_token::Model> for TokenOut {
    fn from(t: yorisoi_store::entities::api_token::Model) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            user_id: t.user_id,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
            scope: t.scope,
            expires_at: t.expires_at,
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenOut>,
}

/// A token to issue: what it is for, and whose it is.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TokenBody {
    /// 用途（60文字以内）
    pub name: String,
    /// トークンを持つ職員の id
    pub user_id: i64,
    /// read（読み取りのみ、既定）/ write（読み書き）。読み取りのみのトークンで変更を送ると 403
    pub scope: api_tokens::TokenScope,
    /// 有効期間（日）。1〜365、既定 90
    #[schema(minimum = 1, maximum = 365)]
    pub days: Option<i64>,
}

/// A token issued: the token is in this response only, never again.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    /// ysi_… — この応答でしか得られません
    pub token: String,
}

/// A token revoked.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Revoked {
    pub id: i64,
}

/// The audit log's filters, as the admin page's.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// 職員の id
    pub user: String,
    /// 利用者の id
    pub client: String,
    /// 操作（read, list, create, update, …）
    pub action: String,
    /// 期間の初日（西暦・和暦）
    pub from: String,
    /// 期間の末日（西暦・和暦）
    pub until: String,
}

/// One event of the log.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub action: String,
    pub record_kind: String,
    pub record_id: Option<i64>,
    pub client_id: Option<i64>,
    pub outcome: String,
    pub detail: String,
}

/// One page of the log, newest first, and how many events match in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEvent>,
    pub total: u64,
}

/// The hash chain over the office's log, checked.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChainCheck {
    /// 連鎖が正しいか
    pub ok: bool,
    /// 確かめた記録の件数（正しいとき）
    pub checked: Option<u64>,
    /// 連鎖が壊れている記録の番号（壊れているとき）
    pub broken_at: Option<i64>,
    /// 見つかった問題（チェックポイントとの不一致など）
    pub problems: Vec<String>,
    /// 照合した署名付きチェックポイントの件数
    pub checkpoints: usize,
    pub message: String,
}

#[utoipa::path(
    get,
    path = "/admin/staff",
    tag = "admin",
    summary = "職員の一覧（管理者のみ）",
    responses(
        (status = 200, body = StaffList),
    ),
)]
async fn list_staff(State(st): State<AppState>, user: Authed) -> ApiResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let counts = clients::count_by_staff(&tx).await?;
    let list = users::list(&tx).await?;
    tx.rollback().await?;
    let n = |id: Option<i64>| {
        counts
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let staff = list
        .into_iter()
        .map(|u| StaffOut {
            clients: n(Some(u.id)),
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            active: u.active,
            version: u.version,
        })
        .collect();
    Ok(ok(StaffList {
        staff,
        unassigned: n(None),
    }))
}

#[utoipa::path(
    post,
    path = "/admin/staff",
    tag = "admin",
    summary = "職員を追加する（管理者のみ）",
    request_body = NewUser,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn add_staff(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let id = users::create(&mut tx, &body)
        .await?
        .map_err(AppError::Invalid)?;
    tx.commit().await?;
    Ok(created(Saved { id, version: 1 }))
}

#[utoipa::path(
    put,
    path = "/admin/staff/{id}",
    tag = "admin",
    summary = "職員を更新する（管理者のみ）",
    description = "氏名と役割、active を指定すれば有効・無効も。version が古ければ 409。自分自身の管理者権限は外せず、自分を無効にもできません（422）。",
    params(("id" = i64, Path, description = "職員の id")),
    request_body = StaffUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_staff(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StaffUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let role = Role::from_code(body.role.trim())
        .ok_or_else(|| AppError::field("role", "役割を一覧から選んでください。"))?;
    users::update(&mut tx, id, body.version, &body.display_name, role)
        .await?
        .map_err(AppError::Invalid)?;
    let mut version = body.version + 1;
    if let Some(active) = body.active {
        let current = users::get(&tx, id).await?;
        if current.active != active {
            users::set_active(&mut tx, id, version, active).await?;
            version += 1;
        }
    }
    tx.commit().await?;
    Ok(ok(Saved { id, version }))
}

#[utoipa::path(
    get,
    path = "/admin/tokens",
    tag = "admin",
    summary = "APIトークンの一覧（管理者のみ）",
    description = "トークンそのものは発行したときにしか得られません。",
    responses(
        (status = 200, body = TokenList),
    ),
)]
async fn list_tokens(State(st): State<AppState>, user: Authed) -> ApiResult {
    let tx = st.store.read(user.actor()).await?;
    let list = api_tokens::list(&tx).await?;
    tx.rollback().await?;
    let tokens = list.into_iter().map(TokenOut::from).collect();
    Ok(ok(TokenList { tokens }))
}

#[utoipa::path(
    post,
    path = "/admin/tokens",
    tag = "admin",
    summary = "APIトークンを発行する（管理者のみ）",
    description = "token はこの応答でしか得られません。安全な場所に控えてください。",
    request_body = TokenBody,
    responses(
        (status = 201, body = IssuedToken),
    ),
)]
async fn issue_token(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let days = body.days.unwrap_or(api_tokens::DEFAULT_DAYS);
    let (id, token) =
        api_tokens::issue(&mut tx, body.user_id, &body.name, body.scope, days).await?;
    tx.commit().await?;
    Ok(created(IssuedToken { id, token }))
}

#[utoipa::path(
    post,
    path = "/admin/tokens/{id}/revoke",
    tag = "admin",
    summary = "APIトークンを失効させる（管理者のみ）",
    description = "失効したトークンは以後 401。すでに失効したものは 404。",
    params(("id" = i64, Path, description = "トークンの id")),
    responses(
        (status = 200, body = Revoked),
    ),
)]
async fn revoke_token(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    api_tokens::revoke(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ok(Revoked { id }))
}

#[utoipa::path(
    get,
    path = "/admin/audit",
    tag = "admin",
    summary = "操作記録（管理者のみ）",
    description = "新しい順。職員・利用者・操作・期間で絞り込めます。読めない日付は 422（fields に from / until）。",
    params(AuditParams, Paging),
    responses(
        (status = 200, body = AuditList),
    ),
)]
async fn list_audit(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<AuditParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult {
    let (page, per_page) = paging.resolve()?;
    let search = AuditSearch {
        user: &q.user,
        client: &q.client,
        action: &q.action,
        from: &q.from,
        until: &q.until,
    };
    let (filter, errors) = search.filter(page, per_page);
    let mut tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::AuditLog, Action::Read)?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let (events, total) = audit::list(&mut tx, &filter).await?;
    tx.commit().await?;
    let items = events
        .into_iter()
        .map(|e| AuditEvent {
            seq: e.seq,
            at: e.at,
            user_id: e.user_id,
            action: e.action,
            record_kind: e.record_kind,
            record_id: e.record_id,
            client_id: e.client_id,
            outcome: e.outcome,
            detail: e.detail,
        })
        .collect();
    Ok(ok(AuditList { items, total }))
}

#[utoipa::path(
    get,
    path = "/admin/audit/chain",
    tag = "admin",
    summary = "操作記録の改ざん検知（管理者のみ）",
    description = "事業所の操作記録のハッシュの連鎖を最初から確かめます。",
    responses(
        (status = 200, body = ChainCheck),
    ),
)]
async fn check_chain(State(st): State<AppState>, user: Authed) -> ApiResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::AuditLog, Action::Read)?;
    tx.rollback().await?;
    let result = audit::verify(&st.store, user.office_id).await?;
    let (message, is_ok) = chain_message(&result);
    let mut problems = result.problems.clone();
    if let Some((_, why)) = &result.broken {
        problems.insert(0, why.clone());
    }
    Ok(ok(ChainCheck {
        ok: is_ok,
        checked: result.broken.is_none().then_some(result.events),
        broken_at: result.broken.as_ref().map(|(seq, _)| *seq),
        problems,
        checkpoints: result.checkpoints,
        message,
    }))
}

/// Why an account's sign-in limits are lifted.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UnlockBody {
    /// 解除の理由（必須、200文字まで）。操作記録に残ります。
    #[schema(example = "本人から電話で確認した")]
    pub reason: String,
}

/// The account whose limits were lifted.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Unlocked {
    pub id: i64,
}

#[utoipa::path(
    post,
    path = "/admin/staff/{id}/unlock",
    tag = "admin",
    summary = "サインインの制限を解除する（管理者のみ）",
    description = "パスワードを続けて間違えた職員のサインイン制限を解除します。理由は必須で、操作記録に残ります。",
    params(("id" = i64, Path, description = "職員の id")),
    request_body = UnlockBody,
    responses(
        (status = 200, body = Unlocked),
    ),
)]
async fn unlock_sign_in(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UnlockBody>,
) -> ApiResult {
    crate::kit::staff::unlock_sign_in(&st, &user, id, &body.reason).await?;
    Ok(ok(Unlocked { id }))
}

/// A temporary password for a staff member, to be changed at their next sign-in.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResetBody {
    /// 仮のパスワード（10文字以上。ログインID・事業所名を含まず、推測されにくいもの）
    pub password: String,
}

/// A password reset: the staff member must change it at their next sign-in.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasswordReset {
    pub id: i64,
    /// 次のサインインで変更が必要
    pub must_change_password: bool,
}

#[utoipa::path(
    post,
    path = "/admin/staff/{id}/password",
    tag = "admin",
    summary = "職員のパスワードを再設定する（管理者のみ）",
    description = "仮のパスワードを設定します。その職員のセッションはすべて終了し、次のサインインで変更するまでほかの操作はできません（API は 403 password_change_required）。自分自身には使えません（422、自分のパスワードは POST /account/password）。操作記録に残ります。",
    params(("id" = i64, Path, description = "職員の id")),
    request_body = ResetBody,
    responses(
        (status = 200, body = PasswordReset),
    ),
)]
async fn reset_password(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResetBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    users::reset_password(&mut tx, id, &body.password)
        .await?
        .map_err(AppError::Invalid)?;
    tx.commit().await?;
    Ok(ok(PasswordReset {
        id,
        must_change_password: true,
    }))
}

/// Why a staff member's sessions are ended (optional).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EndSessionsBody {
    /// 理由（任意、200文字まで）。操作記録に残ります。
    #[schema(example = "端末の紛失")]
    pub reason: String,
}

/// How many of the staff member's sessions ended.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StaffSessionsEnded {
    pub id: i64,
    pub ended: u64,
}

#[utoipa::path(
    post,
    path = "/admin/staff/{id}/sessions/end",
    tag = "admin",
    summary = "職員のセッションをすべて終了する（管理者のみ）",
    description = "端末の紛失などのときに。APIトークンは失効しません（/admin/tokens/{id}/revoke）。理由は任意で、操作記録に残ります。",
    params(("id" = i64, Path, description = "職員の id")),
    request_body = EndSessionsBody,
    responses(
        (status = 200, body = StaffSessionsEnded),
    ),
)]
async fn end_staff_sessions(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EndSessionsBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let ended = users::end_sessions(&mut tx, id, &body.reason).await?;
    tx.commit().await?;
    Ok(ok(StaffSessionsEnded { id, ended }))
}

/// Why a staff member's second factor is reset (required).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResetSecondFactorBody {
    /// 理由（必須、200文字まで）。操作記録に残ります。
    #[schema(example = "スマートフォンの紛失（本人に電話で確認済み）")]
    pub reason: String,
}

/// The staff member whose second factor was reset.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SecondFactorReset {
    pub id: i64,
}

#[utoipa::path(
    post,
    path = "/admin/staff/{id}/second-factor/reset",
    tag = "admin",
    summary = "職員の二段階認証をリセットする（管理者のみ）",
    description = "スマートフォンやセキュリティキーの紛失のときに。認証アプリ・パスキー・回復コードをすべて削除します。理由は必須で、操作記録に残ります。事業所の方針で必要なときは、次のサインインで設定し直しを求められます。",
    params(("id" = i64, Path, description = "職員の id")),
    request_body = ResetSecondFactorBody,
    responses(
        (status = 200, body = SecondFactorReset),
    ),
)]
async fn reset_second_factor(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResetSecondFactorBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    yorisoi_store::passkeys::reset_user(&mut tx, id, &body.reason).await?;
    tx.commit().await?;
    Ok(ok(SecondFactorReset { id }))
}
