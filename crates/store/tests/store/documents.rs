//! Batch printing, a staff member's reports and office settings.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    batch_printing_finds_the_plans_handed_over_and_a_staff_members_reports_and_office_settings_keep,
    |store: Store| async move {
        use yorisoi_domain::monitoring::MonitoringInput;
        use yorisoi_domain::office::DocSettings;
        use yorisoi_domain::plan::{DocStage, Handover, HandoverMethod};
        let o = office(&store, "よりそい", "b").await;
        let other = office(&store, "みなと", "y").await;
        let (client_id, case_id, plan_id) = monitored_case(&store, &o).await;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let pacc = plans::access(&mut tx, plan_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        let p = plans::get(&mut tx, &pacc, plan_id).await.unwrap();
        let h = Handover {
            stage: DocStage::Final,
            to: "本人".into(),
            on: d(6, 10),
            method: HandoverMethod::InPerson,
        };
        plans::add_handover(&mut tx, &pacc, plan_id, p.version, &h)
            .await
            .unwrap();
        let macc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        let (_, plan) = monitorings::plan_in_force(&tx, &macc, case_id)
            .await
            .unwrap()
            .unwrap();
        let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
        let input = MonitoringInput::prefill(&plan, d(7, 15));
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        let m = monitorings::create(&mut tx, &macc, case_id, &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let tx = store.begin(o.spec).await.unwrap();
        assert_eq!(
            plans::handed_over_between(&tx, d(6, 1), d(6, 30))
                .await
                .unwrap(),
            vec![plan_id]
        );
        assert!(
            plans::handed_over_between(&tx, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap(),
            vec![m]
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec2.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(8, 1), d(8, 31))
                .await
                .unwrap()
                .is_empty()
        );
        tx.rollback().await.unwrap();
        // Another office finds none of it.
        let tx = store.begin(other.admin).await.unwrap();
        assert!(
            plans::handed_over_between(&tx, d(6, 1), d(6, 30))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        tx.rollback().await.unwrap();

        // 帳票の設定: admins only, kept per office.
        let mut tx = store.begin(o.spec).await.unwrap();
        let s = DocSettings {
            furigana: true,
            ..Default::default()
        };
        assert!(offices::set_doc_settings(&mut tx, &s).await.is_err());
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert_eq!(
            offices::doc_settings(&tx).await.unwrap(),
            DocSettings::default()
        );
        offices::set_doc_settings(&mut tx, &s).await.unwrap();
        tx.commit().await.unwrap();
        let tx = store.begin(o.spec).await.unwrap();
        assert!(offices::doc_settings(&tx).await.unwrap().furigana);
        tx.rollback().await.unwrap();
        let tx = store.begin(other.admin).await.unwrap();
        assert!(!offices::doc_settings(&tx).await.unwrap().furigana);
        tx.rollback().await.unwrap();
    }
);
