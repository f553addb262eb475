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
        .routes(routes!(get_policy, set_policy))
}

/// The caller's second factor.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SecondFactorStatus {
    /// 二段階認証（TOTP）が有効か
    pub enrolled: bool,
    /// 有効にした日時
    pub since: Option<DateTime<Utc>>,
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
        since: s.since,
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
