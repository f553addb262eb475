//! The upload page, the template, the preview (mapping, problems, duplicates) and the import.

use super::view::{PreviewPage, UploadPage};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::RawForm;
use crate::kit::import::{self as kit, RunState};
use crate::kit::links::see_other;
use crate::kit::render::{render, render_status};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use yorisoi_domain::import::{self, DuplicateChoice, Field, Mapping};

/// The store's one check (whoever writes the whole office's ledger), so that a refusal is the
/// 404 every page gives and is in the audit log.
async fn may(st: &AppState, user: &Authed) -> Result<(), AppError> {
    let tx = st.store.read(user.actor()).await?;
    yorisoi_store::imports::check_may_import(&tx)?;
    tx.commit().await?;
    Ok(())
}

/// `GET /clients/import`
pub async fn form(State(st): State<AppState>, user: Authed) -> PageResult {
    may(&st, &user).await?;
    render(&UploadPage::new(&user, String::new()))
}

/// `GET /clients/import/template.csv`: the template, in UTF-8 with a BOM (Excel opens it as it
/// is), with one example row that is never imported.
pub async fn template_csv(State(st): State<AppState>, user: Authed) -> Result<Response, AppError> {
    may(&st, &user).await?;
    let bytes = crate::kit::csv_export::encode(
        &import::template_rows(),
        crate::kit::csv_export::Enc::Utf8Bom,
    )?;
    Ok(crate::kit::print::file_response(
        bytes,
        "text/csv; charset=utf-8",
        "利用者台帳_取り込み用.csv",
    ))
}

/// `GET /clients/import/template.xlsx`: the same template as an Excel book, with lists to
/// choose from.
pub async fn template_xlsx(State(st): State<AppState>, user: Authed) -> Result<Response, AppError> {
    may(&st, &user).await?;
    let bytes = crate::kit::import_file::template_xlsx(&import::template_rows())
        .map_err(AppError::internal)?;
    Ok(crate::kit::print::file_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "利用者台帳_取り込み用.xlsx",
    ))
}

