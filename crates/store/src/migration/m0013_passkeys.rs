use sea_orm_migration::prelude::*;

use super::{big, big_null, fk, id, index, text, ts, ts_null};

/// WebAuthn passkeys as a second factor: each user's registered credentials (the library's
/// serialised credential, public key and counter, with the name the user gave it), and the
/// challenges a registration or a sign-in is answering (minutes long, used once).
pub(super) struct M0013Passkeys;

impl MigrationName for M0013Passkeys {
    fn name(&self) -> &str {
        "m0013_passkeys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0013Passkeys {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("passkeys")
                .col(id())
                .col(big("office_id"))
                .col(big("user_id"))
                .col(text("name"))
                .col(text("credential_id"))
                .col(text("user_handle"))
                .col(text("credential"))
                .col(ts("created_at"))
                .col(ts_null("last_used_at"))
                .foreign_key(&mut fk("passkeys", "user_id", "users"))
                .foreign_key(&mut fk("passkeys", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("passkeys", "passkeys_user", &["user_id"]).to_owned())
            .await?;
        m.create_index(
            index("passkeys", "passkeys_credential", &["credential_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("webauthn_challenges")
                .col(id())
                .col(big("user_id"))
                .col(text("purpose"))
                .col(big_null("pending_id"))
                .col(text("state"))
                .col(ts("expires_at"))
                .foreign_key(&mut fk("webauthn_challenges", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "webauthn_challenges",
                "webauthn_challenges_user",
                &["user_id", "purpose"],
            )
            .to_owned(),
        )
        .await
    }
}
