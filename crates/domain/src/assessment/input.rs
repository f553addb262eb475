//! What a user (or an API client) sends for an assessment: every value as typed, validated once
//! into an [`AssessmentRecord`]. Row errors are keyed `section[i].field` so that a form can show
//! them beside the row.

use super::*;
use crate::client::{optional_date, optional_id, required_code, required_date};
use crate::date::parse_year;
use crate::errors::FieldErrors;
use crate::text;
use chrono::Datelike;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AbilityInput {
    pub item: String,
    pub level: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PrescriptionInput {
    pub drug: String,
    pub dose: String,
    pub timing: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ClinicInput {
    pub name: String,
    pub department: String,
    pub frequency: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MemberInput {
    /// Empty for a new person; a key is given on save.
    pub key: String,
    pub relation: String,
    pub name: String,
    pub sex: String,
    pub birth_year: String,
    pub age: String,
    /// "yes" / "no" (also "true", "1").
    pub deceased: String,
    pub cohabiting: String,
    pub is_client: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkInput {
    pub kind: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TieInput {
    pub name: String,
    pub kind: String,
    pub tie: String,
    pub direction: String,
    pub note: String,
    /// Id of the office's resource, or blank.
    pub resource_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EventInput {
    pub year: String,
    pub month: String,
    pub event: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DayInput {
    pub time: String,
    pub activity: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StrengthInput {
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DemandInput {
    pub key: String,
    pub speaker: String,
    pub words: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedInput {
    pub key: String,
    pub text: String,
    /// "wish_person", "wish_family", "demand-3" or empty.
    pub source: String,
    pub grounds: String,
    pub reframing: String,
}

/// The whole assessment as typed. The ledger snapshot is not typed: it comes from the ledger.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessmentInput {
    /// 実施日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub assessed_on: String,
    pub method: String,
    pub present: String,
    pub title: String,
    pub appearance: String,
    pub living: String,
    pub wish_person: String,
    /// 家族の希望 without a speaker (older records); new words go to `family_wishes`.
    pub wish_family: String,
    /// 家族の希望, one row per person: 続柄, the name as on their consent, their words.
    pub family_wishes: Vec<FamilyWish>,
    pub abilities: Vec<AbilityInput>,
    pub hobbies: String,
    pub special_skills: String,
    pub prescriptions: Vec<PrescriptionInput>,
    pub clinics: Vec<ClinicInput>,
    pub medical_note: String,
    pub family: Vec<MemberInput>,
    pub family_links: Vec<LinkInput>,
    pub ecomap: Vec<TieInput>,
    pub history: Vec<EventInput>,
    pub day: Vec<DayInput>,
    /// Seven days (月〜日) of three slots (午前・午後・夜間).
    pub week: Vec<Vec<String>>,
    pub strengths: Vec<StrengthInput>,
    pub demands: Vec<DemandInput>,
    pub needs: Vec<NeedInput>,
    pub judgement: String,
    /// A child's growth, group life and family (障害児相談支援); empty for an adult.
    pub child: ChildLife,
}

const LONG: usize = 4000;
const LINE: usize = 200;

fn yn(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// Blank rows a form may send beyond `max` filled ones (forms offer many empty rows to fill).
const BLANK_ROWS: usize = 200;

/// Too many rows: more than `max` filled (`filled`), or more than `max` + [`BLANK_ROWS`] sent in
/// all (`sent`).
fn too_many_rows(e: &mut FieldErrors, field: &str, filled: usize, sent: usize, max: usize) -> bool {
    if sent > max + BLANK_ROWS {
        too_many(e, field, sent, max + BLANK_ROWS)
    } else {
        too_many(e, field, filled, max)
    }
}

fn too_many(e: &mut FieldErrors, field: &str, n: usize, max: usize) -> bool {
    if n > max {
        e.add(field, format!("{max}行までです（{n}行あります）。"));
        true
    } else {
        false
    }
}

/// "7:30", "７時半", "7時30分", "0730" → a time of day.
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    let s = text::nfkc(raw)
        .replace("時半", ":30")
        .replace('時', ":")
        .replace('分', "");
    let s = s.trim_end_matches(':');
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None if s.len() == 4 => (&s[..2], &s[2..]),
        None => (s, "0"),
    };
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Gives each row a key: its own if it has a valid unused one, else the next free number.
fn assign_keys(
    e: &mut FieldErrors,
    section: &str,
    raw: &[(usize, &str)],
) -> Vec<(usize, Option<u32>)> {
    let mut used = BTreeSet::new();
    let mut parsed = Vec::new();
    for (i, k) in raw {
        let k = k.trim();
        if k.is_empty() {
            parsed.push((*i, None));
        } else {
            match k.parse::<u32>() {
                Ok(n) if n > 0 && used.insert(n) => parsed.push((*i, Some(n))),
                _ => {
                    e.add(
                        &format!("{section}[{i}].key"),
                        "番号が重複しているか正しくありません。",
                    );
                    parsed.push((*i, None));
                }
            }
        }
    }
    let mut next = used.iter().max().copied().unwrap_or(0);
    parsed
        .into_iter()
        .map(|(i, k)| {
            (
                i,
                Some(k.unwrap_or_else(|| {
                    next += 1;
                    next
                })),
            )
        })
        .collect()
}

impl AssessmentInput {
    /// Validates everything; `basic` is the ledger snapshot kept with the record.
    pub fn validate(
        &self,
        today: NaiveDate,
        basic: BasicInfo,
    ) -> Result<AssessmentRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let assessed_on = required_date(&mut e, "assessed_on", &self.assessed_on);
        if assessed_on.is_some_and(|d| d > today) {
            e.add("assessed_on", "実施日が未来になっています。");
        }
        let method = required_code(&mut e, "method", &self.method, AssessmentMethod::from_code);
        let mut r = AssessmentRecord::new(
            assessed_on.unwrap_or(today),
            method.unwrap_or(AssessmentMethod::HomeVisit),
            text::optional_line(&mut e, "present", &self.present, LINE),
            basic,
        );
        r.title = text::optional_line(&mut e, "title", &self.title, 60);
        for (field, slot) in [
            ("appearance", &self.appearance),
            ("living", &self.living),
            ("wish_person", &self.wish_person),
            ("wish_family", &self.wish_family),
            ("hobbies", &self.hobbies),
            ("special_skills", &self.special_skills),
            ("medical_note", &self.medical_note),
            ("judgement", &self.judgement),
        ] {
            let v = text::optional_text(&mut e, field, slot, LONG);
            match field {
                "appearance" => r.appearance = v,
                "living" => r.living = v,
                "wish_person" => r.wish_person = v,
                "wish_family" => r.wish_family = v,
                "hobbies" => r.hobbies = v,
                "special_skills" => r.special_skills = v,
                "medical_note" => r.medical_note = v,
                _ => r.judgement = v,
            }
        }
        r.family_wishes = validate_family_wishes(&mut e, "family_wishes", &self.family_wishes);
        self.abilities_into(&mut e, &mut r);
        self.medical_into(&mut e, &mut r);
        self.family_into(&mut e, &mut r);
        self.ecomap_into(&mut e, &mut r);
        self.history_into(&mut e, &mut r);
        self.daily_into(&mut e, &mut r);
        self.strengths_into(&mut e, &mut r);
        self.needs_into(&mut e, &mut r);
        r.child = self.child.validated(&mut e, LONG);
        e.into_result(r)
    }

    fn abilities_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        for (i, a) in self.abilities.iter().enumerate() {
            if text::all_blank([&a.level, &a.note]) {
                continue;
            }
            let f = |x: &str| format!("abilities[{i}].{x}");
            let Some(item) = AbilityItem::from_code(a.item.trim()) else {
                e.add(&f("item"), "一覧にない項目です。");
                continue;
            };
            if r.abilities.iter().any(|x| x.item == item) {
                e.add(&f("item"), "同じ項目が2回あります。");
                continue;
            }
            let level = if a.level.trim().is_empty() {
                None
            } else {
                let l = AbilityLevel::from_code(a.level.trim());
                if l.is_none() {
                    e.add(
                        &f("level"),
                        "自立・見守り・一部支援・全面支援のどれかを選んでください。",
                    );
                }
                l
            };
            let note = text::optional_line(e, &f("note"), &a.note, LINE);
            r.abilities.push(Ability { item, level, note });
        }
    }

    fn medical_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        if !too_many(e, "prescriptions", self.prescriptions.len(), 40) {
            for (i, p) in self.prescriptions.iter().enumerate() {
                if text::all_blank([&p.drug, &p.dose, &p.timing]) {
                    continue;
                }
                let f = |x: &str| format!("prescriptions[{i}].{x}");
                r.prescriptions.push(Prescription {
                    drug: text::required_line(e, &f("drug"), &p.drug, 100),
                    dose: text::optional_line(e, &f("dose"), &p.dose, 100),
                    timing: text::optional_line(e, &f("timing"), &p.timing, 100),
                });
            }
        }
        if !too_many(e, "clinics", self.clinics.len(), 20) {
            for (i, c) in self.clinics.iter().enumerate() {
                if text::all_blank([&c.name, &c.department, &c.frequency]) {
                    continue;
                }
                let f = |x: &str| format!("clinics[{i}].{x}");
                r.clinics.push(Clinic {
                    name: text::required_line(e, &f("name"), &c.name, 100),
                    department: text::optional_line(e, &f("department"), &c.department, 100),
                    frequency: text::optional_line(e, &f("frequency"), &c.frequency, 100),
                });
            }
        }
    }

    fn family_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        let people = self
            .family
            .iter()
            .filter(|m| {
                !text::all_blank([&m.relation, &m.name, &m.birth_year, &m.age, &m.note])
                    || text::is_yes(&m.is_client)
            })
            .count();
        let lines = self
            .family_links
            .iter()
            .filter(|l| !text::all_blank([&l.from, &l.to]))
            .count();
        if too_many_rows(e, "family", people, self.family.len(), 40)
            || too_many_rows(e, "family_links", lines, self.family_links.len(), 80)
        {
            return;
        }
        let rows: Vec<(usize, &MemberInput)> = self
            .family
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                !text::all_blank([&m.relation, &m.name, &m.birth_year, &m.age, &m.note])
                    || text::is_yes(&m.is_client)
            })
            .collect();
        let keys = assign_keys(
            e,
            "family",
            &rows
                .iter()
                .map(|(i, m)| (*i, m.key.as_str()))
                .collect::<Vec<_>>(),
        );
        let this_year = r.assessed_on.year();
        for ((i, m), (_, key)) in rows.iter().zip(keys) {
            let f = |x: &str| format!("family[{i}].{x}");
            let relation = text::required_line(e, &f("relation"), &m.relation, 30);
            let sex = required_code(e, &f("sex"), &m.sex, crate::client::Sex::from_code);
            let birth_year = if m.birth_year.trim().is_empty() {
                None
            } else {
                match parse_year(&m.birth_year) {
                    Ok(y) if y > this_year => {
                        e.add(&f("birth_year"), "生年が実施日より後になっています。");
                        None
                    }
                    Ok(y) => Some(y),
                    Err(msg) => {
                        e.add(&f("birth_year"), msg);
                        None
                    }
                }
            };
            let age = if m.age.trim().is_empty() {
                None
            } else {
                match text::nfkc(&m.age).trim_end_matches('歳').parse::<i32>() {
                    Ok(a) if (0..=130).contains(&a) => Some(a),
                    _ => {
                        e.add(&f("age"), "年齢は0〜130の数字で入力してください。");
                        None
                    }
                }
            };
            // Both given: they must tell the same story (the age on the assessment day, or the
            // age at death for someone who has died).
            if let (Some(y), Some(a)) = (birth_year, age) {
                let n = this_year - y;
                let fits = if text::is_yes(&m.deceased) {
                    a <= n
                } else {
                    a == n || a == n - 1
                };
                if !fits {
                    let msg = if text::is_yes(&m.deceased) {
                        format!(
                            "生年（{y}年）と年齢（{a}歳）が合いません。亡くなった年齢は{n}歳以下になります。どちらか一方だけでも構いません。"
                        )
                    } else {
                        format!(
                            "生年（{y}年）と年齢（{a}歳）が合いません。{y}年生まれなら実施日の時点で{}歳か{n}歳です。どちらか一方だけでも構いません。",
                            n - 1
                        )
                    };
                    e.add(&f("age"), msg);
                }
            }
            r.family.push(FamilyMember {
                key: key.unwrap_or(0),
                relation,
                name: text::optional_line(e, &f("name"), &m.name, 60),
                sex: sex.unwrap_or(crate::client::Sex::Other),
                birth_year,
                age,
                deceased: text::is_yes(&m.deceased),
                cohabiting: text::is_yes(&m.cohabiting),
                is_client: text::is_yes(&m.is_client),
                note: text::optional_line(e, &f("note"), &m.note, 100),
            });
        }
        let clients = r.family.iter().filter(|m| m.is_client).count();
        if !r.family.is_empty() && clients != 1 {
            e.add(
                "family",
                "家族の中で本人を1人だけ「本人」にしてください（二重線で描かれます）。",
            );
        }
        let members: BTreeSet<u32> = r.family.iter().map(|m| m.key).collect();
        // Rows left empty that still carry the key the form gave them: (row, key).
        let blank_rows: Vec<(usize, u32)> = self
            .family
            .iter()
            .enumerate()
            .filter(|(i, _)| !rows.iter().any(|(j, _)| j == i))
            .filter_map(|(i, m)| m.key.trim().parse::<u32>().ok().map(|k| (i, k)))
            .filter(|(_, k)| !members.contains(k))
            .collect();
        for (i, l) in self.family_links.iter().enumerate() {
            if text::all_blank([&l.from, &l.to]) {
                continue;
            }
            let f = |x: &str| format!("family_links[{i}].{x}");
            let kind = required_code(e, &f("kind"), &l.kind, FamilyLinkKind::from_code);
            let mut end = |field: &str, raw: &str| match raw.trim().parse::<u32>() {
                Ok(k) if members.contains(&k) => Some(k),
                // A row offered before saving (its key given with the form) and left empty.
                Ok(k) if blank_rows.iter().any(|(_, b)| *b == k) => {
                    let n = blank_rows
                        .iter()
                        .find(|(_, b)| *b == k)
                        .map(|(i, _)| i + 1)
                        .unwrap_or(0);
                    e.add(
                        &f(field),
                        format!(
                            "選んだ人（家族の人の{n}行目）が空のままです。その行に続柄などを入力するか、この線の人を選び直してください。"
                        ),
                    );
                    None
                }
                _ => {
                    e.add(
                        &f(field),
                        "家族にいない人を指しています。人を選び直すか、この線を消してください。",
                    );
                    None
                }
            };
            let (from, to) = (end("from", &l.from), end("to", &l.to));
            if let (Some(kind), Some(from), Some(to)) = (kind, from, to) {
                if from == to {
                    e.add(&f("to"), "同じ人どうしは結べません。");
                } else if r
                    .family_links
                    .iter()
                    .any(|x| x.from == from && x.to == to || x.from == to && x.to == from)
                {
                    e.add(&f("to"), "同じ2人の線が2本あります。");
                } else {
                    r.family_links.push(FamilyLink { kind, from, to });
                }
            }
        }
        for m in &r.family {
            let parents = r
                .family_links
                .iter()
                .filter(|l| l.kind == FamilyLinkKind::ParentChild && l.to == m.key)
                .count();
            if parents > 2 {
                e.add(
                    "family_links",
                    format!("{}の親が3人以上になっています。", m.relation),
                );
            }
        }
    }

    fn ecomap_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        let filled = self
            .ecomap
            .iter()
            .filter(|t| !text::all_blank([&t.name, &t.note, &t.resource_id]))
            .count();
        if too_many_rows(e, "ecomap", filled, self.ecomap.len(), 60) {
            return;
        }
        for (i, t) in self.ecomap.iter().enumerate() {
            if text::all_blank([&t.name, &t.note, &t.resource_id]) {
                continue;
            }
            let f = |x: &str| format!("ecomap[{i}].{x}");
            let resource_id = optional_id(e, &f("resource_id"), &t.resource_id);
            let name = text::required_line(e, &f("name"), &t.name, 40);
            let kind = required_code(e, &f("kind"), &t.kind, ResourceKind::from_code);
            let tie = required_code(e, &f("tie"), &t.tie, TieKind::from_code);
            let direction = if t.direction.trim().is_empty() {
                Some(TieDirection::Unspecified)
            } else {
                required_code(e, &f("direction"), &t.direction, TieDirection::from_code)
            };
            let note = text::optional_line(e, &f("note"), &t.note, 100);
            if let (Some(kind), Some(tie), Some(direction)) = (kind, tie, direction) {
                r.ecomap.push(EcoTie {
                    name,
                    kind,
                    tie,
                    direction,
                    note,
                    resource_id,
                });
            }
        }
    }

    fn history_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        let filled = self
            .history
            .iter()
            .filter(|h| !text::all_blank([&h.year, &h.month, &h.event]))
            .count();
        if too_many_rows(e, "history", filled, self.history.len(), 80) {
            return;
        }
        for (i, h) in self.history.iter().enumerate() {
            if text::all_blank([&h.year, &h.month, &h.event]) {
                continue;
            }
            let f = |x: &str| format!("history[{i}].{x}");
            let year = match parse_year(&h.year) {
                Ok(y) if y > r.assessed_on.year() + 5 => {
                    e.add(
                        &f("year"),
                        "先の年すぎます。予定なら5年以内にしてください。",
                    );
                    None
                }
                Ok(y) => Some(y),
                Err(m) => {
                    e.add(&f("year"), m);
                    None
                }
            };
            if let (Some(y), Some(b)) = (year, r.basic.birth_date)
                && y < b.year()
            {
                e.add(&f("year"), "生まれる前の年になっています。");
            }
            let month = if h.month.trim().is_empty() {
                None
            } else {
                match text::nfkc(&h.month).trim_end_matches('月').parse::<u32>() {
                    Ok(m) if (1..=12).contains(&m) => Some(m),
                    _ => {
                        e.add(&f("month"), "月は1〜12で入力してください。");
                        None
                    }
                }
            };
            let event = text::required_line(e, &f("event"), &h.event, 100);
            if let Some(year) = year {
                r.history.push(LifeEvent { year, month, event });
            }
        }
        r.history.sort_by_key(|h| (h.year, h.month.unwrap_or(0)));
    }

    fn daily_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        let filled = self
            .day
            .iter()
            .filter(|d| !text::all_blank([&d.time, &d.activity]))
            .count();
        if !too_many_rows(e, "day", filled, self.day.len(), 40) {
            for (i, d) in self.day.iter().enumerate() {
                if text::all_blank([&d.time, &d.activity]) {
                    continue;
                }
                let f = |x: &str| format!("day[{i}].{x}");
                let time = parse_time(&d.time);
                if time.is_none() {
                    e.add(&f("time"), "時刻は「7:30」のように入力してください。");
                }
                let activity = text::required_line(e, &f("activity"), &d.activity, 40);
                if let Some(time) = time {
                    r.day.push(DayEntry { time, activity });
                }
            }
            r.day.sort_by_key(|d| d.time);
        }
        if self.week.len() > 7 || self.week.iter().any(|d| d.len() > 3) {
            e.add("week", "週間の表は月〜日×午前・午後・夜間です。");
            return;
        }
        for (d, day) in self.week.iter().enumerate() {
            for (s, cell) in day.iter().enumerate() {
                r.week[d][s] = text::optional_line(e, &format!("week[{d}][{s}]"), cell, 60);
            }
        }
    }

    fn strengths_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        for (i, s) in self.strengths.iter().enumerate() {
            if s.text.trim().is_empty() {
                continue;
            }
            let f = |x: &str| format!("strengths[{i}].{x}");
            let kind = required_code(e, &f("kind"), &s.kind, StrengthKind::from_code);
            let text = text::optional_text(e, &f("text"), &s.text, LONG);
            if let Some(kind) = kind {
                if r.strengths.iter().any(|x| x.kind == kind) {
                    e.add(&f("kind"), "同じ種類が2回あります。");
                } else {
                    r.strengths.push(Strength { kind, text });
                }
            }
        }
        r.strengths
            .sort_by_key(|s| StrengthKind::ALL.iter().position(|k| *k == s.kind));
    }

    fn needs_into(&self, e: &mut FieldErrors, r: &mut AssessmentRecord) {
        if too_many(e, "demands", self.demands.len(), 30)
            || too_many(e, "needs", self.needs.len(), 30)
        {
            return;
        }
        let rows: Vec<(usize, &DemandInput)> = self
            .demands
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.words.trim().is_empty())
            .collect();
        let keys = assign_keys(
            e,
            "demands",
            &rows
                .iter()
                .map(|(i, d)| (*i, d.key.as_str()))
                .collect::<Vec<_>>(),
        );
        for ((i, d), (_, key)) in rows.iter().zip(keys) {
            let f = |x: &str| format!("demands[{i}].{x}");
            let speaker = required_code(e, &f("speaker"), &d.speaker, Speaker::from_code);
            r.demands.push(Demand {
                key: key.unwrap_or(0),
                speaker: speaker.unwrap_or(Speaker::Person),
                words: text::optional_text(e, &f("words"), &d.words, 1000),
            });
        }
        let rows: Vec<(usize, &NeedInput)> = self
            .needs
            .iter()
            .enumerate()
            .filter(|(_, n)| !text::all_blank([&n.text, &n.grounds, &n.reframing]))
            .collect();
        let keys = assign_keys(
            e,
            "needs",
            &rows
                .iter()
                .map(|(i, n)| (*i, n.key.as_str()))
                .collect::<Vec<_>>(),
        );
        for ((i, n), (_, key)) in rows.iter().zip(keys) {
            let f = |x: &str| format!("needs[{i}].{x}");
            let text_ = text::optional_text(e, &f("text"), &n.text, 1000);
            if text_.is_empty() {
                e.add(
                    &f("text"),
                    "ニーズを書いてください（根拠だけでは保存できません）。",
                );
            }
            let source = if n.source.trim().is_empty() {
                None
            } else {
                match NeedSource::from_code(n.source.trim()) {
                    Some(NeedSource::Demand(k)) if !r.demands.iter().any(|d| d.key == k) => {
                        e.add(
                            &f("source"),
                            "その要望は見つかりません。選び直してください。",
                        );
                        None
                    }
                    Some(s) => Some(s),
                    None => {
                        e.add(&f("source"), "一覧から選んでください。");
                        None
                    }
                }
            };
            r.needs.push(Need {
                key: key.unwrap_or(0),
                text: text_,
                source,
                grounds: text::optional_text(e, &f("grounds"), &n.grounds, 2000),
                reframing: text::optional_text(e, &f("reframing"), &n.reframing, 2000),
            });
        }
    }

    /// Needs written with neither where they came from nor their grounds (asked when the needs
    /// section itself is saved, so an older assessment's other sections still save).
    pub fn ungrounded_needs(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        for (i, n) in self.needs.iter().enumerate() {
            if !n.text.trim().is_empty()
                && n.source.trim().is_empty()
                && n.grounds.trim().is_empty()
            {
                e.add(
                    &format!("needs[{i}].grounds"),
                    "このニーズがどこから来たか（本人・家族の希望、要望）を選ぶか、根拠を書いてください。",
                );
            }
        }
        e
    }

    /// The form values for an existing record (the edit screens and the API's GET body).
    pub fn from_record(r: &AssessmentRecord) -> Self {
        let s = |x: &str| x.to_string();
        let o = |x: Option<i32>| x.map(|v| v.to_string()).unwrap_or_default();
        AssessmentInput {
            assessed_on: r.assessed_on.to_string(),
            method: s(r.method.code()),
            present: r.present.clone(),
            title: r.title.clone(),
            appearance: r.appearance.clone(),
            living: r.living.clone(),
            wish_person: r.wish_person.clone(),
            wish_family: r.wish_family.clone(),
            family_wishes: r.family_wishes.clone(),
            abilities: r
                .abilities
                .iter()
                .map(|a| AbilityInput {
                    item: s(a.item.code()),
                    level: a.level.map(|l| s(l.code())).unwrap_or_default(),
                    note: a.note.clone(),
                })
                .collect(),
            hobbies: r.hobbies.clone(),
            special_skills: r.special_skills.clone(),
            prescriptions: r
                .prescriptions
                .iter()
                .map(|p| PrescriptionInput {
                    drug: p.drug.clone(),
                    dose: p.dose.clone(),
                    timing: p.timing.clone(),
                })
                .collect(),
            clinics: r
                .clinics
                .iter()
                .map(|c| ClinicInput {
                    name: c.name.clone(),
                    department: c.department.clone(),
                    frequency: c.frequency.clone(),
                })
                .collect(),
            medical_note: r.medical_note.clone(),
            family: r
                .family
                .iter()
                .map(|m| MemberInput {
                    key: m.key.to_string(),
                    relation: m.relation.clone(),
                    name: m.name.clone(),
                    sex: s(m.sex.code()),
                    birth_year: o(m.birth_year),
                    age: o(m.age),
                    deceased: yn(m.deceased),
                    cohabiting: yn(m.cohabiting),
                    is_client: yn(m.is_client),
                    note: m.note.clone(),
                })
                .collect(),
            family_links: r
                .family_links
                .iter()
                .map(|l| LinkInput {
                    kind: s(l.kind.code()),
                    from: l.from.to_string(),
                    to: l.to.to_string(),
                })
                .collect(),
            ecomap: r
                .ecomap
                .iter()
                .map(|t| TieInput {
                    name: t.name.clone(),
                    kind: s(t.kind.code()),
                    tie: s(t.tie.code()),
                    direction: s(t.direction.code()),
                    note: t.note.clone(),
                    resource_id: t.resource_id.map(|x| x.to_string()).unwrap_or_default(),
                })
                .collect(),
            history: r
                .history
                .iter()
                .map(|h| EventInput {
                    year: h.year.to_string(),
                    month: h.month.map(|m| m.to_string()).unwrap_or_default(),
                    event: h.event.clone(),
                })
                .collect(),
            day: r
                .day
                .iter()
                .map(|d| DayInput {
                    time: d.time.format("%H:%M").to_string(),
                    activity: d.activity.clone(),
                })
                .collect(),
            week: r.week.iter().map(|d| d.to_vec()).collect(),
            strengths: r
                .strengths
                .iter()
                .map(|x| StrengthInput {
                    kind: s(x.kind.code()),
                    text: x.text.clone(),
                })
                .collect(),
            demands: r
                .demands
                .iter()
                .map(|d| DemandInput {
                    key: d.key.to_string(),
                    speaker: s(d.speaker.code()),
                    words: d.words.clone(),
                })
                .collect(),
            needs: r
                .needs
                .iter()
                .map(|n| NeedInput {
                    key: n.key.to_string(),
                    text: n.text.clone(),
                    source: n.source.map(|x| x.code()).unwrap_or_default(),
                    grounds: n.grounds.clone(),
                    reframing: n.reframing.clone(),
                })
                .collect(),
            judgement: r.judgement.clone(),
            child: r.child.clone(),
        }
    }
}

