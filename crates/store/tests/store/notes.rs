//! Case notes and Japanese search.

use crate::common::*;
use yorisoi_domain::note::NoteInput;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::*;

store_test!(
    notes_are_searchable_in_japanese,
    |store: Store| async move {
        let o = office(&store, "よりそい", "g").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Write)
            .await
            .unwrap();
        for (i, content) in [
            "服薬の飲み忘れが続いている。お薬カレンダーを提案。",
            "B型事業所で作業の様子を見学。集中力がある。",
            "母の施設へ面会に同行した。",
        ]
        .iter()
        .enumerate()
        {
            let n = NoteInput {
                date: format!("2026-11-{:02}", 10 + i),
                kind: "visit".into(),
                counterpart: "本人".into(),
                content: (*content).into(),
                minutes: "30".into(),
                ..Default::default()
            };
            notes::add(&mut tx, &acc, &n.validate(now).unwrap())
                .await
                .unwrap();
        }
        let (all, more) = notes::list(&mut tx, &acc, "", 10, 0).await.unwrap();
        assert_eq!(all.len(), 3);
        assert!(!more);
        assert!(
            all[0].record.content.starts_with("母の施設"),
            "newest first"
        );
        for (q, n) in [
            ("飲み忘れ", 1),
            ("カレンダー", 1),
            ("施設", 1),
            ("母", 1),
            ("集中力 見学", 1),
            ("事業所", 1),
            ("本人", 3),
            ("存在しない語", 0),
            ("\"", 0),
            ("%", 0),
        ] {
            let (found, _) = notes::list(&mut tx, &acc, q, 10, 0).await.unwrap();
            assert_eq!(found.len(), n, "query {q}");
        }
        let (page, more) = notes::list(&mut tx, &acc, "", 2, 0).await.unwrap();
        assert_eq!(page.len(), 2);
        assert!(more);
        // Edit with conflict detection; the index follows the edit.
        let first = &all[2];
        let mut r = first.record.clone();
        r.content = "薬カレンダーを導入した。".into();
        notes::update(&mut tx, &acc, first.id, first.version, &r)
            .await
            .unwrap();
        assert!(matches!(
            notes::update(&mut tx, &acc, first.id, first.version, &r).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            notes::list(&mut tx, &acc, "飲み忘れ", 10, 0)
                .await
                .unwrap()
                .0
                .len(),
            0
        );
        assert_eq!(
            notes::list(&mut tx, &acc, "導入した", 10, 0)
                .await
                .unwrap()
                .0
                .len(),
            1
        );
        // Every kana form finds the note, as the client search does; half-width typed text
        // too. The two fields are not joined into one match.
        let n = NoteInput {
            date: "2026-11-20".into(),
            kind: "phone".into(),
            counterpart: "ﾍﾙﾊﾟｰ事業所".into(),
            content: "ヘルパーさんと買い物の曜日を相談。".into(),
            ..Default::default()
        };
        notes::add(&mut tx, &acc, &n.validate(now).unwrap())
            .await
            .unwrap();
        for (q, found) in [
            ("ﾍﾙﾊﾟｰ", 1),
            ("へるぱー", 1),
            ("ヘルパー", 1),
            ("へるぱーさん", 1),
            ("ヘルパー事業所", 1),
            ("Ｂ型", 1),
            ("b型", 1),
            ("相談。ヘルパー", 0),
        ] {
            assert_eq!(
                notes::list(&mut tx, &acc, q, 10, 0).await.unwrap().0.len(),
                found,
                "query {q}"
            );
        }
        tx.commit().await.unwrap();
    }
);

store_test!(
    notes_of_a_period_oldest_first_and_whose_a_staff_member_has,
    |store: Store| async move {
        let o = office(&store, "よりそい", "g").await;
        let id = add_client(&store, o.spec, a_san()).await;
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(id, RecordKind::CaseNote, Action::Write)
            .await
            .unwrap();
        // The last minute of a day and the first of the next: the period's edges are dates.
        for (date, time, content) in [
            ("2026-10-31", "23:59", "十月の最後"),
            ("2026-11-01", "00:00", "十一月の最初"),
            ("2026-11-30", "23:59", "十一月の最後"),
            ("2026-11-15", "10:00", "十一月の中ほど"),
        ] {
            let n = NoteInput {
                date: date.into(),
                time: time.into(),
                kind: "phone".into(),
                content: content.into(),
                ..Default::default()
            };
            let now = now + chrono::Duration::days(30);
            notes::add(&mut tx, &acc, &n.validate(now).unwrap())
                .await
                .unwrap();
        }
        let got: Vec<String> = notes::between(&mut tx, &acc, d(11, 1), d(11, 30))
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.record.content)
            .collect();
        assert_eq!(got, ["十一月の最初", "十一月の中ほど", "十一月の最後"]);
        assert_eq!(
            notes::clients_of_staff_between(&tx, o.spec.user_id, d(11, 1), d(11, 30))
                .await
                .unwrap(),
            vec![id]
        );
        assert!(
            notes::clients_of_staff_between(&tx, o.spec2.user_id, d(11, 1), d(11, 30))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            notes::clients_of_staff_between(&tx, o.spec.user_id, d(9, 1), d(9, 30))
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
    }
);
