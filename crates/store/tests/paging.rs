//! Trades at scale against a real SQLite file. As a window (`Store::trade_page`): every sort
//! column in both directions, read a page at a time, equals the whole list sorted here in the
//! test's own words; counts and net sums are the list's; a change to the journal is seen at
//! once. Statistics and breakdowns, read the fast way, equal the core's formulas over the
//! whole list.

use std::cmp::Ordering;

use chrono::{Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tradebook_core::{Fill, Instrument, Side, TradeStatus};
use tradebook_store::{AnnotationEdit, NewAccount, Store, TradeOrder, TradeQuery, TradeRecord, TradeSort};
use uuid::Uuid;

fn fill(account: &str, symbol: &str, side: Side, qty: Decimal, price: Decimal, fees: Decimal, minutes: i64) -> Fill {
    Fill {
        id: Uuid::now_v7().to_string(),
        account_id: account.to_string(),
        instrument: Instrument::stock(symbol),
        side,
        quantity: qty,
        price,
        fees,
        executed_at: Utc.with_ymd_and_hms(2026, 1, 5, 14, 30, 0).unwrap() + Duration::minutes(minutes),
        source_tz: chrono_tz::America::New_York,
        seq: 0,
        position_effect: None,
    }
}

/// Two accounts, about 240 trades over eight symbols: winners, losers, scratches, shorts,
/// equal net P&Ls (ties), open positions, stops on some, tags and setups on others.
fn journal() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("journal.sqlite")).unwrap();
    let main = store.create_account(&NewAccount::named("Main", "other")).unwrap();
    let second = store.create_account(&NewAccount::named("second", "other")).unwrap();
    let symbols = ["AAPL", "msft", "NVDA", "spy", "QQQ", "amd", "TSLA", "IWM"];
    let mut fills = Vec::new();
    for i in 0..240i64 {
        let account = if i % 3 == 0 { &second.id } else { &main.id };
        let symbol = symbols[(i % 8) as usize];
        let qty = Decimal::from(1 + i % 7);
        let entry = dec!(100) + Decimal::from(i % 11) * dec!(0.25);
        // Every fifth trade has the same exit move, so many net P&Ls tie.
        let exit = if i % 5 == 0 {
            entry + dec!(1)
        } else {
            entry + Decimal::from(i % 13) * dec!(0.37) - dec!(2)
        };
        let (open_side, close_side) = if i % 4 == 0 {
            (Side::Sell, Side::Buy)
        } else {
            (Side::Buy, Side::Sell)
        };
        // A position per (account, symbol) moves flat between trades, so each pair is a round trip.
        let at = i * 60;
        fills.push(fill(account, symbol, open_side, qty, entry, dec!(0.5), at));
        fills.push(fill(
            account,
            symbol,
            close_side,
            qty,
            exit,
            Decimal::from(i % 3) * dec!(0.35),
            at + 1 + i % 50,
        ));
    }
    // Open positions: no close, no exit, no hold, no R.
    fills.push(fill(&main.id, "OPEN1", Side::Buy, dec!(3), dec!(10), dec!(0), 20_000));
    fills.push(fill(
        &second.id,
        "open2",
        Side::Sell,
        dec!(2),
        dec!(20),
        dec!(0),
        20_001,
    ));
    store.add_manual_fills(&fills).unwrap();

    let all = store.trades(&TradeQuery::default()).unwrap();
    assert_eq!(all.len(), 242);
    for (n, record) in all.iter().enumerate() {
        let id = &record.trade.id;
        if n % 3 == 0 {
            let edit = AnnotationEdit {
                notes: String::new(),
                setup: (n % 2 == 0).then(|| ["ORB", "vwap", "Gap"][n % 3].to_string()),
                planned_stop: Some(record.trade.entry_price - Decimal::from(1 + n % 4) * dec!(0.5)),
                tags: if n % 9 == 0 {
                    vec!["A+".into(), "news".into()]
                } else {
                    vec![]
                },
                mistakes: vec![],
            };
            store.annotate(id, &edit).unwrap();
        }
    }
    (dir, store, main.id)
}

