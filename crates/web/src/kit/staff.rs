//! The office's staff as shown beside records and offered in choices.

use crate::error::AppError;
use std::collections::HashMap;
use yorisoi_domain::policy::{self, Action, RecordKind, Role};
use yorisoi_store::Tx;

/// Staff of the office by id → display name.
pub async fn staff_names(tx: &Tx) -> Result<HashMap<i64, String>, AppError> {
    Ok(yorisoi_store::users::names(tx).await?.into_iter().collect())
}

/// Staff who can be assigned clients (those whose role may keep a caseload), as (id, name).
pub async fn assignable_staff(tx: &Tx) -> Result<Vec<(String, String)>, AppError> {
    Ok(yorisoi_store::users::list(tx)
        .await?
        .into_iter()
        .filter(|u| {
            u.active
                && Role::from_code(&u.role)
                    .is_some_and(|r| policy::may(r, RecordKind::Case, Action::Write))
        })
        .map(|u| (u.id.to_string(), u.display_name))
        .collect())
}

/// Staff who may lead a record of `kind`: active staff whose role may write it, and the current
/// lead whatever they are now, as (id, name).
pub async fn leads(
    tx: &Tx,
    kind: RecordKind,
    current: Option<i64>,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(yorisoi_store::users::list(tx)
        .await?
        .into_iter()
        .filter(|u| {
            Some(u.id) == current
                || (u.active
                    && Role::from_code(&u.role)
                        .is_some_and(|r| policy::may(r, kind, Action::Write)))
        })
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// サインインの制限を解除 (admins only): the reason is required and goes into the audit log,
/// which is durable before the limits lift. Page and API share it.
pub async fn unlock_sign_in(
    st: &crate::AppState,
    user: &crate::auth::Authed,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = st.store.begin(user.actor()).await?;
    let target = yorisoi_store::users::get(&tx, id).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let reason = yorisoi_domain::text::nfkc(reason.trim());
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "解除の理由を入力してください（例: 本人から電話で確認した）。",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::field(
            "reason",
            "理由は200文字までにしてください。",
        ));
    }
    tx.record("sign_in_unlock", RecordKind::Staff, Some(id), None, reason);
    tx.commit().await?;
    yorisoi_store::sessions::unlock(&st.store, &target.login).await?;
    yorisoi_store::sessions::clear_failures(&st.store, &format!("2fa:{id}")).await?;
    Ok(())
}
