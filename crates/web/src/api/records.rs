//! JSON API under `/api/v1` (cases and assessments; clients, certificates and notes are in
//! their own files): the same records, the same authorization (`Tx::client_access`) and
//! the same audit as the pages. Authenticated by a personal token (`Authorization: Bearer ysi_…`)
//! or by the browser session (then writes need the `X-CSRF-Token` header).

use super::{ApiJson, Versioned, created};
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
use yorisoi_store::{assessments, cases, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/clients/{id}/cases", get(list_cases).post(create_case))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/close", post(close_case))
        .route(
            "/cases/{id}/assessments",
            get(list_assessments).post(start_assessment),
        )
        .route(
            "/assessments/{id}",
            get(get_assessment).put(update_assessment),
        )
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

async fn list_assessments(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, id, Action::Read).await?;
    let list = assessments::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(Json(json!({ "assessments": list })).into_response())
}

async fn start_assessment(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<yorisoi_domain::assessment::StartInput>,
) -> ApiResult {
    let (on, method, present) = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, id, Action::Write).await?;
    let aid = assessments::start(&mut tx, &acc, id, on, method, present).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": aid, "version": 1 })))
}

async fn get_assessment(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    // `input` is the record as the PUT body takes it, so a client can edit and send it back.
    let input = yorisoi_domain::assessment::AssessmentInput::from_record(&a.record);
    Ok(Json(json!({ "assessment": a, "input": input })).into_response())
}

async fn update_assessment(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Versioned<yorisoi_domain::assessment::AssessmentInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let current = assessments::get(&mut tx, &acc, id).await?;
    let record = body
        .body
        .validate(today_jst(), current.record.basic.clone())
        .map_err(AppError::Invalid)?;
    let v = assessments::update(&mut tx, &acc, id, body.version, &record).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}
