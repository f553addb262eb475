//! 一括印刷, shared by its page (`pages::batch`) and its API (`api::documents`): the request
//! checked into a job, the job run in the background (every record read and logged in one unit
//! of work, one PDF of them all), at most [`MAX_RUNNING`] running jobs per person.

use crate::AppState;
use crate::auth::Authed;
use crate::error::AppError;
use crate::jobs::{Job, Phase};
use crate::kit::print::inspection::build_notes;
use crate::kit::print::{Built, build_monitoring, build_plan, disclosed, render_pdf};
use chrono::NaiveDate;
use std::sync::Arc;
use std::time::Instant;
use yorisoi_documents::docs::DocKind;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::certificate::{YearMonth, parse_monitoring_months};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{monitorings, notes, offices, plans, users};

/// Jobs one person may have running at once.
pub const MAX_RUNNING: usize = 3;

/// What to print: every plan handed over in a month, or a staff member's clients' monitoring
/// reports or 支援経過記録 of a month.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BatchInput {
    /// `plans`（その月に交付した計画）、`monitorings`（担当職員の利用者のモニタリング報告書）または `notes`（担当職員の利用者の、その月の支援経過記録。利用者ごと）
    pub what: String,
    /// 年月（例: 2026-11、R8.11、令和8年11月）
    pub month: String,
    /// 担当職員の id（`monitorings`・`notes` のとき）
    pub staff: String,
}

/// What a batch prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Plans,
    Monitorings,
    /// Each client's 支援経過記録 of the month, one after another.
    Notes,
}

/// A checked request.
pub struct BatchSpec {
    what: What,
    staff: i64,
    from: NaiveDate,
    until: NaiveDate,
    title: String,
}

