//! 地域体制強化共同支援加算: the evidence records — a hard case worked on by three or more parties
//! and reported to the 協議会 in writing, kept five years from the report (a record cannot be
//! deleted before then). Reading or writing one needs the client access of its case
//! ([`RecordKind::Case`]) and [`RecordKind::RegionalIssue`], as a vignette does.

use crate::entities::joint_support_record as rec;
use crate::issue_followups::{check_issue, readable_clients};
use crate::{Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::joint_support::{JointSupportRecord, Party};
use yorisoi_domain::policy::{Action, RecordKind};

const KIND: RecordKind = RecordKind::RegionalIssue;

/// A record as the office sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct JointSupport {
    pub id: i64,
    /// The case it concerns (never shown outside the office).
    pub case_id: i64,
    pub record: JointSupportRecord,
    /// Kept (and not deletable) until this day: five years after the report.
    pub keep_until: NaiveDate,
    pub created_by: i64,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A line of the list (the case shown only to those who may open it).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct JointSupportSummary {
    pub id: i64,
    pub case_id: i64,
    pub worked_on: NaiveDate,
    pub reported_on: NaiveDate,
    pub report_title: String,
    pub parties: usize,
    pub issue_id: Option<i64>,
    pub keep_until: NaiveDate,
}

/// The list: the records the reader may open, and how many others the office keeps.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct JointSupportList {
    pub records: Vec<JointSupportSummary>,
    /// Records of cases the reader may not open (counted only).
    pub others: usize,
}

fn record_of(m: &rec::Model) -> Result<JointSupportRecord> {
    let parties: Vec<Party> =
        serde_json::from_str(&m.parties).map_err(|e| corrupt("parties", &e.to_string()))?;
    Ok(JointSupportRecord {
        worked_on: m.worked_on,
        parties,
        reported_on: m.reported_on,
        report_title: m.report_title.clone(),
        summary: m.summary.clone(),
        issue_id: m.issue_id,
    })
}

fn parties_json(r: &JointSupportRecord) -> Result<String> {
    serde_json::to_string(&r.parties).map_err(|e| corrupt("parties", &e.to_string()))
}

async fn access(tx: &mut Tx, client_id: i64, action: Action) -> Result<()> {
    tx.office_access(KIND, action)?;
    tx.client_access(client_id, RecordKind::Case, action)
        .await
        .map(|_| ())
}

async fn find(tx: &mut Tx, id: i64, action: Action) -> Result<rec::Model> {
    tx.office_access(KIND, action)?;
    let m = rec::Entity::find_by_id(id)
        .filter(rec::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    access(tx, m.client_id, action).await?;
    Ok(m)
}

/// The care team of the case as parties to tick (active members; their organisation, or their
/// kind when none is written). Asks the team's own access.
pub async fn team_parties(tx: &mut Tx, case_id: i64) -> Result<Vec<Party>> {
    tx.office_access(KIND, Action::Write)?;
    let client_id = crate::cases::client_of(tx, case_id).await?;
    access(tx, client_id, Action::Write).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Read)
        .await?;
    let members = crate::team::members(tx, &acc).await?;
    Ok(members
        .into_iter()
        .filter(|m| m.active)
        .map(|m| {
            let organisation = match (m.record.organisation.trim(), m.record.role.trim()) {
                ("", "") => m.record.kind.label().to_string(),
                (o, "") => o.to_string(),
                ("", r) => r.to_string(),
                (o, r) => format!("{o} {r}"),
            };
            Party {
                name: m.record.name,
                organisation,
            }
        })
        .collect())
}

