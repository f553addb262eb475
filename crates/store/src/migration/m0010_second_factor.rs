use sea_orm_migration::prelude::*;

use super::{big, big_null, date_null, fk, id, index, text, ts, ts_null};

/// The second factor (TOTP): one secret per user, confirmed with a code before it counts, the
/// last step used (a code is good once), hashed one-time recovery codes, the office's policy,
/// and sign-ins waiting for their second step (a hashed token, minutes long).
pub(super) struct M0010SecondFactor;

impl MigrationName for M0010SecondFactor {
    fn name(&self) -> &str {
        "m0010_second_factor"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0010SecondFactor {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("second_factors")
                .col(id())
                .col(big("office_id"))
                .col(big("user_id"))
                .col(text("secret"))
                .col(ts_null("confirmed_at"))
                .col(big_null("last_step"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("second_factors", "user_id", "users"))
                .foreign_key(&mut fk("second_factors", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("second_factors", "second_factors_user", &["user_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("recovery_codes")
                .col(id())
                .col(big("office_id"))
                .col(big("user_id"))
                .col(text("code_hash"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("recovery_codes", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "recovery_codes",
            "recovery_codes_user_hash",
            &["user_id", "code_hash"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("second_factor_policies")
                .col(id())
                .col(big("office_id"))
                .col(text("mode"))
                .col(date_null("grace_until"))
                .col(big("updated_by"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("second_factor_policies", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "second_factor_policies",
                "second_factor_policies_office",
                &["office_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("pending_sign_ins")
                .col(id())
                .col(text("token_hash"))
                .col(big("user_id"))
                .col(text("purpose"))
                .col(text("next"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .foreign_key(&mut fk("pending_sign_ins", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "pending_sign_ins",
                "pending_sign_ins_token",
                &["token_hash"],
            )
            .unique()
            .to_owned(),
        )
        .await
    }
}
