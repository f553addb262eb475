//! 自分のアカウント: password change and admin reset (with the one password check), and a
//! user's own sessions (listed with their origin, ended one by one or all the others), and an
//! admin ending a staff member's sessions. Every change is in the audit log.

use crate::common::*;
use yorisoi_domain::policy::Actor;
use yorisoi_store::account::PasswordChange;
use yorisoi_store::sessions::Origin;
use yorisoi_store::*;

const OLD: &str = "correct horse battery";
const NEW: &str = "tsukimi-dango-kasa-37";

fn change(current: &str, new: &str) -> PasswordChange {
    PasswordChange {
        current_password: current.into(),
        new_password: new.into(),
        confirm_password: Some(new.into()),
    }
}

async fn actions(store: &Store, admin: Actor) -> Vec<(String, String)> {
    let mut tx = store.read(admin).await.unwrap();
    let f = audit::AuditFilter {
        per_page: 200,
        ..Default::default()
    };
    let (events, _) = audit::list(&mut tx, &f).await.unwrap();
    tx.commit().await.unwrap();
    events.into_iter().map(|e| (e.action, e.detail)).collect()
}

async fn alive(store: &Store, token: &str) -> bool {
    sessions::lookup(store, token, now_utc())
        .await
        .unwrap()
        .is_some()
}

store_test!(
    a_user_changes_their_password_and_other_sessions_end,
    |store: Store| async move {
        let o = office(&store, "よりそい相談室", "p").await;
        let here = sessions::create(&store, o.spec.user_id).await.unwrap();
        let there = sessions::create(&store, o.spec.user_id).await.unwrap();
        let colleague = sessions::create(&store, o.spec2.user_id).await.unwrap();
        let here_id = sessions::lookup(&store, &here.token, now_utc())
            .await
            .unwrap()
            .unwrap()
            .session_id;

        // Refusals: wrong current password, weak, containing the login or the office name,
        // confirmation not matching. Nothing changes.
        for (input, field) in [
            (change("wrong password!!", NEW), "current_password"),
            (change(OLD, "password12"), "new_password"),
            (change(OLD, "qwertyuiop"), "new_password"),
            (change(OLD, "short"), "new_password"),
            (change(OLD, "pspec-sora-kujira-88"), "new_password"),
            (change(OLD, "ＰＳＰＥＣ-sora-kujira-88"), "new_password"),
            (change(OLD, "よりそい相談室-sora-kujira"), "new_password"),
            (
                PasswordChange {
                    confirm_password: Some("something else".into()),
                    ..change(OLD, NEW)
                },
                "confirm_password",
            ),
        ] {
            let mut tx = store.begin(o.spec).await.unwrap();
            let errors = account::change_password(&mut tx, Some(here_id), &input)
                .await
                .unwrap()
                .unwrap_err();
            tx.rollback().await.unwrap();
            assert!(
                errors.get(field).is_some(),
                "{} refused at {field}: {errors:?}",
                input.new_password
            );
        }
        assert!(alive(&store, &there.token).await);

        let mut tx = store.begin(o.spec).await.unwrap();
        let ended = account::change_password(&mut tx, Some(here_id), &change(OLD, NEW))
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ended, 1);
        assert!(
            alive(&store, &here.token).await,
            "the session it was changed from stays"
        );
        assert!(
            !alive(&store, &there.token).await,
            "the other session ended"
        );
        assert!(alive(&store, &colleague.token).await, "a colleague's stays");
        let u = users::find_by_login(&store, "pspec")
            .await
            .unwrap()
            .unwrap();
        assert!(users::verify_password(&u.password_hash, NEW));
        assert!(!users::verify_password(&u.password_hash, OLD));
        let log = actions(&store, o.admin).await;
        assert!(log.iter().any(|(a, _)| a == "password_change"), "{log:?}");
    }
);

