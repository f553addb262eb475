//! What changed between two versions of an assessment, section by section, as lines a
//! specialist can read ("追加: 妹 …", "削除: …").

use super::*;

/// One section's changes: lines only in the older version, lines only in the newer.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SectionDiff {
    pub section: &'static str,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

fn yn(b: bool, s: &str) -> &str {
    if b { s } else { "" }
}

/// The record as readable lines per section, in the sheet's order.
pub fn outline(r: &AssessmentRecord) -> Vec<(&'static str, Vec<String>)> {
    let one = |label: &str, v: &str| {
        if v.is_empty() {
            Vec::new()
        } else {
            vec![format!("{label}: {v}")]
        }
    };
    let key_name = |k: u32| {
        r.family
            .iter()
            .find(|m| m.key == k)
            .map(|m| m.relation.clone())
            .unwrap_or_else(|| format!("#{k}"))
    };
    let mut out = vec![
        (
            "実施",
            vec![
                format!("実施日: {}", crate::date::format_both(r.assessed_on)),
                format!("方法: {}", r.method.label()),
            ]
            .into_iter()
            .chain(one("同席者", &r.present))
            .chain(one("ケースの呼び名", &r.title))
            .collect(),
        ),
        ("希望", {
            let mut v = one("本人の希望", &r.wish_person);
            v.extend(one("受け止め方", &r.child.expression));
            v.extend(one("家族の希望", &r.family_wishes_text()));
            v
        }),
        (
            "発達と育ち",
            CHILD_GROWTH
                .iter()
                .flat_map(|(n, l)| one(l, r.child.get(n)))
                .collect(),
        ),
        (
            "家族の状況と支援",
            CHILD_FAMILY
                .iter()
                .flat_map(|(n, l)| one(l, r.child.get(n)))
                .collect(),
        ),
        ("本人の様子", one("様子", &r.appearance)),
        ("住環境", one("住環境", &r.living)),
        (
            "ストレングス",
            r.strengths
                .iter()
                .map(|s| format!("{}: {}", s.kind.label(), s.text))
                .collect(),
        ),
        (
            "デマンドとニーズ",
            r.demands
                .iter()
                .map(|d| format!("要望（{}）: {}", d.speaker.label(), d.words))
                .chain(r.needs.iter().map(|n| {
                    format!(
                        "ニーズ: {}{}{}",
                        n.text,
                        if n.grounds.is_empty() {
                            String::new()
                        } else {
                            format!(" ／根拠: {}", n.grounds)
                        },
                        if n.reframing.is_empty() {
                            String::new()
                        } else {
                            format!(" ／リフレーミング: {}", n.reframing)
                        }
                    )
                }))
                .collect(),
        ),
        (
            "家族構成",
            r.family
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {} {}{}{}{} {}",
                        m.relation,
                        m.name,
                        m.sex.label(),
                        m.birth_year
                            .map(|y| format!("{y}年生"))
                            .or(m.age.map(|a| format!("{a}歳")))
                            .unwrap_or_default(),
                        yn(m.deceased, " 死亡"),
                        yn(m.cohabiting, " 同居"),
                        yn(m.is_client, " 本人"),
                        m.note
                    )
                    .trim()
                    .to_string()
                })
                .chain(r.family_links.iter().map(|l| {
                    format!(
                        "{}: {} — {}",
                        l.kind.label(),
                        key_name(l.from),
                        key_name(l.to)
                    )
                }))
                .collect(),
        ),
        (
            "生活歴",
            r.history
                .iter()
                .map(|h| match h.month {
                    Some(m) => format!("{}年{}月 {}", h.year, m, h.event),
                    None => format!("{}年 {}", h.year, h.event),
                })
                .collect(),
        ),
        (
            "能力",
            r.abilities
                .iter()
                .map(|a| {
                    format!(
                        "{}: {} {}",
                        a.item.label(),
                        a.level.map(|l| l.label()).unwrap_or("—"),
                        a.note
                    )
                    .trim()
                    .to_string()
                })
                .chain(one("趣味", &r.hobbies))
                .chain(one("特技", &r.special_skills))
                .collect(),
        ),
        (
            "エコマップ",
            r.ecomap
                .iter()
                .map(|t| {
                    format!(
                        "{}（{}）: {}・{} {}",
                        t.name,
                        t.kind.label(),
                        t.tie.label(),
                        t.direction.label(),
                        t.note
                    )
                    .trim()
                    .to_string()
                })
                .collect(),
        ),
        (
            "日課",
            r.day
                .iter()
                .map(|d| format!("{} {}", d.time.format("%H:%M"), d.activity))
                .collect(),
        ),
        ("生活サイクル", {
            let mut v = Vec::new();
            for (d, day) in r.week.iter().enumerate() {
                for (s, cell) in day.iter().enumerate() {
                    if !cell.is_empty() {
                        v.push(format!(
                            "{}曜{}: {}",
                            WEEKDAYS[d],
                            WeekSlot::ALL[s].label(),
                            cell
                        ));
                    }
                }
            }
            v
        }),
        (
            "医療",
            r.prescriptions
                .iter()
                .map(|p| {
                    format!("処方: {} {} {}", p.drug, p.dose, p.timing)
                        .trim()
                        .to_string()
                })
                .chain(r.clinics.iter().map(|c| {
                    format!("通院: {} {} {}", c.name, c.department, c.frequency)
                        .trim()
                        .to_string()
                }))
                .chain(one("メモ", &r.medical_note))
                .collect(),
        ),
        ("担当者としての判断", one("判断", &r.judgement)),
    ];
    out.retain(|(_, v)| !v.is_empty());
    out
}

