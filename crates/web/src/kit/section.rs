//! The section editor shared by the documents written one section at a time (アセスメント,
//! サービス等利用計画, 意思決定支援): tabs of sections, plain fields and row grids, the version
//! the record was read at, and "save and go to the next section". `section_edit.html` draws it.

use crate::error::AppError;
use crate::kit::form::{EditState, parse_version};
use crate::kit::grid::{FieldView, GridView};
use crate::kit::render::Nav;
use askama::Template;

/// A document's sections as (code, label), in the order the tabs show them.
pub type Sections = &'static [(&'static str, &'static str)];

#[derive(Template)]
#[template(path = "section_edit.html")]
pub struct SectionPage {
    pub nav: Nav,
    /// 「アセスメント」「サービス等利用計画」
    pub doc: &'static str,
    /// The document's page; sections are under `{base}/edit/`.
    pub base: String,
    pub back_label: &'static str,
    pub version_no: i32,
    pub client_name: String,
    pub section: String,
    pub section_label: String,
    pub sections: Sections,
    pub fields: Vec<FieldView>,
    pub grids: Vec<GridView>,
    pub context: Vec<(String, String)>,
    pub drawings: Vec<String>,
    pub version: String,
    pub conflict: bool,
    pub errors: yorisoi_domain::FieldErrors,
    pub saved: String,
    pub next: String,
    pub next_label: String,
    /// On a conflict: where the latest saved version and this input differ, as (項目, 最新の内容,
    /// あなたの入力), so that overwriting never drops someone's words unseen.
    pub changes: Vec<(String, String, String)>,
}

/// What a field shows: its text, or the chosen option's label.
fn shown(kind: &str, value: &str, options: &[crate::kit::grid::Choice]) -> String {
    if kind == "select" {
        options
            .iter()
            .find(|(_, _, on)| *on)
            .map(|(v, l, _)| {
                if v.is_empty() {
                    String::new()
                } else {
                    l.clone()
                }
            })
            .unwrap_or_default()
    } else {
        value.trim().to_string()
    }
}

/// Where `mine` (the input shown) differs from `latest` (the same section built from the record
/// as saved now): each plain field by name, each grid as its filled rows.
pub fn differences(
    latest: &(Vec<FieldView>, Vec<GridView>),
    mine: (&[FieldView], &[GridView]),
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for f in mine.0 {
        let Some(l) = latest.0.iter().find(|l| l.name == f.name) else {
            continue;
        };
        let (a, b) = (
            shown(l.kind, &l.value, &l.options),
            shown(f.kind, &f.value, &f.options),
        );
        if a != b {
            out.push((f.label.clone(), a, b));
        }
    }
    let rows = |g: &GridView| -> Vec<String> {
        g.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .filter(|c| c.kind != "hidden")
                    .map(|c| shown(c.kind, &c.value, &c.options))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .filter(|r| !r.is_empty())
            .collect()
    };
    for g in mine.1 {
        let Some(l) = latest.1.iter().find(|l| l.id == g.id && l.title == g.title) else {
            continue;
        };
        let (a, b) = (rows(l), rows(g));
        if a != b {
            out.push((g.title.clone(), a.join("\n"), b.join("\n")));
        }
    }
    out
}

/// What a document says about itself on its section pages.
pub struct SectionDoc {
    pub doc: &'static str,
    pub base: String,
    pub back_label: &'static str,
    /// 0 for a document without versions (then "save and see the record" is offered).
    pub version_no: i32,
    pub client_name: String,
    pub sections: Sections,
}

impl SectionPage {
    /// The page of `section` showing `form` (its errors, version, conflict and flash) with the
    /// fields and grids built from `form.input`.
    pub fn new<T>(
        nav: Nav,
        doc: SectionDoc,
        section: &str,
        form: &EditState<T>,
        (fields, grids): (Vec<FieldView>, Vec<GridView>),
    ) -> Self {
        let (next, next_label) = next_section(doc.sections, section)
            .map(|(c, l)| (c.to_string(), l.to_string()))
            .unwrap_or_default();
        SectionPage {
            nav,
            doc: doc.doc,
            base: doc.base,
            back_label: doc.back_label,
            version_no: doc.version_no,
            client_name: doc.client_name,
            section: section.into(),
            section_label: section_label(doc.sections, section)
                .unwrap_or_default()
                .into(),
            sections: doc.sections,
            fields,
            grids,
            context: Vec::new(),
            drawings: Vec::new(),
            version: form.version.clone(),
            conflict: form.conflict,
            errors: form.errors.clone(),
            saved: form.flash.clone(),
            next,
            next_label,
            changes: Vec::new(),
        }
    }
}

/// The label of section `code`, if it is one.
pub fn section_label(sections: Sections, code: &str) -> Option<&'static str> {
    sections.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The label of section `code`, or 404 (an unknown section is not a blank page).
pub fn section_or_404(sections: Sections, code: &str) -> Result<&'static str, AppError> {
    section_label(sections, code).ok_or(AppError::NotFound)
}

/// The section after `code`, if any.
pub fn next_section(sections: Sections, code: &str) -> Option<(&'static str, &'static str)> {
    let p = sections.iter().position(|(c, _)| *c == code)?;
    sections.get(p + 1).copied()
}

/// The hidden fields and buttons around every section form: the version it was read at and
/// where to go after saving (`then`: another section, or "record").
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SectionHidden {
    pub version: String,
    pub then: String,
}

impl SectionHidden {
    pub fn version(&self) -> Result<i32, AppError> {
        parse_version(&self.version)
    }
}

/// The flash of a section page reached after a save (`?saved=…`).
pub fn saved_flash(saved: &str) -> &'static str {
    if saved.is_empty() {
        ""
    } else {
        "保存しました。"
    }
}

/// A refused section save as the form to show again: field errors beside the fields, a stale
/// version as a conflict at `current`; a rule about the whole record (the section page has no
/// place for it) and anything else is given back as the error page.
pub fn refused<T>(
    input: T,
    version: impl ToString,
    e: AppError,
    current: Option<i32>,
) -> Result<EditState<T>, AppError> {
    let form = EditState::refused(input, version, e, current)?;
    if form.rule.is_empty() {
        Ok(form)
    } else {
        Err(AppError::Rule(form.rule))
    }
}
