//! The second factor: enrolment confirmed by a code, a code good once (also when sent twice at
//! once), recovery codes stored hashed and good once, the office policy, pending sign-ins.

use crate::common::*;
use yorisoi_domain::second_factor::{Mode, Policy, code_at, step_at};
use yorisoi_store::second_factor::{self as sf, Purpose, Verified};
use yorisoi_store::*;

store_test!(
    second_factor_enrol_verify_and_reuse,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let (office_id, user) = (o.spec.office_id, o.spec.user_id);
        assert!(!sf::enrolled(&store, user).await.unwrap());
        let secret = sf::begin_enrolment(&store, office_id, user).await.unwrap();
        assert_eq!(
            sf::pending_secret(&store, user).await.unwrap(),
            Some(secret.clone())
        );
        let now = now_utc();
        let step = step_at(now.timestamp());
        // Not active before it is confirmed.
        assert_eq!(
            sf::verify(&store, office_id, user, &code_at(&secret, step), now)
                .await
                .unwrap(),
            Verified::Wrong
        );
        let codes = sf::confirm_enrolment(&store, office_id, user, &code_at(&secret, step), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(codes.len(), 10);
        assert!(sf::enrolled(&store, user).await.unwrap());
        // A second enrolment is refused while one is active.
        assert!(sf::begin_enrolment(&store, office_id, user).await.is_err());
        // The confirming code is spent; the previous step too; the next one is good once.
        for s in [step, step - 1] {
            assert_eq!(
                sf::verify(&store, office_id, user, &code_at(&secret, s), now)
                    .await
                    .unwrap(),
                Verified::Wrong
            );
        }
        let next = code_at(&secret, step + 1);
        let (a, b) = tokio::join!(
            sf::verify(&store, office_id, user, &next, now),
            sf::verify(&store, office_id, user, &next, now)
        );
        let results = [a.unwrap(), b.unwrap()];
        assert_eq!(
            results.iter().filter(|r| **r == Verified::Code).count(),
            1,
            "sent twice at once, good once: {results:?}"
        );
        // Recovery codes: stored hashed, good once, any case and hyphens.
        let dump: Vec<String> = {
            use sea_orm::{ConnectionTrait, Statement};
            let rows = store
                .conn()
                .query_all_raw(Statement::from_string(
                    store.backend(),
                    "SELECT code_hash FROM recovery_codes",
                ))
                .await
                .unwrap();
            rows.iter()
                .map(|r| r.try_get::<String>("", "code_hash").unwrap())
                .collect()
        };
        assert!(
            dump.iter()
                .all(|h| !codes.iter().any(|c| h.contains(&c.replace('-', ""))))
        );
        let typed = codes[3].to_lowercase().replace('-', " ");
        assert_eq!(
            sf::verify(&store, office_id, user, &typed, now)
                .await
                .unwrap(),
            Verified::Recovery { left: 9 }
        );
        assert_eq!(
            sf::verify(&store, office_id, user, &codes[3], now)
                .await
                .unwrap(),
            Verified::Wrong
        );
        // Another user's codes are not mine.
        assert_eq!(
            sf::verify(&store, office_id, o.spec2.user_id, &codes[4], now)
                .await
                .unwrap(),
            Verified::Wrong
        );
        let fresh = sf::regenerate_recovery(&store, office_id, user)
            .await
            .unwrap();
        assert_eq!(
            sf::verify(&store, office_id, user, &codes[4], now)
                .await
                .unwrap(),
            Verified::Wrong
        );
        assert_eq!(sf::status(&store, user).await.unwrap().recovery_left, 10);
        assert!(matches!(
            sf::verify(&store, office_id, user, &fresh[0], now)
                .await
                .unwrap(),
            Verified::Recovery { .. }
        ));
        sf::disable(&store, office_id, user).await.unwrap();
        assert!(!sf::enrolled(&store, user).await.unwrap());
        assert_eq!(sf::status(&store, user).await.unwrap().recovery_left, 0);
    }
);

