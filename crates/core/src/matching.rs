//! FIFO round-trip matching (SPEC §3).
//!
//! Fills are grouped per (account, instrument symbol) and walked in time order; at equal
//! timestamps the source order (`Fill::seq`) is kept. A round-trip trade opens when the
//! position leaves zero and closes when it returns to zero. Scaling in and out stays in one
//! trade; each exit is matched first-in-first-out against the open lots and realizes
//!
//! ```text
//! gross += (exit price − lot entry price) × quantity × multiplier × (+1 long, −1 short)
//! ```
//!
//! A fill that crosses zero (long 2, sell 5) closes the trade with 2 and opens the opposite
//! trade with the remaining 3; its fees are split pro rata by quantity (the closing share is
//! rounded to 10 decimal places and the opening share is the exact remainder, so no fee
//! is lost or invented). Net = gross − fees.
//!
//! **Opening position unknown.** A fill that its source marks as closing
//! ([`PositionEffect::Close`]) but that finds no open lot (the position was opened before the
//! file's range) never opens the opposite trade. Its unmatched quantity becomes an
//! [`TradeStatus::Incomplete`] trade: the direction it closed, no entry price, no P&L, and
//! out of the statistics until the user enters the opening fill.
//!
//! A trade's id is its opening fill's id (a fill opens at most one trade), so it is stable
//! when trades are recomputed from the same fills (annotations keyed by trade id stay
//! attached), and time-ordered like the fill ids, which keeps index inserts sequential.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::fill::{Fill, PositionEffect, Side};
use crate::instrument::Instrument;
use crate::session::trading_day;

/// Decimal places kept when dividing (average prices, fee shares).
const DIV_DP: u32 = 10;

/// Long (opened by a buy) or short (opened by a sell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Long,
    Short,
}

impl Direction {
    /// `"long"` / `"short"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Long => "long",
            Direction::Short => "short",
        }
    }

    /// Inverse of [`Direction::as_str`].
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().as_str() {
            "long" => Some(Direction::Long),
            "short" => Some(Direction::Short),
            _ => None,
        }
    }

    /// The side that opens (and adds to) a position in this direction.
    pub fn opening_side(self) -> Side {
        match self {
            Direction::Long => Side::Buy,
            Direction::Short => Side::Sell,
        }
    }

    fn sign(self) -> Decimal {
        match self {
            Direction::Long => Decimal::ONE,
            Direction::Short => Decimal::NEGATIVE_ONE,
        }
    }
}

/// Whether the position of the trade is back to zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradeStatus {
    Open,
    Closed,
    /// A closing fill whose opening is not in the journal ("opening position unknown"):
    /// no entry price, no P&L, not in the statistics.
    Incomplete,
}

impl TradeStatus {
    /// `"open"` / `"closed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeStatus::Open => "open",
            TradeStatus::Closed => "closed",
            TradeStatus::Incomplete => "incomplete",
        }
    }

    /// Inverse of [`TradeStatus::as_str`].
    pub fn parse(s: &str) -> Option<TradeStatus> {
        match s {
            "open" => Some(TradeStatus::Open),
            "closed" => Some(TradeStatus::Closed),
            "incomplete" => Some(TradeStatus::Incomplete),
            _ => None,
        }
    }
}

/// The part of one fill that belongs to one trade.
#[derive(Debug, Clone, PartialEq)]
pub struct FillAllocation {
    pub fill_id: String,
    /// Quantity of the fill in this trade (all of it, or the share on one side of a flip).
    pub quantity: Decimal,
    /// Fees of the fill charged to this trade (pro rata by quantity).
    pub fees: Decimal,
    /// `true` when this part adds to the position, `false` when it reduces it.
    pub opening: bool,
}

