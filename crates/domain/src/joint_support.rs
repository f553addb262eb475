//! 地域体制強化共同支援加算: the evidence that a hard case was worked on by three or more parties
//! together and reported to the 協議会 in writing — who took part, when, the written report, and
//! how long the record is kept (five years from the report).

use crate::client::{optional_id, required_date};
use crate::errors::FieldErrors;
use crate::text;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The fewest parties the 加算 asks for.
pub const MIN_PARTIES: usize = 3;
/// How long the record is kept after the written report, in years.
pub const KEEP_YEARS: u32 = 5;

/// One party who worked on the case: a name and their organisation or role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Party {
    /// 氏名
    pub name: String,
    /// 所属・役割（例: N市障害福祉課、サービス管理責任者）
    pub organisation: String,
}

/// A record as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JointSupportRecord {
    /// The day the parties worked on the case together.
    pub worked_on: NaiveDate,
    pub parties: Vec<Party>,
    /// The day of the written report to the 協議会.
    pub reported_on: NaiveDate,
    pub report_title: String,
    pub summary: String,
    /// The 地域課題 it concerns (an id of this office), if any.
    pub issue_id: Option<i64>,
}

/// The fields as a form or the API sends them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct JointSupportInput {
    /// 共同で支援した日. 西暦 (2026-04-01) or 和暦 (令和8年4月1日, R8.4.1).
    pub worked_on: String,
    /// 関係者（3者以上。空の行は無視します）
    pub parties: Vec<Party>,
    /// 協議会へ文書で報告した日. 西暦 or 和暦.
    pub reported_on: String,
    /// 報告書の表題（100文字まで）
    pub report_title: String,
    /// 支援の内容（2000文字まで）
    pub summary: String,
    /// 関係する地域課題の id（空なら結び付けなし）
    pub issue_id: String,
}

/// The day until which a record reported on `reported_on` is kept.
pub fn keep_until(reported_on: NaiveDate) -> NaiveDate {
    reported_on
        .checked_add_months(Months::new(KEEP_YEARS * 12))
        .unwrap_or(NaiveDate::MAX)
}

