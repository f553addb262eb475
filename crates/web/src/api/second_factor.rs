//! JSON API for the second factor: the caller's own status (read only — setting one up needs
//! the settings page, where the QR code is shown), and the office's policy (admins only).

use super::{ApiJson, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::second_factor::{Policy, Requirement};
use yorisoi_store::second_factor as store;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_second_factor))
        .routes(routes!(my_passkeys))
        .routes(routes!(remove_my_passkey))
        .routes(routes!(get_policy, set_policy))
}

/// The caller's second factor.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SecondFactorStatus {
    /// 二段階認証（認証アプリまたはパスキー）が有効か
    pub enrolled: bool,
    /// 認証アプリ（TOTP）が有効か
    pub totp: bool,
    /// 認証アプリを有効にした日時
    pub since: Option<DateTime<Utc>>,
    /// 登録済みのパスキーの数
    pub passkeys: u64,
    /// 未使用の回復コードの数
    pub recovery_codes_left: u64,
    /// 事業所の方針がこの職員に求めること: none（求めない）、grace（猶予期限まで）、now（今すぐ）。設定済みなら none
    #[schema(example = "none")]
    pub required: String,
    /// 猶予期限（required が grace のとき）
    pub grace_until: Option<NaiveDate>,
}

#[utoipa::path(
    get,
    path = "/me/second-factor",
    tag = "second_factor",
    summary = "自分の二段階認証の状態",
    description = "呼び出した職員自身の二段階認証の状態と、事業所の方針がその職員に求めることを返します。設定・無効化は画面（/account/second-factor）で行います。",
    responses(
        (status = 200, body = SecondFactorStatus),
    ),
)]
async fn my_second_factor(State(st): State<AppState>, user: Authed) -> ApiResult {
    let s = store::status(&st.store, user.user_id).await?;
    let req = if s.enrolled {
        Requirement::None
    } else {
        crate::kit::sign_in::requirement(&st, user.office_id, Some(user.role)).await?
    };
    let (required, grace_until) = match req {
        Requirement::None => ("none", None),
        Requirement::Grace(d) => ("grace", Some(d)),
        Requirement::Now => ("now", None),
    };
    Ok(ok(SecondFactorStatus {
        enrolled: s.enrolled,
        totp: s.totp,
        since: s.since,
        passkeys: s.passkeys,
        recovery_codes_left: s.recovery_left,
        required: required.into(),
        grace_until,
    }))
}

/// The office's second-factor policy.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PolicyBody {
    /// optional（任意。管理者は必須）または required（全員に必須）
    #[schema(example = "required")]
    pub mode: String,
    /// 猶予期限（YYYY-MM-DD）。この日までは未設定の職員もサインインできます。空または null なら猶予なし
    #[schema(example = "2026-04-30")]
    pub grace_until: Option<String>,
}

fn body_of(p: Policy) -> PolicyBody {
    PolicyBody {
        mode: p.mode.code().into(),
        grace_until: p.grace_until.map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

#[utoipa::path(
    get,
    path = "/admin/second-factor-policy",
    tag = "admin",
    summary = "二段階認証の方針（管理者のみ）",
    responses(
        (status = 200, body = PolicyBody),
    ),
)]
async fn get_policy(State(st): State<AppState>, user: Authed) -> ApiResult {
    let tx = st.store.read(user.actor()).await?;
    let p = store::office_policy(&tx).await?;
    tx.rollback().await?;
    Ok(ok(body_of(p)))
}

#[utoipa::path(
    put,
    path = "/admin/second-factor-policy",
    tag = "admin",
    summary = "二段階認証の方針を設定する（管理者のみ）",
    description = "方針（optional / required）と猶予期限を設定します。管理者は方針にかかわらず必須です。変更は操作記録に残ります。",
    request_body = PolicyBody,
    responses(
        (status = 200, body = PolicyBody),
    ),
)]
async fn set_policy(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<PolicyBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(
        yorisoi_domain::policy::RecordKind::Staff,
        yorisoi_domain::policy::Action::Write,
    )?;
    let p = Policy::parse(&body.mode, body.grace_until.as_deref().unwrap_or(""))
        .map_err(AppError::Invalid)?;
    store::set_policy(&mut tx, p).await?;
    tx.commit().await?;
    Ok(ok(body_of(p)))
}

/// One of the caller's passkeys.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyOut {
    pub id: i64,
    /// 名前（どの端末か）
    #[schema(example = "事務所のパソコン")]
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// 最後にサインインに使った日時
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The caller's passkeys.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyList {
    pub passkeys: Vec<PasskeyOut>,
}

#[utoipa::path(
    get,
    path = "/me/passkeys",
    tag = "second_factor",
    summary = "自分のパスキーの一覧",
    description = "登録はブラウザでの確認（WebAuthn）が要るため、画面（/account/second-factor）で行います。",
    responses(
        (status = 200, body = PasskeyList),
    ),
)]
async fn my_passkeys(State(st): State<AppState>, user: Authed) -> ApiResult {
    let passkeys = yorisoi_store::passkeys::list(&st.store, user.user_id)
        .await?
        .into_iter()
        .map(|p| PasskeyOut {
            id: p.id,
            name: p.name,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
        })
        .collect();
    Ok(ok(PasskeyList { passkeys }))
}

/// The passkey removed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyRemoved {
    pub id: i64,
}

#[utoipa::path(
    post,
    path = "/me/passkeys/{id}/remove",
    tag = "second_factor",
    summary = "自分のパスキーを1つ削除する",
    description = "事業所の方針で二段階認証が必要なとき、最後の1つ（認証アプリも未設定）は削除できません（422）。",
    params(("id" = i64, Path, description = "パスキーの id")),
    responses(
        (status = 200, body = PasskeyRemoved),
    ),
)]
async fn remove_my_passkey(
    State(st): State<AppState>,
    user: Authed,
    super::ApiPath(id): super::ApiPath<i64>,
) -> ApiResult {
    if let Some(why) =
        crate::kit::sign_in::keeps_last_passkey(&st, user.user_id, user.office_id, user.role)
            .await?
    {
        return Err(AppError::Rule(why.into()).into());
    }
    yorisoi_store::passkeys::remove(&st.store, user.office_id, user.user_id, id).await?;
    Ok(ok(PasskeyRemoved { id }))
}
