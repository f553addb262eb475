//! 生活サイクル: the week as 月〜日 × 午前・午後・夜間, one cell per slot.

use crate::svg::{Svg, wrap};
use yorisoi_domain::assessment::{WEEKDAYS, WeekSlot};

const CELL_W: f64 = 96.0;
const CELL_H: f64 = 58.0;
const HEAD: f64 = 24.0;
const SIDE: f64 = 48.0;

pub fn week(cells: &[[String; 3]; 7]) -> String {
    let w = SIDE + 7.0 * CELL_W + 2.0;
    let h = HEAD + 3.0 * CELL_H + 2.0;
    let mut s = Svg::new(w, h, "week", "生活サイクル（1週間）");
    for (d, name) in WEEKDAYS.iter().enumerate() {
        let x = SIDE + d as f64 * CELL_W;
        let fill = if d >= 5 { "#fbeaea" } else { "#eef2f7" };
        s.rect(
            x,
            0.0,
            CELL_W,
            HEAD,
            &format!(r##"fill="{fill}" stroke="#999""##),
        );
        s.text(
            x + CELL_W / 2.0,
            16.0,
            12.0,
            "middle",
            name,
            r#"font-weight="bold""#,
        );
    }
    for (i, slot) in WeekSlot::ALL.iter().enumerate() {
        let y = HEAD + i as f64 * CELL_H;
        s.rect(0.0, y, SIDE, CELL_H, r##"fill="#eef2f7" stroke="#999""##);
        s.text(
            SIDE / 2.0,
            y + CELL_H / 2.0 + 4.0,
            12.0,
            "middle",
            slot.label(),
            "",
        );
        for (d, day) in cells.iter().enumerate() {
            let x = SIDE + d as f64 * CELL_W;
            let text = &day[i];
            let fill = if text.is_empty() {
                "#ffffff"
            } else {
                "#e6f2e8"
            };
            s.rect(
                x,
                y,
                CELL_W,
                CELL_H,
                &format!(r##"fill="{fill}" stroke="#999" class="cell""##),
            );
            for (j, l) in wrap(text, CELL_W - 8.0, 11.0, 3).iter().enumerate() {
                s.text(x + 4.0, y + 15.0 + j as f64 * 14.0, 11.0, "start", l, "");
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
        let svg = week(&c);
        assert_eq!(svg.matches("class=\"cell\"").count(), 21);
        assert!(svg.contains("B型事業所") && svg.contains("母と電話"));
        assert!(svg.contains(">日<"));
    }
}
