//! The client ledger (利用者台帳): codes, labels, and validation of what a user enters.

use crate::date::parse_date;
use crate::errors::FieldErrors;
use crate::text::{self, is_kana, normalize_furigana};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares an enum stored as a short English code and shown with a Japanese label.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        // Serialised as the stored code, so that the API reads and writes the form's values.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.code()) }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::from_code(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown code: {s}")))
            }
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
        // The OpenAPI schema is the code list itself: a string, one of the codes, described
        // with each code's label.
        impl $crate::__utoipa::PartialSchema for $name {
            fn schema() -> $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::schema::Schema> {
                $crate::client::code_list_schema($name::ALL.iter().map(|v| (v.code(), v.label())))
            }
        }
        impl $crate::__utoipa::ToSchema for $name {}
    };
}

/// The OpenAPI schema of a [`code_enum!`] type: a string whose `enum` is every code, described
/// by a `code: label` list, e.g. "male: 男性, female: 女性, other: その他・回答しない".
pub fn code_list_schema<'a>(
    codes: impl Iterator<Item = (&'a str, &'a str)>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let (codes, pairs): (Vec<&str>, Vec<String>) = codes
        .map(|(code, label)| (code, format!("{code}: {label}")))
        .unzip();
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .enum_values(Some(codes))
        .description(Some(pairs.join(", ")))
        .into()
}

code_enum!(Sex { Male = "male": "男性", Female = "female": "女性", Other = "other": "その他・回答しない" });

code_enum!(DisabilityKind {
    Physical = "physical": "身体",
    Intellectual = "intellectual": "知的",
    Mental = "mental": "精神",
    Developmental = "developmental": "発達",
    Intractable = "intractable": "難病",
    HigherBrain = "higher_brain": "高次脳機能",
    Child = "child": "障害児",
});

code_enum!(SupportCategory {
    Unassessed = "unassessed": "未認定",
    NotApplicable = "na": "非該当",
    C1 = "1": "区分1",
    C2 = "2": "区分2",
    C3 = "3": "区分3",
    C4 = "4": "区分4",
    C5 = "5": "区分5",
    C6 = "6": "区分6",
});

code_enum!(IncomeKind {
    Pension1 = "pension1": "障害年金1級",
    Pension2 = "pension2": "障害年金2級",
    Pension3 = "pension3": "障害年金3級（厚生年金のみ）",
    Welfare = "welfare": "生活保護",
    Wages = "wages": "工賃",
    Salary = "salary": "給与",
    Family = "family": "家族の収入",
    Other = "other": "その他",
});

code_enum!(GuardianKind {
    None = "none": "なし",
    Parent = "parent": "保護者（親権者）",
    Guardian = "guardian": "成年後見人",
    Curator = "curator": "保佐人",
    Assistant = "assistant": "補助人",
    Other = "other": "その他の保護者（祖父母・里親など）",
});

/// One of those who act for the person — each parent of a child, a 成年後見人 — with their 続柄
/// and how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GuardianInput {
    /// A `GuardianKind` code other than none.
    pub kind: String,
    /// 続柄 (母, 父, 祖母) or, for a 成年後見人, who they are (弁護士, 司法書士, 親族).
    pub relation: String,
    pub name: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Guardian {
    pub kind: GuardianKind,
    pub relation: String,
    pub name: String,
    pub contact: String,
}

impl Guardian {
    /// 「千葉 美穂（母）」, or 「森 和也（成年後見人・弁護士）」 for one who is not a parent.
    pub fn name_with_relation(&self) -> String {
        let who = match self.kind {
            GuardianKind::Parent | GuardianKind::Other | GuardianKind::None => {
                self.relation.clone()
            }
            k if self.relation.is_empty() => k.label().to_string(),
            k => format!("{}・{}", k.label(), self.relation),
        };
        if who.is_empty() {
            self.name.clone()
        } else {
            format!("{}（{}）", self.name, who)
        }
    }
}

