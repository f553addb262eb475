//! The care team outside the office: an invitation is redeemed once, within 48 hours, into an
//! account bound to one member row; that account reads only the sections a consent in force
//! covers, only while on the team, only of that client and office — and every view is logged
//! as a disclosure naming the recipient, the items and the consent.

use crate::common::*;
use chrono::Duration;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_domain::team::{ShareConsentInput, ShareSection, TeamMemberInput};
use yorisoi_store::outside::{self, JoinError, NewAccount, Refusal};
use yorisoi_store::*;

fn account(login: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        display_name: "佐藤 サビ管".into(),
        password: "correct horse battery staple".into(),
        password_again: "correct horse battery staple".into(),
    }
}

pub(crate) async fn member(
    store: &Store,
    by: Actor,
    client_id: i64,
    kind: &str,
    name: &str,
) -> i64 {
    let mut tx = store.begin(by).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let id = team::add_member(
        &mut tx,
        &acc,
        &TeamMemberInput {
            kind: kind.into(),
            name: name.into(),
            organisation: "ひかり作業所".into(),
            ..Default::default()
        }
        .validate()
        .unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) async fn consent(
    store: &Store,
    by: Actor,
    client_id: i64,
    member_id: i64,
    sections: &[&str],
) -> i64 {
    let mut tx = store.begin(by).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let ids = team::active_member_ids(&mut tx, &acc).await.unwrap();
    let c = ShareConsentInput {
        member_ids: vec![member_id.to_string()],
        sections: sections.iter().map(|s| s.to_string()).collect(),
        purpose: "サービス提供のため".into(),
        given_on: "2026-05-01".into(),
        ..Default::default()
    }
    .validate(today(), &ids)
    .unwrap();
    let id = team::give_consent(&mut tx, &acc, &c, None).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) async fn invite(store: &Store, by: Actor, client_id: i64, member_id: i64) -> String {
    let mut tx = store.begin(by).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let issued = outside::invite(&mut tx, &acc, member_id).await.unwrap();
    tx.commit().await.unwrap();
    issued.code
}

pub(crate) fn outsider(office_id: i64, user_id: i64) -> Actor {
    Actor {
        user_id,
        office_id,
        role: Role::Outside,
    }
}

/// Whether the outsider may read `section` of `client_id` now.
async fn sees(store: &Store, who: Actor, client_id: i64, section: ShareSection) -> bool {
    let mut tx = store.read(who).await.unwrap();
    let ok = tx.shared_access(client_id, section).await.is_ok();
    tx.commit().await.unwrap();
    ok
}

/// The member row invited and redeemed with a new account `login`: the outside actor.
pub(crate) async fn joined(
    store: &Store,
    by: Actor,
    client_id: i64,
    member_id: i64,
    login: &str,
) -> Actor {
    let code = invite(store, by, client_id, member_id).await;
    let user_id = outside::join_new(store, &code, &account(login), now_utc())
        .await
        .unwrap()
        .unwrap();
    outsider(by.office_id, user_id)
}

/// The providers' reports (and the person's words) on the plan, as the specialist reads them.
async fn reports_on(
    store: &Store,
    by: Actor,
    client_id: i64,
    plan_id: i64,
) -> Vec<outside::ProviderReport> {
    let mut tx = store.read(by).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Monitoring, Action::Read)
        .await
        .unwrap();
    let reports = outside::reports_for_plan(&mut tx, &acc, plan_id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    reports
}

store_test!(
    an_invitation_is_used_once_within_48_hours,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let m = member(&store, o.spec, client_id, "provider", "佐藤 サビ管").await;
        let now = now_utc();

        // A forged code, and a code typed in full width and lower case, are told apart.
        assert_eq!(
            outside::invitation(&store, "AAAA-AAAA-AAAA", now)
                .await
                .unwrap()
                .err(),
            Some(Refusal::Unknown)
        );
        let code = invite(&store, o.spec, client_id, m).await;
        let typed: String = code
            .to_lowercase()
            .chars()
            .map(|c| if c == '-' { ' ' } else { c })
            .collect();
        // Stored keyed (HMAC under the audit key): the plain hash of the code is not there.
        use sea_orm::EntityTrait;
        let stored: Vec<String> = entities::invitation::Entity::find()
            .all(store.conn())
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.code_hash)
            .collect();
        let plain = sessions::token_hash(&format!("invitation:{}", outside::normalise_code(&code)));
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], plain);
        let inv = outside::invitation(&store, &typed, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(inv.member_id, m);
        assert_eq!(inv.office_name, "よりそい");
        // Expired after 48 hours.
        assert_eq!(
            outside::invitation(&store, &code, now + Duration::hours(49))
                .await
                .unwrap()
                .err(),
            Some(Refusal::Expired)
        );

        // A refused form changes nothing: the code stays usable.
        let mut weak = account("ihikari");
        weak.password_again = "something else entirely".into();
        match outside::join_new(&store, &code, &weak, now).await.unwrap() {
            Err(JoinError::Invalid(e)) => assert!(e.get("password_again").is_some()),
            other => panic!("{other:?}"),
        }
        let user_id = outside::join_new(&store, &code, &account("ihikari"), now)
            .await
            .unwrap()
            .unwrap();
        let u = users::get_plain(&store, user_id).await.unwrap();
        assert_eq!(u.role, "outside");
        assert_eq!(u.office_id, o.admin.office_id);
        // Reused.
        match outside::join_new(&store, &code, &account("ihikari2"), now)
            .await
            .unwrap()
        {
            Err(JoinError::Refused(Refusal::Used)) => {}
            other => panic!("{other:?}"),
        }
        assert!(
            users::find_by_login(&store, "ihikari2")
                .await
                .unwrap()
                .is_none()
        );

        // An outside account is not staff: not listed, not editable, not made by the staff form.
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(
            users::list(&tx)
                .await
                .unwrap()
                .iter()
                .all(|u| u.id != user_id)
        );
        assert!(matches!(
            users::update(&mut tx, user_id, u.version, "乗っ取り", Role::Specialist).await,
            Err(StoreError::Rule(_))
        ));
        let listed = outside::accounts(&tx).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].login, "ihikari");
        assert!(
            listed[0].teams[0].contains("青木 明子さん"),
            "{:?}",
            listed[0].teams
        );
        // Nor can an outside account be made 担当.
        assert!(matches!(
            clients::assign(&mut tx, &[client_id], Some(user_id)).await,
            Err(StoreError::Invalid(_))
        ));
        let as_outside = users::NewUser {
            login: "ioutside".into(),
            display_name: "外部".into(),
            role: "outside".into(),
            password: "correct horse battery".into(),
        };
        assert!(matches!(
            users::create(&mut tx, &as_outside).await,
            Ok(Err(e)) if e.get("role").is_some()
        ));
        tx.rollback().await.unwrap();

        // A new invitation revokes the open one; a bound row cannot be invited again until unlinked.
        let m2 = member(&store, o.spec, client_id, "municipality", "小林 CW").await;
        let first = invite(&store, o.spec, client_id, m2).await;
        let second = invite(&store, o.spec, client_id, m2).await;
        assert_eq!(
            outside::invitation(&store, &first, now)
                .await
                .unwrap()
                .err(),
            Some(Refusal::Revoked)
        );
        assert!(
            outside::invitation(&store, &second, now)
                .await
                .unwrap()
                .is_ok()
        );
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        assert!(matches!(
            outside::invite(&mut tx, &acc, m).await,
            Err(StoreError::Rule(_))
        ));
        let access = outside::team_access(&mut tx, &acc).await.unwrap();
        let bound = access.iter().find(|a| a.member_id == m).unwrap();
        assert_eq!(bound.account.as_ref().unwrap().login, "ihikari");
        assert!(
            access
                .iter()
                .find(|a| a.member_id == m2)
                .unwrap()
                .invited_until
                .is_some()
        );
        tx.rollback().await.unwrap();

        // The join is in the office's chain, and the chain still verifies.
        let v = audit::verify(&store, o.admin.office_id).await.unwrap();
        assert!(v.intact(), "{v:?}");
    }
);

