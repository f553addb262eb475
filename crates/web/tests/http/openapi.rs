//! The API's document against the API itself: every operation it lists exists (and answers
//! 401 JSON without credentials), no route is registered outside it, no schema is a bare
//! object, and out-of-range ids and pages are a JSON 4xx, never a panic or a 5xx.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

fn document() -> Value {
    serde_json::to_value(yorisoi_web::api::openapi()).unwrap()
}

/// (method, path template) of every operation in the document.
fn operations(doc: &Value) -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in ["get", "post", "put", "delete", "patch"] {
            if item.get(m).is_some() {
                out.push((
                    Method::from_bytes(m.to_uppercase().as_bytes()).unwrap(),
                    path.clone(),
                ));
            }
        }
    }
    out
}

/// A path template with its parameters filled: numbers for ids, a known word otherwise.
fn filled(template: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        let name = &rest[start + 1..end];
        out.push_str(match name {
            "section" => "overview",
            "doc" => "plan",
            "file" => "genogram.svg",
            _ => id,
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_documented_operation_exists_and_needs_credentials() {
    let app = app().await;
    let doc = document();
    let ops = operations(&doc);
    assert!(
        ops.len() >= 60,
        "the document lists {} operations",
        ops.len()
    );
    for (method, template) in ops {
        let path = format!("/api/v1{}", filled(&template, "1"));
        let req = Request::builder()
            .method(method.clone())
            .uri(&path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {path} answers JSON"
        );
    }
}

#[test]
fn no_api_route_is_registered_outside_the_document() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let routes = text.matches(".route(").count();
        // `mod.rs` serves the document itself at /openapi.json, and only that.
        let allowed = usize::from(p.ends_with("mod.rs"));
        assert!(
            routes <= allowed,
            "{} registers {routes} route(s) with `.route(` instead of `routes!`",
            p.display()
        );
    }
}

/// Every schema of a request or response says what it holds.
#[test]
fn no_schema_is_a_bare_object() {
    fn walk(v: &Value, at: &str, bare: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                let is_bare = m.get("type").and_then(Value::as_str) == Some("object")
                    && !m.contains_key("properties")
                    && !m.contains_key("additionalProperties")
                    && !m.contains_key("allOf")
                    && !m.contains_key("oneOf");
                if is_bare {
                    bare.push(at.to_string());
                }
                for (k, x) in m {
                    walk(x, &format!("{at}/{k}"), bare);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"), bare);
                }
            }
            _ => {}
        }
    }
    let doc = document();
    let mut bare = Vec::new();
    walk(&doc, "", &mut bare);
    assert!(bare.is_empty(), "bare object schemas at {bare:#?}");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap() {
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            let ok = responses
                .iter()
                .filter(|(s, _)| s.starts_with('2'))
                .collect::<Vec<_>>();
            assert!(!ok.is_empty(), "{m} {path} documents no success");
            for (status, r) in ok {
                if status == "204" {
                    continue;
                }
                assert!(
                    r["content"]
                        .as_object()
                        .is_some_and(|c| c.values().all(|media| media.get("schema").is_some())),
                    "{m} {path} {status} has no schema"
                );
            }
        }
    }
}

#[tokio::test]
async fn ids_and_pages_out_of_range_are_a_json_4xx() {
    let app = app().await;
    let token = app.token(app.admin).await;
    let doc = document();
    let mut checked = 0;
    for (method, template) in operations(&doc) {
        if method != Method::GET || !template.contains("{id}") {
            continue;
        }
        for id in ["9223372036854775807", "-1", "abc", "99999999999999999999"] {
            let path = format!("/api/v1{}", filled(&template, id));
            let (status, body) = app.api(&token, Method::GET, &path, None).await;
            assert!(status.is_client_error(), "GET {path}: {status}");
            assert!(body["error"].is_string(), "GET {path}: JSON error body");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} checked");
    for q in [
        "page=9223372036854775807",
        "page=-1",
        "page=abc",
        "per_page=9223372036854775807",
        "per_page=0",
    ] {
        let (status, body) = app
            .api(&token, Method::GET, &format!("/api/v1/clients?{q}"), None)
            .await;
        assert!(status.is_client_error(), "{q}: {status}");
        assert!(body["error"].is_string(), "{q}: JSON error body");
    }
}

#[tokio::test]
async fn the_api_without_credentials_is_401_json_and_a_form_post_is_415() {
    let app = app().await;
    let r = app.get(None, "/api/v1/clients").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"], "unauthorized");
    // A page form sent as text/plain is refused, not read.
    let s = app.session(app.spec).await;
    let req = Request::post("/clients")
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(format!("csrf={}&family_name=x", s.csrf)))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // And the API refuses a body that is not JSON.
    let token = app.token(app.spec).await;
    let req = Request::post("/api/v1/clients")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("family_name=x"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