/// Records the 加算's evidence for case `case_id`; returns its id.
pub async fn add(tx: &mut Tx, case_id: i64, r: &JointSupportRecord) -> Result<i64> {
    tx.office_access(KIND, Action::Write)?;
    let client_id = crate::cases::client_of(tx, case_id).await?;
    access(tx, client_id, Action::Write).await?;
    check_issue(tx, "issue_id", r.issue_id).await?;
    let now = now_utc();
    let m = rec::ActiveModel {
        office_id: Set(tx.office_id()),
        case_id: Set(case_id),
        client_id: Set(client_id),
        issue_id: Set(r.issue_id),
        worked_on: Set(r.worked_on),
        parties: Set(parties_json(r)?),
        reported_on: Set(r.reported_on),
        report_title: Set(r.report_title.clone()),
        summary: Set(r.summary.clone()),
        keep_until: Set(r.keep_until()),
        created_by: Set(tx.actor().user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create_joint_support",
        KIND,
        Some(m.id),
        Some(client_id),
        format!("case {case_id} parties={}", r.parties.len()),
    );
    Ok(m.id)
}

/// One record.
pub async fn get(tx: &mut Tx, id: i64) -> Result<JointSupport> {
    let m = find(tx, id, Action::Read).await?;
    tx.record("read_joint_support", KIND, Some(id), Some(m.client_id), "");
    Ok(JointSupport {
        id,
        case_id: m.case_id,
        record: record_of(&m)?,
        keep_until: m.keep_until,
        created_by: m.created_by,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// Saves an edit made from `version` (409 when someone saved in between); the keeping period
/// follows the report's day.
pub async fn update(tx: &mut Tx, id: i64, version: i32, r: &JointSupportRecord) -> Result<i32> {
    let current = find(tx, id, Action::Write).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    if current.issue_id != r.issue_id {
        check_issue(tx, "issue_id", r.issue_id).await?;
    }
    let res = rec::Entity::update_many()
        .set(rec::ActiveModel {
            issue_id: Set(r.issue_id),
            worked_on: Set(r.worked_on),
            parties: Set(parties_json(r)?),
            reported_on: Set(r.reported_on),
            report_title: Set(r.report_title.clone()),
            summary: Set(r.summary.clone()),
            keep_until: Set(r.keep_until()),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(rec::Column::Id.eq(id))
        .filter(rec::Column::OfficeId.eq(tx.office_id()))
        .filter(rec::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update_joint_support",
        KIND,
        Some(id),
        Some(current.client_id),
        format!("parties={}", r.parties.len()),
    );
    Ok(version + 1)
}

/// Deletes a record read at `version` — refused before its keeping period ends (`today` before
/// `keep_until`), with the day it may go.
pub async fn delete(tx: &mut Tx, id: i64, version: i32, today: NaiveDate) -> Result<()> {
    let current = find(tx, id, Action::Write).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    if today < current.keep_until {
        return Err(StoreError::Rule(format!(
            "この記録は、協議会への報告から5年間保存する決まりのため、削除できません。削除できるのは{}からです。",
            yorisoi_domain::date::format_wareki(current.keep_until)
        )));
    }
    rec::Entity::delete_many()
        .filter(rec::Column::Id.eq(id))
        .filter(rec::Column::OfficeId.eq(tx.office_id()))
        .filter(rec::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    tx.record(
        "delete_joint_support",
        KIND,
        Some(id),
        Some(current.client_id),
        format!("kept until {}", current.keep_until),
    );
    Ok(())
}

/// The office's records the reader may open (newest report first), optionally only those of
/// issue `issue_id`, and how many others there are.
pub async fn list(tx: &mut Tx, issue_id: Option<i64>) -> Result<JointSupportList> {
    tx.office_access(KIND, Action::Read)?;
    let mut q = rec::Entity::find().filter(rec::Column::OfficeId.eq(tx.office_id()));
    if let Some(i) = issue_id {
        q = q.filter(rec::Column::IssueId.eq(i));
    }
    let rows = q
        .order_by_desc(rec::Column::ReportedOn)
        .order_by_desc(rec::Column::Id)
        .all(tx.conn())
        .await?;
    let readable = readable_clients(tx, rows.iter().map(|m| m.client_id)).await?;
    let (mut records, mut others) = (Vec::new(), 0);
    for m in rows {
        if !readable.contains(&m.client_id) {
            others += 1;
            continue;
        }
        let r = record_of(&m)?;
        records.push(JointSupportSummary {
            id: m.id,
            case_id: m.case_id,
            worked_on: r.worked_on,
            reported_on: r.reported_on,
            report_title: r.report_title,
            parties: r.parties.len(),
            issue_id: r.issue_id,
            keep_until: m.keep_until,
        });
    }
    tx.record(
        "list_joint_support",
        KIND,
        None,
        None,
        format!("shown={} others={others}", records.len()),
    );
    Ok(JointSupportList { records, others })
}
