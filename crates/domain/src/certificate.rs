//! 受給者証 (certificates): validated input, the decided services, and the explicit list of
//! monitoring months the municipality wrote. Certificates are versioned: a change is a new one.

use crate::client::{optional_date, required_code, required_date};
use crate::date::parse_date;
use crate::errors::FieldErrors;
use crate::text;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::code_enum!(CertificateKind {
    Welfare = "welfare": "障害福祉サービス受給者証",
    ChildDay = "child_day": "通所受給者証",
    Community = "community": "地域相談支援受給者証",
});

crate::code_enum!(MonitoringPeriod {
    Monthly = "monthly": "毎月",
    Every2 = "every2": "2月ごと",
    Every3 = "every3": "3月ごと",
    Every6 = "every6": "6月ごと",
    Every12 = "every12": "12月ごと",
});

impl MonitoringPeriod {
    pub fn months(self) -> i32 {
        match self {
            MonitoringPeriod::Monthly => 1,
            MonitoringPeriod::Every2 => 2,
            MonitoringPeriod::Every3 => 3,
            MonitoringPeriod::Every6 => 6,
            MonitoringPeriod::Every12 => 12,
        }
    }
}

/// 受給者証番号: exactly ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CertificateNumber(String);

impl CertificateNumber {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s: String = text::nfkc(raw)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if s.len() == 10 && s.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(s))
        } else {
            Err("受給者証番号は10桁の数字で入力してください。")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A year and month, e.g. a monitoring month.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }
    /// "2026-07" as stored.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    pub fn from_code(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        let ym = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&ym.month).then_some(ym)
    }
    /// "2026年7月".
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// Parses the municipality's month list: "2026-07, 2026-10", "R8.7、R8.10", "令和8年7月",
/// or bare months "7,10,1,4" read as the first such month on or after `anchor` (the start of
/// the 計画相談支援給付費の支給期間). Months outside `[anchor, until]` are refused.
pub fn parse_monitoring_months(
    raw: &str,
    anchor: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<YearMonth>, String> {
    let s = text::nfkc(raw);
    let mut out: Vec<YearMonth> = Vec::new();
    for token in s
        .split([',', '、', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let t = token.strip_suffix('月').unwrap_or(token);
        let ym = if t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit()) {
            let m: u32 = t
                .parse()
                .map_err(|_| format!("「{token}」を月として読めません。"))?;
            if !(1..=12).contains(&m) {
                return Err(format!("「{token}」は1〜12月ではありません。"));
            }
            let a = anchor.ok_or_else(|| {
                "月だけで入力するときは、先に計画相談支援給付費の支給期間（開始日）を入力してください。"
                    .to_string()
            })?;
            let year = if m >= a.month() {
                a.year()
            } else {
                a.year() + 1
            };
            YearMonth { year, month: m }
        } else {
            let d = parse_date(&format!("{}.1", t.replace('年', "."))).map_err(|_| {
                format!("「{token}」を年月として読めません。例: 2026-07、R8.7、令和8年7月")
            })?;
            YearMonth::of(d)
        };
        if let Some(a) = anchor
            && ym < YearMonth::of(a)
        {
            return Err(format!("{}は支給期間の開始より前です。", ym.label()));
        }
        if let Some(u) = until
            && ym > YearMonth::of(u)
        {
            return Err(format!("{}は支給期間の終了より後です。", ym.label()));
        }
        if !out.contains(&ym) {
            out.push(ym);
        }
    }
    out.sort();
    Ok(out)
}

/// One decided service and its amount (決定サービスと支給量).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecidedService {
    pub service: String,
    pub amount: String,
}

