//! JSON API for sharing documents with the care team outside the office: the same store
//! functions, authorization and audit as the 書類の共有 page. The recipient's side (opening the
//! PDF, 受領) is on the pages only: outside members have no API.

use super::{ApiJson, ApiPath, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::ShareInput;
use yorisoi_store::shares::{self, ShareRow, Shareable};
use yorisoi_store::{team, today_jst};

const KIND: RecordKind = RecordKind::CareTeam;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_shares, share))
        .routes(routes!(revoke))
        .routes(routes!(office_shares))
}

/// The office's shares and submissions, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OfficeShareList {
    pub shares: Vec<shares::OfficeShare>,
}

#[utoipa::path(
    get,
    path = "/shares",
    tag = "team",
    summary = "事業所全体の共有・提出の一覧",
    description = "見てよい利用者（担当、主任・管理者は全員）の共有と市町村への提出。受領・受理の日時と受理した担当者（received_by）つき。新しい順に最大500件。",
    params(shares::OfficeShareFilter),
    responses(
        (status = 200, body = OfficeShareList),
    ),
)]
async fn office_shares(
    State(st): State<AppState>,
    user: Authed,
    super::ApiQuery(f): super::ApiQuery<shares::OfficeShareFilter>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let shares = shares::office_list(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(ok(OfficeShareList { shares }))
}

/// The client's shares (newest first) and the documents that can be shared.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ShareList {
    pub shares: Vec<ShareRow>,
    pub shareable: Vec<Shareable>,
}

/// The shares made, one per member.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SharesMade {
    pub ids: Vec<i64>,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/shares",
    tag = "team",
    summary = "書類の共有の一覧",
    description = "共有した書類（相手・期限・状態: waiting 未受領 / received 受領済み / expired 期限切れ / revoked 取り消し）と、共有できる書類（document に指定する key）。",
    params(("id" = i64, Path, description = "利用者の id")),
    responses(
        (status = 200, body = ShareList),
    ),
)]
async fn list_shares(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Read).await?;
    let shares = shares::list(&mut tx, &acc).await?;
    let shareable = shares::shareable(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(ShareList { shares, shareable }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/shares",
    tag = "team",
    summary = "書類をケアチームのメンバーと共有する",
    description = "計画（版ごと）・モニタリング報告書・開催済みの会議の記録を、yorisoi に参加しているメンバーと共有します。相手ごとに、チームにいること・アカウントがあること・書類の範囲への同意（本人は自分の計画とモニタリング）が要り、1人でも欠けると誰とも共有せず 422 で理由を相手ごとに返します。期限を省くと90日後まで。相手が受領すると、計画なら交付の記録に加わります。",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = ShareInput,
    responses(
        (status = 201, body = SharesMade),
    ),
)]
async fn share(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ShareInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let members = team::active_member_ids(&mut tx, &acc).await?;
    let req = body
        .validate(today_jst(), &members)
        .map_err(AppError::Invalid)?;
    let ids = shares::create(&mut tx, &acc, &req).await?;
    tx.commit().await?;
    Ok(created(SharesMade { ids }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/shares/{share}/revoke",
    tag = "team",
    summary = "書類の共有を取り消す",
    description = "相手は次のリクエストからこの書類を開けません。受領済みの計画の交付の記録は残ります。取り消し済みなら 422（rule）。",
    params(
        ("id" = i64, Path, description = "利用者の id"),
        ("share" = i64, Path, description = "共有の id")
    ),
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn revoke(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, share)): ApiPath<(i64, i64)>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    shares::revoke(&mut tx, &acc, share).await?;
    tx.commit().await?;
    Ok(ok(Saved {
        id: share,
        version: 0,
    }))
}
