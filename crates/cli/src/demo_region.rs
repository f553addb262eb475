//! The demo's region (DOMAIN.md §3.13a): N市基幹相談支援センター runs 「N市圏域（N市自立支援協議会）」
//! with a secretariat account (`kikan`); よりそい and three more offices of N市 join it, each of
//! the three with a ledger of people supported as a small office's is (names generated, ages and
//! 障害種別 gathered around a few groups), their cases open and an issue of their own released —
//! so that the region's table shows the cells of 10 people or more from 3 offices or more and
//! hides the rest, truthfully. The secretariat has carried よりそい's first issue to the 部会
//! and written back. みなと (M市) does not join: its data never shows.

use anyhow::{Result, anyhow};
use chrono::Duration;
use yorisoi_domain::case::IntakeInput;
use yorisoi_domain::client::ClientInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_domain::region::{CouncilInput, RegionalIssueInput};
use yorisoi_store::users::NewUser;
use yorisoi_store::{Store, cases, clients, offices, region, regional_issues, today_jst, users};

/// The login of the region's secretariat.
pub const REGION_LOGIN: &str = "kikan";

const FAMILY: &[(&str, &str)] = &[
    ("青木", "あおき"),
    ("石川", "いしかわ"),
    ("上田", "うえだ"),
    ("遠藤", "えんどう"),
    ("大野", "おおの"),
    ("岡田", "おかだ"),
    ("金子", "かねこ"),
    ("北村", "きたむら"),
    ("久保", "くぼ"),
    ("小松", "こまつ"),
    ("坂本", "さかもと"),
    ("杉山", "すぎやま"),
];
const GIVEN: &[(&str, &str)] = &[
    ("悠斗", "ゆうと"),
    ("美穂", "みほ"),
    ("拓也", "たくや"),
    ("彩", "あや"),
    ("和也", "かずや"),
    ("恵", "めぐみ"),
    ("修", "おさむ"),
    ("真理", "まり"),
];

/// The people an office supports: (障害種別, age, how many). Gathered so that four groups reach
/// 10 people across three offices; the rest stay under 10 and are hidden.
const PEOPLE: &[(&[&str], i32, usize)] = &[
    (&["intellectual"], 22, 5),
    (&["intellectual"], 27, 4),
    (&["mental"], 42, 5),
    (&["mental"], 27, 4),
    (&["mental"], 47, 3),
    (&["physical"], 52, 3),
    (&["physical"], 62, 2),
    (&["developmental"], 23, 2),
    (&["intellectual", "mental"], 33, 1),
    (&["higher_brain"], 57, 1),
];

/// An office of N市 that joins the region, and the issue it released.
struct Member<'a> {
    name: &'a str,
    prefix: &'a str,
    area: &'a str,
    title: &'a str,
    category: &'a str,
    need: &'a str,
    resource: &'a str,
}

const MEMBERS: &[Member] = &[
    Member {
        name: "相談支援事業所 あおば（N市）",
        prefix: "aoba-",
        area: "北部地区",
        title: "グループホームの空きが足りない",
        category: "housing",
        need: "親の高齢化で、家族と暮らし続けることが難しくなった20代の知的障害のある人が、地区内で入れるグループホームがない。",
        resource: "地区内のグループホーム（重度の人も入れる体制）",
    },
    Member {
        name: "相談支援センター ひだまり（N市）",
        prefix: "hidamari-",
        area: "南部地区",
        title: "休日の外出を支える移動支援が足りない",
        category: "mobility",
        need: "休日に外出したい知的障害・精神障害のある人が多いが、休日に動ける移動支援のヘルパーが見つからない。",
        resource: "休日に対応できる移動支援の事業所",
    },
    Member {
        name: "相談支援事業所 こもれび（N市）",
        prefix: "komorebi-",
        area: "北部地区",
        title: "精神科の退院後に通える日中活動の場が少ない",
        category: "welfare",
        need: "精神科病院を退院した40代の人が、週に数日から通える日中活動の場が地区内に少なく、家にこもりがちになる。",
        resource: "短い時間から通える地域活動支援センター・就労継続支援B型",
    },
];

