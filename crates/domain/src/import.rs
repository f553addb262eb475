//! Moving an office's Excel ledger in (issue 21, item 1): a file's header matched to ledger and
//! 受給者証 fields, each row's cells read the way offices write them (labels or codes, 和暦 or
//! 西暦, full-width digits, 氏名 in one cell), and every problem named by the row number the
//! spreadsheet shows and the column header as in the file. Pure: the file is already rows of
//! strings here.

use crate::certificate::{CertificateInput, CertificateKind, CertificateRecord, MonitoringPeriod};
use crate::client::{ClientInput, ClientRecord, ClientStatus, DisabilityKind, IncomeKind, Sex};
use crate::date::{DateError, parse_date};
use crate::errors::FieldErrors;
use crate::text;
use chrono::NaiveDate;

/// The most rows one file may hold (an office of 3 × 100 clients fits many times over).
pub const MAX_ROWS: usize = 10_000;

/// Where a template's example row is told apart: its first cell starts with this.
pub const EXAMPLE_MARK: &str = "（記入例）";

/// A field a file column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FullName,
    FamilyName,
    GivenName,
    FullKana,
    FamilyKana,
    GivenKana,
    BirthDate,
    Sex,
    PostalCode,
    Address,
    Phone,
    DisabilityKinds,
    Diagnosis,
    SupportCategory,
    SupportFrom,
    SupportUntil,
    IncomeKinds,
    Staff,
    Status,
    KeyPerson,
    Doctor,
    MedicalInstitution,
    Notes,
    CertKind,
    CertNumber,
    Municipality,
    IssuedOn,
    DecisionFrom,
    DecisionUntil,
    Services,
    CostCap,
    PlanSupportFrom,
    PlanSupportUntil,
    MonitoringPeriod,
    MonitoringMonths,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::FullName,
        Field::FamilyName,
        Field::GivenName,
        Field::FullKana,
        Field::FamilyKana,
        Field::GivenKana,
        Field::BirthDate,
        Field::Sex,
        Field::PostalCode,
        Field::Address,
        Field::Phone,
        Field::DisabilityKinds,
        Field::Diagnosis,
        Field::SupportCategory,
        Field::SupportFrom,
        Field::SupportUntil,
        Field::IncomeKinds,
        Field::Staff,
        Field::Status,
        Field::KeyPerson,
        Field::Doctor,
        Field::MedicalInstitution,
        Field::Notes,
        Field::CertKind,
        Field::CertNumber,
        Field::Municipality,
        Field::IssuedOn,
        Field::DecisionFrom,
        Field::DecisionUntil,
        Field::Services,
        Field::CostCap,
        Field::PlanSupportFrom,
        Field::PlanSupportUntil,
        Field::MonitoringPeriod,
        Field::MonitoringMonths,
    ];

    /// (code, the template's header, other headers offices use).
    fn spec(self) -> (&'static str, &'static str, &'static [&'static str]) {
        use Field::*;
        match self {
            FullName => (
                "full_name",
                "氏名",
                &["名前", "利用者氏名", "利用者名", "氏名（漢字）"],
            ),
            FamilyName => ("family_name", "氏", &["姓", "苗字", "名字"]),
            GivenName => ("given_name", "名", &[]),
            FullKana => (
                "full_kana",
                "ふりがな",
                &[
                    "フリガナ",
                    "氏名（ふりがな）",
                    "氏名（フリガナ）",
                    "よみがな",
                    "カナ氏名",
                    "氏名カナ",
                ],
            ),
            FamilyKana => (
                "family_kana",
                "氏（ふりがな）",
                &["姓（ふりがな）", "氏（フリガナ）", "セイ", "せい"],
            ),
            GivenKana => (
                "given_kana",
                "名（ふりがな）",
                &["名（フリガナ）", "メイ", "めい"],
            ),
            BirthDate => (
                "birth_date",
                "生年月日",
                &["生年月日（和暦）", "生年月日（西暦）", "誕生日"],
            ),
            Sex => ("sex", "性別", &[]),
            PostalCode => ("postal_code", "郵便番号", &["〒"]),
            Address => ("address", "住所", &["現住所"]),
            Phone => ("phone", "電話", &["電話番号", "TEL", "連絡先"]),
            DisabilityKinds => (
                "disability_kinds",
                "障害種別",
                &["障がい種別", "障害の種類"],
            ),
            Diagnosis => ("diagnosis", "診断名", &["病名", "障害名"]),
            SupportCategory => ("support_category", "障害支援区分", &["支援区分", "区分"]),
            SupportFrom => (
                "support_from",
                "区分の有効期間（開始）",
                &["認定有効期間（開始）", "区分認定日"],
            ),
            SupportUntil => (
                "support_until",
                "区分の有効期間（終了）",
                &["認定有効期間（終了）", "区分有効期限"],
            ),
            IncomeKinds => ("income_kinds", "収入", &["収入の種類"]),
            Staff => (
                "staff",
                "担当",
                &["担当者", "担当相談支援専門員", "計画作成担当者"],
            ),
            Status => ("status", "状態", &[]),
            KeyPerson => ("key_person", "キーパーソン", &[]),
            Doctor => ("doctor", "主治医", &[]),
            MedicalInstitution => ("medical_institution", "医療機関", &["通院先"]),
            Notes => ("notes", "備考", &["メモ"]),
            CertKind => ("cert_kind", "受給者証の種類", &["受給者証種別"]),
            CertNumber => ("cert_number", "受給者証番号", &["受給者番号"]),
            Municipality => (
                "municipality",
                "支給市町村",
                &["市町村", "支給決定市町村", "市町村名"],
            ),
            IssuedOn => ("issued_on", "交付年月日", &["交付日"]),
            DecisionFrom => (
                "decision_from",
                "支給決定期間（開始）",
                &["支給決定期間開始", "支給決定開始日"],
            ),
            DecisionUntil => (
                "decision_until",
                "支給決定期間（終了）",
                &["支給決定期間終了", "支給決定終了日"],
            ),
            Services => ("services", "支給決定の内容", &["決定サービス", "支給量"]),
            CostCap => (
                "cost_cap",
                "負担上限月額",
                &["利用者負担上限月額", "上限月額", "負担上限額"],
            ),
            PlanSupportFrom => (
                "plan_support_from",
                "計画相談支援の期間（開始）",
                &["計画相談支援給付費の支給期間（開始）"],
            ),
            PlanSupportUntil => (
                "plan_support_until",
                "計画相談支援の期間（終了）",
                &["計画相談支援給付費の支給期間（終了）"],
            ),
            MonitoringPeriod => (
                "monitoring_period",
                "モニタリング期間",
                &["モニタリング頻度"],
            ),
            MonitoringMonths => (
                "monitoring_months",
                "モニタリング実施月",
                &["モニタリング月"],
            ),
        }
    }
    pub fn code(self) -> &'static str {
        self.spec().0
    }
    /// The template's header, also the label in the mapping select.
    pub fn label(self) -> &'static str {
        self.spec().1
    }
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == code)
    }
    fn is_certificate(self) -> bool {
        use Field::*;
        matches!(
            self,
            CertKind
                | CertNumber
                | Municipality
                | IssuedOn
                | DecisionFrom
                | DecisionUntil
                | Services
                | CostCap
                | PlanSupportFrom
                | PlanSupportUntil
                | MonitoringPeriod
                | MonitoringMonths
        )
    }
    /// The `ClientInput` / `CertificateInput` keys whose errors belong to this column.
    fn error_keys(self) -> &'static [&'static str] {
        use Field::*;
        match self {
            FullName => &["family_name", "given_name"],
            FamilyName => &["family_name"],
            GivenName => &["given_name"],
            FullKana => &["family_name_kana", "given_name_kana"],
            FamilyKana => &["family_name_kana"],
            GivenKana => &["given_name_kana"],
            BirthDate => &["birth_date"],
            Sex => &["sex"],
            PostalCode => &["postal_code"],
            Address => &["address"],
            Phone => &["phone"],
            DisabilityKinds => &["disability_kinds"],
            Diagnosis => &["diagnosis"],
            SupportCategory => &["support_category"],
            SupportFrom => &["support_category_from"],
            SupportUntil => &["support_category_until"],
            IncomeKinds => &["income_kinds"],
            Staff => &["staff"],
            Status => &["status"],
            KeyPerson => &["key_person"],
            Doctor => &["doctor"],
            MedicalInstitution => &["medical_institution"],
            Notes => &["notes"],
            CertKind => &["cert.kind"],
            CertNumber => &["cert.number"],
            Municipality => &["cert.municipality"],
            IssuedOn => &["cert.issued_on"],
            DecisionFrom => &["cert.decision_from"],
            DecisionUntil => &["cert.decision_until"],
            Services => &["cert.services"],
            CostCap => &["cert.cost_cap_yen"],
            PlanSupportFrom => &["cert.plan_support_from"],
            PlanSupportUntil => &["cert.plan_support_until"],
            MonitoringPeriod => &["cert.monitoring_period"],
            MonitoringMonths => &["cert.monitoring_months"],
        }
    }
}

