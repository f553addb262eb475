//! Statistical disclosure control for figures that leave an office: the council paper and a
//! region's view across offices (DOMAIN.md §3.13a). The rules are the ones used for national
//! welfare data: no published cell under 10 people, no figure from fewer than 3 offices, ages
//! in 5-year bands ([`crate::region::age_band`]), at most three dimensions per table (a table
//! here has two, 障害種別 × 年齢階級, and at most one filter, the area).
//!
//! A hidden cell must not be recoverable by subtraction: in every line of a table (a row with
//! its total, a column with its total, the totals with the grand total) either nothing is
//! hidden or at least two entries are ([`Table::build`] hides more until that holds).

use crate::client::DisabilityKind;
use serde::Serialize;
use std::collections::BTreeSet;

/// The smallest number of people a published cell may count.
pub const MIN_PEOPLE: i64 = 10;
/// The fewest offices a published figure of a region may come from.
pub const MIN_OFFICES: usize = 3;

/// The thresholds a table is built with: a region's (10 people, 3 offices) or an office's own
/// paper (10 people; every figure is the office's own, so the office rule does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub min_people: i64,
    pub min_offices: usize,
}

impl Rules {
    pub const REGION: Rules = Rules {
        min_people: MIN_PEOPLE,
        min_offices: MIN_OFFICES,
    };
    pub const OFFICE: Rules = Rules {
        min_people: MIN_PEOPLE,
        min_offices: 1,
    };
}

/// Why a figure is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Hidden {
    /// Fewer than 10 people (and more than none).
    FewPeople,
    /// From fewer than 3 offices.
    FewOffices,
    /// Hidden so that another hidden figure cannot be worked out by subtraction.
    Complement,
}

impl Hidden {
    pub fn label(self) -> &'static str {
        match self {
            Hidden::FewPeople => "10人未満のため表示しません",
            Hidden::FewOffices => "3事業所未満の数字のため表示しません",
            Hidden::Complement => "ほかの非表示の数が差し引きで分からないよう表示しません",
        }
    }
    /// The short mark printed in a table's cell.
    pub fn mark(self) -> &'static str {
        match self {
            Hidden::FewPeople => "＊",
            Hidden::FewOffices => "＊＊",
            Hidden::Complement => "＊＊＊",
        }
    }
}

/// A published figure: the number, or why it is not shown (never both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Cell {
    pub value: Option<i64>,
    pub hidden: Option<Hidden>,
}

impl Cell {
    pub fn shown(value: i64) -> Self {
        Self {
            value: Some(value),
            hidden: None,
        }
    }
    pub fn hide(why: Hidden) -> Self {
        Self {
            value: None,
            hidden: Some(why),
        }
    }
    /// What a table prints: the number or the mark.
    pub fn text(&self) -> String {
        match (self.value, self.hidden) {
            (Some(v), _) => v.to_string(),
            (None, Some(h)) => h.mark().to_string(),
            (None, None) => String::new(),
        }
    }
    pub fn is_hidden(&self) -> bool {
        self.hidden.is_some()
    }
}

/// A count before any rule: how many, and from how many offices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raw {
    pub count: i64,
    pub offices: BTreeSet<i64>,
}

impl Raw {
    pub fn add(&mut self, office: i64) {
        self.count += 1;
        self.offices.insert(office);
    }
}

/// The rule for one figure on its own: 0 is shown (nobody is identified by nobody), 1–9 people
/// are hidden, and so is a figure from too few offices.
pub fn primary(raw: &Raw, rules: Rules) -> Cell {
    if raw.count == 0 {
        Cell::shown(0)
    } else if raw.count < rules.min_people {
        Cell::hide(Hidden::FewPeople)
    } else if raw.offices.len() < rules.min_offices {
        Cell::hide(Hidden::FewOffices)
    } else {
        Cell::shown(raw.count)
    }
}

/// A two-dimensional table of people with its margins, the rules applied.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Table {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub col_totals: Vec<Cell>,
    pub total: Cell,
    /// Why the whole table is hidden, when it is (a filter that leaves too few offices).
    pub withheld: Option<Hidden>,
}

