//! ケアチーム members from Excel / CSV, shared by the import page and the API: one row per
//! member, whose team by 受給者証番号 or by the client's name and birth date; every row checked
//! (`domain::import_team`), nothing saved unless every row is good, then every new member added
//! in one unit of work through each client's own access check and the typed entry's store
//! function, and the import logged with its counts. For those who keep the whole office's ledger
//! and its teams (admin, lead).

use crate::error::AppError;
use crate::kit::import_file;
use crate::kit::resource_import::{FileProblems, SkippedRow};
use std::collections::HashMap;
use yorisoi_domain::import_team::parse_team;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, imports, team};

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TeamImportDone {
    /// 新しく加えたメンバーの数
    pub created: usize,
    /// 同じ人がそのチームにいて読み飛ばした行（行番号と氏名）
    pub skipped: Vec<SkippedRow>,
    pub dry_run: bool,
}

pub async fn run(
    store: &Store,
    actor: Actor,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Result<TeamImportDone, FileProblems>, AppError> {
    let mut tx = store.begin(actor).await?;
    imports::check_may_import(&tx)?;
    tx.office_access(RecordKind::CareTeam, Action::Write)?;
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
    let known = imports::known(&mut tx).await?;
    // The clients the file names, then their teams as they stand, for the duplicate check.
    let first = parse_team(&rows, &known, &HashMap::new());
    let mut members: HashMap<i64, Vec<String>> = HashMap::new();
    let mut access = HashMap::new();
    for (_, client, _) in &first.rows {
        if access.contains_key(client) {
            continue;
        }
        let acc = tx
            .client_access(*client, RecordKind::CareTeam, Action::Write)
            .await?;
        let names = team::members(&mut tx, &acc)
            .await?
            .into_iter()
            .filter(|m| m.active)
            .map(|m| m.record.name)
            .collect();
        members.insert(*client, names);
        access.insert(*client, acc);
    }
    let p = parse_team(&rows, &known, &members);
    if !p.errors.is_empty() {
        tx.rollback().await?;
        return Ok(Err(FileProblems::of_rows(p.errors)));
    }
    let skipped = SkippedRow::list(p.known);
    if !dry_run {
        for (_, client, rec) in &p.rows {
            let acc = access.get(client).ok_or(AppError::NotFound)?;
            team::add_member(&mut tx, acc, rec).await?;
        }
        tx.record(
            "import",
            RecordKind::CareTeam,
            None,
            None,
            format!(
                "ケアチームの取り込み: 新規 {}人、読み飛ばし {}人",
                p.rows.len(),
                skipped.len()
            ),
        );
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(Ok(TeamImportDone {
        created: p.rows.len(),
        skipped,
        dry_run,
    }))
}
