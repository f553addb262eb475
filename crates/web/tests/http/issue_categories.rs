//! The office's 地域課題 categories over HTTP: a lead adds one (a refused form keeps what was
//! typed; a stale edit is a 409), the issue form offers it and the list counts under its name; a
//! specialist sees the page without the forms and gets a 404 posting; the API twins. And an
//! issue raised from a plan's need that no service meets, with its case.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

#[tokio::test]
async fn a_lead_sets_the_categories_and_an_issue_is_filed_under_its_own() {
    let app = app().await;
    let l = app.session(app.lead).await;
    let page = app.get(Some(&l), "/issues/categories").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("action=\"/issues/categories\""));
    // The name of a default is refused, and what was typed stays.
    let r = app
        .post(
            &l,
            "/issues/categories",
            &[("label", "住まい"), ("counts_as", "housing")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("既定の分類と同じ名前です"));
    assert!(r.body.contains("value=\"住まい\""));
    let r = app
        .post(
            &l,
            "/issues/categories",
            &[("label", "災害時の支援"), ("counts_as", "housing")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut tx = app.store.read(app.lead).await.unwrap();
    let own = issue_categories::list(&mut tx).await.unwrap().own.remove(0);
    tx.commit().await.unwrap();
    let page = app.get(Some(&l), "/issues/categories").await;
    assert!(page.body.contains("災害時の支援"));

    // The specialist sees the list and files an issue under it; the form says how it counts.
    let s = app.session(app.spec).await;
    let new = app.get(Some(&s), "/issues/new").await;
    assert!(new.body.contains(&format!("value=\"{}\"", own.code)));
    let r = app
        .post(
            &s,
            "/issues",
            &[
                ("title", "災害時に過ごせる場がない"),
                ("category", own.code.as_str()),
                (
                    "need",
                    "避難所で過ごすことが難しい人の、落ち着ける場がない。",
                ),
                ("status", "raised"),
                ("raised_on", "R8.11.20"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = app.get(Some(&s), &location(&r)).await;
    assert!(
        shown
            .body
            .contains("地域（協議会）では「住まい」として数えます")
    );
    let list = app
        .get(Some(&s), &format!("/issues?category={}", own.code))
        .await;
    assert!(list.body.contains("<td>災害時の支援</td>"), "{}", list.body);
    assert!(list.body.contains("<th scope=\"row\">災害時の支援</th>"));
    let list = app.get(Some(&s), "/issues?category=housing").await;
    assert!(!list.body.contains("災害時に過ごせる場がない"));

    // The specialist sees the page without the forms; posting is a 404 and changes nothing.
    let page = app.get(Some(&s), "/issues/categories").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("action=\"/issues/categories\""));
    for (path, fields) in [
        ("/issues/categories".to_string(), vec![("label", "x")]),
        (
            "/issues/categories/unused".to_string(),
            vec![("used", "work")],
        ),
        (
            format!("/issues/categories/{}", own.id),
            vec![("version", "1"), ("label", "乗っ取り"), ("active", "yes")],
        ),
    ] {
        let r = app.post(&s, &path, &fields, true).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "specialist {path}");
    }

    // A stale edit is a 409 that keeps the typed name; the current one saves.
    let edit = format!("/issues/categories/{}", own.id);
    let ok = app
        .post(
            &l,
            &edit,
            &[
                ("version", "1"),
                ("label", "災害時の支援"),
                ("counts_as", "other"),
                ("active", "yes"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let stale = app
        .post(
            &l,
            &edit,
            &[("version", "1"), ("label", "防災"), ("counts_as", "other")],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("value=\"防災\""));
    // Defaults: unticking こども hides it from new issues; その他 stays whatever is sent.
    let r = app
        .post(
            &l,
            "/issues/categories/unused",
            &[("used", "welfare"), ("used", "housing")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let new = app.get(Some(&s), "/issues/new").await;
    assert!(!new.body.contains("value=\"children\""));
    assert!(new.body.contains("value=\"other\""));
    let r = app
        .post(
            &l,
            "/issues/categories/unused",
            &[("used", "nowhere")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another office's admin does not reach ours.
    let o = app.session(app.other_admin).await;
    let r = app
        .post(
            &o,
            &edit,
            &[("version", "2"), ("label", "乗っ取り"), ("active", "yes")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let theirs = app.get(Some(&o), "/issues/categories").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(&format!("id=\"cat-{}\"", own.id)));
    assert!(theirs.body.contains("事業所の分類はまだありません"));
}

#[tokio::test]
async fn the_category_api_adds_edits_and_refuses_what_it_should() {
    let app = app().await;
    let lead = app.token(app.lead).await;
    let (st, body) = app
        .api(
            &lead,
            Method::POST,
            "/api/v1/issues/categories",
            Some(json!({"label": "ひきこもり", "counts_as": "participation"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["code"], format!("own-{id}"));
    let (st, body) = app
        .api(
            &lead,
            Method::PUT,
            &format!("/api/v1/issues/categories/{id}"),
            Some(json!({"version": 1, "label": "ひきこもり", "counts_as": "nowhere"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, _) = app
        .api(
            &lead,
            Method::PUT,
            &format!("/api/v1/issues/categories/{id}"),
            Some(json!({"version": 9, "label": "ひきこもり"})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, body) = app
        .api(
            &lead,
            Method::PUT,
            "/api/v1/issues/categories/unused",
            Some(json!({"unused": ["other"]})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, body) = app
        .api(
            &lead,
            Method::PUT,
            "/api/v1/issues/categories/unused",
            Some(json!({"unused": ["children"]})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["unused"], json!(["children"]));

    // A specialist reads the list and raises an issue in it; the list names it.
    let spec = app.token(app.spec).await;
    let (st, body) = app
        .api(&spec, Method::GET, "/api/v1/issues/categories", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["own"][0]["label"], "ひきこもり");
    let (st, body) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/issues",
            Some(
                json!({"title": "外に出るきっかけがない", "category": format!("own-{id}"),
                "need": "家から出ない若い人の、通える場が地区にない。", "raised_on": "2026-11-20"}),
            ),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let (st, body) = app
        .api(
            &spec,
            Method::GET,
            &format!("/api/v1/issues?category=own-{id}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["total"], 1);
    assert_eq!(body["issues"][0]["category"], "participation");
    assert_eq!(body["issues"][0]["category_label"], "ひきこもり");
    let (st, _) = app
        .api(
            &spec,
            Method::GET,
            "/api/v1/issues?category=own-999999",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // The specialist does not set the list; the 事務 and another office see nothing of it.
    let (st, _) = app
        .api(
            &spec,
            Method::POST,
            "/api/v1/issues/categories",
            Some(json!({"label": "x"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let clerk = app.token(app.clerk).await;
    let (st, _) = app
        .api(&clerk, Method::GET, "/api/v1/issues/categories", None)
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let other = app.token(app.other_admin).await;
    let (st, body) = app
        .api(&other, Method::GET, "/api/v1/issues/categories", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["own"], json!([]));
    let (st, _) = app
        .api(
            &other,
            Method::PUT,
            &format!("/api/v1/issues/categories/{id}"),
            Some(json!({"version": 1, "label": "乗っ取り"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, body) = app
        .api(
            &other,
            Method::POST,
            "/api/v1/issues",
            Some(json!({"title": "t", "category": format!("own-{id}"),
                "need": "n", "raised_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn an_issue_is_raised_from_a_plan_need_no_service_meets() {
    let app = app().await;
    // The draft's first row has no provider or resource; the second has a provider.
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = plans::access(&mut tx, app.plan_id, RecordKind::Plan, Action::Write)
        .await
        .unwrap();
    let plan = plans::get(&mut tx, &acc, app.plan_id).await.unwrap();
    let mut rec = plan.record.clone();
    let row = |key: u32, need: &str, provider: &str| yorisoi_domain::plan::PlanRow {
        key,
        need_key: None,
        from_wish: String::new(),
        need: need.into(),
        goal: "週3日、日中を過ごす場所に通う".into(),
        due: "6か月".into(),
        category: yorisoi_domain::plan::ServiceCategory::ALL[0],
        service_type: None,
        service: "日中の居場所".into(),
        schedule: None,
        provider: provider.into(),
        resource_id: None,
        person_role: String::new(),
        review: String::new(),
        notes: String::new(),
    };
    rec.rows = vec![
        row(1, "日中に安心して通える場所がほしい", ""),
        row(2, "作業所に通い続けたい", "はばたき作業所"),
    ];
    plans::update(&mut tx, &acc, app.plan_id, plan.version, &rec)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let row = &rec.rows[0];
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), &format!("/plans/{}", app.plan_id)).await;
    let link = |key: u32| {
        format!(
            "/issues/new?source=need&amp;id={}&amp;row={key}",
            app.plan_id
        )
    };
    assert!(
        page.body.contains(&link(row.key)),
        "the unmet row offers the link"
    );
    assert!(
        !page.body.contains(&link(rec.rows[1].key)),
        "a row with a provider does not"
    );
    let new = app
        .get(
            Some(&s),
            &format!("/issues/new?source=need&id={}&row={}", app.plan_id, row.key),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(hidden(&new.body, "source"), "need");
    assert_eq!(hidden(&new.body, "source_ref"), app.plan_id.to_string());
    assert_eq!(hidden(&new.body, "case_id"), app.case_id.to_string());
    assert!(
        new.body
            .contains(&format!("href=\"/plans/{}\"", app.plan_id))
    );
    let first_line = row.need.lines().next().unwrap_or("").trim();
    assert!(
        new.body.contains(first_line),
        "the need is prefilled: {first_line}"
    );
    let r = app
        .post(
            &s,
            "/issues",
            &[
                ("title", "日中に通える場が足りない"),
                ("category", "welfare"),
                ("need", "日中に通える場が地区に足りない。"),
                ("status", "raised"),
                ("source", "need"),
                ("source_ref", &app.plan_id.to_string()),
                ("case_id", &app.case_id.to_string()),
                ("raised_on", "R8.11.20"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = location(&r)
        .trim_start_matches("/issues/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut tx = app.store.read(app.spec).await.unwrap();
    let i = regional_issues::get(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(i.case_ids, vec![app.case_id]);
    assert_eq!(i.record.source_ref, Some(app.plan_id));
    // A row that does not exist, another office, the 事務: no form.
    let r = app
        .get(
            Some(&s),
            &format!("/issues/new?source=need&id={}&row=999", app.plan_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for who in [app.other_admin, app.clerk, app.spec2] {
        let o = app.session(who).await;
        let r = app
            .get(
                Some(&o),
                &format!("/issues/new?source=need&id={}", app.plan_id),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?}");
    }
}
