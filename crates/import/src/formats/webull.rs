//! Webull order records (stocks and options): one row per order, filled or not.
//!
//! Source: `shared/fixtures/FORMATS.md` § Webull order records and the samples
//! `webull/jonesjakeryan-orders-stocks-2025.csv` (943 stock orders, LF) and
//! `webull/mlyhoops-orders-options-2022.csv` (379 option orders, CRLF).
//!
//! ```text
//! Name,Symbol,Side,Status,Filled,Total Qty,Price,Avg Price,Time-in-Force,Placed Time,Filled Time
//! ```
//!
//! - Detected by a header with `Symbol`, `Side`, `Status`, `Filled`, `Total Qty`,
//!   `Avg Price`, `Placed Time` and `Filled Time`; columns are found by name.
//! - Rows are newest first. An order with something filled is one fill: quantity =
//!   `Filled`, price = `Avg Price` (the average fill price; `Price` is the order's limit,
//!   `@33.10`, `@Market`, and is not used), time = `Filled Time`. That includes orders whose
//!   `Status` is `Cancelled` but with `Filled` > 0 and an `Avg Price` — partial fills of an
//!   order cancelled afterwards (6 rows of the stock sample, e.g. EDV 35 of 40).
//! - An order with `Filled` 0 or empty (cancelled, failed, working) is **skipped**, whatever
//!   its status.
//! - `Side` `Buy` → buy; `Sell` and `Short` (a sale that opens a short) → sell; `Cover` /
//!   `Buy to Cover` (not in the corpus) → buy. Open/close is left to matching.
//! - Times `MM/DD/YYYY HH:MM:SS EDT` name the zone by abbreviation; it wins over the account
//!   zone and is mapped to its fixed offset by [`zone_offset_hours`] (EDT −4, EST −5, CDT −5,
//!   CST −6, …). An unknown abbreviation rejects the row; a time without one is read in the
//!   account zone.
//! - No fee columns: fees are 0. No execution id: `execution_id` is `None` and the row key is
//!   the row's normalized cells.
//!
//! # Instruments
//!
//! - Stocks: `Symbol` is the ticker (`DKNG`), `Name` the company.
//! - Options: `Symbol` holds an unpadded OCC code (`SPY220930C00364000`: root, `YYMMDD`,
//!   `C`/`P`, strike × 1000 in 8 digits) on 4 rows of the sample, but on the other 375 it
//!   repeats `Name`, a description `SPY 09/23/2022 00:00:00 EDT Call $371.00` (root, expiry
//!   date, a midnight time and zone, right, strike). Both spellings give the same OCC symbol
//!   ([`option_from_description`] rebuilds it), so the same contract is one instrument;
//!   multiplier 100.
//! - The newer options layout (FORMATS.md; no sample) puts the OCC code in `Name`, and writes
//!   a multi-leg order as a strategy row (`ADBE Vertical`, empty `Symbol`, net price)
//!   followed by leg rows with an empty `Name`. Instruments are therefore looked for in
//!   `Symbol` then `Name`, as an OCC code then as a description, and only then is `Symbol`
//!   taken as a stock ticker. A strategy row (empty `Symbol`, a `Name` with a strategy word
//!   such as Vertical, Straddle, Condor) is skipped: its legs are the fills.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, OptionRight, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Webull order records export (Orders → Order records → export), stocks or options.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebullOrders;

const DETECT_COLUMNS: &[&str] = &[
    "Symbol",
    "Side",
    "Status",
    "Filled",
    "Total Qty",
    "Avg Price",
    "Placed Time",
    "Filled Time",
];

const REQUIRED: &[&[&str]] = &[&["Symbol"], &["Side"], &["Filled"], &["Avg Price"], &["Filled Time"]];

