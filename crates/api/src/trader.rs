//! A member's own pages on the server: overview, trades, analytics, risk profile and
//! leaderboard participation.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{AssetClass, Direction, TradeStatus};

/// A trade as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TradeView {
    /// Trade id (its opening fill's id).
    pub id: Uuid,
    /// Account.
    pub account_id: Uuid,
    /// Symbol.
    pub symbol: String,
    /// Asset class.
    pub asset_class: AssetClass,
    /// Long or short.
    pub direction: Direction,
    /// Open, closed or incomplete.
    pub status: TradeStatus,
    /// Quantity opened.
    pub quantity: Decimal,
    /// Average entry price.
    pub entry_price: Option<Decimal>,
    /// Average exit price.
    pub exit_price: Option<Decimal>,
    /// Gross P&L.
    pub gross_pnl: Decimal,
    /// Fees.
    pub fees: Decimal,
    /// Net P&L.
    pub net_pnl: Decimal,
    /// Opened at.
    pub opened_at: DateTime<Utc>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// Trading day of the close.
    pub trading_day: Option<NaiveDate>,
}

/// Statistics of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PeriodStats {
    /// Closed trades.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: u64,
    /// Winners (net > 0).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub winners: u64,
    /// Losers (net < 0).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub losers: u64,
    /// Win rate (`tradebook_core::win_rate`); null without decided trades.
    pub win_rate: Option<f64>,
    /// Σ net P&L.
    pub net_pnl: Decimal,
    /// Σ fees.
    pub fees: Decimal,
    /// Profit factor (`tradebook_core::profit_factor`); null without losers.
    pub profit_factor: Option<f64>,
}

/// A followed provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FollowedProvider {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// The trader's overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TraderOverview {
    /// Open positions (open trades).
    pub open_positions: Vec<TradeView>,
    /// Closed trades of the last 30 days.
    pub last_30_days: PeriodStats,
    /// Providers followed.
    pub followed_providers: Vec<FollowedProvider>,
}

/// Sortable columns of the trades list (a whitelist: the value is spliced into SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TradeSort {
    /// Open time.
    OpenedAt,
    /// Close time.
    ClosedAt,
    /// Symbol.
    Symbol,
    /// Net P&L.
    NetPnl,
    /// Gross P&L.
    GrossPnl,
    /// Fees.
    Fees,
    /// Quantity.
    Quantity,
    /// Status.
    Status,
    /// Direction.
    Direction,
    /// Trading day.
    TradingDay,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// Query of the trades list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct TradesQuery {
    /// Only trades of this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TradeStatus>,
    /// Opened on or after this day (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Opened on or before this day (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Sort column (default `opened_at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<TradeSort>,
    /// Sort direction (default `desc`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    /// Page, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Rows per page (1–200, default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// One page of trades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TradePage {
    /// The trades.
    pub items: Vec<TradeView>,
    /// Trades matching the filter.
    pub total: i64,
    /// This page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A trade with its annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TradeDetail {
    /// The trade.
    pub trade: TradeView,
    /// Notes.
    pub notes: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Setup.
    pub setup: Option<String>,
    /// Attributed signal provider.
    pub provider_id: Option<Uuid>,
}

/// Query of the analytics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DaysQuery {
    /// Days back from now (1–365, default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}

/// One day of a member's P&L.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DailyPoint {
    /// Trading day.
    pub day: NaiveDate,
    /// Closed trades.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: u64,
    /// Net P&L.
    pub net_pnl: Decimal,
    /// Cumulative net P&L up to and including the day.
    pub cumulative_net: Decimal,
}

/// A member's analytics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TraderAnalytics {
    /// Days covered.
    pub days: u32,
    /// Summary over the period.
    pub summary: PeriodStats,
    /// Maximum drawdown of the period's equity curve.
    pub max_drawdown: Decimal,
    /// Daily series.
    pub daily: Vec<DailyPoint>,
}

/// Risk limits, each a percentage 0–100 of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskProfile {
    /// Largest loss accepted on one trade.
    pub max_risk_per_trade_pct: Decimal,
    /// Largest loss accepted in one day.
    pub max_daily_loss_pct: Decimal,
    /// Largest position.
    pub max_position_size_pct: Decimal,
}

/// Leaderboard participation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LeaderboardSettings {
    /// Appear on the community leaderboard.
    pub opt_in: bool,
    /// Name shown instead of the real one (anonymized); null shows the real name.
    pub alias: Option<String>,
}
