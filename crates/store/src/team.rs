//! ケアチーム members of a client, and consents to share (個人情報使用同意). A consent row is
//! written once; the only later change is its withdrawal, and a replacement is a new row that
//! names the one it replaces.

use crate::entities::{share_consent, team_member};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::meeting::TeamRef;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::{ShareConsentRecord, TeamMemberRecord};

const KIND: RecordKind = RecordKind::CareTeam;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: i64,
    pub record: TeamMemberRecord,
    pub active: bool,
    pub version: i32,
}

impl Member {
    pub fn team_ref(&self) -> TeamRef {
        TeamRef {
            id: self.id,
            kind: self.record.kind,
            name: self.record.name.clone(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Consent {
    pub id: i64,
    pub record: ShareConsentRecord,
    pub replaces_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn decode_member(m: team_member::Model) -> Result<Member> {
    Ok(Member {
        record: serde_json::from_str(&m.body)
            .map_err(|e| corrupt("team member", &e.to_string()))?,
        id: m.id,
        active: m.active,
        version: m.version,
    })
}

pub(crate) fn decode_consent(m: share_consent::Model) -> Result<Consent> {
    let mut record: ShareConsentRecord =
        serde_json::from_str(&m.body).map_err(|e| corrupt("consent", &e.to_string()))?;
    // The column is the truth for withdrawal (the body is never rewritten).
    record.withdrawn_on = m.withdrawn_on;
    Ok(Consent {
        record,
        id: m.id,
        replaces_id: m.replaces_id,
        created_at: m.created_at,
    })
}

/// The client's team, active members first, in the order they were added.
pub async fn members(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<Member>> {
    a.check(KIND, Action::Read)?;
    let rows = team_member::Entity::find()
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .order_by_desc(team_member::Column::Active)
        .order_by_asc(team_member::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record("list", KIND, None, Some(a.client_id), "members");
    rows.into_iter().map(decode_member).collect()
}

/// One member of the client's team (another client's or office's is not found).
pub async fn member(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Member> {
    a.check(KIND, Action::Read)?;
    let m = team_member::Entity::find_by_id(id)
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "member");
    decode_member(m)
}

/// The ids of the members still on the team (those a new consent may name).
pub async fn active_member_ids(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<i64>> {
    Ok(members(tx, a)
        .await?
        .iter()
        .filter(|m| m.active)
        .map(|m| m.id)
        .collect())
}

pub async fn add_member(tx: &mut Tx, a: &ClientAccess, r: &TeamMemberRecord) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    check_resource(tx, r.resource_id).await?;
    let now = now_utc();
    let m = team_member::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        kind: Set(r.kind.code().into()),
        name: Set(r.name.clone()),
        body: Set(serde_json::to_string(r).map_err(|e| corrupt("team member", &e.to_string()))?),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record("create", KIND, Some(m.id), Some(a.client_id), "member");
    Ok(m.id)
}

pub async fn update_member(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &TeamMemberRecord,
    active: bool,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    check_resource(tx, r.resource_id).await?;
    // A row someone signs in as stays that person: a new サビ管 is a new row, never the old
    // one renamed (the old account would keep reading under the new person's consent).
    if let Some(old) = team_member::Entity::find_by_id(id)
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
    {
        let before = decode_member(old)?.record;
        let identity_changed =
            before.kind != r.kind || before.name != r.name || before.organisation != r.organisation;
        if identity_changed && crate::outside::linked_or_invited(tx, id).await? {
            return Err(StoreError::Rule(
                "この方は yorisoi に連携（または招待中）です。別の人に替わるときは、先に「解除」してから新しいメンバーとして加えてください（種類・氏名・所属は変えられません）。".into(),
            ));
        }
    }
    let res =
        team_member::Entity::update_many()
            .set(team_member::ActiveModel {
                kind: Set(r.kind.code().into()),
                name: Set(r.name.clone()),
                body: Set(
                    serde_json::to_string(r).map_err(|e| corrupt("team member", &e.to_string()))?
                ),
                active: Set(active),
                version: Set(version + 1),
                updated_at: Set(now_utc()),
                ..Default::default()
            })
            .filter(team_member::Column::Id.eq(id))
            .filter(team_member::Column::OfficeId.eq(tx.office_id()))
            .filter(team_member::Column::ClientId.eq(a.client_id))
            .filter(team_member::Column::Version.eq(version))
            .exec(tx.conn())
            .await?;
    if res.rows_affected == 0 {
        let exists = team_member::Entity::find_by_id(id)
            .filter(team_member::Column::OfficeId.eq(tx.office_id()))
            .filter(team_member::Column::ClientId.eq(a.client_id))
            .one(tx.conn())
            .await?
            .is_some();
        return Err(if exists {
            StoreError::Conflict
        } else {
            StoreError::NotFound
        });
    }
    tx.record("update", KIND, Some(id), Some(a.client_id), "member");
    // Taken off the team: the account bound to the row and any open invitation end with it.
    if !active {
        crate::outside::end_access(tx, a.client_id, id).await?;
    }
    Ok(version + 1)
}

/// The member's link to the resource directory, refused as the form's `resource_id` field.
async fn check_resource(tx: &mut Tx, id: Option<i64>) -> Result<()> {
    crate::resources::check_link(tx, id)
        .await
        .map_err(|e| match e {
            StoreError::Rule(m) => StoreError::field("resource_id", m),
            e => e,
        })
}

/// Every consent of the client (withdrawn ones too, for the history), newest first.
pub async fn consents(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<Consent>> {
    a.check(KIND, Action::Read)?;
    let rows = share_consent::Entity::find()
        .filter(share_consent::Column::OfficeId.eq(tx.office_id()))
        .filter(share_consent::Column::ClientId.eq(a.client_id))
        .order_by_desc(share_consent::Column::GivenOn)
        .order_by_desc(share_consent::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record("list", KIND, None, Some(a.client_id), "consents");
    rows.into_iter().map(decode_consent).collect()
}

/// One consent of the client (another client's or office's is not found).
pub async fn consent(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Consent> {
    a.check(KIND, Action::Read)?;
    let m = share_consent::Entity::find_by_id(id)
        .filter(share_consent::Column::OfficeId.eq(tx.office_id()))
        .filter(share_consent::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "consent");
    decode_consent(m)
}

/// Records a consent; `replaces` (a consent of the same client still in force) is withdrawn on
/// the new one's date in the same transaction.
pub async fn give_consent(
    tx: &mut Tx,
    a: &ClientAccess,
    r: &ShareConsentRecord,
    replaces: Option<i64>,
) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    if let Some(old) = replaces {
        // The consent replaced is the form's `replaces` choice: its refusals concern that field.
        withdraw(tx, a, old, r.given_on)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::field(
                    "replaces",
                    "差し替える同意が見つかりません。一覧から選び直してください。",
                ),
                StoreError::Rule(m) => StoreError::field("replaces", m),
                StoreError::Invalid(_) => StoreError::field(
                    "replaces",
                    "差し替える同意の同意日より前の日付では差し替えられません。",
                ),
                e => e,
            })?;
    }
    let m = share_consent::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        subject: Set(r.subject.clone()),
        given_on: Set(r.given_on),
        withdrawn_on: Set(None),
        withdrawn_by: Set(None),
        replaces_id: Set(replaces),
        body: Set(serde_json::to_string(r).map_err(|e| corrupt("consent", &e.to_string()))?),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record("consent", KIND, Some(m.id), Some(a.client_id), "share");
    Ok(m.id)
}

/// Withdraws a consent from `on`. A consent already withdrawn stays as it was.
pub async fn withdraw(tx: &mut Tx, a: &ClientAccess, id: i64, on: NaiveDate) -> Result<()> {
    a.check(KIND, Action::Write)?;
    let m = share_consent::Entity::find_by_id(id)
        .filter(share_consent::Column::OfficeId.eq(tx.office_id()))
        .filter(share_consent::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    if m.withdrawn_on.is_some() {
        return Err(StoreError::Rule(
            "この同意はすでに撤回されています。".into(),
        ));
    }
    if on < m.given_on {
        return Err(StoreError::field(
            "withdrawn_on",
            "撤回日が同意日より前になっています。",
        ));
    }
    let res = share_consent::Entity::update_many()
        .set(share_consent::ActiveModel {
            withdrawn_on: Set(Some(on)),
            withdrawn_by: Set(Some(tx.actor().user_id)),
            ..Default::default()
        })
        .filter(share_consent::Column::Id.eq(id))
        .filter(share_consent::Column::WithdrawnOn.is_null())
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "withdraw",
        KIND,
        Some(id),
        Some(a.client_id),
        on.to_string(),
    );
    Ok(())
}

/// The team and consents as the meeting rule needs them (read under the meeting's own access).
pub(crate) async fn rule_inputs(
    tx: &Tx,
    client_id: i64,
) -> Result<(Vec<TeamRef>, Vec<ShareConsentRecord>)> {
    let team = team_member::Entity::find()
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(client_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| decode_member(m).map(|m| m.team_ref()))
        .collect::<Result<Vec<_>>>()?;
    let consents = share_consent::Entity::find()
        .filter(share_consent::Column::OfficeId.eq(tx.office_id()))
        .filter(share_consent::Column::ClientId.eq(client_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| decode_consent(m).map(|c| c.record))
        .collect::<Result<Vec<_>>>()?;
    Ok((team, consents))
}
