//! The people around the person: the care team (DOMAIN.md §3.11), the office's directory of
//! social resources (§3.12), and consent to share (個人情報使用同意, §4).
//!
//! Consent is never edited: it is given, and later withdrawn (which takes effect at once) or
//! replaced by a new one. Whether someone outside the office may receive a person's information
//! is answered by [`covers`] and nothing else.

use crate::client::{optional_date, optional_id, required_code, required_date};
use crate::errors::FieldErrors;
use crate::plan::{ServiceCategory, ServiceType};
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum!(MemberKind {
    Person = "person": "本人",
    Family = "family": "家族",
    Municipality = "municipality": "市町村",
    Provider = "provider": "サービス事業所",
    Medical = "medical": "医療機関",
    Employer = "employer": "雇用主",
    Education = "education": "教育関係者",
    Commissioner = "commissioner": "民生児童委員",
    Neighbour = "neighbour": "近隣住民",
    Friend = "friend": "友人",
    Curator = "curator": "成年後見人",
    Other = "other": "その他",
});

impl MemberKind {
    /// The person and their family receive their own information without a consent record.
    pub fn is_outside(self) -> bool {
        !matches!(self, MemberKind::Person | MemberKind::Family)
    }
}

crate::code_enum!(ShareSection {
    Basic = "basic": "基本情報（氏名・連絡先・障害の状況）",
    Assessment = "assessment": "アセスメント",
    Plan = "plan": "サービス等利用計画",
    Medical = "medical": "医療・服薬の情報",
    Family = "family": "家族の情報",
    Monitoring = "monitoring": "モニタリング",
    Meeting = "meeting": "サービス担当者会議の記録",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamMemberRecord {
    pub kind: MemberKind,
    pub name: String,
    pub organisation: String,
    pub contact: String,
    /// Their role in the plan.
    pub role: String,
    pub resource_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TeamMemberInput {
    pub kind: String,
    pub name: String,
    pub organisation: String,
    pub contact: String,
    pub role: String,
    pub resource_id: String,
}

impl TeamMemberInput {
    pub fn validate(&self) -> Result<TeamMemberRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = required_code(&mut e, "kind", &self.kind, MemberKind::from_code);
        let name = text::required_line(&mut e, "name", &self.name, 60);
        let organisation = text::optional_line(&mut e, "organisation", &self.organisation, 100);
        let contact = text::optional_line(&mut e, "contact", &self.contact, 100);
        let role = text::optional_text(&mut e, "role", &self.role, 1000);
        let resource_id = optional_id(&mut e, "resource_id", &self.resource_id);
        match kind {
            Some(kind) if e.is_empty() => Ok(TeamMemberRecord {
                kind,
                name,
                organisation,
                contact,
                role,
                resource_id,
            }),
            _ => Err(e),
        }
    }

    pub fn from_record(r: &TeamMemberRecord) -> Self {
        TeamMemberInput {
            kind: r.kind.code().into(),
            name: r.name.clone(),
            organisation: r.organisation.clone(),
            contact: r.contact.clone(),
            role: r.role.clone(),
            resource_id: r.resource_id.map(|x| x.to_string()).unwrap_or_default(),
        }
    }
}

/// Rows of members added at once (the team page's grid, the batch API): every row not left
/// empty is validated, its problems keyed `members[i].field`; nothing is added unless all are
/// valid.
pub fn validate_members(rows: &[TeamMemberInput]) -> Result<Vec<TeamMemberRecord>, FieldErrors> {
    const MAX: usize = 60;
    let mut e = FieldErrors::new();
    let filled: Vec<(usize, &TeamMemberInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_blank())
        .collect();
    if filled.len() > MAX || rows.len() > MAX + 200 {
        e.add(
            "members",
            format!(
                "一度に加えられるのは{MAX}人までです（{}人あります）。",
                filled.len()
            ),
        );
        return Err(e);
    }
    if filled.is_empty() {
        e.add(
            "members",
            "加える人を1行以上入力してください（種類と氏名は必須です）。",
        );
        return Err(e);
    }
    let mut out = Vec::new();
    for (i, m) in filled {
        match m.validate() {
            Ok(r) => out.push(r),
            Err(row) => {
                for (field, msg) in row.0 {
                    e.add(&format!("members[{i}].{field}"), msg);
                }
            }
        }
    }
    e.into_result(out)
}

impl TeamMemberInput {
    /// Nothing typed or chosen: a row of the grid left empty.
    pub fn is_blank(&self) -> bool {
        text::all_blank([
            &self.kind,
            &self.name,
            &self.organisation,
            &self.contact,
            &self.role,
            &self.resource_id,
        ])
    }
}

/// An entry of the office's 社会資源 directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResourceRecord {
    pub category: ServiceCategory,
    pub service_type: Option<ServiceType>,
    pub name: String,
    /// サービス管理責任者・担当者.
    pub contact_person: String,
    pub phone: String,
    pub address: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResourceInput {
    pub category: String,
    pub service_type: String,
    pub name: String,
    pub contact_person: String,
    pub phone: String,
    pub address: String,
    pub note: String,
}

impl ResourceInput {
    pub fn validate(&self) -> Result<ResourceRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let category = required_code(
            &mut e,
            "category",
            &self.category,
            ServiceCategory::from_code,
        );
        let service_type = if self.service_type.trim().is_empty() {
            None
        } else {
            required_code(
                &mut e,
                "service_type",
                &self.service_type,
                ServiceType::from_code,
            )
        };
        if category == Some(ServiceCategory::Welfare) && service_type.is_none() {
            e.add(
                "service_type",
                "障害福祉サービス等の事業所は、サービスの種類を選んでください。",
            );
        }
        let name = text::required_line(&mut e, "name", &self.name, 100);
        let contact_person =
            text::optional_line(&mut e, "contact_person", &self.contact_person, 60);
        let phone = text::optional_line(&mut e, "phone", &self.phone, 30);
        let address = text::optional_line(&mut e, "address", &self.address, 200);
        let note = text::optional_text(&mut e, "note", &self.note, 2000);
        match category {
            Some(category) if e.is_empty() => Ok(ResourceRecord {
                category,
                service_type,
                name,
                contact_person,
                phone,
                address,
                note,
            }),
            _ => Err(e),
        }
    }

    pub fn from_record(r: &ResourceRecord) -> Self {
        ResourceInput {
            category: r.category.code().into(),
            service_type: r.service_type.map(|s| s.code().into()).unwrap_or_default(),
            name: r.name.clone(),
            contact_person: r.contact_person.clone(),
            phone: r.phone.clone(),
            address: r.address.clone(),
            note: r.note.clone(),
        }
    }
}

/// Whose information a consent is about: the client, or one family member for their own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShareConsentRecord {
    /// Empty for the client; otherwise the family member's name.
    pub subject: String,
    /// The care-team members who may receive the information.
    pub member_ids: Vec<i64>,
    pub sections: Vec<ShareSection>,
    pub purpose: String,
    pub given_on: NaiveDate,
    /// The signed document (e.g. 「個人情報使用同意書 2026-04-10」).
    pub document: String,
    pub withdrawn_on: Option<NaiveDate>,
}

