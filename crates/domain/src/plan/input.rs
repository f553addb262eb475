//! What a user (or an API client) sends for a plan: every value as typed, validated once. Row
//! errors are keyed `rows[i].field` and `week[i].field`.

use super::*;
use crate::assessment::parse_time;
use crate::client::{optional_date, optional_id, required_code, required_date};
use crate::errors::FieldErrors;
use crate::text;

const LINE: usize = 200;
const LONG: usize = 4000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RowInput {
    /// Empty for a new row; a key is given on save.
    pub key: String,
    pub need_key: String,
    pub need: String,
    pub goal: String,
    pub due: String,
    pub category: String,
    pub service_type: String,
    pub service: String,
    /// e.g. 「月火木金」「平日」
    pub days: String,
    /// e.g. 「9:30-15:30」
    pub time: String,
    pub provider: String,
    pub resource_id: String,
    pub person_role: String,
    pub review: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WeekEntryInput {
    pub day: String,
    pub start: String,
    pub end: String,
    pub label: String,
}

/// The plan's editable content. Consents and hand-overs are added on their own (they are
/// records of what happened, not part of the draft).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanInput {
    /// 計画案作成日 (not in the future), required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub drafted_on: String,
    /// 計画作成日 (set when the plan becomes final), or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub decided_on: String,
    pub guardian_name: String,
    pub guardian_relation: String,
    pub wish_person: String,
    /// 家族の意向 without a speaker (older plans); new words go to `family_wishes`.
    pub wish_family: String,
    /// 家族の意向, one row per person: 続柄, the name as on their consent, their words.
    pub family_wishes: Vec<crate::assessment::FamilyWish>,
    pub policy: String,
    pub long_goal: String,
    pub short_goal: String,
    pub housing: String,
    pub day_activity: String,
    pub support_system: String,
    pub alternatives: String,
    pub emergency: String,
    /// A child's plan: 家族支援.
    pub family_support: String,
    pub rows: Vec<RowInput>,
    pub week: Vec<WeekEntryInput>,
    pub main_activities: String,
    pub non_weekly: String,
    pub whole_picture: String,
    pub monitoring_period: String,
    /// モニタリング開始月, or empty: 「2026-05」「2026/5」「令和8年5月」「R8.5」.
    pub monitoring_start: String,
    pub monitoring_note: String,
}

/// The day a plan (or a 計画変更) is drafted: required, not in the future.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DraftInput {
    /// 計画案作成日 (not in the future), required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub drafted_on: String,
}

impl DraftInput {
    pub fn validate(&self, today: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        let mut e = FieldErrors::new();
        match required_date(&mut e, "drafted_on", &self.drafted_on) {
            Some(d) if d > today => {
                e.add("drafted_on", "計画案作成日が未来になっています。");
                Err(e)
            }
            Some(d) => Ok(d),
            None => Err(e),
        }
    }
}

