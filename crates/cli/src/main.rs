//! The `yorisoi` command: serve, demo, migrate, office/user administration, backup and
//! restore, audit verification, and seeding a large deployment for benchmarks.
#![forbid(unsafe_code)]

mod backup;
mod bench_seed;
mod demo;
mod demo_assessments;
mod demo_decisions;
#[cfg(test)]
mod demo_fhir_tests;
mod demo_files;
mod demo_issues;
mod demo_monitorings;
mod demo_notes;
mod demo_outside;
mod demo_plans;
mod demo_plans_b;
mod demo_region;
#[cfg(test)]
mod demo_tests;
mod import;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use yorisoi_store::Store;
use yorisoi_store::users::NewUser;
use yorisoi_web::{AppState, Config};

/// jemalloc for every allocation in the process, SQLite's (C) included. glibc's malloc was 18%
/// of a read's samples (`perf`), much of it consolidating freed pages; the options that bound its
/// memory are set in `.cargo/config.toml` (BENCHMARKS.md, issue 22 session 24). Linux only: the
/// only platform it was measured on.
#[cfg(all(target_os = "linux", not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "yorisoi",
    version,
    about = "相談支援専門員のためのケース管理システム"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// sqlite://PATH or postgres://USER@HOST/DB (default: a SQLite file in the data directory)
    #[arg(long, env = "YORISOI_DATABASE", hide_env_values = true)]
    database: Option<String>,
    /// Where the default SQLite file and backups live
    #[arg(long, env = "YORISOI_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    #[command(flatten)]
    audit: AuditArgs,
}

/// Where the audit log's secret and its signed checkpoints live: outside the database, so that
/// the database login alone can neither forge the log nor shorten it unseen.
#[derive(clap::Args, Clone, Default)]
struct AuditArgs {
    /// The audit key file (default: DATA_DIR/audit.key, created on first use; the key itself
    /// may instead be given in YORISOI_AUDIT_KEY as `ID HEX`)
    #[arg(long, env = "YORISOI_AUDIT_KEY_FILE")]
    audit_key_file: Option<PathBuf>,
    /// Directory the signed checkpoints are appended to (default: DATA_DIR/audit-checkpoints)
    #[arg(long, env = "YORISOI_AUDIT_CHECKPOINTS")]
    audit_checkpoints: Option<PathBuf>,
}

impl AuditArgs {
    /// Gives the store its key and checkpoint directory. `create` makes a key file when there
    /// is none (every command that writes); `audit-verify` never does.
    fn apply(&self, store: &Store, data_dir: &Path, create: bool) -> Result<()> {
        let keys = if let Ok(text) = std::env::var("YORISOI_AUDIT_KEY") {
            yorisoi_store::audit_key::Keyring::parse(&text)
                .map_err(|e| anyhow::anyhow!("YORISOI_AUDIT_KEY: {e}"))?
        } else {
            let path = self
                .audit_key_file
                .clone()
                .unwrap_or_else(|| data_dir.join("audit.key"));
            if !create && !path.exists() {
                bail!(
                    "監査ログの鍵ファイルが見つかりません: {}。--audit-key-file か YORISOI_AUDIT_KEY で指定してください。",
                    path.display()
                );
            }
            let (keys, created) = yorisoi_store::audit_key::Keyring::load_or_create(&path)
                .map_err(|e| anyhow::anyhow!(e))?;
            if created {
                eprintln!(
                    "監査ログの鍵を作成しました: {}（データベースとは別の場所にも控えを保管してください）",
                    path.display()
                );
            }
            keys
        };
        if keys.current().is_none() {
            bail!("監査ログの鍵がありません");
        }
        store.set_audit_keyring(keys);
        store.set_checkpoint_dir(
            self.audit_checkpoints
                .clone()
                .unwrap_or_else(|| data_dir.join("audit-checkpoints")),
        );
        Ok(())
    }
}

