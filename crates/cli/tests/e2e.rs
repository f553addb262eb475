//! End-to-end in a real headless Chromium (Debian's chromium + chromedriver), against the real
//! `yorisoi demo`: sign in, find Aさん by typing ふりがな, add a case note, see it in the list.
//! Screenshots go to `e2e-artifacts/` at the workspace root.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::{Guard, PASSWORD, demo, demo_printed, free_port};

fn tool(name: &str) -> Option<PathBuf> {
    ["/usr/bin", "/usr/local/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn browser(guard: &mut Guard, profile: &Path) -> Option<Client> {
    let (Some(driver), Some(chromium)) = (tool("chromedriver"), tool("chromium")) else {
        if std::env::var_os("CI").is_some() {
            panic!("CI needs chromium and chromedriver (apt-get install chromium chromium-driver)");
        }
        eprintln!("SKIP e2e: chromium/chromedriver not installed");
        return None;
    };
    // fantoccini's rustls needs a process-wide crypto provider (ignore "already installed").
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    guard.0.push(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.display())]
        }
    }))
    .unwrap();
    for _ in 0..50 {
        if let Ok(c) = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return Some(c);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not answer");
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
}

async fn sign_in(c: &Client, base: &str, login: &str) {
    sign_in_with(c, base, login, PASSWORD).await;
}

async fn sign_in_with(c: &Client, base: &str, login: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    type_password(c, login, password).await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
}

