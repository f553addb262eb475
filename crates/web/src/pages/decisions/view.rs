//! The 意思決定支援 pages: the start form, the record read in the order of the guideline
//! (意思形成 → 意思表明 → 意思実現), and one view builder per section of the section editor.

use super::form::SECTIONS;
use crate::kit::display::{date, odate};
use crate::kit::form::EditState;
use crate::kit::grid::*;
use crate::kit::render::Nav;
use crate::kit::section::{SectionDoc, SectionPage, Sections};
use askama::Template;
use std::collections::HashMap;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::decision::*;
use yorisoi_store::decisions::Decision;
use yorisoi_store::today_jst;

/// A section's fields and grids.
pub type Built = (Vec<FieldView>, Vec<GridView>);

#[derive(Template)]
#[template(path = "decision_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub case_id: i64,
    pub client_name: String,
    pub case_title: String,
    pub fields: Vec<FieldView>,
    pub grids: Vec<GridView>,
    pub form: EditState<DecisionInput>,
}

impl StartPage {
    /// `names`: (client, case title); `staff`: who may lead, as (id, name).
    pub fn new(
        nav: Nav,
        case_id: i64,
        names: (String, String),
        staff: &[(i64, String)],
        form: EditState<DecisionInput>,
    ) -> Self {
        let (fields, grids) = question(&form.input, staff, &form.errors);
        StartPage {
            nav,
            case_id,
            client_name: names.0,
            case_title: names.1,
            fields,
            grids,
            form,
        }
    }
}

/// A meeting as read: its participants under it.
pub struct MeetingView {
    pub m: DsMeeting,
    pub date: String,
    pub participants: Vec<Participant>,
}

pub struct ExperienceView {
    pub e: Experience,
    pub period: String,
    pub observations: Vec<(String, Observation)>,
}

