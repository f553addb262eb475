//! 地域課題の分類: the office's category list — which of the default categories it offers, and
//! its own categories, each counted under a default once its issues leave the office. Seen by
//! whoever writes issues; set by a lead or an admin (others get the page without the forms, and
//! a 404 when they post, as the policy decides).

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::display::{Opt, opts};
use crate::kit::form::{EditState, RawForm, parse_version};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{Nav, render, render_status};
use askama::Template;
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{CategoryList, IssueCategory, OwnCategoryInput};
use yorisoi_store::issue_categories;
use yorisoi_store::regional_issues::{self, CountCell};

/// A default category as the page shows it: (code, label, used, issues).
pub struct DefaultLine {
    pub code: &'static str,
    pub label: &'static str,
    pub used: bool,
    /// その他 cannot be turned off.
    pub fixed: bool,
    pub issues: i64,
}

/// An own category with its edit form.
pub struct OwnLine {
    pub id: i64,
    pub label: String,
    pub counts_as: &'static str,
    pub active: bool,
    pub issues: i64,
    pub form: EditState<OwnCategoryInput>,
    pub counts_as_opts: Vec<Opt>,
    /// The edit was refused: the form is shown open.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "issue_categories.html")]
pub struct CategoriesPage {
    pub nav: Nav,
    pub may_write: bool,
    pub defaults: Vec<DefaultLine>,
    pub own: Vec<OwnLine>,
    pub add: EditState<OwnCategoryInput>,
    pub add_counts_as: Vec<Opt>,
    pub message: String,
    /// Why the defaults' form was refused ("" when it was not).
    pub unused_refused: String,
}

/// The form that was refused, to show again with what was typed.
enum Refused {
    None,
    Add(EditState<OwnCategoryInput>),
    Edit(i64, EditState<OwnCategoryInput>),
    Unused(String),
}

fn issues_in(counts: &[CountCell], c: IssueCategory, own: Option<i64>) -> i64 {
    counts
        .iter()
        .filter(|x| x.own_category == own && (own.is_some() || x.category == c))
        .map(|x| x.count)
        .sum()
}

fn counts_as_opts(current: &str) -> Vec<Opt> {
    let current = if current.trim().is_empty() {
        IssueCategory::Other.code()
    } else {
        current.trim()
    };
    opts(IssueCategory::ALL, |x| x.code(), |x| x.label(), current)
}

async fn page(
    st: &AppState,
    user: &Authed,
    refused: Refused,
    saved: &str,
) -> Result<CategoriesPage, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let list: CategoryList = issue_categories::list(&mut tx).await?;
    let counts = regional_issues::counts(&mut tx).await?;
    tx.commit().await?;
    let (mut add, mut edit, mut unused_refused) = (None, None, String::new());
    match refused {
        Refused::None => {}
        Refused::Add(f) => add = Some(f),
        Refused::Edit(id, f) => edit = Some((id, f)),
        Refused::Unused(m) => unused_refused = m,
    }
    let own = list
        .own
        .iter()
        .map(|c| {
            let (form, open) = match edit.take() {
                Some((id, f)) if id == c.id => (f, true),
                other => {
                    edit = other;
                    (
                        EditState::new(OwnCategoryInput::from_category(c), c.version),
                        false,
                    )
                }
            };
            OwnLine {
                id: c.id,
                label: c.label.clone(),
                counts_as: c.counts_as.label(),
                active: c.active,
                issues: issues_in(&counts, c.counts_as, Some(c.id)),
                counts_as_opts: counts_as_opts(&form.input.counts_as),
                form,
                open,
            }
        })
        .collect();
    let add = add.unwrap_or_else(|| EditState::new(OwnCategoryInput::default(), ""));
    Ok(CategoriesPage {
        nav: Nav::new(user, "issues"),
        may_write: user.may(RecordKind::IssueCategoryList, Action::Write),
        defaults: IssueCategory::ALL
            .iter()
            .map(|c| DefaultLine {
                code: c.code(),
                label: c.label(),
                used: list.uses(*c),
                fixed: *c == IssueCategory::Other,
                issues: issues_in(&counts, *c, None),
            })
            .collect(),
        own,
        add_counts_as: counts_as_opts(&add.input.counts_as),
        add,
        message: match saved {
            "created" => "分類を加えました。",
            "updated" => "分類を直しました。",
            "unused" => "使う既定の分類を保存しました。",
            _ => "",
        }
        .into(),
        unused_refused,
    })
}

pub async fn show(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    render(&page(&st, &user, Refused::None, &q.saved).await?)
}

pub async fn add(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let input: OwnCategoryInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    // Asked before the form is read: a role without the right gets the 404 every page gives.
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    let saved = match input.validate() {
        Ok(r) => issue_categories::add(&mut tx, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/issues/categories?saved=created#own"))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let status = form.status();
            render_status(&page(&st, &user, Refused::Add(form), "").await?, status)
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct EditForm {
    version: String,
    label: String,
    counts_as: String,
    active: String,
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let f: EditForm = body.parse()?;
    let version = parse_version(&f.version)?;
    let input = OwnCategoryInput {
        label: f.label,
        counts_as: f.counts_as,
        // A checkbox: absent when unticked.
        active: if yorisoi_domain::text::is_yes(&f.active) {
            "yes"
        } else {
            "no"
        }
        .into(),
    };
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    let saved = match input.validate() {
        Ok(r) => issue_categories::update(&mut tx, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/issues/categories?saved=updated#cat-{id}"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let current = {
                let mut rtx = st.store.read(user.actor()).await?;
                let list = issue_categories::list(&mut rtx).await?;
                rtx.commit().await?;
                list.own.iter().find(|c| c.id == id).map(|c| c.version)
            };
            // A category of another office, or none: the 404 of any missing record.
            let Some(current) = current else {
                return Err(AppError::NotFound);
            };
            let form = EditState::refused(input, version, e, Some(current))?;
            let status = form.status();
            render_status(
                &page(&st, &user, Refused::Edit(id, form), "").await?,
                status,
            )
        }
    }
}

pub async fn set_unused(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    // The ticked boxes are the defaults used; the rest are not offered.
    let used: Vec<String> = body
        .pairs()?
        .into_iter()
        .filter(|(k, _)| k == "used")
        .map(|(_, v)| v.trim().to_string())
        .collect();
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::IssueCategoryList, Action::Write)?;
    if used.iter().any(|c| IssueCategory::from_code(c).is_none()) {
        tx.rollback().await?;
        let why = Refused::Unused("既定の分類を一覧から選んでください。".into());
        let p = page(&st, &user, why, "").await?;
        return render_status(&p, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }
    let unused: Vec<IssueCategory> = IssueCategory::ALL
        .iter()
        .copied()
        .filter(|c| !used.iter().any(|u| u == c.code()))
        .collect();
    issue_categories::set_unused(&mut tx, &unused).await?;
    tx.commit().await?;
    Ok(see_other("/issues/categories?saved=unused"))
}
