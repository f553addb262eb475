//! サービス担当者会議 over JSON: a plan version's meetings, one meeting, recording and editing
//! one. The same consent rule (a participant no consent to share covers is refused, by name, in
//! `fields.participants`), the same 409 on a stale version and the same audit as the pages.

use super::{ApiJson, ApiPath, Saved, Versioned, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::meeting::MeetingInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::meetings::{self, Meeting};
use yorisoi_store::{plans, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(get_meeting, update_meeting))
}

/// A plan version's meetings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingList {
    pub meetings: Vec<Meeting>,
}

/// A meeting; `input` is the meeting as `PUT /meetings/{id}` takes it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub input: MeetingInput,
}

/// A meeting edit: the meeting's fields and the `version` it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct MeetingUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub body: MeetingInput,
}

#[utoipa::path(
    get,
    path = "/plans/{id}/meetings",
    tag = "meetings",
    summary = "計画の版で開いたサービス担当者会議の一覧",
    params(("id" = i64, Path, description = "計画（版）のID")),
    responses(
        (status = 200, body = MeetingList),
    ),
)]
async fn list_meetings(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Meeting, Action::Read).await?;
    let list = meetings::for_plan(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(ok(MeetingList { meetings: list }))
}

#[utoipa::path(
    post,
    path = "/plans/{id}/meetings",
    tag = "meetings",
    summary = "サービス担当者会議を予定・記録する",
    description = "participants・attended はケアチームのメンバーID。情報提供の同意がない参加者は 422（fields.participants に名前）。held が yes なら計画案は「会議済」になります。",
    params(("id" = i64, Path, description = "計画（版）のID")),
    request_body = MeetingInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_meeting(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MeetingInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Meeting, Action::Write).await?;
    let r = meetings::validate(&tx, &acc, id, &body, today_jst())
        .await?
        .map_err(AppError::Invalid)?;
    let mid = meetings::create(&mut tx, &acc, id, &r).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: mid,
        version: 1,
    }))
}

#[utoipa::path(
    get,
    path = "/meetings/{id}",
    tag = "meetings",
    summary = "サービス担当者会議の記録",
    params(("id" = i64, Path, description = "会議のID")),
    responses(
        (status = 200, body = MeetingDetail),
    ),
)]
async fn get_meeting(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = meetings::access(&mut tx, id, Action::Read).await?;
    let m = meetings::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = MeetingInput::from_record(&m.record);
    Ok(ok(MeetingDetail { meeting: m, input }))
}

#[utoipa::path(
    put,
    path = "/meetings/{id}",
    tag = "meetings",
    summary = "サービス担当者会議の記録を編集する",
    params(("id" = i64, Path, description = "会議のID")),
    request_body = MeetingUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_meeting(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
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
    Ok(ok(Saved { id, version: v }))
}
