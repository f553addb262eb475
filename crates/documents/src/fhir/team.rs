//! The care team: a CareTeam whose participants are the specialist, the person, RelatedPersons
//! (family, friends, neighbours, a 成年後見人) and Practitioners (the professionals, on behalf of
//! their organisation); and each consent to share as a Consent, withdrawn ones inactive.

use super::json::{concept, split_bracket, telecom};
use super::patient::practitioner;
use super::{Consent, Entries, Member, PersonExport, Refs, TeamExport};
use serde_json::{Value, json};
use yorisoi_domain::team::{MemberKind, same_person_key};

const ROLE_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

/// What a member is as a resource.
enum As {
    /// The person themself: the Patient.
    Patient,
    Related,
    Practitioner,
}

fn kind_of(k: MemberKind) -> As {
    match k {
        MemberKind::Person => As::Patient,
        MemberKind::Family | MemberKind::Friend | MemberKind::Neighbour | MemberKind::Curator => {
            As::Related
        }
        _ => As::Practitioner,
    }
}

/// The relation written in a family member's name (「青木 実（兄）」), as v3 RoleCode where
/// one fits.
fn relationship(kind: MemberKind, relation: &str) -> Value {
    const TABLE: &[(&[&str], &str, &str)] = &[
        (&["祖母"], "GRMTH", "grandmother"),
        (&["祖父"], "GRFTH", "grandfather"),
        (&["叔母", "伯母"], "AUNT", "aunt"),
        (&["叔父", "伯父"], "UNCLE", "uncle"),
        (&["兄", "弟"], "BRO", "brother"),
        (&["姉", "妹"], "SIS", "sister"),
        (&["母"], "MTH", "mother"),
        (&["父"], "FTH", "father"),
        (&["夫"], "HUSB", "husband"),
        (&["妻"], "WIFE", "wife"),
        (&["息子", "長男", "次男", "三男"], "SONC", "son"),
        (&["娘", "長女", "次女", "三女"], "DAUC", "daughter"),
    ];
    let coded = match kind {
        MemberKind::Curator => Some(("GUARD", "guardian")),
        MemberKind::Friend => Some(("FRND", "unrelated friend")),
        MemberKind::Neighbour => Some(("NBOR", "neighbor")),
        _ => TABLE
            .iter()
            .find(|(words, _, _)| words.iter().any(|w| relation.contains(w)))
            .map(|(_, c, d)| (*c, *d))
            .or(Some(("FAMMEMB", "family member"))),
    };
    let text = if relation.is_empty() {
        kind.label()
    } else {
        relation
    };
    match coded {
        Some((code, display)) => json!({
            "coding": [{"system": ROLE_CODE, "code": code, "display": display}],
            "text": text,
        }),
        None => concept(text),
    }
}

fn member_what(m: &Member) -> String {
    format!("member/{}", m.id)
}

/// Where a member is in the bundle.
fn member_ref(e: &Entries, refs: &Refs, m: &Member) -> String {
    match kind_of(m.record.kind) {
        As::Patient => refs.patient.clone(),
        _ => e.ids.urn(&member_what(m)),
    }
}

