//! Seeds a large deployment through the store's functions: offices with staff, clients spread
//! over the specialists, one certificate each, and many case notes. Progress goes to stderr.

use anyhow::{Result, anyhow};
use chrono::Duration;
use std::time::Instant;
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::{Store, certificates, clients, notes, offices, today_jst, users};

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
];
const GIVEN: &[(&str, &str)] = &[
    ("翔", "しょう"),
    ("陽菜", "ひな"),
    ("蓮", "れん"),
    ("結衣", "ゆい"),
    ("大輝", "だいき"),
    ("美咲", "みさき"),
    ("健太", "けんた"),
    ("花子", "はなこ"),
    ("一郎", "いちろう"),
    ("直美", "なおみ"),
    ("誠", "まこと"),
    ("由美", "ゆみ"),
];
const NOTES: &[&str] = &[
    "居宅訪問。服薬の飲み忘れについて本人と確認し、お薬カレンダーを続けることにした。",
    "事業所のサービス管理責任者から通所状況を聞き取り。作業には集中して取り組めている。",
    "母から電話。最近夜眠れていない様子とのこと。次回の通院時に主治医へ伝えるよう助言。",
    "通院に同行。バスの乗り換えを一緒に確認した。運賃の支払いは一人でできた。",
    "市役所の担当者と受給者証の更新手続きについて連絡調整。",
    "グループホームの見学に同行。本人は「ここならいい」と笑顔。",
];

/// An office with its admin (`{prefix}admin`) and `n` specialists (`{prefix}spec0` …), every
/// account with `password`.
async fn staffed_office(
    store: &Store,
    name: &str,
    prefix: &str,
    label: &str,
    n: usize,
    password: &str,
) -> Result<(Actor, Vec<Actor>)> {
    let office_id = offices::create(store, name).await?;
    let admin_id = users::create_from_cli(
        store,
        office_id,
        &NewUser {
            login: format!("{prefix}admin"),
            display_name: format!("管理者{label}"),
            role: "admin".into(),
            password: password.into(),
        },
    )
    .await?
    .map_err(|e| anyhow!("{e}"))?;
    let admin = Actor {
        user_id: admin_id,
        office_id,
        role: Role::Admin,
    };
    // As in the demo: the second factor optional, the admins a year's grace, so the benchmark
    // signs in with the password alone (an office without a policy sends its admin to set-up).
    yorisoi_store::second_factor::seed_policy(
        store,
        office_id,
        admin_id,
        yorisoi_domain::second_factor::Policy {
            mode: yorisoi_domain::second_factor::Mode::Optional,
            grace_until: yorisoi_store::today_jst().checked_add_days(chrono::Days::new(365)),
        },
    )
    .await?;
    let mut tx = store.begin(admin).await?;
    let mut specialists = Vec::new();
    for s in 0..n {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}spec{s}"),
                display_name: format!("専門員{label}{s}"),
                role: "specialist".into(),
                password: password.into(),
            },
        )
        .await?
        .map_err(|e| anyhow!("{e}"))?;
        specialists.push(Actor {
            user_id: id,
            office_id,
            role: Role::Specialist,
        });
    }
    tx.commit().await?;
    Ok((admin, specialists))
}

/// The `k`-th client of an office: names, birth dates and categories spread over the lists.
fn client_input(k: usize) -> ClientInput {
    let (f, fk) = FAMILY[k % FAMILY.len()];
    let (g, gk) = GIVEN[(k / FAMILY.len()) % GIVEN.len()];
    ClientInput {
        family_name: f.into(),
        given_name: format!("{g}{}", k / (FAMILY.len() * GIVEN.len())),
        family_name_kana: fk.into(),
        given_name_kana: gk.into(),
        birth_date: format!("{}-{:02}-{:02}", 1950 + (k % 60), 1 + k % 12, 1 + k % 28),
        sex: if k.is_multiple_of(2) {
            "male"
        } else {
            "female"
        }
        .into(),
        disability_kinds: vec!["mental".into()],
        support_category: format!("{}", 1 + k % 6),
        status: "supporting".into(),
        address: "N市".into(),
        ..Default::default()
    }
}

