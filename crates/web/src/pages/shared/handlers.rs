//! Handlers of the shared pages, the join flow and the specialist's invitation buttons.

use super::view::{
    InvitationPage, InvitationView, JoinPage, SectionBody, SharedClientPage, SharedHomePage,
};
use crate::AppState;
use crate::auth::cookies::{self, LOGIN_CSRF_COOKIE, set_cookie};
use crate::auth::{Authed, OUTSIDE_HOME, constant_time_eq};
use crate::error::{AppError, PageResult};
use crate::kit::form::Form;
use crate::kit::links::see_other;
use crate::kit::records::client_name;
use crate::kit::render::{render, render_status};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use std::net::SocketAddr;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::ShareSection;
use yorisoi_store::outside::{self, JoinError, NewAccount, Refusal};
use yorisoi_store::{StoreError, sessions, users};

/// `GET /shared?joined=1`: the people whose team the member is on.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    pub joined: String,
}

pub async fn home(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<HomeQuery>,
) -> PageResult {
    if !user.is_outside() {
        return Err(AppError::NotFound);
    }
    let mut tx = st.store.read(user.actor()).await?;
    let clients = outside::my_clients(&mut tx).await?;
    let documents = super::shares::doc_lines(yorisoi_store::shares::mine(&mut tx).await?);
    tx.commit().await?;
    render(&SharedHomePage::new(
        &user,
        clients,
        documents,
        q.joined == "1",
    ))
}

/// `GET /shared/{client}`: the first section the member may see.
pub async fn client(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let mine = outside::my_client(&mut tx, client_id).await?;
    tx.commit().await?;
    let first = mine
        .as_ref()
        .and_then(|c| c.sections.first())
        .ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("/shared/{client_id}/{}", first.code())))
}

/// `GET /shared/{client}/{basic|plan|monitoring}`: one section, if the policy lets it go to
/// this member today; otherwise the same 404 as a record that does not exist.
pub async fn section(
    State(st): State<AppState>,
    user: Authed,
    Path((client_id, code)): Path<(i64, String)>,
) -> PageResult {
    let section = ShareSection::from_code(&code)
        .filter(|s| outside::SHOWN.contains(s))
        .ok_or(AppError::NotFound)?;
    let mut tx = st.store.read(user.actor()).await?;
    let sa = tx.shared_access(client_id, section).await?;
    let body = match section {
        ShareSection::Basic => SectionBody::Basic(outside::basic(&mut tx, &sa).await?),
        ShareSection::Plan => SectionBody::Plan(outside::plan(&mut tx, &sa).await?),
        _ => SectionBody::Monitoring(outside::monitoring(&mut tx, &sa).await?),
    };
    let me = outside::my_client(&mut tx, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    render(&SharedClientPage::new(&user, me, section, body))
}

/// The invitation form's fields as posted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct JoinInput {
    pub csrf: String,
    pub code: String,
    #[serde(flatten)]
    pub account: NewAccount,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct JoinQuery {
    pub code: String,
}

/// Failed code look-ups counted per address, as failed sign-ins are: a code cannot be guessed
/// by trying.
const MAX_TRIES: u64 = 10;

fn try_key(address: &str) -> String {
    format!("join:{address}")
}

fn refusal_status(r: Refusal) -> StatusCode {
    match r {
        Refusal::Unknown => StatusCode::NOT_FOUND,
        Refusal::Used | Refusal::OtherOffice => StatusCode::CONFLICT,
        Refusal::Expired | Refusal::Revoked | Refusal::OffTeam => StatusCode::GONE,
    }
}

const TOO_MANY: &str = "招待コードの入力に続けて失敗したため、しばらく受け付けません。15分ほど待ってから、紙のコードを確かめて入力してください。";

/// Looks the code up, counting a wrong one against the address.
async fn look_up(
    st: &AppState,
    code: &str,
    address: &str,
) -> Result<Result<outside::Invitation, (StatusCode, &'static str)>, AppError> {
    let now = yorisoi_store::now_utc();
    if sessions::recent_failures(&st.store, &try_key(address), now).await? >= MAX_TRIES {
        return Ok(Err((StatusCode::TOO_MANY_REQUESTS, TOO_MANY)));
    }
    match outside::invitation(&st.store, code, now).await? {
        Ok(i) => Ok(Ok(i)),
        Err(r) => {
            if r == Refusal::Unknown {
                sessions::record_failure(&st.store, &try_key(address), now).await?;
            }
            Ok(Err((refusal_status(r), r.message())))
        }
    }
}

fn address(st: &AppState, headers: &HeaderMap, peer: Option<ConnectInfo<SocketAddr>>) -> String {
    crate::kit::sign_in::client_addr(st, headers, peer.map(|c| c.0))
}

/// `GET /join?code=`: the code form, or the invitation and the account form.
pub async fn join_form(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    signed_in: Option<axum::Extension<Authed>>,
    Query(q): Query<JoinQuery>,
) -> Result<Response, AppError> {
    let token = sessions::random_token();
    let mut page = JoinPage::blank(token.clone(), q.code.trim(), signed_in.map(|a| a.0));
    let mut status = StatusCode::OK;
    if !q.code.trim().is_empty() {
        let addr = address(&st, &headers, peer.map(|p| p.0));
        match look_up(&st, &q.code, &addr).await? {
            Ok(inv) => page.invitation = Some(InvitationView::of(&inv)),
            Err((s, m)) => {
                status = s;
                page.error = m.into();
            }
        }
    }
    let mut resp = render_status(&page, status)?;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&st, LOGIN_CSRF_COOKIE, &token, 3600),
    );
    Ok(resp)
}

