//! JSON API for plans (サービス等利用計画): versions of a case, the plan with its fee checklist
//! and implementation, writes of its content, consents, hand-overs, state and 計画変更,
//! implementation per row with the provider's 個別支援計画 as a file, and the weekly chart.
//! Same store functions, authorization and audit as the pages; every write body is the form's
//! input type (all strings, dates in 西暦 or 和暦), and every GET of an editable record returns
//! `input` ready to be edited and sent back with its `version`.
//! (Meetings are in `meetings`, the team's and the directory's in `team` and `resources`.)

use super::{ApiJson, ApiPath, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ApiResult, AppError, ErrorBody};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::plans::{Implementation, Plan, Summary};
use yorisoi_store::{cases, plans, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, draft_plan))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(add_consent))
        .routes(routes!(add_handover))
        .routes(routes!(move_state))
        .routes(routes!(change_plan))
        .routes(routes!(set_implementation))
        .routes(routes!(week_svg))
        .routes(routes!(download))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload))
                .layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
}

/// A case's plan versions, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PlanList {
    pub plans: Vec<Summary>,
}

/// One plan version with what the plan page shows beside it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub plan: Plan,
    /// The content as a write body (send it back with `version` to save it).
    pub input: PlanInput,
    /// Whether the content may be edited (the newest version, not yet final).
    pub editable: bool,
    /// 計画相談支援給付費の確認項目
    pub checklist: Vec<FeeStep>,
    pub implementations: Vec<Implementation>,
}

/// The plan's content with the version it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct PlanUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub body: PlanInput,
}

/// A consent (署名) with the plan's version.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ConsentWrite {
    pub version: i32,
    #[serde(flatten)]
    pub body: PlanConsentInput,
}

/// A hand-over (交付) with the plan's version.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct HandoverWrite {
    pub version: i32,
    #[serde(flatten)]
    pub body: HandoverInput,
}

/// The state to move to: `reviewed`（会議済）or `final`（本計画）.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct StateWrite {
    pub version: i32,
    #[serde(default)]
    pub to: String,
}

/// The plan after a state move.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StateSaved {
    pub id: i64,
    pub version: i32,
    pub state: PlanState,
}

/// A row's implementation; `version` is the implementation's (omit it for the first save).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ImplementationWrite {
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(flatten)]
    pub body: ImplementationInput,
}

/// The multipart body of a file upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    /// PDF・PNG・JPEG、10MBまで（種類は中身で判定）
    #[schema(content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// A stored file.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FileSaved {
    /// The attachment's id (`GET /attachments/{id}`).
    pub id: i64,
}

