//! The community dashboards' statements: the overview, the members page, the daily analytics
//! and the leaderboard. They aggregate over the derived `trades` rows with the SPEC §4
//! definitions (only closed trades count, winner = net > 0, loser = net < 0); win rates are
//! `tradebook_core::win_rate` of the counted winners and losers. Every function takes the
//! community's [`TenantTx`] and filters by its `community_id()`. Caching the answers is the
//! caller's ([`crate::community::AnalyticsCache`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tradebook_core::win_rate;
use uuid::Uuid;

use super::{col, count, from_rows, FromRow};
use crate::community::{CommunityOverview, LeaderboardEntry, MemberRow};
use crate::error::ApiError;
use crate::tenancy::{Role, TenantTx};

impl FromRow for CommunityOverview {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(CommunityOverview {
            members: col(r, "members")?,
            active_traders_30d: col(r, "active_traders_30d")?,
            trades_today: col(r, "trades_today")?,
            net_pnl_today: col(r, "net_pnl_today")?,
        })
    }
}

impl FromRow for MemberRow {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(MemberRow {
            user_id: col(r, "user_id")?,
            name: col(r, "name")?,
            email: col(r, "email")?,
            role: Role::parse(col(r, "role")?).unwrap_or(Role::Viewer),
            joined_at: col(r, "joined_at")?,
            last_active_at: col(r, "last_active_at")?,
            trade_count: col(r, "trade_count")?,
            net_pnl: col(r, "net_pnl")?,
        })
    }
}

/// One trading day of the community's closed trades.
#[derive(Debug, Clone)]
pub struct DayTotals {
    /// Trading day.
    pub day: NaiveDate,
    /// Closed trades.
    pub trades: i64,
    /// Their net P&L.
    pub net_pnl: Decimal,
    /// Winners (net > 0).
    pub winners: u64,
    /// Losers (net < 0).
    pub losers: u64,
}

impl FromRow for DayTotals {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(DayTotals {
            day: col(r, "trading_day")?,
            trades: col(r, "trades")?,
            net_pnl: col(r, "net_pnl")?,
            winners: count(r, "winners")?,
            losers: count(r, "losers")?,
        })
    }
}

/// A leaderboard row before it is ranked.
struct LeaderboardRow {
    display_name: String,
    trades: i64,
    net_pnl: Decimal,
    win_rate: Option<f64>,
}

impl FromRow for LeaderboardRow {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(LeaderboardRow {
            display_name: col(r, "display_name")?,
            trades: col(r, "trades")?,
            net_pnl: col(r, "net_pnl")?,
            win_rate: win_rate(count(r, "winners")?, count(r, "losers")?),
        })
    }
}

/// The community's members, members with a trade closed in 30 days, and today's (UTC)
/// closed trades and their net P&L. Errors: the database's, or [`ApiError::Internal`] for a
/// row that does not decode.
pub async fn overview(tx: &TenantTx<'_>) -> Result<CommunityOverview, ApiError> {
    let row = tx
        .query_one(
            "SELECT (SELECT count(*) FROM memberships WHERE community_id = $1) AS members,
                    (SELECT count(*) FROM memberships WHERE community_id = $1
                        AND last_trade_at >= now() - interval '30 days') AS active_traders_30d,
                    t.n AS trades_today, t.net AS net_pnl_today
             FROM (SELECT count(*) AS n, COALESCE(sum(net_pnl), 0) AS net FROM trades
                   WHERE community_id = $1 AND status = 'closed' AND closed_at >= date_trunc('day', now())) t",
            &[&tx.community_id()],
        )
        .await?;
    CommunityOverview::from_row(&row)
}

/// Every member's id and role (database spelling) in the members page's order (newest
/// first, then by id). Errors: the database's, or [`ApiError::Internal`] for a row that does
/// not decode.
pub async fn member_order(tx: &TenantTx<'_>) -> Result<Vec<(Uuid, String)>, ApiError> {
    let rows = tx
        .query(
            "SELECT user_id, role FROM memberships WHERE community_id = $1
             ORDER BY joined_at DESC, user_id",
            &[&tx.community_id()],
        )
        .await?;
    rows.iter().map(|r| Ok((col(r, "user_id")?, col(r, "role")?))).collect()
}

