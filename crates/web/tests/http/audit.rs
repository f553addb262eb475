//! Reads and writes in the audit log.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn reads_and_writes_are_in_the_audit_log() {
    let app = app().await;
    let s = app.session(app.spec).await;
    app.get(Some(&s), &format!("/clients/{}", app.client)).await;
    let a = app.session(app.admin).await;
    let page = app
        .get(
            Some(&a),
            &format!("/admin/audit?client={}&action=read", app.client),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("職員 spec") && page.body.contains("利用者台帳"));
    let verified = app.get(Some(&a), "/admin/audit?verify=1").await;
    assert!(verified.body.contains("連鎖が正しいことを確認しました"));
    let bad = app.get(Some(&a), "/admin/audit?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("存在しない日付"));
}
