//! 地域課題: the office's issues for the council, raised from the cases, and the cases behind
//! them. The links never leave the office; the text is checked against the office's ledger on
//! every save (a warning) and on release (a refusal while anything identifying remains).
//!
//! Every function asks the policy first ([`RecordKind::RegionalIssue`], and
//! [`RecordKind::IssueRelease`] to release) and records what it did in the audit log. A case is
//! linked only through the client access of that case, so nobody links a case they cannot read.

use crate::entities::{client, regional_issue as issue, regional_issue_case as link};
use crate::{Result, StoreError, Tx, corrupt, now_utc, split_codes, today_jst};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::client::DisabilityKind;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    Finding, IssueCategory, IssueSource, IssueStatus, KnownPeople, KnownPerson,
    RegionalIssueRecord, age_band, age_bands,
};

const KIND: RecordKind = RecordKind::RegionalIssue;

/// An issue as the office sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RegionalIssue {
    pub id: i64,
    pub record: RegionalIssueRecord,
    pub raised_by: i64,
    /// The day a lead released the text to leave the office (for the 協議会), if released.
    pub released_on: Option<NaiveDate>,
    pub released_by: Option<i64>,
    /// The cases behind it that the reader may open (ids of this office's cases; never shown
    /// outside it).
    pub case_ids: Vec<i64>,
    /// The cases behind it the reader may not open (counted only).
    pub other_cases: usize,
    /// What in the text may identify a person (release is refused while any is found).
    pub findings: Vec<Finding>,
    /// What the council asked back or decided, as the region's secretariat recorded it.
    pub council_reply: String,
    /// The day the secretariat last recorded where the issue stands.
    pub council_on: Option<NaiveDate>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A line of the office's list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssueSummary)]
pub struct Summary {
    pub id: i64,
    pub title: String,
    /// The default category (what the region counts).
    pub category: IssueCategory,
    /// The office's own category, if the issue has one.
    pub own_category: Option<i64>,
    /// The category as the office names it (its own label, or the default's).
    pub category_label: String,
    pub status: IssueStatus,
    pub source: IssueSource,
    pub area: String,
    pub raised_on: NaiveDate,
    pub released_on: Option<NaiveDate>,
    /// How many people (distinct clients of the linked cases) it concerns.
    pub people: i64,
    /// The issue it was merged into (a merged issue is listed only when asked for).
    pub merged_into: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// What a save returns: the id, the new version, and what the ledger check found (a warning on
/// save; the same findings refuse a release).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssueSaved)]
pub struct Saved {
    pub id: i64,
    pub version: i32,
    pub findings: Vec<Finding>,
}

/// The list's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IssueSort {
    /// Last updated first.
    #[default]
    Updated,
    /// Raised first (oldest first: "since when").
    Raised,
    /// By category, then status.
    Category,
    /// Most people first.
    People,
}

impl IssueSort {
    pub fn from_code(s: &str) -> Self {
        match s {
            "raised" => IssueSort::Raised,
            "category" => IssueSort::Category,
            "people" => IssueSort::People,
            _ => IssueSort::Updated,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            IssueSort::Updated => "updated",
            IssueSort::Raised => "raised",
            IssueSort::Category => "category",
            IssueSort::People => "people",
        }
    }
}

/// Filters of the list: category, status, words in the text.
#[derive(Debug, Clone, Default)]
pub struct IssueFilter {
    /// A category as the office names it: a default (issues without an own category) or one of
    /// its own.
    pub category: Option<(IssueCategory, Option<i64>)>,
    pub status: Option<IssueStatus>,
    pub q: String,
    pub sort: IssueSort,
    /// List the issues merged into another too (統合済み; hidden by default).
    pub include_merged: bool,
}

/// The number of issues in one category × status cell.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssueCount)]
pub struct CountCell {
    pub category: IssueCategory,
    /// The office's own category, when the cell is one of its own.
    pub own_category: Option<i64>,
    pub status: IssueStatus,
    pub count: i64,
}

/// The people an issue concerns, by 障害種別 and age band. A person with two 障害種別 counts in
/// both rows (the rows may add up to more than `total`); the bands are
/// [`yorisoi_domain::region::age_band`]'s, on `today`.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssuePeople)]
pub struct People {
    pub total: i64,
    pub by_kind: Vec<KindCount>,
    pub by_band: Vec<BandCount>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssuePeopleByKind)]
pub struct KindCount {
    pub kind: DisabilityKind,
    pub count: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RegionalIssuePeopleByBand)]
pub struct BandCount {
    pub band: String,
    pub count: i64,
}

