//! Signal providers: the list with performance, creating and changing one (staff), posting
//! signals, following, and the signal feed.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::SignalSide;

/// A provider with its performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProviderView {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Disabled providers take no follows and no signals.
    pub active: bool,
    /// Followers.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub followers: i64,
    /// Closed trades attributed to the provider.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: i64,
    /// Their net P&L.
    pub net_pnl: Decimal,
    /// Win rate (`tradebook_core::win_rate`).
    pub win_rate: Option<f64>,
}

/// A new provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreateProvider {
    /// Name (1–100 characters).
    pub name: String,
    /// Description.
    pub description: Option<String>,
}

/// A provider change; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateProvider {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enable or disable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A provider's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProviderFields {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Active.
    pub active: bool,
}

/// A new signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSignal {
    /// Symbol.
    pub symbol: String,
    /// Buy or sell.
    pub side: SignalSide,
    /// Entry price.
    pub entry: Option<Decimal>,
    /// Stop price.
    pub stop: Option<Decimal>,
    /// Target price.
    pub target: Option<Decimal>,
    /// Note.
    pub note: Option<String>,
}

/// A signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignalView {
    /// Signal id.
    pub id: Uuid,
    /// Provider.
    pub provider_id: Uuid,
    /// Provider name.
    pub provider_name: String,
    /// Symbol.
    pub symbol: String,
    /// Buy or sell.
    pub side: SignalSide,
    /// Entry price.
    pub entry: Option<Decimal>,
    /// Stop price.
    pub stop: Option<Decimal>,
    /// Target price.
    pub target: Option<Decimal>,
    /// Note.
    pub note: String,
    /// Posted at.
    pub created_at: DateTime<Utc>,
}

/// A follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FollowView {
    /// Provider.
    pub provider_id: Uuid,
    /// Whether the caller now follows it.
    pub following: bool,
}

/// Query of the signal feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct FeedQuery {
    /// Only providers the caller follows (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
    /// At most this many (1–200, default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}