impl DbArgs {
    /// The database's URL without creating the data directory.
    fn url_unchecked(&self) -> String {
        match &self.database {
            Some(u) => u.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("yorisoi.sqlite").display()
            ),
        }
    }

    fn url(&self) -> Result<String> {
        match &self.database {
            Some(u) => Ok(u.clone()),
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("cannot create {}", self.data_dir.display()))?;
                Ok(format!(
                    "sqlite://{}",
                    self.data_dir.join("yorisoi.sqlite").display()
                ))
            }
        }
    }
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "YORISOI_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Mark cookies Secure (set when served over HTTPS)
    #[arg(long, env = "YORISOI_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (only behind your own reverse proxy)
    #[arg(long, env = "YORISOI_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// Extra document templates (a municipality's forms): DIR/<kind>/<name>.typ
    #[arg(long, env = "YORISOI_TEMPLATES")]
    templates: Option<PathBuf>,
    /// MeCab IPA dictionary sources for furigana (default: Debian's mecab-ipadic)
    #[arg(long, env = "YORISOI_IPADIC")]
    ipadic: Option<PathBuf>,
    /// The address people open yorisoi at, e.g. https://yorisoi.example.jp (passkeys are bound
    /// to its host name; default: http://localhost on any port)
    #[arg(long, env = "YORISOI_PUBLIC_URL")]
    public_url: Option<String>,
    /// Seconds between signed checkpoints of the audit log (one is also written at shutdown)
    #[arg(long, env = "YORISOI_CHECKPOINT_SECS", default_value_t = 300)]
    checkpoint_secs: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (SQLite is migrated at start; PostgreSQL needs `yorisoi migrate` first)
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Create a fresh demo office on SQLite with the demo cases, and serve it
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// Directory for the demo database (replaced on every start)
        #[arg(long, default_value = "data/demo")]
        data_dir: PathBuf,
        /// Password for every demo account (default: generated and printed)
        #[arg(long, env = "YORISOI_DEMO_PASSWORD", hide_env_values = true)]
        demo_password: Option<String>,
    },
    /// Apply database migrations (as the owner of the tables)
    Migrate {
        #[command(flatten)]
        db: DbArgs,
        /// PostgreSQL: the role the server runs as; it is granted what it needs and nothing
        /// more on the audit log (no UPDATE, DELETE or TRUNCATE)
        #[arg(long, env = "YORISOI_APP_ROLE")]
        grant_to: Option<String>,
    },
    /// Offices (事業所)
    Office {
        #[command(subcommand)]
        cmd: OfficeCmd,
    },
    /// Staff accounts
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Write a consistent copy of a SQLite database while it runs (VACUUM INTO), optionally
    /// encrypted (age format)
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Output file (default: DATA_DIR/backup-YYYYMMDD-HHMMSS.sqlite, .sqlite.age encrypted)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Encrypt to this age public key (age1…); repeat for several
        #[arg(long, env = "YORISOI_BACKUP_RECIPIENT", value_delimiter = ',')]
        encrypt_to: Vec<String>,
        /// Encrypt with a passphrase (from YORISOI_BACKUP_PASSPHRASE, or asked twice)
        #[arg(long)]
        passphrase: bool,
    },
    /// Replace a SQLite database with a backup (stop the server first); an encrypted backup
    /// needs --identity or --passphrase
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// The backup file
        #[arg(long)]
        from: PathBuf,
        /// Overwrite an existing database
        #[arg(long)]
        force: bool,
        /// The age identity file (AGE-SECRET-KEY-1…) of an encrypted backup
        #[arg(long)]
        identity: Option<PathBuf>,
        /// The backup's passphrase (from YORISOI_BACKUP_PASSPHRASE, or asked)
        #[arg(long)]
        passphrase: bool,
    },
    /// Check the audit log of every office: its keyed hash chain and its signed checkpoints
    AuditVerify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a signed checkpoint of every office's audit log now
    AuditCheckpoint {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a new audit key to the key file; it signs events from the next start on
    AuditKeyRotate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import an office's ledger (利用者台帳 and 受給者証) from .xlsx or CSV (UTF-8 or
    /// Shift_JIS); prints every problem and saves nothing unless the whole file is good
    Import {
        #[command(flatten)]
        db: DbArgs,
        /// The office's id
        #[arg(long)]
        office: i64,
        /// The staff member who imports (admin, lead or clerk of the office)
        #[arg(long)]
        login: String,
        /// What to do with a row already on the ledger: skip | update | new
        #[arg(long, default_value = "skip")]
        duplicates: String,
        /// Check and count only; save nothing
        #[arg(long)]
        dry_run: bool,
        /// The .xlsx or .csv file
        file: PathBuf,
    },
    /// Seed a large deployment for benchmarks
    BenchSeed {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value_t = 10)]
        offices: usize,
        #[arg(long, default_value_t = 1000)]
        clients_per_office: usize,
        #[arg(long, default_value_t = 20)]
        notes_per_client: usize,
        /// Password for every seeded account
        #[arg(long, default_value = "bench-password-1")]
        password: String,
        /// Also seed the dashboard office: 20 specialists, 2,020 clients with final plans
        #[arg(long)]
        dashboard_office: bool,
        /// Offices seeded side by side
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
}

