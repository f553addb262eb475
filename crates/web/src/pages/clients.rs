//! 利用者: the list (search, filters, sort, bulk assignment), the ledger form, the client page.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{Form, RawForm, VersionField, parse_version};
use crate::pages::{assignable_staff, client_row, parse_id, see_other, staff_names};
use crate::views::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::case::CaseStage;
use yorisoi_domain::client::*;
use yorisoi_domain::note::{NoteInput, NoteKind};
use yorisoi_domain::policy::{Action, RecordKind, sees_whole_office};
use yorisoi_store::clients::{self, ClientFilter, ClientSort, StaffFilter};
use yorisoi_store::{StoreError, cases, certificates, notes, today_jst};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub staff: String,
    pub cert: String,
    pub sort: String,
    pub page: String,
    pub assigned: String,
}

fn list_link(q: &ListQuery, page: u64) -> String {
    let filters = [
        ("q", q.q.as_str()),
        ("status", &q.status),
        ("staff", &q.staff),
        ("cert", &q.cert),
        ("sort", &q.sort),
    ];
    super::page_link("/clients", &filters, page)
}

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let today = today_jst();
    let status = ClientStatus::from_code(q.status.trim());
    let staff_filter = match q.staff.trim() {
        "" => StaffFilter::Any,
        "none" => StaffFilter::Unassigned,
        s => s.parse().map(StaffFilter::User).unwrap_or(StaffFilter::Any),
    };
    let cert_within_days = q
        .cert
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=366).contains(d));
    let sort = ClientSort::from_code(q.sort.trim()).unwrap_or_default();
    let page = q.page.trim().parse::<u64>().unwrap_or(1).clamp(1, 100_000) - 1;
    let per_page = 50;
    let filter = ClientFilter {
        q: q.q.chars().take(100).collect(),
        status,
        staff: staff_filter,
        cert_within_days,
        today,
        sort,
        page,
        per_page,
    };
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let (rows, total) = clients::list(&mut tx, &filter).await?;
    let assignable = if user.can_assign() || sees_whole_office(user.role) {
        assignable_staff(&tx).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let pages = total.div_ceil(per_page).max(1);
    let message = match q.assigned.parse::<u64>() {
        Ok(n) => format!("{n}人の担当を変更しました。"),
        Err(_) => String::new(),
    };
    render(&ClientListPage {
        nav: Nav::new(&user, "clients"),
        rows: rows.iter().map(|c| client_row(c, &staff, today)).collect(),
        total,
        statuses: opts(
            ClientStatus::ALL,
            |s| s.code(),
            |s| s.label(),
            q.status.trim(),
        ),
        staff_options: id_opts(&assignable, q.staff.trim()),
        can_assign: user.can_assign(),
        show_staff_filter: sees_whole_office(user.role),
        prev_link: if page > 0 {
            list_link(&q, page - 1)
        } else {
            String::new()
        },
        next_link: if page + 1 < pages {
            list_link(&q, page + 1)
        } else {
            String::new()
        },
        q: q.q,
        status: q.status,
        staff: q.staff,
        cert: q.cert,
        sort: match sort {
            ClientSort::Kana => "kana",
            ClientSort::KanaDesc => "kana_desc",
            ClientSort::BirthDate => "birth_date",
            ClientSort::CertUntil => "cert_until",
            ClientSort::Updated => "updated",
        }
        .into(),
        page,
        pages,
        message,
    })
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    user: &Authed,
    title: &str,
    action: String,
    form: ClientInput,
    errors: FieldErrors,
    version: String,
    conflict: bool,
    staff: Vec<(String, String)>,
    assigned: String,
    cancel: String,
) -> ClientFormPage {
    ClientFormPage {
        nav: Nav::new(user, "clients"),
        title: title.into(),
        action,
        sexes: opts(Sex::ALL, |s| s.code(), |s| s.label(), &form.sex),
        kinds: opts_multi(
            DisabilityKind::ALL,
            |s| s.code(),
            |s| s.label(),
            &form.disability_kinds,
        ),
        categories: opts(
            SupportCategory::ALL,
            |s| s.code(),
            |s| s.label(),
            &form.support_category,
        ),
        incomes: opts_multi(
            IncomeKind::ALL,
            |s| s.code(),
            |s| s.label(),
            &form.income_kinds,
        ),
        guardians: opts(
            GuardianKind::ALL,
            |s| s.code(),
            |s| s.label(),
            &form.guardian_kind,
        ),
        statuses: opts(ClientStatus::ALL, |s| s.code(), |s| s.label(), &form.status),
        staff_options: id_opts(&staff, &assigned),
        form,
        errors,
        version,
        conflict,
        assigned,
        cancel,
    }
}

