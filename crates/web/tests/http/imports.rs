//! The ledger import from Excel / CSV: encodings, every problem reported, xlsx, mapping,
//! duplicates, who may, and the round trip with the ledger export.

use crate::common::*;
use axum::http::StatusCode;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::clients;

fn csv(lines: &[String]) -> String {
    lines.join("\r\n") + "\r\n"
}

/// Uploads a file; returns the preview's path and page.
async fn upload(app: &App, s: &Sess, name: &str, bytes: &[u8]) -> (String, Resp) {
    let r = app
        .upload(s, "/clients/import/upload", true, name, bytes)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = location(&r);
    assert!(path.starts_with("/clients/import/"), "{path}");
    let page = app.get(Some(s), &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    (path, page)
}

/// The selected field of every column of a preview page, in order.
fn mapping(page: &str) -> Vec<String> {
    page.split("<select name=\"col\"")
        .skip(1)
        .map(|sel| {
            let sel = &sel[..sel.find("</select>").unwrap()];
            sel.find("\" selected>")
                .map(|at| {
                    let before = &sel[..at];
                    before[before.rfind("value=\"").unwrap() + 7..].to_string()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// Posts the preview form as shown (mapping, duplicates as seen) plus `extra`, with `go`.
async fn decide(
    app: &App,
    s: &Sess,
    path: &str,
    page: &str,
    go: &str,
    extra: &[(&str, &str)],
) -> Resp {
    let cols = mapping(page);
    let mut pairs: Vec<(String, String)> =
        cols.into_iter().map(|c| ("col".to_string(), c)).collect();
    let mut rest = page;
    while let Some(at) = rest.find("type=\"hidden\" name=\"s") {
        let tail = &rest[at + 20..];
        let name = &tail[..tail.find('"').unwrap()];
        pairs.push((name.to_string(), hidden(rest, name)));
        rest = tail;
    }
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    pairs.push(("go".into(), go.into()));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(s, path, &refs, true).await
}

/// Imports and waits for the result page.
async fn import(app: &App, s: &Sess, path: &str, page: &str, extra: &[(&str, &str)]) -> String {
    let r = decide(app, s, path, page, "import", extra).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for _ in 0..200 {
        let p = app.get(Some(s), path).await;
        if p.body.contains("取り込みました") {
            return p.body;
        }
        assert!(!p.body.contains("role=\"alert\""), "{}", p.body);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

async fn count(app: &App, a: Actor) -> u64 {
    let mut tx = app.store.read(a).await.unwrap();
    let f = clients::ClientFilter {
        q: String::new(),
        status: None,
        staff: clients::StaffFilter::Any,
        cert_within_days: None,
        today: yorisoi_store::today_jst(),
        sort: Default::default(),
        page: 0,
        per_page: 10,
    };
    let n = clients::list(&mut tx, &f).await.unwrap().1;
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_cp932_csv_with_full_width_digits_and_wareki_imports() {
    let app = app().await;
    let s = app.session(app.clerk).await;
    let before = count(&app, app.admin).await;
    let text = csv(&[
        "氏名,フリガナ,生年月日（和暦）,性別,障害種別,区分,受給者証番号,市町村,交付日,支給決定期間開始,支給決定期間終了,モニタリング期間".into(),
        "髙橋　一郎,タカハシ　イチロウ,Ｈ２．５．１２,男,知的障害・精神,区分３,１２３４５６７８９０,富津市,令和８年４月１日,R8.4.1,R9.3.31,3か月ごと".into(),
        "渡辺 ① 美,わたなべ みみ,昭和60年1月2日,女性,身体,,,,,,,".into(),
    ]);
    let (sjis, _, lossy) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!lossy);
    let (path, page) = upload(&app, &s, "台帳.csv", &sjis).await;
    assert!(!page.body.contains("直すところ"), "{}", page.body);
    assert!(page.body.contains("新規 2人"), "{}", page.body);
    let done = import(&app, &s, &path, &page.body, &[]).await;
    assert!(
        done.contains("新規 2人、更新 0人、読み飛ばし 0人、受給者証 1件"),
        "{done}"
    );
    assert_eq!(count(&app, app.admin).await, before + 2);
    let list = app.get(Some(&s), "/clients?q=たかはし").await;
    assert!(
        list.body.contains("髙橋 一郎") && list.body.contains("平成2年5月12日"),
        "{}",
        list.body
    );
    assert!(app.audit_actions().await.contains(&"import".to_string()));
    // The same file again: both are duplicates now, skipped unless chosen otherwise.
    let (path, page) = upload(&app, &s, "台帳.csv", &sjis).await;
    assert!(
        page.body.contains("受給者証番号が台帳の利用者と同じです"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("氏名と生年月日が台帳の利用者と同じです"),
        "{}",
        page.body
    );
    let done = import(&app, &s, &path, &page.body, &[]).await;
    assert!(
        done.contains("新規 0人、更新 0人、読み飛ばし 2人"),
        "{done}"
    );
    assert_eq!(count(&app, app.admin).await, before + 2);
}

#[tokio::test]
async fn two_hundred_rows_with_seven_wrong_report_all_seven_and_save_nothing() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let before = count(&app, app.admin).await;
    let mut lines = vec![
        "氏,名,氏（ふりがな）,名（ふりがな）,生年月日,性別,障害支援区分,受給者証番号".to_string(),
    ];
    for i in 0..200 {
        lines.push(format!(
            "試験,{i}郎,しけん,じろう,1980/1/{},男,区分2,",
            i % 28 + 1
        ));
    }
    // (row index in `lines`, column, bad value): the spreadsheet row is index + 1.
    let bad = [
        (5, 4, "きのう"),
        (20, 5, "不明な性"),
        (33, 6, "区分9"),
        (47, 2, "Shiken"),
        (88, 7, "12345"),
        (120, 4, "2026/2/30"),
        (199, 0, ""),
    ];
    for (row, col, v) in bad {
        let mut cells: Vec<String> = lines[row].split(',').map(str::to_string).collect();
        cells[col] = v.to_string();
        lines[row] = cells.join(",");
    }
    let (path, page) = upload(&app, &s, "big.csv", csv(&lines).as_bytes()).await;
    assert!(page.body.contains("直すところ（7行）"), "{}", page.body);
    for expected in [
        "6行目「生年月日」: 日付として読めません。2026/4/1 や R8.4.1 の形で入力してください。",
        "21行目「性別」: 性別は",
        "34行目「障害支援区分」: 障害支援区分は",
        "48行目「氏（ふりがな）」: ふりがなは",
        "89行目「受給者証番号」: 受給者証番号は10桁",
        "121行目「生年月日」: 存在しない日付です",
        "200行目「氏」:",
    ] {
        assert!(page.body.contains(expected), "{expected} in {}", page.body);
    }
    assert!(
        !page.body.contains("name=\"go\" value=\"import\""),
        "no import button"
    );
    let r = decide(&app, &s, &path, &page.body, "import", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("取り込んでいません"), "{}", r.body);
    assert_eq!(count(&app, app.admin).await, before, "nothing saved");
}

#[tokio::test]
async fn an_xlsx_with_date_cells_and_numbers_imports() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    let header = [
        "氏名",
        "ふりがな",
        "生年月日",
        "性別",
        "受給者証番号",
        "支給市町村",
        "交付年月日",
        "支給決定期間（開始）",
        "支給決定期間（終了）",
        "郵便番号",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "小林 恵").unwrap();
    ws.write_string(1, 1, "コバヤシ メグミ").unwrap();
    ws.write_date_with_format(1, 2, ExcelDateTime::from_ymd(1975, 8, 9).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 3, "女").unwrap();
    ws.write_number(1, 4, 1234567891.0).unwrap();
    ws.write_string(1, 5, "君津市").unwrap();
    ws.write_string(1, 6, "R8.4.1").unwrap();
    ws.write_date_with_format(1, 7, ExcelDateTime::from_ymd(2026, 4, 1).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 8, "令和9年3月31日").unwrap();
    ws.write_number(1, 9, 2930001.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let app = app().await;
    let s = app.session(app.lead).await;
    let (path, page) = upload(&app, &s, "台帳.xlsx", &bytes).await;
    assert!(!page.body.contains("直すところ"), "{}", page.body);
    let done = import(&app, &s, &path, &page.body, &[]).await;
    assert!(
        done.contains("新規 1人") && done.contains("受給者証 1件"),
        "{done}"
    );
    let list = app.get(Some(&s), "/clients?q=小林").await;
    assert!(list.body.contains("昭和50年8月9日"), "{}", list.body);
    // An old .xls and a broken file are refused in Japanese, never a 500.
    let r = app
        .upload(
            &s,
            "/clients/import/upload",
            true,
            "a.xls",
            &[0xD0, 0xCF, 0x11, 0xE0, 1, 2],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(".xlsx"), "{}", r.body);
    let r = app
        .upload(
            &s,
            "/clients/import/upload",
            true,
            "a.xlsx",
            b"PK\x03\x04broken",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_file_with_other_headers_is_mapped_by_hand_and_the_template_downloads() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let (status, t) = app.get_bytes(&s, "/clients/import/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&t[..3], &[0xEF, 0xBB, 0xBF]);
    let t = String::from_utf8(t[3..].to_vec()).unwrap();
    assert!(
        t.starts_with("氏,名,氏（ふりがな）") && t.contains("（記入例）"),
        "{t}"
    );
    // The template as downloaded: its example row is left out, nothing to import.
    let (_, page) = upload(&app, &s, "t.csv", t.as_bytes()).await;
    assert!(
        page.body.contains("記入例の行 1行は取り込みません"),
        "{}",
        page.body
    );
    // The Excel template too: read back by the import as it was written.
    let (status, x) = app.get_bytes(&s, "/clients/import/template.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(x.starts_with(b"PK\x03\x04"), "an .xlsx is a zip");
    let (_, page) = upload(&app, &s, "t.xlsx", &x).await;
    assert!(
        page.body.contains("記入例の行 1行は取り込みません"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"problems\""), "{}", page.body);
    let spec = app.session(app.spec).await;
    let (status, _) = app.get_bytes(&spec, "/clients/import/template.xlsx").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a specialist does not import"
    );
    let file = csv(&[
        "お名前,よみ,生まれた日,性別,メモ".into(),
        "森 陽介,もり ようすけ,S50.1.1,男,ひとこと".into(),
    ]);
    let (path, page) = upload(&app, &s, "other.csv", file.as_bytes()).await;
    assert_eq!(mapping(&page.body), vec!["", "", "", "sex", "notes"]);
    assert!(page.body.contains("氏名の列"), "{}", page.body);
    let cols = [
        ("col", "full_name"),
        ("col", "full_kana"),
        ("col", "birth_date"),
        ("col", "sex"),
        ("col", ""),
    ];
    let r = app
        .post(
            &s,
            &path,
            &[cols.as_slice(), &[("go", "preview")]].concat(),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(Some(&s), &path).await;
    assert_eq!(
        mapping(&page.body),
        vec!["full_name", "full_kana", "birth_date", "sex", ""]
    );
    assert!(!page.body.contains("直すところ"), "{}", page.body);
    let done = import(&app, &s, &path, &page.body, &[]).await;
    assert!(done.contains("新規 1人"), "{done}");
}

#[tokio::test]
async fn duplicates_are_updated_skipped_or_added_and_a_stale_update_is_refused() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let before = count(&app, app.admin).await;
    // The fixture's 青木 明子 (1981-03-02) twice, and someone new.
    let file = csv(&[
        "氏名,ふりがな,生年月日,性別,住所".into(),
        "青木 明子,あおき あきこ,S56.3.2,女,富津市新町1-1".into(),
        "青木 明子,あおき あきこ,1981/03/02,女,同姓同名の別人".into(),
        "新井 新,あらい あらた,2001/1/1,男,".into(),
    ]);
    let (path, page) = upload(&app, &s, "dup.csv", file.as_bytes()).await;
    assert!(
        page.body.contains("すでに台帳にいる人（2人）"),
        "{}",
        page.body
    );
    // Someone edits 青木さん after the preview: importing the update is refused as a conflict.
    let mut tx = app.store.begin(app.admin).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::Ledger, Action::Write)
        .await
        .unwrap();
    let c = clients::get(&mut tx, &acc).await.unwrap();
    let mut r = c.record.clone();
    r.phone = "0439-11-1111".into();
    clients::update(&mut tx, &acc, c.version, &r).await.unwrap();
    tx.commit().await.unwrap();
    let r = decide(
        &app,
        &s,
        &path,
        &page.body,
        "import",
        &[("d2", "update"), ("d3", "new")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("何も保存していません"), "{}", r.body);
    assert_eq!(count(&app, app.admin).await, before);
    // Read again, the same choices go through.
    let page = app.get(Some(&s), &path).await;
    let done = import(
        &app,
        &s,
        &path,
        &page.body,
        &[("d2", "update"), ("d3", "new")],
    )
    .await;
    assert!(
        done.contains("新規 2人、更新 1人、読み飛ばし 0人"),
        "{done}"
    );
    assert_eq!(count(&app, app.admin).await, before + 2);
    let mut tx = app.store.begin(app.admin).await.unwrap();
    let acc = tx
        .client_access(app.client, RecordKind::Ledger, Action::Write)
        .await
        .unwrap();
    let c = clients::get(&mut tx, &acc).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(c.record.address, "富津市新町1-1");
    // A bogus choice is a 400, not a 500.
    let (path, page) = upload(&app, &s, "dup.csv", file.as_bytes()).await;
    let r = decide(
        &app,
        &s,
        &path,
        &page.body,
        "import",
        &[("d2", "overwrite")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn only_those_who_write_the_whole_ledger_may_import() {
    let app = app().await;
    for a in [app.admin, app.lead, app.clerk] {
        let s = app.session(a).await;
        assert_eq!(
            app.get(Some(&s), "/clients/import").await.status,
            StatusCode::OK
        );
        assert!(
            app.get(Some(&s), "/clients")
                .await
                .body
                .contains("/clients/import")
        );
    }
    let file = csv(&[
        "氏名,ふりがな,生年月日,性別".into(),
        "森 陽介,もり ようすけ,S50.1.1,男".into(),
    ]);
    let spec = app.session(app.spec).await;
    assert_eq!(
        app.get(Some(&spec), "/clients/import").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get(Some(&spec), "/clients")
            .await
            .body
            .contains("/clients/import")
    );
    let r = app
        .upload(
            &spec,
            "/clients/import/upload",
            true,
            "a.csv",
            file.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Someone else's file, even an admin of another office or of this one: not found.
    let s = app.session(app.clerk).await;
    let (path, page) = upload(&app, &s, "a.csv", file.as_bytes()).await;
    let other = app.session(app.other_admin).await;
    assert_eq!(
        app.get(Some(&other), &path).await.status,
        StatusCode::NOT_FOUND
    );
    let admin = app.session(app.admin).await;
    assert_eq!(
        app.get(Some(&admin), &path).await.status,
        StatusCode::NOT_FOUND
    );
    let r = decide(&app, &other, &path, &page.body, "import", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The upload checks its CSRF token itself.
    let r = app
        .upload(
            &s,
            "/clients/import/upload",
            false,
            "a.csv",
            file.as_bytes(),
        )
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    // A clerk may not set 担当 (that is the admin's and lead's).
    let file = csv(&[
        "氏名,ふりがな,生年月日,性別,担当".into(),
        "森 陽介,もり ようすけ,S50.1.1,男,職員 spec".into(),
    ]);
    let (_, page) = upload(&app, &s, "a.csv", file.as_bytes()).await;
    assert!(
        page.body.contains("2行目「担当」: 担当を決められるのは"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_ledger_export_imports_into_an_empty_ledger_and_exports_the_same() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let (_, exported) = app.get_bytes(&s, "/exports/clients").await;
    // The other office's ledger is empty; its staff have the same names, so 担当 carries.
    let other = app.session(app.other_admin).await;
    assert_eq!(count(&app, app.other_admin).await, 0);
    let (path, page) = upload(&app, &other, "export.csv", &exported).await;
    assert!(!page.body.contains("直すところ"), "{}", page.body);
    let done = import(&app, &other, &path, &page.body, &[]).await;
    assert!(done.contains("読み飛ばし 0人"), "{done}");
    let (_, again) = app.get_bytes(&other, "/exports/clients").await;
    // 利用者ID is the new ledger's own; 支給決定期間の終了 comes from a certificate, which the
    // ledger CSV does not carry (the certificates come in by the import's certificate columns).
    let strip = |b: &[u8]| -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&b[3..]);
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                let n = rec.len();
                rec.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 0 && *i != n - 1)
                    .map(|(_, v)| v.to_string())
                    .collect()
            })
            .collect()
    };
    let (a, b) = (strip(&exported), strip(&again));
    assert!(a.len() > 2, "{a:?}");
    assert_eq!(a, b);
}

/// The file as the body of `POST /api/v1/clients/import{query}` with `token`.
async fn api_import(
    app: &App,
    token: &str,
    query: &str,
    bytes: &[u8],
) -> (StatusCode, serde_json::Value) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let req = Request::post(format!("/api/v1/clients/import{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    let r = app.send(req).await;
    (r.status, serde_json::from_str(&r.body).unwrap_or_default())
}

#[tokio::test]
async fn the_api_imports_a_cp932_file_reports_every_problem_and_refuses_who_may_not() {
    let app = app().await;
    let token = app.token(app.clerk).await;
    let before = count(&app, app.admin).await;
    let head = "氏名,フリガナ,生年月日,性別,障害種別,区分";
    let bad = csv(&[
        head.into(),
        "森田 春樹,モリタ ハルキ,Ｓ６２．３．４,男,知的障害,区分３".into(),
        "小川 紗季,オガワ サキ,13月ごろ,女,精神,2".into(),
        "中島 大和,ナカジマ ヤマト,1990/12/10,男性,身体,区分9".into(),
    ]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&bad);
    let (st, b) = api_import(&app, &token, "", &sjis).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["error"], "invalid_file");
    let rows: Vec<u64> = b["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert!(
        rows.contains(&3) && rows.contains(&4),
        "both wrong rows: {b}"
    );
    assert!(
        b["rows"][0]["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{3000}')
    );
    assert_eq!(count(&app, app.admin).await, before, "nothing saved");

    let good = bad
        .replace("13月ごろ", "平成10年7月20日")
        .replace("区分9", "区分4");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&good);
    let (st, b) = api_import(&app, &token, "?dry_run=true", &sjis).await;
    assert_eq!(
        (st, b["created"].as_u64(), b["dry_run"].as_bool()),
        (StatusCode::OK, Some(3), Some(true)),
        "{b}"
    );
    assert_eq!(
        count(&app, app.admin).await,
        before,
        "a dry run saves nothing"
    );
    let (st, b) = api_import(&app, &token, "", &sjis).await;
    assert_eq!(
        (st, b["created"].as_u64()),
        (StatusCode::OK, Some(3)),
        "{b}"
    );
    assert_eq!(count(&app, app.admin).await, before + 3);
    let (st, b) = api_import(&app, &token, "", &sjis).await;
    assert_eq!(
        (st, b["skipped"].as_u64()),
        (StatusCode::OK, Some(3)),
        "duplicates skipped by default: {b}"
    );
    let (st, b) = api_import(&app, &token, "?duplicates=maybe", &sjis).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["fields"]["duplicates"].is_string());
    assert!(app.audit_actions().await.contains(&"import".to_string()));

    // A specialist (her own clients only): not found, nothing saved. Another office's admin
    // imports into that office, never this one.
    let t = app.token(app.spec).await;
    let (st, _) = api_import(&app, &t, "", &sjis).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let t = app.token(app.other_admin).await;
    let (st, b) = api_import(&app, &t, "", &sjis).await;
    assert_eq!(
        (st, b["created"].as_u64()),
        (StatusCode::OK, Some(3)),
        "{b}"
    );
    assert_eq!(count(&app, app.admin).await, before + 3);
}

/// Care-team members from a spreadsheet: whose team by name and birth date (in 和暦), every
/// problem with nothing saved, then all in; the same again skips them; the clerk (no team
/// content) and a specialist are refused.
#[tokio::test]
async fn care_team_members_are_imported_to_the_right_clients_team() {
    let app = app().await;
    let s = app.session(app.admin).await;
    let page = app.get(Some(&s), "/clients/import").await;
    assert!(page.body.contains("ケアチームを取り込む"));
    let head = "利用者氏名,利用者の生年月日,関係,氏名,所属,電話,役割";
    let bad = csv(&[
        head.into(),
        "青木 明子,S56.3.2,母,青木 花,,090-0000-1111,通院の付き添い".into(),
        "青木 明子,S56.3.9,作業所,田中 一,ひかり作業所,,".into(),
        "青木 明子,昭和56年3月2日,宇宙人,木村 二,,,".into(),
    ]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&bad);
    let r = app
        .upload(&s, "/clients/import/team", true, "チーム.csv", &sjis)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("直すところが2件あります"), "{}", r.body);
    assert!(
        r.body.contains("3行目「利用者氏名」") && r.body.contains("4行目「関係」"),
        "{}",
        r.body
    );
    let team = format!("/clients/{}/team", app.client);
    let before = app.get(Some(&s), &team).await.body;
    assert!(
        !before.contains("通院の付き添い"),
        "nothing saved: {before}"
    );

    let good = bad
        .replace("S56.3.9", "1981-03-02")
        .replace("宇宙人", "クリニック");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&good);
    let r = app
        .upload(&s, "/clients/import/team", true, "チーム.csv", &sjis)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新規 3件、読み飛ばし 0件"), "{}", r.body);
    let t = app.get(Some(&s), &team).await;
    assert!(
        t.body.contains("青木 花") && t.body.contains("ひかり作業所") && t.body.contains("木村 二"),
        "{}",
        t.body
    );
    let r = app
        .upload(&s, "/clients/import/team", true, "チーム.csv", &sjis)
        .await;
    assert!(r.body.contains("新規 0件、読み飛ばし 3件"), "{}", r.body);

    // The clerk keeps the ledger but not the teams; a specialist sees only her own clients.
    for who in [app.clerk, app.spec] {
        let c = app.session(who).await;
        let r = app
            .upload(&c, "/clients/import/team", true, "チーム.csv", &sjis)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?}");
        let t = app.token(who).await;
        let req = axum::http::Request::post("/api/v1/clients/import/team")
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"))
            .body(axum::body::Body::from(good.clone().into_bytes()))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::NOT_FOUND, "{who:?}");
    }
    // The API (a dry run by the lead): all three are on the team already.
    let t = app.token(app.lead).await;
    let req = axum::http::Request::post("/api/v1/clients/import/team?dry_run=true")
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"))
        .body(axum::body::Body::from(good.into_bytes()))
        .unwrap();
    let r = app.send(req).await;
    let b: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (r.status, b["skipped"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(3)),
        "{b}"
    );
}
