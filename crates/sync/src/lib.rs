//! # tradebook-sync — the sync protocol's wire types (SPEC §7)
//!
//! The tenant API server (`tradebook-server`) and, later, the desktop client speak this
//! protocol; both depend on this crate so the two sides cannot drift. It is serde only: no
//! HTTP, no database, no Tauri.
//!
//! The shape is server-authoritative (Replicache/PowerSync):
//! - Every local change writes the row and an outbox entry; **push** ([`PushRequest`]) sends
//!   the outbox as [`Mutation`]s numbered by a per-device, monotonically increasing id. The
//!   server applies each id exactly once: ids at or below the device's last applied id are
//!   skipped (a replayed push is a no-op), a gap (first new id > last + 1) is refused with
//!   `409 mutation_gap`, and all mutations of one push commit in one transaction.
//! - **Pull** ([`PullRequest`]) returns the rows changed since the client's cookie, deletes
//!   as tombstones ([`Change::deleted`]), in pages ([`PullResponse::has_more`]). The client
//!   applies a page atomically and re-applies its still-pending mutations on top.
//! - Conflicts: last writer wins per field in the server's order (a field absent from an
//!   upsert is left as it is); a delete wins over every later upsert of the same row, except
//!   that a whole fill (every field a creation needs) re-creates a deleted fill: fill ids are
//!   stable across an undo and a re-import of the same file, and that re-import must sync.
//!
//! Encoding: exact decimals are strings (`"101.25"`), ids are UUID strings, timestamps are
//! RFC 3339 in UTC, trading days are `YYYY-MM-DD`.
//!
//! The `openapi` feature derives `utoipa::ToSchema` so the server can document the types.

#![deny(missing_docs)]

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A batch of a device's outbox mutations, in mutation id order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// The pushing device (stable per installation); mutation ids are counted per device.
    pub device_id: String,
    /// Mutations in increasing id order. May start at or below the last applied id (those
    /// are skipped) but must not leave a gap after it.
    pub mutations: Vec<Mutation>,
    /// More pushes follow at once (a large upload): the server may leave recomputing the
    /// member's trades to the last push of the run (one without `more`). Default `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
}

/// One outbox entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// Per-device, monotonically increasing from 1.
    pub id: u64,
    /// What the mutation does.
    #[serde(flatten)]
    pub kind: MutationKind,
}

/// The mutations the server knows, as `{"name": ..., "args": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "name", content = "args", rename_all = "snake_case")]
// Wire values, built and consumed one at a time; boxing the fill would only add allocations.
#[allow(clippy::large_enum_variant)]
pub enum MutationKind {
    /// Create an account or change the fields given.
    UpsertAccount(AccountArgs),
    /// Delete an account (a tombstone; later upserts of it are ignored).
    DeleteAccount {
        /// The account's id.
        id: Uuid,
    },
    /// Create a fill or change the fields given.
    UpsertFill(FillArgs),
    /// Delete a fill.
    DeleteFill {
        /// The fill's id.
        id: Uuid,
    },
    /// Create or change the annotation of a trade.
    UpsertAnnotation(AnnotationArgs),
    /// Delete the annotation of a trade.
    DeleteAnnotation {
        /// The trade's id (its opening fill's id).
        trade_id: Uuid,
    },
    /// Create or replace the journal note of a trading day.
    PutJournalNote(JournalNoteArgs),
    /// Delete the journal note of a trading day.
    DeleteJournalNote {
        /// The trading day.
        day: NaiveDate,
    },
}

