//! Form bodies as browsers send them (repeated keys for checkboxes), refused with a Japanese
//! message rather than a bare 4xx when they cannot be read.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), 1024 * 1024)
            .await
            .map_err(|_| {
                AppError::BadRequest("送信された内容が大きすぎます（1MBまで）。".into())
            })?;
        serde_html_form::from_bytes(&bytes)
            .map(Form)
            .map_err(|_| AppError::BadRequest("送信された内容を読み取れませんでした。ページを読み込み直して、もう一度入力してください。".into()))
    }
}

/// The hidden fields every edit form carries.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VersionField {
    pub version: String,
}

/// The checkbox that keeps a record in use (staff, team members, resources are never deleted).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActiveField {
    pub active: String,
}

impl ActiveField {
    pub fn is_active(&self) -> bool {
        yorisoi_domain::text::is_yes(&self.active)
    }
}

pub fn parse_version(v: &str) -> Result<i32, AppError> {
    v.trim().parse().map_err(|_| {
        AppError::BadRequest(
            "版数（version）が正しくありません。ページを読み込み直してください。".into(),
        )
    })
}

/// A form body kept as bytes, so that one body can be read as several structs (the record's
/// fields, and the hidden fields around them).
pub struct RawForm(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawForm {
    type Rejection = AppError;
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        axum::body::to_bytes(req.into_body(), 1024 * 1024)
            .await
            .map(RawForm)
            .map_err(|_| AppError::BadRequest("送信された内容が大きすぎます（1MBまで）。".into()))
    }
}

impl RawForm {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_html_form::from_bytes(&self.0)
            .map_err(|_| AppError::BadRequest("送信された内容を読み取れませんでした。ページを読み込み直して、もう一度入力してください。".into()))
    }
}
