//! The region's pages: the overview (members, filters, figures, released issues), one issue
//! with the council's record, and the admin's page to start or join a region.

use crate::auth::Authed;
use crate::kit::display::{Opt, date, opts};
use crate::kit::figures::{FiguresView, IssueLine};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::region::{CouncilInput, IssueCategory, IssueStatus, JoinInput, RegionInput};
use yorisoi_store::region::{Joinable, Region};

/// The overview's filters as typed (kept when a date is refused).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct RegionForm {
    pub from: String,
    pub to: String,
    pub area: String,
    pub category: String,
    pub status: String,
    pub q: String,
    pub encoding: String,
}

impl RegionForm {
    /// The query string of the same filters (for the CSV link and the issue pages' way back).
    pub fn query(&self) -> String {
        let pairs = [
            ("from", &self.from),
            ("to", &self.to),
            ("area", &self.area),
            ("category", &self.category),
            ("status", &self.status),
            ("q", &self.q),
        ];
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        s.finish()
    }
}

pub struct MemberRow {
    pub office: String,
    pub area: String,
    pub joined_on: String,
}

#[derive(Template)]
#[template(path = "region.html")]
pub struct RegionPage {
    pub nav: Nav,
    pub name: String,
    pub members: Vec<MemberRow>,
    pub form: EditState<RegionForm>,
    pub areas: Vec<(String, bool)>,
    pub categories: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub figures: Option<FiguresView>,
    pub issues: Vec<IssueLine>,
    pub csv_query: String,
}

impl RegionPage {
    pub fn new(
        user: &Authed,
        region: &Region,
        form: EditState<RegionForm>,
        areas: Vec<String>,
        figures: Option<FiguresView>,
        issues: Vec<IssueLine>,
    ) -> Self {
        let f = &form.input;
        RegionPage {
            nav: Nav::new(user, "region"),
            name: region.name.clone(),
            members: region
                .members
                .iter()
                .map(|m| MemberRow {
                    office: m.office.clone(),
                    area: m.area.clone(),
                    joined_on: date(m.joined_on),
                })
                .collect(),
            areas: areas
                .into_iter()
                .map(|a| {
                    let on = a == f.area.trim();
                    (a, on)
                })
                .collect(),
            categories: opts(IssueCategory::ALL, |x| x.code(), |x| x.label(), &f.category),
            statuses: opts(IssueStatus::ALL, |x| x.code(), |x| x.label(), &f.status),
            figures,
            issues,
            csv_query: f.query(),
            form,
        }
    }
}

#[derive(Template)]
#[template(path = "region_issue.html")]
pub struct RegionIssuePage {
    pub nav: Nav,
    pub issue: IssueLine,
    pub form: EditState<CouncilInput>,
    pub statuses: Vec<Opt>,
    pub message: String,
    pub may_track: bool,
}

impl RegionIssuePage {
    pub fn new(user: &Authed, issue: IssueLine, form: EditState<CouncilInput>) -> Self {
        RegionIssuePage {
            nav: Nav::new(user, "region"),
            statuses: opts(
                IssueStatus::ALL,
                |x| x.code(),
                |x| x.label(),
                &form.input.status,
            ),
            may_track: user.may(
                yorisoi_domain::policy::RecordKind::RegionView,
                yorisoi_domain::policy::Action::Write,
            ),
            issue,
            form,
            message: String::new(),
        }
    }
    pub fn saved(mut self, saved: &str) -> Self {
        if saved == "tracked" {
            self.message =
                "協議会での状況を記録しました。課題を挙げた事業所の画面にも表示されます。".into();
        }
        self
    }
}

#[derive(Template)]
#[template(path = "region_admin.html")]
pub struct RegionAdminPage {
    pub nav: Nav,
    /// The region this office runs, if any.
    pub mine: Option<(String, usize)>,
    pub create: EditState<RegionInput>,
    pub regions: Vec<Joinable>,
    pub join: EditState<JoinInput>,
    pub message: String,
}

impl RegionAdminPage {
    pub fn new(
        user: &Authed,
        mine: Option<&Region>,
        regions: Vec<Joinable>,
        create: EditState<RegionInput>,
        join: EditState<JoinInput>,
    ) -> Self {
        RegionAdminPage {
            nav: Nav::new(user, "region"),
            mine: mine.map(|r| (r.name.clone(), r.members.len())),
            create,
            regions,
            join,
            message: String::new(),
        }
    }
    pub fn saved(mut self, saved: &str) -> Self {
        self.message = match saved {
            "created" => "地域をつくりました。参加する事業所の管理者に、この地域の名前を伝えてください。",
            "joined" => "地域に参加しました。公開した地域課題と、個人が特定されない集計が地域の事務局に見えるようになります。",
            "left" => "地域への参加をやめました。この事業所の地域課題と数は、地域の画面から消えました。",
            _ => "",
        }
        .into();
        self
    }
}
