//! Sharing a document with the care team (issue 19, item 3): the specialist's page of a
//! client's shares (share, see who received what, revoke), and the recipient's page of one
//! shared document (open the PDF stamped with their name, acknowledge receipt).

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::audit::jst;
use crate::kit::form::Form;
use crate::kit::links::see_other;
use crate::kit::print::pdf_response;
use crate::kit::print::shared::print_shared;
use crate::kit::records::client_name;
use crate::kit::render::{Nav, render, render_status};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::date::format_wareki;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::team::{MemberKind, SHARE_DAYS, ShareInput, SharedDocKind};
use yorisoi_store::shares::{self, Share, ShareRow, ShareStatus, Shareable};
use yorisoi_store::{StoreError, outside, team, today_jst};

const KIND: RecordKind = RecordKind::CareTeam;

/// A member the form offers, with what stands in the way of sharing with them.
pub struct Candidate {
    pub id: i64,
    pub label: String,
    /// 「yorisoi未参加」, or "".
    pub note: String,
    pub checked: bool,
}

pub struct ShareLine {
    pub id: i64,
    pub title: String,
    pub to: String,
    pub shared: String,
    pub until: String,
    pub status: &'static str,
    pub received: String,
    pub revocable: bool,
}

#[derive(Template)]
#[template(path = "shares.html")]
pub struct SharesPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub may_write: bool,
    /// (key, title, chosen)
    pub documents: Vec<(String, String, bool)>,
    pub candidates: Vec<Candidate>,
    pub input: ShareInput,
    pub errors: FieldErrors,
    pub lines: Vec<ShareLine>,
    pub flash: &'static str,
    pub default_days: i64,
}

/// A share's state as its page and lists say it: to the 市町村 a document is submitted
/// (提出) and accepted (受理); to anyone else it is shared and received (受領).
pub fn status_label(status: ShareStatus, kind: MemberKind) -> &'static str {
    match (status, kind) {
        (ShareStatus::Waiting, MemberKind::Municipality) => "受理待ち",
        (ShareStatus::Received, MemberKind::Municipality) => "受理済み",
        (s, _) => s.label(),
    }
}

pub struct OfficeLine {
    pub client_id: i64,
    pub client_name: String,
    pub line: ShareLine,
    pub received_by: String,
    pub submission: bool,
}

#[derive(Template)]
#[template(path = "office_shares.html")]
pub struct OfficeSharesPage {
    pub nav: Nav,
    pub lines: Vec<OfficeLine>,
    pub filter: shares::OfficeShareFilter,
    pub statuses: Vec<(&'static str, &'static str, bool)>,
}

/// `GET /shares?status=&to=&q=`: every share and submission of the office's clients the user
/// may see, acknowledged or not.
pub async fn office(
    State(st): State<AppState>,
    user: Authed,
    Query(f): Query<shares::OfficeShareFilter>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let rows = shares::office_list(&mut tx, &f).await?;
    tx.commit().await?;
    let statuses = [
        ("waiting", "未受領・受理待ち"),
        ("received", "受領・受理済み"),
        ("expired", "期限切れ"),
        ("revoked", "取り消し"),
    ]
    .iter()
    .map(|(c, l)| (*c, *l, f.status == *c))
    .collect();
    render(&OfficeSharesPage {
        nav: Nav::new(&user, "shares"),
        lines: rows
            .iter()
            .map(|r| {
                let mut line = line(&r.row);
                line.status = status_label(r.row.share.status, r.member_kind);
                OfficeLine {
                    client_id: r.row.share.client_id,
                    client_name: r.client_name.clone(),
                    line,
                    received_by: r.received_by.clone(),
                    submission: r.member_kind == MemberKind::Municipality,
                }
            })
            .collect(),
        filter: f,
        statuses,
    })
}

