//! ホーム over JSON: the dashboard's cards for the user — their own caseload, or for an admin
//! or lead the whole office, optionally narrowed to one staff member.

use super::{ApiQuery, ok};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::kit::dashboard::{CardOptions, Cards, StaffLine, staff_lines};
use crate::kit::staff::staff_names;
use axum::extract::State;
use chrono::NaiveDate;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yorisoi_domain::policy::sees_whole_office;
use yorisoi_store::{dashboard, today_jst};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_dashboard))
}

/// `GET /dashboard?staff=&all=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DashboardQuery {
    /// 職員のidで絞り込み（管理者・主任の事業所全体の表示のみ）
    pub staff: Option<i64>,
    /// true で各カードの全件（既定は先頭30件）
    pub all: bool,
}

/// The dashboard as the user sees it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DashboardBody {
    /// 今日（日本時間）
    pub today: NaiveDate,
    /// 事業所全体の表示か（管理者・主任）
    pub whole_office: bool,
    /// 絞り込んだ職員のid
    pub staff_filter: Option<i64>,
    pub cards: Cards,
    /// 職員ごとの件数（事業所全体の表示のみ）
    pub staff: Vec<StaffLine>,
}

#[utoipa::path(
    get,
    path = "/dashboard",
    tag = "dashboard",
    summary = "ホームのカード",
    description = "今月・期限切れのモニタリング、終わりが近い受給者証、手順の残る計画、今週の会議、意思決定支援のフォローアップ。相談支援専門員は自分の担当、管理者・主任は事業所全体（staff で職員に絞り込み）。",
    params(DashboardQuery),
    responses(
        (status = 200, body = DashboardBody),
        (status = 422, description = "staff がこの事業所の職員でない", body = ErrorBody)
    ),
)]
async fn get_dashboard(
    State(st): State<AppState>,
    user: Authed,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> ApiResult {
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let today = today_jst();
    let whole_office = sees_whole_office(user.role);
    let only = match q.staff {
        Some(s) if whole_office => {
            if !staff.contains_key(&s) {
                return Err(AppError::field(
                    "staff",
                    "staff はこの事業所の職員のidで指定してください。",
                )
                .into());
            }
            Some(s)
        }
        _ => None,
    };
    let d = dashboard::build(&mut tx, today, only).await?;
    tx.commit().await?;
    let cards = Cards::build(
        &d,
        &CardOptions {
            staff: &staff,
            today,
            show_who: whole_office && only.is_none(),
            all: q.all,
        },
    );
    Ok(ok(DashboardBody {
        today,
        whole_office,
        staff_filter: only,
        cards,
        staff: if whole_office && user.sees_cases() {
            staff_lines(&d, &staff)
        } else {
            Vec::new()
        },
    }))
}