/// The value a trade sorts by, as the Trades table shows it, written out here.
#[derive(Debug, PartialEq, PartialOrd)]
enum Value {
    Text(String),
    Number(Decimal),
}

fn value(r: &TradeRecord, sort: TradeSort) -> Option<Value> {
    let t = &r.trade;
    let closed = t.status == TradeStatus::Closed;
    let text = |s: &str| Some(Value::Text(s.to_string()));
    match sort {
        TradeSort::Opened => text(&t.opened_at.to_rfc3339()),
        TradeSort::Closed => t.closed_at.map(|c| Value::Text(c.to_rfc3339())),
        TradeSort::Day => t.trading_day.map(|d| Value::Text(d.to_string())),
        TradeSort::Symbol => text(&t.instrument.symbol),
        TradeSort::Account => text(&r.account_name),
        TradeSort::Direction => text(t.direction.as_str()),
        TradeSort::Quantity => Some(Value::Number(t.quantity)),
        TradeSort::Entry => (t.status != TradeStatus::Incomplete).then_some(Value::Number(t.entry_price)),
        TradeSort::Exit => t.exit_price.map(Value::Number),
        TradeSort::Gross => Some(Value::Number(t.gross_pnl)),
        TradeSort::Fees => Some(Value::Number(t.fees)),
        TradeSort::Net => Some(Value::Number(t.net_pnl)),
        TradeSort::Hold => t
            .closed_at
            .map(|c| Value::Number(Decimal::from((c - t.opened_at).num_seconds()))),
        // R = net ÷ (|entry − stop| × quantity × multiplier), closed trades with a stop.
        TradeSort::R => r.planned_stop.filter(|_| closed).and_then(|stop| {
            let risk = ((t.entry_price - stop) * t.quantity * t.instrument.multiplier).abs();
            (!risk.is_zero()).then(|| Value::Number((t.net_pnl / risk).round_dp(10)))
        }),
        TradeSort::Tags => {
            if r.tags.is_empty() {
                r.setup.as_deref().and_then(text)
            } else {
                text(&r.tags.join(","))
            }
        }
    }
}

fn compare(a: &Option<Value>, b: &Option<Value>, sort: TradeSort, descending: bool) -> Ordering {
    let fold = matches!(sort, TradeSort::Symbol | TradeSort::Account | TradeSort::Tags);
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let o = match (x, y) {
                (Value::Text(x), Value::Text(y)) if fold => x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)),
                _ => x.partial_cmp(y).unwrap(),
            };
            if descending {
                o.reverse()
            } else {
                o
            }
        }
    }
}

/// Every page of `page_size` rows, in order.
fn read_pages(store: &Store, query: &TradeQuery, order: TradeOrder, page_size: u64) -> (Vec<String>, u64, Decimal) {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.trade_page(query, order, offset, Some(page_size)).unwrap();
        assert!(page.trades.len() as u64 <= page_size);
        ids.extend(page.trades.iter().map(|r| r.trade.id.clone()));
        offset += page_size;
        if offset >= page.total {
            return (ids, page.total, page.net_pnl);
        }
    }
}

