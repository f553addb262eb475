//! The client pages as shown: the list, the ledger form, the client page (ledger, books,
//! certificate, cases, notes and the quick note) and the note editor.

use crate::auth::Authed;
use crate::kit::cert_view::CertView;
use crate::kit::client_row::ClientRow;
use crate::kit::display::{Opt, date, id_opts, ledger_lines, odate, opts, opts_multi};
use crate::kit::form::EditState;
use crate::kit::links::page_link;
use crate::kit::note_row::NoteView;
use crate::kit::render::Nav;
use askama::Template;
use std::collections::HashMap;
use yorisoi_domain::case::CaseStage;
use yorisoi_domain::client::*;
use yorisoi_domain::note::{NoteInput, NoteKind};
use yorisoi_store::cases::Case;
use yorisoi_store::certificates::Certificate;
use yorisoi_store::clients::{Book, Client, ClientSort};
use yorisoi_store::notes::Note;

use super::form::ListQuery;

#[derive(Template)]
#[template(path = "clients.html")]
pub struct ClientListPage {
    pub nav: Nav,
    pub rows: Vec<ClientRow>,
    pub total: u64,
    pub q: String,
    pub status: String,
    pub staff: String,
    pub cert: String,
    pub sort: String,
    pub page: u64,
    pub pages: u64,
    pub statuses: Vec<Opt>,
    pub staff_options: Vec<(String, String, bool)>,
    pub can_assign: bool,
    /// Offered 「Excelから取り込む」 (those who write the whole office's ledger).
    pub can_import: bool,
    pub show_staff_filter: bool,
    pub prev_link: String,
    pub next_link: String,
    pub message: String,
}

/// One page of the list as read.
pub struct ListResult {
    pub rows: Vec<ClientRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub sort: ClientSort,
    /// Staff offered in the staff filter.
    pub assignable: Vec<(String, String)>,
}

fn list_link(q: &ListQuery, page: u64) -> String {
    let filters = [
        ("q", q.q.as_str()),
        ("status", &q.status),
        ("staff", &q.staff),
        ("cert", &q.cert),
        ("sort", &q.sort),
    ];
    page_link("/clients", &filters, page)
}

fn sort_code(s: ClientSort) -> &'static str {
    match s {
        ClientSort::Kana => "kana",
        ClientSort::KanaDesc => "kana_desc",
        ClientSort::BirthDate => "birth_date",
        ClientSort::CertUntil => "cert_until",
        ClientSort::Updated => "updated",
    }
}

impl ClientListPage {
    pub fn new(user: &Authed, q: ListQuery, r: ListResult, show_staff_filter: bool) -> Self {
        let pages = r.total.div_ceil(r.per_page).max(1);
        let page = r.page;
        let message = match q.assigned.parse::<u64>() {
            Ok(n) => format!("{n}人の担当を変更しました。"),
            Err(_) => String::new(),
        };
        ClientListPage {
            can_import: crate::kit::import::may_import(user.role),
            nav: Nav::new(user, "clients"),
            rows: r.rows,
            total: r.total,
            statuses: opts(
                ClientStatus::ALL,
                |s| s.code(),
                |s| s.label(),
                q.status.trim(),
            ),
            staff_options: id_opts(&r.assignable, q.staff.trim()),
            can_assign: user.can_assign(),
            show_staff_filter,
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
            sort: sort_code(r.sort).into(),
            page,
            pages,
            message,
        }
    }
}

#[derive(Template)]
#[template(path = "client_form.html")]
pub struct ClientFormPage {
    pub nav: Nav,
    pub title: String,
    pub action: String,
    pub form: EditState<ClientInput>,
    pub sexes: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub incomes: Vec<Opt>,
    pub statuses: Vec<Opt>,
    /// The form body's fields (none) and grids (保護者・後見人等), drawn by `form_body.html`.
    pub fields: Vec<crate::kit::grid::FieldView>,
    pub grids: Vec<crate::kit::grid::GridView>,
    pub staff_options: Vec<(String, String, bool)>,
    pub assigned: String,
    pub cancel: String,
}

/// Which ledger form: a new client (with the assignee for those who may choose it) or the
/// edit of client `id`.
pub enum LedgerForm {
    New {
        staff: Vec<(String, String)>,
        assigned: String,
    },
    Edit {
        id: i64,
        name: String,
    },
}