impl ShareConsentRecord {
    pub fn is_client_own(&self) -> bool {
        self.subject.is_empty()
    }
    /// In force on `on`: given by then and not withdrawn by then.
    pub fn in_force(&self, on: NaiveDate) -> bool {
        self.given_on <= on && self.withdrawn_on.is_none_or(|w| w > on)
    }
}

/// A name as compared with another: folded as names are searched, and without what is written in
/// brackets (「青木 実（兄）」 and 「青木実」 are one person).
pub fn same_person_key(name: &str) -> String {
    let folded = crate::text::search_fold(name);
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0u32;
    for c in folded.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.is_empty() { folded } else { out }
}

/// Whether the client's consents let `member_id` receive `section` on `on`. Withdrawal counts
/// from its date, so a request on the day of withdrawal is refused.
pub fn covers(
    consents: &[ShareConsentRecord],
    member_id: i64,
    section: ShareSection,
    on: NaiveDate,
) -> bool {
    consents.iter().any(|c| {
        c.is_client_own()
            && c.in_force(on)
            && c.member_ids.contains(&member_id)
            && c.sections.contains(&section)
    })
}

/// Whether the family member `subject`'s own consents let `member_id` receive `section` on `on`
/// (the subject is matched by name, かな/カナ and width alike).
pub fn covers_own(
    consents: &[ShareConsentRecord],
    subject: &str,
    member_id: i64,
    section: ShareSection,
    on: NaiveDate,
) -> bool {
    let who = same_person_key(subject);
    consents.iter().any(|c| {
        !c.is_client_own()
            && same_person_key(&c.subject) == who
            && c.in_force(on)
            && c.member_ids.contains(&member_id)
            && c.sections.contains(&section)
    })
}

