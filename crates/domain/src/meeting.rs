//! サービス担当者会議 (DOMAIN.md §3.5): scheduled with participants from the care team, then
//! recorded in the seed's six steps. Nobody outside the person and family may be listed to
//! receive information that no consent covers.

use crate::assessment::{FamilyVoices, parse_time};
use crate::client::{optional_date, required_date};
use crate::errors::FieldErrors;
use crate::team::{MemberKind, ShareConsentRecord, ShareSection, covers, covers_own};
use crate::text;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = MeetingParticipant)]
pub struct Participant {
    pub member_id: i64,
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingRecord {
    pub held_on: NaiveDate,
    pub start: Option<NaiveTime>,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub participants: Vec<Participant>,
    /// 1 メンバー紹介
    pub introductions: String,
    /// 2 アセスメント・計画案の提示と検討
    pub discussion: String,
    /// 2 (市町村の方針)
    pub municipality_view: String,
    /// 3 役割分担の確認
    pub roles: String,
    /// 4 現状ではできないことの確認 — one item per line, kept as candidate 地域課題.
    pub cannot_do: Vec<String>,
    /// 5 次回開催日・キーパーソン
    pub next_date: Option<NaiveDate>,
    pub key_person: String,
    /// 6 利用者の同意と役割確認
    pub consent_and_roles: String,
    pub conclusions: String,
    pub remaining: String,
    /// Recorded as held (not only scheduled).
    pub held: bool,
}

/// The six steps, in the seed's words.
pub const STEPS: [&str; 6] = [
    "1 メンバー紹介",
    "2 アセスメント・計画案の提示と検討",
    "3 役割分担の確認",
    "4 現状ではできないことの確認",
    "5 次回開催日・キーパーソン",
    "6 利用者の同意と役割確認",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    /// 開催日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub held_on: String,
    pub start: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    /// Team member ids invited.
    pub participants: Vec<String>,
    /// Team member ids who attended.
    pub attended: Vec<String>,
    pub introductions: String,
    pub discussion: String,
    pub municipality_view: String,
    pub roles: String,
    pub cannot_do: String,
    /// 次回開催予定日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub next_date: String,
    pub key_person: String,
    pub consent_and_roles: String,
    pub conclusions: String,
    pub remaining: String,
    /// "yes" to record it as held.
    pub held: String,
}

/// One care-team member as the meeting rules need them.
#[derive(Debug, Clone)]
pub struct TeamRef {
    pub id: i64,
    pub kind: MemberKind,
    pub name: String,
}

/// Who at a meeting may not receive what the plan holds.
#[derive(Debug, Default, PartialEq)]
pub struct Uncovered {
    /// Participants from outside whom the person's own consent does not cover.
    pub client: Vec<String>,
    /// Family members whose consent does not cover some participants.
    pub family: Vec<FamilyGap>,
}

/// A family member whose own information the plan may carry, and the participants their consent
/// does not reach.
#[derive(Debug, PartialEq)]
pub struct FamilyGap {
    pub name: String,
    pub participants: Vec<String>,
    /// Named as the speaker of words in the plan (else: asked because some words have no
    /// speaker recorded).
    pub said: bool,
}

impl Uncovered {
    pub fn is_empty(&self) -> bool {
        self.client.is_empty() && self.family.is_empty()
    }

    /// The family members whose consent is missing (to link to recording it).
    pub fn family_names(&self) -> Vec<String> {
        self.family.iter().map(|g| g.name.clone()).collect()
    }

