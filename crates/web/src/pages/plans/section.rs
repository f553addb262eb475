//! The section editors of the plan: each section's fields and row grids (drawn by
//! `section_edit.html`, shared with the assessment's editor).

use super::form::{SECTIONS, Section};
use crate::auth::Authed;
use crate::kit::form::EditState;
use crate::kit::grid::*;
use crate::kit::render::Nav;
use crate::kit::section::SectionPage;
use yorisoi_documents::plan_week::plan_week;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::plan::*;
use yorisoi_store::plans::Plan;

/// The message after a section is saved.
pub const SAVED: &str = "保存しました。";

/// What a section editor shows besides its form.
pub struct SectionContext<'a> {
    pub plan: &'a Plan,
    pub client_name: String,
    pub resources: &'a [ResourceOption],
}

/// The editor of `section` over `form` (what was read, or what was typed and refused).
pub fn section_page(
    user: &Authed,
    cx: SectionContext<'_>,
    section: Section,
    form: EditState<PlanInput>,
) -> SectionPage {
    let p = cx.plan;
    let (fields, grids) = section_fields(
        section,
        &form.input,
        p.record.kind,
        cx.resources,
        &form.errors,
    );
    let changes = if form.conflict {
        let latest = section_fields(
            section,
            &PlanInput::from_record(&p.record),
            p.record.kind,
            cx.resources,
            &FieldErrors::new(),
        );
        crate::kit::section::differences(&latest, (&fields, &grids))
    } else {
        Vec::new()
    };
    let next = section.next();
    let drawings = if section == Section::Week {
        vec![plan_week(&p.record.week_blocks())]
    } else {
        Vec::new()
    };
    SectionPage {
        nav: Nav::new(user, "clients"),
        doc: p.record.kind.label(),
        base: format!("/plans/{}", p.id),
        back_label: "計画",
        version_no: p.version_no,
        client_name: cx.client_name,
        section: section.code().into(),
        section_label: section.label().into(),
        sections: SECTIONS,
        fields,
        grids,
        context: context(section, p),
        drawings,
        version: form.version,
        conflict: form.conflict,
        changes,
        errors: form.errors,
        saved: form.flash,
        next: next.map(|s| s.code().to_string()).unwrap_or_default(),
        next_label: next.map(|s| s.label().to_string()).unwrap_or_default(),
    }
}

/// Context above a section: the person's words while writing goals, the needs while writing rows.
fn context(section: Section, p: &Plan) -> Vec<(String, String)> {
    let r = &p.record;
    let mut v = Vec::new();
    if matches!(section, Section::Overview | Section::Rows) && !r.wish_person.is_empty() {
        v.push((
            "本人の意向".into(),
            yorisoi_domain::text::quoted(&r.wish_person),
        ));
    }
    if section == Section::Monitoring {
        let (m, why) = suggest_period(r, p.version_no == 1);
        v.push(("標準期間の目安".into(), format!("{}（{}）", m.label(), why)));
    }
    v
}

fn text_field(name: &str, label: &str, value: &str, hint: &str, e: &FieldErrors) -> FieldView {
    field(name, label, value, "area", hint, e)
}

/// A section's fields and grids.
type Parts = (Vec<FieldView>, Vec<GridView>);

/// What every section's view is drawn from.
#[derive(Clone, Copy)]
struct Args<'a> {
    i: &'a PlanInput,
    child: bool,
    resources: &'a [ResourceOption],
    e: &'a FieldErrors,
}

/// The fields and row grids of `section`, filled from `i`, with the messages of `e`.
pub fn section_fields(
    section: Section,
    i: &PlanInput,
    kind: PlanKind,
    resources: &[ResourceOption],
    e: &FieldErrors,
) -> Parts {
    let a = Args {
        i,
        child: kind == PlanKind::Child,
        resources,
        e,
    };
    match section {
        Section::Overview => overview(&a),
        Section::Rows => rows(&a),
        Section::Elements => elements(&a),
        Section::Week => week(&a),
        Section::Monitoring => monitoring(&a),
    }
}

