//! Printing, shared by the single PDFs (`pages::documents`, `api::documents`) and 一括印刷
//! (`pages::batch`): each record made ready for its office's template, rendered off the async
//! threads, and logged as a disclosure (印刷・出力: who, which record, when) in the unit of work
//! that read it. The records an inspection asks for (支援経過記録, intake, closure, decision
//! support) are made ready in `inspection`.

pub mod inspection;
pub mod shared;

use crate::AppState;
use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use inspection::{build_case, build_decision, build_notes};
use yorisoi_documents::docs::assessment::assessment_doc;
use yorisoi_documents::docs::easy::{Audience, easy_doc, name_readings};
use yorisoi_documents::docs::meeting::{ParticipantDoc, meeting_doc};
use yorisoi_documents::docs::monitoring::monitoring_doc;
use yorisoi_documents::docs::plan::{PlanContext, plan_doc};
use yorisoi_documents::docs::{Ctx, DocKind, Person};
use yorisoi_documents::pdf::{PdfError, render};
use yorisoi_documents::templates::STANDARD;
use yorisoi_domain::certificate::CertificateKind;
use yorisoi_domain::office::DocSettings;
use yorisoi_domain::plan::PlanState;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{
    Tx, assessments, certificates, clients, meetings, monitorings, offices, plans, team, today_jst,
    users,
};

/// The office, the person and the specialist in charge, for any document of `client_id`.
pub async fn base_ctx(
    tx: &mut Tx,
    client_id: i64,
    settings: &DocSettings,
) -> Result<Ctx, AppError> {
    Ok(client_ctx(tx, client_id, settings).await?.0)
}

async fn client_ctx(
    tx: &mut Tx,
    client_id: i64,
    settings: &DocSettings,
) -> Result<(Ctx, clients::Client), AppError> {
    let ledger = tx
        .client_access(client_id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(tx, &ledger).await?;
    let cx = ctx_of(tx, &c, settings).await?;
    Ok((cx, c))
}

/// The office, the person and the specialist in charge, from the ledger as read (by staff, or
/// under a share's grant).
pub async fn ctx_of(
    tx: &mut Tx,
    c: &clients::Client,
    settings: &DocSettings,
) -> Result<Ctx, AppError> {
    let planner = match c.assigned_user_id {
        Some(u) => users::staff_name(tx, u).await?,
        None => String::new(),
    };
    Ok(Ctx {
        office: offices::name(tx).await?,
        person: Person {
            client_name: c.record.full_name(),
            client_kana: format!("{} {}", c.record.family_name_kana, c.record.given_name_kana)
                .trim()
                .to_string(),
        },
        planner,
        dates: settings.dates,
        today: Some(today_jst()),
        office_phone: settings.office_phone.clone(),
        office_hours: settings.office_hours.clone(),
    })
}

/// The plan's header from the ledger and the newest certificate of each kind.
pub async fn plan_ctx(
    tx: &mut Tx,
    client_id: i64,
    settings: &DocSettings,
) -> Result<PlanContext, AppError> {
    let (base, c) = client_ctx(tx, client_id, settings).await?;
    let certs = match tx
        .client_access(client_id, RecordKind::Certificate, Action::Read)
        .await
    {
        Ok(acc) => certificates::list(tx, &acc).await?,
        Err(_) => Vec::new(),
    };
    Ok(plan_context(base, &c, &certs))
}

/// The plan's header from the ledger and the certificates as read.
pub fn plan_context(
    base: Ctx,
    c: &clients::Client,
    certs: &[certificates::Certificate],
) -> PlanContext {
    // Newest version first: the first of each kind is the one in force.
    let newest = |k: CertificateKind| certs.iter().find(|c| c.record.kind == k);
    let number = |k| {
        newest(k)
            .map(|c| c.record.number.as_str().to_string())
            .unwrap_or_default()
    };
    let cap = newest(CertificateKind::Welfare)
        .or_else(|| newest(CertificateKind::ChildDay))
        .map(|c| format!("{}円", thousands(c.record.cost_cap_yen)))
        .unwrap_or_default();
    PlanContext {
        base,
        support_level: c.record.support_category.label().to_string(),
        certificate_number: number(CertificateKind::Welfare),
        community_certificate_number: number(CertificateKind::Community),
        child_certificate_number: number(CertificateKind::ChildDay),
        cost_cap: cap,
    }
}

fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Renders `docs` with the office's template for `kind`, off the async threads.
pub async fn render_pdf(
    st: &AppState,
    settings: &DocSettings,
    kind: DocKind,
    docs: Vec<serde_json::Value>,
) -> Result<Vec<u8>, AppError> {
    render_with(st, settings.template(kind.code()), kind, docs).await
}

/// Renders `docs` with the template `name` for `kind`, off the async threads.
pub async fn render_with(
    st: &AppState,
    name: &str,
    kind: DocKind,
    docs: Vec<serde_json::Value>,
) -> Result<Vec<u8>, AppError> {
    let name = name.to_string();
    let source = st.templates.source(kind, &name);
    tokio::task::spawn_blocking(move || render(&source, &docs, today_jst()))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| match e {
            PdfError::Template(m) if name != STANDARD => AppError::Rule(format!(
                "事業所のテンプレート「{name}」で{}を作れませんでした（{m}）。管理者が「帳票の設定」で標準に戻すか、テンプレートを直してください。",
                kind.label()
            )),
            other => AppError::internal(other),
        })
}