pub async fn new_form(State(st): State<AppState>, user: Authed) -> PageResult {
    let tx = st.store.read(user.actor()).await?;
    let staff = if user.can_assign() {
        assignable_staff(&tx).await?
    } else {
        Vec::new()
    };
    tx.rollback().await?;
    let form = ClientInput {
        status: "consulting".into(),
        support_category: "unassessed".into(),
        guardian_kind: "none".into(),
        ..Default::default()
    };
    render(&form_page(
        &user,
        "利用者の登録",
        "/clients".into(),
        form,
        FieldErrors::new(),
        String::new(),
        false,
        staff,
        String::new(),
        "/clients".into(),
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AssignedField {
    assigned: String,
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let form: ClientInput = body.parse()?;
    let assigned: AssignedField = body.parse()?;
    let mut tx = st.store.begin(user.actor()).await?;
    let staff = if user.can_assign() {
        assignable_staff(&tx).await?
    } else {
        Vec::new()
    };
    let assignee = if assigned.assigned.trim().is_empty() {
        None
    } else {
        Some(parse_id(&assigned.assigned, "担当")?)
    };
    let record = match form.validate(today_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            let page = form_page(
                &user,
                "利用者の登録",
                "/clients".into(),
                form,
                errors,
                String::new(),
                false,
                staff,
                assigned.assigned,
                "/clients".into(),
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // Only admins and leads choose the assignee; a specialist's new client is their own (the
    // store enforces it), a clerk's starts unassigned.
    let id = clients::create(
        &mut tx,
        &record,
        if user.can_assign() { assignee } else { None },
    )
    .await?;
    tx.commit().await?;
    Ok(see_other(&format!("/clients/{id}?saved=client")))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub q: String,
    pub offset: String,
    pub saved: String,
}

/// What the client page shows besides the stored records: forms being re-shown after an error.
#[derive(Default)]
pub struct PageExtras {
    pub note_form: Option<NoteInput>,
    pub note_errors: FieldErrors,
    pub book_form: BookInput,
    pub book_errors: FieldErrors,
    pub flash: String,
}

fn flash_for(code: &str) -> &'static str {
    match code {
        "client" => "利用者台帳を保存しました。",
        "note" => "支援経過記録を追加しました。",
        "note_edit" => "支援経過記録を更新しました。",
        "book" => "障害者手帳を追加しました。",
        "book_removed" => "障害者手帳の記録を削除しました。",
        "certificate" => "受給者証を新しい版として登録しました。",
        _ => "",
    }
}

pub async fn client_page(
    st: &AppState,
    user: &Authed,
    id: i64,
    q: &ShowQuery,
    extras: PageExtras,
    status: StatusCode,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let staff = staff_names(&tx).await?;
    let ledger_acc = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let c = clients::get(&mut tx, &ledger_acc).await?;
    let books = clients::books(&tx, &ledger_acc).await?;
    let cert_acc = tx
        .client_access(id, RecordKind::Certificate, Action::Read)
        .await?;
    let certs = certificates::list(&mut tx, &cert_acc).await?;
    let offset = q.offset.trim().parse::<u64>().unwrap_or(0).min(1_000_000);
    let (case_rows, note_list, more) = if user.sees_cases() {
        let case_acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
        let case_rows = cases::list(&mut tx, &case_acc).await?;
        let note_acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Read)
            .await?;
        let (n, more) = notes::list(&mut tx, &note_acc, &q.q, 30, offset).await?;
        (case_rows, n, more)
    } else {
        (Vec::new(), Vec::new(), false)
    };
    tx.commit().await?;
    let r = &c.record;
    let case_title = |cid: Option<i64>| {
        cid.and_then(|cid| case_rows.iter().find(|c| c.id == cid))
            .map(|c| c.title.clone())
            .unwrap_or_default()
    };
    let ledger = vec![
        (
            "生年月日",
            format!("{}（{}歳）", date(r.birth_date), age(r.birth_date)),
        ),
        ("性別", r.sex.label().to_string()),
        (
            "住所",
            format!(
                "{} {}",
                if r.postal_code.is_empty() {
                    String::new()
                } else {
                    format!("〒{}", r.postal_code)
                },
                r.address
            )
            .trim()
            .to_string(),
        ),
        ("電話", r.phone.clone()),
        (
            "障害種別",
            r.disability_kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("・"),
        ),
        ("診断名", r.diagnosis.clone()),
        ("合併症", r.complications.clone()),
        ("障害支援区分", {
            let period = match (r.support_category_from, r.support_category_until) {
                (None, None) => String::new(),
                (f, u) => format!("（{} 〜 {}）", odate(f), odate(u)),
            };
            format!("{}{}", r.support_category.label(), period)
        }),
        ("収入", {
            let kinds = r
                .income_kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("・");
            if r.income_note.is_empty() {
                kinds
            } else {
                format!("{kinds}（{}）", r.income_note)
            }
        }),
        (
            "保護者・後見人等",
            if r.guardian_kind == GuardianKind::None {
                String::new()
            } else {
                format!(
                    "{}: {} {}",
                    r.guardian_kind.label(),
                    r.guardian_name,
                    r.guardian_contact
                )
            },
        ),
        ("キーパーソン", r.key_person.clone()),
        (
            "主治医・医療機関",
            format!("{} {}", r.doctor, r.medical_institution)
                .trim()
                .to_string(),
        ),
    ];
    let note_form = extras.note_form.unwrap_or_default();
    let open_cases: Vec<(String, String)> = case_rows
        .iter()
        .filter(|c| c.stage.is_open())
        .map(|c| {
            (
                c.id.to_string(),
                format!(
                    "{}（{}）",
                    if c.title.is_empty() {
                        "ケース"
                    } else {
                        &c.title
                    },
                    c.stage.label()
                ),
            )
        })
        .collect();
    let next_notes_link = {
        let mut pairs = vec![("offset", (offset + 30).to_string())];
        if !q.q.is_empty() {
            pairs.push(("q", q.q.clone()));
        }
        format!(
            "/clients/{id}?{}#notes",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let page = ClientPage {
        nav: Nav::new(user, "clients"),
        id,
        name: r.full_name(),
        kana: format!("{} {}", r.family_name_kana, r.given_name_kana),
        status: r.status.label(),
        staff: c
            .assigned_user_id
            .and_then(|u| staff.get(&u).cloned())
            .unwrap_or_else(|| "未割当".into()),
        ledger,
        notes_text: r.notes.clone(),
        books: books
            .iter()
            .map(|b| BookView {
                id: b.id,
                kind: b.record.kind.label(),
                grade: b.record.grade.clone(),
                issued: odate(b.record.issued_on),
                expires: odate(b.record.expires_on),
            })
            .collect(),
        book_kinds: opts(
            BookKind::ALL,
            |k| k.code(),
            |k| k.label(),
            &extras.book_form.kind,
        ),
        book_form: extras.book_form,
        book_errors: extras.book_errors,
        cert_count: certs.len(),
        cert: certs.first().map(super::certificates::cert_view),
        sees_cases: user.sees_cases(),
        cases: case_rows
            .iter()
            .map(|c| CaseRow {
                id: c.id,
                title: if c.title.is_empty() {
                    "（無題のケース）".into()
                } else {
                    c.title.clone()
                },
                stage: c.stage.label(),
                opened: date(c.opened_on),
                closed: odate(c.closed_on),
                is_open: c.stage != CaseStage::Closed,
            })
            .collect(),
        notes: note_list
            .iter()
            .map(|n| super::notes::note_view(n, &staff, case_title(n.record.case_id)))
            .collect(),
        more_notes: more,
        q: q.q.clone(),
        note_kinds: opts(NoteKind::ALL, |k| k.code(), |k| k.label(), &note_form.kind),
        open_cases: id_opts(&open_cases, &note_form.case_id),
        note_form,
        note_errors: extras.note_errors,
        next_notes_link,
        flash: if extras.flash.is_empty() {
            flash_for(&q.saved).to_string()
        } else {
            extras.flash
        },
    };
    render_status(&page, status)
}

pub async fn show(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    client_page(&st, &user, id, &q, PageExtras::default(), StatusCode::OK).await
}

pub async fn edit_form(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let c = clients::get(&mut tx, &acc).await?;
    tx.commit().await?;
    let title = format!("利用者台帳の編集（{}）", c.record.full_name());
    render(&form_page(
        &user,
        &title,
        format!("/clients/{id}/edit"),
        ClientInput::from(&c.record),
        FieldErrors::new(),
        c.version.to_string(),
        false,
        Vec::new(),
        String::new(),
        format!("/clients/{id}"),
    ))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: ClientInput = body.parse()?;
    let v: VersionField = body.parse()?;
    let version = parse_version(&v.version)?;
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    let title = "利用者台帳の編集";
    let record = match form.validate(today_jst()) {
        Ok(r) => r,
        Err(errors) => {
            tx.rollback().await?;
            let page = form_page(
                &user,
                title,
                format!("/clients/{id}/edit"),
                form,
                errors,
                v.version,
                false,
                Vec::new(),
                String::new(),
                format!("/clients/{id}"),
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match clients::update(&mut tx, &acc, version, &record).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=client")))
        }
        Err(StoreError::Conflict) => {
            // Keep what the user typed; offer to save it over the newer version knowingly.
            let current = clients::get(&mut tx, &acc).await?;
            tx.commit().await?;
            let page = form_page(
                &user,
                title,
                format!("/clients/{id}/edit"),
                form,
                FieldErrors::new(),
                current.version.to_string(),
                true,
                Vec::new(),
                String::new(),
                format!("/clients/{id}"),
            );
            render_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_book(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    Form(form): Form<BookInput>,
) -> PageResult {
    match form.validate() {
        Ok(b) => {
            let mut tx = st.store.begin(user.actor()).await?;
            let acc = tx
                .client_access(id, RecordKind::Ledger, Action::Write)
                .await?;
            clients::add_book(&mut tx, &acc, &b).await?;
            tx.commit().await?;
            Ok(see_other(&format!("/clients/{id}?saved=book")))
        }
        Err(errors) => {
            let extras = PageExtras {
                book_form: form,
                book_errors: errors,
                ..Default::default()
            };
            client_page(
                &st,
                &user,
                id,
                &ShowQuery::default(),
                extras,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn remove_book(
    State(st): State<AppState>,
    user: Authed,
    Path((id, book_id)): Path<(i64, i64)>,
) -> PageResult {
    let mut tx = st.store.begin(user.actor()).await?;
    let acc = tx
        .client_access(id, RecordKind::Ledger, Action::Write)
        .await?;
    clients::remove_book(&mut tx, &acc, book_id).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/clients/{id}?saved=book_removed")))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssignInput {
    pub ids: Vec<String>,
    pub user: String,
}

pub async fn assign(
    State(st): State<AppState>,
    user: Authed,
    Form(input): Form<AssignInput>,
) -> PageResult {
    if input.ids.is_empty() {
        return Err(AppError::BadRequest(
            "担当を変える利用者にチェックを入れてから、もう一度実行してください。".into(),
        ));
    }
    let ids = input
        .ids
        .iter()
        .map(|i| parse_id(i, "利用者"))
        .collect::<Result<Vec<_>, _>>()?;
    let to = if input.user.trim() == "none" || input.user.trim().is_empty() {
        None
    } else {
        Some(parse_id(&input.user, "担当")?)
    };
    let mut tx = st.store.begin(user.actor()).await?;
    let n = clients::assign(&mut tx, &ids, to).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/clients?assigned={n}")))
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/new", get(new_form))
        .route("/clients/assign", post(assign))
        .route("/clients/{id}", get(show))
        .route("/clients/{id}/edit", get(edit_form).post(update))
        .route("/clients/{id}/books", post(add_book))
        .route("/clients/{id}/books/{book_id}/delete", post(remove_book))
}
