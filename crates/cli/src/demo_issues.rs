//! 地域課題 raised from the demo's meetings (step 4, 「現状ではできないこと」): Aさん's night-time
//! consultation, Bさん's holiday outings, the child's family's Saturday consultations — each
//! written so that it identifies nobody, linked to its case, and the first released by the lead
//! and carried to the 部会.

use anyhow::{Result, anyhow};
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_domain::region::RegionalIssueInput;
use yorisoi_store::{Store, meetings, plans, regional_issues, today_jst};

/// The first meeting of the case whose step 4 records something, oldest plan first.
async fn meeting_with_step4(store: &Store, by: Actor, client: i64, case: i64) -> Result<i64> {
    let mut tx = store.read(by).await?;
    let pacc = tx
        .client_access(client, RecordKind::Plan, Action::Read)
        .await?;
    let mut versions = plans::list(&mut tx, &pacc, case).await?;
    versions.reverse();
    let macc = tx
        .client_access(client, RecordKind::Meeting, Action::Read)
        .await?;
    for p in versions {
        for m in meetings::for_plan(&mut tx, &macc, p.id).await? {
            if !m.record.cannot_do.is_empty() {
                tx.commit().await?;
                return Ok(m.id);
            }
        }
    }
    Err(anyhow!(
        "no meeting with 現状ではできないこと in case {case}"
    ))
}

/// One issue to raise: who raises it, from which case, and its words.
pub struct Raise<'a> {
    pub by: Actor,
    pub client: i64,
    pub case: i64,
    pub title: &'a str,
    pub category: &'a str,
    pub need: &'a str,
    pub resource: &'a str,
    pub status: &'a str,
}

async fn raise(store: &Store, r: &Raise<'_>) -> Result<(i64, i32)> {
    let meeting = meeting_with_step4(store, r.by, r.client, r.case).await?;
    let input = RegionalIssueInput {
        title: r.title.into(),
        category: r.category.into(),
        need: r.need.into(),
        resource: r.resource.into(),
        area: "N市中央圏域".into(),
        status: r.status.into(),
        source: "meeting".into(),
        source_ref: meeting.to_string(),
        raised_on: (today_jst() - chrono::Duration::days(20)).to_string(),
    }
    .validate()
    .map_err(|e| anyhow!("demo issue: {e}"))?;
    let mut tx = store.begin(r.by).await?;
    let saved = regional_issues::add(&mut tx, &input, Some(r.case)).await?;
    tx.commit().await?;
    if !saved.findings.is_empty() {
        return Err(anyhow!(
            "demo issue identifies someone: {:?}",
            saved.findings
        ));
    }
    Ok((saved.id, saved.version))
}

/// Raises the three issues; the lead releases the first. Returns their ids.
pub async fn seed(store: &Store, lead: Actor, issues: &[Raise<'_>]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (n, r) in issues.iter().enumerate() {
        let (id, version) = raise(store, r).await?;
        if n == 0 {
            let mut tx = store.begin(lead).await?;
            regional_issues::release(&mut tx, id, version).await?;
            tx.commit().await?;
        }
        ids.push(id);
    }
    Ok(ids)
}