/// Words naming a multi-leg strategy in the `Name` of a strategy row.
const STRATEGY_WORDS: &[&str] = &[
    "vertical",
    "straddle",
    "strangle",
    "butterfly",
    "condor",
    "calendar",
    "diagonal",
    "collar",
    "covered",
    "spread",
    "ratio",
    "custom",
    "combo",
    "iron",
];

/// Standard multiplier of an equity option.
const OPTION_MULTIPLIER: i64 = 100;

impl Format for WebullOrders {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "webull-orders",
            name: "Webull Orders",
            platform: "Webull",
            description: "Webull order records (Orders, export): one row per order; filled orders become fills, stocks and options.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        DETECT_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        let Some(header) = head
            .iter()
            .map(|l| crate::formats::strip_bom(l).trim())
            .find(|l| !l.is_empty())
        else {
            return false;
        };
        let cells = text::split_csv_line(header);
        DETECT_COLUMNS.iter().all(|name| cells.iter().any(|c| c == name))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        text::parse_table(
            input,
            ctx,
            REQUIRED,
            sink,
            &mut |cols, line, record| match read_row(cols, record, ctx) {
                Ok(Ok(fill)) => RowOutcome::Fills {
                    line,
                    fills: vec![fill],
                },
                Ok(Err(reason)) => RowOutcome::Skipped { line, reason },
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

/// `Ok(Ok(fill))`, `Ok(Err(skip reason))` or `Err(reject reason)`.
fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Result<RawFill, String>, String> {
    let status = cols.get(record, "Status");
    let symbol = cols.get(record, "Symbol");
    let name = cols.get(record, "Name");

    let filled = match cols.get(record, "Filled") {
        "" => Decimal::ZERO,
        cell => text::number_cell("Filled", cell)?,
    };
    let instrument = instrument(symbol, name);
    if instrument.is_none() && symbol.is_empty() && is_strategy_name(name) {
        return Ok(Err(format!("multi-leg strategy row `{name}` (its legs are the fills)")));
    }
    if filled.is_zero() {
        return Ok(Err(format!("order not filled (Status `{status}`, Filled 0)")));
    }
    if filled < Decimal::ZERO {
        return Err(format!("Filled `{}` is negative", cols.get(record, "Filled")));
    }
    let instrument = instrument.ok_or_else(|| match symbol {
        "" => "Symbol is empty".to_string(),
        _ => format!("Symbol `{symbol}` is not a ticker or an option"),
    })?;

    let side_cell = cols.get(record, "Side");
    let side = match side_cell.to_ascii_lowercase().as_str() {
        "buy" | "cover" | "buy to cover" => Side::Buy,
        "sell" | "short" | "sell short" => Side::Sell,
        _ => return Err(format!("Side `{side_cell}` is not Buy, Sell or Short")),
    };
    let price = text::number_cell("Avg Price", cols.get(record, "Avg Price"))?;
    let executed_at = time_cell("Filled Time", cols.get(record, "Filled Time"), ctx)?;

    Ok(Ok(RawFill {
        instrument,
        side,
        quantity: filled,
        price,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        // `Short` is a sale that opens a short; Buy and Sell do not say.
        position_effect: side_cell.eq_ignore_ascii_case("short").then_some(PositionEffect::Open),
        row_key: text::row_key(record),
    }))
}

/// The instrument named by a row: an OCC code or an option description in `Symbol` or
/// `Name`, else `Symbol` as a stock ticker.
fn instrument(symbol: &str, name: &str) -> Option<Instrument> {
    let option = [symbol, name]
        .into_iter()
        .find_map(|cell| text::parse_occ_symbol(cell).or_else(|| option_from_description(cell)));
    if let Some((root, expiry, right, strike)) = option {
        let occ = text::occ_symbol(&root, expiry, right, strike)?;
        return Some(Instrument::option(
            occ,
            root,
            expiry,
            strike,
            right,
            Decimal::from(OPTION_MULTIPLIER),
        ));
    }
    let ticker_like = !symbol.is_empty()
        && !symbol.contains(char::is_whitespace)
        && symbol
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/'));
    ticker_like.then(|| Instrument::stock(symbol))
}

/// Reads Webull's option description `SPY 09/30/2022 00:00:00 EDT Call $364.00`: root,
/// expiry date (`MM/DD/YYYY`; the time and zone after it are ignored), `Call`/`Put`, and the
/// strike as the last word.
pub fn option_from_description(cell: &str) -> Option<(String, NaiveDate, OptionRight, Decimal)> {
    let words: Vec<&str> = cell.split_whitespace().collect();
    let (root, date, strike) = match words.as_slice() {
        [root, date, .., strike] if words.len() >= 4 => (*root, *date, *strike),
        _ => return None,
    };
    if !root.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let expiry = NaiveDate::parse_from_str(date, "%m/%d/%Y").ok()?;
    let right = words
        .iter()
        .skip(2)
        .find_map(|w| match w.to_ascii_lowercase().as_str() {
            "call" => Some(OptionRight::Call),
            "put" => Some(OptionRight::Put),
            _ => None,
        })?;
    let strike = text::parse_decimal(strike).filter(|s| *s > Decimal::ZERO)?;
    Some((root.to_string(), expiry, right, strike.normalize()))
}

/// Whether a `Name` names a multi-leg strategy (`ADBE Vertical`).
fn is_strategy_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.split_whitespace().any(|w| STRATEGY_WORDS.contains(&w))
}

/// UTC offset in hours of the US (and a few other unambiguous) zone abbreviations Webull
/// writes after its times. `None` for anything else.
pub fn zone_offset_hours(abbreviation: &str) -> Option<i32> {
    Some(match abbreviation.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "EDT" => -4,
        "EST" => -5,
        "CDT" => -5,
        "CST" => -6,
        "MDT" => -6,
        "MST" => -7,
        "PDT" => -7,
        "PST" => -8,
        "AKDT" => -8,
        "AKST" => -9,
        "HST" => -10,
        "CET" => 1,
        "CEST" => 2,
        "HKT" | "SGT" => 8,
        "JST" => 9,
        _ => return None,
    })
}

/// `MM/DD/YYYY HH:MM:SS EDT`: the abbreviation's fixed offset wins; without a zone the time
/// is read in the account zone.
fn time_cell(column: &str, value: &str, ctx: &ParseContext<'_>) -> Result<DateTime<Utc>, String> {
    const FORMATS: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"];
    let (clock, zone) = match value.rsplit_once(' ') {
        Some((clock, zone)) if zone.chars().all(|c| c.is_ascii_alphabetic()) => (clock.trim(), Some(zone)),
        _ => (value, None),
    };
    let Some(zone) = zone else {
        return text::local_time_cell(column, value, FORMATS, ctx.tz).map(|(_, utc)| utc);
    };
    let hours =
        zone_offset_hours(zone).ok_or_else(|| format!("{column} `{value}` has an unknown time zone `{zone}`"))?;
    let naive =
        text::parse_naive(clock, FORMATS).ok_or_else(|| format!("{column} `{value}` is not a date and time"))?;
    let offset = FixedOffset::east_opt(hours * 3600).ok_or_else(|| format!("{column} `{value}`: bad offset"))?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{column} `{value}` is not a valid time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, TradeStatus};

