//! The batch form and a job's progress page.

use crate::auth::Authed;
use crate::jobs::{Job, Phase};
use crate::kit::batch::BatchInput;
use crate::kit::display::id_opts;
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;

#[derive(Template)]
#[template(path = "batch.html")]
pub struct BatchPage {
    pub nav: Nav,
    pub form: EditState<BatchInput>,
    pub staff: Vec<(String, String, bool)>,
}

impl BatchPage {
    pub fn new(user: &Authed, form: EditState<BatchInput>, staff: &[(String, String)]) -> Self {
        BatchPage {
            nav: Nav::new(user, "batch"),
            staff: id_opts(staff, &form.input.staff),
            form,
        }
    }
}

#[derive(Template)]
#[template(path = "batch_job.html")]
pub struct JobPage {
    pub nav: Nav,
    pub id: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub running: bool,
    pub rendering: bool,
    pub failed: String,
    pub ready: bool,
    /// A 本人開示 job (its own heading and wording, and a JSON beside the PDF).
    pub person_file: bool,
    pub has_json: bool,
    pub back: String,
}

impl JobPage {
    pub fn new(user: &Authed, id: String, j: Job) -> Self {
        JobPage {
            nav: Nav::new(
                user,
                if j.json_filename.is_empty() {
                    "batch"
                } else {
                    "clients"
                },
            ),
            id,
            title: j.title,
            done: j.done,
            total: j.total,
            running: matches!(j.phase, Phase::Reading | Phase::Rendering),
            rendering: j.phase == Phase::Rendering,
            failed: match j.phase {
                Phase::Failed(m) => m,
                _ => String::new(),
            },
            ready: j.pdf.is_some(),
            person_file: !j.json_filename.is_empty(),
            has_json: j.json.is_some(),
            back: j.back,
        }
    }
}
