//! Breakdowns (SPEC §4 series): the closed trades grouped by a key — symbol, tag, setup,
//! weekday, hour of entry, hold-time bucket, long vs short, asset class — with the totals
//! of each group.
//!
//! The caller says which keys a trade has ([`breakdown`] takes a function; tags and setups
//! live in the store, so their keys come from there). A trade with several keys (several
//! tags) counts in each of their rows; a trade with no key is left out. Only closed trades
//! count, classified exactly as in [`crate::stats`] (winner: net > b, loser: net < −b,
//! scratch otherwise, with the break-even band b). Per row:
//! - **win rate** = winners ÷ (winners + losers);
//! - **gross P&L**, **fees**, **net P&L**: sums over the row's trades;
//! - **average net** = net P&L ÷ trades;
//! - **profit factor** = Σ net of winners ÷ |Σ net of losers|, `None` with no losers.
//!
//! The keys of the built-in [`Dimension`]s ([`key_of`]):
//! - **weekday**: of the trade's trading day, `"Mon"` … `"Sun"`;
//! - **hour of entry**: the opening time's hour in the trade's source zone, `"09:00"`;
//! - **hold time**: `"< 1 min"`, `"1–5 min"`, `"5–15 min"`, `"15–60 min"`, `"1–4 h"`,
//!   `"4 h–1 d"`, `"> 1 d"`; each bucket holds its lower bound and not its upper one
//!   (exactly 5 minutes is `"5–15 min"`, exactly one day is `"> 1 d"`);
//! - **direction**: `"long"` / `"short"`; **asset class**: [`crate::AssetClass::as_str`];
//!   **symbol**: the instrument's symbol.
//!
//! Row order: [`breakdown`] sorts by net P&L, highest first (ties by key);
//! [`breakdown_by`] does the same except for weekday (Mon → Sun), hour (00:00 → 23:00) and
//! hold time (shortest bucket first), which keep their natural order.

use std::collections::HashMap;

use chrono::{Datelike, Timelike};
use rust_decimal::Decimal;

use crate::matching::{RoundTrip, TradeStatus};
use crate::stats::{div, ratio, Outcome, StatsOptions};

/// The totals of one group of closed trades; see the module doc for each definition.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    pub key: String,
    pub trades: u64,
    pub winners: u64,
    pub losers: u64,
    pub scratches: u64,
    pub win_rate: Option<f64>,
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    pub net_pnl: Decimal,
    pub avg_net: Option<Decimal>,
    pub profit_factor: Option<f64>,
}

/// A built-in way to group trades (the store adds tag and setup from annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Symbol,
    Weekday,
    HourOfEntry,
    HoldTime,
    Direction,
    AssetClass,
}

/// Weekday keys in their natural order.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Hold-time buckets: each label with its lower bound in seconds, shortest first.
const HOLD_BUCKETS: [(i64, &str); 7] = [
    (i64::MIN, "< 1 min"),
    (60, "1–5 min"),
    (5 * 60, "5–15 min"),
    (15 * 60, "15–60 min"),
    (3600, "1–4 h"),
    (4 * 3600, "4 h–1 d"),
    (86_400, "> 1 d"),
];

/// The keys of `trade` along `dim` (module doc); empty when the trade has none there (an
/// open trade has no trading day and no hold time).
pub fn key_of(dim: Dimension, trade: &RoundTrip) -> Vec<String> {
    key_ref(dim, trade).map(str::to_string).into_iter().collect()
}

/// "00:00" … "23:00": the hour-of-entry keys.
const HOURS: [&str; 24] = [
    "00:00", "01:00", "02:00", "03:00", "04:00", "05:00", "06:00", "07:00", "08:00", "09:00", "10:00", "11:00",
    "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00", "21:00", "22:00", "23:00",
];

/// [`key_of`] without an allocation: the key borrowed from the trade or a constant.
fn key_ref(dim: Dimension, trade: &RoundTrip) -> Option<&str> {
    match dim {
        Dimension::Symbol => Some(trade.instrument.symbol.as_str()),
        Dimension::Weekday => trade
            .trading_day
            // As in the statistics' daily P&L: the close's UTC date if no day was derived.
            .or_else(|| trade.closed_at.map(|c| c.date_naive()))
            .map(|d| WEEKDAYS[d.weekday().num_days_from_monday() as usize]),
        Dimension::HourOfEntry => Some(HOURS[trade.opened_at.with_timezone(&trade.source_tz).hour() as usize]),
        Dimension::HoldTime => trade.hold_seconds().map(hold_bucket),
        Dimension::Direction => Some(trade.direction.as_str()),
        Dimension::AssetClass => Some(trade.instrument.asset_class.as_str()),
    }
}

