//! Thin handlers: extract, open the `Tx`, call the store (which asks the policy), commit,
//! respond. A refused form keeps what was typed.

use super::view::{RegionAdminPage, RegionForm, RegionIssuePage, RegionPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::csv_export::{encode, parse_enc, response};
use crate::kit::figures::{FiguresView, IssueLine, csv_rows};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    CouncilInput, IssueCategory, IssueStatus, JoinInput, PeriodInput, RegionInput,
};
use yorisoi_store::region::{self, RegionQuery};
use yorisoi_store::{Tx, today_jst};

/// The query the filters ask for, or the refusal of a date (the page then shows the fiscal
/// year and says why).
fn query_of(f: &RegionForm) -> Result<RegionQuery, yorisoi_domain::FieldErrors> {
    let (from, to) = PeriodInput {
        from: f.from.clone(),
        to: f.to.clone(),
    }
    .validate(today_jst())?;
    let area = f.area.trim();
    Ok(RegionQuery {
        from,
        to,
        area: (!area.is_empty()).then(|| area.to_string()),
        category: IssueCategory::from_code(f.category.trim()),
        status: IssueStatus::from_code(f.status.trim()),
        q: f.q.clone(),
    })
}

/// The region the user's office runs; an admin whose office runs none is sent to start or join
/// one, anyone else gets the same 404 as a missing page.
async fn region_of(tx: &mut Tx) -> Result<region::Region, AppError> {
    region::mine(tx).await?.ok_or(AppError::NotFound)
}

pub async fn overview(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<RegionForm>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let Some(r) = region::mine(&mut tx).await? else {
        tx.commit().await?;
        if user.role == yorisoi_domain::policy::Role::Admin {
            return Ok(see_other("/admin/region"));
        }
        return Err(AppError::Rule(
            "この事業所はまだ地域の事務局になっていません。管理者が「地域（協議会）」の画面で地域をつくると、ここに表示されます。".into(),
        ));
    };
    let areas = region::areas(&mut tx).await?;
    let (q, form) = match query_of(&f) {
        Ok(q) => (q, EditState::new(f, "")),
        Err(e) => {
            let fallback = RegionForm {
                area: f.area.clone(),
                category: f.category.clone(),
                status: f.status.clone(),
                q: f.q.clone(),
                ..Default::default()
            };
            let q = query_of(&fallback).map_err(AppError::Invalid)?;
            (q, EditState::rejected(f, "", e))
        }
    };
    let figures = region::figures(&mut tx, &q).await?;
    let issues = region::issues(&mut tx, &q).await?;
    tx.commit().await?;
    let status = form.status();
    let page = RegionPage::new(
        &user,
        &r,
        form,
        areas,
        Some(FiguresView::new(&figures)),
        issues.iter().map(IssueLine::new).collect(),
    );
    render_status(&page, status)
}

/// The figures and the released issues of the filters as CSV (UTF-8 with a BOM unless asked).
pub async fn csv(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<RegionForm>,
) -> PageResult {
    let enc = parse_enc(&f.encoding)?;
    let q = query_of(&f).map_err(AppError::Invalid)?;
    let mut tx = st.store.read(user.actor()).await?;
    let r = region_of(&mut tx).await?;
    let figures = region::figures(&mut tx, &q).await?;
    let issues = region::issues(&mut tx, &q).await?;
    let lines: Vec<IssueLine> = issues.iter().map(IssueLine::new).collect();
    let heading = match &q.area {
        Some(a) => format!("{}（{a}）", r.name),
        None => r.name.clone(),
    };
    let bytes = encode(
        &csv_rows(&heading, &FiguresView::new(&figures), &lines),
        enc,
    )?;
    tx.record(
        "export",
        RecordKind::RegionView,
        Some(r.id),
        None,
        format!("地域の集計 CSV {}..{} 課題{}件", q.from, q.to, lines.len()),
    );
    tx.commit().await?;
    Ok(response(
        bytes,
        enc,
        &format!("地域課題と集計_{}_{}.csv", q.from, q.to),
    ))
}

fn council_form(i: &region::RegionIssue) -> CouncilInput {
    CouncilInput {
        status: i.status.code().into(),
        reply: i.council_reply.clone(),
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(s): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let i = region::issue(&mut tx, id).await?;
    tx.commit().await?;
    let form = EditState::new(council_form(&i), i.version);
    render(&RegionIssuePage::new(&user, IssueLine::new(&i), form).saved(&s.saved))
}

pub async fn track(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let version = body.parse::<VersionField>()?.parse()?;
    let input: CouncilInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionView, Action::Write)?;
    let saved = match input.validate() {
        Ok(c) => region::track(&mut tx, id, version, &c)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/region/issues/{id}?saved=tracked")))
        }
        Err(e) => {
            tx.rollback().await?;
            let mut tx = st.store.read(user.actor()).await?;
            let i = region::issue(&mut tx, id).await?;
            tx.commit().await?;
            let form = EditState::refused(input, version, e, Some(i.version))?;
            let status = form.status();
            render_status(
                &RegionIssuePage::new(&user, IssueLine::new(&i), form),
                status,
            )
        }
    }
}

async fn admin_page(
    st: &AppState,
    user: &Authed,
    create: EditState<RegionInput>,
    join: EditState<JoinInput>,
) -> Result<RegionAdminPage, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let mine = region::mine(&mut tx).await?;
    let regions = region::joinable(&mut tx).await?;
    tx.commit().await?;
    Ok(RegionAdminPage::new(
        user,
        mine.as_ref(),
        regions,
        create,
        join,
    ))
}

pub async fn admin(State(st): State<AppState>, user: Authed, Query(s): Query<Saved>) -> PageResult {
    let page = admin_page(
        &st,
        &user,
        EditState::new(RegionInput::default(), ""),
        EditState::new(JoinInput::default(), ""),
    )
    .await?;
    render(&page.saved(&s.saved))
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let input: RegionInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionMembership, Action::Write)?;
    let saved = match input.validate() {
        Ok(name) => region::create(&mut tx, &name).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/admin/region?saved=created"))
        }
        Err(e) => {
            tx.rollback().await?;
            let create = EditState::refused(input, "", e, None)?;
            let status = create.status();
            let page =
                admin_page(&st, &user, create, EditState::new(JoinInput::default(), "")).await?;
            render_status(&page, status)
        }
    }
}

pub async fn join(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let input: JoinInput = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionMembership, Action::Write)?;
    let saved = match input.validate() {
        Ok((id, area)) => region::join(&mut tx, id, &area)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/admin/region?saved=joined"))
        }
        Err(e) => {
            tx.rollback().await?;
            let join = EditState::refused(input, "", e, None)?;
            let status = join.status();
            let page =
                admin_page(&st, &user, EditState::new(RegionInput::default(), ""), join).await?;
            render_status(&page, status)
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct LeaveForm {
    region_id: String,
}

pub async fn leave(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let f: LeaveForm = body.parse()?;
    let id = crate::kit::form::parse_id(&f.region_id, "地域")?;
    let mut tx = st.store.begin(user.actor()).await?;
    region::leave(&mut tx, id).await?;
    tx.commit().await?;
    Ok(see_other("/admin/region?saved=left"))
}
