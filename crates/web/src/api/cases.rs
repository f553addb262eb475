//! 支援ケース over JSON: a client's cases, opening one from an intake, the case with its
//! intake, editing the intake, moving the stage, closing. The same rules, access and audit as
//! the case pages.

use super::{ApiJson, ApiPath, Saved, Versioned, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use crate::kit::case_parts::case_access;
use chrono::NaiveDate;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::case::{CaseStage, CloseInput, IntakeInput};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::cases::{Case, Intake};
use yorisoi_store::{cases, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case, update_intake))
        .routes(routes!(move_stage))
        .routes(routes!(close_case))
}

/// A client's cases.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CaseList {
    pub items: Vec<Case>,
}

/// A case with its intake; `input` is the intake as `PUT /cases/{id}` takes it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    pub case: Case,
    pub intake: Intake,
    pub input: IntakeInput,
}

/// An intake edit: the intake's fields and the intake's `version` it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct IntakeUpdate {
    /// The intake's version (`intake.version` of `GET /cases/{id}`).
    pub version: i32,
    #[serde(flatten)]
    pub body: IntakeInput,
}

/// The next stage of the cycle. 終結 (`closed`) goes through `POST /cases/{id}/close`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct StageInput {
    /// One of the stage codes (`assessment`, `plan`, `monitoring`, `reassessment`, …).
    pub to: String,
    /// Why the stage is changed by hand (required; the records move the case on their own, so
    /// this is for the exceptions). Logged with the move.
    #[serde(default)]
    pub reason: String,
}

impl StageInput {
    fn stage(&self) -> Result<CaseStage, AppError> {
        CaseStage::from_code(self.to.trim())
            .ok_or_else(|| AppError::field("to", "次の段階を段階のコードで指定してください。"))
    }
}

/// A stage move: the stage and the case's `version` it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct StageMove {
    /// The case's version (`case.version`).
    pub version: i32,
    #[serde(flatten)]
    pub body: StageInput,
}

/// The case after a stage move.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StageMoved {
    pub id: i64,
    pub version: i32,
    pub stage: CaseStage,
}

/// A closing: the reason, the look back and the hand-over, and the case's `version`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct CaseClose {
    /// The case's version (`case.version`).
    pub version: i32,
    #[serde(flatten)]
    pub body: CloseInput,
}

/// The case after closing: read-only from now, kept until `retain_until`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Closed {
    pub id: i64,
    pub version: i32,
    pub retain_until: NaiveDate,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/cases",
    tag = "cases",
    summary = "利用者のケースの一覧",
    params(("id" = i64, Path, description = "利用者のID")),
    responses(
        (status = 200, body = CaseList),
    ),
)]
async fn list_cases(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
    let items = cases::list(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(CaseList { items }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/cases",
    tag = "cases",
    summary = "インテークを記録してケースを開始する",
    params(("id" = i64, Path, description = "利用者のID")),
    request_body = IntakeInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_case(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IntakeInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await?;
    let r = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let case_id = cases::open(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: case_id,
        version: 1,
    }))
}

#[utoipa::path(
    get,
    path = "/cases/{id}",
    tag = "cases",
    summary = "ケースとインテーク",
    params(("id" = i64, Path, description = "ケースのID")),
    responses(
        (status = 200, body = CaseDetail),
    ),
)]
async fn get_case(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Read).await?;
    let (case, intake) = cases::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = IntakeInput::from(&intake.record);
    Ok(ok(CaseDetail {
        case,
        intake,
        input,
    }))
}

#[utoipa::path(
    put,
    path = "/cases/{id}",
    tag = "cases",
    summary = "インテークを編集する",
    description = "終結したケースは変更できません（422 rule）。version はインテークの版です。",
    params(("id" = i64, Path, description = "ケースのID")),
    request_body = IntakeUpdate,
    responses(
        (status = 200, body = Saved, description = "id はケース、version はインテークの新しい版"),
    ),
)]
async fn update_intake(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Versioned<IntakeInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let r = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    cases::update_intake(&mut tx, &acc, id, b.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Saved {
        id,
        version: b.version + 1,
    }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/stage",
    tag = "cases",
    summary = "ケースの段階を手で変える（例外のとき）",
    description = "段階は記録（アセスメント、計画案、会議、本計画の交付、モニタリング、終結）から自動で進みます。手で変えるのは例外のときだけで、理由（reason）が必要です（空なら 422、記録されます）。ケアマネジメントの循環が許す段階へだけ進めます（許されない移動は 422 rule）。終結は /cases/{id}/close で行います。",
    params(("id" = i64, Path, description = "ケースのID")),
    request_body = StageMove,
    responses(
        (status = 200, body = StageMoved),
    ),
)]
async fn move_stage(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Versioned<StageInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let to = b.body.stage()?;
    cases::move_stage(&mut tx, &acc, id, b.version, to, &b.body.reason).await?;
    tx.commit().await?;
    Ok(ok(StageMoved {
        id,
        version: b.version + 1,
        stage: to,
    }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/close",
    tag = "cases",
    summary = "ケースを終結する（理由・ふりかえり・引き継ぎ）",
    params(("id" = i64, Path, description = "ケースのID")),
    request_body = CaseClose,
    responses(
        (status = 200, body = Closed),
    ),
)]
async fn close_case(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Versioned<CloseInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (c, _) = cases::get(&mut tx, &acc, id).await?;
    let r = b
        .body
        .validate(c.opened_on, today_jst())
        .map_err(AppError::Invalid)?;
    let retain_until = cases::close(&mut tx, &acc, id, b.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Closed {
        id,
        version: b.version + 1,
        retain_until,
    }))
}
