//! アセスメント: start (or re-assess) from a case, edit section by section, the one-page sheet
//! with its drawings, the drawings as files, and the diff between two versions.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{Form, RawForm, VersionField, parse_version};
use crate::kit::grid::ResourceOption;
use crate::pages::assessment_form::{self as af, FieldView, GridView, SECTIONS, Submitted};
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use std::sync::Arc;
// One drawing code for the screen and the PDF.
use yorisoi_documents::docs::assessment::DRAWINGS;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::assessment::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{ClientAccess, StoreError, Tx, assessments, cases, today_jst};

#[derive(Template)]
#[template(path = "assessment_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub title: String,
    pub case_id: i64,
    pub case_title: String,
    pub previous: String,
    pub form: StartInput,
    pub methods: Vec<Opt>,
    pub errors: FieldErrors,
    pub rule: String,
}

#[derive(Template)]
#[template(path = "section_edit.html")]
pub struct SectionPage {
    pub nav: Nav,
    /// 「アセスメント」「サービス等利用計画」
    pub doc: &'static str,
    /// The document's page; sections are under `{base}/edit/`.
    pub base: String,
    pub back_label: &'static str,
    pub version_no: i32,
    pub client_name: String,
    pub section: String,
    pub section_label: String,
    pub sections: &'static [(&'static str, &'static str)],
    pub fields: Vec<FieldView>,
    pub grids: Vec<GridView>,
    pub context: Vec<(String, String)>,
    pub drawings: Vec<String>,
    pub version: String,
    pub conflict: bool,
    pub error_count: usize,
    pub saved: String,
    pub next: String,
    pub next_label: String,
}

