//! # tradebook-import — broker CSV exports to fills
//!
//! Each broker format is a module under [`formats`] implementing [`Format`]: detection from
//! the first lines of the file, and streaming row parsing to [`RawFill`]s (or to round trips
//! expanded into their entry and exit fills, for brokers that export only those). The
//! [`pipeline`] ties a format to the store: one IMMEDIATE transaction per import, idempotent
//! through a per-account dedupe key, so a re-import adds nothing and a failure leaves the
//! database as it was.
//!
//! This crate may touch files and the store; it never panics on any input.

pub mod error;
pub mod formats;
pub mod pipeline;
pub mod text;

pub use error::ImportError;
pub use formats::{detect, format_by_id, Format, FormatInfo, FORMATS};
pub use pipeline::{import_file, ImportOptions, ImportProgress, ImportReport, RejectedRow};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use tradebook_core::{ContractTable, Fill, Instrument, PositionEffect, Side};

/// What a format needs besides the bytes.
#[derive(Debug, Clone)]
pub struct ParseContext<'a> {
    /// File name for messages.
    pub file_name: String,
    /// The account's zone: times written without a zone or offset are in this zone.
    pub tz: Tz,
    /// Futures roots → point values. An unknown root rejects the row (never a default).
    pub contracts: &'a ContractTable,
}

/// A fill as read from a broker file, before it belongs to an account.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFill {
    pub instrument: Instrument,
    pub side: Side,
    /// Unsigned, > 0.
    pub quantity: Decimal,
    pub price: Decimal,
    /// All fees and commissions of the fill, ≥ 0.
    pub fees: Decimal,
    pub executed_at: DateTime<Utc>,
    /// Zone the source wrote the time in (the offset's fixed zone is not an IANA zone, so
    /// formats with explicit offsets keep the account zone here).
    pub source_tz: Tz,
    /// The broker's execution id when the file has one (the dedupe key), prefixed by the
    /// format family when the id is synthesized (e.g. `perf:<buy>:<sell>:buy`).
    pub execution_id: Option<String>,
    /// Open or close, when the file states it (never guessed).
    pub position_effect: Option<PositionEffect>,
    /// The row's normalized raw fields (trimmed cells joined by `\u{1f}`), plus a suffix
    /// when one row yields several fills. Hashed with its occurrence index for the dedupe
    /// key when there is no execution id — never derived values.
    pub row_key: String,
}

impl RawFill {
    /// The fill this row describes, in account `account_id`, with id `id` and file position
    /// `seq` (the tie-breaker at equal timestamps).
    pub fn to_fill(&self, id: String, account_id: &str, seq: i64) -> Fill {
        Fill {
            id,
            account_id: account_id.to_string(),
            instrument: self.instrument.clone(),
            side: self.side,
            quantity: self.quantity,
            price: self.price,
            fees: self.fees,
            executed_at: self.executed_at,
            source_tz: self.source_tz,
            seq,
            position_effect: self.position_effect,
        }
    }
}

/// The outcome of one data row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowOutcome {
    /// Zero or more fills (a round-trip row gives two).
    Fills { line: u64, fills: Vec<RawFill> },
    /// A non-trade row (dividend, transfer, cancelled order, summary): counted, not an error.
    Skipped { line: u64, reason: String },
    /// A fill of Tradebook's own export (the generic format): it names its account (created
    /// if missing) and keeps the dedupe key it had, so a re-import matches the original fill.
    Exported {
        line: u64,
        account: Box<tradebook_store::NewAccount>,
        fill: Box<RawFill>,
        dedupe_key: String,
    },
    /// A trade row that cannot be read: named by line and reason.
    Rejected { line: u64, reason: String },
}
