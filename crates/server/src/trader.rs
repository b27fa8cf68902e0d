//! A trader's own pages: overview, trades (paged, filtered, sorted), daily analytics, risk
//! profile, leaderboard settings. Every query is scoped to the caller's `user_id` inside the
//! community; statistics are `tradebook-core`'s `compute_stats` over the derived trades.

use axum::extract::State;
use axum::http::Method;
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tradebook_core::{compute_stats, StatsOptions};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Require, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::routes::{route, router_of, Auth, RouteSpec};
use crate::tenancy::{Role, TenantTx};
use crate::trades::{round_trip, TRADE_COLUMNS};
use crate::AppState;

/// The trader routes.
pub fn routes() -> Vec<RouteSpec> {
    let t = Auth::Member(Role::Trader);
    vec![
        route(Method::GET, "/api/communities/{community_id}/me/overview", t, overview),
        route(Method::GET, "/api/communities/{community_id}/me/trades", t, list_trades),
        route(
            Method::GET,
            "/api/communities/{community_id}/me/trades/{trade_id}",
            t,
            get_trade,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/me/analytics",
            t,
            analytics,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/me/risk-profile",
            t,
            get_risk_profile,
        ),
        route(
            Method::PUT,
            "/api/communities/{community_id}/me/risk-profile",
            t,
            put_risk_profile,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/me/leaderboard",
            t,
            get_leaderboard,
        ),
        route(
            Method::PUT,
            "/api/communities/{community_id}/me/leaderboard",
            t,
            put_leaderboard,
        ),
    ]
}

/// The trader router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// A trade as the API shows it (money as exact decimal strings).
#[derive(Debug, Serialize, ToSchema)]
pub struct TradeView {
    /// Trade id (its opening fill's id).
    pub id: Uuid,
    /// Account.
    pub account_id: Uuid,
    /// Symbol.
    pub symbol: String,
    /// Asset class.
    pub asset_class: String,
    /// `long` / `short`.
    pub direction: String,
    /// `open`, `closed` or `incomplete`.
    pub status: String,
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

fn trade_view(r: &tokio_postgres::Row) -> TradeView {
    TradeView {
        id: r.get(0),
        account_id: r.get(1),
        symbol: r.get(2),
        asset_class: r.get(3),
        direction: r.get(4),
        status: r.get(5),
        quantity: r.get(6),
        entry_price: r.get(8),
        exit_price: r.get(9),
        gross_pnl: r.get(10),
        fees: r.get(11),
        net_pnl: r.get(12),
        opened_at: r.get(13),
        closed_at: r.get(14),
        trading_day: r.get(15),
    }
}

/// Statistics of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodStats {
    /// Closed trades.
    pub trades: u64,
    /// Winners (net > 0).
    pub winners: u64,
    /// Losers (net < 0).
    pub losers: u64,
    /// winners ÷ (winners + losers); null without decided trades.
    pub win_rate: Option<f64>,
    /// Σ net P&L.
    pub net_pnl: Decimal,
    /// Σ fees.
    pub fees: Decimal,
    /// Σ net of winners ÷ |Σ net of losers|; null without losers.
    pub profit_factor: Option<f64>,
}

/// A followed provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedProvider {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// The trader's overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct TraderOverview {
    /// Open positions (open trades).
    pub open_positions: Vec<TradeView>,
    /// Closed trades of the last 30 days.
    pub last_30_days: PeriodStats,
    /// Providers followed.
    pub followed_providers: Vec<FollowedProvider>,
}

async fn member_trades_since(
    tx: &TenantTx<'_>,
    user: Uuid,
    since: DateTime<Utc>,
) -> ApiResult<Vec<tokio_postgres::Row>> {
    Ok(tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE community_id = $1 AND user_id = $2
                 AND status = 'closed' AND closed_at >= $3"
            ),
            &[&tx.community_id(), &user, &since],
        )
        .await?)
}

