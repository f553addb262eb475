//! Aさん's monitoring history (DOMAIN.md §5): a year of reports on the certificate's months,
//! goal by goal, entered through the same validation and store functions as the screen.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use yorisoi_domain::monitoring::MonitoringInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, monitorings, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

/// One visit: (date (set by the caller), overall, person's words, per-goal (achievement, satisfaction, provision,
/// person's view, issues)).
type Visit<'a> = (
    NaiveDate,
    &'a str,
    &'a str,
    [(&'a str, &'a str, &'a str, &'a str, &'a str); 5],
);

pub async fn a_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    on: &[NaiveDate],
) -> Result<()> {
    let d0 = NaiveDate::default();
    let visits: Vec<Visit> = vec![
        (
            d0,
            "B型には休まず通えている。薬の飲み忘れは週2〜3回。部屋は変わらず物が多い。",
            "「カレンダーがあると、飲んだか分かる」",
            [
                (
                    "partly",
                    "middle",
                    "訪問看護 週1回。飲み忘れ週2〜3回。",
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
                    "「お金が足りない」",
                    "法テラスの相談日を決める。",
                ),
                (
                    "not_yet",
                    "middle",
                    "三者面談を1回。",
                    "",
                    "両親の気持ちも聞く。",
                ),
                (
                    "partly",
                    "high",
                    "兄と片付け1回。",
                    "「兄と一緒だとできる」",
                    "",
                ),
            ],
        ),
        (
            d0,
            "飲み忘れが週1回に減った。帰りのバスは一人で乗れるようになった。法テラスで債務整理の相談をした。",
            "「バス、帰りは一人でできた」",
            [
                (
                    "partly",
                    "high",
                    "飲み忘れ週1回。睡眠は夜1時ごろ。",
                    "「前より眠れる」",
                    "夜のスマホを11時までにする約束。",
                ),
                (
                    "partly",
                    "high",
                    "帰りは一人で乗車（週4日）。",
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
                    "",
                    "次回、手帳の返却方法を決める。",
                ),
                ("partly", "high", "兄と片付け。床の半分が見える。", "", ""),
            ],
        ),
        (
            d0,
            "冬場も体調は安定。B型の作業を「もっとやりたい」と話す。A型の話題が増えた。",
            "「A型、見に行ってみたい」",
            [
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
                    "「一人で行ける」",
                    "",
                ),
                (
                    "partly",
                    "middle",
                    "返済は計画どおり。",
                    "",
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
        ),
        (
            d0,
            "1年の振り返り。薬・通所・お金の土台がおおむね整った。本人はA型の見学を希望。",
            "「A型で働きたい。見学に行きたい」",
            [
                ("achieved", "high", "安定。", "", "維持。"),
                ("achieved", "high", "安定。", "", ""),
                (
                    "partly",
                    "middle",
                    "返済継続。",
                    "",
                    "A型に移ると収入が増える見込み。収支を見直す。",
                ),
                ("achieved", "high", "三者面談を終了。", "", ""),
                ("partly", "middle", "", "", ""),
            ],
        ),
    ];
    // Later visits (this year's months so far) repeat the last one's picture: stable, waiting
    // for the A型 visit.
    let last = visits[3];
    let all = on.iter().enumerate().map(|(k, d)| {
        let (_, o, w, g) = visits.get(k).copied().unwrap_or(last);
        (*d, o, w, g)
    });
    for (on, overall, words, goals) in all {
        let mut tx = store.begin(by).await?;
        let acc = tx
            .client_access(client_id, RecordKind::Monitoring, Action::Write)
            .await?;
        let (_, plan) = monitorings::plan_in_force(&tx, &acc, case_id)
            .await?
            .ok_or_else(|| anyhow!("demo monitoring: no final plan"))?;
        let mut i = MonitoringInput::prefill(&plan, on);
        i.present = s("本人");
        i.overall = s(overall);
        i.person_words = s(words);
        for (g, (ach, sat, provision, view, issues)) in i.goals.iter_mut().zip(goals) {
            g.achievement = s(ach);
            g.satisfaction = s(sat);
            g.provision = s(provision);
            g.person_view = s(view);
            g.issues = s(issues);
        }
        let keys: Vec<u32> = plan.rows.iter().map(|r| r.key).collect();
        let r = i
            .validate(today_jst(), plan.decided_on, &keys)
            .map_err(|e| anyhow!("demo monitoring: {e:?}"))?;
        monitorings::create(&mut tx, &acc, case_id, &r).await?;
        tx.commit().await?;
    }
    Ok(())
}
