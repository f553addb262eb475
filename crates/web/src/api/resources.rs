//! JSON API for the office's 社会資源 directory: the same store functions, authorization and
//! audit as the directory's pages. Another office's entry is the same 404 as a missing one.

use super::{ApiJson, ApiPath, ApiQuery, Paging, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::team::ResourceInput;
use yorisoi_store::resources::{self, Resource, ResourceFilter};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_resources, create_resource))
        .routes(routes!(get_resource, update_resource))
}

/// The directory's search: by name (かな/カナ, full/half width alike), kind and service.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ResourceQuery {
    /// 名前・内容で探す
    pub q: String,
    /// 区分（welfare, other_system, informal）
    pub category: String,
    /// サービスの種類のコード
    pub service_type: String,
    /// 使わなくなったものも含める
    pub inactive: bool,
}

/// One page of the directory, by name, and how many entries match in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResourceList {
    pub resources: Vec<Resource>,
    pub total: u64,
}

/// An entry, and its fields as the edit body takes them.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResourceOut {
    pub resource: Resource,
    pub input: ResourceInput,
}

/// An entry edited: its fields, whether it is still in use, and the version read.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ResourceUpdate {
    /// 読み込んだときの version
    pub version: i32,
    /// 使っているか（false で新しい計画・チームで選べなくなる。記録は残る）。省略時は true
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(flatten)]
    pub resource: ResourceInput,
}

fn yes() -> bool {
    true
}

#[utoipa::path(
    get,
    path = "/resources",
    tag = "resources",
    summary = "社会資源の一覧・検索",
    params(ResourceQuery, Paging),
    responses(
        (status = 200, body = ResourceList),
    ),
)]
async fn list_resources(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<ResourceQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult {
    let (page, per_page) = paging.resolve()?;
    let mut tx = st.store.read(user.actor()).await?;
    let found = resources::list(
        &mut tx,
        &ResourceFilter {
            q: q.q,
            category: q.category,
            service_type: q.service_type,
            include_inactive: q.inactive,
        },
    )
    .await?;
    tx.commit().await?;
    let total = found.len() as u64;
    let resources = found
        .into_iter()
        .skip((page * per_page) as usize)
        .take(per_page as usize)
        .collect();
    Ok(ok(ResourceList { resources, total }))
}

#[utoipa::path(
    post,
    path = "/resources",
    tag = "resources",
    summary = "社会資源を登録する",
    request_body = ResourceInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_resource(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<ResourceInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let r = body.validate().map_err(AppError::Invalid)?;
    let id = resources::create(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(created(Saved { id, version: 1 }))
}

#[utoipa::path(
    get,
    path = "/resources/{id}",
    tag = "resources",
    summary = "社会資源を1件読む",
    description = "input はそのまま version を添えて PUT の本文にできます。",
    params(("id" = i64, Path, description = "社会資源の id")),
    responses(
        (status = 200, body = ResourceOut),
    ),
)]
async fn get_resource(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let resource = resources::get(&mut tx, id).await?;
    tx.commit().await?;
    let input = ResourceInput::from_record(&resource.record);
    Ok(ok(ResourceOut { resource, input }))
}

#[utoipa::path(
    put,
    path = "/resources/{id}",
    tag = "resources",
    summary = "社会資源を更新する",
    description = "version が古ければ 409。",
    params(("id" = i64, Path, description = "社会資源の id")),
    request_body = ResourceUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_resource(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResourceUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let r = body.resource.validate().map_err(AppError::Invalid)?;
    let version = resources::update(&mut tx, id, body.version, &r, body.active).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version }))
}
