//! 生活歴: dated events on a line of years, with the person's age at each, labels stacked so
//! that none covers another.

use crate::svg::{Rect, Svg, first_overlap, text_width};
use chrono::{Datelike, NaiveDate};
use yorisoi_domain::assessment::LifeEvent;

const WIDTH: f64 = 960.0;
const MARGIN: f64 = 36.0;
const FONT: f64 = 11.5;
const LEVEL_H: f64 = 34.0;
const LEVELS: usize = 8;

#[derive(Debug, Clone)]
pub struct Layout {
    pub axis_y: f64,
    pub labels: Vec<Rect>,
    pub height: f64,
    pub from: i32,
    pub to: i32,
}

/// The age at an event: with its month, one less while the birthday's month has not come (born
/// 5月12日, in 2007年4月 she was 18, not 19); a year alone gives the age reached that year.
fn age_at(e: &LifeEvent, birth: NaiveDate) -> i32 {
    let before_birthday = e.month.is_some_and(|m| m < birth.month());
    e.year - birth.year() - i32::from(before_birthday)
}

fn label(e: &LifeEvent, birth: Option<NaiveDate>) -> (String, String) {
    let when = match (e.month, birth) {
        (Some(m), Some(b)) => format!("{}年{}月（{}歳）", e.year, m, age_at(e, b)),
        (None, Some(b)) => format!("{}年（{}歳）", e.year, age_at(e, b)),
        (Some(m), None) => format!("{}年{}月", e.year, m),
        (None, None) => format!("{}年", e.year),
    };
    (when, e.event.clone())
}

fn x_of(year: f64, from: i32, to: i32) -> f64 {
    let span = (to - from).max(1) as f64;
    MARGIN + (year - from as f64) / span * (WIDTH - 2.0 * MARGIN)
}

fn year_pos(e: &LifeEvent) -> f64 {
    e.year as f64 + e.month.map(|m| (m as f64 - 0.5) / 12.0).unwrap_or(0.5)
}

/// Chooses a row for each label, above the axis first, nearest rows first.
pub fn layout(events: &[LifeEvent], birth: Option<NaiveDate>, now_year: i32) -> Layout {
    let from = birth
        .map(|b| b.year())
        .into_iter()
        .chain(events.iter().map(|e| e.year))
        .min()
        .unwrap_or(now_year);
    let to = events
        .iter()
        .map(|e| e.year + 1)
        .chain([now_year + 1])
        .max()
        .unwrap_or(now_year + 1);
    let axis_y = 20.0 + LEVELS as f64 / 2.0 * LEVEL_H + 10.0;
    let mut rows_end = [f64::MIN; LEVELS];
    let mut labels = Vec::new();
    for e in events {
        let (a, b) = label(e, birth);
        let w = text_width(&a, FONT).max(text_width(&b, FONT)) + 8.0;
        let x = x_of(year_pos(e), from, to);
        let left = (x - 4.0).clamp(4.0, WIDTH - w - 4.0);
        // Rows alternate above and below, nearest the axis first.
        let order = [0usize, 4, 1, 5, 2, 6, 3, 7];
        let row = order
            .iter()
            .copied()
            .find(|r| rows_end[*r] + 6.0 <= left)
            .unwrap_or_else(|| {
                let mut best = 0;
                for r in 0..LEVELS {
                    if rows_end[r] < rows_end[best] {
                        best = r;
                    }
                }
                best
            });
        let left = left.max(rows_end[row] + 6.0);
        rows_end[row] = left + w;
        let y = if row < 4 {
            axis_y - 14.0 - (row as f64 + 1.0) * LEVEL_H + 4.0
        } else {
            axis_y + 32.0 + (row - 4) as f64 * LEVEL_H
        };
        labels.push(Rect {
            x: left,
            y,
            w,
            h: LEVEL_H - 6.0,
        });
    }
    Layout {
        axis_y,
        labels,
        height: axis_y + 32.0 + 4.0 * LEVEL_H + 6.0,
        from,
        to,
    }
}

