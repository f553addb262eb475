//! The one authorization function: (user, office, role, assignment) × (record kind, action).
//!
//! Every route that touches office data asks [`authorize`]; the web layer answers a denial with
//! the same 404 as a record that does not exist, so ids of other offices reveal nothing.

crate::code_enum!(Role {
    Admin = "admin": "管理者",
    Lead = "lead": "主任相談支援専門員",
    Specialist = "specialist": "相談支援専門員",
    Clerk = "clerk": "事務",
    Outside = "outside": "ケアチームの外部メンバー",
    Region = "region": "地域の事務局（基幹相談支援センター・協議会）",
});

impl Role {
    /// The roles of the office's own staff (what the staff form offers). An outside member's
    /// account is made only by redeeming an invitation.
    pub const STAFF: &'static [Role] = &[
        Role::Admin,
        Role::Lead,
        Role::Specialist,
        Role::Clerk,
        Role::Region,
    ];
    pub fn is_staff(self) -> bool {
        self != Role::Outside
    }
    /// The roles a client can be assigned to (and that write case records).
    pub fn takes_cases(self) -> bool {
        matches!(self, Role::Admin | Role::Lead | Role::Specialist)
    }
}

/// What kind of record an action concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 利用者台帳 and disability books.
    Ledger,
    /// 受給者証.
    Certificate,
    /// 支援ケース and its intake.
    Case,
    /// 支援経過記録.
    CaseNote,
    /// アセスメント (versions, with the family, network and life history).
    Assessment,
    /// サービス等利用計画 (versions, consent and hand-over, implementation and its files).
    Plan,
    /// サービス担当者会議.
    Meeting,
    /// モニタリング報告書.
    Monitoring,
    /// 意思決定支援 records.
    DecisionSupport,
    /// ケアチーム and the consents to share with its members.
    CareTeam,
    /// The office's 社会資源 directory (not a client record).
    Resource,
    /// Which specialist a client is assigned to.
    Assignment,
    /// Staff accounts of the office.
    Staff,
    /// The audit log.
    AuditLog,
    /// Personal API tokens.
    ApiToken,
    /// One's own account: password and sessions (the store scopes every query to the actor).
    Account,
    /// 地域課題: the office's issues for the council, and the links to the cases behind them.
    RegionalIssue,
    /// Releasing a 地域課題's text to leave the office (for the 協議会).
    IssueRelease,
    /// The office's 地域課題 category list: which defaults it uses and its own categories.
    IssueCategoryList,
    /// A region run by the office (基幹相談支援センター, the 協議会's secretariat): the offices that
    /// joined it, their released 地域課題 and the de-identified figures across them, and where
    /// each issue stands in the council.
    RegionView,
    /// Starting the region the office runs, and joining or leaving one (the office's admin).
    RegionMembership,
}

impl RecordKind {
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Ledger,
        RecordKind::Certificate,
        RecordKind::Case,
        RecordKind::CaseNote,
        RecordKind::Assessment,
        RecordKind::Plan,
        RecordKind::Meeting,
        RecordKind::Monitoring,
        RecordKind::DecisionSupport,
        RecordKind::CareTeam,
        RecordKind::Resource,
        RecordKind::Assignment,
        RecordKind::Staff,
        RecordKind::AuditLog,
        RecordKind::ApiToken,
        RecordKind::Account,
        RecordKind::RegionalIssue,
        RecordKind::IssueRelease,
        RecordKind::IssueCategoryList,
        RecordKind::RegionView,
        RecordKind::RegionMembership,
    ];
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Ledger => "ledger",
            RecordKind::Certificate => "certificate",
            RecordKind::Case => "case",
            RecordKind::CaseNote => "case_note",
            RecordKind::Assessment => "assessment",
            RecordKind::Plan => "plan",
            RecordKind::Meeting => "meeting",
            RecordKind::Monitoring => "monitoring",
            RecordKind::DecisionSupport => "decision_support",
            RecordKind::CareTeam => "care_team",
            RecordKind::Resource => "resource",
            RecordKind::Assignment => "assignment",
            RecordKind::Staff => "staff",
            RecordKind::AuditLog => "audit_log",
            RecordKind::ApiToken => "api_token",
            RecordKind::Account => "account",
            RecordKind::RegionalIssue => "regional_issue",
            RecordKind::IssueRelease => "issue_release",
            RecordKind::IssueCategoryList => "issue_category_list",
            RecordKind::RegionView => "region_view",
            RecordKind::RegionMembership => "region_membership",
        }
    }
    /// Records that belong to one client (and so depend on assignment).
    pub fn is_client_record(self) -> bool {
        matches!(
            self,
            RecordKind::Ledger
                | RecordKind::Certificate
                | RecordKind::Case
                | RecordKind::CaseNote
                | RecordKind::Assessment
                | RecordKind::Plan
                | RecordKind::Meeting
                | RecordKind::Monitoring
                | RecordKind::DecisionSupport
                | RecordKind::CareTeam
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    /// Create, update, close, or add a version.
    Write,
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub office_id: i64,
    pub role: Role,
}

/// What is asked about: the office that owns the record and, for client records, the
/// specialist the client is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub office_id: i64,
    pub assigned_to: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("見つかりません")]
