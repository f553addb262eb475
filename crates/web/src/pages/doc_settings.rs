//! 帳票の設定 (admins): the calendar documents print dates in, furigana on the easy-read plan,
//! and the template chosen for each document kind.

use crate::AppState;
use crate::auth::Authed;
use crate::error::PageResult;
use crate::kit::form::RawForm;
use crate::pages::{Saved, see_other};
use crate::views::*;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use yorisoi_documents::docs::{DateStyle, DocKind};
use yorisoi_documents::templates::STANDARD;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::office::DocSettings;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::offices;

pub struct KindRow {
    pub code: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "doc_settings.html")]
pub struct SettingsPage {
    pub nav: Nav,
    pub message: String,
    pub errors: FieldErrors,
    pub dates: Vec<Opt>,
    pub furigana: bool,
    pub dictionary: bool,
    pub kinds: Vec<KindRow>,
    pub templates_dir: String,
}

fn page(
    st: &AppState,
    user: &Authed,
    s: &DocSettings,
    errors: FieldErrors,
    message: &str,
    status: StatusCode,
) -> PageResult {
    let kinds = DocKind::ALL
        .iter()
        .map(|k| {
            let names: Vec<(String, String)> = st
                .templates
                .names(*k)
                .into_iter()
                .map(|n| {
                    let label = if n == STANDARD {
                        "標準".to_string()
                    } else {
                        n.clone()
                    };
                    (n, label)
                })
                .collect();
            KindRow {
                code: k.code(),
                label: k.label(),
                options: id_opts(&names, s.template(k.code())),
            }
        })
        .collect();
    render_status(
        &SettingsPage {
            nav: Nav::new(user, "staff"),
            message: message.into(),
            errors,
            dates: opts(
                &[DateStyle::Wareki, DateStyle::Seireki],
                |d| d.code(),
                |d| d.label(),
                s.dates.code(),
            ),
            furigana: s.furigana,
            dictionary: st.furigana.available(),
            kinds,
            templates_dir: st
                .config
                .templates_dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
        },
        status,
    )
}

/// `GET /admin/documents`
pub async fn show(State(st): State<AppState>, user: Authed, Query(q): Query<Saved>) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let s = offices::doc_settings(&tx).await?;
    tx.rollback().await?;
    let msg = if q.saved == "documents" {
        "帳票の設定を保存しました。"
    } else {
        ""
    };
    page(&st, &user, &s, FieldErrors::new(), msg, StatusCode::OK)
}

/// `POST /admin/documents`
pub async fn save(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let fields: std::collections::HashMap<String, String> = body.parse()?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let mut e = FieldErrors::new();
    let mut s = DocSettings {
        furigana: get("furigana") == "on",
        ..Default::default()
    };
    match DateStyle::from_code(get("dates")) {
        Some(d) => s.dates = d,
        None => e.add("dates", "日付の書き方を選んでください。"),
    }
    for k in DocKind::ALL {
        let name = get(&format!("template_{}", k.code()));
        let name = if name.is_empty() { STANDARD } else { name };
        if st.templates.names(k).iter().any(|n| n == name) {
            if name != STANDARD {
                s.templates.insert(k.code().into(), name.into());
            }
        } else {
            e.add(
                &format!("template_{}", k.code()),
                format!(
                    "{}のテンプレート「{name}」が見つかりません。一覧から選んでください。",
                    k.label()
                ),
            );
        }
    }
    let mut tx = st.store.begin(user.actor()).await?;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    if !e.is_empty() {
        tx.rollback().await?;
        return page(&st, &user, &s, e, "", StatusCode::UNPROCESSABLE_ENTITY);
    }
    offices::set_doc_settings(&mut tx, &s).await?;
    tx.commit().await?;
    Ok(see_other("/admin/documents?saved=documents"))
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/admin/documents", get(show).post(save))
}
