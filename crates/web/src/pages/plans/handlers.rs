//! The plan's handlers: extract, open the unit of work, ask access, call the store, commit,
//! respond. What the pages show is built in `view` and `section`; forms are read in `form`.

use super::form::{Section, SectionForm, StateForm, WithVersion, read_upload};
use super::section::{SAVED, SectionContext, section_page};
use super::view::{Extras, PlanData, PlanPage, StartPage, joined};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, Form, RawForm, parse_version};
use crate::kit::links::{Saved, see_other};
use crate::kit::records::{client_name, directory as resource_options};
use crate::kit::render::{render, render_status};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::plan::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, StoreError, Tx, cases, meetings, plans, resources, today_jst};

/// Reads everything the plan page shows, in one unit of work.
async fn load(st: &AppState, user: &Authed, id: i64) -> Result<PlanData, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Read).await?;
    let plan = plans::get(&mut tx, &acc, id).await?;
    let versions = plans::list(&mut tx, &acc, plan.case_id).await?;
    let implementations = plans::implementations(&mut tx, &acc, id).await?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let mtg_acc = tx
        .client_access(acc.client_id, RecordKind::Meeting, Action::Read)
        .await?;
    let mtgs = meetings::for_plan(&mut tx, &mtg_acc, id).await?;
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(&mut tx, &case_acc, plan.case_id).await?;
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
    Ok(PlanData {
        plan,
        versions,
        implementations,
        client_name: name,
        meetings: mtgs,
        resources: res,
        may_write,
    })
}

/// The plan page for `id`, with `x` for a refused form or the message after a save.
async fn plan_page(st: &AppState, user: &Authed, id: i64, x: Extras) -> PageResult {
    let status = x.status();
    let d = load(st, user, id).await?;
    render_status(&PlanPage::new(user, d, x), status)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    plan_page(&st, &user, id, Extras::after(&q.saved)).await
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
    let name = client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    render(&StartPage::new(&user, case_id, name, StartPage::blank()))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Form(f): Form<DraftInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let client_id = cases::client_of(&tx, case_id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let refused = match f.validate(today_jst()) {
        Ok(d) => match plans::draft(&mut tx, &acc, case_id, d).await {
            Ok(id) => {
                tx.commit().await?;
                return Ok(see_other(&format!("/plans/{id}?saved=drafted")));
            }
            Err(e) => AppError::from(e),
        },
        Err(e) => AppError::Invalid(e),
    };
    tx.rollback().await?;
    let form = EditState::refused(f, "", refused, None)?;
    let mut tx = st.store.read(user.actor()).await?;
    let name = client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    let status = form.status();
    render_status(&StartPage::new(&user, case_id, name, form), status)
}

fn section_or_404(section: &str) -> Result<Section, AppError> {
    Section::from_code(section).ok_or(AppError::NotFound)
}

/// The domain's rule: only the newest version, before it is final, is edited.
fn editable(p: &plans::Plan) -> Result<(), AppError> {
    check_editable(p.latest, p.state).map_err(|m| AppError::Rule(m.into()))
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    let section = section_or_404(&section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    editable(&p)?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let res = resource_options(&mut tx).await?;
    tx.commit().await?;
    let mut form = EditState::new(PlanInput::from_record(&p.record), p.version);
    if !q.saved.is_empty() {
        form = form.with_flash(SAVED);
    }
    let cx = SectionContext {
        plan: &p,
        client_name: name,
        resources: &res,
    };
    render(&section_page(&user, cx, section, form))
}

/// Saves one section: the body read once, the plan read once (and saved over that read).
pub async fn save(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    body: RawForm,
) -> PageResult {
    let section = section_or_404(&section)?;
    let form: SectionForm = body.parse()?;
    let version = parse_version(&form.version)?;
    let then = Section::from_code(&form.then).unwrap_or(section);
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    editable(&p)?;
    let name = client_name(&mut tx, acc.client_id).await?;
    let res = resource_options(&mut tx).await?;
    let mut input = PlanInput::from_record(&p.record);
    form.apply(section, &mut input);
    crate::kit::records::provider_from_directory(&mut input, &res);
    let refused = match input.validate(&p.record, today_jst()) {
        Ok(record) => match plans::save(&mut tx, &acc, &p, version, &record).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(see_other(&format!(
                    "/plans/{id}/edit/{}?saved=1",
                    then.code()
                )));
            }
            // A rule about the whole plan (a closed case): the error page says it.
            Err(StoreError::Rule(m)) => return Err(AppError::Rule(m)),
            Err(e) => AppError::from(e),
        },
        Err(errors) => AppError::Invalid(errors),
    };
    tx.rollback().await?;
    // What the user typed stays on the screen (over the newer version when stale).
    let form = EditState::refused(input, version, refused, Some(p.version))?;
    let status = form.status();
    let cx = SectionContext {
        plan: &p,
        client_name: name,
        resources: &res,
    };
    render_status(&section_page(&user, cx, section, form), status)
}

