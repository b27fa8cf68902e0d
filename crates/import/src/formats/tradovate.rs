//! Tradovate account exports: **Fills** (one row per execution) and **Performance** (one row
//! per matched buy/sell pair).
//!
//! Source: `shared/fixtures/FORMATS.md` § Tradovate and the sample files
//! `tradovate/hamtaro777-fills.csv`, `hamtaro777-performance.csv` (same account, UTC+9),
//! `stephenkgli-performance.csv` and `deltalytix-performance-ZN-32nds.csv` (Treasury
//! futures, saved by a spreadsheet).
//!
//! Neither export has a contract multiplier: the contract code (`NQH6`, `MESH6`, `ZNM4`) is
//! looked up in the contract table ([`tradebook_core::ContractTable::future`]); an unknown
//! root rejects the row with the table's message, never a default point value.
//!
//! # Fills (`tradovate-fills`)
//!
//! ```text
//! _id,_orderId,_contractId,_timestamp,_tradeDate,_action,_qty,_price,_active,_accountId,Fill ID,Order ID,Timestamp,Date,Account,B/S,Quantity,Price,_priceFormat,_priceFormatType,_tickSize,Contract,Product,Product Description,commission
//! ```
//!
//! - Detected by a header starting `_id,_orderId,_contractId,_timestamp` that has a
//!   `Fill ID` column (the Orders export has neither).
//! - Side from `B/S` (written with a leading space, ` Buy` / ` Sell`), else `_action`
//!   (`0` buy, `1` sell).
//! - Quantity from `Quantity`, else `_qty` (unsigned).
//! - Price from `_price` (a plain decimal even for Treasuries), else `Price` read as in the
//!   Performance export (see the 32nds notation below).
//! - Time from `_timestamp`, which is UTC with a `Z` (`2026-02-11 06:34:46.772Z`); only when
//!   that column is missing or empty is the local `Timestamp` (`MM/DD/YYYY HH:MM:SS`) read
//!   in the account zone. (`Timestamp` and `Date` are in the user's zone; `_tradeDate` is the
//!   exchange trade date and can differ from `Date`.)
//! - `commission` is the fill's total fee (empty = 0; a negative value is rejected).
//! - `execution_id` = `tradovate:<Fill ID>` (falling back to `_id`, which equals it in the
//!   sample); it is also the `buyFillId`/`sellFillId` of the Performance export.
//! - A row with `_active` = `false` is skipped as a busted/inactive fill (an assumption from
//!   the API's Fill entity; every row of the sample is `true`).
//!
//! # Performance (`tradovate-performance`)
//!
//! ```text
//! symbol,_priceFormat,_priceFormatType,_tickSize,buyFillId,sellFillId,qty,buyPrice,sellPrice,pnl,boughtTimestamp,soldTimestamp,duration
//! ```
//!
//! - One row per matched pair; a partially closed fill appears in several rows. Each row
//!   becomes **two fills**: a buy of `qty` at `buyPrice` at `boughtTimestamp` and a sell of
//!   `qty` at `sellPrice` at `soldTimestamp`, with ids
//!   `tradovate-perf:<buyFillId>:<sellFillId>:buy` / `:sell` and the row key suffixed
//!   `buy` / `sell`. A short (sold before bought) needs nothing special: the fills' times put
//!   the sell first and matching sees a short.
//! - Times are local, `MM/DD/YYYY HH:MM:SS`, no zone: read in the account zone.
//! - `pnl` is gross (`$80.00`, `$(10.00)`); there are no fees, so both fills carry 0. The
//!   parser recomputes `(sellPrice − buyPrice) × qty × point value`, rounded half-to-even to
//!   the cent (the rounding the sample uses, e.g. 1/64 × 1000 = 15.625 → `$15.62`), and logs a
//!   warning when it differs from `pnl` (a hint that the contract table or a price is off).
//! - `duration` (`1h 28min 12sec`, `4min ` with a trailing space) is ignored.
//! - The deltalytix sample carries 8 empty trailing columns on every line and 372 all-empty
//!   `,,,,` rows at the end; empty header cells are ignored and blank rows produce no outcome.
//!
//! ## Prices in 32nds (`_priceFormatType` `1`)
//!
//! Treasury futures (`_priceFormat` `5`, `_priceFormatType` `1`) write prices as whole
//! points, a space, and the 32nds: `110 040` = 110 + 04.0/32 = 110.125, `110 045` = 110 +
//! 4.5/32 = 110.140625 (ZN, tick 1/64), and with two digits `123 25` = 123 + 25/32 (ZB, tick
//! 1/32, seen in the deltalytix file). With three digits the last one is the fraction of a
//! 32nd in CME's truncated notation: `0` → 0, `5` → ½ — the only digits in the corpus — and,
//! for contracts quoted in quarter or eighth 32nds (ZF, ZT; not in the corpus), `2` → ¼,
//! `7` → ¾, `1` → ⅛, `3` → ⅜, `6` → ⅝, `8` → ⅞. Digits `4` and `9` and 32nds ≥ 32 are
//! rejected, and so is a decoded price that is not a multiple of `_tickSize` when the row
//! gives one. [`parse_price_32nds`] does the decoding exactly with `Decimal` (k/32 and its
//! eighths are finite decimals). A cell with no space is read as a plain decimal, and a cell
//! with an inner space is always read as 32nds, whatever `_priceFormatType` says, so a
//! Treasury price can never be misread as `110040`.

