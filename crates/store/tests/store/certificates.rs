//! Certificates and their versions.

use crate::common::*;
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(certificates_are_versioned, |store: Store| async move {
    let o = office(&store, "よりそい", "e").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let cert = |until: &str, months: &str| {
        CertificateInput {
            number: "0123456789".into(),
            municipality: "N市".into(),
            issued_on: "2026-04-20".into(),
            decision_from: "2026-05-01".into(),
            decision_until: until.into(),
            services: "就労継続支援B型：当該月の日数から8日を控除した日数".into(),
            plan_support_from: "2026-05-01".into(),
            plan_support_until: until.into(),
            monitoring_period: "every3".into(),
            monitoring_months: months.into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let mut tx = store.begin(o.clerk).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await
        .unwrap();
    let (_, v1) = certificates::add(&mut tx, &acc, &cert("2027-04-30", "7,10,1,4"))
        .await
        .unwrap();
    let (_, v2) = certificates::add(&mut tx, &acc, &cert("2026-12-31", "7,10"))
        .await
        .unwrap();
    assert_eq!((v1, v2), (1, 2));
    let all = certificates::list(&mut tx, &acc).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].version_no, 2);
    assert_eq!(
        all[1].record,
        cert("2027-04-30", "7,10,1,4"),
        "the old version is unchanged"
    );
    assert_eq!(all[1].record.monitoring_months.len(), 4);
    tx.commit().await.unwrap();
    // The ledger follows the newest version, for the expiry filter.
    let mut tx = store.begin(o.admin).await.unwrap();
    let mut f = filter("");
    f.cert_within_days = Some(60);
    assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 1);
    f.cert_within_days = Some(10);
    assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 0);
    assert_eq!(
        clients::expiring(&tx, today() + chrono::Duration::days(60), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    tx.commit().await.unwrap();
});