/// `POST /clients/import/upload` (multipart: `csrf`, `file`): keeps the file and shows its
/// preview.
pub async fn upload(State(st): State<AppState>, user: Authed, mut mp: Multipart) -> PageResult {
    may(&st, &user).await?;
    let too_big = || {
        "ファイルが大きすぎるか、送信が途中で切れました。5MBまでの .xlsx か CSV を選んでください。"
            .to_string()
    };
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut problem = None;
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(b) => file = Some((name, b.to_vec())),
                        Err(_) => {
                            problem = Some(too_big());
                            break;
                        }
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                problem = Some(too_big());
                break;
            }
        }
    }
    if problem.is_none() && !crate::auth::csrf::token_ok(&user, &csrf) {
        return Err(AppError::Csrf);
    }
    let refuse = |m: String, status| render_status(&UploadPage::new(&user, m), status);
    if let Some(m) = problem {
        return refuse(m, StatusCode::PAYLOAD_TOO_LARGE);
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(
            "ファイルを選んでください。".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let rows = crate::kit::import_file::decode_off_thread(bytes).await?;
    match rows {
        Ok(rows) => {
            let id = st.imports.stage(user.user_id, name, rows);
            Ok(see_other(&format!("/clients/import/{id}")))
        }
        Err(m) => refuse(m, StatusCode::UNPROCESSABLE_ENTITY),
    }
}

/// `GET /clients/import/{id}`: the preview, or the import's progress (refreshed every second)
/// and its result.
pub async fn show(State(st): State<AppState>, user: Authed, Path(id): Path<String>) -> PageResult {
    may(&st, &user).await?;
    let staged = st
        .imports
        .get(&id, user.user_id)
        .ok_or(AppError::NotFound)?;
    let failed = match &staged.state {
        RunState::Preview => String::new(),
        RunState::Failed(m) => m.clone(),
        _ => return render(&PreviewPage::status_only(&user, &id, &staged)),
    };
    let p = kit::preview(
        &st.store,
        user.actor(),
        &staged.rows,
        staged.mapping.clone(),
    )
    .await?;
    // A failed import is told once, over the preview it can be tried again from.
    st.imports.update(&id, |s| s.state = RunState::Preview);
    render(&PreviewPage::new(&user, &id, &staged, &p, failed))
}

/// What the preview form sends: the field of each column, the choice for each duplicate and
/// the duplicate as it was shown, and whether to import now.
struct Decision {
    mapping: Mapping,
    choices: std::collections::HashMap<usize, DuplicateChoice>,
    seen: std::collections::HashMap<usize, String>,
    import: bool,
}

fn read_decision(form: &RawForm, columns: usize) -> Result<Decision, AppError> {
    let mut d = Decision {
        mapping: Vec::new(),
        choices: Default::default(),
        seen: Default::default(),
        import: false,
    };
    for (k, v) in form.pairs()? {
        if k == "col" {
            d.mapping.push(Field::from_code(v.trim()));
        } else if k == "go" {
            d.import = v == "import";
        } else if let Some(row) = k.strip_prefix('d').and_then(|r| r.parse().ok()) {
            let c = DuplicateChoice::from_code(v.trim())
                .ok_or_else(|| AppError::BadRequest("重複の扱いが読み取れません。".into()))?;
            d.choices.insert(row, c);
        } else if let Some(row) = k.strip_prefix('s').and_then(|r| r.parse().ok()) {
            d.seen.insert(row, v);
        }
    }
    if d.mapping.len() > columns {
        return Err(AppError::BadRequest("列の対応が読み取れません。".into()));
    }
    Ok(d)
}

/// `POST /clients/import/{id}`: checks again with the mapping and choices chosen; imports when
/// asked to and nothing is wrong.
pub async fn decide(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<String>,
    form: RawForm,
) -> PageResult {
    may(&st, &user).await?;
    let staged = st
        .imports
        .get(&id, user.user_id)
        .ok_or(AppError::NotFound)?;
    if staged.state != RunState::Preview && !matches!(staged.state, RunState::Failed(_)) {
        return Ok(see_other(&format!("/clients/import/{id}")));
    }
    let columns = import::headers(&staged.rows).len();
    let d = read_decision(&form, columns)?;
    let mapping = Some(d.mapping.clone()).filter(|m| !m.is_empty());
    st.imports.update(&id, |s| {
        s.mapping = mapping.clone();
        s.choices = d.choices.clone();
        s.state = RunState::Preview;
    });
    let staged = st
        .imports
        .get(&id, user.user_id)
        .ok_or(AppError::NotFound)?;
    if !d.import {
        return Ok(see_other(&format!("/clients/import/{id}")));
    }
    let p = kit::preview(&st.store, user.actor(), &staged.rows, mapping).await?;
    if !p.is_valid() {
        let m = "直すところがあるため、取り込んでいません。下の一覧を見てファイルを直し、もう一度アップロードしてください。";
        let page = PreviewPage::new(&user, &id, &staged, &p, m.into());
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // A duplicate that is not the one the user decided about (the client changed, or a new
    // one appeared since the preview) is refused as a conflict: nothing is overwritten.
    let changed = p
        .parsed
        .rows
        .iter()
        .zip(&p.duplicates)
        .any(|(r, m)| m.as_ref().map(kit::seen_key) != d.seen.get(&r.row).cloned());
    if changed {
        let m = "確認の後に、台帳の利用者が変更されました。重複の一覧を見直してから、もう一度「取り込む」を押してください。何も保存していません。";
        let page = PreviewPage::new(&user, &id, &staged, &p, m.into());
        return render_status(&page, StatusCode::CONFLICT);
    }
    let steps = kit::plan(&p, |row| d.choices.get(&row).copied().unwrap_or_default());
    let total = steps.len();
    if !st.imports.start(&id, user.user_id, total) {
        return Ok(see_other(&format!("/clients/import/{id}")));
    }
    let (store, imports, actor, job) = (
        st.store.clone(),
        st.imports.clone(),
        user.actor(),
        id.clone(),
    );
    tokio::spawn(async move {
        let progress_to = imports.clone();
        let key = job.clone();
        let result = kit::run(&store, actor, &steps, move |done| {
            // Told every 50 rows: the lock is shared with every page of this process.
            if done % 50 == 0 || done == total {
                progress_to.update(&key, |s| s.state = RunState::Running { done, total });
            }
        })
        .await;
        imports.update(&job, |s| {
            s.state = match result {
                Ok(c) => RunState::Done(c),
                Err(m) => RunState::Failed(m.message),
            }
        });
    });
    Ok(see_other(&format!("/clients/import/{id}")))
}

/// `POST /clients/import/team` (multipart: `csrf`, `file`): care-team members from a spreadsheet,
/// answered with what was added or every problem (nothing saved).
pub async fn upload_team(State(st): State<AppState>, user: Authed, mp: Multipart) -> PageResult {
    use crate::pages::resources::import::{ImportResultPage, read_upload};
    let page = |message: String, problems, done, status| {
        render_status(
            &ImportResultPage {
                nav: crate::kit::render::Nav::new(&user, "clients"),
                heading: "ケアチームの取り込み",
                back_href: "/clients/import",
                back_label: "取り込みの画面",
                message,
                problems,
                done,
            },
            status,
        )
    };
    let bytes = match read_upload(&user, mp).await? {
        Ok(b) => b,
        Err((m, status)) => return page(m, Vec::new(), None, status),
    };
    match crate::kit::team_import::run(&st.store, user.actor(), bytes, false).await? {
        Ok(d) => {
            let skipped = d
                .skipped
                .iter()
                .map(|s| format!("{}行目: {}", s.row, s.name))
                .collect();
            page(
                String::new(),
                Vec::new(),
                Some((d.created, skipped)),
                StatusCode::OK,
            )
        }
        Err(p) => page(p.message, p.rows, None, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
