//! Thin handlers: extract, open the `Tx`, ask access, call the store, commit, respond.

use super::form::{Question, SECTIONS, SectionForm};
use super::view::{DecisionPage, StartPage, saved_message, section_page};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm};
use crate::kit::links::{Saved, see_other};
use crate::kit::records::client_name;
use crate::kit::render::{Nav, render, render_status};
use crate::kit::section::{self, SectionHidden, saved_flash, section_or_404};
use crate::kit::staff::{self, staff_names};
use axum::extract::{Path, Query, State};
use yorisoi_domain::decision::DecisionInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::decisions::{self, Decision};
use yorisoi_store::{ClientAccess, Tx, cases, today_jst};

/// Staff who may lead (and the current lead).
async fn leads(tx: &Tx, current: Option<i64>) -> Result<Vec<(i64, String)>, AppError> {
    staff::leads(tx, RecordKind::DecisionSupport, current).await
}

/// (client name, case title) of an open case; a closed case takes no new record.
async fn case_names(
    tx: &mut Tx,
    acc: &ClientAccess,
    case_id: i64,
) -> Result<(String, String), AppError> {
    let name = client_name(tx, acc.client_id).await?;
    let cacc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(tx, &cacc, case_id).await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule(
            "終結したケースには記録を追加できません。".into(),
        ));
    }
    Ok((name, c.title))
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, case_id, Action::Write).await?;
    let names = case_names(&mut tx, &acc, case_id).await?;
    let staff = leads(&tx, None).await?;
    tx.commit().await?;
    let input = DecisionInput::start("", user.actor().user_id, today_jst());
    let form = EditState::new(input, "");
    render(&StartPage::new(
        Nav::new(&user, "clients"),
        case_id,
        names,
        &staff,
        form,
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Form(start): Form<Question>,
) -> PageResult {
    let input = start.into_input();
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, case_id, Action::Write).await?;
    let names = case_names(&mut tx, &acc, case_id).await?;
    let staff = leads(&tx, None).await?;
    let ids: Vec<i64> = staff.iter().map(|s| s.0).collect();
    let result = match input.validate(today_jst(), &ids) {
        Ok(r) => decisions::create(&mut tx, &acc, case_id, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/decisions/{id}?saved=created")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = section::refused(input, "", e, None)?;
            let page = StartPage::new(Nav::new(&user, "clients"), case_id, names, &staff, form);
            render_status(&page, page.form.status())
        }
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Read).await?;
    let d = decisions::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let open = cases::is_open(&tx, d.case_id).await?;
    let staff = staff_names(&tx).await?;
    tx.commit().await?;
    render(&DecisionPage::new(
        Nav::new(&user, "clients"),
        &d,
        name,
        open,
        &staff,
        saved_message(&q.saved),
    ))
}

/// The record if it can be edited now: its case is open.
async fn editable(tx: &mut Tx, acc: &ClientAccess, id: i64) -> Result<Decision, AppError> {
    let d = decisions::get(tx, acc, id).await?;
    if !cases::is_open(tx, d.case_id).await? {
        return Err(AppError::Rule(
            "終結したケースの記録は変更できません。".into(),
        ));
    }
    Ok(d)
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    section_or_404(SECTIONS, &section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Write).await?;
    let d = editable(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let staff = leads(&tx, Some(d.record.lead_user_id)).await?;
    tx.commit().await?;
    let form = EditState::new(DecisionInput::from_record(&d.record), d.version)
        .with_flash(saved_flash(&q.saved));
    render(&section_page(
        Nav::new(&user, "clients"),
        &d,
        name,
        &section,
        &form,
        &staff,
    ))
}

pub async fn save(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    body: RawForm,
) -> PageResult {
    section_or_404(SECTIONS, &section)?;
    let hidden: SectionHidden = body.parse()?;
    let version = hidden.version()?;
    let submitted = SectionForm::parse(&section, &body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Write).await?;
    let d = editable(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let staff = leads(&tx, Some(d.record.lead_user_id)).await?;
    let ids: Vec<i64> = staff.iter().map(|s| s.0).collect();
    let mut input = DecisionInput::from_record(&d.record);
    submitted.apply(&mut input);
    let result = match input.validate(today_jst(), &ids) {
        Ok(record) => decisions::update(&mut tx, &acc, id, version, &record)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    let e = match result {
        Ok(_) => {
            tx.commit().await?;
            let to = match (
                hidden.then.as_str(),
                section::section_label(SECTIONS, &hidden.then),
            ) {
                ("record", _) => format!("/decisions/{id}?saved=1"),
                (then, Some(_)) => format!("/decisions/{id}/edit/{then}?saved=1"),
                _ => format!("/decisions/{id}/edit/{section}?saved=1"),
            };
            return Ok(see_other(&to));
        }
        Err(e) => e,
    };
    // Keep what the user typed; when stale, over the newer version (saving again overwrites).
    let shown = match e {
        AppError::Conflict => decisions::get(&mut tx, &acc, id).await?,
        _ => d,
    };
    let form = section::refused(input, version, e, Some(shown.version))?;
    tx.commit().await?;
    let page = section_page(
        Nav::new(&user, "clients"),
        &shown,
        name,
        &section,
        &form,
        &staff,
    );
    render_status(&page, form.status())
}
