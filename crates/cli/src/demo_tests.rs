//! The demo tells each person's story whole (DOMAIN.md §5, issue 17): seeded into a fresh
//! SQLite store and read back through the store functions the pages use.

use crate::demo;
use yorisoi_domain::case::CaseStage;
use yorisoi_domain::client::ClientStatus;
use yorisoi_domain::monitoring::Outcome;
use yorisoi_domain::plan::PlanState;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::clients::{ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{
    ClientAccess, Store, Tx, assessments, cases, clients, dashboard, decisions, meetings,
    monitorings, notes, plans, team, today_jst, users,
};

async fn actor(store: &Store, login: &str) -> Actor {
    let u = users::find_by_login(store, login).await.unwrap().unwrap();
    Actor {
        user_id: u.id,
        office_id: u.office_id,
        role: Role::from_code(&u.role).unwrap(),
    }
}

async fn client_named(tx: &mut Tx, family: &str) -> (i64, yorisoi_domain::client::ClientRecord) {
    let f = ClientFilter {
        q: family.into(),
        status: None,
        staff: StaffFilter::Any,
        cert_within_days: None,
        today: today_jst(),
        sort: ClientSort::Kana,
        page: 0,
        per_page: 50,
    };
    let (list, _) = clients::list(tx, &f).await.unwrap();
    let c = list
        .into_iter()
        .find(|c| c.record.family_name == family)
        .unwrap_or_else(|| panic!("no client {family}"));
    (c.id, c.record)
}

async fn access(tx: &mut Tx, client_id: i64, kind: RecordKind) -> ClientAccess {
    tx.client_access(client_id, kind, Action::Read)
        .await
        .unwrap()
}

/// The client's one case.
async fn the_case(tx: &mut Tx, client_id: i64) -> cases::Case {
    let a = access(tx, client_id, RecordKind::Case).await;
    let mut list = cases::list(tx, &a).await.unwrap();
    assert_eq!(list.len(), 1, "one case");
    list.remove(0)
}

async fn plan_versions(tx: &mut Tx, client_id: i64, case_id: i64) -> Vec<plans::Plan> {
    let a = access(tx, client_id, RecordKind::Plan).await;
    let mut out = Vec::new();
    for s in plans::list(tx, &a, case_id).await.unwrap() {
        out.push(plans::get(tx, &a, s.id).await.unwrap());
    }
    out.sort_by_key(|p| p.version_no);
    out
}

async fn reports(
    tx: &mut Tx,
    client_id: i64,
    case_id: i64,
) -> Vec<yorisoi_domain::monitoring::MonitoringRecord> {
    let a = access(tx, client_id, RecordKind::Monitoring).await;
    let mut v: Vec<_> = monitorings::list(tx, &a, case_id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.record)
        .collect();
    v.sort_by_key(|m| m.monitored_on);
    v
}

async fn members(tx: &mut Tx, client_id: i64) -> Vec<team::Member> {
    let a = access(tx, client_id, RecordKind::CareTeam).await;
    team::members(tx, &a).await.unwrap()
}

/// How many notes the client has; no two say the same.
async fn note_count(tx: &mut Tx, client_id: i64) -> usize {
    let a = access(tx, client_id, RecordKind::CaseNote).await;
    let list = notes::list(tx, &a, "", 1000, 0).await.unwrap().0;
    let mut contents: Vec<&str> = list.iter().map(|n| n.record.content.as_str()).collect();
    contents.sort();
    contents.dedup();
    assert_eq!(contents.len(), list.len(), "each note is its own");
    list.len()
}

/// A provider's 個別支援計画 is stored for some row of `plan` as a real PDF.
async fn provider_pdf(tx: &mut Tx, client_id: i64, plan_id: i64) -> Option<Vec<u8>> {
    let a = access(tx, client_id, RecordKind::Plan).await;
    for imp in plans::implementations(tx, &a, plan_id).await.unwrap() {
        if let Some(f) = imp.attachment {
            let (name, ty, bytes) = plans::attachment(tx, &a, f.id).await.unwrap();
            assert_eq!(ty, "application/pdf", "{name}");
            return Some(bytes);
        }
    }
    None
}

fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-") && bytes.windows(5).any(|w| w == b"%%EOF")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_tells_each_persons_story_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = yorisoi_store::testing::sqlite_in(dir.path()).await.unwrap();
    demo::seed(&store, "demo-test-k3v9q2w8x7").await.unwrap();
    let lead = actor(&store, "shunin").await;
    let mut tx = store.begin(lead).await.unwrap();
    let today = today_jst();

    // ---- Aさん
    let (a, a_rec) = client_named(&mut tx, "青木").await;
    assert_eq!(
        a_rec.status,
        ClientStatus::Supporting,
        "her case made her 支援中"
    );
    let a_case = the_case(&mut tx, a).await;
    assert_eq!(
        a_case.stage,
        CaseStage::Planning,
        "a plan change is under way after the re-assessment"
    );
    // The brother is one person everywhere.
    assert!(a_rec.key_person.contains("青木 実"), "{}", a_rec.key_person);
    let aa = access(&mut tx, a, RecordKind::Assessment).await;
    let versions = assessments::list(&mut tx, &aa, a_case.id).await.unwrap();
    assert_eq!(
        versions.len(),
        2,
        "the first assessment and the re-assessment"
    );
    let first = assessments::get(&mut tx, &aa, versions[1].id)
        .await
        .unwrap();
    let second = assessments::get(&mut tx, &aa, versions[0].id)
        .await
        .unwrap();
    let brother = first
        .record
        .family
        .iter()
        .find(|m| m.relation == "兄")
        .expect("a brother in the genogram");
    assert_eq!(brother.name, "実");
    let team_a = members(&mut tx, a).await;
    let family: Vec<&str> = team_a
        .iter()
        .filter(|m| m.record.kind.code() == "family")
        .map(|m| m.record.name.as_str())
        .collect();
    assert_eq!(family, ["青木 実（兄）"]);
    for m in &team_a {
        assert!(
            !m.record.contact.trim().is_empty(),
            "{} has a contact",
            m.record.name
        );
    }
    let ca = access(&mut tx, a, RecordKind::CareTeam).await;
    let subjects: Vec<String> = team::consents(&mut tx, &ca)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.record.subject)
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        !subjects.is_empty() && subjects.iter().all(|s| s == "青木 実（兄）"),
        "the brother signs for his own words, and no one else does: {subjects:?}"
    );
    let habataki = team_a
        .iter()
        .find(|m| m.record.organisation == "はばたきワークス")
        .expect("the A型 of the plan change is on the team");
    let covered = team::consents(&mut tx, &ca)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.record.member_ids.contains(&habataki.id))
        .map(|c| c.record.subject)
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(
        covered.into_iter().collect::<Vec<_>>(),
        ["", "青木 実（兄）"],
        "the person and her brother consent to the A型 receiving the plan"
    );
    let a_plans = plan_versions(&mut tx, a, a_case.id).await;
    assert_eq!(a_plans.len(), 2);
    assert_eq!(a_plans[0].state, PlanState::Final);
    assert_eq!(
        a_plans[1].state,
        PlanState::Draft,
        "the change waits for its meeting"
    );
    let ma = access(&mut tx, a, RecordKind::Meeting).await;
    let m = meetings::for_plan(&mut tx, &ma, a_plans[0].id)
        .await
        .unwrap();
    assert!(
        m[0].record.key_person.contains("青木 実"),
        "{}",
        m[0].record.key_person
    );
    let everything = format!(
        "{:?}{:?}{:?}{:?}",
        team_a, m, a_plans[0].record, a_plans[1].record
    );
    assert!(!everything.contains("健一"), "the brother has one name");
    // The plans' housing agrees with the assessments' (the first floor).
    assert!(first.record.living.contains("1階") && second.record.living.contains("1階"));
    for p in &a_plans {
        assert!(
            p.record.housing.contains("1階") && !p.record.housing.contains("2階"),
            "{}",
            p.record.housing
        );
    }
    // The monitorings: each its own, in her words, and the last calls for the re-assessment
    // that follows it.
    let a_reports = reports(&mut tx, a, a_case.id).await;
    assert!(a_reports.len() >= 4, "{} reports", a_reports.len());
    for (i, r) in a_reports.iter().enumerate() {
        assert!(!r.person_words.trim().is_empty(), "report {i}: her words");
        for (j, s) in a_reports.iter().enumerate().skip(i + 1) {
            assert!(
                r.overall != s.overall && r.person_words != s.person_words,
                "reports {i} and {j} are the same"
            );
        }
    }
    let last = a_reports.last().unwrap();
    assert_eq!(last.outcome, Outcome::Reassess);
    assert_eq!(last.reassessment_id, Some(second.id));
    assert!(second.record.assessed_on > last.monitored_on);
    assert!(
        a_reports[..a_reports.len() - 1]
            .iter()
            .all(|r| r.outcome == Outcome::Continue)
    );
    assert!(a_plans[1].record.drafted_on >= second.record.assessed_on);
    // A provider's 個別支援計画, as a PDF.
    let pdf = provider_pdf(&mut tx, a, a_plans[0].id)
        .await
        .expect("ひかり作業所's plan is stored");
    assert!(is_pdf(&pdf));
    // Nineteen months of notes, not five.
    let n = note_count(&mut tx, a).await;
    assert!(n >= 38, "{n} notes for Aさん");

    // ---- Bさん
    let (b, b_rec) = client_named(&mut tx, "馬場").await;
    assert_eq!(b_rec.status, ClientStatus::Supporting);
    assert!(
        b_rec.address.contains("グループホームさくら"),
        "the move is in the ledger"
    );
    let b_case = the_case(&mut tx, b).await;
    assert_eq!(b_case.stage, CaseStage::Monitoring);
    let b_plans = plan_versions(&mut tx, b, b_case.id).await;
    assert_eq!(b_plans.len(), 3, "the facility plan, the trial, the move");
    assert!(b_plans.iter().all(|p| p.state == PlanState::Final));
    assert!(b_plans[2].record.housing.contains("グループホームさくら"));
    for p in &b_plans {
        let names: Vec<&str> = p
            .record
            .family_wishes
            .iter()
            .map(|w| w.name.as_str())
            .collect();
        assert_eq!(names, ["森 和也"], "the guardian's words are his");
        assert!(p.record.wish_family.trim().is_empty());
    }
    assert!(
        provider_pdf(&mut tx, b, b_plans[2].id)
            .await
            .is_some_and(|p| is_pdf(&p))
    );
    let b_reports = reports(&mut tx, b, b_case.id).await;
    assert_eq!(b_reports.len(), 3);
    let da = access(&mut tx, b, RecordKind::DecisionSupport).await;
    let ds = decisions::list(&mut tx, &da, b_case.id).await.unwrap();
    let d = decisions::get(&mut tx, &da, ds[0].id).await.unwrap();
    assert_eq!(d.record.decision, "グループホームさくらへ移る");
    assert!(
        d.record
            .decided_on
            .is_some_and(|x| x < b_plans[2].record.drafted_on)
    );
    assert_eq!(
        d.record.follow_up_on,
        Some(today),
        "the look back falls today"
    );
    let gh = members(&mut tx, b).await;
    assert!(gh.iter().all(|m| !m.record.contact.trim().is_empty()));
    assert!(note_count(&mut tx, b).await >= 15);

    // ---- The child
    let (c, c_rec) = client_named(&mut tx, "千葉").await;
    assert_eq!(c_rec.status, ClientStatus::Supporting);
    let c_case = the_case(&mut tx, c).await;
    assert_eq!(c_case.stage, CaseStage::Monitoring);
    let c_plans = plan_versions(&mut tx, c, c_case.id).await;
    let p = c_plans.last().unwrap();
    assert_eq!(p.state, PlanState::Final);
    assert_eq!(p.record.guardian_name, "千葉 美穂", "the mother's own name");
    let speakers: Vec<&str> = p
        .record
        .family_wishes
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(
        speakers,
        ["千葉 美穂", "千葉 大樹"],
        "each parent's own words"
    );
    assert!(p.record.wish_family.trim().is_empty());
    for r in &p.record.rows {
        assert!(!r.goal.trim().is_empty(), "row {}: a goal", r.key);
        assert!(!r.due.trim().is_empty(), "row {}: when", r.key);
        if r.category == yorisoi_domain::plan::ServiceCategory::Welfare {
            assert!(r.schedule.is_some(), "row {}: days and times", r.key);
        }
    }
    let mc = access(&mut tx, c, RecordKind::Meeting).await;
    let met = meetings::for_plan(&mut tx, &mc, p.id).await.unwrap();
    let gap = met[0].record.held_on - p.record.drafted_on;
    assert!(
        gap.num_days() <= 14,
        "the meeting {} days after the draft",
        gap.num_days()
    );
    assert!(
        provider_pdf(&mut tx, c, p.id)
            .await
            .is_some_and(|p| is_pdf(&p))
    );
    assert!(!reports(&mut tx, c, c_case.id).await.is_empty());
    // 障害児相談支援 as its own practice: both parents in the ledger, the child's own sections,
    // the child's ability items, and family support in the plan.
    let parents: Vec<String> = c_rec
        .guardians
        .iter()
        .map(|g| g.name_with_relation())
        .collect();
    assert_eq!(parents, ["千葉 美穂（母）", "千葉 大樹（父）"]);
    assert_eq!(p.record.kind, yorisoi_domain::plan::PlanKind::Child);
    assert!(!p.record.family_support.trim().is_empty());
    let ca = access(&mut tx, c, RecordKind::Assessment).await;
    let cv = assessments::list(&mut tx, &ca, c_case.id).await.unwrap();
    let child_sheet = assessments::get(&mut tx, &ca, cv[0].id)
        .await
        .unwrap()
        .record;
    assert!(child_sheet.is_child());
    assert!(
        yorisoi_domain::assessment::ChildLife::names()
            .all(|n| !child_sheet.child.get(n).is_empty())
    );
    assert!(
        child_sheet
            .abilities
            .iter()
            .all(|a| child_sheet.ability_items().contains(&a.item))
    );
    assert_eq!(
        child_sheet.basic.guardian,
        "千葉 美穂（母）、千葉 大樹（父）"
    );
    tx.commit().await.unwrap();

    // The dashboards: this month's monitoring due for Aさん and Bさん, nothing overdue.
    for (login, who) in [("sato", "青木 明子"), ("suzuki", "馬場 大輔")] {
        let me = actor(&store, login).await;
        let mut tx = store.begin(me).await.unwrap();
        let d = dashboard::build(&mut tx, today, Some(me.user_id))
            .await
            .unwrap();
        assert!(
            d.due.iter().any(|i| i.client.name == who),
            "{who} is due this month"
        );
        assert!(
            d.overdue.is_empty(),
            "{login}: nothing overdue: {:?}",
            d.overdue.iter().map(|i| &i.client.name).collect::<Vec<_>>()
        );
        tx.commit().await.unwrap();
    }

    // ---- 地域課題: one from each person's meeting (step 4), the first released; none names
    // anybody the ledger knows.
    use yorisoi_store::regional_issues;
    let mut tx = store.begin(lead).await.unwrap();
    let issues = regional_issues::list(&mut tx, &Default::default())
        .await
        .unwrap();
    // Three from the meetings, one resolved and one in the office's own category; the merged
    // duplicate is hidden from the list.
    assert_eq!(issues.len(), 5);
    let own: Vec<_> = issues.iter().filter(|i| i.own_category.is_some()).collect();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].category_label, "災害時の支援");
    assert_eq!(
        own[0].category,
        yorisoi_domain::region::IssueCategory::Other
    );
    assert_eq!(issues.iter().filter(|i| i.released_on.is_some()).count(), 1);
    for i in &issues {
        assert_eq!(i.people, 1, "{}", i.title);
        let got = regional_issues::get(&mut tx, i.id).await.unwrap();
        assert!(got.findings.is_empty(), "{:?}", got.findings);
        assert!(got.record.source_ref.is_some());
    }
    tx.commit().await.unwrap();

    // ---- Issue 20's follow-ups: the duplicate merged, the resolved issue's new resource, the
    // vignettes from Aさん's case (one released), the 加算 record for Bさん's move.
    use yorisoi_store::{issue_followups, joint_support, vignettes};
    let mut tx = store.begin(lead).await.unwrap();
    let all = regional_issues::list(
        &mut tx,
        &regional_issues::IssueFilter {
            include_merged: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let merged: Vec<_> = all.iter().filter(|i| i.merged_into.is_some()).collect();
    assert_eq!(merged.len(), 1);
    let into = merged[0].merged_into.unwrap();
    let f = issue_followups::of(&mut tx, into).await.unwrap();
    assert_eq!(f.merged_from.len(), 1);
    let resolved: Vec<_> = issues
        .iter()
        .filter(|i| i.status == yorisoi_domain::region::IssueStatus::Resolved)
        .collect();
    assert_eq!(resolved.len(), 1);
    let f = issue_followups::of(&mut tx, resolved[0].id).await.unwrap();
    let resource = f.resource.expect("the resolved issue's resource");
    assert_eq!(resource.name, "地域活動支援センターこもれび");
    let by = issue_followups::resolved_by(&mut tx, resource.id)
        .await
        .unwrap();
    assert_eq!(by.len(), 1);
    let list = vignettes::list(&mut tx, None).await.unwrap();
    assert_eq!(list.vignettes.len(), 2);
    let today = yorisoi_store::today_jst();
    let out = vignettes::released(&mut tx, today - chrono::Duration::days(365), today)
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].issue_id, Some(into));
    for v in &list.vignettes {
        let got = vignettes::get(&mut tx, v.id).await.unwrap();
        assert!(got.findings.is_empty(), "{:?}", got.findings);
    }
    assert_eq!(vignettes::waiting_for_release(&mut tx).await.unwrap(), 1);
    let records = joint_support::list(&mut tx, None).await.unwrap();
    assert_eq!(records.records.len(), 1);
    assert!(records.records[0].parties >= 3);
    let got = joint_support::get(&mut tx, records.records[0].id)
        .await
        .unwrap();
    assert_eq!(
        got.keep_until,
        yorisoi_domain::joint_support::keep_until(got.record.reported_on)
    );
    tx.commit().await.unwrap();

    easy_read_of_every_demo_plan(&store, lead).await;
}

