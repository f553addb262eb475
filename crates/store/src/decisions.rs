//! 意思決定支援 records of a case. The document is JSON validated by the domain; the question,
//! step, lead and dates are columns so lists, the timeline and the dashboard's follow-ups read
//! them without opening bodies.

use crate::entities::{decision, user};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::decision::{DecisionRecord, DecisionStep};
use yorisoi_domain::policy::{Action, RecordKind};

const KIND: RecordKind = RecordKind::DecisionSupport;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub record: DecisionRecord,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A line of the case's list (no body).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = DecisionSummary)]
pub struct Summary {
    pub id: i64,
    pub question: String,
    pub step: DecisionStep,
    pub lead_user_id: i64,
    pub started_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub follow_up_on: Option<NaiveDate>,
}

fn decode(m: decision::Model) -> Result<Decision> {
    Ok(Decision {
        record: serde_json::from_str(&m.body).map_err(|e| corrupt("decision", &e.to_string()))?,
        id: m.id,
        case_id: m.case_id,
        client_id: m.client_id,
        version: m.version,
        updated_at: m.updated_at,
    })
}

fn summary(m: &decision::Model) -> Result<Summary> {
    Ok(Summary {
        id: m.id,
        question: m.question.clone(),
        step: DecisionStep::from_code(&m.step).ok_or_else(|| corrupt("step", &m.step))?,
        lead_user_id: m.lead_user_id,
        started_on: m.started_on,
        decided_on: m.decided_on,
        follow_up_on: m.follow_up_on,
    })
}

fn encode(r: &DecisionRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| corrupt("decision", &e.to_string()))
}

/// Access to the decision records of the client the record `id` belongs to.
pub async fn access(tx: &mut Tx, id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = decision::Entity::find_by_id(id)
        .filter(decision::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|m| m.client_id)
        .ok_or(StoreError::NotFound)?;
    tx.client_access(client_id, KIND, action).await
}

/// Access to the decision records of the client of case `case_id`.
pub async fn access_case(tx: &mut Tx, case_id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = crate::cases::client_of(tx, case_id).await?;
    tx.client_access(client_id, KIND, action).await
}

/// The lead must be a staff member of this office (the form offers only those; the API may not).
async fn check_lead(tx: &Tx, r: &DecisionRecord) -> Result<()> {
    let found = user::Entity::find_by_id(r.lead_user_id)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?;
    let staff = found.is_some_and(|u| {
        yorisoi_domain::policy::Role::from_code(&u.role).is_some_and(|r| r.takes_cases())
    });
    if !staff {
        return Err(StoreError::field(
            "lead_user_id",
            "意思決定支援責任者は事業所の職員から選んでください。",
        ));
    }
    Ok(())
}

/// The case's records, newest first (the read is logged).
pub async fn list(tx: &mut Tx, a: &ClientAccess, case_id: i64) -> Result<Vec<Summary>> {
    a.check(KIND, Action::Read)?;
    let rows = decision::Entity::find()
        .filter(decision::Column::OfficeId.eq(tx.office_id()))
        .filter(decision::Column::ClientId.eq(a.client_id))
        .filter(decision::Column::CaseId.eq(case_id))
        .order_by_desc(decision::Column::StartedOn)
        .order_by_desc(decision::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record(
        "list",
        KIND,
        None,
        Some(a.client_id),
        format!("case {case_id}"),
    );
    rows.iter().map(summary).collect()
}

pub async fn get(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Decision> {
    a.check(KIND, Action::Read)?;
    let m = decision::Entity::find_by_id(id)
        .filter(decision::Column::OfficeId.eq(tx.office_id()))
        .filter(decision::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "");
    decode(m)
}

/// Starts a record on an open case; returns its id.
pub async fn create(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    r: &DecisionRecord,
) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    crate::cases::open_case(tx, a, case_id).await?;
    check_lead(tx, r).await?;
    let now = now_utc();
    let m = decision::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        case_id: Set(case_id),
        question: Set(r.question.clone()),
        step: Set(r.step.code().into()),
        lead_user_id: Set(r.lead_user_id),
        started_on: Set(r.started_on),
        decided_on: Set(r.decided_on),
        follow_up_on: Set(r.follow_up_on),
        body: Set(encode(r)?),
        created_by: Set(tx.actor().user_id),
        updated_by: Set(tx.actor().user_id),
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
        Some(a.client_id),
        format!("case {case_id} {}", r.step.code()),
    );
    Ok(m.id)
}

/// Saves an edit made from `version` (409 when someone saved in between); returns the new one.
pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &DecisionRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let current = decision::Entity::find_by_id(id)
        .filter(decision::Column::OfficeId.eq(tx.office_id()))
        .filter(decision::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    crate::cases::open_case(tx, a, current.case_id).await?;
    check_lead(tx, r).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    let res = decision::Entity::update_many()
        .set(decision::ActiveModel {
            question: Set(r.question.clone()),
            step: Set(r.step.code().into()),
            lead_user_id: Set(r.lead_user_id),
            started_on: Set(r.started_on),
            decided_on: Set(r.decided_on),
            follow_up_on: Set(r.follow_up_on),
            body: Set(encode(r)?),
            updated_by: Set(tx.actor().user_id),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(decision::Column::Id.eq(id))
        .filter(decision::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record("update", KIND, Some(id), Some(a.client_id), r.step.code());
    Ok(version + 1)
}
