//! The demo office (DOMAIN.md §5): Aさん, Bさん and a child, seeded through the same store
//! functions the pages use, acting as the demo staff, with dates relative to today so that the
//! home screen always has something due.

use anyhow::{Result, anyhow};
use chrono::{Datelike, Duration, Months, NaiveDate};
use yorisoi_domain::case::{CloseInput, IntakeInput};
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::{BookInput, ClientInput, GuardianInput};
use yorisoi_domain::policy::{Action, Actor, RecordKind, Role};
use yorisoi_store::users::NewUser;
use yorisoi_store::{Store, cases, certificates, clients, offices, today_jst, users};

/// 14 random letters and digits that pass the password check (a random draw that happens to
/// hold a word or a sequence is drawn again).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    loop {
        let mut b = [0u8; 14];
        rand::fill(&mut b);
        let p: String = b
            .iter()
            .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
            .collect();
        let mut e = yorisoi_domain::FieldErrors::new();
        users::check_password(&mut e, "password", &p, Default::default());
        if e.is_empty() {
            return p;
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow!("bad demo date {y}-{m}-{d}"))
}

/// The most recent `month`/1 on or before today.
fn last_first_of(month: u32, today: NaiveDate) -> Result<NaiveDate> {
    let this_year = ymd(today.year(), month, 1)?;
    if this_year <= today {
        Ok(this_year)
    } else {
        ymd(today.year() - 1, month, 1)
    }
}

/// The first day of the month `k` months before this month (after it when `k` is negative).
fn month_start(today: NaiveDate, k: i32) -> Result<NaiveDate> {
    let first = ymd(today.year(), today.month(), 1)?;
    let m = Months::new(k.unsigned_abs());
    if k >= 0 {
        first.checked_sub_months(m)
    } else {
        first.checked_add_months(m)
    }
    .ok_or_else(|| anyhow!("bad demo month {k}"))
}

fn s(v: &str) -> String {
    v.to_string()
}

struct Staff {
    admin: Actor,
    lead: Actor,
    sato: Actor,
    suzuki: Actor,
    clerk: Actor,
}

async fn add_staff(store: &Store, office_id: i64, password: &str, prefix: &str) -> Result<Staff> {
    let admin_id = users::create_from_cli(
        store,
        office_id,
        &NewUser {
            login: format!("{prefix}kanri"),
            display_name: s("山田 和子"),
            role: s("admin"),
            password: password.into(),
        },
    )
    .await?
    .map_err(|e| anyhow!("{e}"))?;
    let admin = Actor {
        user_id: admin_id,
        office_id,
        role: Role::Admin,
    };
    let mut tx = store.begin(admin).await?;
    let mut mk = async |login: &str, name: &str, role: Role| -> Result<Actor> {
        let id = users::create(
            &mut tx,
            &NewUser {
                login: format!("{prefix}{login}"),
                display_name: name.into(),
                role: role.code().into(),
                password: password.into(),
            },
        )
        .await?
        .map_err(|e| anyhow!("{e}"))?;
        Ok(Actor {
            user_id: id,
            office_id,
            role,
        })
    };
    let lead = mk("shunin", "田中 誠", Role::Lead).await?;
    let sato = mk("sato", "佐藤 美咲", Role::Specialist).await?;
    let suzuki = mk("suzuki", "鈴木 健一", Role::Specialist).await?;
    let clerk = mk("jimu", "高橋 愛", Role::Clerk).await?;
    tx.commit().await?;
    Ok(Staff {
        admin,
        lead,
        sato,
        suzuki,
        clerk,
    })
}

async fn client(
    store: &Store,
    by: Actor,
    input: ClientInput,
    assigned: Option<i64>,
) -> Result<i64> {
    let r = input
        .validate(today_jst())
        .map_err(|e| anyhow!("demo client: {e}"))?;
    let mut tx = store.begin(by).await?;
    let id = clients::create(&mut tx, &r, assigned).await?;
    tx.commit().await?;
    Ok(id)
}

async fn book(store: &Store, by: Actor, client_id: i64, input: BookInput) -> Result<()> {
    let r = input.validate().map_err(|e| anyhow!("demo book: {e}"))?;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Ledger, Action::Write)
        .await?;
    clients::add_book(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(())
}