/// `POST /join`: the new account, bound to the member row, then the second factor's set-up
/// (an outside member always has one) before anything is shown.
pub async fn join(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    signed_in: Option<axum::Extension<Authed>>,
    Form(input): Form<JoinInput>,
) -> Result<Response, AppError> {
    let cookie_token = cookies::get(&st, &headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !constant_time_eq(&cookie_token, &input.csrf) {
        return Err(AppError::Csrf);
    }
    let addr = address(&st, &headers, peer.map(|p| p.0));
    let mut page = JoinPage::blank(input.csrf.clone(), &input.code, signed_in.map(|a| a.0));
    page.account = input.account.clone();
    let inv = match look_up(&st, &input.code, &addr).await? {
        Ok(i) => i,
        Err((s, m)) => {
            page.error = m.into();
            return render_status(&page, s);
        }
    };
    page.invitation = Some(InvitationView::of(&inv));
    let now = yorisoi_store::now_utc();
    match outside::join_new(&st.store, &input.code, &input.account, now).await? {
        Ok(user_id) => {
            let u = users::get_plain(&st.store, user_id).await?;
            crate::kit::sign_in::after_password(&st, &headers, &u, OUTSIDE_HOME, &addr).await
        }
        Err(JoinError::Invalid(e)) => {
            page.errors = e;
            page.account.password.clear();
            page.account.password_again.clear();
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(JoinError::Refused(r)) => {
            page.invitation = None;
            page.error = r.message().into();
            render_status(&page, refusal_status(r))
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkInput {
    pub code: String,
}

/// `POST /join/link`: an outside member already signed in adds the invitation to their account.
pub async fn link(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    user: Authed,
    Form(input): Form<LinkInput>,
) -> PageResult {
    let now = yorisoi_store::now_utc();
    // Counted like a code typed at /join: a signed-in account cannot try codes without limit.
    let addr = address(&st, &headers, peer.map(|p| p.0));
    if let Err((status, message)) = look_up(&st, &input.code, &addr).await? {
        let mut page = JoinPage::blank(String::new(), &input.code, Some(user));
        page.error = message.into();
        return render_status(&page, status);
    }
    let refused = if user.is_outside() {
        match outside::join_existing(&st.store, &input.code, user.user_id, now).await? {
            Ok(()) => return Ok(see_other(&format!("{OUTSIDE_HOME}?joined=1"))),
            Err(r) => r,
        }
    } else {
        Refusal::OtherOffice
    };
    let mut page = JoinPage::blank(String::new(), &input.code, Some(user));
    page.error = if refused == Refusal::OtherOffice {
        "この招待は、事業所の職員のアカウントには加えられません。ログアウトしてから、招待された方が新しいアカウントとして登録してください。".into()
    } else {
        refused.message().into()
    };
    render_status(&page, refusal_status(refused))
}

const KIND: RecordKind = RecordKind::CareTeam;

/// `POST /clients/{id}/team/{member}/invite`: a one-time code for the member, shown once, with
/// the link and a sheet to print and hand over.
pub async fn invite(
    State(st): State<AppState>,
    user: Authed,
    headers: HeaderMap,
    Path((client_id, member_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Write).await?;
    let member = yorisoi_store::team::member(&mut tx, &acc, member_id).await?;
    // Whether anything would be shown to them today: the person always sees their own record;
    // anyone else needs a consent in force naming them.
    let records: Vec<_> = yorisoi_store::team::consents(&mut tx, &acc)
        .await?
        .into_iter()
        .map(|c| c.record)
        .collect();
    let today = yorisoi_store::today_jst();
    let covered = member.record.kind == yorisoi_domain::team::MemberKind::Person
        || outside::SHOWN
            .iter()
            .any(|s| yorisoi_domain::team::covers(&records, member_id, *s, today));
    let issued = match outside::invite(&mut tx, &acc, member_id).await {
        Ok(i) => i,
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            return Err(AppError::Rule(m));
        }
        Err(e) => return Err(e.into()),
    };
    let name = client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    let base = public_base(&st, &headers);
    render(&InvitationPage::new(
        &user, client_id, name, &member, &issued, &base, covered,
    ))
}

/// The address invitees open: the configured public URL, else the host this request came to.
fn public_base(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &st.config.public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if st.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// `POST /clients/{id}/team/{member}/unlink`: the member sees nothing more of this person from
/// their next request; an open invitation is revoked too.
pub async fn unlink(
    State(st): State<AppState>,
    user: Authed,
    Path((client_id, member_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Write).await?;
    match outside::unlink(&mut tx, &acc, member_id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{client_id}/team?saved=unlinked"
            )))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            Err(AppError::Rule(m))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /clients/{id}/disclosures?action=`: the client's 共有・開示の記録 for the office — who was
/// given what, when, under which consent (each outside member's view, each PDF made, each
/// invitation, join and unlinking).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DisclosureQuery {
    pub action: String,
}

pub async fn disclosures(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
    Query(q): Query<DisclosureQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Read).await?;
    let action = Some(q.action.as_str()).filter(|a| outside::DISCLOSURE_ACTIONS.contains(a));
    let rows = outside::disclosures(&mut tx, &acc, action).await?;
    let names = users::names(&tx).await?;
    let name = client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    render(&super::view::DisclosuresPage::new(
        &user,
        client_id,
        name,
        &rows,
        &names,
        action.unwrap_or(""),
    ))
}

/// The report form as posted: the provider's report, and the version read (empty for a new
/// month).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub month: String,
    pub row_key: Vec<String>,
    pub provision: Vec<String>,
    pub note: String,
    pub version: String,
}

impl ReportForm {
    /// The report as typed (the repeated fields cannot be flattened into it by the form reader).
    pub fn report(&self) -> yorisoi_domain::monitoring::provider::ProviderReportInput {
        yorisoi_domain::monitoring::provider::ProviderReportInput {
            month: self.month.clone(),
            row_key: self.row_key.clone(),
            provision: self.provision.clone(),
            note: self.note.clone(),
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub month: String,
    pub saved: String,
    /// `sent` after a 個別支援計画 was sent.
    pub ipp: String,
}

/// `POST /shared/{client}/ipp/{row}` (multipart): a provider sends its 個別支援計画 for a row of
/// the plan in force; the CSRF token is a field of the form, checked here (the form layer does
/// not read multipart bodies).
pub async fn send_ipp(
    State(st): State<AppState>,
    user: Authed,
    Path((client_id, row_key)): Path<(i64, u32)>,
    mut mp: axum::extract::Multipart,
) -> PageResult {
    let up = crate::pages::plans::form::read_upload(&mut mp).await?;
    if !crate::auth::csrf::token_ok(&user, &up.csrf) {
        return Err(AppError::Csrf);
    }
    let month = yorisoi_domain::certificate::YearMonth::of(yorisoi_store::today_jst());
    let refused = |m: String| async {
        report_page(&st, &user, client_id, month, None, false, Some(Err(m))).await
    };
    let Some((name, bytes)) = up.file else {
        return refused("ファイルを選んでから「送る」を押してください。".into()).await;
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let sa = tx.shared_access(client_id, ShareSection::Plan).await?;
    match outside::send_ipp(&mut tx, &sa, row_key, &name, bytes).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/shared/{client_id}/report?ipp=sent#ipp"
            )))
        }
        Err(StoreError::Invalid(e)) => {
            tx.rollback().await?;
            refused(e.0.into_values().collect::<Vec<_>>().join(" ")).await
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            refused(m).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The page of a provider's report: the plan's goals, the month's report as typed or stored.
async fn report_page(
    st: &AppState,
    user: &Authed,
    client_id: i64,
    month: yorisoi_domain::certificate::YearMonth,
    typed: Option<(ReportForm, FieldErrors, StatusCode)>,
    saved: bool,
    ipp_outcome: Option<Result<String, String>>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let sa = tx.shared_access(client_id, ShareSection::Plan).await?;
    if !outside::may_report(&sa) {
        tx.commit().await?;
        return Err(AppError::NotFound);
    }
    let plan = outside::report_plan(&mut tx, &sa).await?;
    let stored = match &plan {
        Some(p) => outside::my_report(&mut tx, &sa, p.id, month).await?,
        None => None,
    };
    let ipp = match &plan {
        Some(p) if outside::may_send_ipp(&sa) => {
            let imps = outside::ipp_rows(&mut tx, &sa, p.id).await?;
            let me = outside::member_of(&sa).clone();
            super::view::IppRow::of(p, &imps, |r| outside::own_row(&me, r))
        }
        _ => Vec::new(),
    };
    let me = outside::my_client(&mut tx, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut page = super::view::ReportPage::new(
        user,
        me,
        plan.as_ref(),
        month,
        stored.as_ref(),
        typed.as_ref().map(|(f, e, _)| (f, e)),
        saved,
    );
    page.ipp = ipp;
    match ipp_outcome {
        Some(Ok(m)) => page.ipp_notice = m,
        Some(Err(m)) => page.ipp_error = m,
        None => {}
    }
    let status = match (&typed, &page.ipp_error.is_empty()) {
        (Some((_, _, s)), _) => *s,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    render_status(&page, status)
}

/// `GET /shared/{client}/report?month=`: a provider's サービス提供状況 for a month (this month
/// by default), goal by goal.
pub async fn report_form(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let month = yorisoi_domain::monitoring::provider::parse_month(&q.month)
        .unwrap_or_else(|| yorisoi_domain::certificate::YearMonth::of(yorisoi_store::today_jst()));
    let sent = (q.ipp == "sent").then(|| {
        Ok(
            "個別支援計画を送りました。相談支援専門員の計画の画面に「受領」として表示されます。"
                .to_string(),
        )
    });
    report_page(&st, &user, client_id, month, None, q.saved == "1", sent).await
}

/// `POST /shared/{client}/report`: saved for the specialist to review; a refused form comes
/// back as typed.
pub async fn report(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
    body: crate::kit::form::RawForm,
) -> PageResult {
    let form: ReportForm = body.parse()?;
    let version = match form.version.trim() {
        "" => None,
        v => Some(crate::kit::form::parse_version(v)?),
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let sa = tx.shared_access(client_id, ShareSection::Plan).await?;
    let month = yorisoi_domain::monitoring::provider::parse_month(&form.month);
    match outside::save_report(&mut tx, &sa, &form.report(), version).await {
        Ok(_) => {
            tx.commit().await?;
            let m = month.map(|m| m.code()).unwrap_or_default();
            Ok(see_other(&format!(
                "/shared/{client_id}/report?month={m}&saved=1"
            )))
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Rule(_) | StoreError::Conflict)) => {
            tx.rollback().await?;
            let person = outside::is_person(&sa);
            let (errors, status) = match e {
                StoreError::Invalid(mut errors) => {
                    if person && errors.get("provision").is_some() {
                        errors.0.remove("provision");
                        errors.add(
                            "note",
                            "「わたしの ことば」を書いてから、おくってください。",
                        );
                    }
                    (errors, StatusCode::UNPROCESSABLE_ENTITY)
                }
                StoreError::Conflict => {
                    let mut errors = FieldErrors::new();
                    errors.add("version", "この月の報告は、この画面を開いたあとに更新されています（別の端末での保存など）。入力は残してあります。最新の内容を確かめてから、もう一度保存してください。");
                    (errors, StatusCode::CONFLICT)
                }
                other => {
                    let mut errors = FieldErrors::new();
                    errors.add("provision", other.to_string());
                    (errors, StatusCode::UNPROCESSABLE_ENTITY)
                }
            };
            let month = month.unwrap_or_else(|| {
                yorisoi_domain::certificate::YearMonth::of(yorisoi_store::today_jst())
            });
            report_page(
                &st,
                &user,
                client_id,
                month,
                Some((form, errors, status)),
                false,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