fn record_of(m: &issue::Model) -> Result<RegionalIssueRecord> {
    Ok(RegionalIssueRecord {
        title: m.title.clone(),
        category: IssueCategory::from_code(&m.category)
            .ok_or_else(|| corrupt("category", &m.category))?,
        own_category: m.own_category_id,
        need: m.need.clone(),
        resource: m.resource.clone(),
        area: m.area.clone(),
        status: IssueStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
        source: IssueSource::from_code(&m.source_kind)
            .ok_or_else(|| corrupt("source", &m.source_kind))?,
        source_ref: m.source_ref,
        raised_on: m.raised_on,
    })
}

/// What the office's ledger knows about every client (names, kana, address, phone, birth
/// date), for the check of an issue's text. The whole office's ledger is read whatever the
/// actor's assignment, since the text must identify nobody; nothing of it is shown, only the
/// words of the text that matched.
pub(crate) async fn known_people(tx: &Tx) -> Result<KnownPeople> {
    let rows = client::Entity::find()
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .all(tx.conn())
        .await?;
    let people: Vec<KnownPerson> = rows
        .into_iter()
        .map(|c| KnownPerson {
            family_name: c.family_name,
            given_name: c.given_name,
            family_name_kana: c.family_name_kana,
            given_name_kana: c.given_name_kana,
            address: c.address,
            phone: c.phone,
            birth_date: Some(c.birth_date),
        })
        .collect();
    Ok(KnownPeople::new(&people))
}

/// The meeting or monitoring an issue was raised from must be one the actor may read.
async fn check_source(tx: &mut Tx, r: &RegionalIssueRecord) -> Result<()> {
    let Some(id) = r.source_ref else {
        return Ok(());
    };
    let found = match r.source {
        IssueSource::Meeting => crate::meetings::access(tx, id, Action::Read).await,
        IssueSource::Monitoring => crate::monitorings::access(tx, id, Action::Read).await,
        IssueSource::Decision => crate::decisions::access(tx, id, Action::Read).await,
        IssueSource::Need => crate::plans::access(tx, id, RecordKind::Plan, Action::Read).await,
        _ => Err(StoreError::NotFound),
    };
    match found {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(StoreError::field(
            "source_ref",
            "元の記録が見つかりません。会議やモニタリングの画面から挙げ直してください。",
        )),
        Err(e) => Err(e),
    }
}

/// The default an issue counts as: its own category's (read from the office's list, so that
/// another office's category is refused), or the default it has.
async fn check_category(tx: &Tx, r: &RegionalIssueRecord) -> Result<IssueCategory> {
    let Some(own) = r.own_category else {
        return Ok(r.category);
    };
    crate::issue_categories::load(tx)
        .await?
        .own
        .into_iter()
        .find(|c| c.id == own)
        .map(|c| c.counts_as)
        .ok_or_else(|| StoreError::field("category", "一覧から選んでください。"))
}

/// An own category now counts as `counts_as`: its issues follow (the region reads the default
/// from the issue).
pub(crate) async fn recount_own(tx: &Tx, own: i64, counts_as: IssueCategory) -> Result<()> {
    issue::Entity::update_many()
        .col_expr(
            issue::Column::Category,
            sea_orm::sea_query::Expr::value(counts_as.code()),
        )
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::OwnCategoryId.eq(own))
        .exec(tx.conn())
        .await?;
    Ok(())
}

async fn find(tx: &Tx, id: i64) -> Result<issue::Model> {
    issue::Entity::find_by_id(id)
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// The linked cases the actor may read, and how many others there are (a specialist sees the
/// cases of their own clients; the others are counted, not named, and asking the policy here
/// logs no refusal: nobody asked to open them).
async fn case_ids(tx: &Tx, id: i64) -> Result<(Vec<i64>, usize)> {
    let links = link::Entity::find()
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .filter(link::Column::IssueId.eq(id))
        .order_by_asc(link::Column::Id)
        .all(tx.conn())
        .await?;
    let clients: HashSet<i64> = links.iter().map(|l| l.client_id).collect();
    let assigned: HashMap<i64, Option<i64>> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::AssignedUserId)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(clients))
        .into_tuple::<(i64, Option<i64>)>()
        .all(tx.conn())
        .await?
        .into_iter()
        .collect();
    let (mut readable, mut others) = (Vec::new(), 0);
    for l in links {
        let target = yorisoi_domain::policy::Target {
            office_id: tx.office_id(),
            assigned_to: assigned.get(&l.client_id).copied().flatten(),
        };
        if yorisoi_domain::policy::authorize(tx.actor(), RecordKind::Case, Action::Read, &target)
            .is_ok()
        {
            readable.push(l.case_id);
        } else {
            others += 1;
        }
    }
    Ok((readable, others))
}

