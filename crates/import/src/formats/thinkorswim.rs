//! thinkorswim **Account Statement** (TD Ameritrade and Schwab eras): a multi-section file
//! whose fills are the rows of its `Account Trade History` section.
//!
//! Source: `shared/fixtures/FORMATS.md` § thinkorswim Account Statement and the samples
//! `thinkorswim/claytonduffin-exampleStatement.csv` (paperMoney, futures options on /NQ) and
//! `thinkorswim/tradenote-td-ameritrade.csv` (stocks, saved by a spreadsheet: BOM, CRLF, 15
//! fields on every line, `MM/DD/YYYY HH:MM` times).
//!
//! # Layout
//!
//! Sections are a title line (one non-empty first cell), a header row, data rows, and a
//! blank line (or a `,,,,` padding row); seen titles include `Cash Balance`, `Futures
//! Statements`, `Forex Statements`, `Account Order History`, `Account Trade History`,
//! `Equities`, `Futures Options`, `Profits and Losses`, `Account Summary`. paperMoney files
//! start with a one-line disclaimer; then comes `Account Statement for <account> ... since
//! M/D/YY through M/D/YY`, which is what detection looks for in the first lines (a `Today's
//! Trade Activity` file starts differently and is not this format).
//!
//! **Only the rows of `Account Trade History` are data rows**: they are the only rows that
//! produce outcomes. The rest of the file is read only to link fees (below).
//!
//! ```text
//! ,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type
//! ```
//!
//! - The first column is always empty; columns are found by name.
//! - `Exec Time` `M/D/YY HH:MM:SS` (or `MM/DD/YYYY HH:MM` after a spreadsheet save), no
//!   zone: read in the account zone (the paperMoney sample's Cash Balance names `CST`).
//!   Rows are newest first. A multi-leg continuation row (empty `Exec Time`) takes the time
//!   of the row above.
//! - `Side` `BUY`/`SELL` gives the side (or, when empty, the sign of `Qty`). `Qty` is signed
//!   (`+500`, `-3`) or has lost its `+` after a spreadsheet save (`300`); the fill's quantity
//!   is its absolute value, and a sign contradicting `Side` rejects the row.
//! - `Pos Effect`, `Spread`, `Net Price` (the order's net, `DEBIT`/`CREDIT` on continuation
//!   legs) and `Order Type` are not needed: open/close comes from matching.
//!
//! # Instruments (by `Type` and `Symbol`)
//!
//! - `STOCK` (or `ETF`): `Symbol` is the ticker, multiplier 1.
//! - `CALL`/`PUT` with a plain `Symbol` (the underlying): an equity option. `Exp` is
//!   `D MMM YY` (`2 DEC 25`, read by [`parse_expiry`]) and `Strike` the strike; the instrument
//!   key is the OCC symbol built from them (`SPY251202P00680000`: root, `YYMMDD`, C/P,
//!   strike × 1000 in 8 digits), multiplier 100 (the standard deliverable; the Cash Balance
//!   description shows it as `SPY 100 (Weeklys)`).
//! - `CALL`/`PUT` with `Symbol` starting `/`: an option on a future. `Symbol` holds the
//!   underlying future and the series text (`/NQM22 1/20 APR 22 (Wednesday) (Wk5)`: 1
//!   contract of the future at $20 a point, April 2022 series), `Exp` the option root
//!   (`/Q4CJ22`). The instrument is a `FutureOption` keyed `/Q4CJ22C13450` (root, C/P,
//!   strike — the statement's own `Futures Options` "Option Code"), underlying the future's
//!   code (`NQM22`), multiplier the future's point value from the contract table. The
//!   `1/20` of the symbol must agree with that point value, or the row is rejected. The exact
//!   expiry date is not in the row (only the series month and week), so `expiry` is `None`.
//! - `FUTURE` (or any other type with a `/` symbol): a futures contract through the contract
//!   table. Not in the corpus.
//!
//! An unknown futures root rejects the row with the contract table's message.
//!
//! # Fees, linked from `Cash Balance`
//!
//! Trade History has no fees. The `Cash Balance` section, which comes **before** it, has one
//! `TRD` row per fill:
//!
//! ```text
//! DATE,TIME,TYPE,REF #,DESCRIPTION,Misc Fees,Commissions & Fees,AMOUNT,BALANCE
//! 4/26/22,09:29:16,TRD,1468475970,tIP BOT +1 /NQM22:XCME 1/20 APR 22 (Wednesday) (Wk5) /Q4CJ22:XCME 13450 CALL @140.50,-0.56,-2.25,"-2,810.00","2,190.95"
//! ```
//!
//! Its DESCRIPTION (`[prefix] BOT|SOLD ±qty <instrument> @price [exchange]`) is reduced to a
//! key — side, |qty|, price, the first instrument word without its `:XCME` suffix (`/NQM22`,
//! `PYPL`), and for options the strike and CALL/PUT before the `@` — and compared with the
//! same key of each Trade History row. The Trade History section is buffered, then linked
//! globally nearest-first: of all (trade, cash row) pairs with equal keys and times at most
//! [`MAX_LINK_SECONDS`] apart, the closest pair is linked first, each row at most once. A
//! linked fill's fees are |Misc Fees| + |Commissions & Fees| of its cash row; an unlinked
//! fill has fees 0.
//!
//! Why a window of two hours and not "a few seconds": the two tables disagree. TradeNote's
//! broker notes say by a second or two; the spreadsheet-saved sample has minute-precision
//! Trade History times (up to 44 s off); and in the paperMoney sample two cash rows carry
//! times 68 and 76 minutes away from their trades (the `@108.00` buy of the 12980 put is at
//! 19:53:32 in Cash Balance and 21:01:15 in Trade History). Equal keys plus nearest-first
//! keep such a wide window safe: a cash row goes to its true trade when that trade is there.
//!
//! In the paperMoney sample Trade History has 159 rows but Cash Balance only 103 `TRD` rows:
//! it stops at 21:44:57 while the trades go on past midnight (the `Futures Options` and
//! `Profits and Losses` sections also describe the account as of 21:44:57). The 56 later
//! fills therefore have fees 0.