fn line(r: &ShareRow) -> ShareLine {
    let s = &r.share;
    ShareLine {
        id: s.id,
        title: s.title.clone(),
        to: r.to.clone(),
        shared: jst(s.created_at),
        until: s
            .expires_on
            .map(format_wareki)
            .unwrap_or_else(|| "期限なし".into()),
        status: s.status.label(),
        received: s.received_at.map(jst).unwrap_or_default(),
        revocable: s.status != ShareStatus::Revoked,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SharesQuery {
    /// `plan:12`: the document to preselect (from a plan's page).
    pub document: String,
    pub saved: String,
}

async fn page(
    st: &AppState,
    user: &Authed,
    client_id: i64,
    typed: Option<(ShareInput, FieldErrors)>,
    flash: &'static str,
) -> Result<SharesPage, AppError> {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Read).await?;
    let may_write = tx
        .client_access(client_id, KIND, Action::Write)
        .await
        .is_ok();
    let docs: Vec<Shareable> = shares::shareable(&mut tx, &acc).await?;
    let members = team::members(&mut tx, &acc).await?;
    let access = outside::team_access(&mut tx, &acc).await?;
    let rows = shares::list(&mut tx, &acc).await?;
    let name = client_name(&mut tx, client_id).await?;
    tx.commit().await?;
    let (input, errors) = typed.unwrap_or_default();
    let candidates = members
        .iter()
        .filter(|m| m.active)
        .map(|m| {
            let linked = access
                .iter()
                .any(|a| a.member_id == m.id && a.account.is_some());
            Candidate {
                id: m.id,
                label: format!(
                    "{}（{}{}）",
                    m.record.name,
                    m.record.kind.label(),
                    if m.record.organisation.is_empty() {
                        String::new()
                    } else {
                        format!("・{}", m.record.organisation)
                    }
                ),
                note: if linked {
                    String::new()
                } else {
                    "yorisoi未参加".into()
                },
                checked: input
                    .member_ids
                    .iter()
                    .any(|x| x.trim() == m.id.to_string()),
            }
        })
        .collect();
    Ok(SharesPage {
        nav: Nav::new(user, "clients"),
        client_id,
        client_name: name,
        may_write,
        documents: docs
            .into_iter()
            .map(|d| {
                let chosen = d.key == input.document.trim();
                (d.key, d.title, chosen)
            })
            .collect(),
        candidates,
        lines: rows
            .iter()
            .map(|r| {
                let mut l = line(r);
                if let Some(m) = members.iter().find(|m| m.id == r.share.member_id) {
                    l.status = status_label(r.share.status, m.record.kind);
                }
                l
            })
            .collect(),
        input,
        errors,
        flash,
        default_days: SHARE_DAYS,
    })
}

/// `GET /clients/{id}/shares?document=plan:12`: the client's shares and the share form.
pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
    Query(q): Query<SharesQuery>,
) -> PageResult {
    let flash = match q.saved.as_str() {
        "shared" => "共有しました。相手が受領すると、この一覧と（計画なら）交付の記録に残ります。",
        "revoked" => "共有を取り消しました。相手は次の操作からこの書類を開けません。",
        _ => "",
    };
    let typed = (!q.document.is_empty()).then(|| {
        (
            ShareInput {
                document: q.document.clone(),
                ..Default::default()
            },
            FieldErrors::new(),
        )
    });
    render(&page(&st, &user, client_id, typed, flash).await?)
}

/// `POST /clients/{id}/shares`: shared with every chosen member, or with none (the refusal
/// says whose consent or account is missing; the form keeps what was chosen).
pub async fn create(
    State(st): State<AppState>,
    user: Authed,
    Path(client_id): Path<i64>,
    Form(input): Form<ShareInput>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Write).await?;
    let active = team::active_member_ids(&mut tx, &acc).await?;
    // Shared with all, or refused as a whole: the form comes back as typed with the reasons.
    let errors = match input.validate(today_jst(), &active) {
        Err(errors) => errors,
        Ok(req) => match shares::create(&mut tx, &acc, &req).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(see_other(&format!(
                    "/clients/{client_id}/shares?saved=shared"
                )));
            }
            Err(StoreError::Invalid(errors)) => errors,
            Err(StoreError::NotFound) => {
                let mut errors = FieldErrors::new();
                errors.add(
                    "document",
                    "選んだ書類が見つかりません。一覧から選び直してください。",
                );
                errors
            }
            Err(e) => return Err(e.into()),
        },
    };
    tx.rollback().await?;
    let p = page(&st, &user, client_id, Some((input, errors)), "").await?;
    render_status(&p, StatusCode::UNPROCESSABLE_ENTITY)
}

