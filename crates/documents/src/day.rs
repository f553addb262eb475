//! 日課: a day from 0:00 to 24:00 as a bar, each activity lasting until the next one, with the
//! times and activities beside it.

use crate::svg::{MIN_FONT, Svg, text_width, wrap};
use chrono::Timelike;
use yorisoi_domain::assessment::DayEntry;

const HOUR: f64 = 13.0;
const TOP: f64 = 12.0;
const BAR_X: f64 = 38.0;
const BAR_W: f64 = 22.0;
const FONT: f64 = 11.0;
const LINE: f64 = FONT + 2.0;
/// Where the activities' words start.
const TEXT_X: f64 = BAR_X + BAR_W + 14.0;
const COLOURS: [&str; 6] = [
    "#dff0e2", "#e0ebfa", "#fff1cc", "#fde3e3", "#ece2f6", "#e8f4f4",
];

fn y_of(minutes: u32) -> f64 {
    TOP + minutes as f64 / 60.0 * HOUR
}

/// Draws the day for `width` px; an activity too long for the line wraps (up to
/// three lines).
pub fn day(entries: &[DayEntry], width: f64) -> String {
    let text_w = width - TEXT_X - 4.0;
    let texts: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let time = format!("{} ", e.time.format("%H:%M"));
            let mut lines = wrap(&format!("{time}{}", e.activity), text_w, FONT, 3);
            // Only the first line carries the time; the second starts under the words.
            if lines.len() > 1 {
                let rest: String = lines[1..].concat();
                let indent = text_width(&time, FONT);
                lines = std::iter::once(lines[0].clone())
                    .chain(wrap(&rest, text_w - indent, FONT, 2))
                    .collect();
            }
            lines
        })
        .collect();
    // Labels follow their times, pushed down when the one above needs the room.
    let mut ys = Vec::with_capacity(entries.len());
    let mut next_free = f64::MIN;
    for (e, lines) in entries.iter().zip(&texts) {
        let y = (y_of(e.time.hour() * 60 + e.time.minute()) + 4.0).max(next_free);
        ys.push(y);
        next_free = y + lines.len() as f64 * LINE + 1.0;
    }
    let height = (TOP * 2.0 + 24.0 * HOUR).max(next_free - LINE + 8.0);
    let mut s = Svg::new(width, height, "day", "日課");
    for h in (0..=24).step_by(3) {
        let y = y_of(h * 60);
        s.text(
            BAR_X - 6.0,
            y + 4.0,
            MIN_FONT,
            "end",
            &format!("{h}:00"),
            r##"fill="#555""##,
        );
        s.line(BAR_X, y, BAR_X + BAR_W, y, r##"stroke="#bbb""##);
    }
    s.rect(
        BAR_X,
        TOP,
        BAR_W,
        24.0 * HOUR,
        r##"fill="#fafafa" stroke="#999""##,
    );
    let mins: Vec<u32> = entries
        .iter()
        .map(|e| e.time.hour() * 60 + e.time.minute())
        .collect();
    for (i, _) in entries.iter().enumerate() {
        let start = mins[i];
        let end = mins.get(i + 1).copied().unwrap_or(24 * 60);
        let colour = COLOURS[i % COLOURS.len()];
        let attrs = format!(r##"fill="{colour}" stroke="#888" stroke-width="0.6""##);
        s.rect(BAR_X, y_of(start), BAR_W, y_of(end) - y_of(start), &attrs);
        // The last activity carries on past midnight to the first of the morning.
        if i + 1 == entries.len() && mins.first().is_some_and(|f| *f > 0) {
            s.rect(BAR_X, y_of(0), BAR_W, y_of(mins[0]) - y_of(0), &attrs);
        }
    }
    for ((e, m), (lines, ly)) in entries.iter().zip(&mins).zip(texts.iter().zip(&ys)) {
        let y = y_of(*m);
        s.open_group(r#"class="activity""#);
        s.line(
            BAR_X + BAR_W,
            y,
            TEXT_X - 4.0,
            ly - 4.0,
            r##"stroke="#999""##,
        );
        let indent = text_width(&format!("{} ", e.time.format("%H:%M")), FONT);
        for (j, l) in lines.iter().enumerate() {
            let x = if j == 0 { TEXT_X } else { TEXT_X + indent };
            s.text(
                x,
                ly + j as f64 * LINE,
                FONT,
                "start",
                l,
                r##"fill="#111""##,
            );
        }
        s.close_group();
    }
    if entries.is_empty() {
        s.text(
            width / 2.0,
            height / 2.0,
            12.0,
            "middle",
            "日課はまだ入力されていません",
            r##"fill="#666""##,
        );
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn every_activity_is_labelled_in_order() {
        let e = |h, m, a: &str| DayEntry {
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default(),
            activity: a.into(),
        };
        let entries = vec![
            e(6, 30, "起床"),
            e(7, 0, "朝食"),
            e(7, 10, "服薬"),
            e(9, 0, "B型事業所"),
            e(22, 0, "就寝"),
        ];
        let svg = day(&entries, 276.0);
        assert_eq!(svg.matches("class=\"activity\"").count(), 5);
        let a = svg.find("06:30 起床").unwrap_or(usize::MAX);
        let b = svg.find("22:00 就寝").unwrap_or(0);
        assert!(a < b);
        // 就寝 wraps over midnight: one extra block.
        assert_eq!(svg.matches("stroke-width=\"0.6\"").count(), 6);
    }

    #[test]
    fn a_long_activity_wraps_and_pushes_the_next_down() {
        let e = |h, m, a: &str| DayEntry {
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default(),
            activity: a.into(),
        };
        let svg = day(
            &[
                e(7, 0, "起床・母が声をかけて着替えを手伝う"),
                e(7, 15, "朝食"),
            ],
            276.0,
        );
        assert!(!svg.contains('…'), "{svg}");
        assert!(svg.contains("07:00 起床") && svg.contains("朝食"));
        assert!(crate::svg::font_sizes(&svg).iter().all(|f| *f >= MIN_FONT));
        // The second line of 7:00 sits above 7:15's label.
        let ys: Vec<f64> = svg
            .split("<text x=\"")
            .skip(1)
            .filter(|t| t.contains("start"))
            .filter_map(|t| t.split("y=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(ys.len(), 3, "{svg}");
        assert!(ys[0] < ys[1] && ys[1] < ys[2]);
    }
}
