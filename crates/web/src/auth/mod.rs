//! Who is asking. [`resolve`] finds the user of a request (a server-side session cookie or a
//! personal API token) and puts an [`Authed`] in its extensions; [`csrf`] guards every
//! state-changing request made with a cookie; [`cookies`] reads and writes them. Sign-in and
//! sign-out are pages (`pages::session`).

pub mod cookies;
pub mod csrf;
mod outside_gate;
pub mod park;
mod password_gate;
mod resolve;

pub use outside_gate::{HOME as OUTSIDE_HOME, outside_gate};
pub use password_gate::password_gate;
pub use resolve::resolve;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use yorisoi_domain::policy::{self, Action, Actor, RecordKind, Role};

/// The signed-in user, put in the request's extensions by [`resolve`].
#[derive(Debug, Clone)]
pub struct Authed {
    pub user_id: i64,
    pub office_id: i64,
    pub role: Role,
    pub display_name: String,
    pub login: String,
    /// The session's CSRF token (empty for API tokens, which are not sent by browsers).
    pub csrf: String,
    pub session_id: Option<i64>,
    /// An admin reset the password: nothing but the change (and sign-out) until it is changed.
    pub must_change_password: bool,
    /// The date by which a second factor must be set up, in the policy's grace period for a
    /// user without one. Read only for the home page (`GET /`, signed in with a session, where
    /// the notice is shown): `None` on every other request whatever the policy says.
    pub home_second_factor_due: Option<chrono::NaiveDate>,
}

impl Authed {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            office_id: self.office_id,
            role: self.role,
        }
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    /// Whether the role may do `action` on `kind` at all (the policy decides; a screen asks
    /// before it offers a link or a button).
    pub fn may(&self, kind: RecordKind, action: Action) -> bool {
        policy::may(self.role, kind, action)
    }
    pub fn can_assign(&self) -> bool {
        self.may(RecordKind::Assignment, Action::Write)
    }
    pub fn sees_cases(&self) -> bool {
        self.may(RecordKind::Case, Action::Read)
    }
    /// A member of a care team from outside the office (they see only what is shared).
    pub fn is_outside(&self) -> bool {
        self.role == Role::Outside
    }
}

/// A page without a user goes to sign-in and comes back; the API router answers 401 before
/// its handlers run (`api::require_user`).
impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(a) = parts.extensions.get::<Authed>() {
            return Ok(a.clone());
        }
        let next = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        let next = next.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let expired = parts
            .extensions
            .get::<yorisoi_store::sessions::ExpiredSession>()
            .is_some();
        let target = match (next == "/", expired) {
            (true, false) => "/login".to_string(),
            (true, true) => "/login?expired=1".to_string(),
            (false, e) => format!(
                "/login?next={}{}",
                percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC),
                if e { "&expired=1" } else { "" }
            ),
        };
        Err(Redirect::to(&target).into_response())
    }
}

pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