impl ClientFormPage {
    pub fn new(user: &Authed, which: LedgerForm, form: EditState<ClientInput>) -> Self {
        let (title, action, cancel, staff, assigned) = match which {
            LedgerForm::New { staff, assigned } => (
                "利用者の登録".to_string(),
                "/clients".to_string(),
                "/clients".to_string(),
                staff,
                assigned,
            ),
            LedgerForm::Edit { id, name } => (
                if name.is_empty() {
                    "利用者台帳の編集".to_string()
                } else {
                    format!("利用者台帳の編集（{name}）")
                },
                format!("/clients/{id}/edit"),
                format!("/clients/{id}"),
                Vec::new(),
                String::new(),
            ),
        };
        let i = &form.input;
        ClientFormPage {
            nav: Nav::new(user, "clients"),
            title,
            action,
            sexes: opts(Sex::ALL, |s| s.code(), |s| s.label(), &i.sex),
            kinds: opts_multi(
                DisabilityKind::ALL,
                |s| s.code(),
                |s| s.label(),
                &i.disability_kinds,
            ),
            categories: opts(
                SupportCategory::ALL,
                |s| s.code(),
                |s| s.label(),
                &i.support_category,
            ),
            incomes: opts_multi(
                IncomeKind::ALL,
                |s| s.code(),
                |s| s.label(),
                &i.income_kinds,
            ),
            fields: Vec::new(),
            grids: vec![guardians_grid(&i.guardians, &form.errors)],
            statuses: opts(ClientStatus::ALL, |s| s.code(), |s| s.label(), &i.status),
            staff_options: id_opts(&staff, &assigned),
            form,
            assigned,
            cancel,
        }
    }
}

/// 保護者・後見人等, one row each (both parents of a child, a 成年後見人 …), with rows to add.
pub fn guardians_grid(
    rows: &[GuardianInput],
    e: &yorisoi_domain::FieldErrors,
) -> crate::kit::grid::GridView {
    use crate::kit::grid::{cell, choices, grid, padded, select};
    let cells = padded(rows, 1, |g| {
        yorisoi_domain::text::all_blank([&g.kind, &g.relation, &g.name, &g.contact])
    })
    .iter()
    .map(|g| {
        vec![
            select(
                "guardian_kind",
                choices(
                    &GuardianKind::ALL[1..],
                    |x| x.code(),
                    |x| x.label(),
                    &g.kind,
                    Some("選んでください"),
                ),
                "種別",
            ),
            cell("guardian_relation", &g.relation, "text", "続柄"),
            cell("guardian_name", &g.name, "text", "氏名"),
            cell("guardian_contact", &g.contact, "text", "連絡先"),
        ]
    })
    .collect();
    let mut g = grid(
        "保護者・成年後見人等",
        "1人1行。子どもは両親とも書けます。続柄は 母・父・祖母、成年後見人なら 弁護士・司法書士・親族 など。",
        &["種別", "続柄", "氏名", "連絡先（電話など）"],
        "guardians",
        cells,
        e,
    );
    g.grows = true;
    g
}

pub struct BookView {
    pub id: i64,
    pub kind: &'static str,
    pub grade: String,
    pub issued: String,
    pub expires: String,
}

pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub stage: &'static str,
    pub opened: String,
    pub closed: String,
    pub is_open: bool,
}

