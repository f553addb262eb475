//! Documents drawn from records: the genogram, ecomap, life history, day and week of an
//! assessment as SVG, and the printed forms (plan, weekly plan, monitoring report, meeting record,
//! assessment sheet, the easy-read plan, and for an inspection the 支援経過記録 of a period, the
//! intake, the closure with its evaluation and a decision-support record) as PDF through typst. Pure functions, data in and bytes
//! out, so they are tested on structure and stay true as the family and the network change.
#![forbid(unsafe_code)]

pub mod day;
pub mod docs;
pub mod ecomap;
pub mod fhir;
pub mod furigana;
pub mod genogram;
pub mod pdf;
pub mod plain;
pub mod plan_week;
pub mod svg;
pub mod templates;
pub mod timeline;
pub mod week;
