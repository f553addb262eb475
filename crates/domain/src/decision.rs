//! 意思決定支援: one record per decision (stay in the facility or move to a group home, …), as
//! the 意思決定支援ガイドライン describes it — a 意思決定支援責任者, the steps 意思形成 → 意思表明
//! → 意思実現, the meetings and what each participant knows of the person, the information given
//! and how, the experiences arranged, the evidence, the person's own expression or, where they
//! cannot say, the will and preference estimated **with its grounds**, the decision and the
//! follow-up.
//!
//! The rules here are the guideline's principles made checkable: an estimate never stands without
//! grounds and evidence; a decision names whether the person said it or it was estimated.

use crate::client::{optional_code, optional_date, optional_id, required_code, required_date};
use crate::errors::FieldErrors;
use crate::text::{self, all_blank};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum!(DecisionStep {
    Formation = "formation": "意思形成",
    Expression = "expression": "意思表明",
    Realisation = "realisation": "意思実現",
});

crate::code_enum!(InfoMethod {
    Explanation = "explanation": "説明（わかりやすい言葉・文書）",
    PictureCards = "picture_cards": "絵カード・写真",
    Visit = "visit": "見学",
    Peer = "peer": "ピア（同じ立場の人）の体験談",
    Trial = "trial": "体験利用",
    Other = "other": "その他",
});

crate::code_enum!(EvidenceKind {
    Expression = "expression": "表情・感情",
    Behaviour = "behaviour": "行動の記録",
    Choice = "choice": "選んだもの・好み",
    Words = "words": "本人の言葉・サイン",
    LifeHistory = "life_history": "生活史",
    Relationships = "relationships": "人間関係",
    Other = "other": "その他",
});

crate::code_enum!(Expressed {
    Yes = "yes": "本人が言葉やサインで表明した",
    Partly = "partly": "一部を表明した（残りは推定）",
    No = "no": "表明が難しく、意思と選好を推定した",
});

/// 意思決定支援会議.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DsMeeting {
    pub held_on: NaiveDate,
    pub purpose: String,
    pub discussion: String,
    pub agreed: String,
}

/// A participant of a meeting and what they know of the person (the guideline asks for both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DecisionParticipant)]
pub struct Participant {
    /// The meeting, by its date.
    pub held_on: NaiveDate,
    pub name: String,
    pub role: String,
    pub knows: String,
}

/// Information given to the person, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InfoGiven {
    pub on: Option<NaiveDate>,
    pub what: String,
    pub method: InfoMethod,
    pub reaction: String,
}

/// An experience arranged (体験利用): place and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Experience {
    pub place: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub purpose: String,
}

/// A day's observation, during an experience or in daily life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Observation {
    pub on: NaiveDate,
    pub text: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecisionRecord {
    /// 決めること.
    pub question: String,
    /// きっかけ・背景.
    pub background: String,
    /// 意思決定支援責任者 (a staff member of the office).
    pub lead_user_id: i64,
    pub started_on: NaiveDate,
    pub step: DecisionStep,
    pub meetings: Vec<DsMeeting>,
    pub participants: Vec<Participant>,
    pub information: Vec<InfoGiven>,
    pub experiences: Vec<Experience>,
    pub observations: Vec<Observation>,
    pub evidence: Vec<Evidence>,
    pub expressed: Option<Expressed>,
    /// 本人の言葉・サイン, as expressed.
    pub person_words: String,
    /// 推定した意思と選好.
    pub estimated_will: String,
    /// 推定の根拠.
    pub grounds: String,
    pub decision: String,
    pub decided_on: Option<NaiveDate>,
    /// 意思実現に向けた支援 (the plan change, the move, …).
    pub realisation: String,
    /// 次の会議・ふりかえりの日.
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_note: String,
}

