//! Multi-leg strategies: round-trip trades opened together on one underlying, counted as one
//! trade in the statistics with their legs kept.
//!
//! **Opened together** (the grouping rule): trades of one account whose opening fills share
//! the same instant and the same underlying (an option's `underlying`, a stock's symbol), at
//! least two of them, at least one an option. Brokers that state an order id would group by
//! it; the fills Tradebook keeps do not carry one, so the instant is the rule (a source that
//! writes dates only groups a day's legs on one underlying: the user splits what is not one
//! strategy).
//!
//! **Kinds** ([`classify`]), from the legs' rights, strikes, expiries, directions and
//! quantities (the standard definitions, e.g. the CBOE's strategy glossary):
//! - *vertical*: two options of one right and expiry, one long and one short, different strikes;
//! - *straddle*: a call and a put of one expiry and strike, same direction; *strangle*: the
//!   same with different strikes;
//! - *iron condor*: a put vertical and a call vertical of one expiry, both short or both
//!   long spreads, the four strikes different; *iron butterfly* when the two inner strikes
//!   are equal;
//! - *butterfly*: three strikes of one right and expiry, quantities 1 : 2 : 1, the wings
//!   on one side and the body on the other;
//! - *calendar*: one right and strike, two expiries, opposite directions; *diagonal*: the same
//!   with different strikes;
//! - *covered call*: long stock and short calls on it (100 shares per contract at most);
//! - *custom*: anything else.
//!
//! A **roll** closes one strategy and opens another on the same underlying at the same
//! instant; the store links the new one to the one it rolled from.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::instrument::{AssetClass, OptionRight};
use crate::matching::{Direction, RoundTrip};

/// What a multi-leg position is (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StrategyKind {
    Vertical,
    Straddle,
    Strangle,
    IronCondor,
    IronButterfly,
    Butterfly,
    Calendar,
    Diagonal,
    CoveredCall,
    Custom,
}

impl StrategyKind {
    /// Every kind, in declaration order.
    pub const ALL: [StrategyKind; 10] = [
        StrategyKind::Vertical,
        StrategyKind::Straddle,
        StrategyKind::Strangle,
        StrategyKind::IronCondor,
        StrategyKind::IronButterfly,
        StrategyKind::Butterfly,
        StrategyKind::Calendar,
        StrategyKind::Diagonal,
        StrategyKind::CoveredCall,
        StrategyKind::Custom,
    ];

    /// Stored spelling (`iron_condor`).
    pub fn as_str(self) -> &'static str {
        match self {
            StrategyKind::Vertical => "vertical",
            StrategyKind::Straddle => "straddle",
            StrategyKind::Strangle => "strangle",
            StrategyKind::IronCondor => "iron_condor",
            StrategyKind::IronButterfly => "iron_butterfly",
            StrategyKind::Butterfly => "butterfly",
            StrategyKind::Calendar => "calendar",
            StrategyKind::Diagonal => "diagonal",
            StrategyKind::CoveredCall => "covered_call",
            StrategyKind::Custom => "custom",
        }
    }

    /// Inverse of [`StrategyKind::as_str`].
    pub fn parse(s: &str) -> Option<StrategyKind> {
        StrategyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The underlying a trade's leg is on: an option's underlying, else its symbol.
pub fn underlying_of(trade: &RoundTrip) -> &str {
    match trade.instrument.asset_class {
        AssetClass::Option | AssetClass::FutureOption => trade
            .instrument
            .underlying
            .as_deref()
            .unwrap_or(&trade.instrument.symbol),
        _ => &trade.instrument.symbol,
    }
}

/// The groups of `trades` opened together (module docs), as indices into `trades`, each
/// group in input order; groups in order of their first leg. Trades of one group may come
/// from anywhere in the input.
pub fn opened_together(trades: &[&RoundTrip]) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<(&str, chrono::DateTime<chrono::Utc>, &str), Vec<usize>> = BTreeMap::new();
    for (i, t) in trades.iter().enumerate() {
        let key = (t.account_id.as_str(), t.opened_at, underlying_of(t));
        groups.entry(key).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| {
            g.len() >= 2
                && g.iter().any(|&i| {
                    matches!(
                        trades[i].instrument.asset_class,
                        AssetClass::Option | AssetClass::FutureOption
                    )
                })
        })
        .collect();
    out.sort_by_key(|g| g[0]);
    out
}

