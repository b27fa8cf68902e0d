//! Charles Schwab (schwab.com) exports: the account **transactions** download and the
//! **realized gain/loss** lot details.
//!
//! Source: `shared/fixtures/FORMATS.md` § Charles Schwab transactions and § Charles Schwab
//! realized gain/loss, and the samples `schwab/wescules-transactions-2025.csv` (37 rows) and
//! `schwab/wescules-realized-gains-2025.csv` (49 lots).
//!
//! # Transactions (`schwab-transactions`)
//!
//! ```text
//! "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
//! ```
//!
//! - Every field quoted. Current downloads start with the header; older ones put a title line
//!   first (`"Transactions  for account <name> ...XXX as of 05/03/2023 02:21:05 PM ET"`, two
//!   spaces after Transactions) and end with a `"Transactions Total"` row that has one more
//!   (empty) field than the header: the title is preamble, the total row is skipped.
//! - Rows are newest first. `Date` is `MM/DD/YYYY` or `MM/DD/YYYY as of MM/DD/YYYY`; the
//!   second date is the effective (trade) date and is the one used. No time of day: fills
//!   are put at 16:00 in the account zone ([`text::DATE_ONLY_HOUR`]).
//! - `Action` gives the direction: `Buy`, `Sell` (open/close not stated), `Sell Short`
//!   (opens a short), and the option actions `Buy to Open`, `Sell to Open`, `Buy to Close`,
//!   `Sell to Close` (plus `Buy to Cover`, which closes a short). Every other action is a
//!   non-trade and is **skipped**: `Reinvest Shares` (a dividend reinvestment, not a trade
//!   decision), `Reinvest Dividend`, `Qual Div Reinvest`, `Qualified Dividend`, `Cash
//!   Dividend`, `Credit Interest`, `Bank Interest`, `Journal`, `MoneyLink Deposit`,
//!   `MoneyLink Transfer`, `Futures MM Sweep`, and option events (`Expired`, `Assigned`,
//!   `Exchange or Exercise`), which carry no trade price.
//! - `Quantity` is unsigned with thousands separators (`1,000`); `Price` `$73.7789`; fees =
//!   `Fees & Comm` (`$0.08` or empty = 0). `Amount` (signed, `-$3320.05`) is not needed.
//! - No execution id: the row key is the row's cells.
//!
//! # Realized gain/loss lot details (`schwab-realized`)
//!
//! 25 quoted columns starting `"Symbol","Name","Closed Date","Opened Date","Quantity",
//! "Proceeds Per Share","Cost Per Share","Proceeds","Cost Basis (CB)","Gain/Loss ($)",...`.
//! One row per closed lot, i.e. a round trip, which becomes two fills: the **entry** (a buy,
//! `Open`) on `Opened Date` and the **exit** (a sell, `Close`) on `Closed Date`, both at
//! 16:00 in the account zone, entry first.
//!
//! - Prices are the totals divided by the quantity (× 100 for options): entry =
//!   `Cost Basis (CB)` ÷ quantity, exit = `Proceeds` ÷ quantity, rounded to 10 decimals. The
//!   per-share columns are rounded to cents (`0.3` share × `$83.01` ≠ `$24.92`) and are not
//!   used. So a lot's P&L is `Proceeds − Cost`, to the cent. `Proceeds` is net of
//!   commissions: fees are 0.
//! - The file does not say whether a lot was long or short; both give P&L = proceeds − cost,
//!   so every lot is recorded as long.
//! - **Wash sales.** A lot with `Wash Sale?` `Yes` shows `Gain/Loss ($)` net of the
//!   `Disallowed Loss` (often `$0.00`); the loss really happened, so its P&L is `Proceeds −
//!   Cost Basis` (the gain/loss column minus the disallowed loss). The disallowed amount is
//!   added to the basis of the replacement lot, whose row then also carries `Transaction Cost
//!   Basis` (the price actually paid) and `Total Transaction Gain/Loss ($)`: when `Proceeds −
//!   Transaction Cost Basis` equals that total, the transaction cost basis is used as the
//!   cost. Checked on the sample against the transactions export (PLTR 05/27/2025: −15.03
//!   and +212.47 for `$0.00` and `$197.44`). Over a file that holds both lots, the sum of
//!   the round trips' P&L equals the sum of `Gain/Loss ($)`.
//! - Money with thousands separators (`"$137,787.67"`); quantities fractional (`0.3`).
//!   `Gain/Loss (%)`, `Term` and the long/short-term columns are not used.
//! - Rows are grouped by closed date, newest first, but lots closed on the same day are
//!   oldest first; the file is therefore read in file order (not `newest_first`), which keeps
//!   each row's entry before its exit.
//! - A `Total` row, should one appear, is skipped.
//!
//! # Instruments (both files)
//!
//! Stocks by ticker. Options as Schwab writes them, `NET 03/28/2025 135.00 C` (root,
//! expiry `MM/DD/YYYY`, strike, `C`/`P`), become OCC-keyed options with multiplier 100
//! ([`option_symbol`]); quantity is in contracts and prices per share.

