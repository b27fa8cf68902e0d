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
//! - **trading days** `n`: the number of trading days with at least one closed trade.
//!
//! The risk-adjusted ratios are computed **over days with trades only**: a day without a
//! closed trade is not a day of zero P&L, it is left out. With `d₁ … dₙ` the daily net P&L
//! of those `n` days (converted to `f64`; the ratios are not money) and `mean = Σ dᵢ ÷ n`:
//! - **Sharpe** (daily, annualized) = mean ÷ s × √252, where s is the *sample* standard
//!   deviation `s = √(Σ (dᵢ − mean)² ÷ (n − 1))`. No risk-free rate is subtracted. `None`
//!   with fewer than 2 days or when s = 0 (every day the same).
//! - **Sortino** (daily, annualized) = mean ÷ DD × √252, where the downside deviation
//!   `DD = √(Σ min(dᵢ, 0)² ÷ n)` — over all `n` days, a winning day adding 0, target 0.
//!   `None` with fewer than 2 days or no losing day (no day with dᵢ < 0, so DD = 0).
//! - **R-multiple** of a trade = net P&L ÷ its initial risk (rounded to 10 decimal places);
//!   the initial risk comes from the caller ([`compute_stats_with_risk`]; see
//!   [`initial_risk`] for the usual one from a planned stop). **R trades** = closed trades
//!   with an initial risk > 0; **average R** = Σ R ÷ R trades, `None` when there are none.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::matching::{RoundTrip, TradeStatus};

/// Trading days in a year, for annualizing daily Sharpe and Sortino.
const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// Inputs besides the trades.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsOptions {
    /// Break-even band `b`: trades with |net| ≤ b are scratches. Must be ≥ 0.
    pub break_even_band: Decimal,
    /// Sum of the starting balances of the accounts in the filter (for drawdown %; zero
    /// means unknown).
    pub starting_balance: Decimal,
}

/// How a closed trade ends against the break-even band (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Win,
    Loss,
    Scratch,
}

impl Outcome {
    /// Classifies a net P&L: winner above `b`, loser below `−b`, scratch within; the band
    /// is taken as |b|.
    pub(crate) fn of(net: Decimal, band: Decimal) -> Outcome {
        let band = band.abs();
        if net > band {
            Outcome::Win
        } else if net < -band {
            Outcome::Loss
        } else {
            Outcome::Scratch
        }
    }
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

impl DailyPnl {
    fn empty(day: NaiveDate) -> DailyPnl {
        DailyPnl {
            day,
            trades: 0,
            gross_pnl: Decimal::ZERO,
            fees: Decimal::ZERO,
            net_pnl: Decimal::ZERO,
        }
    }

