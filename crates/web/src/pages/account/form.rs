//! The password change as typed. Every field is a password: none is ever sent back.

use yorisoi_store::account::PasswordChange;

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

impl PasswordForm {
    /// The store's input (the confirmation is checked).
    pub fn change(&self) -> PasswordChange {
        PasswordChange {
            current_password: self.current_password.clone(),
            new_password: self.new_password.clone(),
            confirm_password: Some(self.confirm_password.clone()),
        }
    }

    /// The form as shown again after a refusal: empty, as password fields always are.
    pub fn cleared() -> Self {
        Self::default()
    }
}
