//! The support case (支援ケース) and its place in the care-management cycle, and the intake.

use crate::client::{required_code, required_date};
use crate::errors::FieldErrors;
use crate::text;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::code_enum!(
    /// Where a case stands in the cycle (DOMAIN.md §2).
    CaseStage {
        Intake = "intake": "インテーク",
        Assessment = "assessment": "アセスメント",
        Planning = "planning": "プランニング（計画案）",
        Meeting = "meeting": "サービス担当者会議",
        FinalPlan = "final_plan": "本計画・同意・交付",
        Implementation = "implementation": "実施",
        Monitoring = "monitoring": "モニタリング",
        Reassessment = "reassessment": "再アセスメント",
        Closed = "closed": "終結",
    }
);

crate::code_enum!(TerminationReason {
    NeedsResolved = "needs_resolved": "ニーズが解消した",
    PersonWishes = "person_wishes": "本人が終了を希望",
    Hospitalized = "hospitalized": "入院した",
    Moved = "moved": "転居",
    Died = "died": "死亡",
    Transferred = "transferred": "他事業所へ移行",
    Other = "other": "その他",
});

crate::code_enum!(ReferralSource {
    Person = "person": "本人",
    Family = "family": "家族",
    Municipality = "municipality": "市町村",
    Provider = "provider": "事業所",
    Medical = "medical": "医療機関",
    School = "school": "学校",
    Other = "other": "その他",
});

crate::code_enum!(Urgency { Low = "low": "通常", Medium = "medium": "早めの対応", High = "high": "緊急" });

/// A transition that the stage does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}から{}へは進めません。", from.label(), to.label())]
pub struct StageError {
    pub from: CaseStage,
    pub to: CaseStage,
}

impl CaseStage {
    /// The stages a case may move to next. Closing is possible from any open stage; a closed
    /// case is read-only. Monitoring may repeat (継続), or lead to re-assessment; re-assessment
    /// leads to a changed plan.
    pub fn next_stages(self) -> &'static [CaseStage] {
        use CaseStage::*;
        match self {
            Intake => &[Assessment, Closed],
            Assessment => &[Planning, Closed],
            Planning => &[Meeting, Closed],
            Meeting => &[FinalPlan, Planning, Closed],
            FinalPlan => &[Implementation, Closed],
            Implementation => &[Monitoring, Closed],
            Monitoring => &[Monitoring, Reassessment, Closed],
            Reassessment => &[Planning, Closed],
            Closed => &[],
        }
    }

    pub fn can_move_to(self, to: CaseStage) -> bool {
        self.next_stages().contains(&to)
    }

    pub fn move_to(self, to: CaseStage) -> Result<CaseStage, StageError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(StageError { from: self, to })
        }
    }

    pub fn is_open(self) -> bool {
        self != CaseStage::Closed
    }
}

/// What a record saved in a case says about where the case stands (the records, not a button,
/// move the case through the cycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEvent {
    /// An assessment started or saved; `reassessment` when it is not the case's first version.
    Assessment { reassessment: bool },
    /// A plan draft made: the case's first plan, or a change (計画変更) of a final one.
    PlanDrafted { change: bool },
    /// The coordination meeting on the newest draft held (or the draft marked 会議済).
    MeetingHeld,
    /// The newest plan became the final plan (本計画, consented).
    PlanFinal,
    /// The final plan handed over (交付) or a provider's implementation recorded: services begin.
    ServicesBegun,
    /// A monitoring recorded against the plan in force.
    MonitoringRecorded,
    /// A monitoring concluded 再アセスメント.
    ReassessmentCalled,
}

impl CaseStage {
    /// The place in the first round of the cycle; 再アセスメント stands where アセスメント does.
    fn step(self) -> u8 {
        use CaseStage::*;
        match self {
            Intake => 0,
            Assessment | Reassessment => 1,
            Planning => 2,
            Meeting => 3,
            FinalPlan => 4,
            Implementation => 5,
            Monitoring => 6,
            Closed => 7,
        }
    }

    /// Stages a second round (after a monitoring) passes through again: a monitoring of the plan
    /// still in force does not end a plan change under way.
    fn may_be_second_round(self) -> bool {
        matches!(
            self,
            CaseStage::Planning | CaseStage::Meeting | CaseStage::Reassessment
        )
    }

