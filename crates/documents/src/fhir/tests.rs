#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use chrono::NaiveTime;
use yorisoi_domain::assessment::{AssessmentMethod, BasicInfo, Strength, StrengthKind};
use yorisoi_domain::client::{ClientInput, GuardianInput};
use yorisoi_domain::plan::{PlanKind, Schedule, WeekEntry};
use yorisoi_domain::team::{MemberKind, ShareSection};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn person() -> PersonExport {
    let today = day("2026-06-01");
    let client = ClientInput {
        family_name: "青木".into(),
        given_name: "明子".into(),
        family_name_kana: "あおき".into(),
        given_name_kana: "あきこ".into(),
        birth_date: "1981-03-02".into(),
        sex: "female".into(),
        address: "N市本町1-2-3".into(),
        phone: "0439-00-1234".into(),
        guardians: vec![GuardianInput {
            kind: "guardian".into(),
            relation: "弁護士".into(),
            name: "森 和也".into(),
            contact: "0439-00-9999".into(),
        }],
        ..Default::default()
    }
    .validate(today)
    .unwrap();
    let mut a = AssessmentRecord::new(
        day("2026-04-10"),
        AssessmentMethod::HomeVisit,
        "本人".into(),
        BasicInfo::default(),
    );
    a.strengths = vec![
        Strength {
            kind: StrengthKind::GoodAt,
            text: "おしゃべりが得意".into(),
        },
        Strength {
            kind: StrengthKind::Interest,
            text: "  ".into(),
        },
    ];
    let mut plan = PlanRecord::draft_from(PlanKind::Adult, day("2026-04-20"), 5, &a);
    plan.long_goal = "A型事業所で働く".into();
    plan.short_goal = "B型に週4日通い続ける".into();
    plan.decided_on = Some(day("2026-05-01"));
    plan.rows = vec![yorisoi_domain::plan::PlanRow {
        key: 1,
        need_key: None,
        from_wish: String::new(),
        need: "薬を飲み忘れる".into(),
        goal: "毎朝薬を飲む".into(),
        due: "6か月".into(),
        category: yorisoi_domain::plan::ServiceCategory::Welfare,
        service_type: Some(yorisoi_domain::plan::ServiceType::EmploymentB),
        service: "就労継続支援B型 週4日".into(),
        schedule: Some(Schedule {
            days: vec![0, 2, 4, 7],
            start: NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(15, 30, 0).unwrap(),
        }),
        provider: "ひかり作業所".into(),
        resource_id: None,
        person_role: "薬カレンダーを使う".into(),
        review: "3か月後".into(),
        notes: String::new(),
    }];
    plan.week.entries = vec![
        WeekEntry {
            day: 5,
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
            label: "睡眠".into(),
        },
        WeekEntry {
            day: 6,
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
            label: "睡眠".into(),
        },
    ];
    let member = |id, kind, name: &str| Member {
        id,
        active: true,
        record: TeamMemberRecord {
            kind,
            name: name.into(),
            organisation: if kind == MemberKind::Provider {
                "ひかり作業所".into()
            } else {
                String::new()
            },
            contact: "090-0000-0000".into(),
            role: "見守り".into(),
            resource_id: None,
        },
    };
    let members = vec![
        member(1, MemberKind::Person, "青木 明子"),
        member(2, MemberKind::Family, "青木 実（兄）"),
        member(3, MemberKind::Provider, "佐藤 ひかり"),
    ];
    let consent = |id, subject: &str, withdrawn| Consent {
        id,
        record: ShareConsentRecord {
            subject: subject.into(),
            member_ids: vec![2, 3],
            sections: vec![ShareSection::Basic, ShareSection::Plan],
            purpose: "サービス担当者会議".into(),
            given_on: day("2026-04-10"),
            document: "個人情報使用同意書".into(),
            withdrawn_on: withdrawn,
        },
    };
    PersonExport {
        office_id: 1,
        office_name: "相談支援事業所 よりそい".into(),
        client_id: 7,
        client,
        specialist: Some(Staff {
            user_id: 3,
            name: "佐藤 美咲".into(),
        }),
        plan: Some(PlanExport {
            id: 11,
            version_no: 1,
            state: PlanState::Final,
            case_closed_on: None,
            record: plan,
        }),
        team: Some(TeamExport {
            members,
            consents: vec![
                consent(21, "", None),
                consent(22, "青木 実（兄）", Some(day("2026-05-20"))),
            ],
        }),
        assessment: Some(AssessmentExport { id: 5, record: a }),
        base_url: "https://yorisoi.example.jp/".into(),
    }
}