/// The hold-time bucket label of a hold of `seconds`.
fn hold_bucket(seconds: i64) -> &'static str {
    HOLD_BUCKETS
        .iter()
        .rev()
        .find(|(lower, _)| seconds >= *lower)
        .map_or(HOLD_BUCKETS[0].1, |(_, label)| label)
}

/// Natural position of `key` along `dim`, for the dimensions that have one.
fn natural_rank(dim: Dimension, key: &str) -> Option<usize> {
    match dim {
        Dimension::Weekday => WEEKDAYS.iter().position(|d| *d == key),
        Dimension::HoldTime => HOLD_BUCKETS.iter().position(|(_, label)| *label == key),
        // "HH:00" sorts as text; the rank is the hour.
        Dimension::HourOfEntry => key.get(..2).and_then(|h| h.parse().ok()),
        Dimension::Symbol | Dimension::Direction | Dimension::AssetClass => None,
    }
}

#[derive(Default)]
struct Acc {
    trades: u64,
    winners: u64,
    losers: u64,
    scratches: u64,
    gross: Decimal,
    fees: Decimal,
    net: Decimal,
    sum_win: Decimal,
    sum_loss: Decimal,
}

impl Acc {
    fn add(&mut self, trade: &RoundTrip, outcome: Outcome) {
        self.trades += 1;
        self.gross += trade.gross_pnl;
        self.fees += trade.fees;
        self.net += trade.net_pnl;
        match outcome {
            Outcome::Win => {
                self.winners += 1;
                self.sum_win += trade.net_pnl;
            }
            Outcome::Loss => {
                self.losers += 1;
                self.sum_loss += trade.net_pnl;
            }
            Outcome::Scratch => self.scratches += 1,
        }
    }

    fn row(self, key: String) -> BreakdownRow {
        BreakdownRow {
            key,
            trades: self.trades,
            winners: self.winners,
            losers: self.losers,
            scratches: self.scratches,
            win_rate: ratio(Decimal::from(self.winners), Decimal::from(self.winners + self.losers)),
            gross_pnl: self.gross,
            fees: self.fees,
            net_pnl: self.net,
            avg_net: (self.trades > 0).then(|| div(self.net, Decimal::from(self.trades))),
            profit_factor: if self.losers > 0 {
                ratio(self.sum_win, self.sum_loss.abs())
            } else {
                None
            },
        }
    }
}

/// Groups the closed trades by the keys `keys` gives each trade and totals each group;
/// rows by net P&L, highest first, ties by key (module doc).
pub fn breakdown(
    trades: &[RoundTrip],
    options: &StatsOptions,
    keys: &dyn Fn(&RoundTrip) -> Vec<String>,
) -> Vec<BreakdownRow> {
    let band = options.break_even_band;
    let mut groups: HashMap<String, Acc> = HashMap::new();
    for trade in trades.iter().filter(|t| t.status == TradeStatus::Closed) {
        let outcome = Outcome::of(trade.net_pnl, band);
        let mut trade_keys = keys(trade);
        // A trade counts once per distinct key, even if the caller repeats one.
        trade_keys.sort_unstable();
        trade_keys.dedup();
        for key in trade_keys {
            groups.entry(key).or_default().add(trade, outcome);
        }
    }
    let mut rows: Vec<BreakdownRow> = groups.into_iter().map(|(key, acc)| acc.row(key)).collect();
    rows.sort_by(|a, b| b.net_pnl.cmp(&a.net_pnl).then_with(|| a.key.cmp(&b.key)));
    rows
}

