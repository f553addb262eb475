//! 社会資源: the office's directory of providers and informal resources, searchable by name
//! (かな/カナ, full/half width alike), filtered by kind and service, sorted by name or update.

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, PageResult};
use crate::kit::form::{ActiveField, RawForm, VersionField, parse_version};
use crate::kit::grid::ResourceOption;
use crate::pages::see_other;
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::plan::{ServiceCategory, ServiceType};
use yorisoi_domain::team::{ResourceInput, ResourceRecord};
use yorisoi_store::StoreError;
use yorisoi_store::resources::{self, Resource, ResourceFilter};

/// The office's active directory as form choices, by name.
pub async fn options(tx: &mut yorisoi_store::Tx) -> Result<Vec<ResourceOption>, AppError> {
    Ok(resources::list(tx, &Default::default())
        .await?
        .into_iter()
        .map(|r| {
            let t = r
                .record
                .service_type
                .map(|t| t.label())
                .unwrap_or(r.record.category.label());
            ResourceOption {
                id: r.id.to_string(),
                label: format!("{}（{}）", r.record.name, t),
                name: r.record.name,
                category: r.record.category,
            }
        })
        .collect())
}

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

#[derive(Template)]
#[template(path = "resources.html")]
pub struct ListPage {
    pub nav: Nav,
    pub q: ListQuery,
    pub rows: Vec<ResourceRow>,
    pub categories: Vec<Opt>,
    pub types: Vec<Opt>,
    pub form: ResourceInput,
    pub errors: FieldErrors,
    pub form_categories: Vec<Opt>,
    pub form_types: Vec<Opt>,
    pub message: String,
}

fn row(r: &Resource) -> ResourceRow {
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

async fn list_page(
    st: &AppState,
    user: &Authed,
    q: ListQuery,
    form: ResourceInput,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let mut found = resources::list(
        &mut tx,
        &ResourceFilter {
            q: q.q.clone(),
            category: q.category.clone(),
            service_type: q.service_type.clone(),
            include_inactive: q.inactive == "1",
        },
    )
    .await?;
    tx.commit().await?;
    if q.sort == "updated" {
        found.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    }
    let message = match q.saved.as_str() {
        "created" => "社会資源を登録しました。",
        "updated" => "社会資源を更新しました。",
        _ => "",
    };
    render_status(
        &ListPage {
            nav: Nav::new(user, "resources"),
            rows: found.iter().map(row).collect(),
            categories: opts(
                ServiceCategory::ALL,
                |x| x.code(),
                |x| x.label(),
                &q.category,
            ),
            types: opts(
                ServiceType::ALL,
                |x| x.code(),
                |x| x.label(),
                &q.service_type,
            ),
            form_categories: opts(
                ServiceCategory::ALL,
                |x| x.code(),
                |x| x.label(),
                &form.category,
            ),
            form_types: opts(
                ServiceType::ALL,
                |x| x.code(),
                |x| x.label(),
                &form.service_type,
            ),
            message: message.into(),
            q,
            form,
            errors,
        },
        status,
    )
}

pub async fn list(
    State(st): State<AppState>,
    user: Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(
        &st,
        &user,
        q,
        ResourceInput {
            category: "welfare".into(),
            ..Default::default()
        },
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(State(st): State<AppState>, user: Authed, body: RawForm) -> PageResult {
    let form: ResourceInput = body.parse()?;
    let r: ResourceRecord = match form.validate() {
        Ok(r) => r,
        Err(e) => {
            return list_page(
                &st,
                &user,
                ListQuery::default(),
                form,
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    resources::create(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(see_other("/resources?saved=created"))
}

#[derive(Template)]
#[template(path = "resource_edit.html")]
pub struct EditPage {
    pub nav: Nav,
    pub id: i64,
    pub form: ResourceInput,
    pub errors: FieldErrors,
    pub categories: Vec<Opt>,
    pub types: Vec<Opt>,
    pub active: bool,
    pub version: String,
    pub conflict: bool,
}

fn edit_page(
    user: &Authed,
    id: i64,
    form: ResourceInput,
    errors: FieldErrors,
    active: bool,
    version: i32,
    conflict: bool,
) -> EditPage {
    EditPage {
        nav: Nav::new(user, "resources"),
        id,
        categories: opts(
            ServiceCategory::ALL,
            |x| x.code(),
            |x| x.label(),
            &form.category,
        ),
        types: opts(
            ServiceType::ALL,
            |x| x.code(),
            |x| x.label(),
            &form.service_type,
        ),
        form,
        errors,
        active,
        version: version.to_string(),
        conflict,
    }
}

pub async fn edit(State(st): State<AppState>, user: Authed, Path(id): Path<i64>) -> PageResult {
    let mut tx = st.store.read(user.actor()).await?;
    let r = resources::get(&mut tx, id).await?;
    tx.commit().await?;
    render(&edit_page(
        &user,
        id,
        ResourceInput::from_record(&r.record),
        FieldErrors::new(),
        r.active,
        r.version,
        false,
    ))
}

pub async fn update(
    State(st): State<AppState>,
    user: Authed,
    Path(id): Path<i64>,
    body: RawForm,
) -> PageResult {
    let form: ResourceInput = body.parse()?;
    let version = parse_version(&body.parse::<VersionField>()?.version)?;
    let active = body.parse::<ActiveField>()?.is_active();
    let r = match form.validate() {
        Ok(r) => r,
        Err(e) => {
            return render_status(
                &edit_page(&user, id, form, e, active, version, false),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let mut tx = st.store.begin(user.actor()).await?;
    match resources::update(&mut tx, id, version, &r, active).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other("/resources?saved=updated"))
        }
        Err(StoreError::Conflict) => {
            let current = resources::get(&mut tx, id).await?;
            tx.rollback().await?;
            render_status(
                &edit_page(
                    &user,
                    id,
                    form,
                    FieldErrors::new(),
                    active,
                    current.version,
                    true,
                ),
                StatusCode::CONFLICT,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/resources", get(list).post(create))
        .route("/resources/{id}", get(edit).post(update))
}