/// Fields of an account; `None` leaves a field as it is (creating needs `name`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountArgs {
    /// The account's id (client-generated UUID).
    pub id: Uuid,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Broker platform (`tradier`, `webull`, `other`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The broker's own account number, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_account_id: Option<String>,
    /// ISO currency code (`USD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Starting balance, exact decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_balance: Option<Decimal>,
    /// IANA zone the broker's exports are written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// Fields of a fill; `None` leaves a field as it is (creating needs all but `multiplier`,
/// `fees` and `seq`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FillArgs {
    /// The fill's id (client-generated UUID, time-ordered v7 in the app).
    pub id: Uuid,
    /// The account the fill belongs to (must be one of the member's accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Matching key: ticker, OCC option symbol or futures contract code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// `stock`, `option`, `future`, `future_option`, `crypto` or `forex`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_class: Option<String>,
    /// `buy` or `sell`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Unsigned quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Price per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// Fees and commissions (non-negative), default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Decimal>,
    /// Money per 1.0 of price per unit (1 stock, 100 option, point value future); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<Decimal>,
    /// Execution instant (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed_at: Option<DateTime<Utc>>,
    /// Order within the source file (tie-breaker at equal timestamps); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    /// The rest of the fill as the journal keeps it (instrument details, source zone,
    /// provenance); `None` leaves it as it is.
    #[serde(default, flatten)]
    pub detail: FillDetail,
}

/// The parts of a fill the community does not compute with but a second device needs to
/// rebuild the same journal: the instrument's details, the zone the broker wrote the time in,
/// the stated position effect, and the provenance that makes a re-import of the same file a
/// duplicate. Every field is optional on the wire (older clients send none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FillDetail {
    /// Underlying of an option or root of a future (`AAPL`, `ES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underlying: Option<String>,
    /// Expiry of an option or future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<NaiveDate>,
    /// Strike of an option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike: Option<Decimal>,
    /// `call` or `put`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_right: Option<String>,
    /// IANA zone the source wrote the execution time in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_tz: Option<String>,
    /// `open` or `close` when the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_effect: Option<String>,
    /// The journal's de-duplication key (broker execution id, else a row hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedupe_key: Option<String>,
    /// The broker's execution id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
}

/// Fields of a trade's annotation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnotationArgs {
    /// The trade (its opening fill's id).
    pub trade_id: Uuid,
    /// Markdown notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Setup / playbook name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<String>,
    /// Planned stop price (gives the initial risk and the R-multiple).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_stop: Option<Decimal>,
    /// Mistakes made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mistakes: Option<Vec<String>>,
    /// The community signal provider whose signal the trade followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<Uuid>,
    /// Fields to empty: `setup`, `planned_stop` or `provider_id` (a `None` above leaves a
    /// field as it is, so clearing needs saying).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clear: Vec<String>,
}

/// A journal note of one trading day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalNoteArgs {
    /// The trading day.
    pub day: NaiveDate,
    /// Markdown body (replaces the previous body).
    pub body: String,
}

/// The server's answer to a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The device's last applied mutation id after this push: every outbox entry up to it
    /// is acknowledged and can be dropped.
    pub last_mutation_id: u64,
    /// How many mutations this push applied (0 for a replay).
    pub applied: u64,
    /// Mutations that were consumed but refused (invalid arguments, unknown account):
    /// they count as applied so they never block the outbox.
    pub rejected: Vec<RejectedMutation>,
}

/// A mutation the server consumed without applying it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedMutation {
    /// The mutation's id.
    pub id: u64,
    /// Why it was refused.
    pub code: RejectionCode,
    /// Human-readable reason.
    pub message: String,
}

/// Why the server refused a mutation (stable, snake_case on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectionCode {
    /// An argument is missing or out of range (the message names it).
    Validation,
    /// The fill names an account that is not the caller's.
    UnknownAccount,
    /// The annotation names a signal provider the community does not have.
    UnknownProvider,
}

impl RejectionCode {
    /// The wire spelling (`unknown_account`).
    pub fn as_str(self) -> &'static str {
        match self {
            RejectionCode::Validation => "validation",
            RejectionCode::UnknownAccount => "unknown_account",
            RejectionCode::UnknownProvider => "unknown_provider",
        }
    }
}

