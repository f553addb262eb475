//! 支援ケース: open from an intake, view, edit the intake, move through the cycle, close.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{Form, RawForm, VersionField, parse_version};
use crate::pages::{Saved, see_other, staff_names};
use crate::views::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::case::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{StoreError, Tx, cases, clients, monitorings, notes, today_jst};

#[allow(clippy::too_many_arguments)]
fn intake_page(
    user: &Authed,
    title: &str,
    action: String,
    client_id: i64,
    client_name: String,
    form: IntakeInput,
    errors: FieldErrors,
    version: String,
    conflict: bool,
    cancel: String,
) -> IntakeFormPage {
    IntakeFormPage {
        nav: Nav::new(user, "clients"),
        title: title.into(),
        action,
        client_id,
        client_name,
        sources: opts(
            ReferralSource::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.referral_source,
        ),
        consents: opts(
            SupportConsent::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.consent_to_support,
        ),
        urgencies: opts(Urgency::ALL, |k| k.code(), |k| k.label(), &form.urgency),
        form,
        errors,
        version,
        conflict,
        cancel,
    }
}

pub(crate) async fn client_name(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    Ok(clients::get(tx, &ledger).await?.record.full_name())
}

pub async fn new_form(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    tx.client_access(id, RecordKind::Case, Action::Write)
        .await?;
    let name = client_name(&mut tx, id).await?;
    tx.commit().await?;
    let form = IntakeInput {
        intake_date: today_jst().to_string(),
        urgency: "low".into(),
        ..Default::default()
    };
    render(&intake_page(
        &user,
        "インテーク（新しいケース）",
        format!("/clients/{id}/cases"),
        id,
        name,
        form,
        FieldErrors::new(),
        String::new(),
        false,
        format!("/clients/{id}"),
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(form): Form<IntakeInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Case, Action::Write)
        .await?;
    match form.validate(today_jst()) {
        Ok(r) => {
            let case_id = cases::open(&mut tx, &acc, &r).await?;
            tx.commit().await?;
            Ok(see_other(&format!("/cases/{case_id}?saved=opened")))
        }
        Err(errors) => {
            let name = client_name(&mut tx, id).await?;
            tx.commit().await?;
            render_status(
                &intake_page(
                    &user,
                    "インテーク（新しいケース）",
                    format!("/clients/{id}/cases"),
                    id,
                    name,
                    form,
                    errors,
                    String::new(),
                    false,
                    format!("/clients/{id}"),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// Opens access to a case's client for `action`; a case of another office is not found.
async fn case_access(
    tx: &mut Tx,
    case_id: i64,
    action: Action,
) -> Result<yorisoi_store::ClientAccess, AppError> {
    let client_id = cases::client_of(tx, case_id).await?;
    Ok(tx
        .client_access(client_id, RecordKind::Case, action)
        .await?)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Read).await?;
    let (c, intake) = cases::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let staff = staff_names(&tx).await?;
    let note_acc = tx
        .client_access(acc.client_id, RecordKind::CaseNote, Action::Read)
        .await?;
    let (all_notes, _) = notes::list(&mut tx, &note_acc, "", 200, 0).await?;
    let assess_acc = tx
        .client_access(acc.client_id, RecordKind::Assessment, Action::Read)
        .await?;
    let versions = yorisoi_store::assessments::list(&mut tx, &assess_acc, id).await?;
    let plan_acc = tx
        .client_access(acc.client_id, RecordKind::Plan, Action::Read)
        .await?;
    let plan_versions = yorisoi_store::plans::list(&mut tx, &plan_acc, id).await?;
    let mon_acc = tx
        .client_access(acc.client_id, RecordKind::Monitoring, Action::Read)
        .await?;
    let schedule = monitorings::case_schedule(&tx, &mon_acc, id, today_jst()).await?;
    let reports = monitorings::list(&mut tx, &mon_acc, id).await?;
    let ds_acc = tx
        .client_access(acc.client_id, RecordKind::DecisionSupport, Action::Read)
        .await?;
    let decisions = yorisoi_store::decisions::list(&mut tx, &ds_acc, id).await?;
    let retention_years = yorisoi_store::offices::retention_years(&tx).await?;
    tx.commit().await?;
    let i = &intake.record;
    let position = |s: CaseStage| CaseStage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let current = position(c.stage);
    let message = match q.saved.as_str() {
        "opened" => "インテークを記録し、ケースを開始しました。",
        "intake" => "インテークを更新しました。",
        "stage" => "段階を進めました。",
        "closed" => "ケースを終結しました。",
        _ => "",
    };
    render(&CasePage {
        nav: Nav::new(&user, "clients"),
        id,
        client_id: acc.client_id,
        client_name: name,
        title: if c.title.is_empty() {
            "（無題のケース）".into()
        } else {
            c.title.clone()
        },
        stage: c.stage.label(),
        stage_code: c.stage.code(),
        stages: CaseStage::ALL
            .iter()
            .filter(|s| **s != CaseStage::Reassessment || c.stage == CaseStage::Reassessment)
            .map(|s| (s.code(), s.label(), *s == c.stage, position(*s) < current))
            .collect(),
        is_open: c.stage.is_open(),
        opened: date(c.opened_on),
        closed: odate(c.closed_on),
        close_reason: c
            .close_reason
            .map(|r| {
                if c.close_reason_text.is_empty() {
                    r.label().to_string()
                } else {
                    format!("{}: {}", r.label(), c.close_reason_text)
                }
            })
            .unwrap_or_default(),
        version: c.version,
        chief_complaint: i.chief_complaint.clone(),
        intake: vec![
            ("受付日", date(i.intake_date)),
            (
                "相談の経路",
                if i.referral_note.is_empty() {
                    i.referral_source.label().to_string()
                } else {
                    format!("{}（{}）", i.referral_source.label(), i.referral_note)
                },
            ),
            ("状況", i.situation.clone()),
            ("説明したこと", i.explained.clone()),
            ("援助を受ける意思", i.consent_to_support.label().to_string()),
            ("緊急度", i.urgency.label().to_string()),
            ("今後の対応", i.next_steps.clone()),
        ],
        next_stages: c
            .stage
            .next_stages()
            .iter()
            .filter(|s| **s != CaseStage::Closed)
            .map(|s| {
                (
                    s.code(),
                    if *s == c.stage {
                        "モニタリング（継続）"
                    } else {
                        s.label()
                    },
                    false,
                )
            })
            .collect(),
        notes: all_notes
            .iter()
            .filter(|n| n.record.case_id == Some(id))
            .map(|n| crate::kit::note_row::note_view(n, &staff, String::new()))
            .collect(),
        message: message.into(),
        plans: plan_versions
            .iter()
            .map(|p| {
                (
                    p.id,
                    format!(
                        "第{}版 {}（{}）",
                        p.version_no,
                        date(p.drafted_on),
                        p.state.label()
                    ),
                )
            })
            .collect(),
        has_final_plan: plan_versions
            .iter()
            .any(|p| p.state == yorisoi_domain::plan::PlanState::Final),
        months: super::monitorings::month_views(&schedule),
        schedule_gap: schedule.gap.unwrap_or_default().to_string(),
        off_schedule: schedule
            .off_schedule
            .iter()
            .map(|d| date(*d))
            .collect::<Vec<_>>()
            .join("、"),
        decisions: decisions
            .iter()
            .map(|d| {
                let mut status = vec![d.step.label().to_string()];
                if let Some(x) = d.decided_on {
                    status.push(format!("決定 {}", date(x)));
                }
                if let Some(x) = d.follow_up_on {
                    status.push(format!("次回 {}", date(x)));
                }
                (d.id, d.question.clone(), status.join(" · "))
            })
            .collect(),
        evaluation: [
            ("本人の言葉", &c.evaluation.person_words),
            ("本人にとって何が変わったか", &c.evaluation.changes),
            ("チームが学んだこと", &c.evaluation.learning),
            ("引き継ぎ先", &c.evaluation.handover_to),
            ("引き継いだ内容", &c.evaluation.handover),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect(),
        retention: c
            .retain_until
            .map(|u| format!("{}まで保存（終結から{}年）", date(u), retention_years))
            .unwrap_or_default(),
        monitorings: reports
            .iter()
            .map(|m| {
                (
                    m.id,
                    format!(
                        "{} {} — {}",
                        date(m.record.monitored_on),
                        m.record.method.label(),
                        m.record.outcome.label()
                    ),
                )
            })
            .collect(),
        assessments: versions
            .iter()
            .map(|v| {
                (
                    v.id,
                    format!(
                        "第{}版 {}（{}）",
                        v.version_no,
                        date(v.assessed_on),
                        v.method.label()
                    ),
                    v.title.clone(),
                )
            })
            .collect(),
    })
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (c, intake) = cases::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    tx.commit().await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule("終結したケースは変更できません。".into()));
    }
    let form = IntakeInput::from(&intake.record);
    render(&intake_page(
        &user,
        "インテークの編集",
        format!("/cases/{id}/edit"),
        acc.client_id,
        name,
        form,
        FieldErrors::new(),
        intake.version.to_string(),
        false,
        format!("/cases/{id}"),
    ))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: IntakeInput = body.parse()?;
    let v: VersionField = body.parse()?;
    let version = parse_version(&v.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let r = match form.validate(today_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            return render_status(
                &intake_page(
                    &user,
                    "インテークの編集",
                    format!("/cases/{id}/edit"),
                    acc.client_id,
                    name,
                    form,
                    errors,
                    v.version,
                    false,
                    format!("/cases/{id}"),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match cases::update_intake(&mut tx, &acc, id, version, &r).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/cases/{id}?saved=intake")))
        }
        Err(StoreError::Conflict) => {
            let (_, current) = cases::get(&mut tx, &acc, id).await?;
            tx.commit().await?;
            render_status(
                &intake_page(
                    &user,
                    "インテークの編集",
                    format!("/cases/{id}/edit"),
                    acc.client_id,
                    name,
                    form,
                    FieldErrors::new(),
                    current.version.to_string(),
                    true,
                    format!("/cases/{id}"),
                ),
                StatusCode::CONFLICT,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StageInput {
    pub to: String,
    pub version: String,
}

pub async fn move_stage(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(input): Form<StageInput>,
) -> PageResult {
    let to = CaseStage::from_code(input.to.trim())
        .ok_or_else(|| AppError::BadRequest("次の段階を一覧から選んでください。".into()))?;
    let version = parse_version(&input.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    cases::move_stage(&mut tx, &acc, id, version, to).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/cases/{id}?saved=stage")))
}

/// What the close form shows beside the fields: the office's retention, and the last monitoring
/// if it concluded 終結 (its reason prefills the form) with the goals' last achievement.
struct CloseContext {
    retention_years: i32,
    from_monitoring: String,
    goals: Vec<(String, String)>,
    reason: Option<TerminationReason>,
    reason_text: String,
}

async fn close_context(
    tx: &mut Tx,
    client_id: i64,
    case_id: i64,
) -> Result<CloseContext, AppError> {
    let retention_years = yorisoi_store::offices::retention_years(tx).await?;
    let macc = tx
        .client_access(client_id, RecordKind::Monitoring, Action::Read)
        .await?;
    let last = monitorings::list(tx, &macc, case_id)
        .await?
        .into_iter()
        .next();
    let mut ctx = CloseContext {
        retention_years,
        from_monitoring: String::new(),
        goals: Vec::new(),
        reason: None,
        reason_text: String::new(),
    };
    if let Some(m) = last {
        ctx.goals = m
            .record
            .goals
            .iter()
            .map(|g| {
                (
                    g.goal.clone(),
                    g.achievement
                        .map(|a| a.label())
                        .unwrap_or("未記入")
                        .to_string(),
                )
            })
            .collect();
        if m.record.outcome == yorisoi_domain::monitoring::Outcome::Close {
            ctx.from_monitoring = format!("{}のモニタリング", date(m.record.monitored_on));
            ctx.reason = m.record.close_reason;
            ctx.reason_text = m.record.outcome_note.clone();
        }
    }
    Ok(ctx)
}

#[allow(clippy::too_many_arguments)]
fn close_page(
    user: &Authed,
    id: i64,
    client_name: String,
    title: String,
    form: CloseInput,
    errors: FieldErrors,
    version: String,
    conflict: bool,
    ctx: CloseContext,
) -> CloseFormPage {
    CloseFormPage {
        nav: Nav::new(user, "clients"),
        case_id: id,
        client_name,
        title,
        reasons: opts(
            TerminationReason::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.reason,
        ),
        form,
        errors,
        version,
        conflict,
        retention_years: ctx.retention_years,
        from_monitoring: ctx.from_monitoring,
        goals: ctx.goals,
    }
}

pub async fn close_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (c, _) = cases::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let ctx = close_context(&mut tx, acc.client_id, id).await?;
    tx.commit().await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule("このケースは既に終結しています。".into()));
    }
    let form = CloseInput {
        closed_on: today_jst().to_string(),
        reason: ctx.reason.map(|r| r.code().to_string()).unwrap_or_default(),
        reason_text: ctx.reason_text.clone(),
        ..Default::default()
    };
    render(&close_page(
        &user,
        id,
        name,
        c.title,
        form,
        FieldErrors::new(),
        c.version.to_string(),
        false,
        ctx,
    ))
}

pub async fn close(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: CloseInput = body.parse()?;
    let v: VersionField = body.parse()?;
    let version = parse_version(&v.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = case_access(&mut tx, id, Action::Write).await?;
    let (c, _) = cases::get(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let ctx = close_context(&mut tx, acc.client_id, id).await?;
    let r = match form.validate(c.opened_on, today_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            return render_status(
                &close_page(
                    &user, id, name, c.title, form, errors, v.version, false, ctx,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match cases::close(&mut tx, &acc, id, version, &r).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/cases/{id}?saved=closed")))
        }
        Err(StoreError::Conflict) => {
            tx.rollback().await?;
            render_status(
                &close_page(
                    &user,
                    id,
                    name,
                    c.title,
                    form,
                    FieldErrors::new(),
                    c.version.to_string(),
                    true,
                    ctx,
                ),
                StatusCode::CONFLICT,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/clients/{id}/cases", post(create))
        .route("/clients/{id}/cases/new", get(new_form))
        .route("/cases/{id}", get(show))
        .route("/cases/{id}/edit", get(edit_form).post(update))
        .route("/cases/{id}/stage", post(move_stage))
        .route("/cases/{id}/close", get(close_form).post(close))
}