use chrono::{NaiveDate, NaiveDateTime};
use csv::StringRecord;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Read;
use tradebook_core::{AssetClass, Instrument, OptionRight, PositionEffect, Side};
use tradebook_store::{BalanceKind, BrokerBalance, CashKind, NewCashMovement};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// thinkorswim Account Statement export (Monitor → Account Statement → export to file).
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountStatement;

/// Largest time difference between a Trade History row and the Cash Balance row whose fees
/// it takes (see the module doc).
pub const MAX_LINK_SECONDS: i64 = 2 * 3600;

const TRADE_HISTORY: &str = "Account Trade History";
const CASH_BALANCE: &str = "Cash Balance";

/// Exec Time layouts, two-digit years first (`%Y` would read `22` as the year 22).
const EXEC_FORMATS: &[&str] = &[
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

pub(crate) const TRADE_COLUMNS: &[&[&str]] = &[&["Exec Time"], &["Side"], &["Qty"], &["Symbol"], &["Type"], &["Price"]];

impl Format for AccountStatement {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "thinkorswim-statement",
            name: "thinkorswim Account Statement",
            platform: "thinkorswim",
            description: "thinkorswim Account Statement (Monitor → Account Statement, export): fills from Account Trade History, fees from Cash Balance.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        &[
            "Exec Time",
            "Spread",
            "Side",
            "Qty",
            "Pos Effect",
            "Symbol",
            "Exp",
            "Strike",
            "Type",
            "Price",
            "Net Price",
            "Order Type",
        ]
    }

    fn detect(&self, head: &[&str]) -> bool {
        head.iter()
            .take(6)
            .map(|l| crate::formats::strip_bom(l).trim_start().trim_start_matches('"'))
            .any(|l| l.starts_with("Account Statement for"))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let mut section = Section::Other;
        let mut header: Option<Columns> = None;
        let mut cash: Vec<CashTrade> = Vec::new();
        let mut trades: Vec<(u64, StringRecord)> = Vec::new();

        for next in text::csv_rows(input) {
            let (line, record) = next.map_err(|source| ImportError::Io {
                file: ctx.file_name.clone(),
                source,
            })?;
            if text::is_blank(&record) {
                if header.is_none() {
                    continue; // a padding row between a title and its header
                }
                if section == Section::TradeHistory {
                    flush(&mut trades, header.as_ref(), &mut cash, ctx, sink)?;
                }
                section = Section::Other;
                continue;
            }
            if let Some(title) = title(&record) {
                if section == Section::TradeHistory {
                    flush(&mut trades, header.as_ref(), &mut cash, ctx, sink)?;
                }
                section = match title {
                    t if t.eq_ignore_ascii_case(TRADE_HISTORY) => Section::TradeHistory,
                    t if t.eq_ignore_ascii_case(CASH_BALANCE) => Section::CashBalance,
                    _ => Section::Other,
                };
                header = None;
                continue;
            }
            match (&section, &header) {
                (Section::Other, _) => {}
                (_, None) => {
                    let columns = Columns::from_record(&record);
                    if section == Section::TradeHistory {
                        if let Some(missing) = columns.missing(TRADE_COLUMNS) {
                            return Err(ImportError::Malformed {
                                file: ctx.file_name.clone(),
                                line,
                                message: format!("the Account Trade History header has no column {missing}"),
                            });
                        }
                    }
                    header = Some(columns);
                }
                (Section::CashBalance, Some(columns)) => {
                    cash.extend(CashTrade::read(columns, &record));
                    for outcome in ledger_outcomes(columns, line, &record, ctx) {
                        sink(outcome)?;
                    }
                }
                (Section::TradeHistory, Some(_)) => trades.push((line, record)),
            }
        }
        if section == Section::TradeHistory {
            flush(&mut trades, header.as_ref(), &mut cash, ctx, sink)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    CashBalance,
    TradeHistory,
    Other,
}

/// What a Cash Balance row says about the account's cash (see the module docs): the balance
/// after it (`BALANCE`, every dated row), and for a row that is neither a trade (`TRD`, a
/// fill of Trade History) nor a balance line (`BAL`) the cash movement its `AMOUNT` is.
/// Rows without a readable date, time or balance (the `TOTAL` line) say nothing.
fn ledger_outcomes(columns: &Columns, line: u64, record: &StringRecord, ctx: &ParseContext<'_>) -> Vec<RowOutcome> {
    let mut out = Vec::new();
    let Some(date) = text::parse_date(columns.get(record, "DATE"), &["%m/%d/%y", "%m/%d/%Y"]) else {
        return out;
    };
    let Some(time) = chrono::NaiveTime::parse_from_str(columns.get(record, "TIME"), "%H:%M:%S").ok() else {
        return out;
    };
    let Some(at) = text::local_to_utc(date.and_time(time), ctx.tz) else {
        return out;
    };
    let kind = columns.get(record, "TYPE").trim().to_ascii_uppercase();
    let description = columns.get(record, "DESCRIPTION").trim();
    if kind != "TRD" && kind != "BAL" {
        if let Some(amount) = text::parse_decimal(columns.get(record, "AMOUNT")).filter(|a| !a.is_zero()) {
            let upper = description.to_ascii_uppercase();
            let cash_kind = match kind.as_str() {
                "DOI" if upper.contains("INTEREST") => CashKind::Interest,
                "DOI" => CashKind::Dividend,
                "FND" | "ACH" | "WIRE" if amount > Decimal::ZERO => CashKind::Deposit,
                "FND" | "ACH" | "WIRE" => CashKind::Withdrawal,
                "JRN" => CashKind::Transfer,
                _ if upper.contains("FEE") => CashKind::Fee,
                _ => CashKind::Other,
            };
            out.push(RowOutcome::Cash {
                line,
                movement: NewCashMovement {
                    kind: cash_kind,
                    amount,
                    currency: None,
                    occurred_at: at,
                    source_tz: ctx.tz,
                    description: format!("{kind} {description}"),
                },
                row_key: text::row_key(record),
            });
        }
    }
    if let Some(balance) = text::parse_decimal(columns.get(record, "BALANCE")) {
        out.push(RowOutcome::Balance {
            line,
            balance: BrokerBalance {
                at,
                kind: BalanceKind::Cash,
                balance,
                currency: None,
            },
            row_key: text::row_key(record),
            // Cash Balance rows are not data rows of this format (its fills come from
            // Account Trade History).
            own_row: false,
        });
    }
    out
}

/// The title of a section: a record whose only non-empty cell is the first.
pub(crate) fn title(record: &StringRecord) -> Option<&str> {
    let first = record.get(0)?.trim().trim_start_matches('\u{feff}');
    (!first.is_empty() && record.iter().skip(1).all(|c| c.trim().is_empty())).then_some(first)
}

/// What links a Trade History row to its Cash Balance row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LinkKey {
    side: Side,
    quantity: Decimal,
    price: Decimal,
    /// First word of the instrument, upper case, without an exchange suffix (`/NQM22`).
    symbol: String,
    strike: Option<Decimal>,
    right: Option<OptionRight>,
}