fn period_stats(rows: &[tokio_postgres::Row]) -> (PeriodStats, tradebook_core::Stats) {
    let trades: Vec<_> = rows.iter().map(round_trip).collect();
    let s = compute_stats(&trades, &StatsOptions::default());
    (
        PeriodStats {
            trades: s.trades,
            winners: s.winners,
            losers: s.losers,
            win_rate: s.win_rate,
            net_pnl: s.net_pnl,
            fees: s.fees,
            profit_factor: s.profit_factor,
        },
        s,
    )
}

/// Open positions, 30-day statistics and followed providers.
#[utoipa::path(get, path = "/api/communities/{community_id}/me/overview", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = TraderOverview), (status = "default", body = crate::error::ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
) -> ApiResult<Json<TraderOverview>> {
    let user = m.user_id();
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let open = tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE community_id = $1 AND user_id = $2 AND status = 'open'
                 ORDER BY opened_at DESC LIMIT 200"
            ),
            &[&c, &user],
        )
        .await?;
    let closed = member_trades_since(&tx, user, Utc::now() - Duration::days(30)).await?;
    let followed = tx
        .query(
            "SELECT p.id, p.name FROM provider_follows f JOIN signal_providers p
               ON p.community_id = f.community_id AND p.id = f.provider_id
             WHERE f.community_id = $1 AND f.user_id = $2 ORDER BY p.name",
            &[&c, &user],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(TraderOverview {
        open_positions: open.iter().map(trade_view).collect(),
        last_30_days: period_stats(&closed).0,
        followed_providers: followed
            .iter()
            .map(|r| FollowedProvider {
                id: r.get(0),
                name: r.get(1),
            })
            .collect(),
    }))
}

/// Sortable columns of the trades list (a whitelist: the value is spliced into SQL).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
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

impl TradeSort {
    fn column(self) -> &'static str {
        match self {
            TradeSort::OpenedAt => "opened_at",
            TradeSort::ClosedAt => "closed_at",
            TradeSort::Symbol => "symbol",
            TradeSort::NetPnl => "net_pnl",
            TradeSort::GrossPnl => "gross_pnl",
            TradeSort::Fees => "fees",
            TradeSort::Quantity => "quantity",
            TradeSort::Status => "status",
            TradeSort::Direction => "direction",
            TradeSort::TradingDay => "trading_day",
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// Query of the trades list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TradesQuery {
    /// `open`, `closed` or `incomplete`.
    pub status: Option<String>,
    /// Opened on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Opened on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// Sort column (default `opened_at`).
    pub sort: Option<TradeSort>,
    /// Sort direction (default `desc`).
    pub order: Option<SortOrder>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Rows per page (1–200, default 50).
    pub per_page: Option<u32>,
}

/// One page of trades.
#[derive(Debug, Serialize, ToSchema)]
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

/// The trader's trades, paged, filtered by status and date, sorted by any column.
#[utoipa::path(get, path = "/api/communities/{community_id}/me/trades", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), TradesQuery),
    responses((status = 200, body = TradePage), (status = "default", body = crate::error::ErrorBody)))]
pub async fn list_trades(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Query(q): Query<TradesQuery>,
) -> ApiResult<Json<TradePage>> {
    if let Some(s) = &q.status {
        if tradebook_core::TradeStatus::parse(s).is_none() {
            return Err(ApiError::validation("status: open, closed or incomplete"));
        }
    }
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let column = q.sort.unwrap_or(TradeSort::OpenedAt).column();
    let order = match q.order.unwrap_or(SortOrder::Desc) {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    let from = q.from.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc());
    let to =
        q.to.and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
    let offset = i64::from(page - 1) * i64::from(per_page);
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let filter = "community_id = $1 AND user_id = $2 AND ($3::text IS NULL OR status = $3)
                  AND ($4::timestamptz IS NULL OR opened_at >= $4) AND ($5::timestamptz IS NULL OR opened_at < $5)";
    let c = tx.community_id();
    let user = m.user_id();
    let total: i64 = tx
        .query_one(
            &format!("SELECT count(*) FROM trades WHERE {filter}"),
            &[&c, &user, &q.status, &from, &to],
        )
        .await?
        .get(0);
    let rows = tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE {filter}
                 ORDER BY {column} {order} NULLS LAST, id {order} LIMIT $6 OFFSET $7"
            ),
            &[&c, &user, &q.status, &from, &to, &i64::from(per_page), &offset],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(TradePage {
        items: rows.iter().map(trade_view).collect(),
        total,
        page,
        per_page,
    }))
}

