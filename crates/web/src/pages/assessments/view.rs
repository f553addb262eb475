//! The assessment's pages: the start form, the one-page sheet with its drawings, the diff
//! between two versions, and one view builder per section of the section editor.

use super::form::{Daily, StartInput, Strengths, sections_for};
use crate::drawings::{DrawingCache, drawn};
use crate::kit::display::{Opt, date, opts};
use crate::kit::form::EditState;
use crate::kit::grid::*;
use crate::kit::render::Nav;
use crate::kit::section::{SectionDoc, SectionPage};
use askama::Template;
use std::sync::Arc;
use yorisoi_domain::FieldErrors;
use yorisoi_domain::assessment::*;
use yorisoi_domain::client::Sex;
use yorisoi_store::assessments::{Assessment, Summary};

/// 第2版（令和8年4月1日）
pub fn version_label(s: &Summary) -> String {
    format!("第{}版（{}）", s.version_no, date(s.assessed_on))
}

#[derive(Template)]
#[template(path = "assessment_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub title: String,
    pub case_id: i64,
    pub case_title: String,
    pub previous: String,
    pub methods: Vec<Opt>,
    pub form: EditState<StartInput>,
}

impl StartPage {
    /// `versions`: the case's assessments, newest first.
    pub fn new(
        nav: Nav,
        case_id: i64,
        case_title: String,
        versions: &[Summary],
        form: EditState<StartInput>,
    ) -> Self {
        StartPage {
            nav,
            title: if versions.is_empty() {
                "アセスメントを始める".into()
            } else {
                "再アセスメントを始める".into()
            },
            case_id,
            case_title: if case_title.is_empty() {
                "ケース".into()
            } else {
                case_title
            },
            previous: versions.first().map(version_label).unwrap_or_default(),
            methods: opts(
                AssessmentMethod::ALL,
                |k| k.code(),
                |k| k.label(),
                &form.input.method,
            ),
            form,
        }
    }
}

