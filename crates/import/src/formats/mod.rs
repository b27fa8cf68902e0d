//! The broker formats. Each module documents its layout and quirks (from
//! `shared/fixtures/FORMATS.md` and the real sample files) and implements [`Format`].
//!
//! Detection order matters: more specific signatures first (SPEC §5).

use std::io::Read;

use crate::error::ImportError;
use crate::text;
use crate::{OptionPositions, ParseContext, RawFill, Removal, RowOutcome};

pub mod coinbase_pro;
pub mod etrade;
pub mod fidelity;
pub mod generic;
pub mod ibkr;
pub mod ninjatrader;
pub mod robinhood;
pub mod schwab;
pub mod tastytrade;
pub mod tdameritrade;
pub mod thinkorswim;
pub mod thinkorswim_activity;
pub mod topstepx;
pub mod tradezero;
pub mod tradovate;
pub mod tradovate_balance;
pub mod tradovate_orders;
pub mod webull;

/// What a format is called and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatInfo {
    /// Stable id used by `--format` and stored on the import batch (`tradovate-fills`).
    pub id: &'static str,
    /// Display name ("Tradovate Fills").
    pub name: &'static str,
    /// Platform of the account the file comes from ("Tradovate").
    pub platform: &'static str,
    /// One line on what the export is and where a trader finds it.
    pub description: &'static str,
}

/// A broker export layout.
pub trait Format: Sync {
    /// The format's names (see [`FormatInfo`]).
    fn info(&self) -> &'static FormatInfo;
    /// [`FormatInfo::id`].
    fn id(&self) -> &'static str {
        self.info().id
    }
    /// [`FormatInfo::name`].
    fn name(&self) -> &'static str {
        self.info().name
    }
    /// [`FormatInfo::platform`].
    fn platform(&self) -> &'static str {
        self.info().platform
    }
    /// [`FormatInfo::description`].
    fn description(&self) -> &'static str {
        self.info().description
    }
    /// Whether the file lists rows newest first (Webull, thinkorswim). The pipeline then
    /// numbers fills so that, at equal timestamps, time order — not file order — is kept.
    fn newest_first(&self) -> bool {
        false
    }
    /// The account a file names, with its settings, when the format carries one
    /// (Tradebook's own export); an import without `--account` goes there.
    fn default_account(&self, _head: &[&str]) -> Option<tradebook_store::NewAccount> {
        None
    }
    /// Whether the file is in this format, from its first lines (BOM removed, at most 40
    /// lines, each without its line ending).
    fn detect(&self, head: &[&str]) -> bool;
    /// The header columns that identify the layout (its trade section's, for sectioned
    /// files): what [`closest_layout`] compares an unrecognised file with. Empty when the
    /// layout has no header to compare.
    fn columns(&self) -> &'static [&'static str] {
        &[]
    }
    /// Streams the file's rows to `sink`, in file order. Never panics; a row it cannot read is
    /// a [`RowOutcome::Rejected`] naming the line and reason. Returns an error only when the
    /// whole file is unusable or the sink fails.
    fn parse(
        &self,
        input: &mut dyn Read,
        ctx: &ParseContext<'_>,
        sink: &mut dyn FnMut(RowOutcome) -> Result<(), ImportError>,
    ) -> Result<(), ImportError>;
}

/// Every format, in detection order.
pub static FORMATS: &[&dyn Format] = &[
    &generic::Generic,
    &tradovate::TradovateFills,
    &tradovate::TradovatePerformance,
    &tradovate_orders::TradovateOrders,
    &tradovate_balance::TradovateBalanceHistory,
    &topstepx::TopstepX,
    &webull::WebullOrders,
    &thinkorswim::AccountStatement,
    &thinkorswim_activity::TradeActivity,
    &ninjatrader::NinjaTraderExecutions,
    &ninjatrader::NinjaTraderOrders,
    &ninjatrader::NinjaTraderTrades,
    &tastytrade::Tastytrade,
    &tastytrade::Tastytrade2021,
    &tastytrade::TastyworksLegacy,
    // Schwab realized gain/loss before Schwab transactions (FORMATS.md).
    &schwab::SchwabRealized,
    &schwab::SchwabTransactions,
    &tdameritrade::TdAmeritradeWeb,
    &fidelity::FidelityHistory,
    &etrade::EtradeTransactions,
    &robinhood::RobinhoodActivity,
    &ibkr::ActivityStatement,
    &ibkr::FlexTrades,
    &tradezero::TradeZero,
    &coinbase_pro::CoinbaseProFills,
];

/// The format of a file from its first lines, if any matches.
pub fn detect(head: &[&str]) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.detect(head))
}

