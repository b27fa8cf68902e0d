//! # tradebook-core — the trading domain, pure
//!
//! Instruments (with the futures contract table), fills, FIFO round-trip matching, exact
//! decimal P&L and the SPEC §4 statistics. This crate does no IO: no files, no database, no
//! clock. Everything here is deterministic over its inputs, so the desktop app, the CLI and
//! the tenant API compute the same P&L from the same fills.
//!
//! Data flow: broker rows → [`Fill`]s (the source of truth) → [`match_round_trips`] →
//! [`RoundTrip`]s → [`Stats`] and [`breakdown()`] rows.
//!
//! Money, prices and quantities are [`rust_decimal::Decimal`]; never `f64`. Ratios in
//! [`Stats`] (win rate, profit factor) are `f64` because they are not money.

pub mod breakdown;
pub mod contracts;
pub mod error;
pub mod fill;
pub mod instrument;
pub mod manual;
pub mod matching;
pub mod money;
pub mod session;
pub mod stats;
pub mod strategy;

pub use breakdown::{breakdown, breakdown_by, key_of, BreakdownRow, Dimension};
pub use contracts::{ContractSpec, ContractTable, FuturesSymbol};
pub use error::CoreError;
pub use fill::{Fill, PositionEffect, Side};
pub use instrument::{AssetClass, Instrument, OptionRight};
pub use manual::{manual_trade_fills, preview_manual_trade, ManualTradeSpec};
pub use matching::{match_round_trips, Direction, FillAllocation, PositionMatcher, RoundTrip, TradeStatus};
pub use money::{decimal_string, money_string};
pub use session::trading_day;
pub use stats::{
    compute_stats, compute_stats_with_risk, initial_risk, profit_factor, r_multiple, thin_equity_curve, win_rate,
    DailyPnl, EquityPoint, Stats, StatsOptions,
};
pub use strategy::{as_one_trade, classify, opened_together, underlying_of, StrategyKind};

pub use rust_decimal::Decimal;
