use super::*;
use crate::assessment::{AssessmentRecord, BasicInfo, Need, NeedSource};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn assessment() -> AssessmentRecord {
    let mut a = AssessmentRecord::new(
        d(2026, 4, 10),
        AssessmentMethod::HomeVisit,
        "本人".into(),
        BasicInfo::default(),
    );
    a.wish_person = "A型事業所で働きたい".into();
    a.wish_family = "無理をしないでほしい".into();
    a.needs = vec![
        Need {
            key: 3,
            text: "薬を飲み忘れずに体調を整えたい".into(),
            source: Some(NeedSource::PersonWish),
            grounds: String::new(),
            reframing: String::new(),
        },
        Need {
            key: 7,
            text: "一人でバスに乗って通えるようになりたい".into(),
            source: None,
            grounds: String::new(),
            reframing: String::new(),
        },
    ];
    a
}

fn draft() -> PlanRecord {
    PlanRecord::draft_from(PlanKind::Adult, d(2026, 4, 20), 11, &assessment())
}

#[test]
fn a_draft_carries_the_persons_words_and_one_row_per_need() {
    let p = draft();
    assert_eq!(p.wish_person, "A型事業所で働きたい");
    assert_eq!(p.wish_family, "無理をしないでほしい");
    assert_eq!(p.rows.len(), 2);
    assert_eq!(p.rows[0].need_key, Some(3));
    assert_eq!(p.rows[1].need, "一人でバスに乗って通えるようになりたい");
    assert_eq!(p.rows[1].key, 2);
    assert_eq!(p.assessment_method, Some(AssessmentMethod::HomeVisit));
    // Each row says where it began; a save of the rows keeps it.
    assert_eq!(p.rows[0].from_wish, "本人の希望「A型事業所で働きたい」");
    assert_eq!(p.rows[1].from_wish, "");
    let again = input_of(&p).validate(&p, d(2026, 5, 1)).unwrap();
    assert_eq!(again.rows[0].from_wish, "本人の希望「A型事業所で働きたい」");
}

#[test]
fn a_draft_carries_each_family_members_words_with_who_said_them() {
    let mut a = assessment();
    a.wish_family = String::new();
    a.family_wishes = vec![crate::assessment::FamilyWish {
        relation: "妻".into(),
        name: "青木 洋子".into(),
        words: "無理をしないでほしい".into(),
    }];
    let p = PlanRecord::draft_from(PlanKind::Adult, d(2026, 4, 20), 11, &a);
    assert_eq!(p.family_wishes, a.family_wishes);
    assert_eq!(
        p.family_wishes_text(),
        "妻（青木 洋子）：「無理をしないでほしい」"
    );
    assert_eq!(p.family_voices().speakers, vec!["青木 洋子".to_string()]);
    assert!(!p.family_voices().unattributed);
}

fn input_of(p: &PlanRecord) -> PlanInput {
    PlanInput::from_record(p)
}

#[test]
fn rows_keep_their_keys_when_reordered_and_new_rows_get_fresh_ones() {
    let p = draft();
    let mut i = input_of(&p);
    i.rows.reverse();
    i.rows.push(RowInput {
        need: "お金の管理を手伝ってほしい".into(),
        category: "other_system".into(),
        service_type: "money_management".into(),
        ..Default::default()
    });
    let r = i.validate(&p, d(2026, 5, 1)).unwrap();
    let keys: Vec<u32> = r.rows.iter().map(|x| x.key).collect();
    assert_eq!(keys, vec![2, 1, 3]);
    assert_eq!(r.rows[1].need_key, Some(3));
    assert_eq!(r.rows[2].service_type, Some(ServiceType::MoneyManagement));
}

