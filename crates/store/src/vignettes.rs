//! 個別事例報告: de-identified case vignettes, written from a case by a specialist who may read
//! it and released for the 協議会 by a lead or an admin. The text is checked against the
//! office's ledger like a 地域課題's: a warning on save, a refusal (field by field) on release
//! while anything is found; an edit of a released text takes the release back.
//!
//! Reading or writing one needs the client access of its case ([`RecordKind::Case`]) and
//! [`RecordKind::RegionalIssue`]; releasing needs [`RecordKind::IssueRelease`] too. What leaves
//! the office ([`released`]) never carries a case or a client.

use crate::entities::case_vignette as vignette;
use crate::issue_followups::{check_issue, readable_clients};
use crate::regional_issues::known_people;
use crate::{Result, StoreError, Tx, now_utc, today_jst};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::Finding;
use yorisoi_domain::vignette::VignetteRecord;

const KIND: RecordKind = RecordKind::RegionalIssue;

/// A vignette as the office sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Vignette {
    pub id: i64,
    /// The case it was written from (never shown outside the office).
    pub case_id: i64,
    pub record: VignetteRecord,
    pub written_by: i64,
    /// The day a lead released it for the 協議会, if released.
    pub released_on: Option<NaiveDate>,
    pub released_by: Option<i64>,
    /// What in the text may identify a person (release is refused while any is found).
    pub findings: Vec<Finding>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A line of the office's list (only the vignettes whose case the reader may open).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VignetteSummary {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    pub issue_id: Option<i64>,
    pub released_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// The list: the vignettes the reader may open, and how many others the office has.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VignetteList {
    pub vignettes: Vec<VignetteSummary>,
    /// Vignettes of cases the reader may not open (counted only).
    pub others: usize,
}

/// What a save returns: the id, the new version, and what the ledger check found.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = VignetteSaved)]
pub struct Saved {
    pub id: i64,
    pub version: i32,
    pub findings: Vec<Finding>,
}

/// A released vignette as it leaves the office for the council's paper: no case, no client.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReleasedVignette {
    pub id: i64,
    pub issue_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub released_on: NaiveDate,
}

fn record_of(m: &vignette::Model) -> VignetteRecord {
    VignetteRecord {
        title: m.title.clone(),
        body: m.body.clone(),
        issue_id: m.issue_id,
    }
}

/// The policy for a vignette of `client_id`: the office's 地域課題 and the case's client access.
async fn access(tx: &mut Tx, client_id: i64, action: Action) -> Result<()> {
    tx.office_access(KIND, action)?;
    tx.client_access(client_id, RecordKind::Case, action)
        .await
        .map(|_| ())
}