/// A `TRD` row of Cash Balance.
#[derive(Debug, Clone)]
struct CashTrade {
    at: NaiveDateTime,
    key: LinkKey,
    fees: Decimal,
}

impl CashTrade {
    /// The row as a fill's cash record, or `None` for other rows (BAL, TOTAL, unreadable:
    /// this section is only used to find fees).
    fn read(columns: &Columns, record: &StringRecord) -> Option<CashTrade> {
        if !columns.get(record, "TYPE").eq_ignore_ascii_case("TRD") {
            return None;
        }
        let date = text::parse_date(columns.get(record, "DATE"), &["%m/%d/%y", "%m/%d/%Y"])?;
        let time = chrono::NaiveTime::parse_from_str(columns.get(record, "TIME"), "%H:%M:%S").ok()?;
        let key = description_key(columns.get(record, "DESCRIPTION"))?;
        let fee = |column: &str| match columns.get(record, column) {
            "" => Some(Decimal::ZERO),
            cell => text::parse_decimal(cell).map(|d| d.abs()),
        };
        let fees = fee("Misc Fees")?.checked_add(fee("Commissions & Fees")?)?;
        Some(CashTrade {
            at: date.and_time(time),
            key,
            fees,
        })
    }
}

/// The link key of a Cash Balance DESCRIPTION: `[prefix] BOT|SOLD ±qty <instrument> @price
/// [exchange]` (`tIP BOT +1 /NQM22:XCME 1/20 APR 22 (Wednesday) (Wk5) /Q4CJ22:XCME 13450
/// CALL @140.50`, `KEY: F2 SOLD -100 AMZN @9.65`).
fn description_key(description: &str) -> Option<LinkKey> {
    let words: Vec<&str> = description.split_whitespace().collect();
    let verb = words.iter().position(|w| *w == "BOT" || *w == "SOLD")?;
    let side = if words.get(verb)? == &"BOT" {
        Side::Buy
    } else {
        Side::Sell
    };
    let quantity = text::parse_decimal(words.get(verb + 1)?)?.abs();
    let rest = words.get(verb + 2..)?;
    let at = rest.iter().position(|w| w.starts_with('@'))?;
    let price = text::parse_decimal(rest.get(at)?)?;
    let instrument = rest.get(..at)?;
    let symbol = instrument.first()?.split(':').next()?.to_ascii_uppercase();
    let (strike, right) = match instrument {
        [.., strike, right] => match OptionRight::parse(right) {
            Some(r) if right.len() > 1 => (Some(text::parse_decimal(strike)?), Some(r)),
            _ => (None, None),
        },
        _ => (None, None),
    };
    Some(LinkKey {
        side,
        quantity,
        price,
        symbol,
        strike,
        right,
    })
}

