//! ケアチーム and 個人情報使用同意 for one client: who is around the person, and whom their
//! information may go to. Consents are given, withdrawn (effective at once) or replaced — never
//! edited — and the page shows the whole history.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{ActiveField, RawForm, VersionField, parse_version};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::*;
use yorisoi_store::team::{self, Member};
use yorisoi_store::{StoreError, Tx, resources, today_jst};

pub struct MemberView {
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    pub organisation: String,
    pub contact: String,
    pub role: String,
    pub active: bool,
    pub covered: bool,
    pub outside: bool,
}

pub struct ConsentView {
    pub id: i64,
    pub subject: String,
    pub members: String,
    pub sections: String,
    pub purpose: String,
    pub given: String,
    pub document: String,
    pub withdrawn: String,
    pub in_force: bool,
    pub replaces: String,
}

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub may_write: bool,
    pub message: String,
    pub rule: String,
    pub members: Vec<MemberView>,
    pub consents: Vec<ConsentView>,
    pub member_form: TeamMemberInput,
    pub member_errors: FieldErrors,
    pub kinds: Vec<Opt>,
    pub resources: Vec<(String, String, bool)>,
    pub consent_form: ShareConsentInput,
    pub consent_errors: FieldErrors,
    pub member_choices: Vec<(String, String, bool)>,
    pub sections: Vec<Opt>,
    pub replace_choices: Vec<(String, String, bool)>,
    pub replaces: String,
    pub today: String,
}

#[derive(Default)]
pub struct Extras {
    pub message: String,
    pub rule: String,
    pub member: Option<(TeamMemberInput, FieldErrors)>,
    pub consent: Option<(ShareConsentInput, String, FieldErrors)>,
}

async fn resource_choices(
    tx: &mut Tx,
    current: &str,
) -> Result<Vec<(String, String, bool)>, AppError> {
    let mut v = vec![(
        String::new(),
        "（一覧から選ばない）".to_string(),
        current.is_empty(),
    )];
    v.extend(
        resources::list(tx, &Default::default())
            .await?
            .into_iter()
            .map(|r| {
                let id = r.id.to_string();
                let sel = id == current;
                (id, r.record.name, sel)
            }),
    );
    Ok(v)
}

