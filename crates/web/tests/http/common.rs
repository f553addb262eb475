//! The shared fixture: two offices with their staff, a client with a case, notes, an assessment, a plan,
//! a meeting and a monitored case, and helpers to send requests as a signed-in user.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use yorisoi_domain::case::IntakeInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;
use yorisoi_web::{AppState, Config};

pub(crate) struct App {
    pub(crate) router: Router,
    pub(crate) store: Store,
    _dir: tempfile::TempDir,
    pub(crate) admin: Actor,
    pub(crate) lead: Actor,
    pub(crate) spec: Actor,
    pub(crate) spec2: Actor,
    pub(crate) clerk: Actor,
    pub(crate) other_admin: Actor,
    pub(crate) client: i64,
    pub(crate) case_id: i64,
    pub(crate) note_id: i64,
    pub(crate) assessment_id: i64,
    pub(crate) plan_id: i64,
    pub(crate) meeting_id: i64,
    pub(crate) member_id: i64,
    pub(crate) consent_id: i64,
    /// A case of a second client of the specialist (上野さくら) with a final plan (support from May 2026, 「3月ごと」) and a
    /// monitoring report.
    pub(crate) monitored_case: i64,
    pub(crate) monitoring_id: i64,
    /// A 意思決定支援 record on the monitored case, its follow-up a week after the fixture's today.
    pub(crate) decision_id: i64,
}

