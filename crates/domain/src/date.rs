//! Dates as specialists write them: 西暦 (2026-11-24, 2026/11/24, 20261124, 2026年11月24日) or
//! 和暦 (令和8年11月24日, R8.11.24, 平成31年4月30日, 昭和56年3月2日, 元年), full-width or half-width.
//! Stored as ISO dates; shown as both.

use chrono::{Datelike, NaiveDate};

/// A Japanese era with its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    pub letter: char,
    pub start: (i32, u32, u32),
}

pub const ERAS: [Era; 5] = [
    Era {
        name: "令和",
        letter: 'R',
        start: (2019, 5, 1),
    },
    Era {
        name: "平成",
        letter: 'H',
        start: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        letter: 'S',
        start: (1926, 12, 25),
    },
    Era {
        name: "大正",
        letter: 'T',
        start: (1912, 7, 30),
    },
    Era {
        name: "明治",
        letter: 'M',
        start: (1868, 1, 25),
    },
];

fn era_start(e: &Era) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(e.start.0, e.start.1, e.start.2)
}

/// The era a date falls in, newest first; `None` before 明治.
pub fn era_of(d: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().find_map(|e| {
        let start = era_start(e)?;
        (d >= start).then(|| (e, d.year() - e.start.0 + 1))
    })
}

/// Why a date was not accepted. The message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日付の形式が読み取れません。例: 2026-04-01、令和8年4月1日、R8.4.1")]
    Format,
    #[error("存在しない日付です。年・月・日を確かめてください。")]
    NoSuchDate,
    #[error("{0}{1}年はその日付を含みません（元号の期間外です）。")]
    OutsideEra(&'static str, i32),
    #[error("1900年から2100年までの日付を入力してください。")]
    OutOfRange,
}

/// Parses a date in any of the accepted forms.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    let s = crate::text::nfkc(raw).replace(' ', "");
    if s.is_empty() {
        return Err(DateError::Format);
    }
    let first = s.chars().next().ok_or(DateError::Format)?;
    let era = ERAS
        .iter()
        .find(|e| s.starts_with(e.name) || first.eq_ignore_ascii_case(&e.letter) && s.len() > 1);
    let date = if let Some(era) = era {
        let rest = s.strip_prefix(era.name).unwrap_or(&s[first.len_utf8()..]);
        let rest = rest.replacen("元", "1", 1);
        let [y, m, d] = three_numbers(&rest)?;
        let year = era.start.0 + y as i32 - 1;
        let date = NaiveDate::from_ymd_opt(year, m, d).ok_or(DateError::NoSuchDate)?;
        let start = era_start(era).ok_or(DateError::Format)?;
        let next_start = ERAS
            .iter()
            .position(|e| e.name == era.name)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| era_start(&ERAS[i]));
        if y == 0 || date < start || next_start.is_some_and(|n| date >= n) {
            return Err(DateError::OutsideEra(era.name, y as i32));
        }
        date
    } else if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = s[0..4].parse().map_err(|_| DateError::Format)?;
        let m: u32 = s[4..6].parse().map_err(|_| DateError::Format)?;
        let d: u32 = s[6..8].parse().map_err(|_| DateError::Format)?;
        NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDate)?
    } else {
        let [y, m, d] = three_numbers(&s)?;
        if y < 1000 {
            return Err(DateError::Format);
        }
        NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NoSuchDate)?
    };
    if !(1900..=2100).contains(&date.year()) {
        return Err(DateError::OutOfRange);
    }
    Ok(date)
}

/// Splits "8.4.1", "8年4月1日", "2026-04-01", "2026/4/1" into three numbers.
fn three_numbers(s: &str) -> Result<[u32; 3], DateError> {
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['年', '月', '.', '-', '/']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return Err(DateError::Format);
    }
    let mut out = [0u32; 3];
    for (i, p) in parts.iter().enumerate() {
        if !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(DateError::Format);
        }
        out[i] = p.parse().map_err(|_| DateError::Format)?;
    }
    Ok(out)
}

/// "令和8年11月24日".
pub fn format_wareki(d: NaiveDate) -> String {
    match era_of(d) {
        Some((e, 1)) => format!("{}元年{}月{}日", e.name, d.month(), d.day()),
        Some((e, y)) => format!("{}{}年{}月{}日", e.name, y, d.month(), d.day()),
        None => format_seireki(d),
    }
}

