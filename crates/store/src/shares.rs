//! Documents shared with members of the care team outside the office (issue 19, item 3): the
//! specialist shares a plan version, a monitoring report or a meeting record with chosen
//! members; a share the consent does not cover is refused, naming whose consent is missing; the
//! recipient opens it (a disclosure each time) and acknowledges receipt (受領), which for a plan
//! fills its 交付 record. A share ends on its date or when revoked, and — like every shared
//! section — the moment its consent is withdrawn or its member leaves the team.

use crate::entities::{assessment, document_share, meeting, monitoring, plan, team_member};
use crate::meetings::Meeting;
use crate::monitorings::Monitoring;
use crate::outside::{
    SharedAccess, account_of, basis_for, consents_of, kind_of, member_kind, my_rows, recipient,
};
use crate::plans::Plan;
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc, today_jst};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use yorisoi_domain::date::format_wareki;
use yorisoi_domain::meeting::{Participant, uncovered};
use yorisoi_domain::plan::{DocStage, Handover, HandoverMethod, PlanState};
use yorisoi_domain::policy::{self, Action, Grant, RecordKind, Role};
use yorisoi_domain::team::{ShareRequest, SharedDocKind, TeamMemberRecord};

const KIND: RecordKind = RecordKind::CareTeam;

/// Where a share stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShareStatus {
    /// Open, not yet acknowledged.
    Waiting,
    Received,
    Expired,
    Revoked,
}

impl ShareStatus {
    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::Waiting => "未受領",
            ShareStatus::Received => "受領済み",
            ShareStatus::Expired => "期限切れ",
            ShareStatus::Revoked => "取り消し",
        }
    }
}

/// One document shared with one member.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Share {
    pub id: i64,
    pub client_id: i64,
    pub member_id: i64,
    #[schema(value_type = String)]
    pub doc: SharedDocKind,
    pub record_id: i64,
    /// 「サービス等利用計画（案） 第2版」
    pub title: String,
    pub message: String,
    pub shared_by: i64,
    pub created_at: DateTime<Utc>,
    /// The last day it can be opened; none for no end.
    pub expires_on: Option<NaiveDate>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub status: ShareStatus,
}

fn decode(m: document_share::Model, today: NaiveDate) -> Result<Share> {
    let doc = SharedDocKind::from_code(&m.doc).ok_or_else(|| corrupt("share doc", &m.doc))?;
    let status = if m.revoked_at.is_some() {
        ShareStatus::Revoked
    } else if m.received_at.is_some() {
        ShareStatus::Received
    } else if m.expires_on.is_some_and(|d| d < today) {
        ShareStatus::Expired
    } else {
        ShareStatus::Waiting
    };
    Ok(Share {
        id: m.id,
        client_id: m.client_id,
        member_id: m.member_id,
        doc,
        record_id: m.record_id,
        title: m.title,
        message: m.message,
        shared_by: m.shared_by,
        created_at: m.created_at,
        expires_on: m.expires_on,
        revoked_at: m.revoked_at,
        received_at: m.received_at,
        status,
    })
}

impl Share {
    /// Whether the recipient can still open it (a received share stays readable until it
    /// expires or is revoked).
    pub fn open(&self, today: NaiveDate) -> bool {
        self.revoked_at.is_none() && self.expires_on.is_none_or(|d| d >= today)
    }
}

/// A document of the client that can be shared, as the form lists it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Shareable {
    /// The form's value: `plan:12`.
    pub key: String,
    pub title: String,
}

/// A plan version's title: 「サービス等利用計画（案） 第2版」.
fn plan_title(m: &plan::Model) -> Result<(String, DocStage)> {
    let r = crate::plans::decode(m)?;
    let state = PlanState::from_code(&m.state).ok_or_else(|| corrupt("plan state", &m.state))?;
    let stage = if state == PlanState::Final {
        DocStage::Final
    } else {
        DocStage::Draft
    };
    let draft = if stage == DocStage::Draft {
        "（案）"
    } else {
        ""
    };
    Ok((
        format!("{}{draft} 第{}版", r.kind.label(), m.version_no),
        stage,
    ))
}

