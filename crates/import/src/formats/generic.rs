//! Tradebook's own CSV ("generic" format): what `tradebook export` writes, and what any tool
//! can write to bring fills in. Importing an export into a fresh journal gives the same
//! accounts, fills and statistics; importing it into the journal it came from adds nothing.
//!
//! Layout: one header line, then one row per fill, oldest first (equal times keep file order):
//!
//! | column | meaning |
//! |---|---|
//! | `tradebook_version` | layout version, `1` |
//! | `account` | account name; the account is created if missing |
//! | `platform`, `broker_account_id`, `currency`, `account_timezone`, `starting_balance` | the account's settings (used when it is created) |
//! | `fill_id` | the fill's id in the journal it came from (informational) |
//! | `dedupe_key` | the fill's de-duplication key; empty: derived from the row as for any file |
//! | `execution_id` | the broker's execution id, if any |
//! | `symbol`, `asset_class`, `underlying`, `expiry`, `strike`, `option_right`, `multiplier` | the instrument, exactly (no contract-table look-up) |
//! | `side`, `quantity`, `price`, `fees` | `buy`/`sell`, exact decimals, fees ≥ 0 |
//! | `executed_at` | RFC 3339 instant (`2026-02-11T06:34:46.772Z`) |
//! | `source_tz` | IANA zone the original source wrote its times in |
//! | `position_effect` | `open`, `close` or empty |
//!
//! Quirks: none by design; decimals use `.`, no thousands separators, fields quoted only
//! where CSV requires it.

use std::io::{Read, Write};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use csv::StringRecord;
use rust_decimal::Decimal;
use tradebook_core::{decimal_string, AssetClass, Instrument, OptionRight, PositionEffect, Side};
use tradebook_store::{NewAccount, Store};

use crate::error::ImportError;
use crate::formats::{Format, FormatInfo};
use crate::text::{self, Columns};
use crate::{ParseContext, RawFill, RowOutcome};

/// The header, in order.
pub const HEADER: &[&str] = &[
    "tradebook_version",
    "account",
    "platform",
    "broker_account_id",
    "currency",
    "account_timezone",
    "starting_balance",
    "fill_id",
    "dedupe_key",
    "execution_id",
    "symbol",
    "asset_class",
    "underlying",
    "expiry",
    "strike",
    "option_right",
    "multiplier",
    "side",
    "quantity",
    "price",
    "fees",
    "executed_at",
    "source_tz",
    "position_effect",
];

/// Tradebook's own export.
pub struct Generic;

impl Format for Generic {
    fn info(&self) -> &'static FormatInfo {
        &FormatInfo {
            id: "tradebook-generic",
            name: "Tradebook CSV",
            platform: "Other",
            description: "Tradebook's own CSV (tradebook export, or any tool writing its documented header): every field exact, several accounts per file.",
        }
    }

    /// The first data row's account: an import without `--account` is recorded under it.
    fn default_account(&self, head: &[&str]) -> Option<NewAccount> {
        let text = head.join("\n");
        let mut rows = text::csv_rows(text.as_bytes()).filter_map(Result::ok).map(|(_, r)| r);
        let cols = Columns::from_record(&rows.next()?);
        rows.find_map(|r| read_row(&cols, &r).ok())
            .map(|(account, _, _)| account)
    }

    fn columns(&self) -> &'static [&'static str] {
        HEADER
    }

    fn detect(&self, head: &[&str]) -> bool {
        head.iter().find(|l| !l.trim().is_empty()).is_some_and(|l| {
            l.trim_start_matches('\u{feff}')
                .starts_with("tradebook_version,account,")
        })
    }

    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let mut columns: Option<Columns> = None;
        for row in text::csv_rows(input) {
            let (line, record) = row.map_err(|e| ImportError::Malformed {
                file: ctx.file_name.clone(),
                line: 0,
                message: e.to_string(),
            })?;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let Some(cols) = &columns else {
                columns = Some(Columns::from_record(&record));
                continue;
            };
            sink(match read_row(cols, &record) {
                Ok((account, fill, dedupe_key)) => RowOutcome::Exported {
                    line,
                    account: Box::new(account),
                    fill: Box::new(fill),
                    dedupe_key,
                },
                Err(reason) => RowOutcome::Rejected { line, reason },
            })?;
        }
        Ok(())
    }
}

fn cell<'r>(cols: &Columns, record: &'r StringRecord, name: &str) -> &'r str {
    cols.get(record, name)
}

