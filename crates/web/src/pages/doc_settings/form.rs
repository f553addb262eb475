//! The settings form: one select per document kind's template.

use yorisoi_documents::docs::{DateStyle, DocKind};
use yorisoi_documents::templates::STANDARD;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::office::DocSettings;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub dates: String,
    pub furigana: String,
    pub office_phone: String,
    pub office_hours: String,
    pub template_plan: String,
    pub template_week: String,
    pub template_easy_plan: String,
    pub template_monitoring: String,
    pub template_meeting: String,
    pub template_assessment: String,
    pub template_notes: String,
    pub template_intake: String,
    pub template_closure: String,
    pub template_decision: String,
    pub template_council: String,
}

/// The form field of `kind`'s template.
pub fn template_field(kind: DocKind) -> String {
    format!("template_{}", kind.code())
}

impl SettingsForm {
    fn template(&self, kind: DocKind) -> &str {
        match kind {
            DocKind::Plan => &self.template_plan,
            DocKind::Week => &self.template_week,
            DocKind::EasyPlan => &self.template_easy_plan,
            DocKind::Monitoring => &self.template_monitoring,
            DocKind::Meeting => &self.template_meeting,
            DocKind::Assessment => &self.template_assessment,
            DocKind::Notes => &self.template_notes,
            DocKind::Intake => &self.template_intake,
            DocKind::Closure => &self.template_closure,
            DocKind::Decision => &self.template_decision,
            DocKind::Council => &self.template_council,
        }
    }

    /// The settings, with the templates `exists` knows; else what could be read and why not.
    pub fn into_settings(
        self,
        exists: impl Fn(DocKind, &str) -> bool,
    ) -> Result<DocSettings, (DocSettings, FieldErrors)> {
        let mut e = FieldErrors::new();
        let mut s = DocSettings {
            furigana: self.furigana == "on",
            office_phone: yorisoi_domain::text::optional_line(
                &mut e,
                "office_phone",
                &self.office_phone,
                30,
            ),
            office_hours: yorisoi_domain::text::optional_line(
                &mut e,
                "office_hours",
                &self.office_hours,
                40,
            ),
            ..Default::default()
        };
        if !s.office_phone.is_empty()
            && !s
                .office_phone
                .chars()
                .all(|c| c.is_ascii_digit() || "-()（）‐－ ".contains(c))
        {
            e.add(
                "office_phone",
                "電話番号は数字とハイフンで入力してください（例: 0439-00-0000）。",
            );
        }
        match DateStyle::from_code(&self.dates) {
            Some(d) => s.dates = d,
            None => e.add("dates", "日付の書き方を選んでください。"),
        }
        for k in DocKind::ALL {
            let name = self.template(k);
            let name = if name.is_empty() { STANDARD } else { name };
            if exists(k, name) {
                if name != STANDARD {
                    s.templates.insert(k.code().into(), name.into());
                }
            } else {
                e.add(
                    &template_field(k),
                    format!(
                        "{}のテンプレート「{name}」が見つかりません。一覧から選んでください。",
                        k.label()
                    ),
                );
            }
        }
        if e.is_empty() { Ok(s) } else { Err((s, e)) }
    }
}
