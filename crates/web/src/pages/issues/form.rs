//! The issues' forms: the list's filters, where a new issue comes from, the issue's fields.

use crate::error::AppError;
use crate::kit::form::{RawForm, VersionField};
use yorisoi_domain::region::{CategoryList, IssueStatus, RegionalIssueInput};
use yorisoi_store::regional_issues::{IssueFilter, IssueSort};

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub category: String,
    pub status: String,
    /// updated (default), raised, category, people
    pub sort: String,
    pub saved: String,
    /// "yes": list the issues merged into another too (統合済み).
    pub merged: String,
}

impl ListQuery {
    /// The filter, the category read against the office's list.
    pub fn filter(&self, list: &CategoryList) -> IssueFilter {
        IssueFilter {
            category: list.resolve(&self.category),
            status: IssueStatus::from_code(self.status.trim()),
            q: self.q.clone(),
            sort: IssueSort::from_code(self.sort.trim()),
            include_merged: yorisoi_domain::text::is_yes(&self.merged),
        }
    }
}

/// `/issues/new?source=meeting&id=N` (or `monitoring`, with `goal` the goal's index; or `need`,
/// with `id` the plan version and `row` the row's key).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub source: String,
    pub id: String,
    pub goal: String,
    pub row: String,
}

impl NewQuery {
    /// The record id asked for, or none when absent; a malformed one is a 400.
    pub fn id(&self) -> Result<Option<i64>, AppError> {
        match self.id.trim() {
            "" => Ok(None),
            s => s
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest("元の記録の番号が正しくありません。".into())),
        }
    }
}

/// The form: the issue's fields, and the case it is raised from (a new issue only).
#[derive(Debug, Clone, Default)]
pub struct IssueForm {
    pub issue: RegionalIssueInput,
    pub case_id: String,
    /// The 社会資源 a resolved issue led to (an id of the directory, or "").
    pub resource_id: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CaseField {
    case_id: String,
    resource_id: String,
}

impl IssueForm {
    pub fn read(body: &RawForm) -> Result<Self, AppError> {
        let f = body.parse::<CaseField>()?;
        Ok(IssueForm {
            issue: body.parse()?,
            case_id: f.case_id,
            resource_id: f.resource_id,
        })
    }

    /// The form as sent, and the version it was read at.
    pub fn read_versioned(body: &RawForm) -> Result<(Self, i32), AppError> {
        let version = body.parse::<VersionField>()?.parse()?;
        Ok((Self::read(body)?, version))
    }

    /// The 社会資源 chosen, if any (a value not from the list is refused on its field).
    pub fn resource_id(&self) -> Result<Option<i64>, AppError> {
        match self.resource_id.trim() {
            "" => Ok(None),
            s => s
                .parse()
                .map(Some)
                .map_err(|_| AppError::field("resource_id", "社会資源を一覧から選んでください。")),
        }
    }

    /// The linked case, if any.
    pub fn case_id(&self) -> Result<Option<i64>, AppError> {
        match self.case_id.trim() {
            "" => Ok(None),
            s => s
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest("ケースの番号が正しくありません。".into())),
        }
    }
}
