//! The sign-in page.

use askama::Template;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub csrf: String,
    pub login: String,
    pub next: String,
    pub error: String,
}
