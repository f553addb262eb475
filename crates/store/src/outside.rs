//! The care team outside the office (issue 19; DOMAIN.md §3.11, §4): invitations, the accounts
//! they bind to a member row of a client's team, and what such a member may read. An outside
//! member reads a client's record only through [`Tx::shared_access`]: only while their row is on
//! the team, only a section a consent in force covers (or, for the person, their own record),
//! and every view is a disclosure in the audit log (recipient, person, items, consent).

use crate::entities::{client, invitation, member_account, plan, share_consent, team_member};
use crate::monitorings::Monitoring;
use crate::plans::Plan;
use crate::team::decode_consent;
use crate::{ClientAccess, Result, Store, StoreError, Tx, corrupt, now_utc, today_jst};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use yorisoi_domain::FieldErrors;
use yorisoi_domain::monitoring::schedule::DueMonth;
use yorisoi_domain::policy::{self, Action, Basis, Grant, RecordKind, Role};
use yorisoi_domain::team::{
    MemberKind, ShareConsentRecord, ShareSection, TeamMemberRecord, covers,
};

const KIND: RecordKind = RecordKind::CareTeam;

/// How long an invitation may wait to be redeemed.
pub const INVITATION_TTL: Duration = Duration::hours(48);

/// The sections yorisoi shows an outside member on its pages (the others still travel on
/// paper): 基本情報, the plan in force, and monitoring.
pub const SHOWN: [ShareSection; 3] = [
    ShareSection::Basic,
    ShareSection::Plan,
    ShareSection::Monitoring,
];

/// What the person sees of their own record without a consent: the same three. A plan's
/// family wishes are never shown here (each speaker's own information).
const OWN: [ShareSection; 3] = SHOWN;

/// Code characters without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B): read off paper and typed
/// on a phone.
const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";

/// A new invitation code, 12 characters (about 55 bits) shown as three groups of four.
pub fn new_code() -> String {
    let mut out = String::with_capacity(14);
    let mut n = 0;
    while n < 12 {
        let mut b = [0u8; 16];
        rand::fill(&mut b);
        // Rejection keeps every character equally likely (250 = 10 × 25).
        for x in b.into_iter().filter(|x| *x < 250) {
            if n == 12 {
                break;
            }
            if n > 0 && n % 4 == 0 {
                out.push('-');
            }
            out.push(ALPHABET[x as usize % ALPHABET.len()] as char);
            n += 1;
        }
    }
    out
}

