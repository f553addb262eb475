//! Clients: round trip, optimistic concurrency, kana search, tenancy and assignment.

use crate::common::*;
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::clients::ClientSort;
use yorisoi_store::*;

store_test!(client_round_trip_and_conflict, |store: Store| async move {
    let o = office(&store, "よりそい", "a").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await
        .unwrap();
    let c = clients::get(&mut tx, &acc).await.unwrap();
    assert_eq!(c.record, a_san().validate(today()).unwrap());
    assert_eq!(c.assigned_user_id, Some(o.spec.user_id));
    let mut changed = c.record.clone();
    changed.address = "N市本町1-2-3".into();
    let v2 = clients::update(&mut tx, &acc, c.version, &changed)
        .await
        .unwrap();
    assert_eq!(v2, 2);
    // A save from the old version is refused and changes nothing.
    let mut stale = c.record.clone();
    stale.address = "上書き".into();
    assert!(matches!(
        clients::update(&mut tx, &acc, c.version, &stale).await,
        Err(StoreError::Conflict)
    ));
    let again = clients::get(&mut tx, &acc).await.unwrap();
    assert_eq!(again.record.address, "N市本町1-2-3");
    tx.commit().await.unwrap();
});

store_test!(
    search_is_kana_and_width_insensitive,
    |store: Store| async move {
        let o = office(&store, "よりそい", "b").await;
        add_client(&store, o.admin, a_san()).await;
        let mut b = a_san();
        b.family_name = "馬場".into();
        b.family_name_kana = "ばば".into();
        b.given_name = "部".into();
        b.given_name_kana = "べ".into();
        add_client(&store, o.admin, b).await;
        let mut tx = store.begin(o.admin).await.unwrap();
        for q in ["あおき", "アオキ", "ｱｵｷ", "青木", "明子", "アキ"] {
            let (rows, total) = clients::list(&mut tx, &filter(q)).await.unwrap();
            assert_eq!(total, 1, "{q}");
            assert_eq!(rows[0].record.family_name, "青木");
        }
        let (_, all) = clients::list(&mut tx, &filter("")).await.unwrap();
        assert_eq!(all, 2);
        let (_, none) = clients::list(&mut tx, &filter("%")).await.unwrap();
        assert_eq!(none, 0, "LIKE wildcards are literal");
        let mut f = filter("");
        f.sort = ClientSort::KanaDesc;
        let (rows, _) = clients::list(&mut tx, &f).await.unwrap();
        assert_eq!(rows[0].record.family_name_kana, "ばば");
        f.status = Some(ClientStatus::Closed);
        assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 0);
        tx.commit().await.unwrap();
    }
);

store_test!(
    tenancy_and_assignment_hide_clients,
    |store: Store| async move {
        let o = office(&store, "よりそい", "c").await;
        let other = office(&store, "別の事業所", "d").await;
        let id = add_client(&store, o.spec, a_san()).await;
        // Another office: not found, for every kind and even for its admin.
        let mut tx = store.begin(other.admin).await.unwrap();
        for kind in [
            RecordKind::Ledger,
            RecordKind::Certificate,
            RecordKind::Case,
            RecordKind::CaseNote,
        ] {
            assert!(matches!(
                tx.client_access(id, kind, Action::Read).await,
                Err(StoreError::NotFound)
            ));
        }
        assert_eq!(clients::list(&mut tx, &filter("")).await.unwrap().1, 0);
        tx.commit().await.unwrap();
        // A specialist without the assignment sees nothing; the clerk sees the ledger only.
        let mut tx = store.begin(o.spec2).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        assert_eq!(clients::list(&mut tx, &filter("")).await.unwrap().1, 0);
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.clerk).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Write)
                .await
                .is_ok()
        );
        assert!(
            tx.client_access(id, RecordKind::CaseNote, Action::Read)
                .await
                .is_err()
        );
        tx.commit().await.unwrap();
        // Reassign in bulk; now spec2 sees it and spec does not.
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(
            clients::assign(&mut tx, &[id], Some(o.clerk.user_id))
                .await
                .is_err(),
            "clerks cannot hold cases"
        );
        assert_eq!(
            clients::assign(&mut tx, &[id], Some(o.spec2.user_id))
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec2).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::CaseNote, Action::Write)
                .await
                .is_ok()
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        // A ClientAccess for one kind cannot be used for another.
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let ledger = tx
            .client_access(id, RecordKind::Ledger, Action::Read)
            .await
            .unwrap();
        assert!(matches!(
            notes::list(&mut tx, &ledger, "", 10, 0).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
    }
);
