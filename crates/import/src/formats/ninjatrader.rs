//! NinjaTrader 8 grid exports: the **Executions**, **Orders** and **Trades** grids.
//!
//! Source: `shared/fixtures/FORMATS.md` § NinjaTrader 8 grid exports and the samples
//! `ninjatrader/hamza-backtest-executions-grid.csv`, `hamza-backtest-orders-grid.csv` and
//! `hamza-backtest-trades-grid.csv` (one Strategy Analyzer backtest of an MNQ opening-range
//! strategy, account `Backtest`, `,` delimiter, CRLF, day-first dates). The European-locale
//! spelling (`;`, decimal commas, `-1,00 $`) is described in FORMATS.md and covered here by
//! inline test files.
//!
//! NinjaTrader writes whatever grid is on screen (right click → Export) to a file named like
//! `NinjaTrader Grid 2026-02-17 12-20 .csv`; the header tells which grid it is.
//!
//! # One account, one of the three grids
//!
//! The three grids describe the **same trades** three ways (a fill per execution, a fill per
//! filled order, two fills per round trip), with unrelated ids and row keys. Importing two of
//! them into one account would import every trade again: **use one grid per account**, and
//! prefer the **Executions** grid — it has the real fill times, a fill id, the fees and the
//! entry/exit flag. The Orders grid only has the order's time; the Trades grid pairs
//! executions already (a scaled position shows as several rows).
//!
//! # Locale: delimiter, numbers and dates
//!
//! The grid follows the Windows locale of the PC:
//!
//! - **Delimiter** `,` or `;`, decided from the header line (the one with more of them).
//!   Every line, header included, ends with the delimiter (a trailing empty field, ignored).
//! - **Numbers**: with `,` a decimal point and money like `-$44.50`, `$0.00`; with `;` a
//!   decimal comma and money like `-1,00 $`, `25394,00` (a `.` is then a thousands
//!   separator, and a cell whose only separator is a `.` not followed by exactly three digits
//!   is refused rather than misread). Narrow and thin no-break spaces (French grouping) are
//!   ignored.
//! - **Dates** have no zone: they are read in the account zone. Their order is decided **per
//!   file**, never assumed:
//!   1. the first date whose first field is above 12 (`13/02/2026`) proves day-first; one whose
//!      second field is above 12 (`02/13/2026`) proves month-first. Rows are held back (at
//!      most [`MAX_UNDECIDED_ROWS`]) until such a date is seen;
//!   2. when no date of the file proves it (every day ≤ 12), the locale decides: a `;` file is
//!      day-first (European locales), and so is a `,` file with a 24-hour clock (`en-GB` and
//!      the like); a `,` file whose times have `AM`/`PM` is month-first (the US locale writes
//!      `2/13/2026 10:30:26 AM`).
//!
//!   A row whose date does not fit the decided order (a `02/13/2026` after `13/02/2026`) is
//!   rejected with both dates named, which fails the import rather than misplacing trades.
//!   `dd.mm.yyyy` is always day-first and `yyyy-mm-dd` always ISO.
//! - **Instrument** is the futures root and expiry (`MNQ SEP26`, `MNQ 03-26`), read by the
//!   contract table (no multiplier column); an unknown root rejects the row. Only futures are
//!   read: a stock or forex instrument is rejected by the table with its reason.
//!
//! # Executions grid (`ninjatrader-executions`)
//!
//! ```text
//! Instrument,Action,Quantity,Price,Time,ID,E/X,Position,Order ID,Name,Commission,Rate,Account,Connection,
//! ```
//!
//! One row per fill, **newest first**. `Action` `Buy`/`Sell` (also `Buy to cover` / `Sell
//! short`); `E/X` `Entry` → opens, `Exit` → closes; `ID` is the execution id
//! (`ninjatrader:<ID>`); `Commission` the fill's fees (money text; NinjaTrader shows fees as
//! a positive cost, and a minus sign is read as the same cost). `Position` (the position after
//! the fill), `Order ID`, `Name` (signal name), `Rate` (currency rate, `1`), `Account` and
//! `Connection` are not needed.
//!
//! # Orders grid (`ninjatrader-orders`)
//!
//! ```text
//! Instrument,Action,Type,Quantity,Limit,Stop,State,Filled,Avg. price,Remaining,Name,OCO,TIF,Account,Connection,ID,Strategy,Time,
//! ```
//!
//! One row per order, oldest first. An order with `Filled` > 0 is one fill of `Filled` at
//! `Avg. price` (whatever its `State`: a partly filled order cancelled afterwards keeps its
//! filled part), execution id `ninjatrader-order:<ID>`; an order with nothing filled
//! (`Cancelled`, `Rejected`, working) is skipped. `Action` `Sell short` opens and `Buy to
//! cover` closes; `Buy` and `Sell` do not say. **`Time` is the order's time** (when it was
//! submitted or last changed), not the fill time, which this grid does not have — another
//! reason to prefer the Executions grid. No fee column: fees are 0.
//!
//! # Trades grid (`ninjatrader-trades`)
//!
//! ```text
//! Trade number,Instrument,Account,Strategy,Market pos.,Qty,Entry price,Exit price,Entry time,Exit time,Entry name,Exit name,Profit,Cum. net profit,Commission,Clearing Fee,Exchange Fee,IP Fee,NFA Fee,MAE,MFE,ETD,Bars,
//! ```
//!
//! One row per round trip, oldest first; it becomes **two fills**: the entry (`Open`) at
//! `Entry price` / `Entry time` and the exit (`Close`) at `Exit price` / `Exit time`, `Qty`
//! each; `Market pos.` `Long` makes the entry a buy, `Short` a sell. Fees = `Commission` +
//! `Clearing Fee` + `Exchange Fee` + `IP Fee` + `NFA Fee` (those present), all on the exit
//! fill, so the round trip's fees are exactly the row's. `Profit` is **net** — `Cum. net
//! profit` is its running sum — and is only used to warn when it differs from (exit − entry)
//! × qty × point value (sign by direction) − fees. MAE/MFE/ETD/Bars are not needed.
//!
//! No execution id: the row key is the row's trimmed cells **without `Trade number` and
//! `Cum. net profit`**, which depend on where the export starts, so that an overlapping
//! export of the same trades dedupes; suffixed `entry` / `exit`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::{BufRead, Read};
use tradebook_core::{Instrument, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// NinjaTrader 8 Executions grid (Control Center → Executions tab, right click → Export):
/// one row per fill. The preferred NinjaTrader export.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinjaTraderExecutions;

/// NinjaTrader 8 Orders grid (Orders tab → Export): one row per order.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinjaTraderOrders;

/// NinjaTrader 8 Trades grid (Trade Performance / Strategy Analyzer → Trades → Export): one
/// row per round trip, expanded into its entry and exit fills.
#[derive(Debug, Clone, Copy, Default)]
pub struct NinjaTraderTrades;

/// Rows held back while no date of the file has told day-first from month-first; past this
/// many the locale's default decides (see the module doc).
pub const MAX_UNDECIDED_ROWS: usize = 10_000;

/// Most bytes read to find the header line (and so the delimiter).
const HEADER_PEEK_LIMIT: u64 = 1 << 20;

const EXECUTION_COLUMNS: &[&str] = &["Instrument", "Action", "Quantity", "Price", "Time", "ID", "E/X"];
const ORDER_COLUMNS: &[&str] = &[
    "Instrument",
    "Action",
    "Type",
    "Quantity",
    "State",
    "Filled",
    "Avg. price",
    "Remaining",
    "ID",
    "Time",
];
const TRADE_COLUMNS: &[&str] = &[
    "Trade number",
    "Instrument",
    "Market pos.",
    "Qty",
    "Entry price",
    "Exit price",
    "Entry time",
    "Exit time",
];
const TRADE_FEE_COLUMNS: &[&str] = &["Commission", "Clearing Fee", "Exchange Fee", "IP Fee", "NFA Fee"];
/// Trades-grid cells left out of the row key: they depend on where the export starts.
const TRADE_RANGE_COLUMNS: &[&str] = &["Trade number", "Cum. net profit"];

impl Format for NinjaTraderExecutions {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "ninjatrader-executions",
            name: "NinjaTrader Executions",
            platform: "NinjaTrader",
            description: "NinjaTrader 8 Executions grid (Control Center → Executions, right click → Export): one row per fill with entry/exit and commission. Preferred over the Orders and Trades grids; import only one of them per account.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        EXECUTION_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        has_all(head, EXECUTION_COLUMNS)
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        parse_grid(Grid::Executions, input, ctx, sink)
    }
}

