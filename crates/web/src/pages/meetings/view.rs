//! The meeting page: the participants with their consent badges, and the six steps.

use crate::auth::Authed;
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::meeting::{MeetingInput, Participant, STEPS, TeamRef, uncovered};
use yorisoi_domain::team::ShareConsentRecord;
use yorisoi_store::team::Member;

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

/// What the form is shown against: the plan version, the team and its consents.
pub struct MeetingContext {
    pub plan_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub plan_label: String,
    pub members: Vec<Member>,
    pub consents: Vec<ShareConsentRecord>,
    /// Whose own words the plan carries (each of them consents for theirs).
    pub family_voices: yorisoi_domain::assessment::FamilyVoices,
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
    pub form: EditState<MeetingInput>,
    pub members: Vec<MemberChoice>,
    pub steps: [&'static str; 6],
    pub message: String,
    pub may_write: bool,
    /// Whose consent the invited participants still lack, each with where to record it:
    /// (「青木 洋子さんの同意」, link).
    pub consent_gaps: Vec<(String, String)>,
}

/// The consents the invited participants lack, as links to record each one (the subject filled
/// in for a family member's own).
fn consent_gaps(c: &MeetingContext, form: &MeetingInput) -> Vec<(String, String)> {
    let on = yorisoi_domain::date::parse_date(&form.held_on)
        .unwrap_or_else(|_| yorisoi_store::today_jst());
    let team: Vec<TeamRef> = c.members.iter().map(|m| m.team_ref()).collect();
    let invited: Vec<Participant> = form
        .participants
        .iter()
        .filter_map(|p| p.trim().parse::<i64>().ok())
        .map(|member_id| Participant {
            member_id,
            attended: false,
        })
        .collect();
    let gap = uncovered(&invited, &team, &c.consents, on, &c.family_voices);
    let team_page = format!("/clients/{}/team", c.client_id);
    let mut v = Vec::new();
    if !gap.client.is_empty() {
        v.push(("本人の同意".to_string(), format!("{team_page}#consent")));
    }
    for name in gap.family_names() {
        let q = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
        v.push((
            format!("{name}さんの同意"),
            format!("{team_page}?subject={q}#consent"),
        ));
    }
    v
}

fn member_choices(c: &MeetingContext, form: &MeetingInput) -> Vec<MemberChoice> {
    let on = yorisoi_domain::date::parse_date(&form.held_on)
        .unwrap_or_else(|_| yorisoi_store::today_jst());
    let team: Vec<TeamRef> = c.members.iter().map(|m| m.team_ref()).collect();
    c.members
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
                &c.family_voices,
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
        .collect()
}

impl MeetingPage {
    pub fn new(
        user: &Authed,
        c: MeetingContext,
        action: String,
        form: EditState<MeetingInput>,
    ) -> Self {
        MeetingPage {
            nav: Nav::new(user, "clients"),
            action,
            members: member_choices(&c, &form.input),
            consent_gaps: consent_gaps(&c, &form.input),
            plan_id: c.plan_id,
            client_id: c.client_id,
            client_name: c.client_name,
            plan_label: c.plan_label,
            form,
            steps: STEPS,
            message: String::new(),
            may_write: true,
        }
    }

    /// A stored meeting: whether the user may change it, and what was just saved.
    pub fn stored(mut self, may_write: bool, saved: bool) -> Self {
        self.may_write = may_write;
        if saved {
            self.message = if self.form.input.held == "yes" {
                "会議の記録を保存しました。計画は「会議済」になりました。".into()
            } else {
                "会議の予定を保存しました。開催したら、この画面で記録して「開催済み」にします。"
                    .into()
            };
        }
        self
    }
}
