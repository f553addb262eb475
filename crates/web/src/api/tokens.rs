//! JSON API for the signed-in staff member's own API tokens: list them (scope, expiry, last
//! use) and revoke one. Every role may; only the holder's own tokens are ever seen.

use super::ok;
use super::{ApiPath, admin::Revoked, admin::TokenList, admin::TokenOut};
use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiResult;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_store::api_tokens;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_tokens))
        .routes(routes!(revoke_my_token))
}

#[utoipa::path(
    get,
    path = "/me/tokens",
    tag = "me",
    summary = "自分のAPIトークンの一覧",
    description = "自分が持つトークンの用途・範囲・有効期限・最終利用日時。トークンそのものは発行したときにしか得られません。",
    responses(
        (status = 200, body = TokenList),
    ),
)]
async fn my_tokens(State(st): State<AppState>, user: Authed) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let list = api_tokens::list_mine(&mut tx).await?;
    tx.commit().await?;
    Ok(ok(TokenList {
        tokens: list.into_iter().map(TokenOut::from).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/me/tokens/{id}/revoke",
    tag = "me",
    summary = "自分のAPIトークンを失効させる",
    description = "失効したトークンは以後 401。他人のもの・すでに失効したものは 404。",
    params(("id" = i64, Path, description = "トークンの id")),
    responses(
        (status = 200, body = Revoked),
    ),
)]
async fn revoke_my_token(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    api_tokens::revoke_mine(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ok(Revoked { id }))
}
