//! One span per request, named by its route pattern (`/clients/{id}`, never the raw path, which
//! holds ids), with the status and latency when it ends. Nothing of a client's data is logged:
//! no query string, no body, no header but the method.

use axum::extract::{MatchedPath, Request};
use axum::http::Response;
use std::time::Duration;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;

#[derive(Clone, Copy, Default)]
pub struct RouteSpan;

impl<B> MakeSpan<B> for RouteSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| unmatched(req.uri().path()).to_string());
        tracing::info_span!(
            "request",
            method = %req.method(),
            route = %route,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        )
    }
}

/// A path that matched no route is named by its first segment only: the rest may be anything
/// a caller typed.
fn unmatched(path: &str) -> &'static str {
    if path.starts_with("/api/") {
        "/api/…"
    } else if path.starts_with("/static/") {
        "/static/…"
    } else {
        "(no route)"
    }
}

#[derive(Clone, Copy, Default)]
pub struct RecordStatus;

impl<B> OnResponse<B> for RecordStatus {
    fn on_response(self, resp: &Response<B>, latency: Duration, span: &Span) {
        let status = resp.status().as_u16();
        let ms = latency.as_secs_f64() * 1000.0;
        span.record("status", status);
        span.record("latency_ms", ms);
        if status >= 500 {
            tracing::error!(status, latency_ms = ms, "response");
        } else {
            tracing::info!(status, latency_ms = ms, "response");
        }
    }
}

pub fn layer() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RouteSpan, (), RecordStatus>
{
    TraceLayer::new_for_http()
        .make_span_with(RouteSpan)
        .on_request(())
        .on_response(RecordStatus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unmatched_path_never_names_what_was_typed() {
        assert_eq!(unmatched("/api/v1/clients/123/青木"), "/api/…");
        assert_eq!(unmatched("/clients/青木花子"), "(no route)");
    }
}
