//! Someone else's FHIR validator over our bundles: `validate.py` beside this file, which runs
//! the R4B models of `fhir.resources` (PyPI; `.ci/run` installs the pinned version). Shared by
//! the HTTP tests and the demo's test in the CLI crate (`#[path]`).
//!
//! Without python3 or `fhir.resources` the check is reported and skipped, except on CI (`CI`
//! set), where it fails.

use serde_json::{Map, Value};
use std::io::Write;
use std::process::{Command, Stdio};

/// Validates each named bundle; panics on any error the validator reports. Returns the
/// validator's lines (one per bundle, with its counts), or `None` when it could not run
/// outside CI.
pub fn validate(bundles: &Map<String, Value>) -> Option<Vec<String>> {
    // `YORISOI_FHIR_DUMP=dir` keeps each bundle as `dir/<name>.json`, to read or to give to
    // another validator by hand.
    if let Some(dir) = std::env::var_os("YORISOI_FHIR_DUMP") {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, b) in bundles {
            let file = name.replace([':', '/'], "_");
            let path = std::path::Path::new(&dir).join(format!("{file}.json"));
            std::fs::write(path, serde_json::to_vec_pretty(b).unwrap()).unwrap();
        }
    }
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/tests/fhir/validate.py");
    let python = std::env::var("YORISOI_PYTHON").unwrap_or_else(|_| "python3".into());
    let unavailable = |why: String| {
        if std::env::var_os("CI").is_some() {
            panic!("the FHIR validator must run on CI: {why} (pip install fhir.resources==8.3.0)");
        }
        eprintln!("SKIP FHIR validation: {why}");
        None
    };
    let mut child = match Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return unavailable(format!("{python}: {e}")),
    };
    let input = serde_json::to_vec(bundles).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => {}
        Some(3) => return unavailable(stdout.trim().to_string()),
        _ => panic!("the FHIR validator refused a bundle:\n{stdout}\n{stderr}"),
    }
    let lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    let ok = lines.iter().filter(|l| l.starts_with("OK ")).count();
    assert_eq!(ok, bundles.len(), "one OK per bundle:\n{stdout}");
    Some(lines)
}
