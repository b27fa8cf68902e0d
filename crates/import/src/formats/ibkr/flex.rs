//! Interactive Brokers **Flex Query** trades as CSV: one table whose columns are the Flex
//! field names the user ticked.
//!
//! Source: `shared/fixtures/FORMATS.md` § Interactive Brokers Flex Query CSV and the sample
//! `ibkr/tarun7-flex-trades.csv` (260 rows: 104 `STK`, 156 `CASH` EUR.USD conversions; LF):
//!
//! ```text
//! AssetClass,Symbol,Description,ListingExchange,DateTime,Quantity,TradePrice,TradeMoney,Proceeds,Taxes,IBCommission,NetCash,ClosePrice,CostBasis,FifoPnlRealized,Buy/Sell
//! ```
//!
//! - Detected by a header with `AssetClass`, `Symbol`, `DateTime`, `Quantity` and
//!   `TradePrice` (the Flex names; the Activity Statement uses `Asset Category`,
//!   `Date/Time`, `T. Price`); columns are found by name, so any other ticked fields do not
//!   matter.
//! - With "Include header and trailer records" the table is wrapped in `BOF`/`BOA`/`BOS` and
//!   `EOS`/`EOA`/`EOF` records; with "Include section code and line descriptor" each line
//!   starts `HEADER,<section>` or `DATA,<section>`. Both are understood: trailer records
//!   produce no outcome, and `DATA` rows are read only under a `HEADER` row that has the
//!   trade columns (other sections of a multi-section query produce no outcome). Neither
//!   option is in the sample.
//! - `Quantity` is signed (negative = a sale) and can be fractional (`0.5`, `-0.00015172`):
//!   the side is its sign and the fill's quantity its absolute value. `Buy/Sell` (`BUY` /
//!   `SELL`), when present, must agree with the sign; `BUY (Ca.)` / `SELL (Ca.)`
//!   cancellation rows (the "Include Canceled Trades" option) are rejected, since importing
//!   them alone would keep the cancelled trade.
//! - `DateTime` is date and time joined by the query's separator: `2024-03-20;15:39:47` in
//!   the sample, also `20240320;153947` (TradeNote's recommended settings), a space, a
//!   comma or `T`. The date must be `yyyyMMdd` or `yyyy-MM-dd` (the Flex options
//!   `MM/dd/yyyy` and `dd/MM/yyyy` cannot be told apart and are rejected). No zone: read in
//!   the account zone (IBKR writes US Eastern by default).
//! - Fees = −(`IBCommission` + `Taxes`) (both negative costs in the file; a missing column
//!   counts 0, a net credit is a rebate: a negative fee). When the file has `IBCommissionCurrency` and
//!   `CurrencyPrimary` and they differ, the row is skipped as the Activity Statement's
//!   foreign-currency forex rows are (see [`super::activity`]). In the sample every
//!   commission is in the trade's currency as far as the file says (no currency columns).
//! - `execution_id`: `ibkr:trade:<TradeID>`, else `ibkr:exec:<IBExecID>`, else
//!   `ibkr:txn:<TransactionID>` when the query has one of them (the sample has none: the row
//!   key is then the row's normalized cells).
//! - `Open/CloseIndicator` (`O`, `C`, `C;O`) gives open/close as the statement's `Code`
//!   does; the sample does not have it.
//! - `TradeMoney`, `Proceeds`, `NetCash`, `ClosePrice`, `CostBasis`, `FifoPnlRealized` are
//!   not used (the tests check P&L against `FifoPnlRealized`).
//!
//! # Instruments (by `AssetClass`)
//!
//! - `STK` (and `WAR`): `Symbol` (`AAPL`, `BRK B`, `ETHEEUR`), multiplier 1.
//! - `CASH`: the pair (`EUR.USD`) as forex, multiplier 1.
//! - `OPT`: `Symbol` as an OCC code (`AAPL  240920C00150000`, padded or not), else the
//!   `UnderlyingSymbol`, `Expiry`, `Strike` and `Put/Call` fields; multiplier from
//!   `Multiplier`, 100 when the query lacks it. Not in the sample.
//! - `FUT`: `Symbol` through the contract table (an unknown root is rejected); a
//!   `Multiplier` that disagrees with the table's point value rejects the row. Not in the
//!   sample.
//! - Any other class (`FOP`, `BOND`, `CFD`, `FUND`, ...) is rejected naming it.

