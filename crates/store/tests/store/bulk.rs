//! The `*_many` writes of a bulk load (bench-seed, imports): the same checks, the same audit
//! events and the ids in the order given, across the chunks of their multi-row INSERTs.

use crate::common::*;
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

fn nth_client(i: usize) -> ClientInput {
    ClientInput {
        given_name: format!("明子{i}"),
        ..a_san()
    }
}

fn cert(until: &str) -> yorisoi_domain::certificate::CertificateRecord {
    CertificateInput {
        number: "0123456789".into(),
        municipality: "N市".into(),
        issued_on: "2026-04-20".into(),
        decision_from: "2026-05-01".into(),
        decision_until: until.into(),
        services: "就労継続支援B型：22日/月".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn events(store: &Store, office_id: i64) -> u64 {
    let v = audit::verify(store, office_id).await.unwrap();
    assert!(v.intact(), "{v:?}");
    v.events
}

store_test!(
    bulk_writes_keep_order_checks_and_audit,
    |store: Store| async move {
        let o = office(&store, "よりそい", "b").await;
        let other = office(&store, "となり", "c").await;
        let before = events(&store, o.admin.office_id).await;

        // 700 clients: two INSERTs (500 + 200), alternately assigned.
        let records: Vec<_> = (0..700)
            .map(|i| nth_client(i).validate(today()).unwrap())
            .collect();
        let items: Vec<_> = records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let who = if i % 2 == 0 { o.spec } else { o.spec2 };
                (r, Some(who.user_id))
            })
            .collect();
        let mut tx = store.begin(o.admin).await.unwrap();
        let ids = clients::create_many(&mut tx, &items).await.unwrap();
        assert_eq!(ids.len(), 700);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending: {ids:?}");
        for i in [0, 1, 499, 500, 699] {
            let acc = tx
                .client_access(ids[i], RecordKind::Ledger, Action::Read)
                .await
                .unwrap();
            let c = clients::get(&mut tx, &acc).await.unwrap();
            assert_eq!(c.record.given_name, format!("明子{i}"), "id of entry {i}");
            let who = if i % 2 == 0 { o.spec } else { o.spec2 };
            assert_eq!(c.assigned_user_id, Some(who.user_id));
        }

        // Certificates: the first client twice (v1 then v2), the second once.
        let accs = tx
            .client_access_many(&ids[..2], RecordKind::Certificate, Action::Write)
            .await
            .unwrap();
        let (c1, c2, c3) = (cert("2027-04-30"), cert("2026-12-31"), cert("2027-01-31"));
        let added = certificates::add_many(
            &mut tx,
            &[(&accs[0], &c1), (&accs[1], &c3), (&accs[0], &c2)],
        )
        .await
        .unwrap();
        assert_eq!(
            added.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
            vec![1, 1, 2]
        );
        // A later single add numbers after them.
        let (_, v3) = certificates::add(&mut tx, &accs[1], &c1).await.unwrap();
        assert_eq!(v3, 2);

        // 1,200 notes over the first 600 clients: two INSERTs (1,000 + 200).
        let naccs = tx
            .client_access_many(&ids[..600], RecordKind::CaseNote, Action::Write)
            .await
            .unwrap();
        let now = now_jst();
        let notes_in: Vec<_> = (0..1200)
            .map(|n| {
                NoteInput {
                    date: "2026-11-20".into(),
                    kind: "visit".into(),
                    counterpart: "本人".into(),
                    content: format!("訪問{n}"),
                    minutes: "30".into(),
                    ..Default::default()
                }
                .validate(now)
                .unwrap()
            })
            .collect();
        let items: Vec<_> = notes_in
            .iter()
            .enumerate()
            .map(|(n, r)| (&naccs[n % 600], r))
            .collect();
        let note_ids = notes::add_many(&mut tx, &items).await.unwrap();
        assert_eq!(note_ids.len(), 1200);
        for n in [0, 999, 1000, 1199] {
            let acc = tx
                .client_access(ids[n % 600], RecordKind::CaseNote, Action::Read)
                .await
                .unwrap();
            let got = notes::get(&mut tx, &acc, note_ids[n]).await.unwrap();
            assert_eq!(got.record.content, format!("訪問{n}"), "id of note {n}");
        }
        tx.commit().await.unwrap();

        // The ledger follows each client's newest certificate.
        let mut tx = store.read(o.admin).await.unwrap();
        for (i, until) in [(0, "2026-12-31"), (1, "2027-04-30")] {
            let acc = tx
                .client_access(ids[i], RecordKind::Ledger, Action::Read)
                .await
                .unwrap();
            let c = clients::get(&mut tx, &acc).await.unwrap();
            assert_eq!(c.cert_until.unwrap().to_string(), until);
        }
        tx.commit().await.unwrap();
        // One event per record written, chained, besides the 5 + 1,200 … reads above.
        let written = 700 + 4 + 1200;
        let reads = 5 + 4 + 2;
        assert_eq!(
            events(&store, o.admin.office_id).await - before,
            written + reads
        );

        // The same refusals as one by one: a specialist for a colleague's client, another office for
        // any, a clerk asked to take clients.
        let mut tx = store.read(o.spec).await.unwrap();
        assert!(
            tx.client_access_many(&ids[..2], RecordKind::CaseNote, Action::Read)
                .await
                .is_err(),
            "the second client is spec2's"
        );
        assert_eq!(
            tx.client_access_many(&[ids[0], ids[2]], RecordKind::CaseNote, Action::Read)
                .await
                .unwrap()
                .len(),
            2
        );
        tx.rollback().await.unwrap();
        let mut tx = store.read(other.admin).await.unwrap();
        assert!(
            tx.client_access_many(&[ids[0]], RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let r = nth_client(1).validate(today()).unwrap();
        let refused = clients::create_many(
            &mut tx,
            &[(&r, Some(o.spec.user_id)), (&r, Some(o.clerk.user_id))],
        )
        .await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(_))),
            "a clerk takes no clients: {refused:?}"
        );
        tx.rollback().await.unwrap();
        // A specialist's new clients are their own, whatever is asked.
        let mut tx = store.begin(o.spec).await.unwrap();
        let mine = clients::create_many(&mut tx, &[(&r, Some(o.spec2.user_id)), (&r, None)])
            .await
            .unwrap();
        for id in mine {
            let acc = tx
                .client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .unwrap();
            assert_eq!(
                clients::get(&mut tx, &acc).await.unwrap().assigned_user_id,
                Some(o.spec.user_id)
            );
        }
        tx.commit().await.unwrap();
    }
);
