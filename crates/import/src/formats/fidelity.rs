//! Fidelity account history ("Activity & Orders" → History → Download), in its three
//! layouts.
//!
//! Source: `shared/fixtures/FORMATS.md` § Fidelity account history and the sample
//! `fidelity/reds-History_for_Account-2021.csv` (15 transactions; the two newer layouts are
//! described there but have no sample, so the tests write small files from their headers).
//!
//! ```text
//! 2021 per-account:  Run Date,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date
//! 2025 all-accounts: Run Date,Account,Account Number,Action,Symbol,Description,Type,Exchange Quantity,Exchange Currency,Currency,Price,Quantity,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date
//! 2026 Accounts_History: Run Date,Account,Account Number,Action,Symbol,Description,Type,Price ($),Quantity,Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date
//! ```
//!
//! - A preamble (blank lines, sometimes `Brokerage`; a UTF-8 BOM in 2026) comes before the
//!   header, which is the first line starting `Run Date`; it is not a data row. Columns are
//!   found by name, with or without the ` ($)` suffix, so the three layouts are one format
//!   (Price before or after Quantity does not matter). Cells often begin with a space; numbers
//!   are quoted on some rows only and empty money cells may be `""`.
//! - After the data: blank lines, a quoted legal disclaimer (one cell per line) and a `Date
//!   downloaded ...` line. A row whose `Run Date` is not a date and whose `Action` is not a
//!   trade is footer text and is skipped.
//! - Rows are newest first. `Run Date` is `MM/DD/YYYY` with no time: fills are put at 16:00
//!   in the account zone ([`text::DATE_ONLY_HOUR`]).
//! - The direction is in `Action`: `YOU BOUGHT ...` → buy, `YOU SOLD ...` → sell; an action
//!   with `OPENING TRANSACTION` / `CLOSING TRANSACTION` (Fidelity's option wording) states
//!   open / close.
//! - Cash activity with an `Amount` goes to the cash ledger: `DIVIDEND RECEIVED` and the
//!   `SHORT-TERM` / `LONG-TERM CAP GAIN` distributions (dividends), `INTEREST ...`,
//!   `TRANSFERRED FROM/TO` and `JOURNALED` (transfers), `CHECK RECEIVED`, `Electronic Funds
//!   Transfer ...`, `DIRECT DEPOSIT`, `CHECK PAID`, `DIRECT DEBIT` (deposits, withdrawals
//!   when negative), and any action naming a fee. Every other action is skipped
//!   (`REINVESTMENT`, `MERGER ...`, ...). `REINVESTMENT` buys fund shares with a dividend;
//!   like the other brokers' reinvestments it is not journaled as a trade.
//! - `Quantity`: sells are negative in the two newer layouts; the absolute value is used.
//!   Fractional shares occur.
//! - Fees = `Commission` + `Fees` (empty = 0). `Accrued Interest` (bond interest bought with
//!   the bond) is not a fee and is not used; `Amount` is used only for the bond check below.
//! - The 2025 all-accounts file holds several accounts (`Account`, `Account Number`); all of
//!   its trades go to the account chosen for the import, and the account cells are part of
//!   each row key.
//!
//! # Instruments
//!
//! - Stocks and funds by `Symbol` (a ticker, or a CUSIP such as `G8354H126` for a security
//!   without one).
//! - Options: Fidelity writes ` -SPY260220C700` (a minus, root, `YYMMDD`, `C`/`P`, strike
//!   without padding, decimals allowed); read by [`option_symbol`], multiplier 100.
//! - Bonds (Treasury notes and bills in the sample: `9128285B2`, 3000 @ 99.85, Amount
//!   −2995.66) are priced per 100 of face value. A row whose `Amount` is less than a tenth of
//!   quantity × price is read as such a quote and its instrument gets multiplier 0.01 (asset
//!   class stock, symbol the CUSIP: there is no bond class), so P&L stays in dollars.
//! - No execution ids: the row key is the row's cells.

