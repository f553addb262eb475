//! Plain words for the easy-read plan (わかりやすい版): service jargon and staff shorthand
//! replaced by what happens there, titles by the person's name and what they do, and the readings
//! a dictionary gets wrong in these plans (一人 is ひとり, 日中 is にっちゅう).

use yorisoi_domain::plan::ServiceType;

/// What a kind of service is, in words the person uses. `None` for 「その他」: the row's own
/// words say it.
pub fn service_plain(t: ServiceType) -> Option<&'static str> {
    use ServiceType::*;
    Some(match t {
        HomeCare => "家に 来る ヘルパー",
        SevereVisiting => "長い 時間 そばに いる ヘルパー",
        Accompany | BehaviorSupport => "一緒に 出かける ヘルパー",
        ShortStay => "何日か 泊まれる ところ（ショートステイ）",
        DayCare => "昼間に 通って 活動する ところ",
        Training => "くらしの 練習を する ところ",
        EmploymentTransition => "働く 練習を して 仕事を さがす ところ",
        EmploymentA => "A型の 事業所（働いて お給料を もらう ところ）",
        EmploymentB => "B型の 作業所（自分の ペースで 働く ところ）",
        EmploymentRetention => "働きつづける ための 相談",
        GroupHome => "グループホーム（みんなで 暮らす 家）",
        Residential => "施設での 暮らし",
        IndependentLiving => "ひとり暮らしを 見守る 訪問",
        CommunityTransition => "病院や 施設から 町へ 移る 手伝い",
        CommunitySettlement => "こまった ときに すぐ 来てくれる しくみ",
        ChildDevelopment => "あそびを とおして 育つ ところ",
        AfterSchool => "学校の あとに 通う ところ",
        NurseryVisit => "保育園や 学校に 来てくれる 先生",
        MobilitySupport => "出かける ときの ヘルパー",
        DayRespite => "昼間に 少し 過ごせる ところ",
        VisitingNursing => "家に 来る 看護師",
        Medical => "病院",
        LongTermCare => "介護保険の サービス",
        MoneyManagement => "お金の 管理の 手伝い（社会福祉協議会）",
        PublicAssistance => "生活保護の 担当の 人",
        Other => return None,
    })
}

/// Titles written after a name (「佐藤サビ管」「大西 サービス管理責任者」): the name is kept with
/// さん and the title said plainly.
const TITLES: [(&str, &str); 4] = [
    ("児童発達支援管理責任者", "しえんの せきにんしゃ"),
    ("サービス管理責任者", "しえんの せきにんしゃ"),
    ("児発管", "しえんの せきにんしゃ"),
    ("サビ管", "しえんの せきにんしゃ"),
];

/// Jargon and shorthand → plain words, longest first where one contains another.
const GLOSSARY: [(&str, &str); 24] = [
    ("自立訓練（生活訓練）", "くらしの 練習を する ところ"),
    (
        "共同生活援助（グループホーム）",
        "グループホーム（みんなで 暮らす 家）",
    ),
    ("相談支援専門員", "そうだんの たんとう"),
    ("専門員", "そうだんの たんとう"),
    ("ケースワーカー", "生活保護の 担当の 人"),
    ("三者面談", "3人での 話し合い"),
    ("債務整理", "借金の 整理"),
    ("嘱託医", "施設の お医者さん"),
    ("協力医", "お医者さん"),
    ("時間外窓口", "夜の 窓口"),
    ("宿直", "夜の 職員"),
    ("世話人", "グループホームの 職員"),
    ("払い出し", "受け取り"),
    ("体験利用", "お試し"),
    ("保護者相談", "お父さん・お母さんの 相談"),
    ("モニタリング", "ようすを 聞く 面談"),
    ("アセスメント", "お話を 聞く こと"),
    ("サービス等利用計画", "計画"),
    ("障害児支援利用計画", "計画"),
    ("インフォーマル", "まわりの 人"),
    ("療育", "あそびや 練習"),
    ("GH", "グループホーム"),
    ("その他・", ""),
    (
        "日常生活自立支援事業",
        "お金の 管理の 手伝い（社会福祉協議会）",
    ),
];

/// Words that must not reach an easy-read text (the tests read every demo plan for them).
pub fn jargon() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = TITLES.iter().map(|(j, _)| *j).collect();
    v.extend(GLOSSARY.iter().map(|(j, _)| *j));
    v.extend(
        ServiceType::ALL
            .iter()
            .filter(|t| service_plain(**t).is_some())
            .map(|t| t.label()),
    );
    v
}