fn required<'r>(cols: &Columns, record: &'r StringRecord, name: &str) -> Result<&'r str, String> {
    match cell(cols, record, name) {
        "" => Err(format!("{name} is empty")),
        v => Ok(v),
    }
}

fn decimal(cols: &Columns, record: &StringRecord, name: &str) -> Result<Decimal, String> {
    let v = required(cols, record, name)?;
    Decimal::from_str(v).map_err(|_| format!("{name} `{v}` is not a decimal number"))
}

fn optional<T>(
    cols: &Columns,
    record: &StringRecord,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, String> {
    match cell(cols, record, name) {
        "" => Ok(None),
        v => parse(v).map(Some).ok_or_else(|| format!("{name} `{v}` is not valid")),
    }
}

fn zone(cols: &Columns, record: &StringRecord, name: &str) -> Result<Tz, String> {
    let v = required(cols, record, name)?;
    v.parse::<Tz>()
        .map_err(|_| format!("{name} `{v}` is not an IANA time zone"))
}

fn read_row(cols: &Columns, record: &StringRecord) -> Result<(NewAccount, RawFill, String), String> {
    let version = cell(cols, record, "tradebook_version");
    if version != "1" {
        return Err(format!(
            "tradebook_version `{version}` is not supported (this Tradebook reads 1)"
        ));
    }
    let account = NewAccount {
        name: required(cols, record, "account")?.to_string(),
        platform: cell(cols, record, "platform").to_string(),
        broker_account_id: Some(cell(cols, record, "broker_account_id").to_string()).filter(|s| !s.is_empty()),
        currency: required(cols, record, "currency")?.to_string(),
        timezone: zone(cols, record, "account_timezone")?,
        starting_balance: decimal(cols, record, "starting_balance")?,
    };
    let asset = required(cols, record, "asset_class")?;
    let instrument = Instrument {
        asset_class: AssetClass::parse(asset).ok_or_else(|| {
            format!("asset_class `{asset}` is not one of stock, option, future, future_option, crypto, forex")
        })?,
        symbol: required(cols, record, "symbol")?.to_string(),
        underlying: Some(cell(cols, record, "underlying").to_string()).filter(|s| !s.is_empty()),
        expiry: optional(cols, record, "expiry", |v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()
        })?,
        strike: optional(cols, record, "strike", |v| Decimal::from_str(v).ok())?,
        right: optional(cols, record, "option_right", OptionRight::parse)?,
        multiplier: decimal(cols, record, "multiplier")?,
    };
    let side_cell = required(cols, record, "side")?;
    let executed = required(cols, record, "executed_at")?;
    let fill = RawFill {
        instrument,
        side: Side::parse(side_cell).ok_or_else(|| format!("side `{side_cell}` is not buy or sell"))?,
        quantity: decimal(cols, record, "quantity")?,
        price: decimal(cols, record, "price")?,
        fees: decimal(cols, record, "fees")?,
        executed_at: DateTime::parse_from_rfc3339(executed)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("executed_at `{executed}` is not an RFC 3339 instant"))?,
        source_tz: zone(cols, record, "source_tz")?,
        execution_id: Some(cell(cols, record, "execution_id").to_string()).filter(|s| !s.is_empty()),
        position_effect: optional(cols, record, "position_effect", PositionEffect::parse)?,
        row_key: text::row_key(record),
    };
    let dedupe_key = match cell(cols, record, "dedupe_key") {
        "" => format!("generic:{}", fill.row_key),
        key => key.to_string(),
    };
    Ok((account, fill, dedupe_key))
}

/// Writes every fill of `store` to the file at `path` (created or replaced) in this format
/// and returns how many: what `tradebook export` and the app's Export write.
///
/// Errors: [`ImportError::Write`] naming the file; store errors.
pub fn export_file(store: &Store, path: &std::path::Path) -> Result<u64, ImportError> {
    let display = path.display().to_string();
    let write = |source| ImportError::Write {
        file: display.clone(),
        source,
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(write)?);
    let fills = write_export(store, &mut out, &display)?;
    out.flush().map_err(write)?;
    Ok(fills)
}

