//! The second factor's forms.

/// A code from the app (settings: confirming the set-up).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CodeInput {
    pub code: String,
}

/// Proof that it is the user: the current password, or a code (or a recovery code).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProofInput {
    pub password: String,
    pub code: String,
}

/// The second step of a sign-in.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StepInput {
    pub csrf: String,
    pub code: String,
}

/// Which message the settings page shows after a redirect.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsQuery {
    pub saved: String,
}

/// 「パスキーを登録」: the name to give it, and the password (a stolen session alone must not
/// add a key of its own).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasskeyStart {
    pub name: String,
    pub password: String,
}

/// The browser's answer to a registration, with the name chosen before.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasskeyFinish {
    pub name: String,
    pub credential: String,
}

/// The browser's answer to a sign-in's passkey challenge.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasskeyStep {
    pub csrf: String,
    pub credential: String,
}

/// Enrolment with a passkey at sign-in (the policy requires a second factor): the name, and
/// the device's answer once asked.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnrolPasskey {
    pub csrf: String,
    pub name: String,
    pub credential: String,
}
