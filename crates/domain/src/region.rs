//! 地域課題 (DOMAIN.md §3.13): the needs no service meets, raised from the cases — a meeting's
//! 「現状ではできないこと」, a monitoring's 今後の課題, a need, a decision-support barrier, or by
//! hand — written so that they identify nobody, and carried 提起 → 部会へ → 協議会へ → 解決 / 継続.
//!
//! [`identifying`] reads an issue's text against what the office's ledger knows (names, kana,
//! addresses, phone numbers, birth dates) and against the generic shape of a phone number: saving
//! warns, releasing to the council is refused while anything is found.

use crate::client::{required_code, required_date};
use crate::errors::FieldErrors;
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum!(
    /// The default category list (the ones councils use, plus こども and その他).
    IssueCategory {
        Welfare = "welfare": "福祉サービス",
        Medical = "medical": "医療",
        Education = "education": "教育",
        Work = "work": "労働",
        Housing = "housing": "住まい",
        Mobility = "mobility": "移動・交通",
        Rights = "rights": "権利擁護",
        Family = "family": "家族支援",
        Participation = "participation": "社会参加",
        Children = "children": "こども",
        Other = "other": "その他",
    }
);

crate::code_enum!(
    /// Where the issue stands on its way through the council.
    IssueStatus {
        Raised = "raised": "提起",
        Subcommittee = "subcommittee": "部会へ",
        Council = "council": "協議会へ",
        Resolved = "resolved": "解決",
        Continuing = "continuing": "継続",
    }
);

crate::code_enum!(
    /// Where the issue was raised from.
    IssueSource {
        Meeting = "meeting": "会議の「現状ではできないこと」",
        Monitoring = "monitoring": "モニタリングの今後の課題",
        Need = "need": "計画の、満たす資源のないニーズ",
        Decision = "decision": "意思決定支援",
        Manual = "manual": "手入力",
    }
);

/// The code an office's own category goes by in forms, filters and the API: `own-12`.
pub const OWN_PREFIX: &str = "own-";

pub fn own_code(id: i64) -> String {
    format!("{OWN_PREFIX}{id}")
}

/// A category an office added to the default list: its own label, and the default category it
/// counts as once its issues leave the office (the region counts every office alike). Retired
/// rather than deleted, since issues keep it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnCategory {
    pub id: i64,
    /// The code to send for it: `own-{id}`.
    pub code: String,
    pub label: String,
    pub counts_as: IssueCategory,
    /// Offered for new issues (a retired one stays on the issues that have it).
    pub active: bool,
    pub version: i32,
}

/// The office's category list: the defaults it does not use, and its own categories.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryList {
    /// Default categories the office does not offer (その他 is always offered).
    pub unused: Vec<IssueCategory>,
    pub own: Vec<OwnCategory>,
}

/// One category as the office offers it: (code, label, selected).
pub type CategoryChoice = (String, String, bool);

impl CategoryList {
    /// The category a code names: a default's code, or `own-N` of this office (retired ones too,
    /// so that an issue keeps the one it has). Returns the default it counts as and the own one.
    pub fn resolve(&self, code: &str) -> Option<(IssueCategory, Option<i64>)> {
        let code = code.trim();
        if let Some(n) = code.strip_prefix(OWN_PREFIX) {
            let id: i64 = n.parse().ok()?;
            return self
                .own
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.counts_as, Some(id)));
        }
        IssueCategory::from_code(code).map(|c| (c, None))
    }

    /// The office's label for an issue's category.
    pub fn label(&self, category: IssueCategory, own: Option<i64>) -> String {
        own.and_then(|id| self.own.iter().find(|c| c.id == id))
            .map(|c| c.label.clone())
            .unwrap_or_else(|| category.label().to_string())
    }

    /// The code of an issue's category as the office names it.
    pub fn code(category: IssueCategory, own: Option<i64>) -> String {
        own.map(own_code)
            .unwrap_or_else(|| category.code().to_string())
    }

    /// Whether a default is offered.
    pub fn uses(&self, c: IssueCategory) -> bool {
        c == IssueCategory::Other || !self.unused.contains(&c)
    }

    /// What a form offers: the defaults in use, then the office's active own categories, and
    /// `current` wherever it is even if no longer offered.
    pub fn choices(&self, current: &str) -> Vec<CategoryChoice> {
        let current = current.trim();
        let mut out: Vec<CategoryChoice> = IssueCategory::ALL
            .iter()
            .filter(|c| self.uses(**c) || c.code() == current)
            .map(|c| {
                (
                    c.code().to_string(),
                    c.label().to_string(),
                    c.code() == current,
                )
            })
            .collect();
        for c in &self.own {
            if c.active || c.code == current {
                let label = if c.active {
                    format!("{}（地域では「{}」）", c.label, c.counts_as.label())
                } else {
                    format!(
                        "{}（使用終了・地域では「{}」）",
                        c.label,
                        c.counts_as.label()
                    )
                };
                out.push((c.code.clone(), label, c.code == current));
            }
        }
        out
    }
}

