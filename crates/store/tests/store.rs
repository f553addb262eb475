#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Store tests, each written once and run on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use yorisoi_domain::case::{CaseStage, CloseInput, IntakeInput};
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::{BookInput, ClientInput, ClientStatus};
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::clients::{ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let store = testing::sqlite_in(dir.path()).await.unwrap();
                ($body)(store).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some((store, name)) = testing::fresh_postgres().await.unwrap() else {
                    return;
                };
                ($body)(store.clone()).await;
                store.close().await.unwrap();
                testing::drop_postgres(&name).await.unwrap();
            }
        }
    };
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

struct Office {
    admin: Actor,
    spec: Actor,
    spec2: Actor,
    clerk: Actor,
}

async fn office(store: &Store, name: &str, prefix: &str) -> Office {
    let office_id = offices::create(store, name).await.unwrap();
    let admin_id = users::create_from_cli(
        store,
        office_id,
        &NewUser {
            login: format!("{prefix}admin"),
            display_name: "管理 太郎".into(),
            role: "admin".into(),
            password: "correct horse battery".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    let admin = Actor {
        user_id: admin_id,
        office_id,
        role: Role::Admin,
    };
    let mut tx = store.begin(admin).await.unwrap();
    let mut add = async |login: &str, role: Role| {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}{login}"),
                display_name: login.into(),
                role: role.code().into(),
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        Actor {
            user_id: id,
            office_id,
            role,
        }
    };
    let spec = add("spec", Role::Specialist).await;
    let spec2 = add("spec2", Role::Specialist).await;
    let clerk = add("clerk", Role::Clerk).await;
    tx.commit().await.unwrap();
    Office {
        admin,
        spec,
        spec2,
        clerk,
    }
}

fn a_san() -> ClientInput {
    ClientInput {
        family_name: "青木".into(),
        given_name: "明子".into(),
        family_name_kana: "あおき".into(),
        given_name_kana: "あきこ".into(),
        birth_date: "1981-03-02".into(),
        sex: "female".into(),
        disability_kinds: vec!["mental".into(), "intellectual".into()],
        support_category: "3".into(),
        ..Default::default()
    }
}

async fn add_client(store: &Store, actor: Actor, input: ClientInput) -> i64 {
    let mut tx = store.begin(actor).await.unwrap();
    let id = clients::create(
        &mut tx,
        &input.validate(today()).unwrap(),
        Some(actor.user_id),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn filter(q: &str) -> ClientFilter {
    ClientFilter {
        q: q.into(),
        status: None,
        staff: StaffFilter::Any,
        cert_within_days: None,
        today: today(),
        sort: ClientSort::Kana,
        page: 0,
        per_page: 50,
    }
}

store_test!(client_round_trip_and_conflict, |store: Store| async move {
    let o = office(&store, "よりそい", "a").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await
        .unwrap();
    let c = clients::get(&mut tx, &acc).await.unwrap();
    assert_eq!(c.record, a_san().validate(today()).unwrap());
    assert_eq!(c.assigned_user_id, Some(o.spec.user_id));
    let mut changed = c.record.clone();
    changed.address = "N市本町1-2-3".into();
    let v2 = clients::update(&mut tx, &acc, c.version, &changed)
        .await
        .unwrap();
    assert_eq!(v2, 2);
    // A save from the old version is refused and changes nothing.
    let mut stale = c.record.clone();
    stale.address = "上書き".into();
    assert!(matches!(
        clients::update(&mut tx, &acc, c.version, &stale).await,
        Err(StoreError::Conflict)
    ));
    let again = clients::get(&mut tx, &acc).await.unwrap();
    assert_eq!(again.record.address, "N市本町1-2-3");
    tx.commit().await.unwrap();
});

store_test!(
    search_is_kana_and_width_insensitive,
    |store: Store| async move {
        let o = office(&store, "よりそい", "b").await;
        add_client(&store, o.admin, a_san()).await;
        let mut b = a_san();
        b.family_name = "馬場".into();
        b.family_name_kana = "ばば".into();
        b.given_name = "部".into();
        b.given_name_kana = "べ".into();
        add_client(&store, o.admin, b).await;
        let mut tx = store.begin(o.admin).await.unwrap();
        for q in ["あおき", "アオキ", "ｱｵｷ", "青木", "明子", "アキ"] {
            let (rows, total) = clients::list(&mut tx, &filter(q)).await.unwrap();
            assert_eq!(total, 1, "{q}");
            assert_eq!(rows[0].record.family_name, "青木");
        }
        let (_, all) = clients::list(&mut tx, &filter("")).await.unwrap();
        assert_eq!(all, 2);
        let (_, none) = clients::list(&mut tx, &filter("%")).await.unwrap();
        assert_eq!(none, 0, "LIKE wildcards are literal");
        let mut f = filter("");
        f.sort = ClientSort::KanaDesc;
        let (rows, _) = clients::list(&mut tx, &f).await.unwrap();
        assert_eq!(rows[0].record.family_name_kana, "ばば");
        f.status = Some(ClientStatus::Closed);
        assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 0);
        tx.commit().await.unwrap();
    }
);

store_test!(
    tenancy_and_assignment_hide_clients,
    |store: Store| async move {
        let o = office(&store, "よりそい", "c").await;
        let other = office(&store, "別の事業所", "d").await;
        let id = add_client(&store, o.spec, a_san()).await;
        // Another office: not found, for every kind and even for its admin.
        let mut tx = store.begin(other.admin).await.unwrap();
        for kind in [
            RecordKind::Ledger,
            RecordKind::Certificate,
            RecordKind::Case,
            RecordKind::CaseNote,
        ] {
            assert!(matches!(
                tx.client_access(id, kind, Action::Read).await,
                Err(StoreError::NotFound)
            ));
        }
        assert_eq!(clients::list(&mut tx, &filter("")).await.unwrap().1, 0);
        tx.commit().await.unwrap();
        // A specialist without the assignment sees nothing; the clerk sees the ledger only.
        let mut tx = store.begin(o.spec2).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        assert_eq!(clients::list(&mut tx, &filter("")).await.unwrap().1, 0);
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.clerk).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Write)
                .await
                .is_ok()
        );
        assert!(
            tx.client_access(id, RecordKind::CaseNote, Action::Read)
                .await
                .is_err()
        );
        tx.commit().await.unwrap();
        // Reassign in bulk; now spec2 sees it and spec does not.
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(
            clients::assign(&mut tx, &[id], Some(o.clerk.user_id))
                .await
                .is_err(),
            "clerks cannot hold cases"
        );
        assert_eq!(
            clients::assign(&mut tx, &[id], Some(o.spec2.user_id))
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec2).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::CaseNote, Action::Write)
                .await
                .is_ok()
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        // A ClientAccess for one kind cannot be used for another.
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let ledger = tx
            .client_access(id, RecordKind::Ledger, Action::Read)
            .await
            .unwrap();
        assert!(matches!(
            notes::list(&mut tx, &ledger, "", 10, 0).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
    }
);