#[test]
fn every_sort_column_pages_through_the_list_it_sorts() {
    let (_dir, store, main) = journal();
    for query in [
        TradeQuery::default(),
        TradeQuery {
            account_id: Some(main.clone()),
            ..TradeQuery::default()
        },
    ] {
        // The journal's default order is `Store::trades`' order.
        let default_list = store.trades(&query).unwrap();
        let expected_net: Decimal = default_list.iter().map(|r| r.trade.net_pnl).sum();
        let (ids, total, net) = read_pages(&store, &query, TradeOrder::default(), 37);
        assert_eq!(ids, default_list.iter().map(|r| r.trade.id.clone()).collect::<Vec<_>>());
        assert_eq!((total, net), (default_list.len() as u64, expected_net));

        for (name, sort) in TradeSort::ALL {
            assert_eq!(TradeSort::parse(name), Some(sort));
            for descending in [false, true] {
                let mut expected: Vec<&TradeRecord> = default_list.iter().collect();
                // A stable sort: ties keep the default order.
                expected.sort_by(|a, b| compare(&value(a, sort), &value(b, sort), sort, descending));
                let expected: Vec<String> = expected.iter().map(|r| r.trade.id.clone()).collect();
                let (ids, total, net) = read_pages(
                    &store,
                    &query,
                    TradeOrder {
                        sort: Some(sort),
                        descending,
                    },
                    37,
                );
                assert_eq!(ids, expected, "sort by {name}, descending {descending}");
                assert_eq!((total, net), (default_list.len() as u64, expected_net));
            }
        }
    }
}

#[test]
fn windows_are_clamped_and_ids_follow_the_same_order() {
    let (_dir, store, _) = journal();
    let order = TradeOrder {
        sort: Some(TradeSort::Net),
        descending: true,
    };
    let q = TradeQuery::default();
    let all = store.trade_page(&q, order, 0, None).unwrap();
    assert_eq!(all.trades.len(), 242);
    let ids = store.trade_ids(&q, order, 10, Some(5)).unwrap();
    let expected: Vec<String> = all.trades[10..15].iter().map(|r| r.trade.id.clone()).collect();
    assert_eq!(ids, expected);
    assert!(store.trade_page(&q, order, 1_000, Some(50)).unwrap().trades.is_empty());
    assert_eq!(store.trade_page(&q, order, 240, Some(50)).unwrap().trades.len(), 2);
    // Open trades (no exit) come last in both directions.
    let by_exit = |descending| {
        store
            .trade_page(
                &q,
                TradeOrder {
                    sort: Some(TradeSort::Exit),
                    descending,
                },
                0,
                None,
            )
            .unwrap()
    };
    for descending in [false, true] {
        let page = by_exit(descending);
        let tail: Vec<TradeStatus> = page.trades[240..].iter().map(|r| r.trade.status).collect();
        assert_eq!(tail, vec![TradeStatus::Open, TradeStatus::Open]);
    }
}

#[test]
fn a_change_to_the_journal_is_seen_by_the_next_page() {
    let (dir, mut store, _) = journal();
    let q = TradeQuery::default();
    let by_tags = TradeOrder {
        sort: Some(TradeSort::Tags),
        descending: false,
    };
    let first = store.trade_page(&q, by_tags, 0, Some(1)).unwrap();
    let last = store.trade_page(&q, by_tags, 241, Some(1)).unwrap().trades[0]
        .trade
        .id
        .clone();
    assert_ne!(first.trades[0].trade.id, last);
    // "0-first" sorts before every other tag: the untagged last trade moves to the top.
    store.add_tag(std::slice::from_ref(&last), "0-first").unwrap();
    let top = store.trade_page(&q, by_tags, 0, Some(1)).unwrap();
    assert_eq!(top.trades[0].trade.id, last);

    // A write through another connection (the CLI beside the app) is seen too.
    let mut other = Store::open(dir.path().join("journal.sqlite")).unwrap();
    let before = store.trade_page(&q, TradeOrder::default(), 0, Some(1)).unwrap();
    other.delete_trades(std::slice::from_ref(&last)).unwrap();
    let after = store.trade_page(&q, TradeOrder::default(), 0, Some(1)).unwrap();
    assert_eq!(after.total, before.total - 1);
    assert!(store
        .trade_ids(&q, by_tags, 0, None)
        .unwrap()
        .iter()
        .all(|id| *id != last));
}

