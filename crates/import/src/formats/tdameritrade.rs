//! TD Ameritrade website transactions (the pre-Schwab tdameritrade.com history download, not
//! thinkorswim).
//!
//! Source: `shared/fixtures/FORMATS.md` § TD Ameritrade website transactions and the sample
//! `tdameritrade-web/reds-tdameritrade-transactions.csv` (15 rows).
//!
//! ```text
//! DATE,TRANSACTION ID,DESCRIPTION,QUANTITY,SYMBOL,PRICE,COMMISSION,AMOUNT,REG FEE,SHORT-TERM RDM FEE,FUND REDEMPTION FEE, DEFERRED SALES CHARGE
//! ```
//!
//! - Detected by that header (note the space before ` DEFERRED SALES CHARGE`; columns are
//!   found by trimmed name). The last line is `***END OF FILE***`, skipped.
//! - Rows are oldest first. `DATE` is `MM/DD/YYYY` with no time: fills are put at 16:00 in
//!   the account zone ([`text::DATE_ONLY_HOUR`]).
//! - The direction is only in `DESCRIPTION`: `Bought 30 BP @ 27.71` → buy, `Sold 5 COST @
//!   490.045` → sell (and in the sign of `AMOUNT`, not used). Open/close is not stated.
//!   `QUANTITY` is unsigned, `PRICE` per share.
//! - Fees = `COMMISSION` + `REG FEE` + `SHORT-TERM RDM FEE` + `FUND REDEMPTION FEE` +
//!   `DEFERRED SALES CHARGE` (empty = 0).
//! - Non-trade rows share the layout. Those with an `AMOUNT` go to the cash ledger, their
//!   kind from the description: funding (`CLIENT REQUESTED ELECTRONIC FUNDING RECEIPT`, a
//!   deposit, or a withdrawal when negative), `QUALIFIED DIVIDEND (COST)` (dividend, and its
//!   reversal when negative), `ADR FEE (BP)` (fee), interest, transfers and journals, else
//!   other. Rows without an amount are skipped.
//! - `TRANSACTION ID` is masked in the sample (`35XXXXXXXXX` on several rows), so it cannot
//!   be the dedupe key: `execution_id` is `None` and the row key is the row's cells (which
//!   include the id).
//! - Stocks only: a `SYMBOL` that is not a ticker (an option, absent from the sample)
//!   rejects the row rather than being guessed.

use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::{Instrument, Side};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// TD Ameritrade website transaction history (My Account → History & Statements →
/// Transactions → Download).
#[derive(Debug, Clone, Copy, Default)]
pub struct TdAmeritradeWeb;

const COLUMNS: &[&str] = &[
    "DATE",
    "TRANSACTION ID",
    "DESCRIPTION",
    "QUANTITY",
    "SYMBOL",
    "PRICE",
    "COMMISSION",
    "AMOUNT",
];

const FEE_COLUMNS: &[&str] = &[
    "COMMISSION",
    "REG FEE",
    "SHORT-TERM RDM FEE",
    "FUND REDEMPTION FEE",
    "DEFERRED SALES CHARGE",
];

