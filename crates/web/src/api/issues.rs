//! 地域課題 over JSON: the office's list with the category × status counts, raising one (with
//! the case behind it), reading one with its people and the ledger findings, saving an edit, and
//! releasing it (a lead or an admin; refused with the findings while the text identifies
//! anybody in the ledger). The same store functions, authorization and audit as the pages; the
//! 事務 and other offices get the same 404 as a missing issue.

use super::{ApiJson, ApiPath, ApiQuery, Paging, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    CategoryList, IssueCategory, IssueStatus, OwnCategory, OwnCategoryInput, RegionalIssueInput,
};
use yorisoi_store::issue_categories;
use yorisoi_store::issue_followups::{self, Followup};
use yorisoi_store::regional_issues::{
    self, CountCell, IssueFilter, IssueSort, People, RegionalIssue, Saved, Summary,
};
use yorisoi_store::today_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_issues, create_issue))
        .routes(routes!(get_issue, update_issue))
        .routes(routes!(release_issue))
        .routes(routes!(list_categories, add_category))
        .routes(routes!(update_category))
        .routes(routes!(set_unused_categories))
}

/// The list's filters.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// ことばで探す（課題名・ニーズ・社会資源・圏域）
    pub q: String,
    /// 分類のコード（welfare, medical, education, work, housing, mobility, rights, family, participation, children, other。事業所の分類は own-12 の形。既定の分類で絞ると、事業所の分類を付けた地域課題は含みません）
    pub category: String,
    /// 状況のコード（raised, subcommittee, council, resolved, continuing）
    pub status: String,
    /// 並び順（updated: 更新が新しい順, raised: 提起が古い順, category: 分類順, people: 人数が多い順）
    pub sort: String,
    /// yes なら、ほかの地域課題にまとめた（統合済みの）ものも含める
    pub merged: String,
}

/// One page of the office's issues, how many match in all, and the counts by category × status
/// (of all the office's issues, whatever the filters).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct IssueList {
    pub issues: Vec<Summary>,
    pub total: u64,
    pub counts: Vec<CountCell>,
}

/// An issue, its fields as the PUT body takes them, and the people it concerns.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct IssueRead {
    pub issue: RegionalIssue,
    pub input: RegionalIssueInput,
    pub people: People,
    /// Where it was merged, what was merged into it, the 社会資源 it led to.
    pub followup: Followup,
}

/// A new issue: its fields, and the case it is raised from (optional; a case the user may read).
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct IssueNew {
    /// 関連付けるケースの id
    #[serde(default)]
    pub case_id: Option<i64>,
    #[serde(flatten)]
    pub issue: RegionalIssueInput,
}

/// An edit: the fields and the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct IssueUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    /// 解決につながった社会資源の id（状況が resolved のときだけ。省略すると結び付けを外します）
    #[serde(default)]
    pub resource_id: Option<i64>,
    #[serde(flatten)]
    pub issue: RegionalIssueInput,
}

/// A release: the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct IssueRelease {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
}

/// A code of a filter, empty for none; an unknown one is a 422.
pub(super) fn code<T>(
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        s => parse(s)
            .map(Some)
            .ok_or_else(|| AppError::field(field, "一覧にあるコードで指定してください。")),
    }
}

#[utoipa::path(
    get,
    path = "/issues",
    tag = "issues",
    summary = "地域課題の一覧・検索と、分類×状況の件数",
    params(IssueQuery, Paging),
    responses(
        (status = 200, body = IssueList),
    ),
)]
async fn list_issues(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<IssueQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult {
    let (page, per_page) = paging.resolve()?;
    let mut tx = st.store.read(user.actor()).await?;
    let list = issue_categories::list(&mut tx).await?;
    let filter = IssueFilter {
        category: code("category", &q.category, |c| list.resolve(c))?,
        status: code("status", &q.status, IssueStatus::from_code)?,
        q: q.q,
        sort: IssueSort::from_code(q.sort.trim()),
        include_merged: yorisoi_domain::text::is_yes(&q.merged),
    };
    let found = regional_issues::list(&mut tx, &filter).await?;
    let counts = regional_issues::counts(&mut tx).await?;
    tx.commit().await?;
    let total = found.len() as u64;
    let issues = found
        .into_iter()
        .skip((page * per_page) as usize)
        .take(per_page as usize)
        .collect();
    Ok(ok(IssueList {
        issues,
        total,
        counts,
    }))
}

#[utoipa::path(
    post,
    path = "/issues",
    tag = "issues",
    summary = "地域課題を記録する",
    description = "保存はされますが、本文に利用者台帳の氏名・住所・電話番号・生年月日が見つかれば findings で知らせます（公開はできません）。",
    request_body = IssueNew,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<IssueNew>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionalIssue, Action::Write)?;
    let list = issue_categories::list(&mut tx).await?;
    let r = body.issue.validate_in(&list).map_err(AppError::Invalid)?;
    let saved = regional_issues::add(&mut tx, &r, body.case_id).await?;
    tx.commit().await?;
    Ok(created(saved))
}

