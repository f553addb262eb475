//! パスキー: registration from the settings page (the password first, the name kept when
//! refused), the sign-in's second step answered with a passkey, a replayed answer refused, the
//! counter kept, removal of one's own only (the last kept while the policy requires one), the
//! address passkeys are bound to, and the admin's reset with its reason.
//!
//! The authenticator here is a small software one (ES256, "none" attestation, CBOR written by
//! hand) so that webauthn-rs checks real signatures in-process; the e2e suite does the same
//! with Chromium's own WebAuthn and a virtual authenticator.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use yorisoi_domain::second_factor::{Mode, Policy};
use yorisoi_store::*;

const HOST: &str = "localhost:8080";
const ORIGIN: &str = "http://localhost:8080";

/// A software authenticator holding one ES256 key.
struct SoftKey {
    key: SigningKey,
    id: Vec<u8>,
    counter: u32,
}

fn cbor_bytes(out: &mut Vec<u8>, b: &[u8]) {
    match b.len() {
        n if n < 24 => out.push(0x40 | n as u8),
        n if n < 256 => out.extend([0x58, n as u8]),
        n => {
            out.push(0x59);
            out.extend((n as u16).to_be_bytes());
        }
    }
    out.extend(b);
}

fn cbor_text(out: &mut Vec<u8>, s: &str) {
    assert!(s.len() < 24);
    out.push(0x60 | s.len() as u8);
    out.extend(s.as_bytes());
}

impl SoftKey {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_slice(&[seed; 32]).unwrap();
        SoftKey {
            key,
            id: vec![
                seed, 0xC0, 0xFF, 0xEE, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            ],
            counter: 0,
        }
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let (x, y) = (point.x().unwrap(), point.y().unwrap());
        // {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let mut out = vec![0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        cbor_bytes(&mut out, x);
        out.push(0x22);
        cbor_bytes(&mut out, y);
        out
    }

    fn auth_data(&self, flags: u8, attested: bool) -> Vec<u8> {
        let mut d = Sha256::digest(b"localhost").to_vec();
        d.push(flags);
        d.extend(self.counter.to_be_bytes());
        if attested {
            d.extend([0u8; 16]);
            d.extend((self.id.len() as u16).to_be_bytes());
            d.extend(&self.id);
            d.extend(self.cose_key());
        }
        d
    }

    fn client_data(kind: &str, challenge: &str) -> Vec<u8> {
        json!({"type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    /// The answer to `navigator.credentials.create()` with these options.
    fn create(&self, options: &Value) -> String {
        let challenge = options["publicKey"]["challenge"].as_str().unwrap();
        let client_data = Self::client_data("webauthn.create", challenge);
        // user present, user verified, attested credential data
        let auth_data = self.auth_data(0x45, true);
        let mut att = vec![0xA3];
        cbor_text(&mut att, "fmt");
        cbor_text(&mut att, "none");
        cbor_text(&mut att, "attStmt");
        att.push(0xA0);
        cbor_text(&mut att, "authData");
        cbor_bytes(&mut att, &auth_data);
        json!({
            "id": B64.encode(&self.id),
            "rawId": B64.encode(&self.id),
            "type": "public-key",
            "response": {
                "attestationObject": B64.encode(att),
                "clientDataJSON": B64.encode(client_data),
            },
            "extensions": {}
        })
        .to_string()
    }

    /// The answer to `navigator.credentials.get()` with these options.
    fn get(&mut self, options: &Value) -> String {
        let challenge = options["publicKey"]["challenge"].as_str().unwrap();
        self.counter += 1;
        let client_data = Self::client_data("webauthn.get", challenge);
        let auth_data = self.auth_data(0x05, false);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let sig: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.id),
            "rawId": B64.encode(&self.id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(sig.to_der().as_bytes()),
                "userHandle": null,
            },
            "extensions": {}
        })
        .to_string()
    }
}

/// The options a page put on its passkey form (`data-options`, HTML-escaped JSON).
fn options_on(body: &str) -> Value {
    let at = body
        .find("data-options=\"")
        .unwrap_or_else(|| panic!("no passkey options in {body}"));
    let rest = &body[at + 14..];
    let raw = &rest[..rest.find('"').unwrap()];
    let text = raw
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap()
}

fn form_at(path: &str, cookie: &str, host: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, host)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap()
}

fn get_at(path: &str, cookie: &str, host: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, host)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

