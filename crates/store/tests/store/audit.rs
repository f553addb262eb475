//! The audit chain, and reads audited before they return under concurrency.

use crate::common::*;
use sea_orm::ConnectionTrait;
use yorisoi_domain::client::BookInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

/// The office's event count, asserting that its log verifies.
async fn verified(store: &Store, office_id: i64) -> u64 {
    let v = audit::verify(store, office_id).await.unwrap();
    assert!(v.intact(), "{v:?}");
    v.events
}

store_test!(
    audit_is_chained_and_append_only,
    |store: Store| async move {
        let o = office(&store, "よりそい", "h").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Ledger, Action::Read)
            .await
            .unwrap();
        clients::get(&mut tx, &acc).await.unwrap();
        tx.commit().await.unwrap();
        // A unit of work that is rolled back leaves no audit event and no data.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Ledger, Action::Write)
            .await
            .unwrap();
        clients::add_book(
            &mut tx,
            &acc,
            &BookInput {
                kind: "mental".into(),
                grade: "2".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, total) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                client_id: Some(id),
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(total, 2, "create + read: {events:?}");
        assert_eq!(events[0].action, "read");
        assert_eq!(events[0].user_id, Some(o.spec.user_id));
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(
            audit::list(&mut tx, &audit::AuditFilter::default())
                .await
                .is_err(),
            "only admins read the log"
        );
        tx.rollback().await.unwrap();
        let n = verified(&store, o.admin.office_id).await;
        assert!(n >= 6, "{n}");
        // The database refuses edits and deletions of the log.
        assert!(
            store
                .conn()
                .execute_unprepared("UPDATE audit_events SET detail = 'x'")
                .await
                .is_err()
        );
        assert!(
            store
                .conn()
                .execute_unprepared("DELETE FROM audit_events")
                .await
                .is_err()
        );
    }
);