impl Format for NinjaTraderOrders {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "ninjatrader-orders",
            name: "NinjaTrader Orders",
            platform: "NinjaTrader",
            description: "NinjaTrader 8 Orders grid (Control Center → Orders, right click → Export): filled orders become fills at their average price and order time. Prefer the Executions grid; import only one grid per account.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        ORDER_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        has_all(head, ORDER_COLUMNS)
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        parse_grid(Grid::Orders, input, ctx, sink)
    }
}

impl Format for NinjaTraderTrades {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "ninjatrader-trades",
            name: "NinjaTrader Trades",
            platform: "NinjaTrader",
            description: "NinjaTrader 8 Trades grid (Trade Performance or Strategy Analyzer → Trades, right click → Export): one row per round trip with its fees. Prefer the Executions grid; import only one grid per account.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        TRADE_COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        has_all(head, TRADE_COLUMNS)
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        parse_grid(Grid::Trades, input, ctx, sink)
    }
}

/// Which grid a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grid {
    Executions,
    Orders,
    Trades,
}

impl Grid {
    fn required(self) -> Vec<&'static [&'static str]> {
        let names: &'static [&'static str] = match self {
            Grid::Executions => &["Instrument", "Action", "Quantity", "Price", "Time"],
            Grid::Orders => &["Instrument", "Action", "Filled", "Avg. price", "ID", "Time"],
            Grid::Trades => &TRADE_COLUMNS[1..],
        };
        names.iter().map(std::slice::from_ref).collect()
    }

    /// The columns holding dates (the evidence for the date order).
    fn time_columns(self) -> &'static [&'static str] {
        match self {
            Grid::Executions | Grid::Orders => &["Time"],
            Grid::Trades => &["Entry time", "Exit time"],
        }
    }

    fn read(
        self,
        cols: &Columns,
        record: &StringRecord,
        locale: &Locale,
        ctx: &ParseContext<'_>,
    ) -> Result<Read1, String> {
        match self {
            Grid::Executions => read_execution(cols, record, locale, ctx),
            Grid::Orders => read_order(cols, record, locale, ctx),
            Grid::Trades => read_trade(cols, record, locale, ctx),
        }
    }
}

/// What a readable row gives.
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

