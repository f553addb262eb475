//! The case timeline (経過の一覧): every record of the case — intake, assessments, plans,
//! meetings, monitorings, decision support, notes, closure — in one chronological view, filtered
//! by kind, period and words. Each kind is read through its own access check, so the page shows
//! exactly what the user may see, and each read is logged like the record's own page.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::views::{Nav, date, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use yorisoi_domain::date::parse_date;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::text::search_fold;
use yorisoi_store::{cases, decisions, meetings, monitorings, notes, plans};

/// The kinds a user can filter by, in the order of the cycle.
pub const KINDS: &[(&str, &str)] = &[
    ("intake", "インテーク"),
    ("assessment", "アセスメント"),
    ("plan", "計画"),
    ("meeting", "会議"),
    ("monitoring", "モニタリング"),
    ("decision", "意思決定支援"),
    ("note", "支援経過記録"),
    ("closure", "終結"),
];

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TimelineQuery {
    pub kind: String,
    pub from: String,
    pub until: String,
    pub q: String,
    /// "old" for oldest first; newest first otherwise.
    pub order: String,
}

pub struct Entry {
    pub on: NaiveDate,
    /// 「10:30」 for notes, empty otherwise.
    pub time: String,
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    pub href: String,
}

impl Entry {
    pub fn kind_label(&self) -> &'static str {
        KINDS
            .iter()
            .find(|(c, _)| *c == self.kind)
            .map(|(_, l)| *l)
            .unwrap_or("")
    }
    pub fn date(&self) -> String {
        date(self.on)
    }
}