/// A refusal as the plan page shows it: field messages through `invalid`, a rule at the top.
fn refusal(e: AppError, invalid: impl FnOnce(FieldErrors) -> Extras) -> Extras {
    match e {
        AppError::Invalid(errors) => invalid(errors),
        other => Extras::rule(other.message()),
    }
}

/// Runs one write on the plan and answers with a redirect, or the plan page with the reason.
async fn plan_write<F>(
    st: &AppState,
    user: &Authed,
    id: i64,
    saved: &str,
    refused: impl FnOnce(AppError) -> Extras,
    f: F,
) -> PageResult
where
    F: AsyncFnOnce(&mut Tx, &ClientAccess) -> Result<(), StoreError>,
{
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    let x = match f(&mut tx, &acc).await {
        Ok(()) => {
            tx.commit().await?;
            return Ok(see_other(&format!("/plans/{id}?saved={saved}")));
        }
        Err(StoreError::Conflict) => Extras::stale(),
        Err(e @ (StoreError::Rule(_) | StoreError::Invalid(_))) => refused(e.into()),
        Err(e) => return Err(e.into()),
    };
    tx.rollback().await?;
    plan_page(st, user, id, x).await
}

pub async fn add_consent(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<WithVersion<PlanConsentInput>>,
) -> PageResult {
    let version = parse_version(&f.version)?;
    let input = f.input;
    let c = match input.validate(today_jst()) {
        Ok(c) => c,
        Err(e) => {
            let form = EditState::rejected(input, version, e);
            let x = Extras {
                consent: Some(form),
                ..Default::default()
            };
            return plan_page(&st, &user, id, x).await;
        }
    };
    let refused = |e| {
        refusal(e, |errors| Extras {
            consent: Some(EditState::rejected(input, version, errors)),
            ..Default::default()
        })
    };
    plan_write(&st, &user, id, "consent", refused, async |tx, acc| {
        plans::add_consent(tx, acc, id, version, &c)
            .await
            .map(|_| ())
    })
    .await
}

pub async fn add_handover(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<WithVersion<HandoverInput>>,
) -> PageResult {
    let version = parse_version(&f.version)?;
    let input = f.input;
    let h = match input.validate(today_jst()) {
        Ok(h) => h,
        Err(e) => {
            let x = Extras {
                handover: Some(EditState::rejected(input, version, e)),
                ..Default::default()
            };
            return plan_page(&st, &user, id, x).await;
        }
    };
    let refused = |e| {
        refusal(e, |errors| Extras {
            handover: Some(EditState::rejected(input, version, errors)),
            ..Default::default()
        })
    };
    plan_write(&st, &user, id, "handover", refused, async |tx, acc| {
        plans::add_handover(tx, acc, id, version, &h)
            .await
            .map(|_| ())
    })
    .await
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
    let f: StateForm = body.parse()?;
    let to = PlanState::from_code(f.to.trim())
        .ok_or_else(|| AppError::BadRequest("状態を一覧から選んでください。".into()))?;
    let version = parse_version(&f.version)?;
    let refused = |e: AppError| Extras::rule(e.message());
    plan_write(&st, &user, id, "state", refused, async |tx, acc| {
        plans::move_state(tx, acc, id, version, to)
            .await
            .map(|_| ())
    })
    .await
}

