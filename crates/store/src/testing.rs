//! Fresh databases for tests and benchmarks: a SQLite file in a temporary directory, or a new
//! PostgreSQL database (UTF-8, ctype C.UTF-8 so that pg_trgm indexes Japanese).

use crate::{Result, Store, StoreError};
use sea_orm::{ConnectionTrait, Database};

/// The server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("YORISOI_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A migrated SQLite store in `dir`.
pub async fn sqlite_in(dir: &std::path::Path) -> Result<Store> {
    let url = format!("sqlite://{}", dir.join("test.sqlite").display());
    let s = Store::connect(&url).await?;
    s.migrate().await?;
    s.set_audit_keyring(crate::audit_key::Keyring::for_tests());
    Ok(s)
}

/// A new, migrated PostgreSQL database; `Ok(None)` when no server answers and `CI` is unset
/// (on CI a missing PostgreSQL is a failure, never a skip).
pub async fn fresh_postgres() -> Result<Option<(Store, String)>> {
    let admin_url = postgres_admin_url();
    let admin = match Database::connect(admin_url.as_str()).await {
        Ok(a) => a,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                return Err(StoreError::Rule(format!(
                    "PostgreSQL is required on CI: {e}"
                )));
            }
            eprintln!("SKIP postgres: {e}");
            return Ok(None);
        }
    };
    let mut b = [0u8; 6];
    rand::fill(&mut b);
    let name = format!("yorisoi_t_{}", hex::encode(b));
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        ))
        .await?;
    admin.close().await?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin_url.clone());
    let s = Store::connect(&format!("{base}/{name}")).await?;
    s.migrate().await?;
    s.set_audit_keyring(crate::audit_key::Keyring::for_tests());
    Ok(Some((s, name)))
}

