//! The tenant API's contract, in one place: every route's method and path ([`routes`]), the
//! request, query and response types of each (one module per domain), and the one error
//! vocabulary ([`ErrorCode`], answered as [`ErrorBody`]).
//!
//! The server's handlers take and return these types and its OpenAPI document is generated
//! from them (feature `openapi`, utoipa); the desktop client calls each route through its
//! [`routes::Endpoint`]; the app exports the same types to TypeScript (feature `specta`), so
//! the community boundary is typed from the server's handler to the React component.
//!
//! Wire conventions (SPEC §7): money, prices and quantities are exact decimal strings; ids are
//! UUID strings; instants RFC 3339 UTC; days `YYYY-MM-DD`; enums lowercase snake_case, and an
//! unknown enum value is refused (422 naming the field), never replaced by a default.

pub mod auth;
pub mod community;
mod enums;
pub mod error;
pub mod flags;
pub mod members;
pub mod platform;
pub mod providers;
pub mod routes;
pub mod trader;

pub use enums::{
    AssetClass, AuditAction, CommunityStatus, Direction, PlatformAuditAction, Risk, Role, SignalSide, TradeStatus,
};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use routes::{Access, Endpoint, Method, Route, ROUTES};
/// The sync protocol's wire types (push and pull bodies), part of this contract.
pub use tradebook_sync as sync;

use serde::{Deserialize, Serialize};

/// Liveness answer of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// A query or body with nothing in it (routes without a query string or a request body).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Empty {}

/// Query of a sync pull (`GET .../sync/pull`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PullQuery {
    /// Version of the last applied page (0 for everything).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cookie: Option<u64>,
    /// Page size (1–1000, default 500).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The pulling device (for its last applied mutation id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}
