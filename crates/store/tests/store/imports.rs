//! The ledger import: all or nothing, duplicates by number and by name + birth date, a stale
//! update refused, another office never matched nor touched, and who may import.

use crate::common::*;
use yorisoi_domain::import::{self, Match, auto_mapping, find_duplicates, parse_rows};
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::imports::{self, Planned, Step};
use yorisoi_store::*;

fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
    let mut out = vec![
        [
            "氏名",
            "ふりがな",
            "生年月日",
            "性別",
            "受給者証番号",
            "市町村",
            "交付日",
            "支給決定期間開始",
            "支給決定期間終了",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>(),
    ];
    out.extend(
        lines
            .iter()
            .map(|l| l.iter().map(|s| s.to_string()).collect()),
    );
    out
}

fn parsed(lines: &[&[&str]]) -> Vec<import::ImportRow> {
    let r = rows(lines);
    let p = parse_rows(&r, &auto_mapping(&r[0]), &[], false, today());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    p.rows
}

/// Planned steps: a duplicate of the ledger is updated, everything else created.
fn plan(rows: &[import::ImportRow], dups: &[Option<Match>], update: bool) -> Vec<Planned> {
    rows.iter()
        .zip(dups)
        .map(|(r, d)| Planned {
            row: r.row,
            record: r.record.clone(),
            cert: r.cert.clone(),
            staff_id: r.staff_id,
            step: match d {
                Some(Match::Existing {
                    client_id, version, ..
                }) if update => Step::Update {
                    client_id: *client_id,
                    version: *version,
                },
                Some(_) => Step::Skip,
                None => Step::Create,
            },
        })
        .collect()
}

async fn count(store: &Store, actor: yorisoi_domain::policy::Actor) -> u64 {
    let mut tx = store.read(actor).await.unwrap();
    let n = clients::list(&mut tx, &filter("")).await.unwrap().1;
    tx.commit().await.unwrap();
    n
}

const A: &[&str] = &[
    "青木 明子",
    "あおき あきこ",
    "S56.3.2",
    "女",
    "1234567890",
    "富津市",
    "R8.4.1",
    "R8.4.1",
    "R9.3.31",
];
const B: &[&str] = &[
    "山田 花子",
    "やまだ はなこ",
    "1990/1/1",
    "女",
    "",
    "",
    "",
    "",
    "",
];
const C: &[&str] = &[
    "佐藤 一",
    "さとう はじめ",
    "2000/2/2",
    "男",
    "2222222222",
    "君津市",
    "R8.4.1",
    "R8.4.1",
    "R9.3.31",
];

store_test!(
    import_is_all_or_nothing_and_audited,
    |store: Store| async move {
        let o = office(&store, "よりそい", "ia").await;
        let rs = parsed(&[A, B, C]);
        // A refusal on the third row (an assignee of no office) leaves nothing behind.
        let mut bad = plan(&rs, &[None, None, None], false);
        bad[2].staff_id = Some(999_999);
        let mut tx = store.begin(o.clerk).await.unwrap();
        let e = imports::run(&mut tx, &bad, |_| {}).await.unwrap_err();
        assert_eq!(e.row, 4);
        tx.rollback().await.unwrap();
        assert_eq!(count(&store, o.admin).await, 0);
        // The good file goes in whole, with its certificates and one audit event of counts.
        let mut seen = 0;
        let mut tx = store.begin(o.clerk).await.unwrap();
        let counts = imports::run(&mut tx, &plan(&rs, &[None, None, None], false), |n| {
            seen = n
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((counts.created, counts.certificates, seen), (3, 2, 3));
        assert_eq!(count(&store, o.admin).await, 3);
        let mut tx = store.read(o.admin).await.unwrap();
        let f = audit::AuditFilter {
            action: Some("import".into()),
            per_page: 50,
            ..Default::default()
        };
        let (log, _) = audit::list(&mut tx, &f).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "import" && e.detail.contains("created=3")),
            "the import is in the log"
        );
    }
);

store_test!(
    import_duplicates_stale_updates_and_offices,
    |store: Store| async move {
        let o = office(&store, "よりそい", "ib").await;
        let other = office(&store, "別の事業所", "ic").await;
        // The other office holds the same person and number: never matched, never touched.
        let mut tx = store.begin(other.admin).await.unwrap();
        imports::run(&mut tx, &plan(&parsed(&[A]), &[None], false), |_| {})
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        assert!(imports::known(&mut tx).await.unwrap().is_empty());
        imports::run(
            &mut tx,
            &plan(&parsed(&[A, B]), &[None, None], false),
            |_| {},
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // A second file: A again by number (another name), B by name + birth date, C new.
        let mut a2: Vec<&str> = A.to_vec();
        a2[0] = "青木 明美";
        let mut b2: Vec<&str> = B.to_vec();
        b2[0] = "山田　花子";
        let rs = parsed(&[&a2, &b2, C]);
        let mut tx = store.read(o.admin).await.unwrap();
        let known = imports::known(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        let dups = find_duplicates(&rs, &known);
        assert!(matches!(
            dups[0],
            Some(Match::Existing {
                by_number: true,
                ..
            })
        ));
        assert!(matches!(
            dups[1],
            Some(Match::Existing {
                by_number: false,
                ..
            })
        ));
        assert_eq!(dups[2], None);
        let steps = plan(&rs, &dups, true);
        // Someone edits B after the preview: the update is refused and nothing of the file is saved.
        let Some(Match::Existing {
            client_id: b_id, ..
        }) = dups[1]
        else {
            unreachable!()
        };
        let mut tx = store.begin(o.admin).await.unwrap();
        let acc = tx
            .client_access(b_id, RecordKind::Ledger, Action::Write)
            .await
            .unwrap();
        let c = clients::get(&mut tx, &acc).await.unwrap();
        let mut edited = c.record.clone();
        edited.address = "編集後".into();
        clients::update(&mut tx, &acc, c.version, &edited)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin(o.admin).await.unwrap();
        let e = imports::run(&mut tx, &steps, |_| {}).await.unwrap_err();
        assert!(matches!(e.error, StoreError::Conflict));
        assert_eq!(e.row, 3);
        tx.rollback().await.unwrap();
        assert_eq!(count(&store, o.admin).await, 2);
        // Read again, the same choices go through: A renamed, its same certificate not repeated.
        let mut tx = store.begin(o.admin).await.unwrap();
        let known = imports::known(&mut tx).await.unwrap();
        let counts = imports::run(
            &mut tx,
            &plan(&rs, &find_duplicates(&rs, &known), true),
            |_| {},
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (counts.created, counts.updated, counts.certificates),
            (1, 2, 1)
        );
        let mut tx = store.read(o.admin).await.unwrap();
        let (list, _) = clients::list(&mut tx, &filter("明美")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(list.len(), 1);
        // The other office's copy is as it was.
        let mut tx = store.read(other.admin).await.unwrap();
        let (list, n) = clients::list(&mut tx, &filter("")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (n, list[0].record.given_name.as_str(), list[0].version),
            (1, "明子", 1)
        );
        // A specialist (who sees only their own clients) may not import: not found.
        let mut tx = store.begin(o.spec).await.unwrap();
        assert!(matches!(
            imports::known(&mut tx).await,
            Err(StoreError::NotFound)
        ));
        let e = imports::run(&mut tx, &steps, |_| {}).await.unwrap_err();
        assert!(matches!(e.error, StoreError::NotFound));
        tx.rollback().await.unwrap();
    }
);