/// A Trade History row read into a fill (fees still 0) and its link key.
pub(crate) struct Trade {
    pub(crate) fill: RawFill,
    key: LinkKey,
    at: NaiveDateTime,
}

/// Reads the buffered Trade History rows, links their fees and sends their outcomes in file
/// order.
fn flush(
    rows: &mut Vec<(u64, StringRecord)>,
    header: Option<&Columns>,
    cash: &mut Vec<CashTrade>,
    ctx: &ParseContext<'_>,
    sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let Some(columns) = header else {
        rows.clear();
        return Ok(());
    };
    let mut previous_time: Option<NaiveDateTime> = None;
    let mut read: Vec<(u64, Result<Trade, String>)> = Vec::with_capacity(rows.len());
    for (line, record) in rows.drain(..) {
        let trade = read_trade(columns, &record, &mut previous_time, ctx);
        read.push((line, trade));
    }
    link_fees(&mut read, cash);
    for (line, trade) in read {
        sink(match trade {
            Ok(trade) => RowOutcome::Fills {
                line,
                fills: vec![trade.fill],
            },
            Err(reason) => RowOutcome::Rejected { line, reason },
        })?;
    }
    Ok(())
}

/// Links each trade to the nearest unused Cash Balance row with the same key (globally
/// nearest pairs first, at most [`MAX_LINK_SECONDS`] apart) and takes its fees. Linked cash
/// rows are removed.
fn link_fees(trades: &mut [(u64, Result<Trade, String>)], cash: &mut Vec<CashTrade>) {
    let mut by_key: HashMap<&LinkKey, Vec<usize>> = HashMap::new();
    for (j, c) in cash.iter().enumerate() {
        by_key.entry(&c.key).or_default().push(j);
    }
    let mut pairs: Vec<(i64, usize, usize)> = Vec::new();
    for (i, (_, trade)) in trades.iter().enumerate() {
        let Ok(trade) = trade else { continue };
        for &j in by_key.get(&trade.key).map(Vec::as_slice).unwrap_or_default() {
            let distance = (trade.at - cash[j].at).num_seconds().abs();
            if distance <= MAX_LINK_SECONDS {
                pairs.push((distance, i, j));
            }
        }
    }
    pairs.sort_unstable();
    let mut trade_linked = vec![false; trades.len()];
    let mut cash_used = vec![false; cash.len()];
    for (_, i, j) in pairs {
        if trade_linked[i] || cash_used[j] {
            continue;
        }
        if let Some((_, Ok(trade))) = trades.get_mut(i) {
            trade.fill.fees = cash[j].fees;
            trade_linked[i] = true;
            cash_used[j] = true;
        }
    }
    let mut used = cash_used.into_iter();
    cash.retain(|_| !used.next().unwrap_or(false));
}

