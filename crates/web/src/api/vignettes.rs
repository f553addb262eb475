//! 個別事例報告 over JSON: the office's vignettes (only those of cases the user may open, the
//! others counted), writing one from a case, reading one with the ledger findings, saving an
//! edit (a change to the text takes the release back), and releasing it (a lead or an admin;
//! refused with the findings while the text identifies anybody in the ledger). The same store
//! functions, authorization and audit as the pages.

use super::{ApiJson, ApiPath, ApiQuery, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::vignette::VignetteInput;
use yorisoi_store::vignettes::{self, Saved, Vignette, VignetteList};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vignettes, create_vignette))
        .routes(routes!(get_vignette, update_vignette))
        .routes(routes!(release_vignette))
}

/// The list's filter.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct VignetteQuery {
    /// この地域課題の事例だけ（地域課題の id）
    pub issue_id: Option<i64>,
}

/// A vignette and its fields as the PUT body takes them.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct VignetteRead {
    pub vignette: Vignette,
    pub input: VignetteInput,
}

/// A new vignette: the case it is written from, and its fields.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct VignetteNew {
    /// もとのケースの id（読めるケースに限る）
    pub case_id: i64,
    #[serde(flatten)]
    pub vignette: VignetteInput,
}

/// An edit: the fields and the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct VignetteUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub vignette: VignetteInput,
}

/// A release: the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct VignetteRelease {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
}

#[utoipa::path(
    get,
    path = "/vignettes",
    tag = "vignettes",
    summary = "個別事例報告の一覧（担当外のケースの事例は件数だけ）",
    params(VignetteQuery),
    responses(
        (status = 200, body = VignetteList),
    ),
)]
async fn list_vignettes(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<VignetteQuery>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let found = vignettes::list(&mut tx, q.issue_id).await?;
    tx.commit().await?;
    Ok(ok(found))
}

#[utoipa::path(
    post,
    path = "/vignettes",
    tag = "vignettes",
    summary = "ケースから個別事例報告を書く",
    description = "保存はされますが、本文に利用者台帳の氏名・住所・電話番号・生年月日が見つかれば findings で知らせます（公開はできません）。",
    request_body = VignetteNew,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_vignette(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<VignetteNew>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    vignettes::check_case(&mut tx, body.case_id).await?;
    let r = body.vignette.validate().map_err(AppError::Invalid)?;
    let saved = vignettes::add(&mut tx, body.case_id, &r).await?;
    tx.commit().await?;
    Ok(created(saved))
}

#[utoipa::path(
    get,
    path = "/vignettes/{id}",
    tag = "vignettes",
    summary = "個別事例報告を1件読む（本文の照合結果つき）",
    description = "input はそのまま version を添えて PUT の本文にできます。",
    params(("id" = i64, Path, description = "個別事例報告の id")),
    responses(
        (status = 200, body = VignetteRead),
    ),
)]
async fn get_vignette(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let vignette = vignettes::get(&mut tx, id).await?;
    tx.commit().await?;
    let input = VignetteInput::from_record(&vignette.record);
    Ok(ok(VignetteRead { vignette, input }))
}

#[utoipa::path(
    put,
    path = "/vignettes/{id}",
    tag = "vignettes",
    summary = "個別事例報告を更新する",
    description = "version が古ければ 409。文章を変えると公開は取り消されます。",
    params(("id" = i64, Path, description = "個別事例報告の id")),
    request_body = VignetteUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_vignette(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VignetteUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    // A user who may not open it gets the 404 before any message about the fields.
    vignettes::get(&mut tx, id).await?;
    let r = body.vignette.validate().map_err(AppError::Invalid)?;
    let saved = vignettes::update(&mut tx, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(ok(saved))
}

#[utoipa::path(
    post,
    path = "/vignettes/{id}/release",
    tag = "vignettes",
    summary = "個別事例報告を協議会へ公開する（主任相談支援専門員・管理者）",
    description = "本文に利用者台帳の氏名・住所・電話番号・生年月日などが残っていれば 422（fields に項目ごとの理由）。version が古ければ 409。",
    params(("id" = i64, Path, description = "個別事例報告の id")),
    request_body = VignetteRelease,
    responses(
        (status = 200, body = super::Saved),
    ),
)]
async fn release_vignette(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VignetteRelease>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let version = vignettes::release(&mut tx, id, body.version).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version }))
}
