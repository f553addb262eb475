//! A region: its secretariat sees the released issues of the offices that joined and figures
//! under the disclosure rules — whatever the filters, never a cell of 1–9 people, never a figure
//! from fewer than 3 offices, never a line with a single hidden cell, never a case, a name or an
//! unreleased text — and records where an issue stands in the council (409 when stale). Random
//! offices, people, cases and issues; random filters; every shown figure checked against a
//! count made here from what was generated.

use crate::common::*;
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashMap};
use yorisoi_domain::client::{ClientInput, DisabilityKind};
use yorisoi_domain::disclosure::{Hidden, MIN_OFFICES, MIN_PEOPLE};
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_domain::region::{
    CouncilInput, IssueCategory, IssueStatus, RegionalIssueInput, age_band,
};
use yorisoi_store::region::{self, RegionQuery};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

const FAMILY: &[(&str, &str)] = &[
    ("相川", "あいかわ"),
    ("井口", "いぐち"),
    ("宇野", "うの"),
    ("江藤", "えとう"),
    ("小野寺", "おのでら"),
    ("門脇", "かどわき"),
];
const GIVEN: &[(&str, &str)] = &[("光", "ひかる"), ("静香", "しずか"), ("勇", "いさむ")];

/// One generated person: office, 障害種別, birth date, the day their case opened.
struct Person {
    office: i64,
    kinds: Vec<DisabilityKind>,
    birth: NaiveDate,
    opened: NaiveDate,
}

