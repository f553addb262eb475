//! The shape of this crate, checked: modules only import downwards (docs/web.md). Reads the
//! sources, so a new import that makes a circle fails here with the modules named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The names after `needle` in `text` (`crate::pages::clients::…` → `clients`).
fn referenced(text: &str, needle: &str) -> BTreeSet<String> {
    text.match_indices(needle)
        .map(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// Page module → the page modules its files import.
fn page_graph() -> BTreeMap<String, BTreeSet<String>> {
    let pages = src().join("pages");
    let mut files = Vec::new();
    sources(&pages, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&pages).unwrap_or(&f);
        let first = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if first == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let mut deps = referenced(&text, "crate::pages::");
        // A top-level file's `super::x` is a sibling page module.
        if rel.components().count() == 1 {
            deps.extend(referenced(&text, "super::"));
        }
        deps.remove(&first);
        graph.entry(first).or_default().extend(deps);
    }
    graph
}

fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn page_modules_import_each_other_without_a_circle() {
    let g = page_graph();
    assert!(g.contains_key("clients"), "the pages were read: {g:?}");
    assert_eq!(cycle(&g), None, "page modules in a circle");
}

#[test]
fn the_layers_below_the_pages_never_import_a_page() {
    let mut files = Vec::new();
    for below in ["kit", "auth", "api"] {
        sources(&src().join(below), &mut files);
    }
    for f in [
        "error.rs",
        "state.rs",
        "trace.rs",
        "jobs.rs",
        "drawings.rs",
        "security.rs",
    ] {
        files.push(src().join(f));
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // The API shares a page's view model only through kit; it may read a page's form types.
        let pages = referenced(&text, "crate::pages::");
        let allowed = f.starts_with(src().join("api"));
        assert!(
            allowed || pages.is_empty(),
            "{} imports pages {pages:?}",
            f.display()
        );
        assert!(
            !text.contains("crate::views"),
            "{} imports the old views module",
            f.display()
        );
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("a".into());
    assert_eq!(cycle(&g), Some(vec!["a".into(), "b".into(), "a".into()]));
    g.get_mut("b").map(|s| s.clear());
    assert_eq!(cycle(&g), None);
}
