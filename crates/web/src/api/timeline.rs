//! 経過の一覧 over JSON: every record of a case the user may see, filtered by kind, period and
//! words, as the timeline page lists them.

use super::{ApiPath, ApiQuery, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::kit::timeline::{Entry, collect, counts};
use crate::pages::timeline::form::TimelineQuery;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::cases;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_timeline))
}

/// How many entries of one kind the case has (before filtering).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub kind: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// The case's timeline.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Timeline {
    pub case_id: i64,
    pub client_id: i64,
    /// 絞り込む前の件数
    pub total: usize,
    pub kinds: Vec<KindCount>,
    /// 絞り込んだ記録（既定は新しい順）
    pub items: Vec<Entry>,
}

#[utoipa::path(
    get,
    path = "/cases/{id}/timeline",
    tag = "timeline",
    summary = "ケースの経過の一覧",
    description = "インテーク、アセスメント、計画、会議、モニタリング、意思決定支援、支援経過記録、終結を日付順に。種類・期間・語句で絞り込めます。",
    params(("id" = i64, Path, description = "ケースのid"), TimelineQuery),
    responses(
        (status = 200, body = Timeline),
        (status = 422, description = "from / until の日付が読めない", body = ErrorBody)
    ),
)]
async fn get_timeline(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(case_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult {
    let (filter, errors) = q.filter();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    tx.client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let (_, all) = collect(&mut tx, case_id, client_id).await?;
    tx.commit().await?;
    let kinds = counts(&all)
        .into_iter()
        .map(|(kind, label, count)| KindCount { kind, label, count })
        .collect();
    Ok(ok(Timeline {
        case_id,
        client_id,
        total: all.len(),
        kinds,
        items: filter.apply(all),
    }))
}
