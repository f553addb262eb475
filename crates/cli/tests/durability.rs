//! kill -9 the server while several clients write; after restart every acknowledged write is
//! there, SQLite's integrity check passes and the audit chain holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

fn start(db: &str, data_dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yorisoi"))
        .args(["serve", "--database", db, "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(data_dir)
        .env("YORISOI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("d.sqlite").display());
    let (client_id, admin, office) = {
        let store = Store::connect(&db).await.unwrap();
        store.migrate().await.unwrap();
        let office = offices::create(&store, "耐久テスト").await.unwrap();
        let uid = users::create_from_cli(
            &store,
            office,
            &NewUser {
                login: "admin".into(),
                display_name: "管理".into(),
                role: "admin".into(),
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        let admin = Actor {
            user_id: uid,
            office_id: office,
            role: Role::Admin,
        };
        let mut tx = store.begin(admin).await.unwrap();
        let input = ClientInput {
            family_name: "青木".into(),
            given_name: "明子".into(),
            family_name_kana: "あおき".into(),
            given_name_kana: "あきこ".into(),
            birth_date: "1981-03-02".into(),
            sex: "female".into(),
            ..Default::default()
        };
        let cid = clients::create(&mut tx, &input.validate(today_jst()).unwrap(), None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        store.close().await.unwrap();
        (cid, admin, office)
    };
    let token = {
        let store = Store::connect(&db).await.unwrap();
        let mut tx = store.begin(admin).await.unwrap();
        let (_, t) = api_tokens::issue(
            &mut tx,
            admin.user_id,
            "durability",
            api_tokens::TokenScope::Write,
            1,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        store.close().await.unwrap();
        t
    };
    let (mut child, url) = start(&db, dir.path());
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..6 {
        let (url, token, acked, stop) = (url.clone(), token.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let started = Instant::now();
            let mut n = 0;
            // Bounded: stops on the signal, after 2,000 writes, or after 20 s.
            while !stop.load(std::sync::atomic::Ordering::SeqCst)
                && n < 2000
                && started.elapsed() < Duration::from_secs(20)
            {
                n += 1;
                let body =
                    serde_json::json!({ "kind": "phone", "content": format!("書き込み {w}-{n}") });
                match http
                    .post(format!("{url}/api/v1/clients/{client_id}/notes"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        let v: serde_json::Value = r.json().await.unwrap();
                        acked.lock().unwrap().push(v["id"].as_i64().unwrap());
                    }
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    // Let writes pile up, then kill the server without warning.
    let t0 = Instant::now();
    while acked.lock().unwrap().len() < 150 && t0.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 100,
        "enough writes were acknowledged before the kill: {}",
        acked.len()
    );

    // Restart the server, as an office would, and check through the application.
    let (mut child, url) = start(&db, dir.path());
    let http = reqwest::Client::new();
    let v: serde_json::Value = http
        .get(format!("{url}/api/v1/clients/{client_id}/notes?limit=200"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["items"].as_array().unwrap().len() >= 100.min(acked.len()));
    child.kill().unwrap();
    child.wait().unwrap();

    let store = Store::connect(&db).await.unwrap();
    assert!(
        store.integrity_ok().await.unwrap(),
        "PRAGMA integrity_check"
    );
    // The server chained its events with the key it made in the data directory; the events
    // the test wrote before, without a key, verify as the plain chain before it.
    let (keys, created) =
        audit_key::Keyring::load_or_create(&dir.path().join("audit.key")).unwrap();
    assert!(!created, "the server made its key file");
    store.set_audit_keyring(keys);
    store.set_checkpoint_dir(dir.path().join("audit-checkpoints"));
    let mut tx = store.begin(admin).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::CaseNote, Action::Read)
        .await
        .unwrap();
    let mut present = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let (page, more) = notes::list(&mut tx, &acc, "", 200, offset).await.unwrap();
        present.extend(page.iter().map(|n| n.id));
        if !more {
            break;
        }
        offset += 200;
    }
    tx.rollback().await.unwrap();
    let missing: Vec<_> = acked.iter().filter(|id| !present.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged notes lost: {missing:?}",
        missing.len()
    );
    assert!(
        audit::verify(&store, office).await.unwrap().intact(),
        "the audit chain holds after the crash"
    );
}
