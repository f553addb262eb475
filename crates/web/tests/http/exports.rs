//! 利用者台帳 and 受給者証 as CSV for Excel: UTF-8 with a BOM by default, Shift_JIS (CP932) that
//! decodes back to the same text, only the clients the user may see, logged as an export; an
//! unknown kind is 404 and an unknown encoding a Japanese 422.

use crate::common::*;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn the_ledger_and_certificates_leave_as_csv_excel_opens() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let (status, utf8) = app.get_bytes(&s, "/exports/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&utf8[..3], &[0xEF, 0xBB, 0xBF], "a BOM for Excel");
    let text = String::from_utf8(utf8[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("利用者ID,氏,名,氏（ふりがな）")
    );
    assert!(
        text.contains("青木") && text.contains("1981-03-02"),
        "{text}"
    );
    let (status, sjis) = app.get_bytes(&s, "/exports/clients?encoding=cp932").await;
    assert_eq!(status, StatusCode::OK);
    let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad);
    assert_eq!(back, text, "the same text in Shift_JIS");
    let (status, certs) = app
        .get_bytes(&s, "/exports/certificates?encoding=utf8-nobom")
        .await;
    assert_eq!(status, StatusCode::OK);
    let certs = String::from_utf8(certs).unwrap();
    assert!(
        certs.starts_with("利用者ID,氏名,種類,受給者証番号"),
        "{certs}"
    );
    assert!(certs.lines().count() >= 2, "{certs}");
    let (status, plans) = app.get_bytes(&s, "/exports/plans").await;
    assert_eq!(status, StatusCode::OK);
    let plans = String::from_utf8(plans[3..].to_vec()).unwrap();
    assert!(
        plans.starts_with("利用者ID,氏名,計画,版,計画作成日,優先順位"),
        "{plans}"
    );
    assert!(
        plans.lines().count() >= 2,
        "the monitored client's plan in force: {plans}"
    );
    let (status, months) = app.get_bytes(&s, "/exports/monitorings").await;
    assert_eq!(status, StatusCode::OK);
    let months = String::from_utf8(months[3..].to_vec()).unwrap();
    assert!(
        months.starts_with("利用者ID,氏名,ケース,実施月"),
        "{months}"
    );
    assert!(
        months.contains("実施済み") || months.contains("未実施"),
        "{months}"
    );
    // The clerk sees no plans: the header alone.
    let clerk = app.session(app.clerk).await;
    let (_, none) = app.get_bytes(&clerk, "/exports/plans").await;
    assert_eq!(
        String::from_utf8(none[3..].to_vec())
            .unwrap()
            .lines()
            .count(),
        1
    );
    // Another office exports only its own clients; bad requests are answered in Japanese.
    let other = app.session(app.other_admin).await;
    let (_, theirs) = app.get_bytes(&other, "/exports/clients").await;
    assert!(!String::from_utf8(theirs).unwrap().contains("青木"));
    assert_eq!(
        app.get(Some(&s), "/exports/notes").await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.get(Some(&s), "/exports/clients?encoding=latin1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("文字コード"));
    // The API gives the same file; each export is in the log.
    let token = app.token(app.spec).await;
    let (status, _) = app
        .api(&token, Method::GET, "/api/v1/exports/notes", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(app.audit_actions().await.iter().any(|a| a == "export"));
    // The client list offers it.
    let list = app.get(Some(&s), "/clients").await;
    assert!(list.body.contains("formaction=\"/exports/clients\""));
}
