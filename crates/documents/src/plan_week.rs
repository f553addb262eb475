//! 週間計画表: 月〜日・祝 across, 6:00 down to 4:00 the next morning. Services from the plan's
//! rows are shaded; other activities are white. Blocks that overlap on a day share its width.

use crate::svg::{Svg, wrap};
use yorisoi_domain::plan::{CHART_SPAN, PLAN_DAYS, WeekBlock, chart_minutes};

const COL_W: f64 = 92.0;
const HOUR_H: f64 = 22.0;
const HEAD: f64 = 24.0;
const SIDE: f64 = 44.0;

pub fn plan_week(blocks: &[WeekBlock]) -> String {
    let hours = (CHART_SPAN / 60) as f64;
    let w = SIDE + PLAN_DAYS.len() as f64 * COL_W + 2.0;
    let h = HEAD + hours * HOUR_H + 2.0;
    let mut s = Svg::new(w, h, "plan-week", "週間計画表");
    for (d, name) in PLAN_DAYS.iter().enumerate() {
        let x = SIDE + d as f64 * COL_W;
        let fill = if d >= 5 { "#fbeaea" } else { "#eef2f7" };
        s.rect(
            x,
            0.0,
            COL_W,
            HEAD,
            &format!(r##"fill="{fill}" stroke="#999""##),
        );
        s.text(
            x + COL_W / 2.0,
            16.0,
            12.0,
            "middle",
            name,
            r#"font-weight="bold""#,
        );
        s.rect(
            x,
            HEAD,
            COL_W,
            hours * HOUR_H,
            r##"fill="#ffffff" stroke="#999""##,
        );
    }
    for i in 0..=(hours as u32) {
        let y = HEAD + i as f64 * HOUR_H;
        let stroke = if i % 6 == 0 { "#888" } else { "#ddd" };
        s.line(SIDE, y, w - 2.0, y, &format!(r#"stroke="{stroke}""#));
        if i < hours as u32 {
            let hour = (6 + i) % 24;
            s.text(
                SIDE - 4.0,
                y + 12.0,
                10.0,
                "end",
                &format!("{hour}:00"),
                r##"fill="#555""##,
            );
        }
    }
    for (d, _) in PLAN_DAYS.iter().enumerate() {
        let mut day: Vec<&WeekBlock> = blocks.iter().filter(|b| b.day as usize == d).collect();
        day.sort_by_key(|b| chart_minutes(b.start));
        // Lanes: each block goes to the first lane free at its start.
        let mut lane_end: Vec<u32> = Vec::new();
        let mut placed: Vec<(usize, &WeekBlock)> = Vec::new();
        for b in day {
            let (start, end) = span(b);
            let lane = match lane_end.iter().position(|e| *e <= start) {
                Some(l) => l,
                None => {
                    lane_end.push(0);
                    lane_end.len() - 1
                }
            };
            lane_end[lane] = end;
            placed.push((lane, b));
        }
        let lanes = lane_end.len().max(1) as f64;
        let lw = (COL_W - 4.0) / lanes;
        for (lane, b) in placed {
            let (start, end) = span(b);
            let x = SIDE + d as f64 * COL_W + 2.0 + lane as f64 * lw;
            let y = HEAD + start as f64 / 60.0 * HOUR_H;
            let bh = ((end - start) as f64 / 60.0 * HOUR_H).max(10.0);
            let (fill, stroke) = if b.service {
                ("#cfe3f6", "#2f6b9a")
            } else {
                ("#fffbea", "#b59b3b")
            };
            s.rect(
                x,
                y,
                lw,
                bh,
                &format!(r#"fill="{fill}" stroke="{stroke}" rx="3" class="block""#),
            );
            let lines = ((bh - 2.0) / 12.0).floor().max(1.0) as usize;
            for (j, l) in wrap(&b.label, lw - 4.0, 10.0, lines).iter().enumerate() {
                s.text(x + 2.0, y + 11.0 + j as f64 * 12.0, 10.0, "start", l, "");
            }
        }
    }
    s.finish()
}

/// Start and end in chart minutes; an end at 4:00 is the chart's bottom.
fn span(b: &WeekBlock) -> (u32, u32) {
    let start = chart_minutes(b.start);
    let end = match chart_minutes(b.end) {
        0 => CHART_SPAN,
        e if e <= start => CHART_SPAN,
        e => e.min(CHART_SPAN),
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn b(day: u8, s: (u32, u32), e: (u32, u32), label: &str, service: bool) -> WeekBlock {
        WeekBlock {
            day,
            start: NaiveTime::from_hms_opt(s.0, s.1, 0).unwrap(),
            end: NaiveTime::from_hms_opt(e.0, e.1, 0).unwrap(),
            label: label.into(),
            service,
        }
    }

    #[test]
    fn blocks_sit_at_their_times_and_overlaps_share_the_day() {
        let svg = plan_week(&[
            b(0, (9, 30), (15, 30), "就労継続支援B型", true),
            b(0, (10, 0), (11, 0), "通院", false),
            b(7, (22, 0), (2, 0), "夜勤明け", false),
        ]);
        assert_eq!(svg.matches("class=\"block\"").count(), 3);
        assert!(svg.contains("就労") && svg.contains("通院") && svg.contains(">祝<"));
        // 9:30 is 3.5 hours below 6:00.
        let y = HEAD + 3.5 * HOUR_H;
        assert!(svg.contains(&format!("y=\"{y:.1}\"")), "{svg}");
        // Two lanes on Monday: the second starts half a column across.
        let lane_x = SIDE + 2.0 + (COL_W - 4.0) / 2.0;
        assert!(svg.contains(&format!("x=\"{lane_x:.1}\"")));
    }
}
