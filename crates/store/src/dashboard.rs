//! The morning dashboard (ホーム): what is due across the clients the actor may see, read in a
//! fixed number of set queries (clients, open cases, certificates, plans, monitorings, meetings)
//! whatever the caseload, so it stays fast for a whole office. Every client passes the one
//! authorization check before anything of theirs is shown.

use crate::entities::{case, client, decision, meeting, plan};
use crate::{Result, Tx};
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use yorisoi_domain::certificate::YearMonth;
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::monitoring::schedule::DueState;
use yorisoi_domain::plan::{PlanState, fee_checklist};
use yorisoi_domain::policy::{self, Action, RecordKind, Target};

/// (id, family name, given name, assigned staff, certificate end) as read for the dashboard.
type ClientRow = (i64, String, String, Option<i64>, Option<NaiveDate>);

/// How far back an unrecorded month still counts as overdue on the dashboard.
const OVERDUE_MONTHS: i32 = 12;
/// Certificates ending within this many days need a renewal plan (更新の計画).
pub const RENEWAL_DAYS: i64 = 90;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ClientRef {
    pub client_id: i64,
    pub name: String,
    pub staff: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DueItem {
    pub client: ClientRef,
    pub case_id: i64,
    pub month: YearMonth,
    pub state: DueState,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateItem {
    pub client: ClientRef,
    pub until: NaiveDate,
    pub days_left: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PlanItem {
    pub client: ClientRef,
    pub plan_id: i64,
    pub version_no: i32,
    pub state: PlanState,
    pub missing: Vec<&'static str>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingItem {
    pub client: ClientRef,
    pub meeting_id: i64,
    pub held_on: NaiveDate,
}

/// A 意思決定支援 record whose follow-up (the next meeting, the look back) is near or past.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FollowUpItem {
    pub client: ClientRef,
    pub decision_id: i64,
    pub question: String,
    pub follow_up_on: NaiveDate,
}

/// Follow-ups within this many days are listed (past ones always).
pub const FOLLOW_UP_DAYS: i64 = 14;

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct StaffCount {
    pub clients: usize,
    pub due: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub due: Vec<DueItem>,
    pub overdue: Vec<DueItem>,
    pub certificates: Vec<CertificateItem>,
    pub plans: Vec<PlanItem>,
    pub meetings: Vec<MeetingItem>,
    pub follow_ups: Vec<FollowUpItem>,
    /// Open cases of the clients shown, per stage, in the cycle's order.
    pub open_by_stage: Vec<(yorisoi_domain::case::CaseStage, usize)>,
    /// Per assigned staff member (None: unassigned), for the office view.
    pub staff: Vec<(Option<i64>, StaffCount)>,
}

impl Dashboard {
    /// Every client the dashboard names (for the audit log).
    pub fn shown_clients(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .due
            .iter()
            .chain(&self.overdue)
            .map(|i| i.client.client_id)
            .chain(self.certificates.iter().map(|i| i.client.client_id))
            .chain(self.plans.iter().map(|i| i.client.client_id))
            .chain(self.meetings.iter().map(|i| i.client.client_id))
            .chain(self.follow_ups.iter().map(|i| i.client.client_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn may(tx: &Tx, kind: RecordKind, staff: Option<i64>) -> bool {
    policy::authorize(
        tx.actor(),
        kind,
        Action::Read,
        &Target {
            office_id: tx.office_id(),
            assigned_to: staff,
        },
    )
    .is_ok()
}

/// Who sees which dashboard: (office, user, role, staff filter, day).
type CacheKey = (i64, i64, &'static str, Option<i64>, NaiveDate);

/// Built dashboards with the office `data_version` they were built at. A dashboard depends only
/// on the office's data, the viewer and the day, so while no unit of work of the office has
/// written since, it is the same — and an office of 2,000 clients need not be read again on
/// every page view (BENCHMARKS.md).
#[derive(Clone, Debug, Default)]
pub struct Cache {
    built: Shared<HashMap<CacheKey, (i64, Arc<Dashboard>)>>,
    /// One builder per key at a time: after a write, the viewers who arrive together wait for
    /// one build instead of each reading the whole office.
    building: Shared<HashMap<CacheKey, Arc<tokio::sync::Mutex<()>>>>,
}

type Shared<T> = Arc<std::sync::Mutex<T>>;

/// Entries kept before the cache starts over (a few per user of a deployment).
const CACHE_ENTRIES: usize = 512;

impl Cache {
    fn get(&self, key: &CacheKey, version: i64) -> Option<Arc<Dashboard>> {
        let g = self.built.lock().ok()?;
        g.get(key)
            .filter(|(v, _)| *v == version)
            .map(|(_, d)| d.clone())
    }
    fn put(&self, key: CacheKey, version: i64, d: Arc<Dashboard>) {
        if let Ok(mut g) = self.built.lock() {
            if g.len() >= CACHE_ENTRIES {
                g.clear();
            }
            g.insert(key, (version, d));
        }
    }
    fn builder(&self, key: &CacheKey) -> Arc<tokio::sync::Mutex<()>> {
        match self.building.lock() {
            Ok(mut g) => {
                if g.len() >= CACHE_ENTRIES {
                    g.clear();
                }
                g.entry(*key).or_default().clone()
            }
            Err(_) => Default::default(),
        }
    }
}

/// The dashboard as of `today`: for a specialist their own clients, for a lead or admin the
/// whole office (or one staff member's clients with `staff`). Served from the cache when the
/// office's data has not changed since it was built (a dashboard is kept under the version seen
/// before it was read, so it is never older than the version it is served at); the view is
/// audited either way.
pub async fn build(tx: &mut Tx, today: NaiveDate, staff: Option<i64>) -> Result<Arc<Dashboard>> {
    let d = if tx.is_read_unit() {
        cached(tx, today, staff).await?
    } else {
        // A write unit reads its own uncommitted rows: never a cached dashboard, nor kept.
        Arc::new(compute(tx, today, staff).await?)
    };
    tx.record(
        "dashboard",
        RecordKind::Monitoring,
        None,
        None,
        format!(
            "対象 {}人 {}",
            d.staff.iter().map(|s| s.1.clients).sum::<usize>(),
            crate::audit::shown(d.shown_clients())
        ),
    );
    Ok(d)
}

/// A read unit's dashboard: from the cache while the office's version stands, else built and
/// kept.
async fn cached(tx: &Tx, today: NaiveDate, staff: Option<i64>) -> Result<Arc<Dashboard>> {
    // The version this request's session lookup saw saves a statement (`crate::seen`).
    let version: i64 = match tx.seen_version() {
        Some(v) => v,
        None => crate::entities::office::Entity::find_by_id(tx.office_id())
            .select_only()
            .column(crate::entities::office::Column::DataVersion)
            .into_tuple()
            .one(tx.conn())
            .await?
            .ok_or(crate::StoreError::NotFound)?,
    };
    let a = *tx.actor();
    let key = (a.office_id, a.user_id, a.role.code(), staff, today);
    Ok(match tx.dashboards.get(&key, version) {
        Some(d) => d,
        None => {
            let lock = tx.dashboards.builder(&key);
            let _turn = lock.lock().await;
            // Someone may have built it while this one waited.
            match tx.dashboards.get(&key, version) {
                Some(d) => d,
                None => {
                    let d = Arc::new(compute(tx, today, staff).await?);
                    tx.dashboards.put(key, version, d.clone());
                    d
                }
            }
        }
    })
}

async fn compute(tx: &Tx, today: NaiveDate, staff: Option<i64>) -> Result<Dashboard> {
    tx.staff_only()?;
    let mut q = client::Entity::find()
        .select_only()
        .columns([
            client::Column::Id,
            client::Column::FamilyName,
            client::Column::GivenName,
            client::Column::AssignedUserId,
            client::Column::CertUntil,
        ])
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Status.ne(ClientStatus::Closed.code()));
    if !policy::sees_whole_office(tx.actor().role) {
        q = q.filter(client::Column::AssignedUserId.eq(tx.actor().user_id));
    } else if let Some(s) = staff {
        q = q.filter(client::Column::AssignedUserId.eq(s));
    }
    let rows: Vec<ClientRow> = q.into_tuple().all(tx.conn()).await?;
    let mut d = Dashboard::default();
    let mut clients: HashMap<i64, ClientRef> = HashMap::new();
    let mut counts: HashMap<Option<i64>, StaffCount> = HashMap::new();
    for (id, family, given, assigned, cert_until) in rows {
        let c = ClientRef {
            client_id: id,
            name: format!("{family} {given}"),
            staff: assigned,
        };
        if !may(tx, RecordKind::Ledger, assigned) {
            continue;
        }
        counts.entry(assigned).or_default().clients += 1;
        if may(tx, RecordKind::Certificate, assigned)
            && let Some(u) = cert_until
            && u <= today + Duration::days(RENEWAL_DAYS)
        {
            d.certificates.push(CertificateItem {
                client: c.clone(),
                until: u,
                days_left: (u - today).num_days(),
            });
        }
        if may(tx, RecordKind::Monitoring, assigned) {
            clients.insert(id, c);
        }
    }
    d.certificates.sort_by_key(|c| c.until);
    let ids: Vec<i64> = clients.keys().copied().collect();
    if !ids.is_empty() {
        cases_part(tx, today, &clients, &ids, &mut d, &mut counts).await?;
    }
    let mut staff: Vec<(Option<i64>, StaffCount)> = counts.into_iter().collect();
    staff.sort_by_key(|(s, _)| (s.is_none(), *s));
    d.staff = staff;
    Ok(d)
}

async fn cases_part(
    tx: &Tx,
    today: NaiveDate,
    clients: &HashMap<i64, ClientRef>,
    ids: &[i64],
    d: &mut Dashboard,
    counts: &mut HashMap<Option<i64>, StaffCount>,
) -> Result<()> {
    let office = tx.office_id();
    let rows: Vec<(i64, i64, String)> = case::Entity::find()
        .select_only()
        .columns([
            case::Column::Id,
            case::Column::ClientId,
            case::Column::Stage,
        ])
        .filter(case::Column::OfficeId.eq(office))
        .filter(case::Column::ClientId.is_in(ids.iter().copied()))
        .filter(case::Column::ClosedOn.is_null())
        .into_tuple()
        .all(tx.conn())
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    use yorisoi_domain::case::CaseStage;
    let mut by_stage: HashMap<CaseStage, usize> = HashMap::new();
    for (_, _, stage) in &rows {
        if let Some(s) = CaseStage::from_code(stage) {
            *by_stage.entry(s).or_default() += 1;
        }
    }
    d.open_by_stage = CaseStage::ALL
        .iter()
        .filter_map(|s| by_stage.get(s).map(|n| (*s, *n)))
        .collect();
    let cases: Vec<(i64, i64)> = rows.into_iter().map(|(id, c, _)| (id, c)).collect();
    let case_ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
    // Newest plan version of each case (light columns; bodies only for those, below).
    let plans: Vec<(i64, i64, i32)> = plan::Entity::find()
        .select_only()
        .columns([
            plan::Column::Id,
            plan::Column::CaseId,
            plan::Column::VersionNo,
        ])
        .filter(plan::Column::OfficeId.eq(office))
        .filter(plan::Column::CaseId.is_in(case_ids.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut latest: HashMap<i64, (i32, i64)> = HashMap::new();
    for (id, case_id, v) in plans {
        let l = latest.entry(case_id).or_insert((v, id));
        if v > l.0 {
            *l = (v, id);
        }
    }
    let this = YearMonth::of(today);
    let oldest = this.plus(-OVERDUE_MONTHS);
    let keys: Vec<crate::monitorings::CaseKey> = cases
        .iter()
        .map(|(c, client)| (*c, *client, None))
        .collect();
    let schedules = crate::monitorings::schedules(tx, &keys, oldest.first_day(), today).await?;
    for (case_id, client_id) in &cases {
        let (Some(c), Some(s)) = (clients.get(client_id), schedules.get(case_id)) else {
            continue;
        };
        for m in &s.months {
            let item = || DueItem {
                client: c.clone(),
                case_id: *case_id,
                month: m.month,
                state: m.state,
            };
            match m.state {
                DueState::Due => {
                    counts.entry(c.staff).or_default().due += 1;
                    d.due.push(item());
                }
                DueState::Overdue if m.month >= oldest => {
                    counts.entry(c.staff).or_default().overdue += 1;
                    d.overdue.push(item());
                }
                _ => {}
            }
        }
    }
    d.overdue.sort_by(|a, b| {
        a.month
            .cmp(&b.month)
            .then(a.client.name.cmp(&b.client.name))
    });
    d.due.sort_by(|a, b| a.client.name.cmp(&b.client.name));
    // The newest plan of each open case: the fee steps still missing.
    let latest_ids: Vec<i64> = latest.values().map(|x| x.1).collect();
    let held: HashSet<i64> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::PlanId)
        .filter(meeting::Column::OfficeId.eq(office))
        .filter(meeting::Column::PlanId.is_in(latest_ids.iter().copied()))
        .filter(meeting::Column::Held.eq(true))
        .into_tuple::<i64>()
        .all(tx.conn())
        .await?
        .into_iter()
        .collect();
    let bodies = plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(office))
        .filter(plan::Column::Id.is_in(latest_ids.iter().copied()))
        .all(tx.conn())
        .await?;
    for m in bodies {
        let Some(c) = clients.get(&m.client_id) else {
            continue;
        };
        let r = crate::plans::decode(&m)?;
        let missing: Vec<&'static str> = fee_checklist(&r, held.contains(&m.id))
            .into_iter()
            .filter(|s| !s.done)
            .map(|s| s.label)
            .collect();
        if missing.is_empty() {
            continue;
        }
        d.plans.push(PlanItem {
            client: c.clone(),
            plan_id: m.id,
            version_no: m.version_no,
            state: PlanState::from_code(&m.state).unwrap_or(PlanState::Draft),
            missing,
        });
    }
    d.plans.sort_by(|a, b| a.client.name.cmp(&b.client.name));
    // Meetings not yet held, from today to a week ahead.
    let week_end = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let meetings: Vec<(i64, i64, NaiveDate)> = meeting::Entity::find()
        .select_only()
        .columns([
            meeting::Column::Id,
            meeting::Column::ClientId,
            meeting::Column::HeldOn,
        ])
        .filter(meeting::Column::OfficeId.eq(office))
        .filter(meeting::Column::CaseId.is_in(case_ids.iter().copied()))
        .filter(meeting::Column::Held.eq(false))
        .filter(meeting::Column::HeldOn.gte(today))
        .filter(meeting::Column::HeldOn.lte(week_end.max(today + Duration::days(6))))
        .into_tuple()
        .all(tx.conn())
        .await?;
    for (id, client_id, held_on) in meetings {
        if let Some(c) = clients.get(&client_id) {
            d.meetings.push(MeetingItem {
                client: c.clone(),
                meeting_id: id,
                held_on,
            });
        }
    }
    d.meetings.sort_by_key(|m| m.held_on);
    // 意思決定支援 follow-ups up to two weeks ahead, on the (office, follow_up_on) index.
    let follow_ups: Vec<(i64, i64, String, Option<NaiveDate>)> = decision::Entity::find()
        .select_only()
        .columns([
            decision::Column::Id,
            decision::Column::ClientId,
            decision::Column::Question,
            decision::Column::FollowUpOn,
        ])
        .filter(decision::Column::OfficeId.eq(office))
        .filter(decision::Column::FollowUpOn.lte(today + Duration::days(FOLLOW_UP_DAYS)))
        .filter(decision::Column::CaseId.is_in(case_ids.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    for (id, client_id, question, on) in follow_ups {
        if let (Some(c), Some(on)) = (clients.get(&client_id), on)
            && may(tx, RecordKind::DecisionSupport, c.staff)
        {
            d.follow_ups.push(FollowUpItem {
                client: c.clone(),
                decision_id: id,
                question,
                follow_up_on: on,
            });
        }
    }
    d.follow_ups.sort_by_key(|f| f.follow_up_on);
    Ok(())
}
