//! JSON API for plans and meetings (the care team, consents and resources are in `team` and
//! `resources`).
//! Same store functions, authorization and audit as the pages; every write body is the form's
//! input type (all strings, dates in 西暦 or 和暦), and every GET of an editable record returns
//! `input` ready to be edited and sent back with its `version`.

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
use yorisoi_domain::meeting::MeetingInput;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, RecordKind};

use yorisoi_store::{cases, meetings, plans, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/cases/{id}/plans", get(list_plans).post(draft_plan))
        .route("/plans/{id}", get(get_plan).put(update_plan))
        .route("/plans/{id}/consents", post(add_consent))
        .route("/plans/{id}/handovers", post(add_handover))
        .route("/plans/{id}/state", post(move_state))
        .route("/plans/{id}/change", post(change_plan))
        .route(
            "/plans/{id}/meetings",
            get(list_meetings).post(create_meeting),
        )
        .route("/meetings/{id}", get(get_meeting).put(update_meeting))
}

async fn list_plans(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let list = plans::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(Json(json!({ "plans": list })).into_response())
}

async fn draft_plan(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DraftInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let client_id = cases::client_of(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let d = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let pid = plans::draft(&mut tx, &acc, id, d).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": pid, "version": 1 })))
}

async fn get_plan(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    let imps = plans::implementations(&mut tx, &acc, id).await?;
    let held = plans::meeting_held(&tx, id).await?;
    tx.commit().await?;
    let input = PlanInput::from_record(&p.record);
    let checklist = fee_checklist(&p.record, held);
    Ok(
        Json(json!({ "plan": p, "input": input, "checklist": checklist, "implementations": imps }))
            .into_response(),
    )
}

async fn update_plan(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Versioned<PlanInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let current = plans::get(&mut tx, &acc, id).await?;
    let r = body
        .body
        .validate(&current.record, today_jst())
        .map_err(AppError::Invalid)?;
    let v = plans::update(&mut tx, &acc, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

async fn add_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Versioned<PlanConsentInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let c = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    let v = plans::add_consent(&mut tx, &acc, id, b.version, &c).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

async fn add_handover(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Versioned<HandoverInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let h = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    let v = plans::add_handover(&mut tx, &acc, id, b.version, &h).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct StateBody {
    to: String,
}

async fn move_state(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Versioned<StateBody>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let to = PlanState::from_code(b.body.to.trim()).ok_or_else(|| {
        AppError::BadRequest("to は reviewed か final を指定してください。".into())
    })?;
    let v = plans::move_state(&mut tx, &acc, id, b.version, to).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v, "state": to })).into_response())
}

async fn change_plan(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DraftInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let d = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let new_id = plans::change(&mut tx, &acc, id, d).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": new_id, "version": 1 })))
}

async fn list_meetings(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Meeting, Action::Read).await?;
    let list = meetings::for_plan(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(Json(json!({ "meetings": list })).into_response())
}

async fn create_meeting(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MeetingInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Meeting, Action::Write).await?;
    let r = meetings::validate(&tx, &acc, id, &body, today_jst())
        .await?
        .map_err(AppError::Invalid)?;
    let mid = meetings::create(&mut tx, &acc, id, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": mid, "version": 1 })))
}

async fn get_meeting(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = meetings::access(&mut tx, id, Action::Read).await?;
    let m = meetings::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = MeetingInput::from_record(&m.record);
    Ok(Json(json!({ "meeting": m, "input": input })).into_response())
}

async fn update_meeting(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Versioned<MeetingInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = meetings::access(&mut tx, id, Action::Write).await?;
    let plan_id = meetings::plan_id_of(&tx, &acc, id).await?;
    let r = meetings::validate(&tx, &acc, plan_id, &b.body, today_jst())
        .await?
        .map_err(AppError::Invalid)?;
    let v = meetings::update(&mut tx, &acc, id, b.version, &r).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}
