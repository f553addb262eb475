//! 一括印刷: every plan handed over in a month, or every monitoring report of a staff member's
//! clients in a month, as one PDF. The job runs in the background and its page shows how far it
//! has got; only the person who started it can see it or download the result, and every record
//! in it is logged as a disclosure.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::RawForm;
use crate::pages::documents::{
    Built, build_monitoring, build_plan, disclosed, pdf_response, render_pdf,
};
use crate::pages::see_other;
use crate::views::*;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;
use std::time::Instant;
use yorisoi_documents::docs::DocKind;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::certificate::{YearMonth, parse_monitoring_months};
use yorisoi_domain::policy::{Action, RecordKind, Role};
use yorisoi_store::{monitorings, offices, plans, today_jst, users};

use crate::jobs::{Job, Phase};

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct BatchInput {
    /// "plans" or "monitorings"
    pub what: String,
    pub month: String,
    pub staff: String,
}

#[derive(Template)]
#[template(path = "batch.html")]
pub struct BatchPage {
    pub nav: Nav,
    pub form: BatchInput,
    pub errors: FieldErrors,
    pub staff: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "batch_job.html")]
pub struct JobPage {
    pub nav: Nav,
    pub id: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub running: bool,
    pub rendering: bool,
    pub failed: String,
    pub ready: bool,
}

/// The staff whose clients' reports one may print: everyone for leads and admins, oneself
/// for a specialist.
async fn staff_options(
    st: &AppState,
    user: &Authed,
    selected: &str,
) -> Result<Vec<(String, String, bool)>, AppError> {
    let tx = st.store.read(user.actor()).await?;
    let list: Vec<(String, String)> = if matches!(user.role, Role::Admin | Role::Lead) {
        users::list(&tx)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id.to_string(), u.display_name))
            .collect()
    } else {
        vec![(user.user_id.to_string(), user.display_name.clone())]
    };
    tx.commit().await?;
    Ok(id_opts(&list, selected))
}

async fn form_page(
    st: &AppState,
    user: &Authed,
    form: BatchInput,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let staff = staff_options(st, user, &form.staff).await?;
    render_status(
        &BatchPage {
            nav: Nav::new(user, "batch"),
            form,
            errors,
            staff,
        },
        status,
    )
}

/// `GET /documents/batch`
pub async fn form(State(st): State<AppState>, user: Authed) -> PageResult {
    let form = BatchInput {
        what: "plans".into(),
        month: YearMonth::of(today_jst()).code(),
        staff: user.user_id.to_string(),
    };
    form_page(&st, &user, form, FieldErrors::new(), StatusCode::OK).await
}

