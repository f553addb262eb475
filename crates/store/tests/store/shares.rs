//! Sharing a document with the care team: refused (naming whom) without an account or a
//! consent; opened only by its recipient while it stands (not revoked, not past its date, the
//! consent not withdrawn); its receipt fills the plan's 交付 once; every step in the log.

use crate::common::*;
use crate::outside::{consent, joined, member, outsider};
use chrono::Duration;
use yorisoi_domain::plan::HandoverMethod;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_domain::team::{ShareRequest, SharedDocKind};
use yorisoi_store::shares::{self, ShareStatus, SharedRecord};
use yorisoi_store::*;

async fn share(
    store: &Store,
    by: Actor,
    client_id: i64,
    req: &ShareRequest,
) -> std::result::Result<Vec<i64>, StoreError> {
    let mut tx = store.begin(by).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let r = shares::create(&mut tx, &acc, req).await;
    if r.is_ok() {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
    r
}

fn plan_to(plan_id: i64, members: &[i64]) -> ShareRequest {
    ShareRequest {
        doc: SharedDocKind::Plan,
        record_id: plan_id,
        member_ids: members.to_vec(),
        expires_on: Some(today_jst() + Duration::days(30)),
        message: "ご確認ください".into(),
    }
}

async fn opens(store: &Store, who: Actor, share_id: i64) -> bool {
    let mut tx = store.read(who).await.unwrap();
    let ok = shares::open(&mut tx, share_id).await.is_ok();
    tx.commit().await.unwrap();
    ok
}

async fn handovers(store: &Store, by: Actor, plan_id: i64) -> Vec<yorisoi_domain::plan::Handover> {
    let mut tx = store.read(by).await.unwrap();
    let acc = plans::access(&mut tx, plan_id, RecordKind::Plan, Action::Read)
        .await
        .unwrap();
    let p = plans::get(&mut tx, &acc, plan_id).await.unwrap();
    tx.commit().await.unwrap();
    p.record.handovers
}

store_test!(
    a_share_is_refused_naming_whom_and_its_receipt_fills_the_handover,
    |store: Store| async move {
        let o = office(&store, "よりそい", "s").await;
        let (client_id, _case, plan_id) = monitored_case(&store, &o).await;
        let sato = member(&store, o.spec, client_id, "provider", "佐藤 サビ管").await;
        let tanaka = member(&store, o.spec, client_id, "provider", "田中 一郎").await;
        let me = joined(&store, o.spec, client_id, sato, "shikari").await;

        // No account, no consent: nothing is shared, and the refusal says who lacks what.
        let Err(StoreError::Invalid(e)) = share(
            &store,
            o.spec,
            client_id,
            &plan_to(plan_id, &[sato, tanaka]),
        )
        .await
        else {
            panic!("a share without consent or account must be refused");
        };
        let why = e.get("member_ids").unwrap().to_string();
        assert!(
            why.contains("佐藤 サビ管") && why.contains("同意がありません"),
            "{why}"
        );
        assert!(
            why.contains("田中 一郎") && why.contains("参加していません"),
            "{why}"
        );
        assert!(
            shares::mine(&mut store.read(me).await.unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        let consent_id = consent(&store, o.spec, client_id, sato, &["plan"]).await;
        let ids = share(&store, o.spec, client_id, &plan_to(plan_id, &[sato]))
            .await
            .unwrap();
        // A plan carrying a family member's own words needs that member's consent too.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = plans::access(&mut tx, plan_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        let mut p = plans::get(&mut tx, &acc, plan_id).await.unwrap();
        p.record
            .family_wishes
            .push(yorisoi_domain::assessment::FamilyWish {
                name: "青木 実".into(),
                relation: "兄".into(),
                words: "無理をしないでほしい".into(),
            });
        testing::overwrite_plan(&mut tx, plan_id, &p.record)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let Err(StoreError::Invalid(e)) =
            share(&store, o.spec, client_id, &plan_to(plan_id, &[sato])).await
        else {
            panic!("the brother's words need his consent");
        };
        let why = e.get("member_ids").unwrap().to_string();
        assert!(why.contains("青木 実さん自身の同意がありません"), "{why}");
        // His own consent to the provider, and the plan goes.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let own = yorisoi_domain::team::ShareConsentInput {
            subject: "青木 実".into(),
            member_ids: vec![sato.to_string()],
            sections: vec!["plan".into()],
            purpose: "サービス提供のため".into(),
            given_on: "2026-05-01".into(),
            ..Default::default()
        }
        .validate(
            today(),
            &team::active_member_ids(&mut tx, &acc).await.unwrap(),
        )
        .unwrap();
        team::give_consent(&mut tx, &acc, &own, None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), 1);
        let id = ids[0];

        // The recipient sees it listed, opens it, reads the plan, acknowledges receipt.
        let mut tx = store.read(me).await.unwrap();
        let mine = shares::mine(&mut tx).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].1, "青木 明子");
        assert!(mine[0].0.title.contains("第1版"), "{}", mine[0].0.title);
        let g = shares::open(&mut tx, id).await.unwrap();
        assert_eq!(g.recipient_label(), "佐藤 サビ管（ひかり作業所）");
        let (rec, client, _) = shares::record(&mut tx, &g, "PDF").await.unwrap();
        assert!(matches!(rec, SharedRecord::Plan(p) if p.id == plan_id));
        assert_eq!(client.id, client_id);
        tx.commit().await.unwrap();
        let before = handovers(&store, o.spec, plan_id).await.len();
        for _ in 0..2 {
            let mut tx = store.begin(me).await.unwrap();
            let g = shares::open(&mut tx, id).await.unwrap();
            shares::receive(&mut tx, &g).await.unwrap();
            tx.commit().await.unwrap();
        }
        let hs = handovers(&store, o.spec, plan_id).await;
        assert_eq!(hs.len(), before + 1, "received once, handed over once");
        let h = hs.last().unwrap();
        assert_eq!(h.method, HandoverMethod::Yorisoi);
        assert_eq!(h.to, "佐藤 サビ管（ひかり作業所）");
        assert_eq!(h.on, today_jst());

        // Nobody else opens it: the office's staff, another member of the team, an outsider
        // of another office.
        assert!(!opens(&store, o.spec, id).await);
        let other = member(&store, o.spec, client_id, "provider", "鈴木 花子").await;
        consent(&store, o.spec, client_id, other, &["plan"]).await;
        let suzuki = joined(&store, o.spec, client_id, other, "ssuzuki").await;
        assert!(!opens(&store, suzuki, id).await);
        let p = office(&store, "となり", "t").await;
        assert!(!opens(&store, outsider(p.admin.office_id, me.user_id), id).await);

        // The specialist sees it received; revoked, it opens no more.
        let mut tx = store.read(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Read)
            .await
            .unwrap();
        let rows = shares::list(&mut tx, &acc).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rows[0].share.status, ShareStatus::Received);
        assert_eq!(rows[0].to, "佐藤 サビ管（ひかり作業所）");
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        shares::revoke(&mut tx, &acc, id).await.unwrap();
        assert!(matches!(
            shares::revoke(&mut tx, &acc, id).await,
            Err(StoreError::Rule(_))
        ));
        tx.commit().await.unwrap();
        assert!(!opens(&store, me, id).await);
        assert!(
            shares::mine(&mut store.read(me).await.unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        // A share past its date, and one whose consent is withdrawn, open no more either.
        let mut old = plan_to(plan_id, &[sato]);
        old.expires_on = Some(today_jst() - Duration::days(1));
        let expired = share(&store, o.spec, client_id, &old).await.unwrap()[0];
        assert!(!opens(&store, me, expired).await);
        let fresh = share(&store, o.spec, client_id, &plan_to(plan_id, &[sato]))
            .await
            .unwrap()[0];
        assert!(opens(&store, me, fresh).await);
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        team::withdraw(&mut tx, &acc, consent_id, today_jst())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(!opens(&store, me, fresh).await);

        // The log holds the share, the receipt and the revocation with the recipient named.
        let mut tx = store.read(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Read)
            .await
            .unwrap();
        let log = outside::disclosures(&mut tx, &acc, None).await.unwrap();
        tx.commit().await.unwrap();
        for action in ["share", "receive", "unshare", "disclose"] {
            assert!(
                log.iter().any(|d| d.action == action),
                "{action} missing from the disclosures"
            );
        }
        let shared = log.iter().find(|d| d.action == "share").unwrap();
        assert!(
            shared.detail.contains("佐藤 サビ管") && shared.detail.contains("同意#"),
            "{}",
            shared.detail
        );
    }
);

