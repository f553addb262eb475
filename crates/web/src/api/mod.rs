//! The JSON API under `/api/v1`: the same records, the same authorization (`Tx::client_access`)
//! and the same audit as the pages. Authenticated by a personal token (`Authorization: Bearer
//! ysi_…`) or by the browser session (then writes need the `X-CSRF-Token` header).
//!
//! One file per resource; each registers its handlers with `routes!` on an [`OpenApiRouter`],
//! so the OpenAPI document (`/api/v1/openapi.json`) is generated from the same registration
//! and the same types as the routes: it cannot list a route that does not exist or miss one.

pub mod account;
pub mod admin;
pub mod assessments;
pub mod cases;
pub mod certificates;
pub mod clients;
pub mod dashboard;
pub mod decisions;
pub mod documents;
pub mod exports;
pub mod fhir;
pub mod imports;
pub mod issue_merge;
pub mod issues;
pub mod joint_support;
pub mod meetings;
pub mod monitorings;
pub mod notes;
pub mod plans;
pub mod region;
pub mod resources;
pub mod second_factor;
pub mod shares;
pub mod team;
pub mod timeline;
pub mod tokens;
pub mod vignettes;

use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, AppError};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

/// The API's routes and its document, from one registration.
pub fn parts() -> (Router<AppState>, OpenApi) {
    let (router, mut doc) = OpenApiRouter::<AppState>::new()
        .merge(clients::routes())
        .merge(certificates::routes())
        .merge(notes::routes())
        .merge(dashboard::routes())
        .merge(timeline::routes())
        .merge(cases::routes())
        .merge(monitorings::routes())
        .merge(meetings::routes())
        .merge(plans::routes())
        .merge(team::routes())
        .merge(shares::routes())
        .merge(resources::routes())
        .merge(admin::routes())
        .merge(tokens::routes())
        .merge(second_factor::routes())
        .merge(account::routes())
        .merge(documents::routes())
        .merge(exports::routes())
        .merge(assessments::routes())
        .merge(decisions::routes())
        .merge(issues::routes())
        .merge(region::routes())
        .merge(issue_merge::routes())
        .merge(vignettes::routes())
        .merge(joint_support::routes())
        .merge(fhir::routes())
        .merge(imports::routes())
        .split_for_parts();
    describe(&mut doc);
    (router, doc)
}

/// The API router, mounted at `/api/v1`: everything but the document needs a user.
pub fn router() -> Router<AppState> {
    let (api, doc) = parts();
    let doc = std::sync::Arc::new(doc);
    api.route_layer(axum::middleware::from_fn(require_user))
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .layer(axum::middleware::from_fn(crate::auth::csrf::api))
        .fallback(|| async { ApiError(AppError::NotFound) })
}

/// The document as served.
pub fn openapi() -> OpenApi {
    parts().1
}

fn describe(doc: &mut OpenApi) {
    doc.info.title = "yorisoi API".into();
    doc.info.version = "1".into();
    doc.info.description = Some(
        "相談支援のケース記録の JSON API。画面と同じ権限・監査の下で、同じ記録を読み書きします。\
         他の事業所の記録や担当外の利用者の記録は、存在しない記録と同じ 404 になります。\
         書き込みの本文は画面の入力と同じ形（日付は西暦・和暦のどちらでも）で、\
         更新には読み込んだときの version が必要です（古ければ 409）。"
            .into(),
    );
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "管理者が「APIトークン」画面で発行する個人用トークン（ysi_…）",
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::cookies::SESSION_COOKIE,
            "ブラウザーのセッション。書き込みには X-CSRF-Token ヘッダーも必要です。",
        ))),
    );
    components.schemas.insert(
        "ErrorBody".into(),
        <crate::error::ErrorBody as utoipa::PartialSchema>::schema(),
    );
    add_error_responses(doc);
    let bearer =
        utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new());
    let session =
        utoipa::openapi::security::SecurityRequirement::new("session", Vec::<String>::new());
    doc.security = Some(vec![bearer, session]);
}

