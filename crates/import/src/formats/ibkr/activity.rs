//! Interactive Brokers **Activity Statement** CSV: a multi-section file whose fills are the
//! order (or execution) rows of its trades section, in whatever language the statement was
//! produced in.
//!
//! Source: `shared/fixtures/FORMATS.md` § Interactive Brokers Activity Statement and the
//! sample `ibkr/ibzakharov-activity-statement-2020-ru.csv` (Russian, UTF-8 BOM, LF; a RUB
//! base account trading EUR, GBP and USD stocks, one warrant, and forex conversions).
//!
//! # Layout
//!
//! Every line is `<Section>,<Kind>,<cells...>`, with `Kind` one of `Header`, `Data`,
//! `SubTotal`, `Total`, `Notes`. A `Header` row starts a sub-table of its section with its
//! own columns; a section can have several (the sample's trades section has three: warrants,
//! stocks, forex). The first line is always `Statement,Header,<Field Name>,<Field Value>`,
//! which is what detection looks for.
//!
//! Section and column names are translated (the sample's trades section is `Сделки`, not
//! `Trades`), so **the trades table is recognised by its structure**: a sub-table whose
//! first column is `DataDiscriminator` (never translated) and whose header has the columns
//! below, by their English or Russian names. Columns are then found by name, so added
//! columns (`Account`, `Exchange`, `Notional Value` in other statements) do not matter.
//!
//! | used for | English | Russian (sample) |
//! | --- | --- | --- |
//! | row kind | `DataDiscriminator` | `DataDiscriminator` |
//! | instrument class | `Asset Category` | `Класс актива` |
//! | trade currency | `Currency` | `Валюта` |
//! | instrument | `Symbol` | `Символ` |
//! | time | `Date/Time` | `Дата/Время` |
//! | signed quantity | `Quantity` | `Количество` |
//! | price | `T. Price` | `Цена транзакции` |
//! | fees (trade currency) | `Comm/Fee` | `Комиссия/плата` |
//! | fees (forex, named currency) | `Comm in USD` | `Комиссия в RUB` |
//! | open/close | `Code` | `Код` |
//!
//! Not used: `C. Price` (`Цена закрытия`), `Proceeds` (`Выручка`), `Basis` (`Базис`),
//! `Realized P/L` (`Реализованная П/У`), `MTM P/L` / `MTM in RUB` (`Рыноч. переоценка
//! П/У`). In the forex sub-table the header leaves the unused columns' names empty.
//!
//! A sub-table that starts with `DataDiscriminator` but lacks one of these columns (an
//! English `Open Positions` table, or a trades table in a language this module does not
//! know) is not read; if one of its `Data` rows is an `Order` or `Trade` row, that row is
//! **rejected** naming the missing column, so an unknown language never imports silently
//! empty. Every other section (account information, NAV, cash report, dividends, fees,
//! corporate actions, financial instrument information, codes, notes) is not a data row for
//! this format and produces no outcome.
//!
//! # Rows of the trades table
//!
//! - `Data` rows with `DataDiscriminator` `Order` (the only kind in the sample: one row per
//!   order) are fills. Statements with execution detail also list `Trade` rows (one per
//!   execution) under their `Order` row: a `Trade` row right after an `Order` row of the same
//!   asset category, currency and symbol is **skipped** as its detail (the `Order` row is the
//!   fill, so nothing counts twice); a `Trade` row without such an `Order` row is a fill.
//!   `ClosedLot` rows restate the lots a closing order matched and are skipped. Any other
//!   discriminator is rejected.
//! - `SubTotal` and `Total` rows (per symbol, per asset category and currency, and again in
//!   the base currency; `Total` rows end with a trailing space cell) are skipped as
//!   summaries; so is any other row kind in the table (`Notes`).
//! - `Date/Time` is `"YYYY-MM-DD, HH:MM:SS"` (quoted for its comma), without a zone: read in
//!   the account zone. IBKR writes the statement's times in US Eastern (the `Statement`
//!   section's `WhenGenerated` says `EST`; the sample's Xetra trades at 04:21–06:44 fit
//!   Frankfurt's session only as New York times).
//! - `Quantity` is signed (negative = a sale) and may carry thousands separators
//!   (`"1,150"`) or be fractional (`-0.615`, forex remainders): side from the sign, quantity
//!   its absolute value.
//! - Fees = −`Comm/Fee` (negative in the file; a net credit is a rebate, a negative fee). `Comm/Fee` is in
//!   the row's `Currency` (the sample's minimums show it: 4 EUR, 6 GBP, 1 USD).
//! - `Code` gives open/close: `O` (and `O;P`, partial execution) → open, `C` (`C;P`) →
//!   close, `C;O` (a sale that closes and reopens) or no `O`/`C` → not stated.
//! - No execution id: the row key is the row's normalized cells.
//! - Cash sections go to the cash ledger, each row in its own `Currency` (a statement in a
//!   RUB base holds RUB deposits and USD dividends; the reconciliation never adds them):
//!   `Deposits & Withdrawals` / `Вводы и выводы средств` (by the sign), `Dividends` /
//!   `Дивиденды` and `Withholding Tax` / `Удерживаемый налог` (dividends), `Fees` /
//!   `Сборы/комиссии`, `Interest` / `Процент`; dated 16:00 of their `Date` (`Settle Date`)
//!   in the account zone. Their `Total` / `Всего` rows are not movements.
//!
//! # Forex conversions and the commission's currency
//!
//! The forex sub-table names its commission column with a currency, the account's base
//! currency (`Комиссия в RUB`, `Comm in USD`). When that currency is the row's `Currency`
//! (the sample's `EUR.RUB` and `USD.RUB` rows) the row is a fill like any other, fees =
//! −commission. When it differs (the sample's `EUR.USD` and `GBP.USD` rows: priced in USD,
//! commission in RUB) the row is **skipped** with a reason saying so: a fill's fees are
//! taken off P&L in the trade's currency, and the statement gives no per-row rate to convert
//! them (storing 149 RUB as 149 USD would be wrong, and storing 0 would hide a real cost).
//!
//! # Instruments (by `Asset Category`)
//!
//! - `Stocks` / `Акции`: `Symbol` as the ticker (`BASd`, `RDS A`), multiplier 1.
//! - `Warrants` / `Варранты`: `Symbol` (`OXY WS`) as a stock-like instrument, multiplier 1
//!   (the statement's `Financial Instrument Information` gives `Множитель` 1 for it).
//! - `Forex`: the pair (`USD.RUB`) as a forex instrument, multiplier 1; quantity in the base
//!   currency, price in the quote currency.
//! - `Equity and Index Options` / `Опционы на акции и индексы`: `Symbol` `SPY 20MAR26 580 C`
//!   (root, expiry `DDMONYY`, strike, `C`/`P`), keyed by its OCC symbol, multiplier 100.
//!   (The multiplier per symbol is in `Financial Instrument Information`, which comes after
//!   the trades in the file; it is not waited for.) Not in the sample.
//! - `Futures` / `Фьючерсы`: `Symbol` (`MESU6`) through the contract table; an unknown root
//!   rejects the row. Not in the sample.
//! - Any other category is rejected naming it.
//!
//! Expirations, assignments and exercises are `Order` rows too (codes `Ep`, `A`, `Ex`; price
//! 0 for an expiry): they are imported as the fills IBKR books them, since they close
//! positions. None is in the sample. Corporate actions (splits, spin-offs) live in their own
//! section and are not fills: the sample's TSLA 5-for-1 split and OXY warrant spin-off are
//! not applied to the trades.

