//! The certificate form and the history of versions.

use crate::auth::Authed;
use crate::kit::cert_view::CertView;
use crate::kit::display::{Opt, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::certificate::{CertificateInput, CertificateKind, MonitoringPeriod};
use yorisoi_store::certificates::Certificate;

#[derive(Template)]
#[template(path = "certificate_form.html")]
pub struct CertificateFormPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub form: EditState<CertificateInput>,
    pub kinds: Vec<Opt>,
    pub periods: Vec<Opt>,
    /// The version the form was filled from (前回コピー).
    pub copied_from: Option<i32>,
}

impl CertificateFormPage {
    pub fn new(
        user: &Authed,
        (client_id, client_name): (i64, String),
        form: EditState<CertificateInput>,
        copied_from: Option<i32>,
    ) -> Self {
        CertificateFormPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            kinds: opts(
                CertificateKind::ALL,
                |k| k.code(),
                |k| k.label(),
                &form.input.kind,
            ),
            periods: opts(
                MonitoringPeriod::ALL,
                |k| k.code(),
                |k| k.label(),
                &form.input.monitoring_period,
            ),
            form,
            copied_from,
        }
    }
}

#[derive(Template)]
#[template(path = "certificates.html")]
pub struct CertificateHistoryPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub certs: Vec<CertView>,
}

impl CertificateHistoryPage {
    pub fn new(
        user: &Authed,
        (client_id, client_name): (i64, String),
        certs: &[Certificate],
    ) -> Self {
        CertificateHistoryPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            certs: certs.iter().map(CertView::new).collect(),
        }
    }
}
