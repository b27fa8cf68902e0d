//! TopstepX (ProjectX platform) trades export: one row per closed position lot, expanded
//! into its entry and exit fills.
//!
//! Source: `shared/fixtures/FORMATS.md` § TopstepX / ProjectX trades export and the sample
//! `topstepx/omardawoud77-trades_export.csv` (46 rows, UTF-8 BOM, CRLF, `+02:00` offsets,
//! with the newer `Commissions` column, empty on every row).
//!
//! ```text
//! Id,ContractName,EnteredAt,ExitedAt,EntryPrice,ExitPrice,Fees,PnL,Size,Type,TradeDay,TradeDuration[,Commissions]
//! ```
//!
//! - Detected by a header with `Id`, `ContractName`, `EnteredAt`, `ExitedAt`, `EntryPrice`,
//!   `ExitPrice`, `Fees`, `PnL`, `Size` and `Type`; columns are found by name.
//! - Each row becomes **two fills** of `Size` contracts: the entry at `EntryPrice` /
//!   `EnteredAt` and the exit at `ExitPrice` / `ExitedAt`. `Type` `Long` makes the entry a
//!   buy and the exit a sell; `Short` the reverse. Ids `topstepx:<Id>:entry` / `:exit`; row
//!   keys suffixed `entry` / `exit`.
//! - A scaled position gives several rows with the same `ExitedAt`; rows need not be in time
//!   order (FORMATS.md: the AngryBuhda file is not). Neither matters: fills carry their
//!   own times and round trips are matched from them.
//! - Times `MM/DD/YYYY HH:MM:SS +HH:MM` carry the user's UTC offset, which wins over the
//!   account zone; a time without an offset is read in the account zone. `TradeDay` (with
//!   an offset that need not match) and `TradeDuration` are not used.
//! - Prices and `PnL` have nine decimals, `Fees` five; they are normalized
//!   (`24748.500000000` → `24748.5`). `PnL` is gross and is only used to warn when it differs
//!   from (exit − entry) × size × point value (sign by direction).
//! - **Fees**: `Fees` (the round trip's fees) plus `Commissions` (empty = 0) are all put on
//!   the **exit** fill; the entry fill carries 0. The round trip's fees are then exactly the
//!   row's, and a position scaled into over several rows never gets a fee split that the
//!   file does not state.
//! - `ContractName` is the futures code (`MNQH6`, `NQM6`); the point value comes from the
//!   contract table, and an unknown root rejects the row.

