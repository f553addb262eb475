//! 本人開示: the cover of a person's whole file and the sections of the records that have no
//! form of their own. The program fills every text (already in the office's calendar); the
//! template only lays them out.

use super::{Common, Labelled};
use serde::Serialize;

/// The cover: who the file is for, the request it answers, and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct CoverDoc {
    #[serde(flatten)]
    pub common: Common,
    pub client_name: String,
    pub client_kana: String,
    /// The request and its answer: 請求を受けた日, 開示先, 方法, 作成者 …
    pub fields: Vec<Labelled>,
    /// What the file is and what it does not hold, for the person reading it.
    pub intro: String,
    /// Records per kind: 「モニタリング報告書」「6件」.
    pub counts: Vec<Labelled>,
    /// On every page's head, as for a shared document.
    pub shared_with: String,
}

/// A table of a section: its caption, column headings, relative widths and rows of text.
#[derive(Debug, Clone, Serialize)]
pub struct TableDoc {
    pub caption: String,
    pub columns: Vec<String>,
    /// One relative width per column (1 = one share of the line).
    pub widths: Vec<u8>,
    pub rows: Vec<Vec<String>>,
    /// What to print when there are no rows.
    pub empty: String,
}

/// A section of the file: a heading, an explanation, label–text pairs and tables.
#[derive(Debug, Clone, Serialize)]
pub struct SectionDoc {
    #[serde(flatten)]
    pub common: Common,
    pub client_name: String,
    pub heading: String,
    pub intro: String,
    pub fields: Vec<Labelled>,
    pub tables: Vec<TableDoc>,
    pub shared_with: String,
}
