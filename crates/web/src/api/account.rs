//! JSON API for the caller's own account: change the password, list the sessions, end one or
//! all the others. Every role has it; the store scopes it to the caller.

use super::{ApiJson, ApiPath, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use axum::extract::State;
use chrono::{DateTime, Utc};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_store::account::{self, PasswordChange};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_other_sessions))
}

/// A password changed, and how many other sessions ended with it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasswordChanged {
    /// 終了したほかのセッションの数
    pub ended_sessions: u64,
}

/// One of the caller's sessions.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionOut {
    pub id: i64,
    /// 端末（ブラウザーとOS、例: Chrome（Windows））
    pub device: String,
    /// ブラウザーが送った User-Agent
    pub user_agent: String,
    /// 接続元アドレス
    pub address: String,
    pub started_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// この要求を送ったセッションか（トークンでの要求では常に false）
    pub current: bool,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionOut>,
}

/// How many sessions ended.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionsEnded {
    pub ended: u64,
}

#[utoipa::path(
    post,
    path = "/account/password",
    tag = "account",
    summary = "自分のパスワードを変更する",
    description = "現在のパスワードが必要です（15分に5回間違えると、しばらく 429）。新しいパスワードは10文字以上で、ログインID・事業所名を含まず、よく使われるものや推測されやすいものは 422。変更すると、この要求のセッション以外のセッションはすべて終了します。管理者が再設定した後は、これ以外の操作は 403 password_change_required になります。",
    request_body = PasswordChange,
    responses(
        (status = 200, body = PasswordChanged),
        (status = 429, description = "現在のパスワードを続けて間違えた", body = ErrorBody),
    ),
)]
async fn change_password(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult {
    let ended = crate::kit::password::change(&st, &user, &body)
        .await?
        .map_err(AppError::Invalid)?;
    Ok(ok(PasswordChanged {
        ended_sessions: ended,
    }))
}

#[utoipa::path(
    get,
    path = "/account/sessions",
    tag = "account",
    summary = "自分のログイン状況（サインイン中のセッションの一覧）",
    responses(
        (status = 200, body = SessionList),
    ),
)]
async fn list_sessions(State(st): State<AppState>, user: Authed) -> ApiResult {
    let tx = st.store.read(user.actor()).await?;
    let list = account::sessions(&tx, yorisoi_store::now_utc()).await?;
    tx.rollback().await?;
    let sessions = list
        .into_iter()
        .map(|s| SessionOut {
            current: Some(s.id) == user.session_id,
            device: crate::kit::device::describe(&s.user_agent),
            id: s.id,
            user_agent: s.user_agent,
            address: s.address,
            started_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect();
    Ok(ok(SessionList { sessions }))
}

#[utoipa::path(
    post,
    path = "/account/sessions/{id}/end",
    tag = "account",
    summary = "自分のセッションを1つ終了する",
    params(("id" = i64, Path, description = "セッションの id")),
    responses(
        (status = 200, body = SessionsEnded),
    ),
)]
async fn end_session(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    account::end_session(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ok(SessionsEnded { ended: 1 }))
}

#[utoipa::path(
    post,
    path = "/account/sessions/end-others",
    tag = "account",
    summary = "この要求のセッション以外の自分のセッションをすべて終了する",
    responses(
        (status = 200, body = SessionsEnded),
    ),
)]
async fn end_other_sessions(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let ended = account::end_other_sessions(&mut tx, user.session_id).await?;
    tx.commit().await?;
    Ok(ok(SessionsEnded { ended }))
}
