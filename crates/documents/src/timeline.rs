//! 生活歴: dated events on a line of years, with the person's age at each, labels stacked so
//! that none covers another.
//!
//! The axis is laid out for the width it prints in. Years pass at one even pace, except where
//! events crowd: there two neighbouring events are kept at least [`GAP`] apart, and the
//! stretched span is shaded with its months ticked (four events of one year — accident,
//! hospital, rehabilitation, discharge — are the heart of a case and must not collapse into a
//! dot at the end of a 38-year line).

use crate::svg::{MIN_FONT, Rect, Svg, first_overlap, text_width, wrap};
use chrono::{Datelike, NaiveDate};
use yorisoi_domain::assessment::LifeEvent;

const MARGIN: f64 = 18.0;
/// The event's words; the date line above them is [`MIN_FONT`].
const FONT: f64 = 11.0;
/// Beyond this the event's words wrap (up to [`LINES`] lines) rather than widen the label.
const TEXT_W: f64 = 124.0;
const LINES: usize = 3;
/// The least room between two events' points on the axis.
pub const GAP: f64 = 30.0;
/// Room between the axis and the nearest labels: above for the dots, below for years and ages.
const ABOVE: f64 = 12.0;
const BELOW: f64 = 34.0;
const ROW_GAP: f64 = 5.0;

#[derive(Debug, Clone)]
pub struct Layout {
    pub axis_y: f64,
    pub labels: Vec<Rect>,
    /// Each event's point on the axis.
    pub points: Vec<f64>,
    pub width: f64,
    pub height: f64,
    pub from: i32,
    pub to: i32,
    axis: Axis,
    /// The stretched spans, as (from, to) in years.
    zoomed: Vec<(f64, f64)>,
    texts: Vec<(String, Vec<String>)>,
}

/// A piecewise-linear map from years to x: knots at the events, even pace between them except
/// where a gap had to be widened.
#[derive(Debug, Clone)]
struct Axis {
    knots: Vec<(f64, f64)>,
}

impl Axis {
    fn x(&self, t: f64) -> f64 {
        let k = &self.knots;
        let i = k.partition_point(|(kt, _)| *kt <= t);
        let (a, b) = match i {
            0 => (0, 1),
            i if i >= k.len() => (k.len().saturating_sub(2), k.len() - 1),
            i => (i - 1, i),
        };
        let ((t0, x0), (t1, x1)) = (k[a], k[b.min(k.len() - 1)]);
        if (t1 - t0).abs() < 1e-9 {
            return x0;
        }
        x0 + (t - t0) / (t1 - t0) * (x1 - x0)
    }

    /// Knots at `times` (sorted, the first and last are the axis' ends) over `[x0, x1]`: gaps
    /// between events get at least `GAP`, the rest share what is left at one pace.
    fn fit(times: &[f64], x0: f64, x1: f64) -> (Axis, Vec<(f64, f64)>) {
        let len = x1 - x0;
        let gaps: Vec<(f64, f64)> = times
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let interior = i > 0 && i + 2 < times.len();
                (w[1] - w[0], if interior { GAP } else { 0.0 })
            })
            .collect();
        let total = |pace: f64| gaps.iter().map(|(dt, m)| m.max(pace * dt)).sum::<f64>();
        let least = total(0.0);
        let (pace, squeeze) = if least >= len {
            // More events than room: every gap gets an equal share of what there is.
            (0.0, len / least.max(1e-9))
        } else {
            let span: f64 = gaps.iter().map(|(dt, _)| dt).sum();
            let (mut lo, mut hi) = (0.0, len / span.max(1e-9));
            for _ in 0..60 {
                let mid = (lo + hi) / 2.0;
                if total(mid) > len { hi = mid } else { lo = mid }
            }
            (lo, 1.0)
        };
        let mut knots = vec![(times[0], x0)];
        let mut zoomed: Vec<(f64, f64)> = Vec::new();
        let mut x = x0;
        for (w, (dt, m)) in times.windows(2).zip(&gaps) {
            let even = pace * dt;
            let l = m.max(even) * squeeze;
            x += l;
            knots.push((w[1], x));
            if *m > 0.0 && *m > even + 0.5 {
                match zoomed.last_mut() {
                    Some(z) if (z.1 - w[0]).abs() < 1e-9 => z.1 = w[1],
                    _ => zoomed.push((w[0], w[1])),
                }
            }
        }
        (Axis { knots }, zoomed)
    }
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