/// The known layout an unrecognised file comes closest to: the format one of whose header
/// lines has the largest share (at least half) of the format's [`Format::columns`], and the
/// columns that line lacks. Cells are compared trimmed, without quotes and ignoring case, so
/// a spreadsheet's re-save or a renamed column shows up as what is missing. `None` when no
/// line has half of any format's columns.
pub fn closest_layout(head: &[&str]) -> Option<(&'static dyn Format, Vec<&'static str>)> {
    let lines: Vec<Vec<String>> = head
        .iter()
        .map(|l| {
            text::split_csv_line(strip_bom(l))
                .iter()
                .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
                .collect()
        })
        .collect();
    let mut best: Option<(usize, usize, &'static dyn Format, Vec<&'static str>)> = None;
    for format in FORMATS.iter().copied() {
        let wanted = format.columns();
        if wanted.is_empty() {
            continue;
        }
        for cells in &lines {
            let missing: Vec<&'static str> = wanted
                .iter()
                .copied()
                .filter(|w| !cells.iter().any(|c| c == &w.to_ascii_lowercase()))
                .collect();
            let found = wanted.len() - missing.len();
            if found * 2 < wanted.len() || found == 0 {
                continue;
            }
            // Compare shares found/len as fractions: a·d > c·b.
            let better = match &best {
                None => true,
                Some((bf, bl, _, _)) => {
                    found * bl > bf * wanted.len() || (found * bl == bf * wanted.len() && found > *bf)
                }
            };
            if better {
                best = Some((found, wanted.len(), format, missing));
            }
        }
    }
    best.map(|(_, _, format, missing)| (format, missing))
}

/// The format with this id.
pub fn format_by_id(id: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.id() == id)
}

/// Comma-separated list of the format ids (for error messages).
pub fn known_ids() -> String {
    FORMATS.iter().map(|f| f.id()).collect::<Vec<_>>().join(", ")
}

/// Everything a format yields for a file, collected in memory (tests and small files).
#[derive(Debug, Default)]
pub struct Parsed {
    /// Fills with the line they came from.
    pub fills: Vec<(u64, RawFill)>,
    pub skipped: Vec<(u64, String)>,
    pub rejected: Vec<(u64, String)>,
    /// Removals no fill of the file opened (the opening is in another import).
    pub unresolved: Vec<(u64, Removal)>,
    /// Cash movements (deposits, dividends, interest, fees outside trades).
    pub cash: Vec<(u64, tradebook_store::NewCashMovement)>,
    /// Balances the file states.
    pub balances: Vec<(u64, tradebook_store::BrokerBalance)>,
    /// Data rows seen (fills rows + skipped + rejected).
    pub rows: u64,
}

/// Runs `format` over `input` and collects the outcome. Removals are resolved as the
/// pipeline resolves them (against the whole file) and their closing fills take the place of
/// their rows in `fills`.
pub fn parse_all(format: &dyn Format, input: &mut dyn Read, ctx: &ParseContext<'_>) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut positions = OptionPositions::default();
    // (index in `fills` where the removal's row was, line, removal)
    let mut removals: Vec<(usize, u64, Removal)> = Vec::new();
    format.parse(input, ctx, &mut |outcome| {
        parsed.rows += 1;
        match outcome {
            RowOutcome::Fills { line, fills } => {
                for f in fills {
                    positions.track(&f);
                    parsed.fills.push((line, f));
                }
            }
            RowOutcome::Exported { line, fill, .. } => parsed.fills.push((line, *fill)),
            RowOutcome::Skipped { line, reason } => parsed.skipped.push((line, reason)),
            RowOutcome::Rejected { line, reason } => parsed.rejected.push((line, reason)),
            RowOutcome::Removal { line, removal } => removals.push((parsed.fills.len(), line, removal)),
            RowOutcome::Cash { line, movement, .. } => parsed.cash.push((line, movement)),
            RowOutcome::Balance {
                line, balance, own_row, ..
            } => {
                if !own_row {
                    parsed.rows -= 1;
                }
                parsed.balances.push((line, balance));
            }
        }
        Ok(())
    })?;
    let mut resolved: Vec<(usize, u64, RawFill)> = Vec::new();
    for (at, line, removal) in removals {
        match positions.resolve(&removal) {
            Some(fill) => resolved.push((at, line, fill)),
            None => parsed.unresolved.push((line, removal)),
        }
    }
    for (at, line, fill) in resolved.into_iter().rev() {
        parsed.fills.insert(at, (line, fill));
    }
    Ok(parsed)
}