use chrono::{DateTime, NaiveDateTime, Utc};
use csv::StringRecord;
use rust_decimal::{Decimal, RoundingStrategy};
use std::io::Read;
use std::str::FromStr;
use tradebook_core::{Instrument, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Tradovate Fills export (Account → Fills → download): one row per execution.
#[derive(Debug, Clone, Copy, Default)]
pub struct TradovateFills;

/// Tradovate Performance export (Account → Performance → download): one row per matched
/// buy/sell pair, expanded into its two fills.
#[derive(Debug, Clone, Copy, Default)]
pub struct TradovatePerformance;

/// Local time layouts of the `Timestamp` / `boughtTimestamp` / `soldTimestamp` cells.
const LOCAL_FORMATS: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S"];

/// Layouts of the UTC `_timestamp` cell (`%.f` also accepts no fraction).
const UTC_FORMATS: &[&str] = &["%Y-%m-%d %H:%M:%S%.fZ", "%Y-%m-%dT%H:%M:%S%.fZ"];

const PERFORMANCE_COLUMNS: &[&str] = &[
    "symbol",
    "buyFillId",
    "sellFillId",
    "qty",
    "buyPrice",
    "sellPrice",
    "boughtTimestamp",
    "soldTimestamp",
];

impl Format for TradovateFills {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradovate-fills",
            name: "Tradovate Fills",
            platform: "Tradovate",
            description: "Tradovate fills export (Account → Fills, download CSV): one row per execution, with fill ids and commissions.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        &["_id", "_orderId", "_contractId", "_timestamp", "Fill ID"]
    }

    fn detect(&self, head: &[&str]) -> bool {
        let Some(header) = text::first_line(head) else {
            return false;
        };
        header.starts_with("_id,_orderId,_contractId,_timestamp")
            && text::split_csv_line(header).iter().any(|c| c == "Fill ID")
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: &[&[&str]] = &[
            &["B/S", "_action"],
            &["Quantity", "_qty"],
            &["_price", "Price"],
            &["_timestamp", "Timestamp"],
            &["Contract"],
            &["Fill ID", "_id"],
        ];
        text::parse_table(input, ctx, required, sink, &mut |cols, line, record| {
            outcome(line, read_fill(cols, record, ctx))
        })
    }
}

impl Format for TradovatePerformance {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradovate-performance",
            name: "Tradovate Performance",
            platform: "Tradovate",
            description: "Tradovate performance export (Account → Performance, download CSV): one row per matched buy/sell pair, no fees.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        PERFORMANCE_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        let Some(header) = text::first_line(head) else {
            return false;
        };
        let cells = text::split_csv_line(header);
        PERFORMANCE_COLUMNS.iter().all(|name| cells.iter().any(|c| c == name))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = PERFORMANCE_COLUMNS.iter().map(std::slice::from_ref).collect();
        text::parse_table(input, ctx, &required, sink, &mut |cols, line, record| {
            outcome(line, read_pair(cols, record, ctx))
        })
    }
}

