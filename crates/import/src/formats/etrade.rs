//! E*TRADE transaction download (`DownloadTxnHistory.csv`, At a Glance → Transactions →
//! Download).
//!
//! Source: `shared/fixtures/FORMATS.md` § E*TRADE transaction download and the sample
//! `etrade/adyamlife-DownloadTxnHistory.csv` (1,176 transactions, 2024–2026, mostly option
//! spreads).
//!
//! ```text
//! All Transactions Activity Types
//!
//! Account Activity for Individual Brokerage -4702 from 2024-07-17 to 2026-07-17
//!
//! Total:,-1815.91
//!
//! Activity/Trade Date,Transaction Date,Settlement Date,Activity Type,Description,Symbol,Cusip,Quantity #,Price $,Amount $,Commission,Category,Note
//! ```
//!
//! - The preamble (title, account line, `Total:`) is not data: rows start after the header
//!   line. Disclaimer paragraphs follow the data and are skipped as footer text.
//! - Rows are newest first. `Activity/Trade Date` is `MM/DD/YY` with no time: fills are put
//!   at 16:00 in the account zone ([`text::DATE_ONLY_HOUR`]).
//! - `Activity Type` states open/close: `Bought To Open` and `Sold Short` (an opening sale of
//!   an option, or a stock short sale) open, `Sold To Close` and `Bought To Cover` close;
//!   stocks use `Bought` / `Sold`, which do not say.
//! - The side is the sign of `Quantity #` (negative on sells). It agrees with the activity
//!   type except on the cash settlement of an index option at expiry, which E*TRADE writes as
//!   `Sold` whatever the direction: `Sold PUT SPXW 01/31/25 6090.000` with Quantity `1.0` and
//!   Amount `-4947.0` buys back a short put. A `... To Open` / `... To Close` / `Sold Short` /
//!   `Bought To Cover` row whose sign contradicts its type is rejected.
//! - `Option Expired`, `Option Assigned` and `Option Exercised` rows close the option at
//!   price 0 with no fees (Price is empty, Amount 0). The side is the quantity's sign, as on
//!   trades: `-1.0` removes a long (a sell), `1.0` a short (a buy). The stock bought or sold
//!   at the strike by an assignment or exercise is its own `Bought` / `Sold` row, so the
//!   option's premium and the stock lot together give what the account made (see
//!   [`crate::Removal`]). The event is dated the earlier of the row's date (E*TRADE books
//!   expirations on the next business day: `07/13/26` for a `07/10/26` expiry) and the
//!   option's expiry, at 16:00 New York, the close of US equity options. Other non-trades (`Transfer`,
//!   `Exchange Received In` / `Delivered Out`, ...) are skipped.
//! - Cash activity goes to the cash ledger with its signed `Amount $`: `Dividend` and
//!   `Qualified Dividend` (dividends), `Interest`, `Interest Income` and `Margin Interest`
//!   (interest), `Service Fee` (fees), `Transfer` and `Adjustment` (transfers: in the sample
//!   they move cash between the account's cash and margin sides in pairs that net to 0;
//!   an adjustment naming a fee is a fee), `MISC` and `Reorganization` (other). A row of 0
//!   is skipped. A dividend reinvestment is a `Dividend` row with a quantity (the shares it
//!   bought, Amount negative) and is skipped, as the shares are not a trade of the sample's
//!   kind; its dividend is the row beside it.
//! - `Price $` is per share (per contract share for options); `Amount $` is signed and net of
//!   all charges (`-1 @ 0.87` → `86.48` with Commission `0.52`).
//! - **Fees**: the larger of `Commission` and what `Amount` holds beyond quantity × price ×
//!   multiplier, −(Amount + signed quantity × price × multiplier). On most rows the two are
//!   equal; on sales the Amount also holds regulatory fees E*TRADE does not list (SEC/TAF:
//!   `-100 @ 890.0` → `88999.98` with Commission `0.0`), and on SPX options a $0.55 index fee
//!   per contract beyond the commission. A gap below the commission is the rounding of a
//!   printed average price (`95 @ 1.147` → `-108.96`), not a rebate, and is ignored.
//! - Options: the contract is in `Description`, padded: `CALL INTC   07/17/26   115.000`
//!   (right, root, expiry `MM/DD/YY`, strike); `Symbol` is the underlying (`SPX` for `SPXW`
//!   contracts). The OCC key uses the description's root (`SPXW`, `LCID1`), multiplier 100.
//!   Stocks by `Symbol`.
//! - Placeholders `--` in `Cusip`, `Category` and `Note`. No execution id: the row key is the
//!   row's cells.

