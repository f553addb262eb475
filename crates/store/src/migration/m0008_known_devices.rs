use sea_orm_migration::prelude::*;

use super::{big, fk, id, index, text, ts};

/// Browsers a user has signed in from (a long-lived cookie, stored hashed): a sign-in from a
/// known device is never refused because of other people's failures from the same address
/// (an office behind one NAT shares it), and a sign-in from a new one is recorded.
pub(super) struct M0008KnownDevices;

impl MigrationName for M0008KnownDevices {
    fn name(&self) -> &str {
        "m0008_known_devices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0008KnownDevices {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("known_devices")
                .col(id())
                .col(big("user_id"))
                .col(text("device_hash"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .foreign_key(&mut fk("known_devices", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "known_devices",
            "known_devices_user_device",
            &["user_id", "device_hash"],
        ))
        .await
    }
}