#[derive(Template)]
#[template(path = "client.html")]
pub struct ClientPage {
    pub nav: Nav,
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub status: &'static str,
    pub staff: String,
    pub ledger: Vec<(&'static str, String)>,
    pub notes_text: String,
    pub books: Vec<BookView>,
    pub book_kinds: Vec<Opt>,
    pub book: EditState<BookInput>,
    pub cert: Option<CertView>,
    pub cert_count: usize,
    pub sees_cases: bool,
    pub cases: Vec<CaseRow>,
    pub notes: Vec<NoteView>,
    pub more_notes: bool,
    pub q: String,
    pub note: EditState<NoteInput>,
    pub note_kinds: Vec<Opt>,
    pub open_cases: Vec<(String, String, bool)>,
    pub next_notes_link: String,
    pub flash: String,
    /// Whether the 本人開示 link shows (those who may read the audit log).
    pub may_disclose: bool,
}

/// What the client page shows besides the stored records: a form being shown again after it
/// was refused, and what was just saved.
#[derive(Default)]
pub struct PageExtras {
    pub note: EditState<NoteInput>,
    pub book: EditState<BookInput>,
    pub flash: String,
}

/// Everything read for the client page.
pub struct ClientRecords {
    pub client: Client,
    pub books: Vec<Book>,
    pub certs: Vec<Certificate>,
    pub cases: Vec<Case>,
    pub notes: Vec<Note>,
    pub more_notes: bool,
    pub staff: HashMap<i64, String>,
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

/// The open cases as choices for a note: (id, 「title（stage）」).
/// The case a note is filed under: as chosen on a form shown again, else the client's one open
/// case (a note is almost always about it), else none.
fn note_case<'a>(note: &'a EditState<NoteInput>, open_cases: &'a [(String, String)]) -> &'a str {
    let fresh = note.errors.is_empty() && note.rule.is_empty() && !note.conflict;
    match open_cases {
        [(only, _)] if fresh && note.input.case_id.is_empty() => only,
        _ => &note.input.case_id,
    }
}

pub fn case_choices<'a>(cases: impl Iterator<Item = &'a Case>) -> Vec<(String, String)> {
    cases
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
        .collect()
}

impl ClientPage {
    pub fn build(
        user: &Authed,
        q: &super::form::ShowQuery,
        d: ClientRecords,
        extras: PageExtras,
    ) -> Self {
        let id = d.client.id;
        let r = &d.client.record;
        let offset = q.offset();
        let case_title = |cid: Option<i64>| {
            cid.and_then(|cid| d.cases.iter().find(|c| c.id == cid))
                .map(|c| c.title.clone())
                .unwrap_or_default()
        };
        let open_cases = case_choices(d.cases.iter().filter(|c| c.stage.is_open()));
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
        ClientPage {
            nav: Nav::new(user, "clients"),
            may_disclose: user.may(
                yorisoi_domain::policy::RecordKind::AuditLog,
                yorisoi_domain::policy::Action::Read,
            ),
            id,
            name: r.full_name(),
            kana: format!("{} {}", r.family_name_kana, r.given_name_kana),
            status: r.status.label(),
            staff: d
                .client
                .assigned_user_id
                .and_then(|u| d.staff.get(&u).cloned())
                .unwrap_or_else(|| "未割当".into()),
            ledger: ledger_lines(r),
            notes_text: r.notes.clone(),
            books: d
                .books
                .iter()
                .map(|b| BookView {
                    id: b.id,
                    kind: b.record.kind.label(),
                    grade: b.record.grade_label(),
                    issued: odate(b.record.issued_on),
                    expires: odate(b.record.expires_on),
                })
                .collect(),
            book_kinds: opts(
                BookKind::ALL,
                |k| k.code(),
                |k| k.label(),
                &extras.book.input.kind,
            ),
            book: extras.book,
            cert_count: d.certs.len(),
            cert: d.certs.first().map(CertView::new),
            sees_cases: user.sees_cases(),
            cases: d
                .cases
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
            notes: d
                .notes
                .iter()
                .map(|n| NoteView::new(n, &d.staff, case_title(n.record.case_id)).searched(&q.q))
                .collect(),
            more_notes: d.more_notes,
            q: q.q.clone(),
            note_kinds: opts(
                NoteKind::ALL,
                |k| k.code(),
                |k| k.label(),
                &extras.note.input.kind,
            ),
            open_cases: id_opts(&open_cases, note_case(&extras.note, &open_cases)),
            note: extras.note,
            next_notes_link,
            flash: if extras.flash.is_empty() {
                flash_for(&q.saved).to_string()
            } else {
                extras.flash
            },
        }
    }
}

#[derive(Template)]
#[template(path = "note_edit.html")]
pub struct NoteEditPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub note_id: i64,
    pub form: EditState<NoteInput>,
    pub kinds: Vec<Opt>,
    pub cases: Vec<(String, String, bool)>,
}

impl NoteEditPage {
    pub fn new(
        user: &Authed,
        (client_id, client_name): (i64, String),
        note_id: i64,
        cases: &[Case],
        form: EditState<NoteInput>,
    ) -> Self {
        let cases = case_choices(cases.iter());
        NoteEditPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            note_id,
            kinds: opts(NoteKind::ALL, |k| k.code(), |k| k.label(), &form.input.kind),
            cases: id_opts(&cases, &form.input.case_id),
            form,
        }
    }
}

/// A note found by the office-wide search, with whose it is.
pub struct FoundNote {
    /// The client's page, its notes searched for the same words.
    pub href: String,
    pub client: String,
    pub note: NoteView,
}

/// 記録の横断検索.
#[derive(Template)]
#[template(path = "notes_search.html")]
pub struct NoteSearchPage {
    pub nav: Nav,
    pub q: String,
    pub rows: Vec<FoundNote>,
    pub whole_office: bool,
    pub next: String,
    pub prev: String,
}
