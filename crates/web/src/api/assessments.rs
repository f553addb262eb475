//! アセスメント over JSON: a case's versions, starting (or re-assessing), reading and saving
//! one version, and its drawings as SVG — the same access, rules and audit as the pages.

use super::{ApiJson, ApiPath, Saved, Versioned, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_documents::docs::assessment::DRAWINGS;
use yorisoi_domain::assessment::{AssessmentInput, StartInput};
use yorisoi_domain::policy::Action;
use yorisoi_store::{assessments, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assessments, start_assessment))
        .routes(routes!(get_assessment, update_assessment))
        .routes(routes!(assessment_drawing))
}

/// A case's assessment versions, newest first.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct AssessmentList {
    pub assessments: Vec<assessments::Summary>,
}

/// One version as stored, and the same as the PUT body takes it (edit `input` and send it
/// back with `version`).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct AssessmentRead {
    pub assessment: assessments::Assessment,
    pub input: AssessmentInput,
}

/// The PUT body: every field of the assessment, and the `version` it was read at.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[allow(dead_code)] // documents `Versioned<AssessmentInput>`, which is what is read
pub struct AssessmentUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub body: AssessmentInput,
}

#[utoipa::path(
    get,
    path = "/cases/{id}/assessments",
    tag = "assessments",
    summary = "ケースのアセスメントの版の一覧",
    description = "新しい版から順に。担当外・他事業所のケースは 404。",
    params(("id" = i64, Path, description = "ケースの id")),
    responses(
        (status = 200, body = AssessmentList),
    ),
)]
async fn list_assessments(
    st: axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, id, Action::Read).await?;
    let list = assessments::list(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(ok(AssessmentList { assessments: list }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/assessments",
    tag = "assessments",
    summary = "アセスメントを始める（再アセスメント）",
    description = "最初の版は利用者台帳から、2版目以降は前の版をコピーして始めます。\
                   実施日が前の版より前なら 422（assessed_on）。終結したケースは 422。",
    params(("id" = i64, Path, description = "ケースの id")),
    request_body = StartInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn start_assessment(
    st: axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StartInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, id, Action::Write).await?;
    let (on, method, present) = body.validate(today_jst()).map_err(AppError::Invalid)?;
    let aid = assessments::start(&mut tx, &acc, id, on, method, present).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: aid,
        version: 1,
    }))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}",
    tag = "assessments",
    summary = "アセスメントの版を読む",
    description = "`assessment` は保存された記録、`input` は PUT の本文と同じ形。",
    params(("id" = i64, Path, description = "アセスメント（版）の id")),
    responses(
        (status = 200, body = AssessmentRead),
    ),
)]
async fn get_assessment(
    st: axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let input = AssessmentInput::from_record(&a.record);
    Ok(ok(AssessmentRead {
        assessment: a,
        input,
    }))
}

#[utoipa::path(
    put,
    path = "/assessments/{id}",
    tag = "assessments",
    summary = "アセスメントの版を保存する",
    description = "記録全体を置き換えます（基本情報は台帳から写したまま）。最新の版だけが変更でき、\
                   過去の版は 422。読み込んだあとに更新されていれば 409。",
    params(("id" = i64, Path, description = "アセスメント（版）の id")),
    request_body = AssessmentUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_assessment(
    st: axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Versioned<AssessmentInput>>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let current = assessments::get(&mut tx, &acc, id).await?;
    let record = body
        .body
        .validate(today_jst(), current.record.basic.clone())
        .map_err(AppError::Invalid)?;
    let version = assessments::update(&mut tx, &acc, id, body.version, &record).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version }))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}/drawing/{file}",
    tag = "assessments",
    summary = "アセスメントの図（SVG）",
    description = "ジェノグラム（genogram.svg）、エコマップ（ecomap.svg）、生活歴（timeline.svg）、\
                   日課（day.svg）、生活サイクル（week.svg）。書かれていない項目の図は空です。",
    params(
        ("id" = i64, Path, description = "アセスメント（版）の id"),
        ("file" = String, Path, description = "genogram.svg, ecomap.svg, timeline.svg, day.svg, week.svg"),
    ),
    responses(
        (status = 200, content_type = "image/svg+xml", body = String, description = "SVG"),
    ),
)]
async fn assessment_drawing(
    st: axum::extract::State<AppState>,
    user: Authed,
    ApiPath((id, file)): ApiPath<(i64, String)>,
) -> ApiResult {
    let kind = file
        .strip_suffix(".svg")
        .and_then(|name| DRAWINGS.iter().copied().find(|k| *k == name))
        .ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let svg = st.drawings.get(&a, kind).to_string();
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}
