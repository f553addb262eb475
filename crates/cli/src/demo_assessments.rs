//! Full assessments for the demo cases (DOMAIN.md §5), entered through the same validation
//! and store functions as the edit screens.

use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use yorisoi_domain::assessment::*;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, assessments, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

#[allow(clippy::too_many_arguments)]
fn m(
    key: u32,
    relation: &str,
    name: &str,
    sex: &str,
    birth: &str,
    flags: &str,
    note: &str,
) -> MemberInput {
    let yn = |c: char| if flags.contains(c) { s("yes") } else { s("no") };
    MemberInput {
        key: key.to_string(),
        relation: s(relation),
        name: s(name),
        sex: s(sex),
        birth_year: s(birth),
        age: String::new(),
        // d: deceased, h: lives with the person, c: the person
        deceased: yn('d'),
        cohabiting: yn('h'),
        is_client: yn('c'),
        note: s(note),
    }
}

fn link(kind: &str, from: u32, to: u32) -> LinkInput {
    LinkInput {
        kind: s(kind),
        from: from.to_string(),
        to: to.to_string(),
    }
}

fn tie(name: &str, kind: &str, tie: &str, direction: &str, note: &str) -> TieInput {
    TieInput {
        name: s(name),
        kind: s(kind),
        tie: s(tie),
        direction: s(direction),
        note: s(note),
        resource_id: String::new(),
    }
}

/// A tie that is an entry of the office's directory.
fn linked(t: TieInput, resource: i64) -> TieInput {
    TieInput {
        resource_id: resource.to_string(),
        ..t
    }
}

fn ev(year: &str, event: &str) -> EventInput {
    EventInput {
        year: s(year),
        month: String::new(),
        event: s(event),
    }
}

fn days(v: &[(&str, &str)]) -> Vec<DayInput> {
    v.iter()
        .map(|(t, a)| DayInput {
            time: s(t),
            activity: s(a),
        })
        .collect()
}

fn week(v: [[&str; 3]; 7]) -> Vec<Vec<String>> {
    v.iter().map(|d| d.iter().map(|c| s(c)).collect()).collect()
}

fn abilities(v: &[(&str, &str, &str)]) -> Vec<AbilityInput> {
    v.iter()
        .map(|(i, l, n)| AbilityInput {
            item: s(i),
            level: s(l),
            note: s(n),
        })
        .collect()
}

fn strengths(v: &[(&str, &str)]) -> Vec<StrengthInput> {
    v.iter()
        .map(|(k, t)| StrengthInput {
            kind: s(k),
            text: s(t),
        })
        .collect()
}

fn demand(key: u32, speaker: &str, words: &str) -> DemandInput {
    DemandInput {
        key: key.to_string(),
        speaker: s(speaker),
        words: s(words),
    }
}

fn need(key: u32, text: &str, source: &str, grounds: &str, reframing: &str) -> NeedInput {
    NeedInput {
        key: key.to_string(),
        text: s(text),
        source: s(source),
        grounds: s(grounds),
        reframing: s(reframing),
    }
}

/// Starts a version (a copy of the last one, if any) and saves `edit(input)` over it.
async fn assess(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    present: &str,
    edit: impl FnOnce(&mut AssessmentInput),
) -> Result<i64> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Write)
        .await?;
    let id = assessments::start(
        &mut tx,
        &acc,
        case_id,
        on,
        AssessmentMethod::HomeVisit,
        s(present),
    )
    .await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    let mut input = AssessmentInput::from_record(&a.record);
    edit(&mut input);
    let r = input
        .validate(today_jst(), a.record.basic.clone())
        .map_err(|e| anyhow!("demo assessment: {e:?}"))?;
    assessments::update(&mut tx, &acc, id, a.version, &r).await?;
    tx.commit().await?;
    Ok(id)
}

