//! 自分の設定: the password change, an admin's reset that forces a change, 自分のログイン状況
//! (every session of mine, ending one or all the others), an admin ending a staff member's
//! sessions — through the pages and the API, for the user, another user, another office.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use yorisoi_domain::policy::Actor;
use yorisoi_store::sessions::Origin;
use yorisoi_store::*;

const NEW: &str = "tsukimi-dango-kasa-37";
const WINDOWS_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// A session of `a` started from a browser and address.
async fn session_from(app: &App, a: Actor, ua: &str, address: &str) -> (Sess, i64) {
    let origin = Origin {
        user_agent: ua.into(),
        address: address.into(),
    };
    let s = sessions::create_from(&app.store, a.user_id, &origin)
        .await
        .unwrap();
    let id = sessions::lookup(&app.store, &s.token, now_utc())
        .await
        .unwrap()
        .unwrap()
        .session_id;
    (
        Sess {
            cookie: format!("yorisoi_session={}", s.token),
            csrf: s.csrf_token,
        },
        id,
    )
}

async fn alive(app: &App, s: &Sess) -> bool {
    let token = s.cookie.split_once('=').unwrap().1;
    sessions::lookup(&app.store, token, now_utc())
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn my_sessions_are_listed_and_ended_one_or_all_others() {
    let app = app().await;
    let (here, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.10").await;
    let (phone, phone_id) = session_from(
        &app,
        app.spec,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "198.51.100.7",
    )
    .await;
    let (third, _) = session_from(&app, app.spec, "", "").await;
    let (colleague, colleague_id) =
        session_from(&app, app.spec2, WINDOWS_CHROME, "192.0.2.99").await;
    let (far, far_id) = session_from(&app, app.other_admin, WINDOWS_CHROME, "203.0.113.1").await;

    // Without a session: to sign-in.
    let r = app.get(None, "/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login"));

    let page = app.get(Some(&here), "/account").await;
    assert_eq!(page.status, StatusCode::OK);
    for want in [
        "自分のログイン状況",
        "Chrome（Windows）",
        "Safari（iPhone）",
        "不明な端末",
        "192.0.2.10",
        "198.51.100.7",
        "この端末",
        "ほかのセッションをすべて終了する（2件）",
        "href=\"/account/password\"",
    ] {
        assert!(page.body.contains(want), "{want}");
    }
    assert!(
        !page.body.contains("192.0.2.99"),
        "a colleague's session is not listed"
    );
    assert!(!page.body.contains("203.0.113.1"));
    assert_eq!(page.body.matches("この端末</strong>").count(), 1);
    // The nav links to it.
    let home = app.get(Some(&here), "/").await;
    assert!(home.body.contains("href=\"/account\""));

    // Without the CSRF token: refused.
    let r = app
        .post(
            &here,
            &format!("/account/sessions/{phone_id}/end"),
            &[],
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(alive(&app, &phone).await);
    // Someone else's session, of this office or another: the same 404 as none.
    for id in [colleague_id, far_id, 9_999_999] {
        let r = app
            .post(&here, &format!("/account/sessions/{id}/end"), &[], true)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}");
    }
    assert!(alive(&app, &colleague).await && alive(&app, &far).await);

    let r = app
        .post(
            &here,
            &format!("/account/sessions/{phone_id}/end"),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/account?saved=ended");
    assert!(!alive(&app, &phone).await);
    // The phone is signed out: its next page goes to sign-in.
    let r = app.get(Some(&phone), "/").await;
    assert!(location(&r).starts_with("/login"), "{}", r.status);

    let r = app
        .post(&here, "/account/sessions/end-others", &[], true)
        .await;
    assert_eq!(location(&r), "/account?saved=others");
    assert!(alive(&app, &here).await, "this device stays");
    assert!(!alive(&app, &third).await);
    assert!(alive(&app, &colleague).await, "a colleague's sessions stay");
    let page = app.get(Some(&here), "/account?saved=others").await;
    assert!(page.body.contains("ほかのセッションをすべて終了しました"));
    assert!(page.body.contains("ほかの端末ではサインインしていません"));

    let log = app.audit_actions().await;
    assert!(log.contains(&"session_end".to_string()));
    assert!(log.contains(&"sessions_end_others".to_string()));
    // Every role has its own settings.
    for who in [app.admin, app.lead, app.clerk, app.spec2] {
        let s = app.session(who).await;
        assert_eq!(app.get(Some(&s), "/account").await.status, StatusCode::OK);
        assert_eq!(
            app.get(Some(&s), "/account/password").await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_real_sign_in_records_the_browser() {
    let app = app().await;
    let form = app.get(None, "/login").await;
    let login_cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = login_cookie.split_once('=').unwrap().1.to_string();
    let r = app
        .send(
            Request::post("/login")
                .header(header::COOKIE, &login_cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(
                    header::USER_AGENT,
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0",
                )
                .body(Body::from(format!(
                    "login=lead&password={}&csrf={token}",
                    PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = set_cookie(&r, "yorisoi_session").unwrap();
    let page = app
        .send(
            Request::get("/account")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("Firefox（Mac）"), "{}", page.body);
    assert!(page.body.contains("この端末"));
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one() {
    let app = app().await;
    let (here, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.10").await;
    let (other, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.11").await;
    let page = app.get(Some(&here), "/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("現在のパスワード"));
    assert!(!page.body.contains("管理者がパスワードを再設定しました"));

    // Refused: wrong current, weak, the login name in it, not confirmed. The page says why in
    // Japanese, with the summary; no password is sent back.
    for (current, new, confirm, field, message) in [
        (
            "wrong-wrong-wrong",
            NEW,
            NEW,
            "current_password",
            "現在のパスワードが違います",
        ),
        (
            PASSWORD,
            "password12",
            "password12",
            "new_password",
            "よく使われている",
        ),
        (
            PASSWORD,
            "qwertyuiop",
            "qwertyuiop",
            "new_password",
            "推測されやすい",
        ),
        (
            PASSWORD,
            "spec-sora-kujira-88",
            "spec-sora-kujira-88",
            "new_password",
            "ログインID",
        ),
        (
            PASSWORD,
            "よりそい-sora-kujira-7",
            "よりそい-sora-kujira-7",
            "new_password",
            "事業所の名前",
        ),
        (
            PASSWORD,
            NEW,
            "tsukimi-dango",
            "confirm_password",
            "一致しません",
        ),
    ] {
        let r = app
            .post(
                &here,
                "/account/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{new}");
        assert!(
            r.body.contains("入力に1件の問題があります"),
            "{new}: {}",
            r.body
        );
        assert!(r.body.contains(message), "{new}: {message}");
        assert!(
            r.body.contains(&format!("id=\"e-{field}\"")),
            "{new}: {field}"
        );
        assert!(
            !r.body.contains(new) && !r.body.contains(current),
            "no password sent back"
        );
    }
    assert!(alive(&app, &other).await);

    let r = app
        .post(
            &here,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), "/account?saved=password");
    assert!(alive(&app, &here).await);
    assert!(!alive(&app, &other).await, "the other session ended");
    let page = app.get(Some(&here), "/account?saved=password").await;
    assert!(page.body.contains("パスワードを変更しました"));
    let u = users::find_by_login(&app.store, "spec")
        .await
        .unwrap()
        .unwrap();
    assert!(users::verify_password(&u.password_hash, NEW));
    assert!(
        app.audit_actions()
            .await
            .contains(&"password_change".to_string())
    );
    // The audit page labels it.
    let admin = app.session(app.admin).await;
    let audit = app.get(Some(&admin), "/admin/audit").await;
    assert!(audit.body.contains("パスワードの変更"));
}

#[tokio::test]
async fn an_admin_reset_sends_the_user_to_the_change_page_until_they_change_it() {
    let app = app().await;
    let (before, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.10").await;
    let token = app.token(app.spec).await;
    let admin = app.session(app.admin).await;
    let path = format!("/admin/staff/{}/password", app.spec.user_id);
    let temp = "kari-no-pasuwado-5821";

    let edit = app
        .get(Some(&admin), &format!("/admin/staff/{}", app.spec.user_id))
        .await;
    assert!(edit.body.contains("パスワードの再設定"));
    assert!(
        edit.body
            .contains("サインイン中のセッション: <strong>1件</strong>")
    );
    // Refused: weak, not confirmed — the staff edit page again, nothing echoed.
    for (pw, confirm, message) in [
        ("password1234", "password1234", "よく使われている"),
        (temp, "something-else-entirely", "一致しません"),
    ] {
        let r = app
            .post(
                &admin,
                &path,
                &[("password", pw), ("confirm_password", confirm)],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(message), "{message}");
        assert!(r.body.contains("入力に1件の問題があります"));
        assert!(r.body.contains("職員の編集"));
        assert!(!r.body.contains(pw));
    }
    assert!(alive(&app, &before).await);
    // Own password: from 自分の設定 instead.
    let r = app
        .post(
            &admin,
            &format!("/admin/staff/{}/password", app.admin.user_id),
            &[("password", temp), ("confirm_password", temp)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("自分の設定"));

    let r = app
        .post(
            &admin,
            &path,
            &[("password", temp), ("confirm_password", temp)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let saved = app.get(Some(&admin), &location(&r)).await;
    assert!(saved.body.contains("パスワードを再設定しました"));
    assert!(!alive(&app, &before).await, "the reset ends the sessions");
    assert!(
        app.audit_actions()
            .await
            .contains(&"password_reset".to_string())
    );

    // Signed in again (with the temporary password): every page goes to the change page,
    // the API answers 403 with a clear code.
    let s = app.session(app.spec).await;
    for path in [
        "/",
        "/clients",
        "/account",
        &format!("/clients/{}", app.client),
    ] {
        let r = app.get(Some(&s), path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&r), "/account/password", "{path}");
    }
    let r = app
        .post(&s, "/clients", &[("family_name", "x")], true)
        .await;
    assert_eq!(location(&r), "/account/password");
    let (status, body) = app.api(&token, Method::GET, "/api/v1/clients", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "password_change_required");
    assert!(body["message"].as_str().unwrap().contains("パスワード"));
    let page = app.get(Some(&s), "/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("管理者がパスワードを再設定しました"));
    // Signing out still works.
    let out = app.post(&s, "/logout", &[], true).await;
    assert_eq!(location(&out), "/login");

    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            "/account/password",
            &[
                ("current_password", temp),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.get(Some(&s), "/").await.status, StatusCode::OK);
    let (status, _) = app.api(&token, Method::GET, "/api/v1/clients", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_ends_a_staff_members_sessions() {
    let app = app().await;
    let (a, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.10").await;
    let (b, _) = session_from(&app, app.spec, "", "").await;
    let (colleague, _) = session_from(&app, app.spec2, "", "").await;
    let admin = app.session(app.admin).await;
    let path = format!("/admin/staff/{}/sessions/end", app.spec.user_id);
    let r = app
        .post(&admin, &path, &[("reason", &"長".repeat(201))], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("200文字"));
    assert!(
        r.body.contains(&"長".repeat(201)),
        "the reason typed is kept"
    );
    let r = app
        .post(&admin, &path, &[("reason", "端末の紛失")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!alive(&app, &a).await && !alive(&app, &b).await);
    assert!(alive(&app, &colleague).await);
    let page = app.get(Some(&admin), &location(&r)).await;
    assert!(page.body.contains("セッションをすべて終了しました"));
    assert!(
        page.body
            .contains("サインイン中のセッション: <strong>0件</strong>")
    );
    let audit = app.get(Some(&admin), "/admin/audit").await;
    assert!(
        audit
            .body
            .contains("職員のセッションをすべて終了（管理者）")
    );
    assert!(audit.body.contains("端末の紛失"));
}

#[tokio::test]
async fn the_new_admin_routes_are_for_our_admins_only() {
    let app = app().await;
    let (victim, _) = session_from(&app, app.spec, "", "").await;
    let temp = "kari-no-pasuwado-5821";
    for who in [app.lead, app.spec2, app.clerk, app.other_admin] {
        let s = app.session(who).await;
        for (path, pairs) in [
            (
                format!("/admin/staff/{}/password", app.spec.user_id),
                vec![("password", temp), ("confirm_password", temp)],
            ),
            (
                format!("/admin/staff/{}/sessions/end", app.spec.user_id),
                vec![("reason", "x")],
            ),
        ] {
            let r = app.post(&s, &path, &pairs, true).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {path}");
        }
        let token = app.token(who).await;
        for (path, body) in [
            (
                format!("/api/v1/admin/staff/{}/password", app.spec.user_id),
                json!({"password": temp}),
            ),
            (
                format!("/api/v1/admin/staff/{}/sessions/end", app.spec.user_id),
                json!({}),
            ),
        ] {
            let (status, _) = app.api(&token, Method::POST, &path, Some(body)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who:?} {path}");
        }
    }
    assert!(alive(&app, &victim).await);
    let u = users::find_by_login(&app.store, "spec")
        .await
        .unwrap()
        .unwrap();
    assert!(!u.must_change_password);
}

#[tokio::test]
async fn the_account_api_changes_lists_and_ends() {
    let app = app().await;
    let (web, _) = session_from(&app, app.spec, WINDOWS_CHROME, "192.0.2.10").await;
    let (_, colleague_id) = session_from(&app, app.spec2, "", "").await;
    let token = app.token(app.spec).await;
    let (status, body) = app
        .api(&token, Method::GET, "/api/v1/account/sessions", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let list = body["sessions"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["device"], "Chrome（Windows）");
    assert_eq!(list[0]["address"], "192.0.2.10");
    assert_eq!(list[0]["current"], false);

    let (status, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/account/sessions/{colleague_id}/end"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/account/password",
            Some(json!({"current_password": PASSWORD, "new_password": "password12"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["fields"]["new_password"]
            .as_str()
            .unwrap()
            .contains("よく使われている")
    );
    let (status, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/account/password",
            Some(json!({"current_password": PASSWORD, "new_password": NEW})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ended_sessions"], 1, "a token has no session: all end");
    assert!(!alive(&app, &web).await);

    let (s2, s2_id) = session_from(&app, app.spec, "", "").await;
    let (status, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/account/sessions/{s2_id}/end"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!alive(&app, &s2).await);
    let (s3, _) = session_from(&app, app.spec, "", "").await;
    let (status, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/account/sessions/end-others",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["ended"], 1);
    assert!(!alive(&app, &s3).await);

    // The admin's API: reset (then the user's token answers 403) and end sessions.
    let admin = app.token(app.admin).await;
    let (s4, _) = session_from(&app, app.spec, "", "").await;
    let (status, body) = app
        .api(
            &admin,
            Method::POST,
            &format!("/api/v1/admin/staff/{}/sessions/end", app.spec.user_id),
            Some(json!({"reason": "端末の紛失"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["ended"], 1);
    assert!(!alive(&app, &s4).await);
    let (status, body) = app
        .api(
            &admin,
            Method::POST,
            &format!("/api/v1/admin/staff/{}/password", app.spec.user_id),
            Some(json!({"password": "qwerty"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["password"].is_string());
    let (status, _) = app
        .api(
            &admin,
            Method::POST,
            &format!("/api/v1/admin/staff/{}/password", app.spec.user_id),
            Some(json!({"password": "kari-no-pasuwado-5821"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .api(&token, Method::GET, "/api/v1/account/sessions", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "password_change_required");
    let (status, _) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/account/password",
            Some(json!({"current_password": "kari-no-pasuwado-5821", "new_password": "umi-to-yama-no-aida-42"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api(&token, Method::GET, "/api/v1/account/sessions", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn guessing_the_current_password_from_an_open_session_is_limited() {
    let app = app().await;
    let s = app.session(app.spec).await;
    for _ in 0..5 {
        let r = app
            .post(
                &s,
                "/account/password",
                &[
                    ("current_password", "guess-guess-guess"),
                    ("new_password", NEW),
                    ("confirm_password", NEW),
                ],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right one is refused now, with a Japanese message, and nothing changes.
    let r = app
        .post(
            &s,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("続けて間違えた"));
    let token = app.token(app.spec).await;
    let (status, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/account/password",
            Some(json!({"current_password": PASSWORD, "new_password": NEW})),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "too_many_requests");
    let u = users::find_by_login(&app.store, "spec")
        .await
        .unwrap()
        .unwrap();
    assert!(users::verify_password(&u.password_hash, PASSWORD));
    // Another user is not held back.
    let s2 = app.session(app.spec2).await;
    let r = app
        .post(
            &s2,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