/// A row's outcome from what its reader returned (`Err` = rejected with that reason).
fn outcome(line: u64, read: Result<Read1, String>) -> RowOutcome {
    match read {
        Ok(Read1::Fills(fills)) => RowOutcome::Fills { line, fills },
        Ok(Read1::Skip(reason)) => RowOutcome::Skipped { line, reason },
        Err(reason) => RowOutcome::Rejected { line, reason },
    }
}

/// What a readable row gives.
enum Read1 {
    Fills(Vec<RawFill>),
    Skip(String),
}

fn read_fill(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    if cols.get(record, "_active").eq_ignore_ascii_case("false") {
        return Ok(Read1::Skip("inactive fill (`_active` is false)".to_string()));
    }
    let fill_id = [cols.get(record, "Fill ID"), cols.get(record, "_id")]
        .into_iter()
        .find(|id| !id.is_empty())
        .ok_or("Fill ID is empty")?;

    let side = match cols.get(record, "B/S") {
        "" => match cols.get(record, "_action") {
            "0" => Side::Buy,
            "1" => Side::Sell,
            "" => return Err("B/S and _action are empty".to_string()),
            other => return Err(format!("_action `{other}` is not 0 (buy) or 1 (sell)")),
        },
        bs => Side::parse(bs).ok_or_else(|| format!("B/S `{bs}` is not Buy or Sell"))?,
    };

    let qty_col = cols.pick(&["Quantity", "_qty"]).unwrap_or("Quantity");
    let quantity = text::quantity_cell(qty_col, cols.get(record, qty_col))?;

    let price = match cols.get(record, "_price") {
        "" => price_cell(cols, record, "Price")?,
        raw => text::number_cell("_price", raw)?,
    };

    let executed_at = match cols.get(record, "_timestamp") {
        "" => text::local_time_cell("Timestamp", cols.get(record, "Timestamp"), LOCAL_FORMATS, ctx.tz)?.1,
        raw => parse_utc(raw).ok_or_else(|| format!("_timestamp `{raw}` is not a UTC time"))?,
    };

    let instrument = future(cols.get(record, "Contract"), executed_at, ctx)?;
    let fees = text::fee_cell("commission", cols.get(record, "commission"))?;

    Ok(Read1::Fills(vec![RawFill {
        instrument,
        side,
        quantity,
        price,
        fees,
        executed_at,
        source_tz: ctx.tz,
        execution_id: Some(format!("tradovate:{fill_id}")),
        position_effect: None,
        row_key: text::row_key(record),
    }]))
}

fn read_pair(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let buy_id = required(cols, record, "buyFillId")?;
    let sell_id = required(cols, record, "sellFillId")?;
    let quantity = text::quantity_cell("qty", cols.get(record, "qty"))?;
    let buy_price = price_cell(cols, record, "buyPrice")?;
    let sell_price = price_cell(cols, record, "sellPrice")?;
    let (_, bought_at) = text::local_time_cell(
        "boughtTimestamp",
        cols.get(record, "boughtTimestamp"),
        LOCAL_FORMATS,
        ctx.tz,
    )?;
    let (_, sold_at) = text::local_time_cell(
        "soldTimestamp",
        cols.get(record, "soldTimestamp"),
        LOCAL_FORMATS,
        ctx.tz,
    )?;
    let instrument = future(cols.get(record, "symbol"), bought_at.min(sold_at), ctx)?;

    let pnl_cell = cols.get(record, "pnl");
    let computed = sell_price
        .checked_sub(buy_price)
        .and_then(|d| d.checked_mul(quantity))
        .and_then(|d| d.checked_mul(instrument.multiplier))
        .map(|d| d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven));
    if let (Some(pnl), Some(computed)) = (text::parse_decimal(pnl_cell), computed) {
        if computed != pnl {
            tracing::warn!(
                file = %ctx.file_name,
                pnl = %pnl_cell,
                %computed,
                symbol = %instrument.symbol,
                "Tradovate performance row: pnl differs from (sellPrice − buyPrice) × qty × point value"
            );
        }
    }

    let key = text::row_key(record);
    // The earlier of the two fills opened the round trip (a short sells first).
    let effect = |at: DateTime<Utc>, other: DateTime<Utc>| {
        Some(if at <= other {
            PositionEffect::Open
        } else {
            PositionEffect::Close
        })
    };
    let fill = |side: Side, price: Decimal, at: DateTime<Utc>, tag: &str, position_effect| RawFill {
        instrument: instrument.clone(),
        side,
        quantity,
        price,
        fees: Decimal::ZERO,
        executed_at: at,
        source_tz: ctx.tz,
        execution_id: Some(format!("tradovate-perf:{buy_id}:{sell_id}:{tag}")),
        position_effect,
        row_key: format!("{key}\u{1f}{tag}"),
    };
    Ok(Read1::Fills(vec![
        fill(Side::Buy, buy_price, bought_at, "buy", effect(bought_at, sold_at)),
        fill(Side::Sell, sell_price, sold_at, "sell", effect(sold_at, bought_at)),
    ]))
}