/// An own category as the settings form or the API sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OwnCategoryInput {
    /// 分類名（30文字まで。既定の分類と同じ名前は不可）
    pub label: String,
    /// 地域（協議会）で数えるときの既定の分類のコード（既定 other）
    pub counts_as: String,
    /// "no" で使用終了（一覧からは消えず、その分類の地域課題はそのまま）
    pub active: String,
}

/// An own category's fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnCategoryRecord {
    pub label: String,
    pub counts_as: IssueCategory,
    pub active: bool,
}

impl OwnCategoryInput {
    pub fn validate(&self) -> Result<OwnCategoryRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let label = text::required_line(&mut e, "label", &self.label, 30);
        if IssueCategory::ALL.iter().any(|c| c.label() == label) {
            e.add(
                "label",
                "既定の分類と同じ名前です。既定の分類をそのまま使うか、別の名前にしてください。",
            );
        }
        let counts_as = if self.counts_as.trim().is_empty() {
            Some(IssueCategory::Other)
        } else {
            required_code(
                &mut e,
                "counts_as",
                &self.counts_as,
                IssueCategory::from_code,
            )
        };
        let active = !matches!(text::nfkc(&self.active).as_str(), "no" | "false" | "0");
        match counts_as {
            Some(counts_as) if e.is_empty() => Ok(OwnCategoryRecord {
                label,
                counts_as,
                active,
            }),
            _ => Err(e),
        }
    }

    pub fn from_category(c: &OwnCategory) -> Self {
        OwnCategoryInput {
            label: c.label.clone(),
            counts_as: c.counts_as.code().into(),
            active: if c.active { "yes" } else { "no" }.into(),
        }
    }
}

/// A 地域課題 as stored: no name, no case in its text (the cases behind it are links kept in
/// the office).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegionalIssueRecord {
    /// 課題名, one line.
    pub title: String,
    /// The default category: the office's own if it has none, else the one its own counts as
    /// (what the region counts).
    pub category: IssueCategory,
    /// The office's own category, if the issue has one (never leaves the office).
    #[serde(default)]
    pub own_category: Option<i64>,
    /// The unmet need, in words that identify nobody.
    pub need: String,
    /// The missing or insufficient resource.
    pub resource: String,
    /// 圏域・地区.
    pub area: String,
    pub status: IssueStatus,
    pub source: IssueSource,
    /// The meeting, monitoring or decision-support record it was raised from, or for a need
    /// the plan version whose row had no service (an id of this office), if any.
    pub source_ref: Option<i64>,
    pub raised_on: NaiveDate,
}

/// The fields as a form or the API sends them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RegionalIssueInput {
    /// 課題名（100文字まで）
    pub title: String,
    /// 分類のコード（既定の分類のコード、または事業所の分類 own-12）
    pub category: String,
    /// 満たされていないニーズ（個人が特定されない書き方で）
    pub need: String,
    /// 足りない・ない社会資源
    pub resource: String,
    /// 圏域・地区
    pub area: String,
    /// 状況のコード（既定 raised）
    pub status: String,
    /// どこから挙がったか（meeting, monitoring, need, decision, manual。既定 manual）
    pub source: String,
    /// 会議・モニタリング・意思決定支援・サービス等利用計画の id（source が meeting / monitoring /
    /// decision / need のとき。need は計画の版の id）
    pub source_ref: String,
    /// 提起日. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub raised_on: String,
}

/// The fields [`identifying`] reads, with their labels.
pub const TEXT_FIELDS: [(&str, &str); 4] = [
    ("title", "課題名"),
    ("need", "満たされていないニーズ"),
    ("resource", "足りない社会資源"),
    ("area", "圏域・地区"),
];

impl RegionalIssueInput {
    /// Checks the fields against the default categories only.
    pub fn validate(&self) -> Result<RegionalIssueRecord, FieldErrors> {
        self.validate_in(&CategoryList::default())
    }

