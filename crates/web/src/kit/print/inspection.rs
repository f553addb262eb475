//! The prints an inspection (運営指導) asks for, beside the plan's and the reports': the 支援経過記録 of a
//! client and period, a case's intake and its closure with the evaluation, and a
//! decision-support record. Each is read through its own access check and made ready for its
//! office's template; the parent module renders and logs it.

use super::{Built, base_ctx, file_name, to_value};
use crate::error::AppError;
use crate::kit::case_parts::case_access;
use crate::kit::staff::staff_names;
use chrono::NaiveDate;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::case::{closure_doc, intake_doc};
use yorisoi_documents::docs::decision::decision_doc;
use yorisoi_documents::docs::notes::{NoteEntry, notes_doc};
use yorisoi_domain::case::CloseRecord;
use yorisoi_domain::office::DocSettings;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{Tx, cases, decisions, notes, users};

/// The client's 支援経過記録 of `from`..=`until`, oldest first.
pub async fn build_notes(
    tx: &mut Tx,
    client_id: i64,
    from: NaiveDate,
    until: NaiveDate,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = tx
        .client_access(client_id, RecordKind::CaseNote, Action::Read)
        .await?;
    let list = notes::between(tx, &acc, from, until).await?;
    let cx = base_ctx(tx, client_id, settings).await?;
    let names = staff_names(tx).await?;
    compose_notes(&list, &names, client_id, from, until, &cx)
}

/// The notes as read (oldest first), with the staff's names.
pub fn compose_notes(
    list: &[notes::Note],
    names: &std::collections::HashMap<i64, String>,
    client_id: i64,
    from: NaiveDate,
    until: NaiveDate,
    cx: &yorisoi_documents::docs::Ctx,
) -> Result<Built, AppError> {
    let entries: Vec<NoteEntry> = list
        .iter()
        .map(|n| NoteEntry {
            record: &n.record,
            staff: names.get(&n.staff_user_id).cloned().unwrap_or_default(),
        })
        .collect();
    let doc = notes_doc(&entries, from, until, cx);
    Ok(Built {
        kind: DocKind::Notes,
        value: to_value(&doc)?,
        record_kind: RecordKind::CaseNote,
        id: None,
        client_id,
        what: format!("支援経過記録 {}（{}件）", doc.period, doc.notes.len()),
        // As `file_name`, with both ends of the period.
        filename: format!(
            "支援経過記録_{}_{from}_{until}.pdf",
            cx.person.client_name.replace(' ', "")
        ),
    })
}

/// The case's インテーク記録 (`DocKind::Intake`) or its 終結の記録 (`DocKind::Closure`, only
/// once the case is closed).
pub async fn build_case(
    tx: &mut Tx,
    case_id: i64,
    kind: DocKind,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = case_access(tx, case_id, Action::Read).await?;
    let (c, intake) = cases::get(tx, &acc, case_id).await?;
    let cx = base_ctx(tx, acc.client_id, settings).await?;
    compose_case(&c, &intake, kind, &cx)
}

/// The case as read, as its intake or (closed only) its closure.
pub fn compose_case(
    c: &cases::Case,
    intake: &cases::Intake,
    kind: DocKind,
    cx: &yorisoi_documents::docs::Ctx,
) -> Result<Built, AppError> {
    let (value, what, filename) = if kind == DocKind::Closure {
        let (Some(closed_on), Some(reason)) = (c.closed_on, c.close_reason) else {
            return Err(AppError::Rule(
                "このケースはまだ終結していません。終結すると、終結の記録を印刷できます。".into(),
            ));
        };
        let close = CloseRecord {
            closed_on,
            reason,
            reason_text: c.close_reason_text.clone(),
            evaluation: c.evaluation.clone(),
        };
        let doc = closure_doc(
            &close,
            c.opened_on,
            &intake.record,
            &c.title,
            c.retain_until,
            cx,
        );
        (
            to_value(&doc)?,
            format!("終結の記録 {}", doc.closed_on),
            file_name("終結の記録", &cx.person, closed_on),
        )
    } else {
        let doc = intake_doc(&intake.record, &c.title, cx);
        (
            to_value(&doc)?,
            format!("インテーク記録 {}", doc.intake_date),
            file_name("インテーク記録", &cx.person, intake.record.intake_date),
        )
    };
    Ok(Built {
        kind,
        value,
        record_kind: RecordKind::Case,
        id: Some(c.id),
        client_id: c.client_id,
        what,
        filename,
    })
}

/// A 意思決定支援 record, with the estimated will and its grounds.
pub async fn build_decision(
    tx: &mut Tx,
    id: i64,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = decisions::access(tx, id, Action::Read).await?;
    let dec = decisions::get(tx, &acc, id).await?;
    let cx = base_ctx(tx, acc.client_id, settings).await?;
    let lead = users::staff_name(tx, dec.record.lead_user_id).await?;
    compose_decision(&dec, &lead, &cx)
}

/// The decision-support record as read, with its lead's name.
pub fn compose_decision(
    dec: &decisions::Decision,
    lead: &str,
    cx: &yorisoi_documents::docs::Ctx,
) -> Result<Built, AppError> {
    let doc = decision_doc(&dec.record, lead, cx);
    Ok(Built {
        kind: DocKind::Decision,
        value: to_value(&doc)?,
        record_kind: RecordKind::DecisionSupport,
        id: Some(dec.id),
        client_id: dec.client_id,
        what: format!("意思決定支援の記録 {}開始", doc.started_on),
        filename: file_name("意思決定支援の記録", &cx.person, dec.record.started_on),
    })
}
