//! The care team and consents through the API (the pages' tests are in plans.rs).

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

/// A write sent as a form to a JSON operation.
pub(crate) async fn as_text(app: &App, token: &str, method: Method, path: &str) -> StatusCode {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("name=x"))
        .unwrap();
    app.send(req).await.status
}

#[tokio::test]
async fn a_team_member_is_updated_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let path = format!("/api/v1/clients/{c}/team/{}", app.member_id);
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/team"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let me = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == app.member_id)
        .unwrap()
        .clone();
    let version = me["version"].as_i64().unwrap();
    let body = |v: i64, name: &str, active: bool| json!({"version": v, "kind": "person", "name": name, "role": "本人", "active": active});
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version, "青木 明子", true)),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["version"], version + 1);
    // Stale: 409; a field refused: 422 naming it; not JSON: 415.
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version, "古い", true)),
        )
        .await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (st, b) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version + 1, "", true)),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["name"].is_string(), "{b}");
    assert_eq!(
        as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Taken off the team: kept, inactive.
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &path,
            Some(body(version + 1, "青木 明子", false)),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/team"),
            None,
        )
        .await;
    assert!(
        list["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == app.member_id && m["active"] == false)
    );
    // Another office, an unassigned specialist and the clerk: 404, nothing changed.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, _) = app
            .api(
                &t,
                Method::PUT,
                &path,
                Some(body(version + 2, "乗っ取り", true)),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    // A member of another client is not found through this one.
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/clients/{c}/team/999999"),
            Some(body(1, "x", true)),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn consents_are_withdrawn_through_the_api_with_the_field_named() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let path = format!("/api/v1/clients/{c}/consents/{}/withdraw", app.consent_id);
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &path,
            Some(json!({"withdrawn_on": "2000-01-01"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["withdrawn_on"].is_string(), "{b}");
    let (st, b) = app.api(&token, Method::POST, &path, Some(json!({}))).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = app.api(&token, Method::POST, &path, Some(json!({}))).await;
    assert_eq!(
        (st, b["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rule"))
    );
    // Replacing a withdrawn consent names the `replaces` field.
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/consents"),
            Some(json!({"member_ids": [app.member_id.to_string()], "sections": ["plan"], "purpose": "会議", "given_on": "R8.4.1", "replaces": app.consent_id})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["fields"]["replaces"].is_string(), "{b}");
}

#[test]
fn the_write_bodies_list_their_fields_in_the_document() {
    let doc = serde_json::to_value(yorisoi_web::api::openapi()).unwrap();
    for (schema, input) in [
        ("MemberUpdate", "TeamMemberInput"),
        ("ConsentBody", "ShareConsentInput"),
        ("ResourceUpdate", "ResourceInput"),
    ] {
        let s = doc["components"]["schemas"][schema].to_string();
        assert!(
            s.contains(input) || s.contains("\"name\"") || s.contains("\"subject\""),
            "{schema}: {s}"
        );
        assert!(
            schema == "ConsentBody" || s.contains("\"version\""),
            "{schema}: {s}"
        );
    }
}

/// The client's team and consents as stored (read as the assigned specialist).
async fn stored(
    app: &App,
) -> (
    Vec<yorisoi_store::team::Member>,
    Vec<yorisoi_store::team::Consent>,
) {
    use yorisoi_domain::policy::{Action, RecordKind};
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::CareTeam, Action::Read)
        .await
        .unwrap();
    let m = yorisoi_store::team::members(&mut tx, &acc).await.unwrap();
    let c = yorisoi_store::team::consents(&mut tx, &acc).await.unwrap();
    tx.rollback().await.unwrap();
    (m, c)
}

/// One row of the member grid.
fn member_row<'a>(
    kind: &'a str,
    name: &'a str,
    org: &'a str,
    res: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("member_kind", kind),
        ("member_name", name),
        ("member_organisation", org),
        ("member_contact", ""),
        ("member_resource_id", res),
        ("member_role", ""),
    ]
}

