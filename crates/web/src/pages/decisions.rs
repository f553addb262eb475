//! 意思決定支援: started from the case with the question and its lead, written section by
//! section (the same edit screens as the assessment), and read as one record in the order of the
//! guideline — 意思形成 → 意思表明 → 意思実現.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{RawForm, VersionField, parse_version};
use crate::kit::grid::{FieldView, GridView, Submitted};
use crate::pages::assessments::SectionPage;
use crate::pages::decision_form::{self as df, SECTIONS};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::decision::*;
use yorisoi_domain::policy::{Action, Role};
use yorisoi_store::decisions::{self, Decision};
use yorisoi_store::{ClientAccess, StoreError, Tx, cases, today_jst};

#[derive(Template)]
#[template(path = "decision_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub case_title: String,
    pub fields: Vec<FieldView>,
    pub grids: Vec<GridView>,
    pub error_count: usize,
}

/// A meeting as read: its participants under it.
pub struct MeetingView {
    pub m: DsMeeting,
    pub date: String,
    pub participants: Vec<Participant>,
}

pub struct ExperienceView {
    pub e: Experience,
    pub period: String,
    pub observations: Vec<(String, Observation)>,
}

#[derive(Template)]
#[template(path = "decision.html")]
pub struct DecisionPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub editable: bool,
    pub r: DecisionRecord,
    pub lead: String,
    pub started: String,
    /// (label, reached, current) for 意思形成 → 意思表明 → 意思実現.
    pub steps: Vec<(&'static str, bool, bool)>,
    pub meetings: Vec<MeetingView>,
    /// (date, what, method, reaction).
    pub information: Vec<(String, String, &'static str, String)>,
    pub experiences: Vec<ExperienceView>,
    /// Observations outside every experience, with their dates.
    pub other_observations: Vec<(String, Observation)>,
    pub evidence: Vec<(&'static str, String, String)>,
    pub expressed: &'static str,
    pub estimated: bool,
    pub decided: String,
    pub follow_up: String,
    pub follow_up_due: bool,
    pub sections: &'static [(&'static str, &'static str)],
    pub message: String,
}

/// Staff who may lead: active staff who work with clients, and the current lead whatever now.
async fn leads(tx: &Tx, current: Option<i64>) -> Result<Vec<(i64, String)>, AppError> {
    Ok(yorisoi_store::users::list(tx)
        .await?
        .into_iter()
        .filter(|u| {
            Some(u.id) == current || (u.active && Role::from_code(&u.role) != Some(Role::Clerk))
        })
        .map(|u| (u.id, u.display_name))
        .collect())
}

async fn case_names(
    tx: &mut Tx,
    acc: &ClientAccess,
    case_id: i64,
) -> Result<(String, String), AppError> {
    let name = super::cases::client_name(tx, acc.client_id).await?;
    let cacc = tx
        .client_access(
            acc.client_id,
            yorisoi_domain::policy::RecordKind::Case,
            Action::Read,
        )
        .await?;
    let (c, _) = cases::get(tx, &cacc, case_id).await?;
    if !c.stage.is_open() {
        return Err(AppError::Rule(
            "終結したケースには記録を追加できません。".into(),
        ));
    }
    Ok((name, c.title))
}

fn start_page(
    user: &Authed,
    case_id: i64,
    names: (String, String),
    input: &DecisionInput,
    staff: &[(i64, String)],
    errors: &FieldErrors,
) -> StartPage {
    let (fields, grids) = df::view("question", input, staff, errors);
    StartPage {
        nav: Nav::new(user, "clients"),
        case_id,
        client_name: names.0,
        case_title: names.1,
        fields,
        grids,
        error_count: errors.0.len(),
    }
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, case_id, Action::Write).await?;
    let names = case_names(&mut tx, &acc, case_id).await?;
    let staff = leads(&tx, None).await?;
    tx.commit().await?;
    let input = DecisionInput::start("", user.actor().user_id, today_jst());
    render(&start_page(
        &user,
        case_id,
        names,
        &input,
        &staff,
        &FieldErrors::new(),
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let submitted = Submitted::new(body.parse::<Vec<(String, String)>>()?);
    let mut input = DecisionInput::default();
    df::apply("question", &submitted, &mut input);
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = decisions::access_case(&mut tx, case_id, Action::Write).await?;
    let names = case_names(&mut tx, &acc, case_id).await?;
    let staff = leads(&tx, None).await?;
    let ids: Vec<i64> = staff.iter().map(|s| s.0).collect();
    let r = match input.validate(today_jst(), &ids) {
        Ok(r) => r,
        Err(e) => {
            tx.rollback().await?;
            return render_status(
                &start_page(&user, case_id, names, &input, &staff, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let id = decisions::create(&mut tx, &acc, case_id, &r).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/decisions/{id}?saved=created")))
}

fn read_page(
    user: &Authed,
    d: &Decision,
    client_name: String,
    editable: bool,
    staff: &HashMap<i64, String>,
    message: &str,
) -> DecisionPage {
    let r = &d.record;
    let today = today_jst();
    let reached = DecisionStep::ALL
        .iter()
        .position(|s| *s == r.step)
        .unwrap_or(0);
    let experiences: Vec<ExperienceView> = r
        .experiences
        .iter()
        .map(|e| ExperienceView {
            e: e.clone(),
            period: match e.until {
                Some(u) => format!("{}〜{}", date(e.from), date(u)),
                None => format!("{}〜", date(e.from)),
            },
            observations: r
                .observations_of(e)
                .into_iter()
                .map(|o| (date(o.on), o.clone()))
                .collect(),
        })
        .collect();
    let other_observations = r
        .observations
        .iter()
        .filter(|o| {
            !r.experiences
                .iter()
                .any(|e| o.on >= e.from && e.until.is_none_or(|u| o.on <= u))
        })
        .map(|o| (date(o.on), o.clone()))
        .collect();
    DecisionPage {
        nav: Nav::new(user, "clients"),
        id: d.id,
        case_id: d.case_id,
        client_id: d.client_id,
        client_name,
        editable,
        lead: staff
            .get(&r.lead_user_id)
            .cloned()
            .unwrap_or_else(|| "（不明な職員）".into()),
        started: date(r.started_on),
        steps: DecisionStep::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label(), i <= reached, i == reached))
            .collect(),
        meetings: r
            .meetings
            .iter()
            .map(|m| MeetingView {
                m: m.clone(),
                date: date(m.held_on),
                participants: r.participants_of(m.held_on).into_iter().cloned().collect(),
            })
            .collect(),
        information: r
            .information
            .iter()
            .map(|i| {
                (
                    odate(i.on),
                    i.what.clone(),
                    i.method.label(),
                    i.reaction.clone(),
                )
            })
            .collect(),
        experiences,
        other_observations,
        evidence: r
            .evidence
            .iter()
            .map(|e| (e.kind.label(), e.text.clone(), e.source.clone()))
            .collect(),
        expressed: r
            .expressed
            .map(|x| x.label())
            .unwrap_or("まだ（意思形成の段階）"),
        estimated: matches!(r.expressed, Some(Expressed::No | Expressed::Partly)),
        decided: odate(r.decided_on),
        follow_up: odate(r.follow_up_on),
        follow_up_due: r.follow_up_due(today),
        sections: SECTIONS,
        message: message.into(),
        r: r.clone(),
    }
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Read).await?;
    let d = decisions::get(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let open = cases::is_open(&tx, d.case_id).await?;
    let staff = super::staff_names(&tx).await?;
    tx.commit().await?;
    let message = match q.saved.as_str() {
        "created" => {
            "意思決定支援の記録を始めました。会議、情報提供、体験の順に書き足していけます。"
        }
        "" => "",
        _ => "保存しました。",
    };
    render(&read_page(&user, &d, name, open, &staff, message))
}

fn section_or_404(section: &str) -> Result<&'static str, AppError> {
    df::section_label(section).ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
fn section_page(
    user: &Authed,
    d: &Decision,
    client_name: String,
    section: &str,
    label: &str,
    input: &DecisionInput,
    staff: &[(i64, String)],
    errors: &FieldErrors,
    version: i32,
    conflict: bool,
    saved: String,
) -> SectionPage {
    let (fields, grids) = df::view(section, input, staff, errors);
    let pos = SECTIONS.iter().position(|(c, _)| *c == section);
    let next = pos.and_then(|p| SECTIONS.get(p + 1));
    let mut context = vec![("決めること".to_string(), d.record.question.clone())];
    if section == "will" && !d.record.observations.is_empty() {
        context.push((
            "日々の様子".into(),
            d.record
                .observations
                .iter()
                .map(|o| format!("{} {}", date(o.on), o.text))
                .collect::<Vec<_>>()
                .join(" ／ "),
        ));
    }
    SectionPage {
        nav: Nav::new(user, "clients"),
        doc: "意思決定支援",
        base: format!("/decisions/{}", d.id),
        back_label: "記録",
        version_no: 0,
        client_name,
        section: section.into(),
        section_label: label.into(),
        sections: SECTIONS,
        fields,
        grids,
        context,
        drawings: Vec::new(),
        version: version.to_string(),
        conflict,
        error_count: errors.0.len(),
        saved,
        next: next.map(|(c, _)| c.to_string()).unwrap_or_default(),
        next_label: next.map(|(_, l)| l.to_string()).unwrap_or_default(),
    }
}

async fn editable(tx: &mut Tx, acc: &ClientAccess, id: i64) -> Result<Decision, AppError> {
    let d = decisions::get(tx, acc, id).await?;
    if !cases::is_open(tx, d.case_id).await? {
        return Err(AppError::Rule(
            "終結したケースの記録は変更できません。".into(),
        ));
    }
    Ok(d)
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    let label = section_or_404(&section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = decisions::access(&mut tx, id, Action::Write).await?;
    let d = editable(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let staff = leads(&tx, Some(d.record.lead_user_id)).await?;
    tx.commit().await?;
    let input = DecisionInput::from_record(&d.record);
    let saved = if q.saved.is_empty() {
        String::new()
    } else {
        "保存しました。".into()
    };
    render(&section_page(
        &user,
        &d,
        name,
        &section,
        label,
        &input,
        &staff,
        &FieldErrors::new(),
        d.version,
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
    let acc = decisions::access(&mut tx, id, Action::Write).await?;
    let d = editable(&mut tx, &acc, id).await?;
    let name = super::cases::client_name(&mut tx, acc.client_id).await?;
    let staff = leads(&tx, Some(d.record.lead_user_id)).await?;
    let ids: Vec<i64> = staff.iter().map(|s| s.0).collect();
    let mut input = DecisionInput::from_record(&d.record);
    df::apply(&section, &submitted, &mut input);
    let record = match input.validate(today_jst(), &ids) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            let page = section_page(
                &user,
                &d,
                name,
                &section,
                label,
                &input,
                &staff,
                &errors,
                version,
                false,
                String::new(),
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match decisions::update(&mut tx, &acc, id, version, &record).await {
        Ok(_) => {
            tx.commit().await?;
            let to = match (then.as_str(), df::section_label(&then)) {
                ("record", _) => format!("/decisions/{id}?saved=1"),
                (_, Some(_)) => format!("/decisions/{id}/edit/{then}?saved=1"),
                _ => format!("/decisions/{id}/edit/{section}?saved=1"),
            };
            Ok(see_other(&to))
        }
        Err(StoreError::Conflict) => {
            // Keep what the user typed, over the newer version; saving again overwrites.
            let current = decisions::get(&mut tx, &acc, id).await?;
            tx.commit().await?;
            let page = section_page(
                &user,
                &current,
                name,
                &section,
                label,
                &input,
                &staff,
                &FieldErrors::new(),
                current.version,
                true,
                String::new(),
            );
            render_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/decisions/new", get(new_form))
        .route("/cases/{id}/decisions", post(create))
        .route("/decisions/{id}", get(show))
        .route("/decisions/{id}/edit/{section}", get(edit_form).post(save))
}