/// Headers the ledger export writes that are not for import: the export's own id and the
/// certificate's end date (a certificate needs more than its end).
const IGNORED_HEADERS: &[&str] = &["利用者ID", "ID", "No", "No.", "番号", "支給決定期間の終了"];

/// The columns of the downloadable template, in order.
pub const TEMPLATE: &[Field] = &[
    Field::FamilyName,
    Field::GivenName,
    Field::FamilyKana,
    Field::GivenKana,
    Field::BirthDate,
    Field::Sex,
    Field::PostalCode,
    Field::Address,
    Field::Phone,
    Field::DisabilityKinds,
    Field::Diagnosis,
    Field::SupportCategory,
    Field::SupportFrom,
    Field::SupportUntil,
    Field::IncomeKinds,
    Field::Staff,
    Field::Status,
    Field::Notes,
    Field::CertKind,
    Field::CertNumber,
    Field::Municipality,
    Field::IssuedOn,
    Field::DecisionFrom,
    Field::DecisionUntil,
    Field::Services,
    Field::CostCap,
    Field::PlanSupportFrom,
    Field::PlanSupportUntil,
    Field::MonitoringPeriod,
    Field::MonitoringMonths,
];

/// The template's rows: the header, and one example row marked as such (it is never imported).
pub fn template_rows() -> Vec<Vec<String>> {
    let example = |f: Field| -> &'static str {
        use Field::*;
        match f {
            FamilyName => "（記入例）山田",
            GivenName => "花子",
            FamilyKana => "やまだ",
            GivenKana => "はなこ",
            BirthDate => "S56.5.12",
            Sex => "女性",
            PostalCode => "293-0001",
            Address => "千葉県富津市大堀1-2-3",
            Phone => "0439-00-0000",
            DisabilityKinds => "精神・知的",
            Diagnosis => "統合失調症",
            SupportCategory => "区分3",
            SupportFrom => "R8.4.1",
            SupportUntil => "R11.3.31",
            IncomeKinds => "障害年金2級",
            Staff => "",
            Status => "支援中",
            Notes => "この行は記入例です。取り込まれません。",
            CertKind => "障害福祉サービス受給者証",
            CertNumber => "1234567890",
            Municipality => "富津市",
            IssuedOn => "令和8年4月1日",
            DecisionFrom => "2026/4/1",
            DecisionUntil => "2027/3/31",
            Services => "生活介護：22日/月",
            CostCap => "9300",
            PlanSupportFrom => "2026/4/1",
            PlanSupportUntil => "2027/3/31",
            MonitoringPeriod => "3月ごと",
            MonitoringMonths => "6,9,12,3",
            _ => "",
        }
    };
    vec![
        TEMPLATE.iter().map(|f| f.label().to_string()).collect(),
        TEMPLATE.iter().map(|f| example(*f).to_string()).collect(),
    ]
}