/// A cell that must not be empty.
fn required<'r>(cols: &Columns, record: &'r StringRecord, column: &str) -> Result<&'r str, String> {
    match cols.get(record, column) {
        "" => Err(format!("{column} is empty")),
        value => Ok(value),
    }
}

/// A price cell in the row's notation (see the module doc): 32nds when the cell has an inner
/// space, else a plain decimal.
fn price_cell(cols: &Columns, record: &StringRecord, column: &str) -> Result<Decimal, String> {
    let value = cols.get(record, column);
    if !value.contains(char::is_whitespace) {
        return text::number_cell(column, value);
    }
    let price = parse_price_32nds(value).ok_or_else(|| {
        format!("{column} `{value}` is not a price in 32nds (points, a space, 32nds with an optional fraction digit, e.g. `110 045`)")
    })?;
    if let Some(tick) = text::parse_decimal(cols.get(record, "_tickSize")).filter(|t| *t > Decimal::ZERO) {
        if !price.checked_rem(tick).is_some_and(|r| r.is_zero()) {
            return Err(format!(
                "{column} `{value}` decodes to {price}, which is not a multiple of the tick size {tick}"
            ));
        }
    }
    Ok(price)
}

/// Decodes a Treasury price in 32nds as Tradovate writes it (`_priceFormatType` `1`):
/// `110 045` → 110 + 4.5/32 = 110.140625, `123 25` → 123 + 25/32, `110` → 110.
///
/// Whole points, one space, then two digits of 32nds (00–31) and an optional third digit
/// giving the fraction of a 32nd in CME's truncated notation (0 → 0, 1 → ⅛, 2 → ¼, 3 → ⅜,
/// 5 → ½, 6 → ⅝, 7 → ¾, 8 → ⅞). `None` for anything else. Exact: every value is a
/// multiple of 1/256, a finite decimal.
pub fn parse_price_32nds(cell: &str) -> Option<Decimal> {
    let cell = cell.trim();
    let (whole, frac) = match cell.split_once(char::is_whitespace) {
        Some((whole, frac)) => (whole, frac.trim()),
        None => (cell, ""),
    };
    if whole.is_empty() || whole.len() > 12 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = Decimal::from_str(whole).ok()?;
    if frac.is_empty() {
        return Some(whole);
    }
    let (tens, ones, fraction) = match frac.as_bytes() {
        [tens, ones] => (*tens, *ones, None),
        [tens, ones, fraction] => (*tens, *ones, Some(*fraction)),
        _ => return None,
    };
    if !tens.is_ascii_digit() || !ones.is_ascii_digit() {
        return None;
    }
    let thirty_seconds = u32::from(tens - b'0') * 10 + u32::from(ones - b'0');
    if thirty_seconds >= 32 {
        return None;
    }
    // Eighths of a 32nd for the third digit.
    let eighths: u32 = match fraction {
        None | Some(b'0') => 0,
        Some(b'1') => 1,
        Some(b'2') => 2,
        Some(b'3') => 3,
        Some(b'5') => 4,
        Some(b'6') => 5,
        Some(b'7') => 6,
        Some(b'8') => 7,
        Some(_) => return None,
    };
    let in_256ths = Decimal::from(thirty_seconds * 8 + eighths);
    Some(whole + in_256ths / Decimal::from(256))
}

