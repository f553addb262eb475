//! The sign-in form.

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    pub next: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub login: String,
    pub password: String,
    pub csrf: String,
    pub next: String,
}
