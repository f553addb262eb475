//! 利用者台帳: the client ledger and disability books.

use crate::entities::{client, disability_book, user};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, join_codes, now_utc, split_codes};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use yorisoi_domain::client::*;
use yorisoi_domain::policy::{self, Action, RecordKind, Role, Target};
use yorisoi_domain::text;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Client {
    pub id: i64,
    pub office_id: i64,
    pub assigned_user_id: Option<i64>,
    #[serde(flatten)]
    pub record: ClientRecord,
    pub cert_until: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn code<T>(what: &str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(v).ok_or_else(|| corrupt(what, v))
}

pub(crate) fn from_model(m: client::Model) -> Result<Client> {
    let record = ClientRecord {
        sex: code("sex", &m.sex, Sex::from_code)?,
        disability_kinds: split_codes(&m.disability_kinds)
            .map(|c| code("disability", c, DisabilityKind::from_code))
            .collect::<Result<_>>()?,
        support_category: code(
            "support_category",
            &m.support_category,
            SupportCategory::from_code,
        )?,
        income_kinds: split_codes(&m.income_kinds)
            .map(|c| code("income", c, IncomeKind::from_code))
            .collect::<Result<_>>()?,
        guardians: serde_json::from_str(&m.guardians)
            .map_err(|e| corrupt("client guardians", &e.to_string()))?,
        status: code("status", &m.status, ClientStatus::from_code)?,
        family_name: m.family_name,
        given_name: m.given_name,
        family_name_kana: m.family_name_kana,
        given_name_kana: m.given_name_kana,
        birth_date: m.birth_date,
        postal_code: m.postal_code,
        address: m.address,
        phone: m.phone,
        diagnosis: m.diagnosis,
        complications: m.complications,
        support_category_from: m.support_category_from,
        support_category_until: m.support_category_until,
        income_note: m.income_note,
        key_person: m.key_person,
        doctor: m.doctor,
        medical_institution: m.medical_institution,
        notes: m.notes,
    };
    Ok(Client {
        id: m.id,
        office_id: m.office_id,
        assigned_user_id: m.assigned_user_id,
        record,
        cert_until: m.cert_until,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn fill(am: &mut client::ActiveModel, r: &ClientRecord) {
    am.family_name = Set(r.family_name.clone());
    am.given_name = Set(r.given_name.clone());
    am.family_name_kana = Set(r.family_name_kana.clone());
    am.given_name_kana = Set(r.given_name_kana.clone());
    am.search_key = Set(r.search_key());
    am.birth_date = Set(r.birth_date);
    am.sex = Set(r.sex.code().into());
    am.postal_code = Set(r.postal_code.clone());
    am.address = Set(r.address.clone());
    am.phone = Set(r.phone.clone());
    am.disability_kinds = Set(join_codes(r.disability_kinds.iter().map(|k| k.code())));
    am.diagnosis = Set(r.diagnosis.clone());
    am.complications = Set(r.complications.clone());
    am.support_category = Set(r.support_category.code().into());
    am.support_category_from = Set(r.support_category_from);
    am.support_category_until = Set(r.support_category_until);
    am.income_kinds = Set(join_codes(r.income_kinds.iter().map(|k| k.code())));
    am.income_note = Set(r.income_note.clone());
    am.guardians = Set(serde_json::to_string(&r.guardians).unwrap_or_else(|_| "[]".into()));
    am.key_person = Set(r.key_person.clone());
    am.doctor = Set(r.doctor.clone());
    am.medical_institution = Set(r.medical_institution.clone());
    am.status = Set(r.status.code().into());
    am.notes = Set(r.notes.clone());
}

/// Staff a client can be assigned to: active, same office, not a clerk.
async fn check_assignee(tx: &Tx, user_id: i64) -> Result<()> {
    let u = user::Entity::find_by_id(user_id)
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or_else(|| {
            StoreError::field(
                "assigned_user_id",
                "担当者が見つかりません。一覧から選んでください。",
            )
        })?;
    // Only staff who write case records: never a clerk, the region's secretariat, or someone
    // outside the office.
    if !u.active || !Role::from_code(&u.role).is_some_and(Role::takes_cases) {
        return Err(StoreError::field(
            "assigned_user_id",
            "この職員には担当を割り当てられません（無効、または事務職員です）。",
        ));
    }
    Ok(())
}

/// Adds a client to the ledger. A specialist's new client is assigned to them.
pub async fn create(tx: &mut Tx, r: &ClientRecord, assigned_user_id: Option<i64>) -> Result<i64> {
    create_many(tx, &[(r, assigned_user_id)])
        .await?
        .pop()
        .ok_or_else(|| corrupt("client insert", "no id returned"))
}

/// Rows per multi-row INSERT of ledger entries: 31 values each keeps a statement far below
/// SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const INSERT_CHUNK: usize = 500;

/// New ledger entries (an import, a bulk load), each with its assignee: the same policy, the
/// same assignee check and one audit event each as [`create`], in one INSERT per 500 entries.
/// The ids come back in the order given.
pub async fn create_many(tx: &mut Tx, items: &[(&ClientRecord, Option<i64>)]) -> Result<Vec<i64>> {
    let now = now_utc();
    let mut checked: Vec<i64> = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    for (r, assigned_user_id) in items {
        let assigned = if tx.actor().role == Role::Specialist {
            Some(tx.actor().user_id)
        } else {
            *assigned_user_id
        };
        let target = Target {
            office_id: tx.office_id(),
            assigned_to: assigned,
        };
        policy::authorize(tx.actor(), RecordKind::Ledger, Action::Write, &target)
            .map_err(|_| StoreError::NotFound)?;
        if let Some(u) = assigned
            && !checked.contains(&u)
        {
            check_assignee(tx, u).await?;
            checked.push(u);
        }
        let mut am = client::ActiveModel {
            office_id: Set(tx.office_id()),
            assigned_user_id: Set(assigned),
            cert_until: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, r);
        rows.push(am);
    }
    let ids = crate::insert_returning_ids(tx.conn(), rows, INSERT_CHUNK).await?;
    for &id in &ids {
        tx.record("create", RecordKind::Ledger, Some(id), Some(id), "");
    }
    Ok(ids)
}

/// One client's ledger entry (the read is logged).
pub async fn get(tx: &mut Tx, a: &ClientAccess) -> Result<Client> {
    a.check(RecordKind::Ledger, Action::Read)?;
    let seen = tx
        .seen_rows
        .iter()
        .find(|m| m.id == a.client_id && m.office_id == tx.office_id())
        .cloned();
    let m = match seen {
        Some(m) => m,
        None => client::Entity::find_by_id(a.client_id)
            .filter(client::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?,
    };
    tx.record("read", RecordKind::Ledger, Some(m.id), Some(m.id), "");
    from_model(m)
}

/// Saves an edit made from `version`; a stale version is a conflict and changes nothing.
pub async fn update(tx: &mut Tx, a: &ClientAccess, version: i32, r: &ClientRecord) -> Result<i32> {
    a.check(RecordKind::Ledger, Action::Write)?;
    let mut am = client::ActiveModel {
        ..Default::default()
    };
    fill(&mut am, r);
    am.version = Set(version + 1);
    am.updated_at = Set(now_utc());
    let res = client::Entity::update_many()
        .set(am)
        .filter(client::Column::Id.eq(a.client_id))
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update",
        RecordKind::Ledger,
        Some(a.client_id),
        Some(a.client_id),
        "",
    );
    Ok(version + 1)
}

/// Assigns clients (one or many) to a specialist, or unassigns them with `None`.
pub async fn assign(tx: &mut Tx, client_ids: &[i64], user_id: Option<i64>) -> Result<u64> {
    tx.office_access(RecordKind::Assignment, Action::Write)?;
    if client_ids.is_empty() {
        return Err(StoreError::field(
            "ids",
            "担当を変える利用者を選んでください。",
        ));
    }
    if client_ids.len() > 1000 {
        return Err(StoreError::field(
            "ids",
            "一度に変更できるのは1000人までです。",
        ));
    }
    // A client of another office is not found, whoever it would go to.
    let found = client::Entity::find()
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(client_ids.to_vec()))
        .count(tx.conn())
        .await?;
    if found != client_ids.len() as u64 {
        return Err(StoreError::NotFound);
    }
    if let Some(u) = user_id {
        check_assignee(tx, u).await?;
    }
    let r = client::Entity::update_many()
        .col_expr(client::Column::AssignedUserId, Expr::value(user_id))
        .col_expr(
            client::Column::Version,
            Expr::col(client::Column::Version).add(1),
        )
        .col_expr(client::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(client_ids.to_vec()))
        .exec(tx.conn())
        .await?;
    for id in client_ids {
        tx.record(
            "assign",
            RecordKind::Assignment,
            Some(*id),
            Some(*id),
            user_id.map(|u| u.to_string()).unwrap_or_default(),
        );
    }
    Ok(r.rows_affected)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Kana,
    KanaDesc,
    BirthDate,
    CertUntil,
    Updated,
}

impl ClientSort {
    pub fn from_code(s: &str) -> Option<Self> {
        Some(match s {
            "kana" | "" => Self::Kana,
            "kana_desc" => Self::KanaDesc,
            "birth_date" => Self::BirthDate,
            "cert_until" => Self::CertUntil,
            "updated" => Self::Updated,
            _ => return None,
        })
    }
}

/// Which staff member's clients to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffFilter {
    Any,
    Unassigned,
    User(i64),
}

#[derive(Debug, Clone)]
pub struct ClientFilter {
    pub q: String,
    pub status: Option<ClientStatus>,
    pub staff: StaffFilter,
    /// Certificates (newest version) whose 支給決定期間 ends within this many days of `today`
    /// (already expired included).
    pub cert_within_days: Option<i64>,
    pub today: NaiveDate,
    pub sort: ClientSort,
    pub page: u64,
    pub per_page: u64,
}

/// The clients the actor may see, filtered, sorted and paged; returns the page and the total.
pub async fn list(tx: &mut Tx, f: &ClientFilter) -> Result<(Vec<Client>, u64)> {
    tx.staff_only()?;
    let mut cond = Condition::all().add(client::Column::OfficeId.eq(tx.office_id()));
    if !policy::sees_whole_office(tx.actor().role) {
        cond = cond.add(client::Column::AssignedUserId.eq(tx.actor().user_id));
    }
    let q = text::search_fold(&f.q);
    if !q.is_empty() {
        let pattern = format!("%{}%", text::like_escape(&q));
        // `search_key || ''`: the office's (or the specialist's) rows first, then the match, on
        // any plan. At 1,000,000 clients PostgreSQL ANDed the office's 1,000 rows with a trigram
        // scan of the 126,000 「サトウ」 of every office: 14.6 ms a search instead of 2 ms.
        cond = cond.add(Expr::cust("(search_key || '')").like(LikeExpr::new(pattern).escape('\\')));
    }
    if let Some(s) = f.status {
        cond = cond.add(client::Column::Status.eq(s.code()));
    }
    match f.staff {
        StaffFilter::Any => {}
        StaffFilter::Unassigned => cond = cond.add(client::Column::AssignedUserId.is_null()),
        StaffFilter::User(u) => cond = cond.add(client::Column::AssignedUserId.eq(u)),
    }
    if let Some(days) = f.cert_within_days {
        cond = cond.add(client::Column::CertUntil.lte(f.today + chrono::Duration::days(days)));
    }
    let base = client::Entity::find().filter(cond);
    let b = base.clone();
    let sorted = match f.sort {
        ClientSort::Kana => b
            .order_by_asc(client::Column::FamilyNameKana)
            .order_by_asc(client::Column::GivenNameKana),
        ClientSort::KanaDesc => b
            .order_by_desc(client::Column::FamilyNameKana)
            .order_by_desc(client::Column::GivenNameKana),
        ClientSort::BirthDate => b.order_by_asc(client::Column::BirthDate),
        ClientSort::CertUntil => b.order_by_asc(client::Column::CertUntil),
        ClientSort::Updated => b.order_by_desc(client::Column::UpdatedAt),
    }
    .order_by_asc(client::Column::Id);
    let per = f.per_page.clamp(1, 200);
    let paged = sorted.offset(f.page * per).limit(per);
    let (rows, total) = if tx.backend() == DbBackend::Postgres {
        // The page and the number of matches in one statement. Unfiltered by a search, the
        // count is an uncorrelated subquery (an InitPlan, run once from the office's index) and
        // the page an index range cut at the page: a `COUNT(*) OVER ()` window there pulled every
        // row of the office whole through a tuplestore before the cut (pgbench, 1,000 clients:
        // 1.27 → 0.34 ms; an admin's home over 2,020: 2.07 → 0.32 ms). A search keeps the
        // window: its matches are few, and one scan of the office beats two (0.47–0.55 ms
        // against 0.75).
        let total_rows = if q.is_empty() {
            let count = base
                .clone()
                .select_only()
                .expr(Expr::cust("COUNT(*)"))
                .into_query();
            Expr::SubQuery(None, Box::new(count.into()))
        } else {
            Expr::cust("COUNT(*) OVER ()")
        };
        let page = paged
            .expr_as(total_rows, "total_rows")
            .build(DbBackend::Postgres);
        let found = tx.conn().query_all_raw(page).await?;
        let total = match found.first() {
            Some(row) => u64::try_from(row.try_get::<i64>("", "total_rows")?).unwrap_or(0),
            None if f.page == 0 => 0,
            // Past the last page no row carries the count: ask for it (a rare second scan).
            None => base.count(tx.conn()).await?,
        };
        let rows = found
            .iter()
            .map(|row| client::Model::from_query_result(row, ""))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        (rows, total)
    } else {
        // SQLite has no round trip to save, and its window materialises every matching row
        // before the page is cut: the list of 200 clients fell from ~1,570 to ~1,170 views/s
        // (BENCHMARKS.md, issue 22). An indexed count and the page stay faster there.
        let total = base.count(tx.conn()).await?;
        (paged.all(tx.conn()).await?, total)
    };
    let mut detail = if f.q.is_empty() {
        String::new()
    } else {
        format!("q={} ", f.q)
    };
    detail.push_str(&crate::audit::shown(rows.iter().map(|r| r.id)));
    tx.record("list", RecordKind::Ledger, None, None, detail);
    Ok((
        rows.into_iter().map(from_model).collect::<Result<_>>()?,
        total,
    ))
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Book {
    pub id: i64,
    #[serde(flatten)]
    pub record: BookRecord,
}

pub async fn add_book(tx: &mut Tx, a: &ClientAccess, b: &BookRecord) -> Result<i64> {
    a.check(RecordKind::Ledger, Action::Write)?;
    let m = disability_book::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        kind: Set(b.kind.code().into()),
        grade: Set(b.grade.clone()),
        issued_on: Set(b.issued_on),
        expires_on: Set(b.expires_on),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create",
        RecordKind::Ledger,
        Some(m.id),
        Some(a.client_id),
        "disability_book",
    );
    Ok(m.id)
}

pub async fn books(tx: &Tx, a: &ClientAccess) -> Result<Vec<Book>> {
    a.check(RecordKind::Ledger, Action::Read)?;
    let rows = disability_book::Entity::find()
        .filter(disability_book::Column::OfficeId.eq(tx.office_id()))
        .filter(disability_book::Column::ClientId.eq(a.client_id))
        .order_by_asc(disability_book::Column::Id)
        .all(tx.conn())
        .await?;
    books_from_rows(a, rows)
}

/// The books read, in the order entered.
pub(crate) fn books_from_rows(
    a: &ClientAccess,
    rows: Vec<disability_book::Model>,
) -> Result<Vec<Book>> {
    a.check(RecordKind::Ledger, Action::Read)?;
    rows.into_iter().map(book_from).collect()
}

fn book_from(m: disability_book::Model) -> Result<Book> {
    Ok(Book {
        id: m.id,
        record: BookRecord {
            kind: code("book kind", &m.kind, BookKind::from_code)?,
            grade: m.grade,
            issued_on: m.issued_on,
            expires_on: m.expires_on,
        },
    })
}

/// Removes a book entered by mistake (the removal is logged).
pub async fn remove_book(tx: &mut Tx, a: &ClientAccess, book_id: i64) -> Result<()> {
    a.check(RecordKind::Ledger, Action::Write)?;
    let r = disability_book::Entity::delete_many()
        .filter(disability_book::Column::Id.eq(book_id))
        .filter(disability_book::Column::ClientId.eq(a.client_id))
        .filter(disability_book::Column::OfficeId.eq(tx.office_id()))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    tx.record(
        "delete",
        RecordKind::Ledger,
        Some(book_id),
        Some(a.client_id),
        "disability_book",
    );
    Ok(())
}

/// Clients of the office whose newest certificate ends on or before `until` (for the home
/// screen), limited to those the actor sees. Not logged as a read of each client: it shows
/// names and dates only, and the page view itself is logged by the caller.
pub async fn expiring(tx: &Tx, until: NaiveDate, limit: u64) -> Result<Vec<Client>> {
    tx.staff_only()?;
    let mut q = client::Entity::find()
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::CertUntil.lte(until))
        .filter(client::Column::Status.ne(ClientStatus::Closed.code()));
    if !policy::sees_whole_office(tx.actor().role) {
        q = q.filter(client::Column::AssignedUserId.eq(tx.actor().user_id));
    }
    let rows = q
        .order_by_asc(client::Column::CertUntil)
        .limit(limit)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(from_model).collect()
}

/// Sets the ledger's expiry column of these clients from their newest certificate (the one in
/// force), in one statement per 1,000 clients.
pub(crate) async fn refresh_cert_until(tx: &Tx, client_ids: &[i64]) -> Result<()> {
    for chunk in client_ids.chunks(crate::tx::IN_LIST_CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut values: Vec<sea_orm::Value> = vec![tx.office_id().into()];
        values.extend(chunk.iter().map(|&id| id.into()));
        tx.conn()
            .execute_raw(crate::stmt(
                tx.backend(),
                &format!(
                    "UPDATE clients SET cert_until = (SELECT c.decision_until FROM certificates c \
                     WHERE c.client_id = clients.id ORDER BY c.version_no DESC LIMIT 1) \
                     WHERE office_id = ? AND id IN ({marks})"
                ),
                values,
            ))
            .await?;
    }
    Ok(())
}

/// Counts of clients per assigned staff member (for the admin screens).
pub async fn count_by_staff(tx: &Tx) -> Result<Vec<(Option<i64>, i64)>> {
    let rows: Vec<(Option<i64>, i64)> = client::Entity::find()
        .select_only()
        .column(client::Column::AssignedUserId)
        .column_as(client::Column::Id.count(), "n")
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Status.ne(ClientStatus::Closed.code()))
        .group_by(client::Column::AssignedUserId)
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows)
}

/// The names of the office's clients among `ids` (for a list whose records were already read
/// under the policy, such as the office-wide note search; logged by that list).
pub async fn names(tx: &Tx, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i64, String, String)> = client::Entity::find()
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::FamilyName)
        .column(client::Column::GivenName)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, f, g)| (id, format!("{f} {g}")))
        .collect())
}
