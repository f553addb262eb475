//! 地域課題の報告 (the council paper): an office's released 地域課題 with the people behind each,
//! the 個別事例報告 it released, and its figures of a period under the 10-people rule — as a
//! page to check, a PDF for the 部会 or the 協議会, and a CSV. Only what a lead released leaves
//! the office; every download is audited.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::csv_export::{encode, parse_enc, response};
use crate::kit::display::{calendar, date};
use crate::kit::figures::{FiguresView, IssueLine, csv_rows};
use crate::kit::form::EditState;
use crate::kit::render::{Nav, render_status};
use askama::Template;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::council::{
    CouncilDoc, CouncilIssueDoc, PeopleDoc, PeopleRowDoc, StatDoc, VignetteDoc,
};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::PeriodInput;
use yorisoi_store::{Tx, offices, region, today_jst};

/// The paper's choices as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct PaperForm {
    pub from: String,
    pub to: String,
    /// 提出先（例: N市自立支援協議会 相談支援部会）.
    pub audience: String,
    pub encoding: String,
}

impl PaperForm {
    fn audience(&self) -> String {
        let a: String = yorisoi_domain::text::clean_text(&self.audience)
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect();
        if a.is_empty() {
            "自立支援協議会".into()
        } else {
            a
        }
    }
    fn query(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("audience", &self.audience),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        s.finish()
    }
}

/// What the paper holds, read once for the page, the PDF and the CSV.
struct Paper {
    from: NaiveDate,
    to: NaiveDate,
    office: String,
    figures: FiguresView,
    issues: Vec<IssueLine>,
    vignettes: Vec<VignetteDoc>,
}

async fn read(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> Result<Paper, AppError> {
    tx.office_access(RecordKind::RegionalIssue, Action::Read)?;
    let figures = region::office_figures(tx, from, to).await?;
    let issues = region::office_released(tx, to).await?;
    let vignettes = released_vignettes(tx, from, to, &issues).await?;
    Ok(Paper {
        from,
        to,
        office: offices::name(tx).await?,
        figures: FiguresView::new(&figures),
        issues: issues.iter().map(IssueLine::new).collect(),
        vignettes,
    })
}

/// The 個別事例報告 released in the period, each with the title of the issue it illustrates.
async fn released_vignettes(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
    issues: &[region::RegionIssue],
) -> Result<Vec<VignetteDoc>, AppError> {
    let list = yorisoi_store::vignettes::released(tx, from, to).await?;
    Ok(list
        .into_iter()
        .map(|v| VignetteDoc {
            issue: v
                .issue_id
                .and_then(|id| issues.iter().find(|i| i.id == id))
                .map(|i| i.title.clone())
                .unwrap_or_default(),
            title: v.title,
            body: v.body,
            released_on: date(v.released_on),
        })
        .collect())
}

fn period(f: &PaperForm) -> Result<(NaiveDate, NaiveDate), yorisoi_domain::FieldErrors> {
    PeriodInput {
        from: f.from.clone(),
        to: f.to.clone(),
    }
    .validate(today_jst())
}

#[derive(Template)]
#[template(path = "issue_paper.html")]
pub struct PaperPage {
    pub nav: Nav,
    pub form: EditState<PaperForm>,
    pub audience: String,
    pub query: String,
    pub fig: FiguresView,
    pub issues: Vec<IssueLine>,
    pub vignettes: Vec<VignetteDoc>,
}

pub async fn page(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<PaperForm>,
) -> PageResult {
    let (range, form) = match period(&f) {
        Ok(r) => (r, EditState::new(f, "")),
        Err(e) => {
            let r = period(&PaperForm::default()).map_err(AppError::Invalid)?;
            (r, EditState::rejected(f, "", e))
        }
    };
    let mut tx = st.store.read(user.actor()).await?;
    let p = read(&mut tx, range.0, range.1).await?;
    tx.commit().await?;
    let status = form.status();
    let page = PaperPage {
        nav: Nav::new(&user, "issues"),
        audience: form.input.audience(),
        query: form.input.query(),
        fig: p.figures,
        issues: p.issues,
        vignettes: p.vignettes,
        form,
    };
    render_status(&page, status)
}

fn doc_of(p: &Paper, audience: String) -> CouncilDoc {
    let ds = calendar();
    let t = &p.figures.people;
    CouncilDoc {
        common: yorisoi_documents::docs::Common {
            title: DocKind::Council.label().into(),
            office: p.office.clone(),
            printed_on: ds.date(today_jst()),
            ..Default::default()
        },
        audience,
        period: p.figures.period.clone(),
        issues: p
            .issues
            .iter()
            .map(|i| CouncilIssueDoc {
                category: i.category.clone(),
                title: i.title.clone(),
                need: i.need.clone(),
                resource: i.resource.clone(),
                status: i.status.clone(),
                people: i.people.clone(),
                raised_on: i.raised_on.clone(),
                area: i.area.clone(),
            })
            .collect(),
        vignettes: p.vignettes.clone(),
        people: PeopleDoc {
            cols: t.cols.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| PeopleRowDoc {
                    label: r.label.clone(),
                    cells: r.cells.clone(),
                    total: r.total.clone(),
                })
                .collect(),
            col_totals: t.col_totals.clone(),
            total: t.total.clone(),
            withheld: t.withheld.clone(),
            legend: t.legend.clone(),
        },
        stats: p
            .figures
            .stats
            .iter()
            .map(|s| StatDoc {
                label: s.label.clone(),
                value: s.value.clone(),
            })
            .collect(),
        categories: p.figures.categories.clone(),
        empty: p.figures.empty,
    }
}