pub fn to_value<T: serde::Serialize>(doc: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(doc).map_err(AppError::internal)
}

/// A PDF as a download named after the document and the person.
pub fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    let encoded =
        percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC);
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"document.pdf\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// One record made ready for a template, with what the audit log says of it.
pub struct Built {
    pub kind: DocKind,
    pub value: serde_json::Value,
    pub record_kind: RecordKind,
    /// The record printed; none for a print of many (the 支援経過記録 of a period).
    pub id: Option<i64>,
    pub client_id: i64,
    /// "サービス等利用計画（案） 第1版"
    pub what: String,
    pub filename: String,
}

/// Logs the download as a disclosure of the record: what was printed, with which template.
pub fn disclosed(tx: &mut Tx, b: &Built, settings: &DocSettings, batch: bool) {
    tx.record(
        "print",
        b.record_kind,
        b.id,
        Some(b.client_id),
        format!(
            "{}（PDF・{}{}）",
            b.what,
            settings.template(b.kind.code()),
            if batch { "・一括印刷" } else { "" }
        ),
    );
}

fn file_name(what: &str, person: &Person, date: chrono::NaiveDate) -> String {
    format!("{what}_{}_{date}.pdf", person.client_name.replace(' ', ""))
}

/// The plan `id` as `kind` (the plan, its 週間計画表 or the easy-read plan for `audience`: by
/// default the person, or for a child's plan the child).
pub async fn build_plan(
    st: &AppState,
    tx: &mut Tx,
    id: i64,
    kind: DocKind,
    audience: Option<Audience>,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = plans::access(tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(tx, &acc, id).await?;
    let cx = plan_ctx(tx, acc.client_id, settings).await?;
    compose_plan(st, &p, cx, kind, audience, settings).await
}

/// The plan as read, made ready as `kind` for `audience`.
pub async fn compose_plan(
    st: &AppState,
    p: &plans::Plan,
    cx: PlanContext,
    kind: DocKind,
    audience: Option<Audience>,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let audiences = Audience::of(p.record.kind == yorisoi_domain::plan::PlanKind::Child);
    let audience = match audience {
        None => audiences[0],
        // The parents' version of an adult's plan does not exist.
        Some(a) if audiences.contains(&a) => a,
        Some(_) => return Err(AppError::NotFound),
    };
    let doc = plan_doc(&p.record, p.state, p.version_no, &cx);
    let value = if kind == DocKind::EasyPlan {
        let names = name_readings(&cx.base.person.client_name, &cx.base.person.client_kana);
        let dict = settings.furigana.then(|| st.furigana.clone());
        let plan = doc.clone();
        let easy = tokio::task::spawn_blocking(move || {
            // Without the dictionary the plan prints without furigana rather than not at all.
            let reader = dict.and_then(|d| d.reader().ok());
            easy_doc(&plan, reader.as_deref(), &names, audience)
        })
        .await
        .map_err(AppError::internal)?;
        to_value(&easy)?
    } else {
        to_value(&doc)?
    };
    let label = if kind == DocKind::EasyPlan {
        audience.label()
    } else {
        kind.label()
    };
    let what = match kind {
        DocKind::Plan => format!("{} 第{}版", doc.common.title, p.version_no),
        DocKind::EasyPlan => format!("{} 第{}版の{label}", doc.common.title, p.version_no),
        _ => format!(
            "{} 第{}版の{}",
            doc.common.title,
            p.version_no,
            kind.label()
        ),
    };
    let stamp = if p.state == PlanState::Final {
        p.record.decided_on.unwrap_or(p.record.drafted_on)
    } else {
        p.record.drafted_on
    };
    Ok(Built {
        kind,
        value,
        record_kind: RecordKind::Plan,
        id: Some(p.id),
        client_id: p.client_id,
        what,
        filename: file_name(label, &cx.base.person, stamp),
    })
}

pub async fn build_monitoring(
    tx: &mut Tx,
    id: i64,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = monitorings::access(tx, id, Action::Read).await?;
    let m = monitorings::get(tx, &acc, id).await?;
    let cx = base_ctx(tx, acc.client_id, settings).await?;
    let plan_label = match tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Read)
        .await
    {
        Ok(pacc) => {
            let p = plans::get(tx, &pacc, m.plan_id).await?;
            format!(
                "{}作成の計画（第{}版）",
                settings
                    .dates
                    .date(p.record.decided_on.unwrap_or(p.record.drafted_on)),
                p.version_no
            )
        }
        Err(_) => String::new(),
    };
    compose_monitoring(&m, &plan_label, &cx)
}

