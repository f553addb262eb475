//! A small SVG writer. Only presentation attributes are used (never `style`), so the drawings
//! pass the page's CSP, and numbers are written with one decimal so the output is stable.

use std::fmt::Write;

/// Drawings are laid out in CSS px and printed at the CSS ratio, 1 px = 0.75 pt: a drawing laid
/// out for its printed width prints its text at the size it was written (×0.75), and a screen
/// shows the same drawing at its own size.
pub const PT_PER_PX: f64 = 0.75;

/// The smallest text a drawing writes: 7.5 pt on paper, 10 px on screen.
pub const MIN_FONT: f64 = 10.0;

/// The A4 sheet's text width (210 mm less two 13 mm margins, 521 pt) in px, with a little
/// slack: the full-width drawings are laid out for it.
pub const SHEET_WIDTH: f64 = 692.0;

pub const FONT: &str =
    "'IPAexGothic','Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif";

/// Escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Width of `s` at `size` px: full-width characters are 1 em, the rest about 0.6 em.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.6 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Characters that may not begin a line in Japanese text.
const NO_LINE_START: &str =
    "）」』】〕〉》、。，．・：；？！ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]}.,:;?!%";

/// Breaks `s` into at most `max_lines` lines no wider than `width`; an overlong tail ends in "…".
pub fn wrap(s: &str, width: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c == '\n' {
            lines.push(std::mem::take(&mut cur));
            continue;
        }
        let mut next = cur.clone();
        next.push(c);
        if text_width(&next, size) > width && !cur.is_empty() {
            // A closing bracket or a small kana never starts a line (禁則): the character
            // before it goes down with it.
            let carried = if NO_LINE_START.contains(c) && cur.chars().count() > 1 {
                cur.pop()
            } else {
                None
            };
            // Nor does an opening bracket end one.
            let carried = match cur.chars().last() {
                Some(o)
                    if carried.is_none()
                        && "（「『【〔〈《(".contains(o)
                        && cur.chars().count() > 1 =>
                {
                    cur.pop()
                }
                _ => carried,
            };
            lines.push(std::mem::take(&mut cur));
            cur.extend(carried);
            cur.push(c);
        } else {
            cur = next;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.pop();
            last.push('…');
        }
    }
    lines
}

/// The width and height of a drawing's viewBox.
pub fn view_box(svg: &str) -> Option<(f64, f64)> {
    let rest = svg.split("viewBox=\"").nth(1)?;
    let mut it = rest.split('"').next()?.split(' ').skip(2);
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// Every font size a drawing writes, for the tests that keep text legible on paper.
pub fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .collect()
}

/// A drawing's text with the markup taken out, so that a test finds words a drawing wrapped
/// onto two lines.
#[cfg(test)]
pub fn plain(svg: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub struct Svg {
    out: String,
}

impl Svg {
    /// Starts a drawing of `w`×`h` with a title for screen readers.
    pub fn new(w: f64, h: f64, class: &str, title: &str) -> Self {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {w:.1} {h:.1}" width="{w:.1}" height="{h:.1}" role="img" font-family="{FONT}"><title>{}</title>"#,
            esc(title)
        );
        Svg { out }
    }

    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let _ = write!(
            self.out,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" {attrs}/>"#
        );
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" {attrs}/>"#
        );
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: &str) {
        let _ = write!(
            self.out,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" {attrs}/>"#
        );
    }

    pub fn polyline(&mut self, pts: &[(f64, f64)], attrs: &str) {
        let p: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            self.out,
            r#"<polyline points="{}" fill="none" {attrs}/>"#,
            p.join(" ")
        );
    }

    /// Text; `anchor` is start, middle or end.
    pub fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, s: &str, attrs: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" text-anchor="{anchor}" {attrs}>{}</text>"#,
            esc(s)
        );
    }

    pub fn open_group(&mut self, attrs: &str) {
        let _ = write!(self.out, "<g {attrs}>");
    }

    pub fn close_group(&mut self) {
        self.out.push_str("</g>");
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// An axis-aligned box, for layout checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// The first pair of overlapping boxes, if any.
pub fn first_overlap(boxes: &[Rect]) -> Option<(usize, usize)> {
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            if boxes[i].overlaps(&boxes[j]) {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_wrapping() {
        assert_eq!(esc("<a&\"b'>"), "&lt;a&amp;&quot;b&#39;&gt;");
        let l = wrap("要介護3 施設入所中で月1回面会", 60.0, 12.0, 2);
        assert_eq!(l.len(), 2);
        assert!(l[1].ends_with('…'));
        assert!(l.iter().all(|x| text_width(x, 12.0) <= 60.0 + 12.0));
        assert_eq!(wrap("", 60.0, 12.0, 2), Vec::<String>::new());
        // A closing bracket takes the character before it to the next line.
        assert_eq!(
            wrap("元の職場（運送会社）", 112.0, 12.0, 2),
            ["元の職場（運送会", "社）"]
        );
    }

    #[test]
    fn overlap_detection() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        let b = Rect { x: 10.0, ..a };
        let c = Rect {
            x: 5.0,
            y: 5.0,
            ..a
        };
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c));
        assert_eq!(first_overlap(&[a, b, c]), Some((0, 2)));
    }
}
