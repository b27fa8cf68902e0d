//! Tradovate **Account Balance History** (Account → Reports → Account Balance History,
//! download CSV): the account's balance at the end of each trade date, for the
//! reconciliation report. It has no fills.
//!
//! Source: `shared/fixtures/FORMATS.md` § Tradovate, Account Balance History (no sample in
//! the corpus; the tests write small files from the documented header).
//!
//! ```text
//! Account ID,Account Name,Trade Date,Total Amount,Total Realized PNL
//! ```
//!
//! - One row per trade date, `Trade Date` `YYYY-MM-DD`; amounts may be quoted with
//!   thousands separators (`"50,130.17"`).
//! - `Total Amount` is the account's cash balance at the end of that trade date: a
//!   [`BrokerBalance`] of kind cash, stated at 17:00 America/Chicago of the trade date (the
//!   CME session's end; the journal counts a fill after it toward the next day, as CME does).
//!   A futures position moves no cash when it opens, so on a day that ends flat the journal's
//!   balance (starting balance + cash + realized net) must equal it.
//! - `Total Realized PNL` (the day's realized P&L) is not stored: the journal computes its
//!   own from the fills.
//! - Rows whose `Trade Date` is empty are skipped (a total line).

use chrono::NaiveTime;
use csv::StringRecord;
use std::io::Read;
use tradebook_store::{BalanceKind, BrokerBalance};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RowOutcome};

/// Tradovate Account Balance History.
#[derive(Debug, Clone, Copy, Default)]
pub struct TradovateBalanceHistory;

/// The documented header.
pub const COLUMNS: &[&str] = &[
    "Account ID",
    "Account Name",
    "Trade Date",
    "Total Amount",
    "Total Realized PNL",
];

/// CME's session ends at 17:00 Chicago time.
const SESSION_END: (u32, u32) = (17, 0);

impl Format for TradovateBalanceHistory {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradovate-balance-history",
            name: "Tradovate Account Balance History",
            platform: "Tradovate",
            description: "Tradovate account balance history (Reports → Account Balance History, CSV): the balance at each trade date's end, to reconcile the account; no trades.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    fn detect(&self, head: &[&str]) -> bool {
        let Some(header) = text::first_line(head) else {
            return false;
        };
        let cells = text::split_csv_line(header);
        text::has_columns(&cells, COLUMNS)
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
            &mut |cols, line, record| match read_row(cols, record) {
                Ok(Some(balance)) => RowOutcome::Balance {
                    line,
                    balance,
                    row_key: text::row_key(record),
                    own_row: true,
                },
                Ok(None) => RowOutcome::Skipped {
                    line,
                    reason: "row without a Trade Date (a total line)".to_string(),
                },
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

fn read_row(cols: &Columns, record: &StringRecord) -> Result<Option<BrokerBalance>, String> {
    let day = cols.get(record, "Trade Date").trim();
    if day.is_empty() {
        return Ok(None);
    }
    let date =
        text::parse_date(day, &["%Y-%m-%d"]).ok_or_else(|| format!("Trade Date `{day}` is not a date (YYYY-MM-DD)"))?;
    let end = NaiveTime::from_hms_opt(SESSION_END.0, SESSION_END.1, 0).expect("a valid time");
    let at = text::local_to_utc(date.and_time(end), chrono_tz::America::Chicago)
        .ok_or_else(|| format!("Trade Date `{day}` has no 17:00 in Chicago"))?;
    let balance = text::number_cell("Total Amount", cols.get(record, "Total Amount"))?;
    Ok(Some(BrokerBalance {
        at,
        kind: BalanceKind::Cash,
        balance,
        currency: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::ContractTable;

    #[test]
    fn reads_the_documented_layout() {
        let text = "Account ID,Account Name,Trade Date,Total Amount,Total Realized PNL\n\
                    123,DEMO1,2025-03-03,\"50,130.17\",130.17\n\
                    123,DEMO1,2025-03-04,\"50,000.00\",-130.17\n\
                    123,DEMO1,03/05/2025,1,1\n\
                    ,,,\"100,130.17\",0\n";
        let head: Vec<&str> = text.lines().collect();
        assert_eq!(detect(&head).map(|f| f.id()), Some("tradovate-balance-history"));
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "b.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        let parsed = parse_all(&TradovateBalanceHistory, &mut text.as_bytes(), &ctx).unwrap();
        assert_eq!(parsed.rows, 4);
        assert!(parsed.fills.is_empty());
        assert_eq!(parsed.balances.len(), 2);
        let (line, first) = &parsed.balances[0];
        assert_eq!(*line, 2);
        assert_eq!(first.balance, dec!(50130.17));
        // 17:00 in Chicago (CST) = 23:00 UTC.
        assert_eq!(first.at.to_rfc3339(), "2025-03-03T23:00:00+00:00");
        assert_eq!(
            parsed.rejected,
            vec![(4, "Trade Date `03/05/2025` is not a date (YYYY-MM-DD)".to_string())]
        );
        assert_eq!(parsed.skipped.len(), 1);
    }
}
