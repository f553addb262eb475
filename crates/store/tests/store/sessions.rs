//! Sessions, sign-in rate limits and API tokens.

use crate::common::*;
use yorisoi_store::*;

store_test!(
    forms_kept_after_expiry_are_sealed_bound_to_their_user_and_taken_once,
    |store: Store| async move {
        use sea_orm::{ActiveModelTrait, EntityTrait};
        store.set_audit_keyring(audit_key::Keyring::for_tests());
        let o = office(&store, "よりそい", "k").await;
        let body = "csrf=t&content=%E4%BB%95%E4%BA%8B%E3%81%AB%E6%88%BB%E3%82%8A%E3%81%9F%E3%81%84";
        let id = parked::park(
            &store,
            o.spec.user_id,
            "/clients/1/notes",
            "/clients/1",
            body,
        )
        .await
        .unwrap();
        // Sealed in the database: the row does not hold the body.
        let raw = entities::parked_form::Entity::find_by_id(id)
            .one(store.conn())
            .await
            .unwrap()
            .unwrap();
        assert!(sealed::is_sealed(&raw.body) && !raw.body.contains("content="));
        let mine = parked::list(&store, o.spec.user_id, now_utc())
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].body, body);
        assert_eq!(mine[0].path, "/clients/1/notes");
        assert_eq!(mine[0].page, "/clients/1");
        // Another user neither lists nor takes it; moved into their row it does not open.
        assert!(
            parked::list(&store, o.spec2.user_id, now_utc())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(!parked::take(&store, o.spec2.user_id, id).await.unwrap());
        let mut moved: entities::parked_form::ActiveModel = raw.clone().into();
        moved.user_id = sea_orm::Set(o.spec2.user_id);
        moved.update(store.conn()).await.unwrap();
        assert!(
            parked::list(&store, o.spec2.user_id, now_utc())
                .await
                .unwrap()
                .is_empty()
        );
        let mut back: entities::parked_form::ActiveModel = raw.into();
        back.user_id = sea_orm::Set(o.spec.user_id);
        back.update(store.conn()).await.unwrap();
        // Kept for 12 hours only.
        assert!(
            parked::list(
                &store,
                o.spec.user_id,
                now_utc() + chrono::Duration::hours(13)
            )
            .await
            .unwrap()
            .is_empty()
        );
        // Taken once.
        assert!(parked::take(&store, o.spec.user_id, id).await.unwrap());
        assert!(!parked::take(&store, o.spec.user_id, id).await.unwrap());
        // At most ten per user: the oldest go.
        for i in 0..12 {
            parked::park(&store, o.spec.user_id, "/x", "", &format!("n={i}"))
                .await
                .unwrap();
        }
        let kept = parked::list(&store, o.spec.user_id, now_utc())
            .await
            .unwrap();
        assert_eq!(kept.len(), parked::MAX_PER_USER);
        assert_eq!(kept[0].body, "n=11");
        assert_eq!(kept[9].body, "n=2");
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
        // The plain lookup (every request but the home page) reads no second-factor state.
        match sessions::lookup_or_expired(&store, &s.token, now, false).await {
            Ok(sessions::Lookup::Live(l)) => assert!(l.second_factor.is_none()),
            _ => panic!("a live session"),
        }
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
            "an expired session never comes back, whatever clock asks"
        );
        // Within the grace it is known as this user's expired session (a form it sends is
        // kept); after the grace it is gone.
        match sessions::lookup_or_expired(&store, &s.token, now + chrono::Duration::hours(2), false)
            .await
            .unwrap()
        {
            sessions::Lookup::Expired(e) => {
                assert_eq!(e.user_id, o.spec.user_id);
                assert_eq!(e.csrf_token, s.csrf_token);
            }
            _ => panic!("expected an expired session"),
        }
        assert!(matches!(
            sessions::lookup_or_expired(&store, &s.token, now + chrono::Duration::hours(13), false)
                .await
                .unwrap(),
            sessions::Lookup::Unknown
        ));
        assert!(
            matches!(
                sessions::lookup_or_expired(&store, &s.token, now, false)
                    .await
                    .unwrap(),
                sessions::Lookup::Unknown
            ),
            "removed after the grace"
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
        let (tid, token) = api_tokens::issue(
            &mut tx,
            o.spec.user_id,
            "連携テスト",
            api_tokens::TokenScope::Write,
            30,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (u, scope) = api_tokens::authenticate(&store, &token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (u.id, scope),
            (o.spec.user_id, api_tokens::TokenScope::Write)
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

store_test!(
    simultaneous_sign_in_attempts_are_counted_before_any_is_checked,
    |store: Store| async move {
        let now = now_utc();
        let mut tasks = Vec::new();
        for _ in 0..30 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let a = sessions::Attempt {
                    login: "target",
                    address: "192.0.2.1",
                    known_device: None,
                };
                sessions::claim_attempt(&store, &a, now).await.unwrap()
            }));
        }
        let mut allowed = 0;
        for t in tasks {
            allowed += usize::from(t.await.unwrap().allowed);
        }
        assert_eq!(
            allowed as u64,
            sessions::MAX_PER_PAIR,
            "exactly the limit passes"
        );
        // A known device of the account is counted apart from the address's failures.
        let a = sessions::Attempt {
            login: "target",
            address: "192.0.2.1",
            known_device: Some("d"),
        };
        let claim = sessions::claim_attempt(&store, &a, now).await.unwrap();
        assert!(claim.allowed);
        // A right password forgets the attempt; the window slides.
        sessions::forgive(&store, &claim).await.unwrap();
        let later = now + chrono::Duration::minutes(16);
        let a = sessions::Attempt {
            login: "target",
            address: "192.0.2.1",
            known_device: None,
        };
        assert!(
            sessions::claim_attempt(&store, &a, later)
                .await
                .unwrap()
                .allowed
        );
    }
);

