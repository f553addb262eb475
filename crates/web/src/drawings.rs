//! The assessment drawings (genogram, ecomap, life history, day, week) cached per version: a
//! drawing is a pure function of the record, and a saved record always has a new `version` and
//! `updated_at`, so a key never goes stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use yorisoi_documents::docs::assessment::drawing as draw;
use yorisoi_domain::assessment::AssessmentRecord;
use yorisoi_store::assessments;

/// The drawing of `kind` for a record, or nothing when the section is empty.
pub fn drawn(kind: &str, r: &AssessmentRecord) -> String {
    draw(kind, r).unwrap_or_default()
}

/// Drawings already made, per assessment version: a drawing is a pure function of the record,
/// and a saved record always has a new `version` and `updated_at`, so a key never goes stale.
/// Drawing a family of 20 and an ecomap of 40 ties is most of the sheet's work; it changes only
/// on save but is viewed many times.
#[derive(Clone, Default)]
pub struct DrawingCache(Arc<Mutex<HashMap<DrawingKey, Arc<str>>>>);

type DrawingKey = (i64, i32, i64, &'static str);

/// Entries kept before the cache starts over (a few MB of SVG at most).
const DRAWING_CACHE_MAX: usize = 500;

impl DrawingCache {
    /// The drawing of `kind` (one of `DRAWINGS`) for this version of the assessment.
    pub fn get(&self, a: &assessments::Assessment, kind: &'static str) -> Arc<str> {
        let key = (a.id, a.version, a.updated_at.timestamp_micros(), kind);
        if let Some(svg) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return svg;
        }
        let svg: Arc<str> = drawn(kind, &a.record).into();
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= DRAWING_CACHE_MAX {
                m.clear();
            }
            m.insert(key, svg.clone());
        }
        svg
    }
}
