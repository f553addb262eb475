//! The command line: office and user administration, backup, restore, audit verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn yorisoi(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
        .args(args)
        .env("YORISOI_PASSWORD", "correct horse battery")
        .env("YORISOI_LOG", "warn")
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
