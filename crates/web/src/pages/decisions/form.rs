//! The 意思決定支援 record's forms: one typed form per section (the start form is the first
//! section, 決めること). A grid arrives as parallel columns and is read into the domain's rows;
//! the other sections of the input stay as they were.

use crate::error::AppError;
use crate::kit::form::RawForm;
use crate::kit::grid::{at, row_count};
use crate::kit::section::Sections;
use serde::Deserialize;
use yorisoi_domain::decision::*;

pub const SECTIONS: Sections = &[
    ("question", "決めること"),
    ("meetings", "会議と参加者"),
    ("information", "情報提供"),
    ("experiences", "体験と観察"),
    ("will", "本人の意思・根拠"),
    ("decision", "決定と実現"),
];

/// 決めること (also the start form).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Question {
    pub question: String,
    pub background: String,
    pub lead_user_id: String,
    pub started_on: String,
    pub step: String,
}

/// 会議と参加者.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Meetings {
    pub meeting_held_on: Vec<String>,
    pub meeting_purpose: Vec<String>,
    pub meeting_discussion: Vec<String>,
    pub meeting_agreed: Vec<String>,
    pub participant_held_on: Vec<String>,
    pub participant_name: Vec<String>,
    pub participant_role: Vec<String>,
    pub participant_knows: Vec<String>,
}

impl Meetings {
    fn meetings(&self) -> Vec<MeetingRow> {
        let n = row_count(&[
            &self.meeting_held_on,
            &self.meeting_purpose,
            &self.meeting_discussion,
            &self.meeting_agreed,
        ]);
        (0..n)
            .map(|i| MeetingRow {
                held_on: at(&self.meeting_held_on, i),
                purpose: at(&self.meeting_purpose, i),
                discussion: at(&self.meeting_discussion, i),
                agreed: at(&self.meeting_agreed, i),
            })
            .collect()
    }

    fn participants(&self) -> Vec<ParticipantRow> {
        let n = row_count(&[
            &self.participant_held_on,
            &self.participant_name,
            &self.participant_role,
            &self.participant_knows,
        ]);
        (0..n)
            .map(|i| ParticipantRow {
                held_on: at(&self.participant_held_on, i),
                name: at(&self.participant_name, i),
                role: at(&self.participant_role, i),
                knows: at(&self.participant_knows, i),
            })
            .collect()
    }
}

/// 情報提供.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Information {
    pub info_on: Vec<String>,
    pub info_what: Vec<String>,
    pub info_method: Vec<String>,
    pub info_reaction: Vec<String>,
}

/// 体験と観察.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Experiences {
    pub exp_place: Vec<String>,
    pub exp_from: Vec<String>,
    pub exp_until: Vec<String>,
    pub exp_purpose: Vec<String>,
    pub obs_on: Vec<String>,
    pub obs_text: Vec<String>,
    pub obs_by: Vec<String>,
}

/// 本人の意思・根拠.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Will {
    pub evidence_kind: Vec<String>,
    pub evidence_text: Vec<String>,
    pub evidence_source: Vec<String>,
    pub expressed: String,
    pub person_words: String,
    pub estimated_will: String,
    pub grounds: String,
}

/// 決定と実現.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Decided {
    pub step: String,
    pub decision: String,
    pub decided_on: String,
    pub realisation: String,
    pub follow_up_on: String,
    pub follow_up_note: String,
}

/// One section's form, read from the body by the section's code.
pub enum SectionForm {
    Question(Question),
    Meetings(Meetings),
    Information(Information),
    Experiences(Experiences),
    Will(Will),
    Decided(Decided),
}

impl SectionForm {
    /// Reads the body as the form of `section` (a known code: see [`SECTIONS`]).
    pub fn parse(section: &str, body: &RawForm) -> Result<Self, AppError> {
        Ok(match section {
            "question" => Self::Question(body.parse()?),
            "meetings" => Self::Meetings(body.parse()?),
            "information" => Self::Information(body.parse()?),
            "experiences" => Self::Experiences(body.parse()?),
            "will" => Self::Will(body.parse()?),
            "decision" => Self::Decided(body.parse()?),
            _ => return Err(AppError::NotFound),
        })
    }

