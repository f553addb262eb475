//! PDF through typst used as a library. A document is a template (a typst file that defines
//! `render(d)`) and data (one JSON value per record); the fonts are compiled into the program so
//! that a fresh machine prints the same pages.
//!
//! The engine parses the fonts once; typst memoises layout between compilations, so a warm
//! document costs milliseconds.

use crate::docs::DocKind;
use std::sync::{LazyLock, Mutex};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// IPAex Gothic (IPA Font License) covers JIS X 0208 and most names; the subset of Noto Sans CJK
/// JP (SIL OFL) adds what IPAex lacks of JIS X 0213, CJK Extension B (𠮷) and the compatibility
/// ideographs. See fonts/README.md.
static FONT_FILES: [&[u8]; 2] = [
    include_bytes!("../fonts/ipaexg.ttf"),
    include_bytes!("../fonts/NotoSansCJKjp-Rare.otf"),
];

/// The helpers every template may import as `/yorisoi.typ`.
pub const HELPERS: &str = include_str!("../templates/yorisoi.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template does not compile or fails on the data; the message is typst's, for the
    /// person who wrote the template.
    #[error("テンプレートを処理できませんでした: {0}")]
    Template(String),
    #[error("PDFを書き出せませんでした: {0}")]
    Export(String),
    #[error("データを変換できませんでした: {0}")]
    Data(String),
}

struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|b| Font::iter(Bytes::new(*b)))
        .collect();
    Engine {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// Typst's caches are global; one compilation at a time keeps memory flat and lets the next one
/// reuse the last one's layout (two cores here; PDFs are not the hot path).
static COMPILE: Mutex<()> = Mutex::new(());

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|e| PdfError::Data(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

const MAIN: &str = r#"#import "/template.typ": render
#let docs = json("/data.json")
#set document(title: docs.at(0, default: (:)).at("title", default: none))
#set text(font: ("IPAexGothic", "Noto Sans CJK JP"), lang: "ja", region: "jp", size: 9pt)
#set par(justify: false)
#for (i, d) in docs.enumerate() {
  if i > 0 { pagebreak(weak: true) }
  counter(page).update(1)
  render(d)
  [#metadata(i) <doc-end>]
}
"#;

struct DocWorld {
    main: Source,
    /// The templates and helpers the main file imports.
    sources: Vec<Source>,
    data_id: FileId,
    data: Bytes,
    today: chrono::NaiveDate,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &ENGINE.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &ENGINE.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        std::iter::once(&self.main)
            .chain(&self.sources)
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        self.source(id)
            .map(|s| Bytes::from_string(s.text().to_string()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        ENGINE.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        use chrono::Datelike;
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}

fn describe(world: &DocWorld, errors: &[SourceDiagnostic]) -> String {
    use typst::WorldExt;
    errors
        .iter()
        .take(3)
        .map(|e| {
            let line = world
                .range(e.span)
                .and_then(|r| {
                    let src = world.source(e.span.id()?).ok()?;
                    Some(src.text()[..r.start.min(src.text().len())].lines().count())
                })
                .map(|l| format!("{l}行目: "))
                .unwrap_or_default();
            format!("{line}{}", e.message)
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Renders `docs` (one value per record, each given to the template's `render`) as one PDF:
/// page numbers restart for each record.
pub fn render(
    template: &str,
    docs: &[serde_json::Value],
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(docs).map_err(|e| PdfError::Data(e.to_string()))?;
    let world = DocWorld {
        main: Source::new(file_id("/main.typ")?, MAIN.to_string()),
        sources: vec![
            Source::new(file_id("/template.typ")?, template.to_string()),
            Source::new(file_id("/yorisoi.typ")?, HELPERS.to_string()),
        ],
        data_id: file_id("/data.json")?,
        data: Bytes::new(data),
        today,
    };
    compile(&world)
}

fn compile(world: &DocWorld) -> Result<Vec<u8>, PdfError> {
    let _one = COMPILE.lock().unwrap_or_else(|p| p.into_inner());
    let doc: PagedDocument = typst::compile(world)
        .output
        .map_err(|e| PdfError::Template(describe(world, &e)))?;
    let options = typst_pdf::PdfOptions {
        creator: typst::foundations::Smart::Custom(Some("yorisoi".into())),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Export(describe(world, &e)))
}

/// The built-in template of a person's whole file: its cover with the contents, and the
/// sections of records that have no form of their own (ledger, certificates, team, consents,
/// disclosures, the audit events).
pub const PERSON_FILE: &str = include_str!("../templates/person_file.typ");

/// One part of a bundle: a record for its kind's template, or (kind `None`) a section for
/// [`PERSON_FILE`]'s `section`. `title` is its line in the contents.
pub struct Part {
    pub kind: Option<DocKind>,
    pub title: String,
    pub doc: serde_json::Value,
}

/// Renders a person's whole file as one PDF: `cover` (given the parts' titles) with the
/// contents, then every part with its template from `template_of` (the office's choice per
/// kind), page numbers restarting per part as in a batch. The contents give each part's page
/// in the whole file and link to it.
pub fn render_bundle(
    cover: serde_json::Value,
    parts: &[Part],
    template_of: impl Fn(DocKind) -> String,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let mut kinds: Vec<DocKind> = Vec::new();
    for k in parts.iter().filter_map(|p| p.kind) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let mut main = String::from("#import \"/person_file.typ\" as pf\n");
    let mut sources = vec![
        Source::new(file_id("/person_file.typ")?, PERSON_FILE.to_string()),
        Source::new(file_id("/yorisoi.typ")?, HELPERS.to_string()),
    ];
    for k in &kinds {
        let path = format!("/t/{}.typ", k.code());
        main.push_str(&format!("#import \"{path}\" as k_{}\n", k.code()));
        sources.push(Source::new(file_id(&path)?, template_of(*k)));
    }
    let mut dispatch = String::from("if p.kind == \"section\" { pf.section(p.doc) }");
    for k in &kinds {
        dispatch.push_str(&format!(
            " else if p.kind == \"{0}\" {{ k_{0}.render(p.doc) }}",
            k.code()
        ));
    }
    main.push_str(&format!(
        r#"#let data = json("/data.json")
#set document(title: data.cover.at("title", default: none))
#set text(font: ("IPAexGothic", "Noto Sans CJK JP"), lang: "ja", region: "jp", size: 9pt)
#set par(justify: false)
#pf.cover(data.cover, data.parts.map(p => p.title))
#for (i, p) in data.parts.enumerate() {{
  pagebreak(weak: true)
  counter(page).update(1)
  [#metadata(i) <part-start>]
  {dispatch}
  [#metadata(i) <doc-end>]
}}
"#
    ));
    let data = serde_json::json!({
        "cover": cover,
        "parts": parts.iter().map(|p| serde_json::json!({
            "kind": p.kind.map(DocKind::code).unwrap_or("section"),
            "title": p.title,
            "doc": p.doc,
        })).collect::<Vec<_>>(),
    });
    let data = serde_json::to_vec(&data).map_err(|e| PdfError::Data(e.to_string()))?;
    let world = DocWorld {
        main: Source::new(file_id("/main.typ")?, main),
        sources,
        data_id: file_id("/data.json")?,
        data: Bytes::new(data),
        today,
    };
    compile(&world)
}

/// Renders one record.
pub fn render_one<T: serde::Serialize>(
    template: &str,
    doc: &T,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let v = serde_json::to_value(doc).map_err(|e| PdfError::Data(e.to_string()))?;
    render(template, &[v], today)
}
