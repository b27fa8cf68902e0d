//! tastytrade / tastyworks transaction history, in its three layouts: the **current** one
//! (`tastytrade`), the **2021 variant** (`tastytrade-2021`) and the **legacy tastyworks**
//! one (`tastyworks-legacy`).
//!
//! Source: `shared/fixtures/FORMATS.md` § tastytrade / tastyworks and the samples
//! `tastytrade/avion23-transactions-2018-2024.csv` (current layout, 1082 rows: stocks and
//! equity options, assignments, symbol changes, a reverse split, a merger; offsets `+0100` /
//! `+0200`) and `tastytrade/avion23-legacy-transaction-history-2021.csv` (legacy layout, same
//! account, Jan 2021, times in the account's zone). The 2021 variant and the futures and
//! futures-options rows are covered by inline test files written from the documented shapes.
//!
//! All layouts list rows **newest first** and have no execution id: `execution_id` is `None`
//! and the row key is the row's trimmed cells (`Order #` is shared by the fills of one order
//! and by the legs of a spread, so it cannot be one).
//!
//! # Current layout (`tastytrade`)
//!
//! ```text
//! Date,Type,Sub Type,Action,Symbol,Instrument Type,Description,Value,Quantity,Average Price,Commissions,Fees,Multiplier,Root Symbol,Underlying Symbol,Expiration Date,Strike Price,Call or Put,Order #,Currency
//! ```
//!
//! Detected by a header with `Date`, `Type`, `Sub Type`, `Action`, `Symbol`, `Instrument
//! Type`, `Description`, `Value`, `Quantity`, `Average Price`, `Commissions` and `Fees`
//! (columns are found by name, so a newer file's extra `Total` column does not matter).
//!
//! - `Date` is ISO 8601 with the downloader's UTC offset (`2024-08-16T15:57:13+0200`), which
//!   wins over the account zone (a time without an offset is read in the account zone).
//! - `Action` gives side and open/close: `BUY_TO_OPEN`, `SELL_TO_OPEN`, `BUY_TO_CLOSE`,
//!   `SELL_TO_CLOSE`; futures write `BUY` / `SELL`, and then `Sub Type` (`Sell to Open`,
//!   `Buy to Close`) states the effect when it says so (`Buy` / `Sell` do not).
//! - `Quantity` is unsigned. Fees = −(`Commissions` + `Fees`): both are negative costs, `--`
//!   or empty is 0; a positive (credit) value rejects the row rather than lowering the fees.
//! - **Price.** `Average Price` is signed (negative on buys) and **per contract**, already
//!   multiplied (`Sold 1 … @ 3.70` → `370.00`): the fill price is |Average Price| ÷ the
//!   contract size — the `Multiplier` column (100) for equity options, the future's point
//!   value for futures options (whose `Multiplier` says `1` although their Average Price and
//!   Value include the point value: `@ 22.0` on MES → `110.00` a contract), 1 for stocks.
//!   For stocks it is rounded to the cent (the `Value` column shows sub-cent fills, e.g.
//!   `Sold 100 SCHG @ 89.45` for `8,945.01`); the per-share price is kept as the broker
//!   states it. **Futures** carry `Value` `0.00` on the opening trade and the realised cash
//!   on the closing one, and no usable Average Price, so their price is the `@ price` of
//!   `Description` (`Bought 1 /CLJ4 @ 80.50`). `Value` is never used for a price; a derived
//!   price that differs from the Description's `@ price` is logged as a warning.
//! - **Instruments** by `Instrument Type`: `Equity` → stock; `Equity Option` → the padded OCC
//!   `Symbol` (`SCHG  240920C00099000`, also adjusted roots like `GREE1 210917P00022000`)
//!   re-spelled unpadded as the key (`SCHG240920C00099000`), underlying `Underlying Symbol`,
//!   multiplier `Multiplier` (100 when empty); `Future` → `/CLJ4` through the contract table;
//!   `Future Option` → `./MESU4MESU4 240920P5050` (inner spaces collapsed to one) with the
//!   underlying future `Underlying Symbol` (`/MESU4`) from the contract table, its point value
//!   as multiplier, and expiry/strike/right from `Expiration Date` (`M/D/YY`), `Strike Price`
//!   (`5050.0`) and `Call or Put`; `Cryptocurrency` → `BTC/USD` as `BTC-USD`. An unknown
//!   futures root rejects the row.
//!
//! ## Which rows are fills
//!
//! - `Trade` rows: fills.
//! - `Money Movement` rows go to the cash ledger with their signed `Value`: `Deposit` and
//!   `Withdrawal` (by the sign), `Credit Interest` and `Debit Interest`, `Dividend`, `Fee`,
//!   `Transfer`; `Balance Adjustment` (regulatory fee adjustments) is a fee when its
//!   description says so, and anything else (`Fully Paid Stock Lending Income`) is other.
//! - `Receive Deliver` rows **with an Action** are fills at their stated price: the stock
//!   delivered by an assignment or exercise (`Buy to Open 100 SCHG @ 103.00`, with its
//!   `-5.00` fee), and the paired close/open rows of symbol changes, reverse splits and
//!   mergers (`Symbol change: Close 2.0 VIAC …` / `Open 2.0 PARA …` at the same price).
//!   Importing the latter closes the old symbol's position and opens the new one at the same
//!   book price, so the two trades' P&L adds up to the true P&L; skipping them would leave
//!   the old position open forever and the new one closed without an opening. An
//!   `Expiration` row that carries a `*_TO_CLOSE` action (newer files) is a close at 0.
//! - `Receive Deliver` rows **without an Action** (the option side of an assignment,
//!   exercise or expiration: `Removal of option due to assignment`, `Average Price` `0.00`):
//!   - `Assignment` → a **buy to close at 0** (only a short option is assigned): the
//!     premium becomes the option trade's P&L and the delivered stock row carries the strike;
//!   - `Exercise` → a **sell to close at 0** (only a long option is exercised);
//!   - `Expiration` → a **close at 0** whose side the file's own position in the contract
//!     gives: the row does not say whether the expired option was long or short, so it
//!     becomes a [`crate::Removal`] the pipeline resolves once the whole file is read (a net
//!     long sells, a net short buys); one whose contract the file never traded is skipped
//!     rather than guessed (14 in the sample, all resolved);
//!   - anything else is skipped.
//!
//!   Without `Sub Type` (the 2021 variant) the event is read from `Description` (`due to
//!   assignment`, `due to exercise`, `due to expiration`).
//! - Any other `Type`: skipped.
//!
//! # 2021 variant (`tastytrade-2021`)
//!
//! The same columns without `Sub Type` and `Currency` (detected by the current columns minus
//! `Sub Type`, and no `Sub Type`). Read as above; the futures' effect then comes only from
//! `Action`.
//!
//! # Legacy tastyworks layout (`tastyworks-legacy`)
//!
//! ```text
//! Date/Time,Transaction Code,Transaction Subcode,Symbol,Buy/Sell,Open/Close,Quantity,Expiration Date,Strike,Call/Put,Price,Fees,Amount,Description,Account Reference
//! ```
//!
//! - `Date/Time` `MM/DD/YYYY h:mm AM/PM` (the month's leading zero may be missing), no zone:
//!   read in the account zone.
//! - `Transaction Code` `Trade` / `Money Movement` / `Receive Deliver` as above (the event of
//!   a Receive Deliver row without `Buy/Sell` is its `Transaction Subcode`).
//! - `Buy/Sell` gives the side and `Open/Close` the effect.
//! - `Symbol` is the underlying only; a row with an `Expiration Date` (`MM/DD/YYYY`) is an
//!   equity option built from it, `Strike` and `Call/Put` (`P`/`C`), keyed by its OCC symbol
//!   like the current layout (so both layouts give one instrument), multiplier 100. A `/`
//!   symbol without expiry is a future (contract table); futures options are rejected — no
//!   sample shows how this layout writes them.
//! - `Price` is per share (not multiplied); `Fees` is the positive total of commissions and
//!   fees; `Amount` is not needed.
//!
//! The legacy and current exports of the same period list the same trades: import one of
//! them per account.