/// A header as compared: NFKC, no spaces, ASCII brackets as the full-width ones.
fn fold_header(h: &str) -> String {
    text::nfkc(h)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '※')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect::<String>()
        // NFKC turns the full-width brackets back into ASCII; compare one form.
        .replace('(', "（")
        .replace(')', "）")
}

/// The field a header names, if any.
pub fn field_for_header(header: &str) -> Option<Field> {
    let h = fold_header(header);
    if h.is_empty() || IGNORED_HEADERS.iter().any(|i| fold_header(i) == h) {
        return None;
    }
    Field::ALL.iter().copied().find(|f| {
        let (_, label, aliases) = f.spec();
        fold_header(label) == h || aliases.iter().any(|a| fold_header(a) == h)
    })
}

/// One choice per file column: the field it fills, or none (取り込まない).
pub type Mapping = Vec<Option<Field>>;

/// Matches each header to a field; a field already taken by an earlier column is not given
/// twice.
pub fn auto_mapping(headers: &[String]) -> Mapping {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let f = field_for_header(h).filter(|f| !taken.contains(f));
            if let Some(f) = f {
                taken.push(f);
            }
            f
        })
        .collect()
}

/// Problems of the mapping itself (before any row is read).
pub fn check_mapping(m: &Mapping) -> Vec<String> {
    let mut out = Vec::new();
    let has = |f: Field| m.contains(&Some(f));
    for f in Field::ALL {
        if m.iter().filter(|x| **x == Some(*f)).count() > 1 {
            out.push(format!(
                "「{}」に2つ以上の列が選ばれています。1つにしてください。",
                f.label()
            ));
        }
    }
    let full_name = has(Field::FullName) || (has(Field::FamilyName) && has(Field::GivenName));
    if !full_name {
        out.push("氏名の列（「氏名」、または「氏」と「名」）を選んでください。".into());
    }
    let full_kana = has(Field::FullKana) || (has(Field::FamilyKana) && has(Field::GivenKana));
    if !full_kana {
        out.push("ふりがなの列（「ふりがな」、または「氏（ふりがな）」と「名（ふりがな）」）を選んでください。".into());
    }
    for f in [Field::BirthDate, Field::Sex] {
        if !has(f) {
            out.push(format!("「{}」の列を選んでください。", f.label()));
        }
    }
    out
}

/// One problem of one row, as the spreadsheet names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The row number the spreadsheet shows (the header is row 1).
    pub row: usize,
    /// The column's header as in the file (empty when the problem is the row as a whole).
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}行目: {}", self.row, self.message)
        } else {
            write!(f, "{}行目「{}」: {}", self.row, self.column, self.message)
        }
    }
}

/// A row read into the ledger's and the certificate's inputs, still as strings (the store
/// validates them again through the ordinary path).
#[derive(Debug, Clone, Default)]
pub struct RowInput {
    pub client: ClientInput,
    pub cert: Option<CertificateInput>,
    /// 担当 as written (a staff member's name), or empty.
    pub staff: String,
}

/// A row that passed every check.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The spreadsheet's row number.
    pub row: usize,
    pub input: RowInput,
    pub record: ClientRecord,
    /// The certificate number, when the row has a certificate.
    pub cert_number: Option<String>,
    pub cert: Option<CertificateRecord>,
    /// The staff member's id from `staff`.
    pub staff_id: Option<i64>,
}

impl ImportRow {
    /// The name + birth-date key duplicates are matched by.
    pub fn person_key(&self) -> (String, NaiveDate) {
        person_key(
            &self.record.family_name,
            &self.record.given_name,
            self.record.birth_date,
        )
    }
}

/// Name (spaces and width folded) and birth date: how a person already on the ledger is found.
pub fn person_key(family: &str, given: &str, birth: NaiveDate) -> (String, NaiveDate) {
    let name: String = text::nfkc(&format!("{family}{given}"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (name, birth)
}

/// What a whole file came to: the rows that are good, and every problem.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
    /// Example rows of the template that were left out.
    pub examples: usize,
}

fn fold(raw: &str) -> String {
    text::nfkc(raw).trim().to_string()
}

fn tokens(raw: &str) -> Vec<String> {
    fold(raw)
        .split(['・', '、', ',', '，', '/', ' ', '　', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// 男性/女性/男/女/M/F or the code.
pub fn sex_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw).to_lowercase();
    let s = match v.as_str() {
        "男" | "男性" | "m" | "male" | "1" => Sex::Male,
        "女" | "女性" | "f" | "female" | "2" => Sex::Female,
        "その他" | "回答しない" | "その他・回答しない" | "other" | "不明" => {
            Sex::Other
        }
        _ => return None,
    };
    Some(s.code())
}

/// 身体/知的/精神… also 「知的障害」「発達障がい」, or the code.
pub fn disability_code(token: &str) -> Option<&'static str> {
    let t = fold(token);
    if let Some(k) = DisabilityKind::from_code(&t) {
        return Some(k.code());
    }
    let t = t.trim_end_matches("等");
    let t = t
        .strip_suffix("障害")
        .or_else(|| t.strip_suffix("障がい"))
        .unwrap_or(t);
    let k = match t {
        "身体" | "肢体" | "視覚" | "聴覚" | "内部" => DisabilityKind::Physical,
        "知的" => DisabilityKind::Intellectual,
        "精神" => DisabilityKind::Mental,
        "発達" => DisabilityKind::Developmental,
        "難病" => DisabilityKind::Intractable,
        "高次脳機能" | "高次脳" => DisabilityKind::HigherBrain,
        "" | "児" | "障害児" | "児童" => DisabilityKind::Child,
        _ => return None,
    };
    Some(k.code())
}

/// 「区分3」「3」「３」「非該当」「未認定」, or the code.
pub fn support_category_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw);
    let v = v.strip_prefix("障害支援区分").unwrap_or(&v);
    let v = v.strip_prefix("区分").unwrap_or(v).trim();
    match v {
        "" | "未認定" | "なし" | "unassessed" => Some("unassessed"),
        "非該当" | "na" => Some("na"),
        "1" | "2" | "3" | "4" | "5" | "6" => {
            crate::client::SupportCategory::from_code(v).map(|c| c.code())
        }
        _ => None,
    }
}