/// Fills the sign-in page's login and password and submits them.
async fn type_password(c: &Client, login: &str, password: &str) {
    c.find(Locator::Id("login"))
        .await
        .unwrap()
        .send_keys(login)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_finds_a_san_by_furigana_and_writes_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    let home = c.source().await.unwrap();
    assert!(
        home.contains("今日の確認") && home.contains("千葉 ひなた"),
        "the expiring certificate is on the home screen"
    );
    shot(&c, "01-home").await;

    // Find Aさん by typing her ふりがな in katakana (stored in hiragana).
    c.goto(&format!("{base}/clients")).await.unwrap();
    c.find(Locator::Id("q"))
        .await
        .unwrap()
        .send_keys("アオキ")
        .await
        .unwrap();
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::LinkText("青木 明子"))
        .await
        .unwrap();
    let list = c.source().await.unwrap();
    assert!(
        !list.contains("馬場 大輔"),
        "only matching clients are listed"
    );
    shot(&c, "02-search-aoki").await;
    c.find(Locator::LinkText("青木 明子"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("notes")).await.unwrap();

    // A note without a kind is refused; what was typed stays.
    let content = "モニタリングの日程を電話で調整。「来週の木曜なら大丈夫」と本人。";
    c.find(Locator::Id("f-content"))
        .await
        .unwrap()
        .send_keys(content)
        .await
        .unwrap();
    c.find(Locator::Css("form.quicknote button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The refusal is summarised at the top of the page, linking to the field, and has the focus.
    c.wait()
        .for_element(Locator::Css("main > #error-summary a[href='#f-kind']"))
        .await
        .unwrap();
    let mut focused = String::new();
    for _ in 0..30 {
        focused = c
            .execute("return document.activeElement.id;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        if focused == "error-summary" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(focused, "error-summary");
    let kept = c
        .find(Locator::Id("f-content"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, content);
    shot(&c, "03-note-rejected").await;

    // Choose the kind and save; the note is first in the list.
    c.find(Locator::Css("#f-kind option[value=phone]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("f-counterpart"))
        .await
        .unwrap()
        .send_keys("本人")
        .await
        .unwrap();
    c.find(Locator::Id("f-minutes"))
        .await
        .unwrap()
        .send_keys("１０")
        .await
        .unwrap();
    c.find(Locator::Css("form.quicknote button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    let first = c
        .find(Locator::Css("ol.notes li"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        first.contains(content) && first.contains("電話") && first.contains("10分"),
        "{first}"
    );
    shot(&c, "04-note-added").await;
    // The same page on a tablet held upright (820 px): nothing wider than the screen.
    c.set_window_size(820, 1180).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    shot(&c, "04b-client-tablet").await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "the client page is {overflow} px wider than a tablet"
    );
    c.set_window_size(1280, 1000).await.unwrap();

    // And it can be found again by a word in it.
    c.goto(&format!(
        "{}?q=%E6%9C%A8%E6%9B%9C",
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .split(['?', '#'])
            .next()
            .unwrap()
    ))
    .await
    .unwrap();
    let found = c
        .find(Locator::Css("ol.notes"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(found.contains("来週の木曜") && !found.contains("お薬カレンダー"));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_and_another_office_see_only_what_they_may() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "jimu").await;
    c.goto(&format!("{base}/clients/1")).await.unwrap();
    let page = c.source().await.unwrap();
    assert!(
        page.contains("青木 明子") && page.contains("受給者証") && !page.contains("支援経過記録"),
        "clerk: ledger yes, notes no"
    );
    shot(&c, "05-clerk-client").await;
    c.find(Locator::Css("form.inline button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap(); // ログアウト
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    sign_in(&c, &base, "minato-kanri").await;
    c.goto(&format!("{base}/clients/1")).await.unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("見つかりません") && !page.contains("青木"));
    shot(&c, "06-other-office-404").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_adds_a_family_member_and_sees_the_genogram_redrawn() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    to_a_sans_latest_assessment(&c, &base).await;
    let sheet = c.source().await.unwrap();
    for part in [
        "基本情報",
        "希望",
        "ジェノグラム",
        "生活歴",
        "能力",
        "エコマップ",
        "日課",
        "医療情報",
        "生活サイクル",
        "ストレングス",
        "デマンドとニーズ",
        "A型で働きたい",
    ] {
        assert!(sheet.contains(part), "the sheet shows {part}");
    }
    assert!(sheet.contains("第2版"), "the re-assessment is the latest");
    c.set_window_size(1400, 5200).await.unwrap();
    shot(&c, "10-assessment-sheet").await;
    c.set_window_size(1280, 1000).await.unwrap();

    // Edit → 家族構成: the genogram has six people; add a niece in the first blank row.
    c.find(Locator::LinkText("編集する"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::LinkText("家族構成"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".drawings svg.genogram"))
        .await
        .unwrap();
    let people = |src: &str| src.matches("class=\"person").count();
    assert_eq!(people(&c.source().await.unwrap()), 6);
    let relation = c
        .find_all(Locator::Css("input[name=member_relation]"))
        .await
        .unwrap();
    let sexes = c
        .find_all(Locator::Css("select[name=member_sex]"))
        .await
        .unwrap();
    let years = c
        .find_all(Locator::Css("input[name=member_birth_year]"))
        .await
        .unwrap();
    relation[6].send_keys("姪").await.unwrap();
    sexes[6].select_by_value("female").await.unwrap();
    years[6].send_keys("平成22").await.unwrap();
    c.find(Locator::Css("form.form .actions button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    let after = c.source().await.unwrap();
    assert_eq!(people(&after), 7, "the genogram is redrawn with her");
    assert!(after.contains("姪"));
    // Link her to her father, the brother (key 4), in the first blank link row.
    let kinds = c
        .find_all(Locator::Css("select[name=link_kind]"))
        .await
        .unwrap();
    let froms = c
        .find_all(Locator::Css("select[name=link_from]"))
        .await
        .unwrap();
    let tos = c
        .find_all(Locator::Css("select[name=link_to]"))
        .await
        .unwrap();
    let n = kinds.len() - 3;
    kinds[n].select_by_value("parent_child").await.unwrap();
    froms[n].select_by_value("4").await.unwrap();
    tos[n].select_by_value("7").await.unwrap();
    c.find(Locator::Css("form.form .actions button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    let svg = c
        .find(Locator::Css(".drawings svg.genogram"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(svg.contains("data-key=\"7\"") && svg.contains("姪"));
    c.set_window_size(1280, 2600).await.unwrap();
    shot(&c, "11-genogram-redrawn").await;
    c.close().await.unwrap();
}

/// From the client list (searched by ふりがな) to Aさん's case and its latest assessment sheet.
async fn to_a_sans_latest_assessment(c: &Client, base: &str) {
    c.goto(&format!("{base}/clients?q=%E3%81%82%E3%81%8A%E3%81%8D"))
        .await
        .unwrap();
    c.find(Locator::LinkText("青木 明子"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::LinkText("働きたいAさん"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(c, "ul.versions a").await;
    c.wait().for_element(Locator::Css(".sheet")).await.unwrap();
}

/// Clicks the element and waits for the next page's `.notice` or `.alert`.
async fn submit_and_wait(c: &Client, css: &str) -> String {
    // Mark the page being left: the page before may itself carry a notice, so wait for the
    // next page's body, then for its notice.
    c.execute("document.body.dataset.left = '1';", vec![])
        .await
        .unwrap();
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("body:not([data-left]) :is(.notice, .alert)"))
        .await
        .unwrap();
    c.source().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_takes_a_sans_changed_plan_through_the_meeting_to_final() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    c.goto(&format!("{base}/clients?q=%E3%81%82%E3%81%8A%E3%81%8D"))
        .await
        .unwrap();
    c.find(Locator::LinkText("青木 明子"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::LinkText("働きたいAさん"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The newest plan is the 計画変更 drafted after the re-assessment.
    c.wait()
        .for_element(Locator::Css("a[href^='/plans/']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".plan-doc"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("第2版") && page.contains("計画案"));
    assert!(
        page.contains("A型で働きたい"),
        "the person's words lead the plan"
    );

    // 編集する → 意向・方針・目標, then 保存して次へ to the rows.
    c.find(Locator::LinkText("編集する"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let policy = c
        .wait()
        .for_element(Locator::Css("textarea[name=policy]"))
        .await
        .unwrap();
    policy
        .send_keys("体験の感想を本人と振り返りながら進めます。")
        .await
        .unwrap();
    let src = submit_and_wait(&c, "button[name=then]").await;
    assert!(src.contains("保存しました"));
    // The A型 row needs its provider before the plan can be final.
    let providers = c
        .find_all(Locator::Css("input[name=row_provider]"))
        .await
        .unwrap();
    providers[0]
        .send_keys("はばたきワークス 田村（0120-111-002）")
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "rows saved");
    c.find(Locator::LinkText("計画に戻る"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The draft's consent, signed after the explanation.
    c.wait()
        .for_element(Locator::Css("form#consent"))
        .await
        .unwrap();
    c.find(Locator::Css("form#consent input[name=signer]"))
        .await
        .unwrap()
        .send_keys("青木 明子")
        .await
        .unwrap();
    c.find(Locator::Css("form#consent input[name=explained]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form#consent button[type=submit]").await;
    assert!(src.contains("同意を記録しました"), "draft consent");

    // The meeting: everyone in the team is invited; all are covered by her consent.
    c.find(Locator::LinkText("サービス担当者会議を予定・記録する"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("textarea[name=conclusions]"))
        .await
        .unwrap();
    let meeting = c.source().await.unwrap();
    assert!(
        !meeting.contains("badge warn"),
        "every participant has consent"
    );
    for a in c
        .find_all(Locator::Css("input[name=attended]"))
        .await
        .unwrap()
    {
        a.click().await.unwrap();
    }
    c.find(Locator::Css("input[name=place]"))
        .await
        .unwrap()
        .send_keys("本人宅")
        .await
        .unwrap();
    c.find(Locator::Css("textarea[name=cannot_do]"))
        .await
        .unwrap()
        .send_keys("A型の体験中に休日の相談先がない")
        .await
        .unwrap();
    c.find(Locator::Css("textarea[name=conclusions]"))
        .await
        .unwrap()
        .send_keys("A型の体験利用を始める。")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=held]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("会議済"),
        "the meeting moves the plan on: {src}"
    );
    c.set_window_size(1400, 2600).await.unwrap();
    shot(&c, "12-meeting-recorded").await;
    c.set_window_size(1280, 1000).await.unwrap();

    // Back to the plan: not final yet — the plan date and her signature are missing.
    c.find(Locator::LinkText("計画に戻る"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".plan-doc"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("本計画にする前に") && src.contains("計画作成日"));
    c.find(Locator::LinkText("編集する"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let decided = c
        .wait()
        .for_element(Locator::Css("input[name=decided_on]"))
        .await
        .unwrap();
    let today = chrono::Local::now().date_naive();
    decided
        .send_keys(&format!(
            "令和{}年{}月{}日",
            chrono::Datelike::year(&today) - 2018,
            chrono::Datelike::month(&today),
            chrono::Datelike::day(&today)
        ))
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "the 和暦 date is read");
    c.find(Locator::LinkText("計画に戻る"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form#consent"))
        .await
        .unwrap();
    c.find(Locator::Css("form#consent input[name=signer]"))
        .await
        .unwrap()
        .send_keys("青木 明子")
        .await
        .unwrap();
    c.find(Locator::Css("form#consent input[name=explained]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form#consent button[type=submit]").await;
    assert!(src.contains("同意を記録しました"), "final consent");
    let src = submit_and_wait(&c, "form[action$='/state'] button").await;
    assert!(
        src.contains("計画の状態を変えました") && src.contains("state-final"),
        "final"
    );
    assert!(src.contains("実施（事業所の決定・契約・個別支援計画）"));
    c.set_window_size(1400, 4000).await.unwrap();
    shot(&c, "13-plan-final").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_a_sans_monitoring_and_reassessment_opens_a_new_version() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    c.goto(&format!("{base}/")).await.unwrap();
    let home = c.source().await.unwrap();
    assert!(
        home.contains("今月のモニタリング") && home.contains("青木 明子"),
        "Aさん's month is due on the dashboard"
    );
    c.set_window_size(1280, 1300).await.unwrap();
    shot(&c, "14-dashboard").await;
    c.find(Locator::Css("#due a.button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("textarea[name=goal_person_view]"))
        .await
        .unwrap();
    let form = c.source().await.unwrap();
    assert!(
        form.contains("前回"),
        "the previous report is beside each goal"
    );
    c.find(Locator::Css("textarea[name=person_words]"))
        .await
        .unwrap()
        .send_keys("「A型の見学に行きたい。お金のことも心配」")
        .await
        .unwrap();
    c.find(Locator::Css("textarea[name=goal_person_view]"))
        .await
        .unwrap()
        .send_keys("「薬は忘れなくなった」")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=outcome][value=reassess]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(
        "input[name=reassess_reasons][value=needs_changed]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("再アセスメントの新しい版を作りました"),
        "recorded with the outcome"
    );
    c.set_window_size(1280, 1000).await.unwrap();
    shot(&c, "15-monitoring-recorded").await;
    c.find(Locator::LinkText("新しいアセスメントの版"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css(".sheet")).await.unwrap();
    let sheet = c.source().await.unwrap();
    assert!(
        sheet.contains("第3版"),
        "the re-assessment is the third version"
    );
    assert!(
        sheet.contains("A型で働きたい"),
        "copied from the last version"
    );
}

/// Sets the `i`-th field named `name` (a blank grid row, say) to `text`.
async fn fill_nth(c: &Client, name: &str, i: usize, text: &str) {
    let all = c
        .find_all(Locator::Css(&format!("[name={name}]")))
        .await
        .unwrap();
    assert!(all.len() > i, "{name}: only {} fields", all.len());
    all[i].send_keys(text).await.unwrap();
}

async fn fill(c: &Client, name: &str, text: &str) {
    fill_nth(c, name, 0, text).await;
}

async fn choose(c: &Client, name: &str, i: usize, value: &str) {
    let all = c
        .find_all(Locator::Css(&format!("select[name={name}]")))
        .await
        .unwrap();
    all[i].select_by_value(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_sans_decision_support_looks_back_after_the_move() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    // The demo's "today" is Japan's date.
    let today = (chrono::Utc::now() + chrono::Duration::hours(9)).date_naive();
    sign_in(&c, &base, "suzuki").await;
    c.goto(&format!("{base}/")).await.unwrap();
    let home = c.source().await.unwrap();
    assert!(
        home.contains("意思決定支援の次の会議") && home.contains("施設入所を続けるか"),
        "the look back after the move, due today, is on the dashboard"
    );
    c.find(Locator::Css("#follow-ups ul.items a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#will")).await.unwrap();
    let record = c.source().await.unwrap();
    assert!(record.contains("グループホームさくら（地域移行支援による体験利用）"));
    assert!(
        record.contains("玄関で靴を履かずに座り込んだ"),
        "the trial's days"
    );
    assert!(
        record.contains("グループホームさくらへ移る") && record.contains("推定に基づく"),
        "the decision, and that it was estimated"
    );
    c.set_window_size(1280, 2400).await.unwrap();
    shot(&c, "16-decision-support-after-the-move").await;
    let id = c
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_start_matches("/decisions/")
        .to_string();

    // The look back: a third meeting, who came and what each has seen since the move.
    c.goto(&format!("{base}/decisions/{id}/edit/meetings"))
        .await
        .unwrap();
    let day = today.to_string();
    fill_nth(&c, "meeting_held_on", 2, &day).await;
    fill_nth(&c, "meeting_purpose", 2, "移行後の振り返り").await;
    fill_nth(
        &c,
        "meeting_discussion",
        2,
        "入居後の記録を共有。夜はよく眠れ、買い物と簡単な調理を続けている。休日の外出先がない。",
    )
    .await;
    fill_nth(
        &c,
        "meeting_agreed",
        2,
        "GHでの暮らしを続ける。休日の外出を支える移動支援を探す。",
    )
    .await;
    fill_nth(&c, "participant_held_on", 9, &day).await;
    fill_nth(&c, "participant_name", 9, "成年後見人 森 和也").await;
    fill_nth(&c, "participant_role", 9, "成年後見人").await;
    fill_nth(
        &c,
        "participant_knows",
        9,
        "会いに行くと、自分でお茶を入れて出してくれた。",
    )
    .await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "meeting saved");

    // 本人の意思: an estimate whose grounds are removed is refused and nothing typed is lost.
    c.goto(&format!("{base}/decisions/{id}/edit/will"))
        .await
        .unwrap();
    let grounds = c
        .wait()
        .for_element(Locator::Css("textarea[name=grounds]"))
        .await
        .unwrap();
    grounds.clear().await.unwrap();
    let will = c
        .find(Locator::Css("textarea[name=estimated_will]"))
        .await
        .unwrap();
    will.send_keys("移ったあとも、ここで暮らしたい。")
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("根拠が必要です"),
        "an estimate needs its grounds"
    );
    assert!(src.contains("移ったあとも、ここで暮らしたい。"), "kept");
    c.set_window_size(1280, 1800).await.unwrap();
    shot(&c, "17-estimate-needs-grounds").await;
    fill(
        &c,
        "grounds",
        "体験中と入居後の表情と行動、戻ってからの絵カードの選択、帰省時の生活史。参加者全員の見立てが一致した。",
    )
    .await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "the will with its grounds");

    // 意思実現: the decision stands; the next look back in six months.
    c.goto(&format!("{base}/decisions/{id}/edit/decision"))
        .await
        .unwrap();
    let next = (today + chrono::Duration::days(180)).to_string();
    c.wait()
        .for_element(Locator::Css("input[name=follow_up_on]"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    fill(&c, "follow_up_on", &next).await;
    let src = submit_and_wait(&c, "button[name=then][value=record]").await;
    assert!(src.contains("グループホームさくらへ移る"));
    assert!(
        src.contains("推定に基づく"),
        "the decision says it was estimated"
    );
    let current = c
        .find(Locator::Css("#question ol.steps li.current"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(current, "意思実現");
    shot(&c, "18-decision-looked-back").await;

    // The case's timeline tells the story in order.
    c.find(Locator::LinkText("ケース"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#decisions"))
        .await
        .unwrap();
    c.find(Locator::LinkText("経過の一覧（タイムライン）"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#timeline"))
        .await
        .unwrap();
    choose(&c, "kind", 0, "decision").await;
    choose(&c, "order", 0, "old").await;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#f-kind option[value=decision][selected]"))
        .await
        .unwrap();
    let titles: Vec<String> = {
        let mut v = Vec::new();
        for e in c.find_all(Locator::Css("#timeline li > a")).await.unwrap() {
            v.push(e.text().await.unwrap());
        }
        v
    };
    assert_eq!(
        titles.first().map(String::as_str),
        Some("意思決定支援を開始「施設入所を続けるか、グループホームに移るか」")
    );
    let decided = titles
        .iter()
        .position(|t| t == "決定「施設入所を続けるか、グループホームに移るか」")
        .expect("the decision is on the timeline");
    let trial = titles
        .iter()
        .position(|t| t.starts_with("体験の開始"))
        .expect("the trial is on the timeline");
    assert!(trial < decided, "{titles:?}");
    assert_eq!(
        titles.last().map(String::as_str),
        Some("移行後の振り返り"),
        "{titles:?}"
    );
    c.set_window_size(1280, 1400).await.unwrap();
    shot(&c, "19-case-timeline").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_prints_a_sans_plan_and_a_months_reports_as_one_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    c.goto(&format!("{base}/plans/1")).await.unwrap();
    let page = c.source().await.unwrap();
    for link in [
        "/plans/1/pdf/plan",
        "/plans/1/pdf/week",
        "/plans/1/pdf/easy_plan",
    ] {
        assert!(page.contains(link), "plan page links {link}");
    }
    shot(&c, "20-plan-pdf-links").await;
    // The browser's own session downloads the easy-read plan.
    let got = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/plans/1/pdf/easy_plan').then(async r => {
               const b = new Uint8Array(await r.arrayBuffer());
               done([r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 5)), b.length]);
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(got[0], 200);
    assert_eq!(got[1], "application/pdf");
    assert_eq!(got[2], "%PDF-");
    assert!(got[3].as_u64().unwrap() > 10_000);
    // Every demo document, kept as PDF and PNG pages beside the screenshots to be looked at.
    for (url, name) in [
        ("/plans/1/pdf/plan", "doc-plan"),
        ("/plans/1/pdf/week", "doc-week"),
        ("/plans/1/pdf/easy_plan", "doc-easy-plan"),
        ("/assessments/1/pdf", "doc-assessment"),
        ("/monitorings/1/pdf", "doc-monitoring"),
        ("/meetings/1/pdf", "doc-meeting"),
    ] {
        pdf_as_pictures(&c, url, name).await;
    }
    // 一括印刷: the month's monitoring reports of her clients, with the progress page refreshing
    // itself until the PDF (or the answer that there is none) is there.
    c.goto(&format!("{base}/documents/batch")).await.unwrap();
    c.find(Locator::Css("input[value=monitorings]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.card button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("a[href$='/pdf'], div.card p.error"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(
        page.contains("件のPDFができました") || page.contains("当たる記録はありませんでした"),
        "the job finished: {page}"
    );
    shot(&c, "21-batch-done").await;
    c.close().await.unwrap();
}

/// The current TOTP code for a secret typed in groups (as the page shows it), `ahead` steps on.
/// The text of the QR code in a PNG, read by zbarimg (Debian's zbar-tools); `None` only where
/// it is not installed and not on CI.
fn read_qr(png: &Path) -> Option<String> {
    let out = match Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs zbarimg (apt install zbar-tools): {e}"
            );
            return None;
        }
    };
    assert!(
        out.status.success(),
        "no QR code found in {}",
        png.display()
    );
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn totp_now(secret_grouped: &str, ahead: i64) -> String {
    use yorisoi_domain::second_factor::{base32_decode, code_at, step_at};
    let secret = base32_decode(secret_grouped).expect("a base32 secret");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    code_at(&secret, step_at(now) + ahead)
}

async fn type_code_and_submit(c: &Client, code: &str) {
    c.find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys(code)
        .await
        .unwrap();
    c.execute("document.body.dataset.left = '1';", vec![])
        .await
        .unwrap();
    c.find(Locator::Css("form:has(#code) button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("body:not([data-left])"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_sets_up_totp_and_signs_in_with_password_and_code() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let (base, printed) = demo_printed(&mut guard, &tmp.path().join("demo"), None);
    sign_in(&c, &base, "suzuki").await;
    c.find(Locator::Css("a[href='/account/second-factor']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form[action='/account/second-factor/start']"))
        .await
        .unwrap();
    c.find(Locator::Css(
        "form[action='/account/second-factor/start'] button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let secret = c
        .wait()
        .for_element(Locator::Id("secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(secret.split(' ').count(), 8, "in groups of 4: {secret}");
    assert!(c.source().await.unwrap().contains("<svg"));
    for (w, h, name) in [
        (1366, 1100, "30-totp-setup-1366"),
        (820, 1180, "31-totp-setup-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        let wide: i64 = c
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        assert!(wide <= i64::from(w), "{name}: {wide} px wide");
        shot(&c, name).await;
        // The QR code yorisoi drew, read from the screenshot by a reader others wrote (zbar,
        // from Debian), carries this account's secret: what an authenticator app would scan.
        if let Some(uri) = read_qr(&artifacts().join(format!("{name}.png"))) {
            assert!(uri.starts_with("otpauth://totp/yorisoi:"), "{uri}");
            assert!(
                uri.contains(&format!("secret={}", secret.replace(' ', ""))),
                "{uri}"
            );
            assert!(
                uri.contains("digits=6") && uri.contains("period=30"),
                "{uri}"
            );
        }
    }
    c.set_window_size(1366, 1100).await.unwrap();
    type_code_and_submit(&c, &totp_now(&secret, 0)).await;
    let page = c.source().await.unwrap();
    assert!(page.contains("状態: 有効"), "enabled");
    assert_eq!(page.matches("<li><code>").count(), 10, "ten recovery codes");
    shot(&c, "32-totp-recovery-codes").await;
    // Sign out, then the password alone is not enough: the second step asks for the code.
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    type_password(&c, "suzuki", PASSWORD).await;
    c.wait().for_element(Locator::Id("code")).await.unwrap();
    assert!(c.current_url().await.unwrap().path() == "/login/second-factor");
    for (w, h, name) in [
        (1366, 900, "33-totp-step-1366"),
        (820, 1180, "34-totp-step-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        shot(&c, name).await;
    }
    c.set_window_size(1366, 1000).await.unwrap();
    // The code used to confirm is spent: the next step's is accepted (±1 step).
    type_code_and_submit(&c, &totp_now(&secret, 1)).await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
    assert!(c.source().await.unwrap().contains("鈴木 健一"));
    shot(&c, "35-totp-signed-in").await;
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    // The demo's own account with a second factor, from the URI the demo printed.
    let uri = printed
        .iter()
        .find_map(|l| l.strip_prefix("otpauth://"))
        .expect("the demo prints an otpauth:// URI");
    let demo_secret = uri
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap();
    type_password(&c, "ito", PASSWORD).await;
    c.wait().for_element(Locator::Id("code")).await.unwrap();
    type_code_and_submit(&c, &totp_now(demo_secret, 0)).await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
    assert!(c.source().await.unwrap().contains("伊藤 直子"));
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    // The admin sees the policy page and who has set it up.
    sign_in(&c, &base, "kanri").await;
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("二段階認証の設定が必要です"),
        "the admin is asked on ホーム during the grace period"
    );
    c.goto(&format!("{base}/admin/second-factor"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("二段階認証の方針") && page.contains("設定済み"));
    for (w, h, name) in [
        (1366, 1000, "36-totp-policy-1366"),
        (820, 1180, "37-totp-policy-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        let wide: i64 = c
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        assert!(wide <= i64::from(w), "{name}: {wide} px wide");
        shot(&c, name).await;
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_the_log_prove_itself_and_issues_a_read_only_token() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "kanri").await;
    c.set_window_size(1366, 900).await.unwrap();
    c.goto(&format!("{base}/admin/audit?verify=1"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("連鎖が正しいことを確認しました"), "{page}");
    // The server wrote a signed checkpoint at start, outside the database.
    assert!(page.contains("最新の署名付きチェックポイント"), "{page}");
    c.find(Locator::Css("details.checkpoint summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shot(&c, "40-audit-verified").await;
    c.set_window_size(820, 1180).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    shot(&c, "40b-audit-tablet").await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "the audit page is {overflow} px wider than a tablet"
    );
    c.set_window_size(1366, 900).await.unwrap();

    c.goto(&format!("{base}/admin/tokens")).await.unwrap();
    c.find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("集計ソフト")
        .await
        .unwrap();
    c.find(Locator::Id("days"))
        .await
        .unwrap()
        .send_keys("３０")
        .await
        .unwrap();
    let page = submit_and_wait(&c, "form[action='/admin/tokens'] button[type=submit]").await;
    let token = page
        .split("<code class=\"token\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .expect("the new token, shown once")
        .to_string();
    assert!(page.contains("読み取りのみ") && page.contains("有効期限"));
    shot(&c, "41-token-issued").await;
    let http = reqwest::Client::new();
    let read = http
        .get(format!("{base}/api/v1/clients"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let write = http
        .post(format!("{base}/api/v1/clients"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 403, "a read-only token never writes");
    c.close().await.unwrap();
}

/// How much wider than the window the page is (≤ 0: it fits).
async fn overflow(c: &Client) -> i64 {
    c.execute(
        "return document.documentElement.scrollWidth - window.innerWidth;",
        vec![],
    )
    .await
    .unwrap()
    .as_i64()
    .unwrap_or(1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_changes_her_password_and_ends_a_session_left_open_elsewhere() {
    const NEW: &str = "tsukimi-dango-kasa-37";
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "suzuki").await;
    // 自分の設定 from the header, then パスワードの変更.
    c.find(Locator::Css(".me a[href='/account']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("a[href='/account/password']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("f-current_password"))
        .await
        .unwrap();
    // A common password first: refused in Japanese, nothing typed sent back.
    fill(&c, "current_password", PASSWORD).await;
    fill(&c, "new_password", "password12").await;
    fill(&c, "confirm_password", "password12").await;
    let refused = submit_and_wait(&c, "form.form button[type=submit]").await;
    assert!(refused.contains("よく使われている"), "{refused}");
    shot(&c, "20-password-refused").await;
    fill(&c, "current_password", PASSWORD).await;
    fill(&c, "new_password", NEW).await;
    fill(&c, "confirm_password", NEW).await;
    let done = submit_and_wait(&c, "form.form button[type=submit]").await;
    assert!(done.contains("パスワードを変更しました"), "{done}");

    // Signed out, the old password no longer works; the new one does.
    c.find(Locator::Css("form.inline button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap(); // ログアウト
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    type_password(&c, "suzuki", PASSWORD).await;
    c.wait()
        .for_element(Locator::Css("main .alert, main .error"))
        .await
        .unwrap();
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("ログインIDまたはパスワードが違います")
    );
    sign_in_with(&c, &base, "suzuki", NEW).await;

    // A second browser (its own profile and cookies) signs in too.
    let mut guard2 = Guard(Vec::new());
    let c2 = browser(&mut guard2, &tmp.path().join("profile2"))
        .await
        .unwrap();
    sign_in_with(&c2, &base, "suzuki", NEW).await;

    c.goto(&format!("{base}/account")).await.unwrap();
    let page = c.source().await.unwrap();
    assert_eq!(page.matches("この端末</strong>").count(), 1);
    assert!(page.contains("Chrome（Linux）"), "the device is named");
    assert!(page.contains("ほかのセッションをすべて終了する（1件）"));
    c.set_window_size(1366, 900).await.unwrap();
    shot(&c, "21-account-1366").await;
    assert!(overflow(&c).await <= 0, "the account page fits 1366 px");
    c.set_window_size(820, 1180).await.unwrap();
    shot(&c, "22-account-820").await;
    assert!(overflow(&c).await <= 0, "the account page fits 820 px");
    c.set_window_size(1280, 1000).await.unwrap();

    // End the other one; it is signed out at its next page.
    c.find(Locator::Css("table.sessions form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("セッションを終了しました"));
    assert!(page.contains("ほかの端末ではサインインしていません"));
    c2.goto(&format!("{base}/clients")).await.unwrap();
    c2.wait().for_element(Locator::Id("login")).await.unwrap();
    assert!(c2.current_url().await.unwrap().path().starts_with("/login"));
    shot(&c2, "23-ended-session-signed-out").await;
    c2.close().await.unwrap();
    c.close().await.unwrap();
}

/// The WebDriver extension for WebAuthn (W3C WebAuthn §11): a virtual authenticator in the
/// browser, so that a passkey is really created and used by Chromium's own WebAuthn code.
#[derive(Debug)]
struct AddVirtualAuthenticator;

impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn click(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits until the button `css` is enabled (passkey.js enables it when WebAuthn is there).
async fn enabled(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(&format!("{css}:not([disabled])")))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_registers_a_passkey_signs_in_with_it_and_the_admin_resets_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    c.issue_cmd(AddVirtualAuthenticator).await.unwrap();
    // Passkeys are bound to a host name: the demo's is localhost (127.0.0.1 is refused by
    // browsers as a relying party, and the page says so).
    let at_address = demo(&mut guard, &tmp.path().join("demo"));
    let base = at_address.replace("127.0.0.1", "localhost");
    sign_in(&c, &at_address, "suzuki").await;
    c.goto(&format!("{at_address}/account/second-factor"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(
        page.contains("パスキーは、yorisoi を http://localhost"),
        "at 127.0.0.1 the page says where passkeys work"
    );
    assert!(!page.contains("action=\"/account/passkeys/start\""));
    sign_in(&c, &base, "suzuki").await;
    c.goto(&format!("{base}/account/second-factor"))
        .await
        .unwrap();
    // The password is asked first; a wrong one keeps the name typed.
    fill_id(&c, "pk-name", "事務所のパソコン").await;
    fill_id(&c, "pk-password", "not-the-password").await;
    let refused = submit_and_wait(&c, "form[action='/account/passkeys/start'] button").await;
    assert!(refused.contains("パスワードが違います"), "{refused}");
    assert_eq!(
        c.find(Locator::Id("pk-name"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("事務所のパソコン")
    );
    fill_id(&c, "pk-password", PASSWORD).await;
    submit_and_wait(&c, "form[action='/account/passkeys/start'] button").await;
    enabled(&c, "#passkey-create").await;
    for (w, h, name) in [
        (1366, 900, "50-passkey-register-1366"),
        (820, 1180, "51-passkey-register-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        assert!(overflow(&c).await <= 0, "{name} fits");
        shot(&c, name).await;
    }
    c.set_window_size(1366, 1100).await.unwrap();
    // The browser's own WebAuthn makes the key on the virtual authenticator; yorisoi checks it.
    c.execute("document.body.dataset.left = '1';", vec![])
        .await
        .unwrap();
    click(&c, "#passkey-create").await;
    c.wait()
        .for_element(Locator::Css("body:not([data-left])"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("パスキーを登録しました"), "{page}");
    assert_eq!(
        page.matches("<li><code>").count(),
        10,
        "recovery codes with the first factor"
    );
    assert!(page.contains("事務所のパソコン") && page.contains("<td>未使用</td>"));
    for (w, h, name) in [
        (1366, 1300, "52-passkey-registered-1366"),
        (820, 1400, "53-passkey-registered-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        assert!(overflow(&c).await <= 0, "{name} fits");
        shot(&c, name).await;
    }
    c.set_window_size(1366, 1000).await.unwrap();

    // Signed out, the password alone is not enough: the second step offers the passkey.
    click(&c, "form[action='/logout'] button").await;
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    type_password(&c, "suzuki", PASSWORD).await;
    enabled(&c, "#passkey-get").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/login/second-factor"
    );
    assert!(c.source().await.unwrap().contains("回復コード"));
    for (w, h, name) in [
        (1366, 900, "54-passkey-step-1366"),
        (820, 1180, "55-passkey-step-820"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        shot(&c, name).await;
    }
    c.set_window_size(1366, 1000).await.unwrap();
    click(&c, "#passkey-get").await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
    assert!(c.source().await.unwrap().contains("鈴木 健一"));
    c.goto(&format!("{base}/account/second-factor"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(!page.contains("<td>未使用</td>"), "its last use is shown");
    click(&c, "form[action='/logout'] button").await;
    c.wait().for_element(Locator::Id("login")).await.unwrap();

    // The admin resets it (a lost device): a reason is required; then the password alone works.
    sign_in(&c, &base, "kanri").await;
    c.goto(&format!("{base}/admin/staff")).await.unwrap();
    let staff = c.source().await.unwrap();
    let at = staff.find("鈴木 健一").unwrap();
    let href = staff[..at].rfind("href=\"/admin/staff/").unwrap();
    let id: String = staff[href + 19..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    c.goto(&format!("{base}/admin/staff/{id}")).await.unwrap();
    assert!(c.source().await.unwrap().contains("パスキー1個"));
    c.execute(
        "document.querySelector('form[action$=\"/second-factor/reset\"]').removeAttribute('data-confirm'); \
         document.getElementById('f-sf-reason').removeAttribute('required');",
        vec![],
    )
    .await
    .unwrap();
    let refused = submit_and_wait(&c, "form[action$='/second-factor/reset'] button").await;
    assert!(refused.contains("理由を入力してください"), "{refused}");
    fill_id(
        &c,
        "f-sf-reason",
        "スマートフォンの紛失（本人に電話で確認）",
    )
    .await;
    c.execute(
        "document.querySelector('form[action$=\"/second-factor/reset\"]').removeAttribute('data-confirm');",
        vec![],
    )
    .await
    .unwrap();
    let done = submit_and_wait(&c, "form[action$='/second-factor/reset'] button").await;
    assert!(done.contains("二段階認証をリセットしました"), "{done}");
    c.set_window_size(820, 1180).await.unwrap();
    shot(&c, "56-second-factor-reset-820").await;
    assert!(overflow(&c).await <= 0, "the staff page fits 820 px");
    c.set_window_size(1366, 1000).await.unwrap();
    click(&c, "form[action='/logout'] button").await;
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    sign_in(&c, &base, "suzuki").await;
    assert!(c.source().await.unwrap().contains("鈴木 健一"));
    c.close().await.unwrap();
}

/// Replaces the text of the field with id `id`.
async fn fill_id(c: &Client, id: &str, text: &str) {
    let f = c.find(Locator::Id(id)).await.unwrap();
    f.clear().await.unwrap();
    f.send_keys(text).await.unwrap();
}

/// Issue 17, Major 4: half an hour of writing is not lost to an expired session. The page says
/// the session ended as soon as she types; 保存 keeps the text; signing in again offers it back,
/// and one press saves it where it was going.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assessment_typed_into_an_expired_session_is_kept_and_saved_after_signing_in() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    to_a_sans_latest_assessment(&c, &base).await;
    c.find(Locator::LinkText("編集する"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::LinkText("希望"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("f-wish_person"))
        .await
        .unwrap();
    let form_page = c.current_url().await.unwrap();

    // She went to a visit and came back: 45 minutes without a request.
    let cookie = c.get_named_cookie("yorisoi_session").await.unwrap();
    let db = format!(
        "sqlite://{}",
        tmp.path().join("demo").join("yorisoi.sqlite").display()
    );
    let store = yorisoi_store::Store::connect(&db).await.unwrap();
    yorisoi_store::testing::idle_session(&store, cookie.value(), 45)
        .await
        .unwrap();
    let words = "「仕事に戻りたい。まずは週3日から、昼休みに薬を飲めるところで」";
    fill_id(&c, "f-wish_person", words).await;
    // The first keystroke asks the server: the page says the session has ended.
    c.wait()
        .for_element(Locator::Id("session-ended"))
        .await
        .unwrap();
    c.set_window_size(1366, 900).await.unwrap();
    shot(&c, "60-session-ended-while-typing").await;

    // 保存 anyway: sign-in says the text is kept.
    c.find(Locator::Css("form.form .actions button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("login")).await.unwrap();
    let login = c.source().await.unwrap();
    assert!(login.contains("内容は保管してあります"), "{login}");
    shot(&c, "61-sign-in-after-expiry").await;
    type_password(&c, "sato", PASSWORD).await;

    // Signed in again: the text, and one button that saves it.
    c.wait()
        .for_element(Locator::Css("section.kept"))
        .await
        .unwrap();
    let kept = c.source().await.unwrap();
    assert!(kept.contains("仕事に戻りたい。まずは週3日から"), "{kept}");
    shot(&c, "62-kept-input-1366").await;
    c.set_window_size(820, 1180).await.unwrap();
    shot(&c, "63-kept-input-820").await;
    assert!(overflow(&c).await <= 0, "the restore page fits 820 px");
    c.set_window_size(1366, 900).await.unwrap();
    let saved = submit_and_wait(&c, "section.kept form.actions button[type=submit]").await;
    assert!(!saved.contains("error-summary"), "{saved}");
    c.goto(form_page.as_str()).await.unwrap();
    let value = c
        .find(Locator::Id("f-wish_person"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(value.contains("仕事に戻りたい。まずは週3日から"), "{value}");
    // Nothing is kept any more.
    c.goto(&format!("{base}/session/restore")).await.unwrap();
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("保管している入力はありません")
    );
    c.close().await.unwrap();
}

/// Clicks what `l` finds and waits until the next page has replaced this one.
async fn go(c: &Client, l: Locator<'_>) {
    c.execute("document.body.dataset.left = '1';", vec![])
        .await
        .unwrap();
    c.wait()
        .for_element(l)
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("body:not([data-left]) main"))
        .await
        .unwrap();
}

/// The stage the case page says the case is at (「現在: …」), and the one the cycle marks.
async fn case_stage(c: &Client) -> (String, String) {
    let src = c.source().await.unwrap();
    let said = src
        .split("現在: <strong>")
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .unwrap_or("")
        .to_string();
    let marked = c
        .find(Locator::Css("ol.cycle li.current"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (said, marked)
}

/// Asserts the case page shows `label` as the stage, both in words and in the cycle.
async fn assert_stage(c: &Client, label: &str, after: &str) {
    c.wait()
        .for_element(Locator::Css("ol.cycle"))
        .await
        .unwrap();
    let (said, marked) = case_stage(c).await;
    assert_eq!(said, label, "after {after}, the case page says");
    assert_eq!(marked, label, "after {after}, the cycle marks");
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("段階は記録から自動で進みます"),
        "the case page says the stage follows the records"
    );
}

/// The id of the element that has the focus, once it is `want` (or what it is after 3 s).
async fn focus_settles_on(c: &Client, want: &str) -> String {
    let mut focused = String::new();
    for _ in 0..30 {
        focused = c
            .execute("return document.activeElement.id;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        if focused == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    focused
}

async fn value_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Takes `name` at a PC's width (1366×900) and at a tablet's held upright (820×1180), and says
/// how much wider than the tablet the page is. The window is left at the PC's width.
async fn shots(c: &Client, name: &str) -> i64 {
    c.set_window_size(1366, 900).await.unwrap();
    shot(c, &format!("{name}-pc")).await;
    c.set_window_size(820, 1180).await.unwrap();
    let wider = overflow(c).await;
    shot(c, &format!("{name}-tablet")).await;
    c.set_window_size(1366, 900).await.unwrap();
    wider
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_clients_whole_cycle_moves_the_case_stage_by_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "suzuki").await;
    c.set_window_size(1366, 900).await.unwrap();

    // A new client: 森川 拓海さん, 38, 高次脳機能障害 after a traffic accident.
    go(&c, Locator::LinkText("利用者")).await;
    go(&c, Locator::LinkText("＋ 利用者を登録")).await;
    fill_id(&c, "f-family_name", "森川").await;
    fill_id(&c, "f-given_name", "拓海").await;
    fill_id(&c, "f-family_name_kana", "もりかわ").await;
    fill_id(&c, "f-given_name_kana", "たくみ").await;
    fill_id(&c, "f-birth_date", "昭和63年6月12日").await;
    choose(&c, "sex", 0, "male").await;
    c.find(Locator::Css(
        "input[name=disability_kinds][value=higher_brain]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    fill_id(
        &c,
        "f-diagnosis",
        "高次脳機能障害（令和6年の交通事故による外傷性脳損傷）",
    )
    .await;
    fill_id(&c, "f-address", "N市みなと町2-14-3").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("利用者台帳を保存しました"), "client saved");
    assert!(src.contains("森川 拓海") && src.contains("高次脳機能"));
    assert!(
        src.contains("<span class=\"badge\">相談中</span>"),
        "a new client is 相談中"
    );

    // The 受給者証, dates typed in 和暦.
    go(&c, Locator::LinkText("新しい受給者証を登録")).await;
    fill_id(&c, "f-number", "１２３４５６７８９０").await;
    fill_id(&c, "f-municipality", "N市").await;
    fill_id(&c, "f-issued_on", "R8.8.20").await;
    fill_id(&c, "f-decision_from", "令和8年9月1日").await;
    fill_id(&c, "f-decision_until", "令和9年8月31日").await;
    fill_id(
        &c,
        "f-services",
        "自立訓練（生活訓練）：当該月の日数から8日を控除した日数",
    )
    .await;
    fill_id(&c, "f-cost_cap_yen", "9300").await;
    fill_id(&c, "f-plan_support_from", "R8.9.1").await;
    fill_id(&c, "f-plan_support_until", "R9.8.31").await;
    choose(&c, "monitoring_period", 0, "monthly").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("受給者証を新しい版として登録しました"),
        "certificate saved"
    );
    assert!(src.contains("1234567890") && src.contains("毎月"));

    // The intake opens the case: インテーク.
    go(&c, Locator::LinkText("インテークから新しいケースを開始")).await;
    fill_id(&c, "f-intake_date", "令和8年9月1日").await;
    choose(&c, "referral_source", 0, "medical").await;
    fill_id(
        &c,
        "f-referral_note",
        "N市民病院 医療ソーシャルワーカーから",
    )
    .await;
    fill_id(
        &c,
        "f-chief_complaint",
        "「前みたいに働けるようになりたい。でも、すぐ忘れてしまうのが怖い」",
    )
    .await;
    fill_id(
        &c,
        "f-situation",
        "交通事故のあと、回復期リハビリ病院を退院して母と二人暮らし。記憶と段取りが苦手になった。",
    )
    .await;
    choose(&c, "consent_to_support", 0, "yes").await;
    fill_id(&c, "f-title", "また働きたい森川さん").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("インテークを記録し、ケースを開始しました"));
    assert_stage(&c, "インテーク", "the intake").await;
    assert!(
        c.find_all(Locator::Css("details.stage-manual[open]"))
            .await
            .unwrap()
            .is_empty(),
        "the manual stage form stays closed"
    );
    let wider = shots(&c, "70-journey-case-intake").await;
    assert!(
        wider <= 0,
        "the case page is {wider} px wider than a tablet"
    );

    // The assessment, by a home visit: アセスメント.
    go(&c, Locator::LinkText("アセスメントを始める")).await;
    fill_id(&c, "f-assessed_on", "R8.9.8").await;
    choose(&c, "method", 0, "home_visit").await;
    fill_id(&c, "f-present", "本人、母").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("アセスメントを始めました"));
    go(&c, Locator::LinkText("森川 拓海のケース")).await;
    assert_stage(&c, "アセスメント", "the assessment started").await;
    // 希望: the person's words as they were said, then the need drawn from them.
    go(&c, Locator::Css("ul.versions a[href^='/assessments/']")).await;
    go(&c, Locator::LinkText("編集する")).await;
    go(&c, Locator::LinkText("希望")).await;
    let wish = "「前みたいに働きたい。メモを見ればできることは増えてきた」";
    fill_id(&c, "f-wish_person", wish).await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "wishes saved");
    assert_eq!(value_of(&c, "#f-wish_person").await, wish);
    go(&c, Locator::LinkText("デマンドとニーズ")).await;
    fill(
        &c,
        "need_text",
        "忘れても困らない段取りを身につけて、働く準備をしたい",
    )
    .await;
    choose(&c, "need_source", 0, "wish_person").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "needs saved");

    // The plan draft from it: プランニング（計画案）.
    go(&c, Locator::LinkText("森川 拓海")).await; // the sheet
    go(&c, Locator::LinkText("森川 拓海のケース")).await;
    assert_stage(&c, "アセスメント", "the assessment saved").await;
    go(&c, Locator::LinkText("計画案を作る")).await;
    fill_id(&c, "f-drafted_on", "R8.9.15").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("前みたいに働きたい"),
        "the person's words lead the draft"
    );
    // The row's service and provider (a final plan needs the provider).
    go(&c, Locator::LinkText("編集する")).await;
    go(&c, Locator::LinkText("課題と支援（優先順位）")).await;
    fill(
        &c,
        "row_goal",
        "スマートフォンの予定表で一日の段取りを自分で立てる",
    )
    .await;
    choose(&c, "row_service_type", 0, "training").await;
    fill(&c, "row_service", "自立訓練（生活訓練）週3日").await;
    fill(
        &c,
        "row_provider",
        "リハビリ自立センターあおば 田村（0120-555-018）",
    )
    .await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "rows saved");
    go(&c, Locator::LinkText("計画に戻る")).await;
    go(&c, Locator::LinkText("ケースへ")).await;
    assert_stage(&c, "プランニング（計画案）", "the plan draft").await;

    // The person's consent to the draft, first with the signer left empty: refused, summarised
    // at the top of the page with the focus, and what was typed is kept.
    go(&c, Locator::Css("a[href^='/plans/']")).await;
    c.wait()
        .for_element(Locator::Css("form#consent"))
        .await
        .unwrap();
    fill_id(&c, "f-signed_on", "R8.9.16").await;
    c.find(Locator::Css("form#consent input[name=explained]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit_and_wait(&c, "form#consent button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css(
            "main > #error-summary.error-summary a[href='#f-signer']",
        ))
        .await
        .unwrap();
    assert_eq!(focus_settles_on(&c, "error-summary").await, "error-summary");
    let summary = c
        .find(Locator::Id("error-summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(summary.contains("入力に1件の問題があります"), "{summary}");
    let link = c
        .find(Locator::Css("#error-summary a[href='#f-signer']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        link, "署名した人：入力してください。",
        "the summary names the field"
    );
    assert!(
        c.find(Locator::Css("main > *"))
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .as_deref()
            == Some("error-summary"),
        "the summary opens the page"
    );
    assert_eq!(
        value_of(&c, "#f-signed_on").await,
        "R8.9.16",
        "the date is kept"
    );
    assert_eq!(value_of(&c, "#f-stage").await, "draft");
    assert_eq!(value_of(&c, "#f-role").await, "person");
    assert!(
        c.find(Locator::Css("form#consent input[name=explained]"))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap()
            .as_deref()
            == Some("true"),
        "the explanation box stays ticked"
    );
    let wider = shots(&c, "71-journey-consent-refused").await;
    assert!(
        wider <= 0,
        "the refused plan page is {wider} px wider than a tablet"
    );
    // The summary's link takes the user to the signer field.
    c.find(Locator::Css("#error-summary a[href='#f-signer']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(focus_settles_on(&c, "f-signer").await, "f-signer");
    c.find(Locator::Id("f-signer"))
        .await
        .unwrap()
        .send_keys("森川 拓海")
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form#consent button[type=submit]").await;
    assert!(src.contains("同意を記録しました"), "draft consent");
    assert!(!src.contains("error-summary"));
    // The draft handed to him.
    choose(&c, "stage", 1, "draft").await;
    fill_id(&c, "f-handover-to", "本人").await;
    fill_id(&c, "f-handover-on", "R8.9.16").await;
    choose(&c, "method", 0, "in_person").await;
    let src = submit_and_wait(&c, "form#handover button[type=submit]").await;
    assert!(src.contains("交付を記録しました"), "draft handed over");

    // The care team: the training provider, and his consent to share the plan with them.
    go(&c, Locator::Css(".actions a[href$='/team']")).await;
    choose(&c, "member_kind", 0, "provider").await;
    fill_nth(&c, "member_name", 0, "田村 大地").await;
    fill_nth(&c, "member_organisation", 0, "リハビリ自立センターあおば").await;
    fill_nth(&c, "member_contact", 0, "0120-555-018").await;
    let src = submit_and_wait(&c, "form#member button[type=submit]").await;
    assert!(src.contains("ケアチームに追加しました"), "member added");
    assert!(src.contains("同意なし"), "no consent for the provider yet");
    for css in [
        "form#consent-form input[name=subject_pick][value=本人]",
        "form#consent-form input[name=member_ids]",
        "form#consent-form input[name=sections][value=basic]",
        "form#consent-form input[name=sections][value=plan]",
    ] {
        c.find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    fill_id(&c, "f-purpose", "サービス担当者会議と支援の提供のため").await;
    fill_id(&c, "f-given_on", "令和8年9月16日").await;
    fill_id(&c, "f-document", "個人情報使用同意書（原本はファイル保管）").await;
    let src = submit_and_wait(&c, "form#consent-form button[type=submit]").await;
    assert!(src.contains("同意を記録しました"), "share consent");
    assert!(src.contains("同意あり"), "the provider is covered");

    // The meeting held: サービス担当者会議.
    go(&c, Locator::LinkText("森川 拓海さん")).await;
    go(&c, Locator::LinkText("また働きたい森川さん")).await;
    go(&c, Locator::Css("a[href^='/plans/']")).await;
    go(&c, Locator::LinkText("サービス担当者会議を予定・記録する")).await;
    fill_id(&c, "f-held_on", "R8.9.24").await;
    fill_id(&c, "f-start", "14:00").await;
    fill_id(&c, "f-place", "本人宅").await;
    for box_ in c
        .find_all(Locator::Css(
            "input[name=participants], input[name=attended]",
        ))
        .await
        .unwrap()
    {
        if box_.prop("checked").await.unwrap().as_deref() != Some("true") {
            box_.click().await.unwrap();
        }
    }
    fill_id(
        &c,
        "f-conclusions",
        "計画案のとおり、10月から生活訓練を週3日で始める。",
    )
    .await;
    c.find(Locator::Css("input[name=held]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(!src.contains("error-summary"), "the meeting is saved");
    assert!(src.contains("会議済"), "the meeting moves the plan on");
    go(&c, Locator::LinkText("計画に戻る")).await;
    go(&c, Locator::LinkText("ケースへ")).await;
    assert_stage(&c, "サービス担当者会議", "the meeting held").await;

    // 本計画: its date, his consent, then 本計画にする: 本計画・同意・交付.
    go(&c, Locator::Css("a[href^='/plans/']")).await;
    go(&c, Locator::LinkText("編集する")).await;
    fill_id(&c, "f-decided_on", "令和8年9月28日").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(
        src.contains("保存しました"),
        "the plan date is read from 和暦"
    );
    go(&c, Locator::LinkText("計画に戻る")).await;
    assert_eq!(
        value_of(&c, "#f-stage").await,
        "final",
        "the consent now is to the final plan"
    );
    fill_id(&c, "f-signed_on", "R8.9.28").await;
    fill_id(&c, "f-signer", "森川 拓海").await;
    c.find(Locator::Css("form#consent input[name=explained]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form#consent button[type=submit]").await;
    assert!(src.contains("同意を記録しました"), "final consent");
    let src = submit_and_wait(&c, "form[action$='/state'] button").await;
    assert!(
        src.contains("計画の状態を変えました") && src.contains("state-final"),
        "the plan is final"
    );
    go(&c, Locator::LinkText("ケースへ")).await;
    assert_stage(&c, "本計画・同意・交付", "the plan made final").await;

    // The final plan handed to him: 実施, and he is 支援中.
    go(&c, Locator::Css("a[href^='/plans/']")).await;
    choose(&c, "stage", 0, "final").await;
    fill_id(&c, "f-handover-to", "本人").await;
    fill_id(&c, "f-handover-on", "R8.9.29").await;
    choose(&c, "method", 0, "in_person").await;
    let src = submit_and_wait(&c, "form#handover button[type=submit]").await;
    assert!(src.contains("交付を記録しました"), "final handed over");
    go(&c, Locator::LinkText("ケースへ")).await;
    assert_stage(&c, "実施", "the final plan handed over").await;
    let wider = shots(&c, "72-journey-case-implementation").await;
    assert!(
        wider <= 0,
        "the case page is {wider} px wider than a tablet"
    );
    go(&c, Locator::Css("h1 small a[href^='/clients/']")).await;
    let client = c.source().await.unwrap();
    assert!(
        client.contains("<span class=\"badge\">支援中</span>"),
        "the client page shows 支援中"
    );

    // A monitoring by a home visit: モニタリング.
    go(&c, Locator::LinkText("また働きたい森川さん")).await;
    go(&c, Locator::LinkText("モニタリングを記録する")).await;
    fill_id(&c, "f-monitored_on", "R8.10.27").await;
    choose(&c, "method", 0, "home_visit").await;
    fill_id(&c, "f-present", "本人、母").await;
    fill_id(
        &c,
        "f-person_words",
        "「予定表を見れば、朝の準備は一人でできるようになった」",
    )
    .await;
    fill_id(
        &c,
        "f-overall",
        "生活訓練に週3日通えている。疲れやすさは残る。",
    )
    .await;
    c.find(Locator::Css("input[name=outcome][value=continue]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(!src.contains("error-summary"), "the monitoring is saved");
    go(&c, Locator::LinkText("森川 拓海さんのケース")).await;
    assert_stage(&c, "モニタリング", "the monitoring").await;
    let wider = shots(&c, "73-journey-case-monitoring").await;
    assert!(
        wider <= 0,
        "the case page is {wider} px wider than a tablet"
    );
    c.close().await.unwrap();
}

/// The values of the fields named `name`, in page order (what the browser would send).
async fn values(c: &Client, name: &str) -> Vec<String> {
    let v = c
        .execute(
            &format!(
                "return Array.from(document.querySelectorAll('[name={name}]')).map(function (e) {{ return e.value; }});"
            ),
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect()
}

/// The label of the option `value` of the `i`-th select named `name`.
async fn option_label(c: &Client, name: &str, i: usize, value: &str) -> String {
    c.execute(
        &format!(
            "var s = document.querySelectorAll('select[name={name}]')[{i}]; var o = s && s.querySelector('option[value=\"{value}\"]'); return o ? o.textContent : '';"
        ),
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or("")
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_enters_a_family_of_five_with_its_lines_in_one_save() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    // 上野さくらさん (no case yet): a case from the intake, then a first assessment.
    c.goto(&format!("{base}/clients?q=%E3%81%86%E3%81%88%E3%81%AE"))
        .await
        .unwrap();
    c.find(Locator::LinkText("上野 さくら"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("h1")).await.unwrap();
    let client = c.current_url().await.unwrap();
    let client = client.as_str().split('?').next().unwrap().to_string();
    c.goto(&format!("{client}/cases/new")).await.unwrap();
    choose(&c, "referral_source", 0, "person").await;
    fill(
        &c,
        "chief_complaint",
        "「家族と離れて、自分で暮らしてみたい」",
    )
    .await;
    choose(&c, "consent_to_support", 0, "yes").await;
    let src = submit_and_wait(&c, "main form.form button[type=submit]").await;
    assert!(!src.contains("error-summary"), "the intake is saved");
    let case = c.current_url().await.unwrap();
    let case = case.as_str().split('?').next().unwrap().to_string();
    c.goto(&format!("{case}/assessments/new")).await.unwrap();
    let src = submit_and_wait(&c, "main form.form button[type=submit]").await;
    assert!(
        src.contains("アセスメントを始めました"),
        "the assessment starts"
    );
    let sheet = c.current_url().await.unwrap();
    let sheet = sheet.as_str().split('?').next().unwrap().to_string();
    c.goto(&format!("{sheet}/edit/family")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("[data-add-row=family]"))
        .await
        .unwrap();

    // Six blank rows keyed 1–6; 「行を追加」 makes a seventh with a fresh key, offered to the lines.
    let keys = values(&c, "member_key").await;
    assert_eq!(keys, ["1", "2", "3", "4", "5", "6"]);
    click(&c, "[data-add-row=family]").await;
    let keys = values(&c, "member_key").await;
    assert_eq!(keys.len(), 7);
    assert_eq!(keys[6], "7", "a fresh key");
    assert_eq!(
        option_label(&c, "link_from", 0, "7").await,
        "7行目の人（新しく入力）"
    );
    // Four people in the first rows, the fifth in the added row (rows 5 and 6 stay empty).
    for (row, rel, sex, year, client) in [
        (0, "本人", "female", "1999", true),
        (1, "父", "male", "昭和40", false),
        (2, "母", "female", "1967", false),
        (3, "弟", "male", "2003", false),
        (6, "祖母", "female", "昭和12", false),
    ] {
        fill_nth(&c, "member_relation", row, rel).await;
        choose(&c, "member_sex", row, sex).await;
        fill_nth(&c, "member_birth_year", row, year).await;
        if client {
            choose(&c, "member_is_client", row, "yes").await;
        }
    }
    assert_eq!(option_label(&c, "link_to", 3, "7").await, "祖母");
    assert_eq!(option_label(&c, "link_to", 3, "2").await, "父");
    // Six lines: eight blank rows are offered, and one more is added.
    click(&c, "[data-add-row=family_links]").await;
    let lines = [
        ("married", "2", "3"),
        ("parent_child", "2", "1"),
        ("parent_child", "3", "1"),
        ("parent_child", "2", "4"),
        ("parent_child", "3", "4"),
        ("parent_child", "7", "2"),
    ];
    let n = values(&c, "link_kind").await.len();
    assert_eq!(n, 9, "eight blank lines and the one added");
    for (i, (kind, from, to)) in lines.iter().enumerate() {
        // The last line goes in the row 「行を追加」 made.
        let row = if i == 5 { n - 1 } else { i };
        choose(&c, "link_kind", row, kind).await;
        choose(&c, "link_from", row, from).await;
        choose(&c, "link_to", row, to).await;
    }
    c.set_window_size(1366, 2600).await.unwrap();
    shot(&c, "40-family-five-typed-1366").await;
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(!src.contains("error-summary"), "saved at once");
    let svg = c
        .find(Locator::Css(".drawings svg.genogram"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert_eq!(
        svg.matches("class=\"person").count(),
        5,
        "five people drawn"
    );
    assert!(svg.contains("祖母") && svg.contains("data-key=\"7\""));
    c.set_window_size(1366, 3400).await.unwrap();
    shot(&c, "41-family-five-saved-1366").await;
    // A tablet: the page itself does not scroll sideways (the grids scroll inside).
    c.set_window_size(820, 3400).await.unwrap();
    shot(&c, "42-family-five-saved-820").await;
    let wide = c
        .execute(
            "return Array.from(document.querySelectorAll('body *')).filter(function (e) { return e.getBoundingClientRect().right > window.innerWidth + 1; }).slice(0, 5).map(function (e) { return e.tagName + '.' + e.className + '#' + e.id; }).join(' ');",
            vec![],
        )
        .await
        .unwrap();
    assert!(overflow(&c).await <= 0, "fits 820 px: {wide}");
    // The care team: blank member rows for several people at once, one more added in the page.
    c.goto(&format!("{client}/team")).await.unwrap();
    let before = values(&c, "member_name").await.len();
    assert!(before >= 8, "eight blank rows");
    click(&c, "[data-add-row=members]").await;
    assert_eq!(values(&c, "member_name").await.len(), before + 1);
    assert!(overflow(&c).await <= 0, "the team page fits 820 px");
    c.set_window_size(820, 2600).await.unwrap();
    shot(&c, "43-team-rows-820").await;
    c.close().await.unwrap();
}

/// 障害児相談支援 walked as a specialist would: the child's ledger with both parents, the case
/// that names its plan 障害児支援利用計画, the assessment that asks about growth and the family,
/// a parent's worry written in the family section, the sheet with the child's voice beside the
/// parents', and the easy-read plan offered for the child and for the parents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specialist_walks_the_childs_case_from_the_ledger_to_the_parents_easy_read_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "sato").await;
    c.set_window_size(1366, 900).await.unwrap();
    go(&c, Locator::LinkText("利用者")).await;
    go(&c, Locator::XPath("//a[contains(., '千葉 ひなた')]")).await;
    let src = c.source().await.unwrap();
    assert!(
        src.contains("千葉 美穂（母）") && src.contains("千葉 大樹（父）"),
        "both parents on the ledger"
    );
    assert!(
        shots(&c, "80-child-ledger").await <= 0,
        "the ledger fits a tablet"
    );
    // The ledger form offers a row per parent and one to add.
    go(&c, Locator::LinkText("台帳を編集")).await;
    assert_eq!(
        values(&c, "guardian_name").await,
        ["千葉 美穂", "千葉 大樹", ""]
    );
    c.back().await.unwrap();
    go(&c, Locator::LinkText("ひなたちゃんと家族の安心")).await;
    let src = c.source().await.unwrap();
    assert!(
        src.contains("<h2>障害児支援利用計画</h2>"),
        "the child's plan by its name"
    );
    assert!(src.contains("通所受給者証のモニタリング期間"));
    let case_url = c.current_url().await.unwrap();
    go(
        &c,
        Locator::XPath("//a[starts-with(normalize-space(.), '第1版')]"),
    )
    .await;
    let src = c.source().await.unwrap();
    assert!(src.contains("本人の思いと保護者の願い") && src.contains("発達と育ち"));
    assert!(
        shots(&c, "81-child-sheet").await <= 0,
        "the sheet fits a tablet"
    );
    // The family section: the mother's worry, in her words.
    go(&c, Locator::LinkText("編集する")).await;
    go(&c, Locator::LinkText("家族の状況と支援")).await;
    let worry = value_of(&c, "textarea[name='child.parents_worries']").await;
    assert!(worry.contains("私の育て方が悪かったのでは"), "{worry}");
    c.find(Locator::Css("textarea[name='child.parents_rest']"))
        .await
        .unwrap()
        .send_keys("\n月1回、祖母が土曜に預かってくれることになった。")
        .await
        .unwrap();
    assert!(shots(&c, "82-child-family-support").await <= 0);
    let src = submit_and_wait(&c, "form.form .actions button[type=submit]").await;
    assert!(src.contains("保存しました"), "family support saved");
    go(&c, Locator::LinkText("シートに戻る")).await;
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("祖母が土曜に預かってくれる")
    );
    // The plan: family support, and the easy-read plan for the child and for the parents.
    c.goto(case_url.as_str()).await.unwrap();
    go(&c, Locator::XPath("//a[contains(., '本計画')]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("障害児支援利用計画") && src.contains("家族支援"));
    assert!(
        src.contains("pdf/easy_plan_child") && src.contains("pdf/easy_plan_parents"),
        "both easy-read versions offered"
    );
    assert!(shots(&c, "83-child-plan").await <= 0);
}

/// Signs out with the header's button and waits for the sign-in page.
async fn sign_out(c: &Client) {
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("login")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nurse_is_invited_to_a_sans_team_sees_what_she_consented_to_and_loses_it_on_withdrawal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let (base, printed) = demo_printed(&mut guard, &tmp.path().join("demo"), None);
    // The demo lists an outside account of each kind, each followed by its second factor.
    for login in ["hikari", "n-city", "aoki-minoru", "aoki"] {
        let at = printed
            .iter()
            .position(|l| l.split_whitespace().next() == Some(login))
            .unwrap_or_else(|| panic!("{login} in {printed:?}"));
        assert!(printed[at + 1].starts_with("otpauth://"), "{login}");
    }
    // The specialist invites Aさん's visiting nurse from the care team.
    sign_in(&c, &base, "sato").await;
    c.goto(&format!("{base}/clients/1/team")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(
        src.contains("連携済み（hikari）"),
        "the demo's provider is linked"
    );
    go(
        &c,
        Locator::XPath(
            "//tr[td[contains(., '森 看護師')]]//form[contains(@action, '/invite')]//button",
        ),
    )
    .await;
    let code = c
        .find(Locator::Id("invitation-code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(code.len(), 14, "{code}");
    assert!(
        shots(&c, "90-invitation").await <= 0,
        "the sheet fits a tablet"
    );
    sign_out(&c).await;

    // She opens the link, makes her account and sets up her second factor.
    c.set_window_size(820, 1180).await.unwrap();
    c.goto(&format!("{base}/join?code={code}")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("森 看護師") && src.contains("相談支援事業所 よりそい"));
    shot(&c, "91-join-tablet").await;
    fill_id(&c, "f-login", "tsubasa").await;
    fill_id(&c, "f-password", PASSWORD).await;
    fill_id(&c, "f-password_again", PASSWORD).await;
    c.find(Locator::Css("form[action='/join'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let secret = c
        .wait()
        .for_element(Locator::Id("secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/login/enrol",
        "a second factor before anything is shown"
    );
    type_code_and_submit(&c, &totp_now(&secret, 0)).await;
    go(&c, Locator::LinkText("控えたので続ける")).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/shared");
    let src = c.source().await.unwrap();
    assert!(src.contains("青木 明子さん"), "Aさん is listed");
    assert!(
        !src.contains("馬場") && !src.contains("千葉"),
        "no one else"
    );
    assert!(shots(&c, "92-shared-home").await <= 0);
    go(
        &c,
        Locator::XPath("//a[normalize-space(.)='サービス等利用計画']"),
    )
    .await;
    let src = c.source().await.unwrap();
    assert!(src.contains("総合的な援助の方針") && src.contains("週間計画表"));
    assert!(
        shots(&c, "93-shared-plan").await <= 0,
        "the plan fits a tablet"
    );
    // 基本情報, 計画 and (by the demo's consent) no monitoring tab.
    assert!(!src.contains("/shared/1/monitoring"));
    // The office's own pages are the same 404 as a record that does not exist.
    c.goto(&format!("{base}/clients/1")).await.unwrap();
    assert!(c.source().await.unwrap().contains("見つかりませんでした"));
    c.goto(&format!("{base}/shared/2/basic")).await.unwrap();
    assert!(c.source().await.unwrap().contains("見つかりませんでした"));
    c.goto(&format!("{base}/shared")).await.unwrap();
    sign_out(&c).await;

    // Aさん withdraws her consent; the nurse's next request gets nothing.
    c.set_window_size(1366, 900).await.unwrap();
    sign_in(&c, &base, "sato").await;
    // (Before that: her monitoring form shows what ひかり作業所 reported on yorisoi, beside
    // the goal and not in the field.)
    c.goto(&format!("{base}/cases/1/monitorings/new"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(
        src.contains("佐藤 サービス管理責任者（ひかり作業所）・") && src.contains("15日通所"),
        "the provider's report beside the goal"
    );
    assert!(shots(&c, "95-monitoring-with-provider-report").await <= 0);
    c.goto(&format!("{base}/clients/1/team")).await.unwrap();
    // Her own consent (本人) that names the nurse.
    c.execute("document.body.dataset.left = '1';", vec![])
        .await
        .unwrap();
    c.find(Locator::XPath(
        "//tr[td[2][normalize-space(.)='本人'] and td[3][contains(., '森 看護師')]]//form[contains(@action, '/withdraw')]//button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("body:not([data-left]) .notice"))
        .await
        .unwrap();
    assert!(c.source().await.unwrap().contains("同意を撤回しました"));
    sign_out(&c).await;
    type_password(&c, "tsubasa", PASSWORD).await;
    c.wait().for_element(Locator::Id("code")).await.unwrap();
    type_code_and_submit(&c, &totp_now(&secret, 1)).await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(!src.contains("青木"), "after withdrawal, not even her name");
    c.goto(&format!("{base}/shared/1/plan")).await.unwrap();
    assert!(c.source().await.unwrap().contains("見つかりませんでした"));
    shot(&c, "94-shared-after-withdrawal").await;
    c.goto(&format!("{base}/shared")).await.unwrap();
    sign_out(&c).await;

    // The admin's audit log shows each disclosure: to whom, what, under which consent.
    sign_in(&c, &base, "kanri").await;
    c.goto(&format!("{base}/admin/audit")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(
        src.contains("森 看護師") && src.contains("同意#"),
        "disclosures logged"
    );
    c.close().await.unwrap();
}

/// Signs in with the password and the TOTP code of `secret` now.
async fn sign_in_with_code(c: &Client, base: &str, login: &str, secret: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    type_password(c, login, PASSWORD).await;
    c.wait().for_element(Locator::Id("code")).await.unwrap();
    type_code_and_submit(c, &totp_now(secret, 0)).await;
}

/// The secret of a demo outside account, from the `otpauth://` line printed after it.
fn printed_secret(printed: &[String], login: &str) -> String {
    let at = printed
        .iter()
        .position(|l| l.split_whitespace().next() == Some(login))
        .unwrap_or_else(|| panic!("{login} in {printed:?}"));
    let uri = printed[at + 1].trim();
    let from = uri.find("secret=").expect("a secret in the URI") + 7;
    uri[from..].split('&').next().unwrap().to_string()
}

#[tokio::test]
async fn aoki_acknowledges_her_shared_plan_and_the_specialist_shares_it_with_her_brother() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let (base, printed) = demo_printed(&mut guard, &tmp.path().join("demo"), None);
    let secret = printed_secret(&printed, "aoki");

    // Aさん on her tablet: her plan waits, shared by her specialist.
    c.set_window_size(820, 1180).await.unwrap();
    sign_in_with_code(&c, &base, "aoki", &secret).await;
    c.wait()
        .for_element(Locator::Css("section.shared-documents"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("サービス等利用計画 第") && src.contains("未受領"));
    assert!(shots(&c, "96-shared-documents").await <= 0);
    go(
        &c,
        Locator::Css("section.shared-documents a[href^='/shared/documents/']"),
    )
    .await;
    let src = c.source().await.unwrap();
    assert!(src.contains("佐藤 美咲") && src.contains("わかりやすい版"));
    go(
        &c,
        Locator::XPath("//button[normalize-space(.)='受領しました']"),
    )
    .await;
    let src = c.source().await.unwrap();
    assert!(src.contains("受領を記録しました"), "{src}");
    assert!(shots(&c, "97-shared-document-received").await <= 0);
    sign_out(&c).await;

    // Her specialist sees the receipt, and shares the plan with her brother as well.
    c.set_window_size(1366, 900).await.unwrap();
    sign_in(&c, &base, "sato").await;
    c.goto(&format!("{base}/clients/1/shares")).await.unwrap();
    let src = c.source().await.unwrap();
    assert_eq!(src.matches("受領済み").count(), 2, "ひかり作業所 and Aさん");
    c.find(Locator::XPath(
        "//select[@id='f-document']/option[starts-with(normalize-space(.), 'サービス等利用計画 第')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.find(Locator::XPath(
        "//label[contains(., '青木 実')]/input[@name='member_ids']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    fill_id(&c, "f-message", "明子さんの今月からの計画です。").await;
    go(&c, Locator::Css("#share-form button[type=submit]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("共有しました"), "{src}");
    assert!(src.contains("青木 実（兄）") && src.contains("未受領"));
    assert!(shots(&c, "98-shares").await <= 0);
    sign_out(&c).await;

    // ひかり作業所 sends its 個別支援計画 for its row; the specialist's plan shows it received.
    let file = tmp.path().join("個別支援計画_青木明子.pdf");
    std::fs::write(&file, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n").unwrap();
    let hikari = printed_secret(&printed, "hikari");
    sign_in_with_code(&c, &base, "hikari", &hikari).await;
    c.wait()
        .for_element(Locator::Css("header.top"))
        .await
        .unwrap();
    c.goto(&format!("{base}/shared/1/report")).await.unwrap();
    let row = c
        .find(Locator::XPath(
            "//form[contains(@class, 'ipp-row') and contains(., 'ひかり')]",
        ))
        .await
        .unwrap();
    row.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    row.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#ipp .notice"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("個別支援計画_青木明子.pdf"), "{src}");
    assert!(shots(&c, "99-ipp-sent").await <= 0);
    c.close().await.unwrap();
}

/// A PDF fetched with the browser's own session, kept beside the screenshots with its pages as
/// PNG (pdftoppm), and its text (pdftotext) returned.
async fn pdf_as_pictures(c: &Client, url: &str, name: &str) -> String {
    let b64 = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.blob()).then(b => {
               const f = new FileReader();
               f.onload = () => done(f.result.split(',')[1]);
               f.readAsDataURL(b);
             });",
            vec![serde_json::json!(url)],
        )
        .await
        .unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.as_str().unwrap())
        .unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{url}");
    let pdf = artifacts().join(format!("{name}.pdf"));
    std::fs::write(&pdf, &bytes).unwrap();
    let (Some(ppm), Some(text)) = (tool("pdftoppm"), tool("pdftotext")) else {
        assert!(std::env::var_os("CI").is_none(), "CI needs poppler-utils");
        return String::new();
    };
    let ok = Command::new(ppm)
        .args(["-r", "70", "-png"])
        .arg(&pdf)
        .arg(artifacts().join(name))
        .status()
        .unwrap();
    assert!(ok.success());
    // pdftoppm pads page numbers to the page count's width (-1, -01, -001).
    assert!(
        ["1", "01", "001"]
            .iter()
            .any(|n| artifacts().join(format!("{name}-{n}.png")).exists()),
        "{name}: no first page"
    );
    let out = Command::new(text).arg(&pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_meetings_step4_line_becomes_an_issue_the_lead_releases_and_the_region_counts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));

    // Bさん's specialist raises the 「現状ではできないこと」 of his meeting as an issue.
    c.set_window_size(1366, 900).await.unwrap();
    sign_in(&c, &base, "suzuki").await;
    // His meeting, reached from the issue already raised from it (元の記録).
    c.goto(&format!("{base}/issues")).await.unwrap();
    go(
        &c,
        Locator::XPath("//a[normalize-space(.)='休日の外出を支える移動支援が足りない']"),
    )
    .await;
    go(&c, Locator::XPath("//a[normalize-space(.)='元の記録']")).await;
    go(&c, Locator::Css("a[href^='/issues/new?source=meeting']")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("このケースと関連付けて記録します"), "{src}");
    fill_id(&c, "f-title", "夜に使えるショートステイが足りない").await;
    c.find(Locator::Css("#f-category option[value='welfare']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill_id(&c, "f-area", "N市中央圏域").await;
    go(&c, Locator::Css("form.card button[type=submit]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("地域課題を記録しました"), "{src}");
    let issue_url = c.current_url().await.unwrap();
    let issue_path = issue_url.path().to_string();
    assert!(shots(&c, "100-issue-raised").await <= 0);
    sign_out(&c).await;

    // The lead releases it; the council paper holds it, read as pictures.
    sign_in(&c, &base, "shunin").await;
    c.goto(&format!("{base}{issue_path}")).await.unwrap();
    go(
        &c,
        Locator::XPath("//button[normalize-space(.)='協議会へ公開する']"),
    )
    .await;
    let src = c.source().await.unwrap();
    assert!(src.contains("協議会へ公開しました"), "{src}");
    c.goto(&format!(
        "{base}/issues/paper?audience=N市自立支援協議会 相談支援部会"
    ))
    .await
    .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("夜に使えるショートステイが足りない"));
    assert!(shots(&c, "101-council-paper").await <= 0);
    let text = pdf_as_pictures(
        &c,
        "/issues/paper.pdf?audience=N%E5%B8%82%E8%87%AA%E7%AB%8B%E6%94%AF%E6%8F%B4%E5%8D%94%E8%AD%B0%E4%BC%9A",
        "doc-council-paper",
    )
    .await;
    if !text.is_empty() {
        assert!(text.contains("地域課題の報告"), "{text}");
        assert!(text.contains("ショートステイ"));
        assert!(!text.contains("鈴木") && !text.contains("Bさん"), "{text}");
    }
    // The lead adds an office category, counted as 社会参加 in the region; the form offers it.
    c.goto(&format!("{base}/issues/categories")).await.unwrap();
    fill_id(&c, "f-add-label", "ひきこもり").await;
    c.find(Locator::Css(
        "#f-add-counts_as option[value='participation']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    go(&c, Locator::XPath("//button[normalize-space(.)='加える']")).await;
    let src = c.source().await.unwrap();
    assert!(
        src.contains("分類を加えました") && src.contains("<td>ひきこもり</td>"),
        "{src}"
    );
    assert!(shots(&c, "105-issue-categories").await <= 0);
    c.goto(&format!("{base}/issues/new")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("ひきこもり（地域では「社会参加」）"), "{src}");
    // The home page tells the council's answer to the first issue.
    c.goto(&format!("{base}/")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(
        src.contains("部会・協議会から") && src.contains("返信あり"),
        "{src}"
    );
    sign_out(&c).await;

    // The region's secretariat, on a tablet: the issue among the released ones, the figures
    // with the small cells hidden, and no case, no name.
    c.set_window_size(820, 1180).await.unwrap();
    sign_in(&c, &base, "kikan").await;
    c.wait()
        .for_element(Locator::Css("#figures"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("夜に使えるショートステイが足りない"), "{src}");
    assert!(src.contains("参加している事業所 4か所"));
    assert!(src.contains("10人未満のため表示しません"));
    assert!(!src.contains("/cases/") && !src.contains("/clients/"));
    for name in ["青木", "明子", "鈴木"] {
        assert!(!src.contains(name), "{name} on the region's page");
    }
    assert!(shots(&c, "102-region").await <= 0);
    // One 地区 alone is fewer than 3 offices: the table is withheld and says why.
    c.find(Locator::Css("#area option[value='北部地区']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    go(&c, Locator::Css("form.filters button[type=submit]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("この表は表示しません"), "{src}");
    assert!(shots(&c, "103-region-area").await <= 0);
    // The secretariat writes back on the new issue.
    c.goto(&format!("{base}/region")).await.unwrap();
    go(
        &c,
        Locator::XPath("//a[normalize-space(.)='夜に使えるショートステイが足りない']"),
    )
    .await;
    c.find(Locator::Css("#f-status option[value='subcommittee']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill_id(&c, "f-reply", "暮らしの部会で取り上げます。").await;
    go(&c, Locator::Css("#council button[type=submit]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("協議会での状況を記録しました"), "{src}");
    assert!(shots(&c, "104-region-issue").await <= 0);
    // Anything of an office is the same 404.
    c.goto(&format!("{base}/clients")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(!src.contains("青木"), "{src}");
    c.close().await.unwrap();
}

/// A CSV as Excel in Japan writes it: Shift_JIS (CP932), CRLF.
fn cp932_csv(path: &Path, rows: &[&str]) {
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad, "the test file is all CP932");
    std::fs::write(path, bytes).unwrap();
}

async fn upload_import(c: &Client, file: &Path) {
    c.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::XPath(
        "//button[normalize-space(.)='読み込んで確認する']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::XPath("//h2[normalize-space(.)='列の対応']"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_clerk_moves_the_excel_ledger_in_fixing_a_wrong_date_first() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    let header = "氏名,フリガナ,生年月日,性別,障害種別,区分,住所";
    let wrong = tmp.path().join("台帳.csv");
    cp932_csv(
        &wrong,
        &[
            header,
            "森田 春樹,モリタ ハルキ,Ｓ６２．３．４,男,知的障害,区分３,N市北町2-1",
            "小川 紗季,オガワ サキ,平成10年7月20日,女,精神,2,N市南町5-5",
            "中島 大和,ナカジマ ヤマト,1990/13/40,男性,身体,区分4,N市東町1-1",
        ],
    );
    c.set_window_size(1366, 900).await.unwrap();
    sign_in(&c, &base, "jimu").await;
    c.goto(&format!("{base}/clients")).await.unwrap();
    go(
        &c,
        Locator::XPath("//a[normalize-space(.)='Excel・CSVから取り込む']"),
    )
    .await;
    upload_import(&c, &wrong).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("4行目「生年月日」"), "{src}");
    assert!(src.contains("まだ取り込めません"), "{src}");
    assert!(shots(&c, "110-import-problems").await <= 0);
    // Nothing was saved.
    c.goto(&format!("{base}/clients?q=もりた")).await.unwrap();
    assert!(!c.source().await.unwrap().contains("森田 春樹"));

    // The date fixed in the spreadsheet, the file uploaded again and imported.
    let fixed = tmp.path().join("台帳（直した）.csv");
    cp932_csv(
        &fixed,
        &[
            header,
            "森田 春樹,モリタ ハルキ,Ｓ６２．３．４,男,知的障害,区分３,N市北町2-1",
            "小川 紗季,オガワ サキ,平成10年7月20日,女,精神,2,N市南町5-5",
            "中島 大和,ナカジマ ヤマト,1990/12/10,男性,身体,区分4,N市東町1-1",
        ],
    );
    c.goto(&format!("{base}/clients/import")).await.unwrap();
    upload_import(&c, &fixed).await;
    go(
        &c,
        Locator::XPath("//button[normalize-space(.)='取り込む']"),
    )
    .await;
    c.wait()
        .for_element(Locator::XPath("//a[normalize-space(.)='利用者一覧を見る']"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("取り込みました。新規 3人"), "{src}");
    assert!(shots(&c, "111-import-done").await <= 0);
    c.goto(&format!("{base}/clients?q=もりた")).await.unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("森田 春樹"), "{src}");
}

/// 本人開示: Aさん asks for everything the office holds about her. The admin opens her page,
/// types the day the request came (in 和暦), starts the file, watches it being made and downloads
/// the PDF (its cover and contents looked at as pictures) and the JSON.
#[tokio::test]
async fn the_admin_answers_a_sans_request_for_her_whole_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new());
    let Some(c) = browser(&mut guard, &tmp.path().join("profile")).await else {
        return;
    };
    let base = demo(&mut guard, &tmp.path().join("demo"));
    sign_in(&c, &base, "kanri").await;
    c.goto(&format!("{base}/clients?q=あおき")).await.unwrap();
    go(&c, Locator::XPath("//a[contains(., '青木 明子')]")).await;
    go(&c, Locator::XPath("//a[normalize-space(.)='本人開示']")).await;
    // A date the form cannot read is refused with what was typed kept.
    fill_id(&c, "f-requested_on", "11月20日ごろ").await;
    fill(&c, "note", "窓口で運転免許証により本人確認").await;
    go(&c, Locator::Css("form.card button[type=submit]")).await;
    let src = c.source().await.unwrap();
    assert!(src.contains("請求を受けた日を入力してください"), "{src}");
    assert_eq!(
        value_of(&c, "#f-note").await,
        "窓口で運転免許証により本人確認"
    );
    assert!(shots(&c, "120-person-file-refused").await <= 0);
    fill_id(&c, "f-requested_on", "R8.11.20").await;
    go(&c, Locator::Css("form.card button[type=submit]")).await;
    c.wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css("a[href$='/json'], div.card p.error"))
        .await
        .unwrap();
    let src = c.source().await.unwrap();
    assert!(
        src.contains("PDFとJSONができました") || src.contains("同じ内容のJSONができました"),
        "{src}"
    );
    assert!(shots(&c, "121-person-file-ready").await <= 0);
    let job = c.current_url().await.unwrap().path().to_string();
    let text = pdf_as_pictures(&c, &format!("{job}/pdf"), "doc-person-file").await;
    if !text.is_empty() {
        for part in [
            "保有個人データの開示",
            "目次",
            "利用者台帳",
            "アセスメントシート",
            "サービス等利用計画",
            "モニタリング報告書",
            "支援経過記録",
            "操作記録",
        ] {
            assert!(text.contains(part), "{part}");
        }
    }
    let json = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.json()).then(j => done([j.format, j.cases.length, j.case_notes.length]));",
            vec![serde_json::json!(format!("{job}/json"))],
        )
        .await
        .unwrap();
    assert_eq!(json[0], "yorisoi.person-file/1");
    assert!(
        json[1].as_u64().unwrap() >= 1 && json[2].as_u64().unwrap() >= 1,
        "{json}"
    );
    // Her 共有・開示の記録 now shows it.
    go(
        &c,
        Locator::XPath("//a[normalize-space(.)='利用者のページに戻る']"),
    )
    .await;
    let url = c.current_url().await.unwrap();
    c.goto(&format!(
        "{}/disclosures",
        url.as_str().trim_end_matches('/')
    ))
    .await
    .unwrap();
    let src = c.source().await.unwrap();
    assert!(src.contains("本人開示"), "{src}");
    c.close().await.unwrap();
}
