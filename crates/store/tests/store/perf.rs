//! Issue 22: the client search counts and pages in one scan.

use crate::common::*;
use yorisoi_store::clients::ClientSort;
use yorisoi_store::*;

fn named(family: &str, kana: &str, given_kana: &str) -> yorisoi_domain::client::ClientInput {
    let mut c = a_san();
    c.family_name = family.into();
    c.family_name_kana = kana.into();
    c.given_name_kana = given_kana.into();
    c
}

store_test!(
    search_returns_the_total_and_the_page_together,
    |store: Store| async move {
        let o = office(&store, "よりそい", "p").await;
        // Five 佐藤 (two of them the specialist's), two others, and a 佐藤 of another office.
        for (i, given) in ["あい", "いと", "うみ", "えま", "おと"].iter().enumerate() {
            let actor = if i < 2 { o.spec } else { o.admin };
            add_client(&store, actor, named("佐藤", "さとう", given)).await;
        }
        add_client(&store, o.admin, named("鈴木", "すずき", "かい")).await;
        add_client(&store, o.spec, named("田中", "たなか", "きく")).await;
        let other = office(&store, "となり", "q").await;
        add_client(&store, other.admin, named("佐藤", "さとう", "くう")).await;

        let mut tx = store.read(o.admin).await.unwrap();
        let page_of = |page: u64| {
            let mut f = filter("サトウ");
            f.per_page = 2;
            f.page = page;
            f
        };
        let mut seen = Vec::new();
        for (page, len) in [(0, 2), (1, 2), (2, 1)] {
            let (rows, total) = clients::list(&mut tx, &page_of(page)).await.unwrap();
            assert_eq!(total, 5, "page {page}");
            assert_eq!(rows.len(), len, "page {page}");
            seen.extend(rows.iter().map(|r| r.record.given_name_kana.clone()));
        }
        assert_eq!(seen, ["あい", "いと", "うみ", "えま", "おと"], "sorted across pages");
        // Past the last page: no rows, the total still right.
        let (rows, total) = clients::list(&mut tx, &page_of(3)).await.unwrap();
        assert!(rows.is_empty());
        assert_eq!(total, 5);
        // Nothing matches: zero, not an error.
        let (rows, total) = clients::list(&mut tx, &filter("ワタナベ")).await.unwrap();
        assert!(rows.is_empty());
        assert_eq!(total, 0);
        // No query: every client of the office, the other office's not counted.
        let mut f = filter("");
        f.per_page = 3;
        f.sort = ClientSort::KanaDesc;
        let (rows, total) = clients::list(&mut tx, &f).await.unwrap();
        assert_eq!(total, 7);
        assert_eq!(rows[0].record.family_name_kana, "たなか");
        tx.commit().await.unwrap();

        // A specialist counts only the clients assigned to them.
        let mut tx = store.read(o.spec).await.unwrap();
        let (rows, total) = clients::list(&mut tx, &page_of(0)).await.unwrap();
        assert_eq!((rows.len(), total), (2, 2));
        let (rows, total) = clients::list(&mut tx, &filter("")).await.unwrap();
        assert_eq!((rows.len(), total), (3, 3));
        tx.commit().await.unwrap();
    }
);
