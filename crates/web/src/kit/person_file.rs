//! 本人開示 (個人情報保護法 §33): for one client, every record yorisoi holds about them — the
//! ledger, 障害者手帳 and 受給者証, the care team and consents, each case with its intake,
//! assessments (with their drawings), plans, meetings, monitoring reports, decision support and
//! closure, the 支援経過記録, the 共有・開示の記録 and the audit events about them — as one PDF
//! with a table of contents and as JSON. Shared by the page (`pages::person_file`) and the API;
//! the job runs in the background like 一括印刷 (`kit::batch`) and the answer is logged as a
//! disclosure (`disclose_person`), which the client's 共有・開示の記録 lists.
//!
//! The audit events are part of the file, so only those who may read the audit log (the
//! office's 管理者) may make one.

use crate::AppState;
use crate::auth::Authed;
use crate::error::AppError;
use crate::jobs::{Job, Phase};
use crate::kit::audit::{action_label, detail_label, jst, kind_label};
use crate::kit::cert_view::CertView;
use crate::kit::print::inspection::{compose_case, compose_decision, compose_notes};
use crate::kit::print::{
    Built, compose_assessment, compose_meeting, compose_monitoring, compose_plan, ctx_of,
    plan_context,
};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use yorisoi_documents::docs::person_file::{CoverDoc, SectionDoc, TableDoc};
use yorisoi_documents::docs::{Ctx, DocKind, Labelled};
use yorisoi_documents::pdf::{Part, render_bundle};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::date::parse_date;
use yorisoi_domain::office::DocSettings;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::audit::AuditFilter;
use yorisoi_store::{
    assessments, audit, cases, certificates, clients, decisions, meetings, monitorings, notes,
    offices, outside, plans, team, today_jst, users,
};

/// The newest audit events printed; the JSON holds them all (a person seen daily for years has
/// tens of thousands, which no one reads on paper).
pub const PRINTED_EVENTS: usize = 3000;

/// The request as typed on the form or sent to the API.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonFileInput {
    /// 開示の請求を受けた日（例: 2026-11-20、令和8年11月20日、R8.11.20）
    pub requested_on: String,
    /// 開示先: `person`（ご本人）または `agent`（代理人）
    pub recipient: String,
    /// 代理人の氏名と本人との関係（recipient が agent のとき。例: 山田 一郎（父・法定代理人））
    pub agent: String,
    /// 開示の方法: `paper`（書面の交付）、`mail`（郵送）、`electronic`（電磁的記録の提供）
    pub method: String,
    /// 備考（本人確認の方法など、200字まで）
    pub note: String,
}

/// The choices of the form: (code, label).
pub const RECIPIENTS: &[(&str, &str)] = &[("person", "ご本人"), ("agent", "代理人")];
pub const METHODS: &[(&str, &str)] = &[
    ("paper", "書面の交付"),
    ("mail", "郵送"),
    ("electronic", "電磁的記録の提供（PDF・JSON）"),
];

