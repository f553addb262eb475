//! エコマップ: the person in the centre and every connection around, with the standard line
//! styles (strong: thick, ordinary: solid, weak: dashed, stressful: zigzag), arrows for the
//! direction of support, and a legend. Resources of one kind sit next to each other.

use crate::svg::{Rect, Svg, first_overlap, wrap};
use yorisoi_domain::assessment::{EcoTie, ResourceKind, TieDirection, TieKind};

const NODE_W: f64 = 124.0;
const CENTRE_R: f64 = 46.0;
const FONT: f64 = 12.0;
/// The note under a resource's name.
const SMALL: f64 = 10.0;
const LEGEND_H: f64 = 64.0;
const PAD: f64 = 10.0;

/// A resource's lines: its name (wrapped, three lines at most) and its note or kind (two).
fn lines(t: &EcoTie) -> (Vec<String>, Vec<String>) {
    let sub = if t.note.is_empty() {
        t.kind.label().to_string()
    } else {
        t.note.clone()
    };
    (
        wrap(&t.name, NODE_W - 12.0, FONT, 3),
        wrap(&sub, NODE_W - 10.0, SMALL, 2),
    )
}

fn node_h(t: &EcoTie) -> f64 {
    let (name, sub) = lines(t);
    10.0 + name.len() as f64 * (FONT + 2.0) + sub.len() as f64 * (SMALL + 2.0)
}

pub fn fill(k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Family => "#fde3e3",
        ResourceKind::Informal => "#fff1cc",
        ResourceKind::Service => "#dff0e2",
        ResourceKind::Medical => "#e0ebfa",
        ResourceKind::Agency => "#ece2f6",
        ResourceKind::WorkSchool => "#ececec",
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub centre: (f64, f64),
    /// Node boxes in the order of the ties given.
    pub nodes: Vec<Rect>,
    pub width: f64,
    pub height: f64,
}

/// Places the nodes on rings (ellipses as wide as `width` allows) around the centre: one ring
/// first, made taller until no two boxes overlap, then two rings, and so on. A network too
/// large for the width at any height grows wider than asked (and prints smaller).
pub fn layout(ties: &[EcoTie], width: f64) -> Layout {
    if ties.is_empty() {
        // The person alone: no rings to make room for.
        let height = 2.0 * (CENTRE_R + PAD);
        return Layout {
            centre: (width / 2.0, height / 2.0),
            nodes: Vec::new(),
            width,
            height,
        };
    }
    let mut order: Vec<usize> = (0..ties.len()).collect();
    order.sort_by_key(|i| ResourceKind::ALL.iter().position(|k| *k == ties[*i].kind));
    let heights: Vec<f64> = ties.iter().map(node_h).collect();
    let rx_max = (width - NODE_W) / 2.0 - PAD;
    // Taller before wider: paper has more room down than across.
    for rings in 1..=5 {
        for step in 0..=31 {
            let aspect = 0.45 + 0.05 * step as f64;
            if let Some(l) = on_rings(&heights, &order, rings, rx_max, aspect) {
                return l;
            }
        }
    }
    let mut rx = rx_max;
    for _ in 0..40 {
        rx *= 1.1;
        if let Some(l) = on_rings(&heights, &order, 4, rx, 0.7) {
            return l;
        }
    }
    ring_layout(&heights, &order, 4, rx, 0.7)
}

fn on_rings(
    heights: &[f64],
    order: &[usize],
    rings: usize,
    rx_max: f64,
    aspect: f64,
) -> Option<Layout> {
    let l = ring_layout(heights, order, rings, rx_max, aspect);
    let mut all = l.nodes.clone();
    all.push(Rect {
        x: l.centre.0 - CENTRE_R - 4.0,
        y: l.centre.1 - CENTRE_R - 4.0,
        w: 2.0 * CENTRE_R + 8.0,
        h: 2.0 * CENTRE_R + 8.0,
    });
    // A little air between boxes, so that lines can pass.
    let padded: Vec<Rect> = all
        .iter()
        .map(|r| Rect {
            x: r.x - 3.0,
            y: r.y - 3.0,
            w: r.w + 6.0,
            h: r.h + 6.0,
        })
        .collect();
    first_overlap(&padded).is_none().then_some(l)
}

