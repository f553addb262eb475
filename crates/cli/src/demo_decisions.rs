//! Bさん's 意思決定支援 (the seed's worked example of the 意思決定支援ガイドライン): the first
//! meeting, information with photos and a visit, a month's group-home trial with daily
//! observations and the first evidence — up to the second meeting, which falls today. The demo
//! leaves the will, the decision and the move to be written (the e2e journey walks them).

use anyhow::{Result, anyhow};
use chrono::{Duration, NaiveDate};
use yorisoi_domain::decision::*;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, decisions, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

pub async fn b_san(store: &Store, by: Actor, client_id: i64, case_id: i64) -> Result<i64> {
    let today = today_jst();
    let d = |days: i64| (today - Duration::days(days)).to_string();
    let meeting1 = d(60);
    let participant = |name: &str, role: &str, knows: &str| ParticipantRow {
        held_on: meeting1.clone(),
        name: s(name),
        role: s(role),
        knows: s(knows),
    };
    let trial_from: NaiveDate = today - Duration::days(45);
    let input = DecisionInput {
        question: s("施設入所を続けるか、グループホームに移るか"),
        background: s(
            "施設入所支援を利用して15年。両親は他界し、成年後見人が選任されている。継続サービス利用支援のモニタリングで、今後も施設で暮らすのか、グループホーム等に生活の場を移すのか、本人の意思決定支援が必要と考えた。",
        ),
        lead_user_id: by.user_id.to_string(),
        started_on: d(75),
        step: s("formation"),
        meetings: vec![MeetingRow {
            held_on: meeting1.clone(),
            purpose: s("第1回 意思決定支援会議"),
            discussion: s(
                "後見人は、施設に慣れて落ち着いているのに、生活の場を変えて不安定にならないか不安と話した。帰省時は自分でお湯を沸かしてカップラーメンを作って食べていると聞き、施設職員は、施設の環境が本人のできることを狭めているのではないかと話した。本人は経験のないGHの暮らしと今の暮らしを比べて選ぶことは難しい。",
            ),
            agreed: s(
                "グループホームさくらで1か月の体験利用をし、その様子から本人の意思を確かめる。施設で使っている絵カードとスケジュールをGHでも使う。計画を変更する。1か月後に第2回の会議。",
            ),
        }],
        participants: vec![
            participant(
                "馬場 大輔",
                "本人",
                "絵カードで「おうち」「ラーメン」を選んだ。",
            ),
            participant(
                "成年後見人 森 和也",
                "成年後見人",
                "帰省したときは、自分でお湯を沸かしてカップラーメンを作って食べている。",
            ),
            participant(
                "施設サービス管理責任者",
                "みどり園",
                "施設では自分で調理する場面がない。日課は落ち着いてこなせている。",
            ),
            participant(
                "施設の担当職員",
                "みどり園",
                "目の前の洋服や食べ物から気に入った物を選べる。絵カードや写真カードでその日の活動を選べる。",
            ),
            participant(
                "山本 サービス管理責任者",
                "グループホームさくら",
                "空き部屋があり、体験利用を受け入れられる。",
            ),
        ],
        information: vec![
            InfoRow {
                on: d(55),
                what: s("グループホームさくらの部屋・台所・近くのコンビニ"),
                method: s("picture_cards"),
                reaction: s("台所の写真を何度も指さした。"),
            },
            InfoRow {
                on: d(50),
                what: s("グループホームさくらの見学"),
                method: s("visit"),
                reaction: s("空き部屋のベッドに座り、しばらく動かなかった。表情は穏やか。"),
            },
        ],
        experiences: vec![ExperienceRow {
            place: s("グループホームさくら（地域移行支援による体験利用）"),
            from: trial_from.to_string(),
            until: d(15),
            purpose: s(
                "体験の様子から本人の意思を確かめる。混乱しないよう、施設の絵カードとスケジュールをGHでも使う。",
            ),
        }],
        observations: vec![
            ObservationRow {
                on: d(44),
                text: s("初日。絵カードのスケジュールを自分で確かめ、夕食後は自室で過ごした。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: d(38),
                text: s("職員と近くのコンビニへ。カップラーメンを自分で選んで買った。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: d(30),
                text: s("お湯を沸かしてカップラーメンを作り、食べた。笑顔が見られた。"),
                by: s("相談支援専門員（訪問）"),
            },
            ObservationRow {
                on: d(20),
                text: s(
                    "冷凍食品を電子レンジで温めて食べた。買い物の絵カードを自分から持ってきた。",
                ),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: d(16),
                text: s("施設に戻る日、玄関で靴を履かずに座り込んだ。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: d(10),
                text: s("施設に戻ってから、絵カードの中からGHの写真を何度も選ぶ。"),
                by: s("施設の担当職員"),
            },
        ],
        evidence: vec![
            EvidenceRow {
                kind: s("life_history"),
                text: s("帰省時は自分でお湯を沸かしてカップラーメンを作っていた。"),
                source: s("成年後見人"),
            },
            EvidenceRow {
                kind: s("behaviour"),
                text: s("体験中、自分で買い物をし、冷凍食品やカップラーメンを用意して食べた。"),
                source: s("GHの記録"),
            },
        ],
        follow_up_on: today.to_string(),
        follow_up_note: s(
            "第2回 意思決定支援会議：体験利用の様子を共有し、本人がどこで暮らしたいかを確かめる。",
        ),
        ..Default::default()
    };
    let r = input
        .validate(today, &[by.user_id])
        .map_err(|e| anyhow!("Bさんの意思決定支援: {e:?}"))?;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::DecisionSupport, Action::Write)
        .await?;
    let id = decisions::create(&mut tx, &acc, case_id, &r).await?;
    tx.commit().await?;
    Ok(id)
}