/// Drops a database made by [`fresh_postgres`].
pub async fn drop_postgres(name: &str) -> Result<()> {
    let admin = Database::connect(postgres_admin_url().as_str()).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

fn invalid(e: yorisoi_domain::FieldErrors) -> StoreError {
    StoreError::Rule(format!("test fixture: {e:?}"))
}

/// [`final_plan_only`], then services begun by hand (no hand-over recorded): the case stands at
/// 実施. Returns the plan's id.
pub async fn final_plan(
    store: &Store,
    spec: yorisoi_domain::policy::Actor,
    clerk: yorisoi_domain::policy::Actor,
    client_id: i64,
    case_id: i64,
    today: chrono::NaiveDate,
) -> Result<i64> {
    use crate::cases;
    use yorisoi_domain::case::CaseStage;
    use yorisoi_domain::policy::{Action, RecordKind};
    let id = final_plan_only(store, spec, clerk, client_id, case_id, today).await?;
    let mut tx = store.begin(spec).await?;
    let cacc = tx
        .client_access(client_id, RecordKind::Case, Action::Write)
        .await?;
    let (c, _) = cases::get(&mut tx, &cacc, case_id).await?;
    cases::move_stage(
        &mut tx,
        &cacc,
        case_id,
        c.version,
        CaseStage::Implementation,
        "サービス開始（試験用）",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Brings an assessed case to a final plan dated 2026-05-10, as the screens would: a certificate
/// (support May 2026–April 2027, 「3月ごと」), the draft from the latest assessment with a
/// provider on every row, the draft consent, a provider on the team covered by the person's
/// consent, the meeting held, the final consent, 本計画 (the records move the case to 本計画).
/// Returns the plan's id.
pub async fn final_plan_only(
    store: &Store,
    spec: yorisoi_domain::policy::Actor,
    clerk: yorisoi_domain::policy::Actor,
    client_id: i64,
    case_id: i64,
    today: chrono::NaiveDate,
) -> Result<i64> {
    use crate::{certificates, plans};
    use yorisoi_domain::certificate::CertificateInput;
    use yorisoi_domain::policy::{Action, RecordKind};
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| StoreError::Rule(e.to_string()))
    };
    let mut tx = store.begin(clerk).await?;
    let cacc = tx
        .client_access(client_id, RecordKind::Certificate, Action::Write)
        .await?;
    let cert = CertificateInput {
        kind: "welfare".into(),
        number: "0123456789".into(),
        municipality: "N市".into(),
        issued_on: "2026-04-20".into(),
        decision_from: "2026-05-01".into(),
        decision_until: "2027-04-30".into(),
        plan_support_from: "2026-05-01".into(),
        plan_support_until: "2027-04-30".into(),
        cost_cap_yen: "0".into(),
        monitoring_period: "every3".into(),
        ..Default::default()
    }
    .validate()
    .map_err(invalid)?;
    certificates::add(&mut tx, &cacc, &cert).await?;
    tx.commit().await?;
    let mut tx = store.begin(spec).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let id = plans::draft(&mut tx, &acc, case_id, day("2026-04-20")?).await?;
    tx.commit().await?;
    finish_draft(store, spec, client_id, id, today).await?;
    Ok(id)
}

/// Brings a draft plan (drafted on or before 2026-04-21) to 本計画 dated 2026-05-10: a
/// provider on every row, the draft consent, a provider on the team covered by the person's
/// consent, the meeting held, the final consent, 本計画.
pub async fn finish_draft(
    store: &Store,
    spec: yorisoi_domain::policy::Actor,
    client_id: i64,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<()> {
    use crate::{meetings, plans, team};
    use yorisoi_domain::meeting::MeetingInput;
    use yorisoi_domain::plan::{PlanConsentInput, PlanInput, PlanState};
    use yorisoi_domain::policy::{Action, RecordKind};
    use yorisoi_domain::team::{ShareConsentInput, TeamMemberInput};
    let mut tx = store.begin(spec).await?;
    let acc = tx
        .client_access(client_id, RecordKind::Plan, Action::Write)
        .await?;
    let p = plans::get(&mut tx, &acc, id).await?;
    let mut input = PlanInput::from_record(&p.record);
    for r in &mut input.rows {
        r.service_type = "employment_b".into();
        r.provider = "ひかり作業所".into();
    }
    input.decided_on = "2026-05-10".into();
    let r = input.validate(&p.record, today).map_err(invalid)?;
    let mut v = plans::update(&mut tx, &acc, id, p.version, &r).await?;
    for (stage, on) in [("draft", "2026-04-21"), ("final", "2026-05-10")] {
        if stage == "final" {
            let team_acc = tx
                .client_access(client_id, RecordKind::CareTeam, Action::Write)
                .await?;
            let m = TeamMemberInput {
                kind: "provider".into(),
                name: "ひかり作業所 佐藤".into(),
                ..Default::default()
            };
            let mid = team::add_member(&mut tx, &team_acc, &m.validate().map_err(invalid)?).await?;
            let c = ShareConsentInput {
                member_ids: vec![mid.to_string()],
                sections: vec!["plan".into()],
                purpose: "会議".into(),
                given_on: "2026-04-21".into(),
                ..Default::default()
            }
            .validate(today, &[mid])
            .map_err(invalid)?;
            team::give_consent(&mut tx, &team_acc, &c, None).await?;
            let macc = tx
                .client_access(client_id, RecordKind::Meeting, Action::Write)
                .await?;
            let mi = MeetingInput {
                held_on: "2026-05-08".into(),
                participants: vec![mid.to_string()],
                conclusions: "計画案のとおり".into(),
                held: "yes".into(),
                ..Default::default()
            };
            let rec = meetings::validate(&tx, &macc, id, &mi, today)
                .await?
                .map_err(invalid)?;
            meetings::create(&mut tx, &macc, id, &rec).await?;
            v = plans::get(&mut tx, &acc, id).await?.version;
        }
        let c = PlanConsentInput {
            stage: stage.into(),
            signed_on: on.into(),
            signer: "青木 明子".into(),
            role: "person".into(),
            explained: "yes".into(),
        };
        v = plans::add_consent(&mut tx, &acc, id, v, &c.validate(today).map_err(invalid)?).await?;
    }
    plans::move_state(&mut tx, &acc, id, v, PlanState::Final).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a session's last request `minutes` into the past (a test of idle expiry without
/// waiting half an hour).
pub async fn idle_session(store: &Store, token: &str, minutes: i64) -> Result<()> {
    use crate::entities::session;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            Expr::value(crate::now_utc() - chrono::Duration::minutes(minutes)),
        )
        .filter(session::Column::TokenHash.eq(crate::sessions::token_hash(token)))
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Writes a plan's body as it stands, whatever its state (a test that needs a final plan to
/// carry something the screens would have put in its draft).
pub async fn overwrite_plan(
    tx: &mut crate::Tx,
    id: i64,
    r: &yorisoi_domain::plan::PlanRecord,
) -> Result<()> {
    use crate::entities::plan;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    plan::Entity::update_many()
        .col_expr(plan::Column::Body, Expr::value(crate::plans::encode(r)?))
        .filter(plan::Column::Id.eq(id))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// This process's open TCP sockets as (local address, peer address, `TCP_NODELAY` set), for
/// tests that check a connection is not held back by Nagle's algorithm (vendor/sqlx-core). Each
/// socket is looked at through a duplicate of its descriptor (`pidfd_getfd` on this process,
/// Linux 5.6+); a socket closed meanwhile is skipped.
#[cfg(target_os = "linux")]
pub fn tcp_sockets() -> std::io::Result<Vec<(std::net::SocketAddr, std::net::SocketAddr, bool)>> {
    use rustix::net::{getpeername, getsockname, sockopt};
    use rustix::process::{PidfdFlags, PidfdGetfdFlags, getpid, pidfd_getfd, pidfd_open};
    let me = pidfd_open(getpid(), PidfdFlags::empty())?;
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd")? {
        let entry = entry?;
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        let Ok(dup) = pidfd_getfd(&me, fd, PidfdGetfdFlags::empty()) else {
            continue;
        };
        let addr = |a: Option<rustix::net::SocketAddrAny>| {
            a.and_then(|a| std::net::SocketAddr::try_from(a).ok())
        };
        let (Some(local), Some(peer)) = (
            addr(getsockname(&dup).ok()),
            addr(getpeername(&dup).ok().flatten()),
        ) else {
            continue;
        };
        if let Ok(nodelay) = sockopt::tcp_nodelay(&dup) {
            out.push((local, peer, nodelay));
        }
    }
    Ok(out)
}
