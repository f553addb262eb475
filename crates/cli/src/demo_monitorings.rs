//! The demo's monitoring history (DOMAIN.md §3.7, §5): reports on the certificate's months,
//! goal by goal against the plan in force, each in the person's own words, entered through the
//! same validation and store functions as the screen. Aさん's last one calls for the
//! re-assessment that follows it.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use yorisoi_domain::monitoring::MonitoringInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, monitorings, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

/// One goal reviewed: (achievement, satisfaction, provision, the person's view, issues).
type Goal<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// One report, as the specialist wrote it.
struct Report<'a> {
    present: &'a str,
    overall: &'a str,
    words: &'a str,
    goals: &'a [Goal<'a>],
    /// Plan rows (by position) whose service kind or amount should change.
    change: &'a [usize],
    outcome: &'a str,
    reasons: &'a [&'a str],
    note: &'a str,
}

async fn record(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
    r: &Report<'_>,
) -> Result<()> {
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Monitoring, Action::Write)
        .await?;
    let (_, plan) = monitorings::plan_in_force(&tx, &acc, case_id)
        .await?
        .ok_or_else(|| anyhow!("demo monitoring: no final plan"))?;
    let mut i = MonitoringInput::prefill(&plan, on);
    i.present = s(r.present);
    i.overall = s(r.overall);
    i.person_words = s(r.words);
    for (k, (g, (ach, sat, provision, view, issues))) in i.goals.iter_mut().zip(r.goals).enumerate()
    {
        g.achievement = s(ach);
        g.satisfaction = s(sat);
        g.provision = s(provision);
        g.person_view = s(view);
        g.issues = s(issues);
        if r.change.contains(&k) {
            g.change_kind = s("yes");
            g.change_amount = s("yes");
        }
    }
    i.outcome = s(r.outcome);
    i.reassess_reasons = r.reasons.iter().map(|x| s(x)).collect();
    i.outcome_note = s(r.note);
    let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
    let v = i
        .validate(today_jst(), plan.decided_on, &keys)
        .map_err(|e| anyhow!("demo monitoring: {e:?}"))?;
    monitorings::create(&mut tx, &acc, case_id, &v).await?;
    tx.commit().await?;
    Ok(())
}

const CONTINUE: &str = "continue";

