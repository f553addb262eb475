//! Plans, care teams, consents, meetings and providers for the demo cases (DOMAIN.md §5),
//! entered through the same validation and store functions as the screens: Aさん's plan from her
//! wish to work at an A型 office (final, then changed after the re-assessment) and the child's
//! 障害児支援利用計画 with the mother's wishes beside the child's. Bさん's plans are in
//! `demo_plans_b`.

use anyhow::{Result, anyhow};
use chrono::{Duration, NaiveDate};
use yorisoi_domain::meeting::MeetingInput;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_domain::team::*;
use yorisoi_store::{ClientAccess, Store, Tx, meetings, plans, resources, team, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

/// The office directory's ids the demo plans link to.
pub struct Res {
    pub hikari: i64,
    habataki: i64,
    shakyo: i64,
    nursing: i64,
    pub sakura: i64,
    sora: i64,
}

pub async fn resources(store: &Store, by: Actor) -> Result<Res> {
    let mut tx = store.begin(by).await?;
    let add = async |tx: &mut Tx,
                     cat: &str,
                     ty: &str,
                     name: &str,
                     who: &str,
                     phone: &str,
                     note: &str|
           -> Result<i64> {
        let r = ResourceInput {
            category: s(cat),
            service_type: s(ty),
            name: s(name),
            contact_person: s(who),
            phone: s(phone),
            address: s("N市"),
            note: s(note),
        }
        .validate()
        .map_err(|e| anyhow!("demo resource: {e:?}"))?;
        Ok(resources::create(tx, &r).await?)
    };
    let hikari = add(
        &mut tx,
        "welfare",
        "employment_b",
        "ひかり作業所",
        "佐藤 サービス管理責任者",
        "0120-111-001",
        "パン製造と軽作業。送迎あり（駅まで）。",
    )
    .await?;
    let habataki = add(
        &mut tx,
        "welfare",
        "employment_a",
        "はばたきワークス（A型）",
        "田村 サービス管理責任者",
        "0120-111-002",
        "データ入力・清掃。週4日から。見学随時。",
    )
    .await?;
    let shakyo = add(
        &mut tx,
        "other_system",
        "money_management",
        "N市社会福祉協議会（日常生活自立支援事業）",
        "専門員 高橋",
        "0120-111-003",
        "通帳の預かり、生活費の定期的な払い出し。",
    )
    .await?;
    let nursing = add(
        &mut tx,
        "other_system",
        "visiting_nursing",
        "つばさ訪問看護ステーション（精神科）",
        "看護師 森",
        "0120-111-004",
        "服薬確認、生活リズムの相談。",
    )
    .await?;
    let sakura = add(
        &mut tx,
        "welfare",
        "group_home",
        "グループホームさくら",
        "山本 サービス管理責任者",
        "0120-111-005",
        "定員5名。体験利用可。絵カードに対応。",
    )
    .await?;
    let sora = add(
        &mut tx,
        "welfare",
        "child_development",
        "こども発達センターそら（児童発達支援）",
        "児童発達支援管理責任者 石井",
        "0120-111-006",
        "遊びを通した療育。保護者相談あり。",
    )
    .await?;
    add(
        &mut tx,
        "welfare",
        "home_care",
        "N市ヘルパーステーションあおば",
        "サービス提供責任者 中野",
        "0120-111-007",
        "家事援助・通院等介助。",
    )
    .await?;
    add(
        &mut tx,
        "informal",
        "",
        "駅前の喫茶店「こもれび」",
        "店主",
        "",
        "Aさんの顔なじみ。体調の変化に気づいて声をかけてくれる。",
    )
    .await?;
    add(
        &mut tx,
        "informal",
        "",
        "N市手をつなぐ育成会（親の会）",
        "",
        "",
        "月1回の親の茶話会。",
    )
    .await?;
    tx.commit().await?;
    Ok(Res {
        hikari,
        habataki,
        shakyo,
        nursing,
        sakura,
        sora,
    })
}

/// A team member: (kind, name, organisation, contact, role in the plan, directory entry).
pub type MemberSpec<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<i64>);

