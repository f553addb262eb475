//! The care team outside the office over HTTP: the specialist invites a provider, the provider
//! redeems the code at /join (a refused form keeps what was typed; a forged or reused code says
//! what to do), must set up a second factor, and then sees only the consented sections of that
//! one person — every staff route is the same 404 as a missing record, and a withdrawal takes
//! effect on the next request.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};

/// The text of the element with `id` (the code on the invitation sheet).
fn text_of(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\"")).unwrap();
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].to_string()
}

async fn join(app: &App, code: &str, fields: &[(&str, &str)]) -> Resp {
    let form = app
        .send(
            Request::get(format!("/join?code={code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let cookie = set_cookie(&form, "yorisoi_login").unwrap();
    let csrf = hidden(&form.body, "csrf");
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &csrf));
    all.push(("code", code));
    app.send(
        Request::post("/join")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap(),
    )
    .await
}

/// A member of `client`'s team (`kind`, name, organisation) and a consent naming them for
/// `sections`: (member id, consent id).
async fn member_with_consent(
    app: &App,
    client: i64,
    (kind, name, org): (&str, &str, &str),
    sections: &[&str],
) -> (i64, i64) {
    let today = yorisoi_store::today_jst();
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let m = yorisoi_store::team::add_member(
        &mut tx,
        &acc,
        &yorisoi_domain::team::TeamMemberInput {
            kind: kind.into(),
            name: name.into(),
            organisation: org.into(),
            ..Default::default()
        }
        .validate()
        .unwrap(),
    )
    .await
    .unwrap();
    let ids = yorisoi_store::team::active_member_ids(&mut tx, &acc)
        .await
        .unwrap();
    let consent = yorisoi_store::team::give_consent(
        &mut tx,
        &acc,
        &yorisoi_domain::team::ShareConsentInput {
            member_ids: vec![m.to_string()],
            sections: sections.iter().map(|s| s.to_string()).collect(),
            purpose: "サービス提供".into(),
            given_on: today.to_string(),
            ..Default::default()
        }
        .validate(today, &ids)
        .unwrap(),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (m, consent)
}

#[tokio::test]
async fn a_provider_is_invited_and_sees_only_what_aoki_consented_to() {
    let app = app().await;
    let c = app.client;
    // The provider joins the team with Aさん's consent for 基本情報 and the plan.
    let today = yorisoi_store::today_jst();
    let (m, consent) = member_with_consent(
        &app,
        c,
        ("provider", "佐藤 サビ管", "ひかり作業所"),
        &["basic", "plan"],
    )
    .await;

    // The specialist invites from the team page; the code is shown once, with the link.
    let s = app.session(app.spec).await;
    let team = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(team.body.contains(&format!("/clients/{c}/team/{m}/invite")));
    let r = app
        .post(&s, &format!("/clients/{c}/team/{m}/invite"), &[], true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let code = text_of(&r.body, "invitation-code");
    assert_eq!(code.len(), 14, "{code}");
    assert!(text_of(&r.body, "invitation-link").ends_with(&format!("/join?code={code}")));
    let team = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(
        team.body.contains("招待中"),
        "the team page shows the invitation"
    );

    // A forged code says what to do; the real one names the office and the member.
    let forged = app
        .send(
            Request::get("/join?code=AAAA-AAAA-AAAA")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert!(forged.body.contains("この招待コードは見つかりません"));
    let page = app
        .send(
            Request::get(format!("/join?code={code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("よりそい") && page.body.contains("佐藤 サビ管"));
    assert!(
        !page.body.contains("青木"),
        "the invitee is not told whose team before joining"
    );

    // A refused form keeps what was typed (never the password) and changes nothing.
    let r = join(
        &app,
        &code,
        &[
            ("login", "hikari"),
            ("display_name", "佐藤 一郎"),
            ("password", "correct horse battery staple"),
            ("password_again", "correct horse battery stapler"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("確認のパスワードが一致しません"));
    assert!(r.body.contains("value=\"hikari\"") && r.body.contains("佐藤 一郎"));
    assert!(!r.body.contains("correct horse battery staple"));
    let r = join(
        &app,
        &code,
        &[
            ("login", "hikari"),
            ("display_name", "佐藤 一郎"),
            ("password", "correct horse battery staple"),
            ("password_again", "correct horse battery staple"),
        ],
    )
    .await;
    // A second factor before anything else.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), "/login/enrol");
    assert!(
        set_cookie(&r, "yorisoi_session").is_none(),
        "no session yet"
    );
    // The code is used.
    let again = app
        .send(
            Request::get(format!("/join?code={code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("すでに使われています"));

    let u = yorisoi_store::users::find_by_login(&app.store, "hikari")
        .await
        .unwrap()
        .unwrap();
    let me = Actor {
        user_id: u.id,
        office_id: app.admin.office_id,
        role: Role::Outside,
    };
    // (The second factor itself is the sign-in's own tests; here the session is made directly.)
    let o = app.session(me).await;
    let home = app.get(Some(&o), "/").await;
    assert_eq!(location(&home), "/shared");
    let shared = app.get(Some(&o), "/shared").await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(shared.body.contains("青木 明子さん"), "{}", shared.body);
    assert!(!shared.body.contains("/clients/"), "no staff links");
    let basic = app.get(Some(&o), &format!("/shared/{c}/basic")).await;
    assert_eq!(basic.status, StatusCode::OK);
    assert!(basic.body.contains("あおき") && basic.body.contains("生年月日"));
    let plan = app.get(Some(&o), &format!("/shared/{c}/plan")).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(
        plan.body.contains("本計画）はまだありません"),
        "the fixture's plan is a draft"
    );
    assert_eq!(
        app.get(Some(&o), &format!("/shared/{c}/monitoring"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not consented"
    );
    assert_eq!(
        app.get(Some(&o), &format!("/shared/{c}/assessment"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Nothing of the office: every client route, the lists, the API.
    for (method, path) in client_routes(&app)
        .into_iter()
        .filter(|(_, p)| !p.starts_with("/shared/"))
    {
        let r = call(&app, &o, &method, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    for path in [
        "/clients",
        "/clients?q=%E9%9D%92%E6%9C%A8",
        "/resources",
        "/issues",
        "/documents/batch",
        "/admin/staff",
        "/shares",
        "/api/v1/shares",
        "/exports/clients",
        "/api/v1/exports/clients",
        "/api/v1/clients",
        "/api/v1/resources",
    ] {
        let r = app.get(Some(&o), path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("青木"), "{path}");
    }
    let post = call(&app, &o, &Method::POST, &format!("/clients/{c}/notes")).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    // Each probe outside the shared pages is a refusal in the office's log (written by the
    // audit writer without holding the response: polled for up to 10 s).
    let mut logged = Vec::new();
    for _ in 0..100 {
        let mut tx = app.store.begin(app.admin).await.unwrap();
        let (refused, _) = yorisoi_store::audit::list(
            &mut tx,
            &yorisoi_store::audit::AuditFilter {
                user_id: Some(u.id),
                action: Some("refused_read".into()),
                per_page: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        logged = refused.into_iter().map(|e| e.detail).collect();
        if logged
            .iter()
            .any(|d| d == "この役割で開けるページの範囲外: /admin/staff")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        logged
            .iter()
            .any(|d| d == "この役割で開けるページの範囲外: /admin/staff"),
        "{logged:?}"
    );

    // Aさん withdraws: the very next request is refused, and the list no longer names her.
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(c, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    yorisoi_store::team::withdraw(&mut tx, &acc, consent, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.get(Some(&o), &format!("/shared/{c}/plan")).await.status,
        StatusCode::NOT_FOUND
    );
    let shared = app.get(Some(&o), "/shared").await;
    assert!(!shared.body.contains("青木"), "{}", shared.body);

    // Each view was a disclosure naming the recipient and the consent.
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|a| a == "disclose"), "{actions:?}");
    assert!(actions.iter().any(|a| a == "join"));
    assert!(actions.iter().any(|a| a == "invite"));

    // The office's 共有・開示の記録 names the recipient, the items and the consent.
    let log = app
        .get(Some(&s), &format!("/clients/{c}/disclosures"))
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body.contains("外部メンバーへの開示"), "{}", log.body);
    assert!(
        log.body
            .contains("佐藤 サビ管（ひかり作業所・サービス事業所）")
    );
    assert!(log.body.contains(&format!("根拠: 同意#{consent}")));
    assert!(log.body.contains("外部メンバーの招待") && log.body.contains("招待による連携"));
    let only = app
        .get(Some(&s), &format!("/clients/{c}/disclosures?action=invite"))
        .await;
    assert!(
        !only.body.contains("根拠: 同意#"),
        "filtered to invitations"
    );
    let (status, body) = app
        .api(
            &app.token(app.spec).await,
            Method::GET,
            &format!("/api/v1/clients/{c}/disclosures"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["disclosures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["action"] == "disclose"),
        "{body}"
    );

    // The admin lists the outside accounts and can deactivate one (a lost phone): its
    // session ends at once.
    let a = app.session(app.admin).await;
    let staff = app.get(Some(&a), "/admin/staff").await;
    assert!(staff.body.contains("ケアチームの外部メンバーのアカウント"));
    assert!(
        staff.body.contains("hikari")
            && staff
                .body
                .contains("青木 明子さん（サービス事業所 ひかり作業所）")
    );
    let version = yorisoi_store::users::get_plain(&app.store, u.id)
        .await
        .unwrap()
        .version;
    let r = app
        .post(
            &a,
            &format!("/admin/staff/{}/active", u.id),
            &[("version", &version.to_string()), ("active", "false")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let gone = app.get(Some(&o), "/shared").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(location(&gone).starts_with("/login"), "signed out");

    // The specialist unlinks the member: the team page says so.
    let r = app
        .post(&s, &format!("/clients/{c}/team/{m}/unlink"), &[], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let team = app.get(Some(&s), &location(&r)).await;
    assert!(team.body.contains("連携（または招待）を解除しました"));
    assert!(!team.body.contains("連携済み（hikari）"));
}

/// A provider with a consent for the plan, signed in on the monitored client's team.
pub(crate) async fn provider_on(app: &App, client: i64, sections: &[&str]) -> (Sess, i64) {
    member_on(
        app,
        client,
        ("provider", "石田 サビ管", "はばたき作業所"),
        sections,
    )
    .await
}

/// A member of `kind` with a consent for `sections`, signed in on `client`'s team.
pub(crate) async fn member_on(
    app: &App,
    client: i64,
    who: (&str, &str, &str),
    sections: &[&str],
) -> (Sess, i64) {
    let (m, _) = member_with_consent(app, client, who, sections).await;
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let issued = yorisoi_store::outside::invite(&mut tx, &acc, m)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let user_id = yorisoi_store::outside::join_new(
        &app.store,
        &issued.code,
        &yorisoi_store::outside::NewAccount {
            login: format!("habataki{m}"),
            display_name: "石田".into(),
            password: "correct horse battery staple".into(),
            password_again: "correct horse battery staple".into(),
        },
        yorisoi_store::now_utc(),
    )
    .await
    .unwrap()
    .unwrap();
    let me = Actor {
        user_id,
        office_id: app.admin.office_id,
        role: Role::Outside,
    };
    (app.session(me).await, m)
}

#[tokio::test]
async fn a_provider_reports_provision_goal_by_goal_and_the_specialist_sees_it_beside_each_goal() {
    let app = app().await;
    let tx = app.store.begin(app.spec).await.unwrap();
    let client = yorisoi_store::cases::client_of(&tx, app.monitored_case)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let (o, _) = provider_on(&app, client, &["plan"]).await;
    let page = app.get(Some(&o), &format!("/shared/{client}/plan")).await;
    assert!(
        page.body.contains(&format!("/shared/{client}/report")),
        "offered"
    );
    let form = app.get(Some(&o), &format!("/shared/{client}/report")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let key = hidden(&form.body, "row_key");
    // A month that cannot be read: refused, the text kept.
    let r = app
        .post(
            &o,
            &format!("/shared/{client}/report"),
            &[
                ("month", "十三月"),
                ("row_key", &key),
                ("provision", "11月は週4日通所。作業に集中できている。"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("対象月を") && r.body.contains("週4日通所"));
    // A row the plan does not have: refused.
    let r = app
        .post(
            &o,
            &format!("/shared/{client}/report"),
            &[
                ("month", "令和8年11月"),
                ("row_key", "999"),
                ("provision", "x"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &o,
            &format!("/shared/{client}/report"),
            &[
                ("month", "令和8年11月"),
                ("row_key", &key),
                ("provision", "11月は週4日通所。作業に集中できている。"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = app.get(Some(&o), &location(&r)).await;
    assert!(saved.body.contains("報告を保存しました") && saved.body.contains("週4日通所"));
    // A second save from a stale form is refused, not written over.
    let r = app
        .post(
            &o,
            &format!("/shared/{client}/report"),
            &[
                ("month", "2026-11"),
                ("row_key", &key),
                ("provision", "古い画面からの保存"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("古い画面からの保存"), "kept as typed");

    // The specialist's monitoring form shows it beside the goal, not in the field.
    let s = app.session(app.spec).await;
    let m = app
        .get(
            Some(&s),
            &format!("/cases/{}/monitorings/new", app.monitored_case),
        )
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert!(
        m.body
            .contains("石田 サビ管（はばたき作業所）・令和8年11月"),
        "{}",
        m.body
    );
    assert!(m.body.contains("週4日通所"));
    assert!(
        !m.body
            .contains("name=\"goal_provision\" rows=\"2\">11月は週4日通所"),
        "never copied in by itself"
    );

    // The person writes 「わたしの ことば」 (the fixture's Aさん is on her own team as 本人).
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(client, RecordKind::CareTeam, Action::Write)
        .await
        .unwrap();
    let me_row = yorisoi_store::team::add_member(
        &mut tx,
        &acc,
        &yorisoi_domain::team::TeamMemberInput {
            kind: "person".into(),
            name: "上野 さくら".into(),
            ..Default::default()
        }
        .validate()
        .unwrap(),
    )
    .await
    .unwrap();
    let issued = yorisoi_store::outside::invite(&mut tx, &acc, me_row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let person = yorisoi_store::outside::join_new(
        &app.store,
        &issued.code,
        &yorisoi_store::outside::NewAccount {
            login: "ueno".into(),
            display_name: "上野 さくら".into(),
            password: "correct horse battery staple".into(),
            password_again: "correct horse battery staple".into(),
        },
        yorisoi_store::now_utc(),
    )
    .await
    .unwrap()
    .unwrap();
    let p = app
        .session(Actor {
            user_id: person,
            office_id: app.admin.office_id,
            role: Role::Outside,
        })
        .await;
    let form = app.get(Some(&p), &format!("/shared/{client}/report")).await;
    assert!(form.body.contains("わたしの ことば") && !form.body.contains("name=\"row_key\""));
    let month = hidden(&form.body, "month");
    let r = app
        .post(
            &p,
            &format!("/shared/{client}/report"),
            &[("month", &month), ("note", ""), ("version", "")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("「わたしの ことば」を書いてから"));
    let r = app
        .post(
            &p,
            &format!("/shared/{client}/report"),
            &[
                ("month", &month),
                ("note", "グループホームの 友だちと 買い物に 行きたい"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = app
        .get(
            Some(&s),
            &format!("/cases/{}/monitorings/new", app.monitored_case),
        )
        .await;
    assert!(m.body.contains("「わたしの ことば」です") && m.body.contains("友だちと 買い物に"));

    // A provider with no consent for the plan cannot report; nor can a family member.
    let (no_plan, _) = provider_on(&app, client, &["basic"]).await;
    assert_eq!(
        app.get(Some(&no_plan), &format!("/shared/{client}/report"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
