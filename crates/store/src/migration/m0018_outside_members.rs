use sea_orm_migration::prelude::*;

use super::{big, big_null, fk, id, index, text, ts, ts_null};

/// The care team outside the office signs in (issue 19): an invitation is a one-time code for
/// one member row of one client's team, kept only as a hash and good for 48 hours; redeeming it
/// binds the member row to an account (a new one, or the member's existing one in this office).
/// A member row has at most one account; one account may sit on many clients' teams.
pub(super) struct M0018OutsideMembers;

impl MigrationName for M0018OutsideMembers {
    fn name(&self) -> &str {
        "m0018_outside_members"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0018OutsideMembers {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("invitations")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("member_id"))
                .col(text("code_hash"))
                .col(big("created_by"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(big_null("used_by"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk("invitations", "office_id", "offices"))
                .foreign_key(&mut fk("invitations", "client_id", "clients"))
                .foreign_key(&mut fk("invitations", "member_id", "team_members"))
                .foreign_key(&mut fk("invitations", "created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("invitations", "invitations_code", &["code_hash"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("invitations", "invitations_member", &["member_id"]).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("member_accounts")
                .col(id())
                .col(big("office_id"))
                .col(big("member_id"))
                .col(big("user_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("member_accounts", "office_id", "offices"))
                .foreign_key(&mut fk("member_accounts", "member_id", "team_members"))
                .foreign_key(&mut fk("member_accounts", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("member_accounts", "member_accounts_member", &["member_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("member_accounts", "member_accounts_user", &["user_id"]).to_owned())
            .await
    }
}
