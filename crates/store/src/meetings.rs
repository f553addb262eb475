//! サービス担当者会議 for a plan version. Saving checks participants against the client's
//! consents in force on the meeting's date; recording a meeting as held moves the draft it
//! discussed to 会議済.

use crate::entities::{meeting, plan};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::meeting::{MeetingInput, MeetingRecord, uncovered};
use yorisoi_domain::plan::PlanState;
use yorisoi_domain::policy::{Action, RecordKind};

const KIND: RecordKind = RecordKind::Meeting;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub plan_id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub record: MeetingRecord,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

fn decode(m: meeting::Model) -> Result<Meeting> {
    Ok(Meeting {
        record: serde_json::from_str(&m.body).map_err(|e| corrupt("meeting", &e.to_string()))?,
        id: m.id,
        plan_id: m.plan_id,
        case_id: m.case_id,
        client_id: m.client_id,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// Access to the meetings of the client the meeting `id` belongs to.
pub async fn access(tx: &mut Tx, id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = meeting::Entity::find_by_id(id)
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|m| m.client_id)
        .ok_or(StoreError::NotFound)?;
    tx.client_access(client_id, KIND, action).await
}

/// Validates a meeting form for the plan version `plan_id` against the client's team and
/// consents (as stored now).
pub async fn validate(
    tx: &Tx,
    a: &ClientAccess,
    plan_id: i64,
    input: &MeetingInput,
    today: chrono::NaiveDate,
) -> Result<std::result::Result<MeetingRecord, FieldErrors>> {
    a.check(KIND, Action::Read)?;
    let p = plan_of(tx, a, plan_id).await?;
    let (team, consents) = crate::team::rule_inputs(tx, a.client_id).await?;
    Ok(input.validate(today, &team, &consents, &family_voices(&p)?))
}

/// The plan version a meeting discussed.
pub async fn plan_id_of(tx: &Tx, a: &ClientAccess, id: i64) -> Result<i64> {
    a.check(KIND, Action::Read)?;
    meeting::Entity::find_by_id(id)
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .map(|m| m.plan_id)
        .ok_or(StoreError::NotFound)
}

/// Whose own words the plan carries (each of them consents for theirs).
fn family_voices(p: &plan::Model) -> Result<yorisoi_domain::assessment::FamilyVoices> {
    Ok(crate::plans::decode(p)?.family_voices())
}

async fn plan_of(tx: &Tx, a: &ClientAccess, plan_id: i64) -> Result<plan::Model> {
    plan::Entity::find_by_id(plan_id)
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Checks the rule once more inside the writing transaction (a consent may have been withdrawn
/// since the form was validated).
async fn recheck(tx: &Tx, a: &ClientAccess, p: &plan::Model, r: &MeetingRecord) -> Result<()> {
    let (team, consents) = crate::team::rule_inputs(tx, a.client_id).await?;
    let missing = uncovered(
        &r.participants,
        &team,
        &consents,
        r.held_on,
        &family_voices(p)?,
    );
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::field("participants", missing.message()))
    }
}

/// When a meeting is held, the draft it discussed becomes 会議済.
async fn mark_plan(
    tx: &mut Tx,
    a: &ClientAccess,
    p: &plan::Model,
    r: &MeetingRecord,
) -> Result<()> {
    if r.held && p.state != PlanState::Final.code() {
        let event = yorisoi_domain::case::CaseEvent::MeetingHeld;
        crate::cases::follow(tx, a.client_id, p.case_id, event).await?;
    }
    if r.held && p.state == PlanState::Draft.code() {
        plan::Entity::update_many()
            .set(plan::ActiveModel {
                state: Set(PlanState::Reviewed.code().into()),
                version: Set(p.version + 1),
                updated_at: Set(now_utc()),
                ..Default::default()
            })
            .filter(plan::Column::Id.eq(p.id))
            .exec(tx.conn())
            .await?;
        tx.record(
            "state",
            RecordKind::Plan,
            Some(p.id),
            Some(a.client_id),
            "reviewed",
        );
    }
    Ok(())
}

pub async fn create(tx: &mut Tx, a: &ClientAccess, plan_id: i64, r: &MeetingRecord) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    let p = plan_of(tx, a, plan_id).await?;
    if p.state == PlanState::Final.code() {
        return Err(StoreError::Rule(
            "本計画になった版には会議を追加できません。計画変更の計画案で会議を開いてください。"
                .into(),
        ));
    }
    recheck(tx, a, &p, r).await?;
    let now = now_utc();
    let m = meeting::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        case_id: Set(p.case_id),
        plan_id: Set(plan_id),
        held_on: Set(r.held_on),
        held: Set(r.held),
        body: Set(serde_json::to_string(r).map_err(|e| corrupt("meeting", &e.to_string()))?),
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
        format!("plan {plan_id}"),
    );
    mark_plan(tx, a, &p, r).await?;
    Ok(m.id)
}

pub async fn get(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Meeting> {
    a.check(KIND, Action::Read)?;
    let m = meeting::Entity::find_by_id(id)
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "");
    decode(m)
}

/// The meetings of one plan version, by date.
pub async fn for_plan(tx: &mut Tx, a: &ClientAccess, plan_id: i64) -> Result<Vec<Meeting>> {
    a.check(KIND, Action::Read)?;
    let rows = meeting::Entity::find()
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::ClientId.eq(a.client_id))
        .filter(meeting::Column::PlanId.eq(plan_id))
        .order_by_asc(meeting::Column::HeldOn)
        .all(tx.conn())
        .await?;
    tx.record(
        "list",
        KIND,
        None,
        Some(a.client_id),
        format!("plan {plan_id}"),
    );
    rows.into_iter().map(decode).collect()
}

pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &MeetingRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let current = meeting::Entity::find_by_id(id)
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let p = plan_of(tx, a, current.plan_id).await?;
    recheck(tx, a, &p, r).await?;
    let res = meeting::Entity::update_many()
        .set(meeting::ActiveModel {
            held_on: Set(r.held_on),
            held: Set(r.held),
            body: Set(serde_json::to_string(r).map_err(|e| corrupt("meeting", &e.to_string()))?),
            updated_by: Set(tx.actor().user_id),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record("update", KIND, Some(id), Some(a.client_id), "");
    mark_plan(tx, a, &p, r).await?;
    Ok(version + 1)
}