pub struct Denied;

/// The decision. Tenancy first (never another office), then the role, then assignment.
pub fn authorize(
    actor: &Actor,
    kind: RecordKind,
    action: Action,
    target: &Target,
) -> Result<(), Denied> {
    use Action::*;
    use RecordKind::*;
    use Role::*;
    if actor.office_id != target.office_id {
        return Err(Denied);
    }
    let assigned = target.assigned_to == Some(actor.user_id);
    let allowed = match (actor.role, kind, action) {
        // Someone outside the office reaches a client's records only through
        // [`authorize_shared`] (their place on the care team and the consent); of the office
        // itself, only their own account.
        (Outside, Account, _) => true,
        (Outside, _, _) => false,
        // The region's secretariat sees the region (released issues and figures under the
        // disclosure rules) and its own account, never a client of its own office or another.
        (Region, Account | RegionView, _) => true,
        (Region, _, _) => false,
        // An office's admin sets up the region it runs (and sees it), and joins or leaves one.
        (Admin, RegionView | RegionMembership, _) => true,
        (_, RegionView | RegionMembership, _) => false,
        // The audit log is appended by the store, never written by a user.
        (_, AuditLog, Write) => false,
        (Admin, AuditLog, Read) => true,
        (_, AuditLog, Read) => false,
        (Admin, Staff | ApiToken, _) => true,
        // Everyone sees who works in the office (names for filters and assignments).
        (_, Staff, Read) => true,
        (_, Staff | ApiToken, _) => false,
        // Everyone changes their own password and sees and ends their own sessions.
        (_, Account, _) => true,
        (Admin | Lead, Assignment, _) => true,
        (_, Assignment, Read) => true,
        (_, Assignment, Write) => false,
        // The directory of providers and informal resources is the office's shared knowledge;
        // the 事務 keeps it up to date too.
        (_, Resource, _) => true,
        // 地域課題 are written from case content: the specialists and the leads, not the 事務.
        // Only a lead or an admin releases one to leave the office.
        (Admin | Lead | Specialist, RegionalIssue, _) => true,
        (Clerk, RegionalIssue | IssueRelease | IssueCategoryList, _) => false,
        // Whoever writes issues reads the list to choose from; a lead or an admin sets it.
        (Admin | Lead, IssueCategoryList, _) => true,
        (Specialist, IssueCategoryList, Read) => true,
        (Specialist, IssueCategoryList, Write) => false,
        (Admin | Lead, IssueRelease, _) => true,
        (Specialist, IssueRelease, Read) => true,
        (Specialist, IssueRelease, Write) => false,
        (Admin | Lead, Ledger | Certificate | Case | CaseNote | Assessment, _) => true,
        (Admin | Lead, Plan | Meeting | Monitoring | DecisionSupport | CareTeam, _) => true,
        // 事務: the ledger and certificates of the whole office, no case content.
        (Clerk, Ledger | Certificate, _) => true,
        (
            Clerk,
            Case | CaseNote | Assessment | Plan | Meeting | Monitoring | DecisionSupport | CareTeam,
            _,
        ) => false,
        (Specialist, Ledger | Certificate | Case | CaseNote | Assessment, _) => assigned,
        (Specialist, Plan | Meeting | Monitoring | DecisionSupport | CareTeam, _) => assigned,
    };
    if allowed { Ok(()) } else { Err(Denied) }
}

/// Whether `role` may do `action` on `kind` records of a client assigned to the user, in their
/// own office: what a screen asks before it offers a link or a button. The same [`authorize`]
/// decides; this only fills in the most favourable target.
pub fn may(role: Role, kind: RecordKind, action: Action) -> bool {
    let actor = Actor {
        user_id: 0,
        office_id: 0,
        role,
    };
    let target = Target {
        office_id: 0,
        assigned_to: Some(0),
    };
    authorize(&actor, kind, action, &target).is_ok()
}

/// Whether the role sees every client of the office (rather than only assigned ones).
pub fn sees_whole_office(role: Role) -> bool {
    !matches!(role, Role::Specialist | Role::Outside | Role::Region)
}

/// What an outside member holds for one client's section: their place on the care team and
/// what lets the section go to them (DOMAIN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// The office that keeps the client's record.
    pub office_id: i64,
    /// The member's row is still on the client's team (a member taken off loses everything).
    pub on_team: bool,
    /// What the disclosure relies on, if anything covers it today.
    pub basis: Option<Basis>,
}

/// Why a section may go to an outside member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A consent in force that names the member and the section.
    Consent(i64),
    /// The person's own information, shown to the person themself.
    Own,
}

