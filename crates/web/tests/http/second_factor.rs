//! 二段階認証: set-up from the settings page, the sign-in's second step (code reuse refused,
//! throttled after 5 wrong codes, recovery codes good once), the office policy with its grace
//! period, and who may touch whose second factor.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use yorisoi_domain::policy::Actor;
use yorisoi_domain::second_factor::{base32_decode, code_at, step_at};
use yorisoi_store::*;

const SECRET: &[u8] = b"12345678901234567890";

fn code(secret: &[u8], offset: i64) -> String {
    code_at(secret, step_at(now_utc().timestamp()) + offset)
}

fn form(path: &str, cookie: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap()
}

/// The password step for `login`; returns its answer and the pending cookie (if any).
async fn password_step(app: &App, login: &str) -> (Resp, Option<String>) {
    let page = app.get(None, "/login").await;
    let csrf_cookie = set_cookie(&page, "yorisoi_login").unwrap();
    let token = csrf_cookie.split_once('=').unwrap().1.to_string();
    let r = app
        .send(form(
            "/login",
            &csrf_cookie,
            &[
                ("login", login),
                ("password", PASSWORD),
                ("csrf", &token),
                ("next", "/clients"),
            ],
        ))
        .await;
    // A session clears the cookie (empty value); only a pending sign-in sets one.
    let pending = set_cookie(&r, "yorisoi_pending").filter(|c| !c.ends_with('='));
    (r, pending)
}