/// The monitoring report as read, with its plan's label.
pub fn compose_monitoring(
    m: &monitorings::Monitoring,
    plan_label: &str,
    cx: &Ctx,
) -> Result<Built, AppError> {
    let doc = monitoring_doc(&m.record, plan_label, cx);
    Ok(Built {
        kind: DocKind::Monitoring,
        value: to_value(&doc)?,
        record_kind: RecordKind::Monitoring,
        id: Some(m.id),
        client_id: m.client_id,
        what: format!("モニタリング報告書 {}", doc.monitored_on),
        filename: file_name("モニタリング報告書", &cx.person, m.record.monitored_on),
    })
}

pub async fn build_meeting(
    tx: &mut Tx,
    id: i64,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = meetings::access(tx, id, Action::Read).await?;
    let m = meetings::get(tx, &acc, id).await?;
    let cx = base_ctx(tx, acc.client_id, settings).await?;
    let members = match tx
        .client_access(acc.client_id, RecordKind::CareTeam, Action::Read)
        .await
    {
        Ok(tacc) => team::members(tx, &tacc).await?,
        Err(_) => Vec::new(),
    };
    let plan_label = match tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Read)
        .await
    {
        Ok(pacc) => {
            let p = plans::get(tx, &pacc, m.plan_id).await?;
            format!("{} 第{}版", p.record.kind.label(), p.version_no)
        }
        Err(_) => String::new(),
    };
    compose_meeting(&m, &members, &plan_label, &cx)
}

/// The meeting record as read, with the team (for the participants) and its plan's label.
pub fn compose_meeting(
    m: &meetings::Meeting,
    members: &[team::Member],
    plan_label: &str,
    cx: &Ctx,
) -> Result<Built, AppError> {
    let participants = m
        .record
        .participants
        .iter()
        .filter_map(|p| {
            let mem = members.iter().find(|x| x.id == p.member_id)?;
            Some(ParticipantDoc {
                name: mem.record.name.clone(),
                organisation: mem.record.organisation.clone(),
                role: if mem.record.role.is_empty() {
                    mem.record.kind.label().to_string()
                } else {
                    mem.record.role.clone()
                },
                attended: p.attended,
            })
        })
        .collect();
    let doc = meeting_doc(&m.record, plan_label, participants, cx);
    Ok(Built {
        kind: DocKind::Meeting,
        value: to_value(&doc)?,
        record_kind: RecordKind::Meeting,
        id: Some(m.id),
        client_id: m.client_id,
        what: format!("サービス担当者会議の記録 {}", doc.held_on),
        filename: file_name("サービス担当者会議の記録", &cx.person, m.record.held_on),
    })
}