fn overview(a: &Args<'_>) -> Parts {
    let Args { i, child, e, .. } = *a;
    let mut fields = Vec::new();
    let mut grids = Vec::new();
    fields.push(field(
        "drafted_on",
        "計画案作成日",
        &i.drafted_on,
        "date",
        "",
        e,
    ));
    fields.push(field(
        "decided_on",
        "計画作成日（本計画）",
        &i.decided_on,
        "date",
        "支給決定のあと、本計画にする日。計画案の段階では空のままにします。",
        e,
    ));
    if child {
        fields.push(field(
            "guardian_name",
            "保護者氏名",
            &i.guardian_name,
            "text",
            "",
            e,
        ));
        fields.push(field(
            "guardian_relation",
            "続柄",
            &i.guardian_relation,
            "text",
            "例: 母",
            e,
        ));
    }
    let mut w = text_field(
        "wish_person",
        if child {
            "本人（児童）の意向（本人の言葉・様子のまま）"
        } else {
            "利用者の生活に対する意向（本人の言葉のまま）"
        },
        &i.wish_person,
        "アセスメントで聞いた言葉から写しています。言い換えずに書きます。",
        e,
    );
    w.words = true;
    fields.push(w);
    let whose = if child {
        "保護者の意向"
    } else {
        "家族の意向"
    };
    // Words written before speakers were recorded stay editable until moved into the rows.
    if !i.wish_family.trim().is_empty() || e.get("wish_family").is_some() {
        fields.push(text_field(
            "wish_family",
            &format!("{whose}（話した人の記録がないもの）"),
            &i.wish_family,
            "誰の言葉かがわかるときは、表に1人1行で移して、ここを空にします。会議では、話した人の記録がない言葉があると家族全員の同意を確かめます。",
            e,
        ));
    }
    grids.push(crate::kit::family_wishes::view(&i.family_wishes, whose, e));
    fields.push(text_field(
        "policy",
        "総合的な援助の方針",
        &i.policy,
        "本人の希望とストレングスを生かす方向で、チーム全体の方針を書きます。",
        e,
    ));
    fields.push(text_field("long_goal", "長期目標", &i.long_goal, "", e));
    fields.push(text_field("short_goal", "短期目標", &i.short_goal, "", e));
    (fields, grids)
}

fn rows(a: &Args<'_>) -> Parts {
    let Args {
        i, resources, e, ..
    } = *a;
    let fields = Vec::new();
    let mut grids = Vec::new();
    let blank = |r: &yorisoi_domain::plan::RowInput| {
        yorisoi_domain::text::all_blank([
            &r.need,
            &r.goal,
            &r.due,
            &r.service,
            &r.days,
            &r.time,
            &r.provider,
            &r.person_role,
        ])
    };
    // The rows typed (a refused form's blank rows at the end are offered again, not counted).
    let n = i.rows.iter().rposition(|r| !blank(r)).map_or(0, |x| x + 1);
    let rows = padded(&i.rows, 2, blank)
        .iter()
        .enumerate()
        .map(|(idx, r)| {
            let res = resource_choices(resources, &r.resource_id);
            vec![
                cell("row_key", &r.key, "hidden", ""),
                cell("row_need_key", &r.need_key, "hidden", ""),
                cell(
                    "row_priority",
                    &if idx < n {
                        (idx + 1).to_string()
                    } else {
                        String::new()
                    },
                    "text",
                    "優先順位（数字を変えると並べ替わります）",
                ),
                cell(
                    "row_need",
                    &r.need,
                    "area",
                    "解決すべき課題（本人のニーズ）",
                ),
                cell("row_goal", &r.goal, "area", "支援目標"),
                cell("row_due", &r.due, "text", "達成時期"),
                select(
                    "row_category",
                    choices(
                        ServiceCategory::ALL,
                        |x| x.code(),
                        |x| x.label(),
                        &r.category,
                        None,
                    ),
                    "区分",
                ),
                select(
                    "row_service_type",
                    choices(
                        ServiceType::ALL,
                        |x| x.code(),
                        |x| x.label(),
                        &r.service_type,
                        Some("（種類を選ぶ）"),
                    ),
                    "福祉サービス等の種類",
                ),
                cell("row_service", &r.service, "area", "内容・量（頻度・時間）"),
                cell(
                    "row_days",
                    &r.days,
                    "text",
                    "曜日（週間計画表に載せる。例: 月火木金）",
                ),
                cell("row_time", &r.time, "text", "時間（例: 9:30-15:30）"),
                cell(
                    "row_provider",
                    &r.provider,
                    "text",
                    "提供事業者名（担当者名・電話）",
                ),
                select("row_resource_id", res, "社会資源の一覧"),
                cell(
                    "row_person_role",
                    &r.person_role,
                    "area",
                    "課題解決のための本人の役割",
                ),
                cell("row_review", &r.review, "text", "評価時期"),
                cell("row_notes", &r.notes, "area", "その他留意事項"),
            ]
        })
        .collect();
    let mut g = grid(
        "計画の行",
        "1行が1つのニーズです。アセスメントのニーズから作られています。インフォーマルな支えや他制度のサービスも書けます。提供事業者名は本計画で必須です。空にした行は削除されます。",
        &[],
        "rows",
        rows,
        e,
    );
    g.stacked = true;
    g.grows = true;
    for (idx, r) in g.rows.iter_mut().enumerate() {
        r.label = if idx < n {
            format!("優先順位 {}", idx + 1)
        } else {
            "新しい行".into()
        };
    }
    grids.push(g);
    (fields, grids)
}

