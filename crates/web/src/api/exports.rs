//! The office's 利用者台帳 and 受給者証 as CSV for Excel, the same export as the client list's
//! 「CSVで書き出す」 (`kit::csv_export`): the clients the user may see, logged as an export.

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiResult;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_csv))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ExportQuery {
    /// utf8（BOM付き、既定）、utf8-nobom、cp932（Shift_JIS）
    pub encoding: String,
}

#[utoipa::path(
    get,
    path = "/exports/{what}",
    tag = "clients",
    summary = "利用者台帳・受給者証をCSVで書き出す",
    description = "what=clients は利用者台帳（1人1行）、what=certificates は受給者証（版ごとに1行）、what=plans は効力のある計画（終結していないケースの最新の本計画）の行（1行1課題）、what=monitorings は終結していないケースのモニタリング実施月（実施済み・未実施（期限切れ）・今月・予定）。見てよい利用者全員。日付は西暦（YYYY-MM-DD）、改行は CRLF。encoding=cp932 で表せない文字（𠮷 など）があれば書き出さずに 422（rule）で文字を示します。書き出しは操作記録（export）に残ります。",
    params(("what" = String, Path, description = "clients、certificates、plans または monitorings"), ExportQuery),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
    ),
)]
async fn export_csv(
    State(st): State<AppState>,
    user: Authed,
    super::ApiPath(what): super::ApiPath<String>,
    super::ApiQuery(q): super::ApiQuery<ExportQuery>,
) -> ApiResult {
    Ok(crate::kit::csv_export::download(&st, user.actor(), &what, &q.encoding).await?)
}
