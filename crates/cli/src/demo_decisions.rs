//! Bさん's 意思決定支援 (the seed's worked example of the 意思決定支援ガイドライン): the first
//! meeting, information with photos and a visit, a month's group-home trial with daily
//! observations and evidence, the second meeting, his will (partly shown, the rest estimated
//! with its grounds), the decision and the move — and the look back a month and more after the
//! move, which falls today.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use yorisoi_domain::decision::*;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::{Store, decisions, today_jst};

fn s(v: &str) -> String {
    v.to_string()
}

/// The days of Bさん's decision.
pub struct Days {
    pub started: NaiveDate,
    pub meeting1: NaiveDate,
    pub photos: NaiveDate,
    pub visit: NaiveDate,
    pub trial_from: NaiveDate,
    pub trial_until: NaiveDate,
    pub meeting2: NaiveDate,
    pub moved: NaiveDate,
}

pub async fn b_san(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    d: &Days,
) -> Result<i64> {
    let today = today_jst();
    let t = |days: i64| (d.trial_from + chrono::Duration::days(days)).to_string();
    let participant = |on: NaiveDate, name: &str, role: &str, knows: &str| ParticipantRow {
        held_on: on.to_string(),
        name: s(name),
        role: s(role),
        knows: s(knows),
    };
    let input = DecisionInput {
        question: s("施設入所を続けるか、グループホームに移るか"),
        background: s(
            "施設入所支援を利用して15年。両親は他界し、成年後見人が選任されている。継続サービス利用支援のモニタリングで、絵カードで「おうち」を選ぶことが増え、今後も施設で暮らすのか、グループホーム等に生活の場を移すのか、本人の意思決定支援が必要と考えた。",
        ),
        lead_user_id: by.user_id.to_string(),
        started_on: d.started.to_string(),
        step: s("realisation"),
        meetings: vec![
            MeetingRow {
                held_on: d.meeting1.to_string(),
                purpose: s("第1回 意思決定支援会議"),
                discussion: s(
                    "後見人は、施設に慣れて落ち着いているのに、生活の場を変えて不安定にならないか不安と話した。帰省時は自分でお湯を沸かしてカップラーメンを作って食べていると聞き、施設職員は、施設の環境が本人のできることを狭めているのではないかと話した。本人は経験のないGHの暮らしと今の暮らしを比べて選ぶことは難しい。",
                ),
                agreed: s(
                    "グループホームさくらで1か月の体験利用をし、その様子から本人の意思を確かめる。施設で使っている絵カードとスケジュールをGHでも使う。体験のため計画を変更する。体験のあと第2回の会議。",
                ),
            },
            MeetingRow {
                held_on: d.meeting2.to_string(),
                purpose: s("第2回 意思決定支援会議"),
                discussion: s(
                    "体験利用の様子を共有。人数の少ないGHで落ち着き、買い物と調理で生活の幅を広げた。施設に戻る日に玄関で座り込んだこと、戻ってからGHの写真を何度も選ぶことを、参加者それぞれが見ていた。後見人は「本人の表情を見て、心配より期待が大きくなった」。",
                ),
                agreed: s(
                    "グループホームさくらへ移る。入居のため計画を変更する。日中の生活介護はみどり園に通い続け、変化を少なくする。",
                ),
            },
        ],
        participants: vec![
            participant(
                d.meeting1,
                "馬場 大輔",
                "本人",
                "絵カードで「おうち」「ラーメン」を選んだ。",
            ),
            participant(
                d.meeting1,
                "成年後見人 森 和也",
                "成年後見人",
                "帰省したときは、自分でお湯を沸かしてカップラーメンを作って食べている。",
            ),
            participant(
                d.meeting1,
                "大西 サービス管理責任者",
                "みどり園",
                "施設では自分で調理する場面がない。日課は落ち着いてこなせている。",
            ),
            participant(
                d.meeting1,
                "施設の担当職員",
                "みどり園",
                "目の前の洋服や食べ物から気に入った物を選べる。絵カードや写真カードでその日の活動を選べる。",
            ),
            participant(
                d.meeting1,
                "山本 サービス管理責任者",
                "グループホームさくら",
                "空き部屋があり、体験利用を受け入れられる。",
            ),
            participant(
                d.meeting2,
                "馬場 大輔",
                "本人",
                "会議の途中で、GHの写真カードを机に置いて指さした。",
            ),
            participant(
                d.meeting2,
                "成年後見人 森 和也",
                "成年後見人",
                "体験中に会いに行くと、落ち着いて見えた。",
            ),
            participant(
                d.meeting2,
                "山本 サービス管理責任者",
                "グループホームさくら",
                "買い物の絵カードを自分から持ってくるようになった。",
            ),
            participant(
                d.meeting2,
                "施設の担当職員",
                "みどり園",
                "施設に戻ってから、GHの写真を何度も選ぶ。",
            ),
        ],
        information: vec![
            InfoRow {
                on: d.photos.to_string(),
                what: s("グループホームさくらの部屋・台所・近くのコンビニ"),
                method: s("picture_cards"),
                reaction: s("台所の写真を何度も指さした。"),
            },
            InfoRow {
                on: d.visit.to_string(),
                what: s("グループホームさくらの見学"),
                method: s("visit"),
                reaction: s("空き部屋のベッドに座り、しばらく動かなかった。表情は穏やか。"),
            },
        ],
        experiences: vec![ExperienceRow {
            place: s("グループホームさくら（地域移行支援による体験利用）"),
            from: d.trial_from.to_string(),
            until: d.trial_until.to_string(),
            purpose: s(
                "体験の様子から本人の意思を確かめる。混乱しないよう、施設の絵カードとスケジュールをGHでも使う。",
            ),
        }],
        observations: vec![
            ObservationRow {
                on: t(0),
                text: s("初日。絵カードのスケジュールを自分で確かめ、夕食後は自室で過ごした。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: t(6),
                text: s("職員と近くのコンビニへ。カップラーメンを自分で選んで買った。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: t(14),
                text: s("お湯を沸かしてカップラーメンを作り、食べた。笑顔が見られた。"),
                by: s("相談支援専門員（訪問）"),
            },
            ObservationRow {
                on: t(24),
                text: s(
                    "冷凍食品を電子レンジで温めて食べた。買い物の絵カードを自分から持ってきた。",
                ),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: d.trial_until.to_string(),
                text: s("施設に戻る日、玄関で靴を履かずに座り込んだ。"),
                by: s("GH 山本"),
            },
            ObservationRow {
                on: (d.trial_until + chrono::Duration::days(6)).to_string(),
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
            EvidenceRow {
                kind: s("choice"),
                text: s("施設に戻ってから、絵カードの中からGHの写真を何度も選ぶ。"),
                source: s("施設の担当職員"),
            },
            EvidenceRow {
                kind: s("expression"),
                text: s("施設に戻る日、玄関で靴を履かずに座り込んだ。"),
                source: s("GHの記録"),
            },
        ],
        expressed: s("partly"),
        person_words: s("GHの写真カードを指さして「ここ」。"),
        estimated_will: s("グループホームさくらで暮らしたい。自分で選んだ物を買って、食べたい。"),
        grounds: s(
            "体験中の表情と行動、戻ってからの絵カードの選択、帰省時の生活史。参加者全員の見立てが一致した。",
        ),
        decision: s("グループホームさくらへ移る"),
        decided_on: d.meeting2.to_string(),
        realisation: s(&format!(
            "計画を変更し、後見人と入居日を調整。{}にグループホームさくらへ入居した。施設の絵カードとスケジュールをGHでも続け、日中はみどり園の生活介護に通う。",
            d.moved.format("%Y年%-m月%-d日")
        )),
        follow_up_on: today.to_string(),
        follow_up_note: s(
            "移行後の振り返り：GHでの暮らしが本人の意思に沿っているか、表情と行動の記録から確かめる。",
        ),
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