/// An income label (the parenthetical may be left out), or the code.
pub fn income_code(token: &str) -> Option<&'static str> {
    let t = fold(token);
    IncomeKind::ALL
        .iter()
        .find(|k| {
            let label = text::nfkc(k.label());
            let short = label.split('(').next().unwrap_or(&label).to_string();
            k.code() == t || label == t || short == t
        })
        .map(|k| k.code())
}

fn by_label<T: Copy>(
    all: &[T],
    raw: &str,
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Option<&'static str> {
    let v = fold(raw);
    all.iter()
        .find(|k| code(**k) == v || text::nfkc(label(**k)) == v)
        .map(|k| code(*k))
}

pub fn status_code(raw: &str) -> Option<&'static str> {
    by_label(
        ClientStatus::ALL,
        raw,
        ClientStatus::code,
        ClientStatus::label,
    )
}

/// A certificate kind's label, a short form (「障害福祉サービス」「通所」「地域相談支援」) or code.
pub fn cert_kind_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw);
    if v.is_empty() {
        return Some(CertificateKind::Welfare.code());
    }
    if let Some(c) = by_label(
        CertificateKind::ALL,
        &v,
        CertificateKind::code,
        CertificateKind::label,
    ) {
        return Some(c);
    }
    let k = if v.starts_with("障害福祉") {
        CertificateKind::Welfare
    } else if v.starts_with("通所") {
        CertificateKind::ChildDay
    } else if v.starts_with("地域") {
        CertificateKind::Community
    } else {
        return None;
    };
    Some(k.code())
}

/// 「3月ごと」「3か月ごと」「3ヶ月」「毎月」, or the code.
pub fn monitoring_period_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw);
    if let Some(c) = by_label(
        MonitoringPeriod::ALL,
        &v,
        MonitoringPeriod::code,
        MonitoringPeriod::label,
    ) {
        return Some(c);
    }
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let rest = &v[digits.len()..];
    let monthly_words = [
        "月ごと",
        "か月ごと",
        "ヶ月ごと",
        "ヵ月ごと",
        "カ月ごと",
        "月",
        "か月",
        "ヶ月",
        "ヵ月",
        "カ月",
        "月毎",
        "ヶ月毎",
    ];
    if digits.is_empty() || !monthly_words.contains(&rest) {
        return None;
    }
    MonitoringPeriod::ALL
        .iter()
        .find(|p| p.months().to_string() == digits)
        .map(|p| p.code())
}

/// Splits 「山田 花子」 (any width of space) in two.
fn split_name(raw: &str) -> Option<(String, String)> {
    let v = fold(raw);
    let mut parts = v.split_whitespace();
    let family = parts.next()?.to_string();
    let given: Vec<&str> = parts.collect();
    if given.is_empty() {
        return None;
    }
    Some((family, given.join(" ")))
}

fn date_message(e: &DateError) -> String {
    match e {
        DateError::Format => {
            "日付として読めません。2026/4/1 や R8.4.1 の形で入力してください。".to_string()
        }
        other => other.to_string(),
    }
}

/// The staff members a 担当 cell may name: (id, name).
pub type Staff = [(i64, String)];

/// Where the header is: the first row with anything in it (a sheet may start lower down).
pub fn header_index(rows: &[Vec<String>]) -> usize {
    rows.iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
        .unwrap_or(0)
}

/// A file read by fixed columns, each known by the headers offices write for it (the care-team
/// and 社会資源 imports; the ledger's own import maps columns by hand instead).
pub struct Sheet<'a> {
    rows: &'a [Vec<String>],
    at: usize,
    header: Vec<String>,
    cols: Vec<Option<&'static str>>,
}

impl<'a> Sheet<'a> {
    /// `columns`: (field, the headers that name it).
    pub fn read(rows: &'a [Vec<String>], columns: &[(&'static str, &[&str])]) -> Self {
        let fold = |s: &str| text::nfkc(s).trim().to_uppercase();
        let at = header_index(rows);
        let header = rows.get(at).cloned().unwrap_or_default();
        let cols = header
            .iter()
            .map(|h| {
                let h = fold(h);
                columns
                    .iter()
                    .find(|(_, names)| names.iter().any(|n| fold(n) == h))
                    .map(|(f, _)| *f)
            })
            .collect();
        Sheet {
            rows,
            at,
            header,
            cols,
        }
    }
    /// The header's row number as the spreadsheet shows it.
    pub fn header_row(&self) -> usize {
        self.at + 1
    }
    pub fn has(&self, field: &str) -> bool {
        self.cols.contains(&Some(field))
    }
    /// The data rows that are not blank, with their row numbers.
    pub fn rows(&self) -> impl Iterator<Item = (usize, &'a Vec<String>)> {
        self.rows
            .iter()
            .enumerate()
            .skip(self.at + 1)
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .map(|(i, r)| (i + 1, r))
    }
    /// The row's value of `field` (NFKC, trimmed; empty when the column is missing).
    pub fn cell(&self, row: &[String], field: &str) -> String {
        self.cols
            .iter()
            .position(|c| *c == Some(field))
            .and_then(|p| row.get(p))
            .map(|s| text::nfkc(s).trim().to_string())
            .unwrap_or_default()
    }
    /// The header `field` was read from, as the file writes it ("" when missing).
    pub fn header_of(&self, field: &str) -> String {
        self.cols
            .iter()
            .position(|c| *c == Some(field))
            .and_then(|p| self.header.get(p).cloned())
            .unwrap_or_default()
    }
}