/// `POST /clients/{id}/shares/{share}/revoke`.
pub async fn revoke(
    State(st): State<AppState>,
    user: Authed,
    Path((client_id, share_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx.client_access(client_id, KIND, Action::Write).await?;
    match shares::revoke(&mut tx, &acc, share_id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/clients/{client_id}/shares?saved=revoked"
            )))
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            Err(AppError::Rule(m))
        }
        Err(e) => Err(e.into()),
    }
}

/// One shared document on the recipient's home page.
pub struct SharedDocLine {
    pub id: i64,
    pub person: String,
    pub title: String,
    pub until: String,
    pub received: bool,
    /// 「受理済み」 or 「受領済み」, 「受理待ち」 or 「未受領」.
    pub status: &'static str,
}

pub fn doc_lines(shares: Vec<(Share, String, MemberKind)>) -> Vec<SharedDocLine> {
    shares
        .into_iter()
        .map(|(s, person, kind)| SharedDocLine {
            status: status_label(s.status, kind),
            id: s.id,
            person,
            title: s.title,
            until: s
                .expires_on
                .map(|d| format!("{}まで", format_wareki(d)))
                .unwrap_or_default(),
            received: s.received_at.is_some(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "shared_document.html")]
pub struct SharedDocumentPage {
    pub nav: Nav,
    pub id: i64,
    pub person: String,
    pub title: String,
    pub shared_by: String,
    pub shared_at: String,
    pub until: String,
    pub message: String,
    pub received_at: String,
    /// The easy-read version is offered (a plan).
    pub easy_offered: bool,
    /// The person or their family: large type and plain words.
    pub easy: bool,
    pub just_received: bool,
    /// To the 市町村: submitted and accepted (受理) rather than shared and received.
    pub submission: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DocumentQuery {
    pub received: String,
}

/// `GET /shared/documents/{share}`: the document's page for its recipient (a disclosure of
/// its title); anything not theirs, revoked, expired or no longer consented is 404.
pub async fn document(
    State(st): State<AppState>,
    user: Authed,
    Path(share_id): Path<i64>,
    Query(q): Query<DocumentQuery>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let g = shares::open(&mut tx, share_id).await?;
    shares::notice_viewed(&mut tx, &g);
    let by = shares::shared_by_name(&tx, &g).await?;
    tx.commit().await?;
    let easy = matches!(g.recipient_kind(), MemberKind::Person | MemberKind::Family);
    render(&SharedDocumentPage {
        nav: Nav::new(&user, "shared"),
        id: g.share.id,
        person: g.person.clone(),
        title: g.share.title.clone(),
        shared_by: by,
        shared_at: jst(g.share.created_at),
        until: g
            .share
            .expires_on
            .map(|d| format!("{}まで", format_wareki(d)))
            .unwrap_or_else(|| "期限なし".into()),
        message: g.share.message.clone(),
        received_at: g.share.received_at.map(jst).unwrap_or_default(),
        easy_offered: g.share.doc == SharedDocKind::Plan && easy,
        easy,
        just_received: q.received == "1",
        submission: g.recipient_kind() == MemberKind::Municipality,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PdfQuery {
    /// `1` for the easy-read plan.
    pub easy: String,
}

/// `GET /shared/documents/{share}/pdf?easy=1`: the PDF with the recipient's name and the date
/// on every page.
pub async fn pdf(
    State(st): State<AppState>,
    user: Authed,
    Path(share_id): Path<i64>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    let p = print_shared(&st, user.actor(), share_id, q.easy == "1").await?;
    Ok(pdf_response(p.pdf, &p.filename))
}

/// `POST /shared/documents/{share}/receive`: 受領. For a plan, its 交付 record gains the
/// recipient and today's date.
pub async fn receive(
    State(st): State<AppState>,
    user: Authed,
    Path(share_id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let g = shares::open(&mut tx, share_id).await?;
    match shares::receive(&mut tx, &g).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!(
                "/shared/documents/{share_id}?received=1"
            )))
        }
        Err(StoreError::Conflict) => {
            // The plan was saved by the office at the same moment: the receipt is not lost,
            // it is asked for again.
            tx.rollback().await?;
            Err(AppError::Rule(
                "いま事業所で計画が更新されたため、受領を記録できませんでした。もう一度「受領しました」を押してください。"
                    .into(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