#[derive(Subcommand)]
enum OfficeCmd {
    /// Add an office and print its id
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        name: String,
    },
    /// List offices
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a staff account; the password is read from YORISOI_PASSWORD or asked for
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        office: i64,
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// admin | lead | specialist | clerk
        #[arg(long, default_value = "specialist")]
        role: String,
    },
}

async fn open(db: &DbArgs, migrate: bool) -> Result<Store> {
    let url = db.url()?;
    open_url(&url, migrate).await
}

/// Opens a database that must already exist: a mistyped `--data-dir` or path is refused
/// instead of answering for an empty database made on the spot (serve, backup, audit-verify).
async fn open_existing(db: &DbArgs) -> Result<Store> {
    // The default file's path without creating its directory on the way.
    let url = db.url_unchecked();
    if let Ok(path) = sqlite_path(&url)
        && !path.exists()
    {
        bail!(
            "データベースが見つかりません: {}。--data-dir か --database を確かめてください。新しく始めるときは `yorisoi migrate` か `yorisoi office add` で作成します。",
            path.display()
        );
    }
    open_url(&url, false).await
}

async fn open_url(url: &str, migrate: bool) -> Result<Store> {
    let store = Store::connect(url)
        .await
        .context("cannot open the database")?;
    if migrate || store.is_sqlite() {
        store.migrate().await.context("migration failed")?;
    }
    Ok(store)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down; finishing requests in flight");
}

async fn run_server(store: Store, serve: &ServeArgs, data_dir: &std::path::Path) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&serve.listen)
        .await
        .with_context(|| format!("cannot listen on {}", serve.listen))?;
    let addr = listener.local_addr()?;
    // TOTP secrets written in plain (before sealing existed) are sealed with the audit key now.
    let sealed = yorisoi_store::second_factor::seal_plain_secrets(&store).await?;
    if sealed > 0 {
        eprintln!("二段階認証の秘密 {sealed} 件を監査ログの鍵で封印しました");
    }
    // A public URL that cannot carry passkeys is a mistake to say now, not at the first set-up.
    match &serve.public_url {
        Some(u) => {
            yorisoi_web::kit::passkey::RelyingParty::new(Some(u))
                .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
        }
        // stderr: stdout's next line is "listening on", which scripts and tests wait for.
        None => eprintln!(
            "passkeys (二段階認証): open http://localhost:{} (set --public-url for another address)",
            addr.port()
        ),
    }
    // Last of what is printed at start: scripts and tests read up to this line.
    println!("listening on http://{addr}");
    let state = AppState::new(
        store.clone(),
        Config {
            secure_cookies: serve.secure_cookies,
            trust_forwarded_for: serve.trust_forwarded_for,
            templates_dir: serve.templates.clone(),
            ipadic_dir: serve.ipadic.clone(),
            furigana_cache: Some(data_dir.join("furigana-ipadic.dic")),
            public_url: serve.public_url.clone(),
        },
    );
    // The furigana dictionary is loaded by the first easy-read plan that asks for it (compiled
    // into the data directory the first time, read from there afterwards), not now: loaded, it
    // holds ~90 MB, which a server that never prints an easy-read plan should not pay for.
    // Signed checkpoints outside the database: one now, every few minutes, one at shutdown.
    let ticker = {
        let store = store.clone();
        let every = std::time::Duration::from_secs(serve.checkpoint_secs.max(5));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = yorisoi_store::audit::checkpoint(&store).await {
                    tracing::error!(%e, "audit checkpoint failed");
                }
            }
        })
    };
    let served = yorisoi_web::serve(listener, state, shutdown_signal()).await;
    ticker.abort();
    let written = yorisoi_store::audit::checkpoint(&store).await;
    served?;
    written.context("the audit checkpoint at shutdown failed")?;
    store.close().await?;
    Ok(())
}