store_test!(
    an_outside_member_reads_only_what_a_consent_in_force_covers,
    |store: Store| async move {
        let o = office(&store, "よりそい", "s").await;
        let other = office(&store, "みなと", "t").await;
        let (client_id, _case, plan_id) = monitored_case(&store, &o).await;
        let b_san = add_client(&store, o.spec, a_san()).await;
        let elsewhere = add_client(&store, other.spec, a_san()).await;
        let m = member(&store, o.spec, client_id, "provider", "佐藤 サビ管").await;
        let code = invite(&store, o.spec, client_id, m).await;
        let user_id = outside::join_new(&store, &code, &account("shikari"), now_utc())
            .await
            .unwrap()
            .unwrap();
        let me = outsider(o.admin.office_id, user_id);

        // On the team but no consent yet: nothing, not even the name in the list.
        for s in outside::SHOWN {
            assert!(
                !sees(&store, me, client_id, s).await,
                "{s:?} before consent"
            );
        }
        let mut tx = store.read(me).await.unwrap();
        assert!(outside::my_clients(&mut tx).await.unwrap().is_empty());
        tx.commit().await.unwrap();

        let consent_id = consent(&store, o.spec, client_id, m, &["basic", "plan"]).await;
        assert!(sees(&store, me, client_id, ShareSection::Basic).await);
        assert!(sees(&store, me, client_id, ShareSection::Plan).await);
        assert!(
            !sees(&store, me, client_id, ShareSection::Monitoring).await,
            "scoped out"
        );
        assert!(
            !sees(&store, me, client_id, ShareSection::Assessment).await,
            "scoped out"
        );
        assert!(
            !sees(&store, me, b_san, ShareSection::Basic).await,
            "another client"
        );
        assert!(
            !sees(&store, me, elsewhere, ShareSection::Basic).await,
            "another office"
        );
        assert!(
            !sees(&store, me, 999_999, ShareSection::Basic).await,
            "no such client"
        );

        // What is shown is the plan in force, and the view is a disclosure naming the consent.
        let mut tx = store.read(me).await.unwrap();
        let mine = outside::my_clients(&mut tx).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            mine[0].sections,
            vec![ShareSection::Basic, ShareSection::Plan]
        );
        let sa = tx
            .shared_access(client_id, ShareSection::Plan)
            .await
            .unwrap();
        let p = outside::plan(&mut tx, &sa).await.unwrap().unwrap();
        assert_eq!(p.id, plan_id);
        // A grant for one section does not open another.
        assert!(matches!(
            outside::basic(&mut tx, &sa).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                user_id: Some(user_id),
                per_page: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let disclosure = events
            .iter()
            .find(|e| e.action == "disclose" && e.record_id == Some(plan_id))
            .expect("the plan view is logged as a disclosure");
        assert_eq!(disclosure.client_id, Some(client_id));
        assert!(
            disclosure.detail.contains("佐藤 サビ管"),
            "{}",
            disclosure.detail
        );
        assert!(
            disclosure.detail.contains(&format!("同意#{consent_id}")),
            "{}",
            disclosure.detail
        );

        // Staff never pass here, and an outside member never passes the office's own check.
        let mut tx = store.read(o.spec).await.unwrap();
        assert!(
            tx.shared_access(client_id, ShareSection::Plan)
                .await
                .is_err()
        );
        tx.commit().await.unwrap();
        let mut tx = store.read(me).await.unwrap();
        for kind in [RecordKind::Ledger, RecordKind::Plan, RecordKind::CareTeam] {
            assert!(
                tx.client_access(client_id, kind, Action::Read)
                    .await
                    .is_err()
            );
        }
        assert!(
            tx.office_access(RecordKind::Resource, Action::Read)
                .is_err()
        );
        tx.commit().await.unwrap();

        // Withdrawal takes effect on the very next request.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        team::withdraw(
            &mut tx,
            &acc,
            consent_id,
            crate::common::today().min(today_jst()),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(
            !sees(&store, me, client_id, ShareSection::Plan).await,
            "withdrawn"
        );

        // A new consent, then the member is taken off the team: nothing again.
        consent(&store, o.spec, client_id, m, &["plan"]).await;
        assert!(sees(&store, me, client_id, ShareSection::Plan).await);
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let row = team::member(&mut tx, &acc, m).await.unwrap();
        team::update_member(&mut tx, &acc, m, row.version, &row.record, false)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            !sees(&store, me, client_id, ShareSection::Plan).await,
            "off the team"
        );

        // Back on the team, the binding stays ended (it went with the removal): a new
        // invitation is needed, added to the same account.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let row = team::member(&mut tx, &acc, m).await.unwrap();
        team::update_member(&mut tx, &acc, m, row.version, &row.record, true)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            !sees(&store, me, client_id, ShareSection::Plan).await,
            "ended"
        );
        let code = invite(&store, o.spec, client_id, m).await;
        outside::join_existing(&store, &code, user_id, now_utc())
            .await
            .unwrap()
            .unwrap();
        assert!(
            sees(&store, me, client_id, ShareSection::Plan).await,
            "re-joined"
        );

        // A linked row keeps its person: renaming it is refused until it is unlinked.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let row = team::member(&mut tx, &acc, m).await.unwrap();
        let mut renamed = row.record.clone();
        renamed.name = "鈴木 新サビ管".into();
        assert!(matches!(
            team::update_member(&mut tx, &acc, m, row.version, &renamed, true).await,
            Err(StoreError::Rule(_))
        ));
        outside::unlink(&mut tx, &acc, m).await.unwrap();
        team::update_member(&mut tx, &acc, m, row.version, &renamed, true)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            !sees(&store, me, client_id, ShareSection::Plan).await,
            "unlinked"
        );
    }
);

