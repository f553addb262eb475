//! The plan PDF in-process, warm: p50/p90/p99 of rendering one Aさん-sized plan (5 rows) with the
//! built-in template, after warm-up. Writes the PDF and its data (for the .xlsx comparison in
//! bench/pdf.sh) to the directory given as the first argument.
//!
//!   cargo run --release -p yorisoi-documents --example plan_pdf_bench -- /tmp/out 300

use chrono::{NaiveDate, NaiveTime};
use std::time::Instant;
use yorisoi_documents::docs::plan::{PlanContext, plan_doc};
use yorisoi_documents::docs::{Ctx, DateStyle, DocKind, Person};
use yorisoi_documents::pdf::render_one;
use yorisoi_documents::templates::{STANDARD, Templates};
use yorisoi_domain::plan::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(args.get(1).cloned().unwrap_or_else(|| ".".into()));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(300);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).ok_or("date");
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).ok_or("time");
    let row = |k: u32,
               need: &str,
               goal: &str,
               ty: ServiceType,
               service: &str,
               days: Vec<u8>,
               provider: &str,
               role: &str|
     -> Result<PlanRow, Box<dyn std::error::Error>> {
        Ok(PlanRow {
            key: k,
            need_key: None,
            from_wish: String::new(),
            need: need.into(),
            goal: goal.into(),
            due: "6か月".into(),
            category: ServiceCategory::Welfare,
            service_type: Some(ty),
            service: service.into(),
            schedule: Some(Schedule {
                days,
                start: t(9, 30)?,
                end: t(15, 30)?,
            }),
            provider: provider.into(),
            resource_id: None,
            person_role: role.into(),
            review: "3か月後".into(),
            notes: "体調の変化に気をつける".into(),
        })
    };
    let plan = PlanRecord {
        kind: PlanKind::Adult,
        drafted_on: d(2026, 4, 20)?,
        decided_on: Some(d(2026, 4, 30)?),
        assessment_id: None,
        assessment_method: None,
        guardian_name: String::new(),
        guardian_relation: String::new(),
        wish_person: "A型で働きたい。お給料をもらって、自分のお金で暮らしたい。".into(),
        wish_family: "（兄）働きたい気持ちは応援したいが、無理をして体調を崩さないか心配。".into(),
        family_wishes: Vec::new(),
        policy: "「A型で働きたい」という明子さんの思いを真ん中に、体調・通勤・お金の3つの土台をチームで整え、1年後のA型見学・体験を目指します。".into(),
        long_goal: "A型事業所で働き、自分のお給料で暮らす。".into(),
        short_goal: "薬を忘れずに飲み、よく眠れる日を増やす。バスで一人でB型に通う。".into(),
        housing: "今のアパートで一人暮らし".into(),
        day_activity: "就労継続支援B型（週4日）".into(),
        support_system: "訪問看護、B型事業所、社会福祉協議会、兄".into(),
        alternatives: "バスに乗れない日はB型の送迎を使う".into(),
        emergency: "体調不良時は訪問看護（0120-111-004）、夜間は兄（080-2222-3333）".into(),
        family_support: String::new(),
        rows: vec![
            row(1, "薬を忘れずに飲んで、よく眠り、体調を安定させたい", "お薬カレンダーで飲み忘れを週1回以下にする", ServiceType::HomeCare, "訪問看護 週1回（30分）服薬確認・睡眠の相談", vec![2], "つばさ訪問看護ステーション 森（0120-111-004）", "毎朝・毎晩カレンダーの薬を飲み、飲んだら印をつける")?,
            row(2, "一人でバスに乗って通えるようになりたい", "バスの乗り方を覚え、一人でB型に通う", ServiceType::HomeCare, "就労継続支援B型 週4日。最初の1か月は職員がバス停まで同行", vec![0, 1, 3, 4], "ひかり作業所 佐藤（0120-111-001）", "乗るバスの時刻表をカードにして持ち歩く")?,
            row(3, "借金を整理して、安心してお金を使えるようになりたい", "借金を整理し、月末まで生活費が足りるようにする", ServiceType::HomeCare, "日常生活自立支援事業 月2回の生活費払い出し", vec![4], "N市社会福祉協議会 高橋（0120-111-003）", "買い物のレシートを封筒にためて見せる")?,
            row(4, "年金を自分の暮らしのために使えるようにしたい", "年金の管理について本人・両親・ケースワーカーで話し合う", ServiceType::HomeCare, "生活保護ケースワーカーとの三者面談（3か月に1回）", vec![], "N市生活福祉課 小林", "自分がどう使いたいかを話す")?,
            row(5, "友だちと出かける楽しみを持ちたい", "月1回、ピアサークルに参加する", ServiceType::HomeCare, "地域活動支援センターのピアサークル", vec![5], "地域活動支援センターみどり", "行きたい日をカレンダーに書く")?,
        ],
        week: WeeklyPlan {
            entries: vec![WeekEntry { day: 6, start: t(10, 0)?, end: t(12, 0)?, label: "図書館".into() }],
            main_activities: "7時起床、朝食後に服薬。夜は22時に寝る".into(),
            non_weekly: "月1回の通院（こころのクリニック）".into(),
            whole_picture: "体調を整えながら働く準備をする暮らし".into(),
        },
        monitoring: MonitoringProposal { period: Some(MonitoringPeriod::Monthly), start_month: Some(d(2026, 5, 1)?), note: String::new() },
        consents: vec![],
        handovers: vec![],
    };
    let cx = PlanContext {
        base: Ctx {
            office: "相談支援事業所 よりそい（N市）".into(),
            person: Person {
                client_name: "青木 明子".into(),
                client_kana: "あおき あきこ".into(),
            },
            planner: "佐藤 美咲".into(),
            dates: DateStyle::Wareki,
            today: Some(d(2026, 11, 25)?),
            office_phone: "0439-00-0000".into(),
            office_hours: "平日 9時〜17時".into(),
        },
        support_level: "区分3".into(),
        certificate_number: "0123456789".into(),
        cost_cap: "0円".into(),
        ..Default::default()
    };
    let doc = plan_doc(&plan, PlanState::Final, 1, &cx);
    let src = Templates::default()
        .source(DocKind::Plan, STANDARD)
        .into_owned();
    let today = d(2026, 11, 25)?;
    let first = Instant::now();
    let pdf = render_one(&src, &doc, today)?;
    let cold = first.elapsed();
    for _ in 0..10 {
        render_one(&src, &doc, today)?;
    }
    let mut ms: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let r = render_one(&src, &doc, today);
            let e = t.elapsed().as_secs_f64() * 1000.0;
            r.map(|_| e)
        })
        .collect::<Result<_, _>>()?;
    ms.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("plan.pdf"), &pdf)?;
    std::fs::write(out.join("plan.json"), serde_json::to_vec_pretty(&doc)?)?;
    println!(
        "{{\"n\": {n}, \"first_ms\": {:.1}, \"p50_ms\": {:.2}, \"p90_ms\": {:.2}, \"p99_ms\": {:.2}, \"bytes\": {}}}",
        cold.as_secs_f64() * 1000.0,
        q(0.5),
        q(0.9),
        q(0.99),
        pdf.len()
    );
    Ok(())
}