/// The client's plans (every version), monitoring reports and held meetings, newest first in
/// each kind, for the share form.
pub async fn shareable(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<Shareable>> {
    a.check(KIND, Action::Read)?;
    let mut out = Vec::new();
    for m in plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(a.client_id))
        .order_by_desc(plan::Column::Id)
        .all(tx.conn())
        .await?
    {
        out.push(Shareable {
            key: format!("plan:{}", m.id),
            title: plan_title(&m)?.0,
        });
    }
    for m in assessment::Entity::find()
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::ClientId.eq(a.client_id))
        .order_by_desc(assessment::Column::Id)
        .all(tx.conn())
        .await?
    {
        out.push(Shareable {
            key: format!("assessment:{}", m.id),
            title: assessment_title(&m),
        });
    }
    for m in monitoring::Entity::find()
        .filter(monitoring::Column::OfficeId.eq(tx.office_id()))
        .filter(monitoring::Column::ClientId.eq(a.client_id))
        .order_by_desc(monitoring::Column::MonitoredOn)
        .all(tx.conn())
        .await?
    {
        out.push(Shareable {
            key: format!("monitoring:{}", m.id),
            title: format!("モニタリング報告書 {}", format_wareki(m.monitored_on)),
        });
    }
    for m in meeting::Entity::find()
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::ClientId.eq(a.client_id))
        .filter(meeting::Column::Held.eq(true))
        .order_by_desc(meeting::Column::HeldOn)
        .all(tx.conn())
        .await?
    {
        out.push(Shareable {
            key: format!("meeting:{}", m.id),
            title: format!("サービス担当者会議の記録 {}", format_wareki(m.held_on)),
        });
    }
    Ok(out)
}

fn assessment_title(m: &assessment::Model) -> String {
    format!(
        "アセスメントシート 第{}版（{}）",
        m.version_no,
        format_wareki(m.assessed_on)
    )
}

/// The document's title and, for a plan, its stage; NotFound when it is not the client's.
async fn document(
    tx: &Tx,
    client_id: i64,
    doc: SharedDocKind,
    id: i64,
) -> Result<(String, Option<DocStage>)> {
    let office = tx.office_id();
    match doc {
        SharedDocKind::Plan => {
            let m = plan::Entity::find_by_id(id)
                .filter(plan::Column::OfficeId.eq(office))
                .filter(plan::Column::ClientId.eq(client_id))
                .one(tx.conn())
                .await?
                .ok_or(StoreError::NotFound)?;
            let (title, stage) = plan_title(&m)?;
            Ok((title, Some(stage)))
        }
        SharedDocKind::Monitoring => {
            let m = monitoring::Entity::find_by_id(id)
                .filter(monitoring::Column::OfficeId.eq(office))
                .filter(monitoring::Column::ClientId.eq(client_id))
                .one(tx.conn())
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok((
                format!("モニタリング報告書 {}", format_wareki(m.monitored_on)),
                None,
            ))
        }
        SharedDocKind::Assessment => {
            let m = assessment::Entity::find_by_id(id)
                .filter(assessment::Column::OfficeId.eq(office))
                .filter(assessment::Column::ClientId.eq(client_id))
                .one(tx.conn())
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok((assessment_title(&m), None))
        }
        SharedDocKind::Meeting => {
            let m = meeting::Entity::find_by_id(id)
                .filter(meeting::Column::OfficeId.eq(office))
                .filter(meeting::Column::ClientId.eq(client_id))
                .filter(meeting::Column::Held.eq(true))
                .one(tx.conn())
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok((
                format!("サービス担当者会議の記録 {}", format_wareki(m.held_on)),
                None,
            ))
        }
    }
}

/// A member as a share's recipient is named to the specialist: 「佐藤 一郎（ひかり作業所）」.
pub fn member_label(m: &TeamMemberRecord) -> String {
    if m.organisation.is_empty() {
        format!("{}（{}）", m.name, m.kind.label())
    } else {
        format!("{}（{}）", m.name, m.organisation)
    }
}

