//! The case's handlers: open from an intake, show, edit the intake, move the stage, close.

use super::form::{CloseInput, IntakeInput, StageForm, new_close, new_intake};
use super::view::{CasePage, CaseRecords, CloseContext, CloseFormPage, IntakeFormPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::case_parts::case_access;
use crate::kit::form::{EditState, Form, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use crate::kit::staff::staff_names;
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, Tx, cases, monitorings, notes, today_jst};

pub async fn new_form(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    tx.client_access(id, RecordKind::Case, Action::Write)
        .await?;
    let name = client_name(&mut tx, id).await?;
    tx.commit().await?;
    let form = EditState::new(new_intake(today_jst()), "");
    render(&IntakeFormPage::new_case(&user, id, name, form))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<IntakeInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await?;
    let opened = match input.validate(today_jst()) {
        Ok(r) => cases::open(&mut tx, &acc, &r).await.map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match opened {
        Ok(case_id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/cases/{case_id}?saved=opened")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let mut tx = st.store.read(user.actor()).await?;
            let name = client_name(&mut tx, id).await?;
            tx.commit().await?;
            let status = form.status();
            render_status(&IntakeFormPage::new_case(&user, id, name, form), status)
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
    let acc = case_access(&mut tx, id, Action::Read).await?;
    let client_id = acc.client_id;
    let (case, intake) = cases::get(&mut tx, &acc, id).await?;
    let note_acc = tx
        .client_access(client_id, RecordKind::CaseNote, Action::Read)
        .await?;
    let assess_acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Read)
        .await?;
    let plan_acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let mon_acc = tx
        .client_access(client_id, RecordKind::Monitoring, Action::Read)
        .await?;
    let ds_acc = tx
        .client_access(client_id, RecordKind::DecisionSupport, Action::Read)
        .await?;
    let (client_name, child) =
        crate::kit::records::client_name_and_child(&mut tx, client_id, today_jst()).await?;
    let records = CaseRecords {
        client_name,
        child,
        staff: staff_names(&tx).await?,
        notes: notes::list(&mut tx, &note_acc, "", 200, 0).await?.0,
        assessments: yorisoi_store::assessments::list(&mut tx, &assess_acc, id).await?,
        plans: yorisoi_store::plans::list(&mut tx, &plan_acc, id).await?,
        schedule: monitorings::case_schedule(&tx, &mon_acc, id, today_jst()).await?,
        monitorings: monitorings::list(&mut tx, &mon_acc, id).await?,
        decisions: yorisoi_store::decisions::list(&mut tx, &ds_acc, id).await?,
        retention_years: yorisoi_store::offices::retention_years(&tx).await?,
        case,
        intake,
    };
    tx.commit().await?;
    render(&CasePage::new(&user, records, &q.saved))
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (c, intake) = cases::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    tx.commit().await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule("終結したケースは変更できません。".into()));
    }
    let form = EditState::new(IntakeInput::from(&intake.record), intake.version);
    render(&IntakeFormPage::edit(&user, id, acc.client_id, name, form))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input: IntakeInput = body.parse()?;
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let saved = match input.validate(today_jst()) {
        Ok(r) => cases::update_intake(&mut tx, &acc, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = saved {
        tx.rollback().await?;
        let mut tx = st.store.read(user.actor()).await?;
        let current = cases::get(&mut tx, &acc, id).await?.1.version;
        let name = client_name(&mut tx, acc.client_id).await?;
        tx.commit().await?;
        let form = EditState::refused(input, version, e, Some(current))?;
        let status = form.status();
        return render_status(
            &IntakeFormPage::edit(&user, id, acc.client_id, name, form),
            status,
        );
    }
    tx.commit().await?;
    Ok(see_other(&format!("/cases/{id}?saved=intake")))
}

pub async fn move_stage(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<StageForm>,
) -> PageResult {
    let (to, version, reason) = input.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    cases::move_stage(&mut tx, &acc, id, version, to, reason).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/cases/{id}?saved=stage")))
}

/// The close form's surroundings, and the case's opening date and version.
async fn close_context(
    tx: &mut Tx,
    acc: &ClientAccess,
    case_id: i64,
) -> Result<(CloseContext, cases::Case), AppError> {
    let (c, _) = cases::get(tx, acc, case_id).await?;
    let macc = tx
        .client_access(acc.client_id, RecordKind::Monitoring, Action::Read)
        .await?;
    let ctx = CloseContext {
        case_id,
        client_name: client_name(tx, acc.client_id).await?,
        title: c.title.clone(),
        retention_years: yorisoi_store::offices::retention_years(tx).await?,
        last_monitoring: monitorings::list(tx, &macc, case_id)
            .await?
            .into_iter()
            .next(),
    };
    Ok((ctx, c))
}

pub async fn close_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (ctx, c) = close_context(&mut tx, &acc, id).await?;
    tx.commit().await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule("このケースは既に終結しています。".into()));
    }
    let (reason, text) = ctx
        .concluded()
        .map(|m| (m.record.close_reason, m.record.outcome_note.as_str()))
        .unwrap_or((None, ""));
    let form = EditState::new(new_close(today_jst(), reason, text), c.version);
    render(&CloseFormPage::new(&user, ctx, form))
}

pub async fn close(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input: CloseInput = body.parse()?;
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (ctx, c) = close_context(&mut tx, &acc, id).await?;
    let closed = match input.validate(c.opened_on, today_jst()) {
        Ok(r) => cases::close(&mut tx, &acc, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = closed {
        tx.rollback().await?;
        let form = EditState::refused(input, version, e, Some(c.version))?;
        let status = form.status();
        return render_status(&CloseFormPage::new(&user, ctx, form), status);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/cases/{id}?saved=closed")))
}
