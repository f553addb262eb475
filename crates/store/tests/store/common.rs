//! Shared helpers: an office with its staff, Aさん, and cases brought to an assessment or a final plan.

use chrono::NaiveDate;
use yorisoi_domain::case::IntakeInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::clients::{ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

pub(crate) struct Office {
    pub(crate) admin: Actor,
    pub(crate) spec: Actor,
    pub(crate) spec2: Actor,
    pub(crate) clerk: Actor,
}

pub(crate) async fn office(store: &Store, name: &str, prefix: &str) -> Office {
    let office_id = offices::create(store, name).await.unwrap();
    let admin_id = users::create_from_cli(
        store,
        office_id,
        &NewUser {
            login: format!("{prefix}admin"),
            display_name: "管理 太郎".into(),
            role: "admin".into(),
            password: "correct horse battery".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    let admin = Actor {
        user_id: admin_id,
        office_id,
        role: Role::Admin,
    };
    let mut tx = store.begin(admin).await.unwrap();
    let mut add = async |login: &str, role: Role| {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}{login}"),
                display_name: login.into(),
                role: role.code().into(),
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        Actor {
            user_id: id,
            office_id,
            role,
        }
    };
    let spec = add("spec", Role::Specialist).await;
    let spec2 = add("spec2", Role::Specialist).await;
    let clerk = add("clerk", Role::Clerk).await;
    tx.commit().await.unwrap();
    Office {
        admin,
        spec,
        spec2,
        clerk,
    }
}

pub(crate) fn a_san() -> ClientInput {
    ClientInput {
        family_name: "青木".into(),
        given_name: "明子".into(),
        family_name_kana: "あおき".into(),
        given_name_kana: "あきこ".into(),
        birth_date: "1981-03-02".into(),
        sex: "female".into(),
        disability_kinds: vec!["mental".into(), "intellectual".into()],
        support_category: "3".into(),
        ..Default::default()
    }
}

pub(crate) async fn add_client(store: &Store, actor: Actor, input: ClientInput) -> i64 {
    let mut tx = store.begin(actor).await.unwrap();
    let id = clients::create(
        &mut tx,
        &input.validate(today()).unwrap(),
        Some(actor.user_id),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) fn filter(q: &str) -> ClientFilter {
    ClientFilter {
        q: q.into(),
        status: None,
        staff: StaffFilter::Any,
        cert_within_days: None,
        today: today(),
        sort: ClientSort::Kana,
        page: 0,
        per_page: 50,
    }
}

pub(crate) async fn open_case(store: &Store, actor: Actor, client_id: i64) -> i64 {
    open_case_on(store, actor, client_id, "R8.4.1").await
}

/// A case opened with an intake on `intake_date` (as typed: 和暦 or 西暦).
pub(crate) async fn open_case_on(
    store: &Store,
    actor: Actor,
    client_id: i64,
    intake_date: &str,
) -> i64 {
    let intake = IntakeInput {
        intake_date: intake_date.into(),
        referral_source: "municipality".into(),
        chief_complaint: "働きたい".into(),
        consent_to_support: "yes".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let mut tx = store.begin(actor).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await
        .unwrap();
    let id = cases::open(&mut tx, &acc, &intake).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) fn full_assessment() -> yorisoi_domain::assessment::AssessmentInput {
    use yorisoi_domain::assessment::*;
    let row = |key: &str, rel: &str, sex: &str, client: bool| MemberInput {
        key: key.into(),
        relation: rel.into(),
        sex: sex.into(),
        birth_year: "1950".into(),
        is_client: if client { "yes" } else { "no" }.into(),
        ..Default::default()
    };
    AssessmentInput {
        assessed_on: "R8.4.10".into(),
        method: "home_visit".into(),
        present: "本人、母".into(),
        title: "働きたいAさん".into(),
        appearance: "穏やかに話す".into(),
        living: "アパート2階".into(),
        wish_person: "A型で働きたい".into(),
        wish_family: "無理はしてほしくない".into(),
        family_wishes: Vec::new(),
        abilities: vec![AbilityInput {
            item: "money".into(),
            level: "partial".into(),
            note: "月末に足りない".into(),
        }],
        hobbies: "音楽".into(),
        special_skills: "パソコン入力".into(),
        prescriptions: vec![PrescriptionInput {
            drug: "リスペリドン".into(),
            dose: "1mg".into(),
            timing: "夕食後".into(),
        }],
        clinics: vec![ClinicInput {
            name: "N市こころのクリニック".into(),
            department: "精神科".into(),
            frequency: "月2回".into(),
        }],
        medical_note: "服薬は自己管理".into(),
        family: vec![
            row("", "本人", "female", true),
            MemberInput {
                note: "要介護3 施設入所".into(),
                ..row("", "母", "female", false)
            },
        ],
        family_links: vec![LinkInput {
            kind: "parent_child".into(),
            from: "2".into(),
            to: "1".into(),
        }],
        ecomap: vec![TieInput {
            name: "B型事業所".into(),
            kind: "service".into(),
            tie: "strong".into(),
            direction: "both".into(),
            note: String::new(),
            resource_id: String::new(),
        }],
        history: vec![EventInput {
            year: "2016".into(),
            month: String::new(),
            event: "発病".into(),
        }],
        day: vec![DayInput {
            time: "6:30".into(),
            activity: "起床".into(),
        }],
        week: vec![vec!["B型".into(), "B型".into(), String::new()]],
        strengths: vec![StrengthInput {
            kind: "good_at".into(),
            text: "パソコン入力".into(),
        }],
        demands: vec![DemandInput {
            key: String::new(),
            speaker: "person".into(),
            words: "A型で働きたい".into(),
        }],
        needs: vec![NeedInput {
            text: "安定して働ける場がほしい".into(),
            source: "demand-1".into(),
            grounds: "B型に週5日通えている".into(),
            ..Default::default()
        }],
        judgement: "就労への意欲が高い".into(),
        child: Default::default(),
    }
}

/// An assessed case of Aさん, ready for a plan: (client, case).
pub(crate) async fn assessed_case(store: &Store, o: &Office) -> (i64, i64) {
    use yorisoi_domain::assessment::{AssessmentMethod, BasicInfo};
    let client_id = add_client(store, o.spec, a_san()).await;
    let case_id = open_case(store, o.spec, client_id).await;
    let mut tx = store.begin(o.spec).await.unwrap();
    let acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Write)
        .await
        .unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
    let id = assessments::start(
        &mut tx,
        &acc,
        case_id,
        d,
        AssessmentMethod::HomeVisit,
        "本人".into(),
    )
    .await
    .unwrap();
    let a = assessments::get(&mut tx, &acc, id).await.unwrap();
    let full = full_assessment()
        .validate(today(), BasicInfo::default())
        .unwrap();
    assessments::update(&mut tx, &acc, id, a.version, &full)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (client_id, case_id)
}

/// A client with a certificate (support May 2026–April 2027, 「3月ごと」 without a month list)
/// and a final plan dated 2026-05-10: (client, case, plan).
pub(crate) async fn monitored_case(store: &Store, o: &Office) -> (i64, i64, i64) {
    let (client_id, case_id) = assessed_case(store, o).await;
    let plan = testing::final_plan(store, o.spec, o.clerk, client_id, case_id, today())
        .await
        .unwrap();
    (client_id, case_id, plan)
}

/// A 主任相談支援専門員 of office `o` (who releases 地域課題 and sets the category list).
pub(crate) async fn lead_of(store: &Store, o: &Office, login: &str) -> Actor {
    let mut tx = store.begin(o.admin).await.unwrap();
    let id = users::create(
        &mut tx,
        &NewUser {
            login: login.into(),
            display_name: "主任 花子".into(),
            role: "lead".into(),
            password: "correct horse battery".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    Actor {
        user_id: id,
        office_id: o.admin.office_id,
        role: Role::Lead,
    }
}

/// A client's events in the office's log, oldest first: (action, record kind, record, outcome,
/// detail).
pub(crate) async fn client_events(
    store: &Store,
    admin: Actor,
    client_id: i64,
) -> Vec<(String, String, Option<i64>, String, String)> {
    let mut tx = store.begin(admin).await.unwrap();
    let (mut list, _) = audit::list(
        &mut tx,
        &audit::AuditFilter {
            client_id: Some(client_id),
            per_page: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    list.reverse();
    list.into_iter()
        .map(|e| (e.action, e.record_kind, e.record_id, e.outcome, e.detail))
        .collect()
}
