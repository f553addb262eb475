//! サービス担当者会議: schedule it from a plan with participants from the care team, then record
//! it in the seed's six steps. A participant no consent covers is refused by name.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{RawForm, VersionField, parse_version};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::meeting::{MeetingInput, Participant, STEPS, TeamRef, uncovered};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, StoreError, Tx, meetings, plans, team, today_jst};

/// A care-team member as a participant choice.
pub struct MemberChoice {
    pub id: String,
    pub label: String,
    pub invited: bool,
    pub attended: bool,
    /// 「同意あり」「同意なし」「家族の同意なし」「本人・家族」
    pub consent: &'static str,
    pub covered: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    pub nav: Nav,
    /// The form posts here: `/plans/{id}/meetings` or `/meetings/{id}`.
    pub action: String,
    pub plan_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub plan_label: String,
    pub form: MeetingInput,
    pub errors: FieldErrors,
    pub members: Vec<MemberChoice>,
    pub steps: [&'static str; 6],
    pub version: String,
    pub conflict: bool,
    pub message: String,
    pub may_write: bool,
}

struct Ctx {
    client_id: i64,
    client_name: String,
    plan_label: String,
    members: Vec<yorisoi_store::team::Member>,
    consents: Vec<yorisoi_domain::team::ShareConsentRecord>,
    /// The plan carries the family's own words (then family members consent for theirs).
    family_words: bool,
}

async fn ctx(tx: &mut Tx, acc: &ClientAccess, plan_id: i64) -> Result<Ctx, AppError> {
    let plan_acc = tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Read)
        .await?;
    let p = plans::get(tx, &plan_acc, plan_id).await?;
    let team_acc = tx
        .client_access(acc.client_id, RecordKind::CareTeam, Action::Read)
        .await?;
    let members = team::members(tx, &team_acc).await?;
    let consents = team::consents(tx, &team_acc)
        .await?
        .into_iter()
        .map(|c| c.record)
        .collect();
    Ok(Ctx {
        client_id: acc.client_id,
        client_name: super::cases::client_name(tx, acc.client_id).await?,
        plan_label: format!(
            "{} 第{}版（{}）",
            p.record.kind.label(),
            p.version_no,
            p.state.label()
        ),
        members,
        consents,
        family_words: !p.record.wish_family.trim().is_empty(),
    })
}