store_test!(
    second_factor_policy_and_pending,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let p = office(&store, "みなと", "m").await;
        let office_id = o.admin.office_id;
        assert_eq!(
            sf::policy(&store, office_id).await.unwrap().mode,
            Mode::Optional
        );
        let policy = Policy {
            mode: Mode::Required,
            grace_until: Some(today()),
        };
        // Admins only.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(sf::set_policy(&mut tx, policy).await.is_err());
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        sf::set_policy(&mut tx, policy).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        sf::set_policy(
            &mut tx,
            Policy {
                mode: Mode::Optional,
                grace_until: None,
            },
        )
        .await
        .unwrap();
        sf::set_policy(&mut tx, policy).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(sf::policy(&store, office_id).await.unwrap(), policy);
        // The other office's stays its own.
        assert_eq!(
            sf::policy(&store, p.admin.office_id).await.unwrap().mode,
            Mode::Optional
        );
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            events
                .iter()
                .filter(|e| e.action == "second_factor_policy")
                .count(),
            3
        );
        // Pending sign-ins: found by token, spent once, gone after five minutes.
        let token = sf::start_pending(&store, o.spec.user_id, Purpose::Verify, "/clients")
            .await
            .unwrap();
        let now = now_utc();
        let found = sf::pending(&store, &token, now).await.unwrap().unwrap();
        assert_eq!(found.user.id, o.spec.user_id);
        assert_eq!(found.next, "/clients");
        assert!(sf::pending(&store, "forged", now).await.unwrap().is_none());
        assert!(
            sf::pending(&store, &token, now + chrono::Duration::minutes(6))
                .await
                .unwrap()
                .is_none()
        );
        let token = sf::start_pending(&store, o.spec.user_id, Purpose::Enrol, "/")
            .await
            .unwrap();
        let found = sf::pending(&store, &token, now).await.unwrap().unwrap();
        assert_eq!(found.purpose, Purpose::Enrol);
        assert!(sf::end_pending(&store, found.id).await.unwrap());
        assert!(!sf::end_pending(&store, found.id).await.unwrap());
        // The second step's throttle: five per user in the window.
        for i in 0..6 {
            let c = sessions::claim_second_step(&store, o.spec.user_id, 5, now)
                .await
                .unwrap();
            assert_eq!(c.allowed, i < 5, "attempt {i}");
        }
        let c = sessions::claim_second_step(&store, o.spec2.user_id, 5, now)
            .await
            .unwrap();
        assert!(c.allowed, "another user's count is their own");
    }
);

