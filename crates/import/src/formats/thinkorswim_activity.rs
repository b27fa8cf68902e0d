//! thinkorswim **Today's Trade Activity** (Schwab era): the day's orders in sections, with
//! fills in `Filled Orders`.
//!
//! Source: `shared/fixtures/FORMATS.md` § thinkorswim Today's Trade Activity and the sample
//! `thinkorswim/ericbell-2025-10-24-TradeActivity-schwab.csv` (UTF-8 BOM, CRLF, 10 stock
//! fills of 10/24/25).
//!
//! # Layout
//!
//! The first line is `Today's Trade Activity for <account> (<type>) on M/D/YY HH:MM:SS` —
//! what detection looks for, after paperMoney's one-line disclaimer in a paper-money export;
//! without that title (a spreadsheet re-save), a `Filled Orders` section whose header has
//! `Exec Time`, `Side`, `Qty`, `Symbol` and `Price` is enough. Then sections, each a title line (one non-empty first cell), a
//! header row, data rows and a blank line: `Working Orders`, `Filled Orders`, `Canceled
//! Orders`, `Rolling Strategies`.
//!
//! ```text
//! Filled Orders
//! ,,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Price Improvement,Order Type
//! ,,10/24/25 09:51:38,STOCK,SELL,-75,TO CLOSE,NEUP,,,STOCK,8.30,8.30,-,MKT
//! ```
//!
//! - **Fills come only from `Filled Orders`**: two leading empty columns, then the columns of
//!   the Account Statement's `Account Trade History` plus `Price Improvement` (`-`, `.75`,
//!   not needed). Each row is read by the Account Statement's own row reader
//!   ([`crate::formats::thinkorswim`]): `Exec Time` `M/D/YY HH:MM:SS` in the account zone
//!   (a multi-leg continuation row with an empty `Exec Time` takes the time above), `Side`
//!   and signed `Qty`, `Price`, and the instrument from `Symbol`/`Exp`/`Strike`/`Type`
//!   (stock, equity option as an OCC symbol ×100, futures and futures options through the
//!   contract table). Rows are **newest first**.
//! - `Pos Effect` `TO OPEN` / `TO CLOSE` gives the position effect (`AUTO` or empty: not
//!   stated).
//! - **No fees anywhere in this export**: every fill has fees 0. (The Account Statement of
//!   the same day has them, in its Cash Balance section.)
//! - No execution id: the row key is the row's trimmed cells.
//! - Rows of `Working Orders`, `Canceled Orders` (including their continuation rows such as
//!   `,,,,,,,,,,,8.47,STP,STD,` — the stop leg of a cancelled order — and quantities written
//!   as percentages, `-100%`) and `Rolling Strategies`, and of any other section, are
//!   **skipped**: they are orders that did not fill, not trades.
//! - A `Filled Orders` header without one of the needed columns makes the file unreadable.

use std::io::Read;

use crate::error::ImportError;
use crate::formats::thinkorswim::{read_trade, title, TRADE_COLUMNS};
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RowOutcome};

/// thinkorswim Today's Trade Activity export (Monitor → Activity and Positions → export).
#[derive(Debug, Clone, Copy, Default)]
pub struct TradeActivity;

const FILLED: &str = "Filled Orders";

