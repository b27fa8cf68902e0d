//! The local half of sync against real SQLite files: the outbox triggers, numbering and
//! acknowledging pushes, and applying pulled pages (no server here; the server round trips
//! are in `crates/server/tests/sync_client.rs`).

use chrono::{TimeZone, Utc};
use rust_decimal_macros::dec;
use tradebook_core::{Fill, Instrument, Side};
use tradebook_store::{FillEdit, NewAccount, Store, SyncConnection};
use tradebook_sync::{AccountRow, Change, FillDetail, FillRow, MutationKind, PullResponse, Row};
use uuid::Uuid;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("journal.sqlite")).unwrap();
    (dir, store)
}

fn connection() -> SyncConnection {
    SyncConnection {
        server_url: "http://127.0.0.1:1".into(),
        community_id: Uuid::new_v4(),
        community_name: "Desk".into(),
        user_id: Uuid::new_v4(),
        email: "t@example.test".into(),
        role: "trader".into(),
        device_id: Uuid::new_v4(),
    }
}

fn fill(account: &str, side: Side, price: rust_decimal::Decimal, minute: u32) -> Fill {
    Fill {
        id: Uuid::now_v7().to_string(),
        account_id: account.to_string(),
        instrument: Instrument::stock("AAPL"),
        side,
        quantity: dec!(10),
        price,
        fees: dec!(1),
        executed_at: Utc.with_ymd_and_hms(2026, 3, 2, 15, minute, 0).unwrap(),
        source_tz: chrono_tz::America::New_York,
        seq: 0,
        position_effect: None,
    }
}

/// A hand edit of a fill's price (the other fields as they are).
fn reprice(store: &mut Store, fill_id: &str, price: rust_decimal::Decimal) {
    let f = store.fill(fill_id).unwrap().fill;
    let edit = FillEdit {
        side: f.side,
        quantity: f.quantity,
        price,
        fees: f.fees,
        executed_at: f.executed_at,
    };
    store.update_fill(fill_id, &edit).unwrap();
}

#[test]
fn the_outbox_follows_changes_only_while_connected_and_numbers_them_once() {
    let (_dir, mut store) = store();
    let account = store.create_account(&NewAccount::named("Main", "other")).unwrap();
    let open = fill(&account.id, Side::Buy, dec!(100), 0);
    let close = fill(&account.id, Side::Sell, dec!(105), 5);
    store.add_manual_fills(&[open.clone(), close.clone()]).unwrap();
    assert_eq!(
        store.sync_state().unwrap().pending,
        0,
        "nothing is queued while sync is off"
    );

    let queued = store.connect_sync(&connection()).unwrap();
    assert_eq!(queued, 3, "the account and its two fills");
    // A change of a queued, unnumbered row folds into its entry.
    reprice(&mut store, &close.id, dec!(106));
    assert_eq!(store.sync_state().unwrap().pending, 3);

    let push = store.next_push(1000).unwrap().expect("a push");
    let ids: Vec<u64> = push.mutations.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert!(matches!(&push.mutations[0].kind, MutationKind::UpsertAccount(a) if a.name.as_deref() == Some("Main")));
    let MutationKind::UpsertFill(f) = &push.mutations[2].kind else {
        panic!("fill expected: {:?}", push.mutations[2]);
    };
    assert_eq!(f.price, Some(dec!(106)));
    assert_eq!(
        f.detail.dedupe_key.as_deref(),
        Some(format!("manual:{}", close.id).as_str())
    );
    // A resend before the answer keeps the ids and content.
    assert_eq!(store.next_push(1000).unwrap().unwrap(), push);

    // A change of a numbered row makes a new entry carrying only the changed field.
    reprice(&mut store, &close.id, dec!(107));
    store.ack_push(3).unwrap();
    let push = store.next_push(1000).unwrap().expect("the later change");
    assert_eq!(push.mutations.len(), 1);
    assert_eq!(push.mutations[0].id, 4);
    let MutationKind::UpsertFill(f) = &push.mutations[0].kind else {
        panic!("fill expected");
    };
    assert_eq!(
        (f.price, f.quantity, f.symbol.as_deref()),
        (Some(dec!(107)), None, None)
    );
    store.ack_push(4).unwrap();
    assert_eq!(store.sync_state().unwrap().pending, 0);

    store.delete_fills(std::slice::from_ref(&open.id)).unwrap();
    let push = store.next_push(1000).unwrap().unwrap();
    assert!(matches!(push.mutations[0].kind, MutationKind::DeleteFill { id } if id.to_string() == open.id));

    store.disconnect_sync().unwrap();
    assert_eq!(store.sync_state().unwrap().pending, 0);
    assert!(store.next_push(1000).unwrap().is_none());
    store
        .add_manual_fills(&[fill(&account.id, Side::Buy, dec!(99), 30)])
        .unwrap();
    assert_eq!(
        store.sync_state().unwrap().pending,
        0,
        "nothing is queued after a disconnect"
    );
}

