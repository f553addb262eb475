//! サービス等利用計画 versions: drafted from the case's latest assessment, moved through
//! 計画案 → 会議済 → 本計画, changed by a new version from a copy. Consents and hand-overs are
//! appended to the version they are about; a final plan's content never changes. Implementation
//! (the provider chosen per row, the contract, the provider's plan as a file) follows the final
//! plan.

use crate::entities::{assessment, attachment, implementation, meeting, plan};
use crate::{ClientAccess, Result, StoreError, Tx, corrupt, now_utc};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::Digest;
use yorisoi_domain::assessment::AssessmentRecord;
use yorisoi_domain::case::CaseEvent;
use yorisoi_domain::plan::{
    DocStage, Handover, ImplementationRecord, PlanConsent, PlanKind, PlanRecord, PlanState,
    check_editable, check_transition, clean_filename, sniff_upload,
};
use yorisoi_domain::policy::{Action, RecordKind};

const KIND: RecordKind = RecordKind::Plan;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub version_no: i32,
    pub state: PlanState,
    /// Whether this is the case's newest version.
    pub latest: bool,
    pub record: PlanRecord,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl Plan {
    /// The content can be edited: the domain's rule (the newest version, not yet final).
    pub fn editable(&self) -> bool {
        check_editable(self.latest, self.state).is_ok()
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = PlanSummary)]
pub struct Summary {
    pub id: i64,
    pub version_no: i32,
    /// サービス等利用計画 or 障害児支援利用計画.
    pub kind: PlanKind,
    pub state: PlanState,
    pub drafted_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn decode(m: &plan::Model) -> Result<PlanRecord> {
    serde_json::from_str(&m.body).map_err(|e| corrupt("plan body", &e.to_string()))
}

pub(crate) fn encode(r: &PlanRecord) -> Result<String> {
    serde_json::to_string(r).map_err(|e| corrupt("plan body", &e.to_string()))
}

fn state_of(m: &plan::Model) -> Result<PlanState> {
    PlanState::from_code(&m.state).ok_or_else(|| corrupt("plan state", &m.state))
}

async fn model(tx: &Tx, a: &ClientAccess, id: i64) -> Result<plan::Model> {
    plan::Entity::find_by_id(id)
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Access to the plans of the client the plan `id` belongs to.
pub async fn access(
    tx: &mut Tx,
    id: i64,
    kind: RecordKind,
    action: Action,
) -> Result<ClientAccess> {
    let client_id = plan::Entity::find_by_id(id)
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .map(|m| m.client_id)
        .ok_or(StoreError::NotFound)?;
    tx.client_access(client_id, kind, action).await
}

async fn latest_model(tx: &Tx, case_id: i64) -> Result<Option<plan::Model>> {
    Ok(plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::CaseId.eq(case_id))
        .order_by_desc(plan::Column::VersionNo)
        .one(tx.conn())
        .await?)
}

async fn latest_assessment(tx: &Tx, case_id: i64) -> Result<Option<(i64, AssessmentRecord)>> {
    let m = assessment::Entity::find()
        .filter(assessment::Column::OfficeId.eq(tx.office_id()))
        .filter(assessment::Column::CaseId.eq(case_id))
        .order_by_desc(assessment::Column::VersionNo)
        .one(tx.conn())
        .await?;
    m.map(|m| {
        serde_json::from_str(&m.body)
            .map(|r| (m.id, r))
            .map_err(|e| corrupt("assessment body", &e.to_string()))
    })
    .transpose()
}

async fn insert(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    version_no: i32,
    r: &PlanRecord,
) -> Result<i64> {
    let now = now_utc();
    let m = plan::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        case_id: Set(case_id),
        version_no: Set(version_no),
        state: Set(PlanState::Draft.code().into()),
        drafted_on: Set(r.drafted_on),
        decided_on: Set(r.decided_on),
        body: Set(encode(r)?),
        created_by: Set(tx.actor().user_id),
        updated_by: Set(tx.actor().user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "create",
        KIND,
        Some(m.id),
        Some(a.client_id),
        format!("case {case_id} v{version_no}"),
    );
    Ok(m.id)
}

/// The first plan of a case, drafted from its latest assessment. A child's plan is a
/// 障害児支援利用計画.
pub async fn draft(
    tx: &mut Tx,
    a: &ClientAccess,
    case_id: i64,
    drafted_on: NaiveDate,
) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    crate::cases::open_case(tx, a, case_id).await?;
    if latest_model(tx, case_id).await?.is_some() {
        return Err(StoreError::Rule(
            "このケースにはすでに計画があります。内容を変えるときは、最新の計画から「計画変更」を始めてください。".into(),
        ));
    }
    let Some((assessment_id, ar)) = latest_assessment(tx, case_id).await? else {
        return Err(StoreError::Rule(
            "計画案はアセスメントから作ります。先にアセスメントを記録してください。".into(),
        ));
    };
    if drafted_on < ar.assessed_on {
        return Err(StoreError::field(
            "drafted_on",
            "計画案作成日がアセスメントの実施日より前になっています。",
        ));
    }
    let child = ar
        .basic
        .birth_date
        .is_some_and(|b| yorisoi_domain::date::age_on(b, drafted_on) < 18);
    let kind = if child {
        PlanKind::Child
    } else {
        PlanKind::Adult
    };
    let r = PlanRecord::draft_from(kind, drafted_on, assessment_id, &ar);
    let id = insert(tx, a, case_id, 1, &r).await?;
    let event = CaseEvent::PlanDrafted { change: false };
    crate::cases::follow(tx, a.client_id, case_id, event).await?;
    Ok(id)
}

