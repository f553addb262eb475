//! One 支援経過記録 as listed (the client page and the case page).

use crate::kit::display::datetime;
use std::collections::HashMap;
use yorisoi_store::notes::Note;

pub struct NoteView {
    pub id: i64,
    pub when: String,
    pub kind: &'static str,
    pub counterpart: String,
    pub content: String,
    pub minutes: String,
    pub staff: String,
    pub case_title: String,
}

impl NoteView {
    pub fn new(n: &Note, staff: &HashMap<i64, String>, case_title: String) -> Self {
        NoteView {
            id: n.id,
            when: datetime(n.record.occurred_at),
            kind: n.record.kind.label(),
            counterpart: n.record.counterpart.clone(),
            content: n.record.content.clone(),
            minutes: n
                .record
                .minutes
                .map(|m| format!("{m}分"))
                .unwrap_or_default(),
            staff: staff.get(&n.staff_user_id).cloned().unwrap_or_default(),
            case_title,
        }
    }
}

/// Transitional name kept for the case page.
pub fn note_view(n: &Note, staff: &HashMap<i64, String>, case_title: String) -> NoteView {
    NoteView::new(n, staff, case_title)
}
