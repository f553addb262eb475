//! HTTP tests for every route, in-process against a fresh SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod account;
mod admin;
mod api;
mod assessments;
mod audit;
mod authorization;
mod certificates_cases;
mod children;
mod clients;
mod cycle;
mod decisions;
mod documents;
mod expiry;
mod exports;
mod family_wishes;
mod fhir;
#[path = "../fhir/validator.rs"]
mod fhir_validator;
mod home;
mod imports;
mod issue_categories;
mod issue_followups;
mod minors;
mod monitorings;
mod notes;
mod openapi;
mod outside;
mod passkeys;
mod person_file;
mod plans;
mod region;
mod regional_issues;
mod resources;
mod second_factor;
mod session;
mod shares;
mod team;
mod tokens;
mod validation;