    /// Checks the fields, the category against the office's list.
    pub fn validate_in(&self, list: &CategoryList) -> Result<RegionalIssueRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required_line(&mut e, "title", &self.title, 100);
        let category = match self.category.trim() {
            "" => {
                e.add("category", "一覧から選んでください。");
                None
            }
            code => {
                let found = list.resolve(code);
                if found.is_none() {
                    e.add("category", "一覧から選んでください。");
                }
                found
            }
        };
        let need = text::clean_text(&self.need);
        if need.is_empty() {
            e.add(
                "need",
                "満たされていないニーズを、個人が特定されない書き方で入力してください。",
            );
        } else {
            text::check_text(&mut e, "need", &need, 2000, true);
        }
        let resource = text::optional_text(&mut e, "resource", &self.resource, 1000);
        let area = text::optional_line(&mut e, "area", &self.area, 60);
        let status = if self.status.trim().is_empty() {
            Some(IssueStatus::Raised)
        } else {
            required_code(&mut e, "status", &self.status, IssueStatus::from_code)
        };
        let source = if self.source.trim().is_empty() {
            Some(IssueSource::Manual)
        } else {
            required_code(&mut e, "source", &self.source, IssueSource::from_code)
        };
        let source_ref = match text::nfkc(&self.source_ref).as_str() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("source_ref", "元の記録の番号が正しくありません。");
                    None
                }
            },
        };
        if source_ref.is_some()
            && !matches!(
                source,
                Some(
                    IssueSource::Meeting
                        | IssueSource::Monitoring
                        | IssueSource::Decision
                        | IssueSource::Need
                )
            )
        {
            e.add(
                "source_ref",
                "元の記録の番号は、会議・モニタリング・意思決定支援・計画のニーズから挙げたときだけ指定できます。",
            );
        }
        let raised_on = required_date(&mut e, "raised_on", &self.raised_on);
        match (category, status, source, raised_on) {
            (Some((category, own_category)), Some(status), Some(source), Some(raised_on))
                if e.is_empty() =>
            {
                Ok(RegionalIssueRecord {
                    title,
                    category,
                    own_category,
                    need,
                    resource,
                    area,
                    status,
                    source,
                    source_ref,
                    raised_on,
                })
            }
            _ => Err(e),
        }
    }

    pub fn from_record(r: &RegionalIssueRecord) -> Self {
        RegionalIssueInput {
            title: r.title.clone(),
            category: CategoryList::code(r.category, r.own_category),
            need: r.need.clone(),
            resource: r.resource.clone(),
            area: r.area.clone(),
            status: r.status.code().into(),
            source: r.source.code().into(),
            source_ref: r.source_ref.map(|n| n.to_string()).unwrap_or_default(),
            raised_on: r.raised_on.format("%Y-%m-%d").to_string(),
        }
    }
}

impl RegionalIssueRecord {
    /// The texts [`identifying`] reads, keyed by field.
    pub fn texts(&self) -> [(&'static str, &'static str, &str); 4] {
        [
            (TEXT_FIELDS[0].0, TEXT_FIELDS[0].1, self.title.as_str()),
            (TEXT_FIELDS[1].0, TEXT_FIELDS[1].1, self.need.as_str()),
            (TEXT_FIELDS[2].0, TEXT_FIELDS[2].1, self.resource.as_str()),
            (TEXT_FIELDS[3].0, TEXT_FIELDS[3].1, self.area.as_str()),
        ]
    }

    /// Everything [`identifying`] finds in the four texts.
    pub fn findings(&self, known: &KnownPeople) -> Vec<Finding> {
        self.texts()
            .iter()
            .flat_map(|(field, label, t)| identifying(t, known, field, label))
            .collect()
    }
}

/// One client of the office as the ledger knows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownPerson {
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub address: String,
    pub phone: String,
    pub birth_date: Option<NaiveDate>,
}

/// What the office's ledger knows, folded once for matching.
#[derive(Debug, Clone, Default)]
pub struct KnownPeople {
    /// Folded full names (kanji and kana), each at least two characters.
    names: Vec<String>,
    /// Folded family names (kanji and kana) of at least two characters, matched only before an
    /// honorific (「青木さん」), since a family name alone is often a place.
    family_names: Vec<String>,
    addresses: Vec<String>,
    phones: Vec<String>,
    births: Vec<NaiveDate>,
}

/// Honorifics that make a family name point at a person.
const HONORIFICS: [&str; 6] = ["さん", "様", "氏", "くん", "君", "ちゃん"];