/// 「月火木金」「月・水」「平日」「毎日」「祝」 → day numbers.
pub fn parse_days(raw: &str) -> Result<Vec<u8>, String> {
    // 「月曜日」「祝日」: drop the suffixes first so that 日 is only ever 日曜.
    let s = text::nfkc(raw)
        .replace("曜日", "")
        .replace('曜', "")
        .replace("祝日", "祝");
    let mut days: Vec<u8> = Vec::new();
    let mut push = |d: u8| {
        if !days.contains(&d) {
            days.push(d);
        }
    };
    let mut rest = s.as_str();
    while let Some(c) = rest.chars().next() {
        // A range as a specialist writes it: 「月〜金」「月-金」「月から金」「火～土」.
        if let Some(from) = PLAN_DAYS[..7].iter().position(|d| d.starts_with(c)) {
            let after = &rest[c.len_utf8()..];
            let tail = ["〜", "～", "~", "-", "－", "ー", "から"]
                .iter()
                .find_map(|sep| after.strip_prefix(sep));
            if let Some(tail) = tail
                && let Some(t) = tail.chars().next()
                && let Some(to) = PLAN_DAYS[..7].iter().position(|d| d.starts_with(t))
            {
                if to < from {
                    return Err(format!(
                        "曜日の範囲は月から日の順に書いてください（「{c}〜{t}」は逆です）。"
                    ));
                }
                (from..=to).for_each(|d| push(d as u8));
                rest = &tail[t.len_utf8()..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix("平日") {
            (0..5).for_each(&mut push);
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix("毎日") {
            (0..7).for_each(&mut push);
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix("土日") {
            push(5);
            push(6);
            rest = r;
            continue;
        }
        match PLAN_DAYS.iter().position(|d| d.starts_with(c)) {
            Some(i) => push(i as u8),
            None if matches!(c, '・' | '、' | ',' | ' ' | '/') => {}
            None => {
                return Err(format!(
                    "曜日は「月火木金」「月〜金」「平日」「毎日」のように書いてください（「{c}」は読めません）。"
                ));
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    days.sort_unstable();
    Ok(days)
}

/// 「9:30-15:30」「9時半〜15時」 → start and end.
pub fn parse_span(raw: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let s = text::nfkc(raw);
    let parts: Vec<&str> = s
        .split(['-', '~', '〜', '～', '－', 'ー'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let msg = "時間は「9:30-15:30」のように開始と終了を書いてください。";
    let [a, b] = parts.as_slice() else {
        return Err(msg.into());
    };
    let (Some(start), Some(end)) = (parse_time(a), parse_time(b)) else {
        return Err(msg.into());
    };
    if end == start {
        return Err("開始と終了が同じ時刻です。".into());
    }
    let minutes = |t: NaiveTime| t.hour() * 60 + t.minute();
    let (from, to) = (minutes(start), minutes(end));
    // The chart has no room for 4:00–6:00: a block that begins there is drawn from 6:00, so it
    // must end after 6:00 the same morning.
    if (4 * 60..6 * 60).contains(&from) {
        if to <= 6 * 60 || to < from {
            return Err("週間計画表は6:00から翌4:00までです。6:00より後まで続く時間を書くか、開始を6:00以降にしてください。".into());
        }
        return Ok((start, end));
    }
    // An end "before" the start is the next morning (sleep 22:00–6:30): the chart draws it to
    // 4:00 and again from 6:00 (`PlanRecord::week_blocks`). Longer than 12 hours it is more
    // likely start and end swapped (15:00-9:00).
    if to < from && to + 24 * 60 - from > 12 * 60 {
        return Err("終了が開始より前です。開始と終了が逆になっていないか確かめてください（夜をまたぐときは「22:00-6:30」のように書きます）。".into());
    }
    Ok((start, end))
}

/// 「2026-05」「2026/5」「令和8年5月」「R8.5」 → the 1st of that month.
pub fn parse_month(raw: &str) -> Result<NaiveDate, String> {
    let s = text::nfkc(raw);
    let s = s.trim().trim_end_matches('月');
    // A month is a date without its day: add the 1st and reuse the date parser (和暦 too).
    let with_day = if s.contains('年') {
        format!("{s}月1日")
    } else {
        format!("{s}.1")
    };
    crate::date::parse_date(&with_day)
        .or_else(|_| crate::date::parse_date(&format!("{s}-01")))
        .map_err(|_| "開始月は「2026-05」や「令和8年5月」のように書いてください。".to_string())
}

impl PlanInput {
    /// Validates the content into a copy of `base` (which keeps the kind, the assessment it came
    /// from, and the consents and hand-overs already given).
    pub fn validate(&self, base: &PlanRecord, today: NaiveDate) -> Result<PlanRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut r = base.clone();
        if let Some(d) = required_date(&mut e, "drafted_on", &self.drafted_on) {
            if d > today {
                e.add("drafted_on", "計画案作成日が未来になっています。");
            }
            r.drafted_on = d;
        }
        r.decided_on = optional_date(&mut e, "decided_on", &self.decided_on);
        if let Some(d) = r.decided_on
            && d < r.drafted_on
        {
            e.add(
                "decided_on",
                "計画作成日が計画案作成日より前になっています。",
            );
        }
        r.guardian_name = text::optional_line(&mut e, "guardian_name", &self.guardian_name, 60);
        r.family_wishes =
            crate::assessment::validate_family_wishes(&mut e, "family_wishes", &self.family_wishes);
        r.guardian_relation =
            text::optional_line(&mut e, "guardian_relation", &self.guardian_relation, 30);
        for (field, raw) in [
            ("wish_person", &self.wish_person),
            ("wish_family", &self.wish_family),
            ("policy", &self.policy),
            ("long_goal", &self.long_goal),
            ("short_goal", &self.short_goal),
            ("housing", &self.housing),
            ("day_activity", &self.day_activity),
            ("support_system", &self.support_system),
            ("alternatives", &self.alternatives),
            ("emergency", &self.emergency),
            ("family_support", &self.family_support),
            ("main_activities", &self.main_activities),
            ("non_weekly", &self.non_weekly),
            ("whole_picture", &self.whole_picture),
            ("monitoring_note", &self.monitoring_note),
        ] {
            let v = text::optional_text(&mut e, field, raw, LONG);
            let slot = match field {
                "wish_person" => &mut r.wish_person,
                "wish_family" => &mut r.wish_family,
                "policy" => &mut r.policy,
                "long_goal" => &mut r.long_goal,
                "short_goal" => &mut r.short_goal,
                "housing" => &mut r.housing,
                "day_activity" => &mut r.day_activity,
                "support_system" => &mut r.support_system,
                "alternatives" => &mut r.alternatives,
                "emergency" => &mut r.emergency,
                "family_support" => &mut r.family_support,
                "main_activities" => &mut r.week.main_activities,
                "non_weekly" => &mut r.week.non_weekly,
                "whole_picture" => &mut r.week.whole_picture,
                _ => &mut r.monitoring.note,
            };
            *slot = v;
        }
        r.monitoring.period = if self.monitoring_period.trim().is_empty() {
            None
        } else {
            required_code(
                &mut e,
                "monitoring_period",
                &self.monitoring_period,
                MonitoringPeriod::from_code,
            )
        };
        r.monitoring.start_month = if self.monitoring_start.trim().is_empty() {
            None
        } else {
            match parse_month(&self.monitoring_start) {
                Ok(m) => Some(m),
                Err(m) => {
                    e.add("monitoring_start", m);
                    None
                }
            }
        };
        self.rows_into(&mut e, &mut r, base);
        self.week_into(&mut e, &mut r);
        e.into_result(r)
    }

    fn rows_into(&self, e: &mut FieldErrors, r: &mut PlanRecord, base: &PlanRecord) {
        let mut next = base.next_row_key();
        let mut seen = std::collections::BTreeSet::new();
        r.rows.clear();
        for (i, x) in self.rows.iter().enumerate() {
            if text::all_blank([
                &x.need,
                &x.goal,
                &x.due,
                &x.service,
                &x.service_type,
                &x.provider,
                &x.person_role,
                &x.review,
                &x.notes,
                &x.days,
                &x.time,
            ]) {
                continue;
            }
            let f = |n: &str| format!("rows[{i}].{n}");
            let need = text::required_line(e, &f("need"), &x.need, LONG);
            let key = match x.key.trim() {
                "" => {
                    next += 1;
                    next - 1
                }
                k => match k.parse::<u32>() {
                    Ok(k) if seen.insert(k) => k,
                    _ => {
                        e.add(
                            &f("key"),
                            "行の番号が正しくありません。ページを読み込み直してください。",
                        );
                        continue;
                    }
                },
            };
            let need_key = x.need_key.trim().parse::<u32>().ok();
            let category = if x.category.trim().is_empty() {
                Some(ServiceCategory::Welfare)
            } else {
                required_code(e, &f("category"), &x.category, ServiceCategory::from_code)
            };
            let service_type = if x.service_type.trim().is_empty() {
                None
            } else {
                required_code(
                    e,
                    &f("service_type"),
                    &x.service_type,
                    ServiceType::from_code,
                )
            };
            let schedule = match (x.days.trim().is_empty(), x.time.trim().is_empty()) {
                (true, true) => None,
                (false, true) | (true, false) => {
                    e.add(
                        &f("days"),
                        "週間計画表に載せるには曜日と時間の両方を書いてください（例: 月火木金 / 9:30-15:30）。",
                    );
                    None
                }
                (false, false) => match (parse_days(&x.days), parse_span(&x.time)) {
                    (Ok(days), Ok((start, end))) if !days.is_empty() => {
                        Some(Schedule { days, start, end })
                    }
                    (Err(m), _) => {
                        e.add(&f("days"), m);
                        None
                    }
                    (_, Err(m)) => {
                        e.add(&f("time"), m);
                        None
                    }
                    _ => {
                        e.add(&f("days"), "曜日を書いてください。");
                        None
                    }
                },
            };
            let resource_id = optional_id(e, &f("resource_id"), &x.resource_id);
            r.rows.push(PlanRow {
                key,
                need_key,
                from_wish: base
                    .rows
                    .iter()
                    .find(|b| b.key == key)
                    .map(|b| b.from_wish.clone())
                    .unwrap_or_default(),
                need,
                goal: text::optional_text(e, &f("goal"), &x.goal, LONG),
                due: text::optional_line(e, &f("due"), &x.due, LINE),
                category: category.unwrap_or(ServiceCategory::Welfare),
                service_type,
                service: text::optional_text(e, &f("service"), &x.service, LONG),
                schedule,
                provider: text::optional_text(e, &f("provider"), &x.provider, LINE),
                resource_id,
                person_role: text::optional_text(e, &f("person_role"), &x.person_role, LONG),
                review: text::optional_line(e, &f("review"), &x.review, LINE),
                notes: text::optional_text(e, &f("notes"), &x.notes, LONG),
            });
        }
        if r.rows.len() > 30 {
            e.add("rows", "計画の行は30行までです。");
        }
    }

    fn week_into(&self, e: &mut FieldErrors, r: &mut PlanRecord) {
        r.week.entries.clear();
        for (i, x) in self.week.iter().enumerate() {
            if text::all_blank([&x.day, &x.start, &x.end, &x.label]) {
                continue;
            }
            let f = |n: &str| format!("week[{i}].{n}");
            let label = text::required_line(e, &f("label"), &x.label, 40);
            let days = match parse_days(&x.day) {
                Ok(d) if !d.is_empty() => d,
                Ok(_) => {
                    e.add(&f("day"), "曜日を書いてください。");
                    continue;
                }
                Err(m) => {
                    e.add(&f("day"), m);
                    continue;
                }
            };
            let (start, end) = match parse_span(&format!("{}-{}", x.start, x.end)) {
                Ok(s) => s,
                Err(m) => {
                    e.add(&f("start"), m);
                    continue;
                }
            };
            for day in days {
                r.week.entries.push(WeekEntry {
                    day,
                    start,
                    end,
                    label: label.clone(),
                });
            }
        }
    }

    /// The form's values for a stored plan.
    pub fn from_record(p: &PlanRecord) -> Self {
        let t = |t: NaiveTime| t.format("%H:%M").to_string();
        PlanInput {
            drafted_on: p.drafted_on.to_string(),
            decided_on: p.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            guardian_name: p.guardian_name.clone(),
            guardian_relation: p.guardian_relation.clone(),
            wish_person: p.wish_person.clone(),
            wish_family: p.wish_family.clone(),
            family_wishes: p.family_wishes.clone(),
            policy: p.policy.clone(),
            long_goal: p.long_goal.clone(),
            short_goal: p.short_goal.clone(),
            housing: p.housing.clone(),
            day_activity: p.day_activity.clone(),
            support_system: p.support_system.clone(),
            alternatives: p.alternatives.clone(),
            emergency: p.emergency.clone(),
            family_support: p.family_support.clone(),
            rows: p
                .rows
                .iter()
                .map(|r| RowInput {
                    key: r.key.to_string(),
                    need_key: r.need_key.map(|k| k.to_string()).unwrap_or_default(),
                    need: r.need.clone(),
                    goal: r.goal.clone(),
                    due: r.due.clone(),
                    category: r.category.code().into(),
                    service_type: r.service_type.map(|s| s.code().into()).unwrap_or_default(),
                    service: r.service.clone(),
                    days: r
                        .schedule
                        .as_ref()
                        .map(|s| days_label(&s.days))
                        .unwrap_or_default(),
                    time: r
                        .schedule
                        .as_ref()
                        .map(|s| format!("{}-{}", t(s.start), t(s.end)))
                        .unwrap_or_default(),
                    provider: r.provider.clone(),
                    resource_id: r.resource_id.map(|x| x.to_string()).unwrap_or_default(),
                    person_role: r.person_role.clone(),
                    review: r.review.clone(),
                    notes: r.notes.clone(),
                })
                .collect(),
            week: group_entries(&p.week.entries)
                .into_iter()
                .map(|(days, e)| WeekEntryInput {
                    day: days_label(&days),
                    start: t(e.start),
                    end: t(e.end),
                    label: e.label.clone(),
                })
                .collect(),
            main_activities: p.week.main_activities.clone(),
            non_weekly: p.week.non_weekly.clone(),
            whole_picture: p.week.whole_picture.clone(),
            monitoring_period: p
                .monitoring
                .period
                .map(|m| m.code().into())
                .unwrap_or_default(),
            monitoring_start: p
                .monitoring
                .start_month
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default(),
            monitoring_note: p.monitoring.note.clone(),
        }
    }
}

/// Entries that differ only by day, as one line each (so 「月火木金 9:00-10:00 散歩」 stays one
/// row on the form).
fn group_entries(entries: &[WeekEntry]) -> Vec<(Vec<u8>, &WeekEntry)> {
    let mut out: Vec<(Vec<u8>, &WeekEntry)> = Vec::new();
    for e in entries {
        match out
            .iter_mut()
            .find(|(_, f)| f.start == e.start && f.end == e.end && f.label == e.label)
        {
            Some((days, _)) => days.push(e.day),
            None => out.push((vec![e.day], e)),
        }
    }
    out
}

/// 0,1,3,4 → 「月火木金」.
pub fn days_label(days: &[u8]) -> String {
    days.iter()
        .filter_map(|d| PLAN_DAYS.get(*d as usize))
        .copied()
        .collect()
}

/// A consent to the draft or the final plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanConsentInput {
    pub stage: String,
    /// 同意日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub signed_on: String,
    pub signer: String,
    pub role: String,
    /// "yes" when the plan was explained before signing.
    pub explained: String,
}

impl PlanConsentInput {
    pub fn validate(&self, today: NaiveDate) -> Result<PlanConsent, FieldErrors> {
        let mut e = FieldErrors::new();
        let stage = required_code(&mut e, "stage", &self.stage, DocStage::from_code);
        let signed_on = required_date(&mut e, "signed_on", &self.signed_on);
        if signed_on.is_some_and(|d| d > today) {
            e.add("signed_on", "署名日が未来になっています。");
        }
        let signer = text::required_line(&mut e, "signer", &self.signer, 60);
        let role = required_code(&mut e, "role", &self.role, SignerRole::from_code);
        let explained = text::is_yes(&self.explained);
        if !explained {
            e.add(
                "explained",
                "同意は、計画の内容を説明したうえで得るものです。説明したことを確かめてチェックしてください。",
            );
        }
        match (stage, signed_on, role) {
            (Some(stage), Some(signed_on), Some(role)) if e.is_empty() => Ok(PlanConsent {
                stage,
                signed_on,
                signer,
                role,
                explained,
            }),
            _ => Err(e),
        }
    }
}

/// A hand-over of the draft or the final plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HandoverInput {
    pub stage: String,
    pub to: String,
    /// 交付日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub on: String,
    pub method: String,
}

impl HandoverInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Handover, FieldErrors> {
        let mut e = FieldErrors::new();
        let stage = required_code(&mut e, "stage", &self.stage, DocStage::from_code);
        let to = text::required_line(&mut e, "to", &self.to, 100);
        let on = required_date(&mut e, "on", &self.on);
        if on.is_some_and(|d| d > today) {
            e.add("on", "交付日が未来になっています。");
        }
        let method = required_code(&mut e, "method", &self.method, HandoverMethod::from_code);
        if method == Some(HandoverMethod::Yorisoi) {
            e.add(
                "method",
                "yorisoiでの共有は、相手が受領すると自動で記録されます。ほかの方法を選んでください。",
            );
        }
        match (stage, on, method) {
            (Some(stage), Some(on), Some(method)) if e.is_empty() => Ok(Handover {
                stage,
                to,
                on,
                method,
            }),
            _ => Err(e),
        }
    }
}