use chrono::{DateTime, NaiveDate, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{AssetClass, Instrument, OptionRight, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RemovalEvent, RowOutcome};

/// tastytrade transactions export, current layout (History → Transactions → CSV).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tastytrade;

/// tastytrade/tastyworks transactions export of 2021 (no `Sub Type`, no `Currency`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tastytrade2021;

/// Legacy tastyworks transaction history (`Date/Time,Transaction Code,…`).
#[derive(Debug, Clone, Copy, Default)]
pub struct TastyworksLegacy;

/// Columns of the 2021 variant (the current layout adds `Sub Type` and `Currency`).
const TRANSACTION_COLUMNS: &[&str] = &[
    "Date",
    "Type",
    "Action",
    "Symbol",
    "Instrument Type",
    "Description",
    "Value",
    "Quantity",
    "Average Price",
    "Commissions",
    "Fees",
];
/// The current layout's columns: the 2021 ones and `Sub Type`.
const TRANSACTION_COLUMNS_CURRENT: &[&str] = &[
    "Date",
    "Type",
    "Sub Type",
    "Action",
    "Symbol",
    "Instrument Type",
    "Description",
    "Value",
    "Quantity",
    "Average Price",
    "Commissions",
    "Fees",
];

const LEGACY_COLUMNS: &[&str] = &[
    "Date/Time",
    "Transaction Code",
    "Transaction Subcode",
    "Symbol",
    "Buy/Sell",
    "Open/Close",
    "Quantity",
    "Expiration Date",
    "Strike",
    "Call/Put",
    "Price",
    "Fees",
];

/// `Date` layouts with an offset, then without (account zone).
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%z",
];
const NAIVE_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"];
const LEGACY_TIME_FORMATS: &[&str] = &[
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
];

impl Format for Tastytrade {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tastytrade",
            name: "tastytrade Transactions",
            platform: "Tastytrade",
            description: "tastytrade transactions export (History → Transactions, CSV): trades, assignments and corporate actions; stocks, options, futures and futures options.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        TRANSACTION_COLUMNS_CURRENT
    }

    fn detect(&self, head: &[&str]) -> bool {
        text::header_cells(head).is_some_and(|cells| {
            text::has_columns(&cells, TRANSACTION_COLUMNS) && text::has_columns(&cells, &["Sub Type"])
        })
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        parse_transactions(input, ctx, sink, true)
    }
}

impl Format for Tastytrade2021 {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tastytrade-2021",
            name: "tastytrade Transactions (2021)",
            platform: "Tastytrade",
            description: "tastytrade/tastyworks transactions export as written in 2021 (History → Transactions, CSV; no Sub Type column).",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        TRANSACTION_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        text::header_cells(head).is_some_and(|cells| {
            text::has_columns(&cells, TRANSACTION_COLUMNS) && !text::has_columns(&cells, &["Sub Type"])
        })
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        parse_transactions(input, ctx, sink, false)
    }
}

impl Format for TastyworksLegacy {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tastyworks-legacy",
            name: "tastyworks Transaction History (legacy)",
            platform: "Tastytrade",
            description: "Legacy tastyworks transaction history (History → Transactions, CSV, before 2021): Buy/Sell and Open/Close columns, per-share prices.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        LEGACY_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        text::header_cells(head).is_some_and(|cells| text::has_columns(&cells, LEGACY_COLUMNS))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = [
            "Date/Time",
            "Transaction Code",
            "Symbol",
            "Buy/Sell",
            "Open/Close",
            "Quantity",
            "Price",
            "Fees",
        ]
        .iter()
        .map(std::slice::from_ref)
        .collect();
        text::parse_table(input, ctx, &required, sink, &mut |cols, line, record| {
            outcome(line, read_legacy(cols, record, ctx), record, ctx.tz)
        })
    }
}

/// What a readable row gives.
enum Read1 {
    Fill(Box<RawFill>),
    /// A Money Movement: `(kind, amount, at, description)` for the cash ledger.
    Cash(tradebook_store::CashKind, Decimal, DateTime<Utc>, String),
    /// An expiration: the side is resolved against the file (see [`crate::Removal`]).
    Removal(Box<crate::Removal>),
    Skip(String),
}

fn outcome(line: u64, read: Result<Read1, String>, record: &StringRecord, tz: chrono_tz::Tz) -> RowOutcome {
    match read {
        Ok(Read1::Cash(kind, amount, at, description)) => {
            text::cash_outcome(line, kind, amount, at, tz, &description, record)
        }
        Ok(Read1::Fill(fill)) => RowOutcome::Fills {
            line,
            fills: vec![*fill],
        },
        Ok(Read1::Skip(reason)) => RowOutcome::Skipped { line, reason },
        Ok(Read1::Removal(removal)) => RowOutcome::Removal {
            line,
            removal: *removal,
        },
        Err(reason) => RowOutcome::Rejected { line, reason },
    }
}

fn parse_transactions(
    input: &mut dyn Read,
    ctx: &ParseContext<'_>,
    sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    sub_type: bool,
) -> Result<(), ImportError> {
    let mut required: Vec<&[&str]> = TRANSACTION_COLUMNS
        .iter()
        .filter(|c| **c != "Value")
        .map(std::slice::from_ref)
        .collect();
    if sub_type {
        required.push(&["Sub Type"]);
    }
    text::parse_table(input, ctx, &required, sink, &mut |cols, line, record| {
        outcome(line, read_transaction(cols, record, ctx), record, ctx.tz)
    })
}

// ---------------------------------------------------------------------------------------------
// Events without an action

/// What a Receive Deliver row without a side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removal {
    Assignment,
    Exercise,
    Expiration,
    Other,
}

/// The event of a Receive Deliver row: from its sub type, else from its description.
fn removal(sub_type: &str, description: &str) -> Removal {
    let sub = sub_type.to_ascii_lowercase();
    let text = if sub.is_empty() {
        description.to_ascii_lowercase()
    } else {
        sub
    };
    if text.contains("assignment") {
        Removal::Assignment
    } else if text.contains("exercise") {
        Removal::Exercise
    } else if text.contains("expiration") {
        Removal::Expiration
    } else {
        Removal::Other
    }
}

