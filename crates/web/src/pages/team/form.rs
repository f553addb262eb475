//! The team page's forms: a member (added or edited), a consent given, a consent withdrawn.

use crate::error::AppError;
use crate::kit::form::{ActiveField, RawForm, VersionField, parse_id};
use chrono::NaiveDate;
use yorisoi_domain::team::{ShareConsentInput, TeamMemberInput};

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
