//! Assessments and their versions.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
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
            Err(StoreError::Invalid(e)) if e.get("assessed_on").is_some()
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

// The sheet's read (one statement) gives what `get`, `list` and `cases::get` give, logs the
// same events, and is refused to the same people.
store_test!(
    the_sheet_reads_together_what_it_read_one_by_one,
    |store: Store| async move {
        use yorisoi_domain::assessment::AssessmentMethod;
        let o = office(&store, "よりそい", "sh").await;
        let other = office(&store, "となり", "so").await;
        let (client_id, case_id) = assessed_case(&store, &o).await;
        // A second version: the first is no longer the latest.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Assessment, Action::Write)
            .await
            .unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let second = assessments::start(
            &mut tx,
            &acc,
            case_id,
            on,
            AssessmentMethod::Office,
            "本人".into(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let versions = {
            let mut tx = store.read(o.spec).await.unwrap();
            let acc = assessments::access(&mut tx, second, Action::Read)
                .await
                .unwrap();
            let v = assessments::list(&mut tx, &acc, case_id).await.unwrap();
            tx.commit().await.unwrap();
            v
        };
        assert_eq!(versions.len(), 2);
        let first = versions[1].id;
        async fn apart(store: &Store, who: Actor, id: i64) -> Result<String> {
            let mut tx = store.read(who).await?;
            let acc = assessments::access(&mut tx, id, Action::Read).await?;
            let a = assessments::get(&mut tx, &acc, id).await?;
            let versions = assessments::list(&mut tx, &acc, a.case_id).await?;
            let case_acc = tx
                .client_access(acc.client_id, RecordKind::Case, Action::Read)
                .await?;
            let (c, _) = cases::get(&mut tx, &case_acc, a.case_id).await?;
            tx.commit().await?;
            Ok(format!("{a:?} {versions:?} {:?}", c.stage))
        }
        async fn together(store: &Store, who: Actor, id: i64) -> Result<String> {
            let mut tx = store.read(who).await?;
            let acc = assessments::access(&mut tx, id, Action::Read).await?;
            let case_acc = tx
                .client_access(acc.client_id, RecordKind::Case, Action::Read)
                .await?;
            let (a, versions, stage) = assessments::sheet(&mut tx, &acc, &case_acc, id).await?;
            tx.commit().await?;
            Ok(format!("{a:?} {versions:?} {stage:?}"))
        }
        for id in [first, second] {
            let want = apart(&store, o.spec, id).await.unwrap();
            let n = client_events(&store, o.admin, client_id).await.len();
            let got = together(&store, o.spec, id).await.unwrap();
            assert_eq!(got, want);
            let after = client_events(&store, o.admin, client_id).await;
            assert_eq!(after.len() - n, 3, "assessment, list, case");
            // The same three as the reads one by one logged just before.
            let k = after.len();
            assert_eq!(after[k - 3..], after[k - 6..k - 3]);
        }
        assert!(
            together(&store, o.spec, second)
                .await
                .unwrap()
                .contains("latest: true")
        );
        assert!(
            together(&store, o.spec, first)
                .await
                .unwrap()
                .contains("latest: false")
        );
        // Refused alike: another office (not found), a missing one, roles of this office.
        for who in [other.admin, other.spec, o.spec2, o.clerk, o.admin] {
            for id in [first, second + 1_000_000] {
                let want = apart(&store, who, id).await;
                let got = together(&store, who, id).await;
                match (&want, &got) {
                    (Ok(w), Ok(g)) => assert_eq!(g, w),
                    (Err(w), Err(g)) => assert_eq!(
                        std::mem::discriminant(w),
                        std::mem::discriminant(g),
                        "{who:?} {id}: {w:?} / {g:?}"
                    ),
                    _ => panic!("{who:?} {id}: {want:?} / {got:?}"),
                }
            }
        }
        // A sheet read with another client's case access is not found.
        let (other_client, _) = assessed_case(&store, &o).await;
        let mut tx = store.read(o.spec).await.unwrap();
        let acc = assessments::access(&mut tx, first, Action::Read)
            .await
            .unwrap();
        let wrong = tx
            .client_access(other_client, RecordKind::Case, Action::Read)
            .await
            .unwrap();
        assert!(matches!(
            assessments::sheet(&mut tx, &acc, &wrong, first).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
    }
);