use chrono::NaiveDate;
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, OptionRight, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RemovalEvent, RowOutcome};

/// E*TRADE transaction history download.
#[derive(Debug, Clone, Copy, Default)]
pub struct EtradeTransactions;

const HEADER_START: &str = "Activity/Trade Date";
const QUANTITY: &str = "Quantity #";
const PRICE: &str = "Price $";
const AMOUNT: &str = "Amount $";

impl Format for EtradeTransactions {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "etrade-transactions",
            name: "E*TRADE Transactions",
            platform: "E*TRADE",
            description: "E*TRADE transaction history (At a Glance → Transactions → Download): stock and option trades, option expirations, assignments and exercises; cash activity skipped.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        &[
            "Activity/Trade Date",
            "Transaction Date",
            "Settlement Date",
            "Activity Type",
            "Description",
            "Symbol",
            "Cusip",
            "Quantity #",
            "Price $",
            "Amount $",
            "Commission",
        ]
    }

    fn detect(&self, head: &[&str]) -> bool {
        head.iter().any(|line| {
            let line = crate::formats::strip_bom(line).trim_start();
            line.starts_with(HEADER_START) && {
                let cells = text::split_csv_line(line);
                ["Activity Type", "Description", QUANTITY, PRICE]
                    .iter()
                    .all(|name| cells.iter().any(|c| c == name))
            }
        })
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = [HEADER_START, "Activity Type", "Description", "Symbol", QUANTITY, PRICE]
            .iter()
            .map(std::slice::from_ref)
            .collect();
        text::parse_table_after_preamble(
            input,
            ctx,
            &|cols| cols.has(HEADER_START) && cols.has("Activity Type"),
            &required,
            sink,
            &mut |cols, line, record| {
                cash_row(cols, line, record, ctx).unwrap_or_else(|| match read_row(cols, record, ctx) {
                    Ok(Ok(fill)) => RowOutcome::Fills {
                        line,
                        fills: vec![fill],
                    },
                    Ok(Err(reason)) => RowOutcome::Skipped { line, reason },
                    Err(reason) => RowOutcome::Rejected { line, reason },
                })
            },
        )
    }
}

/// What an `Activity Type` says about a trade: the side it implies (`None` for plain
/// `Bought`/`Sold`, whose side is the quantity's sign) and the position effect.
fn activity(cell: &str) -> Option<(Option<Side>, Option<PositionEffect>)> {
    use PositionEffect::{Close, Open};
    Some(match cell.trim().to_ascii_lowercase().as_str() {
        "bought to open" => (Some(Side::Buy), Some(Open)),
        "sold short" => (Some(Side::Sell), Some(Open)),
        "sold to close" => (Some(Side::Sell), Some(Close)),
        "bought to cover" => (Some(Side::Buy), Some(Close)),
        "bought" | "sold" => (None, None),
        _ => return None,
    })
}