#[test]
fn a_row_with_days_and_time_appears_on_the_weekly_chart() {
    let p = draft();
    let mut i = input_of(&p);
    i.rows[0].service_type = "employment_b".into();
    i.rows[0].days = "月・火・木・金".into();
    i.rows[0].time = "9:30〜15:30".into();
    i.week.push(WeekEntryInput {
        day: "土日".into(),
        start: "7時".into(),
        end: "8:00".into(),
        label: "散歩".into(),
    });
    let r = i.validate(&p, d(2026, 5, 1)).unwrap();
    let s = r.rows[0].schedule.clone().unwrap();
    assert_eq!(s.days, vec![0, 1, 3, 4]);
    let blocks = r.week_blocks();
    assert_eq!(blocks.len(), 6);
    assert!(blocks[0].service && blocks[0].label == "就労継続支援B型");
    assert!(
        blocks
            .iter()
            .any(|b| b.day == 6 && b.label == "散歩" && !b.service)
    );
    // The form shows the walk as one line again.
    let back = input_of(&r);
    assert_eq!(back.week.len(), 1);
    assert_eq!(back.week[0].day, "土日");
    assert_eq!(back.rows[0].days, "月火木金");
}

#[test]
fn sleep_across_the_charts_bottom_is_drawn_in_two_pieces_in_its_column() {
    let p = draft();
    let mut i = input_of(&p);
    i.week.push(WeekEntryInput {
        day: "月〜金".into(),
        start: "22:00".into(),
        end: "6:30".into(),
        label: "睡眠".into(),
    });
    i.week.push(WeekEntryInput {
        day: "土".into(),
        start: "5:30".into(),
        end: "7:00".into(),
        label: "新聞配達".into(),
    });
    let r = i.validate(&p, d(2026, 5, 1)).unwrap();
    let early: Vec<WeekBlock> = r
        .week_blocks()
        .into_iter()
        .filter(|b| b.label == "新聞配達")
        .collect();
    assert_eq!(early.len(), 1);
    assert_eq!(
        (
            early[0].start.format("%H:%M").to_string(),
            early[0].end.format("%H:%M").to_string()
        ),
        ("06:00".to_string(), "07:00".to_string()),
        "what begins before the chart's top is drawn from 6:00"
    );
    let sleep: Vec<WeekBlock> = r
        .week_blocks()
        .into_iter()
        .filter(|b| b.label == "睡眠")
        .collect();
    assert_eq!(sleep.len(), 10, "two pieces on each of five days");
    let monday: Vec<(String, String)> = sleep
        .iter()
        .filter(|b| b.day == 0)
        .map(|b| {
            (
                b.start.format("%H:%M").to_string(),
                b.end.format("%H:%M").to_string(),
            )
        })
        .collect();
    assert_eq!(
        monday,
        vec![
            ("22:00".to_string(), "04:00".to_string()),
            ("06:00".to_string(), "06:30".to_string())
        ]
    );
}

#[test]
fn days_and_times_are_read_as_people_write_them() {
    assert_eq!(parse_days("平日").unwrap(), vec![0, 1, 2, 3, 4]);
    assert_eq!(parse_days("月曜日、水曜日").unwrap(), vec![0, 2]);
    assert_eq!(parse_days("祝日").unwrap(), vec![7]);
    assert!(parse_days("週4").is_err());
    assert!(parse_span("9:30").is_err());
    assert!(parse_span("15:00-9:00").is_err());
    // The chart runs past midnight: 22:00 to 2:00 is one span.
    assert!(parse_span("22:00-2:00").is_ok());
    // Sleep runs past the chart's bottom (4:00) into the morning.
    assert!(parse_span("22:00-6:30").is_ok());
    assert!(parse_span("5:00-7:00").is_ok());
    assert!(
        parse_span("4:30-3:00").is_err(),
        "begins in the chart's gap"
    );
    assert!(parse_span("8:00-8:00").is_err());
    // Ranges as a specialist writes them.
    assert_eq!(parse_days("月〜金").unwrap(), vec![0, 1, 2, 3, 4]);
    assert_eq!(parse_days("月-水、土").unwrap(), vec![0, 1, 2, 5]);
    assert_eq!(parse_days("火から木").unwrap(), vec![1, 2, 3]);
    assert!(parse_days("金〜月").unwrap_err().contains("逆"));
    assert_eq!(parse_month("令和8年5月").unwrap(), d(2026, 5, 1));
    assert_eq!(parse_month("2026-07").unwrap(), d(2026, 7, 1));
    assert!(parse_month("5月").is_err());
}