/// 計画変更: a new draft copied from the final plan, linked to the case's latest assessment,
/// with a row added for each of its needs that no row answers yet.
pub async fn change(tx: &mut Tx, a: &ClientAccess, id: i64, drafted_on: NaiveDate) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    let m = model(tx, a, id).await?;
    crate::cases::open_case(tx, a, m.case_id).await?;
    let latest = latest_model(tx, m.case_id).await?;
    if latest.as_ref().is_some_and(|l| l.id != m.id) {
        return Err(StoreError::Rule(
            "計画変更は最新の版から始めてください。".into(),
        ));
    }
    if state_of(&m)? != PlanState::Final {
        return Err(StoreError::Rule(
            "計画変更は本計画になった版から始めます。作成中の計画案はそのまま編集してください。"
                .into(),
        ));
    }
    if drafted_on < m.drafted_on {
        return Err(StoreError::field(
            "drafted_on",
            "変更の計画案作成日が前の版より前になっています。",
        ));
    }
    let mut r = decode(&m)?.change(drafted_on);
    if let Some((aid, ar)) = latest_assessment(tx, m.case_id).await? {
        r.assessment_id = Some(aid);
        r.assessment_method = Some(ar.method);
        for n in &ar.needs {
            if !r.rows.iter().any(|row| row.need_key == Some(n.key)) {
                let key = r.next_row_key();
                let mut fresh = PlanRecord::draft_from(r.kind, drafted_on, aid, &ar);
                if let Some(mut row) = fresh.rows.drain(..).find(|x| x.need_key == Some(n.key)) {
                    row.key = key;
                    r.rows.push(row);
                }
            }
        }
    }
    let new_id = insert(tx, a, m.case_id, m.version_no + 1, &r).await?;
    let event = CaseEvent::PlanDrafted { change: true };
    crate::cases::follow(tx, a.client_id, m.case_id, event).await?;
    Ok(new_id)
}