/// `Ok(Ok(fill))`, `Ok(Err(skip reason))` or `Err(reject reason)`.
fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Result<RawFill, String>, String> {
    let kind = cols.get(record, "Activity Type");
    if let Some(event) = option_event(kind) {
        return option_removal(cols, record, ctx, event).map(Ok);
    }
    let Some((stated_side, position_effect)) = activity(kind) else {
        let reason = match kind.to_ascii_lowercase().as_str() {
            "" => "footer text (disclaimer)".to_string(),
            _ => format!("non-trade activity `{kind}`"),
        };
        return Ok(Err(reason));
    };
    let (_, executed_at) = text::us_date_cell(HEADER_START, cols.get(record, HEADER_START), ctx.tz)?;
    let signed = text::number_cell(QUANTITY, cols.get(record, QUANTITY))?;
    let side = side_of(signed).ok_or_else(|| format!("{QUANTITY} is 0"))?;
    if stated_side.is_some_and(|s| s != side) {
        return Err(format!(
            "{QUANTITY} `{}` contradicts Activity Type `{kind}`",
            cols.get(record, QUANTITY)
        ));
    }
    let quantity = signed.abs().normalize();
    let price = text::number_cell(PRICE, cols.get(record, PRICE))?.normalize();
    if price < Decimal::ZERO {
        return Err(format!("{PRICE} `{}` is negative", cols.get(record, PRICE)));
    }
    let instrument = instrument(cols.get(record, "Description"), cols.get(record, "Symbol"))?;
    let commission = text::fee_cell("Commission", cols.get(record, "Commission"))?;
    let implied = text::parse_decimal(cols.get(record, AMOUNT)).and_then(|amount| {
        let gross = signed.checked_mul(price)?.checked_mul(instrument.multiplier)?;
        amount.checked_add(gross).map(|d| -d)
    });
    let fees = implied.map_or(commission, |i| i.max(commission)).normalize();
    Ok(Ok(RawFill {
        instrument,
        side,
        quantity,
        price,
        fees,
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        position_effect,
        row_key: text::row_key(record),
    }))
}

/// A cash activity row as a cash movement (module docs); `None` for trades and rows that
/// move no cash. Errors: an unreadable date or amount.
fn cash_row(cols: &Columns, line: u64, record: &StringRecord, ctx: &ParseContext<'_>) -> Option<RowOutcome> {
    use tradebook_store::CashKind;
    let activity = cols.get(record, "Activity Type").trim().to_ascii_lowercase();
    let description = cols.get(record, "Description");
    let kind = match activity.as_str() {
        // A reinvestment buys shares with the dividend: not cash (see the module docs).
        "dividend" | "qualified dividend" if !cols.get(record, QUANTITY).trim().is_empty() => return None,
        "dividend" | "qualified dividend" => CashKind::Dividend,
        "interest" | "interest income" | "margin interest" => CashKind::Interest,
        "service fee" => CashKind::Fee,
        "adjustment" if description.to_ascii_uppercase().contains("FEE") => CashKind::Fee,
        "transfer" | "adjustment" => CashKind::Transfer,
        "misc" | "reorganization" => CashKind::Other,
        _ => return None,
    };
    Some(text::or_rejected(
        line,
        (|| {
            let amount = text::number_cell(AMOUNT, cols.get(record, AMOUNT))?;
            let (_, at) = text::us_date_cell(HEADER_START, cols.get(record, HEADER_START), ctx.tz)?;
            Ok(text::cash_outcome(line, kind, amount, at, ctx.tz, description, record))
        })(),
    ))
}

/// The side a signed `Quantity #` states: a buy when positive, a sell when negative, none at 0.
fn side_of(signed: Decimal) -> Option<Side> {
    if signed > Decimal::ZERO {
        Some(Side::Buy)
    } else if signed < Decimal::ZERO {
        Some(Side::Sell)
    } else {
        None
    }
}

/// `Option Expired`, `Option Assigned`, `Option Exercised`.
fn option_event(cell: &str) -> Option<RemovalEvent> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "option expired" => Some(RemovalEvent::Expiration),
        "option assigned" => Some(RemovalEvent::Assignment),
        "option exercised" => Some(RemovalEvent::Exercise),
        _ => None,
    }
}

