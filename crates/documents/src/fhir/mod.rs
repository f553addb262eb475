//! A person's record as a FHIR R4 Bundle (issue 21): the ledger as a JP Core Patient, the plan
//! as a CarePlan with its Goals and a ServiceRequest (with its Timing) per service and per
//! activity of the 週間計画表, the care team as a CareTeam with RelatedPerson for the family,
//! each consent to share as a Consent, and the assessment's strengths as social-history
//! Observations (the pattern HL7's eLTSS guide uses for a person-centred service plan), and the
//! plan's PDF as a DocumentReference pointing at yorisoi's own download (read with the same
//! sign-in or token).
//!
//! Pure functions from domain records to JSON: the caller reads only what the user may see and
//! passes `None` for the rest. Every resource's id is a version-5 UUID of the office and the
//! record ([`ids`]), so the same records always give the same bundle.

pub mod ids;
mod json;
mod patient;
mod plan;
mod team;

use chrono::NaiveDate;
use ids::Ids;
use serde_json::{Value, json};
use yorisoi_domain::assessment::AssessmentRecord;
use yorisoi_domain::client::ClientRecord;
use yorisoi_domain::plan::{PlanRecord, PlanState};
use yorisoi_domain::team::{ShareConsentRecord, TeamMemberRecord};

/// The staff member in charge (計画作成担当者).
#[derive(Debug, Clone)]
pub struct Staff {
    pub user_id: i64,
    pub name: String,
}

/// The plan exported: the one in force, or the newest.
#[derive(Debug, Clone)]
pub struct PlanExport {
    pub id: i64,
    pub version_no: i32,
    pub state: PlanState,
    /// The case's closing date, when it is closed (the plan is then completed).
    pub case_closed_on: Option<NaiveDate>,
    pub record: PlanRecord,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    pub active: bool,
    pub record: TeamMemberRecord,
}

#[derive(Debug, Clone)]
pub struct Consent {
    pub id: i64,
    pub record: ShareConsentRecord,
}

/// The care team and the consents to share with its members.
#[derive(Debug, Clone, Default)]
pub struct TeamExport {
    pub members: Vec<Member>,
    pub consents: Vec<Consent>,
}

/// The assessment whose strengths are exported (the newest version).
#[derive(Debug, Clone)]
pub struct AssessmentExport {
    pub id: i64,
    pub record: AssessmentRecord,
}

/// Everything the bundle is made from. `None` where the user may not read the record kind (or
/// there is none).
#[derive(Debug, Clone)]
pub struct PersonExport {
    pub office_id: i64,
    pub office_name: String,
    pub client_id: i64,
    pub client: ClientRecord,
    pub specialist: Option<Staff>,
    pub plan: Option<PlanExport>,
    pub team: Option<TeamExport>,
    pub assessment: Option<AssessmentExport>,
    /// Where yorisoi is opened (`https://yorisoi.example.jp`, no trailing slash), for the
    /// plan PDF's address; "" gives an address relative to the server.
    pub base_url: String,
}

/// The entries as they are built: (fullUrl, resource).
pub(crate) struct Entries {
    pub ids: Ids,
    list: Vec<(String, Value)>,
}

impl Entries {
    /// Adds `resource` under `what`'s `urn:uuid:`, its id the same UUID.
    pub fn push(&mut self, what: &str, mut resource: Value) {
        json::prune(&mut resource);
        if let Value::Object(m) = &mut resource {
            m.insert("id".into(), Value::String(self.ids.uuid(what)));
        }
        self.list.push((self.ids.urn(what), resource));
    }
}

/// Where each resource of a person is named (the names behind the UUIDs).
pub(crate) struct Refs {
    pub patient: String,
    pub organization: String,
    pub specialist: Option<String>,
    pub care_team: Option<String>,
}

/// The person's FHIR R4 Bundle (type `collection`).
pub fn bundle(x: &PersonExport) -> Value {
    let ids = Ids {
        office_id: x.office_id,
    };
    let mut e = Entries {
        ids,
        list: Vec::new(),
    };
    let c = x.client_id;
    let refs = Refs {
        patient: ids.urn(&format!("patient/{c}")),
        organization: ids.urn("organization"),
        specialist: x
            .specialist
            .as_ref()
            .map(|s| ids.urn(&format!("staff/{}", s.user_id))),
        // A team of no one is left out.
        care_team: x
            .team
            .as_ref()
            .filter(|t| x.specialist.is_some() || t.members.iter().any(|m| m.active))
            .map(|_| ids.urn(&format!("care-team/{c}"))),
    };
    e.push(&format!("patient/{c}"), patient::patient(x, &ids));
    e.push("organization", patient::organization(&x.office_name));
    if let Some(s) = &x.specialist {
        e.push(
            &format!("staff/{}", s.user_id),
            patient::practitioner(&s.name, "", true),
        );
    }
    if let Some(t) = &x.team {
        team::team(&mut e, x, t, &refs);
    }
    let strengths = x
        .assessment
        .as_ref()
        .map(|a| strengths(&mut e, a, &refs))
        .unwrap_or_default();
    if let Some(p) = &x.plan {
        plan::plan(&mut e, p, &refs, &strengths);
        plan::document(&mut e, p, &refs, &x.base_url);
    }
    let entries: Vec<Value> = e
        .list
        .into_iter()
        .map(|(url, r)| json!({"fullUrl": url, "resource": r}))
        .collect();
    // The bundle's own id names its content: the same records, the same id.
    let content = serde_json::to_string(&entries).unwrap_or_default();
    let id = ids.uuid(&format!("bundle/{c}/{}", content_digest(&content)));
    json!({
        "resourceType": "Bundle",
        "id": id,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{id}")},
        "type": "collection",
        "entry": entries,
    })
}

fn content_digest(s: &str) -> String {
    use sha1::{Digest, Sha1};
    Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The assessment's strengths as social-history Observations; returns their references.
fn strengths(e: &mut Entries, a: &AssessmentExport, refs: &Refs) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in a.record.strengths.iter().enumerate() {
        let text = s.text.trim();
        if text.is_empty() {
            continue;
        }
        let what = format!("strength/{}/{i}", a.id);
        e.push(
            &what,
            json!({
                "resourceType": "Observation",
                "status": "final",
                "category": [{
                    "coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "social-history",
                        "display": "Social History"
                    }],
                    "text": "ストレングス"
                }],
                "code": {"text": format!("ストレングス（{}）", s.kind.label())},
                "subject": {"reference": refs.patient},
                "effectiveDateTime": a.record.assessed_on.to_string(),
                "valueString": text,
            }),
        );
        out.push(e.ids.urn(&what));
    }
    out
}

/// "Patient 1・CarePlan 1・Goal 3": how many of each resource, for the audit log.
pub fn summary(bundle: &Value) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for entry in bundle["entry"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let rt = entry["resource"]["resourceType"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        match counts.iter_mut().find(|(k, _)| *k == rt) {
            Some((_, n)) => *n += 1,
            None => counts.push((rt, 1)),
        }
    }
    counts
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join("・")
}

#[cfg(test)]
mod tests;