/// The staff whose clients' reports `user` may print, as (id, name): everyone for those who
/// see the whole office's assignments, oneself otherwise.
pub async fn staff_choices(
    st: &AppState,
    user: &Authed,
) -> Result<Vec<(String, String)>, AppError> {
    let tx = st.store.read(user.actor()).await?;
    let list = if user.may(RecordKind::Assignment, Action::Write) {
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
    Ok(list)
}

fn month_range(ym: YearMonth) -> Option<(NaiveDate, NaiveDate)> {
    let first = ym.first_day()?;
    let next = if ym.month == 12 {
        NaiveDate::from_ymd_opt(ym.year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(ym.year, ym.month + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

impl BatchInput {
    /// The request checked against the staff `user` may choose, or the messages by field.
    pub async fn check(&self, st: &AppState, user: &Authed) -> Result<BatchSpec, AppError> {
        may_print(user)?;
        let mut e = FieldErrors::new();
        let what = match self.what.as_str() {
            "plans" => Some(What::Plans),
            "monitorings" => Some(What::Monitorings),
            "notes" => Some(What::Notes),
            _ => {
                e.add("what", "印刷するものを選んでください。");
                None
            }
        };
        let range = match parse_monitoring_months(&self.month, None, None) {
            Ok(v) if v.len() == 1 => month_range(v[0]).map(|r| (v[0], r)),
            _ => None,
        };
        if range.is_none() {
            e.add(
                "month",
                "年月を1つ入力してください。例: 2026-11、R8.11、令和8年11月",
            );
        }
        let mut staff_name = String::new();
        if matches!(what, Some(What::Monitorings | What::Notes)) {
            let chosen = self.staff.trim();
            match staff_choices(st, user)
                .await?
                .into_iter()
                .find(|o| o.0 == chosen)
            {
                Some(o) => staff_name = o.1,
                None => e.add("staff", "担当職員を選んでください。"),
            }
        }
        let (Some(what), Some((ym, (from, until))), true) = (what, range, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let title = match what {
            What::Plans => format!("{}に交付した計画", ym.label()),
            What::Monitorings => format!(
                "{staff_name}さんの担当利用者の{}のモニタリング報告書",
                ym.label()
            ),
            What::Notes => format!("{staff_name}さんの担当利用者の{}の支援経過記録", ym.label()),
        };
        Ok(BatchSpec {
            what,
            staff: self.staff.trim().parse().unwrap_or_default(),
            from,
            until,
            title,
        })
    }
}

/// Starts the job in the background and gives its id; refused with 429 when `user` already
/// has [`MAX_RUNNING`] running.
pub fn start(st: &AppState, user: &Authed, spec: BatchSpec) -> Result<String, AppError> {
    let job = Job {
        owner: user.user_id,
        title: spec.title.clone(),
        done: 0,
        total: 0,
        phase: Phase::Reading,
        pdf: None,
        filename: format!("{}.pdf", spec.title),
        json: None,
        json_filename: String::new(),
        back: "/documents/batch".into(),
        started: Instant::now(),
    };
    let Some(id) = st.jobs.admit(job, MAX_RUNNING) else {
        return Err(AppError::TooManyRequests(format!(
            "一括印刷は同時に{MAX_RUNNING}件までです。実行中の印刷が終わってから、もう一度始めてください。"
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

/// 一括印刷 prints plans, monitoring reports and case notes: case content the 事務 does not read, so they
/// are told so rather than offered a form that can only find nothing.
pub fn may_print(user: &Authed) -> Result<(), AppError> {
    if user.may(RecordKind::Plan, Action::Read) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "一括印刷は計画・モニタリング報告書・支援経過記録を印刷します。事務の権限ではこれらを読めないため使えません。印刷が必要なときは、担当の相談支援専門員か管理者に頼んでください。"
                .into(),
        ))
    }
}

/// Reads every record in one unit of work (so the log of what was printed is written once,
/// with the reads), then makes one PDF of them all.
async fn run(st: &AppState, user: &Authed, id: &str, spec: &BatchSpec) -> Result<(), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let settings = offices::doc_settings(&tx).await?;
    // Records (plans, reports) or, for notes, clients.
    let candidates = match spec.what {
        What::Plans => plans::handed_over_between(&tx, spec.from, spec.until).await?,
        What::Monitorings => {
            monitorings::of_staff_between(&tx, spec.staff, spec.from, spec.until).await?
        }
        What::Notes => {
            notes::clients_of_staff_between(&tx, spec.staff, spec.from, spec.until).await?
        }
    };
    // Only the records this user may read count, before anything is shown.
    let mut ids = Vec::new();
    for c in candidates {
        let ok = match spec.what {
            What::Plans => plans::access(&mut tx, c, RecordKind::Plan, Action::Read)
                .await
                .is_ok(),
            What::Monitorings => monitorings::access(&mut tx, c, Action::Read).await.is_ok(),
            What::Notes => tx
                .client_access(c, RecordKind::CaseNote, Action::Read)
                .await
                .is_ok(),
        };
        if ok {
            ids.push(c);
        }
    }
    st.jobs.update(id, |j| j.total = ids.len());
    let mut built: Vec<Built> = Vec::new();
    for (k, rid) in ids.iter().enumerate() {
        built.push(match spec.what {
            What::Plans => build_plan(st, &mut tx, *rid, DocKind::Plan, None, &settings).await?,
            What::Monitorings => build_monitoring(&mut tx, *rid, &settings).await?,
            What::Notes => build_notes(&mut tx, *rid, spec.from, spec.until, &settings).await?,
        });
        st.jobs.update(id, |j| j.done = k + 1);
    }
    let Some(first) = built.first() else {
        tx.commit().await?;
        st.jobs.update(id, |j| {
            j.phase = Phase::Failed(
                "この条件に当たる記録はありませんでした。年月や担当職員を変えてください。".into(),
            )
        });
        return Ok(());
    };
    st.jobs.update(id, |j| j.phase = Phase::Rendering);
    let kind = first.kind;
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