#[test]
fn filters_select_the_same_trades_for_pages_lists_and_statistics() {
    let (_dir, store, main) = journal();
    let base = TradeQuery::default();
    // Expected counts from how `journal` made the trades (every third annotated, of those the
    // even ones with setup ORB, every ninth tagged "news"; symbol msft every eighth; a third
    // in the second account; one open trade per account).
    let cases: Vec<(TradeQuery, u64)> = vec![
        (
            TradeQuery {
                tag: Some("news".into()),
                ..base.clone()
            },
            27,
        ),
        (
            TradeQuery {
                tag: Some(" NEWS ".into()),
                ..base.clone()
            },
            27,
        ),
        (
            TradeQuery {
                setup: Some("orb".into()),
                ..base.clone()
            },
            41,
        ),
        (
            TradeQuery {
                search: Some("ms".into()),
                ..base.clone()
            },
            30,
        ),
        (
            TradeQuery {
                symbol: Some("MSFT".into()),
                ..base.clone()
            },
            30,
        ),
        (
            TradeQuery {
                status: Some(TradeStatus::Open),
                ..base.clone()
            },
            2,
        ),
        (
            TradeQuery {
                account_id: Some(main.clone()),
                status: Some(TradeStatus::Open),
                ..base.clone()
            },
            1,
        ),
        (
            TradeQuery {
                account_id: Some(main),
                ..base.clone()
            },
            161,
        ),
        (
            TradeQuery {
                search: Some("news".into()),
                setup: Some("ORB".into()),
                ..base.clone()
            },
            14,
        ),
    ];
    for (query, expected) in cases {
        let page = store.trade_page(&query, TradeOrder::default(), 0, None).unwrap();
        let list = store.trades(&query).unwrap();
        assert_eq!(page.total, expected, "{query:?}");
        assert_eq!(
            page.trades.iter().map(|r| &r.trade.id).collect::<Vec<_>>(),
            list.iter().map(|r| &r.trade.id).collect::<Vec<_>>(),
            "{query:?}"
        );
        let stats = store.stats(&query, Decimal::ZERO).unwrap();
        assert_eq!(stats.trades + stats.open_trades, expected, "{query:?}");
    }
}

/// The statistics and breakdowns as the whole list gives them: every trade read with its
/// labels (`Store::trades`), then the core's formulas — the reference the faster reads must
/// equal exactly.
#[test]
fn statistics_and_breakdowns_equal_those_of_the_whole_list() {
    use tradebook_core::{breakdown, breakdown_by, compute_stats_with_risk, initial_risk, Dimension, StatsOptions};
    let (_dir, store, main) = journal();
    for query in [
        TradeQuery::default(),
        TradeQuery {
            account_id: Some(main.clone()),
            ..TradeQuery::default()
        },
        TradeQuery {
            tag: Some("news".into()),
            ..TradeQuery::default()
        },
    ] {
        let band = dec!(0.5);
        let records = store.trades(&query).unwrap();
        let trades: Vec<_> = records.iter().map(|r| r.trade.clone()).collect();
        let starting_balance = store
            .accounts()
            .unwrap()
            .iter()
            .filter(|a| query.account_id.as_ref().is_none_or(|id| *id == a.id))
            .map(|a| a.starting_balance)
            .sum();
        let options = StatsOptions {
            break_even_band: band,
            starting_balance,
        };
        let stop = |id: &str| records.iter().find(|r| r.trade.id == id).and_then(|r| r.planned_stop);
        let mut expected =
            compute_stats_with_risk(&trades, &options, &|t| stop(&t.id).and_then(|s| initial_risk(t, s)));
        // The store names the accounts' currency (the fixture's accounts are in USD); no
        // option legs here, so no strategy.
        expected.currency = Some("USD".to_string());
        assert_eq!(store.stats(&query, band).unwrap(), expected, "{query:?}");

        let label = |t: &tradebook_core::RoundTrip| records.iter().find(|r| r.trade.id == t.id).unwrap();
        let got = store.breakdowns(&query, band).unwrap();
        assert_eq!(got.by_symbol, breakdown_by(&trades, &options, Dimension::Symbol));
        assert_eq!(got.by_tag, breakdown(&trades, &options, &|t| label(t).tags.clone()));
        assert_eq!(
            got.by_setup,
            breakdown(&trades, &options, &|t| label(t).setup.iter().cloned().collect())
        );
        for (rows, dim) in [
            (&got.by_weekday, Dimension::Weekday),
            (&got.by_hour, Dimension::HourOfEntry),
            (&got.by_hold_time, Dimension::HoldTime),
            (&got.by_direction, Dimension::Direction),
            (&got.by_asset_class, Dimension::AssetClass),
        ] {
            // The allocation-free keys give the rows `key_of` gives (order aside: checked in core).
            let mut by_key = breakdown(&trades, &options, &|t| tradebook_core::key_of(dim, t));
            let mut ours = rows.clone();
            by_key.sort_by(|a, b| a.key.cmp(&b.key));
            ours.sort_by(|a, b| a.key.cmp(&b.key));
            assert_eq!(ours, by_key, "{dim:?}");
        }
        assert!(!got.by_tag.is_empty() || query.tag.is_some());
    }
}