/// One client page view: the ledger and the certificates, two events.
async fn view_client(store: Store, spec: yorisoi_domain::policy::Actor, id: i64) -> String {
    let mut tx = store.read(spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await
        .unwrap();
    let c = clients::get(&mut tx, &acc).await.unwrap();
    // A second event in the same read (the client page also lists certificates).
    let cert = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await
        .unwrap();
    certificates::list(&mut tx, &cert).await.unwrap();
    tx.commit().await.unwrap();
    c.record.family_name
}

store_test!(
    reads_side_by_side_are_audited_before_they_return,
    |store: Store| async move {
        // Eight offices, each with a client and a count of its events so far.
        let mut offices = Vec::new();
        for i in 0..8 {
            let o = office(&store, &format!("事業所{i}"), &format!("h{i}")).await;
            let id = add_client(&store, o.spec, a_san()).await;
            offices.push((o, id));
        }
        // What one write (a client added) appends, measured once.
        let before = verified(&store, offices[0].0.admin.office_id).await;
        add_client(&store, offices[0].0.spec, a_san()).await;
        let per_write = verified(&store, offices[0].0.admin.office_id).await - before;
        assert!(per_write >= 1);
        let mut counts = Vec::new();
        for (o, _) in &offices {
            counts.push(verified(&store, o.admin.office_id).await);
        }
        // Six readers and two writers per office at once, interleaved, so batches hold several
        // offices' reads and the writes move heads between them: each read's events are in its
        // office's chain when its commit returns.
        let mut reads = Vec::new();
        let mut writes = Vec::new();
        for round in 0..8 {
            for (o, id) in &offices {
                let store = store.clone();
                if round % 4 == 1 {
                    let spec = o.spec;
                    writes.push(tokio::spawn(async move {
                        add_client(&store, spec, a_san()).await
                    }));
                } else {
                    reads.push(tokio::spawn(view_client(store, o.spec, *id)));
                }
            }
        }
        for t in reads {
            assert_eq!(t.await.unwrap(), "青木");
        }
        for t in writes {
            t.await.unwrap();
        }
        for ((o, _), before) in offices.iter().zip(counts) {
            assert_eq!(
                verified(&store, o.admin.office_id).await,
                before + 6 * 2 + 2 * per_write,
                "office {}: two events per read, the writes', chain intact",
                o.admin.office_id
            );
        }
        let (o, id) = (&offices[0].0, offices[0].1);
        // A read remembers the client's row, but asks the policy for every kind: the clerk may
        // read the ledger and still not the case notes of the same client.
        let mut tx = store.read(o.clerk).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_ok()
        );
        assert!(matches!(
            tx.client_access(id, RecordKind::CaseNote, Action::Read)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            tx.client_access(id, RecordKind::Assessment, Action::Read)
                .await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
        // A read-only unit of work still refuses what the policy refuses.
        let mut tx = store.read(o.spec2).await.unwrap();
        assert!(matches!(
            tx.client_access(id, RecordKind::Ledger, Action::Read).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
    }
);

// ---- Tampering by someone who holds the database login but not the key or the checkpoints.

/// Lifts the database's own guard on the log, as the owner of the tables could.
async fn unprotect(store: &Store) {
    let sqls: &[&str] = if store.is_sqlite() {
        &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ]
    } else {
        &[
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "ALTER TABLE audit_heads DISABLE TRIGGER USER",
        ]
    };
    for sql in sqls {
        store.conn().execute_unprepared(sql).await.unwrap();
    }
}

fn sql(store: &Store, text: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        if c == '?' && !store.is_sqlite() {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    sea_orm::Statement::from_sql_and_values(store.backend(), out, values)
}

/// The published scheme without the key: SHA-256 over the same fields.
fn plain_hash(prev: &str, e: &entities::audit_event::Model) -> String {
    use sha2::{Digest, Sha256};
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        prev.to_string(),
        e.office_id.to_string(),
        e.seq.to_string(),
        e.at.timestamp_micros().to_string(),
        opt(e.user_id),
        e.action.clone(),
        e.record_kind.clone(),
        opt(e.record_id),
        opt(e.client_id),
        e.outcome.clone(),
        e.detail.clone(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Changes who did event `seq` and recomputes the hashes from event `from` on, and the head;
/// `key_id` is what the forger writes in each event they recompute (they cannot compute the
/// keyed hash either way).
async fn rewrite(store: &Store, office_id: i64, seq: i64, from: i64, key_id: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let events = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::OfficeId.eq(office_id))
        .order_by_asc(entities::audit_event::Column::Seq)
        .all(store.conn())
        .await
        .unwrap();
    let mut prev = audit::GENESIS.to_string();
    for mut e in events {
        if e.seq < from {
            prev = e.hash;
            continue;
        }
        if e.seq == seq {
            e.user_id = Some(999_999);
        }
        e.key_id = key_id.to_string();
        let h = plain_hash(&prev, &e);
        store
            .conn()
            .execute_raw(sql(
                store,
                "UPDATE audit_events SET user_id = ?, key_id = ?, prev_hash = ?, hash = ? WHERE id = ?",
                vec![
                    e.user_id.into(),
                    e.key_id.clone().into(),
                    prev.clone().into(),
                    h.clone().into(),
                    e.id.into(),
                ],
            ))
            .await
            .unwrap();
        prev = h;
    }
    store
        .conn()
        .execute_raw(sql(
            store,
            "UPDATE audit_heads SET last_hash = ? WHERE office_id = ?",
            vec![prev.into(), office_id.into()],
        ))
        .await
        .unwrap();
}

/// An office with a few events, a signed checkpoint of all of them, in `dir`.
async fn checkpointed_office(store: &Store, dir: &std::path::Path) -> (Office, u64) {
    store.set_checkpoint_dir(dir.to_path_buf());
    let o = office(store, "よりそい", "t").await;
    for _ in 0..3 {
        add_client(store, o.spec, a_san()).await;
    }
    let n = verified(store, o.admin.office_id).await;
    assert!(n >= 6, "{n}");
    assert!(audit::checkpoint(store).await.unwrap() >= 1);
    assert_eq!(
        audit::checkpoint(store).await.unwrap(),
        0,
        "nothing new, no new checkpoint"
    );
    let v = audit::verify(store, o.admin.office_id).await.unwrap();
    assert!(v.intact() && v.checkpoints >= 1, "{v:?}");
    assert_eq!(v.last_checkpoint.as_ref().unwrap().seq, n as i64);
    (o, n)
}

store_test!(
    a_rewritten_event_is_found_even_with_every_hash_recomputed,
    |store: Store| async move {
        let dir = tempfile::tempdir().unwrap();
        let (o, _) = checkpointed_office(&store, dir.path()).await;
        let office_id = o.admin.office_id;
        unprotect(&store).await;
        // Keeping the key id: the forged hash is not the keyed one from event 3 on.
        rewrite(&store, office_id, 3, 3, "test").await;
        let v = audit::verify(&store, office_id).await.unwrap();
        let (seq, why) = v.broken.clone().expect("found");
        assert_eq!(seq, 3, "{v:?}");
        assert!(why.contains("書き換え"), "{why}");
        // Passing the whole log off as written before the key: the chain holds, but not the
        // signed checkpoint of it.
        rewrite(&store, office_id, 3, 1, "").await;
        let v = audit::verify(&store, office_id).await.unwrap();
        assert!(v.broken.is_none(), "{v:?}");
        assert!(!v.intact());
        assert!(
            v.problems.iter().any(|p| p.contains("一致しません")),
            "{v:?}"
        );
    }
);

store_test!(
    a_log_cut_short_is_found_by_its_checkpoint,
    |store: Store| async move {
        let dir = tempfile::tempdir().unwrap();
        let (o, n) = checkpointed_office(&store, dir.path()).await;
        let office_id = o.admin.office_id;
        unprotect(&store).await;
        // Delete the newest three events and move the head back onto the one before them:
        // what is left is a sound keyed chain.
        let keep = n as i64 - 3;
        store
            .conn()
            .execute_raw(sql(
                &store,
                "DELETE FROM audit_events WHERE office_id = ? AND seq > ?",
                vec![office_id.into(), keep.into()],
            ))
            .await
            .unwrap();
        store
            .conn()
            .execute_raw(sql(
                &store,
                "UPDATE audit_heads SET seq = ?, last_hash = (SELECT hash FROM audit_events WHERE office_id = ? AND seq = ?) WHERE office_id = ?",
                vec![keep.into(), office_id.into(), keep.into(), office_id.into()],
            ))
            .await
            .unwrap();
        let v = audit::verify(&store, office_id).await.unwrap();
        assert!(v.broken.is_none(), "the chain itself holds: {v:?}");
        assert_eq!(v.events, keep as u64);
        assert!(
            v.problems
                .iter()
                .any(|p| p.contains("記録が減っています") && p.contains(&format!("{n} 件"))),
            "{v:?}"
        );
        // Without the checkpoints, the same log would pass: they are what catches this.
        store.set_checkpoint_dir(dir.path().join("elsewhere"));
        assert!(audit::verify(&store, office_id).await.unwrap().intact());
    }
);

store_test!(
    an_emptied_log_is_refused_or_found,
    |store: Store| async move {
        let dir = tempfile::tempdir().unwrap();
        let (o, n) = checkpointed_office(&store, dir.path()).await;
        let office_id = o.admin.office_id;
        if !store.is_sqlite() {
            // Row triggers do not see TRUNCATE; the statement trigger refuses it.
            for t in ["audit_events", "audit_heads"] {
                let r = store
                    .conn()
                    .execute_unprepared(&format!("TRUNCATE {t}"))
                    .await;
                assert!(r.is_err(), "TRUNCATE {t} must be refused");
            }
        }
        unprotect(&store).await;
        store
            .conn()
            .execute_unprepared("DELETE FROM audit_events")
            .await
            .unwrap();
        store
            .conn()
            .execute_raw(sql(
                &store,
                "UPDATE audit_heads SET seq = 0, last_hash = ? WHERE office_id = ?",
                vec![audit::GENESIS.into(), office_id.into()],
            ))
            .await
            .unwrap();
        let v = audit::verify(&store, office_id).await.unwrap();
        assert_eq!(v.events, 0);
        assert!(
            v.problems
                .iter()
                .any(|p| p.contains(&format!("{n} 件あった記録が 0 件"))),
            "{v:?}"
        );
        // An edited checkpoint file is a finding of its own.
        let file = audit_key::checkpoint_file(dir.path(), office_id);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("\"seq\":", "\"seq\":1")).unwrap();
        let v = audit::verify(&store, office_id).await.unwrap();
        assert!(
            v.problems.iter().any(|p| p.contains("署名が合いません")),
            "{v:?}"
        );
    }
);

store_test!(
    events_before_the_key_verify_and_a_wrong_key_does_not,
    |store: Store| async move {
        // As in a database from before the key: events written without one.
        store.set_audit_keyring(audit_key::Keyring::default());
        let o = office(&store, "よりそい", "k").await;
        add_client(&store, o.spec, a_san()).await;
        store.set_audit_keyring(audit_key::Keyring::for_tests());
        add_client(&store, o.spec, a_san()).await;
        let v = audit::verify(&store, o.admin.office_id).await.unwrap();
        assert!(v.intact(), "{v:?}");
        assert!(v.unkeyed >= 2, "{v:?}");
        assert_eq!(v.key_ids, vec!["test".to_string()]);
        // Another secret under the same id: the keyed events do not verify.
        store.set_audit_keyring(
            audit_key::Keyring::parse(&format!("test {}", "11".repeat(32))).unwrap(),
        );
        let v = audit::verify(&store, o.admin.office_id).await.unwrap();
        assert_eq!(
            v.broken.as_ref().map(|b| b.0),
            Some(v.unkeyed as i64 + 1),
            "{v:?}"
        );
        // Without the key at all, the log says which key it needs.
        store.set_audit_keyring(audit_key::Keyring::default());
        let v = audit::verify(&store, o.admin.office_id).await.unwrap();
        assert!(v.broken.unwrap().1.contains("鍵 test"));
    }
);

store_test!(
    refused_accesses_are_in_the_log_with_what_was_asked,
    |store: Store| async move {
        let o = office(&store, "よりそい", "r").await;
        let o2 = office(&store, "となり", "r2").await;
        let own = add_client(&store, o.spec, a_san()).await;
        let theirs = add_client(&store, o2.spec, a_san()).await;
        for (actor, id, kind) in [
            (o.spec, theirs, RecordKind::Ledger),
            (o.clerk, own, RecordKind::CaseNote),
            (o.spec, 987_654, RecordKind::Ledger),
        ] {
            let mut tx = store.read(actor).await.unwrap();
            assert!(matches!(
                tx.client_access(id, kind, Action::Read).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let tx = store.read(o.spec).await.unwrap();
        assert!(
            tx.office_access(RecordKind::AuditLog, Action::Read)
                .is_err()
        );
        tx.rollback().await.unwrap();
        // The refusals are queued without holding the answer up; wait for their commit.
        let mut refused = Vec::new();
        for _ in 0..100 {
            let mut tx = store.read(o.admin).await.unwrap();
            let (events, _) = audit::list(
                &mut tx,
                &audit::AuditFilter {
                    per_page: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            refused = events
                .into_iter()
                .filter(|e| e.outcome == "refused")
                .collect::<Vec<_>>();
            if refused.len() >= 4 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(refused.len(), 4, "{refused:?}");
        let other = refused
            .iter()
            .find(|e| e.detail.contains(&format!("client={theirs}")))
            .expect("the other office's client asked for");
        assert_eq!(
            other.client_id, None,
            "never linked to another office's client"
        );
        assert!(other.detail.contains("他の事業所"));
        assert_eq!(other.user_id, Some(o.spec.user_id));
        let note = refused
            .iter()
            .find(|e| e.record_kind == RecordKind::CaseNote.code())
            .expect("the clerk's refused case notes");
        assert_eq!(note.client_id, Some(own));
        assert_eq!(note.action, "refused_read");
        assert!(refused.iter().any(|e| e.detail.contains("存在しない")));
        assert!(
            refused
                .iter()
                .any(|e| e.record_kind == RecordKind::AuditLog.code())
        );
        // The other office's log holds none of this.
        let v = audit::verify(&store, o2.admin.office_id).await.unwrap();
        assert!(v.intact());
        verified(&store, o.admin.office_id).await;
    }
);

/// On PostgreSQL the server runs as a role that owns nothing: it works as usual, and cannot
/// change, remove, empty or unguard the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_server_role_can_append_and_cannot_rewrite() {
    let Some((owner, name)) = testing::fresh_postgres().await.unwrap() else {
        return;
    };
    let role = format!("{name}_app");
    owner
        .conn()
        .execute_unprepared(&format!("CREATE ROLE {role} LOGIN"))
        .await
        .unwrap();
    assert!(owner.grant_app_role("no_such_role").await.is_err());
    owner.grant_app_role(&role).await.unwrap();
    assert!(owner.owns_audit_log().await.unwrap());
    // The same server, host and database, signed in as the app role.
    let admin_url = testing::postgres_admin_url();
    let host = admin_url
        .split_once('@')
        .map(|(_, h)| h)
        .unwrap()
        .rsplit_once('/')
        .unwrap()
        .0;
    let app = Store::connect(&format!("postgres://{role}@{host}/{name}"))
        .await
        .unwrap();
    app.set_audit_keyring(audit_key::Keyring::for_tests());
    assert!(!app.owns_audit_log().await.unwrap());
    assert!(app.pending_migrations().await.unwrap().is_empty());
    // Everyday work: an office, staff, a client written and read, all audited.
    let o = office(&app, "よりそい", "p").await;
    let id = add_client(&app, o.spec, a_san()).await;
    let mut tx = app.read(o.spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await
        .unwrap();
    clients::get(&mut tx, &acc).await.unwrap();
    tx.commit().await.unwrap();
    let n = verified(&app, o.admin.office_id).await;
    assert!(n >= 4, "{n}");
    for sql in [
        "UPDATE audit_events SET detail = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "TRUNCATE audit_heads",
        "DELETE FROM audit_heads",
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "DROP TABLE audit_events",
        "DELETE FROM seaql_migrations",
    ] {
        let r = app.conn().execute_unprepared(sql).await;
        assert!(r.is_err(), "the app role must not: {sql}");
    }
    assert_eq!(verified(&app, o.admin.office_id).await, n);
    app.close().await.unwrap();
    owner.close().await.unwrap();
    testing::drop_postgres(&name).await.unwrap();
    let admin = sea_orm::Database::connect(admin_url.as_str())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP ROLE {role}"))
        .await
        .unwrap();
}

store_test!(
    a_list_view_names_the_clients_it_showed,
    |store: Store| async move {
        let o = office(&store, "よりそい", "l").await;
        let a = add_client(&store, o.spec, a_san()).await;
        let b = add_client(&store, o.spec, a_san()).await;
        let mut tx = store.read(o.spec).await.unwrap();
        let (rows, _) = clients::list(
            &mut tx,
            &clients::ClientFilter {
                q: String::new(),
                status: None,
                staff: clients::StaffFilter::Any,
                cert_within_days: None,
                today: today_jst(),
                sort: clients::ClientSort::Kana,
                page: 0,
                per_page: 50,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rows.len(), 2);
        for id in [a, b] {
            let mut tx = store.read(o.admin).await.unwrap();
            let (events, _) = audit::list(
                &mut tx,
                &audit::AuditFilter {
                    client_id: Some(id),
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert!(
                events
                    .iter()
                    .any(|e| e.action == "list" && e.user_id == Some(o.spec.user_id)),
                "the list that showed client {id}: {events:?}"
            );
        }
    }
);