/// Readings these plans need that the general dictionary gets wrong or leaves ambiguous,
/// applied before it (surface, reading).
pub const READINGS: [(&str, &str); 26] = [
    ("一人暮らし", "ひとりぐらし"),
    ("一人", "ひとり"),
    ("二人", "ふたり"),
    ("日中", "にっちゅう"),
    ("通所", "つうしょ"),
    ("通院", "つういん"),
    ("服薬", "ふくやく"),
    ("作業所", "さぎょうしょ"),
    ("送迎", "そうげい"),
    ("工賃", "こうちん"),
    ("お給料", "おきゅうりょう"),
    ("一緒", "いっしょ"),
    ("お友達", "おともだち"),
    ("友達", "ともだち"),
    ("大人", "おとな"),
    ("今日", "きょう"),
    ("明日", "あした"),
    ("毎朝", "まいあさ"),
    ("毎晩", "まいばん"),
    ("月1回", "つき1かい"),
    ("月2回", "つき2かい"),
    ("週1回", "しゅう1かい"),
    ("週2回", "しゅう2かい"),
    ("見学", "けんがく"),
    ("看護師", "かんごし"),
    ("お医者さん", "おいしゃさん"),
];

/// Readings that are wrong in these plans: a test finds none of them in an easy-read text.
pub const MISREADINGS: [(&str, &str); 4] = [
    ("一人", "いちにん"),
    ("日中", "にちちゅう"),
    ("日中", "ひなか"),
    ("通所", "とおしょ"),
];

fn is_name_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '々')
}

/// The name just before a title: up to four kanji, after a space or a non-kanji (「ひかり作業所
/// 佐藤サビ管」 → 佐藤). A longer run is a place, not a name.
fn name_before(s: &str) -> Option<(usize, &str)> {
    let trimmed = s.trim_end_matches([' ', '　']);
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map(|(i, _)| i)?;
    let name = &trimmed[start..];
    (name.chars().count() <= 4).then_some((start, name))
}

/// `text` in plain words: titles after a name become 「佐藤さん（しえんの せきにんしゃ）」, jargon
/// its plain form.
pub fn plain(text: &str) -> String {
    let mut out = text.to_string();
    for (title, plain_title) in TITLES {
        let mut done = String::new();
        let mut rest = out.as_str();
        while let Some(i) = rest.find(title) {
            let before = &rest[..i];
            match name_before(before) {
                Some((start, name)) => {
                    done.push_str(&before[..start]);
                    done.push_str(&format!("{name}さん（{plain_title}）"));
                }
                None => {
                    done.push_str(before);
                    done.push_str(plain_title);
                }
            }
            rest = &rest[i + title.len()..];
        }
        done.push_str(rest);
        out = done;
    }
    for (j, p) in GLOSSARY {
        out = out.replace(j, p);
    }
    for t in ServiceType::ALL {
        if let Some(p) = service_plain(*t) {
            out = out.replace(t.label(), p);
        }
    }
    out
}

/// Like [`plain`], in the few words a box of the week chart holds: a service's plain name without
/// its explanation in brackets (「B型の 作業所」).
pub fn plain_short(text: &str) -> String {
    let mut out = text.to_string();
    for t in ServiceType::ALL {
        if let Some(p) = service_plain(*t) {
            let short = p.split('（').next().unwrap_or(p).trim();
            out = out.replace(t.label(), short);
        }
    }
    plain(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_after_a_name_keeps_the_name() {
        assert_eq!(
            plain("ひかり作業所 佐藤サビ管に相談"),
            "ひかり作業所 佐藤さん（しえんの せきにんしゃ）に相談"
        );
        assert_eq!(
            plain("大西 サービス管理責任者"),
            "大西さん（しえんの せきにんしゃ）"
        );
        assert_eq!(plain("サビ管と話す"), "しえんの せきにんしゃと話す");
        // A long run of kanji is a place, not a name.
        assert_eq!(
            plain("障害者支援施設サビ管"),
            "障害者支援施設しえんの せきにんしゃ"
        );
    }

    #[test]
    fn service_names_say_what_happens_there() {
        assert_eq!(
            plain("就労継続支援B型 週4日"),
            "B型の 作業所（自分の ペースで 働く ところ） 週4日"
        );
        assert_eq!(plain("自立訓練（生活訓練）"), "くらしの 練習を する ところ");
        assert_eq!(
            plain("その他・千葉障害者職業センター"),
            "千葉障害者職業センター"
        );
        for j in jargon() {
            let p = plain(&format!("あ{j}い"));
            assert!(!jargon().iter().any(|x| p.contains(x)), "{j} → {p}");
        }
    }

    #[test]
    fn a_week_box_gets_the_short_name() {
        assert_eq!(plain_short("就労継続支援B型"), "B型の 作業所");
        assert_eq!(plain_short("訪問看護"), "家に 来る 看護師");
        assert_eq!(
            plain_short("共同生活援助（グループホーム）"),
            "グループホーム"
        );
    }

    #[test]
    fn every_service_but_other_has_plain_words() {
        for t in ServiceType::ALL {
            assert_eq!(
                service_plain(*t).is_none(),
                *t == ServiceType::Other,
                "{t:?}"
            );
        }
    }
}
