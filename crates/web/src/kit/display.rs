//! Display strings prepared in Rust so the templates stay plain: dates, ages, choices.

use chrono::{NaiveDate, NaiveDateTime};
use yorisoi_domain::date::{age_on, format_both};

pub fn date(d: NaiveDate) -> String {
    format_both(d)
}
pub fn odate(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}
pub fn datetime(d: NaiveDateTime) -> String {
    format!("{} {}", format_both(d.date()), d.format("%H:%M"))
}
pub fn age(birth: NaiveDate) -> i32 {
    age_on(birth, yorisoi_store::today_jst())
}

/// A select option or checkbox: (code, label, selected).
pub type Opt = (&'static str, &'static str, bool);

/// Options for a single choice, with `current` selected.
pub fn opts<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    current: &str,
) -> Vec<Opt> {
    all.iter()
        .map(|t| (code(*t), label(*t), code(*t) == current))
        .collect()
}

/// Options for a multiple choice, with every code in `current` selected.
pub fn opts_multi<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    current: &[String],
) -> Vec<Opt> {
    all.iter()
        .map(|t| (code(*t), label(*t), current.iter().any(|c| c == code(*t))))
        .collect()
}

/// Free-form options (staff lists): (value, label, selected).
pub fn id_opts(items: &[(String, String)], current: &str) -> Vec<(String, String, bool)> {
    items
        .iter()
        .map(|(v, l)| (v.clone(), l.clone(), v == current))
        .collect()
}