/// How many guardians a ledger holds (two parents and a 成年後見人 fit with room to spare).
pub const MAX_GUARDIANS: usize = 6;

/// The guardians typed, blank rows skipped; errors on `guardians[i].field`.
fn validate_guardians(e: &mut FieldErrors, rows: &[GuardianInput]) -> Vec<Guardian> {
    let filled: Vec<(usize, &GuardianInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, g)| !text::all_blank([&g.kind, &g.relation, &g.name, &g.contact]))
        .collect();
    if filled.len() > MAX_GUARDIANS || rows.len() > MAX_GUARDIANS + 50 {
        e.add(
            "guardians",
            format!("保護者・後見人等は{MAX_GUARDIANS}人までです。"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, g) in filled {
        let f = |x: &str| format!("guardians[{i}].{x}");
        let kind = match g.kind.trim() {
            "" | "none" => {
                e.add(
                    &f("kind"),
                    "種別（保護者・成年後見人など）を選んでください。",
                );
                None
            }
            k => match GuardianKind::from_code(k) {
                Some(k) => Some(k),
                None => {
                    e.add(&f("kind"), "一覧にない種別です。選び直してください。");
                    None
                }
            },
        };
        let relation = text::optional_line(e, &f("relation"), &g.relation, 30);
        let name = text::optional_line(e, &f("name"), &g.name, 80);
        if name.is_empty() {
            e.add(&f("name"), "氏名を入力してください。");
        }
        let contact = text::optional_line(e, &f("contact"), &g.contact, 200);
        if let Some(kind) = kind {
            out.push(Guardian {
                kind,
                relation,
                name,
                contact,
            });
        }
    }
    out
}

code_enum!(ClientStatus { Consulting = "consulting": "相談中", Supporting = "supporting": "支援中", Closed = "closed": "終結" });

code_enum!(BookKind {
    Physical = "physical": "身体障害者手帳",
    Rehabilitation = "rehabilitation": "療育手帳",
    Mental = "mental": "精神障害者保健福祉手帳",
});

/// What the ledger form sends: strings as typed, so that a rejected form can be shown again
/// exactly as it was.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({
    "family_name": "青木",
    "given_name": "花子",
    "family_name_kana": "あおき",
    "given_name_kana": "はなこ",
    "birth_date": "昭和56年5月12日",
    "sex": "female",
    "postal_code": "293-0001",
    "address": "千葉県富津市大堀1-2-3",
    "phone": "0439-00-0000",
    "disability_kinds": ["mental"],
    "diagnosis": "統合失調症",
    "support_category": "3",
    "support_category_from": "令和8年4月1日",
    "support_category_until": "R11.3.31",
    "income_kinds": ["pension2"],
    "guardians": [{"kind": "parent", "relation": "母", "name": "青木 和子", "contact": "090-0000-0000"}],
    "key_person": "母（青木 和子）",
    "status": "supporting"
}))]
pub struct ClientInput {
    pub family_name: String,
    pub given_name: String,
    /// ふりがな (hiragana or katakana; stored as hiragana).
    pub family_name_kana: String,
    /// ふりがな (hiragana or katakana; stored as hiragana).
    pub given_name_kana: String,
    /// 生年月日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub birth_date: String,
    /// A `Sex` code: male, female or other.
    pub sex: String,
    /// 郵便番号: seven digits, with or without the hyphen (123-4567).
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    /// `DisabilityKind` codes.
    pub disability_kinds: Vec<String>,
    pub diagnosis: String,
    pub complications: String,
    /// A `SupportCategory` code; empty means unassessed.
    pub support_category: String,
    /// 障害支援区分の有効期間 (from), or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub support_category_from: String,
    /// 障害支援区分の有効期間 (until), not before `support_category_from`, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub support_category_until: String,
    /// `IncomeKind` codes.
    pub income_kinds: Vec<String>,
    pub income_note: String,
    /// 保護者・成年後見人等: both parents of a child, a 成年後見人, … (at most 6); blank rows are
    /// skipped.
    pub guardians: Vec<GuardianInput>,
    pub key_person: String,
    pub doctor: String,
    pub medical_institution: String,
    /// A `ClientStatus` code; empty means consulting.
    pub status: String,
    pub notes: String,
}

