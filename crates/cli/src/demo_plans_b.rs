//! Bさん's plans (DOMAIN.md §5): the facility plan that opened the question of where he lives,
//! the 計画変更 for the group-home trial that the first 意思決定支援会議 asked for, and the
//! 計画変更 for the move that the second one decided — each drafted, explained to his
//! guardian, met on, made final and handed over through the same store functions as the screens.

use crate::demo_files::ProviderPlan;
use crate::demo_plans::{
    Provider, Res, Signer, change, consent_to_draft, draft, finalise, implement, meeting, row,
    team_and_consent, week,
};
use anyhow::Result;
use chrono::{Duration, NaiveDate};
use yorisoi_domain::plan::RowInput;
use yorisoi_domain::policy::Actor;
use yorisoi_store::Store;

fn s(v: &str) -> String {
    v.to_string()
}

const GUARDIAN: Signer<'static> = Signer("成年後見人 森 和也", "curator");
const HANDED: &str = "成年後見人、各サービス提供事業所、N市障害福祉課";

/// The team (with consents given by the guardian) and the first plan, final and in place.
/// Returns the team member ids.
pub async fn first(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    drafted: NaiveDate,
    res: &Res,
) -> Result<Vec<i64>> {
    let ids = team_and_consent(
        store,
        by,
        client_id,
        &[
            (
                "person",
                "馬場 大輔",
                "",
                "みどり園 0439-00-5678（居室担当 経由）",
                "絵カードで気持ちを伝える",
                None,
            ),
            (
                "curator",
                "森 和也",
                "森法律事務所",
                "0439-00-1234",
                "契約と財産管理、本人の意思の確認",
                None,
            ),
            (
                "provider",
                "大西 サービス管理責任者",
                "障害者支援施設みどり園",
                "0439-00-5678",
                "施設での暮らしと生活介護、絵カードの引き継ぎ",
                None,
            ),
            (
                "provider",
                "山本 サービス管理責任者",
                "グループホームさくら",
                "0120-111-005",
                "見学・体験利用の受け入れ",
                Some(res.sakura),
            ),
        ],
        &["basic", "assessment", "plan", "medical"],
        drafted - Duration::days(1),
    )
    .await?;
    let id = draft(store, by, client_id, case_id, drafted, |i| {
        i.policy = s("15年暮らしたみどり園での落ち着いた毎日を大切にしながら、絵カードで「おうち」を選ぶ大輔さんの思いを、見学や体験を通して確かめていきます。");
        i.long_goal = s("自分で選んだ場所で、自分で選んだものを食べて暮らす。");
        i.short_goal = s("施設の暮らしを続けながら、暮らしの場について写真や見学で知る。");
        row(i, 0, |r| {
            r.service_type = s("residential");
            r.service = s("施設入所支援（夜間・休日の生活）。暮らしの場について、写真カードと見学で情報を届ける。");
            r.goal = s("今の暮らしを続けながら、グループホームの写真を見たり見学したりする。");
            r.due = s("6か月");
            r.person_role = s("写真カードを見て、気になるものを指さす。");
            r.review = s("6か月後");
        });
        row(i, 1, |r| {
            r.service_type = s("day_care");
            r.service = s("生活介護（施設内）。月2回の調理の時間に、作る物を絵カードで選ぶ。");
            r.days = s("平日");
            r.time = s("9:30-15:30");
            r.goal = s("調理の時間に、自分で選んだ物を用意して食べる。");
            r.due = s("6か月");
            r.person_role = s("絵カードで作りたい物を選ぶ。");
            r.review = s("6か月後");
        });
        row(i, 2, |r| {
            r.service_type = s("day_care");
            r.service = s("生活介護の職員が、朝の会で絵カードのスケジュールを一緒に確かめる。");
            r.days = s("平日");
            r.time = s("9:30-9:45");
            r.goal = s("予定の変化を絵カードのスケジュールで前もって知る。");
            r.due = s("6か月");
            r.person_role = s("朝、スケジュールを一緒に確かめる。");
            r.review = s("6か月後");
        });
        i.housing = s("障害者支援施設みどり園（個室）。暮らしの場については意思決定支援で確かめる。");
        i.day_activity = s("みどり園の生活介護 週5日。");
        i.support_system = s("後見人・みどり園（施設入所・生活介護）・相談支援。絵カードを共通で使う。");
        i.alternatives = s("見学で混乱が強いときは、写真カードだけで情報を届ける。");
        i.emergency = s("体調不良時は施設の嘱託医。後見人に連絡。");
        i.week = vec![
            week("平日", "9:30", "15:30", "生活介護"),
            week("毎日", "21:00", "4:00", "睡眠（施設）"),
        ];
        i.monitoring_period = s("every6");
        i.monitoring_note = s("施設入所支援・生活介護のため6か月ごと（市が決定）。");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        drafted + Duration::days(1),
        GUARDIAN,
    )
    .await?;
    meeting(store, by, client_id, id, &ids, drafted + Duration::days(7), |m| {
        m.place = s("障害者支援施設みどり園 面会室");
        m.chair = s("鈴木（相談支援専門員）");
        m.recorder = s("鈴木");
        m.introductions = s("大輔さんは最初の10分同席し、絵カードで「ラーメン」を選んで居室に戻った。後見人・施設・GHが自己紹介。");
        m.discussion = s("施設では日課を落ち着いてこなしている。帰省時にカップラーメンを自分で作っていたことを後見人から共有。GHの情報を写真で届けることにした。");
        m.municipality_view = s("N市障害福祉課（書面）: 地域移行の希望があれば地域移行支援の支給決定を検討する。");
        m.roles = s("施設: 写真カードの用意と様子の記録／GH: 見学の受け入れ／後見人: 本人との面会（月1回）／相談支援: 意思決定支援の準備");
        m.cannot_do = s("休日に外出を支える移動支援の事業所が足りない");
        m.next_date = (drafted + Duration::days(180)).to_string();
        m.key_person = s("成年後見人 森 和也");
        m.consent_and_roles = s("後見人が計画案に同意。大輔さんには写真カードで説明した。");
        m.conclusions = s("計画案のとおり進める。暮らしの場は急がず、本人の様子から確かめる。");
        m.held = s("yes");
    })
    .await?;
    let final_on = drafted + Duration::days(12);
    finalise(store, by, client_id, id, final_on, GUARDIAN, HANDED, |i| {
        row(i, 0, |r| {
            r.provider = s("障害者支援施設みどり園 大西（0439-00-5678）")
        });
        row(i, 1, |r| {
            r.provider = s("みどり園 生活介護 大西（0439-00-5678）")
        });
        row(i, 2, |r| {
            r.provider = s("みどり園 生活介護 大西（0439-00-5678）")
        });
    })
    .await?;
    implement(
        store,
        by,
        client_id,
        id,
        vec![
            Provider {
                row: 0,
                name: "障害者支援施設みどり園",
                manager: "大西 サービス管理責任者",
                contact: "0439-00-5678",
                contract_on: final_on,
                ipp_received_on: Some(final_on + Duration::days(14)),
                ipp: None,
            },
            Provider {
                row: 1,
                name: "みどり園 生活介護",
                manager: "大西 サービス管理責任者",
                contact: "0439-00-5678",
                contract_on: final_on,
                ipp_received_on: Some(final_on + Duration::days(14)),
                ipp: None,
            },
        ],
    )
    .await?;
    Ok(ids)
}

/// The 計画変更 after the first 意思決定支援会議: a month's trial at グループホームさくら.
#[allow(clippy::too_many_arguments)]
pub async fn trial(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    ids: &[i64],
    drafted: NaiveDate,
    decided: NaiveDate,
    res: &Res,
) -> Result<()> {
    let id = change(store, by, client_id, case_id, drafted, |i| {
        i.short_goal = s("グループホームさくらで1か月の体験利用をして、過ごし方を確かめる。");
        i.rows.insert(
            1,
            RowInput {
                need: s("自分のことを自分で決められる暮らしの場がほしい"),
                goal: s("体験利用で、GHでの過ごし方を確かめる。「楽しかった」「いや」を絵カードで伝える。"),
                due: s("1か月"),
                service_type: s("group_home"),
                service: s("共同生活援助 体験利用（1か月、地域移行支援による）。施設の絵カードとスケジュールをGHでも使う。"),
                resource_id: res.sakura.to_string(),
                person_role: s("絵カードで買う物や夕食を選ぶ。"),
                review: s("体験の終了後（第2回 意思決定支援会議）"),
                ..Default::default()
            },
        );
        i.housing = s("みどり園（個室）に籍を置いたまま、グループホームさくらで1か月の体験利用。");
        i.alternatives = s("体験中に混乱が強いときは、途中でも施設に戻る。");
        i.monitoring_note = s("体験の様子は第2回 意思決定支援会議で確かめる。");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        drafted + Duration::days(1),
        GUARDIAN,
    )
    .await?;
    meeting(store, by, client_id, id, ids, drafted + Duration::days(6), |m| {
        m.place = s("グループホームさくら");
        m.chair = s("鈴木（相談支援専門員）");
        m.recorder = s("鈴木");
        m.introductions = s("大輔さんはGHの台所を見て回ったあと、居間のソファに座って同席した。");
        m.discussion = s("意思決定支援会議の合意（1か月の体験）を共有。GHは施設と同じ絵カードとスケジュールを用意する。後見人は「途中で戻れるなら」と了承。");
        m.municipality_view = s("N市障害福祉課: 地域移行支援（体験利用）の支給決定を出す。");
        m.roles = s("GH: 体験の受け入れと毎日の記録／施設: 絵カードとスケジュールの引き継ぎ、戻ってからの様子の記録／後見人: 契約と体験中の面会／相談支援: 訪問と記録の取りまとめ");
        m.cannot_do = s("休日に外出を支える移動支援の事業所が足りない");
        m.key_person = s("成年後見人 森 和也");
        m.consent_and_roles = s("後見人が計画変更に同意。大輔さんはGHの写真カードを手に取った。");
        m.conclusions = s("体験利用を始め、第2回の意思決定支援会議で本人の意思を確かめる。");
        m.held = s("yes");
    })
    .await?;
    finalise(store, by, client_id, id, decided, GUARDIAN, HANDED, |i| {
        row(i, 1, |r| {
            r.provider = s("グループホームさくら 山本（0120-111-005）")
        });
    })
    .await?;
    implement(
        store,
        by,
        client_id,
        id,
        vec![Provider {
            row: 1,
            name: "グループホームさくら",
            manager: "山本 サービス管理責任者",
            contact: "0120-111-005",
            contract_on: decided + Duration::days(1),
            ipp_received_on: None,
            ipp: None,
        }],
    )
    .await?;
    Ok(())
}

/// The 計画変更 after the second 意思決定支援会議: the move to グループホームさくら, with the
/// group home's 個別支援計画 received after the move.
#[allow(clippy::too_many_arguments)]
pub async fn move_in(
    store: &Store,
    by: Actor,
    client_id: i64,
    case_id: i64,
    ids: &[i64],
    drafted: NaiveDate,
    decided: NaiveDate,
    moved: NaiveDate,
) -> Result<()> {
    let id = change(store, by, client_id, case_id, drafted, |i| {
        i.policy = s("大輔さんが体験で選んだグループホームさくらでの暮らしを、施設で使っていた絵カードとスケジュールを引き継ぎながら、チームで支えます。");
        i.long_goal = s("グループホームで、自分で選んだものを食べて暮らす。");
        i.short_goal = s("グループホームの暮らしに慣れ、買い物と簡単な調理を自分でする日を増やす。");
        row(i, 0, |r| {
            r.service_type = s("group_home");
            r.service = s("共同生活援助（グループホームさくら）。夕食の買い物は職員と週2回。");
            r.days = String::new();
            r.time = String::new();
            r.goal = s("GHの暮らしに慣れ、落ち着いて過ごせる日を増やす。");
            r.due = s("3か月");
            r.provider = s("グループホームさくら 山本（0120-111-005）");
            r.person_role = s("絵カードで夕食や買う物を選ぶ。");
            r.review = s("毎月（最初の3か月）");
        });
        row(i, 1, |r| {
            r.need = s("慣れた作業を続けて、生活の変化を少なくしたい");
            r.service_type = s("day_care");
            r.resource_id = String::new();
            r.service = s("生活介護（みどり園）。GHから送迎で通い、日中は今までと同じ箱折りの作業を続ける。");
            r.days = s("平日");
            r.time = s("9:30-15:30");
            r.goal = s("日中の作業を続けて、移ったあとも落ち着いて過ごす。");
            r.due = s("3か月");
            r.provider = s("みどり園 生活介護 大西（0439-00-5678）");
            r.person_role = s("送迎の時間を絵カードで確かめる。");
            r.review = s("毎月（最初の3か月）");
        });
        row(i, 2, |r| {
            r.category = s("informal");
            r.service_type = String::new();
            r.service = s("GH近くのコンビニで好きな物を選んで買い、GHの台所でお湯を沸かしたり温めたりして食べる（職員と）。");
            r.days = s("火土");
            r.time = s("16:30-17:30");
            r.goal = s("自分で選んで、用意して食べる。");
            r.due = s("3か月");
            r.provider = s("グループホームさくら（同行）");
            r.person_role = s("絵カードで買う物を選ぶ。");
            r.review = s("3か月後");
        });
        row(i, 3, |r| {
            r.service = s("GHの世話人と生活介護の職員が、同じ絵カードのスケジュールを使う。");
            r.days = s("毎日");
            r.time = s("7:00-7:15");
        });
        i.housing = s("グループホームさくら（N市桜町、定員5名の個室）へ移る。");
        i.day_activity = s("みどり園の生活介護に、GHから送迎で週5日通う（変化を少なく）。");
        i.support_system = s("後見人・GH・生活介護・相談支援。絵カードとスケジュールを共通で使う。");
        i.alternatives = s("GHが合わないときは、みどり園の短期入所を使いながら別のGHを体験する。");
        i.emergency = s("体調不良時はGHの協力医（桜町内科）。夜間はGHの宿直。後見人に連絡。");
        i.week = vec![
            week("平日", "9:30", "15:30", "生活介護（みどり園）"),
            week("火", "16:30", "17:00", "コンビニで買い物"),
            week("土", "16:30", "17:00", "コンビニで買い物"),
            week("毎日", "21:00", "4:00", "睡眠（GH）"),
        ];
        i.monitoring_period = s("monthly");
        i.monitoring_note = s("生活の場が大きく変わるため最初の3か月は毎月、その後は6か月ごと（市が決定）。");
    })
    .await?;
    consent_to_draft(
        store,
        by,
        client_id,
        id,
        drafted + Duration::days(1),
        GUARDIAN,
    )
    .await?;
    meeting(store, by, client_id, id, ids, drafted + Duration::days(7), |m| {
        m.place = s("グループホームさくら");
        m.chair = s("鈴木（相談支援専門員）");
        m.recorder = s("鈴木");
        m.introductions = s("大輔さんも居間で同席。GHの写真カードを机に並べていた。");
        m.discussion = s("第2回 意思決定支援会議で、本人の意思（推定を含む）をGHへの移行と確かめたことを共有。入居日、持っていく物、絵カードの引き継ぎを検討。");
        m.municipality_view = s("N市障害福祉課: 共同生活援助の支給決定を出す。最初の3か月はモニタリングを毎月とする。");
        m.roles = s("GH: 入居の準備と毎日の記録／施設: 荷物と絵カードの引き継ぎ、日中の生活介護は継続／後見人: 契約と施設の退所手続き／相談支援: 入居後の訪問");
        m.cannot_do = s("休日に外出を支える移動支援の事業所が足りない");
        m.next_date = (moved + Duration::days(30)).to_string();
        m.key_person = s("成年後見人 森 和也");
        m.consent_and_roles = s("後見人が計画変更に同意。大輔さんには入居日をカレンダーと写真で示した。");
        m.conclusions = s("グループホームさくらへ移る。入居後3か月は毎月訪問して様子を確かめる。");
        m.held = s("yes");
    })
    .await?;
    finalise(store, by, client_id, id, decided, GUARDIAN, HANDED, |_| {}).await?;
    let ipp_on = moved + Duration::days(14);
    implement(
        store,
        by,
        client_id,
        id,
        vec![Provider {
            row: 0,
            name: "グループホームさくら",
            manager: "山本 サービス管理責任者",
            contact: "0120-111-005",
            contract_on: moved,
            ipp_received_on: Some(ipp_on),
            ipp: Some(ProviderPlan {
                provider: "グループホームさくら",
                service: "共同生活援助",
                person: "馬場 大輔",
                made_on: ipp_on.format("%Y年%-m月%-d日").to_string(),
                manager: "山本 サービス管理責任者",
                wish: "（絵カードで）「おうち」「ラーメン」。写真カードでGHの台所を選ぶ。",
                goal: "GHの暮らしに慣れ、自分で選んだ物を買って、用意して食べる。",
                rows: vec![
                    (
                        "朝夕に絵カードのスケジュールを一緒に確かめる",
                        "毎日 7:00・17:00",
                        "世話人",
                    ),
                    (
                        "コンビニへの買い物の同行（絵カードで選ぶ）",
                        "火・土 16:30",
                        "生活支援員 木村",
                    ),
                    ("お湯を沸かす・電子レンジで温める練習", "夕食時", "世話人"),
                    ("後見人への月1回の様子の報告", "月末", "山本"),
                ],
                period: "6か月",
            }),
        }],
    )
    .await?;
    Ok(())
}
