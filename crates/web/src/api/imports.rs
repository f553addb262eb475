//! The ledger import as an API: the page's and `yorisoi import`'s checks (`kit::import`) on a
//! file sent as the request body — every row's problems in Japanese and nothing saved unless the
//! whole file is good, then all of it in one unit of work, logged with its counts.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::kit::{import, import_file};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::import::{Counts, DuplicateChoice, RowError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_clients))
        .routes(routes!(import_resources))
        .routes(routes!(import_team))
        .layer(DefaultBodyLimit::max(import_file::MAX_BYTES))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ImportQuery {
    /// 既にいる人（受給者証番号、または氏名＋生年月日が同じ）をどうするか: skip（既定・飛ばす）、update（台帳を更新）、new（別の人として登録）
    pub duplicates: String,
    /// true なら確かめるだけで保存しない
    pub dry_run: bool,
}

/// What the import did (or, for a dry run, would do).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportDone {
    #[serde(flatten)]
    pub counts: Counts,
    pub dry_run: bool,
}

/// Every problem of the file; nothing was saved.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportProblems {
    /// invalid_file
    pub error: &'static str,
    pub message: String,
    /// The mapping's problems (a required column missing), each in Japanese.
    pub mapping: Vec<String>,
    /// Each row's problems: row as the spreadsheet numbers it, column as its header.
    pub rows: Vec<RowError>,
}

/// 422 with every problem of a file (nothing was saved).
fn problems(
    message: String,
    mapping: Vec<String>,
    rows: Vec<RowError>,
) -> axum::response::Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ImportProblems {
            error: "invalid_file",
            message,
            mapping,
            rows,
        }),
    )
        .into_response()
}

#[utoipa::path(
    post,
    path = "/clients/import",
    tag = "clients",
    summary = "利用者台帳を取り込む（Excel・CSV）",
    description = "本文に .xlsx か CSV（UTF-8 または Shift_JIS/CP932）をそのまま送ります（5MBまで）。列は見出しで対応づけます（取り込み用テンプレートの見出し、または「氏名」「生年月日」などよくある見出し）。生年月日は和暦・西暦どちらでも。1行でも問題があれば何も保存せず、422 で全行の問題（行・列・直し方）を返します。問題がなければ全行を1つのトランザクションで保存し、件数を返します。既にいる人は duplicates の指定どおり。事業所全体の台帳を書ける職員（管理者・主任・事務）だけ（ほかは 404）。取り込みは件数とともに操作記録に残ります。",
    params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = ".xlsx または CSV のファイルそのもの"),
    responses(
        (status = 200, body = ImportDone),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, body = ImportProblems),
    ),
)]
async fn import_clients(
    State(st): State<AppState>,
    user: Authed,
    super::ApiQuery(q): super::ApiQuery<ImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    {
        let tx = st.store.read(user.actor()).await?;
        yorisoi_store::imports::check_may_import(&tx)?;
        tx.commit().await?;
    }
    let code = if q.duplicates.is_empty() {
        "skip"
    } else {
        q.duplicates.as_str()
    };
    let Some(choice) = DuplicateChoice::from_code(code) else {
        return Err(AppError::field(
            "duplicates",
            "duplicates は skip・update・new のどれかです。",
        )
        .into());
    };
    let bytes = body.map_err(|_| AppError::PayloadTooLarge)?;
    let rows = match import_file::decode(&bytes) {
        Ok(r) => r,
        Err(m) => return Ok(problems(m, Vec::new(), Vec::new())),
    };
    let p = import::preview(&st.store, user.actor(), &rows, None).await?;
    if !p.is_valid() {
        let n = p.messages().len();
        return Ok(problems(
            format!("直すところが{n}件あります。何も保存していません。"),
            p.mapping_errors.clone(),
            p.parsed.errors.clone(),
        ));
    }
    let steps = import::plan(&p, |_| choice);
    if q.dry_run {
        return Ok(super::ok(ImportDone {
            counts: import::count(&steps),
            dry_run: true,
        }));
    }
    match import::run(&st.store, user.actor(), &steps, |_| {}).await {
        Ok(counts) => Ok(super::ok(ImportDone {
            counts,
            dry_run: false,
        })),
        Err(r) if r.conflict => Err(AppError::Conflict.into()),
        Err(r) => Err(AppError::Rule(r.message).into()),
    }
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ResourceImportQuery {
    /// true なら確かめるだけで登録しない
    pub dry_run: bool,
}

#[utoipa::path(
    post,
    path = "/resources/import",
    tag = "resources",
    summary = "社会資源を取り込む（Excel・CSV）",
    description = "本文に .xlsx か CSV（UTF-8 または Shift_JIS/CP932）をそのまま送ります（5MBまで）。見出しは「名称」（必須）「区分」「サービスの種類」「担当者」「電話」「住所」「備考」（「事業所名」「種別」「電話番号」「所在地」なども可）。1行でも問題があれば何も登録せず 422 で全行の問題を返します。同じ名称が登録済みの行は読み飛ばし、skipped に返します。取り込みは件数とともに操作記録に残ります。",
    params(ResourceImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = ".xlsx または CSV のファイルそのもの"),
    responses(
        (status = 200, body = crate::kit::resource_import::ResourceImportDone),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, body = ImportProblems),
    ),
)]
async fn import_resources(
    State(st): State<AppState>,
    user: Authed,
    super::ApiQuery(q): super::ApiQuery<ResourceImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let bytes = body.map_err(|_| AppError::PayloadTooLarge)?;
    match crate::kit::resource_import::run(&st.store, user.actor(), bytes.to_vec(), q.dry_run)
        .await?
    {
        Ok(done) => Ok(super::ok(done)),
        Err(p) => Ok(problems(p.message, Vec::new(), p.rows)),
    }
}

#[utoipa::path(
    post,
    path = "/clients/import/team",
    tag = "clients",
    summary = "ケアチームを取り込む（Excel・CSV）",
    description = "本文に .xlsx か CSV（UTF-8 または Shift_JIS/CP932）をそのまま送ります（5MBまで）。1行に1人。誰のチームかは「受給者証番号」、または「利用者氏名」と「利用者の生年月日」（和暦・西暦）。メンバーは「種別」（家族・サービス事業所・市町村 …、「母」「作業所」なども可）「氏名」「所属」「連絡先」「役割」。1行でも問題があれば何も登録せず 422 で全行の問題を返します。同じ人がそのチームにいる行は読み飛ばし、skipped に返します。全員の台帳とチームを扱える職員（管理者・主任）だけ（ほかは 404）。取り込みは件数とともに操作記録に残ります。",
    params(ResourceImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = ".xlsx または CSV のファイルそのもの"),
    responses(
        (status = 200, body = crate::kit::team_import::TeamImportDone),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, body = ImportProblems),
    ),
)]
async fn import_team(
    State(st): State<AppState>,
    user: Authed,
    super::ApiQuery(q): super::ApiQuery<ResourceImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let bytes = body.map_err(|_| AppError::PayloadTooLarge)?;
    match crate::kit::team_import::run(&st.store, user.actor(), bytes.to_vec(), q.dry_run).await? {
        Ok(done) => Ok(super::ok(done)),
        Err(p) => Ok(problems(p.message, Vec::new(), p.rows)),
    }
}