use chrono::{DateTime, Utc};
use csv::StringRecord;
use std::io::Read;
use tradebook_core::Instrument;

use super::{
    fees_from_signed, foreign_commission, forex, option, outcome, parse_statement_option, position_effect,
    side_quantity,
};
use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// Interactive Brokers Activity Statement (Performance & Reports → Statements → Activity,
/// format CSV), in any of the languages whose column names are known (English, Russian).
#[derive(Debug, Clone, Copy, Default)]
pub struct ActivityStatement;

/// The column that marks a trades-like sub-table (never translated).
const DISCRIMINATOR: &str = "DataDiscriminator";
const ASSET: &[&str] = &["Asset Category", "Класс актива"];
const CURRENCY: &[&str] = &["Currency", "Валюта"];
const SYMBOL: &[&str] = &["Symbol", "Символ"];
const DATE_TIME: &[&str] = &["Date/Time", "Дата/Время"];
const QUANTITY: &[&str] = &["Quantity", "Количество"];
const PRICE: &[&str] = &["T. Price", "Цена транзакции"];
const CODE: &[&str] = &["Code", "Код"];
/// The commission column in the trade's currency.
const COMMISSION: &[&str] = &["Comm/Fee", "Комиссия/плата"];
/// Prefixes of the commission column in a named currency (forex: `Comm in USD`).
const COMMISSION_IN: &[&str] = &["Comm in ", "Комиссия в "];

/// `Date/Time` layouts (the statement writes the first).
const TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d, %H:%M:%S",
    "%Y-%m-%d,%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d;%H:%M:%S",
];

/// How an `Asset Category` (English or Russian) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    /// Stocks, ETFs and warrants: the symbol, multiplier 1.
    Stock,
    Forex,
    Option,
    Future,
}

const CATEGORIES: &[(&str, Category)] = &[
    ("Stocks", Category::Stock),
    ("Акции", Category::Stock),
    ("Warrants", Category::Stock),
    ("Варранты", Category::Stock),
    ("Forex", Category::Forex),
    ("Equity and Index Options", Category::Option),
    ("Опционы на акции и индексы", Category::Option),
    ("Futures", Category::Future),
    ("Фьючерсы", Category::Future),
];

