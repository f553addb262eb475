//! Form bodies as browsers send them (`application/x-www-form-urlencoded`, repeated keys for
//! checkboxes), refused with a Japanese message rather than a bare 4xx when they cannot be
//! read; and [`EditState`], the one shape of "show the form again".

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use yorisoi_domain::FieldErrors;

/// The largest form body (the section editors send many rows).
pub const MAX_FORM: usize = 1024 * 1024;

const UNREADABLE: &str =
    "送信された内容を読み取れませんでした。ページを読み込み直して、もう一度入力してください。";

/// Whether a request carries a browser form (`application/x-www-form-urlencoded`).
pub fn is_urlencoded(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// A typed form body.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let raw = RawForm::from_request(req, state).await?;
        raw.parse().map(Form)
    }
}

/// A form body kept as bytes, so that one body can be read as several structs (the record's
/// fields, and the hidden fields around them) without reading it twice from the wire.
pub struct RawForm(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawForm {
    type Rejection = AppError;
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        if !is_urlencoded(req.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        axum::body::to_bytes(req.into_body(), MAX_FORM)
            .await
            .map(RawForm)
            .map_err(|_| AppError::PayloadTooLarge)
    }
}

impl RawForm {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        // Browsers send UTF-8; anything else is refused rather than stored as U+FFFD, whether
        // the bytes came raw or percent-encoded (the decoder would replace them silently).
        if std::str::from_utf8(&self.0).is_err() || !decodes_to_utf8(&self.0) {
            return Err(AppError::BadRequest(UNREADABLE.into()));
        }
        serde_html_form::from_bytes(&self.0).map_err(|_| AppError::BadRequest(UNREADABLE.into()))
    }

    /// Every field as (name, value) pairs in submitted order.
    pub fn pairs(&self) -> Result<Vec<(String, String)>, AppError> {
        self.parse()
    }
}

/// Whether the body's `%XX` escapes decode to UTF-8 (`&`, `=` and `+` are ASCII, so decoding the
/// whole body at once checks every key and value).
fn decodes_to_utf8(body: &[u8]) -> bool {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match (body[i], body.get(i + 1), body.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

/// The hidden field every edit form carries: the version the record was read at.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VersionField {
    pub version: String,
}

impl VersionField {
    pub fn parse(&self) -> Result<i32, AppError> {
        parse_version(&self.version)
    }
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

/// Parses an id from a form field, or refuses with a message.
pub fn parse_id(v: &str, what: &str) -> Result<i64, AppError> {
    v.trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{what}を一覧から選んでください。")))
}

/// Where a message of the error summary (`m::summary`) links: the field's own element
/// (`f-name`), or for a row of a grid (`family[1].age`) that row (`f-family-1`).
pub fn anchor(key: &str) -> String {
    match key.split_once('[') {
        Some((grid, rest)) => match rest.split_once(']') {
            Some((i, _)) if i.chars().all(|c| c.is_ascii_digit()) => format!("f-{grid}-{i}"),
            _ => format!("f-{grid}"),
        },
        // A field of a group (`child.play`) has its own element, named by the whole key.
        None => format!("f-{key}"),
    }
}

/// A form as it is shown: what was typed (or read), the messages beside its fields, the
/// version it was read at, whether a save was refused as stale, and what was just saved.
/// Every "show the form again" path builds one of these, so a rejected form always keeps what
/// was typed.
#[derive(Debug, Clone, Default)]
pub struct EditState<T> {
    pub input: T,
    pub errors: FieldErrors,
    /// The version of the record the input was read at ("" for a new record).
    pub version: String,
    /// A save was refused because the record changed since it was read; `version` is then the
    /// current one, so saving again overwrites knowingly.
    pub conflict: bool,
    /// A whole-form message (a rule that concerns no single field).
    pub rule: String,
    pub flash: String,
}

impl<T> EditState<T> {
    /// A form filled from the stored record (or blank for a new one).
    pub fn new(input: T, version: impl ToString) -> Self {
        EditState {
            input,
            errors: FieldErrors::new(),
            version: version.to_string(),
            conflict: false,
            rule: String::new(),
            flash: String::new(),
        }
    }

    /// The same input refused for the reasons in `errors`.
    pub fn rejected(input: T, version: impl ToString, errors: FieldErrors) -> Self {
        EditState {
            errors,
            ..Self::new(input, version)
        }
    }

    /// The input refused because the record is now at `current`.
    pub fn stale(input: T, current: impl ToString) -> Self {
        EditState {
            conflict: true,
            ..Self::new(input, current)
        }
    }

    /// The input refused by `e` when it is the kind of refusal a form shows beside its fields
    /// (a value, a rule, a stale version at `current`); any other error is given back.
    pub fn refused(
        input: T,
        version: impl ToString,
        e: AppError,
        current: Option<i32>,
    ) -> Result<Self, AppError> {
        match e {
            AppError::Invalid(errors) => Ok(Self::rejected(input, version, errors)),
            AppError::Rule(m) => Ok(EditState {
                rule: m,
                ..Self::new(input, version)
            }),
            AppError::Conflict => match current {
                Some(v) => Ok(Self::stale(input, v)),
                None => Err(AppError::Conflict),
            },
            other => Err(other),
        }
    }

    pub fn with_flash(mut self, flash: impl Into<String>) -> Self {
        self.flash = flash.into();
        self
    }

    /// The status the page is sent with: 409 when stale, 422 when refused, else 200.
    pub fn status(&self) -> StatusCode {
        if self.conflict {
            StatusCode::CONFLICT
        } else if !self.errors.is_empty() || !self.rule.is_empty() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    /// The message of `field`, or "".
    pub fn error(&self, field: &str) -> &str {
        self.errors.get(field).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoded_bytes_that_are_not_utf8_are_refused() {
        let ok = RawForm("a=%E3%81%82&b=x+y%26".into());
        assert!(ok.parse::<Vec<(String, String)>>().is_ok());
        for bad in ["a=%FF%FE", "a=%E3%81", "a=%E3&b=%81%82"] {
            let r = RawForm(bad.into()).parse::<Vec<(String, String)>>();
            assert!(matches!(r, Err(AppError::BadRequest(_))), "{bad}");
        }
    }

    #[test]
    fn summary_links_go_to_the_field_or_the_row() {
        assert_eq!(anchor("signer"), "f-signer");
        assert_eq!(anchor("family[1].age"), "f-family-1");
        assert_eq!(anchor("family"), "f-family");
        assert_eq!(anchor("child.play"), "f-child.play");
        assert_eq!(anchor("goals[x]"), "f-goals");
    }

    #[test]
    fn edit_state_status_follows_what_was_refused() {
        let s = EditState::new("x", 3);
        assert_eq!(s.status(), StatusCode::OK);
        assert_eq!(s.version, "3");
        let mut e = FieldErrors::new();
        e.add("name", "氏名を入力してください。");
        let s = EditState::rejected("x", 3, e);
        assert_eq!(s.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(s.error("name"), "氏名を入力してください。");
        let s = EditState::stale("x", 4);
        assert_eq!(
            (s.status(), s.version.as_str()),
            (StatusCode::CONFLICT, "4")
        );
        let s = EditState::refused("x", 3, AppError::Conflict, Some(5)).unwrap();
        assert!(s.conflict);
        assert!(EditState::refused("x", 3, AppError::NotFound, Some(5)).is_err());
        let s = EditState::refused("x", 3, AppError::Rule("だめ".into()), None).unwrap();
        assert_eq!(
            (s.status(), s.rule.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "だめ")
        );
    }
}
