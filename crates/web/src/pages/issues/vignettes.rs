//! 個別事例報告: de-identified case vignettes written from a case (by a specialist who may read
//! it), listed, edited, and released for the 協議会 by a lead or an admin once the text names
//! nobody in the ledger. A vignette of a case the reader may not open is a 404.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::display::{date, odate};
use crate::kit::form::{EditState, RawForm, VersionField};
use crate::kit::links::{Saved, see_other};
use crate::kit::render::{Nav, render, render_status};
use askama::Template;
use axum::extract::{Path, Query, State};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::vignette::VignetteInput;
use yorisoi_store::Tx;
use yorisoi_store::issue_followups::{self, IssueRef};
use yorisoi_store::vignettes::{self, Vignette, VignetteList};

/// `?case=ID&issue=ID` of the new form; `?issue=ID` of the list.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct FromQuery {
    pub case: String,
    pub issue: String,
    pub saved: String,
}

/// An id in a query or a form: none when blank, 400 when malformed.
pub fn query_id(raw: &str, what: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("{what}の番号が正しくありません。"))),
    }
}

/// The form: the vignette's fields and, for a new one, its case.
#[derive(Debug, Clone, Default)]
pub struct VignetteForm {
    pub vignette: VignetteInput,
    pub case_id: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CaseField {
    case_id: String,
}

impl VignetteForm {
    fn read(body: &RawForm) -> Result<Self, AppError> {
        Ok(VignetteForm {
            vignette: body.parse()?,
            case_id: body.parse::<CaseField>()?.case_id,
        })
    }
}

/// The issues to choose from: (id, "#id title", selected).
pub fn issue_opts(issues: &[IssueRef], current: &str) -> Vec<(String, String, bool)> {
    issues
        .iter()
        .map(|i| {
            let id = i.id.to_string();
            let sel = id == current.trim();
            (id, format!("#{} {}", i.id, i.title), sel)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "vignettes.html")]
pub struct ListPage {
    pub nav: Nav,
    pub list: VignetteList,
    pub rows: Vec<(i64, String, String, String, i64)>,
    pub issue: String,
}

impl ListPage {
    fn new(user: &Authed, list: VignetteList, issue: Option<i64>) -> Self {
        let rows = list
            .vignettes
            .iter()
            .map(|v| {
                (
                    v.id,
                    v.title.clone(),
                    v.issue_id.map(|i| format!("#{i}")).unwrap_or_default(),
                    odate(v.released_on),
                    v.case_id,
                )
            })
            .collect();
        ListPage {
            nav: Nav::new(user, "issues"),
            list,
            rows,
            issue: issue.map(|i| format!("#{i}")).unwrap_or_default(),
        }
    }
}

/// What a stored vignette shows beside its form.
pub struct StoredView {
    pub id: i64,
    pub case_id: i64,
    pub released_on: String,
    pub findings: Vec<String>,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "vignette.html")]
pub struct VignettePage {
    pub nav: Nav,
    pub action: String,
    pub stored: Option<StoredView>,
    pub form: EditState<VignetteForm>,
    pub issues: Vec<(String, String, bool)>,
    pub message: String,
    pub may_release: bool,
    pub release_refused: String,
}

impl VignettePage {
    fn new(
        user: &Authed,
        stored: Option<StoredView>,
        form: EditState<VignetteForm>,
        issues: &[IssueRef],
    ) -> Self {
        VignettePage {
            nav: Nav::new(user, "issues"),
            action: match &stored {
                Some(s) => format!("/issues/vignettes/{}", s.id),
                None => "/issues/vignettes".into(),
            },
            issues: issue_opts(issues, &form.input.vignette.issue_id),
            message: String::new(),
            may_release: user.may(RecordKind::IssueRelease, Action::Write),
            release_refused: String::new(),
            stored,
            form,
        }
    }
}

fn stored_view(v: &Vignette) -> StoredView {
    StoredView {
        id: v.id,
        case_id: v.case_id,
        released_on: odate(v.released_on),
        findings: v.findings.iter().map(|f| f.message.clone()).collect(),
        updated: date(v.updated_at.date_naive()),
    }
}

fn stored_form(v: &Vignette) -> VignetteForm {
    VignetteForm {
        vignette: VignetteInput::from_record(&v.record),
        case_id: v.case_id.to_string(),
    }
}

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<FromQuery>,
) -> PageResult {
    let issue = query_id(&q.issue, "地域課題")?;
    let mut tx = st.store.read(user.actor()).await?;
    let found = vignettes::list(&mut tx, issue).await?;
    tx.commit().await?;
    render(&ListPage::new(&user, found, issue))
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<FromQuery>,
) -> PageResult {
    let case_id = query_id(&q.case, "ケース")?.ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    vignettes::check_case(&mut tx, case_id).await?;
    let issues = issue_followups::choices(&mut tx).await?;
    tx.commit().await?;
    let form = VignetteForm {
        vignette: VignetteInput {
            issue_id: q.issue.trim().to_string(),
            ..Default::default()
        },
        case_id: case_id.to_string(),
    };
    render(&VignettePage::new(
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
    let form = VignetteForm::read(&body)?;
    let case_id = query_id(&form.case_id, "ケース")?.ok_or(AppError::NotFound)?;
    let mut tx = st.store.begin(user.actor()).await?;
    // Asked before the form is read: a reader without access gets the 404, not the messages.
    vignettes::check_case(&mut tx, case_id).await?;
    let saved = match form.vignette.validate() {
        Ok(r) => vignettes::add(&mut tx, case_id, &r)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(s) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/issues/vignettes/{}?saved=created",
                s.id
            )))
        }
        Err(e) => {
            tx.rollback().await?;
            let form = EditState::refused(form, "", e, None)?;
            let status = form.status();
            let issues = choices(&st, &user).await?;
            render_status(&VignettePage::new(&user, None, form, &issues), status)
        }
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<(Vignette, Vec<IssueRef>), AppError> {
    let v = vignettes::get(tx, id).await?;
    let issues = issue_followups::choices(tx).await?;
    Ok((v, issues))
}