impl KnownPeople {
    pub fn new(people: &[KnownPerson]) -> Self {
        let mut k = KnownPeople::default();
        let push = |v: &mut Vec<String>, s: String, min: usize| {
            if s.chars().count() >= min && !v.contains(&s) {
                v.push(s);
            }
        };
        for p in people {
            let full = text::search_fold(&format!("{}{}", p.family_name, p.given_name));
            let kana = text::search_fold(&format!("{}{}", p.family_name_kana, p.given_name_kana));
            push(&mut k.names, full, 2);
            push(&mut k.names, kana, 3);
            for f in [&p.family_name, &p.family_name_kana] {
                let f = text::search_fold(f);
                if f.chars().count() < 2 {
                    continue;
                }
                for h in HONORIFICS {
                    push(
                        &mut k.family_names,
                        format!("{f}{}", text::search_fold(h)),
                        3,
                    );
                }
            }
            for a in address_keys(&p.address) {
                push(&mut k.addresses, a, 5);
            }
            let digits: String = text::nfkc(&p.phone)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            push(&mut k.phones, digits, 6);
            if let Some(b) = p.birth_date
                && !k.births.contains(&b)
            {
                k.births.push(b);
            }
        }
        k
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
            && self.family_names.is_empty()
            && self.addresses.is_empty()
            && self.phones.is_empty()
            && self.births.is_empty()
    }
}

/// The folded address, and its part after the municipality (「中央町1-2-3」 of 「N市中央町1-2-3」)
/// when that part still carries a number: a text rarely repeats the whole address.
fn address_keys(address: &str) -> Vec<String> {
    let full = text::search_fold(address);
    if full.is_empty() {
        return Vec::new();
    }
    let mut keys = vec![full.clone()];
    let cut = full
        .char_indices()
        .filter(|(_, c)| matches!(c, '市' | '区' | '郡' | '村'))
        .map(|(i, c)| i + c.len_utf8())
        .find(|i| full[*i..].chars().any(|c| c.is_ascii_digit()));
    if let Some(i) = cut {
        let tail = &full[i..];
        let before_digit = tail.chars().take_while(|c| !c.is_ascii_digit()).count();
        // The town and its block number, up to where the number ends (a building's name and
        // room number after it are left out: the text may name the block alone).
        let block: String = tail
            .chars()
            .enumerate()
            .take_while(|(n, c)| {
                *n < before_digit || c.is_ascii_digit() || "-丁目番地号".contains(*c)
            })
            .map(|(_, c)| c)
            .collect();
        if before_digit >= 2 {
            keys.push(block.trim_end_matches('-').to_string());
        }
    }
    keys
}

crate::code_enum!(
    /// What [`identifying`] found.
    FindingKind {
        Name = "name": "氏名",
        FamilyName = "family_name": "名字と敬称",
        Address = "address": "住所",
        Phone = "phone": "電話番号",
        PhoneLike = "phone_like": "電話番号のような数字",
        BirthDate = "birth_date": "生年月日",
    }
);

/// Something in a text that may identify a person: what, where, and the words as they stand
/// in the text (never anything from the ledger the user did not type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// The field's code (title, need, resource, area).
    pub field: String,
    pub kind: FindingKind,
    /// The words found, as typed (folded for names: カタカナ, no spaces).
    pub found: String,
    /// What to tell the user, in Japanese.
    pub message: String,
}

impl Finding {
    fn new(field: &str, label: &str, kind: FindingKind, found: String) -> Self {
        let what = match kind {
            FindingKind::Name => "利用者台帳にある氏名",
            FindingKind::FamilyName => "利用者台帳にある名字と敬称",
            FindingKind::Address => "利用者台帳にある住所",
            FindingKind::Phone => "利用者台帳にある電話番号",
            FindingKind::PhoneLike => "電話番号のような数字",
            FindingKind::BirthDate => "利用者台帳にある生年月日",
        };
        let message = format!(
            "「{label}」に{what}（{found}）が含まれています。個人が特定されない書き方（例: 40代の女性、Aさん）に直してください。"
        );
        Finding {
            field: field.into(),
            kind,
            found,
            message,
        }
    }
}

