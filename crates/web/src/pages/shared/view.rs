//! The shared pages as an outside member reads them (large type, the section tabs they may
//! open), the join page, and the invitation sheet the specialist prints.

use crate::auth::Authed;
use crate::kit::audit::jst;
use crate::kit::display::{date, month, odate};
use crate::kit::render::Nav;
use askama::Template;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::team::{MemberKind, ShareSection, TeamMemberRecord};
use yorisoi_store::clients::Client;
use yorisoi_store::outside::{Invitation, Issued, NewAccount, SharedClient, SharedMonitoring};
use yorisoi_store::plans::Plan;
use yorisoi_store::team::Member;

/// A section's name on a tab.
pub fn tab_label(s: ShareSection) -> &'static str {
    match s {
        ShareSection::Basic => "基本情報",
        ShareSection::Plan => "サービス等利用計画",
        ShareSection::Monitoring => "モニタリング",
        ShareSection::Assessment => "アセスメント",
        ShareSection::Medical => "医療・服薬",
        ShareSection::Family => "家族の情報",
        ShareSection::Meeting => "会議の記録",
    }
}

/// How the member stands on the team: 「サービス事業所 ひだまり作業所 としての共有」.
fn as_whom(m: &TeamMemberRecord) -> String {
    if m.kind == MemberKind::Person {
        "ご本人".to_string()
    } else if m.organisation.is_empty() {
        m.kind.label().to_string()
    } else {
        format!("{}（{}）", m.kind.label(), m.organisation)
    }
}

/// The person and the family read in large type with plain words.
fn easy(m: &TeamMemberRecord) -> bool {
    matches!(m.kind, MemberKind::Person | MemberKind::Family)
}

pub struct ClientCard {
    pub id: i64,
    pub name: String,
    pub as_whom: String,
    pub tabs: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "shared_home.html")]
pub struct SharedHomePage {
    pub nav: Nav,
    pub clients: Vec<ClientCard>,
    pub documents: Vec<super::shares::SharedDocLine>,
    pub joined: bool,
    pub easy: bool,
}

impl SharedHomePage {
    pub fn new(
        user: &Authed,
        clients: Vec<SharedClient>,
        documents: Vec<super::shares::SharedDocLine>,
        joined: bool,
    ) -> Self {
        let easy = !clients.is_empty() && clients.iter().all(|c| easy(&c.member));
        SharedHomePage {
            nav: Nav::new(user, "shared"),
            clients: clients
                .into_iter()
                .map(|c| ClientCard {
                    id: c.client_id,
                    as_whom: as_whom(&c.member),
                    name: c.name,
                    tabs: c
                        .sections
                        .iter()
                        .map(|s| (s.code(), tab_label(*s)))
                        .collect(),
                })
                .collect(),
            documents,
            joined,
            easy,
        }
    }
}

/// What one section shows, as read from the store.
pub enum SectionBody {
    Basic(Client),
    Plan(Option<Plan>),
    Monitoring(SharedMonitoring),
}

pub struct RowView {
    pub need: String,
    pub goal: String,
    pub due: String,
    pub service: String,
    pub provider: String,
    pub person_role: String,
}

