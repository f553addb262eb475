//! 地域課題: raised from a case and kept in the office; the 事務 and other offices see nothing; a
//! specialist raises and edits but cannot release; a lead releases only a text that identifies
//! nobody in the ledger; a stale edit is refused.

use crate::common::*;
use yorisoi_domain::region::{FindingKind, IssueCategory, IssueStatus, RegionalIssueInput};
use yorisoi_store::regional_issues::{self, IssueFilter, IssueSort};
use yorisoi_store::*;

fn input(title: &str, need: &str) -> RegionalIssueInput {
    RegionalIssueInput {
        title: title.into(),
        category: "mobility".into(),
        need: need.into(),
        resource: "休日に使える移動支援の事業所".into(),
        area: "N市北部圏域".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
}

store_test!(
    regional_issues_stay_in_the_office_and_are_released_only_de_identified,
    |store: Store| async move {
        let o = office(&store, "よりそい", "ri").await;
        let other = office(&store, "みなと", "rx").await;
        let lead = lead_of(&store, &o, "rilead").await;
        let mut a = a_san();
        a.phone = "090-1234-5678".into();
        a.address = "N市中央町1-2-3".into();
        let client_id = add_client(&store, o.spec, a).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let other_client = add_client(&store, other.spec, a_san()).await;
        let other_case = open_case(&store, other.spec, other_client).await;

        // The specialist raises an issue from the case: no warning for words that identify nobody.
        let clean = input(
            "休日の移動手段がない",
            "40代の女性。休日に一人で外出したいが、移動支援の空きがない。",
        )
        .validate()
        .unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let saved = regional_issues::add(&mut tx, &clean, Some(case_id))
            .await
            .unwrap();
        assert!(saved.findings.is_empty(), "{:?}", saved.findings);
        let id = saved.id;
        // Saved with a warning when the text names the person (not refused on save).
        let named = input(
            "夜間の見守り",
            "青木明子さんは夜間に不安が強い。連絡先 090-1234-5678",
        )
        .validate()
        .unwrap();
        let warned = regional_issues::add(&mut tx, &named, Some(case_id))
            .await
            .unwrap();
        let kinds: Vec<FindingKind> = warned.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, vec![FindingKind::Name, FindingKind::Phone]);
        assert!(
            warned.findings[0]
                .message
                .contains("「満たされていないニーズ」")
        );
        // Another office's case cannot be linked.
        assert!(matches!(
            regional_issues::link_case(&mut tx, id, other_case).await,
            Err(StoreError::NotFound)
        ));
        // A meeting that does not exist is refused on its field.
        let mut from_nowhere = input("x", "y");
        from_nowhere.source = "meeting".into();
        from_nowhere.source_ref = "999999".into();
        assert!(matches!(
            regional_issues::add(&mut tx, &from_nowhere.validate().unwrap(), None).await,
            Err(StoreError::Invalid(e)) if e.get("source_ref").is_some()
        ));
        tx.commit().await.unwrap();

        // A specialist the client is not assigned to raises issues, but cannot link the case.
        let mut tx = store.begin(o.spec2).await.unwrap();
        assert!(matches!(
            regional_issues::add(&mut tx, &clean, Some(case_id)).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.spec2).await.unwrap();
        let third = regional_issues::add(
            &mut tx,
            &input("通院の付き添い", "通院に付き添う人がいない。")
                .validate()
                .unwrap(),
            None,
        )
        .await
        .unwrap()
        .id;
        tx.commit().await.unwrap();

        // The 事務 sees and writes nothing; another office sees nothing.
        let mut tx = store.begin(o.clerk).await.unwrap();
        assert!(matches!(
            regional_issues::list(&mut tx, &IssueFilter::default()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            regional_issues::get(&mut tx, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            regional_issues::add(&mut tx, &clean, None).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            regional_issues::counts(&mut tx).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(other.admin).await.unwrap();
        assert!(matches!(
            regional_issues::get(&mut tx, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            regional_issues::people(&mut tx, id, today()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            regional_issues::release(&mut tx, id, 1).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            regional_issues::list(&mut tx, &IssueFilter::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(regional_issues::counts(&mut tx).await.unwrap().is_empty());
        tx.rollback().await.unwrap();

        // The specialist cannot release.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            regional_issues::release(&mut tx, id, 1).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();

        // The lead: the named issue is refused, field by field, until its text is edited.
        let mut tx = store.begin(lead).await.unwrap();
        let got = regional_issues::get(&mut tx, warned.id).await.unwrap();
        assert_eq!(got.findings.len(), 2);
        assert_eq!(got.case_ids, vec![case_id]);
        match regional_issues::release(&mut tx, warned.id, got.version).await {
            Err(StoreError::Invalid(e)) => {
                let m = e.get("need").unwrap();
                assert!(m.starts_with("公開できません。"), "{m}");
                assert!(
                    m.contains("氏名（青木明子）") && m.contains("電話番号"),
                    "{m}"
                );
            }
            other => panic!("{other:?}"),
        }
        let fixed = input(
            "夜間の見守り",
            "40代の女性。夜間に不安が強く、見守りの手段がない。",
        )
        .validate()
        .unwrap();
        let v = regional_issues::update(&mut tx, warned.id, got.version, &fixed)
            .await
            .unwrap();
        assert!(v.findings.is_empty());
        // A save from the old version is refused, not merged.
        assert!(matches!(
            regional_issues::update(&mut tx, warned.id, got.version, &fixed).await,
            Err(StoreError::Conflict)
        ));
        assert!(matches!(
            regional_issues::release(&mut tx, warned.id, got.version).await,
            Err(StoreError::Conflict)
        ));
        let released = regional_issues::release(&mut tx, warned.id, v.version)
            .await
            .unwrap();
        assert_eq!(released, v.version + 1);
        let after = regional_issues::get(&mut tx, warned.id).await.unwrap();
        assert_eq!(after.released_by, Some(lead.user_id));
        assert!(after.released_on.is_some());
        // Moving it on keeps the release; a change of its words takes it back.
        let mut moved = fixed.clone();
        moved.status = IssueStatus::Council;
        let s = regional_issues::update(&mut tx, warned.id, released, &moved)
            .await
            .unwrap();
        assert!(
            regional_issues::get(&mut tx, warned.id)
                .await
                .unwrap()
                .released_on
                .is_some()
        );
        let mut reworded = moved.clone();
        reworded.need.push_str("（追記）");
        regional_issues::update(&mut tx, warned.id, s.version, &reworded)
            .await
            .unwrap();
        assert!(
            regional_issues::get(&mut tx, warned.id)
                .await
                .unwrap()
                .released_on
                .is_none()
        );
        // A second case link is kept once.
        regional_issues::link_case(&mut tx, id, case_id)
            .await
            .unwrap();
        let mut medical = regional_issues::get(&mut tx, third).await.unwrap().record;
        medical.category = IssueCategory::Medical;
        regional_issues::update(&mut tx, third, 1, &medical)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // The office's view: counts by category × status, people by 障害種別 and age band.
        let mut tx = store.read(o.spec).await.unwrap();
        let all = regional_issues::list(&mut tx, &IssueFilter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 3);
        let first = all.iter().find(|s| s.id == id).unwrap();
        assert_eq!(first.people, 1);
        let cells = regional_issues::counts(&mut tx).await.unwrap();
        let cell = |c: IssueCategory, s: IssueStatus| {
            cells
                .iter()
                .find(|x| x.category == c && x.status == s)
                .map(|x| x.count)
                .unwrap_or(0)
        };
        assert_eq!(cell(IssueCategory::Mobility, IssueStatus::Raised), 1);
        assert_eq!(cell(IssueCategory::Mobility, IssueStatus::Council), 1);
        assert_eq!(cell(IssueCategory::Medical, IssueStatus::Raised), 1);
        let by_status = regional_issues::list(
            &mut tx,
            &IssueFilter {
                status: Some(IssueStatus::Council),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(by_status.len(), 1);
        assert_eq!(by_status[0].id, warned.id);
        let by_words = regional_issues::list(
            &mut tx,
            &IssueFilter {
                q: "つういん".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(by_words.is_empty(), "かな does not match kanji");
        let by_words = regional_issues::list(
            &mut tx,
            &IssueFilter {
                q: "通院".into(),
                category: Some((IssueCategory::Medical, None)),
                sort: IssueSort::People,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(by_words.len(), 1);
        let by_people = regional_issues::list(
            &mut tx,
            &IssueFilter {
                sort: IssueSort::People,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(by_people.last().unwrap().id, third);
        let p = regional_issues::people(&mut tx, id, today()).await.unwrap();
        assert_eq!(p.total, 1);
        assert_eq!(p.by_kind.len(), 2, "精神 and 知的 both counted");
        assert_eq!(p.by_band.len(), 1);
        assert_eq!(p.by_band[0].band, "45〜49歳");
        tx.commit().await.unwrap();

        // Every read and write is in the audit log.
        let mut tx = store.read(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                per_page: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let kinds: Vec<(&str, &str)> = events
            .iter()
            .map(|e| (e.record_kind.as_str(), e.action.as_str()))
            .collect();
        for want in [
            ("regional_issue", "create"),
            ("regional_issue", "link_case"),
            ("regional_issue", "update"),
            ("regional_issue", "read"),
            ("regional_issue", "list"),
            ("regional_issue", "counts"),
            ("regional_issue", "people"),
            ("issue_release", "release"),
        ] {
            assert!(kinds.contains(&want), "{want:?} in the audit log");
        }
    }
);