/// Reads a trade row (`Exec Time`, `Side`, `Qty`, `Pos Effect`, `Symbol`, `Exp`, `Strike`,
/// `Type`, `Price`, found by name) into a fill with fees 0; a continuation row (empty `Exec
/// Time`) takes `previous_time`. Shared with the Today's Trade Activity export
/// ([`crate::formats::thinkorswim_activity`]), whose `Filled Orders` rows have these columns.
pub(crate) fn read_trade(
    columns: &Columns,
    record: &StringRecord,
    previous_time: &mut Option<NaiveDateTime>,
    ctx: &ParseContext<'_>,
) -> Result<Trade, String> {
    let exec = columns.get(record, "Exec Time");
    let at = if exec.is_empty() {
        previous_time.ok_or("Exec Time is empty and there is no row above to take it from")?
    } else {
        let at = text::parse_naive(exec, EXEC_FORMATS)
            .ok_or_else(|| format!("Exec Time `{exec}` is not a date and time"))?;
        *previous_time = Some(at);
        at
    };
    let executed_at = text::local_to_utc(at, ctx.tz).ok_or_else(|| {
        format!(
            "Exec Time `{exec}` does not exist in {} (skipped by a daylight-saving change)",
            ctx.tz.name()
        )
    })?;

    let qty_cell = columns.get(record, "Qty");
    let signed = text::number_cell("Qty", qty_cell)?;
    let side_cell = columns.get(record, "Side");
    let side = match side_cell {
        "" if signed < Decimal::ZERO => Side::Sell,
        "" => Side::Buy,
        s => Side::parse(s).ok_or_else(|| format!("Side `{s}` is not BUY or SELL"))?,
    };
    let contradicts = match side {
        Side::Buy => signed < Decimal::ZERO,
        Side::Sell => qty_cell.starts_with('+'),
    };
    if contradicts {
        return Err(format!("Qty `{qty_cell}` contradicts Side `{side_cell}`"));
    }
    let quantity = signed.abs();
    if quantity.is_zero() {
        return Err(format!("Qty `{qty_cell}` is not a positive quantity"));
    }
    let price = text::number_cell("Price", columns.get(record, "Price"))?;
    let instrument = instrument(columns, record, at.date(), ctx)?;

    let symbol = columns.get(record, "Symbol");
    let key = LinkKey {
        side,
        quantity,
        price,
        symbol: symbol
            .split_whitespace()
            .next()
            .unwrap_or("")
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase(),
        strike: instrument.strike,
        right: instrument.right,
    };
    let position_effect = match columns.get(record, "Pos Effect").trim() {
        "TO OPEN" => Some(PositionEffect::Open),
        "TO CLOSE" => Some(PositionEffect::Close),
        _ => None, // AUTO: the statement does not say
    };
    let fill = RawFill {
        instrument,
        side,
        quantity,
        price,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        position_effect,
        row_key: text::row_key(record),
    };
    Ok(Trade { fill, key, at })
}

/// The instrument of a Trade History row (see the module doc).
fn instrument(
    columns: &Columns,
    record: &StringRecord,
    date: NaiveDate,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let symbol = columns.get(record, "Symbol");
    let kind = columns.get(record, "Type");
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    let right = match kind.to_ascii_uppercase().as_str() {
        "CALL" => Some(OptionRight::Call),
        "PUT" => Some(OptionRight::Put),
        _ => None,
    };
    let future_code = symbol.split_whitespace().next().unwrap_or(symbol);

    match (right, symbol.starts_with('/')) {
        (Some(right), true) => future_option(columns, record, symbol, future_code, right, date, ctx),
        (Some(right), false) => {
            let exp = columns.get(record, "Exp");
            let expiry = parse_expiry(exp).ok_or_else(|| format!("Exp `{exp}` is not an expiry like `2 DEC 25`"))?;
            let strike = text::number_cell("Strike", columns.get(record, "Strike"))?.normalize();
            let occ = text::occ_symbol(symbol, expiry, right, strike)
                .ok_or_else(|| format!("Strike `{strike}` does not fit an OCC option symbol"))?;
            Ok(Instrument::option(
                occ,
                symbol,
                expiry,
                strike,
                right,
                Decimal::ONE_HUNDRED,
            ))
        }
        (None, true) => ctx.contracts.future(future_code, date).map_err(|e| e.to_string()),
        (None, false) => match kind.to_ascii_uppercase().as_str() {
            "STOCK" | "ETF" => Ok(Instrument::stock(symbol)),
            _ => Err(format!("Type `{kind}` is not STOCK, CALL, PUT or FUTURE")),
        },
    }
}

/// An option on a future: `Symbol` `/NQM22 1/20 APR 22 ...`, `Exp` the option root
/// `/Q4CJ22`.
fn future_option(
    columns: &Columns,
    record: &StringRecord,
    symbol: &str,
    future_code: &str,
    right: OptionRight,
    date: NaiveDate,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let future = ctx.contracts.future(future_code, date).map_err(|e| e.to_string())?;
    // `1/20`: one future at $20 a point; it must agree with the contract table.
    let stated = symbol.split_whitespace().nth(1).and_then(|w| w.strip_prefix("1/"));
    if let Some(stated) = stated.and_then(text::parse_decimal) {
        if stated != future.multiplier {
            return Err(format!(
                "Symbol `{symbol}` states {stated} a point but the contract table gives {} {}",
                future.underlying.as_deref().unwrap_or(future_code),
                future.multiplier
            ));
        }
    }
    let exp = columns.get(record, "Exp");
    let root = exp.split(':').next().unwrap_or("").trim();
    if root.is_empty() || root.contains(char::is_whitespace) {
        return Err(format!("Exp `{exp}` is not a futures option root like `/Q4CJ22`"));
    }
    let strike = text::number_cell("Strike", columns.get(record, "Strike"))?.normalize();
    let letter = match right {
        OptionRight::Call => 'C',
        OptionRight::Put => 'P',
    };
    Ok(Instrument {
        asset_class: AssetClass::FutureOption,
        symbol: format!("{root}{letter}{strike}"),
        underlying: Some(future.symbol),
        expiry: None,
        strike: Some(strike),
        right: Some(right),
        multiplier: future.multiplier,
    })
}

