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
