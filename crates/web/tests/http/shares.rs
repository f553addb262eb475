//! Sharing a document over HTTP: the specialist shares a plan version from its page; a member
//! without an account is refused by name and the form keeps the choice; the provider finds it
//! on /shared, opens a PDF with their name and the date on every page, acknowledges receipt —
//! which the plan's 交付 shows — and a revoked share is the same 404 as none.

use crate::common::*;
use crate::outside::{member_on, provider_on};
use axum::http::{Method, StatusCode};
use serde_json::json;

/// The digits that follow the first `prefix` in a page (the id in a link); panics if none.
fn number_after(body: &str, prefix: &str) -> String {
    let at = body
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in the page"));
    let n: String = body[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert!(!n.is_empty(), "a number after {prefix}");
    n
}

#[tokio::test]
async fn a_plan_is_shared_opened_with_the_recipients_name_on_every_page_and_received() {
    let app = app().await;
    let c = app.client;
    let (o, m) = provider_on(&app, c, &["plan"]).await;
    let s = app.session(app.spec).await;
    let plan = app.plan_id;

    // The plan's page leads to the form with the plan chosen.
    let page = app.get(Some(&s), &format!("/plans/{plan}")).await;
    let link = format!("/clients/{c}/shares?document=plan:{plan}");
    assert!(page.body.contains(&link), "the plan offers sharing");
    let form = app.get(Some(&s), &link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains(&format!("value=\"plan:{plan}\" selected"))
    );
    assert!(
        form.body.contains("yorisoi未参加"),
        "the member without an account is marked"
    );

    // With a member who has no account: nothing is shared, the refusal names them, the form
    // keeps the choice and the words.
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/shares"),
            &[
                ("document", &format!("plan:{plan}")),
                ("member_ids", &m.to_string()),
                ("member_ids", &app.member_id.to_string()),
                ("expires_on", ""),
                ("message", "会議の前にご確認ください"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("yorisoiに参加していません"), "{}", r.body);
    assert!(r.body.contains("会議の前にご確認ください"));
    assert!(r.body.contains(&format!("value=\"{m}\" checked")));
    let none = app.get(Some(&o), "/shared").await;
    assert!(!none.body.contains("/shared/documents/"), "nothing shared");

    let r = app
        .post(
            &s,
            &format!("/clients/{c}/shares"),
            &[
                ("document", &format!("plan:{plan}")),
                ("member_ids", &m.to_string()),
                ("expires_on", "令和9年1月31日"),
                ("message", "会議の前にご確認ください"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get(Some(&s), &location(&r)).await;
    assert!(list.body.contains("共有しました") && list.body.contains("未受領"));
    assert!(list.body.contains("石田 サビ管（はばたき作業所）"));

    // The provider finds it and opens it.
    let home = app.get(Some(&o), "/shared").await;
    let id: i64 = number_after(&home.body, "/shared/documents/")
        .parse()
        .unwrap();
    let doc = app.get(Some(&o), &format!("/shared/documents/{id}")).await;
    assert_eq!(doc.status, StatusCode::OK, "{}", doc.body);
    assert!(
        doc.body.contains("会議の前にご確認ください") && doc.body.contains("令和9年1月31日まで")
    );
    let (status, pdf) = app
        .get_bytes(&o, &format!("/shared/documents/{id}/pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = pdf_pages(&pdf);
    assert!(!pages.is_empty());
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("共有先: 石田 サビ管（はばたき作業所） 様") && p.contains("出力日"),
            "page {} lacks the recipient: {p}",
            i + 1
        );
    }
    let (status, easy) = app
        .get_bytes(&o, &format!("/shared/documents/{id}/pdf?easy=1"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf_pages(&easy).iter().all(|p| p.contains("石田 サビ管")));
    // The office's own pages and the staff never open it through the share.
    assert_eq!(
        app.get(Some(&s), &format!("/shared/documents/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // 受領: once; the plan's 交付 shows it.
    let r = app
        .post(&o, &format!("/shared/documents/{id}/receive"), &[], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = app.get(Some(&o), &location(&r)).await;
    assert!(done.body.contains("受領を記録しました"));
    assert!(!done.body.contains("受領しました</button>"));
    let plan_page = app.get(Some(&s), &format!("/plans/{plan}")).await;
    assert!(
        plan_page.body.contains("yorisoiで共有・受領確認"),
        "the 交付 record shows the receipt"
    );
    let list = app.get(Some(&s), &format!("/clients/{c}/shares")).await;
    assert!(list.body.contains("受領済み"));
    let office = app
        .get(Some(&s), "/shares?q=%E3%81%82%E3%81%8A%E3%81%8D")
        .await;
    assert_eq!(office.status, StatusCode::OK, "{}", office.body);
    assert!(
        office.body.contains("受領済み") && office.body.contains("石田"),
        "found by かな"
    );
    let none = app.get(Some(&s), "/shares?to=municipality").await;
    assert!(none.body.contains("該当する共有・提出はありません"));

    // The API sees the same share, and refuses a member without an account by name.
    let token = app.token(app.spec).await;
    let (status, body) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/clients/{c}/shares"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["shares"][0]["status"], "received");
    let (status, body) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/clients/{c}/shares"),
            Some(json!({"document": format!("plan:{plan}"), "member_ids": [app.member_id.to_string()]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["fields"]["member_ids"]
            .as_str()
            .unwrap()
            .contains("参加していません")
    );

    // Revoked: the same 404 as a share that never was, for the page and the PDF.
    let r = app
        .post(&s, &format!("/clients/{c}/shares/{id}/revoke"), &[], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in [
        format!("/shared/documents/{id}"),
        format!("/shared/documents/{id}/pdf"),
    ] {
        assert_eq!(
            app.get(Some(&o), &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(
        !app.get(Some(&o), "/shared")
            .await
            .body
            .contains("/shared/documents/")
    );
}

#[tokio::test]
async fn a_provider_sends_its_individual_support_plan_and_the_row_shows_it_received() {
    let app = app().await;
    let tx = app.store.begin(app.spec).await.unwrap();
    let client = yorisoi_store::cases::client_of(&tx, app.monitored_case)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let (o, _) = member_on(
        &app,
        client,
        ("provider", "佐藤 サビ管", "ひかり作業所"),
        &["plan"],
    )
    .await;
    let page = app.get(Some(&o), &format!("/shared/{client}/report")).await;
    assert!(page.body.contains("個別支援計画を送る") && page.body.contains("未登録"));
    let key = number_after(&page.body, &format!("/shared/{client}/ipp/"));
    let path = format!("/shared/{client}/ipp/{key}");
    // Without the form's token: refused. A file that is not a PDF or an image: refused, said.
    assert_eq!(
        app.upload(&o, &path, false, "ipp.pdf", b"%PDF-1.4 ipp")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .upload(&o, &path, true, "ipp.pdf", b"<script>alert(1)</script>")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("PDF"), "{}", r.body);
    let r = app
        .upload(
            &o,
            &path,
            true,
            "個別支援計画.pdf",
            b"%PDF-1.4 provider plan",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = app.get(Some(&o), &location(&r)).await;
    assert!(done.body.contains("個別支援計画を送りました") && done.body.contains("受領済み"));
    // The specialist's plan page shows the file on the row, 受領日 today.
    let s = app.session(app.spec).await;
    let mut tx = app.store.read(app.spec).await.unwrap();
    let acc = tx
        .client_access(
            client,
            yorisoi_domain::policy::RecordKind::Monitoring,
            yorisoi_domain::policy::Action::Read,
        )
        .await
        .unwrap();
    let plan_id = yorisoi_store::monitorings::plan_to_monitor(&tx, &acc, app.monitored_case)
        .await
        .unwrap()
        .0;
    tx.commit().await.unwrap();
    let plan = app.get(Some(&s), &format!("/plans/{plan_id}")).await;
    assert!(
        plan.body.contains("個別支援計画.pdf"),
        "the file on the row"
    );
    // Another provider (not on that row) is offered no row and cannot send to it.
    let (other, _) = provider_on(&app, client, &["plan"]).await;
    let page = app
        .get(Some(&other), &format!("/shared/{client}/report"))
        .await;
    assert!(!page.body.contains("個別支援計画を送る"));
    assert_eq!(
        app.upload(&other, &path, true, "a.pdf", b"%PDF-1.4")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another client's row: nothing.
    assert_eq!(
        app.upload(
            &o,
            &format!("/shared/{}/ipp/{key}", app.client),
            true,
            "a.pdf",
            b"%PDF-1.4"
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_plan_submitted_to_the_municipality_is_accepted_by_its_caseworker() {
    let app = app().await;
    let c = app.client;
    let (w, m) = member_on(
        &app,
        c,
        ("municipality", "小林 ケースワーカー", "N市障害福祉課"),
        &["plan"],
    )
    .await;
    let s = app.session(app.spec).await;
    let r = app
        .post(
            &s,
            &format!("/clients/{c}/shares"),
            &[
                ("document", &format!("plan:{}", app.plan_id)),
                ("member_ids", &m.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get(Some(&s), &format!("/clients/{c}/shares")).await;
    assert!(
        list.body.contains("受理待ち"),
        "a submission waits to be accepted"
    );
    let home = app.get(Some(&w), "/shared").await;
    assert!(
        home.body.contains("受理待ち"),
        "the caseworker's list says 受理待ち"
    );
    let id = number_after(&home.body, "/shared/documents/");
    let doc = app.get(Some(&w), &format!("/shared/documents/{id}")).await;
    assert!(doc.body.contains("受理しました") && doc.body.contains("提出日時"));
    let r = app
        .post(&w, &format!("/shared/documents/{id}/receive"), &[], true)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let office = app
        .get(Some(&s), "/shares?to=municipality&status=received")
        .await;
    assert!(office.body.contains("受理済み") && office.body.contains("提出"));
    assert!(
        office.body.contains("石田"),
        "the account that accepted it: {}",
        office.body
    );
}