    /// What to do, in Japanese, one sentence per gap.
    pub fn message(&self) -> String {
        let mut m = Vec::new();
        if !self.client.is_empty() {
            m.push(format!(
                "{}さんには、計画の情報を提供する本人の同意（個人情報使用同意）がありません。",
                self.client.join("さん、")
            ));
        }
        for g in &self.family {
            let (family, who) = (&g.name, g.participants.join("さん、"));
            m.push(if g.said {
                format!(
                    "計画の「家族の意向」には{family}さんの言葉があり、{family}さん自身の情報です。{family}さんの同意が{who}さんに及んでいません。"
                )
            } else {
                format!("{family}さんの同意が{who}さんに及んでいません。")
            });
        }
        if self.family.iter().any(|g| !g.said) {
            m.push(
                "（計画の「家族の意向」に誰の言葉かが記録されていないため、家族全員の同意を確かめています。計画の「希望」で話した人を記録すると、その人の同意だけで足ります。）"
                    .into(),
            );
        }
        if !m.is_empty() {
            m.push(
                "「ケアチーム・同意」の画面で同意を記録するか、参加者から外してください。".into(),
            );
        }
        m.concat()
    }
}

/// Participants from outside the person and family whom the consents in force on `on` do not
/// let receive the plan. The person's consent covers their own information; the family members
/// whose own words the plan carries (`voices`) must each consent for theirs (a consent whose
/// subject is that person's name) — exactly they, not every relative in the team. Words without
/// a recorded speaker (older plans) ask every family member of the team, as before.
pub fn uncovered(
    participants: &[Participant],
    team: &[TeamRef],
    consents: &[ShareConsentRecord],
    on: NaiveDate,
    voices: &FamilyVoices,
) -> Uncovered {
    let outside: Vec<&TeamRef> = participants
        .iter()
        .filter_map(|p| team.iter().find(|t| t.id == p.member_id))
        .filter(|t| t.kind.is_outside())
        .collect();
    let mut u = Uncovered::default();
    for t in &outside {
        if !covers(consents, t.id, ShareSection::Plan, on) {
            u.client.push(t.name.clone());
        }
    }
    let mut speakers: Vec<(String, bool)> =
        voices.speakers.iter().map(|s| (s.clone(), true)).collect();
    if voices.unattributed {
        for f in team.iter().filter(|t| t.kind == MemberKind::Family) {
            let key = crate::team::same_person_key(&f.name);
            if !speakers
                .iter()
                .any(|(s, _)| crate::team::same_person_key(s) == key)
            {
                speakers.push((f.name.clone(), false));
            }
        }
    }
    for (name, said) in speakers {
        let who: Vec<String> = outside
            .iter()
            .filter(|t| !u.client.contains(&t.name))
            .filter(|t| !covers_own(consents, &name, t.id, ShareSection::Plan, on))
            .map(|t| t.name.clone())
            .collect();
        if !who.is_empty() {
            u.family.push(FamilyGap {
                name,
                participants: who,
                said,
            });
        }
    }
    u
}

impl MeetingInput {
    /// Validates against the client's team and consents; `voices`: whose own words the plan
    /// discussed carries.
    pub fn validate(
        &self,
        today: NaiveDate,
        team: &[TeamRef],
        consents: &[ShareConsentRecord],
        voices: &FamilyVoices,
    ) -> Result<MeetingRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let held = text::is_yes(&self.held);
        let held_on = required_date(&mut e, "held_on", &self.held_on);
        if held && held_on.is_some_and(|d| d > today) {
            e.add(
                "held",
                "開催日が未来の会議は「開催済み」にできません。日付を確かめてください。",
            );
        }
        let start = if self.start.trim().is_empty() {
            None
        } else {
            let t = parse_time(&self.start);
            if t.is_none() {
                e.add("start", "時刻は「14:00」や「14時」のように書いてください。");
            }
            t
        };
        let mut participants: Vec<Participant> = Vec::new();
        for raw in &self.participants {
            match raw.trim().parse::<i64>() {
                Ok(id) if team.iter().any(|t| t.id == id) => {
                    if !participants.iter().any(|p| p.member_id == id) {
                        participants.push(Participant {
                            member_id: id,
                            attended: self.attended.iter().any(|a| a.trim() == raw.trim()),
                        });
                    }
                }
                _ => e.add(
                    "participants",
                    "ケアチームにいない参加者が含まれています。一覧から選び直してください。",
                ),
            }
        }
        if participants.is_empty() && e.get("participants").is_none() {
            e.add(
                "participants",
                "参加者をケアチームから1人以上選んでください。",
            );
        }
        if let Some(on) = held_on {
            let missing = uncovered(&participants, team, consents, on, voices);
            if !missing.is_empty() {
                e.add("participants", missing.message());
            }
        }
        let line = |e: &mut FieldErrors, f: &str, v: &str| text::optional_line(e, f, v, 100);
        let long = |e: &mut FieldErrors, f: &str, v: &str| text::optional_text(e, f, v, 4000);
        let place = line(&mut e, "place", &self.place);
        let chair = line(&mut e, "chair", &self.chair);
        let recorder = line(&mut e, "recorder", &self.recorder);
        let introductions = long(&mut e, "introductions", &self.introductions);
        let discussion = long(&mut e, "discussion", &self.discussion);
        let municipality_view = long(&mut e, "municipality_view", &self.municipality_view);
        let roles = long(&mut e, "roles", &self.roles);
        let cannot_do = long(&mut e, "cannot_do", &self.cannot_do)
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches(['・', '-', '*'])
                    .trim()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        let next_date = optional_date(&mut e, "next_date", &self.next_date);
        if let (Some(n), Some(h)) = (next_date, held_on)
            && n <= h
        {
            e.add(
                "next_date",
                "次回開催日は今回の開催日より後にしてください。",
            );
        }
        let key_person = line(&mut e, "key_person", &self.key_person);
        let consent_and_roles = long(&mut e, "consent_and_roles", &self.consent_and_roles);
        let conclusions = long(&mut e, "conclusions", &self.conclusions);
        let remaining = long(&mut e, "remaining", &self.remaining);
        if held && conclusions.is_empty() {
            e.add(
                "conclusions",
                "開催済みにするには、会議の結論を書いてください。",
            );
        }
        match held_on {
            Some(held_on) if e.is_empty() => Ok(MeetingRecord {
                held_on,
                start,
                place,
                chair,
                recorder,
                participants,
                introductions,
                discussion,
                municipality_view,
                roles,
                cannot_do,
                next_date,
                key_person,
                consent_and_roles,
                conclusions,
                remaining,
                held,
            }),
            _ => Err(e),
        }
    }

