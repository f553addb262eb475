//! Passkeys: stored per user, the first one brings recovery codes, the same credential twice is
//! refused, removing the last second factor takes the recovery codes with it, a challenge is
//! good once and for minutes, and an admin resets a staff member's second factor with a reason
//! — in the office only.

use crate::common::*;
use yorisoi_store::passkeys::{self as pk, Ceremony, NewPasskey};
use yorisoi_store::second_factor::{self as sf, Verified};
use yorisoi_store::*;

fn key<'a>(name: &'a str, id: &'a str) -> NewPasskey<'a> {
    NewPasskey {
        name,
        credential_id: id,
        user_handle: "5f0c7a52-1a1b-4c3d-8e9f-000000000001",
        credential: "{\"cred\":\"opaque to the store\"}",
    }
}

store_test!(passkeys_add_list_remove, |store: Store| async move {
    let o = office(&store, "よりそい", "i").await;
    let (office_id, user) = (o.spec.office_id, o.spec.user_id);
    assert_eq!(pk::user_handle(&store, user).await.unwrap(), None);
    // The first passkey is the first second factor: recovery codes come with it.
    let a = pk::add(
        &store,
        office_id,
        user,
        key("  事務所のパソコン ", "cred-a"),
    )
    .await
    .unwrap();
    assert_eq!(a.recovery_codes.len(), 10);
    let st = sf::status(&store, user).await.unwrap();
    assert!(st.enrolled && !st.totp);
    assert_eq!((st.passkeys, st.recovery_left), (1, 10));
    assert_eq!(
        pk::user_handle(&store, user).await.unwrap().as_deref(),
        Some("5f0c7a52-1a1b-4c3d-8e9f-000000000001")
    );
    // A recovery code works for a user with passkeys only.
    assert_eq!(
        sf::verify(&store, office_id, user, &a.recovery_codes[0], now_utc())
            .await
            .unwrap(),
        Verified::Recovery { left: 9 }
    );
    // The second brings none; the same credential again (anyone's) is refused; names are checked.
    let b = pk::add(&store, office_id, user, key("iPad", "cred-b"))
        .await
        .unwrap();
    assert!(b.recovery_codes.is_empty());
    let again = pk::add(&store, office_id, o.spec2.user_id, key("x", "cred-a")).await;
    assert!(matches!(again, Err(StoreError::Rule(m)) if m.contains("すでに登録")));
    assert!(
        pk::add(&store, office_id, user, key("  ", "cred-c"))
            .await
            .is_err()
    );
    assert!(
        pk::add(&store, office_id, user, key(&"あ".repeat(41), "cred-c"))
            .await
            .is_err()
    );
    let listed = pk::list(&store, user).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["事務所のパソコン", "iPad"]
    );
    // Used: the last use, and the credential when the library updated it.
    pk::used(&store, listed[0].id, Some("{\"cred\":\"counter 7\"}"))
        .await
        .unwrap();
    let listed = pk::list(&store, user).await.unwrap();
    assert!(listed[0].last_used_at.is_some() && listed[1].last_used_at.is_none());
    assert!(listed[0].credential.contains("counter 7"));
    // Another user cannot remove it; removing one keeps the codes; the last takes them.
    assert!(matches!(
        pk::remove(&store, office_id, o.spec2.user_id, listed[0].id).await,
        Err(StoreError::NotFound)
    ));
    pk::remove(&store, office_id, user, listed[0].id)
        .await
        .unwrap();
    assert_eq!(sf::status(&store, user).await.unwrap().recovery_left, 9);
    pk::remove(&store, office_id, user, listed[1].id)
        .await
        .unwrap();
    let st = sf::status(&store, user).await.unwrap();
    assert!(!st.enrolled);
    assert_eq!((st.passkeys, st.recovery_left), (0, 0));
    assert_eq!(
        sf::verify(&store, office_id, user, &a.recovery_codes[1], now_utc())
            .await
            .unwrap(),
        Verified::Wrong
    );
    // Each add and remove is in the office's log.
    let mut tx = store.begin(o.admin).await.unwrap();
    let (events, _) = audit::list(
        &mut tx,
        &audit::AuditFilter {
            per_page: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let count = |a: &str| events.iter().filter(|e| e.action == a).count();
    assert_eq!((count("passkey_add"), count("passkey_remove")), (2, 2));
});

store_test!(
    passkeys_challenges_are_good_once,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let user = o.spec.user_id;
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::Register)
                .await
                .unwrap(),
            None
        );
        pk::save_challenge(&store, user, Ceremony::Register, "first")
            .await
            .unwrap();
        pk::save_challenge(&store, user, Ceremony::Register, "second")
            .await
            .unwrap();
        pk::save_challenge(&store, user, Ceremony::SignIn(41), "sign-in")
            .await
            .unwrap();
        // Another device's sign-in of the same user keeps its own challenge.
        pk::save_challenge(&store, user, Ceremony::SignIn(43), "elsewhere")
            .await
            .unwrap();
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::SignIn(43))
                .await
                .unwrap()
                .as_deref(),
            Some("elsewhere")
        );
        // The newer replaces the older; a sign-in's challenge is its pending sign-in's only.
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::Register)
                .await
                .unwrap()
                .as_deref(),
            Some("second")
        );
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::Register)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::SignIn(42))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            pk::take_challenge(&store, o.spec2.user_id, Ceremony::SignIn(41))
                .await
                .unwrap(),
            None
        );
        // Two answers at once: one gets the state.
        let (a, b) = tokio::join!(
            pk::take_challenge(&store, user, Ceremony::SignIn(41)),
            pk::take_challenge(&store, user, Ceremony::SignIn(41))
        );
        let got = [a.unwrap(), b.unwrap()];
        assert_eq!(got.iter().filter(|g| g.is_some()).count(), 1, "{got:?}");
        // Expired: gone.
        pk::save_challenge(&store, user, Ceremony::Register, "old")
            .await
            .unwrap();
        {
            use sea_orm::{EntityTrait, sea_query::Expr};
            use yorisoi_store::entities::webauthn_challenge as wc;
            wc::Entity::update_many()
                .col_expr(
                    wc::Column::ExpiresAt,
                    Expr::value(now_utc() - chrono::Duration::minutes(6)),
                )
                .exec(store.conn())
                .await
                .unwrap();
        }
        assert_eq!(
            pk::take_challenge(&store, user, Ceremony::Register)
                .await
                .unwrap(),
            None
        );
    }
);

