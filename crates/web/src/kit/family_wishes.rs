//! 家族の希望／家族の意向, one row per person (続柄, the name as on their consent, their words):
//! the same grid on the assessment's 希望 and the plan's 希望, read the same way.

use super::grid::{GridView, at, cell, grid, padded, row_count};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::assessment::FamilyWish;

/// The form's columns (every cell always submits, so the rows align).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Columns {
    pub fw_relation: Vec<String>,
    pub fw_name: Vec<String>,
    pub fw_words: Vec<String>,
}

impl Columns {
    pub fn rows(&self) -> Vec<FamilyWish> {
        let n = row_count(&[&self.fw_relation, &self.fw_name, &self.fw_words]);
        (0..n)
            .map(|i| FamilyWish {
                relation: at(&self.fw_relation, i),
                name: at(&self.fw_name, i),
                words: at(&self.fw_words, i),
            })
            .collect()
    }
}

/// The grid, with blank rows to add to. `whose`: 「家族の希望」 or 「家族の意向」.
pub fn view(rows: &[FamilyWish], whose: &str, e: &FieldErrors) -> GridView {
    let cells = padded(rows, 3, |w| {
        yorisoi_domain::text::all_blank([&w.relation, &w.name, &w.words])
    })
    .iter()
    .map(|w| {
        vec![
            cell("fw_relation", &w.relation, "text", "続柄"),
            cell("fw_name", &w.name, "text", "名前"),
            cell("fw_words", &w.words, "area", "言葉"),
        ]
    })
    .collect();
    let mut g = grid(
        &format!("{whose}（話した人ごと）"),
        "誰が何を話したかを1人1行で、言い換えずに書きます（本人の希望と違ってもそのまま）。名前は、その人の個人情報使用同意に書く名前と同じにします。計画を会議で共有するとき、同意を確かめるのはここに書いた人だけです。",
        &["続柄（例: 妻）", "名前", "話された言葉"],
        "family_wishes",
        cells,
        e,
    );
    g.stacked = true;
    g.grows = true;
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_as_rows_in_order() {
        let c = Columns {
            fw_relation: vec!["妻".into(), "".into()],
            fw_name: vec!["青木 洋子".into(), "".into()],
            fw_words: vec!["無理をしないで".into()],
        };
        let rows = c.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "青木 洋子");
        assert_eq!(rows[1], FamilyWish::default());
    }

    #[test]
    fn a_row_error_lands_on_its_row() {
        let mut e = FieldErrors::new();
        e.add("family_wishes[1].name", "誰の言葉か");
        let unnamed = FamilyWish {
            words: "心配です".into(),
            ..Default::default()
        };
        let g = view(&[FamilyWish::default(), unnamed], "家族の希望", &e);
        assert_eq!(g.rows.len(), 5);
        assert!(g.rows[1].error.contains("誰の言葉か"));
        assert!(g.rows[0].error.is_empty());
    }
}