fn label_of(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A checked request.
#[derive(Debug, Clone)]
pub struct PersonFileSpec {
    pub client_id: i64,
    pub requested_on: NaiveDate,
    /// 「ご本人」 or 「代理人 山田 一郎（父）」.
    pub recipient: String,
    pub method: &'static str,
    pub note: String,
}

impl PersonFileInput {
    /// The request checked, or the messages by field.
    pub fn check(&self, client_id: i64) -> Result<PersonFileSpec, AppError> {
        let mut e = FieldErrors::new();
        let requested_on = match parse_date(self.requested_on.trim()) {
            Ok(d) if d > today_jst() => {
                e.add("requested_on", "請求を受けた日が未来になっています。");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add(
                    "requested_on",
                    "請求を受けた日を入力してください。例: 2026-11-20、令和8年11月20日、R8.11.20",
                );
                None
            }
        };
        let agent = self.agent.trim();
        let recipient = match self.recipient.as_str() {
            "person" => Some("ご本人".to_string()),
            "agent" if agent.is_empty() => {
                e.add(
                    "agent",
                    "代理人の氏名と、ご本人との関係を入力してください。例: 山田 一郎（父・法定代理人）",
                );
                None
            }
            "agent" if agent.chars().count() > 60 => {
                e.add("agent", "代理人は60字までで入力してください。");
                None
            }
            "agent" => Some(format!("代理人 {agent}")),
            _ => {
                e.add("recipient", "開示先を選んでください。");
                None
            }
        };
        let method = label_of(METHODS, &self.method);
        if method.is_none() {
            e.add("method", "開示の方法を選んでください。");
        }
        let note = self.note.trim();
        if note.chars().count() > 200 {
            e.add("note", "備考は200字までで入力してください。");
        }
        match (requested_on, recipient, method) {
            (Some(requested_on), Some(recipient), Some(method)) if e.is_empty() => {
                Ok(PersonFileSpec {
                    client_id,
                    requested_on,
                    recipient,
                    method,
                    note: note.to_string(),
                })
            }
            _ => Err(AppError::Invalid(e)),
        }
    }
}

/// Whether `user` may make the file of `client_id`: the client's ledger, and the audit log
/// (admins). Asked through the store, so a refusal is itself logged. Gives the client's name.
pub async fn may_disclose(
    st: &AppState,
    user: &Authed,
    client_id: i64,
) -> Result<String, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await?;
    if tx
        .office_access(RecordKind::AuditLog, Action::Read)
        .is_err()
    {
        return Err(AppError::Forbidden(
            "本人開示の書類には操作記録も入るため、作れるのは管理者だけです。開示の請求を受けたら、管理者に頼んでください。"
                .into(),
        ));
    }
    let c = clients::get(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(c.record.full_name())
}

/// Starts the job and gives its id; 429 when `user` already has [`crate::kit::batch::MAX_RUNNING`]
/// jobs running.
pub fn start(
    st: &AppState,
    user: &Authed,
    name: &str,
    spec: PersonFileSpec,
) -> Result<String, AppError> {
    let stem = format!("本人開示_{}_{}", name.replace(' ', ""), today_jst());
    let job = Job {
        owner: user.user_id,
        title: format!("{name}さんの本人開示"),
        done: 0,
        total: 0,
        phase: Phase::Reading,
        pdf: None,
        filename: format!("{stem}.pdf"),
        json: None,
        json_filename: format!("{stem}.json"),
        back: format!("/clients/{}", spec.client_id),
        started: Instant::now(),
    };
    let max = crate::kit::batch::MAX_RUNNING;
    let Some(id) = st.jobs.admit(job, max) else {
        return Err(AppError::TooManyRequests(format!(
            "書類の作成は同時に{max}件までです。実行中のものが終わってから、もう一度始めてください。"
        )));
    };
    let (st2, id2, user2) = (st.clone(), id.clone(), user.clone());
    tokio::spawn(async move {
        if let Err(err) = run(&st2, &user2, &id2, &spec).await {
            st2.jobs
                .update(&id2, |j| j.phase = Phase::Failed(err.message()));
        }
    });
    Ok(id)
}

/// One case's records as read.
struct CaseFile {
    case: cases::Case,
    intake: cases::Intake,
    assessments: Vec<assessments::Assessment>,
    plans: Vec<plans::Plan>,
    meetings: Vec<meetings::Meeting>,
    monitorings: Vec<monitorings::Monitoring>,
    decisions: Vec<decisions::Decision>,
}

/// Reads everything in one unit of work (every read is audited as usual), renders the PDF and
/// the JSON, then logs the disclosure with what it held.
async fn run(
    st: &AppState,
    user: &Authed,
    id: &str,
    spec: &PersonFileSpec,
) -> Result<(), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::AuditLog, Action::Read)?;
    let cid = spec.client_id;
    let settings = offices::doc_settings(&tx).await?;
    let ledger = tx
        .client_access(cid, RecordKind::Ledger, Action::Read)
        .await?;
    let client = clients::get(&mut tx, &ledger).await?;
    let cx = ctx_of(&mut tx, &client, &settings).await?;
    let books = clients::books(&tx, &ledger).await?;
    let cert_acc = tx
        .client_access(cid, RecordKind::Certificate, Action::Read)
        .await?;
    let certs = certificates::list(&mut tx, &cert_acc).await?;
    let team_acc = tx
        .client_access(cid, RecordKind::CareTeam, Action::Read)
        .await?;
    let members = team::members(&mut tx, &team_acc).await?;
    let consents = team::consents(&mut tx, &team_acc).await?;
    let disclosures = outside::disclosures(&mut tx, &team_acc, None).await?;
    let names: HashMap<i64, String> = users::names(&tx).await?.into_iter().collect();

    // First the lists (cheap), so that progress can count the records to read.
    let case_acc = tx
        .client_access(cid, RecordKind::Case, Action::Read)
        .await?;
    let mut case_list = cases::list(&mut tx, &case_acc).await?;
    case_list.sort_by_key(|c| (c.opened_on, c.id));
    let a_acc = tx
        .client_access(cid, RecordKind::Assessment, Action::Read)
        .await?;
    let p_acc = tx
        .client_access(cid, RecordKind::Plan, Action::Read)
        .await?;
    let m_acc = tx
        .client_access(cid, RecordKind::Meeting, Action::Read)
        .await?;
    let mo_acc = tx
        .client_access(cid, RecordKind::Monitoring, Action::Read)
        .await?;
    let d_acc = tx
        .client_access(cid, RecordKind::DecisionSupport, Action::Read)
        .await?;
    let mut listed = Vec::new();
    for c in &case_list {
        let mut a_ids: Vec<i64> = assessments::list(&mut tx, &a_acc, c.id)
            .await?
            .iter()
            .map(|s| s.id)
            .collect();
        let mut p_ids: Vec<i64> = plans::list(&mut tx, &p_acc, c.id)
            .await?
            .iter()
            .map(|s| s.id)
            .collect();
        let mut d_ids: Vec<i64> = decisions::list(&mut tx, &d_acc, c.id)
            .await?
            .iter()
            .map(|s| s.id)
            .collect();
        // Oldest first, as the file is read.
        a_ids.reverse();
        p_ids.reverse();
        d_ids.sort_unstable();
        listed.push((c.id, a_ids, p_ids, d_ids));
    }
    let total = listed
        .iter()
        .map(|(_, a, p, d)| 1 + a.len() + 2 * p.len() + d.len())
        .sum::<usize>()
        + 4;
    st.jobs.update(id, |j| j.total = total);
    let step = |n: usize| st.jobs.update(id, |j| j.done = (j.done + n).min(j.total));
    step(1);

    let mut files = Vec::new();
    for (case_id, a_ids, p_ids, d_ids) in listed {
        let (case, intake) = cases::get(&mut tx, &case_acc, case_id).await?;
        step(1);
        let mut f = CaseFile {
            case,
            intake,
            assessments: Vec::new(),
            plans: Vec::new(),
            meetings: Vec::new(),
            monitorings: Vec::new(),
            decisions: Vec::new(),
        };
        for a in a_ids {
            f.assessments
                .push(assessments::get(&mut tx, &a_acc, a).await?);
            step(1);
        }
        for p in &p_ids {
            f.plans.push(plans::get(&mut tx, &p_acc, *p).await?);
            let mut ms = meetings::for_plan(&mut tx, &m_acc, *p).await?;
            ms.sort_by_key(|m| (m.record.held_on, m.id));
            f.meetings.extend(ms);
            step(2);
        }
        let mut mos = monitorings::list(&mut tx, &mo_acc, case_id).await?;
        mos.sort_by_key(|m| (m.record.monitored_on, m.id));
        f.monitorings = mos;
        for d in d_ids {
            f.decisions.push(decisions::get(&mut tx, &d_acc, d).await?);
            step(1);
        }
        files.push(f);
    }
    let n_acc = tx
        .client_access(cid, RecordKind::CaseNote, Action::Read)
        .await?;
    let all_notes = notes::between(
        &mut tx,
        &n_acc,
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or_default(),
    )
    .await?;
    step(1);
    let mut events = Vec::new();
    let mut page = 0;
    loop {
        let (rows, total) = audit::list(
            &mut tx,
            &AuditFilter {
                client_id: Some(cid),
                page,
                per_page: 500,
                ..Default::default()
            },
        )
        .await?;
        let done = rows.is_empty() || (page + 1) * 500 >= total;
        events.extend(rows);
        if done {
            break;
        }
        page += 1;
    }
    step(1);

    st.jobs.update(id, |j| j.phase = Phase::Rendering);
    let stamp = format!(
        "本人開示　{} 様　{}に作成　{}",
        cx.person.client_name,
        settings.dates.date(today_jst()),
        cx.office
    );
    let mut parts: Vec<(String, Built)> = Vec::new();
    let sections: Vec<(String, SectionDoc)> = vec![
        (
            String::from("利用者台帳・障害者手帳"),
            ledger_section(&client, &books, &cx, &stamp),
        ),
        (
            String::from("受給者証"),
            certificate_section(&certs, &cx, &stamp),
        ),
        (
            String::from("ケアチームと、情報提供への同意"),
            team_section(&members, &consents, &cx, &settings, &stamp),
        ),
    ];
    for f in &files {
        let title = &f.case.title;
        let pcx = plan_context(cx.clone(), &client, &certs);
        parts.push((
            format!("ケース「{title}」 インテーク記録"),
            compose_case(&f.case, &f.intake, DocKind::Intake, &cx)?,
        ));
        for a in &f.assessments {
            parts.push((
                format!(
                    "ケース「{title}」 アセスメントシート 第{}版（{}）",
                    a.version_no,
                    settings.dates.date(a.record.assessed_on)
                ),
                compose_assessment(a, &cx)?,
            ));
        }
        for p in &f.plans {
            parts.push((
                format!(
                    "ケース「{title}」 {} 第{}版（{}）",
                    p.record.kind.label(),
                    p.version_no,
                    p.state.label()
                ),
                compose_plan(st, p, pcx.clone(), DocKind::Plan, None, &settings).await?,
            ));
        }
        for m in &f.meetings {
            let label = f
                .plans
                .iter()
                .find(|p| p.id == m.plan_id)
                .map(|p| format!("{} 第{}版", p.record.kind.label(), p.version_no))
                .unwrap_or_default();
            parts.push((
                format!(
                    "ケース「{title}」 サービス担当者会議の記録（{}）",
                    settings.dates.date(m.record.held_on)
                ),
                compose_meeting(m, &members, &label, &cx)?,
            ));
        }
        for m in &f.monitorings {
            let label = f
                .plans
                .iter()
                .find(|p| p.id == m.plan_id)
                .map(|p| {
                    format!(
                        "{}作成の計画（第{}版）",
                        settings
                            .dates
                            .date(p.record.decided_on.unwrap_or(p.record.drafted_on)),
                        p.version_no
                    )
                })
                .unwrap_or_default();
            parts.push((
                format!(
                    "ケース「{title}」 モニタリング報告書（{}）",
                    settings.dates.date(m.record.monitored_on)
                ),
                compose_monitoring(m, &label, &cx)?,
            ));
        }
        for d in &f.decisions {
            let lead = names
                .get(&d.record.lead_user_id)
                .cloned()
                .unwrap_or_default();
            parts.push((
                format!(
                    "ケース「{title}」 意思決定支援の記録（{}開始）",
                    settings.dates.date(d.record.started_on)
                ),
                compose_decision(d, &lead, &cx)?,
            ));
        }
        if f.case.closed_on.is_some() {
            parts.push((
                format!("ケース「{title}」 終結の記録"),
                compose_case(&f.case, &f.intake, DocKind::Closure, &cx)?,
            ));
        }
    }
    if let (Some(first), Some(last)) = (all_notes.first(), all_notes.last()) {
        let from = first.record.occurred_at.date();
        let until = last.record.occurred_at.date();
        parts.push((
            format!("支援経過記録（{}件）", all_notes.len()),
            compose_notes(&all_notes, &names, cid, from, until, &cx)?,
        ));
    }
    let tail = [
        (
            String::from("共有・開示の記録"),
            disclosure_section(&disclosures, &names, &cx, &stamp),
        ),
        (
            String::from("操作記録"),
            audit_section(&events, &names, &cx, &stamp),
        ),
    ];

    // The PDF: the cover, the ledger's sections, the records with their forms, then the log.
    let mut pdf_parts = Vec::new();
    let mut counts: Vec<Labelled> = Vec::new();
    let numbered = |i: usize, t: &str| format!("{}. {t}", i + 1);
    let mut i = 0;
    for (t, s) in &sections {
        pdf_parts.push(Part {
            kind: None,
            title: numbered(i, t),
            doc: serde_json::to_value(s).map_err(AppError::internal)?,
        });
        i += 1;
    }
    for (t, b) in &parts {
        let mut doc = b.value.clone();
        if let Some(o) = doc.as_object_mut() {
            o.insert("shared_with".into(), Value::String(stamp.clone()));
        }
        pdf_parts.push(Part {
            kind: Some(b.kind),
            title: numbered(i, t),
            doc,
        });
        i += 1;
    }
    for (t, s) in &tail {
        pdf_parts.push(Part {
            kind: None,
            title: numbered(i, t),
            doc: serde_json::to_value(s).map_err(AppError::internal)?,
        });
        i += 1;
    }
    let count = |label: &str, n: usize| Labelled {
        label: label.into(),
        text: format!("{n}件"),
    };
    counts.push(count("支援ケース", files.len()));
    counts.push(count(
        "アセスメント",
        files.iter().map(|f| f.assessments.len()).sum(),
    ));
    counts.push(count("計画", files.iter().map(|f| f.plans.len()).sum()));
    counts.push(count(
        "サービス担当者会議",
        files.iter().map(|f| f.meetings.len()).sum(),
    ));
    counts.push(count(
        "モニタリング報告書",
        files.iter().map(|f| f.monitorings.len()).sum(),
    ));
    counts.push(count(
        "意思決定支援",
        files.iter().map(|f| f.decisions.len()).sum(),
    ));
    counts.push(count("支援経過記録", all_notes.len()));
    counts.push(count("受給者証（版）", certs.len()));
    counts.push(count("ケアチーム", members.len()));
    counts.push(count("情報提供への同意", consents.len()));
    counts.push(count("共有・開示の記録", disclosures.len()));
    counts.push(count("操作記録", events.len()));
    let mut fields = vec![
        lab("請求を受けた日", settings.dates.date(spec.requested_on)),
        lab("開示先", spec.recipient.clone()),
        lab("開示の方法", spec.method.to_string()),
        lab("作成日", settings.dates.date(today_jst())),
        lab("作成者", format!("{}（{}）", user.display_name, cx.office)),
    ];
    if !spec.note.is_empty() {
        fields.push(lab("備考", spec.note.clone()));
    }
    let cover = CoverDoc {
        common: cx.common("保有個人データの開示"),
        client_name: cx.person.client_name.clone(),
        client_kana: cx.person.client_kana.clone(),
        fields,
        intro: format!(
            "個人情報の保護に関する法律第33条にもとづくご請求に対し、{}が{}様について保有している記録をすべてお示しします。下の目次のとおり、利用者台帳、受給者証、ケアチームと同意、ケースごとの記録（インテーク、アセスメント、計画、サービス担当者会議、モニタリング、意思決定支援、終結）、支援経過記録、共有・開示の記録、操作記録（誰が、いつ、どの記録を見たり変えたりしたか）の順です。同じ内容は、コンピュータで読める形式（JSON）でもお渡しできます。{}",
            cx.office,
            cx.person.client_name,
            if events.len() > PRINTED_EVENTS {
                format!(
                    "操作記録は新しいものから{PRINTED_EVENTS}件を印刷し、全件（{}件）はJSONに入っています。",
                    events.len()
                )
            } else {
                String::new()
            }
        ),
        counts,
        shared_with: stamp.clone(),
    };
    let cover = serde_json::to_value(&cover).map_err(AppError::internal)?;
    let today = today_jst();
    let templates = st.templates.clone();
    let chosen: HashMap<DocKind, String> = DocKind::ALL
        .iter()
        .map(|k| (*k, settings.template(k.code()).to_string()))
        .collect();
    let custom = chosen
        .values()
        .any(|n| n != yorisoi_documents::templates::STANDARD);
    let pdf = tokio::task::spawn_blocking(move || {
        render_bundle(
            cover,
            &pdf_parts,
            |k| {
                let name = chosen.get(&k).map(String::as_str).unwrap_or(yorisoi_documents::templates::STANDARD);
                templates.source(k, name).into_owned()
            },
            today,
        )
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| match e {
        // An office's own template that fails on a record: say which way out there is.
        yorisoi_documents::pdf::PdfError::Template(m) if custom => AppError::Rule(format!(
            "事業所のテンプレートでPDFを作れませんでした（{m}）。管理者が「帳票の設定」で標準に戻すか、テンプレートを直してから、もう一度作ってください。"
        )),
        other => AppError::internal(other),
    })?;

    let json = person_json(
        &client,
        &books,
        &certs,
        &members,
        &consents,
        &files,
        &all_notes,
        &disclosures,
        &events,
        &names,
        spec,
        user,
        &cx,
    );
    let json = serde_json::to_vec_pretty(&json).map_err(AppError::internal)?;
    let records = files.len()
        + files
            .iter()
            .map(|f| {
                f.assessments.len()
                    + f.plans.len()
                    + f.meetings.len()
                    + f.monitorings.len()
                    + f.decisions.len()
            })
            .sum::<usize>()
        + all_notes.len();
    tx.record(
        "disclose_person",
        RecordKind::Ledger,
        None,
        Some(cid),
        format!(
            "本人開示（個人情報保護法第33条）: 請求 {}、開示先 {}、方法 {}; 記録{records}件・操作記録{}件（PDF・JSON）{}",
            spec.requested_on,
            spec.recipient,
            spec.method,
            events.len(),
            if spec.note.is_empty() {
                String::new()
            } else {
                format!("; 備考 {}", spec.note)
            }
        ),
    );
    tx.commit().await?;
    st.jobs.update(id, |j| {
        j.done = j.total;
        j.pdf = Some(Arc::new(pdf));
        j.json = Some(Arc::new(json));
        j.phase = Phase::Done;
    });
    Ok(())
}