/// The care-team members chosen on a form (`member_ids`), each once; one not on the team, or
/// none at all (`none` says what to do), is an error.
fn chosen_members(e: &mut FieldErrors, raw: &[String], members: &[i64], none: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for m in raw {
        match m.trim().parse::<i64>() {
            Ok(id) if members.contains(&id) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => e.add(
                "member_ids",
                "ケアチームにいない相手が含まれています。一覧から選び直してください。",
            ),
        }
    }
    if ids.is_empty() && e.get("member_ids").is_none() {
        e.add("member_ids", none);
    }
    ids
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShareConsentInput {
    pub subject: String,
    pub member_ids: Vec<String>,
    pub sections: Vec<String>,
    pub purpose: String,
    /// 同意日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub given_on: String,
    pub document: String,
}

impl ShareConsentInput {
    /// `members` are the ids of the client's care team (a consent can only name them).
    pub fn validate(
        &self,
        today: NaiveDate,
        members: &[i64],
    ) -> Result<ShareConsentRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let subject = text::optional_line(&mut e, "subject", &self.subject, 60);
        let member_ids = chosen_members(
            &mut e,
            &self.member_ids,
            members,
            "情報を提供してよい相手を1人以上選んでください。",
        );
        let mut sections = Vec::new();
        for s in &self.sections {
            match ShareSection::from_code(s.trim()) {
                Some(x) if !sections.contains(&x) => sections.push(x),
                Some(_) => {}
                None => e.add("sections", "一覧から選んでください。"),
            }
        }
        if sections.is_empty() && e.get("sections").is_none() {
            e.add(
                "sections",
                "提供してよい情報の範囲を1つ以上選んでください。",
            );
        }
        let purpose = text::required_line(&mut e, "purpose", &self.purpose, 200);
        let given_on = required_date(&mut e, "given_on", &self.given_on);
        if given_on.is_some_and(|d| d > today) {
            e.add("given_on", "同意日が未来になっています。");
        }
        let document = text::optional_line(&mut e, "document", &self.document, 200);
        match given_on {
            Some(given_on) if e.is_empty() => Ok(ShareConsentRecord {
                subject,
                member_ids,
                sections,
                purpose,
                given_on,
                document,
                withdrawn_on: None,
            }),
            _ => Err(e),
        }
    }
}

/// One consent per person whose information it is (本人 and family members who sign the same
/// 同意書), given together: the same recipients, sections, purpose, date and document. Each
/// subject is "" for the client or a family member's name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsentSetInput {
    /// Whose information: "" (or 「本人」) for the client, otherwise a family member's name.
    pub subjects: Vec<String>,
    pub member_ids: Vec<String>,
    pub sections: Vec<String>,
    pub purpose: String,
    /// 同意日, required. Accepts 西暦 or 和暦.
    pub given_on: String,
    pub document: String,
}