/// Where an entry of a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Cell(usize, usize),
    Row(usize),
    Col(usize),
    Total,
}

/// The raw counts of a table, before the rules.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<Raw>>,
    pub row_totals: Vec<Raw>,
    pub col_totals: Vec<Raw>,
    pub total: Raw,
}

impl Table {
    /// Applies the rules: each figure on its own, then the complement until no line of the
    /// table has exactly one hidden entry. A table whose figures come from fewer offices than
    /// the rule allows is hidden whole.
    pub fn build(raw: &RawTable, rules: Rules) -> Table {
        let (nr, nc) = (raw.rows.len(), raw.cols.len());
        if raw.total.count > 0 && raw.total.offices.len() < rules.min_offices {
            let h = Cell::hide(Hidden::FewOffices);
            return Table {
                rows: raw.rows.clone(),
                cols: raw.cols.clone(),
                cells: vec![vec![h; nc]; nr],
                row_totals: vec![h; nr],
                col_totals: vec![h; nc],
                total: h,
                withheld: Some(Hidden::FewOffices),
            };
        }
        let mut t = Table {
            rows: raw.rows.clone(),
            cols: raw.cols.clone(),
            cells: raw
                .cells
                .iter()
                .map(|r| r.iter().map(|c| primary(c, rules)).collect())
                .collect(),
            row_totals: raw.row_totals.iter().map(|c| primary(c, rules)).collect(),
            col_totals: raw.col_totals.iter().map(|c| primary(c, rules)).collect(),
            total: primary(&raw.total, rules),
            withheld: None,
        };
        let count = |at: At| -> i64 {
            match at {
                At::Cell(r, c) => raw.cells[r][c].count,
                At::Row(r) => raw.row_totals[r].count,
                At::Col(c) => raw.col_totals[c].count,
                At::Total => raw.total.count,
            }
        };
        loop {
            let mut changed = false;
            for line in lines(nr, nc) {
                let hidden = line.iter().filter(|at| t.get(**at).is_hidden()).count();
                if hidden != 1 {
                    continue;
                }
                // Hide the smallest figure still shown that is not 0 (a 0 tells nothing more);
                // when only zeros are left, the line's total goes.
                let next = line
                    .iter()
                    .filter(|at| !t.get(**at).is_hidden() && count(**at) > 0)
                    .min_by_key(|at| count(**at))
                    .copied();
                if let Some(at) = next {
                    t.set(at, Cell::hide(Hidden::Complement));
                    changed = true;
                }
            }
            if !changed {
                return t;
            }
        }
    }

    fn get(&self, at: At) -> Cell {
        match at {
            At::Cell(r, c) => self.cells[r][c],
            At::Row(r) => self.row_totals[r],
            At::Col(c) => self.col_totals[c],
            At::Total => self.total,
        }
    }

    fn set(&mut self, at: At, v: Cell) {
        match at {
            At::Cell(r, c) => self.cells[r][c] = v,
            At::Row(r) => self.row_totals[r] = v,
            At::Col(c) => self.col_totals[c] = v,
            At::Total => self.total = v,
        }
    }

    /// Every figure of the table, margins included.
    pub fn all(&self) -> impl Iterator<Item = &Cell> {
        self.cells
            .iter()
            .flatten()
            .chain(&self.row_totals)
            .chain(&self.col_totals)
            .chain(std::iter::once(&self.total))
    }

    /// The lines in which at most one entry is hidden while others are shown: empty when the
    /// complement rule holds (what the tests assert).
    pub fn lines_with_one_hidden(&self) -> usize {
        lines(self.rows.len(), self.cols.len())
            .into_iter()
            .filter(|line| line.iter().filter(|at| self.get(**at).is_hidden()).count() == 1)
            .count()
    }

    /// The reasons that occur in the table, for the legend under it.
    pub fn reasons(&self) -> Vec<Hidden> {
        let mut out: Vec<Hidden> = Vec::new();
        for c in self.all() {
            if let Some(h) = c.hidden
                && !out.contains(&h)
            {
                out.push(h);
            }
        }
        out
    }
}