#[tokio::test]
async fn eight_members_are_added_in_one_save_and_a_bad_row_adds_none() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    // A directory entry: choosing it is enough to fill the row.
    let resource = {
        let mut tx = app.store.begin(app.spec).await.unwrap();
        let r = yorisoi_domain::team::ResourceInput {
            category: "welfare".into(),
            service_type: "employment_b".into(),
            name: "ひかり作業所".into(),
            contact_person: "佐藤 一郎".into(),
            phone: "0120-000-111".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let id = yorisoi_store::resources::create(&mut tx, &r).await.unwrap();
        tx.commit().await.unwrap();
        id.to_string()
    };
    let page = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.matches("name=\"member_name\"").count() >= 8,
        "eight blank rows without JavaScript"
    );
    assert!(page.body.contains("data-add-row=\"members\""));
    let (before, _) = stored(&app).await;
    let audits_before = app.audit_actions().await.len();
    let people = [
        ("family", "青木 花子", ""),
        ("family", "青木 一郎", ""),
        ("municipality", "山田 太郎", "N市障害福祉課"),
        ("medical", "鈴木 医師", "N市民病院"),
        ("provider", "", ""),
        ("neighbour", "田中 さん", ""),
        ("commissioner", "中村 民生委員", ""),
        ("curator", "小林 弁護士", "小林法律事務所"),
    ];
    let mut body: Vec<(&str, &str)> = Vec::new();
    for (i, (kind, name, org)) in people.iter().enumerate() {
        let res = if i == 4 { resource.as_str() } else { "" };
        body.extend(member_row(kind, name, org, res));
    }
    // Two rows left empty (ignored).
    body.extend(member_row("", "", "", ""));
    body.extend(member_row("", "", "", ""));
    // First a row without its name: nothing is added, the rows stay, the error is on its row.
    let mut bad = body.clone();
    bad[6 * 3 + 1] = ("member_name", "");
    let r = app
        .post(&s, &format!("/clients/{c}/team/batch"), &bad, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("href=\"#f-members-3\""),
        "the summary names the row"
    );
    assert!(r.body.contains("id=\"f-members-3\""));
    assert!(r.body.contains("value=\"小林 弁護士\"") && r.body.contains("value=\"N市障害福祉課\""));
    assert_eq!(stored(&app).await.0.len(), before.len(), "none added");
    let r = app
        .post(&s, &format!("/clients/{c}/team/batch"), &body, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (after, _) = stored(&app).await;
    assert_eq!(after.len(), before.len() + 8);
    let from_dir = after
        .iter()
        .find(|m| m.record.resource_id.map(|x| x.to_string()) == Some(resource.clone()))
        .unwrap();
    assert_eq!(
        (
            from_dir.record.name.as_str(),
            from_dir.record.organisation.as_str(),
            from_dir.record.contact.as_str()
        ),
        ("佐藤 一郎", "ひかり作業所", "0120-000-111")
    );
    // One audit event per member created.
    let audits = app.audit_actions().await;
    assert_eq!(
        audits[..audits.len() - audits_before]
            .iter()
            .filter(|a| *a == "create")
            .count(),
        8,
        "{audits:?}"
    );
    let page = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(page.body.contains("ケアチームに追加しました") || page.body.contains("小林 弁護士"));
}