/// Links the case (through the client access of that case) unless it is linked already.
async fn link(tx: &mut Tx, issue_id: i64, case_id: i64) -> Result<()> {
    let client_id = crate::cases::client_of(tx, case_id).await?;
    tx.client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let exists = link::Entity::find()
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .filter(link::Column::IssueId.eq(issue_id))
        .filter(link::Column::CaseId.eq(case_id))
        .one(tx.conn())
        .await?
        .is_some();
    if !exists {
        link::ActiveModel {
            issue_id: Set(issue_id),
            office_id: Set(tx.office_id()),
            case_id: Set(case_id),
            client_id: Set(client_id),
            created_at: Set(now_utc()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    tx.record(
        "link_case",
        KIND,
        Some(issue_id),
        Some(client_id),
        format!("case {case_id}"),
    );
    Ok(())
}

/// Raises an issue, linked to `case_id` when given; returns its id and what the ledger check
/// found in the text (saved anyway: a warning, not a refusal).
pub async fn add(tx: &mut Tx, r: &RegionalIssueRecord, case_id: Option<i64>) -> Result<Saved> {
    tx.office_access(KIND, Action::Write)?;
    check_source(tx, r).await?;
    let category = check_category(tx, r).await?;
    let now = now_utc();
    let m = issue::ActiveModel {
        office_id: Set(tx.office_id()),
        title: Set(r.title.clone()),
        category: Set(category.code().into()),
        own_category_id: Set(r.own_category),
        need: Set(r.need.clone()),
        resource: Set(r.resource.clone()),
        area: Set(r.area.clone()),
        status: Set(r.status.code().into()),
        source_kind: Set(r.source.code().into()),
        source_ref: Set(r.source_ref),
        raised_by: Set(tx.actor().user_id),
        raised_on: Set(r.raised_on),
        released_on: Set(None),
        released_by: Set(None),
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
        format!("{} {}", category.code(), r.source.code()),
    );
    if let Some(case_id) = case_id {
        link(tx, m.id, case_id).await?;
    }
    let findings = r.findings(&known_people(tx).await?);
    Ok(Saved {
        id: m.id,
        version: 1,
        findings,
    })
}

/// One issue, with its cases and what the ledger check finds in it now.
pub async fn get(tx: &mut Tx, id: i64) -> Result<RegionalIssue> {
    tx.office_access(KIND, Action::Read)?;
    let m = find(tx, id).await?;
    let record = record_of(&m)?;
    let (case_ids, other_cases) = case_ids(tx, id).await?;
    let findings = record.findings(&known_people(tx).await?);
    tx.record("read", KIND, Some(id), None, "");
    Ok(RegionalIssue {
        id,
        record,
        raised_by: m.raised_by,
        released_on: m.released_on,
        released_by: m.released_by,
        case_ids,
        other_cases,
        findings,
        council_reply: m.council_reply,
        council_on: m.council_on,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// Saves an edit made from `version` (409 when someone saved in between). A change to the text
/// takes the release back: the new words have not been released.
pub async fn update(tx: &mut Tx, id: i64, version: i32, r: &RegionalIssueRecord) -> Result<Saved> {
    tx.office_access(KIND, Action::Write)?;
    let current = find(tx, id).await?;
    crate::issue_followups::ensure_not_merged(tx, id).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    let before = record_of(&current)?;
    if before.source_ref != r.source_ref || before.source != r.source {
        check_source(tx, r).await?;
    }
    let category = check_category(tx, r).await?;
    let text_changed = before.texts() != r.texts();
    let mut am = issue::ActiveModel {
        title: Set(r.title.clone()),
        category: Set(category.code().into()),
        own_category_id: Set(r.own_category),
        need: Set(r.need.clone()),
        resource: Set(r.resource.clone()),
        area: Set(r.area.clone()),
        status: Set(r.status.code().into()),
        source_kind: Set(r.source.code().into()),
        source_ref: Set(r.source_ref),
        raised_on: Set(r.raised_on),
        version: Set(version + 1),
        updated_at: Set(now_utc()),
        ..Default::default()
    };
    if text_changed {
        am.released_on = Set(None);
        am.released_by = Set(None);
    }
    let res = issue::Entity::update_many()
        .set(am)
        .filter(issue::Column::Id.eq(id))
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    let unreleased = if text_changed && current.released_on.is_some() {
        " unreleased"
    } else {
        ""
    };
    tx.record(
        "update",
        KIND,
        Some(id),
        None,
        format!("{} {}{unreleased}", category.code(), r.status.code()),
    );
    let findings = r.findings(&known_people(tx).await?);
    Ok(Saved {
        id,
        version: version + 1,
        findings,
    })
}

/// Links one more case to the issue (the case checked through its client's access).
pub async fn link_case(tx: &mut Tx, id: i64, case_id: i64) -> Result<()> {
    tx.office_access(KIND, Action::Write)?;
    find(tx, id).await?;
    crate::issue_followups::ensure_not_merged(tx, id).await?;
    link(tx, id, case_id).await
}

/// Distinct clients per issue, for the office.
async fn people_per_issue(tx: &Tx) -> Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = link::Entity::find()
        .select_only()
        .column(link::Column::IssueId)
        .column(link::Column::ClientId)
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let distinct: HashSet<(i64, i64)> = rows.into_iter().collect();
    let mut out = HashMap::new();
    for (issue_id, _) in distinct {
        *out.entry(issue_id).or_insert(0) += 1;
    }
    Ok(out)
}

/// The office's issues, filtered and sorted.
pub async fn list(tx: &mut Tx, f: &IssueFilter) -> Result<Vec<Summary>> {
    tx.office_access(KIND, Action::Read)?;
    let mut q = issue::Entity::find().filter(issue::Column::OfficeId.eq(tx.office_id()));
    match f.category {
        Some((_, Some(own))) => q = q.filter(issue::Column::OwnCategoryId.eq(own)),
        Some((c, None)) => {
            q = q
                .filter(issue::Column::Category.eq(c.code()))
                .filter(issue::Column::OwnCategoryId.is_null())
        }
        None => {}
    }
    if let Some(s) = f.status {
        q = q.filter(issue::Column::Status.eq(s.code()));
    }
    let rows = q
        .order_by_desc(issue::Column::UpdatedAt)
        .order_by_desc(issue::Column::Id)
        .all(tx.conn())
        .await?;
    let people = people_per_issue(tx).await?;
    let merged = crate::issue_followups::merged_map(tx).await?;
    let categories = crate::issue_categories::load(tx).await?;
    // One office's issues, short texts: folded in memory so that かな/カナ and full/half width
    // match as the other searches do.
    let needle = yorisoi_domain::text::search_fold(&f.q);
    let mut out = Vec::new();
    for m in rows {
        let merged_into = merged.get(&m.id).copied();
        if merged_into.is_some() && !f.include_merged {
            continue;
        }
        if !needle.is_empty() {
            let hay = yorisoi_domain::text::search_fold(&format!(
                "{} {} {} {}",
                m.title, m.need, m.resource, m.area
            ));
            if !hay.contains(&needle) {
                continue;
            }
        }
        let r = record_of(&m)?;
        out.push(Summary {
            id: m.id,
            category_label: categories.label(r.category, r.own_category),
            own_category: r.own_category,
            title: r.title,
            category: r.category,
            status: r.status,
            source: r.source,
            area: r.area,
            raised_on: r.raised_on,
            released_on: m.released_on,
            people: people.get(&m.id).copied().unwrap_or(0),
            merged_into,
            updated_at: m.updated_at,
        });
    }
    let pos = |c: IssueCategory| IssueCategory::ALL.iter().position(|x| *x == c);
    let spos = |s: IssueStatus| IssueStatus::ALL.iter().position(|x| *x == s);
    match f.sort {
        IssueSort::Updated => {}
        IssueSort::Raised => out.sort_by_key(|s| (s.raised_on, s.id)),
        IssueSort::Category => out.sort_by_key(|s| {
            let own = s
                .own_category
                .and_then(|id| categories.own.iter().position(|c| c.id == id));
            (own, pos(s.category), spos(s.status), s.id)
        }),
        IssueSort::People => out.sort_by_key(|s| (std::cmp::Reverse(s.people), s.id)),
    }
    tx.record(
        "list",
        KIND,
        None,
        None,
        format!(
            "category={} status={} sort={} merged={} shown={}",
            f.category
                .map(|(c, own)| yorisoi_domain::region::CategoryList::code(c, own))
                .unwrap_or_default(),
            f.status.map(|s| s.code()).unwrap_or(""),
            f.sort.code(),
            f.include_merged,
            out.len()
        ),
    );
    Ok(out)
}

/// The office's issues counted by category × status (cells with none are left out).
pub async fn counts(tx: &mut Tx) -> Result<Vec<CountCell>> {
    tx.office_access(KIND, Action::Read)?;
    // A duplicate merged into another is counted once, as the issue it was merged into.
    let merged: Vec<i64> = crate::issue_followups::merged_map(tx)
        .await?
        .into_keys()
        .collect();
    let rows: Vec<(String, Option<i64>, String)> = issue::Entity::find()
        .select_only()
        .column(issue::Column::Category)
        .column(issue::Column::OwnCategoryId)
        .column(issue::Column::Status)
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::Id.is_not_in(merged))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut cells: BTreeMap<(usize, Option<i64>, usize), i64> = BTreeMap::new();
    for (c, own, s) in rows {
        let c = IssueCategory::ALL
            .iter()
            .position(|x| x.code() == c)
            .ok_or_else(|| corrupt("category", &c))?;
        let s = IssueStatus::ALL
            .iter()
            .position(|x| x.code() == s)
            .ok_or_else(|| corrupt("status", &s))?;
        *cells.entry((c, own, s)).or_insert(0) += 1;
    }
    tx.record("counts", KIND, None, None, "");
    Ok(cells
        .into_iter()
        .map(|((c, own, s), count)| CountCell {
            category: IssueCategory::ALL[c],
            own_category: own,
            status: IssueStatus::ALL[s],
            count,
        })
        .collect())
}

/// The people issue `id` concerns, by 障害種別 and age band on `today`. Counted inside the
/// office (no suppression: the cells are the office's own people; the region's view, which
/// suppresses, is not built yet).
pub async fn people(tx: &mut Tx, id: i64, today: NaiveDate) -> Result<People> {
    tx.office_access(KIND, Action::Read)?;
    find(tx, id).await?;
    let ids: HashSet<i64> = link::Entity::find()
        .filter(link::Column::OfficeId.eq(tx.office_id()))
        .filter(link::Column::IssueId.eq(id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|l| l.client_id)
        .collect();
    let rows: Vec<(i64, NaiveDate, String)> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::BirthDate)
        .column(client::Column::DisabilityKinds)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut kinds: Vec<i64> = vec![0; DisabilityKind::ALL.len()];
    let bands = age_bands();
    let mut band_counts: Vec<i64> = vec![0; bands.len()];
    for (_, birth, k) in &rows {
        for code in split_codes(k) {
            if let Some(i) = DisabilityKind::ALL.iter().position(|x| x.code() == code) {
                kinds[i] += 1;
            }
        }
        let band = age_band(yorisoi_domain::date::age_on(*birth, today));
        if let Some(i) = bands.iter().position(|b| *b == band) {
            band_counts[i] += 1;
        }
    }
    tx.record("people", KIND, Some(id), None, format!("{}", rows.len()));
    Ok(People {
        total: rows.len() as i64,
        by_kind: DisabilityKind::ALL
            .iter()
            .zip(kinds)
            .filter(|(_, n)| *n > 0)
            .map(|(k, count)| KindCount { kind: *k, count })
            .collect(),
        by_band: bands
            .iter()
            .zip(band_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(b, count)| BandCount {
                band: (*b).to_string(),
                count,
            })
            .collect(),
    })
}

/// Releases the issue's text to leave the office (a lead or an admin). Refused, field by field,
/// while the text holds anything the ledger check finds; returns the new version.
pub async fn release(tx: &mut Tx, id: i64, version: i32) -> Result<i32> {
    tx.office_access(RecordKind::IssueRelease, Action::Write)?;
    tx.office_access(KIND, Action::Write)?;
    let current = find(tx, id).await?;
    crate::issue_followups::ensure_not_merged(tx, id).await?;
    if current.version != version {
        return Err(StoreError::Conflict);
    }
    let r = record_of(&current)?;
    let findings = r.findings(&known_people(tx).await?);
    if !findings.is_empty() {
        let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in &findings {
            by_field
                .entry(f.field.as_str())
                .or_default()
                .push(f.message.as_str());
        }
        let mut e = FieldErrors::new();
        for (field, messages) in by_field {
            e.add(field, format!("公開できません。{}", messages.join(" ")));
        }
        return Err(StoreError::Invalid(e));
    }
    let res = issue::Entity::update_many()
        .set(issue::ActiveModel {
            released_on: Set(Some(today_jst())),
            released_by: Set(Some(tx.actor().user_id)),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(issue::Column::Id.eq(id))
        .filter(issue::Column::OfficeId.eq(tx.office_id()))
        .filter(issue::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record("release", RecordKind::IssueRelease, Some(id), None, "");
    Ok(version + 1)
}