/// The side and effect of an option removed by assignment (a short closed by a buy) or
/// exercise (a long closed by a sell), at price 0.
fn removal_fill(event: Removal) -> Option<(Side, PositionEffect)> {
    match event {
        Removal::Assignment => Some((Side::Buy, PositionEffect::Close)),
        Removal::Exercise => Some((Side::Sell, PositionEffect::Close)),
        Removal::Expiration | Removal::Other => None,
    }
}

/// A Money Movement row for the cash ledger: its kind from `Sub Type` (module docs), its
/// signed amount (one of 0 is skipped by [`text::cash_outcome`]).
fn money_movement(sub_type: &str, description: &str, amount: Decimal, at: DateTime<Utc>) -> Result<Read1, String> {
    use tradebook_store::CashKind;
    let lower = sub_type.to_ascii_lowercase();
    let kind = match lower.as_str() {
        "deposit" | "withdrawal" if amount > Decimal::ZERO => CashKind::Deposit,
        "deposit" | "withdrawal" => CashKind::Withdrawal,
        "credit interest" | "debit interest" => CashKind::Interest,
        "dividend" => CashKind::Dividend,
        "fee" => CashKind::Fee,
        "transfer" => CashKind::Transfer,
        _ if description.to_ascii_lowercase().contains("fee") => CashKind::Fee,
        _ if description.to_ascii_lowercase().contains("interest") => CashKind::Interest,
        _ => CashKind::Other,
    };
    let description = if sub_type.is_empty() {
        description.to_string()
    } else {
        format!("{sub_type}: {description}")
    };
    Ok(Read1::Cash(kind, amount, at, description))
}

/// An `Expiration` removal without an action: the option leaves at 0 on the side the file's
/// position in it gives ([`crate::Removal`]). Only options expire; fees on such a row would
/// have nowhere to go and are refused.
fn expiration(
    instrument: Instrument,
    quantity: Decimal,
    fees: Decimal,
    executed_at: DateTime<Utc>,
    ctx: &ParseContext<'_>,
    record: &StringRecord,
) -> Result<Read1, String> {
    if !matches!(instrument.asset_class, AssetClass::Option | AssetClass::FutureOption) {
        return Err(format!(
            "an expiration of `{}`, which is not an option",
            instrument.symbol
        ));
    }
    if !fees.is_zero() {
        return Err(format!("an expiration with fees {fees}: expirations carry none"));
    }
    Ok(Read1::Removal(Box::new(crate::Removal {
        instrument,
        quantity: quantity.normalize(),
        executed_at,
        source_tz: ctx.tz,
        event: RemovalEvent::Expiration,
        row_key: text::row_key(record),
    })))
}

// ---------------------------------------------------------------------------------------------
// Current and 2021 layouts

/// `BUY_TO_OPEN` … `SELL_TO_CLOSE`, or `BUY` / `SELL` with the effect from `Sub Type`.
fn parse_action(action: &str, sub_type: &str) -> Result<(Side, Option<PositionEffect>), String> {
    let upper = action.to_ascii_uppercase();
    let (side, effect) = match upper.as_str() {
        "BUY_TO_OPEN" => (Side::Buy, Some(PositionEffect::Open)),
        "BUY_TO_CLOSE" => (Side::Buy, Some(PositionEffect::Close)),
        "SELL_TO_OPEN" => (Side::Sell, Some(PositionEffect::Open)),
        "SELL_TO_CLOSE" => (Side::Sell, Some(PositionEffect::Close)),
        "BUY" => (Side::Buy, None),
        "SELL" => (Side::Sell, None),
        "" => return Err("Action is empty".to_string()),
        _ => {
            return Err(format!(
                "Action `{action}` is not BUY_TO_OPEN, SELL_TO_OPEN, BUY_TO_CLOSE, SELL_TO_CLOSE, BUY or SELL"
            ))
        }
    };
    let effect = effect.or_else(|| {
        let sub = sub_type.to_ascii_lowercase();
        if sub.contains("to open") {
            Some(PositionEffect::Open)
        } else if sub.contains("to close") {
            Some(PositionEffect::Close)
        } else {
            None
        }
    });
    Ok((side, effect))
}

/// `Date` with its offset (which wins), else in the account zone; plus the date to place
/// futures contract codes.
fn transaction_time(value: &str, ctx: &ParseContext<'_>) -> Result<(DateTime<Utc>, NaiveDate), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Date is empty".to_string());
    }
    if let Some(t) = OFFSET_FORMATS
        .iter()
        .find_map(|f| DateTime::parse_from_str(value, f).ok())
        .or_else(|| DateTime::parse_from_rfc3339(value).ok())
    {
        return Ok((t.with_timezone(&Utc), t.date_naive()));
    }
    let (naive, utc) = text::local_time_cell("Date", value, NAIVE_FORMATS, ctx.tz)?;
    Ok((utc, naive.date()))
}

/// A negative cost column (`-1.00`, `--`, empty) as a cost ≥ 0.
fn cost_cell(column: &str, value: &str) -> Result<Decimal, String> {
    let value = value.trim();
    if value.is_empty() || value == "--" {
        return Ok(Decimal::ZERO);
    }
    let amount = text::number_cell(column, value)?;
    if amount > Decimal::ZERO {
        return Err(format!(
            "{column} `{value}` is a credit; fees must be a cost (negative here)"
        ));
    }
    Ok(-amount)
}

/// The `@ price` of a Description (`Bought 1 /CLJ4 @ 80.50`).
pub fn description_price(description: &str) -> Option<Decimal> {
    let (_, after) = description.rsplit_once('@')?;
    text::parse_decimal(after.split_whitespace().next()?)
}

/// An expiry as `M/D/YY` (also `M/D/YYYY`).
fn expiry_cell(column: &str, value: &str) -> Result<NaiveDate, String> {
    text::parse_date(value, &["%m/%d/%y", "%m/%d/%Y"]).ok_or_else(|| match value.trim() {
        "" => format!("{column} is empty"),
        v => format!("{column} `{v}` is not a date like 9/20/24"),
    })
}

fn right_cell(column: &str, value: &str) -> Result<OptionRight, String> {
    OptionRight::parse(value).ok_or_else(|| match value.trim() {
        "" => format!("{column} is empty"),
        v => format!("{column} `{v}` is not CALL or PUT"),
    })
}

