//! A region (DOMAIN.md §3.13a): an office runs it (基幹相談支援センター, the 協議会's secretariat)
//! and other offices join it. Its secretariat sees the 地域課題 the offices released and figures
//! across them under the disclosure rules ([`yorisoi_domain::disclosure`]) — never a case, a
//! client, a name or an unreleased text — and records where each issue stands in the council.
//! An office's own council paper uses the same figures with the office's rules.
//!
//! Every function asks the policy first ([`RecordKind::RegionView`] for the region,
//! [`RecordKind::RegionalIssue`] for an office's own paper) and is audited. The queries here
//! read other offices' rows on purpose; each returns only counts under the rules, or the
//! released text.

use crate::entities::{
    case, client, office, plan, region, region_office, regional_issue as issue,
    regional_issue_case as link, user,
};
use crate::{Result, StoreError, Tx, corrupt, now_utc, split_codes, today_jst};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use yorisoi_domain::client::DisabilityKind;
use yorisoi_domain::disclosure::{self, Cell, Counted, Hidden, Rules, Table};
use yorisoi_domain::monitoring::schedule::DueState;
use yorisoi_domain::plan::PlanState;
use yorisoi_domain::policy::{Action, RecordKind, Role};
use yorisoi_domain::region::{CouncilRecord, IssueCategory, IssueStatus, age_band};

const KIND: RecordKind = RecordKind::RegionView;
const MEMBERSHIP: RecordKind = RecordKind::RegionMembership;

/// The region an office runs, with the offices that joined it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Region {
    pub id: i64,
    pub name: String,
    pub members: Vec<Member>,
    pub version: i32,
}

/// An office that joined a region.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionMember)]
pub struct Member {
    pub office_id: i64,
    pub office: String,
    /// The 地区 the office belongs to ("" when it gave none).
    pub area: String,
    pub joined_on: NaiveDate,
}

/// A region an office's admin may join, and whether the office has.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Joinable {
    pub id: i64,
    pub name: String,
    /// The office that runs it.
    pub secretariat: String,
    pub joined: bool,
    pub area: String,
}

/// What the region's pages filter by. The area (地区) is the one filter that narrows the
/// offices: the third dimension of a table, at most.
#[derive(Debug, Clone)]
pub struct RegionQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area: Option<String>,
    pub category: Option<IssueCategory>,
    pub status: Option<IssueStatus>,
    pub q: String,
}

/// A released 地域課題 as the region sees it: the released text and the office that raised it;
/// the people behind it only as a figure under the rules, never a case.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RegionIssue {
    pub id: i64,
    pub office: String,
    pub office_area: String,
    pub title: String,
    pub category: IssueCategory,
    pub status: IssueStatus,
    pub need: String,
    pub resource: String,
    pub area: String,
    pub raised_on: NaiveDate,
    pub released_on: NaiveDate,
    /// How many people it concerns (hidden under 10).
    pub people: Cell,
    /// What the council asked back or decided, as the secretariat recorded it.
    pub council_reply: String,
    pub council_on: Option<NaiveDate>,
    pub version: i32,
}

/// One figure of the office statistics, with its unit, or why it is hidden.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionStat)]
pub struct Stat {
    pub label: String,
    /// The figure as printed ("12", "3.5", "83%"), when shown.
    pub value: Option<String>,
    pub hidden: Option<Hidden>,
}

impl Stat {
    fn of(label: &str, cell: Cell, unit: &str) -> Self {
        Stat {
            label: label.into(),
            value: cell.value.map(|v| format!("{v}{unit}")),
            hidden: cell.hidden,
        }
    }
    /// A ratio of two figures, shown only when both are.
    fn ratio(label: &str, num: Cell, den: Cell, percent: bool) -> Self {
        let value = match (num.value, den.value) {
            (Some(n), Some(d)) if d > 0 => Some(if percent {
                format!("{}%", (n * 100 + d / 2) / d)
            } else {
                format!("{:.1}", n as f64 / d as f64)
            }),
            (Some(_), Some(_)) => Some("—".into()),
            _ => None,
        };
        let hidden = match value {
            Some(_) => None,
            None => num.hidden.or(den.hidden),
        };
        Stat {
            label: label.into(),
            value,
            hidden,
        }
    }
}

