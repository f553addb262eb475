//! The team page (members and consents, with the forms to add to them) and a member's edit page.

use super::form::{
    BLANK_MEMBERS, CLIENT_SUBJECT, ConsentsForm, MemberEdit, MembersForm, WithdrawForm,
};
use crate::auth::Authed;
use crate::kit::display::{Opt, date, odate, opts, opts_multi};
use crate::kit::form::EditState;
use crate::kit::grid::{FieldView, GridView, cell, choices, grid, padded, select};
use crate::kit::render::Nav;
use askama::Template;
use axum::http::StatusCode;
use chrono::NaiveDate;
use std::collections::HashMap;
use yorisoi_domain::team::{MemberKind, ShareConsentRecord, ShareSection, covers};
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
    /// Signing in to yorisoi: 「連携済み（login）」, 「招待中（…まで）」 or "".
    pub access: String,
    /// Bound to an account, or invited: the 解除 button is offered.
    pub linked_or_invited: bool,
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
    /// Each member row's account and open invitation.
    pub access: Vec<yorisoi_store::outside::MemberAccess>,
}

/// The forms of the team page as they are shown: fresh, or one of them refused.
#[derive(Default)]
pub struct TeamForms {
    pub message: &'static str,
    pub member: Option<EditState<MembersForm>>,
    pub consent: Option<EditState<ConsentsForm>>,
    pub withdraw: Option<EditState<WithdrawForm>>,
}

