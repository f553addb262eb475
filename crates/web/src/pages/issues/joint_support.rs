//! 地域体制強化共同支援加算: the evidence that a hard case was worked on by three or more parties
//! and reported to the 協議会 in writing — listed (the case shown only to those who may open it,
//! the others counted), recorded from a case (its care team offered as parties to tick, plus
//! free lines), edited, and deleted only after the five years it must be kept.

use super::vignettes::{FromQuery, issue_opts, query_id};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::display::date;
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{Nav, render, render_status};
use askama::Template;
use axum::extract::{Path, Query, State};
use yorisoi_domain::joint_support::{JointSupportInput, MIN_PARTIES, Party};
use yorisoi_store::issue_followups::{self, IssueRef};
use yorisoi_store::joint_support::{self, JointSupport, JointSupportList};
use yorisoi_store::today_jst;

/// The form as posted: the record's fields, the team members ticked, the free lines.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct Fields {
    worked_on: String,
    reported_on: String,
    report_title: String,
    summary: String,
    issue_id: String,
    case_id: String,
    /// The care team offered (hidden, in order) and the indexes ticked.
    team_name: Vec<String>,
    team_org: Vec<String>,
    team_pick: Vec<String>,
    /// Free lines.
    party_name: Vec<String>,
    party_org: Vec<String>,
}

/// A care-team member offered as a party.
#[derive(Debug, Clone)]
pub struct TeamRow {
    pub name: String,
    pub organisation: String,
    pub picked: bool,
}

/// The form as shown: the fields, the team rows, the free lines (at least as many blank lines
/// as it takes to reach three parties, and one more).
#[derive(Debug, Clone, Default)]
pub struct JointForm {
    pub input: JointSupportInput,
    pub case_id: String,
    pub team: Vec<TeamRow>,
    pub lines: Vec<Party>,
}

impl JointForm {
    /// The form for `parties` already chosen, with the case's team offered: a party who is on
    /// the team is ticked there, the others are free lines.
    fn from_parties(input: JointSupportInput, case_id: i64, team: &[Party]) -> Self {
        let team_rows: Vec<TeamRow> = team
            .iter()
            .map(|p| TeamRow {
                name: p.name.clone(),
                organisation: p.organisation.clone(),
                picked: input.parties.contains(p),
            })
            .collect();
        let lines = input
            .parties
            .iter()
            .filter(|p| !team.contains(p))
            .cloned()
            .collect();
        JointForm {
            input,
            case_id: case_id.to_string(),
            team: team_rows,
            lines,
        }
        .padded()
    }

    fn padded(mut self) -> Self {
        let picked = self.team.iter().filter(|t| t.picked).count();
        let filled = self
            .lines
            .iter()
            .filter(|p| !p.name.trim().is_empty() || !p.organisation.trim().is_empty())
            .count();
        self.lines
            .retain(|p| !p.name.trim().is_empty() || !p.organisation.trim().is_empty());
        let blanks = MIN_PARTIES.saturating_sub(picked + filled).max(1) + 1;
        self.lines
            .extend(std::iter::repeat_n(Party::default(), blanks));
        self
    }