pub(crate) struct Sess {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) struct Resp {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

pub(crate) const PASSWORD: &str = "correct horse battery";

/// The value of the hidden field `name` in a page.
pub(crate) fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Where a redirect goes ("" when it is not one).
pub(crate) fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

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

pub(crate) async fn app() -> App {
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
    pub(crate) async fn session(&self, a: Actor) -> Sess {
        let s = sessions::create(&self.store, a.user_id).await.unwrap();
        Sess {
            cookie: format!("yorisoi_session={}", s.token),
            csrf: s.csrf_token,
        }
    }

    pub(crate) async fn send(&self, req: Request<Body>) -> Resp {
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

    pub(crate) async fn get(&self, s: Option<&Sess>, path: &str) -> Resp {
        let mut b = Request::get(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub(crate) async fn post(
        &self,
        s: &Sess,
        path: &str,
        pairs: &[(&str, &str)],
        csrf: bool,
    ) -> Resp {
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

    pub(crate) async fn token(&self, a: Actor) -> String {
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
        let (_, t) = api_tokens::issue(
            &mut tx,
            a.user_id,
            "test",
            api_tokens::TokenScope::Write,
            30,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        t
    }

    pub(crate) async fn api(
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

    /// The actions in the main office's audit log, newest first.
    pub(crate) async fn audit_actions(&self) -> Vec<String> {
        let mut tx = self.store.begin(self.admin).await.unwrap();
        let f = yorisoi_store::audit::AuditFilter {
            per_page: 500,
            ..Default::default()
        };
        let (rows, _) = yorisoi_store::audit::list(&mut tx, &f).await.unwrap();
        tx.rollback().await.unwrap();
        rows.into_iter().map(|r| r.action).collect()
    }

    pub(crate) async fn note_count(&self) -> usize {
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

    pub(crate) async fn client_count(&self) -> u64 {
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

pub(crate) fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// Every route that names a client, case or note, for users who may not see it.
pub(crate) fn client_routes(app: &App) -> Vec<(Method, String)> {
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
        // The prints an inspection asks for.
        (Method::GET, format!("/clients/{c}/person-file")),
        (Method::POST, format!("/clients/{c}/person-file")),
        (Method::GET, format!("/clients/{c}/notes/print")),
        (Method::GET, format!("/clients/{c}/notes/pdf")),
        (
            Method::GET,
            format!("/clients/{c}/notes/pdf?from=R8.4.1&until=x"),
        ),
        (Method::GET, format!("/cases/{k}/pdf/intake")),
        (Method::GET, format!("/cases/{k}/pdf/closure")),
        (Method::GET, format!("/decisions/{}/pdf", app.decision_id)),
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
        // アセスメント and 意思決定支援 over the API (reads; the writes are in their own tests,
        // where a JSON body lets only authorization refuse them).
        (Method::GET, format!("/api/v1/cases/{k}/assessments")),
        (Method::GET, format!("/api/v1/assessments/{a}")),
        (
            Method::GET,
            format!("/api/v1/assessments/{a}/drawing/genogram.svg"),
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{}/decisions", app.monitored_case),
        ),
        (
            Method::GET,
            format!("/api/v1/decisions/{}", app.decision_id),
        ),
        (Method::GET, format!("/clients/{c}/team")),
        (Method::POST, format!("/clients/{c}/team")),
        (Method::GET, format!("/clients/{c}/team/{}", app.member_id)),
        (Method::POST, format!("/clients/{c}/team/{}", app.member_id)),
        // The care team outside the office: the specialist's invitation buttons, and the shared
        // pages (which staff never reach: they are for outside members only).
        (
            Method::POST,
            format!("/clients/{c}/team/{}/invite", app.member_id),
        ),
        (
            Method::POST,
            format!("/clients/{c}/team/{}/unlink", app.member_id),
        ),
        (Method::GET, format!("/clients/{c}/disclosures")),
        (Method::GET, format!("/clients/{c}/shares")),
        (Method::POST, format!("/clients/{c}/shares")),
        (Method::POST, format!("/clients/{c}/shares/1/revoke")),
        (Method::GET, "/shared/documents/1".to_string()),
        (Method::GET, "/shared/documents/1/pdf".to_string()),
        (Method::POST, "/shared/documents/1/receive".to_string()),
        (Method::GET, format!("/shared/{c}")),
        (Method::GET, format!("/shared/{c}/basic")),
        (Method::GET, format!("/shared/{c}/plan")),
        (Method::GET, format!("/shared/{c}/monitoring")),
        (Method::GET, format!("/shared/{c}/report")),
        (Method::POST, format!("/shared/{c}/report")),
        (Method::POST, format!("/clients/{c}/consents")),
        (Method::POST, format!("/clients/{c}/team/batch")),
        (Method::POST, format!("/clients/{c}/consents/batch")),
        (
            Method::POST,
            format!("/clients/{c}/consents/{}/withdraw", app.consent_id),
        ),
        // clients, certificates, notes, timeline (the API, with the session)
        (Method::GET, format!("/api/v1/clients/{c}")),
        (Method::PUT, format!("/api/v1/clients/{c}")),
        (Method::POST, format!("/api/v1/clients/{c}/books")),
        (Method::DELETE, format!("/api/v1/clients/{c}/books/1")),
        (Method::PUT, format!("/api/v1/clients/{c}/assignee")),
        (Method::GET, format!("/api/v1/clients/{c}/certificates")),
        (Method::POST, format!("/api/v1/clients/{c}/certificates")),
        (Method::GET, format!("/api/v1/clients/{c}/notes")),
        (Method::POST, format!("/api/v1/clients/{c}/notes")),
        (Method::PUT, format!("/api/v1/clients/{c}/notes/{n}")),
        (Method::GET, format!("/api/v1/cases/{k}/timeline")),
        // A person's record as FHIR (issue 21).
        (Method::GET, format!("/api/v1/clients/{c}/fhir")),
        // team: the care team and consents through the API.
        (Method::GET, format!("/api/v1/clients/{c}/team")),
        (Method::POST, format!("/api/v1/clients/{c}/team")),
        (
            Method::PUT,
            format!("/api/v1/clients/{c}/team/{}", app.member_id),
        ),
        (Method::GET, format!("/api/v1/clients/{c}/consents")),
        (Method::GET, format!("/api/v1/clients/{c}/team/access")),
        (Method::GET, format!("/api/v1/clients/{c}/disclosures")),
        (Method::GET, format!("/api/v1/clients/{c}/shares")),
        (Method::POST, format!("/api/v1/clients/{c}/shares")),
        (Method::POST, format!("/api/v1/clients/{c}/shares/1/revoke")),
        (
            Method::POST,
            format!("/api/v1/clients/{c}/team/{}/invite", app.member_id),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{c}/team/{}/unlink", app.member_id),
        ),
        (Method::POST, format!("/api/v1/clients/{c}/consents")),
        (Method::POST, format!("/api/v1/clients/{c}/team/batch")),
        (Method::POST, format!("/api/v1/clients/{c}/consents/batch")),
        (
            Method::POST,
            format!("/api/v1/clients/{c}/consents/{}/withdraw", app.consent_id),
        ),
        // plans and documents (API; the writes are refused as 404 in plans.rs and
        // documents.rs, since a form body is refused as 415 before access is asked)
        (Method::GET, format!("/api/v1/cases/{k}/plans")),
        (Method::GET, format!("/api/v1/plans/{}", app.plan_id)),
        (
            Method::GET,
            format!("/api/v1/plans/{}/week.svg", app.plan_id),
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{}/pdf/plan", app.plan_id),
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{}/pdf/week", app.plan_id),
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{}/pdf/easy_plan", app.plan_id),
        ),
        (
            Method::GET,
            format!("/api/v1/meetings/{}/pdf", app.meeting_id),
        ),
        (
            Method::GET,
            format!("/api/v1/monitorings/{}/pdf", app.monitoring_id),
        ),
        (Method::GET, format!("/api/v1/assessments/{a}/pdf")),
        (Method::GET, format!("/api/v1/clients/{c}/notes/pdf")),
        (Method::GET, format!("/api/v1/cases/{k}/pdf/intake")),
        (Method::GET, format!("/api/v1/cases/{k}/pdf/closure")),
        (
            Method::GET,
            format!("/api/v1/decisions/{}/pdf", app.decision_id),
        ),
        // cases, monitorings, meetings (API)
        (Method::GET, format!("/api/v1/clients/{c}/cases")),
        (Method::POST, format!("/api/v1/clients/{c}/cases")),
        (Method::GET, format!("/api/v1/cases/{k}")),
        (Method::PUT, format!("/api/v1/cases/{k}")),
        (Method::POST, format!("/api/v1/cases/{k}/stage")),
        (Method::POST, format!("/api/v1/cases/{k}/close")),
        (
            Method::GET,
            format!("/api/v1/cases/{}/monitorings", app.monitored_case),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/monitorings", app.monitored_case),
        ),
        (
            Method::GET,
            format!("/api/v1/monitorings/{}", app.monitoring_id),
        ),
        (
            Method::PUT,
            format!("/api/v1/monitorings/{}", app.monitoring_id),
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{}/meetings", app.plan_id),
        ),
        (
            Method::POST,
            format!("/api/v1/plans/{}/meetings", app.plan_id),
        ),
        (Method::GET, format!("/api/v1/meetings/{}", app.meeting_id)),
        (Method::PUT, format!("/api/v1/meetings/{}", app.meeting_id)),
    ]
}

pub(crate) async fn call(app: &App, s: &Sess, m: &Method, path: &str) -> Resp {
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
    if path.starts_with("/api/") {
        // The API with the browser session and its CSRF header, as JSON.
        let body = if path.contains("/team") || path.contains("/consents") {
            serde_json::json!({
                "version": 1, "kind": "person", "name": "x", "member_ids": [], "sections": ["plan"],
                "purpose": "x", "given_on": "2026-01-02", "withdrawn_on": "",
            })
        } else {
            let mut body: serde_json::Map<String, Value> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect();
            body.insert("version".into(), Value::from(1));
            body.insert("assigned_user_id".into(), Value::Null);
            Value::Object(body)
        };
        let req = Request::builder()
            .method(m.clone())
            .uri(path)
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(if *m == Method::GET {
                String::new()
            } else {
                body.to_string()
            }))
            .unwrap();
        return app.send(req).await;
    }
    if *m == Method::GET {
        app.get(Some(s), path).await
    } else {
        app.post(s, path, &pairs, true).await
    }
}

/// A multipart body with a `csrf` field (when given) and a file.
pub(crate) fn multipart(csrf: Option<&str>, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
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
    pub(crate) async fn upload(
        &self,
        s: &Sess,
        path: &str,
        csrf: bool,
        name: &str,
        bytes: &[u8],
    ) -> Resp {
        let (ty, body) = multipart(csrf.then_some(s.csrf.as_str()), name, bytes);
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ty)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

impl App {
    /// A GET whose body is kept as bytes (a PDF).
    pub(crate) async fn get_bytes(&self, s: &Sess, path: &str) -> (StatusCode, Vec<u8>) {
        let req = Request::get(path)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, bytes.to_vec())
    }
}

/// The pages of a PDF as poppler's pdftotext reads them (needed: CI installs poppler-utils).
pub(crate) fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) reads the PDFs");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn is_pdf(r: &Resp) -> bool {
    r.status == StatusCode::OK
        && r.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()) == Some(b"application/pdf")
        && r.body.starts_with("%PDF-")
        && r.headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment;") && v.contains("filename*=UTF-8''"))
}

impl App {
    /// A form POST with a raw body (bytes that need not be UTF-8), with the session's CSRF
    /// token first.
    pub(crate) async fn post_raw(&self, s: &Sess, path: &str, body: &[u8]) -> Resp {
        let mut all = format!("csrf={}&", s.csrf).into_bytes();
        all.extend_from_slice(body);
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(all))
            .unwrap();
        self.send(req).await
    }
}