/// The visit's own facts, asked when an assessment (or a re-assessment) starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StartInput {
    /// 実施日, required. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub assessed_on: String,
    pub method: String,
    pub present: String,
}

impl StartInput {
    pub fn validate(
        &self,
        today: NaiveDate,
    ) -> Result<(NaiveDate, AssessmentMethod, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let d = optional_date(&mut e, "assessed_on", &self.assessed_on);
        if self.assessed_on.trim().is_empty() {
            e.add(
                "assessed_on",
                "実施日を入力してください。例: 2026-04-01、令和8年4月1日",
            );
        }
        if d.is_some_and(|d| d > today) {
            e.add("assessed_on", "実施日が未来になっています。");
        }
        let m = required_code(&mut e, "method", &self.method, AssessmentMethod::from_code);
        let p = text::optional_line(&mut e, "present", &self.present, LINE);
        match (d, m) {
            (Some(d), Some(m)) if e.is_empty() => Ok((d, m, p)),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
    }

    fn base() -> AssessmentInput {
        AssessmentInput {
            assessed_on: "R8.4.10".into(),
            method: "home_visit".into(),
            present: "本人、母".into(),
            ..Default::default()
        }
    }

    fn member(key: &str, rel: &str, sex: &str) -> MemberInput {
        MemberInput {
            key: key.into(),
            relation: rel.into(),
            sex: sex.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_full_record_round_trips_through_the_form_values() {
        let mut i = base();
        i.wish_person = "A型で働きたい".into();
        i.family = vec![
            MemberInput {
                is_client: "yes".into(),
                birth_year: "平成8".into(),
                ..member("", "本人", "female")
            },
            MemberInput {
                note: "要介護3 施設入所".into(),
                birth_year: "1948".into(),
                ..member("", "母", "female")
            },
            MemberInput {
                deceased: "yes".into(),
                ..member("", "父", "male")
            },
        ];
        i.family_links = vec![
            LinkInput {
                kind: "married".into(),
                from: "3".into(),
                to: "2".into(),
            },
            LinkInput {
                kind: "parent_child".into(),
                from: "2".into(),
                to: "1".into(),
            },
        ];
        i.ecomap = vec![TieInput {
            name: "B型事業所".into(),
            kind: "service".into(),
            tie: "strong".into(),
            direction: "both".into(),
            note: String::new(),
            resource_id: String::new(),
        }];
        i.history = vec![EventInput {
            year: "2015".into(),
            month: "4".into(),
            event: "就職".into(),
        }];
        i.day = vec![
            DayInput {
                time: "22時".into(),
                activity: "就寝".into(),
            },
            DayInput {
                time: "６：３０".into(),
                activity: "起床".into(),
            },
        ];
        i.week = vec![vec!["B型".into(), "B型".into(), String::new()]];
        i.abilities = vec![AbilityInput {
            item: "money".into(),
            level: "partial".into(),
            note: "月末に足りなくなる".into(),
        }];
        i.strengths = vec![StrengthInput {
            kind: "good_at".into(),
            text: "パソコン入力".into(),
        }];
        i.demands = vec![DemandInput {
            key: String::new(),
            speaker: "person".into(),
            words: "A型で働きたい".into(),
        }];
        i.needs = vec![NeedInput {
            text: "安定して通える働く場がほしい".into(),
            source: "demand-1".into(),
            grounds: "B型に週5日通えている".into(),
            ..Default::default()
        }];
        let r = i.validate(today(), BasicInfo::default()).unwrap();
        assert_eq!(r.family.len(), 3);
        assert_eq!(r.family[1].key, 2);
        assert_eq!(r.family[0].birth_year, Some(1996));
        assert!(r.family[2].deceased);
        assert_eq!(r.family_links.len(), 2);
        assert_eq!(r.day[0].activity, "起床");
        assert_eq!(r.week[0][0], "B型");
        assert_eq!(r.needs[0].source, Some(NeedSource::Demand(1)));
        let again = AssessmentInput::from_record(&r)
            .validate(today(), BasicInfo::default())
            .unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn new_people_keyed_by_the_form_are_linked_in_the_same_save() {
        let mut i = base();
        // One saved person (key 1) and blank rows the form keyed 2.. before any save.
        i.family = vec![
            MemberInput {
                is_client: "yes".into(),
                ..member("1", "本人", "female")
            },
            member("2", "母", "female"),
            member("3", "父", "male"),
            MemberInput::default(),
            member("5", "妹", "female"),
            MemberInput {
                key: "6".into(),
                ..Default::default()
            },
        ];
        let link = |kind: &str, from: &str, to: &str| LinkInput {
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
        };
        i.family_links = vec![
            link("married", "3", "2"),
            link("parent_child", "2", "1"),
            link("parent_child", "2", "5"),
        ];
        let r = i.validate(today(), BasicInfo::default()).unwrap();
        assert_eq!(
            r.family.iter().map(|m| m.key).collect::<Vec<_>>(),
            vec![1, 2, 3, 5]
        );
        assert_eq!(r.family_links.len(), 3);
        // A line to the row left empty (row 6, key 6) is refused on that line.
        i.family_links.push(link("parent_child", "3", "6"));
        let e = i.validate(today(), BasicInfo::default()).unwrap_err();
        let msg = e.get("family_links[3].to").unwrap_or("");
        assert!(msg.contains("6行目") && msg.contains("空のまま"), "{msg}");
        assert!(e.get("family_links[3].from").is_none());
    }

    #[test]
    fn a_birth_year_and_an_age_that_disagree_are_refused() {
        let with = |birth: &str, age: &str, deceased: &str| {
            let mut i = base();
            i.family = vec![
                MemberInput {
                    is_client: "yes".into(),
                    ..member("", "本人", "female")
                },
                MemberInput {
                    birth_year: birth.into(),
                    age: age.into(),
                    deceased: deceased.into(),
                    ..member("", "母", "female")
                },
            ];
            i.validate(today(), BasicInfo::default())
        };
        // Assessed in 2026: born 1950 is 75 or 76.
        let e = with("1950", "60", "").unwrap_err();
        assert_eq!(
            e.get("family[1].age"),
            Some(
                "生年（1950年）と年齢（60歳）が合いません。1950年生まれなら実施日の時点で75歳か76歳です。どちらか一方だけでも構いません。"
            )
        );
        assert!(with("1950", "76", "").is_ok());
        assert!(with("1950", "７５歳", "").is_ok());
        assert!(with("1950", "", "").is_ok());
        // Someone who died: the age at death, not above the years since birth.
        assert!(with("1950", "60", "yes").is_ok());
        assert!(
            with("1950", "80", "yes")
                .unwrap_err()
                .get("family[1].age")
                .is_some()
        );
    }

    #[test]
    fn a_link_to_nobody_is_refused() {
        let mut i = base();
        i.family = vec![MemberInput {
            is_client: "yes".into(),
            ..member("1", "本人", "male")
        }];
        i.family_links = vec![LinkInput {
            kind: "parent_child".into(),
            from: "9".into(),
            to: "1".into(),
        }];
        let e = i.validate(today(), BasicInfo::default()).unwrap_err();
        assert!(e.get("family_links[0].from").is_some(), "{e:?}");
    }

    #[test]
    fn levels_dates_and_years_outside_the_scale_are_refused() {
        let mut i = base();
        i.assessed_on = "令和8年2月30日".into();
        i.abilities = vec![AbilityInput {
            item: "eating".into(),
            level: "superb".into(),
            note: String::new(),
        }];
        i.history = vec![EventInput {
            year: "平成40".into(),
            month: "13".into(),
            event: "退院".into(),
        }];
        i.day = vec![DayInput {
            time: "25:00".into(),
            activity: "起床".into(),
        }];
        let e = i.validate(today(), BasicInfo::default()).unwrap_err();
        for f in [
            "assessed_on",
            "abilities[0].level",
            "history[0].year",
            "history[0].month",
            "day[0].time",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
    }

    #[test]
    fn exactly_one_person_is_the_client() {
        let mut i = base();
        i.family = vec![member("", "母", "female")];
        let e = i.validate(today(), BasicInfo::default()).unwrap_err();
        assert!(e.get("family").is_some());
    }

    #[test]
    fn a_need_must_point_at_a_recorded_demand() {
        let mut i = base();
        i.needs = vec![NeedInput {
            text: "x".into(),
            source: "demand-4".into(),
            ..Default::default()
        }];
        let e = i.validate(today(), BasicInfo::default()).unwrap_err();
        assert!(e.get("needs[0].source").is_some());
    }

    #[test]
    fn times_as_people_write_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("7:30"), t(7, 30));
        assert_eq!(parse_time("７時半"), t(7, 30));
        assert_eq!(parse_time("19時05分"), t(19, 5));
        assert_eq!(parse_time("0630"), t(6, 30));
        assert_eq!(parse_time("22時"), t(22, 0));
        assert_eq!(parse_time("朝"), None);
    }

    #[test]
    fn start_needs_a_past_date_and_a_method() {
        let s = StartInput {
            assessed_on: "2030-01-01".into(),
            method: "".into(),
            present: String::new(),
        };
        let e = s.validate(today()).unwrap_err();
        assert!(e.get("assessed_on").is_some() && e.get("method").is_some());
    }
}
