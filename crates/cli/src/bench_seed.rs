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

pub async fn seed(
    store: &Store,
    n_offices: usize,
    per_office: usize,
    notes_per_client: usize,
    password: &str,
) -> Result<()> {
    let started = Instant::now();
    let today = today_jst();
    let now = yorisoi_store::now_jst();
    for o in 0..n_offices {
        let office_id = offices::create(store, &format!("ベンチ事業所 {}", o + 1)).await?;
        let admin_id = users::create_from_cli(
            store,
            office_id,
            &NewUser {
                login: format!("bench{o}-admin"),
                display_name: format!("管理者{o}"),
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
        let mut tx = store.begin(admin).await?;
        let mut specialists = Vec::new();
        for s in 0..5 {
            let id = users::create(
                &mut tx,
                &NewUser {
                    login: format!("bench{o}-spec{s}"),
                    display_name: format!("専門員{o}-{s}"),
                    role: "specialist".into(),
                    password: password.into(),
                },
            )
            .await?
            .map_err(|e| anyhow!("{e}"))?;
            specialists.push(id);
        }
        tx.commit().await?;
        // Batches of clients in one unit of work each, to keep the seed minutes, not hours.
        let batch = 50;
        let mut i = 0;
        while i < per_office {
            let mut tx = store.begin(admin).await?;
            for k in i..(i + batch).min(per_office) {
                let (f, fk) = FAMILY[k % FAMILY.len()];
                let (g, gk) = GIVEN[(k / FAMILY.len()) % GIVEN.len()];
                let input = ClientInput {
                    family_name: f.into(),
                    given_name: format!("{g}{}", k / (FAMILY.len() * GIVEN.len())),
                    family_name_kana: fk.into(),
                    given_name_kana: gk.into(),
                    birth_date: format!("{}-{:02}-{:02}", 1950 + (k % 60), 1 + k % 12, 1 + k % 28),
                    sex: if k % 2 == 0 {
                        "male".into()
                    } else {
                        "female".into()
                    },
                    disability_kinds: vec!["mental".into()],
                    support_category: format!("{}", 1 + k % 6),
                    status: "supporting".into(),
                    address: "N市".into(),
                    ..Default::default()
                };
                let r = input.validate(today).map_err(|e| anyhow!("{e}"))?;
                let id =
                    clients::create(&mut tx, &r, Some(specialists[k % specialists.len()])).await?;
                let until = today + Duration::days((k % 400) as i64 - 30);
                let cert = CertificateInput {
                    number: format!("{:010}", 1_000_000 + o * 100_000 + k),
                    municipality: "N市".into(),
                    issued_on: (until - Duration::days(380)).to_string(),
                    decision_from: (until - Duration::days(364)).to_string(),
                    decision_until: until.to_string(),
                    services: "就労継続支援B型：22日/月".into(),
                    ..Default::default()
                }
                .validate()
                .map_err(|e| anyhow!("{e}"))?;
                let acc = tx
                    .client_access(id, RecordKind::Certificate, Action::Write)
                    .await?;
                certificates::add(&mut tx, &acc, &cert).await?;
                let nacc = tx
                    .client_access(id, RecordKind::CaseNote, Action::Write)
                    .await?;
                for n in 0..notes_per_client {
                    let input = NoteInput {
                        date: (today - Duration::days((n * 7 + k % 7 + 1) as i64)).to_string(),
                        time: "10:00".into(),
                        kind: ["phone", "visit", "agency", "interview"][n % 4].into(),
                        counterpart: "本人".into(),
                        content: NOTES[(n + k) % NOTES.len()].into(),
                        minutes: "30".into(),
                        ..Default::default()
                    };
                    notes::add(
                        &mut tx,
                        &nacc,
                        &input.validate(now).map_err(|e| anyhow!("{e}"))?,
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            i += batch;
            eprint!(
                "\roffice {}/{}: {}/{} clients ({:.0}s)",
                o + 1,
                n_offices,
                i.min(per_office),
                per_office,
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    println!(
        "seeded {} offices × {} clients × {} notes in {:.1}s; sign in as bench0-spec0 / bench0-admin with the given password",
        n_offices,
        per_office,
        notes_per_client,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