store_test!(
    the_person_sees_their_own_record_without_a_consent,
    |store: Store| async move {
        let o = office(&store, "よりそい", "p").await;
        let (client_id, _case, _plan) = monitored_case(&store, &o).await;
        let me_row = member(&store, o.spec, client_id, "person", "青木 明子").await;
        let brother = member(&store, o.spec, client_id, "family", "青木 実（兄）").await;
        let person = joined(&store, o.spec, client_id, me_row, "paoki").await;
        let family = joined(&store, o.spec, client_id, brother, "pminoru").await;
        for s in outside::SHOWN {
            assert!(sees(&store, person, client_id, s).await, "own {s:?}");
            assert!(
                !sees(&store, family, client_id, s).await,
                "family without consent {s:?}"
            );
        }
        // The person's own record does not open what is only others' (the assessment's family).
        assert!(!sees(&store, person, client_id, ShareSection::Family).await);
        let mut tx = store.read(person).await.unwrap();
        let sa = tx
            .shared_access(client_id, ShareSection::Monitoring)
            .await
            .unwrap();
        let m = outside::monitoring(&mut tx, &sa).await.unwrap();
        tx.commit().await.unwrap();
        assert!(m.next.is_some(), "the next monitoring month is shown");
        consent(&store, o.spec, client_id, brother, &["monitoring"]).await;
        assert!(sees(&store, family, client_id, ShareSection::Monitoring).await);
        assert!(!sees(&store, family, client_id, ShareSection::Plan).await);
    }
);

