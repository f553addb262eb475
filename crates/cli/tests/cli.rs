//! The command line: office and user administration, backup, restore, audit verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn yorisoi(args: &[&str]) -> (bool, String) {
    yorisoi_env(args, &[])
}

fn yorisoi_env(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
        .args(args)
        .envs(env.iter().copied())
        .env("YORISOI_PASSWORD", "correct horse battery")
        .env("YORISOI_LOG", "warn")
        // Never a key file or checkpoints in the crate directory (the default DATA_DIR).
        .env("YORISOI_AUDIT_KEY", format!("cli-test {}", "5a".repeat(32)))
        .env(
            "YORISOI_AUDIT_CHECKPOINTS",
            std::env::temp_dir().join(format!("yorisoi-cli-test-{}", std::process::id())),
        )
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Every allocation goes through jemalloc with the bounds `.cargo/config.toml` builds in. That it
/// reads `MALLOC_CONF` (not the prefixed `_RJEM_MALLOC_CONF`) shows it also took C's `malloc`, so
/// SQLite's allocations go through it too.
#[cfg(all(target_os = "linux", not(target_env = "musl")))]
#[test]
fn the_allocator_is_jemalloc_with_its_memory_bounds() {
    let (ok, out) = yorisoi_env(&["--version"], &[("MALLOC_CONF", "stats_print:true")]);
    assert!(ok, "{out}");
    for option in [
        "Begin jemalloc statistics",
        "opt.background_thread: true",
        "opt.dirty_decay_ms: 1000",
        "opt.muzzy_decay_ms: 0",
    ] {
        assert!(out.contains(option), "{option} is not in:\n{out}");
    }
}

#[test]
fn office_user_backup_restore_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.sqlite").display());
    let (ok, out) = yorisoi(&[
        "office",
        "add",
        "--database",
        &db,
        "--name",
        "相談支援事業所 テスト",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("office 1"));
    let (ok, out) = yorisoi(&[
        "user",
        "add",
        "--database",
        &db,
        "--office",
        "1",
        "--login",
        "yamada",
        "--name",
        "山田 和子",
        "--role",
        "admin",
    ]);
    assert!(ok, "{out}");
    let (ok, out) = yorisoi(&[
        "user",
        "add",
        "--database",
        &db,
        "--office",
        "1",
        "--login",
        "yamada",
        "--name",
        "重複",
        "--role",
        "admin",
    ]);
    assert!(!ok && out.contains("既に使われています"), "{out}");
    let (ok, out) = yorisoi(&[
        "user",
        "add",
        "--database",
        &db,
        "--office",
        "9",
        "--login",
        "nobody",
        "--name",
        "x",
        "--role",
        "admin",
    ]);
    assert!(!ok, "an office that does not exist: {out}");
    let backup = dir.path().join("b.sqlite");
    let (ok, out) = yorisoi(&[
        "backup",
        "--database",
        &db,
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(ok && backup.exists(), "{out}");
    let (ok, _) = yorisoi(&[
        "backup",
        "--database",
        &db,
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(!ok, "an existing backup is never overwritten");
    // A change after the backup disappears on restore.
    let (ok, _) = yorisoi(&[
        "user",
        "add",
        "--database",
        &db,
        "--office",
        "1",
        "--login",
        "later",
        "--name",
        "後で追加",
        "--role",
        "specialist",
    ]);
    assert!(ok);
    let (ok, out) = yorisoi(&[
        "restore",
        "--database",
        &db,
        "--from",
        backup.to_str().unwrap(),
    ]);
    assert!(!ok && out.contains("--force"), "{out}");
    let (ok, out) = yorisoi(&[
        "restore",
        "--database",
        &db,
        "--from",
        backup.to_str().unwrap(),
        "--force",
    ]);
    assert!(ok && out.contains("integrity ok: true"), "{out}");
    let (ok, out) = yorisoi(&[
        "user",
        "add",
        "--database",
        &db,
        "--office",
        "1",
        "--login",
        "later",
        "--name",
        "後で追加",
        "--role",
        "specialist",
    ]);
    assert!(ok, "the later user was gone after the restore: {out}");
    let (ok, out) = yorisoi(&[
        "restore",
        "--database",
        &db,
        "--from",
        "/no/such/backup.sqlite",
        "--force",
    ]);
    assert!(!ok && out.contains("does not exist"), "{out}");
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database").unwrap();
    let (ok, _) = yorisoi(&[
        "restore",
        "--database",
        &db,
        "--from",
        junk.to_str().unwrap(),
        "--force",
    ]);
    assert!(!ok, "a broken backup is refused");
    let (ok, out) = yorisoi(&["audit-verify", "--database", &db]);
    assert!(ok && out.contains("chain intact"), "{out}");
}

#[test]
fn a_mistyped_data_dir_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("dta");
    let typo_arg = typo.display().to_string();
    for cmd in [
        vec!["audit-verify", "--data-dir", &typo_arg],
        vec!["backup", "--data-dir", &typo_arg],
        vec!["serve", "--data-dir", &typo_arg, "--listen", "127.0.0.1:0"],
    ] {
        let (ok, out) = yorisoi(&cmd);
        assert!(!ok, "{cmd:?} must fail: {out}");
        assert!(out.contains("データベースが見つかりません"), "{out}");
        assert!(!typo.exists(), "{cmd:?} created {}", typo.display());
    }
    // An explicit file that does not exist is refused the same way.
    let missing = format!("sqlite://{}", dir.path().join("missing.sqlite").display());
    let (ok, out) = yorisoi(&["audit-verify", "--database", &missing]);
    assert!(!ok && out.contains("データベースが見つかりません"), "{out}");
}

/// A tool from the registry (Debian's `age`) that must be there on CI.
fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{name} is required on CI (apt install age)"
    );
    found
}

#[test]
fn encrypted_backups_open_with_the_age_tool_and_restore_only_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.sqlite").display());
    let (ok, out) = yorisoi(&["office", "add", "--database", &db, "--name", "暗号化テスト"]);
    assert!(ok, "{out}");
    let p = |name: &str| dir.path().join(name).display().to_string();
    // A passphrase: too short is refused; the file holds no plaintext.
    let (ok, out) = yorisoi_env(
        &[
            "backup",
            "--database",
            &db,
            "--out",
            &p("short.age"),
            "--passphrase",
        ],
        &[("YORISOI_BACKUP_PASSPHRASE", "short")],
    );
    assert!(!ok && out.contains("12 文字以上"), "{out}");
    let pass = [("YORISOI_BACKUP_PASSPHRASE", "correct horse battery staple")];
    let (ok, out) = yorisoi_env(
        &[
            "backup",
            "--database",
            &db,
            "--out",
            &p("b.sqlite.age"),
            "--passphrase",
        ],
        &pass,
    );
    assert!(ok, "{out}");
    let raw = std::fs::read(p("b.sqlite.age")).unwrap();
    assert!(raw.starts_with(b"age-encryption.org/v1"));
    assert!(!raw.windows(15).any(|w| w == b"SQLite format 3"));
    assert!(!raw.windows(18).any(|w| w == "暗号化テスト".as_bytes()));
    assert!(
        !std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".backup-")),
        "the plain working copy is gone"
    );
    let target = format!("sqlite://{}", p("restored.sqlite"));
    let (ok, out) = yorisoi(&[
        "restore",
        "--database",
        &target,
        "--from",
        &p("b.sqlite.age"),
    ]);
    assert!(!ok && out.contains("is encrypted"), "{out}");
    let (ok, out) = yorisoi_env(
        &[
            "restore",
            "--database",
            &target,
            "--from",
            &p("b.sqlite.age"),
            "--passphrase",
        ],
        &[("YORISOI_BACKUP_PASSPHRASE", "incorrect horse battery")],
    );
    assert!(!ok && out.contains("nothing was changed"), "{out}");
    assert!(!dir.path().join("restored.sqlite").exists());
    let (ok, out) = yorisoi_env(
        &[
            "restore",
            "--database",
            &target,
            "--from",
            &p("b.sqlite.age"),
            "--passphrase",
        ],
        &pass,
    );
    assert!(ok && out.contains("integrity ok: true"), "{out}");
    let (ok, out) = yorisoi(&["office", "list", "--database", &target]);
    assert!(ok && out.contains("暗号化テスト"), "{out}");

    // To a public key: the standard age tool, written by others, decrypts it.
    if !tool("age-keygen") || !tool("age") {
        return;
    }
    let key = p("key.txt");
    let k = Command::new("age-keygen")
        .args(["-o", &key])
        .output()
        .unwrap();
    assert!(k.status.success());
    let public = std::fs::read_to_string(&key)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("# public key: ").map(str::to_string))
        .unwrap();
    let (ok, out) = yorisoi(&[
        "backup",
        "--database",
        &db,
        "--out",
        &p("k.sqlite.age"),
        "--encrypt-to",
        &public,
    ]);
    assert!(ok, "{out}");
    let d = Command::new("age")
        .args([
            "-d",
            "-i",
            &key,
            "-o",
            &p("by-age.sqlite"),
            &p("k.sqlite.age"),
        ])
        .output()
        .unwrap();
    assert!(d.status.success(), "{}", String::from_utf8_lossy(&d.stderr));
    assert!(
        std::fs::read(p("by-age.sqlite"))
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
    let target2 = format!("sqlite://{}", p("restored2.sqlite"));
    let (ok, out) = yorisoi(&[
        "restore",
        "--database",
        &target2,
        "--from",
        &p("k.sqlite.age"),
        "--identity",
        &key,
    ]);
    assert!(ok && out.contains("integrity ok: true"), "{out}");
}

