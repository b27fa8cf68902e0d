//! TradeZero trade export: one row per execution.
//!
//! Source: `shared/fixtures/FORMATS.md` § TradeZero and the sample
//! `tradezero/tradenote-example-tradezero.csv` (15 rows, LF, a SIM account):
//!
//! ```text
//! Account,T/D,S/D,Currency,Type,Side,Symbol,Qty,Price,Exec Time,Comm,SEC,TAF,NSCC,Nasdaq,ECN Remove,ECN Add,Gross Proceeds,Net Proceeds,Clr Broker,Liq,Note
//! ```
//!
//! - Detected by a header with `T/D`, `S/D`, `Side`, `Symbol`, `Qty`, `Price`, `Exec Time`
//!   and `ECN Remove`; columns are found by name.
//! - Time = `T/D` (trade date, `MM/DD/YYYY`) + `Exec Time` (`HH:MM:SS`), with no zone: read
//!   in the account zone. Rows are not in time order (the sample's SQ buy and sell at
//!   10:09 follow its 10:25–10:27 short); fills carry their own times, so that does not
//!   matter.
//! - `Side`: `B` buy, `S` sell, `SS` sell short (a sale that **opens** a short), `BC` buy to
//!   cover (a buy that **closes** it). `B` and `S` do not say open or close. `Qty` is
//!   unsigned.
//! - Fees = `Comm` + `SEC` + `TAF` + `NSCC` + `Nasdaq` + `ECN Remove` + `ECN Add` (empty =
//!   0), **signed**: an ECN liquidity rebate in `ECN Add` is negative and lowers the fees.
//!   `Net Proceeds` = `Gross Proceeds` − that sum on every row of the sample. A row whose sum
//!   is negative (a rebate larger than its costs) keeps it: the fill's fees are negative, a
//!   net rebate that raises the trade's net P&L. The sample has no rebate at all (`ECN Add`
//!   is 0 on every row).
//! - `Type` is a numeric code in the sample (`2` on B/S rows, `3` on SS/BC rows) and not used
//!   for stocks. TradeNote's template writes a word there (`stock`, `call`, `put`, `future`);
//!   the option and future words are honoured: such a row needs an OCC option symbol (call,
//!   put) or a futures code known to the contract table (future), and is rejected otherwise
//!   rather than read as a stock.
//! - `Symbol` is the ticker (an OCC code is read as an equity option, multiplier 100).
//! - `Gross Proceeds`, `Net Proceeds`, `S/D`, `Currency`, `Clr Broker`, `Liq`, `Note` are not
//!   used. No execution id: the row key is the row's normalized cells.

use chrono::NaiveDateTime;
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// TradeZero trade export (ZeroPro / web portal → Account → Trades, export CSV).
#[derive(Debug, Clone, Copy, Default)]
pub struct TradeZero;

const DETECT_COLUMNS: &[&str] = &[
    "T/D",
    "S/D",
    "Side",
    "Symbol",
    "Qty",
    "Price",
    "Exec Time",
    "ECN Remove",
];

const REQUIRED: &[&[&str]] = &[&["T/D"], &["Side"], &["Symbol"], &["Qty"], &["Price"], &["Exec Time"]];

/// The fee columns, summed with their signs.
const FEE_COLUMNS: &[&str] = &["Comm", "SEC", "TAF", "NSCC", "Nasdaq", "ECN Remove", "ECN Add"];

const TIME_FORMATS: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"];

impl Format for TradeZero {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradezero",
            name: "TradeZero Trades",
            platform: "TradeZero",
            description:
                "TradeZero trade history export (Account → Trades, export CSV): one row per execution with its fees.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        DETECT_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        text::head_has_columns(head, DETECT_COLUMNS)
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
    let side_cell = get("Side");
    let (side, position_effect) = match side_cell.to_ascii_uppercase().as_str() {
        "B" => (Side::Buy, None),
        "S" => (Side::Sell, None),
        "SS" => (Side::Sell, Some(PositionEffect::Open)),
        "BC" => (Side::Buy, Some(PositionEffect::Close)),
        _ => return Err(format!("Side `{side_cell}` is not B, S, SS or BC")),
    };
    let quantity = text::quantity_cell("Qty", get("Qty"))?.normalize();
    let price = text::number_cell("Price", get("Price"))?.normalize();
    let (date, time) = (get("T/D"), get("Exec Time"));
    let (naive, executed_at) =
        text::local_time_cell("T/D + Exec Time", &format!("{date} {time}"), TIME_FORMATS, ctx.tz)?;
    let fees = fees(cols, record)?;
    let instrument = instrument(get("Type"), get("Symbol"), naive, ctx)?;
    Ok(RawFill {
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
    })
}

/// The signed sum of the fee columns; negative is a net rebate.
fn fees(cols: &Columns, record: &StringRecord) -> Result<Decimal, String> {
    let cells: Vec<(&str, &str)> = FEE_COLUMNS.iter().map(|c| (*c, cols.get(record, c))).collect();
    Ok(text::sum_cells(&cells)?.normalize())
}

