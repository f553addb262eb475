//! Issue 22: the client page's small reads together (one statement on PostgreSQL) give what the
//! reads one by one give, to the same people, with the same events logged.

use crate::common::*;
use yorisoi_domain::case::{CloseRecord, TerminationReason};
use yorisoi_domain::certificate::CertificateInput;
use yorisoi_domain::client::BookInput;
use yorisoi_domain::policy::{Action, Actor, RecordKind};
use yorisoi_store::client_page::Wanted;
use yorisoi_store::*;

/// The first page of notes in the test: small, so that the client has more.
const NOTES: u64 = 3;

/// Every combination: the client page asks for all (cases and notes only for a role that reads
/// them, notes only on the first page), the client's JSON for none.
const ALL: [Wanted; 8] = {
    let mut all = [Wanted {
        certificates: false,
        cases: false,
        notes: None,
    }; 8];
    let mut i = 0;
    while i < 8 {
        all[i] = Wanted {
            certificates: i & 1 != 0,
            cases: i & 2 != 0,
            notes: if i & 4 != 0 { Some(NOTES) } else { None },
        };
        i += 1;
    }
    all
};
const PAGE: Wanted = ALL[7];

/// The page's reads one by one, as the client page did them before.
async fn one_by_one(store: &Store, actor: Actor, id: i64, wanted: Wanted) -> Result<String> {
    let mut tx = store.read(actor).await?;
    let ledger = tx
        .client_access(id, RecordKind::Ledger, Action::Read)
        .await?;
    let client = clients::get(&mut tx, &ledger).await?;
    let books = clients::books(&tx, &ledger).await?;
    let certs = if wanted.certificates {
        let acc = tx
            .client_access(id, RecordKind::Certificate, Action::Read)
            .await?;
        certificates::list(&mut tx, &acc).await?
    } else {
        Vec::new()
    };
    let cases = if wanted.cases {
        let acc = tx.client_access(id, RecordKind::Case, Action::Read).await?;
        cases::list(&mut tx, &acc).await?
    } else {
        Vec::new()
    };
    let notes = match wanted.notes {
        Some(limit) => {
            let acc = tx
                .client_access(id, RecordKind::CaseNote, Action::Read)
                .await?;
            notes::list(&mut tx, &acc, "", limit, 0).await?
        }
        None => (Vec::new(), false),
    };
    tx.commit().await?;
    Ok(format!(
        "{client:?} {books:?} {certs:?} {cases:?} {notes:?}"
    ))
}

async fn together(store: &Store, actor: Actor, id: i64, wanted: Wanted) -> Result<String> {
    let mut tx = store.read(actor).await?;
    let r = client_page::read(&mut tx, id, wanted).await?;
    tx.commit().await?;
    Ok(format!(
        "{:?} {:?} {:?} {:?} {:?}",
        r.client,
        r.books,
        r.certs,
        r.cases,
        (r.notes, r.more_notes)
    ))
}

