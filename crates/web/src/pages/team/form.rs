//! The team page's forms: a member (added or edited), a consent given, a consent withdrawn.

use crate::error::AppError;
use crate::kit::form::{ActiveField, RawForm, VersionField, parse_id};
use crate::kit::grid::{at, row_count};
use chrono::NaiveDate;
use yorisoi_domain::plan::ServiceCategory;
use yorisoi_domain::team::{ConsentSetInput, MemberKind, ShareConsentInput, TeamMemberInput};
use yorisoi_store::resources::Resource;

/// A member's edit form: the member's fields, and whether they stay on the team.
#[derive(Debug, Clone, Default)]
pub struct MemberEdit {
    pub member: TeamMemberInput,
    pub active: bool,
}

impl MemberEdit {
    /// The form as sent, and the version it was read at.
    pub fn read(body: &RawForm) -> Result<(Self, i32), AppError> {
        let version = body.parse::<VersionField>()?.parse()?;
        let form = MemberEdit {
            member: body.parse()?,
            active: body.parse::<ActiveField>()?.is_active(),
        };
        Ok((form, version))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ReplacesField {
    replaces: String,
}

/// The consent form: the consent as typed, and the consent it replaces ("" for none).
#[derive(Debug, Clone, Default)]
pub struct ConsentForm {
    pub consent: ShareConsentInput,
    pub replaces: String,
}

impl ConsentForm {
    pub fn read(body: &RawForm) -> Result<Self, AppError> {
        Ok(ConsentForm {
            consent: body.parse()?,
            replaces: body.parse::<ReplacesField>()?.replaces,
        })
    }

    /// A new consent as the form first offers it: given today, for the usual purpose, with no
    /// section ticked (consent is explicit: each section is chosen with the person).
    pub fn blank(today: NaiveDate) -> Self {
        ConsentForm {
            consent: ShareConsentInput {
                given_on: today.to_string(),
                purpose: "サービス担当者会議とサービス提供のための情報共有".into(),
                ..Default::default()
            },
            replaces: String::new(),
        }
    }

    /// The consent chosen to be replaced, if any.
    pub fn replaces(&self) -> Result<Option<i64>, AppError> {
        match self.replaces.trim() {
            "" => Ok(None),
            s => parse_id(s, "差し替える同意").map(Some),
        }
    }
}

/// The withdrawal of a consent: from when (today if left empty).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub withdrawn_on: String,
}

/// Blank member rows the team page offers (8 people can be added in one save without
/// JavaScript; with it, 「行を追加」 adds more).
pub const BLANK_MEMBERS: usize = 8;

/// The grid of members to add: one row per person, every cell always sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct MemberColumns {
    member_kind: Vec<String>,
    member_name: Vec<String>,
    member_organisation: Vec<String>,
    member_contact: Vec<String>,
    member_resource_id: Vec<String>,
    member_role: Vec<String>,
}

/// The members typed into the grid (rows in order, empty ones included so that errors keyed
/// `members[i]` land on their row).
#[derive(Debug, Clone, Default)]
pub struct MembersForm {
    pub rows: Vec<TeamMemberInput>,
}

impl MembersForm {
    pub fn read(body: &RawForm) -> Result<Self, AppError> {
        let c: MemberColumns = body.parse()?;
        let n = row_count(&[
            &c.member_kind,
            &c.member_name,
            &c.member_organisation,
            &c.member_contact,
            &c.member_resource_id,
            &c.member_role,
        ]);
        Ok(MembersForm {
            rows: (0..n)
                .map(|i| TeamMemberInput {
                    kind: at(&c.member_kind, i),
                    name: at(&c.member_name, i),
                    organisation: at(&c.member_organisation, i),
                    contact: at(&c.member_contact, i),
                    resource_id: at(&c.member_resource_id, i),
                    role: at(&c.member_role, i),
                })
                .collect(),
        })
    }

