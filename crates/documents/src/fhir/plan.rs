//! The plan as a CarePlan: its long-term and short-term goals and each row's 支援目標 as Goals
//! (the person's role in the row's notes), each row's service and each activity of the
//! 週間計画表 as a ServiceRequest whose Timing is the week (days, time of day, duration).

use super::json::{concept, note};
use super::{Entries, PlanExport, Refs};
use chrono::{NaiveTime, Timelike};
use serde_json::{Value, json};
use yorisoi_domain::plan::{PlanRow, PlanState, Schedule, days_label};

/// The plan's status in FHIR: a draft until it is final, active while its case is open,
/// completed after.
fn statuses(p: &PlanExport) -> (&'static str, &'static str, &'static str) {
    // (CarePlan / ServiceRequest status, Goal lifecycle)
    match (p.state, p.case_closed_on) {
        (_, Some(_)) if p.state == PlanState::Final => ("completed", "completed", "completed"),
        (PlanState::Final, None) => ("active", "active", "active"),
        _ => ("draft", "draft", "proposed"),
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes from `start` to `end`, past midnight when `end` is earlier.
fn minutes(start: NaiveTime, end: NaiveTime) -> u32 {
    let s = start.hour() * 60 + start.minute();
    let e = end.hour() * 60 + end.minute();
    if e >= s { e - s } else { e + 24 * 60 - s }
}

/// The week as a Timing: the days of the week (祝 has no day of its own; the text says it),
/// the time it starts and how long it lasts.
fn timing(days: &[u8], start: NaiveTime, end: NaiveTime, text: String) -> Value {
    let mut ds: Vec<u8> = days.iter().copied().filter(|d| *d < 7).collect();
    ds.sort_unstable();
    ds.dedup();
    let week: Vec<&str> = ds.iter().map(|d| DAYS[*d as usize]).collect();
    let length = minutes(start, end);
    let (duration, unit) = if length > 0 {
        (json!(length), json!("min"))
    } else {
        (Value::Null, Value::Null)
    };
    json!({
        "repeat": {
            "dayOfWeek": week,
            "timeOfDay": [start.format("%H:%M:%S").to_string()],
            "duration": duration,
            "durationUnit": unit,
        },
        "code": {"text": text},
    })
}

fn schedule_timing(s: &Schedule) -> Value {
    timing(&s.days, s.start, s.end, s.label())
}

pub fn plan(e: &mut Entries, p: &PlanExport, refs: &Refs, strengths: &[String]) {
    let r = &p.record;
    let (status, sr_status, goal_status) = statuses(p);
    let plan_what = format!("plan/{}", p.id);
    let plan_ref = e.ids.urn(&plan_what);
    let start = r.decided_on.unwrap_or(r.drafted_on).to_string();
    let requester = refs
        .specialist
        .as_ref()
        .map(|s| json!({"reference": s}))
        .unwrap_or(Value::Null);
    let mut goals = Vec::new();
    let goal = |e: &mut Entries, what: String, category: &str, text: &str, notes: Vec<Value>| {
        let description = if text.trim().is_empty() {
            "（未記入）"
        } else {
            text
        };
        e.push(
            &what,
            json!({
                "resourceType": "Goal",
                "lifecycleStatus": goal_status,
                "category": [concept(category)],
                "description": concept(description),
                "subject": {"reference": refs.patient},
                "startDate": start,
                "note": notes,
            }),
        );
        e.ids.urn(&what)
    };
    if !r.long_goal.trim().is_empty() {
        goals.push(goal(
            e,
            format!("{plan_what}/goal/long"),
            "長期目標",
            &r.long_goal,
            Vec::new(),
        ));
    }
    if !r.short_goal.trim().is_empty() {
        goals.push(goal(
            e,
            format!("{plan_what}/goal/short"),
            "短期目標",
            &r.short_goal,
            Vec::new(),
        ));
    }
    let mut activities = Vec::new();
    for row in &r.rows {
        let notes = vec![
            note("解決すべき課題（本人のニーズ）", &row.need),
            note("達成時期", &row.due),
            note("課題解決のための本人の役割", &row.person_role),
            note("評価時期", &row.review),
        ];
        if !row.goal.trim().is_empty() {
            goals.push(goal(
                e,
                format!("{plan_what}/goal/row/{}", row.key),
                "支援目標",
                &row.goal,
                notes,
            ));
        }
        let sr = service_request(
            e, &plan_what, row, sr_status, refs, &requester, &plan_ref, r,
        );
        activities.push(json!({"reference": {"reference": sr}}));
    }
    // The 週間計画表's own activities: one request per activity and time, over its days.
    let mut slots: Vec<(String, NaiveTime, NaiveTime, Vec<u8>)> = Vec::new();
    for w in &r.week.entries {
        match slots
            .iter_mut()
            .find(|(l, s, en, _)| *l == w.label && *s == w.start && *en == w.end)
        {
            Some((_, _, _, days)) => days.push(w.day),
            None => slots.push((w.label.clone(), w.start, w.end, vec![w.day])),
        }
    }
    for (i, (label, start_t, end_t, days)) in slots.iter().enumerate() {
        if label.trim().is_empty() {
            continue;
        }
        let what = format!("{plan_what}/week/{i}");
        let text = format!(
            "{} {}〜{}",
            days_label(days),
            start_t.format("%H:%M"),
            end_t.format("%H:%M")
        );
        e.push(
            &what,
            json!({
                "resourceType": "ServiceRequest",
                "status": sr_status,
                "intent": "plan",
                "category": [concept("週間計画表の活動")],
                "code": concept(label),
                "subject": {"reference": refs.patient},
                "occurrenceTiming": timing(days, *start_t, *end_t, text),
                "authoredOn": r.drafted_on.to_string(),
                "requester": requester,
                "basedOn": [{"reference": plan_ref}],
            }),
        );
        activities.push(json!({"reference": {"reference": e.ids.urn(&what)}}));
    }
    let kind = r.kind.label();
    let monitoring = r
        .monitoring
        .period
        .map(|period| {
            let from = r
                .monitoring
                .start_month
                .map(|d| d.format("（%Y年%m月から）").to_string())
                .unwrap_or_default();
            format!("{}{from}", period.label())
        })
        .unwrap_or_default();
    let consents: Vec<Value> = r
        .consents
        .iter()
        .map(|c| {
            note(
                &format!("同意（{}）", c.stage.label()),
                &format!("{} {}（{}）", c.signed_on, c.signer, c.role.label()),
            )
        })
        .collect();
    let handovers: Vec<Value> = r
        .handovers
        .iter()
        .map(|h| {
            note(
                &format!("交付（{}）", h.stage.label()),
                &format!("{} {}（{}）", h.on, h.to, h.method.label()),
            )
        })
        .collect();
    let mut notes = vec![
        note(
            "利用者及びその家族の生活に対する意向（本人）",
            &r.wish_person,
        ),
        note(
            "利用者及びその家族の生活に対する意向（家族）",
            &r.family_wishes_text(),
        ),
        note("住まい", &r.housing),
        note("日中活動の場", &r.day_activity),
        note("支援体制", &r.support_system),
        note("代替案", &r.alternatives),
        note("緊急時の対応", &r.emergency),
        note("家族支援", &r.family_support),
        note("主な日常生活上の活動", &r.week.main_activities),
        note("週単位以外のサービス", &r.week.non_weekly),
        note(
            "サービス提供によって実現する生活の全体像",
            &r.week.whole_picture,
        ),
        note("モニタリング期間（案）", &monitoring),
        note("モニタリング期間の備考", &r.monitoring.note),
    ];
    notes.extend(consents);
    notes.extend(handovers);
    let supporting: Vec<Value> = strengths.iter().map(|s| json!({"reference": s})).collect();
    e.push(
        &plan_what,
        json!({
            "resourceType": "CarePlan",
            "status": status,
            "intent": "plan",
            "category": [concept(kind)],
            "title": format!("{kind}（{}） 第{}版", p.state.label(), p.version_no),
            "description": r.policy,
            "subject": {"reference": refs.patient},
            "period": {
                "start": start,
                "end": p.case_closed_on.map(|d| d.to_string()),
            },
            "created": r.drafted_on.to_string(),
            "author": requester,
            "careTeam": refs.care_team.as_ref().map(|c| json!([{"reference": c}])),
            "supportingInfo": supporting,
            "goal": goals.iter().map(|g| json!({"reference": g})).collect::<Vec<_>>(),
            "activity": activities,
            "note": notes,
        }),
    );
}

/// A row's service as a ServiceRequest: what (種類), how much (内容・量), when (Timing), by
/// whom, why (the need) and what the person does themself.
#[allow(clippy::too_many_arguments)]
fn service_request(
    e: &mut Entries,
    plan_what: &str,
    row: &PlanRow,
    status: &str,
    refs: &Refs,
    requester: &Value,
    plan_ref: &str,
    r: &yorisoi_domain::plan::PlanRecord,
) -> String {
    let what = format!("{plan_what}/service/{}", row.key);
    let code = row
        .service_type
        .map(|t| t.label().to_string())
        .unwrap_or_else(|| {
            let first = row.service.lines().next().unwrap_or("").trim();
            if first.is_empty() {
                row.category.label().to_string()
            } else {
                first.to_string()
            }
        });
    e.push(
        &what,
        json!({
            "resourceType": "ServiceRequest",
            "status": status,
            "intent": "plan",
            "category": [concept(row.category.label())],
            "code": concept(&code),
            "orderDetail": [concept(&row.service)],
            "subject": {"reference": refs.patient},
            "occurrenceTiming": row.schedule.as_ref().map(schedule_timing),
            "authoredOn": r.drafted_on.to_string(),
            "requester": requester,
            "performer": [{"display": row.provider}],
            "reasonCode": [concept(&row.need)],
            "basedOn": [{"reference": plan_ref}],
            "patientInstruction": row.person_role,
            "note": [
                note("支援目標", &row.goal),
                note("本人の希望", &row.from_wish),
                note("その他留意事項", &row.notes),
            ],
        }),
    );
    e.ids.urn(&what)
}

/// The plan's PDF (サービス等利用計画 as printed) as a DocumentReference: yorisoi's download
/// address, for the CarePlan it prints. The PDF itself is made on request with the office's
/// template, so the reference carries no size or hash.
pub fn document(e: &mut Entries, p: &PlanExport, refs: &Refs, base_url: &str) {
    let r = &p.record;
    let plan_what = format!("plan/{}", p.id);
    let plan_ref = e.ids.urn(&plan_what);
    let kind = r.kind.label();
    let title = format!("{kind}（{}） 第{}版", p.state.label(), p.version_no);
    let day = r.decided_on.unwrap_or(r.drafted_on);
    // Japan's day, as the plan is dated.
    let at = format!("{day}T00:00:00+09:00");
    let author: Vec<Value> = refs
        .specialist
        .iter()
        .map(|s| json!({"reference": s}))
        .collect();
    e.push(
        &format!("{plan_what}/pdf"),
        json!({
            "resourceType": "DocumentReference",
            "status": "current",
            "docStatus": if p.state == PlanState::Final { "final" } else { "preliminary" },
            "type": {
                "coding": [{
                    "system": "http://loinc.org",
                    "code": "18776-5",
                    "display": "Plan of care note"
                }],
                "text": kind
            },
            "category": [concept("サービス等利用計画")],
            "subject": {"reference": refs.patient},
            "date": at,
            "author": author,
            "custodian": {"reference": refs.organization},
            "description": title,
            "content": [{
                "attachment": {
                    "contentType": "application/pdf",
                    "language": "ja",
                    "url": format!("{}/plans/{}/pdf/plan", base_url.trim_end_matches('/'), p.id),
                    "title": format!("{title}.pdf"),
                    "creation": at,
                }
            }],
            "context": {"related": [{"reference": plan_ref}]},
        }),
    );
}
