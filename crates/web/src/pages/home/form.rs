//! The dashboard's query.

/// `GET /?staff=&all=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct HomeQuery {
    /// 職員のid（管理者・主任のみ。空なら事業所全体）
    pub staff: String,
    /// "1" で各カードの全件（既定は各カードの先頭30件）
    pub all: String,
}

impl HomeQuery {
    /// The staff member the office view is narrowed to, if the user sees the whole office and
    /// `known` holds that id.
    pub fn only(&self, whole_office: bool, known: impl Fn(i64) -> bool) -> Option<i64> {
        if !whole_office {
            return None;
        }
        self.staff.trim().parse().ok().filter(|s| known(*s))
    }

    pub fn all(&self) -> bool {
        self.all == "1"
    }
}