/// Writes every fill of `store` in this format, oldest first, and returns how many.
///
/// Errors: [`ImportError::Write`] (named `file`) when writing fails; store errors.
pub fn write_export(store: &Store, out: &mut dyn Write, file: &str) -> Result<u64, ImportError> {
    let accounts = store.accounts()?;
    let mut writer = csv::Writer::from_writer(out);
    let io = |e: csv::Error| ImportError::Write {
        file: file.to_string(),
        source: std::io::Error::other(e),
    };
    writer.write_record(HEADER).map_err(io)?;
    let mut written = 0;
    for record in store.fills(None)? {
        let f = &record.fill;
        let Some(a) = accounts.iter().find(|a| a.id == f.account_id) else {
            continue;
        };
        let i = &f.instrument;
        let starting_balance = decimal_string(a.starting_balance);
        let multiplier = decimal_string(i.multiplier);
        let (quantity, price, fees) = (
            decimal_string(f.quantity),
            decimal_string(f.price),
            decimal_string(f.fees),
        );
        let expiry = i.expiry.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let strike = i.strike.map(decimal_string).unwrap_or_default();
        let executed_at = f.executed_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        writer
            .write_record([
                "1",
                a.name.as_str(),
                a.platform.as_str(),
                a.broker_account_id.as_deref().unwrap_or(""),
                a.currency.as_str(),
                a.timezone.name(),
                starting_balance.as_str(),
                f.id.as_str(),
                record.dedupe_key.as_str(),
                record.execution_id.as_deref().unwrap_or(""),
                i.symbol.as_str(),
                i.asset_class.as_str(),
                i.underlying.as_deref().unwrap_or(""),
                expiry.as_str(),
                strike.as_str(),
                i.right.map_or("", |r| r.as_str()),
                multiplier.as_str(),
                f.side.as_str(),
                quantity.as_str(),
                price.as_str(),
                fees.as_str(),
                executed_at.as_str(),
                f.source_tz.name(),
                f.position_effect.map_or("", |e| e.as_str()),
            ])
            .map_err(io)?;
        written += 1;
    }
    writer.flush().map_err(|e| ImportError::Io {
        file: file.to_string(),
        source: e,
    })?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{detect, parse_all};
    use rust_decimal_macros::dec;
    use tradebook_core::ContractTable;

    fn parse(text: &str) -> crate::formats::Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: "t.csv".into(),
            tz: chrono_tz::UTC,
            contracts: &table,
        };
        parse_all(&Generic, &mut text.as_bytes(), &ctx).unwrap()
    }

    const ROW: &str = "1,Main,Webull,,USD,America/New_York,1000,f1,x:webull:1,webull:1,SPY220930C00364000,option,SPY,2022-09-30,364,call,100,buy,4,1.9,0.52,2022-09-30T13:55:47Z,America/New_York,open";

    #[test]
    fn reads_its_own_rows_exactly() {
        let text = format!("{}\n{ROW}\n", HEADER.join(","));
        let head: Vec<&str> = text.lines().collect();
        assert_eq!(detect(&head).map(|f| f.id()), Some("tradebook-generic"));
        assert_eq!(
            Generic.default_account(&head).map(|a| (a.name, a.starting_balance)),
            Some(("Main".into(), dec!(1000)))
        );
        let parsed = parse(&text);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let (line, fill) = &parsed.fills[0];
        assert_eq!(*line, 2);
        assert_eq!(fill.instrument.multiplier, dec!(100));
        assert_eq!(fill.instrument.right, Some(OptionRight::Call));
        assert_eq!(
            (fill.side, fill.quantity, fill.price, fill.fees),
            (Side::Buy, dec!(4), dec!(1.9), dec!(0.52))
        );
        assert_eq!(fill.position_effect, Some(PositionEffect::Open));
        assert_eq!(fill.executed_at.to_rfc3339(), "2022-09-30T13:55:47+00:00");
    }

    #[test]
    fn a_bad_cell_rejects_the_row_naming_the_column() {
        for (bad, column) in [
            (ROW.replace(",buy,", ",hold,"), "side"),
            (ROW.replace(",1.9,", ",1.9.1,"), "price"),
            (ROW.replace("2022-09-30T13:55:47Z", "30/09/2022"), "executed_at"),
            (ROW.replacen("1,", "2,", 1), "tradebook_version"),
            (ROW.replace(",option,", ",bond,"), "asset_class"),
        ] {
            let parsed = parse(&format!("{}\n{bad}\n", HEADER.join(",")));
            assert_eq!(parsed.rejected.len(), 1, "{column}");
            assert!(
                parsed.rejected[0].1.contains(column),
                "{column}: {}",
                parsed.rejected[0].1
            );
        }
    }
}
