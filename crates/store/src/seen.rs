//! What this server last saw of each office's `data_version`, and the staff names read at a
//! version. Every request's session lookup (or API token check) reads the version in the
//! statement it needs anyway, so a page can tell whether the office changed since something
//! was cached without a statement of its own: staff names beside records, and the dashboard.
//!
//! Why a cached value is never older than the request that uses it: a request's own lookup
//! comes before its reads and the version kept only grows, so the version a read compares with
//! is at least the one its own lookup saw (every write of the office, on any app server, moves
//! it: [`crate::Tx::commit`]). A value is cached under the version seen before it was read, so
//! what it holds is at least as new as its label.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Offices whose staff names are kept; past this that map starts again (an office not kept
/// costs one statement). Versions are never dropped: one number per office, and a version that
/// went back (a slow request's older lookup noted after a reset) would serve a stale cache.
const MAX_NAMES: usize = 10_000;

type Names = Arc<Vec<(i64, String)>>;

#[derive(Default, Debug)]
struct Inner {
    versions: HashMap<i64, i64>,
    names: HashMap<i64, (i64, Names)>,
}

/// Shared by the store and its units of work; cheap to clone.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seen(Arc<Mutex<Inner>>);

impl Seen {
    /// Notes that the office's version was `version` (or later) when a request began.
    pub(crate) fn saw(&self, office_id: i64, version: i64) {
        if let Ok(mut g) = self.0.lock() {
            let v = g.versions.entry(office_id).or_insert(version);
            *v = (*v).max(version);
        }
    }

    /// The newest version seen of the office, if any request of it came through this server.
    pub(crate) fn version(&self, office_id: i64) -> Option<i64> {
        self.0.lock().ok()?.versions.get(&office_id).copied()
    }

    /// The office's staff names, if they were read at `version`.
    pub(crate) fn names_at(&self, office_id: i64, version: i64) -> Option<Names> {
        let g = self.0.lock().ok()?;
        g.names
            .get(&office_id)
            .filter(|(at, _)| *at == version)
            .map(|(_, n)| n.clone())
    }

    /// Keeps names read after `version` was seen.
    pub(crate) fn put_names(&self, office_id: i64, version: i64, names: Names) {
        if let Ok(mut g) = self.0.lock() {
            if g.names.len() >= MAX_NAMES && !g.names.contains_key(&office_id) {
                g.names.clear();
            }
            g.names.insert(office_id, (version, names));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_only_grows_and_names_serve_only_their_version() {
        let s = Seen::default();
        assert_eq!(s.version(1), None, "nothing seen: read the database");
        s.saw(1, 5);
        s.saw(1, 3); // a slower request that looked up earlier
        assert_eq!(s.version(1), Some(5));
        assert!(s.names_at(1, 5).is_none());
        s.put_names(1, 5, Arc::new(vec![(7, "佐藤".into())]));
        let n = s.names_at(1, 5).expect("kept at 5");
        assert_eq!(n[0].1, "佐藤");
        s.saw(1, 6); // a write, here or on another server
        assert_eq!(s.version(1), Some(6));
        assert!(s.names_at(1, 6).is_none(), "read again after a write");
        assert_eq!(s.version(2), None, "offices are apart");
    }
}