impl std::fmt::Display for RejectionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Query of a pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    /// The version of the last page applied; 0 (or absent) for everything.
    #[serde(default)]
    pub cookie: u64,
    /// Page size (the server caps it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The pulling device, to report its last applied mutation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

/// One page of changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Pass this as the next pull's cookie once the page is applied.
    pub cookie: u64,
    /// The pulling device's last applied mutation id (0 when unknown).
    pub last_mutation_id: u64,
    /// Changed rows in version order.
    pub changes: Vec<Change>,
    /// More changes wait after this page.
    pub has_more: bool,
}

/// One changed row: its current state or its tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Server version of the change (monotonic within a community).
    pub version: u64,
    /// `true` for a tombstone: the row is deleted.
    pub deleted: bool,
    /// The row.
    #[serde(flatten)]
    pub row: Row,
}

/// The synced entities, as `{"entity": ..., "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "entity", content = "data", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // as MutationKind
pub enum Row {
    /// An account.
    Account(AccountRow),
    /// A fill.
    Fill(FillRow),
    /// A trade's annotation.
    Annotation(AnnotationRow),
    /// A day's journal note.
    JournalNote(JournalNoteRow),
}

/// An account as stored by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountRow {
    /// The account's id.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Broker platform.
    pub platform: String,
    /// The broker's account number.
    pub broker_account_id: Option<String>,
    /// ISO currency code.
    pub currency: String,
    /// Starting balance.
    pub starting_balance: Decimal,
    /// IANA zone of the exports.
    pub timezone: String,
}

/// A fill as stored by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FillRow {
    /// The fill's id.
    pub id: Uuid,
    /// Its account.
    pub account_id: Uuid,
    /// Matching key.
    pub symbol: String,
    /// Asset class identifier.
    pub asset_class: String,
    /// `buy` / `sell`.
    pub side: String,
    /// Unsigned quantity.
    pub quantity: Decimal,
    /// Price per unit.
    pub price: Decimal,
    /// Fees and commissions.
    pub fees: Decimal,
    /// Contract multiplier.
    pub multiplier: Decimal,
    /// Execution instant.
    pub executed_at: DateTime<Utc>,
    /// Source order.
    pub seq: i64,
    /// Instrument details, source zone and provenance (absent fields are `None`).
    #[serde(default, flatten)]
    pub detail: FillDetail,
}

/// A trade's annotation as stored by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnotationRow {
    /// The trade (its opening fill's id).
    pub trade_id: Uuid,
    /// Markdown notes.
    pub notes: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Setup name.
    pub setup: Option<String>,
    /// Planned stop price.
    pub planned_stop: Option<Decimal>,
    /// Mistakes.
    pub mistakes: Vec<String>,
    /// Attributed signal provider.
    pub provider_id: Option<Uuid>,
}

/// A journal note as stored by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalNoteRow {
    /// The trading day.
    pub day: NaiveDate,
    /// Markdown body.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_codes_serialize_as_they_display() {
        for code in [
            RejectionCode::Validation,
            RejectionCode::UnknownAccount,
            RejectionCode::UnknownProvider,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
        }
        let unknown: Result<RejectionCode, _> = serde_json::from_str("\"whatever\"");
        assert!(unknown.is_err());
    }

    #[test]
    fn mutations_and_changes_have_the_documented_json_shape() {
        let m = Mutation {
            id: 7,
            kind: MutationKind::UpsertFill(FillArgs {
                id: Uuid::nil(),
                price: Some("101.25".parse().unwrap()),
                ..FillArgs::default()
            }),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": 7, "name": "upsert_fill", "args": {"id": Uuid::nil(), "price": "101.25"}})
        );
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), m);

        let c = Change {
            version: 3,
            deleted: true,
            row: Row::JournalNote(JournalNoteRow {
                day: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                body: String::new(),
            }),
        };
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"version": 3, "deleted": true, "entity": "journal_note", "data": {"day": "2026-03-02", "body": ""}})
        );
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), c);
    }
}
