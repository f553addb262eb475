//! 受給者証 over JSON: the versions of a client's certificate, and adding a new version.

use super::{ApiJson, ApiPath, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiResult;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::certificates::{self, Certificate};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_certificates, create_certificate))
}

/// Every version, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateList {
    pub items: Vec<Certificate>,
}

/// The version just added.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateSaved {
    pub id: i64,
    /// 受給者証の版（1から）
    pub version_no: i32,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/certificates",
    tag = "certificates",
    summary = "受給者証の履歴",
    description = "利用者の受給者証を新しい版から返します。",
    params(("id" = i64, Path, description = "利用者のid")),
    responses(
        (status = 200, body = CertificateList),
    ),
)]
async fn list_certificates(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let items = certificates::list(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(CertificateList { items }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/certificates",
    tag = "certificates",
    summary = "受給者証の新しい版の登録",
    description = "受給者証は書き換えず、新しい版として追加します。",
    params(("id" = i64, Path, description = "利用者のid")),
    request_body = CertificateInput,
    responses(
        (status = 201, body = CertificateSaved),
    ),
)]
async fn create_certificate(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CertificateInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Certificate, Action::Write)
        .await?;
    let r = body.validate()?;
    let (cid, version_no) = certificates::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(CertificateSaved {
        id: cid,
        version_no,
    }))
}