/// The decision for an outside member: never another office, only while on the team, only what
/// a consent in force (or the person's own right to their record) covers. Staff never pass here;
/// they go through [`authorize`].
pub fn authorize_shared(actor: &Actor, grant: &Grant) -> Result<Basis, Denied> {
    if actor.role != Role::Outside || actor.office_id != grant.office_id || !grant.on_team {
        return Err(Denied);
    }
    grant.basis.ok_or(Denied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy)]
    enum Rel {
        Assigned,
        Unassigned,
        OtherOffice,
    }

    /// Expected decision for every cell, written out as the specification reads.
    fn expected(role: Role, kind: RecordKind, action: Action, rel: Rel) -> bool {
        use RecordKind::*;
        if matches!(rel, Rel::OtherOffice) {
            return false;
        }
        match kind {
            _ if role == Role::Outside => kind == Account,
            _ if role == Role::Region => matches!(kind, Account | RegionView),
            RegionView | RegionMembership => role == Role::Admin,
            Ledger | Certificate => match role {
                Role::Admin | Role::Lead | Role::Clerk => true,
                Role::Specialist => matches!(rel, Rel::Assigned),
                Role::Outside | Role::Region => false,
            },
            Resource => true,
            Case | CaseNote | Assessment | Plan | Meeting | Monitoring | DecisionSupport
            | CareTeam => match role {
                Role::Admin | Role::Lead => true,
                Role::Specialist => matches!(rel, Rel::Assigned),
                Role::Clerk | Role::Outside | Role::Region => false,
            },
            Assignment => action == Action::Read || matches!(role, Role::Admin | Role::Lead),
            Staff => action == Action::Read || role == Role::Admin,
            AuditLog => action == Action::Read && role == Role::Admin,
            ApiToken => role == Role::Admin,
            Account => true,
            RegionalIssue => role != Role::Clerk,
            IssueRelease | IssueCategoryList => match role {
                Role::Admin | Role::Lead => true,
                Role::Specialist => action == Action::Read,
                Role::Clerk | Role::Outside | Role::Region => false,
            },
        }
    }

    #[test]
    fn the_whole_matrix() {
        let mut cells = 0;
        for role in Role::ALL {
            let actor = Actor {
                user_id: 10,
                office_id: 1,
                role: *role,
            };
            for kind in RecordKind::ALL {
                for action in [Action::Read, Action::Write] {
                    for rel in [Rel::Assigned, Rel::Unassigned, Rel::OtherOffice] {
                        let target = match rel {
                            Rel::Assigned => Target {
                                office_id: 1,
                                assigned_to: Some(10),
                            },
                            Rel::Unassigned => Target {
                                office_id: 1,
                                assigned_to: Some(11),
                            },
                            Rel::OtherOffice => Target {
                                office_id: 2,
                                assigned_to: Some(10),
                            },
                        };
                        let got = authorize(&actor, *kind, action, &target).is_ok();
                        assert_eq!(
                            got,
                            expected(*role, *kind, action, rel),
                            "{role:?} {kind:?} {action:?} {rel:?}"
                        );
                        cells += 1;
                    }
                }
            }
        }
        assert_eq!(cells, 6 * 21 * 2 * 3);
    }

    #[test]
    fn unassigned_client_is_hidden_from_a_specialist() {
        let actor = Actor {
            user_id: 10,
            office_id: 1,
            role: Role::Specialist,
        };
        let nobody = Target {
            office_id: 1,
            assigned_to: None,
        };
        assert_eq!(
            authorize(&actor, RecordKind::Ledger, Action::Read, &nobody),
            Err(Denied)
        );
        assert!(!sees_whole_office(Role::Specialist));
        assert!(may(Role::Specialist, RecordKind::Case, Action::Read));
        assert!(!may(Role::Clerk, RecordKind::Case, Action::Read));
        assert!(may(Role::Lead, RecordKind::Assignment, Action::Write));
        assert!(!may(
            Role::Specialist,
            RecordKind::Assignment,
            Action::Write
        ));
        assert!(sees_whole_office(Role::Clerk));
        assert!(!sees_whole_office(Role::Outside));
    }

    /// Every outside cell: office × on the team × basis, and staff roles never pass.
    #[test]
    fn an_outside_member_gets_only_what_is_covered() {
        let mut cells = 0;
        for role in Role::ALL {
            let actor = Actor {
                user_id: 10,
                office_id: 1,
                role: *role,
            };
            for office_id in [1, 2] {
                for on_team in [true, false] {
                    for basis in [None, Some(Basis::Consent(7)), Some(Basis::Own)] {
                        let grant = Grant {
                            office_id,
                            on_team,
                            basis,
                        };
                        let want = (*role == Role::Outside && office_id == 1 && on_team)
                            .then_some(basis)
                            .flatten();
                        assert_eq!(
                            authorize_shared(&actor, &grant).ok(),
                            want,
                            "{role:?} office {office_id} on_team {on_team} {basis:?}"
                        );
                        cells += 1;
                    }
                }
            }
        }
        assert_eq!(cells, 6 * 2 * 2 * 3);
        assert!(!Role::STAFF.contains(&Role::Outside));
        assert!(Role::STAFF.iter().all(|r| r.is_staff()));
    }
}