impl ConsentSetInput {
    /// One record per subject, in the order given; problems of the shared fields keyed as in
    /// [`ShareConsentInput`], those of the subjects as `subjects`.
    pub fn validate(
        &self,
        today: NaiveDate,
        members: &[i64],
    ) -> Result<Vec<ShareConsentRecord>, FieldErrors> {
        let shared = ShareConsentInput {
            subject: String::new(),
            member_ids: self.member_ids.clone(),
            sections: self.sections.clone(),
            purpose: self.purpose.clone(),
            given_on: self.given_on.clone(),
            document: self.document.clone(),
        };
        let (base, mut e) = match shared.validate(today, members) {
            Ok(r) => (Some(r), FieldErrors::new()),
            Err(e) => (None, e),
        };
        let mut subjects: Vec<String> = Vec::new();
        for raw in &self.subjects {
            let s = text::optional_line(&mut e, "subjects", raw, 60);
            let s = if s == "本人" { String::new() } else { s };
            let fold = text::search_fold(&s);
            if subjects.iter().any(|x| text::search_fold(x) == fold) {
                e.add(
                    "subjects",
                    format!(
                        "同じ人（{}）が2回選ばれています。",
                        if s.is_empty() { "本人" } else { &s }
                    ),
                );
            } else {
                subjects.push(s);
            }
        }
        if self.subjects.is_empty() {
            e.add(
                "subjects",
                "誰の同意かを1人以上選んでください（本人、または同意した家族）。",
            );
        }
        if subjects.len() > 20 {
            e.add("subjects", "一度に記録できるのは20人分までです。");
        }
        match base {
            Some(base) if e.is_empty() => Ok(subjects
                .into_iter()
                .map(|subject| ShareConsentRecord {
                    subject,
                    ..base.clone()
                })
                .collect()),
            _ => Err(e),
        }
    }
}