async fn certificate(
    store: &Store,
    by: Actor,
    client_id: i64,
    input: CertificateInput,
) -> Result<()> {
    let r = input
        .validate()
        .map_err(|e| anyhow!("demo certificate: {e}"))?;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Certificate, Action::Write)
        .await?;
    certificates::add(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens a case from an intake; the records written into it afterwards move it through the cycle.
async fn case(store: &Store, by: Actor, client_id: i64, input: IntakeInput) -> Result<i64> {
    let r = input
        .validate(today_jst())
        .map_err(|e| anyhow!("demo intake: {e}"))?;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await?;
    let id = cases::open(&mut tx, &acc, &r).await?;
    tx.commit().await?;
    Ok(id)
}

/// Bさん's move: the ledger's address and notes, and the team's roles, as they are after it.
async fn moved_to_group_home(store: &Store, by: Actor, client_id: i64) -> Result<()> {
    use yorisoi_domain::team::TeamMemberInput;
    use yorisoi_store::team;
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Ledger, Action::Write)
        .await?;
    let c = clients::get(&mut tx, &acc).await?;
    let mut input = ClientInput::from(&c.record);
    input.postal_code = s("293-0021");
    input.address = s("N市桜町3-2-1 グループホームさくら 2号室");
    input.phone = s("0120-111-005");
    input.notes = s(
        "言葉での会話は難しい。絵カード・写真カードでその日の活動や食べたい物を選べる。15年暮らした施設から、意思決定支援と体験利用を経てグループホームさくらへ移った。日中はみどり園の生活介護に通う。",
    );
    let r = input
        .validate(today_jst())
        .map_err(|e| anyhow!("demo client: {e}"))?;
    clients::update(&mut tx, &acc, c.version, &r).await?;
    let acc = tx
        .client_access(client_id, RecordKind::CareTeam, Action::Write)
        .await?;
    for m in team::members(&mut tx, &acc).await? {
        let mut i = TeamMemberInput::from_record(&m.record);
        match m.record.organisation.as_str() {
            "" if i.kind == "person" => i.contact = s("グループホームさくら 0120-111-005"),
            "障害者支援施設みどり園" => {
                i.organisation = s("みどり園 生活介護");
                i.role = s("日中の生活介護（施設入所は退所）。絵カードとスケジュールをGHと共有");
            }
            "グループホームさくら" => {
                i.role = s("共同生活援助（入居）、毎日の記録、買い物と調理の支援");
            }
            _ => continue,
        }
        let r = i.validate().map_err(|e| anyhow!("demo member: {e:?}"))?;
        team::update_member(&mut tx, &acc, m.id, m.version, &r, m.active).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A case that ended with a move: the look back and the hand-over, read-only, with its retention.
async fn closed_case(store: &Store, by: Actor, client_id: i64, from: NaiveDate) -> Result<()> {
    let case_id = case(
        store,
        by,
        client_id,
        IntakeInput {
            intake_date: from.to_string(),
            referral_source: s("municipality"),
            chief_complaint: s("家事が難しくなってきた。できるだけ自宅で暮らしたい。"),
            consent_to_support: s("yes"),
            urgency: s("medium"),
            title: s("在宅生活の継続"),
            ..Default::default()
        },
    )
    .await?;
    let today = today_jst();
    let mut tx = store.begin(by).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await?;
    let (c, _) = cases::get(&mut tx, &acc, case_id).await?;
    let r = CloseInput {
        closed_on: (today - Duration::days(20)).to_string(),
        reason: s("moved"),
        person_words: s("「娘の近くなら安心。ここまで手伝ってくれてありがとう」"),
        changes: s("家事援助で台所に立てる日が増え、通院も続けられた。病状の進行を受け止め、娘の住むM市への転居を自分で決めた。"),
        learning: s("本人が決めるまで待つこと。病状の変化が早いときは、モニタリングを毎月にしてもらうよう市に早めに相談する。"),
        handover_to: s("相談支援センター みなと（M市）"),
        handover: s("本人の同意を得て、アセスメントと計画の写し、服薬と通院の情報、本人の「できるだけ自分で台所に立ちたい」という希望を伝えた。"),
        ..Default::default()
    }
    .validate(c.opened_on, today)
    .map_err(|e| anyhow!("demo close: {e}"))?;
    cases::close(&mut tx, &acc, case_id, c.version, &r).await?;
    tx.commit().await?;
    Ok(())
}

/// The demo's one account with a second factor (TOTP).
pub const TOTP_LOGIN: &str = "ito";

/// What the demo seeded: (login, description) of the accounts, and the `otpauth://` URI of the
/// account with a second factor.
pub struct Seeded {
    pub accounts: Vec<(String, String)>,
    pub totp_uri: String,
    /// The care team outside the office, each with its second factor.
    pub outside: Vec<crate::demo_outside::OutsideAccount>,
}

/// The demo office's second factor: optional, so staff sign in with the password alone; admins
/// (always required) get a year's grace, so they are asked to set one up but not held back.
/// One specialist has TOTP enrolled, with a fresh secret each run.
async fn second_factor(store: &Store, st: &Staff, password: &str) -> Result<String> {
    use yorisoi_domain::second_factor::{Mode, Policy};
    use yorisoi_store::second_factor as sf;
    let office = st.admin.office_id;
    let policy = Policy {
        mode: Mode::Optional,
        grace_until: today_jst().checked_add_days(chrono::Days::new(365)),
    };
    sf::seed_policy(store, office, st.admin.user_id, policy).await?;
    let mut tx = store.begin(st.admin).await?;
    let id = users::create(
        &mut tx,
        &NewUser {
            login: TOTP_LOGIN.into(),
            display_name: s("伊藤 直子"),
            role: Role::Specialist.code().into(),
            password: password.into(),
        },
    )
    .await?
    .map_err(|e| anyhow!("{e}"))?;
    tx.commit().await?;
    let mut secret = vec![0u8; yorisoi_domain::second_factor::SECRET_BYTES];
    rand::fill(&mut secret[..]);
    sf::seed_enrolled(store, office, id, &secret).await?;
    Ok(yorisoi_domain::second_factor::user_uri(
        TOTP_LOGIN, office, &secret,
    ))
}

/// Seeds the demo; returns the accounts and the second factor of the one that has it.
pub async fn seed(store: &Store, password: &str) -> Result<Seeded> {
    let today = today_jst();
    let office = offices::create(store, "相談支援事業所 よりそい（N市）").await?;
    let st = add_staff(store, office, password, "").await?;
    let totp_uri = second_factor(store, &st, password).await?;
    // The demo office prints the easy-read plan with furigana (when the dictionary is there).
    let mut tx = store.begin(st.admin).await?;
    offices::set_doc_settings(
        &mut tx,
        &yorisoi_domain::office::DocSettings {
            furigana: true,
            office_phone: "0439-00-2020".into(),
            office_hours: "平日 9時〜17時（土日祝は留守番電話）".into(),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;

    // ---- Aさん: wants to work at an A型 office; the needs behind the demand.
    let a = client(
        store,
        st.sato,
        ClientInput {
            family_name: s("青木"),
            given_name: s("明子"),
            family_name_kana: s("あおき"),
            given_name_kana: s("あきこ"),
            birth_date: s("昭和56年3月2日"),
            sex: s("female"),
            postal_code: s("293-0001"),
            address: s("N市本町2丁目5-8 コーポ本町103"),
            phone: s("090-1234-5678"),
            disability_kinds: vec![s("mental"), s("intellectual")],
            diagnosis: s("統合失調症、知的障害（IQ60）"),
            complications: s("なし"),
            support_category: s("3"),
            support_category_from: last_first_of(4, today)?.to_string(),
            support_category_until: (last_first_of(4, today)? + Duration::days(3 * 365 - 1))
                .to_string(),
            income_kinds: vec![s("pension2"), s("welfare")],
            income_note: s("B型の工賃 月1万円程度。年金手帳は両親が管理していたが、三者面談を経て本人が管理（通帳は社協が預かる）"),
            key_person: s("兄 青木 実（B県在住） 080-2222-3333"),
            doctor: s("森田医師"),
            medical_institution: s("N市こころのクリニック（月2回通院）"),
            status: s("consulting"),
            notes: s(
                "話好きで人懐っこい。部屋が片付かないことを気にしている。母は要介護3で施設入所中。",
            ),
            ..Default::default()
        },
        None,
    )
    .await?;
    book(
        store,
        st.sato,
        a,
        BookInput {
            kind: s("mental"),
            grade: s("2"),
            issued_on: (today - Duration::days(400)).to_string(),
            expires_on: (today + Duration::days(330)).to_string(),
        },
    )
    .await?;
    book(
        store,
        st.sato,
        a,
        BookInput {
            kind: s("rehabilitation"),
            grade: s("B"),
            issued_on: s("2015-06-01"),
            ..Default::default()
        },
    )
    .await?;
    let may = last_first_of(5, today)?;
    let prev_may = ymd(may.year() - 1, 5, 1)?;
    // This year's months fall every three months from this month, so that the demo always has
    // a monitoring due today (the municipality writes them; here they follow the calendar).
    let this_year: Vec<String> = (0..12)
        .map(|k| (may.month0() + k) % 12 + 1)
        .filter(|m| (*m as i32 - today.month() as i32).rem_euclid(3) == 0)
        .map(|m| m.to_string())
        .collect();
    let this_year = this_year.join(",");
    for (from, until, months) in [
        (prev_may, may - Duration::days(1), "7,10,1,4"),
        (may, ymd(may.year() + 1, 4, 30)?, this_year.as_str()),
    ] {
        certificate(
            store,
            st.clerk,
            a,
            CertificateInput {
                kind: s("welfare"),
                number: s("0123456789"),
                municipality: s("N市"),
                issued_on: (from - Duration::days(10)).to_string(),
                decision_from: from.to_string(),
                decision_until: until.to_string(),
                services: s("就労継続支援B型：当該月の日数から8日を控除した日数"),
                cost_cap_yen: s("0"),
                plan_support_from: from.to_string(),
                plan_support_until: until.to_string(),
                monitoring_period: s("every3"),
                monitoring_months: s(months),
                ..Default::default()
            },
        )
        .await?;
    }
    let a_case = case(store, st.sato, a, IntakeInput {
        intake_date: (prev_may - Duration::days(20)).to_string(), referral_source: s("municipality"), referral_note: s("N市生活保護ケースワーカー 小林さん"),
        chief_complaint: s("「就労継続支援A型事業所で働きたい。お給料をもらって、自分のお金で暮らしたい。」"),
        situation: s("B型事業所に週4日通所。薬を飲み忘れることがあり、夜眠れない日が続く。バスや電車に一人で乗れない。借金がある。年金手帳は両親が持っている。部屋が片付かない。話好きで、B型では作業に集中できている。母は要介護3で施設入所中。"),
        explained: s("相談支援事業所の役割、サービス等利用計画の作り方、個人情報の取り扱いと同意について説明した。"),
        consent_to_support: s("yes"), urgency: s("medium"), next_steps: s("自宅を訪問してアセスメント。B型事業所・主治医・ケースワーカーから情報収集。"),
        title: s("働きたいAさん"),
    }).await?;
    let res = crate::demo_plans::resources(store, st.clerk).await?;
    crate::demo_assessments::a_san(
        store,
        st.sato,
        a,
        a_case,
        prev_may - Duration::days(15),
        res.hikari,
    )
    .await?;
    crate::demo_plans::a_san(store, st.sato, a, a_case, prev_may, &res).await?;
    let visit = |year: i32, m: u32, day: u32| ymd(year + i32::from(m < 5), m, day);
    let mut visits = Vec::new();
    for m in [7, 10, 1, 4] {
        visits.push(visit(prev_may.year(), m, 14)?);
    }
    // This year's months already past (this month's is left due for the dashboard).
    for m in this_year.split(',').filter_map(|m| m.parse::<u32>().ok()) {
        let d = visit(may.year(), m, 12)?;
        if d < month_start(today, 0)? {
            visits.push(d);
        }
    }
    visits.sort();
    // The last visit calls for the re-assessment; the home visit for it follows two weeks on,
    // then the A型 visit, then the plan change.
    crate::demo_monitorings::a_san(store, st.sato, a, a_case, &visits).await?;
    let reassess_visit = visits.last().copied().unwrap_or(prev_may);
    let reassessed = reassess_visit + Duration::days(14);
    crate::demo_assessments::a_san_again(store, st.sato, a, a_case, reassessed).await?;
    let change = (today - Duration::days(7)).max(reassessed + Duration::days(3));
    crate::demo_plans::a_san_change(store, st.sato, a, a_case, change, &res).await?;
    let a_notes = crate::demo_notes::a_san(&crate::demo_notes::ADays {
        plan_year: prev_may,
        reassess_visit,
        change,
    });
    crate::demo_notes::write(store, st.sato, a, a_case, a_notes).await?;

    // ---- Bさん: 15 years in a residential facility; decision support, the trial, the move.
    let mo = |k: i32| month_start(today, k);
    let on = |k: i32, day: i64| -> Result<NaiveDate> { Ok(mo(k)? + Duration::days(day - 1)) };
    let b = client(store, st.lead, ClientInput {
        family_name: s("馬場"), given_name: s("大輔"), family_name_kana: s("ばば"), given_name_kana: s("だいすけ"),
        birth_date: s("1984-07-15"), sex: s("male"), postal_code: s("293-0012"), address: s("N市緑町 障害者支援施設みどり園"),
        disability_kinds: vec![s("intellectual"), s("developmental")], diagnosis: s("知的障害、自閉症"),
        support_category: s("6"), income_kinds: vec![s("pension1")],
        guardians: vec![GuardianInput { kind: s("guardian"), relation: s("弁護士"), name: s("森 和也"), contact: s("森法律事務所 0439-00-1234") }],
        key_person: s("成年後見人 森 和也"), status: s("consulting"),
        notes: s("言葉での会話は難しい。絵カード・写真カードでその日の活動を選べる。帰省時は自分でお湯を沸かしてカップラーメンを作る（両親は他界）。"),
        ..Default::default()
    }, Some(st.suzuki.user_id)).await?;
    book(
        store,
        st.suzuki,
        b,
        BookInput {
            kind: s("rehabilitation"),
            grade: s("A"),
            issued_on: s("2002-04-01"),
            ..Default::default()
        },
    )
    .await?;
    let b_intake = on(11, 4)?;
    let b_assessed = on(11, 11)?;
    let b_drafted = on(11, 16)?;
    let b_facility_monitoring = on(7, 13)?;
    let ds = crate::demo_decisions::Days {
        started: on(7, 21)?,
        meeting1: on(6, 9)?,
        photos: on(6, 13)?,
        visit: on(6, 19)?,
        trial_from: on(5, 4)?,
        trial_until: on(5, 34)?,
        meeting2: on(5, 44)?,
        moved: on(3, 6)?,
    };
    let trial_drafted = ds.meeting1 + Duration::days(4);
    let move_drafted = ds.meeting2 + Duration::days(5);
    let home_monitorings = vec![on(2, 16)?, on(1, 15)?];
    let year_after = |d: NaiveDate| -> Result<NaiveDate> {
        Ok(d.checked_add_months(Months::new(12))
            .ok_or_else(|| anyhow!("demo date"))?
            - Duration::days(1))
    };
    let month_no = |k: i32| -> Result<String> { Ok(mo(k)?.month().to_string()) };
    let b_certificates = [
        (
            mo(11)?,
            year_after(mo(11)?)?,
            "施設入所支援：当該月の日数\n生活介護：当該月の日数から8日を控除した日数",
            "every6",
            format!("{},{}", month_no(7)?, month_no(1)?),
        ),
        (
            mo(5)?,
            year_after(mo(11)?)?,
            "施設入所支援：当該月の日数\n生活介護：当該月の日数から8日を控除した日数\n地域移行支援（グループホーム体験利用）：月30日まで",
            "every6",
            month_no(1)?,
        ),
        (
            mo(3)?,
            year_after(mo(3)?)?,
            "共同生活援助：当該月の日数\n生活介護：当該月の日数から8日を控除した日数",
            "monthly",
            format!(
                "{},{},{},{}",
                month_no(2)?,
                month_no(1)?,
                month_no(0)?,
                month_no(-6)?
            ),
        ),
    ];
    for (i, (from, until, services, period, months)) in b_certificates.into_iter().enumerate() {
        certificate(
            store,
            st.clerk,
            b,
            CertificateInput {
                kind: s("welfare"),
                number: s("0198765432"),
                municipality: s("N市"),
                issued_on: (from - Duration::days(if i == 0 { 14 } else { 5 })).to_string(),
                decision_from: from.to_string(),
                decision_until: until.to_string(),
                services: s(services),
                cost_cap_yen: s("0"),
                plan_support_from: from.to_string(),
                plan_support_until: until.to_string(),
                monitoring_period: s(period),
                monitoring_months: months,
                ..Default::default()
            },
        )
        .await?;
    }
    let b_case = case(store, st.suzuki, b, IntakeInput {
        intake_date: b_intake.to_string(), referral_source: s("provider"), referral_note: s("障害者支援施設みどり園 大西サービス管理責任者（前の相談支援事業所の閉所による引き継ぎ）"),
        chief_complaint: s("（本人は言葉で表すことが難しい）絵カードで「おうち」「ラーメン」を選ぶ。後見人「施設で落ち着いているが、本人にとってよりよい暮らしを考えたい」"),
        situation: s("施設入所支援を利用して15年。日中は同じ施設の生活介護。両親は他界し、成年後見人（弁護士）が選任されている。帰省時は自分でカップラーメンを作っていた。"),
        explained: s("成年後見人と施設に、計画相談支援（継続サービス利用支援）の役割と、意思決定支援の進め方を説明した。"),
        consent_to_support: s("yes"), urgency: s("low"), next_steps: s("施設を訪問してアセスメント。後見人と施設から生活史を聞き取る。"),
        title: s("Bさんの暮らしの場"),
    }).await?;
    crate::demo_assessments::b_san(store, st.suzuki, b, b_case, b_assessed, res.sakura).await?;
    let team = crate::demo_plans_b::first(store, st.suzuki, b, b_case, b_drafted, &res).await?;
    crate::demo_monitorings::b_san_facility(store, st.suzuki, b, b_case, b_facility_monitoring)
        .await?;
    crate::demo_plans_b::trial(
        store,
        st.suzuki,
        b,
        b_case,
        &team,
        trial_drafted,
        mo(5)?,
        &res,
    )
    .await?;
    crate::demo_plans_b::move_in(
        store,
        st.suzuki,
        b,
        b_case,
        &team,
        move_drafted,
        mo(3)?,
        ds.moved,
    )
    .await?;
    moved_to_group_home(store, st.suzuki, b).await?;
    crate::demo_decisions::b_san(store, st.suzuki, b, b_case, &ds).await?;
    crate::demo_monitorings::b_san_home(store, st.suzuki, b, b_case, &home_monitorings).await?;
    let b_notes = crate::demo_notes::b_san(&crate::demo_notes::BDays {
        intake: b_intake,
        assessed: b_assessed,
        first_meeting: b_drafted + Duration::days(7),
        facility_monitoring: b_facility_monitoring,
        move_meeting: move_drafted + Duration::days(7),
        home_monitorings,
        decision: ds,
    });
    crate::demo_notes::write(store, st.suzuki, b, b_case, b_notes).await?;

    // ---- The child: a preschooler with a developmental disability; anxious parents.
    let c = client(
        store,
        st.sato,
        ClientInput {
            family_name: s("千葉"),
            given_name: s("ひなた"),
            family_name_kana: s("ちば"),
            given_name_kana: s("ひなた"),
            birth_date: (ymd(today.year() - 4, 6, 10)?).to_string(),
            sex: s("female"),
            postal_code: s("293-0034"),
            address: s("N市港町1-3-12"),
            phone: s("0439-11-2233"),
            disability_kinds: vec![s("child"), s("developmental")],
            diagnosis: s("自閉スペクトラム症の疑い（N市こども発達センターで経過観察）"),
            // Both parents hold parental authority; each is recorded with their own contact.
            guardians: vec![
                GuardianInput {
                    kind: s("parent"),
                    relation: s("母"),
                    name: s("千葉 美穂"),
                    contact: s("090-8765-4321"),
                },
                GuardianInput {
                    kind: s("parent"),
                    relation: s("父"),
                    name: s("千葉 大樹"),
                    contact: s("090-1357-2468（平日は19時以降）"),
                },
            ],
            key_person: s("母 千葉 美穂"),
            status: s("consulting"),
            notes: s("父は平日夜遅い。母は「このままで小学校に上がれるのか」と不安が強い。"),
            ..Default::default()
        },
        None,
    )
    .await?;
    let c_intake = on(7, 3)?;
    let c_assessed = on(7, 11)?;
    let c_drafted = on(7, 16)?;
    let c_final = on(6, 3)?;
    let c_monitorings = vec![on(5, 16)?, on(2, 13)?];
    certificate(
        store,
        st.clerk,
        c,
        CertificateInput {
            kind: s("child_day"),
            number: s("0312345678"),
            municipality: s("N市"),
            issued_on: on(7, 28)?.to_string(),
            decision_from: mo(6)?.to_string(),
            decision_until: (today + Duration::days(40)).to_string(),
            services: s("児童発達支援：10日/月"),
            cost_cap_yen: s("0"),
            plan_support_from: mo(6)?.to_string(),
            plan_support_until: (today + Duration::days(40)).to_string(),
            monitoring_period: s("every3"),
            monitoring_months: format!("{},{},{}", month_no(5)?, month_no(2)?, month_no(-1)?),
            ..Default::default()
        },
    )
    .await?;
    let c_case = case(store, st.sato, c, IntakeInput {
        intake_date: c_intake.to_string(), referral_source: s("municipality"), referral_note: s("N市こども家庭課 中村保健師"),
        chief_complaint: s("母「言葉が遅くて、保育園でお友達とうまく遊べない。どこに相談したらいいのか分からなかった」"),
        situation: s("3歳児健診で言葉の遅れを指摘。保育園では一人遊びが多い。母は育児に自信をなくしている。"),
        explained: s("障害児相談支援と児童発達支援の役割、通所受給者証の申請について説明した。"),
        consent_to_support: s("yes"), urgency: s("medium"), next_steps: s("家庭訪問。保育園での様子を見学。"), title: s("ひなたちゃんと家族の安心"),
    }).await?;
    crate::demo_assessments::child(store, st.sato, c, c_case, c_assessed).await?;
    crate::demo_plans::child(store, st.sato, c, c_case, c_drafted, c_final, &res).await?;
    crate::demo_monitorings::child(store, st.sato, c, c_case, &c_monitorings).await?;
    let c_notes =
        crate::demo_notes::child(c_intake, c_assessed, c_drafted, c_final, &c_monitorings);
    crate::demo_notes::write(store, st.sato, c, c_case, c_notes).await?;

    // ---- 地域課題 from the three meetings' 「現状ではできないこと」.
    use crate::demo_issues::Raise;
    let issues = crate::demo_issues::seed(
        store,
        st.lead,
        &[
            Raise {
                by: st.sato,
                client: a,
                case: a_case,
                title: "夜間に相談できる場所がない",
                category: "welfare",
                need: "40代の女性（精神障害・知的障害）。夜間に眠れず不安が強くなったとき、すぐに相談できる場所が地域にない。",
                resource: "夜間・休日に対応する相談窓口（地域生活支援拠点の相談機能）",
                status: "subcommittee",
            },
            Raise {
                by: st.suzuki,
                client: b,
                case: b_case,
                title: "休日の外出を支える移動支援が足りない",
                category: "mobility",
                need: "グループホームで暮らす男性（知的障害・自閉症）。休日に外出したいが、移動支援の事業所が足りず、ヘルパーが見つからない。",
                resource: "休日に対応できる移動支援（同行援護・行動援護を含む）の事業所",
                status: "raised",
            },
            Raise {
                by: st.sato,
                client: c,
                case: c_case,
                title: "土曜に相談・面談できる場所がない",
                category: "family",
                need: "就学前の子の家族。父が平日夜遅くまで働いており、土曜に面談や相談を受けられる場所が地域にない。",
                resource: "土曜・夜間に相談できる児童発達支援センター等の窓口",
                status: "raised",
            },
        ],
    )
    .await?;
    crate::demo_issues::followups(
        store,
        &crate::demo_issues::Followups {
            lead: st.lead,
            sato: st.sato,
            a,
            a_case,
            suzuki: st.suzuki,
            b_case,
            issues: issues.clone(),
        },
    )
    .await?;

    // ---- A few more clients so the list has shape: one unassigned, one closed, one certificate ending soon.
    let extra = [
        (
            "伊藤",
            "正",
            "いとう",
            "ただし",
            "1958-11-03",
            "male",
            "physical",
            "4",
            Some(st.suzuki.user_id),
            "supporting",
        ),
        (
            "上野",
            "さくら",
            "うえの",
            "さくら",
            "1999-02-14",
            "female",
            "mental",
            "2",
            Some(st.sato.user_id),
            "consulting",
        ),
        (
            "大野",
            "健太",
            "おおの",
            "けんた",
            "1990-08-21",
            "male",
            "higher_brain",
            "3",
            None,
            "consulting",
        ),
        (
            "加藤",
            "美和",
            "かとう",
            "みわ",
            "1975-05-05",
            "female",
            "intractable",
            "2",
            Some(st.suzuki.user_id),
            "closed",
        ),
    ];
    for (i, (f, g, fk, gk, birth, sex, kind, cat, assigned, status)) in
        extra.into_iter().enumerate()
    {
        let id = client(
            store,
            st.admin,
            ClientInput {
                family_name: s(f),
                given_name: s(g),
                family_name_kana: s(fk),
                given_name_kana: s(gk),
                birth_date: s(birth),
                sex: s(sex),
                disability_kinds: vec![s(kind)],
                support_category: s(cat),
                status: s(status),
                address: s("N市"),
                ..Default::default()
            },
            assigned,
        )
        .await?;
        let from = today - Duration::days(300 + 30 * i as i64);
        let until = if i == 0 {
            today + Duration::days(25)
        } else {
            today + Duration::days(200 + 20 * i as i64)
        };
        certificate(
            store,
            st.clerk,
            id,
            CertificateInput {
                number: format!("02000000{:02}", i + 1),
                municipality: s("N市"),
                issued_on: (from - Duration::days(7)).to_string(),
                decision_from: from.to_string(),
                decision_until: until.to_string(),
                services: s("居宅介護（家事援助）：8時間/月"),
                cost_cap_yen: s("9300"),
                ..Default::default()
            },
        )
        .await?;
        if status == "closed" {
            closed_case(store, st.suzuki, id, from).await?;
        }
    }

    // ---- Another office in the same deployment: its data must never show in the first.
    let other = offices::create(store, "相談支援センター みなと（M市）").await?;
    let ost = add_staff(store, other, password, "minato-").await?;
    yorisoi_store::second_factor::seed_policy(
        store,
        other,
        ost.admin.user_id,
        yorisoi_domain::second_factor::Policy {
            mode: yorisoi_domain::second_factor::Mode::Optional,
            grace_until: today.checked_add_days(chrono::Days::new(365)),
        },
    )
    .await?;
    client(
        store,
        ost.sato,
        ClientInput {
            family_name: s("渡辺"),
            given_name: s("花"),
            family_name_kana: s("わたなべ"),
            given_name_kana: s("はな"),
            birth_date: s("1988-09-09"),
            sex: s("female"),
            disability_kinds: vec![s("physical")],
            ..Default::default()
        },
        None,
    )
    .await?;
    let _ = (ost.admin, ost.lead, ost.suzuki, ost.clerk, st.lead);
    let outside = crate::demo_outside::seed(store, st.sato, a, password).await?;
    let released = *issues
        .first()
        .ok_or_else(|| anyhow!("the demo's first issue"))?;
    let region_accounts = crate::demo_region::seed(store, st.admin, released, password).await?;

    let accounts: Vec<(String, String)> = vec![
        (s("kanri"), s("管理者 山田 和子（職員・担当・操作記録）")),
        (
            s("shunin"),
            s("主任相談支援専門員 田中 誠（事業所の全利用者）"),
        ),
        (
            s("sato"),
            s("相談支援専門員 佐藤 美咲（Aさん・ひなたちゃんの担当）"),
        ),
        (s("suzuki"), s("相談支援専門員 鈴木 健一（Bさんの担当）")),
        (s("jimu"), s("事務 高橋 愛（台帳と受給者証のみ）")),
        (
            s(TOTP_LOGIN),
            s("相談支援専門員 伊藤 直子（二段階認証あり: パスワードのあとに認証アプリのコード）"),
        ),
        (
            s("minato-kanri"),
            s("別の事業所の管理者（よりそいのデータは見えない）"),
        ),
    ]
    .into_iter()
    .chain(region_accounts)
    .collect();
    Ok(Seeded {
        accounts,
        totp_uri,
        outside,
    })
}