    /// Where the case goes when a record implies `event`: only forward along the cycle, never
    /// back, never out of 終結 (closing has its own form with a reason). `None` when it stays.
    /// A plan change and a re-assessment start the next round, which is forward.
    pub fn follow(self, event: CaseEvent) -> Option<CaseStage> {
        use CaseStage::*;
        if self == Closed {
            return None;
        }
        let to = match event {
            CaseEvent::Assessment { reassessment: true }
                if matches!(self, Implementation | Monitoring) =>
            {
                return Some(Reassessment);
            }
            CaseEvent::Assessment { .. } => Assessment,
            CaseEvent::PlanDrafted { change: true }
                if matches!(self, FinalPlan | Implementation | Monitoring | Reassessment) =>
            {
                return Some(Planning);
            }
            CaseEvent::PlanDrafted { .. } => Planning,
            CaseEvent::MeetingHeld => Meeting,
            CaseEvent::PlanFinal => FinalPlan,
            CaseEvent::ServicesBegun => Implementation,
            CaseEvent::MonitoringRecorded if self.may_be_second_round() => return None,
            CaseEvent::MonitoringRecorded => Monitoring,
            CaseEvent::ReassessmentCalled => {
                return (self == Monitoring).then_some(Reassessment);
            }
        };
        (to.step() > self.step()).then_some(to)
    }
}

/// The client's status as a case of theirs moves: services begun (実施 onwards) make them
/// 支援中; a case open again after an end makes them 相談中; the end of their last open case
/// makes them 終結. A plan change under way keeps 支援中 (services go on meanwhile).
pub fn client_status_after(
    current: crate::client::ClientStatus,
    stage: CaseStage,
    other_open_cases: bool,
) -> crate::client::ClientStatus {
    use crate::client::ClientStatus as S;
    match stage {
        CaseStage::Closed if other_open_cases => current,
        CaseStage::Closed => S::Closed,
        CaseStage::Implementation | CaseStage::Monitoring | CaseStage::Reassessment => {
            S::Supporting
        }
        _ if current == S::Closed => S::Consulting,
        _ => current,
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({
    "intake_date": "令和8年4月1日",
    "referral_source": "family",
    "referral_note": "母から電話",
    "chief_complaint": "仕事をしてみたい。",
    "situation": "自宅で母と二人暮らし。日中は家で過ごしている。",
    "explained": "計画相談支援の流れと費用（自己負担なし）を説明した。",
    "consent_to_support": "yes",
    "urgency": "low",
    "next_steps": "4月中に自宅を訪問してアセスメント。",
    "title": "就労に向けた相談"
}))]
pub struct IntakeInput {
    /// 受付日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub intake_date: String,
    /// A `ReferralSource` code.
    pub referral_source: String,
    pub referral_note: String,
    /// 主訴 — the person's own words, stored verbatim.
    pub chief_complaint: String,
    pub situation: String,
    pub explained: String,
    /// 援助を受ける意思: "yes", "no" or "undecided".
    pub consent_to_support: String,
    /// An `Urgency` code: low, medium or high.
    pub urgency: String,
    pub next_steps: String,
    pub title: String,
}

crate::code_enum!(SupportConsent { Yes = "yes": "確認できた", Undecided = "undecided": "保留（検討中）", No = "no": "希望しない" });

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IntakeRecord {
    pub intake_date: NaiveDate,
    pub referral_source: ReferralSource,
    pub referral_note: String,
    pub chief_complaint: String,
    pub situation: String,
    pub explained: String,
    pub consent_to_support: SupportConsent,
    pub urgency: Urgency,
    pub next_steps: String,
    pub title: String,
}