/// Shares one document with the chosen members. Every member must be on the team, have a
/// yorisoi account, and be covered by a consent in force for the document's section (the
/// person by their own record for a plan or a monitoring report); otherwise nothing is shared
/// and the refusal says, member by member, what is missing. Each share is logged (`share`).
pub async fn create(tx: &mut Tx, a: &ClientAccess, req: &ShareRequest) -> Result<Vec<i64>> {
    a.check(KIND, Action::Write)?;
    let (title, stage) = document(tx, a.client_id, req.doc, req.record_id).await?;
    let section = req.doc.section();
    let consents = consents_of(tx, a.client_id).await?;
    let today = today_jst();
    let mut missing = Vec::new();
    let mut ok = Vec::new();
    for &member_id in &req.member_ids {
        let row = crate::outside::member_row(tx, a, member_id).await?;
        let member = crate::team::decode_member(row.clone())?;
        let who = member_label(&member.record);
        if !row.active {
            missing.push(format!("{who}: ケアチームから外れています。"));
            continue;
        }
        if account_of(tx, member_id).await?.is_none() {
            missing.push(format!(
                "{who}: yorisoiに参加していません。ケアチームの画面から招待するか、紙で交付して記録してください。"
            ));
            continue;
        }
        let kind = member_kind(&row)?;
        let lacking: Vec<&str> = req
            .doc
            .sections()
            .iter()
            .filter(|s| basis_for(kind, member_id, **s, &consents, today).is_none())
            .map(|s| s.label())
            .collect();
        match basis_all(kind, member_id, req.doc, &consents, today) {
            Some(basis) if lacking.is_empty() => ok.push((member, basis)),
            _ => missing.push(format!(
                "{who}: 「{}」を受け取ることへの同意がありません。先に個人情報使用同意を記録してください。",
                lacking.join("」「")
            )),
        }
    }
    // A plan carries the family's own words (家族の意向): each speaker consents for theirs, as
    // for a meeting's participants — the same rule, asked of the same function.
    if req.doc == SharedDocKind::Plan && missing.is_empty() {
        let p = plan::Entity::find_by_id(req.record_id)
            .one(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        let r = crate::plans::decode(&p)?;
        let team: Vec<_> = crate::team::members(
            tx,
            &ClientAccess {
                kind: KIND,
                action: Action::Read,
                ..*a
            },
        )
        .await?
        .iter()
        .map(|m| m.team_ref())
        .collect();
        let recipients: Vec<Participant> = ok
            .iter()
            .map(|(m, _)| Participant {
                member_id: m.id,
                attended: false,
            })
            .collect();
        let records: Vec<_> = consents.iter().map(|(_, c)| c.clone()).collect();
        let gaps = uncovered(&recipients, &team, &records, today, &r.family_voices());
        for g in gaps.family {
            missing.push(format!(
                "{}: 計画に書かれた家族の意向について、{}さん自身の同意がありません（ケアチームの画面で、{}さんを本人とする同意を記録してください）。",
                g.participants.join("、"),
                g.name,
                g.name
            ));
        }
    }
    if !missing.is_empty() {
        return Err(StoreError::field("member_ids", missing.join(" ")));
    }
    let now = now_utc();
    let mut ids = Vec::with_capacity(ok.len());
    for (member, basis) in ok {
        let m = document_share::ActiveModel {
            office_id: Set(tx.office_id()),
            client_id: Set(a.client_id),
            member_id: Set(member.id),
            doc: Set(req.doc.code().into()),
            record_id: Set(req.record_id),
            stage: Set(stage.map(|s| s.code()).unwrap_or_default().into()),
            title: Set(title.clone()),
            message: Set(req.message.clone()),
            shared_by: Set(tx.actor().user_id),
            created_at: Set(now),
            expires_on: Set(req.expires_on),
            revoked_at: Set(None),
            revoked_by: Set(None),
            received_at: Set(None),
            received_by: Set(None),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        let sa = SharedAccess {
            client_id: a.client_id,
            member_id: member.id,
            member: member.record,
            basis,
            section,
        };
        let until = req
            .expires_on
            .map(|d| format!("（{}まで）", format_wareki(d)))
            .unwrap_or_default();
        tx.record(
            "share",
            kind_of(section),
            Some(req.record_id),
            Some(a.client_id),
            format!(
                "相手: {}／項目: {title}{until}／根拠: {}",
                recipient(sa.member_id, &sa.member),
                basis_text(sa.basis)
            ),
        );
        ids.push(m.id);
    }
    Ok(ids)
}

/// What lets the whole document go to the member: every section it holds covered (the basis of
/// its first, as the log names it), else none.
fn basis_all(
    kind: yorisoi_domain::team::MemberKind,
    member_id: i64,
    doc: SharedDocKind,
    consents: &[(i64, yorisoi_domain::team::ShareConsentRecord)],
    today: NaiveDate,
) -> Option<policy::Basis> {
    let mut first = None;
    for s in doc.sections() {
        let b = basis_for(kind, member_id, *s, consents, today)?;
        first.get_or_insert(b);
    }
    first
}

fn basis_text(b: policy::Basis) -> String {
    match b {
        policy::Basis::Consent(id) => format!("同意#{id}"),
        policy::Basis::Own => "本人の記録".into(),
    }
}

/// A share as the specialist lists it, with its recipient.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ShareRow {
    #[serde(flatten)]
    pub share: Share,
    /// 「佐藤 一郎（ひかり作業所）」
    pub to: String,
}

/// The client's shares, newest first (the read is logged).
pub async fn list(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<ShareRow>> {
    a.check(KIND, Action::Read)?;
    let rows = document_share::Entity::find()
        .filter(document_share::Column::OfficeId.eq(tx.office_id()))
        .filter(document_share::Column::ClientId.eq(a.client_id))
        .order_by_desc(document_share::Column::Id)
        .all(tx.conn())
        .await?;
    let members = team_member::Entity::find()
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .all(tx.conn())
        .await?;
    let today = today_jst();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let to = match members.iter().find(|m| m.id == r.member_id) {
            Some(m) => member_label(&crate::team::decode_member(m.clone())?.record),
            None => String::new(),
        };
        out.push(ShareRow {
            share: decode(r, today)?,
            to,
        });
    }
    tx.record("list", KIND, None, Some(a.client_id), "書類の共有");
    Ok(out)
}

/// Revokes a share: its recipient cannot open it from the next request. A received share can
/// be revoked too (the 交付 stays: it was handed over).
pub async fn revoke(tx: &mut Tx, a: &ClientAccess, share_id: i64) -> Result<()> {
    a.check(KIND, Action::Write)?;
    let m = document_share::Entity::find_by_id(share_id)
        .filter(document_share::Column::OfficeId.eq(tx.office_id()))
        .filter(document_share::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    if m.revoked_at.is_some() {
        return Err(StoreError::Rule(
            "この共有はすでに取り消されています。".into(),
        ));
    }
    let title = m.title.clone();
    let mut am: document_share::ActiveModel = m.into();
    am.revoked_at = Set(Some(now_utc()));
    am.revoked_by = Set(Some(tx.actor().user_id));
    am.update(tx.conn()).await?;
    tx.record(
        "unshare",
        KIND,
        Some(share_id),
        Some(a.client_id),
        format!("共有#{share_id} {title}"),
    );
    Ok(())
}

/// An open share the acting outside member may read now, and the grant it stands on: made only
/// by [`open`].
#[derive(Debug, Clone)]
pub struct ShareGrant {
    pub share: Share,
    /// The person the document is about (「青木 みのり」).
    pub person: String,
    sa: SharedAccess,
    stage: Option<DocStage>,
}

impl ShareGrant {
    /// To whom, as printed on every page of the shared PDF: 「佐藤 一郎（ひかり作業所）」.
    pub fn recipient_label(&self) -> String {
        member_label(&self.sa.member)
    }
    /// The recipient's place on the team (the person, family, a provider …).
    pub fn recipient_kind(&self) -> yorisoi_domain::team::MemberKind {
        self.sa.member.kind
    }
    fn access(&self, kind: RecordKind) -> ClientAccess {
        self.sa.as_client(kind)
    }
}

/// The share `share_id` for the acting outside member: theirs (a row of a team they are bound
/// to, still on it), not revoked, not past its date, and still covered by a consent (or the
/// person's own record). Anything else is the same NotFound, logged as refused.
pub async fn open(tx: &mut Tx, share_id: i64) -> Result<ShareGrant> {
    let refuse = |tx: &Tx, why: &str| {
        tx.refused(KIND, Action::Read, None, format!("共有#{share_id} ({why})"))
    };
    if tx.actor().role != Role::Outside {
        return Err(refuse(tx, "外部メンバー以外"));
    }
    let Some(m) = document_share::Entity::find_by_id(share_id)
        .filter(document_share::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
    else {
        return Err(refuse(tx, "存在しない"));
    };
    let today = today_jst();
    let stage = DocStage::from_code(&m.stage);
    let share = decode(m, today)?;
    let Some(row) = my_rows(tx, Some(share.client_id))
        .await?
        .into_iter()
        .find(|r| r.id == share.member_id)
    else {
        return Err(refuse(tx, "相手が違う"));
    };
    if !share.open(today) {
        return Err(refuse(tx, share.status.label()));
    }
    let section = share.doc.section();
    let consents = consents_of(tx, share.client_id).await?;
    let grant = Grant {
        office_id: tx.office_id(),
        on_team: row.active,
        basis: basis_all(member_kind(&row)?, row.id, share.doc, &consents, today),
    };
    let Ok(basis) = policy::authorize_shared(tx.actor(), &grant) else {
        return Err(tx.refused(
            kind_of(section),
            Action::Read,
            Some(share.client_id),
            format!("共有#{share_id} (同意・チームの外)"),
        ));
    };
    let member = crate::team::decode_member(row)?;
    let person = client_full_name(tx, share.client_id).await?;
    Ok(ShareGrant {
        person,
        sa: SharedAccess {
            client_id: share.client_id,
            member_id: member.id,
            member: member.record,
            basis,
            section,
        },
        share,
        stage,
    })
}

/// The shares the acting outside member can open today, newest first, with the person's name
/// and the member's place on that team. A share whose consent was withdrawn is not listed (not
/// even its title).
pub async fn mine(tx: &mut Tx) -> Result<Vec<(Share, String, yorisoi_domain::team::MemberKind)>> {
    if tx.actor().role != Role::Outside {
        return Err(tx.refused(KIND, Action::Read, None, "共有された書類".into()));
    }
    let rows = my_rows(tx, None).await?;
    let ids: Vec<i64> = rows.iter().filter(|r| r.active).map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let shares = document_share::Entity::find()
        .filter(document_share::Column::OfficeId.eq(tx.office_id()))
        .filter(document_share::Column::MemberId.is_in(ids))
        .filter(document_share::Column::RevokedAt.is_null())
        .order_by_desc(document_share::Column::Id)
        .all(tx.conn())
        .await?;
    let today = today_jst();
    let mut out = Vec::new();
    for m in shares {
        let s = decode(m, today)?;
        if !s.open(today) {
            continue;
        }
        let Some(row) = rows.iter().find(|r| r.id == s.member_id) else {
            continue;
        };
        let consents = consents_of(tx, s.client_id).await?;
        let section = s.doc.section();
        let Some(basis) = basis_all(member_kind(row)?, row.id, s.doc, &consents, today) else {
            continue;
        };
        let name = client_full_name(tx, s.client_id).await?;
        let member = crate::team::decode_member(row.clone())?;
        let kind = member.record.kind;
        let sa = SharedAccess {
            client_id: s.client_id,
            member_id: member.id,
            member: member.record,
            basis,
            section,
        };
        tx.disclose(
            &sa,
            Some(s.record_id),
            &format!("氏名・{}の題名（共有された書類の一覧）", s.title),
        );
        out.push((s, name, kind));
    }
    Ok(out)
}

/// Acknowledges receipt (受領) once; a plan's 交付 record gains 「yorisoiで共有・受領確認」 to the
/// recipient on today's date (which, for a consented final plan, begins the services as a hand
/// over by hand does). Logged as `receive`.
pub async fn receive(tx: &mut Tx, g: &ShareGrant) -> Result<()> {
    if g.share.received_at.is_some() {
        return Ok(());
    }
    let now = now_utc();
    let res = document_share::Entity::update_many()
        .col_expr(
            document_share::Column::ReceivedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            document_share::Column::ReceivedBy,
            sea_orm::sea_query::Expr::value(tx.actor().user_id),
        )
        .filter(document_share::Column::Id.eq(g.share.id))
        .filter(document_share::Column::ReceivedAt.is_null())
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        // Acknowledged by another request a moment ago.
        return Ok(());
    }
    if g.share.doc == SharedDocKind::Plan {
        let acc = ClientAccess {
            action: Action::Write,
            ..g.access(RecordKind::Plan)
        };
        let p = crate::plans::get(tx, &acc, g.share.record_id).await?;
        let h = Handover {
            stage: g.stage.unwrap_or(DocStage::Draft),
            to: member_label(&g.sa.member),
            on: today_jst(),
            method: HandoverMethod::Yorisoi,
        };
        crate::plans::add_handover(tx, &acc, p.id, p.version, &h).await?;
    }
    tx.record(
        "receive",
        kind_of(g.sa.section),
        Some(g.share.record_id),
        Some(g.sa.client_id),
        format!(
            "相手: {}／項目: {}（共有#{}）",
            recipient(g.sa.member_id, &g.sa.member),
            g.share.title,
            g.share.id
        ),
    );
    Ok(())
}

/// The share's own page (title, who shared it, until when) as shown to its recipient: a
/// disclosure of the person's name and the document's title.
pub fn notice_viewed(tx: &mut Tx, g: &ShareGrant) {
    tx.disclose(
        &g.sa,
        Some(g.share.record_id),
        &format!("氏名・{}の案内（共有#{}）", g.share.title, g.share.id),
    );
}

/// Who shared the document (the staff member's name), for its page.
pub async fn shared_by_name(tx: &Tx, g: &ShareGrant) -> Result<String> {
    crate::users::staff_name(tx, g.share.shared_by).await
}

/// What a shared document's PDF is made from: the record, read under the share's grant.
pub enum SharedRecord {
    Plan(Box<Plan>),
    Monitoring(Box<Monitoring>, Option<PlanLabel>),
    Meeting(Box<Meeting>, Vec<crate::team::Member>, Option<PlanLabel>),
    Assessment(Box<crate::assessments::Assessment>),
}

/// What a monitoring report or a meeting record prints of the plan it belongs to (the plan
/// itself is not read under their grant).
#[derive(Debug, Clone)]
pub struct PlanLabel {
    pub kind: yorisoi_domain::plan::PlanKind,
    pub version_no: i32,
    /// 計画作成日, or the draft's date.
    pub made_on: NaiveDate,
}

async fn plan_label(tx: &Tx, client_id: i64, plan_id: i64) -> Result<Option<PlanLabel>> {
    let Some(m) = plan::Entity::find_by_id(plan_id)
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(client_id))
        .one(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(PlanLabel {
        kind: crate::plans::decode(&m)?.kind,
        version_no: m.version_no,
        made_on: m.decided_on.unwrap_or(m.drafted_on),
    }))
}

/// The shared record with what its document prints beside it (the ledger for the header, the
/// certificates for a plan's header, the team for a meeting's participants). The disclosure is
/// logged with `how` (「画面」 or 「PDF」).
pub async fn record(
    tx: &mut Tx,
    g: &ShareGrant,
    how: &str,
) -> Result<(
    SharedRecord,
    crate::clients::Client,
    Vec<crate::certificates::Certificate>,
)> {
    let client = crate::clients::get(tx, &g.access(RecordKind::Ledger)).await?;
    let id = g.share.record_id;
    let (rec, certs) = match g.share.doc {
        SharedDocKind::Plan => {
            let p = plan_of(tx, g, id).await?;
            let certs = crate::certificates::list(tx, &g.access(RecordKind::Certificate)).await?;
            (SharedRecord::Plan(p), certs)
        }
        SharedDocKind::Monitoring => {
            let m = crate::monitorings::get(tx, &g.access(RecordKind::Monitoring), id).await?;
            let p = plan_label(tx, g.sa.client_id, m.plan_id).await?;
            (SharedRecord::Monitoring(Box::new(m), p), Vec::new())
        }
        SharedDocKind::Assessment => {
            let a = crate::assessments::get(tx, &g.access(RecordKind::Assessment), id).await?;
            (SharedRecord::Assessment(Box::new(a)), Vec::new())
        }
        SharedDocKind::Meeting => {
            let m = crate::meetings::get(tx, &g.access(RecordKind::Meeting), id).await?;
            let team = crate::team::members(tx, &g.access(RecordKind::CareTeam)).await?;
            let p = plan_label(tx, g.sa.client_id, m.plan_id).await?;
            (SharedRecord::Meeting(Box::new(m), team, p), Vec::new())
        }
    };
    tx.disclose(
        &g.sa,
        Some(id),
        &format!("{}（{how}・共有#{}）", g.share.title, g.share.id),
    );
    Ok((rec, client, certs))
}

async fn plan_of(tx: &mut Tx, g: &ShareGrant, id: i64) -> Result<Box<Plan>> {
    crate::plans::get(tx, &g.access(RecordKind::Plan), id)
        .await
        .map(Box::new)
}

async fn client_full_name(tx: &Tx, client_id: i64) -> Result<String> {
    Ok(crate::entities::client::Entity::find_by_id(client_id)
        .filter(crate::entities::client::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|c| format!("{} {}", c.family_name, c.given_name))
        .unwrap_or_default())
}

/// A share on the office's list: with the person's name, the recipient, their place on the team
/// and who acknowledged it (受理した担当者, for a municipality).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OfficeShare {
    #[serde(flatten)]
    pub row: ShareRow,
    pub client_name: String,
    /// The recipient's place on the team (`municipality` for a submission to the 市町村).
    #[schema(value_type = String)]
    pub member_kind: yorisoi_domain::team::MemberKind,
    /// Who pressed 受領 (the outside member's account name), or "".
    pub received_by: String,
}