#[test]
fn recent_trades_are_the_latest_activity_and_account_totals_sum_closed_nets() {
    let (_dir, store, main) = journal();
    let all = store.trades(&TradeQuery::default()).unwrap();
    let mut latest: Vec<&TradeRecord> = all.iter().collect();
    // Latest activity (close, else open) first, then id.
    latest.sort_by(|a, b| {
        let at = |r: &TradeRecord| r.trade.closed_at.unwrap_or(r.trade.opened_at);
        at(b).cmp(&at(a)).then_with(|| a.trade.id.cmp(&b.trade.id))
    });
    for query in [
        TradeQuery::default(),
        TradeQuery {
            setup: Some("ORB".into()),
            ..TradeQuery::default()
        },
    ] {
        let recent = store
            .trades(&TradeQuery {
                limit: Some(10),
                ..query.clone()
            })
            .unwrap();
        let expected: Vec<&String> = latest
            .iter()
            .filter(|r| query.setup.is_none() || r.setup.as_deref() == Some("ORB"))
            .take(10)
            .map(|r| &r.trade.id)
            .collect();
        assert_eq!(
            recent.iter().map(|r| &r.trade.id).collect::<Vec<_>>(),
            expected,
            "{query:?}"
        );
        // Full records: the tags and setup come along.
        for r in &recent {
            let full = all.iter().find(|x| x.trade.id == r.trade.id).unwrap();
            assert_eq!((&r.tags, &r.setup), (&full.tags, &full.setup));
        }
    }
    let totals = store.account_totals().unwrap();
    let main_closed: Vec<&TradeRecord> = all
        .iter()
        .filter(|r| r.trade.account_id == main && r.trade.status == TradeStatus::Closed)
        .collect();
    let t = &totals[&main];
    assert_eq!(t.closed_trades, main_closed.len() as u64);
    assert_eq!(t.open_trades, 1);
    assert_eq!(t.net_pnl, main_closed.iter().map(|r| r.trade.net_pnl).sum::<Decimal>());
    assert_eq!(totals.len(), 2);
}

#[test]
fn a_select_all_resolves_to_the_matching_trades_but_refuses_another_count() {
    let (_dir, store, main) = journal();
    let query = TradeQuery {
        account_id: Some(main),
        ..TradeQuery::default()
    };
    let all = store.trade_ids(&query, TradeOrder::default(), 0, None).unwrap();
    let except = vec![all[0].clone(), all[5].clone()];
    let ids = store.selected_trade_ids(&query, &except, all.len() - 2).unwrap();
    assert_eq!(ids.len(), all.len() - 2);
    assert!(ids.iter().all(|id| !except.contains(id)));
    let err = store.selected_trade_ids(&query, &except, all.len()).unwrap_err();
    assert!(
        matches!(err, tradebook_store::StoreError::Invalid { field: "selection", .. }),
        "{err}"
    );
}
