//! 支援経過記録: a client's case notes of a period, oldest first, as an inspection file holds them.

use super::{Common, Ctx, Person};
use chrono::NaiveDate;
use serde::Serialize;
use yorisoi_domain::note::NoteRecord;

/// One note as a row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct NoteRowDoc {
    /// The date in the office's calendar: 令和8年11月20日.
    pub date: String,
    /// "14:30".
    pub time: String,
    /// "15分" or "".
    pub minutes: String,
    /// 種別・手段: 電話, 訪問, …
    pub kind: String,
    /// 相手: 母, ヘルパー事業所, … or "".
    pub counterpart: String,
    /// 記録者 (the staff member who wrote it).
    pub staff: String,
    pub content: String,
}

/// The data of the case-notes template (`templates/notes/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct NotesDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    /// 担当者 (the specialist in charge now).
    pub planner: String,
    /// "令和7年12月1日〜令和8年11月30日".
    pub period: String,
    pub notes: Vec<NoteRowDoc>,
}

/// A note with the name of the staff member who wrote it.
pub struct NoteEntry<'a> {
    pub record: &'a NoteRecord,
    pub staff: String,
}

/// The notes of `from`..=`until` in the order they happened (a note outside the period is left
/// out, so that the print says exactly what its heading says).
pub fn notes_doc(entries: &[NoteEntry], from: NaiveDate, until: NaiveDate, cx: &Ctx) -> NotesDoc {
    let ds = cx.dates;
    let mut rows: Vec<&NoteEntry> = entries
        .iter()
        .filter(|e| (from..=until).contains(&e.record.occurred_at.date()))
        .collect();
    rows.sort_by_key(|e| e.record.occurred_at);
    NotesDoc {
        common: cx.common("支援経過記録"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        period: format!("{}〜{}", ds.date(from), ds.date(until)),
        notes: rows
            .into_iter()
            .map(|e| NoteRowDoc {
                date: ds.date(e.record.occurred_at.date()),
                time: e.record.occurred_at.format("%H:%M").to_string(),
                minutes: e
                    .record
                    .minutes
                    .map(|m| format!("{m}分"))
                    .unwrap_or_default(),
                kind: e.record.kind.label().into(),
                counterpart: e.record.counterpart.clone(),
                staff: e.staff.clone(),
                content: e.record.content.clone(),
            })
            .collect(),
    }
}
