//! JSON API under `/api/v1`: the same records, the same authorization (`Tx::client_access`) and
//! the same audit as the pages. Authenticated by a personal token (`Authorization: Bearer ysi_…`)
//! or by the browser session (then writes need the `X-CSRF-Token` header).

use crate::AppState;
use crate::auth::Authed;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::case::{CloseInput, IntakeInput};
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::{ClientInput, ClientStatus};
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::clients::{ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{
    StoreError, assessments, cases, certificates, clients, notes, now_jst, today_jst,
};

#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    Csrf,
    NotFound,
    Conflict,
    BadRequest(String),
    Invalid(FieldErrors),
    Rule(String),
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict => ApiError::Conflict,
            StoreError::Rule(m) => ApiError::Rule(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "サインインするか、有効なAPIトークンを Authorization: Bearer で送ってください。"
                    .to_string(),
                None,
            ),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "セッションで書き込むときは X-CSRF-Token ヘッダーが必要です。".to_string(),
                None,
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "見つかりません。".to_string(),
                None,
            ),
            ApiError::Conflict => (
                StatusCode::CONFLICT,
                "conflict",
                "ほかの職員が先に更新しました。最新の version を取得してからやり直してください。"
                    .to_string(),
                None,
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m, None),
            ApiError::Invalid(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "入力に問題があります。fields を見てください。".to_string(),
                Some(f),
            ),
            ApiError::Rule(m) => (StatusCode::UNPROCESSABLE_ENTITY, "rule", m, None),
            ApiError::Internal(d) => {
                tracing::error!(detail = %d, "api internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "システムで問題が起きました。時間をおいてやり直してください。".to_string(),
                    None,
                )
            }
        };
        let body = json!({ "error": code, "message": message, "fields": fields.map(|f| f.0).unwrap_or_default() });
        (status, Json(body)).into_response()
    }
}

/// JSON body whose rejection is a Japanese 400, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<Value>::from_request(req, state).await {
            Ok(Json(mut v)) => {
                // `null` means "not given", as an omitted field does: a record read from the
                // API can be sent back as it is.
                strip_nulls(&mut v);
                serde_json::from_value(v)
                    .map(ApiJson)
                    .map_err(|e| ApiError::BadRequest(format!("JSONの項目の型が違います: {e}")))
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::BadRequest(
                "Content-Type: application/json で送ってください。".into(),
            )),
            Err(e) => Err(ApiError::BadRequest(format!(
                "JSONを読み取れませんでした: {}",
                e.body_text()
            ))),
        }
    }
}

fn strip_nulls(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, x| !x.is_null());
        map.values_mut().for_each(strip_nulls);
    }
}

pub(crate) type ApiResult = Result<Response, ApiError>;

pub(crate) fn created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(crate::api_plans::router())
        .route("/openapi.json", get(openapi))
        .route("/clients", get(list_clients).post(create_client))
        .route("/clients/{id}", get(get_client).put(update_client))
        .route(
            "/clients/{id}/certificates",
            get(list_certificates).post(create_certificate),
        )
        .route("/clients/{id}/cases", get(list_cases).post(create_case))
        .route("/clients/{id}/notes", get(list_notes).post(create_note))
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
        .fallback(|| async { ApiError::NotFound })
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
            ApiError::BadRequest("status は consulting, supporting, closed のいずれかです。".into())
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
        .map_err(ApiError::Invalid)?;
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
    let mut v = serde_json::to_value(&c).map_err(|e| ApiError::Internal(e.to_string()))?;
    v["disability_books"] =
        serde_json::to_value(&books).map_err(|e| ApiError::Internal(e.to_string()))?;
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
        .map_err(ApiError::Invalid)?;
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
    let r = body.validate().map_err(ApiError::Invalid)?;
    let (cid, v) = certificates::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(json!({ "id": cid, "version_no": v })))
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
    let r = body.validate(today_jst()).map_err(ApiError::Invalid)?;
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
        .map_err(ApiError::Invalid)?;
    let retain_until = cases::close(&mut tx, &acc, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(
        Json(json!({ "id": id, "version": body.version + 1, "retain_until": retain_until }))
            .into_response(),
    )
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
    let r = body.validate(now_jst()).map_err(ApiError::Invalid)?;
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
    let (on, method, present) = body.validate(today_jst()).map_err(ApiError::Invalid)?;
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

/// A write body: the record's input fields and the `version` it was read at.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Versioned<T> {
    pub version: i32,
    #[serde(flatten)]
    pub body: T,
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
        .map_err(ApiError::Invalid)?;
    let v = assessments::update(&mut tx, &acc, id, body.version, &record).await?;
    tx.commit().await?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

async fn openapi() -> Response {
    Json(crate::api_spec::spec()).into_response()
}
