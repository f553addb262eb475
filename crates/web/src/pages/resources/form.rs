//! The directory's forms: the list's filters, a new entry, an entry edited.

use crate::error::AppError;
use crate::kit::form::{ActiveField, RawForm, VersionField};
use yorisoi_domain::team::ResourceInput;
use yorisoi_store::resources::ResourceFilter;

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub category: String,
    pub service_type: String,
    /// name (default) or updated
    pub sort: String,
    pub inactive: String,
    pub saved: String,
}

impl ListQuery {
    pub fn filter(&self) -> ResourceFilter {
        ResourceFilter {
            q: self.q.clone(),
            category: self.category.clone(),
            service_type: self.service_type.clone(),
            include_inactive: self.inactive == "1",
        }
    }

    pub fn by_update(&self) -> bool {
        self.sort == "updated"
    }
}

/// A new entry as the form first offers it (most entries are welfare providers).
pub fn blank() -> ResourceInput {
    ResourceInput {
        category: "welfare".into(),
        ..Default::default()
    }
}

/// An entry's edit form: its fields, and whether it is still in use.
#[derive(Debug, Clone, Default)]
pub struct ResourceEdit {
    pub resource: ResourceInput,
    pub active: bool,
}

impl ResourceEdit {
    /// The form as sent, and the version it was read at.
    pub fn read(body: &RawForm) -> Result<(Self, i32), AppError> {
        let version = body.parse::<VersionField>()?.parse()?;
        let form = ResourceEdit {
            resource: body.parse()?,
            active: body.parse::<ActiveField>()?.is_active(),
        };
        Ok((form, version))
    }
}