/// A code as typed: full-width or lower case, with or without hyphens and spaces.
pub fn normalise_code(typed: &str) -> String {
    yorisoi_domain::text::nfkc(typed)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A code as stored: an HMAC under the current audit key, which is not in the database, so a
/// stolen database cannot be searched offline for the open codes (a bare hash of 55 bits could
/// be, within the 48 hours). Without a key (never in a running server) a plain hash.
fn code_hash(keys: &crate::audit_key::Keyring, code: &str) -> String {
    match keys.current() {
        Some((_, k)) => crate::audit_key::mac(k, &["invitation", &normalise_code(code)]),
        None => crate::sessions::token_hash(&format!("invitation:{}", normalise_code(code))),
    }
}

/// The hashes a typed code may be stored under: one per audit key, so that an invitation
/// issued before a key rotation is still found.
fn code_hashes(keys: &crate::audit_key::Keyring, code: &str) -> Vec<String> {
    let n = normalise_code(code);
    let mut out: Vec<String> = keys
        .ids()
        .into_iter()
        .filter_map(|id| keys.get(id))
        .map(|k| crate::audit_key::mac(k, &["invitation", &n]))
        .collect();
    out.push(crate::sessions::token_hash(&format!("invitation:{n}")));
    out
}

/// Which record kind a section's disclosure or refusal is logged under.
pub(crate) fn kind_of(section: ShareSection) -> RecordKind {
    match section {
        ShareSection::Basic => RecordKind::Ledger,
        ShareSection::Plan => RecordKind::Plan,
        ShareSection::Monitoring => RecordKind::Monitoring,
        ShareSection::Meeting => RecordKind::Meeting,
        ShareSection::Assessment | ShareSection::Medical | ShareSection::Family => {
            RecordKind::Assessment
        }
    }
}

/// A newly issued invitation: the code is shown once and never stored.
#[derive(Debug, Clone)]
pub struct Issued {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

pub(crate) async fn member_row(
    tx: &Tx,
    a: &ClientAccess,
    member_id: i64,
) -> Result<team_member::Model> {
    team_member::Entity::find_by_id(member_id)
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Invites a member of the client's team to sign in: any earlier open invitation for the row
/// is revoked, and the new code is returned once.
pub async fn invite(tx: &mut Tx, a: &ClientAccess, member_id: i64) -> Result<Issued> {
    a.check(KIND, Action::Write)?;
    let m = member_row(tx, a, member_id).await?;
    if !m.active {
        return Err(StoreError::Rule(
            "チームから外れたメンバーは招待できません。先にチームに戻してください。".into(),
        ));
    }
    if account_of(tx, member_id).await?.is_some() {
        return Err(StoreError::Rule(
            "この方はすでにyorisoiを使えます（アカウント連携済み）。新しく招待するには、先に連携を解除してください。"
                .into(),
        ));
    }
    let now = now_utc();
    revoke_open(tx, member_id, now).await?;
    let code = new_code();
    let expires_at = now + INVITATION_TTL;
    invitation::ActiveModel {
        office_id: Set(tx.office_id()),
        client_id: Set(a.client_id),
        member_id: Set(member_id),
        code_hash: Set(code_hash(tx.keys(), &code)),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        "invite",
        KIND,
        Some(member_id),
        Some(a.client_id),
        format!("{}（期限 48時間）", m.name),
    );
    Ok(Issued { code, expires_at })
}

async fn revoke_open(tx: &Tx, member_id: i64, now: DateTime<Utc>) -> Result<u64> {
    Ok(invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::value(now))
        .filter(invitation::Column::OfficeId.eq(tx.office_id()))
        .filter(invitation::Column::MemberId.eq(member_id))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(tx.conn())
        .await?
        .rows_affected)
}

/// The account a member row is bound to: (user id, login, name, active).
pub(crate) async fn account_of(tx: &Tx, member_id: i64) -> Result<Option<AccountInfo>> {
    let Some(link) = member_account::Entity::find()
        .filter(member_account::Column::OfficeId.eq(tx.office_id()))
        .filter(member_account::Column::MemberId.eq(member_id))
        .one(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    let u = crate::entities::user::Entity::find_by_id(link.user_id)
        .filter(crate::entities::user::Column::OfficeId.eq(tx.office_id()))
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Some(AccountInfo {
        user_id: u.id,
        login: u.login,
        name: u.display_name,
        active: u.active,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AccountInfo {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub active: bool,
}

/// Whether a member of the team can sign in, or has an invitation waiting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MemberAccess {
    pub member_id: i64,
    pub account: Option<AccountInfo>,
    /// The open invitation's expiry, if one waits.
    pub invited_until: Option<DateTime<Utc>>,
}

/// Every member row's account and open invitation, for the team page.
pub async fn team_access(tx: &mut Tx, a: &ClientAccess) -> Result<Vec<MemberAccess>> {
    a.check(KIND, Action::Read)?;
    let rows = team_member::Entity::find()
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::ClientId.eq(a.client_id))
        .order_by_asc(team_member::Column::Id)
        .all(tx.conn())
        .await?;
    let now = now_utc();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let open = invitation::Entity::find()
            .filter(invitation::Column::OfficeId.eq(tx.office_id()))
            .filter(invitation::Column::MemberId.eq(m.id))
            .filter(invitation::Column::UsedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .order_by_desc(invitation::Column::Id)
            .one(tx.conn())
            .await?;
        out.push(MemberAccess {
            member_id: m.id,
            account: account_of(tx, m.id).await?,
            invited_until: open.map(|i| i.expires_at),
        });
    }
    Ok(out)
}

/// Ends a member's access: the row's account binding and any open invitation. The account
/// itself stays (it may sit on other teams); it sees nothing more of this client from the next
/// request.
pub async fn unlink(tx: &mut Tx, a: &ClientAccess, member_id: i64) -> Result<()> {
    a.check(KIND, Action::Write)?;
    let m = member_row(tx, a, member_id).await?;
    if !end_binding(tx, a.client_id, member_id, &m.name).await? {
        return Err(StoreError::Rule(
            "この方には連携も招待もありません。".into(),
        ));
    }
    Ok(())
}

/// Removes the row's account binding and revokes its open invitation; logs `unlink` with `why`
/// when there was anything to end, and says whether there was.
async fn end_binding(tx: &mut Tx, client_id: i64, member_id: i64, why: &str) -> Result<bool> {
    let removed = member_account::Entity::delete_many()
        .filter(member_account::Column::OfficeId.eq(tx.office_id()))
        .filter(member_account::Column::MemberId.eq(member_id))
        .exec(tx.conn())
        .await?
        .rows_affected;
    let revoked = revoke_open(tx, member_id, now_utc()).await?;
    let ended = removed + revoked > 0;
    if ended {
        tx.record("unlink", KIND, Some(member_id), Some(client_id), why);
    }
    Ok(ended)
}

/// Whether the row is bound to an account or has an open invitation.
pub(crate) async fn linked_or_invited(tx: &Tx, member_id: i64) -> Result<bool> {
    if account_of(tx, member_id).await?.is_some() {
        return Ok(true);
    }
    let open = invitation::Entity::find()
        .filter(invitation::Column::OfficeId.eq(tx.office_id()))
        .filter(invitation::Column::MemberId.eq(member_id))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .one(tx.conn())
        .await?;
    Ok(open.is_some())
}

/// A member taken off the team: their binding and any open invitation end in the same unit of
/// work (logged when there was anything to end).
pub(crate) async fn end_access(tx: &mut Tx, client_id: i64, member_id: i64) -> Result<()> {
    end_binding(tx, client_id, member_id, "チームから外れたため").await?;
    Ok(())
}

/// Why an invitation cannot be used, in words the invitee can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Used,
    Expired,
    Revoked,
    OffTeam,
    OtherOffice,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Unknown => {
                "この招待コードは見つかりません。紙に書かれたコードをもう一度確かめて入力してください（ハイフンは無くても構いません）。"
            }
            Refusal::Used => {
                "この招待はすでに使われています。アカウントをお持ちなら、ログインしてください。心当たりがなければ、相談支援専門員にお知らせください。"
            }
            Refusal::Expired => {
                "この招待は期限（48時間）が切れています。相談支援専門員に新しい招待を依頼してください。"
            }
            Refusal::Revoked => {
                "この招待は取り消されました（新しい招待が出ている可能性があります）。相談支援専門員にお問い合わせください。"
            }
            Refusal::OffTeam => {
                "この招待の方は、すでにケアチームから外れています。相談支援専門員にお問い合わせください。"
            }
            Refusal::OtherOffice => {
                "この招待は別の事業所からのものです。いったんログアウトしてから、新しいアカウントとして登録してください。"
            }
        }
    }
}

/// An invitation as the invitee sees it before redeeming it: who invites, and as whom.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub office_id: i64,
    pub office_name: String,
    pub client_id: i64,
    pub member_id: i64,
    pub member: TeamMemberRecord,
    pub expires_at: DateTime<Utc>,
}