#[test]
fn private_accounts_are_never_queued() {
    let (_dir, mut store) = store();
    let shared = store.create_account(&NewAccount::named("Shared", "other")).unwrap();
    let private = store.create_account(&NewAccount::named("Private", "other")).unwrap();
    store.set_account_private(&private.id, true).unwrap();
    store.connect_sync(&connection()).unwrap();
    store
        .add_manual_fills(&[
            fill(&private.id, Side::Buy, dec!(1), 0),
            fill(&shared.id, Side::Buy, dec!(1), 0),
        ])
        .unwrap();
    let push = store.next_push(1000).unwrap().unwrap();
    let touches_private = push.mutations.iter().any(|m| match &m.kind {
        MutationKind::UpsertAccount(a) => a.id.to_string() == private.id,
        MutationKind::UpsertFill(f) => f.account_id.map(|a| a.to_string()) == Some(private.id.clone()),
        _ => false,
    });
    assert!(!touches_private, "{push:?}");
    assert_eq!(push.mutations.len(), 2, "the shared account and its fill");
}

fn fill_row(account: Uuid, id: Uuid, side: &str, price: rust_decimal::Decimal, minute: u32) -> FillRow {
    FillRow {
        id,
        account_id: account,
        symbol: "MSFT".into(),
        asset_class: "stock".into(),
        side: side.into(),
        quantity: dec!(5),
        price,
        fees: dec!(0.5),
        multiplier: dec!(1),
        executed_at: Utc.with_ymd_and_hms(2026, 3, 3, 15, minute, 0).unwrap(),
        seq: 0,
        detail: FillDetail {
            dedupe_key: Some(format!("exec-{minute}")),
            ..FillDetail::default()
        },
    }
}

