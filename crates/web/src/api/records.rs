//! JSON API under `/api/v1` (cases and assessments; clients, certificates and notes are in
//! their own files): the same records, the same authorization (`Tx::client_access`) and
//! the same audit as the pages. Authenticated by a personal token (`Authorization: Bearer ysi_…`)
//! or by the browser session (then writes need the `X-CSRF-Token` header).

use super::{ApiJson, created};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use yorisoi_domain::case::{CloseInput, IntakeInput};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{cases, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/clients/{id}/cases", get(list_cases).post(create_case))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/close", post(close_case))
        .fallback(|| async { AppError::NotFound })
}

async fn list_cases(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
    let rows = cases::list(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(Json(json!({ "items": rows })).into_response())
}

async fn create_case(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<IntakeInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await?;
    let r = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let cid = cases::open(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": cid, "version": 1 })))
}

async fn get_case(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, intake) = cases::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(Json(json!({ "case": c, "intake": intake })).into_response())
}

#[derive(Debug, serde::Deserialize)]
struct CloseBody {
    version: i32,
    #[serde(flatten)]
    close: CloseInput,
}

async fn close_case(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CloseBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let client_id = cases::client_of(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await?;
    let (c, _) = cases::get(&mut tx, &acc, id).await?;
    let r = body
        .close
        .validate(c.opened_on, today_jst())
        .map_err(AppError::Invalid)?;
    let retain_until = cases::close(&mut tx, &acc, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(
        Json(json!({ "id": id, "version": body.version + 1, "retain_until": retain_until }))
            .into_response(),
    )
}
