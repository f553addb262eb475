//! 家族の希望, per person: who said what. The words are that family member's own information, so
//! sharing a record that carries them needs that person's consent — and only theirs (the wife's
//! words do not need the consent of an aunt who helps on Sundays).

use crate::errors::FieldErrors;
use crate::text;
use serde::{Deserialize, Serialize};

/// One family member's wish, in their words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FamilyWish {
    /// 続柄 as the specialist writes it (妻, 母, 兄).
    pub relation: String,
    /// The speaker's name, as on their consent (個人情報使用同意の本人の名前).
    pub name: String,
    /// What they said, as said.
    pub words: String,
}

impl FamilyWish {
    /// 「妻（青木 洋子）」, or whichever of the two is written.
    pub fn speaker(&self) -> String {
        match (self.relation.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{}（{}）", self.relation, self.name),
            (true, _) => self.name.clone(),
            (false, true) => self.relation.clone(),
        }
    }
}

/// Reads the typed rows (`{field}[i].relation|name|words`): blank rows dropped, words and the
/// speaker's name both required on a row that has either.
pub fn validate_family_wishes(
    e: &mut FieldErrors,
    field: &str,
    rows: &[FamilyWish],
) -> Vec<FamilyWish> {
    let mut out = Vec::new();
    for (i, w) in rows.iter().enumerate() {
        if text::all_blank([&w.relation, &w.name, &w.words]) {
            continue;
        }
        let f = |x: &str| format!("{field}[{i}].{x}");
        let relation = text::optional_line(e, &f("relation"), &w.relation, 20);
        let name = text::optional_line(e, &f("name"), &w.name, 60);
        let words = text::optional_text(e, &f("words"), &w.words, 4000);
        if name.is_empty() {
            e.add(
                &f("name"),
                "誰の言葉かを、その人の名前で書いてください（同意を確かめるのはその人です）。",
            );
        }
        if words.is_empty() {
            e.add(&f("words"), "話された言葉を書いてください。");
        }
        out.push(FamilyWish {
            relation,
            name,
            words,
        });
    }
    out
}

/// The family's wishes as one text (screens, documents): each person's words with who said
/// them, then any words written before speakers were recorded.
pub fn family_wishes_text(wishes: &[FamilyWish], unattributed: &str) -> String {
    let mut lines: Vec<String> = wishes
        .iter()
        .map(|w| format!("{}：{}", w.speaker(), text::quoted(&w.words)))
        .collect();
    if !unattributed.trim().is_empty() {
        lines.push(unattributed.trim().to_string());
    }
    lines.join("\n")
}

/// Whose own information a record's family wishes are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilyVoices {
    /// The named speakers, each once (compared as names are searched).
    pub speakers: Vec<String>,
    /// Words written without a speaker (before speakers were recorded): they may be any family
    /// member's, so every family member of the team is asked, as before.
    pub unattributed: bool,
}

impl FamilyVoices {
    pub fn of(wishes: &[FamilyWish], unattributed: &str) -> Self {
        let mut speakers: Vec<String> = Vec::new();
        for w in wishes {
            let n = w.name.trim();
            if !n.is_empty()
                && !w.words.trim().is_empty()
                && !speakers
                    .iter()
                    .any(|s| crate::team::same_person_key(s) == crate::team::same_person_key(n))
            {
                speakers.push(n.to_string());
            }
        }
        FamilyVoices {
            speakers,
            unattributed: !unattributed.trim().is_empty(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.speakers.is_empty() && !self.unattributed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(relation: &str, name: &str, words: &str) -> FamilyWish {
        FamilyWish {
            relation: relation.into(),
            name: name.into(),
            words: words.into(),
        }
    }

    #[test]
    fn rows_need_a_speaker_and_words_and_blank_rows_go() {
        let mut e = FieldErrors::new();
        let v = validate_family_wishes(
            &mut e,
            "family_wishes",
            &[
                w("妻", "青木 洋子", "無理をしないでほしい"),
                w("", "", ""),
                w("母", "", "家に帰ってきてほしい"),
                w("娘", "青木 美咲", " "),
            ],
        );
        assert_eq!(v.len(), 3);
        assert!(e.get("family_wishes[0].name").is_none());
        assert!(e.get("family_wishes[2].name").is_some());
        assert!(e.get("family_wishes[3].words").is_some());
    }

    #[test]
    fn the_text_says_who_said_what_and_keeps_older_words() {
        let t = family_wishes_text(
            &[
                w("妻", "青木 洋子", "無理をしないでほしい"),
                w("", "青木 美咲", "「パパと公園に行きたい」"),
            ],
            "以前の記録",
        );
        assert_eq!(
            t,
            "妻（青木 洋子）：「無理をしないでほしい」\n青木 美咲：「パパと公園に行きたい」\n以前の記録"
        );
    }

    #[test]
    fn the_voices_are_the_named_speakers_once_each() {
        let v = FamilyVoices::of(
            &[
                w("妻", "青木 洋子", "a"),
                w("妻", "青木洋子", "b"),
                w("母", "青木 トメ", "c"),
            ],
            "",
        );
        assert_eq!(v.speakers, vec!["青木 洋子", "青木 トメ"]);
        assert!(!v.unattributed);
        assert!(FamilyVoices::of(&[], "以前の記録").unattributed);
        assert!(FamilyVoices::of(&[], " ").is_empty());
    }
}