store_test!(certificates_are_versioned, |store: Store| async move {
    let o = office(&store, "よりそい", "e").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let cert = |until: &str, months: &str| {
        CertificateInput {
            number: "0123456789".into(),
            municipality: "N市".into(),
            issued_on: "2026-04-20".into(),
            decision_from: "2026-05-01".into(),
            decision_until: until.into(),
            services: "就労継続支援B型：当該月の日数から8日を控除した日数".into(),
            plan_support_from: "2026-05-01".into(),
            plan_support_until: until.into(),
            monitoring_period: "every3".into(),
            monitoring_months: months.into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let mut tx = store.begin(o.clerk).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await
        .unwrap();
    let (_, v1) = certificates::add(&mut tx, &acc, &cert("2027-04-30", "7,10,1,4"))
        .await
        .unwrap();
    let (_, v2) = certificates::add(&mut tx, &acc, &cert("2026-12-31", "7,10"))
        .await
        .unwrap();
    assert_eq!((v1, v2), (1, 2));
    let all = certificates::list(&mut tx, &acc).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].version_no, 2);
    assert_eq!(
        all[1].record,
        cert("2027-04-30", "7,10,1,4"),
        "the old version is unchanged"
    );
    assert_eq!(all[1].record.monitoring_months.len(), 4);
    tx.commit().await.unwrap();
    // The ledger follows the newest version, for the expiry filter.
    let mut tx = store.begin(o.admin).await.unwrap();
    let mut f = filter("");
    f.cert_within_days = Some(60);
    assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 1);
    f.cert_within_days = Some(10);
    assert_eq!(clients::list(&mut tx, &f).await.unwrap().1, 0);
    assert_eq!(
        clients::expiring(&tx, today() + chrono::Duration::days(60), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    tx.commit().await.unwrap();
});

store_test!(case_from_intake_to_closure, |store: Store| async move {
    let o = office(&store, "よりそい", "f").await;
    let id = add_client(&store, o.spec, a_san()).await;
    let intake = IntakeInput {
        intake_date: "R8.4.10".into(),
        referral_source: "municipality".into(),
        chief_complaint: "就労継続支援A型事業所で働きたい".into(),
        consent_to_support: "yes".into(),
        title: "働きたいAさん".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let case_id = cases::open(&mut tx, &acc, &intake).await.unwrap();
    let (c, i) = cases::get(&mut tx, &acc, case_id).await.unwrap();
    assert_eq!(c.stage, CaseStage::Intake);
    assert_eq!(i.record.chief_complaint, "就労継続支援A型事業所で働きたい");
    assert_eq!(c.title, "働きたいAさん");
    assert!(matches!(
        cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Monitoring).await,
        Err(StoreError::Rule(_))
    ));
    cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Assessment)
        .await
        .unwrap();
    assert!(matches!(
        cases::move_stage(&mut tx, &acc, case_id, c.version, CaseStage::Planning).await,
        Err(StoreError::Conflict)
    ));
    let close = CloseInput {
        closed_on: "2026-11-01".into(),
        reason: "needs_resolved".into(),
        changes: "一人で通えるようになった。".into(),
        ..Default::default()
    }
    .validate(c.opened_on, today())
    .unwrap();
    cases::close(&mut tx, &acc, case_id, c.version + 1, &close)
        .await
        .unwrap();
    let (c, _) = cases::get(&mut tx, &acc, case_id).await.unwrap();
    assert_eq!(c.stage, CaseStage::Closed);
    assert!(
        matches!(
            cases::update_intake(&mut tx, &acc, case_id, i.version, &intake).await,
            Err(StoreError::Rule(_))
        ),
        "closed is read-only"
    );
    assert_eq!(cases::list(&mut tx, &acc).await.unwrap().len(), 1);
    tx.commit().await.unwrap();
});

