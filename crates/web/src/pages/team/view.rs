//! The team page (members and consents, with the forms to add to them) and a member's edit page.

use super::form::{ConsentForm, MemberEdit, WithdrawForm};
use crate::auth::Authed;
use crate::kit::display::{Opt, date, odate, opts, opts_multi};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use axum::http::StatusCode;
use chrono::NaiveDate;
use std::collections::HashMap;
use yorisoi_domain::team::{MemberKind, ShareConsentRecord, ShareSection, TeamMemberInput, covers};
use yorisoi_store::team::{Consent, Member};

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

/// What the team page shows of the stored records.
pub struct TeamData {
    pub client_name: String,
    pub members: Vec<Member>,
    pub consents: Vec<Consent>,
    /// The directory as (id, name, selected) for the member form.
    pub resources: Vec<(String, String, bool)>,
    pub may_write: bool,
    pub today: NaiveDate,
}

/// The forms of the team page as they are shown: fresh, or one of them refused.
#[derive(Default)]
pub struct TeamForms {
    pub message: &'static str,
    pub member: Option<EditState<TeamMemberInput>>,
    pub consent: Option<EditState<ConsentForm>>,
    pub withdraw: Option<EditState<WithdrawForm>>,
}

impl TeamForms {
    /// The message after a redirect `?saved=`.
    pub fn saved(saved: &str) -> Self {
        let message = match saved {
            "member" => "ケアチームに追加しました。",
            "member_edit" => "ケアチームのメンバーを更新しました。",
            "consent" => "同意を記録しました。",
            "withdrawn" => {
                "同意を撤回しました。撤回はすぐに効力があり、以後この同意による情報提供はできません。"
            }
            _ => "",
        };
        TeamForms {
            message,
            ..Default::default()
        }
    }

    /// The resource chosen on the member form.
    pub fn member_resource(&self) -> &str {
        self.member
            .as_ref()
            .map(|m| m.input.resource_id.as_str())
            .unwrap_or("")
    }

    /// The status of the page: that of the refused form, if any.
    pub fn status(&self) -> StatusCode {
        [
            self.member.as_ref().map(EditState::status),
            self.consent.as_ref().map(EditState::status),
            self.withdraw.as_ref().map(EditState::status),
        ]
        .into_iter()
        .flatten()
        .find(|s| *s != StatusCode::OK)
        .unwrap_or(StatusCode::OK)
    }
}

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub may_write: bool,
    pub message: String,
    pub members: Vec<MemberView>,
    pub consents: Vec<ConsentView>,
    pub member: EditState<TeamMemberInput>,
    pub kinds: Vec<Opt>,
    pub resources: Vec<(String, String, bool)>,
    pub consent: EditState<ConsentForm>,
    pub member_choices: Vec<(String, String, bool)>,
    pub sections: Vec<Opt>,
    pub replace_choices: Vec<(String, String, bool)>,
    pub withdraw: EditState<WithdrawForm>,
    pub today: String,
}

impl TeamPage {
    pub fn new(user: &Authed, client_id: i64, d: TeamData, f: TeamForms) -> Self {
        let today = d.today;
        let records: Vec<ShareConsentRecord> =
            d.consents.iter().map(|c| c.record.clone()).collect();
        let names: HashMap<i64, String> = d
            .members
            .iter()
            .map(|m| (m.id, m.record.name.clone()))
            .collect();
        let member = f
            .member
            .unwrap_or_else(|| EditState::new(TeamMemberInput::default(), ""));
        let consent = f
            .consent
            .unwrap_or_else(|| EditState::new(ConsentForm::blank(today), ""));
        TeamPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name: d.client_name,
            may_write: d.may_write,
            message: f.message.into(),
            members: d
                .members
                .iter()
                .map(|m| member_view(m, &records, today))
                .collect(),
            consents: d
                .consents
                .iter()
                .map(|c| consent_view(c, &names, today))
                .collect(),
            kinds: opts(
                MemberKind::ALL,
                |x| x.code(),
                |x| x.label(),
                &member.input.kind,
            ),
            resources: d.resources,
            member_choices: d
                .members
                .iter()
                .filter(|m| m.active)
                .map(|m| {
                    let id = m.id.to_string();
                    let sel = consent.input.consent.member_ids.contains(&id);
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
                &consent.input.consent.sections,
            ),
            replace_choices: d
                .consents
                .iter()
                .filter(|c| c.record.in_force(today))
                .map(|c| {
                    let id = c.id.to_string();
                    let sel = id == consent.input.replaces;
                    (
                        id,
                        format!("#{} {}の同意", c.id, date(c.record.given_on)),
                        sel,
                    )
                })
                .collect(),
            member,
            consent,
            withdraw: f
                .withdraw
                .unwrap_or_else(|| EditState::new(WithdrawForm::default(), "")),
            today: today.to_string(),
        }
    }
}

fn member_view(m: &Member, consents: &[ShareConsentRecord], today: NaiveDate) -> MemberView {
    MemberView {
        id: m.id,
        kind: m.record.kind.label(),
        name: m.record.name.clone(),
        organisation: m.record.organisation.clone(),
        contact: m.record.contact.clone(),
        role: m.record.role.clone(),
        active: m.active,
        outside: m.record.kind.is_outside(),
        covered: covers(consents, m.id, ShareSection::Plan, today),
    }
}

fn consent_view(c: &Consent, names: &HashMap<i64, String>, today: NaiveDate) -> ConsentView {
    ConsentView {
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
    }
}

#[derive(Template)]
#[template(path = "team_member.html")]
pub struct MemberPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub member_id: i64,
    pub form: EditState<MemberEdit>,
    pub kinds: Vec<Opt>,
    pub resources: Vec<(String, String, bool)>,
}

impl MemberPage {
    pub fn new(
        user: &Authed,
        client_id: i64,
        client_name: String,
        member_id: i64,
        form: EditState<MemberEdit>,
        resources: Vec<(String, String, bool)>,
    ) -> Self {
        MemberPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            member_id,
            kinds: opts(
                MemberKind::ALL,
                |x| x.code(),
                |x| x.label(),
                &form.input.member.kind,
            ),
            form,
            resources,
        }
    }
}
