//! A shared document printed for its recipient: read under the share's grant, made ready as
//! the staff's print is, always with the standard template (an office's own template might not
//! print the head of the page), and with the recipient's name and the date at the head of every
//! page. The disclosure is logged by the store when the record is read.

use super::{
    Printed, compose_meeting, compose_monitoring, compose_plan, ctx_of, plan_context, render_with,
};
use crate::AppState;
use crate::error::AppError;
use yorisoi_documents::docs::DocKind;
use yorisoi_documents::docs::easy::Audience;
use yorisoi_documents::templates::STANDARD;
use yorisoi_domain::policy::Actor;
use yorisoi_domain::team::MemberKind;
use yorisoi_store::shares::{self, SharedRecord};
use yorisoi_store::{offices, today_jst};

/// The share's PDF; for a plan, `easy` asks for the easy-read version (the person's, or for a
/// child's plan the parents').
pub async fn print_shared(
    st: &AppState,
    actor: Actor,
    share_id: i64,
    easy: bool,
) -> Result<Printed, AppError> {
    let mut tx = st.store.read(actor).await?;
    let g = shares::open(&mut tx, share_id).await?;
    let settings = offices::doc_settings(&tx).await?;
    let how = if easy {
        "PDF・わかりやすい版"
    } else {
        "PDF"
    };
    let (rec, client, certs) = shares::record(&mut tx, &g, how).await?;
    let cx = ctx_of(&mut tx, &client, &settings).await?;
    let mut b = match rec {
        SharedRecord::Plan(p) => {
            let (kind, audience) = if easy {
                // A child's plan: the child's version for the child, the parents' for anyone
                // else; an adult's has only the person's.
                let child = p.record.kind == yorisoi_domain::plan::PlanKind::Child;
                let audience = if child && g.recipient_kind() != MemberKind::Person {
                    Audience::Parents
                } else {
                    Audience::of(child)[0]
                };
                (DocKind::EasyPlan, Some(audience))
            } else {
                (DocKind::Plan, None)
            };
            let pcx = plan_context(cx, &client, &certs);
            compose_plan(st, &p, pcx, kind, audience, &settings).await?
        }
        _ if easy => return Err(AppError::NotFound),
        SharedRecord::Monitoring(m, plan) => {
            let label = plan
                .map(|l| {
                    format!(
                        "{}作成の計画（第{}版）",
                        settings.dates.date(l.made_on),
                        l.version_no
                    )
                })
                .unwrap_or_default();
            compose_monitoring(&m, &label, &cx)?
        }
        SharedRecord::Assessment(a) => super::compose_assessment(&a, &cx)?,
        SharedRecord::Meeting(m, team, plan) => {
            let label = plan
                .map(|l| format!("{} 第{}版", l.kind.label(), l.version_no))
                .unwrap_or_default();
            compose_meeting(&m, &team, &label, &cx)?
        }
    };
    let stamp = format!(
        "共有先: {} 様　共有#{}（{}）　出力日: {}　共有先の方だけがお使いください",
        g.recipient_label(),
        g.share.id,
        settings
            .dates
            .date((g.share.created_at + chrono::Duration::hours(9)).date_naive()),
        settings.dates.date(today_jst()),
    );
    if let Some(o) = b.value.as_object_mut() {
        o.insert("shared_with".into(), serde_json::Value::String(stamp));
    }
    let pdf = render_with(st, STANDARD, b.kind, vec![b.value]).await?;
    tx.commit().await?;
    Ok(Printed {
        pdf,
        filename: b
            .filename
            .replace(".pdf", &format!("_共有{}.pdf", g.share.id)),
    })
}