/// A round-trip trade derived from fills.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundTrip {
    /// The opening fill's id (stable across recomputation).
    pub id: String,
    pub account_id: String,
    /// The instrument of the opening fill.
    pub instrument: Instrument,
    pub direction: Direction,
    pub status: TradeStatus,
    pub opened_at: DateTime<Utc>,
    /// Time of the fill that brought the position back to zero.
    pub closed_at: Option<DateTime<Utc>>,
    /// Trading day of the close in the exchange's zone ([`crate::trading_day`]).
    pub trading_day: Option<NaiveDate>,
    /// Zone of the opening fill's source.
    pub source_tz: Tz,
    /// Total quantity opened (sum of opening allocations).
    pub quantity: Decimal,
    /// Quantity closed so far (equals `quantity` when closed).
    pub closed_quantity: Decimal,
    /// Quantity-weighted average entry price.
    pub entry_price: Decimal,
    /// Quantity-weighted average exit price; `None` before the first exit.
    pub exit_price: Option<Decimal>,
    /// Realized gross P&L in account currency (so far, for an open trade).
    pub gross_pnl: Decimal,
    /// Fees of all the trade's fill allocations.
    pub fees: Decimal,
    /// `gross_pnl − fees`.
    pub net_pnl: Decimal,
    /// The fills, in time order.
    pub allocations: Vec<FillAllocation>,
}

impl RoundTrip {
    /// Seconds from open to close; `None` while open.
    pub fn hold_seconds(&self) -> Option<i64> {
        self.closed_at.map(|c| (c - self.opened_at).num_seconds())
    }
}

/// Derives round-trip trades from fills of any number of accounts and instruments.
///
/// The result is ordered by opening time (then symbol, then id). Fills need not be sorted.
/// Complexity O(n log n) for the sort plus O(n) for the walk.
pub fn match_round_trips(fills: &[Fill]) -> Vec<RoundTrip> {
    let mut groups: BTreeMap<(&str, &str), Vec<&Fill>> = BTreeMap::new();
    for fill in fills {
        groups
            .entry((fill.account_id.as_str(), fill.instrument.symbol.as_str()))
            .or_default()
            .push(fill);
    }
    let mut trades = Vec::new();
    for (_, mut group) in groups {
        group.sort_by(|a, b| a.executed_at.cmp(&b.executed_at).then(a.seq.cmp(&b.seq)));
        match_group(&group, &mut trades);
    }
    trades.sort_by(|a, b| {
        a.opened_at
            .cmp(&b.opened_at)
            .then_with(|| a.instrument.symbol.cmp(&b.instrument.symbol))
            .then_with(|| a.id.cmp(&b.id))
    });
    trades
}

struct Lot {
    quantity: Decimal,
    price: Decimal,
}

struct Builder {
    trade: RoundTrip,
    lots: VecDeque<Lot>,
    position: Decimal,
    entry_notional: Decimal,
    exit_notional: Decimal,
}

impl Builder {
    fn open(fill: &Fill) -> Builder {
        let direction = match fill.side {
            Side::Buy => Direction::Long,
            Side::Sell => Direction::Short,
        };
        Builder {
            trade: RoundTrip {
                id: fill.id.clone(),
                account_id: fill.account_id.clone(),
                instrument: fill.instrument.clone(),
                direction,
                status: TradeStatus::Open,
                opened_at: fill.executed_at,
                closed_at: None,
                trading_day: None,
                source_tz: fill.source_tz,
                quantity: Decimal::ZERO,
                closed_quantity: Decimal::ZERO,
                entry_price: Decimal::ZERO,
                exit_price: None,
                gross_pnl: Decimal::ZERO,
                fees: Decimal::ZERO,
                net_pnl: Decimal::ZERO,
                allocations: Vec::new(),
            },
            lots: VecDeque::new(),
            position: Decimal::ZERO,
            entry_notional: Decimal::ZERO,
            exit_notional: Decimal::ZERO,
        }
    }