pub struct PlanView {
    pub title: &'static str,
    pub decided: String,
    pub wish_person: String,
    pub policy: String,
    pub long_goal: String,
    pub short_goal: String,
    pub rows: Vec<RowView>,
    pub week_svg: String,
    pub week_texts: Vec<(&'static str, String)>,
}

pub struct GoalView {
    pub goal: String,
    pub provision: String,
    pub achievement: String,
    pub person_view: String,
}

pub struct ReportView {
    pub on: String,
    pub method: &'static str,
    pub overall: String,
    pub person_words: String,
    pub goals: Vec<GoalView>,
    pub outcome: &'static str,
}

pub struct MonitoringView {
    pub next: String,
    pub reports: Vec<ReportView>,
}

/// The section drawn on the page.
pub enum Shown {
    Basic(Vec<(&'static str, String)>),
    Plan(Option<PlanView>),
    Monitoring(MonitoringView),
}

fn basic_rows(c: &Client) -> Vec<(&'static str, String)> {
    let r = &c.record;
    let kinds: Vec<&str> = r.disability_kinds.iter().map(|k| k.label()).collect();
    let mut category = r.support_category.label().to_string();
    if r.support_category_from.is_some() || r.support_category_until.is_some() {
        category.push_str(&format!(
            "（{}〜{}）",
            odate(r.support_category_from),
            odate(r.support_category_until)
        ));
    }
    vec![
        ("氏名", r.full_name()),
        (
            "ふりがな",
            format!("{} {}", r.family_name_kana, r.given_name_kana),
        ),
        (
            "生年月日",
            format!(
                "{}（{}歳）",
                date(r.birth_date),
                crate::kit::display::age(r.birth_date)
            ),
        ),
        ("電話", r.phone.clone()),
        ("障害の種別", kinds.join("・")),
        ("障害の状況（診断名）", r.diagnosis.clone()),
        ("障害支援区分", category),
    ]
}

fn plan_view(p: &Plan) -> PlanView {
    let r = &p.record;
    PlanView {
        title: r.kind.label(),
        decided: odate(r.decided_on),
        wish_person: r.wish_person.clone(),
        policy: r.policy.clone(),
        long_goal: r.long_goal.clone(),
        short_goal: r.short_goal.clone(),
        rows: r
            .rows
            .iter()
            .map(|x| RowView {
                need: x.need.clone(),
                goal: x.goal.clone(),
                due: x.due.clone(),
                service: x.service.clone(),
                provider: x.provider.clone(),
                person_role: x.person_role.clone(),
            })
            .collect(),
        week_svg: plan_week(&r.week_blocks()),
        week_texts: vec![
            ("主な日常生活上の活動", r.week.main_activities.clone()),
            ("週単位以外のサービス", r.week.non_weekly.clone()),
        ],
    }
}

fn monitoring_view(m: &SharedMonitoring) -> Shown {
    Shown::Monitoring(MonitoringView {
        next: m
            .next
            .as_ref()
            .map(|d| month(d.month))
            .unwrap_or_else(|| "まだ決まっていません".into()),
        reports: m
            .reports
            .iter()
            .map(|x| {
                let r = &x.record;
                ReportView {
                    on: date(r.monitored_on),
                    method: r.method.label(),
                    overall: r.overall.clone(),
                    person_words: r.person_words.clone(),
                    goals: r
                        .goals
                        .iter()
                        .map(|g| GoalView {
                            goal: g.goal.clone(),
                            provision: g.provision.clone(),
                            achievement: g.achievement.map(|a| a.label()).unwrap_or("").into(),
                            person_view: g.person_view.clone(),
                        })
                        .collect(),
                    outcome: r.outcome.label(),
                }
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "shared_client.html")]
pub struct SharedClientPage {
    pub nav: Nav,
    pub client_id: i64,
    pub name: String,
    pub as_whom: String,
    pub tabs: Vec<(&'static str, &'static str, bool)>,
    pub current: &'static str,
    pub shown: Shown,
    pub easy: bool,
    /// A provider who may read the plan reports サービス提供状況 on it; the person writes their
    /// own words before a monitoring visit.
    pub may_report: bool,
    pub report_label: &'static str,
}

impl SharedClientPage {
    pub fn new(user: &Authed, me: SharedClient, section: ShareSection, body: SectionBody) -> Self {
        let shown = match &body {
            SectionBody::Basic(c) => Shown::Basic(basic_rows(c)),
            SectionBody::Plan(p) => Shown::Plan(p.as_ref().map(plan_view)),
            SectionBody::Monitoring(m) => monitoring_view(m),
        };
        SharedClientPage {
            nav: Nav::new(user, "shared"),
            client_id: me.client_id,
            as_whom: as_whom(&me.member),
            easy: easy(&me.member),
            may_report: me.sections.contains(&ShareSection::Plan)
                && matches!(
                    me.member.kind,
                    MemberKind::Provider | MemberKind::Medical | MemberKind::Person
                ),
            report_label: report_label(me.member.kind == MemberKind::Person),
            tabs: me
                .sections
                .iter()
                .map(|s| (s.code(), tab_label(*s), *s == section))
                .collect(),
            current: tab_label(section),
            name: me.name,
            shown,
        }
    }
}

/// An invitation as the invitee sees it.
pub struct InvitationView {
    pub office_name: String,
    pub member_name: String,
    pub as_whom: String,
    pub expires: String,
}

impl InvitationView {
    pub fn of(i: &Invitation) -> Self {
        InvitationView {
            office_name: i.office_name.clone(),
            member_name: i.member.name.clone(),
            as_whom: as_whom(&i.member),
            expires: jst(i.expires_at),
        }
    }
}

#[derive(Template)]
#[template(path = "join.html")]
pub struct JoinPage {
    pub csrf: String,
    pub code: String,
    pub invitation: Option<InvitationView>,
    pub error: String,
    pub account: NewAccount,
    pub errors: FieldErrors,
    /// The outside member signed in on this browser, who may add the invitation to their
    /// account: their name and their session's CSRF token ("" when nobody, or staff, is).
    pub signed_in_outside: String,
    pub session_csrf: String,
}

impl JoinPage {
    pub fn blank(csrf: String, code: &str, signed_in: Option<Authed>) -> Self {
        JoinPage {
            csrf,
            code: code.chars().take(40).collect(),
            invitation: None,
            error: String::new(),
            account: NewAccount::default(),
            errors: FieldErrors::new(),
            signed_in_outside: signed_in
                .as_ref()
                .filter(|a| a.is_outside())
                .map(|a| a.display_name.clone())
                .unwrap_or_default(),
            session_csrf: signed_in.map(|a| a.csrf).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub member_name: String,
    pub as_whom: String,
    pub code: String,
    pub link: String,
    pub expires: String,
    /// A consent in force names them for something yorisoi shows (or they are the person).
    pub covered: bool,
}

impl InvitationPage {
    pub fn new(
        user: &Authed,
        client_id: i64,
        client_name: String,
        member: &Member,
        issued: &Issued,
        base: &str,
        covered: bool,
    ) -> Self {
        InvitationPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            member_name: member.record.name.clone(),
            as_whom: as_whom(&member.record),
            link: format!("{base}/join?code={}", issued.code),
            code: issued.code.clone(),
            expires: jst(issued.expires_at),
            covered,
        }
    }
}

pub struct DisclosureRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub what: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "disclosures.html")]
pub struct DisclosuresPage {
    pub nav: Nav,
    pub client_id: i64,
    pub client_name: String,
    pub rows: Vec<DisclosureRow>,
    /// (code, label, chosen) for the filter.
    pub actions: Vec<(&'static str, String, bool)>,
}

impl DisclosuresPage {
    pub fn new(
        user: &Authed,
        client_id: i64,
        client_name: String,
        rows: &[yorisoi_store::outside::Disclosure],
        names: &[(i64, String)],
        chosen: &str,
    ) -> Self {
        let name_of = |id: Option<i64>| {
            id.and_then(|id| names.iter().find(|(i, _)| *i == id))
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| "（システム）".into())
        };
        DisclosuresPage {
            nav: Nav::new(user, "clients"),
            client_id,
            client_name,
            rows: rows
                .iter()
                .map(|r| DisclosureRow {
                    at: jst(r.at),
                    who: name_of(r.user_id),
                    action: crate::kit::audit::action_label(&r.action),
                    what: crate::kit::audit::kind_label(&r.kind).to_string(),
                    detail: r.detail.clone(),
                })
                .collect(),
            actions: yorisoi_store::outside::DISCLOSURE_ACTIONS
                .iter()
                .map(|a| (*a, crate::kit::audit::action_label(a), *a == chosen))
                .collect(),
        }
    }
}

/// One goal on the provider's report form.
pub struct ReportRow {
    pub key: u32,
    pub need: String,
    pub goal: String,
    pub service: String,
    pub provision: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "shared_report.html")]
pub struct ReportPage {
    pub nav: Nav,
    pub client_id: i64,
    pub name: String,
    pub as_whom: String,
    pub tabs: Vec<(&'static str, &'static str, bool)>,
    pub has_plan: bool,
    pub month: String,
    pub month_label: String,
    pub rows: Vec<ReportRow>,
    pub note: String,
    pub version: String,
    pub errors: FieldErrors,
    pub saved: bool,
    /// When the stored report was last saved ("" for none).
    pub stored_at: String,
    /// The person's own 「わたしの ことば」 rather than a provider's report.
    pub person: bool,
    pub easy: bool,
    /// The plan's rows and the 個別支援計画 on file for each (a provider only).
    pub ipp: Vec<IppRow>,
    /// After sending a 個別支援計画: done, or why not.
    pub ipp_notice: String,
    pub ipp_error: String,
}

/// A row of the plan in force, as the provider sends its 個別支援計画 for it.
pub struct IppRow {
    pub key: u32,
    /// 「1. 一人でバスに乗って通えるようになりたい（就労継続支援B型 ひかり作業所）」
    pub label: String,
    /// 「ipp.pdf（令和8年12月1日 受領）」, or "" for 未登録.
    pub file: String,
}

impl IppRow {
    /// The rows of the member's own service (`mine`), numbered as in the plan.
    pub fn of(
        plan: &Plan,
        imps: &[yorisoi_store::plans::Implementation],
        mine: impl Fn(&yorisoi_domain::plan::PlanRow) -> bool,
    ) -> Vec<IppRow> {
        plan.record
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| mine(r))
            .map(|(i, r)| {
                let imp = imps.iter().find(|m| m.row_key == r.key);
                IppRow {
                    key: r.key,
                    label: format!(
                        "{}. {}（{}）",
                        i + 1,
                        r.need,
                        r.service.lines().next().unwrap_or_default().trim()
                    ),
                    file: imp
                        .and_then(|m| {
                            let a = m.attachment.as_ref()?;
                            Some(format!(
                                "{}（{} 受領）",
                                a.filename,
                                m.record
                                    .ipp_received_on
                                    .map(yorisoi_domain::date::format_wareki)
                                    .unwrap_or_else(|| jst(a.created_at))
                            ))
                        })
                        .unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// The tab of the report page: a provider reports; the person writes their own words.
pub fn report_label(person: bool) -> &'static str {
    if person {
        "わたしの ことば"
    } else {
        "サービス提供状況の報告"
    }
}

impl ReportPage {
    pub fn new(
        user: &Authed,
        me: SharedClient,
        plan: Option<&Plan>,
        month_of: yorisoi_domain::certificate::YearMonth,
        stored: Option<&yorisoi_store::outside::ProviderReport>,
        typed: Option<(&super::handlers::ReportForm, &FieldErrors)>,
        saved: bool,
    ) -> Self {
        use yorisoi_domain::monitoring::provider::ProviderReportInput;
        let person = me.member.kind == MemberKind::Person;
        let keys: Vec<u32> = plan
            .map(|p| p.record.rows.iter().map(|r| r.key).collect())
            .unwrap_or_default();
        let (input, version, errors) = match typed {
            Some((f, e)) => (f.report(), f.version.clone(), e.clone()),
            None => match stored {
                Some(r) => (
                    ProviderReportInput {
                        month: month(r.record.month),
                        ..ProviderReportInput::from_record(&r.record, &keys)
                    },
                    r.version.to_string(),
                    FieldErrors::new(),
                ),
                None => (
                    ProviderReportInput {
                        month: month(month_of),
                        ..Default::default()
                    },
                    String::new(),
                    FieldErrors::new(),
                ),
            },
        };
        let rows = plan
            .map(|p| {
                p.record
                    .rows
                    .iter()
                    .map(|r| {
                        let i = input
                            .row_key
                            .iter()
                            .position(|k| k.trim() == r.key.to_string());
                        ReportRow {
                            key: r.key,
                            need: r.need.clone(),
                            goal: r.goal.clone(),
                            service: format!("{} {}", r.service, r.provider).trim().to_string(),
                            provision: i
                                .and_then(|i| input.provision.get(i).cloned())
                                .unwrap_or_default(),
                            error: i
                                .and_then(|i| errors.get(&format!("provision[{i}]")))
                                .map(str::to_string)
                                .unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut tabs: Vec<(&'static str, &'static str, bool)> = me
            .sections
            .iter()
            .map(|s| (s.code(), tab_label(*s), false))
            .collect();
        tabs.push(("report", report_label(person), true));
        ReportPage {
            person,
            easy: person,
            nav: Nav::new(user, "shared"),
            client_id: me.client_id,
            as_whom: as_whom(&me.member),
            name: me.name,
            tabs,
            has_plan: plan.is_some(),
            month: input.month.clone(),
            month_label: month(month_of),
            rows,
            note: input.note,
            version,
            errors,
            saved,
            stored_at: stored.map(|r| jst(r.updated_at)).unwrap_or_default(),
            ipp: Vec::new(),
            ipp_notice: String::new(),
            ipp_error: String::new(),
        }
    }
}
