//! A spreadsheet as rows of strings, for the ledger import (the pages and the CLI): `.xlsx`
//! (its first sheet, read cell by cell so that a far-away cell does not make a huge grid) or
//! CSV in UTF-8 (with or without a BOM) or CP932 (what Excel writes in Japan: a file that is
//! not valid UTF-8 is read as CP932). Dates Excel stores as dates come out as 2026-04-01.

use yorisoi_domain::import::MAX_ROWS;

/// The largest file accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The widest row kept (a ledger has about 30 columns).
const MAX_COLUMNS: usize = 200;

fn too_many_rows() -> String {
    format!(
        "行が多すぎます。1つのファイルは{MAX_ROWS}行までです。ファイルを分けて取り込んでください。"
    )
}

/// The import template as an `.xlsx`: the header bold and frozen, readable column widths, the
/// example row in grey, and lists to choose 性別, 障害支援区分 and 状態 from (what Excel offers in
/// a cell's drop-down; other values typed in are refused by Excel's own check). The lists start
/// on the example row, so that they hold when an office types over it.
pub fn template_xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Color, DataValidation, Format, Workbook};
    use yorisoi_domain::client::{ClientStatus, Sex, SupportCategory};
    let fail = |e: rust_xlsxwriter::XlsxError| format!("ひな形を作れませんでした（{e}）");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("利用者台帳").map_err(fail)?;
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE3EEE9));
    let example = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x6B7280));
    let header = rows.first().cloned().unwrap_or_default();
    for (r, row) in rows.iter().enumerate() {
        let fmt = if r == 0 { &head } else { &example };
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            ws.write_string_with_format(r, c, v, fmt).map_err(fail)?;
        }
    }
    for (c, h) in header.iter().enumerate() {
        let wide = ["住所", "支給決定の内容", "備考", "診断名"].contains(&h.as_str());
        ws.set_column_width(c as u16, if wide { 28 } else { 15 })
            .map_err(fail)?;
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    let lists: [(&str, Vec<&str>); 3] = [
        ("性別", Sex::ALL.iter().map(|x| x.label()).collect()),
        (
            "障害支援区分",
            SupportCategory::ALL.iter().map(|x| x.label()).collect(),
        ),
        (
            "状態",
            ClientStatus::ALL.iter().map(|x| x.label()).collect(),
        ),
    ];
    for (name, values) in lists {
        let Some(c) = header.iter().position(|h| h == name) else {
            continue;
        };
        let v = DataValidation::new()
            .allow_list_strings(&values)
            .map_err(fail)?
            .set_error_title("一覧にない値です")
            .map_err(fail)?
            .set_error_message(format!("{name}は一覧から選んでください。"))
            .map_err(fail)?;
        ws.add_data_validation(1, c as u16, MAX_ROWS as u32, c as u16, &v)
            .map_err(fail)?;
    }
    wb.save_to_buffer().map_err(fail)
}

/// The file's rows (`Err`: a Japanese message saying what to do).
pub fn decode(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    if bytes.len() > MAX_BYTES {
        return Err("ファイルが大きすぎます。5MBまでのファイルにしてください（行が多いときは分けて取り込めます）。".into());
    }
    if bytes.is_empty() {
        return Err("ファイルが空です。".into());
    }
    let mut rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("古い Excel 形式（.xls）は読めません。Excel で「Excel ブック（.xlsx）」か「CSV」で保存し直してください。".into());
    } else {
        csv_rows(bytes)?
    };
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        rows.pop();
    }
    if rows.len() > MAX_ROWS + 1 {
        return Err(too_many_rows());
    }
    if rows.is_empty() {
        return Err("ファイルに行がありません。".into());
    }
    Ok(rows)
}

/// [`decode`] off the async threads (reading an .xlsx is work for a CPU): the rows, or what is
/// wrong with the file in Japanese.
pub async fn decode_off_thread(
    bytes: Vec<u8>,
) -> Result<Result<Vec<Vec<String>>, String>, crate::error::AppError> {
    tokio::task::spawn_blocking(move || decode(&bytes))
        .await
        .map_err(crate::error::AppError::internal)
}

/// UTF-8 if it is valid UTF-8 (the BOM dropped), else CP932.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    // encoding_rs's Shift_JIS is the WHATWG one, i.e. Windows' CP932 (NEC and IBM extensions).
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("文字コードが読み取れません。UTF-8 か Shift_JIS（Excel の「CSV（コンマ区切り）」）で保存したCSV、または .xlsx ファイルを選んでください。".into());
    }
    Ok(text.into_owned())
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = text_of(bytes)?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|_| {
            format!(
                "{}行目がCSVとして読めません。「\"」の閉じ忘れがないか確かめてください。",
                i + 1
            )
        })?;
        if out.len() > MAX_ROWS + 1 {
            return Err(too_many_rows());
        }
        out.push(rec.iter().take(MAX_COLUMNS).map(str::to_string).collect());
    }
    Ok(out)
}

fn xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    use calamine::{DataRef, Reader, Xlsx};
    let unreadable = |_| {
        "Excel ファイルとして読めません。Excel で開けるか確かめ、「.xlsx」で保存し直してください。"
            .to_string()
    };
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| "シートがありません。".to_string())?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if r > MAX_ROWS + 1 {
            return Err(too_many_rows());
        }
        if c >= MAX_COLUMNS {
            continue;
        }
        let v = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Int(i) => i.to_string(),
            // A whole number typed in a cell (a 受給者証番号, a postal code) without ".0".
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            DataRef::DateTime(d) => match d.as_datetime() {
                Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
                None => d.as_f64().to_string(),
            },
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(_) => "#ERROR".to_string(),
        };
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = v;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_in_cp932() {
        let text = "氏名,生年月日\r\n青木　明子,Ｒ８．４．１\r\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        for bytes in [bom, text.as_bytes().to_vec(), sjis.into_owned()] {
            let rows = decode(&bytes).unwrap();
            assert_eq!(rows[0], vec!["氏名", "生年月日"]);
            assert_eq!(rows[1][0], "青木　明子");
        }
    }

    #[test]
    fn refusals_say_what_to_do() {
        assert!(decode(b"").unwrap_err().contains("空"));
        assert!(
            decode(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
                .unwrap_err()
                .contains(".xls")
        );
        assert!(decode(b"PK\x03\x04garbage").unwrap_err().contains("Excel"));
        let many = "a\n".repeat(MAX_ROWS + 5);
        assert!(
            decode(many.as_bytes())
                .unwrap_err()
                .contains("行が多すぎます")
        );
    }
}