    fn add(&mut self, fill: &Fill, quantity: Decimal, fees: Decimal) {
        self.lots.push_back(Lot {
            quantity,
            price: fill.price,
        });
        self.position += quantity;
        self.trade.quantity += quantity;
        self.entry_notional += quantity * fill.price;
        self.trade.fees += fees;
        self.trade.allocations.push(FillAllocation {
            fill_id: fill.id.clone(),
            quantity,
            fees,
            opening: true,
        });
    }

    fn reduce(&mut self, fill: &Fill, quantity: Decimal, fees: Decimal) {
        let multiplier = self.trade.instrument.multiplier;
        let sign = self.trade.direction.sign();
        let mut left = quantity;
        while left > Decimal::ZERO {
            let Some(lot) = self.lots.front_mut() else { break };
            let take = left.min(lot.quantity);
            self.trade.gross_pnl += (fill.price - lot.price) * take * multiplier * sign;
            lot.quantity -= take;
            left -= take;
            if lot.quantity.is_zero() {
                self.lots.pop_front();
            }
        }
        self.position -= quantity;
        self.trade.closed_quantity += quantity;
        self.exit_notional += quantity * fill.price;
        self.trade.fees += fees;
        self.trade.allocations.push(FillAllocation {
            fill_id: fill.id.clone(),
            quantity,
            fees,
            opening: false,
        });
    }

    /// The trade of a closing fill with no open lot: it closed a position in the direction
    /// opposite to its side, opened before the journal starts.
    fn incomplete(mut self, fill: &Fill, quantity: Decimal, fees: Decimal) -> RoundTrip {
        let t = &mut self.trade;
        t.direction = match fill.side {
            Side::Buy => Direction::Short,
            Side::Sell => Direction::Long,
        };
        t.status = TradeStatus::Incomplete;
        t.quantity = quantity;
        t.closed_quantity = quantity;
        t.exit_price = Some(fill.price);
        t.closed_at = Some(fill.executed_at);
        t.trading_day = Some(trading_day(fill.executed_at, t.instrument.asset_class));
        t.fees = fees;
        t.net_pnl = -fees;
        t.allocations.push(FillAllocation {
            fill_id: fill.id.clone(),
            quantity,
            fees,
            opening: false,
        });
        self.trade
    }

    fn finish(mut self, closed_at: Option<DateTime<Utc>>) -> RoundTrip {
        let t = &mut self.trade;
        if !t.quantity.is_zero() {
            t.entry_price = (self.entry_notional / t.quantity).round_dp(DIV_DP).normalize();
        }
        if !t.closed_quantity.is_zero() {
            t.exit_price = Some((self.exit_notional / t.closed_quantity).round_dp(DIV_DP).normalize());
        }
        if let Some(at) = closed_at {
            t.status = TradeStatus::Closed;
            t.closed_at = Some(at);
            t.trading_day = Some(trading_day(at, t.instrument.asset_class));
        }
        t.net_pnl = t.gross_pnl - t.fees;
        self.trade
    }
}

fn match_group(fills: &[&Fill], out: &mut Vec<RoundTrip>) {
    let mut matcher = PositionMatcher::new();
    for fill in fills {
        matcher.push(fill, out);
    }
    matcher.finish(out);
}

/// FIFO matching of one position (one account and instrument), one fill at a time, for
/// callers that stream fills instead of holding them (an import of a million fills).
///
/// Feed the position's fills in time order (executed-at, then file order); each
/// [`PositionMatcher::push`] appends the trades that fill completed (closed, or incomplete:
/// a closing fill with no open lot), and [`PositionMatcher::finish`] appends the trade still
/// open. The result equals [`match_round_trips`] over the same fills. Memory: the open lots
/// and the allocations of the trade in progress, not the history.
#[derive(Default)]
pub struct PositionMatcher {
    current: Option<Builder>,
}

impl PositionMatcher {
    /// A matcher with a flat position.
    pub fn new() -> PositionMatcher {
        PositionMatcher::default()
    }

    /// Whether a trade is in progress (the position is not flat).
    pub fn is_open(&self) -> bool {
        self.current.is_some()
    }

