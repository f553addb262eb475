//! The OpenAPI document served at `/api/v1/openapi.json`. Written by hand next to the routes in
//! `api.rs`; a test checks that every route is described.

use serde_json::{Value, json};

fn s(t: &str) -> Value {
    json!({ "type": t })
}

fn date() -> Value {
    json!({ "type": "string", "description": "西暦（2026-04-01, 2026/4/1）または和暦（令和8年4月1日, R8.4.1）" })
}

fn enum_of(codes: &[&str]) -> Value {
    json!({ "type": "string", "enum": codes })
}

fn error_responses() -> Value {
    json!({
        "400": { "description": "JSONを読み取れない", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "401": { "description": "未認証", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "404": { "description": "存在しない、または権限がない（区別しない）", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "409": { "description": "version が古い（他の職員が先に更新）", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "422": { "description": "入力の検証エラー（fields に項目ごとの理由）", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

fn op(summary: &str, body: Option<&str>, ok: &str) -> Value {
    let mut responses = error_responses();
    responses[ok] = json!({ "description": "成功", "content": { "application/json": { "schema": { "type": "object" } } } });
    let mut o = json!({ "summary": summary, "responses": responses, "parameters": [] });
    if let Some(b) = body {
        o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{b}") } } } });
    }
    o
}

fn with_params(mut o: Value, params: Value) -> Value {
    o["parameters"] = params;
    o
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })
}

fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Value {
    let v: Vec<&str> = all.iter().map(|k| code(*k)).collect();
    json!({ "type": "string", "enum": v })
}

fn rows(props: Value) -> Value {
    json!({ "type": "array", "items": { "type": "object", "properties": props } })
}

fn plan_update() -> Value {
    use yorisoi_domain::plan::*;
    let t = s("string");
    json!({ "type": "object", "required": ["version", "drafted_on"], "properties": {
        "version": s("integer"), "drafted_on": date(), "decided_on": date(),
        "guardian_name": t, "guardian_relation": t, "wish_person": { "type": "string", "description": "本人の意向（言葉のまま）" },
        "wish_family": t, "policy": t, "long_goal": t, "short_goal": t, "housing": t, "day_activity": t,
        "support_system": t, "alternatives": t, "emergency": t,
        "rows": rows(json!({ "key": { "type": "string", "description": "版をまたいで変わらない行の番号（新しい行は空）" },
            "need_key": { "type": "string", "description": "アセスメントのニーズの番号" }, "need": t, "goal": t, "due": t,
            "category": codes(ServiceCategory::ALL, |k| k.code()), "service_type": codes(ServiceType::ALL, |k| k.code()),
            "service": t, "days": { "type": "string", "description": "例: 月火木金、平日" }, "time": { "type": "string", "description": "例: 9:30-15:30" },
            "provider": t, "resource_id": t, "person_role": t, "review": t, "notes": t })),
        "week": rows(json!({ "day": t, "start": t, "end": t, "label": t })),
        "main_activities": t, "non_weekly": t, "whole_picture": t,
        "monitoring_period": codes(MonitoringPeriod::ALL, |k| k.code()),
        "monitoring_start": { "type": "string", "description": "例: 2026-05、令和8年5月" }, "monitoring_note": t } })
}

fn meeting_input(versioned: bool) -> Value {
    let t = s("string");
    let mut v = json!({ "type": "object", "required": ["held_on", "participants"], "properties": {
        "held_on": date(), "start": t, "place": t, "chair": t, "recorder": t,
        "participants": { "type": "array", "items": { "type": "string" }, "description": "ケアチームのid" },
        "attended": { "type": "array", "items": { "type": "string" } },
        "introductions": t, "discussion": t, "municipality_view": t, "roles": t,
        "cannot_do": { "type": "string", "description": "1行に1つ（地域課題の候補）" }, "next_date": date(), "key_person": t,
        "consent_and_roles": t, "conclusions": t, "remaining": t,
        "held": { "type": "string", "description": "開催済みなら \"yes\"（計画案は会議済に）" } } });
    if versioned {
        v["properties"]["version"] = s("integer");
        v["required"] = json!(["version", "held_on", "participants"]);
    }
    v
}

fn resource_input(versioned: bool) -> Value {
    use yorisoi_domain::plan::*;
    let t = s("string");
    let mut v = json!({ "type": "object", "required": ["category", "name"], "properties": {
        "category": codes(ServiceCategory::ALL, |k| k.code()), "service_type": codes(ServiceType::ALL, |k| k.code()),
        "name": t, "contact_person": t, "phone": t, "address": t, "note": t } });
    if versioned {
        v["properties"]["version"] = s("integer");
        v["properties"]["active"] = s("boolean");
        v["required"] = json!(["version", "category", "name"]);
    }
    v
}

/// The PUT body: every value a string as typed (dates and years in 西暦 or 和暦); rows keyed so
/// that links and needs can point at them.
fn assessment_update() -> Value {
    use yorisoi_domain::assessment::*;
    let t = s("string");
    let yn = json!({ "type": "string", "enum": ["yes", "no"] });
    let year = json!({ "type": "string", "description": "西暦（1950）または和暦（昭和25, S25）" });
    json!({ "type": "object", "required": ["version", "assessed_on", "method"], "properties": {
        "version": s("integer"), "assessed_on": date(), "method": codes(AssessmentMethod::ALL, |k| k.code()),
        "present": t, "title": t, "appearance": t, "living": t,
        "wish_person": { "type": "string", "description": "本人の希望（本人の言葉のまま）" }, "wish_family": t,
        "abilities": rows(json!({ "item": codes(AbilityItem::ALL, |k| k.code()), "level": codes(AbilityLevel::ALL, |k| k.code()), "note": t })),
        "hobbies": t, "special_skills": t,
        "prescriptions": rows(json!({ "drug": t, "dose": t, "timing": t })),
        "clinics": rows(json!({ "name": t, "department": t, "frequency": t })),
        "medical_note": t,
        "family": rows(json!({ "key": { "type": "string", "description": "空なら新しい人（保存時に番号が付く）" }, "relation": t, "name": t,
            "sex": codes(yorisoi_domain::client::Sex::ALL, |k| k.code()), "birth_year": year, "age": t,
            "deceased": yn, "cohabiting": yn, "is_client": yn, "note": t })),
        "family_links": rows(json!({ "kind": codes(FamilyLinkKind::ALL, |k| k.code()), "from": { "type": "string", "description": "family の key（親子なら親）" }, "to": t })),
        "ecomap": rows(json!({ "name": t, "kind": codes(ResourceKind::ALL, |k| k.code()), "tie": codes(TieKind::ALL, |k| k.code()), "direction": codes(TieDirection::ALL, |k| k.code()), "note": t })),
        "history": rows(json!({ "year": year, "month": t, "event": t })),
        "day": rows(json!({ "time": { "type": "string", "description": "7:30、7時半" }, "activity": t })),
        "week": { "type": "array", "description": "月〜日の7要素、それぞれ［午前, 午後, 夜間］", "items": { "type": "array", "items": t } },
        "strengths": rows(json!({ "kind": codes(StrengthKind::ALL, |k| k.code()), "text": t })),
        "demands": rows(json!({ "key": t, "speaker": codes(Speaker::ALL, |k| k.code()), "words": t })),
        "needs": rows(json!({ "key": t, "text": t, "source": { "type": "string", "description": "wish_person / wish_family / demand-<key>" }, "grounds": t, "reframing": t })),
        "judgement": t
    } })
}

pub fn spec() -> Value {
    let string = s("string");
    let client_input = json!({
        "type": "object",
        "required": ["family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date", "sex"],
        "properties": {
            "family_name": string, "given_name": string,
            "family_name_kana": { "type": "string", "description": "ひらがな・カタカナ（保存はひらがな）" },
            "given_name_kana": string, "birth_date": date(), "sex": enum_of(&["male", "female", "other"]),
            "postal_code": string, "address": string, "phone": string,
            "disability_kinds": { "type": "array", "items": enum_of(&["physical", "intellectual", "mental", "developmental", "intractable", "higher_brain", "child"]) },
            "diagnosis": string, "complications": string,
            "support_category": enum_of(&["unassessed", "na", "1", "2", "3", "4", "5", "6"]),
            "support_category_from": date(), "support_category_until": date(),
            "income_kinds": { "type": "array", "items": enum_of(&["pension1", "pension2", "pension3", "welfare", "wages", "salary", "family", "other"]) },
            "income_note": string, "guardian_kind": enum_of(&["none", "parent", "guardian", "curator", "assistant"]),
            "guardian_name": string, "guardian_contact": string, "key_person": string, "doctor": string,
            "medical_institution": string, "status": enum_of(&["consulting", "supporting", "closed"]), "notes": string
        }
    });
    let mut client_update = client_input.clone();
    client_update["properties"]["version"] = s("integer");
    client_update["required"] = json!([
        "version",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "sex"
    ]);
    let mut new_client = client_input.clone();
    new_client["properties"]["assigned_user_id"] = json!({ "type": "integer", "description": "管理者・主任のみ有効。相談支援専門員が登録すると本人の担当になる" });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "yorisoi API",
            "version": "1",
            "description": "相談支援の記録（利用者台帳・受給者証・支援ケース・支援経過記録・アセスメント）。認証は個人用APIトークン（Authorization: Bearer ysi_…）またはブラウザのセッション（書き込みには X-CSRF-Token）。権限と操作記録は画面と同じ。"
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/clients": {
                "get": with_params(op("利用者の一覧・検索（見える範囲のみ）", None, "200"), json!([
                    { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "氏名・ふりがな（ひらがな・カタカナ・全角半角を区別しない）" },
                    { "name": "status", "in": "query", "schema": enum_of(&["consulting", "supporting", "closed"]) },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 0 } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }
                ])),
                "post": op("利用者の登録", Some("NewClient"), "201")
            },
            "/clients/{id}": {
                "get": with_params(op("利用者台帳（障害者手帳を含む）", None, "200"), json!([id_param()])),
                "put": with_params(op("利用者台帳の更新（version が古いと409）", Some("ClientUpdate"), "200"), json!([id_param()]))
            },
            "/clients/{id}/certificates": {
                "get": with_params(op("受給者証の全版（新しい順）", None, "200"), json!([id_param()])),
                "post": with_params(op("受給者証の新しい版を登録（既存の版は変更しない）", Some("CertificateInput"), "201"), json!([id_param()]))
            },
            "/clients/{id}/cases": {
                "get": with_params(op("支援ケースの一覧", None, "200"), json!([id_param()])),
                "post": with_params(op("インテークを記録してケースを開始", Some("IntakeInput"), "201"), json!([id_param()]))
            },
            "/clients/{id}/notes": {
                "get": with_params(op("支援経過記録（新しい順、全文検索）", None, "200"), json!([id_param(),
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "maximum": 200 } },
                    { "name": "offset", "in": "query", "schema": { "type": "integer" } }])),
                "post": with_params(op("支援経過記録の追加", Some("NoteInput"), "201"), json!([id_param()]))
            },
            "/cases/{id}": { "get": with_params(op("支援ケースとインテーク", None, "200"), json!([id_param()])) },
            "/cases/{id}/close": { "post": with_params(op("ケースの終結", Some("CloseInput"), "200"), json!([id_param()])) },
            "/cases/{id}/assessments": {
                "get": with_params(op("ケースのアセスメントの版（新しい順）", None, "200"), json!([id_param()])),
                "post": with_params(op("アセスメントを始める（2回目以降は最新の版をコピーした再アセスメント）", Some("AssessmentStart"), "201"), json!([id_param()]))
            },
            "/assessments/{id}": {
                "get": with_params(op("アセスメントの版（assessment: 記録、input: PUT にそのまま使える形）", None, "200"), json!([id_param()])),
                "put": with_params(op("アセスメントの更新（最新の版のみ。version が古いと409）", Some("AssessmentUpdate"), "200"), json!([id_param()]))
            },
            "/cases/{id}/plans": {
                "get": with_params(op("ケースの計画の版（新しい順）", None, "200"), json!([id_param()])),
                "post": with_params(op("最新のアセスメントから計画案を作る", Some("PlanDraft"), "201"), json!([id_param()]))
            },
            "/plans/{id}": {
                "get": with_params(op("計画の版（plan、input: PUT にそのまま使える形、checklist: 報酬算定の手順、implementations）", None, "200"), json!([id_param()])),
                "put": with_params(op("計画の更新（最新の版・本計画になる前のみ。version が古いと409）", Some("PlanUpdate"), "200"), json!([id_param()]))
            },
            "/plans/{id}/consents": { "post": with_params(op("計画案・本計画への同意（署名）の記録", Some("PlanConsent"), "200"), json!([id_param()])) },
            "/plans/{id}/handovers": { "post": with_params(op("計画案・本計画の交付の記録", Some("Handover"), "200"), json!([id_param()])) },
            "/plans/{id}/state": { "post": with_params(op("状態の変更（reviewed は開催済みの会議が必要、final は提供事業者・計画作成日・同意が必要）", Some("PlanStateChange"), "200"), json!([id_param()])) },
            "/plans/{id}/change": { "post": with_params(op("計画変更（本計画をコピーした新しい計画案）", Some("PlanDraft"), "201"), json!([id_param()])) },
            "/plans/{id}/meetings": {
                "get": with_params(op("計画のサービス担当者会議", None, "200"), json!([id_param()])),
                "post": with_params(op("会議の予定・記録（同意のない参加者は422）", Some("MeetingInput"), "201"), json!([id_param()]))
            },
            "/meetings/{id}": {
                "get": with_params(op("会議（meeting と input）", None, "200"), json!([id_param()])),
                "put": with_params(op("会議の更新（version が古いと409）", Some("MeetingUpdate"), "200"), json!([id_param()]))
            },
            "/clients/{id}/team": {
                "get": with_params(op("ケアチーム", None, "200"), json!([id_param()])),
                "post": with_params(op("ケアチームに加える", Some("TeamMemberInput"), "201"), json!([id_param()]))
            },
            "/clients/{id}/consents": {
                "get": with_params(op("個人情報使用同意（撤回・差し替えの履歴を含む）", None, "200"), json!([id_param()])),
                "post": with_params(op("同意の記録（replaces を指定すると、その同意は新しい同意日で撤回）", Some("ShareConsentInput"), "201"), json!([id_param()]))
            },
            "/clients/{id}/consents/{consent}/withdraw": { "post": with_params(op("同意の撤回（すぐに効力。省略時は今日）", Some("Withdraw"), "200"), json!([id_param(), { "name": "consent", "in": "path", "required": true, "schema": { "type": "integer" } }])) },
            "/resources": {
                "get": with_params(op("社会資源（事業所内）", None, "200"), json!([
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "category", "in": "query", "schema": codes(yorisoi_domain::plan::ServiceCategory::ALL, |k| k.code()) },
                    { "name": "service_type", "in": "query", "schema": codes(yorisoi_domain::plan::ServiceType::ALL, |k| k.code()) }])),
                "post": op("社会資源の登録", Some("ResourceInput"), "201")
            },
            "/resources/{id}": {
                "get": with_params(op("社会資源（resource と input）", None, "200"), json!([id_param()])),
                "put": with_params(op("社会資源の更新（active: false で使わないものに）", Some("ResourceUpdate"), "200"), json!([id_param()]))
            }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": string, "message": { "type": "string", "description": "利用者向けの日本語の説明" }, "fields": { "type": "object", "additionalProperties": { "type": "string" } } } },
                "NewClient": new_client,
                "AssessmentStart": { "type": "object", "required": ["assessed_on", "method"], "properties": {
                    "assessed_on": date(), "method": codes(yorisoi_domain::assessment::AssessmentMethod::ALL, |k| k.code()),
                    "present": { "type": "string", "description": "同席者" } } },
                "AssessmentUpdate": assessment_update(),
                "PlanDraft": { "type": "object", "required": ["drafted_on"], "properties": { "drafted_on": date() } },
                "PlanUpdate": plan_update(),
                "PlanConsent": { "type": "object", "required": ["version", "stage", "signed_on", "signer", "role", "explained"], "properties": {
                    "version": s("integer"), "stage": codes(yorisoi_domain::plan::DocStage::ALL, |k| k.code()), "signed_on": date(),
                    "signer": string, "role": codes(yorisoi_domain::plan::SignerRole::ALL, |k| k.code()),
                    "explained": { "type": "string", "description": "説明したうえでの同意なら \"yes\"" } } },
                "Handover": { "type": "object", "required": ["version", "stage", "to", "on", "method"], "properties": {
                    "version": s("integer"), "stage": codes(yorisoi_domain::plan::DocStage::ALL, |k| k.code()), "to": string, "on": date(),
                    "method": codes(yorisoi_domain::plan::HandoverMethod::ALL, |k| k.code()) } },
                "PlanStateChange": { "type": "object", "required": ["version", "to"], "properties": { "version": s("integer"), "to": enum_of(&["reviewed", "final"]) } },
                "MeetingInput": meeting_input(false),
                "MeetingUpdate": meeting_input(true),
                "TeamMemberInput": { "type": "object", "required": ["kind", "name"], "properties": {
                    "kind": codes(yorisoi_domain::team::MemberKind::ALL, |k| k.code()), "name": string, "organisation": string,
                    "contact": string, "role": string, "resource_id": { "type": "string", "description": "社会資源のid" } } },
                "ShareConsentInput": { "type": "object", "required": ["member_ids", "sections", "purpose", "given_on"], "properties": {
                    "subject": { "type": "string", "description": "本人なら空、家族ならその人の名前" },
                    "member_ids": { "type": "array", "items": { "type": "string" }, "description": "ケアチームのid" },
                    "sections": { "type": "array", "items": codes(yorisoi_domain::team::ShareSection::ALL, |k| k.code()) },
                    "purpose": string, "given_on": date(), "document": string, "replaces": s("integer") } },
                "Withdraw": { "type": "object", "properties": { "withdrawn_on": date() } },
                "ResourceInput": resource_input(false),
                "ResourceUpdate": resource_input(true),
                "ClientUpdate": client_update,
                "CertificateInput": { "type": "object", "required": ["number", "municipality", "issued_on", "decision_from", "decision_until"], "properties": {
                    "kind": enum_of(&["welfare", "child_day", "community"]), "number": { "type": "string", "description": "受給者証番号（10桁）" },
                    "municipality": string, "issued_on": date(), "decision_from": date(), "decision_until": date(),
                    "services": { "type": "string", "description": "1行に1つ「種類：支給量」" }, "cost_cap_yen": string,
                    "plan_support_from": date(), "plan_support_until": date(),
                    "monitoring_period": enum_of(&["monthly", "every2", "every3", "every6", "every12"]),
                    "monitoring_months": { "type": "string", "description": "例: 7,10,1,4 / 2026-07, 2026-10" }, "note": string } },
                "IntakeInput": { "type": "object", "required": ["intake_date", "referral_source", "chief_complaint", "consent_to_support"], "properties": {
                    "intake_date": date(), "referral_source": enum_of(&["person", "family", "municipality", "provider", "medical", "school", "other"]),
                    "referral_note": string, "chief_complaint": { "type": "string", "description": "主訴（本人の言葉のまま）" }, "situation": string,
                    "explained": string, "consent_to_support": enum_of(&["yes", "undecided", "no"]), "urgency": enum_of(&["low", "medium", "high"]),
                    "next_steps": string, "title": string } },
                "NoteInput": { "type": "object", "required": ["kind", "content"], "properties": {
                    "date": date(), "time": { "type": "string", "description": "HH:MM（省略時は現在）" },
                    "kind": enum_of(&["phone", "interview", "visit", "accompany", "meeting", "agency", "mail", "other"]),
                    "counterpart": string, "content": string, "minutes": string, "case_id": string } },
                "CloseInput": { "type": "object", "required": ["version", "closed_on", "reason", "changes"], "properties": {
                    "version": s("integer"), "closed_on": date(),
                    "reason": enum_of(&["needs_resolved", "person_wishes", "hospitalized", "moved", "died", "transferred", "other"]),
                    "reason_text": string,
                    "changes": { "type": "string", "description": "ふりかえり: 本人にとって何が変わったか（必須）" },
                    "person_words": { "type": "string", "description": "本人の言葉" },
                    "learning": { "type": "string", "description": "チームが学んだこと" },
                    "handover_to": { "type": "string", "description": "引き継ぎ先（他事業所へ移行・転居のとき必須）" },
                    "handover": { "type": "string", "description": "引き継いだ内容（引き継ぎ先があるとき必須）" } } }
            }
        }
    })
}