store_test!(
    a_providers_report_is_kept_per_month_and_read_beside_the_goals,
    |store: Store| async move {
        use yorisoi_domain::monitoring::provider::ProviderReportInput;
        let o = office(&store, "よりそい", "r").await;
        let (client_id, _case, plan_id) = monitored_case(&store, &o).await;
        let m = member(&store, o.spec, client_id, "provider", "佐藤 サビ管").await;
        consent(&store, o.spec, client_id, m, &["plan"]).await;
        let code = invite(&store, o.spec, client_id, m).await;
        let user_id = outside::join_new(&store, &code, &account("rhikari"), now_utc())
            .await
            .unwrap()
            .unwrap();
        let me = outsider(o.admin.office_id, user_id);
        let mut tx = store.read(me).await.unwrap();
        let sa = tx
            .shared_access(client_id, ShareSection::Plan)
            .await
            .unwrap();
        assert!(outside::may_report(&sa));
        let plan = outside::report_plan(&mut tx, &sa).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        assert_eq!(plan.id, plan_id);
        let key = plan.record.rows[0].key.to_string();
        let input = ProviderReportInput {
            month: "2026-11".into(),
            row_key: vec![key.clone()],
            provision: vec!["週4日通所".into()],
            note: String::new(),
        };
        let mut tx = store.begin(me).await.unwrap();
        let sa = tx
            .shared_access(client_id, ShareSection::Plan)
            .await
            .unwrap();
        outside::save_report(&mut tx, &sa, &input, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // The same month again without the version read: refused, not written over.
        let mut tx = store.begin(me).await.unwrap();
        let sa = tx
            .shared_access(client_id, ShareSection::Plan)
            .await
            .unwrap();
        assert!(matches!(
            outside::save_report(&mut tx, &sa, &input, None).await,
            Err(StoreError::Conflict)
        ));
        let mut again = input.clone();
        again.provision = vec!["週5日通所".into()];
        outside::save_report(&mut tx, &sa, &again, Some(1))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // The specialist reads it on the plan.
        let reports = reports_on(&store, o.spec, client_id, plan_id).await;
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].record.rows[0].provision, "週5日通所");
        assert_eq!(reports[0].version, 2);
        assert_eq!(reports[0].from, "佐藤 サビ管（ひかり作業所）");
        // The person (not a provider) cannot report.
        let me_row = member(&store, o.spec, client_id, "person", "青木 明子").await;
        let person = joined(&store, o.spec, client_id, me_row, "raoki").await;
        let mut tx = store.begin(person).await.unwrap();
        let sa = tx
            .shared_access(client_id, ShareSection::Plan)
            .await
            .unwrap();
        // The person writes their own words, never a provider's report per goal.
        assert!(outside::may_report(&sa) && outside::is_person(&sa));
        assert!(matches!(
            outside::save_report(&mut tx, &sa, &input, None).await,
            Err(StoreError::Invalid(_))
        ));
        let words = ProviderReportInput {
            month: "2026-11".into(),
            note: "A型の見学に行きたい".into(),
            ..Default::default()
        };
        outside::save_report(&mut tx, &sa, &words, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let reports = reports_on(&store, o.spec, client_id, plan_id).await;
        assert_eq!(reports.len(), 2);
        assert!(
            reports
                .iter()
                .any(|r| r.from_person && r.record.note == "A型の見学に行きたい")
        );
    }
);