#[utoipa::path(get, path = "/cases/{id}/plans", tag = "plans",
    summary = "ケースの計画の版の一覧",
    description = "ケースのサービス等利用計画の版を新しい順に返します。",
    params(("id" = i64, Path, description = "ケースの id")),
    responses((status = 200, body = PlanList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn list_plans(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let list = plans::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(ok(PlanList { plans: list }))
}

#[utoipa::path(post, path = "/cases/{id}/plans", tag = "plans",
    summary = "計画案を作る",
    description = "ケースの最新のアセスメントから計画案（第1版）を作ります。",
    params(("id" = i64, Path, description = "ケースの id")),
    request_body = DraftInput,
    responses((status = 201, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn draft_plan(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
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
    Ok(created(Saved {
        id: pid,
        version: 1,
    }))
}

#[utoipa::path(get, path = "/plans/{id}", tag = "plans",
    summary = "計画の版を読む",
    description = "計画の版と、編集用の input、給付費の確認項目、行ごとの実施の記録を返します。",
    params(("id" = i64, Path, description = "計画の版の id")),
    responses((status = 200, body = PlanView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn get_plan(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    let imps = plans::implementations(&mut tx, &acc, id).await?;
    let held = plans::meeting_held(&tx, id).await?;
    tx.commit().await?;
    Ok(ok(PlanView {
        input: PlanInput::from_record(&p.record),
        editable: p.editable(),
        checklist: fee_checklist(&p.record, held),
        implementations: imps,
        plan: p,
    }))
}

#[utoipa::path(put, path = "/plans/{id}", tag = "plans",
    summary = "計画の内容を保存する",
    description = "最新の版で、本計画になる前だけ保存できます（それ以外は 422 rule）。同意・交付の記録は変わりません。",
    params(("id" = i64, Path, description = "計画の版の id")),
    request_body = PlanUpdate,
    responses((status = 200, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn update_plan(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PlanUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let current = plans::get(&mut tx, &acc, id).await?;
    let mut input = body.body;
    let res = crate::kit::records::directory(&mut tx).await?;
    crate::kit::records::provider_from_directory(&mut input, &res);
    let r = input
        .validate(&current.record, today_jst())
        .map_err(AppError::Invalid)?;
    let v = plans::save(&mut tx, &acc, &current, body.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version: v }))
}

#[utoipa::path(post, path = "/plans/{id}/consents", tag = "plans",
    summary = "計画への同意（署名）を記録する",
    params(("id" = i64, Path, description = "計画の版の id")),
    request_body = ConsentWrite,
    responses((status = 200, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn add_consent(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ConsentWrite>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let c = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    let v = plans::add_consent(&mut tx, &acc, id, b.version, &c).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version: v }))
}

#[utoipa::path(post, path = "/plans/{id}/handovers", tag = "plans",
    summary = "計画の交付を記録する",
    params(("id" = i64, Path, description = "計画の版の id")),
    request_body = HandoverWrite,
    responses((status = 200, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn add_handover(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<HandoverWrite>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let h = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    let v = plans::add_handover(&mut tx, &acc, id, b.version, &h).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version: v }))
}

#[utoipa::path(post, path = "/plans/{id}/state", tag = "plans",
    summary = "計画の状態を進める",
    description = "計画案 → 会議済（開催済みの会議が必要）→ 本計画（提供事業者・計画作成日・同意が必要）。進めない理由は 422 rule で返します。",
    params(("id" = i64, Path, description = "計画の版の id")),
    request_body = StateWrite,
    responses((status = 200, body = StateSaved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn move_state(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StateWrite>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let to = PlanState::from_code(b.to.trim())
        .ok_or_else(|| AppError::field("to", "to は reviewed か final を指定してください。"))?;
    let v = plans::move_state(&mut tx, &acc, id, b.version, to).await?;
    tx.commit().await?;
    Ok(ok(StateSaved {
        id,
        version: v,
        state: to,
    }))
}

#[utoipa::path(post, path = "/plans/{id}/change", tag = "plans",
    summary = "計画変更を始める",
    description = "本計画になった最新の版から、次の版の計画案を写して作ります。",
    params(("id" = i64, Path, description = "計画の版の id")),
    request_body = DraftInput,
    responses((status = 201, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn change_plan(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DraftInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let d = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let new_id = plans::change(&mut tx, &acc, id, d).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: new_id,
        version: 1,
    }))
}

#[utoipa::path(put, path = "/plans/{id}/rows/{key}/implementation", tag = "plans",
    summary = "行の実施（事業所・契約・個別支援計画の受領）を保存する",
    description = "本計画になった版の行ごとに記録します。最初の保存は version なし、その後は実施の記録の version が必要です（古ければ 409）。返す id は計画の版の id、version は実施の記録の版です。",
    params(("id" = i64, Path, description = "計画の版の id"), ("key" = u32, Path, description = "行の key")),
    request_body = ImplementationWrite,
    responses((status = 200, body = Saved), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn set_implementation(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, key)): ApiPath<(i64, u32)>,
    ApiJson(b): ApiJson<ImplementationWrite>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let r = b.body.validate(today_jst()).map_err(AppError::Invalid)?;
    let v = plans::set_implementation(&mut tx, &acc, id, key, b.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version: v }))
}

#[utoipa::path(post, path = "/plans/{id}/rows/{key}/file", tag = "plans",
    summary = "行の個別支援計画のファイルを登録する",
    description = "事業所の個別支援計画（PDF・PNG・JPEG、10MBまで）を multipart/form-data の file で送ります。APIトークン専用です（ブラウザーのセッションでは 403。画面からは計画のページで登録します）。先に行の実施の記録が必要です。",
    params(("id" = i64, Path, description = "計画の版の id"), ("key" = u32, Path, description = "行の key")),
    request_body(content = inline(FileUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = FileSaved), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn upload(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, key)): ApiPath<(i64, u32)>,
    mp: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    if user.session_id.is_some() {
        return Err(ApiError(AppError::Csrf));
    }
    let mut mp = mp.map_err(|_| ApiError(AppError::UnsupportedMediaType))?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| ApiError(AppError::PayloadTooLarge))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| ApiError(AppError::PayloadTooLarge))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let (name, bytes) =
        file.ok_or_else(|| AppError::field("file", "ファイルを選んでください。"))?;
    let aid = plans::attach(&mut tx, &acc, id, key, &name, bytes).await?;
    tx.commit().await?;
    Ok(created(FileSaved { id: aid }))
}

#[utoipa::path(get, path = "/attachments/{id}", tag = "plans",
    summary = "登録したファイルをダウンロードする",
    description = "個別支援計画のファイルを、登録時に中身で判定した種類で返します（常に添付として）。ダウンロードは監査ログに残ります。",
    params(("id" = i64, Path, description = "ファイルの id")),
    responses((status = 200, description = "ファイル", content(
            ([u8] = "application/pdf"),
            ([u8] = "image/png"),
            ([u8] = "image/jpeg"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn download(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = plans::attachment_client(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let (name, ty, bytes) = plans::attachment(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(crate::kit::print::file_response(bytes, &ty, &name))
}

#[utoipa::path(get, path = "/plans/{id}/week.svg", tag = "plans",
    summary = "週間計画表の図（SVG）",
    params(("id" = i64, Path, description = "計画の版の id")),
    responses((status = 200, description = "週間計画表", body = String, content_type = "image/svg+xml"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn week_svg(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        plan_week(&p.record.week_blocks()),
    )
        .into_response())
}
