//! The end of a sign-in, shared by the password step and the second step: after a right
//! password, a user with a second factor (or one the office's policy requires now) is held in a
//! pending sign-in; everyone else, and a finished second step, gets a fresh session.

use crate::AppState;
use crate::auth::cookies::{
    self, DEVICE_COOKIE, LOGIN_CSRF_COOKIE, PENDING_COOKIE, SESSION_COOKIE, set_cookie,
};
use crate::error::AppError;
use crate::kit::links::see_other;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use std::net::SocketAddr;
use yorisoi_domain::policy::Role;
use yorisoi_domain::second_factor::Requirement;
use yorisoi_store::entities::user;
use yorisoi_store::second_factor::{self, PENDING_TTL, Purpose};
use yorisoi_store::{audit, sessions};

/// Where the second step is asked.
pub const SECOND_STEP: &str = "/login/second-factor";
/// Where a user the policy requires a second factor of sets one up before anything else.
pub const ENROL_STEP: &str = "/login/enrol";

/// What the office's policy asks today of a user without a second factor.
pub async fn requirement(
    st: &AppState,
    office_id: i64,
    role: Option<Role>,
) -> Result<Requirement, AppError> {
    // Someone outside the office always signs in with a second factor, whatever the office's
    // policy for its own staff.
    if role == Some(Role::Outside) {
        return Ok(Requirement::Now);
    }
    let policy = second_factor::policy(&st.store, office_id).await?;
    Ok(policy.requirement(role == Some(Role::Admin), yorisoi_store::today_jst()))
}

/// The date by which the user must set up a second factor, when the office's policy is in its
/// grace period and the user has none yet (the home page's notice). From what the session
/// lookup read: no statement of its own.
pub fn second_factor_due(
    role: Role,
    state: &yorisoi_store::sessions::SecondFactor,
) -> Option<chrono::NaiveDate> {
    // Someone outside the office must have one now: there is no grace to announce.
    if role == Role::Outside || state.enrolled {
        return None;
    }
    match state
        .policy
        .requirement(role == Role::Admin, yorisoi_store::today_jst())
    {
        Requirement::Grace(d) => Some(d),
        _ => None,
    }
}