/// The lines of an nr × nc table with margins: each row with its total, each column with its
/// total, the row totals with the grand total, the column totals with the grand total.
fn lines(nr: usize, nc: usize) -> Vec<Vec<At>> {
    let mut out = Vec::new();
    for r in 0..nr {
        let mut l: Vec<At> = (0..nc).map(|c| At::Cell(r, c)).collect();
        l.push(At::Row(r));
        out.push(l);
    }
    for c in 0..nc {
        let mut l: Vec<At> = (0..nr).map(|r| At::Cell(r, c)).collect();
        l.push(At::Col(c));
        out.push(l);
    }
    let mut l: Vec<At> = (0..nr).map(At::Row).collect();
    l.push(At::Total);
    out.push(l);
    let mut l: Vec<At> = (0..nc).map(At::Col).collect();
    l.push(At::Total);
    out.push(l);
    out
}

/// One person counted: the office that supports them, their 障害種別 (a person with two counts
/// in both rows; the row totals are people, so they may add up to more than the total) and
/// their age band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub office: i64,
    pub kinds: Vec<DisabilityKind>,
    pub band: &'static str,
}

/// The last row of [`people_table`]: people with no 障害種別 recorded.
pub const UNRECORDED: &str = "記載なし";

/// 実人員 by 障害種別 × 年齢階級, rows and columns in their fixed order (every kind, every band),
/// so that a table never changes shape with the data.
pub fn people_table(people: &[Counted], rules: Rules) -> Table {
    let kinds: Vec<DisabilityKind> = DisabilityKind::ALL.to_vec();
    let bands = crate::region::age_bands();
    // A person with no 障害種別 recorded counts in a last row, so that every column's total is
    // at most the sum of its cells.
    let nr = kinds.len() + 1;
    let mut rows: Vec<String> = kinds.iter().map(|k| k.label().to_string()).collect();
    rows.push(UNRECORDED.into());
    let mut raw = RawTable {
        rows,
        cols: bands.iter().map(|b| b.to_string()).collect(),
        cells: vec![vec![Raw::default(); bands.len()]; nr],
        row_totals: vec![Raw::default(); nr],
        col_totals: vec![Raw::default(); bands.len()],
        total: Raw::default(),
    };
    for p in people {
        let Some(c) = bands.iter().position(|b| *b == p.band) else {
            continue;
        };
        raw.total.add(p.office);
        raw.col_totals[c].add(p.office);
        if p.kinds.is_empty() {
            raw.cells[nr - 1][c].add(p.office);
            raw.row_totals[nr - 1].add(p.office);
        }
        let mut seen = Vec::new();
        for k in &p.kinds {
            if seen.contains(k) {
                continue;
            }
            seen.push(*k);
            if let Some(r) = kinds.iter().position(|x| x == k) {
                raw.cells[r][c].add(p.office);
                raw.row_totals[r].add(p.office);
            }
        }
    }
    Table::build(&raw, rules)
}

/// A single figure (a count of people, plans or monitorings) under the rules.
pub fn figure(count: i64, offices: &BTreeSet<i64>, rules: Rules) -> Cell {
    primary(
        &Raw {
            count,
            offices: offices.clone(),
        },
        rules,
    )
}

