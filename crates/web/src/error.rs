//! Errors as the user sees them: a Japanese page (or JSON for the API) that says what to do.
//! Not-permitted and not-existing are the same 404.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use yorisoi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Rule(String),
    #[error("csrf")]
    Csrf,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict,
            StoreError::Rule(m) => AppError::Rule(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => "お探しのページ・記録は見つかりませんでした。URLを確かめるか、一覧から選び直してください。".into(),
            AppError::Conflict => "ほかの職員が先にこの記録を更新しました。画面を読み込み直して最新の内容を確かめてから、もう一度入力してください。".into(),
            AppError::BadRequest(m) | AppError::Rule(m) => m.clone(),
            AppError::Csrf => "フォームの有効期限が切れたか、正しくない送信です。ページを読み込み直してから、もう一度送信してください。".into(),
            AppError::Internal(_) => "システムで問題が起きました。入力内容は保存されていない可能性があります。時間をおいてもう一度お試しください。続く場合は管理者に連絡してください。".into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let page = crate::views::ErrorPage {
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