pub fn team(e: &mut Entries, x: &PersonExport, t: &TeamExport, refs: &Refs) {
    let mut participants = Vec::new();
    if let (Some(s), Some(r)) = (&x.specialist, &refs.specialist) {
        participants.push(json!({
            "role": [concept("相談支援専門員（計画作成担当者）")],
            "member": {"reference": r, "display": s.name},
            "onBehalfOf": {"reference": refs.organization},
        }));
    }
    for m in &t.members {
        let r = &m.record;
        let reference = member_ref(e, refs, m);
        match kind_of(r.kind) {
            As::Patient => {}
            As::Related => {
                let (name, relation) = split_bracket(&r.name);
                e.push(
                    &member_what(m),
                    json!({
                        "resourceType": "RelatedPerson",
                        "active": m.active,
                        "patient": {"reference": refs.patient},
                        "relationship": [relationship(r.kind, &relation)],
                        "name": [{"text": name}],
                        "telecom": [telecom(&r.contact)],
                    }),
                );
            }
            As::Practitioner => {
                e.push(&member_what(m), practitioner(&r.name, &r.contact, m.active));
            }
        }
        if !m.active {
            continue;
        }
        // Only a Practitioner acts on behalf of an organisation (ctm-1).
        let on_behalf = match kind_of(r.kind) {
            As::Practitioner if !r.organisation.trim().is_empty() => {
                json!({"display": r.organisation})
            }
            _ => Value::Null,
        };
        participants.push(json!({
            "role": [concept(r.kind.label()), concept(&r.role)],
            "member": {"reference": reference, "display": r.name},
            "onBehalfOf": on_behalf,
        }));
    }
    if refs.care_team.is_some() {
        e.push(
            &format!("care-team/{}", x.client_id),
            json!({
                "resourceType": "CareTeam",
                "status": "active",
                "name": format!("{}さんのケアチーム", x.client.full_name()),
                "subject": {"reference": refs.patient},
                "participant": participants,
                "managingOrganization": [{"reference": refs.organization}],
            }),
        );
    }
    for c in &t.consents {
        consent(e, t, c, refs);
    }
}

fn consent(e: &mut Entries, t: &TeamExport, c: &Consent, refs: &Refs) {
    let r = &c.record;
    // The one who gave it: the person, or the family member for their own information.
    let performer = if r.is_client_own() {
        json!({"reference": refs.patient})
    } else {
        let who = same_person_key(&r.subject);
        match t
            .members
            .iter()
            .find(|m| same_person_key(&m.record.name) == who)
        {
            Some(m) => json!({"reference": member_ref(e, refs, m), "display": r.subject}),
            None => json!({"display": r.subject}),
        }
    };
    let actors: Vec<Value> = r
        .member_ids
        .iter()
        .filter_map(|id| t.members.iter().find(|m| m.id == *id))
        .map(|m| {
            json!({
                "role": {
                    "coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                        "code": "IRCP",
                        "display": "information recipient"
                    }]
                },
                "reference": {"reference": member_ref(e, refs, m), "display": m.record.name},
            })
        })
        .collect();
    let whose = if r.is_client_own() {
        "本人の情報".to_string()
    } else {
        format!("{}の情報", r.subject)
    };
    let sections: Vec<Value> = r.sections.iter().map(|s| concept(s.label())).collect();
    e.push(
        &format!("consent/{}", c.id),
        json!({
            "resourceType": "Consent",
            "status": if r.withdrawn_on.is_some() { "inactive" } else { "active" },
            "scope": {
                "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                    "display": "Privacy Consent"
                }],
                "text": "個人情報使用同意"
            },
            "category": [{
                "coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}],
                "text": format!("{whose}をケアチームに提供することへの同意"),
            }],
            "patient": {"reference": refs.patient},
            "dateTime": r.given_on.to_string(),
            "performer": [performer],
            "organization": [{"reference": refs.organization}],
            "sourceAttachment": {"title": r.document},
            "policyRule": {
                "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "OPTIN",
                    "display": "opt-in"
                }],
                "text": format!("目的：{}", r.purpose.trim()),
            },
            "provision": {
                "type": "permit",
                "period": {
                    "start": r.given_on.to_string(),
                    "end": r.withdrawn_on.map(|d| d.to_string()),
                },
                "actor": actors,
                "purpose": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    "code": "COC",
                    "display": "coordination of care"
                }],
                "code": sections,
            },
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_read_from_the_name() {
        assert_eq!(
            relationship(MemberKind::Family, "兄")["coding"][0]["code"],
            "BRO"
        );
        assert_eq!(
            relationship(MemberKind::Family, "祖母")["coding"][0]["code"],
            "GRMTH"
        );
        assert_eq!(
            relationship(MemberKind::Family, "母")["coding"][0]["code"],
            "MTH"
        );
        assert_eq!(
            relationship(MemberKind::Family, "")["coding"][0]["code"],
            "FAMMEMB"
        );
        assert_eq!(relationship(MemberKind::Family, "")["text"], "家族");
        assert_eq!(
            relationship(MemberKind::Curator, "弁護士")["coding"][0]["code"],
            "GUARD"
        );
    }
}
