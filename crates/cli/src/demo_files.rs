//! The files providers send back for the demo (DOMAIN.md §3.6): a provider's 個別支援計画 as a
//! small real PDF, made in-process with the documents crate (typst, fonts embedded) so that it
//! opens in any viewer and `pdftotext` reads its Japanese.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use serde::Serialize;

/// A provider's 個別支援計画, as the provider wrote it.
#[derive(Serialize)]
pub struct ProviderPlan<'a> {
    pub provider: &'a str,
    pub service: &'a str,
    pub person: &'a str,
    pub made_on: String,
    pub manager: &'a str,
    pub wish: &'a str,
    pub goal: &'a str,
    /// (支援内容, 頻度・時間, 担当)
    pub rows: Vec<(&'a str, &'a str, &'a str)>,
    pub period: &'a str,
}

const TEMPLATE: &str = r#"
#let render(d) = {
  set page(paper: "a4", margin: 16mm)
  align(center, text(size: 15pt, tracking: 0.2em)[個別支援計画書])
  v(4pt)
  align(right)[#d.provider（#d.service）]
  v(6pt)
  table(
    columns: (28mm, 1fr, 28mm, 1fr),
    inset: 5pt,
    [利用者氏名], [#d.person 様], [作成日], [#d.made_on],
    [サービス管理責任者], [#d.manager], [計画期間], [#d.period],
  )
  v(6pt)
  table(
    columns: (28mm, 1fr),
    inset: 5pt,
    [本人の希望], [#d.wish],
    [支援目標], [#d.goal],
  )
  v(6pt)
  table(
    columns: (1fr, 36mm, 30mm),
    inset: 5pt,
    table.header([支援内容], [頻度・時間], [担当]),
    ..d.rows.map(r => (r.at(0), r.at(1), r.at(2))).flatten(),
  )
  v(10pt)
  [上記の計画について説明を受け、同意しました。]
  v(6pt)
  [同意日　#d.made_on　　　本人署名　#d.person]
}
"#;

/// The PDF of a provider's plan.
pub fn provider_plan_pdf(p: &ProviderPlan<'_>, today: NaiveDate) -> Result<Vec<u8>> {
    yorisoi_documents::pdf::render_one(TEMPLATE, p, today).map_err(|e| anyhow!("demo PDF: {e}"))
}