/// The date a withdrawal takes effect (today if left empty; never in the past before the
/// consent was given).
pub fn withdrawal_date(
    raw: &str,
    given_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = if raw.trim().is_empty() {
        Some(today)
    } else {
        optional_date(&mut e, "withdrawn_on", raw)
    };
    match d {
        Some(d) if d < given_on => {
            e.add("withdrawn_on", "撤回日が同意日より前になっています。");
            Err(e)
        }
        Some(d) if d > today => {
            e.add(
                "withdrawn_on",
                "撤回は申し出た日から効力があります。未来の日付は入れられません。",
            );
            Err(e)
        }
        Some(d) => Ok(d),
        None => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_person_with_or_without_a_bracketed_relation() {
        assert_eq!(same_person_key("青木 実（兄）"), same_person_key("青木実"));
        assert_eq!(
            same_person_key("あおき みのる"),
            same_person_key("アオキミノル")
        );
        assert_ne!(same_person_key("青木 実"), same_person_key("青木 洋子"));
        assert_eq!(
            same_person_key("（兄）"),
            same_person_key("(兄)"),
            "a bracket alone stays"
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn consent() -> ShareConsentRecord {
        ShareConsentInput {
            subject: String::new(),
            member_ids: vec!["5".into(), "6".into()],
            sections: vec!["basic".into(), "plan".into()],
            purpose: "サービス担当者会議での情報共有".into(),
            given_on: "令和8年4月10日".into(),
            document: "同意書".into(),
        }
        .validate(d(2026, 5, 1), &[5, 6, 7])
        .unwrap()
    }

    #[test]
    fn a_consent_covers_only_its_members_sections_and_dates() {
        let c = vec![consent()];
        assert!(covers(&c, 5, ShareSection::Plan, d(2026, 4, 10)));
        assert!(!covers(&c, 7, ShareSection::Plan, d(2026, 4, 10)));
        assert!(!covers(&c, 5, ShareSection::Medical, d(2026, 4, 10)));
        assert!(!covers(&c, 5, ShareSection::Plan, d(2026, 4, 9)));
    }

    #[test]
    fn withdrawal_takes_effect_on_its_own_date() {
        let mut c = consent();
        c.withdrawn_on = Some(withdrawal_date("", c.given_on, d(2026, 6, 1)).unwrap());
        let c = vec![c];
        assert!(covers(&c, 5, ShareSection::Plan, d(2026, 5, 31)));
        assert!(!covers(&c, 5, ShareSection::Plan, d(2026, 6, 1)));
        assert!(withdrawal_date("2026-04-01", d(2026, 4, 10), d(2026, 6, 1)).is_err());
        assert!(withdrawal_date("2026-07-01", d(2026, 4, 10), d(2026, 6, 1)).is_err());
    }

    #[test]
    fn a_family_members_consent_does_not_cover_the_clients_information() {
        let mut c = consent();
        c.subject = "母".into();
        assert!(!covers(&[c], 5, ShareSection::Plan, d(2026, 5, 1)));
    }

    #[test]
    fn a_consent_names_only_team_members_and_needs_scope() {
        let i = ShareConsentInput {
            member_ids: vec!["99".into()],
            purpose: String::new(),
            given_on: "2026-04-10".into(),
            ..Default::default()
        };
        let e = i.validate(d(2026, 5, 1), &[5]).unwrap_err();
        assert!(e.get("member_ids").is_some());
        assert!(e.get("sections").is_some());
        assert!(e.get("purpose").is_some());
    }

    #[test]
    fn members_are_added_together_and_refused_by_row() {
        let row = |kind: &str, name: &str| TeamMemberInput {
            kind: kind.into(),
            name: name.into(),
            ..Default::default()
        };
        let rows = vec![
            row("person", "青木 明子"),
            TeamMemberInput::default(),
            row("family", "青木 花子"),
        ];
        assert_eq!(validate_members(&rows).unwrap().len(), 2);
        let bad = vec![
            row("person", "青木 明子"),
            TeamMemberInput::default(),
            row("provider", ""),
        ];
        let e = validate_members(&bad).unwrap_err();
        assert!(e.get("members[2].name").is_some(), "{e}");
        assert!(e.get("members[0].name").is_none());
        let e = validate_members(&[TeamMemberInput::default()]).unwrap_err();
        assert!(e.get("members").is_some());
    }

    #[test]
    fn a_consent_set_gives_one_record_per_subject() {
        let set = ConsentSetInput {
            subjects: vec!["".into(), "母".into()],
            member_ids: vec!["5".into(), "6".into()],
            sections: vec!["plan".into()],
            purpose: "会議".into(),
            given_on: "2026-04-10".into(),
            document: "同意書".into(),
        };
        let v = set.validate(d(2026, 5, 1), &[5, 6]).unwrap();
        assert_eq!(v.len(), 2);
        assert!(v[0].is_client_own() && v[1].subject == "母");
        assert_eq!(v[1].member_ids, vec![5, 6]);
        let twice = ConsentSetInput {
            subjects: vec!["本人".into(), "".into()],
            ..set.clone()
        };
        assert!(
            twice
                .validate(d(2026, 5, 1), &[5, 6])
                .unwrap_err()
                .get("subjects")
                .is_some()
        );
        let none = ConsentSetInput {
            subjects: vec![],
            sections: vec![],
            ..set
        };
        let e = none.validate(d(2026, 5, 1), &[5, 6]).unwrap_err();
        assert!(e.get("subjects").is_some() && e.get("sections").is_some());
    }

    #[test]
    fn a_welfare_provider_needs_its_service_type() {
        let i = ResourceInput {
            category: "welfare".into(),
            name: "N市就労支援センター".into(),
            ..Default::default()
        };
        assert!(i.validate().unwrap_err().get("service_type").is_some());
        let ok = ResourceInput {
            category: "informal".into(),
            name: "近所の喫茶店".into(),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().service_type, None);
    }
}

crate::code_enum!(SharedDocKind {
    Plan = "plan": "サービス等利用計画",
    Monitoring = "monitoring": "モニタリング報告書",
    Meeting = "meeting": "サービス担当者会議の記録",
    Assessment = "assessment": "アセスメントシート",
});

impl SharedDocKind {
    /// The consent section a share of this document is logged under.
    pub fn section(self) -> ShareSection {
        match self {
            SharedDocKind::Plan => ShareSection::Plan,
            SharedDocKind::Monitoring => ShareSection::Monitoring,
            SharedDocKind::Meeting => ShareSection::Meeting,
            SharedDocKind::Assessment => ShareSection::Assessment,
        }
    }

    /// Every section the document holds, each of which a consent must cover: the assessment
    /// sheet carries the medical and family information too.
    pub fn sections(self) -> &'static [ShareSection] {
        match self {
            SharedDocKind::Plan => &[ShareSection::Plan],
            SharedDocKind::Monitoring => &[ShareSection::Monitoring],
            SharedDocKind::Meeting => &[ShareSection::Meeting],
            SharedDocKind::Assessment => &[
                ShareSection::Assessment,
                ShareSection::Medical,
                ShareSection::Family,
            ],
        }
    }
}

/// A document shared with members of the care team: `document` is 「plan:12」 (kind and record
/// id, as the form's list offers them). A share always ends: by default after [`SHARE_DAYS`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShareInput {
    /// `plan:{id}`, `monitoring:{id}` or `meeting:{id}`.
    pub document: String,
    /// The care-team members (ids) to share with; each needs a yorisoi account and a consent.
    pub member_ids: Vec<String>,
    /// 共有の期限 (the last day it can be opened); empty for 90 days from today. 西暦 or 和暦.
    pub expires_on: String,
    /// A word to the recipients (at most 200 characters), or empty.
    pub message: String,
}

/// A share as validated: what, to whom, until when.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRequest {
    pub doc: SharedDocKind,
    pub record_id: i64,
    pub member_ids: Vec<i64>,
    pub expires_on: Option<NaiveDate>,
    pub message: String,
}

