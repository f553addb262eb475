//! The team page's handlers: read the team and consents, add or edit a member, give or withdraw
//! a consent. A refused form comes back on its page through `EditState`.

use super::form::{
    ConsentForm, ConsentsForm, MemberEdit, MembersForm, WithdrawForm, fill_from_directory,
};
use super::view::{MemberPage, TeamData, TeamForms, TeamPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm};
use crate::kit::links::see_other;
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::{TeamMemberInput, validate_members, withdrawal_date};
use yorisoi_store::{resources, team, today_jst};

const KIND: RecordKind = RecordKind::CareTeam;

async fn team_page(st: &AppState, user: &Authed, client_id: i64, forms: TeamForms) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Read).await?;
    let members = team::members(&mut tx, &acc).await?;
    let consents = team::consents(&mut tx, &acc).await?;
    let access = yorisoi_store::outside::team_access(&mut tx, &acc).await?;
    let client_name = client_name(&mut tx, client_id).await?;
    let resources = crate::kit::records::directory_choices(&mut tx, "").await?;
    let may_write = tx
        .client_access(client_id, KIND, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let data = TeamData {
        client_name,
        members,
        consents,
        resources,
        may_write,
        today: today_jst(),
        access,
    };
    let status = forms.status();
    render_status(&TeamPage::new(user, client_id, data, forms), status)
}

/// `GET /clients/{id}/team?saved=&subject=`: `subject` comes from a meeting that lacks that
/// family member's consent; the consent form starts with them chosen (nothing else is).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TeamQuery {
    pub saved: String,
    pub subject: String,
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<TeamQuery>,
) -> PageResult {
    let mut forms = TeamForms::saved(&q.saved);
    let subject: String = q.subject.trim().chars().take(60).collect();
    if !subject.is_empty() {
        let mut f = ConsentsForm::blank(today_jst());
        f.picked = vec![subject];
        forms.consent = Some(EditState::new(f, ""));
    }
    team_page(&st, &user, id, forms).await
}

pub async fn add_member(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<TeamMemberInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let saved = match input.validate() {
        Ok(r) => team::add_member(&mut tx, &acc, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}/team?saved=member")))
        }
        Err(e) => {
            tx.rollback().await?;
            let mut member = EditState::refused(MembersForm::of_one(input), "", e, None)?;
            member.errors = in_row(member.errors, "members", 0);
            let forms = TeamForms {
                member: Some(member),
                ..Default::default()
            };
            team_page(&st, &user, id, forms).await
        }
    }
}

pub async fn edit_member(
    State(st): State<AppState>,
    user: Authed,
    Path((id, member_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let m = team::member(&mut tx, &acc, member_id).await?;
    let form = MemberEdit {
        member: TeamMemberInput::from_record(&m.record),
        active: m.active,
    };
    let resources =
        crate::kit::records::directory_choices(&mut tx, &form.member.resource_id).await?;
    let name = client_name(&mut tx, id).await?;
    tx.commit().await?;
    let form = EditState::new(form, m.version);
    render(&MemberPage::new(
        &user, id, name, member_id, form, resources,
    ))
}

pub async fn update_member(
    State(st): State<AppState>,
    user: Authed,
    Path((id, member_id)): Path<(i64, i64)>,
    body: RawForm,
) -> PageResult {
    let (form, version) = MemberEdit::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let saved = match form.member.validate() {
        Ok(r) => team::update_member(&mut tx, &acc, member_id, version, &r, form.active)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}/team?saved=member_edit")))
        }
        Err(e) => {
            tx.rollback().await?;
            let mut tx = st.store.read(user.actor()).await?;
            let acc = tx.client_access(id, KIND, Action::Write).await?;
            let current = team::member(&mut tx, &acc, member_id).await?;
            let resources =
                crate::kit::records::directory_choices(&mut tx, &form.member.resource_id).await?;
            let name = client_name(&mut tx, id).await?;
            tx.commit().await?;
            let form = EditState::refused(form, version, e, Some(current.version))?;
            let status = form.status();
            render_status(
                &MemberPage::new(&user, id, name, member_id, form, resources),
                status,
            )
        }
    }
}