    fn add(&mut self, trade: &RoundTrip) {
        self.trades += 1;
        self.gross_pnl += trade.gross_pnl;
        self.fees += trade.fees;
        self.net_pnl += trade.net_pnl;
    }
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
    /// Trading days with at least one closed trade (= `daily_pnl.len()`).
    pub trading_days: u64,
    /// Daily Sharpe ratio, annualized, over days with trades only (module doc).
    pub sharpe: Option<f64>,
    /// Daily Sortino ratio, annualized, over days with trades only (module doc).
    pub sortino: Option<f64>,
    /// Mean R-multiple of the closed trades that have an initial risk.
    pub avg_r: Option<Decimal>,
    /// Closed trades that have an initial risk (the count behind `avg_r`).
    pub r_trades: u64,
    /// Of `trades`, the multi-leg strategies, each counted as one trade (its legs' P&L
    /// summed; [`crate::strategy`]). The store fills this; 0 from [`compute_stats`].
    pub strategies: u64,
    /// The currency every amount is in (ISO 4217): the accounts'. The store fills this and
    /// refuses to sum several; `None` from [`compute_stats`] and when no account is known.
    pub currency: Option<String>,
}

/// Money quotient rounded to cents-and-beyond precision (10 dp), normalized.
pub(crate) fn div(a: Decimal, b: Decimal) -> Decimal {
    (a / b).round_dp(10).normalize()
}

/// **Win rate** (module doc): winners ÷ (winners + losers), scratches left out; `None` when
/// no trade was decided. The one definition: the dashboard, the CLI and the tenant API's
/// community pages all call it.
pub fn win_rate(winners: u64, losers: u64) -> Option<f64> {
    ratio(Decimal::from(winners), Decimal::from(winners + losers))
}

/// **Profit factor** (module doc): Σ net of winners ÷ |Σ net of losers|, from the two sums
/// (`gross_wins` ≥ 0, `gross_losses` ≤ 0, account currency); `None` when there was no loss.
pub fn profit_factor(gross_wins: Decimal, gross_losses: Decimal) -> Option<f64> {
    if gross_losses.is_zero() {
        None
    } else {
        ratio(gross_wins, gross_losses.abs())
    }
}

pub(crate) fn ratio(a: Decimal, b: Decimal) -> Option<f64> {
    if b.is_zero() {
        None
    } else {
        (a / b).to_f64()
    }
}

/// The initial risk of a trade from its planned stop (SPEC §3 annotations):
///
/// ```text
/// initial risk = |entry price − planned stop| × quantity × multiplier
/// ```
///
/// with the trade's quantity-weighted average entry price and its total opened quantity,
/// in account currency. `None` when that is zero (stop at the entry) and for an
/// [`TradeStatus::Incomplete`] trade, which has no entry price.
pub fn initial_risk(trade: &RoundTrip, planned_stop: Decimal) -> Option<Decimal> {
    if trade.status == TradeStatus::Incomplete {
        return None;
    }
    let risk = ((trade.entry_price - planned_stop) * trade.quantity * trade.instrument.multiplier).abs();
    (!risk.is_zero()).then_some(risk)
}

/// R-multiple of a closed trade: net P&L ÷ initial risk (10 decimal places). `None` for an
/// open or incomplete trade, or a risk that is not positive.
pub fn r_multiple(trade: &RoundTrip, initial_risk: Decimal) -> Option<Decimal> {
    (trade.status == TradeStatus::Closed && initial_risk > Decimal::ZERO).then(|| div(trade.net_pnl, initial_risk))
}

/// The equity curve thinned to at most about `max_points` points for a chart, keeping its
/// shape: the curve is cut into `max_points / 2` runs of consecutive points, and each run
/// keeps its lowest and its highest point (in time order), so every peak and trough — and
/// so the drawdowns — stay visible. The last point is always kept. A curve with at most
/// `max_points` points is returned whole. Figures are never recomputed from the thinned
/// curve; [`Stats`] holds the exact ones.
pub fn thin_equity_curve(curve: &[EquityPoint], max_points: usize) -> Vec<&EquityPoint> {
    if curve.len() <= max_points.max(2) {
        return curve.iter().collect();
    }
    let runs = (max_points / 2).max(1);
    let run_len = curve.len().div_ceil(runs);
    let mut out = Vec::with_capacity(runs * 2 + 1);
    for run in curve.chunks(run_len) {
        let (mut lo, mut hi) = (0, 0);
        for (i, p) in run.iter().enumerate() {
            if p.cumulative_net < run[lo].cumulative_net {
                lo = i;
            }
            if p.cumulative_net > run[hi].cumulative_net {
                hi = i;
            }
        }
        let (first, second) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push(&run[first]);
        if second != first {
            out.push(&run[second]);
        }
    }
    let last = curve.last().expect("non-empty");
    if !std::ptr::eq(*out.last().expect("non-empty"), last) {
        out.push(last);
    }
    out
}

/// Computes [`Stats`] over `trades` (any order; open trades are counted, not measured),
/// without R-multiples (`avg_r` is `None`); see [`compute_stats_with_risk`].
pub fn compute_stats(trades: &[RoundTrip], options: &StatsOptions) -> Stats {
    compute_stats_with_risk(trades, options, &|_| None)
}

/// Computes [`Stats`] like [`compute_stats`], taking each closed trade's initial risk from
/// `initial_risk` (e.g. from its planned stop with [`initial_risk`]) for the R-multiples;
/// a trade whose risk is `None` or not positive has no R.
pub fn compute_stats_with_risk(
    trades: &[RoundTrip],
    options: &StatsOptions,
    initial_risk: &dyn Fn(&RoundTrip) -> Option<Decimal>,
) -> Stats {
    let band = options.break_even_band.abs();
    let (mut open_trades, mut incomplete_trades) = (0u64, 0u64);
    // Sorted as (close, open, trade): the times sit in the vector, so the sort does not
    // chase a pointer into a `RoundTrip` (hundreds of bytes) per comparison; the id is read
    // only when both times tie. Unstable is enough: equal keys are the same trade.
    let mut closed: Vec<(DateTime<Utc>, DateTime<Utc>, &RoundTrip)> = Vec::with_capacity(trades.len());
    for t in trades {
        match t.status {
            TradeStatus::Closed => {
                let closed_at = t.closed_at.expect("closed trades have a close time");
                closed.push((closed_at, t.opened_at, t));
            }
            TradeStatus::Open => open_trades += 1,
            TradeStatus::Incomplete => incomplete_trades += 1,
        }
    }
    closed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then_with(|| a.2.id.cmp(&b.2.id)));

