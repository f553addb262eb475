//! The office's 地域課題 categories: an own category counts as its default once the issue leaves
//! the office (and follows when that changes); another office's category is refused; a retired
//! one stays on its issues; two of one name are refused; a stale edit is a 409; a specialist
//! reads the list but does not set it; the 事務 and other offices get nothing.

use crate::common::*;
use yorisoi_domain::region::{IssueCategory, OwnCategoryInput, RegionalIssueInput};
use yorisoi_store::regional_issues::{self, IssueFilter};
use yorisoi_store::*;

fn own(label: &str, counts_as: &str) -> yorisoi_domain::region::OwnCategoryRecord {
    OwnCategoryInput {
        label: label.into(),
        counts_as: counts_as.into(),
        active: String::new(),
    }
    .validate()
    .unwrap()
}

fn issue(category: &str) -> RegionalIssueInput {
    RegionalIssueInput {
        title: "災害時に過ごせる場がない".into(),
        category: category.into(),
        need: "避難所で過ごすことが難しい人の、落ち着ける場がない。".into(),
        resource: "福祉避難所".into(),
        area: "N市北部圏域".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
}

store_test!(
    an_own_category_counts_as_its_default_outside_the_office,
    |store: Store| async move {
        let o = office(&store, "よりそい", "ic").await;
        let other = office(&store, "みなと", "ix").await;
        let lead = lead_of(&store, &o, "iclead").await;

        // The lead adds a category counted as 住まい in the region.
        let mut tx = store.begin(lead).await.unwrap();
        let disaster = issue_categories::add(&mut tx, &own("災害時の支援", "housing"))
            .await
            .unwrap();
        assert_eq!(disaster.code, format!("own-{}", disaster.id));
        // Two of one name are refused on the label.
        let twice = issue_categories::add(&mut tx, &own("災害時の支援", "other")).await;
        assert!(
            matches!(&twice, Err(StoreError::Invalid(e)) if e.get("label").is_some()),
            "{twice:?}"
        );
        tx.commit().await.unwrap();

        // The specialist reads the list and raises an issue in it; it carries 住まい.
        let mut tx = store.begin(o.spec).await.unwrap();
        let list = issue_categories::list(&mut tx).await.unwrap();
        assert_eq!(list.own.len(), 1);
        let r = issue(&disaster.code).validate_in(&list).unwrap();
        assert_eq!(r.category, IssueCategory::Housing);
        let id = regional_issues::add(&mut tx, &r, None).await.unwrap().id;
        let got = regional_issues::get(&mut tx, id).await.unwrap();
        assert_eq!(got.record.own_category, Some(disaster.id));
        assert_eq!(got.record.category, IssueCategory::Housing);
        // The office lists it under its own name; filtering by the default leaves it out.
        let mine = regional_issues::list(
            &mut tx,
            &IssueFilter {
                category: Some((IssueCategory::Housing, Some(disaster.id))),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].category_label, "災害時の支援");
        let housing = regional_issues::list(
            &mut tx,
            &IssueFilter {
                category: Some((IssueCategory::Housing, None)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(housing.is_empty());
        let counts = regional_issues::counts(&mut tx).await.unwrap();
        assert_eq!(counts.len(), 1);
        assert_eq!(counts[0].own_category, Some(disaster.id));
        // The specialist cannot set the list (the same 404 as any refusal).
        assert!(matches!(
            issue_categories::add(&mut tx, &own("ひきこもり", "other")).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            issue_categories::set_unused(&mut tx, &[IssueCategory::Children]).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();

        // Released, it goes out as 住まい; the own name stays in the office.
        let mut tx = store.begin(lead).await.unwrap();
        let v = regional_issues::get(&mut tx, id).await.unwrap().version;
        regional_issues::release(&mut tx, id, v).await.unwrap();
        let out = region::office_released(&mut tx, today_jst()).await.unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].category, IssueCategory::Housing);
        assert!(!format!("{out:?}").contains("災害時の支援"));

        // Counted as その他 from now on: the issue follows. A stale edit is a 409.
        let moved = issue_categories::update(
            &mut tx,
            disaster.id,
            disaster.version,
            &own("災害時の支援", "other"),
        )
        .await
        .unwrap();
        assert_eq!(moved.counts_as, IssueCategory::Other);
        let stale =
            issue_categories::update(&mut tx, disaster.id, disaster.version, &own("災害", "work"))
                .await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
        let out = region::office_released(&mut tx, today_jst()).await.unwrap();
        assert_eq!(out[0].category, IssueCategory::Other);
        // Retired, it stays on its issue and still resolves for an edit of it.
        let mut retired = own("災害時の支援", "other");
        retired.active = false;
        issue_categories::update(&mut tx, disaster.id, moved.version, &retired)
            .await
            .unwrap();
        let list = issue_categories::list(&mut tx).await.unwrap();
        assert!(list.choices("").iter().all(|(c, _, _)| *c != disaster.code));
        assert!(issue(&disaster.code).validate_in(&list).is_ok());
        // Defaults not used are not offered; その他 always is.
        let list =
            issue_categories::set_unused(&mut tx, &[IssueCategory::Children, IssueCategory::Other])
                .await
                .unwrap();
        assert_eq!(list.unused, vec![IssueCategory::Children]);
        assert!(list.choices("").iter().all(|(c, _, _)| c != "children"));
        tx.commit().await.unwrap();

        // Another office neither sees the category nor can use its number.
        let mut tx = store.begin(other.spec).await.unwrap();
        let theirs = issue_categories::list(&mut tx).await.unwrap();
        assert!(theirs.own.is_empty() && theirs.unused.is_empty());
        let mut forged = issue("other").validate().unwrap();
        forged.own_category = Some(disaster.id);
        let refused = regional_issues::add(&mut tx, &forged, None).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(e)) if e.get("category").is_some()),
            "{refused:?}"
        );
        drop(tx);
        let mut tx = store.begin(other.admin).await.unwrap();
        assert!(matches!(
            issue_categories::update(&mut tx, disaster.id, 3, &own("乗っ取り", "other")).await,
            Err(StoreError::NotFound)
        ));
        drop(tx);
        // The 事務 gets nothing.
        let mut tx = store.begin(o.clerk).await.unwrap();
        assert!(matches!(
            issue_categories::list(&mut tx).await,
            Err(StoreError::NotFound)
        ));
    }
);
