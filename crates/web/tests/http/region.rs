//! A region: the other office of the fixture runs it and has a secretariat account; the main
//! office joins from its admin page. The secretariat sees the released issue and the figures
//! (withheld: fewer than 3 offices), never a case or a name; it records the council's answer,
//! which the office reads on the issue and its home page. The secretariat reaches nothing else;
//! nobody but an admin starts or joins a region. The office's council paper as a page, a PDF
//! (read back with pdftotext) and a CSV.

use crate::common::*;
use axum::http::{Method, StatusCode};
use yorisoi_domain::policy::{Actor, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

/// The fixture's other office runs 「N市圏域」 with a secretariat account; the main office
/// joins it (area 中央地区) and releases one issue raised from the case. Returns the
/// secretariat's account, the region's id and the issue's id.
async fn region_fixture(app: &App) -> (Actor, i64, i64) {
    let o = app.session(app.other_admin).await;
    let r = app
        .post(&o, "/admin/region/create", &[("name", "N市圏域")], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut tx = app.store.begin(app.other_admin).await.unwrap();
    let kikan = users::create(
        &mut tx,
        &NewUser {
            login: "kikan".into(),
            display_name: "事務局 森".into(),
            role: "region".into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    let secretariat = Actor {
        user_id: kikan,
        office_id: app.other_admin.office_id,
        role: Role::Region,
    };
    let mut tx = app.store.read(app.admin).await.unwrap();
    let regions = region::joinable(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let region_id = regions[0].id;
    let a = app.session(app.admin).await;
    let r = app
        .post(
            &a,
            "/admin/region/join",
            &[("region_id", &region_id.to_string()), ("area", "中央地区")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let input = yorisoi_domain::region::RegionalIssueInput {
        title: "夜間に相談できる場所がない".into(),
        category: "welfare".into(),
        need: "40代の女性。夜間に不安が強くなったとき、すぐに相談できる場所がない。".into(),
        raised_on: "R8.11.20".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let mut tx = app.store.begin(app.lead).await.unwrap();
    let saved = regional_issues::add(&mut tx, &input, Some(app.case_id))
        .await
        .unwrap();
    regional_issues::release(&mut tx, saved.id, saved.version)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (secretariat, region_id, saved.id)
}

#[tokio::test]
async fn the_secretariat_sees_released_issues_and_writes_back_never_a_case() {
    let app = app().await;
    let (secretariat, _, id) = region_fixture(&app).await;
    let k = app.session(secretariat).await;
    // Signing in lands on the region.
    let home = app.get(Some(&k), "/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/region");
    let page = app.get(Some(&k), "/region").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("夜間に相談できる場所がない"));
    assert!(page.body.contains("参加している事業所 1か所"));
    assert!(page.body.contains("中央地区"));
    // One office: the table is withheld, and says why.
    assert!(page.body.contains("3事業所未満の数字のため表示しません"));
    assert!(!page.body.contains("青木"), "a name on the region's page");
    assert!(
        !page.body.contains("/cases/"),
        "a case link on the region's page"
    );
    assert!(
        !page.body.contains("href=\"/clients\""),
        "staff menu for the region"
    );
    // A date that is no date: the page keeps it and says what to do.
    let bad = app.get(Some(&k), "/region?from=%E6%98%8E%E6%97%A5").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("明日"));
    // The issue, and the council's answer: a stale version is 409 with the typed reply kept.
    let show = app.get(Some(&k), &format!("/region/issues/{id}")).await;
    assert_eq!(show.status, StatusCode::OK);
    let version = hidden(&show.body, "version");
    let stale = app
        .post(
            &k,
            &format!("/region/issues/{id}"),
            &[
                ("version", "1"),
                ("status", "subcommittee"),
                ("reply", "部会で取り上げます。件数を教えてください。"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .body
            .contains("部会で取り上げます。件数を教えてください。")
    );
    let bad = app
        .post(
            &k,
            &format!("/region/issues/{id}"),
            &[("version", &version), ("status", "nothing"), ("reply", "x")],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post(
            &k,
            &format!("/region/issues/{id}"),
            &[
                ("version", &version),
                ("status", "subcommittee"),
                ("reply", "部会で取り上げます。件数を教えてください。"),
            ],
            true,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The office reads it on the issue and on its home page.
    let s = app.session(app.spec).await;
    let issue = app.get(Some(&s), &format!("/issues/{id}")).await;
    assert!(
        issue
            .body
            .contains("部会で取り上げます。件数を教えてください。")
    );
    let home = app.get(Some(&s), "/").await;
    assert!(home.body.contains("部会・協議会から"), "{}", home.body);
    assert!(home.body.contains("返信あり"));
    // The CSV: the released issue, the marks explained; a bad encoding is refused.
    let (status, bytes) = app.get_bytes(&k, "/region/figures.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("夜間に相談できる場所がない"));
    assert!(text.contains("3事業所未満"));
    assert!(!text.contains("青木"));
    let (status, _) = app
        .get_bytes(&k, "/region/figures.csv?encoding=ebcdic")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The API twins.
    let token = {
        let mut tx = app.store.begin(app.other_admin).await.unwrap();
        let (_, t) = api_tokens::issue(
            &mut tx,
            secretariat.user_id,
            "test",
            api_tokens::TokenScope::Write,
            30,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        t
    };
    let (st, v) = app
        .api(&token, Method::GET, "/api/v1/region/figures", None)
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["people"]["withheld"], "few_offices");
    let (st, v) = app
        .api(&token, Method::GET, "/api/v1/region/issues", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v[0]["title"], "夜間に相談できる場所がない");
    assert!(!v.to_string().contains("case"));
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/region/issues/{id}"),
            Some(serde_json::json!({"version": 1, "status": "council", "reply": ""})),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    // The secretariat reaches nothing of an office: the same 404 as a missing page.
    for path in [
        "/clients",
        &format!("/clients/{}", app.client),
        "/issues",
        &format!("/issues/{id}"),
        "/resources",
        "/admin/region",
        "/admin/staff",
        "/api/v1/clients",
        "/api/v1/regions",
        "/shared",
    ] {
        assert_eq!(
            app.get(Some(&k), path).await.status,
            StatusCode::NOT_FOUND,
            "secretariat {path}"
        );
    }
    let r = app
        .post(&k, "/admin/region/create", &[("name", "勝手な地域")], true)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_an_admin_starts_or_joins_a_region_and_only_the_secretariat_sees_it() {
    let app = app().await;
    let (_, region_id, id) = region_fixture(&app).await;
    let rid = region_id.to_string();
    for who in [app.lead, app.spec, app.spec2, app.clerk] {
        let s = app.session(who).await;
        for path in ["/region", "/admin/region", "/region/figures.csv"] {
            assert_eq!(
                app.get(Some(&s), path).await.status,
                StatusCode::NOT_FOUND,
                "{who:?} {path}"
            );
        }
        let r = app.get(Some(&s), &format!("/region/issues/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?}");
        for (path, pairs) in [
            ("/admin/region/create", vec![("name", "x")]),
            ("/admin/region/join", vec![("region_id", rid.as_str())]),
            ("/admin/region/leave", vec![("region_id", rid.as_str())]),
        ] {
            let r = app.post(&s, path, &pairs, true).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {path}");
        }
        let r = app
            .post(
                &s,
                &format!("/region/issues/{id}"),
                &[("version", "2"), ("status", "council")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} tracks");
    }
    // The member office's admin has no region of its own: sent to join or start one.
    let a = app.session(app.admin).await;
    let r = app.get(Some(&a), "/region").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/region");
    let page = app.get(Some(&a), "/admin/region").await;
    assert!(page.body.contains("参加中（中央地区）"), "{}", page.body);
    assert_eq!(
        app.get(Some(&a), &format!("/region/issues/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Joining a region that does not exist is refused beside the field; a second region of
    // the same office is refused as a whole.
    let r = app
        .post(&a, "/admin/region/join", &[("region_id", "999999")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("その地域は見つかりません"));
    let o = app.session(app.other_admin).await;
    let r = app
        .post(&o, "/admin/region/create", &[("name", "二つ目")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("すでに地域の事務局です"));
    let r = app
        .post(&o, "/admin/region/create", &[("name", "")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The secretariat's admin sees the region too.
    let r = app.get(Some(&o), "/region").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("夜間に相談できる場所がない"));
    // Leaving takes the office's issue out of the region at once.
    let r = app
        .post(&a, "/admin/region/leave", &[("region_id", &rid)], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get(Some(&o), "/region").await;
    assert!(!r.body.contains("夜間に相談できる場所がない"));
    assert_eq!(
        app.get(Some(&o), &format!("/region/issues/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_council_paper_holds_released_issues_and_hides_small_counts() {
    let app = app().await;
    let (_, _, _) = region_fixture(&app).await;
    // An unreleased issue stays out of the paper.
    let input = yorisoi_domain::region::RegionalIssueInput {
        title: "まだ公開していない課題".into(),
        category: "housing".into(),
        need: "グループホームの空きがない。".into(),
        raised_on: "R8.11.21".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let mut tx = app.store.begin(app.spec).await.unwrap();
    regional_issues::add(&mut tx, &input, None).await.unwrap();
    tx.commit().await.unwrap();
    let s = app.session(app.spec).await;
    let page = app.get(Some(&s), "/issues/paper").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("夜間に相談できる場所がない"));
    assert!(!page.body.contains("まだ公開していない課題"));
    assert!(!page.body.contains("青木"));
    // The fixture's few people: every count under 10 is a mark.
    assert!(page.body.contains("＊"));
    let (status, pdf) = app
        .get_bytes(&s, "/issues/paper.pdf?audience=N%E5%B8%82%E8%87%AA%E7%AB%8B%E6%94%AF%E6%8F%B4%E5%8D%94%E8%AD%B0%E4%BC%9A")
        .await;
    assert_eq!(status, StatusCode::OK);
    // pdftotext spaces out the title's tracking and a Latin letter before kanji.
    let pages: String = pdf_pages(&pdf)
        .join("\n")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(pages.contains("地域課題の報告"), "{pages}");
    assert!(pages.contains("夜間に相談できる場所がない"));
    assert!(pages.contains("N市自立支援協議会"), "{pages}");
    assert!(!pages.contains("まだ公開していない課題"));
    assert!(!pages.contains("青木"));
    let (status, csv) = app.get_bytes(&s, "/issues/paper.csv?encoding=cp932").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&csv));
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&csv);
    assert!(!bad);
    assert!(text.contains("夜間に相談できる場所がない"));
    // A period that ends before it starts is refused beside the field, the typed dates kept.
    let r = app
        .get(Some(&s), "/issues/paper?from=R8.4.1&to=R7.4.1")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("期間のおわりは"));
    // An empty period says so.
    let r = app
        .get(Some(&s), "/issues/paper?from=2001-04-01&to=2002-03-31")
        .await;
    assert!(r.body.contains("この期間の記録はありません"));
    // The 事務 and another office's staff make no paper of this office.
    let c = app.session(app.clerk).await;
    for path in ["/issues/paper", "/issues/paper.pdf", "/issues/paper.csv"] {
        assert_eq!(
            app.get(Some(&c), path).await.status,
            StatusCode::NOT_FOUND,
            "clerk {path}"
        );
    }
    let o = app.session(app.other_admin).await;
    let r = app.get(Some(&o), "/issues/paper").await;
    assert!(!r.body.contains("夜間に相談できる場所がない"));
    // The API twin.
    let token = app.token(app.spec).await;
    let (st, v) = app
        .api(&token, Method::GET, "/api/v1/issues/paper", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["issues"][0]["title"], "夜間に相談できる場所がない");
}