impl Format for TradeActivity {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "thinkorswim-trade-activity",
            name: "thinkorswim Today's Trade Activity",
            platform: "thinkorswim",
            description: "thinkorswim Today's Trade Activity (Monitor → Activity and Positions, export): the day's filled orders; no fees in this export.",
        }
    }

    fn newest_first(&self) -> bool {
        true
    }

    /// The title line `Today's Trade Activity for ...` among the first lines (a paperMoney
    /// export puts its one-line disclaimer first), or, when a spreadsheet or a later version
    /// lost the title, a `Filled Orders` section whose header has the fill columns — and in
    /// either case no `Account Statement for` line (a statement's trade section has the same
    /// columns under another title).
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
            "Price Improvement",
            "Order Type",
        ]
    }

    fn detect(&self, head: &[&str]) -> bool {
        let lines: Vec<&str> = head
            .iter()
            .map(|l| crate::formats::strip_bom(l).trim_start().trim_start_matches('"'))
            .collect();
        if lines.iter().take(6).any(|l| l.starts_with("Account Statement for")) {
            return false;
        }
        let titled = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .any(|l| l.starts_with("Today's Trade Activity for"));
        let filled_orders = lines.windows(2).any(|pair| {
            text::split_csv_line(pair[0]).first().map(|c| c.trim()) == Some("Filled Orders") && {
                let cells = text::split_csv_line(pair[1]);
                ["Exec Time", "Side", "Qty", "Symbol", "Price"]
                    .iter()
                    .all(|name| cells.iter().any(|c| c.trim() == *name))
            }
        });
        titled || filled_orders
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        // The section we are in (its title) and its header once read.
        let mut section: Option<String> = None;
        let mut header: Option<Columns> = None;
        let mut previous_time = None;
        for next in text::csv_rows(input) {
            let (line, record) = next.map_err(|source| ImportError::Io {
                file: ctx.file_name.clone(),
                source,
            })?;
            if text::is_blank(&record) {
                if header.is_some() {
                    section = None;
                    header = None;
                }
                continue;
            }
            if let Some(name) = title(&record) {
                section = Some(name.to_string());
                header = None;
                previous_time = None;
                continue;
            }
            let Some(name) = &section else {
                // Rows outside any section (none in the sample): not trades.
                sink(RowOutcome::Skipped {
                    line,
                    reason: "row outside any section".to_string(),
                })?;
                continue;
            };
            let filled = name.eq_ignore_ascii_case(FILLED);
            let Some(columns) = &header else {
                let columns = Columns::from_record(&record);
                if filled {
                    if let Some(missing) = columns.missing(TRADE_COLUMNS) {
                        return Err(ImportError::Malformed {
                            file: ctx.file_name.clone(),
                            line,
                            message: format!("the Filled Orders header has no column {missing}"),
                        });
                    }
                }
                header = Some(columns);
                continue;
            };
            if !filled {
                sink(RowOutcome::Skipped {
                    line,
                    reason: skip_reason(name),
                })?;
                continue;
            }
            sink(match read_trade(columns, &record, &mut previous_time, ctx) {
                Ok(trade) => RowOutcome::Fills {
                    line,
                    fills: vec![trade.fill],
                },
                Err(reason) => RowOutcome::Rejected { line, reason },
            })?;
        }
        Ok(())
    }
}