/// A second step (or enrolment) with `typed`, from the page's own form.
async fn second_step(app: &App, path: &str, pending: &str, typed: &str) -> Resp {
    let page = app
        .send(
            Request::get(path)
                .header(header::COOKIE, pending)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let cookie = format!("{pending}; {}", set_cookie(&page, "yorisoi_login").unwrap());
    app.send(form(path, &cookie, &[("csrf", &csrf), ("code", typed)]))
        .await
}

async fn enrol(app: &App, a: Actor) -> Vec<String> {
    second_factor::seed_enrolled(&app.store, a.office_id, a.user_id, SECRET)
        .await
        .unwrap()
}

#[tokio::test]
async fn totp_enrol_then_sign_in_with_code_and_reuse_refused() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let r = app.get(Some(&s), "/account/second-factor").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("未設定"), "{}", r.body);
    let r = app
        .post(&s, "/account/second-factor/start", &[], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get(Some(&s), "/account/second-factor").await;
    assert!(r.body.contains("<svg") && r.body.contains("<path d=\"M"));
    let shown = r.body.split("id=\"secret\">").nth(1).unwrap();
    let shown = &shown[..shown.find('<').unwrap()];
    assert_eq!(shown.len(), 32 + 7, "in groups of 4: {shown}");
    let secret = base32_decode(shown).unwrap();
    // A wrong code leaves it off.
    let wrong = format!(
        "{:06}",
        (code(&secret, 0).parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let r = app
        .post(
            &s,
            "/account/second-factor/confirm",
            &[("code", &wrong)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("コードが違います"));
    let used = code(&secret, 0);
    let r = app
        .post(
            &s,
            "/account/second-factor/confirm",
            &[("code", &used)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body.matches("<li><code>").count(),
        10,
        "ten recovery codes"
    );
    assert!(r.body.contains("状態: 有効"));
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_enrol".to_string())
    );
    // The password alone no longer signs in: no session, a pending sign-in instead.
    let (r, pending) = password_step(&app, "spec").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login/second-factor");
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    let pending = pending.unwrap();
    // The code used to confirm is not good again.
    let r = second_step(&app, "/login/second-factor", &pending, &used).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    // The next step's code signs in, to where the user was going.
    let next = code(&secret, 1);
    let r = second_step(&app, "/login/second-factor", &pending, &next).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), "/clients");
    let session = set_cookie(&r, "yorisoi_session").unwrap();
    let home = app
        .send(
            Request::get("/clients")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(home.status, StatusCode::OK);
    // The pending sign-in is spent; the same code in a new sign-in is refused.
    let again = app
        .send(
            Request::get("/login/second-factor")
                .header(header::COOKIE, &pending)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(location(&again), "/login");
    let (_, pending2) = password_step(&app, "spec").await;
    let r = second_step(&app, "/login/second-factor", &pending2.unwrap(), &next).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn totp_second_step_throttled_after_five_wrong_codes() {
    let app = app().await;
    enrol(&app, app.spec).await;
    let (_, pending) = password_step(&app, "spec").await;
    let pending = pending.unwrap();
    for _ in 0..5 {
        let r = second_step(&app, "/login/second-factor", &pending, "abcdef").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("コードが違います"));
    }
    // Even the right code waits now.
    let r = second_step(&app, "/login/second-factor", &pending, &code(SECRET, 0)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    let actions = app.audit_actions().await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "second_factor_failed")
            .count(),
        5
    );
    assert!(actions.contains(&"sign_in_throttled".to_string()));
    // The admin's unlock lifts the second step's limit too.
    let a = app.session(app.admin).await;
    let r = app
        .post(
            &a,
            &format!("/admin/staff/{}/unlock", app.spec.user_id),
            &[("reason", "本人に電話で確認した")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = second_step(&app, "/login/second-factor", &pending, &code(SECRET, 0)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The log shows them in Japanese.
    let log = app.get(Some(&a), "/admin/audit").await;
    assert!(log.body.contains("二段階認証の失敗"));
}

#[tokio::test]
async fn totp_recovery_code_works_once() {
    let app = app().await;
    let codes = enrol(&app, app.spec).await;
    assert_eq!(codes.len(), 10);
    let (_, pending) = password_step(&app, "spec").await;
    let r = second_step(
        &app,
        "/login/second-factor",
        &pending.unwrap(),
        &codes[0].to_lowercase(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(set_cookie(&r, "yorisoi_session").is_some());
    let (_, pending) = password_step(&app, "spec").await;
    let r = second_step(&app, "/login/second-factor", &pending.unwrap(), &codes[0]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let st = second_factor::status(&app.store, app.spec.user_id)
        .await
        .unwrap();
    assert_eq!(st.recovery_left, 9);
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_recovery_used".to_string())
    );
}

#[tokio::test]
async fn totp_second_step_needs_its_pending_sign_in_and_csrf() {
    let app = app().await;
    enrol(&app, app.spec).await;
    let r = app.get(None, "/login/second-factor").await;
    assert_eq!(location(&r), "/login");
    let r = app.get(None, "/login/enrol").await;
    assert_eq!(location(&r), "/login");
    let (_, pending) = password_step(&app, "spec").await;
    let pending = pending.unwrap();
    // No double-submit token: refused before anything is counted.
    let r = app
        .send(form(
            "/login/second-factor",
            &pending,
            &[("csrf", "x"), ("code", &code(SECRET, 0))],
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With it, the code signs in; a forged pending cookie leads back to the sign-in page.
    let r = second_step(&app, "/login/second-factor", &pending, &code(SECRET, 0)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let forged = app
        .send(
            Request::get("/login/second-factor")
                .header(header::COOKIE, "yorisoi_pending=forged")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(location(&forged), "/login");
    // A user without a second factor (and not required to have one) signs in at once.
    let (r, pending) = password_step(&app, "spec2").await;
    assert!(pending.is_none());
    assert!(set_cookie(&r, "yorisoi_session").is_some());
}

#[tokio::test]
async fn totp_only_my_own_second_factor() {
    let app = app().await;
    enrol(&app, app.spec).await;
    // Not signed in: to the sign-in page.
    let r = app.get(None, "/account/second-factor").await;
    assert!(location(&r).starts_with("/login"), "{}", r.status);
    // Another user of the office, and another office's admin, see their own (none) and cannot
    // turn mine off or remake my codes.
    for who in [app.spec2, app.other_admin, app.admin] {
        let s = app.session(who).await;
        let r = app.get(Some(&s), "/account/second-factor").await;
        assert!(!r.body.contains("状態: 有効"));
        for path in [
            "/account/second-factor/disable",
            "/account/second-factor/recovery",
        ] {
            let r = app.post(&s, path, &[("password", PASSWORD)], true).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        }
        // Without the CSRF token: refused.
        let r = app
            .post(&s, "/account/second-factor/start", &[], false)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert!(
        second_factor::enrolled(&app.store, app.spec.user_id)
            .await
            .unwrap()
    );
    // The API tells each caller about themselves only.
    let t = app.token(app.spec2).await;
    let (st, v) = app
        .api(&t, Method::GET, "/api/v1/me/second-factor", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["enrolled"], false);
    let t = app.token(app.spec).await;
    let (_, v) = app
        .api(&t, Method::GET, "/api/v1/me/second-factor", None)
        .await;
    assert_eq!(v["enrolled"], true);
    assert_eq!(v["recovery_codes_left"], 10);
    // API bearer tokens are unaffected by the second factor.
    let (st, _) = app.api(&t, Method::GET, "/api/v1/clients", None).await;
    assert_eq!(st, StatusCode::OK);
}

#[tokio::test]
async fn totp_disable_and_regenerate_need_proof() {
    let app = app().await;
    let old = enrol(&app, app.spec).await;
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            "/account/second-factor/recovery",
            &[("password", "wrong one")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &s,
            "/account/second-factor/recovery",
            &[("code", &code(SECRET, 0))],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    assert!(!r.body.contains(&old[0]));
    // The old codes stopped working.
    let (_, pending) = password_step(&app, "spec").await;
    let r = second_step(&app, "/login/second-factor", &pending.unwrap(), &old[1]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .post(
            &s,
            "/account/second-factor/disable",
            &[("password", "wrong one")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        second_factor::enrolled(&app.store, app.spec.user_id)
            .await
            .unwrap()
    );
    let r = app
        .post(
            &s,
            "/account/second-factor/disable",
            &[("password", PASSWORD)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !second_factor::enrolled(&app.store, app.spec.user_id)
            .await
            .unwrap()
    );
    let actions = app.audit_actions().await;
    for a in [
        "second_factor_recovery",
        "second_factor_disable",
        "second_factor_failed",
    ] {
        assert!(actions.contains(&a.to_string()), "{a}");
    }
}

#[tokio::test]
async fn totp_office_policy_grace_then_required() {
    let app = app().await;
    // Only an admin sets the policy (page and API); others get the same 404.
    for who in [app.lead, app.spec, app.clerk] {
        let s = app.session(who).await;
        assert_eq!(
            app.get(Some(&s), "/admin/second-factor").await.status,
            StatusCode::NOT_FOUND
        );
        let r = app
            .post(
                &s,
                "/admin/second-factor",
                &[("mode", "required"), ("grace_until", "")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let t = app.token(who).await;
        let (st, _) = app
            .api(&t, Method::GET, "/api/v1/admin/second-factor-policy", None)
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = app
            .api(
                &t,
                Method::PUT,
                "/api/v1/admin/second-factor-policy",
                Some(serde_json::json!({"mode": "required"})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
    let a = app.session(app.admin).await;
    let r = app.get(Some(&a), "/admin/second-factor").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("職員 spec"));
    let r = app
        .post(
            &a,
            "/admin/second-factor",
            &[("mode", "sometimes"), ("grace_until", "2026-13-40")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("方針を選んでください"));
    // The grace date is typed as every date in yorisoi is: 和暦 or 西暦, full-width too.
    let r = app
        .post(
            &a,
            "/admin/second-factor",
            &[("mode", "optional"), ("grace_until", "Ｒ９．３．３１")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&a), "/admin/second-factor").await;
    assert!(
        page.body.contains("2027-03-31"),
        "R9.3.31 read as 2027-03-31"
    );
    let later = today_jst() + chrono::Duration::days(30);
    let r = app
        .post(
            &a,
            "/admin/second-factor",
            &[("mode", "required"), ("grace_until", &later.to_string())],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_policy".to_string())
    );
    // In the grace period: signed in with the password, and asked on the home page.
    let (r, pending) = password_step(&app, "spec").await;
    assert!(pending.is_none());
    let session = set_cookie(&r, "yorisoi_session").unwrap();
    let home = app
        .send(
            Request::get("/")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        home.body.contains("二段階認証の設定が必要です"),
        "{}",
        home.body
    );
    // After it: to the set-up at once, with no session until it is done.
    let t = app.token(app.admin).await;
    let yesterday = today_jst() - chrono::Duration::days(1);
    let (st, v) = app
        .api(
            &t,
            Method::PUT,
            "/api/v1/admin/second-factor-policy",
            Some(serde_json::json!({"mode": "required", "grace_until": yesterday.to_string()})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = app
        .api(&t, Method::GET, "/api/v1/admin/second-factor-policy", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["mode"], "required");
    let (st, _) = app
        .api(
            &t,
            Method::PUT,
            "/api/v1/admin/second-factor-policy",
            Some(serde_json::json!({"mode": "never"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (r, pending) = password_step(&app, "spec").await;
    assert_eq!(location(&r), "/login/enrol");
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    let pending = pending.unwrap();
    let page = app
        .send(
            Request::get("/login/enrol")
                .header(header::COOKIE, &pending)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("<svg"));
    let shown = page.body.split("id=\"secret\">").nth(1).unwrap();
    let secret = base32_decode(&shown[..shown.find('<').unwrap()]).unwrap();
    let r = second_step(&app, "/login/enrol", &pending, &code(&secret, 0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    assert!(r.body.contains("href=\"/clients\""));
    assert!(set_cookie(&r, "yorisoi_session").is_some());
    assert!(
        second_factor::enrolled(&app.store, app.spec.user_id)
            .await
            .unwrap()
    );
    // It cannot be turned off while the policy requires it.
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            "/account/second-factor/disable",
            &[("password", PASSWORD)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        second_factor::enrolled(&app.store, app.spec.user_id)
            .await
            .unwrap()
    );
    // Another office's policy is its own: an admin there with no policy set must enrol now.
    let (r, _) = password_step(&app, "o-admin").await;
    assert_eq!(location(&r), "/login/enrol");
    let (r, _) = password_step(&app, "o-spec").await;
    assert!(set_cookie(&r, "yorisoi_session").is_some());
}
