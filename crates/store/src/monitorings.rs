//! モニタリング: reports per case against the final plan in force, and the due months derived
//! from the client's certificates (never stored: they follow the certificates as they change).
//! A report whose outcome is 再アセスメント opens the next assessment version in the same
//! transaction.

use crate::entities::{certificate, monitoring, plan};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use yorisoi_domain::assessment::AssessmentMethod;
use yorisoi_domain::case::CaseEvent;
use yorisoi_domain::monitoring::schedule::{Schedule, Term, schedule};
use yorisoi_domain::monitoring::{MonitoringMethod, MonitoringRecord, Outcome};
use yorisoi_domain::plan::{PlanRecord, PlanState};
use yorisoi_domain::policy::{Action, RecordKind};

const KIND: RecordKind = RecordKind::Monitoring;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Monitoring {
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub plan_id: i64,
    pub record: MonitoringRecord,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

fn decode(m: monitoring::Model) -> Result<Monitoring> {
    Ok(Monitoring {
        record: serde_json::from_str(&m.body).map_err(|e| corrupt("monitoring", &e.to_string()))?,
        id: m.id,
        case_id: m.case_id,
        client_id: m.client_id,
        plan_id: m.plan_id,
        version: m.version,
        updated_at: m.updated_at,
    })
}

fn encode(r: &MonitoringRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| corrupt("monitoring", &e.to_string()))
}

/// Access to the monitorings of the client the report `id` belongs to.
pub async fn access(tx: &mut Tx, id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = monitoring::Entity::find_by_id(id)
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|m| m.client_id)
        .ok_or(StoreError::NotFound)?;
    tx.client_access(client_id, KIND, action).await
}

/// Access to the monitorings of the client of case `case_id`.
pub async fn access_case(tx: &mut Tx, case_id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = crate::cases::client_of(tx, case_id).await?;
    tx.client_access(client_id, KIND, action).await
}

/// A case whose due months are wanted: (case, client, closed on).
pub(crate) type CaseKey = (i64, i64, Option<NaiveDate>);