/// Strips a UTF-8 byte-order mark from the start of a line.
pub fn strip_bom(line: &str) -> &str {
    line.strip_prefix('\u{feff}').unwrap_or(line)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the per-format tests on the real files in `shared/fixtures/`.
    use super::*;
    use std::path::PathBuf;
    use tradebook_core::{match_round_trips, ContractTable, Fill, RoundTrip};

    /// `shared/fixtures/<rel>` (the shared folder sits beside the repository).
    pub fn fixture(rel: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures")
            .join(rel)
    }

    /// The first 40 lines of a fixture, BOM removed.
    pub fn head(rel: &str) -> Vec<String> {
        let text = String::from_utf8_lossy(&std::fs::read(fixture(rel)).unwrap()).into_owned();
        text.lines()
            .take(40)
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    strip_bom(l).to_string()
                } else {
                    l.to_string()
                }
            })
            .collect()
    }

    /// The id of the format detected for a fixture (from its first 40 lines), if any.
    pub fn detected_id(rel: &str) -> Option<&'static str> {
        let lines = head(rel);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        detect(&refs).map(|f| f.id())
    }

    /// Parses a fixture with `format` in zone `tz`.
    pub fn parse_fixture(format: &dyn Format, rel: &str, tz: chrono_tz::Tz) -> Parsed {
        let table = ContractTable::builtin();
        let ctx = ParseContext {
            file_name: rel.to_string(),
            tz,
            contracts: &table,
        };
        let mut file = std::fs::File::open(fixture(rel)).unwrap();
        parse_all(format, &mut file, &ctx).unwrap()
    }

    /// Round trips of parsed fills (all in one account, file order as `seq`).
    pub fn round_trips(parsed: &Parsed) -> Vec<RoundTrip> {
        round_trips_ordered(parsed, false)
    }

    /// Round trips of parsed fills, numbering them as the pipeline does for a format that
    /// lists rows newest first when `newest_first`.
    pub fn round_trips_ordered(parsed: &Parsed, newest_first: bool) -> Vec<RoundTrip> {
        let fills: Vec<Fill> = parsed
            .fills
            .iter()
            .enumerate()
            .map(|(i, (_, f))| {
                let seq = if newest_first { -(i as i64) } else { i as i64 };
                f.to_fill(format!("fill-{i}"), "test", seq)
            })
            .collect();
        match_round_trips(&fills)
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    /// Every fixture's format lists columns its file really has (in one line of its head;
    /// the statement's trade section can come later), so what an unreadable file is
    /// compared with is what the brokers write.
    #[test]
    fn each_formats_columns_are_in_its_fixtures() {
        for rel in text::fixture_files() {
            let lines = testing::head(&rel);
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let Some(format) = detect(&refs) else { continue };
            // A statement's trade section may start past the first 40 lines.
            if format.id() == "thinkorswim-statement" {
                continue;
            }
            let (closest, missing) = closest_layout(&refs).unwrap_or_else(|| panic!("{rel}: no layout"));
            assert!(
                missing.is_empty() || closest.id() != format.id(),
                "{rel}: {} lacks {missing:?}",
                format.id()
            );
            let whole = refs.iter().any(|l| {
                let cells: Vec<String> = text::split_csv_line(strip_bom(l))
                    .iter()
                    .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
                    .collect();
                format.columns().iter().all(|c| cells.contains(&c.to_ascii_lowercase()))
            });
            assert!(
                whole || format.columns().is_empty(),
                "{rel}: {} columns not all in one line",
                format.id()
            );
        }
        let without: Vec<&str> = FORMATS
            .iter()
            .filter(|f| f.columns().is_empty())
            .map(|f| f.id())
            .collect();
        assert!(without.is_empty(), "formats without columns: {without:?}");
    }

    /// A Robinhood report whose `Trans Code` column was renamed by hand, and a Webull
    /// export missing two columns: not recognised, but named as the closest layout with the
    /// columns they lack.
    #[test]
    fn an_unrecognised_file_names_its_closest_layout_and_missing_columns() {
        let renamed =
            ["Activity Date,Process Date,Settle Date,Instrument,Description,Transaction Code,Quantity,Price,Amount"];
        assert!(detect(&renamed).is_none());
        let (format, missing) = closest_layout(&renamed).unwrap();
        assert_eq!((format.id(), missing), ("robinhood-activity", vec!["Trans Code"]));

        let webull = ["Name,Symbol,Side,Status,Filled,Total Qty,Price,Time-in-Force,Placed Time"];
        assert!(detect(&webull).is_none());
        let (format, missing) = closest_layout(&webull).unwrap();
        assert_eq!(format.id(), "webull-orders");
        assert!(
            missing.contains(&"Filled Time") && missing.contains(&"Avg Price"),
            "{missing:?}"
        );

        assert!(closest_layout(&["colour,shape", "red,circle"]).is_none());
    }
}