/// `;` when the line has more semicolons than commas, else `,`.
pub fn delimiter_of(line: &str) -> u8 {
    let semicolons = line.bytes().filter(|b| *b == b';').count();
    let commas = line.bytes().filter(|b| *b == b',').count();
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Whether the header (split on its own delimiter) has every column of `names`.
fn has_all(head: &[&str], names: &[&str]) -> bool {
    let Some(line) = text::first_line(head) else {
        return false;
    };
    let delimiter = char::from(delimiter_of(line));
    let cells: Vec<&str> = line.split(delimiter).map(|c| c.trim().trim_matches('"')).collect();
    text::has_columns(&cells, names)
}

// ---------------------------------------------------------------------------------------------
// Locale

/// Day-first or month-first dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl DateOrder {
    fn name(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
        }
    }

    fn formats(self) -> &'static [&'static str] {
        match self {
            DateOrder::DayFirst => &[
                "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %I:%M:%S %p",
                "%d/%m/%Y %H:%M",
                "%d/%m/%Y %H:%M:%S%.f",
                "%d-%m-%Y %H:%M:%S",
                "%d.%m.%Y %H:%M:%S",
                "%d.%m.%Y %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ],
            DateOrder::MonthFirst => &[
                "%m/%d/%Y %I:%M:%S %p",
                "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %I:%M %p",
                "%m/%d/%Y %H:%M",
                "%m/%d/%Y %H:%M:%S%.f",
                "%m-%d-%Y %H:%M:%S",
                "%d.%m.%Y %H:%M:%S",
                "%d.%m.%Y %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ],
        }
    }
}

/// What a date cell proves about the date order: `13/02/2026` day-first, `02/13/2026`
/// month-first, anything else (both fields ≤ 12, ISO, `dd.mm.yyyy`) nothing.
pub fn date_evidence(cell: &str) -> Option<DateOrder> {
    let date = cell.split_whitespace().next()?;
    let parts: Vec<&str> = date.split(['/', '-']).collect();
    let [first, second, _] = parts.as_slice() else {
        return None;
    };
    if first.len() > 2 || second.len() > 2 {
        return None;
    }
    let first: u32 = first.parse().ok()?;
    let second: u32 = second.parse().ok()?;
    match (first > 12, second > 12) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// How a file writes numbers and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Locale {
    /// Decimal comma (`;` files).
    decimal_comma: bool,
    order: DateOrder,
    /// Why `order` was chosen (for rejection messages).
    basis: String,
}

impl Locale {
    /// A number or money cell in this locale; the reason names the column and value.
    fn number(&self, column: &str, value: &str) -> Result<Decimal, String> {
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("{column} is empty"));
        }
        parse_number(value, self.decimal_comma).ok_or_else(|| {
            if self.decimal_comma {
                format!("{column} `{value}` is not a number in this file's decimal-comma locale")
            } else {
                format!("{column} `{value}` is not a number")
            }
        })
    }

    fn quantity(&self, column: &str, value: &str) -> Result<Decimal, String> {
        let quantity = self.number(column, value)?;
        if quantity <= Decimal::ZERO {
            return Err(format!("{column} `{}` is not a positive quantity", value.trim()));
        }
        Ok(quantity)
    }

    /// A fee cell: empty is 0; the amount is a cost whatever its sign.
    fn fee(&self, column: &str, value: &str) -> Result<Decimal, String> {
        if value.trim().is_empty() {
            return Ok(Decimal::ZERO);
        }
        Ok(self.number(column, value)?.abs())
    }

    /// A date-time cell in the decided order, in the account zone.
    fn time(
        &self,
        column: &str,
        value: &str,
        ctx: &ParseContext<'_>,
    ) -> Result<(NaiveDateTime, DateTime<Utc>), String> {
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("{column} is empty"));
        }
        let naive = text::parse_naive(value, self.order.formats()).ok_or_else(|| {
            format!(
                "{column} `{value}` is not a date and time in this file's {} order ({})",
                self.order.name(),
                self.basis
            )
        })?;
        text::local_to_utc(naive, ctx.tz)
            .map(|utc| (naive, utc))
            .ok_or_else(|| {
                format!(
                    "{column} `{value}` does not exist in {} (skipped by a daylight-saving change)",
                    ctx.tz.name()
                )
            })
    }
}

/// A number as NinjaTrader writes it: `25394.00`, `-$44.50`, `$0.00` with a decimal point;
/// `25394,00`, `-1,00 $`, `1.234,50 €`, `1 234,50 $` with a decimal comma.
pub fn parse_number(cell: &str, decimal_comma: bool) -> Option<Decimal> {
    let cleaned: String = cell.chars().filter(|c| !matches!(c, '\u{202f}' | '\u{2009}')).collect();
    if !decimal_comma {
        return text::parse_decimal(&cleaned);
    }
    // A lone `.` is a thousands separator only before exactly three digits (`1.234`);
    // `25394.00` in a decimal-comma file is ambiguous and refused.
    if !cleaned.contains(',') {
        if let Some((_, after)) = cleaned.rsplit_once('.') {
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits != 3 {
                return None;
            }
        }
    }
    text::parse_decimal_comma(&cleaned)
}

// ---------------------------------------------------------------------------------------------
// The driver: header, delimiter, date order, rows.

/// Reads the lines up to and including the first non-blank one (the header), so the
/// delimiter can be chosen before the CSV reader starts; returns those bytes.
fn peek_header<R: BufRead>(input: &mut R) -> std::io::Result<Vec<u8>> {
    let mut prefix = Vec::new();
    loop {
        let start = prefix.len();
        let room = HEADER_PEEK_LIMIT.saturating_sub(start as u64);
        if room == 0 {
            return Ok(prefix);
        }
        let n = input.by_ref().take(room).read_until(b'\n', &mut prefix)?;
        if n == 0 {
            return Ok(prefix);
        }
        let line = String::from_utf8_lossy(&prefix[start..]);
        let line = crate::formats::strip_bom(&line);
        if !line.trim().trim_matches(|c| c == ',' || c == ';').trim().is_empty() {
            return Ok(prefix);
        }
    }
}

fn parse_grid(
    grid: Grid,
    input: &mut dyn Read,
    ctx: &ParseContext<'_>,
    sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        file: ctx.file_name.clone(),
        source,
    };
    let mut buffered = std::io::BufReader::new(input);
    let prefix = peek_header(&mut buffered).map_err(io)?;
    let delimiter = {
        let text = String::from_utf8_lossy(&prefix);
        let header = text.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or("");
        delimiter_of(header)
    };
    let reader = std::io::Cursor::new(prefix).chain(buffered);

    let mut columns: Option<Columns> = None;
    let mut locale: Option<Locale> = None;
    let mut pending: Vec<(u64, StringRecord)> = Vec::new();
    let mut first_time: Option<String> = None;

    for next in text::csv_rows_with_delimiter(reader, delimiter) {
        let (line, record) = next.map_err(io)?;
        if text::is_blank(&record) {
            continue;
        }
        let Some(cols) = &columns else {
            let header = Columns::from_record(&record);
            if let Some(missing) = header.missing(&grid.required()) {
                return Err(ImportError::Malformed {
                    file: ctx.file_name.clone(),
                    line,
                    message: format!("the header has no column {missing}"),
                });
            }
            columns = Some(header);
            continue;
        };
        if cols.is_header(&record) {
            continue;
        }
        if let Some(locale) = &locale {
            sink(outcome(line, grid.read(cols, &record, locale, ctx)))?;
            continue;
        }
        // The date order is not known yet: look for proof in this row.
        let mut proof = None;
        for column in grid.time_columns() {
            let cell = cols.get(&record, column);
            if first_time.is_none() && !cell.is_empty() {
                first_time = Some(cell.to_string());
            }
            if let Some(order) = date_evidence(cell) {
                proof = Some((order, format!("line {line} has {column} `{cell}`")));
                break;
            }
        }
        pending.push((line, record));
        let decided = match proof {
            Some((order, basis)) => Some(make_locale(delimiter, order, basis)),
            None if pending.len() >= MAX_UNDECIDED_ROWS => Some(default_locale(delimiter, first_time.as_deref())),
            None => None,
        };
        if let Some(decided) = decided {
            for (line, record) in pending.drain(..) {
                sink(outcome(line, grid.read(cols, &record, &decided, ctx)))?;
            }
            locale = Some(decided);
        }
    }
    if !pending.is_empty() {
        if let Some(cols) = &columns {
            let decided = default_locale(delimiter, first_time.as_deref());
            for (line, record) in pending.drain(..) {
                sink(outcome(line, grid.read(cols, &record, &decided, ctx)))?;
            }
        }
    }
    Ok(())
}