impl DecisionRecord {
    /// Observations made during an experience (by date), in date order.
    pub fn observations_of(&self, e: &Experience) -> Vec<&Observation> {
        let mut v: Vec<&Observation> = self
            .observations
            .iter()
            .filter(|o| o.on >= e.from && e.until.is_none_or(|u| o.on <= u))
            .collect();
        v.sort_by_key(|o| o.on);
        v
    }
    /// Participants of the meeting held on `on`.
    pub fn participants_of(&self, on: NaiveDate) -> Vec<&Participant> {
        self.participants
            .iter()
            .filter(|p| p.held_on == on)
            .collect()
    }
    /// Whether the follow-up date has come (it is cleared or moved on once held).
    pub fn follow_up_due(&self, today: NaiveDate) -> bool {
        self.follow_up_on.is_some_and(|d| d <= today)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingRow {
    /// 開催日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub held_on: String,
    pub purpose: String,
    pub discussion: String,
    pub agreed: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ParticipantRow {
    /// The meeting's 開催日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub held_on: String,
    pub name: String,
    pub role: String,
    pub knows: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InfoRow {
    /// 情報提供日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub on: String,
    pub what: String,
    pub method: String,
    pub reaction: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExperienceRow {
    pub place: String,
    /// 体験の開始日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub from: String,
    /// 体験の終了日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub until: String,
    pub purpose: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ObservationRow {
    /// 観察日 (not in the future), required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub on: String,
    pub text: String,
    pub by: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EvidenceRow {
    pub kind: String,
    pub text: String,
    pub source: String,
}

/// The record as typed (every value a string), for the form and the API.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    pub question: String,
    pub background: String,
    pub lead_user_id: String,
    /// 開始日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub started_on: String,
    pub step: String,
    pub meetings: Vec<MeetingRow>,
    pub participants: Vec<ParticipantRow>,
    pub information: Vec<InfoRow>,
    pub experiences: Vec<ExperienceRow>,
    pub observations: Vec<ObservationRow>,
    pub evidence: Vec<EvidenceRow>,
    pub expressed: String,
    pub person_words: String,
    pub estimated_will: String,
    pub grounds: String,
    pub decision: String,
    /// 決定日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub decided_on: String,
    pub realisation: String,
    /// 振り返り予定日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub follow_up_on: String,
    pub follow_up_note: String,
}

fn d(x: NaiveDate) -> String {
    x.to_string()
}
fn od(x: Option<NaiveDate>) -> String {
    x.map(d).unwrap_or_default()
}

impl DecisionInput {
    pub fn from_record(r: &DecisionRecord) -> Self {
        DecisionInput {
            question: r.question.clone(),
            background: r.background.clone(),
            lead_user_id: r.lead_user_id.to_string(),
            started_on: d(r.started_on),
            step: r.step.code().into(),
            meetings: r
                .meetings
                .iter()
                .map(|m| MeetingRow {
                    held_on: d(m.held_on),
                    purpose: m.purpose.clone(),
                    discussion: m.discussion.clone(),
                    agreed: m.agreed.clone(),
                })
                .collect(),
            participants: r
                .participants
                .iter()
                .map(|p| ParticipantRow {
                    held_on: d(p.held_on),
                    name: p.name.clone(),
                    role: p.role.clone(),
                    knows: p.knows.clone(),
                })
                .collect(),
            information: r
                .information
                .iter()
                .map(|i| InfoRow {
                    on: od(i.on),
                    what: i.what.clone(),
                    method: i.method.code().into(),
                    reaction: i.reaction.clone(),
                })
                .collect(),
            experiences: r
                .experiences
                .iter()
                .map(|e| ExperienceRow {
                    place: e.place.clone(),
                    from: d(e.from),
                    until: od(e.until),
                    purpose: e.purpose.clone(),
                })
                .collect(),
            observations: r
                .observations
                .iter()
                .map(|o| ObservationRow {
                    on: d(o.on),
                    text: o.text.clone(),
                    by: o.by.clone(),
                })
                .collect(),
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceRow {
                    kind: e.kind.code().into(),
                    text: e.text.clone(),
                    source: e.source.clone(),
                })
                .collect(),
            expressed: r.expressed.map(|x| x.code().into()).unwrap_or_default(),
            person_words: r.person_words.clone(),
            estimated_will: r.estimated_will.clone(),
            grounds: r.grounds.clone(),
            decision: r.decision.clone(),
            decided_on: od(r.decided_on),
            realisation: r.realisation.clone(),
            follow_up_on: od(r.follow_up_on),
            follow_up_note: r.follow_up_note.clone(),
        }
    }

    /// A new record: the question, who leads, and when it started.
    pub fn start(question: &str, lead_user_id: i64, started_on: NaiveDate) -> Self {
        DecisionInput {
            question: question.into(),
            lead_user_id: lead_user_id.to_string(),
            started_on: d(started_on),
            step: DecisionStep::Formation.code().into(),
            ..Default::default()
        }
    }

    /// Checks everything; `staff` are the ids that may lead (the office's staff).
    pub fn validate(&self, today: NaiveDate, staff: &[i64]) -> Result<DecisionRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let question = text::required_line(&mut e, "question", &self.question, 300);
        let background = text::optional_text(&mut e, "background", &self.background, 4000);
        let lead = optional_id(&mut e, "lead_user_id", &self.lead_user_id);
        match lead {
            None if e.get("lead_user_id").is_none() => {
                e.add("lead_user_id", "意思決定支援責任者を選んでください。")
            }
            Some(id) if !staff.contains(&id) => {
                e.add("lead_user_id", "事業所の職員から選んでください。")
            }
            _ => {}
        }
        let started_on = required_date(&mut e, "started_on", &self.started_on);
        if started_on.is_some_and(|s| s > today) {
            e.add("started_on", "開始日が今日より後になっています。");
        }
        let step = required_code(&mut e, "step", &self.step, DecisionStep::from_code);

        let mut meetings = Vec::new();
        for (i, m) in self.meetings.iter().enumerate() {
            if all_blank([&m.held_on, &m.purpose, &m.discussion, &m.agreed]) {
                continue;
            }
            let f = |x: &str| format!("meetings[{i}].{x}");
            let held_on = required_date(&mut e, &f("held_on"), &m.held_on);
            let purpose = text::optional_line(&mut e, &f("purpose"), &m.purpose, 200);
            let discussion = text::optional_text(&mut e, &f("discussion"), &m.discussion, 4000);
            let agreed = text::optional_text(&mut e, &f("agreed"), &m.agreed, 2000);
            if let Some(held_on) = held_on {
                meetings.push(DsMeeting {
                    held_on,
                    purpose,
                    discussion,
                    agreed,
                });
            }
        }
        meetings.sort_by_key(|m| m.held_on);

        let mut participants = Vec::new();
        for (i, p) in self.participants.iter().enumerate() {
            if all_blank([&p.held_on, &p.name, &p.role, &p.knows]) {
                continue;
            }
            let f = |x: &str| format!("participants[{i}].{x}");
            let held_on = required_date(&mut e, &f("held_on"), &p.held_on);
            let name = text::required_line(&mut e, &f("name"), &p.name, 100);
            let role = text::optional_line(&mut e, &f("role"), &p.role, 100);
            let knows = text::optional_text(&mut e, &f("knows"), &p.knows, 2000);
            if let Some(h) = held_on {
                if !self.meetings.is_empty() && !meetings.iter().any(|m| m.held_on == h) {
                    e.add(
                        &f("held_on"),
                        "この日の会議がありません。会議の一覧にある日付を入れてください。",
                    );
                }
                participants.push(Participant {
                    held_on: h,
                    name,
                    role,
                    knows,
                });
            }
        }
        if !participants.is_empty() && meetings.is_empty() {
            e.add(
                "participants",
                "参加者は会議ごとに記録します。先に会議（日付）を書いてください。",
            );
        }

        let mut information = Vec::new();
        for (i, r) in self.information.iter().enumerate() {
            if all_blank([&r.on, &r.what, &r.method, &r.reaction]) {
                continue;
            }
            let f = |x: &str| format!("information[{i}].{x}");
            let on = optional_date(&mut e, &f("on"), &r.on);
            let what = text::required_line(&mut e, &f("what"), &r.what, 300);
            let method = required_code(&mut e, &f("method"), &r.method, InfoMethod::from_code);
            let reaction = text::optional_text(&mut e, &f("reaction"), &r.reaction, 2000);
            if let Some(method) = method {
                information.push(InfoGiven {
                    on,
                    what,
                    method,
                    reaction,
                });
            }
        }

        let mut experiences = Vec::new();
        for (i, r) in self.experiences.iter().enumerate() {
            if all_blank([&r.place, &r.from, &r.until, &r.purpose]) {
                continue;
            }
            let f = |x: &str| format!("experiences[{i}].{x}");
            let place = text::required_line(&mut e, &f("place"), &r.place, 200);
            let from = required_date(&mut e, &f("from"), &r.from);
            let until = optional_date(&mut e, &f("until"), &r.until);
            let purpose = text::optional_text(&mut e, &f("purpose"), &r.purpose, 2000);
            if let (Some(a), Some(b)) = (from, until)
                && b < a
            {
                e.add(&f("until"), "終了日が開始日より前になっています。");
            }
            if let Some(from) = from {
                experiences.push(Experience {
                    place,
                    from,
                    until,
                    purpose,
                });
            }
        }

        let mut observations = Vec::new();
        for (i, r) in self.observations.iter().enumerate() {
            if all_blank([&r.on, &r.text, &r.by]) {
                continue;
            }
            let f = |x: &str| format!("observations[{i}].{x}");
            let on = required_date(&mut e, &f("on"), &r.on);
            if on.is_some_and(|o| o > today) {
                e.add(&f("on"), "観察した日が今日より後になっています。");
            }
            let text = text::required_line(&mut e, &f("text"), &r.text, 1000);
            let by = text::optional_line(&mut e, &f("by"), &r.by, 100);
            if let Some(on) = on {
                observations.push(Observation { on, text, by });
            }
        }
        observations.sort_by_key(|o| o.on);

        let mut evidence = Vec::new();
        for (i, r) in self.evidence.iter().enumerate() {
            if all_blank([&r.kind, &r.text, &r.source]) {
                continue;
            }
            let f = |x: &str| format!("evidence[{i}].{x}");
            let kind = required_code(&mut e, &f("kind"), &r.kind, EvidenceKind::from_code);
            let text = text::required_line(&mut e, &f("text"), &r.text, 1000);
            let source = text::optional_line(&mut e, &f("source"), &r.source, 200);
            if let Some(kind) = kind {
                evidence.push(Evidence { kind, text, source });
            }
        }

        let expressed = optional_code(&mut e, "expressed", &self.expressed, Expressed::from_code);
        let person_words = text::optional_text(&mut e, "person_words", &self.person_words, 2000);
        let estimated_will =
            text::optional_text(&mut e, "estimated_will", &self.estimated_will, 2000);
        let grounds = text::optional_text(&mut e, "grounds", &self.grounds, 4000);
        let decision = text::optional_text(&mut e, "decision", &self.decision, 2000);
        let decided_on = optional_date(&mut e, "decided_on", &self.decided_on);
        let realisation = text::optional_text(&mut e, "realisation", &self.realisation, 4000);
        let follow_up_on = optional_date(&mut e, "follow_up_on", &self.follow_up_on);
        let follow_up_note =
            text::optional_text(&mut e, "follow_up_note", &self.follow_up_note, 1000);

        // The guideline's third principle: an estimate only with evidence, never by preference.
        if !estimated_will.is_empty() {
            if grounds.is_empty() {
                e.add(
                    "grounds",
                    "推定した意思と選好には根拠が必要です。表情・行動の記録・生活史など、何からそう推定したかを書いてください。",
                );
            }
            if evidence.is_empty() {
                e.add(
                    "evidence",
                    "推定の根拠となる記録（表情、行動、選んだもの、生活史など）を1件以上書いてください。",
                );
            }
        }
        if matches!(expressed, Some(Expressed::No | Expressed::Partly)) && estimated_will.is_empty()
        {
            e.add(
                "estimated_will",
                "本人が表明しきれないときは、根拠とともに推定した意思と選好を書いてください。",
            );
        }
        if expressed == Some(Expressed::Yes) && person_words.is_empty() {
            e.add(
                "person_words",
                "本人が表明した言葉やサインを、本人の表現のまま書いてください。",
            );
        }
        if !decision.is_empty() && expressed.is_none() {
            e.add(
                "expressed",
                "決定が本人の表明によるものか、推定によるものかを選んでください。",
            );
        }
        if matches!(
            step,
            Some(DecisionStep::Expression | DecisionStep::Realisation)
        ) && expressed.is_none()
        {
            e.add(
                "expressed",
                "意思表明の段階では、本人が表明できたかどうかを選んでください。",
            );
        }
        if step == Some(DecisionStep::Realisation) {
            if decision.is_empty() {
                e.add(
                    "decision",
                    "意思実現の段階では、決まったことを書いてください。",
                );
            }
            if decided_on.is_none() && e.get("decided_on").is_none() {
                e.add("decided_on", "決定日を入力してください。");
            }
        }
        if !decision.is_empty() && decided_on.is_none() && e.get("decided_on").is_none() {
            e.add("decided_on", "決定日を入力してください。");
        }
        if decided_on.is_some_and(|x| x > today) {
            e.add("decided_on", "決定日が今日より後になっています。");
        }
        if let (Some(s), Some(x)) = (started_on, decided_on)
            && x < s
        {
            e.add("decided_on", "決定日が開始日より前になっています。");
        }
        if let (Some(s), Some(f)) = (started_on, follow_up_on)
            && f < s
        {
            e.add("follow_up_on", "次の会議の日が開始日より前になっています。");
        }

        match (lead, started_on, step) {
            (Some(lead_user_id), Some(started_on), Some(step)) if e.is_empty() => {
                Ok(DecisionRecord {
                    question,
                    background,
                    lead_user_id,
                    started_on,
                    step,
                    meetings,
                    participants,
                    information,
                    experiences,
                    observations,
                    evidence,
                    expressed,
                    person_words,
                    estimated_will,
                    grounds,
                    decision,
                    decided_on,
                    realisation,
                    follow_up_on,
                    follow_up_note,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn b_san() -> DecisionInput {
        let mut i = DecisionInput::start(
            "施設入所を続けるか、グループホームに移るか",
            7,
            day("2026-06-01"),
        );
        i.meetings = vec![MeetingRow {
            held_on: "2026-06-10".into(),
            purpose: "第1回 意思決定支援会議".into(),
            discussion: "帰省時は自分でお湯を沸かしてカップラーメンを作る。".into(),
            agreed: "グループホームの体験利用をしてみる。".into(),
        }];
        i.participants = vec![ParticipantRow {
            held_on: "令和8年6月10日".into(),
            name: "成年後見人".into(),
            role: "後見人".into(),
            knows: "帰省したときの様子".into(),
        }];
        i
    }

    #[test]
    fn a_decision_starts_with_a_question_and_a_lead_from_the_office() {
        let r = b_san().validate(day("2026-11-25"), &[7]).unwrap();
        assert_eq!(r.step, DecisionStep::Formation);
        assert_eq!(
            r.participants_of(day("2026-06-10")).len(),
            1,
            "和暦 dates match"
        );
        let e = b_san().validate(day("2026-11-25"), &[8]).unwrap_err();
        assert!(e.get("lead_user_id").is_some());
        let mut i = b_san();
        i.question = " ".into();
        i.lead_user_id = String::new();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("question").is_some() && e.get("lead_user_id").is_some());
    }

    #[test]
    fn participants_belong_to_a_meeting_on_the_list() {
        let mut i = b_san();
        i.participants[0].held_on = "2026-06-11".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("participants[0].held_on").is_some());
        i.meetings.clear();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("participants").is_some());
    }

    #[test]
    fn an_estimated_will_needs_grounds_and_evidence() {
        let mut i = b_san();
        i.step = "expression".into();
        i.expressed = "no".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("estimated_will").is_some(), "cannot say → estimate");
        i.estimated_will = "グループホームで暮らしたい".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("grounds").is_some() && e.get("evidence").is_some());
        i.grounds = "体験利用中の表情と行動".into();
        i.evidence = vec![EvidenceRow {
            kind: "behaviour".into(),
            text: "近くのコンビニへ自分から買い物に行った".into(),
            source: "GH職員の記録".into(),
        }];
        let r = i.validate(day("2026-11-25"), &[7]).unwrap();
        assert_eq!(r.expressed, Some(Expressed::No));
        assert_eq!(r.evidence[0].kind, EvidenceKind::Behaviour);
    }

    #[test]
    fn the_person_who_says_it_has_their_words_kept() {
        let mut i = b_san();
        i.step = "expression".into();
        i.expressed = "yes".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("person_words").is_some());
        i.person_words = "ここがいい".into();
        assert!(i.validate(day("2026-11-25"), &[7]).is_ok());
    }

    #[test]
    fn realisation_needs_the_decision_and_its_date() {
        let mut i = b_san();
        i.step = "realisation".into();
        i.expressed = "yes".into();
        i.person_words = "ここがいい".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("decision").is_some() && e.get("decided_on").is_some());
        i.decision = "グループホームへ移る".into();
        i.decided_on = "2026-12-01".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("decided_on").is_some(), "not in the future");
        i.decided_on = "2026-08-10".into();
        i.follow_up_on = "2026-05-01".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("follow_up_on").is_some());
        i.follow_up_on = "2027-02-10".into();
        let r = i.validate(day("2026-11-25"), &[7]).unwrap();
        assert!(!r.follow_up_due(day("2026-11-25")));
        assert!(r.follow_up_due(day("2027-02-10")));
    }

