//! 重複をまとめる: an issue's duplicate (another issue of the office) merged into it — the
//! duplicate's cases move here, the duplicate is kept, marked 統合済み and closed to edits. One
//! screen chooses the other issue and shows both before the merge; both versions are checked.

use super::vignettes::{issue_opts, query_id};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, RawForm, parse_version};
use crate::kit::links::see_other;
use crate::kit::render::{Nav, render, render_status};
use askama::Template;
use axum::extract::{Path, Query, State};
use yorisoi_store::issue_followups::{self, IssueRef};
use yorisoi_store::regional_issues::{self, RegionalIssue};

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MergeQuery {
    pub other: String,
}

/// The merge form: the versions of both issues as they were shown.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MergeForm {
    pub version: String,
    pub other: String,
    pub other_version: String,
}

/// One side of the merge as shown.
pub struct Side {
    pub id: i64,
    pub title: String,
    pub need: String,
    pub status: &'static str,
    pub cases: usize,
    pub version: i32,
}

impl Side {
    fn of(i: &RegionalIssue) -> Self {
        Side {
            id: i.id,
            title: i.record.title.clone(),
            need: i.record.need.clone(),
            status: i.record.status.label(),
            cases: i.case_ids.len() + i.other_cases,
            version: i.version,
        }
    }
}

#[derive(Template)]
#[template(path = "issue_merge.html")]
pub struct MergePage {
    pub nav: Nav,
    pub this: Side,
    pub other: Option<Side>,
    pub choices: Vec<(String, String, bool)>,
    pub form: EditState<MergeForm>,
}

async fn page(
    st: &AppState,
    user: &Authed,
    id: i64,
    other: Option<i64>,
    form: EditState<MergeForm>,
) -> Result<MergePage, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let this = regional_issues::get(&mut tx, id).await?;
    let followup = issue_followups::of(&mut tx, id).await?;
    if let Some(into) = followup.merged_into {
        tx.commit().await?;
        return Err(AppError::Rule(format!(
            "この地域課題は #{} にまとめてあります。",
            into.id
        )));
    }
    let choices: Vec<IssueRef> = issue_followups::choices(&mut tx)
        .await?
        .into_iter()
        .filter(|i| i.id != id)
        .collect();
    let other = match other {
        Some(o) if choices.iter().any(|c| c.id == o) => {
            Some(Side::of(&regional_issues::get(&mut tx, o).await?))
        }
        _ => None,
    };
    tx.commit().await?;
    let current = other.as_ref().map(|o| o.id.to_string()).unwrap_or_default();
    Ok(MergePage {
        nav: Nav::new(user, "issues"),
        this: Side::of(&this),
        other,
        choices: issue_opts(&choices, &current),
        form,
    })
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<MergeQuery>,
) -> PageResult {
    let other = query_id(&q.other, "地域課題")?;
    match page(
        &st,
        &user,
        id,
        other,
        EditState::new(MergeForm::default(), ""),
    )
    .await
    {
        Ok(p) => render(&p),
        // A merged issue has nothing to merge into it: back to its page, which says where.
        Err(AppError::Rule(_)) => Ok(see_other(&format!("/issues/{id}"))),
        Err(e) => Err(e),
    }
}

pub async fn merge(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: MergeForm = body.parse()?;
    let version = parse_version(&form.version)?;
    let other_version = parse_version(&form.other_version)?;
    let other = query_id(&form.other, "地域課題")?
        .ok_or_else(|| AppError::BadRequest("まとめる地域課題を一覧から選んでください。".into()))?;
    let mut tx = st.store.begin(user.actor()).await?;
    match issue_followups::merge(&mut tx, id, version, other, other_version).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/{id}?saved=merged")))
        }
        Err(e) => {
            tx.rollback().await?;
            let state = match AppError::from(e) {
                AppError::Conflict => EditState {
                    conflict: true,
                    ..EditState::new(form, "")
                },
                e => EditState::refused(form, "", e, None)?,
            };
            let status = state.status();
            render_status(&page(&st, &user, id, Some(other), state).await?, status)
        }
    }
}