#[test]
fn bad_rows_are_refused_with_the_row_and_the_reason() {
    let p = draft();
    let mut i = input_of(&p);
    i.rows[1].days = "月".into();
    i.rows[0].service_type = "nonsense".into();
    i.drafted_on = "令和9年13月1日".into();
    let e = i.validate(&p, d(2026, 5, 1)).unwrap_err();
    assert!(e.get("rows[1].days").is_some(), "{e:?}");
    assert!(e.get("rows[0].service_type").is_some());
    assert!(e.get("drafted_on").is_some());
}

#[test]
fn the_plan_moves_draft_then_reviewed_then_final_and_never_skips() {
    let mut p = draft();
    assert!(check_transition(&p, PlanState::Draft, PlanState::Final, true).is_err());
    assert!(check_transition(&p, PlanState::Draft, PlanState::Reviewed, false).is_err());
    assert!(check_transition(&p, PlanState::Draft, PlanState::Reviewed, true).is_ok());
    let blockers = check_transition(&p, PlanState::Reviewed, PlanState::Final, true).unwrap_err();
    assert_eq!(blockers.len(), 4, "{blockers:?}"); // two providers, date, consent
    for r in &mut p.rows {
        r.provider = "N市就労支援センター".into();
    }
    p.rows[1].category = ServiceCategory::Informal;
    p.rows[1].provider.clear();
    p.decided_on = Some(d(2026, 5, 10));
    p.consents.push(PlanConsent {
        stage: DocStage::Final,
        signed_on: d(2026, 5, 10),
        signer: "A".into(),
        role: SignerRole::Person,
        explained: true,
    });
    assert!(check_transition(&p, PlanState::Reviewed, PlanState::Final, true).is_ok());
    assert!(check_transition(&p, PlanState::Final, PlanState::Draft, true).is_err());
}

#[test]
fn a_change_copies_the_content_but_not_the_signatures() {
    let mut p = draft();
    p.policy = "本人のペースで".into();
    p.handovers.push(Handover {
        stage: DocStage::Final,
        to: "本人".into(),
        on: d(2026, 5, 10),
        method: HandoverMethod::InPerson,
    });
    let c = p.change(d(2026, 9, 1));
    assert_eq!(c.policy, "本人のペースで");
    assert!(c.handovers.is_empty() && c.consents.is_empty());
    assert_eq!(c.drafted_on, d(2026, 9, 1));
    assert_eq!(c.rows, p.rows);
}

#[test]
fn the_fee_checklist_says_which_steps_are_missing() {
    let mut p = draft();
    let done = |p: &PlanRecord, held| fee_checklist(p, held).iter().filter(|s| s.done).count();
    assert_eq!(done(&p, false), 1); // the home visit
    p.assessment_method = Some(AssessmentMethod::Office);
    assert_eq!(done(&p, false), 0);
    p.consents.push(PlanConsent {
        stage: DocStage::Draft,
        signed_on: d(2026, 4, 21),
        signer: "A".into(),
        role: SignerRole::Person,
        explained: true,
    });
    p.handovers.push(Handover {
        stage: DocStage::Draft,
        to: "本人".into(),
        on: d(2026, 4, 21),
        method: HandoverMethod::InPerson,
    });
    let steps = fee_checklist(&p, true);
    assert!(steps[1].done && steps[2].done && steps[3].done);
    assert!(!steps[4].done && !steps[5].done);
}

