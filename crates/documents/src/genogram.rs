//! ジェノグラム: squares for men, circles for women (a diamond when not given), the person
//! doubled, the deceased crossed, partners joined side by side (dashed for 内縁, slashed for
//! 離婚), children hanging from their parents' line, and the household enclosed.
//!
//! Layout: generations from the links (partners share a row, a child is one row below its
//! parents); within a row, partners stay together and siblings are grouped under their
//! parents; a second pass centres parents over their children. Boxes never overlap because each
//! row is placed left to right with a cursor.

use crate::svg::{Rect, Svg, esc, wrap};
use std::collections::{BTreeMap, HashMap, VecDeque};
use yorisoi_domain::assessment::{FamilyLink, FamilyLinkKind, FamilyMember};
use yorisoi_domain::client::Sex;

/// Room for one person across, as wide as the drawing's width allows: a family too wide for
/// the page at full size narrows its columns (and wraps its names onto more lines) before the
/// page has to shrink its text.
const SLOT: f64 = 120.0;
const MIN_SLOT: f64 = 80.0;
const GAP: f64 = 24.0;
const NODE: f64 = 36.0;
/// Between a row's lowest label and the next generation: the children's bars hang here.
const ROW_GAP: f64 = 40.0;
const MARGIN: f64 = 16.0;
const FONT: f64 = 12.0;
/// The age and the note, smaller than the name.
const SMALL: f64 = 10.5;
const LINE: f64 = FONT + 2.0;

/// Where each person is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub key: u32,
    pub cx: f64,
    pub top: f64,
    pub generation: usize,
    /// The shape and its labels.
    pub bounds: Rect,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub people: Vec<Placed>,
    pub width: f64,
    pub height: f64,
    /// The width of one person's column.
    pub slot: f64,
    /// The lines under each person, and whether each is in the smaller size.
    labels: HashMap<u32, Vec<(String, bool)>>,
}

fn is_partnership(k: FamilyLinkKind) -> bool {
    !matches!(k, FamilyLinkKind::ParentChild)
}

/// The lines under a person: relation and name (three lines at most), age, note (five).
fn labels(m: &FamilyMember, this_year: i32, label_w: f64) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let head = if m.name.is_empty() {
        m.relation.clone()
    } else {
        format!("{}（{}）", m.relation, m.name)
    };
    out.extend(
        wrap(&head, label_w, FONT, 3)
            .into_iter()
            .map(|l| (l, false)),
    );
    let age = m.age_label(this_year);
    if !age.is_empty() || m.deceased {
        let age = if m.deceased {
            format!("{age} 死亡").trim().to_string()
        } else {
            age
        };
        out.push((age, true));
    }
    out.extend(
        wrap(&m.note, label_w, SMALL, 5)
            .into_iter()
            .map(|l| (l, true)),
    );
    out
}

/// Places everyone within `width` px if the family fits at the narrowest column, else as
/// narrow as it goes. Links to unknown keys are ignored (validation refuses them earlier).
pub fn layout(
    members: &[FamilyMember],
    links: &[FamilyLink],
    this_year: i32,
    width: f64,
) -> Layout {
    let mut slot = SLOT;
    loop {
        let lay = layout_with(members, links, this_year, slot);
        if lay.width <= width || slot <= MIN_SLOT {
            return lay;
        }
        slot = (slot - 8.0).max(MIN_SLOT);
    }
}