/// The closing fill of an option event row (module docs): price 0, no fees, side from the
/// quantity's sign, at 16:00 New York on the earlier of the row's date and the expiry.
fn option_removal(
    cols: &Columns,
    record: &StringRecord,
    ctx: &ParseContext<'_>,
    event: RemovalEvent,
) -> Result<RawFill, String> {
    let description = cols.get(record, "Description");
    let (root, expiry, right, strike) = option_description(description)
        .ok_or_else(|| format!("Description `{description}` is not an option contract"))?;
    let instrument = text::equity_option(&root, expiry, right, strike)
        .ok_or_else(|| format!("Description `{description}`: strike cannot be written as an OCC symbol"))?;
    let (booked, _) = text::us_date_cell(HEADER_START, cols.get(record, HEADER_START), ctx.tz)?;
    let signed = text::number_cell(QUANTITY, cols.get(record, QUANTITY))?;
    let side = side_of(signed).ok_or_else(|| format!("{QUANTITY} is 0 on an option {}", event.as_str()))?;
    let day = booked.min(expiry);
    let executed_at = day
        .and_hms_opt(text::DATE_ONLY_HOUR, 0, 0)
        .and_then(|t| text::local_to_utc(t, US_OPTIONS_ZONE))
        .ok_or_else(|| format!("{day} has no 16:00 in New York"))?;
    Ok(RawFill {
        instrument,
        side,
        quantity: signed.abs().normalize(),
        price: Decimal::ZERO,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: US_OPTIONS_ZONE,
        execution_id: None,
        position_effect: Some(PositionEffect::Close),
        row_key: text::row_key(record),
    })
}

/// US equity and index options expire at the close in New York.
const US_OPTIONS_ZONE: chrono_tz::Tz = chrono_tz::America::New_York;

/// An option from `Description` (`CALL INTC   07/17/26   115.000`), else the stock `Symbol`.
fn instrument(description: &str, symbol: &str) -> Result<Instrument, String> {
    let first = description.split_whitespace().next().unwrap_or("");
    if first.eq_ignore_ascii_case("call") || first.eq_ignore_ascii_case("put") {
        let (root, expiry, right, strike) = option_description(description)
            .ok_or_else(|| format!("Description `{description}` is not an option contract"))?;
        return text::equity_option(&root, expiry, right, strike)
            .ok_or_else(|| format!("Description `{description}`: strike cannot be written as an OCC symbol"));
    }
    if !text::is_ticker(symbol) || symbol == "--" {
        return Err(format!("Symbol `{symbol}` is not a ticker"));
    }
    Ok(Instrument::stock(symbol))
}