/// The row of this office, with the policy asked for its case.
async fn find(tx: &mut Tx, id: i64, action: Action) -> Result<vignette::Model> {
    tx.office_access(KIND, action)?;
    let m = vignette::Entity::find_by_id(id)
        .filter(vignette::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    access(tx, m.client_id, action).await?;
    Ok(m)
}

/// Asks the policy whether the actor may write a vignette from case `case_id` (what the new form
/// asks before it is shown).
pub async fn check_case(tx: &mut Tx, case_id: i64) -> Result<()> {
    tx.office_access(KIND, Action::Write)?;
    let client_id = crate::cases::client_of(tx, case_id).await?;
    access(tx, client_id, Action::Write).await
}

/// Writes a vignette from case `case_id`; returns its id and what the ledger check found (saved
/// anyway: a warning, not a refusal).
pub async fn add(tx: &mut Tx, case_id: i64, r: &VignetteRecord) -> Result<Saved> {
    tx.office_access(KIND, Action::Write)?;
    let client_id = crate::cases::client_of(tx, case_id).await?;
    access(tx, client_id, Action::Write).await?;
    check_issue(tx, "issue_id", r.issue_id).await?;
    let now = now_utc();
    let m = vignette::ActiveModel {
        office_id: Set(tx.office_id()),
        case_id: Set(case_id),
        client_id: Set(client_id),
        issue_id: Set(r.issue_id),
        title: Set(r.title.clone()),
        body: Set(r.body.clone()),
        written_by: Set(tx.actor().user_id),
        released_on: Set(None),
        released_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create_vignette",
        KIND,
        Some(m.id),
        Some(client_id),
        format!("case {case_id}"),
    );
    let findings = r.findings(&known_people(tx).await?);
    Ok(Saved {
        id: m.id,
        version: 1,
        findings,
    })
}

/// One vignette, with what the ledger check finds in it now.
pub async fn get(tx: &mut Tx, id: i64) -> Result<Vignette> {
    let m = find(tx, id, Action::Read).await?;
    let record = record_of(&m);
    let findings = record.findings(&known_people(tx).await?);
    tx.record("read_vignette", KIND, Some(id), Some(m.client_id), "");
    Ok(Vignette {
        id,
        case_id: m.case_id,
        record,
        written_by: m.written_by,
        released_on: m.released_on,
        released_by: m.released_by,
        findings,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// Saves an edit made from `version` (409 when someone saved in between). A change to the text
/// takes the release back.
pub async fn update(tx: &mut Tx, id: i64, version: i32, r: &VignetteRecord) -> Result<Saved> {
    let current = find(tx, id, Action::Write).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    if current.issue_id != r.issue_id {
        check_issue(tx, "issue_id", r.issue_id).await?;
    }
    let text_changed = record_of(&current).texts() != r.texts();
    let mut am = vignette::ActiveModel {
        title: Set(r.title.clone()),
        body: Set(r.body.clone()),
        issue_id: Set(r.issue_id),
        version: Set(version + 1),
        updated_at: Set(now_utc()),
        ..Default::default()
    };
    if text_changed {
        am.released_on = Set(None);
        am.released_by = Set(None);
    }
    let res = vignette::Entity::update_many()
        .set(am)
        .filter(vignette::Column::Id.eq(id))
        .filter(vignette::Column::OfficeId.eq(tx.office_id()))
        .filter(vignette::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    let unreleased = if text_changed && current.released_on.is_some() {
        "unreleased"
    } else {
        ""
    };
    tx.record(
        "update_vignette",
        KIND,
        Some(id),
        Some(current.client_id),
        unreleased,
    );
    let findings = r.findings(&known_people(tx).await?);
    Ok(Saved {
        id,
        version: version + 1,
        findings,
    })
}

/// Refuses, field by field, a text in which the ledger check found anything.
pub(crate) fn refuse_findings(findings: &[Finding]) -> Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in findings {
        by_field
            .entry(f.field.as_str())
            .or_default()
            .push(f.message.as_str());
    }
    let mut e = FieldErrors::new();
    for (field, messages) in by_field {
        e.add(field, format!("公開できません。{}", messages.join(" ")));
    }
    Err(StoreError::Invalid(e))
}

/// Releases the vignette for the 協議会 (a lead or an admin). Refused, field by field, while the
/// text holds anything the ledger check finds; returns the new version.
pub async fn release(tx: &mut Tx, id: i64, version: i32) -> Result<i32> {
    tx.office_access(RecordKind::IssueRelease, Action::Write)?;
    let current = find(tx, id, Action::Write).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    refuse_findings(&record_of(&current).findings(&known_people(tx).await?))?;
    let res = vignette::Entity::update_many()
        .set(vignette::ActiveModel {
            released_on: Set(Some(today_jst())),
            released_by: Set(Some(tx.actor().user_id)),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(vignette::Column::Id.eq(id))
        .filter(vignette::Column::OfficeId.eq(tx.office_id()))
        .filter(vignette::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "release_vignette",
        RecordKind::IssueRelease,
        Some(id),
        Some(current.client_id),
        "",
    );
    Ok(version + 1)
}

/// The office's vignettes the reader may open (newest first), optionally only those of issue
/// `issue_id`, and how many others there are.
pub async fn list(tx: &mut Tx, issue_id: Option<i64>) -> Result<VignetteList> {
    tx.office_access(KIND, Action::Read)?;
    let mut q = vignette::Entity::find().filter(vignette::Column::OfficeId.eq(tx.office_id()));
    if let Some(i) = issue_id {
        q = q.filter(vignette::Column::IssueId.eq(i));
    }
    let rows = q
        .order_by_desc(vignette::Column::UpdatedAt)
        .order_by_desc(vignette::Column::Id)
        .all(tx.conn())
        .await?;
    let readable = readable_clients(tx, rows.iter().map(|m| m.client_id)).await?;
    let (mut vignettes, mut others) = (Vec::new(), 0);
    for m in rows {
        if !readable.contains(&m.client_id) {
            others += 1;
            continue;
        }
        vignettes.push(VignetteSummary {
            id: m.id,
            case_id: m.case_id,
            title: m.title,
            issue_id: m.issue_id,
            released_on: m.released_on,
            updated_at: m.updated_at,
        });
    }
    tx.record(
        "list_vignettes",
        KIND,
        None,
        None,
        format!(
            "issue={} shown={} others={others}",
            issue_id.map(|i| i.to_string()).unwrap_or_default(),
            vignettes.len()
        ),
    );
    Ok(VignetteList { vignettes, others })
}

/// The released vignettes of the actor's office released in [`from`, `to`], by day and id: what
/// the council's paper prints. No case and no client leave with them.
pub async fn released(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ReleasedVignette>> {
    tx.office_access(KIND, Action::Read)?;
    let rows = vignette::Entity::find()
        .filter(vignette::Column::OfficeId.eq(tx.office_id()))
        .filter(vignette::Column::ReleasedOn.gte(from))
        .filter(vignette::Column::ReleasedOn.lte(to))
        .order_by_asc(vignette::Column::ReleasedOn)
        .order_by_asc(vignette::Column::Id)
        .all(tx.conn())
        .await?;
    let out: Vec<ReleasedVignette> = rows
        .into_iter()
        .filter_map(|m| {
            m.released_on.map(|released_on| ReleasedVignette {
                id: m.id,
                issue_id: m.issue_id,
                title: m.title,
                body: m.body,
                released_on,
            })
        })
        .collect();
    tx.record(
        "released_vignettes",
        KIND,
        None,
        None,
        format!("{from}..{to} shown={}", out.len()),
    );
    Ok(out)
}

/// How many of the office's vignettes wait for release: what a lead or an admin is shown on the
/// dashboard.
pub async fn waiting_for_release(tx: &mut Tx) -> Result<u64> {
    Ok(
        crate::issue_followups::waiting_for_release_with_vignettes(tx)
            .await?
            .1,
    )
}
