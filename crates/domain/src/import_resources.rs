//! The 社会資源 directory from a spreadsheet (an office's list of providers, groups and
//! neighbours kept in Excel): each row checked as a typed entry would be, every problem reported
//! by row and column, entries already in the directory (same name, folded) recognised so that a
//! second import adds nothing twice.

use crate::import::{RowError, Sheet};
use crate::plan::{ServiceCategory, ServiceType};
use crate::team::{ResourceInput, ResourceRecord};
use crate::text::{nfkc, search_fold};

/// The columns read, each with the headers offices write for it (the first is the template's).
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("category", &["区分", "分類", "種別"]),
    (
        "service_type",
        &[
            "サービスの種類",
            "サービス種類",
            "サービス種別",
            "事業の種類",
        ],
    ),
    ("name", &["名称", "事業所名", "名前", "資源名"]),
    (
        "contact_person",
        &["担当者", "サービス管理責任者", "担当", "連絡先担当者"],
    ),
    ("phone", &["電話", "電話番号", "TEL", "連絡先"]),
    ("address", &["住所", "所在地"]),
    ("note", &["備考", "メモ"]),
];

/// The template's header row.
pub fn template_header() -> Vec<String> {
    COLUMNS.iter().map(|(_, h)| h[0].to_string()).collect()
}

fn fold(s: &str) -> String {
    nfkc(s).trim().to_uppercase()
}

/// A category as written: its code or label, 「福祉」「障害福祉」, 「他制度」, 「インフォーマル」
/// 「地域」; empty means 障害福祉サービス等 when a service type is given, インフォーマル otherwise.
fn category_code(raw: &str, has_service: bool) -> Option<&'static str> {
    let v = fold(raw);
    if v.is_empty() {
        return Some(if has_service { "welfare" } else { "informal" });
    }
    if let Some(c) = ServiceCategory::ALL
        .iter()
        .find(|c| fold(c.code()) == v || fold(c.label()) == v)
    {
        return Some(c.code());
    }
    if v.contains("福祉") {
        Some("welfare")
    } else if v.contains("他制度") || v.contains("制度") {
        Some("other_system")
    } else if v.contains("インフォーマル") || v.contains("地域") || v.contains("近隣") {
        Some("informal")
    } else {
        None
    }
}

/// A service type as written: its code, its label, or a label written shorter (「B型」「グループホーム」).
fn service_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw);
    if v.is_empty() {
        return Some("");
    }
    let strip = |s: &str| {
        fold(s)
            .replace("就労継続支援", "")
            .replace(['（', '）'], "")
    };
    ServiceType::ALL
        .iter()
        .find(|t| fold(t.code()) == v || fold(t.label()) == v)
        .or_else(|| {
            ServiceType::ALL
                .iter()
                .find(|t| strip(t.label()).contains(&v.replace(['（', '）'], "")))
        })
        .map(|t| t.code())
}

/// What a file comes to: the entries to add (by spreadsheet row), the rows left out because the
/// directory already has the name, and every problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedResources {
    pub rows: Vec<(usize, ResourceRecord)>,
    /// Rows whose name the directory (or an earlier row) already has: (row, name).
    pub known: Vec<(usize, String)>,
    pub errors: Vec<RowError>,
}

/// Reads `rows` (header first) against the names already in the directory.
pub fn parse_resources(rows: &[Vec<String>], existing: &[String]) -> ParsedResources {
    let mut out = ParsedResources::default();
    let sheet = Sheet::read(rows, COLUMNS);
    if rows.is_empty() {
        out.errors.push(RowError {
            row: 1,
            column: String::new(),
            message: "ファイルが空です。1行目に見出し（名称、区分、サービスの種類 …）、2行目から1行に1件で入力してください。".into(),
        });
        return out;
    }
    if !sheet.has("name") {
        out.errors.push(RowError {
            row: sheet.header_row(),
            column: String::new(),
            message: "「名称」の列が見つかりません。見出しを「名称」（または「事業所名」）にしてください。".into(),
        });
        return out;
    }
    let mut seen: Vec<String> = existing.iter().map(|n| search_fold(n)).collect();
    for (row, r) in sheet.rows() {
        let cell = |f: &str| sheet.cell(r, f);
        let header_of = |f: &str| {
            let h = sheet.header_of(f);
            if h.is_empty() { f.to_string() } else { h }
        };
        let mut row_errors = Vec::new();
        let raw_service = cell("service_type");
        let service = match service_code(&raw_service) {
            Some(s) => s.to_string(),
            None => {
                row_errors.push(RowError {
                    row,
                    column: header_of("service_type"),
                    message: format!("「{raw_service}」はサービスの種類として読めません。例: 就労継続支援B型、居宅介護、グループホーム"),
                });
                String::new()
            }
        };
        let raw_category = cell("category");
        let category = match category_code(&raw_category, !service.is_empty()) {
            Some(c) => c.to_string(),
            None => {
                row_errors.push(RowError {
                    row,
                    column: header_of("category"),
                    message: format!("「{raw_category}」は区分として読めません。障害福祉サービス等・他制度のサービス・インフォーマルのどれかにしてください。"),
                });
                String::new()
            }
        };
        let input = ResourceInput {
            category,
            service_type: service,
            name: cell("name"),
            contact_person: cell("contact_person"),
            phone: cell("phone"),
            address: cell("address"),
            note: cell("note"),
        };
        match input.validate() {
            Ok(rec) if row_errors.is_empty() => {
                let key = search_fold(&rec.name);
                if seen.contains(&key) {
                    out.known.push((row, rec.name));
                } else {
                    seen.push(key);
                    out.rows.push((row, rec));
                }
            }
            Ok(_) => out.errors.append(&mut row_errors),
            Err(fe) => {
                out.errors.append(&mut row_errors);
                for (field, message) in fe.0 {
                    // The category and type were checked above with the file's words.
                    if (field == "category" || field == "service_type")
                        && out.errors.iter().any(|e| e.row == row)
                    {
                        continue;
                    }
                    out.errors.push(RowError {
                        row,
                        column: header_of(&field),
                        message,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn offices_words_are_read_and_every_problem_is_reported_by_row_and_column() {
        let p = parse_resources(
            &rows(&[
                "事業所名,種別,サービス種類,電話番号,所在地",
                "ひかり作業所,障害福祉,B型,0120-111-003,N市本町1",
                "みどりの会,地域,,,",
                "つばさ,,グループホーム,,",
                ",福祉,居宅介護,,",
                "あおぞら,福祉,空を飛ぶ支援,,",
                "ひかり作業所,,B型,,",
                "森田さん（近所）,ご近所,,,",
            ]),
            &["つばさ".into()],
        );
        let names: Vec<&str> = p.rows.iter().map(|(_, r)| r.name.as_str()).collect();
        assert_eq!(names, ["ひかり作業所", "みどりの会"]);
        assert_eq!(p.rows[0].1.service_type, Some(ServiceType::EmploymentB));
        assert_eq!(p.rows[0].1.category, ServiceCategory::Welfare);
        assert_eq!(p.rows[1].1.category, ServiceCategory::Informal);
        assert_eq!(
            p.known,
            [(4, "つばさ".to_string()), (7, "ひかり作業所".to_string())]
        );
        let at: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            at,
            [(5, "事業所名"), (6, "サービス種類"), (8, "種別")],
            "{:?}",
            p.errors
        );
    }

    #[test]
    fn a_file_without_a_name_column_says_so() {
        let p = parse_resources(&rows(&["区分,電話", "福祉,03"]), &[]);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("「名称」の列"));
    }
}
