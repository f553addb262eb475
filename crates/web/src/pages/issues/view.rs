//! The issues' list (with the category × status counts) and an issue's page (new, or stored
//! with its people, cases, ledger findings and release).

use super::form::{IssueForm, ListQuery};
use crate::auth::Authed;
use crate::kit::display::{Opt, date, id_opts, odate, opts};
use crate::kit::form::EditState;
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_domain::region::{
    CategoryChoice, CategoryList, IssueCategory, IssueSource, IssueStatus,
};
use yorisoi_store::issue_followups::Followup;
use yorisoi_store::joint_support::JointSupportList;
use yorisoi_store::regional_issues::{CountCell, People, RegionalIssue, Summary};
use yorisoi_store::vignettes::VignetteList;

pub struct IssueRow {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub status: &'static str,
    pub area: String,
    pub people: i64,
    pub raised_on: String,
    pub released: bool,
    /// The issue it was merged into (統合済み), if any.
    pub merged_into: Option<i64>,
}

/// A row of the count table: a category, its count per status (in [`IssueStatus::ALL`]'s
/// order) and its total.
pub struct CountRow {
    pub label: String,
    pub cells: Vec<i64>,
    pub total: i64,
}

fn statuses(current: &str) -> Vec<Opt> {
    opts(IssueStatus::ALL, |x| x.code(), |x| x.label(), current)
}

const SORTS: [(&str, &str); 4] = [
    ("updated", "更新が新しい順"),
    ("raised", "提起が古い順"),
    ("category", "分類順"),
    ("people", "人数が多い順"),
];

#[derive(Template)]
#[template(path = "issues.html")]
pub struct ListPage {
    pub nav: Nav,
    pub q: ListQuery,
    pub rows: Vec<IssueRow>,
    pub categories: Vec<CategoryChoice>,
    pub statuses: Vec<Opt>,
    pub sorts: Vec<Opt>,
    pub status_labels: Vec<&'static str>,
    pub count_rows: Vec<CountRow>,
    pub count_totals: Vec<i64>,
    pub count_total: i64,
    pub message: String,
    /// The list shows the merged issues too (統合済み).
    pub include_merged: bool,
    /// The user may set the office's category list (a lead or an admin).
    pub may_set_categories: bool,
}

impl ListPage {
    pub fn new(
        user: &Authed,
        q: ListQuery,
        found: Vec<Summary>,
        counts: Vec<CountCell>,
        list: &CategoryList,
    ) -> Self {
        let n = IssueStatus::ALL.len();
        let mut count_totals = vec![0; n];
        // The office's categories in its order: the defaults, then its own.
        let rows: Vec<(IssueCategory, Option<i64>)> = IssueCategory::ALL
            .iter()
            .map(|c| (*c, None))
            .chain(list.own.iter().map(|c| (c.counts_as, Some(c.id))))
            .collect();
        let count_rows: Vec<CountRow> = rows
            .iter()
            .filter_map(|(c, own)| {
                let cells: Vec<i64> = IssueStatus::ALL
                    .iter()
                    .map(|s| {
                        counts
                            .iter()
                            .find(|x| {
                                x.status == *s
                                    && x.own_category == *own
                                    && (own.is_some() || x.category == *c)
                            })
                            .map(|x| x.count)
                            .unwrap_or(0)
                    })
                    .collect();
                let total: i64 = cells.iter().sum();
                (total > 0).then(|| {
                    for (t, v) in count_totals.iter_mut().zip(&cells) {
                        *t += v;
                    }
                    CountRow {
                        label: list.label(*c, *own),
                        cells,
                        total,
                    }
                })
            })
            .collect();
        let message = match q.saved.as_str() {
            "released" => "協議会へ公開しました。",
            _ => "",
        };
        ListPage {
            may_set_categories: user.may(RecordKind::IssueCategoryList, Action::Write),
            include_merged: yorisoi_domain::text::is_yes(&q.merged),
            nav: Nav::new(user, "issues"),
            rows: found
                .iter()
                .map(|s| IssueRow {
                    id: s.id,
                    title: s.title.clone(),
                    category: s.category_label.clone(),
                    status: s.status.label(),
                    area: s.area.clone(),
                    people: s.people,
                    raised_on: date(s.raised_on),
                    released: s.released_on.is_some(),
                    merged_into: s.merged_into,
                })
                .collect(),
            categories: list.choices(&q.category),
            statuses: statuses(&q.status),
            sorts: SORTS
                .iter()
                .map(|(c, l)| (*c, *l, *c == q.sort.as_str()))
                .collect(),
            status_labels: IssueStatus::ALL.iter().map(|s| s.label()).collect(),
            count_total: count_totals.iter().sum(),
            count_rows,
            count_totals,
            message: message.into(),
            q,
        }
    }
}

/// What an issue's page shows of its follow-ups: the merge, the resource, the directory to
/// choose it from, the vignettes and 加算 records written about it.
pub struct Extras {
    pub followup: Followup,
    /// The directory: (id, name).
    pub resources: Vec<(String, String)>,
    pub vignettes: VignetteList,
    pub joint: JointSupportList,
    /// The office's category list.
    pub categories: CategoryList,
}

/// A record written about the issue, as its page lists it: (link, title, note).
pub struct Written {
    pub href: String,
    pub title: String,
    pub note: String,
}

