//! The settings page.

use crate::AppState;
use crate::auth::Authed;
use crate::kit::display::{Opt, id_opts, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_documents::docs::{DateStyle, DocKind};
use yorisoi_documents::templates::STANDARD;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::office::DocSettings;

pub struct KindRow {
    pub code: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "doc_settings.html")]
pub struct SettingsPage {
    pub nav: Nav,
    pub message: String,
    pub errors: FieldErrors,
    pub dates: Vec<Opt>,
    pub furigana: bool,
    pub office_phone: String,
    pub office_hours: String,
    pub dictionary: bool,
    pub kinds: Vec<KindRow>,
    pub templates_dir: String,
}

impl SettingsPage {
    pub fn new(st: &AppState, user: &Authed, form: EditState<DocSettings>) -> Self {
        let s = &form.input;
        let kinds = DocKind::ALL
            .iter()
            .map(|k| {
                let names: Vec<(String, String)> = st
                    .templates
                    .names(*k)
                    .into_iter()
                    .map(|n| {
                        let label = if n == STANDARD {
                            "標準".to_string()
                        } else {
                            n.clone()
                        };
                        (n, label)
                    })
                    .collect();
                KindRow {
                    code: k.code(),
                    label: k.label(),
                    options: id_opts(&names, s.template(k.code())),
                }
            })
            .collect();
        SettingsPage {
            nav: Nav::new(user, "staff"),
            dates: opts(
                &[DateStyle::Wareki, DateStyle::Seireki],
                |d| d.code(),
                |d| d.label(),
                s.dates.code(),
            ),
            furigana: s.furigana,
            office_phone: s.office_phone.clone(),
            office_hours: s.office_hours.clone(),
            dictionary: st.furigana.available(),
            kinds,
            templates_dir: st
                .config
                .templates_dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            message: form.flash,
            errors: form.errors,
        }
    }
}