pub async fn team_page(
    st: &AppState,
    user: &Authed,
    client_id: i64,
    x: Extras,
    status: StatusCode,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Read)
        .await?;
    let members = team::members(&mut tx, &acc).await?;
    let consents = team::consents(&mut tx, &acc).await?;
    let name = super::cases::client_name(&mut tx, client_id).await?;
    let (member_form, member_errors) = x
        .member
        .unwrap_or_else(|| (TeamMemberInput::default(), FieldErrors::new()));
    let resources = resource_choices(&mut tx, &member_form.resource_id).await?;
    let may_write = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let today = today_jst();
    let records: Vec<ShareConsentRecord> = consents.iter().map(|c| c.record.clone()).collect();
    let names: HashMap<i64, String> = members
        .iter()
        .map(|m| (m.id, m.record.name.clone()))
        .collect();
    let (consent_form, replaces, consent_errors) = x.consent.unwrap_or_else(|| {
        (
            ShareConsentInput {
                given_on: today.to_string(),
                purpose: "サービス担当者会議とサービス提供のための情報共有".into(),
                sections: vec!["basic".into(), "assessment".into(), "plan".into()],
                ..Default::default()
            },
            String::new(),
            FieldErrors::new(),
        )
    });
    let page = TeamPage {
        nav: Nav::new(user, "clients"),
        client_id,
        client_name: name,
        may_write,
        message: x.message,
        rule: x.rule,
        members: members
            .iter()
            .map(|m: &Member| MemberView {
                id: m.id,
                kind: m.record.kind.label(),
                name: m.record.name.clone(),
                organisation: m.record.organisation.clone(),
                contact: m.record.contact.clone(),
                role: m.record.role.clone(),
                active: m.active,
                outside: m.record.kind.is_outside(),
                covered: covers(&records, m.id, ShareSection::Plan, today),
            })
            .collect(),
        consents: consents
            .iter()
            .map(|c| ConsentView {
                id: c.id,
                subject: if c.record.subject.is_empty() {
                    "本人".into()
                } else {
                    format!("家族: {}", c.record.subject)
                },
                members: c
                    .record
                    .member_ids
                    .iter()
                    .map(|id| names.get(id).cloned().unwrap_or_else(|| "（不明）".into()))
                    .collect::<Vec<_>>()
                    .join("、"),
                sections: c
                    .record
                    .sections
                    .iter()
                    .map(|s| s.label())
                    .collect::<Vec<_>>()
                    .join("、"),
                purpose: c.record.purpose.clone(),
                given: date(c.record.given_on),
                document: c.record.document.clone(),
                withdrawn: odate(c.record.withdrawn_on),
                in_force: c.record.in_force(today),
                replaces: c
                    .replaces_id
                    .map(|r| format!("#{r} の差し替え"))
                    .unwrap_or_default(),
            })
            .collect(),
        kinds: opts(
            MemberKind::ALL,
            |x| x.code(),
            |x| x.label(),
            &member_form.kind,
        ),
        resources,
        member_choices: members
            .iter()
            .filter(|m| m.active)
            .map(|m| {
                let id = m.id.to_string();
                let sel = consent_form.member_ids.contains(&id);
                (
                    id,
                    format!("{}（{}）", m.record.name, m.record.kind.label()),
                    sel,
                )
            })
            .collect(),
        sections: opts_multi(
            ShareSection::ALL,
            |x| x.code(),
            |x| x.label(),
            &consent_form.sections,
        ),
        replace_choices: consents
            .iter()
            .filter(|c| c.record.in_force(today))
            .map(|c| {
                let id = c.id.to_string();
                let sel = id == replaces;
                (
                    id,
                    format!("#{} {}の同意", c.id, date(c.record.given_on)),
                    sel,
                )
            })
            .collect(),
        replaces,
        consent_form,
        consent_errors,
        member_form,
        member_errors,
        today: today.to_string(),
    };
    render_status(&page, status)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let message = match q.saved.as_str() {
        "member" => "ケアチームに追加しました。",
        "member_edit" => "ケアチームのメンバーを更新しました。",
        "consent" => "同意を記録しました。",
        "withdrawn" => {
            "同意を撤回しました。撤回はすぐに効力があり、以後この同意による情報提供はできません。"
        }
        _ => "",
    };
    team_page(
        &st,
        &user,
        id,
        Extras {
            message: message.into(),
            ..Default::default()
        },
        StatusCode::OK,
    )
    .await
}