/// The kind of the strategy whose legs are `legs` (module docs).
pub fn classify(legs: &[&RoundTrip]) -> StrategyKind {
    let options: Vec<&RoundTrip> = legs
        .iter()
        .copied()
        .filter(|t| matches!(t.instrument.asset_class, AssetClass::Option | AssetClass::FutureOption))
        .collect();
    let stocks: Vec<&RoundTrip> = legs
        .iter()
        .copied()
        .filter(|t| t.instrument.asset_class == AssetClass::Stock)
        .collect();
    if options.len() + stocks.len() != legs.len() {
        return StrategyKind::Custom;
    }
    if let [stock] = stocks.as_slice() {
        let covered = stock.direction == Direction::Long
            && !options.is_empty()
            && options
                .iter()
                .all(|o| o.instrument.right == Some(OptionRight::Call) && o.direction == Direction::Short)
            && options
                .iter()
                .map(|o| o.quantity * o.instrument.multiplier)
                .sum::<Decimal>()
                <= stock.quantity;
        return if covered {
            StrategyKind::CoveredCall
        } else {
            StrategyKind::Custom
        };
    }
    if !stocks.is_empty() {
        return StrategyKind::Custom;
    }
    let leg = |t: &RoundTrip| {
        (
            t.instrument.right,
            t.instrument.strike,
            t.instrument.expiry,
            t.direction,
            t.quantity,
        )
    };
    let same_expiry = options
        .windows(2)
        .all(|w| w[0].instrument.expiry == w[1].instrument.expiry);
    match options.as_slice() {
        [a, b] => {
            let (ra, ka, ea, da, qa) = leg(a);
            let (rb, kb, eb, db, qb) = leg(b);
            if ra == rb && ea == eb && da != db && ka != kb && qa == qb {
                StrategyKind::Vertical
            } else if ra != rb && ea == eb && da == db && qa == qb {
                if ka == kb {
                    StrategyKind::Straddle
                } else {
                    StrategyKind::Strangle
                }
            } else if ra == rb && ea != eb && da != db && qa == qb {
                if ka == kb {
                    StrategyKind::Calendar
                } else {
                    StrategyKind::Diagonal
                }
            } else {
                StrategyKind::Custom
            }
        }
        [_, _, _] if same_expiry => butterfly(&options),
        [_, _, _, _] if same_expiry => iron(&options),
        _ => StrategyKind::Custom,
    }
}

/// Three legs of one expiry: a butterfly when one right, wings 1 and body 2 on opposite sides.
fn butterfly(options: &[&RoundTrip]) -> StrategyKind {
    let right = options[0].instrument.right;
    if options.iter().any(|o| o.instrument.right != right) {
        return StrategyKind::Custom;
    }
    let mut by_strike: Vec<&RoundTrip> = options.to_vec();
    by_strike.sort_by_key(|o| o.instrument.strike);
    let [low, body, high] = by_strike.as_slice() else {
        return StrategyKind::Custom;
    };
    let distinct = low.instrument.strike < body.instrument.strike && body.instrument.strike < high.instrument.strike;
    let ratio = low.quantity == high.quantity && body.quantity == low.quantity * Decimal::TWO;
    let sides = low.direction == high.direction && body.direction != low.direction;
    if distinct && ratio && sides {
        StrategyKind::Butterfly
    } else {
        StrategyKind::Custom
    }
}