impl Format for TdAmeritradeWeb {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tdameritrade-web",
            name: "TD Ameritrade Transactions",
            platform: "thinkorswim",
            description: "TD Ameritrade website transactions (History & Statements → Transactions → Download): stock trades; funding, dividends and fees into the cash ledger.",
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
        cells.first().is_some_and(|c| c == "DATE") && COLUMNS.iter().all(|name| cells.iter().any(|c| c == name))
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: Vec<&[&str]> = ["DATE", "DESCRIPTION", "QUANTITY", "SYMBOL", "PRICE"]
            .iter()
            .map(std::slice::from_ref)
            .collect();
        text::parse_table(
            input,
            ctx,
            &required,
            sink,
            &mut |cols, line, record| match read_row(cols, record, ctx) {
                Ok(Some(fill)) => RowOutcome::Fills {
                    line,
                    fills: vec![fill],
                },
                Ok(None) => cash_row(cols, line, record, ctx).unwrap_or_else(|| RowOutcome::Skipped {
                    line,
                    reason: skip_reason(cols, record),
                }),
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

/// A non-trade row with an `AMOUNT` as a cash movement (module docs); `None` for the
/// end-of-file marker and rows without an amount.
fn cash_row(cols: &Columns, line: u64, record: &StringRecord, ctx: &ParseContext<'_>) -> Option<RowOutcome> {
    use tradebook_store::CashKind;
    let cell = cols.get(record, "AMOUNT");
    if cell.trim().is_empty() || cols.get(record, "DATE").contains("END OF FILE") {
        return None;
    }
    let description = cols.get(record, "DESCRIPTION");
    let upper = description.to_ascii_uppercase();
    Some(text::or_rejected(
        line,
        (|| {
            let amount = text::number_cell("AMOUNT", cell)?;
            let kind = if upper.contains("DIVIDEND") {
                CashKind::Dividend
            } else if upper.contains("INTEREST") {
                CashKind::Interest
            } else if upper.contains("FEE") {
                CashKind::Fee
            } else if upper.contains("FUNDING") || upper.contains("DEPOSIT") || upper.contains("WITHDRAWAL") {
                if amount < Decimal::ZERO {
                    CashKind::Withdrawal
                } else {
                    CashKind::Deposit
                }
            } else if upper.contains("TRANSFER") || upper.contains("JOURNAL") {
                CashKind::Transfer
            } else {
                CashKind::Other
            };
            let (_, at) = text::us_date_cell("DATE", cols.get(record, "DATE"), ctx.tz)?;
            Ok(text::cash_outcome(line, kind, amount, at, ctx.tz, description, record))
        })(),
    ))
}

/// Why a non-trade row is skipped.
fn skip_reason(cols: &Columns, record: &StringRecord) -> String {
    let date = cols.get(record, "DATE");
    if date.contains("END OF FILE") {
        return "end-of-file marker".to_string();
    }
    match cols.get(record, "DESCRIPTION") {
        "" => "row without a description".to_string(),
        d => format!("non-trade row `{d}`"),
    }
}

/// The side a `DESCRIPTION` states (`Bought …` / `Sold …`), `None` for a non-trade.
fn side(description: &str) -> Option<Side> {
    match description.split_whitespace().next()? {
        w if w.eq_ignore_ascii_case("bought") => Some(Side::Buy),
        w if w.eq_ignore_ascii_case("sold") => Some(Side::Sell),
        _ => None,
    }
}

/// `Ok(None)` for a non-trade row.
fn read_row(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Option<RawFill>, String> {
    let Some(side) = side(cols.get(record, "DESCRIPTION")) else {
        return Ok(None);
    };
    let symbol = cols.get(record, "SYMBOL");
    if !text::is_ticker(symbol) {
        return Err(match symbol {
            "" => "SYMBOL is empty".to_string(),
            s => format!("SYMBOL `{s}` is not a stock ticker (only stock trades are read)"),
        });
    }
    let quantity = text::quantity_cell("QUANTITY", cols.get(record, "QUANTITY"))?.normalize();
    let price = text::number_cell("PRICE", cols.get(record, "PRICE"))?.normalize();
    if price < Decimal::ZERO {
        return Err(format!("PRICE `{}` is negative", cols.get(record, "PRICE")));
    }
    let mut fees = Decimal::ZERO;
    for column in FEE_COLUMNS {
        fees = fees
            .checked_add(text::fee_cell(column, cols.get(record, column))?)
            .ok_or("the fees add up out of range")?;
    }
    let (_, executed_at) = text::us_date_cell("DATE", cols.get(record, "DATE"), ctx.tz)?;
    Ok(Some(RawFill {
        instrument: Instrument::stock(symbol),
        side,
        quantity,
        price,
        fees: fees.normalize(),
        executed_at,
        source_tz: ctx.tz,
        execution_id: None,
        position_effect: None,
        row_key: text::row_key(record),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_all;
    use crate::formats::testing::{detected_id, fixture, parse_fixture, round_trips};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const SAMPLE: &str = "tdameritrade-web/reds-tdameritrade-transactions.csv";
    const NY: chrono_tz::Tz = chrono_tz::America::New_York;

    #[test]
    fn detects_the_sample() {
        assert_eq!(detected_id(SAMPLE), Some("tdameritrade-web"));
    }

    /// reds: 16 rows after the header (15 transactions and `***END OF FILE***`). By hand: 7
    /// trades (Bought BP, LUV, COST, ON, VLO; Sold COST, ON), 8 cash movements (funding
    /// 6,000.00; 6 qualified dividends 3.95 + 9.83 + 37.24 + 9.68 + 0.15 − 0.15 = 60.70; ADR
    /// fee −0.15: Σ 6,060.55) and the end marker skipped. Python FIFO: COST 5
    /// @383.86 → 490.045 = +530.925 with REG FEE 0.01; ON 7 @49.55 → 57.85 = +58.10; BP, LUV
    /// and VLO still open: 5 round trips, 2 closed, gross 589.025, fees 0.01, net 589.015.
    #[test]
    fn reds_sample() {
        let parsed = parse_fixture(&TdAmeritradeWeb, SAMPLE, NY);
        assert_eq!(parsed.rows, 16);
        assert_eq!(parsed.fills.len(), 7);
        assert_eq!(parsed.skipped, vec![(17, "end-of-file marker".to_string())]);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.cash.len(), 8);
        let (line, funding) = &parsed.cash[0];
        assert_eq!(
            (*line, funding.kind, funding.amount),
            (2, tradebook_store::CashKind::Deposit, dec!(6000))
        );
        assert_eq!(
            parsed.cash.iter().map(|(_, m)| m.amount).sum::<Decimal>(),
            dec!(6060.55)
        );
        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 3);
        assert_eq!(first.instrument, Instrument::stock("BP"));
        assert_eq!(
            (first.side, first.quantity, first.price, first.fees),
            (Side::Buy, dec!(30), dec!(27.71), dec!(0))
        );
        assert_eq!(first.executed_at.to_rfc3339(), "2021-06-11T20:00:00+00:00");
        let sold = parsed.fills.iter().find(|(l, _)| *l == 10).unwrap();
        assert_eq!(
            (sold.1.side, sold.1.price, sold.1.fees),
            (Side::Sell, dec!(490.045), dec!(0.01))
        );

        let trips = round_trips(&parsed);
        assert_eq!(trips.len(), 5);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 2);
        assert_eq!(trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(), dec!(589.025));
        assert_eq!(trips.iter().map(|t| t.net_pnl).sum::<Decimal>(), dec!(589.015));
    }

    #[test]
    fn fee_columns_add_up_and_bad_rows_are_rejected() {
        let text = "DATE,TRANSACTION ID,DESCRIPTION,QUANTITY,SYMBOL,PRICE,COMMISSION,AMOUNT,REG FEE,SHORT-TERM RDM FEE,FUND REDEMPTION FEE, DEFERRED SALES CHARGE\n\
                    01/04/2021,1,Sold 10 XYZ @ 5.5,10,XYZ,5.5,1.00,53.40,0.05,0.05,0.10,0.90\n\
                    01/04/2021,2,Bought 1 SPY Jan 15 2021 370.0 Call @ 2,1,SPY Jan 15 2021 370.0 Call,2,0,-200,,,,\n\
                    01/04/2021,3,Bought 1 XYZ @ x,1,XYZ,x,0,-1,,,,\n\
                    01/04/2021,4,Sold 1 XYZ @ 1,1,XYZ,1,-1,1,,,,\n\
                    2021-01-04,5,Sold 1 XYZ @ 1,1,XYZ,1,0,1,,,,\n\
                    ***END OF FILE***\n";
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: NY,
            contracts: &table,
        };
        let parsed = parse_all(&TdAmeritradeWeb, &mut text.as_bytes(), &ctx).unwrap();
        assert_eq!(parsed.fills.len(), 1);
        assert_eq!(parsed.fills[0].1.fees, dec!(2.10));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "SYMBOL `SPY Jan 15 2021 370.0 Call` is not a stock ticker (only stock trades are read)",
                "PRICE `x` is not a number",
                "COMMISSION `-1` is negative; fees must be a cost ≥ 0",
                "DATE `2021-01-04` is not a date (M/D/YYYY)",
            ]
        );
        assert_eq!(parsed.skipped, vec![(7, "end-of-file marker".to_string())]);
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        text::assert_never_panics(
            &TdAmeritradeWeb,
            &bytes[..bytes.len().min(2048)],
            &[(lines[0], lines[2])],
        );
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&TdAmeritradeWeb, &[SAMPLE]);
    }
}
