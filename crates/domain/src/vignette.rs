//! 個別事例報告: a de-identified case vignette written from a case to illustrate a 地域課題 for
//! the 協議会 — a title and 支援の経過と課題 in words that identify nobody. The text is read
//! against the office's ledger with [`crate::region::identifying`], exactly as an issue's is.

use crate::client::optional_id;
use crate::errors::FieldErrors;
use crate::region::{Finding, KnownPeople, identifying};
use crate::text;
use serde::{Deserialize, Serialize};

/// The longest body (支援の経過と課題).
pub const BODY_MAX: usize = 4000;

/// A vignette as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VignetteRecord {
    /// 表題, one line.
    pub title: String,
    /// 支援の経過と課題, in words that identify nobody.
    pub body: String,
    /// The 地域課題 it illustrates (an id of this office), if any.
    pub issue_id: Option<i64>,
}

/// The fields as a form or the API sends them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VignetteInput {
    /// 表題（100文字まで）
    pub title: String,
    /// 支援の経過と課題（4000文字まで。個人が特定されない書き方で）
    pub body: String,
    /// この事例が示す地域課題の id（空なら結び付けなし）
    pub issue_id: String,
}

/// The fields [`identifying`] reads, with their labels.
pub const TEXT_FIELDS: [(&str, &str); 2] = [("title", "表題"), ("body", "支援の経過と課題")];

impl VignetteInput {
    pub fn validate(&self) -> Result<VignetteRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required_line(&mut e, "title", &self.title, 100);
        let body = text::clean_text(&self.body);
        if body.is_empty() {
            e.add(
                "body",
                "支援の経過と課題を、個人が特定されない書き方で入力してください。",
            );
        } else {
            text::check_text(&mut e, "body", &body, BODY_MAX, true);
        }
        let issue_id = optional_id(&mut e, "issue_id", &text::nfkc(&self.issue_id));
        e.into_result(VignetteRecord {
            title,
            body,
            issue_id,
        })
    }

    pub fn from_record(r: &VignetteRecord) -> Self {
        VignetteInput {
            title: r.title.clone(),
            body: r.body.clone(),
            issue_id: r.issue_id.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

impl VignetteRecord {
    /// The texts [`identifying`] reads, keyed by field.
    pub fn texts(&self) -> [(&'static str, &'static str, &str); 2] {
        [
            (TEXT_FIELDS[0].0, TEXT_FIELDS[0].1, self.title.as_str()),
            (TEXT_FIELDS[1].0, TEXT_FIELDS[1].1, self.body.as_str()),
        ]
    }

    /// Everything [`identifying`] finds in the texts.
    pub fn findings(&self, known: &KnownPeople) -> Vec<Finding> {
        self.texts()
            .iter()
            .flat_map(|(field, label, t)| identifying(t, known, field, label))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::{FindingKind, KnownPerson};

    #[test]
    fn a_vignette_is_validated_and_read_against_the_ledger() {
        let e = VignetteInput::default().validate().unwrap_err();
        assert_eq!(e.get("title"), Some("入力してください。"));
        assert!(e.get("body").unwrap().contains("個人が特定されない"));
        let long = VignetteInput {
            title: "夜間の不安".into(),
            body: "あ".repeat(BODY_MAX + 1),
            issue_id: "x".into(),
        };
        let e = long.validate().unwrap_err();
        assert!(e.get("body").unwrap().contains("4000文字以内"));
        assert_eq!(e.get("issue_id"), Some("一覧から選んでください。"));
        let ok = VignetteInput {
            title: "夜間の不安".into(),
            body: "40代の女性。夜間に不安が強く、相談先がない。".into(),
            issue_id: "３".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.issue_id, Some(3));
        assert_eq!(VignetteInput::from_record(&ok).validate().unwrap(), ok);
        let known = KnownPeople::new(&[KnownPerson {
            family_name: "青木".into(),
            given_name: "明子".into(),
            ..Default::default()
        }]);
        assert!(ok.findings(&known).is_empty());
        let named = VignetteRecord {
            body: "青木明子さんは夜間に不安が強い。".into(),
            ..ok
        };
        let f = named.findings(&known);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FindingKind::Name);
        assert_eq!(f[0].field, "body");
        assert!(f[0].message.starts_with("「支援の経過と課題」に"));
    }
}