use chrono::NaiveDate;
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, OptionRight, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Schwab account transactions download (Accounts → History → Transactions → Export).
#[derive(Debug, Clone, Copy, Default)]
pub struct SchwabTransactions;

/// Schwab realized gain/loss, lot details (Accounts → Realized Gain/Loss → Export).
#[derive(Debug, Clone, Copy, Default)]
pub struct SchwabRealized;

const TRANSACTION_COLUMNS: &[&str] = &[
    "Date",
    "Action",
    "Symbol",
    "Description",
    "Quantity",
    "Price",
    "Fees & Comm",
    "Amount",
];

const REALIZED_COLUMNS: &[&str] = &[
    "Symbol",
    "Name",
    "Closed Date",
    "Opened Date",
    "Quantity",
    "Proceeds Per Share",
    "Cost Per Share",
    "Proceeds",
    "Cost Basis (CB)",
];

/// Decimal places of prices computed from totals.
const PRICE_DP: u32 = 10;

impl Format for SchwabTransactions {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "schwab-transactions",
            name: "Schwab Transactions",
            platform: "thinkorswim",
            description: "Charles Schwab account transactions (schwab.com: Accounts → History → Export): stock and option trades; dividends, interest and transfers skipped.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        TRANSACTION_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        header_line(head).is_some_and(|cells| text::has_columns(&cells, TRANSACTION_COLUMNS))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = ["Date", "Action", "Symbol", "Quantity", "Price"]
            .iter()
            .map(std::slice::from_ref)
            .collect();
        text::parse_table_after_preamble(
            input,
            ctx,
            &|cols| cols.has("Action") && cols.has("Fees & Comm"),
            &required,
            sink,
            &mut |cols, line, record| outcome(line, read_transaction(cols, record, ctx)),
        )
    }
}

impl Format for SchwabRealized {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "schwab-realized",
            name: "Schwab Realized Gain/Loss",
            platform: "thinkorswim",
            description: "Charles Schwab realized gain/loss lot details (schwab.com: Accounts → Realized Gain/Loss → Export): one closed lot per row.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        REALIZED_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        header_line(head).is_some_and(|cells| {
            cells.len() >= REALIZED_COLUMNS.len() && cells.iter().zip(REALIZED_COLUMNS).all(|(c, want)| c == want)
        })
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = [
            "Symbol",
            "Closed Date",
            "Opened Date",
            "Quantity",
            "Proceeds",
            "Cost Basis (CB)",
        ]
        .iter()
        .map(std::slice::from_ref)
        .collect();
        text::parse_table(input, ctx, &required, sink, &mut |cols, line, record| {
            outcome(line, read_lot(cols, record, ctx))
        })
    }
}

/// The cells of the header line: the first non-blank head line, or the one after an older
/// download's `Transactions  for account` title.
fn header_line(head: &[&str]) -> Option<Vec<String>> {
    let mut lines = head
        .iter()
        .map(|l| crate::formats::strip_bom(l).trim())
        .filter(|l| !l.is_empty());
    let first = lines.next()?;
    let title = first.trim_start_matches('"').to_ascii_lowercase();
    let line = if title.starts_with("transactions") && title.contains("for account") {
        lines.next()?
    } else {
        first
    };
    Some(text::split_csv_line(line))
}

