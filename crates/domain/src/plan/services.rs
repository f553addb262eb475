//! The kinds of service a plan row or a provider in the directory can name, with the standard
//! monitoring period the national rules suggest for each (DOMAIN.md §3.7).

use super::MonitoringPeriod;

crate::code_enum!(ServiceType {
    HomeCare = "home_care": "居宅介護",
    SevereVisiting = "severe_visiting": "重度訪問介護",
    Accompany = "accompany": "同行援護",
    BehaviorSupport = "behavior_support": "行動援護",
    ShortStay = "short_stay": "短期入所",
    DayCare = "day_care": "生活介護",
    Training = "training": "自立訓練",
    EmploymentTransition = "employment_transition": "就労移行支援",
    EmploymentA = "employment_a": "就労継続支援A型",
    EmploymentB = "employment_b": "就労継続支援B型",
    EmploymentRetention = "employment_retention": "就労定着支援",
    GroupHome = "group_home": "共同生活援助（グループホーム）",
    Residential = "residential": "施設入所支援",
    IndependentLiving = "independent_living": "自立生活援助",
    CommunityTransition = "community_transition": "地域移行支援",
    CommunitySettlement = "community_settlement": "地域定着支援",
    ChildDevelopment = "child_development": "児童発達支援",
    AfterSchool = "after_school": "放課後等デイサービス",
    NurseryVisit = "nursery_visit": "保育所等訪問支援",
    MobilitySupport = "mobility_support": "移動支援",
    DayRespite = "day_respite": "日中一時支援",
    VisitingNursing = "visiting_nursing": "訪問看護",
    Medical = "medical": "医療機関（通院・デイケア）",
    LongTermCare = "long_term_care": "介護保険サービス",
    MoneyManagement = "money_management": "日常生活自立支援事業",
    PublicAssistance = "public_assistance": "生活保護（ケースワーカー）",
    Other = "other": "その他",
});

impl ServiceType {
    /// The standard period, where the rules give one.
    pub fn standard_period(self) -> Option<MonitoringPeriod> {
        use ServiceType::*;
        match self {
            HomeCare | SevereVisiting | Accompany | BehaviorSupport | ShortStay | Training
            | EmploymentTransition | EmploymentRetention | IndependentLiving | NurseryVisit => {
                Some(MonitoringPeriod::Every3)
            }
            DayCare | EmploymentA | EmploymentB | GroupHome | Residential | CommunityTransition
            | CommunitySettlement | ChildDevelopment | AfterSchool => {
                Some(MonitoringPeriod::Every6)
            }
            _ => None,
        }
    }

    /// Whether the service is one of the 障害福祉サービス等 (rather than another system's).
    pub fn is_welfare(self) -> bool {
        use ServiceType::*;
        !matches!(
            self,
            VisitingNursing | Medical | LongTermCare | MoneyManagement | PublicAssistance | Other
        )
    }
}