async fn office_with_staff(
    store: &Store,
    name: &str,
    prefix: &str,
    password: &str,
) -> Result<(Actor, Actor, Vec<Actor>)> {
    let office = offices::create(store, name).await?;
    let admin_id = users::create_from_cli(
        store,
        office,
        &NewUser {
            login: format!("{prefix}kanri"),
            display_name: "管理者".into(),
            role: "admin".into(),
            password: password.into(),
        },
    )
    .await?
    .map_err(|e| anyhow!("{e}"))?;
    let admin = Actor {
        user_id: admin_id,
        office_id: office,
        role: Role::Admin,
    };
    yorisoi_store::second_factor::seed_policy(
        store,
        office,
        admin_id,
        yorisoi_domain::second_factor::Policy {
            mode: yorisoi_domain::second_factor::Mode::Optional,
            grace_until: today_jst().checked_add_days(chrono::Days::new(365)),
        },
    )
    .await?;
    let mut tx = store.begin(admin).await?;
    let mut staff = Vec::new();
    for (login, display, role) in [
        ("shunin", "主任 相談支援専門員", Role::Lead),
        ("sen1", "相談支援専門員 1", Role::Specialist),
        ("sen2", "相談支援専門員 2", Role::Specialist),
    ] {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}{login}"),
                display_name: display.into(),
                role: role.code().into(),
                password: password.into(),
            },
        )
        .await?
        .map_err(|e| anyhow!("{e}"))?;
        staff.push(Actor {
            user_id: id,
            office_id: office,
            role,
        });
    }
    tx.commit().await?;
    let lead = staff[0];
    Ok((admin, lead, staff))
}

/// The office's people, each with an open case; returns the case ids.
async fn people(store: &Store, lead: Actor, staff: &[Actor], seed: usize) -> Result<Vec<i64>> {
    let today = today_jst();
    let mut tx = store.begin(lead).await?;
    let mut cases_opened = Vec::new();
    let mut k = seed;
    for (kinds, age, n) in PEOPLE {
        for _ in 0..*n {
            let (f, fk) = FAMILY[k % FAMILY.len()];
            let (g, gk) = GIVEN[(k / FAMILY.len()) % GIVEN.len()];
            let birth = today - Duration::days(i64::from(*age) * 365 + 40 + (k % 200) as i64);
            let r = ClientInput {
                family_name: f.into(),
                given_name: g.into(),
                family_name_kana: fk.into(),
                given_name_kana: gk.into(),
                birth_date: birth.to_string(),
                sex: if k.is_multiple_of(2) {
                    "male"
                } else {
                    "female"
                }
                .into(),
                disability_kinds: kinds.iter().map(|x| x.to_string()).collect(),
                support_category: format!("{}", 2 + k % 4),
                status: "supporting".into(),
                address: "N市".into(),
                ..Default::default()
            }
            .validate(today)
            .map_err(|e| anyhow!("demo region client: {e}"))?;
            let assigned = staff[1 + k % (staff.len() - 1)].user_id;
            let id = clients::create(&mut tx, &r, Some(assigned)).await?;
            let acc = tx
                .client_access(id, RecordKind::Case, Action::Write)
                .await?;
            let intake = IntakeInput {
                intake_date: (today - Duration::days(60 + (k % 90) as i64)).to_string(),
                referral_source: "municipality".into(),
                chief_complaint: "今の暮らしを続けたい".into(),
                consent_to_support: "yes".into(),
                urgency: "low".into(),
                title: "計画相談".into(),
                ..Default::default()
            }
            .validate(today)
            .map_err(|e| anyhow!("demo region intake: {e}"))?;
            cases_opened.push(cases::open(&mut tx, &acc, &intake).await?);
            k += 1;
        }
    }
    tx.commit().await?;
    Ok(cases_opened)
}

