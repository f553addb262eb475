//! The forms and queries of the client pages. The ledger (`ClientInput`), a disability book
//! (`BookInput`) and a note (`NoteInput`) are the domain's inputs, read as typed; around them
//! the few fields the pages add.

use crate::error::AppError;
use crate::kit::form::{RawForm, parse_id};
use crate::kit::grid::{at, row_count};
use yorisoi_domain::client::{ClientInput, GuardianInput};
use yorisoi_store::clients::StaffFilter;

/// `GET /clients?…`: the list's search, filters, sort and page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub staff: String,
    pub cert: String,
    pub sort: String,
    pub page: String,
    /// How many clients the bulk assignment just changed.
    pub assigned: String,
}

impl ListQuery {
    pub fn staff_filter(&self) -> StaffFilter {
        match self.staff.trim() {
            "" => StaffFilter::Any,
            "none" => StaffFilter::Unassigned,
            s => s.parse().map(StaffFilter::User).unwrap_or(StaffFilter::Any),
        }
    }

    /// Certificates ending within this many days (0 to 366), if asked.
    pub fn cert_within_days(&self) -> Option<i64> {
        self.cert
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=366).contains(d))
    }
}

/// `GET /notes?q=&page=`: the office-wide note search.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NoteSearchQuery {
    pub q: String,
    pub page: String,
}

/// `GET /clients/{id}?…`: the notes section's search and offset, and what was just saved.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub q: String,
    pub offset: String,
    pub saved: String,
}

impl ShowQuery {
    pub fn offset(&self) -> u64 {
        self.offset
            .trim()
            .parse::<u64>()
            .unwrap_or(0)
            .min(1_000_000)
    }
}

/// The ledger form's assignee (offered to admins and leads only).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct AssignedField {
    pub assigned_user_id: String,
}

impl AssignedField {
    pub fn user_id(&self) -> Result<Option<i64>, AppError> {
        match self.assigned_user_id.trim() {
            "" => Ok(None),
            v => parse_id(v, "担当").map(Some),
        }
    }
}

/// The ledger form's 保護者・後見人等 grid, as parallel columns (every cell always submits).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GuardianColumns {
    pub guardian_kind: Vec<String>,
    pub guardian_relation: Vec<String>,
    pub guardian_name: Vec<String>,
    pub guardian_contact: Vec<String>,
}

impl GuardianColumns {
    pub fn rows(&self) -> Vec<GuardianInput> {
        let n = row_count(&[
            &self.guardian_kind,
            &self.guardian_relation,
            &self.guardian_name,
            &self.guardian_contact,
        ]);
        (0..n)
            .map(|i| GuardianInput {
                kind: at(&self.guardian_kind, i),
                relation: at(&self.guardian_relation, i),
                name: at(&self.guardian_name, i),
                contact: at(&self.guardian_contact, i),
            })
            .collect()
    }
}

/// The ledger as the form sent it: its fields and the guardians' rows.
pub fn ledger_input(body: &RawForm) -> Result<ClientInput, AppError> {
    let mut input: ClientInput = body.parse()?;
    let columns: GuardianColumns = body.parse()?;
    input.guardians = columns.rows();
    Ok(input)
}

/// The blank ledger form of a new client.
pub fn new_client() -> ClientInput {
    ClientInput {
        status: "consulting".into(),
        support_category: "unassessed".into(),
        ..Default::default()
    }
}

/// `POST /clients/assign`: the checked clients and the staff member to give them to ("none"
/// to unassign; nothing chosen is refused, never read as 「未割当にする」).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssignInput {
    pub ids: Vec<String>,
    pub user: String,
}

impl AssignInput {
    /// (client ids, assignee) as numbers.
    pub fn parse(&self) -> Result<(Vec<i64>, Option<i64>), AppError> {
        let ids = self
            .ids
            .iter()
            .map(|i| parse_id(i, "利用者"))
            .collect::<Result<Vec<_>, _>>()?;
        let to = match self.user.trim() {
            "" => {
                return Err(AppError::BadRequest(
                    "担当を変える先（職員、または「未割当にする」）を選んでください。".into(),
                ));
            }
            "none" => None,
            u => Some(parse_id(u, "担当")?),
        };
        Ok((ids, to))
    }
}

/// A stored note as its edit form shows it.
pub fn note_input(n: &yorisoi_store::notes::Note) -> yorisoi_domain::note::NoteInput {
    yorisoi_domain::note::NoteInput {
        date: n.record.occurred_at.date().to_string(),
        time: n.record.occurred_at.format("%H:%M").to_string(),
        kind: n.record.kind.code().into(),
        counterpart: n.record.counterpart.clone(),
        content: n.record.content.clone(),
        minutes: n.record.minutes.map(|m| m.to_string()).unwrap_or_default(),
        case_id: n.record.case_id.map(|c| c.to_string()).unwrap_or_default(),
    }
}
