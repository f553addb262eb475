use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use yorisoi_domain::client::{Guardian, GuardianKind};

/// Several guardians per person (both parents of a child, a 成年後見人 beside them), each with a
/// 続柄: one JSON list instead of the single kind/name/contact slot, which is moved into it and
/// dropped. A name written as 「千葉 美穂（母）」 gives its relation from the brackets.
pub(super) struct M0017Guardians;

impl MigrationName for M0017Guardians {
    fn name(&self) -> &str {
        "m0017_guardians"
    }
}

/// (name, relation) of a name typed as 「氏名（続柄）」.
fn split_relation(name: &str) -> (String, String) {
    let n = name.trim();
    if let Some(open) = n.rfind('（')
        && n.ends_with('）')
    {
        let inner = &n[open + '（'.len_utf8()..n.len() - '）'.len_utf8()];
        return (n[..open].trim().to_string(), inner.trim().to_string());
    }
    (n.to_string(), String::new())
}

#[async_trait::async_trait]
impl MigrationTrait for M0017Guardians {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("clients")
                .add_column(
                    ColumnDef::new("guardians")
                        .text()
                        .not_null()
                        .default("[]")
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let select = Query::select()
            .columns(["id", "guardian_kind", "guardian_name", "guardian_contact"])
            .from("clients")
            .to_owned();
        for row in db.query_all(&select).await? {
            let id: i64 = row.try_get("", "id")?;
            let kind: String = row.try_get("", "guardian_kind")?;
            let name: String = row.try_get("", "guardian_name")?;
            let contact: String = row.try_get("", "guardian_contact")?;
            let Some(kind) = GuardianKind::from_code(&kind).filter(|k| *k != GuardianKind::None)
            else {
                continue;
            };
            let (name, relation) = split_relation(&name);
            let list = vec![Guardian {
                kind,
                relation,
                name,
                contact,
            }];
            let json = serde_json::to_string(&list).map_err(|e| DbErr::Custom(e.to_string()))?;
            let update = Query::update()
                .table("clients")
                .value("guardians", json)
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        // One column a statement: SQLite drops one at a time.
        for col in ["guardian_kind", "guardian_name", "guardian_contact"] {
            m.alter_table(Table::alter().table("clients").drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::split_relation;

    #[test]
    fn a_relation_in_brackets_is_split_off() {
        assert_eq!(
            split_relation("千葉 美穂（母）"),
            ("千葉 美穂".into(), "母".into())
        );
        assert_eq!(split_relation("森 和也"), ("森 和也".into(), String::new()));
        assert_eq!(split_relation("（母"), ("（母".into(), String::new()));
    }
}