/// What in `raw` (the field `field`, shown as `label`) may identify a person: the ledger's
/// names (with or without a space, kanji or kana), family names before an honorific,
/// addresses, phone numbers (digits compared), birth dates (any way of writing them that
/// [`crate::date::parse_date`] reads), and any digit run shaped like a phone number.
pub fn identifying(raw: &str, known: &KnownPeople, field: &str, label: &str) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut add = |kind: FindingKind, found: String| {
        if !out.iter().any(|f| f.kind == kind && f.found == found) {
            out.push(Finding::new(field, label, kind, found));
        }
    };
    let folded = text::search_fold(raw);
    if folded.is_empty() {
        return Vec::new();
    }
    for n in &known.names {
        if folded.contains(n.as_str()) {
            add(FindingKind::Name, n.clone());
        }
    }
    for n in &known.family_names {
        if folded.contains(n.as_str()) && !known.names.iter().any(|full| folded.contains(full)) {
            add(FindingKind::FamilyName, n.clone());
        }
    }
    for a in &known.addresses {
        if folded.contains(a.as_str()) {
            add(FindingKind::Address, a.clone());
        }
    }
    let nfkc = text::nfkc(raw);
    for run in digit_runs(&nfkc) {
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        if known.phones.iter().any(|p| digits.contains(p.as_str())) {
            add(FindingKind::Phone, run.trim().to_string());
        } else if (10..=11).contains(&digits.len()) && !is_date_like(&run) {
            add(FindingKind::PhoneLike, run.trim().to_string());
        }
    }
    for (token, d) in dates_in(&nfkc) {
        if known.births.contains(&d) {
            add(FindingKind::BirthDate, token);
        }
    }
    out
}

/// Runs of digits joined by hyphens, spaces or parentheses (「090-1234-5678」「(03) 1234 5678」).
fn digit_runs(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() && chars[i] != '(' {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() || c == ')' {
                end = j + 1;
            } else if !matches!(c, '-' | ' ' | '(' | 'ー' | '−' | '‐') {
                break;
            }
            j += 1;
        }
        let run: String = chars[start..end.max(start)].iter().collect();
        if run.chars().any(|c| c.is_ascii_digit()) {
            runs.push(run);
        }
        i = j.max(i + 1);
    }
    runs
}

/// 「2026-04-01」 or 「19810302」 read as a date is a date, not a phone number.
fn is_date_like(run: &str) -> bool {
    crate::date::parse_date(run).is_ok()
}

/// Every date written in `s` in a form [`crate::date::parse_date`] reads, with its words.
fn dates_in(s: &str) -> Vec<(String, NaiveDate)> {
    let chars: Vec<char> = s.chars().collect();
    let is_part =
        |c: char| c.is_ascii_digit() || matches!(c, '年' | '月' | '日' | '.' | '/' | '-' | '元');
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // A token starts at an era name, an era letter before a digit, or a digit.
        let era_len = crate::date::ERAS.iter().find_map(|e| {
            let name: Vec<char> = e.name.chars().collect();
            if chars[i..].starts_with(&name) {
                Some(name.len())
            } else if chars[i].eq_ignore_ascii_case(&e.letter)
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
                && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
            {
                Some(1)
            } else {
                None
            }
        });
        let starts_digit = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if era_len.is_none() && !starts_digit {
            i += 1;
            continue;
        }
        let body = i + era_len.unwrap_or(0);
        let mut end = body;
        while end < chars.len() && (is_part(chars[end]) || chars[end] == ' ') {
            end += 1;
        }
        // Try the longest token first, then shorter ones (「2026/4/1に」, 「R8.4.1。」).
        let mut found = None;
        let mut k = end;
        while k > body {
            let token: String = chars[i..k].iter().collect();
            if token.chars().filter(char::is_ascii_digit).count() >= 3
                && let Ok(d) = crate::date::parse_date(&token)
            {
                found = Some((token.trim().to_string(), d, k));
                break;
            }
            k -= 1;
        }
        match found {
            Some((token, d, k)) => {
                out.push((token, d));
                i = k;
            }
            None => i += 1,
        }
    }
    out
}

/// The age bands people are counted in: children 0–4, 5–9, 10–14, 15–17 (the national
/// de-identification rule), adults 18–19 and then five-year bands to 60–64, and 65 and over.
/// Five-year adult bands keep the issue's count comparable with the council's tables, which use
/// the same bands; a band is a label, never an age.
pub fn age_band(age: i32) -> &'static str {
    const BANDS: [(i32, &str); 15] = [
        (4, "0〜4歳"),
        (9, "5〜9歳"),
        (14, "10〜14歳"),
        (17, "15〜17歳"),
        (19, "18〜19歳"),
        (24, "20〜24歳"),
        (29, "25〜29歳"),
        (34, "30〜34歳"),
        (39, "35〜39歳"),
        (44, "40〜44歳"),
        (49, "45〜49歳"),
        (54, "50〜54歳"),
        (59, "55〜59歳"),
        (64, "60〜64歳"),
        (i32::MAX, "65歳以上"),
    ];
    BANDS
        .iter()
        .find(|(max, _)| age <= *max)
        .map(|(_, l)| *l)
        .unwrap_or("65歳以上")
}

