//! The case's forms: the intake (new and edit), the stage moved by hand, and the closing.

use crate::error::AppError;
use crate::kit::form::parse_version;
use chrono::NaiveDate;
use yorisoi_domain::case::{CaseStage, TerminationReason};
pub use yorisoi_domain::case::{CloseInput, IntakeInput};

/// A new intake: dated today, of low urgency until said otherwise.
pub fn new_intake(today: NaiveDate) -> IntakeInput {
    IntakeInput {
        intake_date: today.to_string(),
        urgency: "low".into(),
        ..Default::default()
    }
}

/// The closing form, dated today; the reason comes from a monitoring that concluded 終結.
pub fn new_close(
    today: NaiveDate,
    reason: Option<TerminationReason>,
    reason_text: &str,
) -> CloseInput {
    CloseInput {
        closed_on: today.to_string(),
        reason: reason.map(|r| r.code().to_string()).unwrap_or_default(),
        reason_text: reason_text.to_string(),
        ..Default::default()
    }
}

/// 「次の段階へ」: the stage chosen, and the case's version it was shown at.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StageForm {
    pub to: String,
    pub version: String,
    /// Why the stage is changed by hand (required, logged).
    pub reason: String,
}

impl StageForm {
    pub fn parse(&self) -> Result<(CaseStage, i32, &str), AppError> {
        let to = CaseStage::from_code(self.to.trim())
            .ok_or_else(|| AppError::BadRequest("次の段階を一覧から選んでください。".into()))?;
        Ok((to, parse_version(&self.version)?, self.reason.trim()))
    }
}
