//! The records that open and close a 支援ケース: the インテーク記録 and the 終結 with its
//! evaluation (エバリュエーション).

use super::{Common, Ctx, Labelled, Person, labelled};
use chrono::NaiveDate;
use serde::Serialize;
use yorisoi_domain::case::{CloseRecord, IntakeRecord};

/// The data of the intake template (`templates/intake/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct IntakeDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    /// 担当者.
    pub planner: String,
    /// The case's short name (ケースの呼び名) or "".
    pub case_title: String,
    pub intake_date: String,
    /// 相談の経路: "家族（母から電話）".
    pub referral: String,
    /// 主訴, the person's (or the caller's) own words, verbatim.
    pub chief_complaint: String,
    /// 状況, 説明したこと, 援助を受ける意思, 緊急度, 今後の対応 — in that order.
    pub items: Vec<Labelled>,
}

pub fn intake_doc(i: &IntakeRecord, case_title: &str, cx: &Ctx) -> IntakeDoc {
    IntakeDoc {
        common: cx.common("インテーク記録"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        case_title: case_title.into(),
        intake_date: cx.dates.date(i.intake_date),
        referral: if i.referral_note.is_empty() {
            i.referral_source.label().into()
        } else {
            format!("{}（{}）", i.referral_source.label(), i.referral_note)
        },
        chief_complaint: i.chief_complaint.clone(),
        items: labelled(&[
            ("状況", &i.situation),
            ("説明したこと（事業所の役割・サービス）", &i.explained),
            ("援助を受ける意思", i.consent_to_support.label()),
            ("緊急度", i.urgency.label()),
            ("今後の対応", &i.next_steps),
        ]),
    }
}

/// The data of the closure template (`templates/closure/*.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct ClosureDoc {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub person: Person,
    pub planner: String,
    pub case_title: String,
    pub opened_on: String,
    pub closed_on: String,
    /// 終結の理由: "転居: 県外の姉の家へ" (the reason's label, then its text).
    pub reason: String,
    /// 主訴 at the intake, to read the evaluation against.
    pub chief_complaint: String,
    /// 本人の言葉 (verbatim), said at the end.
    pub person_words: String,
    /// 本人にとって何が変わったか, チームが学んだこと, 引き継ぎ先, 引き継いだ内容 — in that order.
    pub evaluation: Vec<Labelled>,
    /// 記録の保存期限 or "".
    pub retain_until: String,
}

pub fn closure_doc(
    close: &CloseRecord,
    opened_on: NaiveDate,
    intake: &IntakeRecord,
    case_title: &str,
    retain_until: Option<NaiveDate>,
    cx: &Ctx,
) -> ClosureDoc {
    let ds = cx.dates;
    let ev = &close.evaluation;
    ClosureDoc {
        common: cx.common("終結の記録（エバリュエーション）"),
        person: cx.person.clone(),
        planner: cx.planner.clone(),
        case_title: case_title.into(),
        opened_on: ds.date(opened_on),
        closed_on: ds.date(close.closed_on),
        reason: if close.reason_text.is_empty() {
            close.reason.label().into()
        } else {
            format!("{}: {}", close.reason.label(), close.reason_text)
        },
        chief_complaint: intake.chief_complaint.clone(),
        person_words: ev.person_words.clone(),
        evaluation: labelled(&[
            ("本人にとって何が変わったか", &ev.changes),
            ("チームが学んだこと", &ev.learning),
            ("引き継ぎ先", &ev.handover_to),
            ("引き継いだ内容", &ev.handover),
        ]),
        retain_until: ds.opt(retain_until),
    }
}