/// How long a share lasts when the specialist sets no end.
pub const SHARE_DAYS: i64 = 90;

impl ShareInput {
    /// `members` are the ids of the client's active care-team members.
    pub fn validate(&self, today: NaiveDate, members: &[i64]) -> Result<ShareRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let doc = self.document.trim().split_once(':').and_then(|(k, id)| {
            Some((SharedDocKind::from_code(k)?, id.trim().parse::<i64>().ok()?))
        });
        if doc.is_none() {
            e.add("document", "共有する書類を一覧から選んでください。");
        }
        let member_ids = chosen_members(
            &mut e,
            &self.member_ids,
            members,
            "共有する相手を1人以上選んでください。",
        );
        let expires_on = if self.expires_on.trim().is_empty() {
            Some(today + chrono::Duration::days(SHARE_DAYS))
        } else {
            optional_date(&mut e, "expires_on", &self.expires_on)
        };
        if expires_on.is_some_and(|d| d < today) {
            e.add(
                "expires_on",
                "共有の期限が過ぎた日になっています。今日以降の日を入れてください。",
            );
        }
        let message = text::optional_text(&mut e, "message", &self.message, 200);
        match doc {
            Some((doc, record_id)) if e.is_empty() => Ok(ShareRequest {
                doc,
                record_id,
                member_ids,
                expires_on,
                message,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod share_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_share_names_a_listed_document_and_team_members() {
        let today = day("2026-12-01");
        let ok = ShareInput {
            document: "plan:12".into(),
            member_ids: vec!["3".into(), "3".into(), "4".into()],
            expires_on: "令和9年1月31日".into(),
            message: "ご確認ください".into(),
        }
        .validate(today, &[3, 4, 5])
        .unwrap();
        assert_eq!(ok.doc, SharedDocKind::Plan);
        assert_eq!(ok.record_id, 12);
        assert_eq!(ok.member_ids, vec![3, 4]);
        assert_eq!(ok.expires_on, Some(day("2027-01-31")));

        let bad = ShareInput {
            document: "notes:1".into(),
            member_ids: vec!["9".into()],
            expires_on: "2026-11-30".into(),
            message: String::new(),
        }
        .validate(today, &[3])
        .unwrap_err();
        for f in ["document", "member_ids", "expires_on"] {
            assert!(bad.get(f).is_some(), "{f}");
        }
        let none = ShareInput {
            document: "meeting:2".into(),
            ..Default::default()
        }
        .validate(today, &[3])
        .unwrap_err();
        assert!(none.get("member_ids").is_some());
        let lasting = ShareInput {
            document: "meeting:2".into(),
            member_ids: vec!["3".into()],
            ..Default::default()
        }
        .validate(today, &[3])
        .unwrap();
        assert_eq!(lasting.expires_on, Some(day("2027-03-01")));
        assert_eq!(SharedDocKind::Meeting.section(), ShareSection::Meeting);
    }
}