/// Where each event sits in time: its month's middle, or, with the year alone, the year shared
/// out in the order entered (their order within the year is all that is known).
fn times(events: &[LifeEvent]) -> Vec<f64> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| match e.month {
            Some(m) => e.year as f64 + (m.clamp(1, 12) as f64 - 0.5) / 12.0,
            None => {
                let same: Vec<usize> = (0..events.len())
                    .filter(|j| events[*j].year == e.year && events[*j].month.is_none())
                    .collect();
                let k = same.iter().position(|j| *j == i).unwrap_or(0);
                e.year as f64 + (k as f64 + 0.5) / same.len() as f64
            }
        })
        .collect()
}

/// One side of the axis: rows of labels, nearest first.
#[derive(Default)]
struct Side {
    /// Per row, the x-spans taken.
    rows: Vec<Vec<(f64, f64)>>,
    /// Leaders already drawn: (row, x).
    leaders: Vec<(usize, f64)>,
}

impl Side {
    /// The nearest row where a label over `[l, r]` with its leader at `x` covers no label and
    /// no leader, and its own leader crosses no nearer label; none when a nearer label covers
    /// the point itself.
    fn row_for(&self, l: f64, r: f64, x: f64) -> Option<usize> {
        (0..=self.rows.len()).find(|j| {
            let free =
                |row: &Vec<(f64, f64)>| row.iter().all(|(a, b)| r + 6.0 <= *a || *b + 6.0 <= l);
            self.rows.get(*j).is_none_or(free)
                && self
                    .leaders
                    .iter()
                    .all(|(row, lx)| *row <= *j || *lx < l - 2.0 || *lx > r + 2.0)
                && self.rows[..*j]
                    .iter()
                    .all(|row| row.iter().all(|(a, b)| x < *a - 1.0 || x > *b + 1.0))
        })
    }

    fn take(&mut self, row: usize, l: f64, r: f64, x: f64) {
        while self.rows.len() <= row {
            self.rows.push(Vec::new());
        }
        self.rows[row].push((l, r));
        self.leaders.push((row, x));
    }
}