/// The instrument of a transaction row and the size its Average Price is per (see the
/// module doc).
fn transaction_instrument(
    cols: &Columns,
    record: &StringRecord,
    date: NaiveDate,
    ctx: &ParseContext<'_>,
) -> Result<(Instrument, Decimal), String> {
    let symbol = cols.get(record, "Symbol");
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    let kind = cols.get(record, "Instrument Type");
    match kind {
        "Equity" => Ok((Instrument::stock(symbol), Decimal::ONE)),
        "Equity Option" => {
            let multiplier = match cols.get(record, "Multiplier") {
                "" => Decimal::ONE_HUNDRED,
                m => text::number_cell("Multiplier", m)?,
            };
            if multiplier <= Decimal::ZERO {
                return Err(format!("Multiplier `{multiplier}` is not a positive contract size"));
            }
            let (root, expiry, right, strike) = match text::parse_occ_symbol(symbol) {
                Some(parts) => parts,
                None => {
                    let root = [cols.get(record, "Root Symbol"), cols.get(record, "Underlying Symbol")]
                        .into_iter()
                        .find(|r| !r.is_empty())
                        .ok_or_else(|| format!("Symbol `{symbol}` is not an OCC option symbol"))?;
                    let expiry = expiry_cell("Expiration Date", cols.get(record, "Expiration Date"))?;
                    let strike = text::number_cell("Strike Price", cols.get(record, "Strike Price"))?;
                    let right = right_cell("Call or Put", cols.get(record, "Call or Put"))?;
                    (root.to_string(), expiry, right, strike)
                }
            };
            let occ = text::occ_symbol(&root, expiry, right, strike)
                .ok_or_else(|| format!("Symbol `{symbol}` does not fit an OCC option symbol"))?;
            let underlying = match cols.get(record, "Underlying Symbol") {
                "" => root.as_str(),
                u => u,
            };
            Ok((
                Instrument::option(occ, underlying, expiry, strike, right, multiplier),
                multiplier,
            ))
        }
        "Future" => {
            let future = ctx.contracts.future(symbol, date).map_err(|e| e.to_string())?;
            Ok((future, Decimal::ONE))
        }
        "Future Option" => {
            let underlying = cols.get(record, "Underlying Symbol");
            if underlying.is_empty() {
                return Err("Underlying Symbol is empty (a futures option needs its future)".to_string());
            }
            let future = ctx.contracts.future(underlying, date).map_err(|e| e.to_string())?;
            let expiry = expiry_cell("Expiration Date", cols.get(record, "Expiration Date"))?;
            let strike = text::number_cell("Strike Price", cols.get(record, "Strike Price"))?.normalize();
            let right = right_cell("Call or Put", cols.get(record, "Call or Put"))?;
            let key = symbol.split_whitespace().collect::<Vec<_>>().join(" ");
            let multiplier = future.multiplier;
            Ok((
                Instrument {
                    asset_class: AssetClass::FutureOption,
                    symbol: key,
                    underlying: Some(future.symbol),
                    expiry: Some(expiry),
                    strike: Some(strike),
                    right: Some(right),
                    multiplier,
                },
                multiplier,
            ))
        }
        "Cryptocurrency" => Ok((Instrument::crypto(symbol.replace('/', "-")), Decimal::ONE)),
        "" => Err("Instrument Type is empty".to_string()),
        _ => Err(format!(
            "Instrument Type `{kind}` is not Equity, Equity Option, Future, Future Option or Cryptocurrency"
        )),
    }
}

fn read_transaction(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let kind = cols.get(record, "Type");
    let sub_type = cols.get(record, "Sub Type");
    let action = cols.get(record, "Action");
    let description = cols.get(record, "Description");
    let what = if sub_type.is_empty() { description } else { sub_type };
    match kind {
        "Trade" => {}
        "Receive Deliver" => {
            let event = removal(sub_type, description);
            if action.is_empty() && removal_fill(event).is_none() && event != Removal::Expiration {
                return Ok(Read1::Skip(format!(
                    "Receive Deliver `{what}` without an action: it does not say whether the position was long or short"
                )));
            }
        }
        "Money Movement" => {
            let (at, _) = transaction_time(cols.get(record, "Date"), ctx)?;
            return money_movement(
                sub_type,
                description,
                text::number_cell("Value", cols.get(record, "Value"))?,
                at,
            );
        }
        "" => return Err("Type is empty".to_string()),
        other => return Ok(Read1::Skip(format!("{other} row (not a trade): {what}"))),
    }

    let (executed_at, date) = transaction_time(cols.get(record, "Date"), ctx)?;
    let quantity = text::quantity_cell("Quantity", cols.get(record, "Quantity"))?;
    let (instrument, contract_size) = transaction_instrument(cols, record, date, ctx)?;
    let fees = cost_cell("Commissions", cols.get(record, "Commissions"))?
        .checked_add(cost_cell("Fees", cols.get(record, "Fees"))?)
        .ok_or("Commissions and Fees overflow")?;

    if action.is_empty() && removal(sub_type, description) == Removal::Expiration {
        return expiration(instrument, quantity, fees, executed_at, ctx, record);
    }
    let (side, position_effect, price) = if action.is_empty() {
        // Checked above: an assignment or exercise removal.
        let (side, effect) = removal_fill(removal(sub_type, description)).ok_or("Action is empty")?;
        (side, Some(effect), Decimal::ZERO)
    } else {
        let (side, effect) = parse_action(action, sub_type)?;
        (
            side,
            effect,
            transaction_price(cols, record, &instrument, contract_size, ctx)?,
        )
    };

    Ok(Read1::Fill(Box::new(RawFill {
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
    })))
}

/// The per-unit price of a row with an action (see the module doc).
fn transaction_price(
    cols: &Columns,
    record: &StringRecord,
    instrument: &Instrument,
    contract_size: Decimal,
    ctx: &ParseContext<'_>,
) -> Result<Decimal, String> {
    let description = cols.get(record, "Description");
    let stated = description_price(description);
    if instrument.asset_class == AssetClass::Future {
        return stated
            .ok_or_else(|| format!("Description `{description}` has no `@ price` (a futures row's only price)"));
    }
    let average = cols.get(record, "Average Price");
    let price = match average {
        "" | "--" => {
            return stated
                .ok_or_else(|| format!("Average Price is empty and Description `{description}` has no `@ price`"))
        }
        cell => text::number_cell("Average Price", cell)?
            .abs()
            .checked_div(contract_size)
            .ok_or_else(|| format!("Average Price `{cell}` cannot be divided by the contract size {contract_size}"))?
            .normalize(),
    };
    if let Some(stated) = stated.filter(|s| *s != price) {
        tracing::warn!(
            file = %ctx.file_name,
            %description,
            %average,
            %price,
            %stated,
            "tastytrade row: Average Price ÷ contract size differs from the Description's price"
        );
    }
    Ok(price)
}

// ---------------------------------------------------------------------------------------------
// Legacy layout