/// Released issues counted by category: raised in the period, and resolved by its end.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CategoryCount {
    pub category: IssueCategory,
    pub raised: i64,
    pub resolved: i64,
}

/// The figures of a period: 実人員 by 障害種別 × 年齢階級, the office statistics, and the
/// released issues by category. `offices` is how many offices the figures come from.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionFigures)]
pub struct Figures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area: Option<String>,
    pub offices: usize,
    pub people: Table,
    pub stats: Vec<Stat>,
    pub categories: Vec<CategoryCount>,
    /// The issues by category are not shown: from fewer offices than the rule.
    pub categories_withheld: bool,
    /// True when nothing at all was found for the period (an empty report says so).
    pub empty: bool,
}

async fn own(tx: &Tx) -> Result<region::Model> {
    region::Entity::find()
        .filter(region::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

async fn members_of(tx: &Tx, region_id: i64) -> Result<Vec<Member>> {
    let rows = region_office::Entity::find()
        .filter(region_office::Column::RegionId.eq(region_id))
        .order_by_asc(region_office::Column::Area)
        .order_by_asc(region_office::Column::Id)
        .all(tx.conn())
        .await?;
    let names: HashMap<i64, String> = office::Entity::find()
        .filter(office::Column::Id.is_in(rows.iter().map(|r| r.office_id)))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| Member {
            office_id: r.office_id,
            office: names.get(&r.office_id).cloned().unwrap_or_default(),
            area: r.area,
            joined_on: r.joined_on,
        })
        .collect())
}