/// An option expiry as thinkorswim writes it: `D MMM YY` (`2 DEC 25`, `20 APR 22`), month
/// name in any case; also `D MMM YYYY`.
pub fn parse_expiry(cell: &str) -> Option<NaiveDate> {
    let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    ["%d %b %y", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&cell, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const PAPER: &str = "thinkorswim/claytonduffin-exampleStatement.csv";
    const TRADENOTE: &str = "thinkorswim/tradenote-td-ameritrade.csv";
    const ACTIVITY: &str = "thinkorswim/ericbell-2025-10-24-TradeActivity-schwab.csv";

    fn detected(rel: &str) -> Option<&'static str> {
        let lines = head(rel);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            AccountStatement.detect(&refs),
            detect(&refs).map(|f| f.id()) == Some("thinkorswim-statement")
        );
        detect(&refs).map(|f| f.id())
    }

    #[test]
    fn detects_statements_not_trade_activity() {
        assert_eq!(detected(PAPER), Some("thinkorswim-statement"));
        assert_eq!(detected(TRADENOTE), Some("thinkorswim-statement"));
        let lines = head(ACTIVITY);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(!AccountStatement.detect(&refs));
    }

    /// paperMoney statement (account zone: US Central — the Cash Balance says CST).
    /// Python over the file: 159 Account Trade History rows (lines 245–403), all /NQM22
    /// futures options ×20. An independent python FIFO over them gives 79 round trips (78
    /// closed; the last row, a buy of 3 13060 puts at 00:29:57, stays open) and gross
    /// 4780.00. The 103 Cash Balance TRD rows all link (their fees sum to 354.06 = the TOTAL
    /// row's $70.56 + $283.50), so net = 4780.00 − 354.06 = 4425.94.
    ///
    /// Broker cross-check: the first 103 fills (up to 21:44:57, the span of Cash Balance)
    /// give gross 5825.00 in python, which is the statement's P/L Day $5,870.00 minus its
    /// P/L Open $45.00 on the 2 open 13070 puts.
    #[test]
    fn papermoney_futures_options() {
        let parsed = parse_fixture(&AccountStatement, PAPER, chrono_tz::America::Chicago);
        assert_eq!(parsed.rows, 159);
        assert_eq!(parsed.fills.len(), 159);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (line, newest) = &parsed.fills[0];
        assert_eq!(*line, 245);
        assert_eq!(newest.instrument.symbol, "/Q4CJ22P13060");
        assert_eq!(newest.instrument.asset_class, AssetClass::FutureOption);
        assert_eq!(newest.instrument.multiplier, dec!(20));
        assert_eq!(newest.instrument.underlying.as_deref(), Some("NQM22"));
        assert_eq!(
            (newest.side, newest.quantity, newest.price),
            (Side::Buy, dec!(3), dec!(116.25))
        );
        assert_eq!(newest.executed_at.to_rfc3339(), "2022-04-27T05:29:57+00:00");
        assert_eq!(newest.fees, Decimal::ZERO); // after the end of Cash Balance
        let (line, oldest) = parsed.fills.last().unwrap();
        assert_eq!(*line, 403);
        assert_eq!(oldest.instrument.symbol, "/Q4CJ22C13450");
        assert_eq!(oldest.fees, dec!(2.81));

        let total_fees: Decimal = parsed.fills.iter().map(|(_, f)| f.fees).sum();
        assert_eq!(total_fees, dec!(354.06));
        // Exactly the 103 fills up to 21:44:57 (lines 301–403) found their Cash Balance row.
        assert!(parsed.fills.iter().all(|(line, f)| f.fees.is_zero() == (*line < 301)));
        // The cash row 68 minutes off its trade still links to it (2-lot rows pay 5.62).
        let odd = parsed.fills.iter().find(|(l, _)| *l == 334).unwrap();
        assert_eq!((odd.1.price, odd.1.fees), (dec!(108.00), dec!(2.81)));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 79);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 78);
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross, dec!(4780.00));
        assert_eq!(net, dec!(4425.94));

        let early: Vec<_> = parsed.fills.iter().filter(|(l, _)| *l >= 301).cloned().collect();
        let early = crate::formats::Parsed {
            fills: early,
            ..Default::default()
        };
        assert_eq!(early.fills.len(), 103);
        assert_eq!(
            round_trips(&early).iter().map(|t| t.gross_pnl).sum::<Decimal>(),
            dec!(5825.00)
        );
    }

    /// TradeNote's spreadsheet-saved statement (account zone New York). Python: 11 Trade
    /// History rows; FIFO gives 2 round trips — AMZN short 300 @9.65 covered @9.6399 (+3.03)
    /// and PYPL long 900 (+15.00) — gross 18.03. Fees: the 11 Cash Balance TRD rows' Misc
    /// Fees sum to 0.51 (= the TOTAL row's $0.51), all linked despite Trade History's
    /// minute-precision times, so net = 17.52.
    #[test]
    fn tradenote_stocks() {
        let parsed = parse_fixture(&AccountStatement, TRADENOTE, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 11);
        assert_eq!(parsed.fills.len(), 11);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed.skipped.is_empty());
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 51);
        assert_eq!(first.instrument, Instrument::stock("PYPL"));
        assert_eq!(
            (first.side, first.quantity, first.price),
            (Side::Sell, dec!(300), dec!(13.32))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2022-11-12T16:27:00+00:00");
        assert_eq!(first.fees, dec!(0.13));
        // Qty `300` without its `+` is a buy of 300.
        let buy = parsed.fills.iter().find(|(l, _)| *l == 56).unwrap();
        assert_eq!(
            (buy.1.side, buy.1.quantity, buy.1.price),
            (Side::Buy, dec!(300), dec!(13.22))
        );
        assert_eq!(parsed.fills.iter().map(|(_, f)| f.fees).sum::<Decimal>(), dec!(0.51));

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 2);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        assert_eq!(trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(), dec!(18.03));
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(17.52));
    }

    #[test]
    fn expiries() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_expiry("2 DEC 25"), d(2025, 12, 2));
        assert_eq!(parse_expiry("20 APR 22"), d(2022, 4, 20));
        assert_eq!(parse_expiry("02 Dec 2025"), d(2025, 12, 2));
        assert_eq!(parse_expiry(" 2  dec 25 "), d(2025, 12, 2));
        assert_eq!(parse_expiry("/Q4CJ22"), None);
        assert_eq!(parse_expiry("31 FEB 25"), None);
        assert_eq!(parse_expiry(""), None);
    }

    #[test]
    fn cash_descriptions() {
        let k = description_key("tIP BOT +1 /NQM22:XCME 1/20 APR 22 (Wednesday) (Wk5) /Q4CJ22:XCME 13450 CALL @140.50")
            .unwrap();
        assert_eq!((k.side, k.quantity, k.price), (Side::Buy, dec!(1), dec!(140.50)));
        assert_eq!(
            (k.symbol.as_str(), k.strike, k.right),
            ("/NQM22", Some(dec!(13450)), Some(OptionRight::Call))
        );
        let k = description_key("BOT +2 SPY 100 (Weeklys) 2 DEC 25 680 PUT @.90 CBOE").unwrap();
        assert_eq!(
            (k.symbol.as_str(), k.price, k.strike, k.right),
            ("SPY", dec!(0.90), Some(dec!(680)), Some(OptionRight::Put))
        );
        let k = description_key("KEY: F2 SOLD -100 AMZN @9.65").unwrap();
        assert_eq!(
            (k.side, k.quantity, k.symbol.as_str(), k.strike),
            (Side::Sell, dec!(100), "AMZN", None)
        );
        assert!(description_key("Cash balance at the start of business day 26.04 CST").is_none());
        assert!(description_key("BOT +1 AAPL").is_none());
    }

    fn parse_text(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&AccountStatement, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn options_futures_legs_and_bad_rows() {
        let text = "Account Statement for 123 (margin) since 12/1/25 through 12/2/25\n\
                    \n\
                    Cash Balance\n\
                    DATE,TIME,TYPE,REF #,DESCRIPTION,Misc Fees,Commissions & Fees,AMOUNT,BALANCE\n\
                    12/2/25,10:00:01,TRD,1,BOT +2 SPY 100 (Weeklys) 2 DEC 25 680 PUT @.90 CBOE,-0.10,-1.30,-181.40,1000\n\
                    ,,,,TOTAL,($0.10),($1.30),($181.40),\n\
                    \n\
                    Account Order History\n\
                    Notes,,Time Placed,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,PRICE,,TIF,Status\n\
                    ,,12/2/25 10:00:00,SINGLE,BUY,+2,TO OPEN,SPY,2 DEC 25,680,PUT,.90,LMT,DAY,FILLED\n\
                    \n\
                    Account Trade History\n\
                    ,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type\n\
                    ,12/2/25 11:00:00,VERTICAL,BUY,+1,TO OPEN,SPY,2 DEC 25,680,CALL,1.20,.50,LMT\n\
                    ,,,SELL,-1,TO OPEN,SPY,2 DEC 25,685,CALL,.70,DEBIT,\n\
                    ,12/2/25 10:30:00,FUTURE,SELL,-1,TO OPEN,/ESZ25,DEC 25,,FUTURE,6800.25,6800.25,MKT\n\
                    ,12/2/25 10:20:00,FUTURE,SELL,-1,TO OPEN,/QQZ25,DEC 25,,FUTURE,6800.25,6800.25,MKT\n\
                    ,12/2/25 10:10:00,SINGLE,BUY,-1,TO OPEN,/ESZ25 1/20 DEC 25,/EW1Z25,6800,CALL,10,10,LMT\n\
                    ,12/2/25 10:00:00,SINGLE,BUY,+2,TO OPEN,SPY,2 DEC 25,680,PUT,.90,.90,LMT\n\
                    ,12/2/25 09:59:00,SINGLE,BUY,+2,TO OPEN,/ESZ25 1/20 DEC 25,/EW1Z25,6800,CALL,10,10,LMT\n\
                    ,12/2/25 09:58:00,SINGLE,BUY,+2,TO OPEN,SPY,2 XYZ 25,680,PUT,.90,.90,LMT\n\
                    \n\
                    Profits and Losses\n\
                    Symbol,Description,P/L Open\n\
                    SPY,SPDR,$0.00\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.rows, 8, "{parsed:?}");
        let lines: Vec<u64> = parsed.fills.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [14, 15, 16, 19]);
        let (_, long_call) = &parsed.fills[0];
        assert_eq!(long_call.instrument.symbol, "SPY251202C00680000");
        assert_eq!(long_call.instrument.multiplier, dec!(100));
        let (_, leg) = &parsed.fills[1];
        assert_eq!(
            (leg.side, leg.instrument.symbol.as_str()),
            (Side::Sell, "SPY251202C00685000")
        );
        assert_eq!(leg.executed_at, long_call.executed_at); // continuation leg takes the time above
        let (_, future) = &parsed.fills[2];
        assert_eq!(
            (future.instrument.symbol.as_str(), future.instrument.multiplier),
            ("ESZ25", dec!(50))
        );
        let (_, put) = &parsed.fills[3];
        assert_eq!(put.fees, dec!(1.40)); // linked to its Cash Balance row
        let reasons: Vec<(u64, &str)> = parsed.rejected.iter().map(|(l, r)| (*l, r.as_str())).collect();
        assert!(reasons[0].1.contains("unknown futures root `QQ`"), "{reasons:?}");
        assert_eq!(reasons[1], (18, "Qty `-1` contradicts Side `BUY`"));
        assert_eq!(
            reasons[2],
            (
                20,
                "Symbol `/ESZ25 1/20 DEC 25` states 20 a point but the contract table gives ES 50"
            )
        );
        assert_eq!(reasons[3], (21, "Exp `2 XYZ 25` is not an expiry like `2 DEC 25`"));
    }

    #[test]
    fn continuation_row_without_a_row_above_is_rejected() {
        let text = "Account Statement for 1\nAccount Trade History\n,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type\n,,,BUY,+1,TO OPEN,AAPL,,,STOCK,1,1,LMT\n";
        let parsed = parse_text(text);
        assert_eq!(
            parsed.rejected,
            [(
                4,
                "Exec Time is empty and there is no row above to take it from".to_string()
            )]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        const HEADER: &str = "Account Trade History\n,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type";
        let rows = [
            (HEADER, ",4/26/22 09:29:16,SINGLE,BUY,+1,TO OPEN,/NQM22 1/20 APR 22 (Wednesday) (Wk5),/Q4CJ22,13450,CALL,140.50,140.50,LMT"),
            (HEADER, ",12/2/25 10:00:00,SINGLE,BUY,+2,TO OPEN,SPY,2 DEC 25,680,PUT,.90,.90,LMT"),
            (HEADER, ",11/12/2022 11:27,STOCK,SELL,-300,TO CLOSE,PYPL,,,STOCK,13.32,13.32,LMT,,"),
            (
                "Cash Balance\nDATE,TIME,TYPE,REF #,DESCRIPTION,Misc Fees,Commissions & Fees,AMOUNT,BALANCE",
                "4/26/22,09:29:16,TRD,1468475970,tIP BOT +1 /NQM22:XCME 1/20 APR 22 /Q4CJ22:XCME 13450 CALL @140.50,-0.56,-2.25,-2810.00,2190.95",
            ),
        ];
        for rel in [PAPER, TRADENOTE] {
            let bytes = std::fs::read(fixture(rel)).unwrap();
            // The head of each file, and its Trade History part (far into the file).
            let th = bytes.windows(21).position(|w| w == b"Account Trade History").unwrap();
            text::assert_never_panics(&AccountStatement, &bytes[..bytes.len().min(2048)], &[]);
            text::assert_never_panics(&AccountStatement, &bytes[th..bytes.len().min(th + 2048)], &rows);
        }
    }

    #[test]
    fn claims_only_its_samples() {
        text::assert_detects_only(&AccountStatement, &[PAPER, TRADENOTE]);
    }
}