/// Draws the life history. `birth` gives the ages.
pub fn timeline(events: &[LifeEvent], birth: Option<NaiveDate>, now_year: i32) -> String {
    let lay = layout(events, birth, now_year);
    let width = WIDTH.max(
        lay.labels
            .iter()
            .map(|l| l.x + l.w + 4.0)
            .fold(0.0, f64::max),
    );
    let mut s = Svg::new(width, lay.height, "timeline", "生活歴");
    let y = lay.axis_y;
    s.line(
        MARGIN,
        y,
        WIDTH - MARGIN,
        y,
        r##"stroke="#333" stroke-width="2""##,
    );
    let span = lay.to - lay.from;
    let step = if span > 60 {
        10
    } else if span > 25 {
        5
    } else {
        2
    };
    let first = (lay.from + step - 1) / step * step;
    let mut t = first;
    while t <= lay.to {
        let x = x_of(t as f64, lay.from, lay.to);
        s.line(x, y - 4.0, x, y + 4.0, r##"stroke="#333""##);
        s.text(
            x,
            y + 16.0,
            10.0,
            "middle",
            &t.to_string(),
            r##"fill="#444""##,
        );
        if let Some(b) = birth {
            s.text(
                x,
                y + 27.0,
                9.5,
                "middle",
                &format!("{}歳", t - b.year()),
                r##"fill="#777""##,
            );
        }
        t += step;
    }
    if events.is_empty() {
        s.text(
            WIDTH / 2.0,
            y - 20.0,
            13.0,
            "middle",
            "生活歴はまだ入力されていません",
            r##"fill="#666""##,
        );
    }
    // Leader lines first, so that no line crosses another event's label.
    for (e, r) in events.iter().zip(&lay.labels) {
        let x = x_of(year_pos(e), lay.from, lay.to);
        let ly = if r.y < y { r.y + r.h } else { r.y };
        s.line(x, y, r.x + 4.0, ly, r##"stroke="#999" stroke-width="1""##);
    }
    for (e, r) in events.iter().zip(&lay.labels) {
        let x = x_of(year_pos(e), lay.from, lay.to);
        let (a, b) = label(e, birth);
        s.open_group(r#"class="event""#);
        s.circle(
            x,
            y,
            4.5,
            r##"fill="#3b6fb6" stroke="#fff" stroke-width="1""##,
        );
        s.rect(
            r.x,
            r.y,
            r.w,
            r.h,
            r##"rx="4" fill="#fff" stroke="#c8d3e3""##,
        );
        s.text(
            r.x + 4.0,
            r.y + 12.0,
            10.0,
            "start",
            &a,
            r##"fill="#3b6fb6""##,
        );
        s.text(r.x + 4.0, r.y + 25.0, FONT, "start", &b, r##"fill="#111""##);
        s.close_group();
    }
    s.finish()
}

/// Whether any two labels overlap (for tests and for the sheet's own checks).
pub fn has_overlap(l: &Layout) -> bool {
    first_overlap(&l.labels).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(year: i32, event: &str) -> LifeEvent {
        LifeEvent {
            year,
            month: None,
            event: event.into(),
        }
    }

    #[test]
    fn ages_and_every_event_are_drawn() {
        let events = vec![
            ev(1996, "出生"),
            ev(2003, "小学校入学"),
            ev(2016, "発病"),
            ev(2017, "入院"),
            ev(2018, "退院・GH入居"),
        ];
        let born = NaiveDate::from_ymd_opt(1996, 1, 10);
        let svg = timeline(&events, born, 2026);
        assert_eq!(svg.matches("class=\"event\"").count(), 5);
        assert!(svg.contains("2016年（20歳）"));
        assert!(svg.contains("退院・GH入居"));
        assert_eq!(svg, timeline(&events, born, 2026));
    }

    #[test]
    fn ages_respect_the_month_of_birth() {
        let born = NaiveDate::from_ymd_opt(1988, 5, 12);
        let at = |month| LifeEvent {
            year: 2007,
            month,
            event: "就職".into(),
        };
        let svg = timeline(&[at(Some(4))], born, 2026);
        assert!(svg.contains("2007年4月（18歳）"), "{svg}");
        assert!(timeline(&[at(Some(6))], born, 2026).contains("2007年6月（19歳）"));
        assert!(timeline(&[at(None)], born, 2026).contains("2007年（19歳）"));
    }

    #[test]
    fn crowded_years_do_not_overlap() {
        let events: Vec<LifeEvent> = (0..20)
            .map(|i| ev(2010 + i / 4, "同じ頃の出来事"))
            .collect();
        let lay = layout(&events, NaiveDate::from_ymd_opt(1990, 4, 1), 2026);
        assert!(!has_overlap(&lay));
        let svg = timeline(&[], None, 2026);
        assert!(svg.contains("まだ入力されていません"));
    }
}
