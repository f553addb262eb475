//! Display strings prepared in Rust so the templates stay plain: dates, ages, choices.

use chrono::{NaiveDate, NaiveDateTime};
use yorisoi_domain::certificate::YearMonth;
use yorisoi_domain::client::ClientRecord;
use yorisoi_domain::date::{DateStyle, age_on};

tokio::task_local! {
    /// The calendar of the signed-in user's office (帳票の設定), for the request being served.
    static CALENDAR: DateStyle;
}

/// Serves `f` with dates shown in `style` (set once per request by `auth::resolve`).
pub async fn with_calendar<F: std::future::Future>(style: DateStyle, f: F) -> F::Output {
    CALENDAR.scope(style, f).await
}

/// The calendar of the request being served; 和暦 (the default setting) outside one.
pub fn calendar() -> DateStyle {
    CALENDAR.try_with(|s| *s).unwrap_or_default()
}

/// 令和8年11月30日, or 2026年11月30日 in an office that chose 西暦.
pub fn date(d: NaiveDate) -> String {
    calendar().date(d)
}
pub fn odate(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}
pub fn datetime(d: NaiveDateTime) -> String {
    format!("{} {}", date(d.date()), d.format("%H:%M"))
}
/// 令和8年7月 / 2026年7月.
pub fn month(m: YearMonth) -> String {
    m.first_day()
        .map(|d| calendar().month(d))
        .unwrap_or_else(|| m.label())
}

/// A date field's value: a stored date (ISO, as records give it) in the office's calendar, so
/// that 和暦 typed in comes back in 和暦; anything else (what was typed into a refused form) as
/// it is.
pub fn field_date(value: &str) -> String {
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) if value.len() == 10 => date(d),
        _ => value.to_string(),
    }
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

/// The 利用者台帳 as label–text lines (the client page, and the 本人開示's ledger).
pub fn ledger_lines(r: &ClientRecord) -> Vec<(&'static str, String)> {
    vec![
        (
            "生年月日",
            format!("{}（{}歳）", date(r.birth_date), age(r.birth_date)),
        ),
        ("性別", r.sex.label().to_string()),
        (
            "住所",
            format!(
                "{} {}",
                if r.postal_code.is_empty() {
                    String::new()
                } else {
                    format!("〒{}", r.postal_code)
                },
                r.address
            )
            .trim()
            .to_string(),
        ),
        ("電話", r.phone.clone()),
        (
            "障害種別",
            r.disability_kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("・"),
        ),
        ("診断名", r.diagnosis.clone()),
        ("合併症", r.complications.clone()),
        ("障害支援区分", {
            let period = match (r.support_category_from, r.support_category_until) {
                (None, None) => String::new(),
                (f, u) => format!("（{} 〜 {}）", odate(f), odate(u)),
            };
            format!("{}{}", r.support_category.label(), period)
        }),
        ("収入", {
            let kinds = r
                .income_kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("・");
            if r.income_note.is_empty() {
                kinds
            } else {
                format!("{kinds}（{}）", r.income_note)
            }
        }),
        (
            "保護者・後見人等",
            r.guardians
                .iter()
                .map(|g| {
                    format!(
                        "{}: {} {}",
                        g.kind.label(),
                        g.name_with_relation(),
                        g.contact
                    )
                    .trim()
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("キーパーソン", r.key_person.clone()),
        (
            "主治医・医療機関",
            format!("{} {}", r.doctor, r.medical_institution)
                .trim()
                .to_string(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[tokio::test]
    async fn dates_follow_the_calendar_of_the_request() {
        assert_eq!(date(d(2026, 11, 30)), "令和8年11月30日");
        let seireki = with_calendar(DateStyle::Seireki, async {
            (
                date(d(2026, 11, 30)),
                month(YearMonth::of(d(2019, 5, 1))),
                field_date("2026-04-01"),
            )
        })
        .await;
        assert_eq!(seireki.0, "2026年11月30日");
        assert_eq!(seireki.1, "2019年5月");
        assert_eq!(seireki.2, "2026年4月1日");
        let wareki = with_calendar(DateStyle::Wareki, async {
            (
                month(YearMonth::of(d(2019, 5, 1))),
                field_date("2026-04-01"),
            )
        })
        .await;
        assert_eq!(
            wareki,
            ("令和元年5月".to_string(), "令和8年4月1日".to_string())
        );
    }

    #[test]
    fn a_date_field_keeps_what_was_typed_unless_it_is_a_stored_date() {
        for typed in [
            "R8.4.1",
            "2026/4/1",
            "令和8年2月30日",
            "2026-4-1",
            "",
            "あした",
        ] {
            assert_eq!(field_date(typed), typed);
        }
        assert_eq!(field_date("2026-04-01"), "令和8年4月1日");
    }
}