fn make_locale(delimiter: u8, order: DateOrder, basis: String) -> Locale {
    Locale {
        decimal_comma: delimiter == b';',
        order,
        basis,
    }
}

/// The date order when no date of the file proves it (see the module doc).
fn default_locale(delimiter: u8, first_time: Option<&str>) -> Locale {
    let twelve_hour = first_time.is_some_and(|t| {
        let upper = t.to_ascii_uppercase();
        upper.ends_with("AM") || upper.ends_with("PM")
    });
    let (order, basis) = if delimiter == b';' {
        (
            DateOrder::DayFirst,
            "no date has a field above 12; a `;` grid comes from a day-first European locale",
        )
    } else if twelve_hour {
        (
            DateOrder::MonthFirst,
            "no date has a field above 12; a `,` grid with AM/PM times comes from the US locale",
        )
    } else {
        (
            DateOrder::DayFirst,
            "no date has a field above 12; a `,` grid with 24-hour times comes from a day-first locale",
        )
    };
    make_locale(delimiter, order, basis.to_string())
}

// ---------------------------------------------------------------------------------------------
// Rows

/// `Buy`, `Buy to cover` → buy; `Sell`, `Sell short` → sell; with the position effect the
/// action states (`Sell short` opens, `Buy to cover` closes).
fn action(value: &str) -> Result<(Side, Option<PositionEffect>), String> {
    let key: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "buy" => Ok((Side::Buy, None)),
        "sell" => Ok((Side::Sell, None)),
        "buytocover" => Ok((Side::Buy, Some(PositionEffect::Close))),
        "sellshort" => Ok((Side::Sell, Some(PositionEffect::Open))),
        "" => Err("Action is empty".to_string()),
        _ => Err(format!(
            "Action `{}` is not Buy, Sell, Buy to cover or Sell short",
            value.trim()
        )),
    }
}

fn future(
    cols: &Columns,
    record: &StringRecord,
    date: NaiveDate,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let instrument = cols.get(record, "Instrument");
    if instrument.is_empty() {
        return Err("Instrument is empty".to_string());
    }
    ctx.contracts.future(instrument, date).map_err(|e| e.to_string())
}

fn read_execution(
    cols: &Columns,
    record: &StringRecord,
    locale: &Locale,
    ctx: &ParseContext<'_>,
) -> Result<Read1, String> {
    let (side, from_action) = action(cols.get(record, "Action"))?;
    let ex = cols.get(record, "E/X");
    let position_effect = match ex.to_ascii_lowercase().as_str() {
        "entry" => Some(PositionEffect::Open),
        "exit" => Some(PositionEffect::Close),
        "" => from_action,
        _ => return Err(format!("E/X `{ex}` is not Entry or Exit")),
    };
    let quantity = locale.quantity("Quantity", cols.get(record, "Quantity"))?;
    let price = locale.number("Price", cols.get(record, "Price"))?;
    let (naive, executed_at) = locale.time("Time", cols.get(record, "Time"), ctx)?;
    let instrument = future(cols, record, naive.date(), ctx)?;
    let fees = locale.fee("Commission", cols.get(record, "Commission"))?;
    let id = cols.get(record, "ID");
    Ok(Read1::Fills(vec![RawFill {
        instrument,
        side,
        quantity,
        price,
        fees,
        executed_at,
        source_tz: ctx.tz,
        execution_id: (!id.is_empty()).then(|| format!("ninjatrader:{id}")),
        position_effect,
        row_key: text::row_key(record),
    }]))
}

fn read_order(cols: &Columns, record: &StringRecord, locale: &Locale, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let state = cols.get(record, "State");
    let filled = cols.get(record, "Filled");
    let nothing_filled = filled.is_empty() || locale.number("Filled", filled).is_ok_and(|f| f.is_zero());
    if nothing_filled {
        if state.eq_ignore_ascii_case("Filled") {
            return Err(format!("State is Filled but Filled is `{filled}`"));
        }
        let state = if state.is_empty() { "without a state" } else { state };
        return Ok(Read1::Skip(format!("order {state}, nothing filled")));
    }
    let quantity = locale.quantity("Filled", filled)?;
    let (side, position_effect) = action(cols.get(record, "Action"))?;
    let price = locale.number("Avg. price", cols.get(record, "Avg. price"))?;
    let (naive, executed_at) = locale.time("Time", cols.get(record, "Time"), ctx)?;
    let instrument = future(cols, record, naive.date(), ctx)?;
    let id = cols.get(record, "ID");
    if id.is_empty() {
        return Err("ID is empty".to_string());
    }
    Ok(Read1::Fills(vec![RawFill {
        instrument,
        side,
        quantity,
        price,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: ctx.tz,
        execution_id: Some(format!("ninjatrader-order:{id}")),
        position_effect,
        row_key: text::row_key(record),
    }]))
}

