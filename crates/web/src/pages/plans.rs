//! サービス等利用計画: draft from a case's assessment, edit section by section, the plan as a
//! document with its fee checklist, consents, hand-overs, state changes and 計画変更, the weekly
//! chart, and implementation with the provider's plan as an uploaded file.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{RawForm, VersionField, parse_version};
use crate::kit::grid::{ResourceOption, Submitted};
use crate::kit::section::SectionPage;
use crate::pages::plan_form::{self as pf, SECTIONS};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use std::collections::HashMap;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::plans::{self, Implementation, Plan};
use yorisoi_store::{ClientAccess, StoreError, Tx, cases, meetings, resources, today_jst};

#[derive(Template)]
#[template(path = "plan_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub drafted_on: String,
    pub errors: FieldErrors,
    pub rule: String,
}

/// One row of the plan as the document shows it.
pub struct RowView {
    pub key: u32,
    pub priority: usize,
    pub need: String,
    pub goal: String,
    pub due: String,
    pub category: &'static str,
    pub service: String,
    pub schedule: String,
    pub provider: String,
    pub resource: String,
    pub person_role: String,
    pub review: String,
    pub notes: String,
    /// Implementation (final plans only).
    pub imp: ImplementationInput,
    pub imp_version: String,
    pub imp_errors: FieldErrors,
    pub file: Option<(i64, String, String)>,
    pub file_error: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub kind: &'static str,
    pub child: bool,
    pub version_no: i32,
    pub state: &'static str,
    pub state_code: &'static str,
    pub latest: bool,
    pub editable: bool,
    pub may_write: bool,
    /// Implementation follows a final plan until the next version is final too.
    pub may_implement: bool,
    pub version: i32,
    pub message: String,
    pub rule: String,
    pub versions: Vec<(i64, String, bool)>,
    pub header: Vec<(&'static str, String)>,
    pub wish_person: String,
    pub wish_family: String,
    pub texts: Vec<(&'static str, String)>,
    pub elements: Vec<(&'static str, String)>,
    pub rows: Vec<RowView>,
    pub week_svg: String,
    pub week_texts: Vec<(&'static str, String)>,
    pub monitoring: String,
    pub suggestion: String,
    pub checklist: Vec<FeeStep>,
    pub blockers: Vec<String>,
    pub consents: Vec<String>,
    pub handovers: Vec<String>,
    pub consent_form: PlanConsentInput,
    pub consent_errors: FieldErrors,
    pub consent_stages: Vec<Opt>,
    pub signer_roles: Vec<Opt>,
    pub handover_form: HandoverInput,
    pub handover_errors: FieldErrors,
    pub handover_stages: Vec<Opt>,
    pub handover_methods: Vec<Opt>,
    pub meetings: Vec<(i64, String, bool)>,
    pub change_date: String,
    pub today: String,
}

/// What a rejected form on the plan page sends back.
#[derive(Default)]
pub struct Extras {
    pub message: String,
    pub rule: String,
    pub consent: Option<(PlanConsentInput, FieldErrors)>,
    pub handover: Option<(HandoverInput, FieldErrors)>,
    pub implementation: Option<(u32, ImplementationInput, FieldErrors)>,
    pub file_error: Option<(u32, String)>,
}

fn version_label(s: &plans::Summary) -> String {
    format!(
        "第{}版 {} {}",
        s.version_no,
        date(s.drafted_on),
        s.state.label()
    )
}

/// The plan page for `id`, with `x` for a rejected form.
pub async fn plan_page(
    st: &AppState,
    user: &Authed,
    id: i64,
    x: Extras,
    status: StatusCode,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    let versions = plans::list(&mut tx, &acc, p.case_id).await?;
    let imps = plans::implementations(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let mtg_acc = tx
        .client_access(acc.client_id, RecordKind::Meeting, Action::Read)
        .await?;
    let mtgs = meetings::for_plan(&mut tx, &mtg_acc, id).await?;
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(&mut tx, &case_acc, p.case_id).await?;
    let res: HashMap<i64, String> = resources::list(
        &mut tx,
        &resources::ResourceFilter {
            include_inactive: true,
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .map(|r| (r.id, r.record.name))
    .collect();
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Write)
        .await
        .is_ok()
        && c.stage.is_open();
    tx.commit().await?;
    let r = &p.record;
    let held = mtgs.iter().any(|m| m.record.held);
    let imp_of: HashMap<u32, &Implementation> = imps.iter().map(|i| (i.row_key, i)).collect();
    let rows = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let imp = imp_of.get(&row.key);
            let (imp_input, imp_errors) = match &x.implementation {
                Some((k, input, e)) if *k == row.key => (input.clone(), e.clone()),
                _ => (
                    imp.map(|i| ImplementationInput::from_record(&i.record))
                        .unwrap_or_else(|| ImplementationInput {
                            provider: row.provider.clone(),
                            service_type: row
                                .service_type
                                .map(|t| t.label().to_string())
                                .unwrap_or_default(),
                            ..Default::default()
                        }),
                    FieldErrors::new(),
                ),
            };
            RowView {
                key: row.key,
                priority: i + 1,
                need: row.need.clone(),
                goal: row.goal.clone(),
                due: row.due.clone(),
                category: row.category.label(),
                service: row.service_text(),
                schedule: row
                    .schedule
                    .as_ref()
                    .map(Schedule::label)
                    .unwrap_or_default(),
                provider: row.provider.clone(),
                resource: row
                    .resource_id
                    .and_then(|id| res.get(&id).cloned())
                    .unwrap_or_default(),
                person_role: row.person_role.clone(),
                review: row.review.clone(),
                notes: row.notes.clone(),
                imp: imp_input,
                imp_version: imp.map(|i| i.version.to_string()).unwrap_or_default(),
                imp_errors,
                file: imp.and_then(|i| {
                    i.attachment.as_ref().map(|a| {
                        (
                            a.id,
                            a.filename.clone(),
                            format!("{:.0}KB", a.size as f64 / 1024.0),
                        )
                    })
                }),
                file_error: match &x.file_error {
                    Some((k, m)) if *k == row.key => m.clone(),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let (suggested, why) = suggest_period(r, p.version_no == 1);
    let child = r.kind == PlanKind::Child;
    let (consent_form, consent_errors) = x.consent.unwrap_or_else(|| {
        (
            PlanConsentInput {
                stage: if p.state == PlanState::Draft {
                    "draft".into()
                } else {
                    "final".into()
                },
                signed_on: today_jst().to_string(),
                role: if child { "guardian" } else { "person" }.into(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
    });
    let (handover_form, handover_errors) = x.handover.unwrap_or_else(|| {
        (
            HandoverInput {
                stage: if p.state == PlanState::Final {
                    "final".into()
                } else {
                    "draft".into()
                },
                on: today_jst().to_string(),
                method: "in_person".into(),
                to: if child { "保護者" } else { "本人" }.into(),
            },
            FieldErrors::new(),
        )
    });
    let page = PlanPage {
        nav: Nav::new(user, "clients"),
        id,
        case_id: p.case_id,
        client_id: p.client_id,
        client_name: name,
        kind: r.kind.label(),
        child,
        version_no: p.version_no,
        state: p.state.label(),
        state_code: p.state.code(),
        latest: p.latest,
        editable: p.editable() && may_write,
        may_write: may_write && p.latest,
        may_implement: may_write && p.state == PlanState::Final,
        version: p.version,
        message: x.message,
        rule: x.rule,
        versions: versions
            .iter()
            .map(|s| (s.id, version_label(s), s.id == id))
            .collect(),
        header: vec![
            ("計画案作成日", date(r.drafted_on)),
            ("計画作成日", odate(r.decided_on)),
            (
                "アセスメント",
                r.assessment_method
                    .map(|m| m.label().to_string())
                    .unwrap_or_default(),
            ),
            (
                "保護者",
                if child {
                    format!("{}（{}）", r.guardian_name, r.guardian_relation)
                } else {
                    String::new()
                },
            ),
        ],
        wish_person: r.wish_person.clone(),
        wish_family: r.wish_family.clone(),
        texts: vec![
            ("総合的な援助の方針", r.policy.clone()),
            ("長期目標", r.long_goal.clone()),
            ("短期目標", r.short_goal.clone()),
        ],
        elements: vec![
            ("住まい", r.housing.clone()),
            ("日中活動の場", r.day_activity.clone()),
            ("支援体制", r.support_system.clone()),
            ("代替案", r.alternatives.clone()),
            ("緊急時の対応", r.emergency.clone()),
        ],
        rows,
        week_svg: plan_week(&r.week_blocks()),
        week_texts: vec![
            ("主な日常生活上の活動", r.week.main_activities.clone()),
            ("週単位以外のサービス", r.week.non_weekly.clone()),
            (
                "サービス提供によって実現する生活の全体像",
                r.week.whole_picture.clone(),
            ),
        ],
        monitoring: match (r.monitoring.period, r.monitoring.start_month) {
            (Some(m), Some(s)) => format!("{}（{}から）", m.label(), s.format("%Y年%-m月")),
            (Some(m), None) => m.label().to_string(),
            _ => String::new(),
        },
        suggestion: format!("{}（{}）", suggested.label(), why),
        checklist: fee_checklist(r, held),
        blockers: if p.state == PlanState::Reviewed {
            r.final_blockers()
        } else {
            Vec::new()
        },
        consents: r
            .consents
            .iter()
            .map(|c| {
                format!(
                    "{}: {} {}（{}）が署名",
                    c.stage.label(),
                    date(c.signed_on),
                    c.signer,
                    c.role.label()
                )
            })
            .collect(),
        handovers: r
            .handovers
            .iter()
            .map(|h| {
                format!(
                    "{}: {} {}へ（{}）",
                    h.stage.label(),
                    date(h.on),
                    h.to,
                    h.method.label()
                )
            })
            .collect(),
        consent_stages: opts(
            DocStage::ALL,
            |x| x.code(),
            |x| x.label(),
            &consent_form.stage,
        ),
        signer_roles: opts(
            SignerRole::ALL,
            |x| x.code(),
            |x| x.label(),
            &consent_form.role,
        ),
        handover_stages: opts(
            DocStage::ALL,
            |x| x.code(),
            |x| x.label(),
            &handover_form.stage,
        ),
        handover_methods: opts(
            HandoverMethod::ALL,
            |x| x.code(),
            |x| x.label(),
            &handover_form.method,
        ),
        consent_form,
        consent_errors,
        handover_form,
        handover_errors,
        meetings: mtgs
            .iter()
            .map(|m| {
                (
                    m.id,
                    format!(
                        "{}{}",
                        date(m.record.held_on),
                        if m.record.place.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", m.record.place)
                        }
                    ),
                    m.record.held,
                )
            })
            .collect(),
        change_date: today_jst().to_string(),
        today: today_jst().to_string(),
    };
    render_status(&page, status)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let message = match q.saved.as_str() {
        "drafted" => "アセスメントから計画案を作りました。「編集する」から項目ごとに書き進めます。",
        "changed" => "計画変更の計画案を作りました。前の版はそのまま残っています。",
        "consent" => "同意を記録しました。",
        "handover" => "交付を記録しました。",
        "state" => "計画の状態を変えました。",
        "implementation" => "実施の記録を保存しました。",
        "file" => "個別支援計画のファイルを登録しました。",
        _ => "",
    };
    plan_page(
        &st,
        &user,
        id,
        Extras {
            message: message.into(),
            ..Default::default()
        },
        StatusCode::OK,
    )
    .await
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    tx.client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let name = super::cases::client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    render(&StartPage {
        nav: Nav::new(&user, "clients"),
        case_id,
        client_name: name,
        drafted_on: today_jst().to_string(),
        errors: FieldErrors::new(),
        rule: String::new(),
    })
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let f: DraftInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let page = |name, errors, rule| StartPage {
        nav: Nav::new(&user, "clients"),
        case_id,
        client_name: name,
        drafted_on: f.drafted_on.clone(),
        errors,
        rule,
    };
    let d = match f.validate(today_jst()) {
        Ok(d) => d,
        Err(e) => {
            let name = super::cases::client_name(&mut tx, client_id).await?;
            tx.rollback().await?;
            return render_status(
                &page(name, e, String::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match plans::draft(&mut tx, &acc, case_id, d).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/plans/{id}?saved=drafted")))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut tx = st.store.read(user.actor()).await?;
            let name = super::cases::client_name(&mut tx, client_id).await?;
            tx.commit().await?;
            render_status(
                &page(name, FieldErrors::new(), m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn section_or_404(section: &str) -> Result<&'static str, AppError> {
    pf::section_label(section).ok_or(AppError::NotFound)
}

/// Context above a section: the person's words while writing goals, the needs while writing rows.
fn context(section: &str, p: &Plan) -> Vec<(String, String)> {
    let r = &p.record;
    let mut v = Vec::new();
    if matches!(section, "overview" | "rows") && !r.wish_person.is_empty() {
        v.push(("本人の意向".into(), format!("「{}」", r.wish_person)));
    }
    if section == "monitoring" {
        let (m, why) = suggest_period(r, p.version_no == 1);
        v.push(("標準期間の目安".into(), format!("{}（{}）", m.label(), why)));
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn section_page(
    user: &Authed,
    p: &Plan,
    client_name: String,
    section: &str,
    label: &str,
    input: &PlanInput,
    resources: &[ResourceOption],
    errors: &FieldErrors,
    version: i32,
    conflict: bool,
    saved: String,
) -> SectionPage {
    let (fields, grids) = pf::view(section, input, p.record.kind, resources, errors);
    let pos = SECTIONS.iter().position(|(c, _)| *c == section);
    let next = pos.and_then(|i| SECTIONS.get(i + 1));
    let drawings = if section == "week" {
        vec![plan_week(&p.record.week_blocks())]
    } else {
        Vec::new()
    };
    SectionPage {
        nav: Nav::new(user, "clients"),
        doc: p.record.kind.label(),
        base: format!("/plans/{}", p.id),
        back_label: "計画",
        version_no: p.version_no,
        client_name,
        section: section.into(),
        section_label: label.into(),
        sections: SECTIONS,
        fields,
        grids,
        context: context(section, p),
        drawings,
        version: version.to_string(),
        conflict,
        error_count: errors.0.len(),
        saved,
        next: next.map(|(c, _)| c.to_string()).unwrap_or_default(),
        next_label: next.map(|(_, l)| l.to_string()).unwrap_or_default(),
    }
}

async fn editable(tx: &mut Tx, acc: &ClientAccess, id: i64) -> Result<Plan, AppError> {
    let p = plans::get(tx, acc, id).await?;
    if !p.latest {
        return Err(AppError::Rule(
            "過去の版は変更できません。最新の版を開いてください。".into(),
        ));
    }
    if p.state == PlanState::Final {
        return Err(AppError::Rule(
            "本計画は変更できません。内容を変えるときは計画の画面から「計画変更」を始めてください。".into(),
        ));
    }
    Ok(p)
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    let label = section_or_404(&section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let p = editable(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let res = super::resources::options(&mut tx).await?;
    tx.commit().await?;
    let input = PlanInput::from_record(&p.record);
    let saved = if q.saved.is_empty() {
        String::new()
    } else {
        "保存しました。".into()
    };
    render(&section_page(
        &user,
        &p,
        name,
        &section,
        label,
        &input,
        &res,
        &FieldErrors::new(),
        p.version,
        false,
        saved,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Then {
    then: String,
}

pub async fn save(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    body: RawForm,
) -> PageResult {
    let label = section_or_404(&section)?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    let then = body.parse::<Then>()?.then;
    let submitted = Submitted::new(body.parse::<Vec<(String, String)>>()?);
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let p = editable(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let res = super::resources::options(&mut tx).await?;
    let mut input = PlanInput::from_record(&p.record);
    pf::apply(&section, &submitted, &mut input);
    let record = match input.validate(&p.record, today_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            let page = section_page(
                &user,
                &p,
                name,
                &section,
                label,
                &input,
                &res,
                &errors,
                version,
                false,
                String::new(),
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match plans::update(&mut tx, &acc, id, version, &record).await {
        Ok(_) => {
            tx.commit().await?;
            let to = match pf::section_label(&then) {
                Some(_) => format!("/plans/{id}/edit/{then}?saved=1"),
                None => format!("/plans/{id}/edit/{section}?saved=1"),
            };
            Ok(see_other(&to))
        }
        Err(StoreError::Conflict) => {
            // What the user typed stays on the screen, over the newer version.
            let current = plans::get(&mut tx, &acc, id).await?;
            tx.rollback().await?;
            let page = section_page(
                &user,
                &current,
                name,
                &section,
                label,
                &input,
                &res,
                &FieldErrors::new(),
                current.version,
                true,
                String::new(),
            );
            render_status(&page, StatusCode::CONFLICT)
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                if section == "rows" {
                    "rows"
                } else {
                    "drafted_on"
                },
                m,
            );
            let page = section_page(
                &user,
                &p,
                name,
                &section,
                label,
                &input,
                &res,
                &errors,
                version,
                false,
                String::new(),
            );
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs one write on the plan and answers with a redirect, or the plan page with the reason.
async fn plan_write<F>(
    st: &AppState,
    user: &Authed,
    id: i64,
    saved: &str,
    on_rule: impl FnOnce(String) -> Extras,
    f: F,
) -> PageResult
where
    F: AsyncFnOnce(&mut Tx, &ClientAccess) -> Result<(), StoreError>,
{
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    match f(&mut tx, &acc).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/plans/{id}?saved={saved}")))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            plan_page(st, user, id, on_rule(m), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Conflict) => {
            tx.rollback().await?;
            plan_page(
                st,
                user,
                id,
                on_rule("ほかの職員が先にこの計画を更新しました。内容を確かめてから、もう一度操作してください。".into()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn rule(m: String) -> Extras {
    Extras {
        rule: m,
        ..Default::default()
    }
}

pub async fn add_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: PlanConsentInput = body.parse()?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    match form.validate(today_jst()) {
        Err(e) => {
            plan_page(
                &st,
                &user,
                id,
                Extras {
                    consent: Some((form, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(c) => {
            plan_write(&st, &user, id, "consent", rule, async |tx, acc| {
                plans::add_consent(tx, acc, id, version, &c)
                    .await
                    .map(|_| ())
            })
            .await
        }
    }
}

pub async fn add_handover(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: HandoverInput = body.parse()?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    match form.validate(today_jst()) {
        Err(e) => {
            plan_page(
                &st,
                &user,
                id,
                Extras {
                    handover: Some((form, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(h) => {
            plan_write(&st, &user, id, "handover", rule, async |tx, acc| {
                plans::add_handover(tx, acc, id, version, &h)
                    .await
                    .map(|_| ())
            })
            .await
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StateForm {
    pub to: String,
}

pub async fn move_state(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    // Access first, so that a stranger learns nothing from how the body is refused.
    let mut tx = st.store.read(user.actor()).await?;
    plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    tx.commit().await?;
    let to = PlanState::from_code(body.parse::<StateForm>()?.to.trim())
        .ok_or_else(|| AppError::BadRequest("状態を一覧から選んでください。".into()))?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    plan_write(&st, &user, id, "state", rule, async |tx, acc| {
        plans::move_state(tx, acc, id, version, to)
            .await
            .map(|_| ())
    })
    .await
}

pub async fn change(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let f: DraftInput = body.parse()?;
    let d = match f.validate(today_jst()) {
        Ok(d) => d,
        Err(e) => {
            let m = e
                .get("drafted_on")
                .unwrap_or("日付を確かめてください。")
                .to_string();
            return plan_page(
                &st,
                &user,
                id,
                rule(format!("計画変更: {m}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    match plans::change(&mut tx, &acc, id, d).await {
        Ok(new_id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/plans/{new_id}?saved=changed")))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            plan_page(&st, &user, id, rule(m), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn week_svg(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        plan_week(&p.record.week_blocks()),
    )
        .into_response())
}

pub async fn save_implementation(
    State(st): State<AppState>,
    user: Authed,
    Path((id, key)): Path<(i64, u32)>,
    body: RawForm,
) -> PageResult {
    let form: ImplementationInput = body.parse()?;
    let v = body.parse::<VersionField>()?.version;
    let version = if v.trim().is_empty() {
        None
    } else {
        Some(parse_version(&v)?)
    };
    match form.validate(today_jst()) {
        Err(e) => {
            plan_page(
                &st,
                &user,
                id,
                Extras {
                    implementation: Some((key, form, e)),
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(r) => {
            plan_write(&st, &user, id, "implementation", rule, async |tx, acc| {
                plans::set_implementation(tx, acc, id, key, version, &r)
                    .await
                    .map(|_| ())
            })
            .await
        }
    }
}

/// The provider's 個別支援計画, sent as multipart (the CSRF token is a field of the form, checked
/// here because the form layer does not read multipart bodies).
pub async fn upload(
    State(st): State<AppState>,
    user: Authed,
    Path((id, key)): Path<(i64, u32)>,
    mut mp: Multipart,
) -> PageResult {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_big = || {
        AppError::BadRequest("ファイルが大きすぎるか、送信が途中で切れました。10MBまでのPDF・PNG・JPEGを選んでください。".into())
    };
    while let Some(field) = mp.next_field().await.map_err(|_| too_big())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|_| too_big())?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| too_big())?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !crate::auth::csrf::token_ok(&user, &csrf) {
        return Err(AppError::Csrf);
    }
    let Some((name, bytes)) = file else {
        return plan_page(
            &st,
            &user,
            id,
            Extras {
                file_error: Some((key, "ファイルを選んでください。".into())),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    plan_write(
        &st,
        &user,
        id,
        "file",
        |m| Extras {
            file_error: Some((key, m)),
            ..Default::default()
        },
        async |tx, acc| {
            plans::attach(tx, acc, id, key, &name, bytes)
                .await
                .map(|_| ())
        },
    )
    .await
}

/// A stored file, sent as an attachment (never shown inline) with its checked type.
pub async fn download(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = plans::attachment_client(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let (name, ty, bytes) = plans::attachment(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    Ok((
        [
            (header::CONTENT_TYPE, ty),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/plans", post(create))
        .route("/cases/{id}/plans/new", get(new_form))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/edit/{section}", get(edit_form).post(save))
        .route("/plans/{id}/consents", post(add_consent))
        .route("/plans/{id}/handovers", post(add_handover))
        .route("/plans/{id}/state", post(move_state))
        .route("/plans/{id}/change", post(change))
        .route("/plans/{id}/week.svg", get(week_svg))
        .route(
            "/plans/{id}/rows/{key}/implementation",
            post(save_implementation),
        )
        .route("/attachments/{id}", get(download))
}

/// The one multipart route: outside the CSRF layer, which cannot buffer a file; the handler
/// checks the token itself (`auth::csrf::token_ok`).
pub fn upload_routes() -> axum::Router<crate::AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    axum::Router::new().route(
        "/plans/{id}/rows/{key}/file",
        post(upload).layer(DefaultBodyLimit::max(
            yorisoi_domain::plan::MAX_UPLOAD + 64 * 1024,
        )),
    )
}