fn read_legacy(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let code = cols.get(record, "Transaction Code");
    let subcode = cols.get(record, "Transaction Subcode");
    let description = cols.get(record, "Description");
    let buy_sell = cols.get(record, "Buy/Sell");
    let what = if subcode.is_empty() { description } else { subcode };
    let zero_close = match code {
        "Trade" => None,
        "Receive Deliver" if buy_sell.is_empty() => match removal_fill(removal(subcode, description)) {
            Some(fill) => Some(fill),
            None if removal(subcode, description) == Removal::Expiration => None,
            None => {
                return Ok(Read1::Skip(format!(
                    "Receive Deliver `{what}` without Buy/Sell: it does not say whether the position was long or short"
                )))
            }
        },
        "Receive Deliver" => None,
        "Money Movement" => {
            let (_, at) =
                text::local_time_cell("Date/Time", cols.get(record, "Date/Time"), LEGACY_TIME_FORMATS, ctx.tz)?;
            return money_movement(
                subcode,
                description,
                text::number_cell("Amount", cols.get(record, "Amount"))?,
                at,
            );
        }
        "" => return Err("Transaction Code is empty".to_string()),
        other => return Ok(Read1::Skip(format!("{other} row (not a trade): {what}"))),
    };

    let (naive, executed_at) =
        text::local_time_cell("Date/Time", cols.get(record, "Date/Time"), LEGACY_TIME_FORMATS, ctx.tz)?;
    let quantity = text::quantity_cell("Quantity", cols.get(record, "Quantity"))?;
    let instrument = legacy_instrument(cols, record, naive.date(), ctx)?;
    let fees = text::fee_cell("Fees", cols.get(record, "Fees"))?;
    if code == "Receive Deliver" && buy_sell.is_empty() && zero_close.is_none() {
        return expiration(instrument, quantity, fees, executed_at, ctx, record);
    }
    let (side, position_effect, price) = match zero_close {
        Some((side, effect)) => (side, Some(effect), Decimal::ZERO),
        None => {
            let side = Side::parse(buy_sell).ok_or_else(|| match buy_sell {
                "" => "Buy/Sell is empty".to_string(),
                _ => format!("Buy/Sell `{buy_sell}` is not Buy or Sell"),
            })?;
            let open_close = cols.get(record, "Open/Close");
            let effect = match open_close.to_ascii_lowercase().as_str() {
                "open" => Some(PositionEffect::Open),
                "close" => Some(PositionEffect::Close),
                "" => None,
                _ => return Err(format!("Open/Close `{open_close}` is not Open or Close")),
            };
            (side, effect, text::number_cell("Price", cols.get(record, "Price"))?)
        }
    };
    Ok(Read1::Fill(Box::new(RawFill {
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
    })))
}