fn read_trade(cols: &Columns, record: &StringRecord, locale: &Locale, ctx: &ParseContext<'_>) -> Result<Read1, String> {
    let position = cols.get(record, "Market pos.");
    let (entry_side, exit_side) = match position.to_ascii_lowercase().as_str() {
        "long" => (Side::Buy, Side::Sell),
        "short" => (Side::Sell, Side::Buy),
        "" => return Err("Market pos. is empty".to_string()),
        _ => return Err(format!("Market pos. `{position}` is not Long or Short")),
    };
    let quantity = locale.quantity("Qty", cols.get(record, "Qty"))?;
    let entry_price = locale.number("Entry price", cols.get(record, "Entry price"))?;
    let exit_price = locale.number("Exit price", cols.get(record, "Exit price"))?;
    let (entry_naive, entered_at) = locale.time("Entry time", cols.get(record, "Entry time"), ctx)?;
    let (_, exited_at) = locale.time("Exit time", cols.get(record, "Exit time"), ctx)?;
    let instrument = future(cols, record, entry_naive.date(), ctx)?;
    let mut fees = Decimal::ZERO;
    for column in TRADE_FEE_COLUMNS {
        fees = fees
            .checked_add(locale.fee(column, cols.get(record, column))?)
            .ok_or_else(|| format!("{column} makes the fees overflow"))?;
    }

    let profit_cell = cols.get(record, "Profit");
    if let Ok(profit) = locale.number("Profit", profit_cell) {
        let net = exit_price
            .checked_sub(entry_price)
            .and_then(|d| d.checked_mul(quantity))
            .and_then(|d| d.checked_mul(instrument.multiplier))
            .map(|d| if entry_side == Side::Buy { d } else { -d })
            .and_then(|d| d.checked_sub(fees));
        if net.is_some_and(|net| net != profit) {
            tracing::warn!(
                file = %ctx.file_name,
                profit = %profit_cell,
                computed = ?net,
                symbol = %instrument.symbol,
                "NinjaTrader trades row: Profit differs from (exit − entry) × qty × point value − fees"
            );
        }
    }

    let key: Vec<&str> = record
        .iter()
        .enumerate()
        .filter(|(i, _)| !TRADE_RANGE_COLUMNS.iter().any(|c| cols.index(c) == Some(*i)))
        .map(|(_, cell)| cell.trim())
        .collect();
    let key = key.join("\u{1f}");
    let fill =
        |side: Side, price: Decimal, at: DateTime<Utc>, fees: Decimal, effect: PositionEffect, tag: &str| RawFill {
            instrument: instrument.clone(),
            side,
            quantity,
            price,
            fees,
            executed_at: at,
            source_tz: ctx.tz,
            execution_id: None,
            position_effect: Some(effect),
            row_key: format!("{key}\u{1f}{tag}"),
        };
    Ok(Read1::Fills(vec![
        fill(
            entry_side,
            entry_price,
            entered_at,
            Decimal::ZERO,
            PositionEffect::Open,
            "entry",
        ),
        fill(exit_side, exit_price, exited_at, fees, PositionEffect::Close, "exit"),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use crate::formats::{parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const EXECUTIONS: &str = "ninjatrader/hamza-backtest-executions-grid.csv";
    const ORDERS: &str = "ninjatrader/hamza-backtest-orders-grid.csv";
    const TRADES: &str = "ninjatrader/hamza-backtest-trades-grid.csv";
    const NY: chrono_tz::Tz = chrono_tz::America::New_York;

    struct Totals {
        trips: usize,
        closed: usize,
        gross: Decimal,
        fees: Decimal,
        net: Decimal,
    }

    fn totals(parsed: &Parsed, newest_first: bool) -> Totals {
        let trips = round_trips_ordered(parsed, newest_first);
        Totals {
            trips: trips.len(),
            closed: trips.iter().filter(|t| t.status == TradeStatus::Closed).count(),
            gross: trips.iter().map(|t| t.gross_pnl).sum(),
            fees: trips.iter().map(|t| t.fees).sum(),
            net: trips.iter().map(|t| t.net_pnl).sum(),
        }
    }

    fn parse_text(format: &dyn Format, text: &str, tz: chrono_tz::Tz) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "grid.csv".into(),
            tz,
            contracts: &table,
        };
        parse_all(format, &mut text.as_bytes(), &ctx).unwrap()
    }

    /// Σ of a money column of a fixture, read with python-like independence (plain CSV,
    /// `$`/`-` stripped by hand).
    fn money_column(rel: &str, column: &str) -> Vec<Decimal> {
        let mut rdr = csv::Reader::from_path(fixture(rel)).unwrap();
        let at = rdr.headers().unwrap().iter().position(|h| h == column).unwrap();
        rdr.records()
            .map(|r| {
                let cell = r.unwrap()[at].replace('$', "");
                cell.parse::<Decimal>().unwrap()
            })
            .collect()
    }

    #[test]
    fn detects_each_grid() {
        assert_eq!(detected_id(EXECUTIONS), Some("ninjatrader-executions"));
        assert_eq!(detected_id(ORDERS), Some("ninjatrader-orders"));
        assert_eq!(detected_id(TRADES), Some("ninjatrader-trades"));
        for format in [
            &NinjaTraderExecutions as &dyn Format,
            &NinjaTraderOrders,
            &NinjaTraderTrades,
        ] {
            assert!(format.detect(&[EU_EXECUTIONS_HEADER]) == (format.id() == "ninjatrader-executions"));
            assert!(format.detect(&["", EU_TRADES_HEADER]) == (format.id() == "ninjatrader-trades"));
            assert!(format.detect(&[EU_ORDERS_HEADER]) == (format.id() == "ninjatrader-orders"));
        }
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&NinjaTraderExecutions, &[EXECUTIONS]);
        text::assert_detects_only(&NinjaTraderOrders, &[ORDERS]);
        text::assert_detects_only(&NinjaTraderTrades, &[TRADES]);
    }

    /// Executions grid: 120 rows, newest first, all MNQ SEP26 ×2. Expected values from the
    /// file by an independent python FIFO over the rows (day-first dates, MNQ point value 2):
    /// 60 round trips, all closed, gross −2712.50; every Commission is `$0.00`, so net is the
    /// same. That is also the Trades grid's last `Cum. net profit` (−$2712.50) for the same
    /// backtest.
    #[test]
    fn executions_grid() {
        let parsed = parse_fixture(&NinjaTraderExecutions, EXECUTIONS, NY);
        assert_eq!(parsed.rows, 120);
        assert_eq!(parsed.fills.len(), 120);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (line, newest) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(newest.instrument.symbol, "MNQU26");
        assert_eq!(newest.instrument.multiplier, dec!(2));
        assert_eq!(
            (newest.side, newest.quantity, newest.price, newest.fees),
            (Side::Buy, dec!(1), dec!(30626.00), dec!(0))
        );
        // 22/06/2026 15:55:00 is 22 June (day-first), New York time.
        assert_eq!(newest.executed_at.to_rfc3339(), "2026-06-22T19:55:00+00:00");
        assert_eq!(newest.execution_id.as_deref(), Some("ninjatrader:NT-00119-25"));
        assert_eq!(newest.position_effect, Some(PositionEffect::Close));
        assert_eq!(parsed.fills[1].1.position_effect, Some(PositionEffect::Open));
        let entries = parsed
            .fills
            .iter()
            .filter(|(_, f)| f.position_effect == Some(PositionEffect::Open))
            .count();
        assert_eq!(entries, 60);
        let t = totals(&parsed, NinjaTraderExecutions.newest_first());
        assert_eq!((t.trips, t.closed), (60, 60));
        assert_eq!(t.gross, dec!(-2712.50));
        assert_eq!(t.fees, dec!(0));
        assert_eq!(t.net, dec!(-2712.50));
    }

    /// Orders grid: 205 orders — 120 `Filled`, 85 `Cancelled` with nothing filled (counted in
    /// python). The filled orders at their average prices give, by the python FIFO over the
    /// orders' times, the same 60 round trips and gross −2712.50 as the Executions grid; no
    /// fees in this grid.
    #[test]
    fn orders_grid() {
        let parsed = parse_fixture(&NinjaTraderOrders, ORDERS, NY);
        assert_eq!(parsed.rows, 205);
        assert_eq!(parsed.fills.len(), 120);
        assert_eq!(parsed.skipped.len(), 85);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.skipped[0], (4, "order Cancelled, nothing filled".to_string()));
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(
            (first.side, first.quantity, first.price),
            (Side::Buy, dec!(1), dec!(25316.00))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2026-02-13T14:45:00+00:00");
        assert_eq!(first.execution_id.as_deref(), Some("ninjatrader-order:NT-00000-25"));
        assert_eq!(first.position_effect, None);
        // `Sell short` opens, `Buy to cover` closes.
        let effect = |action: &str| {
            let mut rdr = csv::Reader::from_path(fixture(ORDERS)).unwrap();
            let lines: Vec<u64> = rdr
                .records()
                .enumerate()
                .filter(|(_, r)| {
                    let r = r.as_ref().unwrap();
                    &r[1] == action && &r[6] == "Filled"
                })
                .map(|(i, _)| i as u64 + 2)
                .collect();
            parsed
                .fills
                .iter()
                .filter(|(l, _)| lines.contains(l))
                .map(|(_, f)| f.position_effect)
                .collect::<Vec<_>>()
        };
        assert!(effect("Sell short").iter().all(|e| *e == Some(PositionEffect::Open)));
        assert_eq!(effect("Buy to cover").len(), 27);
        assert!(effect("Buy to cover").iter().all(|e| *e == Some(PositionEffect::Close)));
        let t = totals(&parsed, NinjaTraderOrders.newest_first());
        assert_eq!((t.trips, t.closed), (60, 60));
        assert_eq!(t.gross, dec!(-2712.50));
        assert_eq!(t.net, dec!(-2712.50));
    }

    /// Trades grid: 60 round trips → 120 fills. Σ `Profit` (read from the file here) is
    /// −2712.50, which is the last `Cum. net profit`: Profit is **net**. All fee columns are
    /// `$0.00`, so the net of the round trips — and their gross — equal Σ Profit to the cent.
    #[test]
    fn trades_grid() {
        let parsed = parse_fixture(&NinjaTraderTrades, TRADES, NY);
        assert_eq!(parsed.rows, 60);
        assert_eq!(parsed.fills.len(), 120);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (_, entry) = &parsed.fills[0];
        let (_, exit) = &parsed.fills[1];
        assert_eq!(
            (entry.side, entry.price, entry.position_effect),
            (Side::Buy, dec!(25316.00), Some(PositionEffect::Open))
        );
        assert_eq!(
            (exit.side, exit.price, exit.position_effect),
            (Side::Sell, dec!(25293.75), Some(PositionEffect::Close))
        );
        assert_eq!(entry.executed_at.to_rfc3339(), "2026-02-13T15:30:26+00:00");
        assert_eq!(exit.executed_at.to_rfc3339(), "2026-02-13T15:31:16+00:00");
        assert!(entry.row_key.ends_with("\u{1f}entry") && !entry.row_key.starts_with("1\u{1f}"));
        // Trade 4 is a short: the entry sells.
        assert_eq!(parsed.fills[6].1.side, Side::Sell);

        let profit: Decimal = money_column(TRADES, "Profit").iter().sum();
        let cumulative = *money_column(TRADES, "Cum. net profit").last().unwrap();
        assert_eq!(profit, dec!(-2712.50));
        assert_eq!(profit, cumulative);
        let t = totals(&parsed, NinjaTraderTrades.newest_first());
        assert_eq!((t.trips, t.closed), (60, 60));
        assert_eq!(t.net, profit);
        assert_eq!(t.gross, dec!(-2712.50));
        assert_eq!(t.fees, dec!(0));
    }

    /// The three grids of the one backtest agree trade for trade.
    #[test]
    fn grids_agree() {
        let exec = totals(&parse_fixture(&NinjaTraderExecutions, EXECUTIONS, NY), true);
        let orders = totals(&parse_fixture(&NinjaTraderOrders, ORDERS, NY), false);
        let trades = totals(&parse_fixture(&NinjaTraderTrades, TRADES, NY), false);
        assert_eq!((exec.trips, exec.net), (trades.trips, trades.net));
        assert_eq!((orders.trips, orders.net), (trades.trips, trades.net));
    }

    const EU_EXECUTIONS_HEADER: &str =
        "Instrument;Action;Quantity;Price;Time;ID;E/X;Position;Order ID;Name;Commission;Rate;Account;Connection;";
    const EU_ORDERS_HEADER: &str = "Instrument;Action;Type;Quantity;Limit;Stop;State;Filled;Avg. price;Remaining;Name;OCO;TIF;Account;Connection;ID;Strategy;Time;";
    const EU_TRADES_HEADER: &str = "Trade number;Instrument;Account;Strategy;Market pos.;Qty;Entry price;Exit price;Entry time;Exit time;Entry name;Exit name;Profit;Cum. net profit;Commission;Clearing Fee;Exchange Fee;IP Fee;NFA Fee;MAE;MFE;ETD;Bars;";

    /// The European locale (FORMATS.md): `;`, decimal commas, `-1,00 $`, and dates whose
    /// fields are all ≤ 12 (`10/02/2026` = 10 February): nothing proves the order, the `;`
    /// locale makes it day-first. Newest first, as the grid lists it.
    #[test]
    fn european_executions() {
        let text = format!(
            "\u{feff}{EU_EXECUTIONS_HEADER}\r\n\
             MNQ 03-26;Sell;2;25394,00;10/02/2026 15:19:20;a1b2;Exit;-;o2;Close;-1,00 $;1;Sim101;Rithmic;\r\n\
             MNQ 03-26;Buy;2;25390,25;10/02/2026 15:10:02;a1b1;Entry;2 L;o1;Entry;1,00 $;1;Sim101;Rithmic;\r\n\
             MNQ 03-26;Buy;1;1.234;10/02/2026 15:10:02;a1b0;Entry;2 L;o1;Entry;0,00 $;1;Sim101;Rithmic;\r\n\
             MNQ 03-26;Buy;1;25390.25;10/02/2026 15:10:02;a1b9;Entry;2 L;o1;Entry;0,00 $;1;Sim101;Rithmic;\r\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::Europe::Berlin);
        assert_eq!(parsed.fills.len(), 3, "{:?}", parsed.rejected);
        let (_, exit) = &parsed.fills[0];
        assert_eq!(exit.instrument.symbol, "MNQH26");
        assert_eq!(
            (exit.side, exit.quantity, exit.price, exit.fees),
            (Side::Sell, dec!(2), dec!(25394.00), dec!(1.00))
        );
        assert_eq!(exit.executed_at.to_rfc3339(), "2026-02-10T14:19:20+00:00");
        assert_eq!(exit.execution_id.as_deref(), Some("ninjatrader:a1b2"));
        assert_eq!(parsed.fills[1].1.price, dec!(25390.25));
        assert_eq!(parsed.fills[2].1.price, dec!(1234)); // `1.234`: a thousands separator
        assert_eq!(
            parsed.rejected,
            [(
                5,
                "Price `25390.25` is not a number in this file's decimal-comma locale".to_string()
            )]
        );
        let t = totals(
            &Parsed {
                fills: parsed.fills[..2].to_vec(),
                ..Default::default()
            },
            true,
        );
        // (25394 − 25390.25) × 2 × 2 = 15; fees 2.
        assert_eq!((t.trips, t.gross, t.net), (1, dec!(15.00), dec!(13.00)));
    }

    #[test]
    fn european_trades_and_orders() {
        let trades = format!(
            "{EU_TRADES_HEADER}\n\
             1;MNQ 03-26;Sim101;;Short;1;25394,00;25390,25;10/02/2026 15:10:02;10/02/2026 15:19:20;Sell short;Buy to cover;6,26 $;6,26 $;0,62 $;0,50 $;0,12 $;0,00 $;0,00 $;2,00 $;9,00 $;3,00 $;5;\n"
        );
        let parsed = parse_text(&NinjaTraderTrades, &trades, chrono_tz::Europe::Paris);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let (_, entry) = &parsed.fills[0];
        let (_, exit) = &parsed.fills[1];
        assert_eq!(
            (entry.side, entry.price, entry.fees),
            (Side::Sell, dec!(25394.00), dec!(0))
        );
        assert_eq!(
            (exit.side, exit.price, exit.fees),
            (Side::Buy, dec!(25390.25), dec!(1.24))
        );
        assert_eq!(entry.executed_at.to_rfc3339(), "2026-02-10T14:10:02+00:00");
        let t = totals(&parsed, false);
        // (25394 − 25390.25) × 2 = 7.50 gross; − 1.24 fees = 6.26 = Profit.
        assert_eq!((t.gross, t.net), (dec!(7.50), dec!(6.26)));

        let orders = format!(
            "{EU_ORDERS_HEADER}\n\
             MNQ 03-26;Sell short;Limit;1;25394,00;0;Filled;1;25394,00;0;Entry;;GTC;Sim101;;ord1;;10/02/2026 15:10:02;\n\
             MNQ 03-26;Buy to cover;Stop Market;1;0;25400,00;Cancelled;0;0;1;Stop;oco;GTC;Sim101;;ord2;;10/02/2026 15:10:03;\n\
             MNQ 03-26;Buy to cover;Market;2;0;0;Cancelled;1;25390,25;1;Exit;;GTC;Sim101;;ord3;;10/02/2026 15:19:20;\n\
             MNQ 03-26;Buy;Market;1;0;0;Filled;0;0;1;Exit;;GTC;Sim101;;ord4;;10/02/2026 15:20:00;\n"
        );
        let parsed = parse_text(&NinjaTraderOrders, &orders, chrono_tz::Europe::Paris);
        assert_eq!(parsed.rejected, [(5, "State is Filled but Filled is `0`".to_string())]);
        assert_eq!(parsed.skipped, [(3, "order Cancelled, nothing filled".to_string())]);
        assert_eq!(parsed.fills.len(), 2);
        let (_, cover) = &parsed.fills[1];
        // Partly filled, then cancelled: the filled part is a fill.
        assert_eq!(
            (cover.side, cover.quantity, cover.price, cover.position_effect),
            (Side::Buy, dec!(1), dec!(25390.25), Some(PositionEffect::Close))
        );
        assert_eq!(cover.execution_id.as_deref(), Some("ninjatrader-order:ord3"));
    }

    const US_EXECUTIONS_HEADER: &str =
        "Instrument,Action,Quantity,Price,Time,ID,E/X,Position,Order ID,Name,Commission,Rate,Account,Connection,";

    #[test]
    fn date_order_is_decided_per_file() {
        // `,` with 24-hour times and no day above 12: day-first (10 February).
        let text = format!(
            "{US_EXECUTIONS_HEADER}\nMNQ 03-26,Buy,1,25390.25,10/02/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::UTC);
        assert_eq!(parsed.fills[0].1.executed_at.to_rfc3339(), "2026-02-10T15:10:02+00:00");
        assert_eq!(parsed.fills[0].1.fees, dec!(0.52));

        // `,` with AM/PM times (US locale) and no day above 12: month-first (2 October).
        let text = format!(
            "{US_EXECUTIONS_HEADER}\nMNQ 12-26,Buy,1,25390.25,10/2/2026 3:10:02 PM,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::UTC);
        assert_eq!(parsed.fills[0].1.executed_at.to_rfc3339(), "2026-10-02T15:10:02+00:00");

        // A later row proves month-first: the earlier ambiguous rows follow it.
        let text = format!(
            "{US_EXECUTIONS_HEADER}\n\
             MNQ 03-26,Sell,1,25390.25,02/10/2026 15:10:02,x2,Exit,-,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,1,25390.25,02/13/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::UTC);
        assert_eq!(parsed.fills[0].1.executed_at.to_rfc3339(), "2026-02-10T15:10:02+00:00");
        assert_eq!(parsed.fills[1].1.executed_at.to_rfc3339(), "2026-02-13T15:10:02+00:00");
        assert_eq!(parsed.fills.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 3]);

        // A later row proves day-first, even in a `;` file with AM/PM.
        let text = format!(
            "{EU_EXECUTIONS_HEADER}\n\
             MNQ 03-26;Sell;1;25390,25;02/10/2026 3:10:02 PM;x2;Exit;-;o;E;0,52 $;1;Sim101;;\n\
             MNQ 03-26;Buy;1;25390,25;13/02/2026 3:10:02 PM;x1;Entry;1 L;o;E;0,52 $;1;Sim101;;\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::UTC);
        assert_eq!(parsed.fills[0].1.executed_at.to_rfc3339(), "2026-10-02T15:10:02+00:00");

        // Contradicting dates: the one that does not fit is rejected, naming both.
        let text = format!(
            "{US_EXECUTIONS_HEADER}\n\
             MNQ 03-26,Sell,1,25390.25,13/02/2026 15:10:02,x2,Exit,-,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,1,25390.25,02/13/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, chrono_tz::UTC);
        assert_eq!(parsed.fills.len(), 1);
        assert_eq!(
            parsed.rejected,
            [(
                3,
                "Time `02/13/2026 15:10:02` is not a date and time in this file's day-first order (line 2 has Time `13/02/2026 15:10:02`)"
                    .to_string()
            )]
        );
    }

    #[test]
    fn cells() {
        assert_eq!(date_evidence("13/02/2026 10:30:26"), Some(DateOrder::DayFirst));
        assert_eq!(date_evidence("2/13/2026 10:30:26 AM"), Some(DateOrder::MonthFirst));
        assert_eq!(date_evidence("10/02/2026 15:19:20"), None);
        assert_eq!(date_evidence("2026-02-13 10:30:26"), None);
        assert_eq!(date_evidence("13.02.2026 10:30:26"), None);
        assert_eq!(date_evidence("99/99/2026"), None);
        assert_eq!(date_evidence(""), None);
        assert_eq!(parse_number("-$44.50", false), Some(dec!(-44.50)));
        assert_eq!(parse_number("$0.00", false), Some(dec!(0)));
        assert_eq!(parse_number("$1,234.50", false), Some(dec!(1234.50)));
        assert_eq!(parse_number("-1,00 $", true), Some(dec!(-1.00)));
        assert_eq!(parse_number("25394,00", true), Some(dec!(25394.00)));
        assert_eq!(parse_number("-1.234,50 €", true), Some(dec!(-1234.50)));
        assert_eq!(parse_number("1\u{202f}234,50 $", true), Some(dec!(1234.50)));
        assert_eq!(parse_number("25394.00", true), None);
        assert_eq!(parse_number("1", true), Some(dec!(1)));
        assert_eq!(delimiter_of(EU_TRADES_HEADER), b';');
        assert_eq!(delimiter_of(US_EXECUTIONS_HEADER), b',');
        assert_eq!(
            action("Buy to cover").unwrap(),
            (Side::Buy, Some(PositionEffect::Close))
        );
        assert_eq!(action("SellShort").unwrap(), (Side::Sell, Some(PositionEffect::Open)));
        assert_eq!(
            action("Hold").unwrap_err(),
            "Action `Hold` is not Buy, Sell, Buy to cover or Sell short"
        );
    }

    #[test]
    fn bad_rows_are_rejected_with_reasons() {
        let text = format!(
            "{US_EXECUTIONS_HEADER}\n\
             QQ 03-26,Buy,1,25390.25,13/02/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,0,25390.25,13/02/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,1,abc,13/02/2026 15:10:02,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,1,1,13/02/2026 15:10:02,x1,Both,1 L,o,E,$0.52,1,Sim101,,\n\
             MNQ 03-26,Buy,1,1,08/03/2026 02:30:00,x1,Entry,1 L,o,E,$0.52,1,Sim101,,\n"
        );
        let parsed = parse_text(&NinjaTraderExecutions, &text, NY);
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert!(reasons[0].contains("unknown futures root `QQ`"), "{}", reasons[0]);
        assert_eq!(reasons[1], "Quantity `0` is not a positive quantity");
        assert_eq!(reasons[2], "Price `abc` is not a number");
        assert_eq!(reasons[3], "E/X `Both` is not Entry or Exit");
        assert!(
            reasons[4].contains("does not exist in America/New_York"),
            "{}",
            reasons[4]
        );

        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "g.csv".into(),
            tz: NY,
            contracts: &table,
        };
        let err = parse_all(
            &NinjaTraderTrades,
            &mut "Trade number;Instrument\n1;MNQ 03-26\n".as_bytes(),
            &ctx,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("g.csv:1: the header has no column `Market pos.`"),
            "{err}"
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for rel in [EXECUTIONS, ORDERS, TRADES] {
            let bytes = std::fs::read(fixture(rel)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let lines: Vec<&str> = text.lines().take(2).collect();
            let format = crate::formats::format_by_id(detected_id(rel).unwrap()).unwrap();
            text::assert_never_panics(format, &bytes[..bytes.len().min(2048)], &[(lines[0], lines[1])]);
        }
        let eu = format!(
            "{EU_EXECUTIONS_HEADER}\nMNQ 03-26;Sell;2;25394,00;10/02/2026 15:19:20;a1b2;Exit;-;o2;Close;-1,00 $;1;Sim101;Rithmic;\n"
        );
        text::assert_never_panics(&NinjaTraderExecutions, eu.as_bytes(), &[]);
    }
}