store_test!(
    notes_are_searchable_in_japanese,
    |store: Store| async move {
        let o = office(&store, "よりそい", "g").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Write)
            .await
            .unwrap();
        for (i, content) in [
            "服薬の飲み忘れが続いている。お薬カレンダーを提案。",
            "B型事業所で作業の様子を見学。集中力がある。",
            "母の施設へ面会に同行した。",
        ]
        .iter()
        .enumerate()
        {
            let n = NoteInput {
                date: format!("2026-11-{:02}", 10 + i),
                kind: "visit".into(),
                counterpart: "本人".into(),
                content: (*content).into(),
                minutes: "30".into(),
                ..Default::default()
            };
            notes::add(&mut tx, &acc, &n.validate(now).unwrap())
                .await
                .unwrap();
        }
        let (all, more) = notes::list(&mut tx, &acc, "", 10, 0).await.unwrap();
        assert_eq!(all.len(), 3);
        assert!(!more);
        assert!(
            all[0].record.content.starts_with("母の施設"),
            "newest first"
        );
        for (q, n) in [
            ("飲み忘れ", 1),
            ("カレンダー", 1),
            ("施設", 1),
            ("母", 1),
            ("集中力 見学", 1),
            ("事業所", 1),
            ("本人", 3),
            ("存在しない語", 0),
            ("\"", 0),
            ("%", 0),
        ] {
            let (found, _) = notes::list(&mut tx, &acc, q, 10, 0).await.unwrap();
            assert_eq!(found.len(), n, "query {q}");
        }
        let (page, more) = notes::list(&mut tx, &acc, "", 2, 0).await.unwrap();
        assert_eq!(page.len(), 2);
        assert!(more);
        // Edit with conflict detection; the index follows the edit.
        let first = &all[2];
        let mut r = first.record.clone();
        r.content = "薬カレンダーを導入した。".into();
        notes::update(&mut tx, &acc, first.id, first.version, &r)
            .await
            .unwrap();
        assert!(matches!(
            notes::update(&mut tx, &acc, first.id, first.version, &r).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            notes::list(&mut tx, &acc, "飲み忘れ", 10, 0)
                .await
                .unwrap()
                .0
                .len(),
            0
        );
        assert_eq!(
            notes::list(&mut tx, &acc, "導入した", 10, 0)
                .await
                .unwrap()
                .0
                .len(),
            1
        );
        tx.commit().await.unwrap();
    }
);

