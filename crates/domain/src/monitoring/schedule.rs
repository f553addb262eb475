//! When monitoring is due (DOMAIN.md §3.7). The months come from the certificates the
//! municipality issued — the explicit month list when it wrote one, otherwise its period counted
//! from the start of the support — and never from anywhere else. A certificate governs from its
//! effective month until the next one takes over, so a change of period or a renewal moves the
//! schedule from that month on.

use crate::certificate::{CertificateRecord, MonitoringPeriod, YearMonth};
use chrono::NaiveDate;
use serde::Serialize;

impl YearMonth {
    /// Months since year 0, for arithmetic.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }
    pub fn from_index(i: i32) -> Self {
        Self {
            year: i.div_euclid(12),
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }
    pub fn plus(self, months: i32) -> Self {
        Self::from_index(self.index() + months)
    }
}

/// What the schedule needs of one certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub certificate_id: i64,
    pub issued_on: NaiveDate,
    /// 計画相談支援給付費の支給期間 (or the decision period when it is not written).
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub period: Option<MonitoringPeriod>,
    pub months: Vec<YearMonth>,
}

impl Term {
    pub fn of(certificate_id: i64, c: &CertificateRecord) -> Self {
        Self {
            certificate_id,
            issued_on: c.issued_on,
            from: c.plan_support_from.unwrap_or(c.decision_from),
            until: c.plan_support_until.unwrap_or(c.decision_until),
            period: c.monitoring_period,
            months: c.monitoring_months.clone(),
        }
    }

    /// The month it takes effect: its support period's start, or the month it was issued when
    /// that is later (a change issued mid-period counts from then on).
    fn effective(&self) -> YearMonth {
        YearMonth::of(self.from.max(self.issued_on))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    Done,
    /// A past month with no monitoring.
    Overdue,
    /// This month, not yet done.
    Due,
    Upcoming,
}

impl DueState {
    pub fn label(self) -> &'static str {
        match self {
            DueState::Done => "実施済み",
            DueState::Overdue => "未実施（期限切れ）",
            DueState::Due => "今月",
            DueState::Upcoming => "予定",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DueMonth {
    pub month: YearMonth,
    pub certificate_id: i64,
    /// Written on the certificate (true) or counted from its period (false).
    pub listed: bool,
    pub done_on: Option<NaiveDate>,
    pub state: DueState,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MonitoringSchedule)]
pub struct Schedule {
    pub months: Vec<DueMonth>,
    /// Monitorings recorded in a month the certificates do not list: allowed, but the
    /// municipality must change the period first.
    pub off_schedule: Vec<NaiveDate>,
    /// Why there are no months, in Japanese, when there are none.
    pub gap: Option<&'static str>,
}

impl Schedule {
    pub fn overdue(&self) -> impl Iterator<Item = &DueMonth> {
        self.months.iter().filter(|m| m.state == DueState::Overdue)
    }
    pub fn due_now(&self) -> Option<&DueMonth> {
        self.months.iter().find(|m| m.state == DueState::Due)
    }
    pub fn next(&self) -> Option<&DueMonth> {
        self.months
            .iter()
            .find(|m| matches!(m.state, DueState::Due | DueState::Upcoming))
    }
}

/// The due months of a case.
///
/// - `terms`: the client's certificates, in any order;
/// - `plan_from`: the date of the first final plan of the case (no plan, no monitoring);
/// - `closed_on`: the case's end; months after it are dropped;
/// - `done`: the dates of the monitorings recorded;
/// - `today`: to tell overdue from upcoming.
pub fn schedule(
    terms: &[Term],
    plan_from: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    done: &[NaiveDate],
    today: NaiveDate,
) -> Schedule {
    let mut s = Schedule::default();
    let Some(plan_from) = plan_from else {
        s.gap = Some("本計画がまだないため、モニタリング月はありません。");
        s.off_schedule = done.to_vec();
        return s;
    };
    let mut terms: Vec<&Term> = terms.iter().collect();
    terms.sort_by_key(|t| (t.effective(), t.issued_on));
    let start = YearMonth::of(plan_from);
    let end = closed_on.map(YearMonth::of);
    let mut due: Vec<(YearMonth, i64, bool)> = Vec::new();
    let mut anchor: Option<YearMonth> = None;
    let mut prev_end: Option<YearMonth> = None;
    for (i, t) in terms.iter().enumerate() {
        let from = t.effective();
        let mut until = YearMonth::of(t.until);
        if let Some(next) = terms.get(i + 1) {
            until = until.min(next.effective().plus(-1));
        }
        // A period counts from the start of the support the certificates have carried on
        // without a break (the MHLW example: monthly May–Jul, then 「6月ごと」 → Oct, Apr).
        let contiguous = prev_end.is_some_and(|p| p.plus(1) >= YearMonth::of(t.from));
        if !contiguous {
            anchor = Some(YearMonth::of(t.from));
        }
        prev_end = Some(YearMonth::of(t.until).max(prev_end.unwrap_or(from)));
        let a = anchor.unwrap_or(from);
        let in_window = |m: YearMonth| m >= from && m <= until && m >= start;
        if !t.months.is_empty() {
            for m in t.months.iter().copied().filter(|m| in_window(*m)) {
                due.push((m, t.certificate_id, true));
            }
        } else if let Some(p) = t.period {
            let n = p.months();
            let mut m = from.max(start);
            while m <= until {
                if (m.index() - a.index()).rem_euclid(n) == n - 1 {
                    due.push((m, t.certificate_id, false));
                }
                m = m.plus(1);
            }
        }
    }
    if terms.is_empty() {
        s.gap = Some("受給者証が登録されていないため、モニタリング月はありません。");
    } else if due.is_empty() {
        s.gap = Some(
            "受給者証にモニタリング期間も月も書かれていません。受給者証を確かめて登録してください。",
        );
    }
    due.sort();
    due.dedup_by_key(|d| d.0);
    let mut done_sorted = done.to_vec();
    done_sorted.sort();
    let this_month = YearMonth::of(today);
    for (month, certificate_id, listed) in due {
        let done_on = done_sorted
            .iter()
            .copied()
            .find(|d| YearMonth::of(*d) == month);
        // The case ended before this month (or during it, with nothing done): support is over.
        if let Some(e) = end
            && (month > e || (month == e && done_on.is_none()))
        {
            continue;
        }
        let state = match done_on {
            Some(_) => DueState::Done,
            None if month < this_month => DueState::Overdue,
            None if month == this_month => DueState::Due,
            None => DueState::Upcoming,
        };
        s.months.push(DueMonth {
            month,
            certificate_id,
            listed,
            done_on,
            state,
        });
    }
    s.off_schedule = done_sorted
        .into_iter()
        .filter(|d| !s.months.iter().any(|m| m.month == YearMonth::of(*d)))
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth { year: y, month: m }
    }
    fn term(id: i64, from: NaiveDate, until: NaiveDate, period: Option<MonitoringPeriod>) -> Term {
        Term {
            certificate_id: id,
            issued_on: from - chrono::Duration::days(10),
            from,
            until,
            period,
            months: Vec::new(),
        }
    }
    fn months(s: &Schedule) -> Vec<YearMonth> {
        s.months.iter().map(|m| m.month).collect()
    }