fn of_type<'a>(b: &'a Value, rt: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == rt)
        .collect()
}

/// Every "reference" in `v`.
fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("reference", Value::String(s)) => out.push(s.clone()),
                    _ => references(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

#[test]
fn the_bundle_holds_the_person_and_every_reference_resolves() {
    let b = bundle(&person());
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let urls: Vec<&str> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    let mut unique = urls.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), urls.len(), "fullUrls are unique");
    for e in b["entry"].as_array().unwrap() {
        let url = e["fullUrl"].as_str().unwrap();
        assert_eq!(
            url.strip_prefix("urn:uuid:"),
            e["resource"]["id"].as_str(),
            "the id is the fullUrl's UUID"
        );
    }
    let mut refs = Vec::new();
    references(&b, &mut refs);
    assert!(refs.len() > 10);
    for r in refs {
        assert!(urls.contains(&r.as_str()), "{r} resolves in the bundle");
    }
    assert_eq!(
        summary(&b),
        "Patient 1・Organization 1・Practitioner 2・RelatedPerson 1・CareTeam 1・Consent 2・Observation 1・Goal 3・ServiceRequest 2・CarePlan 1・DocumentReference 1"
    );
}

#[test]
fn the_patient_is_written_as_jp_core_writes_japanese_names() {
    let b = bundle(&person());
    let p = of_type(&b, "Patient")[0];
    assert_eq!(p["meta"]["profile"][0], patient::JP_PATIENT);
    assert_eq!(p["name"][0]["extension"][0]["valueCode"], "IDE");
    assert_eq!(p["name"][0]["family"], "青木");
    assert_eq!(p["name"][1]["extension"][0]["valueCode"], "SYL");
    assert_eq!(p["name"][1]["text"], "アオキ アキコ");
    assert_eq!(p["gender"], "female");
    assert_eq!(p["birthDate"], "1981-03-02");
    assert_eq!(p["telecom"][0]["system"], "phone");
    assert_eq!(p["address"][0]["text"], "N市本町1-2-3");
    assert_eq!(
        p["contact"][0]["relationship"][0]["text"],
        "成年後見人・弁護士"
    );
}

#[test]
fn the_plan_its_goals_and_the_week() {
    let b = bundle(&person());
    let cp = of_type(&b, "CarePlan")[0];
    assert_eq!(cp["status"], "active");
    assert_eq!(cp["intent"], "plan");
    assert_eq!(cp["period"]["start"], "2026-05-01");
    assert_eq!(cp["goal"].as_array().unwrap().len(), 3);
    assert_eq!(cp["activity"].as_array().unwrap().len(), 2);
    assert_eq!(cp["supportingInfo"].as_array().unwrap().len(), 1);
    let goals = of_type(&b, "Goal");
    assert_eq!(goals[0]["category"][0]["text"], "長期目標");
    assert_eq!(goals[2]["lifecycleStatus"], "active");
    assert!(
        goals[2]["note"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["text"] == "課題解決のための本人の役割：薬カレンダーを使う")
    );
    let srs = of_type(&b, "ServiceRequest");
    let t = &srs[0]["occurrenceTiming"];
    assert_eq!(t["repeat"]["dayOfWeek"], json!(["mon", "wed", "fri"]));
    assert_eq!(t["repeat"]["timeOfDay"], json!(["09:30:00"]));
    assert_eq!(t["repeat"]["duration"], 360);
    assert_eq!(t["code"]["text"], "月水金祝 09:30〜15:30");
    assert_eq!(srs[0]["patientInstruction"], "薬カレンダーを使う");
    assert_eq!(srs[0]["code"]["text"], "就労継続支援B型");
    // Sleep from 22:00 to 6:00 on Saturday and Sunday: one request over two days.
    let sleep = &srs[1]["occurrenceTiming"]["repeat"];
    assert_eq!(sleep["dayOfWeek"], json!(["sat", "sun"]));
    assert_eq!(sleep["duration"], 480);
    let obs = of_type(&b, "Observation");
    assert_eq!(obs[0]["category"][0]["coding"][0]["code"], "social-history");
    assert_eq!(obs[0]["valueString"], "おしゃべりが得意");
}