impl IntakeInput {
    pub fn validate(&self, today: NaiveDate) -> Result<IntakeRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let intake_date = required_date(&mut e, "intake_date", &self.intake_date);
        if intake_date.is_some_and(|d| d > today) {
            e.add("intake_date", "受付日が今日より後になっています。");
        }
        let referral_source = required_code(
            &mut e,
            "referral_source",
            &self.referral_source,
            ReferralSource::from_code,
        );
        let referral_note = text::optional_line(&mut e, "referral_note", &self.referral_note, 200);
        let chief_complaint =
            text::optional_text(&mut e, "chief_complaint", &self.chief_complaint, 4000);
        if chief_complaint.is_empty() {
            e.add(
                "chief_complaint",
                "本人（または相談者）の言葉で主訴を入力してください。",
            );
        }
        let situation = text::optional_text(&mut e, "situation", &self.situation, 8000);
        let explained = text::optional_text(&mut e, "explained", &self.explained, 4000);
        let consent_to_support = required_code(
            &mut e,
            "consent_to_support",
            &self.consent_to_support,
            SupportConsent::from_code,
        );
        let urgency = if self.urgency.trim().is_empty() {
            Some(Urgency::Low)
        } else {
            required_code(&mut e, "urgency", &self.urgency, Urgency::from_code)
        };
        let next_steps = text::optional_text(&mut e, "next_steps", &self.next_steps, 4000);
        let title = text::optional_line(&mut e, "title", &self.title, 60);
        match (intake_date, referral_source, consent_to_support, urgency) {
            (Some(intake_date), Some(referral_source), Some(consent_to_support), Some(urgency))
                if e.is_empty() =>
            {
                Ok(IntakeRecord {
                    intake_date,
                    referral_source,
                    referral_note,
                    chief_complaint,
                    situation,
                    explained,
                    consent_to_support,
                    urgency,
                    next_steps,
                    title,
                })
            }
            _ => Err(e),
        }
    }
}

impl From<&IntakeRecord> for IntakeInput {
    fn from(r: &IntakeRecord) -> Self {
        IntakeInput {
            intake_date: r.intake_date.to_string(),
            referral_source: r.referral_source.code().into(),
            referral_note: r.referral_note.clone(),
            chief_complaint: r.chief_complaint.clone(),
            situation: r.situation.clone(),
            explained: r.explained.clone(),
            consent_to_support: r.consent_to_support.code().into(),
            urgency: r.urgency.code().into(),
            next_steps: r.next_steps.clone(),
            title: r.title.clone(),
        }
    }
}

/// 終結・エバリュエーション: why and when support ends, the look back, and the hand-over.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// 終結日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub closed_on: String,
    pub reason: String,
    pub reason_text: String,
    /// 本人にとって何が変わったか (the look back, from the person's side).
    pub changes: String,
    /// 本人の言葉: what the person says about the support, in their words.
    pub person_words: String,
    /// チームが学んだこと.
    pub learning: String,
    /// 引き継ぎ先 and 引き継ぎ内容.
    pub handover_to: String,
    pub handover: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CloseRecord {
    pub closed_on: NaiveDate,
    pub reason: TerminationReason,
    pub reason_text: String,
    #[serde(default)]
    pub evaluation: Evaluation,
}

/// The look back and hand-over kept with a closed case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Evaluation {
    pub changes: String,
    pub person_words: String,
    pub learning: String,
    pub handover_to: String,
    pub handover: String,
}

impl Evaluation {
    pub fn is_empty(&self) -> bool {
        self == &Evaluation::default()
    }
}

/// The first day the records of a case closed on `closed_on` may be disposed of: `years` after
/// the end of support (an office setting, at least 5). 29 February falls back to the 28th.
pub fn retention_until(closed_on: NaiveDate, years: i32) -> NaiveDate {
    let y = closed_on.year() + years;
    NaiveDate::from_ymd_opt(y, closed_on.month(), closed_on.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, closed_on.month(), 28))
        .unwrap_or(closed_on)
}

/// The shortest retention an office may set (the standards' 5 years after the end of support).
pub const MIN_RETENTION_YEARS: i32 = 5;

