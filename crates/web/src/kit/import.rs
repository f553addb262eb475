//! The ledger import shared by the pages, the API and the CLI: a file's rows checked against a
//! mapping and the office's ledger (a preview that saves nothing), then every row imported in
//! one unit of work. The pages keep an uploaded file here between the preview and the import
//! (in this process, like 一括印刷's jobs: a restart forgets it, nothing is saved half-way).

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use yorisoi_domain::import::{
    self, Counts, DuplicateChoice, ImportRow, Mapping, Match, Parsed, find_duplicates,
};
use yorisoi_domain::policy::{self, Action, Actor, RecordKind};
use yorisoi_store::imports::{self, Planned, Step};
use yorisoi_store::{Store, StoreError, today_jst};

/// Whether `role` may import: whoever may write the whole office's ledger and certificates.
pub fn may_import(role: policy::Role) -> bool {
    policy::sees_whole_office(role)
        && policy::may(role, RecordKind::Ledger, Action::Write)
        && policy::may(role, RecordKind::Certificate, Action::Write)
}

/// What a file comes to under a mapping, before anything is saved.
#[derive(Debug, Clone)]
pub struct Preview {
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// Problems of the mapping itself (a required field with no column).
    pub mapping_errors: Vec<String>,
    pub parsed: Parsed,
    /// Per row of `parsed.rows`: the client or the earlier row it duplicates.
    pub duplicates: Vec<Option<Match>>,
}

impl Preview {
    /// Nothing in the way of importing.
    pub fn is_valid(&self) -> bool {
        self.mapping_errors.is_empty() && self.parsed.errors.is_empty()
    }
    /// Every problem, mapping first, each as the user reads it.
    pub fn messages(&self) -> Vec<String> {
        self.mapping_errors
            .iter()
            .cloned()
            .chain(self.parsed.errors.iter().map(|e| e.to_string()))
            .collect()
    }
}

/// Checks `rows` under `mapping` (`None`: matched from the header) against the actor's office.
pub async fn preview(
    store: &Store,
    actor: Actor,
    rows: &[Vec<String>],
    mapping: Option<Mapping>,
) -> Result<Preview, AppError> {
    let headers = import::headers(rows);
    let mut mapping = mapping.unwrap_or_else(|| import::auto_mapping(&headers));
    mapping.resize(headers.len(), None);
    let mut tx = store.read(actor).await?;
    let known = imports::known(&mut tx).await?;
    let may_assign = policy::may(actor.role, RecordKind::Assignment, Action::Write);
    let staff: Vec<(i64, String)> = if may_assign {
        crate::kit::staff::assignable_staff(&tx)
            .await?
            .into_iter()
            .filter_map(|(id, name)| id.parse().ok().map(|id| (id, name)))
            .collect()
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let mapping_errors = import::check_mapping(&mapping);
    let parsed = if mapping_errors.is_empty() {
        import::parse_rows(rows, &mapping, &staff, may_assign, today_jst())
    } else {
        Parsed::default()
    };
    let duplicates = find_duplicates(&parsed.rows, &known);
    Ok(Preview {
        headers,
        mapping,
        mapping_errors,
        parsed,
        duplicates,
    })
}

/// A duplicate as the preview showed it: the client matched and its version then.
pub fn seen_key(m: &Match) -> String {
    match m {
        Match::Existing {
            client_id, version, ..
        } => format!("{client_id}.{version}"),
        Match::EarlierRow(r) => format!("row{r}"),
    }
}

/// The steps of a valid preview, a duplicate's step from `choice` (by spreadsheet row).
/// An earlier row of the file cannot be updated: 更新 of such a row is skipped.
pub fn plan(p: &Preview, choice: impl Fn(usize) -> DuplicateChoice) -> Vec<Planned> {
    p.parsed
        .rows
        .iter()
        .zip(&p.duplicates)
        .map(|(r, d): (&ImportRow, _)| {
            let step = match (d, choice(r.row)) {
                (None, _) | (Some(_), DuplicateChoice::New) => Step::Create,
                (Some(_), DuplicateChoice::Skip) | (Some(Match::EarlierRow(_)), _) => Step::Skip,
                (
                    Some(Match::Existing {
                        client_id, version, ..
                    }),
                    DuplicateChoice::Update,
                ) => Step::Update {
                    client_id: *client_id,
                    version: *version,
                },
            };
            Planned {
                row: r.row,
                record: r.record.clone(),
                cert: r.cert.clone(),
                staff_id: r.staff_id,
                step,
            }
        })
        .collect()
}

/// What would be done, without doing it (for a dry run and the preview's summary).
pub fn count(steps: &[Planned]) -> Counts {
    let mut c = Counts::default();
    for s in steps {
        match s.step {
            Step::Create => c.created += 1,
            Step::Update { .. } => c.updated += 1,
            Step::Skip => c.skipped += 1,
        }
        if !matches!(s.step, Step::Skip) && s.cert.is_some() {
            c.certificates += 1;
        }
    }
    c
}

/// A refusal while importing, in Japanese (nothing was saved).
pub fn refusal(e: &imports::RowRefused) -> String {
    let at = if e.row > 0 {
        format!("{}行目: ", e.row)
    } else {
        String::new()
    };
    match &e.error {
        StoreError::Conflict => format!(
            "{at}確認の後に、この利用者の台帳がほかの人に変更されました。何も保存していません。もう一度確認してから取り込んでください。"
        ),
        StoreError::NotFound => format!("{at}この利用者は見つかりません。何も保存していません。"),
        StoreError::Invalid(f) => format!(
            "{at}{} 何も保存していません。",
            f.0.values().cloned().collect::<Vec<_>>().join(" ")
        ),
        StoreError::Rule(m) => format!("{at}{m} 何も保存していません。"),
        _ => "取り込めませんでした。何も保存していません。".into(),
    }
}

/// Why an import saved nothing, in Japanese; `conflict` when a client changed after the check
/// (the API answers 409 then).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub message: String,
    pub conflict: bool,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Imports `steps` in one unit of work; nothing is saved unless every row goes in.
pub async fn run(
    store: &Store,
    actor: Actor,
    steps: &[Planned],
    progress: impl FnMut(usize),
) -> Result<Counts, Refused> {
    let failed = || Refused {
        message: "取り込めませんでした。何も保存していません。".to_string(),
        conflict: false,
    };
    let mut tx = store.begin(actor).await.map_err(|_| failed())?;
    match imports::run(&mut tx, steps, progress).await {
        Ok(c) => {
            tx.commit().await.map_err(|e| {
                tracing::error!("import commit: {e}");
                failed()
            })?;
            Ok(c)
        }
        Err(e) => {
            let refused = Refused {
                message: refusal(&e),
                conflict: matches!(e.error, StoreError::Conflict),
            };
            if let Err(e) = tx.rollback().await {
                tracing::error!("import rollback: {e}");
            }
            Err(refused)
        }
    }
}

/// Where an uploaded file's import stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Being checked (nothing saved).
    Preview,
    Running {
        done: usize,
        total: usize,
    },
    Done(Counts),
    Failed(String),
}

