//! Issue 22: staff names and the dashboard are served by the office's `data_version` that each
//! request's session lookup reads anyway. A change made behind this server's back is seen from
//! the next request's lookup on; a write on this server is seen by the same request.

use crate::common::*;
use sea_orm::ConnectionTrait;
use yorisoi_domain::policy::{Actor, Role};
use yorisoi_store::*;

async fn names(store: &Store, actor: Actor) -> Vec<String> {
    let tx = store.read(actor).await.unwrap();
    let mut n: Vec<String> = users::names(&tx)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    tx.commit().await.unwrap();
    n.sort();
    n
}

/// A request's session lookup: what every page does first.
async fn look_up(store: &Store, token: &str) {
    let s = sessions::lookup(store, token, now_utc()).await.unwrap();
    assert!(s.is_some());
}

/// Another app server renames a user and moves the office's version, as its unit of work
/// would; this server's caches know nothing of it.
async fn rename_elsewhere(store: &Store, user_id: i64, name: &str, office_id: i64) {
    let p = |sql: &str| {
        if store.is_sqlite() {
            sql.to_string()
        } else {
            sql.replacen('?', "$1", 1).replacen('?', "$2", 1)
        }
    };
    let b = store.backend();
    store
        .conn()
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            b,
            p("UPDATE users SET display_name = ? WHERE id = ?"),
            [name.into(), user_id.into()],
        ))
        .await
        .unwrap();
    store
        .conn()
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            b,
            p("UPDATE offices SET data_version = data_version + 1 WHERE id = ?"),
            [office_id.into()],
        ))
        .await
        .unwrap();
}

/// Renames a specialist in the unit of work `tx` (not committed).
async fn rename(tx: &mut Tx, user_id: i64, name: &str) {
    let u = users::get(tx, user_id).await.unwrap();
    users::update(tx, u.id, u.version, name, Role::Specialist)
        .await
        .unwrap()
        .unwrap();
}

store_test!(
    staff_names_follow_the_office_version,
    |store: Store| async move {
        let o = office(&store, "よりそい", "v").await;
        let session = sessions::create(&store, o.admin.user_id).await.unwrap();
        look_up(&store, &session.token).await;
        assert!(names(&store, o.admin).await.contains(&"spec".to_string()));

        // Renamed elsewhere: until a request of this server looks the office up again, the
        // names read at the version it saw are served (the cache is really used)...
        rename_elsewhere(&store, o.spec.user_id, "佐藤 花子", o.admin.office_id).await;
        assert!(names(&store, o.admin).await.contains(&"spec".to_string()));
        // ...and the next request's lookup sees the new version.
        look_up(&store, &session.token).await;
        let now = names(&store, o.admin).await;
        assert!(now.contains(&"佐藤 花子".to_string()), "{now:?}");

        // A write on this server: a read later in the same request, with no new lookup, sees it.
        let mut tx = store.begin(o.admin).await.unwrap();
        rename(&mut tx, o.spec2.user_id, "鈴木 次郎").await;
        // A write unit of work reads its own rows, never the cache.
        let mine: Vec<String> = users::names(&tx)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert!(mine.contains(&"鈴木 次郎".to_string()));
        tx.commit().await.unwrap();
        assert!(
            names(&store, o.admin)
                .await
                .contains(&"鈴木 次郎".to_string())
        );

        // A page that began before a rename (on SQLite its snapshot is older) and reads the
        // names after it must not leave its older names behind for the pages after the rename.
        let early = store.read(o.admin).await.unwrap();
        let _ = users::list(&early).await.unwrap(); // its snapshot has begun
        let mut tx = store.begin(o.admin).await.unwrap();
        rename(&mut tx, o.spec2.user_id, "鈴木 三郎").await;
        tx.commit().await.unwrap();
        let _ = users::names(&early).await.unwrap();
        early.commit().await.unwrap();
        look_up(&store, &session.token).await;
        let after = names(&store, o.admin).await;
        assert!(after.contains(&"鈴木 三郎".to_string()), "{after:?}");

        // Another office's names are its own.
        let other = office(&store, "あおば", "w").await;
        let s2 = sessions::create(&store, other.admin.user_id).await.unwrap();
        look_up(&store, &s2.token).await;
        let theirs = names(&store, other.admin).await;
        assert!(!theirs.contains(&"鈴木 次郎".to_string()), "{theirs:?}");
        // Someone new in the office (the command line writes without a unit of work) shows.
        users::create_from_cli(
            &store,
            other.admin.office_id,
            &users::NewUser {
                login: "wnew".into(),
                display_name: "新人 一郎".into(),
                role: "specialist".into(),
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        look_up(&store, &s2.token).await;
        assert!(
            names(&store, other.admin)
                .await
                .contains(&"新人 一郎".to_string())
        );
    }
);
