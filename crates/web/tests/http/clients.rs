//! Optimistic concurrency on client, note and intake edits.

use crate::common::*;
use axum::http::StatusCode;

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
    assert!(r.body.contains("この画面を開いたあとに更新されています"));
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

/// A JSON API request with a body sent as `text/plain`.
async fn plain(app: &App, token: &str, method: axum::http::Method, path: &str) -> StatusCode {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(axum::http::header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    app.send(req).await.status
}

#[tokio::test]
async fn the_client_list_api_refuses_pages_and_ids_out_of_range() {
    use axum::http::Method;
    let app = app().await;
    let token = app.token(app.spec).await;
    for (q, field) in [
        ("page=9223372036854775807", Some("page")),
        ("page=0", Some("page")),
        ("page=-1", Some("page")),
        ("page=abc", None),
        ("per_page=9223372036854775807", Some("per_page")),
        ("per_page=-5", Some("per_page")),
        ("per_page=abc", None),
        ("status=zzz", Some("status")),
    ] {
        let (st, body) = app
            .api(&token, Method::GET, &format!("/api/v1/clients?{q}"), None)
            .await;
        match field {
            Some(f) => {
                assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
                assert!(body["fields"][f].is_string(), "{q}: {body}");
            }
            None => assert_eq!(st, StatusCode::BAD_REQUEST, "{q}"),
        }
    }
    let (st, body) = app
        .api(
            &token,
            Method::GET,
            "/api/v1/clients?page=1&per_page=200",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(body["total"].as_u64().is_some() && body["items"].is_array());
    for id in ["9223372036854775807", "-1", "abc", "99999999999999999999"] {
        for path in [
            format!("/api/v1/clients/{id}"),
            format!("/api/v1/clients/{id}/certificates"),
            format!("/api/v1/clients/{id}/notes"),
            format!("/api/v1/cases/{id}/timeline"),
        ] {
            let (st, body) = app.api(&token, Method::GET, &path, None).await;
            assert!(st.is_client_error(), "{path}: {st}");
            assert!(body["error"].is_string(), "{path}");
        }
    }
}

#[tokio::test]
async fn disability_books_over_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let c = app.client;
    let token = app.token(app.spec).await;
    let path = format!("/api/v1/clients/{c}/books");
    let book = json!({"kind": "physical", "grade": "2級", "issued_on": "R6.4.1"});
    for who in [app.other_admin, app.spec2] {
        let t = app.token(who).await;
        let (st, _) = app.api(&t, Method::POST, &path, Some(book.clone())).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    let (st, body) = app
        .api(&token, Method::POST, &path, Some(json!({"kind": "zzz"})))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["kind"].is_string(), "{body}");
    assert_eq!(
        plain(&app, &token, Method::POST, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let (st, body) = app.api(&token, Method::POST, &path, Some(book)).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let book_id = body["id"].as_i64().unwrap();
    let (_, got) = app
        .api(&token, Method::GET, &format!("/api/v1/clients/{c}"), None)
        .await;
    assert_eq!(got["disability_books"][0]["id"], book_id);
    let one = format!("{path}/{book_id}");
    let other = app.token(app.other_admin).await;
    assert_eq!(
        app.api(&other, Method::DELETE, &one, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(&token, Method::DELETE, &one, None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.api(&token, Method::DELETE, &one, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn assignment_over_the_api_is_for_admins_and_leads() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let c = app.client;
    let one = format!("/api/v1/clients/{c}/assignee");
    let to_spec2 = json!({"assigned_user_id": app.spec2.user_id});
    for who in [app.spec, app.spec2, app.clerk, app.other_admin] {
        let t = app.token(who).await;
        let (st, _) = app.api(&t, Method::PUT, &one, Some(to_spec2.clone())).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
        let (st, _) = app
            .api(
                &t,
                Method::POST,
                "/api/v1/clients/assign",
                Some(json!({"ids": [c], "assigned_user_id": null})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    let lead = app.token(app.lead).await;
    let (st, body) = app
        .api(
            &lead,
            Method::PUT,
            &one,
            Some(json!({"assigned_user_id": app.clerk.user_id})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["assigned_user_id"].is_string(), "{body}");
    let (st, body) = app
        .api(
            &lead,
            Method::POST,
            "/api/v1/clients/assign",
            Some(json!({"ids": []})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["ids"].is_string(), "{body}");
    let (st, body) = app
        .api(
            &lead,
            Method::POST,
            "/api/v1/clients/assign",
            Some(json!({"ids": "x"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["ids"].is_string(), "{body}");
    assert_eq!(
        plain(&app, &lead, Method::PUT, &one).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let (st, body) = app.api(&lead, Method::PUT, &one, Some(to_spec2)).await;
    assert_eq!((st, body["changed"].as_u64()), (StatusCode::OK, Some(1)));
    let spec = app.token(app.spec).await;
    assert_eq!(
        app.api(&spec, Method::GET, &format!("/api/v1/clients/{c}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND,
        "reassigned away"
    );
    let (st, body) = app
        .api(
            &lead,
            Method::POST,
            "/api/v1/clients/assign",
            Some(json!({"ids": [c], "assigned_user_id": app.spec.user_id})),
        )
        .await;
    assert_eq!((st, body["changed"].as_u64()), (StatusCode::OK, Some(1)));
    assert_eq!(
        app.api(&spec, Method::GET, &format!("/api/v1/clients/{c}"), None)
            .await
            .0,
        StatusCode::OK
    );
}

#[test]
fn the_client_operations_are_documented_with_their_fields() {
    let doc = serde_json::to_value(yorisoi_web::api::openapi()).unwrap();
    let p = &doc["paths"];
    for (path, method) in [
        ("/clients", "get"),
        ("/clients", "post"),
        ("/clients/{id}", "get"),
        ("/clients/{id}", "put"),
        ("/clients/{id}/books", "post"),
        ("/clients/{id}/books/{book_id}", "delete"),
        ("/clients/assign", "post"),
        ("/clients/{id}/assignee", "put"),
        ("/clients/{id}/certificates", "get"),
        ("/clients/{id}/certificates", "post"),
        ("/clients/{id}/notes", "get"),
        ("/clients/{id}/notes", "post"),
        ("/clients/{id}/notes/{note_id}", "put"),
        ("/dashboard", "get"),
        ("/cases/{id}/timeline", "get"),
    ] {
        assert!(p[path][method].is_object(), "{method} {path}");
    }
    let params = p["/clients"]["get"]["parameters"].as_array().unwrap();
    for name in ["q", "status", "page", "per_page"] {
        assert!(
            params
                .iter()
                .any(|x| x["name"] == name && x["in"] == "query"),
            "{name} in {params:?}"
        );
    }
    // A versioned body lists `version` beside the record's fields.
    let text = doc["components"]["schemas"]["ClientUpdate"].to_string();
    assert!(
        text.contains("\"version\"") && text.contains("ClientInput"),
        "{text}"
    );
    let text = doc["components"]["schemas"]["NoteUpdate"].to_string();
    assert!(
        text.contains("\"version\"") && text.contains("NoteInput"),
        "{text}"
    );
}