    fn read(body: &RawForm) -> Result<Self, AppError> {
        let f: Fields = body.parse()?;
        let team: Vec<TeamRow> = f
            .team_name
            .iter()
            .enumerate()
            .map(|(i, name)| TeamRow {
                name: name.clone(),
                organisation: f.team_org.get(i).cloned().unwrap_or_default(),
                picked: f.team_pick.iter().any(|p| p.trim() == i.to_string()),
            })
            .collect();
        let lines: Vec<Party> = f
            .party_name
            .iter()
            .enumerate()
            .map(|(i, name)| Party {
                name: name.clone(),
                organisation: f.party_org.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let parties = team
            .iter()
            .filter(|t| t.picked)
            .map(|t| Party {
                name: t.name.clone(),
                organisation: t.organisation.clone(),
            })
            .chain(lines.iter().cloned())
            .collect();
        Ok(JointForm {
            input: JointSupportInput {
                worked_on: f.worked_on,
                parties,
                reported_on: f.reported_on,
                report_title: f.report_title,
                summary: f.summary,
                issue_id: f.issue_id,
            },
            case_id: f.case_id,
            team,
            lines,
        }
        .padded())
    }
}

#[derive(Template)]
#[template(path = "joint_supports.html")]
pub struct ListPage {
    pub nav: Nav,
    pub list: JointSupportList,
    pub rows: Vec<ListRow>,
}

pub struct ListRow {
    pub id: i64,
    pub case_id: i64,
    pub worked_on: String,
    pub reported_on: String,
    pub title: String,
    pub parties: usize,
    pub issue: String,
    pub keep_until: String,
}

/// What a stored record shows beside its form.
pub struct StoredView {
    pub id: i64,
    pub keep_until: String,
    pub deletable: bool,
}

#[derive(Template)]
#[template(path = "joint_support.html")]
pub struct JointPage {
    pub nav: Nav,
    pub action: String,
    pub stored: Option<StoredView>,
    pub form: EditState<JointForm>,
    pub issues: Vec<(String, String, bool)>,
    pub message: String,
}

impl JointPage {
    fn new(
        user: &Authed,
        stored: Option<StoredView>,
        form: EditState<JointForm>,
        issues: &[IssueRef],
    ) -> Self {
        JointPage {
            nav: Nav::new(user, "issues"),
            action: match &stored {
                Some(s) => format!("/issues/joint-support/{}", s.id),
                None => "/issues/joint-support".into(),
            },
            issues: issue_opts(issues, &form.input.input.issue_id),
            message: String::new(),
            stored,
            form,
        }
    }
}

fn stored_view(r: &JointSupport) -> StoredView {
    StoredView {
        id: r.id,
        keep_until: date(r.keep_until),
        deletable: today_jst() >= r.keep_until,
    }
}

pub async fn list(State(st): State<AppState>, user: Authed) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = joint_support::list(&mut tx, None).await?;
    tx.commit().await?;
    let rows = list
        .records
        .iter()
        .map(|r| ListRow {
            id: r.id,
            case_id: r.case_id,
            worked_on: date(r.worked_on),
            reported_on: date(r.reported_on),
            title: r.report_title.clone(),
            parties: r.parties,
            issue: r.issue_id.map(|i| format!("#{i}")).unwrap_or_default(),
            keep_until: date(r.keep_until),
        })
        .collect();
    render(&ListPage {
        nav: Nav::new(&user, "issues"),
        list,
        rows,
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<FromQuery>,
) -> PageResult {
    let case_id = query_id(&q.case, "ケース")?.ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    let team = joint_support::team_parties(&mut tx, case_id).await?;
    let issues = issue_followups::choices(&mut tx).await?;
    tx.commit().await?;
    let input = JointSupportInput {
        issue_id: q.issue.trim().to_string(),
        reported_on: today_jst().format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    let form = JointForm::from_parties(input, case_id, &team);
    render(&JointPage::new(
        &user,
        None,
        EditState::new(form, ""),
        &issues,
    ))
}

async fn choices(st: &AppState, user: &Authed) -> Result<Vec<IssueRef>, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let issues = issue_followups::choices(&mut tx).await?;
    tx.commit().await?;
    Ok(issues)
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let form = JointForm::read(&body)?;
    let case_id = query_id(&form.case_id, "ケース")?.ok_or(AppError::NotFound)?;
    let mut tx = st.store.begin(user.actor()).await?;
    // Asked before the form is read: a reader without access gets the 404, not the messages.
    joint_support::team_parties(&mut tx, case_id).await?;
    let saved = match form.input.validate() {
        Ok(r) => joint_support::add(&mut tx, case_id, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/issues/joint-support/{id}?saved=created"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(form, "", e, None)?;
            let status = form.status();
            let issues = choices(&st, &user).await?;
            render_status(&JointPage::new(&user, None, form, &issues), status)
        }
    }
}

async fn load(
    st: &AppState,
    user: &Authed,
    id: i64,
) -> Result<(JointSupport, Vec<Party>, Vec<IssueRef>), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let r = joint_support::get(&mut tx, id).await?;
    let team = joint_support::team_parties(&mut tx, r.case_id).await?;
    let issues = issue_followups::choices(&mut tx).await?;
    tx.commit().await?;
    Ok((r, team, issues))
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let (r, team, issues) = load(&st, &user, id).await?;
    let form = JointForm::from_parties(JointSupportInput::from_record(&r.record), r.case_id, &team);
    let mut page = JointPage::new(
        &user,
        Some(stored_view(&r)),
        EditState::new(form, r.version),
        &issues,
    );
    page.message = match q.saved.as_str() {
        "created" => "共同支援の記録を保存しました。",
        "updated" => "共同支援の記録を更新しました。",
        _ => "",
    }
    .into();
    render(&page)
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let version = body.parse::<VersionField>()?.parse()?;
    let form = JointForm::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match form.input.validate() {
        Ok(r) => joint_support::update(&mut tx, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => {
            // A reader without access gets the 404 before any message about the fields.
            joint_support::get(&mut tx, id).await?;
            Err(e.into())
        }
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/issues/joint-support/{id}?saved=updated"
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let (r, _, issues) = load(&st, &user, id).await?;
            let form = EditState::refused(form, version, e, Some(r.version))?;
            let status = form.status();
            render_status(
                &JointPage::new(&user, Some(stored_view(&r)), form, &issues),
                status,
            )
        }
    }
}

pub async fn delete(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let version = body.parse::<VersionField>()?.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    match joint_support::delete(&mut tx, id, version, today_jst()).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other("/issues/joint-support"))
        }
        Err(e) => {
            tx.rollback().await?;
            let (r, team, issues) = load(&st, &user, id).await?;
            let form = JointForm::from_parties(
                JointSupportInput::from_record(&r.record),
                r.case_id,
                &team,
            );
            let form = EditState::refused(form, r.version, e.into(), Some(r.version))?;
            let status = form.status();
            render_status(
                &JointPage::new(&user, Some(stored_view(&r)), form, &issues),
                status,
            )
        }
    }
}
