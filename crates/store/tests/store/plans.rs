//! A plan from draft through the meeting to final, and a change by a copy.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    a_plan_goes_from_draft_through_the_meeting_to_final_and_is_changed_by_a_copy,
    |store: Store| async move {
        use yorisoi_domain::meeting::MeetingInput;
        use yorisoi_domain::plan::*;
        use yorisoi_domain::team::*;
        let o = office(&store, "よりそい", "p").await;
        let (client_id, case_id) = assessed_case(&store, &o).await;
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        // The office directory.
        let b_type = resources::create(
            &mut tx,
            &ResourceInput {
                category: "welfare".into(),
                service_type: "employment_b".into(),
                name: "ひかり作業所".into(),
                phone: "0120-000-000".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        let found = resources::list(
            &mut tx,
            &resources::ResourceFilter {
                q: "ヒカリ".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(found.len(), 1, "かな/カナ insensitive");
        // The draft comes from the assessment.
        let acc = tx
            .client_access(client_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        let id = plans::draft(&mut tx, &acc, case_id, d("2026-04-20"))
            .await
            .unwrap();
        assert!(matches!(
            plans::draft(&mut tx, &acc, case_id, d("2026-04-20")).await,
            Err(StoreError::Rule(_))
        ));
        let p = plans::get(&mut tx, &acc, id).await.unwrap();
        assert_eq!(p.state, PlanState::Draft);
        assert_eq!(p.record.wish_person, "A型で働きたい");
        assert_eq!(p.record.rows.len(), 1);
        assert_eq!(p.record.rows[0].need, "安定して働ける場がほしい");
        let mut input = PlanInput::from_record(&p.record);
        input.policy = "本人のペースで働く準備を整える".into();
        input.rows[0].service_type = "employment_b".into();
        input.rows[0].resource_id = b_type.to_string();
        input.rows[0].days = "月火木金".into();
        input.rows[0].time = "9:30-15:30".into();
        let r = input.validate(&p.record, today()).unwrap();
        let v = plans::update(&mut tx, &acc, id, p.version, &r)
            .await
            .unwrap();
        assert!(matches!(
            plans::update(&mut tx, &acc, id, p.version, &r).await,
            Err(StoreError::Conflict)
        ));
        let consent_of = |stage: &str| PlanConsentInput {
            stage: stage.into(),
            signed_on: "2026-04-21".into(),
            signer: "青木 明子".into(),
            role: "person".into(),
            explained: "yes".into(),
        };
        assert!(matches!(
            plans::add_consent(
                &mut tx,
                &acc,
                id,
                v,
                &consent_of("final").validate(today()).unwrap()
            )
            .await,
            Err(StoreError::Invalid(e)) if e.get("stage").is_some()
        ));
        let v = plans::add_consent(
            &mut tx,
            &acc,
            id,
            v,
            &consent_of("draft").validate(today()).unwrap(),
        )
        .await
        .unwrap();
        // Not 会議済 without a held meeting.
        assert!(matches!(
            plans::move_state(&mut tx, &acc, id, v, PlanState::Reviewed).await,
            Err(StoreError::Rule(_))
        ));
        // The team and consent to share.
        let team_acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let member = |kind: &str, name: &str| TeamMemberInput {
            kind: kind.into(),
            name: name.into(),
            ..Default::default()
        };
        let me = team::add_member(
            &mut tx,
            &team_acc,
            &member("person", "青木 明子").validate().unwrap(),
        )
        .await
        .unwrap();
        let sabikan = team::add_member(
            &mut tx,
            &team_acc,
            &member("provider", "ひかり作業所 佐藤").validate().unwrap(),
        )
        .await
        .unwrap();
        let cw = team::add_member(
            &mut tx,
            &team_acc,
            &member("municipality", "N市 生活保護CW").validate().unwrap(),
        )
        .await
        .unwrap();
        team::add_member(
            &mut tx,
            &team_acc,
            &member("family", "母").validate().unwrap(),
        )
        .await
        .unwrap();
        let members: Vec<i64> = team::members(&mut tx, &team_acc)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        let consent = ShareConsentInput {
            member_ids: vec![sabikan.to_string()],
            sections: vec!["plan".into(), "basic".into()],
            purpose: "サービス担当者会議".into(),
            given_on: "2026-04-21".into(),
            ..Default::default()
        }
        .validate(today(), &members)
        .unwrap();
        let c1 = team::give_consent(&mut tx, &team_acc, &consent, None)
            .await
            .unwrap();
        // The meeting refuses the caseworker, whom no consent covers.
        let mtg_acc = tx
            .client_access(client_id, RecordKind::Meeting, Action::Write)
            .await
            .unwrap();
        let mut mi = MeetingInput {
            held_on: "2026-05-08".into(),
            participants: vec![me.to_string(), sabikan.to_string(), cw.to_string()],
            attended: vec![me.to_string(), sabikan.to_string()],
            conclusions: "計画案のとおり進める".into(),
            cannot_do: "夜間の見守り".into(),
            held: "yes".into(),
            ..Default::default()
        };
        let e = meetings::validate(&tx, &mtg_acc, id, &mi, today())
            .await
            .unwrap()
            .unwrap_err();
        assert!(e.get("participants").unwrap().contains("N市 生活保護CW"));
        // Replace the consent with one that covers both: the old one is withdrawn, with history.
        let wider = ShareConsentRecord {
            member_ids: vec![sabikan, cw],
            ..consent.clone()
        };
        let wider_id = team::give_consent(&mut tx, &team_acc, &wider, Some(c1))
            .await
            .unwrap();
        let history = team::consents(&mut tx, &team_acc).await.unwrap();
        assert_eq!(history.len(), 2);
        assert!(
            history
                .iter()
                .any(|c| c.id == c1 && c.record.withdrawn_on.is_some())
        );
        // The plan carries the family's words (家族の意向): the mother's own consent must cover
        // the outside participants too.
        let e = meetings::validate(&tx, &mtg_acc, id, &mi, today())
            .await
            .unwrap()
            .unwrap_err();
        let m = e.get("participants").unwrap();
        assert!(
            m.contains("母さんの同意が") && m.contains("N市 生活保護CW"),
            "{m}"
        );
        let mothers = ShareConsentRecord {
            subject: "母".into(),
            ..wider.clone()
        };
        team::give_consent(&mut tx, &team_acc, &mothers, None)
            .await
            .unwrap();
        let rec = meetings::validate(&tx, &mtg_acc, id, &mi, today())
            .await
            .unwrap()
            .unwrap();
        let mid = meetings::create(&mut tx, &mtg_acc, id, &rec).await.unwrap();
        let p = plans::get(&mut tx, &acc, id).await.unwrap();
        assert_eq!(
            p.state,
            PlanState::Reviewed,
            "a held meeting moves the draft on"
        );
        // Final needs the provider, the plan date and the consent.
        let err = plans::move_state(&mut tx, &acc, id, p.version, PlanState::Final).await;
        assert!(
            matches!(err, Err(StoreError::Rule(m)) if m.contains("提供事業者名") && m.contains("同意"))
        );
        let mut input = PlanInput::from_record(&p.record);
        input.rows[0].provider = "ひかり作業所（佐藤）0120-000-000".into();
        input.decided_on = "2026-05-10".into();
        let r = input.validate(&p.record, today()).unwrap();
        let v = plans::update(&mut tx, &acc, id, p.version, &r)
            .await
            .unwrap();
        let mut fc = consent_of("final");
        fc.signed_on = "2026-05-10".into();
        let v = plans::add_consent(&mut tx, &acc, id, v, &fc.validate(today()).unwrap())
            .await
            .unwrap();
        let v = plans::move_state(&mut tx, &acc, id, v, PlanState::Final)
            .await
            .unwrap();
        let fin = plans::get(&mut tx, &acc, id).await.unwrap();
        assert_eq!(fin.state, PlanState::Final);
        assert!(!fin.editable());
        assert!(matches!(
            plans::update(&mut tx, &acc, id, v, &fin.record).await,
            Err(StoreError::Rule(_))
        ));
        let h = HandoverInput {
            stage: "final".into(),
            to: "本人、ひかり作業所".into(),
            on: "2026-05-10".into(),
            method: "in_person".into(),
        }
        .validate(today())
        .unwrap();
        plans::add_handover(&mut tx, &acc, id, v, &h).await.unwrap();
        let steps = fee_checklist(&plans::get(&mut tx, &acc, id).await.unwrap().record, true);
        assert_eq!(steps.iter().filter(|s| !s.done).count(), 1, "{steps:?}"); // the draft hand-over
        // Implementation: the provider's plan as a file, type read from its bytes.
        let key = fin.record.rows[0].key;
        let imp = ImplementationInput {
            provider: "ひかり作業所".into(),
            contract_on: "2026-05-12".into(),
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        let iv = plans::set_implementation(&mut tx, &acc, id, key, None, &imp)
            .await
            .unwrap();
        assert!(matches!(
            plans::set_implementation(&mut tx, &acc, id, key, None, &imp).await,
            Err(StoreError::Conflict)
        ));
        plans::set_implementation(&mut tx, &acc, id, key, Some(iv), &imp)
            .await
            .unwrap();
        assert!(matches!(
            plans::attach(&mut tx, &acc, id, key, "x.pdf", b"<script>".to_vec()).await,
            Err(StoreError::Invalid(e)) if e.get("file").is_some()
        ));
        let file = plans::attach(
            &mut tx,
            &acc,
            id,
            key,
            "個別支援計画.pdf",
            b"%PDF-1.4 test".to_vec(),
        )
        .await
        .unwrap();
        let imps = plans::implementations(&mut tx, &acc, id).await.unwrap();
        assert_eq!(imps[0].attachment.as_ref().unwrap().size, 13);
        let (name, ty, bytes) = plans::attachment(&mut tx, &acc, file).await.unwrap();
        assert_eq!(
            (name.as_str(), ty.as_str(), bytes.len()),
            ("個別支援計画.pdf", "application/pdf", 13)
        );
        // 計画変更: a new draft from a copy; the final version stays as it was.
        let v2 = plans::change(&mut tx, &acc, id, d("2026-10-01"))
            .await
            .unwrap();
        let p2 = plans::get(&mut tx, &acc, v2).await.unwrap();
        assert_eq!((p2.version_no, p2.state), (2, PlanState::Draft));
        assert_eq!(p2.record.rows[0].key, key);
        assert!(p2.record.consents.is_empty());
        assert!(!plans::get(&mut tx, &acc, id).await.unwrap().latest);
        let m = meetings::get(&mut tx, &mtg_acc, mid).await.unwrap();
        assert_eq!(m.record.cannot_do, vec!["夜間の見守り"]);
        // A withdrawal takes effect at once: editing the held meeting is refused now, and the
        // save itself checks again (a record validated before the withdrawal is refused beside
        // the participants).
        let checked = meetings::validate(&tx, &mtg_acc, id, &mi, today())
            .await
            .unwrap()
            .unwrap();
        team::withdraw(&mut tx, &team_acc, wider_id, d("2026-05-01"))
            .await
            .unwrap();
        assert!(matches!(
            meetings::update(&mut tx, &mtg_acc, mid, m.version, &checked).await,
            Err(StoreError::Invalid(e)) if e.get("participants").is_some()
        ));
        mi.conclusions = "変更".into();
        let rec = meetings::validate(&tx, &mtg_acc, id, &mi, today())
            .await
            .unwrap();
        assert!(rec.is_err());
        tx.commit().await.unwrap();

        // Nobody else gets in.
        for actor in [o.spec2, o.clerk] {
            let mut tx = store.begin(actor).await.unwrap();
            for kind in [RecordKind::Plan, RecordKind::Meeting, RecordKind::CareTeam] {
                assert!(matches!(
                    plans::access(&mut tx, id, kind, Action::Read).await,
                    Err(StoreError::NotFound)
                ));
            }
            tx.rollback().await.unwrap();
        }
        let other = office(&store, "ほか", "p2").await;
        let oc = add_client(&store, other.admin, a_san()).await;
        let mut tx = store.begin(other.admin).await.unwrap();
        assert!(matches!(
            plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            meetings::access(&mut tx, mid, Action::Read).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            resources::get(&mut tx, b_type).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            resources::list(&mut tx, &Default::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            plans::attachment_client(&tx, file).await,
            Err(StoreError::NotFound)
        ));
        // Another office cannot link this office's provider.
        let acc = tx
            .client_access(oc, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let mut linked = TeamMemberInput {
            kind: "provider".into(),
            name: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        linked.resource_id = Some(b_type);
        assert!(matches!(
            team::add_member(&mut tx, &acc, &linked).await,
            Err(StoreError::Invalid(e)) if e.get("resource_id").is_some()
        ));
        tx.rollback().await.unwrap();
    }
);

store_test!(
    one_field_refusals_name_their_field_and_a_plan_is_saved_over_its_read,
    |store: Store| async move {
        use yorisoi_domain::plan::*;
        let o = office(&store, "よりそい", "p").await;
        let (client_id, case_id) = assessed_case(&store, &o).await;
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        // Before the assessment: the draft's date is refused by name.
        assert!(matches!(
            plans::draft(&mut tx, &acc, case_id, d("2000-01-01")).await,
            Err(StoreError::Invalid(e)) if e.get("drafted_on").is_some()
        ));
        let id = plans::draft(&mut tx, &acc, case_id, d("2026-04-20"))
            .await
            .unwrap();
        let p = plans::get(&mut tx, &acc, id).await.unwrap();
        let h = HandoverInput {
            stage: "draft".into(),
            on: "2026-04-01".into(),
            method: "in_person".into(),
            to: "本人".into(),
        }
        .validate(d("2026-05-01"))
        .unwrap();
        assert!(matches!(
            plans::add_handover(&mut tx, &acc, id, p.version, &h).await,
            Err(StoreError::Invalid(e)) if e.get("on").is_some()
        ));
        // Saved over the plan as read: once, then stale.
        let mut r = p.record.clone();
        r.policy = "本人の希望から".into();
        let v = plans::save(&mut tx, &acc, &p, p.version, &r).await.unwrap();
        assert_eq!(v, p.version + 1);
        assert!(matches!(
            plans::save(&mut tx, &acc, &p, p.version, &r).await,
            Err(StoreError::Conflict)
        ));
        assert!(check_editable(false, PlanState::Draft).is_err());
        tx.commit().await.unwrap();
    }
);
