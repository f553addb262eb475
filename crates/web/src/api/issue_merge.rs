//! 重複をまとめる over JSON: another issue of the office merged into this one (its cases move
//! here, it is kept and marked merged). Both versions are checked: a stale one is 409 and
//! nothing changes. The same store function, authorization and audit as the page.

use super::{ApiJson, ApiPath, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiResult;
use axum::extract::State;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_store::issue_followups;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(merge_issue))
}

/// A merge: this issue's version, the other issue and its version.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct IssueMerge {
    /// この地域課題の、読み込んだときの version（古ければ 409）
    pub version: i32,
    /// まとめる（重複している）もう一方の地域課題の id
    pub other: i64,
    /// もう一方の、読み込んだときの version（古ければ 409）
    pub other_version: i32,
}

#[utoipa::path(
    post,
    path = "/issues/{id}/merge",
    tag = "issues",
    summary = "重複している地域課題をこの地域課題にまとめる",
    description = "もう一方の関連するケースはこちらへ移り（同じケースは一度だけ）、もう一方は統合済み（merged_into）として残り、変更も公開もできなくなります。どちらかの version が古ければ 409（何も変わりません）。",
    params(("id" = i64, Path, description = "まとめ先の地域課題の id")),
    request_body = IssueMerge,
    responses(
        (status = 200, body = super::Saved),
    ),
)]
async fn merge_issue(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IssueMerge>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let version =
        issue_followups::merge(&mut tx, id, body.version, body.other, body.other_version).await?;
    tx.commit().await?;
    Ok(ok(super::Saved { id, version }))
}