/// What a stored issue shows beside its form.
pub struct StoredView {
    pub id: i64,
    pub released_on: String,
    pub case_ids: Vec<i64>,
    pub other_cases: usize,
    pub findings: Vec<String>,
    pub people_total: i64,
    pub kinds: Vec<(&'static str, i64)>,
    pub bands: Vec<(String, i64)>,
    /// What the region's secretariat recorded from the council ("" when nothing yet).
    pub council_on: String,
    pub council_reply: String,
    /// The issue it was merged into: (id, title).
    pub merged_into: Option<(i64, String)>,
    /// The issues merged into it: (id, title).
    pub merged_from: Vec<(i64, String)>,
    /// The 社会資源 it led to: (id, name).
    pub resource: Option<(i64, String)>,
    pub resources: Vec<(String, String)>,
    pub vignettes: Vec<Written>,
    pub vignettes_others: usize,
    pub joint: Vec<Written>,
    pub joint_others: usize,
}

impl StoredView {
    pub fn new(i: &RegionalIssue, p: &People, x: Extras) -> Self {
        StoredView {
            merged_into: x.followup.merged_into.map(|r| (r.id, r.title)),
            merged_from: x
                .followup
                .merged_from
                .into_iter()
                .map(|r| (r.id, r.title))
                .collect(),
            resource: x.followup.resource.map(|r| (r.id, r.name)),
            resources: x.resources,
            vignettes: x
                .vignettes
                .vignettes
                .iter()
                .map(|v| Written {
                    href: format!("/issues/vignettes/{}", v.id),
                    title: v.title.clone(),
                    note: match v.released_on {
                        Some(d) => format!("公開済み {}", date(d)),
                        None => "公開待ち".into(),
                    },
                })
                .collect(),
            vignettes_others: x.vignettes.others,
            joint: x
                .joint
                .records
                .iter()
                .map(|r| Written {
                    href: format!("/issues/joint-support/{}", r.id),
                    title: r.report_title.clone(),
                    note: format!("報告 {}・{}者", date(r.reported_on), r.parties),
                })
                .collect(),
            joint_others: x.joint.others,
            id: i.id,
            released_on: odate(i.released_on),
            case_ids: i.case_ids.clone(),
            other_cases: i.other_cases,
            findings: i.findings.iter().map(|f| f.message.clone()).collect(),
            people_total: p.total,
            kinds: p
                .by_kind
                .iter()
                .map(|k| (k.kind.label(), k.count))
                .collect(),
            bands: p
                .by_band
                .iter()
                .map(|b| (b.band.clone(), b.count))
                .collect(),
            council_on: odate(i.council_on),
            council_reply: i.council_reply.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "issue.html")]
pub struct IssuePage {
    pub nav: Nav,
    /// The form posts here: `/issues` or `/issues/{id}`.
    pub action: String,
    pub stored: Option<StoredView>,
    pub form: EditState<IssueForm>,
    pub categories: Vec<CategoryChoice>,
    /// What the chosen own category counts as in the region ("" for a default).
    pub counts_as: String,
    pub statuses: Vec<Opt>,
    /// Where the issue was raised from, and a link to it ("" for none).
    pub source_label: &'static str,
    pub source_link: String,
    pub message: String,
    /// The user may release (a lead or an admin).
    pub may_release: bool,
    /// Why the release was refused ("" when it was not).
    pub release_refused: String,
    /// The directory to link a resolved issue to its new resource: (id, name, selected).
    pub resource_opts: Vec<(String, String, bool)>,
}

impl IssuePage {
    pub fn new(
        user: &Authed,
        stored: Option<StoredView>,
        form: EditState<IssueForm>,
        list: &CategoryList,
    ) -> Self {
        let i = &form.input.issue;
        let source = IssueSource::from_code(i.source.trim()).unwrap_or(IssueSource::Manual);
        let source_link = match (source, i.source_ref.trim()) {
            (_, "") => String::new(),
            (IssueSource::Meeting, r) => format!("/meetings/{r}"),
            (IssueSource::Monitoring, r) => format!("/monitorings/{r}"),
            (IssueSource::Decision, r) => format!("/decisions/{r}"),
            (IssueSource::Need, r) => format!("/plans/{r}"),
            _ => String::new(),
        };
        let counts_as = match list.resolve(&i.category) {
            Some((c, Some(_))) => c.label().to_string(),
            _ => String::new(),
        };
        IssuePage {
            nav: Nav::new(user, "issues"),
            action: match &stored {
                Some(s) => format!("/issues/{}", s.id),
                None => "/issues".into(),
            },
            categories: list.choices(&i.category),
            counts_as,
            statuses: statuses(&i.status),
            source_label: source.label(),
            source_link,
            message: String::new(),
            may_release: user.may(RecordKind::IssueRelease, Action::Write),
            release_refused: String::new(),
            resource_opts: stored
                .as_ref()
                .map(|s| id_opts(&s.resources, form.input.resource_id.trim()))
                .unwrap_or_default(),
            stored,
            form,
        }
    }

    pub fn saved(mut self, saved: &str) -> Self {
        self.message = match saved {
            "created" => "地域課題を記録しました。",
            "updated" => "地域課題を更新しました。",
            "released" => "協議会へ公開しました。",
            "merged" => "重複をまとめました。",
            _ => "",
        }
        .into();
        self
    }

    pub fn release_refused(mut self, why: impl Into<String>) -> Self {
        self.release_refused = why.into();
        self
    }
}