#[test]
fn audit_verify_reports_tampering_it_cannot_be_talked_out_of() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let key = format!("k1 {}", "3c".repeat(32));
    let env = [("YORISOI_AUDIT_KEY", key.as_str())];
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--data-dir", &data]);
        // The data directory's own checkpoints, not the helper's.
        let out = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
            .args(&all)
            .env("YORISOI_PASSWORD", "correct horse battery")
            .env("YORISOI_LOG", "warn")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    assert!(run(&["office", "add", "--name", "改ざんテスト"]).0);
    for login in ["aoki1", "aoki2", "aoki3", "aoki4"] {
        let (ok, out) = run(&[
            "user",
            "add",
            "--office",
            "1",
            "--login",
            login,
            "--name",
            "職員",
            "--role",
            "specialist",
        ]);
        assert!(ok, "{out}");
    }
    let (ok, out) = run(&["audit-checkpoint"]);
    assert!(ok && out.contains("1 checkpoints written"), "{out}");
    let (ok, out) = run(&["audit-verify"]);
    assert!(
        ok && out.contains("4 events, chain intact (keys: k1)"),
        "{out}"
    );
    assert!(
        out.contains("the latest") && out.contains("at event 4"),
        "{out}"
    );
    // With the database file alone: drop the guard, delete the newest two, move the head back.
    let db = dir.path().join("yorisoi.sqlite");
    let sql = |q: &str| {
        let o = Command::new("sqlite3").arg(&db).arg(q).output().unwrap();
        assert!(
            o.status.success(),
            "{q}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    sql(
        "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq > 2; UPDATE audit_heads SET seq = 2, last_hash = (SELECT hash FROM audit_events WHERE seq = 2);",
    );
    let (ok, out) = run(&["audit-verify"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("記録が減っています") && out.contains("4 件あった記録が 2 件"),
        "{out}"
    );
    // Without the key it does not answer at all.
    let out = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
        .args(["audit-verify", "--data-dir", &data])
        .env("YORISOI_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("鍵ファイルが見つかりません"));
    // Rewriting an event and recomputing with the published scheme breaks the keyed chain.
    sql("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET user_id = 99 WHERE seq = 1;");
    let (ok, out) = run(&["audit-verify"]);
    assert!(!ok && out.contains("chain BROKEN at event 1"), "{out}");
}

#[test]
fn user_add_refuses_a_common_password_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.sqlite").display());
    let (ok, out) = yorisoi(&["office", "add", "--database", &db, "--name", "ひだまり"]);
    assert!(ok, "{out}");
    for weak in ["password12", "ひだまり-sora-kujira-9"] {
        let out = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
            .args([
                "user",
                "add",
                "--database",
                &db,
                "--office",
                "1",
                "--login",
                "kato",
                "--name",
                "加藤",
                "--role",
                "admin",
            ])
            .env("YORISOI_PASSWORD", weak)
            .env("YORISOI_LOG", "warn")
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{weak}: {text}");
        assert!(
            text.contains("よく使われている") || text.contains("事業所の名前"),
            "{weak}: {text}"
        );
    }
}

#[test]
fn import_prints_every_problem_saves_nothing_then_imports_the_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.sqlite").display());
    assert!(yorisoi(&["office", "add", "--database", &db, "--name", "テスト"]).0);
    let user = |login: &str, role: &str| {
        let args = [
            "user",
            "add",
            "--database",
            &db,
            "--office",
            "1",
            "--login",
            login,
            "--name",
            "事務 一郎",
            "--role",
            role,
        ];
        assert!(yorisoi(&args).0);
    };
    user("jimu", "clerk");
    user("sato", "specialist");
    let file = dir.path().join("台帳.csv");
    let import = |login: &str, extra: &[&str]| {
        let f = file.display().to_string();
        let mut args = vec![
            "import",
            "--database",
            &db,
            "--office",
            "1",
            "--login",
            login,
        ];
        args.extend_from_slice(extra);
        args.push(&f);
        yorisoi(&args)
    };
    let head = "氏名,ふりがな,生年月日,性別\n";
    std::fs::write(
        &file,
        format!("{head}森 陽介,もり ようすけ,S50.1.1,男\n森,もり,きのう,男\n"),
    )
    .unwrap();
    let (ok, out) = import("jimu", &[]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("3行目「氏名」: 氏と名の間に空白を入れてください"),
        "{out}"
    );
    assert!(
        out.contains("3行目「生年月日」: 日付として読めません"),
        "{out}"
    );
    assert!(out.contains("何も保存していません"), "{out}");
    std::fs::write(
        &file,
        format!("{head}森 陽介,もり ようすけ,S50.1.1,男\n林 花,はやし はな,1990/1/1,女\n"),
    )
    .unwrap();
    let (ok, out) = import("jimu", &["--dry-run"]);
    assert!(
        ok && out.contains("確認のみ（保存していません）: 新規 2人"),
        "{out}"
    );
    let (ok, out) = import("jimu", &[]);
    assert!(ok && out.contains("取り込みました: 新規 2人"), "{out}");
    // The dry run saved nothing: the same file now only finds duplicates.
    let (ok, out) = import("jimu", &[]);
    assert!(
        ok && out.contains("新規 0人、更新 0人、読み飛ばし 2人"),
        "{out}"
    );
    // A specialist may not import, nor may an unknown login.
    let (ok, out) = import("sato", &[]);
    assert!(!ok && out.contains("取り込めません"), "{out}");
    assert!(!import("nobody", &[]).0);
}
