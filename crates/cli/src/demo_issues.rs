//! 地域課題 raised from the demo's meetings (step 4, 「現状ではできないこと」): Aさん's night-time
//! consultation, Bさん's holiday outings, the child's family's Saturday consultations — each
//! written so that it identifies nobody, linked to its case, and the first released by the lead
//! and carried to the 部会.

use anyhow::{Result, anyhow};
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_domain::region::RegionalIssueInput;
use yorisoi_store::{Store, issue_categories, meetings, plans, regional_issues, today_jst};

/// The first meeting of the case whose step 4 records something, oldest plan first.
async fn meeting_with_step4(store: &Store, by: Actor, client: i64, case: i64) -> Result<i64> {
    let mut tx = store.read(by).await?;
    let pacc = tx
        .client_access(client, RecordKind::Plan, Action::Read)
        .await?;
    let mut versions = plans::list(&mut tx, &pacc, case).await?;
    versions.reverse();
    let macc = tx
        .client_access(client, RecordKind::Meeting, Action::Read)
        .await?;
    for p in versions {
        for m in meetings::for_plan(&mut tx, &macc, p.id).await? {
            if !m.record.cannot_do.is_empty() {
                tx.commit().await?;
                return Ok(m.id);
            }
        }
    }
    Err(anyhow!(
        "no meeting with 現状ではできないこと in case {case}"
    ))
}

/// One issue to raise: who raises it, from which case, and its words.
pub struct Raise<'a> {
    pub by: Actor,
    pub client: i64,
    pub case: i64,
    pub title: &'a str,
    pub category: &'a str,
    pub need: &'a str,
    pub resource: &'a str,
    pub status: &'a str,
}

async fn raise(store: &Store, r: &Raise<'_>) -> Result<(i64, i32)> {
    let meeting = meeting_with_step4(store, r.by, r.client, r.case).await?;
    let mut tx = store.read(r.by).await?;
    let categories = issue_categories::list(&mut tx).await?;
    tx.commit().await?;
    let input = RegionalIssueInput {
        title: r.title.into(),
        category: r.category.into(),
        need: r.need.into(),
        resource: r.resource.into(),
        area: "N市中央圏域".into(),
        status: r.status.into(),
        source: "meeting".into(),
        source_ref: meeting.to_string(),
        raised_on: (today_jst() - chrono::Duration::days(20)).to_string(),
    }
    .validate_in(&categories)
    .map_err(|e| anyhow!("demo issue: {e}"))?;
    let mut tx = store.begin(r.by).await?;
    let saved = regional_issues::add(&mut tx, &input, Some(r.case)).await?;
    tx.commit().await?;
    if !saved.findings.is_empty() {
        return Err(anyhow!(
            "demo issue identifies someone: {:?}",
            saved.findings
        ));
    }
    Ok((saved.id, saved.version))
}

