//! モニタリング報告書: recorded from the case, goal by goal against the final plan in force, with
//! the previous report beside each goal; the outcome sets the next step going (再アセスメント
//! opens the next assessment version; 終結 leads to the case's closing form; a needed plan
//! change to 計画変更).

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{RawForm, VersionField, parse_version};
use crate::kit::grid::{Choice, Submitted, choices};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::case::TerminationReason;
use yorisoi_domain::certificate::YearMonth;
use yorisoi_domain::monitoring::schedule::Schedule;
use yorisoi_domain::monitoring::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::monitorings::{self, Monitoring};
use yorisoi_store::{ClientAccess, StoreError, Tx, today_jst};

/// One goal on the form, with the previous report's answer for comparison.
pub struct GoalView {
    pub i: usize,
    pub input: GoalInput,
    pub satisfaction: Vec<Choice>,
    pub achievement: Vec<Choice>,
    /// 前回: (label, text) pairs; empty when there is no previous report of this goal.
    pub previous: Vec<(&'static str, String)>,
    pub error: String,
}

/// A due month as shown: 「2026年7月 実施済み」.
pub struct MonthView {
    pub label: String,
    pub state: &'static str,
    pub class: &'static str,
}

pub fn month_views(s: &Schedule) -> Vec<MonthView> {
    s.months
        .iter()
        .map(|m| MonthView {
            label: m.month.label(),
            state: m.state.label(),
            class: match m.state {
                yorisoi_domain::monitoring::schedule::DueState::Done => "done",
                yorisoi_domain::monitoring::schedule::DueState::Overdue => "overdue",
                yorisoi_domain::monitoring::schedule::DueState::Due => "due",
                yorisoi_domain::monitoring::schedule::DueState::Upcoming => "upcoming",
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "monitoring.html")]
pub struct MonitoringPage {
    pub nav: Nav,
    pub action: String,
    pub case_id: i64,
    pub client_name: String,
    pub plan_id: i64,
    pub plan_label: String,
    pub form: MonitoringInput,
    pub errors: FieldErrors,
    pub methods: Vec<Choice>,
    pub goals: Vec<GoalView>,
    pub outcomes: Vec<Choice>,
    pub reassess: Vec<Choice>,
    pub close: Vec<Choice>,
    pub months: Vec<MonthView>,
    pub schedule_gap: String,
    /// The date on the form falls outside the certificate's months.
    pub off_month: String,
    pub version: String,
    pub conflict: bool,
    pub message: String,
    pub may_write: bool,
    /// After saving: where the outcome leads.
    pub reassessment_id: Option<i64>,
    pub close_link: bool,
    pub change_plan: bool,
}

struct Ctx {
    case_id: i64,
    client_name: String,
    plan_id: i64,
    plan_label: String,
    row_keys: Vec<u32>,
    plan_from: Option<chrono::NaiveDate>,
    schedule: Schedule,
    plan: yorisoi_domain::plan::PlanRecord,
}

async fn ctx(tx: &mut Tx, acc: &ClientAccess, case_id: i64) -> Result<Ctx, AppError> {
    let (plan_id, plan) = monitorings::plan_in_force(tx, acc, case_id)
        .await?
        .ok_or_else(|| {
            AppError::Rule(
                "本計画がまだありません。モニタリングは本計画のあとに記録します。".into(),
            )
        })?;
    let schedule = monitorings::case_schedule(tx, acc, case_id, today_jst()).await?;
    Ok(Ctx {
        case_id,
        client_name: super::cases::client_name(tx, acc.client_id).await?,
        plan_id,
        plan_label: format!("{}（本計画）", plan.kind.label()),
        row_keys: plan.rows.iter().map(|r| r.key).collect(),
        plan_from: plan.decided_on,
        schedule,
        plan,
    })
}

fn previous_of(prev: Option<&Monitoring>, key: &str) -> Vec<(&'static str, String)> {
    let Some(g) = prev.and_then(|p| p.record.goals.iter().find(|g| g.row_key.to_string() == key))
    else {
        return Vec::new();
    };
    let mut v = vec![(
        "実施日",
        crate::views::date(prev.map(|p| p.record.monitored_on).unwrap_or_default()),
    )];
    if let Some(a) = g.achievement {
        v.push(("達成度", a.label().into()));
    }
    if let Some(s) = g.satisfaction {
        v.push(("満足度", s.label().into()));
    }
    for (l, t) in [
        ("サービス提供状況", &g.provision),
        ("本人の感想", &g.person_view),
        ("今後の課題", &g.issues),
    ] {
        if !t.is_empty() {
            v.push((l, t.clone()));
        }
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn page(
    user: &Authed,
    c: &Ctx,
    action: String,
    form: MonitoringInput,
    errors: FieldErrors,
    version: String,
    prev: Option<&Monitoring>,
) -> MonitoringPage {
    let goals = form
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| GoalView {
            i,
            satisfaction: choices(
                Satisfaction::ALL,
                |x| x.code(),
                |x| x.label(),
                &g.satisfaction,
                Some("（未記入）"),
            ),
            achievement: choices(
                Achievement::ALL,
                |x| x.code(),
                |x| x.label(),
                &g.achievement,
                Some("（未記入）"),
            ),
            previous: previous_of(prev, &g.row_key),
            error: crate::kit::grid::row_error(&errors, "goals", i),
            input: g.clone(),
        })
        .collect();
    let off_month = match yorisoi_domain::date::parse_date(&form.monitored_on) {
        Ok(d)
            if !c.schedule.months.is_empty()
                && !c
                    .schedule
                    .months
                    .iter()
                    .any(|m| m.month == YearMonth::of(d)) =>
        {
            format!(
                "{}は受給者証のモニタリング月ではありません。記録はできますが、先に市町村にモニタリング期間の変更を届け出てください。",
                YearMonth::of(d).label()
            )
        }
        _ => String::new(),
    };
    MonitoringPage {
        nav: Nav::new(user, "clients"),
        action,
        case_id: c.case_id,
        client_name: c.client_name.clone(),
        plan_id: c.plan_id,
        plan_label: c.plan_label.clone(),
        methods: choices(
            MonitoringMethod::ALL,
            |x| x.code(),
            |x| x.label(),
            &form.method,
            None,
        ),
        outcomes: choices(
            Outcome::ALL,
            |x| x.code(),
            |x| x.label(),
            &form.outcome,
            None,
        ),
        reassess: ReassessReason::ALL
            .iter()
            .map(|r| {
                (
                    r.code().to_string(),
                    r.label().to_string(),
                    form.reassess_reasons.iter().any(|x| x == r.code()),
                )
            })
            .collect(),
        close: choices(
            TerminationReason::ALL,
            |x| x.code(),
            |x| x.label(),
            &form.close_reason,
            Some("（選ぶ）"),
        ),
        goals,
        months: month_views(&c.schedule),
        schedule_gap: c.schedule.gap.unwrap_or_default().to_string(),
        off_month,
        form,
        errors,
        version,
        conflict: false,
        message: String::new(),
        may_write: true,
        reassessment_id: None,
        close_link: false,
        change_plan: false,
    }
}

/// The form as posted: one block per goal (hidden row key, need and goal; the change boxes carry
/// the row key as their value, since unticked boxes send nothing).
fn read_form(body: &RawForm) -> Result<MonitoringInput, AppError> {
    let f = Submitted::new(body.parse::<Vec<(String, String)>>()?);
    let ticked = |name: &str, key: &str| {
        if f.col(name).iter().any(|v| v == key) {
            "yes".to_string()
        } else {
            String::new()
        }
    };
    let goals = f
        .rows([
            "goal_row_key",
            "goal_need",
            "goal_goal",
            "goal_provision",
            "goal_person_view",
            "goal_satisfaction",
            "goal_achievement",
            "goal_issues",
            "goal_note",
        ])
        .into_iter()
        .map(
            |[
                row_key,
                need,
                goal,
                provision,
                person_view,
                satisfaction,
                achievement,
                issues,
                note,
            ]| {
                GoalInput {
                    change_kind: ticked("change_kind", &row_key),
                    change_amount: ticked("change_amount", &row_key),
                    change_week: ticked("change_week", &row_key),
                    row_key,
                    need,
                    goal,
                    provision,
                    person_view,
                    satisfaction,
                    achievement,
                    issues,
                    note,
                }
            },
        )
        .collect();
    Ok(MonitoringInput {
        monitored_on: f.one("monitored_on"),
        method: f.one("method"),
        present: f.one("present"),
        overall: f.one("overall"),
        person_words: f.one("person_words"),
        goals,
        outcome: f.one("outcome"),
        reassess_reasons: f.col("reassess_reasons"),
        close_reason: f.one("close_reason"),
        outcome_note: f.one("outcome_note"),
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, case_id, Action::Write).await?;
    let c = ctx(&mut tx, &acc, case_id).await?;
    let today = today_jst();
    let prev = monitorings::previous(&tx, &acc, case_id, today, None).await?;
    tx.commit().await?;
    let form = MonitoringInput::prefill(&c.plan, today);
    render(&page(
        &user,
        &c,
        format!("/cases/{case_id}/monitorings"),
        form,
        FieldErrors::new(),
        String::new(),
        prev.as_ref(),
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form = read_form(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access_case(&mut tx, case_id, Action::Write).await?;
    let c = ctx(&mut tx, &acc, case_id).await?;
    let today = today_jst();
    let rejected = async |tx: &mut Tx, form: MonitoringInput, e: FieldErrors| -> PageResult {
        let prev = monitorings::previous(tx, &acc, case_id, today, None).await?;
        render_status(
            &page(
                &user,
                &c,
                format!("/cases/{case_id}/monitorings"),
                form,
                e,
                String::new(),
                prev.as_ref(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let r = match form.validate(today, c.plan_from, &c.row_keys) {
        Ok(r) => r,
        Err(e) => {
            let out = rejected(&mut tx, form, e).await;
            tx.rollback().await?;
            return out;
        }
    };
    match monitorings::create(&mut tx, &acc, case_id, &r).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/monitorings/{id}?saved=1")))
        }
        Err(StoreError::Rule(m)) => {
            // e.g. the re-assessment could not be opened: say so on the form, keep the input.
            tx.rollback().await?;
            let mut tx = st.store.read(user.actor()).await?;
            let mut e = FieldErrors::new();
            e.add("outcome", m);
            let out = rejected(&mut tx, form, e).await;
            tx.commit().await?;
            out
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = monitorings::access(&mut tx, id, Action::Read).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    let c = ctx(&mut tx, &acc, m.case_id).await?;
    let prev = monitorings::previous(&tx, &acc, m.case_id, m.record.monitored_on, Some(id)).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Monitoring, Action::Write)
        .await
        .is_ok();
    let open = yorisoi_store::cases::is_open(&tx, m.case_id).await?;
    tx.commit().await?;
    let mut p = page(
        &user,
        &c,
        format!("/monitorings/{id}"),
        MonitoringInput::from_record(&m.record),
        FieldErrors::new(),
        m.version.to_string(),
        prev.as_ref(),
    );
    p.may_write = may_write && open;
    p.reassessment_id = m.record.reassessment_id;
    p.close_link = open && m.record.outcome == Outcome::Close;
    p.change_plan = open && m.record.plan_change_needed();
    if !q.saved.is_empty() {
        p.message = match m.record.outcome {
            Outcome::Continue => "モニタリングを記録しました。計画を継続します。".into(),
            Outcome::Reassess => {
                "モニタリングを記録しました。再アセスメントの新しい版を作りました。".into()
            }
            Outcome::Close => "モニタリングを記録しました。終結の手続きに進んでください。".into(),
        };
    }
    render(&p)
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form = read_form(&body)?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = monitorings::access(&mut tx, id, Action::Write).await?;
    let m = monitorings::get(&mut tx, &acc, id).await?;
    let c = ctx(&mut tx, &acc, m.case_id).await?;
    let prev = monitorings::previous(&tx, &acc, m.case_id, m.record.monitored_on, Some(id)).await?;
    let again = |form: MonitoringInput, e: FieldErrors, v: i32| {
        page(
            &user,
            &c,
            format!("/monitorings/{id}"),
            form,
            e,
            v.to_string(),
            prev.as_ref(),
        )
    };
    let r = match form.validate(today_jst(), c.plan_from, &c.row_keys) {
        Ok(r) => r,
        Err(e) => {
            tx.rollback().await?;
            return render_status(&again(form, e, version), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match monitorings::update(&mut tx, &acc, id, version, &r).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/monitorings/{id}?saved=1")))
        }
        Err(StoreError::Conflict) => {
            tx.rollback().await?;
            let mut p = again(form, FieldErrors::new(), m.version);
            p.conflict = true;
            render_status(&p, StatusCode::CONFLICT)
        }
        Err(StoreError::Rule(msg)) => {
            tx.rollback().await?;
            let mut e = FieldErrors::new();
            e.add("outcome", msg);
            render_status(&again(form, e, version), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/monitorings/new", get(new_form))
        .route("/cases/{id}/monitorings", post(create))
        .route("/monitorings/{id}", get(show).post(update))
}