fn layout_with(
    members: &[FamilyMember],
    links: &[FamilyLink],
    this_year: i32,
    slot: f64,
) -> Layout {
    let label_w = slot - 10.0;
    let known: HashMap<u32, &FamilyMember> = members.iter().map(|m| (m.key, m)).collect();
    let links: Vec<&FamilyLink> = links
        .iter()
        .filter(|l| known.contains_key(&l.from) && known.contains_key(&l.to))
        .collect();
    // Generations by breadth-first search from the person, then from anyone left over.
    let mut gen_of: HashMap<u32, i32> = HashMap::new();
    let mut order: Vec<u32> = members
        .iter()
        .filter(|m| m.is_client)
        .map(|m| m.key)
        .collect();
    order.extend(members.iter().filter(|m| !m.is_client).map(|m| m.key));
    for start in order {
        if gen_of.contains_key(&start) {
            continue;
        }
        gen_of.insert(start, 0);
        let mut q = VecDeque::from([start]);
        while let Some(k) = q.pop_front() {
            let g = gen_of.get(&k).copied().unwrap_or(0);
            for l in &links {
                let (other, og) = if l.from == k {
                    (l.to, if is_partnership(l.kind) { g } else { g + 1 })
                } else if l.to == k {
                    (l.from, if is_partnership(l.kind) { g } else { g - 1 })
                } else {
                    continue;
                };
                if let std::collections::hash_map::Entry::Vacant(e) = gen_of.entry(other) {
                    e.insert(og);
                    q.push_back(other);
                }
            }
        }
    }
    let min = gen_of.values().copied().min().unwrap_or(0);
    let generations = gen_of
        .values()
        .map(|g| (g - min) as usize)
        .max()
        .unwrap_or(0)
        + 1;
    let gen_index = |k: u32| (gen_of.get(&k).copied().unwrap_or(0) - min) as usize;

    let partners = |k: u32| -> Vec<u32> {
        links
            .iter()
            .filter(|l| is_partnership(l.kind))
            .filter_map(|l| {
                if l.from == k {
                    Some(l.to)
                } else if l.to == k {
                    Some(l.from)
                } else {
                    None
                }
            })
            .filter(|o| gen_index(*o) == gen_index(k))
            .collect()
    };
    let parents_of = |k: u32| -> Vec<u32> {
        let mut p: Vec<u32> = links
            .iter()
            .filter(|l| l.kind == FamilyLinkKind::ParentChild && l.to == k)
            .map(|l| l.from)
            .collect();
        p.sort_unstable();
        p
    };

    // Units: a person with their partners, per generation, in the order entered.
    let mut units: Vec<Vec<Vec<u32>>> = vec![Vec::new(); generations];
    let mut in_unit: HashMap<u32, ()> = HashMap::new();
    for m in members {
        if in_unit.contains_key(&m.key) {
            continue;
        }
        let mut unit = vec![m.key];
        let mut i = 0;
        while i < unit.len() {
            for p in partners(unit[i]) {
                if !unit.contains(&p) {
                    unit.push(p);
                }
            }
            i += 1;
        }
        for k in &unit {
            in_unit.insert(*k, ());
        }
        // Two partners: the man on the left, as drawn by convention; more: the most-married
        // person in the middle so that every partner is beside them.
        if unit.len() == 2 {
            if known.get(&unit[1]).is_some_and(|m| m.sex == Sex::Male)
                && known.get(&unit[0]).is_some_and(|m| m.sex != Sex::Male)
            {
                unit.swap(0, 1);
            }
        } else if unit.len() > 2 {
            let hub = unit
                .iter()
                .copied()
                .max_by_key(|k| partners(*k).len())
                .unwrap_or(unit[0]);
            let others: Vec<u32> = unit.iter().copied().filter(|k| *k != hub).collect();
            let half = others.len() / 2;
            unit = others[..half]
                .iter()
                .copied()
                .chain(std::iter::once(hub))
                .chain(others[half..].iter().copied())
                .collect();
        }
        units[gen_index(m.key)].push(unit);
    }

    let mut cx: HashMap<u32, f64> = HashMap::new();
    let unit_width = |u: &Vec<u32>| u.len() as f64 * slot;
    // Top-down: group siblings under their parents' midpoint.
    for row in units.iter_mut() {
        let mut groups: BTreeMap<(i64, usize), Vec<usize>> = BTreeMap::new();
        for (ui, u) in row.iter().enumerate() {
            let mid = u.iter().find_map(|k| {
                let p = parents_of(*k);
                let xs: Vec<f64> = p.iter().filter_map(|p| cx.get(p)).copied().collect();
                (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
            });
            let key = match mid {
                Some(m) => ((m * 10.0) as i64, 0),
                None => (i64::MAX, ui),
            };
            groups.entry(key).or_default().push(ui);
        }
        let mut cursor = MARGIN;
        for ((mid, _), us) in groups {
            let w: f64 = us.iter().map(|u| unit_width(&row[*u])).sum::<f64>()
                + GAP * (us.len() as f64 - 1.0);
            let want = if mid == i64::MAX {
                cursor
            } else {
                mid as f64 / 10.0 - w / 2.0
            };
            let mut left = want.max(cursor);
            for u in us {
                for (i, k) in row[u].iter().enumerate() {
                    cx.insert(*k, left + i as f64 * slot + slot / 2.0);
                }
                left += unit_width(&row[u]) + GAP;
            }
            cursor = left;
        }
        // Keep the row in drawing order for the next passes.
        row.sort_by(|a, b| {
            let xa = cx.get(&a[0]).copied().unwrap_or(0.0);
            let xb = cx.get(&b[0]).copied().unwrap_or(0.0);
            xa.total_cmp(&xb)
        });
    }
    // Bottom-up: centre parents over their children where the row leaves room.
    for g in (0..generations.saturating_sub(1)).rev() {
        let mut cursor = MARGIN;
        for u in &units[g] {
            let kids: Vec<f64> = links
                .iter()
                .filter(|l| l.kind == FamilyLinkKind::ParentChild && u.contains(&l.from))
                .filter_map(|l| cx.get(&l.to))
                .copied()
                .collect();
            let left_now = cx.get(&u[0]).copied().unwrap_or(0.0) - slot / 2.0;
            let left = if kids.is_empty() {
                left_now.max(cursor)
            } else {
                let centre = (kids.iter().copied().fold(f64::MAX, f64::min)
                    + kids.iter().copied().fold(f64::MIN, f64::max))
                    / 2.0;
                (centre - unit_width(u) / 2.0).max(cursor)
            };
            for (i, k) in u.iter().enumerate() {
                cx.insert(*k, left + i as f64 * slot + slot / 2.0);
            }
            cursor = left + unit_width(u) + GAP;
        }
    }

    // Each generation as tall as its longest label.
    let label_map: HashMap<u32, Vec<(String, bool)>> = members
        .iter()
        .map(|m| (m.key, labels(m, this_year, label_w)))
        .collect();
    let tall =
        |m: &FamilyMember| NODE + 6.0 + label_map.get(&m.key).map_or(0, Vec::len) as f64 * LINE;
    let mut row_h = vec![NODE; generations];
    for m in members {
        let g = gen_index(m.key);
        row_h[g] = row_h[g].max(tall(m));
    }
    let mut tops = Vec::with_capacity(generations);
    let mut y = MARGIN + 8.0;
    for h in &row_h {
        tops.push(y);
        y += h + ROW_GAP;
    }
    let mut people = Vec::new();
    let mut width: f64 = 0.0;
    for m in members {
        let g = gen_index(m.key);
        let x = cx.get(&m.key).copied().unwrap_or(MARGIN);
        let top = tops[g];
        let h = tall(m);
        width = width.max(x + slot / 2.0 + MARGIN);
        people.push(Placed {
            key: m.key,
            cx: x,
            top,
            generation: g,
            bounds: Rect {
                x: x - label_w / 2.0,
                y: top,
                w: label_w,
                h,
            },
        });
    }
    Layout {
        people,
        width: width.max(360.0),
        height: y - ROW_GAP + MARGIN,
        slot,
        labels: label_map,
    }
}

fn shape(s: &mut Svg, m: &FamilyMember, cx: f64, top: f64) {
    let cy = top + NODE / 2.0;
    let fill = if m.deceased { "#d9d9d9" } else { "#ffffff" };
    let stroke = format!(r##"fill="{fill}" stroke="#222" stroke-width="1.6""##);
    let draw = |s: &mut Svg, inset: f64, attrs: &str| {
        let r = NODE / 2.0 - inset;
        match m.sex {
            Sex::Male => s.rect(cx - r, cy - r, 2.0 * r, 2.0 * r, attrs),
            Sex::Female => s.circle(cx, cy, r, attrs),
            Sex::Other => s.raw(&format!(
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" {attrs}/>"#,
                cx,
                cy - r,
                cx + r,
                cy,
                cx,
                cy + r,
                cx - r,
                cy
            )),
        }
    };
    draw(s, 0.0, &stroke);
    if m.is_client {
        draw(s, 5.0, r##"fill="none" stroke="#222" stroke-width="1.6""##);
    }
    if m.deceased {
        let r = NODE / 2.0;
        s.line(
            cx - r,
            cy - r,
            cx + r,
            cy + r,
            r##"stroke="#222" stroke-width="1.4""##,
        );
        s.line(
            cx + r,
            cy - r,
            cx - r,
            cy + r,
            r##"stroke="#222" stroke-width="1.4""##,
        );
    }
}

/// Draws the genogram as SVG, laid out for `width` px.
pub fn genogram(
    members: &[FamilyMember],
    links: &[FamilyLink],
    this_year: i32,
    width: f64,
) -> String {
    if members.is_empty() {
        let mut s = Svg::new(360.0, 60.0, "genogram", "ジェノグラム");
        s.text(
            180.0,
            34.0,
            13.0,
            "middle",
            "家族構成はまだ入力されていません",
            r##"fill="#666""##,
        );
        return s.finish();
    }
    let lay = layout(members, links, this_year, width);
    let legend_h = 34.0;
    let mut s = Svg::new(lay.width, lay.height + legend_h, "genogram", "ジェノグラム");
    let at: HashMap<u32, &Placed> = lay.people.iter().map(|p| (p.key, p)).collect();
    let by_key: HashMap<u32, &FamilyMember> = members.iter().map(|m| (m.key, m)).collect();

    // The household: everyone who lives with the person, enclosed together.
    let home: Vec<&Placed> = lay
        .people
        .iter()
        .filter(|p| {
            by_key
                .get(&p.key)
                .is_some_and(|m| m.cohabiting || m.is_client)
        })
        .collect();
    if home.len() > 1 {
        let x0 = home.iter().map(|p| p.bounds.x).fold(f64::MAX, f64::min) - 8.0;
        let y0 = home.iter().map(|p| p.bounds.y).fold(f64::MAX, f64::min) - 8.0;
        let x1 = home
            .iter()
            .map(|p| p.bounds.x + p.bounds.w)
            .fold(f64::MIN, f64::max)
            + 8.0;
        let y1 = home
            .iter()
            .map(|p| p.bounds.y + p.bounds.h)
            .fold(f64::MIN, f64::max)
            + 8.0;
        s.rect(
            x0,
            y0,
            x1 - x0,
            y1 - y0,
            r##"rx="14" fill="#f3f8ff" stroke="#3b6fb6" stroke-width="1.4" stroke-dasharray="7 5" class="household""##,
        );
    }

    let valid: Vec<&FamilyLink> = links
        .iter()
        .filter(|l| at.contains_key(&l.from) && at.contains_key(&l.to))
        .collect();
    let line = r##"stroke="#222" stroke-width="1.5""##;
    // Partnerships, side by side at the shapes' middle.
    for l in valid.iter().filter(|l| is_partnership(l.kind)) {
        let (Some(a), Some(b)) = (at.get(&l.from), at.get(&l.to)) else {
            continue;
        };
        let (a, b) = if a.cx <= b.cx { (a, b) } else { (b, a) };
        let y = a.top + NODE / 2.0;
        let attrs = match l.kind {
            FamilyLinkKind::Partner => {
                r##"stroke="#222" stroke-width="1.5" stroke-dasharray="6 4" class="partner""##
            }
            FamilyLinkKind::Divorced => r##"stroke="#222" stroke-width="1.5" class="divorced""##,
            _ => r##"stroke="#222" stroke-width="1.5" class="married""##,
        };
        s.line(a.cx + NODE / 2.0, y, b.cx - NODE / 2.0, y, attrs);
        if l.kind == FamilyLinkKind::Divorced {
            let m = (a.cx + b.cx) / 2.0;
            for dx in [-4.0, 4.0] {
                s.line(m + dx - 5.0, y + 8.0, m + dx + 5.0, y - 8.0, line);
            }
        }
    }
    // Children: grouped by their set of parents, hanging from one bar per family.
    let mut families: BTreeMap<Vec<u32>, Vec<u32>> = BTreeMap::new();
    for m in members {
        let mut p: Vec<u32> = valid
            .iter()
            .filter(|l| l.kind == FamilyLinkKind::ParentChild && l.to == m.key)
            .map(|l| l.from)
            .collect();
        p.sort_unstable();
        if !p.is_empty() {
            families.entry(p).or_default().push(m.key);
        }
    }
    for (fi, (parents, kids)) in families.iter().enumerate() {
        let ps: Vec<&&Placed> = parents.iter().filter_map(|p| at.get(p)).collect();
        let Some(first) = ps.first() else { continue };
        let cy = first.top + NODE / 2.0;
        let drop_x = if ps.len() == 2 {
            (ps[0].cx + ps[1].cx) / 2.0
        } else {
            first.cx + lay.slot / 2.0
        };
        if ps.len() != 2 {
            // A single parent: out from the side, between the label columns.
            s.line(first.cx + NODE / 2.0, cy, drop_x, cy, line);
        }
        let kid_at: Vec<&&Placed> = kids.iter().filter_map(|k| at.get(k)).collect();
        let Some(kid_top) = kid_at.iter().map(|k| k.top).reduce(f64::min) else {
            continue;
        };
        let bar_y = kid_top - 16.0 - (fi % 3) as f64 * 7.0;
        s.line(drop_x, cy, drop_x, bar_y, line);
        let xs = kid_at.iter().map(|k| k.cx).chain(std::iter::once(drop_x));
        let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
        s.line(x0, bar_y, x1, bar_y, line);
        for k in kid_at {
            s.line(k.cx, bar_y, k.cx, k.top, line);
        }
    }
    // People on top of the lines.
    for m in members {
        let Some(p) = at.get(&m.key) else { continue };
        s.open_group(&format!(
            r#"class="person{}" data-key="{}""#,
            if m.is_client { " client" } else { "" },
            m.key
        ));
        shape(&mut s, m, p.cx, p.top);
        let mut y = p.top + NODE + 4.0 + FONT;
        for (l, small) in lay.labels.get(&m.key).into_iter().flatten() {
            let (size, fill) = if *small {
                (SMALL, "#444")
            } else {
                (FONT, "#111")
            };
            s.text(p.cx, y, size, "middle", l, &format!(r#"fill="{fill}""#));
            y += LINE;
        }
        s.close_group();
    }
    // Legend.
    let ly = lay.height + 8.0;
    s.rect(MARGIN, ly, 14.0, 14.0, r##"fill="#fff" stroke="#222""##);
    s.text(MARGIN + 20.0, ly + 12.0, 11.0, "start", "男性", "");
    s.circle(
        MARGIN + 67.0,
        ly + 7.0,
        7.0,
        r##"fill="#fff" stroke="#222""##,
    );
    s.text(MARGIN + 80.0, ly + 12.0, 11.0, "start", "女性", "");
    s.rect(
        MARGIN + 120.0,
        ly,
        14.0,
        14.0,
        r##"fill="#fff" stroke="#222""##,
    );
    s.rect(
        MARGIN + 123.0,
        ly + 3.0,
        8.0,
        8.0,
        r##"fill="none" stroke="#222""##,
    );
    s.text(MARGIN + 140.0, ly + 12.0, 11.0, "start", "本人（二重）", "");
    s.rect(
        MARGIN + 220.0,
        ly,
        14.0,
        14.0,
        r##"fill="#d9d9d9" stroke="#222""##,
    );
    s.line(
        MARGIN + 220.0,
        ly,
        MARGIN + 234.0,
        ly + 14.0,
        r##"stroke="#222""##,
    );
    s.line(
        MARGIN + 234.0,
        ly,
        MARGIN + 220.0,
        ly + 14.0,
        r##"stroke="#222""##,
    );
    s.text(MARGIN + 240.0, ly + 12.0, 11.0, "start", "死亡", "");
    s.rect(
        MARGIN + 280.0,
        ly,
        22.0,
        14.0,
        r##"rx="4" fill="#f3f8ff" stroke="#3b6fb6" stroke-dasharray="4 3""##,
    );
    s.text(MARGIN + 308.0, ly + 12.0, 11.0, "start", "同居", "");
    if lay.width > 560.0 {
        s.text(
            MARGIN + 350.0,
            ly + 12.0,
            11.0,
            "start",
            &esc("横線 婚姻／点線 内縁／斜線 離婚"),
            "",
        );
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::{MIN_FONT, SHEET_WIDTH, first_overlap, font_sizes, view_box};

    fn p(key: u32, rel: &str, sex: Sex) -> FamilyMember {
        FamilyMember {
            key,
            relation: rel.into(),
            name: String::new(),
            sex,
            birth_year: Some(1960),
            age: None,
            deceased: false,
            cohabiting: false,
            is_client: false,
            note: String::new(),
        }
    }
    fn l(kind: FamilyLinkKind, from: u32, to: u32) -> FamilyLink {
        FamilyLink { kind, from, to }
    }

    /// Three generations, twenty people: grandparents on both sides, parents, aunts and uncles
    /// with partners, the person, siblings, a nephew.
    fn big_family() -> (Vec<FamilyMember>, Vec<FamilyLink>) {
        use FamilyLinkKind::*;
        use Sex::*;
        let mut m = vec![
            p(1, "父方祖父", Male),
            p(2, "父方祖母", Female),
            p(3, "母方祖父", Male),
            p(4, "母方祖母", Female),
            p(5, "父", Male),
            p(6, "母", Female),
            p(7, "伯父", Male),
            p(8, "伯父の妻", Female),
            p(9, "叔母", Female),
            p(10, "叔母の夫", Male),
            p(11, "本人", Female),
            p(12, "兄", Male),
            p(13, "兄の妻", Female),
            p(14, "妹", Female),
            p(15, "いとこ", Male),
            p(16, "いとこ", Female),
            p(17, "甥", Male),
            p(18, "叔母（母方）", Female),
            p(19, "いとこ", Other),
            p(20, "本人のパートナー", Male),
        ];
        m[0].deceased = true;
        m[10].is_client = true;
        m[10].cohabiting = true;
        m[5].cohabiting = true;
        m[13].cohabiting = true;
        m[5].note = "要介護3 施設入所".into();
        let links = vec![
            l(Married, 1, 2),
            l(Married, 3, 4),
            l(ParentChild, 1, 5),
            l(ParentChild, 2, 5),
            l(ParentChild, 1, 7),
            l(ParentChild, 2, 7),
            l(ParentChild, 3, 6),
            l(ParentChild, 4, 6),
            l(ParentChild, 3, 9),
            l(ParentChild, 4, 9),
            l(ParentChild, 4, 18),
            l(Married, 5, 6),
            l(Married, 7, 8),
            l(Divorced, 9, 10),
            l(ParentChild, 5, 11),
            l(ParentChild, 6, 11),
            l(ParentChild, 5, 12),
            l(ParentChild, 6, 12),
            l(ParentChild, 5, 14),
            l(ParentChild, 6, 14),
            l(Married, 12, 13),
            l(ParentChild, 7, 15),
            l(ParentChild, 8, 15),
            l(ParentChild, 9, 16),
            l(ParentChild, 10, 16),
            l(ParentChild, 9, 19),
            l(ParentChild, 12, 17),
            l(ParentChild, 13, 17),
            l(Partner, 11, 20),
        ];
        (m, links)
    }

    #[test]
    fn generations_follow_the_links() {
        let (m, links) = big_family();
        let lay = layout(&m, &links, 2026, SHEET_WIDTH);
        let gen_of = |k: u32| {
            lay.people
                .iter()
                .find(|p| p.key == k)
                .map(|p| p.generation)
                .unwrap_or(99)
        };
        assert_eq!(gen_of(1), 0);
        assert_eq!(gen_of(5), 1);
        assert_eq!(gen_of(11), 2);
        assert_eq!(gen_of(20), 2);
        assert_eq!(gen_of(17), 3);
    }

    #[test]
    fn twenty_people_never_overlap_and_partners_sit_together() {
        let (m, links) = big_family();
        let lay = layout(&m, &links, 2026, SHEET_WIDTH);
        let boxes: Vec<Rect> = lay.people.iter().map(|p| p.bounds).collect();
        assert_eq!(first_overlap(&boxes), None);
        for l in links.iter().filter(|l| is_partnership(l.kind)) {
            let a = lay.people.iter().find(|p| p.key == l.from).map(|p| p.cx);
            let b = lay.people.iter().find(|p| p.key == l.to).map(|p| p.cx);
            let d = (a.unwrap_or(0.0) - b.unwrap_or(1e9)).abs();
            assert!((d - lay.slot).abs() < 0.01, "partners {l:?} are {d} apart");
        }
        for p in &lay.people {
            assert!(p.bounds.x >= 0.0 && p.bounds.x + p.bounds.w <= lay.width);
            assert!(p.bounds.y + p.bounds.h <= lay.height);
        }
    }

    #[test]
    fn drawing_has_everyone_every_line_and_is_stable() {
        let (m, links) = big_family();
        let svg = genogram(&m, &links, 2026, SHEET_WIDTH);
        assert_eq!(svg, genogram(&m, &links, 2026, SHEET_WIDTH));
        for x in &m {
            assert!(
                svg.contains(&format!("data-key=\"{}\"", x.key)),
                "{}",
                x.key
            );
            assert!(crate::svg::plain(&svg).contains(&esc(&x.relation)));
        }
        assert_eq!(svg.matches("class=\"married\"").count(), 5);
        assert_eq!(svg.matches("class=\"divorced\"").count(), 1);
        assert_eq!(svg.matches("class=\"partner\"").count(), 1);
        assert_eq!(svg.matches("class=\"household\"").count(), 1);
        assert_eq!(svg.matches("class=\"person client\"").count(), 1);
        // The deceased grandfather is crossed: two diagonals in his group.
        let start = svg.find("data-key=\"1\"").unwrap_or(0);
        let end = start + svg[start..].find("</g>").unwrap_or(0);
        assert_eq!(svg[start..end].matches("<line").count(), 2);
        assert!(crate::svg::plain(&svg).contains("要介護3 施設入所"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn names_are_escaped_and_empty_family_says_so() {
        let mut x = p(1, "<script>", Sex::Male);
        x.is_client = true;
        let svg = genogram(&[x], &[], 2026, SHEET_WIDTH);
        assert!(!svg.contains("<script>"));
        assert!(genogram(&[], &[], 2026, SHEET_WIDTH).contains("まだ入力されていません"));
    }

    #[test]
    fn a_family_is_laid_out_for_the_page_and_long_names_wrap() {
        let (mut m, links) = big_family();
        m[14].name = "長谷川 健一郎".into();
        m[14].note = "隣の県で会社を経営している。年に一度帰省する".into();
        let lay = layout(&m, &links, 2026, SHEET_WIDTH);
        // Narrower than at full size, but no narrower than a name's room.
        assert!(lay.slot < SLOT && lay.slot >= MIN_SLOT, "{}", lay.slot);
        let svg = genogram(&m, &links, 2026, SHEET_WIDTH);
        let cut: Vec<&str> = svg.split("</text>").filter(|t| t.ends_with('…')).collect();
        assert!(cut.is_empty(), "cut: {cut:?}");
        let text = crate::svg::plain(&svg);
        assert!(text.contains("長谷川 健一郎") && text.contains("年に一度帰省する"));
        assert!(font_sizes(&svg).iter().all(|f| *f >= MIN_FONT));
        // A small family keeps its full columns and fits the page.
        let small = &m[10..14];
        let few = layout(small, &links, 2026, SHEET_WIDTH);
        assert_eq!(few.slot, SLOT);
        let (w, _) = view_box(&genogram(small, &links, 2026, SHEET_WIDTH)).unwrap_or_default();
        assert!(w <= SHEET_WIDTH, "{w}");
    }
}
