//! The meeting form: the domain's input as posted (participants and attendance are repeated
//! checkbox fields of team member ids).

use chrono::NaiveDate;
pub use yorisoi_domain::meeting::MeetingInput;
use yorisoi_store::team::Member;

/// A new meeting on `today`, chaired by `chair`: everyone active in the team is invited by
/// default, and the specialist removes who will not come.
pub fn new_meeting(today: NaiveDate, members: &[Member], chair: &str) -> MeetingInput {
    MeetingInput {
        held_on: today.to_string(),
        participants: members
            .iter()
            .filter(|m| m.active)
            .map(|m| m.id.to_string())
            .collect(),
        chair: chair.to_string(),
        ..Default::default()
    }
}