/// Every band label, youngest first (for a table's columns).
pub fn age_bands() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for age in 0..=65 {
        let b = age_band(age);
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// A region's name as its secretariat types it (「N市圏域（N市自立支援協議会）」).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RegionInput {
    /// 地域（圏域）の名前（60文字まで）
    pub name: String,
}

impl RegionInput {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text::required_line(&mut e, "name", &self.name, 60);
        if e.is_empty() { Ok(name) } else { Err(e) }
    }
}

/// An office joining a region: which one, and the 地区 the office belongs to within it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct JoinInput {
    /// 参加する地域の id
    pub region_id: String,
    /// 事業所の地区（例: 北部地区。40文字まで、空でもよい）
    pub area: String,
}

impl JoinInput {
    pub fn validate(&self) -> Result<(i64, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let id = crate::client::optional_id(&mut e, "region_id", &self.region_id);
        if id.is_none() && e.is_empty() {
            e.add("region_id", "参加する地域を選んでください。");
        }
        let area = text::optional_line(&mut e, "area", &self.area, 40);
        match id {
            Some(id) if e.is_empty() => Ok((id, area)),
            _ => Err(e),
        }
    }
}

/// What the region's secretariat records on a released issue: where it stands in the council
/// and what the council asked back or decided (read by the office that raised it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CouncilRecord {
    pub status: IssueStatus,
    pub reply: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CouncilInput {
    /// 状況のコード（subcommittee, council, resolved, continuing, raised）
    pub status: String,
    /// 協議会・部会からの問い返しや結論（2000文字まで）
    pub reply: String,
}

impl CouncilInput {
    pub fn validate(&self) -> Result<CouncilRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = required_code(&mut e, "status", &self.status, IssueStatus::from_code);
        let reply = text::optional_text(&mut e, "reply", &self.reply, 2000);
        match status {
            Some(status) if e.is_empty() => Ok(CouncilRecord { status, reply }),
            _ => Err(e),
        }
    }
}

/// A report's period: from and to, in 和暦 or 西暦; empty means the fiscal year (4月〜3月) that
/// holds `today`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PeriodInput {
    /// 期間のはじめ（既定: 今年度の4月1日）
    pub from: String,
    /// 期間のおわり（既定: 今年度の3月31日）
    pub to: String,
}

/// The fiscal year (4月1日〜3月31日) that holds `today`.
pub fn fiscal_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let y = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let from = NaiveDate::from_ymd_opt(y, 4, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(y + 1, 3, 31).unwrap_or(today);
    (from, to)
}

impl PeriodInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let (fy_from, fy_to) = fiscal_year(today);
        let from = crate::client::optional_date(&mut e, "from", &self.from);
        let to = crate::client::optional_date(&mut e, "to", &self.to);
        if !e.is_empty() {
            return Err(e);
        }
        let (from, to) = (from.unwrap_or(fy_from), to.unwrap_or(fy_to));
        if to < from {
            e.add(
                "to",
                "期間のおわりは、はじめと同じ日かそれより後にしてください。",
            );
            return Err(e);
        }
        if (to - from).num_days() > 366 * 5 {
            e.add("to", "期間は5年までにしてください。");
            return Err(e);
        }
        Ok((from, to))
    }
}

#[cfg(test)]
mod tests {

    fn list() -> CategoryList {
        let own = |id: i64, label: &str, counts_as, active| OwnCategory {
            id,
            code: own_code(id),
            label: label.into(),
            counts_as,
            active,
            version: 1,
        };
        CategoryList {
            unused: vec![IssueCategory::Children, IssueCategory::Other],
            own: vec![
                own(7, "災害時の支援", IssueCategory::Other, true),
                own(8, "ひきこもり", IssueCategory::Participation, false),
            ],
        }
    }

    #[test]
    fn an_own_category_counts_as_its_default_and_keeps_its_label() {
        let l = list();
        assert_eq!(l.resolve("own-7"), Some((IssueCategory::Other, Some(7))));
        // A retired one still resolves (the issues that have it keep it).
        assert_eq!(
            l.resolve(" own-8 "),
            Some((IssueCategory::Participation, Some(8)))
        );
        assert_eq!(l.resolve("own-9"), None);
        assert_eq!(l.resolve("own-x"), None);
        assert_eq!(l.resolve("housing"), Some((IssueCategory::Housing, None)));
        assert_eq!(l.label(IssueCategory::Other, Some(7)), "災害時の支援");
        assert_eq!(l.label(IssueCategory::Housing, None), "住まい");
        assert_eq!(CategoryList::code(IssueCategory::Other, Some(7)), "own-7");
    }

