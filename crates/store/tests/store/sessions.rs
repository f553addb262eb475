//! Sessions, sign-in rate limits and API tokens.

use crate::common::*;
use yorisoi_store::*;

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
