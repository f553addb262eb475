//! A person's record as a FHIR R4 Bundle (`GET /clients/{id}/fhir`): read under the one check
//! (`Tx::client_access`), with only the record kinds the user may read, mapped by
//! `yorisoi_documents::fhir`, and logged as a disclosure (書き出し) in the same unit of work.

use super::ApiPath;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_documents::fhir::{
    AssessmentExport, Consent, Member, PersonExport, PlanExport, Staff, TeamExport, bundle, summary,
};
use yorisoi_domain::plan::PlanState;
use yorisoi_domain::policy::{self, Action, RecordKind, Target};
use yorisoi_store::{ClientAccess, Tx, assessments, cases, clients, offices, plans, team, users};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(client_fhir))
}

/// FHIR R4 Bundle (type `collection`): each entry's `fullUrl` is a `urn:uuid:` and its
/// `resource` a FHIR resource.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = FhirBundle)]
pub struct FhirBundleDoc {
    /// 常に Bundle
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    /// 内容から決まる UUID（同じ記録からは同じ値）
    pub id: String,
    /// 常に collection
    #[serde(rename = "type")]
    pub kind: String,
    pub entry: Vec<FhirEntryDoc>,
}

/// One resource of the bundle.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = FhirEntry)]
pub struct FhirEntryDoc {
    /// urn:uuid:…（事業所と記録から決まる UUID。書き出すたびに同じ）
    #[serde(rename = "fullUrl")]
    pub full_url: String,
    /// FHIR R4 のリソース（Patient, Organization, Practitioner, RelatedPerson, CareTeam,
    /// Consent, Observation, Goal, ServiceRequest, CarePlan）
    pub resource: serde_json::Value,
}

/// The media type of FHIR's JSON.
pub const FHIR_JSON: &str = "application/fhir+json";

