//! `yorisoi import`: an office's Excel / CSV ledger moved in from the command line, with the
//! same checks as the page (every row's problems in Japanese, nothing saved unless the whole
//! file is good, all of it in one unit of work).

use anyhow::{Result, bail};
use std::path::Path;
use yorisoi_domain::import::DuplicateChoice;
use yorisoi_domain::policy::{Actor, Role};
use yorisoi_store::Store;
use yorisoi_web::kit::{import, import_file};

/// The acting staff member: `login` of `office`, active, and allowed to import.
async fn actor(store: &Store, office: i64, login: &str) -> Result<Actor> {
    let u = yorisoi_store::users::find_by_login(store, login).await?;
    let Some(u) = u.filter(|u| u.office_id == office && u.active) else {
        bail!("事業所 {office} に有効な職員「{login}」がいません。");
    };
    let Some(role) = Role::from_code(&u.role).filter(|r| import::may_import(*r)) else {
        bail!(
            "「{login}」は取り込めません。事業所全体の利用者台帳を書ける職員（管理者・主任相談支援専門員・事務）を指定してください。"
        );
    };
    Ok(Actor {
        user_id: u.id,
        office_id: office,
        role,
    })
}

/// Returns whether the file went in (or would, for a dry run).
pub async fn run(
    store: &Store,
    office: i64,
    login: &str,
    file: &Path,
    duplicates: &str,
    dry_run: bool,
) -> Result<bool> {
    let Some(choice) = DuplicateChoice::from_code(duplicates) else {
        bail!("--duplicates は skip・update・new のどれかです。");
    };
    let actor = actor(store, office, login).await?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("{} を読めません: {e}", file.display()))?;
    let rows = match import_file::decode(&bytes) {
        Ok(r) => r,
        Err(m) => {
            eprintln!("{m}");
            return Ok(false);
        }
    };
    let p = import::preview(store, actor, &rows, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !p.is_valid() {
        for m in p.messages() {
            eprintln!("{m}");
        }
        eprintln!(
            "直すところが{}件あります。何も保存していません。",
            p.messages().len()
        );
        return Ok(false);
    }
    let steps = import::plan(&p, |_| choice);
    if dry_run {
        println!("確認のみ（保存していません）: {}", import::count(&steps));
        return Ok(true);
    }
    match import::run(store, actor, &steps, |_| {}).await {
        Ok(c) => {
            println!("取り込みました: {c}");
            Ok(true)
        }
        Err(m) => {
            eprintln!("{m}");
            Ok(false)
        }
    }
}