/// The region the actor's office runs, if it runs one.
pub async fn mine(tx: &mut Tx) -> Result<Option<Region>> {
    tx.office_access(KIND, Action::Read)?;
    let Some(r) = region::Entity::find()
        .filter(region::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    let members = members_of(tx, r.id).await?;
    tx.record(
        "read",
        KIND,
        Some(r.id),
        None,
        format!("offices={}", members.len()),
    );
    Ok(Some(Region {
        id: r.id,
        name: r.name,
        members,
        version: r.version,
    }))
}

/// Starts the region the actor's office runs (one per office).
pub async fn create(tx: &mut Tx, name: &str) -> Result<i64> {
    tx.office_access(MEMBERSHIP, Action::Write)?;
    if own(tx).await.is_ok() {
        return Err(StoreError::Rule(
            "この事業所はすでに地域の事務局です。名前は地域の画面で確かめてください。".into(),
        ));
    }
    let m = region::ActiveModel {
        office_id: Set(tx.office_id()),
        name: Set(name.to_string()),
        created_by: Set(tx.actor().user_id),
        version: Set(1),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record("create", MEMBERSHIP, Some(m.id), None, name.to_string());
    Ok(m.id)
}

/// Every region of the deployment (names only) and whether the actor's office joined it: what
/// an office's admin chooses from.
pub async fn joinable(tx: &mut Tx) -> Result<Vec<Joinable>> {
    tx.office_access(MEMBERSHIP, Action::Write)?;
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Id)
        .all(tx.conn())
        .await?;
    let mine: HashMap<i64, String> = region_office::Entity::find()
        .filter(region_office::Column::OfficeId.eq(tx.office_id()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| (m.region_id, m.area))
        .collect();
    let names: HashMap<i64, String> = office::Entity::find()
        .filter(office::Column::Id.is_in(regions.iter().map(|r| r.office_id)))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(regions
        .into_iter()
        .map(|r| Joinable {
            id: r.id,
            secretariat: names.get(&r.office_id).cloned().unwrap_or_default(),
            joined: mine.contains_key(&r.id),
            area: mine.get(&r.id).cloned().unwrap_or_default(),
            name: r.name,
        })
        .collect())
}

/// The actor's office joins the region (or changes its 地区 there): from now on the region's
/// secretariat sees the issues it releases and counts its people under the rules.
pub async fn join(tx: &mut Tx, region_id: i64, area: &str) -> Result<()> {
    tx.office_access(MEMBERSHIP, Action::Write)?;
    if region::Entity::find_by_id(region_id)
        .one(tx.conn())
        .await?
        .is_none()
    {
        return Err(StoreError::field(
            "region_id",
            "その地域は見つかりません。一覧から選び直してください。",
        ));
    }
    let existing = region_office::Entity::find()
        .filter(region_office::Column::RegionId.eq(region_id))
        .filter(region_office::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?;
    match existing {
        Some(m) => {
            let mut am: region_office::ActiveModel = m.into();
            am.area = Set(area.to_string());
            am.update(tx.conn()).await?;
        }
        None => {
            region_office::ActiveModel {
                region_id: Set(region_id),
                office_id: Set(tx.office_id()),
                area: Set(area.to_string()),
                joined_on: Set(today_jst()),
                joined_by: Set(tx.actor().user_id),
                created_at: Set(now_utc()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
        }
    }
    tx.record(
        "join",
        MEMBERSHIP,
        Some(region_id),
        None,
        format!("area={area}"),
    );
    Ok(())
}

/// The actor's office leaves the region: its issues and people leave the region's view at once.
pub async fn leave(tx: &mut Tx, region_id: i64) -> Result<()> {
    tx.office_access(MEMBERSHIP, Action::Write)?;
    let res = region_office::Entity::delete_many()
        .filter(region_office::Column::RegionId.eq(region_id))
        .filter(region_office::Column::OfficeId.eq(tx.office_id()))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    tx.record("leave", MEMBERSHIP, Some(region_id), None, "");
    Ok(())
}

/// The member offices in scope of the query's area, as (office id, name, area).
async fn scope(tx: &Tx, region_id: i64, area: Option<&str>) -> Result<Vec<Member>> {
    Ok(members_of(tx, region_id)
        .await?
        .into_iter()
        .filter(|m| area.is_none_or(|a| m.area == a))
        .collect())
}

/// The 地区 of the region's offices, for the filter.
pub async fn areas(tx: &mut Tx) -> Result<Vec<String>> {
    tx.office_access(KIND, Action::Read)?;
    let r = own(tx).await?;
    let set: BTreeSet<String> = members_of(tx, r.id)
        .await?
        .into_iter()
        .map(|m| m.area)
        .filter(|a| !a.is_empty())
        .collect();
    Ok(set.into_iter().collect())
}

fn status_of(m: &issue::Model) -> Result<(IssueCategory, IssueStatus)> {
    Ok((
        IssueCategory::from_code(&m.category).ok_or_else(|| corrupt("category", &m.category))?,
        IssueStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
    ))
}

/// The issues of `offices` merged into another (kept, but not an issue of their own any more).
async fn merged_ids(tx: &Tx, offices: &[i64]) -> Result<BTreeSet<i64>> {
    use crate::entities::regional_issue_followup as fu;
    Ok(fu::Entity::find()
        .select_only()
        .column(fu::Column::Id)
        .filter(fu::Column::OfficeId.is_in(offices.iter().copied()))
        .filter(fu::Column::MergedInto.is_not_null())
        .into_tuple::<i64>()
        .all(tx.conn())
        .await?
        .into_iter()
        .collect())
}

/// The distinct people behind each issue of `ids`.
async fn people_of(tx: &Tx, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = link::Entity::find()
        .select_only()
        .column(link::Column::IssueId)
        .column(link::Column::ClientId)
        .filter(link::Column::IssueId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut sets: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    for (issue, client) in rows {
        sets.entry(issue).or_default().insert(client);
    }
    Ok(sets.into_iter().map(|(k, v)| (k, v.len() as i64)).collect())
}

fn region_issue(m: issue::Model, member: &Member, people: i64) -> Result<Option<RegionIssue>> {
    let Some(released_on) = m.released_on else {
        return Ok(None);
    };
    let (category, status) = status_of(&m)?;
    let office: BTreeSet<i64> = [m.office_id].into_iter().collect();
    Ok(Some(RegionIssue {
        id: m.id,
        office: member.office.clone(),
        office_area: member.area.clone(),
        title: m.title,
        category,
        status,
        need: m.need,
        resource: m.resource,
        area: m.area,
        raised_on: m.raised_on,
        released_on,
        // The count is the releasing office's own (it released the issue to the council): the
        // 10-people rule applies, the offices rule cannot.
        people: disclosure::figure(people, &office, Rules::OFFICE),
        council_reply: m.council_reply,
        council_on: m.council_on,
        version: m.version,
    }))
}

/// The released issues of the region's offices (in the query's area), newest release first.
/// An issue whose text changed after its release is not released any more and is not here.
pub async fn issues(tx: &mut Tx, q: &RegionQuery) -> Result<Vec<RegionIssue>> {
    tx.office_access(KIND, Action::Read)?;
    let r = own(tx).await?;
    let members = scope(tx, r.id, q.area.as_deref()).await?;
    let by_office: HashMap<i64, &Member> = members.iter().map(|m| (m.office_id, m)).collect();
    let mut find = issue::Entity::find()
        .filter(issue::Column::OfficeId.is_in(by_office.keys().copied()))
        .filter(issue::Column::ReleasedOn.is_not_null());
    if let Some(c) = q.category {
        find = find.filter(issue::Column::Category.eq(c.code()));
    }
    if let Some(s) = q.status {
        find = find.filter(issue::Column::Status.eq(s.code()));
    }
    let rows = find
        .order_by_desc(issue::Column::ReleasedOn)
        .order_by_desc(issue::Column::Id)
        .all(tx.conn())
        .await?;
    let merged = merged_ids(tx, &by_office.keys().copied().collect::<Vec<_>>()).await?;
    let rows: Vec<issue::Model> = rows
        .into_iter()
        .filter(|m| !merged.contains(&m.id))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let people = people_of(tx, &ids).await?;
    let needle = yorisoi_domain::text::search_fold(&q.q);
    let mut out = Vec::new();
    for m in rows {
        if !needle.is_empty() {
            let hay = yorisoi_domain::text::search_fold(&format!(
                "{} {} {} {}",
                m.title, m.need, m.resource, m.area
            ));
            if !hay.contains(&needle) {
                continue;
            }
        }
        let Some(member) = by_office.get(&m.office_id) else {
            continue;
        };
        let n = people.get(&m.id).copied().unwrap_or(0);
        if let Some(i) = region_issue(m, member, n)? {
            out.push(i);
        }
    }
    tx.record(
        "list_issues",
        KIND,
        Some(r.id),
        None,
        format!(
            "area={} category={} status={} shown={}",
            q.area.as_deref().unwrap_or(""),
            q.category.map(|c| c.code()).unwrap_or(""),
            q.status.map(|s| s.code()).unwrap_or(""),
            out.len()
        ),
    );
    Ok(out)
}

/// One released issue of a member office (anything else is the same 404).
async fn find_released(tx: &Tx, region_id: i64, id: i64) -> Result<(issue::Model, Member)> {
    let m = issue::Entity::find_by_id(id)
        .filter(issue::Column::ReleasedOn.is_not_null())
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let member = scope(tx, region_id, None)
        .await?
        .into_iter()
        .find(|x| x.office_id == m.office_id)
        .ok_or(StoreError::NotFound)?;
    if merged_ids(tx, &[m.office_id]).await?.contains(&m.id) {
        return Err(StoreError::NotFound);
    }
    Ok((m, member))
}

pub async fn issue(tx: &mut Tx, id: i64) -> Result<RegionIssue> {
    tx.office_access(KIND, Action::Read)?;
    let r = own(tx).await?;
    let (m, member) = find_released(tx, r.id, id).await?;
    let n = people_of(tx, &[id]).await?.get(&id).copied().unwrap_or(0);
    let out = region_issue(m, &member, n)?.ok_or(StoreError::NotFound)?;
    tx.record(
        "read_issue",
        KIND,
        Some(id),
        None,
        format!("office={}", member.office_id),
    );
    Ok(out)
}

/// Records where a released issue stands in the council and what it asked back, from
/// `version` (409 when the office or the secretariat saved in between). The office reads it on
/// the issue's page and its dashboard.
pub async fn track(tx: &mut Tx, id: i64, version: i32, c: &CouncilRecord) -> Result<i32> {
    tx.office_access(KIND, Action::Write)?;
    let r = own(tx).await?;
    let (m, member) = find_released(tx, r.id, id).await?;
    if m.version != version {
        return Err(StoreError::Conflict);
    }
    let res = issue::Entity::update_many()
        .set(issue::ActiveModel {
            status: Set(c.status.code().into()),
            council_reply: Set(c.reply.clone()),
            council_on: Set(Some(today_jst())),
            council_by: Set(Some(tx.actor().user_id)),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(issue::Column::Id.eq(id))
        .filter(issue::Column::Version.eq(version))
        .filter(issue::Column::ReleasedOn.is_not_null())
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "track",
        KIND,
        Some(id),
        None,
        format!("office={} status={}", member.office_id, c.status.code()),
    );
    Ok(version + 1)
}

/// The raw counts of some offices over a period, before any rule.
struct RawFigures {
    people: Vec<Counted>,
    specialists: BTreeMap<i64, i64>,
    plans: disclosure::Raw,
    due: disclosure::Raw,
    done: disclosure::Raw,
    categories: Vec<CategoryCount>,
    raised: i64,
    resolved: i64,
}

/// Counts what `offices` did in `from..=to`: the people supported (a case open at any time in
/// the period), the specialists (主任 and 相談支援専門員, active now), final plans decided,
/// monitoring months due and done, and issues (all of them, or only released ones).
async fn raw_figures(
    tx: &Tx,
    offices: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    released_only: bool,
) -> Result<RawFigures> {
    let today = today_jst();
    let age_day = to.min(today);
    let cases: Vec<(i64, i64, i64, Option<NaiveDate>)> = case::Entity::find()
        .select_only()
        .columns([
            case::Column::Id,
            case::Column::OfficeId,
            case::Column::ClientId,
            case::Column::ClosedOn,
        ])
        .filter(case::Column::OfficeId.is_in(offices.iter().copied()))
        .filter(case::Column::OpenedOn.lte(to))
        .filter(
            Condition::any()
                .add(case::Column::ClosedOn.is_null())
                .add(case::Column::ClosedOn.gte(from)),
        )
        .into_tuple()
        .all(tx.conn())
        .await?;
    let clients: BTreeSet<i64> = cases.iter().map(|c| c.2).collect();
    let rows: Vec<(i64, i64, NaiveDate, String)> = client::Entity::find()
        .select_only()
        .columns([
            client::Column::Id,
            client::Column::OfficeId,
            client::Column::BirthDate,
            client::Column::DisabilityKinds,
        ])
        .filter(client::Column::OfficeId.is_in(offices.iter().copied()))
        .filter(client::Column::Id.is_in(clients.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let people = rows
        .iter()
        .map(|(_, office, birth, kinds)| Counted {
            office: *office,
            kinds: split_codes(kinds)
                .filter_map(DisabilityKind::from_code)
                .collect(),
            band: age_band(yorisoi_domain::date::age_on(*birth, age_day)),
        })
        .collect();
    let mut specialists: BTreeMap<i64, i64> = offices.iter().map(|o| (*o, 0)).collect();
    for office in user::Entity::find()
        .select_only()
        .column(user::Column::OfficeId)
        .filter(user::Column::OfficeId.is_in(offices.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Lead.code(), Role::Specialist.code()]))
        .into_tuple::<i64>()
        .all(tx.conn())
        .await?
    {
        *specialists.entry(office).or_insert(0) += 1;
    }
    let mut plans = disclosure::Raw::default();
    for (office, decided, drafted) in plan::Entity::find()
        .select_only()
        .columns([
            plan::Column::OfficeId,
            plan::Column::DecidedOn,
            plan::Column::DraftedOn,
        ])
        .filter(plan::Column::OfficeId.is_in(offices.iter().copied()))
        .filter(plan::Column::State.eq(PlanState::Final.code()))
        .into_tuple::<(i64, Option<NaiveDate>, NaiveDate)>()
        .all(tx.conn())
        .await?
    {
        if (from..=to).contains(&decided.unwrap_or(drafted)) {
            plans.add(office);
        }
    }
    // Monitoring months of the period up to this month: due, and done in their month.
    let (mut due, mut done) = (disclosure::Raw::default(), disclosure::Raw::default());
    let last = yorisoi_domain::certificate::YearMonth::of(to.min(today));
    let first = yorisoi_domain::certificate::YearMonth::of(from);
    for office in offices {
        let keys: Vec<crate::monitorings::CaseKey> = cases
            .iter()
            .filter(|c| c.1 == *office)
            .map(|c| (c.0, c.2, c.3))
            .collect();
        if keys.is_empty() {
            continue;
        }
        let schedules = crate::monitorings::schedules_in(tx, *office, &keys, None, today).await?;
        for s in schedules.values() {
            for m in &s.months {
                if m.month < first || m.month > last {
                    continue;
                }
                due.add(*office);
                if m.state == DueState::Done {
                    done.add(*office);
                }
            }
        }
    }
    let mut find =
        issue::Entity::find().filter(issue::Column::OfficeId.is_in(offices.iter().copied()));
    if released_only {
        find = find.filter(issue::Column::ReleasedOn.is_not_null());
    }
    let merged = merged_ids(tx, offices).await?;
    let mut categories: Vec<CategoryCount> = IssueCategory::ALL
        .iter()
        .map(|c| CategoryCount {
            category: *c,
            raised: 0,
            resolved: 0,
        })
        .collect();
    let (mut raised, mut resolved) = (0, 0);
    for m in find.all(tx.conn()).await? {
        if merged.contains(&m.id) {
            continue;
        }
        let (category, status) = status_of(&m)?;
        let Some(c) = categories.iter_mut().find(|c| c.category == category) else {
            continue;
        };
        if (from..=to).contains(&m.raised_on) {
            c.raised += 1;
            raised += 1;
        }
        if status == IssueStatus::Resolved && m.raised_on <= to {
            c.resolved += 1;
            resolved += 1;
        }
    }
    categories.retain(|c| c.raised > 0 || c.resolved > 0);
    Ok(RawFigures {
        people,
        specialists,
        plans,
        due,
        done,
        categories,
        raised,
        resolved,
    })
}

/// The rules applied to the raw counts of `n` offices.
fn apply(
    raw: RawFigures,
    n: usize,
    rules: Rules,
    q: (NaiveDate, NaiveDate, Option<String>),
) -> Figures {
    let people = disclosure::people_table(&raw.people, rules);
    let specialists: i64 = raw.specialists.values().sum();
    let alone = raw.specialists.values().filter(|n| **n == 1).count() as i64;
    let staff = disclosure::office_figure(specialists, n, rules);
    let plans = disclosure::primary(&raw.plans, rules);
    let due = disclosure::primary(&raw.due, rules);
    let done = disclosure::primary(&raw.done, rules);
    let mut stats = vec![Stat::of("相談支援専門員（主任を含む）", staff, "人")];
    if rules.min_offices > 1 {
        stats.push(Stat::of(
            "相談支援専門員が1人の事業所",
            disclosure::office_figure(alone, n, rules),
            "か所",
        ));
    }
    stats.extend([
        Stat::of("実人員（期間中に支援した人）", people.total, "人"),
        Stat::ratio(
            "相談支援専門員1人あたりの実人員",
            people.total,
            staff,
            false,
        ),
        Stat::of("本計画の作成", plans, "件"),
        Stat::of("モニタリング予定月（期間末または今月まで）", due, "件"),
        Stat::of("うち予定月に実施", done, "件"),
        Stat::ratio("予定月の実施率", done, due, true),
        Stat::of(
            "地域課題の提起（期間中）",
            disclosure::office_figure(raw.raised, n, rules),
            "件",
        ),
        Stat::of(
            "地域課題の解決（期間末まで）",
            disclosure::office_figure(raw.resolved, n, rules),
            "件",
        ),
    ]);
    // A figure of fewer offices than the rule is hidden whatever it is, 0 included: "none in
    // this 地区" is a figure about those offices too.
    if n < rules.min_offices {
        for s in &mut stats {
            s.value = None;
            s.hidden = Some(Hidden::FewOffices);
        }
    }
    let empty = raw.people.is_empty() && raw.raised == 0 && raw.plans.count == 0;
    // Issue counts by category name no person; a region still shows them only from enough
    // offices, so that no office's issues are counted alone.
    let categories_withheld = n < rules.min_offices;
    let categories = if categories_withheld {
        Vec::new()
    } else {
        raw.categories
    };
    Figures {
        from: q.0,
        to: q.1,
        area: q.2,
        offices: n,
        people,
        stats,
        categories,
        categories_withheld,
        empty,
    }
}

/// The region's figures for the query's period and area, under the region's rules (10
/// people, 3 offices, no line with one hidden figure).
pub async fn figures(tx: &mut Tx, q: &RegionQuery) -> Result<Figures> {
    tx.office_access(KIND, Action::Read)?;
    let r = own(tx).await?;
    let members = scope(tx, r.id, q.area.as_deref()).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.office_id).collect();
    let raw = raw_figures(tx, &ids, q.from, q.to, true).await?;
    tx.record(
        "figures",
        KIND,
        Some(r.id),
        None,
        format!(
            "{}..{} area={} offices={}",
            q.from,
            q.to,
            q.area.as_deref().unwrap_or(""),
            ids.len()
        ),
    );
    Ok(apply(
        raw,
        ids.len(),
        Rules::REGION,
        (q.from, q.to, q.area.clone()),
    ))
}

/// The office's own figures for its council paper (the 10-people rule; every figure is the
/// office's own).
pub async fn office_figures(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> Result<Figures> {
    tx.office_access(RecordKind::RegionalIssue, Action::Read)?;
    let raw = raw_figures(tx, &[tx.office_id()], from, to, false).await?;
    tx.record(
        "figures",
        RecordKind::RegionalIssue,
        None,
        None,
        format!("{from}..{to}"),
    );
    Ok(apply(raw, 1, Rules::OFFICE, (from, to, None)))
}

/// The office's released issues for its council paper, with the people behind each under the
/// 10-people rule: released on or before `to` and raised by then.
pub async fn office_released(tx: &mut Tx, to: NaiveDate) -> Result<Vec<RegionIssue>> {
    tx.office_access(RecordKind::RegionalIssue, Action::Read)?;
    let rows = issue::Entity::find()
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::ReleasedOn.lte(to))
        .filter(issue::Column::RaisedOn.lte(to))
        .order_by_asc(issue::Column::Category)
        .order_by_asc(issue::Column::RaisedOn)
        .order_by_asc(issue::Column::Id)
        .all(tx.conn())
        .await?;
    let merged = merged_ids(tx, &[tx.office_id()]).await?;
    let rows: Vec<issue::Model> = rows
        .into_iter()
        .filter(|m| !merged.contains(&m.id))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let people = people_of(tx, &ids).await?;
    let me = Member {
        office_id: tx.office_id(),
        office: String::new(),
        area: String::new(),
        joined_on: today_jst(),
    };
    let mut out = Vec::new();
    for m in rows {
        let n = people.get(&m.id).copied().unwrap_or(0);
        if let Some(i) = region_issue(m, &me, n)? {
            out.push(i);
        }
    }
    let pos = |c: IssueCategory| IssueCategory::ALL.iter().position(|x| *x == c);
    out.sort_by_key(|i| (pos(i.category), i.raised_on, i.id));
    tx.record(
        "list_released",
        RecordKind::RegionalIssue,
        None,
        None,
        format!("to={to} shown={}", out.len()),
    );
    Ok(out)
}

/// What the council said lately about one of the office's issues.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CouncilNews {
    pub id: i64,
    pub title: String,
    pub status: IssueStatus,
    pub council_on: NaiveDate,
    /// The council asked something back or decided (not only moved the status).
    pub has_reply: bool,
}

/// The office's issues the region's secretariat recorded something on since `since`, newest
/// first: the dashboard's 「部会・協議会から」.
pub async fn council_news(tx: &mut Tx, since: NaiveDate) -> Result<Vec<CouncilNews>> {
    tx.office_access(RecordKind::RegionalIssue, Action::Read)?;
    let rows = issue::Entity::find()
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::CouncilOn.gte(since))
        .order_by_desc(issue::Column::CouncilOn)
        .order_by_desc(issue::Column::Id)
        .limit(20)
        .all(tx.conn())
        .await?;
    let mut out = Vec::new();
    for m in rows {
        let (_, status) = status_of(&m)?;
        if let Some(on) = m.council_on {
            out.push(CouncilNews {
                id: m.id,
                has_reply: !m.council_reply.trim().is_empty(),
                title: m.title,
                status,
                council_on: on,
            });
        }
    }
    tx.record(
        "council_news",
        RecordKind::RegionalIssue,
        None,
        None,
        format!("since={since} shown={}", out.len()),
    );
    Ok(out)
}
