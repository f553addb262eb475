//! Templates per document kind: the built-in 標準 layout compiled into the program, and any
//! number of others as files `<dir>/<kind>/<name>.typ` (a municipality's own form), chosen per
//! office. Adding one needs no Rust: see docs/templates.md.

use crate::docs::DocKind;
use std::borrow::Cow;
use std::path::PathBuf;

/// The built-in layout's name.
pub const STANDARD: &str = "standard";

fn builtin(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Plan => include_str!("../templates/plan/standard.typ"),
        DocKind::Week => include_str!("../templates/week/standard.typ"),
        DocKind::EasyPlan => include_str!("../templates/easy_plan/standard.typ"),
        DocKind::Monitoring => include_str!("../templates/monitoring/standard.typ"),
        DocKind::Meeting => include_str!("../templates/meeting/standard.typ"),
        DocKind::Assessment => include_str!("../templates/assessment/standard.typ"),
        DocKind::Notes => include_str!("../templates/notes/standard.typ"),
        DocKind::Intake => include_str!("../templates/intake/standard.typ"),
        DocKind::Closure => include_str!("../templates/closure/standard.typ"),
        DocKind::Decision => include_str!("../templates/decision/standard.typ"),
        DocKind::Council => include_str!("../templates/council/standard.typ"),
    }
}

/// A template name is a file stem: ASCII letters, digits, '-' and '_' (no paths).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    /// `dir` holds one folder per kind (`plan/`, `week/`, …) of `.typ` files; `None` for the
    /// built-in layouts only.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// The names an office can choose for `kind`: 標準 first, then the files, sorted.
    pub fn names(&self, kind: DocKind) -> Vec<String> {
        let mut out = vec![STANDARD.to_string()];
        if let Some(dir) = &self.dir
            && let Ok(rd) = std::fs::read_dir(dir.join(kind.code()))
        {
            let mut found: Vec<String> = rd
                .flatten()
                .filter_map(|e| {
                    let p = e.path();
                    (p.extension()? == "typ")
                        .then(|| p.file_stem()?.to_str().map(str::to_string))
                        .flatten()
                })
                .filter(|n| valid_name(n) && n != STANDARD)
                .collect();
            found.sort();
            out.extend(found);
        }
        out
    }

    /// The source of `name` for `kind`; the built-in layout when `name` is 標準 or its file has
    /// gone (so that printing never stops because a file was removed).
    pub fn source(&self, kind: DocKind, name: &str) -> Cow<'static, str> {
        if name != STANDARD
            && valid_name(name)
            && let Some(dir) = &self.dir
            && let Ok(s) =
                std::fs::read_to_string(dir.join(kind.code()).join(format!("{name}.typ")))
        {
            return Cow::Owned(s);
        }
        Cow::Borrowed(builtin(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_list_the_files_of_the_kind_and_refuse_paths() {
        let dir = std::env::temp_dir().join(format!("yorisoi-templates-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("plan")).unwrap();
        std::fs::write(dir.join("plan/m-city.typ"), "#let render(d) = [M市]").unwrap();
        std::fs::write(dir.join("plan/notes.txt"), "x").unwrap();
        let t = Templates::new(Some(dir.clone()));
        assert_eq!(t.names(DocKind::Plan), vec!["standard", "m-city"]);
        assert_eq!(t.names(DocKind::Week), vec!["standard"]);
        assert!(t.source(DocKind::Plan, "m-city").contains("M市"));
        assert!(t.source(DocKind::Plan, "gone").contains("利用者氏名"));
        assert!(!valid_name("../plan/m-city"));
        assert!(
            t.source(DocKind::Plan, "../plan/m-city")
                .contains("利用者氏名")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
