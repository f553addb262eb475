//! 地域体制強化共同支援加算の記録 over JSON: the office's records (only those of cases the user
//! may open, the others counted), recording one from a case (three or more parties, the written
//! report to the 協議会), reading, editing, and deleting — refused before the five years it must
//! be kept. The same store functions, authorization and audit as the pages.

use super::{ApiJson, ApiPath, ApiQuery, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::joint_support::JointSupportInput;
use yorisoi_store::joint_support::{self, JointSupport, JointSupportList};
use yorisoi_store::today_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_joint_support, create_joint_support))
        .routes(routes!(
            get_joint_support,
            update_joint_support,
            delete_joint_support
        ))
}

/// A record and its fields as the PUT body takes them.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct JointSupportRead {
    pub record: JointSupport,
    pub input: JointSupportInput,
}

/// A new record: the case, and its fields.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct JointSupportNew {
    /// ケースの id（読めるケースに限る）
    pub case_id: i64,
    #[serde(flatten)]
    pub record: JointSupportInput,
}

/// An edit: the fields and the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct JointSupportUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub record: JointSupportInput,
}

/// The version read, for a delete.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
}

#[utoipa::path(
    get,
    path = "/joint-support",
    tag = "joint-support",
    summary = "共同支援の記録（地域体制強化共同支援加算）の一覧",
    responses(
        (status = 200, body = JointSupportList),
    ),
)]
async fn list_joint_support(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let found = joint_support::list(&mut tx, None).await?;
    tx.commit().await?;
    Ok(ok(found))
}

#[utoipa::path(
    post,
    path = "/joint-support",
    tag = "joint-support",
    summary = "ケースの共同支援を記録する",
    description = "関係者は3者以上。協議会への報告日は支援した日以降。保存期限（報告から5年）は自動で決まります。",
    request_body = JointSupportNew,
    responses(
        (status = 201, body = super::clients::Created),
    ),
)]
async fn create_joint_support(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<JointSupportNew>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    joint_support::team_parties(&mut tx, body.case_id).await?;
    let r = body.record.validate().map_err(AppError::Invalid)?;
    let id = joint_support::add(&mut tx, body.case_id, &r).await?;
    tx.commit().await?;
    Ok(created(super::clients::Created { id }))
}

#[utoipa::path(
    get,
    path = "/joint-support/{id}",
    tag = "joint-support",
    summary = "共同支援の記録を1件読む",
    description = "input はそのまま version を添えて PUT の本文にできます。",
    params(("id" = i64, Path, description = "記録の id")),
    responses(
        (status = 200, body = JointSupportRead),
    ),
)]
async fn get_joint_support(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let record = joint_support::get(&mut tx, id).await?;
    tx.commit().await?;
    let input = JointSupportInput::from_record(&record.record);
    Ok(ok(JointSupportRead { record, input }))
}

#[utoipa::path(
    put,
    path = "/joint-support/{id}",
    tag = "joint-support",
    summary = "共同支援の記録を更新する",
    description = "version が古ければ 409。",
    params(("id" = i64, Path, description = "記録の id")),
    request_body = JointSupportUpdate,
    responses(
        (status = 200, body = super::Saved),
    ),
)]
async fn update_joint_support(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<JointSupportUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    // A user who may not open it gets the 404 before any message about the fields.
    joint_support::get(&mut tx, id).await?;
    let r = body.record.validate().map_err(AppError::Invalid)?;
    let version = joint_support::update(&mut tx, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version }))
}

#[utoipa::path(
    delete,
    path = "/joint-support/{id}",
    tag = "joint-support",
    summary = "共同支援の記録を削除する（保存期限のあとだけ）",
    description = "保存期限（協議会への報告から5年）の前は 422（削除できる日を添えて）。version が古ければ 409。",
    params(("id" = i64, Path, description = "記録の id"), VersionQuery),
    responses(
        (status = 200, body = super::clients::Created),
    ),
)]
async fn delete_joint_support(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    joint_support::delete(&mut tx, id, q.version, today_jst()).await?;
    tx.commit().await?;
    Ok(ok(super::clients::Created { id }))
}
