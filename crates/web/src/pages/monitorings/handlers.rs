//! The monitoring report's handlers: the new form from the case, record, show, edit.

use super::form::{MonitoringForm, MonitoringInput};
use super::view::{MonitoringContext, MonitoringPage, NextSteps};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, Tx, monitorings, today_jst};

/// The case's final plan, months and the report before `on` (other than `except`).
async fn context(
    tx: &mut Tx,
    acc: &ClientAccess,
    case_id: i64,
    on: NaiveDate,
    except: Option<i64>,
) -> Result<MonitoringContext, AppError> {
    let (plan_id, plan) = monitorings::plan_to_monitor(tx, acc, case_id).await?;
    Ok(MonitoringContext {
        case_id,
        client_id: acc.client_id,
        client_name: client_name(tx, acc.client_id).await?,
        plan_id,
        plan,
        schedule: monitorings::case_schedule(tx, acc, case_id, today_jst()).await?,
        previous: monitorings::previous(tx, acc, case_id, on, except).await?,
        reports: yorisoi_store::outside::reports_for_plan(tx, acc, plan_id).await?,
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, case_id, Action::Write).await?;
    let today = today_jst();
    let c = context(&mut tx, &acc, case_id, today, None).await?;
    tx.commit().await?;
    let form = EditState::new(MonitoringInput::prefill(&c.plan, today), "");
    render(&MonitoringPage::new(
        &user,
        &c,
        format!("/cases/{case_id}/monitorings"),
        form,
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input = body.parse::<MonitoringForm>()?.into_input();
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, case_id, Action::Write).await?;
    let today = today_jst();
    let c = context(&mut tx, &acc, case_id, today, None).await?;
    let created = match input.validate(today, c.plan.decided_on, &c.row_keys()) {
        Ok(r) => monitorings::create(&mut tx, &acc, case_id, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match created {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/monitorings/{id}?saved=1")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let status = form.status();
            let action = format!("/cases/{case_id}/monitorings");
            render_status(&MonitoringPage::new(&user, &c, action, form), status)
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
    let acc = monitorings::access(&mut tx, id, Action::Read).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    let c = context(&mut tx, &acc, m.case_id, m.record.monitored_on, Some(id)).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Monitoring, Action::Write)
        .await
        .is_ok();
    let open = yorisoi_store::cases::is_open(&tx, m.case_id).await?;
    tx.commit().await?;
    let steps = NextSteps::of(&m, may_write, open, !q.saved.is_empty());
    let form = EditState::new(MonitoringInput::from_record(&m.record), m.version);
    render(&MonitoringPage::new(&user, &c, format!("/monitorings/{id}"), form).with_steps(steps))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input = body.parse::<MonitoringForm>()?.into_input();
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access(&mut tx, id, Action::Write).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    let c = context(&mut tx, &acc, m.case_id, m.record.monitored_on, Some(id)).await?;
    let saved = match input.validate(today_jst(), c.plan.decided_on, &c.row_keys()) {
        Ok(r) => monitorings::update(&mut tx, &acc, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = saved {
        tx.rollback().await?;
        let form = EditState::refused(input, version, e, Some(m.version))?;
        let status = form.status();
        return render_status(
            &MonitoringPage::new(&user, &c, format!("/monitorings/{id}"), form),
            status,
        );
    }
    tx.commit().await?;
    Ok(see_other(&format!("/monitorings/{id}?saved=1")))
}
