//! 支援経過記録 (case notes): quick chronological records.

use crate::client::required_code;
use crate::errors::FieldErrors;
use crate::text;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

crate::code_enum!(NoteKind {
    Phone = "phone": "電話",
    Interview = "interview": "面談",
    Visit = "visit": "訪問",
    Accompany = "accompany": "同行",
    Meeting = "meeting": "会議",
    Agency = "agency": "関係機関連絡",
    Mail = "mail": "メール",
    Other = "other": "その他",
});

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({
    "date": "R8.4.15",
    "time": "10:30",
    "kind": "phone",
    "counterpart": "母",
    "content": "来週の訪問日程を確認。本人も同席できるとのこと。",
    "minutes": "15"
}))]
pub struct NoteInput {
    /// Date, or empty for today. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub date: String,
    /// "HH:MM"; empty means now.
    pub time: String,
    /// A `NoteKind` code.
    pub kind: String,
    pub counterpart: String,
    pub content: String,
    /// 所要時間 in minutes, or empty.
    pub minutes: String,
    /// The case the note belongs to, if any.
    pub case_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NoteRecord {
    /// Japan's local date and time, without an offset (JST): 2026-11-27T09:40:00.
    #[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", example = "2026-11-27T09:40:00")]
    pub occurred_at: NaiveDateTime,
    pub kind: NoteKind,
    pub counterpart: String,
    pub content: String,
    pub minutes: Option<i32>,
    pub case_id: Option<i64>,
}

impl NoteInput {
    /// `now` is the local (Japan) time, used when date or time is left empty.
    pub fn validate(&self, now: NaiveDateTime) -> Result<NoteRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let date: Option<NaiveDate> = if self.date.trim().is_empty() {
            Some(now.date())
        } else {
            crate::client::optional_date(&mut e, "date", &self.date)
        };
        let t = text::nfkc(&self.time).replace('：', ":");
        let time = if t.is_empty() {
            Some(now.time())
        } else {
            match NaiveTime::parse_from_str(&t, "%H:%M") {
                Ok(t) => Some(t),
                Err(_) => {
                    e.add("time", "時刻は「14:30」のように入力してください。");
                    None
                }
            }
        };
        let occurred_at = date.zip(time).map(|(d, t)| d.and_time(t));
        if occurred_at.is_some_and(|o| o > now + chrono::Duration::minutes(5)) {
            e.add(
                "date",
                "未来の日時の記録はできません。予定は予定表に入れてください。",
            );
        }
        let kind = required_code(&mut e, "kind", &self.kind, NoteKind::from_code);
        let counterpart = text::optional_line(&mut e, "counterpart", &self.counterpart, 100);
        let content = text::optional_text(&mut e, "content", &self.content, 8000);
        if content.is_empty() {
            e.add("content", "内容を入力してください。");
        }
        let m = text::nfkc(&self.minutes).replace('分', "");
        let minutes = if m.is_empty() {
            None
        } else {
            match m.parse::<i32>() {
                Ok(v) if (0..=1440).contains(&v) => Some(v),
                _ => {
                    e.add(
                        "minutes",
                        "所要時間は0〜1440の数字（分）で入力してください。",
                    );
                    None
                }
            }
        };
        let case_id = if self.case_id.trim().is_empty() {
            None
        } else {
            match self.case_id.trim().parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    e.add("case_id", "ケースを一覧から選んでください。");
                    None
                }
            }
        };
        match (occurred_at, kind) {
            (Some(occurred_at), Some(kind)) if e.is_empty() => Ok(NoteRecord {
                occurred_at,
                kind,
                counterpart,
                content,
                minutes,
                case_id,
            }),
            _ => Err(e),
        }
    }
}

/// The period of a 支援経過記録 print, as typed: two dates in 和暦 or 西暦. Left empty, it is
/// the twelve months up to today (an inspection usually asks for a year).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PeriodInput {
    /// 期間の始まり（例: 2025-12-01、令和7年12月1日、R7.12.1）。空なら終わりの12か月前の翌日。
    pub from: String,
    /// 期間の終わり（例: 2026-11-30、令和8年11月30日）。空なら今日。
    pub until: String,
}