use chrono::NaiveDate;
use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, OptionRight, PositionEffect, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Fidelity account history download (per-account 2021 layout, 2025 all-accounts, 2026
/// Accounts_History).
#[derive(Debug, Clone, Copy, Default)]
pub struct FidelityHistory;

const PRICE: &[&str] = &["Price ($)", "Price"];
const COMMISSION: &[&str] = &["Commission ($)", "Commission"];
const FEES: &[&str] = &["Fees ($)", "Fees"];
const AMOUNT: &[&str] = &["Amount ($)", "Amount"];

impl Format for FidelityHistory {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "fidelity-history",
            name: "Fidelity History",
            platform: "Fidelity",
            description: "Fidelity account history (Activity & Orders → History → Download): YOU BOUGHT / YOU SOLD trades; dividends, reinvestments and transfers skipped.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    fn columns(&self) -> &'static [&'static str] {
        &["Run Date", "Action", "Symbol", "Quantity"]
    }

    fn detect(&self, head: &[&str]) -> bool {
        head.iter().any(|line| {
            let line = crate::formats::strip_bom(line).trim_start();
            line.starts_with("Run Date,") && {
                let cells = text::split_csv_line(line);
                ["Action", "Symbol", "Quantity"]
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
        let required: &[&[&str]] = &[&["Run Date"], &["Action"], &["Symbol"], &["Quantity"], PRICE];
        text::parse_table_after_preamble(
            input,
            ctx,
            &|cols| cols.has("Run Date") && cols.has("Action"),
            required,
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

/// A cash activity row (module docs) as a cash movement; `None` for trades, reinvestments,
/// share movements (mergers) and footer text.
fn cash_row(cols: &Columns, line: u64, record: &StringRecord, ctx: &ParseContext<'_>) -> Option<RowOutcome> {
    use tradebook_store::CashKind;
    let action = cols.get(record, "Action").trim();
    let upper = action.to_ascii_uppercase();
    let amount_cell = get(cols, record, AMOUNT);
    if amount_cell.trim().is_empty() || text::us_date(cols.get(record, "Run Date")).is_none() {
        return None;
    }
    let kind = if upper.starts_with("DIVIDEND RECEIVED") || upper.contains("CAP GAIN") {
        CashKind::Dividend
    } else if upper.starts_with("INTEREST") {
        CashKind::Interest
    } else if upper.starts_with("TRANSFERRED") || upper.starts_with("JOURNALED") {
        CashKind::Transfer
    } else if upper.starts_with("CHECK RECEIVED")
        || upper.starts_with("ELECTRONIC FUNDS TRANSFER")
        || upper.starts_with("DIRECT DEPOSIT")
        || upper.starts_with("CHECK PAID")
        || upper.starts_with("DIRECT DEBIT")
    {
        CashKind::Deposit // by the sign below
    } else if upper.contains("FEE") {
        CashKind::Fee
    } else {
        return None;
    };
    Some(text::or_rejected(
        line,
        (|| {
            let column = cols.pick(AMOUNT).unwrap_or("Amount");
            let amount = text::number_cell(column, amount_cell)?;
            let kind = if kind == CashKind::Deposit && amount < Decimal::ZERO {
                CashKind::Withdrawal
            } else {
                kind
            };
            let (_, at) = text::us_date_cell("Run Date", cols.get(record, "Run Date"), ctx.tz)?;
            Ok(text::cash_outcome(line, kind, amount, at, ctx.tz, action, record))
        })(),
    ))
}

/// The cell of the first of `names` the header has.
fn get<'r>(cols: &Columns, record: &'r StringRecord, names: &[&str]) -> &'r str {
    cols.pick(names).map_or("", |name| cols.get(record, name))
}

/// Side and stated position effect of a trade `Action`; `None` for a non-trade.
fn action(cell: &str) -> Option<(Side, Option<PositionEffect>)> {
    let upper = cell.trim().to_ascii_uppercase();
    let side = if upper.starts_with("YOU BOUGHT") {
        Side::Buy
    } else if upper.starts_with("YOU SOLD") {
        Side::Sell
    } else {
        return None;
    };
    let effect = if upper.contains("OPENING TRANSACTION") {
        Some(PositionEffect::Open)
    } else if upper.contains("CLOSING TRANSACTION") {
        Some(PositionEffect::Close)
    } else {
        None
    };
    Some((side, effect))
}

/// `Ok(Ok(fill))`, `Ok(Err(skip reason))` or `Err(reject reason)`.
fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Result<RawFill, String>, String> {
    let action_cell = cols.get(record, "Action");
    let Some((side, position_effect)) = action(action_cell) else {
        let reason = if text::us_date(cols.get(record, "Run Date")).is_none() {
            "footer text (disclaimer or download date)".to_string()
        } else {
            format!("non-trade action `{action_cell}`")
        };
        return Ok(Err(reason));
    };
    let (_, executed_at) = text::us_date_cell("Run Date", cols.get(record, "Run Date"), ctx.tz)?;
    let quantity = text::number_cell("Quantity", cols.get(record, "Quantity"))?.abs();
    if quantity.is_zero() {
        return Err("Quantity is 0".to_string());
    }
    let price_column = cols.pick(PRICE).unwrap_or("Price");
    let price = text::number_cell(price_column, cols.get(record, price_column))?;
    if price < Decimal::ZERO {
        return Err(format!(
            "{price_column} `{}` is negative",
            cols.get(record, price_column)
        ));
    }
    let mut fees = Decimal::ZERO;
    for names in [COMMISSION, FEES] {
        let column = cols.pick(names).unwrap_or(names[0]);
        fees = fees
            .checked_add(text::fee_cell(column, cols.get(record, column))?)
            .ok_or("the fees add up out of range")?;
    }
    let amount = text::parse_decimal(get(cols, record, AMOUNT));
    let instrument = instrument(cols.get(record, "Symbol"), quantity, price, amount)?;
    Ok(Ok(RawFill {
        instrument,
        side,
        quantity: quantity.normalize(),
        price: price.normalize(),
        fees: fees.normalize(),
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        position_effect,
        row_key: text::row_key(record),
    }))
}

/// An option symbol (` -SPY260220C700`), a bond quoted per 100 of face value (from the
/// `Amount`), or a stock/fund ticker or CUSIP.
fn instrument(symbol: &str, quantity: Decimal, price: Decimal, amount: Option<Decimal>) -> Result<Instrument, String> {
    if symbol.is_empty() {
        return Err("Symbol is empty".to_string());
    }
    if let Some(rest) = symbol.strip_prefix('-') {
        let (root, expiry, right, strike) =
            option_symbol(rest).ok_or_else(|| format!("Symbol `{symbol}` is not an option symbol"))?;
        return text::equity_option(&root, expiry, right, strike)
            .ok_or_else(|| format!("Symbol `{symbol}`: strike cannot be written as an OCC symbol"));
    }
    if !text::is_ticker(symbol) {
        return Err(format!("Symbol `{symbol}` is not a ticker, CUSIP or option"));
    }
    let gross = quantity.checked_mul(price);
    let tenth = amount.and_then(|a| a.abs().checked_mul(Decimal::TEN));
    let per_hundred = matches!((tenth, gross), (Some(t), Some(g)) if !t.is_zero() && t < g);
    let mut stock = Instrument::stock(symbol);
    if per_hundred {
        stock.multiplier = Decimal::new(1, 2);
    }
    Ok(stock)
}

/// Reads Fidelity's option symbol without its leading minus, `SPY260220C700` /
/// `SPXW251219P5725.5`: root, expiry (`YYMMDD`), right and strike (not padded).
pub fn option_symbol(s: &str) -> Option<(String, NaiveDate, OptionRight, Decimal)> {
    let s = s.trim();
    if !s.is_ascii() {
        return None;
    }
    // The last C/P preceded by six digits and followed by a number.
    let at = s.char_indices().rev().find_map(|(i, c)| {
        let right = match c {
            'C' => OptionRight::Call,
            'P' => OptionRight::Put,
            _ => return None,
        };
        let date = s.get(i.checked_sub(6)?..i)?;
        let strike = s.get(i + 1..)?;
        let numeric = !strike.is_empty()
            && strike.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && date.bytes().all(|b| b.is_ascii_digit());
        numeric.then_some((i, right))
    });
    let (i, right) = at?;
    let root = s.get(..i - 6)?;
    if root.is_empty() || !root.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let expiry = NaiveDate::parse_from_str(s.get(i - 6..i)?, "%y%m%d").ok()?;
    let strike = text::parse_decimal(s.get(i + 1..)?).filter(|k| *k > Decimal::ZERO)?;
    Some((root.to_string(), expiry, right, strike.normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, TradeStatus};

    const SAMPLE: &str = "fidelity/reds-History_for_Account-2021.csv";
    const NY: chrono_tz::Tz = chrono_tz::America::New_York;

    fn parse_text(text: &str) -> Parsed {
        let lines: Vec<&str> = text.lines().take(40).collect();
        assert_eq!(detect(&lines).map(|f| f.id()), Some("fidelity-history"));
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: NY,
            contracts: &table,
        };
        parse_all(&FidelityHistory, &mut text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn detects_the_sample() {
        assert_eq!(detected_id(SAMPLE), Some("fidelity-history"));
    }

    /// reds 2021: 15 transactions and 9 footer lines (5 + 3 disclaimer lines, `Date
    /// downloaded`). By hand: 3 `YOU BOUGHT` rows (1 G8354H126 @ 9.88, later merged away by
    /// `MERGER` rows, which are skipped; two Treasuries quoted per 100: 3000 @ 99.85 with
    /// Amount −2995.66, 15000 @ 98.84 with Amount −14826.34). Of the 12 other actions, 8 are
    /// cash movements (2 dividends 100.01 + 0.02, 2 capital gain distributions 150.01 +
    /// 350.01, a transfer 10,000.00, a check 4,200.00, an EFT 123.40, a direct deposit
    /// 100.20: Σ 15,023.65); 2 reinvestments, 2 merger rows and the 9 footer lines are
    /// skipped. Nothing is sold: 3 open round trips, P&L 0.
    #[test]
    fn reds_2021_sample() {
        let parsed = parse_fixture(&FidelityHistory, SAMPLE, NY);
        assert_eq!(parsed.rows, 24);
        assert_eq!(parsed.fills.len(), 3);
        assert_eq!(parsed.skipped.len(), 13);
        assert_eq!(parsed.cash.len(), 8);
        assert_eq!(
            parsed.cash.iter().map(|(_, m)| m.amount).sum::<Decimal>(),
            dec!(15023.65)
        );
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(
            parsed.skipped[0],
            (
                7,
                "non-trade action `REINVESTMENT FIDELITY ZERO EXTND MARKET INDEX FUND (FZIPX) (Cash)`".to_string()
            )
        );
        assert_eq!(
            parsed.skipped.iter().filter(|(_, r)| r.starts_with("footer")).count(),
            9
        );
        let (line, spac) = &parsed.fills[0];
        assert_eq!(*line, 15);
        assert_eq!(spac.instrument, Instrument::stock("G8354H126"));
        assert_eq!(
            (spac.side, spac.quantity, spac.price, spac.fees, spac.position_effect),
            (Side::Buy, dec!(1), dec!(9.88), dec!(0), None)
        );
        assert_eq!(spac.executed_at.to_rfc3339(), "2021-05-20T20:00:00+00:00");
        let (_, note) = &parsed.fills[1];
        assert_eq!(note.instrument.symbol, "9128285B2");
        assert_eq!(note.instrument.multiplier, dec!(0.01));
        assert_eq!((note.quantity, note.price), (dec!(3000), dec!(99.85)));

        let trips = round_trips_ordered(&parsed, true);
        assert_eq!(trips.len(), 3);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Open));
        assert_eq!(trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(), dec!(0));
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(0));
        // Cost of the note in dollars: 3000 × 99.85 × 0.01.
        let note_trip = trips.iter().find(|t| t.instrument.symbol == "9128285B2").unwrap();
        assert_eq!(
            note_trip.entry_price * note_trip.quantity * note_trip.instrument.multiplier,
            dec!(2995.5)
        );
    }

    /// The 2025 all-accounts layout (FORMATS.md): Price before Quantity, sells negative,
    /// several accounts in one file, no ` ($)` suffixes.
    #[test]
    fn all_accounts_2025_layout() {
        let text = "\n\nRun Date,Account,Account Number,Action,Symbol,Description,Type,Exchange Quantity,Exchange Currency,Currency,Price,Quantity,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date\n\
            01/15/2025,Individual,X12345678,YOU SOLD APPLE INC (AAPL) (Margin),AAPL,APPLE INC,Margin,0,,USD,235.5,-10,0,,0.02,,2354.98,01/16/2025\n\
            01/14/2025,ROTH IRA,Y87654321,DIVIDEND RECEIVED FIDELITY GOVERNMENT MONEY MARKET (SPAXX) (Cash),SPAXX,FIDELITY GOVERNMENT MONEY MARKET,Cash,0,,USD,,0,0,,,,1.23,\n\
            01/10/2025,Individual,X12345678,YOU BOUGHT APPLE INC (AAPL) (Margin),AAPL,APPLE INC,Margin,0,,USD,230,10.5,0,,,,-2415,01/13/2025\n\
            \n\
            \n\
            \"The data and information in this spreadsheet is provided to you solely for your use and is not for distribution.\"\n\
            \n\
            \"Date downloaded 01/20/2025 10:00 am\"\n";
        let parsed = parse_text(text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.fills.len(), 2);
        assert_eq!(parsed.skipped.len(), 2);
        // The ROTH IRA's money-market dividend is a cash movement.
        assert_eq!(parsed.cash.len(), 1);
        assert_eq!(parsed.cash[0].1.amount, dec!(1.23));
        let (_, sell) = &parsed.fills[0];
        assert_eq!(
            (sell.side, sell.quantity, sell.price, sell.fees),
            (Side::Sell, dec!(10), dec!(235.5), dec!(0.02))
        );
        assert!(sell.row_key.contains("X12345678"));
        let (_, buy) = &parsed.fills[1];
        assert_eq!((buy.side, buy.quantity, buy.price), (Side::Buy, dec!(10.5), dec!(230)));
        let trips = round_trips_ordered(&parsed, true);
        // Bought 10.5 @ 230, sold 10 @ 235.5: +55 realized, 0.5 still open.
        assert_eq!(trips.len(), 1);
        assert_eq!((trips[0].gross_pnl, trips[0].net_pnl), (dec!(55), dec!(54.98)));
    }

    /// The 2026 Accounts_History layout (FORMATS.md): BOM, ` ($)` suffixes, Price before
    /// Quantity, numbers quoted on some rows only, empty money as `""`; with options.
    #[test]
    fn accounts_history_2026_layout_with_options() {
        let text = "\u{feff}\n\nRun Date,Account,Account Number,Action,Symbol,Description,Type,Price ($),Quantity,Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date\n\
            02/05/2026,\"Individual\",\"Z11122233\",\"YOU SOLD CLOSING TRANSACTION CALL (SPY) SPDR S&P500 ETF FEB 20 26 $700 (100 SHS) (Margin)\",\" -SPY260220C700\",\"CALL (SPY) SPDR S&P500 ETF FEB 20 26 $700 (100 SHS)\",\"Margin\",\"6.00\",\"-2\",\"1.30\",\"0.05\",\"\",\"1198.65\",\"02/06/2026\"\n\
            02/04/2026,Individual,Z11122233,REINVESTMENT FIDELITY GOVERNMENT MONEY MARKET (SPAXX) (Cash),SPAXX,FIDELITY GOVERNMENT MONEY MARKET,Cash,1,3.5,,,,-3.5,\n\
            02/03/2026,\"Individual\",\"Z11122233\",\"YOU BOUGHT OPENING TRANSACTION CALL (SPY) SPDR S&P500 ETF FEB 20 26 $700 (100 SHS) (Margin)\",\" -SPY260220C700\",\"CALL (SPY) SPDR S&P500 ETF FEB 20 26 $700 (100 SHS)\",\"Margin\",5.10,2,1.30,0.04,\"\",-1021.34,\"02/04/2026\"\n\
            02/02/2026,Individual,Z11122233,YOU BOUGHT NVIDIA CORP (NVDA) (Cash),NVDA,NVIDIA CORP,Cash,abc,1,,,,-1,\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.fills.len(), 2);
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(
            parsed.rejected,
            vec![(7, "Price ($) `abc` is not a number".to_string())]
        );
        let (_, close) = &parsed.fills[0];
        assert_eq!(close.instrument.symbol, "SPY260220C00700000");
        assert_eq!(close.instrument.asset_class, AssetClass::Option);
        assert_eq!(
            (close.side, close.quantity, close.fees, close.position_effect),
            (Side::Sell, dec!(2), dec!(1.35), Some(PositionEffect::Close))
        );
        let (_, open) = &parsed.fills[1];
        assert_eq!(open.position_effect, Some(PositionEffect::Open));
        let trips = round_trips_ordered(&parsed, true);
        // (6.00 − 5.10) × 2 × 100 = 180; fees 1.34 + 1.35.
        assert_eq!(trips.len(), 1);
        assert_eq!((trips[0].gross_pnl, trips[0].net_pnl), (dec!(180), dec!(177.31)));
    }

    #[test]
    fn option_symbols() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
        assert_eq!(
            option_symbol("SPY260220C700"),
            Some(("SPY".to_string(), d, OptionRight::Call, dec!(700)))
        );
        assert_eq!(
            option_symbol("SPXW260220P5725.5").map(|o| (o.0, o.2, o.3)),
            Some(("SPXW".to_string(), OptionRight::Put, dec!(5725.5)))
        );
        for bad in [
            "",
            "SPY",
            "260220C700",
            "SPY260220X700",
            "SPY261320C700",
            "SPY260220C",
            "SPY26022C700",
        ] {
            assert_eq!(option_symbol(bad), None, "{bad}");
        }
        assert!(instrument("-SPY", dec!(1), dec!(1), None).is_err());
        // A stock whose Amount matches quantity × price keeps multiplier 1.
        assert_eq!(
            instrument("AAPL", dec!(10), dec!(230), Some(dec!(-2300)))
                .unwrap()
                .multiplier,
            dec!(1)
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let header = lines[5];
        let rows = [(header, lines[6]), (header, lines[14]), (header, lines[19])];
        text::assert_never_panics(&FidelityHistory, &bytes[..bytes.len().min(2048)], &rows);
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&FidelityHistory, &[SAMPLE]);
    }
}
