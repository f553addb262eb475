//! The assessment's edit screens: one screen per section, each made of plain fields and of
//! row grids (a person, a tie, an event per row, with blank rows to add to; emptying a row
//! removes it). Works without JavaScript; the rows align because every cell always submits.

pub use crate::kit::grid::*;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::assessment::*;
use yorisoi_domain::client::Sex;

/// The sections in the order the form asks them: the person's words and strengths before needs.
pub const SECTIONS: &[(&str, &str)] = &[
    ("overview", "実施・様子・住環境"),
    ("wishes", "希望"),
    ("strengths", "ストレングス"),
    ("needs", "デマンドとニーズ"),
    ("family", "家族構成"),
    ("ecomap", "エコマップ"),
    ("history", "生活歴"),
    ("daily", "日課・生活サイクル"),
    ("abilities", "能力"),
    ("medical", "医療"),
];

pub fn section_label(code: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The page's fields and grids for `section`, from the current values.
pub fn view(
    section: &str,
    i: &AssessmentInput,
    resources: &[ResourceOption],
    e: &FieldErrors,
) -> (Vec<FieldView>, Vec<GridView>) {
    let mut fields = Vec::new();
    let mut grids = Vec::new();
    match section {
        "overview" => {
            fields.push(field(
                "assessed_on",
                "実施日",
                &i.assessed_on,
                "date",
                "",
                e,
            ));
            let mut m = field("method", "方法", "", "select", "", e);
            m.options = choices(
                AssessmentMethod::ALL,
                |x| x.code(),
                |x| x.label(),
                &i.method,
                None,
            );
            fields.push(m);
            fields.push(field(
                "present",
                "同席者",
                &i.present,
                "text",
                "例: 本人、母、B型事業所サービス管理責任者",
                e,
            ));
            fields.push(field(
                "title",
                "ケースの呼び名",
                &i.title,
                "text",
                "覚えておくための短いタイトル（例: 働きたいAさん）",
                e,
            ));
            fields.push(field(
                "appearance",
                "本人の様子・雰囲気",
                &i.appearance,
                "area",
                "表情、話し方、身だしなみ、その日の調子",
                e,
            ));
            fields.push(field(
                "living",
                "住環境",
                &i.living,
                "area",
                "住まいの種類、間取り、周りの環境、交通",
                e,
            ));
            fields.push(field(
                "judgement",
                "担当者としての判断",
                &i.judgement,
                "area",
                "アセスメントから見立てたこと",
                e,
            ));
        }
        "wishes" => {
            let mut w = field(
                "wish_person",
                "本人の希望（本人の言葉のまま）",
                &i.wish_person,
                "area",
                "言い換えず、話された言葉で書きます。例: 「A型で働きたい」",
                e,
            );
            w.words = true;
            fields.push(w);
            fields.push(field(
                "wish_family",
                "家族の希望",
                &i.wish_family,
                "area",
                "本人の希望と違ってもそのまま書きます",
                e,
            ));
        }
        "strengths" => {
            for k in StrengthKind::ALL {
                let v = i
                    .strengths
                    .iter()
                    .find(|s| s.kind == k.code())
                    .map(|s| s.text.as_str())
                    .unwrap_or("");
                let idx = i.strengths.iter().position(|s| s.kind == k.code());
                let mut f = field(
                    &format!("strength_{}", k.code()),
                    k.label(),
                    v,
                    "area",
                    "",
                    e,
                );
                f.rows = 2;
                if let Some(idx) = idx {
                    f.error = row_error(e, "strengths", idx);
                }
                fields.push(f);
            }
        }
        "needs" => {
            let rows = padded(&i.demands, 3)
                .iter()
                .map(|d| {
                    vec![
                        cell("demand_key", &d.key, "hidden", ""),
                        select(
                            "demand_speaker",
                            choices(Speaker::ALL, |x| x.code(), |x| x.label(), &d.speaker, None),
                            "誰の要望",
                        ),
                        cell("demand_words", &d.words, "area", "要望（言葉のまま）"),
                    ]
                })
                .collect();
            grids.push(grid(
                "デマンド（要望）",
                "本人・家族が話した言葉のまま書きます。",
                &["誰の", "言葉"],
                "demands",
                rows,
                e,
            ));
            let mut sources: Vec<(String, String)> = vec![
                ("wish_person".into(), "本人の希望".into()),
                ("wish_family".into(), "家族の希望".into()),
            ];
            for d in &i.demands {
                if !d.key.is_empty() {
                    let s = Speaker::from_code(&d.speaker)
                        .map(|s| s.label())
                        .unwrap_or("");
                    let words: String = d.words.chars().take(24).collect();
                    sources.push((format!("demand-{}", d.key), format!("{s}「{words}」")));
                }
            }
            let rows = padded(&i.needs, 3)
                .iter()
                .map(|n| {
                    let mut opts =
                        vec![(String::new(), "（選ぶ）".to_string(), n.source.is_empty())];
                    opts.extend(
                        sources
                            .iter()
                            .map(|(c, l)| (c.clone(), l.clone(), *c == n.source)),
                    );
                    vec![
                        cell("need_key", &n.key, "hidden", ""),
                        cell("need_text", &n.text, "area", "ニーズ"),
                        select("need_source", opts, "どの希望・要望から"),
                        cell("need_grounds", &n.grounds, "area", "根拠"),
                        cell("need_reframing", &n.reframing, "area", "リフレーミング"),
                    ]
                })
                .collect();
            grids.push(grid(
                "ニーズ",
                "要望の奥にある本当のニーズを、根拠とともに書きます。新しく加えた要望は保存後に選べます。",
                &["ニーズ", "どこから", "根拠（アセスメントのどこから）", "リフレーミング"],
                "needs",
                rows,
                e,
            ));
        }
        "family" => {
            let rows = padded(&i.family, 3)
                .iter()
                .map(|m| {
                    vec![
                        cell("member_key", &m.key, "hidden", ""),
                        cell("member_relation", &m.relation, "text", "続柄"),
                        cell("member_name", &m.name, "text", "名前"),
                        select(
                            "member_sex",
                            choices(Sex::ALL, |x| x.code(), |x| x.label(), &m.sex, Some("")),
                            "性別",
                        ),
                        cell("member_birth_year", &m.birth_year, "text", "生年"),
                        cell("member_age", &m.age, "text", "年齢"),
                        select("member_deceased", yes_no(&m.deceased), "死亡"),
                        select("member_cohabiting", yes_no(&m.cohabiting), "同居"),
                        select("member_is_client", yes_no(&m.is_client), "本人"),
                        cell("member_note", &m.note, "text", "メモ"),
                    ]
                })
                .collect();
            grids.push(grid(
                "家族の人",
                "本人も1行に入れ「本人」を「はい」にします。生年は西暦でも和暦でも（1948、昭和23）。行を空にすると削除します。",
                &["続柄", "名前", "性別", "生年", "年齢", "死亡", "同居", "本人", "メモ（例: 要介護3 施設入所）"],
                "family",
                rows,
                e,
            ));
            let people: Vec<(String, String)> = i
                .family
                .iter()
                .filter(|m| !m.key.is_empty())
                .map(|m| {
                    let label = if m.name.is_empty() {
                        m.relation.clone()
                    } else {
                        format!("{}（{}）", m.relation, m.name)
                    };
                    (m.key.clone(), label)
                })
                .collect();
            let person_opts = |cur: &str| {
                let mut v = vec![(String::new(), "（選ぶ）".to_string(), cur.is_empty())];
                v.extend(people.iter().map(|(k, l)| (k.clone(), l.clone(), k == cur)));
                v
            };
            let rows = padded(&i.family_links, 3)
                .iter()
                .map(|l| {
                    vec![
                        select(
                            "link_kind",
                            choices(
                                FamilyLinkKind::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                &l.kind,
                                None,
                            ),
                            "関係",
                        ),
                        select("link_from", person_opts(&l.from), "親／一方"),
                        select("link_to", person_opts(&l.to), "子／もう一方"),
                    ]
                })
                .collect();
            grids.push(grid(
                "つながり",
                "親子は「親」→「子」の順に選びます。新しく加えた人は保存してから選べます。",
                &["関係", "親／一方", "子／もう一方"],
                "family_links",
                rows,
                e,
            ));
        }
        "ecomap" => {
            let rows = padded(&i.ecomap, 3)
                .iter()
                .map(|t| {
                    vec![
                        cell("tie_name", &t.name, "text", "名前"),
                        select(
                            "tie_kind",
                            choices(
                                ResourceKind::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                &t.kind,
                                Some(""),
                            ),
                            "種類",
                        ),
                        select(
                            "tie_tie",
                            choices(TieKind::ALL, |x| x.code(), |x| x.label(), &t.tie, Some("")),
                            "関係の強さ",
                        ),
                        select(
                            "tie_direction",
                            choices(
                                TieDirection::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                &t.direction,
                                None,
                            ),
                            "支援の向き",
                        ),
                        cell("tie_note", &t.note, "text", "メモ"),
                        select(
                            "tie_resource_id",
                            resource_choices(resources, &t.resource_id),
                            "社会資源の一覧",
                        ),
                    ]
                })
                .collect();
            grids.push(grid(
                "つながり",
                "人・サービス・機関・地域の資源。強い＝太線、普通＝実線、弱い＝点線、ストレス＝ギザギザ線。社会資源の一覧から選ぶと、名前と種類が空なら一覧から入ります。",
                &["名前", "種類", "関係", "支援の向き", "メモ", "社会資源の一覧"],
                "ecomap",
                rows,
                e,
            ));
        }
        "history" => {
            let rows = padded(&i.history, 4)
                .iter()
                .map(|h| {
                    vec![
                        cell("event_year", &h.year, "text", "年"),
                        cell("event_month", &h.month, "text", "月"),
                        cell("event_event", &h.event, "text", "出来事"),
                    ]
                })
                .collect();
            grids.push(grid(
                "出来事",
                "年は西暦でも和暦でも（2016、平成28）。年齢は生年月日から自動で出ます。",
                &[
                    "年",
                    "月",
                    "出来事（出生、就学、就職、発病、入院、GH入居 …）",
                ],
                "history",
                rows,
                e,
            ));
        }
        "daily" => {
            let rows = padded(&i.day, 4)
                .iter()
                .map(|d| {
                    vec![
                        cell("day_time", &d.time, "text", "時刻"),
                        cell("day_activity", &d.activity, "text", "すること"),
                    ]
                })
                .collect();
            grids.push(grid(
                "日課（1日）",
                "時刻は「7:30」「7時半」など。次の行の時刻まで続くものとして描きます。",
                &[
                    "時刻",
                    "すること（起床、朝食、日中活動、昼食、買物、夕食、TV、就寝 …）",
                ],
                "day",
                rows,
                e,
            ));
            let mut g = grid(
                "生活サイクル（1週間）",
                "",
                &WEEKDAYS,
                "week",
                Vec::new(),
                e,
            );
            for (s, slot) in WeekSlot::ALL.iter().enumerate() {
                g.rows.push(RowView {
                    label: slot.label().into(),
                    cells: (0..7)
                        .map(|d| {
                            let v = i
                                .week
                                .get(d)
                                .and_then(|x| x.get(s))
                                .cloned()
                                .unwrap_or_default();
                            cell(
                                &format!("week_{d}_{s}"),
                                &v,
                                "text",
                                &format!("{}曜{}", WEEKDAYS[d], slot.label()),
                            )
                        })
                        .collect(),
                    error: e
                        .0
                        .iter()
                        .filter(|(k, _)| k.starts_with("week[") && k.ends_with(&format!("[{s}]")))
                        .map(|(_, v)| v.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                });
            }
            grids.push(g);
        }
        "abilities" => {
            let mut g = grid(
                "ADL・対人・仕事",
                "自立・見守り・一部支援・全面支援から選び、様子をメモに。",
                &["程度", "メモ"],
                "abilities",
                Vec::new(),
                e,
            );
            for item in AbilityItem::ALL {
                let cur = i.abilities.iter().find(|a| a.item == item.code());
                let (level, note) = cur
                    .map(|a| (a.level.as_str(), a.note.as_str()))
                    .unwrap_or(("", ""));
                let pos = i.abilities.iter().position(|a| a.item == item.code());
                g.rows.push(RowView {
                    label: format!("{} {}", item.group(), item.label()),
                    cells: vec![
                        cell("ability_item", item.code(), "hidden", ""),
                        select(
                            "ability_level",
                            choices(
                                AbilityLevel::ALL,
                                |x| x.code(),
                                |x| x.label(),
                                level,
                                Some("—"),
                            ),
                            item.label(),
                        ),
                        cell("ability_note", note, "text", "メモ"),
                    ],
                    error: pos
                        .map(|p| row_error(e, "abilities", p))
                        .unwrap_or_default(),
                });
            }
            grids.push(g);
            fields.push(field("hobbies", "趣味", &i.hobbies, "text", "", e));
            fields.push(field(
                "special_skills",
                "特技",
                &i.special_skills,
                "text",
                "",
                e,
            ));
        }
        "medical" => {
            let rows = padded(&i.prescriptions, 3)
                .iter()
                .map(|p| {
                    vec![
                        cell("rx_drug", &p.drug, "text", "薬"),
                        cell("rx_dose", &p.dose, "text", "量"),
                        cell("rx_timing", &p.timing, "text", "飲む時"),
                    ]
                })
                .collect();
            grids.push(grid(
                "処方内容",
                "",
                &["薬", "量", "飲む時"],
                "prescriptions",
                rows,
                e,
            ));
            let rows = padded(&i.clinics, 2)
                .iter()
                .map(|c| {
                    vec![
                        cell("clinic_name", &c.name, "text", "医療機関"),
                        cell("clinic_department", &c.department, "text", "科"),
                        cell("clinic_frequency", &c.frequency, "text", "頻度"),
                    ]
                })
                .collect();
            grids.push(grid(
                "通院先",
                "",
                &["医療機関", "科", "頻度"],
                "clinics",
                rows,
                e,
            ));
            fields.push(field(
                "medical_note",
                "医療についてのメモ",
                &i.medical_note,
                "area",
                "",
                e,
            ));
        }
        _ => {}
    }
    (fields, grids)
}

/// Puts the submitted values of `section` into `i`, leaving the other sections as they were.
/// Fills a tie's blank name and kind from the directory entry it was linked to, so choosing
/// from the list is enough.
pub fn fill_from_directory(i: &mut AssessmentInput, resources: &[ResourceOption]) {
    use yorisoi_domain::plan::ServiceCategory;
    for t in &mut i.ecomap {
        let Some(r) = resources.iter().find(|r| r.id == t.resource_id.trim()) else {
            continue;
        };
        if t.name.trim().is_empty() {
            t.name = r.name.chars().take(40).collect();
        }
        if t.kind.trim().is_empty() {
            t.kind = match r.category {
                ServiceCategory::Welfare => ResourceKind::Service,
                ServiceCategory::OtherSystem => ResourceKind::Agency,
                ServiceCategory::Informal => ResourceKind::Informal,
            }
            .code()
            .into();
        }
        if t.tie.trim().is_empty() {
            t.tie = TieKind::Ordinary.code().into();
        }
    }
}

pub fn apply(section: &str, f: &Submitted, i: &mut AssessmentInput) {
    match section {
        "overview" => {
            i.assessed_on = f.one("assessed_on");
            i.method = f.one("method");
            i.present = f.one("present");
            i.title = f.one("title");
            i.appearance = f.one("appearance");
            i.living = f.one("living");
            i.judgement = f.one("judgement");
        }
        "wishes" => {
            i.wish_person = f.one("wish_person");
            i.wish_family = f.one("wish_family");
        }
        "strengths" => {
            i.strengths = StrengthKind::ALL
                .iter()
                .map(|k| StrengthInput {
                    kind: k.code().into(),
                    text: f.one(&format!("strength_{}", k.code())),
                })
                .collect();
        }
        "needs" => {
            i.demands = f
                .rows(["demand_key", "demand_speaker", "demand_words"])
                .into_iter()
                .map(|[key, speaker, words]| DemandInput {
                    key,
                    speaker,
                    words,
                })
                .collect();
            i.needs = f
                .rows([
                    "need_key",
                    "need_text",
                    "need_source",
                    "need_grounds",
                    "need_reframing",
                ])
                .into_iter()
                .map(|[key, text, source, grounds, reframing]| NeedInput {
                    key,
                    text,
                    source,
                    grounds,
                    reframing,
                })
                .collect();
        }
        "family" => {
            i.family = f
                .rows([
                    "member_key",
                    "member_relation",
                    "member_name",
                    "member_sex",
                    "member_birth_year",
                    "member_age",
                    "member_deceased",
                    "member_cohabiting",
                    "member_is_client",
                    "member_note",
                ])
                .into_iter()
                .map(
                    |[
                        key,
                        relation,
                        name,
                        sex,
                        birth_year,
                        age,
                        deceased,
                        cohabiting,
                        is_client,
                        note,
                    ]| {
                        MemberInput {
                            key,
                            relation,
                            name,
                            sex,
                            birth_year,
                            age,
                            deceased,
                            cohabiting,
                            is_client,
                            note,
                        }
                    },
                )
                .collect();
            i.family_links = f
                .rows(["link_kind", "link_from", "link_to"])
                .into_iter()
                .map(|[kind, from, to]| LinkInput { kind, from, to })
                .collect();
        }
        "ecomap" => {
            i.ecomap = f
                .rows([
                    "tie_name",
                    "tie_kind",
                    "tie_tie",
                    "tie_direction",
                    "tie_note",
                    "tie_resource_id",
                ])
                .into_iter()
                .map(|[name, kind, tie, direction, note, resource_id]| TieInput {
                    name,
                    kind,
                    tie,
                    direction,
                    note,
                    resource_id,
                })
                .collect();
        }
        "history" => {
            i.history = f
                .rows(["event_year", "event_month", "event_event"])
                .into_iter()
                .map(|[year, month, event]| EventInput { year, month, event })
                .collect();
        }
        "daily" => {
            i.day = f
                .rows(["day_time", "day_activity"])
                .into_iter()
                .map(|[time, activity]| DayInput { time, activity })
                .collect();
            i.week = (0..7)
                .map(|d| (0..3).map(|s| f.one(&format!("week_{d}_{s}"))).collect())
                .collect();
        }
        "abilities" => {
            i.abilities = f
                .rows(["ability_item", "ability_level", "ability_note"])
                .into_iter()
                .map(|[item, level, note]| AbilityInput { item, level, note })
                .collect();
            i.hobbies = f.one("hobbies");
            i.special_skills = f.one("special_skills");
        }
        "medical" => {
            i.prescriptions = f
                .rows(["rx_drug", "rx_dose", "rx_timing"])
                .into_iter()
                .map(|[drug, dose, timing]| PrescriptionInput { drug, dose, timing })
                .collect();
            i.clinics = f
                .rows(["clinic_name", "clinic_department", "clinic_frequency"])
                .into_iter()
                .map(|[name, department, frequency]| ClinicInput {
                    name,
                    department,
                    frequency,
                })
                .collect();
            i.medical_note = f.one("medical_note");
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
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn rows_are_read_in_order_and_other_sections_kept() {
        let mut i = AssessmentInput {
            wish_person: "A型で働きたい".into(),
            ..Default::default()
        };
        apply(
            "history",
            &pairs(&[
                ("event_year", "2016"),
                ("event_month", ""),
                ("event_event", "発病"),
                ("event_year", "平成29"),
                ("event_month", "4"),
                ("event_event", "入院"),
            ]),
            &mut i,
        );
        assert_eq!(i.history.len(), 2);
        assert_eq!(i.history[1].year, "平成29");
        assert_eq!(i.history[1].event, "入院");
        assert_eq!(i.wish_person, "A型で働きたい");
    }

    #[test]
    fn every_section_has_a_view() {
        let i = AssessmentInput::default();
        for (code, _) in SECTIONS {
            let (f, g) = view(code, &i, &[], &FieldErrors::new());
            assert!(!f.is_empty() || !g.is_empty(), "{code}");
        }
        let (_, g) = view("abilities", &i, &[], &FieldErrors::new());
        assert_eq!(g[0].rows.len(), AbilityItem::ALL.len());
    }

    #[test]
    fn row_errors_land_on_their_row() {
        let mut e = FieldErrors::new();
        e.add("family[1].birth_year", "年は…");
        let i = AssessmentInput {
            family: vec![MemberInput::default(), MemberInput::default()],
            ..Default::default()
        };
        let (_, g) = view("family", &i, &[], &e);
        assert_eq!(g[0].rows[0].error, "");
        assert_eq!(g[0].rows[1].error, "年は…");
    }

    #[test]
    fn a_tie_chosen_from_the_directory_takes_its_name_and_kind() {
        let dir = vec![ResourceOption {
            id: "7".into(),
            name: "ひかり作業所".into(),
            label: "ひかり作業所（就労継続支援B型）".into(),
            category: yorisoi_domain::plan::ServiceCategory::Welfare,
        }];
        let mut i = AssessmentInput::default();
        apply(
            "ecomap",
            &Submitted::new(vec![
                ("tie_name".into(), String::new()),
                ("tie_kind".into(), String::new()),
                ("tie_tie".into(), String::new()),
                ("tie_direction".into(), String::new()),
                ("tie_note".into(), "週4日".into()),
                ("tie_resource_id".into(), "7".into()),
                ("tie_name".into(), "兄".into()),
                ("tie_kind".into(), "family".into()),
                ("tie_tie".into(), "weak".into()),
                ("tie_direction".into(), String::new()),
                ("tie_note".into(), String::new()),
                ("tie_resource_id".into(), String::new()),
            ]),
            &mut i,
        );
        fill_from_directory(&mut i, &dir);
        assert_eq!(i.ecomap[0].name, "ひかり作業所");
        assert_eq!(i.ecomap[0].kind, "service");
        assert_eq!(i.ecomap[0].tie, "ordinary");
        // A name the user typed is kept, and an unlinked tie is untouched.
        assert_eq!(i.ecomap[1].name, "兄");
        assert_eq!(i.ecomap[1].kind, "family");
        let (_, g) = view("ecomap", &i, &dir, &FieldErrors::new());
        let sel = g[0].rows[0]
            .cells
            .iter()
            .find(|c| c.name == "tie_resource_id")
            .unwrap();
        assert!(sel.options.iter().any(|(v, _, on)| v == "7" && *on));
    }
}