store_test!(
    the_person_receives_their_own_plan_without_a_consent,
    |store: Store| async move {
        let o = office(&store, "よりそい", "q").await;
        let (client_id, _case, plan_id) = monitored_case(&store, &o).await;
        let row = member(&store, o.spec, client_id, "person", "青木 明子").await;
        let person = joined(&store, o.spec, client_id, row, "qaoki").await;
        let id = share(&store, o.spec, client_id, &plan_to(plan_id, &[row]))
            .await
            .unwrap()[0];
        assert!(opens(&store, person, id).await);
        // The assessment sheet holds medical and family information too: each section needs
        // a consent, and the refusal lists the ones missing.
        let mut tx = store.read(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Read)
            .await
            .unwrap();
        let sheet = shares::shareable(&mut tx, &acc)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.key.starts_with("assessment:"))
            .expect("the case's assessment is offered");
        tx.commit().await.unwrap();
        let req = ShareRequest {
            doc: SharedDocKind::Assessment,
            record_id: sheet.key["assessment:".len()..].parse().unwrap(),
            ..plan_to(plan_id, &[row])
        };
        let Err(StoreError::Invalid(e)) = share(&store, o.spec, client_id, &req).await else {
            panic!("an assessment without consent must be refused");
        };
        let why = e.get("member_ids").unwrap().to_string();
        assert!(
            why.contains("アセスメント")
                && why.contains("医療・服薬")
                && why.contains("家族の情報"),
            "{why}"
        );
        consent(
            &store,
            o.spec,
            client_id,
            row,
            &["assessment", "medical", "family"],
        )
        .await;
        let sheet_share = share(&store, o.spec, client_id, &req).await.unwrap()[0];
        let mut tx = store.read(person).await.unwrap();
        let g = shares::open(&mut tx, sheet_share).await.unwrap();
        let (rec, _, _) = shares::record(&mut tx, &g, "PDF").await.unwrap();
        assert!(matches!(rec, SharedRecord::Assessment(_)));
        tx.commit().await.unwrap();
        // A document of another client is not theirs to share.
        let other_client = add_client(&store, o.spec, a_san()).await;
        assert!(matches!(
            share(&store, o.spec, other_client, &plan_to(plan_id, &[row])).await,
            Err(StoreError::NotFound)
        ));
    }
);

