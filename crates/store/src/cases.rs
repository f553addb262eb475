//! 支援ケース and the intake that opens it. The stage moves only as the domain's state machine
//! allows; a closed case is read-only.

use crate::entities::{case, intake};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use yorisoi_domain::case::*;
use yorisoi_domain::policy::{Action, RecordKind};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Case {
    pub id: i64,
    pub client_id: i64,
    pub stage: CaseStage,
    pub title: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<TerminationReason>,
    pub close_reason_text: String,
    /// 終結・エバリュエーション: the look back and hand-over (empty while open).
    pub evaluation: Evaluation,
    /// The first day the case's records may be disposed of (closed cases only).
    pub retain_until: Option<NaiveDate>,
    pub version: i32,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Intake {
    pub id: i64,
    #[serde(flatten)]
    pub record: IntakeRecord,
    pub version: i32,
}

fn case_from(m: case::Model) -> Result<Case> {
    Ok(Case {
        stage: CaseStage::from_code(&m.stage).ok_or_else(|| corrupt("stage", &m.stage))?,
        close_reason: match m.close_reason.as_deref() {
            None => None,
            Some(r) => {
                Some(TerminationReason::from_code(r).ok_or_else(|| corrupt("close reason", r))?)
            }
        },
        id: m.id,
        client_id: m.client_id,
        title: m.title,
        opened_on: m.opened_on,
        closed_on: m.closed_on,
        close_reason_text: m.close_reason_text,
        evaluation: if m.evaluation.is_empty() {
            Evaluation::default()
        } else {
            serde_json::from_str(&m.evaluation)
                .map_err(|e| corrupt("evaluation", &e.to_string()))?
        },
        retain_until: m.retain_until,
        version: m.version,
    })
}

fn intake_from(m: intake::Model) -> Result<Intake> {
    Ok(Intake {
        id: m.id,
        version: m.version,
        record: IntakeRecord {
            intake_date: m.intake_date,
            referral_source: ReferralSource::from_code(&m.referral_source)
                .ok_or_else(|| corrupt("referral", &m.referral_source))?,
            referral_note: m.referral_note,
            chief_complaint: m.chief_complaint,
            situation: m.situation,
            explained: m.explained,
            consent_to_support: SupportConsent::from_code(&m.consent_to_support)
                .ok_or_else(|| corrupt("consent", &m.consent_to_support))?,
            urgency: Urgency::from_code(&m.urgency)
                .ok_or_else(|| corrupt("urgency", &m.urgency))?,
            next_steps: m.next_steps,
            title: String::new(),
        },
    })
}

/// Opens a case with its intake record; returns the case id.
pub async fn open(tx: &mut Tx, a: &ClientAccess, r: &IntakeRecord) -> Result<i64> {
    a.check(RecordKind::Case, Action::Write)?;
    let now = now_utc();
    let c = case::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        stage: Set(CaseStage::Intake.code().into()),
        title: Set(r.title.clone()),
        opened_on: Set(r.intake_date),
        closed_on: Set(None),
        close_reason: Set(None),
        close_reason_text: Set(String::new()),
        evaluation: Set(String::new()),
        retain_until: Set(None),
        created_by: Set(tx.actor().user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let mut am = intake::ActiveModel {
        office_id: Set(tx.office_id()),
        case_id: Set(c.id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    fill_intake(&mut am, r);
    am.insert(tx.conn()).await?;
    tx.record(
        "create",
        RecordKind::Case,
        Some(c.id),
        Some(a.client_id),
        "intake",
    );
    follow_client(tx, a.client_id, c.id, CaseStage::Intake).await?;
    Ok(c.id)
}

fn fill_intake(am: &mut intake::ActiveModel, r: &IntakeRecord) {
    am.intake_date = Set(r.intake_date);
    am.referral_source = Set(r.referral_source.code().into());
    am.referral_note = Set(r.referral_note.clone());
    am.chief_complaint = Set(r.chief_complaint.clone());
    am.situation = Set(r.situation.clone());
    am.explained = Set(r.explained.clone());
    am.consent_to_support = Set(r.consent_to_support.code().into());
    am.urgency = Set(r.urgency.code().into());
    am.next_steps = Set(r.next_steps.clone());
}

/// The client's cases, newest first.
pub async fn list(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<Case>> {
    a.check(RecordKind::Case, Action::Read)?;
    let rows = case::Entity::find()
        .filter(case::Column::ClientId.eq(a.client_id))
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .order_by_desc(case::Column::OpenedOn)
        .order_by_desc(case::Column::Id)
        .all(tx.conn())
        .await?;
    from_rows(tx, a, rows)
}

/// The cases read, newest first, with the read logged.
pub(crate) fn from_rows(
    tx: &mut Tx,
    a: &ClientAccess,
    rows: Vec<case::Model>,
) -> Result<Vec<Case>> {
    a.check(RecordKind::Case, Action::Read)?;
    tx.record("read", RecordKind::Case, None, Some(a.client_id), "list");
    rows.into_iter().map(case_from).collect()
}

/// Whether the case is still open (not 終結); unknown ids are NotFound.
pub async fn is_open(tx: &Tx, case_id: i64) -> Result<bool> {
    let c = case::Entity::find_by_id(case_id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(c.stage != CaseStage::Closed.code())
}

/// The client a case belongs to (so that the caller can ask for access to it).
pub async fn client_of(tx: &Tx, case_id: i64) -> Result<i64> {
    let c = case::Entity::find_by_id(case_id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(c.client_id)
}

/// A case with its intake (the read is logged).
pub async fn get(tx: &mut Tx, a: &ClientAccess, case_id: i64) -> Result<(Case, Intake)> {
    a.check(RecordKind::Case, Action::Read)?;
    let c = case::Entity::find_by_id(case_id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let i = intake::Entity::find()
        .filter(intake::Column::CaseId.eq(case_id))
        .filter(intake::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    log_read(tx, case_id, a.client_id);
    let mut intake = intake_from(i)?;
    intake.record.title = c.title.clone();
    Ok((case_from(c)?, intake))
}

/// The event of reading a case (also logged by a read that shows the case's stage).
pub(crate) fn log_read(tx: &mut Tx, case_id: i64, client_id: i64) {
    tx.record("read", RecordKind::Case, Some(case_id), Some(client_id), "");
}

/// The case `case_id` of the client `a` grants access to (another client's is not found).
pub(crate) async fn case_of(tx: &Tx, a: &ClientAccess, case_id: i64) -> Result<case::Model> {
    case::Entity::find_by_id(case_id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// The case, if records may still be written to it: a closed case is read-only, and so is
/// every record in it (assessments, plans, monitorings, decision support).
pub(crate) async fn open_case(tx: &Tx, a: &ClientAccess, case_id: i64) -> Result<case::Model> {
    let c = case_of(tx, a, case_id).await?;
    if c.stage == CaseStage::Closed.code() {
        return Err(StoreError::Rule(
            "終結したケースの記録は変更できません。".into(),
        ));
    }
    Ok(c)
}

/// Saves an edit of the intake (and the case title) made from the intake's `version`.
pub async fn update_intake(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    version: i32,
    r: &IntakeRecord,
) -> Result<()> {
    a.check(RecordKind::Case, Action::Write)?;
    open_case(tx, a, case_id).await?;
    let mut am = intake::ActiveModel {
        ..Default::default()
    };
    fill_intake(&mut am, r);
    am.version = Set(version + 1);
    am.updated_at = Set(now_utc());
    let res = intake::Entity::update_many()
        .set(am)
        .filter(intake::Column::CaseId.eq(case_id))
        .filter(intake::Column::OfficeId.eq(tx.office_id()))
        .filter(intake::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    case::Entity::update_many()
        .col_expr(case::Column::Title, Expr::value(r.title.clone()))
        .col_expr(case::Column::OpenedOn, Expr::value(r.intake_date))
        .col_expr(case::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(case::Column::Id.eq(case_id))
        .exec(tx.conn())
        .await?;
    tx.record(
        "update",
        RecordKind::Case,
        Some(case_id),
        Some(a.client_id),
        "intake",
    );
    Ok(())
}

/// Moves the case to another stage by hand, as the cycle allows: for the exceptions the records
/// do not show (the records move it on their own). The reason is required and logged.
pub async fn move_stage(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    version: i32,
    to: CaseStage,
    reason: &str,
) -> Result<()> {
    a.check(RecordKind::Case, Action::Write)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::field(
            "reason",
            "段階を手で変える理由を入力してください（記録から自動で進まない例外のときだけ使います）。",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(StoreError::field(
            "reason",
            "理由は200文字以内で入力してください。",
        ));
    }
    if to == CaseStage::Closed {
        return Err(StoreError::Rule(
            "終結は終結の画面から理由を入れて行ってください。".into(),
        ));
    }
    let c = open_case(tx, a, case_id).await?;
    let from = CaseStage::from_code(&c.stage).ok_or_else(|| corrupt("stage", &c.stage))?;
    from.move_to(to)
        .map_err(|e| StoreError::Rule(e.to_string()))?;
    set_stage(tx, a.client_id, case_id, version, from, to, reason).await?;
    follow_client(tx, a.client_id, case_id, to).await
}

/// Writes a stage already checked against the cycle, from `version`, and logs the step (with
/// the reason when it was moved by hand).
async fn set_stage(
    tx: &mut Tx,
    client_id: i64,
    case_id: i64,
    version: i32,
    from: CaseStage,
    to: CaseStage,
    reason: &str,
) -> Result<()> {
    bump(
        tx,
        case_id,
        version,
        vec![(case::Column::Stage, Expr::value(to.code()))],
    )
    .await?;
    tx.record(
        "stage",
        RecordKind::Case,
        Some(case_id),
        Some(client_id),
        if reason.is_empty() {
            format!("{}→{} (記録から)", from.code(), to.code())
        } else {
            format!("{}→{} 手動: {reason}", from.code(), to.code())
        },
    );
    Ok(())
}

/// Moves an open case on as the record just written implies (`event`): the domain decides
/// where, only ever forward; the client's status follows. The caller holds write access to the
/// record that implied it, inside the same transaction; the step is logged.
pub(crate) async fn follow(
    tx: &mut Tx,
    client_id: i64,
    case_id: i64,
    event: CaseEvent,
) -> Result<()> {
    let c = case::Entity::find_by_id(case_id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::ClientId.eq(client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let from = CaseStage::from_code(&c.stage).ok_or_else(|| corrupt("stage", &c.stage))?;
    let Some(to) = from.follow(event) else {
        return Ok(());
    };
    set_stage(tx, client_id, case_id, c.version, from, to, "").await?;
    follow_client(tx, client_id, case_id, to).await
}

/// Sets the client's status to what the stage of one of their cases implies (the domain's
/// rule); a change is a new version of the ledger and is logged.
async fn follow_client(tx: &mut Tx, client_id: i64, case_id: i64, stage: CaseStage) -> Result<()> {
    use crate::entities::client;
    use yorisoi_domain::client::ClientStatus;
    let m = client::Entity::find_by_id(client_id)
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let current = ClientStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?;
    let others_open = case::Entity::find()
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::ClientId.eq(client_id))
        .filter(case::Column::Id.ne(case_id))
        .filter(case::Column::Stage.ne(CaseStage::Closed.code()))
        .count(tx.conn())
        .await?
        > 0;
    let next = client_status_after(current, stage, others_open);
    if next == current {
        return Ok(());
    }
    client::Entity::update_many()
        .col_expr(client::Column::Status, Expr::value(next.code()))
        .col_expr(client::Column::Version, Expr::value(m.version + 1))
        .col_expr(client::Column::UpdatedAt, Expr::value(now_utc()))
        .filter(client::Column::Id.eq(client_id))
        .filter(client::Column::OfficeId.eq(tx.office_id()))
        .filter(client::Column::Version.eq(m.version))
        .exec(tx.conn())
        .await?;
    tx.record(
        "status",
        RecordKind::Ledger,
        Some(client_id),
        Some(client_id),
        format!("{}→{} (case {case_id})", current.code(), next.code()),
    );
    Ok(())
}

/// Closes the case (終結) with a reason, the look back and the hand-over; it becomes read-only
/// and its retention date is set from the office's setting. Returns that date.
pub async fn close(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    version: i32,
    r: &CloseRecord,
) -> Result<NaiveDate> {
    a.check(RecordKind::Case, Action::Write)?;
    let c = open_case(tx, a, case_id).await?;
    if r.closed_on < c.opened_on {
        return Err(StoreError::field(
            "closed_on",
            "終結日が開始日より前になっています。",
        ));
    }
    let years = crate::offices::retention_years(tx).await?;
    let retain_until = retention_until(r.closed_on, years);
    let evaluation =
        serde_json::to_string(&r.evaluation).map_err(|e| corrupt("evaluation", &e.to_string()))?;
    bump(
        tx,
        case_id,
        version,
        vec![
            (case::Column::Stage, Expr::value(CaseStage::Closed.code())),
            (case::Column::ClosedOn, Expr::value(Some(r.closed_on))),
            (
                case::Column::CloseReason,
                Expr::value(Some(r.reason.code())),
            ),
            (
                case::Column::CloseReasonText,
                Expr::value(r.reason_text.clone()),
            ),
            (case::Column::Evaluation, Expr::value(evaluation)),
            (case::Column::RetainUntil, Expr::value(Some(retain_until))),
        ],
    )
    .await?;
    tx.record(
        "close",
        RecordKind::Case,
        Some(case_id),
        Some(a.client_id),
        format!("{} retain_until {retain_until}", r.reason.code()),
    );
    follow_client(tx, a.client_id, case_id, CaseStage::Closed).await?;
    Ok(retain_until)
}

async fn bump(
    tx: &Tx,
    case_id: i64,
    version: i32,
    sets: Vec<(case::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<()> {
    let mut u = case::Entity::update_many()
        .col_expr(case::Column::Version, Expr::value(version + 1))
        .col_expr(case::Column::UpdatedAt, Expr::value(now_utc()));
    for (c, e) in sets {
        u = u.col_expr(c, e);
    }
    let r = u
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if r.rows_affected == 0 {
        Err(StoreError::Conflict)
    } else {
        Ok(())
    }
}