store_test!(
    audit_is_chained_and_append_only,
    |store: Store| async move {
        let o = office(&store, "よりそい", "h").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Ledger, Action::Read)
            .await
            .unwrap();
        clients::get(&mut tx, &acc).await.unwrap();
        tx.commit().await.unwrap();
        // A unit of work that is rolled back leaves no audit event and no data.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Ledger, Action::Write)
            .await
            .unwrap();
        clients::add_book(
            &mut tx,
            &acc,
            &BookInput {
                kind: "mental".into(),
                grade: "2".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, total) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                client_id: Some(id),
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(total, 2, "create + read: {events:?}");
        assert_eq!(events[0].action, "read");
        assert_eq!(events[0].user_id, Some(o.spec.user_id));
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(
            audit::list(&mut tx, &audit::AuditFilter::default())
                .await
                .is_err(),
            "only admins read the log"
        );
        tx.rollback().await.unwrap();
        let n = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        assert!(n >= 6, "{n}");
        // The database refuses edits and deletions of the log.
        use sea_orm::ConnectionTrait;
        assert!(
            store
                .conn()
                .execute_unprepared("UPDATE audit_events SET detail = 'x'")
                .await
                .is_err()
        );
        assert!(
            store
                .conn()
                .execute_unprepared("DELETE FROM audit_events")
                .await
                .is_err()
        );
    }
);

store_test!(
    sessions_expire_and_rate_limits_lift,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let s = sessions::create(&store, o.spec.user_id).await.unwrap();
        let now = now_utc();
        assert!(
            sessions::lookup(&store, &s.token, now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::lookup(&store, "forged", now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            sessions::lookup(&store, &s.token, now + chrono::Duration::minutes(31))
                .await
                .unwrap()
                .is_none(),
            "idle timeout"
        );
        assert!(
            sessions::lookup(&store, &s.token, now)
                .await
                .unwrap()
                .is_none(),
            "expired sessions are deleted"
        );
        let s2 = sessions::create(&store, o.spec.user_id).await.unwrap();
        assert!(
            sessions::lookup(&store, &s2.token, now + chrono::Duration::hours(13))
                .await
                .unwrap()
                .is_none(),
            "absolute timeout"
        );
        // Deactivation ends sessions.
        let s3 = sessions::create(&store, o.spec.user_id).await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let u = users::get(&tx, o.spec.user_id).await.unwrap();
        users::set_active(&mut tx, o.spec.user_id, u.version, false)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            sessions::lookup(&store, &s3.token, now)
                .await
                .unwrap()
                .is_none()
        );
        for _ in 0..5 {
            sessions::record_failure(&store, "login:x", now)
                .await
                .unwrap();
        }
        assert_eq!(
            sessions::recent_failures(&store, "login:x", now)
                .await
                .unwrap(),
            5
        );
        assert_eq!(
            sessions::recent_failures(&store, "login:x", now + chrono::Duration::minutes(16))
                .await
                .unwrap(),
            0,
            "the window slides"
        );
        let u = users::find_by_login(&store, "iadmin")
            .await
            .unwrap()
            .unwrap();
        assert!(users::verify_password(
            &u.password_hash,
            "correct horse battery"
        ));
        assert!(!users::verify_password(&u.password_hash, "wrong"));
    }
);

store_test!(
    api_tokens_authenticate_until_revoked,
    |store: Store| async move {
        let o = office(&store, "よりそい", "j").await;
        let mut tx = store.begin(o.admin).await.unwrap();
        let (tid, token) = api_tokens::issue(&mut tx, o.spec.user_id, "連携テスト")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            api_tokens::authenticate(&store, &token)
                .await
                .unwrap()
                .unwrap()
                .id,
            o.spec.user_id
        );
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(
            api_tokens::revoke(&mut tx, tid).await.is_err(),
            "specialists cannot revoke"
        );
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        api_tokens::revoke(&mut tx, tid).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            api_tokens::authenticate(&store, &token)
                .await
                .unwrap()
                .is_none()
        );
    }
);