fn legacy_instrument(
    cols: &Columns,
    record: &StringRecord,
    date: NaiveDate,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let symbol = cols.get(record, "Symbol");
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    let expiration = cols.get(record, "Expiration Date");
    let is_future = symbol.starts_with('/') || symbol.starts_with("./");
    match (expiration.is_empty(), is_future) {
        (true, false) => Ok(Instrument::stock(symbol)),
        (true, true) => ctx.contracts.future(symbol, date).map_err(|e| e.to_string()),
        (false, true) => Err(format!(
            "Symbol `{symbol}` with an Expiration Date is a futures option, which this legacy layout is not read for (no sample shows how it writes them)"
        )),
        (false, false) => {
            let expiry = text::parse_date(expiration, &["%m/%d/%Y", "%m/%d/%y"])
                .ok_or_else(|| format!("Expiration Date `{expiration}` is not a date like 03/19/2021"))?;
            let strike = text::number_cell("Strike", cols.get(record, "Strike"))?.normalize();
            let right = right_cell("Call/Put", cols.get(record, "Call/Put"))?;
            let occ = text::occ_symbol(symbol, expiry, right, strike)
                .ok_or_else(|| format!("Strike `{strike}` does not fit an OCC option symbol"))?;
            Ok(Instrument::option(occ, symbol, expiry, strike, right, Decimal::ONE_HUNDRED))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const CURRENT: &str = "tastytrade/avion23-transactions-2018-2024.csv";
    const LEGACY: &str = "tastytrade/avion23-legacy-transaction-history-2021.csv";
    const BERLIN: chrono_tz::Tz = chrono_tz::Europe::Berlin;

    struct Totals {
        trips: usize,
        closed: usize,
        incomplete: usize,
        gross: Decimal,
        fees: Decimal,
        net: Decimal,
    }

    fn totals(parsed: &Parsed) -> Totals {
        let trips = round_trips_ordered(parsed, true);
        Totals {
            trips: trips.len(),
            closed: trips.iter().filter(|t| t.status == TradeStatus::Closed).count(),
            incomplete: trips.iter().filter(|t| t.status == TradeStatus::Incomplete).count(),
            gross: trips.iter().map(|t| t.gross_pnl).sum(),
            fees: trips.iter().map(|t| t.fees).sum(),
            net: trips.iter().map(|t| t.net_pnl).sum(),
        }
    }

    fn parse_text(format: &dyn Format, text: &str) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(format, &mut text.as_bytes(), &ctx).unwrap()
    }

    const HEADER: &str = "Date,Type,Sub Type,Action,Symbol,Instrument Type,Description,Value,Quantity,Average Price,Commissions,Fees,Multiplier,Root Symbol,Underlying Symbol,Expiration Date,Strike Price,Call or Put,Order #,Currency";
    const HEADER_2021: &str = "Date,Type,Action,Symbol,Instrument Type,Description,Value,Quantity,Average Price,Commissions,Fees,Multiplier,Root Symbol,Underlying Symbol,Expiration Date,Strike Price,Call or Put,Order #";

    #[test]
    fn detects_each_layout() {
        assert_eq!(detected_id(CURRENT), Some("tastytrade"));
        assert_eq!(detected_id(LEGACY), Some("tastyworks-legacy"));
        assert!(Tastytrade2021.detect(&[HEADER_2021]) && !Tastytrade.detect(&[HEADER_2021]));
        assert_eq!(detect(&[HEADER_2021]).map(|f| f.id()), Some("tastytrade-2021"));
        assert!(!Tastytrade2021.detect(&[HEADER]));
        // A newer file with a `Total` column is still the current layout.
        let newer = HEADER.replace("Order #,", "Order #,Total,");
        assert_eq!(detect(&[newer.as_str()]).map(|f| f.id()), Some("tastytrade"));
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&Tastytrade, &[CURRENT]);
        text::assert_detects_only(&Tastytrade2021, &[]);
        text::assert_detects_only(&TastyworksLegacy, &[LEGACY]);
    }

    /// avion23 2018–2024, current layout. Counted in python over the file: 1082 rows — 226
    /// Money Movement (skipped), 14 Expiration removals without an action, 28 assignment
    /// removals (buy to close at 0), 42 Receive Deliver rows with an action (deliveries,
    /// symbol changes, reverse split, merger) and 772 Trade rows: 856 fills, 226 skipped. An
    /// independent python FIFO over the rows other than the expirations (price = |Average
    /// Price| ÷ Multiplier for options, |Average Price| for stocks; fees = −(Commissions +
    /// Fees); file order reversed at equal times) gave 353 round trips, 337 closed, 16 open
    /// (the 14 expired options, a short SCHG call and the SCHG shares assigned in 2024),
    /// gross 719.67, fees 1066.76. Each expired contract's other rows are opening trades
    /// only, except GREE 10/15/21 25 call (sold 255.00 on 10/04, bought back 235.00 on 10/06 —
    /// a closed trip of +20.00 — then sold 180.00 on 10/11), so closing the 14 at 0 adds the
    /// cash of their open trips, python over the Value column: 180 + 80 + 70 + 132 + 114 +
    /// 56 + 5 − 85 − 140 − 100 − 153 − 252 − 210 − 240 = −543.00. Hence 351 closed, gross
    /// 176.67, net −890.09.
    #[test]
    fn avion23_current() {
        let parsed = parse_fixture(&Tastytrade, CURRENT, BERLIN);
        assert_eq!(parsed.rows, 1082);
        assert_eq!(parsed.fills.len(), 856);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        // The 226 Money Movement rows are cash movements; python over their Value column:
        // Σ = 9,196.30 (balance adjustments 84.84, credit interest 3.25, debit interest
        // −22.82, dividends 218.29, deposits and withdrawals 6,632.60, stock lending 2.20,
        // fees −71.56, transfers 2,349.50).
        assert_eq!(parsed.cash.len(), 226);
        assert_eq!(
            parsed.cash.iter().map(|(_, m)| m.amount).sum::<Decimal>(),
            dec!(9196.30)
        );

        let at = |line: u64| &parsed.fills.iter().find(|(l, _)| *l == line).unwrap().1;
        // Line 4: Sold 1 SCHG 09/20/24 Call 99.00 @ 3.70, Average Price 370.00 a contract.
        let call = at(4);
        assert_eq!(call.instrument.symbol, "SCHG240920C00099000");
        assert_eq!(call.instrument.underlying.as_deref(), Some("SCHG"));
        assert_eq!(call.instrument.multiplier, dec!(100));
        assert_eq!(
            (call.side, call.quantity, call.price, call.fees),
            (Side::Sell, dec!(1), dec!(3.70), dec!(1.15))
        );
        assert_eq!(call.position_effect, Some(PositionEffect::Open));
        assert_eq!(call.executed_at.to_rfc3339(), "2024-08-16T13:57:13+00:00");
        assert_eq!(call.execution_id, None);
        // Lines 6–7: the put assigned, then the shares delivered at the strike.
        let removed = at(6);
        assert_eq!(removed.instrument.symbol, "SCHG240816P00103000");
        assert_eq!(
            (removed.side, removed.price, removed.fees, removed.position_effect),
            (Side::Buy, dec!(0), dec!(0), Some(PositionEffect::Close))
        );
        let delivered = at(7);
        assert_eq!(delivered.instrument, Instrument::stock("SCHG"));
        assert_eq!(
            (delivered.side, delivered.quantity, delivered.price, delivered.fees),
            (Side::Buy, dec!(100), dec!(103.00), dec!(5.00))
        );
        // An adjusted option keeps its own root (GREE1), distinct from the old SPRT one.
        assert_eq!(at(350).instrument.symbol, "GREE1210917P00022000");
        assert_eq!(at(351).instrument.symbol, "SPRT210917P00022000");
        assert_eq!((at(351).side, at(351).price), (Side::Buy, dec!(5.60)));
        // Line 316: the GREE 25 call's expiration, a short (sold 180.00): bought back at 0.
        let expired = at(316);
        assert_eq!(expired.instrument.symbol, "GREE211015C00025000");
        assert_eq!(
            (
                expired.side,
                expired.quantity,
                expired.price,
                expired.fees,
                expired.position_effect
            ),
            (Side::Buy, dec!(1), dec!(0), dec!(0), Some(PositionEffect::Close))
        );

        let t = totals(&parsed);
        assert_eq!((t.trips, t.closed), (353, 351));
        assert_eq!(t.gross, dec!(176.67));
        assert_eq!(t.fees, dec!(1066.76));
        assert_eq!(t.net, dec!(-890.09));
    }

    /// avion23 legacy, Jan 2021 (account zone Europe/Berlin, as the current file's offsets
    /// show). Python over the file: 37 rows — 6 Money Movement (skipped), 30 trades and 1
    /// Expiration, of the UVXY 14.50 put sold at 0.56 on line 5. Python FIFO over the trades
    /// (Price per share × 100 for options; Fees positive) gave 6 closed, gross 2000.00, fees
    /// 18.291; the put expiring closes a seventh trade with +56.00.
    #[test]
    fn avion23_legacy() {
        let parsed = parse_fixture(&TastyworksLegacy, LEGACY, BERLIN);
        assert_eq!(parsed.rows, 37);
        assert_eq!(parsed.fills.len(), 31);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        // 6 Money Movements: regulatory fee adjustments and credit interest, Σ +0.01.
        assert_eq!(parsed.cash.len(), 6);
        assert_eq!(parsed.cash.iter().map(|(_, m)| m.amount).sum::<Decimal>(), dec!(0.01));
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        // Line 3, the UVXY put's expiration: the put sold on line 5, bought back at 0.
        let (line, expired) = &parsed.fills[0];
        assert_eq!(*line, 3);
        assert_eq!((expired.side, expired.price), (Side::Buy, dec!(0)));
        let (line, gme) = &parsed.fills[1];
        assert_eq!(*line, 4);
        assert_eq!(gme.instrument.symbol, "GME210319P00040000");
        assert_eq!(
            (gme.side, gme.quantity, gme.price, gme.fees, gme.position_effect),
            (Side::Sell, dec!(1), dec!(13.3), dec!(1.172), Some(PositionEffect::Open))
        );
        assert_eq!(gme.executed_at.to_rfc3339(), "2021-01-29T18:51:00+00:00");
        let t = totals(&parsed);
        // 6 closed; the closing fills of positions opened before 2021 are incomplete trades
        // (opening position unknown), no longer new opposite positions: 18 trades in all.
        // 7 closing fills find no open lot (python over the file, Open/Close column, oldest first).
        assert_eq!((t.trips, t.closed, t.incomplete), (18, 7, 7));
        assert_eq!(t.gross, dec!(2056.00));
        assert_eq!(t.fees, dec!(18.291));
        assert_eq!(t.net, dec!(2037.709));
    }

    /// The legacy file's trades are in the current file too (same account): same instrument
    /// key, side, quantity and price, and the same instant to the minute when the legacy
    /// times are read in Europe/Berlin.
    #[test]
    fn legacy_and_current_agree() {
        let legacy = parse_fixture(&TastyworksLegacy, LEGACY, BERLIN);
        let current = parse_fixture(&Tastytrade, CURRENT, BERLIN);
        for (line, f) in &legacy.fills {
            let found = current.fills.iter().any(|(_, c)| {
                c.instrument == f.instrument
                    && (c.side, c.quantity, c.price) == (f.side, f.quantity, f.price)
                    && (c.executed_at - f.executed_at).num_seconds().abs() < 60
            });
            assert!(found, "legacy line {line}: {f:?}");
        }
    }

    /// The 2021 variant, written from FORMATS.md: no Sub Type, no Currency; the expiration's
    /// event read from Description. Expected by hand: fills at lines 2 (the call sold on line
    /// 3 expires: bought back at 0), 3 (call sold @0.21), 4 (put removed by assignment: buy to
    /// close at 0), 5 (100 shares delivered @6.00) and 6 (put sold @0.45); line 7 (interest)
    /// skipped. Round trips: the put +45.00 and the call +21.00 closed, the shares open; fees
    /// 1.132 × 2 + 5.00 = 7.264.
    #[test]
    fn variant_2021() {
        let text = format!(
            "{HEADER_2021}\n\
             2021-12-23T22:00:00+0100,Receive Deliver,,WKHS  211223C00005500,Equity Option,Removal of 1.0 WKHS 12/23/21 Call 5.50 due to expiration.,0.00,1,0.00,--,0.00,100,WKHS,WKHS,12/23/21,5.5,CALL,\n\
             2021-12-20T16:03:11+0100,Trade,SELL_TO_OPEN,WKHS  211223C00005500,Equity Option,Sold 1 WKHS 12/23/21 Call 5.50 @ 0.21,21.00,1,21.00,-1.00,-0.132,100,WKHS,WKHS,12/23/21,5.5,CALL,190000001\n\
             2021-12-17T22:00:00+0100,Receive Deliver,,WKHS  211217P00006000,Equity Option,Removal of option due to assignment,0.00,1,0.00,--,0.00,100,WKHS,WKHS,12/17/21,6,PUT,\n\
             2021-12-17T22:00:00+0100,Receive Deliver,BUY_TO_OPEN,WKHS,Equity,Buy to Open 100 WKHS @ 6.00,-600.00,100,-6.00,--,-5.00,,,,,,,\n\
             2021-12-10T15:40:00+0100,Trade,SELL_TO_OPEN,WKHS  211217P00006000,Equity Option,Sold 1 WKHS 12/17/21 Put 6.00 @ 0.45,45.00,1,45.00,-1.00,-0.132,100,WKHS,WKHS,12/17/21,6,PUT,190000000\n\
             2021-12-03T23:00:00+0100,Money Movement,,,,INTEREST ON CREDIT BALANCE,0.02,0,,--,0.00,,,,,,,\n"
        );
        let parsed = parse_text(&Tastytrade2021, &text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(
            parsed.fills.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6]
        );
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.cash.len(), 1);
        assert_eq!(
            (parsed.cash[0].0, parsed.cash[0].1.kind, parsed.cash[0].1.amount),
            (7, tradebook_store::CashKind::Interest, dec!(0.02))
        );
        let (_, expired) = &parsed.fills[0];
        assert_eq!(
            (expired.side, expired.price, expired.position_effect),
            (Side::Buy, dec!(0), Some(PositionEffect::Close))
        );
        let (_, call) = &parsed.fills[1];
        assert_eq!((call.price, call.fees), (dec!(0.21), dec!(1.132)));
        let (_, assigned) = &parsed.fills[2];
        assert_eq!(
            (assigned.side, assigned.price, assigned.position_effect),
            (Side::Buy, dec!(0), Some(PositionEffect::Close))
        );
        let t = totals(&parsed);
        assert_eq!((t.trips, t.closed), (3, 2));
        assert_eq!(t.gross, dec!(66.00));
        assert_eq!(t.fees, dec!(7.264));
        assert_eq!(t.net, dec!(58.736));
    }

    /// Futures and futures options in the current layout, from FORMATS.md: the future's
    /// price from Description (Value 0.00 when opening; −160.00, the realised cash, when
    /// closing a 0.16 move in CL), the option's from Average Price ÷ the MES point value
    /// (`@ 22.0` → 110.00 a contract). Expected by hand: CL −0.16 × 1000 = −160.00, fees
    /// 2 × 2.82; MES put short 2 from 22.0 to 12.5: 9.5 × 2 × 5 = 95.00 (= 220.00 − 125.00 of
    /// Value), fees 2 × 2.40.
    #[test]
    fn futures_and_futures_options() {
        let text = format!(
            "{HEADER}\n\
             2024-09-10T17:00:00+0200,Trade,Buy to Close,BUY_TO_CLOSE,./MESU4MESU4 240920P5050,Future Option,Bought 2 /MESU4 MESU4 09/20/24 Put 5050.00 @ 12.5,-125.00,2,-62.50,-1.50,-0.90,1,\"./MESU4MESU4 \",/MESU4,9/20/24,5050.0,PUT,340000002,USD\n\
             2024-09-03T17:00:00+0200,Trade,Sell to Open,SELL_TO_OPEN,./MESU4MESU4  240920P5050,Future Option,Sold 2 /MESU4 MESU4 09/20/24 Put 5050.00 @ 22.0,220.00,2,110.00,-1.50,-0.90,1,\"./MESU4MESU4 \",/MESU4,9/20/24,5050.0,PUT,340000001,USD\n\
             2024-03-12T15:00:00-0400,Trade,Sell to Close,SELL,/CLJ4,Future,Sold 1 /CLJ4 @ 80.34,-160.00,1,0.00,-1.50,-1.32,,/CL,/CL,3/19/24,,,338000002,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy,BUY,/CLJ4,Future,Bought 1 /CLJ4 @ 80.50,0.00,1,0.00,-1.50,-1.32,,/CL,/CL,3/19/24,,,338000001,USD\n"
        );
        let parsed = parse_text(&Tastytrade, &text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.fills.len(), 4);
        let (_, close) = &parsed.fills[0];
        assert_eq!(close.instrument.symbol, "./MESU4MESU4 240920P5050");
        assert_eq!(close.instrument.asset_class, AssetClass::FutureOption);
        assert_eq!(close.instrument.underlying.as_deref(), Some("MESU24"));
        assert_eq!(close.instrument.multiplier, dec!(5));
        assert_eq!(close.instrument.strike, Some(dec!(5050)));
        assert_eq!(
            (close.side, close.quantity, close.price, close.fees),
            (Side::Buy, dec!(2), dec!(12.5), dec!(2.40))
        );
        assert_eq!(parsed.fills[1].1.instrument, close.instrument);
        assert_eq!(parsed.fills[1].1.price, dec!(22));
        let (_, sold) = &parsed.fills[2];
        assert_eq!(sold.instrument.symbol, "CLJ24");
        assert_eq!(sold.instrument.multiplier, dec!(1000));
        assert_eq!(
            (sold.side, sold.price, sold.position_effect),
            (Side::Sell, dec!(80.34), Some(PositionEffect::Close))
        );
        assert_eq!(sold.executed_at.to_rfc3339(), "2024-03-12T19:00:00+00:00");
        let (_, bought) = &parsed.fills[3];
        assert_eq!((bought.price, bought.position_effect), (dec!(80.50), None));

        let trips = round_trips_ordered(&parsed, true);
        let by = |symbol: &str| trips.iter().find(|t| t.instrument.symbol == symbol).unwrap();
        assert_eq!((by("CLJ24").gross_pnl, by("CLJ24").fees), (dec!(-160.00), dec!(5.64)));
        let put = by("./MESU4MESU4 240920P5050");
        assert_eq!(
            (put.gross_pnl, put.fees, put.status),
            (dec!(95.00), dec!(4.80), TradeStatus::Closed)
        );
    }

    #[test]
    fn bad_rows_are_rejected_with_reasons() {
        let text = format!(
            "{HEADER}\n\
             2024-03-11T15:00:00-0400,Trade,Buy,BUY,/QQJ4,Future,Bought 1 /QQJ4 @ 80.50,0.00,1,0.00,-1.50,-1.32,,,,,,,1,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy,BUY,/CLJ4,Future,Bought 1 /CLJ4,0.00,1,0.00,-1.50,-1.32,,,,,,,1,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy to Open,BUY_TO_OPEN,AAPL,Equity,Bought 1 AAPL @ 1,-1.00,1,-1.00,0.00,0.05,,,,,,,1,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy to Open,HOLD,AAPL,Equity,Bought 1 AAPL @ 1,-1.00,1,-1.00,0.00,0.00,,,,,,,1,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy to Open,BUY_TO_OPEN,AAPL,Bond,Bought 1 AAPL @ 1,-1.00,1,-1.00,0.00,0.00,,,,,,,1,USD\n\
             2024-03-10 02:30:00,Trade,Buy to Open,BUY_TO_OPEN,AAPL,Equity,Bought 1 AAPL @ 1,-1.00,1,-1.00,0.00,0.00,,,,,,,1,USD\n\
             2024-03-11T15:00:00-0400,Trade,Buy to Open,BUY_TO_OPEN,AAPL,Equity,Bought 0 AAPL @ 1,-1.00,0,-1.00,0.00,0.00,,,,,,,1,USD\n"
        );
        let parsed = parse_text(&Tastytrade, &text);
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons.len(), 7, "{reasons:?}");
        assert!(reasons[0].contains("unknown futures root `QQ`"), "{}", reasons[0]);
        assert_eq!(
            reasons[1],
            "Description `Bought 1 /CLJ4` has no `@ price` (a futures row's only price)"
        );
        assert_eq!(
            reasons[2],
            "Fees `0.05` is a credit; fees must be a cost (negative here)"
        );
        assert!(reasons[3].starts_with("Action `HOLD` is not"), "{}", reasons[3]);
        assert!(
            reasons[4].starts_with("Instrument Type `Bond` is not"),
            "{}",
            reasons[4]
        );
        assert!(
            reasons[5].contains("does not exist in America/New_York"),
            "{}",
            reasons[5]
        );
        assert_eq!(reasons[6], "Quantity `0` is not a positive quantity");
    }

    #[test]
    fn legacy_rows() {
        let header = "Date/Time,Transaction Code,Transaction Subcode,Symbol,Buy/Sell,Open/Close,Quantity,Expiration Date,Strike,Call/Put,Price,Fees,Amount,Description,Account Reference";
        let text = format!(
            "{header}\n\
             1/29/2021 10:15 PM,Receive Deliver,Assignment,UVXY,,,1,01/29/2021,14.5,P,,0.00,0,Removal of option due to assignment,Individual...60\n\
             1/29/2021 10:15 PM,Receive Deliver,Buy to Open,UVXY,Buy,Open,100,,,,14.5,5.00,-1450,Buy to Open 100 UVXY @ 14.50,Individual...60\n\
             1/28/2021 10:15 AM,Trade,Buy to Open,/ESH1,Buy,Open,1,,,,3750.25,2.50,0,Bought 1 /ESH1 @ 3750.25,Individual...60\n\
             1/28/2021 10:15 AM,Trade,Buy to Open,/ESH1,Buy,Open,1,03/19/2021,3800,C,10,2.50,0,Bought 1 /ESH1 EW3H1 Call,Individual...60\n\
             1/28/2021 10:15 AM,Trade,Buy to Open,UVXY,Buy,Maybe,1,,,,1,0.00,-1,Bought 1 UVXY @ 1,Individual...60\n\
             1/28/2021 10:15 AM,Trade,Buy to Open,UVXY,Buy,Open,1,,,,1,-0.10,-1,Bought 1 UVXY @ 1,Individual...60\n"
        );
        let parsed = parse_text(&TastyworksLegacy, &text);
        assert_eq!(parsed.fills.len(), 3, "{:?}", parsed.rejected);
        let (_, removed) = &parsed.fills[0];
        assert_eq!(removed.instrument.symbol, "UVXY210129P00014500");
        assert_eq!((removed.side, removed.price), (Side::Buy, dec!(0)));
        let (_, future) = &parsed.fills[2];
        assert_eq!(
            (future.instrument.symbol.as_str(), future.price),
            ("ESH21", dec!(3750.25))
        );
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert!(reasons[0].contains("is a futures option"), "{}", reasons[0]);
        assert_eq!(reasons[1], "Open/Close `Maybe` is not Open or Close");
        assert_eq!(reasons[2], "Fees `-0.10` is negative; fees must be a cost ≥ 0");
    }

    #[test]
    fn cells() {
        assert_eq!(description_price("Bought 1 /CLJ4 @ 80.50"), Some(dec!(80.50)));
        assert_eq!(
            description_price("Sold 1 /MESM6 EXK6 05/29/26 Put 5800.00 @ 82.5"),
            Some(dec!(82.5))
        );
        assert_eq!(description_price("Removal of option due to assignment"), None);
        assert_eq!(
            parse_action("SELL", "Sell to Open").unwrap(),
            (Side::Sell, Some(PositionEffect::Open))
        );
        assert_eq!(parse_action("BUY", "Buy").unwrap(), (Side::Buy, None));
        assert_eq!(
            parse_action("BUY_TO_CLOSE", "").unwrap(),
            (Side::Buy, Some(PositionEffect::Close))
        );
        assert_eq!(
            removal("", "Removal of 1.0 WKHS 12/23/21 Call 5.50 due to expiration."),
            Removal::Expiration
        );
        assert_eq!(removal("Symbol Change", "Symbol change"), Removal::Other);
        assert_eq!(removal("", "Removal of option due to assignment"), Removal::Assignment);
        assert_eq!(removal("Exercise", ""), Removal::Exercise);
        assert_eq!(cost_cell("Commissions", "--"), Ok(dec!(0)));
        assert_eq!(cost_cell("Fees", "-0.132"), Ok(dec!(0.132)));
        let ctx_table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t".into(),
            tz: chrono_tz::UTC,
            contracts: &ctx_table,
        };
        let (utc, date) = transaction_time("2024-08-16T15:57:13+0200", &ctx).unwrap();
        assert_eq!(
            (utc.to_rfc3339().as_str(), date),
            (
                "2024-08-16T13:57:13+00:00",
                NaiveDate::from_ymd_opt(2024, 8, 16).unwrap()
            )
        );
        let (utc, _) = transaction_time("2025-10-13T09:15:00-07:00", &ctx).unwrap();
        assert_eq!(utc.to_rfc3339(), "2025-10-13T16:15:00+00:00");
    }

    #[test]
    fn never_panics_on_garbage() {
        for (format, rel) in [(&Tastytrade as &dyn Format, CURRENT), (&TastyworksLegacy, LEGACY)] {
            let bytes = std::fs::read(fixture(rel)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let lines: Vec<&str> = text.lines().take(5).collect();
            text::assert_never_panics(format, &bytes[..bytes.len().min(2048)], &[(lines[0], lines[3])]);
        }
        let fo = "2024-09-03T17:00:00+0200,Trade,Sell to Open,SELL_TO_OPEN,./MESU4MESU4 240920P5050,Future Option,Sold 2 /MESU4 MESU4 09/20/24 Put 5050.00 @ 22.0,220.00,2,110.00,-1.50,-0.90,1,./MESU4MESU4,/MESU4,9/20/24,5050.0,PUT,340000001,USD";
        text::assert_never_panics(&Tastytrade, format!("{HEADER}\n{fo}\n").as_bytes(), &[(HEADER, fo)]);
        let row_2021 = "2021-12-20T16:03:11+0100,Trade,SELL_TO_OPEN,WKHS  211223C00005500,Equity Option,Sold 1 WKHS 12/23/21 Call 5.50 @ 0.21,21.00,1,21.00,-1.00,-0.132,100,WKHS,WKHS,12/23/21,5.5,CALL,190000001";
        text::assert_never_panics(
            &Tastytrade2021,
            format!("{HEADER_2021}\n{row_2021}\n").as_bytes(),
            &[(HEADER_2021, row_2021)],
        );
    }
}