    #[test]
    fn observations_are_grouped_under_the_experience_they_fall_in() {
        let mut i = b_san();
        i.experiences = vec![ExperienceRow {
            place: "グループホームさくら".into(),
            from: "2026-07-01".into(),
            until: "2026-07-31".into(),
            purpose: "体験利用".into(),
        }];
        i.observations = vec![
            ObservationRow {
                on: "2026-07-20".into(),
                text: "コンビニで買い物".into(),
                by: "GH".into(),
            },
            ObservationRow {
                on: "2026-07-02".into(),
                text: "絵カードで日課を確認".into(),
                by: "GH".into(),
            },
            ObservationRow {
                on: "2026-08-05".into(),
                text: "施設に戻った".into(),
                by: String::new(),
            },
        ];
        let r = i.validate(day("2026-11-25"), &[7]).unwrap();
        let inside = r.observations_of(&r.experiences[0]);
        assert_eq!(inside.len(), 2);
        assert_eq!(inside[0].text, "絵カードで日課を確認");
        i.experiences[0].until = "2026-06-30".into();
        let e = i.validate(day("2026-11-25"), &[7]).unwrap_err();
        assert!(e.get("experiences[0].until").is_some());
    }

    #[test]
    fn the_record_round_trips_through_the_form() {
        let mut i = b_san();
        i.information = vec![InfoRow {
            on: "2026-06-20".into(),
            what: "グループホームの暮らし".into(),
            method: "picture_cards".into(),
            reaction: "写真をじっと見ていた".into(),
        }];
        let r = i.validate(day("2026-11-25"), &[7]).unwrap();
        let again = DecisionInput::from_record(&r)
            .validate(day("2026-11-25"), &[7])
            .unwrap();
        assert_eq!(r, again);
    }
}
