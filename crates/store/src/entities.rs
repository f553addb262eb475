//! SeaORM entities, one module per table. Relations are not declared: repositories join by id
//! explicitly and always filter by office.
#![allow(clippy::all)]

macro_rules! entity {
    // Also read from a row PostgreSQL has turned into JSON (`crate::client_page`): every field
    // must read from what `row_to_json` writes for its column (text, integers, booleans, dates
    // and timestamps with their offset do; a renamed column or a decimal would not).
    (json $module:ident, $table:literal, { $($field:ident : $ty:ty),* $(,)? }) => {
        entity!(@ $module, $table, [serde::Deserialize], { $($field : $ty),* });
    };
    ($module:ident, $table:literal, { $($field:ident : $ty:ty),* $(,)? }) => {
        entity!(@ $module, $table, [], { $($field : $ty),* });
    };
    (@ $module:ident, $table:literal, [$($extra:path),*], { $($field:ident : $ty:ty),* }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;
            #[allow(unused_imports)]
            use super::{Ts, Date};
            #[derive(Clone, Debug, PartialEq, DeriveEntityModel $(, $extra)*)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key)]
                pub id: i64,
                $(pub $field: $ty,)*
            }
            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}
            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

pub(crate) type Ts = sea_orm::prelude::DateTimeUtc;
pub(crate) type Date = sea_orm::prelude::Date;

entity!(office, "offices", {
    name: String, retention_years: i32, data_version: i64, doc_settings: String, created_at: Ts,
});

entity!(user, "users", {
    office_id: i64, login: String, display_name: String, role: String, password_hash: String,
    active: bool, version: i32, created_at: Ts, updated_at: Ts, must_change_password: bool,
});

entity!(session, "sessions", {
    token_hash: String, user_id: i64, csrf_token: String, created_at: Ts, last_seen_at: Ts,
    absolute_expires_at: Ts, user_agent: String, address: String,
});

entity!(login_attempt, "login_attempts", { key: String, at: Ts });

entity!(known_device, "known_devices", {
    user_id: i64, device_hash: String, created_at: Ts, last_seen_at: Ts,
});

entity!(second_factor, "second_factors", {
    office_id: i64, user_id: i64, secret: String, confirmed_at: Option<Ts>,
    last_step: Option<i64>, created_at: Ts,
});

entity!(recovery_code, "recovery_codes", {
    office_id: i64, user_id: i64, code_hash: String, used_at: Option<Ts>, created_at: Ts,
});

entity!(second_factor_policy, "second_factor_policies", {
    office_id: i64, mode: String, grace_until: Option<Date>, updated_by: i64, updated_at: Ts,
});

entity!(pending_sign_in, "pending_sign_ins", {
    token_hash: String, user_id: i64, purpose: String, next: String, created_at: Ts,
    expires_at: Ts,
});

entity!(passkey, "passkeys", {
    office_id: i64, user_id: i64, name: String, credential_id: String, user_handle: String,
    credential: String, created_at: Ts, last_used_at: Option<Ts>,
});

entity!(webauthn_challenge, "webauthn_challenges", {
    user_id: i64, purpose: String, pending_id: Option<i64>, state: String, expires_at: Ts,
});

entity!(parked_form, "parked_forms", {
    user_id: i64, path: String, page: String, body: String, created_at: Ts,
});

entity!(api_token, "api_tokens", {
    office_id: i64, user_id: i64, name: String, token_hash: String, created_by: i64,
    created_at: Ts, revoked_at: Option<Ts>, last_used_at: Option<Ts>, scope: String,
    expires_at: Option<Ts>,
});

entity!(json client, "clients", {
    office_id: i64, assigned_user_id: Option<i64>, family_name: String, given_name: String,
    family_name_kana: String, given_name_kana: String, search_key: String, birth_date: Date,
    sex: String, postal_code: String, address: String, phone: String, disability_kinds: String,
    diagnosis: String, complications: String, support_category: String,
    support_category_from: Option<Date>, support_category_until: Option<Date>,
    income_kinds: String, income_note: String, guardians: String, key_person: String, doctor: String, medical_institution: String,
    status: String, notes: String, cert_until: Option<Date>, version: i32, created_at: Ts,
    updated_at: Ts,
});

entity!(json disability_book, "disability_books", {
    office_id: i64, client_id: i64, kind: String, grade: String, issued_on: Option<Date>,
    expires_on: Option<Date>, created_at: Ts,
});

entity!(json certificate, "certificates", {
    office_id: i64, client_id: i64, version_no: i32, kind: String, number: String,
    municipality: String, issued_on: Date, decision_from: Date, decision_until: Date,
    services: String, cost_cap_yen: i64, plan_support_from: Option<Date>,
    plan_support_until: Option<Date>, monitoring_period: Option<String>,
    monitoring_months: String, note: String, created_by: i64, created_at: Ts,
});