fn backup_passphrase(confirm: bool) -> Result<String> {
    if let Ok(p) = std::env::var("YORISOI_BACKUP_PASSPHRASE") {
        return Ok(p);
    }
    let p = rpassword::prompt_password("バックアップのパスフレーズ（12文字以上）: ")?;
    if confirm && rpassword::prompt_password("もう一度: ")? != p {
        bail!("パスフレーズが一致しません");
    }
    Ok(p)
}

fn read_password() -> Result<String> {
    if let Ok(p) = std::env::var("YORISOI_PASSWORD") {
        return Ok(p);
    }
    Ok(rpassword::prompt_password(
        "パスワード（10文字以上。ログインID・事業所名を含まず、推測されにくいもの）: ",
    )?)
}

fn sqlite_path(url: &str) -> Result<PathBuf> {
    let p = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("restore works on SQLite only; for PostgreSQL use pg_restore")?;
    Ok(PathBuf::from(p.split('?').next().unwrap_or(p)))
}

fn remove_sqlite_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", path.display()));
        if f.exists() {
            std::fs::remove_file(&f).with_context(|| format!("cannot remove {}", f.display()))?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("YORISOI_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { db, serve } => {
            let store = open_existing(&db).await?;
            db.audit.apply(&store, &db.data_dir, true)?;
            let pending = store.pending_migrations().await?;
            if !pending.is_empty() {
                bail!("the database needs migrations {pending:?}: run `yorisoi migrate` first");
            }
            if store.owns_audit_log().await? {
                tracing::warn!(
                    "the server's database role owns the tables and could switch the audit log's guards off; run it as a role granted by `yorisoi migrate --grant-to ROLE` (README)"
                );
            }
            run_server(store, &serve, &db.data_dir).await
        }
        Command::Demo {
            serve,
            data_dir,
            demo_password,
        } => {
            std::fs::create_dir_all(&data_dir)?;
            let path = data_dir.join("yorisoi.sqlite");
            remove_sqlite_files(&path)?;
            // The checkpoints of the demo database this start replaces would not match it.
            let checkpoints = data_dir.join("audit-checkpoints");
            if checkpoints.exists() {
                std::fs::remove_dir_all(&checkpoints)?;
            }
            let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
            store.migrate().await?;
            AuditArgs::default().apply(&store, &data_dir, true)?;
            let password = demo_password.unwrap_or_else(demo::generate_password);
            println!("デモデータを作成しています…");
            let seeded = demo::seed(&store, &password).await?;
            println!("\nyorisoi デモ（{}）", path.display());
            println!("サインイン: パスワードはすべて {password}");
            for (login, label) in seeded.accounts {
                println!("  {login:<10} {label}");
            }
            println!(
                "二段階認証（TOTP）: {} の秘密鍵。認証アプリに登録するか、コードを計算してください:",
                demo::TOTP_LOGIN
            );
            println!("  {}", seeded.totp_uri);
            println!("ケアチームの外部メンバー（二段階認証が必須。各行の次が認証アプリ用のURI）:");
            for o in &seeded.outside {
                println!("  {:<12} {}", o.login, o.label);
                println!("    {}", o.uri);
            }
            run_server(store, &serve, &data_dir).await
        }
        Command::Migrate { db, grant_to } => {
            let store = open(&db, true).await?;
            println!("migrations applied");
            if yorisoi_store::maintenance::autovacuum_off(&store).await? {
                eprintln!(
                    "警告: この PostgreSQL は autovacuum（または track_counts）が off です。統計情報が古いままだと、記録が増えたときに検索が大幅に遅くなることがあります。postgresql.conf で autovacuum = on と track_counts = on にするか、定期的に ANALYZE を実行してください（README の PostgreSQL の節）。"
                );
            }
            if let Some(role) = grant_to {
                store.grant_app_role(&role).await?;
                println!("granted the server's rights to {role} (append only on the audit log)");
            }
            store.close().await?;
            Ok(())
        }
        Command::Office { cmd } => match cmd {
            OfficeCmd::Add { db, name } => {
                let store = open(&db, false).await?;
                db.audit.apply(&store, &db.data_dir, true)?;
                let id = yorisoi_store::offices::create(&store, &name).await?;
                println!("office {id}: {name}");
                Ok(())
            }
            OfficeCmd::List { db } => {
                let store = open(&db, false).await?;
                for o in yorisoi_store::offices::list(&store).await? {
                    println!("{}\t{}", o.id, o.name);
                }
                Ok(())
            }
        },
        Command::User { cmd } => match cmd {
            UserCmd::Add {
                db,
                office,
                login,
                name,
                role,
            } => {
                let store = open(&db, false).await?;
                db.audit.apply(&store, &db.data_dir, true)?;
                let password = read_password()?;
                let input = NewUser {
                    login,
                    display_name: name,
                    role,
                    password,
                };
                match yorisoi_store::users::create_from_cli(&store, office, &input).await {
                    Ok(Ok(id)) => {
                        println!("user {id} created");
                        Ok(())
                    }
                    Ok(Err(errors)) => bail!("{errors}"),
                    Err(e) => Err(e.into()),
                }
            }
        },
        Command::Backup {
            db,
            out,
            encrypt_to,
            passphrase,
        } => {
            let store = open_existing(&db).await?;
            if !store.is_sqlite() {
                bail!(
                    "PostgreSQL: use `pg_dump --format=custom --file=yorisoi.dump DBNAME` (see README)"
                );
            }
            let secret = match (encrypt_to.is_empty(), passphrase) {
                (false, true) => {
                    bail!("--encrypt-to と --passphrase はどちらか一方を指定してください")
                }
                (false, false) => Some(backup::Secret::Recipients(encrypt_to)),
                (true, true) => Some(backup::Secret::Passphrase(backup_passphrase(true)?)),
                (true, false) => None,
            };
            let out = match out {
                Some(o) => o,
                None => db.data_dir.join(format!(
                    "backup-{}.sqlite{}",
                    chrono::Local::now().format("%Y%m%d-%H%M%S"),
                    if secret.is_some() { ".age" } else { "" }
                )),
            };
            if out.exists() {
                bail!("{} already exists", out.display());
            }
            let Some(secret) = secret else {
                store.backup_sqlite(&out.display().to_string()).await?;
                let copy = Store::connect(&format!("sqlite://{}", out.display())).await?;
                if !copy.integrity_ok().await? {
                    bail!("the backup failed its integrity check");
                }
                println!("backup written: {}", out.display());
                return Ok(());
            };
            // The plain copy lives beside the database it copies (already plain there), is
            // checked, encrypted to `out`, and removed with its directory.
            let db_dir = sqlite_path(&db.url_unchecked())?
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            let work = tempfile::Builder::new()
                .prefix(".backup-")
                .tempdir_in(&db_dir)
                .with_context(|| format!("cannot write in {}", db_dir.display()))?;
            let plain = work.path().join("copy.sqlite");
            store.backup_sqlite(&plain.display().to_string()).await?;
            let copy = Store::connect(&format!("sqlite://{}", plain.display())).await?;
            let sound = copy.integrity_ok().await?;
            copy.close().await?;
            if !sound {
                bail!("the backup failed its integrity check");
            }
            backup::encrypt(&plain, &out, &secret)?;
            println!("encrypted backup written: {}", out.display());
            Ok(())
        }
        Command::Restore {
            db,
            from,
            force,
            identity,
            passphrase,
        } => {
            let url = db.url()?;
            let target = sqlite_path(&url)?;
            // Never let SQLite create an empty "backup" from a mistyped path.
            if !from.is_file() {
                bail!("{} does not exist; nothing was changed", from.display());
            }
            let parent = target
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            let work = tempfile::Builder::new()
                .prefix(".restore-")
                .tempdir_in(&parent)
                .with_context(|| format!("cannot write in {}", parent.display()))?;
            let source = if backup::is_encrypted(&from)? {
                let secret = match (identity, passphrase) {
                    (Some(i), false) => backup::Secret::IdentityFile(i),
                    (None, true) => backup::Secret::Passphrase(backup_passphrase(false)?),
                    _ => bail!(
                        "{} is encrypted: give --identity KEYFILE or --passphrase; nothing was changed",
                        from.display()
                    ),
                };
                let plain = work.path().join("restored.sqlite");
                backup::decrypt(&from, &plain, &secret)
                    .map_err(|e| anyhow::anyhow!("{e:#}; nothing was changed"))?;
                plain
            } else {
                from.clone()
            };
            let backup = Store::connect(&format!("sqlite://{}", source.display()))
                .await
                .context("cannot open the backup")?;
            if !backup.integrity_ok().await? {
                bail!("the backup failed its integrity check; nothing was changed");
            }
            backup.close().await?;
            if target.exists() && !force {
                bail!(
                    "{} exists; stop the server and pass --force to replace it",
                    target.display()
                );
            }
            remove_sqlite_files(&target)?;
            std::fs::copy(&source, &target)?;
            drop(work);
            // The restored log ends where the backup did; the checkpoints taken since would
            // report it as cut short. They are kept aside, not deleted.
            let checkpoints = db
                .audit
                .audit_checkpoints
                .clone()
                .unwrap_or_else(|| db.data_dir.join("audit-checkpoints"));
            if checkpoints.is_dir() {
                let aside = PathBuf::from(format!(
                    "{}.before-restore-{}",
                    checkpoints.display(),
                    chrono::Local::now().format("%Y%m%d-%H%M%S")
                ));
                std::fs::rename(&checkpoints, &aside)?;
                println!(
                    "the audit checkpoints taken before the restore were moved to {}",
                    aside.display()
                );
            }
            let restored = open(&db, true).await?;
            println!(
                "restored {} → {} (integrity ok: {})",
                from.display(),
                target.display(),
                restored.integrity_ok().await?
            );
            Ok(())
        }
        Command::AuditVerify { db } => {
            let store = open_existing(&db).await?;
            db.audit.apply(&store, &db.data_dir, false)?;
            let mut broken = false;
            for o in yorisoi_store::offices::list(&store).await? {
                let v = yorisoi_store::audit::verify(&store, o.id).await?;
                match &v.broken {
                    None => println!(
                        "office {} ({}): {} events, chain intact (keys: {}{})",
                        o.id,
                        o.name,
                        v.events,
                        if v.key_ids.is_empty() {
                            "-".to_string()
                        } else {
                            v.key_ids.join(", ")
                        },
                        if v.unkeyed > 0 {
                            format!("; {} unkeyed events from before the key", v.unkeyed)
                        } else {
                            String::new()
                        }
                    ),
                    Some((seq, why)) => {
                        broken = true;
                        println!(
                            "office {} ({}): chain BROKEN at event {seq}: {why}",
                            o.id, o.name
                        );
                    }
                }
                match &v.last_checkpoint {
                    Some(c) => println!(
                        "  checkpoints: {} signed, the latest {} at event {}",
                        v.checkpoints, c.at, c.seq
                    ),
                    None => println!("  checkpoints: none yet"),
                }
                for p in &v.problems {
                    broken = true;
                    println!("  PROBLEM: {p}");
                }
            }
            if broken {
                bail!("audit log tampered with or damaged (see above)");
            }
            Ok(())
        }
        Command::AuditCheckpoint { db } => {
            let store = open_existing(&db).await?;
            db.audit.apply(&store, &db.data_dir, false)?;
            let n = yorisoi_store::audit::checkpoint(&store).await?;
            println!(
                "{n} checkpoints written to {}",
                store.checkpoint_dir().unwrap_or_default().display()
            );
            Ok(())
        }
        Command::AuditKeyRotate { db } => {
            let path = db
                .audit
                .audit_key_file
                .clone()
                .unwrap_or_else(|| db.data_dir.join("audit.key"));
            let id =
                yorisoi_store::audit_key::Keyring::rotate(&path).map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "new audit key {id} added to {}; restart the server to sign with it",
                path.display()
            );
            Ok(())
        }
        Command::Import {
            db,
            office,
            login,
            duplicates,
            dry_run,
            file,
        } => {
            let store = open_existing(&db).await?;
            db.audit.apply(&store, &db.data_dir, true)?;
            let ok = import::run(&store, office, &login, &file, &duplicates, dry_run).await;
            store.close().await?;
            if !ok? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::BenchSeed {
            db,
            offices,
            clients_per_office,
            notes_per_client,
            password,
            dashboard_office,
            jobs,
        } => {
            let store = open(&db, true).await?;
            db.audit.apply(&store, &db.data_dir, true)?;
            bench_seed::seed(
                &store,
                offices,
                clients_per_office,
                notes_per_client,
                &password,
                dashboard_office,
                jobs,
            )
            .await
        }
    }
}
