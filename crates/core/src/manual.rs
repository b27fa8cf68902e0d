//! Manual trades (SPEC §3): a hand-entered trade becomes the one or two fills behind it, so
//! imports and hand entry share one model and one P&L computation.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::fill::Fill;
use crate::instrument::Instrument;
use crate::matching::Direction;

/// A trade as a person types it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualTradeSpec {
    pub account_id: String,
    pub instrument: Instrument,
    pub direction: Direction,
    /// Unsigned quantity (> 0).
    pub quantity: Decimal,
    pub entry_price: Decimal,
    pub entry_time: DateTime<Utc>,
    /// Exit price and time; `None` for a trade that is still open.
    pub exit: Option<(Decimal, DateTime<Utc>)>,
    /// Total fees and commissions of the round trip (≥ 0).
    pub fees: Decimal,
    /// The zone the times were typed in.
    pub source_tz: Tz,
}

/// The fills of a manual trade: an entry fill and, when an exit is given, an exit fill.
/// Fees go half to each fill (the exit fill takes the rounding remainder); all to the entry
/// fill when the trade is open. `ids` gives the fill ids (entry, exit).
///
/// Errors: [`CoreError::Invalid`] naming the field (`quantity`, `entry_price`,
/// `exit_price`, `exit_time`, `fees`).
pub fn manual_trade_fills(spec: &ManualTradeSpec, ids: (String, String)) -> Result<Vec<Fill>, CoreError> {
    let invalid = |field, message: &str| CoreError::Invalid {
        field,
        message: message.to_string(),
    };
    if spec.quantity <= Decimal::ZERO {
        return Err(invalid("quantity", "must be greater than 0"));
    }
    if spec.entry_price < Decimal::ZERO {
        return Err(invalid("entry_price", "must not be negative"));
    }
    // Negative fees are a net rebate (see `Fill`), entered as such.
    if let Some((price, time)) = spec.exit {
        if price < Decimal::ZERO {
            return Err(invalid("exit_price", "must not be negative"));
        }
        if time < spec.entry_time {
            return Err(invalid("exit_time", "must not be before the entry time"));
        }
    }
    let open_side = spec.direction.opening_side();
    let entry_fees = if spec.exit.is_some() {
        (spec.fees / Decimal::TWO).round_dp(10)
    } else {
        spec.fees
    };
    let mut fills = vec![Fill {
        id: ids.0,
        account_id: spec.account_id.clone(),
        instrument: spec.instrument.clone(),
        side: open_side,
        quantity: spec.quantity,
        price: spec.entry_price,
        fees: entry_fees,
        executed_at: spec.entry_time,
        source_tz: spec.source_tz,
        seq: 0,
        position_effect: Some(crate::PositionEffect::Open),
    }];
    if let Some((price, time)) = spec.exit {
        fills.push(Fill {
            id: ids.1,
            side: match open_side {
                crate::Side::Buy => crate::Side::Sell,
                crate::Side::Sell => crate::Side::Buy,
            },
            price,
            fees: spec.fees - entry_fees,
            executed_at: time,
            seq: 1,
            position_effect: Some(crate::PositionEffect::Close),
            ..fills[0].clone()
        });
    }
    Ok(fills)
}

/// The round trip a manual trade makes, for showing its P&L as it is typed.
pub fn preview_manual_trade(spec: &ManualTradeSpec) -> Result<crate::RoundTrip, CoreError> {
    let fills = manual_trade_fills(spec, ("entry".into(), "exit".into()))?;
    crate::match_round_trips(&fills)
        .into_iter()
        .next()
        .ok_or(CoreError::Invalid {
            field: "quantity",
            message: "must be greater than 0".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{match_round_trips, TradeStatus};
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn spec(exit: Option<(Decimal, DateTime<Utc>)>) -> ManualTradeSpec {
        ManualTradeSpec {
            account_id: "a".into(),
            instrument: Instrument::stock("TSLA"),
            direction: Direction::Short,
            quantity: dec!(10),
            entry_price: dec!(250),
            entry_time: Utc.with_ymd_and_hms(2025, 1, 2, 15, 0, 0).unwrap(),
            exit,
            fees: dec!(1.01),
            source_tz: chrono_tz::America::New_York,
        }
    }

    #[test]
    fn closed_short_gives_two_fills_and_exact_pnl() {
        let exit = Some((dec!(240.5), Utc.with_ymd_and_hms(2025, 1, 2, 16, 0, 0).unwrap()));
        let fills = manual_trade_fills(&spec(exit), ("e".into(), "x".into())).unwrap();
        assert_eq!(fills.len(), 2);
        assert_eq!(fills[0].fees + fills[1].fees, dec!(1.01));
        let t = match_round_trips(&fills);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].gross_pnl, dec!(95));
        assert_eq!(t[0].net_pnl, dec!(93.99));
    }

    #[test]
    fn open_trade_and_validation() {
        let fills = manual_trade_fills(&spec(None), ("e".into(), "x".into())).unwrap();
        assert_eq!(match_round_trips(&fills)[0].status, TradeStatus::Open);
        let mut bad = spec(None);
        bad.quantity = dec!(0);
        assert!(matches!(
            manual_trade_fills(&bad, ("e".into(), "x".into())),
            Err(CoreError::Invalid { field: "quantity", .. })
        ));
        let early = Some((dec!(1), Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()));
        assert!(matches!(
            manual_trade_fills(&spec(early), ("e".into(), "x".into())),
            Err(CoreError::Invalid { field: "exit_time", .. })
        ));
    }
}
