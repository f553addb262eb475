//! The web front of yorisoi: server-rendered pages in Japanese (plain HTML forms that work
//! without JavaScript), and a JSON API under `/api/v1`.
//!
//! The shape, top to bottom (no module imports one above it):
//! - `lib.rs` assembles the routers and their layers; `state` holds what handlers share.
//! - `pages::<resource>` — one folder per resource: thin `handlers`, `view` (view models built
//!   from records, owning their templates) and `form` (typed forms into the domain's input).
//! - `api::<resource>` — the JSON operations, registered so that the OpenAPI document is
//!   generated from the same routes and types.
//! - `auth` (who is asking, CSRF, cookies), `kit` (rendering, display, forms, `EditState`),
//!   `error` (every failure classified once, rendered as a page or as JSON), `security`
//!   (headers), `trace` (one span per request).
//!
//! Every route that touches office data resolves the user in [`auth::resolve`] and asks the
//! store's policy through `Tx::client_access` or `Tx::office_access` before reading or writing.
#![forbid(unsafe_code)]
#![recursion_limit = "512"]

pub mod api;
pub mod auth;
pub mod drawings;
pub mod error;
pub mod jobs;
pub mod kit;
pub mod pages;
pub mod security;
pub mod state;
pub mod trace;

#[cfg(test)]
mod shape_tests;

pub use state::{AppState, Config};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

/// All routes, with the auth and security layers.
pub fn router(state: AppState) -> Router {
    // Pages that change something with a session carry its CSRF token; a form whose session
    // expired is kept for after sign-in (inside the CSRF check, which passes it through).
    let guarded = pages::routes()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::park::park,
        ))
        .layer(axum::middleware::from_fn(auth::csrf::pages));
    // Sign-in has its own double-submit check; the upload checks its token itself.
    let open = Router::new()
        .merge(pages::session::sign_in_routes())
        .merge(pages::second_factor::sign_in_routes())
        .merge(pages::plans::upload_routes())
        .merge(pages::import::upload_routes())
        .merge(pages::resources::upload_routes())
        .merge(pages::shared::upload_routes())
        .merge(pages::shared::join_routes())
        .route("/static/app.css", get(security::css))
        .route("/static/app.js", get(security::js))
        .route("/static/passkey.js", get(security::passkey_js))
        .route("/healthz", get(|| async { "ok" }));
    Router::new()
        .merge(guarded)
        .merge(open)
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        // Runs after `resolve` (layers wrap outwards): a reset password must be changed first.
        .layer(axum::middleware::from_fn(auth::password_gate))
        // An outside member reaches only the shared pages and their own account.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::outside_gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(kit::form::MAX_FORM))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(trace::layer())
        .with_state(state)
}

/// Serves until `shutdown` resolves; requests in flight are finished first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Nagle's algorithm off: a page longer than one TCP segment would otherwise send its last
    // part only after the browser acknowledged the rest, which it may delay by up to 40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set on an accepted connection");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod serve_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The server's side of every connection has Nagle's algorithm off (the client's side, left
    /// as the kernel makes it, shows the check can tell the two apart).
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn accepted_connections_send_without_delay() {
        let dir = tempfile::tempdir().unwrap();
        let store = yorisoi_store::testing::sqlite_in(dir.path()).await.unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(store, Config::default());
        let server = tokio::spawn(serve(listener, state, async {
            let _ = stopped.await;
        }));
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut answer = [0u8; 12];
        client.read_exact(&mut answer).await.unwrap();
        assert_eq!(&answer, b"HTTP/1.1 200");
        let mine = client.local_addr().unwrap();
        let sockets = yorisoi_store::testing::tcp_sockets().unwrap();
        let nodelay = |local, peer| {
            sockets
                .iter()
                .find(|(l, p, _)| *l == local && *p == peer)
                .map(|s| s.2)
        };
        assert_eq!(nodelay(addr, mine), Some(true), "{sockets:?}");
        assert_eq!(nodelay(mine, addr), Some(false), "{sockets:?}");
        drop(client);
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    }
}
