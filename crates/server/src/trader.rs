//! A trader's own pages: overview, trades (paged, filtered, sorted), daily analytics, risk
//! profile, leaderboard settings. Every query is scoped to the caller's `user_id` inside the
//! community; statistics are `tradebook-core`'s `compute_stats` over the derived trades.

use axum::extract::State;
use axum::Router;
use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use tradebook_core::{compute_stats, RoundTrip, StatsOptions};
use uuid::Uuid;

use crate::auth::{Require, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::repo::{self, trader::TradeFilter};
use crate::routes::{route, router_of, RouteSpec};
use crate::AppState;
use tradebook_api::routes as api;
pub use tradebook_api::trader::{
    DailyPoint, DaysQuery, FollowedProvider, LeaderboardSettings, PeriodStats, RiskProfile, SortOrder, TradeDetail,
    TradePage, TradeSort, TradeView, TraderAnalytics, TraderOverview, TradesQuery,
};

/// The trader routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::MyOverview, _, _>(overview),
        route::<api::MyTrades, _, _>(list_trades),
        route::<api::MyTrade, _, _>(get_trade),
        route::<api::MyAnalytics, _, _>(analytics),
        route::<api::MyRiskProfile, _, _>(get_risk_profile),
        route::<api::SetMyRiskProfile, _, _>(put_risk_profile),
        route::<api::MyLeaderboard, _, _>(get_leaderboard),
        route::<api::SetMyLeaderboard, _, _>(put_leaderboard),
    ]
}

/// The trader router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

fn period_stats(trades: &[RoundTrip]) -> (PeriodStats, tradebook_core::Stats) {
    let s = compute_stats(trades, &StatsOptions::default());
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
    let open_positions = repo::trader::open_trades(&tx, user).await?;
    let closed = repo::trader::closed_since(&tx, user, Utc::now() - Duration::days(30)).await?;
    let followed_providers = repo::trader::followed_providers(&tx, user).await?;
    tx.commit().await?;
    Ok(Json(TraderOverview {
        open_positions,
        last_30_days: period_stats(&closed).0,
        followed_providers,
    }))
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
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let sort = q.sort.unwrap_or(TradeSort::OpenedAt);
    let order = q.order.unwrap_or(SortOrder::Desc);
    let from = q.from.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc());
    let to =
        q.to.and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
    let offset = i64::from(page - 1) * i64::from(per_page);
    let filter = TradeFilter {
        status: q.status.map(|s| s.as_str()),
        opened_from: from,
        opened_before: to,
    };
    let user = m.user_id();
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let total = repo::trader::count_trades(&tx, user, &filter).await?;
    let items = repo::trader::trades_page(&tx, user, &filter, sort, order, i64::from(per_page), offset).await?;
    tx.commit().await?;
    Ok(Json(TradePage {
        items,
        total,
        page,
        per_page,
    }))
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
    let detail = repo::trader::trade_detail(&tx, m.user_id(), trade_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(detail))
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
    let trades = repo::trader::closed_since(&tx, m.user_id(), Utc::now() - Duration::days(i64::from(days))).await?;
    tx.commit().await?;
    let (summary, stats) = period_stats(&trades);
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
    let profile = repo::trader::risk_profile(&tx, m.user_id()).await?;
    tx.commit().await?;
    Ok(Json(profile.unwrap_or_else(|| RiskProfile {
        max_risk_per_trade_pct: Decimal::ONE,
        max_daily_loss_pct: Decimal::from(3),
        max_position_size_pct: Decimal::from(10),
    })))
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
    repo::trader::put_risk_profile(&tx, m.user_id(), &p).await?;
    tx.commit().await?;
    Ok(Json(p))
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
    let settings = repo::trader::leaderboard_settings(&tx, m.user_id()).await?;
    tx.commit().await?;
    Ok(Json(settings))
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
    repo::trader::put_leaderboard_settings(&tx, m.user_id(), &s).await?;
    tx.commit().await?;
    state.cache.invalidate(m.scope.community_id());
    Ok(Json(s))
}