async fn with_role(store: &Store, admin: Actor, login: &str, role: Role) -> Actor {
    let mut tx = store.begin(admin).await.unwrap();
    let id = users::create(
        &mut tx,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            role: role.code().into(),
            password: "correct horse battery".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    Actor {
        user_id: id,
        office_id: admin.office_id,
        role,
    }
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T>) -> bool {
    matches!(r, Err(StoreError::NotFound))
}

store_test!(
    a_region_sees_only_released_issues_and_figures_under_the_rules,
    |store: Store| async move {
        let seed: u64 = std::env::var("YORISOI_PROP_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20261201);
        eprintln!("region property seed {seed}");
        let mut rng = StdRng::seed_from_u64(seed);
        let today = today_jst();

        // The secretariat and its account.
        let k = office(&store, "基幹", "rgk").await;
        let secretariat = with_role(&store, k.admin, "rgkregion", Role::Region).await;
        let mut tx = store.begin(k.admin).await.unwrap();
        let region_id = region::create(&mut tx, "N市圏域").await.unwrap();
        tx.commit().await.unwrap();

        // Five offices join (areas 北, 北, 南, 南, 南); one more does not.
        let areas = ["北部", "北部", "南部", "南部", "南部"];
        let mut members = Vec::new();
        for (n, area) in areas.iter().enumerate() {
            let o = office(&store, &format!("事業所{n}"), &format!("rg{n}")).await;
            let mut tx = store.begin(o.admin).await.unwrap();
            region::join(&mut tx, region_id, area).await.unwrap();
            tx.commit().await.unwrap();
            members.push((o, *area));
        }
        let outsider = office(&store, "参加しない事業所", "rgx").await;

        // People with open cases, and issues (some released, some not) over them.
        let mut people: Vec<Person> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut unreleased_marks: Vec<String> = Vec::new();
        let mut released_ids: HashMap<i64, i64> = HashMap::new();
        let everyone: Vec<&Office> = members
            .iter()
            .map(|(o, _)| o)
            .chain(std::iter::once(&outsider))
            .collect();
        for (n, o) in everyone.iter().enumerate() {
            let count = rng.random_range(20..45usize);
            let mut cases = Vec::new();
            for i in 0..count {
                // Kinds and ages clustered so that some cells reach 10 across offices; some
                // people with two kinds, some with none.
                let mut kinds: Vec<DisabilityKind> = match rng.random_range(0..10) {
                    0..=3 => vec![DisabilityKind::Intellectual],
                    4..=6 => vec![DisabilityKind::Mental],
                    7 => vec![DisabilityKind::Physical],
                    8 => Vec::new(),
                    _ => vec![DisabilityKind::ALL[rng.random_range(0..DisabilityKind::ALL.len())]],
                };
                if rng.random_bool(0.1) {
                    kinds.push(DisabilityKind::Developmental);
                    kinds.dedup();
                }
                let age = [22, 22, 27, 42, 8, 63][rng.random_range(0..6usize)];
                let birth = today - Duration::days(age * 365 + rng.random_range(1..300));
                let (f, fk) = FAMILY[(n + i) % FAMILY.len()];
                let (g, gk) = GIVEN[i % GIVEN.len()];
                let input = ClientInput {
                    family_name: f.into(),
                    given_name: format!("{g}{n}{i}"),
                    family_name_kana: fk.into(),
                    given_name_kana: gk.into(),
                    birth_date: birth.to_string(),
                    sex: "female".into(),
                    disability_kinds: kinds.iter().map(|k| k.code().to_string()).collect(),
                    ..Default::default()
                };
                names.push(format!("{g}{n}{i}"));
                let client = add_client(&store, o.spec, input).await;
                let opened = today - Duration::days(rng.random_range(0..500));
                let intake = yorisoi_domain::case::IntakeInput {
                    intake_date: opened.to_string(),
                    referral_source: "municipality".into(),
                    chief_complaint: "暮らしたい".into(),
                    consent_to_support: "yes".into(),
                    ..Default::default()
                }
                .validate(today)
                .unwrap();
                let mut tx = store.begin(o.spec).await.unwrap();
                let acc = tx
                    .client_access(client, RecordKind::Case, Action::Write)
                    .await
                    .unwrap();
                let case = cases::open(&mut tx, &acc, &intake).await.unwrap();
                tx.commit().await.unwrap();
                cases.push(case);
                people.push(Person {
                    office: o.admin.office_id,
                    kinds,
                    birth,
                    opened,
                });
            }
            for j in 0..rng.random_range(0..4usize) {
                let release = rng.random_bool(0.6);
                let mark = format!("未公開の文{n}x{j}");
                let r = RegionalIssueInput {
                    title: format!("課題{n}-{j}"),
                    category: IssueCategory::ALL[rng.random_range(0..IssueCategory::ALL.len())]
                        .code()
                        .into(),
                    need: if release {
                        "休日に外出できる手段がない。".into()
                    } else {
                        mark.clone()
                    },
                    status: IssueStatus::ALL[rng.random_range(0..IssueStatus::ALL.len())]
                        .code()
                        .into(),
                    raised_on: (today - Duration::days(rng.random_range(0..400))).to_string(),
                    ..Default::default()
                }
                .validate()
                .unwrap();
                let mut tx = store.begin(o.admin).await.unwrap();
                let saved = regional_issues::add(&mut tx, &r, None).await.unwrap();
                for c in cases.iter().filter(|_| rng.random_bool(0.4)) {
                    regional_issues::link_case(&mut tx, saved.id, *c)
                        .await
                        .unwrap();
                }
                if release {
                    regional_issues::release(&mut tx, saved.id, saved.version)
                        .await
                        .unwrap();
                    released_ids.insert(saved.id, o.admin.office_id);
                } else {
                    unreleased_marks.push(mark);
                }
                tx.commit().await.unwrap();
            }
        }
        let member_offices: HashMap<i64, &str> = members
            .iter()
            .map(|(o, a)| (o.admin.office_id, *a))
            .collect();

        // Random filters: the period, the area (or one nobody has), category, status.
        let mut shown_cells = 0;
        for round in 0..40 {
            let from = today - Duration::days(rng.random_range(0..1000));
            let to = if rng.random_bool(0.5) {
                today.max(from)
            } else {
                from + Duration::days(rng.random_range(0..800))
            };
            let area = match rng.random_range(0..4) {
                0 => None,
                1 => Some("北部".to_string()),
                2 => Some("南部".to_string()),
                _ => Some("どこにもない地区".to_string()),
            };
            let q = RegionQuery {
                from,
                to,
                area: area.clone(),
                category: rng
                    .random_bool(0.3)
                    .then(|| IssueCategory::ALL[rng.random_range(0..IssueCategory::ALL.len())]),
                status: rng
                    .random_bool(0.3)
                    .then(|| IssueStatus::ALL[rng.random_range(0..IssueStatus::ALL.len())]),
                q: String::new(),
            };
            let mut tx = store.read(secretariat).await.unwrap();
            let f = region::figures(&mut tx, &q).await.unwrap();
            let issues = region::issues(&mut tx, &q).await.unwrap();
            tx.commit().await.unwrap();

            let in_scope = |office: i64| {
                member_offices
                    .get(&office)
                    .is_some_and(|a| area.as_deref().is_none_or(|x| x == *a))
            };
            let scope_n = member_offices.keys().filter(|o| in_scope(**o)).count();
            assert_eq!(f.offices, scope_n, "round {round}");
            let age_day = to.min(today);
            let counted: Vec<&Person> = people
                .iter()
                .filter(|p| in_scope(p.office) && p.opened <= to)
                .collect();
            for (r, row) in f.people.cells.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let band = f.people.cols[c].as_str();
                    let who: Vec<&&Person> = counted
                        .iter()
                        .filter(|p| {
                            let b = age_band(yorisoi_domain::date::age_on(p.birth, age_day));
                            b == band
                                && match DisabilityKind::ALL.get(r) {
                                    Some(k) => p.kinds.contains(k),
                                    None => p.kinds.is_empty(),
                                }
                        })
                        .collect();
                    let offices: BTreeSet<i64> = who.iter().map(|p| p.office).collect();
                    match cell.value {
                        Some(v) => {
                            if v > 0 {
                                shown_cells += 1;
                            }
                            assert_eq!(v, who.len() as i64, "round {round} cell {r},{c}");
                            assert!(
                                v == 0 || (v >= MIN_PEOPLE && offices.len() >= MIN_OFFICES),
                                "round {round}: a cell of {v} people from {} offices shown",
                                offices.len()
                            );
                        }
                        None => assert!(cell.hidden.is_some()),
                    }
                }
            }
            if let Some(v) = f.people.total.value {
                assert_eq!(v, counted.len() as i64, "round {round}");
            }
            for c in f.people.all() {
                if let Some(v) = c.value {
                    assert!(v == 0 || v >= MIN_PEOPLE, "round {round}: {v}");
                }
            }
            assert_eq!(f.people.lines_with_one_hidden(), 0, "round {round}");
            if scope_n < MIN_OFFICES && !counted.is_empty() {
                assert_eq!(f.people.withheld, Some(Hidden::FewOffices), "round {round}");
                assert!(f.categories.is_empty());
                assert!(
                    f.stats
                        .iter()
                        .filter(|s| s.label.contains("相談支援専門員"))
                        .all(|s| s.value.is_none()),
                    "round {round}: staff figures of fewer than 3 offices"
                );
            }
            for s in &f.stats {
                assert!(s.value.is_some() != s.hidden.is_some(), "round {round}");
                if scope_n < MIN_OFFICES {
                    assert_eq!(
                        s.hidden,
                        Some(Hidden::FewOffices),
                        "round {round}: {}",
                        s.label
                    );
                }
            }

            // The issues: released, of a member office in the area, in the filters.
            for i in &issues {
                let office = released_ids.get(&i.id).copied();
                assert!(
                    office.is_some_and(in_scope),
                    "round {round}: issue {}",
                    i.id
                );
                assert!(q.category.is_none_or(|c| c == i.category));
                assert!(q.status.is_none_or(|s| s == i.status));
                if let Some(v) = i.people.value {
                    assert!(v == 0 || v >= MIN_PEOPLE, "round {round}");
                }
            }
            let expected = released_ids.iter().filter(|(_, o)| in_scope(**o)).count();
            if q.category.is_none() && q.status.is_none() {
                assert_eq!(issues.len(), expected, "round {round}");
            }
            // Nothing of a case, a name or an unreleased text in what leaves.
            let json = serde_json::to_string(&(&f, &issues)).unwrap();
            assert!(!json.contains("case"), "round {round}");
            assert!(!json.contains("client"), "round {round}");
            for n in &names {
                assert!(!json.contains(n.as_str()), "round {round}: {n}");
            }
            for m in &unreleased_marks {
                assert!(!json.contains(m.as_str()), "round {round}: {m}");
            }
        }

        // The rules were met by shown cells too, not only by hiding everything.
        assert!(shown_cells > 0, "no cell of 10 or more was ever shown");

        // Nobody else reaches the region: the members' staff, the secretariat's own specialist,
        // another office's admin (no region of its own).
        let q = RegionQuery {
            from: NaiveDate::from_ymd_opt(today.year() - 1, 4, 1).unwrap(),
            to: today,
            area: None,
            category: None,
            status: None,
            q: String::new(),
        };
        for who in [
            members[0].0.admin,
            members[0].0.spec,
            members[0].0.clerk,
            k.spec,
            k.clerk,
            outsider.admin,
        ] {
            let mut tx = store.read(who).await.unwrap();
            assert!(is_not_found(region::figures(&mut tx, &q).await), "{who:?}");
            assert!(is_not_found(region::issues(&mut tx, &q).await), "{who:?}");
            tx.commit().await.unwrap();
        }
        // The secretariat's account reads no client of any office, its own included.
        let mut tx = store.read(secretariat).await.unwrap();
        assert!(
            tx.client_access(1, RecordKind::Ledger, Action::Read)
                .await
                .is_err()
        );
        assert!(
            regional_issues::list(&mut tx, &Default::default())
                .await
                .is_err()
        );
        tx.commit().await.unwrap();

        // Tracking: the council's status and reply reach the office; a stale version is 409;
        // an unreleased issue or one of an office outside the region is the same 404.
        if let Some((&id, &office)) = released_ids
            .iter()
            .find(|(_, o)| member_offices.contains_key(o))
        {
            let mut tx = store.read(secretariat).await.unwrap();
            let before = region::issue(&mut tx, id).await.unwrap();
            tx.commit().await.unwrap();
            let c = CouncilInput {
                status: "council".into(),
                reply: "次の協議会で報告します。".into(),
            }
            .validate()
            .unwrap();
            let mut tx = store.begin(secretariat).await.unwrap();
            let v = region::track(&mut tx, id, before.version, &c)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(v, before.version + 1);
            let mut tx = store.begin(secretariat).await.unwrap();
            assert!(matches!(
                region::track(&mut tx, id, before.version, &c).await,
                Err(StoreError::Conflict)
            ));
            tx.rollback().await.unwrap();
            let admin = members
                .iter()
                .find(|(o, _)| o.admin.office_id == office)
                .unwrap()
                .0
                .admin;
            let mut tx = store.read(admin).await.unwrap();
            let seen = regional_issues::get(&mut tx, id).await.unwrap();
            assert_eq!(seen.record.status, IssueStatus::Council);
            assert_eq!(seen.council_reply, "次の協議会で報告します。");
            let news = region::council_news(&mut tx, today - Duration::days(1))
                .await
                .unwrap();
            assert!(news.iter().any(|n| n.id == id && n.has_reply));
            tx.commit().await.unwrap();
            // The office leaves: its issues and people leave the region's view.
            let mut tx = store.begin(admin).await.unwrap();
            region::leave(&mut tx, region_id).await.unwrap();
            tx.commit().await.unwrap();
            let mut tx = store.read(secretariat).await.unwrap();
            assert!(is_not_found(region::issue(&mut tx, id).await));
            let after = region::issues(&mut tx, &q).await.unwrap();
            assert!(
                after
                    .iter()
                    .all(|i| released_ids.get(&i.id) != Some(&office))
            );
            tx.commit().await.unwrap();
        }
        for id in released_ids
            .iter()
            .filter(|(_, o)| **o == outsider.admin.office_id)
            .map(|(id, _)| id)
        {
            let mut tx = store.read(secretariat).await.unwrap();
            assert!(is_not_found(region::issue(&mut tx, *id).await));
            tx.commit().await.unwrap();
        }
    }
);