async fn find_invitation<C: sea_orm::ConnectionTrait>(
    conn: &C,
    keys: &crate::audit_key::Keyring,
    code: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Invitation, Refusal>> {
    if normalise_code(code).len() != 12 {
        return Ok(Err(Refusal::Unknown));
    }
    let Some(inv) = invitation::Entity::find()
        .filter(invitation::Column::CodeHash.is_in(code_hashes(keys, code)))
        .one(conn)
        .await?
    else {
        return Ok(Err(Refusal::Unknown));
    };
    if inv.used_at.is_some() {
        return Ok(Err(Refusal::Used));
    }
    if inv.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    if inv.expires_at <= now {
        return Ok(Err(Refusal::Expired));
    }
    let m = team_member::Entity::find_by_id(inv.member_id)
        .filter(team_member::Column::OfficeId.eq(inv.office_id))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !m.active {
        return Ok(Err(Refusal::OffTeam));
    }
    let office_name = crate::users::office_name(conn, inv.office_id).await?;
    let member = crate::team::decode_member(m)?.record;
    Ok(Ok(Invitation {
        id: inv.id,
        office_id: inv.office_id,
        office_name,
        client_id: inv.client_id,
        member_id: inv.member_id,
        member,
        expires_at: inv.expires_at,
    }))
}

/// The invitation behind a code, or why it cannot be used.
pub async fn invitation(
    store: &Store,
    code: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Invitation, Refusal>> {
    find_invitation(store.conn(), &store.audit_keys(), code, now).await
}

/// What the invitee types to make their account.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub password_again: String,
}

/// Why a join did not happen.
#[derive(Debug)]
pub enum JoinError {
    Refused(Refusal),
    Invalid(FieldErrors),
}

/// Marks the invitation used by `user_id` if it still may be (the check and the claim are one
/// statement, so two browsers redeeming one code cannot both win), binds the member row, and
/// records the join in the office's chain.
async fn claim(
    store: &Store,
    txn: &sea_orm::DatabaseTransaction,
    inv: &Invitation,
    user_id: i64,
    login: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let claimed = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .col_expr(invitation::Column::UsedBy, Expr::value(user_id))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Ok(false);
    }
    member_account::ActiveModel {
        office_id: Set(inv.office_id),
        member_id: Set(inv.member_id),
        user_id: Set(user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let ev = crate::audit::PendingEvent {
        action: "join".into(),
        kind: KIND.code().into(),
        record_id: Some(inv.member_id),
        client_id: Some(inv.client_id),
        outcome: "ok",
        detail: format!(
            "招待で連携: {login}（{}・{}）",
            inv.member.name,
            inv.member.kind.label()
        ),
    };
    crate::audit::append(
        txn,
        &store.audit_keys(),
        inv.office_id,
        Some(user_id),
        &[ev],
    )
    .await?;
    Ok(true)
}

/// Redeems an invitation with a new account: the account, its binding to the member row and
/// the use of the code happen together or not at all.
pub async fn join_new(
    store: &Store,
    code: &str,
    input: &NewAccount,
    now: DateTime<Utc>,
) -> Result<std::result::Result<i64, JoinError>> {
    let inv = match find_invitation(store.conn(), &store.audit_keys(), code, now).await? {
        Ok(i) => i,
        Err(r) => return Ok(Err(JoinError::Refused(r))),
    };
    let new_user = crate::users::NewUser {
        login: input.login.clone(),
        display_name: input.display_name.clone(),
        role: Role::Outside.code().into(),
        password: input.password.clone(),
    };
    let mut valid = new_user.validate_outside(&inv.office_name);
    if input.password != input.password_again {
        let mut e = valid.err().unwrap_or_default();
        e.add(
            "password_again",
            "確認のパスワードが一致しません。同じものをもう一度入力してください。",
        );
        valid = Err(e);
    }
    let v = match valid {
        Ok(v) => v,
        Err(e) => return Ok(Err(JoinError::Invalid(e))),
    };
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), inv.office_id).await?;
    let user_id = match crate::users::insert(&txn, inv.office_id, &v, &input.password).await {
        Ok(id) => id,
        Err(StoreError::Invalid(e)) => {
            txn.rollback().await?;
            return Ok(Err(JoinError::Invalid(e)));
        }
        Err(e) => return Err(e),
    };
    if !claim(store, &txn, &inv, user_id, &v.login, now).await? {
        txn.rollback().await?;
        return Ok(Err(JoinError::Refused(Refusal::Used)));
    }
    // A new name to show beside records (`crate::seen`), moved last as a unit of work does.
    crate::tx::bump_data_version(&txn, inv.office_id).await?;
    txn.commit().await?;
    Ok(Ok(user_id))
}

/// Redeems an invitation for an outside member who already has an account in the inviting
/// office (a provider's サービス管理責任者 on several people's teams).
pub async fn join_existing(
    store: &Store,
    code: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), Refusal>> {
    let inv = match find_invitation(store.conn(), &store.audit_keys(), code, now).await? {
        Ok(i) => i,
        Err(r) => return Ok(Err(r)),
    };
    let u = crate::users::get_plain(store, user_id).await?;
    if u.office_id != inv.office_id || u.role != Role::Outside.code() || !u.active {
        return Ok(Err(Refusal::OtherOffice));
    }
    let (_turn, txn) =
        crate::tx::write_txn(store.conn(), store.write_gate.as_ref(), inv.office_id).await?;
    if !claim(store, &txn, &inv, user_id, &u.login, now).await? {
        txn.rollback().await?;
        return Ok(Err(Refusal::Used));
    }
    txn.commit().await?;
    Ok(Ok(()))
}

