//! JSON API for printed documents: each record's PDF through its office's template (logged as
//! 印刷・出力 exactly as the page's downloads, `kit::print`), and 一括印刷 as a background job
//! (`kit::batch`: at most three running per person, 429 beyond).

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::jobs::Phase;
use crate::kit::batch::{self, BatchInput};
use crate::kit::person_file::{self, PersonFileInput};
use crate::kit::print::{Which, file_response, pdf_response, print_one};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::note::PeriodInput;
use yorisoi_store::today_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plan_pdf))
        .routes(routes!(monitoring_pdf))
        .routes(routes!(meeting_pdf))
        .routes(routes!(assessment_pdf))
        .routes(routes!(notes_pdf))
        .routes(routes!(case_pdf))
        .routes(routes!(decision_pdf))
        .routes(routes!(start_batch))
        .routes(routes!(batch_status))
        .routes(routes!(batch_pdf))
        .routes(routes!(batch_json))
        .routes(routes!(start_person_file))
}

async fn one(st: &AppState, user: &Authed, what: Which) -> ApiResult {
    let p = print_one(st, user.actor(), what).await?;
    Ok(pdf_response(p.pdf, &p.filename))
}

#[utoipa::path(get, path = "/plans/{id}/pdf/{doc}", tag = "documents",
    summary = "計画のPDF",
    description = "doc は plan（サービス等利用計画・障害児支援利用計画）、week（週間計画表）、easy_plan（わかりやすい版。児童の計画では子ども用）、easy_plan_child（子ども用）、easy_plan_parents（保護者用。児童の計画のみ）。事業所のテンプレートで作り、印刷・出力として監査ログに残します。",
    params(("id" = i64, Path, description = "計画の版の id"),
        ("doc" = String, Path, description = "plan / week / easy_plan / easy_plan_child / easy_plan_parents")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn plan_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, doc)): ApiPath<(i64, String)>,
) -> ApiResult {
    let what = Which::plan(id, &doc).ok_or(AppError::NotFound)?;
    one(&st, &user, what).await
}

#[utoipa::path(get, path = "/monitorings/{id}/pdf", tag = "documents",
    summary = "モニタリング報告書のPDF",
    params(("id" = i64, Path, description = "モニタリングの id")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn monitoring_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    one(&st, &user, Which::Monitoring(id)).await
}

#[utoipa::path(get, path = "/meetings/{id}/pdf", tag = "documents",
    summary = "サービス担当者会議の記録のPDF",
    params(("id" = i64, Path, description = "会議の id")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn meeting_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    one(&st, &user, Which::Meeting(id)).await
}

#[utoipa::path(get, path = "/assessments/{id}/pdf", tag = "documents",
    summary = "アセスメントシートのPDF",
    params(("id" = i64, Path, description = "アセスメントの版の id")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn assessment_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    one(&st, &user, Which::Assessment(id)).await
}

#[utoipa::path(get, path = "/clients/{id}/notes/pdf", tag = "documents",
    summary = "支援経過記録のPDF（期間を指定）",
    description = "期間の記録を古い順に、日時・種別・相手・記録者・内容の表にします。from・until は西暦・和暦どちらでも（2026-04-01、令和8年4月1日、R8.4.1）。空なら今日までの12か月。読めない期間は 422（fields に項目ごとの理由）。印刷・出力として監査ログに残します。",
    params(("id" = i64, Path, description = "利用者のid"), PeriodInput),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn notes_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(period): ApiQuery<PeriodInput>,
) -> ApiResult {
    let (from, until) = period.validate(today_jst()).map_err(AppError::Invalid)?;
    one(
        &st,
        &user,
        Which::Notes {
            client_id: id,
            from,
            until,
        },
    )
    .await
}

#[utoipa::path(get, path = "/cases/{id}/pdf/{doc}", tag = "documents",
    summary = "インテーク記録・終結の記録のPDF",
    description = "doc は intake（インテーク記録）または closure（終結の記録とエバリュエーション。終結していないケースは 422）。",
    params(("id" = i64, Path, description = "ケースのid"),
        ("doc" = String, Path, description = "intake / closure")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn case_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, doc)): ApiPath<(i64, String)>,
) -> ApiResult {
    let what = Which::case(id, &doc).ok_or(AppError::NotFound)?;
    one(&st, &user, what).await
}

#[utoipa::path(get, path = "/decisions/{id}/pdf", tag = "documents",
    summary = "意思決定支援の記録のPDF",
    description = "会議と参加者、情報提供、体験と観察、本人の意思（推定したときはその根拠）、決定と意思実現を、ガイドラインの順に印刷します。",
    params(("id" = i64, Path, description = "意思決定支援の記録のid")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),)]
async fn decision_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    one(&st, &user, Which::Decision(id)).await
}

/// A started batch job.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BatchStarted {
    /// The job's id (`GET /documents/batch/{id}`).
    pub id: String,
}

/// How far a batch job has got.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BatchStatus {
    pub id: String,
    pub title: String,
    /// Records read so far.
    pub done: usize,
    /// Records to read (0 until they are counted).
    pub total: usize,
    /// reading（記録を読んでいる）, rendering（PDFを作っている）, done（できた）, failed（失敗）
    pub phase: String,
    /// Why it failed (failed only).
    pub message: String,
    /// Whether the PDF can be downloaded (`GET /documents/batch/{id}/pdf`).
    pub ready: bool,
    /// Whether a JSON can be downloaded too (`GET /documents/batch/{id}/json`; 本人開示 only).
    pub json_ready: bool,
}

