//! The office's 地域課題 category list (issue 20): the default list councils use, less the
//! defaults the office does not use, plus its own categories, each counted under a default once
//! its issues leave the office (so the region counts every office alike). An own category is
//! retired rather than deleted: the issues that have it keep it.
//!
//! Reading asks [`RecordKind::IssueCategoryList`] (whoever writes issues); changing it is a
//! lead's or an admin's. Every change is audited.

use crate::entities::{issue_category as cat, issue_category_unused as unused};
use crate::{Result, StoreError, Tx, corrupt, now_utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    CategoryList, IssueCategory, OwnCategory, OwnCategoryRecord, own_code,
};

const KIND: RecordKind = RecordKind::IssueCategoryList;

fn own_of(m: cat::Model) -> Result<OwnCategory> {
    Ok(OwnCategory {
        code: own_code(m.id),
        counts_as: IssueCategory::from_code(&m.counts_as)
            .ok_or_else(|| corrupt("counts_as", &m.counts_as))?,
        id: m.id,
        label: m.label,
        active: m.active,
        version: m.version,
    })
}

/// The list without asking the policy: for the store's own checks and labels, inside a call
/// that asked already.
pub(crate) async fn load(tx: &Tx) -> Result<CategoryList> {
    let own = cat::Entity::find()
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .order_by_asc(cat::Column::Position)
        .order_by_asc(cat::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(own_of)
        .collect::<Result<Vec<_>>>()?;
    let unused_codes: Vec<String> = unused::Entity::find()
        .filter(unused::Column::OfficeId.eq(tx.office_id()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect();
    // Listed in the default order, whatever order they were turned off in.
    let unused = IssueCategory::ALL
        .iter()
        .copied()
        .filter(|c| unused_codes.iter().any(|u| u == c.code()))
        .collect();
    Ok(CategoryList { unused, own })
}

/// The office's list.
pub async fn list(tx: &mut Tx) -> Result<CategoryList> {
    tx.office_access(KIND, Action::Read)?;
    load(tx).await
}

/// Refuses a label another own category of the office has (retired ones too: two categories
/// of one name would be told apart by nobody).
async fn ensure_unique(tx: &Tx, label: &str, except: Option<i64>) -> Result<()> {
    let clash = cat::Entity::find()
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .filter(cat::Column::Label.eq(label))
        .all(tx.conn())
        .await?
        .into_iter()
        .any(|m| Some(m.id) != except);
    if clash {
        return Err(StoreError::field(
            "label",
            "同じ名前の分類がすでにあります。別の名前にするか、その分類を使ってください。",
        ));
    }
    Ok(())
}

/// Adds an own category at the end of the list.
pub async fn add(tx: &mut Tx, r: &OwnCategoryRecord) -> Result<OwnCategory> {
    tx.office_access(KIND, Action::Write)?;
    ensure_unique(tx, &r.label, None).await?;
    let last = cat::Entity::find()
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(cat::Column::Position)
        .one(tx.conn())
        .await?
        .map(|m| m.position)
        .unwrap_or(0);
    let now = now_utc();
    let m = cat::ActiveModel {
        office_id: Set(tx.office_id()),
        label: Set(r.label.clone()),
        counts_as: Set(r.counts_as.code().into()),
        active: Set(r.active),
        position: Set(last + 1),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create",
        KIND,
        Some(m.id),
        None,
        format!("counts_as={}", r.counts_as.code()),
    );
    own_of(m)
}

/// Saves an edit made from `version` (409 when someone saved in between). A change of
/// `counts_as` moves the category's issues in the region's counts from then on.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i32,
    r: &OwnCategoryRecord,
) -> Result<OwnCategory> {
    tx.office_access(KIND, Action::Write)?;
    let current = cat::Entity::find_by_id(id)
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    ensure_unique(tx, &r.label, Some(id)).await?;
    let res = cat::Entity::update_many()
        .set(cat::ActiveModel {
            label: Set(r.label.clone()),
            counts_as: Set(r.counts_as.code().into()),
            active: Set(r.active),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(cat::Column::Id.eq(id))
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .filter(cat::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    if current.counts_as != r.counts_as.code() {
        // The issues carry the default they count as, so that the region's queries read one
        // column: they follow the category.
        crate::regional_issues::recount_own(tx, id, r.counts_as).await?;
    }
    tx.record(
        "update",
        KIND,
        Some(id),
        None,
        format!(
            "counts_as={} active={}",
            r.counts_as.code(),
            if r.active { "yes" } else { "no" }
        ),
    );
    let m = cat::Entity::find_by_id(id)
        .filter(cat::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    own_of(m)
}

/// Sets which defaults the office does not offer for new issues (その他 is always offered; the
/// issues that have a default keep it).
pub async fn set_unused(tx: &mut Tx, codes: &[IssueCategory]) -> Result<CategoryList> {
    tx.office_access(KIND, Action::Write)?;
    unused::Entity::delete_many()
        .filter(unused::Column::OfficeId.eq(tx.office_id()))
        .exec(tx.conn())
        .await?;
    let mut written = Vec::new();
    for c in IssueCategory::ALL {
        if *c == IssueCategory::Other || !codes.contains(c) {
            continue;
        }
        unused::ActiveModel {
            office_id: Set(tx.office_id()),
            code: Set(c.code().into()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        written.push(c.code());
    }
    tx.record(
        "set_unused",
        KIND,
        None,
        None,
        format!("unused={}", written.join(",")),
    );
    load(tx).await
}