/// What an outside member may read of one section of one client, and why: made only by
/// [`Tx::shared_access`] after asking the policy.
#[derive(Debug, Clone)]
pub struct SharedAccess {
    pub(crate) client_id: i64,
    pub(crate) member_id: i64,
    pub(crate) member: TeamMemberRecord,
    pub(crate) basis: Basis,
    pub(crate) section: ShareSection,
}

impl SharedAccess {
    pub fn client_id(&self) -> i64 {
        self.client_id
    }
    pub fn section(&self) -> ShareSection {
        self.section
    }
    /// What the disclosure relies on.
    pub fn basis(&self) -> Basis {
        self.basis
    }
    /// The store's client-record functions read under this grant as a read of `kind`.
    pub(crate) fn as_client(&self, kind: RecordKind) -> ClientAccess {
        ClientAccess {
            client_id: self.client_id,
            assigned_to: None,
            kind,
            action: Action::Read,
        }
    }
}

/// The member rows the actor's account is bound to (on `client_id`'s team when given).
pub(crate) async fn my_rows(tx: &Tx, client_id: Option<i64>) -> Result<Vec<team_member::Model>> {
    let ids: Vec<i64> = member_account::Entity::find()
        .filter(member_account::Column::OfficeId.eq(tx.office_id()))
        .filter(member_account::Column::UserId.eq(tx.actor().user_id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|l| l.member_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = team_member::Entity::find()
        .filter(team_member::Column::OfficeId.eq(tx.office_id()))
        .filter(team_member::Column::Id.is_in(ids));
    if let Some(c) = client_id {
        q = q.filter(team_member::Column::ClientId.eq(c));
    }
    Ok(q.order_by_asc(team_member::Column::Id)
        .all(tx.conn())
        .await?)
}

pub(crate) async fn consents_of(tx: &Tx, client_id: i64) -> Result<Vec<(i64, ShareConsentRecord)>> {
    share_consent::Entity::find()
        .filter(share_consent::Column::OfficeId.eq(tx.office_id()))
        .filter(share_consent::Column::ClientId.eq(client_id))
        .order_by_asc(share_consent::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|m| decode_consent(m).map(|c| (c.id, c.record)))
        .collect()
}

/// What lets `section` go to the member today, if anything: the person's own record, or the
/// first consent in force that names the member and the section.
pub(crate) fn basis_for(
    kind: MemberKind,
    member_id: i64,
    section: ShareSection,
    consents: &[(i64, ShareConsentRecord)],
    on: NaiveDate,
) -> Option<Basis> {
    if kind == MemberKind::Person && OWN.contains(&section) {
        return Some(Basis::Own);
    }
    consents
        .iter()
        .find(|(_, c)| covers(std::slice::from_ref(c), member_id, section, on))
        .map(|(id, _)| Basis::Consent(*id))
}

pub(crate) fn member_kind(m: &team_member::Model) -> Result<MemberKind> {
    MemberKind::from_code(&m.kind).ok_or_else(|| corrupt("member kind", &m.kind))
}

impl Tx {
    /// Refuses (and logs) someone outside the office where a list of the office's clients is
    /// read by assignment rather than through the policy: they are never assigned, and this
    /// keeps it so even if they were.
    pub fn staff_only(&self) -> Result<()> {
        if self.actor().role.is_staff() {
            Ok(())
        } else {
            Err(self.refused(RecordKind::Ledger, Action::Read, None, "一覧".into()))
        }
    }

    /// Asks the policy whether the outside member acting may read `section` of `client_id`.
    /// Anything else — another office, another client, a row taken off the team, a section no
    /// consent in force covers, a withdrawn consent — is `NotFound`, and the refusal is logged.
    pub async fn shared_access(
        &mut self,
        client_id: i64,
        section: ShareSection,
    ) -> Result<SharedAccess> {
        let kind = kind_of(section);
        let detail = format!("共有: {}", section.label());
        if self.actor().role != Role::Outside {
            return Err(self.refused(kind, Action::Read, None, detail));
        }
        let office: Option<i64> = client::Entity::find_by_id(client_id)
            .select_only()
            .column(client::Column::OfficeId)
            .into_tuple()
            .one(self.conn())
            .await?;
        let Some(office_id) = office else {
            return Err(self.refused(
                kind,
                Action::Read,
                None,
                format!("{detail} client={client_id} (存在しない)"),
            ));
        };
        if office_id == self.office_id() {
            let consents = consents_of(self, client_id).await?;
            let today = today_jst();
            for row in my_rows(self, Some(client_id)).await? {
                let grant = Grant {
                    office_id,
                    on_team: row.active,
                    basis: basis_for(member_kind(&row)?, row.id, section, &consents, today),
                };
                if let Ok(basis) = policy::authorize_shared(self.actor(), &grant) {
                    let member = crate::team::decode_member(row)?;
                    return Ok(SharedAccess {
                        client_id,
                        member_id: member.id,
                        member: member.record,
                        basis,
                        section,
                    });
                }
            }
            return Err(self.refused(kind, Action::Read, Some(client_id), detail));
        }
        Err(self.refused(
            kind,
            Action::Read,
            None,
            format!("{detail} client={client_id} (他の事業所)"),
        ))
    }

    /// Logs what was shown under `sa` as a disclosure: to whom, about whom (the event's
    /// client), which items, on what basis.
    pub(crate) fn disclose(&mut self, sa: &SharedAccess, record_id: Option<i64>, items: &str) {
        let basis = match sa.basis {
            Basis::Consent(id) => format!("同意#{id}"),
            Basis::Own => "本人の記録".into(),
        };
        let to = recipient(sa.member_id, &sa.member);
        self.record(
            "disclose",
            kind_of(sa.section),
            record_id,
            Some(sa.client_id),
            format!("相手: {to}／項目: {items}／根拠: {basis}"),
        );
    }
}

/// A recipient as the disclosure log names them: 「チーム#12 山田 一郎（ひだまり作業所・サービス事業所）」.
pub fn recipient(member_id: i64, m: &TeamMemberRecord) -> String {
    if m.organisation.is_empty() {
        format!("チーム#{member_id} {}（{}）", m.name, m.kind.label())
    } else {
        format!(
            "チーム#{member_id} {}（{}・{}）",
            m.name,
            m.organisation,
            m.kind.label()
        )
    }
}

/// A client whose team the outside member is on, with the sections they may see today.
#[derive(Debug, Clone)]
pub struct SharedClient {
    pub client_id: i64,
    pub name: String,
    pub member_id: i64,
    pub member: TeamMemberRecord,
    pub sections: Vec<ShareSection>,
}

/// The clients the acting outside member may see anything of today, each with its sections.
/// A client none of whose sections are covered is not listed (not even by name). Each listed
/// name is a disclosure.
pub async fn my_clients(tx: &mut Tx) -> Result<Vec<SharedClient>> {
    shared_clients(tx, None, true).await
}

/// One client as [`my_clients`] lists it (the tabs of a section's page), without logging the
/// name again: the section's own view is the disclosure.
pub async fn my_client(tx: &mut Tx, client_id: i64) -> Result<Option<SharedClient>> {
    Ok(shared_clients(tx, Some(client_id), false).await?.pop())
}

async fn shared_clients(
    tx: &mut Tx,
    only: Option<i64>,
    log_names: bool,
) -> Result<Vec<SharedClient>> {
    if tx.actor().role != Role::Outside {
        return Err(tx.refused(KIND, Action::Read, None, "共有の一覧".into()));
    }
    let today = today_jst();
    let mut out: Vec<SharedClient> = Vec::new();
    for row in my_rows(tx, only).await? {
        if !row.active || out.iter().any(|c| c.client_id == row.client_id) {
            continue;
        }
        let consents = consents_of(tx, row.client_id).await?;
        let kind = member_kind(&row)?;
        let granted: Vec<(ShareSection, Basis)> = SHOWN
            .iter()
            .filter_map(|s| basis_for(kind, row.id, *s, &consents, today).map(|b| (*s, b)))
            .collect();
        let Some((first, basis)) = granted.first().copied() else {
            continue;
        };
        let c = client::Entity::find_by_id(row.client_id)
            .filter(client::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        let member = crate::team::decode_member(row)?;
        let sa = SharedAccess {
            client_id: c.id,
            member_id: member.id,
            member: member.record,
            basis,
            section: first,
        };
        if log_names {
            tx.disclose(&sa, None, "氏名（共有の一覧）");
        }
        out.push(SharedClient {
            client_id: c.id,
            name: format!("{} {}", c.family_name, c.given_name),
            member_id: sa.member_id,
            member: sa.member,
            sections: granted.into_iter().map(|(s, _)| s).collect(),
        });
    }
    Ok(out)
}

/// 基本情報 under a grant for it.
pub async fn basic(tx: &mut Tx, sa: &SharedAccess) -> Result<crate::clients::Client> {
    if sa.section != ShareSection::Basic {
        return Err(StoreError::NotFound);
    }
    let c = crate::clients::get(tx, &sa.as_client(RecordKind::Ledger)).await?;
    tx.disclose(sa, Some(sa.client_id), ShareSection::Basic.label());
    Ok(c)
}

/// The plan in force (the newest final version of any case), if there is one.
pub async fn plan(tx: &mut Tx, sa: &SharedAccess) -> Result<Option<Plan>> {
    if sa.section != ShareSection::Plan {
        return Err(StoreError::NotFound);
    }
    let Some(id) = crate::plans::in_force_id(tx, sa.client_id).await? else {
        return Ok(None);
    };
    let p = crate::plans::get(tx, &sa.as_client(RecordKind::Plan), id).await?;
    tx.disclose(sa, Some(id), "サービス等利用計画（本計画・週間計画）");
    Ok(Some(p))
}

/// Monitoring as an outside member sees it: the next month due, and the reports on the plan in
/// force, newest first.
#[derive(Debug, Clone, Default)]
pub struct SharedMonitoring {
    pub next: Option<DueMonth>,
    pub reports: Vec<Monitoring>,
}

pub async fn monitoring(tx: &mut Tx, sa: &SharedAccess) -> Result<SharedMonitoring> {
    if sa.section != ShareSection::Monitoring {
        return Err(StoreError::NotFound);
    }
    let Some(plan_id) = crate::plans::in_force_id(tx, sa.client_id).await? else {
        return Ok(SharedMonitoring::default());
    };
    let case_id = plan::Entity::find_by_id(plan_id)
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?
        .case_id;
    let acc = sa.as_client(RecordKind::Monitoring);
    let reports: Vec<Monitoring> = crate::monitorings::list(tx, &acc, case_id)
        .await?
        .into_iter()
        .filter(|m| m.plan_id == plan_id)
        .collect();
    let schedule = crate::monitorings::case_schedule(tx, &acc, case_id, today_jst()).await?;
    tx.disclose(
        sa,
        Some(plan_id),
        &format!("モニタリング（報告{}件・次の予定）", reports.len()),
    );
    Ok(SharedMonitoring {
        next: schedule.next().cloned(),
        reports,
    })
}

/// The actions the 共有・開示の記録 lists: what left the office about the person, and who was let
/// in or out of seeing it.
pub const DISCLOSURE_ACTIONS: [&str; 10] = [
    "disclose",
    "disclose_person",
    "print",
    "export",
    "invite",
    "join",
    "unlink",
    "share",
    "receive",
    "unshare",
];

/// One line of a client's 共有・開示の記録.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Disclosure {
    pub at: DateTime<Utc>,
    /// Who acted (a staff member, or the outside member who viewed).
    pub user_id: Option<i64>,
    /// disclose (an outside member's view), print (a PDF made), export (FHIR), invite, join,
    /// unlink, share, receive, unshare.
    pub action: String,
    /// The record kind the event concerns.
    pub kind: String,
    pub record_id: Option<i64>,
    /// For a view: 「相手: …／項目: …／根拠: 同意#…」.
    pub detail: String,
}

/// The client's 共有・開示の記録, newest first (at most 500 at a time, `action` one of
/// [`DISCLOSURE_ACTIONS`] or all of them): whoever may read the care team and its consents sees
/// what was disclosed under them. The read is logged.
pub async fn disclosures(
    tx: &mut Tx,
    a: &ClientAccess,
    action: Option<&str>,
) -> Result<Vec<Disclosure>> {
    use crate::entities::audit_event;
    a.check(KIND, Action::Read)?;
    let actions: Vec<&str> = match action {
        Some(x) if DISCLOSURE_ACTIONS.contains(&x) => vec![x],
        _ => DISCLOSURE_ACTIONS.to_vec(),
    };
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::OfficeId.eq(tx.office_id()))
        .filter(audit_event::Column::ClientId.eq(a.client_id))
        .filter(audit_event::Column::Action.is_in(actions))
        .order_by_desc(audit_event::Column::Seq)
        .limit(500)
        .all(tx.conn())
        .await?;
    tx.record("list", KIND, None, Some(a.client_id), "共有・開示の記録");
    Ok(rows
        .into_iter()
        .map(|r| Disclosure {
            at: r.at,
            user_id: r.user_id,
            action: r.action,
            kind: r.record_kind,
            record_id: r.record_id,
            detail: r.detail,
        })
        .collect())
}

/// An outside member's account as the admin manages it, with the teams it sits on.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub active: bool,
    pub version: i32,
    /// 「青木 明子さん（サービス事業所 ひかり作業所）」 per team row bound to it.
    pub teams: Vec<String>,
}

