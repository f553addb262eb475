//! JSON API for the care team (ケアチーム) and consents to share (個人情報使用同意) of one
//! client: the same store functions, authorization and audit as the team page. A client of
//! another office, or one the user is not assigned to, is the same 404 as a missing one.

use super::{ApiJson, ApiPath, Saved, created, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError};
use axum::extract::State;
use chrono::NaiveDate;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::{
    ConsentSetInput, ShareConsentInput, TeamMemberInput, validate_members, withdrawal_date,
};
use yorisoi_store::team::{self, Consent, Member};
use yorisoi_store::today_jst;

const KIND: RecordKind = RecordKind::CareTeam;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_team, add_member))
        .routes(routes!(update_member))
        .routes(routes!(add_members))
        .routes(routes!(list_consents, give_consent))
        .routes(routes!(give_consents))
        .routes(routes!(withdraw))
        .routes(routes!(team_access))
        .routes(routes!(invite))
        .routes(routes!(unlink))
        .routes(routes!(disclosures))
}

/// The client's 共有・開示の記録, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DisclosureList {
    pub disclosures: Vec<yorisoi_store::outside::Disclosure>,
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct DisclosureQuery {
    /// disclose（外部メンバーの閲覧）, print（PDF）, export（書き出し）, invite, join, unlink, share（共有）, receive（受領）, unshare（共有の取り消し）のどれか。空ならすべて
    pub action: String,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/disclosures",
    tag = "team",
    summary = "共有・開示の記録",
    description = "事業所の外に出た情報: 外部メンバーの閲覧（相手・項目・根拠の同意）、PDFの出力、招待・連携・解除。新しい順に最大500件。",
    params(("id" = i64, Path, description = "利用者の id"), DisclosureQuery),
    responses(
        (status = 200, body = DisclosureList),
    ),
)]
async fn disclosures(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    super::ApiQuery(q): super::ApiQuery<DisclosureQuery>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Read).await?;
    let action = Some(q.action.as_str()).filter(|a| !a.is_empty());
    let disclosures = yorisoi_store::outside::disclosures(&mut tx, &acc, action).await?;
    tx.commit().await?;
    Ok(ok(DisclosureList { disclosures }))
}

/// Who on the team can sign in to yorisoi, and whose invitation waits.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AccessList {
    pub members: Vec<yorisoi_store::outside::MemberAccess>,
}

/// An invitation issued: the code is returned once and never stored (only its hash).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InvitationIssued {
    /// 招待コード（12文字、4文字ずつハイフン区切り）
    pub code: String,
    /// 有効期限（発行から48時間）
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/team/access",
    tag = "team",
    summary = "メンバーの yorisoi 連携と招待の状況",
    description = "メンバーごとに、連携したアカウント（ログインID・氏名）と、使われていない招待の期限。",
    params(("id" = i64, Path, description = "利用者の id")),
    responses(
        (status = 200, body = AccessList),
    ),
)]
async fn team_access(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Read).await?;
    let members = yorisoi_store::outside::team_access(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(AccessList { members }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/team/{member}/invite",
    tag = "team",
    summary = "メンバーを yorisoi に招待する",
    description = "1回だけ使える招待コード（48時間有効）を発行します。同じメンバーへの古い招待は取り消されます。チームから外れたメンバーや、すでに連携済みのメンバーには 409（rule）。招待された人は `/join` でアカウントを作り、二段階認証を設定したうえで、同意の範囲だけを見られます。",
    params(
        ("id" = i64, Path, description = "利用者の id"),
        ("member" = i64, Path, description = "メンバーの id")
    ),
    responses(
        (status = 201, body = InvitationIssued),
    ),
)]
async fn invite(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, member)): ApiPath<(i64, i64)>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let issued = yorisoi_store::outside::invite(&mut tx, &acc, member).await?;
    tx.commit().await?;
    Ok(created(InvitationIssued {
        code: issued.code,
        expires_at: issued.expires_at,
    }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/team/{member}/unlink",
    tag = "team",
    summary = "メンバーの yorisoi 連携と招待を解除する",
    description = "次のリクエストから、このメンバーはこの利用者の情報を見られません。アカウントそのものは残ります（ほかの利用者のチームにいることがあるため）。",
    params(
        ("id" = i64, Path, description = "利用者の id"),
        ("member" = i64, Path, description = "メンバーの id")
    ),
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn unlink(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, member)): ApiPath<(i64, i64)>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    yorisoi_store::outside::unlink(&mut tx, &acc, member).await?;
    tx.commit().await?;
    Ok(ok(Saved {
        id: member,
        version: 0,
    }))
}

