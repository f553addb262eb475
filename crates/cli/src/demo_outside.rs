//! The demo's care team outside the office (issue 19): Aさん's B型 provider, her municipal
//! caseworker, her brother and Aさん herself each redeem an invitation through the same code
//! paths as a real invitee, and each has a second factor (always required outside the office),
//! printed at start as an `otpauth://` URI.

use anyhow::{Result, anyhow};
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_domain::team::ShareConsentInput;
use yorisoi_store::outside::{self, NewAccount};
use yorisoi_store::second_factor as sf;
use yorisoi_store::{Store, team, today_jst};

/// An outside account of the demo: login, who it is, the URI of its second factor.
pub struct OutsideAccount {
    pub login: String,
    pub label: String,
    pub uri: String,
}

/// (login, the member's name on Aさん's team, how the start-up list describes them).
const WHO: [(&str, &str, &str); 4] = [
    (
        "hikari",
        "佐藤 サービス管理責任者",
        "サービス管理責任者 ひかり作業所（Aさんの就労継続支援B型。基本情報・計画を見て、サービス提供状況を報告）",
    ),
    (
        "n-city",
        "小林 ケースワーカー",
        "ケースワーカー N市生活福祉課（Aさんの市町村。同意の範囲）",
    ),
    (
        "aoki-minoru",
        "青木 実（兄）",
        "家族 青木 実（Aさんの兄。本人が同意した計画・モニタリング）",
    ),
    (
        "aoki",
        "青木 明子",
        "本人 青木 明子（Aさん。自分の計画と次のモニタリング）",
    ),
];

/// Invites the four and redeems each invitation with `password`; Aさん's brother first gets
/// her consent to see her plan and monitoring (the team's consent covers only those outside
/// the family).
pub async fn seed(
    store: &Store,
    by: Actor,
    client_id: i64,
    password: &str,
) -> Result<Vec<OutsideAccount>> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await?;
    let members = team::members(&mut tx, &acc).await?;
    let id_of = |name: &str| {
        members
            .iter()
            .find(|m| m.active && m.record.name == name)
            .map(|m| m.id)
            .ok_or_else(|| anyhow!("demo team has no {name}"))
    };
    let brother = id_of(WHO[2].1)?;
    let team_ids: Vec<i64> = members.iter().filter(|m| m.active).map(|m| m.id).collect();
    let c = ShareConsentInput {
        subject: String::new(),
        member_ids: vec![brother.to_string()],
        sections: vec!["plan".into(), "monitoring".into()],
        purpose: "兄が計画とモニタリングの結果を知り、相談相手になるため".into(),
        given_on: today_jst().to_string(),
        document: "個人情報使用同意書（兄への提供。原本は事業所で保管）".into(),
    }
    .validate(today_jst(), &team_ids)
    .map_err(|e| anyhow!("demo consent: {e:?}"))?;
    team::give_consent(&mut tx, &acc, &c, None).await?;
    let mut codes = Vec::new();
    for (login, name, label) in WHO {
        let issued = outside::invite(&mut tx, &acc, id_of(name)?).await?;
        codes.push((login, name, label, issued.code));
    }
    tx.commit().await?;
    let mut out = Vec::new();
    let mut joined = Vec::new();
    for (login, name, label, code) in codes {
        let input = NewAccount {
            login: login.into(),
            display_name: name.split('（').next().unwrap_or(name).into(),
            password: password.into(),
            password_again: password.into(),
        };
        let user_id = outside::join_new(store, &code, &input, yorisoi_store::now_utc())
            .await?
            .map_err(|e| anyhow!("demo join {login}: {e:?}"))?;
        let mut secret = vec![0u8; yorisoi_domain::second_factor::SECRET_BYTES];
        rand::fill(&mut secret[..]);
        sf::seed_enrolled(store, by.office_id, user_id, &secret).await?;
        if login == "hikari" {
            provider_report(store, by.office_id, user_id, client_id).await?;
        }
        if login == "aoki" {
            person_words(store, by.office_id, user_id, client_id).await?;
        }
        joined.push((login, user_id, id_of(name)?));
        out.push(OutsideAccount {
            login: login.into(),
            label: label.into(),
            uri: yorisoi_domain::second_factor::user_uri(login, by.office_id, &secret),
        });
    }
    share_plan(store, by, client_id, &joined).await?;
    Ok(out)
}

