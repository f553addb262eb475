//! 自分の設定 and the password change page.

use super::form::PasswordForm;
use crate::auth::Authed;
use crate::kit::audit::jst;
use crate::kit::device::describe;
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_store::entities::session;

/// One of the user's sessions as listed.
pub struct SessionRow {
    pub id: i64,
    /// 「Chrome（Windows）」
    pub device: String,
    pub user_agent: String,
    pub address: String,
    pub started: String,
    pub last_seen: String,
    /// The session this page is shown in (「この端末」).
    pub current: bool,
}

impl SessionRow {
    pub fn new(s: session::Model, current: Option<i64>) -> Self {
        SessionRow {
            id: s.id,
            device: describe(&s.user_agent),
            address: if s.address.is_empty() {
                "不明".into()
            } else {
                s.address
            },
            user_agent: s.user_agent,
            started: jst(s.created_at),
            last_seen: jst(s.last_seen_at),
            current: Some(s.id) == current,
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub nav: Nav,
    pub login: String,
    pub sessions: Vec<SessionRow>,
    pub others: usize,
    pub message: &'static str,
}

impl AccountPage {
    pub fn new(user: &Authed, sessions: Vec<session::Model>, saved: &str) -> Self {
        let mut sessions: Vec<SessionRow> = sessions
            .into_iter()
            .map(|s| SessionRow::new(s, user.session_id))
            .collect();
        // この端末 first, then the most recently used.
        sessions.sort_by_key(|s| !s.current);
        AccountPage {
            nav: Nav::new(user, "account"),
            login: user.login.clone(),
            others: sessions.iter().filter(|s| !s.current).count(),
            sessions,
            message: match saved {
                "password" => {
                    "パスワードを変更しました。ほかの端末のセッションは終了しました。次回から新しいパスワードでサインインしてください。"
                }
                "ended" => "セッションを終了しました。その端末はサインインし直すまで使えません。",
                "others" => "ほかのセッションをすべて終了しました。",
                _ => "",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "account_password.html")]
pub struct PasswordPage {
    pub nav: Nav,
    pub form: EditState<PasswordForm>,
    /// An admin reset the password: it must be changed now.
    pub forced: bool,
}

impl PasswordPage {
    pub fn new(user: &Authed, mut form: EditState<PasswordForm>) -> Self {
        // Passwords typed are never sent back.
        form.input = PasswordForm::cleared();
        PasswordPage {
            nav: Nav::new(user, "account"),
            form,
            forced: user.must_change_password,
        }
    }
}
