//! What the tests that run the real `yorisoi demo` share: the demo on port 0, its password,
//! and the processes to stop when a test ends.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const PASSWORD: &str = "e2e-demo-password";

/// Child processes killed when the test ends, however it ends.
pub struct Guard(pub Vec<Child>);
impl Drop for Guard {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `yorisoi demo` in `dir` and returns its base URL. Its log (warnings and errors) goes
/// to `log` when given.
pub fn demo_logged(guard: &mut Guard, dir: &Path, log: Option<&Path>) -> String {
    demo_printed(guard, dir, log).0
}

/// Starts `yorisoi demo` in `dir`; returns its base URL and what it printed before listening
/// (the accounts, and the `otpauth://` URI of the account with a second factor).
pub fn demo_printed(guard: &mut Guard, dir: &Path, log: Option<&Path>) -> (String, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yorisoi"));
    cmd.args([
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--demo-password",
        PASSWORD,
        "--data-dir",
    ])
    .arg(dir)
    .env("YORISOI_LOG", "warn")
    .stdout(Stdio::piped());
    if let Some(log) = log {
        cmd.stderr(std::fs::File::create(log).unwrap());
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    guard.0.push(child);
    let mut line = String::new();
    let mut printed = Vec::new();
    loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "demo exited before listening"
        );
        if let Some(url) = line.trim().strip_prefix("listening on ") {
            return (url.to_string(), printed);
        }
        printed.push(line.trim().to_string());
    }
}

pub fn demo(guard: &mut Guard, dir: &Path) -> String {
    demo_logged(guard, dir, None)
}
