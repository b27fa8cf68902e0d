//! Statistics over round-trip trades (SPEC §4). The definitions, exactly:
//!
//! Only **closed** trades count; open and incomplete trades are only counted. With a
//! break-even band `b ≥ 0` (default 0):
//! - **winner**: net > b; **loser**: net < −b; **scratch**: |net| ≤ b.
//! - **win rate** = winners ÷ (winners + losers); **win rate (all)** = winners ÷ trades.
//! - **gross P&L**, **fees**, **net P&L**: sums over the trades (net = gross − fees).
//! - **average win** = Σ net of winners ÷ winners; **average loss** = Σ net of losers ÷
//!   losers (negative); **largest win / loss**: the extreme nets of winners / losers.
//! - **payoff ratio** = average win ÷ |average loss|.
//! - **profit factor** = Σ net of winners ÷ |Σ net of losers|; `None` (shown "—") when there
//!   are no losers.
//! - **expectancy** = total net ÷ trades (per-trade expectancy, in currency).
//! - **equity curve**: cumulative net P&L by close time (ties: open time, then id).
//! - **max drawdown** = the largest peak-to-trough fall of the equity curve, the peak
//!   starting at 0 (currency); in % it is that fall ÷ (starting balance + the peak before
//!   it) × 100 — `None` when no starting balance is set (the % of a P&L peak alone says
//!   nothing about the account) or the base is not positive.
//! - **daily P&L**: per trading day of the close ([`crate::trading_day`]).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::matching::{RoundTrip, TradeStatus};

/// Inputs besides the trades.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsOptions {
    /// Break-even band `b`: trades with |net| ≤ b are scratches. Must be ≥ 0.
    pub break_even_band: Decimal,
    /// Sum of the starting balances of the accounts in the filter (for drawdown %; zero
    /// means unknown).
    pub starting_balance: Decimal,
}

/// One point of the equity curve.
#[derive(Debug, Clone, PartialEq)]
pub struct EquityPoint {
    pub time: DateTime<Utc>,
    pub trade_id: String,
    /// Net P&L of this trade.
    pub net_pnl: Decimal,
    /// Cumulative net P&L after this trade.
    pub cumulative_net: Decimal,
    /// Distance below the running peak (≥ 0).
    pub drawdown: Decimal,
}

/// Net P&L of one trading day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyPnl {
    pub day: NaiveDate,
    pub trades: u64,
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    pub net_pnl: Decimal,
}

/// The statistics of a set of trades; see the module doc for each definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub trades: u64,
    pub open_trades: u64,
    /// Trades whose opening position is unknown (not measured; see
    /// [`crate::TradeStatus::Incomplete`]).
    pub incomplete_trades: u64,
    pub winners: u64,
    pub losers: u64,
    pub scratches: u64,
    pub win_rate: Option<f64>,
    pub win_rate_all: Option<f64>,
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    pub net_pnl: Decimal,
    pub avg_win: Option<Decimal>,
    pub avg_loss: Option<Decimal>,
    pub largest_win: Option<Decimal>,
    pub largest_loss: Option<Decimal>,
    pub payoff_ratio: Option<f64>,
    pub profit_factor: Option<f64>,
    pub expectancy: Option<Decimal>,
    pub max_drawdown: Decimal,
    pub max_drawdown_pct: Option<f64>,
    /// Mean hold time of closed trades, in seconds.
    pub avg_hold_seconds: Option<i64>,
    /// Longest run of consecutive winners / losers by close time (scratches break a run).
    pub longest_win_streak: u64,
    pub longest_loss_streak: u64,
    pub equity_curve: Vec<EquityPoint>,
    pub daily_pnl: Vec<DailyPnl>,
}

/// Money quotient rounded to cents-and-beyond precision (10 dp), normalized.
fn div(a: Decimal, b: Decimal) -> Decimal {
    (a / b).round_dp(10).normalize()
}

fn ratio(a: Decimal, b: Decimal) -> Option<f64> {
    if b.is_zero() {
        None
    } else {
        (a / b).to_f64()
    }
}