async fn reload(
    st: &AppState,
    user: &Authed,
    id: i64,
) -> Result<(Vignette, Vec<IssueRef>), AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let out = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let (v, issues) = reload(&st, &user, id).await?;
    let form = EditState::new(stored_form(&v), v.version);
    let mut page = VignettePage::new(&user, Some(stored_view(&v)), form, &issues);
    page.message = match q.saved.as_str() {
        "created" => "個別事例報告を記録しました。",
        "updated" => "個別事例報告を更新しました。",
        "released" => "協議会へ公開しました。",
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
    let form = VignetteForm::read(&body)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let saved = match form.vignette.validate() {
        Ok(r) => vignettes::update(&mut tx, id, version, &r)
            .await
            .map_err(AppError::from),
        Err(e) => {
            // A reader without access gets the 404 before any message about the fields.
            vignettes::get(&mut tx, id).await?;
            Err(e.into())
        }
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/vignettes/{id}?saved=updated")))
        }
        Err(e) => {
            tx.rollback().await?;
            let (v, issues) = reload(&st, &user, id).await?;
            let form = EditState::refused(form, version, e, Some(v.version))?;
            let status = form.status();
            render_status(
                &VignettePage::new(&user, Some(stored_view(&v)), form, &issues),
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
    match vignettes::release(&mut tx, id, version).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/issues/vignettes/{id}?saved=released")))
        }
        Err(e) => {
            tx.rollback().await?;
            let e = AppError::from(e);
            let (v, issues) = reload(&st, &user, id).await?;
            let why = match &e {
                AppError::Invalid(_) => {
                    "公開できません。個人が特定されるおそれのある言葉を直して保存してから、もう一度公開してください。"
                }
                AppError::Conflict => {
                    "この個別事例報告は、画面を開いたあとに更新されています。最新の内容を確かめてから、もう一度公開してください。"
                }
                _ => "",
            };
            let form = EditState::refused(stored_form(&v), v.version, e, Some(v.version))?;
            let status = form.status();
            let mut page = VignettePage::new(&user, Some(stored_view(&v)), form, &issues);
            page.release_refused = why.into();
            render_status(&page, status)
        }
    }
}
