//! The audit chain, and reads audited before they return under concurrency.

use crate::common::*;
use yorisoi_domain::client::BookInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

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
        let n = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        assert!(n >= 6, "{n}");
        // The database refuses edits and deletions of the log.
        use sea_orm::ConnectionTrait;
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

store_test!(
    reads_side_by_side_are_audited_before_they_return,
    |store: Store| async move {
        let o = office(&store, "よりそい", "h").await;
        let o2 = office(&store, "となり", "h2").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let id2 = add_client(&store, o2.spec, a_san()).await;
        let before = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        let before2 = audit::verify(&store, o2.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        // Thirty readers at once in two offices, so one batch holds both offices' events: each
        // one's events are in its office's chain when its commit returns.
        let mut tasks = Vec::new();
        for i in 0..30 {
            let store = store.clone();
            let (spec, id) = if i % 3 == 0 {
                (o2.spec, id2)
            } else {
                (o.spec, id)
            };
            tasks.push(tokio::spawn(async move {
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
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "青木");
        }
        let after = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        let after2 = audit::verify(&store, o2.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after, before + 40, "two events per read, chain intact");
        assert_eq!(after2, before2 + 20, "the other office's chain, intact");
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