/// Computes [`Stats`] over `trades` (any order; open trades are counted, not measured).
pub fn compute_stats(trades: &[RoundTrip], options: &StatsOptions) -> Stats {
    let band = options.break_even_band.abs();
    let mut closed: Vec<&RoundTrip> = trades.iter().filter(|t| t.status == TradeStatus::Closed).collect();
    closed.sort_by(|a, b| {
        a.closed_at
            .cmp(&b.closed_at)
            .then(a.opened_at.cmp(&b.opened_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    let open_trades = trades.iter().filter(|t| t.status == TradeStatus::Open).count() as u64;
    let incomplete_trades = trades.iter().filter(|t| t.status == TradeStatus::Incomplete).count() as u64;

    let (mut winners, mut losers, mut scratches) = (0u64, 0u64, 0u64);
    let (mut gross, mut fees, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut sum_win, mut sum_loss) = (Decimal::ZERO, Decimal::ZERO);
    let (mut largest_win, mut largest_loss): (Option<Decimal>, Option<Decimal>) = (None, None);
    let (mut peak, mut max_dd, mut max_dd_pct) = (Decimal::ZERO, Decimal::ZERO, None);
    let (mut streak_w, mut streak_l, mut best_w, mut best_l) = (0u64, 0u64, 0u64, 0u64);
    let mut hold_total: i64 = 0;
    let mut curve = Vec::with_capacity(closed.len());
    let mut daily: BTreeMap<NaiveDate, DailyPnl> = BTreeMap::new();

    for t in &closed {
        gross += t.gross_pnl;
        fees += t.fees;
        net += t.net_pnl;
        hold_total += t.hold_seconds().unwrap_or(0);
        if t.net_pnl > band {
            winners += 1;
            sum_win += t.net_pnl;
            largest_win = Some(largest_win.map_or(t.net_pnl, |w| w.max(t.net_pnl)));
            streak_w += 1;
            streak_l = 0;
        } else if t.net_pnl < -band {
            losers += 1;
            sum_loss += t.net_pnl;
            largest_loss = Some(largest_loss.map_or(t.net_pnl, |l| l.min(t.net_pnl)));
            streak_l += 1;
            streak_w = 0;
        } else {
            scratches += 1;
            streak_w = 0;
            streak_l = 0;
        }
        best_w = best_w.max(streak_w);
        best_l = best_l.max(streak_l);

        peak = peak.max(net);
        let drawdown = peak - net;
        if drawdown > max_dd {
            max_dd = drawdown;
            let base = options.starting_balance + peak;
            max_dd_pct = if options.starting_balance > Decimal::ZERO && base > Decimal::ZERO {
                (drawdown / base * Decimal::ONE_HUNDRED).to_f64()
            } else {
                None
            };
        }
        let closed_at = t.closed_at.expect("closed trades have a close time");
        curve.push(EquityPoint {
            time: closed_at,
            trade_id: t.id.clone(),
            net_pnl: t.net_pnl,
            cumulative_net: net,
            drawdown,
        });
        let day = t.trading_day.unwrap_or_else(|| closed_at.date_naive());
        let entry = daily.entry(day).or_insert_with(|| DailyPnl {
            day,
            trades: 0,
            gross_pnl: Decimal::ZERO,
            fees: Decimal::ZERO,
            net_pnl: Decimal::ZERO,
        });
        entry.trades += 1;
        entry.gross_pnl += t.gross_pnl;
        entry.fees += t.fees;
        entry.net_pnl += t.net_pnl;
    }

    let count = closed.len() as u64;
    let avg_win = (winners > 0).then(|| div(sum_win, Decimal::from(winners)));
    let avg_loss = (losers > 0).then(|| div(sum_loss, Decimal::from(losers)));
    Stats {
        trades: count,
        open_trades,
        incomplete_trades,
        winners,
        losers,
        scratches,
        win_rate: ratio(Decimal::from(winners), Decimal::from(winners + losers)),
        win_rate_all: ratio(Decimal::from(winners), Decimal::from(count)),
        gross_pnl: gross,
        fees,
        net_pnl: net,
        avg_win,
        avg_loss,
        largest_win,
        largest_loss,
        payoff_ratio: match (avg_win, avg_loss) {
            (Some(w), Some(l)) => ratio(w, l.abs()),
            _ => None,
        },
        profit_factor: if losers > 0 {
            ratio(sum_win, sum_loss.abs())
        } else {
            None
        },
        expectancy: (count > 0).then(|| div(net, Decimal::from(count))),
        max_drawdown: max_dd,
        max_drawdown_pct: max_dd_pct,
        avg_hold_seconds: (count > 0).then(|| hold_total / count as i64),
        longest_win_streak: best_w,
        longest_loss_streak: best_l,
        equity_curve: curve,
        daily_pnl: daily.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::matching::Direction;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    /// A closed trade with the given net (gross = net + 1 fee), closed on day `day` of March.
    fn trade(i: u32, net: Decimal) -> RoundTrip {
        let at = Utc.with_ymd_and_hms(2025, 3, i, 15, 0, 0).unwrap();
        RoundTrip {
            id: format!("t{i}"),
            account_id: "a".into(),
            instrument: Instrument::stock("X"),
            direction: Direction::Long,
            status: TradeStatus::Closed,
            opened_at: at - chrono::Duration::minutes(10),
            closed_at: Some(at),
            trading_day: Some(at.date_naive()),
            source_tz: chrono_tz::UTC,
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

    #[test]
    fn worked_example() {
        // Nets: +100, −50, +30, 0, −20 → curve 100, 50, 80, 80, 60.
        let trades: Vec<_> = [dec!(100), dec!(-50), dec!(30), dec!(0), dec!(-20)]
            .into_iter()
            .enumerate()
            .map(|(i, n)| trade(i as u32 + 1, n))
            .collect();
        let s = compute_stats(
            &trades,
            &StatsOptions {
                starting_balance: dec!(900),
                ..Default::default()
            },
        );
        assert_eq!((s.trades, s.winners, s.losers, s.scratches), (5, 2, 2, 1));
        assert_eq!(s.win_rate, Some(0.5));
        assert_eq!(s.win_rate_all, Some(0.4));
        assert_eq!(s.net_pnl, dec!(60));
        assert_eq!(s.fees, dec!(5));
        assert_eq!(s.gross_pnl, dec!(65));
        assert_eq!(s.avg_win, Some(dec!(65)));
        assert_eq!(s.avg_loss, Some(dec!(-35)));
        assert_eq!(s.largest_win, Some(dec!(100)));
        assert_eq!(s.largest_loss, Some(dec!(-50)));
        assert_eq!(s.profit_factor, Some(130.0 / 70.0));
        assert_eq!(s.payoff_ratio, Some(65.0 / 35.0));
        assert_eq!(s.expectancy, Some(dec!(12)));
        // Peak 100, trough 50 → 50; base 900 + 100 → 5 %.
        assert_eq!(s.max_drawdown, dec!(50));
        assert_eq!(s.max_drawdown_pct, Some(5.0));
        assert_eq!(s.equity_curve.last().unwrap().cumulative_net, dec!(60));
        assert_eq!(s.equity_curve.last().unwrap().drawdown, dec!(40));
        assert_eq!((s.longest_win_streak, s.longest_loss_streak), (1, 1));
        assert_eq!(s.daily_pnl.len(), 5);
        assert_eq!(s.avg_hold_seconds, Some(600));
    }

    #[test]
    fn no_losers_means_no_profit_factor_and_band_makes_scratches() {
        let trades = vec![trade(1, dec!(10)), trade(2, dec!(2)), trade(3, dec!(-1))];
        let s = compute_stats(
            &trades,
            &StatsOptions {
                break_even_band: dec!(2),
                ..Default::default()
            },
        );
        assert_eq!((s.winners, s.losers, s.scratches), (1, 0, 2));
        assert_eq!(s.profit_factor, None);
        assert_eq!(s.win_rate, Some(1.0));
    }

    #[test]
    fn empty_and_open_only() {
        let mut open = trade(1, dec!(0));
        open.status = TradeStatus::Open;
        open.closed_at = None;
        let s = compute_stats(&[open], &StatsOptions::default());
        assert_eq!((s.trades, s.open_trades), (0, 1));
        assert_eq!(s.win_rate, None);
        assert_eq!(s.expectancy, None);
        assert_eq!(s.max_drawdown, dec!(0));
        assert!(s.equity_curve.is_empty());
    }

    #[test]
    fn drawdown_from_the_start_counts_against_zero_peak() {
        let trades = vec![trade(1, dec!(-30)), trade(2, dec!(10)), trade(3, dec!(-5))];
        let s = compute_stats(&trades, &StatsOptions::default());
        assert_eq!(s.max_drawdown, dec!(30));
        assert_eq!(s.max_drawdown_pct, None);
        assert_eq!(s.longest_loss_streak, 1);
    }
}