/// Every version of every demo plan, as its easy-read versions print: no word from the jargon
/// list, no known misreading, the office's telephone under 「こまったときは」.
async fn easy_read_of_every_demo_plan(store: &Store, lead: Actor) {
    use yorisoi_documents::docs::easy::{Audience, easy_doc, easy_text, name_readings};
    use yorisoi_documents::docs::plan::{PlanContext, plan_doc};
    use yorisoi_documents::docs::{Ctx, Person};
    use yorisoi_documents::furigana::{DEBIAN_IPADIC, Dictionary};
    use yorisoi_documents::plain::{MISREADINGS, jargon};
    if !std::path::Path::new(DEBIAN_IPADIC)
        .join("matrix.def")
        .exists()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "mecab-ipadic is needed with CI set (apt install mecab-ipadic)"
        );
        return;
    }
    let dict = Dictionary::new(DEBIAN_IPADIC, None);
    let reader = dict.reader().unwrap();
    let mut tx = store.begin(lead).await.unwrap();
    let mut checked = 0;
    for family in ["青木", "馬場", "千葉"] {
        let (id, rec) = client_named(&mut tx, family).await;
        let case = the_case(&mut tx, id).await;
        let person = Person {
            client_name: rec.full_name(),
            client_kana: format!("{} {}", rec.family_name_kana, rec.given_name_kana),
        };
        let names = name_readings(&person.client_name, &person.client_kana);
        let cx = PlanContext {
            base: Ctx {
                office: "相談支援事業所よりそい".into(),
                person,
                planner: "佐藤 美咲".into(),
                office_phone: "0439-00-0000".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        for p in plan_versions(&mut tx, id, case.id).await {
            let doc = plan_doc(&p.record, p.state, p.version_no, &cx);
            for audience in Audience::of(doc.child) {
                let easy = easy_doc(&doc, Some(&reader), &names, *audience);
                assert_eq!(easy.office_phone, "0439-00-0000");
                let words = easy_text(&easy, false);
                for j in jargon() {
                    assert!(
                        !words.contains(j),
                        "{family} v{}: 「{j}」 in\n{words}",
                        p.version_no
                    );
                }
                let read = easy_text(&easy, true);
                for (surface, wrong) in MISREADINGS {
                    let bad = format!("{surface}({wrong})");
                    assert!(
                        !read.contains(&bad),
                        "{family} v{}: {bad} in\n{read}",
                        p.version_no
                    );
                }
                checked += 1;
            }
        }
    }
    // Aさん's two plans, Bさん's three, and the child's plan in two versions (child, parents).
    assert!(checked >= 7, "{checked} easy-read plans checked");
    tx.commit().await.unwrap();
}