/// A readable row: fills, or a reason to skip it.
enum Read1 {
    Fills(Vec<RawFill>),
    Skip(String),
}

fn outcome(line: u64, read: Result<Read1, String>) -> RowOutcome {
    match read {
        Ok(Read1::Fills(fills)) => RowOutcome::Fills { line, fills },
        Ok(Read1::Skip(reason)) => RowOutcome::Skipped { line, reason },
        Err(reason) => RowOutcome::Rejected { line, reason },
    }
}

/// Side and stated position effect of a trade `Action`; `None` for a non-trade.
fn action(cell: &str) -> Option<(Side, Option<PositionEffect>)> {
    use PositionEffect::{Close, Open};
    Some(match cell.trim().to_ascii_lowercase().as_str() {
        "buy" => (Side::Buy, None),
        "sell" => (Side::Sell, None),
        "sell short" => (Side::Sell, Some(Open)),
        "buy to open" => (Side::Buy, Some(Open)),
        "sell to open" => (Side::Sell, Some(Open)),
        "buy to close" | "buy to cover" => (Side::Buy, Some(Close)),
        "sell to close" => (Side::Sell, Some(Close)),
        _ => return None,
    })
}

fn read_transaction(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let date_cell = cols.get(record, "Date");
    if date_cell.to_ascii_lowercase().starts_with("transactions total") {
        return Ok(Read1::Skip("total row".to_string()));
    }
    let action_cell = cols.get(record, "Action");
    let Some((side, position_effect)) = action(action_cell) else {
        return Ok(Read1::Skip(match action_cell {
            "" => "row without an action".to_string(),
            a => format!("non-trade action `{a}`"),
        }));
    };
    let instrument = instrument(cols.get(record, "Symbol"))?;
    let quantity = text::quantity_cell("Quantity", cols.get(record, "Quantity"))?.normalize();
    let price = text::number_cell("Price", cols.get(record, "Price"))?.normalize();
    if price < Decimal::ZERO {
        return Err(format!("Price `{}` is negative", cols.get(record, "Price")));
    }
    let fees = text::fee_cell("Fees & Comm", cols.get(record, "Fees & Comm"))?.normalize();
    // `MM/DD/YYYY as of MM/DD/YYYY`: the effective date is the second.
    let effective = date_cell.split_once(" as of ").map_or(date_cell, |(_, as_of)| as_of);
    let (_, executed_at) = text::us_date_cell("Date", effective, ctx.tz)?;
    Ok(Read1::Fills(vec![RawFill {
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
    }]))
}

fn read_lot(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let symbol = cols.get(record, "Symbol");
    if symbol.to_ascii_lowercase().starts_with("total") {
        return Ok(Read1::Skip("total row".to_string()));
    }
    let instrument = instrument(symbol)?;
    let quantity = text::quantity_cell("Quantity", cols.get(record, "Quantity"))?.normalize();
    let proceeds = money_total(cols, record, "Proceeds")?;
    let cost = lot_cost(cols, record, proceeds)?;
    let (_, opened_at) = text::us_date_cell("Opened Date", cols.get(record, "Opened Date"), ctx.tz)?;
    let (_, closed_at) = text::us_date_cell("Closed Date", cols.get(record, "Closed Date"), ctx.tz)?;

    let units = quantity
        .checked_mul(instrument.multiplier)
        .filter(|u| !u.is_zero())
        .ok_or("Quantity × multiplier is out of range")?;
    let per_unit = |total: Decimal| {
        total
            .checked_div(units)
            .map(|p| p.round_dp(PRICE_DP).normalize())
            .ok_or_else(|| format!("{total} ÷ {units} is out of range"))
    };
    let (entry_price, exit_price) = (per_unit(cost)?, per_unit(proceeds)?);

    let key = text::row_key(record);
    let fill = |side, price, executed_at, effect: PositionEffect| RawFill {
        instrument: instrument.clone(),
        side,
        quantity,
        price,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        position_effect: Some(effect),
        row_key: format!("{key}\u{1f}{}", effect.as_str()),
    };
    Ok(Read1::Fills(vec![
        fill(Side::Buy, entry_price, opened_at, PositionEffect::Open),
        fill(Side::Sell, exit_price, closed_at, PositionEffect::Close),
    ]))
}

