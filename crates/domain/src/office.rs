//! Settings an office chooses for itself.

use crate::date::DateStyle;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the office's documents print: the calendar, furigana on the easy-read plan, and the
/// template chosen per document kind (by the kind's code; a kind not listed uses 標準).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DocSettings {
    pub dates: DateStyle,
    pub furigana: bool,
    pub templates: BTreeMap<String, String>,
    /// The office's telephone, printed under 「こまったときは」 on the easy-read plan.
    pub office_phone: String,
    /// When the telephone is answered (「平日 9時〜17時」).
    pub office_hours: String,
}

impl DocSettings {
    /// The template name for a kind's code.
    pub fn template(&self, kind: &str) -> &str {
        self.templates
            .get(kind)
            .map(String::as_str)
            .unwrap_or("standard")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_to_wareki_standard_templates_and_no_furigana() {
        let s: DocSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(s.dates, DateStyle::Wareki);
        assert!(!s.furigana);
        assert_eq!(s.template("plan"), "standard");
        let s: DocSettings =
            serde_json::from_str(r#"{"dates":"seireki","templates":{"plan":"m-city"}}"#).unwrap();
        assert_eq!(s.dates, DateStyle::Seireki);
        assert_eq!(s.template("plan"), "m-city");
        assert_eq!(s.template("week"), "standard");
    }
}
