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

#[tokio::test]
async fn the_log_page_shows_refusals_lists_and_the_newest_checkpoint() {
    let app = app().await;
    let dir = tempfile::tempdir().unwrap();
    app.store.set_checkpoint_dir(dir.path().to_path_buf());
    let s = app.session(app.spec).await;
    assert_eq!(app.get(Some(&s), "/clients").await.status, StatusCode::OK);
    // The clerk asks for case notes it may not read; another office's admin for our client.
    let c = app.session(app.clerk).await;
    let notes = format!("/clients/{}/notes", app.client);
    assert_eq!(
        app.get(Some(&c), &notes).await.status,
        StatusCode::NOT_FOUND
    );
    let o = app.session(app.other_admin).await;
    let page = format!("/clients/{}", app.client);
    assert_eq!(app.get(Some(&o), &page).await.status, StatusCode::NOT_FOUND);
    assert!(yorisoi_store::audit::checkpoint(&app.store).await.unwrap() >= 1);
    let a = app.session(app.admin).await;
    // Refusals are queued without holding the answer up: give the writer a moment.
    let mut body = String::new();
    for _ in 0..50 {
        body = app
            .get(Some(&a), &format!("/admin/audit?client={}", app.client))
            .await
            .body;
        if body.contains("閲覧の拒否") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        body.contains("閲覧の拒否"),
        "the clerk's refusal, filed under the client"
    );
    assert!(
        body.contains("表示した利用者"),
        "the list that showed the client is found by the client"
    );
    assert!(body.contains("最新の署名付きチェックポイント"));
    assert!(
        body.contains("office_id") && body.contains("mac"),
        "the signed line to copy"
    );
    // The other office's refusal is in its own log, never linked to our client.
    let theirs = app.get(Some(&o), "/admin/audit?action=refused_read").await;
    assert!(theirs.body.contains("他の事業所"), "{}", theirs.body);
    assert!(
        !theirs
            .body
            .contains(&format!("href=\"/clients/{}\"", app.client))
    );
    let verified = app.get(Some(&a), "/admin/audit?verify=1").await;
    assert!(
        verified.body.contains("署名付きチェックポイント 1件と一致"),
        "{}",
        verified.body
    );
}
