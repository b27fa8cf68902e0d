//! The database backs the tenancy up on its own: row-level security tested with the
//! application's scoping bypassed (raw, unscoped SQL as the app role), and Citus-readiness
//! read from information_schema.

mod common;

use common::*;
use serde_json::json;
use uuid::Uuid;

const TENANT_TABLES: [&str; 15] = [
    "memberships",
    "invitations",
    "sync_state",
    "sync_devices",
    "accounts",
    "fills",
    "signal_providers",
    "annotations",
    "journal_notes",
    "trades",
    "provider_follows",
    "signals",
    "risk_profiles",
    "feature_flags",
    "audit_events",
];

#[tokio::test]
async fn row_level_security_hides_other_tenants_from_raw_sql() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let a = community(&s, &op).await;
    let b = community(&s, &op).await;
    seed_trades(&s, &a.trader, a.id).await;
    seed_trades(&s, &b.trader, b.id).await;
    push(
        &s,
        &a.trader,
        a.id,
        "seed",
        vec![(5, "put_journal_note", json!({"day": "2026-03-02", "body": "A only"}))],
    )
    .await;

    let mut app = app_client().await;
    // The app role does not own the tables (FORCE would not even be needed otherwise).
    let owner: String = app
        .query_one("SELECT tableowner::text FROM pg_tables WHERE tablename = 'fills'", &[])
        .await
        .unwrap()
        .get(0);
    let me: String = app.query_one("SELECT current_user::text", &[]).await.unwrap().get(0);
    assert_ne!(owner, me);

    // No tenant set: no tenant row at all.
    for table in TENANT_TABLES {
        let n: i64 = app
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table} without app.community_id");
    }
    // Tenant B set: unscoped SQL sees B's rows and none of A's.
    let tx = app.transaction().await.unwrap();
    tx.execute("SELECT set_config('app.community_id', $1, true)", &[&b.id.to_string()])
        .await
        .unwrap();
    for table in TENANT_TABLES {
        let n: i64 = tx
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE community_id = $1"),
                &[&a.id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table}: A's rows visible with B set");
        let foreign: i64 = tx
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE community_id <> $1"),
                &[&b.id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(foreign, 0, "{table}: another tenant's rows visible");
    }
    let mine: i64 = tx.query_one("SELECT count(*) FROM fills", &[]).await.unwrap().get(0);
    assert_eq!(mine, 3, "B's own fills are visible");
    let notes: i64 = tx
        .query_one("SELECT count(*) FROM journal_notes", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(notes, 0);
    // Writes are checked too: no row can be written into, or moved to, another tenant.
    let err = tx
        .execute(
            "INSERT INTO signal_providers (community_id, id, name) VALUES ($1, $2, 'smuggled')",
            &[&a.id, &Uuid::now_v7()],
        )
        .await
        .unwrap_err();
    let message = err.as_db_error().map(|e| e.message().to_string()).unwrap_or_default();
    assert!(message.contains("row-level security"), "{message}");
    tx.rollback().await.unwrap();
    let tx = app.transaction().await.unwrap();
    tx.execute("SELECT set_config('app.community_id', $1, true)", &[&b.id.to_string()])
        .await
        .unwrap();
    let moved = tx.execute("UPDATE fills SET community_id = $1", &[&a.id]).await;
    assert!(moved.is_err(), "moving rows to another tenant must fail");
    tx.rollback().await.unwrap();
    // The setting is per transaction: it does not leak to the next one on the connection.
    let tx = app.transaction().await.unwrap();
    tx.execute("SELECT set_config('app.community_id', $1, true)", &[&a.id.to_string()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let n: i64 = app.query_one("SELECT count(*) FROM fills", &[]).await.unwrap().get(0);
    assert_eq!(n, 0);
    // The one-statement membership check sets the tenant for its own statement only.
    let row = app
        .query_one("SELECT status, role FROM app_member($1, $2)", &[&a.id, &a.trader.id])
        .await
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("active".into(), "trader".into())
    );
    let row = app
        .query_one("SELECT status, role FROM app_member($1, $2)", &[&b.id, &a.trader.id])
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<String>>(1), None, "not a member of B");
    let n: i64 = app.query_one("SELECT count(*) FROM fills", &[]).await.unwrap().get(0);
    assert_eq!(n, 0, "app_member does not leave a tenant set on the connection");
    // A user's own-memberships policy shows only that user's memberships.
    let tx = app.transaction().await.unwrap();
    tx.execute(
        "SELECT set_config('app.user_id', $1, true)",
        &[&a.trader.id.to_string()],
    )
    .await
    .unwrap();
    let rows = tx.query("SELECT community_id FROM memberships", &[]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, Uuid>(0), a.id);
    let other: i64 = tx.query_one("SELECT count(*) FROM fills", &[]).await.unwrap().get(0);
    assert_eq!(other, 0, "app.user_id opens memberships only");
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn every_tenant_table_is_citus_ready() {
    if skip() {
        return;
    }
    migrated().await;
    let db = owner_client().await;
    let tables: Vec<String> = db
        .query(
            "SELECT table_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND column_name = 'community_id' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected: Vec<&str> = TENANT_TABLES.to_vec();
    expected.sort();
    assert_eq!(tables, expected, "the tenant tables are the tables with community_id");
    for table in &tables {
        // community_id leads the primary key.
        let pk: Vec<String> = db
            .query(
                "SELECT k.column_name::text FROM information_schema.table_constraints c
                 JOIN information_schema.key_column_usage k
                   ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
                 WHERE c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
                &[table],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(
            pk.first().map(String::as_str),
            Some("community_id"),
            "{table} primary key {pk:?}"
        );
        // Every unique constraint includes it too (Citus requires the distribution column).
        let uniques = db
            .query(
                "SELECT c.constraint_name::text, bool_or(k.column_name = 'community_id')
                 FROM information_schema.table_constraints c
                 JOIN information_schema.key_column_usage k
                   ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
                 WHERE c.table_name = $1 AND c.constraint_type = 'UNIQUE' GROUP BY 1",
                &[table],
            )
            .await
            .unwrap();
        for u in uniques {
            assert!(
                u.get::<_, bool>(1),
                "{table}: unique {} lacks community_id",
                u.get::<_, String>(0)
            );
        }
        // Every foreign key to another tenant table carries community_id, matched to community_id.
        let fks = db
            .query(
                "SELECT con.conname::text, ref.relname::text,
                        array_agg(a.attname::text ORDER BY k.ord), array_agg(ra.attname::text ORDER BY k.ord)
                 FROM pg_constraint con
                 JOIN pg_class t ON t.oid = con.conrelid
                 JOIN pg_class ref ON ref.oid = con.confrelid
                 CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, refcol, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
                 JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refcol
                 WHERE con.contype = 'f' AND t.relname = $1
                 GROUP BY con.conname, ref.relname",
                &[table],
            )
            .await
            .unwrap();
        for fk in fks {
            let (name, target): (String, String) = (fk.get(0), fk.get(1));
            let (cols, refs): (Vec<String>, Vec<String>) = (fk.get(2), fk.get(3));
            if !TENANT_TABLES.contains(&target.as_str()) {
                continue; // users / communities: reference tables
            }
            let i = cols.iter().position(|c| c == "community_id");
            assert!(i.is_some(), "{table}.{name} -> {target} lacks community_id: {cols:?}");
            assert_eq!(
                refs[i.unwrap()],
                "community_id",
                "{table}.{name} matches community_id to {refs:?}"
            );
        }
    }
    // The Citus migration exists and is a no-op without the extension.
    let applied: i64 = db
        .query_one("SELECT count(*) FROM refinery_schema_history WHERE name = 'citus'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(applied, 1);
    for table in TENANT_TABLES {
        let rls: (bool, bool) = db
            .query_one(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = $1",
                &[&table],
            )
            .await
            .map(|r| (r.get(0), r.get(1)))
            .unwrap();
        assert_eq!(rls, (true, true), "{table}: RLS enabled and forced");
    }
}
