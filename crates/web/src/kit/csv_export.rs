//! The office's records as CSV that Excel opens as it is (issue 21, item 3): 利用者台帳 and
//! 受給者証, one row each, in UTF-8 with a BOM (Excel reads it as UTF-8 only with one), UTF-8
//! without, or CP932 (Shift_JIS as Windows writes it). A CP932 file that would lose a character
//! (𠮷, ㈱ is fine) is refused, naming it, rather than written with a substitute. Dates are 西暦
//! (YYYY-MM-DD), which Excel reads as dates. Each export is a disclosure in the log (`export`).

use crate::error::AppError;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::{Tx, cases, certificates, clients, monitorings, plans, today_jst, users};

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Clients,
    Certificates,
    /// The rows of each client's plan in force.
    Plans,
    /// The monitoring months of each open case, done or due.
    Monitorings,
}

impl What {
    pub fn from_code(s: &str) -> Option<What> {
        match s {
            "clients" => Some(What::Clients),
            "certificates" => Some(What::Certificates),
            "plans" => Some(What::Plans),
            "monitorings" => Some(What::Monitorings),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            What::Clients => "利用者台帳",
            What::Certificates => "受給者証",
            What::Plans => "サービス等利用計画（効力のある計画の行）",
            What::Monitorings => "モニタリング予定",
        }
    }
}

/// How the file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    /// UTF-8 with a BOM (the default: Excel opens it correctly).
    Utf8Bom,
    Utf8,
    Cp932,
}

impl Enc {
    /// `utf8` (with a BOM; also when empty), `utf8-nobom` or `cp932`.
    pub fn from_code(s: &str) -> Option<Enc> {
        match s {
            "" | "utf8" => Some(Enc::Utf8Bom),
            "utf8-nobom" => Some(Enc::Utf8),
            "cp932" | "sjis" | "shift_jis" => Some(Enc::Cp932),
            _ => None,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Enc::Utf8Bom => "UTF-8（BOM付き）",
            Enc::Utf8 => "UTF-8",
            Enc::Cp932 => "Shift_JIS（CP932）",
        }
    }
}

/// The rows as CSV text (CRLF line ends, fields quoted where needed).
fn to_text(rows: &[Vec<String>]) -> Result<String, AppError> {
    // Flexible: a report in blocks (a table, then a list) has lines of different widths.
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r).map_err(AppError::internal)?;
    }
    let bytes = w.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

/// The characters JIS and Windows map differently (a macOS or JIS-typed 〜 is CP932's ～): the
/// ones Excel on Windows shows the same, written as CP932 holds them.
fn to_cp932_forms(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{301C}' => '\u{FF5E}', // 〜 → ～
            '\u{2016}' => '\u{2225}', // ‖ → ∥
            '\u{2212}' => '\u{FF0D}', // − → －
            '\u{2014}' => '\u{2015}', // — → ―
            '\u{00A2}' => '\u{FFE0}', // ¢ → ￠
            '\u{00A3}' => '\u{FFE1}', // £ → ￡
            '\u{00AC}' => '\u{FFE2}', // ¬ → ￢
            c => c,
        })
        .collect()
}

