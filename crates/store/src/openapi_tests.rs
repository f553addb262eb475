//! The API's OpenAPI schemas come from the types themselves: a document built from them names
//! the domain's code lists and the types' fields, and every reference in it resolves.

use serde_json::Value;
use std::collections::BTreeSet;
use utoipa::OpenApi;
use yorisoi_domain::assessment::AssessmentInput;
use yorisoi_domain::client::{ClientInput, Sex};
use yorisoi_domain::plan::PlanInput;

use crate::clients::Client;
use crate::plans::Plan;

#[derive(OpenApi)]
#[openapi(components(schemas(ClientInput, Sex, PlanInput, AssessmentInput, Client, Plan)))]
struct Representative;

/// Every type the JSON API reads or writes, so that a missing or clashing schema shows here
/// rather than in the web crate.
#[derive(OpenApi)]
#[openapi(components(schemas(
    yorisoi_domain::FieldErrors,
    yorisoi_domain::client::ClientInput,
    yorisoi_domain::client::BookInput,
    yorisoi_domain::certificate::CertificateInput,
    yorisoi_domain::case::IntakeInput,
    yorisoi_domain::case::CloseInput,
    yorisoi_domain::note::NoteInput,
    yorisoi_domain::assessment::AssessmentInput,
    yorisoi_domain::assessment::StartInput,
    yorisoi_domain::assessment::SectionDiff,
    yorisoi_domain::plan::PlanInput,
    yorisoi_domain::plan::DraftInput,
    yorisoi_domain::plan::PlanConsentInput,
    yorisoi_domain::plan::HandoverInput,
    yorisoi_domain::plan::ImplementationInput,
    yorisoi_domain::plan::FeeStep,
    yorisoi_domain::meeting::MeetingInput,
    yorisoi_domain::monitoring::MonitoringInput,
    yorisoi_domain::monitoring::schedule::Schedule,
    yorisoi_domain::decision::DecisionInput,
    yorisoi_domain::team::TeamMemberInput,
    yorisoi_domain::team::ResourceInput,
    yorisoi_domain::team::ShareConsentInput,
    yorisoi_domain::office::DocSettings,
    yorisoi_domain::policy::RecordKind,
    yorisoi_domain::policy::Action,
    crate::clients::Client,
    crate::clients::Book,
    crate::clients::ClientSort,
    crate::certificates::Certificate,
    crate::cases::Case,
    crate::cases::Intake,
    crate::notes::Note,
    crate::assessments::Assessment,
    crate::assessments::Summary,
    crate::plans::Plan,
    crate::plans::Summary,
    crate::plans::Implementation,
    crate::meetings::Meeting,
    crate::monitorings::Monitoring,
    crate::decisions::Decision,
    crate::decisions::Summary,
    crate::team::Member,
    crate::team::Consent,
    crate::resources::Resource,
    yorisoi_domain::region::RegionalIssueInput,
    crate::regional_issues::RegionalIssue,
    crate::regional_issues::Summary,
    crate::regional_issues::Saved,
    crate::regional_issues::CountCell,
    crate::regional_issues::People,
    crate::dashboard::Dashboard,
    crate::users::NewUser,
)))]
struct Everything;

fn schemas(doc: &utoipa::openapi::OpenApi) -> serde_json::Map<String, Value> {
    let v = serde_json::to_value(doc).unwrap();
    v["components"]["schemas"].as_object().unwrap().clone()
}

fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn code_lists_and_fields_come_from_the_types() {
    let s = schemas(&Representative::openapi());
    let sex = &s["Sex"];
    assert_eq!(sex["type"], "string");
    assert_eq!(sex["enum"], serde_json::json!(["male", "female", "other"]));
    assert_eq!(
        sex["description"],
        "male: 男性, female: 女性, other: その他・回答しない"
    );
    let client_input = &s["ClientInput"];
    assert_eq!(client_input["properties"]["family_name"]["type"], "string");
    assert!(
        client_input["properties"]["birth_date"]["description"]
            .as_str()
            .unwrap()
            .contains("令和8年4月1日"),
        "{}",
        client_input["properties"]["birth_date"]
    );
    assert_eq!(client_input["example"]["given_name_kana"], "はなこ");
    // The stored ledger entry carries the code enums, referenced by name.
    let record = &s["ClientRecord"];
    assert_eq!(
        record["properties"]["sex"]["$ref"],
        "#/components/schemas/Sex"
    );
    assert!(s.contains_key("SupportCategory"), "{:?}", s.keys());
    // The nested types of the plan and the assessment are collected with them.
    for name in [
        "PlanRecord",
        "PlanRow",
        "ServiceSchedule",
        "AbilityInput",
        "NeedInput",
    ] {
        assert!(s.contains_key(name), "{name} missing: {:?}", s.keys());
    }
}

#[test]
fn every_reference_in_the_api_schemas_resolves() {
    let doc = Everything::openapi();
    let s = schemas(&doc);
    let mut found = BTreeSet::new();
    refs(&Value::Object(s.clone()), &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| !s.contains_key(name))
        })
        .collect();
    assert!(missing.is_empty(), "unresolved: {missing:?}");
    // Types of the same name in different modules are kept apart.
    for name in [
        "AssessmentSummary",
        "PlanSummary",
        "DecisionSummary",
        "MonitoringSchedule",
        "ServiceSchedule",
        "MeetingParticipant",
        "DecisionParticipant",
    ] {
        assert!(s.contains_key(name), "{name} missing: {:?}", s.keys());
    }
    let errors = &s["FieldErrors"];
    assert_eq!(errors["type"], "object");
    assert_eq!(errors["additionalProperties"]["type"], "string");
}
