//! Figures under the disclosure rules as a page, a CSV and the council paper show them: the
//! 実人員 table (rows and columns that are all zero left out; a hidden cell is its mark, the
//! legend says why), the office statistics and the released issues by category. The same
//! shapes serve the region's view and an office's own paper.

use crate::kit::display::date;
use yorisoi_domain::disclosure::{Cell, Hidden, Table};
use yorisoi_store::region::{Figures, RegionIssue};

/// A table ready to draw: only the rows and columns that hold anybody (a zero row tells nothing
/// more by being left out).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableView {
    pub cols: Vec<String>,
    pub rows: Vec<RowView>,
    pub col_totals: Vec<String>,
    pub total: String,
    /// Why the whole table is hidden ("" when it is not).
    pub withheld: String,
    /// The marks used in the table and what they mean.
    pub legend: Vec<(String, String)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RowView {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

fn nonzero(c: &Cell) -> bool {
    c.value != Some(0)
}

impl TableView {
    pub fn new(t: &Table) -> Self {
        let keep_cols: Vec<usize> = (0..t.cols.len())
            .filter(|c| nonzero(&t.col_totals[*c]))
            .collect();
        let rows = (0..t.rows.len())
            .filter(|r| nonzero(&t.row_totals[*r]))
            .map(|r| RowView {
                label: t.rows[r].clone(),
                cells: keep_cols.iter().map(|c| t.cells[r][*c].text()).collect(),
                total: t.row_totals[r].text(),
            })
            .collect();
        TableView {
            cols: keep_cols.iter().map(|c| t.cols[*c].clone()).collect(),
            rows,
            col_totals: keep_cols.iter().map(|c| t.col_totals[*c].text()).collect(),
            total: t.total.text(),
            withheld: t
                .withheld
                .map(|h| h.label().to_string())
                .unwrap_or_default(),
            legend: legend(&t.reasons()),
        }
    }
}

/// The marks and their meaning, for the reasons given.
pub fn legend(reasons: &[Hidden]) -> Vec<(String, String)> {
    reasons
        .iter()
        .map(|h| (h.mark().to_string(), h.label().to_string()))
        .collect()
}

/// One statistic: its label and the figure or the mark.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatView {
    pub label: String,
    pub value: String,
    /// What the mark means ("" when shown).
    pub why: String,
}

/// Everything of a period's figures as the page and the paper draw them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FiguresView {
    pub period: String,
    pub offices: usize,
    pub people: TableView,
    pub stats: Vec<StatView>,
    /// (分類, 提起, 解決).
    pub categories: Vec<(String, i64, i64)>,
    pub categories_withheld: bool,
    pub empty: bool,
}

impl FiguresView {
    pub fn new(f: &Figures) -> Self {
        FiguresView {
            period: format!("{}〜{}", date(f.from), date(f.to)),
            offices: f.offices,
            people: TableView::new(&f.people),
            stats: f
                .stats
                .iter()
                .map(|s| StatView {
                    label: s.label.clone(),
                    value: match (&s.value, s.hidden) {
                        (Some(v), _) => v.clone(),
                        (None, Some(h)) => h.mark().to_string(),
                        (None, None) => String::new(),
                    },
                    why: s.hidden.map(|h| h.label().to_string()).unwrap_or_default(),
                })
                .collect(),
            categories: f
                .categories
                .iter()
                .map(|c| (c.category.label().to_string(), c.raised, c.resolved))
                .collect(),
            categories_withheld: f.categories_withheld,
            empty: f.empty,
        }
    }
}

/// A released issue as a line of a page, a CSV or the paper.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IssueLine {
    pub id: i64,
    pub office: String,
    pub title: String,
    pub category: String,
    pub status: String,
    pub need: String,
    pub resource: String,
    pub area: String,
    pub people: String,
    pub raised_on: String,
    pub released_on: String,
    pub council_reply: String,
    pub council_on: String,
}

impl IssueLine {
    pub fn new(i: &RegionIssue) -> Self {
        IssueLine {
            id: i.id,
            office: i.office.clone(),
            title: i.title.clone(),
            category: i.category.label().into(),
            status: i.status.label().into(),
            need: i.need.clone(),
            resource: i.resource.clone(),
            area: i.area.clone(),
            people: match i.people.value {
                Some(v) => format!("{v}人"),
                None => i.people.text(),
            },
            raised_on: date(i.raised_on),
            released_on: date(i.released_on),
            council_reply: i.council_reply.clone(),
            council_on: i.council_on.map(date).unwrap_or_default(),
        }
    }
}

/// The figures and issues as CSV rows (a heading line per block, a blank line between): what a
/// secretariat pastes into the council's own tables.
pub fn csv_rows(heading: &str, f: &FiguresView, issues: &[IssueLine]) -> Vec<Vec<String>> {
    let s = |x: &str| x.to_string();
    let mut out: Vec<Vec<String>> = vec![
        vec![s(heading)],
        vec![s("期間"), f.period.clone()],
        vec![s("集計した事業所数"), f.offices.to_string()],
        vec![],
        vec![s("実人員（障害種別×年齢階級）")],
    ];
    if !f.people.withheld.is_empty() {
        out.push(vec![s("表全体を表示しません"), f.people.withheld.clone()]);
    } else {
        let mut head = vec![s("障害種別")];
        head.extend(f.people.cols.iter().cloned());
        head.push(s("計"));
        out.push(head);
        for r in &f.people.rows {
            let mut line = vec![r.label.clone()];
            line.extend(r.cells.iter().cloned());
            line.push(r.total.clone());
            out.push(line);
        }
        let mut foot = vec![s("計（実人数）")];
        foot.extend(f.people.col_totals.iter().cloned());
        foot.push(f.people.total.clone());
        out.push(foot);
    }
    out.push(vec![]);
    out.push(vec![s("項目"), s("数"), s("表示しない理由")]);
    for st in &f.stats {
        out.push(vec![st.label.clone(), st.value.clone(), st.why.clone()]);
    }
    out.push(vec![]);
    out.push(vec![
        s("分類"),
        s("提起（期間中）"),
        s("解決（期間末まで）"),
    ]);
    for (c, r, d) in &f.categories {
        out.push(vec![c.clone(), r.to_string(), d.to_string()]);
    }
    out.push(vec![]);
    out.push(vec![
        s("番号"),
        s("事業所"),
        s("課題名"),
        s("分類"),
        s("状況"),
        s("満たされていないニーズ"),
        s("足りない社会資源"),
        s("圏域・地区"),
        s("人数"),
        s("提起日"),
        s("公開日"),
        s("協議会からの返信"),
        s("返信日"),
    ]);
    for i in issues {
        out.push(vec![
            i.id.to_string(),
            i.office.clone(),
            i.title.clone(),
            i.category.clone(),
            i.status.clone(),
            i.need.clone(),
            i.resource.clone(),
            i.area.clone(),
            i.people.clone(),
            i.raised_on.clone(),
            i.released_on.clone(),
            i.council_reply.clone(),
            i.council_on.clone(),
        ]);
    }
    out.push(vec![]);
    for (m, l) in legend(&[Hidden::FewPeople, Hidden::FewOffices, Hidden::Complement]) {
        out.push(vec![m, l]);
    }
    out
}