/// The sections that differ between `old` and `new`.
pub fn diff(old: &AssessmentRecord, new: &AssessmentRecord) -> Vec<SectionDiff> {
    let a = outline(old);
    let b = outline(new);
    let mut sections: Vec<&'static str> = a.iter().map(|(s, _)| *s).collect();
    for (s, _) in &b {
        if !sections.contains(s) {
            sections.push(s);
        }
    }
    let lines = |o: &[(&'static str, Vec<String>)], s: &str| {
        o.iter()
            .find(|(x, _)| *x == s)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    sections
        .into_iter()
        .filter_map(|s| {
            let (x, y) = (lines(&a, s), lines(&b, s));
            let removed: Vec<String> = x.iter().filter(|l| !y.contains(l)).cloned().collect();
            let added: Vec<String> = y.iter().filter(|l| !x.contains(l)).cloned().collect();
            (!removed.is_empty() || !added.is_empty()).then_some(SectionDiff {
                section: s,
                removed,
                added,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec() -> AssessmentRecord {
        AssessmentRecord::new(
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
            AssessmentMethod::HomeVisit,
            String::new(),
            BasicInfo::default(),
        )
    }

    #[test]
    fn only_changed_sections_are_reported() {
        let mut a = rec();
        a.wish_person = "A型で働きたい".into();
        a.family.push(FamilyMember {
            key: 1,
            relation: "本人".into(),
            name: String::new(),
            sex: Sex::Female,
            birth_year: Some(1996),
            age: None,
            deceased: false,
            cohabiting: true,
            is_client: true,
            note: String::new(),
        });
        let mut b = a.clone();
        b.family.push(FamilyMember {
            key: 2,
            relation: "妹".into(),
            is_client: false,
            ..a.family[0].clone()
        });
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].section, "家族構成");
        assert!(d[0].removed.is_empty());
        assert_eq!(d[0].added.len(), 1);
        assert!(d[0].added[0].starts_with("妹"));
        assert!(diff(&a, &a).is_empty());
    }

    #[test]
    fn an_edited_wish_shows_as_removed_and_added() {
        let mut a = rec();
        a.wish_person = "働きたい".into();
        let mut b = a.clone();
        b.wish_person = "A型で働きたい".into();
        let d = diff(&a, &b);
        assert_eq!(d[0].section, "希望");
        assert_eq!(d[0].removed, vec!["本人の希望: 働きたい".to_string()]);
        assert_eq!(d[0].added, vec!["本人の希望: A型で働きたい".to_string()]);
    }
}
