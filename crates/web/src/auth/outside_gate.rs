//! An outside member of a care team (a provider's サービス管理責任者, a municipal caseworker, a
//! family member, the person) reaches only the shared pages, their own account and the
//! sign-in flow; every other page answers the same 404 as a record that does not exist, and the
//! API is closed to them. The policy refuses them everything of the office anyway
//! (`policy::authorize`); this layer keeps screens built for staff from ever being drawn for them.
//! A region's secretariat (`Role::Region`) is kept the same way to the region's pages and API.

use super::Authed;
use crate::error::{ApiError, AppError};
use crate::kit::links::see_other;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yorisoi_domain::policy::Role;

/// Where an outside member lands.
pub const HOME: &str = "/shared";
/// Where a region's secretariat lands.
pub const REGION_HOME: &str = "/region";

/// The paths an outside member may reach.
fn allowed(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/shared") || under("/join") || common(path)
}

/// The paths a region's secretariat may reach.
fn region_allowed(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/region") || under("/api/v1/region") || common(path)
}

/// Their own account and the sign-in flow.
fn common(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/account")
        || under("/login")
        || under("/session")
        || under("/static")
        || matches!(path, "/logout" | "/healthz")
}

pub async fn outside_gate(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let kept = req
        .extensions()
        .get::<Authed>()
        .filter(|a| matches!(a.role, Role::Outside | Role::Region))
        .map(|a| (a.office_id, a.user_id, a.role));
    let path = req.uri().path();
    let Some((office_id, user_id, role)) = kept.filter(|(_, _, role)| match role {
        Role::Region => !region_allowed(path),
        _ => !allowed(path),
    }) else {
        return next.run(req).await;
    };
    if path == "/" {
        return see_other(if role == Role::Region {
            REGION_HOME
        } else {
            HOME
        });
    }
    // The path only (a query could hold anything typed); logged like any refused read.
    yorisoi_store::outside::record_gate_refusal(&st.store, office_id, user_id, path);
    if path.starts_with("/api/") {
        ApiError(AppError::NotFound).into_response()
    } else {
        AppError::NotFound.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::{allowed, region_allowed};

    #[test]
    fn the_region_reaches_the_region_and_its_own_account_only() {
        for open in [
            "/region",
            "/region/issues/3",
            "/api/v1/region/figures",
            "/account",
            "/logout",
        ] {
            assert!(region_allowed(open), "{open}");
        }
        for closed in [
            "/",
            "/clients",
            "/issues",
            "/shared",
            "/regionx",
            "/api/v1/clients",
            "/resources",
        ] {
            assert!(!region_allowed(closed), "{closed}");
        }
    }

    #[test]
    fn only_the_shared_pages_and_the_own_account_are_open() {
        for open in [
            "/shared",
            "/shared/3/plan",
            "/join",
            "/join/link",
            "/account",
            "/account/second-factor",
            "/login/enrol",
            "/logout",
            "/static/app.css",
        ] {
            assert!(allowed(open), "{open}");
        }
        for closed in [
            "/",
            "/clients",
            "/clients/1",
            "/clients/1/team",
            "/sharedx",
            "/resources",
            "/issues",
            "/documents/batch",
            "/admin/staff",
            "/api/v1/clients",
            "/plans/6/pdf/plan",
        ] {
            assert!(!allowed(closed), "{closed}");
        }
    }
}