/// What the office's list of shares is narrowed to.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct OfficeShareFilter {
    /// waiting, received, expired, revoked; empty for all.
    pub status: String,
    /// `municipality` for the submissions to the 市町村 only; empty for all.
    pub to: String,
    /// Words found in the person's name, the document or the recipient.
    pub q: String,
}

/// Every share of the office's clients the user may see the care team of, newest first (at
/// most 500), narrowed by `f`. The read is logged once.
pub async fn office_list(tx: &mut Tx, f: &OfficeShareFilter) -> Result<Vec<OfficeShare>> {
    use crate::entities::{client, user};
    use yorisoi_domain::policy::Target;
    tx.staff_only()?;
    let rows = document_share::Entity::find()
        .filter(document_share::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(document_share::Column::Id)
        .all(tx.conn())
        .await?;
    let today = today_jst();
    let words: Vec<String> =
        f.q.split_whitespace()
            .map(yorisoi_domain::text::search_fold)
            .collect();
    let mut clients: Vec<(i64, Option<client::Model>)> = Vec::new();
    let mut members: Vec<team_member::Model> = Vec::new();
    let mut out = Vec::new();
    for r in rows {
        if out.len() >= 500 {
            break;
        }
        let c = match clients.iter().find(|(id, _)| *id == r.client_id) {
            Some((_, c)) => c.clone(),
            None => {
                let c = client::Entity::find_by_id(r.client_id)
                    .filter(client::Column::OfficeId.eq(tx.office_id()))
                    .one(tx.conn())
                    .await?
                    .filter(|c| {
                        let target = Target {
                            office_id: c.office_id,
                            assigned_to: c.assigned_user_id,
                        };
                        policy::authorize(tx.actor(), KIND, Action::Read, &target).is_ok()
                    });
                clients.push((r.client_id, c.clone()));
                c
            }
        };
        let Some(c) = c else { continue };
        if !members.iter().any(|m| m.id == r.member_id)
            && let Some(m) = team_member::Entity::find_by_id(r.member_id)
                .one(tx.conn())
                .await?
        {
            members.push(m);
        }
        let Some(m) = members.iter().find(|m| m.id == r.member_id) else {
            continue;
        };
        let member = crate::team::decode_member(m.clone())?;
        if f.to == "municipality"
            && member.record.kind != yorisoi_domain::team::MemberKind::Municipality
        {
            continue;
        }
        let received_by = match r.received_by {
            Some(u) => user::Entity::find_by_id(u)
                .one(tx.conn())
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default(),
            None => String::new(),
        };
        let share = decode(r, today)?;
        let status_ok = match f.status.as_str() {
            "waiting" => share.status == ShareStatus::Waiting,
            "received" => share.status == ShareStatus::Received,
            "expired" => share.status == ShareStatus::Expired,
            "revoked" => share.status == ShareStatus::Revoked,
            _ => true,
        };
        let client_name = format!("{} {}", c.family_name, c.given_name);
        let to = member_label(&member.record);
        let hay = yorisoi_domain::text::search_fold(&format!(
            "{client_name} {} {} {} {} {to}",
            c.family_name_kana, c.given_name_kana, share.title, received_by
        ));
        if !status_ok || !words.iter().all(|w| hay.contains(w.as_str())) {
            continue;
        }
        out.push(OfficeShare {
            row: ShareRow { share, to },
            client_name,
            member_kind: member.record.kind,
            received_by,
        });
    }
    tx.record("list", KIND, None, None, "書類の共有・提出（事業所）");
    Ok(out)
}
