//! 意思決定支援 over JSON: a case's records, reading one, starting one, and saving one section
//! or the whole record — the same access, rules (an estimated will needs its grounds, the lead
//! is one of the office's staff) and audit as the pages.

use super::{ApiJson, ApiPath, Saved, Versioned, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use crate::kit::staff::leads;
use crate::pages::decisions::form::{SECTIONS, take_section};
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::decision::DecisionInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{Tx, decisions, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_decisions, create_decision))
        .routes(routes!(get_decision, update_decision))
        .routes(routes!(update_decision_section))
}

/// A case's decision-support records, newest first.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct DecisionList {
    pub decisions: Vec<decisions::Summary>,
}

/// One record as stored, and the same as the PUT body takes it.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct DecisionRead {
    pub decision: decisions::Decision,
    pub input: DecisionInput,
}

/// A PUT body: the record's fields (for a section, only that section's are read) and the
/// `version` it was read at.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[allow(dead_code)] // documents `Versioned<DecisionInput>`, which is what is read
pub struct DecisionUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub body: DecisionInput,
}

/// The ids of the staff who may lead (the current lead stays allowed).
async fn lead_ids(tx: &Tx, current: Option<i64>) -> Result<Vec<i64>, AppError> {
    Ok(leads(tx, RecordKind::DecisionSupport, current)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

#[utoipa::path(
    get,
    path = "/cases/{id}/decisions",
    tag = "decisions",
    summary = "ケースの意思決定支援の記録の一覧",
    description = "新しい記録から順に。担当外・他事業所のケースは 404。",
    params(("id" = i64, Path, description = "ケースの id")),
    responses(
        (status = 200, body = DecisionList),
    ),
)]
async fn list_decisions(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, id, Action::Read).await?;
    let list = decisions::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(ok(DecisionList { decisions: list }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/decisions",
    tag = "decisions",
    summary = "意思決定支援の記録を始める",
    description = "決めること（question）と意思決定支援責任者（lead_user_id: 事業所の職員）から。\
                   ほかの項目も一緒に送れます。推定した意思（estimated_will）には根拠（grounds）が必要です。\
                   終結したケースは 422。",
    params(("id" = i64, Path, description = "ケースの id")),
    request_body = DecisionInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_decision(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, id, Action::Write).await?;
    let ids = lead_ids(&tx, None).await?;
    let record = body
        .validate(today_jst(), &ids)
        .map_err(AppError::Invalid)?;
    let did = decisions::create(&mut tx, &acc, id, &record).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: did,
        version: 1,
    }))
}

#[utoipa::path(
    get,
    path = "/decisions/{id}",
    tag = "decisions",
    summary = "意思決定支援の記録を読む",
    description = "`decision` は保存された記録、`input` は PUT の本文と同じ形。",
    params(("id" = i64, Path, description = "意思決定支援の記録の id")),
    responses(
        (status = 200, body = DecisionRead),
    ),
)]
async fn get_decision(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Read).await?;
    let d = decisions::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = DecisionInput::from_record(&d.record);
    Ok(ok(DecisionRead { decision: d, input }))
}

/// Saves `input` over record `id` read at `version`, as the page does.
async fn save(st: &AppState, user: &Authed, id: i64, version: i32, input: Edit) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Write).await?;
    let current = decisions::get(&mut tx, &acc, id).await?;
    let input = match input {
        Edit::Whole(i) => i,
        Edit::Section(section, from) => {
            let mut i = DecisionInput::from_record(&current.record);
            take_section(&section, from, &mut i);
            i
        }
    };
    let ids = lead_ids(&tx, Some(current.record.lead_user_id)).await?;
    let record = input
        .validate(today_jst(), &ids)
        .map_err(AppError::Invalid)?;
    let version = decisions::update(&mut tx, &acc, id, version, &record).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version }))
}

/// What a PUT replaces: the whole record, or one section of it.
enum Edit {
    Whole(DecisionInput),
    Section(String, DecisionInput),
}

#[utoipa::path(
    put,
    path = "/decisions/{id}",
    tag = "decisions",
    summary = "意思決定支援の記録全体を保存する",
    description = "記録全体を置き換えます。推定した意思（estimated_will）に根拠（grounds）がなければ 422、\
                   表明できない・一部のときは推定が必要です。読み込んだあとに更新されていれば 409。",
    params(("id" = i64, Path, description = "意思決定支援の記録の id")),
    request_body = DecisionUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_decision(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Versioned<DecisionInput>>,
) -> ApiResult {
    save(&st, &user, id, body.version, Edit::Whole(body.body)).await
}

#[utoipa::path(
    put,
    path = "/decisions/{id}/sections/{section}",
    tag = "decisions",
    summary = "意思決定支援の記録の一項目を保存する",
    description = "画面の項目ごとの編集と同じ: question（決めること）、meetings（会議と参加者）、\
                   information（情報提供）、experiences（体験と観察）、will（本人の意思・根拠）、\
                   decision（決定と実現）。本文のうちその項目の欄だけを読み、ほかの項目は保存済みのまま。\
                   推定した意思に根拠がなければ 422。古い version は 409。",
    params(
        ("id" = i64, Path, description = "意思決定支援の記録の id"),
        ("section" = String, Path, description = "question, meetings, information, experiences, will, decision"),
    ),
    request_body = DecisionUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_decision_section(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, section)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<Versioned<DecisionInput>>,
) -> ApiResult {
    if !SECTIONS.iter().any(|(c, _)| *c == section) {
        return Err(AppError::NotFound.into());
    }
    save(
        &st,
        &user,
        id,
        body.version,
        Edit::Section(section, body.body),
    )
    .await
}
