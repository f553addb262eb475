//! 利用者 (the ledger) over JSON: the list, a client with their disability books, adding and
//! updating the ledger, disability books, and the assignment of 担当 (admins and leads).

use super::{ApiJson, ApiPath, ApiQuery, Paging, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::client::{BookInput, ClientInput, ClientStatus};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::clients::{self, Book, Client, ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{client_page, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_clients, create_client))
        .routes(routes!(get_client, update_client))
        .routes(routes!(add_book))
        .routes(routes!(remove_book))
        .routes(routes!(assign_clients))
        .routes(routes!(set_assignee))
}

/// `GET /clients?q=&status=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ClientsQuery {
    /// 氏名・ふりがなで検索（100文字まで）
    pub q: String,
    /// 状態: consulting, supporting, closed
    pub status: String,
}

/// A page of the client list.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClientList {
    pub items: Vec<Client>,
    /// 条件に合う全件数
    pub total: u64,
}

/// A client with their disability books.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClientDetail {
    #[serde(flatten)]
    pub client: Client,
    /// 障害者手帳
    pub disability_books: Vec<Book>,
}

/// A new client: the ledger and, for admins and leads, the assignee.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    #[serde(flatten)]
    pub client: ClientInput,
    /// 担当職員のid（管理者・主任のみ指定できます。相談支援専門員が登録すると本人の担当）
    #[serde(default)]
    pub assigned_user_id: Option<i64>,
}

/// The ledger as typed, with the version it was read at.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ClientUpdate {
    /// 読み込んだときの version
    pub version: i32,
    #[serde(flatten)]
    pub client: ClientInput,
}

/// The id of a record just added.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Clients to give to a staff member (or to no one).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct AssignBody {
    /// 利用者のid（1〜1000人）
    pub ids: Vec<i64>,
    /// 担当職員のid。null または省略で未割当
    #[serde(default)]
    pub assigned_user_id: Option<i64>,
}

/// One client's assignee.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct AssigneeBody {
    /// 担当職員のid。null または省略で未割当
    #[serde(default)]
    pub assigned_user_id: Option<i64>,
}

/// How many clients changed hands.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Assigned {
    pub changed: u64,
}

#[utoipa::path(
    get,
    path = "/clients",
    tag = "clients",
    summary = "利用者の一覧",
    description = "見てよい利用者を、氏名・ふりがなの検索と状態で絞り込んで、ふりがな順に返します。",
    params(ClientsQuery, Paging),
    responses(
        (status = 200, body = ClientList),
        (status = 422, description = "page / per_page / status が範囲外", body = ErrorBody)
    ),
)]
async fn list_clients(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<ClientsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult {
    let (page, per_page) = paging.resolve()?;
    let status = match q.status.trim() {
        "" => None,
        s => Some(ClientStatus::from_code(s).ok_or_else(|| {
            AppError::field(
                "status",
                "status は consulting, supporting, closed のいずれかです。",
            )
        })?),
    };
    let f = ClientFilter {
        q: q.q.chars().take(100).collect(),
        status,
        staff: StaffFilter::Any,
        cert_within_days: None,
        today: today_jst(),
        sort: ClientSort::Kana,
        page,
        per_page,
    };
    let mut tx = st.store.read(user.actor()).await?;
    let (items, total) = clients::list(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(ok(ClientList { items, total }))
}

#[utoipa::path(
    post,
    path = "/clients",
    tag = "clients",
    summary = "利用者の登録",
    description = "利用者台帳を登録します。相談支援専門員が登録した利用者は本人の担当になります。",
    request_body = NewClient,
    responses(
        (status = 201, body = Saved),
        (status = 422, description = "項目ごとの理由（fields）", body = ErrorBody)
    ),
)]
async fn create_client(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<NewClient>,
) -> ApiResult {
    let record = body.client.validate(today_jst())?;
    let mut tx = st.store.begin(user.actor()).await?;
    let assignee = if user.can_assign() {
        body.assigned_user_id
    } else {
        None
    };
    let id = clients::create(&mut tx, &record, assignee).await?;
    tx.commit().await?;
    Ok(created(Saved { id, version: 1 }))
}

#[utoipa::path(
    get,
    path = "/clients/{id}",
    tag = "clients",
    summary = "利用者台帳",
    description = "利用者台帳と障害者手帳。返した形に version を付けてそのまま PUT できます。",
    params(("id" = i64, Path, description = "利用者のid")),
    responses(
        (status = 200, body = ClientDetail),
    ),
)]
async fn get_client(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let wanted = client_page::Wanted {
        certificates: false,
        cases: false,
        notes: None,
    };
    let r = client_page::read(&mut tx, id, wanted).await?;
    tx.commit().await?;
    Ok(ok(ClientDetail {
        client: r.client,
        disability_books: r.books,
    }))
}

#[utoipa::path(
    put,
    path = "/clients/{id}",
    tag = "clients",
    summary = "利用者台帳の更新",
    description = "読み込んだときの version を付けて送ります。古ければ 409。",
    params(("id" = i64, Path, description = "利用者のid")),
    request_body = ClientUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_client(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ClientUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let record = body.client.validate(today_jst())?;
    let version = clients::update(&mut tx, &acc, body.version, &record).await?;
    tx.commit().await?;
    Ok(ok(Saved { id, version }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/books",
    tag = "clients",
    summary = "障害者手帳の追加",
    params(("id" = i64, Path, description = "利用者のid")),
    request_body = BookInput,
    responses(
        (status = 201, body = Created),
    ),
)]
async fn add_book(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BookInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let book = body.validate()?;
    let book_id = clients::add_book(&mut tx, &acc, &book).await?;
    tx.commit().await?;
    Ok(created(Created { id: book_id }))
}

#[utoipa::path(
    delete,
    path = "/clients/{id}/books/{book_id}",
    tag = "clients",
    summary = "障害者手帳の記録の削除",
    params(
        ("id" = i64, Path, description = "利用者のid"),
        ("book_id" = i64, Path, description = "手帳のid")
    ),
    responses(
        (status = 200, body = Created),
    ),
)]
async fn remove_book(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath((id, book_id)): ApiPath<(i64, i64)>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    clients::remove_book(&mut tx, &acc, book_id).await?;
    tx.commit().await?;
    Ok(ok(Created { id: book_id }))
}

#[utoipa::path(
    post,
    path = "/clients/assign",
    tag = "clients",
    summary = "担当の一括変更",
    description = "選んだ利用者の担当をまとめて変えます（管理者・主任のみ。ほかの職員には 404）。",
    request_body = AssignBody,
    responses(
        (status = 200, body = Assigned),
        (status = 422, description = "ids または assigned_user_id", body = ErrorBody)
    ),
)]
async fn assign_clients(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiJson(body): ApiJson<AssignBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let changed = clients::assign(&mut tx, &body.ids, body.assigned_user_id).await?;
    tx.commit().await?;
    Ok(ok(Assigned { changed }))
}

#[utoipa::path(
    put,
    path = "/clients/{id}/assignee",
    tag = "clients",
    summary = "利用者の担当の変更",
    description = "一人の利用者の担当を変えます（管理者・主任のみ。ほかの職員には 404）。",
    params(("id" = i64, Path, description = "利用者のid")),
    request_body = AssigneeBody,
    responses(
        (status = 200, body = Assigned),
        (status = 422, description = "assigned_user_id", body = ErrorBody)
    ),
)]
async fn set_assignee(
    axum::extract::State(st): axum::extract::State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssigneeBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let changed = clients::assign(&mut tx, &[id], body.assigned_user_id).await?;
    tx.commit().await?;
    Ok(ok(Assigned { changed }))
}
