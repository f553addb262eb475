//! JSON API under `/api/v1`: the same records, the same authorization (`Tx::client_access`) and
//! the same audit as the pages. Authenticated by a personal token (`Authorization: Bearer ysi_…`)
//! or by the browser session (then writes need the `X-CSRF-Token` header).

use super::{ApiJson, Versioned, created};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::{ClientInput, ClientStatus};
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::clients::{ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{assessments, certificates, clients, notes, now_jst, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/clients", get(list_clients).post(create_client))
        .route("/clients/{id}", get(get_client).put(update_client))
        .route(
            "/clients/{id}/certificates",
            get(list_certificates).post(create_certificate),
        )
        .route("/clients/{id}/notes", get(list_notes).post(create_note))
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

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ClientsQuery {
    q: String,
    status: String,
    page: Option<u64>,
    per_page: Option<u64>,
}

async fn list_clients(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ClientsQuery>,
) -> ApiResult {
    let status = match q.status.trim() {
        "" => None,
        s => Some(ClientStatus::from_code(s).ok_or_else(|| {
            AppError::BadRequest("status は consulting, supporting, closed のいずれかです。".into())
        })?),
    };
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let f = ClientFilter {
        q: q.q.chars().take(100).collect(),
        status,
        staff: StaffFilter::Any,
        cert_within_days: None,
        today: today_jst(),
        sort: ClientSort::Kana,
        page: q.page.unwrap_or(0),
        per_page,
    };
    let mut tx = st.store.read(user.actor()).await?;
    let (rows, total) = clients::list(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(Json(json!({ "items": rows, "total": total })).into_response())
}

#[derive(Debug, serde::Deserialize)]
struct NewClient {
    #[serde(flatten)]
    client: ClientInput,
    #[serde(default)]
    assigned_user_id: Option<i64>,
}

async fn create_client(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<NewClient>,
) -> ApiResult {
    let record = body
        .client
        .validate(today_jst())
        .map_err(AppError::Invalid)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let id = clients::create(
        &mut tx,
        &record,
        if user.can_assign() {
            body.assigned_user_id
        } else {
            None
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created(json!({ "id": id, "version": 1 })))
}

async fn get_client(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(&mut tx, &acc).await?;
    let books = clients::books(&tx, &acc).await?;
    tx.commit().await?;
    let mut v = serde_json::to_value(&c).map_err(AppError::internal)?;
    v["disability_books"] = serde_json::to_value(&books).map_err(AppError::internal)?;
    Ok(Json(v).into_response())
}

#[derive(Debug, serde::Deserialize)]
struct ClientUpdate {
    version: i32,
    #[serde(flatten)]
    client: ClientInput,
}

async fn update_client(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ClientUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let record = body
        .client
        .validate(today_jst())
        .map_err(AppError::Invalid)?;
    let v = clients::update(&mut tx, &acc, body.version, &record).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

async fn list_certificates(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let certs = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(Json(json!({ "items": certs })).into_response())
}

async fn create_certificate(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CertificateInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    let r = body.validate().map_err(AppError::Invalid)?;
    let (cid, v) = certificates::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": cid, "version_no": v })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct NotesQuery {
    q: String,
    limit: Option<u64>,
    offset: Option<u64>,
}

async fn list_notes(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<NotesQuery>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Read)
        .await?;
    let (rows, more) = notes::list(
        &mut tx,
        &acc,
        &q.q,
        q.limit.unwrap_or(50),
        q.offset.unwrap_or(0),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(json!({ "items": rows, "more": more })).into_response())
}

async fn create_note(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NoteInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let r = body.validate(now_jst()).map_err(AppError::Invalid)?;
    let nid = notes::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": nid, "version": 1 })))
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
