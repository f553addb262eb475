//! 社会資源: the office's directory of providers (by service type), other systems' services and
//! informal resources. Never deleted (plans and team members link to it), only set inactive.

use crate::entities::resource;
use crate::{Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::ResourceRecord;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Resource {
    pub id: i64,
    pub record: ResourceRecord,
    pub active: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

fn decode(m: resource::Model) -> Result<Resource> {
    Ok(Resource {
        record: serde_json::from_str(&m.body).map_err(|e| corrupt("resource", &e.to_string()))?,
        id: m.id,
        active: m.active,
        version: m.version,
        updated_at: m.updated_at,
    })
}

fn encode(r: &ResourceRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| corrupt("resource", &e.to_string()))
}

/// Filters for the directory: words in the name, a category, a service type.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub q: String,
    pub category: String,
    pub service_type: String,
    pub include_inactive: bool,
}

/// The directory, by name; the caller's office only.
pub async fn list(tx: &mut Tx, f: &ResourceFilter) -> Result<Vec<Resource>> {
    tx.office_access(RecordKind::Resource, Action::Read)?;
    let mut q = resource::Entity::find().filter(resource::Column::OfficeId.eq(tx.office_id()));
    if !f.category.is_empty() {
        q = q.filter(resource::Column::Category.eq(f.category.as_str()));
    }
    if !f.service_type.is_empty() {
        q = q.filter(resource::Column::ServiceType.eq(f.service_type.as_str()));
    }
    if !f.include_inactive {
        q = q.filter(resource::Column::Active.eq(true));
    }
    let rows = q
        .order_by_asc(resource::Column::Name)
        .all(tx.conn())
        .await?;
    // Names are short and the directory is one office's: fold in memory so that かな/カナ and
    // full/half width match the way the client search does.
    let needle = yorisoi_domain::text::search_fold(&f.q);
    rows.into_iter()
        .filter(|m| {
            needle.is_empty()
                || yorisoi_domain::text::search_fold(&m.name).contains(&needle)
                || yorisoi_domain::text::search_fold(&m.body).contains(&needle)
        })
        .map(decode)
        .collect()
}

pub async fn get(tx: &mut Tx, id: i64) -> Result<Resource> {
    tx.office_access(RecordKind::Resource, Action::Read)?;
    let m = resource::Entity::find_by_id(id)
        .filter(resource::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    decode(m)
}

pub async fn create(tx: &mut Tx, r: &ResourceRecord) -> Result<i64> {
    tx.office_access(RecordKind::Resource, Action::Write)?;
    let now = now_utc();
    let m = resource::ActiveModel {
        office_id: Set(tx.office_id()),
        category: Set(r.category.code().into()),
        service_type: Set(r.service_type.map(|s| s.code()).unwrap_or("").into()),
        name: Set(r.name.clone()),
        body: Set(encode(r)?),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create",
        RecordKind::Resource,
        Some(m.id),
        None,
        r.name.clone(),
    );
    Ok(m.id)
}

/// Saves an edit made from `version`; `active` false hides it from new links.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i32,
    r: &ResourceRecord,
    active: bool,
) -> Result<i32> {
    tx.office_access(RecordKind::Resource, Action::Write)?;
    get(tx, id).await?;
    let res = resource::Entity::update_many()
        .set(resource::ActiveModel {
            category: Set(r.category.code().into()),
            service_type: Set(r.service_type.map(|s| s.code()).unwrap_or("").into()),
            name: Set(r.name.clone()),
            body: Set(encode(r)?),
            active: Set(active),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(resource::Column::Id.eq(id))
        .filter(resource::Column::OfficeId.eq(tx.office_id()))
        .filter(resource::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update",
        RecordKind::Resource,
        Some(id),
        None,
        r.name.clone(),
    );
    Ok(version + 1)
}

/// Refuses an id that is not a resource of this office (so a form cannot link another office's
/// provider). A deactivated entry stays linkable so that older records still save.
pub async fn check_link(tx: &mut Tx, id: Option<i64>) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let ok = resource::Entity::find_by_id(id)
        .filter(resource::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .is_some();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Rule(
            "社会資源の一覧にない事業所が選ばれています。一覧から選び直してください。".into(),
        ))
    }
}