#[utoipa::path(
    get,
    path = "/issues/{id}",
    tag = "issues",
    summary = "地域課題を1件読む（関係する人の数と、本文の照合結果）",
    description = "input はそのまま version を添えて PUT の本文にできます。",
    params(("id" = i64, Path, description = "地域課題の id")),
    responses(
        (status = 200, body = IssueRead),
    ),
)]
async fn get_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let issue = regional_issues::get(&mut tx, id).await?;
    let people = regional_issues::people(&mut tx, id, today_jst()).await?;
    let followup = issue_followups::of(&mut tx, id).await?;
    tx.commit().await?;
    let input = RegionalIssueInput::from_record(&issue.record);
    Ok(ok(IssueRead {
        issue,
        input,
        people,
        followup,
    }))
}

#[utoipa::path(
    put,
    path = "/issues/{id}",
    tag = "issues",
    summary = "地域課題を更新する",
    description = "version が古ければ 409。文章を変えると公開は取り消されます。resource_id は状況が resolved のときだけ指定できます（ほかは 422）。",
    params(("id" = i64, Path, description = "地域課題の id")),
    request_body = IssueUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IssueUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionalIssue, Action::Write)?;
    let list = issue_categories::list(&mut tx).await?;
    let r = body.issue.validate_in(&list).map_err(AppError::Invalid)?;
    let mut saved = regional_issues::update(&mut tx, id, body.version, &r).await?;
    saved.version =
        issue_followups::set_resource(&mut tx, id, saved.version, body.resource_id).await?;
    tx.commit().await?;
    Ok(ok(saved))
}

#[utoipa::path(
    post,
    path = "/issues/{id}/release",
    tag = "issues",
    summary = "地域課題を協議会へ公開する（主任相談支援専門員・管理者）",
    description = "本文に利用者台帳の氏名・住所・電話番号・生年月日などが残っていれば 422（fields に項目ごとの理由）。version が古ければ 409。",
    params(("id" = i64, Path, description = "地域課題の id")),
    request_body = IssueRelease,
    responses(
        (status = 200, body = super::Saved),
    ),
)]
async fn release_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IssueRelease>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let version = regional_issues::release(&mut tx, id, body.version).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version }))
}

/// An edit of an own category: the fields and the version read.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct CategoryUpdate {
    /// 読み込んだときの version（古ければ 409）
    pub version: i32,
    #[serde(flatten)]
    pub category: OwnCategoryInput,
}

/// The defaults the office does not offer for new issues.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct UnusedCategories {
    /// 使わない既定の分類のコード（other は指定できません。既存の地域課題の分類はそのまま）
    pub unused: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/issues/categories",
    tag = "issues",
    summary = "事業所の地域課題の分類（使わない既定の分類と、事業所の分類）",
    responses(
        (status = 200, body = CategoryList),
    ),
)]
async fn list_categories(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = issue_categories::list(&mut tx).await?;
    tx.commit().await?;
    Ok(ok(list))
}

#[utoipa::path(
    post,
    path = "/issues/categories",
    tag = "issues",
    summary = "事業所の分類を加える（主任相談支援専門員・管理者）",
    description = "counts_as は、この分類の地域課題を地域（協議会）で数えるときの既定の分類です（省略すると other）。",
    request_body = OwnCategoryInput,
    responses(
        (status = 201, body = OwnCategory),
    ),
)]
async fn add_category(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<OwnCategoryInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    let r = body.validate().map_err(AppError::Invalid)?;
    let saved = issue_categories::add(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(created(saved))
}

#[utoipa::path(
    put,
    path = "/issues/categories/{id}",
    tag = "issues",
    summary = "事業所の分類を直す・使用をやめる（主任相談支援専門員・管理者）",
    description = "version が古ければ 409。counts_as を変えると、この分類の地域課題は地域でその分類として数えられます。",
    params(("id" = i64, Path, description = "事業所の分類の id")),
    request_body = CategoryUpdate,
    responses(
        (status = 200, body = OwnCategory),
    ),
)]
async fn update_category(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CategoryUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    let r = body.category.validate().map_err(AppError::Invalid)?;
    let saved = issue_categories::update(&mut tx, id, body.version, &r).await?;
    tx.commit().await?;
    Ok(ok(saved))
}

#[utoipa::path(
    put,
    path = "/issues/categories/unused",
    tag = "issues",
    summary = "使わない既定の分類を決める（主任相談支援専門員・管理者）",
    request_body = UnusedCategories,
    responses(
        (status = 200, body = CategoryList),
    ),
)]
async fn set_unused_categories(
    State(st): State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<UnusedCategories>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    let mut unused = Vec::new();
    for c in &body.unused {
        match IssueCategory::from_code(c.trim()) {
            Some(IssueCategory::Other) => {
                return Err(AppError::field(
                    "unused",
                    "「その他」は使わない分類にできません。どの分類にも入らない課題の置き場所です。",
                )
                .into());
            }
            Some(c) => unused.push(c),
            None => {
                return Err(AppError::field(
                    "unused",
                    "一覧にある既定の分類のコードで指定してください。",
                )
                .into());
            }
        }
    }
    let list = issue_categories::set_unused(&mut tx, &unused).await?;
    tx.commit().await?;
    Ok(ok(list))
}