#[test]
fn a_consent_needs_an_explanation_and_a_signer() {
    let ok = PlanConsentInput {
        stage: "draft".into(),
        signed_on: "R8.4.21".into(),
        signer: "A".into(),
        role: "person".into(),
        explained: "yes".into(),
    };
    assert_eq!(
        ok.validate(d(2026, 5, 1)).unwrap().signed_on,
        d(2026, 4, 21)
    );
    let mut bad = ok.clone();
    bad.explained.clear();
    bad.signer = " ".into();
    let e = bad.validate(d(2026, 5, 1)).unwrap_err();
    assert!(e.get("explained").is_some() && e.get("signer").is_some());
    let mut future = ok;
    future.signed_on = "2027-01-01".into();
    assert!(future.validate(d(2026, 5, 1)).is_err());
}

#[test]
fn the_suggested_period_follows_the_services_and_starts_monthly_when_new() {
    let mut p = draft();
    p.rows[0].service_type = Some(ServiceType::EmploymentB);
    let (m, why) = suggest_period(&p, false);
    assert_eq!(m, MonitoringPeriod::Every6);
    assert!(why.contains("就労継続支援B型"));
    p.rows[1].service_type = Some(ServiceType::HomeCare);
    assert_eq!(suggest_period(&p, false).0, MonitoringPeriod::Every3);
    let (m, why) = suggest_period(&p, true);
    assert_eq!(m, MonitoringPeriod::Monthly);
    assert!(why.contains("最初の3か月は毎月"));
}

#[test]
fn only_the_newest_version_before_final_is_editable() {
    assert!(check_editable(true, PlanState::Draft).is_ok());
    assert!(check_editable(true, PlanState::Reviewed).is_ok());
    assert!(check_editable(true, PlanState::Final).is_err());
    assert!(check_editable(false, PlanState::Draft).is_err());
}

#[test]
fn a_childs_draft_names_the_parent_from_the_ledger_snapshot() {
    use crate::client::{Guardian, GuardianKind};
    let mut a = assessment();
    a.basic.guardians = vec![
        Guardian {
            kind: GuardianKind::Guardian,
            relation: "弁護士".into(),
            name: "森 和也".into(),
            contact: String::new(),
        },
        Guardian {
            kind: GuardianKind::Parent,
            relation: String::new(),
            name: "千葉 美穂".into(),
            contact: String::new(),
        },
    ];
    let p = PlanRecord::draft_from(PlanKind::Child, d(2026, 4, 20), 11, &a);
    assert_eq!(p.guardian_name, "千葉 美穂");
    assert_eq!(
        p.guardian_relation, "保護者（親権者）",
        "no 続柄 typed: the kind"
    );
    let p = PlanRecord::draft_from(PlanKind::Adult, d(2026, 4, 20), 11, &a);
    assert_eq!(p.guardian_name, "", "an adult's plan has no 保護者 line");
}

#[test]
fn a_row_is_unmet_only_when_nothing_meets_its_need() {
    let row = |category, service: &str, provider: &str, resource_id| PlanRow {
        key: 1,
        need_key: None,
        from_wish: String::new(),
        need: "休日に出かけたい".into(),
        goal: String::new(),
        due: String::new(),
        category,
        service_type: None,
        service: service.into(),
        schedule: None,
        provider: provider.into(),
        resource_id,
        person_role: String::new(),
        review: String::new(),
        notes: String::new(),
    };
    use ServiceCategory::*;
    // A service no provider was found for, or no support written at all.
    assert!(row(Welfare, "移動支援 月4回", "", None).unmet());
    assert!(row(OtherSystem, "", " ", None).unmet());
    assert!(row(Informal, "", "", None).unmet());
    // A provider, a linked resource, or an informal support named in the text meets it.
    assert!(!row(Welfare, "移動支援 月4回", "あおぞら", None).unmet());
    assert!(!row(Welfare, "移動支援 月4回", "", Some(3)).unmet());
    assert!(!row(Informal, "兄が月1回一緒に片付け", "", None).unmet());
}