use chrono::{DateTime, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// TopstepX / ProjectX "Trades" export (Trade log → Export): one row per closed lot.
#[derive(Debug, Clone, Copy, Default)]
pub struct TopstepX;

const COLUMNS: &[&str] = &[
    "Id",
    "ContractName",
    "EnteredAt",
    "ExitedAt",
    "EntryPrice",
    "ExitPrice",
    "Fees",
    "PnL",
    "Size",
    "Type",
];

/// Time layouts: with the offset first, then naive (account zone).
const OFFSET_FORMATS: &[&str] = &[
    "%m/%d/%Y %H:%M:%S %:z",
    "%m/%d/%Y %H:%M:%S%.f %:z",
    "%m/%d/%Y %H:%M:%S %z",
];
const NAIVE_FORMATS: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S%.f"];

impl Format for TopstepX {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "topstepx",
            name: "TopstepX Trades",
            platform: "TopstepX",
            description: "TopstepX / ProjectX trades export (Trades tab, Export): one row per closed lot with entry, exit and fees.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
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
        COLUMNS.iter().all(|name| cells.iter().any(|c| c == name))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = COLUMNS.iter().map(std::slice::from_ref).collect();
        text::parse_table(
            input,
            ctx,
            &required,
            sink,
            &mut |cols, line, record| match read_row(cols, record, ctx) {
                Ok(fills) => RowOutcome::Fills { line, fills },
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Vec<RawFill>, String> {
    let id = match cols.get(record, "Id") {
        "" => return Err("Id is empty".to_string()),
        id => id,
    };
    let direction = cols.get(record, "Type");
    let (entry_side, exit_side) = match direction.to_ascii_lowercase().as_str() {
        "long" => (Side::Buy, Side::Sell),
        "short" => (Side::Sell, Side::Buy),
        _ => return Err(format!("Type `{direction}` is not Long or Short")),
    };
    let size = text::quantity_cell("Size", cols.get(record, "Size"))?.normalize();
    let entry_price = text::number_cell("EntryPrice", cols.get(record, "EntryPrice"))?.normalize();
    let exit_price = text::number_cell("ExitPrice", cols.get(record, "ExitPrice"))?.normalize();
    let entered_at = time_cell("EnteredAt", cols.get(record, "EnteredAt"), ctx)?;
    let exited_at = time_cell("ExitedAt", cols.get(record, "ExitedAt"), ctx)?;
    let fees = text::fee_cell("Fees", cols.get(record, "Fees"))?
        .checked_add(text::fee_cell("Commissions", cols.get(record, "Commissions"))?)
        .ok_or("Fees + Commissions is out of range")?
        .normalize();

    let contract = cols.get(record, "ContractName");
    if contract.is_empty() {
        return Err("ContractName is empty".to_string());
    }
    let reference = entered_at.with_timezone(&ctx.tz).date_naive();
    let instrument = ctx.contracts.future(contract, reference).map_err(|e| e.to_string())?;

    let computed = exit_price
        .checked_sub(entry_price)
        .and_then(|d| d.checked_mul(size))
        .and_then(|d| d.checked_mul(instrument.multiplier))
        .map(|d| d * entry_side.sign());
    if let (Some(pnl), Some(computed)) = (text::parse_decimal(cols.get(record, "PnL")), computed) {
        if computed != pnl {
            tracing::warn!(file = %ctx.file_name, id, %pnl, %computed, "TopstepX row: PnL differs from (exit − entry) × size × point value");
        }
    }

    let key = text::row_key(record);
    let fill =
        |side: Side, price: Decimal, at: DateTime<Utc>, fees: Decimal, tag: &str, instrument: Instrument| RawFill {
            instrument,
            side,
            quantity: size,
            price,
            fees,
            executed_at: at,
            source_tz: ctx.tz,
            execution_id: Some(format!("topstepx:{id}:{tag}")),
            position_effect: Some(if tag == "entry" {
                PositionEffect::Open
            } else {
                PositionEffect::Close
            }),
            row_key: format!("{key}\u{1f}{tag}"),
        };
    Ok(vec![
        fill(
            entry_side,
            entry_price,
            entered_at,
            Decimal::ZERO,
            "entry",
            instrument.clone(),
        ),
        fill(exit_side, exit_price, exited_at, fees, "exit", instrument),
    ])
}

/// `MM/DD/YYYY HH:MM:SS +HH:MM` (the offset wins), or the same without an offset in the
/// account zone.
fn time_cell(column: &str, value: &str, ctx: &ParseContext<'_>) -> Result<DateTime<Utc>, String> {
    if let Some(t) = OFFSET_FORMATS
        .iter()
        .find_map(|f| DateTime::parse_from_str(value, f).ok())
    {
        return Ok(t.with_timezone(&Utc));
    }
    text::local_time_cell(column, value, NAIVE_FORMATS, ctx.tz).map(|(_, utc)| utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const SAMPLE: &str = "topstepx/omardawoud77-trades_export.csv";

    /// Σ of a column of the sample, read with a plain CSV reader (not the parser).
    fn column_sum(name: &str) -> Decimal {
        let mut rdr = csv::Reader::from_path(fixture(SAMPLE)).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let at = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap();
        rdr.records().map(|r| r.unwrap()[at].parse::<Decimal>().unwrap()).sum()
    }

    #[test]
    fn detects_the_sample() {
        let lines = head(SAMPLE);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(TopstepX.detect(&refs));
        assert_eq!(detect(&refs).map(|f| f.id()), Some("topstepx"));
    }

    /// omardawoud77: 46 rows → 92 fills. Σ PnL = 5235 and Σ Fees = 300.10 (python over the
    /// file, and `column_sum` here); every row's PnL equals (exit − entry) × Size × point
    /// value (MNQ 2, MES 5, NQ 20) with Type's sign. 37 round trips: an independent python
    /// FIFO over the 92 fills (scaled positions merge rows with overlapping times).
    #[test]
    fn omardawoud77_sample() {
        let parsed = parse_fixture(&TopstepX, SAMPLE, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 46);
        assert_eq!(parsed.fills.len(), 92);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());

        let (line, entry) = &parsed.fills[0];
        let (_, exit) = &parsed.fills[1];
        assert_eq!(*line, 2);
        assert_eq!((entry.side, exit.side), (Side::Sell, Side::Buy)); // Short
        assert_eq!(entry.price, dec!(24748.5));
        assert_eq!(entry.quantity, dec!(15));
        assert_eq!(entry.executed_at.to_rfc3339(), "2026-03-12T13:32:03+00:00");
        assert_eq!((entry.fees, exit.fees), (dec!(0), dec!(11.1)));
        assert_eq!(exit.execution_id.as_deref(), Some("topstepx:2273210093:exit"));
        assert_eq!(entry.instrument.symbol, "MNQH26");

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 37);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let fees: Decimal = trips.iter().map(|t| t.fees).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(column_sum("PnL"), dec!(5235));
        assert_eq!(column_sum("Fees"), dec!(300.1));
        assert_eq!(gross, column_sum("PnL"));
        assert_eq!(fees, column_sum("Fees"));
        assert_eq!(net, column_sum("PnL") - column_sum("Fees"));
        assert_eq!(net, dec!(4934.9));
    }

    fn parse_text(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::Chicago,
            contracts: &table,
        };
        parse_all(&TopstepX, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn reordered_columns_commissions_and_bad_rows() {
        let text = "Type,Size,PnL,Fees,ExitPrice,EntryPrice,ExitedAt,EnteredAt,ContractName,Id,Commissions\n\
                    Long,2,10,1.48,100.5,100,01/05/2026 10:00:30,01/05/2026 10:00:00,MESH6,7,0.50\n\
                    Flat,2,10,1.48,100.5,100,01/05/2026 10:00:30,01/05/2026 10:00:00,MESH6,8,\n\
                    Short,2,10,1.48,100.5,100,01/05/2026 10:00:30 -05:00,01/05/2026 10:00:00,XYZH6,9,\n\
                    Short,2,10,1.48,x,100,01/05/2026 10:00:30 -05:00,01/05/2026 10:00:00,MESH6,10,\n\
                    Short,2,10,-1,100.5,100,01/05/2026 10:00:30 -05:00,yesterday,MESH6,11,\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.fills.len(), 2);
        let (_, exit) = &parsed.fills[1];
        assert_eq!(exit.fees, dec!(1.98));
        // No offset: account zone (Chicago, CST = UTC−6).
        assert_eq!(exit.executed_at.to_rfc3339(), "2026-01-05T16:00:30+00:00");
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons[0], "Type `Flat` is not Long or Short");
        assert!(reasons[1].contains("unknown futures root `XYZ`"), "{}", reasons[1]);
        assert_eq!(reasons[2], "ExitPrice `x` is not a number");
        assert_eq!(reasons[3], "EnteredAt `yesterday` is not a date and time");
        assert_eq!(
            parsed.rejected.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [3, 4, 5, 6]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines = text.lines();
        let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
        text::assert_never_panics(&TopstepX, &bytes[..bytes.len().min(2048)], &[(header, row)]);
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&TopstepX, &[SAMPLE]);
    }
}
