//! The meeting's handlers: the new form from a plan, record, show, edit.

use super::form::{MeetingInput, new_meeting};
use super::view::{MeetingContext, MeetingPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, Tx, meetings, plans, team, today_jst};

/// The plan version, the client's team and its consents to share.
async fn context(
    tx: &mut Tx,
    acc: &ClientAccess,
    plan_id: i64,
) -> Result<MeetingContext, AppError> {
    let plan_acc = tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Read)
        .await?;
    let p = plans::get(tx, &plan_acc, plan_id).await?;
    let team_acc = tx
        .client_access(acc.client_id, RecordKind::CareTeam, Action::Read)
        .await?;
    Ok(MeetingContext {
        plan_id,
        client_id: acc.client_id,
        client_name: client_name(tx, acc.client_id).await?,
        plan_label: format!(
            "{} 第{}版（{}）",
            p.record.kind.label(),
            p.version_no,
            p.state.label()
        ),
        members: team::members(tx, &team_acc).await?,
        consents: team::consents(tx, &team_acc)
            .await?
            .into_iter()
            .map(|c| c.record)
            .collect(),
        family_voices: p.record.family_voices(),
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(plan_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, plan_id, RecordKind::Meeting, Action::Write).await?;
    let c = context(&mut tx, &acc, plan_id).await?;
    tx.commit().await?;
    let form = EditState::new(new_meeting(today_jst(), &c.members, &user.display_name), "");
    render(&MeetingPage::new(
        &user,
        c,
        format!("/plans/{plan_id}/meetings"),
        form,
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(plan_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input: MeetingInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, plan_id, RecordKind::Meeting, Action::Write).await?;
    let created = match meetings::validate(&tx, &acc, plan_id, &input, today_jst()).await? {
        Ok(r) => meetings::create(&mut tx, &acc, plan_id, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match created {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/meetings/{id}?saved=1")))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(input, "", e, None)?;
            let mut tx = st.store.read(user.actor()).await?;
            let c = context(&mut tx, &acc, plan_id).await?;
            tx.commit().await?;
            let status = form.status();
            let action = format!("/plans/{plan_id}/meetings");
            render_status(&MeetingPage::new(&user, c, action, form), status)
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
    let acc = meetings::access(&mut tx, id, Action::Read).await?;
    let m = meetings::get(&mut tx, &acc, id).await?;
    let c = context(&mut tx, &acc, m.plan_id).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Meeting, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let form = EditState::new(MeetingInput::from_record(&m.record), m.version);
    let page = MeetingPage::new(&user, c, format!("/meetings/{id}"), form);
    render(&page.stored(may_write, !q.saved.is_empty()))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let input: MeetingInput = body.parse()?;
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = meetings::access(&mut tx, id, Action::Write).await?;
    let m = meetings::get(&mut tx, &acc, id).await?;
    let saved = match meetings::validate(&tx, &acc, m.plan_id, &input, today_jst()).await? {
        Ok(r) => meetings::update(&mut tx, &acc, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = saved {
        tx.rollback().await?;
        let form = EditState::refused(input, version, e, Some(m.version))?;
        let mut tx = st.store.read(user.actor()).await?;
        let c = context(&mut tx, &acc, m.plan_id).await?;
        tx.commit().await?;
        let status = form.status();
        return render_status(
            &MeetingPage::new(&user, c, format!("/meetings/{id}"), form),
            status,
        );
    }
    tx.commit().await?;
    Ok(see_other(&format!("/meetings/{id}?saved=1")))
}