    #[test]
    fn mhlw_renewal_every_three_months() {
        // Decision period May–April, 「3月ごと」 → Jul, Oct, Jan, Apr.
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        let s = schedule(&[t], Some(d(2026, 5, 1)), None, &[], d(2026, 5, 10));
        assert_eq!(
            months(&s),
            vec![ym(2026, 7), ym(2026, 10), ym(2027, 1), ym(2027, 4)]
        );
        assert!(
            s.months
                .iter()
                .all(|m| m.state == DueState::Upcoming && !m.listed)
        );
    }

    #[test]
    fn mhlw_new_user_monthly_then_every_six_months() {
        // New user: monthly for three months → May, Jun, Jul; then 「6月ごと」 → Oct, Apr.
        let first = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Monthly),
        );
        let mut second = term(
            2,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every6),
        );
        second.issued_on = d(2026, 8, 1);
        let s = schedule(
            &[second, first],
            Some(d(2026, 4, 25)),
            None,
            &[],
            d(2026, 5, 1),
        );
        assert_eq!(
            months(&s),
            vec![
                ym(2026, 5),
                ym(2026, 6),
                ym(2026, 7),
                ym(2026, 10),
                ym(2027, 4)
            ]
        );
        assert_eq!(s.months[3].certificate_id, 2);
    }

    #[test]
    fn the_explicit_month_list_wins_over_the_period() {
        let mut t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        t.months = vec![ym(2026, 6), ym(2026, 12), ym(2027, 9)];
        let s = schedule(&[t], Some(d(2026, 5, 1)), None, &[], d(2026, 5, 1));
        // 2027-09 lies past the certificate's period: not due under it.
        assert_eq!(months(&s), vec![ym(2026, 6), ym(2026, 12)]);
        assert!(s.months[0].listed);
    }

    #[test]
    fn a_mid_month_decision_counts_from_its_month() {
        // Support from 15 May, every 3 months → Jul, Oct, Jan, Apr as for 1 May.
        let t = term(
            1,
            d(2026, 5, 15),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        let s = schedule(&[t], Some(d(2026, 5, 20)), None, &[], d(2026, 5, 20));
        assert_eq!(months(&s)[0], ym(2026, 7));
        assert_eq!(months(&s).len(), 4);
    }

    #[test]
    fn a_renewal_carries_the_rhythm_on_and_a_break_restarts_it() {
        let a = term(
            1,
            d(2025, 5, 1),
            d(2026, 4, 30),
            Some(MonitoringPeriod::Every6),
        );
        let b = term(
            2,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every6),
        );
        let s = schedule(
            &[a.clone(), b],
            Some(d(2025, 5, 1)),
            None,
            &[],
            d(2025, 5, 1),
        );
        assert_eq!(
            months(&s),
            vec![ym(2025, 10), ym(2026, 4), ym(2026, 10), ym(2027, 4)]
        );
        // After a gap of two months, the new support period starts its own count.
        let c = term(
            3,
            d(2026, 7, 1),
            d(2027, 6, 30),
            Some(MonitoringPeriod::Every6),
        );
        let s = schedule(&[a, c], Some(d(2025, 5, 1)), None, &[], d(2025, 5, 1));
        assert_eq!(
            months(&s),
            vec![ym(2025, 10), ym(2026, 4), ym(2026, 12), ym(2027, 6)]
        );
    }

    #[test]
    fn states_follow_what_was_done_and_today() {
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Monthly),
        );
        let done = [d(2026, 5, 20), d(2026, 7, 3), d(2026, 7, 28)];
        let s = schedule(&[t], Some(d(2026, 5, 1)), None, &done, d(2026, 8, 5));
        let st: Vec<DueState> = s.months.iter().take(5).map(|m| m.state).collect();
        use DueState::*;
        assert_eq!(st, vec![Done, Overdue, Done, Due, Upcoming]);
        assert_eq!(s.overdue().count(), 1);
        assert_eq!(s.due_now().unwrap().month, ym(2026, 8));
        assert_eq!(s.months[2].done_on, Some(d(2026, 7, 3)));
        // A second visit in a listed month is not outside the schedule.
        assert!(s.off_schedule.is_empty());
    }

    #[test]
    fn a_monitoring_outside_the_listed_months_is_flagged() {
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        let s = schedule(
            &[t],
            Some(d(2026, 5, 1)),
            None,
            &[d(2026, 8, 10)],
            d(2026, 9, 1),
        );
        assert_eq!(s.off_schedule, vec![d(2026, 8, 10)]);
        assert_eq!(s.months[0].state, DueState::Overdue);
    }

    #[test]
    fn a_case_closed_mid_period_has_no_months_after() {
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        let s = schedule(
            std::slice::from_ref(&t),
            Some(d(2026, 5, 1)),
            Some(d(2026, 10, 12)),
            &[d(2026, 7, 15)],
            d(2026, 11, 1),
        );
        assert_eq!(months(&s), vec![ym(2026, 7)]);
        // A monitoring done in the month of closing stays on the schedule.
        let s = schedule(
            &[t],
            Some(d(2026, 5, 1)),
            Some(d(2026, 10, 12)),
            &[d(2026, 7, 15), d(2026, 10, 5)],
            d(2026, 11, 1),
        );
        assert_eq!(months(&s), vec![ym(2026, 7), ym(2026, 10)]);
    }

    #[test]
    fn nothing_is_invented_without_a_plan_or_a_certificate() {
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Every3),
        );
        let s = schedule(&[t], None, None, &[], d(2026, 5, 1));
        assert!(s.months.is_empty() && s.gap.is_some());
        let s = schedule(&[], Some(d(2026, 5, 1)), None, &[], d(2026, 5, 1));
        assert!(s.months.is_empty() && s.gap.unwrap().contains("受給者証"));
        let s = schedule(
            &[term(1, d(2026, 5, 1), d(2027, 4, 30), None)],
            Some(d(2026, 5, 1)),
            None,
            &[],
            d(2026, 5, 1),
        );
        assert!(s.gap.unwrap().contains("モニタリング期間も月も"));
    }

    #[test]
    fn months_before_the_plan_are_not_due() {
        let t = term(
            1,
            d(2026, 5, 1),
            d(2027, 4, 30),
            Some(MonitoringPeriod::Monthly),
        );
        let s = schedule(&[t], Some(d(2026, 9, 3)), None, &[], d(2026, 9, 3));
        assert_eq!(months(&s)[0], ym(2026, 9));
    }
}