/// Aさん: the first assessment after the intake.
pub async fn a_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    first: NaiveDate,
    hikari: i64,
) -> Result<()> {
    assess(store, by, client_id, case_id, first, "本人", |i| {
        i.title = s("働きたいAさん");
        i.appearance = s("身長155cm・中肉。季節に合った服装だが同じ服が多い。髪は肩まで。よく笑い、話し出すと止まらない。初対面でも人懐っこい。");
        i.living = s("N市本町のアパート1階（1K）、一人暮らし。部屋に物が多く床が見えない所がある。台所に薬の袋が散らばっている。最寄りのバス停まで徒歩5分、B型事業所まではバスで20分（現在は送迎）。");
        i.wish_person = s("A型で働きたい。お給料をもらって、自分のお金で暮らしたい。");
        i.family_wishes = vec![FamilyWish {
            relation: s("兄"),
            name: s("青木 実"),
            words: s("働きたい気持ちは応援したいが、無理をして体調を崩さないか心配。"),
        }];
        i.family = vec![
            m(1, "本人", "明子", "female", "1981", "c", "統合失調症・知的障害"),
            m(2, "父", "", "male", "1947", "", "年金手帳を管理"),
            m(3, "母", "", "female", "1950", "", "要介護3 施設入所"),
            m(4, "兄", "実", "male", "1977", "", "B県在住 キーパーソン"),
            m(5, "兄の妻", "", "female", "1979", "", "B県在住"),
            m(6, "甥", "", "male", "2008", "", ""),
        ];
        i.family_links = vec![
            link("married", 2, 3),
            link("parent_child", 2, 1),
            link("parent_child", 3, 1),
            link("parent_child", 2, 4),
            link("parent_child", 3, 4),
            link("married", 4, 5),
            link("parent_child", 4, 6),
            link("parent_child", 5, 6),
        ];
        i.ecomap = vec![
            linked(
                tie("ひかり作業所（B型）", "service", "strong", "both", "週4日 軽作業"),
                hikari,
            ),
            tie("N市こころのクリニック", "medical", "ordinary", "to_person", "森田医師 月2回"),
            tie("生活保護ケースワーカー", "agency", "ordinary", "to_person", "小林さん"),
            tie("相談支援事業所 よりそい", "agency", "ordinary", "to_person", ""),
            tie("母（施設）", "family", "weak", "both", "月1回面会"),
            tie("兄", "family", "ordinary", "to_person", "月1回電話"),
            tie("両親（年金手帳）", "family", "stressful", "none", "お金のことで口論"),
            tie("消費者金融", "informal", "stressful", "from_person", "借金の返済"),
            tie("コンビニの店員さん", "informal", "weak", "both", "毎日あいさつ"),
        ];
        i.history = vec![
            ev("1981", "出生（N市）"),
            ev("1987", "小学校入学"),
            ev("1997", "中学卒業・B県の工場に就職"),
            ev("2003", "実家に帰省"),
            ev("2005", "発病"),
            ev("2006", "入院"),
            ev("2008", "入院（2回目）"),
            ev("2009", "GHで退院"),
            ev("2011", "震災"),
            ev("2015", "アパートで一人暮らし（退院）"),
            ev("2019", "B型事業所に通所開始"),
            ev("2021", "母が施設に入所"),
        ];
        i.day = days(&[
            ("7:00", "起床"),
            ("7:30", "朝食"),
            ("8:30", "送迎でB型へ"),
            ("9:00", "B型事業所（作業）"),
            ("12:00", "昼食（事業所）"),
            ("13:00", "B型事業所（作業）"),
            ("16:00", "帰宅"),
            ("17:00", "買物（コンビニ）"),
            ("18:00", "夕食"),
            ("19:00", "TV"),
            ("23:30", "就寝（眠れない日が多い）"),
        ]);
        i.week = week([
            ["B型事業所", "B型事業所", "TV"],
            ["B型事業所", "B型事業所", "TV"],
            ["通院（隔週）", "買物", "兄と電話"],
            ["B型事業所", "B型事業所", "TV"],
            ["B型事業所", "B型事業所", "TV"],
            ["部屋で過ごす", "母の面会（月1回）", ""],
            ["寝ている", "部屋で過ごす", ""],
        ]);
        i.abilities = abilities(&[
            ("eating", "independent", ""),
            ("cooking", "partial", "電子レンジは使える。火を使う調理は不安"),
            ("moving", "partial", "バス・電車に一人で乗れない"),
            ("posture", "independent", ""),
            ("rolling", "independent", ""),
            ("bathing", "watch", "声かけがあれば毎日入れる"),
            ("toileting", "independent", ""),
            ("driving", "full", "免許なし"),
            ("medication", "partial", "飲み忘れが多い"),
            ("money", "partial", "月末に足りなくなる。借金あり"),
            ("assertion", "watch", "話し出すと止まらない"),
            ("greeting", "independent", "誰にでも明るくあいさつ"),
            ("cooperation", "independent", ""),
            ("compromise", "watch", ""),
            ("sos", "partial", "困っても言い出せないことがある"),
            ("refusing", "partial", "頼まれると断れずお金を貸してしまう"),
            ("apologising", "independent", ""),
            ("persistence", "independent", "作業に集中できる"),
            ("continuity", "watch", "体調で休む日がある"),
            ("concentration", "independent", ""),
            ("process", "watch", ""),
            ("steps", "independent", "一度覚えた手順は正確"),
            ("step_change", "partial", "急な変更で混乱する"),
        ]);
        i.hobbies = s("歌番組を見ること、カラオケ");
        i.special_skills = s("袋詰め作業が速くて正確");
        i.prescriptions = vec![
            PrescriptionInput {
                drug: s("リスペリドン"),
                dose: s("2mg"),
                timing: s("朝・夕食後"),
            },
            PrescriptionInput {
                drug: s("ブロチゾラム"),
                dose: s("0.25mg"),
                timing: s("就寝前"),
            },
        ];
        i.clinics = vec![ClinicInput {
            name: s("N市こころのクリニック"),
            department: s("精神科（森田医師）"),
            frequency: s("月2回"),
        }];
        i.medical_note = s("飲み忘れで夜眠れない日が続くことがある。通院は事業所の送迎に合わせている。");
        i.strengths = strengths(&[
            ("inherent", "明るく、人を笑顔にする"),
            ("healthy", "B型事業所に週4日通えている"),
            ("good_at", "袋詰め作業が速くて正確。一度覚えた手順は忘れない"),
            ("potential", "練習すればバスに一人で乗れるようになりそう"),
            ("acquired", "一人暮らしを10年続けてきた"),
            ("interest", "働いてお給料をもらうこと。歌番組とカラオケ"),
            ("communication", "誰にでもあいさつができ、話すのが好き"),
            ("environment", "兄が相談にのってくれる。コンビニの店員さんと顔なじみ"),
        ]);
        i.demands = vec![
            demand(1, "person", "A型で働きたい"),
            demand(2, "person", "お給料をもらって、自分のお金で暮らしたい"),
            demand(3, "family", "無理をして体調を崩さないでほしい（兄）"),
        ];
        i.needs = vec![
            need(1, "薬を忘れずに飲んで、よく眠り、体調を安定させたい", "demand-1", "飲み忘れが多く、眠れない日が続く（医療・日課）", "「忘れっぽい」ではなく、仕組みがあれば続けられる人"),
            need(2, "一人でバスに乗って通えるようになりたい", "demand-1", "公共交通機関を一人で利用できない（能力: 移動）", "「乗れない」ではなく、一度覚えた手順は正確にこなせる"),
            need(3, "借金を整理して、安心してお金を使えるようになりたい", "demand-2", "月末にお金が足りない、借金がある（能力: 金銭管理）", ""),
            need(4, "年金を自分の暮らしのために使えるようにしたい", "demand-2", "年金手帳を両親が管理しており、口論になる（エコマップ）", ""),
            need(5, "部屋を片付けて、落ち着いて暮らしたい", "wish_person", "部屋に物が多く床が見えない（住環境）", "片付けられないことを本人が気にしている＝変わりたい気持ちがある"),
        ];
        i.judgement = s("働きたいという強い意欲があり、B型での作業は安定している。A型への移行の前に、服薬と睡眠の安定、通勤手段の確保、お金の整理を支えることで、本人の希望に近づける。");
    })
    .await?;
    Ok(())
}