impl JointSupportInput {
    pub fn validate(&self) -> Result<JointSupportRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let worked_on = required_date(&mut e, "worked_on", &self.worked_on);
        let reported_on = required_date(&mut e, "reported_on", &self.reported_on);
        if let (Some(w), Some(r)) = (worked_on, reported_on)
            && r < w
        {
            e.add(
                "reported_on",
                "協議会への報告日が、共同で支援した日より前になっています。支援した日以降の日付にしてください。",
            );
        }
        let mut parties: Vec<Party> = Vec::new();
        for p in &self.parties {
            let name = text::clean_text(&p.name);
            let organisation = text::clean_text(&p.organisation);
            if name.is_empty() && organisation.is_empty() {
                continue;
            }
            if name.is_empty() {
                e.add(
                    "parties",
                    format!("「{organisation}」の方の氏名を入力してください。"),
                );
                continue;
            }
            text::check_text(&mut e, "parties", &name, 60, false);
            text::check_text(&mut e, "parties", &organisation, 100, false);
            let p = Party { name, organisation };
            if !parties.contains(&p) {
                parties.push(p);
            }
        }
        if parties.len() < MIN_PARTIES && e.get("parties").is_none() {
            e.add(
                "parties",
                format!(
                    "関係者は{MIN_PARTIES}者以上が必要です（いま{}者）。共同で支援した人を、所属・役割とともに入力してください。",
                    parties.len()
                ),
            );
        }
        let report_title = text::required_line(&mut e, "report_title", &self.report_title, 100);
        let summary = text::clean_text(&self.summary);
        if summary.is_empty() {
            e.add("summary", "支援の内容を入力してください。");
        } else {
            text::check_text(&mut e, "summary", &summary, 2000, true);
        }
        let issue_id = optional_id(&mut e, "issue_id", &text::nfkc(&self.issue_id));
        match (worked_on, reported_on) {
            (Some(worked_on), Some(reported_on)) if e.is_empty() => Ok(JointSupportRecord {
                worked_on,
                parties,
                reported_on,
                report_title,
                summary,
                issue_id,
            }),
            _ => Err(e),
        }
    }

    pub fn from_record(r: &JointSupportRecord) -> Self {
        JointSupportInput {
            worked_on: r.worked_on.format("%Y-%m-%d").to_string(),
            parties: r.parties.clone(),
            reported_on: r.reported_on.format("%Y-%m-%d").to_string(),
            report_title: r.report_title.clone(),
            summary: r.summary.clone(),
            issue_id: r.issue_id.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

impl JointSupportRecord {
    /// The day until which the record is kept (and cannot be deleted).
    pub fn keep_until(&self) -> NaiveDate {
        keep_until(self.reported_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn party(name: &str, org: &str) -> Party {
        Party {
            name: name.into(),
            organisation: org.into(),
        }
    }

    fn input() -> JointSupportInput {
        JointSupportInput {
            worked_on: "令和8年10月5日".into(),
            parties: vec![
                party("佐藤 一郎", "N市障害福祉課"),
                party("鈴木 花子", "グループホームひまわり サービス管理責任者"),
                party("田中 次郎", "成年後見人"),
                party("", ""),
            ],
            reported_on: "2026/11/20".into(),
            report_title: "地域移行の共同支援について".into(),
            summary: "施設からの地域移行を、三者で共同して支援した。".into(),
            issue_id: String::new(),
        }
    }

    #[test]
    fn a_record_needs_three_parties_and_a_report_after_the_work() {
        let ok = input().validate().unwrap();
        assert_eq!(ok.worked_on, d("2026-10-05"));
        assert_eq!(ok.reported_on, d("2026-11-20"));
        assert_eq!(ok.parties.len(), 3, "the blank line is no party");
        assert_eq!(ok.keep_until(), d("2031-11-20"));
        assert_eq!(JointSupportInput::from_record(&ok).validate().unwrap(), ok);

        let mut two = input();
        two.parties.truncate(2);
        let e = two.validate().unwrap_err();
        assert!(
            e.get("parties")
                .unwrap()
                .starts_with("関係者は3者以上が必要です（いま2者）"),
            "{e:?}"
        );
        // The same party twice counts once.
        let mut twice = input();
        twice.parties[2] = party("佐藤 一郎", "N市障害福祉課");
        assert!(twice.validate().unwrap_err().get("parties").is_some());
        let mut nameless = input();
        nameless.parties.push(party("", "相談支援事業所"));
        assert_eq!(
            nameless.validate().unwrap_err().get("parties"),
            Some("「相談支援事業所」の方の氏名を入力してください。")
        );

        let mut early = input();
        early.reported_on = "R8.10.4".into();
        let e = early.validate().unwrap_err();
        assert!(e.get("reported_on").unwrap().contains("支援した日より前"));
        let mut same_day = input();
        same_day.reported_on = "R8.10.5".into();
        assert!(same_day.validate().is_ok());

        let e = JointSupportInput::default().validate().unwrap_err();
        assert!(
            e.get("worked_on")
                .unwrap()
                .contains("日付を入力してください")
        );
        assert!(e.get("reported_on").is_some());
        assert_eq!(e.get("report_title"), Some("入力してください。"));
        assert_eq!(e.get("summary"), Some("支援の内容を入力してください。"));
        let mut bad_date = input();
        bad_date.worked_on = "いつか".into();
        assert!(bad_date.validate().unwrap_err().get("worked_on").is_some());
    }

    #[test]
    fn keep_until_is_five_years_after_the_report() {
        assert_eq!(keep_until(d("2026-11-20")), d("2031-11-20"));
        assert_eq!(keep_until(d("2028-02-29")), d("2033-02-28"));
    }
}
