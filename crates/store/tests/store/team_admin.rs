//! The care team and the admin's records (staff, API tokens, retention): refusals that concern
//! one input field name it.

use crate::common::*;
use chrono::NaiveDate;
use yorisoi_domain::policy::{Action, RecordKind};
use yorisoi_store::users::NewUser;
use yorisoi_store::*;

// A refusal that concerns one input field names it (the page shows it beside that field, the
// API returns it in the field map); a refusal of the whole record stays a rule.
store_test!(
    team_admin_refusals_name_their_field,
    |store: Store| async move {
        let field = |r: StoreError, name: &str| match r {
            StoreError::Invalid(e) => e.get(name).is_some(),
            _ => false,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let o = office(&store, "よりそい", "f").await;
        let client_id = add_client(&store, o.spec, a_san()).await;
        let mut tx = store.begin(o.admin).await.unwrap();
        let dup = NewUser {
            login: "fspec".into(),
            display_name: "重複".into(),
            role: "specialist".into(),
            password: "correct horse battery".into(),
        };
        assert!(field(
            users::create(&mut tx, &dup).await.unwrap_err(),
            "login"
        ));
        assert!(field(
            api_tokens::issue(
                &mut tx,
                o.spec.user_id,
                "",
                api_tokens::TokenScope::Read,
                30
            )
            .await
            .unwrap_err(),
            "name"
        ));
        assert!(field(
            offices::set_retention_years(&mut tx, 2).await.unwrap_err(),
            "years"
        ));
        tx.rollback().await.unwrap();

        let mut tx = store.begin(o.spec).await.unwrap();
        let acc = tx
            .client_access(client_id, RecordKind::CareTeam, Action::Write)
            .await
            .unwrap();
        let m = team::add_member(
            &mut tx,
            &acc,
            &yorisoi_domain::team::TeamMemberInput {
                kind: "provider".into(),
                name: "ひかり作業所 佐藤".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
        let consent = yorisoi_domain::team::ShareConsentInput {
            member_ids: vec![m.to_string()],
            sections: vec!["plan".into()],
            purpose: "会議".into(),
            given_on: "2026-04-21".into(),
            ..Default::default()
        }
        .validate(today(), &[m])
        .unwrap();
        let c1 = team::give_consent(&mut tx, &acc, &consent, None)
            .await
            .unwrap();
        assert!(field(
            team::withdraw(&mut tx, &acc, c1, d("2026-04-01"))
                .await
                .unwrap_err(),
            "withdrawn_on"
        ));
        team::withdraw(&mut tx, &acc, c1, d("2026-05-01"))
            .await
            .unwrap();
        assert!(matches!(
            team::withdraw(&mut tx, &acc, c1, d("2026-05-02")).await,
            Err(StoreError::Rule(_))
        ));
        assert!(field(
            team::give_consent(&mut tx, &acc, &consent, Some(c1))
                .await
                .unwrap_err(),
            "replaces"
        ));
        assert!(field(
            team::give_consent(&mut tx, &acc, &consent, Some(c1 + 1000))
                .await
                .unwrap_err(),
            "replaces"
        ));
        tx.rollback().await.unwrap();
    }
);