#[utoipa::path(
    get,
    path = "/clients/{id}/fhir",
    tag = "exports",
    summary = "本人の記録の FHIR R4 Bundle",
    description = "利用者一人の記録を FHIR R4 の Bundle（type: collection）で返します。\
        利用者台帳は JP Core の Patient（漢字とカナの氏名）、サービス等利用計画は CarePlan（期間・状態）と\
        Goal（長期目標・短期目標・支援目標と本人の役割）、各サービスと週間計画表の活動は Timing 付きの\
        ServiceRequest、ケアチームは CareTeam と家族の RelatedPerson、個人情報使用同意は Consent（撤回済みは inactive）、\
        アセスメントのストレングスは Observation（social-history）、計画の PDF は DocumentReference（このサーバーの計画 PDF のアドレス。同じサインインかトークンで取得）になります。計画は実施中の本計画、なければ最新の版です。\
        読む権限のある種類の記録だけが入ります（事務には Patient だけ）。各リソースの id は事業所と記録から決まる UUID で、\
        同じ記録からは同じ Bundle になります。書き出しは共有・開示の記録（書き出し）として監査ログに残ります。",
    params(("id" = i64, Path, description = "利用者のid")),
    responses(
        (status = 200, description = "FHIR R4 Bundle", content_type = "application/fhir+json", body = FhirBundleDoc),
        (status = 404, description = "存在しない、または権限がない（区別しない）", body = ErrorBody),
    ),
)]
async fn client_fhir(
    State(st): State<AppState>,
    user: Authed,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let mut person = gather(&mut tx, id).await?;
    person.base_url = st.config.public_url.clone().unwrap_or_default();
    let b = bundle(&person);
    tx.record(
        "export",
        RecordKind::Ledger,
        None,
        Some(id),
        format!("FHIR R4 Bundle（{}）", summary(&b)),
    );
    tx.commit().await?;
    let body = serde_json::to_vec(&b).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, FHIR_JSON.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"yorisoi-fhir-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Whether the user may read `kind` of the client behind `ledger` (asked of the policy first, so
/// that a kind the role never reads is left out without a refusal in the log).
fn may_read(tx: &Tx, ledger: &ClientAccess, kind: RecordKind) -> bool {
    let target = Target {
        office_id: tx.office_id(),
        assigned_to: ledger.assigned_to,
    };
    policy::authorize(tx.actor(), kind, Action::Read, &target).is_ok()
}

/// The records of client `id` the user may read.
pub async fn gather(tx: &mut Tx, id: i64) -> Result<PersonExport, AppError> {
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let client = clients::get(tx, &ledger).await?;
    let office_name = offices::name(tx).await?;
    let reads_cases = may_read(tx, &ledger, RecordKind::Case);
    let case_list = if reads_cases {
        let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
        cases::list(tx, &acc).await?
    } else {
        Vec::new()
    };
    // Open cases first, newest first within each.
    let mut ordered: Vec<&cases::Case> = case_list.iter().collect();
    ordered.sort_by_key(|c| c.closed_on.is_some());
    let plan = if reads_cases && may_read(tx, &ledger, RecordKind::Plan) {
        let acc = tx.client_access(id, RecordKind::Plan, Action::Read).await?;
        choose_plan(tx, &acc, &ordered).await?
    } else {
        None
    };
    let team = if may_read(tx, &ledger, RecordKind::CareTeam) {
        let acc = tx
            .client_access(id, RecordKind::CareTeam, Action::Read)
            .await?;
        let members = team::members(tx, &acc)
            .await?
            .into_iter()
            .map(|m| Member {
                id: m.id,
                active: m.active,
                record: m.record,
            })
            .collect();
        let consents = team::consents(tx, &acc)
            .await?
            .into_iter()
            .map(|c| Consent {
                id: c.id,
                record: c.record,
            })
            .collect();
        Some(TeamExport { members, consents })
    } else {
        None
    };
    let assessment = if reads_cases && may_read(tx, &ledger, RecordKind::Assessment) {
        let acc = tx
            .client_access(id, RecordKind::Assessment, Action::Read)
            .await?;
        let mut found = None;
        for c in &ordered {
            if let Some(s) = assessments::list(tx, &acc, c.id).await?.first() {
                let a = assessments::get(tx, &acc, s.id).await?;
                found = Some(AssessmentExport {
                    id: a.id,
                    record: a.record,
                });
                break;
            }
        }
        found
    } else {
        None
    };
    // The specialist in charge appears with the plan and the team, not on a bare ledger.
    let specialist = match client.assigned_user_id {
        Some(u) if plan.is_some() || team.is_some() => Some(Staff {
            user_id: u,
            name: users::staff_name(tx, u).await?,
        })
        .filter(|s| !s.name.is_empty()),
        _ => None,
    };
    Ok(PersonExport {
        office_id: tx.office_id(),
        office_name,
        client_id: id,
        client: client.record,
        specialist,
        plan,
        team,
        assessment,
        base_url: String::new(),
    })
}

/// The plan in force (the newest final version of an open case), else the newest version of
/// the newest case that has one.
async fn choose_plan(
    tx: &mut Tx,
    acc: &ClientAccess,
    ordered: &[&cases::Case],
) -> Result<Option<PlanExport>, AppError> {
    let mut newest: Option<(i64, Option<chrono::NaiveDate>)> = None;
    let mut chosen = None;
    for c in ordered {
        let versions = plans::list(tx, acc, c.id).await?;
        if newest.is_none() {
            newest = versions.first().map(|v| (v.id, c.closed_on));
        }
        if c.closed_on.is_none()
            && let Some(v) = versions.iter().find(|v| v.state == PlanState::Final)
        {
            chosen = Some((v.id, None));
            break;
        }
    }
    let Some((plan_id, closed_on)) = chosen.or(newest) else {
        return Ok(None);
    };
    let p = plans::get(tx, acc, plan_id).await?;
    Ok(Some(PlanExport {
        id: p.id,
        version_no: p.version_no,
        state: p.state,
        case_closed_on: closed_on,
        record: p.record,
    }))
}