/// `_timestamp`: UTC with a trailing `Z`, or RFC 3339.
fn parse_utc(cell: &str) -> Option<DateTime<Utc>> {
    UTC_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(cell, f).ok())
        .map(|naive| naive.and_utc())
        .or_else(|| DateTime::parse_from_rfc3339(cell).ok().map(|t| t.with_timezone(&Utc)))
}

/// The futures instrument of a contract code, or the table's reason.
fn future(symbol: &str, at: DateTime<Utc>, ctx: &ParseContext<'_>) -> Result<Instrument, String> {
    if symbol.is_empty() {
        return Err("Contract is empty".to_string());
    }
    let local_date = at.with_timezone(&ctx.tz).date_naive();
    ctx.contracts.future(symbol, local_date).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const HAMTARO_FILLS: &str = "tradovate/hamtaro777-fills.csv";
    const HAMTARO_PERF: &str = "tradovate/hamtaro777-performance.csv";
    const STEPHEN_PERF: &str = "tradovate/stephenkgli-performance.csv";
    const DELTALYTIX_PERF: &str = "tradovate/deltalytix-performance-ZN-32nds.csv";

    fn detected(rel: &str) -> &'static str {
        let lines = head(rel);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        detect(&refs).map(|f| f.id()).unwrap_or("none")
    }

    struct Totals {
        trades: usize,
        closed: usize,
        gross: Decimal,
        fees: Decimal,
        net: Decimal,
    }

    fn totals(parsed: &crate::formats::Parsed) -> Totals {
        let trips = round_trips(parsed);
        Totals {
            trades: trips.len(),
            closed: trips.iter().filter(|t| t.status == TradeStatus::Closed).count(),
            gross: trips.iter().map(|t| t.gross_pnl).sum(),
            fees: trips.iter().map(|t| t.fees).sum(),
            net: trips.iter().map(|t| t.net_pnl).sum(),
        }
    }

    /// Σ of the `pnl` column, read independently of the parser.
    fn pnl_column(rel: &str) -> Decimal {
        let mut rdr = csv::Reader::from_path(fixture(rel)).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let at = headers.iter().position(|h| h == "pnl").unwrap();
        rdr.records().filter_map(|r| text::parse_decimal(&r.unwrap()[at])).sum()
    }

    #[test]
    fn detects_each_sample() {
        assert_eq!(detected(HAMTARO_FILLS), "tradovate-fills");
        for rel in [HAMTARO_PERF, STEPHEN_PERF, DELTALYTIX_PERF] {
            assert_eq!(detected(rel), "tradovate-performance", "{rel}");
        }
        // The Orders export is neither.
        let lines = head("tradovate/hamtaro777-orders.csv");
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(!TradovateFills.detect(&refs));
        assert!(!TradovatePerformance.detect(&refs));
    }

    /// hamtaro777 Fills (20 rows, account in UTC+9 — `Timestamp` 15:34:46 is `_timestamp`
    /// 06:34:46Z). Expected values from the file: 20 fills; fees = 2 NQ fills × 0.79 +
    /// 18 MES fills × 0.25 = 6.08; gross = the Σ pnl of the same account's Performance file
    /// (136.25, see `hamtaro_fills_equal_performance`); 4 round trips (an independent FIFO
    /// over the rows in python: NQ short 1, then three flat-to-flat MES sequences).
    #[test]
    fn hamtaro_fills() {
        let tz = chrono_tz::Asia::Tokyo;
        let parsed = parse_fixture(&TradovateFills, HAMTARO_FILLS, tz);
        assert_eq!(parsed.rows, 20);
        assert_eq!(parsed.fills.len(), 20);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument.symbol, "NQH26");
        assert_eq!(first.instrument.multiplier, dec!(20));
        assert_eq!(first.side, Side::Sell);
        assert_eq!(first.price, dec!(25271.0));
        assert_eq!(first.fees, dec!(0.79));
        assert_eq!(first.executed_at.to_rfc3339(), "2026-02-11T06:34:46.772+00:00");
        assert_eq!(first.execution_id.as_deref(), Some("tradovate:393570670781"));
        let t = totals(&parsed);
        assert_eq!((t.trades, t.closed), (4, 4));
        assert_eq!(t.gross, dec!(136.25));
        assert_eq!(t.fees, dec!(6.08));
        assert_eq!(t.net, dec!(130.17));
    }

    #[test]
    fn hamtaro_fills_equal_performance() {
        let tz = chrono_tz::Asia::Tokyo;
        let fills = totals(&parse_fixture(&TradovateFills, HAMTARO_FILLS, tz));
        let perf = totals(&parse_fixture(&TradovatePerformance, HAMTARO_PERF, tz));
        assert_eq!(pnl_column(HAMTARO_PERF), dec!(136.25));
        assert_eq!(fills.gross, pnl_column(HAMTARO_PERF));
        assert_eq!(perf.gross, pnl_column(HAMTARO_PERF));
    }

    /// The Performance rows' fill ids are the Fills export's `Fill ID`s and the times agree
    /// (to the second) in the account zone.
    #[test]
    fn hamtaro_performance_matches_fills() {
        let tz = chrono_tz::Asia::Tokyo;
        let fills = parse_fixture(&TradovateFills, HAMTARO_FILLS, tz);
        let perf = parse_fixture(&TradovatePerformance, HAMTARO_PERF, tz);
        assert_eq!(perf.fills.len(), 20);
        for (_, pf) in &perf.fills {
            let id = pf.execution_id.as_deref().unwrap();
            let parts: Vec<&str> = id.split(':').collect();
            let fill_id = if parts[3] == "buy" { parts[1] } else { parts[2] };
            let (_, f) = fills
                .fills
                .iter()
                .find(|(_, f)| f.execution_id.as_deref() == Some(&format!("tradovate:{fill_id}")))
                .unwrap_or_else(|| panic!("no fill {fill_id}"));
            assert_eq!(f.side, pf.side);
            assert_eq!(f.price, pf.price);
            assert_eq!(f.instrument, pf.instrument);
            assert_eq!(f.executed_at.timestamp(), pf.executed_at.timestamp(), "{id}");
        }
    }

    /// hamtaro777 Performance: 10 rows → 20 fills; gross = Σ pnl = 136.25 (python over the
    /// file); no fees; 4 round trips (FIFO in python over the 20 synthesized fills).
    #[test]
    fn hamtaro_performance() {
        let parsed = parse_fixture(&TradovatePerformance, HAMTARO_PERF, chrono_tz::Asia::Tokyo);
        assert_eq!(parsed.rows, 10);
        assert_eq!(parsed.fills.len(), 20);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (_, buy) = &parsed.fills[0];
        assert_eq!(
            buy.execution_id.as_deref(),
            Some("tradovate-perf:393570670790:393570670781:buy")
        );
        assert_eq!(buy.executed_at.to_rfc3339(), "2026-02-11T07:10:55+00:00");
        let t = totals(&parsed);
        assert_eq!((t.trades, t.closed), (4, 4));
        assert_eq!(t.gross, pnl_column(HAMTARO_PERF));
        assert_eq!(t.gross, dec!(136.25));
        assert_eq!(t.fees, Decimal::ZERO);
        assert_eq!(t.net, dec!(136.25));
    }

    /// stephenkgli Performance: 221 MES rows (times 21:00–01:00 local: an account in UTC+8,
    /// so Asia/Shanghai) → 442 fills; Σ pnl = −140.00 (python); 218 round trips (python
    /// FIFO: three pairs overlap in time and merge with a neighbour).
    #[test]
    fn stephenkgli_performance() {
        let parsed = parse_fixture(&TradovatePerformance, STEPHEN_PERF, chrono_tz::Asia::Shanghai);
        assert_eq!(parsed.rows, 221);
        assert_eq!(parsed.fills.len(), 442);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let t = totals(&parsed);
        assert_eq!((t.trades, t.closed), (218, 218));
        assert_eq!(pnl_column(STEPHEN_PERF), dec!(-140.00));
        assert_eq!(t.gross, pnl_column(STEPHEN_PERF));
        assert_eq!(t.net, dec!(-140.00));
    }

    /// deltalytix Performance (ZN/ZB in 32nds, Paris-time account): 273 data rows (the 372
    /// all-empty rows after them are blank lines, not rows) → 546 fills, 223 round trips
    /// (python FIFO). Exact gross = Σ (sell − buy) × qty × 1000 = 5421.875 (python with
    /// `Decimal`); the broker's `pnl` column is that per row rounded half-to-even to the cent,
    /// so its sum is 5421.71 — checked row by row below.
    #[test]
    fn deltalytix_performance_32nds() {
        let parsed = parse_fixture(&TradovatePerformance, DELTALYTIX_PERF, chrono_tz::Europe::Paris);
        assert_eq!(parsed.rows, 273);
        assert_eq!(parsed.fills.len(), 546);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (_, first) = &parsed.fills[0];
        assert_eq!(first.price, dec!(110.125));
        assert_eq!(parsed.fills[1].1.price, dec!(110.140625));
        assert_eq!(first.instrument.multiplier, dec!(1000));
        let t = totals(&parsed);
        assert_eq!((t.trades, t.closed), (223, 223));
        assert_eq!(t.gross, dec!(5421.875));
        assert_eq!(t.net, dec!(5421.875));
        assert_eq!(pnl_column(DELTALYTIX_PERF), dec!(5421.71));

        // Row by row: (sellPrice − buyPrice) × qty × point value, rounded half-to-even to the
        // cent, is the broker's pnl — this checks the 32nds decoding of every price.
        let mut rdr = csv::Reader::from_path(fixture(DELTALYTIX_PERF)).unwrap();
        let pnl: Vec<Decimal> = rdr
            .records()
            .filter_map(|r| text::parse_decimal(&r.unwrap()[9]))
            .collect();
        assert_eq!(pnl.len(), 273);
        let mut exact_sum = Decimal::ZERO;
        for (pair, want) in parsed.fills.chunks(2).zip(&pnl) {
            let (buy, sell) = (&pair[0].1, &pair[1].1);
            let exact = (sell.price - buy.price) * buy.quantity * buy.instrument.multiplier;
            exact_sum += exact;
            assert_eq!(
                exact.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven),
                *want
            );
        }
        assert_eq!(exact_sum, t.gross);
        // Σ of the rounded column and the exact sum differ by less than half a cent a row.
        assert!((t.gross - pnl_column(DELTALYTIX_PERF)).abs() <= dec!(0.005) * Decimal::from(pnl.len()));
    }

    #[test]
    fn prices_in_32nds() {
        let cases = [
            ("110 040", Some(dec!(110.125))),
            ("110 045", Some(dec!(110.140625))),
            ("110 000", Some(dec!(110))),
            ("109 315", Some(dec!(109.984375))),
            ("123 25", Some(dec!(123.78125))),
            ("123 00", Some(dec!(123))),
            ("108 042", Some(dec!(108.1328125))),  // 4¼/32 (ZF quarter tick)
            ("108 047", Some(dec!(108.1484375))),  // 4¾/32
            ("108 041", Some(dec!(108.12890625))), // 4⅛/32 (ZT eighth tick)
            ("110", Some(dec!(110))),
            ("110 044", None),
            ("110 320", None),
            ("110 4", None),
            ("110 0450", None),
            ("110 04a", None),
            ("-110 040", None),
            ("", None),
            ("110.5 040", None),
        ];
        for (cell, want) in cases {
            assert_eq!(parse_price_32nds(cell), want, "{cell:?}");
        }
    }

    fn parse_text(format: &dyn Format, text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(format, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn performance_rows_rejected_with_reasons() {
        let header = "symbol,_priceFormat,_priceFormatType,_tickSize,buyFillId,sellFillId,qty,buyPrice,sellPrice,pnl,boughtTimestamp,soldTimestamp,duration\r\n";
        let rows = [
            "QQH6,-2,0,0.25,1,2,1,10.00,11.00,$1.00,02/11/2026 10:00:00,02/11/2026 10:01:00,1min\r\n",
            "ZNM4,5,1,0.015625,1,2,1,110 042,110 045,$0.00,02/11/2026 10:00:00,02/11/2026 10:01:00,1min\r\n",
            "MESH6,-2,0,0.25,1,2,1,abc,11.00,$1.00,02/11/2026 10:00:00,02/11/2026 10:01:00,1min\r\n",
            "MESH6,-2,0,0.25,1,2,0,10.00,11.00,$1.00,02/11/2026 10:00:00,02/11/2026 10:01:00,1min\r\n",
            "MESH6,-2,0,0.25,1,2,1,10.00,11.00,$1.00,03/08/2026 02:30:00,03/08/2026 03:01:00,1min\r\n",
            "MESH6,-2,0,0.25,1,2,1,10.00,11.00,$5.00,02/11/2026 10:00:00,02/11/2026 10:01:00,1min\r\n",
        ];
        let parsed = parse_text(&TradovatePerformance, &(header.to_string() + &rows.concat()));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            parsed.rejected.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6]
        );
        assert!(reasons[0].contains("unknown futures root `QQ`"), "{}", reasons[0]);
        assert!(
            reasons[1].contains("buyPrice `110 042`") && reasons[1].contains("tick size"),
            "{}",
            reasons[1]
        );
        assert_eq!(reasons[2], "buyPrice `abc` is not a number");
        assert_eq!(reasons[3], "qty `0` is not a positive quantity");
        assert!(
            reasons[4].starts_with("boughtTimestamp `03/08/2026 02:30:00` does not exist"),
            "{}",
            reasons[4]
        );
        assert_eq!(parsed.fills.len(), 2);
    }

    #[test]
    fn fills_columns_by_name_and_fallbacks() {
        // Reordered columns, no `_price`/`_timestamp`/`B/S`: falls back to Price (32nds),
        // Timestamp (local) and _action.
        let text = "Contract,commission,Price,Timestamp,_action,_qty,Fill ID,_tickSize\n\
                    ZNM4,1.29,110 045,02/27/2024 16:27:28,1,2,77,0.015625\n\
                    ZNM4,-1,110 045,02/27/2024 16:27:28,1,2,78,0.015625\n\
                    ZNM4,1,110 045,02/27/2024 16:27:28,2,2,79,0.015625\n";
        let parsed = parse_text(&TradovateFills, text);
        assert_eq!(parsed.fills.len(), 1);
        let (_, f) = &parsed.fills[0];
        assert_eq!(
            (f.side, f.quantity, f.price, f.fees),
            (Side::Sell, dec!(2), dec!(110.140625), dec!(1.29))
        );
        assert_eq!(f.executed_at.to_rfc3339(), "2024-02-27T21:27:28+00:00");
        assert_eq!(f.execution_id.as_deref(), Some("tradovate:77"));
        assert_eq!(
            parsed.rejected[0].1,
            "commission `-1` is negative; fees must be a cost ≥ 0"
        );
        assert_eq!(parsed.rejected[1].1, "_action `2` is not 0 (buy) or 1 (sell)");
    }

    #[test]
    fn missing_column_is_a_file_error() {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::UTC,
            contracts: &table,
        };
        let err = parse_all(&TradovatePerformance, &mut "symbol,qty\nNQH6,1\n".as_bytes(), &ctx).unwrap_err();
        assert!(
            err.to_string()
                .contains("t.csv:1: the header has no column `buyFillId`"),
            "{err}"
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let fills = std::fs::read(fixture(HAMTARO_FILLS)).unwrap();
        let perf = std::fs::read(fixture(DELTALYTIX_PERF)).unwrap();
        let fills_text = String::from_utf8_lossy(&fills).into_owned();
        let perf_text = String::from_utf8_lossy(&perf).into_owned();
        let f: Vec<&str> = fills_text.lines().take(2).collect();
        let p: Vec<&str> = perf_text.lines().take(2).collect();
        let (fills_rows, perf_rows) = ((f[0], f[1]), (p[0], p[1]));
        text::assert_never_panics(&TradovateFills, &fills[..fills.len().min(2048)], &[fills_rows]);
        text::assert_never_panics(&TradovatePerformance, &perf[..perf.len().min(2048)], &[perf_rows]);
        // Each format on the other's file.
        text::assert_never_panics(&TradovateFills, &perf[..perf.len().min(1024)], &[]);
        text::assert_never_panics(&TradovatePerformance, &fills[..fills.len().min(1024)], &[]);
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&TradovateFills, &[HAMTARO_FILLS]);
        text::assert_detects_only(&TradovatePerformance, &[HAMTARO_PERF, STEPHEN_PERF, DELTALYTIX_PERF]);
    }
}
