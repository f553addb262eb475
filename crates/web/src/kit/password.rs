//! A password change, guarded: the current password is a secret like the one at sign-in, so a
//! session left open (or stolen) may not be used to guess it — after 5 wrong tries in 15
//! minutes the change is refused until the window passes. Page and API share it.

use crate::AppState;
use crate::auth::Authed;
use crate::error::AppError;
use yorisoi_domain::FieldErrors;
use yorisoi_store::account::{self, PasswordChange};
use yorisoi_store::sessions;

/// Wrong current passwords allowed per account in the sign-in window.
pub const MAX_WRONG_CURRENT: u64 = 5;

/// Changes the user's password (see `store::account::change_password`), counting wrong current
/// passwords; the number of other sessions ended, or the messages by field.
pub async fn change(
    st: &AppState,
    user: &Authed,
    input: &PasswordChange,
) -> Result<Result<u64, FieldErrors>, AppError> {
    let key = format!("chpw:{}", user.user_id);
    let now = yorisoi_store::now_utc();
    if sessions::recent_failures(&st.store, &key, now).await? >= MAX_WRONG_CURRENT {
        return Err(AppError::TooManyRequests(
            "現在のパスワードを続けて間違えたため、しばらく変更できません。15分ほど待ってから、もう一度お試しください。".into(),
        ));
    }
    let mut tx = st.store.begin(user.actor()).await?;
    match account::change_password(&mut tx, user.session_id, input).await {
        Ok(Ok(n)) => {
            tx.commit().await?;
            sessions::clear_failures(&st.store, &key).await?;
            Ok(Ok(n))
        }
        Ok(Err(errors)) => {
            tx.rollback().await?;
            if errors.get("current_password").is_some() && !input.current_password.is_empty() {
                sessions::record_failure(&st.store, &key, now).await?;
            }
            Ok(Err(errors))
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e.into())
        }
    }
}