/// The text in `enc`; in CP932, a refusal naming the characters it cannot hold.
pub fn encode(rows: &[Vec<String>], enc: Enc) -> Result<Vec<u8>, AppError> {
    let text = to_text(rows)?;
    match enc {
        Enc::Utf8 => Ok(text.into_bytes()),
        Enc::Utf8Bom => {
            let mut out = vec![0xEF, 0xBB, 0xBF];
            out.extend_from_slice(text.as_bytes());
            Ok(out)
        }
        Enc::Cp932 => {
            let text = to_cp932_forms(&text);
            let (bytes, _, lossy) = encoding_rs::SHIFT_JIS.encode(&text);
            if lossy {
                let mut bad: Vec<char> = Vec::new();
                for c in text.chars() {
                    let mut buf = [0u8; 4];
                    let (_, _, l) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
                    if l && !bad.contains(&c) {
                        bad.push(c);
                    }
                }
                let list: String = bad
                    .iter()
                    .take(10)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|c| format!("「{c}」"))
                    .collect();
                return Err(AppError::Rule(format!(
                    "Shift_JIS（CP932）では表せない文字 {list} が含まれるため、書き出していません。文字コードに「UTF-8（BOM付き）」を選んでください（Excel でもそのまま開けます）。"
                )));
            }
            Ok(bytes.into_owned())
        }
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Every client the actor may see, as the list sorts them by かな, page by page (the list
/// gives at most 200 at a time).
async fn all_clients(tx: &mut Tx) -> Result<Vec<clients::Client>, AppError> {
    let mut out = Vec::new();
    for page in 0.. {
        let f = clients::ClientFilter {
            q: String::new(),
            status: None,
            staff: clients::StaffFilter::Any,
            cert_within_days: None,
            today: today_jst(),
            sort: clients::ClientSort::Kana,
            page,
            per_page: 200,
        };
        let (rows, _) = clients::list(tx, &f).await?;
        let last = rows.len() < 200;
        out.extend(rows);
        if last {
            break;
        }
    }
    Ok(out)
}

/// The rows of `what` (a header first) for the clients the actor may see, and how many records.
pub async fn rows(tx: &mut Tx, what: What) -> Result<(Vec<Vec<String>>, usize), AppError> {
    let list = all_clients(tx).await?;
    let names = users::names(tx).await.unwrap_or_default();
    let name_of = |id: Option<i64>| {
        id.and_then(|id| names.iter().find(|(i, _)| *i == id))
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let s = |x: &str| x.to_string();
    match what {
        What::Clients => {
            let mut out = vec![
                [
                    "利用者ID",
                    "氏",
                    "名",
                    "氏（ふりがな）",
                    "名（ふりがな）",
                    "生年月日",
                    "性別",
                    "郵便番号",
                    "住所",
                    "電話",
                    "障害種別",
                    "障害支援区分",
                    "区分の有効期間（開始）",
                    "区分の有効期間（終了）",
                    "収入",
                    "担当",
                    "状態",
                    "支給決定期間の終了",
                ]
                .map(s)
                .to_vec(),
            ];
            for c in &list {
                let r = &c.record;
                out.push(vec![
                    c.id.to_string(),
                    r.family_name.clone(),
                    r.given_name.clone(),
                    r.family_name_kana.clone(),
                    r.given_name_kana.clone(),
                    date(Some(r.birth_date)),
                    r.sex.label().to_string(),
                    r.postal_code.clone(),
                    r.address.clone(),
                    r.phone.clone(),
                    r.disability_kinds
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join("・"),
                    r.support_category.label().to_string(),
                    date(r.support_category_from),
                    date(r.support_category_until),
                    r.income_kinds
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join("・"),
                    name_of(c.assigned_user_id),
                    r.status.label().to_string(),
                    date(c.cert_until),
                ]);
            }
            let n = out.len() - 1;
            Ok((out, n))
        }
        What::Plans => {
            let mut out = vec![
                [
                    "利用者ID",
                    "氏名",
                    "計画",
                    "版",
                    "計画作成日",
                    "優先順位",
                    "解決すべき課題",
                    "支援目標",
                    "達成時期",
                    "サービスの区分",
                    "サービスの種類",
                    "内容・量",
                    "提供事業者",
                    "本人の役割",
                    "評価時期",
                ]
                .map(s)
                .to_vec(),
            ];
            for c in &list {
                // A client whose plans the user may not read is left out, not refused.
                let Ok(acc) = tx.client_access(c.id, RecordKind::Plan, Action::Read).await else {
                    continue;
                };
                let Some(p) = plans::in_force(tx, &acc).await? else {
                    continue;
                };
                for (i, r) in p.record.rows.iter().enumerate() {
                    out.push(vec![
                        c.id.to_string(),
                        c.record.full_name(),
                        p.record.kind.label().to_string(),
                        p.version_no.to_string(),
                        date(p.record.decided_on),
                        (i + 1).to_string(),
                        r.need.clone(),
                        r.goal.clone(),
                        r.due.clone(),
                        r.category.label().to_string(),
                        r.service_type
                            .map(|t| t.label().to_string())
                            .unwrap_or_default(),
                        r.service.clone(),
                        r.provider.clone(),
                        r.person_role.clone(),
                        r.review.clone(),
                    ]);
                }
            }
            let n = out.len() - 1;
            Ok((out, n))
        }
        What::Monitorings => {
            let mut out = vec![
                [
                    "利用者ID",
                    "氏名",
                    "ケース",
                    "実施月",
                    "受給者証に記載",
                    "状態",
                    "実施日",
                ]
                .map(s)
                .to_vec(),
            ];
            let today = today_jst();
            for c in &list {
                // A client whose cases or monitorings the user may not read is left out.
                let (Ok(cases_acc), Ok(acc)) = (
                    tx.client_access(c.id, RecordKind::Case, Action::Read).await,
                    tx.client_access(c.id, RecordKind::Monitoring, Action::Read)
                        .await,
                ) else {
                    continue;
                };
                for case in cases::list(tx, &cases_acc).await? {
                    if case.closed_on.is_some() {
                        continue;
                    }
                    let schedule = monitorings::case_schedule(tx, &acc, case.id, today).await?;
                    for m in &schedule.months {
                        out.push(vec![
                            c.id.to_string(),
                            c.record.full_name(),
                            case.title.clone(),
                            m.month.code(),
                            if m.listed {
                                "記載"
                            } else {
                                "期間から計算"
                            }
                            .to_string(),
                            m.state.label().to_string(),
                            date(m.done_on),
                        ]);
                    }
                }
            }
            let n = out.len() - 1;
            Ok((out, n))
        }
        What::Certificates => {
            let mut out = vec![
                [
                    "利用者ID",
                    "氏名",
                    "種類",
                    "受給者証番号",
                    "市町村",
                    "交付年月日",
                    "支給決定期間（開始）",
                    "支給決定期間（終了）",
                    "支給決定の内容",
                    "負担上限月額（円）",
                    "計画相談支援の期間（開始）",
                    "計画相談支援の期間（終了）",
                    "モニタリング期間",
                    "モニタリング実施月",
                    "版",
                ]
                .map(s)
                .to_vec(),
            ];
            for c in &list {
                // A client whose certificates the user may not read is left out, not refused.
                let Ok(acc) = tx
                    .client_access(c.id, RecordKind::Certificate, Action::Read)
                    .await
                else {
                    continue;
                };
                for cert in certificates::list(tx, &acc).await? {
                    let r = &cert.record;
                    out.push(vec![
                        c.id.to_string(),
                        c.record.full_name(),
                        r.kind.label().to_string(),
                        r.number.as_str().to_string(),
                        r.municipality.clone(),
                        date(Some(r.issued_on)),
                        date(Some(r.decision_from)),
                        date(Some(r.decision_until)),
                        r.services
                            .iter()
                            .map(|x| format!("{}：{}", x.service, x.amount))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        r.cost_cap_yen.to_string(),
                        date(r.plan_support_from),
                        date(r.plan_support_until),
                        r.monitoring_period
                            .map(|p| p.label().to_string())
                            .unwrap_or_default(),
                        r.monitoring_months
                            .iter()
                            .map(|m| m.code())
                            .collect::<Vec<_>>()
                            .join(" "),
                        cert.version_no.to_string(),
                    ]);
                }
            }
            let n = out.len() - 1;
            Ok((out, n))
        }
    }
}

/// Reads, encodes and logs one export: the file's bytes and its name.
pub async fn export(tx: &mut Tx, what: What, enc: Enc) -> Result<(Vec<u8>, String), AppError> {
    let (rows, n) = rows(tx, what).await?;
    let bytes = encode(&rows, enc)?;
    tx.record(
        "export",
        match what {
            What::Clients => RecordKind::Ledger,
            What::Certificates => RecordKind::Certificate,
            What::Plans => RecordKind::Plan,
            What::Monitorings => RecordKind::Monitoring,
        },
        None,
        None,
        format!("{} CSV（{}）{n}件", what.label(), enc.label()),
    );
    let name = match what {
        What::Plans => "サービス等利用計画",
        What::Monitorings => "モニタリング予定",
        _ => what.label(),
    };
    let file = format!("{name}_{}.csv", today_jst().format("%Y%m%d"));
    Ok((bytes, file))
}

/// The encoding asked for by its code, or a 422 naming the choices.
pub fn parse_enc(code: &str) -> Result<Enc, AppError> {
    Enc::from_code(code.trim()).ok_or_else(|| {
        AppError::field(
            "encoding",
            "文字コードは utf8、utf8-nobom、cp932 のどれかを選んでください。",
        )
    })
}

/// Encoded CSV bytes as a download named `name`, with the charset the bytes are in.
pub fn response(bytes: Vec<u8>, enc: Enc, name: &str) -> axum::response::Response {
    let ty = if enc == Enc::Cp932 {
        "text/csv; charset=Shift_JIS"
    } else {
        "text/csv; charset=utf-8"
    };
    crate::kit::print::file_response(bytes, ty, name)
}

/// `what` in `encoding` (their codes as asked) for `actor`, as a download: read, encoded,
/// logged and committed; an unknown kind is 404, an unknown encoding a 422 naming the choices.
pub async fn download(
    st: &crate::AppState,
    actor: yorisoi_domain::policy::Actor,
    what: &str,
    encoding: &str,
) -> Result<axum::response::Response, AppError> {
    let what = What::from_code(what).ok_or(AppError::NotFound)?;
    let enc = parse_enc(encoding)?;
    let mut tx = st.store.read(actor).await?;
    let (bytes, name) = export(&mut tx, what, enc).await?;
    tx.commit().await?;
    Ok(response(bytes, enc, &name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_is_refused_naming_what_it_cannot_hold_and_utf8_keeps_a_bom() {
        let rows = vec![
            vec!["氏名".to_string(), "メモ".to_string()],
            vec!["吉田 ㈱".to_string(), "改行\nと\"引用符\"".to_string()],
        ];
        let bom = encode(&rows, Enc::Utf8Bom).unwrap();
        assert_eq!(&bom[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bom[3..].to_vec()).unwrap();
        assert_eq!(text, "氏名,メモ\r\n吉田 ㈱,\"改行\nと\"\"引用符\"\"\"\r\n");
        let sjis = encode(&rows, Enc::Cp932).unwrap();
        let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
        assert!(!bad);
        assert_eq!(back, text);
        // A wave dash and a minus typed on a Mac go out as Windows writes them.
        let sjis = encode(&[vec!["9時〜17時 −5".into()]], Enc::Cp932).unwrap();
        let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
        assert!(!bad);
        assert_eq!(back, "9時～17時 －5\r\n");
        let Err(AppError::Rule(m)) = encode(&[vec!["𠮷田".into()]], Enc::Cp932) else {
            panic!("𠮷 has no CP932 code");
        };
        assert!(m.contains("「𠮷」") && m.contains("UTF-8"), "{m}");
        assert_eq!(Enc::from_code("nope"), None);
        assert_eq!(What::from_code("notes"), None);
    }
}