    let (mut winners, mut losers, mut scratches) = (0u64, 0u64, 0u64);
    let (mut gross, mut fees, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut sum_win, mut sum_loss) = (Decimal::ZERO, Decimal::ZERO);
    let (mut largest_win, mut largest_loss): (Option<Decimal>, Option<Decimal>) = (None, None);
    let (mut peak, mut max_dd, mut max_dd_pct) = (Decimal::ZERO, Decimal::ZERO, None);
    let (mut streak_w, mut streak_l, mut best_w, mut best_l) = (0u64, 0u64, 0u64, 0u64);
    let (mut sum_r, mut r_trades) = (Decimal::ZERO, 0u64);
    let mut hold_total: i64 = 0;
    let mut curve = Vec::with_capacity(closed.len());
    let mut daily: Vec<DailyPnl> = Vec::new();

    for &(closed_at, opened_at, t) in &closed {
        gross += t.gross_pnl;
        fees += t.fees;
        net += t.net_pnl;
        hold_total += (closed_at - opened_at).num_seconds();
        match Outcome::of(t.net_pnl, band) {
            Outcome::Win => {
                winners += 1;
                sum_win += t.net_pnl;
                largest_win = Some(largest_win.map_or(t.net_pnl, |w| w.max(t.net_pnl)));
                streak_w += 1;
                streak_l = 0;
            }
            Outcome::Loss => {
                losers += 1;
                sum_loss += t.net_pnl;
                largest_loss = Some(largest_loss.map_or(t.net_pnl, |l| l.min(t.net_pnl)));
                streak_l += 1;
                streak_w = 0;
            }
            Outcome::Scratch => {
                scratches += 1;
                streak_w = 0;
                streak_l = 0;
            }
        }
        best_w = best_w.max(streak_w);
        best_l = best_l.max(streak_l);
        if let Some(r) = initial_risk(t).and_then(|risk| r_multiple(t, risk)) {
            sum_r += r;
            r_trades += 1;
        }

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
        curve.push(EquityPoint {
            time: closed_at,
            trade_id: t.id.clone(),
            net_pnl: t.net_pnl,
            cumulative_net: net,
            drawdown,
        });
        let day = t.trading_day.unwrap_or_else(|| closed_at.date_naive());
        match daily.last_mut() {
            Some(last) if last.day == day => last.add(t),
            _ => {
                let mut first = DailyPnl::empty(day);
                first.add(t);
                daily.push(first);
            }
        }
    }
    // In close-time order a day's trades come together, so `daily` is usually sorted
    // already; zones that roll the day at different times can interleave days.
    if !daily.is_sorted_by(|a, b| a.day < b.day) {
        daily.sort_by_key(|d| d.day);
        daily.dedup_by(|later, kept| {
            let same = later.day == kept.day;
            if same {
                kept.trades += later.trades;
                kept.gross_pnl += later.gross_pnl;
                kept.fees += later.fees;
                kept.net_pnl += later.net_pnl;
            }
            same
        });
    }

