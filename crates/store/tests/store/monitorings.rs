//! Monitoring schedules from the certificate, and outcomes.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::case::CaseStage;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    monitoring_follows_the_certificate_and_its_outcome_opens_the_next_step,
    |store: Store| async move {
        use yorisoi_domain::certificate::YearMonth;
        use yorisoi_domain::monitoring::schedule::DueState;
        use yorisoi_domain::monitoring::*;
        let o = office(&store, "よりそい", "m").await;
        let other = office(&store, "みなと", "x").await;
        let (client_id, case_id, plan_id) = monitored_case(&store, &o).await;
        let ym = |y, m| YearMonth { year: y, month: m };
        // Nothing recorded yet: July and October are overdue, January and April to come.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        let s = monitorings::case_schedule(&tx, &acc, case_id, today())
            .await
            .unwrap();
        let months: Vec<(YearMonth, DueState)> =
            s.months.iter().map(|m| (m.month, m.state)).collect();
        assert_eq!(
            months,
            vec![
                (ym(2026, 7), DueState::Overdue),
                (ym(2026, 10), DueState::Overdue),
                (ym(2027, 1), DueState::Upcoming),
                (ym(2027, 4), DueState::Upcoming),
            ]
        );
        // The report is pre-filled from the plan's goals and recorded against the plan in force.
        let (pid, plan) = monitorings::plan_in_force(&tx, &acc, case_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pid, plan_id);
        let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
        let mut input =
            MonitoringInput::prefill(&plan, NaiveDate::from_ymd_opt(2026, 7, 15).unwrap());
        assert_eq!(input.goals.len(), plan.rows.len());
        input.goals[0].achievement = "partly".into();
        input.goals[0].person_view = "「少し慣れた」".into();
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        let m1 = monitorings::create(&mut tx, &acc, case_id, &r)
            .await
            .unwrap();
        // A visit in August (not a listed month) is recorded but flagged.
        input.monitored_on = "2026-08-05".into();
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        monitorings::create(&mut tx, &acc, case_id, &r)
            .await
            .unwrap();
        let s = monitorings::case_schedule(&tx, &acc, case_id, today())
            .await
            .unwrap();
        assert_eq!(s.months[0].state, DueState::Done);
        assert_eq!(
            s.off_schedule,
            vec![NaiveDate::from_ymd_opt(2026, 8, 5).unwrap()]
        );
        // The previous report, for comparison.
        let prev = monitorings::previous(
            &tx,
            &acc,
            case_id,
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            None,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            prev.record.monitored_on,
            NaiveDate::from_ymd_opt(2026, 8, 5).unwrap()
        );
        tx.commit().await.unwrap();
        // The office view counts the overdue October for the assigned specialist; another
        // office and an unassigned specialist see nothing of it.
        let mut tx = store.read(o.admin).await.unwrap();
        let d = dashboard::build(&mut tx, today(), None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(d.overdue.len(), 1);
        assert_eq!(d.overdue[0].month, ym(2026, 10));
        let line = d
            .staff
            .iter()
            .find(|(s, _)| *s == Some(o.spec.user_id))
            .unwrap();
        assert_eq!((line.1.clients, line.1.overdue), (1, 1));
        for who in [other.admin, o.spec2] {
            let mut tx = store.read(who).await.unwrap();
            let d = dashboard::build(&mut tx, today(), None).await.unwrap();
            tx.commit().await.unwrap();
            assert!(
                d.overdue.is_empty() && d.due.is_empty() && d.plans.is_empty(),
                "{who:?}"
            );
        }
        let mut tx = store.read(o.spec).await.unwrap();
        let mine = dashboard::build(&mut tx, today(), None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(mine.overdue.len(), 1);
        assert_eq!(
            mine.certificates.len(),
            0,
            "the certificate ends in April: beyond 90 days"
        );
        // The clerk has no access to monitoring at all.
        let mut tx = store.read(o.clerk).await.unwrap();
        assert!(
            tx.client_access(client_id, RecordKind::Monitoring, Action::Read)
                .await
                .is_err()
        );
        tx.commit().await.unwrap();
        // October's report calls for 再アセスメント: the next assessment version opens with it.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        input.monitored_on = "2026-10-20".into();
        input.outcome = "reassess".into();
        input.reassess_reasons = vec!["needs_changed".into()];
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        let m3 = monitorings::create(&mut tx, &acc, case_id, &r)
            .await
            .unwrap();
        let got = monitorings::get(&mut tx, &acc, m3).await.unwrap();
        let new_assessment = got
            .record
            .reassessment_id
            .expect("a new assessment version");
        let aacc = tx
            .client_access(client_id, RecordKind::Assessment, Action::Read)
            .await
            .unwrap();
        let versions = assessments::list(&mut tx, &aacc, case_id).await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].id, new_assessment);
        let cacc = tx
            .client_access(client_id, RecordKind::Case, Action::Read)
            .await
            .unwrap();
        let (c, _) = cases::get(&mut tx, &cacc, case_id).await.unwrap();
        assert_eq!(c.stage, CaseStage::Reassessment);
        // Editing it again does not open a second version; a stale edit is refused.
        let v = monitorings::update(&mut tx, &acc, m3, got.version, &got.record)
            .await
            .unwrap();
        assert_eq!(
            assessments::list(&mut tx, &aacc, case_id)
                .await
                .unwrap()
                .len(),
            2
        );
        assert!(matches!(
            monitorings::update(&mut tx, &acc, m3, v - 1, &got.record).await,
            Err(StoreError::Conflict)
        ));
        let m1r = monitorings::get(&mut tx, &acc, m1).await.unwrap();
        assert_eq!(m1r.record.goals[0].person_view, "「少し慣れた」");
        tx.commit().await.unwrap();
        // A case without a final plan cannot be monitored.
        let bare = open_case(&store, o.spec, client_id).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        assert!(matches!(
            monitorings::create(&mut tx, &acc, bare, &r).await,
            Err(StoreError::Rule(m)) if m.contains("本計画がまだありません")
        ));
        tx.rollback().await.unwrap();
        // Another office's specialist cannot reach the report at all.
        let mut tx = store.begin(other.spec).await.unwrap();
        assert!(matches!(
            monitorings::access(&mut tx, m3, Action::Read).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
    }
);
