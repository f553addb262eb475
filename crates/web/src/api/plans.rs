//! JSON API for plans, the care team, consents to share and the resource directory (meetings
//! are in `meetings.rs`).
//! Same store functions, authorization and audit as the pages; every write body is the form's
//! input type (all strings, dates in 西暦 or 和暦), and every GET of an editable record returns
//! `input` ready to be edited and sent back with its `version`.

use super::{ApiJson, Versioned, created};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::*;
use yorisoi_store::{cases, plans, resources, team, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/cases/{id}/plans", get(list_plans).post(draft_plan))
        .route("/plans/{id}", get(get_plan).put(update_plan))
        .route("/plans/{id}/consents", post(add_consent))
        .route("/plans/{id}/handovers", post(add_handover))
        .route("/plans/{id}/state", post(move_state))
        .route("/plans/{id}/change", post(change_plan))
        .route("/clients/{id}/team", get(list_team).post(add_member))
        .route(
            "/clients/{id}/consents",
            get(list_consents).post(give_consent),
        )
        .route("/clients/{id}/consents/{consent}/withdraw", post(withdraw))
        .route("/resources", get(list_resources).post(create_resource))
        .route("/resources/{id}", get(get_resource).put(update_resource))
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

async fn list_team(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Read)
        .await?;
    let list = team::members(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(Json(json!({ "members": list })).into_response())
}

async fn add_member(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TeamMemberInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let r = body.validate().map_err(AppError::Invalid)?;
    let mid = team::add_member(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": mid, "version": 1 })))
}

async fn list_consents(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Read)
        .await?;
    let list = team::consents(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(Json(json!({ "consents": list })).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ConsentBody {
    #[serde(flatten)]
    consent: ShareConsentInput,
    replaces: Option<i64>,
}

async fn give_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let members: Vec<i64> = team::members(&mut tx, &acc)
        .await?
        .iter()
        .filter(|m| m.active)
        .map(|m| m.id)
        .collect();
    let r = body
        .consent
        .validate(today_jst(), &members)
        .map_err(AppError::Invalid)?;
    let cid = team::give_consent(&mut tx, &acc, &r, body.replaces).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": cid })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct WithdrawBody {
    withdrawn_on: String,
}

async fn withdraw(
    State(st): State<AppState>,
    user: Authed,
    Path((id, consent_id)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let c = team::consents(&mut tx, &acc)
        .await?
        .into_iter()
        .find(|c| c.id == consent_id)
        .ok_or(AppError::NotFound)?;
    let on = withdrawal_date(&body.withdrawn_on, c.record.given_on, today_jst())
        .map_err(AppError::Invalid)?;
    team::withdraw(&mut tx, &acc, consent_id, on).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": consent_id, "withdrawn_on": on })).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ResourceQuery {
    q: String,
    category: String,
    service_type: String,
}

async fn list_resources(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ResourceQuery>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = resources::list(
        &mut tx,
        &resources::ResourceFilter {
            q: q.q,
            category: q.category,
            service_type: q.service_type,
            include_inactive: false,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(json!({ "resources": list })).into_response())
}

async fn create_resource(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<ResourceInput>,
) -> ApiResult {
    let r = body.validate().map_err(AppError::Invalid)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let id = resources::create(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": id, "version": 1 })))
}

async fn get_resource(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let r = resources::get(&mut tx, id).await?;
    tx.commit().await?;
    let input = ResourceInput::from_record(&r.record);
    Ok(Json(json!({ "resource": r, "input": input })).into_response())
}

#[derive(Debug, serde::Deserialize)]
struct ResourceUpdate {
    version: i32,
    #[serde(default = "yes")]
    active: bool,
    #[serde(flatten)]
    resource: ResourceInput,
}

fn yes() -> bool {
    true
}

async fn update_resource(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ResourceUpdate>,
) -> ApiResult {
    let r = body.resource.validate().map_err(AppError::Invalid)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let v = resources::update(&mut tx, id, body.version, &r, body.active).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}