pub async fn build_assessment(
    tx: &mut Tx,
    id: i64,
    settings: &DocSettings,
) -> Result<Built, AppError> {
    let acc = assessments::access(tx, id, Action::Read).await?;
    let a = assessments::get(tx, &acc, id).await?;
    let cx = base_ctx(tx, acc.client_id, settings).await?;
    compose_assessment(&a, &cx)
}

/// The assessment as read, with its drawings.
pub fn compose_assessment(a: &assessments::Assessment, cx: &Ctx) -> Result<Built, AppError> {
    let doc = assessment_doc(&a.record, a.version_no, cx);
    Ok(Built {
        kind: DocKind::Assessment,
        value: to_value(&doc)?,
        record_kind: RecordKind::Assessment,
        id: Some(a.id),
        client_id: a.client_id,
        what: format!("アセスメントシート 第{}版", a.version_no),
        filename: file_name("アセスメントシート", &cx.person, a.record.assessed_on),
    })
}

/// Which record to print.
pub enum Which {
    /// The plan as the document, its 週間計画表 or the easy-read plan (for whom, when asked).
    Plan(i64, DocKind, Option<Audience>),
    Monitoring(i64),
    Meeting(i64),
    Assessment(i64),
    /// The client's 支援経過記録 of a period.
    Notes {
        client_id: i64,
        from: chrono::NaiveDate,
        until: chrono::NaiveDate,
    },
    /// The case's intake or its closure.
    Case(i64, DocKind),
    Decision(i64),
}

impl Which {
    /// `/plans/{id}/pdf/{doc}`: `plan`, `week`, `easy_plan` (the person's, or the child's),
    /// `easy_plan_child` or `easy_plan_parents`; any other is not found.
    pub fn plan(id: i64, doc: &str) -> Option<Which> {
        if let Some(a) = doc.strip_prefix("easy_plan_") {
            return Audience::from_code(a).map(|a| Which::Plan(id, DocKind::EasyPlan, Some(a)));
        }
        match DocKind::from_code(doc) {
            Some(k @ (DocKind::Plan | DocKind::Week | DocKind::EasyPlan)) => {
                Some(Which::Plan(id, k, None))
            }
            _ => None,
        }
    }

    /// `/cases/{id}/pdf/{doc}`: `intake` or `closure`; any other is not found.
    pub fn case(id: i64, doc: &str) -> Option<Which> {
        match DocKind::from_code(doc) {
            Some(k @ (DocKind::Intake | DocKind::Closure)) => Some(Which::Case(id, k)),
            _ => None,
        }
    }
}

/// A PDF and the name it is downloaded under.
pub struct Printed {
    pub pdf: Vec<u8>,
    pub filename: String,
}

/// Reads one record, renders it, logs the disclosure (in the read's unit of work, after the PDF
/// is made: a failed PDF is neither sent nor logged).
pub async fn print_one(
    st: &AppState,
    actor: yorisoi_domain::policy::Actor,
    what: Which,
) -> Result<Printed, AppError> {
    let mut tx = st.store.read(actor).await?;
    let settings = offices::doc_settings(&tx).await?;
    let b = match what {
        Which::Plan(id, kind, audience) => {
            build_plan(st, &mut tx, id, kind, audience, &settings).await?
        }
        Which::Monitoring(id) => build_monitoring(&mut tx, id, &settings).await?,
        Which::Meeting(id) => build_meeting(&mut tx, id, &settings).await?,
        Which::Assessment(id) => build_assessment(&mut tx, id, &settings).await?,
        Which::Notes {
            client_id,
            from,
            until,
        } => build_notes(&mut tx, client_id, from, until, &settings).await?,
        Which::Case(id, kind) => build_case(&mut tx, id, kind, &settings).await?,
        Which::Decision(id) => build_decision(&mut tx, id, &settings).await?,
    };
    let pdf = render_pdf(st, &settings, b.kind, vec![b.value.clone()]).await?;
    disclosed(&mut tx, &b, &settings, false);
    tx.commit().await?;
    Ok(Printed {
        pdf,
        filename: b.filename,
    })
}

/// A stored file as a download (never shown inline) with its checked type.
pub fn file_response(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let encoded =
        percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC);
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
