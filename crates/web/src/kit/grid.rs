//! The parts every edit screen is made of: plain fields and row grids (one record per row, with
//! blank rows to add to; emptying a row removes it). Works without JavaScript; the rows align
//! because every cell always submits. `form_body.html` draws them.

use std::collections::HashMap;
use yorisoi_domain::FieldErrors;

pub type Choice = (String, String, bool);

/// One entry of the office's directory as a choice on a form (plan rows, the ecomap).
pub struct ResourceOption {
    pub id: String,
    pub name: String,
    /// The name with its service type, as listed.
    pub label: String,
    /// 福祉 / 他制度 / インフォーマル, to guess the ecomap's kind of tie.
    pub category: yorisoi_domain::plan::ServiceCategory,
}

/// The directory as select options, first "not from the list".
pub fn resource_choices(options: &[ResourceOption], selected: &str) -> Vec<Choice> {
    let mut v = vec![(
        String::new(),
        "（一覧から選ばない）".to_string(),
        selected.is_empty(),
    )];
    v.extend(
        options
            .iter()
            .map(|o| (o.id.clone(), o.label.clone(), o.id == selected)),
    );
    v
}

pub struct FieldView {
    pub name: String,
    pub label: String,
    pub value: String,
    pub hint: String,
    /// text, area, date, select
    pub kind: &'static str,
    pub options: Vec<Choice>,
    pub rows: u8,
    pub error: String,
    /// The person's own words: shown as a quotation.
    pub words: bool,
}

pub struct CellView {
    pub name: String,
    pub value: String,
    /// text, area, select, hidden
    pub kind: &'static str,
    pub options: Vec<Choice>,
    pub label: String,
}

pub struct RowView {
    /// `{section}-{i}` (the error summary links to `f-{id}`), or "" for a row without one.
    pub id: String,
    pub label: String,
    pub cells: Vec<CellView>,
    pub error: String,
}

pub struct GridView {
    /// The section the grid's fields are named after (the error summary links to `f-{id}`).
    pub id: String,
    pub title: String,
    pub hint: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub error: String,
    /// Each row as a card of labelled fields (for rows too wide for a tablet's table).
    pub stacked: bool,
    /// Rows can be added in the page (「行を追加」, shown only when JavaScript runs): a blank
    /// row is copied with its values cleared.
    pub grows: bool,
}

impl GridView {
    /// Offers 「行を追加」 (with JavaScript) besides the blank rows.
    pub fn growing(mut self) -> Self {
        self.grows = true;
        self
    }
}

/// Form fields by name, every value in submitted order.
pub struct Submitted(HashMap<String, Vec<String>>);

impl Submitted {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_default().push(v);
        }
        Submitted(m)
    }
    pub fn one(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }
    pub fn col(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }
    /// Rows of several columns; a short column reads as empty cells.
    pub fn rows<const N: usize>(&self, names: [&str; N]) -> Vec<[String; N]> {
        let cols: Vec<Vec<String>> = names.iter().map(|n| self.col(n)).collect();
        let n = cols.iter().map(|c| c.len()).max().unwrap_or(0);
        (0..n)
            .map(|i| std::array::from_fn(|j| cols[j].get(i).cloned().unwrap_or_default()))
            .collect()
    }
}

pub fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    current: &str,
    blank: Option<&str>,
) -> Vec<Choice> {
    let mut v: Vec<Choice> = blank
        .map(|b| vec![(String::new(), b.to_string(), current.is_empty())])
        .unwrap_or_default();
    v.extend(
        all.iter()
            .map(|t| (code(*t).into(), label(*t).into(), code(*t) == current)),
    );
    v
}

pub fn yes_no(current: &str) -> Vec<Choice> {
    let yes = current == "yes";
    vec![
        ("no".into(), "いいえ".into(), !yes),
        ("yes".into(), "はい".into(), yes),
    ]
}

pub fn field(
    name: &str,
    label: &str,
    value: &str,
    kind: &'static str,
    hint: &str,
    e: &FieldErrors,
) -> FieldView {
    FieldView {
        name: name.into(),
        label: label.into(),
        value: value.into(),
        hint: hint.into(),
        kind,
        options: Vec::new(),
        rows: if kind == "area" { 4 } else { 1 },
        error: e.get(name).unwrap_or("").into(),
        words: false,
    }
}

pub fn cell(name: &str, value: &str, kind: &'static str, label: &str) -> CellView {
    CellView {
        name: name.into(),
        value: value.into(),
        kind,
        options: Vec::new(),
        label: label.into(),
    }
}

pub fn select(name: &str, options: Vec<Choice>, label: &str) -> CellView {
    CellView {
        name: name.into(),
        value: String::new(),
        kind: "select",
        options,
        label: label.into(),
    }
}

/// Messages of row `i` of `section`, joined.
pub fn row_error(e: &FieldErrors, section: &str, i: usize) -> String {
    let prefix = format!("{section}[{i}]");
    e.0.iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn grid(
    title: &str,
    hint: &str,
    columns: &[&str],
    section: &str,
    rows: Vec<Vec<CellView>>,
    e: &FieldErrors,
) -> GridView {
    GridView {
        id: section.into(),
        title: title.into(),
        hint: hint.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| RowView {
                id: format!("{section}-{i}"),
                label: String::new(),
                cells,
                error: row_error(e, section, i),
            })
            .collect(),
        error: e.get(section).unwrap_or("").into(),
        stacked: false,
        grows: false,
    }
}

/// The rows typed plus `extra` blank ones (without JavaScript these are all the rows a save can
/// add, so grids offer several). Blank rows at the end of a refused form (`blank` tells, from
/// what a person types, not selects or keys) are dropped first, so a form refused twice does
/// not grow by `extra` each time.
pub fn padded<T: Default + Clone>(v: &[T], extra: usize, blank: impl Fn(&T) -> bool) -> Vec<T> {
    let typed = v.iter().rposition(|r| !blank(r)).map_or(0, |i| i + 1);
    let mut out = v[..typed].to_vec();
    out.extend(std::iter::repeat_n(T::default(), extra));
    out
}

/// How many rows parallel columns make (a short column reads as empty cells).
pub fn row_count(columns: &[&Vec<String>]) -> usize {
    columns.iter().map(|c| c.len()).max().unwrap_or(0)
}

/// Cell `i` of a submitted column, or "" when the column is short.
pub fn at(column: &[String], i: usize) -> String {
    column.get(i).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_replaces_the_blank_rows_at_the_end_rather_than_adding_to_them() {
        let blank = |r: &String| r.trim().is_empty();
        let typed = vec!["a".to_string(), String::new(), "b".to_string()];
        assert_eq!(padded(&typed, 2, blank).len(), 5);
        let refused = padded(&typed, 2, blank);
        assert_eq!(padded(&refused, 2, blank), refused);
        assert_eq!(padded(&[String::new(), " ".into()], 3, blank).len(), 3);
    }
}
