//! Nothing typed is lost to an expired session: typing keeps the session alive, and a form sent
//! after it ended anyway is kept and saved after signing in again (issue 17, Major 4).

use crate::common::*;
use axum::http::{StatusCode, header};
use yorisoi_store::*;

fn token(s: &Sess) -> String {
    s.cookie.trim_start_matches("yorisoi_session=").to_string()
}

#[tokio::test]
async fn typing_keeps_the_session_alive_and_an_ended_one_answers_401() {
    let app = app().await;
    let s = app.session(app.spec).await;
    testing::idle_session(&app.store, &token(&s), 25)
        .await
        .unwrap();
    let r = app.get(Some(&s), "/session/alive").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    // The ping moved the idle clock: ten more minutes later the session still lives.
    let live = sessions::lookup(
        &app.store,
        &token(&s),
        now_utc() + chrono::Duration::minutes(10),
    )
    .await
    .unwrap();
    assert!(live.is_some(), "the keep-alive refreshed the idle clock");
    testing::idle_session(&app.store, &token(&s), 31)
        .await
        .unwrap();
    let r = app.get(Some(&s), "/session/alive").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Never signed in at all: 401 too, not a redirect the page's script would follow.
    assert_eq!(
        app.get(None, "/session/alive").await.status,
        StatusCode::UNAUTHORIZED
    );
    // A page asked with the ended session says why sign-in is asked again.
    let r = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    let login = app.get(None, &location(&r)).await;
    assert!(
        login.body.contains("ログインの有効期限が切れました"),
        "{}",
        login.body
    );
}

#[tokio::test]
async fn a_form_sent_after_the_session_expired_is_kept_and_saved_after_signing_in_again() {
    let app = app().await;
    let s = app.session(app.spec).await;
    testing::idle_session(&app.store, &token(&s), 45)
        .await
        .unwrap();
    let path = format!("/clients/{}/notes", app.client);
    let words = "長い面談の記録。仕事に戻りたいと話された。";
    let r = app
        .post(
            &s,
            &path,
            &[("kind", "visit"), ("content", words), ("date", "R8.11.2")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?next=%2Fsession%2Frestore&parked=1");
    let login = app.get(None, &location(&r)).await;
    assert!(
        login.body.contains("内容は保管してあります"),
        "{}",
        login.body
    );
    assert!(login.body.contains("value=\"/session/restore\""));
    // Not saved: only kept.
    let again = app.session(app.spec).await;
    let client_page = app
        .get(Some(&again), &format!("/clients/{}", app.client))
        .await;
    assert!(!client_page.body.contains(words));
    // Another user sees none of it.
    let other = app.session(app.spec2).await;
    let theirs = app.get(Some(&other), "/session/restore").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(words) && theirs.body.contains("保管している入力はありません"));
    // The same user, signed in again: the words, and a form that sends every field to the same
    // place with the new session's token.
    let page = app.get(Some(&again), "/session/restore").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(words), "{}", page.body);
    assert!(page.body.contains(&format!("action=\"{path}\"")));
    assert!(page.body.contains(&again.csrf) && !page.body.contains(&s.csrf));
    let kept = parked::list(&app.store, app.spec.user_id, now_utc())
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    let id = kept[0].id.to_string();
    let r = app
        .post(
            &again,
            &path,
            &[
                ("kind", "visit"),
                ("content", words),
                ("date", "R8.11.2"),
                ("restored_from", &id),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let client_page = app
        .get(Some(&again), &format!("/clients/{}", app.client))
        .await;
    assert!(client_page.body.contains(words));
    // Saved, so no longer kept.
    assert!(
        parked::list(&app.store, app.spec.user_id, now_utc())
            .await
            .unwrap()
            .is_empty()
    );
    let page = app.get(Some(&again), "/session/restore").await;
    assert!(!page.body.contains(words));
    let log = app.audit_actions().await;
    assert!(log.contains(&"form_parked".to_string()));
    assert!(log.contains(&"form_restored".to_string()));
}

#[tokio::test]
async fn only_the_expired_sessions_own_form_is_kept_and_it_can_be_given_up() {
    let app = app().await;
    let s = app.session(app.spec).await;
    testing::idle_session(&app.store, &token(&s), 45)
        .await
        .unwrap();
    let path = format!("/clients/{}/notes", app.client);
    // A forged token (another site posting with the cookie): nothing is kept.
    let forged = Sess {
        cookie: s.cookie.clone(),
        csrf: "forged".into(),
    };
    let r = app
        .post(
            &forged,
            &path,
            &[("kind", "visit"), ("content", "偽物")],
            true,
        )
        .await;
    assert_eq!(location(&r), "/login?expired=1");
    assert!(
        parked::list(&app.store, app.spec.user_id, now_utc())
            .await
            .unwrap()
            .is_empty()
    );
    // ログアウト pressed after expiry: to sign-in, nothing kept.
    let r = app.post(&s, "/logout", &[], true).await;
    assert_eq!(location(&r), "/login?expired=1");
    assert!(
        parked::list(&app.store, app.spec.user_id, now_utc())
            .await
            .unwrap()
            .is_empty()
    );
    // Signed out (not expired): nothing is kept either.
    let gone = app.session(app.spec).await;
    let r = app.post(&gone, "/logout", &[], true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .post(
            &gone,
            &path,
            &[("kind", "visit"), ("content", "サインアウト後")],
            true,
        )
        .await;
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    assert!(
        parked::list(&app.store, app.spec.user_id, now_utc())
            .await
            .unwrap()
            .is_empty()
    );
    // The real one is kept; another user cannot give it up; its owner can.
    let r = app
        .post(
            &s,
            &path,
            &[("kind", "visit"), ("content", "保管される記録")],
            true,
        )
        .await;
    assert!(location(&r).contains("parked=1"));
    let kept = parked::list(&app.store, app.spec.user_id, now_utc())
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    let discard = format!("/session/restore/{}/discard", kept[0].id);
    let other = app.session(app.spec2).await;
    assert_eq!(
        app.post(&other, &discard, &[], true).await.status,
        StatusCode::NOT_FOUND
    );
    let again = app.session(app.spec).await;
    assert_eq!(
        app.post(&again, &discard, &[], false).await.status,
        StatusCode::FORBIDDEN,
        "without the CSRF token"
    );
    let r = app.post(&again, &discard, &[], true).await;
    assert_eq!(location(&r), "/session/restore?saved=discarded");
    assert!(
        parked::list(&app.store, app.spec.user_id, now_utc())
            .await
            .unwrap()
            .is_empty()
    );
    let page = app
        .get(Some(&again), "/session/restore?saved=discarded")
        .await;
    assert!(page.body.contains("破棄しました"));
    assert!(
        app.audit_actions()
            .await
            .contains(&"form_discarded".to_string())
    );
}