/// A trade with its annotation.
#[derive(Debug, Serialize, ToSchema)]
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

/// One of the trader's own trades (404 for anyone else's).
#[utoipa::path(get, path = "/api/communities/{community_id}/me/trades/{trade_id}", tag = "trader",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("trade_id" = Uuid, Path)),
    responses((status = 200, body = TradeDetail), (status = "default", body = crate::error::ErrorBody)))]
pub async fn get_trade(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Path(path_ids): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<TradeDetail>> {
    let trade_id = path_ids.1;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let cols = TRADE_COLUMNS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let row = tx
        .query_opt(
            &format!(
                "SELECT {cols}, a.notes, a.tags, a.setup, a.provider_id FROM trades t
                 LEFT JOIN annotations a ON a.community_id = t.community_id AND a.user_id = t.user_id
                   AND a.trade_id = t.id AND NOT a.deleted
                 WHERE t.community_id = $1 AND t.user_id = $2 AND t.id = $3"
            ),
            &[&tx.community_id(), &m.user_id(), &trade_id],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(TradeDetail {
        trade: trade_view(&row),
        notes: row.get(17),
        tags: row.get::<_, Option<Vec<String>>>(18).unwrap_or_default(),
        setup: row.get(19),
        provider_id: row.get(20),
    }))
}

/// Query of the analytics.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DaysQuery {
    /// Days back from now (1–365, default 30).
    pub days: Option<u32>,
}

/// One day of a member's P&L.
#[derive(Debug, Serialize, ToSchema)]
pub struct DailyPoint {
    /// Trading day.
    pub day: NaiveDate,
    /// Closed trades.
    pub trades: u64,
    /// Net P&L.
    pub net_pnl: Decimal,
    /// Cumulative net P&L up to and including the day.
    pub cumulative_net: Decimal,
}

/// A member's analytics.
#[derive(Debug, Serialize, ToSchema)]
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

/// Daily P&L series and statistics over the last `days`.
#[utoipa::path(get, path = "/api/communities/{community_id}/me/analytics", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), DaysQuery),
    responses((status = 200, body = TraderAnalytics), (status = "default", body = crate::error::ErrorBody)))]
pub async fn analytics(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<TraderAnalytics>> {
    let days = q.days.unwrap_or(30);
    if !(1..=365).contains(&days) {
        return Err(ApiError::validation("days: 1 to 365"));
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let rows = member_trades_since(&tx, m.user_id(), Utc::now() - Duration::days(i64::from(days))).await?;
    tx.commit().await?;
    let (summary, stats) = period_stats(&rows);
    let mut cumulative = Decimal::ZERO;
    let daily = stats
        .daily_pnl
        .iter()
        .map(|d| {
            cumulative += d.net_pnl;
            DailyPoint {
                day: d.day,
                trades: d.trades,
                net_pnl: d.net_pnl,
                cumulative_net: cumulative,
            }
        })
        .collect();
    Ok(Json(TraderAnalytics {
        days,
        summary,
        max_drawdown: stats.max_drawdown,
        daily,
    }))
}

/// Risk limits, each a percentage 0–100 of the account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RiskProfile {
    /// Largest loss accepted on one trade.
    pub max_risk_per_trade_pct: Decimal,
    /// Largest loss accepted in one day.
    pub max_daily_loss_pct: Decimal,
    /// Largest position.
    pub max_position_size_pct: Decimal,
}

/// The trader's risk profile (defaults 1 %, 3 %, 10 % until set).
#[utoipa::path(get, path = "/api/communities/{community_id}/me/risk-profile", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = RiskProfile), (status = "default", body = crate::error::ErrorBody)))]
pub async fn get_risk_profile(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
) -> ApiResult<Json<RiskProfile>> {
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let row = tx
        .query_opt(
            "SELECT max_risk_per_trade_pct, max_daily_loss_pct, max_position_size_pct FROM risk_profiles
             WHERE community_id = $1 AND user_id = $2",
            &[&tx.community_id(), &m.user_id()],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(match row {
        Some(r) => RiskProfile {
            max_risk_per_trade_pct: r.get(0),
            max_daily_loss_pct: r.get(1),
            max_position_size_pct: r.get(2),
        },
        None => RiskProfile {
            max_risk_per_trade_pct: Decimal::ONE,
            max_daily_loss_pct: Decimal::from(3),
            max_position_size_pct: Decimal::from(10),
        },
    }))
}

/// Set the trader's risk profile (every value 0–100).
#[utoipa::path(put, path = "/api/communities/{community_id}/me/risk-profile", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = RiskProfile,
    responses((status = 200, body = RiskProfile), (status = "default", body = crate::error::ErrorBody)))]