/// A figure that names no person (the number of specialists, of one-person offices, a rate):
/// only the office rule applies.
pub fn office_figure(value: i64, offices: usize, rules: Rules) -> Cell {
    if offices < rules.min_offices {
        Cell::hide(Hidden::FewOffices)
    } else {
        Cell::shown(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(count: i64, offices: &[i64]) -> Raw {
        Raw {
            count,
            offices: offices.iter().copied().collect(),
        }
    }

    #[test]
    fn one_figure_under_ten_or_from_two_offices_is_hidden_and_zero_is_shown() {
        assert_eq!(primary(&raw(0, &[]), Rules::REGION), Cell::shown(0));
        assert_eq!(
            primary(&raw(9, &[1, 2, 3]), Rules::REGION),
            Cell::hide(Hidden::FewPeople)
        );
        assert_eq!(
            primary(&raw(40, &[1, 2]), Rules::REGION),
            Cell::hide(Hidden::FewOffices)
        );
        assert_eq!(primary(&raw(40, &[1, 2]), Rules::OFFICE), Cell::shown(40));
        assert_eq!(
            primary(&raw(10, &[1, 2, 3]), Rules::REGION),
            Cell::shown(10)
        );
    }

    #[test]
    fn a_lone_hidden_cell_takes_the_smallest_other_of_its_row_and_column_with_it() {
        // 2 × 2: one cell of 3 people; its row and column each lose their next smallest.
        let o = [1, 2, 3];
        let t = Table::build(
            &RawTable {
                rows: vec!["a".into(), "b".into()],
                cols: vec!["x".into(), "y".into()],
                cells: vec![
                    vec![raw(3, &o), raw(20, &o)],
                    vec![raw(15, &o), raw(30, &o)],
                ],
                row_totals: vec![raw(23, &o), raw(45, &o)],
                col_totals: vec![raw(18, &o), raw(50, &o)],
                total: raw(68, &o),
            },
            Rules::REGION,
        );
        assert_eq!(t.cells[0][0], Cell::hide(Hidden::FewPeople));
        assert_eq!(t.cells[0][1], Cell::hide(Hidden::Complement));
        assert_eq!(t.cells[1][0], Cell::hide(Hidden::Complement));
        assert_eq!(t.cells[1][1], Cell::hide(Hidden::Complement));
        assert_eq!(t.total, Cell::shown(68));
        assert_eq!(t.lines_with_one_hidden(), 0);
    }

    #[test]
    fn a_table_from_two_offices_is_withheld_whole() {
        let p: Vec<Counted> = (0..40)
            .map(|i| Counted {
                office: i % 2,
                kinds: vec![DisabilityKind::ALL[0]],
                band: "20〜24歳",
            })
            .collect();
        let t = people_table(&p, Rules::REGION);
        assert_eq!(t.withheld, Some(Hidden::FewOffices));
        assert!(t.all().all(|c| c.value.is_none()));
        // The office's own paper shows its 40.
        let t = people_table(&p, Rules::OFFICE);
        assert_eq!(t.total, Cell::shown(40));
    }

    fn arb_people() -> impl Strategy<Value = Vec<Counted>> {
        let bands = crate::region::age_bands();
        let kinds = DisabilityKind::ALL.to_vec();
        prop::collection::vec(
            (
                0i64..6,
                prop::sample::subsequence(kinds, 0..=2),
                prop::sample::select(bands),
            ),
            0..400,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(office, kinds, band)| Counted {
                    office,
                    kinds,
                    band,
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the people: no shown figure under 10 but 0, none from fewer than 3
        /// offices, and no line with a single hidden figure.
        #[test]
        fn no_table_shows_a_small_cell_or_lets_one_be_subtracted(people in arb_people()) {
            let t = people_table(&people, Rules::REGION);
            for (r, row) in t.cells.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let k = DisabilityKind::ALL.get(r);
                    let band = t.cols[c].as_str();
                    let who: Vec<&Counted> = people
                        .iter()
                        .filter(|p| p.band == band && match k {
                            Some(k) => p.kinds.contains(k),
                            None => p.kinds.is_empty(),
                        })
                        .collect();
                    if let Some(v) = cell.value {
                        prop_assert_eq!(v, who.len() as i64);
                        let offices: BTreeSet<i64> = who.iter().map(|p| p.office).collect();
                        prop_assert!(v == 0 || (v >= MIN_PEOPLE && offices.len() >= MIN_OFFICES));
                    }
                }
            }
            for c in t.all() {
                prop_assert!(c.value.is_none() != c.hidden.is_none());
                if let Some(v) = c.value {
                    prop_assert!(v == 0 || v >= MIN_PEOPLE);
                }
            }
            prop_assert_eq!(t.lines_with_one_hidden(), 0);
        }
    }
}