/// Reads "種類：支給量" lines (full-width or ASCII colon, or a tab).
pub fn parse_services(raw: &str) -> Result<Vec<DecidedService>, String> {
    let mut out = Vec::new();
    for line in text::clean_text(raw)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (service, amount) = line
            .split_once(['：', ':', '\t'])
            .map(|(a, b)| (a.trim(), b.trim()))
            .unwrap_or((line, ""));
        if service.is_empty() {
            return Err(format!("「{line}」にサービスの種類がありません。"));
        }
        if service.chars().count() > 60 || amount.chars().count() > 60 {
            return Err("サービスの種類・支給量はそれぞれ60文字以内にしてください。".into());
        }
        out.push(DecidedService {
            service: service.into(),
            amount: amount.into(),
        });
    }
    if out.len() > 30 {
        return Err("決定サービスは30件までです。".into());
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CertificateInput {
    pub kind: String,
    pub number: String,
    pub municipality: String,
    /// 交付年月日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub issued_on: String,
    /// 支給決定期間 (from), required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub decision_from: String,
    /// 支給決定期間 (until), required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub decision_until: String,
    /// One "種類：支給量" per line.
    pub services: String,
    pub cost_cap_yen: String,
    /// 計画相談支援給付費の支給期間 (from), or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub plan_support_from: String,
    /// 計画相談支援給付費の支給期間 (until), or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub plan_support_until: String,
    pub monitoring_period: String,
    /// モニタリング実施月, separated by commas, 「、」 or spaces: "2026-07, 2026-10", "R8.7、R8.10", "令和8年7月", or bare months "7,10,1,4" (counted from `plan_support_from`).
    pub monitoring_months: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CertificateRecord {
    pub kind: CertificateKind,
    pub number: CertificateNumber,
    pub municipality: String,
    pub issued_on: NaiveDate,
    pub decision_from: NaiveDate,
    pub decision_until: NaiveDate,
    pub services: Vec<DecidedService>,
    pub cost_cap_yen: i64,
    pub plan_support_from: Option<NaiveDate>,
    pub plan_support_until: Option<NaiveDate>,
    pub monitoring_period: Option<MonitoringPeriod>,
    pub monitoring_months: Vec<YearMonth>,
    pub note: String,
}

impl CertificateInput {
    pub fn validate(&self) -> Result<CertificateRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = if self.kind.trim().is_empty() {
            Some(CertificateKind::Welfare)
        } else {
            required_code(&mut e, "kind", &self.kind, CertificateKind::from_code)
        };
        let number = CertificateNumber::parse(&self.number)
            .map_err(|m| e.add("number", m))
            .ok();
        let municipality = text::required_line(&mut e, "municipality", &self.municipality, 40);
        let issued_on = required_date(&mut e, "issued_on", &self.issued_on);
        let decision_from = required_date(&mut e, "decision_from", &self.decision_from);
        let decision_until = required_date(&mut e, "decision_until", &self.decision_until);
        if let (Some(f), Some(u)) = (decision_from, decision_until)
            && u < f
        {
            e.add(
                "decision_until",
                "支給決定期間の終わりが始まりより前になっています。",
            );
        }
        let services = parse_services(&self.services)
            .map_err(|m| e.add("services", m))
            .unwrap_or_default();
        let cap = text::nfkc(&self.cost_cap_yen).replace([',', '円'], "");
        let cost_cap_yen = if cap.is_empty() {
            0
        } else {
            match cap.parse::<i64>() {
                Ok(v) if (0..=100_000).contains(&v) => v,
                _ => {
                    e.add(
                        "cost_cap_yen",
                        "利用者負担上限月額は0〜100000の数字（円）で入力してください。",
                    );
                    0
                }
            }
        };
        let plan_support_from = optional_date(&mut e, "plan_support_from", &self.plan_support_from);
        let plan_support_until =
            optional_date(&mut e, "plan_support_until", &self.plan_support_until);
        if let (Some(f), Some(u)) = (plan_support_from, plan_support_until)
            && u < f
        {
            e.add(
                "plan_support_until",
                "支給期間の終わりが始まりより前になっています。",
            );
        }
        let monitoring_period = if self.monitoring_period.trim().is_empty() {
            None
        } else {
            required_code(
                &mut e,
                "monitoring_period",
                &self.monitoring_period,
                MonitoringPeriod::from_code,
            )
        };
        let anchor = plan_support_from.or(decision_from);
        let until = plan_support_until.or(decision_until);
        let monitoring_months = parse_monitoring_months(&self.monitoring_months, anchor, until)
            .map_err(|m| e.add("monitoring_months", m))
            .unwrap_or_default();
        let note = text::optional_text(&mut e, "note", &self.note, 2000);
        match (kind, number, issued_on, decision_from, decision_until) {
            (
                Some(kind),
                Some(number),
                Some(issued_on),
                Some(decision_from),
                Some(decision_until),
            ) if e.is_empty() => Ok(CertificateRecord {
                kind,
                number,
                municipality,
                issued_on,
                decision_from,
                decision_until,
                services,
                cost_cap_yen,
                plan_support_from,
                plan_support_until,
                monitoring_period,
                monitoring_months,
                note,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }
    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn certificate_number_is_ten_digits() {
        assert_eq!(
            CertificateNumber::parse("１２３４５６７８９０")
                .unwrap()
                .as_str(),
            "1234567890"
        );
        assert_eq!(
            CertificateNumber::parse("12345-67890").unwrap().as_str(),
            "1234567890"
        );
        assert!(CertificateNumber::parse("123456789").is_err());
        assert!(CertificateNumber::parse("12345678901").is_err());
        assert!(CertificateNumber::parse("12345a7890").is_err());
    }

    #[test]
    fn bare_months_follow_the_support_period() {
        // MHLW example: decision period May–April, 「3月ごと」 → Jul, Oct, Jan, Apr.
        let months =
            parse_monitoring_months("7,10,1,4", Some(d(2026, 5, 1)), Some(d(2027, 4, 30))).unwrap();
        assert_eq!(
            months,
            vec![ym(2026, 7), ym(2026, 10), ym(2027, 1), ym(2027, 4)]
        );
    }

    #[test]
    fn explicit_months_in_any_calendar() {
        let months =
            parse_monitoring_months("R8.5、2026年6月 2026-07 令和8年10月", None, None).unwrap();
        assert_eq!(
            months,
            vec![ym(2026, 5), ym(2026, 6), ym(2026, 7), ym(2026, 10)]
        );
    }

    #[test]
    fn months_outside_the_period_are_refused() {
        assert!(
            parse_monitoring_months("2027-06", Some(d(2026, 5, 1)), Some(d(2027, 4, 30))).is_err()
        );
        assert!(parse_monitoring_months("13", Some(d(2026, 5, 1)), None).is_err());
        assert!(parse_monitoring_months("7", None, None).is_err());
    }

    #[test]
    fn services_are_read_line_by_line() {
        let s = parse_services(
            "就労継続支援B型：当該月の日数から8日を控除した日数\n居宅介護(家事援助): 8時間/月",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].service, "居宅介護(家事援助)");
        assert_eq!(s[1].amount, "8時間/月");
    }

    #[test]
    fn a_full_certificate_validates() {
        let input = CertificateInput {
            number: "0123456789".into(),
            municipality: "N市".into(),
            issued_on: "R8.4.20".into(),
            decision_from: "2026-05-01".into(),
            decision_until: "2027-04-30".into(),
            services: "就労継続支援B型：22日/月".into(),
            cost_cap_yen: "０".into(),
            plan_support_from: "2026-05-01".into(),
            plan_support_until: "2027-04-30".into(),
            monitoring_period: "every3".into(),
            monitoring_months: "7,10,1,4".into(),
            ..Default::default()
        };
        let r = input.validate().unwrap();
        assert_eq!(r.monitoring_months.len(), 4);
        assert_eq!(r.kind, CertificateKind::Welfare);
        let bad = CertificateInput {
            number: "1".into(),
            decision_from: "2027-01-01".into(),
            decision_until: "2026-01-01".into(),
            cost_cap_yen: "-5".into(),
            ..Default::default()
        };
        let e = bad.validate().unwrap_err();
        for f in [
            "number",
            "municipality",
            "issued_on",
            "decision_until",
            "cost_cap_yen",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }
}
