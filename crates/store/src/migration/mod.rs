//! Migrations, written once for SQLite and PostgreSQL with sea-query; the few backend-specific
//! pieces (full-text search, append-only triggers) are chosen in the migration that needs them.
//! One file per migration, listed here in order; the column helpers they share are below.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_assessment;
mod m0003_plan;
mod m0004_monitoring;
mod m0005_decision_support;
mod m0006_documents;
mod m0007_caseload_index;
mod m0008_known_devices;
mod m0009_account;
mod m0010_second_factor;
mod m0011_audit_key;
mod m0012_token_scope;
mod m0013_passkeys;
mod m0014_note_search;
mod m0015_parked_forms;
mod m0016_regional_issues;
mod m0017_guardians;
mod m0018_outside_members;
mod m0019_provider_reports;
mod m0020_document_shares;
mod m0021_issue_followups;
mod m0022_regions;
mod m0023_issue_categories;

use m0001_foundation::M0001Foundation;
use m0002_assessment::M0002Assessment;
use m0003_plan::M0003Plan;
use m0004_monitoring::M0004Monitoring;
use m0005_decision_support::M0005DecisionSupport;
use m0006_documents::M0006Documents;
use m0007_caseload_index::M0007CaseloadIndex;
use m0008_known_devices::M0008KnownDevices;
use m0009_account::M0009Account;
use m0010_second_factor::M0010SecondFactor;
use m0011_audit_key::M0011AuditKey;
use m0012_token_scope::M0012TokenScope;
use m0013_passkeys::M0013Passkeys;
use m0014_note_search::M0014NoteSearch;
use m0015_parked_forms::M0015ParkedForms;
use m0016_regional_issues::M0016RegionalIssues;
use m0017_guardians::M0017Guardians;
use m0018_outside_members::M0018OutsideMembers;
use m0019_provider_reports::M0019ProviderReports;
use m0020_document_shares::M0020DocumentShares;
use m0021_issue_followups::M0021IssueFollowups;
use m0022_regions::M0022Regions;
use m0023_issue_categories::M0023IssueCategories;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Assessment),
            Box::new(M0003Plan),
            Box::new(M0004Monitoring),
            Box::new(M0005DecisionSupport),
            Box::new(M0006Documents),
            Box::new(M0007CaseloadIndex),
            Box::new(M0008KnownDevices),
            Box::new(M0009Account),
            Box::new(M0010SecondFactor),
            Box::new(M0011AuditKey),
            Box::new(M0012TokenScope),
            Box::new(M0013Passkeys),
            Box::new(M0014NoteSearch),
            Box::new(M0015ParkedForms),
            Box::new(M0016RegionalIssues),
            Box::new(M0017Guardians),
            Box::new(M0018OutsideMembers),
            Box::new(M0019ProviderReports),
            Box::new(M0020DocumentShares),
            Box::new(M0021IssueFollowups),
            Box::new(M0022Regions),
            Box::new(M0023IssueCategories),
        ]
    }
}

fn id() -> ColumnDef {
    ColumnDef::new("id")
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn big(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}
fn big_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}
fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().to_owned()
}
fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .text()
        .not_null()
        .default("")
        .to_owned()
}
fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}
fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().not_null().to_owned()
}
fn date_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().null().to_owned()
}
fn ts(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}
fn ts_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}
fn version() -> ColumnDef {
    ColumnDef::new("version")
        .integer()
        .not_null()
        .default(1)
        .to_owned()
}
fn fk(from_table: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}
fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}