/// A validated ledger entry, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClientRecord {
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub disability_kinds: Vec<DisabilityKind>,
    pub diagnosis: String,
    pub complications: String,
    pub support_category: SupportCategory,
    pub support_category_from: Option<NaiveDate>,
    pub support_category_until: Option<NaiveDate>,
    pub income_kinds: Vec<IncomeKind>,
    pub income_note: String,
    pub guardians: Vec<Guardian>,
    pub key_person: String,
    pub doctor: String,
    pub medical_institution: String,
    pub status: ClientStatus,
    pub notes: String,
}

impl ClientRecord {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.family_name, self.given_name)
    }
    /// The value the client list is searched by (see [`text::search_fold`]).
    pub fn search_key(&self) -> String {
        search_key(
            &self.family_name,
            &self.given_name,
            &self.family_name_kana,
            &self.given_name_kana,
        )
    }
}

pub fn search_key(family: &str, given: &str, family_kana: &str, given_kana: &str) -> String {
    format!(
        "{}{} {}{}",
        text::search_fold(family),
        text::search_fold(given),
        text::search_fold(family_kana),
        text::search_fold(given_kana)
    )
}

/// Parses an optional date field; empty is `None`.
pub fn optional_date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    match parse_date(raw) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
    }
}

/// Parses a required date field.
pub fn required_date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        errors.add(
            field,
            "日付を入力してください。例: 2026-04-01、令和8年4月1日",
        );
        return None;
    }
    optional_date(errors, field, raw)
}

/// Parses an optional id chosen from a list (an empty value is none).
pub fn optional_id(e: &mut FieldErrors, field: &str, raw: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            e.add(field, "一覧から選んでください。");
            None
        }
    }
}

/// Parses a required code from a fixed list.
/// A code that may be left blank (None); anything else must be one of the list.
pub fn optional_code<T: Copy>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    if raw.trim().is_empty() {
        None
    } else {
        required_code(errors, field, raw, parse)
    }
}

pub fn required_code<T: Copy>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let r = parse(raw.trim());
    if r.is_none() {
        errors.add(field, "一覧から選んでください。");
    }
    r
}

fn codes<T: Copy + PartialEq>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &[String],
    parse: impl Fn(&str) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for c in raw {
        match parse(c.trim()) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => errors.add(field, "一覧にない値が含まれています。"),
        }
    }
    out
}

fn kana_field(errors: &mut FieldErrors, field: &str, raw: &str) -> String {
    let v = normalize_furigana(raw);
    if v.is_empty() {
        errors.add(field, "ふりがなを入力してください。");
    } else if !is_kana(&v) {
        errors.add(field, "ふりがなはひらがな・カタカナで入力してください。");
    } else {
        text::check_text(errors, field, &v, 40, false);
    }
    v
}