/// The client's address as the sign-in sees it: the first `X-Forwarded-For` hop when the server
/// is told to trust its own reverse proxy, else the peer.
pub fn client_addr(st: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if st.config.trust_forwarded_for
        && let Some(f) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = f.split(',').next()
    {
        return first.trim().to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// A header's value as text ("" when absent or not visible ASCII).
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// After a right password: to the second step, to enrolment, or signed in.
pub async fn after_password(
    st: &AppState,
    headers: &HeaderMap,
    u: &user::Model,
    next: &str,
    address: &str,
) -> Result<Response, AppError> {
    let purpose = if second_factor::enrolled(&st.store, u.id).await? {
        Some((Purpose::Verify, SECOND_STEP))
    } else if requirement(st, u.office_id, Role::from_code(&u.role)).await? == Requirement::Now {
        Some((Purpose::Enrol, ENROL_STEP))
    } else {
        None
    };
    let Some((purpose, to)) = purpose else {
        let cookies = start_session(st, headers, u, address).await?;
        return Ok(with_cookies(see_other(next), cookies));
    };
    let token = second_factor::start_pending(&st.store, u.id, purpose, next).await?;
    let pending = set_cookie(st, PENDING_COOKIE, &token, PENDING_TTL.num_seconds());
    Ok(with_cookies(see_other(to), vec![pending]))
}

/// The pending sign-in this browser holds, if any.
pub async fn pending(
    st: &AppState,
    headers: &HeaderMap,
) -> Result<Option<second_factor::Pending>, AppError> {
    let Some(token) = cookies::get(st, headers, PENDING_COOKIE) else {
        return Ok(None);
    };
    Ok(second_factor::pending(&st.store, &token, yorisoi_store::now_utc()).await?)
}

/// Starts the user's session: a fresh id (any session the browser held is ended), the device
/// remembered with its browser and address (自分のログイン状況), the sign-in in the audit log.
/// Returns the cookies to set.
pub async fn start_session(
    st: &AppState,
    headers: &HeaderMap,
    u: &user::Model,
    address: &str,
) -> Result<Vec<HeaderValue>, AppError> {
    let now = yorisoi_store::now_utc();
    if let Some(old) = cookies::get(st, headers, SESSION_COOKIE)
        && let Some(s) = sessions::lookup(&st.store, &old, now).await?
    {
        sessions::delete(&st.store, s.session_id).await?;
    }
    let device = cookies::get(st, headers, DEVICE_COOKIE)
        .filter(|d| d.len() == 43)
        .unwrap_or_else(sessions::random_token);
    if sessions::remember_device(&st.store, u.id, &device).await? {
        audit::record_auth_event(&st.store, u.office_id, u.id, "sign_in_new_device").await?;
    }
    let origin = sessions::Origin {
        user_agent: header_text(headers, header::USER_AGENT),
        address: address.to_string(),
    };
    let s = sessions::create_from(&st.store, u.id, &origin).await?;
    audit::record_auth_event(&st.store, u.office_id, u.id, "sign_in").await?;
    Ok(vec![
        set_cookie(
            st,
            SESSION_COOKIE,
            &s.token,
            sessions::ABSOLUTE_TIMEOUT.num_seconds(),
        ),
        set_cookie(st, LOGIN_CSRF_COOKIE, "", 0),
        set_cookie(st, PENDING_COOKIE, "", 0),
        set_cookie(st, DEVICE_COOKIE, &device, 400 * 24 * 3600),
    ])
}

/// `resp` with `Set-Cookie` headers added.
pub fn with_cookies(mut resp: Response, cookies: Vec<HeaderValue>) -> Response {
    for c in cookies {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Why the user may not remove one of their passkeys now (the office's policy requires a second
/// factor and it is their last), or `None`.
pub async fn keeps_last_passkey(
    st: &AppState,
    user_id: i64,
    office_id: i64,
    role: Role,
) -> Result<Option<&'static str>, AppError> {
    let status = second_factor::status(&st.store, user_id).await?;
    if status.passkeys > 1 || status.totp {
        return Ok(None);
    }
    if requirement(st, office_id, Some(role)).await? == Requirement::None {
        return Ok(None);
    }
    Ok(Some(
        "事業所の方針で二段階認証が必要なため、最後のパスキーは削除できません。先に別のパスキーか認証アプリを設定してください。",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yorisoi_domain::second_factor::{Mode, Policy};
    use yorisoi_store::sessions::SecondFactor;

    fn state(enrolled: bool, mode: Mode, grace_until: Option<chrono::NaiveDate>) -> SecondFactor {
        SecondFactor {
            enrolled,
            policy: Policy { mode, grace_until },
        }
    }

    #[test]
    fn the_notice_asks_in_the_grace_period_only_of_whoever_has_no_second_factor() {
        let today = yorisoi_store::today_jst();
        let later = today + chrono::Duration::days(10);
        let yesterday = today - chrono::Duration::days(1);
        let grace = |enrolled| state(enrolled, Mode::Required, Some(later));
        assert_eq!(
            second_factor_due(Role::Specialist, &grace(false)),
            Some(later)
        );
        assert_eq!(second_factor_due(Role::Specialist, &grace(true)), None);
        // Someone outside must have one now; a grace period is no notice for them.
        assert_eq!(second_factor_due(Role::Outside, &grace(false)), None);
        // The last day of the grace period still asks; the day after it, the sign-in enforces.
        let last_day = state(false, Mode::Required, Some(today));
        assert_eq!(second_factor_due(Role::Clerk, &last_day), Some(today));
        let over = state(false, Mode::Required, Some(yesterday));
        assert_eq!(second_factor_due(Role::Clerk, &over), None);
        // An optional policy asks nothing of staff, but an admin's grace still runs.
        let optional = state(false, Mode::Optional, Some(later));
        assert_eq!(second_factor_due(Role::Lead, &optional), None);
        assert_eq!(second_factor_due(Role::Admin, &optional), Some(later));
        assert_eq!(
            second_factor_due(Role::Admin, &state(false, Mode::Optional, None)),
            None
        );
    }
}