store_test!(
    an_admin_resets_a_second_factor_in_the_office_only,
    |store: Store| async move {
        let o = office(&store, "よりそい", "i").await;
        let p = office(&store, "みなと", "m").await;
        let (office_id, user) = (o.spec.office_id, o.spec.user_id);
        pk::add(&store, office_id, user, key("iPhone", "cred-r"))
            .await
            .unwrap();
        let secret = sf::begin_enrolment(&store, office_id, o.spec2.user_id)
            .await
            .unwrap();
        let now = now_utc();
        let code = yorisoi_domain::second_factor::code_at(
            &secret,
            yorisoi_domain::second_factor::step_at(now.timestamp()),
        );
        sf::confirm_enrolment(&store, office_id, o.spec2.user_id, &code, now)
            .await
            .unwrap()
            .unwrap();
        // A specialist may not; another office's admin gets NotFound; a reason is required.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(pk::reset_user(&mut tx, user, "紛失").await.is_err());
        tx.rollback().await.unwrap();
        let mut tx = store.begin(p.admin).await.unwrap();
        assert!(matches!(
            pk::reset_user(&mut tx, user, "紛失").await,
            Err(StoreError::NotFound)
        ));
        tx.rollback().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(matches!(
            pk::reset_user(&mut tx, user, "  ").await,
            Err(StoreError::Invalid(_))
        ));
        tx.rollback().await.unwrap();
        assert!(sf::status(&store, user).await.unwrap().enrolled);
        for u in [user, o.spec2.user_id] {
            let mut tx = store.begin(o.admin).await.unwrap();
            pk::reset_user(&mut tx, u, "スマートフォンの紛失（電話で確認）")
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let st = sf::status(&store, u).await.unwrap();
            assert!(!st.enrolled && !st.totp);
            assert_eq!((st.passkeys, st.recovery_left), (0, 0));
        }
        // TOTP can be set up again afterwards.
        assert!(
            sf::begin_enrolment(&store, office_id, o.spec2.user_id)
                .await
                .is_ok()
        );
        let mut tx = store.begin(o.admin).await.unwrap();
        let (events, _) = audit::list(
            &mut tx,
            &audit::AuditFilter {
                per_page: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let resets: Vec<_> = events
            .iter()
            .filter(|e| e.action == "second_factor_reset")
            .collect();
        assert_eq!(resets.len(), 2);
        assert!(resets.iter().all(|e| e.detail.contains("電話で確認")));
    }
);