fn ring_layout(heights: &[f64], order: &[usize], rings: usize, rx_max: f64, aspect: f64) -> Layout {
    let n = heights.len();
    let tallest = heights.iter().copied().fold(30.0, f64::max);
    // Ring i of k at (i+1)/k of the widest; the inner one clear of the centre.
    let radii: Vec<(f64, f64)> = (0..rings)
        .map(|i| {
            let f = (i as f64 + 1.0) / rings as f64;
            let rx = (rx_max * f).max(CENTRE_R + NODE_W / 2.0 + 12.0);
            let ry = (rx * aspect).max(CENTRE_R + tallest / 2.0 + 12.0);
            (rx, ry)
        })
        .collect();
    // Nodes shared out by each ring's perimeter (Ramanujan's), the rest on the outer ring.
    let per: Vec<f64> = radii
        .iter()
        .map(|(rx, ry)| {
            std::f64::consts::PI * (3.0 * (rx + ry) - ((3.0 * rx + ry) * (rx + 3.0 * ry)).sqrt())
        })
        .collect();
    let total: f64 = per.iter().sum();
    let mut takes: Vec<usize> = per
        .iter()
        .map(|p| (n as f64 * p / total).floor() as usize)
        .collect();
    let given: usize = takes.iter().sum();
    if let Some(last) = takes.last_mut() {
        *last += n - given;
    }
    let (rx_out, ry_out) = radii.last().copied().unwrap_or((rx_max, 100.0));
    let width = 2.0 * (rx_out + NODE_W / 2.0 + PAD);
    let height = 2.0 * (ry_out + tallest / 2.0 + PAD);
    let centre = (width / 2.0, height / 2.0);
    let mut nodes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            w: NODE_W,
            h: 0.0
        };
        n
    ];
    let mut idx = 0;
    for (ri, ((rx, ry), take)) in radii.iter().zip(&takes).enumerate() {
        if *take == 0 {
            continue;
        }
        // Every other ring starts half a step round, so rings do not line up.
        let offset = if ri % 2 == 1 { 0.5 } else { 0.0 };
        for (x, y) in around(*rx, *ry, *take, offset) {
            let (x, y) = (centre.0 + x, centre.1 + y);
            let h = heights[order[idx]];
            nodes[order[idx]] = Rect {
                x: x - NODE_W / 2.0,
                y: y - h / 2.0,
                w: NODE_W,
                h,
            };
            idx += 1;
        }
    }
    Layout {
        centre,
        nodes,
        width,
        height,
    }
}

/// `n` points evenly spaced along an ellipse (by length, not by angle: a tall ellipse spaced
/// by angle crowds its top and bottom), clockwise from the top, shifted by `offset` of a step.
fn around(rx: f64, ry: f64, n: usize, offset: f64) -> Vec<(f64, f64)> {
    const SAMPLES: usize = 720;
    let at = |i: usize| {
        let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / SAMPLES as f64;
        (rx * a.cos(), ry * a.sin())
    };
    let mut length = vec![0.0; SAMPLES + 1];
    for i in 1..=SAMPLES {
        let ((x0, y0), (x1, y1)) = (at(i - 1), at(i));
        length[i] = length[i - 1] + ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
    }
    let total = length[SAMPLES];
    (0..n)
        .map(|j| {
            let want = total * (j as f64 + offset) / n as f64;
            let i = length.partition_point(|l| *l < want).min(SAMPLES);
            at(i)
        })
        .collect()
}

/// Where the segment from the box's centre towards `(px, py)` leaves the box.
fn box_edge(r: &Rect, px: f64, py: f64) -> (f64, f64) {
    let (cx, cy) = (r.x + r.w / 2.0, r.y + r.h / 2.0);
    let (dx, dy) = (px - cx, py - cy);
    let tx = if dx.abs() > 1e-9 {
        (r.w / 2.0) / dx.abs()
    } else {
        f64::MAX
    };
    let ty = if dy.abs() > 1e-9 {
        (r.h / 2.0) / dy.abs()
    } else {
        f64::MAX
    };
    let t = tx.min(ty);
    (cx + dx * t, cy + dy * t)
}

fn zigzag(a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (nx, ny) = (-uy, ux);
    let steps = ((len - 16.0) / 9.0).floor().max(1.0) as usize;
    let mut pts = vec![a, (a.0 + ux * 8.0, a.1 + uy * 8.0)];
    for i in 1..steps {
        let t = 8.0 + i as f64 * (len - 16.0) / steps as f64;
        let side = if i % 2 == 0 { 5.0 } else { -5.0 };
        pts.push((a.0 + ux * t + nx * side, a.1 + uy * t + ny * side));
    }
    pts.push((b.0 - ux * 8.0, b.1 - uy * 8.0));
    pts.push(b);
    pts
}

