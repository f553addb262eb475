//! 管理者の画面: staff accounts, API tokens, the audit log. Each handler asks the policy for the
//! office-level record kind first, so another role gets the same 404 as a missing page.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{Form, parse_version};
use crate::pages::{Saved, parse_id, see_other, staff_names};
use crate::views::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::policy::{Action, RecordKind, Role};
use yorisoi_store::users::{self, NewUser};
use yorisoi_store::{StoreError, Tx, api_tokens, audit, clients};

async fn staff_rows(tx: &Tx) -> Result<(Vec<StaffRow>, i64), AppError> {
    let counts = clients::count_by_staff(tx).await?;
    let n = |id: Option<i64>| {
        counts
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let rows = users::list(tx)
        .await?
        .into_iter()
        .map(|u| {
            let role = Role::from_code(&u.role);
            StaffRow {
                id: u.id,
                login: u.login,
                name: u.display_name,
                role: role.map(|r| r.label()).unwrap_or("?"),
                role_code: role.map(|r| r.code()).unwrap_or(""),
                active: u.active,
                clients: n(Some(u.id)),
                version: u.version,
            }
        })
        .collect();
    Ok((rows, n(None)))
}

/// The retention form as typed and its error, when it was refused.
#[derive(Default)]
struct RetentionForm {
    value: String,
    error: String,
}

async fn staff_page(
    st: &AppState,
    user: &Authed,
    form: NewUser,
    errors: FieldErrors,
    message: String,
    status: StatusCode,
) -> PageResult {
    staff_page_with(
        st,
        user,
        form,
        errors,
        message,
        status,
        RetentionForm::default(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn staff_page_with(
    st: &AppState,
    user: &Authed,
    form: NewUser,
    errors: FieldErrors,
    message: String,
    status: StatusCode,
    retention: RetentionForm,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let (staff, unassigned) = staff_rows(&tx).await?;
    let years = yorisoi_store::offices::retention_years(&tx).await?;
    tx.rollback().await?;
    let page = StaffPage {
        nav: Nav::new(user, "staff"),
        staff,
        unassigned,
        roles: opts(Role::ALL, |r| r.code(), |r| r.label(), &form.role),
        form: NewUser {
            password: String::new(),
            ..form
        },
        errors,
        message,
        retention_value: if retention.error.is_empty() {
            years.to_string()
        } else {
            retention.value
        },
        retention_error: retention.error,
        retention_years: years,
    };
    render_status(&page, status)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RetentionInput {
    pub years: String,
}

/// 記録の保存期間: years after the end of support; closed cases' retention dates follow.
pub async fn set_retention(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<RetentionInput>,
) -> PageResult {
    let refused = |error: String| RetentionForm {
        value: input.years.clone(),
        error,
    };
    let years = match yorisoi_domain::text::nfkc(input.years.trim()).parse::<i32>() {
        Ok(y) => y,
        Err(_) => {
            return staff_page_with(
                &st,
                &user,
                NewUser::default(),
                FieldErrors::new(),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
                refused("年数を数字で入力してください（例: 5）。".into()),
            )
            .await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    match yorisoi_store::offices::set_retention_years(&mut tx, years).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=retention"))
        }
        Err(yorisoi_store::StoreError::Rule(m)) => {
            tx.rollback().await?;
            staff_page_with(
                &st,
                &user,
                NewUser::default(),
                FieldErrors::new(),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
                refused(m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn staff(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    let msg = match q.saved.as_str() {
        "added" => "職員を追加しました。",
        "updated" => "職員の情報を保存しました。",
        "active" => "職員の状態を変更しました。",
        "retention" => "記録の保存期間を変更しました。終結したケースの保存期限も変わりました。",
        _ => "",
    };
    staff_page(
        &st,
        &user,
        NewUser::default(),
        FieldErrors::new(),
        msg.into(),
        StatusCode::OK,
    )
    .await
}

pub async fn add_staff(
    State(st): State<AppState>,
    user: Authed,
    Form(form): Form<NewUser>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    match users::create(&mut tx, &form).await {
        Ok(Ok(_)) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=added"))
        }
        Ok(Err(errors)) => {
            tx.rollback().await?;
            staff_page(
                &st,
                &user,
                form,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("login", m);
            staff_page(
                &st,
                &user,
                form,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    st: &AppState,
    user: &Authed,
    id: i64,
    name: Option<String>,
    role: Option<String>,
    errors: FieldErrors,
    conflict: bool,
    status: StatusCode,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let (rows, _) = staff_rows(&tx).await?;
    tx.rollback().await?;
    let s = rows
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    let role = role.unwrap_or_else(|| s.role_code.to_string());
    let page = StaffEditPage {
        nav: Nav::new(user, "staff"),
        display_name: name.unwrap_or_else(|| s.name.clone()),
        roles: opts(Role::ALL, |r| r.code(), |r| r.label(), &role),
        role,
        s,
        errors,
        conflict,
    };
    render_status(&page, status)
}

pub async fn staff_edit(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    edit_page(
        &st,
        &user,
        id,
        None,
        None,
        FieldErrors::new(),
        false,
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StaffUpdate {
    pub display_name: String,
    pub role: String,
    pub version: String,
}

pub async fn staff_update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<StaffUpdate>,
) -> PageResult {
    let version = parse_version(&f.version)?;
    let Some(role) = Role::from_code(f.role.trim()) else {
        let mut e = FieldErrors::new();
        e.add("role", "役割を一覧から選んでください。");
        return edit_page(
            &st,
            &user,
            id,
            Some(f.display_name),
            Some(f.role),
            e,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let mut tx = st.store.begin(user.actor()).await?;
    match users::update(&mut tx, id, version, &f.display_name, role).await {
        Ok(Ok(())) => {
            tx.commit().await?;
            Ok(see_other("/admin/staff?saved=updated"))
        }
        Ok(Err(e)) => {
            tx.rollback().await?;
            edit_page(
                &st,
                &user,
                id,
                Some(f.display_name),
                Some(f.role),
                e,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Conflict) => {
            tx.rollback().await?;
            edit_page(
                &st,
                &user,
                id,
                Some(f.display_name),
                Some(f.role),
                FieldErrors::new(),
                true,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActiveInput {
    pub active: String,
    pub version: String,
}

pub async fn staff_active(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(f): Form<ActiveInput>,
) -> PageResult {
    let version = parse_version(&f.version)?;
    let active = match f.active.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::BadRequest(
                "有効・無効の指定が正しくありません。".into(),
            ));
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    users::set_active(&mut tx, id, version, active).await?;
    tx.commit().await?;
    Ok(see_other("/admin/staff?saved=active"))
}

async fn tokens_page(
    st: &AppState,
    user: &Authed,
    new_token: String,
    error: String,
    name: String,
    selected: String,
    status: StatusCode,
) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let tokens = api_tokens::list(&tx).await?;
    let staff = staff_names(&tx).await?;
    let active: Vec<(String, String)> = users::list(&tx)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| {
            (
                u.id.to_string(),
                format!("{}（{}）", u.display_name, u.login),
            )
        })
        .collect();
    tx.rollback().await?;
    let ts =
        |t: chrono::DateTime<chrono::Utc>| datetime((t + chrono::Duration::hours(9)).naive_utc());
    let page = TokensPage {
        nav: Nav::new(user, "tokens"),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                user: staff.get(&t.user_id).cloned().unwrap_or_default(),
                created: ts(t.created_at),
                last_used: t.last_used_at.map(ts).unwrap_or_else(|| "未使用".into()),
                revoked: t.revoked_at.map(ts).unwrap_or_default(),
            })
            .collect(),
        staff_options: id_opts(&active, &selected),
        new_token,
        error,
        name,
        user: selected,
    };
    render_status(&page, status)
}

pub async fn tokens(State(st): State<AppState>, user: Authed) -> PageResult {
    tokens_page(
        &st,
        &user,
        String::new(),
        String::new(),
        String::new(),
        user.user_id.to_string(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenInput {
    pub name: String,
    pub user: String,
}

pub async fn issue_token(
    State(st): State<AppState>,
    user: Authed,
    Form(f): Form<TokenInput>,
) -> PageResult {
    let owner = parse_id(&f.user, "職員")?;
    let mut tx = st.store.begin(user.actor()).await?;
    match api_tokens::issue(&mut tx, owner, &f.name).await {
        Ok((_, token)) => {
            tx.commit().await?;
            // Shown once, in this response only (never in a URL or a log).
            tokens_page(
                &st,
                &user,
                token,
                String::new(),
                String::new(),
                f.user,
                StatusCode::OK,
            )
            .await
        }
        Err(StoreError::Rule(m)) => {
            tx.rollback().await?;
            tokens_page(
                &st,
                &user,
                String::new(),
                m,
                f.name,
                f.user,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    api_tokens::revoke(&mut tx, id).await?;
    tx.commit().await?;
    Ok(see_other("/admin/tokens"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub user: String,
    pub client: String,
    pub action: String,
    pub from: String,
    pub until: String,
    pub page: String,
    pub verify: String,
}

const ACTIONS: &[(&str, &str)] = &[
    ("read", "閲覧"),
    ("list", "一覧・検索"),
    ("create", "登録"),
    ("update", "更新"),
    ("delete", "削除"),
    ("assign", "担当変更"),
    ("stage", "段階の変更"),
    ("close", "終結"),
    ("sign_in", "サインイン"),
    ("sign_out", "サインアウト"),
    ("activate", "職員の有効化"),
    ("deactivate", "職員の無効化"),
    ("issue", "トークン発行"),
    ("revoke", "トークン失効"),
    ("state", "計画の状態の変更"),
    ("consent", "同意の記録"),
    ("handover", "交付の記録"),
    ("withdraw", "同意の撤回"),
    ("upload", "ファイルの登録"),
    ("download", "ファイルの取得"),
    ("print", "印刷・出力（PDF）"),
];

fn action_label(a: &str) -> String {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == a)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| a.to_string())
}

fn kind_label(k: &str) -> &'static str {
    match k {
        "ledger" => "利用者台帳",
        "certificate" => "受給者証",
        "case" => "支援ケース",
        "case_note" => "支援経過記録",
        "assessment" => "アセスメント",
        "plan" => "サービス等利用計画",
        "meeting" => "サービス担当者会議",
        "monitoring" => "モニタリング",
        "care_team" => "ケアチーム・情報提供の同意",
        "resource" => "社会資源",
        "assignment" => "担当",
        "staff" => "職員",
        "audit_log" => "操作記録",
        "api_token" => "APIトークン",
        "session" => "セッション",
        _ => "",
    }
}

pub async fn audit(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let mut error = String::new();
    let parse_day = |s: &str, error: &mut String| -> Option<chrono::DateTime<chrono::Utc>> {
        if s.trim().is_empty() {
            return None;
        }
        match yorisoi_domain::date::parse_date(s) {
            // Days are Japanese days: 00:00 JST is 15:00 UTC the day before.
            Ok(d) => d
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc() - chrono::Duration::hours(9)),
            Err(e) => {
                *error = format!("期間: {e}");
                None
            }
        }
    };
    let from = parse_day(&q.from, &mut error);
    let until = parse_day(&q.until, &mut error).map(|t| t + chrono::Duration::days(1));
    let page = q
        .page
        .trim()
        .parse::<u64>()
        .unwrap_or(1)
        .clamp(1, 1_000_000)
        - 1;
    let filter = audit::AuditFilter {
        user_id: q.user.trim().parse().ok(),
        client_id: q.client.trim().parse().ok(),
        action: ACTIONS
            .iter()
            .find(|(c, _)| *c == q.action.trim())
            .map(|(c, _)| c.to_string()),
        from,
        until,
        page,
        per_page: 100,
    };
    let mut tx = st.store.read(user.actor()).await?;
    let (events, total) = audit::list(&mut tx, &filter).await?;
    let staff = staff_names(&tx).await?;
    tx.commit().await?;
    let (chain, chain_ok) = if q.verify == "1" {
        match audit::verify(&st.store, user.office_id).await? {
            Ok(n) => (
                format!("改ざん検知: {n}件すべての記録の連鎖が正しいことを確認しました。"),
                true,
            ),
            Err(seq) => (
                format!(
                    "改ざん検知: 第{seq}件目で記録の連鎖が壊れています。システム管理者に連絡してください。"
                ),
                false,
            ),
        }
    } else {
        ("操作記録は追記のみで、変更・削除はできません。「改ざん検知」でハッシュの連鎖を確かめられます: /admin/audit?verify=1".to_string(), true)
    };
    let link = |p: u64| {
        let filters = [
            ("user", q.user.as_str()),
            ("client", &q.client),
            ("action", &q.action),
            ("from", &q.from),
            ("until", &q.until),
        ];
        super::page_link("/admin/audit", &filters, p)
    };
    let pages = total.div_ceil(100).max(1);
    let staff_opts: Vec<(String, String)> = staff
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    render(&AuditPage {
        nav: Nav::new(&user, "audit"),
        rows: events
            .into_iter()
            .map(|e| AuditRow {
                seq: e.seq,
                at: datetime((e.at + chrono::Duration::hours(9)).naive_utc()),
                user: e
                    .user_id
                    .and_then(|u| staff.get(&u).cloned())
                    .unwrap_or_else(|| "（システム）".into()),
                action: action_label(&e.action),
                kind: kind_label(&e.record_kind).to_string(),
                record: e.record_id.map(|r| format!("#{r}")).unwrap_or_default(),
                client: e
                    .client_id
                    .map(|c| format!("利用者 #{c}"))
                    .unwrap_or_default(),
                client_id: e.client_id,
                detail: e.detail,
            })
            .collect(),
        total,
        actions: ACTIONS
            .iter()
            .map(|(c, l)| (*c, *l, *c == q.action.trim()))
            .collect(),
        staff_options: id_opts(&staff_opts, q.user.trim()),
        user: q.user.clone(),
        client: q.client.clone(),
        action: q.action.clone(),
        from: q.from.clone(),
        until: q.until.clone(),
        chain,
        chain_ok,
        prev_link: if page > 0 {
            link(page - 1)
        } else {
            String::new()
        },
        next_link: if page + 1 < pages {
            link(page + 1)
        } else {
            String::new()
        },
        error,
    })
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/admin/staff", get(staff).post(add_staff))
        .route("/admin/staff/{id}", get(staff_edit).post(staff_update))
        .route("/admin/staff/{id}/active", post(staff_active))
        .route("/admin/tokens", get(tokens).post(issue_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/audit", get(audit))
        .route("/admin/retention", post(set_retention))
}
