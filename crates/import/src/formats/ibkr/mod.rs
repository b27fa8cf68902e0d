//! Interactive Brokers exports: the **Activity Statement** CSV ([`activity`], a multi-section
//! file in the language of the account's statements) and a **Flex Query** trades CSV
//! ([`flex`], one table of Flex field names).
//!
//! What the two share lives here: IBKR writes commissions and taxes as signed cash amounts
//! (negative = a cost), quantities signed (negative = a sale), open/close as `O`/`C` codes,
//! and, in both, a commission whose currency can differ from the trade's (forex
//! conversions: the statement's `Comm in RUB` column, the Flex `IBCommissionCurrency`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tradebook_core::{AssetClass, Instrument, OptionRight, PositionEffect, Side};

use crate::text;
use crate::{RawFill, RowOutcome};

pub mod activity;
pub mod flex;

pub use activity::ActivityStatement;
pub use flex::FlexTrades;

/// Standard multiplier of an equity or index option when the file does not state one.
const OPTION_MULTIPLIER: i64 = 100;

/// Side and unsigned quantity from IBKR's signed quantity (`-4`, `"1,150"`, `-0.00015172`).
fn side_quantity(column: &str, value: &str) -> Result<(Side, Decimal), String> {
    let quantity = text::number_cell(column, value)?;
    if quantity.is_zero() {
        return Err(format!("{column} `{}` is zero", value.trim()));
    }
    let side = if quantity > Decimal::ZERO {
        Side::Buy
    } else {
        Side::Sell
    };
    Ok((side, quantity.abs().normalize()))
}

/// Fees of a row from IBKR's signed commission and tax cells (negative = a cost, empty = 0):
/// the cost, with the sign flipped. A net credit (IBKR's tiered pricing passes exchange
/// liquidity rebates on, which can exceed the commission) is a negative fee: a rebate.
fn fees_from_signed(cells: &[(&str, &str)]) -> Result<Decimal, String> {
    Ok((-text::sum_cells(cells)?).normalize())
}

/// A row's outcome from what its reader returned: `Ok(Ok(fill))`, `Ok(Err(skip reason))`
/// or `Err(reject reason)`.
fn outcome(line: u64, read: Result<Result<RawFill, String>, String>) -> RowOutcome {
    match read {
        Ok(Ok(fill)) => RowOutcome::Fills {
            line,
            fills: vec![fill],
        },
        Ok(Err(reason)) => RowOutcome::Skipped { line, reason },
        Err(reason) => RowOutcome::Rejected { line, reason },
    }
}

/// Open/close from an IBKR code list (`O`, `C`, `C;P`, `O;P`, `FPA;O;P`): `Open` when it
/// contains `O` and not `C`, `Close` when it contains `C` and not `O`, otherwise (`C;O`, a
/// fill that closes a position and opens the opposite one, or neither) `None`.
fn position_effect(codes: &str) -> Option<PositionEffect> {
    let mut opens = false;
    let mut closes = false;
    for code in codes.split(';').map(str::trim) {
        match code {
            "O" => opens = true,
            "C" => closes = true,
            _ => {}
        }
    }
    match (opens, closes) {
        (true, false) => Some(PositionEffect::Open),
        (false, true) => Some(PositionEffect::Close),
        _ => None,
    }
}

/// The reason a forex row is skipped when its commission is in another currency than the
/// trade: a fill's fees are added to P&L in the trade's currency, and the file gives no rate
/// to convert them with (`None` when the currencies agree or either is unknown).
fn foreign_commission(commission_column: &str, commission_currency: &str, trade_currency: &str) -> Option<String> {
    let (commission_currency, trade_currency) = (commission_currency.trim(), trade_currency.trim());
    if commission_currency.is_empty()
        || trade_currency.is_empty()
        || commission_currency.eq_ignore_ascii_case(trade_currency)
    {
        return None;
    }
    Some(format!(
        "commission (`{commission_column}`) is in {commission_currency} but the trade is in \
         {trade_currency}; fees must be in the trade's currency and the file gives no rate to \
         convert them, so the row is not imported"
    ))
}

/// A forex pair (`EUR.USD`): the quantity is in the base currency, the price in the quote
/// currency per unit of base, multiplier 1.
fn forex(symbol: &str) -> Instrument {
    Instrument {
        asset_class: AssetClass::Forex,
        ..Instrument::stock(symbol)
    }
}