    let count = closed.len() as u64;
    let avg_win = (winners > 0).then(|| div(sum_win, Decimal::from(winners)));
    let avg_loss = (losers > 0).then(|| div(sum_loss, Decimal::from(losers)));
    let (sharpe, sortino) = sharpe_sortino(&daily);
    Stats {
        trades: count,
        open_trades,
        incomplete_trades,
        winners,
        losers,
        scratches,
        win_rate: win_rate(winners, losers),
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
            profit_factor(sum_win, sum_loss)
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
        trading_days: daily.len() as u64,
        daily_pnl: daily,
        sharpe,
        sortino,
        avg_r: (r_trades > 0).then(|| div(sum_r, Decimal::from(r_trades))),
        r_trades,
        strategies: 0,
        currency: None,
    }
}

/// Daily Sharpe and Sortino over the days given (the days with trades); see the module doc.
fn sharpe_sortino(days: &[DailyPnl]) -> (Option<f64>, Option<f64>) {
    if days.len() < 2 {
        return (None, None);
    }
    let nets: Vec<f64> = days.iter().map(|d| d.net_pnl.to_f64().unwrap_or(0.0)).collect();
    let n = nets.len() as f64;
    let mean = nets.iter().sum::<f64>() / n;
    let variance = nets.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let downside = nets.iter().map(|d| d.min(0.0).powi(2)).sum::<f64>() / n;
    let annualize = TRADING_DAYS_PER_YEAR.sqrt();
    // Decided on the exact decimals: an f64 stdev of equal days can come out as 1e-17.
    let all_equal = days.iter().all(|d| d.net_pnl == days[0].net_pnl);
    let sharpe = (!all_equal).then(|| mean / variance.sqrt() * annualize);
    let has_losing_day = days.iter().any(|d| d.net_pnl < Decimal::ZERO);
    let sortino = has_losing_day.then(|| mean / downside.sqrt() * annualize);
    (sharpe, sortino)
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
        assert_eq!(s.trading_days, 5);
        // Without an initial risk there is no R.
        assert_eq!((s.avg_r, s.r_trades), (None, 0));
    }

    /// A second closed trade on day `day` of March (distinct id).
    fn another(day: u32, net: Decimal) -> RoundTrip {
        let mut t = trade(day, net);
        t.id = format!("t{day}b");
        t
    }

    fn close_to(actual: Option<f64>, expected: f64) -> bool {
        actual.is_some_and(|a| (a - expected).abs() < 1e-9)
    }

    #[test]
    fn sharpe_and_sortino_over_days_with_trades() {
        // Day 1 has two trades (60 + 40 = 100); daily nets 100, −50, 30 (days 1, 2, 4 of
        // March: day 3 has no trade and is left out, not counted as 0).
        // mean = 80 ÷ 3 = 26.666…; deviations 73.33…, −76.66…, 3.33…; Σ squares
        // = 11266.66…; sample variance = 11266.66… ÷ 2 = 5633.33…; s = 75.0555349946…
        // Sharpe = 26.666… ÷ 75.0555… × √252 (15.8745078664) = 5.640093163022…
        // Downside: Σ min(d, 0)² = 2500; DD = √(2500 ÷ 3) = 28.8675134595;
        // Sortino = 26.666… ÷ 28.8675… × √252 = 14.664242223858…
        let trades = vec![
            trade(1, dec!(60)),
            another(1, dec!(40)),
            trade(2, dec!(-50)),
            trade(4, dec!(30)),
        ];
        let s = compute_stats(&trades, &StatsOptions::default());
        assert_eq!(s.trading_days, 3);
        assert_eq!(s.daily_pnl[0].net_pnl, dec!(100));
        assert!(close_to(s.sharpe, 5.640093163022573), "{:?}", s.sharpe);
        assert!(close_to(s.sortino, 14.66424222385869), "{:?}", s.sortino);
    }

    #[test]
    fn days_interleaved_by_zone_are_merged() {
        // By close time: a future closing 3 Mar 23:00 UTC (trading day 4 Mar, the evening
        // session), a stock closing 4 Mar 00:30 UTC (19:30 on 3 Mar in New York → 3 Mar),
        // a stock closing 4 Mar 15:00 UTC (4 Mar). Days in close order: 4, 3, 4.
        let at = |d, h, m| Utc.with_ymd_and_hms(2025, 3, d, h, m, 0).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let mut a = trade(1, dec!(10));
        (a.closed_at, a.trading_day) = (Some(at(3, 23, 0)), Some(day(4)));
        let mut b = trade(2, dec!(-4));
        (b.closed_at, b.trading_day) = (Some(at(4, 0, 30)), Some(day(3)));
        let mut c = trade(3, dec!(5));
        (c.closed_at, c.trading_day) = (Some(at(4, 15, 0)), Some(day(4)));
        let s = compute_stats(&[c, b, a], &StatsOptions::default());
        let days: Vec<_> = s.daily_pnl.iter().map(|d| (d.day, d.trades, d.net_pnl)).collect();
        assert_eq!(days, [(day(3), 1, dec!(-4)), (day(4), 2, dec!(15))]);
        assert_eq!(s.trading_days, 2);
        let ids: Vec<_> = s.equity_curve.iter().map(|p| p.trade_id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
    }

    #[test]
    fn sharpe_and_sortino_need_two_days_a_spread_and_a_losing_day() {
        let opts = StatsOptions::default();
        // One day: nothing to measure a spread on.
        let s = compute_stats(&[trade(1, dec!(10)), another(1, dec!(-5))], &opts);
        assert_eq!((s.trading_days, s.sharpe, s.sortino), (1, None, None));
        // Days 10, 10: stdev 0 → no Sharpe; no losing day → no Sortino.
        let s = compute_stats(&[trade(1, dec!(10)), trade(2, dec!(10))], &opts);
        assert_eq!((s.sharpe, s.sortino), (None, None));
        // Days 10, 20: mean 15, s = √50 = 7.0710678…; Sharpe = 15 ÷ 7.0710678 × √252
        // = 33.674916480965…; still no losing day → no Sortino.
        let s = compute_stats(&[trade(1, dec!(10)), trade(2, dec!(20))], &opts);
        assert!(close_to(s.sharpe, 33.67491648096547), "{:?}", s.sharpe);
        assert_eq!(s.sortino, None);
        // Days −10, −10: stdev 0 → no Sharpe; DD = √((100 + 100) ÷ 2) = 10, Sortino =
        // −10 ÷ 10 × √252 = −15.874507866387…
        let s = compute_stats(&[trade(1, dec!(-10)), trade(2, dec!(-10))], &opts);
        assert_eq!(s.sharpe, None);
        assert!(close_to(s.sortino, -15.874507866387544), "{:?}", s.sortino);
    }

    #[test]
    fn average_r_over_trades_with_an_initial_risk() {
        // Nets +100 (risk 50 → 2R), −50 (risk 50 → −1R), +30 (no stop), +10 (risk 0: no R),
        // −20 (risk 30 → −0.6666666667R after rounding to 10 dp).
        // Σ R = 2 − 1 − 0.6666666667 = 0.3333333333; ÷ 3 R trades = 0.1111111111.
        let trades = vec![
            trade(1, dec!(100)),
            trade(2, dec!(-50)),
            trade(3, dec!(30)),
            trade(4, dec!(10)),
            trade(5, dec!(-20)),
        ];
        let risk = |t: &RoundTrip| match t.id.as_str() {
            "t1" | "t2" => Some(dec!(50)),
            "t4" => Some(dec!(0)),
            "t5" => Some(dec!(30)),
            _ => None,
        };
        let s = compute_stats_with_risk(&trades, &StatsOptions::default(), &risk);
        assert_eq!(s.r_trades, 3);
        assert_eq!(s.avg_r, Some(dec!(0.1111111111)));
        // The rest is the same as without risk.
        let plain = compute_stats(&trades, &StatsOptions::default());
        assert_eq!(
            (s.net_pnl, s.winners, s.sharpe),
            (plain.net_pnl, plain.winners, plain.sharpe)
        );
    }

    #[test]
    fn initial_risk_is_stop_distance_times_quantity_times_multiplier() {
        // Long 3 @ 100, stop 98: |100 − 98| × 3 × 1 = 6.
        let mut t = trade(1, dec!(0));
        t.entry_price = dec!(100);
        t.quantity = dec!(3);
        assert_eq!(initial_risk(&t, dec!(98)), Some(dec!(6)));
        // Short 10 @ 50, stop 52: |50 − 52| × 10 × 1 = 20.
        t.direction = Direction::Short;
        t.entry_price = dec!(50);
        t.quantity = dec!(10);
        assert_eq!(initial_risk(&t, dec!(52)), Some(dec!(20)));
        // Option: 2 contracts @ 2.50, stop 1.50, multiplier 100: 1 × 2 × 100 = 200.
        t.instrument.multiplier = dec!(100);
        t.entry_price = dec!(2.50);
        t.quantity = dec!(2);
        assert_eq!(initial_risk(&t, dec!(1.50)), Some(dec!(200)));
        // Stop at the entry: no risk; an incomplete trade has no entry price.
        assert_eq!(initial_risk(&t, dec!(2.5)), None);
        t.status = TradeStatus::Incomplete;
        assert_eq!(initial_risk(&t, dec!(1.50)), None);
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

    #[test]
    fn a_thinned_equity_curve_keeps_peaks_troughs_and_the_end() {
        let t0 = Utc.with_ymd_and_hms(2025, 3, 3, 15, 0, 0).unwrap();
        // 0, 1, …, 49, then down by 2 to −50, then −50, −49, …, −1: 150 points.
        let values: Vec<i64> = (0..50).chain((0..50).map(|i| 49 - 2 * i - 1)).chain(-50..-0).collect();
        let curve: Vec<EquityPoint> = values
            .iter()
            .enumerate()
            .map(|(i, v)| EquityPoint {
                time: t0 + chrono::Duration::minutes(i as i64),
                trade_id: i.to_string(),
                net_pnl: Decimal::ZERO,
                cumulative_net: Decimal::from(*v),
                drawdown: Decimal::ZERO,
            })
            .collect();
        let thin = thin_equity_curve(&curve, 20);
        assert!(thin.len() <= 21, "{} points", thin.len());
        let max = thin.iter().map(|p| p.cumulative_net).max().unwrap();
        let min = thin.iter().map(|p| p.cumulative_net).min().unwrap();
        assert_eq!((max, min), (Decimal::from(49), Decimal::from(-50)));
        assert!(thin.windows(2).all(|w| w[0].time < w[1].time), "time order");
        assert_eq!(thin.last().unwrap().trade_id, curve.last().unwrap().trade_id);
        assert_eq!(thin_equity_curve(&curve, 500).len(), curve.len());
    }
}
