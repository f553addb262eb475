//! The admin screens' forms: a staff member added or edited, their activation, the retention
//! period, an API token issued, and the audit log's filters.

use crate::error::AppError;
use crate::kit::audit::AuditSearch;
use crate::kit::form::{RawForm, VersionField, parse_version};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::Role;

/// A new staff member (the store's input: login, name, role, initial password).
pub use yorisoi_store::users::NewUser;

/// A staff member's name and role as typed on the edit form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct StaffEdit {
    pub display_name: String,
    pub role: String,
}

impl StaffEdit {
    /// The role chosen, or the message beside the field.
    pub fn role(&self) -> Result<Role, FieldErrors> {
        Role::from_code(self.role.trim()).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("role", "役割を一覧から選んでください。");
            e
        })
    }
}

impl StaffEdit {
    /// The edit form as sent, and the version it was read at.
    pub fn read(body: &RawForm) -> Result<(Self, i32), AppError> {
        let version = body.parse::<VersionField>()?.parse()?;
        Ok((body.parse()?, version))
    }
}

/// 有効にする・無効にする on the staff list.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActiveInput {
    pub active: String,
    pub version: String,
}

impl ActiveInput {
    /// (active, version), or a 400 when the buttons' values were tampered with.
    pub fn read(&self) -> Result<(bool, i32), AppError> {
        let version = parse_version(&self.version)?;
        let active = match self.active.as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(AppError::BadRequest(
                    "有効・無効の指定が正しくありません。".into(),
                ));
            }
        };
        Ok((active, version))
    }
}

/// 記録の保存期間 as typed (years after the end of support).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RetentionInput {
    pub years: String,
}

impl RetentionInput {
    /// The number typed (full-width digits too); the store decides the range.
    pub fn years(&self) -> Result<i32, AppError> {
        yorisoi_domain::text::nfkc(self.years.trim())
            .parse::<i32>()
            .map_err(|_| AppError::field("years", "年数を数字で入力してください（例: 5）。"))
    }
}

/// An API token to issue: what it is for, and whose it is.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenInput {
    pub name: String,
    pub user: String,
    /// read | write (empty reads as read, the narrower)
    pub scope: String,
    /// Days it stays valid, as typed (empty: the default)
    pub days: String,
}

impl TokenInput {
    /// The scope and days as the store takes them; a typed value that is not a number is a
    /// field error in Japanese.
    pub fn parsed(
        &self,
    ) -> Result<(yorisoi_store::api_tokens::TokenScope, i64), crate::error::AppError> {
        use yorisoi_store::api_tokens::{DEFAULT_DAYS, MAX_DAYS, TokenScope};
        let scope = match self.scope.as_str() {
            "" => TokenScope::Read,
            s => TokenScope::from_code(s).ok_or_else(|| {
                crate::error::AppError::field(
                    "scope",
                    "範囲は「読み取りのみ」か「読み書き」から選んでください。",
                )
            })?,
        };
        let days = yorisoi_domain::text::nfkc(self.days.trim());
        let days = if days.is_empty() {
            DEFAULT_DAYS
        } else {
            days.parse::<i64>().map_err(|_| {
                crate::error::AppError::field(
                    "days",
                    format!("有効期間は 1〜{MAX_DAYS} の数字（日数）で入力してください。"),
                )
            })?
        };
        Ok((scope, days))
    }
}

/// The audit log's filters as typed, and the page (1-based).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub user: String,
    pub client: String,
    pub action: String,
    pub from: String,
    pub until: String,
    pub page: String,
    pub verify: String,
}

impl AuditQuery {
    pub fn search(&self) -> AuditSearch<'_> {
        AuditSearch {
            user: &self.user,
            client: &self.client,
            action: &self.action,
            from: &self.from,
            until: &self.until,
        }
    }

    /// The 0-based page asked for (a link is never an error: a bad number is the first page).
    pub fn page(&self) -> u64 {
        self.page
            .trim()
            .parse::<u64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000)
            - 1
    }
}

/// サインインの制限を解除: the reason goes into the audit log.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct UnlockInput {
    pub reason: String,
}

/// 二段階認証の方針 as typed: the mode code and the last day of the grace period.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PolicyInput {
    pub mode: String,
    pub grace_until: String,
}

/// パスワードの再設定: a temporary password the staff member must change at their next
/// sign-in (never sent back to the page).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ResetInput {
    pub password: String,
    pub confirm_password: String,
}

impl ResetInput {
    /// The confirmation must match what was typed first.
    pub fn confirmed(&self) -> Result<&str, AppError> {
        if self.password != self.confirm_password {
            return Err(AppError::field(
                "confirm_password",
                "確認のパスワードが一致しません。もう一度入力してください。",
            ));
        }
        Ok(&self.password)
    }
}

/// セッションをすべて終了: an optional reason for the audit log.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EndSessionsInput {
    pub reason: String,
}
