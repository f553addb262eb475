//! 意思決定支援の記録, in the guideline's order: 決めること → 会議と参加者 → 情報提供 → 体験と
//! 観察 → 本人の意思 (or the will estimated, never without its grounds) → 決定と意思実現.

use super::{Common, Ctx, Person};
use serde::Serialize;
use yorisoi_domain::decision::{DecisionRecord, DecisionStep, Expressed, Observation};

#[derive(Debug, Clone, Serialize)]
pub struct DsParticipantDoc {
    pub name: String,
    pub role: String,
    /// 本人について知っていること.
    pub knows: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DsMeetingDoc {
    pub held_on: String,
    pub purpose: String,
    pub participants: Vec<DsParticipantDoc>,
    pub discussion: String,
    pub agreed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InfoDoc {
    /// The date or "".
    pub on: String,
    pub what: String,
    pub method: String,
    pub reaction: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservationDoc {
    pub on: String,
    pub text: String,
    /// Who observed it, or "".
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExperienceDoc {
    pub place: String,
    /// "令和8年9月1日〜令和8年9月5日" (or "…〜" while it goes on).
    pub period: String,
    pub purpose: String,
    /// What was seen during it, in date order.
    pub observations: Vec<ObservationDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceDoc {
    pub kind: String,
    pub text: String,
    pub source: String,
}

/// The data of the decision-support template (`templates/decision/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct DecisionDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    pub planner: String,
    /// 決めること.
    pub question: String,
    pub background: String,
    /// 意思決定支援責任者.
    pub lead: String,
    pub started_on: String,
    /// The steps 意思形成, 意思表明, 意思実現, and which is reached: `[{label, reached, current}]`.
    pub steps: Vec<StepDoc>,
    pub meetings: Vec<DsMeetingDoc>,
    pub information: Vec<InfoDoc>,
    pub experiences: Vec<ExperienceDoc>,
    /// Observations outside any experience (ふだんの様子), in date order.
    pub other_observations: Vec<ObservationDoc>,
    pub evidence: Vec<EvidenceDoc>,
    /// How the will was known: 本人が表明した / 一部を表明した / 推定した, or "" (not yet).
    pub expressed: String,
    /// true when the will was (partly) estimated: the estimate and its grounds are printed.
    pub estimated: bool,
    pub person_words: String,
    pub estimated_will: String,
    pub grounds: String,
    pub decision: String,
    pub decided_on: String,
    pub realisation: String,
    pub follow_up_on: String,
    pub follow_up_note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepDoc {
    pub label: String,
    pub reached: bool,
    pub current: bool,
}

pub fn decision_doc(r: &DecisionRecord, lead: &str, cx: &Ctx) -> DecisionDoc {
    let ds = cx.dates;
    let obs = |o: &Observation| ObservationDoc {
        on: ds.date(o.on),
        text: o.text.clone(),
        by: o.by.clone(),
    };
    let in_some_experience = |o: &Observation| {
        r.experiences
            .iter()
            .any(|e| o.on >= e.from && e.until.is_none_or(|u| o.on <= u))
    };
    let mut others: Vec<&Observation> = r
        .observations
        .iter()
        .filter(|o| !in_some_experience(o))
        .collect();
    others.sort_by_key(|o| o.on);
    let mut meetings = r.meetings.clone();
    meetings.sort_by_key(|m| m.held_on);
    let steps = [
        DecisionStep::Formation,
        DecisionStep::Expression,
        DecisionStep::Realisation,
    ];
    let at = steps.iter().position(|s| *s == r.step).unwrap_or(0);
    DecisionDoc {
        common: cx.common("意思決定支援の記録"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        question: r.question.clone(),
        background: r.background.clone(),
        lead: lead.into(),
        started_on: ds.date(r.started_on),
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepDoc {
                label: s.label().into(),
                reached: i <= at,
                current: i == at,
            })
            .collect(),
        meetings: meetings
            .iter()
            .map(|m| DsMeetingDoc {
                held_on: ds.date(m.held_on),
                purpose: m.purpose.clone(),
                participants: r
                    .participants_of(m.held_on)
                    .into_iter()
                    .map(|p| DsParticipantDoc {
                        name: p.name.clone(),
                        role: p.role.clone(),
                        knows: p.knows.clone(),
                    })
                    .collect(),
                discussion: m.discussion.clone(),
                agreed: m.agreed.clone(),
            })
            .collect(),
        information: r
            .information
            .iter()
            .map(|i| InfoDoc {
                on: ds.opt(i.on),
                what: i.what.clone(),
                method: i.method.label().into(),
                reaction: i.reaction.clone(),
            })
            .collect(),
        experiences: r
            .experiences
            .iter()
            .map(|e| ExperienceDoc {
                place: e.place.clone(),
                period: format!("{}〜{}", ds.date(e.from), ds.opt(e.until)),
                purpose: e.purpose.clone(),
                observations: r.observations_of(e).into_iter().map(obs).collect(),
            })
            .collect(),
        other_observations: others.into_iter().map(obs).collect(),
        evidence: r
            .evidence
            .iter()
            .map(|e| EvidenceDoc {
                kind: e.kind.label().into(),
                text: e.text.clone(),
                source: e.source.clone(),
            })
            .collect(),
        expressed: r.expressed.map(|e| e.label().into()).unwrap_or_default(),
        estimated: matches!(r.expressed, Some(Expressed::No | Expressed::Partly))
            || !r.estimated_will.is_empty(),
        person_words: r.person_words.clone(),
        estimated_will: r.estimated_will.clone(),
        grounds: r.grounds.clone(),
        decision: r.decision.clone(),
        decided_on: ds.opt(r.decided_on),
        realisation: r.realisation.clone(),
        follow_up_on: ds.opt(r.follow_up_on),
        follow_up_note: r.follow_up_note.clone(),
    }
}