/// The specialist shares Aさん's plan in force with ひかり作業所 (which has acknowledged receipt:
/// the plan's 交付 shows it) and with Aさん herself (not yet received), and submits it to N市
/// (not yet accepted).
async fn share_plan(
    store: &Store,
    by: Actor,
    client_id: i64,
    joined: &[(&str, i64, i64)],
) -> Result<()> {
    use yorisoi_domain::policy::Role;
    use yorisoi_domain::team::{SHARE_DAYS, ShareRequest, SharedDocKind};
    use yorisoi_store::shares;
    let member = |login: &str| {
        joined
            .iter()
            .find(|j| j.0 == login)
            .copied()
            .ok_or_else(|| anyhow!("demo: {login} did not join"))
    };
    let (hikari, aoki, city) = (member("hikari")?, member("aoki")?, member("n-city")?);
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await?;
    // Newest first: the first plan version without （案） is the plan in force.
    let plan = shares::shareable(&mut tx, &acc)
        .await?
        .into_iter()
        .find(|d| d.key.starts_with("plan:") && !d.title.contains("（案）"))
        .ok_or_else(|| anyhow!("demo: Aさん has no final plan"))?;
    let record_id: i64 = plan.key.trim_start_matches("plan:").parse()?;
    let ids = shares::create(
        &mut tx,
        &acc,
        &ShareRequest {
            doc: SharedDocKind::Plan,
            record_id,
            member_ids: vec![hikari.2, aoki.2],
            expires_on: Some(today_jst() + chrono::Duration::days(SHARE_DAYS)),
            message: "今月からの計画です。ご確認のうえ「受領しました」を押してください。".into(),
        },
    )
    .await?;
    // To the 市町村 it is a submission (提出), waiting for the caseworker's 受理.
    shares::create(
        &mut tx,
        &acc,
        &ShareRequest {
            doc: SharedDocKind::Plan,
            record_id,
            member_ids: vec![city.2],
            expires_on: Some(today_jst() + chrono::Duration::days(SHARE_DAYS)),
            message: "本計画を提出します。受理をお願いします。".into(),
        },
    )
    .await?;
    tx.commit().await?;
    let me = Actor {
        user_id: hikari.1,
        office_id: by.office_id,
        role: Role::Outside,
    };
    let mut tx = store.begin(me).await?;
    let g = shares::open(&mut tx, ids[0]).await?;
    shares::receive(&mut tx, &g).await?;
    tx.commit().await?;
    Ok(())
}

/// ひかり作業所 reports this month's サービス提供状況 on its row of Aさん's plan, as its サビ管
/// would before her monitoring: the specialist's monitoring form shows it beside the goal.
async fn provider_report(
    store: &Store,
    office_id: i64,
    user_id: i64,
    client_id: i64,
) -> Result<()> {
    use yorisoi_domain::monitoring::provider::ProviderReportInput;
    use yorisoi_domain::policy::Role;
    use yorisoi_domain::team::ShareSection;
    let me = Actor {
        user_id,
        office_id,
        role: Role::Outside,
    };
    let mut tx = store.begin(me).await?;
    let sa = tx.shared_access(client_id, ShareSection::Plan).await?;
    let Some(plan) = outside::report_plan(&mut tx, &sa).await? else {
        return Err(anyhow!("demo: Aさん has no plan in force"));
    };
    let Some(row) = plan
        .record
        .rows
        .iter()
        .find(|r| r.provider.contains("ひかり"))
    else {
        return Err(anyhow!("demo: no ひかり作業所 row in Aさん's plan"));
    };
    let input = ProviderReportInput {
        month: yorisoi_domain::certificate::YearMonth::of(today_jst()).code(),
        row_key: vec![row.key.to_string()],
        provision: vec!["今月は週4日の予定のうち15日通所（体調不良で2日休み）。バスは先月から一人で乗れています。袋詰めの作業に集中でき、休憩時間に他の利用者と話す場面が増えました。".into()],
        note: "月末に「A型の見学に行きたい」と話していました。次のモニタリングで一緒に確かめてください。".into(),
    };
    outside::save_report(&mut tx, &sa, &input, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Aさん writes 「わたしの ことば」 before this month's visit, as she would on her phone.
async fn person_words(store: &Store, office_id: i64, user_id: i64, client_id: i64) -> Result<()> {
    use yorisoi_domain::monitoring::provider::ProviderReportInput;
    use yorisoi_domain::policy::Role;
    use yorisoi_domain::team::ShareSection;
    let me = Actor {
        user_id,
        office_id,
        role: Role::Outside,
    };
    let mut tx = store.begin(me).await?;
    let sa = tx.shared_access(client_id, ShareSection::Plan).await?;
    let input = ProviderReportInput {
        month: yorisoi_domain::certificate::YearMonth::of(today_jst()).code(),
        note: "バスは もう ひとりで だいじょうぶ。A型の けんがくに いきたい。お金の ことは まだ すこし しんぱい。".into(),
        ..Default::default()
    };
    outside::save_report(&mut tx, &sa, &input, None).await?;
    tx.commit().await?;
    Ok(())
}
