//! The community dashboards (staff): overview, members, analytics; and the leaderboard
//! (every member).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;

/// The community overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommunityOverview {
    /// Members.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub members: i64,
    /// Members with a trade closed in the last 30 days.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub active_traders_30d: i64,
    /// Trades closed today (UTC).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades_today: i64,
    /// Net P&L of today's closed trades.
    pub net_pnl_today: Decimal,
}

/// Query of the members page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MembersQuery {
    /// Substring of the name or email (case-insensitive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Page, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Rows per page (1–200, default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// A member row of the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberRow {
    /// User id.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Joined at.
    pub joined_at: DateTime<Utc>,
    /// Last sync.
    pub last_active_at: Option<DateTime<Utc>>,
    /// Closed trades.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trade_count: i64,
    /// Net P&L of closed trades.
    pub net_pnl: Decimal,
}

/// A page of members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberPage {
    /// Members.
    pub items: Vec<MemberRow>,
    /// Members matching the filter.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub total: i64,
    /// Page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// Query of the community analytics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PeriodQuery {
    /// 7, 30 or 90 (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}

/// One day of the community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommunityDay {
    /// Trading day.
    pub day: NaiveDate,
    /// Closed trades.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: i64,
    /// Net P&L.
    pub net_pnl: Decimal,
    /// Win rate that day (`tradebook_core::win_rate`).
    pub win_rate: Option<f64>,
}

/// Community analytics over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommunityAnalytics {
    /// Days covered.
    pub days: u32,
    /// Closed trades.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: i64,
    /// Net P&L.
    pub net_pnl: Decimal,
    /// Win rate (`tradebook_core::win_rate`).
    pub win_rate: Option<f64>,
    /// Daily series.
    pub daily: Vec<CommunityDay>,
    /// When it was computed (answers are cached briefly).
    pub computed_at: DateTime<Utc>,
}

/// A leaderboard entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LeaderboardEntry {
    /// Rank, from 1.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub rank: i64,
    /// Alias when set, else the member's name.
    pub display_name: String,
    /// Closed trades in 30 days.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub trades: i64,
    /// Net P&L in 30 days.
    pub net_pnl: Decimal,
    /// Win rate in 30 days (`tradebook_core::win_rate`).
    pub win_rate: Option<f64>,
}