/// Four legs of one expiry: a put vertical below a call vertical, both credit or both debit.
fn iron(options: &[&RoundTrip]) -> StrategyKind {
    let puts: Vec<&&RoundTrip> = options
        .iter()
        .filter(|o| o.instrument.right == Some(OptionRight::Put))
        .collect();
    let calls: Vec<&&RoundTrip> = options
        .iter()
        .filter(|o| o.instrument.right == Some(OptionRight::Call))
        .collect();
    let (Ok([p1, p2]), Ok([c1, c2])) = (<[_; 2]>::try_from(puts), <[_; 2]>::try_from(calls)) else {
        return StrategyKind::Custom;
    };
    let q = p1.quantity;
    if [p2.quantity, c1.quantity, c2.quantity].iter().any(|x| *x != q) {
        return StrategyKind::Custom;
    }
    // Each side a vertical: opposite directions, different strikes.
    let vertical =
        |a: &RoundTrip, b: &RoundTrip| a.direction != b.direction && a.instrument.strike != b.instrument.strike;
    if !(vertical(p1, p2) && vertical(c1, c2)) {
        return StrategyKind::Custom;
    }
    // The inner strikes are the short ones of a short iron condor (long of a long one).
    let short_put = if p1.direction == Direction::Short { p1 } else { p2 };
    let long_put = if p1.direction == Direction::Short { p2 } else { p1 };
    let short_call = if c1.direction == Direction::Short { c1 } else { c2 };
    let long_call = if c1.direction == Direction::Short { c2 } else { c1 };
    let credit = long_put.instrument.strike < short_put.instrument.strike
        && short_call.instrument.strike < long_call.instrument.strike;
    let debit = short_put.instrument.strike < long_put.instrument.strike
        && long_call.instrument.strike < short_call.instrument.strike;
    if !(credit || debit) {
        return StrategyKind::Custom;
    }
    let (put_inner, call_inner) = if credit {
        (short_put.instrument.strike, short_call.instrument.strike)
    } else {
        (long_put.instrument.strike, long_call.instrument.strike)
    };
    if put_inner == call_inner {
        StrategyKind::IronButterfly
    } else if put_inner < call_inner {
        StrategyKind::IronCondor
    } else {
        StrategyKind::Custom
    }
}

