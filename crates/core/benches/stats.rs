//! Times `compute_stats` over 100,000 and 1,000,000 synthetic closed trades (SPEC §9:
//! under 50 ms and 500 ms). A benchmark prints figures; it asserts nothing.
//!
//! `cargo bench -p tradebook-core`

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use tradebook_core::{
    breakdown_by, compute_stats, compute_stats_with_risk, trading_day, Dimension, Direction, Instrument, RoundTrip,
    StatsOptions, TradeStatus,
};

const SYMBOLS: [&str; 8] = ["AAPL", "MSFT", "NVDA", "TSLA", "SPY", "QQQ", "AMD", "META"];

/// `n` closed stock trades, about 40 a day over consecutive days, in opening order, with
/// nets between −250.00 and +249.99 and fees of 1.30 (a deterministic pseudo-random walk).
fn trades(n: usize) -> Vec<RoundTrip> {
    let start = Utc.with_ymd_and_hms(2015, 1, 2, 14, 30, 0).unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let opened_at =
                start + chrono::Duration::days((i / 40) as i64) + chrono::Duration::minutes((i % 40) as i64 * 9);
            let closed_at = opened_at + chrono::Duration::seconds((seed % 7200) as i64);
            let net = Decimal::new((seed % 50_000) as i64 - 25_000, 2);
            let fees = Decimal::new(130, 2);
            let instrument = Instrument::stock(SYMBOLS[(seed >> 20) as usize % SYMBOLS.len()]);
            RoundTrip {
                id: format!("{i:016x}"),
                account_id: "acct".into(),
                direction: if seed & 1 == 0 {
                    Direction::Long
                } else {
                    Direction::Short
                },
                status: TradeStatus::Closed,
                opened_at,
                closed_at: Some(closed_at),
                trading_day: Some(trading_day(closed_at, instrument.asset_class)),
                source_tz: chrono_tz::America::New_York,
                quantity: Decimal::from(100),
                closed_quantity: Decimal::from(100),
                entry_price: Decimal::new(15_000, 2),
                exit_price: Some(Decimal::new(15_000, 2) + net / Decimal::from(100)),
                gross_pnl: net + fees,
                fees,
                net_pnl: net,
                allocations: Vec::new(),
                instrument,
            }
        })
        .collect()
}

/// Best and median of `runs` timings of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2])
}

fn main() {
    let options = StatsOptions {
        break_even_band: Decimal::new(50, 2),
        starting_balance: Decimal::from(25_000),
    };
    for n in [100_000, 1_000_000] {
        let built = Instant::now();
        let trades = trades(n);
        println!("{n} trades built in {:?}", built.elapsed());
        let runs = if n > 100_000 { 5 } else { 11 };

        let (best, median) = time(runs, || {
            black_box(compute_stats(black_box(&trades), &options));
        });
        println!("  compute_stats            best {best:>10.2?}  median {median:>10.2?}");

        let risk = |t: &RoundTrip| Some(Decimal::from(100) + Decimal::from(t.opened_at.timestamp() % 50));
        let (best, median) = time(runs, || {
            black_box(compute_stats_with_risk(black_box(&trades), &options, &risk));
        });
        println!("  compute_stats_with_risk  best {best:>10.2?}  median {median:>10.2?}");

        for dim in [Dimension::Symbol, Dimension::HourOfEntry, Dimension::HoldTime] {
            let (best, median) = time(runs, || {
                black_box(breakdown_by(black_box(&trades), &options, dim));
            });
            println!(
                "  breakdown_by {:<11} best {best:>10.2?}  median {median:>10.2?}",
                format!("{dim:?}")
            );
        }
    }
}