async fn whole(tx: &Tx, m: plan::Model) -> Result<Plan> {
    let latest = latest_model(tx, m.case_id)
        .await?
        .is_some_and(|l| l.id == m.id);
    Ok(Plan {
        record: decode(&m)?,
        state: state_of(&m)?,
        id: m.id,
        case_id: m.case_id,
        client_id: m.client_id,
        version_no: m.version_no,
        latest,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// One version (the read is logged).
pub async fn get(tx: &mut Tx, a: &ClientAccess, id: i64) -> Result<Plan> {
    a.check(KIND, Action::Read)?;
    let m = model(tx, a, id).await?;
    tx.record("read", KIND, Some(id), Some(a.client_id), "");
    whole(tx, m).await
}

/// The case's versions, newest first.
pub async fn list(tx: &mut Tx, a: &ClientAccess, case_id: i64) -> Result<Vec<Summary>> {
    a.check(KIND, Action::Read)?;
    let rows = plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(a.client_id))
        .filter(plan::Column::CaseId.eq(case_id))
        .order_by_desc(plan::Column::VersionNo)
        .all(tx.conn())
        .await?;
    tx.record(
        "list",
        KIND,
        None,
        Some(a.client_id),
        format!("case {case_id}"),
    );
    rows.iter()
        .map(|m| {
            Ok(Summary {
                id: m.id,
                version_no: m.version_no,
                kind: decode(m)?.kind,
                state: state_of(m)?,
                drafted_on: m.drafted_on,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// Writes the body from `version` (Conflict when someone saved since).
async fn write(
    tx: &mut Tx,
    id: i64,
    version: i32,
    r: &PlanRecord,
    state: Option<PlanState>,
) -> Result<i32> {
    let mut set = plan::ActiveModel {
        drafted_on: Set(r.drafted_on),
        decided_on: Set(r.decided_on),
        body: Set(encode(r)?),
        updated_by: Set(tx.actor().user_id),
        version: Set(version + 1),
        updated_at: Set(now_utc()),
        ..Default::default()
    };
    if let Some(s) = state {
        set.state = Set(s.code().into());
    }
    let res = plan::Entity::update_many()
        .set(set)
        .filter(plan::Column::Id.eq(id))
        .filter(plan::Column::Version.eq(version))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(version + 1)
}

/// The plan's content, saved from `version`. Only the newest version before it is final.
pub async fn update(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    r: &PlanRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let m = model(tx, a, id).await?;
    let p = whole(tx, m).await?;
    save(tx, a, &p, version, r).await
}

/// The plan's content, saved from `version` over `p` as read in this unit of work (`get`), so
/// that a page that has read the plan to show it does not read it again to save it.
pub async fn save(
    tx: &mut Tx,
    a: &ClientAccess,
    p: &Plan,
    version: i32,
    r: &PlanRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    if p.client_id != a.client_id {
        return Err(StoreError::NotFound);
    }
    crate::cases::open_case(tx, a, p.case_id).await?;
    check_editable(p.latest, p.state).map_err(|m| StoreError::Rule(m.into()))?;
    for (i, row) in r.rows.iter().enumerate() {
        crate::resources::check_link(tx, row.resource_id)
            .await
            .map_err(|e| match e {
                StoreError::Rule(m) => StoreError::field(&format!("rows[{i}].resource_id"), m),
                other => other,
            })?;
    }
    let id = p.id;
    // What was signed and handed over stays as recorded.
    let mut next = r.clone();
    next.consents = p.record.consents.clone();
    next.handovers = p.record.handovers.clone();
    next.kind = p.record.kind;
    next.assessment_id = p.record.assessment_id;
    next.assessment_method = p.record.assessment_method;
    let v = write(tx, id, version, &next, None).await?;
    tx.record(
        "update",
        KIND,
        Some(id),
        Some(a.client_id),
        format!("v{}", p.version_no),
    );
    Ok(v)
}

/// Records the person's (or guardian's) signature on the draft or the final plan.
pub async fn add_consent(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    c: &PlanConsent,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let m = model(tx, a, id).await?;
    let p = whole(tx, m).await?;
    if p.record.consent(c.stage).is_some() {
        return Err(StoreError::field(
            "stage",
            format!("{}への同意はすでに記録されています。", c.stage.label()),
        ));
    }
    match (c.stage, p.state) {
        (DocStage::Final, PlanState::Draft) => {
            return Err(StoreError::field(
                "stage",
                "本計画への同意は、サービス担当者会議のあと（会議済）に記録します。",
            ));
        }
        (_, PlanState::Final) => {
            return Err(StoreError::Rule(
                "本計画になった版には同意を追加できません。".into(),
            ));
        }
        _ => {}
    }
    if c.signed_on < p.record.drafted_on {
        return Err(StoreError::field(
            "signed_on",
            "署名日が計画案作成日より前になっています。",
        ));
    }
    let mut r = p.record.clone();
    r.consents.push(c.clone());
    let v = write(tx, id, version, &r, None).await?;
    tx.record("consent", KIND, Some(id), Some(a.client_id), c.stage.code());
    Ok(v)
}

/// Records a hand-over (交付). The final plan is handed over once it is final.
pub async fn add_handover(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    h: &Handover,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let m = model(tx, a, id).await?;
    let p = whole(tx, m).await?;
    if h.stage == DocStage::Final && p.state != PlanState::Final {
        return Err(StoreError::field(
            "stage",
            "本計画の交付は、計画を本計画にしてから記録します。",
        ));
    }
    if h.on < p.record.drafted_on {
        return Err(StoreError::field(
            "on",
            "交付日が計画案作成日より前になっています。",
        ));
    }
    let mut r = p.record.clone();
    r.handovers.push(h.clone());
    let v = write(tx, id, version, &r, None).await?;
    // The final plan, consented, in the person's hands: services begin.
    if h.stage == DocStage::Final && p.latest && p.record.consent(DocStage::Final).is_some() {
        crate::cases::follow(tx, a.client_id, p.case_id, CaseEvent::ServicesBegun).await?;
    }
    tx.record(
        "handover",
        KIND,
        Some(id),
        Some(a.client_id),
        h.stage.code(),
    );
    Ok(v)
}

/// The plan in force of a client: the newest final version of an open case.
pub(crate) async fn in_force_id(tx: &Tx, client_id: i64) -> Result<Option<i64>> {
    use crate::entities::case;
    // A closed case's plan is no longer in force, even while the next case has only a draft.
    let open: Vec<i64> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::OfficeId.eq(tx.office_id()))
        .filter(case::Column::ClientId.eq(client_id))
        .filter(case::Column::Stage.ne(yorisoi_domain::case::CaseStage::Closed.code()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    if open.is_empty() {
        return Ok(None);
    }
    Ok(plan::Entity::find()
        .filter(plan::Column::CaseId.is_in(open))
        .select_only()
        .column(plan::Column::Id)
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::ClientId.eq(client_id))
        .filter(plan::Column::State.eq(PlanState::Final.code()))
        .order_by_desc(plan::Column::DecidedOn)
        .order_by_desc(plan::Column::Id)
        .into_tuple()
        .one(tx.conn())
        .await?)
}

/// The client's plan in force, if any (the read is logged).
pub async fn in_force(tx: &mut Tx, a: &ClientAccess) -> Result<Option<Plan>> {
    a.check(KIND, Action::Read)?;
    match in_force_id(tx, a.client_id).await? {
        Some(id) => Ok(Some(get(tx, a, id).await?)),
        None => Ok(None),
    }
}

/// Whether a meeting recorded as held exists for the plan.
pub async fn meeting_held(tx: &Tx, plan_id: i64) -> Result<bool> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::OfficeId.eq(tx.office_id()))
        .filter(meeting::Column::PlanId.eq(plan_id))
        .filter(meeting::Column::Held.eq(true))
        .count(tx.conn())
        .await?
        > 0)
}

/// Moves the newest version to `to` (会議済 needs a held meeting; 本計画 needs providers, the
/// plan date and the consent). Refusals list every reason.
pub async fn move_state(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
    version: i32,
    to: PlanState,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let m = model(tx, a, id).await?;
    crate::cases::open_case(tx, a, m.case_id).await?;
    let p = whole(tx, m).await?;
    if !p.latest {
        return Err(StoreError::Rule("過去の版の状態は変えられません。".into()));
    }
    let held = meeting_held(tx, id).await?;
    check_transition(&p.record, p.state, to, held).map_err(|v| StoreError::Rule(v.join(" ")))?;
    let v = write(tx, id, version, &p.record, Some(to)).await?;
    tx.record("state", KIND, Some(id), Some(a.client_id), to.code());
    let event = match to {
        PlanState::Draft => None,
        PlanState::Reviewed => Some(CaseEvent::MeetingHeld),
        PlanState::Final => Some(CaseEvent::PlanFinal),
    };
    if let Some(e) = event {
        crate::cases::follow(tx, a.client_id, p.case_id, e).await?;
    }
    Ok(v)
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Implementation {
    pub row_key: u32,
    pub record: ImplementationRecord,
    pub attachment: Option<AttachmentInfo>,
    pub version: i32,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// The implementation records of a plan's rows.
pub async fn implementations(
    tx: &mut Tx,
    a: &ClientAccess,
    plan_id: i64,
) -> Result<Vec<Implementation>> {
    a.check(KIND, Action::Read)?;
    model(tx, a, plan_id).await?;
    let rows = implementation::Entity::find()
        .filter(implementation::Column::OfficeId.eq(tx.office_id()))
        .filter(implementation::Column::PlanId.eq(plan_id))
        .order_by_asc(implementation::Column::RowKey)
        .all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let attachment = match m.attachment_id {
            Some(aid) => attachment::Entity::find_by_id(aid)
                .select_only()
                .columns([
                    attachment::Column::Id,
                    attachment::Column::Filename,
                    attachment::Column::ContentType,
                    attachment::Column::Size,
                    attachment::Column::CreatedAt,
                ])
                .into_tuple::<(i64, String, String, i64, DateTime<Utc>)>()
                .one(tx.conn())
                .await?
                .map(
                    |(id, filename, content_type, size, created_at)| AttachmentInfo {
                        id,
                        filename,
                        content_type,
                        size,
                        created_at,
                    },
                ),
            None => None,
        };
        out.push(Implementation {
            row_key: m.row_key as u32,
            record: serde_json::from_str(&m.body)
                .map_err(|e| corrupt("implementation", &e.to_string()))?,
            attachment,
            version: m.version,
        });
    }
    Ok(out)
}

async fn final_row(tx: &Tx, a: &ClientAccess, plan_id: i64, row_key: u32) -> Result<Plan> {
    let p = whole(tx, model(tx, a, plan_id).await?).await?;
    if p.state != PlanState::Final {
        return Err(StoreError::Rule(
            "実施の記録は本計画になってから入力します。".into(),
        ));
    }
    if !p.record.rows.iter().any(|r| r.key == row_key) {
        return Err(StoreError::NotFound);
    }
    Ok(p)
}

/// Saves a row's implementation; `version` is `None` for the first save.
pub async fn set_implementation(
    tx: &mut Tx,
    a: &ClientAccess,
    plan_id: i64,
    row_key: u32,
    version: Option<i32>,
    r: &ImplementationRecord,
) -> Result<i32> {
    a.check(KIND, Action::Write)?;
    let p = final_row(tx, a, plan_id, row_key).await?;
    let body = serde_json::to_string(r).map_err(|e| corrupt("implementation", &e.to_string()))?;
    let now = now_utc();
    let existing = implementation::Entity::find()
        .filter(implementation::Column::PlanId.eq(plan_id))
        .filter(implementation::Column::RowKey.eq(row_key as i32))
        .one(tx.conn())
        .await?;
    let v = match (existing, version) {
        (None, _) => {
            implementation::ActiveModel {
                office_id: Set(tx.office_id()),
                client_id: Set(a.client_id),
                plan_id: Set(plan_id),
                row_key: Set(row_key as i32),
                body: Set(body),
                attachment_id: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            1
        }
        (Some(_), None) => return Err(StoreError::Conflict),
        (Some(m), Some(v)) => {
            let res = implementation::Entity::update_many()
                .set(implementation::ActiveModel {
                    body: Set(body),
                    version: Set(v + 1),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .filter(implementation::Column::Id.eq(m.id))
                .filter(implementation::Column::Version.eq(v))
                .exec(tx.conn())
                .await?;
            if res.rows_affected == 0 {
                return Err(StoreError::Conflict);
            }
            v + 1
        }
    };
    tx.record(
        "update",
        KIND,
        Some(plan_id),
        Some(a.client_id),
        format!("implementation row {row_key}"),
    );
    if p.latest {
        crate::cases::follow(tx, a.client_id, p.case_id, CaseEvent::ServicesBegun).await?;
    }
    Ok(v)
}

/// Stores the provider's 個別支援計画 for a row (PDF, PNG or JPEG, up to 10 MB, type read from
/// the bytes). The row's implementation must exist; a new file replaces the link to the old one
/// (the old file is kept).
pub async fn attach(
    tx: &mut Tx,
    a: &ClientAccess,
    plan_id: i64,
    row_key: u32,
    filename: &str,
    bytes: Vec<u8>,
) -> Result<i64> {
    a.check(KIND, Action::Write)?;
    final_row(tx, a, plan_id, row_key).await?;
    let content_type = sniff_upload(&bytes).map_err(|m| StoreError::field("file", m))?;
    let imp = implementation::Entity::find()
        .filter(implementation::Column::PlanId.eq(plan_id))
        .filter(implementation::Column::RowKey.eq(row_key as i32))
        .one(tx.conn())
        .await?
        .ok_or_else(|| {
            StoreError::field(
                "file",
                "先に選んだ事業所を保存してから、ファイルを登録してください。",
            )
        })?;
    let size = bytes.len() as i64;
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let m = attachment::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        filename: Set(clean_filename(filename, content_type)),
        content_type: Set(content_type.into()),
        size: Set(size),
        sha256: Set(sha),
        data: Set(bytes),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now_utc()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    implementation::Entity::update_many()
        .set(implementation::ActiveModel {
            attachment_id: Set(Some(m.id)),
            version: Set(imp.version + 1),
            updated_at: Set(now_utc()),
            ..Default::default()
        })
        .filter(implementation::Column::Id.eq(imp.id))
        .exec(tx.conn())
        .await?;
    tx.record(
        "upload",
        KIND,
        Some(m.id),
        Some(a.client_id),
        format!("plan {plan_id} row {row_key} {size} bytes"),
    );
    Ok(m.id)
}

/// A stored file: (name, type, bytes). The download is logged.
pub async fn attachment(
    tx: &mut Tx,
    a: &ClientAccess,
    id: i64,
) -> Result<(String, String, Vec<u8>)> {
    a.check(KIND, Action::Read)?;
    let m = attachment::Entity::find_by_id(id)
        .filter(attachment::Column::OfficeId.eq(tx.office_id()))
        .filter(attachment::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.record(
        "download",
        KIND,
        Some(id),
        Some(a.client_id),
        m.filename.clone(),
    );
    Ok((m.filename, m.content_type, m.data))
}

/// The client an attachment belongs to.
pub async fn attachment_client(tx: &Tx, id: i64) -> Result<i64> {
    attachment::Entity::find_by_id(id)
        .filter(attachment::Column::OfficeId.eq(tx.office_id()))
        .select_only()
        .column(attachment::Column::ClientId)
        .into_tuple::<i64>()
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Plans of the office handed over (交付) between `from` and `until`, newest first, for a batch
/// print. Candidates only: the caller opens each through [`access`], which leaves out the
/// clients the user may not see.
pub async fn handed_over_between(tx: &Tx, from: NaiveDate, until: NaiveDate) -> Result<Vec<i64>> {
    // Hand-overs live in the plan's body; a plan is handed over after it is drafted.
    let rows = plan::Entity::find()
        .filter(plan::Column::OfficeId.eq(tx.office_id()))
        .filter(plan::Column::DraftedOn.lte(until))
        .order_by_desc(plan::Column::DraftedOn)
        .order_by_desc(plan::Column::Id)
        .all(tx.conn())
        .await?;
    let mut out = Vec::new();
    for m in rows {
        let r: PlanRecord =
            serde_json::from_str(&m.body).map_err(|e| crate::corrupt("plan", &e.to_string()))?;
        if r.handovers.iter().any(|h| h.on >= from && h.on <= until) {
            out.push(m.id);
        }
    }
    Ok(out)
}
