//! 支援経過記録 over JSON: a client's notes (searchable), adding one, and editing one.

use super::{ApiJson, ApiPath, ApiQuery, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::notes::{self, Note};
use yorisoi_store::now_jst;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notes, create_note))
        .routes(routes!(update_note))
        .routes(routes!(search_notes))
}

#[utoipa::path(
    get,
    path = "/notes",
    tag = "notes",
    summary = "支援経過記録の横断検索",
    description = "見ることのできる利用者すべて（管理者・主任は事業所全体、相談支援専門員は担当の利用者）の支援経過記録から、q の語句をすべて含むものを新しい順に返します（ひらがな・カタカナ、全角・半角を区別しません）。q が空なら空の一覧です。事務は 403。",
    params(NotesQuery),
    responses(
        (status = 200, body = NoteList),
        (status = 403, body = ErrorBody),
        (status = 422, description = "limit / offset が範囲外", body = ErrorBody)
    ),
)]
async fn search_notes(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<NotesQuery>,
) -> ApiResult {
    let (limit, offset) = q.resolve()?;
    let query: String = q.q.chars().take(100).collect();
    let mut tx = st.store.read(user.actor()).await?;
    let (items, more) = notes::search_office(&mut tx, &query, limit, offset).await?;
    tx.commit().await?;
    Ok(ok(NoteList { items, more }))
}

/// `GET /clients/{id}/notes?q=&limit=&offset=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct NotesQuery {
    /// 語句で検索
    pub q: String,
    /// 件数（既定 50、1〜200）
    pub limit: Option<i64>,
    /// 先頭から飛ばす件数（既定 0、最大 1000000）
    pub offset: Option<i64>,
}

impl NotesQuery {
    fn resolve(&self) -> Result<(u64, u64), AppError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            return Err(AppError::field(
                "limit",
                "limit は 1 から 200 までの数で指定してください。",
            ));
        }
        let offset = self.offset.unwrap_or(0);
        if !(0..=1_000_000).contains(&offset) {
            return Err(AppError::field(
                "offset",
                "offset は 0 から 1000000 までの数で指定してください。",
            ));
        }
        Ok((limit as u64, offset as u64))
    }
}

/// Notes, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NoteList {
    pub items: Vec<Note>,
    /// 続きがあるか
    pub more: bool,
}

/// A note as typed, with the version it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NoteUpdate {
    /// 読み込んだときの version
    pub version: i32,
    #[serde(flatten)]
    pub note: NoteInput,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/notes",
    tag = "notes",
    summary = "支援経過記録の一覧",
    description = "利用者の支援経過記録を新しい順に返します。q で語句検索（ひらがな・カタカナ、全角・半角を区別しません）。",
    params(("id" = i64, Path, description = "利用者のid"), NotesQuery),
    responses(
        (status = 200, body = NoteList),
        (status = 422, description = "limit / offset が範囲外", body = ErrorBody)
    ),
)]
async fn list_notes(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<NotesQuery>,
) -> ApiResult {
    let (limit, offset) = q.resolve()?;
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Read)
        .await?;
    let (items, more) = notes::list(&mut tx, &acc, &q.q, limit, offset).await?;
    tx.commit().await?;
    Ok(ok(NoteList { items, more }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/notes",
    tag = "notes",
    summary = "支援経過記録の追加",
    description = "日付・時刻を省くと今になります。case_id は利用者のケースに限ります。",
    params(("id" = i64, Path, description = "利用者のid")),
    request_body = NoteInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn create_note(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoteInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let r = body.validate(now_jst())?;
    let nid = notes::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: nid,
        version: 1,
    }))
}

#[utoipa::path(
    put,
    path = "/clients/{id}/notes/{note_id}",
    tag = "notes",
    summary = "支援経過記録の更新",
    description = "読み込んだときの version を付けて送ります。古ければ 409。",
    params(
        ("id" = i64, Path, description = "利用者のid"),
        ("note_id" = i64, Path, description = "記録のid")
    ),
    request_body = NoteUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_note(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, note_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<NoteUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::CaseNote, Action::Write)
        .await?;
    let r = body.note.validate(now_jst())?;
    notes::update(&mut tx, &acc, note_id, body.version, &r).await?;
    tx.commit().await?;
    Ok(ok(Saved {
        id: note_id,
        version: body.version + 1,
    }))
}