entity!(json case, "cases", {
    office_id: i64, client_id: i64, stage: String, title: String, opened_on: Date,
    closed_on: Option<Date>, close_reason: Option<String>, close_reason_text: String,
    evaluation: String, retain_until: Option<Date>,
    created_by: i64, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(intake, "intakes", {
    office_id: i64, case_id: i64, intake_date: Date, referral_source: String,
    referral_note: String, chief_complaint: String, situation: String, explained: String,
    consent_to_support: String, urgency: String, next_steps: String, version: i32,
    created_at: Ts, updated_at: Ts,
});

entity!(json case_note, "case_notes", {
    office_id: i64, client_id: i64, case_id: Option<i64>,
    occurred_at: sea_orm::prelude::DateTime, kind: String, counterpart: String,
    content: String, minutes: Option<i32>, staff_user_id: i64, version: i32, created_at: Ts,
    updated_at: Ts, search_text: String,
});

entity!(audit_event, "audit_events", {
    office_id: i64, seq: i64, at: Ts, user_id: Option<i64>, action: String,
    record_kind: String, record_id: Option<i64>, client_id: Option<i64>, outcome: String,
    detail: String, prev_hash: String, hash: String, key_id: String,
});

entity!(assessment, "assessments", {
    office_id: i64, client_id: i64, case_id: i64, version_no: i32, assessed_on: Date,
    method: String, title: String, body: String, created_by: i64, updated_by: i64, version: i32,
    created_at: Ts, updated_at: Ts,
});

entity!(resource, "resources", {
    office_id: i64, category: String, service_type: String, name: String, body: String,
    active: bool, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(team_member, "team_members", {
    office_id: i64, client_id: i64, kind: String, name: String, body: String, active: bool,
    version: i32, created_at: Ts, updated_at: Ts,
});

entity!(invitation, "invitations", {
    office_id: i64, client_id: i64, member_id: i64, code_hash: String, created_by: i64,
    created_at: Ts, expires_at: Ts, used_at: Option<Ts>, used_by: Option<i64>,
    revoked_at: Option<Ts>,
});

entity!(provider_report, "provider_reports", {
    office_id: i64, client_id: i64, plan_id: i64, member_id: i64, user_id: i64, month: String,
    body: String, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(document_share, "document_shares", {
    office_id: i64, client_id: i64, member_id: i64, doc: String, record_id: i64, stage: String,
    title: String, message: String, shared_by: i64, created_at: Ts, expires_on: Option<Date>,
    revoked_at: Option<Ts>, revoked_by: Option<i64>, received_at: Option<Ts>,
    received_by: Option<i64>,
});

entity!(member_account, "member_accounts", {
    office_id: i64, member_id: i64, user_id: i64, created_at: Ts,
});

entity!(share_consent, "share_consents", {
    office_id: i64, client_id: i64, subject: String, given_on: Date, withdrawn_on: Option<Date>,
    withdrawn_by: Option<i64>, replaces_id: Option<i64>, body: String, created_by: i64,
    created_at: Ts,
});

entity!(plan, "plans", {
    office_id: i64, client_id: i64, case_id: i64, version_no: i32, state: String,
    drafted_on: Date, decided_on: Option<Date>, body: String, created_by: i64, updated_by: i64,
    version: i32, created_at: Ts, updated_at: Ts,
});

entity!(monitoring, "monitorings", {
    office_id: i64, client_id: i64, case_id: i64, plan_id: i64, monitored_on: Date,
    outcome: String, body: String, created_by: i64, updated_by: i64, version: i32,
    created_at: Ts, updated_at: Ts,
});

entity!(decision, "decisions", {
    office_id: i64, client_id: i64, case_id: i64, question: String, step: String,
    lead_user_id: i64, started_on: Date, decided_on: Option<Date>, follow_up_on: Option<Date>,
    body: String, created_by: i64, updated_by: i64, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(meeting, "meetings", {
    office_id: i64, client_id: i64, case_id: i64, plan_id: i64, held_on: Date, held: bool,
    body: String, created_by: i64, updated_by: i64, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(attachment, "attachments", {
    office_id: i64, client_id: i64, filename: String, content_type: String, size: i64,
    sha256: String, data: Vec<u8>, created_by: i64, created_at: Ts,
});

entity!(implementation, "implementations", {
    office_id: i64, client_id: i64, plan_id: i64, row_key: i32, body: String,
    attachment_id: Option<i64>, version: i32, created_at: Ts, updated_at: Ts,
});

entity!(regional_issue, "regional_issues", {
    office_id: i64, title: String, category: String, need: String, resource: String,
    area: String, status: String, source_kind: String, source_ref: Option<i64>, raised_by: i64,
    raised_on: Date, released_on: Option<Date>, released_by: Option<i64>, version: i32,
    created_at: Ts, updated_at: Ts, council_reply: String, council_on: Option<Date>,
    council_by: Option<i64>, own_category_id: Option<i64>,
});

entity!(issue_category, "issue_categories", {
    office_id: i64, label: String, counts_as: String, active: bool, position: i32, version: i32,
    created_at: Ts, updated_at: Ts,
});

entity!(issue_category_unused, "issue_categories_unused", {
    office_id: i64, code: String,
});

entity!(region, "regions", {
    office_id: i64, name: String, created_by: i64, version: i32, created_at: Ts,
});

entity!(region_office, "region_offices", {
    region_id: i64, office_id: i64, area: String, joined_on: Date, joined_by: i64, created_at: Ts,
});

entity!(regional_issue_case, "regional_issue_cases", {
    issue_id: i64, office_id: i64, case_id: i64, client_id: i64, created_at: Ts,
});

// Issue 20's follow-ups (m0021). The two columns added to `regional_issues` are read and written
// through their own view of that table, so that the issue's main entity stays as it was.
entity!(regional_issue_followup, "regional_issues", {
    office_id: i64, title: String, status: String, merged_into: Option<i64>,
    resource_id: Option<i64>, version: i32, updated_at: Ts,
});

entity!(case_vignette, "case_vignettes", {
    office_id: i64, case_id: i64, client_id: i64, issue_id: Option<i64>, title: String,
    body: String, written_by: i64, released_on: Option<Date>, released_by: Option<i64>,
    version: i32, created_at: Ts, updated_at: Ts,
});

entity!(joint_support_record, "joint_support_records", {
    office_id: i64, case_id: i64, client_id: i64, issue_id: Option<i64>, worked_on: Date,
    parties: String, reported_on: Date, report_title: String, summary: String, keep_until: Date,
    created_by: i64, version: i32, created_at: Ts, updated_at: Ts,
});