use chrono::{DateTime, NaiveDate, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, OptionRight, Side};

use super::{fees_from_signed, foreign_commission, forex, option, outcome, position_effect, side_quantity};
use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Interactive Brokers Flex Query with a Trades section, delivered as CSV (Performance &
/// Reports → Flex Queries).
#[derive(Debug, Clone, Copy, Default)]
pub struct FlexTrades;

const REQUIRED: &[&str] = &["AssetClass", "Symbol", "DateTime", "Quantity", "TradePrice"];

/// First cells of the "header and trailer" records around a Flex table.
const TRAILER_RECORDS: &[&str] = &["BOF", "BOA", "BOS", "EOS", "EOA", "EOF"];

/// Date-time layouts once the date and time are normalized to `YYYY-MM-DD HH:MM:SS`.
const TIME_FORMATS: &[&str] = &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];

impl Format for FlexTrades {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "ibkr-flex",
            name: "Interactive Brokers Flex Query (trades)",
            platform: "Interactive Brokers",
            description: "IBKR Flex Query with the Trades section as CSV (Performance & Reports → Flex Queries, format CSV); one row per trade.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        REQUIRED
    }

    fn detect(&self, head: &[&str]) -> bool {
        let has_trade_columns = |names: &[String]| REQUIRED.iter().all(|r| names.iter().any(|n| n == r));
        for line in head.iter().map(|l| crate::formats::strip_bom(l).trim()) {
            let cells = text::split_csv_line(line);
            if cells.iter().all(String::is_empty) {
                continue;
            }
            match cells.first().map(String::as_str) {
                Some(first) if TRAILER_RECORDS.contains(&first) => {}
                // Line descriptors: any section's header may come first.
                Some("HEADER") if has_trade_columns(cells.get(2..).unwrap_or_default()) => return true,
                Some("HEADER") | Some("DATA") => {}
                // A plain table: its first line is the header.
                _ => return has_trade_columns(&cells),
            }
        }
        false
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = REQUIRED.iter().map(std::slice::from_ref).collect();
        // The trades header in force: `None` before the header, or under the `HEADER` row of
        // another section.
        let mut table: Option<Columns> = None;
        for next in text::csv_rows(input) {
            let (line, record) = next.map_err(|source| ImportError::Io {
                file: ctx.file_name.clone(),
                source,
            })?;
            if text::is_blank(&record) {
                continue;
            }
            let first = record.get(0).unwrap_or("").trim();
            if TRAILER_RECORDS.contains(&first) {
                continue;
            }
            let tail = || record.iter().skip(2).collect::<StringRecord>();
            match first {
                "HEADER" => {
                    let columns = Columns::from_record(&tail());
                    table = columns.missing(&required).is_none().then_some(columns);
                }
                "DATA" => {
                    if let Some(columns) = &table {
                        sink(outcome(line, read_row(columns, &tail(), ctx)))?;
                    }
                }
                _ => match &table {
                    None => {
                        let columns = Columns::from_record(&record);
                        if let Some(missing) = columns.missing(&required) {
                            return Err(ImportError::Malformed {
                                file: ctx.file_name.clone(),
                                line,
                                message: format!("the header has no column {missing}"),
                            });
                        }
                        table = Some(columns);
                    }
                    Some(columns) if columns.is_header(&record) => {}
                    Some(columns) => sink(outcome(line, read_row(columns, &record, ctx)))?,
                },
            }
        }
        Ok(())
    }
}