#[derive(Template)]
#[template(path = "decision.html")]
pub struct DecisionPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub editable: bool,
    pub r: DecisionRecord,
    pub lead: String,
    pub started: String,
    /// (label, reached, current) for 意思形成 → 意思表明 → 意思実現.
    pub steps: Vec<(&'static str, bool, bool)>,
    pub meetings: Vec<MeetingView>,
    /// (date, what, method, reaction).
    pub information: Vec<(String, String, &'static str, String)>,
    pub experiences: Vec<ExperienceView>,
    /// Observations outside every experience, with their dates.
    pub other_observations: Vec<(String, Observation)>,
    pub evidence: Vec<(&'static str, String, String)>,
    pub expressed: &'static str,
    pub estimated: bool,
    pub decided: String,
    pub follow_up: String,
    pub follow_up_due: bool,
    pub sections: Sections,
    pub message: &'static str,
}

/// The message of the record reached after a save (`?saved=…`).
pub fn saved_message(saved: &str) -> &'static str {
    match saved {
        "created" => {
            "意思決定支援の記録を始めました。会議、情報提供、体験の順に書き足していけます。"
        }
        "" => "",
        _ => "保存しました。",
    }
}

impl DecisionPage {
    pub fn new(
        nav: Nav,
        d: &Decision,
        client_name: String,
        editable: bool,
        staff: &HashMap<i64, String>,
        message: &'static str,
    ) -> Self {
        let r = &d.record;
        let reached = DecisionStep::ALL
            .iter()
            .position(|s| *s == r.step)
            .unwrap_or(0);
        let experiences = r
            .experiences
            .iter()
            .map(|e| ExperienceView {
                e: e.clone(),
                period: match e.until {
                    Some(u) => format!("{}〜{}", date(e.from), date(u)),
                    None => format!("{}〜", date(e.from)),
                },
                observations: r
                    .observations_of(e)
                    .into_iter()
                    .map(|o| (date(o.on), o.clone()))
                    .collect(),
            })
            .collect();
        let other_observations = r
            .observations
            .iter()
            .filter(|o| {
                !r.experiences
                    .iter()
                    .any(|e| o.on >= e.from && e.until.is_none_or(|u| o.on <= u))
            })
            .map(|o| (date(o.on), o.clone()))
            .collect();
        DecisionPage {
            nav,
            id: d.id,
            case_id: d.case_id,
            client_id: d.client_id,
            client_name,
            editable,
            lead: staff
                .get(&r.lead_user_id)
                .cloned()
                .unwrap_or_else(|| "（不明な職員）".into()),
            started: date(r.started_on),
            steps: DecisionStep::ALL
                .iter()
                .enumerate()
                .map(|(i, s)| (s.label(), i <= reached, i == reached))
                .collect(),
            meetings: r
                .meetings
                .iter()
                .map(|m| MeetingView {
                    m: m.clone(),
                    date: date(m.held_on),
                    participants: r.participants_of(m.held_on).into_iter().cloned().collect(),
                })
                .collect(),
            information: r
                .information
                .iter()
                .map(|i| {
                    (
                        odate(i.on),
                        i.what.clone(),
                        i.method.label(),
                        i.reaction.clone(),
                    )
                })
                .collect(),
            experiences,
            other_observations,
            evidence: r
                .evidence
                .iter()
                .map(|e| (e.kind.label(), e.text.clone(), e.source.clone()))
                .collect(),
            expressed: r
                .expressed
                .map(|x| x.label())
                .unwrap_or("まだ（意思形成の段階）"),
            estimated: matches!(r.expressed, Some(Expressed::No | Expressed::Partly)),
            decided: odate(r.decided_on),
            follow_up: odate(r.follow_up_on),
            follow_up_due: r.follow_up_due(today_jst()),
            sections: SECTIONS,
            message,
            r: r.clone(),
        }
    }
}

/// The section editor page of `section` for `form`; `staff` are who may lead.
pub fn section_page(
    nav: Nav,
    d: &Decision,
    client_name: String,
    section: &str,
    form: &EditState<DecisionInput>,
    staff: &[(i64, String)],
) -> SectionPage {
    let doc = SectionDoc {
        doc: "意思決定支援",
        base: format!("/decisions/{}", d.id),
        back_label: "記録",
        version_no: 0,
        client_name,
        sections: SECTIONS,
    };
    let built = section_view(section, &form.input, staff, &form.errors);
    let mut page = SectionPage::new(nav, doc, section, form, built);
    page.context = context(section, &d.record);
    page
}

/// What to have in mind while writing a section: the question, and the days observed.
fn context(section: &str, r: &DecisionRecord) -> Vec<(String, String)> {
    let mut context = vec![("決めること".to_string(), r.question.clone())];
    if section == "will" && !r.observations.is_empty() {
        context.push((
            "日々の様子".into(),
            r.observations
                .iter()
                .map(|o| format!("{} {}", date(o.on), o.text))
                .collect::<Vec<_>>()
                .join(" ／ "),
        ));
    }
    context
}

/// The fields and grids of `section`; `staff` are (id, name) of who may lead.
pub fn section_view(
    section: &str,
    i: &DecisionInput,
    staff: &[(i64, String)],
    e: &FieldErrors,
) -> Built {
    match section {
        "question" => question(i, staff, e),
        "meetings" => meetings(i, e),
        "information" => information(i, e),
        "experiences" => experiences(i, e),
        "will" => will(i, e),
        "decision" => decided(i, e),
        _ => (Vec::new(), Vec::new()),
    }
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

fn question(i: &DecisionInput, staff: &[(i64, String)], e: &FieldErrors) -> Built {
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
    let fields = vec![
        field(
            "question",
            "決めること",
            &i.question,
            "text",
            "本人が決めること。例: 施設入所を続けるか、グループホームに移るか",
            e,
        ),
        field(
            "background",
            "きっかけ・背景",
            &i.background,
            "area",
            "なぜ今この決定が必要か。本人の暮らしの様子、家族や関係者の思い。",
            e,
        ),
        select_field(
            "lead_user_id",
            "意思決定支援責任者",
            lead,
            "多くは担当の相談支援専門員が務めます。",
            e,
        ),
        field("started_on", "開始日", &i.started_on, "date", "", e),
        select_field(
            "step",
            "いまの段階",
            choices(
                DecisionStep::ALL,
                |x| x.code(),
                |x| x.label(),
                &i.step,
                None,
            ),
            "意思形成（情報と体験で考える）→ 意思表明（本人が示す）→ 意思実現（決めたことを実現する）",
            e,
        ),
    ];
    (fields, Vec::new())
}

fn meetings(i: &DecisionInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.meetings, 2, |m| {
        yorisoi_domain::text::all_blank([&m.held_on, &m.purpose, &m.discussion, &m.agreed])
    })
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
    let mut held = grid(
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
    held.stacked = true;
    held.grows = true;
    let rows = padded(&i.participants, 4, |p| {
        yorisoi_domain::text::all_blank([&p.name, &p.role])
    })
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
    let mut people = grid(
        "参加者と、本人について知っていること",
        "本人をよく知る人が、日常の表情や行動、これまでの暮らしから知っていることを持ち寄ります。会議の日付は上の一覧と同じ日付を。",
        &["会議の日付", "名前", "立場", "本人について知っていること"],
        "participants",
        rows,
        e,
    );
    people.stacked = true;
    people.grows = true;
    (Vec::new(), vec![held, people])
}

fn information(i: &DecisionInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.information, 3, |r| {
        yorisoi_domain::text::all_blank([&r.on, &r.what])
    })
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
    let g = grid(
        "本人への情報提供",
        "本人が理解できるよう工夫して伝えます（見学、絵カードや写真、同じ立場の人の体験談）。",
        &["日付", "伝えたこと", "方法", "本人の反応"],
        "information",
        rows,
        e,
    )
    .growing();
    (Vec::new(), vec![g])
}

fn experiences(i: &DecisionInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.experiences, 1, |r| {
        yorisoi_domain::text::all_blank([&r.from, &r.until, &r.place, &r.purpose])
    })
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
    let tried = grid(
        "体験の機会（体験利用など）",
        "経験したことのない暮らしは、比べて選ぶのが難しいもの。体験してもらい、その様子から本人の意思を確かめます。",
        &["場所", "開始日", "終了日", "ねらい・工夫"],
        "experiences",
        rows,
        e,
    )
    .growing();
    let rows = padded(&i.observations, 4, |r| {
        yorisoi_domain::text::all_blank([&r.on, &r.by, &r.text])
    })
    .iter()
    .map(|r| {
        vec![
            cell("obs_on", &r.on, "text", "日付"),
            cell("obs_text", &r.text, "area", "様子（表情・行動・言葉）"),
            cell("obs_by", &r.by, "text", "記録者"),
        ]
    })
    .collect();
    let seen = grid(
        "日々の様子",
        "体験の期間中の日付は、その体験の下にまとめて表示します。",
        &["日付", "様子（表情・行動・言葉）", "記録者"],
        "observations",
        rows,
        e,
    )
    .growing();
    (Vec::new(), vec![tried, seen])
}