/// The header row's cells.
pub fn headers(rows: &[Vec<String>]) -> Vec<String> {
    rows.get(header_index(rows)).cloned().unwrap_or_default()
}

/// Reads every data row of a file (after the header, see [`header_index`]) under `mapping`.
/// `staff`: whom 担当 may name; `may_assign`: whether the importer may set 担当 at all.
pub fn parse_rows(
    rows: &[Vec<String>],
    mapping: &Mapping,
    staff: &Staff,
    may_assign: bool,
    today: NaiveDate,
) -> Parsed {
    let mut out = Parsed::default();
    let h = header_index(rows);
    let headers = rows.get(h).cloned().unwrap_or_default();
    for (i, cells) in rows.iter().enumerate().skip(h + 1) {
        let row_no = i + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .is_some_and(|c| {
                fold(c).starts_with(&text::nfkc(EXAMPLE_MARK)) || c.trim().starts_with(EXAMPLE_MARK)
            })
        {
            out.examples += 1;
            continue;
        }
        match parse_row(row_no, cells, &headers, mapping, staff, may_assign, today) {
            Ok(r) => out.rows.push(r),
            Err(mut e) => out.errors.append(&mut e),
        }
    }
    out
}

fn parse_row(
    row_no: usize,
    cells: &[String],
    headers: &[String],
    mapping: &Mapping,
    staff: &Staff,
    may_assign: bool,
    today: NaiveDate,
) -> Result<ImportRow, Vec<RowError>> {
    let mut errors: Vec<RowError> = Vec::new();
    let header_of = |col: usize| headers.get(col).cloned().unwrap_or_default();
    let mut err = |col: usize, message: String| {
        errors.push(RowError {
            row: row_no,
            column: header_of(col),
            message,
        })
    };
    let mut input = RowInput::default();
    let mut cert = CertificateInput::default();
    let mut has_cert = false;
    let mut staff_id = None;
    for (col, field) in mapping.iter().enumerate() {
        let Some(field) = *field else { continue };
        let raw = cells.get(col).map(String::as_str).unwrap_or("").trim();
        if field.is_certificate() && !raw.is_empty() {
            has_cert = true;
        }
        let c = &mut input.client;
        let code =
            |v: Option<&'static str>| v.map(str::to_string).unwrap_or_else(|| raw.to_string());
        match field {
            Field::FullName => match split_name(raw) {
                Some((f, g)) => (c.family_name, c.given_name) = (f, g),
                None if raw.is_empty() => {}
                None => err(col, "氏と名の間に空白を入れてください（例: 山田 花子）。".into()),
            },
            Field::FamilyName => c.family_name = fold(raw),
            Field::GivenName => c.given_name = fold(raw),
            Field::FullKana => match split_name(raw) {
                Some((f, g)) => (c.family_name_kana, c.given_name_kana) = (f, g),
                None if raw.is_empty() => {}
                None => err(col, "ふりがなの氏と名の間に空白を入れてください（例: やまだ はなこ）。".into()),
            },
            Field::FamilyKana => c.family_name_kana = raw.to_string(),
            Field::GivenKana => c.given_name_kana = raw.to_string(),
            Field::BirthDate => c.birth_date = raw.to_string(),
            Field::Sex => match sex_code(raw) {
                Some(s) => c.sex = s.into(),
                None if raw.is_empty() => {}
                None => err(col, "性別は「男性」「女性」「その他」のどれかで入力してください。".into()),
            },
            Field::PostalCode => c.postal_code = raw.to_string(),
            Field::Address => c.address = raw.to_string(),
            Field::Phone => c.phone = raw.to_string(),
            Field::DisabilityKinds => {
                for t in tokens(raw) {
                    match disability_code(&t) {
                        Some(k) => c.disability_kinds.push(k.into()),
                        None => err(col, format!("「{t}」は障害種別として読めません。身体・知的・精神・発達・難病・高次脳機能・障害児から、「・」で区切って入力してください。")),
                    }
                }
            }
            Field::Diagnosis => c.diagnosis = raw.to_string(),
            Field::SupportCategory => match support_category_code(raw) {
                Some(v) => c.support_category = v.into(),
                None => err(col, "障害支援区分は「区分3」「3」「非該当」「未認定」のように入力してください。".into()),
            },
            Field::SupportFrom => c.support_category_from = raw.to_string(),
            Field::SupportUntil => c.support_category_until = raw.to_string(),
            Field::IncomeKinds => {
                for t in tokens(raw) {
                    match income_code(&t) {
                        Some(k) => c.income_kinds.push(k.into()),
                        None => {
                            let list: Vec<&str> = IncomeKind::ALL.iter().map(|k| k.label()).collect();
                            err(col, format!("「{t}」は収入の種類として読めません。{}から、「・」で区切って入力してください。", list.join("・")))
                        }
                    }
                }
            }
            Field::Staff => {
                let name: String = fold(raw).chars().filter(|c| !c.is_whitespace()).collect();
                if name.is_empty() {
                    continue;
                }
                input.staff = raw.to_string();
                if !may_assign {
                    err(col, "担当を決められるのは管理者・主任相談支援専門員です。この列は「取り込まない」にしてください。".into());
                    continue;
                }
                let found = staff.iter().find(|(_, n)| {
                    text::nfkc(n).chars().filter(|c| !c.is_whitespace()).collect::<String>() == name
                });
                match found {
                    Some((id, _)) => staff_id = Some(*id),
                    None => err(col, format!("「{}」という担当できる職員がいません。職員の氏名のとおりに入力するか、空欄にしてください。", raw)),
                }
            }
            Field::Status => match status_code(raw) {
                Some(v) => c.status = v.into(),
                None if raw.is_empty() => {}
                None => err(col, "状態は「相談中」「支援中」「終結」のどれかで入力してください。".into()),
            },
            Field::KeyPerson => c.key_person = raw.to_string(),
            Field::Doctor => c.doctor = raw.to_string(),
            Field::MedicalInstitution => c.medical_institution = raw.to_string(),
            Field::Notes => c.notes = raw.to_string(),
            Field::CertKind => match cert_kind_code(raw) {
                Some(v) => cert.kind = v.into(),
                None => err(col, "受給者証の種類は「障害福祉サービス受給者証」「通所受給者証」「地域相談支援受給者証」のどれかで入力してください。".into()),
            },
            Field::CertNumber => cert.number = raw.to_string(),
            Field::Municipality => cert.municipality = raw.to_string(),
            Field::IssuedOn => cert.issued_on = raw.to_string(),
            Field::DecisionFrom => cert.decision_from = raw.to_string(),
            Field::DecisionUntil => cert.decision_until = raw.to_string(),
            Field::Services => cert.services = raw.replace(['、', ';'], "\n"),
            Field::CostCap => cert.cost_cap_yen = raw.to_string(),
            Field::PlanSupportFrom => cert.plan_support_from = raw.to_string(),
            Field::PlanSupportUntil => cert.plan_support_until = raw.to_string(),
            Field::MonitoringPeriod => {
                cert.monitoring_period = if raw.is_empty() { String::new() } else { code(monitoring_period_code(raw)) }
            }
            Field::MonitoringMonths => cert.monitoring_months = raw.to_string(),
        }
        // A date column that does not read is told in the import's words, naming the forms.
        let is_date = matches!(
            field,
            Field::BirthDate
                | Field::SupportFrom
                | Field::SupportUntil
                | Field::IssuedOn
                | Field::DecisionFrom
                | Field::DecisionUntil
                | Field::PlanSupportFrom
                | Field::PlanSupportUntil
        );
        if is_date
            && !raw.is_empty()
            && let Err(e) = parse_date(raw)
        {
            err(col, date_message(&e));
        }
    }
    // Errors the ordinary validation finds, put on the column that holds the field.
    let column_of = |key: &str| {
        mapping
            .iter()
            .position(|f| f.is_some_and(|f| f.error_keys().contains(&key)))
    };
    // Certificate fields the file has no column for, told once per row.
    let mut missing_cert: Vec<&'static str> = Vec::new();
    let mut add_field_errors = |errs: FieldErrors, prefix: &str| {
        for (key, message) in errs.0 {
            let key = format!("{prefix}{key}");
            let col = column_of(&key);
            let column = col.map(header_of).unwrap_or_default();
            // One message per cell: a date that did not read was already told.
            if errors
                .iter()
                .any(|e| e.column == column && !column.is_empty())
            {
                continue;
            }
            if col.is_none() && key.starts_with("cert.") {
                missing_cert.push(cert_field_label(&key));
                continue;
            }
            errors.push(RowError {
                row: row_no,
                column,
                message,
            });
        }
    };
    let record = input.client.validate(today);
    let record = match record {
        Ok(r) => Some(r),
        Err(e) => {
            add_field_errors(e, "");
            None
        }
    };
    let mut cert_number = None;
    let mut cert_record = None;
    if has_cert {
        match cert.validate() {
            Ok(c) => {
                cert_number = Some(c.number.as_str().to_string());
                cert_record = Some(c);
            }
            Err(e) => add_field_errors(e, "cert."),
        }
        input.cert = Some(cert);
    }
    if !missing_cert.is_empty() {
        errors.push(RowError {
            row: row_no,
            column: String::new(),
            message: format!(
                "受給者証の{}の列がありません。受給者証を取り込むときはその列を加え、取り込まないときは受給者証の列を空欄にしてください。",
                missing_cert.join("・")
            ),
        });
    }
    match record {
        Some(record) if errors.is_empty() => Ok(ImportRow {
            row: row_no,
            input,
            record,
            cert_number,
            cert: cert_record,
            staff_id,
        }),
        _ => {
            errors.sort_by_key(|e| mapping_order(headers, &e.column));
            Err(errors)
        }
    }
}