impl ClientInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ClientRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let family_name = text::required_line(&mut e, "family_name", &self.family_name, 40);
        let given_name = text::required_line(&mut e, "given_name", &self.given_name, 40);
        let family_name_kana = kana_field(&mut e, "family_name_kana", &self.family_name_kana);
        let given_name_kana = kana_field(&mut e, "given_name_kana", &self.given_name_kana);
        let birth_date = required_date(&mut e, "birth_date", &self.birth_date);
        if birth_date.is_some_and(|b| b > today) {
            e.add("birth_date", "生年月日が今日より後になっています。");
        }
        let sex = required_code(&mut e, "sex", &self.sex, Sex::from_code);
        let postal_code = text::nfkc(&self.postal_code).replace(['-', 'ー', '−'], "");
        if !postal_code.is_empty()
            && (postal_code.len() != 7 || !postal_code.chars().all(|c| c.is_ascii_digit()))
        {
            e.add(
                "postal_code",
                "郵便番号は7桁の数字で入力してください（例: 123-4567）。",
            );
        }
        let postal_code = if postal_code.len() == 7 {
            format!("{}-{}", &postal_code[..3], &postal_code[3..])
        } else {
            postal_code
        };
        let address = text::optional_line(&mut e, "address", &self.address, 200);
        let phone = text::nfkc(&self.phone);
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' '))
        {
            e.add("phone", "電話番号は数字とハイフンで入力してください。");
        }
        text::check_text(&mut e, "phone", &phone, 20, false);
        let disability_kinds = codes(
            &mut e,
            "disability_kinds",
            &self.disability_kinds,
            DisabilityKind::from_code,
        );
        let diagnosis = text::optional_line(&mut e, "diagnosis", &self.diagnosis, 200);
        let complications = text::optional_line(&mut e, "complications", &self.complications, 200);
        let support_category = if self.support_category.trim().is_empty() {
            Some(SupportCategory::Unassessed)
        } else {
            required_code(
                &mut e,
                "support_category",
                &self.support_category,
                SupportCategory::from_code,
            )
        };
        let support_category_from =
            optional_date(&mut e, "support_category_from", &self.support_category_from);
        let support_category_until = optional_date(
            &mut e,
            "support_category_until",
            &self.support_category_until,
        );
        if let (Some(f), Some(u)) = (support_category_from, support_category_until)
            && u < f
        {
            e.add(
                "support_category_until",
                "有効期間の終わりが始まりより前になっています。",
            );
        }
        let income_kinds = codes(
            &mut e,
            "income_kinds",
            &self.income_kinds,
            IncomeKind::from_code,
        );
        let income_note = text::optional_line(&mut e, "income_note", &self.income_note, 200);
        let guardians = validate_guardians(&mut e, &self.guardians);
        let key_person = text::optional_line(&mut e, "key_person", &self.key_person, 200);
        let doctor = text::optional_line(&mut e, "doctor", &self.doctor, 100);
        let medical_institution = text::optional_line(
            &mut e,
            "medical_institution",
            &self.medical_institution,
            200,
        );
        let status = if self.status.trim().is_empty() {
            Some(ClientStatus::Consulting)
        } else {
            required_code(&mut e, "status", &self.status, ClientStatus::from_code)
        };
        let notes = text::optional_text(&mut e, "notes", &self.notes, 4000);
        match (birth_date, sex, support_category, status) {
            (Some(birth_date), Some(sex), Some(support_category), Some(status)) if e.is_empty() => {
                Ok(ClientRecord {
                    family_name,
                    given_name,
                    family_name_kana,
                    given_name_kana,
                    birth_date,
                    sex,
                    postal_code,
                    address,
                    phone,
                    disability_kinds,
                    diagnosis,
                    complications,
                    support_category,
                    support_category_from,
                    support_category_until,
                    income_kinds,
                    income_note,
                    guardians,
                    key_person,
                    doctor,
                    medical_institution,
                    status,
                    notes,
                })
            }
            _ => Err(e),
        }
    }
}