/// The client's care team, active members first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TeamList {
    pub members: Vec<Member>,
}

/// Every consent of the client (withdrawn ones too), newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ConsentList {
    pub consents: Vec<Consent>,
}

/// A member edited: the member's fields, whether they stay on the team, and the version read.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct MemberUpdate {
    /// 読み込んだときの version
    pub version: i32,
    /// チームのメンバーのままか（false で外す。記録は残る）。省略時は true
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(flatten)]
    pub member: TeamMemberInput,
}

fn yes() -> bool {
    true
}

/// A consent given: the consent's fields, and the consent it replaces (withdrawn on the new
/// one's date), if any.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsentBody {
    #[serde(flatten)]
    pub consent: ShareConsentInput,
    /// 差し替える同意の id（その同意は新しい同意日で撤回される）
    pub replaces: Option<i64>,
}

/// A consent recorded.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ConsentSaved {
    pub id: i64,
}

/// Several members added at once.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MembersBody {
    /// 加える人（空の行は無視します）。どれかが不正なら 1 人も加えず、`members[i].name` のように行を示して 422
    pub members: Vec<TeamMemberInput>,
}

/// Records made at once, in the order sent.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IdsSaved {
    pub ids: Vec<i64>,
}

/// The withdrawal of a consent.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WithdrawBody {
    /// 撤回日（西暦・和暦。空なら今日）
    pub withdrawn_on: String,
}

/// A consent withdrawn, and from when.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Withdrawn {
    pub id: i64,
    pub withdrawn_on: NaiveDate,
}

#[utoipa::path(
    get,
    path = "/clients/{id}/team",
    tag = "team",
    summary = "ケアチームの一覧",
    description = "利用者のケアチーム（本人・家族・関係機関・近所の支え手）。外れたメンバーも含みます。",
    params(("id" = i64, Path, description = "利用者の id")),
    responses(
        (status = 200, body = TeamList),
    ),
)]
async fn list_team(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Read).await?;
    let members = team::members(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(TeamList { members }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/team",
    tag = "team",
    summary = "ケアチームにメンバーを加える",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = TeamMemberInput,
    responses(
        (status = 201, body = Saved),
    ),
)]
async fn add_member(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TeamMemberInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let r = body.validate().map_err(AppError::Invalid)?;
    let member = team::add_member(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(created(Saved {
        id: member,
        version: 1,
    }))
}

#[utoipa::path(
    put,
    path = "/clients/{id}/team/{member}",
    tag = "team",
    summary = "ケアチームのメンバーを更新する",
    description = "氏名・所属・役割などと、チームに残るか（active）。version が古ければ 409。",
    params(
        ("id" = i64, Path, description = "利用者の id"),
        ("member" = i64, Path, description = "メンバーの id")
    ),
    request_body = MemberUpdate,
    responses(
        (status = 200, body = Saved),
    ),
)]
async fn update_member(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, member)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<MemberUpdate>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let r = body.member.validate().map_err(AppError::Invalid)?;
    let version = team::update_member(&mut tx, &acc, member, body.version, &r, body.active).await?;
    tx.commit().await?;
    Ok(ok(Saved {
        id: member,
        version,
    }))
}

