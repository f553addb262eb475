//! The directory's list (with the form to add an entry) and an entry's edit page.

use super::form::{ListQuery, ResourceEdit};
use crate::auth::Authed;
use crate::kit::display::{Opt, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::plan::{ServiceCategory, ServiceType};
use yorisoi_domain::team::ResourceInput;
use yorisoi_store::resources::Resource;

pub struct ResourceRow {
    pub id: i64,
    pub name: String,
    pub category: &'static str,
    pub service_type: &'static str,
    pub contact_person: String,
    pub phone: String,
    pub address: String,
    pub note: String,
    pub active: bool,
}

impl ResourceRow {
    fn new(r: &Resource) -> Self {
        ResourceRow {
            id: r.id,
            name: r.record.name.clone(),
            category: r.record.category.label(),
            service_type: r.record.service_type.map(|t| t.label()).unwrap_or(""),
            contact_person: r.record.contact_person.clone(),
            phone: r.record.phone.clone(),
            address: r.record.address.clone(),
            note: r.record.note.clone(),
            active: r.active,
        }
    }
}

fn categories(current: &str) -> Vec<Opt> {
    opts(ServiceCategory::ALL, |x| x.code(), |x| x.label(), current)
}

fn types(current: &str) -> Vec<Opt> {
    opts(ServiceType::ALL, |x| x.code(), |x| x.label(), current)
}

#[derive(Template)]
#[template(path = "resources.html")]
pub struct ListPage {
    pub nav: Nav,
    pub q: ListQuery,
    pub rows: Vec<ResourceRow>,
    pub categories: Vec<Opt>,
    pub types: Vec<Opt>,
    pub form: EditState<ResourceInput>,
    pub form_categories: Vec<Opt>,
    pub form_types: Vec<Opt>,
    pub message: String,
}

impl ListPage {
    /// The list of `found` (sorted as asked) and the form to add an entry.
    pub fn new(
        user: &Authed,
        q: ListQuery,
        mut found: Vec<Resource>,
        form: EditState<ResourceInput>,
    ) -> Self {
        if q.by_update() {
            found.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
        }
        let message = match q.saved.as_str() {
            "created" => "社会資源を登録しました。",
            "updated" => "社会資源を更新しました。",
            _ => "",
        };
        ListPage {
            nav: Nav::new(user, "resources"),
            rows: found.iter().map(ResourceRow::new).collect(),
            categories: categories(&q.category),
            types: types(&q.service_type),
            form_categories: categories(&form.input.category),
            form_types: types(&form.input.service_type),
            message: message.into(),
            q,
            form,
        }
    }
}

#[derive(Template)]
#[template(path = "resource_edit.html")]
pub struct EditPage {
    pub nav: Nav,
    pub id: i64,
    pub form: EditState<ResourceEdit>,
    pub categories: Vec<Opt>,
    pub types: Vec<Opt>,
    /// The 地域課題 that led to this resource (社会資源の開発): (id, title).
    pub resolved: Vec<(i64, String)>,
}

impl EditPage {
    pub fn new(user: &Authed, id: i64, form: EditState<ResourceEdit>) -> Self {
        EditPage {
            nav: Nav::new(user, "resources"),
            id,
            categories: categories(&form.input.resource.category),
            types: types(&form.input.resource.service_type),
            resolved: Vec::new(),
            form,
        }
    }
}
