//! ケアチーム members from a spreadsheet (one row per member: whose team, by 受給者証番号 or by the
//! client's name and birth date, then the member): every row checked as a typed member, every
//! problem by row and column, members already on that client's team (same person, folded)
//! recognised so that a second import adds nothing twice.

use crate::date::parse_date;
use crate::import::{Known, RowError, Sheet};
use crate::team::{MemberKind, TeamMemberInput, TeamMemberRecord, same_person_key};
use crate::text::{nfkc, search_fold};

/// The columns read, each with the headers offices write for it (the first is the template's).
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("number", &["受給者証番号", "受給者番号"]),
    ("client", &["利用者氏名", "利用者", "利用者名", "本人氏名"]),
    ("birth", &["利用者の生年月日", "生年月日"]),
    ("kind", &["種別", "関係", "区分"]),
    ("name", &["氏名", "メンバー氏名", "名前", "担当者名"]),
    ("organisation", &["所属", "事業所名", "機関名"]),
    ("contact", &["連絡先", "電話", "電話番号"]),
    ("role", &["役割", "計画での役割"]),
];

fn fold(s: &str) -> String {
    nfkc(s).trim().to_uppercase()
}

/// A member's kind as written: its code or label, or words that say it (母, 作業所, 市役所 …).
fn kind_code(raw: &str) -> Option<&'static str> {
    let v = fold(raw);
    if let Some(k) = MemberKind::ALL
        .iter()
        .find(|k| fold(k.code()) == v || fold(k.label()) == v)
    {
        return Some(k.code());
    }
    let has = |words: &[&str]| words.iter().any(|w| v.contains(w));
    Some(if has(&["後見", "保佐", "補助人"]) {
        "curator"
    } else if has(&[
        "家族", "母", "父", "兄", "姉", "弟", "妹", "妻", "夫", "祖", "子", "親",
    ]) {
        "family"
    } else if has(&["市", "町", "村", "区役所", "ケースワーカー", "行政"]) {
        "municipality"
    } else if has(&["事業所", "作業所", "サービス", "ヘルパー", "ホーム"]) {
        "provider"
    } else if has(&["病院", "医院", "クリニック", "医師", "看護", "医療"]) {
        "medical"
    } else if has(&["民生", "児童委員"]) {
        "commissioner"
    } else if has(&["学校", "教", "保育"]) {
        "education"
    } else if has(&["職場", "雇用", "会社"]) {
        "employer"
    } else if has(&["近所", "近隣", "住民"]) {
        "neighbour"
    } else if has(&["友"]) {
        "friend"
    } else if v == "本人" {
        "person"
    } else {
        return None;
    })
}

/// What a file comes to: members to add (row, client, member), rows already on the team, and
/// every problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedTeam {
    pub rows: Vec<(usize, i64, TeamMemberRecord)>,
    /// (row, member's name) already on that client's team (or an earlier row).
    pub known: Vec<(usize, String)>,
    pub errors: Vec<RowError>,
}