/// Lays the life history out for `width` px: the axis' pace, each label's row above or below.
pub fn layout(events: &[LifeEvent], birth: Option<NaiveDate>, now_year: i32, width: f64) -> Layout {
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
    let ts = times(events);
    let mut knots_t: Vec<f64> = ts.clone();
    knots_t.push(from as f64);
    knots_t.push(to as f64);
    knots_t.sort_by(f64::total_cmp);
    knots_t.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let texts: Vec<(String, Vec<String>)> = events
        .iter()
        .map(|e| {
            let (when, what) = label(e, birth);
            (when, wrap(&what, TEXT_W, FONT, LINES))
        })
        .collect();
    let sizes: Vec<(f64, f64)> = texts
        .iter()
        .map(|(when, lines)| {
            let w = lines
                .iter()
                .map(|l| text_width(l, FONT))
                .fold(text_width(when, MIN_FONT), f64::max)
                + 8.0;
            (w, 8.0 + MIN_FONT + 2.0 + lines.len() as f64 * (FONT + 2.0))
        })
        .collect();
    // The axis ends short of the right edge by what the last labels need: each label reaches
    // rightwards from its point, and one pushed back from the edge would cover its neighbours'
    // leaders.
    let mut right = width - MARGIN;
    let (mut axis, mut zoomed) = Axis::fit(&knots_t, MARGIN, right);
    for _ in 0..12 {
        let over = ts
            .iter()
            .zip(&sizes)
            .map(|(t, (w, _))| axis.x(*t) - 4.0 + w - (width - 2.0))
            .fold(0.0, f64::max);
        if over < 0.5 || right - over < width / 2.0 {
            break;
        }
        right -= over;
        (axis, zoomed) = Axis::fit(&knots_t, MARGIN, right);
    }
    let points: Vec<f64> = ts.iter().map(|t| axis.x(*t)).collect();
    // Right to left: a label reaches rightwards from its point, so a label placed later (to
    // the left) stacks outside the ones it would cover and its leader passes beside them.
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|a, b| points[*b].total_cmp(&points[*a]).then(b.cmp(a)));
    let mut sides = [Side::default(), Side::default()];
    let mut placed: Vec<(usize, usize, f64)> = vec![(0, 0, 0.0); events.len()];
    for i in order {
        let (w, _) = sizes[i];
        let x = points[i];
        // Reaching right from the point, or left when that finds a nearer row (a staircase
        // of labels all reaching right grows one row per event).
        let lefts = [
            (x - 4.0).clamp(2.0, (width - w - 2.0).max(2.0)),
            (x + 4.0 - w).clamp(2.0, (width - w - 2.0).max(2.0)),
        ];
        let count = |s: &Side| s.leaders.len();
        let mut best: Option<(bool, usize, usize, usize, usize)> = None;
        for (side, s) in sides.iter().enumerate() {
            for (k, l) in lefts.iter().enumerate() {
                // Reaching left only over empty axis: the events to the left are placed later
                // and their leaders must get past.
                let covers = |p: &f64| *p > l - 1.0 && *p < x - 1.0;
                if k == 1 && points.iter().any(covers) {
                    continue;
                }
                // A row found first, then the nearest, then reaching right, then the emptier
                // side; with none found, a new row (its leader then passes under a label).
                let found = s.row_for(*l, l + w, x);
                let row = found.unwrap_or(s.rows.len());
                let key = (found.is_none(), row, k, count(s), side);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        let (_, row, k, _, side) = best.unwrap_or((false, 0, 0, 0, 0));
        let l = lefts[k];
        sides[side].take(row, l, l + w, x);
        placed[i] = (side, row, l);
    }
    // Each row as tall as its tallest label.
    let row_h = |side: usize| -> Vec<f64> {
        (0..sides[side].rows.len())
            .map(|r| {
                placed
                    .iter()
                    .zip(&sizes)
                    .filter(|((s, row, _), _)| *s == side && *row == r)
                    .map(|(_, (_, h))| *h)
                    .fold(0.0, f64::max)
            })
            .collect()
    };
    let (above, below) = (row_h(0), row_h(1));
    let above_h: f64 = above.iter().map(|h| h + ROW_GAP).sum();
    let below_h: f64 = below.iter().map(|h| h + ROW_GAP).sum();
    let axis_y = 6.0 + above_h + ABOVE;
    let labels = placed
        .iter()
        .zip(&sizes)
        .map(|((side, row, l), (w, h))| {
            let y = if *side == 0 {
                let off: f64 = above[..*row].iter().map(|h| h + ROW_GAP).sum();
                axis_y - ABOVE - off - h
            } else {
                let off: f64 = below[..*row].iter().map(|h| h + ROW_GAP).sum();
                axis_y + BELOW + off
            };
            Rect {
                x: *l,
                y,
                w: *w,
                h: *h,
            }
        })
        .collect();
    let note = if zoomed.is_empty() {
        0.0
    } else {
        MIN_FONT + 6.0
    };
    Layout {
        axis_y,
        labels,
        points,
        width,
        height: axis_y + BELOW + below_h + note + 4.0,
        from,
        to,
        axis,
        zoomed,
        texts,
    }
}

/// Draws the life history for `width` px.
pub fn timeline(
    events: &[LifeEvent],
    birth: Option<NaiveDate>,
    now_year: i32,
    width: f64,
) -> String {
    let lay = layout(events, birth, now_year, width);
    let height = if events.is_empty() {
        lay.height + 30.0
    } else {
        lay.height
    };
    let mut s = Svg::new(width, height, "timeline", "生活歴");
    let y = if events.is_empty() {
        lay.axis_y + 30.0
    } else {
        lay.axis_y
    };
    let x = |t: f64| lay.axis.x(t);
    // Stretched spans first, under everything, with their months ticked.
    for (a, b) in &lay.zoomed {
        let (xa, xb) = (x(*a) - 6.0, x(*b) + 6.0);
        s.rect(
            xa,
            y - 9.0,
            xb - xa,
            18.0,
            r##"fill="#e3ecf8" class="zoomed""##,
        );
        let first = (a * 12.0).floor() as i64;
        let last = (b * 12.0).ceil() as i64;
        let mut last_x = f64::MIN;
        for m in first..=last {
            let mx = x(m as f64 / 12.0);
            // Where months are closer than 4 px a tick is left out rather than blur into a bar.
            if mx >= xa && mx <= xb && mx - last_x >= 4.0 {
                last_x = mx;
                s.line(
                    mx,
                    y - 5.0,
                    mx,
                    y + 5.0,
                    r##"stroke="#8aa3c8" stroke-width="0.8""##,
                );
            }
        }
    }
    s.line(
        x(lay.from as f64),
        y,
        x(lay.to as f64),
        y,
        r##"stroke="#333" stroke-width="2""##,
    );
    // Years: a tick for each where there is room, a label where it does not crowd the last;
    // tens first, then fives, then any year (those of a stretched span come in at this pass).
    let px_per_year =
        (x(lay.to as f64) - x(lay.from as f64)) / f64::from((lay.to - lay.from).max(1));
    let mut shown: Vec<f64> = Vec::new();
    let mut years: Vec<(i32, f64)> = Vec::new();
    for step in [10, 5, 1] {
        for t in lay.from..=lay.to {
            if t % step != 0 && t != lay.from {
                continue;
            }
            let tx = x(t as f64);
            if shown.iter().all(|sx| (sx - tx).abs() >= 40.0) {
                shown.push(tx);
                years.push((t, tx));
            }
        }
    }
    for t in lay.from..=lay.to {
        let tx = x(t as f64);
        if px_per_year >= 4.0 || years.iter().any(|(yt, _)| *yt == t) {
            s.line(tx, y - 4.0, tx, y + 4.0, r##"stroke="#333""##);
        }
    }
    years.sort_by_key(|(t, _)| *t);
    for (t, tx) in &years {
        s.text(
            *tx,
            y + 15.0,
            MIN_FONT,
            "middle",
            &t.to_string(),
            r##"fill="#444""##,
        );
        if let Some(b) = birth {
            s.text(
                *tx,
                y + 27.0,
                MIN_FONT,
                "middle",
                &format!("{}歳", t - b.year()),
                r##"fill="#777""##,
            );
        }
    }
    if events.is_empty() {
        s.text(
            width / 2.0,
            y - 20.0,
            13.0,
            "middle",
            "生活歴はまだ入力されていません",
            r##"fill="#666""##,
        );
    }
    // Leader lines first, so that a label sits on its own line's end.
    for (px, r) in lay.points.iter().zip(&lay.labels) {
        let ly = if r.y < y { r.y + r.h } else { r.y };
        let lx = px.clamp(r.x + 4.0, r.x + r.w - 4.0);
        s.line(*px, y, lx, ly, r##"stroke="#999" stroke-width="1""##);
    }
    for ((px, r), (when, lines)) in lay.points.iter().zip(&lay.labels).zip(&lay.texts) {
        s.open_group(r#"class="event""#);
        s.circle(
            *px,
            y,
            4.0,
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
            r.y + 4.0 + MIN_FONT,
            MIN_FONT,
            "start",
            when,
            r##"fill="#3b6fb6""##,
        );
        for (j, l) in lines.iter().enumerate() {
            let ty = r.y + 6.0 + MIN_FONT + (j as f64 + 1.0) * (FONT + 2.0);
            s.text(r.x + 4.0, ty, FONT, "start", l, r##"fill="#111""##);
        }
        s.close_group();
    }
    if !lay.zoomed.is_empty() {
        s.rect(
            MARGIN,
            lay.height - MIN_FONT - 6.0,
            18.0,
            9.0,
            r##"fill="#e3ecf8""##,
        );
        s.text(
            MARGIN + 24.0,
            lay.height - 7.0,
            MIN_FONT,
            "start",
            "網かけの期間は出来事が重なるため広げて描いています（細かい目盛りは1か月）",
            r##"fill="#555""##,
        );
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
    use crate::svg::{SHEET_WIDTH, font_sizes, view_box};

    fn ev(year: i32, event: &str) -> LifeEvent {
        LifeEvent {
            year,
            month: None,
            event: event.into(),
        }
    }

    fn evm(year: i32, month: u32, event: &str) -> LifeEvent {
        LifeEvent {
            year,
            month: Some(month),
            event: event.into(),
        }
    }

    /// The issue's case: 38, a traffic accident, hospital, rehabilitation and discharge in one
    /// year at the end of the line.
    pub fn after_the_accident() -> Vec<LifeEvent> {
        vec![
            ev(1988, "出生（N市）"),
            ev(1995, "小学校入学"),
            ev(2007, "高校卒業・市内の運送会社に就職"),
            ev(2016, "結婚"),
            ev(2021, "離婚・実家に戻る"),
            evm(2024, 4, "交通事故（バイク）"),
            evm(2024, 4, "救急搬送・N市民病院に入院（脳外科）"),
            evm(2024, 7, "回復期リハビリテーション病院に転院"),
            evm(2024, 12, "退院・母と二人暮らし"),
            evm(2026, 9, "計画相談を開始"),
        ]
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
        let svg = timeline(&events, born, 2026, SHEET_WIDTH);
        assert_eq!(svg.matches("class=\"event\"").count(), 5);
        assert!(svg.contains("2016年（20歳）"));
        assert!(svg.contains("退院・GH入居"));
        assert_eq!(svg, timeline(&events, born, 2026, SHEET_WIDTH));
    }

    #[test]
    fn ages_respect_the_month_of_birth() {
        let born = NaiveDate::from_ymd_opt(1988, 5, 12);
        let at = |month| LifeEvent {
            year: 2007,
            month,
            event: "就職".into(),
        };
        let svg = timeline(&[at(Some(4))], born, 2026, SHEET_WIDTH);
        assert!(svg.contains("2007年4月（18歳）"), "{svg}");
        assert!(timeline(&[at(Some(6))], born, 2026, SHEET_WIDTH).contains("2007年6月（19歳）"));
        assert!(timeline(&[at(None)], born, 2026, SHEET_WIDTH).contains("2007年（19歳）"));
    }

    #[test]
    fn crowded_years_do_not_overlap() {
        let events: Vec<LifeEvent> = (0..20)
            .map(|i| ev(2010 + i / 4, "同じ頃の出来事"))
            .collect();
        let lay = layout(
            &events,
            NaiveDate::from_ymd_opt(1990, 4, 1),
            2026,
            SHEET_WIDTH,
        );
        assert!(!has_overlap(&lay));
        let svg = timeline(&[], None, 2026, SHEET_WIDTH);
        assert!(svg.contains("まだ入力されていません"));
    }

    #[test]
    fn a_crowded_year_is_stretched_and_the_rest_keeps_one_pace() {
        let events = after_the_accident();
        let born = NaiveDate::from_ymd_opt(1988, 6, 12);
        let lay = layout(&events, born, 2026, SHEET_WIDTH);
        assert!(!has_overlap(&lay));
        // The four events of 2024 (two in April share a point) are spread, not a cluster.
        let p = &lay.points;
        assert!((p[5] - p[6]).abs() < 1e-6);
        assert!(
            p[7] - p[6] >= GAP - 1e-6 && p[8] - p[7] >= GAP - 1e-6,
            "{p:?}"
        );
        // Quiet years keep one pace: 1995→2007 and 2007→2016 at the same px per year.
        let pace = |a: usize, b: usize, years: f64| (p[b] - p[a]) / years;
        assert!((pace(1, 2, 12.0) - pace(2, 3, 9.0)).abs() < 0.01);
        // And that pace is slower than the stretched year's.
        assert!(pace(7, 8, 5.0 / 12.0) > 2.0 * pace(1, 2, 12.0));
        let svg = timeline(&events, born, 2026, SHEET_WIDTH);
        assert_eq!(svg.matches("class=\"zoomed\"").count(), 1);
        assert!(svg.contains("広げて描いています"));
        // Long words wrap; nothing is cut.
        assert!(!svg.contains('…'));
        assert!(crate::svg::plain(&svg).contains("救急搬送・N市民病院に入院（脳外科）"));
        // Laid out for the sheet: as wide as asked, every label inside, no text under 10 px.
        let (w, h) = view_box(&svg).unwrap_or_default();
        assert_eq!(w, SHEET_WIDTH);
        for r in &lay.labels {
            assert!(
                r.x >= 0.0 && r.x + r.w <= w && r.y >= 0.0 && r.y + r.h <= h,
                "{r:?}"
            );
        }
        assert!(font_sizes(&svg).iter().all(|f| *f >= MIN_FONT));
    }

    #[test]
    fn a_leader_passes_beside_the_labels() {
        let events = after_the_accident();
        let lay = layout(
            &events,
            NaiveDate::from_ymd_opt(1988, 6, 12),
            2026,
            SHEET_WIDTH,
        );
        for (i, (px, r)) in lay.points.iter().zip(&lay.labels).enumerate() {
            let (y0, y1) = if r.y < lay.axis_y {
                (r.y + r.h, lay.axis_y)
            } else {
                (lay.axis_y, r.y)
            };
            for (j, o) in lay.labels.iter().enumerate() {
                let crosses = j != i
                    && *px > o.x + 1.0
                    && *px < o.x + o.w - 1.0
                    && o.y < y1
                    && o.y + o.h > y0;
                assert!(
                    !crosses,
                    "the leader of {i} runs under label {j}: {px} {r:?} {o:?} axis {}",
                    lay.axis_y
                );
            }
        }
    }
}