/// Every outside member's account of the office (admins only): to deactivate one whose phone
/// was lost, end its sessions or reset its second factor with the staff tools.
pub async fn accounts(tx: &Tx) -> Result<Vec<AccountRow>> {
    use crate::entities::user;
    tx.office_access(RecordKind::Staff, Action::Write)?;
    let users = user::Entity::find()
        .filter(user::Column::OfficeId.eq(tx.office_id()))
        .filter(user::Column::Role.eq(Role::Outside.code()))
        .order_by_desc(user::Column::Active)
        .order_by_asc(user::Column::Id)
        .all(tx.conn())
        .await?;
    let links = member_account::Entity::find()
        .filter(member_account::Column::OfficeId.eq(tx.office_id()))
        .all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let mut teams = Vec::new();
        for l in links.iter().filter(|l| l.user_id == u.id) {
            let Some(m) = team_member::Entity::find_by_id(l.member_id)
                .filter(team_member::Column::OfficeId.eq(tx.office_id()))
                .one(tx.conn())
                .await?
            else {
                continue;
            };
            let c = client::Entity::find_by_id(m.client_id)
                .filter(client::Column::OfficeId.eq(tx.office_id()))
                .one(tx.conn())
                .await?;
            let member = crate::team::decode_member(m)?.record;
            if let Some(c) = c {
                teams.push(format!(
                    "{} {}さん（{}）",
                    c.family_name,
                    c.given_name,
                    if member.organisation.is_empty() {
                        member.kind.label().to_string()
                    } else {
                        format!("{} {}", member.kind.label(), member.organisation)
                    }
                ));
            }
        }
        out.push(AccountRow {
            user_id: u.id,
            login: u.login,
            name: u.display_name,
            active: u.active,
            version: u.version,
            teams,
        });
    }
    Ok(out)
}