/// The failures every operation can answer (the extractors, the user, the policy, a body that
/// cannot be read), documented once for all of them with the one error body, so that a client
/// (or a fuzzer) finds every status it can get in the document. An operation's own description
/// of a status wins.
fn add_error_responses(doc: &mut OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let common: &[(&str, &str)] = &[
        ("400", "要求を読み取れない（URLの番号、クエリ、JSONの構文）"),
        ("401", "未認証（サインインまたは Bearer トークンが必要）"),
        (
            "403",
            "管理者がパスワードを再設定したため、変更するまで使えない（password_change_required）",
        ),
        ("404", "存在しない、または権限がない（区別しない）"),
        ("422", "入力の検証エラー（fields に項目ごとの理由）"),
    ];
    let writes: &[(&str, &str)] = &[
        (
            "403",
            "セッションでの書き込みに X-CSRF-Token がない、またはパスワードの変更が必要（password_change_required）",
        ),
        ("409", "version が古い（読み込んだあとに更新された）"),
        ("413", "本文が大きすぎる"),
        ("415", "Content-Type が違う（application/json で送る）"),
    ];
    let response = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
    };
    for item in doc.paths.paths.values_mut() {
        let ops = [
            (item.get.as_mut(), false),
            (item.post.as_mut(), true),
            (item.put.as_mut(), true),
            (item.delete.as_mut(), true),
            (item.patch.as_mut(), true),
        ];
        for (op, write) in ops {
            let Some(op) = op else { continue };
            let extra = if write { writes } else { &[] };
            for (status, what) in common.iter().chain(extra) {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| response(what).into());
            }
        }
    }
}

/// 401 as JSON for an API request without a user, before any handler runs.
async fn require_user(req: Request, next: Next) -> Response {
    if req.extensions().get::<Authed>().is_none() {
        return ApiError(AppError::Unauthorized).into_response();
    }
    next.run(req).await
}

/// A JSON body: refused as 415 without `Content-Type: application/json`, 413 when too large,
/// 400 when it is not JSON, 422 with the field when a value has the wrong type.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<Value>::from_request(req, state).await {
            Ok(Json(mut v)) => {
                // `null` means "not given", as an omitted field does: a record read from the
                // API can be sent back as it is.
                strip_nulls(&mut v);
                serde_path_to_error::deserialize(v)
                    .map(ApiJson)
                    .map_err(|e| {
                        let path = e.path().to_string();
                        let field = if path == "." {
                            "body".to_string()
                        } else {
                            path
                        };
                        ApiError(AppError::field(
                            &field,
                            format!("値の形が違います（{}）。", e.inner()),
                        ))
                    })
            }
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(ApiError(AppError::UnsupportedMediaType))
            }
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError(AppError::PayloadTooLarge)),
            Err(e) => Err(ApiError(AppError::BadRequest(format!(
                "JSONを読み取れませんでした: {}",
                e.body_text()
            )))),
        }
    }
}

fn strip_nulls(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, x| !x.is_null());
        map.values_mut().for_each(strip_nulls);
    }
}

/// Path parameters; one that is not a number is a JSON 400 (an id out of range is simply not
/// found).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => {
                Err(ApiError(AppError::BadRequest(
                    "URLの番号（id）が正しくありません。数字で指定してください。".into(),
                )))
            }
            Err(e) => Err(ApiError(AppError::BadRequest(e.body_text()))),
        }
    }
}

/// Query parameters; one that cannot be read is a JSON 400 that names it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiError(
                AppError::BadRequest(format!("クエリの値が正しくありません: {}", e.body_text())),
            )),
            Err(e) => Err(ApiError(AppError::BadRequest(e.body_text()))),
        }
    }
}

/// `?page=&per_page=` of a list: 1-based pages, at most 200 per page. A number out of range
/// is a 422 that says the range, never a panic deeper down.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct Paging {
    /// 1から始まるページ番号（既定 1、最大 100000）
    pub page: Option<i64>,
    /// 1ページの件数（既定 50、1〜200）
    pub per_page: Option<i64>,
}

impl Paging {
    pub const MAX_PAGE: i64 = 100_000;

    /// (0-based page, per page), or a 422 naming the parameter.
    pub fn resolve(&self) -> Result<(u64, u64), AppError> {
        let page = self.page.unwrap_or(1);
        if !(1..=Self::MAX_PAGE).contains(&page) {
            return Err(AppError::field(
                "page",
                format!(
                    "page は 1 から {} までの数で指定してください。",
                    Self::MAX_PAGE
                ),
            ));
        }
        let per_page = self.per_page.unwrap_or(50);
        if !(1..=200).contains(&per_page) {
            return Err(AppError::field(
                "per_page",
                "per_page は 1 から 200 までの数で指定してください。",
            ));
        }
        Ok(((page - 1) as u64, per_page as u64))
    }
}

/// A write body: the record's input fields and the `version` it was read at.
#[derive(Debug, serde::Deserialize)]
pub struct Versioned<T> {
    pub version: i32,
    #[serde(flatten)]
    pub body: T,
}

/// What a write returns: the record's id and its version after the write.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub id: i64,
    pub version: i32,
}

pub fn created<T: serde::Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

pub fn ok<T: serde::Serialize>(v: T) -> Response {
    Json(v).into_response()
}
