//! The certificate form is the domain's `CertificateInput`; here, filling it from a stored
//! version (前回コピー) or blank.

use yorisoi_domain::certificate::{CertificateInput, CertificateRecord};

/// The form as it would be typed, from a stored certificate.
pub fn from_record(r: &CertificateRecord) -> CertificateInput {
    let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    CertificateInput {
        kind: r.kind.code().into(),
        number: r.number.as_str().into(),
        municipality: r.municipality.clone(),
        issued_on: r.issued_on.to_string(),
        decision_from: r.decision_from.to_string(),
        decision_until: r.decision_until.to_string(),
        services: r
            .services
            .iter()
            .map(|s| format!("{}：{}", s.service, s.amount))
            .collect::<Vec<_>>()
            .join("\n"),
        cost_cap_yen: r.cost_cap_yen.to_string(),
        plan_support_from: d(r.plan_support_from),
        plan_support_until: d(r.plan_support_until),
        monitoring_period: r
            .monitoring_period
            .map(|p| p.code().to_string())
            .unwrap_or_default(),
        monitoring_months: r
            .monitoring_months
            .iter()
            .map(|m| m.code())
            .collect::<Vec<_>>()
            .join(", "),
        note: r.note.clone(),
    }
}

/// A blank form (no version yet).
pub fn blank() -> CertificateInput {
    CertificateInput {
        kind: "welfare".into(),
        ..Default::default()
    }
}