/// (group, [(item, level, note)]) for the sheet's 能力.
pub type AbilityGroup = (&'static str, Vec<(&'static str, &'static str, String)>);

#[derive(Template)]
#[template(path = "assessment_sheet.html")]
pub struct SheetPage {
    pub nav: Nav,
    pub id: i64,
    pub case_id: i64,
    pub version_no: i32,
    pub latest: bool,
    pub can_edit: bool,
    pub client_name: String,
    pub title: String,
    pub assessed: String,
    pub method: &'static str,
    pub present: String,
    pub message: &'static str,
    pub versions: Vec<(i64, String, bool)>,
    pub basic: Vec<(&'static str, String)>,
    pub wish_person: String,
    pub wish_family: String,
    /// A child's assessment (障害児相談支援): the wishes side by side, growth and family support.
    pub child: bool,
    /// How the child's own wishes were heard.
    pub expression: String,
    pub growth: Vec<(&'static str, String)>,
    pub family_support: Vec<(&'static str, String)>,
    pub appearance: String,
    pub living: String,
    pub genogram: Arc<str>,
    pub ecomap: Arc<str>,
    /// Ties that are entries of the office's directory: (resource id, name on the map).
    pub eco_links: Vec<(i64, String)>,
    pub timeline: Arc<str>,
    pub day: Arc<str>,
    pub week: Arc<str>,
    pub abilities: Vec<AbilityGroup>,
    pub hobbies: String,
    pub special_skills: String,
    pub prescriptions: Vec<(String, String, String)>,
    pub clinics: Vec<(String, String, String)>,
    pub medical_note: String,
    pub strengths: Vec<(&'static str, String)>,
    pub demands: Vec<(&'static str, String)>,
    pub needs: Vec<(String, String, String, String)>,
    pub judgement: String,
}

/// The message of the sheet reached after a save (`?saved=…`).
pub fn sheet_message(saved: &str) -> &'static str {
    match saved {
        "started" => "アセスメントを始めました。「編集する」から項目ごとに入力できます。",
        "saved" => "保存しました。",
        _ => "",
    }
}

fn abilities(r: &AssessmentRecord) -> Vec<AbilityGroup> {
    let mut groups: Vec<AbilityGroup> = Vec::new();
    for item in AbilityItem::ALL {
        if let Some(x) = r.ability(*item) {
            let row = (
                item.label(),
                x.level.map(|l| l.label()).unwrap_or("—"),
                x.note.clone(),
            );
            match groups.iter_mut().find(|(g, _)| *g == item.group()) {
                Some((_, v)) => v.push(row),
                None => groups.push((item.group(), vec![row])),
            }
        }
    }
    groups
}

fn child_rows(
    fields: &[(&'static str, &'static str)],
    c: &ChildLife,
) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .map(|(n, l)| (*l, c.get(n).to_string()))
        .collect()
}

fn basic(r: &AssessmentRecord) -> Vec<(&'static str, String)> {
    let b = &r.basic;
    vec![
        ("氏名", format!("{}（{}）", b.name, b.kana)),
        (
            "生年月日",
            b.birth_date
                .map(|d| {
                    format!(
                        "{}（{}歳）",
                        date(d),
                        yorisoi_domain::date::age_on(d, r.assessed_on)
                    )
                })
                .unwrap_or_default(),
        ),
        ("性別", b.sex.clone()),
        ("住所", b.address.clone()),
        ("障害", b.disabilities.clone()),
        ("診断名", b.diagnosis.clone()),
        ("障害支援区分", b.support_category.clone()),
        ("手帳", b.books.clone()),
        ("収入", b.income.clone()),
        ("後見・保護者", b.guardian.clone()),
        ("キーパーソン", b.key_person.clone()),
        ("主治医", b.doctor.clone()),
    ]
}

impl SheetPage {
    pub fn new(
        nav: Nav,
        a: &Assessment,
        versions: &[Summary],
        can_edit: bool,
        message: &'static str,
        drawings: &DrawingCache,
    ) -> Self {
        let r = &a.record;
        SheetPage {
            nav,
            id: a.id,
            case_id: a.case_id,
            version_no: a.version_no,
            latest: a.latest,
            can_edit,
            client_name: r.basic.name.clone(),
            title: r.title.clone(),
            assessed: date(r.assessed_on),
            method: r.method.label(),
            present: r.present.clone(),
            message,
            versions: versions
                .iter()
                .map(|s| (s.id, version_label(s), s.id == a.id))
                .collect(),
            basic: basic(r),
            wish_person: r.wish_person.clone(),
            wish_family: r.family_wishes_text(),
            child: r.is_child(),
            expression: r.child.expression.clone(),
            growth: child_rows(&CHILD_GROWTH, &r.child),
            family_support: child_rows(&CHILD_FAMILY, &r.child),
            appearance: r.appearance.clone(),
            living: r.living.clone(),
            genogram: drawings.get(a, "genogram"),
            ecomap: drawings.get(a, "ecomap"),
            eco_links: r
                .ecomap
                .iter()
                .filter_map(|t| t.resource_id.map(|id| (id, t.name.clone())))
                .collect(),
            timeline: drawings.get(a, "timeline"),
            day: drawings.get(a, "day"),
            week: drawings.get(a, "week"),
            abilities: abilities(r),
            hobbies: r.hobbies.clone(),
            special_skills: r.special_skills.clone(),
            prescriptions: r
                .prescriptions
                .iter()
                .map(|p| (p.drug.clone(), p.dose.clone(), p.timing.clone()))
                .collect(),
            clinics: r
                .clinics
                .iter()
                .map(|c| (c.name.clone(), c.department.clone(), c.frequency.clone()))
                .collect(),
            medical_note: r.medical_note.clone(),
            strengths: StrengthKind::ALL
                .iter()
                .map(|k| (k.label(), r.strength(*k).to_string()))
                .collect(),
            demands: r
                .demands
                .iter()
                .map(|d| (d.speaker.label(), yorisoi_domain::text::quoted(&d.words)))
                .collect(),
            needs: r
                .needs
                .iter()
                .map(|n| {
                    (
                        n.text.clone(),
                        n.source.map(|s| r.source_label(s)).unwrap_or_default(),
                        n.grounds.clone(),
                        n.reframing.clone(),
                    )
                })
                .collect(),
            judgement: r.judgement.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "assessment_diff.html")]
pub struct DiffPage {
    pub nav: Nav,
    pub id: i64,
    pub version_no: i32,
    pub client_name: String,
    pub others: Vec<(String, String, bool)>,
    pub older_label: String,
    pub newer_label: String,
    pub changes: Vec<SectionDiff>,
}

impl DiffPage {
    /// `a` compared with `with` (either may be the older); `others` are the case's other
    /// versions to choose from.
    pub fn new(nav: Nav, a: &Assessment, others: &[&Summary], with: Option<&Assessment>) -> Self {
        let mut page = DiffPage {
            nav,
            id: a.id,
            version_no: a.version_no,
            client_name: a.record.basic.name.clone(),
            others: others
                .iter()
                .map(|s| {
                    (
                        s.id.to_string(),
                        version_label(s),
                        with.is_some_and(|w| w.id == s.id),
                    )
                })
                .collect(),
            older_label: String::new(),
            newer_label: String::new(),
            changes: Vec::new(),
        };
        if let Some(b) = with {
            let (old, new) = if b.version_no < a.version_no {
                (b, a)
            } else {
                (a, b)
            };
            let label =
                |x: &Assessment| format!("第{}版（{}）", x.version_no, date(x.record.assessed_on));
            page.older_label = label(old);
            page.newer_label = label(new);
            page.changes = yorisoi_domain::assessment::diff(&old.record, &new.record);
        }
        page
    }
}

/// A section's fields and grids.
pub type Built = (Vec<FieldView>, Vec<GridView>);

/// The section editor page of `section` for `form`.
pub fn section_page(
    nav: Nav,
    a: &Assessment,
    section: &str,
    form: &EditState<AssessmentInput>,
    resources: &[ResourceOption],
) -> SectionPage {
    let child = a.record.is_child();
    let doc = SectionDoc {
        doc: "アセスメント",
        base: format!("/assessments/{}", a.id),
        back_label: "シート",
        version_no: a.version_no,
        client_name: a.record.basic.name.clone(),
        sections: sections_for(child),
    };
    let built = section_view(section, &form.input, child, resources, &form.errors);
    let mut page = SectionPage::new(nav, doc, section, form, built);
    if form.conflict {
        let latest = AssessmentInput::from_record(&a.record);
        let latest = section_view(section, &latest, child, resources, &FieldErrors::new());
        page.changes = crate::kit::section::differences(&latest, (&page.fields, &page.grids));
    }
    page.context = context(section, &a.record);
    page.drawings = drawings(section, &a.record);
    page
}

/// Context shown above a section: what the specialist should have in mind while writing it.
fn context(section: &str, r: &AssessmentRecord) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if matches!(section, "strengths" | "needs") && !r.wish_person.is_empty() {
        v.push((
            "本人の希望".into(),
            yorisoi_domain::text::quoted(&r.wish_person),
        ));
    }
    if section == "needs" {
        let s: Vec<String> = r
            .strengths
            .iter()
            .map(|s| format!("{}: {}", s.kind.label(), s.text))
            .collect();
        v.push((
            "ストレングス".into(),
            if s.is_empty() {
                "まだ書かれていません。先にストレングスを書きましょう。".into()
            } else {
                s.join(" ／ ")
            },
        ));
    }
    v
}

/// The drawings a section feeds, as they are now.
fn drawings(section: &str, r: &AssessmentRecord) -> Vec<String> {
    let kinds: &[&str] = match section {
        "family" => &["genogram"],
        "ecomap" => &["ecomap"],
        "history" => &["timeline"],
        "daily" => &["day", "week"],
        _ => &[],
    };
    kinds.iter().map(|k| drawn(k, r)).collect()
}

/// The fields and grids of `section`, from the current values.
pub fn section_view(
    section: &str,
    i: &AssessmentInput,
    child: bool,
    resources: &[ResourceOption],
    e: &FieldErrors,
) -> Built {
    match section {
        "overview" => overview(i, e),
        "wishes" => wishes(i, child, e),
        "growth" => child_section(i, &CHILD_GROWTH, e),
        "family_support" => child_section(i, &CHILD_FAMILY, e),
        "strengths" => strengths(i, e),
        "needs" => needs(i, e),
        "family" => family(i, e),
        "ecomap" => ecomap(i, resources, e),
        "history" => history(i, e),
        "daily" => daily(i, e),
        "abilities" => abilities_view(i, child, e),
        "medical" => medical(i, e),
        _ => (Vec::new(), Vec::new()),
    }
}

fn overview(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let mut m = field("method", "方法", "", "select", "", e);
    m.options = choices(
        AssessmentMethod::ALL,
        |x| x.code(),
        |x| x.label(),
        &i.method,
        None,
    );
    let fields = vec![
        field("assessed_on", "実施日", &i.assessed_on, "date", "", e),
        m,
        field(
            "present",
            "同席者",
            &i.present,
            "text",
            "例: 本人、母、B型事業所サービス管理責任者",
            e,
        ),
        field(
            "title",
            "ケースの呼び名",
            &i.title,
            "text",
            "覚えておくための短いタイトル（例: 働きたいAさん）",
            e,
        ),
        field(
            "appearance",
            "本人の様子・雰囲気",
            &i.appearance,
            "area",
            "表情、話し方、身だしなみ、その日の調子",
            e,
        ),
        field(
            "living",
            "住環境",
            &i.living,
            "area",
            "住まいの種類、間取り、周りの環境、交通",
            e,
        ),
        field(
            "judgement",
            "担当者としての判断",
            &i.judgement,
            "area",
            "アセスメントから見立てたこと",
            e,
        ),
    ];
    (fields, Vec::new())
}

fn wishes(i: &AssessmentInput, child: bool, e: &FieldErrors) -> Built {
    let mut w = if child {
        field(
            "wish_person",
            "本人の思い（ことば・表情・しぐさのまま）",
            &i.wish_person,
            "area",
            "ことばでなくても、本人が示したことをそのまま書きます。例: 「ブランコ、もっと」と指さした",
            e,
        )
    } else {
        field(
            "wish_person",
            "本人の希望（本人の言葉のまま）",
            &i.wish_person,
            "area",
            "言い換えず、話された言葉で書きます。例: 「A型で働きたい」",
            e,
        )
    };
    w.words = true;
    let mut fields = vec![w];
    if child {
        fields.push(field(
            "child.expression",
            EXPRESSION_LABEL,
            &i.child.expression,
            "area",
            "例: 園での遊びの様子を保育士と一緒に見て、好きな活動を選ぶときの表情から受け止めた",
            e,
        ));
    }
    // Words written before speakers were recorded stay editable until moved into the rows.
    if !i.wish_family.trim().is_empty() || e.get("wish_family").is_some() {
        fields.push(field(
            "wish_family",
            "家族の希望（話した人の記録がないもの）",
            &i.wish_family,
            "area",
            "誰の言葉かがわかるときは、下の表に1人1行で移して、ここを空にします。",
            e,
        ));
    }
    let label = if child {
        "保護者・家族の願い"
    } else {
        "家族の希望"
    };
    let grid = crate::kit::family_wishes::view(&i.family_wishes, label, e);
    (fields, vec![grid])
}

/// A child's section: one long text per field (`child.<name>`).
fn child_section(i: &AssessmentInput, fields: &[(&str, &str)], e: &FieldErrors) -> Built {
    let fields = fields
        .iter()
        .map(|(n, l)| {
            field(
                &format!("child.{n}"),
                l,
                i.child.get(n),
                "area",
                child_hint(n),
                e,
            )
        })
        .collect();
    (fields, Vec::new())
}

/// What to look at for each of a child's fields (児童支援の方法・志向).
fn child_hint(name: &str) -> &'static str {
    match name {
        "development" => "年齢に比べてできること・ゆっくりなこと、伸びてきたこと",
        "play" => "好きな遊び、ひとり遊びか一緒に遊ぶか、夢中になれること",
        "rhythm" => "起床・就寝、食事、午睡、排せつ、一日の流れで大切にしていること",
        "group_life" => "通っている園・学校・事業所、そこでの様子と先生から聞いたこと",
        "siblings" => "きょうだいの年齢と様子、きょうだいへの配慮",
        "parents_worries" => "保護者が話した不安や悩み（言葉のまま）",
        "parents_rest" => "保護者が休めているか、相談できる人、レスパイトの利用",
        _ => "",
    }
}

/// The seed's examples for each kind of strength (ケアマネジメント過程: 課題解決の糸口を探す).
fn strength_hint(k: StrengthKind) -> &'static str {
    match k {
        StrengthKind::Inherent => "例: やさしい、人懐っこい",
        StrengthKind::Healthy => "例: 体力がある、お腹が丈夫",
        StrengthKind::GoodAt => "例: 運動、歌、パソコン",
        StrengthKind::Potential => "例: 働ける、グループのリーダーになれる",
        StrengthKind::AcquiredSkill => "例: 自転車に乗れる、簡単な料理ができる",
        StrengthKind::Interest => "例: ある歌手が好き、旅行が好き",
        StrengthKind::Communication => "例: 誰とでも仲良くなれる、礼儀正しい、挨拶ができる",
        StrengthKind::Environment => {
            "例: 話を聞いてくれる隣人がいる、バス停の近くに住んでいる、市役所の保健師さんが親切、友人が近くにいる、郵便局が近い"
        }
    }
}

fn strengths(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let fields = StrengthKind::ALL
        .iter()
        .map(|k| {
            let idx = i.strengths.iter().position(|s| s.kind == k.code());
            let v = idx.map(|n| i.strengths[n].text.as_str()).unwrap_or("");
            let mut f = field(
                &Strengths::name(*k),
                k.label(),
                v,
                "area",
                strength_hint(*k),
                e,
            );
            f.rows = 2;
            if let Some(idx) = idx {
                f.error = row_error(e, "strengths", idx);
            }
            f
        })
        .collect();
    (fields, Vec::new())
}

fn needs(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.demands, 3, |d| d.words.trim().is_empty())
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
    let demands = grid(
        "デマンド（要望）",
        "本人・家族が話した言葉のまま書きます。",
        &["誰の", "言葉"],
        "demands",
        rows,
        e,
    )
    .growing();
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
    let rows = padded(&i.needs, 3, |n| {
        yorisoi_domain::text::all_blank([&n.text, &n.grounds, &n.reframing])
    })
    .iter()
    .map(|n| {
        let mut opts = vec![(String::new(), "（選ぶ）".to_string(), n.source.is_empty())];
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
    let mut needs = grid(
        "ニーズ",
        "要望の奥にある本当のニーズを、根拠とともに書きます。新しく加えた要望は保存後に選べます。",
        &[
            "ニーズ",
            "どこから",
            "根拠（アセスメントのどこから）",
            "リフレーミング",
        ],
        "needs",
        rows,
        e,
    )
    .growing();
    // Four long texts side by side leave a tablet a few characters per line: one card a need.
    needs.stacked = true;
    (Vec::new(), vec![demands, needs])
}

/// Blank rows each grid offers (enough to write a whole family, history or day in one save
/// without JavaScript; with it, 「行を追加」 adds more).
pub const BLANK_PEOPLE: usize = 6;
pub const BLANK_LINKS: usize = 8;
pub const BLANK_TIES: usize = 5;
pub const BLANK_EVENTS: usize = 8;
pub const BLANK_DAY: usize = 8;

/// The family rows as shown: those typed, then blank ones, each blank one carrying a fresh key
/// (above every key in the form) so that the lines can name a person before the first save.
/// A blank row that a line points to stays (the refusal names it, and its choice is kept).
pub fn keyed_family(family: &[MemberInput], links: &[LinkInput]) -> Vec<MemberInput> {
    let blank = |m: &MemberInput| {
        yorisoi_domain::text::all_blank([&m.relation, &m.name, &m.birth_year, &m.age, &m.note])
            && !links
                .iter()
                .any(|l| !m.key.trim().is_empty() && (l.from == m.key || l.to == m.key))
    };
    let typed = family.iter().rposition(|m| !blank(m)).map_or(0, |x| x + 1);
    let mut rows = padded(family, BLANK_PEOPLE, blank);
    let mut next = family
        .iter()
        .filter_map(|m| m.key.trim().parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    for m in rows.iter_mut().skip(typed) {
        next += 1;
        m.key = next.to_string();
    }
    rows
}

/// How a family row is offered on a line: 「母（花子）」, or 「4行目の人（新しく入力）」 for a
/// row not written yet.
fn person_label(row: usize, m: &MemberInput) -> String {
    match (m.relation.trim(), m.name.trim()) {
        ("", "") => format!("{}行目の人（新しく入力）", row + 1),
        (r, "") => r.to_string(),
        ("", n) => n.to_string(),
        (r, n) => format!("{r}（{n}）"),
    }
}

fn family(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let family = keyed_family(&i.family, &i.family_links);
    let rows = family
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
    let mut people_grid = grid(
        "家族の人",
        "本人も1行に入れ「本人」を「はい」にします。生年は西暦でも和暦でも（1948、昭和23）。行を空にすると削除します。",
        &[
            "続柄",
            "名前",
            "性別",
            "生年",
            "年齢",
            "死亡",
            "同居",
            "本人",
            "メモ（例: 要介護3 施設入所）",
        ],
        "family",
        rows,
        e,
    );
    people_grid.grows = true;
    let people: Vec<(String, String)> = family
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.key.is_empty())
        .map(|(row, m)| (m.key.clone(), person_label(row, m)))
        .collect();
    let person_opts = |cur: &str| {
        let mut v = vec![(String::new(), "（選ぶ）".to_string(), cur.is_empty())];
        v.extend(people.iter().map(|(k, l)| (k.clone(), l.clone(), k == cur)));
        v
    };
    let rows = padded(&i.family_links, BLANK_LINKS, |l| {
        yorisoi_domain::text::all_blank([&l.from, &l.to])
    })
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
    let mut links = grid(
        "つながり",
        "親子は「親」→「子」の順に選びます。上の表に新しく書いた人も、保存する前から「○行目の人」として選べます（同じ保存で人とつながりを一度に登録できます）。",
        &["関係", "親／一方", "子／もう一方"],
        "family_links",
        rows,
        e,
    );
    links.grows = true;
    (Vec::new(), vec![people_grid, links])
}

fn ecomap(i: &AssessmentInput, resources: &[ResourceOption], e: &FieldErrors) -> Built {
    let rows = padded(&i.ecomap, BLANK_TIES, |t| {
        yorisoi_domain::text::all_blank([&t.name, &t.note, &t.resource_id])
    })
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
    let mut g = grid(
        "つながり",
        "人・サービス・機関・地域の資源。強い＝太線、普通＝実線、弱い＝点線、ストレス＝ギザギザ線。社会資源の一覧から選ぶと、名前と種類が空なら一覧から入ります。",
        &[
            "名前",
            "種類",
            "関係",
            "支援の向き",
            "メモ",
            "社会資源の一覧",
        ],
        "ecomap",
        rows,
        e,
    );
    g.grows = true;
    (Vec::new(), vec![g])
}

fn history(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.history, BLANK_EVENTS, |h| {
        yorisoi_domain::text::all_blank([&h.year, &h.month, &h.event])
    })
    .iter()
    .map(|h| {
        vec![
            cell("event_year", &h.year, "text", "年"),
            cell("event_month", &h.month, "text", "月"),
            cell("event_event", &h.event, "text", "出来事"),
        ]
    })
    .collect();
    let mut g = grid(
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
    );
    g.grows = true;
    (Vec::new(), vec![g])
}

fn daily(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.day, BLANK_DAY, |d| {
        yorisoi_domain::text::all_blank([&d.time, &d.activity])
    })
    .iter()
    .map(|d| {
        vec![
            cell("day_time", &d.time, "text", "時刻"),
            cell("day_activity", &d.activity, "text", "すること"),
        ]
    })
    .collect();
    let mut day = grid(
        "日課（1日）",
        "時刻は「7:30」「7時半」など。次の行の時刻まで続くものとして描きます。",
        &[
            "時刻",
            "すること（起床、朝食、日中活動、昼食、買物、夕食、TV、就寝 …）",
        ],
        "day",
        rows,
        e,
    );
    day.grows = true;
    let mut week = grid(
        "生活サイクル（1週間）",
        "",
        &WEEKDAYS,
        "week",
        Vec::new(),
        e,
    );
    for (s, slot) in WeekSlot::ALL.iter().enumerate() {
        week.rows.push(RowView {
            id: format!("week-{s}"),
            label: slot.label().into(),
            cells: (0..WEEKDAYS.len())
                .map(|d| {
                    let v = i
                        .week
                        .get(d)
                        .and_then(|x| x.get(s))
                        .cloned()
                        .unwrap_or_default();
                    cell(
                        Daily::WEEK_CELL,
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
    (Vec::new(), vec![day, week])
}

fn abilities_view(i: &AssessmentInput, child: bool, e: &FieldErrors) -> Built {
    let mut g = grid(
        if child {
            "生活・発達"
        } else {
            "ADL・対人・仕事"
        },
        "自立・見守り・一部支援・全面支援から選び、様子をメモに。",
        &["程度", "メモ"],
        "abilities",
        Vec::new(),
        e,
    );
    // The items asked of a child or an adult, and any item already recorded (an assessment that
    // crossed 18 keeps what it held).
    let items = AbilityItem::ALL.iter().filter(|item| {
        AbilityItem::asked(child).contains(item)
            || i.abilities.iter().any(|a| a.item == item.code())
    });
    for item in items {
        let pos = i.abilities.iter().position(|a| a.item == item.code());
        let (level, note) = pos
            .map(|p| (i.abilities[p].level.as_str(), i.abilities[p].note.as_str()))
            .unwrap_or(("", ""));
        g.rows.push(RowView {
            id: String::new(),
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
    let fields = vec![
        field("hobbies", "趣味", &i.hobbies, "text", "", e),
        field("special_skills", "特技", &i.special_skills, "text", "", e),
    ];
    (fields, vec![g])
}

fn medical(i: &AssessmentInput, e: &FieldErrors) -> Built {
    let rows = padded(&i.prescriptions, 3, |p| {
        yorisoi_domain::text::all_blank([&p.drug, &p.dose, &p.timing])
    })
    .iter()
    .map(|p| {
        vec![
            cell("rx_drug", &p.drug, "text", "薬"),
            cell("rx_dose", &p.dose, "text", "量"),
            cell("rx_timing", &p.timing, "text", "飲む時"),
        ]
    })
    .collect();
    let rx = grid(
        "処方内容",
        "",
        &["薬", "量", "飲む時"],
        "prescriptions",
        rows,
        e,
    )
    .growing();
    let rows = padded(&i.clinics, 2, |c| {
        yorisoi_domain::text::all_blank([&c.name, &c.department, &c.frequency])
    })
    .iter()
    .map(|c| {
        vec![
            cell("clinic_name", &c.name, "text", "医療機関"),
            cell("clinic_department", &c.department, "text", "科"),
            cell("clinic_frequency", &c.frequency, "text", "頻度"),
        ]
    })
    .collect();
    let clinics = grid(
        "通院先",
        "",
        &["医療機関", "科", "頻度"],
        "clinics",
        rows,
        e,
    )
    .growing();
    let fields = vec![field(
        "medical_note",
        "医療についてのメモ",
        &i.medical_note,
        "area",
        "",
        e,
    )];
    (fields, vec![rx, clinics])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_a_view() {
        let i = AssessmentInput::default();
        for child in [false, true] {
            for (code, _) in sections_for(child) {
                let (f, g) = section_view(code, &i, child, &[], &FieldErrors::new());
                assert!(!f.is_empty() || !g.is_empty(), "{code}");
            }
        }
        let (_, g) = section_view("abilities", &i, false, &[], &FieldErrors::new());
        assert_eq!(g[0].rows.len(), AbilityItem::asked(false).len());
        let (_, g) = section_view("abilities", &i, true, &[], &FieldErrors::new());
        assert_eq!(g[0].rows.len(), AbilityItem::asked(true).len());
        assert!(g[0].rows.iter().any(|r| r.label.contains("遊び")));
    }

    #[test]
    fn a_child_is_asked_for_the_childs_own_expression_and_growth() {
        let i = AssessmentInput::default();
        let (f, g) = section_view("wishes", &i, true, &[], &FieldErrors::new());
        assert!(f.iter().any(|f| f.name == "child.expression"));
        assert!(f[0].label.contains("本人の思い"));
        assert!(g[0].title.contains("保護者"));
        let (f, _) = section_view("wishes", &i, false, &[], &FieldErrors::new());
        assert!(!f.iter().any(|f| f.name == "child.expression"));
        let mut e = FieldErrors::new();
        e.add("child.play", "長すぎます");
        let (f, _) = section_view("growth", &i, true, &[], &e);
        let play = f.iter().find(|f| f.name == "child.play");
        assert_eq!(play.map(|f| f.error.as_str()), Some("長すぎます"));
        // An adult's abilities keep an item recorded at a child's assessment.
        let mut i = AssessmentInput::default();
        i.abilities.push(AbilityInput {
            item: "play".into(),
            level: "watch".into(),
            note: String::new(),
        });
        let (_, g) = section_view("abilities", &i, false, &[], &FieldErrors::new());
        assert_eq!(g[0].rows.len(), AbilityItem::asked(false).len() + 1);
    }

    #[test]
    fn row_errors_land_on_their_row() {
        let mut e = FieldErrors::new();
        e.add("family[1].birth_year", "年は…");
        let i = AssessmentInput {
            family: vec![MemberInput::default(), MemberInput::default()],
            ..Default::default()
        };
        let (_, g) = section_view("family", &i, false, &[], &e);
        assert_eq!(g[0].rows[0].error, "");
        assert_eq!(g[0].rows[1].error, "年は…");
    }

    #[test]
    fn a_linked_tie_shows_its_directory_entry() {
        let dir = vec![ResourceOption {
            id: "7".into(),
            name: "ひかり作業所".into(),
            label: "ひかり作業所（就労継続支援B型）".into(),
            category: yorisoi_domain::plan::ServiceCategory::Welfare,
        }];
        let i = AssessmentInput {
            ecomap: vec![TieInput {
                resource_id: "7".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let (_, g) = section_view("ecomap", &i, false, &dir, &FieldErrors::new());
        let sel = g[0].rows[0]
            .cells
            .iter()
            .find(|c| c.name == "tie_resource_id")
            .unwrap();
        assert!(sel.options.iter().any(|(v, _, on)| v == "7" && *on));
    }
}