#[utoipa::path(
    get,
    path = "/clients/{id}/consents",
    tag = "team",
    summary = "個人情報使用同意の一覧",
    description = "撤回・差し替えされたものも含む履歴。新しい順。",
    params(("id" = i64, Path, description = "利用者の id")),
    responses(
        (status = 200, body = ConsentList),
    ),
)]
async fn list_consents(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Read).await?;
    let consents = team::consents(&mut tx, &acc).await?;
    tx.commit().await?;
    Ok(ok(ConsentList { consents }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/consents",
    tag = "team",
    summary = "個人情報使用同意を記録する",
    description = "提供してよい相手はケアチームの（外れていない）メンバーから。replaces を指定すると、その同意は新しい同意日で撤回されます。",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = ConsentBody,
    responses(
        (status = 201, body = ConsentSaved),
    ),
)]
async fn give_consent(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let members = team::active_member_ids(&mut tx, &acc).await?;
    let r = body
        .consent
        .validate(today_jst(), &members)
        .map_err(AppError::Invalid)?;
    let consent = team::give_consent(&mut tx, &acc, &r, body.replaces).await?;
    tx.commit().await?;
    Ok(created(ConsentSaved { id: consent }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/consents/{consent}/withdraw",
    tag = "team",
    summary = "個人情報使用同意を撤回する",
    description = "撤回はその日から効力があります。すでに撤回された同意は 422（rule）。",
    params(
        ("id" = i64, Path, description = "利用者の id"),
        ("consent" = i64, Path, description = "同意の id")
    ),
    request_body = WithdrawBody,
    responses(
        (status = 200, body = Withdrawn),
    ),
)]
async fn withdraw(
    State(st): State<AppState>,
    user: Authed,
    ApiPath((id, consent)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let c = team::consent(&mut tx, &acc, consent).await?;
    let on = withdrawal_date(&body.withdrawn_on, c.record.given_on, today_jst())
        .map_err(AppError::Invalid)?;
    team::withdraw(&mut tx, &acc, consent, on).await?;
    tx.commit().await?;
    Ok(ok(Withdrawn {
        id: consent,
        withdrawn_on: on,
    }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/team/batch",
    tag = "team",
    summary = "ケアチームに何人かを一度に加える",
    description = "画面の「まとめて加える」と同じ。空の行は無視し、どれかの行が不正なら 1 人も加えずに 422（`members[i].name` のように行を示す）。",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = MembersBody,
    responses(
        (status = 201, body = IdsSaved),
    ),
)]
async fn add_members(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MembersBody>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let records = validate_members(&body.members).map_err(AppError::Invalid)?;
    let rows = body
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_blank())
        .map(|(i, _)| i);
    let mut ids = Vec::new();
    for (i, r) in rows.zip(&records) {
        match team::add_member(&mut tx, &acc, r)
            .await
            .map_err(AppError::from)
        {
            Ok(m) => ids.push(m),
            Err(AppError::Invalid(e)) => {
                return Err(AppError::Invalid(FieldErrors(
                    e.0.into_iter()
                        .map(|(k, v)| (format!("members[{i}].{k}"), v))
                        .collect(),
                ))
                .into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(created(IdsSaved { ids }))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/consents/batch",
    tag = "team",
    summary = "何人かの個人情報使用同意を一度に記録する",
    description = "同じ同意書に署名した人（subjects: 本人は \"\" か \"本人\"、家族は名前）ごとに 1 件ずつ、同じ相手・範囲・目的・同意日で記録します。差し替えは 1 件ずつの POST /clients/{id}/consents で。",
    params(("id" = i64, Path, description = "利用者の id")),
    request_body = ConsentSetInput,
    responses(
        (status = 201, body = IdsSaved),
    ),
)]
async fn give_consents(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConsentSetInput>,
) -> ApiResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(id, KIND, Action::Write).await?;
    let members = team::active_member_ids(&mut tx, &acc).await?;
    let records = body
        .validate(today_jst(), &members)
        .map_err(AppError::Invalid)?;
    let mut ids = Vec::new();
    for r in &records {
        ids.push(team::give_consent(&mut tx, &acc, r, None).await?);
    }
    tx.commit().await?;
    Ok(created(IdsSaved { ids }))
}
