//! Background jobs of this process (一括印刷, 本人開示) (a restart forgets them; the records are
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
    /// The same content as JSON, for a job that gives both (本人開示).
    pub json: Option<Arc<Vec<u8>>>,
    pub json_filename: String,
    /// Where the job was started from (its page links back there).
    pub back: String,
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
    /// Adds `job` under a new id unless its owner already has `max` jobs reading or rendering.
    pub fn admit(&self, job: Job, max: usize) -> Option<String> {
        self.with(|m| {
            let running = m
                .values()
                .filter(|j| {
                    j.owner == job.owner && matches!(j.phase, Phase::Reading | Phase::Rendering)
                })
                .count();
            if running >= max {
                return None;
            }
            let id = hex::encode(rand::random::<[u8; 12]>());
            m.insert(id.clone(), job);
            Some(id)
        })
    }
    /// The job `id` if `user` started it (anyone else gets nothing, as for a record).
    pub fn get(&self, id: &str, user: i64) -> Option<Job> {
        self.with(|m| m.get(id).filter(|j| j.owner == user).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(owner: i64) -> Job {
        Job {
            owner,
            title: String::new(),
            done: 0,
            total: 0,
            phase: Phase::Reading,
            pdf: None,
            filename: String::new(),
            json: None,
            json_filename: String::new(),
            back: String::new(),
            started: Instant::now(),
        }
    }

    #[test]
    fn a_person_runs_at_most_max_jobs_at_once() {
        let jobs = Jobs::default();
        let ids: Vec<String> = (0..3).filter_map(|_| jobs.admit(job(1), 3)).collect();
        assert_eq!(ids.len(), 3);
        assert!(jobs.admit(job(1), 3).is_none(), "a fourth is refused");
        assert!(jobs.admit(job(2), 3).is_some(), "someone else is not");
        jobs.update(&ids[0], |j| j.phase = Phase::Done);
        assert!(
            jobs.admit(job(1), 3).is_some(),
            "a finished job frees a place"
        );
    }
}