#[test]
fn the_team_and_consents() {
    let b = bundle(&person());
    let team = of_type(&b, "CareTeam")[0];
    let parts = team["participant"].as_array().unwrap();
    assert_eq!(parts.len(), 4, "the specialist and three members");
    assert_eq!(
        parts[0]["role"][0]["text"],
        "相談支援専門員（計画作成担当者）"
    );
    let rp = of_type(&b, "RelatedPerson")[0];
    assert_eq!(rp["relationship"][0]["coding"][0]["code"], "BRO");
    assert_eq!(rp["name"][0]["text"], "青木 実");
    let consents = of_type(&b, "Consent");
    assert_eq!(consents[0]["status"], "active");
    assert_eq!(consents[1]["status"], "inactive");
    assert_eq!(consents[1]["provision"]["period"]["end"], "2026-05-20");
    assert_eq!(
        consents[1]["performer"][0]["display"], "青木 実（兄）",
        "the brother gave his own"
    );
    assert_eq!(
        consents[0]["provision"]["actor"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn the_same_records_give_the_same_bundle() {
    let a = serde_json::to_string(&bundle(&person())).unwrap();
    let b = serde_json::to_string(&bundle(&person())).unwrap();
    assert_eq!(a, b);
    let mut changed = person();
    changed.client.phone = "0439-00-0000".into();
    let c = bundle(&changed);
    assert_ne!(
        serde_json::from_str::<Value>(&a).unwrap()["id"],
        c["id"],
        "other content, another bundle id"
    );
}

#[test]
fn what_the_user_may_not_read_is_not_there() {
    let mut x = person();
    x.plan = None;
    x.team = None;
    x.assessment = None;
    let b = bundle(&x);
    assert_eq!(summary(&b), "Patient 1・Organization 1・Practitioner 1");
    // A team of no one is no CareTeam.
    x.specialist = None;
    x.team = Some(TeamExport::default());
    assert_eq!(summary(&bundle(&x)), "Patient 1・Organization 1");
}

#[test]
fn the_plan_pdf_is_a_document_of_the_plan() {
    let b = bundle(&person());
    let docs = of_type(&b, "DocumentReference");
    assert_eq!(docs.len(), 1);
    let d = docs[0];
    assert_eq!(d["status"], "current");
    assert_eq!(d["docStatus"], "final");
    let a = &d["content"][0]["attachment"];
    assert_eq!(a["contentType"], "application/pdf");
    assert_eq!(a["url"], "https://yorisoi.example.jp/plans/11/pdf/plan");
    let plan = of_type(&b, "CarePlan")[0];
    let plan_url = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["id"] == plan["id"])
        .map(|e| e["fullUrl"].clone())
        .unwrap();
    assert_eq!(d["context"]["related"][0]["reference"], plan_url);
    assert!(d["date"].as_str().unwrap().ends_with("+09:00"));
    // A draft is preliminary; without a base the address is the server's own.
    let mut x = person();
    x.base_url = String::new();
    if let Some(p) = x.plan.as_mut() {
        p.state = PlanState::Draft;
    }
    let b = bundle(&x);
    let d = of_type(&b, "DocumentReference")[0];
    assert_eq!(d["docStatus"], "preliminary");
    assert_eq!(d["content"][0]["attachment"]["url"], "/plans/11/pdf/plan");
}
