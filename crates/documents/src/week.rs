//! 生活サイクル: the week as 月〜日 × 午前・午後・夜間, one cell per slot.

use crate::svg::{MIN_FONT, Svg, wrap};
use yorisoi_domain::assessment::{WEEKDAYS, WeekSlot};

const HEAD: f64 = 22.0;
const SIDE: f64 = 36.0;
const FONT: f64 = 11.0;
const LINE: f64 = MIN_FONT + 2.0;
/// A cell's words wrap up to this many lines before they are cut.
const LINES: usize = 5;

/// Draws the week for `width` px: the days share what the slot names leave, and the rows are
/// as tall as the longest cell needs.
pub fn week(cells: &[[String; 3]; 7], width: f64) -> String {
    let cell_w = (width - SIDE - 2.0) / 7.0;
    let texts: Vec<Vec<Vec<String>>> = cells
        .iter()
        .map(|d| {
            d.iter()
                .map(|t| wrap(t, cell_w - 6.0, MIN_FONT, LINES))
                .collect()
        })
        .collect();
    let most = texts
        .iter()
        .flat_map(|d| d.iter().map(Vec::len))
        .max()
        .unwrap_or(0)
        .max(2);
    let cell_h = 8.0 + most as f64 * LINE;
    let w = SIDE + 7.0 * cell_w + 2.0;
    let h = HEAD + 3.0 * cell_h + 2.0;
    let mut s = Svg::new(w, h, "week", "生活サイクル（1週間）");
    for (d, name) in WEEKDAYS.iter().enumerate() {
        let x = SIDE + d as f64 * cell_w;
        let fill = if d >= 5 { "#fbeaea" } else { "#eef2f7" };
        s.rect(
            x,
            0.0,
            cell_w,
            HEAD,
            &format!(r##"fill="{fill}" stroke="#999""##),
        );
        s.text(
            x + cell_w / 2.0,
            15.0,
            FONT,
            "middle",
            name,
            r#"font-weight="bold""#,
        );
    }
    for (i, slot) in WeekSlot::ALL.iter().enumerate() {
        let y = HEAD + i as f64 * cell_h;
        s.rect(0.0, y, SIDE, cell_h, r##"fill="#eef2f7" stroke="#999""##);
        s.text(
            SIDE / 2.0,
            y + cell_h / 2.0 + 4.0,
            FONT,
            "middle",
            slot.label(),
            "",
        );
        for (d, day) in cells.iter().enumerate() {
            let x = SIDE + d as f64 * cell_w;
            let text = &day[i];
            let lines = &texts[d][i];
            let fill = if text.is_empty() {
                "#ffffff"
            } else {
                "#e6f2e8"
            };
            s.rect(
                x,
                y,
                cell_w,
                cell_h,
                &format!(r##"fill="{fill}" stroke="#999" class="cell""##),
            );
            for (j, l) in lines.iter().enumerate() {
                let ty = y + 4.0 + MIN_FONT + j as f64 * LINE;
                s.text(x + 3.0, ty, MIN_FONT, "start", l, "");
            }
        }
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_one_cells_with_their_text() {
        let mut c: [[String; 3]; 7] = Default::default();
        c[0][0] = "B型事業所".into();
        c[6][2] = "母と電話".into();
        let svg = week(&c, 408.0);
        assert_eq!(svg.matches("class=\"cell\"").count(), 21);
        assert!(svg.contains("B型事業所") && svg.contains("母と電話"));
        assert!(svg.contains(">日<"));
    }
}