/// The members `ids` with their trade counts and net P&L, in the members page's order.
/// Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn members_by_ids(tx: &TenantTx<'_>, ids: &[Uuid]) -> Result<Vec<MemberRow>, ApiError> {
    let rows = tx
        .query(
            "SELECT m.user_id, u.name, u.email, m.role, m.joined_at, m.last_active_at,
                    m.closed_trades AS trade_count, m.closed_net_pnl AS net_pnl
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.community_id = $1 AND m.user_id = ANY($2)
             ORDER BY m.joined_at DESC, m.user_id",
            &[&tx.community_id(), &ids],
        )
        .await?;
    from_rows(&rows)
}

/// How many members have a name or email matching the `ILIKE` `pattern` and, when given,
/// the role `role` (database spelling). Errors: the database's, or [`ApiError::Internal`] for
/// a row that does not decode.
pub async fn count_matching(tx: &TenantTx<'_>, pattern: &str, role: Option<&str>) -> Result<i64, ApiError> {
    let row = tx
        .query_one(
            "SELECT count(*) AS total FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.community_id = $1
               AND (u.name ILIKE $2 OR u.email ILIKE $2) AND ($3::text IS NULL OR m.role = $3)",
            &[&tx.community_id(), &pattern, &role],
        )
        .await?;
    col(&row, "total")
}

/// One page (`limit` rows after `offset`) of the members [`count_matching`] counts, in the
/// members page's order, with their trade counts and net P&L. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn members_matching(
    tx: &TenantTx<'_>,
    pattern: &str,
    role: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<MemberRow>, ApiError> {
    let rows = tx
        .query(
            "SELECT m.user_id, u.name, u.email, m.role, m.joined_at, m.last_active_at,
                    m.closed_trades AS trade_count, m.closed_net_pnl AS net_pnl
             FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.community_id = $1
               AND (u.name ILIKE $2 OR u.email ILIKE $2) AND ($3::text IS NULL OR m.role = $3)
             ORDER BY m.joined_at DESC, m.user_id LIMIT $4 OFFSET $5",
            &[&tx.community_id(), &pattern, &role, &limit, &offset],
        )
        .await?;
    from_rows(&rows)
}

/// The community's closed trades per trading day over the last `days` days (today
/// included), oldest first; days without a closed trade are absent. Errors: the database's,
/// or [`ApiError::Internal`] for a row that does not decode or a negative count.
pub async fn daily_totals(tx: &TenantTx<'_>, days: i32) -> Result<Vec<DayTotals>, ApiError> {
    let rows = tx
        .query(
            "SELECT trading_day, count(*) AS trades, COALESCE(sum(net_pnl), 0) AS net_pnl,
                    count(*) FILTER (WHERE net_pnl > 0) AS winners, count(*) FILTER (WHERE net_pnl < 0) AS losers
             FROM trades WHERE community_id = $1 AND status = 'closed' AND trading_day IS NOT NULL
               AND trading_day > current_date - $2::int
             GROUP BY trading_day ORDER BY trading_day",
            &[&tx.community_id(), &days],
        )
        .await?;
    from_rows(&rows)
}

/// The members who opted in to the leaderboard (alias when set, else their name), ranked
/// from 1 by 30-day net P&L, then by display name; at most 100. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode or a negative count.
pub async fn leaderboard(tx: &TenantTx<'_>) -> Result<Vec<LeaderboardEntry>, ApiError> {
    let rows = tx
        .query(
            "SELECT COALESCE(m.leaderboard_alias, u.name) AS display_name, count(t.id) AS trades,
                    COALESCE(sum(t.net_pnl), 0) AS net_pnl,
                    count(t.id) FILTER (WHERE t.net_pnl > 0) AS winners,
                    count(t.id) FILTER (WHERE t.net_pnl < 0) AS losers
             FROM memberships m JOIN users u ON u.id = m.user_id
             LEFT JOIN trades t ON t.community_id = m.community_id AND t.user_id = m.user_id
                  AND t.status = 'closed' AND t.closed_at >= now() - interval '30 days'
             WHERE m.community_id = $1 AND m.leaderboard_opt_in
             GROUP BY m.user_id, m.leaderboard_alias, u.name
             ORDER BY 3 DESC, 1 LIMIT 100",
            &[&tx.community_id()],
        )
        .await?;
    let ranked: Vec<LeaderboardRow> = from_rows(&rows)?;
    Ok(ranked
        .into_iter()
        .enumerate()
        .map(|(i, r)| LeaderboardEntry {
            rank: i as i64 + 1,
            display_name: r.display_name,
            trades: r.trades,
            net_pnl: r.net_pnl,
            win_rate: r.win_rate,
        })
        .collect())
}