/// Why a row of a section other than `Filled Orders` is skipped.
fn skip_reason(section: &str) -> String {
    match section.to_ascii_lowercase().as_str() {
        "working orders" => "working order (not filled)".to_string(),
        "canceled orders" | "cancelled orders" => "canceled order (not filled)".to_string(),
        "rolling strategies" => "rolling strategy (not a trade)".to_string(),
        _ => format!("row of section `{section}` (not a fill)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_all;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips_ordered};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, Instrument, PositionEffect, Side, TradeStatus};

    const ACTIVITY: &str = "thinkorswim/ericbell-2025-10-24-TradeActivity-schwab.csv";

    #[test]
    fn detects_trade_activity_only() {
        assert_eq!(detected_id(ACTIVITY), Some("thinkorswim-trade-activity"));
        text::assert_detects_only(&TradeActivity, &[ACTIVITY]);
    }

    /// A paperMoney Trade Activity export: the sample's lines after paperMoney's one-line
    /// disclaimer (as the paperMoney statement sample has it) read as the same format with
    /// the same fills; and with its title line lost (a spreadsheet re-save), the `Filled
    /// Orders` section's columns still say what it is.
    #[test]
    fn papermoney_and_untitled_variants_are_detected_by_their_columns() {
        let sample = String::from_utf8(std::fs::read(fixture(ACTIVITY)).unwrap()).unwrap();
        let sample = crate::formats::strip_bom(&sample).to_string();
        let disclaimer = "This document was exported from the paperMoney® platform which provides a simulated trading environment. All data contained herein is for educational and entertainment purposes only.";
        let paper = format!("{disclaimer}\n\n{sample}");
        let head: Vec<&str> = paper.lines().take(40).collect();
        assert_eq!(
            crate::formats::detect(&head).map(|f| f.id()),
            Some("thinkorswim-trade-activity")
        );
        let original = parse_fixture(&TradeActivity, ACTIVITY, chrono_tz::America::New_York);
        let table = tradebook_core::ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "paper.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        let parsed = crate::formats::parse_all(&TradeActivity, &mut paper.as_bytes(), &ctx).unwrap();
        assert_eq!(parsed.fills.len(), original.fills.len());
        assert_eq!(
            parsed.fills.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>(),
            original.fills.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>()
        );

        let untitled: String = sample.lines().skip(1).collect::<Vec<_>>().join("\n");
        let head: Vec<&str> = untitled.lines().take(40).collect();
        assert_eq!(
            crate::formats::detect(&head).map(|f| f.id()),
            Some("thinkorswim-trade-activity")
        );
    }

    /// ericbell 10/24/25 (account zone New York). Python over the file: 10 `Filled Orders`
    /// rows (lines 8–17); 7 `Canceled Orders` rows (lines 21–27: 4 orders, each but the first
    /// with a continuation row holding its stop leg), no Working or Rolling rows. An independent python FIFO over the
    /// fills gives 2 round trips, both closed: NEUP +98.6250 (bought 100 @7.2163, 10+15
    /// @7.60, 25 @8.04; sold 25 @7.45, 50 @8.0501, 75 @8.30) and WGRX −2.9550 (bought 300
    /// @1.0199; sold 50 @1.0603, 250 @1.00): gross 95.67. No fees in this export: net = gross.
    #[test]
    fn ericbell_trade_activity() {
        let parsed = parse_fixture(&TradeActivity, ACTIVITY, chrono_tz::America::New_York);
        assert_eq!(parsed.rows, 17);
        assert_eq!(parsed.fills.len(), 10);
        assert_eq!(parsed.skipped.len(), 7);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert!(parsed
            .skipped
            .iter()
            .all(|(l, r)| (21..=27).contains(l) && r == "canceled order (not filled)"));
        let (line, newest) = &parsed.fills[0];
        assert_eq!(*line, 8);
        assert_eq!(newest.instrument, Instrument::stock("NEUP"));
        assert_eq!(
            (newest.side, newest.quantity, newest.price, newest.fees),
            (Side::Sell, dec!(75), dec!(8.30), dec!(0))
        );
        assert_eq!(newest.position_effect, Some(PositionEffect::Close));
        assert_eq!(newest.executed_at.to_rfc3339(), "2025-10-24T13:51:38+00:00");
        assert_eq!(newest.execution_id, None);
        let (line, oldest) = parsed.fills.last().unwrap();
        assert_eq!(*line, 17);
        assert_eq!(
            (oldest.side, oldest.quantity, oldest.price, oldest.position_effect),
            (Side::Buy, dec!(300), dec!(1.0199), Some(PositionEffect::Open))
        );

        let trips = round_trips_ordered(&parsed, TradeActivity.newest_first());
        assert_eq!(trips.len(), 2);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(gross, dec!(95.67));
        assert_eq!(net, dec!(95.67));
        let neup = trips.iter().find(|t| t.instrument.symbol == "NEUP").unwrap();
        assert_eq!(neup.gross_pnl, dec!(98.625));
    }

    fn parse_text(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "a.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&TradeActivity, &mut text.as_bytes(), &ctx).unwrap()
    }

    /// Options, a spread with a continuation leg, a future, working and rolling rows, and bad
    /// rows — through the Account Statement's row reader.
    #[test]
    fn options_spreads_sections_and_bad_rows() {
        let text = "Today's Trade Activity for 123 (Individual) on 12/2/25 18:00:00\n\
                    \n\
                    Working Orders\n\
                    Notes,,Time Placed,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,PRICE,,TIF,Mark,Status\n\
                    ,,12/2/25 10:00:00,SINGLE,BUY,+1,TO OPEN,SPY,2 DEC 25,680,PUT,.50,LMT,DAY,.60,WORKING\n\
                    \n\
                    Filled Orders\n\
                    ,,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Price Improvement,Order Type\n\
                    ,,12/2/25 11:00:00,VERTICAL,BUY,+1,TO OPEN,SPY,2 DEC 25,680,CALL,1.20,.50,-,LMT\n\
                    ,,,,SELL,-1,TO OPEN,SPY,2 DEC 25,685,CALL,.70,DEBIT,,\n\
                    ,,12/2/25 10:30:00,FUTURE,SELL,-1,AUTO,/ESZ25,DEC 25,,FUTURE,6800.25,6800.25,.25,MKT\n\
                    ,,12/2/25 10:20:00,STOCK,BUY,-1,TO OPEN,AAPL,,,STOCK,200,200,-,MKT\n\
                    ,,12/2/25 10:10:00,SINGLE,BUY,+2,TO CLOSE,SPY,2 XYZ 25,680,PUT,.90,.90,-,LMT\n\
                    \n\
                    Canceled Orders\n\
                    Notes,,Time Canceled,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,PRICE,,TIF,Status\n\
                    ,,12/2/25 09:50:00,STOCK,SELL,-100%,TO CLOSE,AAPL,,,STOCK,~,MKT,DAY,TRIGGERED\n\
                    \n\
                    Rolling Strategies\n\
                    Covered Call Position,New Exp,Call By,Begin (Days),Order Price,Active Time,Move to MKT Time,Status\n\
                    AAPL 100,JAN 26,5,7,.50,09:30,15:59,ACTIVE\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.rows, 8);
        assert_eq!(parsed.fills.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [9, 10, 11]);
        let (_, call) = &parsed.fills[0];
        assert_eq!(call.instrument.symbol, "SPY251202C00680000");
        assert_eq!(call.instrument.multiplier, dec!(100));
        let (_, leg) = &parsed.fills[1];
        assert_eq!(
            (leg.side, leg.instrument.symbol.as_str()),
            (Side::Sell, "SPY251202C00685000")
        );
        assert_eq!(leg.executed_at, call.executed_at);
        let (_, future) = &parsed.fills[2];
        assert_eq!(
            (future.instrument.symbol.as_str(), future.position_effect),
            ("ESZ25", None)
        );
        assert_eq!(
            parsed.skipped,
            [
                (5, "working order (not filled)".to_string()),
                (17, "canceled order (not filled)".to_string()),
                (21, "rolling strategy (not a trade)".to_string()),
            ]
        );
        assert_eq!(
            parsed.rejected,
            [
                (12, "Qty `-1` contradicts Side `BUY`".to_string()),
                (13, "Exp `2 XYZ 25` is not an expiry like `2 DEC 25`".to_string()),
            ]
        );
    }

    #[test]
    fn filled_header_without_columns_is_a_file_error() {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "a.csv".into(),
            tz: chrono_tz::UTC,
            contracts: &table,
        };
        let text = "Today's Trade Activity for 1 on 1/1/25 10:00:00\n\nFilled Orders\n,,Exec Time,Side\n,,1/1/25 10:00:00,BUY\n";
        let err = parse_all(&TradeActivity, &mut text.as_bytes(), &ctx).unwrap_err();
        assert!(
            err.to_string()
                .contains("a.csv:4: the Filled Orders header has no column `Qty`"),
            "{err}"
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(ACTIVITY)).unwrap();
        const HEADER: &str = "Filled Orders\n,,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Price Improvement,Order Type";
        let rows = [
            (
                HEADER,
                ",,10/24/25 09:51:38,STOCK,SELL,-75,TO CLOSE,NEUP,,,STOCK,8.30,8.30,-,MKT",
            ),
            (
                HEADER,
                ",,12/2/25 11:00:00,SINGLE,BUY,+1,TO OPEN,SPY,2 DEC 25,680,CALL,1.20,1.20,-,LMT",
            ),
            (
                HEADER,
                ",,12/2/25 10:10:00,SINGLE,BUY,+2,TO OPEN,/ESZ25 1/50 DEC 25,/EW1Z25,6800,CALL,10,10,-,LMT",
            ),
        ];
        text::assert_never_panics(&TradeActivity, &bytes[..bytes.len().min(2048)], &rows);
    }
}