/// The issue an office raises from its first cases and its lead releases.
async fn release_issue(store: &Store, lead: Actor, m: &Member<'_>, cases: &[i64]) -> Result<()> {
    let r = RegionalIssueInput {
        title: m.title.into(),
        category: m.category.into(),
        need: m.need.into(),
        resource: m.resource.into(),
        area: format!("N市{}", m.area),
        status: "raised".into(),
        source: "manual".into(),
        raised_on: (today_jst() - Duration::days(30)).to_string(),
        ..Default::default()
    }
    .validate()
    .map_err(|e| anyhow!("demo region issue: {e}"))?;
    let mut tx = store.begin(lead).await?;
    let saved = regional_issues::add(&mut tx, &r, cases.first().copied()).await?;
    for c in cases.iter().skip(1).take(11) {
        regional_issues::link_case(&mut tx, saved.id, *c).await?;
    }
    if !saved.findings.is_empty() {
        return Err(anyhow!(
            "demo region issue identifies someone: {:?}",
            saved.findings
        ));
    }
    regional_issues::release(&mut tx, saved.id, saved.version).await?;
    tx.commit().await?;
    Ok(())
}

/// Seeds the region; `home` is よりそい's admin, `released` よりそい's released issue. Returns
/// the accounts to print.
pub async fn seed(
    store: &Store,
    home: Actor,
    released: i64,
    password: &str,
) -> Result<Vec<(String, String)>> {
    // The secretariat: its admin starts the region and makes the secretariat's account.
    let (kikan_admin, _, _) =
        office_with_staff(store, "N市基幹相談支援センター", "kikan-", password).await?;
    let mut tx = store.begin(kikan_admin).await?;
    let region_id = region::create(&mut tx, "N市圏域（N市自立支援協議会）").await?;
    let kikan_id = users::create(
        &mut tx,
        &NewUser {
            login: REGION_LOGIN.into(),
            display_name: "協議会事務局 森 由紀".into(),
            role: Role::Region.code().into(),
            password: password.into(),
        },
    )
    .await?
    .map_err(|e| anyhow!("{e}"))?;
    tx.commit().await?;
    let kikan = Actor {
        user_id: kikan_id,
        office_id: kikan_admin.office_id,
        role: Role::Region,
    };

    let mut tx = store.begin(home).await?;
    region::join(&mut tx, region_id, "中央地区").await?;
    tx.commit().await?;
    for (n, m) in MEMBERS.iter().enumerate() {
        let (admin, lead, staff) = office_with_staff(store, m.name, m.prefix, password).await?;
        let mut tx = store.begin(admin).await?;
        region::join(&mut tx, region_id, m.area).await?;
        tx.commit().await?;
        let opened = people(store, lead, &staff, n * 37).await?;
        release_issue(store, lead, m, &opened).await?;
    }

    // The secretariat carried よりそい's first issue to the 部会 and asks back.
    let mut tx = store.begin(kikan).await?;
    let issue = region::issue(&mut tx, released).await?;
    let c = CouncilInput {
        status: "subcommittee".into(),
        reply: "相談支援部会（12月）で取り上げます。夜間に不安が強くなる人が年に何回くらい相談先を探したか、分かる範囲で教えてください。".into(),
    }
    .validate()
    .map_err(|e| anyhow!("demo council: {e}"))?;
    region::track(&mut tx, released, issue.version, &c).await?;
    tx.commit().await?;

    Ok(vec![
        (
            REGION_LOGIN.to_string(),
            "地域の事務局（N市基幹相談支援センター）: 公開された地域課題と集計だけ".to_string(),
        ),
        (
            "kikan-kanri".to_string(),
            "基幹相談支援センターの管理者（地域の設定）".to_string(),
        ),
        (
            "aoba-kanri".to_string(),
            "地域に参加している別の事業所の管理者".to_string(),
        ),
    ])
}