/// `Ok(Ok(fill))`, `Ok(Err(skip reason))` or `Err(reject reason)`.
fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Result<RawFill, String>, String> {
    let get = |name: &str| cols.get(record, name);
    if let Some(reason) = foreign_commission(
        "IBCommissionCurrency",
        get("IBCommissionCurrency"),
        get("CurrencyPrimary"),
    ) {
        return Ok(Err(reason));
    }
    let symbol = get("Symbol");
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    let buy_sell = get("Buy/Sell");
    if buy_sell.contains("(Ca.)") {
        return Err(format!(
            "Buy/Sell `{buy_sell}` is a cancellation; run the Flex Query without \"Include Canceled Trades\""
        ));
    }
    let (side, quantity) = side_quantity("Quantity", get("Quantity"))?;
    if !buy_sell.is_empty() {
        let stated = Side::parse(buy_sell).ok_or_else(|| format!("Buy/Sell `{buy_sell}` is not BUY or SELL"))?;
        if stated != side {
            return Err(format!(
                "Buy/Sell `{buy_sell}` contradicts the sign of Quantity `{}`",
                get("Quantity")
            ));
        }
    }
    let price = text::number_cell("TradePrice", get("TradePrice"))?.normalize();
    let executed_at = time_cell("DateTime", get("DateTime"), ctx)?;
    let fees = fees_from_signed(&[("IBCommission", get("IBCommission")), ("Taxes", get("Taxes"))])?;
    let instrument = instrument(cols, record, executed_at, ctx)?;
    let execution_id = [("TradeID", "trade"), ("IBExecID", "exec"), ("TransactionID", "txn")]
        .into_iter()
        .find_map(|(column, tag)| match get(column) {
            "" => None,
            id => Some(format!("ibkr:{tag}:{id}")),
        });
    Ok(Ok(RawFill {
        instrument,
        side,
        quantity,
        price,
        fees,
        executed_at,
        source_tz: ctx.tz,
        execution_id,
        position_effect: position_effect(get("Open/CloseIndicator")),
        row_key: text::row_key(record),
    }))
}

/// The instrument of a row from `AssetClass` and the fields that describe it.
fn instrument(
    cols: &Columns,
    record: &StringRecord,
    at: DateTime<Utc>,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let get = |name: &str| cols.get(record, name);
    let symbol = get("Symbol");
    let multiplier = match get("Multiplier") {
        "" => None,
        cell => Some(text::number_cell("Multiplier", cell)?),
    };
    match get("AssetClass") {
        "STK" | "WAR" => Ok(Instrument::stock(symbol)),
        "CASH" => Ok(forex(symbol)),
        "OPT" => {
            let (root, expiry, right, strike) = match text::parse_occ_symbol(symbol) {
                Some(parts) => parts,
                None => option_fields(cols, record)?,
            };
            option(&root, expiry, right, strike, multiplier)
        }
        "FUT" => {
            let reference = at.with_timezone(&ctx.tz).date_naive();
            let future = ctx.contracts.future(symbol, reference).map_err(|e| e.to_string())?;
            match multiplier {
                Some(m) if m != future.multiplier => Err(format!(
                    "Multiplier `{}` differs from the contract table's point value {} for `{symbol}`",
                    get("Multiplier"),
                    future.multiplier
                )),
                _ => Ok(future),
            }
        }
        other => Err(format!(
            "AssetClass `{other}` is not supported (STK, WAR, CASH, OPT, FUT)"
        )),
    }
}

/// An option from the `UnderlyingSymbol`, `Expiry`, `Strike` and `Put/Call` fields.
fn option_fields(cols: &Columns, record: &StringRecord) -> Result<(String, NaiveDate, OptionRight, Decimal), String> {
    let get = |name: &str| cols.get(record, name);
    let root = match get("UnderlyingSymbol") {
        "" => {
            return Err(format!(
                "option Symbol `{}` is not an OCC code and UnderlyingSymbol is empty",
                get("Symbol")
            ))
        }
        root => root,
    };
    let expiry_cell = get("Expiry");
    let expiry = text::parse_date(expiry_cell, &["%Y%m%d", "%Y-%m-%d"])
        .ok_or_else(|| format!("Expiry `{expiry_cell}` is not a yyyyMMdd or yyyy-MM-dd date"))?;
    let strike = text::number_cell("Strike", get("Strike"))?;
    let right = match get("Put/Call") {
        "C" | "Call" | "CALL" => OptionRight::Call,
        "P" | "Put" | "PUT" => OptionRight::Put,
        other => return Err(format!("Put/Call `{other}` is not C or P")),
    };
    Ok((root.to_string(), expiry, right, strike.normalize()))
}

