//! 障害児相談支援's own questions (DOMAIN.md §3.14, the seed's 児童支援の基本理念): how the child
//! grows, plays and lives in a group, how their own wishes were heard however they show them, and
//! the family — brothers and sisters, the parents' worries and rest — as people to support too.

use crate::FieldErrors;
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A child's assessment beyond the adult sheet. Every field is the specialist's words; an adult's
/// assessment leaves them empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ChildLife {
    /// How the child's own wishes were heard: words, gestures, faces, what they reach for in play.
    pub expression: String,
    /// 発達の状況: movement, words, understanding, relating to others.
    pub development: String,
    /// 遊び: what they like to play and how.
    pub play: String,
    /// 生活リズム: sleep, meals, toileting through the day.
    pub rhythm: String,
    /// 集団生活: 保育園・幼稚園・学校・児童発達支援, how the child is there.
    pub group_life: String,
    /// きょうだい and how they are.
    pub siblings: String,
    /// 保護者の思い・不安.
    pub parents_worries: String,
    /// 保護者の休息: rest, who they can talk to, respite.
    pub parents_rest: String,
}

/// The child's fields as (name, label), in the order the sheet and the form show them.
pub const CHILD_GROWTH: [(&str, &str); 4] = [
    (
        "development",
        "発達の状況（運動・ことば・理解・人との関わり）",
    ),
    ("play", "遊び（好きな遊び・遊び方）"),
    ("rhythm", "生活リズム（睡眠・食事・排せつ）"),
    ("group_life", "集団生活（保育園・幼稚園・学校など）"),
];
pub const CHILD_FAMILY: [(&str, &str); 3] = [
    ("siblings", "きょうだいの様子"),
    ("parents_worries", "保護者の思い・不安"),
    ("parents_rest", "保護者の休息・相談相手"),
];
pub const EXPRESSION_LABEL: &str = "本人の思いをどう受け止めたか（ことば・表情・しぐさ・遊び）";

impl ChildLife {
    /// The value of the field called `name` (see [`CHILD_GROWTH`], [`CHILD_FAMILY`]).
    pub fn get(&self, name: &str) -> &str {
        match name {
            "expression" => &self.expression,
            "development" => &self.development,
            "play" => &self.play,
            "rhythm" => &self.rhythm,
            "group_life" => &self.group_life,
            "siblings" => &self.siblings,
            "parents_worries" => &self.parents_worries,
            "parents_rest" => &self.parents_rest,
            _ => "",
        }
    }

    fn slot(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "expression" => &mut self.expression,
            "development" => &mut self.development,
            "play" => &mut self.play,
            "rhythm" => &mut self.rhythm,
            "group_life" => &mut self.group_life,
            "siblings" => &mut self.siblings,
            "parents_worries" => &mut self.parents_worries,
            "parents_rest" => &mut self.parents_rest,
            _ => return None,
        })
    }

    /// Every field name.
    pub fn names() -> impl Iterator<Item = &'static str> {
        std::iter::once("expression")
            .chain(CHILD_GROWTH.iter().map(|(n, _)| *n))
            .chain(CHILD_FAMILY.iter().map(|(n, _)| *n))
    }

    /// Sets the field called `name`; an unknown name is ignored.
    pub fn set(&mut self, name: &str, value: String) {
        if let Some(s) = self.slot(name) {
            *s = value;
        }
    }

    /// The fields trimmed and checked for length; errors land on `child.<name>`.
    pub fn validated(&self, e: &mut FieldErrors, max: usize) -> ChildLife {
        let mut out = ChildLife::default();
        for name in Self::names() {
            let v = text::optional_text(e, &format!("child.{name}"), self.get(name), max);
            out.set(name, v);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        Self::names().all(|n| self.get(n).trim().is_empty())
    }
}

/// Whether someone born on `birth` is a child (under 18) on `on`: the rule that makes a plan a
/// 障害児支援利用計画.
pub fn is_child(birth: Option<NaiveDate>, on: NaiveDate) -> bool {
    birth.is_some_and(|b| crate::date::age_on(b, on) < 18)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_and_writes_its_own_field() {
        let mut c = ChildLife::default();
        for (i, n) in ChildLife::names().enumerate() {
            c.set(n, format!("v{i}"));
        }
        for (i, n) in ChildLife::names().enumerate() {
            assert_eq!(c.get(n), format!("v{i}"), "{n}");
        }
        assert_eq!(ChildLife::names().count(), 8);
        assert!(!c.is_empty());
        assert!(ChildLife::default().is_empty());
    }

    #[test]
    fn a_child_is_under_eighteen_on_the_day() {
        let b = NaiveDate::from_ymd_opt(2008, 6, 1);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert!(is_child(b, d(2026, 5, 31)));
        assert!(!is_child(b, d(2026, 6, 1)));
        assert!(!is_child(None, d(2026, 6, 1)));
    }

    #[test]
    fn a_long_text_is_refused_on_its_field() {
        let c = ChildLife {
            play: "あ".repeat(11),
            ..Default::default()
        };
        let mut e = FieldErrors::new();
        let _ = c.validated(&mut e, 10);
        assert!(e.0.contains_key("child.play"), "{e:?}");
    }
}