fn month_range(ym: YearMonth) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let first = ym.first_day()?;
    let next = if ym.month == 12 {
        chrono::NaiveDate::from_ymd_opt(ym.year + 1, 1, 1)?
    } else {
        chrono::NaiveDate::from_ymd_opt(ym.year, ym.month + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// `POST /documents/batch`: checks the form, starts the job and shows its page.
pub async fn start(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let form: BatchInput = body.parse()?;
    let mut e = FieldErrors::new();
    let what = match form.what.as_str() {
        w @ ("plans" | "monitorings") => w,
        _ => {
            e.add("what", "印刷するものを選んでください。");
            ""
        }
    };
    let range = match parse_monitoring_months(&form.month, None, None) {
        Ok(v) if v.len() == 1 => month_range(v[0]).map(|r| (v[0], r)),
        _ => None,
    };
    if range.is_none() {
        e.add(
            "month",
            "年月を1つ入力してください。例: 2026-11、R8.11、令和8年11月",
        );
    }
    let staff: Option<i64> = form.staff.trim().parse().ok();
    // The chosen staff member's name, if they are one this user may choose.
    let mut staff_name = String::new();
    if what == "monitorings" {
        match staff_options(&st, &user, &form.staff)
            .await?
            .into_iter()
            .find(|o| o.2)
        {
            Some(o) => staff_name = o.1,
            None => e.add("staff", "担当職員を選んでください。"),
        }
    }
    let (Some((ym, (from, until))), true) = (range, e.is_empty()) else {
        return form_page(&st, &user, form, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let title = if what == "plans" {
        format!("{}に交付した計画", ym.label())
    } else {
        format!(
            "{staff_name}さんの担当利用者の{}のモニタリング報告書",
            ym.label()
        )
    };
    let id = hex::encode(rand::random::<[u8; 12]>());
    st.jobs.with(|m| {
        m.insert(
            id.clone(),
            Job {
                owner: user.user_id,
                title: title.clone(),
                done: 0,
                total: 0,
                phase: Phase::Reading,
                pdf: None,
                filename: format!("{title}.pdf"),
                started: Instant::now(),
            },
        )
    });
    let (st2, id2, plans_job) = (st.clone(), id.clone(), what == "plans");
    tokio::spawn(async move {
        let r = run(
            &st2,
            &user,
            &id2,
            plans_job,
            staff.unwrap_or_default(),
            from,
            until,
        )
        .await;
        if let Err(err) = r {
            st2.jobs
                .update(&id2, |j| j.phase = Phase::Failed(err.message()));
        }
    });
    Ok(see_other(&format!("/documents/batch/{id}")))
}

/// Reads every record in one unit of work (so the log of what was printed is written once,
/// with the reads), then makes one PDF of them all.
async fn run(
    st: &AppState,
    user: &Authed,
    id: &str,
    plans_job: bool,
    staff: i64,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> Result<(), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let settings = offices::doc_settings(&tx).await?;
    let candidates = if plans_job {
        plans::handed_over_between(&tx, from, until).await?
    } else {
        monitorings::of_staff_between(&tx, staff, from, until).await?
    };
    // Only the records this user may read count, before anything is shown.
    let mut ids = Vec::new();
    for c in candidates {
        let ok = if plans_job {
            plans::access(&mut tx, c, RecordKind::Plan, Action::Read)
                .await
                .is_ok()
        } else {
            monitorings::access(&mut tx, c, Action::Read).await.is_ok()
        };
        if ok {
            ids.push(c);
        }
    }
    st.jobs.update(id, |j| j.total = ids.len());
    let mut built: Vec<Built> = Vec::new();
    for (k, rid) in ids.iter().enumerate() {
        built.push(if plans_job {
            build_plan(st, &mut tx, *rid, DocKind::Plan, &settings).await?
        } else {
            build_monitoring(&mut tx, *rid, &settings).await?
        });
        st.jobs.update(id, |j| j.done = k + 1);
    }
    if built.is_empty() {
        tx.commit().await?;
        st.jobs.update(id, |j| {
            j.phase = Phase::Failed(
                "この条件に当たる記録はありませんでした。年月や担当職員を変えてください。".into(),
            )
        });
        return Ok(());
    }
    st.jobs.update(id, |j| j.phase = Phase::Rendering);
    let kind = built[0].kind;
    let pdf = render_pdf(
        st,
        &settings,
        kind,
        built.iter().map(|b| b.value.clone()).collect(),
    )
    .await?;
    for b in &built {
        disclosed(&mut tx, b, &settings, true);
    }
    tx.commit().await?;
    st.jobs.update(id, |j| {
        j.pdf = Some(Arc::new(pdf));
        j.phase = Phase::Done;
    });
    Ok(())
}

/// `GET /documents/batch/{id}`: progress, refreshed every second until done.
pub async fn show(State(st): State<AppState>, user: Authed, Path(id): Path<String>) -> PageResult {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    render(&JobPage {
        nav: Nav::new(&user, "batch"),
        id,
        title: j.title,
        done: j.done,
        total: j.total,
        running: matches!(j.phase, Phase::Reading | Phase::Rendering),
        rendering: j.phase == Phase::Rendering,
        failed: match j.phase {
            Phase::Failed(m) => m,
            _ => String::new(),
        },
        ready: j.pdf.is_some(),
    })
}

/// `GET /documents/batch/{id}/pdf`
pub async fn download(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let j = st.jobs.get(&id, user.user_id).ok_or(AppError::NotFound)?;
    let pdf = j.pdf.ok_or(AppError::NotFound)?;
    Ok(pdf_response(pdf.as_ref().clone(), &j.filename))
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/documents/batch", get(form).post(start))
        .route("/documents/batch/{id}", get(show))
        .route("/documents/batch/{id}/pdf", get(download))
}