pub async fn put_risk_profile(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Json(p): Json<RiskProfile>,
) -> ApiResult<Json<RiskProfile>> {
    for (field, v) in [
        ("max_risk_per_trade_pct", p.max_risk_per_trade_pct),
        ("max_daily_loss_pct", p.max_daily_loss_pct),
        ("max_position_size_pct", p.max_position_size_pct),
    ] {
        if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            return Err(ApiError::validation(format!("{field}: a percentage from 0 to 100")));
        }
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    tx.execute(
        "INSERT INTO risk_profiles (community_id, user_id, max_risk_per_trade_pct, max_daily_loss_pct, max_position_size_pct)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (community_id, user_id) DO UPDATE SET max_risk_per_trade_pct = $3, max_daily_loss_pct = $4,
             max_position_size_pct = $5, updated_at = now()",
        &[
            &tx.community_id(),
            &m.user_id(),
            &p.max_risk_per_trade_pct,
            &p.max_daily_loss_pct,
            &p.max_position_size_pct,
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(p))
}

/// Leaderboard participation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaderboardSettings {
    /// Appear on the community leaderboard.
    pub opt_in: bool,
    /// Name shown instead of the real one (anonymized); null shows the real name.
    pub alias: Option<String>,
}

/// The caller's leaderboard participation (off until chosen).
#[utoipa::path(get, path = "/api/communities/{community_id}/me/leaderboard", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = LeaderboardSettings), (status = "default", body = crate::error::ErrorBody)))]
pub async fn get_leaderboard(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
) -> ApiResult<Json<LeaderboardSettings>> {
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let row = tx
        .query_one(
            "SELECT leaderboard_opt_in, leaderboard_alias FROM memberships WHERE community_id = $1 AND user_id = $2",
            &[&tx.community_id(), &m.user_id()],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(LeaderboardSettings {
        opt_in: row.get(0),
        alias: row.get(1),
    }))
}

/// Opt in or out of the leaderboard, optionally under an alias.
#[utoipa::path(put, path = "/api/communities/{community_id}/me/leaderboard", tag = "trader", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = LeaderboardSettings,
    responses((status = 200, body = LeaderboardSettings), (status = "default", body = crate::error::ErrorBody)))]
pub async fn put_leaderboard(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Json(s): Json<LeaderboardSettings>,
) -> ApiResult<Json<LeaderboardSettings>> {
    if s.alias
        .as_ref()
        .is_some_and(|a| a.trim().is_empty() || a.chars().count() > 50)
    {
        return Err(ApiError::validation("alias: 1 to 50 characters"));
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    tx.execute(
        "UPDATE memberships SET leaderboard_opt_in = $3, leaderboard_alias = $4 WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &m.user_id(), &s.opt_in, &s.alias],
    )
    .await?;
    tx.commit().await?;
    state.cache.invalidate(m.scope.community_id());
    Ok(Json(s))
}