pub async fn give_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form = ConsentForm::read(&body)?;
    let replaces = form.replaces()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let member_ids = team::active_member_ids(&mut tx, &acc).await?;
    let saved = match form.consent.validate(today_jst(), &member_ids) {
        Ok(r) => team::give_consent(&mut tx, &acc, &r, replaces)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved=consent#consents"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let mut consent = EditState::refused(ConsentsForm::of_one(form), "", e, None)?;
            if let Some(m) = consent.errors.0.remove("subject") {
                consent.errors.add("subjects", m);
            }
            let forms = TeamForms {
                consent: Some(consent),
                ..Default::default()
            };
            team_page(&st, &user, id, forms).await
        }
    }
}

pub async fn withdraw(
    State(st): State<AppState>,
    user: Authed,
    Path((id, consent_id)): Path<(i64, i64)>,
    Form(form): Form<WithdrawForm>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let c = team::consent(&mut tx, &acc, consent_id).await?;
    let saved = match withdrawal_date(&form.withdrawn_on, c.record.given_on, today_jst()) {
        Ok(on) => team::withdraw(&mut tx, &acc, consent_id, on)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved=withdrawn#consents"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let withdraw = Some(EditState::refused(form, "", e, None)?);
            let forms = TeamForms {
                withdraw,
                ..Default::default()
            };
            team_page(&st, &user, id, forms).await
        }
    }
}

/// A row's messages keyed as the grid shows them (`name` → `members[i].name`).
fn in_row(e: FieldErrors, section: &str, i: usize) -> FieldErrors {
    FieldErrors(
        e.0.into_iter()
            .map(|(k, v)| (format!("{section}[{i}].{k}"), v))
            .collect(),
    )
}

/// Adds the rows of the member grid, each filled from the directory entry chosen; all or none.
/// Each member added is audited as the single form's is.
pub async fn add_members(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let mut form = MembersForm::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let directory = resources::list(&mut tx, &Default::default()).await?;
    fill_from_directory(&mut form.rows, &directory);
    let saved = match validate_members(&form.rows) {
        Ok(records) => add_all(&mut tx, &acc, &form.rows, &records).await,
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(n) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved={}",
                if n == 1 { "member" } else { "members" }
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let member = Some(EditState::refused(form, "", e, None)?);
            let forms = TeamForms {
                member,
                ..Default::default()
            };
            team_page(&st, &user, id, forms).await
        }
    }
}

/// Adds `records` (the rows not left empty, in order); a refusal of one row's directory link is
/// shown on that row.
async fn add_all(
    tx: &mut yorisoi_store::Tx,
    acc: &yorisoi_store::ClientAccess,
    rows: &[TeamMemberInput],
    records: &[yorisoi_domain::team::TeamMemberRecord],
) -> Result<usize, AppError> {
    let filled = rows
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_blank())
        .map(|(i, _)| i);
    for (i, r) in filled.zip(records) {
        match team::add_member(tx, acc, r).await.map_err(AppError::from) {
            Ok(_) => {}
            Err(AppError::Invalid(e)) => return Err(AppError::Invalid(in_row(e, "members", i))),
            Err(e) => return Err(e),
        }
    }
    Ok(records.len())
}

/// Records the consent of everyone ticked (本人 and family members who signed the same
/// 同意書): one consent per person, each audited as the single form's is; all or none.
pub async fn give_consents(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form = ConsentsForm::read(&body)?;
    let replaces = form.replaces()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let member_ids = team::active_member_ids(&mut tx, &acc).await?;
    let saved = match form.set().validate(today_jst(), &member_ids) {
        Ok(records) if replaces.is_some() && records.len() > 1 => {
            let mut e = FieldErrors::new();
            e.add(
                "replaces",
                "差し替えは1人分ずつです。差し替える同意を選ぶときは、1人だけにチェックしてください。",
            );
            Err(AppError::Invalid(e))
        }
        Ok(records) => {
            let mut out = Ok(());
            for r in &records {
                if let Err(e) = team::give_consent(&mut tx, &acc, r, replaces).await {
                    out = Err(AppError::from(e));
                    break;
                }
            }
            out
        }
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved=consent#consents"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let consent = Some(EditState::refused(form, "", e, None)?);
            let forms = TeamForms {
                consent,
                ..Default::default()
            };
            team_page(&st, &user, id, forms).await
        }
    }
}
