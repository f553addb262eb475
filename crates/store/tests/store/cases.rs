//! A case from intake to closure.

use crate::common::*;
use yorisoi_domain::case::{CaseStage, CloseInput, IntakeInput};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(case_from_intake_to_closure, |store: Store| async move {
    let o = office(&store, "よりそい", "f").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let intake = IntakeInput {
        intake_date: "R8.4.10".into(),
        referral_source: "municipality".into(),
        chief_complaint: "就労継続支援A型事業所で働きたい".into(),
        consent_to_support: "yes".into(),
        title: "働きたいAさん".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let case_id = cases::open(&mut tx, &acc, &intake).await.unwrap();
    let (c, i) = cases::get(&mut tx, &acc, case_id).await.unwrap();
    assert_eq!(c.stage, CaseStage::Intake);
    assert_eq!(i.record.chief_complaint, "就労継続支援A型事業所で働きたい");
    assert_eq!(c.title, "働きたいAさん");
    assert!(matches!(
        cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Monitoring).await,
        Err(StoreError::Rule(_))
    ));
    cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Assessment)
        .await
        .unwrap();
    assert!(matches!(
        cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Planning).await,
        Err(StoreError::Conflict)
    ));
    let close = CloseInput {
        closed_on: "2026-11-01".into(),
        reason: "needs_resolved".into(),
        changes: "一人で通えるようになった。".into(),
        ..Default::default()
    }
    .validate(c.opened_on, today())
    .unwrap();
    // A closing date before the case opened is refused beside that field.
    let early = CloseInput {
        closed_on: "2026-01-01".into(),
        reason: "needs_resolved".into(),
        changes: "一人で通えるようになった。".into(),
        ..Default::default()
    }
    .validate(chrono::NaiveDate::MIN, today())
    .unwrap();
    assert!(matches!(
        cases::close(&mut tx, &acc, case_id, c.version + 1, &early).await,
        Err(StoreError::Invalid(e)) if e.get("closed_on").is_some()
    ));
    cases::close(&mut tx, &acc, case_id, c.version + 1, &close)
        .await
        .unwrap();
    let (c, _) = cases::get(&mut tx, &acc, case_id).await.unwrap();
    assert_eq!(c.stage, CaseStage::Closed);
    assert!(
        matches!(
            cases::update_intake(&mut tx, &acc, case_id, i.version, &intake).await,
            Err(StoreError::Rule(_))
        ),
        "closed is read-only"
    );
    assert_eq!(cases::list(&mut tx, &acc).await.unwrap().len(), 1);
    tx.commit().await.unwrap();
});