/// Registers `key` for the signed-in `s` under `name`; returns the finishing page.
async fn register(app: &App, s: &Sess, key: &SoftKey, name: &str) -> Resp {
    let page = app
        .send(form_at(
            "/account/passkeys/start",
            &s.cookie,
            HOST,
            &[("name", name), ("password", PASSWORD), ("csrf", &s.csrf)],
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let answer = key.create(&options_on(&page.body));
    app.send(form_at(
        "/account/passkeys/finish",
        &s.cookie,
        HOST,
        &[
            ("name", &hidden(&page.body, "name")),
            ("credential", &answer),
            ("csrf", &s.csrf),
        ],
    ))
    .await
}

/// The password step for `login`: the pending sign-in's cookie.
async fn password_step(app: &App, login: &str) -> String {
    let page = app.send(get_at("/login", "", HOST)).await;
    let csrf_cookie = set_cookie(&page, "yorisoi_login").unwrap();
    let token = csrf_cookie.split_once('=').unwrap().1.to_string();
    let r = app
        .send(form_at(
            "/login",
            &csrf_cookie,
            HOST,
            &[
                ("login", login),
                ("password", PASSWORD),
                ("csrf", &token),
                ("next", "/clients"),
            ],
        ))
        .await;
    assert_eq!(location(&r), "/login/second-factor");
    set_cookie(&r, "yorisoi_pending").unwrap()
}

/// The second step's page and the cookies its form needs.
async fn step_page(app: &App, pending: &str) -> (Resp, String) {
    let page = app
        .send(get_at("/login/second-factor", pending, HOST))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cookie = format!("{pending}; {}", set_cookie(&page, "yorisoi_login").unwrap());
    (page, cookie)
}

async fn answer_step(app: &App, page: &Resp, cookie: &str, answer: &str) -> Resp {
    app.send(form_at(
        "/login/second-factor/passkey",
        cookie,
        HOST,
        &[
            ("csrf", &hidden(&page.body, "csrf")),
            ("credential", answer),
        ],
    ))
    .await
}

#[tokio::test]
async fn a_passkey_is_registered_and_answers_the_second_step_once() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let mut key = SoftKey::new(7);
    // Opened at an address, the page says where passkeys work and offers no form.
    let r = app.get(Some(&s), "/account/second-factor").await;
    assert!(r.body.contains("パスキーは、yorisoi を http://localhost"));
    assert!(!r.body.contains("/account/passkeys/start"));
    let r = app
        .send(get_at("/account/second-factor", &s.cookie, HOST))
        .await;
    assert!(r.body.contains("action=\"/account/passkeys/start\""));
    // The password first; the name typed stays when it is wrong.
    let r = app
        .send(form_at(
            "/account/passkeys/start",
            &s.cookie,
            HOST,
            &[
                ("name", "事務所のパソコン"),
                ("password", "wrong-one"),
                ("csrf", &s.csrf),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("パスワードが違います"));
    assert!(r.body.contains("value=\"事務所のパソコン\""));
    // A garbage answer is refused in words, and nothing is stored.
    let page = app
        .send(form_at(
            "/account/passkeys/start",
            &s.cookie,
            HOST,
            &[("name", "x"), ("password", PASSWORD), ("csrf", &s.csrf)],
        ))
        .await;
    let options = options_on(&page.body);
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    let r = app
        .send(form_at(
            "/account/passkeys/finish",
            &s.cookie,
            HOST,
            &[
                ("name", "x"),
                ("credential", "{\"id\":1}"),
                ("csrf", &s.csrf),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("ブラウザからの応答を読めませんでした"),
        "{}",
        r.body
    );
    // The challenge was spent by that answer: a right answer to it now is refused too.
    let r = app
        .send(form_at(
            "/account/passkeys/finish",
            &s.cookie,
            HOST,
            &[
                ("name", "x"),
                ("credential", &key.create(&options)),
                ("csrf", &s.csrf),
            ],
        ))
        .await;
    assert!(r.body.contains("もう一度「パスキーを登録」"), "{}", r.body);
    assert!(
        passkeys::list(&app.store, app.spec.user_id)
            .await
            .unwrap()
            .is_empty()
    );

    // Registered: the first second factor brings ten recovery codes.
    let r = register(&app, &s, &key, "事務所のパソコン").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("パスキーを登録しました"));
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    assert!(r.body.contains("事務所のパソコン"));
    // The same authenticator again is excluded by the browser, and refused here.
    let r = register(&app, &s, &key, "もう一度").await;
    assert!(r.body.contains("すでに登録されています"), "{}", r.body);
    assert!(
        app.audit_actions()
            .await
            .contains(&"passkey_add".to_string())
    );

    // Sign-in: the password, then the passkey; only then the session.
    let pending = password_step(&app, "spec").await;
    let (page, cookie) = step_page(&app, &pending).await;
    let options = options_on(&page.body);
    assert_eq!(
        options["publicKey"]["allowCredentials"][0]["id"],
        B64.encode(&key.id)
    );
    assert!(page.body.contains("回復コード"));
    let answer = key.get(&options);
    let r = answer_step(&app, &page, &cookie, &answer).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), "/clients");
    let session = set_cookie(&r, "yorisoi_session").unwrap();
    let home = app.send(get_at("/clients", &session, HOST)).await;
    assert_eq!(home.status, StatusCode::OK);
    let stored = &passkeys::list(&app.store, app.spec.user_id).await.unwrap()[0];
    assert!(stored.last_used_at.is_some());
    // The same answer in a new sign-in is refused (another challenge), and counted.
    let pending = password_step(&app, "spec").await;
    let (page, cookie) = step_page(&app, &pending).await;
    let r = answer_step(&app, &page, &cookie, &answer).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&r, "yorisoi_session").is_none());
    assert!(r.body.contains("パスキーで確認できませんでした"));
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_failed".to_string())
    );
    // A fresh answer to the fresh challenge signs in; garbage never makes a 500.
    let (page, cookie) = step_page(&app, &pending).await;
    // (Three more failures: with the replay, four of the five the second step allows.)
    for junk in ["", "[1,2]", &"x".repeat(5000)] {
        let r = answer_step(&app, &page, &cookie, junk).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{junk:.20}");
    }
    let (page, cookie) = step_page(&app, &pending).await;
    let r = answer_step(&app, &page, &cookie, &key.get(&options_on(&page.body))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A key whose counter went backwards (a clone) is refused.
    key.counter = 0;
    let pending = password_step(&app, "spec").await;
    let (page, cookie) = step_page(&app, &pending).await;
    let r = answer_step(&app, &page, &cookie, &key.get(&options_on(&page.body))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}

#[tokio::test]
async fn passkeys_are_removed_by_their_owner_only_and_the_last_kept_when_required() {
    let app = app().await;
    let s = app.session(app.spec).await;
    register(&app, &s, &SoftKey::new(3), "iPad").await;
    let mine = passkeys::list(&app.store, app.spec.user_id).await.unwrap();
    // Another staff member (page and API): 404, nothing removed.
    let s2 = app.session(app.spec2).await;
    let r = app
        .post(
            &s2,
            &format!("/account/passkeys/{}/remove", mine[0].id),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let t2 = app.token(app.spec2).await;
    let (status, _) = app
        .api(
            &t2,
            Method::POST,
            &format!("/api/v1/me/passkeys/{}/remove", mine[0].id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.api(&t2, Method::GET, "/api/v1/me/passkeys", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["passkeys"].as_array().unwrap().len(), 0);
    // The office requires a second factor: the last one stays.
    second_factor::seed_policy(
        &app.store,
        app.spec.office_id,
        app.admin.user_id,
        Policy {
            mode: Mode::Required,
            grace_until: None,
        },
    )
    .await
    .unwrap();
    let r = app
        .post(
            &s,
            &format!("/account/passkeys/{}/remove", mine[0].id),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("最後のパスキーは削除できません"));
    let t = app.token(app.spec).await;
    let (status, body) = app.api(&t, Method::GET, "/api/v1/me/passkeys", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["passkeys"][0]["name"], "iPad");
    let (status, _) = app
        .api(
            &t,
            Method::POST,
            &format!("/api/v1/me/passkeys/{}/remove", mine[0].id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Optional again: removed, with the recovery codes.
    second_factor::seed_policy(
        &app.store,
        app.spec.office_id,
        app.admin.user_id,
        Policy {
            mode: Mode::Optional,
            grace_until: None,
        },
    )
    .await
    .unwrap();
    let r = app
        .post(
            &s,
            &format!("/account/passkeys/{}/remove", mine[0].id),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let st = second_factor::status(&app.store, app.spec.user_id)
        .await
        .unwrap();
    assert!(!st.enrolled && st.recovery_left == 0);
    assert!(
        app.audit_actions()
            .await
            .contains(&"passkey_remove".to_string())
    );
}

#[tokio::test]
async fn an_admin_resets_a_staff_members_second_factor_with_a_reason() {
    let app = app().await;
    let s = app.session(app.spec).await;
    register(&app, &s, &SoftKey::new(5), "iPhone").await;
    let path = format!("/admin/staff/{}/second-factor/reset", app.spec.user_id);
    let api_path = format!("/api/v1{path}");
    // Nobody else: another role, another office's admin (page and API).
    for who in [app.lead, app.spec2, app.clerk, app.other_admin] {
        let w = app.session(who).await;
        let r = app.post(&w, &path, &[("reason", "紛失")], true).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?}");
        let t = app.token(who).await;
        let (status, _) = app
            .api(&t, Method::POST, &api_path, Some(json!({"reason": "紛失"})))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who:?}");
    }
    assert!(
        second_factor::status(&app.store, app.spec.user_id)
            .await
            .unwrap()
            .enrolled
    );
    let a = app.session(app.admin).await;
    let page = app
        .get(Some(&a), &format!("/admin/staff/{}", app.spec.user_id))
        .await;
    assert!(page.body.contains("パスキー1個"), "{}", page.body);
    // A reason is required; what was typed stays.
    let r = app.post(&a, &path, &[("reason", " ")], true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("理由を入力してください"));
    let r = app
        .post(&a, &path, &[("reason", "スマートフォンの紛失")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&a), &location(&r)).await;
    assert!(page.body.contains("二段階認証をリセットしました"));
    let st = second_factor::status(&app.store, app.spec.user_id)
        .await
        .unwrap();
    assert!(!st.enrolled && st.passkeys == 0 && st.recovery_left == 0);
    // The API: a reason is required there too.
    let t = app.token(app.admin).await;
    let (status, _) = app
        .api(&t, Method::POST, &api_path, Some(json!({"reason": ""})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .api(
            &t,
            Method::POST,
            &api_path,
            Some(json!({"reason": "機種変更"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.audit_actions()
            .await
            .iter()
            .filter(|a| *a == "second_factor_reset")
            .count(),
        2
    );
}

#[tokio::test]
async fn a_user_the_policy_requires_it_of_may_enrol_a_passkey_at_sign_in() {
    let app = app().await;
    second_factor::seed_policy(
        &app.store,
        app.spec.office_id,
        app.admin.user_id,
        Policy {
            mode: Mode::Required,
            grace_until: None,
        },
    )
    .await
    .unwrap();
    let page = app.send(get_at("/login", "", HOST)).await;
    let csrf_cookie = set_cookie(&page, "yorisoi_login").unwrap();
    let token = csrf_cookie.split_once('=').unwrap().1.to_string();
    let r = app
        .send(form_at(
            "/login",
            &csrf_cookie,
            HOST,
            &[
                ("login", "spec"),
                ("password", PASSWORD),
                ("csrf", &token),
                ("next", "/clients"),
            ],
        ))
        .await;
    assert_eq!(location(&r), "/login/enrol");
    let pending = set_cookie(&r, "yorisoi_pending").unwrap();
    // At an address, only the app is offered; at the bound host, a passkey too.
    let at_address = app
        .send(
            Request::get("/login/enrol")
                .header(header::COOKIE, &pending)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(!at_address.body.contains("/login/enrol/passkey"));
    let page = app.send(get_at("/login/enrol", &pending, HOST)).await;
    assert!(page.body.contains("action=\"/login/enrol/passkey\""));
    let cookie = format!("{pending}; {}", set_cookie(&page, "yorisoi_login").unwrap());
    let csrf = hidden(&page.body, "csrf");
    // A name is needed; without the form's token, nothing.
    let r = app
        .send(form_at(
            "/login/enrol/passkey",
            &cookie,
            HOST,
            &[("csrf", &csrf), ("name", " ")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("パスキーの名前を入力してください"));
    let r = app
        .send(form_at(
            "/login/enrol/passkey",
            &pending,
            HOST,
            &[("csrf", &csrf), ("name", "x")],
        ))
        .await;
    assert_ne!(r.status, StatusCode::OK);
    let page = app
        .send(form_at(
            "/login/enrol/passkey",
            &cookie,
            HOST,
            &[("csrf", &csrf), ("name", "iPad")],
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cookie = format!("{pending}; {}", set_cookie(&page, "yorisoi_login").unwrap());
    let key = SoftKey::new(9);
    let r = app
        .send(form_at(
            "/login/enrol/passkey/finish",
            &cookie,
            HOST,
            &[
                ("csrf", &hidden(&page.body, "csrf")),
                ("name", "iPad"),
                ("credential", &key.create(&options_on(&page.body))),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    let session = set_cookie(&r, "yorisoi_session").unwrap();
    assert_eq!(
        app.send(get_at("/clients", &session, HOST)).await.status,
        StatusCode::OK
    );
    let st = second_factor::status(&app.store, app.spec.user_id)
        .await
        .unwrap();
    assert!(st.enrolled && st.passkeys == 1 && !st.totp);
}
