//! Decision support follow-ups and the retention set on closing.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::case::CloseInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    decision_support_follows_up_on_the_dashboard_and_closing_sets_the_retention,
    |store: Store| async move {
        use yorisoi_domain::decision::*;
        let o = office(&store, "よりそい", "d").await;
        let other = office(&store, "みなと", "y").await;
        let (client_id, case_id, _) = monitored_case(&store, &o).await;
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut input = DecisionInput::start(
            "施設入所を続けるか、グループホームに移るか",
            o.spec.user_id,
            d("2026-09-01"),
        );
        input.follow_up_on = "2026-12-01".into();
        let r = input.validate(today(), &[o.spec.user_id]).unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::DecisionSupport, Action::Write)
            .await
            .unwrap();
        let id = decisions::create(&mut tx, &acc, case_id, &r).await.unwrap();
        // A lead from another office is refused even if the domain was told otherwise.
        let mut foreign = r.clone();
        foreign.lead_user_id = other.spec.user_id;
        assert!(matches!(
            decisions::create(&mut tx, &acc, case_id, &foreign).await,
            Err(StoreError::Invalid(e)) if e.get("lead_user_id").is_some()
        ));
        // Written step by step: the trial and the estimate with its grounds.
        let got = decisions::get(&mut tx, &acc, id).await.unwrap();
        let mut next = DecisionInput::from_record(&got.record);
        next.step = "expression".into();
        next.expressed = "partly".into();
        next.estimated_will = "グループホームで暮らしたい".into();
        next.grounds = "体験利用中の表情と行動".into();
        next.evidence = vec![EvidenceRow {
            kind: "behaviour".into(),
            text: "自分で買い物に行った".into(),
            source: "GHの記録".into(),
        }];
        let r2 = next.validate(today(), &[o.spec.user_id]).unwrap();
        let v = decisions::update(&mut tx, &acc, id, got.version, &r2)
            .await
            .unwrap();
        assert_eq!(v, got.version + 1);
        // A save from the old version is refused, not merged.
        assert!(matches!(
            decisions::update(&mut tx, &acc, id, got.version, &r2).await,
            Err(StoreError::Conflict)
        ));
        let list = decisions::list(&mut tx, &acc, case_id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].step, DecisionStep::Expression);
        tx.commit().await.unwrap();
        // The follow-up (a week after "today") is on the specialist's and the office's dashboard.
        for who in [o.spec, o.admin] {
            let mut tx = store.read(who).await.unwrap();
            let dash = dashboard::build(&mut tx, today(), None).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(dash.follow_ups.len(), 1, "{who:?}");
            assert_eq!(dash.follow_ups[0].decision_id, id);
        }
        // Built once while nothing changes; still audited each time.
        let mut tx = store.read(o.spec).await.unwrap();
        let first = dashboard::build(&mut tx, today(), None).await.unwrap();
        let again = dashboard::build(&mut tx, today(), None).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "served from the cache"
        );
        // Not beyond two weeks, and never for another office, the unassigned or the clerk.
        let mut tx = store.read(o.spec).await.unwrap();
        let far = dashboard::build(&mut tx, d("2026-11-01"), None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(far.follow_ups.is_empty());
        for who in [other.admin, o.spec2, o.clerk] {
            let mut tx = store.read(who).await.unwrap();
            let dash = dashboard::build(&mut tx, today(), None).await.unwrap();
            assert!(dash.follow_ups.is_empty(), "{who:?}");
            assert!(matches!(
                decisions::access(&mut tx, id, Action::Read).await,
                Err(StoreError::NotFound)
            ));
            tx.commit().await.unwrap();
        }
        // Closing: the look back is kept, the retention date follows the office's setting.
        let mut tx = store.begin(o.spec).await.unwrap();
        let cacc = tx
            .client_access(client_id, RecordKind::Case, Action::Write)
            .await
            .unwrap();
        let (c, _) = cases::get(&mut tx, &cacc, case_id).await.unwrap();
        let close = CloseInput {
            closed_on: "2026-11-20".into(),
            reason: "transferred".into(),
            changes: "グループホームで暮らし始めた。".into(),
            handover_to: "相談支援センターみなみ".into(),
            handover: "計画の写しを渡した。".into(),
            ..Default::default()
        }
        .validate(c.opened_on, today())
        .unwrap();
        let until = cases::close(&mut tx, &cacc, case_id, c.version, &close)
            .await
            .unwrap();
        assert_eq!(until, d("2031-11-20"));
        let (c, _) = cases::get(&mut tx, &cacc, case_id).await.unwrap();
        assert_eq!(c.retain_until, Some(d("2031-11-20")));
        assert_eq!(c.evaluation.handover_to, "相談支援センターみなみ");
        tx.commit().await.unwrap();
        // The close is a write: the cached dashboard is stale and the closed case drops off.
        let mut tx = store.read(o.spec).await.unwrap();
        let after = dashboard::build(&mut tx, today(), None).await.unwrap();
        tx.commit().await.unwrap();
        assert!(after.follow_ups.is_empty() && after.overdue.is_empty());
        let mut tx = store.begin(o.spec).await.unwrap();
        // The record is read-only with its case.
        let cur = decisions::get(&mut tx, &acc, id).await.unwrap();
        assert!(matches!(
            decisions::update(&mut tx, &acc, id, cur.version, &cur.record).await,
            Err(StoreError::Rule(_))
        ));
        tx.commit().await.unwrap();
        // Only an admin sets the retention, never under 5 years; closed cases move with it.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            offices::set_retention_years(&mut tx, 7).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(matches!(
            offices::set_retention_years(&mut tx, 3).await,
            Err(StoreError::Invalid(f)) if f.get("years").is_some()
        ));
        assert_eq!(offices::set_retention_years(&mut tx, 7).await.unwrap(), 1);
        tx.commit().await.unwrap();
        let mut tx = store.read(o.admin).await.unwrap();
        let cacc = tx
            .client_access(client_id, RecordKind::Case, Action::Read)
            .await
            .unwrap();
        let (c, _) = cases::get(&mut tx, &cacc, case_id).await.unwrap();
        assert_eq!(c.retain_until, Some(d("2033-11-20")));
        tx.commit().await.unwrap();
        // The other office's setting did not move.
        let tx = store.read(other.admin).await.unwrap();
        assert_eq!(offices::retention_years(&tx).await.unwrap(), 5);
        tx.commit().await.unwrap();
    }
);
