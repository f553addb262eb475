//! The sign-in form.

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    pub next: String,
    /// The session ended by time (`1`).
    pub expired: String,
    /// …and the form it sent was kept (`1`).
    pub parked: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub login: String,
    pub password: String,
    pub csrf: String,
    pub next: String,
}
