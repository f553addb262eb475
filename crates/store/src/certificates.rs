//! 受給者証: versioned. A new certificate never edits the old one; the newest version is the one
//! in force and its decision period drives the ledger's expiry column.

use crate::entities::certificate;
use crate::{ClientAccess, Result, Tx, corrupt, now_utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
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
    a.check(RecordKind::Certificate, Action::Write)?;
    let last: Option<i32> = certificate::Entity::find()
        .select_only()
        .column_as(certificate::Column::VersionNo.max(), "v")
        .filter(certificate::Column::ClientId.eq(a.client_id))
        .filter(certificate::Column::OfficeId.eq(tx.office_id()))
        .into_tuple::<Option<i32>>()
        .one(tx.conn())
        .await?
        .flatten();
    let version_no = last.unwrap_or(0) + 1;
    let services =
        serde_json::to_string(&r.services).map_err(|e| corrupt("services", &e.to_string()))?;
    let m = certificate::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        version_no: Set(version_no),
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
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    crate::clients::set_cert_until(tx, a.client_id, r.decision_until).await?;
    tx.record(
        "create",
        RecordKind::Certificate,
        Some(m.id),
        Some(a.client_id),
        format!("v{version_no}"),
    );
    Ok((m.id, version_no))
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
    tx.record(
        "read",
        RecordKind::Certificate,
        None,
        Some(a.client_id),
        "list",
    );
    rows.into_iter().map(from_model).collect()
}