    #[test]
    fn the_form_offers_what_the_office_uses_and_what_the_issue_has() {
        let l = list();
        let codes =
            |cur: &str| -> Vec<String> { l.choices(cur).into_iter().map(|(c, _, _)| c).collect() };
        let plain = codes("");
        assert!(!plain.contains(&"children".to_string()));
        // その他 cannot be turned off: it is where anything else is counted.
        assert!(plain.contains(&"other".to_string()));
        assert!(plain.contains(&"own-7".to_string()));
        assert!(!plain.contains(&"own-8".to_string()));
        let kept = l.choices("own-8");
        let (_, label, selected) = kept.iter().find(|(c, _, _)| c == "own-8").unwrap();
        assert_eq!(label, "ひきこもり（使用終了・地域では「社会参加」）");
        assert!(*selected);
        assert!(codes("children").contains(&"children".to_string()));
    }

    #[test]
    fn an_issue_takes_an_own_category_only_from_the_list() {
        let mut i = RegionalIssueInput {
            title: "災害時の避難".into(),
            category: "own-7".into(),
            need: "避難所で過ごせる場がない".into(),
            raised_on: "R8.4.1".into(),
            ..Default::default()
        };
        let r = i.validate_in(&list()).unwrap();
        assert_eq!(
            (r.category, r.own_category),
            (IssueCategory::Other, Some(7))
        );
        assert_eq!(RegionalIssueInput::from_record(&r).category, "own-7");
        // Another office's number, or the defaults alone, do not know it.
        assert!(i.validate().unwrap_err().get("category").is_some());
        i.category = "own-99".into();
        assert!(
            i.validate_in(&list())
                .unwrap_err()
                .get("category")
                .is_some()
        );
        i.category = String::new();
        assert!(
            i.validate_in(&list())
                .unwrap_err()
                .get("category")
                .is_some()
        );
    }

    #[test]
    fn an_own_category_needs_a_name_of_its_own() {
        let ok = OwnCategoryInput {
            label: " 災害時の支援 ".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.label, "災害時の支援");
        assert_eq!(ok.counts_as, IssueCategory::Other);
        assert!(ok.active);
        let same = OwnCategoryInput {
            label: "住まい".into(),
            ..Default::default()
        };
        assert!(same.validate().unwrap_err().get("label").is_some());
        let bad = OwnCategoryInput {
            label: "x".into(),
            counts_as: "nowhere".into(),
            active: "no".into(),
        };
        assert!(bad.validate().unwrap_err().get("counts_as").is_some());
        let retired = OwnCategoryInput {
            label: "x".into(),
            active: "no".into(),
            ..Default::default()
        };
        assert!(!retired.validate().unwrap().active);
    }
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ledger() -> KnownPeople {
        KnownPeople::new(&[
            KnownPerson {
                family_name: "青木".into(),
                given_name: "明子".into(),
                family_name_kana: "あおき".into(),
                given_name_kana: "あきこ".into(),
                address: "N市中央町1-2-3 コーポ101".into(),
                phone: "090-1234-5678".into(),
                birth_date: Some(d("1981-03-02")),
            },
            KnownPerson {
                family_name: "森".into(),
                given_name: "ひかり".into(),
                birth_date: Some(d("2021-06-15")),
                ..Default::default()
            },
        ])
    }