/// Adds the team and the consents (by the person or the guardian, and by each family member for
/// their own words) covering everyone outside the family for the given sections; returns the
/// member ids in order.
pub async fn team_and_consent(
    store: &Store,
    by: Actor,
    client_id: i64,
    members: &[MemberSpec<'_>],
    sections: &[&str],
    on: NaiveDate,
) -> Result<Vec<i64>> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await?;
    let mut ids = Vec::new();
    let mut outside = Vec::new();
    for spec in members {
        let (id, r) = add_member(&mut tx, &acc, *spec).await?;
        if r.kind.is_outside() {
            outside.push(id.to_string());
        }
        ids.push(id);
    }
    // The person's consent, then each family member's and guardian's for their own words in
    // the plan's 家族の意向 (the same form, signed beside the person's).
    let family = members
        .iter()
        .filter(|(kind, ..)| matches!(*kind, "family" | "curator"))
        .map(|(_, name, ..)| s(name));
    for subject in std::iter::once(String::new()).chain(family) {
        let c = ShareConsentInput {
            subject,
            member_ids: outside.clone(),
            sections: sections.iter().map(|x| s(x)).collect(),
            purpose: s("サービス担当者会議とサービス提供のための情報共有"),
            given_on: on.to_string(),
            document: s("個人情報使用同意書（原本は事業所で保管）"),
        };
        consent(&mut tx, &acc, c, &ids).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// Adds one member through the same validation as the team page.
async fn add_member(
    tx: &mut Tx,
    acc: &ClientAccess,
    (kind, name, org, contact, role, resource_id): MemberSpec<'_>,
) -> Result<(i64, TeamMemberRecord)> {
    let r = TeamMemberInput {
        kind: s(kind),
        name: s(name),
        organisation: s(org),
        contact: s(contact),
        role: s(role),
        resource_id: resource_id.map(|r| r.to_string()).unwrap_or_default(),
    }
    .validate()
    .map_err(|e| anyhow!("demo member: {e:?}"))?;
    Ok((team::add_member(tx, acc, &r).await?, r))
}

/// Records one consent through the same validation as the consent form.
async fn consent(
    tx: &mut Tx,
    acc: &ClientAccess,
    c: ShareConsentInput,
    team_ids: &[i64],
) -> Result<()> {
    let c = c
        .validate(today_jst(), team_ids)
        .map_err(|e| anyhow!("demo consent: {e:?}"))?;
    team::give_consent(tx, acc, &c, None).await?;
    Ok(())
}

/// A provider joins the team later (a plan change brings in a new service): the member, and a
/// new consent from the person and from each `subjects` (family or guardian, for their own words)
/// covering them for `sections`.
pub async fn join_team(
    store: &Store,
    by: Actor,
    client_id: i64,
    member: MemberSpec<'_>,
    subjects: &[&str],
    sections: &[&str],
    on: NaiveDate,
) -> Result<i64> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await?;
    let (id, _) = add_member(&mut tx, &acc, member).await?;
    let ids: Vec<i64> = team::members(&mut tx, &acc)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    for subject in std::iter::once("").chain(subjects.iter().copied()) {
        let c = ShareConsentInput {
            subject: s(subject),
            member_ids: vec![id.to_string()],
            sections: sections.iter().map(|x| s(x)).collect(),
            purpose: s("計画変更のサービス担当者会議と体験利用のための情報共有"),
            given_on: on.to_string(),
            document: s("個人情報使用同意書（追加分。原本は事業所で保管）"),
        };
        consent(&mut tx, &acc, c, &ids).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Drafts the case's plan and fills it with `edit`.
pub async fn draft(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    edit: impl FnOnce(&mut PlanInput),
) -> Result<i64> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let id = plans::draft(&mut tx, &acc, case_id, on).await?;
    save(&mut tx, &acc, id, edit).await?;
    tx.commit().await?;
    Ok(id)
}

/// A 計画変更: a new version from the case's newest (final) plan, filled with `edit`.
pub async fn change(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    edit: impl FnOnce(&mut PlanInput),
) -> Result<i64> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let latest = plans::list(&mut tx, &acc, case_id)
        .await?
        .first()
        .map(|p| p.id)
        .ok_or_else(|| anyhow!("demo: no plan to change"))?;
    let id = plans::change(&mut tx, &acc, latest, on).await?;
    save(&mut tx, &acc, id, edit).await?;
    tx.commit().await?;
    Ok(id)
}

async fn save(
    tx: &mut Tx,
    acc: &yorisoi_store::ClientAccess,
    id: i64,
    edit: impl FnOnce(&mut PlanInput),
) -> Result<i32> {
    let p = plans::get(tx, acc, id).await?;
    let mut input = PlanInput::from_record(&p.record);
    edit(&mut input);
    let r = input
        .validate(&p.record, today_jst())
        .map_err(|e| anyhow!("demo plan: {e:?}"))?;
    Ok(plans::update(tx, acc, id, p.version, &r).await?)
}

pub fn row(i: &mut PlanInput, idx: usize, f: impl FnOnce(&mut RowInput)) {
    if let Some(r) = i.rows.get_mut(idx) {
        f(r);
    }
}

pub fn week(day: &str, start: &str, end: &str, label: &str) -> WeekEntryInput {
    WeekEntryInput {
        day: s(day),
        start: s(start),
        end: s(end),
        label: s(label),
    }
}

/// Who signs a plan: their name and their role code.
pub struct Signer<'a>(pub &'a str, pub &'a str);

/// Records a signature on `stage` after the explanation; returns the new version.
#[allow(clippy::too_many_arguments)]
async fn sign(
    tx: &mut Tx,
    acc: &ClientAccess,
    id: i64,
    version: i32,
    stage: &str,
    on: NaiveDate,
    who: &Signer<'_>,
) -> Result<i32> {
    let c = PlanConsentInput {
        stage: s(stage),
        signed_on: on.to_string(),
        signer: s(who.0),
        role: s(who.1),
        explained: s("yes"),
    }
    .validate(today_jst())
    .map_err(|e| anyhow!("demo plan consent: {e:?}"))?;
    Ok(plans::add_consent(tx, acc, id, version, &c).await?)
}

/// Records a hand-over in person; returns the new version.
#[allow(clippy::too_many_arguments)]
async fn hand_over(
    tx: &mut Tx,
    acc: &ClientAccess,
    id: i64,
    version: i32,
    stage: &str,
    to: &str,
    on: NaiveDate,
) -> Result<i32> {
    let h = HandoverInput {
        stage: s(stage),
        to: s(to),
        on: on.to_string(),
        method: s("in_person"),
    }
    .validate(today_jst())
    .map_err(|e| anyhow!("demo handover: {e:?}"))?;
    Ok(plans::add_handover(tx, acc, id, version, &h).await?)
}

/// The draft explained, signed and handed to the signer.
pub async fn consent_to_draft(
    store: &Store,
    by: Actor,
    client_id: i64,
    id: i64,
    on: NaiveDate,
    who: Signer<'_>,
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    let v = sign(&mut tx, &acc, id, p.version, "draft", on, &who).await?;
    let to = match who.1 {
        "guardian" => "保護者",
        "curator" => "成年後見人",
        _ => "本人",
    };
    hand_over(&mut tx, &acc, id, v, "draft", to, on).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn meeting(
    store: &Store,
    by: Actor,
    client_id: i64,
    plan_id: i64,
    members: &[i64],
    on: NaiveDate,
    edit: impl FnOnce(&mut MeetingInput),
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Meeting, Action::Write)
        .await?;
    let mut m = MeetingInput {
        held_on: on.to_string(),
        start: s("14:00"),
        participants: members.iter().map(|m| m.to_string()).collect(),
        attended: members.iter().map(|m| m.to_string()).collect(),
        ..Default::default()
    };
    edit(&mut m);
    let r = meetings::validate(&tx, &acc, plan_id, &m, today_jst())
        .await?
        .map_err(|e| anyhow!("demo meeting: {e:?}"))?;
    meetings::create(&mut tx, &acc, plan_id, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes the plan final: the plan date, providers, the signature, the hand-over to `to`.
#[allow(clippy::too_many_arguments)]
pub async fn finalise(
    store: &Store,
    by: Actor,
    client_id: i64,
    id: i64,
    on: NaiveDate,
    who: Signer<'_>,
    to: &str,
    edit: impl FnOnce(&mut PlanInput),
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let v = save(&mut tx, &acc, id, |i| {
        i.decided_on = on.to_string();
        edit(i);
    })
    .await?;
    let v = sign(&mut tx, &acc, id, v, "final", on, &who).await?;
    let v = plans::move_state(&mut tx, &acc, id, v, PlanState::Final).await?;
    hand_over(&mut tx, &acc, id, v, "final", to, on).await?;
    tx.commit().await?;
    Ok(())
}

/// A provider chosen for a plan row (実施): who, the contract, and the 個別支援計画 received —
/// with the provider's PDF stored when one is given.
pub struct Provider<'a> {
    pub row: usize,
    pub name: &'a str,
    pub manager: &'a str,
    pub contact: &'a str,
    pub contract_on: NaiveDate,
    pub ipp_received_on: Option<NaiveDate>,
    pub ipp: Option<crate::demo_files::ProviderPlan<'a>>,
}

/// Records the providers of a final plan's rows (the case moves to 実施).
pub async fn implement(
    store: &Store,
    by: Actor,
    client_id: i64,
    plan_id: i64,
    providers: Vec<Provider<'_>>,
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let p = plans::get(&mut tx, &acc, plan_id).await?;
    for pr in providers {
        let row = p
            .record
            .rows
            .get(pr.row)
            .ok_or_else(|| anyhow!("demo implementation: no row {}", pr.row))?;
        let imp = ImplementationInput {
            provider: s(pr.name),
            service_type: row.service_type.map(|t| s(t.label())).unwrap_or_default(),
            manager: s(pr.manager),
            contact: s(pr.contact),
            contract_on: pr.contract_on.to_string(),
            ipp_received_on: pr
                .ipp_received_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
        .validate(today_jst())
        .map_err(|e| anyhow!("demo implementation: {e:?}"))?;
        plans::set_implementation(&mut tx, &acc, plan_id, row.key, None, &imp).await?;
        if let Some(doc) = pr.ipp {
            let pdf = crate::demo_files::provider_plan_pdf(&doc, today_jst())?;
            let name = format!("個別支援計画_{}_{}.pdf", doc.provider, doc.made_on);
            plans::attach(&mut tx, &acc, plan_id, row.key, &name, pdf).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Aさん: from 「A型で働きたい」 to rows for medication, transport and money; final last May,
/// the providers' contracts and ひかり作業所's 個別支援計画 (a PDF) in the weeks after.
pub async fn a_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    may: NaiveDate,
    res: &Res,
) -> Result<()> {
    let ids = team_and_consent(
        store,
        by,
        client_id,
        &[
            (
                "person",
                "青木 明子",
                "",
                "090-1234-5678",
                "自分の目標を決め、お薬カレンダーを続ける",
                None,
            ),
            (
                "family",
                "青木 実（兄）",
                "",
                "080-2222-3333（B県在住。平日は19時以降）",
                "月1回の電話で相談相手になる。月1回、一緒に片付け",
                None,
            ),
            (
                "provider",
                "佐藤 サービス管理責任者",
                "ひかり作業所",
                "0120-111-001",
                "日中活動、バス通所の練習",
                Some(res.hikari),
            ),
            (
                "provider",
                "森 看護師",
                "つばさ訪問看護ステーション",
                "0120-111-004（24時間対応）",
                "服薬確認と睡眠の相談",
                Some(res.nursing),
            ),
            (
                "municipality",
                "小林 ケースワーカー",
                "N市生活福祉課",
                "0439-00-2001（内線214）",
                "生活保護、年金の管理の調整",
                None,
            ),
            (
                "provider",
                "高橋 専門員",
                "N市社会福祉協議会",
                "0120-111-003",
                "日常生活自立支援事業（金銭管理）",
                Some(res.shakyo),
            ),
        ],
        &["basic", "assessment", "plan", "medical"],
        may - Duration::days(13),
    )
    .await?;
    let first_month = may
        .checked_add_months(chrono::Months::new(2))
        .ok_or_else(|| anyhow!("demo date"))?;
    let id = draft(store, by, client_id, case_id, may - Duration::days(12), |i| {
        i.policy = s("「A型で働きたい」という明子さんの思いを真ん中に、体調・通勤・お金の3つの土台をチームで整え、1年後のA型見学・体験を目指します。");
        i.long_goal = s("A型事業所で働き、自分のお給料で暮らす。");
        i.short_goal = s("薬を忘れずに飲み、よく眠れる日を増やす。バスで一人でB型に通う。");
        row(i, 0, |r| {
            r.goal = s("お薬カレンダーで飲み忘れを週1回以下にする。夜12時までに眠る日を増やす。");
            r.due = s("3か月");
            r.category = s("other_system");
            r.service_type = s("visiting_nursing");
            r.service = s("訪問看護 週1回（30分）服薬確認・睡眠の相談\nお薬カレンダー（兄と一緒に用意）");
            r.days = s("水");
            r.time = s("16:00-16:30");
            r.resource_id = res.nursing.to_string();
            r.person_role = s("毎朝・毎晩カレンダーの薬を飲み、飲んだら印をつける。");
            r.review = s("3か月後");
        });
        row(i, 1, |r| {
            r.goal = s("バスの乗り方を覚え、一人でB型に通う。");
            r.due = s("6か月");
            r.service_type = s("employment_b");
            r.service = s("就労継続支援B型 週4日（9:30〜15:30）。最初の1か月は職員がバス停まで同行して練習。");
            r.days = s("月火木金");
            r.time = s("9:30-15:30");
            r.resource_id = res.hikari.to_string();
            r.person_role = s("乗るバスの時刻表をカードにして持ち歩く。");
            r.review = s("6か月後");
        });
        row(i, 2, |r| {
            r.goal = s("借金を整理し、月末まで生活費が足りるようにする。");
            r.due = s("1年");
            r.category = s("other_system");
            r.service_type = s("money_management");
            r.service = s("日常生活自立支援事業 月2回の生活費払い出し。法テラスで債務整理の相談（同行1回）。");
            r.resource_id = res.shakyo.to_string();
            r.person_role = s("買い物のレシートを封筒にためて、専門員さんと一緒に見る。");
            r.review = s("6か月後");
        });
        row(i, 3, |r| {
            r.goal = s("年金の管理について本人・両親・ケースワーカーで話し合う。");
            r.due = s("6か月");
            r.category = s("other_system");
            r.service_type = s("public_assistance");
            r.service = s("ケースワーカーとの三者面談（3か月に1回）");
            r.person_role = s("自分がどう使いたいかを話す。");
            r.review = s("6か月後");
        });
        row(i, 4, |r| {
            r.goal = s("床が見える部屋で過ごす。");
            r.due = s("6か月");
            r.category = s("informal");
            r.service = s("兄が月1回一緒に片付け。駅前の喫茶店の店主が声かけ。");
            r.person_role = s("捨てるか迷う物は箱に入れて、兄と一緒に決める。");
            r.review = s("6か月後");
        });
        i.housing = s("今のアパート（コーポ本町103、1階の1K）で一人暮らしを続ける。");
        i.day_activity = s("ひかり作業所（B型）週4日。1年後にA型の見学・体験。");
        i.support_system = s("訪問看護・B型・社協・ケースワーカー・兄・喫茶店の店主。キーパーソンは兄。");
        i.alternatives = s("バス通所が難しい間は、B型の送迎（駅まで）を使う。");
        i.emergency = s("眠れない日が3日続いたら、訪問看護に電話。夜間はN市こころのクリニックの時間外窓口。兄にも連絡。");
        i.week = vec![
            week("毎日", "7:00", "7:30", "起床・朝食・服薬"),
            week("毎日", "21:00", "22:00", "服薬・入浴"),
            week("毎日", "23:00", "4:00", "睡眠"),
            week("土", "10:00", "12:00", "喫茶店"),
        ];
        i.non_weekly = s("通院（月2回、N市こころのクリニック）。社協の生活費払い出し（第1・第3月曜）。兄と片付け（月1回、土曜）。");
        i.whole_picture = s("体調が安定し、バスで作業所に通い、月末まで安心してお金が使える暮らし。");
        i.monitoring_period = s("every3");
        i.monitoring_start = first_month.format("%Y-%m").to_string();
        i.monitoring_note = s("B型は以前から利用しており、サービスの内容は大きく変わらないため3か月ごとを提案（市が決定）。");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        may - Duration::days(10),
        Signer("青木 明子", "person"),
    )
    .await?;
    meeting(store, by, client_id, id, &ids, may - Duration::days(5), |m| {
        m.place = s("ひかり作業所 会議室");
        m.chair = s("佐藤（相談支援専門員）");
        m.recorder = s("佐藤");
        m.introductions = s("明子さんから自己紹介。「A型で働きたい」。各機関が関わり方を紹介。兄は電話で参加。");
        m.discussion = s("アセスメントと計画案を説明。看護師から「服薬は仕組みがあれば続けられる」。B型サビ管から「作業は安定している、バスは練習で覚えられる」。");
        m.municipality_view = s("ケースワーカー: 年金の管理は本人の意向を聞きながら三者面談で進める。");
        m.roles = s("訪問看護: 服薬確認（水）／B型: バス同行練習（1か月）／社協: 生活費の払い出し／兄: 片付け（月1回）");
        m.cannot_do = s("夜間に眠れないときにすぐ相談できる場所が地域にない\n休日にバスの練習に付き添える人がいない");
        m.next_date = (first_month + Duration::days(13)).to_string();
        m.key_person = s("兄（青木 実）");
        m.consent_and_roles = s("明子さんが計画に同意。自分の役割（カレンダー、時刻表カード、レシート）を確認。");
        m.conclusions = s("計画案のとおり進める。3か月後に見直し。");
        m.remaining = s("年金の管理について両親との話し合い。");
        m.held = s("yes");
    })
    .await?;
    let providers = [
        "つばさ訪問看護ステーション 森（0120-111-004）",
        "ひかり作業所 佐藤（0120-111-001）",
        "N市社会福祉協議会 高橋（0120-111-003）",
        "N市生活福祉課 小林（0439-00-2001）",
    ];
    finalise(
        store,
        by,
        client_id,
        id,
        may - Duration::days(1),
        Signer("青木 明子", "person"),
        "本人、各サービス提供事業所、N市障害福祉課",
        |i| {
            for (r, p) in i.rows.iter_mut().zip(providers) {
                r.provider = s(p);
            }
        },
    )
    .await?;
    let contract = may + Duration::days(3);
    let ipp_on = may + Duration::days(20);
    implement(
        store,
        by,
        client_id,
        id,
        vec![
            Provider {
                row: 0,
                name: "つばさ訪問看護ステーション",
                manager: "森 看護師",
                contact: "0120-111-004",
                contract_on: contract,
                ipp_received_on: None,
                ipp: None,
            },
            Provider {
                row: 1,
                name: "ひかり作業所",
                manager: "佐藤 サービス管理責任者",
                contact: "0120-111-001",
                contract_on: contract,
                ipp_received_on: Some(ipp_on),
                ipp: Some(crate::demo_files::ProviderPlan {
                    provider: "ひかり作業所",
                    service: "就労継続支援B型",
                    person: "青木 明子",
                    made_on: ipp_on.format("%Y年%-m月%-d日").to_string(),
                    manager: "佐藤 サービス管理責任者",
                    wish: "A型で働きたい。お給料をもらって、自分のお金で暮らしたい。",
                    goal: "袋詰め作業を続け、バスで一人で通えるようになる。",
                    rows: vec![
                        (
                            "袋詰め・パン包装の作業（手順カードを使う）",
                            "月火木金 9:30〜15:30",
                            "作業担当 井上",
                        ),
                        (
                            "バス停までの同行と乗車の練習（最初の1か月）",
                            "通所日の朝・帰り",
                            "生活支援員 岡田",
                        ),
                        (
                            "休み明けの体調の声かけと、遅刻したときの振り返り",
                            "月曜の朝",
                            "佐藤",
                        ),
                        ("A型に向けた作業時間の延長の相談", "3か月ごと", "佐藤"),
                    ],
                    period: "6か月",
                }),
            },
            Provider {
                row: 2,
                name: "N市社会福祉協議会",
                manager: "高橋 専門員",
                contact: "0120-111-003",
                contract_on: may + Duration::days(10),
                ipp_received_on: None,
                ipp: None,
            },
        ],
    )
    .await?;
    Ok(())
}

/// After the re-assessment and the A型 visit: a 計画変更 toward the A型 trial, drafted `on`.
pub async fn a_san_change(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    res: &Res,
) -> Result<()> {
    // The A型 she will try joins the team for the change's meeting.
    join_team(
        store,
        by,
        client_id,
        (
            "provider",
            "田村 サービス管理責任者",
            "はばたきワークス",
            "0120-111-002",
            "体験利用の受け入れと、体験中の様子の記録",
            Some(res.habataki),
        ),
        &["青木 実（兄）"],
        &["basic", "assessment", "plan"],
        on,
    )
    .await?;
    change(store, by, client_id, case_id, on, |i| {
        i.short_goal = s("はばたきワークス（A型）の体験利用を2週間して、自分に合うか確かめる。");
        i.monitoring_period = s("monthly");
        i.monitoring_note = s("A型の体験と移行の間は毎月を提案（大きな変更のため最初の3か月）。");
        // The new need of the re-assessment comes in as a row of its own; it leads the plan.
        let mut r = match i.rows.iter().position(|r| r.need_key == "6") {
            Some(p) => i.rows.remove(p),
            None => RowInput {
                need: s("A型で働くことを体験して、自分に合うか確かめたい"),
                ..Default::default()
            },
        };
        r.goal = s("はばたきワークスで2週間の体験利用をして、続けられるか本人が決める。");
        r.due = s("3か月");
        r.category = s("welfare");
        r.service_type = s("employment_a");
        r.service = s("就労継続支援A型 体験利用（2週間・週4日、9:00〜14:00）");
        r.days = s("月火木金");
        r.time = s("9:00-14:00");
        r.resource_id = res.habataki.to_string();
        r.person_role = s("体験の感想を毎日ノートに書く。");
        r.review = s("体験の終了後");
        i.rows.insert(0, r);
    })
    .await?;
    Ok(())
}

/// The child: the mother's wishes beside the child's; the draft met on within two weeks, final
/// once the 通所受給者証 is issued, and そら's 個別支援計画 received.
pub async fn child(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    final_on: NaiveDate,
    res: &Res,
) -> Result<()> {
    let ids = team_and_consent(
        store,
        by,
        client_id,
        &[
            (
                "person",
                "千葉 ひなた",
                "",
                "",
                "好きな電車の遊びを先生と一緒にする",
                None,
            ),
            (
                "family",
                "千葉 美穂（母）",
                "",
                "090-8765-4321",
                "家庭での関わり。気になることをメモして相談する",
                None,
            ),
            (
                "family",
                "千葉 大樹（父）",
                "",
                "090-8765-1122（平日は19時以降）",
                "休日の関わり。保育園の行事と受診に付き添う",
                None,
            ),
            (
                "provider",
                "石井 児童発達支援管理責任者",
                "こども発達センターそら",
                "0120-111-006",
                "療育（遊びを通したやりとり）と保護者相談",
                Some(res.sora),
            ),
            (
                "education",
                "上田 担任",
                "N市立みなと保育園",
                "0439-22-4455",
                "保育園での様子と絵カードの共有",
                None,
            ),
            (
                "municipality",
                "中村 保健師",
                "N市こども家庭課",
                "0439-00-3300",
                "発達相談と健診の経過",
                None,
            ),
        ],
        &["basic", "assessment", "plan"],
        on - Duration::days(1),
    )
    .await?;
    let first_month = final_on
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| anyhow!("demo date"))?;
    let id = draft(store, by, client_id, case_id, on, |i| {
        i.guardian_name = s("千葉 美穂");
        i.guardian_relation = s("母");
        i.policy = s("ひなたちゃんの「でんしゃ」が好きな気持ちを入り口に、人とやりとりする楽しさを育てます。お母さんが一人で抱え込まないよう、相談の場をつくります。");
        i.long_goal = s("保育園でお友達と一緒に遊ぶ時間が増える。");
        i.short_goal = s("児童発達支援に慣れ、絵カードで予定がわかって安心して過ごす。");
        row(i, 0, |r| {
            r.goal = s("先生と電車の遊びをしながら「かして」「どうぞ」のやりとりを楽しむ。");
            r.due = s("6か月");
            r.service_type = s("child_development");
            r.service = s("児童発達支援 週2回（10:00〜12:00）。遊びを通したやりとり、月1回の保護者相談。");
            r.days = s("火金");
            r.time = s("10:00-12:00");
            r.resource_id = res.sora.to_string();
            r.person_role = s("好きな電車の遊びを先生と一緒にする。");
            r.review = s("3か月後");
        });
        row(i, 1, |r| {
            r.goal = s("朝の集まりの前に、絵カードで一日の予定を確かめて泣かずに参加する。");
            r.due = s("6か月");
            r.category = s("other_system");
            r.service_type = s("other");
            r.service = s("保育園で絵カードのスケジュールを使う（そらと同じカード）。担任と月1回、様子を共有。");
            r.days = s("平日");
            r.time = s("8:30-9:00");
            r.person_role = s("朝、カードを先生と一緒に並べる。");
            r.review = s("3か月後");
        });
        row(i, 2, |r| {
            r.goal = s("お母さんが、困ったときに相談できる人と場所を持つ。");
            r.due = s("3か月");
            r.category = s("informal");
            r.service = s("親の会の茶話会（月1回）。そらの保護者相談（月1回）。");
            r.person_role = s("お母さん: 気になることをメモして相談する。");
            r.review = s("3か月後");
        });
        i.housing = s("自宅（両親と3人）。祖母が近くに住み、送迎を手伝う。");
        i.day_activity = s("保育園（平日）と児童発達支援（火・金の午前）。");
        i.support_system = s("両親・祖母・保育園・こども発達センターそら・保健師・相談支援。");
        i.alternatives = s("通所の日に祖母の送迎が難しいときは、そらの送迎を使う。");
        i.emergency = s("体調不良時はかかりつけの小児科。母が不安なときは、そらか相談支援専門員に電話。");
        i.family_support = s("お母さんの相談先を、そらの保護者相談（月1回）と親の会の茶話会（月1回）に広げる。ペアレント・トレーニング（N市こども家庭課、秋の講座）を案内する。お父さんは土曜の面談と休日の関わりで参加する。祖母の送迎が難しい日は、そらの送迎でお母さんの負担を減らす。");
        i.week = vec![
            week("火", "10:00", "12:00", "児童発達支援（そら）"),
            week("金", "10:00", "12:00", "児童発達支援（そら）"),
            // そらの日は午後から保育園（重なる枠は週間計画表で読めない）。
            week("月水木", "8:30", "16:30", "保育園"),
            week("火金", "13:00", "16:30", "保育園（午後）"),
        ];
        i.non_weekly = s("親の会の茶話会（月1回）。こども発達センター受診（3か月に1回）。");
        i.whole_picture = s("好きな電車を通して人とやりとりし、家族が安心して子育てできる暮らし。");
        i.monitoring_period = s("every3");
        i.monitoring_start = first_month.format("%Y-%m").to_string();
        i.monitoring_note = s("新規利用。3か月ごとを提案（市が決定）。");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        on + Duration::days(2),
        Signer("千葉 美穂", "guardian"),
    )
    .await?;
    meeting(store, by, client_id, id, &ids, on + Duration::days(9), |m| {
        m.place = s("こども発達センターそら");
        m.chair = s("佐藤（相談支援専門員）");
        m.recorder = s("佐藤");
        m.introductions = s("母と祖母が出席。ひなたちゃんは隣の部屋で電車のおもちゃで遊ぶ。");
        m.discussion = s("アセスメントと計画案を説明。担任から「絵カードで予定を示すと落ち着く」。そらの石井さんから「電車の遊びからやりとりを広げられる」。");
        m.municipality_view = s("保健師: 就学前に発達相談を続ける。母の相談先として、こども家庭課も使ってほしい。");
        m.roles = s("そら: 療育と保護者相談／保育園: 絵カードのスケジュール／祖母: 送迎／母: 家庭での関わり、気になることのメモ");
        m.cannot_do = s("父が平日夜遅く、面談に参加しにくい（土曜の面談が地域にない）");
        m.key_person = s("母 千葉 美穂");
        m.consent_and_roles = s("母が計画案に同意。「一人で抱えなくていいと思えた」。");
        m.conclusions = s("計画案のとおり、支給決定のあと児童発達支援を始める。");
        m.remaining = s("父の参加の仕方（次回は土曜に設定できるか）。");
        m.held = s("yes");
    })
    .await?;
    finalise(
        store,
        by,
        client_id,
        id,
        final_on,
        Signer("千葉 美穂", "guardian"),
        "保護者（母）、こども発達センターそら、N市立みなと保育園、N市こども家庭課",
        |i| {
            row(i, 0, |r| {
                r.provider = s("こども発達センターそら 石井（0120-111-006）")
            });
            row(i, 1, |r| {
                r.provider = s("N市立みなと保育園 上田（0439-22-4455）")
            });
            row(i, 2, |r| r.provider = s("N市手をつなぐ育成会（親の会）"));
        },
    )
    .await?;
    let ipp_on = final_on + Duration::days(12);
    implement(
        store,
        by,
        client_id,
        id,
        vec![Provider {
            row: 0,
            name: "こども発達センターそら",
            manager: "石井 児童発達支援管理責任者",
            contact: "0120-111-006",
            contract_on: final_on + Duration::days(2),
            ipp_received_on: Some(ipp_on),
            ipp: Some(crate::demo_files::ProviderPlan {
                provider: "こども発達センターそら",
                service: "児童発達支援",
                person: "千葉 ひなた",
                made_on: ipp_on.format("%Y年%-m月%-d日").to_string(),
                manager: "石井 児童発達支援管理責任者",
                wish: "（本人）でんしゃ、のる。（母）お友達と遊べるようになってほしい。",
                goal: "電車の遊びを通して、先生やお友達と「かして」「どうぞ」のやりとりを楽しむ。",
                rows: vec![
                    (
                        "電車の遊びを使ったやりとり遊び（個別）",
                        "火金 10:00〜10:40",
                        "保育士 松本",
                    ),
                    ("小集団での絵カードの朝の会", "火金 10:40〜11:20", "石井"),
                    ("保護者相談（家庭での関わり方）", "月1回", "石井"),
                ],
                period: "6か月",
            }),
        }],
    )
    .await?;
    Ok(())
}