async fn open_case(store: &Store, actor: Actor, client_id: i64) -> i64 {
    let intake = IntakeInput {
        intake_date: "R8.4.1".into(),
        referral_source: "municipality".into(),
        chief_complaint: "働きたい".into(),
        consent_to_support: "yes".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let mut tx = store.begin(actor).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let id = cases::open(&mut tx, &acc, &intake).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn full_assessment() -> yorisoi_domain::assessment::AssessmentInput {
    use yorisoi_domain::assessment::*;
    let row = |key: &str, rel: &str, sex: &str, client: bool| MemberInput {
        key: key.into(),
        relation: rel.into(),
        sex: sex.into(),
        birth_year: "1950".into(),
        is_client: if client { "yes" } else { "no" }.into(),
        ..Default::default()
    };
    AssessmentInput {
        assessed_on: "R8.4.10".into(),
        method: "home_visit".into(),
        present: "本人、母".into(),
        title: "働きたいAさん".into(),
        appearance: "穏やかに話す".into(),
        living: "アパート2階".into(),
        wish_person: "A型で働きたい".into(),
        wish_family: "無理はしてほしくない".into(),
        abilities: vec![AbilityInput {
            item: "money".into(),
            level: "partial".into(),
            note: "月末に足りない".into(),
        }],
        hobbies: "音楽".into(),
        special_skills: "パソコン入力".into(),
        prescriptions: vec![PrescriptionInput {
            drug: "リスペリドン".into(),
            dose: "1mg".into(),
            timing: "夕食後".into(),
        }],
        clinics: vec![ClinicInput {
            name: "N市こころのクリニック".into(),
            department: "精神科".into(),
            frequency: "月2回".into(),
        }],
        medical_note: "服薬は自己管理".into(),
        family: vec![
            row("", "本人", "female", true),
            MemberInput {
                note: "要介護3 施設入所".into(),
                ..row("", "母", "female", false)
            },
        ],
        family_links: vec![LinkInput {
            kind: "parent_child".into(),
            from: "2".into(),
            to: "1".into(),
        }],
        ecomap: vec![TieInput {
            name: "B型事業所".into(),
            kind: "service".into(),
            tie: "strong".into(),
            direction: "both".into(),
            note: String::new(),
            resource_id: String::new(),
        }],
        history: vec![EventInput {
            year: "2016".into(),
            month: String::new(),
            event: "発病".into(),
        }],
        day: vec![DayInput {
            time: "6:30".into(),
            activity: "起床".into(),
        }],
        week: vec![vec!["B型".into(), "B型".into(), String::new()]],
        strengths: vec![StrengthInput {
            kind: "good_at".into(),
            text: "パソコン入力".into(),
        }],
        demands: vec![DemandInput {
            key: String::new(),
            speaker: "person".into(),
            words: "A型で働きたい".into(),
        }],
        needs: vec![NeedInput {
            text: "安定して働ける場がほしい".into(),
            source: "demand-1".into(),
            grounds: "B型に週5日通えている".into(),
            ..Default::default()
        }],
        judgement: "就労への意欲が高い".into(),
    }
}

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

store_test!(
    reads_side_by_side_are_audited_before_they_return,
    |store: Store| async move {
        let o = office(&store, "よりそい", "h").await;
        let o2 = office(&store, "となり", "h2").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let id2 = add_client(&store, o2.spec, a_san()).await;
        let before = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        let before2 = audit::verify(&store, o2.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        // Thirty readers at once in two offices, so one batch holds both offices' events: each
        // one's events are in its office's chain when its commit returns.
        let mut tasks = Vec::new();
        for i in 0..30 {
            let store = store.clone();
            let (spec, id) = if i % 3 == 0 {
                (o2.spec, id2)
            } else {
                (o.spec, id)
            };
            tasks.push(tokio::spawn(async move {
                let mut tx = store.read(spec).await.unwrap();
                let acc = tx
                    .client_access(id, RecordKind::Ledger, Action::Read)
                    .await
                    .unwrap();
                let c = clients::get(&mut tx, &acc).await.unwrap();
                // A second event in the same read (the client page also lists certificates).
                let cert = tx
                    .client_access(id, RecordKind::Certificate, Action::Read)
                    .await
                    .unwrap();
                certificates::list(&mut tx, &cert).await.unwrap();
                tx.commit().await.unwrap();
                c.record.family_name
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "青木");
        }
        let after = audit::verify(&store, o.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        let after2 = audit::verify(&store, o2.admin.office_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after, before + 40, "two events per read, chain intact");
        assert_eq!(after2, before2 + 20, "the other office's chain, intact");
        // A read remembers the client's row, but asks the policy for every kind: the clerk may
        // read the ledger and still not the case notes of the same client.
        let mut tx = store.read(o.clerk).await.unwrap();
        assert!(
            tx.client_access(id, RecordKind::Ledger, Action::Read)
                .await
                .is_ok()
        );
        assert!(matches!(
            tx.client_access(id, RecordKind::CaseNote, Action::Read)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            tx.client_access(id, RecordKind::Assessment, Action::Read)
                .await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
        // A read-only unit of work still refuses what the policy refuses.
        let mut tx = store.read(o.spec2).await.unwrap();
        assert!(matches!(
            tx.client_access(id, RecordKind::Ledger, Action::Read).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
    }
);

/// An assessed case of Aさん, ready for a plan: (client, case).
async fn assessed_case(store: &Store, o: &Office) -> (i64, i64) {
    use yorisoi_domain::assessment::{AssessmentMethod, BasicInfo};
    let client_id = add_client(store, o.spec, a_san()).await;
    let case_id = open_case(store, o.spec, client_id).await;
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Write)
        .await
        .unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
    let id = assessments::start(
        &mut tx,
        &acc,
        case_id,
        d,
        AssessmentMethod::HomeVisit,
        "本人".into(),
    )
    .await
    .unwrap();
    let a = assessments::get(&mut tx, &acc, id).await.unwrap();
    let full = full_assessment()
        .validate(today(), BasicInfo::default())
        .unwrap();
    assessments::update(&mut tx, &acc, id, a.version, &full)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (client_id, case_id)
}

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
            Err(StoreError::Rule(_))
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
            m.contains("母さん自身の情報") && m.contains("N市 生活保護CW"),
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
            Err(StoreError::Rule(_))
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
        // A withdrawal takes effect at once: editing the held meeting is refused now.
        team::withdraw(&mut tx, &team_acc, wider_id, d("2026-05-01"))
            .await
            .unwrap();
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

/// A client with a certificate (support May 2026–April 2027, 「3月ごと」 without a month list)
/// and a final plan dated 2026-05-10: (client, case, plan).
async fn monitored_case(store: &Store, o: &Office) -> (i64, i64, i64) {
    let (client_id, case_id) = assessed_case(store, o).await;
    let plan = testing::final_plan(store, o.spec, o.clerk, client_id, case_id, today())
        .await
        .unwrap();
    (client_id, case_id, plan)
}

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
            Err(StoreError::Rule(_))
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
            Err(StoreError::Rule(_))
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

store_test!(
    batch_printing_finds_the_plans_handed_over_and_a_staff_members_reports_and_office_settings_keep,
    |store: Store| async move {
        use yorisoi_domain::monitoring::MonitoringInput;
        use yorisoi_domain::office::DocSettings;
        use yorisoi_domain::plan::{DocStage, Handover, HandoverMethod};
        let o = office(&store, "よりそい", "b").await;
        let other = office(&store, "みなと", "y").await;
        let (client_id, case_id, plan_id) = monitored_case(&store, &o).await;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let pacc = plans::access(&mut tx, plan_id, RecordKind::Plan, Action::Write)
            .await
            .unwrap();
        let p = plans::get(&mut tx, &pacc, plan_id).await.unwrap();
        let h = Handover {
            stage: DocStage::Final,
            to: "本人".into(),
            on: d(6, 10),
            method: HandoverMethod::InPerson,
        };
        plans::add_handover(&mut tx, &pacc, plan_id, p.version, &h)
            .await
            .unwrap();
        let macc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await
            .unwrap();
        let (_, plan) = monitorings::plan_in_force(&tx, &macc, case_id)
            .await
            .unwrap()
            .unwrap();
        let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
        let input = MonitoringInput::prefill(&plan, d(7, 15));
        let r = input.validate(today(), plan.decided_on, &keys).unwrap();
        let m = monitorings::create(&mut tx, &macc, case_id, &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let tx = store.begin(o.spec).await.unwrap();
        assert_eq!(
            plans::handed_over_between(&tx, d(6, 1), d(6, 30))
                .await
                .unwrap(),
            vec![plan_id]
        );
        assert!(
            plans::handed_over_between(&tx, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap(),
            vec![m]
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec2.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(8, 1), d(8, 31))
                .await
                .unwrap()
                .is_empty()
        );
        tx.rollback().await.unwrap();
        // Another office finds none of it.
        let tx = store.begin(other.admin).await.unwrap();
        assert!(
            plans::handed_over_between(&tx, d(6, 1), d(6, 30))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            monitorings::of_staff_between(&tx, o.spec.user_id, d(7, 1), d(7, 31))
                .await
                .unwrap()
                .is_empty()
        );
        tx.rollback().await.unwrap();

        // 帳票の設定: admins only, kept per office.
        let mut tx = store.begin(o.spec).await.unwrap();
        let s = DocSettings {
            furigana: true,
            ..Default::default()
        };
        assert!(offices::set_doc_settings(&mut tx, &s).await.is_err());
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert_eq!(
            offices::doc_settings(&tx).await.unwrap(),
            DocSettings::default()
        );
        offices::set_doc_settings(&mut tx, &s).await.unwrap();
        tx.commit().await.unwrap();
        let tx = store.begin(o.spec).await.unwrap();
        assert!(offices::doc_settings(&tx).await.unwrap().furigana);
        tx.rollback().await.unwrap();
        let tx = store.begin(other.admin).await.unwrap();
        assert!(!offices::doc_settings(&tx).await.unwrap().furigana);
        tx.rollback().await.unwrap();
    }
);

// A refusal that concerns one input field names it (the page shows it beside that field, the
// API returns it in the field map); a refusal of the whole record stays a rule.
store_test!(
    team_admin_refusals_name_their_field,
    |store: Store| async move {
        let field = |r: StoreError, name: &str| match r {
            StoreError::Invalid(e) => e.get(name).is_some(),
            _ => false,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let o = office(&store, "よりそい", "f").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let mut tx = store.begin(o.admin).await.unwrap();
        let dup = NewUser {
            login: "fspec".into(),
            display_name: "重複".into(),
            role: "specialist".into(),
            password: "correct horse battery".into(),
        };
        assert!(field(
            users::create(&mut tx, &dup).await.unwrap_err(),
            "login"
        ));
        assert!(field(
            api_tokens::issue(&mut tx, o.spec.user_id, "")
                .await
                .unwrap_err(),
            "name"
        ));
        assert!(field(
            offices::set_retention_years(&mut tx, 2).await.unwrap_err(),
            "years"
        ));
        tx.rollback().await.unwrap();

        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let m = team::add_member(
            &mut tx,
            &acc,
            &yorisoi_domain::team::TeamMemberInput {
                kind: "provider".into(),
                name: "ひかり作業所 佐藤".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        let consent = yorisoi_domain::team::ShareConsentInput {
            member_ids: vec![m.to_string()],
            sections: vec!["plan".into()],
            purpose: "会議".into(),
            given_on: "2026-04-21".into(),
            ..Default::default()
        }
        .validate(today(), &[m])
        .unwrap();
        let c1 = team::give_consent(&mut tx, &acc, &consent, None)
            .await
            .unwrap();
        assert!(field(
            team::withdraw(&mut tx, &acc, c1, d("2026-04-01"))
                .await
                .unwrap_err(),
            "withdrawn_on"
        ));
        team::withdraw(&mut tx, &acc, c1, d("2026-05-01"))
            .await
            .unwrap();
        assert!(matches!(
            team::withdraw(&mut tx, &acc, c1, d("2026-05-02")).await,
            Err(StoreError::Rule(_))
        ));
        assert!(field(
            team::give_consent(&mut tx, &acc, &consent, Some(c1))
                .await
                .unwrap_err(),
            "replaces"
        ));
        assert!(field(
            team::give_consent(&mut tx, &acc, &consent, Some(c1 + 1000))
                .await
                .unwrap_err(),
            "replaces"
        ));
        tx.rollback().await.unwrap();
    }
);
