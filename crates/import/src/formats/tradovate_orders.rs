//! Tradovate **Orders** export: one row per order, filled or not.
//!
//! Source: `shared/fixtures/FORMATS.md` § Tradovate › Orders and the sample
//! `tradovate/hamtaro777-orders.csv` (27 orders of the account whose Fills and Performance
//! exports are read by [`crate::formats::tradovate`]; account zone UTC+9).
//!
//! ```text
//! orderId,Account,Order ID,B/S,Contract,Product,Product Description,avgPrice,filledQty,Fill Time,lastCommandId,Status,_priceFormat,_priceFormatType,_tickSize,spreadDefinitionId,Version ID,Timestamp,Date,Quantity,Text,Type,Limit Price,Stop Price,decimalLimit,decimalStop,Filled Qty,Avg Fill Price,decimalFillAvg,Venue,Notional Value,Currency
//! ```
//!
//! - Detected by a header starting `orderId,Account,Order ID,B/S,Contract` (the Fills export
//!   starts `_id`); columns are found by name.
//! - An order with something filled (`Filled Qty`, else `filledQty`, > 0) is **one fill** of
//!   that quantity at `Avg Fill Price` (else `avgPrice`), at `Fill Time` — whatever its
//!   `Status`, so a partly filled order cancelled afterwards keeps its filled part. `Fill
//!   Time` is `MM/DD/YYYY HH:MM:SS`, naive, in the account zone (`Timestamp` is when the
//!   order was placed and is not used).
//! - Orders with nothing filled — `Status` ` Canceled`, ` Working`, ` Rejected` (written with
//!   a leading space) — are **skipped**.
//! - `B/S` ` Buy` / ` Sell` gives the side; the export has no open/close flag (`Text` `Exit`
//!   only names the button that sent the order), so `position_effect` is `None`.
//! - `execution_id` = `tradovate-order:<orderId>`: the order id, since the export has no fill
//!   id. An order filled in several executions is one fill at their average price here, while
//!   the Fills export has one row per execution — **do not import Orders and Fills (or
//!   Performance) of the same account together**: they are the same trades.
//! - **No commission column: fees are 0.** The Fills export has them.
//! - `Contract` (`NQH6`, `MESH6`) is read by the contract table; an unknown root rejects the
//!   row. Prices in 32nds (`110 045`, Treasuries) are decoded as in the other Tradovate
//!   exports ([`crate::formats::tradovate::parse_price_32nds`]).
//! - `Notional Value` (`"505,420.00"`), the limit/stop prices and the `decimal*` columns are
//!   not needed.

use csv::StringRecord;
use rust_decimal::Decimal;
use std::io::Read;
use tradebook_core::Side;

use crate::error::ImportError;
use crate::formats::tradovate::parse_price_32nds;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Tradovate Orders export (Account → Orders → download): filled orders become fills.
#[derive(Debug, Clone, Copy, Default)]
pub struct TradovateOrders;

/// `Fill Time` layouts (local, no zone).
const LOCAL_FORMATS: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S"];

impl Format for TradovateOrders {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradovate-orders",
            name: "Tradovate Orders",
            platform: "Tradovate",
            description: "Tradovate orders export (Account → Orders, download CSV): each filled order is a fill at its average price; no commissions. Prefer the Fills export; do not import both.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        &["orderId", "Account", "Order ID", "B/S", "Contract", "Product"]
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
        cells.starts_with(&[
            "orderId".to_string(),
            "Account".to_string(),
            "Order ID".to_string(),
            "B/S".to_string(),
            "Contract".to_string(),
        ]) && cells.iter().any(|c| c == "Status")
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let required: &[&[&str]] = &[
            &["orderId", "Order ID"],
            &["B/S"],
            &["Contract"],
            &["Status"],
            &["Filled Qty", "filledQty"],
            &["Avg Fill Price", "avgPrice"],
            &["Fill Time"],
        ];
        text::parse_table(
            input,
            ctx,
            required,
            sink,
            &mut |cols, line, record| match read_order(cols, record, ctx) {
                Ok(Some(fill)) => RowOutcome::Fills {
                    line,
                    fills: vec![fill],
                },
                Ok(None) => RowOutcome::Skipped {
                    line,
                    reason: skip_reason(cols.get(record, "Status")),
                },
                Err(reason) => RowOutcome::Rejected { line, reason },
            },
        )
    }
}

fn skip_reason(status: &str) -> String {
    match status {
        "" => "order with nothing filled".to_string(),
        status => format!("order {status}, nothing filled"),
    }
}

/// The first non-empty of `names`' cells, with its column.
fn first_of<'r>(cols: &Columns, record: &'r StringRecord, names: &[&'static str]) -> (&'static str, &'r str) {
    names
        .iter()
        .map(|n| (*n, cols.get(record, n)))
        .find(|(_, v)| !v.is_empty())
        .unwrap_or((names.first().copied().unwrap_or(""), ""))
}