/// Clients per unit of work: each batch is one transaction of multi-row INSERTs (ledger,
/// certificates, notes and their audit events) through the store's `*_many` functions.
const BATCH: usize = 500;

pub async fn seed(
    store: &Store,
    n_offices: usize,
    per_office: usize,
    notes_per_client: usize,
    password: &str,
    dashboard: bool,
    jobs: usize,
) -> Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let total = n_offices * per_office;
    // Offices side by side: each has its own audit chain, so their units of work do not wait
    // on each other (on PostgreSQL; SQLite's one writer takes them in turn).
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..jobs.max(1) {
        let (store, next, done, password) = (
            store.clone(),
            next.clone(),
            done.clone(),
            password.to_string(),
        );
        tasks.spawn(async move {
            loop {
                let o = next.fetch_add(1, Ordering::Relaxed);
                if o >= n_offices {
                    return Ok::<_, anyhow::Error>(());
                }
                seed_office(&store, o, per_office, notes_per_client, &password, |n| {
                    let d = done.fetch_add(n, Ordering::Relaxed) + n;
                    eprint!(
                        "\r{d}/{total} clients, {} of {n_offices} offices started ({:.0}s)",
                        (o + 1).min(n_offices),
                        started.elapsed().as_secs_f64()
                    );
                })
                .await?;
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.map_err(|e| anyhow!("bench seed task: {e}"))??;
    }
    eprintln!();
    if dashboard {
        dashboard_office(store, password).await?;
    }
    // Statistics for what was just loaded: without them PostgreSQL plans a search over 100,000
    // clients as over an empty table until autovacuum gets to it.
    yorisoi_store::maintenance::analyze(store).await?;
    println!(
        "seeded {} offices × {} clients × {} notes in {:.1}s; sign in as bench0-spec0 / bench0-admin with the given password",
        n_offices,
        per_office,
        notes_per_client,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One office: its staff, then its clients in batches of [`BATCH`], each with a certificate and
/// `notes_per_client` notes. `progress` hears how many clients each batch added.
async fn seed_office(
    store: &Store,
    o: usize,
    per_office: usize,
    notes_per_client: usize,
    password: &str,
    progress: impl Fn(usize),
) -> Result<()> {
    let today = today_jst();
    let now = yorisoi_store::now_jst();
    let (admin, staff) = staffed_office(
        store,
        &format!("ベンチ事業所 {}", o + 1),
        &format!("bench{o}-"),
        &format!("{o}-"),
        5,
        password,
    )
    .await?;
    let specialists: Vec<i64> = staff.iter().map(|a| a.user_id).collect();
    let mut i = 0;
    while i < per_office {
        let ks: Vec<usize> = (i..(i + BATCH).min(per_office)).collect();
        let records = ks
            .iter()
            .map(|&k| client_input(k).validate(today))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("{e}"))?;
        let certs = ks
            .iter()
            .map(|&k| {
                let until = today + Duration::days((k % 400) as i64 - 30);
                CertificateInput {
                    number: format!("{:010}", 1_000_000 + o * 100_000 + k),
                    municipality: "N市".into(),
                    issued_on: (until - Duration::days(380)).to_string(),
                    decision_from: (until - Duration::days(364)).to_string(),
                    decision_until: until.to_string(),
                    services: "就労継続支援B型：22日/月".into(),
                    ..Default::default()
                }
                .validate()
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("{e}"))?;
        let notes = ks
            .iter()
            .map(|&k| {
                (0..notes_per_client)
                    .map(|n| {
                        NoteInput {
                            date: (today - Duration::days((n * 7 + k % 7 + 1) as i64)).to_string(),
                            time: "10:00".into(),
                            kind: ["phone", "visit", "agency", "interview"][n % 4].into(),
                            counterpart: "本人".into(),
                            content: NOTES[(n + k) % NOTES.len()].into(),
                            minutes: "30".into(),
                            ..Default::default()
                        }
                        .validate(now)
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("{e}"))?;

        let mut tx = store.begin(admin).await?;
        let items: Vec<_> = records
            .iter()
            .zip(&ks)
            .map(|(r, &k)| (r, Some(specialists[k % specialists.len()])))
            .collect();
        let ids = clients::create_many(&mut tx, &items).await?;
        let accs = tx
            .client_access_many(&ids, RecordKind::Certificate, Action::Write)
            .await?;
        let items: Vec<_> = accs.iter().zip(&certs).collect();
        certificates::add_many(&mut tx, &items).await?;
        let naccs = tx
            .client_access_many(&ids, RecordKind::CaseNote, Action::Write)
            .await?;
        let items: Vec<_> = naccs
            .iter()
            .zip(&notes)
            .flat_map(|(a, ns)| ns.iter().map(move |n| (a, n)))
            .collect();
        notes::add_many(&mut tx, &items).await?;
        tx.commit().await?;
        if i == 0 && o == 0 {
            // Client 0 (born 1950, bench0-spec0's): the sheet's history starts in 1986.
            big_assessment(store, specialists[0], admin.office_id, ids[0]).await?;
        }
        progress(ks.len());
        i += BATCH;
    }
    Ok(())
}

/// The sheet the issue-3 bench loads: a family of 20 over three generations, 40 ecomap ties,
/// a long life history, a full day and week, every ability, strengths, demands and needs — on
/// the first client of office 0 (assigned to bench0-spec0).
async fn big_assessment(store: &Store, spec: i64, office_id: i64, client_id: i64) -> Result<()> {
    use yorisoi_domain::assessment::*;
    let actor = Actor {
        user_id: spec,
        office_id,
        role: Role::Specialist,
    };
    let today = today_jst();
    let mut tx = store.begin(actor).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await?;
    let intake = yorisoi_domain::case::IntakeInput {
        intake_date: today.to_string(),
        referral_source: "person".into(),
        chief_complaint: "働きたい".into(),
        consent_to_support: "yes".into(),
        ..Default::default()
    }
    .validate(today)
    .map_err(|e| anyhow!("{e}"))?;
    let case_id = yorisoi_store::cases::open(&mut tx, &acc, &intake).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Write)
        .await?;
    let id = yorisoi_store::assessments::start(
        &mut tx,
        &acc,
        case_id,
        today,
        AssessmentMethod::HomeVisit,
        "本人".into(),
    )
    .await?;
    let a = yorisoi_store::assessments::get(&mut tx, &acc, id).await?;
    let member = |key: u32, rel: &str, sex: &str, year: i32| MemberInput {
        key: key.to_string(),
        relation: rel.into(),
        sex: sex.into(),
        birth_year: year.to_string(),
        is_client: if key == 11 { "yes" } else { "no" }.into(),
        cohabiting: if key == 11 || key == 5 || key == 6 {
            "yes"
        } else {
            "no"
        }
        .into(),
        note: if key == 6 {
            "要介護3 施設入所".into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    let people = [
        ("父方祖父", "male", 1930),
        ("父方祖母", "female", 1932),
        ("母方祖父", "male", 1931),
        ("母方祖母", "female", 1934),
        ("父", "male", 1955),
        ("母", "female", 1958),
        ("伯父", "male", 1953),
        ("伯父の妻", "female", 1956),
        ("叔母", "female", 1960),
        ("叔母の夫", "male", 1959),
        ("本人", "female", 1985),
        ("兄", "male", 1982),
        ("兄の妻", "female", 1984),
        ("妹", "female", 1988),
        ("いとこ", "male", 1980),
        ("いとこ", "female", 1986),
        ("甥", "male", 2010),
        ("叔母（母方）", "female", 1962),
        ("いとこ", "female", 1990),
        ("パートナー", "male", 1983),
    ];
    let links: [(&str, u32, u32); 29] = [
        ("married", 1, 2),
        ("married", 3, 4),
        ("parent_child", 1, 5),
        ("parent_child", 2, 5),
        ("parent_child", 1, 7),
        ("parent_child", 2, 7),
        ("parent_child", 3, 6),
        ("parent_child", 4, 6),
        ("parent_child", 3, 9),
        ("parent_child", 4, 9),
        ("parent_child", 4, 18),
        ("married", 5, 6),
        ("married", 7, 8),
        ("divorced", 9, 10),
        ("parent_child", 5, 11),
        ("parent_child", 6, 11),
        ("parent_child", 5, 12),
        ("parent_child", 6, 12),
        ("parent_child", 5, 14),
        ("parent_child", 6, 14),
        ("married", 12, 13),
        ("parent_child", 7, 15),
        ("parent_child", 8, 15),
        ("parent_child", 9, 16),
        ("parent_child", 10, 16),
        ("parent_child", 9, 19),
        ("parent_child", 12, 17),
        ("parent_child", 13, 17),
        ("partner", 11, 20),
    ];
    let input = AssessmentInput {
        assessed_on: today.to_string(),
        method: "home_visit".into(),
        wish_person: "A型で働きたい。自分のお金で暮らしたい。".into(),
        wish_family: "無理はしてほしくない。".into(),
        appearance: "穏やかに話す。".repeat(10),
        living: "アパート2階、一人暮らし。".repeat(8),
        family: people
            .iter()
            .enumerate()
            .map(|(i, (r, s, y))| member(i as u32 + 1, r, s, *y))
            .collect(),
        family_links: links
            .iter()
            .map(|(k, f, t)| LinkInput {
                kind: (*k).into(),
                from: f.to_string(),
                to: t.to_string(),
            })
            .collect(),
        ecomap: (0..40)
            .map(|i| TieInput {
                name: format!("関係先{i}"),
                kind: ResourceKind::ALL[i % ResourceKind::ALL.len()].code().into(),
                tie: TieKind::ALL[i % TieKind::ALL.len()].code().into(),
                direction: TieDirection::ALL[i % TieDirection::ALL.len()].code().into(),
                note: "週1回".into(),
                resource_id: String::new(),
            })
            .collect(),
        history: (0..20)
            .map(|i| EventInput {
                year: (1986 + i * 2).to_string(),
                month: String::new(),
                event: format!("出来事{i}"),
            })
            .collect(),
        day: (6..22)
            .map(|h| DayInput {
                time: format!("{h}:00"),
                activity: format!("活動{h}"),
            })
            .collect(),
        week: (0..7)
            .map(|_| vec!["B型事業所".into(), "B型事業所".into(), "TV".into()])
            .collect(),
        abilities: AbilityItem::ALL
            .iter()
            .map(|i| AbilityInput {
                item: i.code().into(),
                level: "watch".into(),
                note: "声かけがあればできる".into(),
            })
            .collect(),
        strengths: StrengthKind::ALL
            .iter()
            .map(|k| StrengthInput {
                kind: k.code().into(),
                text: "人と話すのが好き".into(),
            })
            .collect(),
        demands: vec![DemandInput {
            key: "1".into(),
            speaker: "person".into(),
            words: "A型で働きたい".into(),
        }],
        needs: (1..=5)
            .map(|k| NeedInput {
                key: k.to_string(),
                text: format!("ニーズ{k}"),
                source: "demand-1".into(),
                grounds: "アセスメントより".into(),
                reframing: String::new(),
            })
            .collect(),
        judgement: "就労への意欲が高い。".into(),
        ..Default::default()
    };
    let r = input
        .validate(today, a.record.basic.clone())
        .map_err(|e| anyhow!("bench assessment: {e:?}"))?;
    yorisoi_store::assessments::update(&mut tx, &acc, id, a.version, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// The dashboard bench's office (issue 5): 20 specialists, the first with 120 clients and the
/// others with 100, every client in support with an assessed case and a final plan (certificate
/// 「3月ごと」 from May 2026, so a monitoring is due every third month), and every second client
/// with the July monitoring recorded — so the dashboard has due, overdue and done months, fee
/// steps and certificates to weigh for 2,020 clients. Signs in as `dash-spec0` / `dash-admin`.
async fn dashboard_office(store: &Store, password: &str) -> Result<()> {
    use yorisoi_domain::assessment::{AssessmentInput, AssessmentMethod, NeedInput};
    use yorisoi_domain::case::IntakeInput;
    use yorisoi_domain::monitoring::MonitoringInput;
    use yorisoi_store::{assessments, cases, monitorings, testing};
    const STAFF: usize = 20;
    let started = Instant::now();
    let today = today_jst();
    let (admin, specialists) = staffed_office(
        store,
        "ベンチ事業所（ダッシュボード）",
        "dash-",
        "",
        STAFF,
        password,
    )
    .await?;
    let total = 120 + (STAFF - 1) * 100;
    let assessed_on =
        chrono::NaiveDate::from_ymd_opt(2026, 4, 10).ok_or_else(|| anyhow!("bench date"))?;
    for k in 0..total {
        // spec0 takes the first 120; the rest go round the other 19.
        let spec = if k < 120 {
            specialists[0]
        } else {
            specialists[1 + (k - 120) % (STAFF - 1)]
        };
        let mut tx = store.begin(admin).await?;
        let r = client_input(k)
            .validate(today)
            .map_err(|e| anyhow!("{e}"))?;
        let client_id = clients::create(&mut tx, &r, Some(spec.user_id)).await?;
        tx.commit().await?;
        let mut tx = store.begin(spec).await?;
        let acc = tx
            .client_access(client_id, RecordKind::Case, Action::Write)
            .await?;
        let intake = IntakeInput {
            intake_date: "2026-04-01".into(),
            referral_source: "person".into(),
            chief_complaint: "働きたい".into(),
            consent_to_support: "yes".into(),
            ..Default::default()
        }
        .validate(today)
        .map_err(|e| anyhow!("{e}"))?;
        let case_id = cases::open(&mut tx, &acc, &intake).await?;
        let aacc = tx
            .client_access(client_id, RecordKind::Assessment, Action::Write)
            .await?;
        let aid = assessments::start(
            &mut tx,
            &aacc,
            case_id,
            assessed_on,
            AssessmentMethod::HomeVisit,
            "本人".into(),
        )
        .await?;
        let a = assessments::get(&mut tx, &aacc, aid).await?;
        let mut ai = AssessmentInput::from_record(&a.record);
        ai.wish_person = "A型で働きたい".into();
        ai.needs = vec![NeedInput {
            text: "一人でバスに乗って通いたい".into(),
            source: "wish_person".into(),
            ..Default::default()
        }];
        let rec = ai
            .validate(today, a.record.basic.clone())
            .map_err(|e| anyhow!("bench assessment: {e:?}"))?;
        assessments::update(&mut tx, &aacc, aid, a.version, &rec).await?;
        tx.commit().await?;
        testing::final_plan(store, spec, admin, client_id, case_id, today).await?;
        if k % 2 == 0 {
            let mut tx = store.begin(spec).await?;
            let macc = tx
                .client_access(client_id, RecordKind::Monitoring, Action::Write)
                .await?;
            let (_, plan) = monitorings::plan_in_force(&tx, &macc, case_id)
                .await?
                .ok_or_else(|| anyhow!("no plan in force"))?;
            let on = chrono::NaiveDate::from_ymd_opt(2026, 7, 20)
                .ok_or_else(|| anyhow!("bench date"))?;
            let mut i = MonitoringInput::prefill(&plan, on);
            i.overall = "B型に通えている。".into();
            let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
            let r = i
                .validate(today, plan.decided_on, &keys)
                .map_err(|e| anyhow!("bench monitoring: {e:?}"))?;
            monitorings::create(&mut tx, &macc, case_id, &r).await?;
            tx.commit().await?;
        }
        if k % 50 == 49 {
            eprint!(
                "\rdashboard office: {}/{} clients in support ({:.0}s)",
                k + 1,
                total,
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    Ok(())
}
