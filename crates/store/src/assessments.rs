//! アセスメント versions. A new version starts as a copy of the case's latest one; only the
//! latest version of an open case can be edited, so earlier versions stay as they were read.

use crate::entities::{assessment, disability_book};
use crate::{ClientAccess, Result, StoreError, Tx, clients, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, Set,
};
use yorisoi_domain::assessment::{AssessmentMethod, AssessmentRecord, BasicInfo};
use yorisoi_domain::case::{CaseEvent, CaseStage};
use yorisoi_domain::client::{BookKind, BookRecord};
use yorisoi_domain::policy::{Action, RecordKind};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub version_no: i32,
    /// Whether this is the case's newest version (the only one that can change).
    pub latest: bool,
    pub record: AssessmentRecord,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// One line of a case's version list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = AssessmentSummary)]
pub struct Summary {
    pub id: i64,
    pub version_no: i32,
    pub assessed_on: NaiveDate,
    pub method: AssessmentMethod,
    pub title: String,
    pub updated_at: DateTime<Utc>,
}

fn decode(m: &assessment::Model) -> Result<AssessmentRecord> {
    serde_json::from_str(&m.body).map_err(|e| corrupt("assessment body", &e.to_string()))
}

fn encode(r: &AssessmentRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| corrupt("assessment body", &e.to_string()))
}

/// The client an assessment belongs to (so that the caller can ask for access to it).
pub async fn client_of(tx: &Tx, id: i64) -> Result<i64> {
    assessment::Entity::find_by_id(id)
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|m| m.client_id)
        .ok_or(StoreError::NotFound)
}

/// Access to the assessments of the client the assessment `id` belongs to; another office's
/// or an unseen client's assessment is `NotFound`.
pub async fn access(tx: &mut Tx, id: i64, action: Action) -> Result<ClientAccess> {
    // The client with the assessment, in one statement: a read unit then decides without
    // reading the client again (`Tx::saw_client`), and keeps the row for a later
    // `clients::get` (the printed sheet). The foreign key keeps an assessment's client in its
    // office, so "not found" here is an assessment the office does not hold.
    let m = crate::entities::client::Model::find_by_statement(crate::stmt(
        tx.backend(),
        "SELECT c.* FROM assessments a \
         JOIN clients c ON c.id = a.client_id AND c.office_id = a.office_id \
         WHERE a.id = ? AND a.office_id = ?",
        vec![id.into(), tx.office_id().into()],
    ))
    .one(tx.conn())
    .await?
    .ok_or(StoreError::NotFound)?;
    tx.saw_client(m.id, m.assigned_user_id);
    let acc = tx
        .client_access(m.id, RecordKind::Assessment, action)
        .await?;
    tx.saw_client_row(m);
    Ok(acc)
}

/// Access to the assessments of a case's client.
pub async fn access_for_case(tx: &mut Tx, case_id: i64, action: Action) -> Result<ClientAccess> {
    let client_id = crate::cases::client_of(tx, case_id).await?;
    tx.client_access(client_id, RecordKind::Assessment, action)
        .await
}

async fn latest_model(tx: &Tx, case_id: i64) -> Result<Option<assessment::Model>> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::CaseId.eq(case_id))
        .order_by_desc(assessment::Column::VersionNo)
        .one(tx.conn())
        .await?)
}