/// Sorts a row's errors by the column's place in the file.
fn mapping_order(headers: &[String], column: &str) -> usize {
    headers
        .iter()
        .position(|h| h == column)
        .unwrap_or(usize::MAX)
}

fn cert_field_label(key: &str) -> &'static str {
    Field::ALL
        .iter()
        .find(|f| f.error_keys().contains(&key))
        .map(|f| f.label())
        .unwrap_or("項目")
}

/// What to do with a row that matches a client already on the ledger (or an earlier row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicateChoice {
    /// 読み飛ばす (the default: nothing is changed by mistake).
    #[default]
    Skip,
    /// 更新: the ledger entry is replaced by the row (and its certificate added).
    Update,
    /// 新規: added as another person anyway.
    New,
}

impl DuplicateChoice {
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "skip" => Some(Self::Skip),
            "update" => Some(Self::Update),
            "new" => Some(Self::New),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Update => "update",
            Self::New => "new",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Skip => "読み飛ばす",
            Self::Update => "更新",
            Self::New => "新規",
        }
    }
}

/// Why a row was taken for a duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// A client on the ledger (id, version as read, by number or by name + birth date).
    Existing {
        client_id: i64,
        version: i32,
        by_number: bool,
    },
    /// An earlier row of the same file.
    EarlierRow(usize),
}