/// Aさん's re-assessment, by home visit `on`: the version her monitoring's 再アセスメント opened,
/// brought up to date.
pub async fn a_san_again(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Write)
        .await?;
    let id = assessments::list(&mut tx, &acc, case_id)
        .await?
        .first()
        .map(|a| a.id)
        .ok_or_else(|| anyhow!("demo: Aさん has no assessment"))?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    let mut i = AssessmentInput::from_record(&a.record);
    i.assessed_on = on.to_string();
    i.method = s("home_visit");
    i.present = s("本人、ひかり作業所サービス管理責任者");
    i.appearance = s(
        "表情が明るく、髪を短く切った。「眠れない日が減った」と話す。話し出すと止まらないのは変わらないが、話の途中で「聞いてもらってばかりでごめんね」と気づけるようになった。",
    );
    i.living = s(
        "N市本町のアパート1階（1K）、一人暮らし。床が見えるようになり、台所にお薬カレンダーが掛かっている。押し入れには物が残る。バス停まで徒歩5分、一人でバス通所している。",
    );
    i.wish_person = s("A型で働きたい。お給料をもらって、自分のお金で暮らしたい。B型は卒業したい。");
    if let Some(d) = i.day.iter_mut().find(|d| d.activity.starts_with("就寝")) {
        d.time = s("23:00");
        d.activity = s("就寝（よく眠れるようになった）");
    }
    if let Some(d) = i.day.iter_mut().find(|d| d.activity.starts_with("送迎")) {
        d.time = s("8:40");
        d.activity = s("バスでB型へ（一人で）");
    }
    for ab in i.abilities.iter_mut() {
        match ab.item.as_str() {
            "medication" => {
                ab.level = s("watch");
                ab.note = s("お薬カレンダーで飲み忘れはほぼなくなった");
            }
            "moving" => {
                ab.level = s("independent");
                ab.note = s("通所のバスは一人で乗れる。初めての路線は練習が必要");
            }
            "money" => {
                ab.level = s("watch");
                ab.note = s("社協の払い出しで月末まで足りる。返済はまもなく終わる");
            }
            _ => {}
        }
    }
    let year = on.year().to_string();
    i.history.push(ev(
        &(on.year() - 1).to_string(),
        "計画相談を開始。お薬カレンダー、バスの練習",
    ));
    i.history
        .push(ev(&year, "一人でバス通所。年金手帳を自分で管理"));
    i.ecomap.push(tie(
        "法テラス",
        "agency",
        "weak",
        "to_person",
        "債務整理（まもなく終了）",
    ));
    i.ecomap.push(tie(
        "はばたきワークス（A型）",
        "service",
        "weak",
        "to_person",
        "見学を予定",
    ));
    i.demands = vec![
        demand(1, "person", "A型で働きたい"),
        demand(2, "person", "お給料をもらって、自分のお金で暮らしたい"),
        demand(
            3,
            "family",
            "働くのは応援する。体調を崩さないように、少しずつ（兄）",
        ),
    ];
    i.needs.insert(
        0,
        need(
            6,
            "A型で働くことを体験して、自分に合うか確かめたい",
            "demand-1",
            "服薬・通所・お金の土台が整い、作業時間も延ばせている（モニタリング）",
            "「B型で十分」ではなく、次の段階に進む力がついた",
        ),
    );
    i.judgement = s(
        "1年で服薬・睡眠・通所が安定し、借金の返済もまもなく終わる。A型への移行という本人の希望に、見学と体験で近づく段階にある。体調の波に備え、訪問看護は続ける。",
    );
    let r = i
        .validate(today_jst(), a.record.basic.clone())
        .map_err(|e| anyhow!("demo assessment: {e:?}"))?;
    assessments::update(&mut tx, &acc, id, a.version, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// Bさん: the facility years, the guardian, picture cards.
pub async fn b_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    sakura: i64,
) -> Result<()> {
    assess(store, by, client_id, case_id, on, "本人、成年後見人、みどり園サービス管理責任者", |i| {
        i.title = s("Bさんの暮らしの場");
        i.appearance = s("背が高く、がっしりした体格。言葉での会話は難しいが、写真カードを指さして答える。慣れない人がいると居室に戻る。気に入った作業は黙々と続ける。");
        i.living = s("障害者支援施設みどり園の個室（15年）。日中は同じ施設の生活介護。施設は郊外にあり、近くに店はない。");
        i.wish_person = s("（絵カードで）「おうち」「ラーメン」を選ぶ。");
        // Both parents have died; the guardian's own words.
        i.family_wishes = vec![FamilyWish {
            relation: s("成年後見人"),
            name: s("森 和也"),
            words: s("生活の場を変えると不安定にならないか心配。でも本人にとってよりよい暮らしを考えたい。"),
        }];
        i.family = vec![
            m(1, "本人", "大輔", "male", "1984", "c", "知的障害・自閉症"),
            m(2, "父", "", "male", "1950", "d", "2018年死亡"),
            m(3, "母", "", "female", "1953", "d", "2008年死亡"),
            m(4, "姉", "", "female", "1980", "", "県外在住 年1回連絡"),
        ];
        i.family_links = vec![
            link("married", 2, 3),
            link("parent_child", 2, 1),
            link("parent_child", 3, 1),
            link("parent_child", 2, 4),
            link("parent_child", 3, 4),
        ];
        i.ecomap = vec![
            tie("みどり園（施設入所）", "service", "strong", "to_person", "15年"),
            tie("生活介護", "service", "strong", "both", "施設内"),
            tie("成年後見人 森さん", "agency", "ordinary", "to_person", "弁護士"),
            linked(
                tie("グループホームさくら", "service", "weak", "to_person", "見学を検討"),
                sakura,
            ),
            tie("相談支援事業所 よりそい", "agency", "ordinary", "to_person", ""),
            tie("姉", "family", "weak", "none", "年1回"),
            tie("嘱託医", "medical", "ordinary", "to_person", "施設内 月1回"),
        ];
        i.history = vec![
            ev("1984", "出生"),
            ev("1991", "養護学校入学"),
            ev("2002", "高等部卒業・通所施設へ"),
            ev("2008", "母が死亡"),
            ev("2011", "みどり園に入所"),
            ev("2018", "父が死亡・成年後見開始"),
        ];
        i.day = days(&[
            ("6:30", "起床"),
            ("7:30", "朝食"),
            ("9:30", "生活介護（作業）"),
            ("12:00", "昼食"),
            ("13:30", "生活介護（散歩・作業）"),
            ("15:30", "おやつ"),
            ("18:00", "夕食"),
            ("19:00", "入浴"),
            ("21:00", "就寝"),
        ]);
        i.week = week([
            ["生活介護", "生活介護", "居室"],
            ["生活介護", "生活介護", "居室"],
            ["生活介護", "生活介護", "居室"],
            ["生活介護", "生活介護", "居室"],
            ["生活介護", "生活介護", "居室"],
            ["居室", "ドライブ（行事）", "居室"],
            ["居室", "居室", "居室"],
        ]);
        i.abilities = abilities(&[
            ("eating", "independent", ""),
            ("cooking", "watch", "帰省時はお湯を沸かしてカップラーメンを作れた"),
            ("moving", "watch", "慣れた道なら歩ける"),
            ("bathing", "partial", "洗髪に支援"),
            ("toileting", "independent", ""),
            ("medication", "full", "施設が管理"),
            ("money", "full", "後見人が管理。買物は支援があればできる"),
            ("assertion", "partial", "絵カードで選べる"),
            ("greeting", "watch", "手を挙げてあいさつ"),
            ("sos", "partial", "困ると居室に戻る"),
            ("persistence", "independent", "好きな作業は長く続く"),
            ("step_change", "full", "予定の変更で混乱する"),
        ]);
        i.hobbies = s("ドライブ、ラーメン");
        i.special_skills = s("箱折り作業が丁寧");
        i.strengths = strengths(&[
            ("inherent", "穏やかで、決めた手順を大事にする"),
            ("healthy", "体力があり、持病がない"),
            ("good_at", "箱折り作業が丁寧"),
            ("potential", "環境があれば、自分で食事を用意できる"),
            ("acquired", "帰省時にお湯を沸かしてカップラーメンを作っていた"),
            ("interest", "ラーメン、ドライブ"),
            ("communication", "絵カード・写真カードで自分の気持ちを伝えられる"),
            ("environment", "成年後見人が本人の意思を大切にしている"),
        ]);
        i.demands = vec![
            demand(1, "person", "（絵カード）「おうち」"),
            demand(2, "person", "（絵カード）「ラーメン」"),
            demand(3, "other", "生活の場を変えると不安定にならないか心配（成年後見人）"),
        ];
        i.needs = vec![
            need(1, "自分のことを自分で決められる暮らしの場がほしい", "demand-1", "施設の日課に合わせる生活が15年続いている", "「施設で落ち着いている」は「変化に慣れる機会がなかった」とも読める"),
            need(2, "自分で食べたいものを選び、用意したい", "demand-2", "帰省時にカップラーメンを自分で作っていた（ストレングス）", ""),
            need(3, "予定の変化に見通しを持って安心して過ごしたい", "demand-3", "予定の変更で混乱する（能力: 手順変更）", "見通しがあれば落ち着ける人"),
        ];
        i.judgement = s("本人は絵カードで繰り返し「おうち」を選ぶ。施設の環境が本人のできることを狭めている可能性があり、意思決定支援としてGHの体験利用を通して本人の意思を確かめる。");
    })
    .await?;
    Ok(())
}

