//! The 意思決定支援 record's edit screens, one section at a time, made of the same fields and row
//! grids as the assessment (`form_kit`): blank rows to add to, an emptied row is removed.

use crate::kit::grid::*;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::decision::*;

pub const SECTIONS: &[(&str, &str)] = &[
    ("question", "決めること"),
    ("meetings", "会議と参加者"),
    ("information", "情報提供"),
    ("experiences", "体験と観察"),
    ("will", "本人の意思・根拠"),
    ("decision", "決定と実現"),
];

pub fn section_label(code: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

fn select_field(
    name: &str,
    label: &str,
    options: Vec<Choice>,
    hint: &str,
    e: &FieldErrors,
) -> FieldView {
    let mut f = field(name, label, "", "select", hint, e);
    f.options = options;
    f
}

/// The page's fields and grids for `section`; `staff` are (id, name) of the office.
pub fn view(
    section: &str,
    i: &DecisionInput,
    staff: &[(i64, String)],
    e: &FieldErrors,
) -> (Vec<FieldView>, Vec<GridView>) {
    let mut fields = Vec::new();
    let mut grids = Vec::new();
    match section {
        "question" => {
            fields.push(field(
                "question",
                "決めること",
                &i.question,
                "text",
                "本人が決めること。例: 施設入所を続けるか、グループホームに移るか",
                e,
            ));
            fields.push(field(
                "background",
                "きっかけ・背景",
                &i.background,
                "area",
                "なぜ今この決定が必要か。本人の暮らしの様子、家族や関係者の思い。",
                e,
            ));
            let mut lead = vec![(
                String::new(),
                "選んでください".to_string(),
                i.lead_user_id.is_empty(),
            )];
            lead.extend(
                staff
                    .iter()
                    .map(|(id, n)| (id.to_string(), n.clone(), id.to_string() == i.lead_user_id)),
            );
            fields.push(select_field(
                "lead_user_id",
                "意思決定支援責任者",
                lead,
                "多くは担当の相談支援専門員が務めます。",
                e,
            ));
            fields.push(field("started_on", "開始日", &i.started_on, "date", "", e));
            fields.push(select_field(
                "step",
                "いまの段階",
                choices(DecisionStep::ALL, |x| x.code(), |x| x.label(), &i.step, None),
                "意思形成（情報と体験で考える）→ 意思表明（本人が示す）→ 意思実現（決めたことを実現する）",
                e,
            ));
        }
        "meetings" => {
            let rows = padded(&i.meetings, 2)
                .iter()
                .map(|m| {
                    vec![
                        cell("meeting_held_on", &m.held_on, "text", "開催日"),
                        cell("meeting_purpose", &m.purpose, "text", "会議の名前・目的"),
                        cell(
                            "meeting_discussion",
                            &m.discussion,
                            "area",
                            "話し合ったこと",
                        ),
                        cell("meeting_agreed", &m.agreed, "area", "決まったこと"),
                    ]
                })
                .collect();
            let mut g = grid(
                "意思決定支援会議",
                "本人も参加できるよう、場所や時間、説明の仕方を工夫しましょう。",
                &[
                    "開催日",
                    "会議の名前・目的",
                    "話し合ったこと",
                    "決まったこと",
                ],
                "meetings",
                rows,
                e,
            );
            g.stacked = true;
            grids.push(g);
            let rows = padded(&i.participants, 4)
                .iter()
                .map(|p| {
                    vec![
                        cell("participant_held_on", &p.held_on, "text", "会議の日付"),
                        cell("participant_name", &p.name, "text", "名前"),
                        cell("participant_role", &p.role, "text", "立場"),
                        cell(
                            "participant_knows",
                            &p.knows,
                            "area",
                            "本人について知っていること",
                        ),
                    ]
                })
                .collect();
            let mut g = grid(
                "参加者と、本人について知っていること",
                "本人をよく知る人が、日常の表情や行動、これまでの暮らしから知っていることを持ち寄ります。会議の日付は上の一覧と同じ日付を。",
                &["会議の日付", "名前", "立場", "本人について知っていること"],
                "participants",
                rows,
                e,
            );
            g.stacked = true;
            grids.push(g);
        }
        "information" => {
            let rows = padded(&i.information, 3)
                .iter()
                .map(|r| {
                    vec![
                        cell("info_on", &r.on, "text", "日付"),
                        cell("info_what", &r.what, "text", "伝えたこと"),
                        select(
                            "info_method",
                            choices(
                                InfoMethod::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                &r.method,
                                Some("方法"),
                            ),
                            "方法",
                        ),
                        cell("info_reaction", &r.reaction, "area", "本人の反応"),
                    ]
                })
                .collect();
            grids.push(grid(
                "本人への情報提供",
                "本人が理解できるよう工夫して伝えます（見学、絵カードや写真、同じ立場の人の体験談）。",
                &["日付", "伝えたこと", "方法", "本人の反応"],
                "information",
                rows,
                e,
            ));
        }
        "experiences" => {
            let rows = padded(&i.experiences, 1)
                .iter()
                .map(|r| {
                    vec![
                        cell("exp_place", &r.place, "text", "場所"),
                        cell("exp_from", &r.from, "text", "開始日"),
                        cell("exp_until", &r.until, "text", "終了日"),
                        cell("exp_purpose", &r.purpose, "area", "ねらい・工夫"),
                    ]
                })
                .collect();
            grids.push(grid(
                "体験の機会（体験利用など）",
                "経験したことのない暮らしは、比べて選ぶのが難しいもの。体験してもらい、その様子から本人の意思を確かめます。",
                &["場所", "開始日", "終了日", "ねらい・工夫"],
                "experiences",
                rows,
                e,
            ));
            let rows = padded(&i.observations, 4)
                .iter()
                .map(|r| {
                    vec![
                        cell("obs_on", &r.on, "text", "日付"),
                        cell("obs_text", &r.text, "area", "様子（表情・行動・言葉）"),
                        cell("obs_by", &r.by, "text", "記録者"),
                    ]
                })
                .collect();
            grids.push(grid(
                "日々の様子",
                "体験の期間中の日付は、その体験の下にまとめて表示します。",
                &["日付", "様子（表情・行動・言葉）", "記録者"],
                "observations",
                rows,
                e,
            ));
        }
        "will" => {
            let rows = padded(&i.evidence, 3)
                .iter()
                .map(|r| {
                    vec![
                        select(
                            "evidence_kind",
                            choices(
                                EvidenceKind::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                &r.kind,
                                Some("種類"),
                            ),
                            "種類",
                        ),
                        cell("evidence_text", &r.text, "area", "内容"),
                        cell("evidence_source", &r.source, "text", "出どころ"),
                    ]
                })
                .collect();
            grids.push(grid(
                "根拠となる記録",
                "表情や感情、行動の記録、選んだもの、生活史、人間関係。推定は根拠とともに。",
                &["種類", "内容", "出どころ（誰の記録・話か）"],
                "evidence",
                rows,
                e,
            ));
            fields.push(select_field(
                "expressed",
                "本人の意思表明",
                choices(
                    Expressed::ALL,
                    |x| x.code(),
                    |x| x.label(),
                    &i.expressed,
                    Some("まだ（意思形成の段階）"),
                ),
                "",
                e,
            ));
            let mut w = field(
                "person_words",
                "本人の言葉・サイン",
                &i.person_words,
                "area",
                "本人が示したことを、本人の表現のまま（言葉、指さし、表情、選んだカード）。",
                e,
            );
            w.words = true;
            fields.push(w);
            fields.push(field(
                "estimated_will",
                "推定した意思と選好",
                &i.estimated_will,
                "area",
                "本人が表明しきれないときだけ。職員の価値観ではなく、根拠から。",
                e,
            ));
            fields.push(field(
                "grounds",
                "推定の根拠",
                &i.grounds,
                "area",
                "上の記録のどれから、なぜそう推定したか。",
                e,
            ));
        }
        "decision" => {
            fields.push(select_field(
                "step",
                "いまの段階",
                choices(
                    DecisionStep::ALL,
                    |x| x.code(),
                    |x| x.label(),
                    &i.step,
                    None,
                ),
                "決まったことを実現する段階になったら「意思実現」に。",
                e,
            ));
            fields.push(field(
                "decision",
                "決まったこと",
                &i.decision,
                "area",
                "本人の自己決定が原則。職員には不合理に見える選択でも、他者の権利を侵害しないなら尊重します。",
                e,
            ));
            fields.push(field("decided_on", "決定日", &i.decided_on, "date", "", e));
            fields.push(field(
                "realisation",
                "意思実現に向けた支援",
                &i.realisation,
                "area",
                "計画の変更、体験から本入居へ、使い慣れた絵カードを新しい場でも使う、など。",
                e,
            ));
            fields.push(field(
                "follow_up_on",
                "次の会議・ふりかえりの日",
                &i.follow_up_on,
                "date",
                "ホーム画面に近づくと表示されます。",
                e,
            ));
            fields.push(field(
                "follow_up_note",
                "次回に確かめること",
                &i.follow_up_note,
                "area",
                "",
                e,
            ));
        }
        _ => {}
    }
    (fields, grids)
}

/// Takes `section`'s submitted values into `i`; other sections stay as they were.
pub fn apply(section: &str, f: &Submitted, i: &mut DecisionInput) {
    match section {
        "question" => {
            i.question = f.one("question");
            i.background = f.one("background");
            i.lead_user_id = f.one("lead_user_id");
            i.started_on = f.one("started_on");
            i.step = f.one("step");
        }
        "meetings" => {
            i.meetings = f
                .rows([
                    "meeting_held_on",
                    "meeting_purpose",
                    "meeting_discussion",
                    "meeting_agreed",
                ])
                .into_iter()
                .map(|[held_on, purpose, discussion, agreed]| MeetingRow {
                    held_on,
                    purpose,
                    discussion,
                    agreed,
                })
                .collect();
            i.participants = f
                .rows([
                    "participant_held_on",
                    "participant_name",
                    "participant_role",
                    "participant_knows",
                ])
                .into_iter()
                .map(|[held_on, name, role, knows]| ParticipantRow {
                    held_on,
                    name,
                    role,
                    knows,
                })
                .collect();
        }
        "information" => {
            i.information = f
                .rows(["info_on", "info_what", "info_method", "info_reaction"])
                .into_iter()
                .map(|[on, what, method, reaction]| InfoRow {
                    on,
                    what,
                    method,
                    reaction,
                })
                .collect();
        }
        "experiences" => {
            i.experiences = f
                .rows(["exp_place", "exp_from", "exp_until", "exp_purpose"])
                .into_iter()
                .map(|[place, from, until, purpose]| ExperienceRow {
                    place,
                    from,
                    until,
                    purpose,
                })
                .collect();
            i.observations = f
                .rows(["obs_on", "obs_text", "obs_by"])
                .into_iter()
                .map(|[on, text, by]| ObservationRow { on, text, by })
                .collect();
        }
        "will" => {
            i.evidence = f
                .rows(["evidence_kind", "evidence_text", "evidence_source"])
                .into_iter()
                .map(|[kind, text, source]| EvidenceRow { kind, text, source })
                .collect();
            i.expressed = f.one("expressed");
            i.person_words = f.one("person_words");
            i.estimated_will = f.one("estimated_will");
            i.grounds = f.one("grounds");
        }
        "decision" => {
            i.step = f.one("step");
            i.decision = f.one("decision");
            i.decided_on = f.one("decided_on");
            i.realisation = f.one("realisation");
            i.follow_up_on = f.one("follow_up_on");
            i.follow_up_note = f.one("follow_up_note");
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Submitted {
        Submitted::new(
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn every_section_has_a_view_and_keeps_the_others() {
        let staff = vec![(7, "佐藤".to_string())];
        let mut i = DecisionInput::start("住まいをどうするか", 7, chrono::NaiveDate::MIN);
        for (code, _) in SECTIONS {
            let (f, g) = view(code, &i, &staff, &FieldErrors::new());
            assert!(!f.is_empty() || !g.is_empty(), "{code} shows nothing");
        }
        apply(
            "meetings",
            &pairs(&[
                ("meeting_held_on", "2026-06-10"),
                ("meeting_purpose", "第1回"),
                ("meeting_discussion", ""),
                ("meeting_agreed", "体験利用"),
                ("participant_held_on", "2026-06-10"),
                ("participant_name", "成年後見人"),
                ("participant_role", "後見人"),
                ("participant_knows", "帰省時の様子"),
            ]),
            &mut i,
        );
        assert_eq!(i.question, "住まいをどうするか");
        assert_eq!(i.meetings[0].agreed, "体験利用");
        assert_eq!(i.participants[0].knows, "帰省時の様子");
    }

    #[test]
    fn row_errors_land_on_their_row() {
        let mut e = FieldErrors::new();
        e.add("evidence[1].kind", "一覧から選んでください。");
        let i = DecisionInput {
            evidence: vec![EvidenceRow::default(), EvidenceRow::default()],
            ..Default::default()
        };
        let (_, g) = view("will", &i, &[], &e);
        assert!(g[0].rows[0].error.is_empty());
        assert!(!g[0].rows[1].error.is_empty());
    }
}
