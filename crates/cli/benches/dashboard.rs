//! Dashboard statistics benchmark (issue 4, SPEC §9): the time to compute the dashboard's
//! statistics (`Store::stats` over every trade: read from SQLite, then the §4 figures) over
//! journals of 100,000 and 1,000,000 round-trip trades. Targets: under 50 ms and under
//! 500 ms. Not a test: it prints figures and asserts nothing.
//!
//! The journals are built the way a trader's are: a generated Tradovate Fills file
//! (`bench/gen_tradovate_fills.py`, two fills per round trip) imported through the real
//! pipeline into a fresh SQLite file. Set `TRADEBOOK_BENCH_TRADES=100000` to run one size.
//!
//! `cargo bench -p tradebook-cli --bench dashboard`

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use tradebook_import::{import_file, ImportOptions};
use tradebook_store::{Store, TradeOrder, TradeQuery, TradeSort};

fn main() {
    let sizes: Vec<usize> = match std::env::var("TRADEBOOK_BENCH_TRADES") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![100_000, 1_000_000],
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().expect("temp dir");
    for trades in sizes {
        let csv = dir.path().join(format!("fills-{trades}.csv"));
        let status = Command::new("python3")
            .arg(root.join("bench/gen_tradovate_fills.py"))
            .arg((trades * 2).to_string())
            .arg(&csv)
            .status()
            .expect("python3 runs the generator");
        assert!(status.success(), "the generator failed");
        let db = dir.path().join(format!("journal-{trades}.db"));
        let mut store = Store::open(&db).expect("open");
        let started = Instant::now();
        let report = import_file(
            &mut store,
            &csv,
            &ImportOptions {
                account_name: Some("Bench".into()),
                ..ImportOptions::default()
            },
            &mut |_| true,
        )
        .expect("import");
        let import_time = started.elapsed();
        drop(store);

        // Cold: a freshly opened journal (what the app does at start-up), then warm runs.
        let started = Instant::now();
        let store = Store::open(&db).expect("open");
        let stats = store.stats(&TradeQuery::default(), Decimal::ZERO).expect("stats");
        let cold = started.elapsed();
        let mut warm: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let s = store.stats(&TradeQuery::default(), Decimal::ZERO).expect("stats");
                std::hint::black_box(s);
                started.elapsed()
            })
            .collect();
        warm.sort();
        let started = Instant::now();
        let filtered = store
            .stats(
                &TradeQuery {
                    symbol: Some("MESH26".into()),
                    ..TradeQuery::default()
                },
                Decimal::ZERO,
            )
            .expect("stats");
        let one_symbol = started.elapsed();
        println!(
            "{trades:>9} trades ({} closed, {} fills imported in {:.1} s): dashboard stats cold {:.0} ms, warm median {:.0} ms (best {:.0} ms); one symbol ({} trades) {:.0} ms",
            stats.trades,
            report.fills_added,
            import_time.as_secs_f64(),
            cold.as_secs_f64() * 1e3,
            warm[warm.len() / 2].as_secs_f64() * 1e3,
            warm[0].as_secs_f64() * 1e3,
            filtered.trades,
            one_symbol.as_secs_f64() * 1e3,
        );

        // The Trades page: its first window (400 rows) in the default order on a freshly
        // opened journal, the first window sorted by net P&L (a new order: one scan and
        // sort), then windows of that order further down (the scroll: rows by key only).
        drop(store);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let time = |f: &mut dyn FnMut()| {
            let started = Instant::now();
            f();
            started.elapsed()
        };
        let store = Store::open(&db).expect("open");
        let q = TradeQuery::default();
        let by_net = TradeOrder {
            sort: Some(TradeSort::Net),
            descending: true,
        };
        let mut total = 0;
        let first = time(&mut || {
            total = store
                .trade_page(&q, TradeOrder::default(), 0, Some(400))
                .expect("page")
                .total
        });
        let sorted = time(&mut || {
            store.trade_page(&q, by_net, 0, Some(400)).expect("page");
        });
        let mut scrolls: Vec<Duration> = (1..=9)
            .map(|k| {
                let offset = total * k / 10;
                time(&mut || {
                    store.trade_page(&q, by_net, offset, Some(400)).expect("page");
                })
            })
            .collect();
        scrolls.sort();
        let reports = time(&mut || {
            store.breakdowns(&q, Decimal::ZERO).expect("breakdowns");
        });
        println!("{trades:>9} trades: Reports (every breakdown) {:.0} ms", ms(reports));
        println!(
            "{trades:>9} trades: Trades page first window cold {:.0} ms; sorted by net {:.0} ms; a window further down median {:.1} ms (worst {:.1} ms)",
            ms(first),
            ms(sorted),
            ms(scrolls[scrolls.len() / 2]),
            ms(scrolls[scrolls.len() - 1]),
        );
    }
}
