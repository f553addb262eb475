//! Assessments through the pages and the API.

use crate::common::*;
use axum::http::{Method, StatusCode, header};
use serde_json::json;
use yorisoi_store::*;

#[tokio::test]
async fn assessments_through_the_pages() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let k = app.case_id;
    let case = app.get(Some(&s), &format!("/cases/{k}")).await;
    assert!(
        case.body
            .contains(&format!("/assessments/{}", app.assessment_id))
    );
    let form = app
        .get(Some(&s), &format!("/cases/{k}/assessments/new"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("再アセスメント"));
    // Bad start: the date is kept and explained.
    let r = app
        .post(
            &s,
            &format!("/cases/{k}/assessments"),
            &[("assessed_on", "令和8年2月30日"), ("method", "home_visit")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("令和8年2月30日") && r.body.contains("存在しない日付"));
    // A re-assessment copies the first version.
    let first = format!("/assessments/{}", app.assessment_id);
    let r = app
        .post(
            &s,
            &format!("{first}/edit/wishes"),
            &[("version", "1"), ("wish_person", "A型で働きたい <script>")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let today = today_jst().to_string();
    let r = app
        .post(
            &s,
            &format!("/cases/{k}/assessments"),
            &[
                ("assessed_on", &today),
                ("method", "office"),
                ("present", "本人"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let second = loc.split('?').next().unwrap().to_string();
    let sheet = app.get(Some(&s), &second).await;
    assert!(sheet.body.contains("第2版"));
    assert!(
        sheet.body.contains("A型で働きたい &#60;script&#62;") && !sheet.body.contains("<script>"),
        "the words are kept as written, escaped"
    );
    // The first version is read-only now.
    let r = app
        .post(
            &s,
            &format!("{first}/edit/wishes"),
            &[("version", "2"), ("wish_person", "書き換え")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("過去の版は変更できません"));
    // Family: a link to nobody is refused with the rows kept; then a valid family is drawn.
    let family = format!("{second}/edit/family");
    let mut rows: Vec<(&str, &str)> = vec![("version", "1")];
    for (rel, sex, year, client) in [
        ("本人", "female", "1981", "yes"),
        ("母", "female", "昭和25", "no"),
        ("", "", "", "no"),
    ] {
        rows.extend([
            ("member_key", ""),
            ("member_relation", rel),
            ("member_name", ""),
            ("member_sex", sex),
            ("member_birth_year", year),
            ("member_age", ""),
            ("member_deceased", "no"),
            ("member_cohabiting", "no"),
            ("member_is_client", client),
            ("member_note", ""),
        ]);
    }
    let bad = [
        rows.clone(),
        vec![
            ("link_kind", "parent_child"),
            ("link_from", "9"),
            ("link_to", "1"),
        ],
    ]
    .concat();
    let r = app.post(&s, &family, &bad, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("家族にいない人を指しています"));
    assert!(r.body.contains("value=\"昭和25\""), "typed values stay");
    let good = [
        rows.clone(),
        vec![
            ("link_kind", "parent_child"),
            ("link_from", "2"),
            ("link_to", "1"),
        ],
    ]
    .concat();
    let r = app.post(&s, &family, &good, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Some(&s), &family).await;
    assert_eq!(page.body.matches("class=\"person").count(), 2);
    assert!(page.body.contains("data-key=\"2\""));
    // A stale save: 409, the input kept, a deliberate overwrite offered.
    let r = app.post(&s, &family, &good, true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("最新の内容に上書き") && r.body.contains("value=\"昭和25\""));
    // Levels outside the scale and impossible years are refused.
    let r = app
        .post(
            &s,
            &format!("{second}/edit/abilities"),
            &[
                ("version", "2"),
                ("ability_item", "eating"),
                ("ability_level", "superb"),
                ("ability_note", ""),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("自立・見守り・一部支援・全面支援のどれか"));
    let r = app
        .post(
            &s,
            &format!("{second}/edit/history"),
            &[
                ("version", "2"),
                ("event_year", "平成40"),
                ("event_month", "4"),
                ("event_event", "入院"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("その元号にない年"));
    // Drawings are kept per version: one drawn before a save must not be shown after it.
    let sheet = app.get(Some(&s), &second).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(!sheet.body.contains("発病"));
    let before = app
        .get(Some(&s), &format!("{second}/drawing/timeline.svg"))
        .await;
    assert!(!before.body.contains("発病"));
    let r = app
        .post(
            &s,
            &format!("{second}/edit/history"),
            &[
                ("version", "2"),
                ("event_year", "平成28"),
                ("event_month", ""),
                ("event_event", "発病"),
                ("then", "daily"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("/edit/daily")
    );
    // Drawings as files; unknown drawings and sections are not found.
    let svg = app
        .get(Some(&s), &format!("{second}/drawing/timeline.svg"))
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(
        svg.headers[header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(svg.body.contains("2016年") && svg.body.contains("発病"));
    let sheet = app.get(Some(&s), &second).await;
    assert!(
        sheet.body.contains("発病"),
        "the sheet draws the saved version"
    );
    assert_eq!(
        app.get(Some(&s), &format!("{second}/drawing/x.svg"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&s), &format!("{second}/edit/nothing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The diff shows what changed since the first version.
    let d = app.get(Some(&s), &format!("{second}/diff")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.body.contains("家族構成") && d.body.contains("生活歴") && d.body.contains("発病"));
    // Every section's editor opens.
    for (code, _) in [
        ("overview", 0),
        ("wishes", 0),
        ("strengths", 0),
        ("needs", 0),
        ("family", 0),
        ("ecomap", 0),
        ("history", 0),
        ("daily", 0),
        ("abilities", 0),
        ("medical", 0),
    ] {
        let r = app.get(Some(&s), &format!("{second}/edit/{code}")).await;
        assert_eq!(r.status, StatusCode::OK, "{code}");
    }
}

#[tokio::test]
async fn assessments_through_the_api() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let a = app.assessment_id;
    let (st, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/assessments/{a}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["assessment"]["version_no"], 1);
    let mut body = got["input"].clone();
    body["version"] = json!(1);
    body["wish_person"] = json!("A型で働きたい");
    body["family"] = json!([{ "relation": "本人", "sex": "female", "is_client": "yes" }, { "relation": "母", "sex": "female" }]);
    body["family_links"] = json!([{ "kind": "parent_child", "from": "2", "to": "7" }]);
    let (st, err) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["family_links[0].to"].is_string(), "{err}");
    body["family_links"] = json!([{ "kind": "parent_child", "from": "2", "to": "1" }]);
    let (st, ok) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{ok}");
    assert_eq!(ok["version"], 2);
    let (st, _) = app
        .api(
            &token,
            Method::PUT,
            &format!("/api/v1/assessments/{a}"),
            Some(body),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (_, got) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/assessments/{a}"),
            None,
        )
        .await;
    assert_eq!(got["assessment"]["record"]["family"][1]["relation"], "母");
    let k = app.case_id;
    let (st, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/assessments"),
            Some(json!({ "assessed_on": "R8.13.1", "method": "home_visit" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, made) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/assessments"),
            Some(json!({ "assessed_on": today_jst().to_string(), "method": "office" })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (_, list) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/cases/{k}/assessments"),
            None,
        )
        .await;
    assert_eq!(list["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(list["assessments"][0]["id"], made["id"]);
    // Another office, an unassigned specialist and the clerk get 404 on every route.
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        for (m, path) in [
            (Method::GET, format!("/api/v1/assessments/{a}")),
            (Method::PUT, format!("/api/v1/assessments/{a}")),
            (Method::GET, format!("/api/v1/cases/{k}/assessments")),
            (Method::POST, format!("/api/v1/cases/{k}/assessments")),
        ] {
            let body = (m != Method::GET).then(
                || json!({ "version": 2, "assessed_on": "2026-01-01", "method": "home_visit" }),
            );
            let (st, _) = app.api(&t, m.clone(), &path, body).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who:?} {m} {path}");
        }
    }
}

#[tokio::test]
async fn a_section_form_that_is_not_utf8_is_refused_not_saved_as_replacement_characters() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let path = format!("/assessments/{}/edit/wishes", app.assessment_id);
    // "wish_person=<0xff 0xfe>": not UTF-8 (percent-encoded, as a browser would send it).
    let r = app
        .post_raw(&s, &path, b"version=1&wish_person=%FF%FE")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("読み取れませんでした"), "{}", r.body);
    // Raw bytes on the wire are refused the same way.
    let r = app
        .post_raw(&s, &path, b"version=1&wish_person=\xff\xfe")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let mut tx = app.store.read(app.spec).await.unwrap();
    let acc = assessments::access(
        &mut tx,
        app.assessment_id,
        yorisoi_domain::policy::Action::Read,
    )
    .await
    .unwrap();
    let a = assessments::get(&mut tx, &acc, app.assessment_id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!a.record.wish_person.contains('\u{fffd}'));
    assert_eq!(a.version, 1, "nothing was saved");
}

#[tokio::test]
async fn assessment_api_drawings_content_types_and_the_document() {
    let app = app().await;
    let token = app.token(app.spec).await;
    let a = app.assessment_id;
    let k = app.case_id;
    // The drawing as SVG, documented as image/svg+xml.
    let s = app.session(app.spec).await;
    let svg = app
        .get(
            Some(&s),
            &format!("/api/v1/assessments/{a}/drawing/genogram.svg"),
        )
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(
        svg.headers[header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(svg.body.starts_with("<svg") || svg.body.is_empty() || svg.body.contains("<svg"));
    let (st, err) = app
        .api(
            &token,
            Method::GET,
            &format!("/api/v1/assessments/{a}/drawing/x.svg"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "not_found");
    for who in [app.other_admin, app.spec2, app.clerk] {
        let t = app.token(who).await;
        let (st, _) = app
            .api(
                &t,
                Method::GET,
                &format!("/api/v1/assessments/{a}/drawing/genogram.svg"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who:?}");
    }
    // A body that is not JSON is 415 on both writes.
    for (m, path) in [
        (Method::PUT, format!("/api/v1/assessments/{a}")),
        (Method::POST, format!("/api/v1/cases/{k}/assessments")),
    ] {
        let req = axum::http::Request::builder()
            .method(m.clone())
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{m} {path}");
    }
    // A re-assessment dated before the last version is 422 on the date's field.
    let (st, err) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/cases/{k}/assessments"),
            Some(json!({ "assessed_on": "2000-01-01", "method": "office" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["assessed_on"].is_string(), "{err}");
    // The document lists the operations, the drawing's content type and the PUT body's fields.
    let (_, doc) = app
        .api(&token, Method::GET, "/api/v1/openapi.json", None)
        .await;
    let drawing = &doc["paths"]["/assessments/{id}/drawing/{file}"]["get"];
    assert!(
        drawing["responses"]["200"]["content"]["image/svg+xml"].is_object(),
        "{drawing}"
    );
    let put = &doc["paths"]["/assessments/{id}"]["put"];
    assert!(put["responses"]["409"].is_object());
    let body = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let schema = doc["components"]["schemas"][&body].to_string();
    assert!(
        schema.contains("\"version\"") && schema.contains("AssessmentInput"),
        "{schema}"
    );
}

/// The keys the family editor gives its rows (`member_key` hidden cells), in order.
fn offered_keys(page: &str) -> Vec<String> {
    page.split("name=\"member_key\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or("").to_string())
        .collect()
}

/// A family row as the editor sends it.
fn person<'a>(
    key: &'a str,
    rel: &'a str,
    sex: &'a str,
    year: &'a str,
    client: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("member_key", key),
        ("member_relation", rel),
        ("member_name", ""),
        ("member_sex", sex),
        ("member_birth_year", year),
        ("member_age", ""),
        ("member_deceased", "no"),
        ("member_cohabiting", "no"),
        ("member_is_client", client),
        ("member_note", ""),
    ]
}

fn line<'a>(kind: &'a str, from: &'a str, to: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("link_kind", kind), ("link_from", from), ("link_to", to)]
}

#[tokio::test]
async fn a_family_of_five_and_its_six_lines_are_saved_at_once() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let family = format!("/assessments/{}/edit/family", app.assessment_id);
    let page = app.get(Some(&s), &family).await;
    assert_eq!(page.status, StatusCode::OK);
    // Enough blank rows without JavaScript, each already keyed (distinct), and the lines can
    // name them before any save.
    let keys = offered_keys(&page.body);
    assert!(keys.len() >= 6, "{keys:?}");
    assert!(keys.iter().all(|k| !k.is_empty()), "{keys:?}");
    let mut distinct = keys.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    assert!(page.body.contains("1行目の人（新しく入力）"));
    assert!(page.body.matches("name=\"link_kind\"").count() >= 8);
    assert!(!page.body.contains("保存してから選べます"));
    assert!(page.body.contains("data-add-row=\"family\""));
    let k: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (me, father, mother, brother, grandma) = (k[0], k[1], k[2], k[3], k[4]);
    let mut body: Vec<(&str, &str)> = vec![("version", "1")];
    body.extend(person(me, "本人", "female", "1996", "yes"));
    body.extend(person(father, "父", "male", "昭和35", "no"));
    body.extend(person(mother, "母", "female", "1962", "no"));
    body.extend(person(brother, "兄", "male", "1993", "no"));
    body.extend(person(grandma, "祖母", "female", "1935", "no"));
    for rest in &k[5..] {
        body.extend(person(rest, "", "", "", "no"));
    }
    body.extend(line("married", father, mother));
    body.extend(line("parent_child", father, me));
    body.extend(line("parent_child", mother, me));
    body.extend(line("parent_child", father, brother));
    body.extend(line("parent_child", mother, brother));
    body.extend(line("parent_child", grandma, father));
    body.extend(line("married", "", ""));
    body.extend(line("married", "", ""));
    let r = app.post(&s, &family, &body, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Stored as typed, with the keys the form gave; the genogram draws five people.
    let mut tx = app.store.begin(app.spec).await.unwrap();
    let acc = tx
        .client_access(
            app.client,
            yorisoi_domain::policy::RecordKind::Assessment,
            yorisoi_domain::policy::Action::Read,
        )
        .await
        .unwrap();
    let a = assessments::get(&mut tx, &acc, app.assessment_id)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(a.record.family.len(), 5);
    assert_eq!(a.record.family_links.len(), 6);
    let father_key: u32 = father.parse().unwrap();
    assert!(
        a.record
            .family
            .iter()
            .any(|m| m.key == father_key && m.relation == "父")
    );
    let page = app.get(Some(&s), &family).await;
    assert_eq!(page.body.matches("class=\"person").count(), 5);
    // The saved keep their keys; the blank rows offered next are keyed above them.
    let again = offered_keys(&page.body);
    assert_eq!(&again[..5], &keys[..5]);
    let max: u32 = keys[..5]
        .iter()
        .map(|x| x.parse::<u32>().unwrap())
        .max()
        .unwrap();
    assert!(again[5..].iter().all(|x| x.parse::<u32>().unwrap() > max));
    assert!(page.body.contains("父</option>") || page.body.contains(">父<"));
}

#[tokio::test]
async fn a_line_to_a_new_row_left_empty_is_refused_on_that_line_keeping_the_input() {
    let app = app().await;
    let s = app.session(app.spec).await;
    let family = format!("/assessments/{}/edit/family", app.assessment_id);
    let keys = offered_keys(&app.get(Some(&s), &family).await.body);
    let k: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut body: Vec<(&str, &str)> = vec![("version", "1")];
    body.extend(person(k[0], "本人", "female", "1996", "yes"));
    body.extend(person(k[1], "母", "female", "昭和25", "no"));
    body.extend(person(k[2], "", "", "", "no"));
    body.extend(line("parent_child", k[1], k[0]));
    body.extend(line("parent_child", k[1], k[2]));
    let r = app.post(&s, &family, &body, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("3行目）が空のまま"),
        "the line names the empty row"
    );
    assert!(r.body.contains("value=\"昭和25\""), "typed values stay");
    // The refused line keeps its choice, and its row is marked.
    assert!(r.body.contains(&format!(
        "<option value=\"{}\" selected>3行目の人（新しく入力）</option>",
        k[2]
    )));
    assert!(r.body.contains("id=\"f-family_links-1\""));
    assert!(r.body.contains("href=\"#f-family_links-1\""));
    // Nothing was saved.
    let page = app.get(Some(&s), &family).await;
    assert_eq!(page.body.matches("class=\"person").count(), 0);
}
