//! Thin handlers: extract, open the `Tx`, ask access, call the store, commit, respond.

use super::form::{
    CHILD_SECTIONS, SectionForm, StartInput, blank_start, fill_from_directory, links_directory,
    sections_for,
};
use super::view::{DiffPage, SheetPage, StartPage, section_page, sheet_message};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm};
use crate::kit::grid::ResourceOption;
use crate::kit::links::{Saved, see_other};
use crate::kit::records::directory;
use crate::kit::render::{Nav, render, render_status};
use crate::kit::section::{self, SectionHidden, saved_flash, section_or_404};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use yorisoi_documents::docs::assessment::DRAWINGS;
use yorisoi_domain::assessment::AssessmentInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, Tx, assessments, cases, today_jst};

/// The start form of `case_id` showing `form`.
async fn start_page(
    tx: &mut Tx,
    user: &Authed,
    case_id: i64,
    acc: &ClientAccess,
    form: EditState<StartInput>,
) -> Result<StartPage, AppError> {
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(tx, &case_acc, case_id).await?;
    let versions = assessments::list(tx, acc, case_id).await?;
    Ok(StartPage::new(
        Nav::new(user, "clients"),
        case_id,
        c.title,
        &versions,
        form,
    ))
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, case_id, Action::Write).await?;
    let form = EditState::new(blank_start(today_jst()), "");
    let page = start_page(&mut tx, &user, case_id, &acc, form).await?;
    tx.commit().await?;
    render(&page)
}

pub async fn start(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Form(input): Form<StartInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, case_id, Action::Write).await?;
    let result = match input.validate(today_jst()) {
        Ok((on, method, present)) => {
            assessments::start(&mut tx, &acc, case_id, on, method, present)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/assessments/{id}?saved=started")))
        }
        Err(e) => {
            let form = EditState::refused(input, "", e, None)?;
            let page = start_page(&mut tx, &user, case_id, &acc, form).await?;
            tx.commit().await?;
            render_status(&page, page.form.status())
        }
    }
}

pub async fn sheet(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    // The assessment, its case's versions and the case's stage in one read.
    let (a, versions, stage) = assessments::sheet(&mut tx, &acc, &case_acc, id).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Assessment, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let can_edit = a.latest && stage.is_open() && may_write;
    render(&SheetPage::new(
        Nav::new(&user, "clients"),
        &a,
        &versions,
        can_edit,
        sheet_message(&q.saved),
        &st.drawings,
    ))
}

/// The assessment if it can be edited now: the latest version of an open case.
async fn editable(
    tx: &mut Tx,
    acc: &ClientAccess,
    id: i64,
) -> Result<assessments::Assessment, AppError> {
    let a = assessments::get(tx, acc, id).await?;
    if !a.latest {
        return Err(AppError::Rule(
            "過去の版は変更できません。最新の版を開いて編集してください。".into(),
        ));
    }
    Ok(a)
}

/// The office's directory, read only for the section that links to it.
async fn directory_for(tx: &mut Tx, section: &str) -> Result<Vec<ResourceOption>, AppError> {
    if links_directory(section) {
        directory(tx).await
    } else {
        Ok(Vec::new())
    }
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    section_or_404(CHILD_SECTIONS, &section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let a = editable(&mut tx, &acc, id).await?;
    section_or_404(sections_for(a.record.is_child()), &section)?;
    let res = directory_for(&mut tx, &section).await?;
    tx.commit().await?;
    let form = EditState::new(AssessmentInput::from_record(&a.record), a.version)
        .with_flash(saved_flash(&q.saved));
    render(&section_page(
        Nav::new(&user, "clients"),
        &a,
        &section,
        &form,
        &res,
    ))
}

pub async fn save(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    body: RawForm,
) -> PageResult {
    section_or_404(CHILD_SECTIONS, &section)?;
    let hidden: SectionHidden = body.parse()?;
    let version = hidden.version()?;
    let submitted = SectionForm::parse(&section, &body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let a = editable(&mut tx, &acc, id).await?;
    section_or_404(sections_for(a.record.is_child()), &section)?;
    let res = directory_for(&mut tx, &section).await?;
    let mut input = AssessmentInput::from_record(&a.record);
    submitted.apply(&mut input);
    fill_from_directory(&mut input, &res);
    // The needs section asks each need for its source or grounds (older assessments' other
    // sections still save).
    let ungrounded = if section == "needs" {
        input.ungrounded_needs()
    } else {
        yorisoi_domain::FieldErrors::new()
    };
    let result = match input.validate(today_jst(), a.record.basic.clone()) {
        Ok(record) if ungrounded.is_empty() => {
            assessments::update(&mut tx, &acc, id, version, &record)
                .await
                .map_err(AppError::from)
        }
        Ok(_) => Err(AppError::Invalid(ungrounded)),
        Err(mut e) => {
            e.0.extend(ungrounded.0);
            Err(AppError::Invalid(e))
        }
    };
    let e = match result {
        Ok(_) => {
            tx.commit().await?;
            let to = match section::section_label(sections_for(a.record.is_child()), &hidden.then) {
                Some(_) => format!("/assessments/{id}/edit/{}?saved=1", hidden.then),
                None => format!("/assessments/{id}/edit/{section}?saved=1"),
            };
            return Ok(see_other(&to));
        }
        Err(e) => e,
    };
    // Keep what the user typed; when stale, show it over the newer version (saving again
    // overwrites knowingly).
    let shown = match e {
        AppError::Conflict => assessments::get(&mut tx, &acc, id).await?,
        _ => a,
    };
    let form = section::refused(input, version, e, Some(shown.version))?;
    tx.commit().await?;
    let page = section_page(Nav::new(&user, "clients"), &shown, &section, &form, &res);
    render_status(&page, form.status())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DiffQuery {
    pub with: String,
}

pub async fn diff(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    let versions = assessments::list(&mut tx, &acc, a.case_id).await?;
    let others: Vec<&assessments::Summary> = versions.iter().filter(|s| s.id != id).collect();
    // Default: the version just before this one (or the one after, for the first).
    let with_id = match q.with.trim() {
        "" => others
            .iter()
            .find(|s| s.version_no < a.version_no)
            .or(others.first())
            .map(|s| s.id),
        w => Some(w.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let with = match with_id {
        Some(w) if versions.iter().any(|s| s.id == w) => {
            Some(assessments::get(&mut tx, &acc, w).await?)
        }
        Some(_) => return Err(AppError::NotFound),
        None => None,
    };
    tx.commit().await?;
    render(&DiffPage::new(
        Nav::new(&user, "clients"),
        &a,
        &others,
        with.as_ref(),
    ))
}

/// A drawing as an SVG file (to save or to paste into another document).
pub async fn drawing(
    State(st): State<AppState>,
    user: Authed,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let name = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let kind = DRAWINGS
        .iter()
        .copied()
        .find(|k| *k == name)
        .ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let svg = st.drawings.get(&a, kind).to_string();
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}