    const STOCKS: &str = "webull/jonesjakeryan-orders-stocks-2025.csv";
    const OPTIONS: &str = "webull/mlyhoops-orders-options-2022.csv";

    #[test]
    fn detects_both_samples() {
        for rel in [STOCKS, OPTIONS] {
            let lines = head(rel);
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            assert!(WebullOrders.detect(&refs), "{rel}");
            assert_eq!(detect(&refs).map(|f| f.id()), Some("webull-orders"), "{rel}");
        }
    }

    /// jonesjakeryan stocks: 943 orders. Python over the file: 840 rows with Filled > 0
    /// (834 `Filled` + 6 `Cancelled` partial fills), 103 with Filled 0 (skipped). An
    /// independent python FIFO (per symbol, by Filled Time with its EDT/EST offset) gives
    /// 256 round trips, 239 closed, gross 1565.30 (17 positions are still open at the end of
    /// the export or were opened before it); no fees, so net = gross.
    #[test]
    fn stocks_sample() {
        let parsed = parse_fixture(&WebullOrders, STOCKS, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 943);
        assert_eq!(parsed.fills.len(), 840);
        assert_eq!(parsed.skipped.len(), 103);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument, Instrument::stock("DKNG"));
        assert_eq!(
            (first.side, first.quantity, first.price),
            (Side::Buy, dec!(100), dec!(33.10))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2025-10-24T16:17:43+00:00");
        assert_eq!(first.execution_id, None);
        assert!(first.row_key.starts_with("Draftkings Inc\u{1f}DKNG\u{1f}Buy"));
        // `Short` is a sell.
        assert_eq!(parsed.fills[1].1.side, Side::Sell);
        // A cancelled order with a partial fill is a fill of the filled part.
        let edv: Vec<_> = parsed
            .fills
            .iter()
            .filter(|(_, f)| f.instrument.symbol == "EDV")
            .collect();
        assert!(edv
            .iter()
            .any(|(_, f)| f.quantity == dec!(35) && f.price == dec!(68.45)));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 256);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 239);
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross, dec!(1565.30));
        assert_eq!(net, dec!(1565.30));
    }

    /// mlyhoops options: 379 orders, 351 filled, 28 cancelled with Filled 0 (python). 375
    /// rows spell the contract as a description and 4 as an OCC code; python rebuilt the OCC
    /// code from every description and found the 4 OCC cells equal to their rebuilt code.
    /// FIFO in python (×100): 142 round trips, all closed, gross 22331.96; no fees.
    #[test]
    fn options_sample() {
        let parsed = parse_fixture(&WebullOrders, OPTIONS, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 379);
        assert_eq!(parsed.fills.len(), 351);
        assert_eq!(parsed.skipped.len(), 28);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let (_, first) = &parsed.fills[0];
        assert_eq!(first.instrument.symbol, "SPY220930C00364000");
        assert_eq!(first.instrument.asset_class, AssetClass::Option);
        assert_eq!(first.instrument.multiplier, dec!(100));
        assert_eq!(first.instrument.strike, Some(dec!(364)));
        assert_eq!(first.instrument.expiry, NaiveDate::from_ymd_opt(2022, 9, 30));
        // A description row gives the same instrument as an OCC row.
        let (_, desc) = &parsed.fills[4];
        assert_eq!(desc.instrument.symbol, "SPY220923C00371000");
        assert_eq!(desc.instrument.underlying.as_deref(), Some("SPY"));
        // EST rows (winter) are UTC−5.
        let lthm = parsed
            .fills
            .iter()
            .find(|(_, f)| f.instrument.symbol == "LTHM210716C00025000")
            .unwrap();
        assert_eq!(lthm.1.executed_at.to_rfc3339(), "2021-01-29T20:55:46+00:00");

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 142);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        assert_eq!(gross, dec!(22331.96));
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(22331.96));
    }

    #[test]
    fn zone_abbreviations() {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t".into(),
            tz: chrono_tz::Asia::Tokyo,
            contracts: &table,
        };
        let t = |s: &str| time_cell("Filled Time", s, &ctx).map(|t| t.to_rfc3339());
        assert_eq!(t("10/24/2025 12:17:43 EDT").unwrap(), "2025-10-24T16:17:43+00:00");
        assert_eq!(t("01/06/2025 16:27:15 EST").unwrap(), "2025-01-06T21:27:15+00:00");
        assert_eq!(t("01/06/2025 16:27:15 CST").unwrap(), "2025-01-06T22:27:15+00:00");
        assert_eq!(t("07/06/2025 16:27:15 cdt").unwrap(), "2025-07-06T21:27:15+00:00");
        // No zone: the account zone (Tokyo, UTC+9).
        assert_eq!(t("01/06/2025 16:27:15").unwrap(), "2025-01-06T07:27:15+00:00");
        assert_eq!(
            t("01/06/2025 16:27:15 XYZ").unwrap_err(),
            "Filled Time `01/06/2025 16:27:15 XYZ` has an unknown time zone `XYZ`"
        );
        assert_eq!(
            t("13/06/2025 16:27:15 EST").unwrap_err(),
            "Filled Time `13/06/2025 16:27:15 EST` is not a date and time"
        );
        assert_eq!(zone_offset_hours("PDT"), Some(-7));
        assert_eq!(zone_offset_hours("IST"), None);
    }

    #[test]
    fn option_descriptions_and_occ_codes() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            option_from_description("SPY 09/30/2022 00:00:00 EDT Call $364.00"),
            Some(("SPY".to_string(), d(2022, 9, 30), OptionRight::Call, dec!(364)))
        );
        assert_eq!(
            option_from_description("ATOS 01/21/2022 00:00:00 EST Put $1.50"),
            Some(("ATOS".to_string(), d(2022, 1, 21), OptionRight::Put, dec!(1.5)))
        );
        assert_eq!(option_from_description("Draftkings Inc"), None);
        assert_eq!(
            option_from_description("SPY 09/30/2022 00:00:00 EDT Swap $364.00"),
            None
        );
        let i = instrument("SPY 09/23/2022 00:00:00 EDT Call $371.00", "").unwrap();
        assert_eq!(i.symbol, "SPY220923C00371000");
        let j = instrument("ADBE", "ADBE221021P00300500").unwrap();
        assert_eq!(
            (j.symbol.as_str(), j.strike),
            ("ADBE221021P00300500", Some(dec!(300.5)))
        );
        assert_eq!(instrument("BRK.B", "Berkshire").unwrap(), Instrument::stock("BRK.B"));
        assert_eq!(instrument("", "Something"), None);
    }

    fn parse_text(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&WebullOrders, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn strategy_rows_statuses_and_bad_rows() {
        let text = "Filled Time,Avg Price,Filled,Side,Symbol,Name,Status,Total Qty,Placed Time\n\
                    10/24/2025 12:17:43 EDT,1.10,1,Buy,,ADBE Vertical,Filled,1,\n\
                    10/24/2025 12:17:43 EDT,3.10,1,Buy,ADBE251024C00350000,,Filled,1,\n\
                    10/24/2025 12:17:43 EDT,2.00,1,Sell,ADBE251024C00360000,,Filled,1,\n\
                    ,,0,Buy,AAPL,Apple,Failed,5,\n\
                    10/24/2025 12:17:43 EDT,abc,5,Buy,AAPL,Apple,Filled,5,\n\
                    10/24/2025 12:17:43 EDT,1,5,Hold,AAPL,Apple,Filled,5,\n\
                    10/24/2025 12:17:43 EDT,1,5,Buy,,Apple,Filled,5,\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.fills.len(), 2);
        assert_eq!(parsed.skipped.len(), 2);
        assert!(parsed.skipped[0].1.contains("strategy row `ADBE Vertical`"));
        assert_eq!(
            parsed.skipped[1],
            (5, "order not filled (Status `Failed`, Filled 0)".to_string())
        );
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Avg Price `abc` is not a number",
                "Side `Hold` is not Buy, Sell or Short",
                "Symbol is empty"
            ]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for rel in [STOCKS, OPTIONS] {
            let bytes = std::fs::read(fixture(rel)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines = text.lines();
            let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
            text::assert_never_panics(&WebullOrders, &bytes[..bytes.len().min(2048)], &[(header, row)]);
        }
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&WebullOrders, &[STOCKS, OPTIONS]);
    }
}