impl Format for ActivityStatement {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "ibkr-activity",
            name: "Interactive Brokers Activity Statement",
            platform: "Interactive Brokers",
            description: "IBKR Activity Statement as CSV (Performance & Reports → Statements → Activity, Download CSV), any period; trades of stocks, warrants, options, futures and forex.",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        &["Statement", "Header"]
    }

    fn detect(&self, head: &[&str]) -> bool {
        let Some(first) = head
            .iter()
            .map(|l| crate::formats::strip_bom(l).trim())
            .find(|l| !l.is_empty())
        else {
            return false;
        };
        let cells = text::split_csv_line(first);
        cells.len() >= 3 && cells[0] == "Statement" && cells[1] == "Header"
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let mut section = String::new();
        let mut table = Table::None;
        // Asset category, currency and symbol of the last `Order` row of the table, for
        // recognising the `Trade` rows that detail it.
        let mut last_order: Option<String> = None;
        for next in text::csv_rows(input) {
            let (line, record) = next.map_err(|source| ImportError::Io {
                file: ctx.file_name.clone(),
                source,
            })?;
            if text::is_blank(&record) {
                continue;
            }
            let name = record.get(0).unwrap_or("").trim();
            let kind = record.get(1).unwrap_or("").trim();
            if name != section {
                section = name.to_string();
                table = Table::None;
                last_order = None;
            }
            if kind == "Header" {
                table = Table::from_header(&record);
                last_order = None;
                continue;
            }
            let outcome = match &table {
                Table::Trades(trades) => Some(trades.outcome(kind, line, &record, ctx, &mut last_order)),
                Table::Cash { cash_kind, columns } if kind == "Data" => {
                    cash_row(*cash_kind, columns, line, &record, ctx)
                }
                Table::Unreadable { columns, missing }
                    if kind == "Data" && matches!(columns.get(&record, DISCRIMINATOR), "Order" | "Trade") =>
                {
                    Some(RowOutcome::Rejected {
                        line,
                        reason: format!(
                            "`{}` row of section `{section}` cannot be read: its header has no column {missing}",
                            columns.get(&record, DISCRIMINATOR)
                        ),
                    })
                }
                _ => None,
            };
            if let Some(outcome) = outcome {
                sink(outcome)?;
            }
        }
        Ok(())
    }
}

/// The sub-table a `Header` row starts.
enum Table {
    /// Before any header, or a table that is not trades-like.
    None,
    /// A trades table whose columns were all found.
    Trades(Box<TradeTable>),
    /// A `DataDiscriminator` table missing a trades column (named, for the rejection).
    Unreadable { columns: Columns, missing: String },
    /// A cash section (deposits and withdrawals, dividends, withholding tax, fees,
    /// interest): its rows are cash movements of the kind.
    Cash {
        cash_kind: Option<tradebook_store::CashKind>,
        columns: Columns,
    },
}

/// The cash sections, by their English and Russian names: the kind of their movements
/// (`None`: a deposit or, when negative, a withdrawal).
const CASH_SECTIONS: &[(&str, Option<tradebook_store::CashKind>)] = {
    use tradebook_store::CashKind::{Dividend, Fee, Interest};
    &[
        ("Deposits & Withdrawals", None),
        ("Вводы и выводы средств", None),
        ("Dividends", Some(Dividend)),
        ("Дивиденды", Some(Dividend)),
        ("Withholding Tax", Some(Dividend)),
        ("Удерживаемый налог", Some(Dividend)),
        ("Fees", Some(Fee)),
        ("Сборы/комиссии", Some(Fee)),
        ("Interest", Some(Interest)),
        ("Процент", Some(Interest)),
    ]
};

const CASH_CURRENCY: &[&str] = &["Currency", "Валюта"];
const CASH_DATE: &[&str] = &["Settle Date", "Дата расчета", "Date", "Дата"];
const CASH_DESCRIPTION: &[&str] = &["Description", "Описание"];
const CASH_AMOUNT: &[&str] = &["Amount", "Сумма"];

/// A cash section's `Data` row as a movement in the row's own currency, on its date at 16:00
/// in the account zone; `None` for its total rows (`Total`, `Всего`, `Total in USD`).
fn cash_row(
    kind: Option<tradebook_store::CashKind>,
    columns: &Columns,
    line: u64,
    record: &StringRecord,
    ctx: &ParseContext<'_>,
) -> Option<RowOutcome> {
    let get = |names: &[&str]| columns.pick(names).map_or("", |n| columns.get(record, n)).trim();
    let currency = get(CASH_CURRENCY);
    if currency.is_empty() || currency.starts_with("Total") || currency.starts_with("Всего") {
        return None;
    }
    let read = || -> Result<RowOutcome, String> {
        let amount = text::number_cell("Amount", get(CASH_AMOUNT))?;
        let day = get(CASH_DATE);
        let date =
            text::parse_date(day, &["%Y-%m-%d", "%m/%d/%Y"]).ok_or_else(|| format!("Date `{day}` is not a date"))?;
        let at = date
            .and_hms_opt(text::DATE_ONLY_HOUR, 0, 0)
            .and_then(|t| text::local_to_utc(t, ctx.tz))
            .ok_or_else(|| format!("Date `{day}` has no 16:00 in {}", ctx.tz.name()))?;
        let kind = kind.unwrap_or(if amount < rust_decimal::Decimal::ZERO {
            tradebook_store::CashKind::Withdrawal
        } else {
            tradebook_store::CashKind::Deposit
        });
        let mut outcome = text::cash_outcome(line, kind, amount, at, ctx.tz, get(CASH_DESCRIPTION), record);
        if let RowOutcome::Cash { movement, .. } = &mut outcome {
            movement.currency = Some(currency.to_ascii_uppercase());
        }
        Ok(outcome)
    };
    Some(read().unwrap_or_else(|reason| RowOutcome::Rejected { line, reason }))
}

