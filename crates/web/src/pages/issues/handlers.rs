//! Thin handlers: extract, open the `Tx`, call the store (which asks the policy), commit,
//! respond. A refused form keeps what was typed.

use super::form::{IssueForm, ListQuery, NewQuery};
use super::view::{Extras, IssuePage, ListPage, StoredView};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{render, render_status};
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::RegionalIssueInput;
use yorisoi_store::regional_issues::{self, People, RegionalIssue};
use yorisoi_store::resources::{self, ResourceFilter};
use yorisoi_store::{
    Tx, decisions, issue_categories, issue_followups, joint_support, meetings, monitorings, plans,
    today_jst, vignettes,
};

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = issue_categories::list(&mut tx).await?;
    let found = regional_issues::list(&mut tx, &q.filter(&list)).await?;
    let counts = regional_issues::counts(&mut tx).await?;
    tx.commit().await?;
    render(&ListPage::new(&user, q, found, counts, &list))
}

/// The first line of `text`, at most 40 characters: a title to start from.
fn title_from(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    line.trim()
        .trim_start_matches(['・', '-', '*'])
        .chars()
        .take(40)
        .collect()
}

/// The form prefilled from the record it is raised from (read through that record's access).
async fn prefill(tx: &mut Tx, q: &NewQuery) -> Result<IssueForm, AppError> {
    let mut input = RegionalIssueInput {
        status: "raised".into(),
        source: "manual".into(),
        raised_on: today_jst().format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    let Some(id) = q.id()? else {
        return Ok(IssueForm {
            issue: input,
            case_id: String::new(),
            resource_id: String::new(),
        });
    };
    let (need, case_id) = match q.source.as_str() {
        "meeting" => {
            let acc = meetings::access(tx, id, Action::Read).await?;
            let m = meetings::get(tx, &acc, id).await?;
            (m.record.cannot_do.join("\n"), m.case_id)
        }
        "monitoring" => {
            let acc = monitorings::access(tx, id, Action::Read).await?;
            let m = monitorings::get(tx, &acc, id).await?;
            let goal = q.goal.trim().parse::<usize>().ok();
            let issues: Vec<String> = m
                .record
                .goals
                .iter()
                .enumerate()
                .filter(|(i, g)| goal.is_none_or(|n| n == *i) && !g.issues.trim().is_empty())
                .map(|(_, g)| g.issues.clone())
                .collect();
            (issues.join("\n"), m.case_id)
        }
        "decision" => {
            // What stands in the way of realising the person's will (意思実現).
            let acc = decisions::access(tx, id, Action::Read).await?;
            let d = decisions::get(tx, &acc, id).await?;
            (d.record.realisation.clone(), d.case_id)
        }
        "need" => {
            // The plan's rows with no provider or resource to meet the need (or the one asked
            // for): what is missing is the service the row names.
            let acc = plans::access(tx, id, RecordKind::Plan, Action::Read).await?;
            let p = plans::get(tx, &acc, id).await?;
            let row = q.row.trim().parse::<u32>().ok();
            let rows: Vec<_> = p
                .record
                .rows
                .iter()
                .filter(|r| row.map_or(r.unmet(), |k| r.key == k))
                .collect();
            if rows.is_empty() {
                return Err(AppError::BadRequest(
                    "計画に、サービスや社会資源の決まっていないニーズが見つかりません。".into(),
                ));
            }
            let missing: Vec<String> = rows
                .iter()
                .map(|r| match (r.service_type, r.service.trim()) {
                    (Some(t), "") => t.label().to_string(),
                    (Some(t), s) => format!("{}（{s}）", t.label()),
                    (None, s) => s.to_string(),
                })
                .filter(|s| !s.is_empty())
                .collect();
            input.resource = missing.join("\n");
            let needs: Vec<String> = rows.iter().map(|r| r.need.clone()).collect();
            (needs.join("\n"), p.case_id)
        }
        _ => {
            return Err(AppError::BadRequest(
                "どこから挙げるか（会議・モニタリング・意思決定支援・計画のニーズ）が正しくありません。"
                    .into(),
            ));
        }
    };
    input.title = title_from(&need);
    input.need = need;
    input.source = q.source.clone();
    input.source_ref = id.to_string();
    Ok(IssueForm {
        issue: input,
        case_id: case_id.to_string(),
        resource_id: String::new(),
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::RegionalIssue, Action::Write)?;
    let form = prefill(&mut tx, &q).await?;
    let list = issue_categories::list(&mut tx).await?;
    tx.commit().await?;
    render(&IssuePage::new(
        &user,
        None,
        EditState::new(form, ""),
        &list,
    ))
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let form = IssueForm::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    // Asked before the form is read, so that a role without access gets the 404 every other
    // page gives, not the form's messages.
    tx.office_access(RecordKind::RegionalIssue, Action::Write)?;
    let list = issue_categories::list(&mut tx).await?;
    let saved = match (
        form.issue.validate_in(&list),
        form.case_id()?,
        form.resource_id(),
    ) {
        (Ok(r), case_id, Ok(resource_id)) => {
            match regional_issues::add(&mut tx, &r, case_id).await {
                Ok(s) => issue_followups::set_resource(&mut tx, s.id, s.version, resource_id)
                    .await
                    .map(|_| s)
                    .map_err(AppError::from),
                Err(e) => Err(e.into()),
            }
        }
        (Err(e), _, _) => Err(e.into()),
        (_, _, Err(e)) => Err(e),
    };
    match saved {
        Ok(s) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/{}?saved=created", s.id)))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(form, "", e, None)?;
            let status = form.status();
            render_status(&IssuePage::new(&user, None, form, &list), status)
        }
    }
}

async fn load(
    st: &AppState,
    user: &Authed,
    id: i64,
) -> Result<(RegionalIssue, People, Extras), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let i = regional_issues::get(&mut tx, id).await?;
    let p = regional_issues::people(&mut tx, id, today_jst()).await?;
    let x = Extras {
        followup: issue_followups::of(&mut tx, id).await?,
        resources: resources::list(
            &mut tx,
            &ResourceFilter {
                include_inactive: true,
                ..Default::default()
            },
        )
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.record.name))
        .collect(),
        vignettes: vignettes::list(&mut tx, Some(id)).await?,
        joint: joint_support::list(&mut tx, Some(id)).await?,
        categories: issue_categories::list(&mut tx).await?,
    };
    tx.commit().await?;
    Ok((i, p, x))
}

