//! The 404 matrix over every client route, and the admin screens.

use crate::common::*;
use axum::http::StatusCode;

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
            "/decisions",
            "/team",
            "/consents",
            "/shared",
            "/shares",
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
            "/admin/second-factor",
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
                    ("password", "kujira-sora-umi-42"),
                ],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .post(
                &s,
                &format!("/admin/staff/{}/second-factor/reset", app.spec.user_id),
                &[("reason", "x")],
                true,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{who:?} second-factor reset"
        );
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
                ("password", "kujira-sora-umi-42"),
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
                ("password", "kujira-sora-umi-42"),
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

/// 地域課題 are the office's, not one client's: every specialist of the office reads and raises
/// them, the 事務 gets 404 on every route (as on case content), another office 404 on every
/// issue, and only a lead or an admin releases one.
#[tokio::test]
async fn regional_issues_are_the_offices_not_the_clerks_and_released_by_a_lead() {
    use axum::http::Method;
    let app = app().await;
    let r = yorisoi_domain::region::RegionalIssueInput {
        title: "休日の移動支援が足りない".into(),
        category: "mobility".into(),
        need: "休日に一人で出かけたいが、移動支援の空きがない。".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let id = yorisoi_store::regional_issues::add(&mut tx, &r, Some(app.case_id))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    let routes = vec![
        (Method::GET, "/issues".to_string()),
        (Method::GET, "/issues/new".to_string()),
        (
            Method::GET,
            format!("/issues/new?source=meeting&id={}", app.meeting_id),
        ),
        (Method::POST, "/issues".to_string()),
        (Method::GET, format!("/issues/{id}")),
        (Method::POST, format!("/issues/{id}")),
        (Method::POST, format!("/issues/{id}/release")),
        (Method::GET, "/api/v1/issues".to_string()),
        (Method::GET, format!("/api/v1/issues/{id}")),
    ];
    let s = app.session(app.clerk).await;
    for (m, path) in &routes {
        let r = call(&app, &s, m, path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "clerk {m} {path}");
        assert!(!r.body.contains("休日の移動支援"), "clerk {m} {path}");
    }
    let home = app.get(Some(&s), "/").await;
    assert!(
        !home.body.contains("href=\"/issues\""),
        "no menu entry for the 事務"
    );
    let o = app.session(app.other_admin).await;
    let own = format!("/issues/{id}");
    for (m, path) in routes
        .iter()
        .filter(|(_, p)| p.ends_with(&own) || p.contains(&format!("{own}/")))
    {
        let r = call(&app, &o, m, path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "other office {m} {path}");
    }
    let r = app.get(Some(&o), "/issues").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("休日の移動支援"));
    // A specialist the client is not assigned to reads the issue (not the case behind it).
    let s2 = app.session(app.spec2).await;
    let r = app.get(Some(&s2), &format!("/issues/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("青木"));
    assert_eq!(
        app.get(Some(&s2), &format!("/cases/{}", app.case_id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for who in [app.spec, app.spec2] {
        let s = app.session(who).await;
        let r = app
            .post(
                &s,
                &format!("/issues/{id}/release"),
                &[("version", "1")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} releases");
    }
    for (who, version) in [(app.lead, "1"), (app.admin, "2")] {
        let s = app.session(who).await;
        let r = app
            .post(
                &s,
                &format!("/issues/{id}/release"),
                &[("version", version)],
                true,
            )
            .await;
        assert!(
            r.status == StatusCode::SEE_OTHER || r.status == StatusCode::CONFLICT,
            "{who:?} may release: {}",
            r.status
        );
    }
}

/// Issue 20's follow-up routes: a vignette or a 加算 record of a case is a 404 for another
/// office, a colleague the client is not assigned to, the 事務 and a member outside the office;
/// the office-level screens (merge, the lists) for the 事務 and outsiders. Nothing changes.
#[tokio::test]
async fn issue_follow_up_routes_are_404_for_whoever_may_not_open_the_case() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let issue = crate::issue_followups::raise(&app, "夜間に相談できる場所がない").await;
    let dup = crate::issue_followups::raise(&app, "夜間の相談窓口が足りない").await;
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let v = yorisoi_store::vignettes::add(
        &mut tx,
        app.case_id,
        &yorisoi_domain::vignette::VignetteInput {
            title: "夜間の不安の事例".into(),
            body: "40代の女性。夜間に不安が強い。".into(),
            issue_id: String::new(),
        }
        .validate()
        .unwrap(),
    )
    .await
    .unwrap()
    .id;
    let party = |n: &str| yorisoi_domain::joint_support::Party {
        name: n.into(),
        organisation: "N市".into(),
    };
    let j = yorisoi_store::joint_support::add(
        &mut tx,
        app.case_id,
        &yorisoi_domain::joint_support::JointSupportInput {
            worked_on: "R8.10.5".into(),
            parties: vec![party("甲"), party("乙"), party("丙")],
            reported_on: "R8.11.20".into(),
            report_title: "共同支援の報告".into(),
            summary: "共同で支援した。".into(),
            issue_id: String::new(),
        }
        .validate()
        .unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let k = app.case_id.to_string();
    let (vs, js) = (v.to_string(), j.to_string());
    // A route, and the form fields a POST sends (valid ones: a refusal is the policy's).
    type Route<'a> = (Method, String, Vec<(&'a str, &'a str)>);
    let case_routes: Vec<Route> = vec![
        (
            Method::GET,
            format!("/issues/vignettes/new?case={k}"),
            vec![],
        ),
        (
            Method::POST,
            "/issues/vignettes".into(),
            vec![("case_id", &k), ("title", "t"), ("body", "b")],
        ),
        (Method::GET, format!("/issues/vignettes/{vs}"), vec![]),
        (
            Method::POST,
            format!("/issues/vignettes/{vs}"),
            vec![("version", "1"), ("title", "t"), ("body", "b")],
        ),
        (
            Method::POST,
            format!("/issues/vignettes/{vs}/release"),
            vec![("version", "1")],
        ),
        (
            Method::GET,
            format!("/issues/joint-support/new?case={k}"),
            vec![],
        ),
        (
            Method::POST,
            "/issues/joint-support".into(),
            vec![
                ("case_id", &k),
                ("worked_on", "R8.10.5"),
                ("reported_on", "R8.11.20"),
                ("report_title", "t"),
                ("summary", "s"),
                ("party_name", "甲"),
                ("party_name", "乙"),
                ("party_name", "丙"),
            ],
        ),
        (Method::GET, format!("/issues/joint-support/{js}"), vec![]),
        (
            Method::POST,
            format!("/issues/joint-support/{js}"),
            vec![
                ("version", "1"),
                ("worked_on", "R8.10.5"),
                ("reported_on", "R8.11.20"),
                ("report_title", "t"),
                ("summary", "s"),
                ("party_name", "甲"),
                ("party_name", "乙"),
                ("party_name", "丙"),
            ],
        ),
        (
            Method::POST,
            format!("/issues/joint-support/{js}/delete"),
            vec![("version", "1")],
        ),
    ];
    let dup_s = dup.to_string();
    let office_routes: Vec<Route> = vec![
        (Method::GET, "/issues/vignettes".into(), vec![]),
        (Method::GET, "/issues/joint-support".into(), vec![]),
        (Method::GET, format!("/issues/{issue}/merge"), vec![]),
        (
            Method::POST,
            format!("/issues/{issue}/merge"),
            vec![("version", "1"), ("other", &dup_s), ("other_version", "1")],
        ),
    ];
    let (outsider, _) = crate::outside::provider_on(&app, app.client, &["plan"]).await;
    let check = async |s: &Sess, who: &str, routes: &[Route]| {
        for (m, path, fields) in routes {
            let r = if *m == Method::GET {
                app.get(Some(s), path).await
            } else {
                app.post(s, path, fields, true).await
            };
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} {m} {path}");
            assert!(!r.body.contains("夜間の不安の事例"), "{who} {path}");
        }
    };
    for (who, a) in [
        ("other office", app.other_admin),
        ("unassigned", app.spec2),
        ("clerk", app.clerk),
    ] {
        let s = app.session(a).await;
        check(&s, who, &case_routes).await;
        match who {
            // Another office's admin has lists of their own office; our issue is not theirs.
            "other office" => check(&s, who, &office_routes[2..]).await,
            // A colleague works on the office's issues, only not on this case.
            "unassigned" => {}
            _ => check(&s, who, &office_routes).await,
        }
        let token = app.token(a).await;
        for (m, path, body) in [
            (Method::GET, format!("/api/v1/vignettes/{v}"), None),
            (
                Method::PUT,
                format!("/api/v1/vignettes/{v}"),
                Some(json!({"version": 1, "title": "t", "body": "b"})),
            ),
            (
                Method::POST,
                format!("/api/v1/vignettes/{v}/release"),
                Some(json!({"version": 1})),
            ),
            (
                Method::POST,
                "/api/v1/vignettes".into(),
                Some(json!({"case_id": app.case_id, "title": "t", "body": "b"})),
            ),
            (Method::GET, format!("/api/v1/joint-support/{j}"), None),
            (
                Method::PUT,
                format!("/api/v1/joint-support/{j}"),
                Some(
                    json!({"version": 1, "worked_on": "R8.10.5", "reported_on": "R8.11.20",
                    "report_title": "t", "summary": "s",
                    "parties": [{"name": "甲"}, {"name": "乙"}, {"name": "丙"}]}),
                ),
            ),
            (
                Method::DELETE,
                format!("/api/v1/joint-support/{j}?version=1"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/joint-support".into(),
                Some(json!({"case_id": app.case_id, "worked_on": "R8.10.5",
                    "reported_on": "R8.11.20", "report_title": "t", "summary": "s",
                    "parties": [{"name": "甲"}, {"name": "乙"}, {"name": "丙"}]})),
            ),
        ] {
            let (st, _) = app.api(&token, m.clone(), &path, body).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} {m} {path}");
        }
        if a != app.spec2 {
            let (st, _) = app
                .api(
                    &token,
                    Method::POST,
                    &format!("/api/v1/issues/{issue}/merge"),
                    Some(json!({"version": 1, "other": dup, "other_version": 1})),
                )
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} merge");
        }
    }
    check(&outsider, "outside", &case_routes).await;
    check(&outsider, "outside", &office_routes).await;
    // The office's council paper, its category list and the region's screens: not the 事務's,
    // never an outside member's (the gate keeps them to their shared pages).
    let issue_s = issue.to_string();
    let council_routes: Vec<Route> = vec![
        (Method::GET, "/issues/paper".into(), vec![]),
        (Method::GET, "/issues/paper.pdf".into(), vec![]),
        (Method::GET, "/issues/paper.csv".into(), vec![]),
        (Method::GET, "/issues/categories".into(), vec![]),
        (
            Method::POST,
            "/issues/categories".into(),
            vec![("label", "x")],
        ),
        (
            Method::POST,
            "/issues/categories/unused".into(),
            vec![("used", "welfare")],
        ),
        (Method::GET, "/region".into(), vec![]),
        (Method::GET, format!("/region/issues/{issue}"), vec![]),
        (
            Method::POST,
            format!("/region/issues/{issue}"),
            vec![("version", "1"), ("status", "council")],
        ),
        (Method::GET, "/region/figures.csv".into(), vec![]),
        (Method::GET, "/admin/region".into(), vec![]),
        (
            Method::POST,
            "/admin/region/create".into(),
            vec![("name", "勝手な地域")],
        ),
        (
            Method::POST,
            "/admin/region/join".into(),
            vec![("region_id", issue_s.as_str())],
        ),
    ];
    let clerk = app.session(app.clerk).await;
    check(&clerk, "clerk", &council_routes).await;
    check(&outsider, "outside", &council_routes).await;
    let clerk_token = app.token(app.clerk).await;
    for path in [
        "/api/v1/region",
        "/api/v1/region/figures",
        "/api/v1/region/issues",
        "/api/v1/regions",
        "/api/v1/issues/paper",
        "/api/v1/issues/categories",
    ] {
        let (st, _) = app.api(&clerk_token, Method::GET, path, None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "clerk {path}");
    }
    // Nothing changed.
    let mut tx = app.store.read(app.spec).await.unwrap();
    assert_eq!(
        yorisoi_store::vignettes::get(&mut tx, v)
            .await
            .unwrap()
            .version,
        1
    );
    assert_eq!(
        yorisoi_store::joint_support::get(&mut tx, j)
            .await
            .unwrap()
            .version,
        1
    );
    assert!(
        yorisoi_store::issue_followups::of(&mut tx, dup)
            .await
            .unwrap()
            .merged_into
            .is_none()
    );
    assert_eq!(
        yorisoi_store::vignettes::list(&mut tx, None)
            .await
            .unwrap()
            .vignettes
            .len(),
        1
    );
    tx.commit().await.unwrap();
}