/// A required non-negative money total.
fn money_total(cols: &Columns, record: &StringRecord, column: &str) -> Result<Decimal, String> {
    let value = text::number_cell(column, cols.get(record, column))?;
    if value < Decimal::ZERO {
        return Err(format!("{column} `{}` is negative", cols.get(record, column)));
    }
    Ok(value)
}

/// The lot's cost: `Cost Basis (CB)`, or `Transaction Cost Basis` when the row carries one
/// that is consistent with its own `Total Transaction Gain/Loss ($)` (the basis before a
/// wash-sale adjustment; see the module docs).
fn lot_cost(cols: &Columns, record: &StringRecord, proceeds: Decimal) -> Result<Decimal, String> {
    let basis = money_total(cols, record, "Cost Basis (CB)")?;
    let paid = text::parse_decimal(cols.get(record, "Transaction Cost Basis")).filter(|d| *d >= Decimal::ZERO);
    let gain = text::parse_decimal(cols.get(record, "Total Transaction Gain/Loss ($)"));
    Ok(match (paid, gain) {
        (Some(paid), Some(gain)) if proceeds.checked_sub(paid) == Some(gain) => paid,
        _ => basis,
    })
}

/// A stock ticker or a Schwab option symbol (`NET 03/28/2025 135.00 C`).
fn instrument(symbol: &str) -> Result<Instrument, String> {
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    if symbol.contains(char::is_whitespace) {
        let (root, expiry, right, strike) =
            option_symbol(symbol).ok_or_else(|| format!("Symbol `{symbol}` is not a ticker or an option"))?;
        return text::equity_option(&root, expiry, right, strike)
            .ok_or_else(|| format!("Symbol `{symbol}`: strike cannot be written as an OCC symbol"));
    }
    if !text::is_ticker(symbol) {
        return Err(format!("Symbol `{symbol}` is not a ticker or an option"));
    }
    Ok(Instrument::stock(symbol))
}

