//! Plans, care teams, consents and meetings for the demo cases (DOMAIN.md §5), entered through
//! the same validation and store functions as the screens: Aさん's plan from her wish to work at
//! an A型 office (final, then changed after the re-assessment), Bさん's group-home plan, and the
//! child's 障害児支援利用計画 with the mother's wishes beside the child's.

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

type MemberSpec<'a> = (&'a str, &'a str, &'a str, &'a str, Option<i64>);

/// Adds the team and the consents (by the person or the guardian, and by each family member for
/// their own words) covering everyone outside the family for the given sections; returns the
/// member ids in order.
async fn team_and_consent(
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
    for (kind, name, org, role, resource_id) in members {
        let r = TeamMemberInput {
            kind: s(kind),
            name: s(name),
            organisation: s(org),
            contact: String::new(),
            role: s(role),
            resource_id: resource_id.map(|r| r.to_string()).unwrap_or_default(),
        }
        .validate()
        .map_err(|e| anyhow!("demo member: {e:?}"))?;
        let id = team::add_member(&mut tx, &acc, &r).await?;
        if r.kind.is_outside() {
            outside.push(id.to_string());
        }
        ids.push(id);
    }
    // The person's consent, then each family member's for their own words in the plan (the
    // same form, signed beside the person's).
    let family = members
        .iter()
        .filter(|(kind, ..)| *kind == "family")
        .map(|(_, name, ..)| s(name));
    for subject in std::iter::once(String::new()).chain(family) {
        let c = ShareConsentInput {
            subject,
            member_ids: outside.clone(),
            sections: sections.iter().map(|x| s(x)).collect(),
            purpose: s("サービス担当者会議とサービス提供のための情報共有"),
            given_on: on.to_string(),
            document: s("個人情報使用同意書（原本は事業所で保管）"),
        }
        .validate(today_jst(), &ids)
        .map_err(|e| anyhow!("demo consent: {e:?}"))?;
        team::give_consent(&mut tx, &acc, &c, None).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// Drafts the case's plan and fills it with `edit`.
async fn draft(
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

fn row(i: &mut PlanInput, idx: usize, f: impl FnOnce(&mut RowInput)) {
    if let Some(r) = i.rows.get_mut(idx) {
        f(r);
    }
}

fn week(day: &str, start: &str, end: &str, label: &str) -> WeekEntryInput {
    WeekEntryInput {
        day: s(day),
        start: s(start),
        end: s(end),
        label: s(label),
    }
}

/// Who signs a plan: their name and their role code.
struct Signer<'a>(&'a str, &'a str);

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
async fn consent_to_draft(
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
    let to = if who.1 == "guardian" {
        "保護者"
    } else {
        "本人"
    };
    hand_over(&mut tx, &acc, id, v, "draft", to, on).await?;
    tx.commit().await?;
    Ok(())
}

async fn meeting(
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

/// Makes the plan final: the plan date, providers, the person's signature, the hand-over.
async fn finalise(
    store: &Store,
    by: Actor,
    client_id: i64,
    id: i64,
    on: NaiveDate,
    who: Signer<'_>,
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
    let to = "本人、各サービス提供事業所、N市障害福祉課";
    hand_over(&mut tx, &acc, id, v, "final", to, on).await?;
    tx.commit().await?;
    Ok(())
}

/// Aさん: from 「A型で働きたい」 to rows for medication, transport and money; final last May.
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
                "自分の目標を決め、お薬カレンダーを続ける",
                None,
            ),
            (
                "family",
                "青木 健一（兄）",
                "",
                "月1回の電話で相談相手になる",
                None,
            ),
            (
                "provider",
                "佐藤 サービス管理責任者",
                "ひかり作業所",
                "日中活動、バス通所の練習",
                Some(res.hikari),
            ),
            (
                "provider",
                "森 看護師",
                "つばさ訪問看護ステーション",
                "服薬確認と睡眠の相談",
                Some(res.nursing),
            ),
            (
                "municipality",
                "小林 ケースワーカー",
                "N市生活福祉課",
                "生活保護、年金の管理の調整",
                None,
            ),
            (
                "provider",
                "高橋 専門員",
                "N市社会福祉協議会",
                "日常生活自立支援事業（金銭管理）",
                Some(res.shakyo),
            ),
        ],
        &["basic", "assessment", "plan", "medical"],
        may - Duration::days(13),
    )
    .await?;
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
        i.housing = s("今のアパート（2階）で一人暮らしを続ける。");
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
        i.non_weekly = s("通院（月2回、N市こころのクリニック）。兄と片付け（月1回）。");
        i.whole_picture = s("体調が安定し、バスで作業所に通い、月末まで安心してお金が使える暮らし。");
        i.monitoring_period = s("monthly");
        i.monitoring_start = may.format("%Y-%m").to_string();
        i.monitoring_note = s("新規のため最初の3か月は毎月、その後は3か月ごとを希望（市が決定）。");
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
        m.introductions = s("明子さんから自己紹介。「A型で働きたい」。各機関が関わり方を紹介。");
        m.discussion = s("アセスメントと計画案を説明。看護師から「服薬は仕組みがあれば続けられる」。B型サビ管から「作業は安定している、バスは練習で覚えられる」。");
        m.municipality_view = s("ケースワーカー: 年金の管理は本人の意向を聞きながら三者面談で進める。");
        m.roles = s("訪問看護: 服薬確認（水）／B型: バス同行練習（1か月）／社協: 生活費の払い出し／兄: 片付け（月1回）");
        m.cannot_do = s("夜間に眠れないときにすぐ相談できる場所が地域にない\n休日にバスの練習に付き添える人がいない");
        m.next_date = (may + Duration::days(85)).to_string();
        m.key_person = s("兄（青木 健一）");
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
        "N市生活福祉課 小林",
    ];
    finalise(
        store,
        by,
        client_id,
        id,
        may - Duration::days(1),
        Signer("青木 明子", "person"),
        |i| {
            for (r, p) in i.rows.iter_mut().zip(providers) {
                r.provider = s(p);
            }
        },
    )
    .await?;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    for (row, (provider, manager)) in p.record.rows.iter().zip([
        ("つばさ訪問看護ステーション", "森 看護師"),
        ("ひかり作業所", "佐藤 サービス管理責任者"),
        ("N市社会福祉協議会", "高橋 専門員"),
    ]) {
        let imp = ImplementationInput {
            provider: s(provider),
            service_type: row.service_type.map(|t| s(t.label())).unwrap_or_default(),
            manager: s(manager),
            contact: String::new(),
            contract_on: (may + Duration::days(3)).to_string(),
            ipp_received_on: (may + Duration::days(20)).to_string(),
        }
        .validate(today_jst())
        .map_err(|e| anyhow!("demo implementation: {e:?}"))?;
        plans::set_implementation(&mut tx, &acc, id, row.key, None, &imp).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// After the re-assessment: a 計画変更 toward the A型 trial.
pub async fn a_san_change(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    res: &Res,
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let latest = plans::list(&mut tx, &acc, case_id)
        .await?
        .first()
        .map(|p| p.id)
        .ok_or_else(|| anyhow!("demo: Aさん has no plan"))?;
    let id = plans::change(&mut tx, &acc, latest, today_jst() - Duration::days(7)).await?;
    save(&mut tx, &acc, id, |i| {
        i.short_goal = s("はばたきワークス（A型）を見学し、体験利用を2週間する。");
        i.monitoring_period = s("every3");
        i.monitoring_note = s("A型体験の間は3か月ごとを提案。");
        i.rows.insert(
            0,
            RowInput {
                need: s("A型で働くことを体験して、自分に合うか確かめたい"),
                goal: s("はばたきワークスの見学と2週間の体験利用。"),
                due: s("3か月"),
                service_type: s("employment_a"),
                service: s("就労継続支援A型 体験利用（2週間・週4日）"),
                resource_id: res.habataki.to_string(),
                person_role: s("体験の感想を毎日ノートに書く。"),
                review: s("3か月後"),
                ..Default::default()
            },
        );
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Bさん: the group-home trial from decision-making support, final after the meeting.
pub async fn b_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    res: &Res,
) -> Result<()> {
    let ids = team_and_consent(
        store,
        by,
        client_id,
        &[
            ("person", "馬場 大輔", "", "絵カードで気持ちを伝える", None),
            (
                "curator",
                "成年後見人 森 和也",
                "森法律事務所",
                "契約と財産管理、本人の意思の確認",
                None,
            ),
            (
                "provider",
                "山本 サービス管理責任者",
                "グループホームさくら",
                "体験利用の受け入れ",
                Some(res.sakura),
            ),
            (
                "provider",
                "施設サービス管理責任者",
                "みどり園",
                "施設での様子と移行の準備",
                None,
            ),
        ],
        &["basic", "assessment", "plan", "medical"],
        on - Duration::days(1),
    )
    .await?;
    let id = draft(store, by, client_id, case_id, on, |i| {
        i.policy = s("絵カードで「おうち」を選ぶ大輔さんの思いを、体験を通して確かめながら、自分で選べる暮らしに近づけます。");
        i.long_goal = s("グループホームで、自分で選んだものを食べて暮らす。");
        i.short_goal = s("グループホームの体験利用を重ね、落ち着いて過ごせる日を増やす。");
        row(i, 0, |r| {
            r.service_type = s("group_home");
            r.service = s("共同生活援助 体験利用（月5日から）");
            r.resource_id = res.sakura.to_string();
            r.goal = s("体験利用で過ごし方を確かめる。");
            r.person_role = s("絵カードで「楽しかった」「いや」を伝える。");
        });
        row(i, 1, |r| {
            r.category = s("informal");
            r.service = s("GH近くのコンビニで好きな物を選んで買う");
            r.goal = s("自分で選んで、用意して食べる。");
            r.person_role = s("絵カードで買う物を選ぶ。");
        });
        row(i, 2, |r| {
            r.service_type = s("day_care");
            r.service = s("生活介護 週5日（施設からGHへ移っても同じ事業所に通う）");
            r.days = s("平日");
            r.time = s("9:30-15:30");
            r.goal = s("予定の変化を絵カードのスケジュールで前もって知る。");
            r.person_role = s("朝、スケジュールを一緒に確かめる。");
        });
        i.housing = s("施設入所からグループホームへ（体験利用を経て）。");
        i.day_activity = s("生活介護に通い続ける（変化を少なく）。");
        i.support_system = s("後見人・GH・生活介護・相談支援。絵カードを共通で使う。");
        i.alternatives = s("GHが合わないときは施設に戻り、別のGHを体験する。");
        i.emergency = s("体調不良時は嘱託医。後見人に連絡。");
        i.monitoring_period = s("monthly");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        on + Duration::days(1),
        Signer("成年後見人 森", "curator"),
    )
    .await?;
    meeting(store, by, client_id, id, &ids, on + Duration::days(5), |m| {
        m.place = s("みどり園");
        m.chair = s("鈴木（相談支援専門員）");
        m.recorder = s("鈴木");
        m.discussion = s("体験利用の様子（表情が穏やか、冷凍食品を自分で温めた）を共有。後見人の心配も確認。");
        m.roles = s("GH: 体験利用の受け入れと記録／施設: 絵カードとスケジュールの引き継ぎ／後見人: 契約");
        m.cannot_do = s("休日に外出を支える移動支援の事業所が足りない");
        m.key_person = s("成年後見人 森");
        m.conclusions = s("体験利用を月5日から始め、本人の様子で移行を判断する。");
        m.held = s("yes");
    })
    .await?;
    finalise(
        store,
        by,
        client_id,
        id,
        on + Duration::days(10),
        Signer("成年後見人 森", "curator"),
        |i| {
            row(i, 0, |r| {
                r.provider = s("グループホームさくら 山本（0120-111-005）")
            });
            row(i, 2, |r| r.provider = s("みどり園 生活介護"));
        },
    )
    .await?;
    Ok(())
}

/// The child: the mother's wishes beside the child's; a draft with a meeting next week.
pub async fn child(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    res: &Res,
) -> Result<()> {
    let ids = team_and_consent(
        store,
        by,
        client_id,
        &[
            ("person", "ひなたちゃん", "", "", None),
            ("family", "母", "", "家庭での関わり", None),
            (
                "provider",
                "石井 児童発達支援管理責任者",
                "こども発達センターそら",
                "療育",
                Some(res.sora),
            ),
            (
                "education",
                "担任の先生",
                "N市立みなみ保育園",
                "保育園での様子",
                None,
            ),
        ],
        &["basic", "assessment", "plan"],
        on - Duration::days(1),
    )
    .await?;
    let id = draft(store, by, client_id, case_id, on, |i| {
        i.guardian_name = s("母");
        i.guardian_relation = s("母");
        i.policy = s("ひなたちゃんの「でんしゃ」が好きな気持ちを入り口に、人とやりとりする楽しさを育てます。お母さんが一人で抱え込まないよう、相談の場をつくります。");
        i.long_goal = s("保育園でお友達と一緒に遊ぶ時間が増える。");
        i.short_goal = s("児童発達支援に慣れ、絵カードで予定がわかって安心して過ごす。");
        row(i, 0, |r| {
            r.service_type = s("child_development");
            r.service = s("児童発達支援 週2回（10:00〜12:00）");
            r.days = s("火金");
            r.time = s("10:00-12:00");
            r.resource_id = res.sora.to_string();
            r.person_role = s("好きな電車の遊びを先生と一緒にする。");
        });
        row(i, 2, |r| {
            r.category = s("informal");
            r.service = s("親の会の茶話会（月1回）");
            r.person_role = s("お母さん: 気になることをメモして相談する。");
        });
        i.monitoring_period = s("monthly");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        on + Duration::days(2),
        Signer("母", "guardian"),
    )
    .await?;
    meeting(
        store,
        by,
        client_id,
        id,
        &ids,
        today_jst() + Duration::days(7),
        |m| {
            m.place = s("こども発達センターそら");
            m.chair = s("佐藤（相談支援専門員）");
        },
    )
    .await?;
    Ok(())
}