/// (group, [(item, level, note)]) for the sheet's 能力.
pub type AbilityGroup = (&'static str, Vec<(&'static str, &'static str, String)>);

#[derive(Template)]
#[template(path = "assessment_sheet.html")]
pub struct SheetPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub version_no: i32,
    pub latest: bool,
    pub can_edit: bool,
    pub client_name: String,
    pub title: String,
    pub assessed: String,
    pub method: &'static str,
    pub present: String,
    pub message: &'static str,
    pub versions: Vec<(i64, String, bool)>,
    pub basic: Vec<(&'static str, String)>,
    pub wish_person: String,
    pub wish_family: String,
    pub appearance: String,
    pub living: String,
    pub genogram: Arc<str>,
    pub ecomap: Arc<str>,
    /// Ties that are entries of the office's directory: (resource id, name on the map).
    pub eco_links: Vec<(i64, String)>,
    pub timeline: Arc<str>,
    pub day: Arc<str>,
    pub week: Arc<str>,
    pub abilities: Vec<AbilityGroup>,
    pub hobbies: String,
    pub special_skills: String,
    pub prescriptions: Vec<(String, String, String)>,
    pub clinics: Vec<(String, String, String)>,
    pub medical_note: String,
    pub strengths: Vec<(&'static str, String)>,
    pub demands: Vec<(&'static str, String)>,
    pub needs: Vec<(String, String, String, String)>,
    pub judgement: String,
}

#[derive(Template)]
#[template(path = "assessment_diff.html")]
pub struct DiffPage {
    pub nav: Nav,
    pub id: i64,
    pub version_no: i32,
    pub client_name: String,
    pub others: Vec<(String, String, bool)>,
    pub older_label: String,
    pub newer_label: String,
    pub changes: Vec<SectionDiff>,
}

fn version_label(s: &assessments::Summary) -> String {
    format!("第{}版（{}）", s.version_no, date(s.assessed_on))
}

async fn start_page(
    tx: &mut Tx,
    user: &Authed,
    case_id: i64,
    acc: &ClientAccess,
    form: StartInput,
    errors: FieldErrors,
    rule: String,
) -> Result<StartPage, AppError> {
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(tx, &case_acc, case_id).await?;
    let versions = assessments::list(tx, acc, case_id).await?;
    Ok(StartPage {
        nav: Nav::new(user, "clients"),
        title: if versions.is_empty() {
            "アセスメントを始める".into()
        } else {
            "再アセスメントを始める".into()
        },
        case_id,
        case_title: if c.title.is_empty() {
            "ケース".into()
        } else {
            c.title
        },
        previous: versions.first().map(version_label).unwrap_or_default(),
        methods: opts(
            AssessmentMethod::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.method,
        ),
        form,
        errors,
        rule,
    })
}

pub async fn new_form(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, case_id, Action::Write).await?;
    let form = StartInput {
        assessed_on: today_jst().to_string(),
        method: AssessmentMethod::HomeVisit.code().into(),
        present: String::new(),
    };
    let page = start_page(
        &mut tx,
        &user,
        case_id,
        &acc,
        form,
        FieldErrors::new(),
        String::new(),
    )
    .await?;
    tx.commit().await?;
    render(&page)
}

pub async fn start(
    State(st): State<AppState>,
    user: Authed,
    Path(case_id): Path<i64>,
    Form(form): Form<StartInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = assessments::access_for_case(&mut tx, case_id, Action::Write).await?;
    let (errors, rule) = match form.validate(today_jst()) {
        Ok((on, method, present)) => {
            match assessments::start(&mut tx, &acc, case_id, on, method, present).await {
                Ok(id) => {
                    tx.commit().await?;
                    return Ok(see_other(&format!("/assessments/{id}?saved=started")));
                }
                Err(StoreError::Rule(m)) => (FieldErrors::new(), m),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => (e, String::new()),
    };
    let page = start_page(&mut tx, &user, case_id, &acc, form, errors, rule).await?;
    tx.commit().await?;
    render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

use crate::drawings::drawn;

pub async fn sheet(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    let versions = assessments::list(&mut tx, &acc, a.case_id).await?;
    let case_acc = tx
        .client_access(acc.client_id, RecordKind::Case, Action::Read)
        .await?;
    let (c, _) = cases::get(&mut tx, &case_acc, a.case_id).await?;
    let may_write = tx
        .client_access(acc.client_id, RecordKind::Assessment, Action::Write)
        .await
        .is_ok();
    tx.commit().await?;
    let r = &a.record;
    let b = &r.basic;
    let mut abilities: Vec<AbilityGroup> = Vec::new();
    for item in AbilityItem::ALL {
        if let Some(x) = r.ability(*item) {
            let row = (
                item.label(),
                x.level.map(|l| l.label()).unwrap_or("—"),
                x.note.clone(),
            );
            match abilities.iter_mut().find(|(g, _)| *g == item.group()) {
                Some((_, v)) => v.push(row),
                None => abilities.push((item.group(), vec![row])),
            }
        }
    }
    let message = match q.saved.as_str() {
        "started" => "アセスメントを始めました。「編集する」から項目ごとに入力できます。",
        "saved" => "保存しました。",
        _ => "",
    };
    render(&SheetPage {
        nav: Nav::new(&user, "clients"),
        id,
        case_id: a.case_id,
        version_no: a.version_no,
        latest: a.latest,
        can_edit: a.latest && c.stage.is_open() && may_write,
        client_name: b.name.clone(),
        title: r.title.clone(),
        assessed: date(r.assessed_on),
        method: r.method.label(),
        present: r.present.clone(),
        message,
        versions: versions
            .iter()
            .map(|s| (s.id, version_label(s), s.id == id))
            .collect(),
        basic: vec![
            ("氏名", format!("{}（{}）", b.name, b.kana)),
            (
                "生年月日",
                b.birth_date
                    .map(|d| {
                        format!(
                            "{}（{}歳）",
                            date(d),
                            yorisoi_domain::date::age_on(d, r.assessed_on)
                        )
                    })
                    .unwrap_or_default(),
            ),
            ("性別", b.sex.clone()),
            ("住所", b.address.clone()),
            ("障害", b.disabilities.clone()),
            ("診断名", b.diagnosis.clone()),
            ("障害支援区分", b.support_category.clone()),
            ("手帳", b.books.clone()),
            ("収入", b.income.clone()),
            ("後見・保護者", b.guardian.clone()),
            ("キーパーソン", b.key_person.clone()),
            ("主治医", b.doctor.clone()),
        ],
        wish_person: r.wish_person.clone(),
        wish_family: r.wish_family.clone(),
        appearance: r.appearance.clone(),
        living: r.living.clone(),
        genogram: st.drawings.get(&a, "genogram"),
        ecomap: st.drawings.get(&a, "ecomap"),
        eco_links: r
            .ecomap
            .iter()
            .filter_map(|t| t.resource_id.map(|id| (id, t.name.clone())))
            .collect(),
        timeline: st.drawings.get(&a, "timeline"),
        day: st.drawings.get(&a, "day"),
        week: st.drawings.get(&a, "week"),
        abilities,
        hobbies: r.hobbies.clone(),
        special_skills: r.special_skills.clone(),
        prescriptions: r
            .prescriptions
            .iter()
            .map(|p| (p.drug.clone(), p.dose.clone(), p.timing.clone()))
            .collect(),
        clinics: r
            .clinics
            .iter()
            .map(|c| (c.name.clone(), c.department.clone(), c.frequency.clone()))
            .collect(),
        medical_note: r.medical_note.clone(),
        strengths: StrengthKind::ALL
            .iter()
            .map(|k| (k.label(), r.strength(*k).to_string()))
            .collect(),
        demands: r
            .demands
            .iter()
            .map(|d| (d.speaker.label(), d.words.clone()))
            .collect(),
        needs: r
            .needs
            .iter()
            .map(|n| {
                (
                    n.text.clone(),
                    n.source.map(|s| r.source_label(s)).unwrap_or_default(),
                    n.grounds.clone(),
                    n.reframing.clone(),
                )
            })
            .collect(),
        judgement: r.judgement.clone(),
    })
}

fn section_or_404(section: &str) -> Result<&'static str, AppError> {
    af::section_label(section).ok_or(AppError::NotFound)
}

/// Context shown above a section: what the specialist should have in mind while writing it.
fn context(section: &str, r: &AssessmentRecord) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if matches!(section, "strengths" | "needs") && !r.wish_person.is_empty() {
        v.push(("本人の希望".into(), format!("「{}」", r.wish_person)));
    }
    if section == "needs" {
        let s: Vec<String> = r
            .strengths
            .iter()
            .map(|s| format!("{}: {}", s.kind.label(), s.text))
            .collect();
        v.push((
            "ストレングス".into(),
            if s.is_empty() {
                "まだ書かれていません。先にストレングスを書きましょう。".into()
            } else {
                s.join(" ／ ")
            },
        ));
    }
    v
}

fn drawings(section: &str, r: &AssessmentRecord) -> Vec<String> {
    let kinds: &[&str] = match section {
        "family" => &["genogram"],
        "ecomap" => &["ecomap"],
        "history" => &["timeline"],
        "daily" => &["day", "week"],
        _ => &[],
    };
    kinds.iter().map(|k| drawn(k, r)).collect()
}

#[allow(clippy::too_many_arguments)]
fn section_page(
    user: &Authed,
    a: &assessments::Assessment,
    section: &str,
    label: &str,
    input: &AssessmentInput,
    errors: &FieldErrors,
    version: i32,
    conflict: bool,
    saved: String,
    resources: &[ResourceOption],
) -> SectionPage {
    let (fields, grids) = af::view(section, input, resources, errors);
    let pos = SECTIONS.iter().position(|(c, _)| *c == section);
    let next = pos.and_then(|p| SECTIONS.get(p + 1));
    SectionPage {
        nav: Nav::new(user, "clients"),
        doc: "アセスメント",
        base: format!("/assessments/{}", a.id),
        back_label: "シート",
        version_no: a.version_no,
        client_name: a.record.basic.name.clone(),
        section: section.into(),
        section_label: label.into(),
        sections: SECTIONS,
        fields,
        grids,
        context: context(section, &a.record),
        drawings: drawings(section, &a.record),
        version: version.to_string(),
        conflict,
        error_count: errors.0.len(),
        saved,
        next: next.map(|(c, _)| c.to_string()).unwrap_or_default(),
        next_label: next.map(|(_, l)| l.to_string()).unwrap_or_default(),
    }
}

/// The assessment if it can be edited now: the latest version of an open case.
async fn editable(
    tx: &mut Tx,
    acc: &ClientAccess,
    id: i64,
) -> Result<assessments::Assessment, AppError> {
    let a = assessments::get(tx, acc, id).await?;
    if !a.latest {
        return Err(AppError::Rule(
            "過去の版は変更できません。最新の版を開いて編集してください。".into(),
        ));
    }
    Ok(a)
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path((id, section)): Path<(i64, String)>,
    Query(q): Query<Saved>,
) -> PageResult {
    let label = section_or_404(&section)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let a = editable(&mut tx, &acc, id).await?;
    let res = directory(&mut tx, &section).await?;
    tx.commit().await?;
    let input = AssessmentInput::from_record(&a.record);
    let saved = if q.saved.is_empty() {
        String::new()
    } else {
        "保存しました。".into()
    };
    render(&section_page(
        &user,
        &a,
        &section,
        label,
        &input,
        &FieldErrors::new(),
        a.version,
        false,
        saved,
        &res,
    ))
}

/// The office's directory, read only for the section that links to it.
async fn directory(tx: &mut Tx, section: &str) -> Result<Vec<ResourceOption>, AppError> {
    if section == "ecomap" {
        super::resources::options(tx).await
    } else {
        Ok(Vec::new())
    }
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
    let acc = assessments::access(&mut tx, id, Action::Write).await?;
    let a = editable(&mut tx, &acc, id).await?;
    let res = directory(&mut tx, &section).await?;
    let mut input = AssessmentInput::from_record(&a.record);
    af::apply(&section, &submitted, &mut input);
    af::fill_from_directory(&mut input, &res);
    let record = match input.validate(today_jst(), a.record.basic.clone()) {
        Ok(r) => r,
        Err(errors) => {
            tx.commit().await?;
            let page = section_page(
                &user,
                &a,
                &section,
                label,
                &input,
                &errors,
                version,
                false,
                String::new(),
                &res,
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match assessments::update(&mut tx, &acc, id, version, &record).await {
        Ok(_) => {
            tx.commit().await?;
            let to = match af::section_label(&then) {
                Some(_) => format!("/assessments/{id}/edit/{then}?saved=1"),
                None => format!("/assessments/{id}/edit/{section}?saved=1"),
            };
            Ok(see_other(&to))
        }
        Err(StoreError::Conflict) => {
            // Keep what the user typed, shown over the newer version; saving again overwrites.
            let current = assessments::get(&mut tx, &acc, id).await?;
            tx.commit().await?;
            let page = section_page(
                &user,
                &current,
                &section,
                label,
                &input,
                &FieldErrors::new(),
                current.version,
                true,
                String::new(),
                &res,
            );
            render_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DiffQuery {
    pub with: String,
}

pub async fn diff(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    let versions = assessments::list(&mut tx, &acc, a.case_id).await?;
    let others: Vec<&assessments::Summary> = versions.iter().filter(|s| s.id != id).collect();
    // Default: the version just before this one (or the one after, for the first).
    let with_id = match q.with.trim() {
        "" => others
            .iter()
            .find(|s| s.version_no < a.version_no)
            .or(others.first())
            .map(|s| s.id),
        w => Some(w.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let mut page = DiffPage {
        nav: Nav::new(&user, "clients"),
        id,
        version_no: a.version_no,
        client_name: a.record.basic.name.clone(),
        others: others
            .iter()
            .map(|s| (s.id.to_string(), version_label(s), Some(s.id) == with_id))
            .collect(),
        older_label: String::new(),
        newer_label: String::new(),
        changes: Vec::new(),
    };
    if let Some(w) = with_id {
        if !versions.iter().any(|s| s.id == w) {
            return Err(AppError::NotFound);
        }
        let b = assessments::get(&mut tx, &acc, w).await?;
        let (old, new) = if b.version_no < a.version_no {
            (&b, &a)
        } else {
            (&a, &b)
        };
        page.older_label = format!("第{}版（{}）", old.version_no, date(old.record.assessed_on));
        page.newer_label = format!("第{}版（{}）", new.version_no, date(new.record.assessed_on));
        page.changes = yorisoi_domain::assessment::diff(&old.record, &new.record);
    }
    tx.commit().await?;
    render(&page)
}

/// A drawing as an SVG file (to save or to paste into another document).
pub async fn drawing(
    State(st): State<AppState>,
    user: Authed,
    Path((id, file)): Path<(i64, String)>,
) -> Result<axum::response::Response, AppError> {
    let name = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let kind = DRAWINGS
        .iter()
        .copied()
        .find(|k| *k == name)
        .ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = assessments::access(&mut tx, id, Action::Read).await?;
    let a = assessments::get(&mut tx, &acc, id).await?;
    tx.commit().await?;
    let svg = st.drawings.get(&a, kind).to_string();
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/assessments", post(start))
        .route("/cases/{id}/assessments/new", get(new_form))
        .route("/assessments/{id}", get(sheet))
        .route("/assessments/{id}/diff", get(diff))
        .route(
            "/assessments/{id}/edit/{section}",
            get(edit_form).post(save),
        )
        .route("/assessments/{id}/drawing/{file}", get(drawing))
}