impl From<&ClientRecord> for ClientInput {
    /// The form as it would be filled for an existing record (for editing).
    fn from(r: &ClientRecord) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ClientInput {
            family_name: r.family_name.clone(),
            given_name: r.given_name.clone(),
            family_name_kana: r.family_name_kana.clone(),
            given_name_kana: r.given_name_kana.clone(),
            birth_date: r.birth_date.to_string(),
            sex: r.sex.code().into(),
            postal_code: r.postal_code.clone(),
            address: r.address.clone(),
            phone: r.phone.clone(),
            disability_kinds: r
                .disability_kinds
                .iter()
                .map(|k| k.code().to_string())
                .collect(),
            diagnosis: r.diagnosis.clone(),
            complications: r.complications.clone(),
            support_category: r.support_category.code().into(),
            support_category_from: date(r.support_category_from),
            support_category_until: date(r.support_category_until),
            income_kinds: r
                .income_kinds
                .iter()
                .map(|k| k.code().to_string())
                .collect(),
            income_note: r.income_note.clone(),
            guardians: r
                .guardians
                .iter()
                .map(|g| GuardianInput {
                    kind: g.kind.code().into(),
                    relation: g.relation.clone(),
                    name: g.name.clone(),
                    contact: g.contact.clone(),
                })
                .collect(),
            key_person: r.key_person.clone(),
            doctor: r.doctor.clone(),
            medical_institution: r.medical_institution.clone(),
            status: r.status.code().into(),
            notes: r.notes.clone(),
        }
    }
}

/// A disability book (障害者手帳) entry as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BookInput {
    /// A `BookKind` code.
    pub kind: String,
    /// 等級 or 判定: 1〜6 for physical, 1〜3 for mental, free (A, B2 …) for 療育手帳.
    pub grade: String,
    /// 交付日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub issued_on: String,
    /// 有効期限, not before `issued_on`, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BookRecord {
    pub kind: BookKind,
    pub grade: String,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

impl BookRecord {
    /// The grade as written on the book: 「2級」 for a physical or mental book (stored as the
    /// number), 「A」「B2」 as they are for a 療育手帳.
    pub fn grade_label(&self) -> String {
        match self.kind {
            BookKind::Physical | BookKind::Mental if !self.grade.ends_with('級') => {
                format!("{}級", self.grade)
            }
            _ => self.grade.clone(),
        }
    }
}

