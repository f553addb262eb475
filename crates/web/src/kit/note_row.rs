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
    /// The content in pieces, the words searched for marked (`<mark>`).
    pub parts: Vec<(String, bool)>,
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
            parts: vec![(n.record.content.clone(), false)],
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

impl NoteView {
    /// Marks where the search's words occur (in any kana form, as the search matched them).
    pub fn searched(mut self, q: &str) -> Self {
        // Most views search nothing: no per-character folding then (the client page is hot).
        if !q.trim().is_empty() {
            self.parts = marked(&self.content, q);
        }
        self
    }
}

/// `text` in pieces, each `true` where one of the query's words occurs. Matching folds both
/// sides as the search does (hiragana/katakana, half/full width, case); the text is folded a
/// character at a time so that each folded character points back at its original.
pub fn marked(text: &str, q: &str) -> Vec<(String, bool)> {
    use yorisoi_domain::text::search_fold;
    let chars: Vec<char> = text.chars().collect();
    let mut folded: Vec<char> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        for f in search_fold(&c.to_string()).chars() {
            folded.push(f);
            origin.push(i);
        }
    }
    let mut hit = vec![false; chars.len()];
    for term in q.split_whitespace().map(search_fold) {
        let t: Vec<char> = term.chars().collect();
        if t.is_empty() || t.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - t.len() {
            if folded[start..start + t.len()] == t[..] {
                let (a, b) = (origin[start], origin[start + t.len() - 1]);
                hit[a..=b].iter_mut().for_each(|h| *h = true);
            }
        }
    }
    let mut parts: Vec<(String, bool)> = Vec::new();
    for (c, h) in chars.into_iter().zip(hit) {
        match parts.last_mut() {
            Some((s, last)) if *last == h => s.push(c),
            _ => parts.push((c.to_string(), h)),
        }
    }
    parts
}

/// Transitional name kept for the case page.
pub fn note_view(n: &Note, staff: &HashMap<i64, String>, case_title: String) -> NoteView {
    NoteView::new(n, staff, case_title)
}

#[cfg(test)]
mod tests {
    use super::marked;

    #[test]
    fn the_words_searched_are_marked_in_any_kana_form() {
        assert_eq!(
            marked("ヘルパーと買い物。へるぱーさん", "ﾍﾙﾊﾟｰ"),
            vec![
                ("ヘルパー".to_string(), true),
                ("と買い物。".to_string(), false),
                ("へるぱー".to_string(), true),
                ("さん".to_string(), false),
            ]
        );
        assert_eq!(
            marked("母の施設へ面会", "施設 母"),
            vec![
                ("母".to_string(), true),
                ("の".to_string(), false),
                ("施設".to_string(), true),
                ("へ面会".to_string(), false),
            ]
        );
        assert_eq!(marked("記録", ""), vec![("記録".to_string(), false)]);
    }
}