    fn kinds(t: &str) -> Vec<FindingKind> {
        identifying(t, &ledger(), "need", "満たされていないニーズ")
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn input_is_validated_with_japanese_messages() {
        let e = RegionalIssueInput::default().validate().unwrap_err();
        assert_eq!(e.get("title"), Some("入力してください。"));
        assert_eq!(e.get("category"), Some("一覧から選んでください。"));
        assert!(e.get("need").unwrap().contains("個人が特定されない"));
        assert!(e.get("raised_on").is_some());
        let long = RegionalIssueInput {
            title: "あ".repeat(101),
            category: "mobility".into(),
            need: "休日に外出したい".into(),
            raised_on: "R8.11.24".into(),
            source_ref: "3".into(),
            ..Default::default()
        };
        let e = long.validate().unwrap_err();
        assert!(e.get("title").unwrap().contains("100文字以内"));
        assert!(
            e.get("source_ref").is_some(),
            "a ref needs a meeting or monitoring"
        );
        let ok = RegionalIssueInput {
            title: "休日の移動支援が足りない".into(),
            source: "meeting".into(),
            ..long
        }
        .validate()
        .unwrap();
        assert_eq!(ok.status, IssueStatus::Raised);
        assert_eq!(ok.source, IssueSource::Meeting);
        assert_eq!(ok.source_ref, Some(3));
        assert_eq!(ok.raised_on, d("2026-11-24"));
        let back = RegionalIssueInput::from_record(&ok).validate().unwrap();
        assert_eq!(back, ok);
        let bad = RegionalIssueInput {
            status: "done".into(),
            source: "rumour".into(),
            ..RegionalIssueInput::from_record(&ok)
        };
        let e = bad.validate().unwrap_err();
        assert!(e.get("status").is_some() && e.get("source").is_some());
    }

    #[test]
    fn names_are_found_with_or_without_a_space_in_kanji_or_kana() {
        for t in [
            "青木明子さんは休日に出かけられない",
            "青木 明子は",
            "青木　明子",
            "あおき あきこ",
            "アオキアキコ",
            "ｱｵｷｱｷｺ",
        ] {
            assert_eq!(kinds(t), vec![FindingKind::Name], "{t}");
        }
        // A family name with an honorific points at a person; alone it may be a place.
        assert_eq!(kinds("青木さんの家族"), vec![FindingKind::FamilyName]);
        assert!(kinds("青木町の駅").is_empty());
        // A one-character family name alone is never matched (森さん would flag every 森).
        assert!(kinds("森さんの話").is_empty());
        assert_eq!(kinds("森ひかりちゃん"), vec![FindingKind::Name]);
        assert!(kinds("40代の女性。休日の移動手段がない。").is_empty());
    }

    #[test]
    fn addresses_and_phone_numbers_are_found() {
        assert_eq!(kinds("住所はN市中央町1-2-3"), vec![FindingKind::Address]);
        assert_eq!(kinds("中央町1-2-3の近く"), vec![FindingKind::Address]);
        assert!(kinds("N市中央町に住む").is_empty());
        for t in [
            "連絡は090-1234-5678",
            "09012345678",
            "０９０ １２３４ ５６７８",
        ] {
            assert_eq!(kinds(t), vec![FindingKind::Phone], "{t}");
        }
        for t in ["03-1234-5678へ", "(03) 1234-5678", "0312345678"] {
            assert_eq!(kinds(t), vec![FindingKind::PhoneLike], "{t}");
        }
        // Short numbers and dates are not phone numbers.
        assert!(kinds("週4日、1日3時間。2026-04-01から").is_empty());
        assert!(kinds("20261124に会議").is_empty());
    }

    #[test]
    fn birth_dates_are_found_however_they_are_written() {
        for t in [
            "1981-03-02生まれ",
            "1981/3/2",
            "1981年3月2日生",
            "昭和56年3月2日",
            "S56.3.2",
            "生年月日：s56.3.2。",
            "１９８１年３月２日",
            "令和3年6月15日生の子",
            "R3.6.15",
        ] {
            assert_eq!(kinds(t), vec![FindingKind::BirthDate], "{t}");
        }
        assert!(kinds("令和8年4月1日に会議").is_empty());
        assert!(kinds("1981年に発病").is_empty());
    }

    #[test]
    fn a_finding_says_what_and_where_in_japanese() {
        let f = identifying("青木明子 090-1234-5678", &ledger(), "title", "課題名");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].field, "title");
        assert!(
            f[0].message
                .starts_with("「課題名」に利用者台帳にある氏名（青木明子）")
        );
        assert!(f[1].message.contains("電話番号（090-1234-5678）"));
        let r = RegionalIssueRecord {
            title: "移動".into(),
            category: IssueCategory::Mobility,
            own_category: None,
            need: "休日に出かけたい".into(),
            resource: "移動支援 ｱｵｷｱｷｺ".into(),
            area: "中央町1-2-3".into(),
            status: IssueStatus::Raised,
            source: IssueSource::Manual,
            source_ref: None,
            raised_on: d("2026-11-24"),
        };
        let f = r.findings(&ledger());
        let fields: Vec<&str> = f.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, vec!["resource", "area"]);
        assert!(KnownPeople::new(&[]).is_empty());
        assert!(r.findings(&KnownPeople::new(&[])).is_empty());
    }

    #[test]
    fn age_bands_follow_the_rule() {
        assert_eq!(age_band(0), "0〜4歳");
        assert_eq!(age_band(4), "0〜4歳");
        assert_eq!(age_band(5), "5〜9歳");
        assert_eq!(age_band(15), "15〜17歳");
        assert_eq!(age_band(17), "15〜17歳");
        assert_eq!(age_band(18), "18〜19歳");
        assert_eq!(age_band(45), "45〜49歳");
        assert_eq!(age_band(64), "60〜64歳");
        assert_eq!(age_band(90), "65歳以上");
        assert_eq!(age_bands().len(), 15);
    }
}
