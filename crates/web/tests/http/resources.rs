//! The per-office resource directory.

use crate::common::*;
use axum::http::StatusCode;

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
async fn the_resource_directory_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = app().await;
    let token = app.token(app.clerk).await;
    let (st, b) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/resources",
            Some(json!({"category": "welfare", "service_type": "employment_b", "name": "ひかり作業所"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    let (st, list) = app
        .api(
            &token,
            Method::GET,
            "/api/v1/resources?q=%E3%81%B2%E3%81%8B%E3%82%8A&per_page=1",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["resources"][0]["id"], id);
    let (st, _) = app
        .api(&token, Method::GET, "/api/v1/resources?per_page=0", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let path = format!("/api/v1/resources/{id}");
    let (st, got) = app.api(&token, Method::GET, &path, None).await;
    assert_eq!(st, StatusCode::OK);
    let mut body = got["input"].clone();
    body["version"] = got["resource"]["version"].clone();
    body["name"] = json!("ひかり作業所（本店）");
    let (st, b) = app
        .api(&token, Method::PUT, &path, Some(body.clone()))
        .await;
    assert_eq!(
        (st, b["version"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{b}"
    );
    let (st, _) = app
        .api(&token, Method::PUT, &path, Some(body.clone()))
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    body["version"] = json!(2);
    body["name"] = json!("");
    let (st, b) = app
        .api(&token, Method::PUT, &path, Some(body.clone()))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["fields"]["name"].is_string(), "{b}");
    assert_eq!(
        crate::team::as_text(&app, &token, Method::PUT, &path).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Another office: the same 404 as a missing entry.
    let other = app.token(app.other_admin).await;
    assert_eq!(
        app.api(&other, Method::GET, &path, None).await.0,
        StatusCode::NOT_FOUND
    );
    body["name"] = json!("乗っ取り");
    assert_eq!(
        app.api(&other, Method::PUT, &path, Some(body)).await.0,
        StatusCode::NOT_FOUND
    );
}

/// The directory from a CP932 CSV: every problem reported with nothing saved, then the fixed file
/// added in one go, a second import skipping what is there; the same through the API.
#[tokio::test]
async fn the_directory_is_imported_from_a_spreadsheet_with_every_problem_reported() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let list = app.get(Some(&s), "/resources").await;
    assert!(list.body.contains("Excel・CSVから取り込む"));
    let bad = "事業所名,種別,サービス種類,電話番号,所在地\r\nひかり作業所,障害福祉,B型,0120-111-003,N市本町1\r\nみどりの会,ご近所,,,\r\n,福祉,居宅介護,,\r\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(bad);
    let r = app
        .upload(&s, "/resources/import", true, "社会資源.csv", &sjis)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("直すところが2件あります"), "{}", r.body);
    assert!(
        r.body.contains("3行目「種別」") && r.body.contains("4行目「事業所名」"),
        "{}",
        r.body
    );
    let list = app
        .get(Some(&s), "/resources?q=%E3%81%B2%E3%81%8B%E3%82%8A")
        .await;
    assert!(!list.body.contains("0120-111-003"), "nothing saved");

    let good = bad
        .replace("ご近所", "インフォーマル")
        .replace(",福祉,居宅介護", "やまびこヘルパー,福祉,居宅介護");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&good);
    let r = app
        .upload(&s, "/resources/import", true, "社会資源.csv", &sjis)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新規 3件、読み飛ばし 0件"), "{}", r.body);
    let list = app.get(Some(&s), "/resources").await;
    assert!(list.body.contains("0120-111-003") && list.body.contains("やまびこヘルパー"));
    assert!(app.audit_actions().await.contains(&"import".to_string()));
    // Again: all three are there already.
    let r = app
        .upload(&s, "/resources/import", true, "社会資源.csv", &sjis)
        .await;
    assert!(r.body.contains("新規 0件、読み飛ばし 3件"), "{}", r.body);
    // Without the page's token: refused.
    let r = app
        .upload(&s, "/resources/import", false, "社会資源.csv", &sjis)
        .await;
    assert_ne!(r.status, StatusCode::OK);

    // The API: a dry run counts, another office imports into its own directory only.
    let t = app.token(app.other_admin).await;
    let req = axum::http::Request::post("/api/v1/resources/import?dry_run=true")
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"))
        .body(axum::body::Body::from(good.clone().into_bytes()))
        .unwrap();
    let r = app.send(req).await;
    let b: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (r.status, b["created"].as_u64(), b["dry_run"].as_bool()),
        (StatusCode::OK, Some(3), Some(true)),
        "{b}"
    );
    let req = axum::http::Request::post("/api/v1/resources/import")
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"))
        .body(axum::body::Body::from(bad.as_bytes().to_vec()))
        .unwrap();
    let r = app.send(req).await;
    let b: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["rows"].as_array().map(Vec::len), Some(2), "{b}");
}