/// The ledger as it is now, for the new version's 基本情報.
async fn snapshot(tx: &mut Tx, client_id: i64) -> Result<BasicInfo> {
    let m = crate::entities::client::Entity::find_by_id(client_id)
        .filter(crate::entities::client::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let c = clients::from_model(m)?;
    let books = disability_book::Entity::find()
        .filter(disability_book::Column::OfficeId.eq(tx.office_id()))
        .filter(disability_book::Column::ClientId.eq(client_id))
        .order_by_asc(disability_book::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .filter_map(|b| {
            Some(BookRecord {
                kind: BookKind::from_code(&b.kind)?,
                grade: b.grade,
                issued_on: b.issued_on,
                expires_on: b.expires_on,
            })
        })
        .collect::<Vec<_>>();
    Ok(BasicInfo::from_ledger(&c.record, &books))
}

/// Starts a version for the case: the first from nothing, a re-assessment from a copy of the
/// latest. Returns the new id.
pub async fn start(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    assessed_on: NaiveDate,
    method: AssessmentMethod,
    present: String,
) -> Result<i64> {
    a.check(RecordKind::Assessment, Action::Write)?;
    crate::cases::open_case(tx, a, case_id).await?;
    let basic = snapshot(tx, a.client_id).await?;
    let prev = latest_model(tx, case_id).await?;
    let (record, version_no) = match &prev {
        Some(p) => (
            decode(p)?.reassess(assessed_on, method, present, basic),
            p.version_no + 1,
        ),
        None => (
            AssessmentRecord::new(assessed_on, method, present, basic),
            1,
        ),
    };
    if let Some(p) = &prev
        && assessed_on < p.assessed_on
    {
        return Err(StoreError::field(
            "assessed_on",
            format!(
                "再アセスメントの実施日が前の版（{}）より前になっています。",
                yorisoi_domain::date::format_both(p.assessed_on)
            ),
        ));
    }
    let now = now_utc();
    let m = assessment::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        case_id: Set(case_id),
        version_no: Set(version_no),
        assessed_on: Set(record.assessed_on),
        method: Set(record.method.code().into()),
        title: Set(record.title.clone()),
        body: Set(encode(&record)?),
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
        RecordKind::Assessment,
        Some(m.id),
        Some(a.client_id),
        format!("case {case_id} v{version_no}"),
    );
    let event = CaseEvent::Assessment {
        reassessment: version_no > 1,
    };
    crate::cases::follow(tx, a.client_id, case_id, event).await?;
    Ok(m.id)
}

/// One version (the read is logged).
pub async fn get(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Assessment> {
    a.check(RecordKind::Assessment, Action::Read)?;
    let m = assessment::Entity::find_by_id(id)
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let latest = latest_model(tx, m.case_id)
        .await?
        .is_some_and(|l| l.id == m.id);
    log_read(tx, id, a.client_id);
    assessment_of(&m, latest)
}

fn log_read(tx: &mut Tx, id: i64, client_id: i64) {
    tx.record(
        "read",
        RecordKind::Assessment,
        Some(id),
        Some(client_id),
        "",
    );
}

fn log_list(tx: &mut Tx, client_id: i64, case_id: i64) {
    tx.record(
        "read",
        RecordKind::Assessment,
        None,
        Some(client_id),
        format!("list case {case_id}"),
    );
}

fn assessment_of(m: &assessment::Model, latest: bool) -> Result<Assessment> {
    Ok(Assessment {
        record: decode(m)?,
        id: m.id,
        case_id: m.case_id,
        client_id: m.client_id,
        version_no: m.version_no,
        latest,
        version: m.version,
        updated_at: m.updated_at,
    })
}

fn summary_of(m: assessment::Model) -> Result<Summary> {
    Ok(Summary {
        id: m.id,
        version_no: m.version_no,
        assessed_on: m.assessed_on,
        method: AssessmentMethod::from_code(&m.method)
            .ok_or_else(|| corrupt("method", &m.method))?,
        title: m.title,
        updated_at: m.updated_at,
    })
}

/// What the assessment sheet shows, in one statement: the assessment `id`, its case's versions
/// (newest first) and the case's stage. Checked and logged as `get`, `list` and `cases::get`
/// would be, in that order (a case of another client is not found, as there).
pub async fn sheet(
    tx: &mut Tx,
    a: &ClientAccess,
    case_acc: &ClientAccess,
    id: i64,
) -> Result<(Assessment, Vec<Summary>, CaseStage)> {
    a.check(RecordKind::Assessment, Action::Read)?;
    case_acc.check(RecordKind::Case, Action::Read)?;
    if case_acc.client_id != a.client_id {
        return Err(StoreError::NotFound);
    }
    let rows = tx
        .conn()
        .query_all_raw(crate::stmt(
            tx.backend(),
            "SELECT a.*, k.stage AS k_stage FROM assessments a \
             JOIN cases k ON k.id = a.case_id AND k.office_id = a.office_id \
               AND k.client_id = a.client_id \
             WHERE a.office_id = ? AND a.client_id = ? AND a.case_id = \
               (SELECT case_id FROM assessments WHERE id = ? AND office_id = ? AND client_id = ?) \
             ORDER BY a.version_no DESC",
            vec![
                tx.office_id().into(),
                a.client_id.into(),
                id.into(),
                tx.office_id().into(),
                a.client_id.into(),
            ],
        ))
        .await?;
    let mut stage = None;
    let mut models = Vec::with_capacity(rows.len());
    for row in &rows {
        if stage.is_none() {
            let code: String = row.try_get("", "k_stage")?;
            stage = Some(CaseStage::from_code(&code).ok_or_else(|| corrupt("stage", &code))?);
        }
        models.push(assessment::Model::from_query_result(row, "")?);
    }
    let (Some(stage), Some(m)) = (stage, models.iter().find(|m| m.id == id)) else {
        return Err(StoreError::NotFound);
    };
    let latest = models.first().is_some_and(|l| l.id == id);
    let case_id = m.case_id;
    let assessment = assessment_of(m, latest)?;
    log_read(tx, id, a.client_id);
    log_list(tx, a.client_id, case_id);
    crate::cases::log_read(tx, case_id, a.client_id);
    let versions = models
        .into_iter()
        .map(summary_of)
        .collect::<Result<Vec<_>>>()?;
    Ok((assessment, versions, stage))
}

/// The case's versions, newest first.
pub async fn list(tx: &mut Tx, a: &ClientAccess, case_id: i64) -> Result<Vec<Summary>> {
    a.check(RecordKind::Assessment, Action::Read)?;
    let rows = assessment::Entity::find()
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::ClientId.eq(a.client_id))
        .filter(assessment::Column::CaseId.eq(case_id))
        .order_by_desc(assessment::Column::VersionNo)
        .all(tx.conn())
        .await?;
    log_list(tx, a.client_id, case_id);
    rows.into_iter().map(summary_of).collect()
}

/// Saves an edit made from `version`. Only the latest version of an open case changes; the
/// ledger snapshot is kept as it was taken.
pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &AssessmentRecord,
) -> Result<i32> {
    a.check(RecordKind::Assessment, Action::Write)?;
    let m = assessment::Entity::find_by_id(id)
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    crate::cases::open_case(tx, a, m.case_id).await?;
    if latest_model(tx, m.case_id)
        .await?
        .is_some_and(|l| l.id != m.id)
    {
        return Err(StoreError::Rule(
            "過去の版は変更できません。最新の版を開いて編集してください。".into(),
        ));
    }
    for t in &r.ecomap {
        crate::resources::check_link(tx, t.resource_id).await?;
    }
    let mut record = r.clone();
    record.basic = decode(&m)?.basic;
    let res = assessment::Entity::update_many()
        .set(assessment::ActiveModel {
            assessed_on: Set(record.assessed_on),
            method: Set(record.method.code().into()),
            title: Set(record.title.clone()),
            body: Set(encode(&record)?),
            updated_by: Set(tx.actor().user_id),
            version: Set(version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(assessment::Column::Id.eq(id))
        .filter(assessment::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    tx.record(
        "update",
        RecordKind::Assessment,
        Some(id),
        Some(a.client_id),
        format!("v{}", m.version_no),
    );
    let event = CaseEvent::Assessment {
        reassessment: m.version_no > 1,
    };
    crate::cases::follow(tx, a.client_id, m.case_id, event).await?;
    Ok(version + 1)
}