    /// The single member form's input as the first row of the grid.
    pub fn of_one(m: TeamMemberInput) -> Self {
        MembersForm { rows: vec![m] }
    }
}

/// Fills a row's blank 氏名・所属・連絡先 (and the kind, for a welfare provider) from the
/// directory entry chosen, so that choosing from the list is enough — as the ecomap's ties do.
pub fn fill_from_directory(rows: &mut [TeamMemberInput], directory: &[Resource]) {
    for m in rows {
        let Some(r) = directory
            .iter()
            .find(|r| r.id.to_string() == m.resource_id.trim())
        else {
            continue;
        };
        let r = &r.record;
        if m.organisation.trim().is_empty() {
            m.organisation = r.name.chars().take(100).collect();
        }
        if m.name.trim().is_empty() {
            let who = if r.contact_person.trim().is_empty() {
                &r.name
            } else {
                &r.contact_person
            };
            m.name = who.chars().take(60).collect();
        }
        if m.contact.trim().is_empty() {
            m.contact = r.phone.chars().take(100).collect();
        }
        if m.kind.trim().is_empty() && r.category == ServiceCategory::Welfare {
            m.kind = MemberKind::Provider.code().into();
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SubjectFields {
    subject_pick: Vec<String>,
    subject_other: Vec<String>,
    replaces: String,
}

/// The value of the 本人 row among the subjects.
pub const CLIENT_SUBJECT: &str = "本人";

/// The consent form: whose consents (本人 and family members ticked, other names typed), what
/// they share, and the consent replaced (one subject only).
#[derive(Debug, Clone, Default)]
pub struct ConsentsForm {
    pub consent: ShareConsentInput,
    /// Ticked rows: 「本人」 or a family member's name.
    pub picked: Vec<String>,
    /// Names typed into the free rows.
    pub others: Vec<String>,
    pub replaces: String,
}

impl ConsentsForm {
    pub fn read(body: &RawForm) -> Result<Self, AppError> {
        let f: SubjectFields = body.parse()?;
        Ok(ConsentsForm {
            consent: body.parse()?,
            picked: f.subject_pick,
            others: f.subject_other,
            replaces: f.replaces,
        })
    }

    /// A fresh form: given today, the usual purpose, nobody and no section ticked (consent is
    /// explicit: each person and each section is chosen with them).
    pub fn blank(today: NaiveDate) -> Self {
        let one = ConsentForm::blank(today);
        ConsentsForm {
            consent: one.consent,
            ..Default::default()
        }
    }

    /// The single consent form's input, as this form shows it.
    pub fn of_one(f: ConsentForm) -> Self {
        let subject = if f.consent.subject.trim().is_empty() {
            CLIENT_SUBJECT.to_string()
        } else {
            f.consent.subject.clone()
        };
        ConsentsForm {
            consent: f.consent,
            picked: vec![subject],
            others: Vec::new(),
            replaces: f.replaces,
        }
    }

    /// Everyone whose consent is recorded: ticked rows, then names typed.
    pub fn subjects(&self) -> Vec<String> {
        self.picked
            .iter()
            .chain(self.others.iter().filter(|o| !o.trim().is_empty()))
            .map(|s| {
                if s.trim() == CLIENT_SUBJECT {
                    String::new()
                } else {
                    s.clone()
                }
            })
            .collect()
    }

    pub fn set(&self) -> ConsentSetInput {
        ConsentSetInput {
            subjects: self.subjects(),
            member_ids: self.consent.member_ids.clone(),
            sections: self.consent.sections.clone(),
            purpose: self.consent.purpose.clone(),
            given_on: self.consent.given_on.clone(),
            document: self.consent.document.clone(),
        }
    }

    /// The consent chosen to be replaced (only when one person's consent is recorded).
    pub fn replaces(&self) -> Result<Option<i64>, AppError> {
        match self.replaces.trim() {
            "" => Ok(None),
            s => parse_id(s, "差し替える同意").map(Some),
        }
    }
}
