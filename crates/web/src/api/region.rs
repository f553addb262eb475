//! A region over JSON: for its secretariat the member offices, the released 地域課題 across
//! them, the figures under the disclosure rules and where each issue stands in the council; for
//! an office's admin, the regions to join, starting one, joining and leaving. An office's own
//! council paper as data. The same store functions, authorization and audit as the pages.

use super::issues::code;
use super::{ApiJson, ApiPath, ApiQuery, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    CouncilInput, IssueCategory, IssueStatus, JoinInput, PeriodInput, RegionInput,
};
use yorisoi_store::region::{self, Figures, Joinable, Region, RegionIssue, RegionQuery};
use yorisoi_store::today_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_region))
        .routes(routes!(region_figures))
        .routes(routes!(region_issues))
        .routes(routes!(region_issue, track_issue))
        .routes(routes!(list_regions, create_region))
        .routes(routes!(join_region))
        .routes(routes!(leave_region))
        .routes(routes!(issue_paper))
}

/// The region's filters.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RegionParams {
    /// 期間のはじめ（西暦・和暦。空なら今年度の4月1日）
    pub from: String,
    /// 期間のおわり（空なら今年度の3月31日）
    pub to: String,
    /// 地区（参加事業所の地区。空ならすべて）
    pub area: String,
    /// 分類のコード
    pub category: String,
    /// 状況のコード
    pub status: String,
    /// ことばで探す（課題名・ニーズ・社会資源・圏域）
    pub q: String,
}

fn query_of(p: &RegionParams) -> Result<RegionQuery, AppError> {
    let (from, to) = PeriodInput {
        from: p.from.clone(),
        to: p.to.clone(),
    }
    .validate(today_jst())
    .map_err(AppError::Invalid)?;
    let area = p.area.trim();
    Ok(RegionQuery {
        from,
        to,
        area: (!area.is_empty()).then(|| area.to_string()),
        category: code("category", &p.category, IssueCategory::from_code)?,
        status: code("status", &p.status, IssueStatus::from_code)?,
        q: p.q.clone(),
    })
}

#[utoipa::path(
    get,
    path = "/region",
    tag = "region",
    summary = "この事業所が事務局をする地域と、参加している事業所",
    responses((status = 200, body = Region)),
)]
async fn get_region(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let r = region::mine(&mut tx).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(ok(r))
}

#[utoipa::path(
    get,
    path = "/region/figures",
    tag = "region",
    summary = "地域の集計（実人員・事業所の数字・分類ごとの地域課題）",
    description = "10人未満の数、3事業所未満からの数は value が null で hidden に理由が入ります。差し引きで分かる数も hidden（complement）になります。",
    params(RegionParams),
    responses((status = 200, body = Figures)),
)]
async fn region_figures(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(p): ApiQuery<RegionParams>,
) -> ApiResult {
    let q = query_of(&p)?;
    let mut tx = st.store.read(user.actor()).await?;
    let f = region::figures(&mut tx, &q).await?;
    tx.commit().await?;
    Ok(ok(f))
}

#[utoipa::path(
    get,
    path = "/region/issues",
    tag = "region",
    summary = "参加事業所が公開した地域課題",
    params(RegionParams),
    responses((status = 200, body = Vec<RegionIssue>)),
)]
async fn region_issues(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(p): ApiQuery<RegionParams>,
) -> ApiResult {
    let q = query_of(&p)?;
    let mut tx = st.store.read(user.actor()).await?;
    let list = region::issues(&mut tx, &q).await?;
    tx.commit().await?;
    Ok(ok(list))
}

#[utoipa::path(
    get,
    path = "/region/issues/{id}",
    tag = "region",
    summary = "公開された地域課題を1件読む",
    params(("id" = i64, Path, description = "地域課題の id")),
    responses((status = 200, body = RegionIssue)),
)]
async fn region_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let i = region::issue(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ok(i))
}

/// Where the issue stands in the council, from the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct TrackBody {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub council: CouncilInput,
}

#[utoipa::path(
    put,
    path = "/region/issues/{id}",
    tag = "region",
    summary = "部会・協議会での状況と返信を記録する（地域の事務局）",
    description = "課題を挙げた事業所の画面とホームに表示されます。version が古ければ 409。",
    params(("id" = i64, Path, description = "地域課題の id")),
    request_body = TrackBody,
    responses((status = 200, body = super::Saved)),
)]
async fn track_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TrackBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionView, Action::Write)?;
    let c = body.council.validate().map_err(AppError::Invalid)?;
    let version = region::track(&mut tx, id, body.version, &c).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version }))
}

#[utoipa::path(
    get,
    path = "/regions",
    tag = "region",
    summary = "参加できる地域の一覧（管理者）",
    responses((status = 200, body = Vec<Joinable>)),
)]
async fn list_regions(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = region::joinable(&mut tx).await?;
    tx.commit().await?;
    Ok(ok(list))
}

#[utoipa::path(
    post,
    path = "/regions",
    tag = "region",
    summary = "この事業所を事務局として地域をつくる（管理者）",
    request_body = RegionInput,
    responses((status = 201, body = super::Saved)),
)]
async fn create_region(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<RegionInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionMembership, Action::Write)?;
    let name = body.validate().map_err(AppError::Invalid)?;
    let id = region::create(&mut tx, &name).await?;
    tx.commit().await?;
    Ok(created(super::Saved { id, version: 1 }))
}

/// The 地区 the office belongs to in the region.
#[derive(Debug, Default, serde::Deserialize, ToSchema)]
#[serde(default)]
pub struct JoinBody {
    /// この事業所の地区（40文字まで、空でもよい）
    pub area: String,
}

#[utoipa::path(
    post,
    path = "/regions/{id}/join",
    tag = "region",
    summary = "地域に参加する・地区を変える（管理者）",
    params(("id" = i64, Path, description = "地域の id")),
    request_body = JoinBody,
    responses((status = 200, body = super::Saved)),
)]
async fn join_region(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<JoinBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionMembership, Action::Write)?;
    let (id, area) = JoinInput {
        region_id: id.to_string(),
        area: body.area,
    }
    .validate()
    .map_err(AppError::Invalid)?;
    region::join(&mut tx, id, &area).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version: 1 }))
}

#[utoipa::path(
    post,
    path = "/regions/{id}/leave",
    tag = "region",
    summary = "地域への参加をやめる（管理者）",
    params(("id" = i64, Path, description = "地域の id")),
    responses((status = 200, body = super::Saved)),
)]
async fn leave_region(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    region::leave(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version: 1 }))
}

/// The office's council paper as data.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct PaperData {
    pub figures: Figures,
    /// 公開済みの地域課題（人数は10人未満なら hidden）
    pub issues: Vec<RegionIssue>,
}

#[utoipa::path(
    get,
    path = "/issues/paper",
    tag = "issues",
    summary = "地域課題の報告（協議会資料）のデータ",
    description = "公開済みの地域課題と、事業所の数字（10人未満は hidden）。PDF は画面の /issues/paper.pdf。",
    params(PeriodInput),
    responses((status = 200, body = PaperData)),
)]
async fn issue_paper(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(p): ApiQuery<PeriodInput>,
) -> ApiResult {
    let (from, to) = p.validate(today_jst()).map_err(AppError::Invalid)?;
    let mut tx = st.store.read(user.actor()).await?;
    let figures = region::office_figures(&mut tx, from, to).await?;
    let issues = region::office_released(&mut tx, to).await?;
    tx.commit().await?;
    Ok(ok(PaperData { figures, issues }))
}
