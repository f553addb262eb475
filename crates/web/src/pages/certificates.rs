//! 受給者証: add a new version (pre-filled from the last, 前回コピー), and the history.

use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::form::Form;
use crate::pages::see_other;
use crate::views::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::certificate::*;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::certificates::{self, Certificate};
use yorisoi_store::clients;

pub fn cert_view(c: &Certificate) -> CertView {
    let r = &c.record;
    CertView {
        version_no: c.version_no,
        kind: r.kind.label(),
        number: r.number.as_str().to_string(),
        municipality: r.municipality.clone(),
        issued: date(r.issued_on),
        decision: format!("{} 〜 {}", date(r.decision_from), date(r.decision_until)),
        services: r
            .services
            .iter()
            .map(|s| (s.service.clone(), s.amount.clone()))
            .collect(),
        cost_cap: format!("{}円", r.cost_cap_yen),
        plan_support: match (r.plan_support_from, r.plan_support_until) {
            (None, None) => String::new(),
            (f, u) => format!("{} 〜 {}", odate(f), odate(u)),
        },
        monitoring_period: r
            .monitoring_period
            .map(|p| p.label().to_string())
            .unwrap_or_default(),
        monitoring_months: r
            .monitoring_months
            .iter()
            .map(|m| m.label())
            .collect::<Vec<_>>()
            .join("、"),
        note: r.note.clone(),
        created: date((c.created_at + chrono::Duration::hours(9)).date_naive()),
    }
}

/// The form as it would be typed, from a stored certificate (for 前回コピー).
fn input_from(r: &CertificateRecord) -> CertificateInput {
    let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    CertificateInput {
        kind: r.kind.code().into(),
        number: r.number.as_str().into(),
        municipality: r.municipality.clone(),
        issued_on: r.issued_on.to_string(),
        decision_from: r.decision_from.to_string(),
        decision_until: r.decision_until.to_string(),
        services: r
            .services
            .iter()
            .map(|s| format!("{}：{}", s.service, s.amount))
            .collect::<Vec<_>>()
            .join("\n"),
        cost_cap_yen: r.cost_cap_yen.to_string(),
        plan_support_from: d(r.plan_support_from),
        plan_support_until: d(r.plan_support_until),
        monitoring_period: r
            .monitoring_period
            .map(|p| p.code().to_string())
            .unwrap_or_default(),
        monitoring_months: r
            .monitoring_months
            .iter()
            .map(|m| m.code())
            .collect::<Vec<_>>()
            .join(", "),
        note: r.note.clone(),
    }
}

fn page(
    user: &Authed,
    client_id: i64,
    client_name: String,
    form: CertificateInput,
    errors: FieldErrors,
    copied_from: Option<i32>,
) -> CertificateFormPage {
    CertificateFormPage {
        nav: Nav::new(user, "clients"),
        client_id,
        client_name,
        kinds: opts(
            CertificateKind::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.kind,
        ),
        periods: opts(
            MonitoringPeriod::ALL,
            |k| k.code(),
            |k| k.label(),
            &form.monitoring_period,
        ),
        form,
        errors,
        copied_from,
    }
}

pub async fn new_form(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(&mut tx, &ledger).await?;
    let certs = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    let (form, copied) = match certs.first() {
        Some(last) => (input_from(&last.record), Some(last.version_no)),
        None => (
            CertificateInput {
                kind: "welfare".into(),
                ..Default::default()
            },
            None,
        ),
    };
    render(&page(
        &user,
        id,
        c.record.full_name(),
        form,
        FieldErrors::new(),
        copied,
    ))
}

pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(form): Form<CertificateInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    match form.validate() {
        Ok(r) => {
            certificates::add(&mut tx, &acc, &r).await?;
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=certificate")))
        }
        Err(errors) => {
            let ledger = tx
                .client_access(id, RecordKind::Ledger, Action::Read)
                .await?;
            let c = clients::get(&mut tx, &ledger).await?;
            tx.commit().await?;
            render_status(
                &page(&user, id, c.record.full_name(), form, errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

pub async fn history(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(&mut tx, &ledger).await?;
    let certs = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    render(&CertificateHistoryPage {
        nav: Nav::new(&user, "clients"),
        client_id: id,
        client_name: c.record.full_name(),
        certs: certs.iter().map(cert_view).collect(),
    })
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/clients/{id}/certificates", get(history).post(create))
        .route("/clients/{id}/certificates/new", get(new_form))
}
