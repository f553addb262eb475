//! The sign-in page.

use askama::Template;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub csrf: String,
    pub login: String,
    pub next: String,
    pub error: String,
    /// Why sign-in is asked again (the session expired; a form was kept).
    pub notice: &'static str,
}

/// A kept form as the restore page shows it.
pub struct KeptForm {
    pub id: i64,
    pub path: String,
    pub page: String,
    pub kept_at: String,
    /// What was typed, for reading (text the person wrote; codes and ids left out).
    pub texts: Vec<String>,
    /// Every field as sent, in order (rows of a grid align by order), the CSRF token renewed.
    pub fields: Vec<(String, String)>,
}

impl KeptForm {
    pub fn new(p: yorisoi_store::parked::Parked, csrf: &str) -> Option<Self> {
        let pairs: Vec<(String, String)> = serde_html_form::from_str(&p.body).ok()?;
        let texts = pairs
            .iter()
            .filter(|(k, v)| worth_reading(k, v))
            .map(|(_, v)| v.clone())
            .collect();
        let fields = pairs
            .into_iter()
            .filter(|(k, _)| k != crate::auth::park::RESTORED_FROM)
            .map(|(k, v)| {
                if k == "csrf" {
                    (k, csrf.to_string())
                } else {
                    (k, v)
                }
            })
            .collect();
        Some(KeptForm {
            id: p.id,
            path: p.path,
            page: p.page,
            kept_at: crate::kit::audit::jst(p.created_at),
            texts,
            fields,
        })
    }
}

/// Whether a field's value is something a person typed and would recognise: not the token, a
/// version, a key or id, a code from a list.
fn worth_reading(name: &str, value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && name != "csrf"
        && name != "version"
        && !name.ends_with("_key")
        && !name.ends_with("_id")
        && !name.ends_with("version")
        && (!v.is_ascii() || v.chars().count() >= 12)
}

#[derive(Template)]
#[template(path = "restore.html")]
pub struct RestorePage {
    pub nav: crate::kit::render::Nav,
    pub kept: Vec<KeptForm>,
    pub message: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_form_shows_the_words_and_resends_every_field_with_the_new_token() {
        let p = yorisoi_store::parked::Parked {
            id: 4,
            path: "/assessments/1/section/wishes".into(),
            page: "/assessments/1/edit/wishes".into(),
            created_at: chrono::Utc::now(),
            body: "csrf=old&version=3&wish_self=%E4%BB%95%E4%BA%8B%E3%81%AB%E6%88%BB%E3%82%8A%E3%81%9F%E3%81%84&member_key=p1&member_sex=male&restored_from=2".into(),
        };
        let k = KeptForm::new(p, "new").unwrap();
        assert_eq!(k.texts, vec!["仕事に戻りたい".to_string()]);
        assert_eq!(
            k.fields,
            vec![
                ("csrf".to_string(), "new".to_string()),
                ("version".into(), "3".into()),
                ("wish_self".into(), "仕事に戻りたい".into()),
                ("member_key".into(), "p1".into()),
                ("member_sex".into(), "male".into()),
            ]
        );
    }
}