fn elements(a: &Args<'_>) -> Parts {
    let Args { i, child, e, .. } = *a;
    let mut fields = Vec::new();
    let grids = Vec::new();
    fields.push(text_field(
        "housing",
        "住まい",
        &i.housing,
        "どこで、誰と暮らすか",
        e,
    ));
    fields.push(text_field(
        "day_activity",
        "日中活動の場",
        &i.day_activity,
        "働く・通う・過ごす場所",
        e,
    ));
    fields.push(text_field(
        "support_system",
        "支援体制",
        &i.support_system,
        "フォーマル・インフォーマルな支えの全体",
        e,
    ));
    fields.push(text_field(
        "alternatives",
        "代替案",
        &i.alternatives,
        "望むサービスがすぐ使えないときの案",
        e,
    ));
    fields.push(text_field(
        "emergency",
        "緊急時の対応",
        &i.emergency,
        "体調の急変、災害、家族の急病のときの連絡先と動き",
        e,
    ));
    if child {
        // 児童支援の基本理念: family support is part of the child's plan, not an aside.
        fields.push(text_field(
            "family_support",
            "家族支援（保護者・きょうだいへの支援）",
            &i.family_support,
            "保護者の休息（レスパイト）、相談先、きょうだいへの配慮、ペアレント・トレーニングなど",
            e,
        ));
    }
    (fields, grids)
}

fn week(a: &Args<'_>) -> Parts {
    let Args { i, e, .. } = *a;
    let mut fields = Vec::new();
    let mut grids = Vec::new();
    let rows = padded(&i.week, 3, |w| {
        yorisoi_domain::text::all_blank([&w.start, &w.end, &w.label])
    })
    .iter()
    .map(|w| {
        vec![
            cell("week_day", &w.day, "text", "曜日（例: 土日、平日、祝）"),
            cell("week_start", &w.start, "text", "開始"),
            cell("week_end", &w.end, "text", "終了"),
            cell("week_label", &w.label, "text", "活動"),
        ]
    })
    .collect();
    grids.push(grid(
            "主な日常生活上の活動（サービス以外）",
            "計画の行で曜日と時間を書いたサービスは自動で表に入ります。ここには起床・食事・通院・余暇などを書きます。時間は6:00〜翌4:00。",
            &["曜日", "開始", "終了", "活動"],
            "week",
            rows,
            e,
        ).growing());
    fields.push(text_field(
        "main_activities",
        "主な日常生活上の活動",
        &i.main_activities,
        "",
        e,
    ));
    fields.push(text_field(
        "non_weekly",
        "週単位以外のサービス",
        &i.non_weekly,
        "例: 月1回の通院同行、年1回の短期入所",
        e,
    ));
    fields.push(text_field(
        "whole_picture",
        "サービス提供によって実現する生活の全体像",
        &i.whole_picture,
        "",
        e,
    ));
    (fields, grids)
}

fn monitoring(a: &Args<'_>) -> Parts {
    let Args { i, e, .. } = *a;
    let mut fields = Vec::new();
    let grids = Vec::new();
    let mut m = field(
        "monitoring_period",
        "提案するモニタリング期間",
        "",
        "select",
        "",
        e,
    );
    m.options = choices(
        MonitoringPeriod::ALL,
        |x| x.code(),
        |x| x.label(),
        &i.monitoring_period,
        Some("（まだ決めない）"),
    );
    fields.push(m);
    fields.push(field(
        "monitoring_start",
        "開始年月",
        &i.monitoring_start,
        "text",
        "例: 2026-05、令和8年5月",
        e,
    ));
    fields.push(text_field(
        "monitoring_note",
        "理由・市町村への伝え方",
        &i.monitoring_note,
        "期間は市町村が決めます。ここは提案です。",
        e,
    ));
    (fields, grids)
}