/// The instrument from `Type` and `Symbol`: a stock unless `Type` names an option or a future
/// (or `Symbol` is an OCC option code).
fn instrument(kind: &str, symbol: &str, at: NaiveDateTime, ctx: &ParseContext<'_>) -> Result<Instrument, String> {
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    let kind = kind.to_ascii_lowercase();
    if kind == "future" || kind == "futures" {
        return ctx.contracts.future(symbol, at.date()).map_err(|e| e.to_string());
    }
    if let Some((root, expiry, right, strike)) = text::parse_occ_symbol(symbol) {
        let occ = text::occ_symbol(&root, expiry, right, strike)
            .ok_or_else(|| format!("Symbol `{symbol}` is not a valid OCC option code"))?;
        return Ok(Instrument::option(
            occ,
            root,
            expiry,
            strike,
            right,
            Decimal::ONE_HUNDRED,
        ));
    }
    if matches!(kind.as_str(), "call" | "put" | "option") {
        return Err(format!("Type `{kind}` needs an OCC option symbol, not `{symbol}`"));
    }
    Ok(Instrument::stock(symbol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, TradeStatus};

    const SAMPLE: &str = "tradezero/tradenote-example-tradezero.csv";

    #[test]
    fn detects_the_sample() {
        let lines = head(SAMPLE);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(TradeZero.detect(&refs));
        assert_eq!(detect(&refs).map(|f| f.id()), Some("tradezero"));
    }

    /// 15 executions, all fills. Python over the file: Σ Gross Proceeds = 34.45 and Σ Net
    /// Proceeds = 33.76, so the fees sum to 0.69 (and every row's Net = Gross − its seven fee
    /// columns). Every position opens and closes inside the file, so the round trips'
    /// gross and net equal those sums; an independent python FIFO (by T/D + Exec Time) gives
    /// 5 round trips, all closed: RBLX short ×3, SQ long (10:09), SQ short (10:25).
    #[test]
    fn tradenote_sample() {
        let parsed = parse_fixture(&TradeZero, SAMPLE, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 15);
        assert_eq!(parsed.fills.len(), 15);
        assert!(parsed.skipped.is_empty());
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);

        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument, Instrument::stock("RBLX"));
        assert_eq!(
            (first.side, first.quantity, first.price, first.fees),
            (Side::Sell, dec!(50), dec!(49.88), dec!(0.07))
        );
        assert_eq!(first.position_effect, Some(PositionEffect::Open));
        assert_eq!(first.executed_at.to_rfc3339(), "2022-08-08T13:47:59+00:00");
        assert_eq!(first.execution_id, None);
        let (_, cover) = &parsed.fills[1];
        assert_eq!(
            (cover.side, cover.position_effect),
            (Side::Buy, Some(PositionEffect::Close))
        );
        let (_, buy) = &parsed.fills[13];
        assert_eq!((buy.side, buy.position_effect), (Side::Buy, None));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 5);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let fees: Decimal = trips.iter().map(|t| t.fees).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!((gross, fees, net), (dec!(34.45), dec!(0.69), dec!(33.76)));
    }

    fn parse_text(text: &str) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&TradeZero, &mut text.as_bytes(), &ctx).unwrap()
    }

    const HEADER: &str = "Account,T/D,S/D,Currency,Type,Side,Symbol,Qty,Price,Exec Time,Comm,SEC,TAF,NSCC,Nasdaq,ECN Remove,ECN Add,Gross Proceeds,Net Proceeds,Clr Broker,Liq,Note";

    #[test]
    fn rebates_types_and_bad_rows() {
        let text = format!(
            "{HEADER}\n\
             A,08/08/2022,08/10/2022,USD,2,B,AAPL,100,150,09:30:00,0.5,0,0,0,0,0,-0.2,-15000,-15000.3,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,2,S,AAPL,100,151,09:31:00,0,0.1,0.01,0,0,0,-0.3,15100,15100.19,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,call,B,AAPL220819C00150000,1,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,call,B,AAPL,1,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,future,B,XYZU2,1,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,2,X,AAPL,1,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,2,B,AAPL,0,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,\n\
             A,8/8/2022,08/10/2022,USD,2,B,AAPL,1,2.5,9:32,1,,,,,,,-250,-251,SIM,,\n\
             A,08/08/2022,08/10/2022,USD,2,B,AAPL,1,2.5,noon,1,,,,,,,-250,-251,SIM,,\n"
        );
        let parsed = parse_text(&text);
        let lines: Vec<u64> = parsed.fills.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 4, 9]);
        assert_eq!(parsed.fills[0].1.fees, dec!(0.3));
        // 0 + 0.1 + 0.01 − 0.3: a net rebate, kept as a negative fee (Net Proceeds 15100.19).
        assert_eq!(parsed.fills[1].1.fees, dec!(-0.19));
        let option = &parsed.fills[2].1.instrument;
        assert_eq!((option.asset_class, option.multiplier), (AssetClass::Option, dec!(100)));
        assert_eq!(parsed.fills[3].1.executed_at.to_rfc3339(), "2022-08-08T13:32:00+00:00");
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Type `call` needs an OCC option symbol, not `AAPL`",
                "unknown futures root `XYZ` (symbol `XYZU2`): add it to the contract table with its point value and tick size",
                "Side `X` is not B, S, SS or BC",
                "Qty `0` is not a positive quantity",
                "T/D + Exec Time `08/08/2022 noon` is not a date and time",
            ]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines = text.lines();
        let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
        let option_row =
            "A,08/08/2022,08/10/2022,USD,call,B,AAPL220819C00150000,1,2.5,09:32:00,1,,,,,,,-250,-251,SIM,,";
        text::assert_never_panics(
            &TradeZero,
            &bytes[..bytes.len().min(2048)],
            &[(header, row), (header, option_row)],
        );
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&TradeZero, &[SAMPLE]);
    }
}