pub async fn add_member(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: TeamMemberInput = body.parse()?;
    let r = match form.validate() {
        Ok(r) => r,
        Err(e) => {
            return team_page(
                &st,
                &user,
                id,
                Extras {
                    member: Some((form, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    match team::add_member(&mut tx, &acc, &r).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}/team?saved=member")))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut e = FieldErrors::new();
            e.add("resource_id", m);
            team_page(
                &st,
                &user,
                id,
                Extras {
                    member: Some((form, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "team_member.html")]
pub struct MemberPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub member_id: i64,
    pub form: TeamMemberInput,
    pub errors: FieldErrors,
    pub kinds: Vec<Opt>,
    pub resources: Vec<(String, String, bool)>,
    pub active: bool,
    pub version: String,
    pub conflict: bool,
}

pub async fn edit_member(
    State(st): State<AppState>,
    user: Authed,
    Path((id, member_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let m = team::members(&mut tx, &acc)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
        .ok_or(AppError::NotFound)?;
    let form = TeamMemberInput::from_record(&m.record);
    let resources = resource_choices(&mut tx, &form.resource_id).await?;
    let name = super::cases::client_name(&mut tx, id).await?;
    tx.commit().await?;
    render(&MemberPage {
        nav: Nav::new(&user, "clients"),
        client_id: id,
        client_name: name,
        member_id,
        kinds: opts(MemberKind::ALL, |x| x.code(), |x| x.label(), &form.kind),
        form,
        errors: FieldErrors::new(),
        resources,
        active: m.active,
        version: m.version.to_string(),
        conflict: false,
    })
}

pub async fn update_member(
    State(st): State<AppState>,
    user: Authed,
    Path((id, member_id)): Path<(i64, i64)>,
    body: RawForm,
) -> PageResult {
    let form: TeamMemberInput = body.parse()?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    let active = body.parse::<ActiveField>()?.is_active();
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let result = match form.validate() {
        Ok(r) => team::update_member(&mut tx, &acc, member_id, version, &r, active)
            .await
            .map_err(|e| match e {
                StoreError::Rule(m) => {
                    let mut fe = FieldErrors::new();
                    fe.add("resource_id", m);
                    Ok((fe, false))
                }
                StoreError::Conflict => Ok((FieldErrors::new(), true)),
                other => Err(other),
            }),
        Err(e) => Err(Ok((e, false))),
    };
    match result {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}/team?saved=member_edit")))
        }
        Err(Err(e)) => Err(e.into()),
        Err(Ok((errors, conflict))) => {
            let current = team::members(&mut tx, &acc)
                .await?
                .into_iter()
                .find(|m| m.id == member_id)
                .ok_or(AppError::NotFound)?;
            let resources = resource_choices(&mut tx, &form.resource_id).await?;
            let name = super::cases::client_name(&mut tx, id).await?;
            tx.rollback().await?;
            render_status(
                &MemberPage {
                    nav: Nav::new(&user, "clients"),
                    client_id: id,
                    client_name: name,
                    member_id,
                    kinds: opts(MemberKind::ALL, |x| x.code(), |x| x.label(), &form.kind),
                    form,
                    errors,
                    resources,
                    active,
                    version: if conflict {
                        current.version.to_string()
                    } else {
                        version.to_string()
                    },
                    conflict,
                },
                if conflict {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
            )
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReplacesField {
    pub replaces: String,
}

pub async fn give_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: ShareConsentInput = body.parse()?;
    let replaces_raw = body.parse::<ReplacesField>()?.replaces;
    let replaces = match replaces_raw.trim() {
        "" => None,
        s => Some(crate::pages::parse_id(s, "差し替える同意")?),
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let member_ids: Vec<i64> = team::members(&mut tx, &acc)
        .await?
        .iter()
        .filter(|m| m.active)
        .map(|m| m.id)
        .collect();
    let r = match form.validate(today_jst(), &member_ids) {
        Ok(r) => r,
        Err(e) => {
            tx.rollback().await?;
            return team_page(
                &st,
                &user,
                id,
                Extras {
                    consent: Some((form, replaces_raw, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match team::give_consent(&mut tx, &acc, &r, replaces).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved=consent#consents"
            )))
        }
        Err(e @ (StoreError::Rule(_) | StoreError::NotFound)) => {
            tx.rollback().await?;
            let msg = match e {
                StoreError::Rule(m) => m,
                _ => "差し替える同意が見つかりません。一覧から選び直してください。".into(),
            };
            let mut fe = FieldErrors::new();
            fe.add("replaces", msg);
            team_page(
                &st,
                &user,
                id,
                Extras {
                    consent: Some((form, replaces_raw, fe)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub withdrawn_on: String,
}

pub async fn withdraw(
    State(st): State<AppState>,
    user: Authed,
    Path((id, consent_id)): Path<(i64, i64)>,
    body: RawForm,
) -> PageResult {
    let f: WithdrawForm = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CareTeam, Action::Write)
        .await?;
    let c = team::consents(&mut tx, &acc)
        .await?
        .into_iter()
        .find(|c| c.id == consent_id)
        .ok_or(AppError::NotFound)?;
    let on = match withdrawal_date(&f.withdrawn_on, c.record.given_on, today_jst()) {
        Ok(d) => d,
        Err(e) => {
            tx.rollback().await?;
            let m = e
                .get("withdrawn_on")
                .unwrap_or("撤回日を確かめてください。")
                .to_string();
            return team_page(
                &st,
                &user,
                id,
                Extras {
                    rule: m,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match team::withdraw(&mut tx, &acc, consent_id, on).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{id}/team?saved=withdrawn#consents"
            )))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            team_page(
                &st,
                &user,
                id,
                Extras {
                    rule: m,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/clients/{id}/team", get(show).post(add_member))
        .route(
            "/clients/{id}/team/{member}",
            get(edit_member).post(update_member),
        )
        .route("/clients/{id}/consents", post(give_consent))
        .route("/clients/{id}/consents/{consent}/withdraw", post(withdraw))
}