impl Match {
    pub fn describe(&self) -> String {
        match self {
            Match::Existing {
                by_number: true, ..
            } => "受給者証番号が台帳の利用者と同じです".into(),
            Match::Existing { .. } => "氏名と生年月日が台帳の利用者と同じです".into(),
            Match::EarlierRow(r) => format!("{r}行目と同じ人です"),
        }
    }
}

/// A client on the ledger, as the duplicate check needs it.
#[derive(Debug, Clone)]
pub struct Known {
    pub client_id: i64,
    pub version: i32,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: NaiveDate,
    pub cert_numbers: Vec<String>,
}

/// The duplicate of each row, if any: by 受給者証番号 first, then by name + birth date;
/// against the ledger first, then earlier rows of the file.
pub fn find_duplicates(rows: &[ImportRow], known: &[Known]) -> Vec<Option<Match>> {
    use std::collections::HashMap;
    // Indexed once (the first of each key, as a scan would find it): a 5,000-row file against a
    // 5,000-client ledger was 25 million name foldings when each row scanned the ledger.
    let existing = |k: &Known, by_number: bool| Match::Existing {
        client_id: k.client_id,
        version: k.version,
        by_number,
    };
    let mut by_number: HashMap<&str, &Known> = HashMap::new();
    let mut by_person: HashMap<(String, NaiveDate), &Known> = HashMap::new();
    for k in known {
        for n in &k.cert_numbers {
            by_number.entry(n.as_str()).or_insert(k);
        }
        by_person
            .entry(person_key(&k.family_name, &k.given_name, k.birth_date))
            .or_insert(k);
    }
    let mut seen_numbers: HashMap<String, usize> = HashMap::new();
    let mut seen_people: HashMap<(String, NaiveDate), usize> = HashMap::new();
    rows.iter()
        .map(|r| {
            let key = r.person_key();
            let found = r
                .cert_number
                .as_deref()
                .and_then(|n| by_number.get(n))
                .map(|k| existing(k, true))
                .or_else(|| by_person.get(&key).map(|k| existing(k, false)))
                .or_else(|| {
                    r.cert_number
                        .as_ref()
                        .and_then(|n| seen_numbers.get(n))
                        .or_else(|| seen_people.get(&key))
                        .map(|row| Match::EarlierRow(*row))
                });
            if let Some(n) = &r.cert_number {
                seen_numbers.entry(n.clone()).or_insert(r.row);
            }
            seen_people.entry(key).or_insert(r.row);
            found
        })
        .collect()
}