#[utoipa::path(post, path = "/documents/batch", tag = "documents",
    summary = "一括印刷を始める",
    description = "what=plans はその月に交付した計画、what=monitorings は担当職員（staff）の利用者のその月のモニタリング報告書、what=notes は担当職員の利用者のその月の支援経過記録（利用者ごと）を1つのPDFにします。バックグラウンドで進み、202 と job の id を返します。1人が同時に実行できるのは3件までです（超えると 429）。",
    request_body = BatchInput,
    responses((status = 202, body = BatchStarted), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)),)]
async fn start_batch(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(input): ApiJson<BatchInput>,
) -> ApiResult {
    let spec = input.check(&st, &user).await?;
    let id = batch::start(&st, &user, spec)?;
    Ok((StatusCode::ACCEPTED, Json(BatchStarted { id })).into_response())
}

#[utoipa::path(get, path = "/documents/batch/{id}", tag = "documents",
    summary = "一括印刷の進み具合",
    description = "始めた本人だけが見られます（ほかの人には 404）。",
    params(("id" = String, Path, description = "job の id")),
    responses((status = 200, body = BatchStatus), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn batch_status(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let (phase, message) = match j.phase {
        Phase::Reading => ("reading", String::new()),
        Phase::Rendering => ("rendering", String::new()),
        Phase::Done => ("done", String::new()),
        Phase::Failed(m) => ("failed", m),
    };
    Ok(super::ok(BatchStatus {
        id,
        title: j.title,
        done: j.done,
        total: j.total,
        phase: phase.into(),
        message,
        ready: j.pdf.is_some(),
        json_ready: j.json.is_some(),
    }))
}

#[utoipa::path(get, path = "/documents/batch/{id}/pdf", tag = "documents",
    summary = "一括印刷のPDF",
    description = "できあがったPDFを返します（まだのときやほかの人の job は 404）。",
    params(("id" = String, Path, description = "job の id")),
    responses((status = 200, description = "PDF", content_type = "application/pdf", body = [u8]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn batch_pdf(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let pdf = j.pdf.ok_or(AppError::NotFound)?;
    Ok(pdf_response(pdf.as_ref().clone(), &j.filename))
}

/// 本人開示の JSON（format: yorisoi.person-file/1）: 利用者の記録をすべて。各記録の `record` は
/// その記録の API と同じ形です。
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = PersonFile)]
pub struct PersonFileDoc {
    /// 常に yorisoi.person-file/1
    pub format: String,
    /// 作成日（YYYY-MM-DD）
    pub produced_on: String,
    pub office: String,
    pub produced_by: String,
    /// 請求: requested_on、recipient、method、note
    pub request: serde_json::Value,
    /// id、record（利用者台帳）、assigned_staff
    pub client: serde_json::Value,
    pub disability_books: Vec<serde_json::Value>,
    /// 受給者証のすべての版
    pub certificates: Vec<serde_json::Value>,
    pub care_team: Vec<serde_json::Value>,
    /// 情報提供への同意（撤回したものを含む）
    pub consents: Vec<serde_json::Value>,
    /// ケースごとに intake、assessments、plans、meetings、monitorings、decision_support と終結
    pub cases: Vec<serde_json::Value>,
    pub case_notes: Vec<serde_json::Value>,
    /// 共有・開示の記録
    pub disclosures: Vec<serde_json::Value>,
    /// 利用者についての操作記録（すべて）
    pub audit_events: Vec<serde_json::Value>,
}

#[utoipa::path(get, path = "/documents/batch/{id}/json", tag = "documents",
    summary = "本人開示のJSON",
    description = "本人開示の job がまとめた、同じ内容の JSON（format: yorisoi.person-file/1）を返します。まだのとき、一括印刷の job、ほかの人の job は 404。",
    params(("id" = String, Path, description = "job の id")),
    responses((status = 200, description = "JSON", content_type = "application/json", body = PersonFileDoc),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),)]
async fn batch_json(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let json = j.json.ok_or(AppError::NotFound)?;
    Ok(file_response(
        json.as_ref().clone(),
        "application/json",
        &j.json_filename,
    ))
}

#[utoipa::path(post, path = "/clients/{id}/person-file", tag = "documents",
    summary = "本人開示（記録をすべて）を始める",
    description = "個人情報保護法第33条の開示請求に答えるため、利用者の記録をすべて（台帳、受給者証、ケアチームと同意、ケースごとの記録、支援経過記録、共有・開示の記録、操作記録）目次つきの1つのPDFと JSON にまとめます。操作記録を含むため管理者だけが使えます（ほかの役割は 403、見られない利用者は 404）。バックグラウンドで進み、202 と job の id を返します。進み具合は `GET /documents/batch/{id}`、結果は `…/pdf` と `…/json`。作成は共有・開示の記録に本人開示として残ります。",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = PersonFileInput,
    responses((status = 202, body = BatchStarted), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),)]
async fn start_person_file(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PersonFileInput>,
) -> ApiResult {
    let name = person_file::may_disclose(&st, &user, id).await?;
    let spec = input.check(id)?;
    let job = person_file::start(&st, &user, &name, spec)?;
    Ok((StatusCode::ACCEPTED, Json(BatchStarted { id: job })).into_response())
}
