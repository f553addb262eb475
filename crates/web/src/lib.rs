//! The web front of yorisoi: server-rendered pages in Japanese (plain HTML forms that work
//! without JavaScript), and a JSON API under `/api/v1`. Every route that touches office data
//! resolves the user in [`auth`], and asks the store's policy through `Tx::client_access` or
//! `Tx::office_access` before reading or writing.
#![forbid(unsafe_code)]
#![recursion_limit = "512"]

pub mod api;
mod api_plans;
mod api_spec;
pub mod auth;
pub mod error;
pub mod forms;
pub mod pages;
pub mod security;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;
use yorisoi_store::Store;

/// Settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Extra document templates, `<dir>/<kind>/<name>.typ` (none: the built-in 標準 only).
    pub templates_dir: Option<std::path::PathBuf>,
    /// MeCab IPA dictionary sources for furigana (default: Debian's mecab-ipadic).
    pub ipadic_dir: Option<std::path::PathBuf>,
    /// Where the compiled furigana dictionary is cached between starts.
    pub furigana_cache: Option<std::path::PathBuf>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub templates: Arc<yorisoi_documents::templates::Templates>,
    pub furigana: Arc<yorisoi_documents::furigana::Dictionary>,
    pub jobs: pages::batch::Jobs,
    pub drawings: pages::assessments::DrawingCache,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        let templates = yorisoi_documents::templates::Templates::new(config.templates_dir.clone());
        let furigana = yorisoi_documents::furigana::Dictionary::new(
            config
                .ipadic_dir
                .clone()
                .unwrap_or_else(|| yorisoi_documents::furigana::DEBIAN_IPADIC.into()),
            config.furigana_cache.clone(),
        );
        Self {
            store,
            config: Arc::new(config),
            templates: Arc::new(templates),
            furigana: Arc::new(furigana),
            jobs: pages::batch::Jobs::default(),
            drawings: Default::default(),
        }
    }
}

