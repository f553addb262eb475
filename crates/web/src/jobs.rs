//! 一括印刷's background jobs of this process (a restart forgets them; the records are
//! untouched). Only the person who started a job can see it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Finished jobs are kept this long for their download, then forgotten.
const KEEP: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Reading,
    Rendering,
    Done,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Job {
    pub owner: i64,
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub phase: Phase,
    pub pdf: Option<Arc<Vec<u8>>>,
    pub filename: String,
    pub started: Instant,
}

/// The batch jobs of this process (a restart forgets them; the records are untouched).
#[derive(Clone, Default)]
pub struct Jobs(Arc<Mutex<HashMap<String, Job>>>);

impl Jobs {
    pub fn with<R>(&self, f: impl FnOnce(&mut HashMap<String, Job>) -> R) -> R {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.retain(|_, j| j.started.elapsed() < KEEP);
        f(&mut m)
    }
    pub fn update(&self, id: &str, f: impl FnOnce(&mut Job)) {
        self.with(|m| {
            if let Some(j) = m.get_mut(id) {
                f(j)
            }
        })
    }
    /// The job `id` if `user` started it (anyone else gets nothing, as for a record).
    pub fn get(&self, id: &str, user: i64) -> Option<Job> {
        self.with(|m| m.get(id).filter(|j| j.owner == user).cloned())
    }
}