/// A filled order's fill, `None` for an order with nothing filled.
fn read_order(cols: &Columns, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Option<RawFill>, String> {
    let (qty_col, qty) = first_of(cols, record, &["Filled Qty", "filledQty"]);
    if qty.is_empty() || text::parse_decimal(qty).is_some_and(|q| q.is_zero()) {
        if cols.get(record, "Status").eq_ignore_ascii_case("Filled") {
            return Err(format!("Status is Filled but {qty_col} is `{qty}`"));
        }
        return Ok(None);
    }
    let quantity = text::quantity_cell(qty_col, qty)?;
    let bs = cols.get(record, "B/S");
    let side = Side::parse(bs).ok_or_else(|| match bs {
        "" => "B/S is empty".to_string(),
        _ => format!("B/S `{bs}` is not Buy or Sell"),
    })?;
    let (price_col, price_cell) = first_of(cols, record, &["Avg Fill Price", "avgPrice"]);
    let price = if price_cell.contains(char::is_whitespace) {
        parse_price_32nds(price_cell)
            .ok_or_else(|| format!("{price_col} `{price_cell}` is not a price in 32nds (e.g. `110 045`)"))?
    } else {
        text::number_cell(price_col, price_cell)?
    };
    let (naive, executed_at) =
        text::local_time_cell("Fill Time", cols.get(record, "Fill Time"), LOCAL_FORMATS, ctx.tz)?;
    let contract = cols.get(record, "Contract");
    if contract.is_empty() {
        return Err("Contract is empty".to_string());
    }
    let instrument = ctx
        .contracts
        .future(contract, naive.date())
        .map_err(|e| e.to_string())?;
    let (_, order_id) = first_of(cols, record, &["orderId", "Order ID"]);
    if order_id.is_empty() {
        return Err("orderId is empty".to_string());
    }
    Ok(Some(RawFill {
        instrument,
        side,
        quantity,
        price,
        fees: Decimal::ZERO,
        executed_at,
        source_tz: ctx.tz,
        execution_id: Some(format!("tradovate-order:{order_id}")),
        position_effect: None,
        row_key: text::row_key(record),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips_ordered};
    use crate::formats::tradovate::{TradovateFills, TradovatePerformance};
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::{ContractTable, TradeStatus};

    const ORDERS: &str = "tradovate/hamtaro777-orders.csv";
    const PERFORMANCE: &str = "tradovate/hamtaro777-performance.csv";
    const FILLS: &str = "tradovate/hamtaro777-fills.csv";
    const TOKYO: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

    #[test]
    fn detects_orders_only() {
        let lines = head(ORDERS);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(detect(&refs).map(|f| f.id()), Some("tradovate-orders"));
        assert!(TradovateOrders.detect(&refs));
        text::assert_detects_only(&TradovateOrders, &[ORDERS]);
    }

    /// Σ `pnl` of the same account's Performance export, read independently of any parser.
    fn performance_pnl() -> Decimal {
        let mut rdr = csv::Reader::from_path(fixture(PERFORMANCE)).unwrap();
        let at = rdr.headers().unwrap().iter().position(|h| h == "pnl").unwrap();
        rdr.records()
            .map(|r| text::parse_decimal(&r.unwrap()[at]).unwrap())
            .sum()
    }

    /// hamtaro777 Orders: 27 orders — 20 ` Filled`, 3 ` Canceled`, 3 ` Working`, 1
    /// ` Rejected` (python count). The 20 filled orders (one contract each, NQ and MES) give,
    /// by an independent python FIFO over `Fill Time`, 4 round trips with gross 136.25 — the
    /// Σ `pnl` of the same account's Performance export. No fees in this export, so net =
    /// gross.
    #[test]
    fn hamtaro_orders() {
        let parsed = parse_fixture(&TradovateOrders, ORDERS, TOKYO);
        assert_eq!(parsed.rows, 27);
        assert_eq!(parsed.fills.len(), 20);
        assert_eq!(parsed.skipped.len(), 7);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.skipped[0], (7, "order Canceled, nothing filled".to_string()));
        let reasons: Vec<&str> = parsed.skipped.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons.iter().filter(|r| r.contains("Working")).count(), 3);
        assert_eq!(reasons.iter().filter(|r| r.contains("Rejected")).count(), 1);

        let (line, first) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(first.instrument.symbol, "NQH26");
        assert_eq!(first.instrument.multiplier, dec!(20));
        assert_eq!(
            (first.side, first.quantity, first.price),
            (Side::Sell, dec!(1), dec!(25271.00))
        );
        // Fill Time 02/11/2026 15:34:46 in UTC+9 (the Fills export's `_timestamp` is 06:34:46.772Z).
        assert_eq!(first.executed_at.to_rfc3339(), "2026-02-11T06:34:46+00:00");
        assert_eq!(first.execution_id.as_deref(), Some("tradovate-order:393570670770"));
        assert_eq!((first.fees, first.position_effect), (dec!(0), None));

        let trips = round_trips_ordered(&parsed, TradovateOrders.newest_first());
        assert_eq!(trips.len(), 4);
        assert!(trips.iter().all(|t| t.status == TradeStatus::Closed));
        let gross: Decimal = trips.iter().map(|t| t.gross_pnl).sum();
        let net: Decimal = trips.iter().map(|t| t.net_pnl).sum();
        assert_eq!(performance_pnl(), dec!(136.25));
        assert_eq!(gross, performance_pnl());
        assert_eq!(gross, dec!(136.25));
        assert_eq!(net, dec!(136.25));
    }

    /// The same account's three exports describe the same trades: equal gross everywhere.
    #[test]
    fn orders_agree_with_fills_and_performance() {
        let gross = |parsed: &crate::formats::Parsed| -> Decimal {
            round_trips_ordered(parsed, false).iter().map(|t| t.gross_pnl).sum()
        };
        let orders = parse_fixture(&TradovateOrders, ORDERS, TOKYO);
        let fills = parse_fixture(&TradovateFills, FILLS, TOKYO);
        let perf = parse_fixture(&TradovatePerformance, PERFORMANCE, TOKYO);
        assert_eq!(gross(&orders), gross(&fills));
        assert_eq!(gross(&orders), gross(&perf));
        let quantity = |p: &crate::formats::Parsed| -> Decimal { p.fills.iter().map(|(_, f)| f.quantity).sum() };
        assert_eq!(quantity(&orders), quantity(&fills));
    }

    fn parse_text(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "o.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&TradovateOrders, &mut text.as_bytes(), &ctx).unwrap()
    }

    const HEADER: &str = "orderId,Account,Order ID,B/S,Contract,Product,Product Description,avgPrice,filledQty,Fill Time,lastCommandId,Status,_priceFormat,_priceFormatType,_tickSize,spreadDefinitionId,Version ID,Timestamp,Date,Quantity,Text,Type,Limit Price,Stop Price,decimalLimit,decimalStop,Filled Qty,Avg Fill Price,decimalFillAvg,Venue,Notional Value,Currency";

    #[test]
    fn partial_fills_32nds_and_bad_rows() {
        let rows = [
            // Partly filled, then cancelled: 1 of 2 filled.
            "1,A,1, Buy,MESH6,MES,Micro,6961.25,1,02/12/2026 01:33:16,1, Canceled,-2,0,0.25,,1,02/12/2026 01:33:15,2/12/26,2,DOM, Limit,6961.25,,6961.25,,1,6961.25,6961.25,,\"34,806.25\",USD",
            // Treasury in 32nds.
            "2,A,2, Sell,ZNM4,ZN,10Y,110.140625,3,02/27/2024 16:27:28,2, Filled,5,1,0.015625,,2,02/27/2024 16:27:20,2/27/24,3,DOM, Market,,,,,3,110 045,110.140625,,,USD",
            "3,A,3, Hold,MESH6,MES,Micro,6961.25,1,02/12/2026 01:33:16,3, Filled,-2,0,0.25,,3,02/12/2026 01:33:15,2/12/26,1,DOM, Limit,,,,,1,6961.25,6961.25,,,USD",
            "4,A,4, Buy,QQH6,QQ,?,6961.25,1,02/12/2026 01:33:16,4, Filled,-2,0,0.25,,4,02/12/2026 01:33:15,2/12/26,1,DOM, Limit,,,,,1,6961.25,6961.25,,,USD",
            "5,A,5, Buy,MESH6,MES,Micro,6961.25,1,,5, Filled,-2,0,0.25,,5,02/12/2026 01:33:15,2/12/26,1,DOM, Limit,,,,,1,6961.25,6961.25,,,USD",
            "6,A,6, Buy,MESH6,MES,Micro,,,,6, Rejected,-2,0,0.25,,6,02/12/2026 01:33:15,2/12/26,1,DOM, Limit,,,,,,,,,,USD",
            "7,A,7, Buy,MESH6,MES,Micro,,,,7, Filled,-2,0,0.25,,7,02/12/2026 01:33:15,2/12/26,1,DOM, Limit,,,,,,,,,,USD",
        ];
        let parsed = parse_text(&format!("{HEADER}\n{}\n", rows.join("\n")));
        assert_eq!(parsed.fills.len(), 2);
        let (_, partial) = &parsed.fills[0];
        assert_eq!((partial.side, partial.quantity), (Side::Buy, dec!(1)));
        let (_, zn) = &parsed.fills[1];
        assert_eq!(
            (zn.side, zn.quantity, zn.price),
            (Side::Sell, dec!(3), dec!(110.140625))
        );
        assert_eq!(zn.instrument.multiplier, dec!(1000));
        assert_eq!(zn.executed_at.to_rfc3339(), "2024-02-27T21:27:28+00:00");
        assert_eq!(parsed.skipped, [(7, "order Rejected, nothing filled".to_string())]);
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons[0], "B/S `Hold` is not Buy or Sell");
        assert!(reasons[1].contains("unknown futures root `QQ`"), "{}", reasons[1]);
        assert_eq!(reasons[2], "Fill Time is empty");
        assert_eq!(reasons[3], "Status is Filled but Filled Qty is ``");
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(ORDERS)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().take(2).collect();
        text::assert_never_panics(
            &TradovateOrders,
            &bytes[..bytes.len().min(2048)],
            &[(lines[0], lines[1])],
        );
    }
}