/// Reads E*TRADE's padded option description `CALL INTC   07/17/26   115.000`: root, expiry
/// (`MM/DD/YY`), right and strike.
pub fn option_description(description: &str) -> Option<(String, NaiveDate, OptionRight, Decimal)> {
    let words: Vec<&str> = description.split_whitespace().collect();
    let [right, root, date, strike] = words.as_slice() else {
        return None;
    };
    let right = OptionRight::parse(right)?;
    if !root.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let expiry = text::us_date(date)?;
    let strike = text::parse_decimal(strike).filter(|k| *k > Decimal::ZERO)?;
    Some((root.to_string(), expiry, right, strike.normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_all;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, TradeStatus};

    const SAMPLE: &str = "etrade/adyamlife-DownloadTxnHistory.csv";
    const NY: chrono_tz::Tz = chrono_tz::America::New_York;

    #[test]
    fn detects_the_sample() {
        assert_eq!(detected_id(SAMPLE), Some("etrade-transactions"));
    }

    /// adyamlife: 1,176 transactions and 4 disclaimer paragraphs = 1,180 rows. Python over
    /// the file: 806 trades (Bought To Open 272, Sold Short 211, Sold To Close 123, Bought
    /// To Cover 89, Bought 57, Sold 54) and 227 option events (Expired 184, Assigned 24,
    /// Exercised 19) are fills. Of the 143 other activities, 127 are cash movements (python:
    /// the activity types of the module docs with a nonzero Amount and no quantity, summing
    /// to +4,510.19: transfers +5,900.00, dividends −141.62 — IBM's −168.00 charged to a
    /// short —, interest −1,039.14, fees −155.96, other −53.09); 12 dividend reinvestments, 2
    /// rows of 0, 2 security exchanges and the 4 disclaimers are skipped. An
    /// independent python FIFO (`scripts/independent/etrade-fifo.py`: per contract, oldest
    /// row first, side from the quantity's sign, fees = max(Commission, −(Amount + qty ×
    /// price × multiplier)), option events at price 0 on the earlier of the row's date and
    /// the expiry, a closing row without an open lot incomplete) gives the round trips and
    /// P&L below. Without the option events it gives the figures this parser had before it
    /// read them (500 trips, 247 closed, 252 open, gross −29,172.505), which checks it.
    #[test]
    fn adyamlife_sample() {
        let parsed = parse_fixture(&EtradeTransactions, SAMPLE, NY);
        assert_eq!(parsed.rows, 1180);
        assert_eq!(parsed.fills.len(), 806 + 227);
        assert_eq!(parsed.skipped.len(), 20);
        assert_eq!(parsed.cash.len(), 127);
        assert_eq!(
            parsed.cash.iter().map(|(_, m)| m.amount).sum::<Decimal>(),
            dec!(4510.19)
        );
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let events: Vec<&RawFill> = parsed
            .fills
            .iter()
            .map(|(_, f)| f)
            .filter(|f| f.price.is_zero() && f.position_effect == Some(PositionEffect::Close))
            .collect();
        assert_eq!(events.len(), 227);
        assert!(events.iter().all(|f| f.fees.is_zero()));
        // `Option Expired,CALL INTC 07/10/26 133.000,...,-1.0` booked 07/13: a long call
        // sold at 0 at the close of its expiry day (16:00 New York = 20:00 UTC).
        let intc = events
            .iter()
            .find(|f| f.instrument.symbol == "INTC260710C00133000")
            .unwrap();
        assert_eq!(intc.side, Side::Sell);
        assert_eq!(intc.executed_at.to_rfc3339(), "2026-07-10T20:00:00+00:00");
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 8);
        assert_eq!(first.instrument.symbol, "INTC260717C00115000");
        assert_eq!(first.instrument.asset_class, AssetClass::Option);
        assert_eq!(first.instrument.underlying.as_deref(), Some("INTC"));
        assert_eq!(
            (
                first.side,
                first.quantity,
                first.price,
                first.fees,
                first.position_effect
            ),
            (Side::Sell, dec!(1), dec!(0.87), dec!(0.52), Some(PositionEffect::Open))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2026-07-13T20:00:00+00:00");
        // Cash settlement written `Sold` with a positive quantity: a buy.
        let settled = parsed
            .fills
            .iter()
            .find(|(_, f)| f.instrument.symbol == "SPXW250131P06090000" && f.price == dec!(49.47))
            .unwrap();
        assert_eq!((settled.1.side, settled.1.position_effect), (Side::Buy, None));
        // Hidden regulatory fee on a sale: 100 × 890 − 88999.98.
        let cost = parsed
            .fills
            .iter()
            .find(|(_, f)| f.instrument.symbol == "COST" && f.price == dec!(890))
            .unwrap();
        assert_eq!(cost.1.fees, dec!(0.02));

        let trips = round_trips_ordered(&parsed, true);
        assert_eq!(trips.len(), EXPECTED_TRIPS);
        assert_eq!(
            trips.iter().filter(|t| t.status == TradeStatus::Closed).count(),
            EXPECTED_CLOSED
        );
        assert_eq!(trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(), EXPECTED_GROSS);
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), EXPECTED_NET);
    }

    // From the python FIFO described above: 502 round trips, 472 closed, 27 open, 3
    // incomplete (events of options opened before the export); gross −6,895.505 (closed
    // trades −8,868.41, the rest realized by partial exits of open ones), fees 625.43, net
    // −7,520.935.
    const EXPECTED_TRIPS: usize = 502;
    const EXPECTED_CLOSED: usize = 472;
    const EXPECTED_GROSS: Decimal = dec!(-6895.505);
    const EXPECTED_NET: Decimal = dec!(-7520.935);

    #[test]
    fn fees_signs_and_bad_rows() {
        let text = "All Transactions Activity Types\n\n\
            Activity/Trade Date,Transaction Date,Settlement Date,Activity Type,Description,Symbol,Cusip,Quantity #,Price $,Amount $,Commission,Category,Note\n\
            01/02/25,01/02/25,01/03/25,Bought,GLIMPSE GROUP INC,VRAR,--,95.0,1.147,-108.96,0.0,--,--\n\
            01/02/25,01/02/25,01/03/25,Sold,SPDR S&P 500 ETF TRUST,SPY,--,-100.0,605.0,60498.29,1.69,--,--\n\
            01/02/25,01/02/25,01/03/25,Sold Short,CALL INTC   07/17/26   115.000,INTC,--,1.0,0.87,-86.48,0.52,--,--\n\
            01/02/25,01/02/25,01/03/25,Bought To Open,CALL INTC   13/17/26   115.000,INTC,--,1.0,0.87,-87.52,0.52,--,--\n\
            01/02/25,01/02/25,01/03/25,Bought,NO SYMBOL,--,--,1.0,1,-1,0.0,--,--\n\
            01/02/25,01/02/25,01/03/25,Option Expired,PUT  AI     07/02/26     9.500,AI,--,-1.0,,0.0,0.0,--,--\n\
            \n\
            \"A disclaimer, with commas.\"\n";
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: NY,
            contracts: &table,
        };
        let parsed = parse_all(&EtradeTransactions, &mut text.as_bytes(), &ctx).unwrap();
        assert_eq!(parsed.fills.len(), 3);
        // A gap below the commission (price rounding) is not a rebate.
        assert_eq!(parsed.fills[0].1.fees, dec!(0));
        // Commission 1.69 plus 0.02 the Amount holds.
        assert_eq!(parsed.fills[1].1.fees, dec!(1.71));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Quantity # `1.0` contradicts Activity Type `Sold Short`",
                "Description `CALL INTC   13/17/26   115.000` is not an option contract",
                "Symbol `--` is not a ticker",
            ]
        );
        // The long put closes at 0; the row is dated before the expiry (an early event), so
        // it is the row's day, 16:00 New York (EST: 21:00 UTC).
        let expired = &parsed.fills[2].1;
        assert_eq!(
            (expired.side, expired.price, expired.position_effect),
            (Side::Sell, dec!(0), Some(PositionEffect::Close))
        );
        assert_eq!(expired.executed_at.to_rfc3339(), "2025-01-02T21:00:00+00:00");
        assert_eq!(parsed.skipped, vec![(11, "footer text (disclaimer)".to_string())]);
    }

    #[test]
    fn option_descriptions() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 16).unwrap();
        assert_eq!(
            option_description("CALL LCID1  01/16/26     4.000"),
            Some(("LCID1".to_string(), d, OptionRight::Call, dec!(4)))
        );
        assert_eq!(
            option_description("PUT  SPXW   01/31/25  6090.000").map(|o| (o.0, o.2, o.3)),
            Some(("SPXW".to_string(), OptionRight::Put, dec!(6090)))
        );
        for bad in [
            "CALL INTC 07/17/26",
            "SWAP INTC 07/17/26 115",
            "CALL INTC 2026-07-17 115",
            "CALL INTC 07/17/26 x",
        ] {
            assert_eq!(option_description(bad), None, "{bad}");
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let header = lines[6];
        let rows = [(header, lines[7]), (header, lines[11])];
        text::assert_never_panics(&EtradeTransactions, &bytes[..bytes.len().min(2048)], &rows);
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&EtradeTransactions, &[SAMPLE]);
    }
}
