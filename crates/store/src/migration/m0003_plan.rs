use sea_orm_migration::prelude::*;

use super::{big, big_null, date, date_null, fk, id, index, int, text, ts, version};

/// 社会資源, ケアチーム, consents to share, plans, meetings, implementation and uploaded files.
/// Documents are JSON validated by the domain; the columns are what lists filter and sort on.
pub(super) struct M0003Plan;

impl MigrationName for M0003Plan {
    fn name(&self) -> &str {
        "m0003_plan"
    }
}

fn flag(name: &'static str, default: bool) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Plan {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("resources")
                .col(id())
                .col(big("office_id"))
                .col(text("category"))
                .col(text("service_type"))
                .col(text("name"))
                .col(text("body"))
                .col(flag("active", true))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("resources", "office_id", "offices"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "resources",
            "resources_office",
            &["office_id", "name"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("team_members")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("kind"))
                .col(text("name"))
                .col(text("body"))
                .col(flag("active", true))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("team_members", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("team_members", "team_members_client", &["client_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("share_consents")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("subject"))
                .col(date("given_on"))
                .col(date_null("withdrawn_on"))
                .col(big_null("withdrawn_by"))
                .col(big_null("replaces_id"))
                .col(text("body"))
                .col(big("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("share_consents", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "share_consents",
            "share_consents_client",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("plans")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(int("version_no"))
                .col(text("state"))
                .col(date("drafted_on"))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("plans", "client_id", "clients"))
                .foreign_key(&mut fk("plans", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("plans", "plans_case_version", &["case_id", "version_no"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("plans", "plans_client", &["client_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("meetings")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("case_id"))
                .col(big("plan_id"))
                .col(date("held_on"))
                .col(flag("held", false))
                .col(text("body"))
                .col(big("created_by"))
                .col(big("updated_by"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("meetings", "plan_id", "plans"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("meetings", "meetings_plan", &["plan_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("attachments")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(text("filename"))
                .col(text("content_type"))
                .col(big("size"))
                .col(text("sha256"))
                .col(ColumnDef::new("data").blob().not_null())
                .col(big("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("attachments", "client_id", "clients"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("implementations")
                .col(id())
                .col(big("office_id"))
                .col(big("client_id"))
                .col(big("plan_id"))
                .col(int("row_key"))
                .col(text("body"))
                .col(big_null("attachment_id"))
                .col(version())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("implementations", "plan_id", "plans"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "implementations",
                "implementations_row",
                &["plan_id", "row_key"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}
