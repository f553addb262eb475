//! The entries of a case's timeline, read kind by kind through each kind's own access check
//! (so the list holds exactly what the user may see, and each read is logged like the
//! record's own page), and the filter over them. The page and the API
//! (`GET /api/v1/cases/{id}/timeline`) list the same entries.

use crate::error::AppError;
use chrono::NaiveDate;
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

/// One record of the case on the timeline.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// 日付
    pub on: NaiveDate,
    /// 時刻（支援経過記録のみ、例: 10:30）
    pub time: String,
    /// 種類: intake, assessment, plan, meeting, monitoring, decision, note, closure
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    /// 画面のリンク先
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
        crate::kit::display::date(self.on)
    }
}

/// What to keep of a timeline.
#[derive(Debug, Default)]
pub struct Filter {
    pub kind: Option<&'static str>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Words, folded for search; every one must appear.
    pub words: Vec<String>,
    pub oldest_first: bool,
}

impl Filter {
    /// The entries kept, in order (newest first unless `oldest_first`).
    pub fn apply(&self, all: Vec<Entry>) -> Vec<Entry> {
        let mut entries: Vec<Entry> = all
            .into_iter()
            .filter(|e| self.kind.is_none_or(|k| e.kind == k))
            .filter(|e| self.from.is_none_or(|f| e.on >= f))
            .filter(|e| self.until.is_none_or(|u| e.on <= u))
            .filter(|e| {
                self.words.is_empty() || {
                    let hay = search_fold(&format!("{} {}", e.title, e.summary));
                    self.words.iter().all(|w| hay.contains(w.as_str()))
                }
            })
            .collect();
        entries.sort_by(|a, b| (a.on, &a.time).cmp(&(b.on, &b.time)));
        if !self.oldest_first {
            entries.reverse();
        }
        entries
    }
}

/// How many entries of each kind: (code, label, count).
pub fn counts(all: &[Entry]) -> Vec<(&'static str, &'static str, usize)> {
    KINDS
        .iter()
        .map(|(code, label)| {
            (
                *code,
                *label,
                all.iter().filter(|e| e.kind == *code).count(),
            )
        })
        .collect()
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
pub async fn collect(
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
                "{} 第{}版（{}）",
                p.kind.label(),
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
