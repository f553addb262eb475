//! The 社会資源 directory from Excel / CSV, shared by the resources page and the API: the file
//! decoded (xlsx, UTF-8 or CP932 CSV), every row checked (`domain::import_resources`), nothing
//! saved unless every row is good, then every new entry added in one unit of work — each through
//! the same store function as a typed entry — and the import logged with its counts.

use crate::error::AppError;
use crate::kit::import_file;
use yorisoi_domain::import::RowError;
use yorisoi_domain::import_resources::parse_resources;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::Store;
use yorisoi_store::resources::{self, ResourceFilter};

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ResourceImportDone {
    /// 新しく登録した件数
    pub created: usize,
    /// 名称が既に登録されていて読み飛ばした行（行番号と名称）
    pub skipped: Vec<SkippedRow>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SkippedRow {
    pub row: usize,
    pub name: String,
}

/// Why nothing was saved: the file could not be read, or these rows are wrong (the
/// directory's and the care teams' imports alike).
#[derive(Debug, Clone)]
pub struct FileProblems {
    pub message: String,
    pub rows: Vec<RowError>,
}

impl FileProblems {
    /// Every wrong row, with what to do.
    pub fn of_rows(rows: Vec<RowError>) -> Self {
        FileProblems {
            message: format!(
                "直すところが{}件あります。何も登録していません。ファイルを直して、もう一度選んでください。",
                rows.len()
            ),
            rows,
        }
    }
}

impl SkippedRow {
    /// The rows left out because what they add is there already: (row, name).
    pub fn list(known: Vec<(usize, String)>) -> Vec<SkippedRow> {
        known
            .into_iter()
            .map(|(row, name)| SkippedRow { row, name })
            .collect()
    }
}

/// Reads `bytes` and, if every row is good and not `dry_run`, adds the new entries.
pub async fn run(
    store: &Store,
    actor: Actor,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Result<ResourceImportDone, FileProblems>, AppError> {
    let mut tx = store.begin(actor).await?;
    tx.office_access(RecordKind::Resource, Action::Write)?;
    let rows = match import_file::decode_off_thread(bytes).await? {
        Ok(r) => r,
        Err(message) => {
            tx.rollback().await?;
            return Ok(Err(FileProblems {
                message,
                rows: Vec::new(),
            }));
        }
    };
    let existing: Vec<String> = resources::list(
        &mut tx,
        &ResourceFilter {
            include_inactive: true,
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .map(|r| r.record.name)
    .collect();
    let p = parse_resources(&rows, &existing);
    if !p.errors.is_empty() {
        tx.rollback().await?;
        return Ok(Err(FileProblems::of_rows(p.errors)));
    }
    let skipped = SkippedRow::list(p.known);
    if dry_run {
        tx.rollback().await?;
        return Ok(Ok(ResourceImportDone {
            created: p.rows.len(),
            skipped,
            dry_run: true,
        }));
    }
    for (_, rec) in &p.rows {
        resources::create(&mut tx, rec).await?;
    }
    tx.record(
        "import",
        RecordKind::Resource,
        None,
        None,
        format!(
            "社会資源の取り込み: 新規 {}件、読み飛ばし {}件",
            p.rows.len(),
            skipped.len()
        ),
    );
    tx.commit().await?;
    Ok(Ok(ResourceImportDone {
        created: p.rows.len(),
        skipped,
        dry_run: false,
    }))
}