/// The paper as a PDF in the office's chosen template (標準 unless 帳票の設定 says otherwise).
pub async fn pdf(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<PaperForm>,
) -> PageResult {
    let (from, to) = period(&f).map_err(AppError::Invalid)?;
    let mut tx = st.store.read(user.actor()).await?;
    let p = read(&mut tx, from, to).await?;
    let settings = offices::doc_settings(&tx).await?;
    let doc = doc_of(&p, f.audience());
    let bytes = crate::kit::print::render_with(
        &st,
        settings.template(DocKind::Council.code()),
        DocKind::Council,
        vec![crate::kit::print::to_value(&doc)?],
    )
    .await?;
    tx.record(
        "print",
        RecordKind::RegionalIssue,
        None,
        None,
        format!(
            "地域課題の報告 PDF {}..{} 課題{}件 事例{}件 提出先={}",
            p.from,
            p.to,
            p.issues.len(),
            p.vignettes.len(),
            doc.audience
        ),
    );
    tx.commit().await?;
    Ok(crate::kit::print::pdf_response(
        bytes,
        &format!("地域課題の報告_{}_{}.pdf", p.from, p.to),
    ))
}

/// The paper's figures and issues as CSV (UTF-8 with a BOM unless asked).
pub async fn csv(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<PaperForm>,
) -> PageResult {
    let enc = parse_enc(&f.encoding)?;
    let (from, to) = period(&f).map_err(AppError::Invalid)?;
    let mut tx = st.store.read(user.actor()).await?;
    let p = read(&mut tx, from, to).await?;
    let mut rows = csv_rows(
        &format!(
            "{}　{}（提出先: {}）",
            DocKind::Council.label(),
            p.office,
            f.audience()
        ),
        &p.figures,
        &p.issues,
    );
    if !p.vignettes.is_empty() {
        rows.push(vec![]);
        rows.push(vec![
            "個別事例報告".into(),
            "関係する地域課題".into(),
            "本文".into(),
            "公開日".into(),
        ]);
        for v in &p.vignettes {
            rows.push(vec![
                v.title.clone(),
                v.issue.clone(),
                v.body.clone(),
                v.released_on.clone(),
            ]);
        }
    }
    let bytes = encode(&rows, enc)?;
    tx.record(
        "export",
        RecordKind::RegionalIssue,
        None,
        None,
        format!(
            "地域課題の報告 CSV {}..{} 課題{}件",
            p.from,
            p.to,
            p.issues.len()
        ),
    );
    tx.commit().await?;
    Ok(response(
        bytes,
        enc,
        &format!("地域課題の報告_{}_{}.csv", p.from, p.to),
    ))
}