fn stored_form(i: &RegionalIssue, x: &Extras) -> IssueForm {
    IssueForm {
        issue: RegionalIssueInput::from_record(&i.record),
        case_id: String::new(),
        resource_id: x
            .followup
            .resource
            .as_ref()
            .map(|r| r.id.to_string())
            .unwrap_or_default(),
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let (i, p, x) = load(&st, &user, id).await?;
    let form = EditState::new(stored_form(&i, &x), i.version);
    let list = x.categories.clone();
    render(&IssuePage::new(&user, Some(StoredView::new(&i, &p, x)), form, &list).saved(&q.saved))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let (form, version) = IssueForm::read_versioned(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::RegionalIssue, Action::Write)?;
    let list = issue_categories::list(&mut tx).await?;
    let saved = match (form.issue.validate_in(&list), form.resource_id()) {
        (Ok(r), Ok(resource_id)) => match regional_issues::update(&mut tx, id, version, &r).await {
            Ok(s) => issue_followups::set_resource(&mut tx, id, s.version, resource_id)
                .await
                .map_err(AppError::from),
            Err(e) => Err(e.into()),
        },
        (Err(e), _) => Err(e.into()),
        (_, Err(e)) => Err(e),
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/{id}?saved=updated")))
        }
        Err(e) => {
            tx.rollback().await?;
            let (i, p, x) = load(&st, &user, id).await?;
            let form = EditState::refused(form, version, e, Some(i.version))?;
            let status = form.status();
            render_status(
                &IssuePage::new(&user, Some(StoredView::new(&i, &p, x)), form, &list),
                status,
            )
        }
    }
}

pub async fn release(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    match regional_issues::release(&mut tx, id, version).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/{id}?saved=released")))
        }
        Err(e) => {
            tx.rollback().await?;
            let e = AppError::from(e);
            let (i, p, x) = load(&st, &user, id).await?;
            let why = match &e {
                AppError::Invalid(_) => {
                    "公開できません。個人が特定されるおそれのある言葉を直して保存してから、もう一度公開してください。"
                }
                AppError::Conflict => {
                    "この地域課題は、画面を開いたあとに更新されています。最新の内容を確かめてから、もう一度公開してください。"
                }
                _ => "",
            };
            let form = EditState::refused(stored_form(&i, &x), i.version, e, Some(i.version))?;
            let status = form.status();
            let list = x.categories.clone();
            let page = IssuePage::new(&user, Some(StoredView::new(&i, &p, x)), form, &list)
                .release_refused(why);
            render_status(&page, status)
        }
    }
}