#[test]
fn pulled_pages_apply_atomically_recompute_trades_and_queue_nothing() {
    let (_dir, mut store) = store();
    store.connect_sync(&connection()).unwrap();
    let account = Uuid::new_v4();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let page = PullResponse {
        cookie: 3,
        last_mutation_id: 0,
        has_more: false,
        changes: vec![
            Change {
                version: 1,
                deleted: false,
                row: Row::Account(AccountRow {
                    id: account,
                    name: "From the other device".into(),
                    platform: "other".into(),
                    broker_account_id: None,
                    currency: "USD".into(),
                    starting_balance: dec!(1000),
                    timezone: "America/New_York".into(),
                }),
            },
            Change {
                version: 2,
                deleted: false,
                row: Row::Fill(fill_row(account, a, "buy", dec!(400), 0)),
            },
            Change {
                version: 3,
                deleted: false,
                row: Row::Fill(fill_row(account, b, "sell", dec!(410), 9)),
            },
        ],
    };
    let applied = store.apply_pull(std::slice::from_ref(&page)).unwrap();
    assert_eq!((applied.applied, applied.positions), (3, 1));
    let state = store.sync_state().unwrap();
    assert_eq!(
        (state.pending, state.cookie),
        (0, 3),
        "applying pulled rows queues nothing"
    );
    let trades = store.trades(&Default::default()).unwrap();
    assert_eq!(trades.len(), 1);
    assert_eq!(trades[0].trade.net_pnl, dec!(49), "(410 - 400) * 5 - 1 fees");

    // A local change waiting for its push stays on top of a pulled upsert of the same row...
    reprice(&mut store, &b.to_string(), dec!(420));
    let later = PullResponse {
        cookie: 4,
        last_mutation_id: 0,
        has_more: false,
        changes: vec![Change {
            version: 4,
            deleted: false,
            row: Row::Fill(fill_row(account, b, "sell", dec!(415), 9)),
        }],
    };
    let applied = store.apply_pull(&[later]).unwrap();
    assert_eq!(applied.skipped_pending, 1);
    assert_eq!(store.fill(&b.to_string()).unwrap().fill.price, dec!(420));

    // ...but a tombstone wins.
    let tombstone = PullResponse {
        cookie: 5,
        last_mutation_id: 0,
        has_more: false,
        changes: vec![Change {
            version: 5,
            deleted: true,
            row: Row::Fill(fill_row(account, b, "sell", dec!(415), 9)),
        }],
    };
    store.apply_pull(&[tombstone]).unwrap();
    assert!(store.fill(&b.to_string()).is_err());
    let trades = store.trades(&Default::default()).unwrap();
    assert_eq!(trades.len(), 1);
    assert_eq!(
        trades[0].trade.status,
        tradebook_core::TradeStatus::Open,
        "the sell is gone"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Strategies are local, not synced: a device that pulls the legs of a vertical groups them
/// as the device that imported them did, so both count the same trades.
#[test]
fn pulled_option_legs_opened_together_become_a_strategy() {
    let (_dir, mut store) = store();
    store.connect_sync(&connection()).unwrap();
    let account = Uuid::new_v4();
    let leg = |id: Uuid, strike: rust_decimal::Decimal, side: &str, price: rust_decimal::Decimal| {
        let symbol = format!("SPY260116C00{strike}000");
        FillRow {
            id,
            account_id: account,
            symbol,
            asset_class: "option".into(),
            side: side.into(),
            quantity: dec!(1),
            price,
            fees: dec!(0),
            multiplier: dec!(100),
            executed_at: Utc.with_ymd_and_hms(2026, 1, 5, 15, 0, 0).unwrap(),
            seq: 0,
            detail: FillDetail {
                underlying: Some("SPY".into()),
                expiry: chrono::NaiveDate::from_ymd_opt(2026, 1, 16),
                strike: Some(strike),
                option_right: Some("call".into()),
                dedupe_key: Some(format!("leg-{strike}")),
                ..FillDetail::default()
            },
        }
    };
    let page = PullResponse {
        cookie: 2,
        last_mutation_id: 0,
        has_more: false,
        changes: vec![
            Change {
                version: 1,
                deleted: false,
                row: Row::Account(AccountRow {
                    id: account,
                    name: "Options".into(),
                    platform: "other".into(),
                    broker_account_id: None,
                    currency: "USD".into(),
                    starting_balance: dec!(0),
                    timezone: "America/New_York".into(),
                }),
            },
            Change {
                version: 2,
                deleted: false,
                row: Row::Fill(leg(Uuid::now_v7(), dec!(600), "buy", dec!(5))),
            },
            Change {
                version: 3,
                deleted: false,
                row: Row::Fill(leg(Uuid::now_v7(), dec!(605), "sell", dec!(3))),
            },
        ],
    };
    store.apply_pull(&[page]).unwrap();
    let strategies = store.strategies(None).unwrap();
    assert_eq!(strategies.len(), 1);
    assert_eq!(strategies[0].kind.as_str(), "vertical");
    assert_eq!(strategies[0].legs.len(), 2);
}