impl Table {
    fn from_header(record: &StringRecord) -> Table {
        let columns = Columns::from_record(record);
        let section = record.get(0).unwrap_or("").trim();
        if let Some((_, cash_kind)) = CASH_SECTIONS.iter().find(|(name, _)| *name == section) {
            if columns.pick(CASH_AMOUNT).is_some() && columns.pick(CASH_CURRENCY).is_some() {
                return Table::Cash {
                    cash_kind: *cash_kind,
                    columns,
                };
            }
        }
        // Cells 0 and 1 are the section name and `Header`.
        if columns.index(DISCRIMINATOR) != Some(2) {
            return Table::None;
        }
        let required = [ASSET, CURRENCY, SYMBOL, DATE_TIME, QUANTITY, PRICE];
        if let Some(missing) = columns.missing(&required) {
            return Table::Unreadable { columns, missing };
        }
        let commission = match columns.pick(COMMISSION) {
            Some(name) => Some((name.to_string(), None)),
            None => record.iter().map(str::trim).find_map(|cell| {
                COMMISSION_IN.iter().find_map(|prefix| {
                    let currency = cell.strip_prefix(prefix)?.trim();
                    Some((cell.to_string(), Some(currency.to_string())))
                })
            }),
        };
        let Some((commission, commission_currency)) = commission else {
            let names: Vec<String> = COMMISSION
                .iter()
                .chain(COMMISSION_IN)
                .map(|n| format!("`{}`", n.trim_end()))
                .collect();
            return Table::Unreadable {
                columns,
                missing: names.join(" or "),
            };
        };
        let pick = |names: &[&'static str]| columns.pick(names).unwrap_or(names[0]);
        Table::Trades(Box::new(TradeTable {
            asset: pick(ASSET),
            currency: pick(CURRENCY),
            symbol: pick(SYMBOL),
            date_time: pick(DATE_TIME),
            quantity: pick(QUANTITY),
            price: pick(PRICE),
            code: columns.pick(CODE),
            commission,
            commission_currency,
            columns,
        }))
    }
}

/// A trades sub-table: its columns and the header names found for each field.
struct TradeTable {
    columns: Columns,
    asset: &'static str,
    currency: &'static str,
    symbol: &'static str,
    date_time: &'static str,
    quantity: &'static str,
    price: &'static str,
    code: Option<&'static str>,
    /// Header name of the commission column.
    commission: String,
    /// The currency a `Comm in XXX` column names; `None` for `Comm/Fee` (the row's currency).
    commission_currency: Option<String>,
}

impl TradeTable {
    fn get<'r>(&self, record: &'r StringRecord, name: &str) -> &'r str {
        self.columns.get(record, name)
    }

    /// The outcome of a non-header row of this table.
    fn outcome(
        &self,
        kind: &str,
        line: u64,
        record: &StringRecord,
        ctx: &ParseContext<'_>,
        last_order: &mut Option<String>,
    ) -> RowOutcome {
        if kind != "Data" {
            *last_order = None;
            let reason = match kind {
                "SubTotal" | "Total" => format!("{kind} row (a summary of the trades above)"),
                _ => format!("`{kind}` row of the trades table (not a trade)"),
            };
            return RowOutcome::Skipped { line, reason };
        }
        let key = [self.asset, self.currency, self.symbol]
            .map(|c| self.get(record, c))
            .join("\u{1f}");
        let read = match self.get(record, DISCRIMINATOR) {
            "Order" => {
                *last_order = Some(key);
                self.read_fill(record, ctx)
            }
            "Trade" if last_order.as_deref() == Some(key.as_str()) => Ok(Err(
                "execution detail of the Order row above (the Order row is the fill)".to_string(),
            )),
            "Trade" => self.read_fill(record, ctx),
            "ClosedLot" => Ok(Err(
                "closed lot (restates a lot the closing order above matched)".to_string()
            )),
            other => Err(format!("DataDiscriminator `{other}` is not Order, Trade or ClosedLot")),
        };
        outcome(line, read)
    }

    /// `Ok(Ok(fill))`, `Ok(Err(skip reason))` or `Err(reject reason)`.
    fn read_fill(&self, record: &StringRecord, ctx: &ParseContext<'_>) -> Result<Result<RawFill, String>, String> {
        let currency = self.get(record, self.currency);
        if let Some(reason) = self
            .commission_currency
            .as_deref()
            .and_then(|c| foreign_commission(&self.commission, c, currency))
        {
            return Ok(Err(reason));
        }
        let symbol = self.get(record, self.symbol);
        if symbol.is_empty() {
            return Err(format!("{} is empty", self.symbol));
        }
        let (side, quantity) = side_quantity(self.quantity, self.get(record, self.quantity))?;
        let price = text::number_cell(self.price, self.get(record, self.price))?;
        let (_, executed_at) =
            text::local_time_cell(self.date_time, self.get(record, self.date_time), TIME_FORMATS, ctx.tz)?;
        let fees = fees_from_signed(&[(&self.commission, self.get(record, &self.commission))])?;
        let instrument = instrument(self.asset, self.get(record, self.asset), symbol, executed_at, ctx)?;
        Ok(Ok(RawFill {
            instrument,
            side,
            quantity,
            price: price.normalize(),
            fees,
            executed_at,
            source_tz: ctx.tz,
            execution_id: None,
            position_effect: self.code.and_then(|c| position_effect(self.get(record, c))),
            row_key: text::row_key(record),
        }))
    }
}

