//! The plan's edit screens, one per section, built from the shared form parts.

use crate::kit::grid::*;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::plan::*;

pub const SECTIONS: &[(&str, &str)] = &[
    ("overview", "意向・方針・目標"),
    ("rows", "課題と支援（優先順位）"),
    ("elements", "住まい・日中活動・支援体制"),
    ("week", "週間計画表"),
    ("monitoring", "モニタリング期間の提案"),
];

pub fn section_label(code: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

fn text_field(name: &str, label: &str, value: &str, hint: &str, e: &FieldErrors) -> FieldView {
    field(name, label, value, "area", hint, e)
}

pub fn view(
    section: &str,
    i: &PlanInput,
    kind: PlanKind,
    resources: &[ResourceOption],
    e: &FieldErrors,
) -> (Vec<FieldView>, Vec<GridView>) {
    let mut fields = Vec::new();
    let mut grids = Vec::new();
    let child = kind == PlanKind::Child;
    match section {
        "overview" => {
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
            fields.push(text_field(
                "wish_family",
                if child {
                    "保護者の意向"
                } else {
                    "家族の意向"
                },
                &i.wish_family,
                "",
                e,
            ));
            fields.push(text_field(
                "policy",
                "総合的な援助の方針",
                &i.policy,
                "本人の希望とストレングスを生かす方向で、チーム全体の方針を書きます。",
                e,
            ));
            fields.push(text_field("long_goal", "長期目標", &i.long_goal, "", e));
            fields.push(text_field("short_goal", "短期目標", &i.short_goal, "", e));
        }
        "rows" => {
            let n = i.rows.len();
            let rows = padded(&i.rows, 2)
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
            for (idx, r) in g.rows.iter_mut().enumerate() {
                r.label = if idx < n {
                    format!("優先順位 {}", idx + 1)
                } else {
                    "新しい行".into()
                };
            }
            grids.push(g);
        }
        "elements" => {
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
        }
        "week" => {
            let rows = padded(&i.week, 3)
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
            ));
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
        }
        "monitoring" => {
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
        }
        _ => {}
    }
    (fields, grids)
}

pub fn apply(section: &str, f: &Submitted, i: &mut PlanInput) {
    match section {
        "overview" => {
            i.drafted_on = f.one("drafted_on");
            i.decided_on = f.one("decided_on");
            i.guardian_name = f.one("guardian_name");
            i.guardian_relation = f.one("guardian_relation");
            i.wish_person = f.one("wish_person");
            i.wish_family = f.one("wish_family");
            i.policy = f.one("policy");
            i.long_goal = f.one("long_goal");
            i.short_goal = f.one("short_goal");
        }
        "rows" => {
            let mut rows: Vec<(f64, usize, RowInput)> = f
                .rows([
                    "row_key",
                    "row_need_key",
                    "row_priority",
                    "row_need",
                    "row_goal",
                    "row_due",
                    "row_category",
                    "row_service_type",
                    "row_service",
                    "row_days",
                    "row_time",
                    "row_provider",
                    "row_resource_id",
                    "row_person_role",
                    "row_review",
                    "row_notes",
                ])
                .into_iter()
                .enumerate()
                .map(
                    |(
                        idx,
                        [
                            key,
                            need_key,
                            priority,
                            need,
                            goal,
                            due,
                            category,
                            service_type,
                            service,
                            days,
                            time,
                            provider,
                            resource_id,
                            person_role,
                            review,
                            notes,
                        ],
                    )| {
                        // A row without a number keeps its place after the numbered ones.
                        let p = yorisoi_domain::text::nfkc(&priority)
                            .parse::<f64>()
                            .unwrap_or(1000.0 + idx as f64);
                        (
                            p,
                            idx,
                            RowInput {
                                key,
                                need_key,
                                need,
                                goal,
                                due,
                                category,
                                service_type,
                                service,
                                days,
                                time,
                                provider,
                                resource_id,
                                person_role,
                                review,
                                notes,
                            },
                        )
                    },
                )
                .collect();
            rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            i.rows = rows.into_iter().map(|(_, _, r)| r).collect();
        }
        "elements" => {
            i.housing = f.one("housing");
            i.day_activity = f.one("day_activity");
            i.support_system = f.one("support_system");
            i.alternatives = f.one("alternatives");
            i.emergency = f.one("emergency");
        }
        "week" => {
            i.week = f
                .rows(["week_day", "week_start", "week_end", "week_label"])
                .into_iter()
                .map(|[day, start, end, label]| WeekEntryInput {
                    day,
                    start,
                    end,
                    label,
                })
                .collect();
            i.main_activities = f.one("main_activities");
            i.non_weekly = f.one("non_weekly");
            i.whole_picture = f.one("whole_picture");
        }
        "monitoring" => {
            i.monitoring_period = f.one("monitoring_period");
            i.monitoring_start = f.one("monitoring_start");
            i.monitoring_note = f.one("monitoring_note");
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_reordered_by_the_priority_typed() {
        let pairs = [
            ("row_key", "1"),
            ("row_priority", "2"),
            ("row_need", "薬"),
            ("row_key", "2"),
            ("row_priority", "１"),
            ("row_need", "バス"),
            ("row_key", ""),
            ("row_priority", ""),
            ("row_need", "お金"),
        ];
        let f = Submitted::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let mut i = PlanInput::default();
        apply("rows", &f, &mut i);
        let needs: Vec<&str> = i.rows.iter().map(|r| r.need.as_str()).collect();
        assert_eq!(needs, vec!["バス", "薬", "お金"]);
    }
}
