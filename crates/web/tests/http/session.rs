//! Sign-in, sign-out, rate limits, security headers and the CSRF token.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use yorisoi_store::*;

#[tokio::test]
async fn sign_in_rotates_session_and_sign_out_ends_it() {
    let app = app().await;
    let form = app.get(None, "/login").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("サインイン"));
    let login_cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = login_cookie.split_once('=').unwrap().1.to_string();
    let post = |cookie: String, body: String| {
        Request::post("/login")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    // Without the double-submit cookie: refused.
    let r = app
        .send(post(
            String::new(),
            format!("login=spec&password={PASSWORD}&csrf={token}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Wrong password: a Japanese message, the login kept, no session.
    let r = app
        .send(post(
            login_cookie.clone(),
            format!("login=spec&password=wrong-password&csrf={token}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("ログインIDまたはパスワードが違います"));
    assert!(r.body.contains("value=\"spec\""));
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    // Right password: a session cookie, HttpOnly and SameSite=Strict, and a safe redirect.
    let r = app
        .send(post(
            login_cookie.clone(),
            format!(
                "login=SPEC&password={}&csrf={token}&next=%2F%2Fevil.example",
                PASSWORD.replace(' ', "+")
            ),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/");
    let raw = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("yorisoi_session="))
        .unwrap();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict"),
        "{raw}"
    );
    let first = set_cookie(&r, "yorisoi_session").unwrap();
    // Signing in again gives a new id and ends the old session.
    let r = app
        .send(post(
            format!("{login_cookie}; {first}"),
            format!(
                "login=spec&password={}&csrf={token}",
                PASSWORD.replace(' ', "+")
            ),
        ))
        .await;
    let second = set_cookie(&r, "yorisoi_session")
        .unwrap_or_else(|| panic!("{} {:?} {}", r.status, r.headers, r.body));
    assert_ne!(first, second);
    let old = app
        .send(
            Request::get("/clients")
                .header(header::COOKIE, &first)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        old.status,
        StatusCode::SEE_OTHER,
        "the old session no longer works"
    );
    let page = app
        .send(
            Request::get("/")
                .header(header::COOKIE, &second)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // Sign-out ends the session on the server.
    let s = Sess {
        cookie: second.clone(),
        csrf: String::new(),
    };
    let info = sessions::lookup(&app.store, second.split_once('=').unwrap().1, now_utc())
        .await
        .unwrap()
        .unwrap();
    let s = Sess {
        csrf: info.csrf_token,
        ..s
    };
    let out = app.post(&s, "/logout", &[], true).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(Some(&s), "/clients").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account() {
    let app = app().await;
    let form = app.get(None, "/login").await;
    let cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = cookie.split_once('=').unwrap().1.to_string();
    let attempt = |pw: &str| {
        Request::post("/login")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("login=spec&password={pw}&csrf={token}")))
            .unwrap()
    };
    for _ in 0..5 {
        assert_eq!(
            app.send(attempt("nope")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused while the window lasts; the message says to wait.
    let r = app.send(attempt(&PASSWORD.replace(' ', "+"))).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("15分"));
    // Another account is not locked by this one's failures.
    let other = Request::post("/login")
        .header(header::COOKIE, cookie.clone())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login=spec2&password={}&csrf={token}",
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    assert_eq!(app.send(other).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn pages_carry_security_headers_and_require_sign_in() {
    let app = app().await;
    let anon = app.get(None, "/clients").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(
        anon.headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    let (st, body) = app.api("", Method::GET, "/api/v1/clients", None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
    let s = app.session(app.spec).await;
    let r = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(
        r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(!r.body.contains("<script>"), "no inline script");
    assert_eq!(
        app.get(None, "/static/app.css").await.status,
        StatusCode::OK
    );
    let missing = app.get(Some(&s), "/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("見つかりません"));
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let before = app.note_count().await;
    let path = format!("/clients/{}/notes", app.client);
    let r = app
        .post(
            &s,
            &path,
            &[("kind", "phone"), ("content", "CSRFなし")],
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("読み込み直して"));
    let bad = Sess {
        cookie: s.cookie.clone(),
        csrf: "forged".into(),
    };
    assert_eq!(
        app.post(
            &bad,
            &path,
            &[("kind", "phone"), ("content", "偽のトークン")],
            true
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.note_count().await, before);
    let ok = app
        .post(
            &s,
            &path,
            &[
                ("kind", "phone"),
                ("content", "本人から電話。体調は良い。"),
                ("minutes", "10"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.note_count().await, before + 1);
}

fn sign_in_request(cookie: &str, token: &str, login: &str, password: &str) -> Request<Body> {
    Request::post("/login")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login={login}&password={}&csrf={token}",
            password.replace(' ', "+")
        )))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_passwords_has_at_most_five_checked() {
    let app = std::sync::Arc::new(app().await);
    let form = app.get(None, "/login").await;
    let cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = cookie.split_once('=').unwrap().1.to_string();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (app, cookie, token) = (app.clone(), cookie.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            app.send(sign_in_request(
                &cookie,
                &token,
                "spec",
                &format!("wrong{i}"),
            ))
            .await
            .status
        }));
    }
    let mut checked = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // Every attempt is counted before its password is checked: a password is checked only
    // while the count is within the limit.
    assert!(checked <= 5, "{checked} passwords were checked");
    assert_eq!(checked + refused, 100);
    // The failures that were checked are in the office's audit log.
    let failed = app.audit_actions().await;
    assert_eq!(
        failed.iter().filter(|a| *a == "sign_in_failed").count(),
        checked
    );
    assert!(failed.iter().any(|a| a == "sign_in_throttled"));
}

#[tokio::test]
async fn failures_from_one_address_never_lock_out_a_known_device() {
    let app = app().await;
    let form = app.get(None, "/login").await;
    let login_cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = login_cookie.split_once('=').unwrap().1.to_string();
    // spec2 signs in once from this browser: it becomes a known device.
    let r = app
        .send(sign_in_request(&login_cookie, &token, "spec2", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let device = set_cookie(&r, "yorisoi_device").expect("a device cookie");
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "sign_in_new_device")
    );
    // Someone at the same address fails 20 times with made-up logins.
    for i in 0..20 {
        let r = app
            .send(sign_in_request(
                &login_cookie,
                &token,
                &format!("nobody{i}"),
                "x",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // A user without a known device at that address is now held back …
    let r = app
        .send(sign_in_request(&login_cookie, &token, "spec", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // … but spec2's right password from the device they used before still signs in.
    let with_device = format!("{login_cookie}; {device}");
    let r = app
        .send(sign_in_request(&with_device, &token, "spec2", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A device cookie is not a key to someone else's account.
    let r = app
        .send(sign_in_request(&with_device, &token, "spec", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_admin_lifts_a_locked_account_with_a_reason_in_the_audit_log() {
    let app = app().await;
    let form = app.get(None, "/login").await;
    let cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let token = cookie.split_once('=').unwrap().1.to_string();
    for _ in 0..5 {
        let r = app
            .send(sign_in_request(&cookie, &token, "spec", "nope"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .send(sign_in_request(&cookie, &token, "spec", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let path = format!("/admin/staff/{}/unlock", app.spec.user_id);
    // Not for a lead, nor for another office's admin: the same 404 as a missing account.
    for who in [app.lead, app.other_admin] {
        let s = app.session(who).await;
        let r = app.post(&s, &path, &[("reason", "電話で確認")], true).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?}");
    }
    let admin = app.session(app.admin).await;
    // A reason is required.
    let r = app.post(&admin, &path, &[("reason", " ")], true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("解除の理由"));
    let r = app
        .send(sign_in_request(&cookie, &token, "spec", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "still locked");
    let r = app
        .post(&admin, &path, &[("reason", "本人から電話で確認した")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .send(sign_in_request(&cookie, &token, "spec", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "unlocked");
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "sign_in_unlock")
    );
}

#[tokio::test]
async fn the_unlock_through_the_api_needs_an_admin_and_a_reason() {
    let app = app().await;
    let path = format!("/api/v1/admin/staff/{}/unlock", app.spec.user_id);
    let lead = app.token(app.lead).await;
    let (st, _) = app
        .api(
            &lead,
            Method::POST,
            &path,
            Some(serde_json::json!({"reason": "x"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let admin = app.token(app.admin).await;
    let (st, body) = app
        .api(
            &admin,
            Method::POST,
            &path,
            Some(serde_json::json!({"reason": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["reason"].is_string());
    let (st, body) = app
        .api(
            &admin,
            Method::POST,
            &path,
            Some(serde_json::json!({"reason": "本人から電話で確認した"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["id"], app.spec.user_id);
}