/// The due months of many cases, read in three set queries whatever their number: the clients'
/// certificates, the date of each case's first final plan (monitoring counts from there), and
/// the monitorings recorded since `since` (all when None). The single source of the schedule
/// for the case page and the dashboard.
pub(crate) async fn schedules(
    tx: &Tx,
    cases: &[CaseKey],
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<HashMap<i64, Schedule>> {
    schedules_in(tx, tx.office_id(), cases, since, today).await
}

/// [`schedules`] of another office's cases: only for figures that leave no case behind (a
/// region's counts, asked through its own policy check).
pub(crate) async fn schedules_in(
    tx: &Tx,
    office: i64,
    cases: &[CaseKey],
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<HashMap<i64, Schedule>> {
    let case_ids = || cases.iter().map(|c| c.0);
    let mut terms: HashMap<i64, Vec<Term>> = HashMap::new();
    for m in certificate::Entity::find()
        .filter(certificate::Column::OfficeId.eq(office))
        .filter(certificate::Column::ClientId.is_in(cases.iter().map(|c| c.1)))
        .all(tx.conn())
        .await?
    {
        let client = m.client_id;
        let c = crate::certificates::from_model(m)?;
        terms
            .entry(client)
            .or_default()
            .push(Term::of(c.id, &c.record));
    }
    let finals: Vec<(i64, i32, NaiveDate, Option<NaiveDate>)> = plan::Entity::find()
        .select_only()
        .columns([
            plan::Column::CaseId,
            plan::Column::VersionNo,
            plan::Column::DraftedOn,
            plan::Column::DecidedOn,
        ])
        .filter(plan::Column::OfficeId.eq(office))
        .filter(plan::Column::CaseId.is_in(case_ids()))
        .filter(plan::Column::State.eq(PlanState::Final.code()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut plan_from: HashMap<i64, (i32, NaiveDate)> = HashMap::new();
    for (case_id, v, drafted, decided) in finals {
        let on = decided.unwrap_or(drafted);
        let e = plan_from.entry(case_id).or_insert((v, on));
        if v < e.0 {
            *e = (v, on);
        }
    }
    let mut q = monitoring::Entity::find()
        .select_only()
        .columns([monitoring::Column::CaseId, monitoring::Column::MonitoredOn])
        .filter(monitoring::Column::OfficeId.eq(office))
        .filter(monitoring::Column::CaseId.is_in(case_ids()));
    if let Some(since) = since {
        q = q.filter(monitoring::Column::MonitoredOn.gte(since));
    }
    let mut done: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for (case_id, on) in q.into_tuple::<(i64, NaiveDate)>().all(tx.conn()).await? {
        done.entry(case_id).or_default().push(on);
    }
    Ok(cases
        .iter()
        .map(|(case_id, client_id, closed_on)| {
            let s = schedule(
                terms.get(client_id).map(Vec::as_slice).unwrap_or(&[]),
                plan_from.get(case_id).map(|x| x.1),
                *closed_on,
                done.get(case_id).map(Vec::as_slice).unwrap_or(&[]),
                today,
            );
            (*case_id, s)
        })
        .collect())
}

/// The final plan in force for the case (its newest final version), if any.
pub async fn plan_in_force(
    tx: &Tx,
    a: &ClientAccess,
    case_id: i64,
) -> Result<Option<(i64, PlanRecord)>> {
    a.check(KIND, Action::Read)?;
    let m = plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(a.client_id))
        .filter(plan::Column::CaseId.eq(case_id))
        .filter(plan::Column::State.eq(PlanState::Final.code()))
        .order_by_desc(plan::Column::VersionNo)
        .one(tx.conn())
        .await?;
    m.map(|m| Ok((m.id, crate::plans::decode(&m)?))).transpose()
}

/// The final plan a report is written against, or the rule that there is none yet.
pub async fn plan_to_monitor(tx: &Tx, a: &ClientAccess, case_id: i64) -> Result<(i64, PlanRecord)> {
    plan_in_force(tx, a, case_id).await?.ok_or_else(|| {
        StoreError::Rule("本計画がまだありません。モニタリングは本計画のあとに記録します。".into())
    })
}

/// The case's reports, newest first (the read is logged).
pub async fn list(tx: &mut Tx, a: &ClientAccess, case_id: i64) -> Result<Vec<Monitoring>> {
    a.check(KIND, Action::Read)?;
    let rows = monitoring::Entity::find()
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.eq(a.client_id))
        .filter(monitoring::Column::CaseId.eq(case_id))
        .order_by_desc(monitoring::Column::MonitoredOn)
        .order_by_desc(monitoring::Column::Id)
        .all(tx.conn())
        .await?;
    tx.record(
        "list",
        KIND,
        None,
        Some(a.client_id),
        format!("case {case_id}"),
    );
    rows.into_iter().map(decode).collect()
}

/// The case's due months as of `today`.
pub async fn case_schedule(
    tx: &Tx,
    a: &ClientAccess,
    case_id: i64,
    today: NaiveDate,
) -> Result<Schedule> {
    a.check(KIND, Action::Read)?;
    let c = crate::cases::case_of(tx, a, case_id).await?;
    Ok(
        schedules(tx, &[(case_id, a.client_id, c.closed_on)], None, today)
            .await?
            .remove(&case_id)
            .unwrap_or_default(),
    )
}

pub async fn get(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Monitoring> {
    a.check(KIND, Action::Read)?;
    let m = monitoring::Entity::find_by_id(id)
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "");
    decode(m)
}

/// The report before `on` in the case (for comparison), other than `except`.
pub async fn previous(
    tx: &Tx,
    a: &ClientAccess,
    case_id: i64,
    on: NaiveDate,
    except: Option<i64>,
) -> Result<Option<Monitoring>> {
    a.check(KIND, Action::Read)?;
    let mut q = monitoring::Entity::find()
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.eq(a.client_id))
        .filter(monitoring::Column::CaseId.eq(case_id))
        .filter(monitoring::Column::MonitoredOn.lte(on));
    if let Some(x) = except {
        q = q.filter(monitoring::Column::Id.ne(x));
    }
    q.order_by_desc(monitoring::Column::MonitoredOn)
        .order_by_desc(monitoring::Column::Id)
        .one(tx.conn())
        .await?
        .map(decode)
        .transpose()
}

/// What the outcome sets going: 再アセスメント opens the next assessment version (once) and the
/// case moves on through the cycle where it allows.
async fn follow_outcome(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    r: &mut MonitoringRecord,
) -> Result<()> {
    crate::cases::follow(tx, a.client_id, case_id, CaseEvent::MonitoringRecorded).await?;
    if r.outcome == Outcome::Reassess && r.reassessment_id.is_none() {
        let acc = tx
            .client_access(a.client_id, RecordKind::Assessment, Action::Write)
            .await?;
        let method = match r.method {
            MonitoringMethod::HomeVisit => AssessmentMethod::HomeVisit,
            MonitoringMethod::Office => AssessmentMethod::Office,
            MonitoringMethod::Other => AssessmentMethod::Other,
        };
        // A re-assessment that cannot be opened (e.g. dated before the last version) is a
        // refusal of the outcome chosen.
        let id =
            crate::assessments::start(tx, &acc, case_id, r.monitored_on, method, r.present.clone())
                .await
                .map_err(|e| match e {
                    StoreError::Rule(m) => StoreError::field("outcome", m),
                    other => other,
                })?;
        r.reassessment_id = Some(id);
        crate::cases::follow(tx, a.client_id, case_id, CaseEvent::ReassessmentCalled).await?;
    }
    Ok(())
}

/// Records a report against the final plan in force; returns its id.
pub async fn create(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    r: &MonitoringRecord,
) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    crate::cases::open_case(tx, a, case_id).await?;
    let (plan_id, _) = plan_to_monitor(tx, a, case_id).await?;
    let mut r = r.clone();
    r.reassessment_id = None;
    follow_outcome(tx, a, case_id, &mut r).await?;
    let now = now_utc();
    let m = monitoring::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        case_id: Set(case_id),
        plan_id: Set(plan_id),
        monitored_on: Set(r.monitored_on),
        outcome: Set(r.outcome.code().into()),
        body: Set(encode(&r)?),
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
        format!("case {case_id} {}", r.outcome.code()),
    );
    Ok(m.id)
}

