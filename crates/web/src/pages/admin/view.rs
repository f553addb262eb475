//! The admin screens: staff and the retention period, staff edit, API tokens, the audit log.

use super::form::{EndSessionsInput, NewUser, ResetInput, RetentionInput, StaffEdit, TokenInput};
use crate::auth::Authed;
use crate::kit::audit::{ACTIONS, action_label, jst, kind_label};
use crate::kit::display::{Opt, id_opts, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use std::collections::HashMap;
use yorisoi_domain::policy::Role;
use yorisoi_store::entities::{api_token, audit_event, user};

pub struct StaffRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub role_code: &'static str,
    pub active: bool,
    pub clients: i64,
    pub version: i32,
}

/// The office's staff with how many clients each keeps (`counts` by assigned staff, `None`
/// for nobody), and the number of clients nobody keeps.
pub fn staff_rows(users: Vec<user::Model>, counts: &[(Option<i64>, i64)]) -> (Vec<StaffRow>, i64) {
    let n = |id: Option<i64>| {
        counts
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let rows = users
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
    (rows, n(None))
}

/// What the staff page shows of the stored records.
pub struct StaffData {
    pub users: Vec<user::Model>,
    /// The care team's outside members' accounts.
    pub outside: Vec<yorisoi_store::outside::AccountRow>,
    pub counts: Vec<(Option<i64>, i64)>,
    pub retention_years: i32,
}

/// The staff page's two forms as shown, and the message after a redirect.
#[derive(Default)]
pub struct StaffForms {
    pub message: &'static str,
    pub add: Option<EditState<NewUser>>,
    pub retention: Option<EditState<RetentionInput>>,
}

impl StaffForms {
    pub fn saved(saved: &str) -> Self {
        let message = match saved {
            "added" => "職員を追加しました。",
            "updated" => "職員の情報を保存しました。",
            "active" => "職員の状態を変更しました。",
            "unlocked" => "サインインの制限を解除しました（操作記録に理由を残しました）。",
            "retention" => "記録の保存期間を変更しました。終結したケースの保存期限も変わりました。",
            _ => "",
        };
        StaffForms {
            message,
            ..Default::default()
        }
    }

    pub fn status(&self) -> axum::http::StatusCode {
        [
            self.add.as_ref().map(EditState::status),
            self.retention.as_ref().map(EditState::status),
        ]
        .into_iter()
        .flatten()
        .find(|s| *s != axum::http::StatusCode::OK)
        .unwrap_or(axum::http::StatusCode::OK)
    }
}

#[derive(Template)]
#[template(path = "staff.html")]
pub struct StaffPage {
    pub nav: Nav,
    pub staff: Vec<StaffRow>,
    pub unassigned: i64,
    pub form: EditState<NewUser>,
    pub roles: Vec<Opt>,
    pub message: String,
    /// 記録の保存期間 (years after the end of support): saved, and the form (as typed when it
    /// was refused).
    pub retention_years: i32,
    pub retention: EditState<RetentionInput>,
    pub outside: Vec<yorisoi_store::outside::AccountRow>,
}

impl StaffPage {
    pub fn new(user: &Authed, d: StaffData, f: StaffForms) -> Self {
        let (staff, unassigned) = staff_rows(d.users, &d.counts);
        let mut form = f
            .add
            .unwrap_or_else(|| EditState::new(NewUser::default(), ""));
        // The password typed is never sent back.
        form.input.password.clear();
        let retention = f.retention.unwrap_or_else(|| {
            EditState::new(
                RetentionInput {
                    years: d.retention_years.to_string(),
                },
                "",
            )
        });
        StaffPage {
            nav: Nav::new(user, "staff"),
            staff,
            unassigned,
            roles: opts(Role::STAFF, |r| r.code(), |r| r.label(), &form.input.role),
            form,
            message: f.message.into(),
            retention_years: d.retention_years,
            retention,
            outside: d.outside,
        }
    }
}

#[derive(Template)]
#[template(path = "staff_edit.html")]
pub struct StaffEditPage {
    pub nav: Nav,
    pub s: StaffRow,
    pub form: EditState<StaffEdit>,
    pub roles: Vec<Opt>,
    /// パスワードの再設定 (the passwords typed are never sent back).
    pub reset: EditState<ResetInput>,
    /// セッションをすべて終了, with the reason as typed.
    pub end: EditState<EndSessionsInput>,
    /// How many sessions of the staff member are alive.
    pub sessions: u64,
    /// 二段階認証のリセット, with the reason as typed.
    pub sf_reset: EditState<EndSessionsInput>,
    /// The staff member's second factor in words (empty: none).
    pub second_factor: String,
    /// Whether this is the admin's own account (reset from 自分の設定 instead).
    pub own: bool,
    pub message: &'static str,
}

/// The staff edit page's forms besides the edit form, and the message after a redirect.
#[derive(Default)]
pub struct StaffEditForms {
    pub reset: Option<EditState<ResetInput>>,
    pub end: Option<EditState<EndSessionsInput>>,
    pub sf_reset: Option<EditState<EndSessionsInput>>,
    pub sessions: u64,
    pub second_factor: String,
    pub message: &'static str,
}

impl StaffEditForms {
    pub fn saved(saved: &str, sessions: u64, second_factor: String) -> Self {
        StaffEditForms {
            message: match saved {
                "reset" => {
                    "パスワードを再設定しました。この職員のセッションはすべて終了し、次のサインインで新しいパスワードへの変更を求められます。仮のパスワードは本人に安全な方法で伝えてください。"
                }
                "sessions" => "この職員のセッションをすべて終了しました（操作記録に残しました）。",
                "second_factor" => {
                    "この職員の二段階認証をリセットしました（操作記録に残しました）。事業所の方針で必要なときは、次のサインインで設定し直しを求められます。"
                }
                _ => "",
            },
            sessions,
            second_factor,
            ..Default::default()
        }
    }
}

impl StaffEditPage {
    pub fn new(user: &Authed, s: StaffRow, form: EditState<StaffEdit>) -> Self {
        Self::with(user, s, form, StaffEditForms::default())
    }

    pub fn with(user: &Authed, s: StaffRow, form: EditState<StaffEdit>, f: StaffEditForms) -> Self {
        let mut reset = f
            .reset
            .unwrap_or_else(|| EditState::new(ResetInput::default(), ""));
        reset.input = ResetInput::default();
        StaffEditPage {
            nav: Nav::new(user, "staff"),
            roles: opts(Role::STAFF, |r| r.code(), |r| r.label(), &form.input.role),
            own: s.id == user.user_id,
            s,
            form,
            reset,
            end: f
                .end
                .unwrap_or_else(|| EditState::new(EndSessionsInput::default(), "")),
            sf_reset: f
                .sf_reset
                .unwrap_or_else(|| EditState::new(EndSessionsInput::default(), "")),
            second_factor: f.second_factor,
            sessions: f.sessions,
            message: f.message,
        }
    }

    /// The status of the page: the first form refused decides.
    pub fn status(&self) -> axum::http::StatusCode {
        [
            self.form.status(),
            self.reset.status(),
            self.end.status(),
            self.sf_reset.status(),
        ]
        .into_iter()
        .find(|s| *s != axum::http::StatusCode::OK)
        .unwrap_or(axum::http::StatusCode::OK)
    }
}

/// The edit form filled from the stored staff member.
pub fn staff_edit_form(s: &StaffRow) -> EditState<StaffEdit> {
    EditState::new(
        StaffEdit {
            display_name: s.name.clone(),
            role: s.role_code.to_string(),
        },
        s.version,
    )
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub user: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
    pub scope: &'static str,
    /// 有効期限, or 無期限 for tokens issued before tokens expired
    pub expires: String,
    pub expired: bool,
}

/// What the tokens page shows of the stored records.
pub struct TokensData {
    pub tokens: Vec<api_token::Model>,
    pub staff: HashMap<i64, String>,
    pub users: Vec<user::Model>,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    pub nav: Nav,
    pub tokens: Vec<TokenRow>,
    pub staff_options: Vec<(String, String, bool)>,
    /// The token just issued: shown in this response only.
    pub new_token: String,
    pub form: EditState<TokenInput>,
}

impl TokensPage {
    pub fn new(
        user: &Authed,
        d: TokensData,
        form: EditState<TokenInput>,
        new_token: String,
    ) -> Self {
        let active: Vec<(String, String)> = d
            .users
            .into_iter()
            .filter(|u| u.active)
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{}（{}）", u.display_name, u.login),
                )
            })
            .collect();
        TokensPage {
            nav: Nav::new(user, "tokens"),
            tokens: d
                .tokens
                .into_iter()
                .map(|t| TokenRow {
                    id: t.id,
                    name: t.name,
                    user: d.staff.get(&t.user_id).cloned().unwrap_or_default(),
                    created: jst(t.created_at),
                    last_used: t.last_used_at.map(jst).unwrap_or_else(|| "未使用".into()),
                    revoked: t.revoked_at.map(jst).unwrap_or_default(),
                    scope: yorisoi_store::api_tokens::TokenScope::from_code(&t.scope)
                        .unwrap_or_default()
                        .label(),
                    expires: t.expires_at.map(jst).unwrap_or_else(|| "無期限".into()),
                    expired: t.expires_at.is_some_and(|e| e <= yorisoi_store::now_utc()),
                })
                .collect(),
            staff_options: id_opts(&active, &form.input.user),
            new_token,
            form,
        }
    }
}

pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub kind: String,
    pub record: String,
    pub client: String,
    pub client_id: Option<i64>,
    pub detail: String,
}

impl AuditRow {
    fn new(e: audit_event::Model, staff: &HashMap<i64, String>) -> Self {
        AuditRow {
            seq: e.seq,
            at: jst(e.at),
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
            detail: crate::kit::audit::detail_label(&e.detail),
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub nav: Nav,
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub user: String,
    pub client: String,
    pub action: String,
    pub from: String,
    pub until: String,
    pub staff_options: Vec<(String, String, bool)>,
    pub actions: Vec<Opt>,
    pub chain: String,
    pub chain_ok: bool,
    /// The newest signed checkpoint as one line to copy or print, or empty.
    pub checkpoint: String,
    pub checkpoint_at: String,
    pub prev_link: String,
    pub next_link: String,
    pub error: String,
}

/// One page of the log as found, and what the page says about it.
pub struct AuditData {
    pub events: Vec<audit_event::Model>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub staff: HashMap<i64, String>,
    /// The chain check's result, when it was asked for.
    pub chain: Option<yorisoi_store::audit::Verification>,
    pub checkpoint: Option<yorisoi_store::audit_key::Checkpoint>,
    pub errors: yorisoi_domain::FieldErrors,
}

impl AuditPage {
    pub fn new(user: &Authed, q: &super::form::AuditQuery, d: AuditData) -> Self {
        let (chain, chain_ok) = match d.chain {
            Some(r) => crate::kit::audit::chain_message(&r),
            None => ("操作記録は追記のみで、変更・削除はできません。「改ざん検知」でハッシュの連鎖を確かめられます: /admin/audit?verify=1".to_string(), true),
        };
        let link = |p: u64| {
            let filters = [
                ("user", q.user.as_str()),
                ("client", &q.client),
                ("action", &q.action),
                ("from", &q.from),
                ("until", &q.until),
            ];
            crate::kit::links::page_link("/admin/audit", &filters, p)
        };
        let pages = d.total.div_ceil(d.per_page).max(1);
        let page = d.page;
        let staff_opts: Vec<(String, String)> = d
            .staff
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect();
        let error = ["from", "until"]
            .iter()
            .find_map(|f| d.errors.get(f))
            .unwrap_or("")
            .to_string();
        AuditPage {
            nav: Nav::new(user, "audit"),
            rows: d
                .events
                .into_iter()
                .map(|e| AuditRow::new(e, &d.staff))
                .collect(),
            total: d.total,
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
            checkpoint: d
                .checkpoint
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok())
                .unwrap_or_default(),
            checkpoint_at: d
                .checkpoint
                .as_ref()
                .map(|c| {
                    format!(
                        "{}件目まで（{}）",
                        c.seq,
                        crate::kit::audit::checkpoint_time(&c.at)
                    )
                })
                .unwrap_or_default(),
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
        }
    }
}

/// A staff member and whether they have a second factor.
pub struct SecondFactorRow {
    pub name: String,
    pub login: String,
    pub role: &'static str,
    pub enrolled: bool,
    pub must: bool,
}

#[derive(Template)]
#[template(path = "second_factor_policy.html")]
pub struct PolicyPage {
    pub nav: Nav,
    pub modes: Vec<(&'static str, &'static str, bool)>,
    pub grace_until: String,
    pub staff: Vec<SecondFactorRow>,
    pub message: String,
    pub errors: Vec<String>,
}

impl PolicyPage {
    pub fn new(
        user: &Authed,
        mode: &str,
        grace_until: String,
        users: Vec<user::Model>,
        enrolled: &[i64],
        policy: yorisoi_domain::second_factor::Policy,
    ) -> Self {
        use yorisoi_domain::second_factor::{Mode, Requirement};
        let today = yorisoi_store::today_jst();
        let modes = [Mode::Optional, Mode::Required]
            .into_iter()
            .map(|m| (m.code(), m.label(), m.code() == mode))
            .collect();
        let staff = users
            .into_iter()
            .filter(|u| u.active)
            .map(|u| {
                let role = Role::from_code(&u.role);
                SecondFactorRow {
                    must: policy.requirement(role == Some(Role::Admin), today) != Requirement::None,
                    name: u.display_name,
                    login: u.login,
                    role: role.map(|r| r.label()).unwrap_or(""),
                    enrolled: enrolled.contains(&u.id),
                }
            })
            .collect();
        PolicyPage {
            nav: Nav::new(user, "second_factor_policy"),
            modes,
            grace_until,
            staff,
            message: String::new(),
            errors: Vec::new(),
        }
    }
}