impl BookInput {
    pub fn validate(&self) -> Result<BookRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = required_code(&mut e, "kind", &self.kind, BookKind::from_code);
        let grade = text::nfkc(&self.grade).replace("級", "").to_uppercase();
        let ok = match kind {
            Some(BookKind::Physical) => matches!(grade.as_str(), "1" | "2" | "3" | "4" | "5" | "6"),
            Some(BookKind::Mental) => matches!(grade.as_str(), "1" | "2" | "3"),
            // 療育手帳 grades differ by prefecture (A, B, A1, B2, ○A, 1度 …): free but short.
            Some(BookKind::Rehabilitation) => !grade.is_empty() && grade.chars().count() <= 8,
            None => true,
        };
        if !ok {
            let msg = match kind {
                Some(BookKind::Physical) => "身体障害者手帳の等級は1〜6級です。",
                Some(BookKind::Mental) => "精神障害者保健福祉手帳の等級は1〜3級です。",
                _ => "判定（例: A、B、A1、B2）を8文字以内で入力してください。",
            };
            e.add("grade", msg);
        }
        text::check_text(&mut e, "grade", &grade, 8, false);
        let issued_on = optional_date(&mut e, "issued_on", &self.issued_on);
        let expires_on = optional_date(&mut e, "expires_on", &self.expires_on);
        if let (Some(i), Some(x)) = (issued_on, expires_on)
            && x < i
        {
            e.add("expires_on", "有効期限が交付日より前になっています。");
        }
        match kind {
            Some(kind) if e.is_empty() => Ok(BookRecord {
                kind,
                grade,
                issued_on,
                expires_on,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn a_san() -> ClientInput {
        ClientInput {
            family_name: "青木".into(),
            given_name: "明子".into(),
            family_name_kana: "ｱｵｷ".into(),
            given_name_kana: "あきこ".into(),
            birth_date: "昭和56年3月2日".into(),
            sex: "female".into(),
            postal_code: "２９３−０００１".into(),
            disability_kinds: vec!["mental".into(), "intellectual".into()],
            support_category: "3".into(),
            income_kinds: vec!["pension2".into(), "welfare".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_client_is_normalised() {
        let r = a_san().validate(today()).unwrap();
        assert_eq!(r.family_name_kana, "あおき");
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1981, 3, 2).unwrap());
        assert_eq!(r.postal_code, "293-0001");
        assert_eq!(r.support_category, SupportCategory::C3);
        assert_eq!(r.status, ClientStatus::Consulting);
        assert_eq!(r.search_key(), "青木明子 アオキアキコ");
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let mut i = a_san();
        i.family_name = "".into();
        i.given_name_kana = "明子".into();
        i.birth_date = "2030-01-01".into();
        i.sex = "x".into();
        i.postal_code = "12".into();
        i.disability_kinds.push("bogus".into());
        i.guardians.push(GuardianInput {
            kind: "guardian".into(),
            ..Default::default()
        });
        let e = i.validate(today()).unwrap_err();
        for f in [
            "family_name",
            "given_name_kana",
            "birth_date",
            "sex",
            "postal_code",
            "disability_kinds",
            "guardians[0].name",
        ] {
            assert!(e.get(f).is_some(), "{f} should have an error: {e}");
        }
    }

    #[test]
    fn a_child_holds_both_parents_and_blank_rows_are_skipped() {
        let mut i = a_san();
        let g = |kind: &str, relation: &str, name: &str| GuardianInput {
            kind: kind.into(),
            relation: relation.into(),
            name: name.into(),
            contact: String::new(),
        };
        i.guardians = vec![
            g("parent", "母", "千葉 美穂"),
            g("", "", ""),
            g("parent", "父", "千葉 大樹"),
        ];
        let r = i.validate(today()).unwrap();
        assert_eq!(r.guardians.len(), 2);
        assert_eq!(r.guardians[1].name_with_relation(), "千葉 大樹（父）");
        let guardian = Guardian {
            kind: GuardianKind::Guardian,
            relation: "弁護士".into(),
            name: "森 和也".into(),
            contact: String::new(),
        };
        assert_eq!(
            guardian.name_with_relation(),
            "森 和也（成年後見人・弁護士）"
        );
        // A row with a name and no kind, or a kind and no name, is refused on its own row.
        i.guardians = vec![
            g("parent", "母", "千葉 美穂"),
            g("", "父", "千葉 大樹"),
            g("bogus", "", "x"),
        ];
        let e = i.validate(today()).unwrap_err();
        assert!(e.get("guardians[1].kind").is_some(), "{e}");
        assert!(e.get("guardians[2].kind").is_some(), "{e}");
        assert!(e.get("guardians[0].kind").is_none(), "{e}");
        i.guardians = vec![g("parent", "母", "x"); MAX_GUARDIANS + 1];
        assert!(i.validate(today()).unwrap_err().get("guardians").is_some());
    }

    #[test]
    fn input_round_trips_through_record() {
        let r = a_san().validate(today()).unwrap();
        let again = ClientInput::from(&r).validate(today()).unwrap();
        assert_eq!(r, again);
    }

    #[test]
    fn book_grades_follow_the_book_kind() {
        let ok = BookInput {
            kind: "physical".into(),
            grade: "２級".into(),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().grade, "2");
        assert_eq!(ok.validate().unwrap().grade_label(), "2級");
        let bad = BookInput {
            kind: "mental".into(),
            grade: "4".into(),
            ..Default::default()
        };
        assert!(bad.validate().unwrap_err().get("grade").is_some());
        let rehab = BookInput {
            kind: "rehabilitation".into(),
            grade: "a".into(),
            ..Default::default()
        };
        assert_eq!(rehab.validate().unwrap().grade, "A");
        assert_eq!(rehab.validate().unwrap().grade_label(), "A");
        let dates = BookInput {
            kind: "mental".into(),
            grade: "2".into(),
            issued_on: "2026-04-01".into(),
            expires_on: "2025-04-01".into(),
        };
        assert!(dates.validate().unwrap_err().get("expires_on").is_some());
    }
}
