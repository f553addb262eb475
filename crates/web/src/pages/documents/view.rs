//! The period form of the 支援経過記録 print.

use crate::auth::Authed;
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::note::PeriodInput;

#[derive(Template)]
#[template(path = "notes_print.html")]
pub struct NotesPrintPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub form: EditState<PeriodInput>,
}

impl NotesPrintPage {
    pub fn new(
        user: &Authed,
        client_id: i64,
        client_name: String,
        form: EditState<PeriodInput>,
    ) -> Self {
        NotesPrintPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            form,
        }
    }
}