/// What the import will do with each row, and the counts it reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub certificates: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "新規 {}人、更新 {}人、読み飛ばし {}人、受給者証 {}件",
            self.created, self.updated, self.skipped, self.certificates
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }
    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn headers_are_matched_by_label_and_alias() {
        let h = s(&[
            "No",
            "氏名",
            "フリガナ",
            "生年月日（和暦）",
            "性別",
            "受給者証番号",
            "ﾒﾓ欄",
            "電話 番号",
        ]);
        let m = auto_mapping(&h);
        assert_eq!(
            m,
            vec![
                None,
                Some(Field::FullName),
                Some(Field::FullKana),
                Some(Field::BirthDate),
                Some(Field::Sex),
                Some(Field::CertNumber),
                None,
                Some(Field::Phone),
            ]
        );
        assert!(check_mapping(&m).is_empty(), "{:?}", check_mapping(&m));
        // ASCII brackets and the export's headers.
        assert_eq!(field_for_header("氏(ふりがな)"), Some(Field::FamilyKana));
        assert_eq!(
            field_for_header("区分の有効期間（開始）"),
            Some(Field::SupportFrom)
        );
        assert_eq!(field_for_header("利用者ID"), None);
        let missing = check_mapping(&vec![Some(Field::FamilyName)]);
        assert!(
            missing.iter().any(|m| m.contains("氏名の列")),
            "{missing:?}"
        );
    }

    #[test]
    fn the_template_maps_onto_itself_and_its_example_is_left_out() {
        let t = template_rows();
        let m = auto_mapping(&t[0]);
        assert_eq!(m, TEMPLATE.iter().map(|f| Some(*f)).collect::<Vec<_>>());
        let p = parse_rows(&t, &m, &[], true, today());
        assert_eq!(
            (p.rows.len(), p.examples, p.errors.len()),
            (0, 1, 0),
            "{:?}",
            p.errors
        );
        // The example itself, without its mark, is a valid row.
        let mut t2 = t.clone();
        t2[1][0] = "山田".into();
        let p = parse_rows(&t2, &m, &[], true, today());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows[0].cert_number.as_deref(), Some("1234567890"));
    }

    #[test]
    fn values_are_read_as_offices_write_them() {
        assert_eq!(sex_code("男"), Some("male"));
        assert_eq!(sex_code("女性"), Some("female"));
        assert_eq!(sex_code("X"), None);
        assert_eq!(disability_code("知的障害"), Some("intellectual"));
        assert_eq!(disability_code("発達障がい"), Some("developmental"));
        assert_eq!(disability_code("高次脳機能"), Some("higher_brain"));
        assert_eq!(disability_code("mental"), Some("mental"));
        assert_eq!(disability_code("うつ"), None);
        assert_eq!(support_category_code("区分3"), Some("3"));
        assert_eq!(support_category_code("３"), Some("3"));
        assert_eq!(support_category_code("区分６"), Some("6"));
        assert_eq!(support_category_code("非該当"), Some("na"));
        assert_eq!(support_category_code("7"), None);
        assert_eq!(income_code("障害年金3級"), Some("pension3"));
        assert_eq!(income_code("生活保護"), Some("welfare"));
        assert_eq!(monitoring_period_code("3か月ごと"), Some("every3"));
        assert_eq!(monitoring_period_code("６ヶ月"), Some("every6"));
        assert_eq!(monitoring_period_code("毎月"), Some("monthly"));
        assert_eq!(cert_kind_code("通所"), Some("child_day"));
        assert_eq!(status_code("支援中"), Some("supporting"));
    }

    #[test]
    fn a_row_in_one_name_cell_katakana_and_full_width_wareki_reads() {
        let rows = vec![
            s(&[
                "氏名",
                "フリガナ",
                "生年月日",
                "性別",
                "障害種別",
                "障害支援区分",
                "受給者証番号",
                "市町村",
                "交付日",
                "支給決定期間開始",
                "支給決定期間終了",
            ]),
            s(&[
                "青木　明子",
                "アオキ　アキコ",
                "Ｓ５６．３．２",
                "女",
                "精神、知的障害",
                "区分３",
                "１２３４５６７８９０",
                "富津市",
                "令和8年4月1日",
                "R8.4.1",
                "2027/3/31",
            ]),
        ];
        let m = auto_mapping(&rows[0]);
        let p = parse_rows(&rows, &m, &[], true, today());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let r = &p.rows[0];
        assert_eq!(r.row, 2);
        assert_eq!(r.record.family_name, "青木");
        assert_eq!(r.record.given_name, "明子");
        assert_eq!(r.record.family_name_kana, "あおき");
        assert_eq!(
            r.record.birth_date,
            NaiveDate::from_ymd_opt(1981, 3, 2).unwrap()
        );
        assert_eq!(
            r.record.disability_kinds,
            vec![DisabilityKind::Mental, DisabilityKind::Intellectual]
        );
        assert_eq!(r.cert_number.as_deref(), Some("1234567890"));
    }

    #[test]
    fn errors_name_the_row_and_the_column_as_in_the_file() {
        let rows = vec![
            s(&[
                "氏名",
                "フリガナ",
                "生年月日",
                "性別",
                "受給者証番号",
                "担当",
            ]),
            s(&["青木 明子", "あおき あきこ", "1981/3/2", "女", "", ""]),
            s(&["山田", "やまだ はなこ", "きのう", "男", "123", "佐藤"]),
        ];
        let m = auto_mapping(&rows[0]);
        let staff = vec![(7, "鈴木 一郎".to_string())];
        let p = parse_rows(&rows, &m, &staff, true, today());
        assert_eq!(p.rows.len(), 1);
        let texts: Vec<String> = p.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            texts.contains(
                &"3行目「氏名」: 氏と名の間に空白を入れてください（例: 山田 花子）。".to_string()
            ),
            "{texts:?}"
        );
        assert!(texts.contains(&"3行目「生年月日」: 日付として読めません。2026/4/1 や R8.4.1 の形で入力してください。".to_string()), "{texts:?}");
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("3行目「受給者証番号」: 受給者証番号は10桁")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("3行目「担当」: 「佐藤」という")),
            "{texts:?}"
        );
        // A certificate given only in part names what is missing.
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("3行目: 受給者証の") && t.contains("支給市町村")),
            "{texts:?}"
        );
        // A clerk may not set 担当.
        let rows2 = vec![
            rows[0].clone(),
            s(&[
                "青木 明子",
                "あおき あきこ",
                "1981/3/2",
                "女",
                "",
                "鈴木一郎",
            ]),
        ];
        let p = parse_rows(&rows2, &m, &staff, false, today());
        assert!(p.errors[0].message.contains("管理者"), "{:?}", p.errors);
        let p = parse_rows(&rows2, &m, &staff, true, today());
        assert_eq!(p.rows[0].staff_id, Some(7));
    }

    #[test]
    fn duplicates_by_number_then_name_and_birth_then_within_the_file() {
        let rows = vec![
            s(&[
                "氏名",
                "ふりがな",
                "生年月日",
                "性別",
                "受給者証番号",
                "市町村",
                "交付日",
                "支給決定期間開始",
                "支給決定期間終了",
            ]),
            s(&[
                "別人 太郎",
                "べつじん たろう",
                "1990/1/1",
                "男",
                "1111111111",
                "富津市",
                "R8.4.1",
                "R8.4.1",
                "R9.3.31",
            ]),
            s(&[
                "青木 明子",
                "あおき あきこ",
                "S56.3.2",
                "女",
                "",
                "",
                "",
                "",
                "",
            ]),
            s(&[
                "新人 一",
                "しんじん はじめ",
                "2000/1/1",
                "男",
                "",
                "",
                "",
                "",
                "",
            ]),
            s(&[
                "新人　一",
                "しんじん はじめ",
                "2000/1/1",
                "男",
                "",
                "",
                "",
                "",
                "",
            ]),
        ];
        let p = parse_rows(&rows, &auto_mapping(&rows[0]), &[], true, today());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let known = vec![
            Known {
                client_id: 1,
                version: 3,
                family_name: "山本".into(),
                given_name: "一".into(),
                birth_date: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
                cert_numbers: vec!["1111111111".into()],
            },
            Known {
                client_id: 2,
                version: 1,
                family_name: "青木".into(),
                given_name: "明子".into(),
                birth_date: NaiveDate::from_ymd_opt(1981, 3, 2).unwrap(),
                cert_numbers: vec![],
            },
        ];
        let d = find_duplicates(&p.rows, &known);
        assert_eq!(
            d[0],
            Some(Match::Existing {
                client_id: 1,
                version: 3,
                by_number: true
            })
        );
        assert_eq!(
            d[1],
            Some(Match::Existing {
                client_id: 2,
                version: 1,
                by_number: false
            })
        );
        assert_eq!(d[2], None);
        assert_eq!(d[3], Some(Match::EarlierRow(4)));
    }
}