#[derive(Template)]
#[template(path = "timeline.html")]
pub struct TimelinePage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub title: String,
    pub entries: Vec<Entry>,
    pub total: usize,
    /// (code, 「計画（3）」, selected).
    pub kinds: Vec<(&'static str, String, bool)>,
    pub q: TimelineQuery,
    pub error: String,
    pub oldest_first: bool,
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Every entry of the case the user may see, unfiltered.
async fn collect(
    tx: &mut yorisoi_store::Tx,
    case_id: i64,
    client_id: i64,
) -> Result<(cases::Case, Vec<Entry>), AppError> {
    let mut v = Vec::new();
    let cacc = tx
        .client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, intake) = cases::get(tx, &cacc, case_id).await?;
    let href = format!("/cases/{case_id}");
    v.push(Entry {
        on: intake.record.intake_date,
        time: String::new(),
        kind: "intake",
        title: format!("インテーク（{}）", intake.record.referral_source.label()),
        summary: short(&intake.record.chief_complaint),
        href: href.clone(),
    });
    if let (Some(on), Some(reason)) = (c.closed_on, c.close_reason) {
        v.push(Entry {
            on,
            time: String::new(),
            kind: "closure",
            title: format!("終結（{}）", reason.label()),
            summary: short(&c.evaluation.changes),
            href: format!("{href}#evaluation"),
        });
    }
    let aacc = tx
        .client_access(client_id, RecordKind::Assessment, Action::Read)
        .await?;
    for a in yorisoi_store::assessments::list(tx, &aacc, case_id).await? {
        v.push(Entry {
            on: a.assessed_on,
            time: String::new(),
            kind: "assessment",
            title: format!("アセスメント 第{}版（{}）", a.version_no, a.method.label()),
            summary: a.title.clone(),
            href: format!("/assessments/{}", a.id),
        });
    }
    let pacc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let plan_list = plans::list(tx, &pacc, case_id).await?;
    let macc = tx
        .client_access(client_id, RecordKind::Meeting, Action::Read)
        .await?;
    for p in &plan_list {
        v.push(Entry {
            on: p.drafted_on,
            time: String::new(),
            kind: "plan",
            title: format!(
                "サービス等利用計画 第{}版（{}）",
                p.version_no,
                p.state.label()
            ),
            summary: String::new(),
            href: format!("/plans/{}", p.id),
        });
        for m in meetings::for_plan(tx, &macc, p.id).await? {
            v.push(Entry {
                on: m.record.held_on,
                time: String::new(),
                kind: "meeting",
                title: format!(
                    "サービス担当者会議（第{}版の計画{}）",
                    p.version_no,
                    if m.record.held { "" } else { "・予定" }
                ),
                summary: short(&m.record.conclusions),
                href: format!("/meetings/{}", m.id),
            });
        }
    }
    let mon = tx
        .client_access(client_id, RecordKind::Monitoring, Action::Read)
        .await?;
    for m in monitorings::list(tx, &mon, case_id).await? {
        v.push(Entry {
            on: m.record.monitored_on,
            time: String::new(),
            kind: "monitoring",
            title: format!(
                "モニタリング（{}）— {}",
                m.record.method.label(),
                m.record.outcome.label()
            ),
            summary: short(&m.record.overall),
            href: format!("/monitorings/{}", m.id),
        });
    }
    let dacc = tx
        .client_access(client_id, RecordKind::DecisionSupport, Action::Read)
        .await?;
    for s in decisions::list(tx, &dacc, case_id).await? {
        let d = decisions::get(tx, &dacc, s.id).await?;
        let href = format!("/decisions/{}", s.id);
        v.push(Entry {
            on: s.started_on,
            time: String::new(),
            kind: "decision",
            title: format!("意思決定支援を開始「{}」", s.question),
            summary: short(&d.record.background),
            href: href.clone(),
        });
        for m in &d.record.meetings {
            v.push(Entry {
                on: m.held_on,
                time: String::new(),
                kind: "decision",
                title: if m.purpose.is_empty() {
                    "意思決定支援会議".into()
                } else {
                    m.purpose.clone()
                },
                summary: short(&m.agreed),
                href: format!("{href}#meetings"),
            });
        }
        for e in &d.record.experiences {
            v.push(Entry {
                on: e.from,
                time: String::new(),
                kind: "decision",
                title: format!("体験の開始: {}", e.place),
                summary: short(&e.purpose),
                href: format!("{href}#experiences"),
            });
        }
        if let Some(on) = s.decided_on {
            v.push(Entry {
                on,
                time: String::new(),
                kind: "decision",
                title: format!("決定「{}」", s.question),
                summary: short(&d.record.decision),
                href: format!("{href}#decision"),
            });
        }
    }
    let nacc = tx
        .client_access(client_id, RecordKind::CaseNote, Action::Read)
        .await?;
    let (all_notes, _) = notes::list(tx, &nacc, "", 5000, 0).await?;
    for n in all_notes
        .into_iter()
        .filter(|n| n.record.case_id == Some(case_id))
    {
        v.push(Entry {
            on: n.record.occurred_at.date(),
            time: n.record.occurred_at.format("%H:%M").to_string(),
            kind: "note",
            title: format!("{}　{}", n.record.kind.label(), n.record.counterpart),
            summary: n.record.content.clone(),
            href: format!("/clients/{client_id}/notes/{}/edit", n.id),
        });
    }
    Ok((c, v))
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Query(q): Query<TimelineQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    // The case itself decides whether the page exists for this user.
    tx.client_access(client_id, RecordKind::Case, Action::Read)
        .await?;
    let client_name = super::cases::client_name(&mut tx, client_id).await?;
    let (c, all) = collect(&mut tx, case_id, client_id).await?;
    tx.commit().await?;
    let mut error = Vec::new();
    let mut bound = |raw: &str, what: &str| -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            return None;
        }
        match parse_date(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                error.push(format!("{what}: {e}"));
                None
            }
        }
    };
    let from = bound(&q.from, "期間の始め");
    let until = bound(&q.until, "期間の終わり");
    let kind = KINDS.iter().find(|(c, _)| *c == q.kind).map(|(c, _)| *c);
    let words: Vec<String> = q.q.split_whitespace().map(search_fold).collect();
    let total = all.len();
    let kinds = KINDS
        .iter()
        .map(|(code, label)| {
            let n = all.iter().filter(|e| e.kind == *code).count();
            (*code, format!("{label}（{n}）"), Some(*code) == kind)
        })
        .collect();
    let mut entries: Vec<Entry> = all
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .filter(|e| from.is_none_or(|f| e.on >= f))
        .filter(|e| until.is_none_or(|u| e.on <= u))
        .filter(|e| {
            words.is_empty() || {
                let hay = search_fold(&format!("{} {}", e.title, e.summary));
                words.iter().all(|w| hay.contains(w.as_str()))
            }
        })
        .collect();
    let oldest_first = q.order == "old";
    entries.sort_by(|a, b| (a.on, &a.time).cmp(&(b.on, &b.time)));
    if !oldest_first {
        entries.reverse();
    }
    render(&TimelinePage {
        nav: Nav::new(&user, "clients"),
        case_id,
        client_id,
        client_name,
        title: if c.title.is_empty() {
            "（無題のケース）".into()
        } else {
            c.title
        },
        entries,
        total,
        kinds,
        q,
        error: error.join(" "),
        oldest_first,
    })
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/cases/{id}/timeline", get(show))
}