    pub fn from_record(m: &MeetingRecord) -> Self {
        MeetingInput {
            held_on: m.held_on.to_string(),
            start: m
                .start
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            place: m.place.clone(),
            chair: m.chair.clone(),
            recorder: m.recorder.clone(),
            participants: m
                .participants
                .iter()
                .map(|p| p.member_id.to_string())
                .collect(),
            attended: m
                .participants
                .iter()
                .filter(|p| p.attended)
                .map(|p| p.member_id.to_string())
                .collect(),
            introductions: m.introductions.clone(),
            discussion: m.discussion.clone(),
            municipality_view: m.municipality_view.clone(),
            roles: m.roles.clone(),
            cannot_do: m.cannot_do.join("\n"),
            next_date: m.next_date.map(|d| d.to_string()).unwrap_or_default(),
            key_person: m.key_person.clone(),
            consent_and_roles: m.consent_and_roles.clone(),
            conclusions: m.conclusions.clone(),
            remaining: m.remaining.clone(),
            held: if m.held { "yes".into() } else { String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn team() -> Vec<TeamRef> {
        vec![
            TeamRef {
                id: 1,
                kind: MemberKind::Person,
                name: "A".into(),
            },
            TeamRef {
                id: 2,
                kind: MemberKind::Provider,
                name: "B型サビ管".into(),
            },
            TeamRef {
                id: 3,
                kind: MemberKind::Municipality,
                name: "市CW".into(),
            },
        ]
    }

    fn consent(members: Vec<i64>) -> ShareConsentRecord {
        ShareConsentRecord {
            subject: String::new(),
            member_ids: members,
            sections: vec![ShareSection::Plan],
            purpose: "会議".into(),
            given_on: d(2026, 4, 1),
            document: String::new(),
            withdrawn_on: None,
        }
    }

    fn input() -> MeetingInput {
        MeetingInput {
            held_on: "2026-05-08".into(),
            start: "14時".into(),
            participants: vec!["1".into(), "2".into(), "3".into()],
            attended: vec!["1".into(), "2".into()],
            cannot_do: "・夜間の見守り\n\n・休日の移動支援の空き".into(),
            conclusions: "計画案のとおり".into(),
            held: "yes".into(),
            ..Default::default()
        }
    }

    fn none() -> FamilyVoices {
        FamilyVoices::default()
    }

    /// An older plan: family words without a speaker.
    fn unattributed() -> FamilyVoices {
        FamilyVoices {
            speakers: Vec::new(),
            unattributed: true,
        }
    }

    #[test]
    fn only_the_family_members_whose_words_the_plan_carries_must_consent() {
        // The wife's words; her sister helps on Sundays and is in the team as 家族.
        let mut team = team();
        team.push(TeamRef {
            id: 5,
            kind: MemberKind::Family,
            name: "青木 和子".into(),
        });
        let wife = FamilyVoices {
            speakers: vec!["青木 洋子".into()],
            unattributed: false,
        };
        let own = consent(vec![2, 3]);
        let e = input()
            .validate(d(2026, 6, 1), &team, std::slice::from_ref(&own), &wife)
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(m.contains("青木 洋子さんの言葉"), "{m}");
        assert!(
            !m.contains("和子"),
            "the sister's consent is not asked: {m}"
        );
        // The wife's own consent (her name as written on it, spacing and a bracketed relation
        // aside) is enough.
        let hers = ShareConsentRecord {
            subject: "青木洋子（妻）".into(),
            ..consent(vec![2, 3])
        };
        assert!(
            input()
                .validate(d(2026, 6, 1), &team, &[own.clone(), hers], &wife)
                .is_ok()
        );
        // An older plan without speakers still asks every family member (the sister too).
        let e = input()
            .validate(d(2026, 6, 1), &team, &[own], &unattributed())
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(
            m.contains("青木 和子さんの同意") && m.contains("話した人を記録する"),
            "{m}"
        );
    }

    #[test]
    fn a_participant_without_consent_is_refused_by_name() {
        let e = input()
            .validate(d(2026, 6, 1), &team(), &[consent(vec![2])], &none())
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(m.contains("市CW") && !m.contains("B型"), "{m}");
    }

    fn with_mother() -> Vec<TeamRef> {
        let mut t = team();
        t.push(TeamRef {
            id: 4,
            kind: MemberKind::Family,
            name: "母".into(),
        });
        t
    }

    #[test]
    fn the_familys_words_need_the_family_members_own_consent() {
        let own = consent(vec![2, 3]);
        // Without family words on the plan, the person's consent is enough.
        assert!(
            input()
                .validate(
                    d(2026, 6, 1),
                    &with_mother(),
                    std::slice::from_ref(&own),
                    &none()
                )
                .is_ok()
        );
        let e = input()
            .validate(
                d(2026, 6, 1),
                &with_mother(),
                std::slice::from_ref(&own),
                &unattributed(),
            )
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(
            m.contains("母さんの同意がB型サビ管さん、市CWさんに及んでいません")
                && m.contains("話した人を記録する"),
            "{m}"
        );
        // The mother consents for the provider only.
        let mother = ShareConsentRecord {
            subject: "母".into(),
            ..consent(vec![2])
        };
        let e = input()
            .validate(
                d(2026, 6, 1),
                &with_mother(),
                &[own.clone(), mother.clone()],
                &unattributed(),
            )
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(m.contains("市CW") && !m.contains("B型"), "{m}");
        let all = ShareConsentRecord {
            member_ids: vec![2, 3],
            ..mother
        };
        assert!(
            input()
                .validate(
                    d(2026, 6, 1),
                    &with_mother(),
                    &[own, all.clone()],
                    &unattributed()
                )
                .is_ok()
        );
        // The family member's consent never stands in for the person's own.
        let e = input()
            .validate(d(2026, 6, 1), &with_mother(), &[all], &unattributed())
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(
            m.contains("本人の同意") && !m.contains("母さんの同意"),
            "{m}"
        );
    }

    #[test]
    fn a_withdrawn_consent_no_longer_covers() {
        let mut c = consent(vec![2, 3]);
        assert!(
            input()
                .validate(d(2026, 6, 1), &team(), &[c.clone()], &none())
                .is_ok()
        );
        c.withdrawn_on = Some(d(2026, 5, 1));
        assert!(
            input()
                .validate(d(2026, 6, 1), &team(), &[c], &none())
                .is_err()
        );
    }

    #[test]
    fn the_record_keeps_attendance_and_cannot_do_items() {
        let m = input()
            .validate(d(2026, 6, 1), &team(), &[consent(vec![2, 3])], &none())
            .unwrap();
        assert_eq!(m.cannot_do, vec!["夜間の見守り", "休日の移動支援の空き"]);
        assert!(m.participants[0].attended && !m.participants[2].attended);
        assert_eq!(m.start, NaiveTime::from_hms_opt(14, 0, 0));
        let back = MeetingInput::from_record(&m);
        assert_eq!(back.attended, vec!["1", "2"]);
    }

    #[test]
    fn a_held_meeting_needs_conclusions_and_a_past_date() {
        let mut i = input();
        i.conclusions.clear();
        i.held_on = "2026-07-01".into();
        let e = i
            .validate(d(2026, 6, 1), &team(), &[consent(vec![2, 3])], &none())
            .unwrap_err();
        assert!(e.get("conclusions").is_some() && e.get("held").is_some());
        // Scheduling a future meeting is fine.
        i.held.clear();
        assert!(
            i.validate(d(2026, 6, 1), &team(), &[consent(vec![2, 3])], &none())
                .is_ok()
        );
    }
}