    /// Applies the next fill of the position; completed trades are appended to `out`.
    pub fn push(&mut self, fill: &Fill, out: &mut Vec<RoundTrip>) {
        let mut remaining = fill.quantity;
        let mut fees_left = fill.fees;
        if let Some(mut builder) = self.current.take() {
            if builder.trade.direction.opening_side() == fill.side {
                builder.add(fill, remaining, fees_left);
                self.current = Some(builder);
                return;
            }
            let closing = remaining.min(builder.position);
            let share = if closing == remaining {
                fees_left
            } else {
                (fill.fees * closing / fill.quantity).round_dp(DIV_DP)
            };
            builder.reduce(fill, closing, share);
            remaining -= closing;
            fees_left -= share;
            if builder.position.is_zero() {
                out.push(builder.finish(Some(fill.executed_at)));
            } else {
                self.current = Some(builder);
            }
        }
        if remaining > Decimal::ZERO {
            let mut builder = Builder::open(fill);
            if fill.position_effect == Some(PositionEffect::Close) {
                out.push(builder.incomplete(fill, remaining, fees_left));
            } else {
                builder.add(fill, remaining, fees_left);
                self.current = Some(builder);
            }
        }
    }

    /// Ends the stream: the trade in progress, if any, is appended to `out` as open.
    pub fn finish(self, out: &mut Vec<RoundTrip>) {
        if let Some(builder) = self.current {
            out.push(builder.finish(None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{AssetClass, Instrument};
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn fill(seq: i64, minute: u32, side: Side, qty: Decimal, price: Decimal) -> Fill {
        fill_on(Instrument::stock("AAPL"), seq, minute, side, qty, price, dec!(0))
    }

    fn fill_on(
        instrument: Instrument,
        seq: i64,
        minute: u32,
        side: Side,
        quantity: Decimal,
        price: Decimal,
        fees: Decimal,
    ) -> Fill {
        Fill {
            id: format!("f{seq}"),
            account_id: "acct".into(),
            instrument,
            side,
            quantity,
            price,
            fees,
            executed_at: Utc.with_ymd_and_hms(2025, 3, 3, 15, minute, 0).unwrap(),
            source_tz: chrono_tz::America::New_York,
            seq,
            position_effect: None,
        }
    }

    fn summary(trades: &[RoundTrip]) -> Vec<(Direction, TradeStatus, Decimal, Decimal)> {
        trades
            .iter()
            .map(|t| (t.direction, t.status, t.quantity, t.gross_pnl))
            .collect()
    }

    use Direction::*;
    use Side::*;
    use TradeStatus::*;

    /// A net rebate (negative fees) raises net P&L and is split pro rata like a cost when a
    /// fill crosses zero: no cent is lost or invented.
    #[test]
    fn rebates_raise_net_and_split_like_costs() {
        let aapl = || Instrument::stock("AAPL");
        let t = match_round_trips(&[
            fill_on(aapl(), 1, 0, Buy, dec!(100), dec!(10), dec!(-0.30)),
            fill_on(aapl(), 2, 1, Sell, dec!(300), dec!(11), dec!(-0.90)),
            fill_on(aapl(), 3, 2, Buy, dec!(200), dec!(10.5), dec!(0.10)),
        ]);
        assert_eq!(t.len(), 2);
        // Long 100: gross +100; fees −0.30 and a third of −0.90.
        assert_eq!(
            (t[0].gross_pnl, t[0].fees, t[0].net_pnl),
            (dec!(100), dec!(-0.60), dec!(100.60))
        );
        // Short 200 from 11 to 10.5: gross +100; fees −0.60 + 0.10.
        assert_eq!(
            (t[1].gross_pnl, t[1].fees, t[1].net_pnl),
            (dec!(100), dec!(-0.50), dec!(100.50))
        );
    }

    #[test]
    fn simple_long_and_short() {
        let t = match_round_trips(&[
            fill(1, 0, Buy, dec!(100), dec!(10)),
            fill(2, 1, Sell, dec!(100), dec!(10.5)),
            fill(3, 2, Sell, dec!(50), dec!(20)),
            fill(4, 3, Buy, dec!(50), dec!(21)),
        ]);
        assert_eq!(
            summary(&t),
            vec![
                (Long, Closed, dec!(100), dec!(50)),
                (Short, Closed, dec!(50), dec!(-50))
            ]
        );
    }

    #[test]
    fn scale_in_and_out_is_one_trade_fifo() {
        // Buy 1 @10, buy 1 @12, sell 1 @13 (FIFO closes the @10 lot: +3), sell 1 @11 (−1).
        let t = match_round_trips(&[
            fill(1, 0, Buy, dec!(1), dec!(10)),
            fill(2, 1, Buy, dec!(1), dec!(12)),
            fill(3, 2, Sell, dec!(1), dec!(13)),
            fill(4, 3, Sell, dec!(1), dec!(11)),
        ]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].gross_pnl, dec!(2));
        assert_eq!(t[0].entry_price, dec!(11));
        assert_eq!(t[0].exit_price, Some(dec!(12)));
        assert_eq!(t[0].allocations.len(), 4);
    }

    #[test]
    fn partial_exit_realizes_fifo_and_stays_open() {
        let t = match_round_trips(&[
            fill(1, 0, Buy, dec!(3), dec!(10)),
            fill(2, 1, Buy, dec!(2), dec!(20)),
            fill(3, 2, Sell, dec!(4), dec!(15)),
        ]);
        // 3 @10 → +15, 1 @20 → −5: realized +10, 1 still open.
        assert_eq!(summary(&t), vec![(Long, Open, dec!(5), dec!(10))]);
        assert_eq!(t[0].closed_quantity, dec!(4));
        assert_eq!(t[0].closed_at, None);
    }

    #[test]
    fn flip_through_zero_splits_the_fill_and_its_fees() {
        let apple = Instrument::stock("AAPL");
        let t = match_round_trips(&[
            fill_on(apple.clone(), 1, 0, Buy, dec!(2), dec!(10), dec!(1)),
            fill_on(apple.clone(), 2, 1, Sell, dec!(5), dec!(11), dec!(1)),
            fill_on(apple, 3, 2, Buy, dec!(3), dec!(9), dec!(0)),
        ]);
        assert_eq!(
            summary(&t),
            vec![(Long, Closed, dec!(2), dec!(2)), (Short, Closed, dec!(3), dec!(6))]
        );
        assert_eq!(t[0].fees, dec!(1.4)); // 1 + 2/5 of 1
        assert_eq!(t[1].fees, dec!(0.6)); // 3/5 of 1
        assert_eq!(t[0].net_pnl, dec!(0.6));
        assert_eq!(t[1].net_pnl, dec!(5.4));
        assert_eq!(t[1].id, "f2", "the trade opened by the flip is named by that fill");
    }

    #[test]
    fn fee_split_never_loses_a_fraction() {
        let apple = Instrument::stock("AAPL");
        let t = match_round_trips(&[
            fill_on(apple.clone(), 1, 0, Buy, dec!(1), dec!(10), dec!(0)),
            fill_on(apple, 2, 1, Sell, dec!(3), dec!(10), dec!(1)),
        ]);
        assert_eq!(t[0].fees + t[1].fees, dec!(1));
    }

    #[test]
    fn options_use_multiplier_100() {
        let call = Instrument::option(
            "SPY220930C00364000",
            "SPY",
            chrono::NaiveDate::from_ymd_opt(2022, 9, 30).unwrap(),
            dec!(364),
            crate::OptionRight::Call,
            dec!(100),
        );
        let t = match_round_trips(&[
            fill_on(call.clone(), 1, 0, Buy, dec!(4), dec!(1.90), dec!(0)),
            fill_on(call, 2, 5, Sell, dec!(4), dec!(2.02), dec!(0)),
        ]);
        assert_eq!(t[0].gross_pnl, dec!(48)); // 0.12 × 4 × 100
    }

    #[test]
    fn futures_use_point_value() {
        let table = crate::ContractTable::builtin();
        let nq = table
            .future("NQH6", chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
            .unwrap();
        assert_eq!(nq.asset_class, AssetClass::Future);
        let t = match_round_trips(&[
            fill_on(nq.clone(), 1, 0, Sell, dec!(1), dec!(25271), dec!(0.79)),
            fill_on(nq, 2, 36, Buy, dec!(1), dec!(25266), dec!(0.79)),
        ]);
        assert_eq!(t[0].direction, Short);
        assert_eq!(t[0].gross_pnl, dec!(100)); // 5 points × 20
        assert_eq!(t[0].net_pnl, dec!(98.42));
    }

    #[test]
    fn equal_timestamps_keep_file_order() {
        // All at the same minute: file order buy, sell, sell, buy → long then short.
        let t = match_round_trips(&[
            fill(4, 0, Buy, dec!(1), dec!(11)),
            fill(1, 0, Buy, dec!(1), dec!(10)),
            fill(3, 0, Sell, dec!(1), dec!(12)),
            fill(2, 0, Sell, dec!(1), dec!(12)),
        ]);
        // seq order: 1 buy@10, 2 sell@12 (close +2), 3 sell@12 (open short), 4 buy@11 (+1).
        assert_eq!(
            summary(&t),
            vec![(Long, Closed, dec!(1), dec!(2)), (Short, Closed, dec!(1), dec!(1))]
        );
    }

    #[test]
    fn accounts_and_symbols_are_matched_separately() {
        let mut a = fill(1, 0, Buy, dec!(1), dec!(10));
        let mut b = fill(2, 1, Sell, dec!(1), dec!(12));
        b.account_id = "other".into();
        a.instrument = Instrument::stock("MSFT");
        let t = match_round_trips(&[a, b]);
        assert_eq!(
            summary(&t),
            vec![(Long, Open, dec!(1), dec!(0)), (Short, Open, dec!(1), dec!(0))]
        );
    }

    #[test]
    fn a_closing_fill_with_no_open_lot_is_incomplete_never_a_short() {
        let mut sell = fill(1, 0, Sell, dec!(5), dec!(12));
        sell.position_effect = Some(PositionEffect::Close);
        let mut buy = fill(2, 1, Buy, dec!(2), dec!(10));
        buy.position_effect = Some(PositionEffect::Open);
        let mut close = fill(3, 2, Sell, dec!(3), dec!(11));
        close.position_effect = Some(PositionEffect::Close);
        let t = match_round_trips(&[sell, buy, close]);
        // The first sell closed a long opened before the file; then long 2 closed by 2 of
        // the 3 sold, and the last 1 closes nothing known.
        assert_eq!(
            summary(&t),
            vec![
                (Long, Incomplete, dec!(5), dec!(0)),
                (Long, Closed, dec!(2), dec!(2)),
                (Long, Incomplete, dec!(1), dec!(0))
            ]
        );
        assert_eq!(t[0].exit_price, Some(dec!(12)));
        // Without a stated effect the same sell opens a short, as before.
        let t = match_round_trips(&[fill(1, 0, Sell, dec!(5), dec!(12))]);
        assert_eq!(summary(&t), vec![(Short, Open, dec!(5), dec!(0))]);
    }

    #[test]
    fn trade_ids_are_stable_across_recomputation() {
        let fills = vec![fill(1, 0, Buy, dec!(1), dec!(10)), fill(2, 1, Sell, dec!(1), dec!(12))];
        let first = match_round_trips(&fills);
        let mut more = fills.clone();
        more.push(fill(3, 2, Buy, dec!(1), dec!(10)));
        let second = match_round_trips(&more);
        assert_eq!(first[0].id, second[0].id);
        assert_ne!(second[0].id, second[1].id);
    }
}