/// The legs of a strategy as one trade for the statistics: sums of gross, fees and net; the
/// earliest open and, when every leg is closed, the latest close and its trading day;
/// closed only when all legs are, incomplete when a leg is incomplete and none is open, else
/// open. Takes the first leg's id, account, instrument (its underlying as the symbol),
/// direction, quantity and zone; `legs` must not be empty.
pub fn as_one_trade(strategy_id: &str, legs: &[&RoundTrip]) -> RoundTrip {
    use crate::matching::TradeStatus;
    let first = legs[0];
    let mut t = RoundTrip {
        id: strategy_id.to_string(),
        account_id: first.account_id.clone(),
        instrument: first.instrument.clone(),
        direction: first.direction,
        status: TradeStatus::Closed,
        opened_at: first.opened_at,
        closed_at: None,
        trading_day: None,
        source_tz: first.source_tz,
        quantity: first.quantity,
        closed_quantity: first.closed_quantity,
        entry_price: first.entry_price,
        exit_price: first.exit_price,
        gross_pnl: Decimal::ZERO,
        fees: Decimal::ZERO,
        net_pnl: Decimal::ZERO,
        allocations: Vec::new(),
    };
    t.instrument.symbol = underlying_of(first).to_string();
    let (mut any_open, mut any_incomplete) = (false, false);
    for leg in legs {
        t.gross_pnl += leg.gross_pnl;
        t.fees += leg.fees;
        t.net_pnl += leg.net_pnl;
        t.opened_at = t.opened_at.min(leg.opened_at);
        match leg.status {
            TradeStatus::Open => any_open = true,
            TradeStatus::Incomplete => any_incomplete = true,
            TradeStatus::Closed => {}
        }
        if leg.closed_at > t.closed_at {
            t.closed_at = leg.closed_at;
            t.trading_day = leg.trading_day;
        }
    }
    t.status = if any_open {
        TradeStatus::Open
    } else if any_incomplete {
        TradeStatus::Incomplete
    } else {
        TradeStatus::Closed
    };
    if t.status == TradeStatus::Open {
        t.closed_at = None;
        t.trading_day = None;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;
    use crate::matching::TradeStatus;
    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal_macros::dec;

    fn option(
        right: OptionRight,
        strike: Decimal,
        expiry_day: u32,
        direction: Direction,
        quantity: Decimal,
    ) -> RoundTrip {
        let expiry = NaiveDate::from_ymd_opt(2026, 1, expiry_day).unwrap();
        let symbol = format!(
            "SPY2601{expiry_day:02}{}{strike}",
            if right == OptionRight::Call { "C" } else { "P" }
        );
        RoundTrip {
            id: symbol.clone(),
            account_id: "a".into(),
            instrument: Instrument::option(symbol, "SPY", expiry, strike, right, dec!(100)),
            direction,
            status: TradeStatus::Closed,
            opened_at: Utc.with_ymd_and_hms(2026, 1, 5, 15, 0, 0).unwrap(),
            closed_at: Some(Utc.with_ymd_and_hms(2026, 1, 6, 15, 0, 0).unwrap()),
            trading_day: NaiveDate::from_ymd_opt(2026, 1, 6),
            source_tz: chrono_tz::America::New_York,
            quantity,
            closed_quantity: quantity,
            entry_price: dec!(1),
            exit_price: Some(dec!(1)),
            gross_pnl: dec!(10),
            fees: dec!(1),
            net_pnl: dec!(9),
            allocations: Vec::new(),
        }
    }

    use Direction::{Long, Short};
    use OptionRight::{Call, Put};

    fn kind(legs: &[RoundTrip]) -> StrategyKind {
        classify(&legs.iter().collect::<Vec<_>>())
    }

    #[test]
    fn classifies_the_standard_strategies() {
        let q = dec!(1);
        assert_eq!(
            kind(&[
                option(Call, dec!(600), 16, Long, q),
                option(Call, dec!(605), 16, Short, q)
            ]),
            StrategyKind::Vertical
        );
        assert_eq!(
            kind(&[
                option(Call, dec!(600), 16, Long, q),
                option(Put, dec!(600), 16, Long, q)
            ]),
            StrategyKind::Straddle
        );
        assert_eq!(
            kind(&[
                option(Call, dec!(610), 16, Short, q),
                option(Put, dec!(590), 16, Short, q)
            ]),
            StrategyKind::Strangle
        );
        assert_eq!(
            kind(&[
                option(Put, dec!(580), 16, Long, q),
                option(Put, dec!(590), 16, Short, q),
                option(Call, dec!(610), 16, Short, q),
                option(Call, dec!(620), 16, Long, q),
            ]),
            StrategyKind::IronCondor
        );
        assert_eq!(
            kind(&[
                option(Put, dec!(590), 16, Long, q),
                option(Put, dec!(600), 16, Short, q),
                option(Call, dec!(600), 16, Short, q),
                option(Call, dec!(610), 16, Long, q),
            ]),
            StrategyKind::IronButterfly
        );
        assert_eq!(
            kind(&[
                option(Call, dec!(595), 16, Long, q),
                option(Call, dec!(600), 16, Short, dec!(2)),
                option(Call, dec!(605), 16, Long, q),
            ]),
            StrategyKind::Butterfly
        );
        assert_eq!(
            kind(&[
                option(Call, dec!(600), 16, Short, q),
                option(Call, dec!(600), 23, Long, q)
            ]),
            StrategyKind::Calendar
        );
        assert_eq!(
            kind(&[
                option(Call, dec!(600), 16, Short, q),
                option(Call, dec!(605), 23, Long, q)
            ]),
            StrategyKind::Diagonal
        );
        // Unequal quantities are not a vertical.
        assert_eq!(
            kind(&[
                option(Call, dec!(600), 16, Long, q),
                option(Call, dec!(605), 16, Short, dec!(2))
            ]),
            StrategyKind::Custom
        );

        let mut stock = option(Call, dec!(1), 16, Long, dec!(200));
        stock.instrument = Instrument::stock("SPY");
        let legs = [stock.clone(), option(Call, dec!(610), 16, Short, dec!(2))];
        assert_eq!(kind(&legs), StrategyKind::CoveredCall);
        let naked = [stock, option(Call, dec!(610), 16, Short, dec!(3))];
        assert_eq!(kind(&naked), StrategyKind::Custom);
        for k in StrategyKind::ALL {
            assert_eq!(StrategyKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn groups_legs_opened_together_and_sums_them_as_one_trade() {
        let a = option(Call, dec!(600), 16, Long, dec!(1));
        let b = option(Call, dec!(605), 16, Short, dec!(1));
        let mut later = option(Put, dec!(590), 16, Long, dec!(1));
        later.opened_at += chrono::Duration::minutes(5);
        let mut other_account = option(Put, dec!(590), 16, Short, dec!(1));
        other_account.account_id = "b".into();
        let trades = [&a, &later, &b, &other_account];
        assert_eq!(opened_together(&trades), vec![vec![0, 2]]);

        let mut open_leg = b.clone();
        open_leg.status = TradeStatus::Open;
        open_leg.closed_at = None;
        let one = as_one_trade("s1", &[&a, &b]);
        assert_eq!(
            (one.status, one.gross_pnl, one.fees, one.net_pnl),
            (TradeStatus::Closed, dec!(20), dec!(2), dec!(18))
        );
        assert_eq!((one.id.as_str(), one.instrument.symbol.as_str()), ("s1", "SPY"));
        let still_open = as_one_trade("s1", &[&a, &open_leg]);
        assert_eq!((still_open.status, still_open.closed_at), (TradeStatus::Open, None));
    }
}
