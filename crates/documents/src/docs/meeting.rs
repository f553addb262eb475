//! サービス担当者会議の記録.

use super::{Common, Ctx, Labelled, Person, labelled};
use serde::Serialize;
use yorisoi_domain::meeting::MeetingRecord;

/// A participant as the care team holds them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantDoc {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub attended: bool,
}

/// The data of the meeting record template (`templates/meeting/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    /// 招集者 (the specialist).
    pub planner: String,
    pub held_on: String,
    /// "14:00" or "".
    pub start: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    /// The plan discussed: "サービス等利用計画（案） 第2版".
    pub plan: String,
    pub participants: Vec<ParticipantDoc>,
    /// The seed's agenda, 1 to 6, in order: メンバー紹介, アセスメント・計画案の提示と検討 (with the
    /// municipality's view), 役割分担の確認, 現状ではできないことの確認, 次回開催日・キーパーソン,
    /// 利用者の同意と役割確認.
    pub agenda: Vec<Labelled>,
    pub conclusions: String,
    pub remaining: String,
    /// false while the meeting is only planned.
    pub held: bool,
}

pub fn meeting_doc(
    r: &MeetingRecord,
    plan: &str,
    participants: Vec<ParticipantDoc>,
    cx: &Ctx,
) -> MeetingDoc {
    let ds = cx.dates;
    let next = [
        r.next_date.map(|d| format!("次回開催日: {}", ds.date(d))),
        (!r.key_person.is_empty()).then(|| format!("キーパーソン: {}", r.key_person)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    let discussion = [r.discussion.as_str(), r.municipality_view.as_str()]
        .iter()
        .zip(["", "市町村の方針: "])
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, p)| format!("{p}{t}"))
        .collect::<Vec<_>>()
        .join("\n");
    MeetingDoc {
        common: cx.common("サービス担当者会議の記録"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        held_on: ds.date(r.held_on),
        start: r
            .start
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        place: r.place.clone(),
        chair: r.chair.clone(),
        recorder: r.recorder.clone(),
        plan: plan.into(),
        participants,
        agenda: labelled(&[
            ("1 メンバー紹介", &r.introductions),
            ("2 アセスメント・計画案の提示と検討", &discussion),
            ("3 役割分担の確認", &r.roles),
            ("4 現状ではできないことの確認", &r.cannot_do.join("\n")),
            ("5 次回開催日・キーパーソン", &next),
            ("6 利用者の同意と役割確認", &r.consent_and_roles),
        ]),
        conclusions: r.conclusions.clone(),
        remaining: r.remaining.clone(),
        held: r.held,
    }
}
