//! Coinbase Pro (later Coinbase Exchange / Advanced) fills report: one row per fill.
//!
//! Source: `shared/fixtures/FORMATS.md` § Coinbase Pro fills report and the sample
//! `coinbase-pro/jkonecki42-fills.csv` (161 fills of SUKU-USD, LRC-USD and AMP-USD, LF):
//!
//! ```text
//! portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit
//! ```
//!
//! - Detected by a header with `trade id`, `product`, `side`, `created at`, `size`,
//!   `size unit`, `price`, `fee`, `total` and `price/fee/total unit`; columns are found by
//!   name.
//! - `created at` is ISO 8601 in UTC with milliseconds (`2021-11-23T19:56:36.505Z`); the
//!   offset in the cell is used, the account zone only as the fill's source zone.
//! - `side` `BUY` / `SELL`; `size` is the unsigned quantity in the base currency (8
//!   decimals); `price` and `fee` are in the quote currency; `fee` ≥ 0. Very small amounts
//!   are written in exponent notation, as JavaScript prints them: line 160 of the sample
//!   has fee `3.8275e-9` (and total `-7.693275e-7`) on a 0.000001 LRC fill; such cells are
//!   read exactly by [`amount_cell`]. `total` (signed: buys
//!   = −(size × price) − fee, sells = size × price − fee; true on every row of the sample) is
//!   not used.
//! - The instrument is the product as a crypto pair (`SUKU-USD`), multiplier 1. The units
//!   must fit it: `size unit` is the product's base (`SUKU`) and `price/fee/total unit` its
//!   quote (`USD`); a row in other units (a report in another currency) is rejected rather
//!   than read at the wrong scale.
//! - `execution_id` = `coinbase:<product>:<trade id>`: Coinbase numbers trades per product
//!   (each order book has its own sequence), so the id alone is not unique across products.
//! - `portfolio` (`default`) is not used: one import goes to one account.
//! - Rows are grouped by product, each group in time order; nothing depends on it.

