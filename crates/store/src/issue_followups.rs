//! 地域課題 follow-ups inside the office (issue 20): a duplicate merged into another issue (its
//! cases moved, itself kept, marked and closed to edits and release), and a resolved issue linked
//! to the 社会資源 it led to (社会資源の開発). Both through the policy of
//! [`RecordKind::RegionalIssue`], both audited.
//!
//! Also the helpers the vignettes and the 加算 records share: which clients the actor may read
//! (asked without logging a refusal: nobody asked to open them), and the office's issues to
//! choose from.

use crate::entities::{
    case_vignette, client, joint_support_record, regional_issue_case as link,
    regional_issue_followup as fu, resource,
};
use crate::{Result, StoreError, Tx, now_utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{HashMap, HashSet};
use yorisoi_domain::policy::{Action, RecordKind, Target, authorize};
use yorisoi_domain::region::IssueStatus;

const KIND: RecordKind = RecordKind::RegionalIssue;

/// An issue named by its number and title (for links and choices).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IssueRef {
    pub id: i64,
    pub title: String,
}

/// A 社会資源 of the directory, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ResourceRef {
    pub id: i64,
    pub name: String,
}

/// What an issue's page shows of its follow-ups.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Followup {
    /// The issue it was merged into (then it can be neither edited nor released).
    pub merged_into: Option<IssueRef>,
    /// The issues merged into it.
    pub merged_from: Vec<IssueRef>,
    /// The 社会資源 it led to (a resolved issue only).
    pub resource: Option<ResourceRef>,
}

async fn row(tx: &Tx, id: i64) -> Result<fu::Model> {
    fu::Entity::find_by_id(id)
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

fn merged_message(into: i64) -> String {
    format!(
        "この地域課題は #{into} にまとめたため、変更も公開もできません。#{into} の画面で続けてください。"
    )
}

/// Refuses a change to an issue merged into another (the page says where it went).
pub(crate) async fn ensure_not_merged(tx: &Tx, id: i64) -> Result<()> {
    match row(tx, id).await?.merged_into {
        Some(into) => Err(StoreError::Rule(merged_message(into))),
        None => Ok(()),
    }
}

/// The office's merged issues: id → the issue it was merged into.
pub(crate) async fn merged_map(tx: &Tx) -> Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, Option<i64>)> = fu::Entity::find()
        .select_only()
        .column(fu::Column::Id)
        .column(fu::Column::MergedInto)
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::MergedInto.is_not_null())
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, into)| into.map(|i| (id, i)))
        .collect())
}

/// Of `clients` (of this office), those whose cases the actor may read. Asking the policy here
/// logs no refusal: the caller only counts the others.
pub(crate) async fn readable_clients(
    tx: &Tx,
    clients: impl IntoIterator<Item = i64>,
) -> Result<HashSet<i64>> {
    let ids: HashSet<i64> = clients.into_iter().collect();
    let rows: Vec<(i64, Option<i64>)> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::AssignedUserId)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(ids))
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, assigned_to)| {
            let target = Target {
                office_id: tx.office_id(),
                assigned_to: *assigned_to,
            };
            authorize(tx.actor(), RecordKind::Case, Action::Read, &target).is_ok()
        })
        .map(|(id, _)| id)
        .collect())
}

/// Refuses an issue id that is not one of this office's issues (on `field`).
pub(crate) async fn check_issue(tx: &Tx, field: &str, id: Option<i64>) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    match row(tx, id).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(StoreError::field(
            field,
            "地域課題が見つかりません。一覧から選び直してください。",
        )),
        Err(e) => Err(e),
    }
}

/// The office's issues that are not merged, newest first (to choose one from).
pub async fn choices(tx: &mut Tx) -> Result<Vec<IssueRef>> {
    tx.office_access(KIND, Action::Read)?;
    let rows = fu::Entity::find()
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::MergedInto.is_null())
        .order_by_desc(fu::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| IssueRef {
            id: m.id,
            title: m.title,
        })
        .collect())
}