/// Reads Schwab's option symbol `ROOT MM/DD/YYYY STRIKE C|P`: root, expiry, right, strike.
pub fn option_symbol(symbol: &str) -> Option<(String, NaiveDate, OptionRight, Decimal)> {
    let words: Vec<&str> = symbol.split_whitespace().collect();
    let [root, date, strike, right] = words.as_slice() else {
        return None;
    };
    if !root.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let expiry = text::us_date(date)?;
    let strike = text::parse_decimal(strike).filter(|s| *s > Decimal::ZERO)?;
    let right = match *right {
        "C" => OptionRight::Call,
        "P" => OptionRight::Put,
        _ => return None,
    };
    Some((root.to_string(), expiry, right, strike.normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{match_round_trips, AssetClass, ContractTable, TradeStatus};

    const TRANSACTIONS: &str = "schwab/wescules-transactions-2025.csv";
    const REALIZED: &str = "schwab/wescules-realized-gains-2025.csv";
    const NY: chrono_tz::Tz = chrono_tz::America::New_York;

    fn parse_text(format: &dyn Format, text: &str) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: NY,
            contracts: &table,
        };
        parse_all(format, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn detects_both_samples() {
        for (rel, id) in [(TRANSACTIONS, "schwab-transactions"), (REALIZED, "schwab-realized")] {
            assert_eq!(detected_id(rel), Some(id), "{rel}");
        }
    }

    /// wescules transactions: 37 rows. By hand: 20 trade rows (Buy 13, Sell 6, Sell Short 1),
    /// 17 skipped (Reinvest Shares 7, Qual Div Reinvest 5, Reinvest Dividend 2, Credit
    /// Interest 2, Futures MM Sweep 1). Python FIFO per symbol, oldest row first (the file is
    /// newest first): NVDA 500 @130.70 → 130.8449 (+72.45), PLTR four pairs on 05/27
    /// (+115.00, −14.95, +212.55, −104.90), HIMS +90.10, TSLA: the Buy 500 @279.4673 is
    /// listed above (so after) the Sell Short 500 @275.5755: −1945.90: 7 closed trades, gross
    /// −1575.65, fees 0.08 × 5 + 0.17 × 2 = 0.74, net −1576.39. Open at the end: GOOG, UBER
    /// (two buys, one trade), ATYR (two buys, one trade), HOOD: 4 open trades, 11 in all.
    #[test]
    fn transactions_sample() {
        let parsed = parse_fixture(&SchwabTransactions, TRANSACTIONS, NY);
        assert_eq!(parsed.rows, 37);
        assert_eq!(parsed.fills.len(), 20);
        assert_eq!(parsed.skipped.len(), 17);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed
            .skipped
            .iter()
            .any(|(l, r)| *l == 3 && r == "non-trade action `Reinvest Shares`"));
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument, Instrument::stock("GOOG"));
        assert_eq!(
            (first.side, first.quantity, first.price, first.fees),
            (Side::Buy, dec!(55), dec!(176.265), dec!(0))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2025-07-09T20:00:00+00:00");
        let short = parsed.fills.iter().find(|(l, _)| *l == 15).unwrap();
        assert_eq!(
            (short.1.side, short.1.position_effect, short.1.fees),
            (Side::Sell, Some(PositionEffect::Open), dec!(0.08))
        );
        let pltr = parsed.fills.iter().find(|(l, _)| *l == 22).unwrap();
        assert_eq!(pltr.1.quantity, dec!(1000));

        let trips = round_trips_ordered(&parsed, true);
        assert_eq!(trips.len(), 11);
        let closed: Vec<_> = trips.iter().filter(|t| t.status == TradeStatus::Closed).collect();
        assert_eq!(closed.len(), 7);
        assert_eq!(closed.iter().map(|t| t.gross_pnl).sum::<Decimal>(), dec!(-1575.65));
        assert_eq!(closed.iter().map(|t| t.fees).sum::<Decimal>(), dec!(0.74));
        assert_eq!(closed.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(-1576.39));
        assert_eq!(trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(), dec!(-1575.65));
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(-1576.39));
    }

    /// The older layout (FORMATS.md): a title line, `as of` dates, option actions and a
    /// `Transactions Total` row with one more field.
    #[test]
    fn older_layout_with_title_total_and_options() {
        let text = "\"Transactions  for account Individual ...123 as of 05/03/2023 02:21:05 PM ET\"\n\
            \"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Fees & Comm\",\"Amount\"\n\
            \"05/02/2023\",\"Sell to Close\",\"SPY 05/19/2023 410.00 C\",\"CALL SPDR S&P 500 $410 EXP 05/19/23\",\"2\",\"$3.10\",\"$1.32\",\"$618.68\"\n\
            \"05/01/2023 as of 04/28/2023\",\"Buy to Open\",\"SPY 05/19/2023 410.00 C\",\"CALL SPDR S&P 500 $410 EXP 05/19/23\",\"2\",\"$2.50\",\"$1.32\",\"-$501.32\"\n\
            \"04/28/2023\",\"Cash Dividend\",\"AAPL\",\"APPLE INC\",\"\",\"\",\"\",\"$2.40\"\n\
            \"04/27/2023\",\"Buy\",\"AAPL\",\"APPLE INC\",\"1,000\",\"$165.00\",\"\",\"-$165,000.00\"\n\
            \"Transactions Total\",\"\",\"\",\"\",\"\",\"\",\"\",\"-$164,880.24\",\"\"\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(detect(&lines).map(|f| f.id()), Some("schwab-transactions"));
        let parsed = parse_text(&SchwabTransactions, text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.fills.len(), 3);
        assert_eq!(
            parsed.skipped,
            vec![
                (5, "non-trade action `Cash Dividend`".to_string()),
                (7, "total row".to_string())
            ]
        );
        let (_, close) = &parsed.fills[0];
        assert_eq!(close.instrument.symbol, "SPY230519C00410000");
        assert_eq!(close.instrument.asset_class, AssetClass::Option);
        assert_eq!(close.position_effect, Some(PositionEffect::Close));
        let (_, open) = &parsed.fills[1];
        assert_eq!(
            (open.side, open.position_effect),
            (Side::Buy, Some(PositionEffect::Open))
        );
        // The effective date after `as of`.
        assert_eq!(open.executed_at.to_rfc3339(), "2023-04-28T20:00:00+00:00");
        assert_eq!(parsed.fills[2].1.quantity, dec!(1000));
        let trips = round_trips_ordered(&parsed, true);
        let spy = trips
            .iter()
            .find(|t| t.instrument.symbol == "SPY230519C00410000")
            .unwrap();
        // (3.10 − 2.50) × 2 × 100 = 120; fees 2.64.
        assert_eq!((spy.gross_pnl, spy.net_pnl), (dec!(120), dec!(117.36)));
    }

    /// The P&L the realized file itself states for a lot: `Gain/Loss ($)`, less the
    /// `Disallowed Loss` of a wash sale, or `Total Transaction Gain/Loss ($)` when the row
    /// carries the basis before a wash-sale adjustment.
    fn stated_pnl(record: &StringRecord) -> Decimal {
        let money = |i: usize| text::parse_decimal(&record[i]).unwrap_or_default();
        if !record[18].is_empty() {
            money(19)
        } else {
            money(9) - money(16)
        }
    }

    /// wescules realized gains: 49 lots → 98 fills. Every lot's P&L (its two fills matched
    /// alone) equals the file's own figure to the cent ([`stated_pnl`]); over the file the
    /// round trips' P&L equals Σ `Gain/Loss ($)` = 7,617.06 (python over the column; the two
    /// wash-sale disallowances, 15.03 and 242.79, are carried by replacement lots in the same
    /// file). Python FIFO over the fills (entry before exit, file order at equal dates) gives
    /// 26 round trips, all closed: the NDAQ and TQQQ lots of many opening dates closed on
    /// one day form one trade each, and same-day lots of one symbol chain into one trade.
    #[test]
    fn realized_sample_matches_its_gain_loss_column() {
        let parsed = parse_fixture(&SchwabRealized, REALIZED, NY);
        assert_eq!(parsed.rows, 49);
        assert_eq!(parsed.fills.len(), 98);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);

        let bytes = std::fs::read(fixture(REALIZED)).unwrap();
        let records: Vec<StringRecord> = text::csv_rows(&bytes[..]).skip(1).map(|r| r.unwrap().1).collect();
        assert_eq!(records.len(), 49);
        let mut column_total = Decimal::ZERO;
        for (i, record) in records.iter().enumerate() {
            let pair: Vec<_> = parsed.fills[2 * i..2 * i + 2]
                .iter()
                .enumerate()
                .map(|(j, (_, f))| f.to_fill(format!("f{j}"), "a", j as i64))
                .collect();
            let trips = match_round_trips(&pair);
            assert_eq!(trips.len(), 1, "lot {i}");
            assert_eq!(trips[0].net_pnl.round_dp(2), stated_pnl(record), "lot {i}: {record:?}");
            column_total += text::parse_decimal(&record[9]).unwrap();
        }
        assert_eq!(column_total, dec!(7617.06));

        let (_, entry) = &parsed.fills[0];
        let (_, exit) = &parsed.fills[1];
        assert_eq!(entry.instrument, Instrument::stock("TSLA"));
        assert_eq!((entry.side, entry.price), (Side::Buy, dec!(279.4673)));
        assert_eq!((exit.side, exit.price), (Side::Sell, dec!(275.57534)));
        assert_eq!(entry.position_effect, Some(PositionEffect::Open));
        assert_eq!(exit.position_effect, Some(PositionEffect::Close));
        // The option lot: 5 contracts, cost 153.30 → 0.3066 per share, expired at 0.
        let net = parsed
            .fills
            .iter()
            .find(|(_, f)| f.instrument.asset_class == AssetClass::Option)
            .unwrap();
        assert_eq!(net.1.instrument.symbol, "NET250328C00135000");
        assert_eq!((net.1.quantity, net.1.price), (dec!(5), dec!(0.3066)));
        // The wash-sale replacement lot uses the basis actually paid.
        let replacement = parsed.fills.iter().find(|(l, _)| *l == 6).unwrap();
        assert_eq!(replacement.1.price, dec!(125.455));

        let trips = round_trips_ordered(&parsed, false);
        assert_eq!(trips.len(), 26);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross.round_dp(2), dec!(7617.06));
        assert_eq!(net.round_dp(2), dec!(7617.06));
    }

    #[test]
    fn realized_rows_rejected_with_reasons() {
        let header = "\"Symbol\",\"Name\",\"Closed Date\",\"Opened Date\",\"Quantity\",\"Proceeds Per Share\",\"Cost Per Share\",\"Proceeds\",\"Cost Basis (CB)\",\"Gain/Loss ($)\"";
        let text = format!(
            "{header}\n\
             \"AAPL\",\"APPLE\",\"03/03/2025\",\"Various\",\"1\",\"$1\",\"$1\",\"$1\",\"$1\",\"$0\"\n\
             \"AAPL\",\"APPLE\",\"03/03/2025\",\"03/01/2025\",\"0\",\"$1\",\"$1\",\"$1\",\"$1\",\"$0\"\n\
             \"AAPL\",\"APPLE\",\"03/03/2025\",\"03/01/2025\",\"1\",\"$1\",\"$1\",\"-$1\",\"$1\",\"$0\"\n\
             \"NET 3/28/25 X C\",\"?\",\"03/03/2025\",\"03/01/2025\",\"1\",\"$1\",\"$1\",\"$1\",\"$1\",\"$0\"\n\
             \"Total\",\"\",\"\",\"\",\"\",\"\",\"\",\"$3\",\"$3\",\"$0\"\n"
        );
        let parsed = parse_text(&SchwabRealized, &text);
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Opened Date `Various` is not a date (M/D/YYYY)",
                "Quantity `0` is not a positive quantity",
                "Proceeds `-$1` is negative",
                "Symbol `NET 3/28/25 X C` is not a ticker or an option",
            ]
        );
        assert_eq!(parsed.skipped, vec![(6, "total row".to_string())]);
    }

    #[test]
    fn option_symbols() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 28).unwrap();
        assert_eq!(
            option_symbol("NET 03/28/2025 135.00 C"),
            Some(("NET".to_string(), d, OptionRight::Call, dec!(135)))
        );
        assert_eq!(
            option_symbol("SPXW 03/28/2025 5725.50 P").map(|o| (o.2, o.3)),
            Some((OptionRight::Put, dec!(5725.5)))
        );
        for bad in [
            "NET",
            "NET 03/28/2025 135.00",
            "NET 03/28/2025 abc C",
            "NET 2025-03-28 135 C",
            "NET 03/28/2025 135 X",
        ] {
            assert_eq!(option_symbol(bad), None, "{bad}");
        }
        assert!(instrument("BRK/B").is_ok());
        assert_eq!(instrument("").unwrap_err(), "Symbol is empty");
    }

    #[test]
    fn never_panics_on_garbage() {
        for (format, rel) in [
            (&SchwabTransactions as &dyn Format, TRANSACTIONS),
            (&SchwabRealized as &dyn Format, REALIZED),
        ] {
            let bytes = std::fs::read(fixture(rel)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines = text.lines();
            let header = lines.next().unwrap();
            let rows: Vec<(&str, &str)> = lines.take(2).map(|row| (header, row)).collect();
            text::assert_never_panics(format, &bytes[..bytes.len().min(2048)], &rows);
        }
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&SchwabTransactions, &[TRANSACTIONS]);
        text::assert_detects_only(&SchwabRealized, &[REALIZED]);
    }
}