/// The consent states a member's row is checked in, one client each.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    /// A consent in force naming the member for the section.
    Given,
    /// A consent in force naming the member, for the other sections only.
    ScopedOut,
    /// The consent given, then withdrawn.
    Withdrawn,
    /// A consent that starts tomorrow (not yet in force).
    NotYet,
}

store_test!(
    every_outside_kind_section_and_consent_state_is_decided_by_the_one_policy,
    |store: Store| async move {
        use yorisoi_domain::team::{ShareConsentInput, ShareSection};
        let o = office(&store, "よりそい", "m").await;
        let p = office(&store, "となり", "n").await;
        let kinds = ["provider", "municipality", "medical", "family", "person"];
        let states = [
            State::Given,
            State::ScopedOut,
            State::Withdrawn,
            State::NotYet,
        ];
        // One account per kind, bound to that kind's row on each state's client.
        let mut accounts: Vec<Option<Actor>> = vec![None; kinds.len()];
        let mut clients = Vec::new();
        for state in states {
            let client_id = add_client(&store, o.spec, a_san()).await;
            clients.push((state, client_id));
            for (k, kind) in kinds.iter().enumerate() {
                let m = member(&store, o.spec, client_id, kind, &format!("{kind} 一郎")).await;
                let mut tx = store.begin(o.spec).await.unwrap();
                let acc = tx
                    .client_access(client_id, RecordKind::CareTeam, Action::Write)
                    .await
                    .unwrap();
                let ids = team::active_member_ids(&mut tx, &acc).await.unwrap();
                for (sections, given_on) in match state {
                    State::Given => vec![(ShareSection::ALL.to_vec(), today_jst())],
                    // Everything but 基本情報 and アセスメント (the scoped-out sections).
                    State::ScopedOut => vec![(
                        ShareSection::ALL
                            .iter()
                            .copied()
                            .filter(|s| {
                                !matches!(s, ShareSection::Basic | ShareSection::Assessment)
                            })
                            .collect(),
                        today_jst(),
                    )],
                    State::Withdrawn | State::NotYet => vec![(
                        ShareSection::ALL.to_vec(),
                        if state == State::NotYet {
                            today_jst() + Duration::days(1)
                        } else {
                            today_jst() - Duration::days(30)
                        },
                    )],
                } {
                    let mut c = ShareConsentInput {
                        member_ids: vec![m.to_string()],
                        sections: sections.iter().map(|s| s.code().to_string()).collect(),
                        purpose: "サービス提供のため".into(),
                        given_on: (today_jst() - Duration::days(30)).to_string(),
                        ..Default::default()
                    }
                    .validate(today_jst(), &ids)
                    .unwrap();
                    c.given_on = given_on;
                    let id = team::give_consent(&mut tx, &acc, &c, None).await.unwrap();
                    if state == State::Withdrawn {
                        team::withdraw(&mut tx, &acc, id, today_jst())
                            .await
                            .unwrap();
                    }
                }
                tx.commit().await.unwrap();
                match accounts[k] {
                    None => {
                        accounts[k] =
                            Some(joined(&store, o.spec, client_id, m, &format!("m{kind}")).await)
                    }
                    Some(a) => {
                        let code = crate::outside::invite(&store, o.spec, client_id, m).await;
                        outside::join_existing(&store, &code, a.user_id, now_utc())
                            .await
                            .unwrap()
                            .unwrap();
                    }
                }
            }
        }
        let other_client = add_client(&store, p.spec, a_san()).await;
        let mut cells = 0;
        for (k, kind) in kinds.iter().enumerate() {
            let who = accounts[k].unwrap();
            for (state, client_id) in &clients {
                for section in ShareSection::ALL {
                    let own = *kind == "person"
                        && matches!(
                            section,
                            ShareSection::Basic | ShareSection::Plan | ShareSection::Monitoring
                        );
                    let consented = match state {
                        State::Given => true,
                        State::ScopedOut => {
                            !matches!(section, ShareSection::Basic | ShareSection::Assessment)
                        }
                        State::Withdrawn | State::NotYet => false,
                    };
                    let mut tx = store.read(who).await.unwrap();
                    let got = tx.shared_access(*client_id, *section).await.is_ok();
                    tx.commit().await.unwrap();
                    assert_eq!(got, own || consented, "{kind} {state:?} {section:?}");
                    // Another office's client: never, whatever the state.
                    let mut tx = store.read(who).await.unwrap();
                    assert!(tx.shared_access(other_client, *section).await.is_err());
                    tx.commit().await.unwrap();
                    cells += 2;
                }
            }
        }
        assert_eq!(
            cells,
            kinds.len() * states.len() * ShareSection::ALL.len() * 2
        );
    }
);