/// A provider's サービス提供状況 report as stored.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProviderReport {
    pub id: i64,
    pub plan_id: i64,
    pub member_id: i64,
    /// Who reports: 「佐藤 サビ管（ひかり作業所）」.
    pub from: String,
    pub record: yorisoi_domain::monitoring::provider::ProviderReportRecord,
    /// Written by the person themself: 「わたしの ことば」 (the note), no goal rows.
    pub from_person: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

fn decode_report(
    m: crate::entities::provider_report::Model,
    from: String,
    from_person: bool,
) -> Result<ProviderReport> {
    Ok(ProviderReport {
        from_person,
        record: serde_json::from_str(&m.body)
            .map_err(|e| corrupt("provider report", &e.to_string()))?,
        id: m.id,
        plan_id: m.plan_id,
        member_id: m.member_id,
        from,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// Whether the member may report サービス提供状況 under this grant: a provider (サービス事業所 or
/// 医療機関 giving a service in the plan) who may read the plan.
pub fn may_report(sa: &SharedAccess) -> bool {
    sa.section == ShareSection::Plan
        && matches!(
            sa.member.kind,
            MemberKind::Provider | MemberKind::Medical | MemberKind::Person
        )
}

/// Whether the grant is the person's own: they write 「わたしの ことば」 (the note alone) before a
/// monitoring visit, not a report per goal.
pub fn is_person(sa: &SharedAccess) -> bool {
    sa.member.kind == MemberKind::Person
}

/// The plan in force and its row keys, for the report form (what the provider reports on).
pub async fn report_plan(tx: &mut Tx, sa: &SharedAccess) -> Result<Option<Plan>> {
    if !may_report(sa) {
        return Err(StoreError::NotFound);
    }
    plan(tx, sa).await
}

/// The member's report on the plan in force for `month`, if they wrote one.
pub async fn my_report(
    tx: &mut Tx,
    sa: &SharedAccess,
    plan_id: i64,
    month: yorisoi_domain::certificate::YearMonth,
) -> Result<Option<ProviderReport>> {
    use crate::entities::provider_report;
    if !may_report(sa) {
        return Err(StoreError::NotFound);
    }
    let m = provider_report::Entity::find()
        .filter(provider_report::Column::OfficeId.eq(tx.office_id()))
        .filter(provider_report::Column::PlanId.eq(plan_id))
        .filter(provider_report::Column::MemberId.eq(sa.member_id))
        .filter(provider_report::Column::Month.eq(month.code()))
        .one(tx.conn())
        .await?;
    m.map(|m| decode_report(m, recipient_short(&sa.member), is_person(sa)))
        .transpose()
}

fn recipient_short(m: &TeamMemberRecord) -> String {
    if m.organisation.is_empty() {
        m.name.clone()
    } else {
        format!("{}（{}）", m.name, m.organisation)
    }
}

/// Saves the provider's report of a month on the plan in force: a new one, or the month's
/// report from `version` (409 when it changed since it was read). Rows are checked against the
/// plan's own rows.
pub async fn save_report(
    tx: &mut Tx,
    sa: &SharedAccess,
    input: &yorisoi_domain::monitoring::provider::ProviderReportInput,
    version: Option<i32>,
) -> Result<i64> {
    use crate::entities::provider_report;
    if !may_report(sa) {
        return Err(StoreError::NotFound);
    }
    let plan_id = crate::plans::in_force_id(tx, sa.client_id)
        .await?
        .ok_or_else(|| {
            StoreError::Rule("いま効力のある計画（本計画）がないため、報告できません。".into())
        })?;
    let p = plan::Entity::find_by_id(plan_id)
        .one(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let keys: Vec<u32> = crate::plans::decode(&p)?
        .rows
        .iter()
        .map(|r| r.key)
        .collect();
    // The person writes their own words, not a provider's report per goal.
    let keys = if is_person(sa) { Vec::new() } else { keys };
    let r = input.validate(&keys).map_err(StoreError::Invalid)?;
    let body = serde_json::to_string(&r).map_err(|e| corrupt("provider report", &e.to_string()))?;
    let now = now_utc();
    let existing = provider_report::Entity::find()
        .filter(provider_report::Column::OfficeId.eq(tx.office_id()))
        .filter(provider_report::Column::PlanId.eq(plan_id))
        .filter(provider_report::Column::MemberId.eq(sa.member_id))
        .filter(provider_report::Column::Month.eq(r.month.code()))
        .one(tx.conn())
        .await?;
    let id = match existing {
        Some(m) => {
            if version != Some(m.version) {
                return Err(StoreError::Conflict);
            }
            let done = provider_report::Entity::update_many()
                .col_expr(provider_report::Column::Body, Expr::value(body))
                .col_expr(
                    provider_report::Column::UserId,
                    Expr::value(tx.actor().user_id),
                )
                .col_expr(provider_report::Column::Version, Expr::value(m.version + 1))
                .col_expr(provider_report::Column::UpdatedAt, Expr::value(now))
                .filter(provider_report::Column::Id.eq(m.id))
                .filter(provider_report::Column::Version.eq(m.version))
                .exec(tx.conn())
                .await?;
            if done.rows_affected == 0 {
                return Err(StoreError::Conflict);
            }
            m.id
        }
        None => {
            provider_report::ActiveModel {
                office_id: Set(tx.office_id()),
                client_id: Set(sa.client_id),
                plan_id: Set(plan_id),
                member_id: Set(sa.member_id),
                user_id: Set(tx.actor().user_id),
                month: Set(r.month.code()),
                body: Set(body),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?
            .id
        }
    };
    tx.record(
        "provider_report",
        RecordKind::Monitoring,
        Some(id),
        Some(sa.client_id),
        format!(
            "{} {}の{}",
            recipient(sa.member_id, &sa.member),
            r.month.label(),
            if is_person(sa) {
                "「わたしの ことば」".to_string()
            } else {
                format!("サービス提供状況（{}件）", r.rows.len())
            }
        ),
    );
    Ok(id)
}

/// The providers' reports on a plan, newest month first: what the monitoring form shows beside
/// each goal (staff who may read the client's monitoring).
pub async fn reports_for_plan(
    tx: &mut Tx,
    a: &ClientAccess,
    plan_id: i64,
) -> Result<Vec<ProviderReport>> {
    use crate::entities::provider_report;
    a.check(RecordKind::Monitoring, Action::Read)?;
    let rows = provider_report::Entity::find()
        .filter(provider_report::Column::OfficeId.eq(tx.office_id()))
        .filter(provider_report::Column::ClientId.eq(a.client_id))
        .filter(provider_report::Column::PlanId.eq(plan_id))
        .order_by_desc(provider_report::Column::Month)
        .order_by_asc(provider_report::Column::MemberId)
        .all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let member = team_member::Entity::find_by_id(m.member_id)
            .filter(team_member::Column::OfficeId.eq(tx.office_id()))
            .one(tx.conn())
            .await?
            .map(crate::team::decode_member)
            .transpose()?;
        let person = member
            .as_ref()
            .is_some_and(|x| x.record.kind == MemberKind::Person);
        let from = member
            .map(|x| recipient_short(&x.record))
            .unwrap_or_default();
        out.push(decode_report(m, from, person)?);
    }
    if !out.is_empty() {
        tx.record(
            "list",
            RecordKind::Monitoring,
            Some(plan_id),
            Some(a.client_id),
            "事業所からのサービス提供状況",
        );
    }
    Ok(out)
}

/// Logs that the outside member `user_id` asked for a page or API path outside what is shared
/// with them (the gate answered 404): in the office's chain, without waiting for it.
pub fn record_gate_refusal(store: &Store, office_id: i64, user_id: i64, path: &str) {
    let path: String = path.chars().take(200).collect();
    let ev = crate::audit::PendingEvent {
        action: "refused_read".into(),
        kind: "session".into(),
        record_id: None,
        client_id: None,
        outcome: "refused",
        detail: format!("この役割で開けるページの範囲外: {path}"),
    };
    store
        .audit_queue
        .append_detached(office_id, Some(user_id), vec![ev]);
}

/// Whether the member sends the provider's 個別支援計画 under this grant: a provider (サービス
/// 事業所 or 医療機関) who may read the plan.
pub fn may_send_ipp(sa: &SharedAccess) -> bool {
    sa.section == ShareSection::Plan
        && matches!(sa.member.kind, MemberKind::Provider | MemberKind::Medical)
}

/// Whether a row of the plan is the member's own service: the same directory entry, or (when
/// either is not linked to the directory) their organisation named as the row's provider.
pub fn own_row(member: &TeamMemberRecord, row: &yorisoi_domain::plan::PlanRow) -> bool {
    match (member.resource_id, row.resource_id) {
        (Some(a), Some(b)) => a == b,
        _ => {
            let org = yorisoi_domain::text::search_fold(member.organisation.trim());
            !org.is_empty() && yorisoi_domain::text::search_fold(&row.provider).contains(&org)
        }
    }
}

/// The member of the grant, as the team holds them.
pub fn member_of(sa: &SharedAccess) -> &TeamMemberRecord {
    &sa.member
}

/// The rows' implementation records of the plan in force (which have a 個別支援計画 on file),
/// as the provider's page shows them.
pub async fn ipp_rows(
    tx: &mut Tx,
    sa: &SharedAccess,
    plan_id: i64,
) -> Result<Vec<crate::plans::Implementation>> {
    if !may_send_ipp(sa) {
        return Err(StoreError::NotFound);
    }
    crate::plans::implementations(tx, &sa.as_client(RecordKind::Plan), plan_id).await
}

/// A provider sends its 個別支援計画 for one row of the plan in force (PDF, PNG or JPEG, up to
/// 10 MB): the row's implementation record is made if the office has none yet (the provider,
/// its サービス管理責任者 as the member), its 受領日 set to today if empty, and the file linked
/// to the row — 未登録 becomes 受領 on the specialist's plan page. The upload is logged.
pub async fn send_ipp(
    tx: &mut Tx,
    sa: &SharedAccess,
    row_key: u32,
    filename: &str,
    bytes: Vec<u8>,
) -> Result<i64> {
    if !may_send_ipp(sa) {
        return Err(StoreError::NotFound);
    }
    let Some(plan_id) = crate::plans::in_force_id(tx, sa.client_id).await? else {
        return Err(StoreError::Rule(
            "いま有効な計画（本計画）がありません。相談支援専門員にお問い合わせください。".into(),
        ));
    };
    let acc = ClientAccess {
        action: Action::Write,
        ..sa.as_client(RecordKind::Plan)
    };
    // Only the member's own row: a provider sends its plan, never another's.
    let plan = crate::plans::get(tx, &acc, plan_id).await?;
    if !plan
        .record
        .rows
        .iter()
        .any(|r| r.key == row_key && own_row(&sa.member, r))
    {
        return Err(StoreError::NotFound);
    }
    let today = today_jst();
    let current = crate::plans::implementations(tx, &acc, plan_id)
        .await?
        .into_iter()
        .find(|i| i.row_key == row_key);
    match current {
        None => {
            let r = yorisoi_domain::plan::ImplementationRecord {
                provider: if sa.member.organisation.is_empty() {
                    sa.member.name.clone()
                } else {
                    sa.member.organisation.clone()
                },
                service_type: String::new(),
                manager: sa.member.name.clone(),
                contact: sa.member.contact.clone(),
                contract_on: None,
                ipp_received_on: Some(today),
            };
            crate::plans::set_implementation(tx, &acc, plan_id, row_key, None, &r).await?;
        }
        Some(i) if i.record.ipp_received_on.is_none() => {
            let r = yorisoi_domain::plan::ImplementationRecord {
                ipp_received_on: Some(today),
                ..i.record
            };
            crate::plans::set_implementation(tx, &acc, plan_id, row_key, Some(i.version), &r)
                .await?;
        }
        Some(_) => {}
    }
    crate::plans::attach(tx, &acc, plan_id, row_key, filename, bytes).await
}