/// The follow-ups of issue `id`: where it was merged, what was merged into it, its resource.
pub async fn of(tx: &mut Tx, id: i64) -> Result<Followup> {
    tx.office_access(KIND, Action::Read)?;
    let m = row(tx, id).await?;
    let merged_into = match m.merged_into {
        Some(into) => Some(row(tx, into).await.map(|r| IssueRef {
            id: r.id,
            title: r.title,
        })?),
        None => None,
    };
    let merged_from = fu::Entity::find()
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::MergedInto.eq(id))
        .order_by_asc(fu::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|r| IssueRef {
            id: r.id,
            title: r.title,
        })
        .collect();
    let resource = match m.resource_id {
        Some(rid) => resource::Entity::find_by_id(rid)
            .filter(resource::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .map(|r| ResourceRef {
                id: r.id,
                name: r.name,
            }),
        None => None,
    };
    Ok(Followup {
        merged_into,
        merged_from,
        resource,
    })
}

/// Bumps the version of issue `id` read at `version` (409 when someone saved in between).
async fn bump(tx: &Tx, id: i64, version: i32, set: fu::ActiveModel) -> Result<()> {
    let res = fu::Entity::update_many()
        .set(fu::ActiveModel {
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..set
        })
        .filter(fu::Column::Id.eq(id))
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Merges issue `other` (read at `other_version`) into issue `id` (read at `version`): the
/// other's case links move here (a case linked to both stays linked once), its vignettes, 加算
/// records and the issues merged into it now point here, and it is kept, marked merged. Both
/// versions are checked (409 when either is stale; nothing changes). Returns this issue's new
/// version.
pub async fn merge(
    tx: &mut Tx,
    id: i64,
    version: i32,
    other: i64,
    other_version: i32,
) -> Result<i32> {
    tx.office_access(KIND, Action::Write)?;
    let this = row(tx, id).await?;
    if other == id {
        return Err(StoreError::field(
            "other",
            "同じ地域課題にはまとめられません。別の地域課題を選んでください。",
        ));
    }
    let that = match row(tx, other).await {
        Ok(m) => m,
        Err(StoreError::NotFound) => {
            return Err(StoreError::field(
                "other",
                "まとめる地域課題が見つかりません。一覧から選び直してください。",
            ));
        }
        Err(e) => return Err(e),
    };
    if let Some(into) = this.merged_into {
        return Err(StoreError::Rule(merged_message(into)));
    }
    if this.version != version || that.version != other_version {
        return Err(StoreError::Conflict);
    }
    if let Some(into) = that.merged_into {
        return Err(StoreError::field(
            "other",
            format!("#{other} はすでに #{into} にまとめてあります。"),
        ));
    }
    let here: HashSet<i64> = link::Entity::find()
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .filter(link::Column::IssueId.eq(id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|l| l.case_id)
        .collect();
    let theirs = link::Entity::find()
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .filter(link::Column::IssueId.eq(other))
        .all(tx.conn())
        .await?;
    let (mut moved, mut dropped) = (0, 0);
    for l in theirs {
        if here.contains(&l.case_id) {
            link::Entity::delete_by_id(l.id).exec(tx.conn()).await?;
            dropped += 1;
        } else {
            link::Entity::update_many()
                .set(link::ActiveModel {
                    issue_id: Set(id),
                    ..Default::default()
                })
                .filter(link::Column::Id.eq(l.id))
                .exec(tx.conn())
                .await?;
            moved += 1;
        }
    }
    case_vignette::Entity::update_many()
        .set(case_vignette::ActiveModel {
            issue_id: Set(Some(id)),
            ..Default::default()
        })
        .filter(case_vignette::Column::OfficeId.eq(tx.office_id()))
        .filter(case_vignette::Column::IssueId.eq(other))
        .exec(tx.conn())
        .await?;
    joint_support_record::Entity::update_many()
        .set(joint_support_record::ActiveModel {
            issue_id: Set(Some(id)),
            ..Default::default()
        })
        .filter(joint_support_record::Column::OfficeId.eq(tx.office_id()))
        .filter(joint_support_record::Column::IssueId.eq(other))
        .exec(tx.conn())
        .await?;
    fu::Entity::update_many()
        .set(fu::ActiveModel {
            merged_into: Set(Some(id)),
            ..Default::default()
        })
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::MergedInto.eq(other))
        .exec(tx.conn())
        .await?;
    bump(
        tx,
        other,
        other_version,
        fu::ActiveModel {
            merged_into: Set(Some(id)),
            ..Default::default()
        },
    )
    .await?;
    bump(tx, id, version, fu::ActiveModel::default()).await?;
    tx.record(
        "merge",
        KIND,
        Some(id),
        None,
        format!("#{other} → #{id}: cases moved {moved}, already linked {dropped}"),
    );
    tx.record(
        "merge",
        KIND,
        Some(other),
        None,
        format!("merged into #{id}"),
    );
    Ok(version + 1)
}

/// Links issue `id` (read at `version`) to the 社会資源 it led to, or unlinks it (`None`). Only a
/// resolved issue is linked, and only to a resource of this office. Returns the new version (the
/// same when nothing changes).
pub async fn set_resource(
    tx: &mut Tx,
    id: i64,
    version: i32,
    resource_id: Option<i64>,
) -> Result<i32> {
    tx.office_access(KIND, Action::Write)?;
    let m = row(tx, id).await?;
    if let Some(into) = m.merged_into {
        return Err(StoreError::Rule(merged_message(into)));
    }
    if m.version != version {
        return Err(StoreError::Conflict);
    }
    // Checked even when the link stays as it was: an issue moved back from 解決 keeps no link.
    if resource_id.is_some() && m.status != IssueStatus::Resolved.code() {
        return Err(StoreError::field(
            "resource_id",
            "社会資源と結び付けるのは、解決した地域課題だけです。先に状況を「解決」にしてください。",
        ));
    }
    if m.resource_id == resource_id {
        return Ok(version);
    }
    if let Some(rid) = resource_id {
        let found = resource::Entity::find_by_id(rid)
            .filter(resource::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .is_some();
        if !found {
            return Err(StoreError::field(
                "resource_id",
                "社会資源の一覧にない資源が選ばれています。一覧から選び直してください。",
            ));
        }
    }
    bump(
        tx,
        id,
        version,
        fu::ActiveModel {
            resource_id: Set(resource_id),
            ..Default::default()
        },
    )
    .await?;
    tx.record(
        "link_resource",
        KIND,
        Some(id),
        None,
        resource_id.map_or("none".to_string(), |r| format!("resource {r}")),
    );
    Ok(version + 1)
}

/// The issues that led to resource `resource_id` (of this office), oldest first.
pub async fn resolved_by(tx: &mut Tx, resource_id: i64) -> Result<Vec<IssueRef>> {
    tx.office_access(KIND, Action::Read)?;
    let rows = fu::Entity::find()
        .filter(fu::Column::OfficeId.eq(tx.office_id()))
        .filter(fu::Column::ResourceId.eq(resource_id))
        .order_by_asc(fu::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record(
        "list_by_resource",
        KIND,
        None,
        None,
        format!("resource {resource_id} shown={}", rows.len()),
    );
    Ok(rows
        .into_iter()
        .map(|m| IssueRef {
            id: m.id,
            title: m.title,
        })
        .collect())
}

/// What waits for release, counted in one statement for the home page: the office's issues not
/// yet released (nor merged into another), and its 事例 not yet released: what a lead or an admin
/// is shown on the dashboard.
pub async fn waiting_for_release_with_vignettes(tx: &mut Tx) -> Result<(u64, u64)> {
    use sea_orm::ConnectionTrait;
    tx.office_access(RecordKind::IssueRelease, Action::Write)?;
    let office_id = tx.office_id();
    let row = tx
        .conn()
        .query_one_raw(crate::stmt(
            tx.backend(),
            "SELECT (SELECT COUNT(*) FROM regional_issues \
                     WHERE office_id = ? AND released_on IS NULL AND merged_into IS NULL), \
                    (SELECT COUNT(*) FROM case_vignettes \
                     WHERE office_id = ? AND released_on IS NULL)",
            vec![office_id.into(), office_id.into()],
        ))
        .await?
        .ok_or_else(|| crate::corrupt("waiting for release", "no row"))?;
    let count = |i: usize| -> Result<u64> {
        let n: i64 = row.try_get_by_index(i)?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    Ok((count(0)?, count(1)?))
}