/// Aさん's regular reports, oldest first; the visit before the re-assessment is [`A_REASSESS`].
const A_VISITS: [Report<'static>; 6] = [
    Report {
        present: "本人、ひかり作業所 佐藤サビ管（電話で聞き取り）",
        overall: "B型には休まず通えている。薬の飲み忘れは週2〜3回。部屋は変わらず物が多い。",
        words: "「カレンダーがあると、飲んだか分かる。でも朝は忘れちゃう」",
        goals: &[
            (
                "partly",
                "middle",
                "訪問看護 週1回。飲み忘れ週2〜3回（朝の分が多い）。",
                "「看護師さんと話すと安心」",
                "朝の分の飲み忘れが多い。朝食の横にカレンダーを移す。",
            ),
            (
                "not_yet",
                "middle",
                "職員がバス停まで同行（4回）。",
                "「一人はまだこわい」",
                "同行を続け、帰りだけ一人で乗る練習から。",
            ),
            (
                "not_yet",
                "low",
                "生活費の払い出し月2回を開始。",
                "「お金が足りない。コンビニで使いすぎる」",
                "法テラスの相談日を決める。レシートを封筒にためる。",
            ),
            (
                "not_yet",
                "middle",
                "三者面談を1回。両親は手帳を渡すことに迷っている。",
                "「お父さんとけんかになるのはいや」",
                "両親の気持ちも聞く。次回はケースワーカーが同席。",
            ),
            (
                "partly",
                "high",
                "兄と片付け1回（台所）。",
                "「兄と一緒だとできる」",
                "",
            ),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "",
    },
    Report {
        present: "本人",
        overall: "飲み忘れが週1回に減った。帰りのバスは一人で乗れるようになった。法テラスで債務整理の相談をした。",
        words: "「バス、帰りは一人でできたよ。運転手さんにあいさつした」",
        goals: &[
            (
                "partly",
                "high",
                "飲み忘れ週1回。寝るのは夜1時ごろ。",
                "「前より眠れる。でもスマホを見ちゃう」",
                "夜のスマホを11時までにする約束。",
            ),
            (
                "partly",
                "high",
                "帰りは一人で乗車（週4日）。行きは同行。",
                "「帰りは一人でできた」",
                "行きも一人で乗る練習へ。",
            ),
            (
                "partly",
                "middle",
                "法テラス相談（同行）。任意整理の方針。",
                "「少し安心した」",
                "返済計画に沿って払い出し額を見直す。",
            ),
            (
                "not_yet",
                "middle",
                "三者面談2回目。両親は年金手帳を本人に返すことに前向き。",
                "「自分で持ってみたい」",
                "次回、手帳の返却方法を決める。",
            ),
            (
                "partly",
                "high",
                "兄と片付け。床の半分が見える。",
                "「お客さんを呼べるかも」",
                "",
            ),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "",
    },
    Report {
        present: "本人、つばさ訪問看護 森看護師",
        overall: "冬場も体調は安定。B型の作業を「もっとやりたい」と話す。A型の話題が増えた。年末はお金が足りなくなりかけた。",
        words: "「寒いけど休んでないよ。A型って、どんなところ？」",
        goals: &[
            (
                "achieved",
                "high",
                "飲み忘れ月2回程度。",
                "「忘れなくなった」",
                "看護の訪問は続け、睡眠の相談を中心に。",
            ),
            (
                "achieved",
                "high",
                "行き帰りとも一人で通所。",
                "「一人で行ける。雪の日もがんばった」",
                "",
            ),
            (
                "partly",
                "middle",
                "返済は計画どおり。年末に食費が不足しかけた。",
                "「お正月にお金を使いすぎた」",
                "月末の食費が不足しがち。レシートを一緒に見る。",
            ),
            (
                "partly",
                "middle",
                "年金手帳は本人管理に。通帳は社協が預かる。",
                "「自分で持てた」",
                "",
            ),
            ("partly", "middle", "片付けは月1回続く。", "", ""),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "",
    },
    Report {
        present: "本人、兄（電話）",
        overall: "1年の振り返り。薬・通所・お金の土台がおおむね整った。本人はA型の見学を希望。兄は応援したいが体調を心配している。",
        words: "「A型で働きたい。見学に行きたい。1年がんばったから」",
        goals: &[
            (
                "achieved",
                "high",
                "飲み忘れ月1〜2回。眠れない日は月に数日。",
                "「夜はだいたい眠れる」",
                "維持。",
            ),
            (
                "achieved",
                "high",
                "一人で通所を続けている。",
                "「バスは平気」",
                "",
            ),
            (
                "partly",
                "middle",
                "返済は継続。残りは半分ほど。",
                "「あと少し」",
                "A型に移ると収入が増える見込み。収支を見直す。",
            ),
            (
                "achieved",
                "high",
                "三者面談を終了。手帳は本人が管理。",
                "",
                "",
            ),
            (
                "partly",
                "middle",
                "台所と床は保てている。押し入れは手つかず。",
                "「押し入れはまだこわい」",
                "",
            ),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "A型の情報を集め、次の受給者証の更新に向けて見学の時期を本人と考える。",
    },
    Report {
        present: "本人",
        overall: "受給者証の更新後も生活は安定。B型で新しい作業（パンの包装）を任された。",
        words: "「パンの袋、私がいちばん速いって言われた」",
        goals: &[
            (
                "achieved",
                "high",
                "訪問看護 週1回。飲み忘れほぼなし。",
                "「先生に薬を減らせるか聞いてみたい」",
                "次回の通院で主治医に相談（本人から）。",
            ),
            ("achieved", "high", "通所は安定。", "", ""),
            (
                "partly",
                "middle",
                "返済は計画どおり。",
                "「貯金もしてみたい」",
                "社協と、月500円の貯金を試す。",
            ),
            ("achieved", "high", "", "", ""),
            (
                "partly",
                "high",
                "兄と押し入れを半分片付けた。",
                "「冬服が出てきた」",
                "",
            ),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "",
    },
    Report {
        present: "本人、ひかり作業所 佐藤サビ管",
        overall: "夏場も休まず通所。B型の作業時間を延ばしたいと本人から。サビ管は「A型の体験も視野に」。",
        words: "「もっと長く働きたい。お昼からも作業したい」",
        goals: &[
            ("achieved", "high", "安定。", "", "維持。"),
            (
                "achieved",
                "high",
                "作業時間を15:30まで延長。",
                "「疲れるけど、うれしい」",
                "",
            ),
            ("partly", "middle", "返済は残り3か月分。", "", ""),
            ("achieved", "high", "", "", ""),
            ("partly", "middle", "片付けは月1回続く。", "", ""),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "",
    },
];

/// The visit that calls for the re-assessment: she wants to try A型, and her debts are settled.
const A_REASSESS: Report<'static> = Report {
    present: "本人、ひかり作業所 佐藤サビ管、兄（電話）",
    overall: "服薬・睡眠・通所は安定し、借金の返済もまもなく終わる。本人から「A型で働いてみたい」と繰り返し話があり、サビ管も作業の力は十分とみている。目標の多くを達成し、ニーズが次の段階に移った。",
    words: "「もう一人でバスに乗れるし、薬も忘れない。次はA型で働いて、お給料で暮らしたい」",
    goals: &[
        (
            "achieved",
            "high",
            "飲み忘れほぼなし。夜12時までに眠れている。",
            "「よく眠れる」",
            "訪問看護は月2回に減らせるか検討。",
        ),
        (
            "achieved",
            "high",
            "一人で通所。作業時間も延長できている。",
            "「B型は卒業したい」",
            "A型の見学と体験へ。",
        ),
        (
            "partly",
            "high",
            "返済はまもなく終了。",
            "「借金がなくなる」",
            "A型の収入で生活保護がどう変わるか、ケースワーカーと確認。",
        ),
        (
            "achieved",
            "high",
            "年金手帳は本人管理を続けている。",
            "",
            "",
        ),
        (
            "partly",
            "middle",
            "床が見える状態を保っている。",
            "「押し入れはまだ」",
            "",
        ),
    ],
    change: &[1],
    outcome: "reassess",
    reasons: &["needs_changed"],
    note: "A型への移行を希望。働き方と収入が変わるため、2週間後に居宅訪問で再アセスメントし、計画を変更する。",
};

/// Aさん: a report on each past month (`on`, oldest first); the last calls for 再アセスメント.
pub async fn a_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: &[NaiveDate],
) -> Result<()> {
    let Some((last, earlier)) = on.split_last() else {
        return Ok(());
    };
    for (d, r) in earlier.iter().zip(A_VISITS.iter()) {
        record(store, by, client_id, case_id, *d, r).await?;
    }
    record(store, by, client_id, case_id, *last, &A_REASSESS).await
}

/// Bさん's report that raised the question of where he lives (施設の計画の6か月目).
pub async fn b_san_facility(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: NaiveDate,
) -> Result<()> {
    let r = Report {
        present: "本人、みどり園 大西サビ管、成年後見人 森",
        overall: "施設での日課は落ち着いている。調理の時間にはラーメンの絵カードを選び、お湯を注ぐところまで自分でした。GHの写真カードを見せると、台所の写真を何度も指さす。",
        words: "（絵カードで）「おうち」「ラーメン」。GHの台所の写真を指さして手元に置いた。",
        goals: &[
            (
                "partly",
                "middle",
                "GHの写真カードを月2回見る時間をつくった。見学はまだ。",
                "（写真カードを指さし、表情がやわらぐ）",
                "本人の意思を確かめるため、意思決定支援会議を開く。",
            ),
            (
                "partly",
                "high",
                "調理の時間 月2回。カップラーメンと袋麺を作った。",
                "（ラーメンのカードを選び、笑顔）",
                "",
            ),
            (
                "achieved",
                "high",
                "朝の会でスケジュールを確認。",
                "（自分でカードを並べる）",
                "",
            ),
        ],
        change: &[],
        outcome: CONTINUE,
        reasons: &[],
        note: "暮らしの場について意思決定支援を始める（後見人・施設と合意）。",
    };
    record(store, by, client_id, case_id, on, &r).await
}

/// Bさん's first months in the group home (monthly for three months).
pub async fn b_san_home(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: &[NaiveDate],
) -> Result<()> {
    let reports = [
        Report {
            present: "本人、グループホームさくら 山本サビ管",
            overall: "入居して3週間。初めの1週間は夜に何度か起きたが、今は21時に自室で眠れている。生活介護へは送迎で休まず通う。",
            words: "（絵カードで）「おうち」を選び、自分の部屋を指さした。",
            goals: &[
                (
                    "partly",
                    "high",
                    "毎日の記録あり。夜間の覚醒は最初の1週間に3回。",
                    "（居間のソファで笑顔）",
                    "夜に起きたときの絵カード（トイレ・水）を枕元に置く。",
                ),
                (
                    "achieved",
                    "high",
                    "送迎で週5日通所。",
                    "（送迎車のカードを自分で持つ）",
                    "",
                ),
                (
                    "partly",
                    "high",
                    "火・土に職員とコンビニへ。自分でカップラーメンを選ぶ。",
                    "（ラーメンのカードを持ってレジに並んだ）",
                    "ラーメン以外のカードも増やす。",
                ),
                (
                    "achieved",
                    "middle",
                    "GHと生活介護で同じカードを使う。",
                    "",
                    "入浴の時間の変更で一度混乱。変更は前日にカードで示す。",
                ),
            ],
            change: &[],
            outcome: CONTINUE,
            reasons: &[],
            note: "",
        },
        Report {
            present: "本人、成年後見人 森、グループホームさくら 山本サビ管",
            overall: "入居2か月。夕食後に自分でお茶を入れるようになった。後見人は「施設より表情が豊か」。休日の外出先がないことが課題。",
            words: "（絵カードで）「おちゃ」「ドライブ」。後見人の車の写真を指さした。",
            goals: &[
                (
                    "achieved",
                    "high",
                    "夜間はよく眠れている。",
                    "（自室で音楽を聴いて過ごす）",
                    "",
                ),
                ("achieved", "high", "通所は安定。", "", ""),
                (
                    "partly",
                    "high",
                    "冷凍食品を電子レンジで温め、お茶を自分で入れる。",
                    "（電子レンジのボタンを自分で押した）",
                    "調理の練習を週1回に増やす。",
                ),
                (
                    "achieved",
                    "high",
                    "予定の変更は前日にカードで示している。",
                    "",
                    "",
                ),
            ],
            change: &[],
            outcome: CONTINUE,
            reasons: &[],
            note: "休日の外出（ドライブ）を支える移動支援の事業所を探す。地域課題として協議会へ。",
        },
    ];
    for (d, r) in on.iter().zip(reports.iter()) {
        record(store, by, client_id, case_id, *d, r).await?;
    }
    Ok(())
}

/// The child's reports on the certificate's months.
pub async fn child(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: &[NaiveDate],
) -> Result<()> {
    let reports = [
        Report {
            present: "本人、母",
            overall: "そらに通い始めて1か月半。初めの2回は母から離れられず泣いたが、電車のおもちゃがある部屋では落ち着いて遊べるようになった。母は「送り出すのがつらかった」。",
            words: "（本人）「でんしゃ、した」。（母）「迎えに行くと、先生に手を振るようになりました」",
            goals: &[
                (
                    "partly",
                    "high",
                    "週2回、欠席1回（発熱）。先生とのやりとり遊びを開始。",
                    "（電車を先生に「どうぞ」と渡した）",
                    "好きな遊びから、順番を待つ遊びへ広げる。",
                ),
                (
                    "not_yet",
                    "middle",
                    "保育園でも絵カードを使い始めた。朝の集まりは半分参加。",
                    "",
                    "そらと保育園で同じカードにそろえる。",
                ),
                (
                    "partly",
                    "middle",
                    "親の会の茶話会に1回参加。",
                    "（母）「同じ悩みの人がいて、少し楽になった」",
                    "父の参加の仕方を次回の面談で考える。",
                ),
            ],
            change: &[],
            outcome: CONTINUE,
            reasons: &[],
            note: "",
        },
        Report {
            present: "本人、母、父（土曜の面談に参加）",
            overall: "保育園の朝の集まりに、カードで予定を見てから参加できる日が増えた。お友達に電車を貸す場面も。父も土曜の面談に初めて参加した。",
            words: "（本人）「かして」「でんしゃ、いっしょ」。（母）「お友達の名前を家で言うようになった」",
            goals: &[
                (
                    "partly",
                    "high",
                    "週2回、休まず通所。「かして」「どうぞ」が言えるようになった。",
                    "（先生と電車を走らせて笑う）",
                    "小集団の遊びに参加する時間を増やす。",
                ),
                (
                    "partly",
                    "high",
                    "朝の集まりに、カードを見て参加できる日が週3日。",
                    "（カードを自分で並べる）",
                    "",
                ),
                (
                    "achieved",
                    "high",
                    "茶話会に毎月参加。父も面談に参加。",
                    "（母）「一人で抱えなくていいと思えるようになった」",
                    "就学に向けた相談（来年度）を始める。",
                ),
            ],
            change: &[],
            outcome: CONTINUE,
            reasons: &[],
            note: "受給者証の更新と、就学前の相談の進め方を次回までに母と確認する。",
        },
    ];
    for (d, r) in on.iter().zip(reports.iter()) {
        record(store, by, client_id, case_id, *d, r).await?;
    }
    Ok(())
}