/// Raises the three issues; the lead releases the first. Returns their ids.
pub async fn seed(store: &Store, lead: Actor, issues: &[Raise<'_>]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (n, r) in issues.iter().enumerate() {
        let (id, version) = raise(store, r).await?;
        if n == 0 {
            let mut tx = store.begin(lead).await?;
            regional_issues::release(&mut tx, id, version).await?;
            tx.commit().await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

/// Who and what the follow-ups are seeded from.
pub struct Followups {
    pub lead: Actor,
    /// Aさん's specialist, her client and case.
    pub sato: Actor,
    pub a: i64,
    pub a_case: i64,
    /// Bさん's specialist and case.
    pub suzuki: Actor,
    pub b_case: i64,
    /// The issues [`seed`] raised (the first is Aさん's night-time consultation).
    pub issues: Vec<i64>,
}

/// Issue 20's follow-ups in the demo: a duplicate of Aさん's night-time issue merged into it; a
/// resolved issue linked to the new 社会資源 it led to; two 個別事例報告 from Aさん's case (one
/// released, one waiting); and a 地域体制強化共同支援加算 record for Bさん's move.
pub async fn followups(store: &Store, f: &Followups) -> Result<()> {
    use yorisoi_domain::joint_support::{JointSupportInput, Party};
    use yorisoi_domain::team::ResourceInput;
    use yorisoi_domain::vignette::VignetteInput;
    use yorisoi_store::{issue_followups, joint_support, resources, vignettes};
    let night = *f
        .issues
        .first()
        .ok_or_else(|| anyhow!("no demo issue to follow up"))?;

    // A duplicate of the night-time issue, raised again from the same case, merged into it.
    let (dup, dup_version) = raise(
        store,
        &Raise {
            by: f.sato,
            client: f.a,
            case: f.a_case,
            title: "夜間の相談窓口が足りない",
            category: "welfare",
            need: "夜間に不安が強くなったとき、電話で相談できる窓口が地域にない。",
            resource: "夜間の電話相談",
            status: "raised",
        },
    )
    .await?;
    let mut tx = store.begin(f.lead).await?;
    let night_version = regional_issues::get(&mut tx, night).await?.version;
    issue_followups::merge(&mut tx, night, night_version, dup, dup_version).await?;
    tx.commit().await?;

    // A resolved issue: the 地域活動支援センター the council's 部会 worked for opened, and is in
    // the directory now.
    let (resolved, version) = raise(
        store,
        &Raise {
            by: f.sato,
            client: f.a,
            case: f.a_case,
            title: "日中に気軽に立ち寄れる居場所がない",
            category: "participation",
            need: "40代の女性（精神障害）。作業所が休みの日に、一人で過ごすと不安が強くなる。予約なしで立ち寄れる居場所が地域にない。",
            resource: "予約なしで立ち寄れる地域活動支援センター",
            status: "council",
        },
    )
    .await?;
    let mut tx = store.begin(f.lead).await?;
    let resource = ResourceInput {
        category: "other_system".into(),
        service_type: String::new(),
        name: "地域活動支援センターこもれび".into(),
        contact_person: "相談員 小林".into(),
        phone: "0120-111-007".into(),
        address: "N市".into(),
        note: "協議会の部会の提案で開所。予約なしで立ち寄れる（土曜も開所）。".into(),
    }
    .validate()
    .map_err(|e| anyhow!("demo resource: {e:?}"))?;
    let resource_id = resources::create(&mut tx, &resource).await?;
    let issue = regional_issues::get(&mut tx, resolved).await?;
    let mut record = issue.record.clone();
    record.status = yorisoi_domain::region::IssueStatus::Resolved;
    let saved = regional_issues::update(&mut tx, resolved, version, &record).await?;
    issue_followups::set_resource(&mut tx, resolved, saved.version, Some(resource_id)).await?;
    tx.commit().await?;

    // Two vignettes from Aさん's case: the lead releases the first; the second waits.
    let mut tx = store.begin(f.sato).await?;
    let mut written = Vec::new();
    for (title, body) in [
        (
            "夜間の不安に、相談できる先がなかった事例",
            "40代の女性。精神障害と知的障害があり、就労継続支援B型に週4日通っている。\n\
             夜間に眠れず不安が強くなると、家族や事業所に何度も電話をかけていた。夜間に対応する相談窓口が地域になく、\
             計画相談支援の担当者が翌朝に話を聞く形で支えてきた。\n\
             地域生活支援拠点の相談機能が夜間にも使えれば、本人が一人で不安を抱える時間を短くできる。",
        ),
        (
            "休日の過ごし方に困っていた事例",
            "40代の女性。作業所が休みの土曜・日曜に、一人で家にいると不安が強くなり、生活リズムが崩れやすい。\n\
             予約なしで立ち寄れる居場所があれば、休日も人と話しながら過ごせる。",
        ),
    ] {
        let r = VignetteInput {
            title: title.into(),
            body: body.into(),
            issue_id: night.to_string(),
        }
        .validate()
        .map_err(|e| anyhow!("demo vignette: {e}"))?;
        let saved = vignettes::add(&mut tx, f.a_case, &r).await?;
        if !saved.findings.is_empty() {
            return Err(anyhow!(
                "demo vignette identifies someone: {:?}",
                saved.findings
            ));
        }
        written.push((saved.id, saved.version));
    }
    tx.commit().await?;
    if let Some((id, version)) = written.first() {
        let mut tx = store.begin(f.lead).await?;
        vignettes::release(&mut tx, *id, *version).await?;
        tx.commit().await?;
    }

    // Bさん's move from the facility, worked on with his guardian, the group home and the city,
    // and reported to the 協議会 in writing.
    let mut tx = store.begin(f.suzuki).await?;
    let mut parties = joint_support::team_parties(&mut tx, f.b_case).await?;
    parties.truncate(2);
    parties.push(Party {
        name: "中村 ケースワーカー".into(),
        organisation: "N市障害福祉課".into(),
    });
    parties.push(Party {
        name: "木村 相談支援専門員".into(),
        organisation: "N市基幹相談支援センター".into(),
    });
    let today = today_jst();
    let r = JointSupportInput {
        worked_on: (today - chrono::Duration::days(30)).to_string(),
        parties,
        reported_on: (today - chrono::Duration::days(10)).to_string(),
        report_title: "入所施設からグループホームへの地域移行に関する共同支援の報告".into(),
        summary: "15年入所していた施設からグループホームへの移行を、成年後見人・グループホーム・市・基幹相談支援センターと共同で支援した。\
                  絵カードで本人の意思を確かめながら体験利用を重ね、移行後の生活を関係者で見守る体制をつくった。"
            .into(),
        issue_id: f.issues.get(1).map(|i| i.to_string()).unwrap_or_default(),
    }
    .validate()
    .map_err(|e| anyhow!("demo joint support: {e}"))?;
    joint_support::add(&mut tx, f.b_case, &r).await?;
    tx.commit().await?;

    // The office's own category, counted as その他 in the region, and an issue filed under it.
    let mut tx = store.begin(f.lead).await?;
    let disaster = yorisoi_domain::region::OwnCategoryInput {
        label: "災害時の支援".into(),
        counts_as: "other".into(),
        active: String::new(),
    }
    .validate()
    .map_err(|e| anyhow!("demo category: {e}"))?;
    let disaster = issue_categories::add(&mut tx, &disaster).await?;
    tx.commit().await?;
    raise(
        store,
        &Raise {
            by: f.sato,
            client: f.a,
            case: f.a_case,
            title: "災害のとき落ち着いて過ごせる場がない",
            category: &disaster.code,
            need: "大勢のいる避難所で過ごすと不安が強くなる人が、落ち着いて過ごせる場所（福祉避難所）が地区に少ない。",
            resource: "福祉避難所と、そこへ移るための支援",
            status: "raised",
        },
    )
    .await?;
    Ok(())
}