impl CloseInput {
    pub fn validate(
        &self,
        opened_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<CloseRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let closed_on = required_date(&mut e, "closed_on", &self.closed_on);
        if closed_on.is_some_and(|d| d < opened_on) {
            e.add("closed_on", "終結日が開始日より前になっています。");
        }
        if closed_on.is_some_and(|d| d > today) {
            e.add("closed_on", "終結日が今日より後になっています。");
        }
        let reason = required_code(&mut e, "reason", &self.reason, TerminationReason::from_code);
        let reason_text = text::optional_text(&mut e, "reason_text", &self.reason_text, 2000);
        if reason == Some(TerminationReason::Other) && reason_text.is_empty() {
            e.add("reason_text", "「その他」のときは理由を入力してください。");
        }
        let evaluation = Evaluation {
            changes: text::optional_text(&mut e, "changes", &self.changes, 4000),
            person_words: text::optional_text(&mut e, "person_words", &self.person_words, 2000),
            learning: text::optional_text(&mut e, "learning", &self.learning, 4000),
            handover_to: text::optional_text(&mut e, "handover_to", &self.handover_to, 200),
            handover: text::optional_text(&mut e, "handover", &self.handover, 4000),
        };
        // The look back is what the cycle's last step is for; a death or a move still has one.
        if evaluation.changes.is_empty() {
            e.add(
                "changes",
                "ふりかえりとして、支援を通して本人にとって何が変わったかを書いてください。",
            );
        }
        // Support that moves elsewhere must say to whom and what goes with it.
        let hands_over = matches!(
            reason,
            Some(TerminationReason::Transferred | TerminationReason::Moved)
        );
        if hands_over && evaluation.handover_to.is_empty() {
            e.add(
                "handover_to",
                "移行・転居のときは引き継ぎ先を書いてください。",
            );
        }
        if !evaluation.handover_to.is_empty() && evaluation.handover.is_empty() {
            e.add("handover", "引き継ぎ先に伝えた内容を書いてください。");
        }
        match (closed_on, reason) {
            (Some(closed_on), Some(reason)) if e.is_empty() => Ok(CloseRecord {
                closed_on,
                reason,
                reason_text,
                evaluation,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStage::*;

    #[test]
    fn the_cycle_moves_forward_and_loops_through_monitoring() {
        let path = [
            Intake,
            Assessment,
            Planning,
            Meeting,
            FinalPlan,
            Implementation,
            Monitoring,
            Monitoring,
            Reassessment,
            Planning,
        ];
        let mut s = Intake;
        for next in &path[1..] {
            s = s.move_to(*next).unwrap();
        }
        assert_eq!(s, Planning);
    }

    #[test]
    fn stages_cannot_be_skipped_and_closed_is_final() {
        assert!(Intake.move_to(FinalPlan).is_err());
        assert!(Assessment.move_to(Monitoring).is_err());
        for s in CaseStage::ALL {
            assert!(!Closed.can_move_to(*s));
            if *s != Closed {
                assert!(s.can_move_to(Closed), "{s:?} must be closable");
            }
        }
        assert_eq!(
            Intake.move_to(Monitoring).unwrap_err().to_string(),
            "インテークからモニタリングへは進めません。"
        );
    }

    #[test]
    fn the_records_move_the_case_forward_through_the_first_round() {
        let walk = [
            (
                CaseEvent::Assessment {
                    reassessment: false,
                },
                Assessment,
            ),
            (CaseEvent::PlanDrafted { change: false }, Planning),
            (CaseEvent::MeetingHeld, Meeting),
            (CaseEvent::PlanFinal, FinalPlan),
            (CaseEvent::ServicesBegun, Implementation),
            (CaseEvent::MonitoringRecorded, Monitoring),
        ];
        let mut s = Intake;
        for (e, to) in walk {
            s = s.follow(e).unwrap_or(s);
            assert_eq!(s, to, "{e:?}");
        }
        // Repeating or saving again changes nothing; nothing goes back.
        assert_eq!(Monitoring.follow(CaseEvent::MonitoringRecorded), None);
        assert_eq!(Monitoring.follow(CaseEvent::MeetingHeld), None);
        assert_eq!(
            Implementation.follow(CaseEvent::Assessment {
                reassessment: false
            }),
            None
        );
        assert_eq!(
            Meeting.follow(CaseEvent::PlanDrafted { change: false }),
            None
        );
        // A record that skips a step still moves the case to where the records are.
        assert_eq!(Intake.follow(CaseEvent::PlanFinal), Some(FinalPlan));
    }

    #[test]
    fn a_second_round_starts_from_monitoring_and_is_not_ended_by_one() {
        assert_eq!(
            Monitoring.follow(CaseEvent::ReassessmentCalled),
            Some(Reassessment)
        );
        assert_eq!(
            Monitoring.follow(CaseEvent::Assessment { reassessment: true }),
            Some(Reassessment)
        );
        assert_eq!(
            Reassessment.follow(CaseEvent::Assessment { reassessment: true }),
            None
        );
        assert_eq!(
            Reassessment.follow(CaseEvent::PlanDrafted { change: true }),
            Some(Planning)
        );
        assert_eq!(
            Monitoring.follow(CaseEvent::PlanDrafted { change: true }),
            Some(Planning)
        );
        // While the change is drafted, the plan in force is still monitored: the case stays.
        for s in [Planning, Meeting, Reassessment] {
            assert_eq!(s.follow(CaseEvent::MonitoringRecorded), None, "{s:?}");
            assert_eq!(s.follow(CaseEvent::ReassessmentCalled), None, "{s:?}");
        }
        assert_eq!(Planning.follow(CaseEvent::MeetingHeld), Some(Meeting));
        assert_eq!(Meeting.follow(CaseEvent::PlanFinal), Some(FinalPlan));
    }

    #[test]
    fn a_closed_case_never_moves() {
        let events = [
            CaseEvent::Assessment { reassessment: true },
            CaseEvent::PlanDrafted { change: true },
            CaseEvent::MeetingHeld,
            CaseEvent::PlanFinal,
            CaseEvent::ServicesBegun,
            CaseEvent::MonitoringRecorded,
            CaseEvent::ReassessmentCalled,
        ];
        for e in events {
            assert_eq!(Closed.follow(e), None, "{e:?}");
            for s in CaseStage::ALL {
                assert_ne!(s.follow(e), Some(Closed), "{s:?} {e:?}");
            }
        }
    }

    #[test]
    fn the_client_status_follows_the_case() {
        use crate::client::ClientStatus as S;
        assert_eq!(
            client_status_after(S::Consulting, Planning, false),
            S::Consulting
        );
        assert_eq!(
            client_status_after(S::Consulting, Implementation, false),
            S::Supporting
        );
        assert_eq!(
            client_status_after(S::Supporting, Planning, false),
            S::Supporting
        );
        assert_eq!(client_status_after(S::Supporting, Closed, false), S::Closed);
        assert_eq!(
            client_status_after(S::Supporting, Closed, true),
            S::Supporting
        );
        assert_eq!(client_status_after(S::Closed, Intake, false), S::Consulting);
    }

    #[test]
    fn intake_needs_the_persons_words() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let i = IntakeInput {
            intake_date: "R8.11.1".into(),
            referral_source: "person".into(),
            consent_to_support: "yes".into(),
            ..Default::default()
        };
        assert!(
            i.validate(today)
                .unwrap_err()
                .get("chief_complaint")
                .is_some()
        );
        let ok = IntakeInput {
            chief_complaint: "A型で働きたい".into(),
            ..i
        };
        assert_eq!(ok.validate(today).unwrap().urgency, Urgency::Low);
    }

    #[test]
    fn closing_needs_a_reason_and_a_sane_date() {
        let opened = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let c = CloseInput {
            closed_on: "2026-03-01".into(),
            reason: "other".into(),
            ..Default::default()
        };
        let e = c.validate(opened, today).unwrap_err();
        assert!(e.get("closed_on").is_some() && e.get("reason_text").is_some());
        assert!(e.get("changes").is_some(), "the look back is required");
        let ok = CloseInput {
            closed_on: "2026-11-01".into(),
            reason: "hospitalized".into(),
            changes: "通所が続き、生活のリズムができた。".into(),
            ..Default::default()
        };
        let r = ok.validate(opened, today).unwrap();
        assert_eq!(r.reason, TerminationReason::Hospitalized);
        assert_eq!(r.evaluation.changes, "通所が続き、生活のリズムができた。");
    }

    #[test]
    fn a_transfer_names_who_takes_over_and_what_was_handed_over() {
        let opened = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut c = CloseInput {
            closed_on: "2026-11-01".into(),
            reason: "transferred".into(),
            changes: "一人暮らしに慣れた。".into(),
            ..Default::default()
        };
        assert!(
            c.validate(opened, today)
                .unwrap_err()
                .get("handover_to")
                .is_some()
        );
        c.handover_to = "相談支援センターみなみ".into();
        assert!(
            c.validate(opened, today)
                .unwrap_err()
                .get("handover")
                .is_some()
        );
        c.handover = "アセスメントと計画の写しを本人の同意を得て渡した。".into();
        assert_eq!(
            c.validate(opened, today).unwrap().evaluation.handover_to,
            "相談支援センターみなみ"
        );
    }

    #[test]
    fn records_are_kept_the_office_years_after_the_end_of_support() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(retention_until(d(2026, 11, 1), 5), d(2031, 11, 1));
        assert_eq!(retention_until(d(2028, 2, 29), 5), d(2033, 2, 28));
        assert_eq!(retention_until(d(2026, 3, 31), 10), d(2036, 3, 31));
    }
}