/// All routes, with the auth and security layers.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home::home))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/clients",
            get(pages::clients::list).post(pages::clients::create),
        )
        .route("/clients/new", get(pages::clients::new_form))
        .route("/clients/assign", post(pages::clients::assign))
        .route("/clients/{id}", get(pages::clients::show))
        .route(
            "/clients/{id}/edit",
            get(pages::clients::edit_form).post(pages::clients::update),
        )
        .route("/clients/{id}/books", post(pages::clients::add_book))
        .route(
            "/clients/{id}/books/{book_id}/delete",
            post(pages::clients::remove_book),
        )
        .route(
            "/clients/{id}/certificates",
            get(pages::certificates::history).post(pages::certificates::create),
        )
        .route(
            "/clients/{id}/certificates/new",
            get(pages::certificates::new_form),
        )
        .route("/clients/{id}/cases", post(pages::cases::create))
        .route("/clients/{id}/cases/new", get(pages::cases::new_form))
        .route(
            "/clients/{id}/notes",
            get(pages::notes::list).post(pages::notes::create),
        )
        .route(
            "/clients/{id}/notes/{note_id}/edit",
            get(pages::notes::edit_form).post(pages::notes::update),
        )
        .route("/cases/{id}", get(pages::cases::show))
        .route(
            "/cases/{id}/edit",
            get(pages::cases::edit_form).post(pages::cases::update),
        )
        .route("/cases/{id}/stage", post(pages::cases::move_stage))
        .route("/cases/{id}/assessments", post(pages::assessments::start))
        .route(
            "/cases/{id}/assessments/new",
            get(pages::assessments::new_form),
        )
        .route("/cases/{id}/plans", post(pages::plans::create))
        .route("/cases/{id}/plans/new", get(pages::plans::new_form))
        .route("/plans/{id}", get(pages::plans::show))
        .route(
            "/plans/{id}/edit/{section}",
            get(pages::plans::edit_form).post(pages::plans::save),
        )
        .route("/plans/{id}/consents", post(pages::plans::add_consent))
        .route("/plans/{id}/handovers", post(pages::plans::add_handover))
        .route("/plans/{id}/state", post(pages::plans::move_state))
        .route("/plans/{id}/change", post(pages::plans::change))
        .route("/plans/{id}/week.svg", get(pages::plans::week_svg))
        .route("/plans/{id}/pdf/{doc}", get(pages::documents::plan_pdf))
        .route(
            "/monitorings/{id}/pdf",
            get(pages::documents::monitoring_pdf),
        )
        .route("/meetings/{id}/pdf", get(pages::documents::meeting_pdf))
        .route(
            "/assessments/{id}/pdf",
            get(pages::documents::assessment_pdf),
        )
        .route(
            "/documents/batch",
            get(pages::batch::form).post(pages::batch::start),
        )
        .route("/documents/batch/{id}", get(pages::batch::show))
        .route("/documents/batch/{id}/pdf", get(pages::batch::download))
        .route(
            "/admin/documents",
            get(pages::doc_settings::show).post(pages::doc_settings::save),
        )
        .route(
            "/plans/{id}/rows/{key}/implementation",
            post(pages::plans::save_implementation),
        )
        .route(
            "/plans/{id}/rows/{key}/file",
            post(pages::plans::upload).layer(DefaultBodyLimit::max(
                yorisoi_domain::plan::MAX_UPLOAD + 64 * 1024,
            )),
        )
        .route("/attachments/{id}", get(pages::plans::download))
        .route(
            "/clients/{id}/team",
            get(pages::team::show).post(pages::team::add_member),
        )
        .route(
            "/clients/{id}/team/{member}",
            get(pages::team::edit_member).post(pages::team::update_member),
        )
        .route("/clients/{id}/consents", post(pages::team::give_consent))
        .route(
            "/clients/{id}/consents/{consent}/withdraw",
            post(pages::team::withdraw),
        )
        .route(
            "/resources",
            get(pages::resources::list).post(pages::resources::create),
        )
        .route(
            "/resources/{id}",
            get(pages::resources::edit).post(pages::resources::update),
        )
        .route(
            "/cases/{id}/monitorings/new",
            get(pages::monitorings::new_form),
        )
        .route("/cases/{id}/monitorings", post(pages::monitorings::create))
        .route(
            "/monitorings/{id}",
            get(pages::monitorings::show).post(pages::monitorings::update),
        )
        .route("/cases/{id}/decisions/new", get(pages::decisions::new_form))
        .route("/cases/{id}/decisions", post(pages::decisions::create))
        .route("/cases/{id}/timeline", get(pages::timeline::show))
        .route("/decisions/{id}", get(pages::decisions::show))
        .route(
            "/decisions/{id}/edit/{section}",
            get(pages::decisions::edit_form).post(pages::decisions::save),
        )
        .route("/plans/{id}/meetings/new", get(pages::meetings::new_form))
        .route("/plans/{id}/meetings", post(pages::meetings::create))
        .route(
            "/meetings/{id}",
            get(pages::meetings::show).post(pages::meetings::update),
        )
        .route("/assessments/{id}", get(pages::assessments::sheet))
        .route("/assessments/{id}/diff", get(pages::assessments::diff))
        .route(
            "/assessments/{id}/edit/{section}",
            get(pages::assessments::edit_form).post(pages::assessments::save),
        )
        .route(
            "/assessments/{id}/drawing/{file}",
            get(pages::assessments::drawing),
        )
        .route(
            "/cases/{id}/close",
            get(pages::cases::close_form).post(pages::cases::close),
        )
        .route(
            "/admin/staff",
            get(pages::admin::staff).post(pages::admin::add_staff),
        )
        .route(
            "/admin/staff/{id}",
            get(pages::admin::staff_edit).post(pages::admin::staff_update),
        )
        .route("/admin/staff/{id}/active", post(pages::admin::staff_active))
        .route(
            "/admin/tokens",
            get(pages::admin::tokens).post(pages::admin::issue_token),
        )
        .route(
            "/admin/tokens/{id}/revoke",
            post(pages::admin::revoke_token),
        )
        .route("/admin/audit", get(pages::admin::audit))
        .route("/admin/retention", post(pages::admin::set_retention))
        .route("/static/app.css", get(security::css))
        .route("/static/app.js", get(security::js))
        .route("/healthz", get(|| async { "ok" }));
    Router::new()
        .merge(pages)
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves; requests in flight are finished first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