fn lab(label: &str, text: String) -> Labelled {
    Labelled {
        label: label.into(),
        text,
    }
}

fn section(cx: &Ctx, heading: &str, intro: &str, stamp: &str) -> SectionDoc {
    SectionDoc {
        common: cx.common(heading),
        client_name: cx.person.client_name.clone(),
        heading: heading.into(),
        intro: intro.into(),
        fields: Vec::new(),
        tables: Vec::new(),
        shared_with: stamp.into(),
    }
}

fn table(caption: &str, columns: &[(&str, u8)], rows: Vec<Vec<String>>, empty: &str) -> TableDoc {
    TableDoc {
        caption: caption.into(),
        columns: columns.iter().map(|(c, _)| c.to_string()).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
        rows,
        empty: empty.into(),
    }
}

fn ledger_section(
    c: &clients::Client,
    books: &[clients::Book],
    cx: &Ctx,
    stamp: &str,
) -> SectionDoc {
    let mut s = section(cx, "利用者台帳・障害者手帳", "", stamp);
    s.fields.push(lab("氏名", cx.person.client_name.clone()));
    s.fields
        .push(lab("ふりがな", cx.person.client_kana.clone()));
    s.fields.extend(
        crate::kit::display::ledger_lines(&c.record)
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| lab(k, v)),
    );
    s.fields
        .push(lab("状態", c.record.status.label().to_string()));
    s.tables.push(table(
        "障害者手帳",
        &[
            ("種類", 2),
            ("等級・判定", 1),
            ("交付日", 2),
            ("有効期限", 2),
        ],
        books
            .iter()
            .map(|b| {
                vec![
                    b.record.kind.label().to_string(),
                    b.record.grade_label(),
                    cx.dates.opt(b.record.issued_on),
                    cx.dates.opt(b.record.expires_on),
                ]
            })
            .collect(),
        "登録されていません。",
    ));
    s
}

