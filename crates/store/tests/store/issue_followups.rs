//! Issue 20's follow-ups in the office: a duplicate merged (cases moved once, the duplicate kept,
//! hidden and closed; a stale version of either refused with nothing changed), a resolved issue
//! linked to its new 社会資源, case vignettes (the case's access, the ledger check, release by a
//! lead only, what leaves the office), and the 加算's records (three parties, kept five years).

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::joint_support::{JointSupportInput, Party};
use yorisoi_domain::policy::Actor;
use yorisoi_domain::region::{IssueStatus, RegionalIssueInput};
use yorisoi_domain::team::ResourceInput;
use yorisoi_domain::vignette::VignetteInput;
use yorisoi_store::regional_issues::{self, IssueFilter};
use yorisoi_store::*;

fn issue(title: &str) -> yorisoi_domain::region::RegionalIssueRecord {
    RegionalIssueInput {
        title: title.into(),
        category: "mobility".into(),
        need: "休日に一人で外出したいが、移動支援の空きがない。".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn raise(store: &Store, by: Actor, title: &str, case_id: Option<i64>) -> i64 {
    let mut tx = store.begin(by).await.unwrap();
    let id = regional_issues::add(&mut tx, &issue(title), case_id)
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    id
}

async fn version(store: &Store, by: Actor, id: i64) -> i32 {
    let mut tx = store.read(by).await.unwrap();
    let v = regional_issues::get(&mut tx, id).await.unwrap().version;
    tx.commit().await.unwrap();
    v
}

store_test!(
    a_duplicate_is_merged_once_and_a_resolved_issue_links_its_resource,
    |store: Store| async move {
        let o = office(&store, "よりそい", "mg").await;
        let other = office(&store, "みなと", "mx").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let mut b = a_san();
        b.family_name = "馬場".into();
        b.family_name_kana = "ばば".into();
        let b_client = add_client(&store, o.spec, b).await;
        let b_case = open_case(&store, o.spec, b_client).await;
        let keep = raise(&store, o.spec, "休日の移動手段がない", Some(case_id)).await;
        let dup = raise(&store, o.spec, "休日の外出支援が足りない", Some(case_id)).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        regional_issues::link_case(&mut tx, dup, b_case)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let theirs = raise(&store, other.spec, "よその課題", None).await;

        // A stale version of either side is refused, and nothing changes.
        for (v, ov) in [(1, 2), (2, 1)] {
            let mut tx = store.begin(o.spec).await.unwrap();
            assert!(matches!(
                issue_followups::merge(&mut tx, keep, v, dup, ov).await,
                Err(StoreError::Conflict)
            ));
            tx.rollback().await.unwrap();
        }
        assert_eq!(version(&store, o.spec, dup).await, 1);
        let mut tx = store.read(o.spec).await.unwrap();
        assert_eq!(
            regional_issues::get(&mut tx, dup)
                .await
                .unwrap()
                .case_ids
                .len(),
            2
        );
        tx.commit().await.unwrap();
        // Not into itself, not another office's, not by the 事務 or another office.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            issue_followups::merge(&mut tx, keep, 1, keep, 1).await,
            Err(StoreError::Invalid(e)) if e.get("other").is_some()
        ));
        assert!(matches!(
            issue_followups::merge(&mut tx, keep, 1, theirs, 1).await,
            Err(StoreError::Invalid(e)) if e.get("other").is_some()
        ));
        tx.rollback().await.unwrap();
        for who in [o.clerk, other.admin] {
            let mut tx = store.begin(who).await.unwrap();
            assert!(matches!(
                issue_followups::merge(&mut tx, keep, 1, dup, 1).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }

        // The merge: the shared case stays linked once, Bさん's case moves.
        let mut tx = store.begin(o.spec).await.unwrap();
        let v = issue_followups::merge(&mut tx, keep, 1, dup, 1)
            .await
            .unwrap();
        assert_eq!(v, 2);
        let got = regional_issues::get(&mut tx, keep).await.unwrap();
        let mut cases = got.case_ids.clone();
        cases.sort();
        assert_eq!(cases, vec![case_id, b_case]);
        assert!(
            regional_issues::get(&mut tx, dup)
                .await
                .unwrap()
                .case_ids
                .is_empty()
        );
        let f = issue_followups::of(&mut tx, dup).await.unwrap();
        assert_eq!(f.merged_into.as_ref().map(|r| r.id), Some(keep));
        let f = issue_followups::of(&mut tx, keep).await.unwrap();
        assert_eq!(f.merged_from.len(), 1);
        // Hidden from the list and the counts unless asked for.
        let listed = regional_issues::list(&mut tx, &IssueFilter::default())
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        let all = regional_issues::list(
            &mut tx,
            &IssueFilter {
                include_merged: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all.iter().find(|s| s.id == dup).unwrap().merged_into,
            Some(keep)
        );
        let counted: i64 = regional_issues::counts(&mut tx)
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum();
        assert_eq!(counted, 1);
        // The merged one can be neither edited, linked, merged again nor released.
        let dv = regional_issues::get(&mut tx, dup).await.unwrap().version;
        assert!(matches!(
            regional_issues::update(&mut tx, dup, dv, &issue("x")).await,
            Err(StoreError::Rule(m)) if m.contains(&format!("#{keep} にまとめた"))
        ));
        assert!(matches!(
            regional_issues::link_case(&mut tx, dup, case_id).await,
            Err(StoreError::Rule(_))
        ));
        assert!(matches!(
            issue_followups::merge(&mut tx, dup, dv, keep, 2).await,
            Err(StoreError::Rule(_))
        ));
        tx.commit().await.unwrap();
        let lead = lead_of(&store, &o, "mglead").await;
        let mut tx = store.begin(lead).await.unwrap();
        assert!(matches!(
            regional_issues::release(&mut tx, dup, dv).await,
            Err(StoreError::Rule(_))
        ));
        tx.rollback().await.unwrap();
        // What waits for release: the kept issue, not the merged one nor another office's.
        let mut tx = store.read(lead).await.unwrap();
        assert_eq!(
            issue_followups::waiting_for_release_with_vignettes(&mut tx)
                .await
                .unwrap(),
            (1, 0)
        );
        tx.commit().await.unwrap();
        let mut tx = store.read(o.spec).await.unwrap();
        assert!(
            issue_followups::waiting_for_release_with_vignettes(&mut tx)
                .await
                .is_err(),
            "a specialist releases nothing"
        );
        tx.commit().await.unwrap();

        // 社会資源の開発: refused until the issue is resolved, and only the office's resource.
        let mut tx = store.begin(o.spec).await.unwrap();
        let res = resources::create(
            &mut tx,
            &ResourceInput {
                category: "informal".into(),
                name: "ボランティア外出サークル".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(other.admin).await.unwrap();
        let their_res = resources::create(
            &mut tx,
            &ResourceInput {
                category: "informal".into(),
                name: "よその資源".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            issue_followups::set_resource(&mut tx, keep, 2, Some(res)).await,
            Err(StoreError::Invalid(e))
                if e.get("resource_id").unwrap().contains("先に状況を「解決」に")
        ));
        let mut resolved = issue("休日の移動手段がない");
        resolved.status = IssueStatus::Resolved;
        let s = regional_issues::update(&mut tx, keep, 2, &resolved)
            .await
            .unwrap();
        assert!(matches!(
            issue_followups::set_resource(&mut tx, keep, s.version, Some(their_res)).await,
            Err(StoreError::Invalid(e)) if e.get("resource_id").is_some()
        ));
        assert!(matches!(
            issue_followups::set_resource(&mut tx, keep, s.version - 1, Some(res)).await,
            Err(StoreError::Conflict)
        ));
        let v = issue_followups::set_resource(&mut tx, keep, s.version, Some(res))
            .await
            .unwrap();
        assert_eq!(v, s.version + 1);
        let f = issue_followups::of(&mut tx, keep).await.unwrap();
        assert_eq!(
            f.resource.map(|r| r.name),
            Some("ボランティア外出サークル".into())
        );
        let by = issue_followups::resolved_by(&mut tx, res).await.unwrap();
        assert_eq!(by.len(), 1);
        assert_eq!(by[0].id, keep);
        // Moved back from 解決 with the link kept: refused on the field.
        let mut back = resolved.clone();
        back.status = IssueStatus::Continuing;
        let s = regional_issues::update(&mut tx, keep, v, &back)
            .await
            .unwrap();
        assert!(matches!(
            issue_followups::set_resource(&mut tx, keep, s.version, Some(res)).await,
            Err(StoreError::Invalid(_))
        ));
        issue_followups::set_resource(&mut tx, keep, s.version, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // Another office sees nothing of it.
        let mut tx = store.begin(other.admin).await.unwrap();
        assert!(
            issue_followups::resolved_by(&mut tx, res)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            issue_followups::of(&mut tx, keep).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();

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
        let merges = events
            .iter()
            .filter(|e| e.record_kind == "regional_issue" && e.action == "merge")
            .count();
        assert_eq!(merges, 2, "one event on each side");
        assert!(events.iter().any(|e| e.action == "link_resource"));
    }
);

fn vignette(body: &str, issue_id: Option<i64>) -> yorisoi_domain::vignette::VignetteRecord {
    VignetteInput {
        title: "夜間の不安に相談先がない事例".into(),
        body: body.into(),
        issue_id: issue_id.map(|i| i.to_string()).unwrap_or_default(),
    }
    .validate()
    .unwrap()
}

store_test!(
    a_vignette_follows_its_case_and_leaves_the_office_only_released_and_de_identified,
    |store: Store| async move {
        let o = office(&store, "よりそい", "vg").await;
        let other = office(&store, "みなと", "vx").await;
        let lead = lead_of(&store, &o, "vglead").await;
        let mut a = a_san();
        a.phone = "090-1234-5678".into();
        let client_id = add_client(&store, o.spec, a).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let issue_id = raise(&store, o.spec, "夜間の相談窓口がない", Some(case_id)).await;
        let theirs = raise(&store, other.spec, "よその課題", None).await;

        // Only someone who may write the case writes one: not the colleague it is not assigned
        // to, not the 事務, not another office.
        let clean = vignette(
            "40代の女性。夜間に不安が強くなっても相談できる先がない。",
            Some(issue_id),
        );
        for who in [o.spec2, o.clerk, other.admin] {
            let mut tx = store.begin(who).await.unwrap();
            assert!(matches!(
                vignettes::add(&mut tx, case_id, &clean).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            vignettes::add(&mut tx, case_id, &vignette("x", Some(theirs))).await,
            Err(StoreError::Invalid(e)) if e.get("issue_id").is_some()
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let first = vignettes::add(&mut tx, case_id, &clean).await.unwrap();
        assert!(first.findings.is_empty());
        // Saved with a warning when the text names the person.
        let named = vignettes::add(
            &mut tx,
            case_id,
            &vignette("青木明子さんは夜間に不安が強い。連絡先 090-1234-5678", None),
        )
        .await
        .unwrap();
        assert_eq!(named.findings.len(), 2);
        assert!(named.findings[0].message.contains("「支援の経過と課題」"));
        tx.commit().await.unwrap();
        for who in [o.spec2, o.clerk, other.admin] {
            let mut tx = store.begin(who).await.unwrap();
            assert!(matches!(
                vignettes::get(&mut tx, first.id).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        // The colleague's list counts it, never shows it.
        let mut tx = store.read(o.spec2).await.unwrap();
        let l = vignettes::list(&mut tx, None).await.unwrap();
        assert!(l.vignettes.is_empty());
        assert_eq!(l.others, 2);
        tx.commit().await.unwrap();

        // The specialist cannot release; the lead cannot while the ledger check finds anything.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            vignettes::release(&mut tx, first.id, 1).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(lead).await.unwrap();
        match vignettes::release(&mut tx, named.id, 1).await {
            Err(StoreError::Invalid(e)) => {
                let m = e.get("body").unwrap();
                assert!(
                    m.starts_with("公開できません。") && m.contains("青木明子"),
                    "{m}"
                );
            }
            other => panic!("released a named text: {other:?}"),
        }
        assert!(matches!(
            vignettes::release(&mut tx, first.id, 2).await,
            Err(StoreError::Conflict)
        ));
        let v = vignettes::release(&mut tx, first.id, 1).await.unwrap();
        tx.commit().await.unwrap();
        let today = today_jst();
        let mut tx = store.read(lead).await.unwrap();
        let out = vignettes::released(&mut tx, today, today).await.unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].id, first.id);
        assert_eq!(out[0].issue_id, Some(issue_id));
        assert_eq!(out[0].released_on, today);
        let before = today - chrono::Duration::days(1);
        assert!(
            vignettes::released(&mut tx, before, before)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(vignettes::waiting_for_release(&mut tx).await.unwrap(), 1);
        tx.commit().await.unwrap();
        // Another office's paper gets none of it; the 事務 nothing at all.
        let mut tx = store.read(other.admin).await.unwrap();
        assert!(
            vignettes::released(&mut tx, today, today)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
        let mut tx = store.read(o.clerk).await.unwrap();
        assert!(matches!(
            vignettes::released(&mut tx, today, today).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();

        // An edit of the text takes the release back; a stale edit is refused.
        let mut tx = store.begin(o.spec).await.unwrap();
        let mut edited = clean.clone();
        edited.body.push_str("（追記）");
        assert!(matches!(
            vignettes::update(&mut tx, first.id, v - 1, &edited).await,
            Err(StoreError::Conflict)
        ));
        let s = vignettes::update(&mut tx, first.id, v, &edited)
            .await
            .unwrap();
        assert_eq!(s.version, v + 1);
        let got = vignettes::get(&mut tx, first.id).await.unwrap();
        assert!(got.released_on.is_none());
        assert_eq!(got.case_id, case_id);
        tx.commit().await.unwrap();
        let mut tx = store.read(lead).await.unwrap();
        assert!(
            vignettes::released(&mut tx, today, today)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();

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
        for want in [
            "create_vignette",
            "read_vignette",
            "update_vignette",
            "release_vignette",
            "list_vignettes",
            "released_vignettes",
        ] {
            assert!(events.iter().any(|e| e.action == want), "{want}");
        }
    }
);

fn party(name: &str, org: &str) -> Party {
    Party {
        name: name.into(),
        organisation: org.into(),
    }
}

store_test!(
    a_joint_support_record_needs_three_parties_and_is_kept_five_years,
    |store: Store| async move {
        let o = office(&store, "よりそい", "js").await;
        let other = office(&store, "みなと", "jx").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let case_id = open_case(&store, o.spec, client_id).await;
        let input = JointSupportInput {
            worked_on: "R8.10.5".into(),
            parties: vec![
                party("佐藤 一郎", "N市障害福祉課"),
                party("鈴木 花子", "グループホームさくら"),
                party("田中 次郎", "成年後見人"),
            ],
            reported_on: "2026-11-20".into(),
            report_title: "地域移行の共同支援".into(),
            summary: "三者で共同して支援した。".into(),
            issue_id: String::new(),
        };
        let r = input.validate().unwrap();
        for who in [o.spec2, o.clerk, other.admin] {
            let mut tx = store.begin(who).await.unwrap();
            assert!(matches!(
                joint_support::add(&mut tx, case_id, &r).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let mut tx = store.begin(o.spec).await.unwrap();
        let id = joint_support::add(&mut tx, case_id, &r).await.unwrap();
        let got = joint_support::get(&mut tx, id).await.unwrap();
        assert_eq!(got.record.parties.len(), 3);
        assert_eq!(
            got.keep_until,
            NaiveDate::from_ymd_opt(2031, 11, 20).unwrap()
        );
        // The report moves, the keeping period follows; a stale edit is refused.
        let mut later = input.clone();
        later.reported_on = "R8.12.1".into();
        let later = later.validate().unwrap();
        assert!(matches!(
            joint_support::update(&mut tx, id, 2, &later).await,
            Err(StoreError::Conflict)
        ));
        let v = joint_support::update(&mut tx, id, 1, &later).await.unwrap();
        let got = joint_support::get(&mut tx, id).await.unwrap();
        assert_eq!(
            got.keep_until,
            NaiveDate::from_ymd_opt(2031, 12, 1).unwrap()
        );
        // Not deleted before the five years, with the day it may go.
        match joint_support::delete(&mut tx, id, v, today()).await {
            Err(StoreError::Rule(m)) => assert!(m.contains("令和13年12月1日"), "{m}"),
            other => panic!("deleted early: {other:?}"),
        }
        tx.commit().await.unwrap();
        for who in [o.spec2, o.clerk, other.admin] {
            let mut tx = store.begin(who).await.unwrap();
            assert!(matches!(
                joint_support::get(&mut tx, id).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let mut tx = store.read(o.spec2).await.unwrap();
        let l = joint_support::list(&mut tx, None).await.unwrap();
        assert!(l.records.is_empty());
        assert_eq!(l.others, 1);
        tx.commit().await.unwrap();
        let mut tx = store.read(o.spec).await.unwrap();
        let l = joint_support::list(&mut tx, None).await.unwrap();
        assert_eq!(l.records.len(), 1);
        assert_eq!(l.records[0].case_id, case_id);
        assert_eq!(l.records[0].parties, 3);
        tx.commit().await.unwrap();
        // After the keeping period it may go.
        let mut tx = store.begin(o.spec).await.unwrap();
        let after = NaiveDate::from_ymd_opt(2031, 12, 1).unwrap();
        joint_support::delete(&mut tx, id, v, after).await.unwrap();
        assert!(matches!(
            joint_support::get(&mut tx, id).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
    }
);
