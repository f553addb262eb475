//! One line of a client list (the list and the dashboard).

use crate::kit::display::{age, date, odate};
use std::collections::HashMap;
use yorisoi_store::clients::Client;

pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub birth: String,
    pub age: i32,
    pub sex: &'static str,
    pub status: &'static str,
    pub staff: String,
    pub cert_until: String,
    pub cert_warn: bool,
    pub category: &'static str,
}

pub fn client_row(c: &Client, staff: &HashMap<i64, String>, today: chrono::NaiveDate) -> ClientRow {
    let r = &c.record;
    ClientRow {
        id: c.id,
        name: r.full_name(),
        kana: format!("{} {}", r.family_name_kana, r.given_name_kana),
        birth: date(r.birth_date),
        age: age(r.birth_date),
        sex: r.sex.label(),
        status: r.status.label(),
        staff: c
            .assigned_user_id
            .and_then(|u| staff.get(&u).cloned())
            .unwrap_or_else(|| "未割当".into()),
        cert_until: if c.cert_until.is_some() {
            odate(c.cert_until)
        } else {
            "未登録".into()
        },
        cert_warn: c
            .cert_until
            .is_some_and(|u| u <= today + chrono::Duration::days(60)),
        category: r.support_category.label(),
    }
}