/// [`breakdown`] along a built-in dimension, in that dimension's order (module doc).
pub fn breakdown_by(trades: &[RoundTrip], options: &StatsOptions, dim: Dimension) -> Vec<BreakdownRow> {
    // As `breakdown` with `key_of`, but each trade's one key is borrowed, not allocated.
    let band = options.break_even_band;
    let mut groups: HashMap<&str, Acc> = HashMap::new();
    for trade in trades.iter().filter(|t| t.status == TradeStatus::Closed) {
        if let Some(key) = key_ref(dim, trade) {
            groups
                .entry(key)
                .or_default()
                .add(trade, Outcome::of(trade.net_pnl, band));
        }
    }
    let mut rows: Vec<BreakdownRow> = groups.into_iter().map(|(key, acc)| acc.row(key.to_string())).collect();
    rows.sort_by(|a, b| b.net_pnl.cmp(&a.net_pnl).then_with(|| a.key.cmp(&b.key)));
    if matches!(dim, Dimension::Weekday | Dimension::HourOfEntry | Dimension::HoldTime) {
        rows.sort_by_key(|r| natural_rank(dim, &r.key));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{AssetClass, Instrument};
    use crate::matching::Direction;
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use rust_decimal_macros::dec;

    /// A closed long stock trade: opened at `open`, held `hold` seconds, with net `net`
    /// (fees 1, so gross = net + 1).
    fn trade(id: &str, symbol: &str, open: DateTime<Utc>, hold: i64, net: Decimal) -> RoundTrip {
        let close = open + Duration::seconds(hold);
        RoundTrip {
            id: id.into(),
            account_id: "a".into(),
            instrument: Instrument::stock(symbol),
            direction: Direction::Long,
            status: TradeStatus::Closed,
            opened_at: open,
            closed_at: Some(close),
            trading_day: Some(crate::trading_day(close, AssetClass::Stock)),
            source_tz: chrono_tz::America::New_York,
            quantity: dec!(1),
            closed_quantity: dec!(1),
            entry_price: dec!(1),
            exit_price: Some(dec!(1)),
            gross_pnl: net + dec!(1),
            fees: dec!(1),
            net_pnl: net,
            allocations: vec![],
        }
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        // March 2025: the 3rd is a Monday; New York is UTC−4 from the 9th (DST), UTC−5 before.
        Utc.with_ymd_and_hms(2025, 3, d, h, m, 0).unwrap()
    }

    fn keys(rows: &[BreakdownRow]) -> Vec<&str> {
        rows.iter().map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn by_symbol_totals_each_group_sorted_by_net() {
        // AAPL: +100, −40, 0 → 1 W / 1 L / 1 S, net 60, gross 63, fees 3, avg 20,
        //       win rate 1 ÷ 2 = 0.5, profit factor 100 ÷ 40 = 2.5.
        // MSFT: +10, +20 → net 30, avg 15, win rate 1, no losers → no profit factor.
        // TSLA: −5 → net −5, win rate 0, profit factor 0 ÷ 5 = 0.
        let at = utc(3, 15, 0);
        let trades = vec![
            trade("1", "AAPL", at, 60, dec!(100)),
            trade("2", "MSFT", at, 60, dec!(10)),
            trade("3", "AAPL", at, 60, dec!(-40)),
            trade("4", "TSLA", at, 60, dec!(-5)),
            trade("5", "AAPL", at, 60, dec!(0)),
            trade("6", "MSFT", at, 60, dec!(20)),
        ];
        let rows = breakdown_by(&trades, &StatsOptions::default(), Dimension::Symbol);
        assert_eq!(keys(&rows), ["AAPL", "MSFT", "TSLA"]);
        let aapl = &rows[0];
        assert_eq!((aapl.trades, aapl.winners, aapl.losers, aapl.scratches), (3, 1, 1, 1));
        assert_eq!((aapl.gross_pnl, aapl.fees, aapl.net_pnl), (dec!(63), dec!(3), dec!(60)));
        assert_eq!(aapl.avg_net, Some(dec!(20)));
        assert_eq!(aapl.win_rate, Some(0.5));
        assert_eq!(aapl.profit_factor, Some(2.5));
        assert_eq!(
            (rows[1].avg_net, rows[1].win_rate, rows[1].profit_factor),
            (Some(dec!(15)), Some(1.0), None)
        );
        assert_eq!((rows[2].win_rate, rows[2].profit_factor), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn band_open_trades_and_several_keys() {
        // Band 2: +10 wins, +2 and −1 are scratches, −3 loses.
        let at = utc(3, 15, 0);
        let mut open = trade("o", "X", at, 60, dec!(0));
        open.status = TradeStatus::Open;
        let trades = vec![
            trade("1", "X", at, 60, dec!(10)),
            trade("2", "X", at, 60, dec!(2)),
            trade("3", "X", at, 60, dec!(-1)),
            trade("4", "X", at, 60, dec!(-3)),
            open,
        ];
        let options = StatsOptions {
            break_even_band: dec!(2),
            ..Default::default()
        };
        // Tags: trade 1 has "a" and "b" (counts in both, once each even if repeated);
        // trade 2 has none (left out); 3 and 4 have "b"; the open trade is not counted.
        let tags = |t: &RoundTrip| -> Vec<String> {
            match t.id.as_str() {
                "1" => vec!["a".into(), "b".into(), "a".into()],
                "2" => vec![],
                _ => vec!["b".into()],
            }
        };
        let rows = breakdown(&trades, &options, &tags);
        // "a": +10 → net 10; "b": +10 −1 −3 → net 6.
        assert_eq!(keys(&rows), ["a", "b"]);
        assert_eq!((rows[0].trades, rows[0].winners, rows[0].net_pnl), (1, 1, dec!(10)));
        let b = &rows[1];
        assert_eq!((b.trades, b.winners, b.losers, b.scratches), (3, 1, 1, 1));
        assert_eq!(b.net_pnl, dec!(6));
        // Profit factor 10 ÷ 3.
        assert_eq!(b.profit_factor, Some(10.0 / 3.0));
    }

    #[test]
    fn weekday_hour_and_hold_time_keep_their_natural_order() {
        let trades = vec![
            // Fri 7th, 15:30 UTC = 10:30 EST, held 30 s, +50.
            trade("1", "X", utc(7, 15, 30), 30, dec!(50)),
            // Mon 3rd, 14:35 UTC = 09:35 EST, held 5 min exactly, −10.
            trade("2", "X", utc(3, 14, 35), 300, dec!(-10)),
            // Wed 12th, 13:45 UTC = 09:45 EDT, held 2 h, +5.
            trade("3", "X", utc(12, 13, 45), 7200, dec!(5)),
            // Mon 10th, 19:00 UTC = 15:00 EDT, held 1 day exactly (closes Tue 11th), +1.
            trade("4", "X", utc(10, 19, 0), 86_400, dec!(1)),
        ];
        let options = StatsOptions::default();
        let weekdays = breakdown_by(&trades, &options, Dimension::Weekday);
        assert_eq!(keys(&weekdays), ["Mon", "Tue", "Wed", "Fri"]);
        let hours = breakdown_by(&trades, &options, Dimension::HourOfEntry);
        assert_eq!(keys(&hours), ["09:00", "10:00", "15:00"]);
        assert_eq!((hours[0].trades, hours[0].net_pnl), (2, dec!(-5)));
        let holds = breakdown_by(&trades, &options, Dimension::HoldTime);
        assert_eq!(keys(&holds), ["< 1 min", "5–15 min", "1–4 h", "> 1 d"]);
        // The plain breakdown orders the same rows by net instead.
        let by_net = breakdown(&trades, &options, &|t| key_of(Dimension::HoldTime, t));
        assert_eq!(keys(&by_net), ["< 1 min", "1–4 h", "> 1 d", "5–15 min"]);
    }

    #[test]
    fn hold_buckets_hold_their_lower_bound() {
        let cases = [
            (0, "< 1 min"),
            (59, "< 1 min"),
            (60, "1–5 min"),
            (299, "1–5 min"),
            (300, "5–15 min"),
            (900, "15–60 min"),
            (3599, "15–60 min"),
            (3600, "1–4 h"),
            (14_400, "4 h–1 d"),
            (86_399, "4 h–1 d"),
            (86_400, "> 1 d"),
            (1_000_000, "> 1 d"),
        ];
        for (seconds, label) in cases {
            assert_eq!(hold_bucket(seconds), label, "{seconds} s");
        }
    }

    #[test]
    fn direction_and_asset_class_keys() {
        let mut short = trade("1", "BTC-USD", utc(3, 15, 0), 60, dec!(-7));
        short.direction = Direction::Short;
        short.instrument = Instrument::crypto("BTC-USD");
        let long = trade("2", "X", utc(3, 15, 0), 60, dec!(3));
        let trades = vec![short, long];
        let options = StatsOptions::default();
        let dirs = breakdown_by(&trades, &options, Dimension::Direction);
        assert_eq!(keys(&dirs), ["long", "short"]);
        let classes = breakdown_by(&trades, &options, Dimension::AssetClass);
        assert_eq!(keys(&classes), ["stock", "crypto"]);
        let mut open = trades[1].clone();
        open.status = TradeStatus::Open;
        open.closed_at = None;
        open.trading_day = None;
        assert!(key_of(Dimension::HoldTime, &open).is_empty());
        assert!(key_of(Dimension::Weekday, &open).is_empty());
    }
}