/// An equity option keyed by its OCC symbol.
fn option(
    root: &str,
    expiry: NaiveDate,
    right: OptionRight,
    strike: Decimal,
    multiplier: Option<Decimal>,
) -> Result<Instrument, String> {
    let occ = text::occ_symbol(root, expiry, right, strike)
        .ok_or_else(|| format!("option strike `{strike}` cannot be written as an OCC symbol"))?;
    let multiplier = multiplier.unwrap_or_else(|| Decimal::from(OPTION_MULTIPLIER));
    Ok(Instrument::option(occ, root.trim(), expiry, strike, right, multiplier))
}

/// Reads the Activity Statement's option symbol `SPY 20MAR26 580 C` (root, which may hold a
/// space as in `BRK B`; expiry `DDMONYY`; strike; `C`/`P`).
fn parse_statement_option(symbol: &str) -> Option<(String, NaiveDate, OptionRight, Decimal)> {
    let words: Vec<&str> = symbol.split_whitespace().collect();
    let [root @ .., expiry, strike, right] = words.as_slice() else {
        return None;
    };
    if root.is_empty() {
        return None;
    }
    let right = match *right {
        "C" => OptionRight::Call,
        "P" => OptionRight::Put,
        _ => return None,
    };
    let expiry = NaiveDate::parse_from_str(&expiry.to_ascii_lowercase(), "%d%b%y").ok()?;
    let strike = text::parse_decimal(strike).filter(|s| *s > Decimal::ZERO)?;
    Some((root.join(" "), expiry, right, strike.normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn quantities_fees_and_codes() {
        assert_eq!(side_quantity("Q", "1,150"), Ok((Side::Buy, dec!(1150))));
        assert_eq!(side_quantity("Q", "-0.00015172"), Ok((Side::Sell, dec!(0.00015172))));
        assert_eq!(side_quantity("Q", "0"), Err("Q `0` is zero".to_string()));

        assert_eq!(
            fees_from_signed(&[("Comm", "-1.034425"), ("Tax", "")]),
            Ok(dec!(1.034425))
        );
        assert_eq!(fees_from_signed(&[("Comm", "-2"), ("Tax", "-0.5")]), Ok(dec!(2.5)));
        assert_eq!(fees_from_signed(&[("Comm", "0")]), Ok(dec!(0)));
        // A net credit is a rebate: a negative fee.
        assert_eq!(fees_from_signed(&[("Comm", "0.35")]), Ok(dec!(-0.35)));
        assert!(fees_from_signed(&[("Comm", "x")]).is_err());

        assert_eq!(position_effect("O"), Some(PositionEffect::Open));
        assert_eq!(position_effect("O;P"), Some(PositionEffect::Open));
        assert_eq!(position_effect("FPA;O;P"), Some(PositionEffect::Open));
        assert_eq!(position_effect("C;P"), Some(PositionEffect::Close));
        assert_eq!(position_effect("C;Ep"), Some(PositionEffect::Close));
        assert_eq!(position_effect("C;O"), None);
        assert_eq!(position_effect("L"), None);
        assert_eq!(position_effect(""), None);
    }

    #[test]
    fn statement_option_symbols() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            parse_statement_option("SPY 20MAR26 580 C"),
            Some(("SPY".into(), d(2026, 3, 20), OptionRight::Call, dec!(580)))
        );
        assert_eq!(
            parse_statement_option("BRK B 17JAN25 402.5 P"),
            Some(("BRK B".into(), d(2025, 1, 17), OptionRight::Put, dec!(402.5)))
        );
        for bad in [
            "",
            "SPY",
            "20MAR26 580 C",
            "SPY 20XXX26 580 C",
            "SPY 20MAR26 x C",
            "SPY 20MAR26 580 Q",
        ] {
            assert_eq!(parse_statement_option(bad), None, "{bad}");
        }
        let o = option("SPY", d(2026, 3, 20), OptionRight::Call, dec!(580), None).unwrap();
        assert_eq!((o.symbol.as_str(), o.multiplier), ("SPY260320C00580000", dec!(100)));
    }

    #[test]
    fn commission_currency() {
        assert_eq!(foreign_commission("Comm in USD", "USD", "USD"), None);
        assert_eq!(foreign_commission("Comm/Fee", "", "EUR"), None);
        assert!(foreign_commission("Комиссия в RUB", "RUB", "USD")
            .unwrap()
            .starts_with("commission (`Комиссия в RUB`) is in RUB but the trade is in USD"));
    }
}