fn certificate_section(certs: &[certificates::Certificate], cx: &Ctx, stamp: &str) -> SectionDoc {
    let mut s = section(
        cx,
        "受給者証",
        "登録したすべての版です（新しい版から）。",
        stamp,
    );
    s.tables.push(table(
        "受給者証の版",
        &[
            ("版・種類", 2),
            ("番号・市町村", 2),
            ("支給決定期間", 3),
            ("支給量", 3),
            ("上限額・モニタリング", 3),
        ],
        certs
            .iter()
            .map(|c| {
                let v = CertView::new(c);
                vec![
                    format!("第{}版\n{}\n{}登録", v.version_no, v.kind, v.created),
                    format!("{}\n{}", v.number, v.municipality),
                    format!("{}\n交付 {}", v.decision, v.issued),
                    v.services
                        .iter()
                        .map(|(s, a)| format!("{s}: {a}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    format!(
                        "{}\n{}{}{}",
                        v.cost_cap,
                        v.monitoring_period,
                        if v.monitoring_months.is_empty() {
                            ""
                        } else {
                            "\n"
                        },
                        v.monitoring_months
                    ),
                ]
            })
            .collect(),
        "登録されていません。",
    ));
    s
}

fn team_section(
    members: &[team::Member],
    consents: &[team::Consent],
    cx: &Ctx,
    settings: &DocSettings,
    stamp: &str,
) -> SectionDoc {
    let mut s = section(cx, "ケアチームと、情報提供への同意", "", stamp);
    s.tables.push(table(
        "ケアチーム",
        &[
            ("種別", 2),
            ("氏名", 2),
            ("所属", 3),
            ("連絡先", 2),
            ("役割", 3),
        ],
        members
            .iter()
            .map(|m| {
                vec![
                    format!(
                        "{}{}",
                        m.record.kind.label(),
                        if m.active { "" } else { "（外れた）" }
                    ),
                    m.record.name.clone(),
                    m.record.organisation.clone(),
                    m.record.contact.clone(),
                    m.record.role.clone(),
                ]
            })
            .collect(),
        "登録されていません。",
    ));
    let member_name = |id: i64| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.record.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    s.tables.push(table(
        "情報提供への同意（撤回したものを含む）",
        &[
            ("同意した日", 2),
            ("誰の情報", 2),
            ("提供先", 3),
            ("範囲・目的", 4),
            ("書面・撤回", 3),
        ],
        consents
            .iter()
            .map(|c| {
                let r = &c.record;
                vec![
                    settings.dates.date(r.given_on),
                    if r.subject.is_empty() {
                        "ご本人".to_string()
                    } else {
                        r.subject.clone()
                    },
                    r.member_ids
                        .iter()
                        .map(|id| member_name(*id))
                        .collect::<Vec<_>>()
                        .join("、"),
                    format!(
                        "{}\n{}",
                        r.sections
                            .iter()
                            .map(|x| x.label())
                            .collect::<Vec<_>>()
                            .join("・"),
                        r.purpose
                    ),
                    format!(
                        "{}{}",
                        r.document,
                        r.withdrawn_on
                            .map(|w| format!("\n{}に撤回", settings.dates.date(w)))
                            .unwrap_or_default()
                    ),
                ]
            })
            .collect(),
        "記録されていません。",
    ));
    s
}

fn disclosure_section(
    rows: &[outside::Disclosure],
    names: &HashMap<i64, String>,
    cx: &Ctx,
    stamp: &str,
) -> SectionDoc {
    let mut s = section(
        cx,
        "共有・開示の記録",
        "ケアチームの外部メンバーへの提供、印刷・書き出し、書類の共有など、事業所の外に出た記録です（新しいものから）。",
        stamp,
    );
    s.tables.push(table(
        "共有・開示",
        &[("日時", 2), ("職員・利用者", 2), ("操作", 2), ("内容", 5)],
        rows.iter()
            .map(|d| {
                vec![
                    jst(d.at),
                    d.user_id
                        .and_then(|u| names.get(&u).cloned())
                        .unwrap_or_default(),
                    action_label(&d.action),
                    detail_label(&d.detail),
                ]
            })
            .collect(),
        "ありません。",
    ));
    s
}

fn audit_section(
    events: &[yorisoi_store::entities::audit_event::Model],
    names: &HashMap<i64, String>,
    cx: &Ctx,
    stamp: &str,
) -> SectionDoc {
    let intro = if events.len() > PRINTED_EVENTS {
        format!(
            "{}様の記録を、誰が、いつ、どう扱ったかの記録です（新しいものから{PRINTED_EVENTS}件。全{}件はJSONにあります）。",
            cx.person.client_name,
            events.len()
        )
    } else {
        format!(
            "{}様の記録を、誰が、いつ、どう扱ったかの記録です（新しいものから、全{}件）。",
            cx.person.client_name,
            events.len()
        )
    };
    let mut s = section(cx, "操作記録", &intro, stamp);
    s.tables.push(table(
        "操作記録",
        &[
            ("日時", 3),
            ("職員", 2),
            ("操作", 2),
            ("記録", 3),
            ("結果", 1),
        ],
        events
            .iter()
            .take(PRINTED_EVENTS)
            .map(|e| {
                vec![
                    jst(e.at),
                    e.user_id
                        .and_then(|u| names.get(&u).cloned())
                        .unwrap_or_default(),
                    action_label(&e.action),
                    kind_label(&e.record_kind).to_string(),
                    if e.outcome == "ok" { "" } else { "拒否" }.to_string(),
                ]
            })
            .collect(),
        "ありません。",
    ));
    s
}

/// Everything in the file as JSON, the records in the shape the API gives them.
#[allow(clippy::too_many_arguments)]
fn person_json(
    client: &clients::Client,
    books: &[clients::Book],
    certs: &[certificates::Certificate],
    members: &[team::Member],
    consents: &[team::Consent],
    files: &[CaseFile],
    all_notes: &[notes::Note],
    disclosures: &[outside::Disclosure],
    events: &[yorisoi_store::entities::audit_event::Model],
    names: &HashMap<i64, String>,
    spec: &PersonFileSpec,
    user: &Authed,
    cx: &Ctx,
) -> Value {
    let staff = |u: Option<i64>| u.and_then(|u| names.get(&u).cloned());
    json!({
        "format": "yorisoi.person-file/1",
        "produced_on": today_jst(),
        "office": cx.office,
        "produced_by": user.display_name,
        "request": {
            "requested_on": spec.requested_on,
            "recipient": spec.recipient,
            "method": spec.method,
            "note": spec.note,
        },
        "client": {
            "id": client.id,
            "record": client.record,
            "assigned_staff": staff(client.assigned_user_id),
        },
        "disability_books": books,
        "certificates": certs,
        "care_team": members.iter().map(|m| json!({
            "id": m.id, "active": m.active, "record": m.record,
        })).collect::<Vec<_>>(),
        "consents": consents.iter().map(|c| json!({
            "id": c.id, "replaces_id": c.replaces_id, "created_at": c.created_at, "record": c.record,
        })).collect::<Vec<_>>(),
        "cases": files.iter().map(|f| json!({
            "id": f.case.id,
            "title": f.case.title,
            "stage": f.case.stage.label(),
            "opened_on": f.case.opened_on,
            "closed_on": f.case.closed_on,
            "close_reason": f.case.close_reason.map(|r| r.label()),
            "close_reason_text": f.case.close_reason_text,
            "evaluation": f.case.evaluation,
            "retain_until": f.case.retain_until,
            "intake": f.intake.record,
            "assessments": f.assessments.iter().map(|a| json!({
                "id": a.id, "version_no": a.version_no, "updated_at": a.updated_at, "record": a.record,
            })).collect::<Vec<_>>(),
            "plans": f.plans.iter().map(|p| json!({
                "id": p.id, "version_no": p.version_no, "state": p.state.label(),
                "updated_at": p.updated_at, "record": p.record,
            })).collect::<Vec<_>>(),
            "meetings": f.meetings.iter().map(|m| json!({
                "id": m.id, "plan_id": m.plan_id, "updated_at": m.updated_at, "record": m.record,
            })).collect::<Vec<_>>(),
            "monitorings": f.monitorings.iter().map(|m| json!({
                "id": m.id, "plan_id": m.plan_id, "updated_at": m.updated_at, "record": m.record,
            })).collect::<Vec<_>>(),
            "decision_support": f.decisions.iter().map(|d| json!({
                "id": d.id, "lead": staff(Some(d.record.lead_user_id)), "updated_at": d.updated_at,
                "record": d.record,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "case_notes": all_notes.iter().map(|n| json!({
            "id": n.id, "staff": staff(Some(n.staff_user_id)), "record": n.record,
        })).collect::<Vec<_>>(),
        "disclosures": disclosures.iter().map(|d| json!({
            "at": d.at, "staff": staff(d.user_id), "action": d.action,
            "action_label": action_label(&d.action), "record_kind": d.kind,
            "record_id": d.record_id, "detail": detail_label(&d.detail),
        })).collect::<Vec<_>>(),
        "audit_events": events.iter().map(|e| json!({
            "seq": e.seq, "at": e.at, "staff": staff(e.user_id), "action": e.action,
            "action_label": action_label(&e.action), "record_kind": e.record_kind,
            "record_id": e.record_id, "outcome": e.outcome, "detail": detail_label(&e.detail),
        })).collect::<Vec<_>>(),
    })
}
