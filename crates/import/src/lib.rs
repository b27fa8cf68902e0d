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
use tradebook_core::{AssetClass, ContractTable, Fill, Instrument, PositionEffect, Side};

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
    /// An option removed from the account by expiration, assignment or exercise, on a row
    /// that does not say whether the position was long or short (Robinhood `OEXP`,
    /// tastytrade's `Removal of … due to expiration`). The pipeline closes the position the
    /// file holds in that contract at price 0 (see [`Removal`]); without one it is skipped.
    Removal { line: u64, removal: Removal },
    /// Money in or out of the account that is not a trade (a deposit, a dividend, interest,
    /// a fee outside trades): recorded in the cash ledger. `row_key` as [`RawFill::row_key`].
    Cash {
        line: u64,
        movement: tradebook_store::NewCashMovement,
        row_key: String,
    },
    /// A balance the file states for the account (thinkorswim's Cash Balance column,
    /// Tradovate's balance history): kept for the reconciliation report. `own_row`: the row
    /// states only this (a data row of its own); otherwise it accompanies the row's other
    /// outcome, or a row outside the data rows, and is not counted as a row.
    Balance {
        line: u64,
        balance: tradebook_store::BrokerBalance,
        row_key: String,
        own_row: bool,
    },
}

/// What removed an option from the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalEvent {
    /// Expired worthless: the position closes at 0.
    Expiration,
    /// A short option was assigned: it closes at 0 and the delivered stock or future, its
    /// own row at the strike, carries the intrinsic value.
    Assignment,
    /// A long option was exercised: as assignment, from the other side.
    Exercise,
}

impl RemovalEvent {
    /// Lower-case name for messages (`expiration`).
    pub fn as_str(self) -> &'static str {
        match self {
            RemovalEvent::Expiration => "expiration",
            RemovalEvent::Assignment => "assignment",
            RemovalEvent::Exercise => "exercise",
        }
    }
}

/// An option leaving the account without a trade, before its side is known.
///
/// The pipeline resolves it against the file: the position just before it is the net of the
/// file's other fills in the same contract (nothing trades a contract after it expires, is
/// assigned or exercised), so a net long closes with a sell and a net short with a buy, at
/// price 0 with no fees, for the quantity the row states. Options close at 0 on all three
/// events: an expired option is worth nothing, and on assignment or exercise the delivered
/// lot (the broker's own row, at the strike) carries the intrinsic value, so the option's
/// premium and the lot's result add up to what the account really made.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    pub instrument: Instrument,
    /// Contracts removed, unsigned, > 0.
    pub quantity: Decimal,
    /// When the option left the account.
    pub executed_at: DateTime<Utc>,
    /// Zone the source wrote the time in (as [`RawFill::source_tz`]).
    pub source_tz: Tz,
    pub event: RemovalEvent,
    /// The row's normalized raw fields (as [`RawFill::row_key`]).
    pub row_key: String,
}

/// The net position (signed: > 0 long) of each option contract a file trades, to resolve
/// its [`Removal`]s once the whole file is read (a file listed newest first states the
/// removal before the trades that opened the position).
#[derive(Debug, Default)]
pub struct OptionPositions(std::collections::HashMap<String, Decimal>);

impl OptionPositions {
    /// Counts `fill` when it is an option or a futures option.
    pub fn track(&mut self, fill: &RawFill) {
        let i = &fill.instrument;
        if i.expiry.is_some() && matches!(i.asset_class, AssetClass::Option | AssetClass::FutureOption) {
            *self.0.entry(i.symbol.clone()).or_default() += fill.side.sign() * fill.quantity;
        }
    }

    /// The fill that closes what `removal` removes, from the position the file holds in its
    /// contract; `None` when the file holds none (the opening is in another import). A later
    /// removal of the same contract sees what is left, never past flat.
    pub fn resolve(&mut self, removal: &Removal) -> Option<RawFill> {
        let position = self.0.entry(removal.instrument.symbol.clone()).or_default();
        let fill = removal.closing_fill(*position)?;
        let rest = *position + fill.side.sign() * fill.quantity;
        *position = if !rest.is_zero() && (rest > Decimal::ZERO) == (*position > Decimal::ZERO) {
            rest
        } else {
            Decimal::ZERO
        };
        Some(fill)
    }
}

impl Removal {
    /// The closing fill of a position of `position` contracts (signed: > 0 long): a sell
    /// for a long, a buy for a short, at 0 with no fees. `None` when the position is flat.
    pub fn closing_fill(&self, position: Decimal) -> Option<RawFill> {
        let side = if position > Decimal::ZERO {
            Side::Sell
        } else if position < Decimal::ZERO {
            Side::Buy
        } else {
            return None;
        };
        Some(RawFill {
            instrument: self.instrument.clone(),
            side,
            quantity: self.quantity,
            price: Decimal::ZERO,
            fees: Decimal::ZERO,
            executed_at: self.executed_at,
            source_tz: self.source_tz,
            execution_id: None,
            position_effect: Some(PositionEffect::Close),
            row_key: self.row_key.clone(),
        })
    }
}