/// Reads `rows` (header first) against the ledger (`clients`) and each client's current members
/// (`members`: client id → names).
pub fn parse_team(
    rows: &[Vec<String>],
    clients: &[Known],
    members: &std::collections::HashMap<i64, Vec<String>>,
) -> ParsedTeam {
    let mut out = ParsedTeam::default();
    let sheet = Sheet::read(rows, COLUMNS);
    let has = |f: &str| sheet.has(f);
    if !has("name") || !(has("number") || (has("client") && has("birth"))) {
        out.errors.push(RowError {
            row: sheet.header_row(),
            column: String::new(),
            message: "見出しが足りません。「氏名」（メンバー）と、誰のチームかを表す「受給者証番号」か「利用者氏名」と「利用者の生年月日」の列が要ります。".into(),
        });
        return out;
    }
    let mut seen: Vec<(i64, String)> = members
        .iter()
        .flat_map(|(c, names)| names.iter().map(|n| (*c, same_person_key(n))))
        .collect();
    for (row, r) in sheet.rows() {
        let cell = |f: &str| sheet.cell(r, f);
        let header_of = |f: &str| sheet.header_of(f);
        let mut errs = Vec::new();
        // Whose team: the certificate's number first, then name + birth date.
        let number: String = cell("number")
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let by_number = (!number.is_empty())
            .then(|| clients.iter().find(|k| k.cert_numbers.contains(&number)))
            .flatten();
        let client = match by_number {
            Some(k) => Some(k.client_id),
            None => {
                let name = search_fold(&cell("client")).replace(' ', "");
                let birth = parse_date(&cell("birth")).ok();
                let found = birth.and_then(|b| {
                    clients.iter().find(|k| {
                        k.birth_date == b
                            && search_fold(&format!("{}{}", k.family_name, k.given_name))
                                .replace(' ', "")
                                == name
                    })
                });
                if found.is_none() {
                    errs.push(RowError {
                        row,
                        column: if number.is_empty() {
                            header_of("client")
                        } else {
                            header_of("number")
                        },
                        message: "この利用者が台帳に見つかりません。受給者証番号か、利用者の氏名と生年月日（和暦・西暦）を台帳のとおりにしてください。".into(),
                    });
                }
                found.map(|k| k.client_id)
            }
        };
        let raw_kind = cell("kind");
        let kind = match kind_code(&raw_kind) {
            Some(k) => k.to_string(),
            None => {
                errs.push(RowError {
                    row,
                    column: header_of("kind"),
                    message: format!("「{raw_kind}」は種別として読めません。例: 家族、サービス事業所、市町村、医療機関、成年後見人"),
                });
                String::new()
            }
        };
        let input = TeamMemberInput {
            kind: kind.clone(),
            name: cell("name"),
            organisation: cell("organisation"),
            contact: cell("contact"),
            role: cell("role"),
            resource_id: String::new(),
        };
        let rec = match input.validate() {
            Ok(rec) => Some(rec),
            Err(fe) => {
                for (field, message) in fe.0 {
                    if field == "kind" && kind.is_empty() {
                        continue;
                    }
                    errs.push(RowError {
                        row,
                        column: header_of(&field),
                        message,
                    });
                }
                None
            }
        };
        match (client, rec) {
            (Some(c), Some(rec)) if errs.is_empty() => {
                let key = (c, same_person_key(&rec.name));
                if seen.contains(&key) {
                    out.known.push((row, rec.name));
                } else {
                    seen.push(key);
                    out.rows.push((row, c, rec));
                }
            }
            _ => out.errors.append(&mut errs),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn members_find_their_client_by_number_or_name_and_birth_date() {
        let clients = vec![Known {
            client_id: 7,
            version: 1,
            family_name: "青木".into(),
            given_name: "明子".into(),
            birth_date: NaiveDate::from_ymd_opt(1981, 3, 2).unwrap_or_default(),
            cert_numbers: vec!["0123456789".into()],
        }];
        let mut members = std::collections::HashMap::new();
        members.insert(7, vec!["青木 実（兄）".to_string()]);
        let p = parse_team(
            &rows(&[
                "受給者証番号,利用者氏名,生年月日,関係,氏名,所属,電話",
                "０１２３４５６７８９,,,作業所,田中 一,ひかり作業所,0120",
                ",青木 明子,S56.3.2,母,青木 花,,",
                ",青木 明子,S56.3.3,家族,誰か,,",
                "0123456789,,,宇宙人,木村,,",
                "0123456789,,,兄,青木実,,",
            ]),
            &clients,
            &members,
        );
        let got: Vec<(usize, i64, &str, MemberKind)> = p
            .rows
            .iter()
            .map(|(r, c, m)| (*r, *c, m.name.as_str(), m.kind))
            .collect();
        assert_eq!(
            got,
            [
                (2, 7, "田中 一", MemberKind::Provider),
                (3, 7, "青木 花", MemberKind::Family)
            ]
        );
        assert_eq!(p.known, [(6, "青木実".to_string())]);
        let at: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(at, [(4, "利用者氏名"), (5, "関係")], "{:?}", p.errors);
    }
}