use chrono::{DateTime, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Coinbase Pro fills report (Reports → Fills, CSV).
#[derive(Debug, Clone, Copy, Default)]
pub struct CoinbaseProFills;

const COLUMNS: &[&str] = &[
    "trade id",
    "product",
    "side",
    "created at",
    "size",
    "size unit",
    "price",
    "fee",
    "total",
    "price/fee/total unit",
];

impl Format for CoinbaseProFills {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "coinbase-pro",
            name: "Coinbase Pro Fills",
            platform: "Coinbase",
            description:
                "Coinbase Pro / Exchange fills report (Reports → Fills, CSV): one row per fill of a crypto pair.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        text::head_has_columns(head, COLUMNS)
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = COLUMNS
            .iter()
            .filter(|c| **c != "total")
            .map(std::slice::from_ref)
            .collect();
        text::parse_table(
            input,
            ctx,
            &required,
            sink,
            &mut |cols, line, record| match read_row(cols, record, ctx) {
                Ok(fill) => RowOutcome::Fills {
                    line,
                    fills: vec![fill],
                },
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<RawFill, String> {
    let get = |name: &str| cols.get(record, name);
    let trade_id = match get("trade id") {
        "" => return Err("trade id is empty".to_string()),
        id => id,
    };
    let product = get("product");
    let (base, quote) = product
        .split_once('-')
        .filter(|(b, q)| !b.is_empty() && !q.is_empty())
        .ok_or_else(|| format!("product `{product}` is not a BASE-QUOTE pair"))?;
    for (column, unit, want) in [
        ("size unit", get("size unit"), base),
        ("price/fee/total unit", get("price/fee/total unit"), quote),
    ] {
        if !unit.eq_ignore_ascii_case(want) {
            return Err(format!(
                "{column} `{unit}` is not `{want}`, the unit of product `{product}`"
            ));
        }
    }
    let side_cell = get("side");
    let side = match side_cell.to_ascii_uppercase().as_str() {
        "BUY" => Side::Buy,
        "SELL" => Side::Sell,
        _ => return Err(format!("side `{side_cell}` is not BUY or SELL")),
    };
    let quantity = amount_cell("size", get("size"))?;
    if quantity <= Decimal::ZERO {
        return Err(format!("size `{}` is not a positive quantity", get("size")));
    }
    let price = amount_cell("price", get("price"))?;
    let fees = amount_cell("fee", get("fee"))?;
    if fees < Decimal::ZERO {
        return Err(format!("fee `{}` is negative; fees must be a cost ≥ 0", get("fee")));
    }
    let created = get("created at");
    let executed_at = DateTime::parse_from_rfc3339(created)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("created at `{created}` is not an ISO 8601 time with a zone"))?;
    Ok(RawFill {
        instrument: Instrument::crypto(product),
        side,
        quantity,
        price,
        fees,
        executed_at,
        source_tz: ctx.tz,
        execution_id: Some(format!("coinbase:{product}:{trade_id}")),
        position_effect: None,
        row_key: text::row_key(record),
    })
}

/// A number cell as Coinbase writes it: plain (`0.8737`) or, for very small amounts, in
/// exponent notation (`3.8275e-9`), read exactly; normalized.
pub fn amount_cell(column: &str, value: &str) -> Result<Decimal, String> {
    let value = value.trim();
    let exponent = value.contains(['e', 'E']);
    let parsed = if exponent {
        Decimal::from_scientific(value).ok()
    } else {
        text::parse_decimal(value)
    };
    match parsed {
        Some(amount) => Ok(amount.normalize()),
        None if value.is_empty() => Err(format!("{column} is empty")),
        None => Err(format!("{column} `{value}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, TradeStatus};

    const SAMPLE: &str = "coinbase-pro/jkonecki42-fills.csv";

    #[test]
    fn detects_the_sample() {
        let lines = head(SAMPLE);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(CoinbaseProFills.detect(&refs));
        assert_eq!(detect(&refs).map(|f| f.id()), Some("coinbase-pro"));
    }

    /// 161 fills, all read. An independent python FIFO (per product, by `created at`, file
    /// order at ties) gives 14 round trips, 12 closed, gross 2538.9269069232, fees (Σ fee)
    /// 279.0367131450967, net 2259.8901937781033. Per product: SUKU-USD 3 trips all closed
    /// (ends flat), LRC-USD 8 with 2027.213383 LRC still held, AMP-USD 3 with 171540 AMP
    /// still held. Every row's total equals ∓size × price − fee (python).
    #[test]
    fn jkonecki42_sample() {
        let parsed = parse_fixture(&CoinbaseProFills, SAMPLE, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 161);
        assert_eq!(parsed.fills.len(), 161);
        assert!(parsed.skipped.is_empty());
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);

        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument.asset_class, AssetClass::Crypto);
        assert_eq!(first.instrument.symbol, "SUKU-USD");
        assert_eq!(
            (first.side, first.quantity, first.price, first.fees),
            (Side::Buy, dec!(493.2), dec!(0.8737), dec!(1.50818094))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2021-11-23T19:56:36.505+00:00");
        assert_eq!(first.execution_id.as_deref(), Some("coinbase:SUKU-USD:680408"));
        let (line, tiny) = &parsed.fills[158];
        assert_eq!(*line, 160);
        assert_eq!((tiny.quantity, tiny.fees), (dec!(0.000001), dec!(0.0000000038275)));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 14);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 12);
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let fees: Decimal = trips.iter().map(|t| t.fees).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross, dec!(2538.9269069232));
        assert_eq!(fees, dec!(279.0367131450967));
        assert_eq!(net, dec!(2259.8901937781033));
    }

    #[test]
    fn amounts_in_exponent_notation() {
        assert_eq!(amount_cell("fee", "3.8275e-9"), Ok(dec!(0.0000000038275)));
        assert_eq!(amount_cell("fee", "-7.693275E-7"), Ok(dec!(-0.0000007693275)));
        assert_eq!(amount_cell("fee", "1.50818094"), Ok(dec!(1.50818094)));
        assert_eq!(amount_cell("size", "2300.00000000"), Ok(dec!(2300)));
        assert_eq!(amount_cell("fee", ""), Err("fee is empty".to_string()));
        for bad in ["e", "1e", "1e400", "abc", "1e5e5", "1e-99999999999", "--1e5"] {
            assert!(amount_cell("fee", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn units_and_bad_rows() {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::Europe::London,
            contracts: &table,
        };
        let text = "portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit\n\
                    default,1,BTC-USD,SELL,2021-11-23T19:56:36.505+01:00,0.5,BTC,50000,12.5,24987.5,USD\n\
                    default,2,BTC-USD,BUY,2021-11-23T19:56:36Z,25000,USD,50000,12.5,,USD\n\
                    default,3,BTC-EUR,BUY,2021-11-23T19:56:36Z,0.5,BTC,50000,12.5,,USD\n\
                    default,4,BTCUSD,BUY,2021-11-23T19:56:36Z,0.5,BTC,50000,12.5,,USD\n\
                    default,5,BTC-USD,HOLD,2021-11-23T19:56:36Z,0.5,BTC,50000,12.5,,USD\n\
                    default,6,BTC-USD,BUY,2021-11-23 19:56:36,0.5,BTC,50000,12.5,,USD\n\
                    default,7,BTC-USD,BUY,2021-11-23T19:56:36Z,0.5,BTC,50000,-1,,USD\n\
                    default,,BTC-USD,BUY,2021-11-23T19:56:36Z,0.5,BTC,50000,1,,USD\n";
        let parsed = parse_all(&CoinbaseProFills, &mut text.as_bytes(), &ctx).unwrap();
        assert_eq!(parsed.fills.len(), 1);
        let fill = &parsed.fills[0].1;
        assert_eq!(fill.executed_at.to_rfc3339(), "2021-11-23T18:56:36.505+00:00");
        assert_eq!((fill.side, fill.fees), (Side::Sell, dec!(12.5)));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "size unit `USD` is not `BTC`, the unit of product `BTC-USD`",
                "price/fee/total unit `USD` is not `EUR`, the unit of product `BTC-EUR`",
                "product `BTCUSD` is not a BASE-QUOTE pair",
                "side `HOLD` is not BUY or SELL",
                "created at `2021-11-23 19:56:36` is not an ISO 8601 time with a zone",
                "fee `-1` is negative; fees must be a cost ≥ 0",
                "trade id is empty",
            ]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines = text.lines();
        let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
        text::assert_never_panics(&CoinbaseProFills, &bytes[..bytes.len().min(2048)], &[(header, row)]);
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&CoinbaseProFills, &[SAMPLE]);
    }
}