store_test!(
    the_page_reads_together_what_it_read_one_by_one,
    |store: Store| async move {
        let o = office(&store, "よりそい", "p").await;
        let other = office(&store, "となり", "q").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let bare = add_client(&store, o.spec, a_san()).await;
        // Unassigned: the admin reads it, a specialist as the rules say.
        let mut tx = store.begin(o.admin).await.unwrap();
        let record = a_san().validate(today()).unwrap();
        let unassigned = clients::create(&mut tx, &record, None).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Certificate, Action::Write)
            .await
            .unwrap();
        for until in ["2027-04-30", "2027-10-31"] {
            let cert = CertificateInput {
                number: "0123456789".into(),
                municipality: "N市".into(),
                issued_on: "2026-04-20".into(),
                decision_from: "2026-05-01".into(),
                decision_until: until.into(),
                services: "計画相談支援".into(),
                plan_support_from: "2026-05-01".into(),
                plan_support_until: until.into(),
                monitoring_period: "every3".into(),
                monitoring_months: "7,10,1,4".into(),
                ..Default::default()
            }
            .validate()
            .unwrap();
            certificates::add(&mut tx, &acc, &cert).await.unwrap();
        }
        let acc = tx
            .client_access(id, RecordKind::Ledger, Action::Write)
            .await
            .unwrap();
        for (kind, grade, expires_on) in [("physical", "2", ""), ("mental", "3", "2027-06-30")] {
            let book = BookInput {
                kind: kind.into(),
                grade: grade.into(),
                issued_on: "2020-06-01".into(),
                expires_on: expires_on.into(),
            }
            .validate()
            .unwrap();
            clients::add_book(&mut tx, &acc, &book).await.unwrap();
        }
        tx.commit().await.unwrap();
        // Two cases opened on different days, the older one closed (every optional column set).
        let first = open_case(&store, o.spec, id).await;
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::Case, Action::Write)
            .await
            .unwrap();
        let closed_on = chrono::NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let close = CloseRecord {
            closed_on,
            reason: TerminationReason::Moved,
            reason_text: "隣の市へ".into(),
            evaluation: Default::default(),
        };
        cases::close(&mut tx, &acc, first, 1, &close).await.unwrap();
        tx.commit().await.unwrap();
        open_case_on(&store, o.spec, id, "R8.6.1").await;
        // Notes: more than the page, two at the same moment (the id decides), one with every
        // optional column set.
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Write)
            .await
            .unwrap();
        for (date, time, minutes, case_id) in [
            ("2026-11-10", "10:00", "30", String::new()),
            ("2026-11-12", "09:30", "", String::new()),
            ("2026-11-12", "09:30", "15", first.to_string()),
            ("R8.11.11", "16:45", "60", String::new()),
            ("2026-11-09", "08:00", "", String::new()),
        ] {
            let n = yorisoi_domain::note::NoteInput {
                date: date.into(),
                time: time.into(),
                kind: "visit".into(),
                counterpart: "本人".into(),
                content: format!("{date} {time} の訪問。"),
                minutes: minutes.into(),
                case_id,
            };
            notes::add(&mut tx, &acc, &n.validate(now_jst()).unwrap())
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();

        // Everything shown, in the same order, for a client with rows of every kind and for
        // one with none, whatever is wanted.
        for (who, client) in [(o.spec, id), (o.spec, bare), (o.admin, unassigned)] {
            for wanted in ALL {
                let want = one_by_one(&store, who, client, wanted).await.unwrap();
                let got = together(&store, who, client, wanted).await.unwrap();
                assert_eq!(got, want, "client {client}, {wanted:?}");
            }
        }
        let mut tx = store.read(o.spec).await.unwrap();
        let r = client_page::read(&mut tx, id, PAGE).await.unwrap();
        tx.commit().await.unwrap();
        let counts = (r.books.len(), r.certs.len(), r.cases.len(), r.notes.len());
        assert_eq!(counts, (2, 2, 2, 3), "every row of every kind");
        assert!(r.more_notes, "five notes, a page of three");
        assert_eq!(r.notes[0].record.case_id, Some(first));
        assert!(
            r.notes[0].record.occurred_at == r.notes[1].record.occurred_at
                && r.notes[0].id > r.notes[1].id,
            "newest first, the later id first at the same moment: {:?}",
            r.notes
        );
        assert_eq!(r.certs[0].version_no, 2, "newest certificate first");
        assert_eq!(
            r.cases[1].closed_on,
            Some(closed_on),
            "the newest case first"
        );
        assert!(r.books[1].record.expires_on.is_some());

        // The same events: what one read by one logs, the read together logs.
        let before = client_events(&store, o.admin, id).await.len();
        one_by_one(&store, o.spec, id, PAGE).await.unwrap();
        let mid = client_events(&store, o.admin, id).await;
        together(&store, o.spec, id, PAGE).await.unwrap();
        let after = client_events(&store, o.admin, id).await;
        assert_eq!(after[mid.len()..], mid[before..], "{after:?}");
        assert!(
            mid.len() - before >= 4,
            "ledger, certificates, cases, notes: {mid:?}"
        );

        // Refused to the same people, with nothing returned: another office's staff, and each
        // role of this office as the reads one by one decide.
        // A client that does not exist is refused the same way.
        let missing = id + 1_000_000;
        for who in [other.admin, other.spec, o.spec2, o.clerk, o.admin, o.spec] {
            for client in [id, unassigned, missing] {
                for wanted in ALL {
                    let want = one_by_one(&store, who, client, wanted).await;
                    let got = together(&store, who, client, wanted).await;
                    match (&want, &got) {
                        (Ok(w), Ok(g)) => assert_eq!(g, w),
                        (Err(w), Err(g)) => assert_eq!(
                            std::mem::discriminant(w),
                            std::mem::discriminant(g),
                            "{who:?} {client} {wanted:?}: {w:?} / {g:?}"
                        ),
                        _ => panic!("{who:?} {client} {wanted:?}: {want:?} / {got:?}"),
                    }
                    if who.office_id == other.admin.office_id || client == missing {
                        assert!(matches!(got, Err(StoreError::NotFound)), "{got:?}");
                    }
                }
            }
        }
    }
);
