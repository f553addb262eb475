//! モニタリング報告書 over JSON: a case's reports, one report, recording and editing one. The
//! same validation (against the final plan in force), the same outcome steps, the same 409 on a
//! stale version and the same audit as the monitoring pages.

use super::{ApiJson, ApiPath, Saved, Versioned, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::monitoring::MonitoringInput;
use yorisoi_domain::policy::Action;
use yorisoi_store::monitorings::{self, Monitoring};
use yorisoi_store::today_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_monitorings, create_monitoring))
        .routes(routes!(get_monitoring, update_monitoring))
}

/// A case's reports, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MonitoringList {
    pub items: Vec<Monitoring>,
}

/// A report; `input` is the report as `PUT /monitorings/{id}` takes it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MonitoringDetail {
    pub monitoring: Monitoring,
    pub input: MonitoringInput,
}

/// A report edit: the report's fields and the `version` it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct MonitoringUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub body: MonitoringInput,
}

#[utoipa::path(
    get,
    path = "/cases/{id}/monitorings",
    tag = "monitorings",
    summary = "ケースのモニタリング報告書の一覧（新しい順）",
    params(("id" = i64, Path, description = "ケースのID")),
    responses(
        (status = 200, body = MonitoringList),
    ),
)]
async fn list_monitorings(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, id, Action::Read).await?;
    let items = monitorings::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(ok(MonitoringList { items }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/monitorings",
    tag = "monitorings",
    summary = "モニタリング報告書を記録する",
    description = "本計画の行ごとに目標を振り返ります（goals の row_key は本計画の行）。本計画がなければ 422 rule。再アセスメントの結論は次のアセスメントの版を作ります。",
    params(("id" = i64, Path, description = "ケースのID")),
    request_body = MonitoringInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_monitoring(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MonitoringInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, id, Action::Write).await?;
    let (_, plan) = monitorings::plan_to_monitor(&tx, &acc, id).await?;
    let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
    let r = body
        .validate(today_jst(), plan.decided_on, &keys)
        .map_err(AppError::Invalid)?;
    let mid = monitorings::create(&mut tx, &acc, id, &r).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: mid,
        version: 1,
    }))
}

#[utoipa::path(
    get,
    path = "/monitorings/{id}",
    tag = "monitorings",
    summary = "モニタリング報告書",
    params(("id" = i64, Path, description = "報告書のID")),
    responses(
        (status = 200, body = MonitoringDetail),
    ),
)]
async fn get_monitoring(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = monitorings::access(&mut tx, id, Action::Read).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = MonitoringInput::from_record(&m.record);
    Ok(ok(MonitoringDetail {
        monitoring: m,
        input,
    }))
}

#[utoipa::path(
    put,
    path = "/monitorings/{id}",
    tag = "monitorings",
    summary = "モニタリング報告書を編集する",
    params(("id" = i64, Path, description = "報告書のID")),
    request_body = MonitoringUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_monitoring(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Versioned<MonitoringInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access(&mut tx, id, Action::Write).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    let (_, plan) = monitorings::plan_to_monitor(&tx, &acc, m.case_id).await?;
    let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
    let r = b
        .body
        .validate(today_jst(), plan.decided_on, &keys)
        .map_err(AppError::Invalid)?;
    let v = monitorings::update(&mut tx, &acc, id, b.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version: v }))
}