impl TeamForms {
    /// The message after a redirect `?saved=`.
    pub fn saved(saved: &str) -> Self {
        let message = match saved {
            "member" | "members" => "ケアチームに追加しました。",
            "member_edit" => "ケアチームのメンバーを更新しました。",
            "unlinked" => {
                "yorisoi との連携（または招待）を解除しました。この方は次の操作から、この利用者の情報を見られません。"
            }
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
    pub member: EditState<MembersForm>,
    /// The member grid, drawn by `form_body.html` (no plain fields).
    pub fields: Vec<FieldView>,
    pub grids: Vec<GridView>,
    pub consent: EditState<ConsentsForm>,
    /// Whose consent: (value, label, ticked) — 本人, then the family on the team.
    pub subject_rows: Vec<(String, String, bool)>,
    /// Other names typed (always at least two boxes).
    pub subject_others: Vec<String>,
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
            .unwrap_or_else(|| EditState::new(MembersForm::default(), ""));
        let consent = f
            .consent
            .unwrap_or_else(|| EditState::new(ConsentsForm::blank(today), ""));
        let (subject_rows, subject_others) = subjects(&d, &consent.input);
        TeamPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name: d.client_name,
            may_write: d.may_write,
            message: f.message.into(),
            members: d
                .members
                .iter()
                .map(|m| member_view(m, &records, today, &d.access))
                .collect(),
            consents: d
                .consents
                .iter()
                .map(|c| consent_view(c, &names, today))
                .collect(),
            fields: Vec::new(),
            grids: vec![member_grid(&member, &d.resources)],
            subject_rows,
            subject_others,
            member_choices: d
                .members
                .iter()
                .filter(|m| m.active)
                .map(|m| {
                    let id = m.id.to_string();
                    let sel = consent.input.consent.member_ids.contains(&id);
                    let none = m.record.kind.is_outside()
                        && !covers(&records, m.id, ShareSection::Plan, today);
                    (
                        id,
                        format!(
                            "{}（{}）{}",
                            m.record.name,
                            m.record.kind.label(),
                            if none { " — 同意なし" } else { "" }
                        ),
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

/// The grid of members to add: the rows typed (after a refusal) and blank ones.
fn member_grid(form: &EditState<MembersForm>, directory: &[(String, String, bool)]) -> GridView {
    let rows = padded(
        &form.input.rows,
        BLANK_MEMBERS.saturating_sub(form.input.rows.len()).max(2),
        |m| m.is_blank(),
    )
    .iter()
    .map(|m| {
        let dir = directory
            .iter()
            .map(|(v, l, _)| (v.clone(), l.clone(), *v == m.resource_id.trim()))
            .collect();
        vec![
            select(
                "member_kind",
                choices(
                    MemberKind::ALL,
                    |x| x.code(),
                    |x| x.label(),
                    &m.kind,
                    Some("（選ぶ）"),
                ),
                "種類",
            ),
            cell("member_name", &m.name, "text", "氏名"),
            cell("member_organisation", &m.organisation, "text", "所属"),
            cell("member_contact", &m.contact, "text", "連絡先"),
            select("member_resource_id", dir, "社会資源の一覧から"),
            cell("member_role", &m.role, "area", "計画での役割"),
        ]
    })
    .collect();
    let mut g = grid(
        "加える人",
        "1行に1人。何人でも一度に加えられます（空の行は無視します）。社会資源の一覧から選ぶと、空の氏名・所属・連絡先は一覧から入ります。",
        &[
            "種類",
            "氏名",
            "所属",
            "連絡先",
            "社会資源の一覧から",
            "計画での役割",
        ],
        "members",
        rows,
        &form.errors,
    );
    g.grows = true;
    g
}

/// The rows of "whose consent": 本人 and each family member on the team, ticked as sent; names
/// sent that are not among them go to the free boxes.
fn subjects(d: &TeamData, f: &ConsentsForm) -> (Vec<(String, String, bool)>, Vec<String>) {
    // One person with or without a bracketed relation (「青木 実（兄）」).
    let fold = yorisoi_domain::team::same_person_key;
    let picked = |v: &str| f.picked.iter().any(|p| fold(p) == fold(v));
    let mut rows = vec![(
        CLIENT_SUBJECT.to_string(),
        format!("本人（{}さん）", d.client_name),
        picked(CLIENT_SUBJECT),
    )];
    for m in d
        .members
        .iter()
        .filter(|m| m.active && m.record.kind == MemberKind::Family)
    {
        if rows.iter().all(|(v, _, _)| fold(v) != fold(&m.record.name)) {
            rows.push((
                m.record.name.clone(),
                format!("{}（家族）", m.record.name),
                picked(&m.record.name),
            ));
        }
    }
    let mut others: Vec<String> = f
        .picked
        .iter()
        .filter(|p| rows.iter().all(|(v, _, _)| fold(v) != fold(p)))
        .chain(f.others.iter().filter(|o| !o.trim().is_empty()))
        .cloned()
        .collect();
    while others.len() < 2 {
        others.push(String::new());
    }
    (rows, others)
}

fn member_view(
    m: &Member,
    consents: &[ShareConsentRecord],
    today: NaiveDate,
    access: &[yorisoi_store::outside::MemberAccess],
) -> MemberView {
    let a = access.iter().find(|a| a.member_id == m.id);
    let account = a.and_then(|a| a.account.as_ref());
    let until = a.and_then(|a| a.invited_until);
    let access_text = match (account, until) {
        (Some(u), _) if u.active => format!("連携済み（{}）", u.login),
        (Some(u), _) => format!("連携済み・停止中（{}）", u.login),
        (None, Some(t)) => format!("招待中（{}まで）", crate::kit::audit::jst(t)),
        (None, None) => String::new(),
    };
    MemberView {
        access: access_text,
        linked_or_invited: account.is_some() || until.is_some(),
        id: m.id,
        kind: m.record.kind.label(),
        name: m.record.name.clone(),
        organisation: m.record.organisation.clone(),
        contact: m.record.contact.clone(),
        role: m.record.role.clone(),
        active: m.active,
        // A family member who signs in sees only what the person consented to: their
        // coverage is shown like anyone's outside the office.
        outside: m.record.kind.is_outside()
            || (m.record.kind != MemberKind::Person && (account.is_some() || until.is_some())),
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