/// "2026年11月24日".
pub fn format_seireki(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "2026年11月24日（令和8年）" — the form shown on screens, both calendars at once.
pub fn format_both(d: NaiveDate) -> String {
    match era_of(d) {
        Some((e, 1)) => format!("{}（{}元年）", format_seireki(d), e.name),
        Some((e, y)) => format!("{}（{}{}年）", format_seireki(d), e.name, y),
        None => format_seireki(d),
    }
}

/// Full years of age on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Parses a year as specialists write it for family members and life events: 西暦 ("1950",
/// "1950年") or 和暦 ("昭和25年", "S25", "平成元年"). Only the era's range is checked loosely
/// (a year may belong to two eras), and the year must lie between 1850 and 2100.
pub fn parse_year(raw: &str) -> Result<i32, &'static str> {
    const MSG: &str = "年は「1950」「昭和25」「S25」のように入力してください。";
    let s = crate::text::nfkc(raw).replace([' ', '年'], "");
    let first = s.chars().next().ok_or(MSG)?;
    let era = ERAS
        .iter()
        .find(|e| s.starts_with(e.name) || first.eq_ignore_ascii_case(&e.letter) && s.len() > 1);
    let year = if let Some(era) = era {
        let rest = s.strip_prefix(era.name).unwrap_or(&s[first.len_utf8()..]);
        let rest = if rest == "元" { "1" } else { rest };
        let n: i32 = rest.parse().map_err(|_| MSG)?;
        let last = ERAS
            .iter()
            .position(|e| e.name == era.name)
            .and_then(|i| i.checked_sub(1))
            .map(|i| ERAS[i].start.0 - era.start.0 + 1)
            .unwrap_or(99);
        if n < 1 || n > last {
            return Err("その元号にない年です。元号と年を確かめてください。");
        }
        era.start.0 + n - 1
    } else {
        if !s.chars().all(|c| c.is_ascii_digit()) || s.len() != 4 {
            return Err(MSG);
        }
        s.parse().map_err(|_| MSG)?
    };
    if !(1850..=2100).contains(&year) {
        return Err("1850年から2100年までの年を入力してください。");
    }
    Ok(year)
}

/// Which calendar an office prints dates in.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// 令和8年11月25日
    #[default]
    Wareki,
    /// 2026年11月25日
    Seireki,
}

impl DateStyle {
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "wareki" => Some(Self::Wareki),
            "seireki" => Some(Self::Seireki),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Wareki => "wareki",
            Self::Seireki => "seireki",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Wareki => "和暦（令和8年11月25日）",
            Self::Seireki => "西暦（2026年11月25日）",
        }
    }
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Self::Wareki => format_wareki(d),
            Self::Seireki => format_seireki(d),
        }
    }
    pub fn opt(self, d: Option<NaiveDate>) -> String {
        d.map(|d| self.date(d)).unwrap_or_default()
    }
    /// 令和8年12月 / 2026年12月
    pub fn month(self, d: NaiveDate) -> String {
        match (self, era_of(d)) {
            (Self::Wareki, Some((e, 1))) => format!("{}元年{}月", e.name, d.month()),
            (Self::Wareki, Some((e, y))) => format!("{}{}年{}月", e.name, y, d.month()),
            _ => format!("{}年{}月", d.year(), d.month()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn seireki_forms() {
        for s in [
            "2026-11-24",
            "2026/11/24",
            "20261124",
            "2026年11月24日",
            "２０２６／１１／２４",
            " 2026-11-24 ",
        ] {
            assert_eq!(parse_date(s), Ok(d(2026, 11, 24)), "{s}");
        }
    }

    #[test]
    fn wareki_forms() {
        assert_eq!(parse_date("令和8年11月24日"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("R8.11.24"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("r8/11/24"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Ok(d(2019, 4, 30)));
        assert_eq!(parse_date("昭和56年3月2日"), Ok(d(1981, 3, 2)));
        assert_eq!(parse_date("S56.3.2"), Ok(d(1981, 3, 2)));
        assert_eq!(parse_date("Ｈ３０．４．１"), Ok(d(2018, 4, 1)));
    }

    #[test]
    fn dates_outside_their_era_are_refused() {
        assert_eq!(
            parse_date("平成31年5月1日"),
            Err(DateError::OutsideEra("平成", 31))
        );
        assert_eq!(
            parse_date("令和1年4月30日"),
            Err(DateError::OutsideEra("令和", 1))
        );
        assert_eq!(
            parse_date("昭和64年1月8日"),
            Err(DateError::OutsideEra("昭和", 64))
        );
        assert_eq!(
            parse_date("令和0年5月1日"),
            Err(DateError::OutsideEra("令和", 0))
        );
    }

    #[test]
    fn impossible_and_malformed_dates() {
        assert_eq!(parse_date("2026-02-30"), Err(DateError::NoSuchDate));
        assert_eq!(parse_date("2026-13-01"), Err(DateError::NoSuchDate));
        assert_eq!(parse_date("tomorrow"), Err(DateError::Format));
        assert_eq!(parse_date(""), Err(DateError::Format));
        assert_eq!(parse_date("26-1-1"), Err(DateError::Format));
        assert_eq!(parse_date("1850-01-01"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("<script>"), Err(DateError::Format));
    }

    #[test]
    fn formats_and_age() {
        assert_eq!(format_wareki(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(format_wareki(d(1981, 3, 2)), "昭和56年3月2日");
        assert_eq!(format_both(d(2026, 11, 24)), "2026年11月24日（令和8年）");
        assert_eq!(age_on(d(1981, 3, 2), d(2026, 3, 1)), 44);
        assert_eq!(age_on(d(1981, 3, 2), d(2026, 3, 2)), 45);
    }

    #[test]
    fn years_in_either_calendar() {
        assert_eq!(parse_year("1950"), Ok(1950));
        assert_eq!(parse_year("１９５０年"), Ok(1950));
        assert_eq!(parse_year("昭和25年"), Ok(1950));
        assert_eq!(parse_year("S25"), Ok(1950));
        assert_eq!(parse_year("平成元年"), Ok(1989));
        assert_eq!(parse_year("R8"), Ok(2026));
        assert!(parse_year("平成32").is_err());
        assert!(parse_year("昭和0").is_err());
        assert!(parse_year("50").is_err());
        assert!(parse_year("").is_err());
        assert!(parse_year("1700").is_err());
    }
}
