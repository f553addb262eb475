//! Why a request failed, in one place: [`AppError`] classifies every failure once (from the
//! store, the domain's validation, the request itself) and renders it as a Japanese page that
//! says what to do; [`ApiError`] renders the same classification as JSON for the API.
//! Not-permitted and not-existing are the same 404.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use yorisoi_domain::FieldErrors;
use yorisoi_store::StoreError;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Absent or not permitted (never told apart).
    #[error("not found")]
    NotFound,
    /// The record changed since it was read.
    #[error("conflict")]
    Conflict,
    /// The request itself could not be read (a malformed body, a bad parameter).
    #[error("{0}")]
    BadRequest(String),
    /// Values refused, keyed by field, each message saying what to do.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// A rule refused the change as a whole.
    #[error("{0}")]
    Rule(String),
    /// No session or token (the API; pages redirect to sign-in instead).
    #[error("unauthorized")]
    Unauthorized,
    #[error("csrf")]
    Csrf,
    /// Signed in, but this credential may not do this (a read-only API token that writes).
    #[error("{0}")]
    Forbidden(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests(String),
    /// An admin reset the password; it must be changed before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// A fault of ours; the source is logged, never shown.
    #[error("internal: {0}")]
    Internal(#[source] BoxError),
}

impl AppError {
    pub fn internal(e: impl Into<BoxError>) -> Self {
        AppError::Internal(e.into())
    }

    /// One field's value refused.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, message);
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict,
            StoreError::Rule(m) => AppError::Rule(m),
            StoreError::Invalid(f) => AppError::Invalid(f),
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(Box::new(e))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) | AppError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Csrf | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code of the API's error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Conflict => "conflict",
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Rule(_) => "rule",
            AppError::Unauthorized => "unauthorized",
            AppError::Csrf => "csrf",
            AppError::Forbidden(_) => "forbidden",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => "お探しのページ・記録は見つかりませんでした。URLを確かめるか、一覧から選び直してください。".into(),
            AppError::Conflict => "この記録は、読み込んだあとに更新されています（ほかの職員か、別のタブ・端末での保存です）。画面を読み込み直して最新の内容を確かめてから、もう一度入力してください。".into(),
            AppError::BadRequest(m)
            | AppError::Rule(m)
            | AppError::TooManyRequests(m)
            | AppError::Forbidden(m) => m.clone(),
            AppError::Invalid(f) => {
                let all: Vec<&str> = f.0.values().map(String::as_str).collect();
                format!("入力に問題があります。{}", all.join(" "))
            }
            AppError::Unauthorized => "サインインするか、有効なAPIトークンを Authorization: Bearer で送ってください。".into(),
            AppError::Csrf => "フォームの有効期限が切れたか、正しくない送信です。ページを読み込み直してから、もう一度送信してください。".into(),
            AppError::UnsupportedMediaType => "送信の形式（Content-Type）が違います。画面のフォームから送るか、API は application/json で送ってください。".into(),
            AppError::PayloadTooLarge => "送信された内容が大きすぎます（1MBまで、ファイルは10MBまで）。".into(),
            AppError::PasswordChangeRequired => "管理者がパスワードを再設定しました。新しいパスワードに変更するまで、ほかの操作はできません。画面の「自分の設定」→「パスワードの変更」（/account/password）か、POST /api/v1/account/password で変更してください。".into(),
            AppError::Internal(_) => "システムで問題が起きました。入力内容は保存されていない可能性があります。時間をおいてもう一度お試しください。続く場合は管理者に連絡してください。".into(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(source) = self {
            tracing::error!(error = %source, "internal error");
        }
    }
}

/// The error page of the HTML screens.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let page = crate::kit::render::ErrorPage {
            status: self.status().as_u16(),
            message: self.message(),
        };
        let body = askama::Template::render(&page).unwrap_or_else(|_| self.message());
        (self.status(), Html(body)).into_response()
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub type PageResult = Result<Response, AppError>;

/// The same failure for the JSON API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

/// The body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"error": "invalid", "message": "入力に問題があります。", "fields": {"birth_date": "生年月日を 1981-05-12 や 昭和56年5月12日 の形で入力してください。"}}))]
pub struct ErrorBody {
    /// not_found, conflict, bad_request, invalid, rule, unauthorized, csrf,
    /// unsupported_media_type, payload_too_large, too_many_requests, password_change_required,
    /// internal
    pub error: &'static str,
    /// What to do, in Japanese.
    pub message: String,
    /// Field name → message (422 `invalid` only; empty otherwise).
    pub fields: std::collections::BTreeMap<String, String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let body = ErrorBody {
            error: e.code(),
            message: match &e {
                AppError::Invalid(_) => "入力に問題があります。fields を見てください。".into(),
                other => other.message(),
            },
            fields: match &e {
                AppError::Invalid(f) => f.0.clone(),
                _ => Default::default(),
            },
        };
        (e.status(), Json(body)).into_response()
    }
}

pub type ApiResult<T = Response> = Result<T, ApiError>;