store_test!(
    an_office_paper_hides_small_counts_and_an_empty_period_says_so,
    |store: Store| async move {
        let o = office(&store, "よりそい", "rp").await;
        let today = today_jst();
        // Twelve people of one band and kind, three of another.
        for i in 0..15 {
            let birth = today - Duration::days(if i < 12 { 30 } else { 50 } * 365 + 10);
            let input = ClientInput {
                family_name: "森".into(),
                given_name: format!("太郎{i}"),
                family_name_kana: "もり".into(),
                given_name_kana: "たろう".into(),
                birth_date: birth.to_string(),
                sex: "male".into(),
                disability_kinds: vec![if i < 12 { "intellectual" } else { "physical" }.into()],
                ..Default::default()
            };
            let c = add_client(&store, o.spec, input).await;
            open_case(&store, o.spec, c).await;
        }
        let mut tx = store.read(o.spec).await.unwrap();
        let f = region::office_figures(&mut tx, today - Duration::days(365), today)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(!f.empty);
        assert_eq!(f.people.total.value, Some(15));
        let intellectual = DisabilityKind::ALL
            .iter()
            .position(|k| *k == DisabilityKind::Intellectual)
            .unwrap();
        // 15 − 12 would give the 3 away: the 12 is hidden too (and what would give it away).
        assert_eq!(
            f.people.row_totals[intellectual].hidden,
            Some(Hidden::Complement)
        );
        let physical = DisabilityKind::ALL
            .iter()
            .position(|k| *k == DisabilityKind::Physical)
            .unwrap();
        assert_eq!(
            f.people.row_totals[physical].hidden,
            Some(Hidden::FewPeople)
        );
        assert_eq!(f.people.lines_with_one_hidden(), 0);
        // A period before anything happened: an empty report.
        let mut tx = store.read(o.spec).await.unwrap();
        let old = NaiveDate::from_ymd_opt(2001, 4, 1).unwrap();
        let f = region::office_figures(&mut tx, old, old + Duration::days(364))
            .await
            .unwrap();
        assert!(f.empty);
        assert_eq!(f.people.total.value, Some(0));
        // The 事務 makes no paper.
        tx.commit().await.unwrap();
        let mut tx = store.read(o.clerk).await.unwrap();
        assert!(is_not_found(
            region::office_figures(&mut tx, old, today).await
        ));
        tx.commit().await.unwrap();
    }
);