fn will(i: &DecisionInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.evidence, 3, |r| {
        yorisoi_domain::text::all_blank([&r.text, &r.source])
    })
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
    let g = grid(
        "根拠となる記録",
        "表情や感情、行動の記録、選んだもの、生活史、人間関係。推定は根拠とともに。",
        &["種類", "内容", "出どころ（誰の記録・話か）"],
        "evidence",
        rows,
        e,
    )
    .growing();
    let mut words = field(
        "person_words",
        "本人の言葉・サイン",
        &i.person_words,
        "area",
        "本人が示したことを、本人の表現のまま（言葉、指さし、表情、選んだカード）。",
        e,
    );
    words.words = true;
    let fields = vec![
        select_field(
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
        ),
        words,
        field(
            "estimated_will",
            "推定した意思と選好",
            &i.estimated_will,
            "area",
            "本人が表明しきれないときだけ。職員の価値観ではなく、根拠から。",
            e,
        ),
        field(
            "grounds",
            "推定の根拠",
            &i.grounds,
            "area",
            "上の記録のどれから、なぜそう推定したか。",
            e,
        ),
    ];
    (fields, vec![g])
}

fn decided(i: &DecisionInput, e: &FieldErrors) -> Built {
    let fields = vec![
        select_field(
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
        ),
        field(
            "decision",
            "決まったこと",
            &i.decision,
            "area",
            "本人の自己決定が原則。職員には不合理に見える選択でも、他者の権利を侵害しないなら尊重します。",
            e,
        ),
        field("decided_on", "決定日", &i.decided_on, "date", "", e),
        field(
            "realisation",
            "意思実現に向けた支援",
            &i.realisation,
            "area",
            "計画の変更、体験から本入居へ、使い慣れた絵カードを新しい場でも使う、など。",
            e,
        ),
        field(
            "follow_up_on",
            "次の会議・ふりかえりの日",
            &i.follow_up_on,
            "date",
            "ホーム画面に近づくと表示されます。",
            e,
        ),
        field(
            "follow_up_note",
            "次回に確かめること",
            &i.follow_up_note,
            "area",
            "",
            e,
        ),
    ];
    (fields, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_a_view() {
        let staff = vec![(7, "佐藤".to_string())];
        let i = DecisionInput::start("住まいをどうするか", 7, chrono::NaiveDate::MIN);
        for (code, _) in SECTIONS {
            let (f, g) = section_view(code, &i, &staff, &FieldErrors::new());
            assert!(!f.is_empty() || !g.is_empty(), "{code} shows nothing");
        }
    }

    #[test]
    fn row_errors_land_on_their_row() {
        let mut e = FieldErrors::new();
        e.add("evidence[1].kind", "一覧から選んでください。");
        let i = DecisionInput {
            evidence: vec![EvidenceRow::default(), EvidenceRow::default()],
            ..Default::default()
        };
        let (_, g) = section_view("will", &i, &[], &e);
        assert!(g[0].rows[0].error.is_empty());
        assert!(!g[0].rows[1].error.is_empty());
    }
}