store_test!(
    api_tokens_expire_carry_their_scope_and_their_owner_revokes_them,
    |store: Store| async move {
        use sea_orm::ConnectionTrait;
        let o = office(&store, "よりそい", "tk").await;
        let mut tx = store.begin(o.admin).await.unwrap();
        for days in [0, api_tokens::MAX_DAYS + 1] {
            let e = api_tokens::issue(
                &mut tx,
                o.spec.user_id,
                "x",
                api_tokens::TokenScope::Read,
                days,
            )
            .await
            .unwrap_err();
            assert!(
                matches!(e, StoreError::Invalid(ref f) if f.0.contains_key("days")),
                "{e:?}"
            );
        }
        let (read_id, read) = api_tokens::issue(
            &mut tx,
            o.spec.user_id,
            "集計",
            api_tokens::TokenScope::Read,
            30,
        )
        .await
        .unwrap();
        let (other_id, _) = api_tokens::issue(
            &mut tx,
            o.spec2.user_id,
            "他人",
            api_tokens::TokenScope::Write,
            30,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (_, scope) = api_tokens::authenticate(&store, &read)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(scope, api_tokens::TokenScope::Read);
        // The holder sees their own tokens only, with expiry and scope.
        let mut tx = store.begin(o.spec).await.unwrap();
        let mine = api_tokens::list_mine(&mut tx).await.unwrap();
        assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), vec![read_id]);
        assert_eq!(mine[0].scope, "read");
        let left = mine[0].expires_at.unwrap() - now_utc();
        assert!(left > chrono::Duration::days(29) && left <= chrono::Duration::days(30));
        // Someone else's token is not theirs to revoke.
        assert!(matches!(
            api_tokens::revoke_mine(&mut tx, other_id).await,
            Err(StoreError::NotFound)
        ));
        api_tokens::revoke_mine(&mut tx, read_id).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            api_tokens::authenticate(&store, &read)
                .await
                .unwrap()
                .is_none()
        );
        // An expired token is refused.
        let mut tx = store.begin(o.admin).await.unwrap();
        let (old_id, old) = api_tokens::issue(
            &mut tx,
            o.spec.user_id,
            "古い",
            api_tokens::TokenScope::Write,
            1,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(
            api_tokens::authenticate(&store, &old)
                .await
                .unwrap()
                .is_some()
        );
        let past = if store.is_sqlite() {
            "UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00+00:00' WHERE id = "
        } else {
            "UPDATE api_tokens SET expires_at = TIMESTAMPTZ '2020-01-01 00:00:00+00' WHERE id = "
        };
        store
            .conn()
            .execute_unprepared(&format!("{past}{old_id}"))
            .await
            .unwrap();
        assert!(
            api_tokens::authenticate(&store, &old)
                .await
                .unwrap()
                .is_none()
        );
    }
);
