//! 受給者証: versioned. A new certificate never edits the old one; the newest version is the one
//! in force and its decision period drives the ledger's expiry column.

use crate::entities::certificate;
use crate::{ClientAccess, Result, Tx, corrupt, now_utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;
use yorisoi_domain::certificate::*;
use yorisoi_domain::policy::{Action, RecordKind};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub id: i64,
    pub client_id: i64,
    pub version_no: i32,
    #[serde(flatten)]
    pub record: CertificateRecord,
    pub created_by: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub(crate) fn from_model(m: certificate::Model) -> Result<Certificate> {
    let kind =
        CertificateKind::from_code(&m.kind).ok_or_else(|| corrupt("certificate kind", &m.kind))?;
    let number = CertificateNumber::parse(&m.number)
        .map_err(|_| corrupt("certificate number", &m.number))?;
    let services: Vec<DecidedService> =
        serde_json::from_str(&m.services).map_err(|_| corrupt("services", &m.services))?;
    let monitoring_period = match m.monitoring_period.as_deref() {
        None => None,
        Some(p) => {
            Some(MonitoringPeriod::from_code(p).ok_or_else(|| corrupt("monitoring period", p))?)
        }
    };
    let monitoring_months = m
        .monitoring_months
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| YearMonth::from_code(s).ok_or_else(|| corrupt("monitoring month", s)))
        .collect::<Result<_>>()?;
    Ok(Certificate {
        id: m.id,
        client_id: m.client_id,
        version_no: m.version_no,
        record: CertificateRecord {
            kind,
            number,
            municipality: m.municipality,
            issued_on: m.issued_on,
            decision_from: m.decision_from,
            decision_until: m.decision_until,
            services,
            cost_cap_yen: m.cost_cap_yen,
            plan_support_from: m.plan_support_from,
            plan_support_until: m.plan_support_until,
            monitoring_period,
            monitoring_months,
            note: m.note,
        },
        created_by: m.created_by,
        created_at: m.created_at,
    })
}

/// Adds a new version; returns (id, version number).
pub async fn add(tx: &mut Tx, a: &ClientAccess, r: &CertificateRecord) -> Result<(i64, i32)> {
    add_many(tx, &[(a, r)])
        .await?
        .pop()
        .ok_or_else(|| corrupt("certificate insert", "no id returned"))
}

/// Rows per multi-row INSERT of certificates (18 values each).
const INSERT_CHUNK: usize = 1000;

/// New versions for one or many clients (a bulk load): each numbered after the client's newest,
/// one audit event each, one INSERT per 1,000; returns (id, version number) in the order given.
pub async fn add_many(
    tx: &mut Tx,
    items: &[(&ClientAccess, &CertificateRecord)],
) -> Result<Vec<(i64, i32)>> {
    let mut clients: Vec<i64> = Vec::with_capacity(items.len());
    for (a, _) in items {
        a.check(RecordKind::Certificate, Action::Write)?;
        clients.push(a.client_id);
    }
    clients.sort_unstable();
    clients.dedup();
    let mut last: HashMap<i64, i32> = HashMap::with_capacity(clients.len());
    for chunk in clients.chunks(crate::tx::IN_LIST_CHUNK) {
        let found: Vec<(i64, Option<i32>)> = certificate::Entity::find()
            .select_only()
            .column(certificate::Column::ClientId)
            .column_as(certificate::Column::VersionNo.max(), "v")
            .filter(certificate::Column::ClientId.is_in(chunk.iter().copied()))
            .filter(certificate::Column::OfficeId.eq(tx.office_id()))
            .group_by(certificate::Column::ClientId)
            .into_tuple()
            .all(tx.conn())
            .await?;
        last.extend(found.into_iter().map(|(c, v)| (c, v.unwrap_or(0))));
    }
    let now = now_utc();
    let mut numbers = Vec::with_capacity(items.len());
    let mut rows = Vec::with_capacity(items.len());
    for (a, r) in items {
        let version_no = last.entry(a.client_id).or_insert(0);
        *version_no += 1;
        numbers.push(*version_no);
        let services =
            serde_json::to_string(&r.services).map_err(|e| corrupt("services", &e.to_string()))?;
        rows.push(certificate::ActiveModel {
            office_id: Set(tx.office_id()),
            client_id: Set(a.client_id),
            version_no: Set(*version_no),
            kind: Set(r.kind.code().into()),
            number: Set(r.number.as_str().into()),
            municipality: Set(r.municipality.clone()),
            issued_on: Set(r.issued_on),
            decision_from: Set(r.decision_from),
            decision_until: Set(r.decision_until),
            services: Set(services),
            cost_cap_yen: Set(r.cost_cap_yen),
            plan_support_from: Set(r.plan_support_from),
            plan_support_until: Set(r.plan_support_until),
            monitoring_period: Set(r.monitoring_period.map(|p| p.code().to_string())),
            monitoring_months: Set(r
                .monitoring_months
                .iter()
                .map(|m| m.code())
                .collect::<Vec<_>>()
                .join(",")),
            note: Set(r.note.clone()),
            created_by: Set(tx.actor().user_id),
            created_at: Set(now),
            ..Default::default()
        });
    }
    let ids = crate::insert_returning_ids(tx.conn(), rows, INSERT_CHUNK).await?;
    crate::clients::refresh_cert_until(tx, &clients).await?;
    let mut out = Vec::with_capacity(items.len());
    for ((id, (a, _)), version_no) in ids.into_iter().zip(items).zip(numbers) {
        tx.record(
            "create",
            RecordKind::Certificate,
            Some(id),
            Some(a.client_id),
            format!("v{version_no}"),
        );
        out.push((id, version_no));
    }
    Ok(out)
}

/// Every version, newest first (the read is logged).
pub async fn list(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<Certificate>> {
    a.check(RecordKind::Certificate, Action::Read)?;
    let rows = certificate::Entity::find()
        .filter(certificate::Column::ClientId.eq(a.client_id))
        .filter(certificate::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(certificate::Column::VersionNo)
        .all(tx.conn())
        .await?;
    from_rows(tx, a, rows)
}

/// The versions read, newest first, with the read logged.
pub(crate) fn from_rows(
    tx: &mut Tx,
    a: &ClientAccess,
    rows: Vec<certificate::Model>,
) -> Result<Vec<Certificate>> {
    a.check(RecordKind::Certificate, Action::Read)?;
    tx.record(
        "read",
        RecordKind::Certificate,
        None,
        Some(a.client_id),
        "list",
    );
    rows.into_iter().map(from_model).collect()
}