/// `DateTime`: a `yyyyMMdd` or `yyyy-MM-dd` date and a `HHmmss` or `HH:mm:ss` time joined by
/// `;`, a space, a comma or `T`, read in the account zone.
fn time_cell(column: &str, value: &str, ctx: &ParseContext<'_>) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{column} is empty"));
    }
    let not_a_time = || format!("{column} `{value}` is not a yyyyMMdd or yyyy-MM-dd date and a time");
    let (date, time) = value.split_once([';', ' ', ',', 'T']).ok_or_else(not_a_time)?;
    let (date, time) = (date.trim(), time.trim());
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date = match date.get(..4).zip(date.get(4..6)).zip(date.get(6..)) {
        Some(((y, m), d)) if digits(date, 8) => format!("{y}-{m}-{d}"),
        _ => date.to_string(),
    };
    let time = match time.get(..2).zip(time.get(2..4)).zip(time.get(4..)) {
        Some(((h, m), s)) if digits(time, 6) => format!("{h}:{m}:{s}"),
        _ => time.to_string(),
    };
    let naive = text::parse_naive(&format!("{date} {time}"), TIME_FORMATS).ok_or_else(not_a_time)?;
    text::local_to_utc(naive, ctx.tz).ok_or_else(|| {
        format!(
            "{column} `{value}` does not exist in {} (skipped by a daylight-saving change)",
            ctx.tz.name()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, PositionEffect, TradeStatus};

    const SAMPLE: &str = "ibkr/tarun7-flex-trades.csv";

    #[test]
    fn detects_the_sample() {
        let lines = head(SAMPLE);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(FlexTrades.detect(&refs));
        assert_eq!(detect(&refs).map(|f| f.id()), Some("ibkr-flex"));
    }

    /// tarun7: 260 rows, all fills (104 STK, 156 CASH EUR.USD). An independent python FIFO
    /// over the file (per symbol, by DateTime, file order at ties; fees = −IBCommission −
    /// Taxes; Taxes are 0 on every row) gives 22 round trips, 6 closed, gross
    /// 724.515467607952, fees 42.02085091, net 682.494616697952. The EUR.USD conversions
    /// are 155 sells and 1 buy: one open short trade.
    ///
    /// Cross-check with IBKR's `FifoPnlRealized`: for the five symbols closed out in the
    /// file the python FIFO's net matches it to IBKR's 6 decimals (AAPL 59.020616658 vs
    /// 59.020618, BRK B 67.173635291 vs 67.173635, INTC 11.605693247 vs 11.605693, CIFR
    /// 73.2689855 vs 73.268986, AVUV 0.044402208 vs 0.044401).
    #[test]
    fn tarun7_sample() {
        let parsed = parse_fixture(&FlexTrades, SAMPLE, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 260);
        assert_eq!(parsed.fills.len(), 260);
        assert!(parsed.skipped.is_empty());
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);

        let (line, fx) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(fx.instrument.asset_class, AssetClass::Forex);
        assert_eq!(fx.instrument.symbol, "EUR.USD");
        assert_eq!(
            (fx.side, fx.quantity, fx.price, fx.fees),
            (Side::Sell, dec!(100), dec!(1.092), dec!(2))
        );
        assert_eq!(fx.executed_at.to_rfc3339(), "2024-03-20T19:39:47+00:00");
        assert_eq!((fx.execution_id.as_deref(), fx.position_effect), (None, None));

        let (_, amzn) = &parsed.fills[1];
        assert_eq!(amzn.instrument, Instrument::stock("AMZN"));
        assert_eq!(
            (amzn.side, amzn.quantity, amzn.price, amzn.fees),
            (Side::Buy, dec!(0.5), dec!(180.86), dec!(0.35035725))
        );
        assert!(parsed.fills.iter().any(|(_, f)| f.instrument.symbol == "BRK B"));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 22);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 6);
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let fees: Decimal = trips.iter().map(|t| t.fees).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross, dec!(724.515467607952));
        assert_eq!(fees, dec!(42.02085091));
        assert_eq!(net, dec!(682.494616697952));
        let closed_net = |symbol: &str| -> Decimal {
            trips
                .iter()
                .filter(|t| t.instrument.symbol == symbol && t.status == TradeStatus::Closed)
                .map(|t| t.net_pnl)
                .sum()
        };
        assert_eq!(closed_net("AAPL"), dec!(59.020616658));
        assert_eq!(closed_net("INTC"), dec!(11.605693247));
    }

    fn parse_text(text: &str) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&FlexTrades, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn ids_options_futures_and_open_close() {
        let text = "TradeID,IBExecID,AssetClass,Symbol,UnderlyingSymbol,Expiry,Strike,Put/Call,Multiplier,DateTime,Quantity,TradePrice,IBCommission,IBCommissionCurrency,CurrencyPrimary,Open/CloseIndicator,Buy/Sell\n\
                    11,0001.01,OPT,AAPL  240920C00150000,AAPL,20240920,150,C,100,20240301;093000,2,3.5,-1.3,USD,USD,O,BUY\n\
                    ,0002.01,OPT,SPXW 240920P,SPXW,2024-09-20,5000.5,P,100,2024-03-01 09:30:00,-1,10,-1,USD,USD,C,SELL\n\
                    13,,FUT,ESZ4,ES,20241220,,,50,2024-03-01T09:30:00,1,5000.25,-2.25,USD,USD,C;O,BUY\n\
                    14,,STK,AAPL,,,,,1,\"2024-03-01, 09:30:00\",-5,170,-1,USD,USD,,SELL\n";
        let parsed = parse_text(text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let fills: Vec<&RawFill> = parsed.fills.iter().map(|(_, f)| f).collect();
        assert_eq!(fills.len(), 4);
        assert_eq!(fills[0].instrument.symbol, "AAPL240920C00150000");
        assert_eq!(fills[0].execution_id.as_deref(), Some("ibkr:trade:11"));
        assert_eq!(fills[0].position_effect, Some(PositionEffect::Open));
        assert_eq!(fills[0].executed_at.to_rfc3339(), "2024-03-01T14:30:00+00:00");
        assert_eq!(fills[1].instrument.symbol, "SPXW240920P05000500");
        assert_eq!(fills[1].execution_id.as_deref(), Some("ibkr:exec:0002.01"));
        assert_eq!(fills[1].position_effect, Some(PositionEffect::Close));
        assert_eq!(
            (fills[2].instrument.symbol.as_str(), fills[2].instrument.multiplier),
            ("ESZ24", dec!(50))
        );
        assert_eq!(fills[2].position_effect, None);
        assert_eq!(
            (fills[3].side, fills[3].quantity, fills[3].fees),
            (Side::Sell, dec!(5), dec!(1))
        );
    }

    #[test]
    fn header_and_trailer_records_and_line_descriptors() {
        let text = "\"BOF\",\"U1\",\"Trades\",\"1\",\"20240301\",\"20240301\"\n\
                    \"BOA\",\"U1\"\n\
                    \"HEADER\",\"CTRN\",\"Type\",\"Amount\"\n\
                    \"DATA\",\"CTRN\",\"Dividends\",\"12\"\n\
                    \"HEADER\",\"TRNT\",\"AssetClass\",\"Symbol\",\"DateTime\",\"Quantity\",\"TradePrice\",\"IBCommission\"\n\
                    \"DATA\",\"TRNT\",\"STK\",\"AAPL\",\"20240301;093000\",\"5\",\"170\",\"-1\"\n\
                    \"EOS\",\"TRNT\",\"1\"\n\
                    \"EOA\",\"U1\"\n\
                    \"EOF\",\"U1\"\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(FlexTrades.detect(&lines[2..]));
        assert!(FlexTrades.detect(&lines[4..]));
        let parsed = parse_text(text);
        assert_eq!((parsed.rows, parsed.fills.len()), (1, 1));
        assert_eq!(parsed.fills[0].0, 6);
        assert_eq!(
            parsed.fills[0].1.row_key,
            "STK\u{1f}AAPL\u{1f}20240301;093000\u{1f}5\u{1f}170\u{1f}-1"
        );
    }

    #[test]
    fn bad_rows() {
        let text = "AssetClass,Symbol,DateTime,Quantity,TradePrice,IBCommission,IBCommissionCurrency,CurrencyPrimary,Buy/Sell,Multiplier,Expiry\n\
                    STK,AAPL,2024-03-01;09:30:00,5,170,-1,USD,USD,SELL,,\n\
                    STK,AAPL,2024-03-01;09:30:00,5,170,-1,USD,USD,BUY (Ca.),,\n\
                    STK,AAPL,03/01/2024;09:30:00,5,170,-1,USD,USD,BUY,,\n\
                    STK,AAPL,2024-03-10;02:30:00,5,170,-1,USD,USD,BUY,,\n\
                    STK,AAPL,2024-03-01;09:30:00,5,170,0.5,USD,USD,BUY,,\n\
                    FOP,ES 240315C5000,2024-03-01;09:30:00,5,170,-1,USD,USD,BUY,,\n\
                    FUT,ESZ4,2024-03-01;09:30:00,5,170,-1,USD,USD,BUY,5,\n\
                    OPT,AAPL 2403,2024-03-01;09:30:00,5,170,-1,USD,USD,BUY,100,20240315\n\
                    CASH,EUR.USD,2024-03-01;09:30:00,-100,1.09,-2,EUR,USD,SELL,,\n";
        let parsed = parse_text(text);
        // IBCommission 0.5, a net credit: a rebate, the file's only fill.
        assert_eq!(parsed.fills.len(), 1);
        assert_eq!(parsed.fills[0].1.fees, dec!(-0.5));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Buy/Sell `SELL` contradicts the sign of Quantity `5`",
                "Buy/Sell `BUY (Ca.)` is a cancellation; run the Flex Query without \"Include Canceled Trades\"",
                "DateTime `03/01/2024;09:30:00` is not a yyyyMMdd or yyyy-MM-dd date and a time",
                "DateTime `2024-03-10;02:30:00` does not exist in America/New_York (skipped by a daylight-saving change)",
                "AssetClass `FOP` is not supported (STK, WAR, CASH, OPT, FUT)",
                "Multiplier `5` differs from the contract table's point value 50 for `ESZ4`",
                "option Symbol `AAPL 2403` is not an OCC code and UnderlyingSymbol is empty",
            ]
        );
        assert_eq!(parsed.skipped.len(), 1);
        assert!(parsed.skipped[0].1.contains("is in EUR but the trade is in USD"));
    }

    #[test]
    fn a_header_without_the_trade_columns_is_malformed() {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        let err = parse_all(&FlexTrades, &mut "AssetClass,Symbol\nSTK,AAPL\n".as_bytes(), &ctx).unwrap_err();
        assert!(err.to_string().contains("the header has no column `DateTime`"), "{err}");
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines = text.lines();
        let (header, row) = (lines.next().unwrap(), lines.nth(1).unwrap());
        let option_header = "TradeID,AssetClass,Symbol,UnderlyingSymbol,Expiry,Strike,Put/Call,Multiplier,DateTime,Quantity,TradePrice,IBCommission,Taxes,Open/CloseIndicator,Buy/Sell";
        let option_row = "11,OPT,SPXW 240920P,SPXW,2024-09-20,5000.5,P,100,20240301;093000,-1,10,-1,0,C,SELL";
        let future_row = "12,FUT,ESZ4,ES,20241220,,,50,20240301;093000,1,5000.25,-2.25,0,O,BUY";
        text::assert_never_panics(
            &FlexTrades,
            &bytes[..bytes.len().min(2048)],
            &[(header, row), (option_header, option_row), (option_header, future_row)],
        );
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&FlexTrades, &[SAMPLE]);
    }
}
