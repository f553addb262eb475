//! HTTP tests for every route, in-process against a fresh SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use yorisoi_domain::case::IntakeInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;
use yorisoi_web::{AppState, Config};

struct App {
    router: Router,
    store: Store,
    _dir: tempfile::TempDir,
    admin: Actor,
    lead: Actor,
    spec: Actor,
    spec2: Actor,
    clerk: Actor,
    other_admin: Actor,
    client: i64,
    case_id: i64,
    note_id: i64,
    assessment_id: i64,
    plan_id: i64,
    meeting_id: i64,
    member_id: i64,
    consent_id: i64,
    /// A case of a second client of the specialist (上野さくら) with a final plan (support from May 2026, 「3月ごと」) and a
    /// monitoring report.
    monitored_case: i64,
    monitoring_id: i64,
    /// A 意思決定支援 record on the monitored case, its follow-up a week after the fixture's today.
    decision_id: i64,
}

struct Sess {
    cookie: String,
    csrf: String,
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

const PASSWORD: &str = "correct horse battery";

async fn staff(store: &Store, office: i64, prefix: &str) -> (Actor, Actor, Actor, Actor, Actor) {
    let admin_id = users::create_from_cli(
        store,
        office,
        &NewUser {
            login: format!("{prefix}admin"),
            display_name: "管理 花子".into(),
            role: "admin".into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    let admin = Actor {
        user_id: admin_id,
        office_id: office,
        role: Role::Admin,
    };
    let mut tx = store.begin(admin).await.unwrap();
    let mut out = Vec::new();
    for (login, role) in [
        ("lead", Role::Lead),
        ("spec", Role::Specialist),
        ("spec2", Role::Specialist),
        ("clerk", Role::Clerk),
    ] {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}{login}"),
                display_name: format!("職員 {login}"),
                role: role.code().into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        out.push(Actor {
            user_id: id,
            office_id: office,
            role,
        });
    }
    tx.commit().await.unwrap();
    (admin, out[0], out[1], out[2], out[3])
}

fn a_san() -> ClientInput {
    ClientInput {
        family_name: "青木".into(),
        given_name: "明子".into(),
        family_name_kana: "あおき".into(),
        given_name_kana: "あきこ".into(),
        birth_date: "1981-03-02".into(),
        sex: "female".into(),
        ..Default::default()
    }
}

async fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::sqlite_in(dir.path()).await.unwrap();
    let office = offices::create(&store, "よりそい").await.unwrap();
    let (admin, lead, spec, spec2, clerk) = staff(&store, office, "").await;
    let other = offices::create(&store, "みなと").await.unwrap();
    let (other_admin, ..) = staff(&store, other, "o-").await;
    let today = today_jst();
    let mut tx = store.begin(spec).await.unwrap();
    let client = clients::create(&mut tx, &a_san().validate(today).unwrap(), None)
        .await
        .unwrap();
    let acc = tx
        .client_access(client, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let intake = IntakeInput {
        intake_date: today.to_string(),
        referral_source: "person".into(),
        chief_complaint: "A型で働きたい".into(),
        consent_to_support: "yes".into(),
        title: "働きたいAさん".into(),
        ..Default::default()
    };
    let case_id = cases::open(&mut tx, &acc, &intake.validate(today).unwrap())
        .await
        .unwrap();
    let nacc = tx
        .client_access(client, RecordKind::CaseNote, Action::Write)
        .await
        .unwrap();
    let n = NoteInput {
        kind: "visit".into(),
        content: "居宅訪問。服薬の飲み忘れを確認。".into(),
        ..Default::default()
    };
    let note_id = notes::add(&mut tx, &nacc, &n.validate(now_jst()).unwrap())
        .await
        .unwrap();
    let aacc = tx
        .client_access(client, RecordKind::Assessment, Action::Write)
        .await
        .unwrap();
    let assessment_id = assessments::start(
        &mut tx,
        &aacc,
        case_id,
        today,
        yorisoi_domain::assessment::AssessmentMethod::HomeVisit,
        "本人".into(),
    )
    .await
    .unwrap();
    // A draft plan, the person in the care team, a consent and a scheduled meeting.
    let pacc = tx
        .client_access(client, RecordKind::Plan, Action::Write)
        .await
        .unwrap();
    let plan_id = plans::draft(&mut tx, &pacc, case_id, today).await.unwrap();
    let tacc = tx
        .client_access(client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let member = yorisoi_domain::team::TeamMemberInput {
        kind: "person".into(),
        name: "青木 明子".into(),
        ..Default::default()
    };
    let member_id = team::add_member(&mut tx, &tacc, &member.validate().unwrap())
        .await
        .unwrap();
    let consent = yorisoi_domain::team::ShareConsentInput {
        member_ids: vec![member_id.to_string()],
        sections: vec!["plan".into()],
        purpose: "会議".into(),
        given_on: today.to_string(),
        ..Default::default()
    };
    let consent_id = team::give_consent(
        &mut tx,
        &tacc,
        &consent.validate(today, &[member_id]).unwrap(),
        None,
    )
    .await
    .unwrap();
    let macc = tx
        .client_access(client, RecordKind::Meeting, Action::Write)
        .await
        .unwrap();
    let mi = yorisoi_domain::meeting::MeetingInput {
        held_on: today.to_string(),
        participants: vec![member_id.to_string()],
        ..Default::default()
    };
    let rec = meetings::validate(&tx, &macc, plan_id, &mi, today)
        .await
        .unwrap()
        .unwrap();
    let meeting_id = meetings::create(&mut tx, &macc, plan_id, &rec)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (monitored_case, monitoring_id) = monitored(&store, spec, clerk, today).await;
    let decision_id = {
        let mut i = yorisoi_domain::decision::DecisionInput::start(
            "一人暮らしを始めるか",
            spec.user_id,
            chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        );
        i.follow_up_on = (today + chrono::Duration::days(7)).to_string();
        let r = i.validate(today, &[spec.user_id]).unwrap();
        let mut tx = store.begin(spec).await.unwrap();
        let client = cases::client_of(&tx, monitored_case).await.unwrap();
        let acc = tx
            .client_access(client, RecordKind::DecisionSupport, Action::Write)
            .await
            .unwrap();
        let id = yorisoi_store::decisions::create(&mut tx, &acc, monitored_case, &r)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let router = yorisoi_web::router(AppState::new(store.clone(), Config::default()));
    App {
        router,
        store,
        _dir: dir,
        admin,
        lead,
        spec,
        spec2,
        clerk,
        other_admin,
        client,
        case_id,
        note_id,
        assessment_id,
        plan_id,
        meeting_id,
        member_id,
        consent_id,
        monitored_case,
        monitoring_id,
        decision_id,
    }
}

/// A second client's case brought to a final plan, with one monitoring (July, 継続).
async fn monitored(
    store: &Store,
    spec: Actor,
    clerk: Actor,
    today: chrono::NaiveDate,
) -> (i64, i64) {
    let mut tx = store.begin(spec).await.unwrap();
    let other = ClientInput {
        family_name: "上野".into(),
        given_name: "さくら".into(),
        family_name_kana: "うえの".into(),
        given_name_kana: "さくら".into(),
        birth_date: "1999-06-01".into(),
        sex: "female".into(),
        ..Default::default()
    };
    let client = clients::create(&mut tx, &other.validate(today).unwrap(), None)
        .await
        .unwrap();
    let cacc = tx
        .client_access(client, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let intake = yorisoi_domain::case::IntakeInput {
        intake_date: "2026-04-01".into(),
        referral_source: "person".into(),
        chief_complaint: "働きたい".into(),
        consent_to_support: "yes".into(),
        ..Default::default()
    };
    let case = cases::open(&mut tx, &cacc, &intake.validate(today).unwrap())
        .await
        .unwrap();
    let aacc = tx
        .client_access(client, RecordKind::Assessment, Action::Write)
        .await
        .unwrap();
    let aid = assessments::start(
        &mut tx,
        &aacc,
        case,
        chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
        yorisoi_domain::assessment::AssessmentMethod::HomeVisit,
        "本人".into(),
    )
    .await
    .unwrap();
    let a = assessments::get(&mut tx, &aacc, aid).await.unwrap();
    let mut ai = yorisoi_domain::assessment::AssessmentInput::from_record(&a.record);
    ai.wish_person = "A型で働きたい".into();
    ai.needs = vec![yorisoi_domain::assessment::NeedInput {
        text: "一人でバスに乗って通いたい".into(),
        source: "wish_person".into(),
        ..Default::default()
    }];
    let rec = ai.validate(today, a.record.basic.clone()).unwrap();
    assessments::update(&mut tx, &aacc, aid, a.version, &rec)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    yorisoi_store::testing::final_plan(store, spec, clerk, client, case, today)
        .await
        .unwrap();
    let mut tx = store.begin(spec).await.unwrap();
    let macc = tx
        .client_access(client, RecordKind::Monitoring, Action::Write)
        .await
        .unwrap();
    let (_, plan) = monitorings::plan_in_force(&tx, &macc, case)
        .await
        .unwrap()
        .unwrap();
    let mut i = yorisoi_domain::monitoring::MonitoringInput::prefill(
        &plan,
        chrono::NaiveDate::from_ymd_opt(2026, 7, 15).unwrap(),
    );
    i.overall = "B型に通えている".into();
    let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
    let r = i.validate(today, plan.decided_on, &keys).unwrap();
    let id = monitorings::create(&mut tx, &macc, case, &r).await.unwrap();
    tx.commit().await.unwrap();
    (case, id)
}

impl App {
    async fn session(&self, a: Actor) -> Sess {
        let s = sessions::create(&self.store, a.user_id).await.unwrap();
        Sess {
            cookie: format!("yorisoi_session={}", s.token),
            csrf: s.csrf_token,
        }
    }

    async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, s: Option<&Sess>, path: &str) -> Resp {
        let mut b = Request::get(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, s: &Sess, path: &str, pairs: &[(&str, &str)], csrf: bool) -> Resp {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        if csrf {
            all.push(("csrf", &s.csrf));
        }
        let body = serde_urlencoded::to_string(&all).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    async fn token(&self, a: Actor) -> String {
        let admin = Actor {
            user_id: if a.office_id == self.admin.office_id {
                self.admin.user_id
            } else {
                self.other_admin.user_id
            },
            office_id: a.office_id,
            role: Role::Admin,
        };
        let mut tx = self.store.begin(admin).await.unwrap();
        let (_, t) = api_tokens::issue(&mut tx, a.user_id, "test").await.unwrap();
        tx.commit().await.unwrap();
        t
    }

    async fn api(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let r = self.send(b.body(body).unwrap()).await;
        (
            r.status,
            serde_json::from_str(&r.body).unwrap_or(Value::Null),
        )
    }

    async fn note_count(&self) -> usize {
        let mut tx = self.store.begin(self.admin).await.unwrap();
        let acc = tx
            .client_access(self.client, RecordKind::CaseNote, Action::Read)
            .await
            .unwrap();
        let n = notes::list(&mut tx, &acc, "", 200, 0)
            .await
            .unwrap()
            .0
            .len();
        tx.rollback().await.unwrap();
        n
    }

    async fn client_count(&self) -> u64 {
        let mut tx = self.store.begin(self.admin).await.unwrap();
        let f = clients::ClientFilter {
            q: String::new(),
            status: None,
            staff: clients::StaffFilter::Any,
            cert_within_days: None,
            today: today_jst(),
            sort: Default::default(),
            page: 0,
            per_page: 10,
        };
        let n = clients::list(&mut tx, &f).await.unwrap().1;
        tx.rollback().await.unwrap();
        n
    }
}

fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

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

#[tokio::test]
async fn bad_input_gets_a_message_keeps_what_was_typed_and_changes_nothing() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let before = app.client_count().await;
    let long = "あ".repeat(41);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![
            ("family_name", &long),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-01-01"),
            ("sex", "female"),
        ],
        vec![
            ("family_name", "<script>alert(1)</script>"),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "平成31年5月1日"),
            ("sex", "female"),
        ],
        vec![
            ("family_name", "山田\u{0007}"),
            ("given_name", "花"),
            ("family_name_kana", "やまだ"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-02-30"),
            ("sex", "x"),
        ],
        vec![
            ("family_name", "山田"),
            ("given_name", "花"),
            ("family_name_kana", "yamada"),
            ("given_name_kana", "はな"),
            ("birth_date", "2000-01-01"),
            ("sex", "female"),
            ("disability_kinds", "bogus"),
            ("support_category", "9"),
        ],
    ];
    for pairs in &cases {
        let r = app.post(&s, "/clients", pairs, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
        assert!(
            r.body.contains("class=\"error\""),
            "a message beside the field"
        );
        assert!(
            !r.body.contains("<script>alert(1)</script>"),
            "input is escaped"
        );
    }
    let r = app.post(&s, "/clients", &cases[2], true).await;
    assert!(
        r.body
            .contains("value=\"&#60;script&#62;alert(1)&#60;/script&#62;\"")
            || r.body.contains("&lt;script&gt;"),
        "typed value kept, escaped"
    );
    assert!(r.body.contains("平成31年はその日付を含みません"));
    let r = app.post(&s, "/clients", &cases[1], true).await;
    assert!(r.body.contains("40文字以内"));
    assert!(r.body.contains(&long), "the long value is kept for fixing");
    // Wrong types and garbage bodies: 400 with a message, never a 500.
    let garbage = Request::post("/clients")
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf={}&%%%=&birth_date=%FF%FE",
            s.csrf
        )))
        .unwrap();
    let r = app.send(garbage).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = app
        .post(
            &s,
            &format!("/clients/{}/edit", app.client),
            &[("version", "abc")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.get(Some(&s), "/clients/abc").await;
    assert!(r.status.is_client_error());
    assert_eq!(app.client_count().await, before);
    // A valid one with 和暦 and half-width kana.
    let ok = app
        .post(
            &s,
            "/clients",
            &[
                ("family_name", "山田"),
                ("given_name", "花"),
                ("family_name_kana", "ﾔﾏﾀﾞ"),
                ("given_name_kana", "ハナ"),
                ("birth_date", "S56.3.2"),
                ("sex", "female"),
                ("disability_kinds", "mental"),
                ("disability_kinds", "intellectual"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(app.client_count().await, before + 1);
    let page = app
        .get(
            Some(&s),
            ok.headers.get(header::LOCATION).unwrap().to_str().unwrap(),
        )
        .await;
    assert!(
        page.body.contains("やまだ はな")
            && page.body.contains("1981年3月2日（昭和56年）")
            && page.body.contains("精神・知的")
    );
}

#[tokio::test]
async fn notes_escape_markup_and_search_in_japanese() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/clients/{}/notes", app.client);
    let r = app
        .post(
            &s,
            &path,
            &[
                ("kind", "visit"),
                ("content", "<img src=x onerror=alert(1)> 母の施設へ面会"),
                ("date", "R8.1.5"),
                ("time", "１０：３０"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains("&#60;img src=x") || page.body.contains("&lt;img src=x"));
    assert!(page.body.contains("2026年1月5日（令和8年） 10:30"));
    let found = app
        .get(
            Some(&s),
            &format!(
                "/clients/{}?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C",
                app.client
            ),
        )
        .await; // 飲み忘れ
    assert!(found.body.contains("服薬の飲み忘れ") && !found.body.contains("母の施設へ面会"));
    let two = app
        .get(
            Some(&s),
            &format!("/clients/{}/notes?q=%E6%AF%8D", app.client),
        )
        .await; // 母 (1 char)
    assert!(two.body.contains("母の施設へ面会") && !two.body.contains("服薬の飲み忘れ"));
    // A rejected note keeps what was typed.
    let r = app
        .post(
            &s,
            &path,
            &[
                ("kind", "phone"),
                ("content", "未来の記録"),
                ("date", "2099-01-01"),
                ("minutes", "abc"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未来の記録") && r.body.contains("所要時間は"));
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_409_and_the_input_kept() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let edit = format!("/clients/{}/edit", app.client);
    let form = app.get(Some(&s), &edit).await;
    assert!(form.body.contains("name=\"version\" value=\"1\""));
    let mut pairs: Vec<(&str, &str)> = vec![
        ("family_name", "青木"),
        ("given_name", "明子"),
        ("family_name_kana", "あおき"),
        ("given_name_kana", "あきこ"),
        ("birth_date", "1981-03-02"),
        ("sex", "female"),
        ("address", "一人目の住所"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &edit, &pairs, true).await.status,
        StatusCode::SEE_OTHER
    );
    pairs[6] = ("address", "二人目の住所");
    let r = app.post(&s, &edit, &pairs, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ほかの職員が先にこの記録を更新しました"));
    assert!(
        r.body.contains("二人目の住所"),
        "the user's input stays on screen"
    );
    assert!(
        r.body.contains("name=\"version\" value=\"2\""),
        "a deliberate second save is offered"
    );
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert!(page.body.contains("一人目の住所") && !page.body.contains("二人目の住所"));
    // Notes and intakes too.
    let ne = format!("/clients/{}/notes/{}/edit", app.client, app.note_id);
    let note = [
        ("kind", "visit"),
        ("content", "更新1"),
        ("date", "2026-01-01"),
        ("time", "09:00"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &ne, &note, true).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post(&s, &ne, &note, true).await.status,
        StatusCode::CONFLICT
    );
    let ce = format!("/cases/{}/edit", app.case_id);
    let intake = [
        ("intake_date", "2026-01-01"),
        ("referral_source", "person"),
        ("chief_complaint", "働きたい"),
        ("consent_to_support", "yes"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post(&s, &ce, &intake, true).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post(&s, &ce, &intake, true).await.status,
        StatusCode::CONFLICT
    );
}

/// Every route that names a client, case or note, for users who may not see it.
fn client_routes(app: &App) -> Vec<(Method, String)> {
    let (c, k, n, a) = (app.client, app.case_id, app.note_id, app.assessment_id);
    vec![
        (Method::GET, format!("/clients/{c}")),
        (Method::GET, format!("/clients/{c}/edit")),
        (Method::POST, format!("/clients/{c}/edit")),
        (Method::POST, format!("/clients/{c}/books")),
        (Method::POST, format!("/clients/{c}/books/1/delete")),
        (Method::GET, format!("/clients/{c}/certificates")),
        (Method::GET, format!("/clients/{c}/certificates/new")),
        (Method::POST, format!("/clients/{c}/certificates")),
        (Method::GET, format!("/clients/{c}/cases/new")),
        (Method::POST, format!("/clients/{c}/cases")),
        (Method::GET, format!("/clients/{c}/notes")),
        (Method::POST, format!("/clients/{c}/notes")),
        (Method::GET, format!("/clients/{c}/notes/{n}/edit")),
        (Method::POST, format!("/clients/{c}/notes/{n}/edit")),
        (Method::GET, format!("/cases/{k}")),
        (Method::GET, format!("/cases/{k}/edit")),
        (Method::POST, format!("/cases/{k}/edit")),
        (Method::POST, format!("/cases/{k}/stage")),
        (Method::GET, format!("/cases/{k}/close")),
        (Method::POST, format!("/cases/{k}/close")),
        (Method::GET, format!("/cases/{k}/assessments/new")),
        (Method::POST, format!("/cases/{k}/assessments")),
        (Method::GET, format!("/assessments/{a}")),
        (Method::GET, format!("/assessments/{a}/diff")),
        (Method::GET, format!("/assessments/{a}/pdf")),
        (Method::GET, format!("/plans/{}/pdf/plan", app.plan_id)),
        (Method::GET, format!("/plans/{}/pdf/week", app.plan_id)),
        (Method::GET, format!("/plans/{}/pdf/easy_plan", app.plan_id)),
        (Method::GET, format!("/meetings/{}/pdf", app.meeting_id)),
        (
            Method::GET,
            format!("/monitorings/{}/pdf", app.monitoring_id),
        ),
        (Method::GET, format!("/assessments/{a}/edit/wishes")),
        (Method::POST, format!("/assessments/{a}/edit/wishes")),
        (
            Method::GET,
            format!("/assessments/{a}/drawing/genogram.svg"),
        ),
        (Method::GET, format!("/cases/{k}/plans/new")),
        (Method::POST, format!("/cases/{k}/plans")),
        (Method::GET, format!("/plans/{}", app.plan_id)),
        (Method::GET, format!("/plans/{}/edit/overview", app.plan_id)),
        (
            Method::POST,
            format!("/plans/{}/edit/overview", app.plan_id),
        ),
        (Method::POST, format!("/plans/{}/consents", app.plan_id)),
        (Method::POST, format!("/plans/{}/handovers", app.plan_id)),
        (Method::POST, format!("/plans/{}/state", app.plan_id)),
        (Method::POST, format!("/plans/{}/change", app.plan_id)),
        (Method::GET, format!("/plans/{}/week.svg", app.plan_id)),
        (
            Method::POST,
            format!("/plans/{}/rows/1/implementation", app.plan_id),
        ),
        (Method::GET, format!("/plans/{}/meetings/new", app.plan_id)),
        (Method::POST, format!("/plans/{}/meetings", app.plan_id)),
        (Method::GET, format!("/meetings/{}", app.meeting_id)),
        (Method::POST, format!("/meetings/{}", app.meeting_id)),
        (
            Method::GET,
            format!("/cases/{}/monitorings/new", app.monitored_case),
        ),
        (
            Method::POST,
            format!("/cases/{}/monitorings", app.monitored_case),
        ),
        (Method::GET, format!("/monitorings/{}", app.monitoring_id)),
        (Method::POST, format!("/monitorings/{}", app.monitoring_id)),
        (
            Method::GET,
            format!("/cases/{}/decisions/new", app.monitored_case),
        ),
        (
            Method::POST,
            format!("/cases/{}/decisions", app.monitored_case),
        ),
        (Method::GET, format!("/decisions/{}", app.decision_id)),
        (
            Method::GET,
            format!("/decisions/{}/edit/question", app.decision_id),
        ),
        (
            Method::POST,
            format!("/decisions/{}/edit/question", app.decision_id),
        ),
        (
            Method::GET,
            format!("/cases/{}/timeline", app.monitored_case),
        ),
        (Method::GET, format!("/clients/{c}/team")),
        (Method::POST, format!("/clients/{c}/team")),
        (Method::GET, format!("/clients/{c}/team/{}", app.member_id)),
        (Method::POST, format!("/clients/{c}/team/{}", app.member_id)),
        (Method::POST, format!("/clients/{c}/consents")),
        (
            Method::POST,
            format!("/clients/{c}/consents/{}/withdraw", app.consent_id),
        ),
    ]
}

async fn call(app: &App, s: &Sess, m: &Method, path: &str) -> Resp {
    if *m == Method::GET {
        app.get(Some(s), path).await
    } else {
        // A body that would be valid, so that only authorization can refuse it.
        let pairs = [
            ("version", "1"),
            ("kind", "phone"),
            ("content", "x"),
            ("grade", "2"),
            ("to", "assessment"),
            ("intake_date", "2026-01-01"),
            ("referral_source", "person"),
            ("chief_complaint", "x"),
            ("consent_to_support", "yes"),
            ("closed_on", "2026-01-02"),
            ("reason", "moved"),
            ("assessed_on", "2026-01-02"),
            ("method", "home_visit"),
            ("wish_person", "x"),
            ("drafted_on", "2026-01-02"),
            ("name", "x"),
            ("held_on", "2026-01-02"),
            ("monitored_on", "2026-07-20"),
            ("outcome", "continue"),
            ("changes", "x"),
            ("question", "x"),
            ("started_on", "2026-09-01"),
            ("step", "formation"),
        ];
        app.post(s, path, &pairs, true).await
    }
}

#[tokio::test]
async fn another_office_and_unassigned_staff_get_404_on_every_client_route() {
    let app = app().await;
    let before = app.note_count().await;
    for who in [app.other_admin, app.spec2] {
        let s = app.session(who).await;
        for (m, path) in client_routes(&app) {
            let r = call(&app, &s, &m, &path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {m} {path}");
            assert!(
                !r.body.contains("青木"),
                "nothing of the client leaks: {path}"
            );
        }
        let list = app.get(Some(&s), "/clients?q=%E9%9D%92%E6%9C%A8").await;
        assert!(
            !list
                .body
                .contains(&format!("href=\"/clients/{}\"", app.client))
        );
    }
    // The clerk keeps the ledger and certificates but sees no case content.
    let s = app.session(app.clerk).await;
    assert_eq!(
        app.get(Some(&s), &format!("/clients/{}", app.client))
            .await
            .status,
        StatusCode::OK
    );
    for (m, path) in client_routes(&app).into_iter().filter(|(_, p)| {
        [
            "/notes",
            "/cases",
            "/assessments",
            "/plans",
            "/meetings",
            "/monitorings",
            "/team",
            "/consents",
        ]
        .iter()
        .any(|x| p.contains(x))
    }) {
        assert_eq!(
            call(&app, &s, &m, &path).await.status,
            StatusCode::NOT_FOUND,
            "clerk {m} {path}"
        );
    }
    let page = app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    assert!(!page.body.contains("服薬の飲み忘れ") && !page.body.contains("支援経過記録"));
    assert_eq!(app.note_count().await, before, "nothing was written");
    // The assigned specialist and the lead are allowed.
    for who in [app.spec, app.lead] {
        let s = app.session(who).await;
        assert_eq!(
            app.get(Some(&s), &format!("/cases/{}", app.case_id))
                .await
                .status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn admin_screens_are_for_admins_only() {
    let app = app().await;
    for who in [app.lead, app.spec, app.clerk] {
        let s = app.session(who).await;
        for path in [
            "/admin/staff",
            "/admin/tokens",
            "/admin/audit",
            &format!("/admin/staff/{}", app.spec.user_id),
        ] {
            assert_eq!(
                app.get(Some(&s), path).await.status,
                StatusCode::NOT_FOUND,
                "{who:?} {path}"
            );
        }
        let r = app
            .post(
                &s,
                "/admin/staff",
                &[
                    ("login", "intruder"),
                    ("display_name", "x"),
                    ("role", "admin"),
                    ("password", "0123456789ab"),
                ],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let o = app.session(app.other_admin).await;
    let r = app
        .post(
            &o,
            &format!("/admin/staff/{}/active", app.spec.user_id),
            &[("active", "false"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another office's admin cannot touch our staff"
    );
    let s = app.session(app.admin).await;
    let page = app.get(Some(&s), "/admin/staff").await;
    assert!(page.body.contains("職員 spec"));
    let bad = app
        .post(
            &s,
            "/admin/staff",
            &[
                ("login", "x"),
                ("display_name", ""),
                ("role", "boss"),
                ("password", "short"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("3〜32文字") && bad.body.contains("10文字以上"));
    let dup = app
        .post(
            &s,
            "/admin/staff",
            &[
                ("login", "spec"),
                ("display_name", "重複"),
                ("role", "specialist"),
                ("password", "0123456789ab"),
            ],
            true,
        )
        .await;
    assert!(dup.body.contains("既に使われています"));
    let ok = app
        .post(
            &s,
            "/admin/staff",
            &[
                ("login", "newbie"),
                ("display_name", "新人 さん"),
                ("role", "specialist"),
                ("password", "0123456789ab"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // Deactivate a specialist: their session ends at once.
    let victim = app.session(app.spec2).await;
    let r = app
        .post(
            &s,
            &format!("/admin/staff/{}/active", app.spec2.user_id),
            &[("active", "false"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(Some(&victim), "/").await.status,
        StatusCode::SEE_OTHER
    );
    // Bulk assignment from the list.
    let id = app.client.to_string();
    let uid = app.spec2.user_id.to_string();
    let r = app
        .post(&s, "/clients/assign", &[("ids", &id), ("user", &uid)], true)
        .await;
    assert!(
        r.body.contains("割り当てられません"),
        "an inactive user cannot take clients"
    );
    let lead_uid = app.lead.user_id.to_string();
    let r = app
        .post(
            &s,
            "/clients/assign",
            &[("ids", &id), ("user", &lead_uid)],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let sp = app.session(app.spec).await;
    assert_eq!(
        app.get(Some(&sp), &format!("/clients/{}", app.client))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "reassigned away"
    );
    let specs = app.session(app.spec).await;
    assert_eq!(
        app.post(
            &specs,
            "/clients/assign",
            &[("ids", &id), ("user", "none")],
            true
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "specialists cannot reassign"
    );
}

#[tokio::test]
async fn reads_and_writes_are_in_the_audit_log() {
    let app = app().await;
    let s = app.session(app.spec).await;
    app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    let a = app.session(app.admin).await;
    let page = app
        .get(
            Some(&a),
            &format!("/admin/audit?client={}&action=read", app.client),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("職員 spec") && page.body.contains("利用者台帳"));
    let verified = app.get(Some(&a), "/admin/audit?verify=1").await;
    assert!(verified.body.contains("連鎖が正しいことを確認しました"));
    let bad = app.get(Some(&a), "/admin/audit?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("存在しない日付"));
}

#[tokio::test]
async fn certificates_and_cases_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    let bad = app
        .post(
            &s,
            &format!("/clients/{c}/certificates"),
            &[("number", "123"), ("municipality", "N市")],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("10桁"));
    let cert = [
        ("kind", "welfare"),
        ("number", "０１２３４５６７８９"),
        ("municipality", "N市"),
        ("issued_on", "R8.4.20"),
        ("decision_from", "2026-05-01"),
        ("decision_until", "2027-04-30"),
        ("services", "就労継続支援B型：22日/月"),
        ("plan_support_from", "2026-05-01"),
        ("plan_support_until", "2027-04-30"),
        ("monitoring_period", "every3"),
        ("monitoring_months", "7,10,1,4"),
    ];
    assert_eq!(
        app.post(&s, &format!("/clients/{c}/certificates"), &cert, true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let form = app
        .get(Some(&s), &format!("/clients/{c}/certificates/new"))
        .await;
    assert!(form.body.contains("前回コピー") && form.body.contains("0123456789"));
    let mut second = cert;
    second[5] = ("decision_until", "2027-03-31");
    second[8] = ("plan_support_until", "2027-03-31");
    second[10] = ("monitoring_months", "7,10,1");
    assert_eq!(
        app.post(&s, &format!("/clients/{c}/certificates"), &second, true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let hist = app
        .get(Some(&s), &format!("/clients/{c}/certificates"))
        .await;
    assert!(
        hist.body.contains("第2版")
            && hist.body.contains("第1版")
            && hist.body.contains("2027年4月")
    );
    // A new case from an intake; move it; close it.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/cases"),
            &[
                ("intake_date", "2026-02-01"),
                ("referral_source", "family"),
                ("chief_complaint", "「一人暮らしがしたい」"),
                ("consent_to_support", "yes"),
                ("title", "一人暮らし"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let case_path = r
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = app.get(Some(&s), &case_path).await;
    assert!(page.body.contains("「一人暮らしがしたい」") && page.body.contains("インテーク"));
    let skip = app
        .post(
            &s,
            &format!("{case_path}/stage"),
            &[("to", "monitoring"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(skip.body.contains("へは進めません"));
    assert_eq!(
        app.post(
            &s,
            &format!("{case_path}/stage"),
            &[("to", "assessment"), ("version", "1")],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let bad_close = app
        .post(
            &s,
            &format!("{case_path}/close"),
            &[
                ("closed_on", "2026-01-01"),
                ("reason", "other"),
                ("version", "2"),
            ],
            true,
        )
        .await;
    assert_eq!(bad_close.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.post(
            &s,
            &format!("{case_path}/close"),
            &[
                ("closed_on", "2026-03-01"),
                ("reason", "moved"),
                ("changes", "一人で通えるようになった。"),
                ("handover_to", "相談支援センターみなと"),
                ("handover", "計画の写しを渡した。"),
                ("version", "2")
            ],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let closed = app.get(Some(&s), &case_path).await;
    assert!(closed.body.contains("転居") && !closed.body.contains("インテークを編集"));
    // The look back and the retention date (5 years by default) are on the case.
    assert!(
        closed.body.contains("一人で通えるようになった。")
            && closed.body.contains("相談支援センターみなと")
    );
    assert!(
        closed.body.contains("2031年3月1日"),
        "retention: {}",
        closed.body
    );
    assert_eq!(
        app.get(Some(&s), &format!("{case_path}/edit")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_api_has_the_same_rules() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let other = app.token(app.other_admin).await;
    let c = app.client;
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            "/api/v1/clients?q=%E3%82%A2%E3%82%AA%E3%82%AD",
            None,
        )
        .await; // アオキ
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["family_name_kana"], "あおき");
    for path in [
        format!("/api/v1/clients/{c}"),
        format!("/api/v1/clients/{c}/notes"),
        format!("/api/v1/clients/{c}/cases"),
        format!("/api/v1/clients/{c}/certificates"),
        format!("/api/v1/cases/{}", app.case_id),
    ] {
        assert_eq!(
            app.api(&token, Method::GET, &path, None).await.0,
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(
            app.api(&other, Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (st, body) = app
        .api(
            &other,
            Method::POST,
            &format!("/api/v1/clients/{c}/notes"),
            Some(json!({"kind": "phone", "content": "x"})),
        )
        .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Validation: 422 with a field map; malformed JSON: 400; stale version: 409.
    let (st, body) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/clients",
            Some(json!({"family_name": "", "birth_date": "明日"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["family_name"].is_string() && body["fields"]["birth_date"].is_string());
    let raw = Request::post("/api/v1/clients")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(app.send(raw).await.status, StatusCode::BAD_REQUEST);
    let (st, body) = app.api(&token, Method::POST, "/api/v1/clients", Some(json!({"family_name": "山田", "given_name": "花", "family_name_kana": "やまだ", "given_name_kana": "はな", "birth_date": "令和元年5月1日", "sex": "female", "disability_kinds": ["child"]}))).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(got["birth_date"], "2019-05-01");
    assert_eq!(
        got["assigned_user_id"], app.spec.user_id,
        "a specialist's new client is theirs"
    );
    let mut upd = got.clone();
    upd["address"] = json!("N市");
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(upd.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(
        app.api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(upd)
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{id}/notes"),
            Some(json!({"kind": "phone", "content": "APIから"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    // Session-authenticated writes need the CSRF header.
    let s = app.session(app.spec).await;
    let no_header = Request::post(format!("/api/v1/clients/{id}/notes"))
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"kind":"phone","content":"x"}"#))
        .unwrap();
    assert_eq!(app.send(no_header).await.status, StatusCode::FORBIDDEN);
    let with = Request::post(format!("/api/v1/clients/{id}/notes"))
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"kind":"phone","content":"x"}"#))
        .unwrap();
    assert_eq!(app.send(with).await.status, StatusCode::CREATED);
    // A revoked token stops working.
    let mut tx = app.store.begin(app.admin).await.unwrap();
    let t = api_tokens::list(&tx)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.user_id == app.spec.user_id)
        .unwrap();
    api_tokens::revoke(&mut tx, t.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = app().await;
    let r = app.get(None, "/api/v1/openapi.json").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the document holds no data and is public"
    );
    let token = app.token(app.spec).await;
    let (st, doc) = app
        .api(&token, Method::GET, "/api/v1/openapi.json", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/clients", "get"),
        ("/clients", "post"),
        ("/clients/{id}", "get"),
        ("/clients/{id}", "put"),
        ("/clients/{id}/certificates", "get"),
        ("/clients/{id}/certificates", "post"),
        ("/clients/{id}/cases", "get"),
        ("/clients/{id}/cases", "post"),
        ("/clients/{id}/notes", "get"),
        ("/clients/{id}/notes", "post"),
        ("/cases/{id}", "get"),
        ("/cases/{id}/close", "post"),
        ("/cases/{id}/assessments", "get"),
        ("/cases/{id}/assessments", "post"),
        ("/assessments/{id}", "get"),
        ("/assessments/{id}", "put"),
        ("/cases/{id}/plans", "get"),
        ("/cases/{id}/plans", "post"),
        ("/plans/{id}", "get"),
        ("/plans/{id}", "put"),
        ("/plans/{id}/consents", "post"),
        ("/plans/{id}/handovers", "post"),
        ("/plans/{id}/state", "post"),
        ("/plans/{id}/change", "post"),
        ("/plans/{id}/meetings", "get"),
        ("/plans/{id}/meetings", "post"),
        ("/meetings/{id}", "get"),
        ("/meetings/{id}", "put"),
        ("/clients/{id}/team", "get"),
        ("/clients/{id}/team", "post"),
        ("/clients/{id}/consents", "get"),
        ("/clients/{id}/consents", "post"),
        ("/clients/{id}/consents/{consent}/withdraw", "post"),
        ("/resources", "get"),
        ("/resources", "post"),
        ("/resources/{id}", "get"),
        ("/resources/{id}", "put"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}

#[tokio::test]
async fn the_home_screen_and_list_filters() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let home = app.get(Some(&s), "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("青木 明子") && home.body.contains("担当している利用者"));
    let a = app.session(app.admin).await;
    let link = format!("href=\"/clients/{}\"", app.client);
    let none = app.get(Some(&a), "/clients?staff=none").await;
    assert!(!none.body.contains(&link), "A is assigned");
    let mine = app
        .get(
            Some(&a),
            &format!(
                "/clients?staff={}&sort=kana_desc&status=consulting",
                app.spec.user_id
            ),
        )
        .await;
    assert!(mine.body.contains(&link));
    let weird = app
        .get(
            Some(&a),
            "/clients?page=-1&sort=%27;drop&cert=abc&status=zzz",
        )
        .await;
    assert_eq!(
        weird.status,
        StatusCode::OK,
        "nonsense filters fall back, never 500"
    );
}

#[tokio::test]
async fn books_tokens_and_staff_edit_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    let bad = app
        .post(
            &s,
            &format!("/clients/{c}/books"),
            &[("kind", "mental"), ("grade", "5")],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("1〜3級"));
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books"),
            &[
                ("kind", "mental"),
                ("grade", "２級"),
                ("issued_on", "R7.10.1")
            ],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = app.get(Some(&s), &format!("/clients/{c}")).await;
    assert!(
        page.body.contains("精神障害者保健福祉手帳")
            && page.body.contains("2025年10月1日（令和7年）")
    );
    let book_id: String = page
        .body
        .split(&format!("/clients/{c}/books/"))
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books/{book_id}/delete"),
            &[],
            true
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(
        !app.get(Some(&s), &format!("/clients/{c}"))
            .await
            .body
            .contains("精神障害者保健福祉手帳</td>")
    );
    assert_eq!(
        app.post(
            &s,
            &format!("/clients/{c}/books/{book_id}/delete"),
            &[],
            true
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let a = app.session(app.admin).await;
    let uid = app.spec.user_id.to_string();
    let empty = app
        .post(&a, "/admin/tokens", &[("name", ""), ("user", &uid)], true)
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let issued = app
        .post(
            &a,
            "/admin/tokens",
            &[("name", "請求ソフト連携"), ("user", &uid)],
            true,
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK);
    let token: String = issued
        .body
        .split("<code class=\"token\">")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| *ch != '<')
        .collect();
    assert!(token.starts_with("ysi_"));
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::OK
    );
    let listing = app.get(Some(&a), "/admin/tokens").await;
    assert!(
        !listing.body.contains(&token),
        "the token is shown once only"
    );
    let tid: String = listing
        .body
        .split("/admin/tokens/")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    assert_eq!(
        app.post(&a, &format!("/admin/tokens/{tid}/revoke"), &[], true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api(&token, Method::GET, "/api/v1/clients", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let edit = app
        .get(Some(&a), &format!("/admin/staff/{}", app.spec.user_id))
        .await;
    assert!(
        edit.body.contains("職員 spec"),
        "{} {}",
        edit.status,
        edit.body
    );
    let r = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.spec.user_id),
            &[
                ("display_name", "佐藤 美咲"),
                ("role", "lead"),
                ("version", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stale = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.spec.user_id),
            &[("display_name", "別名"), ("role", "lead"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let me = app
        .post(
            &a,
            &format!("/admin/staff/{}", app.admin.user_id),
            &[
                ("display_name", "管理"),
                ("role", "specialist"),
                ("version", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(
        me.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin cannot demote themself"
    );
}

#[tokio::test]
async fn assessments_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.case_id;
    let case = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case.body
            .contains(&format!("/assessments/{}", app.assessment_id))
    );
    let form = app
        .get(Some(&s), &format!("/cases/{k}/assessments/new"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("再アセスメント"));
    // Bad start: the date is kept and explained.
    let r = app
        .post(
            &s,
            &format!("/cases/{k}/assessments"),
            &[("assessed_on", "令和8年2月30日"), ("method", "home_visit")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("令和8年2月30日") && r.body.contains("存在しない日付"));
    // A re-assessment copies the first version.
    let first = format!("/assessments/{}", app.assessment_id);
    let r = app
        .post(
            &s,
            &format!("{first}/edit/wishes"),
            &[("version", "1"), ("wish_person", "A型で働きたい <script>")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let today = today_jst().to_string();
    let r = app
        .post(
            &s,
            &format!("/cases/{k}/assessments"),
            &[
                ("assessed_on", &today),
                ("method", "office"),
                ("present", "本人"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let second = loc.split('?').next().unwrap().to_string();
    let sheet = app.get(Some(&s), &second).await;
    assert!(sheet.body.contains("第2版"));
    assert!(
        sheet.body.contains("A型で働きたい &#60;script&#62;") && !sheet.body.contains("<script>"),
        "the words are kept as written, escaped"
    );
    // The first version is read-only now.
    let r = app
        .post(
            &s,
            &format!("{first}/edit/wishes"),
            &[("version", "2"), ("wish_person", "書き換え")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("過去の版は変更できません"));
    // Family: a link to nobody is refused with the rows kept; then a valid family is drawn.
    let family = format!("{second}/edit/family");
    let mut rows: Vec<(&str, &str)> = vec![("version", "1")];
    for (rel, sex, year, client) in [
        ("本人", "female", "1981", "yes"),
        ("母", "female", "昭和25", "no"),
        ("", "", "", "no"),
    ] {
        rows.extend([
            ("member_key", ""),
            ("member_relation", rel),
            ("member_name", ""),
            ("member_sex", sex),
            ("member_birth_year", year),
            ("member_age", ""),
            ("member_deceased", "no"),
            ("member_cohabiting", "no"),
            ("member_is_client", client),
            ("member_note", ""),
        ]);
    }
    let bad = [
        rows.clone(),
        vec![
            ("link_kind", "parent_child"),
            ("link_from", "9"),
            ("link_to", "1"),
        ],
    ]
    .concat();
    let r = app.post(&s, &family, &bad, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("家族にいない人を指しています"));
    assert!(r.body.contains("value=\"昭和25\""), "typed values stay");
    let good = [
        rows.clone(),
        vec![
            ("link_kind", "parent_child"),
            ("link_from", "2"),
            ("link_to", "1"),
        ],
    ]
    .concat();
    let r = app.post(&s, &family, &good, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), &family).await;
    assert_eq!(page.body.matches("class=\"person").count(), 2);
    assert!(page.body.contains("data-key=\"2\""));
    // A stale save: 409, the input kept, a deliberate overwrite offered.
    let r = app.post(&s, &family, &good, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("最新の内容に上書き") && r.body.contains("value=\"昭和25\""));
    // Levels outside the scale and impossible years are refused.
    let r = app
        .post(
            &s,
            &format!("{second}/edit/abilities"),
            &[
                ("version", "2"),
                ("ability_item", "eating"),
                ("ability_level", "superb"),
                ("ability_note", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("自立・見守り・一部支援・全面支援のどれか"));
    let r = app
        .post(
            &s,
            &format!("{second}/edit/history"),
            &[
                ("version", "2"),
                ("event_year", "平成40"),
                ("event_month", "4"),
                ("event_event", "入院"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("その元号にない年"));
    // Drawings are kept per version: one drawn before a save must not be shown after it.
    let sheet = app.get(Some(&s), &second).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(!sheet.body.contains("発病"));
    let before = app
        .get(Some(&s), &format!("{second}/drawing/timeline.svg"))
        .await;
    assert!(!before.body.contains("発病"));
    let r = app
        .post(
            &s,
            &format!("{second}/edit/history"),
            &[
                ("version", "2"),
                ("event_year", "平成28"),
                ("event_month", ""),
                ("event_event", "発病"),
                ("then", "daily"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("/edit/daily")
    );
    // Drawings as files; unknown drawings and sections are not found.
    let svg = app
        .get(Some(&s), &format!("{second}/drawing/timeline.svg"))
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(
        svg.headers[header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(svg.body.contains("2016年") && svg.body.contains("発病"));
    let sheet = app.get(Some(&s), &second).await;
    assert!(
        sheet.body.contains("発病"),
        "the sheet draws the saved version"
    );
    assert_eq!(
        app.get(Some(&s), &format!("{second}/drawing/x.svg"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&s), &format!("{second}/edit/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The diff shows what changed since the first version.
    let d = app.get(Some(&s), &format!("{second}/diff")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.body.contains("家族構成") && d.body.contains("生活歴") && d.body.contains("発病"));
    // Every section's editor opens.
    for (code, _) in [
        ("overview", 0),
        ("wishes", 0),
        ("strengths", 0),
        ("needs", 0),
        ("family", 0),
        ("ecomap", 0),
        ("history", 0),
        ("daily", 0),
        ("abilities", 0),
        ("medical", 0),
    ] {
        let r = app.get(Some(&s), &format!("{second}/edit/{code}")).await;
        assert_eq!(r.status, StatusCode::OK, "{code}");
    }
}

#[tokio::test]
async fn assessments_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let a = app.assessment_id;
    let (st, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/assessments/{a}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["assessment"]["version_no"], 1);
    let mut body = got["input"].clone();
    body["version"] = json!(1);
    body["wish_person"] = json!("A型で働きたい");
    body["family"] = json!([{ "relation": "本人", "sex": "female", "is_client": "yes" }, { "relation": "母", "sex": "female" }]);
    body["family_links"] = json!([{ "kind": "parent_child", "from": "2", "to": "7" }]);
    let (st, err) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["family_links[0].to"].is_string(), "{err}");
    body["family_links"] = json!([{ "kind": "parent_child", "from": "2", "to": "1" }]);
    let (st, ok) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{ok}");
    assert_eq!(ok["version"], 2);
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (_, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/assessments/{a}"),
            None,
        )
        .await;
    assert_eq!(got["assessment"]["record"]["family"][1]["relation"], "母");
    let k = app.case_id;
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/assessments"),
            Some(json!({ "assessed_on": "R8.13.1", "method": "home_visit" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, made) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/assessments"),
            Some(json!({ "assessed_on": today_jst().to_string(), "method": "office" })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{k}/assessments"),
            None,
        )
        .await;
    assert_eq!(list["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(list["assessments"][0]["id"], made["id"]);
    // Another office, an unassigned specialist and the clerk get 404 on every route.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, path) in [
            (Method::GET, format!("/api/v1/assessments/{a}")),
            (Method::PUT, format!("/api/v1/assessments/{a}")),
            (Method::GET, format!("/api/v1/cases/{k}/assessments")),
            (Method::POST, format!("/api/v1/cases/{k}/assessments")),
        ] {
            let body = (m != Method::GET).then(
                || json!({ "version": 2, "assessed_on": "2026-01-01", "method": "home_visit" }),
            );
            let (st, _) = app.api(&t, m.clone(), &path, body).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {m} {path}");
        }
    }
}

/// A multipart body with a `csrf` field (when given) and a file.
fn multipart(csrf: Option<&str>, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "yorisoiboundary1234";
    let mut b: Vec<u8> = Vec::new();
    if let Some(c) = csrf {
        b.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{c}\r\n")
                .as_bytes(),
        );
    }
    b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    b.extend(bytes);
    b.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

impl App {
    async fn upload(&self, s: &Sess, path: &str, csrf: bool, name: &str, bytes: &[u8]) -> Resp {
        let (ty, body) = multipart(csrf.then_some(s.csrf.as_str()), name, bytes);
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ty)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

#[tokio::test]
async fn plans_meetings_and_consents_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let p = app.plan_id;
    let c = app.client;
    let page = app.get(Some(&s), &format!("/plans/{p}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("報酬の算定に必要な手順") && page.body.contains("計画案"));
    assert!(
        app.get(Some(&s), &format!("/cases/{}", app.case_id))
            .await
            .body
            .contains(&format!("/plans/{p}"))
    );
    // A second plan for the same case is refused with the way forward.
    let r = app
        .post(
            &s,
            &format!("/cases/{}/plans", app.case_id),
            &[("drafted_on", "R8.4.1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("計画変更"));
    // Bad input: the typed value stays and the reason is beside it.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "2"),
                ("drafted_on", "令和8年2月30日"),
                ("policy", "本人のペースで"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("令和8年2月30日") && r.body.contains("本人のペースで"));
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/edit/rows"),
            &[
                ("version", "2"),
                ("row_key", ""),
                ("row_need_key", ""),
                ("row_priority", ""),
                ("row_need", "バスで通いたい"),
                ("row_days", "月"),
                ("row_time", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("曜日と時間の両方"));
    // A good save, then a stale one: 409, and what was typed is still on the screen.
    let today = today_jst().to_string();
    let ok = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "1"),
                ("drafted_on", &today),
                ("policy", "一緒に考える"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let stale = app
        .post(
            &s,
            &format!("/plans/{p}/edit/overview"),
            &[
                ("version", "1"),
                ("drafted_on", &today),
                ("policy", "上書きしたい方針"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("上書きしたい方針") && stale.body.contains("ほかの職員"));
    // The state machine: a draft cannot jump to final.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/state"),
            &[("version", "3"), ("to", "final")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("計画案から本計画へは進めません"));
    // A consent needs the explanation.
    let r = app
        .post(
            &s,
            &format!("/plans/{p}/consents"),
            &[
                ("version", "3"),
                ("stage", "draft"),
                ("signed_on", &today),
                ("signer", "青木 明子"),
                ("role", "person"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("説明したうえで"));
    // The team: a provider without consent is refused at the meeting, by name.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/team"),
            &[
                ("kind", "provider"),
                ("name", "ひかり作業所 佐藤"),
                ("organisation", "ひかり作業所"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let team = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(team.body.contains("同意なし"));
    let provider = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let acc = tx
            .client_access(c, RecordKind::CareTeam, Action::Read)
            .await
            .unwrap();
        let id = team::members(&mut tx, &acc)
            .await
            .unwrap()
            .iter()
            .find(|m| m.record.name.contains("佐藤"))
            .unwrap()
            .id;
        tx.rollback().await.unwrap();
        id.to_string()
    };
    let me = app.member_id.to_string();
    let meeting = [
        ("held_on", today.as_str()),
        ("participants", me.as_str()),
        ("participants", provider.as_str()),
        ("attended", me.as_str()),
        ("conclusions", "計画案のとおり"),
        ("held", "yes"),
    ];
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ひかり作業所 佐藤さんには") && r.body.contains("計画案のとおり"));
    // Consent given (replacing the first), then the meeting is recorded and the plan moves on.
    let cid = app.consent_id.to_string();
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/consents"),
            &[
                ("member_ids", provider.as_str()),
                ("sections", "plan"),
                ("purpose", "会議"),
                ("given_on", today.as_str()),
                ("replaces", cid.as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post(&s, &format!("/plans/{p}/meetings"), &meeting, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.get(Some(&s), &format!("/plans/{p}"))
            .await
            .body
            .contains("会議済")
    );
    // The replaced consent shows as withdrawn; withdrawing it again is refused.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/consents/{cid}/withdraw"),
            &[],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("すでに撤回"));
    // Uploads: only with the token, only on the upload route, only on a final plan.
    let up = format!("/plans/{p}/rows/1/file");
    assert_eq!(
        app.upload(&s, &up, false, "a.pdf", b"%PDF-1.4")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.upload(
            &s,
            &format!("/clients/{c}/team"),
            true,
            "a.pdf",
            b"%PDF-1.4"
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app.upload(&s, &up, true, "a.pdf", b"%PDF-1.4").await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    // The week chart is an SVG.
    let svg = app.get(Some(&s), &format!("/plans/{p}/week.svg")).await;
    assert!(
        svg.body.starts_with("<svg")
            && svg.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("image/svg+xml")
    );
}

#[tokio::test]
async fn the_resource_directory_is_per_office_and_validated() {
    let app = app().await;
    let s = app.session(app.clerk).await;
    let r = app
        .post(
            &s,
            "/resources",
            &[("category", "welfare"), ("name", "ひかり作業所")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("サービスの種類を選んで") && r.body.contains("ひかり作業所"));
    let r = app
        .post(
            &s,
            "/resources",
            &[
                ("category", "welfare"),
                ("service_type", "employment_b"),
                ("name", "ひかり作業所"),
                ("phone", "0120-000-000"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = app
        .get(Some(&s), "/resources?q=%E3%83%92%E3%82%AB%E3%83%AA")
        .await;
    assert!(list.body.contains("ひかり作業所") && list.body.contains("0120-000-000"));
    let id = list
        .body
        .split("href=\"/resources/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let edit = app.get(Some(&s), &format!("/resources/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    // Stale edit: 409 with the input kept.
    let ok = app
        .post(
            &s,
            &format!("/resources/{id}"),
            &[
                ("version", "1"),
                ("category", "welfare"),
                ("service_type", "employment_b"),
                ("name", "ひかり作業所（本店）"),
                ("active", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let stale = app
        .post(
            &s,
            &format!("/resources/{id}"),
            &[
                ("version", "1"),
                ("category", "welfare"),
                ("service_type", "employment_b"),
                ("name", "古い名前"),
                ("active", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("古い名前"));
    // Another office sees nothing of it.
    let o = app.session(app.other_admin).await;
    assert_eq!(
        app.get(Some(&o), &format!("/resources/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get(Some(&o), "/resources")
            .await
            .body
            .contains("0120-000-000")
    );
    let r = app
        .post(
            &o,
            &format!("/resources/{id}"),
            &[
                ("version", "2"),
                ("category", "informal"),
                ("name", "乗っ取り"),
                ("active", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The ecomap links to the directory: choosing the entry is enough, the name comes with it.
    let sp = app.session(app.spec).await;
    let eco = format!("/assessments/{}/edit/ecomap", app.assessment_id);
    let form = app.get(Some(&sp), &eco).await;
    assert!(
        form.body
            .contains("ひかり作業所（本店）（就労継続支援B型）")
    );
    let tie = |rid: &str| {
        vec![
            ("version", "1".to_string()),
            ("tie_name", String::new()),
            ("tie_kind", String::new()),
            ("tie_tie", String::new()),
            ("tie_direction", String::new()),
            ("tie_note", "週4日".to_string()),
            ("tie_resource_id", rid.to_string()),
        ]
    };
    let t = tie(&id);
    let pairs: Vec<(&str, &str)> = t.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post(&sp, &eco, &pairs, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sheet = app
        .get(Some(&sp), &format!("/assessments/{}", app.assessment_id))
        .await;
    assert!(sheet.body.contains(&format!(
        "<a href=\"/resources/{id}\">ひかり作業所（本店）</a>"
    )));
    // Another office's entry cannot be linked (the form only lists this office's; a forged id
    // is refused, not stored).
    let r = app
        .post(
            &o,
            "/resources",
            &[("category", "informal"), ("name", "よその喫茶店")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let theirs = app
        .get(Some(&o), "/resources")
        .await
        .body
        .split("href=\"/resources/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut forged = tie(&theirs);
    forged[0].1 = "2".into();
    forged[1].1 = "よその喫茶店".into();
    forged[2].1 = "informal".into();
    forged[3].1 = "weak".into();
    let pairs: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post(&sp, &eco, &pairs, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("社会資源の一覧にない事業所"),
        "{}",
        r.body.replace('\n', " ")
    );
}

#[tokio::test]
async fn plans_team_and_resources_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let p = app.plan_id;
    let (st, got) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{p}"), None)
        .await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["plan"]["state"], "draft");
    assert!(got["checklist"].as_array().unwrap().len() == 6);
    // The input round-trips as the PUT body; a stale version is 409; bad input is 422 by field.
    let mut body = got["input"].clone();
    body["version"] = got["plan"]["version"].clone();
    body["policy"] = json!("本人のペースで");
    body["rows"] = json!([{ "need": "バスで通いたい", "service_type": "employment_b", "days": "平日", "time": "9:30-15:30" }]);
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    body["version"] = json!(2);
    body["rows"][0]["time"] = json!("15:30-9:00");
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/plans/{p}"),
            Some(body),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["rows[0].time"].is_string(), "{b}");
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/plans/{p}"), None)
        .await;
    assert_eq!(
        got["plan"]["record"]["rows"][0]["schedule"]["days"],
        json!([0, 1, 2, 3, 4])
    );
    // State: final straight from draft is refused with the reason.
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/plans/{p}/state"),
            Some(json!({"version": 2, "to": "final"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"], "rule");
    // Team, consent, resource.
    let c = app.client;
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/team"),
            Some(json!({"kind": "municipality", "name": "N市 小林"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let cw = b["id"].as_i64().unwrap();
    let (st, b) = app.api(&token, Method::POST, &format!("/api/v1/clients/{c}/consents"), Some(json!({"member_ids": [cw.to_string()], "sections": ["plan"], "purpose": "会議", "given_on": "R8.4.1"}))).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/consents"),
            None,
        )
        .await;
    assert_eq!(list["consents"].as_array().unwrap().len(), 2);
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/resources",
            Some(json!({"category": "informal", "name": "駅前の喫茶店"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    // Another office and the clerk get 404 on the client's records.
    let other = app.token(app.other_admin).await;
    let clerk = app.token(app.clerk).await;
    for t in [&other, &clerk] {
        for path in [
            format!("/api/v1/plans/{p}"),
            format!("/api/v1/clients/{c}/team"),
            format!("/api/v1/clients/{c}/consents"),
            format!("/api/v1/meetings/{}", app.meeting_id),
            format!("/api/v1/cases/{}/plans", app.case_id),
        ] {
            let (st, _) = app.api(t, Method::GET, &path, None).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}");
        }
    }
    let (_, res) = app
        .api(&other, Method::GET, "/api/v1/resources", None)
        .await;
    assert!(res["resources"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn monitoring_through_the_pages_and_the_morning_dashboard() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.monitored_case;
    // The case shows the months from the certificate: July done, October overdue.
    let case = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case.body.contains("2026年7月 <small>実施済み"),
        "{}",
        case.body
    );
    assert!(case.body.contains("2026年10月 <small>未実施（期限切れ）"));
    // A case without a final plan cannot be monitored yet: said in Japanese, not a 500.
    let r = app
        .get(Some(&s), &format!("/cases/{}/monitorings/new", app.case_id))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("本計画がまだありません"));
    // The form is pre-filled with the plan's goals and the previous report beside them.
    let form = app
        .get(Some(&s), &format!("/cases/{k}/monitorings/new"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("goal_row_key") && form.body.contains("前回"));
    let key = form
        .body
        .split("name=\"goal_row_key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let post = |date: &'static str, outcome: &'static str, reason: &'static str| {
        vec![
            ("monitored_on", date.to_string()),
            ("method", "home_visit".to_string()),
            ("overall", "バスに一人で乗れた".to_string()),
            ("goal_row_key", key.clone()),
            ("goal_need", String::new()),
            ("goal_goal", String::new()),
            ("goal_provision", "週4日通所".to_string()),
            ("goal_person_view", "「楽しい」".to_string()),
            ("goal_satisfaction", "high".to_string()),
            ("goal_achievement", "partly".to_string()),
            ("goal_issues", String::new()),
            ("goal_note", String::new()),
            ("change_amount", key.clone()),
            ("outcome", outcome.to_string()),
            ("reassess_reasons", reason.to_string()),
        ]
    };
    let send = async |path: &str, v: &Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (*a, b.as_str())).collect();
        app.post(&s, path, &pairs, true).await
    };
    // Rejected input keeps what was typed.
    let bad = send(
        &format!("/cases/{k}/monitorings"),
        &post("2099-01-01", "reassess", ""),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("実施日が未来") && bad.body.contains("再アセスメントの理由"));
    assert!(bad.body.contains("バスに一人で乗れた") && bad.body.contains("「楽しい」"));
    // 再アセスメント opens the next assessment version, linked from the report.
    let ok = send(
        &format!("/cases/{k}/monitorings"),
        &post("令和8年10月20日", "reassess", "needs_changed"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = app.get(Some(&s), &to).await;
    assert!(page.body.contains("再アセスメントの新しい版を作りました"));
    assert!(page.body.contains("新しいアセスメントの版"));
    assert!(
        page.body.contains("計画変更を始める"),
        "a change of amount was ticked"
    );
    let id = to
        .trim_start_matches("/monitorings/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // A stale edit is refused with the input kept.
    let mut stale = post("2026-10-21", "continue", "");
    stale.push(("version", "0".into()));
    stale[2].1 = "古い版からの入力".into();
    let r = send(&format!("/monitorings/{id}"), &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("古い版からの入力"));
    // Every month of the certificate is now done or to come: nothing overdue on the dashboard;
    // a visit in August would have been flagged on the case.
    let home = app.get(Some(&s), "/").await;
    assert!(
        home.body
            .contains("期限を過ぎたモニタリング<span class=\"count\">0件"),
        "{}",
        home.body
    );
    // The lead's office view counts per staff member and narrows to one.
    let l = app.session(app.lead).await;
    let office = app.get(Some(&l), "/").await;
    assert!(office.body.contains("職員ごとの状況"));
    let one = app
        .get(Some(&l), &format!("/?staff={}", app.spec.user_id))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains("さんの担当"));
    // Nonsense in the filter is ignored, not an error.
    let odd = app.get(Some(&l), "/?staff=%27%3B").await;
    assert_eq!(odd.status, StatusCode::OK);
    // The clerk's home shows no case content.
    let c = app.session(app.clerk).await;
    let home = app.get(Some(&c), "/").await;
    assert!(!home.body.contains("今月のモニタリング"));
}

#[tokio::test]
async fn decision_support_the_timeline_and_the_retention_setting_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.monitored_case;
    let lead = app.spec.user_id.to_string();
    // Starting: a missing question is refused with what was typed kept.
    let bad = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", ""),
                ("background", "GHの見学を希望"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("入力してください") && bad.body.contains("GHの見学を希望"));
    let ok = app
        .post(
            &s,
            &format!("/cases/{k}/decisions"),
            &[
                ("question", "グループホームに移るか"),
                ("lead_user_id", &lead),
                ("started_on", "令和8年11月1日"),
                ("step", "formation"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = to
        .trim_start_matches("/decisions/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = app.get(Some(&s), &to).await;
    assert!(page.body.contains("グループホームに移るか") && page.body.contains("意思形成"));
    // An estimate without grounds is refused; the estimate typed stays on the form.
    let will = format!("/decisions/{id}/edit/will");
    let form = app.get(Some(&s), &will).await;
    assert_eq!(form.status, StatusCode::OK);
    let estimate = [
        ("version", "1"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", ""),
    ];
    let r = app.post(&s, &will, &estimate, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("根拠が必要です") && r.body.contains("GHで暮らしたい"));
    let grounded = [
        ("version", "1"),
        ("evidence_kind", "behaviour"),
        ("evidence_text", "体験中、自分で買い物に行った"),
        ("evidence_source", "GHの記録"),
        ("expressed", "no"),
        ("estimated_will", "GHで暮らしたい"),
        ("grounds", "体験利用中の行動の記録から"),
    ];
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same save from the old version is a conflict, with the input kept.
    let r = app.post(&s, &will, &grounded, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("体験利用中の行動の記録から"));
    // The decision and the move.
    let r = app
        .post(
            &s,
            &format!("/decisions/{id}/edit/decision"),
            &[
                ("version", "2"),
                ("step", "realisation"),
                ("decision", "グループホームさくらへ移る"),
                ("decided_on", "2026-11-20"),
                ("follow_up_on", "2026-12-20"),
                ("then", "record"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), &format!("/decisions/{id}")).await;
    assert!(page.body.contains("グループホームさくらへ移る") && page.body.contains("推定に基づく"));
    assert!(page.body.contains("体験利用中の行動の記録から"));
    // The unknown section is a 404, not a blank page.
    assert_eq!(
        app.get(Some(&s), &format!("/decisions/{id}/edit/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The timeline: every kind in order, filtered by kind, period and words.
    let tl = app.get(Some(&s), &format!("/cases/{k}/timeline")).await;
    assert_eq!(tl.status, StatusCode::OK);
    for want in [
        "インテーク（本人）",
        "サービス等利用計画 第1版",
        "モニタリング（居宅訪問）",
        "決定「グループホームに移るか」",
    ] {
        assert!(tl.body.contains(want), "{want}: {}", tl.body);
    }
    let only = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?kind=decision&order=old"),
        )
        .await;
    assert!(only.body.contains("決定「グループホームに移るか」"));
    assert!(!only.body.contains("モニタリング（居宅訪問）"));
    let words = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?q=%E3%81%95%E3%81%8F%E3%82%89"),
        )
        .await;
    assert!(words.body.contains("グループホームさくらへ移る"));
    assert!(!words.body.contains("サービス等利用計画 第1版"));
    let period = app
        .get(
            Some(&s),
            &format!("/cases/{k}/timeline?from=R8.11.1&until=2026-11-30"),
        )
        .await;
    assert!(period.body.contains("決定「グループホームに移るか」"));
    assert!(!period.body.contains("インテーク（本人）"));
    let bad_date = app
        .get(Some(&s), &format!("/cases/{k}/timeline?from=yesterday"))
        .await;
    assert_eq!(bad_date.status, StatusCode::OK);
    assert!(bad_date.body.contains("日付を直して"));
    // The fixture's record follows up within the week: on the specialist's home screen.
    let home = app.get(Some(&s), "/").await;
    assert!(home.body.contains("一人暮らしを始めるか"), "{}", home.body);
    // Office settings: only an admin, never under 5 years.
    let a = app.session(app.admin).await;
    let r = app
        .post(&a, "/admin/retention", &[("years", "3")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("5年から100年") && r.body.contains("value=\"3\""));
    let r = app
        .post(&a, "/admin/retention", &[("years", "１０")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(Some(&a), "/admin/staff")
            .await
            .body
            .contains("いまの設定: 10年")
    );
    let r = app
        .post(&s, "/admin/retention", &[("years", "6")], true)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(&a, "/admin/retention", &[("years", "6")], false)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
}

fn is_pdf(r: &Resp) -> bool {
    r.status == StatusCode::OK
        && r.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()) == Some(b"application/pdf")
        && r.body.starts_with("%PDF-")
        && r.headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment;") && v.contains("filename*=UTF-8''"))
}

#[tokio::test]
async fn documents_print_as_pdf_each_download_is_logged_and_a_batch_shows_progress() {
    let app = app().await;
    let s = app.session(app.spec).await;
    for path in [
        format!("/plans/{}/pdf/plan", app.plan_id),
        format!("/plans/{}/pdf/week", app.plan_id),
        format!("/plans/{}/pdf/easy_plan", app.plan_id),
        format!("/meetings/{}/pdf", app.meeting_id),
        format!("/monitorings/{}/pdf", app.monitoring_id),
        format!("/assessments/{}/pdf", app.assessment_id),
    ] {
        let r = app.get(Some(&s), &path).await;
        assert!(
            is_pdf(&r),
            "{path}: {} {}",
            r.status,
            &r.body[..r.body.len().min(200)]
        );
    }
    assert_eq!(
        app.get(Some(&s), &format!("/plans/{}/pdf/nothing", app.plan_id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Each download is a disclosure in the office's log: who, which record, what.
    let a = app.session(app.admin).await;
    let log = app
        .get(
            Some(&a),
            &format!("/admin/audit?client={}&action=print", app.client),
        )
        .await;
    assert!(log.body.contains("印刷・出力（PDF）"), "{}", log.body);
    assert!(log.body.contains("週間計画表") && log.body.contains("わかりやすい版の計画"));
    assert!(
        log.body.contains("サービス担当者会議の記録")
            && log.body.contains("アセスメントシート 第1版")
    );
    assert!(log.body.contains("職員 spec"));

    // A batch of a month's monitoring reports: refused input keeps what was typed.
    let bad = app
        .post(
            &s,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "13月ごろ"),
                ("staff", ""),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("年月を1つ入力してください") && bad.body.contains("13月ごろ"));
    let spec_id = app.spec.user_id.to_string();
    let started = app
        .post(
            &s,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "R8.7"),
                ("staff", &spec_id),
            ],
            true,
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let job = started
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut page = app.get(Some(&s), &job).await;
    for _ in 0..200 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(&s), &job).await;
    }
    assert!(page.body.contains("1件のPDFができました"), "{}", page.body);
    assert!(is_pdf(&app.get(Some(&s), &format!("{job}/pdf")).await));
    // Only the one who started it sees it.
    let lead = app.session(app.lead).await;
    assert_eq!(
        app.get(Some(&lead), &job).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&lead), &format!("{job}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    // Another specialist's batch of the same month finds nothing of this one's clients.
    let s2 = app.session(app.spec2).await;
    let spec2_id = app.spec2.user_id.to_string();
    let other = app
        .post(
            &s2,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "2026-07"),
                ("staff", &spec_id),
            ],
            true,
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only oneself for a specialist"
    );
    let own = app
        .post(
            &s2,
            "/documents/batch",
            &[
                ("what", "monitorings"),
                ("month", "2026-07"),
                ("staff", &spec2_id),
            ],
            true,
        )
        .await;
    let job2 = own
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut page = app.get(Some(&s2), &job2).await;
    for _ in 0..200 {
        if !page.body.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.get(Some(&s2), &job2).await;
    }
    assert!(
        page.body.contains("当たる記録はありませんでした"),
        "{}",
        page.body
    );

    // 帳票の設定 is the admin's; an unknown template is refused with the choice kept.
    assert_eq!(
        app.get(Some(&s), "/admin/documents").await.status,
        StatusCode::NOT_FOUND
    );
    let refused = app
        .post(
            &a,
            "/admin/documents",
            &[
                ("dates", "seireki"),
                ("furigana", "on"),
                ("template_plan", "../etc"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("テンプレート「../etc」が見つかりません")
    );
    let saved = app
        .post(
            &a,
            "/admin/documents",
            &[
                ("dates", "seireki"),
                ("furigana", "on"),
                ("template_plan", "standard"),
            ],
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&a), "/admin/documents?saved=documents").await;
    assert!(page.body.contains("帳票の設定を保存しました"));
    assert!(page.body.contains("value=\"seireki\" selected"));
    assert!(page.body.contains("name=\"furigana\" checked"));
    // Printing still works with the new settings.
    assert!(is_pdf(
        &app.get(Some(&s), &format!("/plans/{}/pdf/plan", app.plan_id))
            .await
    ));
}
