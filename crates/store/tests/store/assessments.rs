//! Assessments and their versions.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    assessments_are_versioned_and_old_versions_stay,
    |store: Store| async move {
        use yorisoi_domain::assessment::{AssessmentMethod, BasicInfo, diff};
        let o = office(&store, "よりそい", "g").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Assessment, Action::Write)
            .await
            .unwrap();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let v1 = assessments::start(
            &mut tx,
            &acc,
            case_id,
            d("2026-04-10"),
            AssessmentMethod::HomeVisit,
            "本人、母".into(),
        )
        .await
        .unwrap();
        let a1 = assessments::get(&mut tx, &acc, v1).await.unwrap();
        assert_eq!(a1.version_no, 1);
        assert!(a1.latest);
        assert_eq!(a1.record.basic.name, "青木 明子");
        assert!(a1.record.basic.disabilities.contains("精神"));
        // Every section round-trips; the ledger snapshot is kept from the start.
        let full = full_assessment()
            .validate(today(), BasicInfo::default())
            .unwrap();
        assessments::update(&mut tx, &acc, v1, a1.version, &full)
            .await
            .unwrap();
        let saved = assessments::get(&mut tx, &acc, v1).await.unwrap();
        let mut expected = full.clone();
        expected.basic = a1.record.basic.clone();
        assert_eq!(saved.record, expected);
        assert_eq!(saved.version, 2);
        // A stale save is a conflict and changes nothing.
        let mut stale = full.clone();
        stale.wish_person = "上書き".into();
        assert!(matches!(
            assessments::update(&mut tx, &acc, v1, a1.version, &stale).await,
            Err(StoreError::Conflict)
        ));
        // A re-assessment starts as a copy; an earlier date than the last one is refused.
        assert!(matches!(
            assessments::start(
                &mut tx,
                &acc,
                case_id,
                d("2026-01-01"),
                AssessmentMethod::Office,
                String::new()
            )
            .await,
            Err(StoreError::Rule(_))
        ));
        let v2 = assessments::start(
            &mut tx,
            &acc,
            case_id,
            d("2026-10-01"),
            AssessmentMethod::Office,
            "本人".into(),
        )
        .await
        .unwrap();
        let a2 = assessments::get(&mut tx, &acc, v2).await.unwrap();
        assert_eq!(a2.version_no, 2);
        assert_eq!(a2.record.wish_person, "A型で働きたい");
        assert_eq!(a2.record.family, full.family);
        assert_eq!(a2.record.method, AssessmentMethod::Office);
        let mut changed = a2.record.clone();
        changed.wish_person = "A型で週4日働きたい".into();
        assessments::update(&mut tx, &acc, v2, a2.version, &changed)
            .await
            .unwrap();
        // The first version is frozen and unchanged.
        let old = assessments::get(&mut tx, &acc, v1).await.unwrap();
        assert!(!old.latest);
        assert_eq!(old.record.wish_person, "A型で働きたい");
        assert!(matches!(
            assessments::update(&mut tx, &acc, v1, old.version, &full).await,
            Err(StoreError::Rule(_))
        ));
        let new = assessments::get(&mut tx, &acc, v2).await.unwrap();
        let changes = diff(&old.record, &new.record);
        assert!(changes.iter().any(|c| c.section == "希望"
            && c.added == vec!["本人の希望: A型で週4日働きたい".to_string()]));
        let list = assessments::list(&mut tx, &acc, case_id).await.unwrap();
        assert_eq!(
            list.iter().map(|s| s.version_no).collect::<Vec<_>>(),
            vec![2, 1]
        );
        tx.commit().await.unwrap();

        // Nobody else gets in: another specialist, the clerk, another office.
        for actor in [o.spec2, o.clerk] {
            let mut tx = store.begin(actor).await.unwrap();
            assert!(matches!(
                tx.client_access(client_id, RecordKind::Assessment, Action::Read)
                    .await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let other = office(&store, "ほか", "g2").await;
        let mut tx = store.begin(other.admin).await.unwrap();
        assert!(matches!(
            assessments::client_of(&tx, v1).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            tx.client_access(client_id, RecordKind::Assessment, Action::Read)
                .await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
    }
);