/// The instrument of a row from its asset category (English or Russian) and symbol.
fn instrument(
    column: &str,
    category: &str,
    symbol: &str,
    at: DateTime<Utc>,
    ctx: &ParseContext<'_>,
) -> Result<Instrument, String> {
    let found = CATEGORIES.iter().find(|(name, _)| *name == category).map(|(_, c)| *c);
    match found {
        Some(Category::Stock) => Ok(Instrument::stock(symbol)),
        Some(Category::Forex) => Ok(forex(symbol)),
        Some(Category::Option) => {
            let (root, expiry, right, strike) = parse_statement_option(symbol)
                .ok_or_else(|| format!("option symbol `{symbol}` is not `ROOT DDMONYY STRIKE C|P`"))?;
            option(&root, expiry, right, strike, None)
        }
        Some(Category::Future) => {
            let reference = at.with_timezone(&ctx.tz).date_naive();
            ctx.contracts.future(symbol, reference).map_err(|e| e.to_string())
        }
        None => Err(format!(
            "{column} `{category}` is not supported (stocks, warrants, forex, equity and index options, futures)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testing::{fixture, head, parse_fixture, round_trips};
    use crate::formats::{detect, parse_all, Parsed};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use tradebook_core::{AssetClass, ContractTable, PositionEffect, Side, TradeStatus};

    const SAMPLE: &str = "ibkr/ibzakharov-activity-statement-2020-ru.csv";

    #[test]
    fn detects_the_sample() {
        let lines = head(SAMPLE);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(ActivityStatement.detect(&refs));
        assert_eq!(detect(&refs).map(|f| f.id()), Some("ibkr-activity"));
    }

    /// ibzakharov 2020 (Russian). The trades section `Сделки` has 249 non-header rows
    /// (python over the file): 200 `Data` rows, all `Order`, plus 38 `SubTotal` and 11
    /// `Total` rows (skipped). Of the `Data` rows, 18 are `EUR.USD`/`GBP.USD` forex rows
    /// priced in USD with their commission in RUB (skipped, see the module doc), so 182 fills:
    /// 1 warrant, 127 stock rows and 54 `EUR.RUB`/`USD.RUB` rows.
    ///
    /// An independent python FIFO over those 182 rows (per symbol, by time, file order at
    /// ties, flips and shorts as in `tradebook_core::matching`; fees = −commission) gives 47
    /// round trips, 31 closed, gross 48466.359375700, fees 6544.206618759, net
    /// 41922.152756941 — the sum mixes the trades' currencies (EUR, GBP, USD, RUB) exactly as
    /// the journal does for one account. Stocks and the warrant alone: 44 round trips (with
    /// the OXY.WAR remainder sold at 0 on line 293, a close with no open lot), gross 1629.5505,
    /// net 1440.715881241.
    ///
    /// Cross-check with IBKR's own `Реализованная П/У` (realized P/L, net of both legs'
    /// commissions): for every symbol opened and closed inside the year the python FIFO's net
    /// equals it, e.g. AIV −77.234425, URW −142.57, BASd −13.2, IAG −102.3928 (IBKR rounds
    /// other symbols to 6 decimals). The rest differ for reasons in the file: positions
    /// opened before 2020 (TSLA, also split 5-for-1 in August, MO, SLB, WFC, OXY), the OXY
    /// warrant received by a corporate action, and positions still open at the end.
    #[test]
    fn ibzakharov_sample() {
        let parsed = parse_fixture(&ActivityStatement, SAMPLE, chrono_tz::America::New_York);
        // 249 trade-section rows and 75 cash movements (python over the file: the `Data`
        // rows of Вводы и выводы средств, Дивиденды, Удерживаемый налог, Сборы/комиссии and
        // Процент other than their `Всего` totals) — RUB +989,845.89, USD +259.96, each kept
        // in its own currency.
        assert_eq!(parsed.rows, 324);
        assert_eq!(parsed.cash.len(), 75);
        let sum = |c: &str| -> Decimal {
            parsed
                .cash
                .iter()
                .filter(|(_, m)| m.currency.as_deref() == Some(c))
                .map(|(_, m)| m.amount)
                .sum()
        };
        assert_eq!((sum("RUB"), sum("USD")), (dec!(989845.89), dec!(259.96)));
        assert_eq!(parsed.fills.len(), 182);
        assert_eq!(parsed.skipped.len(), 67);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let summaries = parsed.skipped.iter().filter(|(_, r)| r.contains("summary")).count();
        assert_eq!(summaries, 49);
        let foreign: Vec<_> = parsed
            .skipped
            .iter()
            .filter(|(_, r)| r.starts_with("commission (`Комиссия в RUB`) is in RUB but the trade is in USD"))
            .collect();
        assert_eq!(foreign.len(), 18);
        assert_eq!(foreign[0].0, 423);

        let (line, warrant) = &parsed.fills[0];
        assert_eq!(*line, 194);
        assert_eq!(warrant.instrument, Instrument::stock("OXY WS"));
        assert_eq!(
            (warrant.side, warrant.quantity, warrant.price, warrant.fees),
            (Side::Sell, dec!(1), dec!(2.82), dec!(0.031381322))
        );
        // "2020-11-06, 12:29:00" in New York (EST).
        assert_eq!(warrant.executed_at.to_rfc3339(), "2020-11-06T17:29:00+00:00");
        assert_eq!(warrant.position_effect, Some(PositionEffect::Close));
        assert_eq!(warrant.execution_id, None);
        assert!(warrant.row_key.starts_with("Сделки\u{1f}Data\u{1f}Order\u{1f}Варранты"));

        let (_, basf) = &parsed.fills[1];
        assert_eq!(basf.instrument, Instrument::stock("BASd"));
        assert_eq!(
            (basf.side, basf.quantity, basf.price, basf.fees),
            (Side::Buy, dec!(4), dec!(43.305), dec!(4))
        );
        // "2020-05-13, 09:57:13" in New York (EDT).
        assert_eq!(basf.executed_at.to_rfc3339(), "2020-05-13T13:57:13+00:00");
        assert_eq!(basf.position_effect, Some(PositionEffect::Open));

        // `O;P` opens; `C;O` states neither.
        let mo = parsed.fills.iter().find(|(l, _)| *l == 266).unwrap();
        assert_eq!(mo.1.position_effect, Some(PositionEffect::Open));
        let urw = parsed.fills.iter().find(|(l, _)| *l == 227).unwrap();
        assert_eq!(urw.1.position_effect, None);

        // Forex in RUB: a pair, thousands separator in the quantity, commission in RUB.
        let usd = parsed.fills.iter().find(|(l, _)| *l == 398).unwrap();
        assert_eq!(usd.1.instrument.asset_class, AssetClass::Forex);
        assert_eq!(usd.1.instrument.symbol, "USD.RUB");
        assert_eq!(
            (usd.1.side, usd.1.quantity, usd.1.price, usd.1.fees),
            (Side::Buy, dec!(1150), dec!(69.60575), dec!(138.21))
        );
        assert_eq!(usd.1.position_effect, None);

        let trips = round_trips(&parsed);
        let sum = |trips: &[tradebook_core::RoundTrip]| {
            (
                trips.iter().map(|t| t.gross_pnl).sum::<Decimal>(),
                trips.iter().map(|t| t.fees).sum::<Decimal>(),
                trips.iter().map(|t| t.net_pnl).sum::<Decimal>(),
            )
        };
        // 31 closed, 13 open, 8 incomplete (closing fills, Code `C`, of positions opened before
        // 2020: TSLA, MO, SLB, WFC, OXY …), from an independent python FIFO over the Order
        // rows with the same rule. Counting those closes as new shorts instead would invent
        // 1,783.97 of gross P&L.
        assert_eq!(trips.len(), 52);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Closed).count(), 31);
        assert_eq!(trips.iter().filter(|t| t.status == TradeStatus::Incomplete).count(), 8);
        assert_eq!(
            sum(&trips),
            (dec!(46682.3943757), dec!(6544.206618759), dec!(40138.187756941))
        );

        let stocks: Vec<_> = trips
            .iter()
            .filter(|t| t.instrument.asset_class == AssetClass::Stock)
            .cloned()
            .collect();
        // Stocks and the OXY warrant: 49 trades (30 closed, 11 open, 8 incomplete), gross
        // −154.4145, net −343.249118759 (independent python FIFO, same rule).
        assert_eq!(stocks.len(), 49);
        assert_eq!(sum(&stocks).0, dec!(-154.4145));
        assert_eq!(sum(&stocks).2, dec!(-343.249118759));
        for (symbol, realized) in [
            ("AIV", dec!(-77.234425)),
            ("URW", dec!(-142.57)),
            ("BASd", dec!(-13.2)),
            ("IAG", dec!(-102.3928)),
        ] {
            let net: Decimal = stocks
                .iter()
                .filter(|t| t.instrument.symbol == symbol)
                .map(|t| t.net_pnl)
                .sum();
            assert_eq!(net, realized, "{symbol}");
        }
    }

    fn parse_text(text: &str) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::America::New_York,
            contracts: &table,
        };
        parse_all(&ActivityStatement, &mut text.as_bytes(), &ctx).unwrap()
    }

    const ENGLISH_HEADER: &str = "Trades,Header,DataDiscriminator,Asset Category,Currency,Account,Symbol,Date/Time,Quantity,T. Price,C. Price,Proceeds,Comm/Fee,Basis,Realized P/L,MTM P/L,Code\n";

    #[test]
    fn english_statement_with_executions_lots_options_and_futures() {
        let text = format!(
            "Statement,Header,Field Name,Field Value\n\
             Statement,Data,BrokerName,Interactive Brokers LLC\n\
             Open Positions,Header,DataDiscriminator,Asset Category,Currency,Symbol,Quantity,Mult,Cost Price,Code\n\
             Open Positions,Data,Summary,Stocks,USD,AAPL,10,1,150,\n\
             {ENGLISH_HEADER}\
             Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",10,170.5,171,-1705,-1,1706,0,5,O\n\
             Trades,Data,Trade,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",6,170.5,171,-1023,-0.6,1023.6,0,3,O\n\
             Trades,Data,Trade,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:31\",4,170.5,171,-682,-0.4,682.4,0,2,O\n\
             Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-09, 15:59:01\",-10,180,180,1800,-1.02,-1706,92.98,0,C\n\
             Trades,Data,ClosedLot,Stocks,USD,U1,AAPL,2025-05-02,10,170.6,,,,1706,92.98,,\n\
             Trades,SubTotal,,Stocks,USD,U1,AAPL,,0,,,95,-2.02,0,92.98,5,\n\
             Trades,Data,Trade,Stocks,USD,U1,MSFT,\"2025-05-12, 09:31:00\",\"1,000\",0.5,0.5,-500,-2,502,0,0,O\n\
             Trades,Data,Order,Equity and Index Options,USD,U1,SPY 20MAR26 580 C,\"2026-03-03, 10:00:00\",2,3.50,3.60,-700,-1.30,701.3,0,20,O\n\
             Trades,Data,Order,Futures,USD,U1,MESU6,\"2026-08-04, 07:01:59\",1,7644,7765.5,-38220,-0.61,38220.61,0,0,O\n\
             Trades,Total,,Stocks,USD,,,,,,,85,-1.8,,,, \n\
             Trades,Notes,something\n\
             Dividends,Header,Currency,Date,Description,Amount\n\
             Dividends,Data,USD,2025-06-01,AAPL Cash Dividend,12.50\n"
        );
        let parsed = parse_text(&text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let lines: Vec<u64> = parsed.fills.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [6, 9, 12, 13, 14]);
        let skipped: Vec<u64> = parsed.skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(skipped, [7, 8, 10, 11, 15, 16]);
        assert!(parsed.skipped[0]
            .1
            .starts_with("execution detail of the Order row above"));
        assert!(parsed.skipped[2].1.starts_with("closed lot"));
        // The Dividends section's row is a cash movement in its own currency.
        assert_eq!(parsed.rows, 12);
        assert_eq!(parsed.cash.len(), 1);
        let (_, dividend) = &parsed.cash[0];
        assert_eq!(
            (dividend.kind, dividend.amount, dividend.currency.as_deref()),
            (tradebook_store::CashKind::Dividend, dec!(12.50), Some("USD"))
        );

        let fill = |line: u64| &parsed.fills.iter().find(|(l, _)| *l == line).unwrap().1;
        assert_eq!((fill(9).side, fill(9).fees), (Side::Sell, dec!(1.02)));
        assert_eq!(fill(9).position_effect, Some(PositionEffect::Close));
        // A Trade row with no Order row above is a fill.
        assert_eq!(fill(12).instrument, Instrument::stock("MSFT"));
        assert_eq!(fill(12).quantity, dec!(1000));
        let spy = &fill(13).instrument;
        assert_eq!((spy.symbol.as_str(), spy.multiplier), ("SPY260320C00580000", dec!(100)));
        let mes = &fill(14).instrument;
        assert_eq!((mes.symbol.as_str(), mes.multiplier), ("MESU26", dec!(5)));
    }

    #[test]
    fn bad_rows_are_rejected_with_their_column() {
        let text = format!(
            "Statement,Header,Field Name,Field Value\n\
             {ENGLISH_HEADER}\
             Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",0,170.5,,,-1,,,,\n\
             Trades,Data,Order,Stocks,USD,U1,AAPL,yesterday,1,170.5,,,-1,,,,\n\
             Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",1,abc,,,-1,,,,\n\
             Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",1,1,,,0.5,,,,\n\
             Trades,Data,Order,Bonds,USD,U1,T 1 08/15/50,\"2025-05-02, 10:15:30\",1,1,,,-1,,,,\n\
             Trades,Data,Order,Futures,USD,U1,XYZU6,\"2025-05-02, 10:15:30\",1,1,,,-1,,,,\n\
             Trades,Data,Order,Equity and Index Options,USD,U1,SPY 580 C,\"2025-05-02, 10:15:30\",1,1,,,-1,,,,\n\
             Trades,Data,Adjustment,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",1,1,,,-1,,,,\n\
             Trades,Data,Order,Stocks,USD,U1,,\"2025-05-02, 10:15:30\",1,1,,,-1,,,,\n\
             Handel,Header,DataDiscriminator,Vermögenswertkategorie,Währung,Symbol,Datum/Zeit,Menge\n\
             Handel,Data,Order,Aktien,EUR,SAP,\"2025-05-02, 10:15:30\",1\n\
             Handel,Data,ClosedLot,Aktien,EUR,SAP,2025-05-02,1\n"
        );
        let parsed = parse_text(&text);
        // Comm/Fee 0.5, a net credit: a rebate, the row's only fill.
        assert_eq!(parsed.fills.len(), 1);
        assert_eq!(parsed.fills[0].1.fees, dec!(-0.5));
        let reasons: Vec<&str> = parsed.rejected.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Quantity `0` is zero",
                "Date/Time `yesterday` is not a date and time",
                "T. Price `abc` is not a number",
                "Asset Category `Bonds` is not supported (stocks, warrants, forex, equity and index options, futures)",
                "unknown futures root `XYZ` (symbol `XYZU6`): add it to the contract table with its point value and tick size",
                "option symbol `SPY 580 C` is not `ROOT DDMONYY STRIKE C|P`",
                "DataDiscriminator `Adjustment` is not Order, Trade or ClosedLot",
                "Symbol is empty",
                "`Order` row of section `Handel` cannot be read: its header has no column `Asset Category` or `Класс актива`",
            ]
        );
        assert_eq!(parsed.rejected[8].0, 13);
        // The German ClosedLot row is not an order: no outcome.
        assert_eq!(parsed.rows, 10);
    }

    #[test]
    fn forex_commission_in_the_trade_currency_is_a_fee() {
        let text = "Statement,Header,Field Name,Field Value\n\
                    Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,,Proceeds,Comm in USD,,,MTM in USD,Code\n\
                    Trades,Data,Order,Forex,USD,EUR.USD,\"2024-01-02, 09:00:00\",1000,1.0854,,-1085.4,-2,,,,\n\
                    Trades,Data,Order,Forex,CHF,USD.CHF,\"2024-01-02, 09:00:00\",1000,0.85,,-850,-2,,,,\n";
        let parsed = parse_text(text);
        assert_eq!(parsed.fills.len(), 1);
        let fx = &parsed.fills[0].1;
        assert_eq!((fx.instrument.symbol.as_str(), fx.fees), ("EUR.USD", dec!(2)));
        assert_eq!(parsed.skipped.len(), 1);
        assert!(parsed.skipped[0].1.contains("is in USD but the trade is in CHF"));
    }

    #[test]
    fn never_panics_on_garbage() {
        let bytes = std::fs::read(fixture(SAMPLE)).unwrap();
        let header = ENGLISH_HEADER.trim_end();
        let row = "Trades,Data,Order,Stocks,USD,U1,AAPL,\"2025-05-02, 10:15:30\",10,170.5,171,-1705,-1,1706,0,5,O";
        let forex_header = "Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,,Proceeds,Comm in USD,,,MTM in USD,Code";
        let forex_row = "Trades,Data,Order,Forex,USD,EUR.USD,\"2024-01-02, 09:00:00\",1000,1.0854,,-1085.4,-2,,,,";
        let option_row = "Trades,Data,Order,Equity and Index Options,USD,U1,SPY 20MAR26 580 C,\"2026-03-03, 10:00:00\",2,3.50,3.60,-700,-1.30,701.3,0,20,O";
        let future_row =
            "Trades,Data,Order,Futures,USD,U1,MESU6,\"2026-08-04, 07:01:59\",1,7644,7765.5,-38220,-0.61,38220.61,0,0,O";
        // The trades section starts past the first 2 KB: feed it too.
        let trades_at = String::from_utf8_lossy(&bytes).find("Сделки,Header").unwrap();
        let mut sample = bytes[..2048].to_vec();
        sample.extend_from_slice(&bytes[trades_at..trades_at + 1024]);
        text::assert_never_panics(
            &ActivityStatement,
            &sample,
            &[
                (header, row),
                (forex_header, forex_row),
                (header, option_row),
                (header, future_row),
            ],
        );
    }

    #[test]
    fn claims_only_its_sample() {
        text::assert_detects_only(&ActivityStatement, &[SAMPLE]);
    }
}