/// An uploaded file between its preview and its import.
#[derive(Debug, Clone)]
pub struct Staged {
    pub owner: i64,
    pub filename: String,
    pub rows: Arc<Vec<Vec<String>>>,
    /// The mapping last chosen (`None`: from the header).
    pub mapping: Option<Mapping>,
    /// The choices last made for duplicates, by spreadsheet row (absent: skip).
    pub choices: HashMap<usize, DuplicateChoice>,
    pub state: RunState,
    started: Instant,
}

/// Kept this long after the upload.
const KEEP: Duration = Duration::from_secs(60 * 60);
/// Files one person may have staged at once (the oldest is forgotten first).
const PER_PERSON: usize = 3;

#[derive(Clone, Default)]
pub struct Imports(Arc<Mutex<HashMap<String, Staged>>>);

impl Imports {
    fn with<R>(&self, f: impl FnOnce(&mut HashMap<String, Staged>) -> R) -> R {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.retain(|_, s| s.started.elapsed() < KEEP);
        f(&mut m)
    }
    /// Keeps a file for `owner`; returns its id.
    pub fn stage(&self, owner: i64, filename: String, rows: Vec<Vec<String>>) -> String {
        self.with(|m| {
            let mut mine: Vec<(String, Instant)> = m
                .iter()
                .filter(|(_, s)| s.owner == owner && !matches!(s.state, RunState::Running { .. }))
                .map(|(k, s)| (k.clone(), s.started))
                .collect();
            mine.sort_by_key(|(_, t)| *t);
            while mine.len() >= PER_PERSON {
                let (k, _) = mine.remove(0);
                m.remove(&k);
            }
            let id = hex::encode(rand::random::<[u8; 12]>());
            m.insert(
                id.clone(),
                Staged {
                    owner,
                    filename,
                    rows: Arc::new(rows),
                    mapping: None,
                    choices: HashMap::new(),
                    state: RunState::Preview,
                    started: Instant::now(),
                },
            );
            id
        })
    }
    /// The file `id` if `user` uploaded it (anyone else gets nothing, as for a record).
    pub fn get(&self, id: &str, user: i64) -> Option<Staged> {
        self.with(|m| m.get(id).filter(|s| s.owner == user).cloned())
    }
    pub fn update(&self, id: &str, f: impl FnOnce(&mut Staged)) {
        self.with(|m| {
            if let Some(s) = m.get_mut(id) {
                f(s)
            }
        })
    }
    /// Marks `id` running unless it already is or is done (a second click imports nothing).
    pub fn start(&self, id: &str, user: i64, total: usize) -> bool {
        self.with(|m| match m.get_mut(id) {
            Some(s)
                if s.owner == user
                    && matches!(s.state, RunState::Preview | RunState::Failed(_)) =>
            {
                s.state = RunState::Running { done: 0, total };
                true
            }
            _ => false,
        })
    }
}