/// A refused 計画変更 at the top of the page, naming what it was about.
fn change_refused(e: AppError) -> Extras {
    match e {
        AppError::Invalid(errors) => Extras::rule(format!("計画変更: {}", joined(&errors))),
        other => Extras::rule(other.message()),
    }
}

pub async fn change(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<DraftInput>,
) -> PageResult {
    let d = match f.validate(today_jst()) {
        Ok(d) => d,
        Err(e) => return plan_page(&st, &user, id, change_refused(AppError::Invalid(e))).await,
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = plans::access(&mut tx, id, RecordKind::Plan, Action::Write).await?;
    match plans::change(&mut tx, &acc, id, d).await {
        Ok(new_id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/plans/{new_id}?saved=changed")))
        }
        Err(e @ (StoreError::Rule(_) | StoreError::Invalid(_))) => {
            tx.rollback().await?;
            plan_page(&st, &user, id, change_refused(e.into())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn week_svg(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
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
    Form(f): Form<WithVersion<ImplementationInput>>,
) -> PageResult {
    // The first save has no version yet.
    let version = if f.version.trim().is_empty() {
        None
    } else {
        Some(parse_version(&f.version)?)
    };
    let shown = version.map(|v| v.to_string()).unwrap_or_default();
    let input = f.input;
    let r = match input.validate(today_jst()) {
        Ok(r) => r,
        Err(e) => {
            let x = Extras {
                implementation: Some((key, EditState::rejected(input, shown, e))),
                ..Default::default()
            };
            return plan_page(&st, &user, id, x).await;
        }
    };
    let refused = |e| {
        refusal(e, |errors| Extras {
            implementation: Some((key, EditState::rejected(input, shown, errors))),
            ..Default::default()
        })
    };
    plan_write(
        &st,
        &user,
        id,
        "implementation",
        refused,
        async |tx, acc| {
            plans::set_implementation(tx, acc, id, key, version, &r)
                .await
                .map(|_| ())
        },
    )
    .await
}

/// The provider's 個別支援計画, sent as multipart (the CSRF token is a field of the form, checked
/// here because the form layer does not read multipart bodies).
pub async fn upload(
    State(st): State<AppState>,
    user: Authed,
    Path((id, key)): Path<(i64, u32)>,
    mut mp: Multipart,
) -> PageResult {
    let up = read_upload(&mut mp).await?;
    if !crate::auth::csrf::token_ok(&user, &up.csrf) {
        return Err(AppError::Csrf);
    }
    let Some((name, bytes)) = up.file else {
        let x = Extras {
            file_error: Some((key, "ファイルを選んでください。".into())),
            ..Default::default()
        };
        return plan_page(&st, &user, id, x).await;
    };
    let refused = |e: AppError| Extras {
        file_error: Some((
            key,
            match e {
                AppError::Invalid(errors) => joined(&errors),
                other => other.message(),
            },
        )),
        ..Default::default()
    };
    plan_write(&st, &user, id, "file", refused, async |tx, acc| {
        plans::attach(tx, acc, id, key, &name, bytes)
            .await
            .map(|_| ())
    })
    .await
}

/// A stored file, sent as an attachment (never shown inline) with its checked type.
pub async fn download(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let client_id = plans::attachment_client(&tx, id).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Read)
        .await?;
    let (name, ty, bytes) = plans::attachment(&mut tx, &acc, id).await?;
    tx.commit().await?;
    Ok(crate::kit::print::file_response(bytes, &ty, &name))
}
