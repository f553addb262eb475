//! The `yorisoi` command: serve, demo, migrate, office/user administration, backup and
//! restore, audit verification, and seeding a large deployment for benchmarks.
#![forbid(unsafe_code)]

mod bench_seed;
mod demo;
mod demo_assessments;
mod demo_decisions;
mod demo_monitorings;
mod demo_plans;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use yorisoi_store::Store;
use yorisoi_store::users::NewUser;
use yorisoi_web::{AppState, Config};

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
}

impl DbArgs {
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
    /// Apply database migrations
    Migrate {
        #[command(flatten)]
        db: DbArgs,
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
    /// Write a consistent copy of a SQLite database while it runs (VACUUM INTO)
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Output file (default: DATA_DIR/backup-YYYYMMDD-HHMMSS.sqlite)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Replace a SQLite database with a backup (stop the server first)
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// The backup file
        #[arg(long)]
        from: PathBuf,
        /// Overwrite an existing database
        #[arg(long)]
        force: bool,
    },
    /// Check the audit log's hash chain of every office
    AuditVerify {
        #[command(flatten)]
        db: DbArgs,
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
    let url = match &db.database {
        Some(u) => u.clone(),
        None => format!("sqlite://{}", db.data_dir.join("yorisoi.sqlite").display()),
    };
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
    println!("listening on http://{addr}");
    let state = AppState::new(
        store.clone(),
        Config {
            secure_cookies: serve.secure_cookies,
            trust_forwarded_for: serve.trust_forwarded_for,
            templates_dir: serve.templates.clone(),
            ipadic_dir: serve.ipadic.clone(),
            furigana_cache: Some(data_dir.join("furigana-ipadic.dic")),
        },
    );
    // Compile (or load) the furigana dictionary now, so the first easy-read plan is quick.
    if state.furigana.available() {
        let dict = state.furigana.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = dict.reader() {
                tracing::warn!(%e, "furigana dictionary unavailable");
            }
        });
    }
    yorisoi_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await?;
    Ok(())
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
            let pending = store.pending_migrations().await?;
            if !pending.is_empty() {
                bail!("the database needs migrations {pending:?}: run `yorisoi migrate` first");
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
            let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
            store.migrate().await?;
            let password = demo_password.unwrap_or_else(demo::generate_password);
            println!("デモデータを作成しています…");
            let accounts = demo::seed(&store, &password).await?;
            println!("\nyorisoi デモ（{}）", path.display());
            println!("サインイン: パスワードはすべて {password}");
            for (login, label) in accounts {
                println!("  {login:<10} {label}");
            }
            run_server(store, &serve, &data_dir).await
        }
        Command::Migrate { db } => {
            let store = open(&db, true).await?;
            println!("migrations applied");
            store.close().await?;
            Ok(())
        }
        Command::Office { cmd } => match cmd {
            OfficeCmd::Add { db, name } => {
                let store = open(&db, false).await?;
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
        Command::Backup { db, out } => {
            let store = open_existing(&db).await?;
            if !store.is_sqlite() {
                bail!(
                    "PostgreSQL: use `pg_dump --format=custom --file=yorisoi.dump DBNAME` (see README)"
                );
            }
            let out = match out {
                Some(o) => o,
                None => db.data_dir.join(format!(
                    "backup-{}.sqlite",
                    chrono::Local::now().format("%Y%m%d-%H%M%S")
                )),
            };
            if out.exists() {
                bail!("{} already exists", out.display());
            }
            store.backup_sqlite(&out.display().to_string()).await?;
            let copy = Store::connect(&format!("sqlite://{}", out.display())).await?;
            if !copy.integrity_ok().await? {
                bail!("the backup failed its integrity check");
            }
            println!("backup written: {}", out.display());
            Ok(())
        }
        Command::Restore { db, from, force } => {
            let url = db.url()?;
            let target = sqlite_path(&url)?;
            // Never let SQLite create an empty "backup" from a mistyped path.
            if !from.is_file() {
                bail!("{} does not exist; nothing was changed", from.display());
            }
            let backup = Store::connect(&format!("sqlite://{}", from.display()))
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
            std::fs::copy(&from, &target)?;
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
            let mut broken = false;
            for o in yorisoi_store::offices::list(&store).await? {
                match yorisoi_store::audit::verify(&store, o.id).await? {
                    Ok(n) => println!("office {} ({}): {n} events, chain intact", o.id, o.name),
                    Err(seq) => {
                        broken = true;
                        println!("office {} ({}): chain BROKEN at event {seq}", o.id, o.name);
                    }
                }
            }
            if broken {
                bail!("audit chain broken");
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
        } => {
            let store = open(&db, true).await?;
            bench_seed::seed(
                &store,
                offices,
                clients_per_office,
                notes_per_client,
                &password,
                dashboard_office,
            )
            .await
        }
    }
}