fn stroke(t: TieKind) -> &'static str {
    match t {
        TieKind::Strong => r##"stroke="#1f3f73" stroke-width="4.5""##,
        TieKind::Ordinary => r##"stroke="#333" stroke-width="1.6""##,
        TieKind::Weak => r##"stroke="#555" stroke-width="1.6" stroke-dasharray="7 6""##,
        TieKind::Stressful => r##"stroke="#b3261e" stroke-width="1.6""##,
    }
}

fn markers(d: TieDirection) -> &'static str {
    match d {
        // The line runs from the person to the resource.
        TieDirection::FromPerson => r#" marker-end="url(#eco-arrow)""#,
        TieDirection::ToPerson => r#" marker-start="url(#eco-arrow)""#,
        TieDirection::Both => r#" marker-start="url(#eco-arrow)" marker-end="url(#eco-arrow)""#,
        TieDirection::Unspecified => "",
    }
}

/// Draws the ecomap for `person` (the name in the centre), laid out for `width` px.
pub fn ecomap(person: &str, ties: &[EcoTie], width: f64) -> String {
    let lay = layout(ties, width);
    let mut s = Svg::new(
        lay.width.max(legend_width()),
        lay.height + LEGEND_H,
        "ecomap",
        "エコマップ",
    );
    s.raw(r##"<defs><marker id="eco-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##);
    let (cx, cy) = lay.centre;
    for (t, r) in ties.iter().zip(&lay.nodes) {
        let (nx, ny) = (r.x + r.w / 2.0, r.y + r.h / 2.0);
        let d = ((nx - cx).powi(2) + (ny - cy).powi(2)).sqrt().max(1.0);
        let a = (cx + (nx - cx) / d * CENTRE_R, cy + (ny - cy) / d * CENTRE_R);
        let b = box_edge(r, cx, cy);
        let attrs = format!(
            r#"{}{} class="tie {}""#,
            stroke(t.tie),
            markers(t.direction),
            t.tie.code()
        );
        if t.tie == TieKind::Stressful {
            s.polyline(&zigzag(a, b), &attrs);
        } else {
            s.line(a.0, a.1, b.0, b.1, &attrs);
        }
    }
    s.circle(
        cx,
        cy,
        CENTRE_R,
        r##"fill="#fff" stroke="#222" stroke-width="2.4""##,
    );
    s.circle(
        cx,
        cy,
        CENTRE_R - 5.0,
        r##"fill="none" stroke="#222" stroke-width="1.2""##,
    );
    let name = wrap(person, 2.0 * CENTRE_R - 16.0, 14.0, 2);
    let y0 = cy - (name.len() as f64 - 1.0) * 9.0 + 5.0;
    for (i, l) in name.iter().enumerate() {
        s.text(
            cx,
            y0 + i as f64 * 18.0,
            14.0,
            "middle",
            l,
            r#"font-weight="bold""#,
        );
    }
    for (i, (t, r)) in ties.iter().zip(&lay.nodes).enumerate() {
        s.open_group(&format!(r#"class="resource" data-index="{i}""#));
        s.rect(
            r.x,
            r.y,
            r.w,
            r.h,
            &format!(r##"rx="10" fill="{}" stroke="#555""##, fill(t.kind)),
        );
        let (name, sub) = lines(t);
        let mut y = r.y + 5.0 + FONT;
        for l in &name {
            s.text(r.x + r.w / 2.0, y, FONT, "middle", l, r##"fill="#111""##);
            y += FONT + 2.0;
        }
        for l in &sub {
            s.text(r.x + r.w / 2.0, y, SMALL, "middle", l, r##"fill="#555""##);
            y += SMALL + 2.0;
        }
        s.close_group();
    }
    // Legend: line styles, direction, kinds.
    let ly = lay.height + 6.0;
    let mut x = 16.0;
    for t in TieKind::ALL {
        let attrs = stroke(*t);
        if *t == TieKind::Stressful {
            s.polyline(&zigzag((x, ly + 10.0), (x + 44.0, ly + 10.0)), attrs);
        } else {
            s.line(x, ly + 10.0, x + 44.0, ly + 10.0, attrs);
        }
        s.text(x + 50.0, ly + 14.0, 11.0, "start", t.label(), "");
        x += 50.0 + 11.0 * t.label().chars().count() as f64 + 22.0;
    }
    s.line(
        x,
        ly + 10.0,
        x + 40.0,
        ly + 10.0,
        r##"stroke="#333" stroke-width="1.6" marker-end="url(#eco-arrow)""##,
    );
    s.text(
        x + 46.0,
        ly + 14.0,
        11.0,
        "start",
        "支援・働きかけの向き",
        "",
    );
    let mut x = 16.0;
    for k in ResourceKind::ALL {
        s.rect(
            x,
            ly + 30.0,
            18.0,
            14.0,
            &format!(r##"rx="4" fill="{}" stroke="#555""##, fill(*k)),
        );
        s.text(x + 22.0, ly + 42.0, 11.0, "start", k.label(), "");
        x += 22.0 + 11.0 * k.label().chars().count() as f64 + 16.0;
    }
    s.finish()
}

/// The legend's widest row (line styles and the direction; the kinds), so a small map never
/// cuts its legend off.
fn legend_width() -> f64 {
    let ties: f64 = TieKind::ALL
        .iter()
        .map(|t| 50.0 + 11.0 * t.label().chars().count() as f64 + 22.0)
        .sum::<f64>()
        + 46.0
        + 11.0 * "支援・働きかけの向き".chars().count() as f64;
    let kinds: f64 = ResourceKind::ALL
        .iter()
        .map(|k| 22.0 + 11.0 * k.label().chars().count() as f64 + 16.0)
        .sum();
    16.0 + ties.max(kinds) + 16.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::{MIN_FONT, SHEET_WIDTH, font_sizes, view_box};

    #[test]
    fn a_small_map_is_as_wide_as_its_legend() {
        let svg = ecomap("本人", &[], SHEET_WIDTH);
        let w: f64 = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(w >= legend_width(), "{w} < {}", legend_width());
    }

    fn tie(i: usize) -> EcoTie {
        EcoTie {
            name: format!("関係先{i}番の事業所"),
            kind: ResourceKind::ALL[i % ResourceKind::ALL.len()],
            tie: TieKind::ALL[i % TieKind::ALL.len()],
            direction: TieDirection::ALL[i % TieDirection::ALL.len()],
            note: String::new(),
            resource_id: None,
        }
    }

    #[test]
    fn forty_ties_fit_without_overlap() {
        for n in [0, 1, 5, 12, 20, 40, 60] {
            let ties: Vec<EcoTie> = (0..n).map(tie).collect();
            let lay = layout(&ties, SHEET_WIDTH);
            let mut boxes = lay.nodes.clone();
            boxes.push(Rect {
                x: lay.centre.0 - CENTRE_R,
                y: lay.centre.1 - CENTRE_R,
                w: 2.0 * CENTRE_R,
                h: 2.0 * CENTRE_R,
            });
            assert_eq!(first_overlap(&boxes), None, "{n} ties");
            for b in &lay.nodes {
                assert!(b.x >= 0.0 && b.y >= 0.0);
                assert!(b.x + b.w <= lay.width && b.y + b.h <= lay.height);
            }
        }
    }

    #[test]
    fn every_tie_is_drawn_in_its_style() {
        let ties: Vec<EcoTie> = (0..8).map(tie).collect();
        let svg = ecomap("Aさん", &ties, SHEET_WIDTH);
        assert_eq!(svg, ecomap("Aさん", &ties, SHEET_WIDTH));
        assert_eq!(svg.matches("class=\"resource\"").count(), 8);
        assert_eq!(svg.matches("class=\"tie strong\"").count(), 2);
        assert_eq!(svg.matches("class=\"tie stressful\"").count(), 2);
        assert_eq!(svg.matches("class=\"tie weak\"").count(), 2);
        for t in &ties {
            assert!(svg.contains(&t.name), "{}", t.name);
        }
        assert!(svg.contains("Aさん"));
        assert!(svg.contains("支援・働きかけの向き"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn the_line_leaves_the_box_at_its_edge() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 40.0,
        };
        let (x, y) = box_edge(&r, 500.0, 20.0);
        assert!((x - 100.0).abs() < 1e-6 && (y - 20.0).abs() < 1e-6);
        let (x, y) = box_edge(&r, 50.0, -300.0);
        assert!((x - 50.0).abs() < 1e-6 && y.abs() < 1e-6);
    }

    #[test]
    fn up_to_twenty_ties_fit_the_page_with_their_names_whole() {
        for n in [3, 9, 14, 20] {
            let mut ties: Vec<EcoTie> = (0..n).map(tie).collect();
            ties[0].name = "リハビリ自立センターあおば（自立訓練・生活訓練）".into();
            ties[1].note = "月2回 送迎あり 担当の田村さんとは話しやすい".into();
            let svg = ecomap("森川さん", &ties, SHEET_WIDTH);
            let (w, h) = view_box(&svg).unwrap_or_default();
            assert_eq!(w, SHEET_WIDTH, "{n} ties");
            assert!(h < 1.3 * SHEET_WIDTH, "{n} ties: {h} tall");
            assert!(!svg.contains('…'), "{n} ties: a name was cut");
            assert!(font_sizes(&svg).iter().all(|f| *f >= MIN_FONT));
        }
    }
}
