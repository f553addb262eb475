//! 日課: a day from 0:00 to 24:00 as a bar, each activity lasting until the next one, with the
//! times and activities beside it.

use crate::svg::Svg;
use chrono::Timelike;
use yorisoi_domain::assessment::DayEntry;

const HOUR: f64 = 19.0;
const TOP: f64 = 16.0;
const BAR_X: f64 = 44.0;
const BAR_W: f64 = 26.0;
const COLOURS: [&str; 6] = [
    "#dff0e2", "#e0ebfa", "#fff1cc", "#fde3e3", "#ece2f6", "#e8f4f4",
];

fn y_of(minutes: u32) -> f64 {
    TOP + minutes as f64 / 60.0 * HOUR
}

pub fn day(entries: &[DayEntry]) -> String {
    let height = TOP * 2.0 + 24.0 * HOUR;
    let mut s = Svg::new(300.0, height, "day", "日課");
    for h in (0..=24).step_by(3) {
        let y = y_of(h * 60);
        s.text(
            BAR_X - 6.0,
            y + 4.0,
            10.0,
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
    let mut last_y = f64::MIN;
    for (e, m) in entries.iter().zip(&mins) {
        let y = y_of(*m);
        let ly = (y + 4.0).max(last_y + 14.0);
        s.open_group(r#"class="activity""#);
        s.line(
            BAR_X + BAR_W,
            y,
            BAR_X + BAR_W + 12.0,
            ly - 4.0,
            r##"stroke="#999""##,
        );
        s.text(
            BAR_X + BAR_W + 16.0,
            ly,
            11.5,
            "start",
            &format!("{} {}", e.time.format("%H:%M"), e.activity),
            r##"fill="#111""##,
        );
        s.close_group();
        last_y = ly;
    }
    if entries.is_empty() {
        s.text(
            150.0,
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
        let svg = day(&entries);
        assert_eq!(svg.matches("class=\"activity\"").count(), 5);
        let a = svg.find("06:30 起床").unwrap_or(usize::MAX);
        let b = svg.find("22:00 就寝").unwrap_or(0);
        assert!(a < b);
        // 就寝 wraps over midnight: one extra block.
        assert_eq!(svg.matches("stroke-width=\"0.6\"").count(), 6);
    }
}