store_test!(
    totp_secrets_are_sealed_with_the_audit_key,
    |store: Store| async move {
        use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use yorisoi_domain::second_factor::base32_encode;
        use yorisoi_store::entities::second_factor as row;
        let o = office(&store, "よりそい", "i").await;
        let (office_id, user) = (o.spec.office_id, o.spec.user_id);
        let secret = sf::begin_enrolment(&store, office_id, user).await.unwrap();
        let stored = |u: i64| {
            let store = store.clone();
            async move {
                row::Entity::find()
                    .filter(row::Column::UserId.eq(u))
                    .one(store.conn())
                    .await
                    .unwrap()
                    .unwrap()
                    .secret
            }
        };
        // Sealed: not the secret in any form a dump would show.
        let sealed = stored(user).await;
        assert!(sealed.starts_with("v1:"), "{sealed}");
        assert!(!sealed.contains(&base32_encode(&secret)));
        let now = now_utc();
        let c = code_at(&secret, step_at(now.timestamp()));
        assert!(
            sf::confirm_enrolment(&store, office_id, user, &c, now)
                .await
                .unwrap()
                .is_some()
        );
        // Copied into another user's row (someone with the database login), it does not open.
        let other = o.spec2.user_id;
        row::Entity::insert(row::ActiveModel {
            office_id: Set(office_id),
            user_id: Set(other),
            secret: Set(sealed.clone()),
            confirmed_at: Set(Some(now)),
            last_step: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(store.conn())
        .await
        .unwrap();
        let next = code_at(&secret, step_at(now.timestamp()) + 1);
        assert!(
            sf::verify(&store, office_id, other, &next, now)
                .await
                .is_err()
        );
        // A secret stored in plain by an older version still works, and is sealed at start.
        row::Entity::update_many()
            .col_expr(row::Column::Secret, Expr::value(base32_encode(&secret)))
            .filter(row::Column::UserId.eq(other))
            .exec(store.conn())
            .await
            .unwrap();
        let plain = stored(other).await;
        assert_eq!(plain, base32_encode(&secret));
        assert_eq!(
            sf::verify(&store, office_id, other, &next, now)
                .await
                .unwrap(),
            Verified::Code,
            "{plain}"
        );
        assert_eq!(sf::seal_plain_secrets(&store).await.unwrap(), 1);
        assert_eq!(sf::seal_plain_secrets(&store).await.unwrap(), 0);
        assert!(stored(other).await.starts_with("v1:"));
        let later_now = now + chrono::Duration::seconds(30);
        let later = code_at(&secret, step_at(later_now.timestamp()) + 1);
        assert_eq!(
            sf::verify(&store, office_id, other, &later, later_now)
                .await
                .unwrap(),
            Verified::Code
        );
    }
);

store_test!(
    second_factor_state_read_with_the_session,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let p = office(&store, "みなと", "m").await;
        let (office_id, user) = (o.spec.office_id, o.spec.user_id);
        // What the session lookup reads in its one statement must be what the separate reads
        // say, in every state.
        async fn agrees(store: &Store, user: i64, office_id: i64) -> (bool, Policy) {
            let token = sessions::create(store, user).await.unwrap().token;
            let sessions::Lookup::Live(live) =
                sessions::lookup_or_expired(store, &token, now_utc(), true)
                    .await
                    .unwrap()
            else {
                panic!("a live session");
            };
            let Some(f) = live.second_factor else {
                panic!("read with the session");
            };
            let one = (f.enrolled, f.policy);
            let apart = (
                sf::enrolled(store, user).await.unwrap(),
                sf::policy(store, office_id).await.unwrap(),
            );
            assert_eq!(one, apart);
            one
        }
        // No policy row: optional, and nobody enrolled.
        let none = Policy {
            mode: Mode::Optional,
            grace_until: None,
        };
        assert_eq!(agrees(&store, user, office_id).await, (false, none));
        // The office sets a grace period; the other office's policy is not this one's.
        let grace = Policy {
            mode: Mode::Required,
            grace_until: Some(today() + chrono::Duration::days(14)),
        };
        let mut tx = store.begin(o.admin).await.unwrap();
        sf::set_policy(&mut tx, grace).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(agrees(&store, user, office_id).await, (false, grace));
        assert_eq!(
            agrees(&store, p.spec.user_id, p.spec.office_id).await,
            (false, none)
        );
        // An enrolment begun but not confirmed is no second factor yet.
        let secret = sf::begin_enrolment(&store, office_id, user).await.unwrap();
        assert_eq!(agrees(&store, user, office_id).await, (false, grace));
        let now = now_utc();
        sf::confirm_enrolment(
            &store,
            office_id,
            user,
            &code_at(&secret, step_at(now.timestamp())),
            now,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(agrees(&store, user, office_id).await, (true, grace));
        // Someone else's second factor is not this user's.
        assert_eq!(
            agrees(&store, o.spec2.user_id, office_id).await,
            (false, grace)
        );
        // A passkey alone is a second factor.
        yorisoi_store::passkeys::add(
            &store,
            office_id,
            o.spec2.user_id,
            yorisoi_store::passkeys::NewPasskey {
                name: "iPad",
                credential_id: "cred-notice",
                user_handle: "5f0c7a52-1a1b-4c3d-8e9f-000000000002",
                credential: "{}",
            },
        )
        .await
        .unwrap();
        assert_eq!(
            agrees(&store, o.spec2.user_id, office_id).await,
            (true, grace)
        );
    }
);
