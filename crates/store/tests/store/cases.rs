//! A case from intake to closure.

use crate::common::*;
use chrono::NaiveDate;
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
        cases::move_stage(
            &mut tx,
            &acc,
            case_id,
            c.version,
            CaseStage::Monitoring,
            "例外"
        )
        .await,
        Err(StoreError::Rule(_))
    ));
    cases::move_stage(
        &mut tx,
        &acc,
        case_id,
        c.version,
        CaseStage::Assessment,
        "例外",
    )
    .await
    .unwrap();
    assert!(matches!(
        cases::move_stage(
            &mut tx,
            &acc,
            case_id,
            c.version,
            CaseStage::Planning,
            "例外"
        )
        .await,
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

/// The stage of a case and its client's status.
async fn stage_and_status(
    store: &Store,
    o: &Office,
    client_id: i64,
    case_id: i64,
) -> (CaseStage, yorisoi_domain::client::ClientStatus) {
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Read)
        .await
        .unwrap();
    let (c, _) = cases::get(&mut tx, &acc, case_id).await.unwrap();
    let lacc = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await
        .unwrap();
    let status = clients::get(&mut tx, &lacc).await.unwrap().record.status;
    tx.commit().await.unwrap();
    (c.stage, status)
}

store_test!(
    the_records_move_the_case_and_the_client_follows,
    |store: Store| async move {
        use yorisoi_domain::client::ClientStatus::{Closed, Consulting, Supporting};
        use yorisoi_domain::monitoring::MonitoringInput;
        use yorisoi_domain::plan::{DocStage, Handover, HandoverMethod};
        let o = office(&store, "よりそい", "w").await;
        // An assessment saved: アセスメント, without a press of 「進める」.
        let (client_id, case_id) = assessed_case(&store, &o).await;
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::Assessment, Consulting)
        );
        // Draft, meeting held, consent, 本計画: the case follows each record.
        let plan_id =
            testing::final_plan_only(&store, o.spec, o.clerk, client_id, case_id, today())
                .await
                .unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::FinalPlan, Consulting)
        );
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                client_id: Some(client_id),
                action: Some("stage".into()),
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut steps: Vec<String> = events.into_iter().map(|e| e.detail).collect();
        steps.reverse();
        assert_eq!(
            steps,
            [
                "intake→assessment (記録から)",
                "assessment→planning (記録から)",
                "planning→meeting (記録から)",
                "meeting→final_plan (記録から)",
            ]
        );
        // The final plan handed over: services begin, and the client is 支援中.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        let p = plans::get(&mut tx, &acc, plan_id).await.unwrap();
        let h = Handover {
            stage: DocStage::Final,
            to: "本人".into(),
            on: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            method: HandoverMethod::InPerson,
        };
        plans::add_handover(&mut tx, &acc, plan_id, p.version, &h)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::Implementation, Supporting)
        );
        // A monitoring recorded: モニタリング; a second one changes nothing.
        let mut tx = store.begin(o.spec).await.unwrap();
        let macc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        let (_, plan) = monitorings::plan_in_force(&tx, &macc, case_id)
            .await
            .unwrap()
            .unwrap();
        let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
        let input = MonitoringInput::prefill(&plan, NaiveDate::from_ymd_opt(2026, 7, 15).unwrap());
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        monitorings::create(&mut tx, &macc, case_id, &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::Monitoring, Supporting)
        );
        // A plan change starts the next round (計画変更); the client is still 支援中.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        plans::change(
            &mut tx,
            &acc,
            plan_id,
            NaiveDate::from_ymd_opt(2026, 7, 20).unwrap(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::Planning, Supporting)
        );
        // A monitoring of the plan still in force does not end the change under way.
        let mut tx = store.begin(o.spec).await.unwrap();
        let input = MonitoringInput::prefill(&plan, NaiveDate::from_ymd_opt(2026, 10, 15).unwrap());
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        monitorings::create(&mut tx, &macc, case_id, &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await.0,
            CaseStage::Planning
        );
        // Closure: 終結, and the client (no other open case) is 終結 too.
        let mut tx = store.begin(o.spec).await.unwrap();
        let cacc = tx
            .client_access(client_id, RecordKind::Case, Action::Write)
            .await
            .unwrap();
        let (c, _) = cases::get(&mut tx, &cacc, case_id).await.unwrap();
        let close = CloseInput {
            closed_on: "2026-11-01".into(),
            reason: "needs_resolved".into(),
            changes: "一人で通えるようになった。".into(),
            ..Default::default()
        }
        .validate(c.opened_on, today())
        .unwrap();
        cases::close(&mut tx, &cacc, case_id, c.version, &close)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            stage_and_status(&store, &o, client_id, case_id).await,
            (CaseStage::Closed, Closed)
        );
        // A new case opens: 相談中 again.
        let again = open_case(&store, o.spec, client_id).await;
        assert_eq!(
            stage_and_status(&store, &o, client_id, again).await,
            (CaseStage::Intake, Consulting)
        );
    }
);

store_test!(
    a_stage_changed_by_hand_needs_a_reason_and_is_logged,
    |store: Store| async move {
        let o = office(&store, "よりそい", "h").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Case, Action::Write)
            .await
            .unwrap();
        assert!(matches!(
            cases::move_stage(&mut tx, &acc, case_id, 1, CaseStage::Assessment, "  ").await,
            Err(StoreError::Invalid(e)) if e.get("reason").is_some()
        ));
        cases::move_stage(
            &mut tx,
            &acc,
            case_id,
            1,
            CaseStage::Assessment,
            "電話での聞き取りから始めた",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                client_id: Some(client_id),
                action: Some("stage".into()),
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            events[0].detail,
            "intake→assessment 手動: 電話での聞き取りから始めた"
        );
    }
);
