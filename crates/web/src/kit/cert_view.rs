//! One version of a 受給者証 as shown (the client page and the certificate history).

use crate::kit::display::{date, odate};
use yorisoi_store::certificates::Certificate;

pub struct CertView {
    pub version_no: i32,
    pub kind: &'static str,
    pub number: String,
    pub municipality: String,
    pub issued: String,
    pub decision: String,
    pub services: Vec<(String, String)>,
    pub cost_cap: String,
    pub plan_support: String,
    pub monitoring_period: String,
    pub monitoring_months: String,
    pub note: String,
    pub created: String,
}

impl CertView {
    pub fn new(c: &Certificate) -> Self {
        let r = &c.record;
        CertView {
            version_no: c.version_no,
            kind: r.kind.label(),
            number: r.number.as_str().to_string(),
            municipality: r.municipality.clone(),
            issued: date(r.issued_on),
            decision: format!("{} 〜 {}", date(r.decision_from), date(r.decision_until)),
            services: r
                .services
                .iter()
                .map(|s| (s.service.clone(), s.amount.clone()))
                .collect(),
            cost_cap: format!("{}円", r.cost_cap_yen),
            plan_support: match (r.plan_support_from, r.plan_support_until) {
                (None, None) => String::new(),
                (f, u) => format!("{} 〜 {}", odate(f), odate(u)),
            },
            monitoring_period: r
                .monitoring_period
                .map(|p| p.label().to_string())
                .unwrap_or_default(),
            monitoring_months: r
                .monitoring_months
                .iter()
                .map(|m| crate::kit::display::month(*m))
                .collect::<Vec<_>>()
                .join("、"),
            note: r.note.clone(),
            created: date((c.created_at + chrono::Duration::hours(9)).date_naive()),
        }
    }
}
