//! The ledger as a Patient on JP Core: the name in kanji (IDE) and in katakana (SYL) with the
//! iso21090-EN-representation extension, as JP Core writes Japanese names; the office as an
//! Organization; staff and professionals of the team as Practitioners.

use super::PersonExport;
use super::ids::Ids;
use super::json::{concept, telecom};
use serde_json::{Value, json};
use yorisoi_domain::client::{ClientStatus, GuardianKind, Sex};
use yorisoi_domain::text::hiragana_to_katakana;

pub const JP_PATIENT: &str = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient";
const REPRESENTATION: &str = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

/// A HumanName in one representation: IDE (漢字) or SYL (カナ).
fn name(representation: &str, family: &str, given: &str) -> Value {
    let text = format!("{} {}", family.trim(), given.trim())
        .trim()
        .to_string();
    json!({
        "extension": [{"url": REPRESENTATION, "valueCode": representation}],
        "use": "official",
        "text": text,
        "family": family,
        "given": [given],
    })
}

fn gender(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Other => "other",
    }
}

pub fn patient(x: &PersonExport, ids: &Ids) -> Value {
    let c = &x.client;
    let kana = |s: &str| hiragana_to_katakana(s.trim());
    let mut names = vec![name("IDE", &c.family_name, &c.given_name)];
    if !(c.family_name_kana.trim().is_empty() && c.given_name_kana.trim().is_empty()) {
        names.push(name(
            "SYL",
            &kana(&c.family_name_kana),
            &kana(&c.given_name_kana),
        ));
    }
    let address = if c.address.trim().is_empty() && c.postal_code.trim().is_empty() {
        Value::Null
    } else {
        json!([{
            "use": "home",
            "text": c.address,
            "postalCode": c.postal_code,
            "country": "JP",
        }])
    };
    // Those who act for the person: each parent of a child, a 成年後見人.
    let contacts: Vec<Value> = c
        .guardians
        .iter()
        .filter(|g| g.kind != GuardianKind::None && !g.name.trim().is_empty())
        .map(|g| {
            let relation = match (g.kind, g.relation.trim()) {
                (GuardianKind::Parent | GuardianKind::Other, r) if !r.is_empty() => r.to_string(),
                (k, "") => k.label().to_string(),
                (k, r) => format!("{}・{r}", k.label()),
            };
            json!({
                "relationship": [concept(&relation)],
                "name": {"text": g.name},
                "telecom": [telecom(&g.contact)],
            })
        })
        .collect();
    json!({
        "resourceType": "Patient",
        "meta": {"profile": [JP_PATIENT]},
        "identifier": [{"system": ids.system(), "value": format!("client-{}", x.client_id)}],
        "active": c.status != ClientStatus::Closed,
        "name": names,
        "telecom": [telecom(&c.phone)],
        "gender": gender(c.sex),
        "birthDate": c.birth_date.to_string(),
        "address": address,
        "contact": contacts,
        "managingOrganization": {"reference": ids.urn("organization")},
    })
}

/// The office (相談支援事業所).
pub fn organization(name: &str) -> Value {
    json!({
        "resourceType": "Organization",
        "active": true,
        "name": name,
    })
}

/// A person who works for the person: the specialist, or a professional of the team.
pub fn practitioner(name: &str, contact: &str, active: bool) -> Value {
    json!({
        "resourceType": "Practitioner",
        "active": active,
        "name": [{"text": name}],
        "telecom": [telecom(contact)],
    })
}