impl PeriodInput {
    /// The twelve months that end on `until`: 2025-12-01..=2026-11-30 for 2026-11-30.
    pub fn year_to(until: NaiveDate) -> (NaiveDate, NaiveDate) {
        let from = until
            .checked_sub_months(chrono::Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(until);
        (from, until)
    }

    /// The period's first and last dates, or the messages by field.
    pub fn validate(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let from = crate::client::optional_date(&mut e, "from", &self.from);
        let until = crate::client::optional_date(&mut e, "until", &self.until);
        if !e.is_empty() {
            return Err(e);
        }
        let until = until.unwrap_or(today);
        let from = from.unwrap_or(Self::year_to(until).0);
        if from > until {
            e.add(
                "until",
                "期間の終わりが始まりより前になっています。日付を確かめてください。",
            );
            return Err(e);
        }
        Ok((from, until))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(10, 15, 0)
            .unwrap()
    }

    #[test]
    fn time_defaults_to_now() {
        let n = NoteInput {
            kind: "phone".into(),
            content: "体調確認".into(),
            ..Default::default()
        };
        let r = n.validate(now()).unwrap();
        assert_eq!(r.occurred_at, now());
        assert_eq!(r.minutes, None);
    }

    #[test]
    fn explicit_wareki_date_and_full_width_time() {
        let n = NoteInput {
            date: "R8.11.20".into(),
            time: "１４：３０".into(),
            kind: "visit".into(),
            content: "居宅訪問".into(),
            minutes: "６０分".into(),
            ..Default::default()
        };
        let r = n.validate(now()).unwrap();
        assert_eq!(r.occurred_at.to_string(), "2026-11-20 14:30:00");
        assert_eq!(r.minutes, Some(60));
    }

    #[test]
    fn a_period_is_the_last_twelve_months_unless_typed_in_either_calendar() {
        let today = now().date();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let p = PeriodInput::default();
        assert_eq!(
            p.validate(today).unwrap(),
            (d(2025, 11, 25), d(2026, 11, 24))
        );
        let p = PeriodInput {
            from: "R8.4.1".into(),
            until: "２０２６年９月３０日".into(),
        };
        assert_eq!(p.validate(today).unwrap(), (d(2026, 4, 1), d(2026, 9, 30)));
        let p = PeriodInput {
            from: "".into(),
            until: "令和8年3月31日".into(),
        };
        assert_eq!(p.validate(today).unwrap(), (d(2025, 4, 1), d(2026, 3, 31)));
        // A year back from 28 February 2025 is the 28th; the period starts the day after.
        assert_eq!(PeriodInput::year_to(d(2025, 2, 28)).0, d(2024, 2, 29));
        let bad = PeriodInput {
            from: "そのうち".into(),
            until: "R8.13.1".into(),
        };
        let e = bad.validate(today).unwrap_err();
        assert!(e.get("from").is_some() && e.get("until").is_some(), "{e}");
        let reversed = PeriodInput {
            from: "2026-10-01".into(),
            until: "2026-09-30".into(),
        };
        assert!(reversed.validate(today).unwrap_err().get("until").is_some());
    }

    #[test]
    fn bad_notes_are_refused_field_by_field() {
        let n = NoteInput {
            date: "2026-12-24".into(),
            time: "25:00".into(),
            kind: "gossip".into(),
            minutes: "-1".into(),
            case_id: "x".into(),
            ..Default::default()
        };
        let e = n.validate(now()).unwrap_err();
        for f in ["time", "kind", "content", "minutes", "case_id"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let future = NoteInput {
            date: "2026-12-24".into(),
            kind: "phone".into(),
            content: "x".into(),
            ..Default::default()
        };
        assert!(future.validate(now()).unwrap_err().get("date").is_some());
    }
}