    /// Puts this section's values into `i`; other sections stay as they were.
    pub fn apply(self, i: &mut DecisionInput) {
        match self {
            Self::Question(f) => f.apply(i),
            Self::Meetings(f) => {
                i.meetings = f.meetings();
                i.participants = f.participants();
            }
            Self::Information(f) => {
                let n = row_count(&[&f.info_on, &f.info_what, &f.info_method, &f.info_reaction]);
                i.information = (0..n)
                    .map(|r| InfoRow {
                        on: at(&f.info_on, r),
                        what: at(&f.info_what, r),
                        method: at(&f.info_method, r),
                        reaction: at(&f.info_reaction, r),
                    })
                    .collect();
            }
            Self::Experiences(f) => {
                let n = row_count(&[&f.exp_place, &f.exp_from, &f.exp_until, &f.exp_purpose]);
                i.experiences = (0..n)
                    .map(|r| ExperienceRow {
                        place: at(&f.exp_place, r),
                        from: at(&f.exp_from, r),
                        until: at(&f.exp_until, r),
                        purpose: at(&f.exp_purpose, r),
                    })
                    .collect();
                let n = row_count(&[&f.obs_on, &f.obs_text, &f.obs_by]);
                i.observations = (0..n)
                    .map(|r| ObservationRow {
                        on: at(&f.obs_on, r),
                        text: at(&f.obs_text, r),
                        by: at(&f.obs_by, r),
                    })
                    .collect();
            }
            Self::Will(f) => {
                let n = row_count(&[&f.evidence_kind, &f.evidence_text, &f.evidence_source]);
                i.evidence = (0..n)
                    .map(|r| EvidenceRow {
                        kind: at(&f.evidence_kind, r),
                        text: at(&f.evidence_text, r),
                        source: at(&f.evidence_source, r),
                    })
                    .collect();
                i.expressed = f.expressed;
                i.person_words = f.person_words;
                i.estimated_will = f.estimated_will;
                i.grounds = f.grounds;
            }
            Self::Decided(f) => {
                i.step = f.step;
                i.decision = f.decision;
                i.decided_on = f.decided_on;
                i.realisation = f.realisation;
                i.follow_up_on = f.follow_up_on;
                i.follow_up_note = f.follow_up_note;
            }
        }
    }
}

impl Question {
    fn apply(self, i: &mut DecisionInput) {
        i.question = self.question;
        i.background = self.background;
        i.lead_user_id = self.lead_user_id;
        i.started_on = self.started_on;
        i.step = self.step;
    }

    /// A new record's input from the start form.
    pub fn into_input(self) -> DecisionInput {
        let mut i = DecisionInput::default();
        self.apply(&mut i);
        i
    }
}

/// Takes `section`'s fields of `from` into `to`, leaving the other sections as they were (the
/// API's section save: the same sections as the pages). False for an unknown section.
pub fn take_section(section: &str, from: DecisionInput, to: &mut DecisionInput) -> bool {
    match section {
        "question" => {
            to.question = from.question;
            to.background = from.background;
            to.lead_user_id = from.lead_user_id;
            to.started_on = from.started_on;
            to.step = from.step;
        }
        "meetings" => {
            to.meetings = from.meetings;
            to.participants = from.participants;
        }
        "information" => to.information = from.information,
        "experiences" => {
            to.experiences = from.experiences;
            to.observations = from.observations;
        }
        "will" => {
            to.evidence = from.evidence;
            to.expressed = from.expressed;
            to.person_words = from.person_words;
            to.estimated_will = from.estimated_will;
            to.grounds = from.grounds;
        }
        "decision" => {
            to.step = from.step;
            to.decision = from.decision;
            to.decided_on = from.decided_on;
            to.realisation = from.realisation;
            to.follow_up_on = from.follow_up_on;
            to.follow_up_note = from.follow_up_note;
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: &[(&str, &str)]) -> RawForm {
        RawForm(serde_urlencoded::to_string(v).unwrap().into())
    }

    #[test]
    fn a_section_keeps_the_others() {
        let mut i = DecisionInput::start("住まいをどうするか", 7, chrono::NaiveDate::MIN);
        SectionForm::parse(
            "meetings",
            &body(&[
                ("meeting_held_on", "2026-06-10"),
                ("meeting_purpose", "第1回"),
                ("meeting_discussion", ""),
                ("meeting_agreed", "体験利用"),
                ("participant_held_on", "2026-06-10"),
                ("participant_name", "成年後見人"),
                ("participant_role", "後見人"),
                ("participant_knows", "帰省時の様子"),
            ]),
        )
        .unwrap()
        .apply(&mut i);
        assert_eq!(i.question, "住まいをどうするか");
        assert_eq!(i.meetings[0].agreed, "体験利用");
        assert_eq!(i.participants[0].knows, "帰省時の様子");
    }

    #[test]
    fn an_unknown_section_is_not_found() {
        assert!(matches!(
            SectionForm::parse("nothing", &body(&[])),
            Err(AppError::NotFound)
        ));
    }
}