/// Saves an edit made from `version`; the assessment a 再アセスメント outcome opened stays.
pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &MonitoringRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let current = monitoring::Entity::find_by_id(id)
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    crate::cases::open_case(tx, a, current.case_id).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    let mut r = r.clone();
    r.reassessment_id = decode(current.clone())?.record.reassessment_id;
    follow_outcome(tx, a, current.case_id, &mut r).await?;
    let res = monitoring::Entity::update_many()
        .set(monitoring::ActiveModel {
            monitored_on: Set(r.monitored_on),
            outcome: Set(r.outcome.code().into()),
            body: Set(encode(&r)?),
            updated_by: Set(tx.actor().user_id),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(monitoring::Column::Id.eq(id))
        .filter(monitoring::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update",
        KIND,
        Some(id),
        Some(a.client_id),
        r.outcome.code(),
    );
    Ok(version + 1)
}

/// Monitorings between `from` and `until` of the clients assigned to `staff_id`, oldest first,
/// for a batch print. Candidates only: the caller opens each through [`access`].
pub async fn of_staff_between(
    tx: &Tx,
    staff_id: i64,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<i64>> {
    use crate::entities::client;
    use sea_orm::QuerySelect;
    let clients: Vec<i64> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::AssignedUserId.eq(staff_id))
        .into_tuple()
        .all(tx.conn())
        .await?;
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    Ok(monitoring::Entity::find()
        .select_only()
        .column(monitoring::Column::Id)
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.is_in(clients))
        .filter(monitoring::Column::MonitoredOn.between(from, until))
        .order_by_asc(monitoring::Column::MonitoredOn)
        .order_by_asc(monitoring::Column::Id)
        .into_tuple()
        .all(tx.conn())
        .await?)
}