fn page(
    user: &Authed,
    c: Ctx,
    action: String,
    plan_id: i64,
    form: MeetingInput,
    errors: FieldErrors,
    version: String,
) -> MeetingPage {
    let on = yorisoi_domain::date::parse_date(&form.held_on).unwrap_or_else(|_| today_jst());
    let team: Vec<TeamRef> = c.members.iter().map(|m| m.team_ref()).collect();
    let members = c
        .members
        .iter()
        .filter(|m| m.active || form.participants.contains(&m.id.to_string()))
        .map(|m| {
            let id = m.id.to_string();
            let outside = m.record.kind.is_outside();
            // The same rule the save applies, asked for this member alone.
            let gap = uncovered(
                &[Participant {
                    member_id: m.id,
                    attended: false,
                }],
                &team,
                &c.consents,
                on,
                c.family_words,
            );
            let covered = gap.is_empty();
            MemberChoice {
                label: format!(
                    "{}（{}{}）",
                    m.record.name,
                    m.record.kind.label(),
                    if m.record.organisation.is_empty() {
                        String::new()
                    } else {
                        format!("・{}", m.record.organisation)
                    }
                ),
                invited: form.participants.contains(&id),
                attended: form.attended.contains(&id),
                consent: if !outside {
                    "本人・家族"
                } else if covered {
                    "同意あり"
                } else if gap.client.is_empty() {
                    "家族の同意なし"
                } else {
                    "同意なし"
                },
                covered,
                id,
            }
        })
        .collect();
    MeetingPage {
        nav: Nav::new(user, "clients"),
        action,
        plan_id,
        client_id: c.client_id,
        client_name: c.client_name,
        plan_label: c.plan_label,
        form,
        errors,
        members,
        steps: STEPS,
        version,
        conflict: false,
        message: String::new(),
        may_write: true,
    }
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(plan_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, plan_id, RecordKind::Meeting, Action::Write).await?;
    let c = ctx(&mut tx, &acc, plan_id).await?;
    tx.commit().await?;
    // Everyone in the team is invited by default; the specialist removes who will not come.
    let form = MeetingInput {
        held_on: today_jst().to_string(),
        participants: c
            .members
            .iter()
            .filter(|m| m.active)
            .map(|m| m.id.to_string())
            .collect(),
        chair: user.display_name.clone(),
        ..Default::default()
    };
    render(&page(
        &user,
        c,
        format!("/plans/{plan_id}/meetings"),
        plan_id,
        form,
        FieldErrors::new(),
        String::new(),
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(plan_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: MeetingInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, plan_id, RecordKind::Meeting, Action::Write).await?;
    let rejected = async |tx: &mut Tx, form: MeetingInput, e: FieldErrors| -> PageResult {
        let c = ctx(tx, &acc, plan_id).await?;
        render_status(
            &page(
                &user,
                c,
                format!("/plans/{plan_id}/meetings"),
                plan_id,
                form,
                e,
                String::new(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let r = match meetings::validate(&tx, &acc, plan_id, &form, today_jst()).await? {
        Ok(r) => r,
        Err(e) => {
            let out = rejected(&mut tx, form, e).await;
            tx.rollback().await?;
            return out;
        }
    };
    match meetings::create(&mut tx, &acc, plan_id, &r).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/meetings/{id}?saved=1")))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut tx = st.store.read(user.actor()).await?;
            let mut e = FieldErrors::new();
            e.add("participants", m);
            let out = rejected(&mut tx, form, e).await;
            tx.commit().await?;
            out
        }
        Err(e) => Err(e.into()),
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
    let c = ctx(&mut tx, &acc, m.plan_id).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Meeting, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let mut p = page(
        &user,
        c,
        format!("/meetings/{id}"),
        m.plan_id,
        MeetingInput::from_record(&m.record),
        FieldErrors::new(),
        m.version.to_string(),
    );
    p.may_write = may_write;
    if !q.saved.is_empty() {
        p.message = if m.record.held {
            "会議の記録を保存しました。計画は「会議済」になりました。".into()
        } else {
            "会議の予定を保存しました。開催したら、この画面で記録して「開催済み」にします。".into()
        };
    }
    render(&p)
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: MeetingInput = body.parse()?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = meetings::access(&mut tx, id, Action::Write).await?;
    let m = meetings::get(&mut tx, &acc, id).await?;
    let plan_id = m.plan_id;
    let r = match meetings::validate(&tx, &acc, plan_id, &form, today_jst()).await? {
        Ok(r) => r,
        Err(e) => {
            let c = ctx(&mut tx, &acc, plan_id).await?;
            tx.rollback().await?;
            return render_status(
                &page(
                    &user,
                    c,
                    format!("/meetings/{id}"),
                    plan_id,
                    form,
                    e,
                    version.to_string(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match meetings::update(&mut tx, &acc, id, version, &r).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/meetings/{id}?saved=1")))
        }
        Err(StoreError::Conflict) => {
            let c = ctx(&mut tx, &acc, plan_id).await?;
            tx.rollback().await?;
            let mut p = page(
                &user,
                c,
                format!("/meetings/{id}"),
                plan_id,
                form,
                FieldErrors::new(),
                m.version.to_string(),
            );
            p.conflict = true;
            render_status(&p, StatusCode::CONFLICT)
        }
        Err(StoreError::Rule(msg)) => {
            let c = ctx(&mut tx, &acc, plan_id).await?;
            tx.rollback().await?;
            let mut e = FieldErrors::new();
            e.add("participants", msg);
            render_status(
                &page(
                    &user,
                    c,
                    format!("/meetings/{id}"),
                    plan_id,
                    form,
                    e,
                    version.to_string(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/plans/{id}/meetings/new", get(new_form))
        .route("/plans/{id}/meetings", post(create))
        .route("/meetings/{id}", get(show).post(update))
}