store_test!(
    an_admin_reset_forces_a_change_and_ends_sessions,
    |store: Store| async move {
        let o = office(&store, "よりそい", "r").await;
        let other = office(&store, "みなと", "ro").await;
        let s = sessions::create(&store, o.spec.user_id).await.unwrap();
        let temp = "kari-no-pasuwado-5821";

        // Weak temporary passwords are refused like any other.
        let mut tx = store.begin(o.admin).await.unwrap();
        let e = users::reset_password(&mut tx, o.spec.user_id, "password1234")
            .await
            .unwrap()
            .unwrap_err();
        assert!(e.get("password").is_some());
        tx.rollback().await.unwrap();
        // Not the admin's own (that is the change with the current password), not another
        // office's staff, not by a role without the right.
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(matches!(
            users::reset_password(&mut tx, o.admin.user_id, temp).await,
            Err(StoreError::Rule(_))
        ));
        assert!(matches!(
            users::reset_password(&mut tx, other.spec.user_id, temp).await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        for actor in [o.spec2, o.clerk, other.admin] {
            let mut tx = store.begin(actor).await.unwrap();
            assert!(matches!(
                users::reset_password(&mut tx, o.spec.user_id, temp).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                users::end_sessions(&mut tx, o.spec.user_id, "").await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        assert!(alive(&store, &s.token).await);

        let mut tx = store.begin(o.admin).await.unwrap();
        users::reset_password(&mut tx, o.spec.user_id, temp)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        assert!(!alive(&store, &s.token).await, "reset ends the sessions");
        let u = users::find_by_login(&store, "rspec")
            .await
            .unwrap()
            .unwrap();
        assert!(u.must_change_password);
        assert!(users::verify_password(&u.password_hash, temp));

        // Signed in with the temporary password, the session says a change is needed.
        let s = sessions::create(&store, o.spec.user_id).await.unwrap();
        let info = sessions::lookup(&store, &s.token, now_utc())
            .await
            .unwrap()
            .unwrap();
        assert!(info.user.must_change_password);
        let mut tx = store.begin(o.spec).await.unwrap();
        account::change_password(&mut tx, Some(info.session_id), &change(temp, NEW))
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        let u = users::find_by_login(&store, "rspec")
            .await
            .unwrap()
            .unwrap();
        assert!(!u.must_change_password, "the change ends the forced state");
        let log = actions(&store, o.admin).await;
        assert!(log.iter().any(|(a, _)| a == "password_reset"), "{log:?}");
        assert!(
            log.iter()
                .any(|(a, d)| a == "password_change" && d.contains("再設定")),
            "{log:?}"
        );
    }
);

store_test!(
    a_user_sees_and_ends_their_own_sessions,
    |store: Store| async move {
        let o = office(&store, "よりそい", "s").await;
        let other = office(&store, "みなと", "so").await;
        let origin = Origin {
            user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36"
                .into(),
            address: "192.0.2.10".into(),
        };
        let a = sessions::create_from(&store, o.spec.user_id, &origin)
            .await
            .unwrap();
        let b = sessions::create(&store, o.spec.user_id).await.unwrap();
        let c = sessions::create(&store, o.spec.user_id).await.unwrap();
        let theirs = sessions::create(&store, o.spec2.user_id).await.unwrap();
        let far = sessions::create(&store, other.spec.user_id).await.unwrap();
        let id = |t: &str| {
            let store = store.clone();
            let t = t.to_string();
            async move {
                sessions::lookup(&store, &t, now_utc())
                    .await
                    .unwrap()
                    .unwrap()
                    .session_id
            }
        };
        let (a_id, b_id, theirs_id, far_id) = (
            id(&a.token).await,
            id(&b.token).await,
            id(&theirs.token).await,
            id(&far.token).await,
        );

        let tx = store.read(o.spec).await.unwrap();
        let mine = account::sessions(&tx, now_utc()).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(mine.len(), 3, "only my own sessions");
        let first = mine.iter().find(|s| s.id == a_id).unwrap();
        assert_eq!(first.address, "192.0.2.10");
        assert!(first.user_agent.contains("Chrome"));

        // Another user's session, of this office or another, is not mine to end.
        for sid in [theirs_id, far_id, 999_999] {
            let mut tx = store.begin(o.spec).await.unwrap();
            assert!(matches!(
                account::end_session(&mut tx, sid).await,
                Err(StoreError::NotFound)
            ));
            tx.rollback().await.unwrap();
        }
        let mut tx = store.begin(o.spec).await.unwrap();
        account::end_session(&mut tx, b_id).await.unwrap();
        tx.commit().await.unwrap();
        assert!(!alive(&store, &b.token).await);
        assert!(alive(&store, &a.token).await && alive(&store, &c.token).await);

        let mut tx = store.begin(o.spec).await.unwrap();
        let n = account::end_other_sessions(&mut tx, Some(a_id))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(n, 1);
        assert!(alive(&store, &a.token).await, "this device stays");
        assert!(!alive(&store, &c.token).await);
        assert!(alive(&store, &theirs.token).await && alive(&store, &far.token).await);

        // The admin ends all of a staff member's sessions, with a reason in the log.
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(
            users::end_sessions(&mut tx, o.spec.user_id, &"長".repeat(201))
                .await
                .is_err()
        );
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert_eq!(
            users::live_sessions(&tx, o.spec.user_id, now_utc())
                .await
                .unwrap(),
            1
        );
        let n = users::end_sessions(&mut tx, o.spec.user_id, "端末の紛失")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(n, 1);
        assert!(!alive(&store, &a.token).await);
        assert!(alive(&store, &theirs.token).await);
        let log = actions(&store, o.admin).await;
        for a in ["session_end", "sessions_end_others", "sessions_end_all"] {
            assert!(log.iter().any(|(x, _)| x == a), "{a} in {log:?}");
        }
        assert!(
            log.iter()
                .any(|(x, d)| x == "sessions_end_all" && d.contains("端末の紛失"))
        );
    }
);

store_test!(
    new_staff_passwords_get_the_same_check,
    |store: Store| async move {
        let o = office(&store, "ひだまり", "n").await;
        for (login, pw) in [
            ("nnew1", "password12"),
            ("nnew2", "nnew2-is-my-name-ok"),
            ("nnew3", "ひだまり-sora-kujira-9"),
        ] {
            let mut tx = store.begin(o.admin).await.unwrap();
            let e = users::create(
                &mut tx,
                &users::NewUser {
                    login: login.into(),
                    display_name: "新人".into(),
                    role: "specialist".into(),
                    password: pw.into(),
                },
            )
            .await
            .unwrap()
            .unwrap_err();
            tx.rollback().await.unwrap();
            assert!(e.get("password").is_some(), "{pw}");
        }
        let office_id = o.admin.office_id;
        let e = users::create_from_cli(
            &store,
            office_id,
            &users::NewUser {
                login: "ncli".into(),
                display_name: "CLI".into(),
                role: "admin".into(),
                password: "qwerty123456".into(),
            },
        )
        .await
        .unwrap()
        .unwrap_err();
        assert!(e.get("password").is_some());
    }
);

store_test!(
    last_seen_is_written_at_most_once_a_minute,
    |store: Store| async move {
        let o = office(&store, "よりそい", "l").await;
        let s = sessions::create(&store, o.spec.user_id).await.unwrap();
        let t0 = now_utc();
        let seen = |store: Store| async move {
            let tx = store.read(o.spec).await.unwrap();
            let v = account::sessions(&tx, t0).await.unwrap()[0].last_seen_at;
            tx.rollback().await.unwrap();
            v
        };
        let first = seen(store.clone()).await;
        // Page views within the minute do not write.
        for secs in [5, 30, 59] {
            sessions::lookup(&store, &s.token, t0 + chrono::Duration::seconds(secs))
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(seen(store.clone()).await, first);
        // After a minute, the next view moves it.
        sessions::lookup(&store, &s.token, t0 + chrono::Duration::seconds(90))
            .await
            .unwrap()
            .unwrap();
        assert!(seen(store.clone()).await > first);
    }
);