/// The child: the child's own view and the parents' beside it.
pub async fn child(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
) -> Result<()> {
    let base = today_jst().year();
    let y = |n: i32| (base - n).to_string();
    assess(store, by, client_id, case_id, on, "本人、母", |i| {
        i.title = s("ひなたちゃんと家族の安心");
        i.appearance = s("小柄。電車のおもちゃを並べて長い時間遊ぶ。目が合いにくいが、好きな電車の話になると笑顔で「でんしゃ」と言う。");
        i.living = s("N市港町の一戸建て（両親と3人）。近くに母方の祖母が住む。保育園まで車で10分。");
        i.wish_person = s("「でんしゃ、のる」（電車で遊ぶのが好き）");
        i.family_wishes = vec![
            FamilyWish {
                relation: s("母"),
                name: s("千葉 美穂"),
                words: s("小学校に上がる前に、お友達と遊べるようになってほしい。私の育て方が悪かったのではと不安。"),
            },
            FamilyWish {
                relation: s("父"),
                name: s("千葉 大樹"),
                words: s("できることを増やしてあげたい。"),
            },
        ];
        i.family = vec![
            m(1, "本人", "ひなた", "female", &y(4), "ch", ""),
            m(2, "父", "大樹", "male", &y(36), "h", "会社員 帰宅が遅い"),
            m(3, "母", "美穂", "female", &y(34), "h", "パート 育児に不安"),
            m(4, "母方祖父", "", "male", &y(66), "", "近隣在住"),
            m(5, "母方祖母", "", "female", &y(63), "", "近隣在住 送迎を手伝う"),
        ];
        i.family_links = vec![
            link("married", 2, 3),
            link("parent_child", 2, 1),
            link("parent_child", 3, 1),
            link("married", 4, 5),
            link("parent_child", 4, 3),
            link("parent_child", 5, 3),
        ];
        i.ecomap = vec![
            tie("みなと保育園", "work_school", "ordinary", "both", "担任"),
            tie("こども発達センター", "medical", "ordinary", "to_person", "経過観察"),
            tie("保健師", "agency", "ordinary", "to_person", "N市こども家庭課"),
            tie("母方祖母", "family", "strong", "to_person", "送迎"),
            tie("児童発達支援（予定）", "service", "weak", "to_person", "見学済み"),
            tie("父の職場", "work_school", "stressful", "none", "帰宅が遅い"),
        ];
        i.history = vec![
            ev(&y(4), "出生"),
            ev(&y(3), "1歳半健診（様子見）"),
            ev(&y(2), "保育園入園"),
            ev(&y(1), "3歳児健診で言葉の遅れを指摘"),
            ev(&on.year().to_string(), "こども発達センター受診"),
        ];
        i.day = days(&[
            ("6:30", "起床"),
            ("7:00", "朝食"),
            ("8:00", "登園（祖母の送迎）"),
            ("8:30", "保育園"),
            ("16:30", "降園"),
            ("17:00", "電車のおもちゃで遊ぶ"),
            ("18:30", "夕食"),
            ("19:30", "入浴（母と）"),
            ("20:30", "就寝"),
        ]);
        i.week = week([
            ["保育園", "保育園", "母と"],
            ["保育園", "保育園", "母と"],
            ["保育園", "保育園", "母と"],
            ["保育園", "保育園", "母と"],
            ["保育園", "保育園", "母と"],
            ["家族で公園", "祖父母の家", "家族で"],
            ["家族で", "電車を見に行く", "家族で"],
        ]);
        // A child's items: daily care and development (not work, not driving).
        i.abilities = abilities(&[
            ("eating", "watch", "偏食あり（白いごはんとパンが中心）"),
            ("toileting", "partial", "声かけで行ける。失敗すると泣く"),
            ("dressing", "partial", "ズボンは自分で。ボタンは手伝う"),
            ("sleep", "independent", "20:30就寝、6:30起床で安定"),
            ("gross_motor", "independent", "走る・登るは得意。公園の遊具が好き"),
            ("fine_motor", "watch", "クレヨンは握り持ち"),
            ("understanding", "partial", "絵カードがあれば分かる。長い言葉は難しい"),
            ("speaking", "partial", "二語文が少し（「でんしゃ、のる」）。指さしで伝える"),
            ("play", "independent", "電車を並べる遊びを長く続ける"),
            ("relating", "partial", "大人とは遊べる。友だちとは並んで遊ぶ"),
            ("group", "partial", "朝の会は保育士の隣なら座れる"),
            ("switching", "full", "予定の変更で泣く。絵カードで予告すると落ち着く"),
            ("senses", "watch", "大きな音（掃除機・運動会のピストル）で耳をふさぐ"),
        ]);
        i.child = ChildLife {
            expression: s("言葉は少ないが、電車の絵本を差し出して「でんしゃ、のる」と何度も言う。保育園で電車のおもちゃを選ぶときの笑顔と、取り上げられたときに泣く様子を、母・保育士と一緒に見て受け止めた。"),
            development: s("歩く・走るは年齢どおり。言葉は二語文が出始め（3歳児健診で遅れを指摘）。絵や写真なら分かることが多い。大人とのやりとりは好き。"),
            play: s("電車のおもちゃを一列に並べて眺める。図鑑で電車の名前を言う。母や祖母とは電車ごっこで役を交代できる。"),
            rhythm: s("起床6:30、就寝20:30で安定。偏食があり、白いごはんとパンが中心。トイレは声かけで行ける。"),
            group_life: s("みなと保育園の年少組。朝の会は保育士の隣なら座れる。運動会の練習（大きな音）で泣いて部屋を出た。担任は絵カードを使い始めている。"),
            siblings: s("きょうだいはいない。"),
            parents_worries: s("母「私の育て方が悪かったのでは」「このままで小学校に上がれるのか」。父は「できることを増やしてあげたい」と話すが、平日は帰りが遅く、母がひとりで抱えている。"),
            parents_rest: s("母方の祖母が送迎を手伝ってくれる。母が相談できる相手は保健師のみ。母自身の休む時間はほとんどない。ペアレント・トレーニングに関心がある。"),
        };
        i.hobbies = s("電車、図鑑");
        i.special_skills = s("電車の名前をたくさん知っている");
        i.clinics = vec![ClinicInput {
            name: s("N市こども発達センター"),
            department: s("小児科"),
            frequency: s("3か月に1回"),
        }];
        i.strengths = strengths(&[
            ("inherent", "好きなことに夢中になれる"),
            ("healthy", "よく食べ、よく眠る"),
            ("good_at", "電車の名前を覚えること"),
            ("potential", "絵カードで予定が分かると落ち着ける"),
            ("interest", "電車、図鑑"),
            ("communication", "好きなものを指さして伝える"),
            ("environment", "祖母が近くにいて送迎を手伝ってくれる。保育園が協力的"),
        ]);
        i.demands = vec![
            demand(1, "person", "でんしゃ、のる"),
            demand(2, "family", "お友達と遊べるようになってほしい（母）"),
        ];
        i.needs = vec![
            need(1, "好きな電車を入り口に、人とやりとりする楽しさを知りたい", "demand-1", "電車の遊びで笑顔になる", ""),
            need(2, "見通しを持って、安心して過ごしたい", "demand-2", "絵カードで予定を示すと落ち着く（保育園）", "「こだわりが強い」は「決まりを覚えられる」"),
            need(3, "母が一人で抱え込まず、相談できる場がほしい", "wish_family", "母が育児に自信をなくしている", ""),
        ];
        i.judgement = s("特性に合った関わり方を家族と保育園で共有し、児童発達支援で遊びを通した療育を始める。母の不安を受け止める場を作ることも大事。");
    })
    .await?;
    Ok(())
}