#[tokio::test]
async fn consents_of_several_people_are_recorded_in_one_save() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let c = app.client;
    let mut body: Vec<(&str, &str)> = Vec::new();
    body.extend(member_row("family", "青木 花子", "", ""));
    body.extend(member_row(
        "provider",
        "ひかり作業所 佐藤",
        "ひかり作業所",
        "",
    ));
    body.extend(member_row("medical", "鈴木 医師", "N市民病院", ""));
    let r = app
        .post(&s, &format!("/clients/{c}/team/batch"), &body, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (members, consents_before) = stored(&app).await;
    let id = |name: &str| {
        members
            .iter()
            .find(|m| m.record.name == name)
            .unwrap()
            .id
            .to_string()
    };
    let (provider, doctor) = (id("ひかり作業所 佐藤"), id("鈴木 医師"));
    // The form offers 本人 and the family on the team, nobody and no section ticked.
    let page = app.get(Some(&s), &format!("/clients/{c}/team")).await;
    assert!(page.body.contains("name=\"subject_pick\" value=\"本人\">"));
    assert!(
        page.body
            .contains("name=\"subject_pick\" value=\"青木 花子\">")
    );
    assert!(page.body.contains("同意なし"));
    let today = yorisoi_store::today_jst().to_string();
    let shared = |subjects: Vec<(&'static str, &'static str)>| {
        let mut b = subjects;
        b.extend([
            ("sections", "plan"),
            ("sections", "basic"),
            ("purpose", "会議"),
        ]);
        b
    };
    let mut ok = shared(vec![
        ("subject_pick", "本人"),
        ("subject_pick", "青木 花子"),
        ("subject_other", "青木 一郎"),
        ("subject_other", ""),
    ]);
    ok.push(("member_ids", provider.as_str()));
    ok.push(("member_ids", doctor.as_str()));
    ok.push(("given_on", today.as_str()));
    // Nobody ticked: refused, nothing recorded, the rest kept.
    let mut none: Vec<(&str, &str)> = ok
        .iter()
        .filter(|(k, _)| !k.starts_with("subject"))
        .cloned()
        .collect();
    none.push(("document", "同意書（原本保管）"));
    let r = app
        .post(&s, &format!("/clients/{c}/consents/batch"), &none, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("誰の同意かを1人以上選んでください"));
    assert!(r.body.contains("value=\"同意書（原本保管）\""));
    assert_eq!(stored(&app).await.1.len(), consents_before.len());
    let r = app
        .post(&s, &format!("/clients/{c}/consents/batch"), &ok, true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, consents) = stored(&app).await;
    assert_eq!(consents.len(), consents_before.len() + 3);
    let mut subjects: Vec<String> = consents
        .iter()
        .filter(|x| !consents_before.iter().any(|b| b.id == x.id))
        .map(|x| {
            assert_eq!(x.record.member_ids.len(), 2);
            assert_eq!(x.record.sections.len(), 2);
            x.record.subject.clone()
        })
        .collect();
    subjects.sort();
    assert_eq!(subjects, vec!["", "青木 一郎", "青木 花子"]);
    let page = app
        .get(Some(&s), &format!("/clients/{c}/team?saved=consent"))
        .await;
    assert!(page.body.contains("同意を記録しました"));
    assert_eq!(
        page.body
            .matches("<span class=\"badge\">有効</span>")
            .count(),
        4
    );
    // Replacing is one person at a time.
    let mut two = ok.clone();
    let cid = app.consent_id.to_string();
    two.push(("replaces", cid.as_str()));
    let r = app
        .post(&s, &format!("/clients/{c}/consents/batch"), &two, true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("差し替えは1人分ずつです"));
}

#[tokio::test]
async fn nobody_outside_the_case_adds_members_or_consents_in_batch() {
    let app = app().await;
    let c = app.client;
    let (members, consents) = stored(&app).await;
    let m = app.member_id.to_string();
    let mut rows = member_row("family", "乗っ取り", "", "");
    rows.extend([
        ("subject_pick", "本人"),
        ("member_ids", m.as_str()),
        ("sections", "plan"),
        ("purpose", "x"),
        ("given_on", "2026-01-02"),
    ]);
    for who in [app.other_admin, app.spec2, app.clerk] {
        let s = app.session(who).await;
        for path in [
            format!("/clients/{c}/team/batch"),
            format!("/clients/{c}/consents/batch"),
        ] {
            let r = app.post(&s, &path, &rows, true).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {path}");
            assert!(!r.body.contains("青木"), "{path}");
        }
        let t = app.token(who).await;
        let (st, _) = app
            .api(
                &t,
                Method::POST,
                &format!("/api/v1/clients/{c}/team/batch"),
                Some(json!({"members": [{"kind": "family", "name": "乗っ取り"}]})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
        let (st, _) = app
            .api(
                &t,
                Method::POST,
                &format!("/api/v1/clients/{c}/consents/batch"),
                Some(json!({"subjects": [""], "member_ids": [m], "sections": ["plan"], "purpose": "x", "given_on": "2026-01-02"})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    let (m2, c2) = stored(&app).await;
    assert_eq!((m2.len(), c2.len()), (members.len(), consents.len()));
}

#[tokio::test]
async fn members_and_consents_are_added_in_batch_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let c = app.client;
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/team/batch"),
            Some(json!({"members": [
                {"kind": "family", "name": "青木 花子"},
                {},
                {"kind": "provider", "name": ""}
            ]})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["fields"]["members[2].name"].is_string(), "{b}");
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/team/batch"),
            Some(json!({"members": [
                {"kind": "family", "name": "青木 花子"},
                {"kind": "provider", "name": "ひかり作業所 佐藤", "organisation": "ひかり作業所"}
            ]})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let ids: Vec<String> = b["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/consents/batch"),
            Some(json!({"subjects": ["", "青木 花子"], "member_ids": [ids[1]], "sections": ["plan"], "purpose": "会議", "given_on": "R8.4.1"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(b["ids"].as_array().unwrap().len(), 2);
}
